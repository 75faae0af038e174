//! The console adapter (`backbot chat`): one typed line to one reply, with the
//! same engine and commands as the Discord bot. The input loop, with `/remind`
//! and due reminders, is `crate::reminders::console::run`.

use crate::commands::{Command, COMMAND_NAMES};
use crate::engine::Engine;
use crate::reply::Reply;

/// What one console line asks for.
pub enum Outcome {
    /// Show this reply.
    Reply(Reply),
    /// Leave the console.
    Quit,
}

/// The reply to one console line: a slash command or a chat message.
pub fn handle_line(engine: &Engine, line: &str) -> Outcome {
    let trimmed = line.trim();
    if trimmed.is_empty() {
        return Outcome::Reply(Reply::error(
            "Empty message",
            "Type a question, for example \"heat or ice?\", or /help.",
        ));
    }
    if !trimmed.starts_with('/') {
        return Outcome::Reply(engine.reply(trimmed));
    }
    if matches!(trimmed, "/quit" | "/exit") {
        return Outcome::Quit;
    }
    // Red flags first, on every path: even inside an unknown command.
    if let Some(advisory) = engine.red_flag_guard(trimmed) {
        return Outcome::Reply(advisory);
    }
    match Command::parse(trimmed) {
        Some(cmd) => Outcome::Reply(engine.run(&cmd)),
        None => {
            let name: String = trimmed
                .split_whitespace()
                .next()
                .unwrap_or("")
                .chars()
                .take(40)
                .collect();
            Outcome::Reply(Reply::error(
                "Unknown command",
                format!(
                    "I don't know {name}. Commands: {}, /quit.",
                    COMMAND_NAMES.join(", ")
                ),
            ))
        }
    }
}
