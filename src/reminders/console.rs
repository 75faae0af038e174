//! `/remind` in the console (`backbot chat`): the same commands against the
//! same store (`BACKBOT_DB`), opened on the first `/remind` (or at start when
//! the file exists), and a timer thread that prints due reminders while the
//! console waits for input.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::clock::Clock;
use super::message::message;
use super::service::{Caller, Dest, RemindCommand, ReminderError, Reminders, CONSOLE_USER};
use crate::engine::Engine;
use crate::render::text::render;
use crate::reply::Reply;
use crate::store::reminders::ReminderFilter;
use crate::store::Store;
use crate::tools::lines::for_each_line;

const USAGE: &str = "Usage: /remind set <HH:MM> <time zone> [routine] | /remind show | /remind off | /remind pause <days> | /remind test | /remind done | /remind snooze | /remind stop";

/// Parses a console `/remind ...` line (positional or `name:value` options).
pub fn parse(line: &str) -> Result<RemindCommand, Box<Reply>> {
    let mut words = line.split_whitespace();
    let _ = words.next();
    let sub = words.next().unwrap_or("").to_ascii_lowercase();
    let mut named: Vec<(String, String)> = Vec::new();
    let mut positional: Vec<String> = Vec::new();
    for w in words {
        match w.split_once(':') {
            Some((k, v))
                if matches!(
                    k.to_ascii_lowercase().as_str(),
                    "time" | "timezone" | "tz" | "where" | "routine" | "days"
                ) =>
            {
                let k = if k.eq_ignore_ascii_case("tz") {
                    "timezone".to_string()
                } else {
                    k.to_ascii_lowercase()
                };
                named.push((k, v.to_string()));
            }
            _ => positional.push(w.to_string()),
        }
    }
    let mut pos = positional.into_iter();
    let mut take = |name: &str| -> Option<String> {
        named
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .or_else(|| pos.next())
    };
    let usage = || Box::new(Reply::error("How to use /remind", USAGE));
    match sub.as_str() {
        "set" => {
            let (Some(time), Some(timezone)) = (take("time"), take("timezone")) else {
                return Err(Box::new(Reply::error(
                    "Time and time zone needed",
                    "For example: /remind set 07:30 Europe/Berlin",
                )));
            };
            let mut routine = take("routine");
            // "here"/"dm" make no difference in the console.
            if routine
                .as_deref()
                .is_some_and(|r| r.eq_ignore_ascii_case("here") || r.eq_ignore_ascii_case("dm"))
            {
                routine = take("routine");
            }
            Ok(RemindCommand::Set {
                time,
                timezone,
                place: None,
                routine,
            })
        }
        "show" => Ok(RemindCommand::Show),
        "off" => Ok(RemindCommand::Off),
        "test" => Ok(RemindCommand::Test),
        "done" => Ok(RemindCommand::Done),
        "snooze" => Ok(RemindCommand::Snooze),
        "stop" => Ok(RemindCommand::Stop),
        "pause" => match take("days").map(|d| d.parse::<i64>()) {
            Some(Ok(days)) => Ok(RemindCommand::Pause { days }),
            _ => Err(Box::new(Reply::error(
                "How many days?",
                "For example: /remind pause 3",
            ))),
        },
        _ => Err(usage()),
    }
}

/// Whether a console line is a `/remind` command.
pub fn is_remind(line: &str) -> bool {
    let first = line.split_whitespace().next().unwrap_or("");
    first.eq_ignore_ascii_case("/remind")
}

/// The console's reminders: the store opened lazily.
pub struct ConsoleReminders {
    db: PathBuf,
    clock: Arc<dyn Clock>,
    open: Mutex<Option<Arc<Reminders>>>,
}

impl ConsoleReminders {
    /// Reminders in `db`; opened now when the file exists, else on first use.
    pub fn new(db: PathBuf, clock: Arc<dyn Clock>) -> ConsoleReminders {
        let c = ConsoleReminders {
            db,
            clock,
            open: Mutex::new(None),
        };
        if c.db.exists() {
            if let Err(e) = c.reminders() {
                tracing::warn!(error = %e, "reminders not loaded");
            }
        }
        c
    }

