//! End-to-end: slash commands through the real serenity client against the fake Discord.

mod support;

use serde_json::{json, Value};
use support::*;

fn names(body: &Value) -> Vec<String> {
    body.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c["name"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn startup_registers_the_slash_commands() {
    let fake = Fake::start().await;
    let bot = Bot::start(&fake).await;
    let puts = fake.calls("PUT", "/commands");
    assert_eq!(puts.len(), 1, "global registration only");
    let p = &puts[0];
    assert_eq!(p.path, format!("/api/v10/applications/{BOT}/commands"));
    assert_eq!(
        names(&p.body),
        ["ask", "crack", "stretch", "redflags", "faq", "help", "remind", "backbot"]
    );
    let crack_choices: Vec<&str> = p.body[1]["options"][0]["choices"]
        .as_array()
        .expect("choices")
        .iter()
        .filter_map(|c| c["value"].as_str())
        .collect();
    assert_eq!(crack_choices, ["chair", "ground", "twist"]);
    assert_eq!(p.body[7]["default_member_permissions"], json!("32"));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn switching_between_guild_and_global_never_lists_a_command_twice() {
    let fake = Fake::start().await;
    let db = tempfile::tempdir().expect("tempdir");
    let mut cfg = config(&fake, db.path());
    cfg.dev_guild = Some(GUILD);
    let bot = Bot::start_config(&fake, cfg, tempfile::tempdir().expect("tempdir")).await;
    fake.wait("both scopes", |f| f.calls("PUT", "/commands").len() >= 2)
        .await;
    let puts = fake.calls("PUT", "/commands");
    let guild_path = format!("/api/v10/applications/{BOT}/guilds/{GUILD}/commands");
    let global_path = format!("/api/v10/applications/{BOT}/commands");
    assert_eq!(puts[0].path, guild_path);
    assert_eq!(names(&puts[0].body).len(), 8);
    assert_eq!(puts[1].path, global_path);
    assert_eq!(puts[1].body, json!([]), "global scope cleared");
    bot.stop().await;

    // Same database, no dev guild: global commands, and the guild's are cleared.
    let fake2 = Fake::start().await;
    let cfg = config(&fake2, db.path());
    let bot = Bot::start_config(&fake2, cfg, tempfile::tempdir().expect("tempdir")).await;
    fake2
        .wait("both scopes", |f| f.calls("PUT", "/commands").len() >= 2)
        .await;
    let puts = fake2.calls("PUT", "/commands");
    assert_eq!(puts[0].path, global_path);
    assert_eq!(names(&puts[0].body).len(), 8);
    assert_eq!(puts[1].path, guild_path);
    assert_eq!(puts[1].body, json!([]), "old guild scope cleared");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ask_is_ephemeral_crack_chair_has_the_steps_and_settings_need_an_admin() {
    let fake = Fake::start().await;
    let bot = Bot::start(&fake).await;
    fake.send_slash(
        "ask",
        json!([{"name": "question", "type": 3, "value": "heat or ice for my lower back?"}]),
        MEMBER_PERMS,
    );
    fake.wait("ask callback", |f| f.callbacks().len() == 1)
        .await;
    let ask = &fake.callbacks()[0];
    assert_eq!(ask.body["type"], json!(4));
    assert_eq!(
        ask.body["data"]["flags"].as_u64().map(|f| f & 64),
        Some(64),
        "ephemeral: {}",
        ask.body
    );
    assert_eq!(ask.body["data"]["allowed_mentions"]["parse"], json!([]));

    fake.send_slash(
        "crack",
        json!([{"name": "technique", "type": 3, "value": "chair"}]),
        MEMBER_PERMS,
    );
    fake.wait("crack callback", |f| f.callbacks().len() == 2)
        .await;
    let crack = &fake.callbacks()[1];
    let chair = &engine().content.responses["crack_chair"];
    let e = embed(crack);
    assert_eq!(e["title"].as_str(), Some(chair.title.as_str()));
    let d = e["description"].as_str().unwrap_or("");
    for (i, step) in chair.steps.iter().enumerate() {
        assert!(d.contains(&format!("{}. {step}", i + 1)), "step {i} in {d}");
    }

    fake.send_slash(
        "backbot",
        json!([{"name": "settings", "type": 2, "options": [{"name": "listen", "type": 1, "options": []}]}]),
        MEMBER_PERMS,
    );
    fake.wait("settings callback", |f| f.callbacks().len() == 3)
        .await;
    let refused = &fake.callbacks()[2];
    assert!(
        embed_text(refused).contains("Manage Server"),
        "{}",
        embed_text(refused)
    );
    assert_eq!(
        refused.body["data"]["flags"].as_u64().map(|f| f & 64),
        Some(64)
    );
    // Nothing changed: the general channel still does not listen.
    fake.send_message(GENERAL, Some(GUILD), "how do I crack my lower back", &[]);
    fake.send_message(DM, None, "hi", &[]);
    fake.wait("the DM reply", |f| f.posts(DM).len() == 1).await;
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert!(fake.posts(GENERAL).is_empty());
    assert_eq!(
        bot.metrics
            .interactions
            .load(std::sync::atomic::Ordering::Relaxed),
        3
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_command_or_malformed_interaction_gets_a_polite_error() {
    let fake = Fake::start().await;
    let bot = Bot::start(&fake).await;
    fake.send_slash("dance", json!([]), MEMBER_PERMS);
    fake.send_slash("ask", json!([]), MEMBER_PERMS);
    fake.send_slash(
        "crack",
        json!([{"name": "technique", "type": 4, "value": 7}]),
        MEMBER_PERMS,
    );
    fake.wait("three callbacks", |f| f.callbacks().len() == 3)
        .await;
    for cb in fake.callbacks() {
        let t = embed_text(&cb);
        assert!(t.contains("Sorry"), "{t}");
        assert_eq!(cb.body["data"]["flags"].as_u64().map(|f| f & 64), Some(64));
    }
    // A dispatch serenity cannot parse (missing required fields) does not reach the
    // handler and does not kill the bot.
    fake.dispatch("INTERACTION_CREATE", json!({"id": "1", "type": 2}));
    fake.dispatch(
        "MESSAGE_CREATE",
        json!({"id": "2", "content": "how do I crack my lower back"}),
    );
    fake.send_message(DM, None, "how do I crack my lower back", &[]);
    fake.wait("the bot still answers", |f| f.posts(DM).len() == 1)
        .await;
    assert_eq!(fake.callbacks().len(), 3);
    let d = bot.stop().await;
    assert!(d < std::time::Duration::from_secs(5), "shutdown took {d:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faq_autocomplete_suggests_entries_and_faq_answers() {
    let fake = Fake::start().await;
    let bot = Bot::start(&fake).await;
    let mut d = slash(
        9_000_000_000_000_000_001,
        "faq",
        json!([{"name": "query", "type": 3, "value": "stenosis", "focused": true}]),
        Some(MEMBER_PERMS),
    );
    d["type"] = json!(4);
    fake.dispatch("INTERACTION_CREATE", d);
    fake.wait("autocomplete callback", |f| f.callbacks().len() == 1)
        .await;
    let ac = &fake.callbacks()[0];
    assert_eq!(ac.body["type"], json!(8));
    let choices = ac.body["data"]["choices"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!choices.is_empty() && choices.len() <= 25, "{}", ac.body);
    let value = choices[0]["value"].as_str().unwrap_or("").to_string();
    fake.send_slash(
        "faq",
        json!([{"name": "query", "type": 3, "value": value}]),
        MEMBER_PERMS,
    );
    fake.wait("faq callback", |f| f.callbacks().len() == 2)
        .await;
    let answer = &fake.callbacks()[1];
    assert_eq!(answer.body["type"], json!(4));
    assert!(
        !embed_text(answer).contains("Sorry"),
        "{}",
        embed_text(answer)
    );
    assert_eq!(answer.body["data"]["allowed_mentions"]["parse"], json!([]));
    bot.stop().await;
}
