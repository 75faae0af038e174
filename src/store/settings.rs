//! Per-guild settings (listening channels, red-flag watch scope, moderator alert
//! channel) and a small key-value table for bot state (where commands are registered).

use std::collections::{BTreeSet, HashMap};

use rusqlite::OptionalExtension;

use super::{from_sql_id, to_sql_id, Schema, Store, StoreError};

/// The settings component's migrations.
pub(crate) const SCHEMA: Schema = Schema {
    component: "settings",
    migrations: &["CREATE TABLE guild_settings (
             guild_id         INTEGER PRIMARY KEY,
             red_flag_scope   TEXT NOT NULL DEFAULT 'all',
             alert_channel_id INTEGER
         );
         CREATE TABLE listening_channels (
             guild_id   INTEGER NOT NULL,
             channel_id INTEGER NOT NULL,
             PRIMARY KEY (guild_id, channel_id)
         );
         CREATE TABLE bot_state (
             key   TEXT PRIMARY KEY,
             value TEXT NOT NULL
         );"],
};

/// Where red flags are escalated in a guild (DMs and mentions are always checked).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RedFlagScope {
    /// Every channel the bot can read (the default).
    #[default]
    All,
    /// Only the listening channels (and mentions).
    Listening,
}

impl RedFlagScope {
    /// The stored and displayed name.
    pub fn as_str(self) -> &'static str {
        match self {
            RedFlagScope::All => "all",
            RedFlagScope::Listening => "listening",
        }
    }

    /// Parses a stored or typed name.
    pub fn parse(s: &str) -> Option<RedFlagScope> {
        match s {
            "all" => Some(RedFlagScope::All),
            "listening" => Some(RedFlagScope::Listening),
            _ => None,
        }
    }
}

/// One guild's settings; the defaults apply to a guild nobody configured.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct GuildSettings {
    /// Channels where the bot answers matched questions without being mentioned.
    pub listening: BTreeSet<u64>,
    /// Where red flags are escalated.
    pub red_flag_scope: RedFlagScope,
    /// Channel that receives a notice for every escalated red flag.
    pub alert_channel: Option<u64>,
}

