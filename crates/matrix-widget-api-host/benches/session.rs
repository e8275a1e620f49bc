//! The host session's costs:
//!
//! - `session/renegotiate_1000` and `session/renegotiate_16000`: one MSC2974
//!   `request_capabilities` of that many state-event capabilities, approved in full, up to
//!   the `notify_capabilities` message (the widget's message in, the environment's answer
//!   in); freeing the session afterwards is not timed. Linear, 16,000 costs 16× 1,000; the
//!   target is at most 20× (quadratic, it was 105 s + 63 s). Both sizes take the fastest of
//!   the same number of runs. In instructions (callgrind; `cargo xtask bench
//!   --instructions` counts them with `session --renegotiate-once N`) the ratio is 17.0×
//!   (10.9 M vs 184.6 M); in time the larger run also leaves the caches (about 13 MB live
//!   against 0.8 MB), which costs a few × more on a loaded machine.
//! - `session/decode` and `session/process`: one allowed `send_event` decoded alone, and
//!   carried by the session (decoded, checked, turned into an environment request, the
//!   answer turned into the reply).
//!
//! Before the divan table, `main` prints both ratios, timed in the same run.

#![expect(clippy::expect_used, clippy::unwrap_used, clippy::panic, clippy::indexing_slicing, reason = "benchmarks, not library code")]

use divan::{Bencher, black_box};
use matrix_widget_api::decode_host;
use matrix_widget_api_host::session::{Config, EnvRequest, HostSession, Input, Millis, Output};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const WIDGET: &str = "w";
const ROOM: &str = "!r:example.org";
const SEND: &str = r#"{"api":"fromWidget","widgetId":"w","requestId":"r1","action":"send_event","data":{"type":"org.matrix.msc3401.call.member","state_key":"_@a:b_DEV","content":{"application":"m.call","call_id":""},"delay":5000}}"#;

// Until the crate's Cargo.toml declares this bench with `harness = false`, cargo builds it
// with libtest's harness, which has its own `main`; this keeps ours used in both builds.
const _: fn() = main;

fn main() {
    // `session --renegotiate-once N`: one renegotiation of N capabilities inside
    // `renegotiate_once` and nothing else timed, for callgrind's `--toggle-collect`
    // (`cargo xtask bench --instructions`).
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, n] = args.as_slice()
        && flag == "--renegotiate-once"
    {
        let session = renegotiate_once(renegotiation(n.parse().expect("a number of capabilities")));
        println!("approved {}", session.negotiation().approved().len());
        return;
    }
    print_ratios();
    divan::main();
}

/// One renegotiation, under a name callgrind can collect from alone.
#[inline(never)]
fn renegotiate_once(input: (HostSession, String, Value)) -> HostSession {
    renegotiate(input)
}

/// A session that negotiated `capabilities` (all approved) and has nothing pending.
fn ready(capabilities: &[String]) -> HostSession {
    let mut session = HostSession::new(Config::new(WIDGET, "@a:b").viewed_room(ROOM));
    let out = session.process(Millis(0), Input::IframeLoaded);
    let Some(Output::ToWidget(ask)) = out.first() else { panic!("{out:?}") };
    let mut reply: Value = serde_json::from_str(ask).unwrap();
    reply["response"] = json!({ "capabilities": capabilities });
    let out = session.process(Millis(0), Input::WidgetMessage(reply.to_string()));
    if let Some(Output::Environment { id, .. }) = out.first() {
        session.process(Millis(0), Input::EnvironmentAnswer { id: *id, result: Ok(json!(capabilities)) });
    }
    session
}

fn state_capabilities(n: usize, offset: usize) -> Vec<String> {
    (offset..offset + n).map(|i| format!("org.matrix.msc2762.send.state_event:org.example.state{i}#key{i}")).collect()
}

/// What one renegotiation needs: the ready session, the widget's message, the approval.
fn renegotiation(n: usize) -> (HostSession, String, Value) {
    let session = ready(&["org.matrix.msc4157.send.delayed_event".to_owned()]);
    let capabilities = state_capabilities(n, 0);
    let message = json!({"api": "fromWidget", "widgetId": WIDGET, "requestId": "more", "action": "org.matrix.msc2974.request_capabilities", "data": {"capabilities": capabilities}});
    (session, message.to_string(), json!(capabilities))
}

