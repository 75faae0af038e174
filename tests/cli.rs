//! The binary as a newcomer uses it: piped console input, classify JSON, check
//! and eval exit codes, invalid UTF-8 on stdin.

mod common;

fn backbot(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    common::backbot(args, stdin, &[])
}

#[test]
fn piped_chat_replies_once_per_line_and_survives_invalid_utf8() {
    let input = b"heat or ice?\n\xff\xfe\xfd broken\n/crack chair\ni can't feel my legs\n";
    let (code, out, err) = backbot(&["chat"], input);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("line 2 is not valid UTF-8"), "{err}");
    let replies: Vec<&str> = out.split("== ").filter(|s| !s.trim().is_empty()).collect();
    assert_eq!(replies.len(), 3, "one reply per readable line:\n{out}");
    let engine = common::engine();
    assert!(
        replies[0].starts_with(&engine.content.responses["heat_cold_therapy"].title),
        "{out}"
    );
    assert!(
        replies[1].contains(&engine.content.responses["crack_chair"].steps[0]),
        "{out}"
    );
    assert!(
        replies[2].starts_with(&engine.content.advisory.title),
        "{out}"
    );
}

#[test]
fn chat_is_the_default_command() {
    let (code, out, _) = backbot(&[], b"heat or ice?\n");
    assert_eq!(code, 0);
    assert!(out.contains(&common::engine().content.responses["heat_cold_therapy"].title));
}

#[test]
fn classify_prints_one_spec_object_per_line() {
    let (code, out, err) = backbot(
        &["classify"],
        b"I have a fever and my back hurts\nanyone up for valorant\n\xc3\x28\n",
    );
    assert_eq!(
        code, 65,
        "an unreadable line makes the exit code non-zero: {err}"
    );
    assert!(err.contains("line 3"), "{err}");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["kind"], "advisory");
    assert_eq!(lines[0]["red_flags"], serde_json::json!(["fever"]));
    assert_eq!(lines[0]["text"], "I have a fever and my back hurts");
    assert_eq!(lines[1]["kind"], "fallback");
    assert_eq!(lines[1]["intents"], serde_json::json!([]));
    let (code, out, _) = backbot(&["classify", "heat or ice?"], b"");
    assert_eq!(code, 0);
    assert!(out.contains("heat_cold_therapy"));
}

#[test]
fn check_passes_on_the_project_and_fails_on_broken_content() {
    let (code, out, err) = backbot(&["check"], b"");
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.starts_with("ok:"));
    let dir = common::content_copy();
    std::fs::write(
        dir.path().join("intents/_groups.json"),
        "{ \"back\": [\"back\" }",
    )
    .expect("write");
    let (code, _, err) = backbot(&["check", dir.path().to_str().expect("utf-8 path")], b"");
    assert_eq!(code, 1);
    assert!(
        err.contains("intents/_groups.json:1") && err.contains("fix:"),
        "{err}"
    );
}

#[test]
fn eval_fails_when_a_red_flag_is_missed() {
    let dir = tempfile::tempdir().expect("tmp");
    let set = dir.path().join("set.jsonl");
    std::fs::write(&set, "{\"text\":\"heat or ice?\",\"kind\":\"answer\",\"intents\":[\"heat_cold_therapy\"],\"red_flags\":[]}\n{\"text\":\"my back is fine\",\"kind\":\"advisory\",\"intents\":[\"fever\"],\"red_flags\":[\"fever\"]}\n").expect("write");
    let (code, out, _) = backbot(&["eval", set.to_str().expect("path")], b"");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("red-flag recall:          0.0%"), "{out}");
    assert!(out.contains("misses (1)"), "{out}");
    let (code, out, _) = backbot(&["eval", "--json", "tests/data/dev.jsonl"], b"");
    assert_eq!(code, 0, "{out}");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert!(v["total"].as_u64().unwrap_or(0) >= 250);
}
