//! Tests of the `widget-api` binary, run as a process.
//!
//! Golden tests: each case runs the binary from this directory over a trace in `fixtures/`
//! and compares its standard output with `golden/<case>.out` and its exit status with the
//! case's. A mismatch prints a diff and the command that writes the new output; nothing is
//! ever rewritten by the tests. Review a new golden file before committing it: it is the
//! output contract.

// Tests fail by panicking.
#![expect(clippy::panic, clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, reason = "tests fail by panicking")]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

#[path = "support/process.rs"]
mod process;

use process::{BIN, run, tests_dir};

const ROOM: &str = "!call:example.org";

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(tests_dir().join("fixtures").join(name)).unwrap()
}

/// A shell word for the regeneration command.
fn quote(arg: &str) -> String {
    if arg.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=".contains(c)) { arg.to_owned() } else { format!("'{arg}'") }
}

/// A line diff of `expected` and `actual` (longest common subsequence), `-` for expected
/// lines that are missing and `+` for new ones, with the line numbers of the golden file.
fn diff(expected: &str, actual: &str) -> String {
    let (a, b): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let mut lcs = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            lcs[i][j] = if a[i] == b[j] { lcs[i + 1][j + 1] + 1 } else { lcs[i + 1][j].max(lcs[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut out, mut shown) = (0, 0, String::new(), 0);
    while (i < a.len() || j < b.len()) && shown < 40 {
        if i < a.len() && j < b.len() && a[i] == b[j] {
            (i, j) = (i + 1, j + 1);
        } else if j < b.len() && (i == a.len() || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push_str(&format!("+{:>4} | {}\n", i + 1, b[j]));
            (j, shown) = (j + 1, shown + 1);
        } else {
            out.push_str(&format!("-{:>4} | {}\n", i + 1, a[i]));
            (i, shown) = (i + 1, shown + 1);
        }
    }
    if expected.ends_with('\n') != actual.ends_with('\n') {
        out.push_str("(the final line break differs)\n");
    }
    out
}

/// Runs a golden case: `args` in `tests/`, standard output against `golden/<name>.out`.
fn golden(name: &str, args: &[&str], status: i32) {
    let got = run(args, None);
    let path = tests_dir().join("golden").join(format!("{name}.out"));
    let regenerate = format!(
        "cd crates/matrix-widget-api-cli/tests && cargo run -q -p matrix-widget-api-cli -- {} > golden/{name}.out",
        args.iter().map(|a| quote(a)).collect::<Vec<_>>().join(" ")
    );
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("golden file {} cannot be read ({e}); write it with\n  {regenerate}", path.display()));
    assert!(
        got.stdout == expected,
        "golden case `{name}`: the output differs from golden/{name}.out (- expected, + actual):\n{}\n\
         If the new output is right, review it and write it with\n  {regenerate}",
        diff(&expected, &got.stdout)
    );
    assert_eq!(got.status, status, "golden case `{name}`: exit status; stderr:\n{}", got.stderr);
    assert!(!got.stderr.contains("panicked"), "golden case `{name}` panicked:\n{}", got.stderr);
}

// ---- check ----

#[test]
fn check_session() {
    golden("check.session", &["check", "fixtures/session.jsonl"], 0);
    golden("check.session.pretty", &["check", "--pretty", "fixtures/session.jsonl"], 0);
}

#[test]
fn check_with_a_role_refuses_the_other_side() {
    golden("check.session.role-host", &["check", "--role", "host", "fixtures/session.jsonl"], 1);
    golden("check.session.role-widget", &["check", "--role", "widget", "fixtures/session.jsonl"], 1);
}

#[test]
fn check_bad_lines() {
    golden("check.bad", &["check", "--max-line-bytes", "512", "fixtures/bad.jsonl"], 1);
    golden("check.bad.pretty", &["check", "--pretty", "--max-line-bytes", "512", "fixtures/bad.jsonl"], 1);
}

#[test]
fn check_spellings() {
    golden("check.spellings", &["check", "fixtures/spellings.jsonl"], 0);
}

// ---- permit ----

#[test]
fn permit_session() {
    // Every request of the session is allowed with the session's capabilities…
    golden("permit.session", &["permit", "--capabilities", "fixtures/caps.json", "--room", ROOM, "fixtures/session.jsonl"], 0);
    // …and without the delayed-event ones, the delayed leave and its restarts are denied
    // (MSC4157: the event's own capability is not enough).
    golden(
        "permit.session.no_delay",
        &["permit", "--capabilities", "fixtures/caps-no-delay.json", "--room", ROOM, "fixtures/session.jsonl"],
        1,
    );
    golden("permit.bad", &["permit", "--capabilities", "fixtures/caps.json", "--max-line-bytes", "512", "fixtures/bad.jsonl"], 1);
    golden("permit.session.pretty", &["permit", "--pretty", "--capabilities", "fixtures/caps.json", "fixtures/session.jsonl"], 0);
}

#[test]
fn permit_from_the_trace_with_the_ledger() {
    // The approved capabilities are the trace's own notify_capabilities: the same verdicts
    // as with CAPS.json on the session…
    let from_trace = run(&["permit", "--from-trace", "--room", ROOM, "fixtures/session.jsonl"], None);
    let from_file = run(&["permit", "--capabilities", "fixtures/caps.json", "--room", ROOM, "fixtures/session.jsonl"], None);
    assert_eq!((from_trace.status, &from_trace.stdout), (from_file.status, &from_file.stdout));
    // …a request before any notify_capabilities is denied and says why; with --ledger, an
    // update of a delay the trace did not schedule (or already cancelled) is denied.
    golden("permit.ledger", &["permit", "--from-trace", "--ledger", "--room", ROOM, "fixtures/ledger.jsonl"], 1);
    let without = run(&["permit", "--from-trace", "--room", ROOM, "fixtures/ledger.jsonl"], None);
    let denied: Vec<&str> = without.stdout.lines().filter(|l| l.contains(r#""allowed":false"#)).collect();
    assert_eq!(denied.len(), 1, "only the early request: {}", without.stdout);
    // --room means the same in permit and http, and is never empty.
    for subcommand in ["permit", "http"] {
        let empty = run(&[subcommand, "--from-trace", "--room", "", "fixtures/ledger.jsonl"], None);
        assert_eq!(empty.status, 2, "{subcommand}");
    }
    let help = |s: &str| run(&[s, "--help"], None).stdout;
    // The option's description, however clap wraps it.
    let room_line = |text: &str| {
        let mut lines = text.lines().skip_while(|l| !l.contains("--room <ROOM_ID>"));
        let first = lines.next()?.split_once("--room <ROOM_ID>")?.1.to_owned();
        let rest = lines.take_while(|l| !l.trim_start().starts_with('-') && !l.trim().is_empty());
        Some(std::iter::once(first.as_str()).chain(rest).flat_map(str::split_whitespace).collect::<Vec<_>>().join(" "))
    };
    assert_eq!(room_line(&help("permit")), room_line(&help("http")));
    assert!(room_line(&help("http")).is_some_and(|doc| doc.contains("viewing")));
}

#[test]
fn permit_needs_a_readable_array_of_strings() {
    let missing = run(&["permit", "--capabilities", "fixtures/no-such-file.json", "fixtures/session.jsonl"], None);
    assert_eq!(missing.status, 2);
    assert!(missing.stdout.is_empty());
    assert!(
        missing.stderr.starts_with("widget-api: cannot read the capabilities file `fixtures/no-such-file.json`: "),
        "{}",
        missing.stderr
    );

    let not_an_array = run(&["permit", "--capabilities", "fixtures/session.jsonl", "fixtures/session.jsonl"], None);
    assert_eq!(not_an_array.status, 2);
    assert!(
        not_an_array.stderr.starts_with(
            "widget-api: the capabilities file `fixtures/session.jsonl` is not a JSON array of capability strings: invalid type: map"
        ),
        "{}",
        not_an_array.stderr
    );

    let no_flag = run(&["permit", "fixtures/session.jsonl"], None);
    assert_eq!(no_flag.status, 2);
    assert!(no_flag.stderr.contains("--capabilities <CAPS.json>"), "{}", no_flag.stderr);
}

// ---- capability ----

const CAPABILITIES: &[&str] = &[
    "org.matrix.msc2762.send.state_event:org.matrix.msc3401.call.member#_@alice:example.org_ALICEDEV",
    "m.send.event:m.room.message#m.text",
    "org.matrix.msc2762.timeline:*",
    "org.matrix.msc3819.receive.to_device:io.element.call.encryption_keys",
    "m.send.delay_events",
    "org.matrix.msc4157.send.delayed_event",
    "org.matrix.msc4157.update.delayed_event",
    "m.update_delayed_event",
    "m.always_on_screen",
    "rtc_transports",
    "org.matrix.msc4533.rtc_livekit_get_token",
];

#[test]
fn capability_examples() {
    let mut args = vec!["capability"];
    args.extend_from_slice(CAPABILITIES);
    golden("capability.known", &args, 0);
    args.insert(1, "--pretty");
    golden("capability.known.pretty", &args, 0);
}

#[test]
fn unknown_capabilities_fail() {
    golden("capability.unknown", &["capability", "m.send.delayed_event", "org.example.vendor_cap", "send_event"], 1);
    let none = run(&["capability"], None);
    assert_eq!(none.status, 2, "at least one capability is required");
}

// ---- normalize ----

#[test]
fn normalize_session_and_spellings() {
    golden("normalize.session.stable", &["normalize", "--naming", "stable", "fixtures/session.jsonl"], 0);
    golden("normalize.spellings.stable", &["normalize", "--naming", "stable", "fixtures/spellings.jsonl"], 0);
    golden("normalize.spellings.unstable", &["normalize", "--naming", "unstable", "fixtures/spellings.jsonl"], 0);
    golden("normalize.spellings.pretty", &["normalize", "--pretty", "--naming", "unstable", "fixtures/spellings.jsonl"], 0);
}

#[test]
fn pretty_output_is_bounded_by_the_input() {
    // One message with a 100 KB vendor action among 2,000 small ones: the table's widths
    // are capped, so the long cell does not pad every other row.
    let small = r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"content_loaded","data":{}}"#;
    let long =
        format!(r#"{{"api":"fromWidget","widgetId":"w","requestId":"r","action":"io.example.{}","data":{{}}}}"#, "x".repeat(100_000));
    let mut input = format!("{long}\n");
    for _ in 0..2_000 {
        input.push_str(small);
        input.push('\n');
    }
    let got = run(&["check", "--pretty"], Some(input.as_bytes()));
    assert_eq!(got.stdout.lines().count(), 2_002);
    assert!(got.stdout.len() < 2 * input.len(), "{} bytes out for {} in", got.stdout.len(), input.len());
}

#[test]
fn normalize_never_loses_a_line() {
    // bad.jsonl has broken JSON, invalid UTF-8, a line over the limit and blank lines.
    let input = fixture("bad.jsonl");
    let raw = Command::new(env!("CARGO_BIN_EXE_widget-api"))
        .args(["normalize", "--naming", "stable", "--max-line-bytes", "512", "fixtures/bad.jsonl"])
        .current_dir(tests_dir())
        .output()
        .expect("runs");
    assert_eq!(raw.status.code(), Some(1));
    let stderr = String::from_utf8(raw.stderr.clone()).expect("UTF-8 reports");
    let (inputs, outputs): (Vec<&[u8]>, Vec<&[u8]>) = (input.split(|&b| b == b'\n').collect(), raw.stdout.split(|&b| b == b'\n').collect());
    assert_eq!(inputs.len(), outputs.len(), "one output line per input line");
    // Every line that failed is written back byte for byte, the too-long one included, and
    // reported on standard error.
    let failed: Vec<serde_json::Value> = stderr.lines().map(|l| serde_json::from_str(l).expect("JSON")).collect();
    assert!(failed.len() >= 5, "{stderr}");
    for failure in &failed {
        let n = failure["line"].as_u64().expect("line") as usize;
        assert_eq!(inputs[n - 1].strip_suffix(b"\r").unwrap_or(inputs[n - 1]), outputs[n - 1], "line {n}");
    }
    assert!(failed.iter().any(|f| f["error"].as_str().is_some_and(|e| e.contains("--max-line-bytes"))));
    // With --pretty, the table reports the failures instead.
    let pretty = run(&["normalize", "--pretty", "--naming", "stable", "--max-line-bytes", "512", "fixtures/bad.jsonl"], None);
    assert!(pretty.stdout.contains("not a widget API message") && pretty.stderr.is_empty());
}

#[test]
fn normalize_is_idempotent_and_keeps_the_messages() {
    for trace in ["session.jsonl", "spellings.jsonl"] {
        let input = fixture(trace);
        let stable = run(&["normalize", "--naming", "stable"], Some(&input));
        let unstable = run(&["normalize", "--naming", "unstable"], Some(&input));
        assert_eq!((stable.status, unstable.status), (0, 0));
        // Once normalised, normalising again changes nothing, and the two namings convert
        // into each other.
        assert_eq!(run(&["normalize", "--naming", "stable"], Some(stable.stdout.as_bytes())).stdout, stable.stdout);
        assert_eq!(run(&["normalize", "--naming", "stable"], Some(unstable.stdout.as_bytes())).stdout, stable.stdout);
        assert_eq!(run(&["normalize", "--naming", "unstable"], Some(stable.stdout.as_bytes())).stdout, unstable.stdout);
        // Every normalised line still decodes, as the same kind of message, in the chosen
        // spelling (unless the name has only one).
        let before = run(&["check"], Some(&input)).stdout;
        let as_stable = run(&["check"], Some(stable.stdout.as_bytes())).stdout;
        let as_unstable = run(&["check"], Some(unstable.stdout.as_bytes())).stdout;
        assert_eq!(before.lines().count(), as_stable.lines().count());
        assert_eq!(before.lines().count(), as_unstable.lines().count());
        for ((before, stable), unstable) in before.lines().zip(as_stable.lines()).zip(as_unstable.lines()) {
            let parse = |line: &str| serde_json::from_str::<serde_json::Value>(line).unwrap();
            let (before, stable, unstable) = (parse(before), parse(stable), parse(unstable));
            for after in [&stable, &unstable] {
                assert_eq!(after["ok"], true, "{after}");
                for field in ["line", "api", "kind"] {
                    assert_eq!(before[field], after[field], "{before} / {after}");
                }
                assert_ne!(after["spelling"], "legacy", "{after}");
            }
            if stable["action"] != unstable["action"] {
                assert_eq!((&stable["spelling"], &unstable["spelling"]), (&"stable".into(), &"unstable".into()), "{before}");
            }
        }
    }
}

// ---- http ----

#[test]
fn http_session() {
    golden("http.session", &["http", "--room", ROOM, "fixtures/session.jsonl"], 0);
    golden("http.session.no-room", &["http", "fixtures/session.jsonl"], 1);
}

#[test]
fn http_every_era() {
    for era in ["deployed", "query-stable", "latest-unstable", "stable", "unsupported"] {
        golden(&format!("http.{era}"), &["http", "--era", era, "--room", ROOM, "--fallback", "fixtures/http.jsonl"], 1);
    }
    golden("http.deployed.pretty", &["http", "--pretty", "--room", ROOM, "fixtures/http.jsonl"], 1);
}

/// Issue 15 A: the surface detected from a server's own `/versions` and `/capabilities`
/// bodies. Synapse 1.157's capability gives limits, not the dedicated endpoint; its
/// `max_delay_ms` (6000 here) refuses the 8000 ms send before any request.
#[test]
fn http_detects_the_surface_from_the_servers_bodies() {
    let synapse = ["--versions", "fixtures/synapse-versions.json", "--capabilities", "fixtures/synapse-capabilities.json"];
    golden("http.synapse", &[&["http"][..], &synapse, &["--room", ROOM, "fixtures/http.jsonl"]].concat(), 1);
    golden("http.stable-versions", &["http", "--versions", "fixtures/stable-versions.json", "--room", ROOM, "fixtures/http.jsonl"], 1);
    // The flag alone: the query-parameter era, as `--era deployed`.
    let deployed = run(&["http", "--room", ROOM, "fixtures/http.jsonl"], None);
    let detected = run(&["http", "--versions", "fixtures/synapse-versions.json", "--room", ROOM, "fixtures/http.jsonl"], None);
    assert_eq!(detected.stdout, deployed.stdout);
    // --era and --versions exclude each other; --capabilities needs --versions; a missing
    // or unreadable body is fatal.
    for args in [
        &["http", "--era", "stable", "--versions", "fixtures/synapse-versions.json", "fixtures/http.jsonl"][..],
        &["http", "--capabilities", "fixtures/synapse-capabilities.json", "fixtures/http.jsonl"],
        &["http", "--versions", "fixtures/nope.json", "fixtures/http.jsonl"],
        &["http", "--versions", "fixtures/http.jsonl", "fixtures/http.jsonl"],
    ] {
        let got = run(args, None);
        assert_eq!(got.status, 2, "{args:?}: {}", got.stderr);
        assert!(got.stdout.is_empty(), "{args:?}");
    }
    let help = run(&["http", "--help"], None);
    assert!(help.stdout.contains("--versions <FILE>") && help.stdout.contains("--capabilities <FILE>"), "{}", help.stdout);
    assert!(help.stdout.contains("widget-api http --versions versions.json --capabilities capabilities.json"), "{}", help.stdout);
}

// ---- the output contract ----

/// The field names of every object a subcommand prints, in order.
fn keys(line: &str) -> Vec<String> {
    // Key order is part of the contract: read the object with its keys in order.
    let mut keys = Vec::new();
    let mut deserializer = serde_json::Deserializer::from_str(line);
    struct Keys<'a>(&'a mut Vec<String>);
    impl<'de> serde::de::Visitor<'de> for Keys<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            while let Some(key) = map.next_key::<String>()? {
                map.next_value::<serde::de::IgnoredAny>()?;
                self.0.push(key);
            }
            Ok(())
        }
    }
    serde::Deserializer::deserialize_map(&mut deserializer, Keys(&mut keys)).unwrap();
    keys
}

