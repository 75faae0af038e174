//! FAQ autocomplete latency: one query (normalise + rank, top 25) against
//! 1,000 entries synthesised from the real ones, and against the real set.

use std::hint::black_box;
use std::path::Path;

use backbot::content::FaqEntry;
use backbot::faq::{self, FaqIndex};
use backbot::Engine;
use criterion::{criterion_group, criterion_main, Criterion};

/// Queries as typed into Discord's autocomplete: a typo, a half-typed word,
/// a short prefix, a full question.
const QUERIES: &[(&str, &str)] = &[
    ("typo", "strech for stenossis"),
    ("half_word", "heat or co"),
    ("short_prefix", "st"),
    ("full", "how do i crack my lower back safely"),
];

const SYLLABLES: &[&str] = &[
    "ba", "ke", "lo", "mi", "ru", "sta", "pel", "vic", "tor", "sion", "lum", "bar", "dis", "co",
    "ver", "te", "bra", "ten", "don", "mus", "cle", "ar", "thri", "tis", "fa", "cet", "jo", "int",
];

/// A small deterministic generator (xorshift), so every run indexes the same text.
struct Rng(u64);

impl Rng {
    fn next(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// `n` entries built from the real ones: their words shuffled and mixed with
/// words of the whole FAQ and with made-up words, so the vocabulary grows
/// (about 5,000 words) as a real 1,000-entry FAQ's would.
fn synthesise(real: &[FaqEntry], n: usize) -> Vec<FaqEntry> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let pool: Vec<&str> = real
        .iter()
        .flat_map(|e| {
            e.answer
                .split_whitespace()
                .chain(e.question.split_whitespace())
        })
        .collect();
    let made_up = |rng: &mut Rng| -> String {
        (0..2 + rng.next(3))
            .map(|_| SYLLABLES[rng.next(SYLLABLES.len())])
            .collect()
    };
    (0..n)
        .map(|i| {
            let base = &real[i % real.len()];
            let mut question: Vec<String> =
                base.question.split_whitespace().map(String::from).collect();
            let at = rng.next(question.len() + 1);
            question.insert(at, made_up(&mut rng));
            question.push(pool[rng.next(pool.len())].to_string());
            let mut answer: Vec<String> =
                base.answer.split_whitespace().map(String::from).collect();
            for _ in 0..8 {
                let at = rng.next(answer.len() + 1);
                let word = if rng.next(2) == 0 {
                    made_up(&mut rng)
                } else {
                    pool[rng.next(pool.len())].to_string()
                };
                answer.insert(at, word);
            }
            let mut keywords: Vec<String> = base
                .keywords
                .iter()
                .filter(|_| rng.next(3) > 0)
                .cloned()
                .collect();
            keywords.push(made_up(&mut rng));
            FaqEntry {
                id: format!("{}_{i}", base.id),
                question: question.join(" "),
                answer: answer.join(" "),
                intent: base.intent.clone(),
                keywords,
            }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let engine = match Engine::load(Path::new(env!("CARGO_MANIFEST_DIR"))) {
        Ok(e) => e,
        Err(e) => panic!("content does not load: {e}"),
    };
    let entries = synthesise(&engine.content.faq, 1000);
    let index = FaqIndex::build(&entries, &engine.content.intents, |t| engine.normalise(t));
    eprintln!(
        "FAQ index: {} entries, {} distinct words",
        index.len(),
        index.vocabulary()
    );
    let mut g = c.benchmark_group("faq_autocomplete_1000");
    for (name, query) in QUERIES {
        g.bench_function(*name, |b| {
            b.iter(|| black_box(index.rank(&engine.normalise(black_box(query)), 25, true)))
        });
    }
    g.finish();
    let mut g = c.benchmark_group("faq_autocomplete_real");
    for (name, query) in QUERIES {
        g.bench_function(*name, |b| {
            b.iter(|| black_box(faq::suggest(&engine, black_box(query))))
        });
    }
    g.finish();
    let mut g = c.benchmark_group("faq_build_1000");
    g.sample_size(10);
    g.bench_function("build", |b| {
        b.iter(|| {
            black_box(
                FaqIndex::build(&entries, &engine.content.intents, |t| engine.normalise(t)).len(),
            )
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
