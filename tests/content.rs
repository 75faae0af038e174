//! The content as tests: every intent's examples and near misses, the spec's
//! catalogue, and clear file:line errors for broken content.

mod common;

use backbot::catalogue::CATALOGUE;
use backbot::tools::check::check;

#[test]
fn project_content_passes_check_with_every_example() {
    match check(&common::root()) {
        Ok(summary) => {
            assert!(summary.intents >= CATALOGUE.len());
            assert!(
                summary.examples >= CATALOGUE.len() * 11,
                "at least 8 examples and 3 near misses per intent"
            );
        }
        Err(errors) => {
            let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
            panic!("{} content problem(s):\n{}", errors.len(), text.join("\n"));
        }
    }
}

#[test]
fn every_catalogue_intent_exists_with_its_kind_and_a_response() {
    let content = &common::engine().content;
    for (id, kind) in CATALOGUE {
        let intent = content.intent(id).unwrap_or_else(|| panic!("{id} missing"));
        assert_eq!(intent.kind, *kind, "{id}");
        assert!(content.responses.contains_key(*id), "{id} has no response");
    }
}

/// Asserts that one error mentions every one of `needles`.
fn assert_reported(errors: &[String], needles: &[&str]) {
    assert!(
        errors.iter().any(|e| needles.iter().all(|n| e.contains(n))),
        "no error mentions {needles:?}: {errors:?}"
    );
}

/// Every error `check` reports for the content in `dir` (which must fail).
fn errors_of(dir: &std::path::Path) -> Vec<String> {
    check(dir)
        .expect_err("the content must fail the check")
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn break_file(rel: &str, edit: impl FnOnce(String) -> String) -> (tempfile::TempDir, Vec<String>) {
    let dir = common::content_copy();
    let path = common::file(dir.path(), rel);
    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, edit(text)).expect("write");
    let errors = errors_of(dir.path());
    (dir, errors)
}

#[test]
fn a_json_syntax_error_names_the_file_and_line() {
    let (_d, errors) = break_file("intents/crack_chair.json", |t| {
        t.replacen("\"kind\"", "\"kind\" \"oops\",", 1)
    });
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("intents/crack_chair.json:")
                && e.contains("invalid JSON")
                && e.contains("fix:")),
        "{errors:?}"
    );
}

#[test]
fn an_unknown_group_names_the_intent_and_the_fix() {
    let (_d, errors) = break_file("intents/crack_chair.json", |t| {
        t.replacen(
            "\"patterns\": [",
            "\"patterns\": [\"@no_such_group chair\",",
            1,
        )
    });
    assert_reported(
        &errors,
        &[
            "[crack_chair]",
            "unknown group @no_such_group",
            "_groups.json",
        ],
    );
}

#[test]
fn a_missing_response_and_a_missing_catalogue_intent_are_reported() {
    let dir = common::content_copy();
    std::fs::remove_file(dir.path().join("responses/crack_ground.json")).expect("rm");
    std::fs::remove_file(dir.path().join("intents/fever.json")).expect("rm");
    std::fs::remove_file(dir.path().join("responses/fever.json")).expect("rm");
    let errors = errors_of(dir.path());
    assert_reported(
        &errors,
        &[
            "[crack_ground] intent without a response",
            "responses/crack_ground.json",
        ],
    );
    assert_reported(&errors, &["[fever]", "catalogue"]);
}

#[test]
fn a_duplicate_id_is_reported() {
    let dir = common::content_copy();
    let text = std::fs::read_to_string(dir.path().join("intents/crack_chair.json")).expect("read");
    std::fs::write(dir.path().join("intents/crack_chair_copy.json"), text).expect("write");
    let errors = errors_of(dir.path());
    assert_reported(&errors, &["duplicate id"]);
}

#[test]
fn an_example_that_misses_and_a_near_miss_that_hits_are_reported_with_lines() {
    let (_d, errors) = break_file("intents/heat_cold_therapy.json", |t| {
        t.replacen(
            "\"examples\": [",
            "\"examples\": [\"what is the capital of france\",",
            1,
        )
        .replacen(
            "\"not_examples\": [",
            "\"not_examples\": [\"heat or ice?\",",
            1,
        )
    });
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("intents/heat_cold_therapy.json:")
                && e.contains("does not reach its intent")),
        "{errors:?}"
    );
    assert_reported(
        &errors,
        &["not_example \"heat or ice?\" reaches this intent"],
    );
}

#[test]
fn a_pattern_that_does_not_compile_is_reported() {
    let (_d, errors) = break_file("intents/crack_chair.json", |t| {
        t.replacen(
            "\"patterns\": [",
            "\"patterns\": [\"re:(unclosed\", \"can't crack\",",
            1,
        )
    });
    assert_reported(&errors, &["invalid regular expression"]);
    assert_reported(&errors, &["apostrophe", "cant"]);
}

#[test]
fn a_pattern_that_is_too_large_is_reported() {
    let huge = format!(
        "re:(?:{}){{200}}",
        (0..200)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join("|")
    );
    let (_d, errors) = break_file("intents/crack_chair.json", move |t| {
        t.replacen("\"patterns\": [", &format!("\"patterns\": [{huge:?},"), 1)
    });
    assert_reported(&errors, &["compiles to more than"]);
}
