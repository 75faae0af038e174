//! Daily reminders through the service with a fake clock (never sleeping):
//! firing once a day, grace after downtime, pause, snooze, streaks, stop,
//! restart from the same SQLite file, the delivery queue's pacing, the
//! scheduler loop with a fake delivery, and the console commands.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use backbot::reminders::runner::{self, Deliver, Delivered};
use backbot::reminders::service::{describe, nonce};
use backbot::reminders::{
    message, Caller, Clock, Dest, FakeClock, Fire, FireKind, Limits, Pop, Queue, RemindCommand,
    Reminders, Routine, CONSOLE_USER,
};
use backbot::store::reminders::ReminderFilter;
use backbot::store::Store;
use jiff::{SignedDuration, Timestamp};

const ALICE: u64 = 1_000_000_000_000_000_002;

fn at(s: &str) -> Timestamp {
    s.parse().expect("timestamp")
}

fn service() -> Reminders {
    Reminders::load(
        Arc::new(Store::open_in_memory().expect("store")),
        ReminderFilter::All,
    )
    .expect("load")
}

fn alice() -> Caller {
    Caller {
        user: ALICE,
        here: Dest::Channel(42),
        console: false,
    }
}

fn set(r: &Reminders, time: &str, tz: &str, now: Timestamp) -> String {
    let reply = r.command(
        alice(),
        &RemindCommand::Set {
            time: time.into(),
            timezone: tz.into(),
            place: None,
            routine: None,
        },
        now,
    );
    reply.text.join("\n")
}

fn kinds(fires: &[Fire]) -> Vec<FireKind> {
    fires.iter().map(|f| f.kind).collect()
}

#[test]
fn fires_once_a_day_at_local_time() {
    let r = service();
    let text = set(&r, "09:00", "Europe/Berlin", at("2026-01-10T06:00:00Z"));
    assert!(
        text.contains("Every day at 09:00 (Europe/Berlin)"),
        "{text}"
    );
    assert!(text.contains("<t:1768032000:R>"), "{text}");
    assert!(r.tick(at("2026-01-10T07:59:59Z")).unwrap().is_empty());
    let fires = r.tick(at("2026-01-10T08:00:00Z")).unwrap();
    assert_eq!(kinds(&fires), [FireKind::Daily { late: false }]);
    assert_eq!(fires[0].dest, Dest::Dm);
    assert_eq!(fires[0].nonce, format!("d{ALICE:x}20260110"));
    assert!(fires[0].nonce.len() <= 25);
    assert!(r.tick(at("2026-01-10T08:00:30Z")).unwrap().is_empty());
    assert!(r.tick(at("2026-01-10T20:00:00Z")).unwrap().is_empty());
    assert_eq!(r.next_wake(), Some(at("2026-01-11T08:00:00Z")));
    assert_eq!(r.tick(at("2026-01-11T08:00:00Z")).unwrap().len(), 1);
}

#[test]
fn dst_gap_fires_at_first_valid_minute_and_changing_time_never_doubles_a_day() {
    let r = service();
    set(&r, "02:30", "Europe/Berlin", at("2026-03-28T12:00:00Z"));
    assert_eq!(
        r.next_wake(),
        Some(at("2026-03-29T01:00:00Z")),
        "03:00 CEST"
    );
    assert_eq!(r.tick(at("2026-03-29T01:00:00Z")).unwrap().len(), 1);
    // Already sent today: moving the time to later today waits for tomorrow.
    set(&r, "18:00", "Europe/Berlin", at("2026-03-29T02:00:00Z"));
    assert_eq!(r.next_wake(), Some(at("2026-03-30T16:00:00Z")));
}

