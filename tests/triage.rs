//! Triage as a user sees it: red flags get only the advisory, warnings withhold
//! techniques, negations and other word senses do not escalate.

mod common;

use backbot::render::text::render;
use backbot::{Kind, ReplyKind};

fn kind(text: &str) -> Kind {
    common::engine().classify(text).kind
}

fn red_flags(text: &str) -> Vec<String> {
    common::engine().classify(text).red_flags
}

#[test]
fn red_flags_escalate_in_any_wording() {
    for (text, flag) in [
        ("I have a fever and my back hurts", "fever"),
        (
            "lost a lot of weight without trying and my lower back aches",
            "weight_loss",
        ),
        (
            "can't control my bladder since my back went",
            "bowel_bladder",
        ),
        ("I don't have control of my bladder", "bowel_bladder"),
        ("numb between my legs", "sensation_loss"),
        ("can't feel my legs", "sensation_loss"),
        ("no feeling in my groin", "sensation_loss"),
        ("I CANT FEEL MY LEGS!!!", "sensation_loss"),
    ] {
        assert!(
            red_flags(text).contains(&flag.to_string()),
            "{text:?} should raise {flag}, got {:?}",
            common::engine().classify(text)
        );
        assert_eq!(kind(text), Kind::Advisory, "{text:?}");
    }
}

#[test]
fn an_advisory_reply_holds_nothing_but_the_advisory() {
    let engine = common::engine();
    let reply = engine.reply("I can't feel my legs, how do I crack it");
    assert_eq!(reply.kind(), ReplyKind::Advisory);
    assert!(reply.steps.is_empty(), "no technique steps in an advisory");
    assert_eq!(reply.title, engine.content.advisory.title);
    assert_eq!(reply.bullets, engine.content.advisory.red_flags);
    let chair = engine
        .content
        .responses
        .get("crack_chair")
        .expect("chair response");
    let shown = render(&reply);
    assert!(chair.steps.iter().all(|s| !shown.contains(s.as_str())));
}

#[test]
fn negated_symptoms_do_not_escalate() {
    for text in [
        "no fever, just stiff",
        "not numb, only tight",
        "I don't have a fever, how do I crack my lower back",
        "never had any bladder problems, my lower back is just tight",
    ] {
        let c = common::engine().classify(text);
        assert!(
            c.red_flags.is_empty() && c.kind != Kind::Warning,
            "{text:?} escalated: {c:?}"
        );
    }
    assert!(
        red_flags("not sure if I have a fever, my back is killing me")
            .contains(&"fever".to_string()),
        "when unsure, escalate"
    );
    assert_eq!(
        kind("no fever but my legs are numb"),
        Kind::Warning,
        "the negation's scope ends at 'but'"
    );
}

#[test]
fn other_senses_of_the_words_are_ordinary_chat() {
    for text in [
        "finally cracked the puzzle",
        "back in 5",
        "had the weirdest fever dream",
        "our stretch goal is 10k",
        "I'm numb to his jokes",
        "pop the champagne!",
        "the lower back-end is down",
    ] {
        assert_eq!(
            kind(text),
            Kind::Fallback,
            "{text:?}: {:?}",
            common::engine().classify(text)
        );
    }
}

#[test]
fn a_warning_withholds_the_technique_and_says_why() {
    let engine = common::engine();
    let reply = engine.reply("my legs go numb and tingly, how do I crack my lower back?");
    assert_eq!(reply.kind(), ReplyKind::Warning);
    assert!(reply.intents.contains(&"numb_legs".to_string()));
    assert!(
        reply.text.contains(&engine.content.common.warning_withheld),
        "says a technique was held back"
    );
    let chair = engine.content.responses.get("crack_chair").expect("chair");
    assert!(reply.steps.iter().all(|s| !chair.steps.contains(s)));
}

#[test]
fn questions_get_their_answers() {
    let engine = common::engine();
    for (text, id) in [
        ("how do I crack my lower back safely?", "crack_lower_back"),
        ("how do i crack my back in a chair", "crack_chair"),
        ("heat or ice?", "heat_cold_therapy"),
        ("my legs go numb, is that normal?", "numb_legs"),
    ] {
        let c = engine.classify(text);
        assert_eq!(
            c.intents.first().map(String::as_str),
            Some(id),
            "{text:?}: {c:?}"
        );
    }
    let chair = engine.reply("how do i crack my back in a chair");
    assert_eq!(chair.steps, engine.content.responses["crack_chair"].steps);
    assert!(
        chair.footer.is_some(),
        "every answer carries the not-medical-advice footer"
    );
}

#[test]
fn classification_follows_the_spec_format() {
    let c =
        common::engine().classify("I have a fever, also my legs tingle, how do I crack my back");
    assert_eq!(c.kind, Kind::Advisory);
    assert_eq!(c.red_flags, vec!["fever".to_string()]);
    assert_eq!(
        c.intents.first().map(String::as_str),
        Some("fever"),
        "strongest kind first"
    );
    let kinds: Vec<Kind> = c.hits.iter().map(|h| h.kind).collect();
    let mut sorted = kinds.clone();
    sorted.sort();
    assert_eq!(kinds, sorted);
    let off = common::engine().classify("anyone up for valorant tonight");
    assert_eq!(
        (off.kind, off.intents.len(), off.red_flags.len()),
        (Kind::Fallback, 0, 0)
    );
}

#[test]
fn commands_answer_and_check_red_flags() {
    use backbot::commands::Command;
    let engine = common::engine();
    let chair = engine.run(&Command::Crack(Some("chair".into())));
    assert_eq!(chair.steps, engine.content.responses["crack_chair"].steps);
    let knee = engine.run(&Command::Stretch(Some("knee".into())));
    assert_eq!(
        knee.steps,
        engine.content.responses["stretch_knee_to_chest"].steps
    );
    assert_eq!(
        engine.run(&Command::Crack(Some("backflip".into()))).kind(),
        ReplyKind::Error
    );
    assert_eq!(
        engine
            .run(&Command::Ask("can't feel my legs".into()))
            .kind(),
        ReplyKind::Advisory
    );
    assert_eq!(
        engine
            .run(&Command::Crack(Some("can't feel my legs".into())))
            .kind(),
        ReplyKind::Advisory
    );
    let list = engine.run(&Command::RedFlags);
    assert_eq!(list.bullets, engine.content.advisory.red_flags);
    assert_eq!(
        engine.run(&Command::Ask("   ".into())).kind(),
        ReplyKind::Error
    );
}
