//! Reminder delivery on Discord: the reminder message as an embed with the
//! Done / Snooze 1 h / Stop buttons, sent through [`Rest`] (retries, the
//! reminder's own nonce, no mentions). A DM channel is opened once and then
//! remembered; 403 (DMs closed, no access) or 404 disables the reminder.

use std::sync::Arc;

use serenity::all::{ButtonStyle, CreateActionRow, CreateButton, CreateMessage};
use serenity::http::Http;

use super::embed::render;
use super::rest::{Rest, RestError};
use crate::engine::Engine;
use crate::reminders::runner::{Deliver, Delivered};
use crate::reminders::{message, Dest, Fire, ReminderMessage};

/// The message body of a reminder: its embed and one row of buttons.
pub fn create_message(m: &ReminderMessage) -> CreateMessage {
    let buttons = m
        .buttons
        .iter()
        .map(|b| {
            let style = if b.id == "remind:done" {
                ButtonStyle::Success
            } else if b.id == "remind:stop" {
                ButtonStyle::Danger
            } else {
                ButtonStyle::Secondary
            };
            CreateButton::new(b.id).label(b.label).style(style)
        })
        .collect();
    CreateMessage::new()
        .embed(render(&m.reply))
        .components(vec![CreateActionRow::Buttons(buttons)])
}

/// Why a refusal means the reminder can never be delivered, if it does.
pub fn refusal_reason(e: &RestError, dest: Dest) -> Option<String> {
    let RestError::Refused { status, code, .. } = e else {
        return None;
    };
    match (dest, *status, *code) {
        (Dest::Dm, 403, _) => Some(
            "your DMs are closed to me (Discord refused with 403); allow direct messages from server members, or use where:here".into(),
        ),
        (Dest::Channel(c), 403, _) => Some(format!(
            "I am not allowed to post in <#{c}> (Discord refused with 403); ask a moderator, or use where:dm"
        )),
        (_, 404, _) => Some("the channel no longer exists (Discord answered 404)".into()),
        _ => None,
    }
}

/// Delivers reminders through Discord's REST API.
pub struct DiscordDeliver {
    /// The HTTP client (token, base URL).
    pub http: Arc<Http>,
    /// Retries and nonces.
    pub rest: Arc<Rest>,
    /// For the stretch of the day's steps.
    pub engine: Arc<Engine>,
}

impl Deliver for DiscordDeliver {
    async fn deliver(&self, fire: Fire) -> Delivered {
        let (channel, opened) = match (fire.dest, fire.dm_channel) {
            (Dest::Channel(c), _) => (c, None),
            (Dest::Dm, Some(c)) => (c, None),
            (Dest::Dm, None) => match self.rest.open_dm(&self.http, fire.user).await {
                Ok(c) => (c, Some(c)),
                Err(e) => {
                    return match refusal_reason(&e, Dest::Dm) {
                        Some(r) => Delivered::Refused(r),
                        None => Delivered::Failed(e.to_string()),
                    }
                }
            },
            (Dest::Console, _) => return Delivered::Sent { dm_channel: None },
        };
        let m = message(&self.engine.content, &fire);
        let body = create_message(&m);
        match self
            .rest
            .send_message_with_nonce(&self.http, channel, body, fire.nonce.clone())
            .await
        {
            Ok(()) => {
                tracing::info!(user = fire.user, channel, kind = ?fire.kind, "reminder sent");
                Delivered::Sent { dm_channel: opened }
            }
            Err(e) => match refusal_reason(&e, fire.dest) {
                Some(r) => Delivered::Refused(r),
                None => Delivered::Failed(e.to_string()),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reminders::service::BUTTONS;
    use crate::reply::Reply;

    #[test]
    fn the_message_has_three_buttons_and_mentions_nobody_is_added_on_send() {
        let m = ReminderMessage {
            reply: Reply::info("Stretch of the day", "Time."),
            buttons: BUTTONS,
        };
        let v = serde_json::to_value(create_message(&m)).unwrap();
        let row = &v["components"][0]["components"];
        let ids: Vec<&str> = row
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["custom_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["remind:done", "remind:snooze", "remind:stop"]);
        assert_eq!(row[1]["label"], "Snooze 1 h");
    }

    #[test]
    fn refusals_that_disable() {
        let refused = |status| RestError::Refused {
            route: "r",
            status,
            code: 50007,
            message: String::new(),
        };
        assert!(refusal_reason(&refused(403), Dest::Dm)
            .unwrap()
            .contains("DMs are closed"));
        assert!(refusal_reason(&refused(404), Dest::Channel(1)).is_some());
        assert!(refusal_reason(&refused(400), Dest::Dm).is_none());
    }
}
