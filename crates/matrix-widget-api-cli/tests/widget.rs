//! Tests of `widget-api widget`, run as a process: golden sessions under `tests/widget/`
//! (`<case>.jsonl` in, `<case>.out` expected), bad lines, and standard input.
//!
//! A mismatch prints the command that writes the new output; nothing is rewritten by the
//! tests. Review a new golden file before committing it: it is the protocol's contract.

// Tests fail by panicking.
#![expect(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, reason = "tests fail by panicking")]

use matrix_widget_api::{Message, Role, decode_as};
use serde_json::Value;

#[path = "support/golden.rs"]
mod golden;
#[path = "support/process.rs"]
mod process;

use process::{Run, run};

/// Runs `widget-api widget ARGS widget/<name>.jsonl` and compares with `widget/<name>.out`.
fn golden(name: &str, args: &[&str], status: i32) -> Run {
    golden::golden("widget", name, args, status)
}

/// The kind of an output line: its one protocol key.
fn kind(line: &str) -> &'static str {
    let value: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
    let object = value.as_object().unwrap();
    let kinds: Vec<&'static str> =
        ["to_host", "reply", "received", "notify", "line"].into_iter().filter(|k| object.contains_key(*k)).collect();
    assert_eq!(kinds.len(), 1, "one kind per line: {line}");
    kinds[0]
}

/// Every message posted to the host decodes as the host decodes it, and every toWidget
/// request is answered at most once.
fn check_messages(stdout: &str) {
    let mut answered = std::collections::HashSet::new();
    for line in stdout.lines().filter(|l| kind(l) == "to_host") {
        let value: Value = serde_json::from_str(line).unwrap();
        let text = value["to_host"].to_string();
        let message = decode_as(Role::Host, &text).unwrap_or_else(|e| panic!("the host cannot decode {text}: {e}"));
        if let Message::ToWidgetResponse(reply) = message {
            assert!(answered.insert(reply.envelope().request_id().to_owned()), "two replies: {line}");
        }
    }
}

const CALL_ARGS: &[&str] = &[
    "--widget-id",
    "call",
    "--capability",
    "org.matrix.msc2762.send.state_event:org.matrix.msc3401.call.member#_@alice:example.org_DEV",
    "--capability",
    "org.matrix.msc4157.send.delayed_event",
    "--capability",
    "org.matrix.msc4157.update_delayed_event",
    "--capability",
    "org.matrix.msc2762.receive.state_event:org.matrix.msc3401.call.member",
    "--ack",
    "org.matrix.msc2762.update_state",
    "--handle",
    "theme_change",
];

