//! The FAQ ranking model: BM25F over question, keywords, answer and the
//! examples of the entry's intent (stemmed, normalised words), with typo tolerance (bounded Damerau-Levenshtein through
//! a symmetric-delete table) and prefix completion for the word being typed.

use std::collections::{HashMap, HashSet};

use rust_stemmers::{Algorithm, Stemmer};

use crate::content::{FaqEntry, Intent};

/// BM25 term-frequency saturation.
const K1: f32 = 1.2;

/// Field weight and length normalisation (`b`) of question, keywords, answer,
/// and the intent's examples (messages people really send for that topic).
const FIELDS: [(f32, f32); 4] = [(3.0, 0.75), (2.0, 0.3), (1.0, 0.75), (0.5, 0.75)];

/// The first fields are the entry's own text (question, keywords, answer).
const OWN_FIELDS: usize = 3;

/// Weight of a word matched through one or two typos.
const TYPO_WEIGHT: [f32; 3] = [1.0, 0.75, 0.5];

/// At most this many vocabulary words complete a typed prefix.
const MAX_COMPLETIONS: usize = 40;

/// Function words that carry no topic. Question words (how, why, when, which,
/// what) are kept: "why pop" and "how long" depend on them.
const STOP_WORDS: &[&str] = &[
    "a", "am", "an", "and", "are", "at", "be", "by", "can", "do", "does", "for", "from", "i", "if",
    "in", "is", "it", "its", "me", "my", "of", "on", "or", "should", "so", "that", "the", "this",
    "to", "with", "you", "your",
];

/// Words that alone do not make a match ("what is it", "how do i").
const WEAK_WORDS: &[&str] = &[
    "how", "what", "why", "when", "which", "where", "who", "like", "back", "lower", "spine",
];

/// A ranked entry: its position in the entry list and its score.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ranked {
    /// Index into the entries the index was built from.
    pub doc: usize,
    /// BM25F score (higher is better).
    pub score: f32,
}

/// The result of ranking one query.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ranking {
    /// Entries with a positive score, best first.
    pub hits: Vec<Ranked>,
    /// Whether a topic word of the query (not a stop or question word) was
    /// found in the vocabulary, exactly, through a typo or as a prefix.
    pub topical: bool,
}

/// The inverted index over a list of FAQ entries, built once.
#[derive(Debug, Clone, Default)]
pub struct FaqIndex {
    docs: usize,
    /// Stem -> term id.
    terms: HashMap<String, u32>,
    /// Term id -> (entry, precomputed BM25F score of the term in that entry).
    postings: Vec<Vec<(u32, f32)>>,
    /// Surface words of the entries (normalised, unstemmed), sorted, with their term id.
    surface: Vec<(String, u32)>,
    /// Symmetric-delete table: a word with up to two letters deleted -> surface indices.
    deletes: HashMap<String, Vec<u32>>,
    /// Character trigrams of each entry's question, for "closest topics".
    trigrams: Vec<HashSet<[char; 3]>>,
}

/// The topic words of a normalised text: sentence and clause tokens and stop
/// words dropped.
fn words(norm: &str) -> impl Iterator<Item = &str> {
    norm.split(' ')
        .filter(|w| w.chars().any(char::is_alphanumeric) && !STOP_WORDS.contains(w))
}

fn stemmer() -> Stemmer {
    Stemmer::create(Algorithm::English)
}

