//! `widget-api host` and `widget-api widget` fed hostile or careless lines: not JSON, not
//! objects, unknown keys, mistyped ids, invalid UTF-8, NUL bytes, a 10 MB line, a line
//! over `--max-line-bytes`, CRLF line ends, blank lines, no final line break and standard
//! input closed mid-line. Each bad line gets its error line and the session goes on; no
//! output line is lost; the exit status is 1 when a line was not understood, 0 otherwise.

// Tests fail by panicking.
#![expect(clippy::panic, clippy::expect_used, reason = "tests fail by panicking")]

use serde_json::Value;

#[path = "support/process.rs"]
mod process;

use process::run;

fn lines(stdout: &str) -> Vec<Value> {
    stdout.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"))).collect()
}

const CAPS_REQUEST: &str = r#"{"to_widget":{"api":"toWidget","widgetId":"w","requestId":"host-1","action":"capabilities","data":{}}}"#;

#[test]
fn host_bad_lines_each_get_an_error_and_the_session_goes_on() {
    let mut input = Vec::new();
    input.extend_from_slice(b"not json\r\n");
    input.extend_from_slice(b"[1]\n");
    input.extend_from_slice(b"\"a string\"\n");
    input.extend_from_slice(b"\r\n");
    input.extend_from_slice(b"   \n");
    input.extend_from_slice(b"{\"call\":\"iframe_loaded\",\"colour\":\"red\"}\n");
    input.extend_from_slice(b"{\"answer\":\"1\",\"ok\":[]}\n");
    input.extend_from_slice(
        b"{\"widget\":{\"api\":\"fromWidget\",\"widgetId\":\"w\",\"requestId\":\"r\xff\",\"action\":\"content_loaded\",\"data\":{}}}\n",
    );
    input.extend_from_slice(b"{\"call\":\"iframe_loaded\"}\r\n");
    input.extend_from_slice(b"{\"tick\":");
    let got = run(&["host", "--widget-id", "w"], Some(&input));
    let expected = [
        r#"{"line":1,"error":"not a JSON object: expected ident at line 1 column 2"}"#,
        r#"{"line":2,"error":"not a JSON object: invalid type: sequence, expected a map at line 1 column 0"}"#,
        r#"{"line":3,"error":"not a JSON object: invalid type: string \"a string\", expected a map at line 1 column 10"}"#,
        r#"{"line":6,"error":"unknown field `colour`"}"#,
        r#"{"line":7,"error":"`answer`: invalid type: string \"1\", expected u64 at line 1 column 3"}"#,
        r#"{"line":8,"error":"not a JSON object: invalid unicode code point at line 1 column 60"}"#,
        CAPS_REQUEST,
        r#"{"line":10,"error":"not a JSON object: EOF while parsing a value at line 1 column 8"}"#,
    ];
    assert_eq!(got.stdout.lines().collect::<Vec<_>>(), expected, "{}", got.stderr);
    assert_eq!(got.status, 1);
}

#[test]
fn host_a_nul_byte_is_a_bad_line_not_the_end_of_the_session() {
    let input = b"{\"call\":\"iframe_loaded\"}\n{\"tick\":1,\x00}\n{\"widget\":{\"api\":\"fromWidget\",\"widgetId\":\"w\",\"requestId\":\"v\",\"action\":\"supported_api_versions\",\"data\":{}}}\n";
    let got = run(&["host", "--widget-id", "w"], Some(input));
    let out = lines(&got.stdout);
    assert_eq!(out.len(), 3, "{}\n{}", got.stdout, got.stderr);
    assert_eq!(out[0]["to_widget"]["action"], "capabilities");
    assert_eq!(out[1]["line"], 2);
    assert!(out[1]["error"].as_str().unwrap().starts_with("not a JSON object"), "{}", out[1]);
    assert_eq!(out[2]["to_widget"]["requestId"], "v");
    assert_eq!(got.status, 1);
}

#[test]
fn host_a_ten_megabyte_line_is_refused_and_the_session_goes_on() {
    let big = format!(
        r#"{{"widget":{{"api":"fromWidget","widgetId":"w","requestId":"big","action":"io.example.x","data":{{"x":"{}"}}}}}}"#,
        "a".repeat(10_000_000)
    );
    let input = format!("{{\"call\":\"iframe_loaded\"}}\n{big}\n{{\"call\":\"screenshot\"}}\n");
    let got = run(&["host", "--widget-id", "w"], Some(input.as_bytes()));
    let out = lines(&got.stdout);
    assert_eq!(out.len(), 3, "{}", got.stdout);
    assert_eq!(out[1]["notify"], "misbehaved");
    assert_eq!(out[1]["kind"], "malformed");
    assert!(out[1]["reason"].as_str().unwrap().contains("\"big\""), "{}", out[1]);
    assert_eq!(out[2]["notify"], "host_error");
    assert_eq!(got.status, 0);
    // Over --max-line-bytes: an error line that says how long it was.
    let got = run(&["--max-line-bytes", "1000", "host", "--widget-id", "w"], Some(input.as_bytes()));
    let out = lines(&got.stdout);
    assert_eq!(out[1], serde_json::json!({"line": 2, "error": format!("the line is {} bytes long, over --max-line-bytes", big.len())}));
    assert_eq!(out.len(), 3);
    assert_eq!(got.status, 1);
}

