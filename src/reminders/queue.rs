//! The delivery queue: one queue for every reminder, paced by token buckets on
//! the injected clock so Discord's limits are respected (a global requests per
//! second budget and a per-channel message limit), channels served round-robin.
//! Pure: `push` and `pop` take the time; the loop sleeps until `Pop::Wait`.

use std::collections::{BTreeSet, HashMap, VecDeque};

use jiff::Timestamp;

use super::service::{Dest, Fire};

/// The limits the queue keeps to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Requests per second for all reminders together (Discord allows 50 for
    /// the whole bot; the default leaves room for replies).
    pub global_per_sec: f64,
    /// Messages per channel per `channel_period_ms`.
    pub channel_burst: f64,
    /// The period of the per-channel limit.
    pub channel_period_ms: f64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            global_per_sec: 40.0,
            channel_burst: 5.0,
            channel_period_ms: 5_000.0,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    cap: f64,
    per_ms: f64,
    last: i64,
}

impl Bucket {
    fn new(cap: f64, per_ms: f64, now: i64) -> Bucket {
        Bucket {
            tokens: cap,
            cap,
            per_ms,
            last: now,
        }
    }

    fn refill(&mut self, now: i64) {
        if now > self.last {
            self.tokens = (self.tokens + (now - self.last) as f64 * self.per_ms).min(self.cap);
            self.last = now;
        }
    }

    /// When `cost` tokens will be there (ms).
    fn ready_at(&self, cost: f64) -> i64 {
        if self.tokens >= cost || self.per_ms <= 0.0 {
            return self.last;
        }
        self.last + ((cost - self.tokens) / self.per_ms).ceil() as i64
    }

    fn full(&self) -> bool {
        self.tokens >= self.cap
    }
}

/// Which per-channel limit a reminder counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Lane {
    Dm(u64),
    Channel(u64),
    Console,
}

fn lane(f: &Fire) -> Lane {
    match f.dest {
        Dest::Dm => Lane::Dm(f.user),
        Dest::Channel(c) => Lane::Channel(c),
        Dest::Console => Lane::Console,
    }
}

/// Requests a delivery costs: opening a DM channel is one more.
pub fn cost(f: &Fire) -> f64 {
    match (f.dest, f.dm_channel) {
        (Dest::Dm, None) => 2.0,
        (Dest::Console, _) => 0.0,
        _ => 1.0,
    }
}

struct LaneState {
    bucket: Bucket,
    items: VecDeque<Fire>,
}

/// What the queue gives now.
#[derive(Debug, Clone, PartialEq)]
pub enum Pop {
    /// Send this now.
    Ready(Fire),
    /// Nothing may go before this instant.
    Wait(Timestamp),
    /// Nothing queued.
    Empty,
}

/// The delivery queue.
pub struct Queue {
    limits: Limits,
    global: Bucket,
    lanes: HashMap<Lane, LaneState>,
    ready: VecDeque<Lane>,
    blocked: BTreeSet<(i64, Lane)>,
    len: usize,
}

impl Queue {
    /// An empty queue with full buckets at `now`.
    pub fn new(limits: Limits, now: Timestamp) -> Queue {
        // No burst: requests are spread evenly (a DM that opens its channel
        // needs two tokens at once), so no one-second window exceeds the limit.
        let rate = limits.global_per_sec.max(1.0);
        Queue {
            limits,
            global: Bucket::new(2.0, rate / 1000.0, now.as_millisecond()),
            lanes: HashMap::new(),
            ready: VecDeque::new(),
            blocked: BTreeSet::new(),
            len: 0,
        }
    }

    /// How many reminders wait.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Queues a reminder.
    pub fn push(&mut self, f: Fire, now: Timestamp) {
        let now = now.as_millisecond();
        let key = lane(&f);
        let l = &self.limits;
        let state = self.lanes.entry(key).or_insert_with(|| LaneState {
            // Evenly spread as well: never more than the burst in a period.
            bucket: Bucket::new(
                1.0,
                l.channel_burst.max(1.0) / l.channel_period_ms.max(1.0),
                now,
            ),
            items: VecDeque::new(),
        });
        // A lane with items is either ready or blocked; an empty one is neither.
        if state.items.is_empty() {
            self.ready.push_back(key);
        }
        state.items.push_back(f);
        self.len += 1;
    }

    /// The next reminder that may go at `now`, or when to ask again.
    pub fn pop(&mut self, now: Timestamp) -> Pop {
        if self.len == 0 {
            return Pop::Empty;
        }
        let now = now.as_millisecond();
        while let Some(&(t, key)) = self.blocked.first() {
            if t > now {
                break;
            }
            self.blocked.pop_first();
            self.ready.push_back(key);
        }
        self.global.refill(now);
        for _ in 0..self.ready.len() {
            let Some(key) = self.ready.pop_front() else {
                break;
            };
            let Some(state) = self.lanes.get_mut(&key) else {
                continue;
            };
            let Some(front) = state.items.front() else {
                continue;
            };
            state.bucket.refill(now);
            let c = cost(front);
            if c > 0.0 && state.bucket.tokens < 1.0 {
                self.blocked.insert((state.bucket.ready_at(1.0), key));
                continue;
            }
            if self.global.tokens < c {
                self.ready.push_front(key);
                return Pop::Wait(ms(self.global.ready_at(c)));
            }
            self.global.tokens -= c;
            if c > 0.0 {
                state.bucket.tokens -= 1.0;
            }
            let Some(f) = state.items.pop_front() else {
                continue;
            };
            self.len -= 1;
            if !state.items.is_empty() {
                self.ready.push_back(key);
            } else if state.bucket.full() || self.lanes.len() > 4096 {
                self.lanes.remove(&key);
            }
            if self.lanes.len() > 4096 {
                self.lanes
                    .retain(|_, s| !s.items.is_empty() || !s.bucket.full());
            }
            return Pop::Ready(f);
        }
        match self.blocked.first() {
            Some(&(t, _)) => Pop::Wait(ms(t)),
            None => Pop::Empty,
        }
    }
}

fn ms(t: i64) -> Timestamp {
    Timestamp::from_millisecond(t).unwrap_or(Timestamp::MAX)
}
