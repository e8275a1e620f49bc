//! Integration tests: one binary, so the link step happens once.

// Tests fail by panicking.
#![expect(clippy::panic, clippy::expect_used, clippy::indexing_slicing, reason = "tests fail by panicking")]

mod actions_events;
mod actions_media;
mod actions_session;
mod capability;
mod check;
mod decode;
mod derive_forms;
mod derive_pass;
mod docs;
mod fast_path;
mod fixtures;
mod hostile;
mod hostile_corpus;
mod layering;
mod limits;
mod msc4157;
mod naming;
mod permission;
mod permission_differential;
mod properties;
mod released_peers;
mod schema;
mod typify;
