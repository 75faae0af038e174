//! Counters of the Discord adapter, rendered in the Prometheus text format, and
//! the gateway readiness flag behind `/healthz`.

use std::fmt::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::reply::ReplyKind;

const KINDS: [(ReplyKind, &str); 6] = [
    (ReplyKind::Advisory, "advisory"),
    (ReplyKind::Warning, "warning"),
    (ReplyKind::Answer, "answer"),
    (ReplyKind::Fallback, "fallback"),
    (ReplyKind::Info, "info"),
    (ReplyKind::Error, "error"),
];

fn kind_index(kind: ReplyKind) -> usize {
    KINDS.iter().position(|(k, _)| *k == kind).unwrap_or(0)
}

/// The adapter's counters (cheap atomics, shared by every handler).
#[derive(Debug, Default)]
pub struct Metrics {
    ready: AtomicBool,
    /// Messages received from the gateway.
    pub messages_seen: AtomicU64,
    replies: [AtomicU64; 6],
    /// Red flags escalated (advisory replies to messages and commands).
    pub red_flags_escalated: AtomicU64,
    /// Moderator alert notices sent.
    pub alerts_sent: AtomicU64,
    /// Interactions received.
    pub interactions: AtomicU64,
    /// REST calls that failed for good (after retries) or were retried.
    pub rest_errors: AtomicU64,
    /// 429 responses received.
    pub rate_limits: AtomicU64,
    /// Gateway connections lost and re-established.
    pub gateway_reconnects: AtomicU64,
    /// Passive replies held back by the cooldown or channel limit.
    pub replies_limited: AtomicU64,
}

fn get(a: &AtomicU64) -> u64 {
    a.load(Ordering::Relaxed)
}

impl Metrics {
    /// Adds one to a counter.
    pub fn inc(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a reply sent.
    pub fn reply_sent(&self, kind: ReplyKind) {
        Metrics::inc(&self.replies[kind_index(kind)]);
    }

    /// Replies sent of one kind.
    pub fn replies(&self, kind: ReplyKind) -> u64 {
        get(&self.replies[kind_index(kind)])
    }

    /// Marks the gateway as connected and ready (or not).
    pub fn set_ready(&self, ready: bool) {
        self.ready.store(ready, Ordering::Relaxed);
    }

    /// Whether the gateway is connected and ready.
    pub fn is_ready(&self) -> bool {
        self.ready.load(Ordering::Relaxed)
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let mut counter = |name: &str, help: &str, v: u64| {
            let _ = writeln!(
                out,
                "# HELP {name} {help}\n# TYPE {name} counter\n{name} {v}"
            );
        };
        counter(
            "backbot_messages_seen_total",
            "Messages received from the gateway.",
            get(&self.messages_seen),
        );
        counter(
            "backbot_red_flags_escalated_total",
            "Red flags escalated.",
            get(&self.red_flags_escalated),
        );
        counter(
            "backbot_moderator_alerts_total",
            "Moderator alert notices sent.",
            get(&self.alerts_sent),
        );
        counter(
            "backbot_interactions_total",
            "Interactions received.",
            get(&self.interactions),
        );
        counter(
            "backbot_rest_errors_total",
            "Failed REST calls (each failed attempt).",
            get(&self.rest_errors),
        );
        counter(
            "backbot_rate_limits_total",
            "429 responses received.",
            get(&self.rate_limits),
        );
        counter(
            "backbot_gateway_reconnects_total",
            "Gateway connections lost and re-established.",
            get(&self.gateway_reconnects),
        );
        counter(
            "backbot_replies_limited_total",
            "Passive replies held back by cooldowns.",
            get(&self.replies_limited),
        );
        let _ = writeln!(out, "# HELP backbot_replies_total Replies sent, by kind.\n# TYPE backbot_replies_total counter");
        for (i, (_, name)) in KINDS.iter().enumerate() {
            let _ = writeln!(
                out,
                "backbot_replies_total{{kind=\"{name}\"}} {}",
                get(&self.replies[i])
            );
        }
        let _ = writeln!(
            out,
            "# HELP backbot_gateway_ready Whether the gateway is connected and ready.\n# TYPE backbot_gateway_ready gauge\nbackbot_gateway_ready {}",
            u8::from(self.is_ready())
        );
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_prometheus_text() {
        let m = Metrics::default();
        Metrics::inc(&m.messages_seen);
        m.reply_sent(ReplyKind::Advisory);
        m.reply_sent(ReplyKind::Advisory);
        m.set_ready(true);
        let t = m.render();
        assert!(t.contains("backbot_messages_seen_total 1\n"), "{t}");
        assert!(t.contains("backbot_replies_total{kind=\"advisory\"} 2\n"));
        assert!(t.contains("# TYPE backbot_rate_limits_total counter\n"));
        assert!(t.contains("backbot_gateway_ready 1\n"));
        for line in t.lines().filter(|l| !l.starts_with('#')) {
            assert_eq!(line.split(' ').count(), 2, "{line}");
        }
    }
}
