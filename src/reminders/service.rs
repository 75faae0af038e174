//! The reminder service: subscriptions (one per user) mirrored from SQLite into
//! memory with a due index (`BTreeSet<(fire time, user)>`), the pure [`due`]
//! step that decides what to send at an instant, and the `/remind` commands and
//! buttons. Every change is committed to the store before memory is updated and
//! before the user is answered; a fire is recorded before it is handed out.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use tokio::sync::Notify;

use super::schedule::{
    current_streak, next_fire, on_due, parse_time, parse_zone, streak_after_done, Due,
    DEFAULT_GRACE,
};
use crate::reply::Reply;
use crate::store::reminders::{PendingFire, ReminderFilter, StoredReminder};
use crate::store::{Store, StoreError};

/// The user id of the console (`backbot chat`); never a Discord user.
pub const CONSOLE_USER: u64 = 0;

/// How long "Snooze" waits.
pub const SNOOZE: SignedDuration = SignedDuration::from_hours(1);

/// Longest pause.
pub const MAX_PAUSE_DAYS: i64 = 365;

/// An error of the reminder service.
#[derive(Debug, thiserror::Error)]
pub enum ReminderError {
    /// The store failed; nothing was changed in memory.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A thread panicked while holding the state.
    #[error("the reminder state was poisoned by a panic")]
    Poisoned,
}

/// Where a reminder is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dest {
    /// A direct message to the user.
    Dm,
    /// A server channel.
    Channel(u64),
    /// The console (`backbot chat`).
    Console,
}

/// Which stretches the stretch of the day rotates through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Routine {
    /// All seven: four stretches and three safe cracking techniques.
    #[default]
    All,
    /// The four stretches.
    Stretches,
    /// The three cracking techniques.
    Techniques,
}

impl Routine {
    /// Parses a typed name.
    pub fn parse(s: &str) -> Option<Routine> {
        match s.trim().to_ascii_lowercase().as_str() {
            "" | "all" => Some(Routine::All),
            "stretches" | "stretch" => Some(Routine::Stretches),
            "techniques" | "technique" | "cracking" => Some(Routine::Techniques),
            _ => None,
        }
    }

    /// The displayed name.
    pub fn as_str(self) -> &'static str {
        match self {
            Routine::All => "all",
            Routine::Stretches => "stretches",
            Routine::Techniques => "techniques",
        }
    }

    fn code(self) -> u8 {
        match self {
            Routine::All => 0,
            Routine::Stretches => 1,
            Routine::Techniques => 2,
        }
    }

    fn from_code(c: u8) -> Routine {
        match c {
            1 => Routine::Stretches,
            2 => Routine::Techniques,
            _ => Routine::All,
        }
    }

    /// The intent ids of the rotation, in order.
    pub fn items(self) -> Vec<&'static str> {
        use crate::catalogue::{STRETCHES, TECHNIQUES};
        let s = STRETCHES.iter().map(|(_, id)| *id);
        let t = TECHNIQUES.iter().map(|(_, id)| *id);
        match self {
            Routine::All => s.chain(t).collect(),
            Routine::Stretches => s.collect(),
            Routine::Techniques => t.collect(),
        }
    }
}

/// One user's daily reminder (compact: times in Unix seconds).
#[derive(Debug, Clone, PartialEq)]
pub struct Subscription {
    /// The user.
    pub user: u64,
    /// Local time of day, minutes after midnight.
    pub minute: u16,
    /// The user's time zone.
    pub tz: TimeZone,
    /// Where it is delivered.
    pub dest: Dest,
    /// Which rotation.
    pub routine: Routine,
    /// No daily reminder before this instant.
    pub paused_until: Option<i64>,
    /// A one-off reminder at this instant (Snooze).
    pub snoozed_until: Option<i64>,
    /// Consecutive days with Done (as of `last_done`).
    pub streak: u32,
    /// Local date of the last Done.
    pub last_done: Option<Date>,
    /// Local date of the last daily reminder sent.
    pub last_sent: Option<Date>,
    /// Why it no longer fires.
    pub disabled: Option<Box<str>>,
    /// The next daily slot.
    pub next_fire: i64,
    /// The DM channel, once opened.
    pub dm_channel: Option<u64>,
}

fn ts(s: i64) -> Timestamp {
    Timestamp::from_second(s).unwrap_or(Timestamp::MAX)
}

