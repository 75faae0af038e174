//! Command-line tools over the core: `check`, `eval`, `classify`, and the
//! line reader they share with the console.

pub mod check;
pub mod eval;
pub mod lines;

use std::io::Write;

use crate::engine::Engine;

/// `backbot classify`: one JSON object per message (spec format plus the
/// matched phrases and the reply kind). Returns the number of unreadable lines.
pub fn classify_line(engine: &Engine, text: &str, out: &mut impl Write) -> std::io::Result<()> {
    let c = engine.classify(text);
    let reply = crate::reply::Reply::for_classification(&engine.content, &c);
    let value = serde_json::json!({
        "text": c.text,
        "kind": c.kind,
        "intents": c.intents,
        "red_flags": c.red_flags,
        "matches": c.hits,
        "reply": { "kind": reply.kind(), "title": reply.title },
    });
    writeln!(out, "{value}")
}