#[test]
fn host_a_message_given_as_text_is_echoed_byte_for_byte() {
    // Line breaks in the message's whitespace, keys out of order, a number no float holds:
    // the reply echoes the request as the widget wrote it (only the line breaks go).
    let message = "{\"api\":\"fromWidget\",\r\n\"widgetId\":\"w\",\n\"requestId\":\"r\",\"action\":\"io.example.x\",\"data\":{\"z\":1,\"a\":123456789012345678901234567890}}";
    let line = serde_json::json!({ "widget": message }).to_string();
    let got = run(&["host", "--widget-id", "w"], Some(format!("{line}\n").as_bytes()));
    assert_eq!(
        got.stdout,
        concat!(
            r#"{"to_widget":{"api":"fromWidget",  "widgetId":"w", "requestId":"r","action":"io.example.x","data":{"z":1,"a":123456789012345678901234567890},"#,
            r#""response":{"error":{"message":"Unknown or unsupported action \"io.example.x\": no capability grants it"}}}}"#,
            "\n"
        )
    );
    assert_eq!(got.status, 0);
}

#[test]
fn host_no_output_is_lost_when_stdin_closes_mid_line() {
    // The last line has no line break: it is still a line.
    let input = b"{\"call\":\"iframe_loaded\"}\n{\"call\":\"stop\"}";
    let got = run(&["host", "--widget-id", "w"], Some(input));
    assert_eq!(got.stdout, format!("{CAPS_REQUEST}\n{{\"notify\":\"closed\"}}\n"));
    assert_eq!(got.status, 0);
    // Lines after stop are read (and checked) but do nothing.
    let input = b"{\"call\":\"stop\"}\n{\"call\":\"iframe_loaded\"}\nbad\n";
    let got = run(&["host", "--widget-id", "w"], Some(input));
    assert_eq!(got.stdout, "{\"notify\":\"closed\"}\n{\"line\":3,\"error\":\"not a JSON object: expected value at line 1 column 1\"}\n");
    assert_eq!(got.status, 1);
}

#[test]
fn widget_bad_lines_each_get_an_error_and_the_session_goes_on() {
    let mut input = Vec::new();
    input.extend_from_slice(
        b"{\"host\":{\"api\":\"toWidget\",\"widgetId\":\"w\",\"requestId\":\"h1\",\"action\":\"capabilities\",\"data\":{}}}\r\n",
    );
    input.extend_from_slice(b"not json\n");
    input.extend_from_slice(b"[]\n");
    input.extend_from_slice(b"\n");
    input.extend_from_slice(b"{\"host\":1,\"x\":2}\n");
    input.extend_from_slice(b"{\"answer\":5,\"ok\":{}}\n");
    input.extend_from_slice(b"{\"answer\":\"zz\",\"ok\":{}}\n");
    input.extend_from_slice(b"\xff\xfe\n");
    input.extend_from_slice(b"{\"tick\":1,\x00}\n");
    input.extend_from_slice(b"{\"call\":\"stop\"}\n");
    input.extend_from_slice(b"{\"call\":\"sta");
    let got = run(&["widget", "--widget-id", "w"], Some(&input));
    let expected = [
        r#"{"received":"capabilities","request_id":"h1","data":{},"answer":"auto"}"#,
        r#"{"to_host":{"api":"toWidget","widgetId":"w","requestId":"h1","action":"capabilities","data":{},"response":{"capabilities":[]}}}"#,
        r#"{"to_host":{"api":"fromWidget","widgetId":"w","requestId":"widget-1","action":"supported_api_versions","data":{}}}"#,
        r#"{"line":2,"error":"not a JSON object: expected ident at line 1 column 2"}"#,
        r#"{"line":3,"error":"not a JSON object: invalid type: sequence, expected a map at line 1 column 0"}"#,
        r#"{"line":5,"error":"unknown field `x`"}"#,
        r#"{"line":6,"error":"`answer`: invalid type: integer `5`, expected a string at line 1 column 1"}"#,
        r#"{"notify":"application_error","message":"an answer to host request `zz`, which is not waiting"}"#,
        r#"{"line":8,"error":"not a JSON object: expected value at line 1 column 1"}"#,
        r#"{"line":9,"error":"not a JSON object: key must be a string at line 1 column 11"}"#,
        r#"{"notify":"closed"}"#,
        r#"{"line":11,"error":"not a JSON object: EOF while parsing a string at line 1 column 12"}"#,
    ];
    assert_eq!(got.stdout.lines().collect::<Vec<_>>(), expected, "{}", got.stderr);
    assert_eq!(got.status, 1);
}

#[test]
fn widget_a_message_given_as_text_is_echoed_byte_for_byte() {
    let message = "{\"api\":\"toWidget\",\n\"widgetId\":\"w\",\"requestId\":\"h\",\"action\":\"io.example.x\",\"data\":{\"z\":1,\"a\":123456789012345678901234567890}}";
    let line = serde_json::json!({ "host": message }).to_string();
    let got = run(&["widget", "--widget-id", "w"], Some(format!("{line}\n").as_bytes()));
    let to_host = got.stdout.lines().find(|l| l.starts_with(r#"{"to_host""#)).unwrap_or_else(|| panic!("{}", got.stdout));
    assert!(
        to_host.starts_with(r#"{"to_host":{"api":"toWidget", "widgetId":"w","requestId":"h","action":"io.example.x","data":{"z":1,"a":123456789012345678901234567890},"#),
        "{to_host}"
    );
    assert_eq!(got.status, 0);
}