fn date_code(d: Date) -> i32 {
    i32::from(d.year()) * 10_000 + i32::from(d.month()) * 100 + i32::from(d.day())
}

fn code_date(c: i32) -> Option<Date> {
    Date::new(
        i16::try_from(c / 10_000).ok()?,
        i8::try_from(c / 100 % 100).ok()?,
        i8::try_from(c % 100).ok()?,
    )
    .ok()
}

impl Subscription {
    /// A new subscription with nothing set yet (midnight UTC, no streak).
    fn blank(user: u64, dest: Dest, routine: Routine) -> Subscription {
        Subscription {
            user,
            minute: 0,
            tz: TimeZone::UTC,
            dest,
            routine,
            paused_until: None,
            snoozed_until: None,
            streak: 0,
            last_done: None,
            last_sent: None,
            disabled: None,
            next_fire: 0,
            dm_channel: None,
        }
    }

    /// The local time of day.
    pub fn time(&self) -> Time {
        Time::new((self.minute / 60) as i8, (self.minute % 60) as i8, 0, 0).unwrap_or(Time::MIN)
    }

    /// The zone's IANA name.
    pub fn tz_name(&self) -> &str {
        self.tz.iana_name().unwrap_or("UTC")
    }

    /// When it next needs looking at (none when disabled).
    pub fn wake(&self) -> Option<i64> {
        if self.disabled.is_some() {
            return None;
        }
        Some(match self.snoozed_until {
            Some(s) => s.min(self.next_fire),
            None => self.next_fire,
        })
    }

    /// The local date of an instant in the user's zone.
    pub fn local_date(&self, at: Timestamp) -> Date {
        at.to_zoned(self.tz.clone()).date()
    }

    /// The next daily slot after `after`, never a second one on a local day
    /// that already had its reminder.
    fn next_slot(&self, after: Timestamp) -> i64 {
        let mut at = next_fire(self.time(), &self.tz, after);
        if self.last_sent == Some(self.local_date(at)) {
            at = next_fire(self.time(), &self.tz, at);
        }
        at.as_second()
    }

    fn to_stored(&self) -> StoredReminder<'_> {
        let (dest_kind, channel) = match self.dest {
            Dest::Dm => (0, None),
            Dest::Channel(c) => (1, Some(c)),
            Dest::Console => (2, None),
        };
        StoredReminder {
            user: self.user,
            minute: self.minute,
            tz: self.tz_name(),
            dest_kind,
            channel,
            routine: self.routine.code(),
            paused_until: self.paused_until,
            snoozed_until: self.snoozed_until,
            streak: self.streak,
            last_done: self.last_done.map(date_code),
            last_sent: self.last_sent.map(date_code),
            disabled_reason: self.disabled.as_deref(),
            next_fire: self.next_fire,
            dm_channel: self.dm_channel,
        }
    }

    fn from_stored(r: &StoredReminder<'_>, tz: TimeZone) -> Subscription {
        Subscription {
            user: r.user,
            minute: r.minute,
            tz,
            dest: match (r.dest_kind, r.channel) {
                (1, Some(c)) => Dest::Channel(c),
                (2, _) => Dest::Console,
                _ => Dest::Dm,
            },
            routine: Routine::from_code(r.routine),
            paused_until: r.paused_until,
            snoozed_until: r.snoozed_until,
            streak: r.streak,
            last_done: r.last_done.and_then(code_date),
            last_sent: r.last_sent.and_then(code_date),
            disabled: r.disabled_reason.map(Box::from),
            next_fire: r.next_fire,
            dm_channel: r.dm_channel,
        }
    }
}

/// Why a reminder is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FireKind {
    /// The daily reminder (late after downtime, within the grace period).
    Daily {
        /// Sent after its slot.
        late: bool,
    },
    /// One hour after Snooze.
    Snooze,
    /// `/remind test`.
    Test,
}

/// A reminder to deliver now.
#[derive(Debug, Clone, PartialEq)]
pub struct Fire {
    /// The user.
    pub user: u64,
    /// Where.
    pub dest: Dest,
    /// The DM channel, if already known.
    pub dm_channel: Option<u64>,
    /// Why.
    pub kind: FireKind,
    /// The user's local date (picks the stretch of the day).
    pub day: Date,
    /// The rotation.
    pub routine: Routine,
    /// The streak as of `day`.
    pub streak: u32,
    /// Derived from (user, local date, kind): a retry never duplicates.
    pub nonce: String,
}

