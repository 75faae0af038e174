//! Normalises a chat message once: case, Unicode compatibility forms, quotes,
//! repeated letters, chat abbreviations, mentions and links, punctuation as
//! sentence (`.`) and clause (`,`) tokens.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Turns raw messages into the token text patterns match against.
#[derive(Debug, Clone, Default)]
pub struct Normaliser {
    words: HashMap<String, String>,
    vocab: HashSet<String>,
}

/// The sentence token.
pub const SENTENCE: &str = ".";
/// The clause token.
pub const CLAUSE: &str = ",";

impl Normaliser {
    /// A normaliser with a word map (abbreviation -> replacement) and the
    /// vocabulary of the patterns (used to fold "baaack" to "back", "feeel" to "feel").
    pub fn new(words: HashMap<String, String>, vocab: impl IntoIterator<Item = String>) -> Self {
        let words = words
            .into_iter()
            .map(|(k, v)| (k, v.trim().to_lowercase()))
            .collect();
        Normaliser {
            words,
            vocab: vocab.into_iter().collect(),
        }
    }

    /// The normalised form of `raw`: tokens separated by single spaces, no
    /// leading or trailing boundary token.
    pub fn normalise(&self, raw: &str) -> String {
        let folded: Cow<str> = if raw.is_ascii() {
            Cow::Borrowed(raw)
        } else {
            Cow::Owned(fold_unicode(raw))
        };
        let s = folded.as_ref();
        let bytes = s.as_bytes();
        let mut out = String::with_capacity(s.len() + 8);
        let mut word = String::with_capacity(24);
        let mut chars = s.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c.is_alphanumeric() {
                if c.is_ascii() {
                    word.push(c.to_ascii_lowercase());
                } else {
                    word.extend(c.to_lowercase());
                }
                continue;
            }
            match c {
                '\'' if !word.is_empty()
                    && chars.peek().is_some_and(|(_, n)| n.is_alphanumeric()) =>
                {
                    continue
                }
                '.' if word.bytes().last().is_some_and(|b| b.is_ascii_digit())
                    && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) =>
                {
                    word.push('.');
                    continue;
                }
                '<' => {
                    // Discord mentions <@1>, <@!1>, <@&1>, <#1>, emoji <:name:1>, <a:name:1>, timestamps <t:1>.
                    let rest = &s[i + 1..];
                    if let Some(end) = rest.find('>') {
                        let inner = &rest[..end];
                        let is_markup = inner.len() <= 100
                            && (inner.starts_with('@')
                                || inner.starts_with('#')
                                || inner.starts_with(':')
                                || inner.starts_with("a:")
                                || inner.starts_with("t:"))
                            && !inner.contains(' ');
                        if is_markup {
                            self.flush(&mut word, &mut out);
                            for _ in 0..=inner.chars().count() {
                                chars.next();
                            }
                            continue;
                        }
                    }
                    self.flush(&mut word, &mut out);
                }
                '@' => {
                    self.flush(&mut word, &mut out);
                    let rest = &s[i + 1..];
                    for tag in ["everyone", "here"] {
                        if rest
                            .get(..tag.len())
                            .is_some_and(|r| r.eq_ignore_ascii_case(tag))
                        {
                            for _ in 0..tag.len() {
                                chars.next();
                            }
                        }
                    }
                }
                ':' if word == "http" || word == "https" => {
                    // A link: skip to the next white space.
                    word.clear();
                    while chars.peek().is_some_and(|(_, n)| !n.is_whitespace()) {
                        chars.next();
                    }
                }
                '.' | '!' | '?' | ';' | '\n' | '\r' => {
                    self.flush(&mut word, &mut out);
                    push_boundary(&mut out, SENTENCE);
                }
                ',' | ':' | '(' | ')' => {
                    self.flush(&mut word, &mut out);
                    push_boundary(&mut out, CLAUSE);
                }
                _ => self.flush(&mut word, &mut out),
            }
        }
        self.flush(&mut word, &mut out);
        while out.ends_with(SENTENCE) || out.ends_with(CLAUSE) {
            out.truncate(out.len() - 1);
            if out.ends_with(' ') {
                out.truncate(out.len() - 1);
            }
        }
        out
    }

    fn flush(&self, word: &mut String, out: &mut String) {
        if word.is_empty() {
            return;
        }
        if word.ends_with('.') {
            word.pop();
        }
        let folded = if has_triple(word) {
            Some(self.fold_repeats(word))
        } else {
            None
        };
        let w = folded.as_deref().unwrap_or(word.as_str());
        let replacement = self.words.get(w).map(String::as_str).unwrap_or(w);
        if !replacement.is_empty() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(replacement);
        }
        word.clear();
    }

    /// "sooo" -> "soo" unless the single-letter form is a known word or
    /// abbreviation ("baaack" -> "back", "numbbb" -> "numb").
    fn fold_repeats(&self, word: &str) -> String {
        let two = collapse(word, 2);
        if self.words.contains_key(&two) || self.vocab.contains(&two) {
            return two;
        }
        let one = collapse(word, 1);
        if self.words.contains_key(&one) || self.vocab.contains(&one) {
            return one;
        }
        two
    }
}

