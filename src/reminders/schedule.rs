//! The pure rules of daily reminders: the next fire time in a real time zone
//! (DST gaps fire at the first valid minute after, folds fire once), the grace
//! rule after downtime, streaks, and the stretch of the day. No clock inside.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{SignedDuration, Timestamp};

/// A reminder missed by less than this is still sent, late, once.
pub const DEFAULT_GRACE: SignedDuration = SignedDuration::from_hours(2);

/// Why a time of day was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{input:?} is not a time: write HH:MM in 24-hour form, for example 07:30 or 18:05")]
pub struct TimeError {
    /// What the user typed (shortened).
    pub input: String,
}

/// Why a time-zone name was refused, with the closest known name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ZoneError {
    /// What the user typed (shortened).
    pub input: String,
    /// The closest IANA name, if one is close.
    pub suggestion: Option<String>,
}

impl std::fmt::Display for ZoneError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.suggestion {
            Some(s) => write!(f, "{}: did you mean {s}?", self.input),
            None => write!(f, "{} is not a time zone I know: use an IANA name such as Europe/Berlin or America/New_York", self.input),
        }
    }
}

fn shorten(s: &str) -> String {
    s.trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(60)
        .collect()
}

/// Parses "HH:MM" (also "H:MM" and "HHMM"): 24-hour local time.
pub fn parse_time(input: &str) -> Result<Time, TimeError> {
    let err = || TimeError {
        input: shorten(input),
    };
    let s = input.trim();
    let (h, m) = match s.split_once(':') {
        Some((h, m)) => (h, m),
        None if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) => s.split_at(2),
        None => return Err(err()),
    };
    if h.is_empty()
        || h.len() > 2
        || m.len() != 2
        || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit())
    {
        return Err(err());
    }
    let h: i8 = h.parse().map_err(|_| err())?;
    let m: i8 = m.parse().map_err(|_| err())?;
    Time::new(h, m, 0, 0).map_err(|_| err())
}

/// Every IANA zone name known to the bundled database.
pub fn zone_names() -> Vec<String> {
    let mut names: Vec<String> = jiff::tz::db()
        .available()
        .map(|n| n.as_str().to_string())
        .collect();
    names.sort();
    names
}

/// Resolves an IANA name (case-insensitive), or suggests the closest one.
pub fn parse_zone(input: &str) -> Result<(String, TimeZone), ZoneError> {
    let name = input.trim();
    if !name.is_empty() && name.len() <= 64 && !name.chars().any(char::is_control) {
        if let Ok(tz) = TimeZone::get(name) {
            let canonical = tz.iana_name().unwrap_or(name).to_string();
            return Ok((canonical, tz));
        }
    }
    let lower = name.to_lowercase();
    let best = zone_names()
        .into_iter()
        .map(|n| (edit_distance(&lower, &n.to_lowercase()), n))
        .min();
    let suggestion = best
        .filter(|(d, _)| *d <= 3.max(lower.len() / 4))
        .map(|(_, n)| n);
    Err(ZoneError {
        input: shorten(input),
        suggestion,
    })
}

/// Time zones whose name contains what the user typed so far (autocomplete).
pub fn zone_suggestions(partial: &str, limit: usize) -> Vec<String> {
    let p = partial.trim().to_lowercase().replace(' ', "_");
    let names = zone_names();
    let mut starts: Vec<String> = Vec::new();
    let mut contains: Vec<String> = Vec::new();
    for n in names {
        let l = n.to_lowercase();
        if l.starts_with(&p)
            || l.rsplit('/')
                .next()
                .is_some_and(|city| city.starts_with(&p))
        {
            starts.push(n);
        } else if l.contains(&p) {
            contains.push(n);
        }
    }
    starts.extend(contains);
    starts.truncate(limit);
    starts
}

/// Levenshtein distance, for "did you mean".
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The instant a local date and time happen in `tz`: a time skipped by a DST
/// gap happens at the first valid minute after it; a repeated time at its first
/// occurrence.
pub fn resolve(date: Date, time: Time, tz: &TimeZone) -> Timestamp {
    let mut dt = DateTime::from_parts(date, time);
    // A gap is at most a day long (Samoa 2011); step minute by minute past it.
    for _ in 0..=(24 * 60 + 1) {
        let amb = tz.to_ambiguous_timestamp(dt);
        match amb.offset() {
            AmbiguousOffset::Gap { .. } => match dt.checked_add(SignedDuration::from_mins(1)) {
                Ok(next) => {
                    dt = next
                        .with()
                        .second(0)
                        .subsec_nanosecond(0)
                        .build()
                        .unwrap_or(next)
                }
                Err(_) => break,
            },
            _ => {
                if let Ok(ts) = amb.earlier() {
                    return ts;
                }
                break;
            }
        }
    }
    tz.to_ambiguous_timestamp(dt)
        .compatible()
        .unwrap_or(Timestamp::MAX)
}