    fn reminders(&self) -> Result<Arc<Reminders>, ReminderError> {
        let mut g = self.open.lock().map_err(|_| ReminderError::Poisoned)?;
        if let Some(r) = g.as_ref() {
            return Ok(Arc::clone(r));
        }
        let store = Arc::new(Store::open(&self.db)?);
        let r = Arc::new(Reminders::load(store, ReminderFilter::Only(CONSOLE_USER))?);
        *g = Some(Arc::clone(&r));
        Ok(r)
    }

    /// Runs one `/remind` line.
    pub fn handle(&self, line: &str) -> Reply {
        let cmd = match parse(line) {
            Ok(c) => c,
            Err(r) => return *r,
        };
        match self.reminders() {
            Ok(r) => r.command(
                Caller {
                    user: CONSOLE_USER,
                    here: Dest::Console,
                    console: true,
                },
                &cmd,
                self.clock.now(),
            ),
            Err(e) => Reply::error(
                "Reminders unavailable",
                format!("{e} (BACKBOT_DB is {})", self.db.display()),
            ),
        }
    }

    /// The reminders due now, rendered (none when the store is not open).
    pub fn due(&self, engine: &Engine) -> Vec<String> {
        let open = self.open.lock().ok().and_then(|g| g.clone());
        let Some(r) = open else {
            return Vec::new();
        };
        match r.tick(self.clock.now()) {
            Ok(fires) => fires
                .iter()
                .map(|f| {
                    let m = message(&engine.content, f);
                    let buttons: Vec<String> = m
                        .buttons
                        .iter()
                        .map(|b| {
                            format!(
                                "[{}: /remind {}]",
                                b.label,
                                b.id.trim_start_matches("remind:")
                            )
                        })
                        .collect();
                    // Shown by the caller right away: the console delivers it.
                    r.settled(f.user, &f.nonce);
                    format!("{}{}\n", render(&m.reply), buttons.join(" "))
                })
                .collect(),
            Err(e) => {
                tracing::warn!(error = %e, "reminder tick failed");
                Vec::new()
            }
        }
    }
}

/// The console loop: each line answered by [`crate::console::handle_line`], plus `/remind`
/// lines and a timer thread printing due reminders every `tick`.
pub fn run<W: Write + Send + 'static>(
    engine: Arc<Engine>,
    reminders: Arc<ConsoleReminders>,
    input: impl BufRead,
    out: Arc<Mutex<W>>,
    err: &mut impl Write,
    interactive: bool,
    tick: Duration,
) -> std::io::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    let timer = {
        let (engine, reminders, out, stop) = (
            Arc::clone(&engine),
            Arc::clone(&reminders),
            Arc::clone(&out),
            Arc::clone(&stop),
        );
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                std::thread::park_timeout(tick);
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                print_due(&engine, &reminders, &out, interactive);
            }
        })
    };
    let write = |text: &str| -> std::io::Result<()> {
        let mut o = out
            .lock()
            .map_err(|_| std::io::Error::other("output poisoned"))?;
        o.write_all(text.as_bytes())?;
        o.flush()
    };
    if interactive {
        write("backbot console: ask about your lower back, or type /help. /remind for daily stretch reminders. /quit to leave.\n> ")?;
    }
    let mut io_result = Ok(());
    let read = for_each_line(input, |_, line| {
        let step = (|| -> std::io::Result<bool> {
            match line {
                Err(e) => writeln!(err, "error: {e}")?,
                Ok(text) if is_remind(&text) => {
                    write(&format!("{}\n", render(&reminders.handle(&text))))?;
                    print_due(&engine, &reminders, &out, false);
                }
                Ok(text) => match crate::console::handle_line(&engine, &text) {
                    crate::console::Outcome::Quit => return Ok(false),
                    crate::console::Outcome::Reply(r) => write(&format!("{}\n", render(&r)))?,
                },
            }
            if interactive {
                write("> ")?;
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
    });
    stop.store(true, Ordering::Relaxed);
    timer.thread().unpark();
    let _ = timer.join();
    read?;
    io_result
}

fn print_due<W: Write>(
    engine: &Engine,
    reminders: &ConsoleReminders,
    out: &Mutex<W>,
    prompt: bool,
) {
    let due = reminders.due(engine);
    if due.is_empty() {
        return;
    }
    if let Ok(mut o) = out.lock() {
        for m in due {
            let _ = writeln!(o, "\n{m}");
        }
        if prompt {
            let _ = write!(o, "> ");
        }
        let _ = o.flush();
    }
}