fn max_typos(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

impl FaqIndex {
    /// Builds the index; `intents` give each entry the examples of the intent
    /// it points to; `normalise` is the matcher's normalisation, applied to
    /// every field here and to every query later.
    pub fn build(
        entries: &[FaqEntry],
        intents: &[Intent],
        normalise: impl Fn(&str) -> String,
    ) -> FaqIndex {
        let stem = stemmer();
        let mut terms: HashMap<String, u32> = HashMap::new();
        let mut surface: HashMap<String, u32> = HashMap::new();
        // Per entry, per field: term frequencies and field length.
        let mut fields: Vec<[(HashMap<u32, f32>, f32); 4]> = Vec::with_capacity(entries.len());
        for e in entries {
            let texts = [
                normalise(&e.question),
                normalise(&e.keywords.join(" , ")),
                normalise(&e.answer),
                intents
                    .iter()
                    .find(|i| i.id == e.intent)
                    .map(|i| normalise(&i.examples.join(" . ")))
                    .unwrap_or_default(),
            ];
            let per_field = texts.map(|text| {
                let mut tf: HashMap<u32, f32> = HashMap::new();
                let mut len = 0.0;
                for w in words(&text) {
                    let s = stem.stem(w);
                    let next = terms.len() as u32;
                    let id = *terms.entry(s.into_owned()).or_insert(next);
                    surface.entry(w.to_string()).or_insert(id);
                    *tf.entry(id).or_default() += 1.0;
                    len += 1.0;
                }
                (tf, len)
            });
            fields.push(per_field);
        }
        let n = entries.len().max(1) as f32;
        let mut avg = [0.0f32; 4];
        for f in &fields {
            for (k, (_, len)) in f.iter().enumerate() {
                avg[k] += len / n;
            }
        }
        let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); terms.len()];
        // Document frequency from the entry's own text (the intent's examples
        // are shared by several entries and would make every topic look common).
        let mut own_df = vec![0u32; terms.len()];
        // Pseudo term frequency of BM25F: the field-weighted, length-normalised sum.
        for (doc, f) in fields.iter().enumerate() {
            let mut pseudo: HashMap<u32, f32> = HashMap::new();
            let mut own: HashSet<u32> = HashSet::new();
            for (k, (tf, len)) in f.iter().enumerate() {
                let (weight, b) = FIELDS[k];
                let norm = 1.0 - b + b * len / avg[k].max(1.0);
                for (&term, &count) in tf {
                    if k < OWN_FIELDS {
                        own.insert(term);
                    }
                    *pseudo.entry(term).or_default() += weight * count / norm;
                }
            }
            for term in own {
                own_df[term as usize] += 1;
            }
            for (term, tf) in pseudo {
                postings[term as usize].push((doc as u32, tf));
            }
        }
        for (list, own) in postings.iter_mut().zip(own_df) {
            let df = if own > 0 { own } else { list.len() as u32 } as f32;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            for (_, tf) in list.iter_mut() {
                *tf = idf * *tf * (K1 + 1.0) / (K1 + *tf);
            }
            list.sort_unstable_by_key(|(doc, _)| *doc);
        }
        let mut surface: Vec<(String, u32)> = surface.into_iter().collect();
        surface.sort_unstable();
        let mut deletes: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, (w, _)) in surface.iter().enumerate() {
            let mut variants = HashSet::new();
            delete_variants(w, 2, &mut variants);
            for v in variants {
                deletes.entry(v).or_default().push(i as u32);
            }
        }
        let trigrams = entries
            .iter()
            .map(|e| {
                trigrams(&normalise(&format!(
                    "{} {}",
                    e.question,
                    e.keywords.join(" ")
                )))
            })
            .collect();
        FaqIndex {
            docs: entries.len(),
            terms,
            postings,
            surface,
            deletes,
            trigrams,
        }
    }

    /// Number of entries indexed.
    pub fn len(&self) -> usize {
        self.docs
    }

    /// Number of distinct words (normalised, unstemmed) in the entries.
    pub fn vocabulary(&self) -> usize {
        self.surface.len()
    }

    /// Whether the index holds no entry.
    pub fn is_empty(&self) -> bool {
        self.docs == 0
    }

    /// Ranks the entries for a normalised query; at most `limit` hits. With
    /// `typing`, the last word may be unfinished and also counts as a prefix.
    pub fn rank(&self, norm: &str, limit: usize, typing: bool) -> Ranking {
        let stem = stemmer();
        let query: Vec<&str> = words(norm).collect();
        let mut scores = vec![0.0f32; self.docs];
        let mut best = vec![0.0f32; self.docs];
        let mut touched: Vec<u32> = Vec::new();
        let mut topical = false;
        let mut expansions: Vec<(u32, f32)> = Vec::new();
        for (i, w) in query.iter().enumerate() {
            let last = i + 1 == query.len();
            expansions.clear();
            self.expand(&stem, w, typing && last, &mut expansions);
            if expansions.is_empty() {
                continue;
            }
            topical |= !WEAK_WORDS.contains(w);
            // One query word counts once per entry: its best expansion.
            for &(term, weight) in &expansions {
                for &(doc, s) in &self.postings[term as usize] {
                    let slot = &mut best[doc as usize];
                    if *slot == 0.0 {
                        touched.push(doc);
                    }
                    *slot = slot.max(weight * s);
                }
            }
            for doc in touched.drain(..) {
                scores[doc as usize] += best[doc as usize];
                best[doc as usize] = 0.0;
            }
        }
        let mut hits: Vec<Ranked> = scores
            .iter()
            .enumerate()
            .filter(|(_, s)| **s > 0.0)
            .map(|(doc, &score)| Ranked { doc, score })
            .collect();
        let by_score = |a: &Ranked, b: &Ranked| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc));
        if hits.len() > limit && limit > 0 {
            hits.select_nth_unstable_by(limit - 1, by_score);
        }
        hits.truncate(limit);
        hits.sort_unstable_by(by_score);
        Ranking { hits, topical }
    }

    /// The vocabulary terms one query word stands for, with weights: the
    /// exact stem; else words within one or two typos; and words it begins
    /// (when it is being typed, or when nothing else matched).
    fn expand(&self, stem: &Stemmer, w: &str, typing: bool, out: &mut Vec<(u32, f32)>) {
        let s = stem.stem(w);
        let exact = self.terms.get(s.as_ref()).copied();
        if let Some(term) = exact {
            out.push((term, 1.0));
        } else {
            self.typos(w, out);
        }
        let len = w.chars().count();
        if (typing && len >= 2) || (out.is_empty() && len >= 3) {
            let start = self.surface.partition_point(|(sw, _)| sw.as_str() < w);
            for (sw, term) in self.surface[start..]
                .iter()
                .take_while(|(sw, _)| sw.starts_with(w))
                .take(MAX_COMPLETIONS)
            {
                if Some(*term) == exact {
                    continue;
                }
                let weight = 0.5 + 0.4 * len as f32 / sw.chars().count() as f32;
                push_best(out, *term, weight);
            }
        }
    }

    /// Vocabulary words within the typo budget of `w`.
    fn typos(&self, w: &str, out: &mut Vec<(u32, f32)>) {
        let budget = max_typos(w.chars().count());
        if budget == 0 {
            return;
        }
        let mut variants = HashSet::new();
        delete_variants(w, budget, &mut variants);
        let q: Vec<char> = w.chars().collect();
        let mut seen = HashSet::new();
        for v in &variants {
            for &i in self.deletes.get(v).map(Vec::as_slice).unwrap_or_default() {
                if !seen.insert(i) {
                    continue;
                }
                let (sw, term) = &self.surface[i as usize];
                let c: Vec<char> = sw.chars().collect();
                if let Some(d) = osa_distance(&q, &c, budget) {
                    push_best(out, *term, TYPO_WEIGHT[d]);
                }
            }
        }
    }

    /// At most `n` entries whose question and keywords share character
    /// trigrams with the query, the most first (Dice coefficient).
    pub fn closest(&self, norm: &str, n: usize) -> Vec<usize> {
        let q = trigrams(norm);
        let mut sims: Vec<(usize, f32)> = self
            .trigrams
            .iter()
            .enumerate()
            .map(|(doc, t)| {
                let shared = q.intersection(t).count() as f32;
                (doc, 2.0 * shared / (q.len() + t.len()).max(1) as f32)
            })
            .collect();
        sims.retain(|(_, sim)| *sim > 0.0);
        sims.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        sims.into_iter().take(n).map(|(doc, _)| doc).collect()
    }
}