#[test]
fn element_call_session() {
    // Negotiation with a host speaking MSC2871, the state push acknowledged, a delayed
    // leave scheduled and restarted in both namings (the stable one refused by the host),
    // a foreign widget, the default error, an application's answer (and a second one, not
    // posted), a request refused before sending, a timeout, a bad line, a failed hangup
    // with its matrix_api_error, and stop.
    let got = golden("call", CALL_ARGS, 1);
    check_messages(&got.stdout);
    let kinds: Vec<&str> = got.stdout.lines().map(kind).collect();
    for k in ["to_host", "reply", "received", "notify", "line"] {
        assert!(kinds.contains(&k), "{k}");
    }
    // Tags follow their request to the reply.
    let hangup: Value =
        serde_json::from_str(got.stdout.lines().find(|l| l.contains(r#""tag":"hangup""#) && l.starts_with(r#"{"reply""#)).unwrap())
            .unwrap();
    assert_eq!(hangup["error"]["matrix_api_error"]["response"]["errcode"], "M_NOT_FOUND");
    // Nothing after stop.
    assert_eq!(got.stdout.lines().last().unwrap(), r#"{"notify":"closed"}"#);
}

#[test]
fn content_loaded_session() {
    // --wait-for-iframe-load false with stable names: content_loaded at start, capabilities
    // requested before negotiation, a host without MSC2871 (ready once answered), a reply
    // given as a string with a line break, visibility, OpenID through the user, TURN
    // servers before the watch's reply, an acknowledged to-device push, an application's
    // error answer, MSC2974 renegotiation (with a reply of the wrong action first),
    // invalid host data, a second capabilities request, and a timeout.
    let got = golden(
        "content-loaded",
        &["--widget-id", "w", "--wait-for-iframe-load", "false", "--naming", "stable", "--ack", "send_to_device", "--handle", "screenshot"],
        0,
    );
    check_messages(&got.stdout);
}

#[test]
fn bad_lines_get_an_error_line_and_the_session_goes_on() {
    let got = golden("bad", &["--widget-id", "w"], 1);
    let last = got.stdout.lines().last().unwrap();
    assert!(last.contains(r#""action":"supported_api_versions""#), "the session still runs after bad lines: {last}");
    for line in got.stdout.lines().filter(|l| kind(l) == "line") {
        let value: Value = serde_json::from_str(line).unwrap();
        assert!(value["line"].is_u64() && value["error"].is_string(), "{line}");
    }
}

#[test]
fn standard_input_and_options() {
    let input = b"{\"call\":\"iframe_loaded\"}\n\n{\"tick\":2000}\n";
    for args in [
        &["widget", "--widget-id", "x", "--timeout", "1000", "--wait-for-iframe-load", "false"][..],
        &["widget", "--widget-id", "x", "--timeout", "1000", "--wait-for-iframe-load", "false", "-"][..],
    ] {
        let got = run(args, Some(input));
        assert_eq!(got.status, 0, "{}", got.stderr);
        let lines: Vec<&str> = got.stdout.lines().collect();
        assert_eq!(lines.len(), 4, "{}", got.stdout);
        assert_eq!(
            lines[0],
            r#"{"to_host":{"api":"fromWidget","widgetId":"x","requestId":"widget-1","action":"supported_api_versions","data":{}}}"#
        );
        assert_eq!(
            lines[1],
            r#"{"to_host":{"api":"fromWidget","widgetId":"x","requestId":"widget-2","action":"content_loaded","data":{}}}"#
        );
        // The host did not answer within --timeout.
        assert_eq!(lines[2], r#"{"notify":"timed_out","action":"supported_api_versions","request_id":"widget-1"}"#);
        assert_eq!(lines[3], r#"{"notify":"timed_out","action":"content_loaded","request_id":"widget-2"}"#);
    }
}

#[test]
fn bad_options_are_usage_errors() {
    for args in [&["widget", "--capability", ""][..], &["widget", "--handle", ""][..], &["widget", "--wait-for-iframe-load", "maybe"][..]] {
        let got = run(args, Some(b""));
        assert_eq!(got.status, 2, "{args:?}: {}", got.stderr);
        assert!(!got.stderr.is_empty());
    }
}

#[test]
fn a_line_over_the_limit_is_one_bad_line() {
    let mut input = b"{\"host\":\"".to_vec();
    input.extend(std::iter::repeat_n(b'a', 2000));
    input.extend(b"\"}\n{\"call\":\"iframe_loaded\"}\n");
    let got = run(&["--max-line-bytes", "512", "widget"], Some(&input));
    assert_eq!(got.status, 1);
    let lines: Vec<&str> = got.stdout.lines().collect();
    assert!(lines[0].starts_with(r#"{"line":1,"error":"the line is 2011 bytes long"#), "{}", got.stdout);
    assert!(lines[1].contains("supported_api_versions"));
}

#[test]
fn the_subcommand_is_listed_with_its_protocol() {
    let got = run(&["widget", "--help"], None);
    assert_eq!(got.status, 0);
    for needle in [
        "--widget-id",
        "--capability",
        "--handle",
        "--ack",
        "--wait-for-iframe-load",
        "--naming",
        "--timeout",
        "{\"send\":",
        "{\"answer\": \"h7\"",
        "{\"reply\":",
        "{\"received\":",
        "{\"notify\": \"ready\"}",
        "Unknown or unsupported to-widget action",
    ] {
        assert!(got.stdout.contains(needle), "`{needle}` missing from:\n{}", got.stdout);
    }
    let top = run(&["--help"], None);
    assert!(top.stdout.contains("widget"), "{}", top.stdout);
}
