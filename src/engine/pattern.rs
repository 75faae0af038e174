//! Compiles the authoring pattern syntax of CONTENT.md (words, `word*`, `(a|b)`,
//! `[optional]`, `@group`, `~N` gaps, `&` any order, `re:`) into regex source
//! over normalised text.

use std::collections::BTreeMap;

/// Matches one word token (never the sentence `.` or clause `,` token) and the
/// separator after it. Patterns (except `re:`) run on the normalised text
/// padded with one space at each end (see [`pad`]), so every word is followed
/// by a space: a plain byte, which keeps the compiled automata small.
const WORD: &str = r"[^ .,][^ ]* ";
/// End of a word: the separator, consumed.
const END: &str = " ";

/// The text the compiled (non-`re:`) patterns run on: ` tokens `.
pub fn pad(normalised: &str) -> String {
    let mut s = String::with_capacity(normalised.len() + 2);
    s.push(' ');
    s.push_str(normalised);
    s.push(' ');
    s
}

/// True for `re:` patterns, which run on the unpadded normalised text.
pub fn is_raw(pattern: &str) -> bool {
    pattern.trim_start().starts_with("re:")
}
/// The most parts a `&` pattern may have (they are expanded into permutations).
const MAX_AND_PARTS: usize = 3;
/// The largest gap `~N`.
const MAX_GAP: usize = 8;
/// How deep groups may refer to groups.
const MAX_DEPTH: usize = 8;

/// Why a pattern does not compile; `fix` says what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// What is wrong.
    pub problem: String,
    /// What to do.
    pub fix: String,
}

fn perr(problem: impl Into<String>, fix: impl Into<String>) -> PatternError {
    PatternError {
        problem: problem.into(),
        fix: fix.into(),
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Prefix(String),
    Group(String),
    Gap(usize),
    Open(char),
    Close(char),
    Bar,
}

fn lex(src: &str) -> Result<Vec<Tok>, PatternError> {
    let mut toks = Vec::new();
    let chars: Vec<char> = src.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ' ' | '\t' => i += 1,
            '(' | '[' => {
                toks.push(Tok::Open(c));
                i += 1;
            }
            ')' | ']' => {
                toks.push(Tok::Close(c));
                i += 1;
            }
            '|' => {
                toks.push(Tok::Bar);
                i += 1;
            }
            '~' => {
                i += 1;
                let start = i;
                while i < chars.len() && chars[i].is_ascii_digit() {
                    i += 1;
                }
                let n: usize = if start == i { 3 } else { chars[start..i].iter().collect::<String>().parse().unwrap_or(usize::MAX) };
                if n == 0 || n > MAX_GAP {
                    return Err(perr(format!("gap ~{n} is out of range"), format!("use ~1 to ~{MAX_GAP} (plain ~ is 0 to 3 words)")));
                }
                toks.push(Tok::Gap(n));
            }
            '@' => {
                i += 1;
                let start = i;
                while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                if start == i {
                    return Err(perr("`@` without a group name", "write @name, a key of intents/_groups.json"));
                }
                toks.push(Tok::Group(chars[start..i].iter().collect()));
            }
            '\'' | '\u{2019}' => return Err(perr("apostrophe in a pattern", "normalised text has no apostrophes: write cant, dont, im")),
            '&' => return Err(perr("`&` inside a group or alternative", "use ` & ` only between whole parts at the top level")),
            c if c.is_alphanumeric() => {
                let start = i;
                while i < chars.len() && chars[i].is_alphanumeric() {
                    i += 1;
                }
                let w: String = chars[start..i].iter().collect();
                if w.chars().any(char::is_uppercase) {
                    return Err(perr(format!("upper-case word {w:?}"), format!("write it in lower case: {}", w.to_lowercase())));
                }
                if i < chars.len() && chars[i] == '*' {
                    i += 1;
                    toks.push(Tok::Prefix(w));
                } else {
                    toks.push(Tok::Word(w));
                }
            }
            other => return Err(perr(format!("unexpected character {other:?}"), "patterns use words, word*, (a|b), [optional], @group, ~N and ` & `; for anything else use re:")),
        }
    }
    Ok(toks)
}

/// Compiles patterns against one set of word groups.
pub struct Compiler<'a> {
    groups: &'a BTreeMap<String, Vec<String>>,
    /// Compiled source of each group already seen.
    cache: std::cell::RefCell<std::collections::HashMap<String, String>>,
}

