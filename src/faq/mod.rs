//! FAQ lookup over `faq/faq.json`: ranked, typo-tolerant search, autocomplete
//! suggestions and the `/faq [query]` reply. Pure core: no transport types.

mod index;

use std::fmt::Write;

use serde::Serialize;

pub use index::{FaqIndex, Ranked, Ranking};

use crate::content::FaqEntry;
use crate::engine::Engine;
use crate::render::text::render;
use crate::reply::{Reply, ReplyKind};

/// A best hit scoring below this is no match.
pub const MIN_SCORE: f32 = 1.0;

/// Discord's limit on autocomplete choices.
pub const MAX_SUGGESTIONS: usize = 25;

/// Discord's limit on the length of a choice name.
const CHOICE_NAME_MAX: usize = 100;

/// How many closest topics a reply without a match suggests.
const CLOSEST: usize = 3;

/// One ranked FAQ entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Hit {
    /// The entry id (`faq/faq.json`).
    pub id: String,
    /// The question as shown.
    pub question: String,
    /// Ranking score (BM25F; higher is better).
    pub score: f32,
}

impl Engine {
    /// The FAQ index, built once when the content was compiled.
    pub fn faq_index(&self) -> &FaqIndex {
        &self.faq
    }
}

/// Whether a ranking counts as a match: a topic word was found and the best
/// entry scores at least [`MIN_SCORE`].
fn is_match(r: &Ranking) -> bool {
    r.topical && r.hits.first().is_some_and(|h| h.score >= MIN_SCORE)
}

fn hits(engine: &Engine, ranked: &[Ranked]) -> Vec<Hit> {
    ranked
        .iter()
        .filter_map(|r| {
            engine.content.faq.get(r.doc).map(|e| Hit {
                id: e.id.clone(),
                question: e.question.clone(),
                score: r.score,
            })
        })
        .collect()
}

/// The entries matching `query`, best first, at most `limit`; empty when
/// nothing matches.
pub fn search(engine: &Engine, query: &str, limit: usize) -> Vec<Hit> {
    let ranking = engine
        .faq_index()
        .rank(&engine.normalise(query), limit, false);
    if !is_match(&ranking) {
        return Vec::new();
    }
    hits(engine, &ranking.hits)
}

/// Autocomplete for `/faq query:<partial>`: up to 25 `(name, value)` choices,
/// the name being the question and the value the entry id (which [`reply`]
/// accepts). An empty `partial` lists the first topics; the word being typed
/// counts as a prefix ("stenosis sym").
pub fn suggest(engine: &Engine, partial: &str) -> Vec<(String, String)> {
    let choice = |e: &FaqEntry| (clip(&e.question, CHOICE_NAME_MAX), e.id.clone());
    if partial.trim().is_empty() {
        return engine
            .content
            .faq
            .iter()
            .take(MAX_SUGGESTIONS)
            .map(choice)
            .collect();
    }
    let typing = !partial.ends_with(char::is_whitespace);
    let ranking = engine
        .faq_index()
        .rank(&engine.normalise(partial), MAX_SUGGESTIONS, typing);
    if !ranking.topical {
        return Vec::new();
    }
    ranking
        .hits
        .iter()
        .filter_map(|r| engine.content.faq.get(r.doc))
        .map(choice)
        .collect()
}

/// The reply to `/faq [query]`. A red flag in the query gets the advisory;
/// no query lists the topics; an entry id (an autocomplete choice) or a
/// matching query shows the answer and where to find the full reply; no
/// match says so and suggests the closest topics.
pub fn reply(engine: &Engine, query: Option<&str>) -> Reply {
    let query = query.map(str::trim).unwrap_or_default();
    if let Some(advisory) = engine.red_flag_guard(query) {
        return advisory;
    }
    let faq = &engine.content.faq;
    if query.is_empty() {
        return topics(engine);
    }
    if let Some(e) = faq
        .iter()
        .find(|e| e.id == query || e.question.eq_ignore_ascii_case(query))
    {
        return answer(engine, e);
    }
    let norm = engine.normalise(query);
    let ranking = engine.faq_index().rank(&norm, CLOSEST, false);
    if is_match(&ranking) {
        if let Some(e) = ranking.hits.first().and_then(|h| faq.get(h.doc)) {
            return answer(engine, e);
        }
    }
    // Closest: the weak hits first, then questions sharing the most letters.
    let mut closest: Vec<usize> = ranking.hits.iter().map(|h| h.doc).collect();
    for doc in engine.faq_index().closest(&norm, CLOSEST) {
        if closest.len() < CLOSEST && !closest.contains(&doc) {
            closest.push(doc);
        }
    }
    let lead = if closest.is_empty() {
        // Nothing is even close: offer the first topics.
        closest.extend((0..faq.len()).take(CLOSEST));
        "Some topics"
    } else {
        "The closest topics"
    };
    Reply {
        kind: Some(ReplyKind::Info),
        title: "No FAQ match".into(),
        text: vec![format!(
            "I found no FAQ entry for \"{}\". {lead} (type /faq alone for all of them):",
            clip(query, 60)
        )],
        bullets: closest
            .iter()
            .filter_map(|&d| faq.get(d))
            .map(|e| e.question.clone())
            .collect(),
        ..Reply::default()
    }
}

/// `/faq` without a query: every question.
fn topics(engine: &Engine) -> Reply {
    let faq = &engine.content.faq;
    if faq.is_empty() {
        return Reply::info("FAQ", "There are no FAQ entries yet.");
    }
    Reply {
        kind: Some(ReplyKind::Info),
        title: "FAQ topics".into(),
        text: vec!["Search them with /faq <words>, for example: /faq heat or cold".into()],
        bullets: faq.iter().map(|e| e.question.clone()).collect(),
        ..Reply::default()
    }
}

/// One entry's answer, with a pointer to its intent's full reply.
fn answer(engine: &Engine, e: &FaqEntry) -> Reply {
    let content = &engine.content;
    let mut text = vec![e.answer.clone()];
    if let Some(full) = content.responses.get(&e.intent) {
        let ask = content
            .intent(&e.intent)
            .and_then(|i| i.examples.first())
            .map_or_else(|| e.question.clone(), Clone::clone);
        text.push(format!(
            "Full reply: \"{}\". Ask for it with /ask {ask}",
            full.title
        ));
    }
    Reply {
        kind: Some(ReplyKind::Answer),
        intents: vec![e.intent.clone()],
        title: e.question.clone(),
        text,
        footer: Some(content.common.footer.clone()),
        ..Reply::default()
    }
}

/// `backbot faq "<query>"`: the ranked matches with their scores, the
/// closest topics when nothing matches, or the advisory for a red flag.
pub fn report(engine: &Engine, query: &str) -> String {
    if let Some(advisory) = engine.red_flag_guard(query) {
        return render(&advisory);
    }
    let ranking = engine
        .faq_index()
        .rank(&engine.normalise(query), MAX_SUGGESTIONS, false);
    let mut out = String::new();
    if !is_match(&ranking) {
        let _ = writeln!(out, "no match for {:?}; topics:", clip(query, 60));
        let Reply { bullets, .. } = reply(engine, Some(query));
        for b in bullets {
            let _ = writeln!(out, "  - {b}");
        }
        return out;
    }
    for (i, h) in hits(engine, &ranking.hits).iter().enumerate() {
        let _ = writeln!(
            out,
            "{:>2}. {:>7.3}  {:<26} {}",
            i + 1,
            h.score,
            h.id,
            h.question
        );
    }
    out
}

/// At most `max` characters of `s`, with an ellipsis when cut.
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}
