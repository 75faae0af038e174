//! Reads the content folders file by file and reports every structural problem.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use super::{err, Advisory, Common, Content, FaqEntry, Intent, Response};
use crate::catalogue::CATALOGUE;
use crate::error::{ContentError, ContentErrors};
use crate::Kind;

/// The 1-based line of the first occurrence of `value` written as a JSON string
/// in `text`, or of `value` itself.
pub fn line_of(text: &str, value: &str) -> Option<usize> {
    let quoted = serde_json::to_string(value).unwrap_or_default();
    let pos = text.find(&quoted).or_else(|| text.find(value))?;
    Some(text[..pos].matches('\n').count() + 1)
}

struct Reader<'a> {
    dir: &'a Path,
    errors: Vec<ContentError>,
}

impl Reader<'_> {
    fn rel(&self, path: &Path) -> PathBuf {
        path.strip_prefix(self.dir).unwrap_or(path).to_path_buf()
    }

    /// Reads and parses one JSON file; `None` (with an error recorded) on failure.
    fn parse<T: DeserializeOwned>(&mut self, path: &Path) -> Option<(T, String)> {
        let rel = self.rel(path);
        let text = match fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                self.errors.push(err(
                    &rel,
                    None,
                    None,
                    format!("cannot read the file: {e}"),
                    "make sure the file exists and is UTF-8 text",
                ));
                return None;
            }
        };
        match serde_json::from_str::<T>(&text) {
            Ok(v) => Some((v, text)),
            Err(e) => {
                let fix = if e.is_syntax() || e.is_eof() {
                    "fix the JSON syntax there (a missing comma, quote or bracket is the usual cause)"
                } else {
                    "check the field names and types against CONTENT.md"
                };
                self.errors.push(err(
                    &rel,
                    Some(e.line()),
                    None,
                    format!("invalid JSON: {e}"),
                    fix,
                ));
                None
            }
        }
    }

    fn list(&mut self, sub: &str) -> Vec<PathBuf> {
        let path = self.dir.join(sub);
        let mut out = Vec::new();
        match fs::read_dir(&path) {
            Ok(entries) => {
                for entry in entries.flatten() {
                    let p = entry.path();
                    if p.extension().is_some_and(|e| e == "json") {
                        out.push(p);
                    }
                }
            }
            Err(e) => self.errors.push(err(
                &self.rel(&path),
                None,
                None,
                format!("cannot read the folder: {e}"),
                format!(
                    "run from the project root or pass the content directory that holds {sub}/"
                ),
            )),
        }
        out.sort();
        out
    }
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

