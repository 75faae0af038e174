//! Commands as plain data (`/ask`, `/crack`, `/stretch`, `/redflags`, `/help`),
//! parsed from console text or built by the Discord adapter, each answered by
//! one core call that returns a [`Reply`].

use crate::catalogue::{STRETCHES, TECHNIQUES};
use crate::engine::Engine;
use crate::reply::Reply;
use crate::Kind;

/// A command, whatever transport it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// A question in plain words (the same path as a chat message).
    Ask(String),
    /// `/crack [technique]`.
    Crack(Option<String>),
    /// `/stretch [name]`.
    Stretch(Option<String>),
    /// `/redflags`.
    RedFlags,
    /// `/help`.
    Help,
    /// `/faq [query]`: search the FAQ (no query lists the topics).
    Faq(Option<String>),
}

/// Names of the commands, for help texts and error messages.
pub const COMMAND_NAMES: &[&str] = &["/ask", "/crack", "/stretch", "/redflags", "/help", "/faq"];

impl Command {
    /// Parses console text that starts with `/`. `None` for an unknown command.
    pub fn parse(line: &str) -> Option<Command> {
        let line = line.trim();
        let (name, rest) = match line.split_once(char::is_whitespace) {
            Some((n, r)) => (n, r.trim()),
            None => (line, ""),
        };
        let arg = if rest.is_empty() {
            None
        } else {
            Some(rest.to_string())
        };
        match name.to_ascii_lowercase().as_str() {
            "/ask" => Some(Command::Ask(rest.to_string())),
            "/crack" => Some(Command::Crack(arg)),
            "/stretch" => Some(Command::Stretch(arg)),
            "/redflags" => Some(Command::RedFlags),
            "/help" => Some(Command::Help),
            "/faq" => Some(Command::Faq(arg)),
            _ => None,
        }
    }
}

impl Engine {
    /// The reply to a chat message: classify, then triage.
    pub fn reply(&self, text: &str) -> Reply {
        let c = self.classify(text);
        Reply::for_classification(&self.content, &c)
    }

    /// The advisory when `text` holds a red flag: checked first on every path.
    pub fn red_flag_guard(&self, text: &str) -> Option<Reply> {
        let c = self.classify(text);
        (c.kind == Kind::Advisory).then(|| Reply::advisory(&self.content, &c.red_flags))
    }

    /// The reply to a command.
    pub fn run(&self, cmd: &Command) -> Reply {
        match cmd {
            Command::Ask(q) if q.trim().is_empty() => Reply::error(
                "Ask me something",
                "Type your question after /ask, for example: /ask heat or ice?",
            ),
            Command::Ask(q) => self.reply(q),
            Command::Crack(choice) => self.choice(
                choice.as_deref(),
                TECHNIQUES,
                "crack_lower_back",
                "technique",
            ),
            Command::Stretch(choice) => {
                self.choice(choice.as_deref(), STRETCHES, "stretches", "stretch")
            }
            Command::RedFlags => Reply::red_flag_list(&self.content),
            Command::Help => self.intent_reply("help"),
            Command::Faq(query) => crate::faq::reply(self, query.as_deref()),
        }
    }

    fn intent_reply(&self, id: &str) -> Reply {
        match self.content.responses.get(id) {
            Some(r) => Reply::answer(&self.content, Kind::Answer.into(), r),
            None => Reply::fallback(&self.content),
        }
    }

    fn choice(
        &self,
        choice: Option<&str>,
        table: &[(&str, &str)],
        overview: &str,
        what: &str,
    ) -> Reply {
        let Some(choice) = choice else {
            return self.intent_reply(overview);
        };
        if let Some(advisory) = self.red_flag_guard(choice) {
            return advisory;
        }
        let wanted = choice.trim().to_lowercase();
        if let Some((_, id)) = table
            .iter()
            .find(|(name, id)| *name == wanted || *id == wanted)
        {
            return self.intent_reply(id);
        }
        // Free words ("lying twist", "knee to chest"): let the matcher pick among the table's intents.
        let c = self.classify(choice);
        if c.kind == Kind::Warning {
            return Reply::for_classification(&self.content, &c);
        }
        if let Some(hit) = c
            .hits
            .iter()
            .find(|h| table.iter().any(|(_, id)| *id == h.id))
        {
            return self.intent_reply(&hit.id);
        }
        let names: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
        Reply::error(
            format!("Unknown {what}"),
            format!(
                "I don't know the {what} {:?}. Choose one of: {}.",
                choice.chars().take(60).collect::<String>(),
                names.join(", ")
            ),
        )
    }
}
