//! `backbot check`: loads the content, then runs every intent's examples and
//! near misses through the real engine; each failure names file, line and fix.

use std::path::Path;

use crate::content::line_of;
use crate::engine::Engine;
use crate::error::ContentError;
use crate::Kind;

/// What a successful check covered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckSummary {
    /// Intents loaded.
    pub intents: usize,
    /// Compiled patterns.
    pub patterns: usize,
    /// Examples and near misses run.
    pub examples: usize,
    /// FAQ entries.
    pub faq: usize,
}

/// Checks the content under `dir`: every problem, or what was covered.
pub fn check(dir: &Path) -> Result<CheckSummary, Vec<ContentError>> {
    let content = crate::content::Content::load(dir).map_err(|e| e.0)?;
    let bad = Engine::validate_patterns(&content);
    if !bad.is_empty() {
        return Err(bad);
    }
    let engine = Engine::new(content).map_err(|e| e.0)?;
    let errors = check_examples(&engine);
    if !errors.is_empty() {
        return Err(errors);
    }
    let content = &engine.content;
    Ok(CheckSummary {
        intents: content.intents.len(),
        patterns: engine.pattern_count(),
        examples: content
            .intents
            .iter()
            .map(|i| i.examples.len() + i.not_examples.len())
            .sum(),
        faq: content.faq.len(),
    })
}

/// Runs every example and not_example of every intent.
pub fn check_examples(engine: &Engine) -> Vec<ContentError> {
    let mut errors = Vec::new();
    let content = &engine.content;
    for intent in &content.intents {
        let text = std::fs::read_to_string(content.dir.join(&intent.file)).unwrap_or_default();
        let at = |s: &str| line_of(&text, s);
        let mk = |line, problem: String, fix: &str| ContentError {
            file: intent.file.clone(),
            line,
            intent: Some(intent.id.clone()),
            problem,
            fix: fix.to_string(),
        };
        for ex in &intent.examples {
            let c = engine.classify(ex);
            let norm = engine.normalise(ex);
            if !c.intents.contains(&intent.id) {
                errors.push(mk(at(ex), format!("example {ex:?} does not reach its intent (normalised: {norm:?}; got {} {:?})", c.kind, c.intents), "add or widen a pattern (or a group member) so this message matches, or check that no negation word stands just before the phrase"));
            } else if intent.kind == Kind::Answer
                && c.kind == Kind::Answer
                && c.intents.first() != Some(&intent.id)
            {
                let winner = c.intents.first().cloned().unwrap_or_default();
                errors.push(mk(at(ex), format!("example {ex:?} reaches its intent, but {winner:?} wins"), "raise this intent's priority, make its pattern match a longer phrase, or narrow the other intent"));
            }
        }
        for ex in &intent.not_examples {
            let c = engine.classify(ex);
            if c.intents.contains(&intent.id) {
                let phrase = c
                    .hits
                    .iter()
                    .find(|h| h.id == intent.id)
                    .map(|h| h.phrase.clone())
                    .unwrap_or_default();
                errors.push(mk(at(ex), format!("not_example {ex:?} reaches this intent (matched phrase {phrase:?})"), "narrow the pattern that matches this phrase, or add an \"exclude\" pattern for this sense of the words"));
            }
        }
    }
    errors
}