impl<'a> Compiler<'a> {
    /// A compiler resolving `@name` in `groups`.
    pub fn new(groups: &'a BTreeMap<String, Vec<String>>) -> Self {
        Compiler {
            groups,
            cache: Default::default(),
        }
    }

    /// Regex source for one pattern (matches on normalised text).
    pub fn compile(&self, pattern: &str) -> Result<String, PatternError> {
        let pattern = pattern.trim();
        if let Some(raw) = pattern.strip_prefix("re:") {
            return Ok(format!("(?:{raw})"));
        }
        if pattern.is_empty() {
            return Err(perr("empty pattern", "remove it or write some words"));
        }
        let parts: Vec<&str> = pattern.split(" & ").map(str::trim).collect();
        if parts.len() > MAX_AND_PARTS {
            return Err(perr(
                format!("{} parts joined by &", parts.len()),
                format!("use at most {MAX_AND_PARTS} parts, or split it into several patterns"),
            ));
        }
        let mut compiled = Vec::new();
        for part in &parts {
            if part.is_empty() {
                return Err(perr(
                    "empty part around &",
                    "write ` & ` between two non-empty parts",
                ));
            }
            compiled.push(self.seq_source(part, 0)?);
        }
        if compiled.len() == 1 {
            return Ok(format!(" {}", compiled[0]));
        }
        // Any order within one sentence: every permutation, joined by a gap that
        // never crosses the sentence token.
        let gap = r"(?:[^ .]+ )*?";
        let mut perms = Vec::new();
        permute(
            &compiled,
            &mut Vec::new(),
            &mut vec![false; compiled.len()],
            &mut perms,
        );
        let alts: Vec<String> = perms.iter().map(|p| p.join(gap)).collect();
        Ok(format!(" (?:{})", alts.join("|")))
    }

    fn seq_source(&self, src: &str, depth: usize) -> Result<String, PatternError> {
        if depth > MAX_DEPTH {
            return Err(perr(
                "groups nest too deeply (a group that refers to itself?)",
                "check the @references in intents/_groups.json",
            ));
        }
        let toks = lex(src)?;
        let mut pos = 0;
        let out = self.alts(&toks, &mut pos, depth, None)?;
        if pos != toks.len() {
            return Err(perr(
                "unbalanced bracket",
                "every ( needs a ) and every [ a ]",
            ));
        }
        Ok(out)
    }

    /// Alternatives until `close` (or the end when `close` is None).
    fn alts(
        &self,
        toks: &[Tok],
        pos: &mut usize,
        depth: usize,
        close: Option<char>,
    ) -> Result<String, PatternError> {
        let mut alts = vec![String::new()];
        let mut items_in_alt = 0;
        while *pos < toks.len() {
            let tok = &toks[*pos];
            *pos += 1;
            let piece = match tok {
                Tok::Word(w) => format!("{}{END}", regex::escape(w)),
                Tok::Prefix(w) => format!("{}[^ ]*{END}", regex::escape(w)),
                Tok::Gap(n) => format!("(?:{WORD}){{0,{n}}}"),
                Tok::Group(name) => {
                    let cached = self.cache.borrow().get(name).cloned();
                    if let Some(done) = cached {
                        done
                    } else {
                        let done = self.group_source(name, depth)?;
                        self.cache.borrow_mut().insert(name.clone(), done.clone());
                        done
                    }
                }
                Tok::Open(c) => {
                    let want = if *c == '(' { ')' } else { ']' };
                    let inner = self.alts(toks, pos, depth, Some(want))?;
                    if *c == '(' {
                        format!("(?:{inner})")
                    } else {
                        format!("(?:{inner})?")
                    }
                }
                Tok::Close(c) => {
                    if Some(*c) == close {
                        if alts.iter().any(String::is_empty) {
                            return Err(perr(
                                "an empty alternative inside brackets",
                                "remove the extra | or write [optional] instead of (a|)",
                            ));
                        }
                        return Ok(alts.join("|"));
                    }
                    return Err(perr(
                        format!("unexpected {c}"),
                        "every ( needs a ) and every [ a ]",
                    ));
                }
                Tok::Bar => {
                    if close.is_none() {
                        return Err(perr(
                            "| outside brackets",
                            "put alternatives in (a|b) or [a|b]",
                        ));
                    }
                    alts.push(String::new());
                    items_in_alt = 0;
                    continue;
                }
            };
            items_in_alt += 1;
            if let Some(last) = alts.last_mut() {
                last.push_str(&piece);
            }
        }
        let _ = items_in_alt;
        if close.is_some() {
            return Err(perr(
                "unclosed bracket",
                "every ( needs a ) and every [ a ]",
            ));
        }
        if alts.iter().all(String::is_empty) {
            return Err(perr("nothing to match", "write at least one word"));
        }
        Ok(alts.join("|"))
    }

