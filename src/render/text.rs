//! Plain-text rendering of a reply, for the console and for logs in tests.

use std::fmt::Write;

use crate::reply::Reply;

/// The reply as plain text: title, paragraphs, numbered steps, bullets,
/// caution and footer, each on its own lines. Control characters from content
/// or echoed user text are replaced so they cannot drive the terminal.
pub fn render(reply: &Reply) -> String {
    let mut out = String::new();
    if !reply.title.is_empty() {
        let _ = writeln!(out, "== {} ==", reply.title);
    }
    for p in &reply.text {
        let _ = writeln!(out, "{p}");
    }
    for (i, s) in reply.steps.iter().enumerate() {
        let _ = writeln!(out, "  {}. {s}", i + 1);
    }
    for b in &reply.bullets {
        let _ = writeln!(out, "  - {b}");
    }
    if let Some(c) = &reply.caution {
        let _ = writeln!(out, "! {c}");
    }
    if let Some(f) = &reply.footer {
        let _ = writeln!(out, "({f})");
    }
    out.chars()
        .map(|c| {
            if c.is_control() && c != '\n' {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}
