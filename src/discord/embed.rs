//! Renders a core [`Reply`] as a Discord embed (title, text, numbered steps,
//! bullets, caution, footer), within Discord's size limits, and the
//! "mention nobody" allowed-mentions value every outgoing message carries.

use serenity::all::{CreateAllowedMentions, CreateEmbed, CreateEmbedFooter};

use crate::reply::{Reply, ReplyKind};

/// Footer used when a reply carries none: every embed says it.
pub const DEFAULT_FOOTER: &str = "Not medical advice.";

const TITLE_MAX: usize = 256;
const DESCRIPTION_MAX: usize = 4096;
const FIELD_MAX: usize = 1024;
const FOOTER_MAX: usize = 2048;

/// Allowed mentions that ping nobody (`"parse": []`, no users, no roles, no reply ping).
pub fn no_mentions() -> CreateAllowedMentions {
    CreateAllowedMentions::new()
        .everyone(false)
        .all_users(false)
        .all_roles(false)
        .replied_user(false)
}

/// Embed colour by reply kind.
pub fn colour(kind: ReplyKind) -> u32 {
    match kind {
        ReplyKind::Advisory => 0xC0392B,
        ReplyKind::Warning => 0xE67E22,
        ReplyKind::Answer => 0x2E86C1,
        ReplyKind::Fallback | ReplyKind::Info => 0x7F8C8D,
        ReplyKind::Error => 0x95A5A6,
    }
}

/// The embed's description: paragraphs, then numbered steps, then bullets.
pub fn description(reply: &Reply) -> String {
    let mut parts: Vec<String> = reply
        .text
        .iter()
        .filter(|t| !t.is_empty())
        .cloned()
        .collect();
    if !reply.steps.is_empty() {
        let steps: Vec<String> = reply
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| format!("{}. {s}", i + 1))
            .collect();
        parts.push(steps.join("\n"));
    }
    if !reply.bullets.is_empty() {
        let bullets: Vec<String> = reply.bullets.iter().map(|b| format!("• {b}")).collect();
        parts.push(bullets.join("\n"));
    }
    truncate(&parts.join("\n\n"), DESCRIPTION_MAX)
}

/// The footer text (the reply's own, or the default "not medical advice").
pub fn footer(reply: &Reply) -> String {
    let f = reply
        .footer
        .as_deref()
        .filter(|f| !f.trim().is_empty())
        .unwrap_or(DEFAULT_FOOTER);
    truncate(f, FOOTER_MAX)
}

/// The embed of a reply.
pub fn render(reply: &Reply) -> CreateEmbed {
    let mut e = CreateEmbed::new()
        .colour(colour(reply.kind()))
        .footer(CreateEmbedFooter::new(footer(reply)));
    if !reply.title.is_empty() {
        e = e.title(truncate(&reply.title, TITLE_MAX));
    }
    let d = description(reply);
    if !d.is_empty() {
        e = e.description(d);
    }
    if let Some(c) = reply.caution.as_deref().filter(|c| !c.is_empty()) {
        e = e.field("⚠️ Caution", truncate(c, FIELD_MAX), false);
    }
    e
}

/// Cuts `s` to at most `max` characters, ending with "…" when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn reply() -> Reply {
        Reply {
            kind: Some(ReplyKind::Answer),
            intents: vec!["crack_chair".into()],
            title: "Chair technique".into(),
            text: vec!["Sit up straight.".into()],
            steps: vec!["Sit.".into(), "Twist.".into()],
            bullets: vec!["gentle".into()],
            caution: Some("Stop if it hurts.".into()),
            footer: Some("Not medical advice.".into()),
        }
    }

    #[test]
    fn embed_has_title_numbered_steps_caution_footer() {
        let v = serde_json::to_value(render(&reply())).unwrap();
        assert_eq!(v["title"], "Chair technique");
        assert_eq!(
            v["description"],
            "Sit up straight.\n\n1. Sit.\n2. Twist.\n\n• gentle"
        );
        assert_eq!(v["fields"][0]["value"], "Stop if it hurts.");
        assert_eq!(v["footer"]["text"], "Not medical advice.");
        assert_eq!(v["color"], json!(0x2E86C1));
    }

    #[test]
    fn footer_defaults_to_not_medical_advice() {
        let r = Reply {
            footer: None,
            ..reply()
        };
        assert_eq!(footer(&r), DEFAULT_FOOTER);
    }

    #[test]
    fn long_text_is_cut_to_discord_limits() {
        let r = Reply {
            title: "t".repeat(300),
            text: vec!["é".repeat(5000)],
            ..reply()
        };
        let v = serde_json::to_value(render(&r)).unwrap();
        assert_eq!(v["title"].as_str().unwrap().chars().count(), TITLE_MAX);
        assert_eq!(
            v["description"].as_str().unwrap().chars().count(),
            DESCRIPTION_MAX
        );
    }

    #[test]
    fn allowed_mentions_parse_nothing() {
        let v = serde_json::to_value(no_mentions()).unwrap();
        assert_eq!(v["parse"], json!([]));
        assert_eq!(v["users"], json!([]));
        assert_eq!(v["roles"], json!([]));
        assert_eq!(v["replied_user"], json!(false));
    }
}
