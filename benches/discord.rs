//! Placeholder until the Discord benchmark lands.
fn main() {}
