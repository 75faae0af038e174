//! Reminders at scale: 1,000,000 subscriptions in a SQLite file (10,000 of them
//! at 09:00 UTC, the rest spread over the day). Measures start-up load time,
//! resident memory, the cost of finding what is due at one tick (the pure step
//! over the due index, and a full tick that commits 10,000 fires), and the
//! sustained delivery rate through the queue into the fake Discord of
//! `tests/support`, at the configured limit and unthrottled.
//!
//! `cargo bench --bench reminders` (BENCH_SUBS=n to change the count).

#[path = "../tests/support/mod.rs"]
mod support;

use std::sync::Arc;
use std::time::{Duration, Instant};

use backbot::discord::config::RetryPolicy;
use backbot::discord::remind::DiscordDeliver;
use backbot::discord::rest::Rest;
use backbot::discord::Metrics;
use backbot::reminders::runner;
use backbot::reminders::{
    Caller, Dest, Limits, RemindCommand, Reminders, SystemClock, CONSOLE_USER,
};
use backbot::store::reminders::{ReminderFilter, StoredReminder};
use backbot::store::Store;
use jiff::Timestamp;
use serenity::all::HttpBuilder;

const ZONES: &[&str] = &[
    "UTC",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Australia/Sydney",
    "America/Sao_Paulo",
    "Africa/Lagos",
];

fn rss_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<u64>().ok())
        })
        .unwrap_or(0)
        / 1024
}

fn per_op(d: Duration, n: u32) -> String {
    format!("{:.2} µs", d.as_secs_f64() * 1e6 / f64::from(n.max(1)))
}

