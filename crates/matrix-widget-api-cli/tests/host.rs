//! Tests of `widget-api host`, run as a process: golden sessions under `tests/host/`
//! (`<case>.jsonl` in, `<case>.out` expected), bad lines, and standard input.
//!
//! A mismatch prints the command that writes the new output; nothing is rewritten by the
//! tests. Review a new golden file before committing it: it is the protocol's contract.

// Tests fail by panicking.
#![expect(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, reason = "tests fail by panicking")]

use serde_json::Value;

#[path = "support/golden.rs"]
mod golden;
#[path = "support/process.rs"]
mod process;

use process::{Run, run};

/// Runs `widget-api host ARGS host/<name>.jsonl` and compares with `host/<name>.out`.
fn golden(name: &str, args: &[&str], status: i32) -> Run {
    golden::golden("host", name, args, status)
}

/// The kind of an output line: its one protocol key.
fn kind(line: &str) -> &'static str {
    let value: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
    let object = value.as_object().unwrap();
    let kinds: Vec<&'static str> =
        ["to_widget", "environment", "notify", "error"].into_iter().filter(|k| object.contains_key(*k)).collect();
    assert_eq!(kinds.len(), 1, "one kind per line: {line}");
    kinds[0]
}

#[test]
fn element_call_session() {
    // Negotiation with the initial state push, a delayed leave scheduled and restarted, a
    // foreign widget, a stolen delay ID, a state update, a timeout, bad lines, a failed
    // hangup, and stop.
    let got = golden("call", &["--widget-id", "call", "--room", "!call:example.org", "--user-id", "@alice:example.org"], 1);
    let kinds: Vec<&str> = got.stdout.lines().map(kind).collect();
    assert!(kinds.contains(&"environment") && kinds.contains(&"notify") && kinds.contains(&"error"));
    // Every fromWidget request is answered at most once.
    let mut seen = std::collections::HashSet::new();
    for line in got.stdout.lines() {
        let value: Value = serde_json::from_str(line).unwrap();
        if value["to_widget"]["api"] == "fromWidget" {
            assert!(seen.insert(value["to_widget"]["requestId"].to_string()), "two replies: {line}");
        }
    }
    // Nothing after stop.
    assert_eq!(got.stdout.lines().last().unwrap(), r#"{"notify":"closed"}"#);
}

#[test]
fn content_loaded_session() {
    // content_loaded start, a request before negotiation, a failed policy, renegotiation,
    // navigate (good and bad URI), a refused screenshot, OpenID through the user, a second
    // content_loaded.
    golden("content-loaded", &["--widget-id", "w", "--start", "content-loaded"], 0);
}

#[test]
fn bad_lines_get_an_error_line_and_the_session_goes_on() {
    let got = golden("bad", &["--widget-id", "w"], 1);
    let last = got.stdout.lines().last().unwrap();
    assert!(last.contains(r#""action":"capabilities""#), "the session still runs after bad lines: {last}");
    for line in got.stdout.lines().filter(|l| kind(l) == "error") {
        let value: Value = serde_json::from_str(line).unwrap();
        assert!(value["line"].is_u64() && value["error"].is_string(), "{line}");
    }
}

#[test]
fn standard_input_and_options() {
    let input = b"{\"call\":\"iframe_loaded\"}\n\n{\"tick\":2000}\n";
    for args in [&["host", "--widget-id", "x", "--timeout", "1000"][..], &["host", "--widget-id", "x", "--timeout", "1000", "-"][..]] {
        let got = run(args, Some(input));
        assert_eq!(got.status, 0, "{}", got.stderr);
        let lines: Vec<&str> = got.stdout.lines().collect();
        assert_eq!(lines.len(), 6, "{}", got.stdout);
        assert!(lines[0].starts_with(r#"{"to_widget":{"api":"toWidget","widgetId":"x","requestId":"host-1","action":"capabilities""#));
        // The widget did not answer within --timeout: it is taken to request nothing.
        assert_eq!(lines[1], r#"{"notify":"timed_out","action":"capabilities","request_id":"host-1"}"#);
        assert!(lines[2].contains("notify_capabilities"));
        assert_eq!(lines[3], r#"{"notify":"capabilities_changed","requested":0,"approved":0}"#);
        assert_eq!(lines[4], r#"{"notify":"ready"}"#);
        assert!(lines[5].contains("supported_api_versions"));
    }
}

#[test]
fn a_line_over_the_limit_is_one_bad_line() {
    let mut input = b"{\"widget\":\"".to_vec();
    input.extend(std::iter::repeat_n(b'a', 2000));
    input.extend(b"\"}\n{\"call\":\"iframe_loaded\"}\n");
    let got = run(&["--max-line-bytes", "512", "host"], Some(&input));
    assert_eq!(got.status, 1);
    let lines: Vec<&str> = got.stdout.lines().collect();
    assert!(lines[0].starts_with(r#"{"line":1,"error":"the line is 2013 bytes long"#), "{}", got.stdout);
    assert!(lines[1].contains("capabilities"));
}

#[test]
fn the_subcommand_is_listed_with_its_protocol() {
    let got = run(&["host", "--help"], None);
    assert_eq!(got.status, 0);
    for needle in
        ["--widget-id", "--room", "--user-id", "--device-id", "--start", "content-loaded", "{\"answer\": 1", "{\"notify\": \"ready\"}"]
    {
        assert!(got.stdout.contains(needle), "`{needle}` missing from:\n{}", got.stdout);
    }
}