/// The nonce of a reminder: at most 25 characters, the same for every attempt
/// at the same (user, local date, kind).
pub fn nonce(user: u64, day: Date, kind: FireKind, now: Timestamp) -> String {
    match kind {
        FireKind::Daily { .. } => format!("d{user:x}{:08}", date_code(day)),
        FireKind::Snooze => format!("s{user:x}{:08}", date_code(day)),
        // Each test is its own message.
        FireKind::Test => format!("t{user:x}{:x}", now.as_second() & 0xff_ffff),
    }
}

fn fire(sub: &Subscription, kind: FireKind, now: Timestamp, day: Date) -> Fire {
    Fire {
        user: sub.user,
        dest: sub.dest,
        dm_channel: sub.dm_channel,
        kind,
        day,
        routine: sub.routine,
        streak: current_streak(sub.streak, sub.last_done, day),
        nonce: nonce(sub.user, day, kind, now),
    }
}

/// One subscription at `now` (its wake time has come): the updated
/// subscription and what to send. A snooze and a daily slot due together send
/// one message; a missed slot beyond `grace` is skipped, never sent in a burst.
pub fn step(
    sub: &Subscription,
    now: Timestamp,
    grace: SignedDuration,
) -> (Subscription, Option<Fire>) {
    let mut s = sub.clone();
    let mut out = None;
    let n = now.as_second();
    if let Some(at) = s.snoozed_until.filter(|&at| at <= n) {
        s.snoozed_until = None;
        if let Due::Send { .. } = on_due(ts(at), now, grace) {
            out = Some(fire(&s, FireKind::Snooze, now, s.local_date(now)));
        }
    }
    if s.next_fire <= n {
        let slot = ts(s.next_fire);
        let day = s.local_date(slot);
        let paused = s.paused_until.is_some_and(|p| s.next_fire < p);
        if !paused && s.last_sent != Some(day) {
            if let Due::Send { late } = on_due(slot, now, grace) {
                s.last_sent = Some(day);
                let f = fire(&s, FireKind::Daily { late }, now, day);
                // The daily message replaces a snooze due at the same moment.
                out = Some(f);
            }
        }
        if s.paused_until.is_some_and(|p| p <= n) {
            s.paused_until = None;
        }
        s.next_fire = s.next_slot(now);
    }
    (s, out)
}

/// Everything due at `now`: the changed subscriptions with what to send, and
/// when to look again. Pure: reads the index and subscriptions, changes nothing.
pub fn due(
    now: Timestamp,
    index: &BTreeSet<(i64, u64)>,
    subs: &Subs,
    grace: SignedDuration,
) -> (Vec<(Subscription, Option<Fire>)>, Option<Timestamp>) {
    let n = now.as_second();
    let mut changes = Vec::new();
    let mut next: Option<i64> = None;
    for &(_, user) in index.range(..=(n, u64::MAX)) {
        if let Some(sub) = subs.get(&user) {
            let (s, f) = step(sub, now, grace);
            if let Some(w) = s.wake() {
                next = Some(next.map_or(w, |x| x.min(w)));
            }
            changes.push((s, f));
        }
    }
    if let Some(&(w, _)) = index.range((n + 1, 0)..).next() {
        next = Some(next.map_or(w, |x| x.min(w)));
    }
    (changes, next.map(ts))
}

/// A `/remind` command or button, whatever transport it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemindCommand {
    /// `/remind set time:<HH:MM> timezone:<IANA> [where] [routine]`.
    Set {
        /// "HH:MM".
        time: String,
        /// IANA zone name.
        timezone: String,
        /// "dm" or "here" (default: dm).
        place: Option<String>,
        /// "all", "stretches" or "techniques".
        routine: Option<String>,
    },
    /// `/remind show`.
    Show,
    /// `/remind off`.
    Off,
    /// `/remind pause days:<n>`.
    Pause {
        /// How many days.
        days: i64,
    },
    /// `/remind test`: one reminder now.
    Test,
    /// The Done button.
    Done,
    /// The Snooze 1 h button.
    Snooze,
    /// The Stop button.
    Stop,
}

