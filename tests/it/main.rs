//! Integration tests: one binary, so the link step happens once.

mod decode;
mod derive_ui;
mod fixtures;
mod msc4157;
mod naming;
mod schema;