#[test]
fn the_field_names_are_stable() {
    // A failed line: `api`, `kind` and `action` only where they could be read.
    let failure = |keys: &[String]| {
        let optional = ["api", "kind", "action"];
        keys.first().map(String::as_str) == Some("line")
            && keys.get(1..3) == Some(&["ok".to_owned(), "request_id".to_owned()][..])
            && keys.last().map(String::as_str) == Some("error")
            && keys.get(3..keys.len() - 1).is_some_and(|middle| {
                let order: Vec<&str> = optional.iter().copied().filter(|o| middle.iter().any(|m| m == o)).collect();
                middle.iter().map(String::as_str).eq(order)
            })
    };
    let check = run(&["check", "--max-line-bytes", "512", "fixtures/bad.jsonl"], None);
    let mut seen_partial = false;
    for line in check.stdout.lines() {
        let keys = keys(line);
        seen_partial |= failure(&keys) && keys.iter().any(|k| k == "action") && !keys.iter().any(|k| k == "kind");
        assert!(keys == ["line", "ok", "api", "kind", "action", "spelling"] || failure(&keys), "{line}");
    }
    assert!(seen_partial, "a truncated line keeps its action but has no kind");
    let permit = run(&["permit", "--capabilities", "fixtures/caps.json", "fixtures/session.jsonl"], None);
    for line in permit.stdout.lines() {
        assert!(keys(line) == ["line", "allowed", "reason"] || keys(line) == ["line", "allowed"], "{line}");
    }
    let capability = run(&["capability", "m.send.delay_events", "m.timeline:*"], None);
    for line in capability.stdout.lines() {
        assert_eq!(keys(line), ["input", "kind", "parts", "spelling", "stable", "unstable"], "{line}");
    }
    let http = run(&["http", "--room", ROOM, "--fallback", "fixtures/http.jsonl"], None);
    for line in http.stdout.lines() {
        let keys = keys(line);
        let request = ["line", "request_id", "method", "path", "query", "body"];
        assert!(keys == request || keys == [&request[..], &["form"]].concat() || failure(&keys), "{line}");
    }
}

