//! Reminders end to end through the real serenity client and the fake Discord:
//! `/remind set` by slash command, a fake clock moved to the slot, the reminder
//! arrives by DM with its three buttons and nonce; Done counts toward the
//! streak; Stop removes it; closed DMs (403) disable it and `/remind show` says why.

mod support;

use std::sync::Arc;
use std::time::Duration;

use backbot::reminders::FakeClock;
use jiff::{SignedDuration, Timestamp};
use serde_json::{json, Value};
use support::*;

fn at(s: &str) -> Timestamp {
    s.parse().expect("timestamp")
}

async fn start(fake: &Fake, clock: &Arc<FakeClock>) -> Bot {
    init_logs();
    let db = tempfile::tempdir().expect("tempdir");
    let cfg = config(fake, db.path());
    Bot::start_clock(
        fake,
        cfg,
        db,
        Arc::clone(clock) as Arc<dyn backbot::reminders::Clock>,
    )
    .await
}

fn remind(sub: &str, options: Value) -> Value {
    json!([{"name": sub, "type": 1, "options": options}])
}

/// A button press on a message the bot sent in the user's DM.
fn press(fake: &Fake, custom_id: &str) {
    let id = 9_100_000_000_000_000_000u64 + fake.requests().len() as u64;
    let msg = message(id - 1, DM, None, BOT, "backbot", true, "", &[]);
    fake.dispatch(
        "INTERACTION_CREATE",
        json!({"id": id.to_string(), "application_id": BOT.to_string(), "type": 3,
            "data": {"custom_id": custom_id, "component_type": 2},
            "channel_id": DM.to_string(), "token": format!("tok-{id}"), "version": 1,
            "locale": "en-US", "entitlements": [], "attachment_size_limit": 26214400,
            "user": {"id": USER.to_string(), "username": "alice", "discriminator": "0", "avatar": null},
            "message": msg}),
    );
}

async fn callback_text(fake: &Fake, n: usize) -> String {
    fake.wait("interaction callback", |f| f.callbacks().len() >= n)
        .await;
    let cb = &fake.callbacks()[n - 1];
    assert_eq!(
        cb.body["data"]["flags"].as_u64().map(|f| f & 64),
        Some(64),
        "ephemeral: {}",
        cb.body
    );
    assert_eq!(cb.body["data"]["allowed_mentions"]["parse"], json!([]));
    embed_text(cb)
}

/// `/remind set time:<time> timezone:<zone>` from a member.
fn set_by_slash(fake: &Fake, time: &str, zone: &str) {
    fake.send_slash(
        "remind",
        remind(
            "set",
            json!([{"name": "time", "type": 3, "value": time},
                   {"name": "timezone", "type": 3, "value": zone}]),
        ),
        MEMBER_PERMS,
    );
}

