//! Daily stretch reminders in SQLite: one row per user (time, zone, where,
//! routine, pause, snooze, streak, next fire). Every change is one upsert (or a
//! batch in one transaction) committed before the caller acknowledges it.

use rusqlite::{params, Row};

use super::{from_sql_id, to_sql_id, Schema, Store, StoreError};

/// The reminders component's migrations.
pub(crate) const SCHEMA: Schema = Schema {
    component: "reminders",
    migrations: &[
        "CREATE TABLE reminders (
             user_id         INTEGER PRIMARY KEY,
             minute          INTEGER NOT NULL,
             tz              TEXT NOT NULL,
             dest_kind       INTEGER NOT NULL,
             channel_id      INTEGER,
             routine         INTEGER NOT NULL DEFAULT 0,
             paused_until    INTEGER,
             snoozed_until   INTEGER,
             streak          INTEGER NOT NULL DEFAULT 0,
             last_done       INTEGER,
             last_sent       INTEGER,
             disabled_reason TEXT,
             next_fire       INTEGER NOT NULL,
             dm_channel      INTEGER
         );",
        // v2: reminders recorded as fired but not yet delivered. A restart
        // sends them again (same nonce) while within the grace period.
        "CREATE TABLE reminder_outbox (
             user_id INTEGER NOT NULL,
             nonce   TEXT NOT NULL,
             kind    INTEGER NOT NULL,
             day     INTEGER NOT NULL,
             slot    INTEGER NOT NULL,
             PRIMARY KEY (user_id, nonce)
         );",
    ],
};

/// A reminder recorded as fired and not yet delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingFire {
    /// The user.
    pub user: u64,
    /// The nonce it is sent with (the same on every attempt).
    pub nonce: String,
    /// 0 = daily, 1 = daily sent late, 2 = snooze.
    pub kind: u8,
    /// Its local date, `YYYYMMDD`.
    pub day: i32,
    /// When it was due (Unix seconds), for the grace rule.
    pub slot: i64,
}

/// One stored reminder, in the database's terms (times in Unix seconds, local
/// dates as `YYYYMMDD`). The reminders service converts it to its own type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredReminder<'a> {
    /// The Discord user (0 = the console user).
    pub user: u64,
    /// Local time of day, minutes after midnight.
    pub minute: u16,
    /// IANA time-zone name.
    pub tz: &'a str,
    /// 0 = DM, 1 = a channel, 2 = the console.
    pub dest_kind: u8,
    /// The channel when `dest_kind` is 1.
    pub channel: Option<u64>,
    /// 0 = all, 1 = stretches, 2 = techniques.
    pub routine: u8,
    /// No daily reminder before this instant.
    pub paused_until: Option<i64>,
    /// A one-off reminder at this instant.
    pub snoozed_until: Option<i64>,
    /// Consecutive days with Done.
    pub streak: u32,
    /// Local date of the last Done.
    pub last_done: Option<i32>,
    /// Local date of the last daily reminder sent.
    pub last_sent: Option<i32>,
    /// Why the reminder no longer fires (DMs closed...).
    pub disabled_reason: Option<&'a str>,
    /// The next daily slot.
    pub next_fire: i64,
    /// The user's DM channel, once opened.
    pub dm_channel: Option<u64>,
}

const COLUMNS: &str = "user_id, minute, tz, dest_kind, channel_id, routine, paused_until, \
     snoozed_until, streak, last_done, last_sent, disabled_reason, next_fire, dm_channel";

