//! The serenity event handler: turns gateway events into core calls (via the
//! pure decisions of [`super::policy`]) and sends the rendered replies. Every
//! failure is logged and counted; none stops the bot.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Instant;

use serenity::all::{
    CommandInteraction, Context, CreateAutocompleteResponse, CreateInteractionResponse,
    CreateInteractionResponseMessage, CreateMessage, EventHandler, Interaction, Message,
    MessageReference, Ready, ResumedEvent, ShardStageUpdateEvent,
};
use serenity::async_trait;
use serenity::gateway::ConnectionStage;
use serenity::http::Http;

use crate::engine::Engine;
use crate::reminders::schedule::zone_suggestions;
use crate::reminders::{Caller, Clock, Dest, RemindCommand, Reminders, SystemClock};
use crate::reply::{Reply, ReplyKind};
use crate::store::{GuildSettings, RedFlagScope, Store};

use super::embed::{no_mentions, render};
use super::metrics::Metrics;
use super::policy::{address, decide, strip_mentions, Action, Address, Limiter, MessageFacts};
use super::rest::Rest;
use super::slash::{self, Invocation, OptionValue, SettingsAction, SlashAction};

const COMMANDS_GUILD_KEY: &str = "commands_guild";

/// Shared state of the adapter: the engine, settings cache, limiter, REST sender.
pub struct App {
    engine: Arc<Engine>,
    store: Arc<Store>,
    settings: RwLock<HashMap<u64, GuildSettings>>,
    limiter: Mutex<Limiter>,
    rest: Rest,
    metrics: Arc<Metrics>,
    dev_guild: Option<u64>,
    me: AtomicU64,
    registered: AtomicBool,
    connected_once: AtomicBool,
    reminders: Option<Arc<Reminders>>,
    clock: Arc<dyn Clock>,
}

impl App {
    /// Builds the shared state; settings are loaded from the store once here.
    pub fn new(
        engine: Arc<Engine>,
        store: Arc<Store>,
        rest: Rest,
        metrics: Arc<Metrics>,
        limiter: Limiter,
        dev_guild: Option<u64>,
    ) -> Result<App, crate::store::StoreError> {
        let settings = store.all_guild_settings()?;
        Ok(App {
            engine,
            store,
            settings: RwLock::new(settings),
            limiter: Mutex::new(limiter),
            rest,
            metrics,
            dev_guild,
            me: AtomicU64::new(0),
            registered: AtomicBool::new(false),
            connected_once: AtomicBool::new(false),
            reminders: None,
            clock: Arc::new(SystemClock),
        })
    }

    /// Serves `/remind` and the reminder buttons from `reminders`, on `clock`.
    pub fn with_reminders(mut self, reminders: Arc<Reminders>, clock: Arc<dyn Clock>) -> App {
        self.reminders = Some(reminders);
        self.clock = clock;
        self
    }

    /// Runs a `/remind` command or button for `user`.
    fn remind(&self, user: u64, guild: Option<u64>, channel: u64, cmd: &RemindCommand) -> Reply {
        let Some(r) = &self.reminders else {
            return Reply::error(
                "Reminders are off",
                "Daily reminders are not available on this bot.",
            );
        };
        let here = match guild {
            Some(_) => Dest::Channel(channel),
            None => Dest::Dm,
        };
        let caller = Caller {
            user,
            here,
            console: false,
        };
        let reply = r.command(caller, cmd, self.clock.now());
        tracing::info!(user, kind = ?reply.kind(), "reminder command answered");
        reply
    }

    fn settings_of(&self, guild: u64) -> GuildSettings {
        self.settings
            .read()
            .map(|s| s.get(&guild).cloned().unwrap_or_default())
            .unwrap_or_default()
    }

    fn address_of(&self, facts: &MessageFacts, guild: Option<u64>) -> Address {
        let Some(g) = guild else {
            return address(facts, &GuildSettings::default());
        };
        match self.settings.read() {
            Ok(map) => match map.get(&g) {
                Some(s) => address(facts, s),
                None => address(facts, &GuildSettings::default()),
            },
            Err(_) => address(facts, &GuildSettings::default()),
        }
    }

