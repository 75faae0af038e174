//! A multi-pattern set that reports which patterns match anywhere in a text:
//! one forward Thompson NFA for all patterns, searched by a lazy DFA (with the
//! PikeVM as fallback when the DFA gives up). Leaner to build and to hold than
//! `regex::RegexSet`, which also compiles reverse automata and prefilters.

use std::sync::Arc;

use regex_automata::hybrid::dfa::{Cache as DfaCache, DFA};
use regex_automata::nfa::thompson::{self, pikevm, WhichCaptures, NFA};
use regex_automata::util::pool::Pool;
use regex_automata::util::syntax;
use regex_automata::{Input, MatchKind, PatternSet as Hits};

/// Caches for one search (one per thread, from a pool).
struct Caches {
    dfa: DfaCache,
    pike: pikevm::Cache,
}

type CachePool = Pool<
    Caches,
    Box<dyn Fn() -> Caches + Send + Sync + std::panic::RefUnwindSafe + std::panic::UnwindSafe>,
>;

/// Which of many patterns match a haystack.
pub struct PatternSet {
    dfa: Arc<DFA>,
    pike: Arc<pikevm::PikeVM>,
    pool: CachePool,
    len: usize,
}

impl std::fmt::Debug for PatternSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PatternSet")
            .field("len", &self.len)
            .finish()
    }
}

impl Clone for PatternSet {
    fn clone(&self) -> Self {
        PatternSet::from_parts(self.dfa.clone(), self.pike.clone(), self.len)
    }
}

/// Why a set did not compile.
#[derive(Debug, thiserror::Error)]
pub enum SetError {
    /// The NFA could not be built (syntax or size).
    #[error("{0}")]
    Nfa(Box<thompson::BuildError>),
    /// The lazy DFA could not be configured.
    #[error("{0}")]
    Dfa(Box<regex_automata::hybrid::BuildError>),
    /// A compiling thread panicked.
    #[error("pattern compilation panicked")]
    Panicked,
}

impl From<thompson::BuildError> for SetError {
    fn from(e: thompson::BuildError) -> Self {
        SetError::Nfa(Box::new(e))
    }
}

impl From<regex_automata::hybrid::BuildError> for SetError {
    fn from(e: regex_automata::hybrid::BuildError) -> Self {
        SetError::Dfa(Box::new(e))
    }
}

impl PatternSet {
    /// Compiles `patterns` (byte-oriented, no Unicode classes) into one set.
    pub fn new(patterns: &[&str], nfa_size_limit: usize) -> Result<PatternSet, SetError> {
        let nfa: NFA = thompson::Compiler::new()
            .syntax(syntax::Config::new().unicode(false).utf8(false))
            .configure(
                thompson::Config::new()
                    .which_captures(WhichCaptures::None)
                    .nfa_size_limit(Some(nfa_size_limit)),
            )
            .build_many(patterns)?;
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::All)
                    .cache_capacity(2 * 1024 * 1024),
            )
            .build_from_nfa(nfa.clone())?;
        let pike = pikevm::PikeVM::builder()
            .configure(pikevm::Config::new().match_kind(MatchKind::All))
            .build_from_nfa(nfa)?;
        Ok(PatternSet::from_parts(
            Arc::new(dfa),
            Arc::new(pike),
            patterns.len(),
        ))
    }

    fn from_parts(dfa: Arc<DFA>, pike: Arc<pikevm::PikeVM>, len: usize) -> PatternSet {
        let (d, p) = (dfa.clone(), pike.clone());
        let pool: CachePool = Pool::new(Box::new(move || Caches {
            dfa: d.create_cache(),
            pike: p.create_cache(),
        }));
        PatternSet {
            dfa,
            pike,
            pool,
            len,
        }
    }

    /// Indices of the patterns that match somewhere in `haystack`.
    pub fn matches(&self, haystack: &[u8]) -> Hits {
        let mut hits = Hits::new(self.len);
        let input = Input::new(haystack);
        let mut caches = self.pool.get();
        let Caches { dfa, pike } = &mut *caches;
        if self
            .dfa
            .try_which_overlapping_matches(dfa, &input, &mut hits)
            .is_err()
        {
            hits.clear();
            self.pike.which_overlapping_matches(pike, &input, &mut hits);
        }
        hits
    }

    /// Number of patterns.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when the set has no pattern.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_every_matching_pattern() {
        let set = PatternSet::new(&[" crack ", " back ", " ice "], 1 << 20).expect("compiles");
        let hits = set.matches(b" crack my back ");
        assert_eq!(
            hits.iter().map(|p| p.as_usize()).collect::<Vec<_>>(),
            vec![0, 1]
        );
        assert!(set.matches(b" nothing here ").is_empty());
        assert!(PatternSet::new(&["(unclosed"], 1 << 20).is_err());
    }
}