fn push_boundary(out: &mut String, token: &str) {
    if out.is_empty() {
        return;
    }
    if out.ends_with(SENTENCE) {
        return;
    }
    if out.ends_with(CLAUSE) {
        if token == SENTENCE {
            out.truncate(out.len() - 1);
            out.push_str(SENTENCE);
        }
        return;
    }
    out.push(' ');
    out.push_str(token);
}

fn has_triple(word: &str) -> bool {
    let b = word.as_bytes();
    b.windows(3)
        .any(|w| w[0] == w[1] && w[1] == w[2] && w[0].is_ascii_alphabetic())
}

fn collapse(word: &str, keep: usize) -> String {
    let mut out = String::with_capacity(word.len());
    let mut last = None;
    let mut run = 0;
    for c in word.chars() {
        if Some(c) == last && c.is_alphabetic() {
            run += 1;
        } else {
            run = 1;
            last = Some(c);
        }
        if run <= keep || !c.is_alphabetic() {
            out.push(c);
        }
    }
    out
}

/// Compatibility forms, accents removed, curly quotes straightened.
fn fold_unicode(raw: &str) -> String {
    raw.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' | '`' | '\u{00B4}' => {
                '\''
            }
            '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' => '"',
            '\u{2026}' => '.',
            c if c.is_control() && c != '\n' && c != '\r' => ' ',
            c => c,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(raw: &str) -> String {
        let words = [
            ("lowr", "lower"),
            ("bak", "back"),
            ("idk", "i dont know"),
            ("numbb", "numb"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        Normaliser::new(words, ["back".to_string(), "feel".to_string()]).normalise(raw)
    }

    #[test]
    fn folds_case_quotes_and_abbreviations() {
        assert_eq!(
            n("How do I crack my LOWR BAK?"),
            "how do i crack my lower back"
        );
        assert_eq!(n("I can\u{2019}t feel my legs"), "i cant feel my legs");
        assert_eq!(n("idk, it's stiff"), "i dont know , its stiff");
        assert_eq!(
            n("\u{FF28}\u{FF25}\u{FF2C}\u{FF30} na\u{00EF}ve"),
            "help naive"
        );
    }

    #[test]
    fn folds_repeated_letters() {
        assert_eq!(n("my baaaack sooo stiff"), "my back soo stiff");
        assert_eq!(n("numbbbb"), "numb");
        assert_eq!(n("feeeel"), "feel");
    }

    #[test]
    fn strips_mentions_links_and_marks_boundaries() {
        assert_eq!(
            n("<@123> hi @everyone! see https://x.y/z ok"),
            "hi . see ok"
        );
        assert_eq!(
            n("no fever, just stiff. \u{1F62D} ok"),
            "no fever , just stiff . ok"
        );
        assert_eq!(n("back-end"), "back end");
        assert_eq!(n("...?!"), "");
        assert_eq!(n("a\u{0007}b"), "a b");
        assert_eq!(n("2.5 kg"), "2.5 kg");
    }
}