    /// Handles one message from the gateway.
    pub async fn on_message(&self, http: &Http, msg: &Message) {
        Metrics::inc(&self.metrics.messages_seen);
        let me = self.me.load(Ordering::Relaxed);
        let channel = msg.channel_id.get();
        let guild = msg.guild_id.map(|g| g.get());
        let facts = MessageFacts {
            from_bot: msg.author.bot || msg.webhook_id.is_some(),
            from_self: msg.author.id.get() == me,
            in_dm: guild.is_none(),
            mentions_me: me != 0 && msg.mentions.iter().any(|u| u.id.get() == me),
            has_text: !msg.content.trim().is_empty(),
            channel,
        };
        let addr = self.address_of(&facts, guild);
        if addr == Address::Ignore {
            tracing::debug!(channel, "message ignored");
            return;
        }
        let text = strip_mentions(&msg.content, me);
        let c = self.engine.classify(&text);
        let action = decide(addr, c.kind, c.primary().map(|h| h.id.as_str()));
        tracing::debug!(channel, ?addr, kind = %c.kind, ?action, "message classified");
        match action {
            Action::Silent => return,
            Action::PassiveReply => {
                let allowed = self
                    .limiter
                    .lock()
                    .map(|mut l| l.check(Instant::now(), channel, msg.author.id.get()))
                    .unwrap_or(Ok(()));
                if let Err(why) = allowed {
                    Metrics::inc(&self.metrics.replies_limited);
                    tracing::debug!(channel, ?why, "passive reply held back");
                    return;
                }
            }
            Action::Reply | Action::Escalate => {}
        }
        let reply = Reply::for_classification(&self.engine.content, &c);
        let mut reference = MessageReference::from((msg.channel_id, msg.id));
        reference.fail_if_not_exists = Some(false);
        let out = CreateMessage::new()
            .embed(render(&reply))
            .reference_message(reference);
        match self.rest.send_message(http, channel, out).await {
            Ok(()) => {
                self.metrics.reply_sent(reply.kind());
                tracing::info!(channel, kind = ?reply.kind(), intents = ?reply.intents, "replied");
            }
            Err(e) => tracing::warn!(channel, error = %e, "reply not sent"),
        }
        if action == Action::Escalate {
            Metrics::inc(&self.metrics.red_flags_escalated);
            if let Some(g) = guild {
                self.alert_moderators(http, g, channel, Some(msg.id.get()))
                    .await;
            }
        }
    }

    async fn alert_moderators(&self, http: &Http, guild: u64, channel: u64, message: Option<u64>) {
        let Some(alert) = self.settings_of(guild).alert_channel else {
            return;
        };
        let link = match message {
            Some(m) => format!("https://discord.com/channels/{guild}/{channel}/{m}"),
            None => format!("https://discord.com/channels/{guild}/{channel}"),
        };
        let notice = CreateMessage::new().content(format!(
            "🚩 A red flag was escalated in <#{channel}>: the member got the urgent-care advisory. {link}"
        ));
        match self.rest.send_message(http, alert, notice).await {
            Ok(()) => {
                Metrics::inc(&self.metrics.alerts_sent);
                tracing::info!(guild, channel, alert, "moderators alerted");
            }
            Err(e) => tracing::warn!(guild, alert, error = %e, "moderator alert not sent"),
        }
    }

    /// Handles one interaction.
    pub async fn on_interaction(&self, http: &Http, interaction: &Interaction) {
        Metrics::inc(&self.metrics.interactions);
        match interaction {
            Interaction::Command(cmd) => self.on_command(http, cmd).await,
            Interaction::Autocomplete(ac) => {
                let inv = Invocation::from_serenity(&ac.data.name, &ac.data.options);
                let mut choices = CreateAutocompleteResponse::new();
                if let (["faq"], Some((_, OptionValue::Str(partial)))) = (
                    inv.path
                        .iter()
                        .map(String::as_str)
                        .collect::<Vec<_>>()
                        .as_slice(),
                    inv.options.iter().find(|(n, _)| n == "query"),
                ) {
                    for (name, value) in crate::faq::suggest(&self.engine, partial) {
                        choices = choices.add_string_choice(name, value);
                    }
                }
                if inv.path.iter().map(String::as_str).eq(["remind", "set"]) {
                    let focused = ac.data.autocomplete().map(|a| a.value.to_string());
                    if let Some(partial) = focused {
                        for z in zone_suggestions(&partial, 25) {
                            choices = choices.add_string_choice(z.clone(), z);
                        }
                    }
                }
                let r = CreateInteractionResponse::Autocomplete(choices);
                if let Err(e) = self.rest.respond(http, ac.id, &ac.token, &r).await {
                    tracing::warn!(error = %e, "autocomplete not answered");
                }
            }
            Interaction::Component(c) => {
                let reply = match RemindCommand::from_button(&c.data.custom_id) {
                    Some(cmd) => self.remind(
                        c.user.id.get(),
                        c.guild_id.map(|g| g.get()),
                        c.channel_id.get(),
                        &cmd,
                    ),
                    None => Reply::error("Not supported", "This button is not supported any more."),
                };
                self.respond(http, c.id, &c.token, &reply, true).await;
            }
            other => tracing::debug!(kind = ?other.kind(), "interaction ignored"),
        }
    }

