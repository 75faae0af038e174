//! Renderers: turn reply data into what a transport shows.

pub mod text;