/// The fake Discord and the bot on a fake clock at 2026-01-10 07:00 UTC.
async fn boot() -> (Fake, Arc<FakeClock>, Bot) {
    let fake = Fake::start().await;
    let clock = Arc::new(FakeClock::new(at("2026-01-10T07:00:00Z")));
    let bot = start(&fake, &clock).await;
    (fake, clock, bot)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_fire_done_show_stop() {
    let (fake, clock, bot) = boot().await;

    set_by_slash(&fake, "09:00", "Europe/Berlin");
    let t = callback_text(&fake, 1).await;
    assert!(t.contains("Daily stretch reminder set"), "{t}");
    assert!(
        t.contains("Every day at 09:00 (Europe/Berlin), by direct message"),
        "{t}"
    );
    assert!(t.contains("<t:1768032000:R>"), "{t}");

    // Nothing before the slot.
    clock.set(at("2026-01-10T07:59:00Z"));
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(fake.posts(DM).is_empty());

    clock.set(at("2026-01-10T08:00:00Z"));
    fake.wait("the reminder", |f| f.posts(DM).len() == 1).await;
    assert_eq!(fake.calls("POST", "/users/@me/channels").len(), 1);
    let post = &fake.posts(DM)[0];
    assert!(embed(post)["title"]
        .as_str()
        .unwrap_or("")
        .starts_with("Stretch of the day: "));
    assert!(embed(post)["description"]
        .as_str()
        .unwrap_or("")
        .contains("1. "));
    let ids: Vec<&str> = post.body["components"][0]["components"]
        .as_array()
        .expect("buttons")
        .iter()
        .filter_map(|b| b["custom_id"].as_str())
        .collect();
    assert_eq!(ids, ["remind:done", "remind:snooze", "remind:stop"]);
    assert_eq!(post.body["nonce"], json!(format!("d{USER:x}20260110")));
    assert_eq!(post.body["enforce_nonce"], json!(true));
    assert_eq!(post.body["allowed_mentions"]["parse"], json!([]));

    press(&fake, "remind:done");
    let t = callback_text(&fake, 2).await;
    assert!(
        t.contains("Well done!") && t.contains("Streak: 1 day in a row."),
        "{t}"
    );

    fake.send_slash("remind", remind("show", json!([])), MEMBER_PERMS);
    let t = callback_text(&fake, 3).await;
    assert!(t.contains("Streak: 1 day in a row."), "{t}");
    assert!(t.contains("Next: Sun 11 Jan 2026 09:00 CET"), "{t}");

    // The next day comes once, through the remembered DM channel.
    clock.set(at("2026-01-11T08:00:00Z"));
    fake.wait("the second reminder", |f| f.posts(DM).len() == 2)
        .await;
    assert_eq!(fake.calls("POST", "/users/@me/channels").len(), 1);

    press(&fake, "remind:stop");
    let t = callback_text(&fake, 4).await;
    assert!(t.contains("Reminder stopped"), "{t}");
    clock.set(at("2026-01-12T08:00:00Z"));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(fake.posts(DM).len(), 2, "stopped: no more reminders");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closed_dms_disable_the_reminder_and_show_says_why() {
    let (fake, clock, bot) = boot().await;
    fake.inject(
        "POST",
        &format!("/channels/{DM}/messages"),
        vec![Canned {
            status: 403,
            headers: Vec::new(),
            body: r#"{"code":50007,"message":"Cannot send messages to this user"}"#.into(),
        }],
    );
    set_by_slash(&fake, "08:30", "UTC");
    callback_text(&fake, 1).await;
    clock.advance(SignedDuration::from_mins(90));
    fake.wait("the refused send", |f| f.posts(DM).len() == 1)
        .await;
    // Poll /remind show until the outcome is recorded.
    let mut n = 1;
    let text = loop {
        n += 1;
        fake.send_slash("remind", remind("show", json!([])), MEMBER_PERMS);
        let t = callback_text(&fake, n).await;
        if t.contains("Not sending") || n > 20 {
            break t;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(
        text.contains("Not sending: your DMs are closed to me"),
        "{text}"
    );
    assert_eq!(fake.posts(DM).len(), 1, "no retry of a 403");
    clock.advance(SignedDuration::from_hours(24));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(fake.posts(DM).len(), 1, "disabled");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_input_is_refused_with_a_suggestion_and_zones_autocomplete() {
    let (fake, _clock, bot) = boot().await;
    set_by_slash(&fake, "25:61", "Europe/Berlin");
    let t = callback_text(&fake, 1).await;
    assert!(t.contains("\"25:61\" is not a time"), "{t}");
    set_by_slash(&fake, "07:30", "Europe/Berln");
    let t = callback_text(&fake, 2).await;
    assert!(
        t.contains("Europe/Berln: did you mean Europe/Berlin?"),
        "{t}"
    );

    let mut d = slash(
        9_000_000_000_000_000_111,
        "remind",
        remind(
            "set",
            json!([{"name": "time", "type": 3, "value": "07:30"},
                   {"name": "timezone", "type": 3, "value": "new_y", "focused": true}]),
        ),
        Some(MEMBER_PERMS),
    );
    d["type"] = json!(4);
    fake.dispatch("INTERACTION_CREATE", d);
    fake.wait("autocomplete", |f| f.callbacks().len() == 3)
        .await;
    let ac = &fake.callbacks()[2];
    assert_eq!(ac.body["type"], json!(8));
    let values: Vec<&str> = ac.body["data"]["choices"]
        .as_array()
        .expect("choices")
        .iter()
        .filter_map(|c| c["value"].as_str())
        .collect();
    assert!(values.contains(&"America/New_York"), "{values:?}");

    fake.send_slash(
        "remind",
        remind("pause", json!([{"name": "days", "type": 4, "value": 3}])),
        MEMBER_PERMS,
    );
    let t = callback_text(&fake, 4).await;
    assert!(t.contains("No reminder"), "nothing was saved: {t}");
    bot.stop().await;
}