    async fn respond(
        &self,
        http: &Http,
        id: serenity::all::InteractionId,
        token: &str,
        reply: &Reply,
        ephemeral: bool,
    ) {
        let r = CreateInteractionResponse::Message(
            CreateInteractionResponseMessage::new()
                .embed(render(reply))
                .ephemeral(ephemeral)
                .allowed_mentions(no_mentions()),
        );
        match self.rest.respond(http, id, token, &r).await {
            Ok(()) => self.metrics.reply_sent(reply.kind()),
            Err(e) => tracing::warn!(error = %e, "interaction not answered"),
        }
    }

    async fn on_command(&self, http: &Http, cmd: &CommandInteraction) {
        let inv = Invocation::from_serenity(&cmd.data.name, &cmd.data.options);
        let (reply, ephemeral) = match slash::parse(&inv) {
            Err(e) => {
                tracing::info!(command = %inv.path.join(" "), error = %e, "command not understood");
                (Reply::error("Sorry, I can't do that", e.to_string()), true)
            }
            Ok(SlashAction::Core { command, ephemeral }) => {
                let reply = self.engine.run(&command);
                if reply.kind() == ReplyKind::Advisory
                    && command != crate::commands::Command::RedFlags
                {
                    Metrics::inc(&self.metrics.red_flags_escalated);
                    if let Some(g) = cmd.guild_id {
                        self.alert_moderators(http, g.get(), cmd.channel_id.get(), None)
                            .await;
                    }
                }
                (reply, ephemeral)
            }
            Ok(SlashAction::Settings(action)) => (self.settings_command(cmd, action), true),
            Ok(SlashAction::Remind(rc)) => (
                self.remind(
                    cmd.user.id.get(),
                    cmd.guild_id.map(|g| g.get()),
                    cmd.channel_id.get(),
                    &rc,
                ),
                true,
            ),
        };
        tracing::info!(command = %inv.path.join(" "), kind = ?reply.kind(), "command answered");
        self.respond(http, cmd.id, &cmd.token, &reply, ephemeral)
            .await;
    }

    fn settings_command(&self, cmd: &CommandInteraction, action: SettingsAction) -> Reply {
        let Some(guild) = cmd.guild_id.map(|g| g.get()) else {
            return Reply::error("Servers only", "Settings can only be changed in a server.");
        };
        let admin = cmd
            .member
            .as_ref()
            .and_then(|m| m.permissions)
            .is_some_and(|p| p.manage_guild() || p.administrator());
        if !admin {
            tracing::info!(
                guild,
                user = cmd.user.id.get(),
                "settings refused: not an admin"
            );
            return Reply::error(
                "Not allowed",
                "Only members with the Manage Server permission can change backbot's settings.",
            );
        }
        let result = match action {
            SettingsAction::Show => Ok(()),
            SettingsAction::Listen { channel, on } => {
                self.store
                    .set_listening(guild, channel.unwrap_or_else(|| cmd.channel_id.get()), on)
            }
            SettingsAction::RedFlags(scope) => self.store.set_red_flag_scope(guild, scope),
            SettingsAction::Alerts(channel) => self.store.set_alert_channel(guild, channel),
        };
        let fresh = result.and_then(|()| self.store.guild_settings(guild));
        match fresh {
            Ok(s) => {
                if let Ok(mut map) = self.settings.write() {
                    map.insert(guild, s.clone());
                }
                tracing::info!(guild, "settings updated");
                Reply::info("backbot settings", describe(&s))
            }
            Err(e) => {
                tracing::error!(guild, error = %e, "settings not saved");
                Reply::error(
                    "Settings not saved",
                    "I could not save the settings; please try again later.",
                )
            }
        }
    }

