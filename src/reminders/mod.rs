//! Daily stretch reminders: pure scheduling rules ([`schedule`]).

pub mod schedule;
