//! Slash commands: their definitions (registered with a bulk overwrite) and the
//! parsing of an invocation (plain data, built from serenity's types by the
//! handler) into a core [`Command`] or a settings change.

use serenity::all::{
    ChannelType, CommandDataOption, CommandDataOptionValue, CommandOptionType, CreateCommand,
    CreateCommandOption, Permissions,
};

use crate::catalogue::{STRETCHES, TECHNIQUES};
use crate::commands::Command;
use crate::reminders::RemindCommand;
use crate::store::RedFlagScope;

/// One option value, independent of serenity.
#[derive(Debug, Clone, PartialEq)]
pub enum OptionValue {
    /// Text.
    Str(String),
    /// Integer.
    Int(i64),
    /// Boolean.
    Bool(bool),
    /// A channel id.
    Channel(u64),
    /// Anything else (users, roles, attachments, ...).
    Other,
}

/// A slash command invocation: the command path (`["backbot", "settings",
/// "listen"]`) and the leaf options.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Invocation {
    /// Command, group and subcommand names.
    pub path: Vec<String>,
    /// The leaf options by name.
    pub options: Vec<(String, OptionValue)>,
}

impl Invocation {
    /// Builds an invocation from serenity's command data.
    pub fn from_serenity(name: &str, options: &[CommandDataOption]) -> Invocation {
        let mut inv = Invocation {
            path: vec![name.to_string()],
            options: Vec::new(),
        };
        let mut level = options;
        while let [one] = level {
            match &one.value {
                CommandDataOptionValue::SubCommand(inner)
                | CommandDataOptionValue::SubCommandGroup(inner) => {
                    inv.path.push(one.name.clone());
                    level = inner;
                }
                _ => break,
            }
        }
        for o in level {
            let v = match &o.value {
                CommandDataOptionValue::String(s) => OptionValue::Str(s.clone()),
                CommandDataOptionValue::Autocomplete { value, .. } => {
                    OptionValue::Str(value.clone())
                }
                CommandDataOptionValue::Integer(i) => OptionValue::Int(*i),
                CommandDataOptionValue::Boolean(b) => OptionValue::Bool(*b),
                CommandDataOptionValue::Channel(c) => OptionValue::Channel(c.get()),
                _ => OptionValue::Other,
            };
            inv.options.push((o.name.clone(), v));
        }
        inv
    }

    fn get(&self, name: &str) -> Option<&OptionValue> {
        self.options.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    fn string(&self, name: &str) -> Result<Option<String>, SlashError> {
        match self.get(name) {
            None => Ok(None),
            Some(OptionValue::Str(s)) => Ok(Some(s.clone())),
            Some(_) => Err(SlashError::BadOption(name.to_string())),
        }
    }

    fn channel(&self, name: &str) -> Result<Option<u64>, SlashError> {
        match self.get(name) {
            None => Ok(None),
            Some(OptionValue::Channel(c)) => Ok(Some(*c)),
            Some(OptionValue::Str(s)) => s
                .parse()
                .map(Some)
                .map_err(|_| SlashError::BadOption(name.to_string())),
            Some(_) => Err(SlashError::BadOption(name.to_string())),
        }
    }

    fn integer(&self, name: &str) -> Result<Option<i64>, SlashError> {
        match self.get(name) {
            None => Ok(None),
            Some(OptionValue::Int(i)) => Ok(Some(*i)),
            Some(OptionValue::Str(s)) => s
                .trim()
                .parse()
                .map(Some)
                .map_err(|_| SlashError::BadOption(name.to_string())),
            Some(_) => Err(SlashError::BadOption(name.to_string())),
        }
    }

    fn boolean(&self, name: &str) -> Result<Option<bool>, SlashError> {
        match self.get(name) {
            None => Ok(None),
            Some(OptionValue::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(SlashError::BadOption(name.to_string())),
        }
    }
}

/// A change (or view) of a guild's settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsAction {
    /// Show the current settings.
    Show,
    /// Listen (or stop listening) in a channel; `None` = the current channel.
    Listen {
        /// The channel.
        channel: Option<u64>,
        /// On or off.
        on: bool,
    },
    /// Where red flags are escalated.
    RedFlags(RedFlagScope),
    /// The moderator alert channel (`None` turns alerts off).
    Alerts(Option<u64>),
}

/// What an invocation asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlashAction {
    /// A core command; `ephemeral` says whether only the caller sees the answer.
    Core {
        /// The command.
        command: Command,
        /// Reply visible only to the caller.
        ephemeral: bool,
    },
    /// An admin settings command.
    Settings(SettingsAction),
    /// A `/remind` command.
    Remind(RemindCommand),
}