/// Runs one renegotiation; returns the session, so that dropping it (freeing everything
/// negotiated) happens outside the timing: that is teardown, not renegotiation.
fn renegotiate((mut session, message, approval): (HostSession, String, Value)) -> HostSession {
    let out = session.process(Millis(1), Input::WidgetMessage(message));
    let id = out
        .iter()
        .find_map(|o| match o {
            Output::Environment { id, request: EnvRequest::ApproveCapabilities { .. } } => Some(*id),
            _ => None,
        })
        .expect("an approval request");
    let notified = session.process(Millis(1), Input::EnvironmentAnswer { id, result: Ok(approval) });
    assert!(session.negotiation().approved().len() > out.len() + notified.len());
    session
}

/// A session ready for delayed call-member sends.
fn call_session() -> HostSession {
    ready(&[
        "org.matrix.msc2762.send.state_event:org.matrix.msc3401.call.member#_@a:b_DEV".to_owned(),
        "org.matrix.msc4157.send.delayed_event".to_owned(),
    ])
}

/// One `send_event` through the session: message in, environment request out, answer in,
/// reply out.
fn process(session: &mut HostSession, answer: &Value) -> usize {
    let out = session.process(Millis(1), Input::WidgetMessage(SEND.to_owned()));
    let Some(Output::Environment { id, .. }) = out.first() else { panic!("{out:?}") };
    let reply = session.process(Millis(1), Input::EnvironmentAnswer { id: *id, result: Ok(answer.clone()) });
    reply.len()
}

fn answer() -> Value {
    json!({"room_id": ROOM, "delay_id": "syd_abc"})
}

/// The fastest of `runs` timings of `f` over fresh inputs from `setup`; what `f` returns
/// is dropped after the timing.
fn fastest<I, O>(runs: usize, mut setup: impl FnMut() -> I, mut f: impl FnMut(I) -> O) -> Duration {
    (0..runs)
        .map(|_| {
            let input = setup();
            let start = Instant::now();
            let output = black_box(f(input));
            let elapsed = start.elapsed();
            drop(output);
            elapsed
        })
        .min()
        .unwrap_or_default()
}

fn print_ratios() {
    let small = fastest(20, || renegotiation(1_000), renegotiate);
    let large = fastest(20, || renegotiation(16_000), renegotiate);
    println!(
        "session/renegotiate_16000_vs_1000: {:.1}x ({large:?} vs {small:?}; target <= 20x, linear = 16x)",
        large.as_secs_f64() / small.as_secs_f64()
    );
    let answer = answer();
    let mut session = call_session();
    let per = 2_000;
    let decode = fastest(20, || (), |()| (0..per).map(|_| usize::from(decode_host(black_box(SEND)).is_ok())).sum::<usize>());
    let carried = fastest(20, || (), |()| (0..per).map(|_| process(&mut session, &answer)).sum::<usize>());
    println!(
        "session/process_vs_decode: {:.1}x ({:?} vs {:?} per send_event)",
        carried.as_secs_f64() / decode.as_secs_f64(),
        carried / per,
        decode / per
    );
}

mod session {
    use super::*;

    /// Renegotiating 1,000 capabilities.
    #[divan::bench(sample_count = 20, sample_size = 1)]
    fn renegotiate_1000(bencher: Bencher) {
        bencher.with_inputs(|| renegotiation(1_000)).bench_local_values(renegotiate);
    }

    /// Renegotiating 16,000 capabilities.
    #[divan::bench(sample_count = 20, sample_size = 1)]
    fn renegotiate_16000(bencher: Bencher) {
        bencher.with_inputs(|| renegotiation(16_000)).bench_local_values(renegotiate);
    }

    /// Decoding one `send_event` alone.
    #[divan::bench]
    fn decode() -> bool {
        decode_host(black_box(SEND)).is_ok()
    }

    /// The same `send_event` carried by the session, with the environment's answer.
    #[divan::bench]
    fn process(bencher: Bencher) {
        let answer = answer();
        let mut session = call_session();
        bencher.bench_local(|| super::process(&mut session, &answer));
    }
}
