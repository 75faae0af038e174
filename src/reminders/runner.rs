//! The scheduler loop: ask the service what is due, queue it, hand out what the
//! queue allows, then sleep until the next wake or until something changed (a
//! command, a fake clock moving, shutdown). Delivery is a trait so Discord, the
//! console and tests plug in their own.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;

use super::clock::Clock;
use super::queue::{Limits, Pop, Queue};
use super::service::{Fire, Reminders};

/// How a delivery ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivered {
    /// Sent; the DM channel when one was opened for it.
    Sent {
        /// A newly opened DM channel, to remember.
        dm_channel: Option<u64>,
    },
    /// It can never be delivered (DMs closed, channel gone): disable with this reason.
    Refused(String),
    /// It failed for now (already retried); today's reminder is lost, tomorrow's is not.
    Failed(String),
}

/// Sends one reminder.
pub trait Deliver: Send + Sync + 'static {
    /// Delivers `fire` (retries inside; the nonce makes retries safe).
    fn deliver(&self, fire: Fire) -> impl Future<Output = Delivered> + Send;
}

/// The longest the loop sleeps without looking at the clock again.
pub const MAX_SLEEP: Duration = Duration::from_secs(1);

/// Records a delivery's outcome in the service. A fire that failed for now
/// stays recorded, so a restart within the grace period tries it again.
pub fn settle(reminders: &Reminders, user: u64, nonce: &str, outcome: &Delivered) {
    if !matches!(outcome, Delivered::Failed(_)) {
        reminders.settled(user, nonce);
    }
    let r = match outcome {
        Delivered::Sent {
            dm_channel: Some(c),
        } => reminders.remember_dm_channel(user, *c),
        Delivered::Sent { dm_channel: None } => Ok(()),
        Delivered::Refused(reason) => reminders.disable(user, reason),
        Delivered::Failed(why) => {
            tracing::warn!(user, error = %why, "reminder not delivered");
            Ok(())
        }
    };
    if let Err(e) = r {
        tracing::error!(user, error = %e, "reminder outcome not saved");
    }
}

/// Runs until `shutdown` resolves. Each delivery runs in its own task, paced by the queue.
pub async fn run<C: Clock + ?Sized, D: Deliver>(
    reminders: Arc<Reminders>,
    clock: Arc<C>,
    deliver: Arc<D>,
    limits: Limits,
    shutdown: impl Future<Output = ()> + Send,
) {
    tokio::pin!(shutdown);
    let mut queue = Queue::new(limits, clock.now());
    let ticks = clock.changed();
    loop {
        let now = clock.now();
        match reminders.tick(now) {
            Ok(fires) => {
                for f in fires {
                    queue.push(f, now);
                }
            }
            Err(e) => tracing::error!(error = %e, "reminder tick failed; retrying"),
        }
        let mut queue_wake = None;
        loop {
            match queue.pop(clock.now()) {
                Pop::Ready(f) => {
                    let r = Arc::clone(&reminders);
                    let d = Arc::clone(&deliver);
                    tokio::spawn(async move {
                        let (user, nonce) = (f.user, f.nonce.clone());
                        let outcome = d.deliver(f).await;
                        settle(&r, user, &nonce, &outcome);
                    });
                }
                Pop::Wait(at) => {
                    queue_wake = Some(at);
                    break;
                }
                Pop::Empty => break,
            }
        }
        let wake = match (reminders.next_wake(), queue_wake) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let sleep = sleep_for(clock.now(), wake);
        let ticked = async {
            match &ticks {
                Some(n) => n.notified().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = tokio::time::sleep(sleep) => {}
            () = reminders.changed().notified() => {}
            () = ticked => {}
            () = &mut shutdown => break,
        }
    }
    tracing::info!(queued = queue.len(), "reminder loop stopped");
}

/// How long to sleep from `now` until `wake`, at most [`MAX_SLEEP`].
pub fn sleep_for(now: Timestamp, wake: Option<Timestamp>) -> Duration {
    match wake {
        Some(w) if w > now => Duration::try_from(w.duration_since(now))
            .unwrap_or(MAX_SLEEP)
            .min(MAX_SLEEP),
        // Overdue (a failed tick): look again soon, without spinning.
        Some(_) => Duration::from_millis(10),
        None => MAX_SLEEP,
    }
}