    /// Registers the slash commands once (bulk overwrite) and clears the other scope.
    async fn register_commands(&self, http: &Http, app: u64) {
        if self.registered.swap(true, Ordering::SeqCst) {
            return;
        }
        let defs = slash::definitions();
        let previous_guild = self
            .store
            .state(COMMANDS_GUILD_KEY)
            .ok()
            .flatten()
            .and_then(|g| g.parse::<u64>().ok());
        let result = match self.dev_guild {
            Some(g) => {
                let mut r = self.rest.put_commands(http, app, Some(g), &defs).await;
                if r.is_ok() {
                    r = self.rest.put_commands(http, app, None, &[]).await;
                }
                if let Some(prev) = previous_guild.filter(|&p| p != g) {
                    if let Err(e) = self.rest.put_commands(http, app, Some(prev), &[]).await {
                        tracing::warn!(guild = prev, error = %e, "old guild commands not cleared");
                    }
                }
                if r.is_ok() {
                    let _ = self
                        .store
                        .set_state(COMMANDS_GUILD_KEY, Some(&g.to_string()));
                }
                r
            }
            None => {
                let r = self.rest.put_commands(http, app, None, &defs).await;
                if let Some(prev) = previous_guild {
                    match self.rest.put_commands(http, app, Some(prev), &[]).await {
                        Ok(()) => {
                            let _ = self.store.set_state(COMMANDS_GUILD_KEY, None);
                        }
                        Err(e) => {
                            tracing::warn!(guild = prev, error = %e, "old guild commands not cleared")
                        }
                    }
                }
                r
            }
        };
        match result {
            Ok(()) => {
                tracing::info!(count = defs.len(), guild = ?self.dev_guild, "slash commands registered")
            }
            Err(e) => {
                self.registered.store(false, Ordering::SeqCst);
                tracing::error!(error = %e, "slash commands not registered");
            }
        }
    }
}

/// The settings as a short text.
pub fn describe(s: &GuildSettings) -> String {
    let listening = if s.listening.is_empty() {
        "none (I answer when mentioned, in DMs and to slash commands)".to_string()
    } else {
        s.listening
            .iter()
            .map(|c| format!("<#{c}>"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let scope = match s.red_flag_scope {
        RedFlagScope::All => "every channel I can read",
        RedFlagScope::Listening => "listening channels only (and mentions)",
    };
    let alerts = s
        .alert_channel
        .map_or_else(|| "off".to_string(), |c| format!("<#{c}>"));
    format!("Listening channels: {listening}\nRed flags escalated in: {scope}\nModerator alerts: {alerts}")
}

/// The serenity handler around the shared state.
pub struct Handler(pub Arc<App>);

#[async_trait]
impl EventHandler for Handler {
    async fn ready(&self, ctx: Context, ready: Ready) {
        let app = ready.application.id.get();
        self.0.me.store(ready.user.id.get(), Ordering::Relaxed);
        self.0.metrics.set_ready(true);
        if self.0.connected_once.swap(true, Ordering::Relaxed) {
            Metrics::inc(&self.0.metrics.gateway_reconnects);
            tracing::warn!(
                guilds = ready.guilds.len(),
                "gateway reconnected with a new session"
            );
        } else {
            tracing::info!(guilds = ready.guilds.len(), "gateway ready");
        }
        self.0.register_commands(&ctx.http, app).await;
    }

    async fn resume(&self, _ctx: Context, _event: ResumedEvent) {
        self.0.metrics.set_ready(true);
        Metrics::inc(&self.0.metrics.gateway_reconnects);
        tracing::warn!("gateway reconnected: session resumed");
    }

    async fn shard_stage_update(&self, _ctx: Context, event: ShardStageUpdateEvent) {
        if event.old == ConnectionStage::Connected && event.new != ConnectionStage::Connected {
            self.0.metrics.set_ready(false);
            tracing::warn!(shard = event.shard_id.0, stage = %event.new, "gateway connection lost; reconnecting");
        }
    }

    async fn message(&self, ctx: Context, msg: Message) {
        self.0.on_message(&ctx.http, &msg).await;
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        self.0.on_interaction(&ctx.http, &interaction).await;
    }
}