fn read<T>(r: &Row<'_>, f: impl FnOnce(StoredReminder<'_>) -> T) -> rusqlite::Result<T> {
    let tz = r.get_ref(2)?.as_str()?;
    let disabled = r.get_ref(11)?.as_str_or_null()?;
    Ok(f(StoredReminder {
        user: from_sql_id(r.get(0)?),
        minute: r.get::<_, i64>(1)?.clamp(0, 24 * 60 - 1) as u16,
        tz,
        dest_kind: r.get::<_, i64>(3)?.clamp(0, 255) as u8,
        channel: r.get::<_, Option<i64>>(4)?.map(from_sql_id),
        routine: r.get::<_, i64>(5)?.clamp(0, 255) as u8,
        paused_until: r.get(6)?,
        snoozed_until: r.get(7)?,
        streak: r.get::<_, i64>(8)?.clamp(0, u32::MAX as i64) as u32,
        last_done: r.get(9)?,
        last_sent: r.get(10)?,
        disabled_reason: disabled,
        next_fire: r.get(12)?,
        dm_channel: r.get::<_, Option<i64>>(13)?.map(from_sql_id),
    }))
}

const UPSERT: &str = "INSERT INTO reminders (user_id, minute, tz, dest_kind, channel_id, routine, \
     paused_until, snoozed_until, streak, last_done, last_sent, disabled_reason, next_fire, dm_channel)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
     ON CONFLICT(user_id) DO UPDATE SET minute = excluded.minute, tz = excluded.tz,
       dest_kind = excluded.dest_kind, channel_id = excluded.channel_id, routine = excluded.routine,
       paused_until = excluded.paused_until, snoozed_until = excluded.snoozed_until,
       streak = excluded.streak, last_done = excluded.last_done, last_sent = excluded.last_sent,
       disabled_reason = excluded.disabled_reason, next_fire = excluded.next_fire,
       dm_channel = excluded.dm_channel";

fn upsert(stmt: &mut rusqlite::Statement<'_>, r: &StoredReminder<'_>) -> rusqlite::Result<usize> {
    stmt.execute(params![
        to_sql_id(r.user),
        i64::from(r.minute),
        r.tz,
        i64::from(r.dest_kind),
        r.channel.map(to_sql_id),
        i64::from(r.routine),
        r.paused_until,
        r.snoozed_until,
        i64::from(r.streak),
        r.last_done,
        r.last_sent,
        r.disabled_reason,
        r.next_fire,
        r.dm_channel.map(to_sql_id),
    ])
}

/// Which reminders to load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderFilter {
    /// Every user's.
    All,
    /// Every user's but this one (the bot skips the console user).
    AllBut(u64),
    /// One user's (the console).
    Only(u64),
}