/// A button under a reminder (plain data; adapters render it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Button {
    /// The component custom id.
    pub id: &'static str,
    /// The label.
    pub label: &'static str,
}

/// The buttons of every reminder.
pub const BUTTONS: [Button; 3] = [
    Button {
        id: "remind:done",
        label: "Done",
    },
    Button {
        id: "remind:snooze",
        label: "Snooze 1 h",
    },
    Button {
        id: "remind:stop",
        label: "Stop",
    },
];

impl RemindCommand {
    /// The command of a button's custom id.
    pub fn from_button(custom_id: &str) -> Option<RemindCommand> {
        match custom_id {
            "remind:done" => Some(RemindCommand::Done),
            "remind:snooze" => Some(RemindCommand::Snooze),
            "remind:stop" => Some(RemindCommand::Stop),
            _ => None,
        }
    }
}

/// Who runs a command, and what "here" means for them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    /// The user.
    pub user: u64,
    /// Where `where:here` delivers (the channel, or a DM when used in DMs).
    pub here: Dest,
    /// The console: every reminder is delivered to the console.
    pub console: bool,
}

/// The subscriptions by user: a dense vector plus a user -> slot map (a map
/// of whole subscriptions would double its table at a million entries).
#[derive(Debug, Default)]
pub struct Subs {
    slots: HashMap<u64, u32>,
    items: Vec<Subscription>,
}

impl Subs {
    /// A user's subscription.
    pub fn get(&self, user: &u64) -> Option<&Subscription> {
        self.slots
            .get(user)
            .and_then(|&i| self.items.get(i as usize))
    }

    /// Adds or replaces a user's subscription.
    pub fn insert(&mut self, user: u64, s: Subscription) {
        match self.slots.get(&user) {
            Some(&i) => {
                if let Some(slot) = self.items.get_mut(i as usize) {
                    *slot = s;
                }
            }
            None => {
                self.slots.insert(user, self.items.len() as u32);
                self.items.push(s);
            }
        }
    }

