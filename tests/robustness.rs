//! No panic on any input, and red flags survive whatever chat is around them.

mod common;

use backbot::Kind;
use proptest::prelude::*;

#[test]
fn odd_inputs_get_a_reply_without_panicking() {
    let engine = common::engine();
    let long_red_flag = format!("{} and now I can't feel my legs", "blah ".repeat(2000));
    for text in [
        "",
        "   \t ",
        "\u{0000}\u{0007}\u{001b}[2J",
        "💥🔥🙏",
        &"a".repeat(10_000),
        &"lower back ".repeat(1_000),
        "@everyone <@123> <#5> https://x.y",
        &long_red_flag,
    ] {
        let c = engine.classify(text);
        let _ = engine.reply(text);
        if text.ends_with("legs") {
            assert_eq!(
                c.kind,
                Kind::Advisory,
                "a red flag at the end of a 10 000-character message is found"
            );
        }
    }
}

const RED_FLAGS: &[&str] = &[
    "I have a fever and my back hurts",
    "can't control my bladder",
    "no feeling in my groin",
    "lost a lot of weight without trying",
    "I can't feel my legs",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn classify_never_panics(s in "\\PC{0,300}", bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let engine = common::engine();
        let _ = engine.classify(&s);
        let lossy = String::from_utf8_lossy(&bytes);
        let _ = engine.classify(&lossy);
    }

    #[test]
    fn unrelated_chat_never_removes_the_advisory(i in 0..RED_FLAGS.len(), before in "[a-z ]{0,80}", after in "[a-z ]{0,80}") {
        let engine = common::engine();
        let flag = RED_FLAGS[i];
        prop_assume!(engine.classify(flag).kind == Kind::Advisory);
        let text = format!("{before}. {flag}. {after}");
        prop_assert_eq!(engine.classify(&text).kind, Kind::Advisory, "{}", text);
    }
}