/// The first fire strictly after `after`: once per local day at `time` in `tz`.
pub fn next_fire(time: Time, tz: &TimeZone, after: Timestamp) -> Timestamp {
    let mut date = after.to_zoned(tz.clone()).date();
    for _ in 0..4 {
        let at = resolve(date, time, tz);
        if at > after {
            return at;
        }
        match date.tomorrow() {
            Ok(d) => date = d,
            Err(_) => break,
        }
    }
    Timestamp::MAX
}

/// What to do with a reminder whose slot has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Send it now (late when after its slot by more than a minute).
    Send {
        /// Sent after downtime, within the grace period.
        late: bool,
    },
    /// Missed by more than the grace period: skip to the next day, send nothing.
    Skip,
}

/// The grace rule for a slot at `slot` seen at `now` (`now >= slot`).
pub fn on_due(slot: Timestamp, now: Timestamp, grace: SignedDuration) -> Due {
    let late_by = now.duration_since(slot);
    if late_by > grace {
        Due::Skip
    } else {
        Due::Send {
            late: late_by > SignedDuration::from_mins(1),
        }
    }
}

/// The streak after "Done" on local `day`: consecutive days count up, a second
/// Done the same day changes nothing, a missed day starts again at 1.
pub fn streak_after_done(streak: u32, last_done: Option<Date>, day: Date) -> u32 {
    match last_done {
        Some(d) if d == day => streak.max(1),
        Some(d) if d.tomorrow().ok() == Some(day) => streak.saturating_add(1),
        _ => 1,
    }
}

/// The streak as shown on `today`: it lapses when yesterday had no Done.
pub fn current_streak(streak: u32, last_done: Option<Date>, today: Date) -> u32 {
    match last_done {
        Some(d) if d == today || d.tomorrow().ok() == Some(today) => streak,
        _ => 0,
    }
}