#[test]
fn grace_rule_late_once_then_skip_never_a_burst() {
    let r = service();
    set(&r, "09:00", "UTC", at("2026-01-10T06:00:00Z"));
    // Down from 08:00 to 10:30: missed by 1.5 h, sent late once.
    let fires = r.tick(at("2026-01-10T10:30:00Z")).unwrap();
    assert_eq!(kinds(&fires), [FireKind::Daily { late: true }]);
    assert!(r.tick(at("2026-01-10T10:31:00Z")).unwrap().is_empty());
    // Down for five days: nothing now (3 h late), no burst; the next day fires.
    let fires = r.tick(at("2026-01-15T12:00:00Z")).unwrap();
    assert!(fires.is_empty(), "{fires:?}");
    assert_eq!(r.next_wake(), Some(at("2026-01-16T09:00:00Z")));
    assert_eq!(r.tick(at("2026-01-16T09:00:00Z")).unwrap().len(), 1);
}

#[test]
fn pause_skips_days_and_resumes() {
    let r = service();
    let now = at("2026-01-10T06:00:00Z");
    set(&r, "09:00", "UTC", now);
    let reply = r.command(alice(), &RemindCommand::Pause { days: 2 }, now);
    assert!(reply.text[0].contains("2 day(s)"), "{reply:?}");
    assert!(reply.text[0].contains("Mon 12 Jan 2026 09:00"), "{reply:?}");
    assert!(r.tick(at("2026-01-10T09:00:00Z")).unwrap().is_empty());
    assert!(r.tick(at("2026-01-11T09:00:00Z")).unwrap().is_empty());
    assert_eq!(r.tick(at("2026-01-12T09:00:00Z")).unwrap().len(), 1);
    let bad = r.command(alice(), &RemindCommand::Pause { days: 0 }, now);
    assert_eq!(bad.title, "How many days?");
}

#[test]
fn snooze_fires_once_an_hour_later() {
    let r = service();
    set(&r, "09:00", "UTC", at("2026-01-10T06:00:00Z"));
    assert_eq!(r.tick(at("2026-01-10T09:00:00Z")).unwrap().len(), 1);
    let reply = r.command(alice(), &RemindCommand::Snooze, at("2026-01-10T09:01:00Z"));
    assert!(reply.text[0].contains("10:01"), "{reply:?}");
    assert_eq!(r.next_wake(), Some(at("2026-01-10T10:01:00Z")));
    assert!(r.tick(at("2026-01-10T10:00:59Z")).unwrap().is_empty());
    let fires = r.tick(at("2026-01-10T10:01:00Z")).unwrap();
    assert_eq!(kinds(&fires), [FireKind::Snooze]);
    assert!(r.tick(at("2026-01-10T11:01:00Z")).unwrap().is_empty());
    assert_eq!(r.next_wake(), Some(at("2026-01-11T09:00:00Z")));
}

#[test]
fn done_builds_a_streak_that_show_reports() {
    let r = service();
    set(&r, "09:00", "America/New_York", at("2026-01-10T06:00:00Z"));
    let day = |d: u32| at(&format!("2026-01-{d:02}T15:00:00Z"));
    let done = |t| r.command(alice(), &RemindCommand::Done, t);
    assert_eq!(done(day(10)).text[0], "Streak: 1 day in a row.");
    assert_eq!(done(day(11)).text[0], "Streak: 2 days in a row.");
    let again = done(day(11));
    assert_eq!(again.title, "Already counted today");
    assert_eq!(again.text[0], "Streak: 2 days in a row.");
    let show = r.command(alice(), &RemindCommand::Show, day(12));
    assert!(
        show.text.iter().any(|t| t == "Streak: 2 days in a row."),
        "{show:?}"
    );
    // A missed day: the streak lapses, and starts again at 1.
    let show = r.command(alice(), &RemindCommand::Show, day(14));
    assert!(
        show.text.iter().any(|t| t == "Streak: 0 days in a row."),
        "{show:?}"
    );
    assert_eq!(done(day(14)).text[0], "Streak: 1 day in a row.");
}