fn push_best(out: &mut Vec<(u32, f32)>, term: u32, weight: f32) {
    match out.iter_mut().find(|(t, _)| *t == term) {
        Some(e) => e.1 = e.1.max(weight),
        None => out.push((term, weight)),
    }
}

/// Every string obtained from `w` by deleting up to `depth` characters
/// (`w` itself included), for words of at least four characters.
fn delete_variants(w: &str, depth: usize, out: &mut HashSet<String>) {
    out.insert(w.to_string());
    let chars: Vec<char> = w.chars().collect();
    if depth == 0 || chars.len() < 4 {
        return;
    }
    for i in 0..chars.len() {
        let v: String = chars[..i].iter().chain(&chars[i + 1..]).collect();
        if !out.contains(&v) {
            delete_variants(&v, depth - 1, out);
        }
    }
}

/// Optimal-string-alignment distance (insertions, deletions, substitutions,
/// adjacent transpositions) when it is at most `max`.
fn osa_distance(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (j, cell) in d.iter_mut().take(w).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        d[i * w] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    let dist = d[a.len() * w + b.len()];
    (dist <= max).then_some(dist)
}

fn trigrams(norm: &str) -> HashSet<[char; 3]> {
    let mut out = HashSet::new();
    for w in words(norm) {
        let padded: Vec<char> = std::iter::once(' ')
            .chain(w.chars())
            .chain(std::iter::once(' '))
            .collect();
        for t in padded.windows(3) {
            out.insert([t[0], t[1], t[2]]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn distance_counts_typos_and_transpositions() {
        assert_eq!(
            osa_distance(&chars("strech"), &chars("stretch"), 1),
            Some(1)
        );
        assert_eq!(
            osa_distance(&chars("stenossis"), &chars("stenosis"), 2),
            Some(1)
        );
        assert_eq!(
            osa_distance(&chars("strecth"), &chars("stretch"), 1),
            Some(1)
        );
        assert_eq!(osa_distance(&chars("heat"), &chars("cold"), 2), None);
    }

    fn entry(id: &str, question: &str, answer: &str, keywords: &[&str]) -> FaqEntry {
        FaqEntry {
            id: id.into(),
            question: question.into(),
            answer: answer.into(),
            intent: id.into(),
            keywords: keywords.iter().map(|k| k.to_string()).collect(),
        }
    }

    fn index() -> FaqIndex {
        let entries = [
            entry(
                "a",
                "How do you stretch for spinal stenosis?",
                "Gentle stretches.",
                &[],
            ),
            entry(
                "b",
                "Heat or cold: which is better?",
                "Heat usually.",
                &["ice"],
            ),
            entry("c", "What are the symptoms of stenosis?", "Numbness.", &[]),
        ];
        FaqIndex::build(&entries, &[], str::to_lowercase)
    }

    #[test]
    fn typos_and_prefixes_reach_the_entry() {
        let idx = index();
        assert_eq!(idx.rank("strech for stenossis", 3, false).hits[0].doc, 0);
        assert_eq!(idx.rank("hot or cold", 3, false).hits[0].doc, 1);
        assert_eq!(idx.rank("stenosis sympt", 3, false).hits[0].doc, 2);
        assert_eq!(idx.rank("ic", 3, true).hits[0].doc, 1);
        let none = idx.rank("what is the weather", 3, false);
        assert!(!none.topical);
    }
}
