//! The `backbot` binary: parses the command line and hands over to the console,
//! a content tool, or the Discord adapter.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use backbot::tools;
use backbot::Engine;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "backbot",
    version,
    about = "A lower-back-care chat bot: console, content tools and Discord bot."
)]
struct Cli {
    /// Folder holding intents/, responses/ and faq/ (default: ./ if it has intents/, else the source tree).
    #[arg(long, global = true, env = "BACKBOT_CONTENT")]
    content: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Cmd>,
}

#[derive(Subcommand)]
enum Cmd {
    /// Interactive console (the default): the same replies as on Discord.
    Chat,
    /// Run the Discord bot (DISCORD_TOKEN, DISCORD_API_BASE, BACKBOT_DB, BACKBOT_DEV_GUILD, BACKBOT_HTTP_ADDR).
    Run,
    /// Print one JSON classification per message (arguments, or stdin lines).
    Classify { messages: Vec<String> },
    /// Validate the content; exits non-zero with file:line errors.
    Check { dir: Option<PathBuf> },
    /// Score the engine on a labelled JSONL set.
    Eval {
        file: PathBuf,
        /// Machine-readable output.
        #[arg(long)]
        json: bool,
    },
    /// Search the FAQ: the ranked matches with their scores.
    Faq { query: String },
}

fn content_dir(flag: Option<PathBuf>) -> PathBuf {
    if let Some(dir) = flag {
        return dir;
    }
    if std::path::Path::new("intents").is_dir() {
        return PathBuf::from(".");
    }
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load(dir: &std::path::Path) -> anyhow::Result<Engine> {
    Engine::load(dir)
        .map_err(|e| anyhow::anyhow!("{e}"))
        .with_context(|| format!("cannot load the content in {}", dir.display()))
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let dir = content_dir(cli.content);
    match cli.command.unwrap_or(Cmd::Chat) {
        Cmd::Run => {
            let config = backbot::discord::Config::from_env()?;
            let engine = load(&dir)?;
            backbot::discord::serve(config, engine)?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Chat => {
            let engine = std::sync::Arc::new(load(&dir)?);
            let stdin = std::io::stdin();
            let interactive = stdin.is_terminal();
            // /remind uses the bot's store; the file is only created on first use.
            let db = std::env::var_os("BACKBOT_DB")
                .map_or_else(|| PathBuf::from("backbot.db"), PathBuf::from);
            let reminders =
                std::sync::Arc::new(backbot::reminders::console::ConsoleReminders::new(
                    db,
                    std::sync::Arc::new(backbot::reminders::SystemClock),
                ));
            backbot::reminders::console::run(
                engine,
                reminders,
                stdin.lock(),
                std::sync::Arc::new(std::sync::Mutex::new(std::io::stdout())),
                &mut std::io::stderr().lock(),
                interactive,
                std::time::Duration::from_secs(1),
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Classify { messages } => {
            let engine = load(&dir)?;
            let mut out = std::io::stdout().lock();
            if !messages.is_empty() {
                for m in &messages {
                    tools::classify_line(&engine, m, &mut out)?;
                }
                return Ok(ExitCode::SUCCESS);
            }
            let bad = tools::classify_stream(
                &engine,
                std::io::stdin().lock(),
                &mut out,
                &mut std::io::stderr(),
            )?;
            Ok(if bad > 0 {
                ExitCode::from(65)
            } else {
                ExitCode::SUCCESS
            })
        }
        Cmd::Check { dir: check_dir } => {
            let dir = check_dir.unwrap_or(dir);
            match tools::check::check(&dir) {
                Ok(s) => {
                    println!(
                        "ok: {} intents, {} patterns, {} examples and near misses, {} FAQ entries",
                        s.intents, s.patterns, s.examples, s.faq
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(errors) => {
                    for e in &errors {
                        eprintln!("{e}");
                    }
                    eprintln!("{} problem(s) in {}", errors.len(), dir.display());
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        Cmd::Faq { query } => {
            print!("{}", backbot::faq::report(&load(&dir)?, &query));
            Ok(ExitCode::SUCCESS)
        }
        Cmd::Eval { file, json } => {
            let engine = load(&dir)?;
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let report = tools::eval::evaluate(&engine, &text);
            if json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{}", tools::eval::render(&report));
            }
            let ok = report.red_flag_recall() >= 1.0 && report.bad_lines.is_empty();
            Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
    }
}