impl Store {
    /// Every configured guild's settings (loaded once at start into memory).
    pub fn all_guild_settings(&self) -> Result<HashMap<u64, GuildSettings>, StoreError> {
        let conn = self.conn()?;
        let mut out: HashMap<u64, GuildSettings> = HashMap::new();
        let mut stmt =
            conn.prepare("SELECT guild_id, red_flag_scope, alert_channel_id FROM guild_settings")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<i64>>(2)?,
            ))
        })?;
        for row in rows {
            let (guild, scope, alert) = row?;
            let s = out.entry(from_sql_id(guild)).or_default();
            s.red_flag_scope = RedFlagScope::parse(&scope).unwrap_or_default();
            s.alert_channel = alert.map(from_sql_id);
        }
        let mut stmt = conn.prepare("SELECT guild_id, channel_id FROM listening_channels")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (guild, channel) = row?;
            out.entry(from_sql_id(guild))
                .or_default()
                .listening
                .insert(from_sql_id(channel));
        }
        Ok(out)
    }

    /// One guild's settings (defaults when never configured).
    pub fn guild_settings(&self, guild: u64) -> Result<GuildSettings, StoreError> {
        let conn = self.conn()?;
        let mut s = GuildSettings::default();
        let row: Option<(String, Option<i64>)> = conn
            .query_row(
                "SELECT red_flag_scope, alert_channel_id FROM guild_settings WHERE guild_id = ?1",
                [to_sql_id(guild)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((scope, alert)) = row {
            s.red_flag_scope = RedFlagScope::parse(&scope).unwrap_or_default();
            s.alert_channel = alert.map(from_sql_id);
        }
        let mut stmt =
            conn.prepare("SELECT channel_id FROM listening_channels WHERE guild_id = ?1")?;
        let rows = stmt.query_map([to_sql_id(guild)], |r| r.get::<_, i64>(0))?;
        for c in rows {
            s.listening.insert(from_sql_id(c?));
        }
        Ok(s)
    }

    /// Turns listening on or off in one channel.
    pub fn set_listening(&self, guild: u64, channel: u64, on: bool) -> Result<(), StoreError> {
        let conn = self.conn()?;
        if on {
            conn.execute(
                "INSERT OR IGNORE INTO listening_channels (guild_id, channel_id) VALUES (?1, ?2)",
                [to_sql_id(guild), to_sql_id(channel)],
            )?;
        } else {
            conn.execute(
                "DELETE FROM listening_channels WHERE guild_id = ?1 AND channel_id = ?2",
                [to_sql_id(guild), to_sql_id(channel)],
            )?;
        }
        Ok(())
    }

    /// Sets where red flags are escalated.
    pub fn set_red_flag_scope(&self, guild: u64, scope: RedFlagScope) -> Result<(), StoreError> {
        self.conn()?.execute(
            "INSERT INTO guild_settings (guild_id, red_flag_scope) VALUES (?1, ?2)
             ON CONFLICT(guild_id) DO UPDATE SET red_flag_scope = excluded.red_flag_scope",
            rusqlite::params![to_sql_id(guild), scope.as_str()],
        )?;
        Ok(())
    }

    /// Sets (or clears) the moderator alert channel.
    pub fn set_alert_channel(&self, guild: u64, channel: Option<u64>) -> Result<(), StoreError> {
        self.conn()?.execute(
            "INSERT INTO guild_settings (guild_id, alert_channel_id) VALUES (?1, ?2)
             ON CONFLICT(guild_id) DO UPDATE SET alert_channel_id = excluded.alert_channel_id",
            rusqlite::params![to_sql_id(guild), channel.map(to_sql_id)],
        )?;
        Ok(())
    }

    /// A bot state value (e.g. `commands_guild`).
    pub fn state(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()?
            .query_row("SELECT value FROM bot_state WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Sets or (with `None`) removes a bot state value.
    pub fn set_state(&self, key: &str, value: Option<&str>) -> Result<(), StoreError> {
        let conn = self.conn()?;
        match value {
            Some(v) => conn.execute(
                "INSERT INTO bot_state (key, value) VALUES (?1, ?2)
                 ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [key, v],
            )?,
            None => conn.execute("DELETE FROM bot_state WHERE key = ?1", [key])?,
        };
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unconfigured_guild_gets_defaults() {
        let s = Store::open_in_memory().unwrap();
        assert_eq!(s.guild_settings(7).unwrap(), GuildSettings::default());
        assert!(s.all_guild_settings().unwrap().is_empty());
    }

    #[test]
    fn settings_round_trip() {
        let s = Store::open_in_memory().unwrap();
        s.set_listening(7, 70, true).unwrap();
        s.set_listening(7, 71, true).unwrap();
        s.set_listening(7, 71, true).unwrap();
        s.set_listening(7, 70, false).unwrap();
        s.set_red_flag_scope(7, RedFlagScope::Listening).unwrap();
        s.set_alert_channel(7, Some(99)).unwrap();
        s.set_alert_channel(8, Some(5)).unwrap();
        s.set_alert_channel(8, None).unwrap();
        let g = s.guild_settings(7).unwrap();
        assert_eq!(g.listening.iter().copied().collect::<Vec<_>>(), vec![71]);
        assert_eq!(g.red_flag_scope, RedFlagScope::Listening);
        assert_eq!(g.alert_channel, Some(99));
        let all = s.all_guild_settings().unwrap();
        assert_eq!(all.get(&7), Some(&g));
        assert_eq!(all.get(&8).map(|g| g.alert_channel), Some(None));
    }

    #[test]
    fn state_values() {
        let s = Store::open_in_memory().unwrap();
        assert_eq!(s.state("k").unwrap(), None);
        s.set_state("k", Some("1")).unwrap();
        s.set_state("k", Some("2")).unwrap();
        assert_eq!(s.state("k").unwrap().as_deref(), Some("2"));
        s.set_state("k", None).unwrap();
        assert_eq!(s.state("k").unwrap(), None);
    }
}
