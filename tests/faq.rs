//! FAQ lookup as a user sees it: ranking accuracy on the labelled query set,
//! typos, autocomplete, no match, red flags, and the console and CLI paths.

mod common;

use backbot::commands::Command;
use backbot::console::{handle_line, Outcome};
use backbot::content::FaqEntry;
use backbot::faq::{self, FaqIndex, MAX_SUGGESTIONS};
use backbot::ReplyKind;
use serde::Deserialize;

#[derive(Deserialize)]
struct Labelled {
    query: String,
    expected: String,
}

/// The best entry id for a query, if any.
fn top(query: &str) -> Option<String> {
    faq::search(common::engine(), query, 1)
        .into_iter()
        .next()
        .map(|h| h.id)
}

#[test]
fn labelled_queries_rank_the_expected_entry_first() {
    let text = std::fs::read_to_string(common::root().join("tests/data/faq_queries.jsonl"))
        .expect("tests/data/faq_queries.jsonl");
    let engine = common::engine();
    let ids: Vec<&str> = engine.content.faq.iter().map(|e| e.id.as_str()).collect();
    let (mut top1, mut top3, mut total) = (0, 0, 0);
    let mut misses = Vec::new();
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let q: Labelled = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("faq_queries.jsonl:{}: {e}", n + 1));
        assert!(
            ids.contains(&q.expected.as_str()),
            "faq_queries.jsonl:{}: unknown entry {:?}",
            n + 1,
            q.expected
        );
        let hits = faq::search(engine, &q.query, 3);
        total += 1;
        if hits.first().is_some_and(|h| h.id == q.expected) {
            top1 += 1;
        } else {
            let got: Vec<(&str, f32)> = hits.iter().map(|h| (h.id.as_str(), h.score)).collect();
            misses.push(format!(
                "{:?}: expected {}, got {got:?}",
                q.query, q.expected
            ));
        }
        if hits.iter().any(|h| h.id == q.expected) {
            top3 += 1;
        }
    }
    assert!(total >= 80, "only {total} labelled queries");
    let (a1, a3) = (top1 as f64 / total as f64, top3 as f64 / total as f64);
    eprintln!("FAQ ranking: top-1 {top1}/{total} = {a1:.3}, top-3 {top3}/{total} = {a3:.3}");
    for m in &misses {
        eprintln!("  miss: {m}");
    }
    assert!(
        a1 >= 0.90,
        "top-1 accuracy {a1:.3} < 0.90\n{}",
        misses.join("\n")
    );
    assert!(
        a3 >= 0.98,
        "top-3 accuracy {a3:.3} < 0.98\n{}",
        misses.join("\n")
    );
}

/// The labelled queries, and the (top-1, top-3) accuracy of `rank` over them.
fn accuracy(rank: impl Fn(&str) -> Vec<String>) -> (f64, f64) {
    let text = std::fs::read_to_string(common::root().join("tests/data/faq_queries.jsonl"))
        .expect("tests/data/faq_queries.jsonl");
    let (mut top1, mut top3, mut total) = (0, 0, 0);
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let q: Labelled = serde_json::from_str(line).expect("a labelled query");
        let ids = rank(&q.query);
        total += 1;
        top1 += usize::from(ids.first() == Some(&q.expected));
        top3 += usize::from(ids.iter().take(3).any(|id| *id == q.expected));
    }
    (top1 as f64 / total as f64, top3 as f64 / total as f64)
}

#[test]
fn ranking_does_not_lean_on_the_keywords_alone() {
    // The keywords were written next to the labelled queries; without them the
    // question, the answer and the intent's examples must still rank well.
    let engine = common::engine();
    let bare: Vec<FaqEntry> = engine
        .content
        .faq
        .iter()
        .map(|e| FaqEntry {
            keywords: Vec::new(),
            ..e.clone()
        })
        .collect();
    let index = FaqIndex::build(&bare, &engine.content.intents, |t| engine.normalise(t));
    let (a1, a3) = accuracy(|q| {
        index
            .rank(&engine.normalise(q), 3, false)
            .hits
            .iter()
            .map(|h| bare[h.doc].id.clone())
            .collect()
    });
    eprintln!("FAQ ranking without keywords: top-1 {a1:.3}, top-3 {a3:.3}");
    assert!(a1 >= 0.75 && a3 >= 0.90, "top-1 {a1:.3}, top-3 {a3:.3}");
}

#[test]
fn typos_and_loose_wording_reach_the_entry() {
    for (query, expected) in [
        ("strech for stenossis", "stenosis_stretching"),
        ("hot or cold", "heat_or_cold"),
        ("STRECHES for spinal stenosis??", "stenosis_stretching"),
        ("stenosis sympt", "stenosis_symptoms"),
        ("is craking my back dangerus", "cracking_damage"),
        ("benifits of crakcing", "cracking_benefits"),
        ("how long should i ise my back", "heat_how_long"),
    ] {
        assert_eq!(top(query).as_deref(), Some(expected), "query {query:?}");
    }
}

