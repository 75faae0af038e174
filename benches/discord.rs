//! MESSAGE_CREATE -> reply through the real serenity client over loopback,
//! against the fake Discord of `tests/support`: unloaded latency (one message
//! at a time), then throughput with a window of messages in flight, all on one
//! tokio worker thread (bot and fake Discord share it). Prints p50/p99/max,
//! messages per second and resident memory.
//!
//! `cargo bench --bench discord` (BENCH_MESSAGES=n to change the count).

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use support::{Bot, Fake, DM};

const QUESTIONS: &[&str] = &[
    "how do I crack my lower back",
    "heat or ice for my lower back?",
    "I can't feel my legs, how do I crack it",
    "hi",
    "what stretches help my lower back",
    "is cracking my back bad for me",
];

fn rss_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Latency of each message: dispatch time to the time the fake received the reply.
fn latencies(fake: &Fake, sent: &HashMap<String, Instant>) -> Vec<Duration> {
    let mut out: Vec<Duration> = fake
        .posts(DM)
        .iter()
        .filter_map(|p| {
            let id = p.body["message_reference"]["message_id"].as_str()?;
            Some(p.at.saturating_duration_since(*sent.get(id)?))
        })
        .collect();
    out.sort();
    out
}

fn report(label: &str, lat: &[Duration]) {
    println!(
        "{label}: n={} p50={:.3} ms p99={:.3} ms max={:.3} ms",
        lat.len(),
        percentile(lat, 0.50).as_secs_f64() * 1e3,
        percentile(lat, 0.99).as_secs_f64() * 1e3,
        lat.last().copied().unwrap_or_default().as_secs_f64() * 1e3
    );
}

async fn bench(n: usize, window: usize) {
    let fake = Fake::start().await;
    fake.lean_recording(true);
    let bot = Bot::start(&fake).await;
    let rss_start = rss_kib("VmRSS:");

    // Warm-up.
    for i in 0..200 {
        fake.send_message(DM, None, QUESTIONS[i % QUESTIONS.len()], &[]);
    }
    fake.wait("warm-up replies", |f| f.posted() >= 200).await;
    let base = fake.posted();

    // 1. Unloaded latency: one message at a time.
    let mut sent = HashMap::new();
    let sequential = 1000.min(n);
    for i in 0..sequential {
        let t = Instant::now();
        let id = fake.send_message(DM, None, QUESTIONS[i % QUESTIONS.len()], &[]);
        sent.insert(id.to_string(), t);
        let want = base + i + 1;
        while fake.posted() < want {
            tokio::task::yield_now().await;
        }
    }
    report("latency, one at a time", &latencies(&fake, &sent));

    // 2. Throughput: keep `window` messages in flight.
    let base = fake.posted();
    let mut sent = HashMap::new();
    let t0 = Instant::now();
    let mut issued = 0;
    while issued < n {
        let done = fake.posted() - base;
        while issued < n && issued - done < window {
            let t = Instant::now();
            let id = fake.send_message(DM, None, QUESTIONS[issued % QUESTIONS.len()], &[]);
            sent.insert(id.to_string(), t);
            issued += 1;
        }
        tokio::time::sleep(Duration::from_micros(200)).await;
    }
    fake.wait("all replies", |f| f.posted() >= base + n).await;
    let elapsed = t0.elapsed();
    // Before the latency report clones every recorded request.
    let rss_after = rss_kib("VmRSS:");
    report(
        &format!("latency, {window} in flight"),
        &latencies(&fake, &sent),
    );
    println!(
        "throughput: {n} messages in {:.3} s = {:.0} messages/s",
        elapsed.as_secs_f64(),
        n as f64 / elapsed.as_secs_f64()
    );
    println!(
        "resident memory (bot + fake Discord in one process, which keeps a record of every request): start {} MiB, after the run {} MiB",
        rss_start / 1024,
        rss_after / 1024
    );
    bot.stop().await;
}

fn main() {
    // `cargo bench` passes --bench; `cargo test --benches` passes nothing useful: run small.
    let quick = !std::env::args().any(|a| a == "--bench");
    let n: usize = std::env::var("BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if quick { 300 } else { 20_000 });
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };
    runtime.block_on(bench(n, 64));
}