pub(super) fn load(dir: &Path) -> Result<Content, ContentErrors> {
    let mut r = Reader {
        dir,
        errors: Vec::new(),
    };

    // Intents and their helper files.
    let mut intents: Vec<Intent> = Vec::new();
    let mut groups = BTreeMap::new();
    let mut words = HashMap::new();
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    for path in r.list("intents") {
        let name = stem(&path);
        let rel = r.rel(&path);
        match name.as_str() {
            "_groups" => {
                if let Some((g, _)) = r.parse::<BTreeMap<String, Vec<String>>>(&path) {
                    groups = g;
                }
            }
            "_words" => {
                if let Some((w, text)) = r.parse::<HashMap<String, String>>(&path) {
                    for key in w.keys() {
                        if key.is_empty()
                            || key
                                .chars()
                                .any(|c| !c.is_alphanumeric() || c.is_uppercase())
                        {
                            r.errors.push(err(&rel, line_of(&text, key), None, format!("word {key:?} is not a single lower-case word"), "keys are single words as they appear after normalisation: lower case, no apostrophes or spaces"));
                        }
                    }
                    words = w;
                }
            }
            _ if name.starts_with('_') => {}
            _ => {
                let Some((mut intent, text)) = r.parse::<Intent>(&path) else {
                    continue;
                };
                intent.file = rel.clone();
                let line = line_of(&text, &intent.id);
                if intent.id != name {
                    r.errors.push(err(
                        &rel,
                        line,
                        Some(&intent.id),
                        format!("the id {:?} differs from the file name", intent.id),
                        format!(
                            "rename the file to {}.json or set \"id\": {:?}",
                            intent.id, name
                        ),
                    ));
                }
                if let Some(other) = seen.get(&intent.id) {
                    r.errors.push(err(
                        &rel,
                        line,
                        Some(&intent.id),
                        format!("duplicate id, also defined in {}", other.display()),
                        "give each intent its own id",
                    ));
                    continue;
                }
                if intent.kind == Kind::Fallback {
                    r.errors.push(err(&rel, line_of(&text, "fallback"), Some(&intent.id), "kind \"fallback\" cannot be written: it is what happens when nothing matches", "use advisory, warning or answer"));
                }
                if intent.patterns.is_empty() {
                    r.errors.push(err(
                        &rel,
                        line_of(&text, "patterns"),
                        Some(&intent.id),
                        "no patterns",
                        "add at least one pattern (see CONTENT.md)",
                    ));
                }
                if intent.examples.len() < 8 {
                    r.errors.push(err(
                        &rel,
                        line_of(&text, "examples"),
                        Some(&intent.id),
                        format!(
                            "{} example(s); at least 8 are needed",
                            intent.examples.len()
                        ),
                        "add realistic messages that must reach this intent",
                    ));
                }
                if intent.not_examples.len() < 3 {
                    r.errors.push(err(
                        &rel,
                        line_of(&text, "not_examples"),
                        Some(&intent.id),
                        format!(
                            "{} not_example(s); at least 3 are needed",
                            intent.not_examples.len()
                        ),
                        "add near misses that must not reach this intent",
                    ));
                }
                seen.insert(intent.id.clone(), rel);
                intents.push(intent);
            }
        }
    }
    for (id, kind) in CATALOGUE {
        match intents.iter().find(|i| i.id == *id) {
            None => r.errors.push(err(
                Path::new("intents"),
                None,
                Some(id),
                "intent of the catalogue (shared/spec/intents.md) is missing",
                format!("create intents/{id}.json with \"kind\": \"{kind}\""),
            )),
            Some(i) if i.kind != *kind => r.errors.push(err(
                &i.file,
                None,
                Some(id),
                format!("kind is {} but the catalogue says {kind}", i.kind),
                format!("set \"kind\": \"{kind}\""),
            )),
            _ => {}
        }
    }

    // Responses.
    let mut responses = HashMap::new();
    let mut advisory = None;
    let mut common = None;
    let ids: HashSet<&str> = intents.iter().map(|i| i.id.as_str()).collect();
    for path in r.list("responses") {
        let name = stem(&path);
        let rel = r.rel(&path);
        match name.as_str() {
            "_advisory" => advisory = r.parse::<Advisory>(&path).map(|(a, _)| a),
            "_common" => common = r.parse::<Common>(&path).map(|(c, _)| c),
            _ if name.starts_with('_') => {}
            _ => {
                let Some((resp, text)) = r.parse::<Response>(&path) else {
                    continue;
                };
                let line = line_of(&text, &resp.id);
                if resp.id != name {
                    r.errors.push(err(
                        &rel,
                        line,
                        Some(&resp.id),
                        format!("the id {:?} differs from the file name", resp.id),
                        format!(
                            "rename the file to {}.json or set \"id\": {:?}",
                            resp.id, name
                        ),
                    ));
                }
                if !ids.contains(resp.id.as_str()) {
                    r.errors.push(err(
                        &rel,
                        line,
                        Some(&resp.id),
                        "response for an unknown intent",
                        format!("create intents/{}.json or remove this file", resp.id),
                    ));
                }
                if resp.text.as_deref().is_none_or(str::is_empty) && resp.steps.is_empty() {
                    r.errors.push(err(
                        &rel,
                        line,
                        Some(&resp.id),
                        "the reply has neither text nor steps",
                        "add \"text\" or \"steps\"",
                    ));
                }
                responses.insert(resp.id.clone(), resp);
            }
        }
    }
    for intent in &intents {
        if !responses.contains_key(&intent.id) {
            r.errors.push(err(
                &intent.file,
                None,
                Some(&intent.id),
                "intent without a response",
                format!("create responses/{}.json", intent.id),
            ));
        }
    }
    if advisory.is_none() && !r.errors.iter().any(|e| e.file.ends_with("_advisory.json")) {
        r.errors.push(err(
            Path::new("responses/_advisory.json"),
            None,
            None,
            "the red-flag advisory is missing",
            "create it with title, text, red_flags and urgent_help",
        ));
    }
    if common.is_none() && !r.errors.iter().any(|e| e.file.ends_with("_common.json")) {
        r.errors.push(err(
            Path::new("responses/_common.json"),
            None,
            None,
            "the shared texts are missing",
            "create it with footer, fallback, warning_withheld and multiple_warnings_title",
        ));
    }

    // FAQ (optional folder).
    let mut faq = Vec::new();
    let faq_path = dir.join("faq/faq.json");
    if faq_path.exists() {
        if let Some((entries, text)) = r.parse::<Vec<FaqEntry>>(&faq_path) {
            let rel = r.rel(&faq_path);
            let mut faq_ids = HashSet::new();
            for e in &entries {
                let line = line_of(&text, &e.id);
                if !faq_ids.insert(e.id.clone()) {
                    r.errors.push(err(
                        &rel,
                        line,
                        None,
                        format!("duplicate FAQ id {:?}", e.id),
                        "give each entry its own id",
                    ));
                }
                if !ids.contains(e.intent.as_str()) {
                    r.errors.push(err(
                        &rel,
                        line_of(&text, &e.intent).or(line),
                        None,
                        format!("FAQ {:?} points to unknown intent {:?}", e.id, e.intent),
                        "use an id from intents/",
                    ));
                }
                if e.question.trim().is_empty() || e.answer.trim().is_empty() {
                    r.errors.push(err(
                        &rel,
                        line,
                        None,
                        format!("FAQ {:?} has an empty question or answer", e.id),
                        "write both",
                    ));
                }
            }
            faq = entries;
        }
    }

    match (advisory, common) {
        (Some(advisory), Some(common)) if r.errors.is_empty() => Ok(Content {
            dir: dir.to_path_buf(),
            intents,
            groups,
            words,
            responses,
            advisory,
            common,
            faq,
        }),
        _ => Err(ContentErrors(r.errors)),
    }
}
