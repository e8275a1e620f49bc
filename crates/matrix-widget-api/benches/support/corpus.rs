//! The benchmark corpus, shared by the `decode` (divan), `heap` (divan with a counting
//! allocator) and `decode_instructions` (callgrind) bench binaries.
//!
//! Built deterministically from the captured fixtures, no generated file:
//!
//! - every message in `tests/fixtures/actions/widget-api-1.19` and
//!   `tests/fixtures/msc4157/widget-api-1.19` (captured from matrix-widget-api 1.19) that its
//!   receiver decodes, once, in file-name order (the ones rejected on purpose are left out,
//!   so the typed decode is measured on its accepting path);
//! - then the kinds real traffic is made of, repeated by the weights in [`WEIGHTS`]: MatrixRTC
//!   member state events sent with a `delay` and the delayed-event restarts that keep them
//!   alive (every few seconds per call member), room events pushed to the widget by toWidget
//!   `send_event`, `read_events` results, to-device (key exchange), and the capability
//!   exchange of each (re)negotiation — each request with its reply.
//!
//! Each message is paired with the role that receives it: fromWidget requests and toWidget
//! replies reach the host, the rest the widget.

#![allow(dead_code, reason = "each bench binary uses a part of the shared support code")]

use matrix_widget_api::Role;
use std::path::{Path, PathBuf};

/// Extra copies of the messages real traffic is made of: (directory, file name, copies on
/// top of the one every fixture gets).
pub(crate) const WEIGHTS: &[(&str, &str, usize)] = &[
    // MatrixRTC: the member state event, sent with a delay, and its delayed-event restarts.
    ("msc4157", "from_widget.send_event.request.delayed_state_event.json", 8),
    ("msc4157", "from_widget.send_event.response.delayed_state_event.json", 8),
    ("msc4157", "from_widget.update_delayed_event.request.restart.json", 24),
    ("msc4157", "from_widget.update_delayed_event.response.restart.json", 24),
    // Room and state events pushed to the widget.
    ("actions", "to_widget.send_event.request.room_event.json", 16),
    ("actions", "to_widget.send_event.response.room_event.json", 16),
    ("actions", "to_widget.send_event.request.state_event.json", 8),
    ("actions", "to_widget.send_event.response.state_event.json", 8),
    // The widget reading the room.
    ("actions", "from_widget.read_events.request.room_events.json", 4),
    ("actions", "from_widget.read_events.response.room_events.json", 4),
    ("actions", "from_widget.read_events.request.state_key_true.json", 4),
    ("actions", "from_widget.read_events.response.state_key_true.json", 4),
    // To-device: encryption keys of the call, both ways.
    ("actions", "from_widget.send_to_device.request.encrypted.json", 6),
    ("actions", "from_widget.send_to_device.response.encrypted.json", 6),
    ("actions", "to_widget.send_to_device.request.encrypted.json", 6),
    ("actions", "to_widget.send_to_device.response.encrypted.json", 6),
    // The capability exchange of a (re)negotiation.
    ("msc4157", "to_widget.capabilities.request.delayed_caps.json", 2),
    ("msc4157", "to_widget.capabilities.response.delayed_caps.json", 2),
    ("msc4157", "to_widget.notify_capabilities.request.delayed_caps.json", 2),
    ("msc4157", "to_widget.notify_capabilities.response.delayed_caps.json", 2),
];

/// One message of the corpus.
pub(crate) struct Entry {
    /// Who receives it.
    pub(crate) role: Role,
    /// The message as it travels.
    pub(crate) bytes: Vec<u8>,
    /// The message as text (the same bytes).
    pub(crate) text: String,
}

fn fixture_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(name).join("widget-api-1.19")
}

fn role_of(file: &str) -> Role {
    let to_host = file.starts_with("from_widget.") == file.contains(".request.");
    if to_host { Role::Host } else { Role::Widget }
}

fn entry(dir: &str, file: &str) -> Option<Entry> {
    let bytes = std::fs::read(fixture_dir(dir).join(file)).unwrap_or_else(|e| panic!("fixture {dir}/{file}: {e}"));
    let text = String::from_utf8(bytes.clone()).expect("UTF-8 fixture");
    let role = role_of(file);
    matrix_widget_api::decode_as(role, &text).is_ok().then_some(Entry { role, bytes, text })
}

/// The corpus, always the same messages in the same order.
pub(crate) fn corpus() -> Vec<Entry> {
    let mut entries = Vec::new();
    for dir in ["actions", "msc4157"] {
        let mut files: Vec<String> = std::fs::read_dir(fixture_dir(dir))
            .expect("fixture directory")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|f| f.ends_with(".json") && f != "MANIFEST.json")
            .collect();
        files.sort();
        entries.extend(files.iter().filter_map(|f| entry(dir, f)));
    }
    let distinct = entries.len();
    for (dir, file, copies) in WEIGHTS {
        let one = entry(dir, file).unwrap_or_else(|| panic!("weighted fixture {dir}/{file} must decode"));
        for _ in 0..*copies {
            entries.push(Entry { role: one.role, bytes: one.bytes.clone(), text: one.text.clone() });
        }
    }
    assert!(distinct >= 200, "expected the captured fixtures, found {distinct}");
    entries
}

/// The corpus's size in bytes.
pub(crate) fn total_bytes(entries: &[Entry]) -> usize {
    entries.iter().map(|e| e.bytes.len()).sum()
}
