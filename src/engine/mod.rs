//! The engine: normalise once, match every intent with one set, apply negation
//! and triage by kind (advisory > warning > answer > fallback).

pub mod matcher;
pub mod negation;
pub mod normalise;
pub mod pattern;
pub mod set;

use std::path::Path;

use serde::Serialize;

use crate::content::Content;
use crate::error::{ContentError, ContentErrors};
use crate::Kind;
use matcher::Matcher;
use normalise::Normaliser;
use pattern::Compiler;

/// One matched intent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IntentHit {
    /// Intent id.
    pub id: String,
    /// Its kind.
    pub kind: Kind,
    /// The matched phrase in the normalised text.
    pub phrase: String,
    /// Ranking score within the kind (priority, then phrase length).
    pub score: i64,
}

/// What `classify` says of one message (the contract of `shared/spec/intents.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Classification {
    /// The message as given.
    pub text: String,
    /// The kind that decides the reply.
    pub kind: Kind,
    /// Every matched intent id, strongest kind first, best match first.
    pub intents: Vec<String>,
    /// The matched advisory ids.
    pub red_flags: Vec<String>,
    /// The matches with their phrases and scores.
    #[serde(skip)]
    pub hits: Vec<IntentHit>,
}

impl Classification {
    /// The best intent of the deciding kind, if any.
    pub fn primary(&self) -> Option<&IntentHit> {
        self.hits.first()
    }

    /// The matched intents of one kind, best first.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = &IntentHit> {
        self.hits.iter().filter(move |h| h.kind == kind)
    }
}

/// Content plus its compiled matcher: everything needed to classify and reply.
#[derive(Debug, Clone)]
pub struct Engine {
    /// The loaded content.
    pub content: Content,
    normaliser: Normaliser,
    matcher: Matcher,
    /// The FAQ search index, built once here (`crate::faq`).
    pub(crate) faq: crate::faq::FaqIndex,
}

impl Engine {
    /// Loads the content under `dir` and compiles it.
    pub fn load(dir: &Path) -> Result<Engine, ContentErrors> {
        Engine::new(Content::load(dir)?)
    }

    /// Compiles every pattern on its own and reports each bad one with file
    /// and line (slower than [`Engine::new`], which compiles one set).
    pub fn validate_patterns(content: &Content) -> Vec<ContentError> {
        let compiler = Compiler::new(&content.groups);
        locate(content, Matcher::validate(&content.intents, &compiler))
    }

    /// Compiles loaded content; every bad pattern is reported with file and line.
    pub fn new(content: Content) -> Result<Engine, ContentErrors> {
        let compiler = Compiler::new(&content.groups);
        let matcher = Matcher::build(&content.intents, &compiler)
            .map_err(|bad| ContentErrors(locate(&content, bad)))?;
        let mut patterns: Vec<&str> = Vec::new();
        for i in &content.intents {
            patterns.extend(i.patterns.iter().map(String::as_str));
        }
        let vocab = compiler.vocabulary(&patterns);
        let normaliser = Normaliser::new(content.words.clone(), vocab);
        let faq = crate::faq::FaqIndex::build(&content.faq, &content.intents, |t| {
            normaliser.normalise(t)
        });
        Ok(Engine {
            content,
            normaliser,
            matcher,
            faq,
        })
    }

    /// The normalised form of a message.
    pub fn normalise(&self, text: &str) -> String {
        self.normaliser.normalise(text)
    }

    /// Number of compiled patterns.
    pub fn pattern_count(&self) -> usize {
        self.matcher.len()
    }

    /// Classifies one message.
    pub fn classify(&self, text: &str) -> Classification {
        let norm = self.normaliser.normalise(text);
        let intents = &self.content.intents;
        // Best surviving span per intent: (intent index, start, end).
        let mut best: Vec<(usize, usize, usize)> = Vec::new();
        self.matcher.find(&norm, |idx, span| {
            let intent = &intents[idx];
            if intent.kind != Kind::Answer && negation::is_negated(&norm, span.start) {
                return;
            }
            match best.iter_mut().find(|(i, _, _)| *i == idx) {
                Some(b) if b.2 - b.1 >= span.end - span.start => {}
                Some(b) => *b = (idx, span.start, span.end),
                None => best.push((idx, span.start, span.end)),
            }
        });
        let mut hits: Vec<IntentHit> = best
            .into_iter()
            .map(|(idx, start, end)| {
                let intent = &intents[idx];
                let phrase = norm.get(start..end).unwrap_or_default().to_string();
                let words = phrase.split(' ').count() as i64;
                IntentHit {
                    id: intent.id.clone(),
                    kind: intent.kind,
                    score: i64::from(intent.priority) * 1000 + words,
                    phrase,
                }
            })
            .collect();
        hits.sort_by(|a, b| {
            a.kind
                .cmp(&b.kind)
                .then(b.score.cmp(&a.score))
                .then(a.id.cmp(&b.id))
        });
        let kind = hits.first().map_or(Kind::Fallback, |h| h.kind);
        let red_flags = hits
            .iter()
            .filter(|h| h.kind == Kind::Advisory)
            .map(|h| h.id.clone())
            .collect();
        Classification {
            text: text.to_string(),
            kind,
            intents: hits.iter().map(|h| h.id.clone()).collect(),
            red_flags,
            hits,
        }
    }
}

/// Turns bad patterns into content errors with file, line and intent.
fn locate(content: &Content, bad: Vec<matcher::BadPattern>) -> Vec<ContentError> {
    bad.into_iter()
        .map(|b| {
            let intent = content.intents.get(b.intent);
            let file = intent.map(|i| i.file.clone()).unwrap_or_default();
            let line = std::fs::read_to_string(content.dir.join(&file))
                .ok()
                .and_then(|t| crate::content::line_of(&t, &b.pattern));
            ContentError {
                file,
                line,
                intent: intent.map(|i| i.id.clone()),
                problem: format!("pattern {:?}: {}", b.pattern, b.error.problem),
                fix: b.error.fix,
            }
        })
        .collect()
}
