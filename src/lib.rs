//! backbot: a lower-back-care chat bot. The core (content, matching, triage,
//! replies) is pure and transport-free; adapters (console, Discord) sit at the edges.

pub mod catalogue;
pub mod commands;
pub mod console;
pub mod content;
pub mod discord;
pub mod engine;
pub mod error;
pub mod faq;
pub mod reminders;
pub mod render;
pub mod reply;
pub mod store;
pub mod tools;

pub use engine::{Classification, Engine, IntentHit};
pub use error::{ContentError, ContentErrors};
pub use reply::{Reply, ReplyKind};

/// The kind of an intent, strongest first (the order is the triage precedence).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A red flag: the one fixed advisory and nothing else.
    Advisory,
    /// See a professional; techniques are withheld.
    Warning,
    /// A technique, stretch or fact.
    Answer,
    /// Nothing matched.
    Fallback,
}

impl Kind {
    /// The name used in JSON and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Advisory => "advisory",
            Kind::Warning => "warning",
            Kind::Answer => "answer",
            Kind::Fallback => "fallback",
        }
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