#[test]
fn stop_and_off_remove_the_reminder() {
    let r = service();
    set(&r, "09:00", "UTC", at("2026-01-10T06:00:00Z"));
    let reply = r.command(alice(), &RemindCommand::Stop, at("2026-01-10T07:00:00Z"));
    assert_eq!(reply.title, "Reminder stopped");
    assert!(r.tick(at("2026-01-10T09:00:00Z")).unwrap().is_empty());
    assert_eq!(r.next_wake(), None);
    let show = r.command(alice(), &RemindCommand::Show, at("2026-01-10T09:00:00Z"));
    assert_eq!(show.title, "No reminder");
    assert_eq!(
        r.command(alice(), &RemindCommand::Off, at("2026-01-10T09:00:00Z"))
            .title,
        "No reminder"
    );
}

#[test]
fn bad_input_gets_a_clear_error_with_a_suggestion() {
    let r = service();
    let now = at("2026-01-10T06:00:00Z");
    let reply = r.command(
        alice(),
        &RemindCommand::Set {
            time: "25:61".into(),
            timezone: "Europe/Berlin".into(),
            place: None,
            routine: None,
        },
        now,
    );
    assert!(
        reply.text[0].starts_with("\"25:61\" is not a time"),
        "{reply:?}"
    );
    let reply = r.command(
        alice(),
        &RemindCommand::Set {
            time: "07:30".into(),
            timezone: "Europe/Berln".into(),
            place: None,
            routine: None,
        },
        now,
    );
    assert_eq!(reply.text[0], "Europe/Berln: did you mean Europe/Berlin?");
    let reply = r.command(
        alice(),
        &RemindCommand::Set {
            time: "07:30".into(),
            timezone: "UTC".into(),
            place: Some("moon".into()),
            routine: None,
        },
        now,
    );
    assert_eq!(reply.title, "Where?");
    assert!(r.is_empty(), "nothing saved on bad input");
}

#[test]
fn where_here_and_routine_are_kept() {
    let r = service();
    let now = at("2026-01-10T06:00:00Z");
    r.command(
        alice(),
        &RemindCommand::Set {
            time: "07:30".into(),
            timezone: "UTC".into(),
            place: Some("here".into()),
            routine: Some("techniques".into()),
        },
        now,
    );
    let s = r.get(ALICE).expect("subscription");
    assert_eq!(s.dest, Dest::Channel(42));
    assert_eq!(s.routine, Routine::Techniques);
    let text = describe(&s, now).text.join("\n");
    assert!(
        text.contains("in <#42>") && text.contains("Routine: techniques"),
        "{text}"
    );
}

#[test]
fn test_command_queues_one_fire_now() {
    let r = service();
    let now = at("2026-01-10T06:00:00Z");
    let reply = r.command(alice(), &RemindCommand::Test, now);
    assert_eq!(reply.title, "Test reminder");
    let fires = r.tick(now).unwrap();
    assert_eq!(kinds(&fires), [FireKind::Test]);
    assert!(fires[0].nonce.starts_with('t') && fires[0].nonce.len() <= 25);
    assert!(r.tick(now).unwrap().is_empty());
}

#[test]
fn a_refused_delivery_disables_and_show_says_why() {
    let r = service();
    set(&r, "09:00", "UTC", at("2026-01-10T06:00:00Z"));
    runner::settle(
        &r,
        ALICE,
        "no-such-fire",
        &Delivered::Refused("your DMs are closed to me".into()),
    );
    let show = r.command(alice(), &RemindCommand::Show, at("2026-01-10T07:00:00Z"));
    let text = show.text.join("\n");
    assert!(
        text.contains("Not sending: your DMs are closed to me."),
        "{text}"
    );
    assert!(r.tick(at("2026-01-10T09:00:00Z")).unwrap().is_empty());
    // Setting it again turns it back on.
    set(&r, "09:00", "UTC", at("2026-01-10T10:00:00Z"));
    assert_eq!(r.tick(at("2026-01-11T09:00:00Z")).unwrap().len(), 1);
}

