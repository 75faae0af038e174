//! Configuration of the Discord adapter, read from environment variables; the
//! token lives in a type whose `Debug` and `Display` never show it.

use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// A bot token. Printing it (Debug or Display) shows `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Checks the shape of a token (three dot-separated parts, no spaces); a
    /// leading `Bot ` is accepted and dropped. Errors never contain the token.
    pub fn parse(raw: &str) -> Result<Token, ConfigError> {
        let t = raw.trim();
        let t = t.strip_prefix("Bot ").unwrap_or(t).trim();
        if t.is_empty() {
            return Err(ConfigError::MissingToken);
        }
        let parts: Vec<&str> = t.split('.').collect();
        let well_formed = parts.len() == 3
            && parts.iter().all(|p| !p.is_empty())
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !well_formed {
            return Err(ConfigError::MalformedToken);
        }
        Ok(Token(t.to_string()))
    }

    /// The raw token, for the one place that hands it to serenity.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A configuration problem, with the fix.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    /// `DISCORD_TOKEN` is not set or empty.
    #[error("DISCORD_TOKEN is not set: copy the bot token from the Discord developer portal (Application > Bot > Reset Token) into DISCORD_TOKEN")]
    MissingToken,
    /// `DISCORD_TOKEN` does not look like a bot token.
    #[error("DISCORD_TOKEN does not look like a bot token (expected three dot-separated parts, no spaces or quotes); copy it again from the developer portal")]
    MalformedToken,
    /// `DISCORD_API_BASE` is not an http(s) URL.
    #[error("DISCORD_API_BASE must be an http:// or https:// URL without a path, e.g. http://127.0.0.1:3000 (got {0:?})")]
    BadApiBase(String),
    /// `BACKBOT_DEV_GUILD` is not a guild id.
    #[error("BACKBOT_DEV_GUILD must be a guild id (a number; right-click the server > Copy Server ID), got {0:?}")]
    BadDevGuild(String),
    /// `BACKBOT_HTTP_ADDR` is not an address.
    #[error("BACKBOT_HTTP_ADDR must be an address such as 127.0.0.1:9090, got {0:?}")]
    BadHttpAddr(String),
}

/// How busy channels are protected from the bot's passive replies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Per user and channel: at most one passive reply in this time.
    pub user_cooldown: Duration,
    /// Per channel: at most `channel_max` passive replies in `channel_window`.
    pub channel_max: usize,
    /// The window of `channel_max`.
    pub channel_window: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            user_cooldown: Duration::from_secs(60),
            channel_max: 5,
            channel_window: Duration::from_secs(60),
        }
    }
}

/// Retries of a failed REST call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all (first try included) for 5xx and network errors.
    pub attempts: u32,
    /// First backoff; doubled each retry.
    pub base: Duration,
    /// Longest backoff, and longest 429 wait honoured before giving up.
    pub max_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 5,
            base: Duration::from_millis(250),
            max_wait: Duration::from_secs(30),
        }
    }
}

/// Everything `backbot run` needs besides the content.
#[derive(Debug, Clone)]
pub struct Config {
    /// The bot token.
    pub token: Token,
    /// REST base replacing `https://discord.com` (proxy or fake Discord).
    pub api_base: Option<String>,
    /// The SQLite file.
    pub db: PathBuf,
    /// Register slash commands in this guild only.
    pub dev_guild: Option<u64>,
    /// Address of `/healthz` and `/metrics`.
    pub http_addr: Option<SocketAddr>,
    /// Passive reply limits.
    pub limits: Limits,
    /// REST retries.
    pub retry: RetryPolicy,
}