#[test]
fn check_values_are_from_their_sets() {
    for trace in ["session.jsonl", "spellings.jsonl", "bad.jsonl"] {
        for line in run(&["check", "--max-line-bytes", "512"], Some(&fixture(trace))).stdout.lines() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            if value["ok"] == true {
                assert!(["fromWidget", "toWidget"].contains(&value["api"].as_str().unwrap()), "{line}");
                assert!(["request", "response", "error_response"].contains(&value["kind"].as_str().unwrap()), "{line}");
                assert!(["stable", "unstable", "legacy", "custom"].contains(&value["spelling"].as_str().unwrap()), "{line}");
            } else {
                assert!(value["request_id"].is_string() || value["request_id"].is_null(), "{line}");
                assert!(value["error"].is_string(), "{line}");
            }
        }
    }
}

// ---- input ----

#[test]
fn standard_input_is_read_with_a_dash_or_no_file() {
    let input = fixture("session.jsonl");
    let from_file = run(&["check", "fixtures/session.jsonl"], None);
    assert_eq!(run(&["check", "-"], Some(&input)).stdout, from_file.stdout);
    assert_eq!(run(&["check"], Some(&input)).stdout, from_file.stdout);
    let http = run(&["http", "--room", ROOM, "fixtures/session.jsonl"], None);
    assert_eq!(run(&["http", "--room", ROOM, "-"], Some(&input)).stdout, http.stdout);
}