/// The service loaded afresh from a database file, as after a restart.
fn reopen(path: &std::path::Path) -> Reminders {
    Reminders::load(
        Arc::new(Store::open(path).expect("open")),
        ReminderFilter::All,
    )
    .expect("load")
}

#[test]
fn restart_from_the_same_file_keeps_everything_and_never_sends_a_day_twice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("backbot.db");
    let open = || reopen(&path);
    {
        let r = open();
        set(&r, "09:00", "Europe/Berlin", at("2026-01-10T06:00:00Z"));
        r.command(alice(), &RemindCommand::Done, at("2026-01-10T06:00:00Z"));
        // Dropped without checkpoint or shutdown, as after kill -9.
    }
    {
        let r = open();
        let s = r.get(ALICE).expect("reloaded");
        assert_eq!((s.minute, s.tz_name(), s.streak), (540, "Europe/Berlin", 1));
        let fires = r.tick(at("2026-01-10T08:30:00Z")).unwrap();
        assert_eq!(kinds(&fires), [FireKind::Daily { late: true }]);
        runner::settle(
            &r,
            ALICE,
            &fires[0].nonce,
            &Delivered::Sent { dm_channel: None },
        );
    }
    {
        // Restarted again the same morning: today's is recorded as sent.
        let r = open();
        assert!(r.tick(at("2026-01-10T09:00:00Z")).unwrap().is_empty());
        assert_eq!(r.next_wake(), Some(at("2026-01-11T08:00:00Z")));
        r.command(alice(), &RemindCommand::Snooze, at("2026-01-10T09:00:00Z"));
    }
    let r = open();
    assert_eq!(
        kinds(&r.tick(at("2026-01-10T10:00:00Z")).unwrap()),
        [FireKind::Snooze]
    );
}

#[test]
fn a_fire_lost_in_a_crash_before_delivery_is_sent_again_once_with_the_same_nonce() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("backbot.db");
    let open = || reopen(&path);
    let first = {
        let r = open();
        set(&r, "09:00", "UTC", at("2026-01-10T06:00:00Z"));
        let fires = r.tick(at("2026-01-10T09:00:00Z")).unwrap();
        assert_eq!(fires.len(), 1);
        fires[0].nonce.clone()
        // Killed while it was queued: never delivered.
    };
    {
        let r = open();
        let fires = r.tick(at("2026-01-10T09:10:00Z")).unwrap();
        assert_eq!(
            fires.len(),
            1,
            "the undelivered reminder is sent after the restart"
        );
        assert_eq!(
            fires[0].nonce, first,
            "with the same nonce, so Discord drops a duplicate"
        );
        assert!(
            r.tick(at("2026-01-10T09:11:00Z")).unwrap().is_empty(),
            "once"
        );
        runner::settle(
            &r,
            ALICE,
            &fires[0].nonce,
            &Delivered::Sent { dm_channel: None },
        );
    }
    let r = open();
    assert!(
        r.tick(at("2026-01-10T09:20:00Z")).unwrap().is_empty(),
        "delivered: not again"
    );
    // Lost again, but the restart comes after the grace period: dropped.
    let fires = r.tick(at("2026-01-11T09:00:00Z")).unwrap();
    assert_eq!(fires.len(), 1);
    drop(r);
    let r = open();
    assert!(
        r.tick(at("2026-01-11T11:30:00Z")).unwrap().is_empty(),
        "too late after downtime: skipped"
    );
}