impl Store {
    /// Calls `f` for every stored reminder matching `filter` (no row is kept
    /// in memory here: one million load without a million strings).
    pub fn for_each_reminder(
        &self,
        filter: ReminderFilter,
        mut f: impl FnMut(StoredReminder<'_>),
    ) -> Result<(), StoreError> {
        let conn = self.conn()?;
        let (sql, arg) = match filter {
            ReminderFilter::All => (format!("SELECT {COLUMNS} FROM reminders"), None),
            ReminderFilter::AllBut(u) => (
                format!("SELECT {COLUMNS} FROM reminders WHERE user_id <> ?1"),
                Some(to_sql_id(u)),
            ),
            ReminderFilter::Only(u) => (
                format!("SELECT {COLUMNS} FROM reminders WHERE user_id = ?1"),
                Some(to_sql_id(u)),
            ),
        };
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = match arg {
            Some(a) => stmt.query([a])?,
            None => stmt.query([])?,
        };
        while let Some(row) = rows.next()? {
            read(row, &mut f)?;
        }
        Ok(())
    }

    /// Writes (inserts or replaces) reminders in one transaction.
    pub fn save_reminders(&self, rows: &[StoredReminder<'_>]) -> Result<(), StoreError> {
        if rows.is_empty() {
            return Ok(());
        }
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(UPSERT)?;
            for r in rows {
                upsert(&mut stmt, r)?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Writes reminders and the fires they produced in one transaction.
    pub fn save_fires(
        &self,
        rows: &[StoredReminder<'_>],
        fires: &[PendingFire],
    ) -> Result<(), StoreError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(UPSERT)?;
            for r in rows {
                upsert(&mut stmt, r)?;
            }
            let mut out = tx.prepare_cached("INSERT OR REPLACE INTO reminder_outbox (user_id, nonce, kind, day, slot) VALUES (?1, ?2, ?3, ?4, ?5)")?;
            for f in fires {
                out.execute(params![
                    to_sql_id(f.user),
                    f.nonce,
                    i64::from(f.kind),
                    f.day,
                    f.slot
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Every fire not yet delivered.
    pub fn pending_fires(&self) -> Result<Vec<PendingFire>, StoreError> {
        let conn = self.conn()?;
        let mut stmt =
            conn.prepare("SELECT user_id, nonce, kind, day, slot FROM reminder_outbox")?;
        let rows = stmt.query_map([], |r| {
            Ok(PendingFire {
                user: from_sql_id(r.get(0)?),
                nonce: r.get(1)?,
                kind: r.get::<_, i64>(2)?.clamp(0, 255) as u8,
                day: r.get(3)?,
                slot: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Forgets a fire once it is delivered (or can never be).
    pub fn fire_settled(&self, user: u64, nonce: &str) -> Result<(), StoreError> {
        let conn = self.conn()?;
        conn.execute(
            "DELETE FROM reminder_outbox WHERE user_id = ?1 AND nonce = ?2",
            params![to_sql_id(user), nonce],
        )?;
        Ok(())
    }

    /// Removes a user's reminder; true when there was one.
    pub fn delete_reminder(&self, user: u64) -> Result<bool, StoreError> {
        let conn = self.conn()?;
        let n = conn.execute(
            "DELETE FROM reminders WHERE user_id = ?1",
            [to_sql_id(user)],
        )?;
        Ok(n > 0)
    }

    /// How many reminders are stored.
    pub fn count_reminders(&self) -> Result<u64, StoreError> {
        let conn = self.conn()?;
        let n: i64 = conn.query_row("SELECT COUNT(*) FROM reminders", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(user: u64) -> StoredReminder<'static> {
        StoredReminder {
            user,
            minute: 450,
            tz: "Europe/Berlin",
            dest_kind: 1,
            channel: Some(u64::MAX - 3),
            routine: 2,
            paused_until: Some(10),
            snoozed_until: None,
            streak: 4,
            last_done: Some(20260110),
            last_sent: Some(20260111),
            disabled_reason: Some("DMs closed"),
            next_fire: 1_800_000_000,
            dm_channel: None,
        }
    }

    #[test]
    fn saves_loads_filters_and_deletes() {
        let store = Store::open_in_memory().unwrap();
        store
            .save_reminders(&[row(0), row(7), row(u64::MAX - 1)])
            .unwrap();
        let mut seen = Vec::new();
        store
            .for_each_reminder(ReminderFilter::AllBut(0), |r| {
                assert_eq!(
                    r,
                    StoredReminder {
                        user: r.user,
                        ..row(r.user)
                    }
                );
                seen.push(r.user)
            })
            .unwrap();
        seen.sort();
        assert_eq!(seen, [7, u64::MAX - 1]);
        let mut only = Vec::new();
        store
            .for_each_reminder(ReminderFilter::Only(0), |r| only.push(r.user))
            .unwrap();
        assert_eq!(only, [0]);
        // Upsert replaces.
        let mut changed = row(7);
        changed.streak = 5;
        changed.disabled_reason = None;
        store.save_reminders(&[changed.clone()]).unwrap();
        let mut got = None;
        store
            .for_each_reminder(ReminderFilter::Only(7), |r| {
                got = Some((r.streak, r.disabled_reason.map(str::to_string)))
            })
            .unwrap();
        assert_eq!(got, Some((5, None)));
        assert!(store.delete_reminder(7).unwrap());
        assert!(!store.delete_reminder(7).unwrap());
        assert_eq!(store.count_reminders().unwrap(), 2);
    }
}