#[test]
fn no_match_says_so_and_suggests_the_closest_topics() {
    let engine = common::engine();
    for query in [
        "pizza recipe",
        "what is the weather like",
        "asdfghjkl",
        "who won",
    ] {
        assert!(
            faq::search(engine, query, 3).is_empty(),
            "{query:?} should not match"
        );
        let r = faq::reply(engine, Some(query));
        assert_eq!(r.kind(), ReplyKind::Info, "{query:?}");
        assert_eq!(r.title, "No FAQ match");
        assert!(r.text[0].contains("no FAQ entry"), "{:?}", r.text);
        assert_eq!(r.bullets.len(), 3, "closest topics for {query:?}");
        assert!(faq::suggest(engine, query).is_empty(), "{query:?}");
    }
    // A misspelt topic is still close to its question.
    let r = faq::reply(engine, Some("stenossiss"));
    assert!(
        r.title.contains("stenosis") || r.bullets.iter().any(|b| b.contains("stenosis")),
        "{r:?}"
    );
}

#[test]
fn a_red_flag_in_the_query_gets_the_advisory() {
    let engine = common::engine();
    let advisory = engine
        .red_flag_guard("I have a fever and my back hurts")
        .expect("fever is a red flag");
    for query in [
        "stretches for stenosis, I have a fever",
        "I have a fever and my back hurts",
    ] {
        let r = faq::reply(engine, Some(query));
        assert_eq!(r.kind(), ReplyKind::Advisory, "{query:?}");
        assert_eq!(r.title, advisory.title);
        assert_eq!(r.bullets, advisory.bullets, "the advisory and nothing else");
        assert!(faq::report(engine, query).contains(&advisory.title));
    }
    let r = engine.run(&Command::Faq(Some("can't control my bladder".into())));
    assert_eq!(r.kind(), ReplyKind::Advisory);
}

#[test]
fn a_match_shows_the_answer_and_points_to_the_full_reply() {
    let engine = common::engine();
    for e in &engine.content.faq {
        // The autocomplete value is the id; the question itself also works.
        for query in [e.id.as_str(), e.question.as_str()] {
            let r = faq::reply(engine, Some(query));
            assert_eq!(r.kind(), ReplyKind::Answer, "{query:?}");
            assert_eq!(r.title, e.question);
            assert_eq!(r.text[0], e.answer);
            assert_eq!(r.intents, vec![e.intent.clone()]);
        }
        let r = faq::reply(engine, Some(&e.id));
        let pointer = r.text.get(1).expect("a pointer to the full reply");
        let ask = pointer
            .split_once("/ask ")
            .map(|(_, q)| q)
            .expect("the pointer names an /ask");
        assert!(
            engine.classify(ask).intents.contains(&e.intent),
            "{}: /ask {ask} does not reach {}",
            e.id,
            e.intent
        );
    }
}

#[test]
fn no_query_lists_the_topics() {
    let engine = common::engine();
    for r in [
        faq::reply(engine, None),
        faq::reply(engine, Some("   ")),
        engine.run(&Command::Faq(None)),
    ] {
        assert_eq!(r.kind(), ReplyKind::Info);
        let questions: Vec<String> = engine
            .content
            .faq
            .iter()
            .map(|e| e.question.clone())
            .collect();
        assert_eq!(r.bullets, questions);
    }
}

#[test]
fn autocomplete_suggests_up_to_25_ranked_choices() {
    let engine = common::engine();
    let all = faq::suggest(engine, "");
    assert_eq!(all.len(), engine.content.faq.len().min(MAX_SUGGESTIONS));
    for (partial, first) in [
        ("stenosis sym", "stenosis_symptoms"),
        ("strech for stenos", "stenosis_stretching"),
        ("hot or co", "heat_or_cold"),
        ("unlo", "unlock_lower_back"),
    ] {
        let s = faq::suggest(engine, partial);
        assert!(!s.is_empty() && s.len() <= MAX_SUGGESTIONS, "{partial:?}");
        assert_eq!(s[0].1, first, "{partial:?}: {s:?}");
        for (name, value) in &s {
            assert!(name.chars().count() <= 100 && value.chars().count() <= 100);
            // Choosing a suggestion shows that entry.
            let e = engine.content.faq.iter().find(|e| &e.id == value);
            assert_eq!(e.map(|e| &e.question), Some(name));
        }
    }
    // Every character typed so far gives an answer, never a panic.
    let long = "x".repeat(5000);
    for partial in ["s", "st", "ş", "🙂", "...", long.as_str()] {
        assert!(faq::suggest(engine, partial).len() <= MAX_SUGGESTIONS);
        let _ = faq::reply(engine, Some(partial));
    }
}

#[test]
fn faq_works_in_the_console() {
    let engine = common::engine();
    assert_eq!(
        Command::parse("/faq heat or ice"),
        Some(Command::Faq(Some("heat or ice".into())))
    );
    assert_eq!(Command::parse("/FAQ"), Some(Command::Faq(None)));
    match handle_line(engine, "/faq strech for stenossis") {
        Outcome::Reply(r) => {
            assert_eq!(r.kind(), ReplyKind::Answer);
            assert!(r.title.to_lowercase().contains("stenosis"), "{}", r.title);
        }
        Outcome::Quit => panic!("/faq must not quit"),
    }
}

#[test]
fn the_cli_prints_ranked_matches_with_scores() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_backbot"))
        .args(["--content"])
        .arg(common::root())
        .args(["faq", "hot or cold"])
        .output()
        .expect("run backbot faq");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let first = text.lines().next().unwrap_or_default();
    assert!(first.contains("heat_or_cold"), "{text}");
    assert!(
        first
            .split_whitespace()
            .nth(1)
            .is_some_and(|s| s.parse::<f32>().is_ok()),
        "a score on each line: {text}"
    );
}