    /// Removes a user's subscription.
    pub fn remove(&mut self, user: &u64) -> Option<Subscription> {
        let i = self.slots.remove(user)? as usize;
        if i >= self.items.len() {
            return None;
        }
        let old = self.items.swap_remove(i);
        if let Some(moved) = self.items.get(i) {
            self.slots.insert(moved.user, i as u32);
        }
        Some(old)
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[derive(Debug, Default)]
struct State {
    subs: Subs,
    index: BTreeSet<(i64, u64)>,
    outbox: Vec<Fire>,
    /// Fires recorded before the last stop and never delivered.
    recovered: Vec<PendingFire>,
}

impl State {
    fn put(&mut self, s: Subscription) {
        self.remove(s.user);
        if let Some(w) = s.wake() {
            self.index.insert((w, s.user));
        }
        self.subs.insert(s.user, s);
    }

    fn remove(&mut self, user: u64) -> Option<Subscription> {
        let old = self.subs.remove(&user)?;
        if let Some(w) = old.wake() {
            self.index.remove(&(w, user));
        }
        Some(old)
    }
}

/// The reminder service: the store, the in-memory mirror and its due index.
#[derive(Debug)]
pub struct Reminders {
    store: Arc<Store>,
    state: Mutex<State>,
    changed: Notify,
    grace: SignedDuration,
}

impl Reminders {
    /// Loads the reminders matching `filter` from the store.
    pub fn load(store: Arc<Store>, filter: ReminderFilter) -> Result<Reminders, ReminderError> {
        let mut state = State::default();
        let mut zones: HashMap<String, TimeZone> = HashMap::new();
        let mut bad = 0usize;
        store.for_each_reminder(filter, |r| {
            let tz = match zones.get(r.tz) {
                Some(tz) => tz.clone(),
                None => match TimeZone::get(r.tz) {
                    Ok(tz) => {
                        zones.insert(r.tz.to_string(), tz.clone());
                        tz
                    }
                    Err(_) => {
                        bad += 1;
                        TimeZone::UTC
                    }
                },
            };
            let s = Subscription::from_stored(&r, tz);
            if let Some(w) = s.wake() {
                state.index.insert((w, s.user));
            }
            state.subs.insert(s.user, s);
        })?;
        if bad > 0 {
            tracing::warn!(
                count = bad,
                "reminders with an unknown time zone use UTC until set again"
            );
        }
        state.recovered = store.pending_fires()?;
        tracing::info!(
            count = state.subs.len(),
            undelivered = state.recovered.len(),
            "reminders loaded"
        );
        Ok(Reminders {
            store,
            state: Mutex::new(state),
            changed: Notify::new(),
            grace: DEFAULT_GRACE,
        })
    }

    /// Sets the grace period (default [`DEFAULT_GRACE`]).
    pub fn with_grace(mut self, grace: SignedDuration) -> Reminders {
        self.grace = grace;
        self
    }

    fn state(&self) -> Result<MutexGuard<'_, State>, ReminderError> {
        self.state.lock().map_err(|_| ReminderError::Poisoned)
    }

    /// Signalled when a command changed what is due (the loop looks again).
    pub fn changed(&self) -> &Notify {
        &self.changed
    }

    /// How many subscriptions are loaded.
    pub fn len(&self) -> usize {
        self.state().map_or(0, |s| s.subs.len())
    }

    /// Whether none is loaded.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A user's subscription.
    pub fn get(&self, user: u64) -> Option<Subscription> {
        self.state().ok()?.subs.get(&user).cloned()
    }

    /// The earliest wake time of any subscription.
    pub fn next_wake(&self) -> Option<Timestamp> {
        let st = self.state().ok()?;
        st.index.first().map(|&(w, _)| ts(w))
    }

    /// What to send at `now`: the queued tests and every reminder due. The
    /// fires are committed to the store first (a restart never sends the same
    /// day twice); on a store error nothing changes and the next tick retries.
    pub fn tick(&self, now: Timestamp) -> Result<Vec<Fire>, ReminderError> {
        let mut st = self.state()?;
        let mut fires = std::mem::take(&mut st.outbox);
        // Fires recorded before a stop and never delivered: again, with the
        // same nonce, while within the grace period; otherwise dropped.
        for p in std::mem::take(&mut st.recovered) {
            let late_by = now.as_second().saturating_sub(p.slot);
            let kind = match p.kind {
                2 => FireKind::Snooze,
                _ => FireKind::Daily { late: true },
            };
            match (st.subs.get(&p.user), code_date(p.day)) {
                (Some(sub), Some(day))
                    if late_by <= self.grace.as_secs() && sub.disabled.is_none() =>
                {
                    let mut f = fire(sub, kind, now, day);
                    f.nonce = p.nonce;
                    fires.push(f);
                }
                _ => self.settled(p.user, &p.nonce),
            }
        }
        let (changes, _) = due(now, &st.index, &st.subs, self.grace);
        if !changes.is_empty() {
            let rows: Vec<StoredReminder<'_>> =
                changes.iter().map(|(s, _)| s.to_stored()).collect();
            let pending: Vec<PendingFire> = changes
                .iter()
                .filter_map(|(_, f)| f.as_ref())
                .map(|f| PendingFire {
                    user: f.user,
                    nonce: f.nonce.clone(),
                    kind: match f.kind {
                        FireKind::Snooze => 2,
                        FireKind::Daily { late: true } => 1,
                        _ => 0,
                    },
                    day: date_code(f.day),
                    slot: now.as_second(),
                })
                .collect();
            self.store.save_fires(&rows, &pending)?;
        }
        for (s, f) in changes {
            fires.extend(f);
            st.put(s);
        }
        Ok(fires)
    }

    /// A fire was delivered (or never can be): forget it, so a restart does
    /// not send it again.
    pub fn settled(&self, user: u64, nonce: &str) {
        if let Err(e) = self.store.fire_settled(user, nonce) {
            tracing::error!(user, error = %e, "delivered reminder not recorded");
        }
    }

    /// The pure [`due`] step at `now` without applying it: how many are due
    /// and the next wake (benchmarks, diagnostics).
    pub fn preview(&self, now: Timestamp) -> (usize, Option<Timestamp>) {
        match self.state() {
            Ok(st) => {
                let (changes, next) = due(now, &st.index, &st.subs, self.grace);
                (changes.iter().filter(|(_, f)| f.is_some()).count(), next)
            }
            Err(_) => (0, None),
        }
    }

    /// Remembers a user's DM channel (saves one request per reminder).
    pub fn remember_dm_channel(&self, user: u64, channel: u64) -> Result<(), ReminderError> {
        self.update(user, |s| s.dm_channel = Some(channel))
    }

    /// Stops a reminder that cannot be delivered; `/remind show` tells why.
    pub fn disable(&self, user: u64, reason: &str) -> Result<(), ReminderError> {
        tracing::info!(user, reason, "reminder disabled");
        self.update(user, |s| s.disabled = Some(reason.into()))
    }

    fn update(&self, user: u64, f: impl FnOnce(&mut Subscription)) -> Result<(), ReminderError> {
        let mut st = self.state()?;
        let Some(mut s) = st.subs.get(&user).cloned() else {
            return Ok(());
        };
        f(&mut s);
        self.store.save_reminders(&[s.to_stored()])?;
        st.put(s);
        Ok(())
    }

    /// Runs a command; the reply is plain data. A `test` queues a fire for the
    /// next tick and wakes the loop.
    pub fn command(&self, caller: Caller, cmd: &RemindCommand, now: Timestamp) -> Reply {
        match self.command_inner(caller, cmd, now) {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(user = caller.user, error = %e, "reminder command failed");
                Reply::error(
                    "Reminder not saved",
                    "I could not save your reminder right now; nothing was changed. Please try again in a minute.",
                )
            }
        }
    }

