//! Daily stretch reminders: pure scheduling rules ([`schedule`]), the clock
//! trait ([`clock`]), the service with its due index and commands
//! ([`service`]), the reminder message ([`message`]), the rate-limited delivery
//! queue ([`queue`]), the scheduler loop ([`runner`]) and the console ([`console`]).

pub mod clock;
pub mod console;
pub mod message;
pub mod queue;
pub mod runner;
pub mod schedule;
pub mod service;

pub use clock::{Clock, FakeClock, SystemClock};
pub use message::{message, ReminderMessage};
pub use queue::{Limits, Pop, Queue};
pub use service::{
    Caller, Dest, Fire, FireKind, RemindCommand, ReminderError, Reminders, Routine, Subscription,
    CONSOLE_USER,
};
