//! Pure decisions of the Discord adapter: should the bot look at a message, what
//! it does once the message is classified, and the passive-reply limiter (with
//! the clock passed in). No serenity, no I/O: everything here is unit-tested.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use crate::store::{GuildSettings, RedFlagScope};
use crate::Kind;

use super::config::Limits;

/// The facts about an incoming message that decide how it is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageFacts {
    /// The author is a bot (or a webhook, or the bot itself).
    pub from_bot: bool,
    /// The author is this bot.
    pub from_self: bool,
    /// Sent in a direct message.
    pub in_dm: bool,
    /// The message mentions this bot.
    pub mentions_me: bool,
    /// The message has text (empty when message content is not granted).
    pub has_text: bool,
    /// The channel.
    pub channel: u64,
}

/// How the bot is addressed by a message, before classifying it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Address {
    /// Not for the bot: do not even classify.
    Ignore,
    /// A DM or a mention: always answered.
    Direct,
    /// A listening channel: matched intents answered, within limits.
    Listening,
    /// Any other readable channel: only red flags are escalated.
    Watch,
}

/// Where a message stands, from its facts and its guild's settings.
pub fn address(m: &MessageFacts, settings: &GuildSettings) -> Address {
    if m.from_self || m.from_bot || !m.has_text {
        return Address::Ignore;
    }
    if m.in_dm || m.mentions_me {
        return Address::Direct;
    }
    if settings.listening.contains(&m.channel) {
        return Address::Listening;
    }
    match settings.red_flag_scope {
        RedFlagScope::All => Address::Watch,
        RedFlagScope::Listening => Address::Ignore,
    }
}

/// What to do with a classified message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Say nothing.
    Silent,
    /// Reply with the engine's reply (any kind, fallback included).
    Reply,
    /// Reply with the advisory and alert the moderators.
    Escalate,
    /// Reply, if the passive limits allow it.
    PassiveReply,
}

/// Intents that only make sense when someone talks to the bot.
const DIRECT_ONLY: &[&str] = &["greeting", "help"];

/// The action for a message addressed as `address` whose strongest kind is
/// `kind` and whose best intent is `primary`.
pub fn decide(address: Address, kind: Kind, primary: Option<&str>) -> Action {
    match (address, kind) {
        (Address::Ignore, _) => Action::Silent,
        (_, Kind::Advisory) => Action::Escalate,
        (Address::Direct, _) => Action::Reply,
        (Address::Watch, _) => Action::Silent,
        (Address::Listening, Kind::Fallback) => Action::Silent,
        (Address::Listening, _) if primary.is_some_and(|p| DIRECT_ONLY.contains(&p)) => {
            Action::Silent
        }
        (Address::Listening, _) => Action::PassiveReply,
    }
}

/// Removes mentions of the bot (`<@id>`, `<@!id>`) so they do not reach the matcher.
pub fn strip_mentions(text: &str, me: u64) -> String {
    let a = format!("<@{me}>");
    let b = format!("<@!{me}>");
    text.replace(&a, " ").replace(&b, " ").trim().to_string()
}

/// Why a passive reply was held back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limited {
    /// The same user got a passive reply in this channel recently.
    UserCooldown,
    /// The channel had its share of passive replies.
    ChannelBusy,
}

/// Per-user cooldown and per-channel limit for passive replies. The caller passes `now`.
#[derive(Debug)]
pub struct Limiter {
    limits: Limits,
    users: HashMap<(u64, u64), Instant>,
    channels: HashMap<u64, VecDeque<Instant>>,
    checks: u64,
}

impl Limiter {
    /// A limiter with these limits.
    pub fn new(limits: Limits) -> Limiter {
        Limiter {
            limits,
            users: HashMap::new(),
            channels: HashMap::new(),
            checks: 0,
        }
    }

    /// Whether `user` may get a passive reply in `channel` at `now`; records it when allowed.
    pub fn check(&mut self, now: Instant, channel: u64, user: u64) -> Result<(), Limited> {
        self.checks += 1;
        if self.checks.is_multiple_of(1024) {
            self.prune(now);
        }
        if let Some(&last) = self.users.get(&(channel, user)) {
            if now.saturating_duration_since(last) < self.limits.user_cooldown {
                return Err(Limited::UserCooldown);
            }
        }
        let window = self.limits.channel_window;
        let recent = self.channels.entry(channel).or_default();
        while recent
            .front()
            .is_some_and(|&t| now.saturating_duration_since(t) >= window)
        {
            recent.pop_front();
        }
        if recent.len() >= self.limits.channel_max {
            return Err(Limited::ChannelBusy);
        }
        recent.push_back(now);
        self.users.insert((channel, user), now);
        Ok(())
    }

    /// Forgets entries older than both limits (keeps memory bounded).
    pub fn prune(&mut self, now: Instant) {
        let keep = self.limits.user_cooldown.max(self.limits.channel_window);
        self.users
            .retain(|_, &mut t| now.saturating_duration_since(t) < keep);
        self.channels.retain(|_, q| {
            q.back()
                .is_some_and(|&t| now.saturating_duration_since(t) < keep)
        });
    }