    fn command_inner(
        &self,
        caller: Caller,
        cmd: &RemindCommand,
        now: Timestamp,
    ) -> Result<Reply, ReminderError> {
        let user = caller.user;
        let mut st = self.state()?;
        let existing = st.subs.get(&user).cloned();
        let none = || {
            Reply::info(
                "No reminder",
                "You have no daily stretch reminder. Set one with /remind set time:07:30 timezone:Europe/Berlin",
            )
        };
        match cmd {
            RemindCommand::Set {
                time,
                timezone,
                place,
                routine,
            } => {
                let t = match parse_time(time) {
                    Ok(t) => t,
                    Err(e) => return Ok(Reply::error("Not a time", e.to_string())),
                };
                let tz = match parse_zone(timezone) {
                    Ok((_, tz)) => tz,
                    Err(e) => return Ok(Reply::error("Unknown time zone", e.to_string())),
                };
                let dest = if caller.console {
                    Dest::Console
                } else {
                    match place.as_deref().map(|p| p.trim().to_ascii_lowercase()) {
                        None => Dest::Dm,
                        Some(p) if p.is_empty() || p == "dm" => Dest::Dm,
                        Some(p) if p == "here" => caller.here,
                        Some(p) => {
                            return Ok(Reply::error(
                                "Where?",
                                format!(
                                    "{:?} is not a place: use where:dm (a direct message) or where:here (this channel).",
                                    p.chars().take(40).collect::<String>()
                                ),
                            ))
                        }
                    }
                };
                let routine = match routine.as_deref().map(Routine::parse) {
                    None => existing.as_ref().map_or(Routine::All, |s| s.routine),
                    Some(Some(r)) => r,
                    Some(None) => {
                        return Ok(Reply::error(
                            "Unknown routine",
                            "Choose a routine: all, stretches or techniques.",
                        ))
                    }
                };
                let mut s = existing.unwrap_or_else(|| Subscription::blank(user, dest, routine));
                s.minute = (t.hour() as u16) * 60 + t.minute() as u16;
                s.tz = tz;
                s.dest = dest;
                s.routine = routine;
                s.paused_until = None;
                s.disabled = None;
                s.next_fire = s.next_slot(now);
                self.store.save_reminders(&[s.to_stored()])?;
                st.put(s.clone());
                drop(st);
                self.changed.notify_one();
                Ok(Reply {
                    title: "Daily stretch reminder set".into(),
                    ..describe(&s, now)
                })
            }
            RemindCommand::Show => Ok(existing.map_or_else(none, |s| describe(&s, now))),
            RemindCommand::Off | RemindCommand::Stop => {
                if existing.is_none() {
                    return Ok(none());
                }
                self.store.delete_reminder(user)?;
                st.remove(user);
                Ok(Reply::info(
                    "Reminder stopped",
                    "Your daily stretch reminder is off. Set a new one any time with /remind set.",
                ))
            }
            RemindCommand::Pause { days } => {
                let Some(mut s) = existing else {
                    return Ok(none());
                };
                if !(1..=MAX_PAUSE_DAYS).contains(days) {
                    return Ok(Reply::error(
                        "How many days?",
                        format!("Pause for 1 to {MAX_PAUSE_DAYS} days, for example /remind pause days:3."),
                    ));
                }
                let until = now
                    .checked_add(SignedDuration::from_hours(24 * days))
                    .unwrap_or(Timestamp::MAX);
                s.paused_until = Some(until.as_second());
                self.store.save_reminders(&[s.to_stored()])?;
                st.put(s.clone());
                let resume = s.next_slot(until);
                Ok(Reply::info(
                    "Reminder paused",
                    format!(
                        "No reminders for {days} day(s). The next one: {}.",
                        when(&s, ts(resume))
                    ),
                ))
            }
            RemindCommand::Test => {
                // Without a reminder, a test goes by DM: never public by surprise.
                let dest = if caller.console {
                    Dest::Console
                } else {
                    Dest::Dm
                };
                let s = existing.unwrap_or_else(|| Subscription::blank(user, dest, Routine::All));
                st.outbox
                    .push(fire(&s, FireKind::Test, now, s.local_date(now)));
                drop(st);
                self.changed.notify_one();
                Ok(Reply::info(
                    "Test reminder",
                    "A test reminder is on its way.",
                ))
            }
            RemindCommand::Done => {
                let Some(mut s) = existing else {
                    return Ok(none());
                };
                let today = s.local_date(now);
                let again = s.last_done == Some(today);
                s.streak = streak_after_done(s.streak, s.last_done, today);
                s.last_done = Some(today);
                self.store.save_reminders(&[s.to_stored()])?;
                st.put(s.clone());
                let days = if s.streak == 1 { "day" } else { "days" };
                Ok(Reply::info(
                    if again {
                        "Already counted today"
                    } else {
                        "Well done!"
                    },
                    format!("Streak: {} {days} in a row.", s.streak),
                ))
            }
            RemindCommand::Snooze => {
                let Some(mut s) = existing else {
                    return Ok(none());
                };
                let at = now.checked_add(SNOOZE).unwrap_or(Timestamp::MAX);
                s.snoozed_until = Some(at.as_second());
                self.store.save_reminders(&[s.to_stored()])?;
                st.put(s.clone());
                drop(st);
                self.changed.notify_one();
                Ok(Reply::info(
                    "Snoozed",
                    format!("I'll remind you again at {}.", when(&s, at)),
                ))
            }
        }
    }
}