/// Why an invocation could not be understood (shown to the user politely).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlashError {
    /// Not one of our commands.
    #[error("I don't know the command /{0}. Try /help.")]
    Unknown(String),
    /// A required option is missing.
    #[error("The option `{0}` is missing.")]
    Missing(String),
    /// An option has the wrong type or value.
    #[error("The option `{0}` has a value I can't use.")]
    BadOption(String),
}

/// Parses an invocation.
pub fn parse(inv: &Invocation) -> Result<SlashAction, SlashError> {
    let path: Vec<&str> = inv.path.iter().map(String::as_str).collect();
    let core = |command| {
        Ok(SlashAction::Core {
            command,
            ephemeral: true,
        })
    };
    match path.as_slice() {
        ["ask"] => {
            let q = inv
                .string("question")?
                .ok_or_else(|| SlashError::Missing("question".into()))?;
            let public = inv.boolean("public")?.unwrap_or(false);
            Ok(SlashAction::Core {
                command: Command::Ask(q),
                ephemeral: !public,
            })
        }
        ["crack"] => core(Command::Crack(inv.string("technique")?)),
        ["stretch"] => core(Command::Stretch(inv.string("name")?)),
        ["redflags"] => core(Command::RedFlags),
        ["faq"] => core(Command::Faq(inv.string("query")?)),
        ["help"] => core(Command::Help),
        ["backbot", "settings", sub] => Ok(SlashAction::Settings(match *sub {
            "show" => SettingsAction::Show,
            "listen" => SettingsAction::Listen {
                channel: inv.channel("channel")?,
                on: inv.boolean("enabled")?.unwrap_or(true),
            },
            "redflags" => {
                let s = inv
                    .string("scope")?
                    .ok_or_else(|| SlashError::Missing("scope".into()))?;
                SettingsAction::RedFlags(
                    RedFlagScope::parse(&s).ok_or_else(|| SlashError::BadOption("scope".into()))?,
                )
            }
            "alerts" => SettingsAction::Alerts(inv.channel("channel")?),
            other => return Err(SlashError::Unknown(format!("backbot settings {other}"))),
        })),
        ["backbot", "settings"] | ["backbot"] => Ok(SlashAction::Settings(SettingsAction::Show)),
        ["remind", sub] => Ok(SlashAction::Remind(match *sub {
            "set" => RemindCommand::Set {
                time: inv
                    .string("time")?
                    .ok_or_else(|| SlashError::Missing("time".into()))?,
                timezone: inv
                    .string("timezone")?
                    .ok_or_else(|| SlashError::Missing("timezone".into()))?,
                place: inv.string("where")?,
                routine: inv.string("routine")?,
            },
            "show" => RemindCommand::Show,
            "off" => RemindCommand::Off,
            "pause" => RemindCommand::Pause {
                days: inv
                    .integer("days")?
                    .ok_or_else(|| SlashError::Missing("days".into()))?,
            },
            "test" => RemindCommand::Test,
            other => return Err(SlashError::Unknown(format!("remind {other}"))),
        })),
        _ => Err(SlashError::Unknown(path.join(" "))),
    }
}

/// Whether a command needs the Manage Server permission.
pub fn is_admin_only(inv: &Invocation) -> bool {
    inv.path.first().is_some_and(|p| p == "backbot")
}

fn choices(mut o: CreateCommandOption, table: &[(&str, &str)]) -> CreateCommandOption {
    for (name, _) in table {
        o = o.add_string_choice(*name, *name);
    }
    o
}

