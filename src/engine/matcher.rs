//! One compiled multi-pattern matcher for every intent: a single `RegexSet`
//! decides which patterns match (off-topic text stops at its `is_match`); only
//! the patterns that matched are then run alone, for their spans.

use std::sync::OnceLock;

use regex::bytes::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

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

/// All intent patterns compiled into one set (plus a small one for `re:` patterns).
#[derive(Debug, Clone)]
pub struct Matcher {
    /// Every positive pattern in the authoring syntax, over the padded text.
    /// Exclusions are not in it: they matter only once their intent matched.
    set: RegexSet,
    /// The positive `re:` patterns, over the normalised text.
    raw_set: RegexSet,
    entries: Vec<Entry>,
    raw_entries: Vec<Entry>,
    /// Exclusions by intent index.
    excludes: Vec<Vec<Entry>>,
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

fn build_set(sources: &[String]) -> Result<RegexSet, regex::Error> {
    RegexSetBuilder::new(sources)
        .unicode(false)
        .size_limit(SET_SIZE_LIMIT)
        .dfa_size_limit(32 * 1024 * 1024)
        .build()
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
        let mut excludes: Vec<Vec<Entry>> = vec![Vec::new(); intents.len()];
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
                (true, _) => excludes[owner.intent].push(entry),
                (false, false) => entries.push(entry),
                (false, true) => raw_entries.push(entry),
            }
        }
        let sets = build_set(
            &entries
                .iter()
                .map(|e| e.regex.source.clone())
                .collect::<Vec<_>>(),
        )
        .and_then(|set| {
            Ok((
                set,
                build_set(
                    &raw_entries
                        .iter()
                        .map(|e| e.regex.source.clone())
                        .collect::<Vec<_>>(),
                )?,
            ))
        });
        match sets {
            Ok((set, raw_set)) => Ok(Matcher {
                set,
                raw_set,
                entries,
                raw_entries,
                excludes,
            }),
            // Name the culprits: compile each pattern alone.
            Err(e) => {
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
        let plain_hit = self.set.is_match(padded);
        let raw_hit = !self.raw_entries.is_empty() && self.raw_set.is_match(raw);
        if !plain_hit && !raw_hit {
            return;
        }
        let mut matched: Vec<&Entry> = Vec::new();
        if plain_hit {
            matched.extend(self.set.matches(padded).iter().map(|i| &self.entries[i]));
        }
        if raw_hit {
            matched.extend(
                self.raw_set
                    .matches(raw)
                    .iter()
                    .map(|i| &self.raw_entries[i]),
            );
        }
        // Exclusion spans of the intents that matched, computed once per intent.
        let mut excluded: Vec<(usize, Span)> = Vec::new();
        let mut checked: Vec<usize> = Vec::new();
        for entry in matched {
            let intent = entry.intent;
            if !checked.contains(&intent) {
                checked.push(intent);
                for x in &self.excludes[intent] {
                    excluded.extend(x.spans(padded, raw).map(|s| (intent, s)));
                }
            }
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
        self.entries.len()
            + self.raw_entries.len()
            + self.excludes.iter().map(Vec::len).sum::<usize>()
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