impl Config {
    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|k| std::env::var(k).ok())
    }

    /// Reads the configuration from any lookup (tests pass a map).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let nonempty = |k: &str| {
            get(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let token = Token::parse(&nonempty("DISCORD_TOKEN").ok_or(ConfigError::MissingToken)?)?;
        let api_base = match nonempty("DISCORD_API_BASE") {
            None => None,
            Some(b) => Some(parse_api_base(&b)?),
        };
        let db = nonempty("BACKBOT_DB").map_or_else(|| PathBuf::from("backbot.db"), PathBuf::from);
        let dev_guild = match nonempty("BACKBOT_DEV_GUILD") {
            None => None,
            Some(g) => Some(
                g.parse::<u64>()
                    .ok()
                    .filter(|&g| g != 0)
                    .ok_or(ConfigError::BadDevGuild(g))?,
            ),
        };
        let http_addr = match nonempty("BACKBOT_HTTP_ADDR") {
            None => None,
            Some(a) => Some(a.parse().map_err(|_| ConfigError::BadHttpAddr(a))?),
        };
        Ok(Config {
            token,
            api_base,
            db,
            dev_guild,
            http_addr,
            limits: Limits::default(),
            retry: RetryPolicy::default(),
        })
    }
}

fn parse_api_base(b: &str) -> Result<String, ConfigError> {
    let trimmed = b.trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("http://")
        .or_else(|| trimmed.strip_prefix("https://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains('/') && !host.contains(' ') => {
            Ok(trimmed.to_string())
        }
        _ => Err(ConfigError::BadApiBase(b.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    const TOKEN: &str = "MTAwMDAwMDAwMDAwMDAwMDAx.GabcDE.secretsecretsecretsecret";

    fn cfg(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn token_is_required_and_checked() {
        assert_eq!(cfg(&[]).unwrap_err(), ConfigError::MissingToken);
        assert_eq!(
            cfg(&[("DISCORD_TOKEN", "  ")]).unwrap_err(),
            ConfigError::MissingToken
        );
        for bad in ["abc", "a.b", "a..c", "a.b.c.d", "\"a.b.c\"", "a b.c.d"] {
            let e = cfg(&[("DISCORD_TOKEN", bad)]).unwrap_err();
            assert_eq!(e, ConfigError::MalformedToken, "{bad}");
            assert!(!e.to_string().contains(bad));
        }
        let c = cfg(&[("DISCORD_TOKEN", &format!("Bot {TOKEN}"))]).unwrap();
        assert_eq!(c.token.expose(), TOKEN);
    }

    #[test]
    fn token_never_printed() {
        let c = cfg(&[("DISCORD_TOKEN", TOKEN)]).unwrap();
        let shown = format!("{c:?} {} {:?}", c.token, c.token);
        assert!(!shown.contains("secret"), "{shown}");
        assert!(shown.contains("redacted"));
    }

    #[test]
    fn defaults_and_optional_values() {
        let c = cfg(&[("DISCORD_TOKEN", TOKEN)]).unwrap();
        assert_eq!(c.db, PathBuf::from("backbot.db"));
        assert_eq!(c.api_base, None);
        assert_eq!(c.dev_guild, None);
        assert_eq!(c.http_addr, None);
        let c = cfg(&[
            ("DISCORD_TOKEN", TOKEN),
            ("DISCORD_API_BASE", "http://127.0.0.1:3000/"),
            ("BACKBOT_DB", "/tmp/x.db"),
            ("BACKBOT_DEV_GUILD", "123"),
            ("BACKBOT_HTTP_ADDR", "127.0.0.1:9090"),
        ])
        .unwrap();
        assert_eq!(c.api_base.as_deref(), Some("http://127.0.0.1:3000"));
        assert_eq!(c.db, PathBuf::from("/tmp/x.db"));
        assert_eq!(c.dev_guild, Some(123));
        assert_eq!(c.http_addr, Some("127.0.0.1:9090".parse().unwrap()));
    }

    #[test]
    fn bad_values_say_which_variable() {
        let t = ("DISCORD_TOKEN", TOKEN);
        let e = cfg(&[t, ("DISCORD_API_BASE", "localhost:3000")]).unwrap_err();
        assert!(e.to_string().contains("DISCORD_API_BASE"));
        let e = cfg(&[t, ("BACKBOT_DEV_GUILD", "my server")]).unwrap_err();
        assert!(e.to_string().contains("BACKBOT_DEV_GUILD"));
        let e = cfg(&[t, ("BACKBOT_HTTP_ADDR", "9090")]).unwrap_err();
        assert!(e.to_string().contains("BACKBOT_HTTP_ADDR"));
    }
}