/// An instant in the user's zone, with a Discord relative timestamp.
pub fn when(s: &Subscription, at: Timestamp) -> String {
    let z = at.to_zoned(s.tz.clone());
    format!(
        "{} (<t:{}:R>)",
        z.strftime("%a %-d %b %Y %H:%M %Z"),
        at.as_second()
    )
}

/// `/remind show`: the settings, the next time, the streak, and why it is off.
pub fn describe(s: &Subscription, now: Timestamp) -> Reply {
    let place = match s.dest {
        Dest::Dm => "by direct message".to_string(),
        Dest::Channel(c) => format!("in <#{c}>"),
        Dest::Console => "in the console".to_string(),
    };
    let mut text = vec![format!(
        "Every day at {} ({}), {place}. Routine: {}.",
        s.time().strftime("%H:%M"),
        s.tz_name(),
        s.routine.as_str()
    )];
    match &s.disabled {
        Some(reason) => text.push(format!(
            "Not sending: {reason}. Run /remind set again to turn it back on."
        )),
        None => {
            let mut next = s.next_fire;
            if let Some(p) = s.paused_until.filter(|&p| p > now.as_second()) {
                text.push(format!("Paused until {}.", when(s, ts(p))));
                if next < p {
                    next = s.next_slot(ts(p));
                }
            }
            text.push(format!("Next: {}.", when(s, ts(next))));
            if let Some(sn) = s.snoozed_until {
                text.push(format!("Snoozed until {}.", when(s, ts(sn))));
            }
        }
    }
    let streak = current_streak(s.streak, s.last_done, s.local_date(now));
    text.push(format!(
        "Streak: {streak} {} in a row.",
        if streak == 1 { "day" } else { "days" }
    ));
    Reply {
        kind: Some(crate::reply::ReplyKind::Info),
        title: "Your daily stretch reminder".into(),
        text,
        ..Reply::default()
    }
}