/// `/remind`: daily stretch reminders.
fn remind_definition() -> CreateCommand {
    use CommandOptionType as T;
    let sub =
        |name: &str, description: &str| CreateCommandOption::new(T::SubCommand, name, description);
    CreateCommand::new("remind")
        .description("Daily stretch reminder at your local time")
        .add_option(
            sub("set", "Remind me every day")
                .add_sub_option(
                    CreateCommandOption::new(
                        T::String,
                        "time",
                        "Local time, HH:MM (24 h), e.g. 07:30",
                    )
                    .required(true)
                    .max_length(5),
                )
                .add_sub_option(
                    CreateCommandOption::new(
                        T::String,
                        "timezone",
                        "Your time zone, e.g. Europe/Berlin",
                    )
                    .required(true)
                    .set_autocomplete(true)
                    .max_length(64),
                )
                .add_sub_option(
                    CreateCommandOption::new(
                        T::String,
                        "where",
                        "By DM (default) or in this channel",
                    )
                    .add_string_choice("dm", "dm")
                    .add_string_choice("here", "here"),
                )
                .add_sub_option(
                    CreateCommandOption::new(
                        T::String,
                        "routine",
                        "Which stretches rotate (default: all)",
                    )
                    .add_string_choice("all", "all")
                    .add_string_choice("stretches", "stretches")
                    .add_string_choice("techniques", "techniques"),
                ),
        )
        .add_option(sub("show", "Show my reminder, the next time and my streak"))
        .add_option(sub("off", "Turn my reminder off"))
        .add_option(
            sub("pause", "Pause my reminder for some days").add_sub_option(
                CreateCommandOption::new(T::Integer, "days", "How many days")
                    .required(true)
                    .min_int_value(1)
                    .max_int_value(365),
            ),
        )
        .add_option(sub("test", "Send me one reminder now"))
}

