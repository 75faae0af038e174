//! One compiled multi-pattern matcher for every intent: a single `RegexSet`
//! decides which patterns match; only those are then run for their spans.

use regex::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};

use super::pattern::{Compiler, PatternError};
use crate::content::Intent;

/// Largest compiled size of one pattern.
pub const PATTERN_SIZE_LIMIT: usize = 2 * 1024 * 1024;

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

/// All intent patterns compiled into one set.
#[derive(Debug, Clone)]
pub struct Matcher {
    set: RegexSet,
    regexes: Vec<Regex>,
    owners: Vec<Owner>,
}

impl Matcher {
    /// Compiles every pattern and exclusion of `intents`; reports every bad pattern.
    pub fn build(intents: &[Intent], compiler: &Compiler) -> Result<Matcher, Vec<BadPattern>> {
        let mut sources = Vec::new();
        let mut regexes = Vec::new();
        let mut owners = Vec::new();
        let mut bad = Vec::new();
        for (idx, intent) in intents.iter().enumerate() {
            let all = intent
                .patterns
                .iter()
                .map(|p| (p, false))
                .chain(intent.exclude.iter().map(|p| (p, true)));
            for (pattern, exclude) in all {
                let compiled = compiler.compile(pattern).and_then(|src| {
                    RegexBuilder::new(&src).size_limit(PATTERN_SIZE_LIMIT).build().map(|re| (src, re)).map_err(|e| match e {
                        regex::Error::CompiledTooBig(limit) => PatternError {
                            problem: format!("the pattern compiles to more than {limit} bytes"),
                            fix: "use fewer optional items and gaps, or split it into several patterns".into(),
                        },
                        other => PatternError { problem: format!("invalid regular expression: {other}"), fix: "fix the re: pattern (Rust regex syntax, no look-around)".into() },
                    })
                });
                match compiled {
                    Ok((src, re)) => {
                        sources.push(src);
                        regexes.push(re);
                        owners.push(Owner {
                            intent: idx,
                            exclude,
                        });
                    }
                    Err(error) => bad.push(BadPattern {
                        intent: idx,
                        pattern: pattern.clone(),
                        error,
                    }),
                }
            }
        }
        if !bad.is_empty() {
            return Err(bad);
        }
        let limit = 256 * 1024 * 1024;
        let set = RegexSetBuilder::new(&sources)
            .size_limit(limit)
            .dfa_size_limit(64 * 1024 * 1024)
            .build()
            .map_err(|e| {
                vec![BadPattern {
                    intent: 0,
                    pattern: "(all patterns together)".into(),
                    error: PatternError {
                        problem: format!("the pattern set does not compile: {e}"),
                        fix: "simplify the largest patterns".into(),
                    },
                }]
            })?;
        Ok(Matcher {
            set,
            regexes,
            owners,
        })
    }

    /// For each intent index with a surviving match: its spans (exclusions
    /// applied, negation not yet). Off-topic text returns at the first check.
    pub fn find(&self, text: &str, mut each: impl FnMut(usize, Span)) {
        if !self.set.is_match(text) {
            return;
        }
        let hits = self.set.matches(text);
        let mut excluded: Vec<(usize, Span)> = Vec::new();
        for i in hits.iter().filter(|i| self.owners[*i].exclude) {
            for m in self.regexes[i].find_iter(text) {
                excluded.push((self.owners[i].intent, trim(text, m.start(), m.end())));
            }
        }
        for i in hits.iter().filter(|i| !self.owners[*i].exclude) {
            let intent = self.owners[i].intent;
            for m in self.regexes[i].find_iter(text) {
                let span = trim(text, m.start(), m.end());
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
        self.regexes.len()
    }

    /// True when there is no pattern at all.
    pub fn is_empty(&self) -> bool {
        self.regexes.is_empty()
    }
}

fn trim(text: &str, mut start: usize, mut end: usize) -> Span {
    let b = text.as_bytes();
    while start < end && b[start] == b' ' {
        start += 1;
    }
    while end > start && b[end - 1] == b' ' {
        end -= 1;
    }
    Span { start, end }
}