fn main() {
    let n: u64 = std::env::var("BENCH_SUBS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("bench.db");
    // 2026-01-10 00:00 UTC; the 09:00 crowd, everyone else spread over the day.
    let day0: i64 = 1_767_225_600 + 9 * 86_400;
    let nine = day0 + 9 * 3600;
    {
        let store = Store::open(&path).expect("open");
        let t = Instant::now();
        let mut batch = Vec::with_capacity(50_000);
        for u in 1..=n {
            let crowd = u <= 10_000;
            let offset = if crowd {
                9 * 3600
            } else {
                ((u * 7919) % 86_400) as i64
            };
            batch.push(StoredReminder {
                user: u,
                minute: (offset / 60) as u16,
                tz: if crowd {
                    "UTC"
                } else {
                    ZONES[(u % ZONES.len() as u64) as usize]
                },
                dest_kind: 0,
                channel: None,
                routine: (u % 3) as u8,
                paused_until: None,
                snoozed_until: None,
                streak: (u % 30) as u32,
                last_done: Some(20260109),
                last_sent: Some(20260109),
                disabled_reason: None,
                next_fire: day0 + 86_400 + offset - if crowd { 86_400 } else { 0 },
                dm_channel: Some(u + 1),
            });
            if batch.len() == 50_000 {
                store.save_reminders(&batch).expect("save");
                batch.clear();
            }
        }
        store.save_reminders(&batch).expect("save");
        store.checkpoint().expect("checkpoint");
        println!("wrote {n} subscriptions in {:.2?}", t.elapsed());
    }

    let rss0 = rss_mib();
    let t = Instant::now();
    let store = Arc::new(Store::open(&path).expect("open"));
    let reminders =
        Reminders::load(Arc::clone(&store), ReminderFilter::AllBut(CONSOLE_USER)).expect("load");
    let load = t.elapsed();
    let rss1 = rss_mib();
    println!(
        "start-up load: {} subscriptions in {:.2?} (target < 3 s)",
        reminders.len(),
        load
    );
    println!("resident memory: {rss1} MiB after load ({rss0} MiB before; target < 300 MB)");

    // Finding what is due: a quiet second, a typical second, 09:00 with 10,000.
    let ts = |s: i64| Timestamp::from_second(s).expect("ts");
    let quiet = ts(nine - 1);
    let reps = 2_000u32;
    let t = Instant::now();
    let mut due = 0;
    for _ in 0..reps {
        due += reminders.preview(quiet).0;
    }
    println!(
        "due step, nothing due ({due} due): {} per tick",
        per_op(t.elapsed(), reps)
    );
    let t = Instant::now();
    let (crowd, _) = reminders.preview(ts(nine));
    println!(
        "due step at 09:00 ({crowd} due): {:.2?} (pure, no I/O)",
        t.elapsed()
    );
    let t = Instant::now();
    let fires = reminders.tick(ts(nine)).expect("tick");
    println!(
        "full tick at 09:00: {} fires recorded in SQLite (one transaction) in {:.2?}",
        fires.len(),
        t.elapsed()
    );
    let t = Instant::now();
    let again = reminders.tick(ts(nine)).expect("tick");
    println!(
        "tick right after: {} fires in {:.2?}",
        again.len(),
        t.elapsed()
    );
    // A typical day: about 12 due each second; tick second by second for a minute.
    let (mut pure, mut full, mut fired) = (Duration::ZERO, Duration::ZERO, 0);
    let start = day0 + 86_400;
    for s in 0..60 {
        let now = ts(start + s);
        let t = Instant::now();
        let _ = reminders.preview(now);
        pure += t.elapsed();
        let t = Instant::now();
        fired += reminders.tick(now).expect("tick").len();
        full += t.elapsed();
    }
    println!(
        "a typical second ({:.1} due on average): due step {} per tick, full tick with its SQLite commit {} per tick",
        fired as f64 / 60.0,
        per_op(pure, 60),
        per_op(full, 60)
    );
    println!(
        "resident memory: {} MiB after the ticks (subscription: {} bytes in memory)",
        rss_mib(),
        std::mem::size_of::<backbot::reminders::Subscription>()
    );
    drop(reminders);
    drop(store);

    // Delivery through the queue into the fake Discord (real clock).
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        for (limit, count, label) in [
            (40.0, 200u64, "configured limit (40/s)"),
            (100_000.0, 4_000u64, "unthrottled"),
        ] {
            let fake = support::Fake::start().await;
            fake.echo_own_messages(false);
            fake.lean_recording(true);
            let client = reqwest::Client::new();
            let http = HttpBuilder::new("MTAwMDAwMDAwMDAwMDAwMDAx.Gfake1.fakefakefakefakefakefake")
                .client(client.clone())
                .proxy(fake.http_url.as_str())
                .ratelimiter_disabled(true)
                .build();
            let deliver = Arc::new(DiscordDeliver {
                http: Arc::new(http),
                rest: Arc::new(Rest::new(
                    client,
                    false,
                    RetryPolicy::default(),
                    Arc::new(Metrics::default()),
                )),
                engine: support::engine(),
            });
            let store = Arc::new(Store::open_in_memory().expect("store"));
            let r = Arc::new(Reminders::load(store, ReminderFilter::All).expect("load"));
            let now = Timestamp::now();
            for u in 1..=count {
                r.command(
                    Caller {
                        user: u,
                        here: Dest::Channel(u + 10),
                        console: false,
                    },
                    &RemindCommand::Test,
                    now,
                );
            }
            let (tx, rx) = tokio::sync::oneshot::channel::<()>();
            let t = Instant::now();
            let task = tokio::spawn(runner::run(
                Arc::clone(&r),
                Arc::new(SystemClock),
                deliver,
                Limits {
                    global_per_sec: limit,
                    ..Limits::default()
                },
                async move {
                    let _ = rx.await;
                },
            ));
            let deadline = Instant::now() + Duration::from_secs(60);
            while fake.posted() < count as usize && Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            let took = t.elapsed();
            let _ = tx.send(());
            let _ = task.await;
            println!(
                "delivery, {label}: {} of {count} messages in {:.2?} = {:.0} messages/s",
                fake.posted(),
                took,
                fake.posted() as f64 / took.as_secs_f64()
            );
        }
    });
}
