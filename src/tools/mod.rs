//! Command-line tools over the core: `check`, `eval`, `classify`, and the
//! line reader they share with the console.

pub mod check;
pub mod eval;
pub mod lines;

use std::io::Write;

use crate::engine::Engine;

/// One line of `backbot classify`: the spec's fields in the spec's order, then
/// the matched phrases and the reply.
#[derive(serde::Serialize)]
struct ClassifyLine<'a> {
    text: &'a str,
    kind: crate::Kind,
    intents: &'a [String],
    red_flags: &'a [String],
    matches: &'a [crate::IntentHit],
    reply: ReplySummary<'a>,
}

#[derive(serde::Serialize)]
struct ReplySummary<'a> {
    kind: crate::ReplyKind,
    title: &'a str,
}

/// `backbot classify`: one JSON object per message (spec format plus the
/// matched phrases and the reply kind and title).
pub fn classify_line(engine: &Engine, text: &str, out: &mut impl Write) -> std::io::Result<()> {
    let c = engine.classify(text);
    let reply = crate::reply::Reply::for_classification(&engine.content, &c);
    let line = ClassifyLine {
        text: &c.text,
        kind: c.kind,
        intents: &c.intents,
        red_flags: &c.red_flags,
        matches: &c.hits,
        reply: ReplySummary {
            kind: reply.kind(),
            title: &reply.title,
        },
    };
    serde_json::to_writer(&mut *out, &line)?;
    writeln!(out)
}

/// `backbot classify` over stdin: one JSON line per readable input line; an
/// unreadable line (invalid UTF-8) is reported on `err` and skipped. Returns
/// how many lines were unreadable.
pub fn classify_stream(
    engine: &Engine,
    input: impl std::io::BufRead,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<usize> {
    let mut bad = 0;
    let mut failure = None;
    lines::for_each_line(input, |_, line| {
        let written = match line {
            Ok(text) => classify_line(engine, &text, out),
            Err(e) => {
                bad += 1;
                writeln!(err, "error: {e}")
            }
        };
        written.map_err(|e| failure = Some(e)).is_ok()
    })?;
    match failure {
        Some(e) => Err(e),
        None => Ok(bad),
    }
}
