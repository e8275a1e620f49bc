//! Integration tests: one binary, so the link step happens once.

// Tests fail by panicking.
#![allow(clippy::panic, clippy::unwrap_used)]

mod decode;
mod derive_forms;
mod derive_ui;
mod fixtures;
mod hostile;
mod msc4157;
mod naming;
mod schema;
mod typify;
