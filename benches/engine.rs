//! Throughput of the engine (off-topic and on-topic messages) and the one-time
//! cost of loading and compiling the content.

use std::hint::black_box;
use std::path::Path;

use backbot::Engine;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

const OFF_TOPIC: &[&str] = &[
    "anyone up for valorant tonight?",
    "lol that meme is so good",
    "brb grabbing coffee",
    "did you see the game last night, crazy ending",
    "what time is the meeting tomorrow",
    "gm everyone ☀️",
    "my cat just knocked over my plant again",
    "can someone share the link to the playlist",
];

const ON_TOPIC: &[&str] = &[
    "how do I crack my lower back safely?",
    "heat or ice for a tight lower back?",
    "my legs go numb when i sit, is that normal",
    "whats the knee to chest stretch",
    "is cracking my back bad for me",
    "no fever, just stiff lower back, any stretches?",
    "I can't feel my legs and my back hurts",
    "how do i crack my back in a chair",
];

fn content_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn bench(c: &mut Criterion) {
    let engine = match Engine::load(content_dir()) {
        Ok(e) => e,
        Err(e) => panic!("content does not load: {e}"),
    };
    let mut g = c.benchmark_group("classify");
    g.throughput(Throughput::Elements(OFF_TOPIC.len() as u64));
    g.bench_function("off_topic", |b| {
        b.iter(|| {
            for m in OFF_TOPIC {
                black_box(engine.classify(black_box(m)));
            }
        })
    });
    g.throughput(Throughput::Elements(ON_TOPIC.len() as u64));
    g.bench_function("on_topic", |b| {
        b.iter(|| {
            for m in ON_TOPIC {
                black_box(engine.classify(black_box(m)));
            }
        })
    });
    g.finish();
    let mut g = c.benchmark_group("startup");
    g.sample_size(20);
    g.bench_function("load_and_compile_content", |b| {
        b.iter(|| black_box(Engine::load(content_dir()).is_ok()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
