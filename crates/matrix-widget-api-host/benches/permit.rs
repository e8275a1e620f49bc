//! The permission engine's cost per check, with 10 and with 10,000 approved capabilities:
//! the same requests (a delayed state send, a message with a msgtype to another room, an
//! `update_delayed_event`, and a denied send), checked against both sets.
//!
//! `cargo xtask bench` runs this and prints the same-run ratio `permit/10000_vs_10`
//! (time per check with 10,000 capabilities ÷ with 10); the index makes it about 1.

#![expect(clippy::expect_used, reason = "benchmarks, not library code")]

use divan::{Bencher, black_box};
use matrix_widget_api::naming::Spelled;
use matrix_widget_api::{Capability, FromWidgetRequest, HostMessage, decode_host};
use matrix_widget_api_host::permission::{Context, Permissions};

fn main() {
    divan::main();
}

/// The capabilities the requests use, then filler of every parameterised kind up to `n`.
fn approved(n: usize) -> Vec<Spelled<Capability>> {
    let mut texts: Vec<String> = [
        "org.matrix.msc2762.send.state_event:org.matrix.msc3401.call.member#_@a:b_DEV",
        "org.matrix.msc4157.send.delayed_event",
        "org.matrix.msc4157.update_delayed_event",
        "org.matrix.msc2762.send.event:m.room.message#m.text",
        "org.matrix.msc2762.timeline:!other:b",
    ]
    .map(str::to_owned)
    .to_vec();
    let mut i = 0;
    while texts.len() < n {
        texts.push(match i % 6 {
            0 => format!("org.matrix.msc2762.send.event:org.example.type{i}"),
            1 => format!("org.matrix.msc2762.send.state_event:org.example.state{i}#key{i}"),
            2 => format!("org.matrix.msc2762.send.event:m.room.message#org.example.msgtype{i}"),
            3 => format!("org.matrix.msc2762.send.state_event:org.matrix.msc3401.call.member#_@u{i}:b_DEV"),
            4 => format!("org.matrix.msc2762.timeline:!room{i}:b"),
            _ => format!("org.matrix.msc2762.receive.event:org.example.type{i}"),
        });
        i += 1;
    }
    texts.iter().map(|t| Spelled::parse(t).expect("capability")).collect()
}

fn requests() -> Vec<FromWidgetRequest> {
    [
        r#"{"api":"fromWidget","widgetId":"w","requestId":"r1","action":"send_event","data":{"type":"org.matrix.msc3401.call.member","state_key":"_@a:b_DEV","content":{},"delay":5000}}"#,
        r#"{"api":"fromWidget","widgetId":"w","requestId":"r2","action":"send_event","data":{"type":"m.room.message","room_id":"!other:b","content":{"msgtype":"m.text","body":"hello"}}}"#,
        r#"{"api":"fromWidget","widgetId":"w","requestId":"r3","action":"org.matrix.msc4157.update_delayed_event","data":{"delay_id":"syd_abc","action":"restart"}}"#,
        r#"{"api":"fromWidget","widgetId":"w","requestId":"r4","action":"send_event","data":{"type":"org.example.denied","content":{}}}"#,
    ]
    .iter()
    .map(|text| match decode_host(text).expect("decodes") {
        HostMessage::Request(request) => request,
        HostMessage::Response(_) => unreachable!("requests"),
    })
    .collect()
}

fn bench_checks(bencher: Bencher, n: usize) {
    let permissions = Permissions::new(&approved(n));
    let requests = requests();
    let context = Context::in_room("!r:b");
    bencher.counter(divan::counter::ItemsCount::new(requests.len())).bench(|| {
        for request in &requests {
            black_box(permissions.check(black_box(request), &context).is_ok());
        }
    });
}

mod permit {
    use super::*;

    /// Four checks against 10 approved capabilities.
    #[divan::bench(sample_count = 200, sample_size = 64)]
    fn caps_10(bencher: Bencher) {
        bench_checks(bencher, 10);
    }

    /// The same four checks against 10,000 approved capabilities.
    #[divan::bench(sample_count = 200, sample_size = 64)]
    fn caps_10000(bencher: Bencher) {
        bench_checks(bencher, 10_000);
    }
}