#[test]
fn an_unreadable_file_is_exit_status_2() {
    let got = run(&["check", "fixtures/no-such-trace.jsonl"], None);
    assert_eq!(got.status, 2);
    assert!(got.stdout.is_empty());
    assert!(got.stderr.starts_with("widget-api: cannot read `fixtures/no-such-trace.jsonl`: "), "{}", got.stderr);
    let directory = run(&["check", "fixtures"], None);
    assert_eq!(directory.status, 2, "{}", directory.stderr);
}

#[test]
fn the_default_line_limit_is_16_mib() {
    let limit = 16 * 1024 * 1024;
    let body = "x".repeat(limit);
    let long = format!(
        r#"{{"api":"fromWidget","widgetId":"w","requestId":"big","action":"send_event","data":{{"type":"m.room.message","content":{{"body":"{body}"}}}}}}"#
    );
    let small = r#"{"api":"fromWidget","widgetId":"w","requestId":"small","action":"content_loaded","data":{}}"#;
    let input = format!("{long}\n{small}\n");
    let got = run(&["check"], Some(input.as_bytes()));
    assert_eq!(got.status, 1);
    let lines: Vec<&str> = got.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", got.stdout);
    assert_eq!(
        lines[0],
        format!(
            r#"{{"line":1,"ok":false,"request_id":"big","api":"fromWidget","action":"send_event","error":"the line is {} bytes long, longer than the limit of {limit} bytes (--max-line-bytes)"}}"#,
            long.len()
        )
    );
    assert!(lines[1].starts_with(r#"{"line":2,"ok":true,"#), "{}", lines[1]);
    // A line of exactly the limit is accepted.
    let exact = "x".repeat(64);
    let line = format!(r#"{{"api":"fromWidget","widgetId":"w","requestId":"r","action":"x.y","data":{{"a":"{exact}"}}}}"#);
    let limit = line.len().to_string();
    let got = run(&["check", "--max-line-bytes", &limit], Some(format!("{line}\r\n").as_bytes()));
    assert_eq!(got.status, 0, "{}", got.stdout);
}

#[test]
fn invalid_utf8_is_one_failed_line() {
    let input = b"\xff\xfe\n{\"api\":\"fromWidget\",\"widgetId\":\"w\",\"requestId\":\"r\",\"action\":\"content_loaded\",\"data\":{}}\n";
    let got = run(&["check"], Some(input));
    assert_eq!(got.status, 1);
    assert_eq!(
        got.stdout.lines().next().unwrap(),
        r#"{"line":1,"ok":false,"request_id":null,"error":"not a widget API message: message is not valid UTF-8 (at byte 0)"}"#
    );
    assert!(got.stdout.lines().nth(1).unwrap().starts_with(r#"{"line":2,"ok":true"#));
}

#[test]
fn empty_input_is_fine() {
    let got = run(&["check"], Some(b"\n\n  \n"));
    assert_eq!((got.status, got.stdout.as_str()), (0, ""));
    let got = run(&["check", "--pretty"], Some(b""));
    assert_eq!((got.status, got.stdout.as_str()), (0, "LINE  OK  API  KIND  ACTION  SPELLING  ERROR\n"));
}

#[test]
fn a_closed_output_pipe_ends_the_run_quietly() {
    let line = b"{\"api\":\"fromWidget\",\"widgetId\":\"w\",\"requestId\":\"r\",\"action\":\"content_loaded\",\"data\":{}}\n";
    let input: Vec<u8> = line.repeat(50_000);
    let mut child = Command::new(BIN).arg("check").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    drop(child.stdout.take()); // the reader goes away at once
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked") && !stderr.contains("Broken pipe"), "{stderr}");
    assert_eq!(output.status.code(), Some(0));
}

// ---- usage ----

#[test]
fn usage_errors_are_exit_status_2() {
    for args in [
        &["frobnicate"][..],
        &[],
        &["check", "--role", "server"],
        &["normalize", "fixtures/session.jsonl"],
        &["http", "--era", "1999"],
        &["check", "--max-line-bytes", "lots"],
    ] {
        let got = run(args, None);
        assert_eq!(got.status, 2, "{args:?}: {}", got.stderr);
        assert!(got.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn every_subcommand_has_examples_in_its_help() {
    let top = run(&["--help"], None);
    assert_eq!(top.status, 0);
    for subcommand in ["check", "permit", "capability", "normalize", "http"] {
        assert!(top.stdout.contains(&format!("widget-api {subcommand} ")), "top-level help lacks a `{subcommand}` example");
        let help = run(&[subcommand, "--help"], None);
        assert_eq!(help.status, 0, "{subcommand}");
        assert!(help.stdout.contains("Examples:\n"), "`{subcommand} --help` has no examples:\n{}", help.stdout);
        assert!(help.stdout.contains(&format!("widget-api {subcommand} ")), "`{subcommand} --help`:\n{}", help.stdout);
    }
    let version = run(&["--version"], None);
    assert_eq!((version.status, version.stdout.trim()), (0, concat!("widget-api ", env!("CARGO_PKG_VERSION"))));
}

#[test]
fn the_readme_shows_real_output() {
    // Every `$ widget-api …` block in the README is followed by what the binary prints.
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let mut sessions = 0;
    let mut lines = readme.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(command) = line.strip_prefix("$ widget-api ") else { continue };
        let mut expected = String::new();
        while let Some(next) = lines.peek() {
            if next.starts_with("```") || next.starts_with("$ ") {
                break;
            }
            expected.push_str(next);
            expected.push('\n');
            lines.next();
        }
        let args = shell_words(command);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let got = run(&args, None);
        assert!(got.stdout == expected, "README: `widget-api {command}` prints something else:\n{}", diff(&expected, &got.stdout));
        sessions += 1;
    }
    assert!(sessions >= 4, "the README shows a session");
}

/// Splits a command line on spaces, honouring single quotes (enough for the README).
fn shell_words(line: &str) -> Vec<String> {
    let (mut words, mut word, mut quoted, mut any) = (Vec::new(), String::new(), false, false);
    for c in line.chars() {
        match c {
            '\'' => (quoted, any) = (!quoted, true),
            ' ' if !quoted => {
                if any {
                    words.push(std::mem::take(&mut word));
                }
                any = false;
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        words.push(word);
    }
    words
}