    /// Entries held (for tests).
    pub fn len(&self) -> usize {
        self.users.len() + self.channels.len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Backoff before retry number `retry` (0 = first retry): `base * 2^retry`, capped.
pub fn backoff(base: Duration, retry: u32, max: Duration) -> Duration {
    base.saturating_mul(1u32 << retry.min(16)).min(max)
}

/// The wait a 429 asks for: the `retry-after` header (seconds, float), else the
/// JSON body's `retry_after`; `None` when neither is usable.
pub fn retry_after(header: Option<&str>, body: &[u8]) -> Option<Duration> {
    let secs = header
        .and_then(|h| h.trim().parse::<f64>().ok())
        .or_else(|| {
            serde_json::from_slice::<serde_json::Value>(body)
                .ok()?
                .get("retry_after")?
                .as_f64()
        })?;
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(3600.0)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> MessageFacts {
        MessageFacts {
            from_bot: false,
            from_self: false,
            in_dm: false,
            mentions_me: false,
            has_text: true,
            channel: 10,
        }
    }

    fn listening(ch: u64) -> GuildSettings {
        GuildSettings {
            listening: [ch].into_iter().collect(),
            ..GuildSettings::default()
        }
    }

    #[test]
    fn bots_self_and_empty_messages_are_ignored() {
        let s = GuildSettings::default();
        for m in [
            MessageFacts {
                from_bot: true,
                in_dm: true,
                ..facts()
            },
            MessageFacts {
                from_self: true,
                mentions_me: true,
                ..facts()
            },
            MessageFacts {
                has_text: false,
                in_dm: true,
                ..facts()
            },
        ] {
            assert_eq!(address(&m, &s), Address::Ignore);
        }
    }

    #[test]
    fn dms_and_mentions_are_direct() {
        let s = GuildSettings::default();
        assert_eq!(
            address(
                &MessageFacts {
                    in_dm: true,
                    ..facts()
                },
                &s
            ),
            Address::Direct
        );
        assert_eq!(
            address(
                &MessageFacts {
                    mentions_me: true,
                    ..facts()
                },
                &s
            ),
            Address::Direct
        );
    }

    #[test]
    fn channels_listen_or_watch_by_settings() {
        assert_eq!(address(&facts(), &listening(10)), Address::Listening);
        assert_eq!(address(&facts(), &listening(11)), Address::Watch);
        let narrowed = GuildSettings {
            red_flag_scope: RedFlagScope::Listening,
            ..listening(11)
        };
        assert_eq!(address(&facts(), &narrowed), Address::Ignore);
        assert_eq!(
            address(
                &facts(),
                &GuildSettings {
                    red_flag_scope: RedFlagScope::Listening,
                    ..listening(10)
                }
            ),
            Address::Listening
        );
    }

    #[test]
    fn red_flags_escalate_wherever_the_bot_looks() {
        for a in [Address::Direct, Address::Listening, Address::Watch] {
            assert_eq!(decide(a, Kind::Advisory, Some("fever")), Action::Escalate);
        }
        assert_eq!(
            decide(Address::Ignore, Kind::Advisory, Some("fever")),
            Action::Silent
        );
    }

    #[test]
    fn passive_channels_never_get_the_fallback() {
        assert_eq!(
            decide(Address::Listening, Kind::Fallback, None),
            Action::Silent
        );
        assert_eq!(
            decide(Address::Listening, Kind::Answer, Some("greeting")),
            Action::Silent
        );
        assert_eq!(
            decide(Address::Listening, Kind::Answer, Some("crack_chair")),
            Action::PassiveReply
        );
        assert_eq!(
            decide(Address::Listening, Kind::Warning, Some("numb_legs")),
            Action::PassiveReply
        );
        assert_eq!(
            decide(Address::Watch, Kind::Answer, Some("crack_chair")),
            Action::Silent
        );
        assert_eq!(decide(Address::Direct, Kind::Fallback, None), Action::Reply);
    }

    #[test]
    fn mentions_are_stripped() {
        assert_eq!(
            strip_mentions("<@5> how do I crack <@!5>", 5),
            "how do I crack"
        );
        assert_eq!(strip_mentions("<@6> hi", 5), "<@6> hi");
    }

    #[test]
    fn user_cooldown_and_channel_limit() {
        let limits = Limits {
            user_cooldown: Duration::from_secs(60),
            channel_max: 2,
            channel_window: Duration::from_secs(30),
        };
        let mut l = Limiter::new(limits);
        let t0 = Instant::now();
        assert_eq!(l.check(t0, 1, 100), Ok(()));
        assert_eq!(
            l.check(t0 + Duration::from_secs(1), 1, 100),
            Err(Limited::UserCooldown)
        );
        assert_eq!(l.check(t0 + Duration::from_secs(1), 1, 101), Ok(()));
        assert_eq!(
            l.check(t0 + Duration::from_secs(2), 1, 102),
            Err(Limited::ChannelBusy)
        );
        // Another channel is independent.
        assert_eq!(l.check(t0 + Duration::from_secs(2), 2, 100), Ok(()));
        // The window slides.
        assert_eq!(l.check(t0 + Duration::from_secs(31), 1, 102), Ok(()));
        // The cooldown expires.
        assert_eq!(l.check(t0 + Duration::from_secs(61), 1, 100), Ok(()));
        l.prune(t0 + Duration::from_secs(1000));
        assert!(l.is_empty());
    }

    #[test]
    fn backoff_doubles_and_caps() {
        let b = Duration::from_millis(100);
        let max = Duration::from_secs(1);
        assert_eq!(backoff(b, 0, max), Duration::from_millis(100));
        assert_eq!(backoff(b, 1, max), Duration::from_millis(200));
        assert_eq!(backoff(b, 3, max), Duration::from_millis(800));
        assert_eq!(backoff(b, 4, max), max);
        assert_eq!(backoff(b, 40, max), max);
    }

    #[test]
    fn retry_after_from_header_or_body() {
        assert_eq!(
            retry_after(Some("1.5"), b""),
            Some(Duration::from_millis(1500))
        );
        assert_eq!(
            retry_after(
                None,
                br#"{"message":"slow","retry_after":0.25,"global":false}"#
            ),
            Some(Duration::from_millis(250))
        );
        assert_eq!(retry_after(Some("soon"), b"{}"), None);
        assert_eq!(retry_after(Some("-1"), b""), None);
    }
}