/// Which entry of a rotation of `len` items a local date shows: consecutive
/// days walk through all of them.
pub fn rotation_index(day: Date, len: usize) -> usize {
    if len == 0 {
        return 0;
    }
    let epoch = Date::constant(2000, 1, 1);
    let days = (day - epoch).get_days() as i64;
    days.rem_euclid(len as i64) as usize
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn tz(name: &str) -> TimeZone {
        TimeZone::get(name).expect("zone")
    }

    fn at(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    #[test]
    fn parses_times_and_refuses_nonsense() {
        assert_eq!(parse_time("07:30"), Ok(Time::constant(7, 30, 0, 0)));
        assert_eq!(parse_time("9:05"), Ok(Time::constant(9, 5, 0, 0)));
        assert_eq!(parse_time("1805"), Ok(Time::constant(18, 5, 0, 0)));
        let e = parse_time("25:61").expect_err("not a time");
        assert_eq!(
            e.to_string(),
            "\"25:61\" is not a time: write HH:MM in 24-hour form, for example 07:30 or 18:05"
        );
        assert!(parse_time("noon").is_err());
        assert!(parse_time("7:5").is_err());
    }

    #[test]
    fn suggests_the_closest_zone() {
        assert_eq!(
            parse_zone("Europe/Berlin").map(|z| z.0),
            Ok("Europe/Berlin".to_string())
        );
        let e = parse_zone("Europe/Berln").expect_err("typo");
        assert_eq!(e.to_string(), "Europe/Berln: did you mean Europe/Berlin?");
        assert!(parse_zone("Mars/Olympus_Mons_Base")
            .expect_err("unknown")
            .suggestion
            .is_none());
        assert!(zone_suggestions("new_y", 25).contains(&"America/New_York".to_string()));
        assert!(zone_suggestions("", 25).len() == 25);
    }

    #[test]
    fn fires_daily_at_local_time() {
        let berlin = tz("Europe/Berlin");
        let t = Time::constant(9, 0, 0, 0);
        assert_eq!(
            next_fire(t, &berlin, at("2026-01-10T07:00:00Z")),
            at("2026-01-10T08:00:00Z")
        );
        assert_eq!(
            next_fire(t, &berlin, at("2026-01-10T08:00:00Z")),
            at("2026-01-11T08:00:00Z"),
            "strictly after: once a day"
        );
        assert_eq!(
            next_fire(t, &berlin, at("2026-07-10T08:00:00Z")),
            at("2026-07-11T07:00:00Z"),
            "summer time"
        );
    }

    #[test]
    fn spring_forward_fires_at_the_first_valid_minute() {
        // Berlin 2026-03-29: 02:00 CET jumps to 03:00 CEST.
        let berlin = tz("Europe/Berlin");
        let t = Time::constant(2, 30, 0, 0);
        assert_eq!(
            next_fire(t, &berlin, at("2026-03-28T12:00:00Z")),
            at("2026-03-29T01:00:00Z"),
            "03:00 CEST"
        );
        assert_eq!(
            next_fire(t, &berlin, at("2026-03-29T01:00:00Z")),
            at("2026-03-30T00:30:00Z"),
            "next day back at 02:30"
        );
        // New York 2026-03-08: 02:00 EST jumps to 03:00 EDT.
        let ny = tz("America/New_York");
        assert_eq!(
            next_fire(Time::constant(2, 15, 0, 0), &ny, at("2026-03-07T12:00:00Z")),
            at("2026-03-08T07:00:00Z")
        );
    }

    #[test]
    fn fall_back_fires_once() {
        // Berlin 2026-10-25: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice.
        let berlin = tz("Europe/Berlin");
        let t = Time::constant(2, 30, 0, 0);
        let first = next_fire(t, &berlin, at("2026-10-24T12:00:00Z"));
        assert_eq!(first, at("2026-10-25T00:30:00Z"), "the first 02:30 (CEST)");
        let second = next_fire(t, &berlin, first);
        assert_eq!(
            second,
            at("2026-10-26T01:30:00Z"),
            "not again at the second 02:30, but the next day"
        );
        let ny = tz("America/New_York");
        let first = next_fire(Time::constant(1, 30, 0, 0), &ny, at("2026-10-31T12:00:00Z"));
        assert_eq!(first, at("2026-11-01T05:30:00Z"));
        assert_eq!(
            next_fire(Time::constant(1, 30, 0, 0), &ny, first),
            at("2026-11-02T06:30:00Z")
        );
    }

    #[test]
    fn leap_day_and_zone_change() {
        let utc = TimeZone::UTC;
        let t = Time::constant(6, 0, 0, 0);
        assert_eq!(
            next_fire(t, &utc, at("2028-02-28T07:00:00Z")),
            at("2028-02-29T06:00:00Z")
        );
        assert_eq!(
            next_fire(t, &utc, at("2028-02-29T07:00:00Z")),
            at("2028-03-01T06:00:00Z")
        );
        // Moving from Berlin to Tokyo: the same 06:00 is now Tokyo's.
        let tokyo = tz("Asia/Tokyo");
        assert_eq!(
            next_fire(t, &tokyo, at("2026-05-01T12:00:00Z")),
            at("2026-05-01T21:00:00Z")
        );
    }

    #[test]
    fn grace_rule() {
        let slot = at("2026-01-10T08:00:00Z");
        assert_eq!(on_due(slot, slot, DEFAULT_GRACE), Due::Send { late: false });
        assert_eq!(
            on_due(slot, at("2026-01-10T09:59:00Z"), DEFAULT_GRACE),
            Due::Send { late: true }
        );
        assert_eq!(
            on_due(slot, at("2026-01-10T10:01:00Z"), DEFAULT_GRACE),
            Due::Skip
        );
    }

    #[test]
    fn streaks_and_rotation() {
        let d = date(2026, 1, 10);
        assert_eq!(streak_after_done(0, None, d), 1);
        assert_eq!(streak_after_done(3, Some(date(2026, 1, 9)), d), 4);
        assert_eq!(streak_after_done(4, Some(d), d), 4);
        assert_eq!(streak_after_done(4, Some(date(2026, 1, 7)), d), 1);
        assert_eq!(current_streak(4, Some(date(2026, 1, 9)), d), 4);
        assert_eq!(current_streak(4, Some(date(2026, 1, 8)), d), 0);
        let week: std::collections::BTreeSet<usize> = (0..7)
            .map(|i| rotation_index(d.checked_add(jiff::Span::new().days(i)).expect("date"), 7))
            .collect();
        assert_eq!(week.len(), 7, "a week shows each of seven");
    }
}
