//! `backbot eval`: scores the engine on a labelled JSONL set (kind accuracy,
//! primary-intent accuracy, red-flag recall and precision, false escalations,
//! per-intent precision and recall, and every miss).

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::{Deserialize, Serialize};

use crate::engine::Engine;
use crate::Kind;

/// One labelled message.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Labelled {
    /// The message.
    pub text: String,
    /// The kind that should decide the reply.
    pub kind: Kind,
    /// Acceptable primary intent ids (empty for fallback).
    #[serde(default)]
    pub intents: Vec<String>,
    /// The red flags present.
    #[serde(default)]
    pub red_flags: Vec<String>,
}

/// A message the engine got wrong.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    /// Line in the file.
    pub line: usize,
    /// The message.
    pub text: String,
    /// Expected kind and intents.
    pub expected_kind: Kind,
    /// Expected primary ids.
    pub expected_intents: Vec<String>,
    /// Expected red flags.
    pub expected_red_flags: Vec<String>,
    /// What the engine said.
    pub got_kind: Kind,
    /// Its intents.
    pub got_intents: Vec<String>,
    /// Its red flags.
    pub got_red_flags: Vec<String>,
}

/// Precision and recall of one intent as the primary intent.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IntentScore {
    /// True positives.
    pub tp: usize,
    /// False positives.
    pub fp: usize,
    /// False negatives.
    pub fn_: usize,
}

impl IntentScore {
    /// tp / (tp + fp), 1 when nothing was predicted.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// tp / (tp + fn), 1 when nothing was expected.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// The scores of one evaluation run.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    /// Messages scored.
    pub total: usize,
    /// Kind right.
    pub kind_correct: usize,
    /// Primary intent right (fallback counts when both say fallback).
    pub primary_correct: usize,
    /// Messages with a red flag.
    pub red_flag_messages: usize,
    /// Of those, escalated with the advisory.
    pub red_flag_messages_escalated: usize,
    /// Red flags found that were labelled (flag level).
    pub red_flag_tp: usize,
    /// Red flags found that were not labelled.
    pub red_flag_fp: usize,
    /// Labelled red flags not found.
    pub red_flag_fn: usize,
    /// Escalations of messages labelled without a red flag.
    pub false_escalations: usize,
    /// False escalations of messages labelled fallback.
    pub false_escalations_on_fallback: usize,
    /// Per primary intent.
    pub per_intent: BTreeMap<String, IntentScore>,
    /// Every miss.
    pub misses: Vec<Miss>,
    /// Lines that could not be read.
    pub bad_lines: Vec<String>,
}

impl Report {
    /// Kind accuracy.
    pub fn kind_accuracy(&self) -> f64 {
        ratio(self.kind_correct, self.total)
    }
    /// Primary-intent accuracy.
    pub fn primary_accuracy(&self) -> f64 {
        ratio(self.primary_correct, self.total)
    }
    /// Share of red-flag messages that got the advisory.
    pub fn red_flag_recall(&self) -> f64 {
        ratio(self.red_flag_messages_escalated, self.red_flag_messages)
            .min(ratio(self.red_flag_tp, self.red_flag_tp + self.red_flag_fn))
    }
    /// Share of reported red flags that were labelled.
    pub fn red_flag_precision(&self) -> f64 {
        ratio(self.red_flag_tp, self.red_flag_tp + self.red_flag_fp)
    }
}

