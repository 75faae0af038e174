//! Content loading: intents, word groups, responses and FAQ entries read from
//! JSON files, with structural validation that names file, line and fix.

mod files;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{ContentError, ContentErrors};
use crate::Kind;

pub use files::line_of;

/// One intent as written in `intents/<id>.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Intent {
    /// The public id (file name without `.json`).
    pub id: String,
    /// advisory, warning or answer.
    pub kind: Kind,
    /// Tie-break between intents of one kind: higher wins.
    #[serde(default)]
    pub priority: i32,
    /// What the intent covers, for authors.
    #[serde(default)]
    pub description: String,
    /// Patterns in the authoring syntax of CONTENT.md.
    pub patterns: Vec<String>,
    /// Patterns for other senses of the words; overlapping matches are dropped.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Messages that must reach this intent.
    #[serde(default)]
    pub examples: Vec<String>,
    /// Near misses that must not reach this intent.
    #[serde(default)]
    pub not_examples: Vec<String>,
    /// The file it came from (filled by the loader).
    #[serde(skip)]
    pub file: PathBuf,
}

/// A reply text as written in `responses/<id>.json`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// The intent id this answers.
    pub id: String,
    /// Heading of the reply.
    pub title: String,
    /// Paragraph before the steps.
    #[serde(default)]
    pub text: Option<String>,
    /// Numbered steps.
    #[serde(default)]
    pub steps: Vec<String>,
    /// One caution line.
    #[serde(default)]
    pub caution: Option<String>,
}

/// The one fixed red-flag advisory (`responses/_advisory.json`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Advisory {
    /// Heading.
    pub title: String,
    /// Seek medical help promptly.
    pub text: String,
    /// Heading of the `/redflags` list (nothing was described yet).
    pub list_title: String,
    /// Text of the `/redflags` list.
    pub list_intro: String,
    /// The red flags, as listed to the user.
    pub red_flags: Vec<String>,
    /// Where urgent help is found.
    pub urgent_help: String,
}

/// The fallback reply (`responses/_common.json`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fallback {
    /// Heading.
    pub title: String,
    /// "I can help with ...".
    pub text: String,
}

/// Texts shared by every reply (`responses/_common.json`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Common {
    /// "Not medical advice" footer.
    pub footer: String,
    /// Reply when nothing matched.
    pub fallback: Fallback,
    /// Why a technique was held back when a warning matched.
    pub warning_withheld: String,
    /// Title when several warnings matched.
    pub multiple_warnings_title: String,
}

/// One FAQ entry (`faq/faq.json`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FaqEntry {
    /// Stable id.
    pub id: String,
    /// The question as shown.
    pub question: String,
    /// The short answer.
    pub answer: String,
    /// The intent whose full reply this points to.
    pub intent: String,
    /// Extra search words.
    #[serde(default)]
    pub keywords: Vec<String>,
}

/// All content, structurally valid (ids known, every intent answered).
#[derive(Debug, Clone)]
pub struct Content {
    /// The content directory.
    pub dir: PathBuf,
    /// Intents, sorted by id.
    pub intents: Vec<Intent>,
    /// Word groups: name -> alternatives.
    pub groups: BTreeMap<String, Vec<String>>,
    /// Normalisation word map.
    pub words: HashMap<String, String>,
    /// Responses by intent id.
    pub responses: HashMap<String, Response>,
    /// The red-flag advisory.
    pub advisory: Advisory,
    /// Shared texts.
    pub common: Common,
    /// FAQ entries (empty when there is no `faq/` folder).
    pub faq: Vec<FaqEntry>,
}

impl Content {
    /// Loads and structurally validates the content under `dir`. Every problem
    /// found is reported, not only the first.
    pub fn load(dir: &Path) -> Result<Content, ContentErrors> {
        files::load(dir)
    }

    /// The intent with this id.
    pub fn intent(&self, id: &str) -> Option<&Intent> {
        self.intents.iter().find(|i| i.id == id)
    }
}

pub(crate) fn err(
    file: &Path,
    line: Option<usize>,
    intent: Option<&str>,
    problem: impl Into<String>,
    fix: impl Into<String>,
) -> ContentError {
    ContentError {
        file: file.to_path_buf(),
        line,
        intent: intent.map(str::to_owned),
        problem: problem.into(),
        fix: fix.into(),
    }
}