#[test]
fn the_reminder_names_the_stretch_of_the_day_with_steps_and_three_buttons() {
    let engine = common::engine();
    let mut seen = std::collections::BTreeSet::new();
    for d in 10..17 {
        let day = jiff::civil::date(2026, 1, d);
        let fire = Fire {
            user: ALICE,
            dest: Dest::Dm,
            dm_channel: None,
            kind: FireKind::Daily { late: false },
            day,
            routine: Routine::All,
            streak: 3,
            nonce: nonce(
                ALICE,
                day,
                FireKind::Daily { late: false },
                at("2026-01-10T00:00:00Z"),
            ),
        };
        let m = message(&engine.content, &fire);
        let id = m.reply.intents[0].clone();
        let response = &engine.content.responses[&id];
        assert_eq!(
            m.reply.title,
            format!("Stretch of the day: {}", response.title)
        );
        assert_eq!(m.reply.steps, response.steps);
        assert!(!m.reply.steps.is_empty(), "{id} has steps");
        assert!(m.reply.text.iter().any(|t| t.starts_with("Streak: 3 days")));
        let ids: Vec<&str> = m.buttons.iter().map(|b| b.id).collect();
        assert_eq!(ids, ["remind:done", "remind:snooze", "remind:stop"]);
        seen.insert(id);
    }
    assert_eq!(seen.len(), 7, "a week shows each of the seven: {seen:?}");
}

fn fire(user: u64, dest: Dest, dm_channel: Option<u64>) -> Fire {
    let day = jiff::civil::date(2026, 1, 10);
    Fire {
        user,
        dest,
        dm_channel,
        kind: FireKind::Daily { late: false },
        day,
        routine: Routine::All,
        streak: 0,
        nonce: nonce(
            user,
            day,
            FireKind::Daily { late: false },
            at("2026-01-10T00:00:00Z"),
        ),
    }
}

/// Pops until empty, stepping a fake clock by 10 ms; returns pops per fake second.
fn drain(q: &mut Queue, start: Timestamp) -> (HashMap<i64, usize>, Vec<(i64, Fire)>) {
    let mut now = start;
    let mut per_sec: HashMap<i64, usize> = HashMap::new();
    let mut out = Vec::new();
    for _ in 0..1_000_000 {
        match q.pop(now) {
            Pop::Ready(f) => {
                *per_sec.entry(now.as_second()).or_default() += 1;
                out.push((now.as_millisecond(), f));
            }
            Pop::Wait(t) => {
                assert!(t > now, "wait in the future");
                now += SignedDuration::from_millis(10);
            }
            Pop::Empty => break,
        }
    }
    (per_sec, out)
}

#[test]
fn queue_keeps_the_global_rate() {
    let start = at("2026-01-10T09:00:00Z");
    let limits = Limits {
        global_per_sec: 50.0,
        ..Limits::default()
    };
    let mut q = Queue::new(limits, start);
    for u in 1..=1000u64 {
        q.push(fire(u, Dest::Dm, Some(u + 1)), start);
    }
    let (per_sec, out) = drain(&mut q, start);
    assert_eq!(out.len(), 1000, "all delivered");
    let max = per_sec.values().copied().max().unwrap_or(0);
    assert!(
        max <= 50 + 1,
        "at most 50 per fake second (plus the refill edge): {per_sec:?}"
    );
    let secs = per_sec.len();
    assert!(
        (19..=21).contains(&secs),
        "1000 at 50/s take about 20 s: {secs}"
    );
    // A DM channel not yet opened costs two requests.
    let mut q = Queue::new(limits, start);
    for u in 1..=100u64 {
        q.push(fire(u, Dest::Dm, None), start);
    }
    let (per_sec, _) = drain(&mut q, start);
    assert!(per_sec.values().all(|&n| n <= 26), "{per_sec:?}");
}