/// Scores `engine` on JSONL text (one [`Labelled`] per line; blank lines skipped).
pub fn evaluate(engine: &Engine, jsonl: &str) -> Report {
    let mut r = Report::default();
    for (i, line) in jsonl.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let gold: Labelled = match serde_json::from_str(line) {
            Ok(g) => g,
            Err(e) => {
                r.bad_lines.push(format!("line {}: {e}", i + 1));
                continue;
            }
        };
        let c = engine.classify(&gold.text);
        r.total += 1;
        let kind_ok = c.kind == gold.kind;
        let primary = c.intents.first();
        let primary_ok = match gold.kind {
            Kind::Fallback => c.kind == Kind::Fallback,
            _ => kind_ok && primary.is_some_and(|p| gold.intents.contains(p)),
        };
        r.kind_correct += usize::from(kind_ok);
        r.primary_correct += usize::from(primary_ok);
        if !gold.red_flags.is_empty() {
            r.red_flag_messages += 1;
            r.red_flag_messages_escalated += usize::from(c.kind == Kind::Advisory);
        } else if c.kind == Kind::Advisory {
            r.false_escalations += 1;
            r.false_escalations_on_fallback += usize::from(gold.kind == Kind::Fallback);
        }
        for f in &c.red_flags {
            if gold.red_flags.contains(f) {
                r.red_flag_tp += 1;
            } else {
                r.red_flag_fp += 1;
            }
        }
        r.red_flag_fn += gold
            .red_flags
            .iter()
            .filter(|f| !c.red_flags.contains(f))
            .count();
        if gold.kind != Kind::Fallback {
            match primary {
                Some(p) if primary_ok => r.per_intent.entry(p.clone()).or_default().tp += 1,
                _ => {
                    if let Some(g) = gold.intents.first() {
                        r.per_intent.entry(g.clone()).or_default().fn_ += 1;
                    }
                    if let Some(p) = primary {
                        r.per_intent.entry(p.clone()).or_default().fp += 1;
                    }
                }
            }
        } else if let Some(p) = primary {
            r.per_intent.entry(p.clone()).or_default().fp += 1;
        }
        let flags_ok = gold.red_flags.iter().all(|f| c.red_flags.contains(f))
            && c.red_flags.iter().all(|f| gold.red_flags.contains(f));
        if !(kind_ok && primary_ok && flags_ok) {
            r.misses.push(Miss {
                line: i + 1,
                text: gold.text.clone(),
                expected_kind: gold.kind,
                expected_intents: gold.intents.clone(),
                expected_red_flags: gold.red_flags.clone(),
                got_kind: c.kind,
                got_intents: c.intents.clone(),
                got_red_flags: c.red_flags.clone(),
            });
        }
    }
    r
}

/// The report as a human-readable table.
pub fn render(r: &Report) -> String {
    let mut s = String::new();
    let pct = |x: f64| format!("{:.1}%", x * 100.0);
    let _ = writeln!(s, "messages:                 {}", r.total);
    let _ = writeln!(
        s,
        "kind accuracy:            {} ({}/{})",
        pct(r.kind_accuracy()),
        r.kind_correct,
        r.total
    );
    let _ = writeln!(
        s,
        "primary-intent accuracy:  {} ({}/{})",
        pct(r.primary_accuracy()),
        r.primary_correct,
        r.total
    );
    let _ = writeln!(
        s,
        "red-flag recall:          {} ({}/{} messages escalated; {} of {} flags found)",
        pct(r.red_flag_recall()),
        r.red_flag_messages_escalated,
        r.red_flag_messages,
        r.red_flag_tp,
        r.red_flag_tp + r.red_flag_fn
    );
    let _ = writeln!(
        s,
        "red-flag precision:       {} ({} wrong flags)",
        pct(r.red_flag_precision()),
        r.red_flag_fp
    );
    let _ = writeln!(
        s,
        "false escalations:        {} ({} on fallback messages)",
        r.false_escalations, r.false_escalations_on_fallback
    );
    let _ = writeln!(
        s,
        "\n{:<32} {:>9} {:>9} {:>5} {:>5} {:>5}",
        "intent", "precision", "recall", "tp", "fp", "fn"
    );
    for (id, sc) in &r.per_intent {
        let _ = writeln!(
            s,
            "{:<32} {:>9} {:>9} {:>5} {:>5} {:>5}",
            id,
            pct(sc.precision()),
            pct(sc.recall()),
            sc.tp,
            sc.fp,
            sc.fn_
        );
    }
    if !r.misses.is_empty() {
        let _ = writeln!(s, "\nmisses ({}):", r.misses.len());
        for m in &r.misses {
            let _ = writeln!(
                s,
                "  line {}: {:?}\n    expected {} {:?} flags {:?}\n    got      {} {:?} flags {:?}",
                m.line,
                m.text,
                m.expected_kind,
                m.expected_intents,
                m.expected_red_flags,
                m.got_kind,
                m.got_intents,
                m.got_red_flags
            );
        }
    }
    for b in &r.bad_lines {
        let _ = writeln!(s, "unreadable: {b}");
    }
    s
}
