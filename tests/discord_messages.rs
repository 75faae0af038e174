//! End-to-end: messages through the real serenity client against the fake Discord.

mod support;

use serde_json::json;
use support::*;

fn title_of(id: &str) -> String {
    engine().content.responses[id].title.clone()
}

fn advisory_title() -> String {
    engine().content.advisory.title.clone()
}

fn assert_no_mentions(r: &Recorded) {
    let am = if r.body.get("data").is_some() {
        &r.body["data"]["allowed_mentions"]
    } else {
        &r.body["allowed_mentions"]
    };
    assert_eq!(
        am["parse"],
        json!([]),
        "allowed_mentions of {} {}",
        r.path,
        r.body
    );
    assert_eq!(am["users"], json!([]));
    assert_eq!(am["roles"], json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dm_crack_question_gets_the_technique_embed() {
    let fake = Fake::start().await;
    let bot = Bot::start(&fake).await;
    let id = fake.send_message(DM, None, "how do I crack my lower back", &[]);
    fake.wait("the DM reply", |f| !f.posts(DM).is_empty()).await;
    // The echo of the bot's own reply arrives as MESSAGE_CREATE and must be ignored.
    let m = bot.metrics.clone();
    fake.wait("the echo of the reply", move |_| {
        m.messages_seen.load(std::sync::atomic::Ordering::Relaxed) >= 2
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let posts = fake.posts(DM);
    assert_eq!(posts.len(), 1, "exactly one reply, the echo is ignored");
    let p = &posts[0];
    let e = embed(p);
    assert_eq!(
        e["title"].as_str(),
        Some(title_of("crack_lower_back").as_str())
    );
    assert!(
        embed_text(p).to_lowercase().contains("not medical advice"),
        "{}",
        embed_text(p)
    );
    assert_eq!(
        p.body["message_reference"]["message_id"],
        json!(id.to_string())
    );
    assert!(p.body["nonce"].as_str().is_some_and(|n| !n.is_empty()));
    assert_eq!(p.body["enforce_nonce"], json!(true));
    assert_no_mentions(p);
    assert_eq!(bot.metrics.replies(backbot::ReplyKind::Answer), 1);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn red_flag_in_guild_channel_gets_only_the_advisory_and_alerts_moderators() {
    let fake = Fake::start().await;
    let bot = Bot::start(&fake).await;
    fake.send_slash(
        "backbot",
        json!([{"name": "settings", "type": 2, "options": [{"name": "alerts", "type": 1,
            "options": [{"name": "channel", "type": 7, "value": ALERTS.to_string()}]}]}]),
        ADMIN_PERMS,
    );
    fake.wait("settings saved", |f| f.callbacks().len() == 1)
        .await;
    assert!(embed_text(&fake.callbacks()[0]).contains(&format!("<#{ALERTS}>")));

    let id = fake.send_message(
        GENERAL,
        Some(GUILD),
        "I have a fever and my back hurts, how do I crack it?",
        &[],
    );
    fake.wait("advisory and alert", |f| {
        f.posts(GENERAL).len() == 1 && f.posts(ALERTS).len() == 1
    })
    .await;
    let reply = &fake.posts(GENERAL)[0];
    assert_eq!(
        embed(reply)["title"].as_str(),
        Some(advisory_title().as_str())
    );
    let chair_step = &engine().content.responses["crack_chair"].steps[0];
    assert!(
        !embed_text(reply).contains(chair_step.as_str()),
        "no technique in an advisory"
    );
    assert!(!embed_text(reply).contains(&title_of("crack_lower_back")));
    assert_eq!(
        reply.body["message_reference"]["message_id"],
        json!(id.to_string())
    );
    assert_no_mentions(reply);
    let alert = &fake.posts(ALERTS)[0];
    let text = alert.body["content"].as_str().unwrap_or("");
    assert!(
        text.contains(&format!(
            "https://discord.com/channels/{GUILD}/{GENERAL}/{id}"
        )),
        "{text}"
    );
    assert!(
        !text.contains("fever"),
        "the member's words are not copied to the alert"
    );
    assert_no_mentions(alert);
    assert_eq!(
        bot.metrics
            .red_flags_escalated
            .load(std::sync::atomic::Ordering::Relaxed),
        1
    );
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_feeling_in_the_legs_never_gets_a_technique() {
    let fake = Fake::start().await;
    let bot = Bot::start(&fake).await;
    let text = "I can't feel my legs, how do I crack it";
    fake.send_message(DM, None, text, &[]);
    fake.send_message(GENERAL, Some(GUILD), text, &[]);
    fake.send_message(GENERAL, Some(GUILD), &format!("<@{BOT}> {text}"), &[BOT]);
    fake.wait("three advisories", |f| {
        f.posts(DM).len() == 1 && f.posts(GENERAL).len() == 2
    })
    .await;
    let technique_titles: Vec<String> = [
        "crack_lower_back",
        "crack_chair",
        "crack_ground",
        "crack_lying_twist",
    ]
    .iter()
    .map(|id| title_of(id))
    .collect();
    for p in fake.posts(DM).iter().chain(fake.posts(GENERAL).iter()) {
        assert_eq!(embed(p)["title"].as_str(), Some(advisory_title().as_str()));
        for t in &technique_titles {
            assert!(!embed_text(p).contains(t.as_str()));
        }
    }
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn everyone_is_echoed_nowhere_with_a_live_mention() {
    let fake = Fake::start().await;
    let bot = Bot::start(&fake).await;
    fake.send_message(
        GENERAL,
        Some(GUILD),
        &format!("<@{BOT}> @everyone how do I crack my lower back"),
        &[BOT],
    );
    fake.send_message(DM, None, "@everyone @here <@&123> hello there", &[]);
    fake.send_message(
        GENERAL,
        Some(GUILD),
        "@everyone I have a fever and back pain",
        &[],
    );
    fake.send_slash(
        "ask",
        json!([{"name": "question", "type": 3, "value": "@everyone heat or ice?"}]),
        MEMBER_PERMS,
    );
    fake.wait("all replies", |f| {
        f.posts(GENERAL).len() == 2 && f.posts(DM).len() == 1 && f.callbacks().len() == 1
    })
    .await;
    let all: Vec<Recorded> = fake
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST")
        .collect();
    assert_eq!(all.len(), 4);
    for r in &all {
        assert_no_mentions(r);
    }
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unconfigured_channel_without_red_flag_gets_no_reply() {
    let fake = Fake::start().await;
    let bot = Bot::start(&fake).await;
    fake.send_message(GENERAL, Some(GUILD), "how do I crack my lower back", &[]);
    let m = bot.metrics.clone();
    fake.wait("the handler saw the message", move |_| {
        m.messages_seen.load(std::sync::atomic::Ordering::Relaxed) >= 1
    })
    .await;
    // A later DM is answered, so the bot is alive and the first message was processed.
    fake.send_message(DM, None, "how do I crack my lower back", &[]);
    fake.wait("the DM reply", |f| f.posts(DM).len() == 1).await;
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert!(fake.posts(GENERAL).is_empty(), "{:?}", fake.posts(GENERAL));
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn listening_channel_answers_matched_questions_within_limits() {
    let fake = Fake::start().await;
    let bot = Bot::start(&fake).await;
    fake.send_slash(
        "backbot",
        json!([{"name": "settings", "type": 2, "options": [{"name": "listen", "type": 1,
            "options": [{"name": "channel", "type": 7, "value": LISTEN.to_string()}]}]}]),
        ADMIN_PERMS,
    );
    fake.wait("settings saved", |f| f.callbacks().len() == 1)
        .await;
    fake.send_message(LISTEN, Some(GUILD), "what a nice day", &[]);
    fake.send_message(LISTEN, Some(GUILD), "how do I crack my lower back", &[]);
    fake.wait("one passive reply", |f| f.posts(LISTEN).len() == 1)
        .await;
    // Same user again right away: the per-user cooldown holds it back.
    fake.send_message(LISTEN, Some(GUILD), "how do I crack my lower back", &[]);
    let m = bot.metrics.clone();
    fake.wait("the cooldown", move |_| {
        m.replies_limited.load(std::sync::atomic::Ordering::Relaxed) == 1
    })
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let posts = fake.posts(LISTEN);
    assert_eq!(posts.len(), 1, "no fallback, no second reply");
    assert_eq!(
        embed(&posts[0])["title"].as_str(),
        Some(title_of("crack_lower_back").as_str())
    );
    bot.stop().await;
}