    fn group_source(&self, name: &str, depth: usize) -> Result<String, PatternError> {
        let Some(members) = self.groups.get(name) else {
            return Err(perr(
                format!("unknown group @{name}"),
                format!("define \"{name}\" in intents/_groups.json or fix the spelling"),
            ));
        };
        let mut srcs = Vec::new();
        for m in members {
            srcs.push(self.seq_source(m, depth + 1).map_err(|e| {
                perr(
                    format!("in group @{name}, member {m:?}: {}", e.problem),
                    e.fix,
                )
            })?);
        }
        if srcs.is_empty() {
            return Err(perr(
                format!("group @{name} is empty"),
                "add at least one alternative",
            ));
        }
        Ok(format!("(?:{})", srcs.join("|")))
    }

    /// Every literal word a pattern can use (for folding repeated letters).
    pub fn vocabulary(&self, patterns: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        let mut sources: Vec<&str> = patterns.to_vec();
        for members in self.groups.values() {
            sources.extend(members.iter().map(String::as_str));
        }
        for src in sources {
            if src.starts_with("re:") {
                continue;
            }
            if let Ok(toks) = lex(&src.replace(" & ", " ")) {
                for t in toks {
                    if let Tok::Word(w) | Tok::Prefix(w) = t {
                        out.push(w);
                    }
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

fn permute(
    items: &[String],
    cur: &mut Vec<String>,
    used: &mut Vec<bool>,
    out: &mut Vec<Vec<String>>,
) {
    if cur.len() == items.len() {
        out.push(cur.clone());
        return;
    }
    for i in 0..items.len() {
        if !used[i] {
            used[i] = true;
            cur.push(items[i].clone());
            permute(items, cur, used, out);
            cur.pop();
            used[i] = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    fn matches(groups: &[(&str, &[&str])], pattern: &str, text: &str) -> bool {
        let g: BTreeMap<String, Vec<String>> = groups
            .iter()
            .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
            .collect();
        let src = Compiler::new(&g).compile(pattern).expect("compiles");
        Regex::new(&src).expect("valid regex").is_match(&pad(text))
    }

    #[test]
    fn words_prefixes_options_groups_and_gaps() {
        let g: &[(&str, &[&str])] = &[("back", &["back", "lower back", "spine"])];
        assert!(matches(
            g,
            "crack* [my] @back",
            "how do i crack my lower back"
        ));
        assert!(matches(g, "crack* [my] @back", "cracking spine"));
        assert!(!matches(g, "crack* [my] @back", "crack the backyard"));
        assert!(matches(g, "crack* ~ @back", "crack the stiff old back"));
        assert!(!matches(g, "crack* ~ @back", "crack it . my back"));
        assert!(!matches(g, "crack", "cracked"));
        assert!(matches(g, "(heat|ice) or (heat|ice)", "heat or ice"));
        assert!(
            matches(g, "fever ~3 degrees", "fever of 38.9 degrees"),
            "gaps step over decimals"
        );
        assert!(matches(g, "39*", "39.2"));
    }

    #[test]
    fn any_order_stays_in_one_sentence() {
        let g: &[(&str, &[&str])] = &[];
        assert!(matches(g, "crack & back", "my back needs a crack"));
        assert!(matches(g, "crack & back", "crack my back"));
        assert!(!matches(g, "crack & back", "crack . back"));
    }

    #[test]
    fn errors_say_what_to_fix() {
        let g = BTreeMap::new();
        let c = Compiler::new(&g);
        assert!(c.compile("can't feel").unwrap_err().fix.contains("cant"));
        assert!(c
            .compile("@nope")
            .unwrap_err()
            .problem
            .contains("unknown group"));
        assert!(c.compile("(a|b").is_err());
        assert!(c.compile("a ~9 b").is_err());
        assert!(c.compile("Back").unwrap_err().fix.contains("back"));
    }
}