#[test]
fn queue_keeps_the_per_channel_limit_and_serves_channels_round_robin() {
    let start = at("2026-01-10T09:00:00Z");
    let mut q = Queue::new(Limits::default(), start);
    for u in 1..=20u64 {
        q.push(fire(u, Dest::Channel(7), None), start);
    }
    for u in 100..=104u64 {
        q.push(fire(u, Dest::Dm, Some(u)), start);
    }
    let (_, out) = drain(&mut q, start);
    assert_eq!(out.len(), 25);
    let channel: Vec<i64> = out
        .iter()
        .filter(|(_, f)| f.dest == Dest::Channel(7))
        .map(|(t, _)| *t)
        .collect();
    for w in channel.windows(6) {
        assert!(
            w[5] - w[0] >= 1000 - 10,
            "at most 5 per 5 s window: {channel:?}"
        );
    }
    // The DMs are not stuck behind the busy channel.
    let last_dm = out
        .iter()
        .filter(|(_, f)| f.dest == Dest::Dm)
        .map(|(t, _)| *t)
        .max()
        .unwrap_or(0);
    assert!(last_dm - start.as_millisecond() < 1000, "{last_dm}");
}

/// A delivery that records when (fake time) each reminder went, and refuses one user.
struct Recorder {
    clock: Arc<FakeClock>,
    sent: Mutex<Vec<(Timestamp, Fire)>>,
    refuse: u64,
}

