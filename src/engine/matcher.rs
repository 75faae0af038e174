//! One compiled multi-pattern matcher for every intent: a single `RegexSet`
//! decides which patterns match (off-topic text stops at its `is_match`); only
//! the patterns that matched are then run alone, for their spans.

use std::sync::OnceLock;

use regex::bytes::{Regex, RegexBuilder};

use super::set::{PatternSet, SetError};

use super::pattern::{is_raw, pad, Compiler, PatternError};
use crate::content::Intent;

/// Largest compiled size of one pattern.
pub const PATTERN_SIZE_LIMIT: usize = 2 * 1024 * 1024;
/// Largest compiled size of the whole set.
const SET_SIZE_LIMIT: usize = 256 * 1024 * 1024;

/// Which intent a set entry belongs to and whether it is an exclusion.
#[derive(Debug, Clone, Copy)]
struct Owner {
    intent: usize,
    exclude: bool,
}

/// A pattern that failed to compile, located in its intent.
#[derive(Debug, Clone)]
pub struct BadPattern {
    /// Index of the intent in the slice given to [`Matcher::build`].
    pub intent: usize,
    /// The pattern as written.
    pub pattern: String,
    /// Why.
    pub error: PatternError,
}

/// One raw match of one pattern.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    /// Byte range in the normalised text, separators trimmed.
    pub start: usize,
    /// End of the range.
    pub end: usize,
}

/// One pattern's own regex, compiled the first time the set says it matched.
#[derive(Debug)]
struct Lazy {
    source: String,
    regex: OnceLock<Option<Regex>>,
}

impl Clone for Lazy {
    fn clone(&self) -> Self {
        Lazy {
            source: self.source.clone(),
            regex: OnceLock::new(),
        }
    }
}

impl Lazy {
    fn get(&self) -> Option<&Regex> {
        self.regex
            .get_or_init(|| build_one(&self.source).ok())
            .as_ref()
    }
}

/// Patterns are matched on bytes without Unicode classes: the normalised text
/// is tokens separated by ASCII spaces, and every span ends at a separator, so
/// spans always fall on character boundaries. This keeps the automata small.
fn build_one(source: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(source)
        .unicode(false)
        .size_limit(PATTERN_SIZE_LIMIT)
        .build()
}

fn pattern_error(e: regex::Error) -> PatternError {
    match e {
        regex::Error::CompiledTooBig(limit) => PatternError {
            problem: format!("the pattern compiles to more than {limit} bytes"),
            fix: "use fewer optional items and gaps, or split it into several patterns".into(),
        },
        other => PatternError {
            problem: format!("invalid regular expression: {other}"),
            fix: "fix the re: pattern (Rust regex syntax, no look-around)".into(),
        },
    }
}

/// A compiled pattern: its intent, which text it runs on, its own regex.
#[derive(Debug, Clone)]
struct Entry {
    intent: usize,
    /// `re:` patterns run on the normalised text, the others on the padded text.
    raw: bool,
    regex: Lazy,
}

impl Entry {
    /// Spans of this entry's matches, in normalised-text coordinates.
    fn spans<'a>(&'a self, padded: &'a [u8], raw: &'a [u8]) -> impl Iterator<Item = Span> + 'a {
        let (hay, shift) = if self.raw { (raw, 0) } else { (padded, 1) };
        self.regex.get().into_iter().flat_map(move |re| {
            re.find_iter(hay).map(move |m| {
                let s = trim(hay, m.start(), m.end());
                let max = raw.len();
                Span {
                    start: s.start.saturating_sub(shift).min(max),
                    end: s.end.saturating_sub(shift).min(max),
                }
            })
        })
    }
}

/// Part of the multi-pattern set: one compiled `RegexSet` and its patterns.
#[derive(Debug, Clone)]
struct Shard {
    set: PatternSet,
    /// Runs on the normalised text (`re:` patterns) rather than the padded one.
    raw: bool,
    /// Holds exclusions: scanned only when a positive pattern matched.
    exclude: bool,
    entries: Vec<Entry>,
}

/// Every positive pattern of every intent, compiled together. The authoring
/// patterns form one set over the padded text (split into as many shards as
/// there are cores, compiled in parallel at start: the set is the whole
/// start-up cost); `re:` patterns form one small set over the plain text.
/// Exclusions form their own shards, scanned only once a positive pattern matched.
#[derive(Debug, Clone)]
pub struct Matcher {
    shards: Vec<Shard>,
}

/// Every pattern and exclusion of `intents` as regex source, with its owner.
fn sources(
    intents: &[Intent],
    compiler: &Compiler,
) -> (Vec<(String, Owner, bool)>, Vec<BadPattern>) {
    let mut sources = Vec::new();
    let mut bad = Vec::new();
    for (idx, intent) in intents.iter().enumerate() {
        let all = intent
            .patterns
            .iter()
            .map(|p| (p, false))
            .chain(intent.exclude.iter().map(|p| (p, true)));
        for (pattern, exclude) in all {
            match compiler.compile(pattern) {
                Ok(src) => sources.push((
                    src,
                    Owner {
                        intent: idx,
                        exclude,
                    },
                    is_raw(pattern),
                )),
                Err(error) => bad.push(BadPattern {
                    intent: idx,
                    pattern: pattern.clone(),
                    error,
                }),
            }
        }
    }
    (sources, bad)
}

fn build_set(sources: &[&str]) -> Result<PatternSet, SetError> {
    PatternSet::new(sources, SET_SIZE_LIMIT)
}

