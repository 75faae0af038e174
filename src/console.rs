//! The console adapter (`backbot chat`): reads lines, runs the same engine and
//! commands as the Discord bot, prints the plain-text rendering of each reply.

use std::io::{BufRead, Write};

use crate::commands::{Command, COMMAND_NAMES};
use crate::engine::Engine;
use crate::render::text::render;
use crate::reply::Reply;
use crate::tools::lines::for_each_line;

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

/// Runs the console until end of input or `/quit`. Unreadable lines (invalid
/// UTF-8) are reported on `err` and skipped.
pub fn run(
    engine: &Engine,
    input: impl BufRead,
    out: &mut impl Write,
    err: &mut impl Write,
    interactive: bool,
) -> std::io::Result<()> {
    if interactive {
        writeln!(
            out,
            "backbot console: ask about your lower back, or type /help. /quit to leave."
        )?;
        write!(out, "> ")?;
        out.flush()?;
    }
    let mut io_result = Ok(());
    for_each_line(input, |_, line| {
        let step = (|| -> std::io::Result<bool> {
            match line {
                Err(e) => writeln!(err, "error: {e}")?,
                Ok(text) => match handle_line(engine, &text) {
                    Outcome::Quit => return Ok(false),
                    Outcome::Reply(r) => writeln!(out, "{}", render(&r))?,
                },
            }
            if interactive {
                write!(out, "> ")?;
                out.flush()?;
            }
            Ok(true)
        })();
        match step {
            Ok(go_on) => go_on,
            Err(e) => {
                io_result = Err(e);
                false
            }
        }
    })?;
    io_result
}