impl Deliver for Recorder {
    async fn deliver(&self, fire: Fire) -> Delivered {
        if fire.user == self.refuse {
            return Delivered::Refused("DMs closed".into());
        }
        let now = self.clock.now();
        let dm = (fire.dest == Dest::Dm && fire.dm_channel.is_none()).then_some(fire.user + 7);
        if let Ok(mut s) = self.sent.lock() {
            s.push((now, fire));
        }
        Delivered::Sent { dm_channel: dm }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_loop_delivers_everything_due_at_the_configured_rate() {
    let start = at("2026-01-10T08:59:00Z");
    let clock = Arc::new(FakeClock::new(start));
    let store = Arc::new(Store::open_in_memory().expect("store"));
    let r = Arc::new(Reminders::load(Arc::clone(&store), ReminderFilter::All).expect("load"));
    for u in 1..=300u64 {
        r.command(
            Caller {
                user: u,
                here: Dest::Dm,
                console: false,
            },
            &RemindCommand::Set {
                time: "09:00".into(),
                timezone: "UTC".into(),
                place: None,
                routine: None,
            },
            start,
        );
    }
    let rec = Arc::new(Recorder {
        clock: Arc::clone(&clock),
        sent: Mutex::new(Vec::new()),
        refuse: 300,
    });
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(runner::run(
        Arc::clone(&r),
        Arc::clone(&clock),
        Arc::clone(&rec),
        Limits {
            global_per_sec: 50.0,
            ..Limits::default()
        },
        async move {
            let _ = stop_rx.await;
        },
    ));
    clock.set(at("2026-01-10T09:00:00Z"));
    for _ in 0..2000 {
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        if rec.sent.lock().map_or(0, |s| s.len()) >= 299
            && r.get(300).is_some_and(|s| s.disabled.is_some())
        {
            break;
        }
        clock.advance(SignedDuration::from_millis(50));
    }
    let _ = stop_tx.send(());
    task.await.expect("loop ends");
    let sent = rec.sent.lock().expect("sent").clone();
    assert_eq!(sent.len(), 299, "everyone but the refused user");
    let mut per_sec: HashMap<i64, usize> = HashMap::new();
    for (t, _) in &sent {
        *per_sec.entry(t.as_second()).or_default() += 1;
    }
    // First sends open DM channels (two requests each): at most 25 per second.
    assert!(
        per_sec.values().all(|&n| n <= 26),
        "rate kept per fake second: {per_sec:?}"
    );
    let users: std::collections::BTreeSet<u64> = sent.iter().map(|(_, f)| f.user).collect();
    assert_eq!(users.len(), 299, "each once");
    assert_eq!(
        r.get(5).and_then(|s| s.dm_channel),
        Some(12),
        "DM channel remembered"
    );
    assert!(
        r.get(300).and_then(|s| s.disabled).is_some(),
        "refused one disabled"
    );
}

#[test]
fn console_commands_share_the_store_and_print_due_reminders() {
    use backbot::reminders::console::{parse, ConsoleReminders};
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("backbot.db");
    let clock = Arc::new(FakeClock::new(at("2026-01-10T06:00:00Z")));
    let c = ConsoleReminders::new(db.clone(), clock.clone());
    assert!(!db.exists(), "opened only when used");
    assert_eq!(
        parse("/remind set time:07:30 tz:Europe/Berlin stretches"),
        Ok(RemindCommand::Set {
            time: "07:30".into(),
            timezone: "Europe/Berlin".into(),
            place: None,
            routine: Some("stretches".into())
        })
    );
    assert_eq!(
        parse("/remind pause 3"),
        Ok(RemindCommand::Pause { days: 3 })
    );
    assert!(parse("/remind dance").is_err());
    let reply = c.handle("/remind set 07:30 Europe/Berlin");
    assert_eq!(reply.title, "Daily stretch reminder set", "{reply:?}");
    assert!(c.handle("/remind set 25:61 UTC").text[0].contains("is not a time"));
    assert!(c.due(common::engine()).is_empty());
    clock.set(at("2026-01-10T06:30:00Z"));
    let due = c.due(common::engine());
    assert_eq!(due.len(), 1);
    assert!(
        due[0].contains("Stretch of the day") && due[0].contains("[Done: /remind done]"),
        "{}",
        due[0]
    );
    assert_eq!(c.handle("/remind done").text[0], "Streak: 1 day in a row.");
    // The same file seen by a fresh console (and the bot skips the console user).
    let again = ConsoleReminders::new(db.clone(), clock.clone());
    assert!(again
        .handle("/remind show")
        .text
        .join(" ")
        .contains("Streak: 1 day"));
    let bot = Reminders::load(
        Arc::new(Store::open(&db).expect("open")),
        ReminderFilter::AllBut(CONSOLE_USER),
    )
    .expect("load");
    assert!(bot.is_empty());
}

#[test]
fn console_run_prints_replies_and_due_reminders() {
    use backbot::reminders::console::{run, ConsoleReminders};
    let dir = tempfile::tempdir().expect("tempdir");
    let clock = Arc::new(FakeClock::new(at("2026-01-10T06:00:00Z")));
    let c = Arc::new(ConsoleReminders::new(
        dir.path().join("b.db"),
        clock.clone(),
    ));
    let out = Arc::new(Mutex::new(Vec::<u8>::new()));
    let engine = Arc::new(backbot::Engine::load(&common::root()).expect("engine"));
    let input = b"/remind test\nheat or ice?\n/remind show\n".as_slice();
    run(
        engine,
        c,
        input,
        Arc::clone(&out),
        &mut std::io::sink(),
        false,
        std::time::Duration::from_millis(5),
    )
    .expect("console runs");
    let text = String::from_utf8(out.lock().expect("out").clone()).expect("utf8");
    assert!(text.contains("== Test reminder =="), "{text}");
    assert!(
        text.contains("This is a test of your daily stretch reminder."),
        "{text}"
    );
    assert!(text.contains("== No reminder =="), "{text}");
}

#[test]
fn backbot_chat_keeps_reminders_in_backbot_db() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("chat.db");
    let run = |input: &[u8]| {
        let (code, out, err) = common::backbot(&["chat"], input, &[("BACKBOT_DB", &db)]);
        assert_eq!(code, 0, "{err}");
        out
    };
    let out = run(b"/remind set 07:30 Europe/Berln\n/remind set 07:30 Europe/Berlin\n");
    assert!(out.contains("did you mean Europe/Berlin?"), "{out}");
    assert!(
        out.contains("Every day at 07:30 (Europe/Berlin), in the console"),
        "{out}"
    );
    let out = run(b"/remind show\n");
    assert!(
        out.contains("Every day at 07:30 (Europe/Berlin)"),
        "kept in the file: {out}"
    );
}