impl Matcher {
    /// Compiles every pattern of `intents` into one set. Fast: each pattern's
    /// own regex (for spans) and the exclusions are compiled on first use.
    /// [`Matcher::validate`] checks each pattern on its own.
    pub fn build(intents: &[Intent], compiler: &Compiler) -> Result<Matcher, Vec<BadPattern>> {
        let (sources, bad) = sources(intents, compiler);
        if !bad.is_empty() {
            return Err(bad);
        }
        let mut entries = Vec::new();
        let mut raw_entries = Vec::new();
        let mut excludes = Vec::new();
        let mut raw_excludes = Vec::new();
        for (source, owner, raw) in sources {
            let entry = Entry {
                intent: owner.intent,
                raw,
                regex: Lazy {
                    source,
                    regex: OnceLock::new(),
                },
            };
            match (owner.exclude, raw) {
                (true, false) => excludes.push(entry),
                (true, true) => raw_excludes.push(entry),
                (false, false) => entries.push(entry),
                (false, true) => raw_entries.push(entry),
            }
        }
        // Balance the shards by source size; one shard per core, at most four.
        let cores = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 4);
        let mut plain: Vec<Vec<Entry>> = vec![Vec::new(); cores];
        let mut sizes = vec![0usize; cores];
        entries.sort_by_key(|e| std::cmp::Reverse(e.regex.source.len()));
        for e in entries {
            let smallest = (0..cores).min_by_key(|i| sizes[*i]).unwrap_or(0);
            sizes[smallest] += e.regex.source.len();
            plain[smallest].push(e);
        }
        let mut groups: Vec<(bool, bool, Vec<Entry>)> =
            plain.into_iter().map(|g| (false, false, g)).collect();
        groups.push((true, false, raw_entries));
        groups.push((false, true, excludes));
        groups.push((true, true, raw_excludes));
        groups.retain(|g| !g.2.is_empty());
        let built: Vec<Result<Shard, SetError>> = std::thread::scope(|scope| {
            let handles: Vec<_> = groups
                .into_iter()
                .map(|(raw, exclude, entries)| {
                    scope.spawn(move || {
                        let sources: Vec<&str> =
                            entries.iter().map(|e| e.regex.source.as_str()).collect();
                        build_set(&sources).map(|set| Shard {
                            set,
                            raw,
                            exclude,
                            entries,
                        })
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err(SetError::Panicked)))
                .collect()
        });
        let mut shards = Vec::new();
        let mut failure = None;
        for b in built {
            match b {
                Ok(shard) => shards.push(shard),
                Err(e) => failure = Some(e),
            }
        }
        match failure {
            None => Ok(Matcher { shards }),
            // Name the culprits: compile each pattern alone.
            Some(e) => {
                let mut bad = Matcher::validate(intents, compiler);
                if bad.is_empty() {
                    bad.push(BadPattern {
                        intent: 0,
                        pattern: "(all patterns together)".into(),
                        error: PatternError {
                            problem: format!("the pattern set does not compile: {e}"),
                            fix: "simplify the largest patterns".into(),
                        },
                    });
                }
                Err(bad)
            }
        }
    }

    /// Compiles every pattern on its own (with the per-pattern size limit) and
    /// reports each one that fails.
    pub fn validate(intents: &[Intent], compiler: &Compiler) -> Vec<BadPattern> {
        let mut bad = Vec::new();
        for (idx, intent) in intents.iter().enumerate() {
            for pattern in intent.patterns.iter().chain(intent.exclude.iter()) {
                let result = compiler
                    .compile(pattern)
                    .and_then(|src| build_one(&src).map(|_| ()).map_err(pattern_error));
                if let Err(error) = result {
                    bad.push(BadPattern {
                        intent: idx,
                        pattern: pattern.clone(),
                        error,
                    });
                }
            }
        }
        bad
    }

    /// Calls `each(intent index, span)` for every match that no exclusion of
    /// the same intent overlaps (negation is not applied here). Spans are in
    /// `text` (normalised) coordinates.
    pub fn find(&self, text: &str, mut each: impl FnMut(usize, Span)) {
        let padded = pad(text);
        let (padded, raw) = (padded.as_bytes(), text.as_bytes());
        let hay = |shard: &Shard| if shard.raw { raw } else { padded };
        let mut matched: Vec<&Entry> = Vec::new();
        for shard in self.shards.iter().filter(|s| !s.exclude) {
            let hits = shard.set.matches(hay(shard));
            if !hits.is_empty() {
                matched.extend(hits.iter().map(|i| &shard.entries[i.as_usize()]));
            }
        }
        if matched.is_empty() {
            return;
        }
        // Exclusion spans, only of the intents that matched.
        let mut excluded: Vec<(usize, Span)> = Vec::new();
        for shard in self.shards.iter().filter(|s| s.exclude) {
            for i in shard.set.matches(hay(shard)).iter() {
                let x = &shard.entries[i.as_usize()];
                if matched.iter().any(|m| m.intent == x.intent) {
                    excluded.extend(x.spans(padded, raw).map(|s| (x.intent, s)));
                }
            }
        }
        for entry in matched {
            let intent = entry.intent;
            for span in entry.spans(padded, raw) {
                let overlaps = excluded
                    .iter()
                    .any(|(x, e)| *x == intent && e.start < span.end && span.start < e.end);
                if !overlaps {
                    each(intent, span);
                }
            }
        }
    }

    /// Number of compiled patterns (including exclusions).
    pub fn len(&self) -> usize {
        self.shards.iter().map(|s| s.entries.len()).sum::<usize>()
    }

    /// True when there is no pattern at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn trim(b: &[u8], mut start: usize, mut end: usize) -> Span {
    while start < end && b[start] == b' ' {
        start += 1;
    }
    while end > start && b[end - 1] == b' ' {
        end -= 1;
    }
    Span { start, end }
}
