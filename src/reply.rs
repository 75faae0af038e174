//! Replies as plain data (title, text, numbered steps, bullets, caution,
//! footer), built from a classification by triage; adapters only render them.

use serde::Serialize;

use crate::content::{Content, Response};
use crate::engine::Classification;
use crate::Kind;

/// What a reply is, for adapters (styling, whether to stay silent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReplyKind {
    /// The red-flag advisory.
    Advisory,
    /// A safety warning.
    Warning,
    /// A technique, stretch or fact.
    Answer,
    /// Nothing matched: what the bot can do.
    Fallback,
    /// Output of a command (lists, settings, reminders).
    Info,
    /// A polite error (bad input, unknown command).
    Error,
}

impl From<Kind> for ReplyKind {
    fn from(k: Kind) -> Self {
        match k {
            Kind::Advisory => ReplyKind::Advisory,
            Kind::Warning => ReplyKind::Warning,
            Kind::Answer => ReplyKind::Answer,
            Kind::Fallback => ReplyKind::Fallback,
        }
    }
}

/// A reply, independent of where it is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default)]
pub struct Reply {
    /// What kind of reply.
    pub kind: Option<ReplyKind>,
    /// The intents it answers.
    pub intents: Vec<String>,
    /// Heading.
    pub title: String,
    /// Paragraphs.
    pub text: Vec<String>,
    /// Numbered steps.
    pub steps: Vec<String>,
    /// Bulleted list.
    pub bullets: Vec<String>,
    /// One caution line.
    pub caution: Option<String>,
    /// "Not medical advice".
    pub footer: Option<String>,
}

impl Reply {
    /// The reply kind (Info when unset).
    pub fn kind(&self) -> ReplyKind {
        self.kind.unwrap_or(ReplyKind::Info)
    }

    /// A short informational reply.
    pub fn info(title: impl Into<String>, text: impl Into<String>) -> Reply {
        Reply {
            kind: Some(ReplyKind::Info),
            title: title.into(),
            text: vec![text.into()],
            ..Reply::default()
        }
    }

    /// A polite error.
    pub fn error(title: impl Into<String>, text: impl Into<String>) -> Reply {
        Reply {
            kind: Some(ReplyKind::Error),
            title: title.into(),
            text: vec![text.into()],
            ..Reply::default()
        }
    }

    /// The one fixed red-flag advisory: nothing else is ever added to it.
    pub fn advisory(content: &Content, red_flags: &[String]) -> Reply {
        let a = &content.advisory;
        Reply {
            kind: Some(ReplyKind::Advisory),
            intents: red_flags.to_vec(),
            title: a.title.clone(),
            text: vec![a.text.clone()],
            steps: Vec::new(),
            bullets: a.red_flags.clone(),
            caution: Some(a.urgent_help.clone()),
            footer: Some(content.common.footer.clone()),
        }
    }

    /// `/redflags`: the same list and urgent help, introduced without saying
    /// the user described a red flag.
    pub fn red_flag_list(content: &Content) -> Reply {
        let a = &content.advisory;
        Reply {
            kind: Some(ReplyKind::Info),
            title: a.list_title.clone(),
            text: vec![a.list_intro.clone()],
            bullets: a.red_flags.clone(),
            caution: Some(a.urgent_help.clone()),
            footer: Some(content.common.footer.clone()),
            ..Reply::default()
        }
    }

    /// The reply of one intent's response file.
    pub fn answer(content: &Content, kind: ReplyKind, response: &Response) -> Reply {
        Reply {
            kind: Some(kind),
            intents: vec![response.id.clone()],
            title: response.title.clone(),
            text: response.text.iter().cloned().collect(),
            steps: response.steps.clone(),
            bullets: Vec::new(),
            caution: response.caution.clone(),
            footer: Some(content.common.footer.clone()),
        }
    }

    /// The fallback ("I can help with ...").
    pub fn fallback(content: &Content) -> Reply {
        let f = &content.common.fallback;
        Reply {
            kind: Some(ReplyKind::Fallback),
            title: f.title.clone(),
            text: vec![f.text.clone()],
            footer: Some(content.common.footer.clone()),
            ..Reply::default()
        }
    }

    /// Triage: the reply a classification calls for.
    pub fn for_classification(content: &Content, c: &Classification) -> Reply {
        match c.kind {
            Kind::Advisory => Reply::advisory(content, &c.red_flags),
            Kind::Warning => {
                let warnings: Vec<&Response> = c
                    .of_kind(Kind::Warning)
                    .filter_map(|h| content.responses.get(&h.id))
                    .collect();
                let mut reply = match warnings.as_slice() {
                    [one] => Reply::answer(content, ReplyKind::Warning, one),
                    many => {
                        let mut r = Reply {
                            kind: Some(ReplyKind::Warning),
                            title: content.common.multiple_warnings_title.clone(),
                            footer: Some(content.common.footer.clone()),
                            ..Reply::default()
                        };
                        for w in many {
                            r.intents.push(w.id.clone());
                            r.text
                                .push(w.text.clone().unwrap_or_else(|| w.title.clone()));
                        }
                        r
                    }
                };
                if c.of_kind(Kind::Answer).next().is_some() {
                    reply.text.push(content.common.warning_withheld.clone());
                }
                reply
            }
            Kind::Answer => match c.primary().and_then(|h| content.responses.get(&h.id)) {
                Some(r) => Reply::answer(content, ReplyKind::Answer, r),
                None => Reply::fallback(content),
            },
            Kind::Fallback => Reply::fallback(content),
        }
    }
}