/// Every slash command, as registered with Discord.
pub fn definitions() -> Vec<CreateCommand> {
    use CommandOptionType as T;
    let text_channels = vec![
        ChannelType::Text,
        ChannelType::PublicThread,
        ChannelType::Forum,
    ];
    vec![
        CreateCommand::new("ask")
            .description("Ask a lower-back question (only you see the answer)")
            .add_option(
                CreateCommandOption::new(T::String, "question", "Your question")
                    .required(true)
                    .max_length(1000),
            )
            .add_option(CreateCommandOption::new(
                T::Boolean,
                "public",
                "Show the answer to the whole channel",
            )),
        CreateCommand::new("crack")
            .description("How to crack your lower back safely")
            .add_option(choices(
                CreateCommandOption::new(T::String, "technique", "Which technique"),
                TECHNIQUES,
            )),
        CreateCommand::new("stretch")
            .description("Stretches for the lower back")
            .add_option(choices(
                CreateCommandOption::new(T::String, "name", "Which stretch"),
                STRETCHES,
            )),
        CreateCommand::new("redflags").description("Back pain red flags: when to get help now"),
        CreateCommand::new("faq")
            .description("Search the lower-back FAQ")
            .add_option(
                CreateCommandOption::new(T::String, "query", "What you want to know")
                    .set_autocomplete(true)
                    .max_length(200),
            ),
        CreateCommand::new("help").description("What backbot can do"),
        remind_definition(),
        CreateCommand::new("backbot")
            .description("backbot server settings (Manage Server)")
            .default_member_permissions(Permissions::MANAGE_GUILD)
            .dm_permission(false)
            .add_option(
                CreateCommandOption::new(T::SubCommandGroup, "settings", "Server settings")
                    .add_sub_option(CreateCommandOption::new(
                        T::SubCommand,
                        "show",
                        "Show the current settings",
                    ))
                    .add_sub_option(
                        CreateCommandOption::new(
                            T::SubCommand,
                            "listen",
                            "Answer questions in a channel without being mentioned",
                        )
                        .add_sub_option(
                            CreateCommandOption::new(
                                T::Channel,
                                "channel",
                                "Channel (default: this one)",
                            )
                            .channel_types(text_channels.clone()),
                        )
                        .add_sub_option(CreateCommandOption::new(
                            T::Boolean,
                            "enabled",
                            "On or off (default: on)",
                        )),
                    )
                    .add_sub_option(
                        CreateCommandOption::new(
                            T::SubCommand,
                            "redflags",
                            "Where red flags are escalated",
                        )
                        .add_sub_option(
                            CreateCommandOption::new(T::String, "scope", "Where")
                                .required(true)
                                .add_string_choice("every channel I can read", "all")
                                .add_string_choice("listening channels only", "listening"),
                        ),
                    )
                    .add_sub_option(
                        CreateCommandOption::new(
                            T::SubCommand,
                            "alerts",
                            "Moderator channel notified of red flags (empty: off)",
                        )
                        .add_sub_option(
                            CreateCommandOption::new(T::Channel, "channel", "Alert channel")
                                .channel_types(text_channels),
                        ),
                    ),
            ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inv(path: &[&str], options: Vec<(&str, OptionValue)>) -> Invocation {
        Invocation {
            path: path.iter().map(|s| s.to_string()).collect(),
            options: options
                .into_iter()
                .map(|(n, v)| (n.to_string(), v))
                .collect(),
        }
    }

    #[test]
    fn core_commands() {
        let p = |i| parse(&i).unwrap();
        assert_eq!(
            p(inv(
                &["ask"],
                vec![("question", OptionValue::Str("heat?".into()))]
            )),
            SlashAction::Core {
                command: Command::Ask("heat?".into()),
                ephemeral: true
            }
        );
        assert_eq!(
            p(inv(
                &["ask"],
                vec![
                    ("question", OptionValue::Str("x".into())),
                    ("public", OptionValue::Bool(true))
                ]
            )),
            SlashAction::Core {
                command: Command::Ask("x".into()),
                ephemeral: false
            }
        );
        assert_eq!(
            p(inv(
                &["crack"],
                vec![("technique", OptionValue::Str("chair".into()))]
            )),
            SlashAction::Core {
                command: Command::Crack(Some("chair".into())),
                ephemeral: true
            }
        );
        assert_eq!(
            p(inv(&["stretch"], vec![])),
            SlashAction::Core {
                command: Command::Stretch(None),
                ephemeral: true
            }
        );
        assert!(matches!(
            p(inv(&["redflags"], vec![])),
            SlashAction::Core {
                command: Command::RedFlags,
                ..
            }
        ));
        assert!(matches!(
            p(inv(
                &["faq"],
                vec![("query", OptionValue::Str("heat".into()))]
            )),
            SlashAction::Core {
                command: Command::Faq(Some(_)),
                ..
            }
        ));
        assert!(matches!(
            p(inv(&["help"], vec![])),
            SlashAction::Core {
                command: Command::Help,
                ..
            }
        ));
    }

    #[test]
    fn settings_commands() {
        let p = |i| parse(&i).unwrap();
        let s = ["backbot", "settings"];
        assert_eq!(
            p(inv(&s, vec![])),
            SlashAction::Settings(SettingsAction::Show)
        );
        assert_eq!(
            p(inv(
                &["backbot", "settings", "listen"],
                vec![("channel", OptionValue::Channel(5))]
            )),
            SlashAction::Settings(SettingsAction::Listen {
                channel: Some(5),
                on: true
            })
        );
        assert_eq!(
            p(inv(
                &["backbot", "settings", "listen"],
                vec![("enabled", OptionValue::Bool(false))]
            )),
            SlashAction::Settings(SettingsAction::Listen {
                channel: None,
                on: false
            })
        );
        assert_eq!(
            p(inv(
                &["backbot", "settings", "redflags"],
                vec![("scope", OptionValue::Str("listening".into()))]
            )),
            SlashAction::Settings(SettingsAction::RedFlags(RedFlagScope::Listening))
        );
        assert_eq!(
            p(inv(&["backbot", "settings", "alerts"], vec![])),
            SlashAction::Settings(SettingsAction::Alerts(None))
        );
        assert!(is_admin_only(&inv(&s, vec![])));
        assert!(!is_admin_only(&inv(&["ask"], vec![])));
    }

    #[test]
    fn malformed_invocations_are_errors_not_panics() {
        assert_eq!(
            parse(&inv(&["dance"], vec![])),
            Err(SlashError::Unknown("dance".into()))
        );
        assert_eq!(
            parse(&inv(&[], vec![])),
            Err(SlashError::Unknown(String::new()))
        );
        assert_eq!(
            parse(&inv(&["ask"], vec![])),
            Err(SlashError::Missing("question".into()))
        );
        assert_eq!(
            parse(&inv(&["ask"], vec![("question", OptionValue::Int(3))])),
            Err(SlashError::BadOption("question".into()))
        );
        assert_eq!(
            parse(&inv(
                &["backbot", "settings", "redflags"],
                vec![("scope", OptionValue::Str("mars".into()))]
            )),
            Err(SlashError::BadOption("scope".into()))
        );
    }

    #[test]
    fn definitions_cover_the_catalogue_choices() {
        let v = serde_json::to_value(definitions()).unwrap();
        let names: Vec<&str> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            ["ask", "crack", "stretch", "redflags", "faq", "help", "remind", "backbot"]
        );
        let crack = &v[1]["options"][0]["choices"];
        assert_eq!(crack.as_array().unwrap().len(), TECHNIQUES.len());
        assert_eq!(v[7]["default_member_permissions"], "32");
        let set = &v[6]["options"][0];
        assert_eq!(set["name"], "set");
        assert_eq!(set["options"][1]["autocomplete"], true);
    }
}
