//! The reminder as plain data: the stretch of the day (rotating through the
//! routine so a week shows each), its steps from the article, and the buttons
//! Done, Snooze 1 h and Stop. Adapters render it.

use jiff::civil::Date;

use super::schedule::rotation_index;
use super::service::{Button, Fire, FireKind, Routine, BUTTONS};
use crate::content::Content;
use crate::reply::{Reply, ReplyKind};

/// A reminder ready to deliver.
#[derive(Debug, Clone, PartialEq)]
pub struct ReminderMessage {
    /// What it says.
    pub reply: Reply,
    /// The buttons under it.
    pub buttons: [Button; 3],
}

/// The intent id of the stretch of the day.
pub fn stretch_of_the_day(routine: Routine, day: Date) -> &'static str {
    let items = routine.items();
    items
        .get(rotation_index(day, items.len()))
        .copied()
        .unwrap_or("stretches")
}

/// The message of one fire.
pub fn message(content: &Content, fire: &Fire) -> ReminderMessage {
    let id = stretch_of_the_day(fire.routine, fire.day);
    let mut reply = Reply {
        kind: Some(ReplyKind::Answer),
        intents: vec![id.to_string()],
        footer: Some(content.common.footer.clone()),
        ..Reply::default()
    };
    let intro = match fire.kind {
        FireKind::Daily { late: false } => "Time for your daily stretch.",
        FireKind::Daily { late: true } => {
            "Time for your daily stretch (a little late: I was offline at your usual time)."
        }
        FireKind::Snooze => "Snooze is over: time for your stretch.",
        FireKind::Test => "This is a test of your daily stretch reminder.",
    };
    match content.responses.get(id) {
        Some(r) => {
            reply.title = format!("Stretch of the day: {}", r.title);
            reply.text.push(intro.to_string());
            reply.text.extend(r.text.iter().cloned());
            reply.steps = r.steps.clone();
            reply.caution = r.caution.clone();
        }
        None => {
            reply.title = "Stretch of the day".into();
            reply.text.push(intro.to_string());
        }
    }
    let days = if fire.streak == 1 { "day" } else { "days" };
    reply.text.push(format!(
        "Streak: {} {days}. Press Done when you have stretched.",
        fire.streak
    ));
    ReminderMessage {
        reply,
        buttons: BUTTONS,
    }
}
