//! Decoding the MSC4157 fixtures captured from matrix-widget-api 1.19: typed decode against
//! the `IgnoredAny` floor (parse and discard) and against `serde_json::Value`.
//!
//! `cargo xtask bench` runs this and prints the same-run ratios
//! `decode/typed_vs_ignored_any` and `decode/value_vs_typed`.

#![expect(clippy::expect_used, reason = "benchmarks, not library code")]

use divan::{Bencher, black_box};
use matrix_widget_api::Role;
use std::path::Path;

fn main() {
    divan::main();
}

/// Every captured message that decodes, with the role that receives it (the ones rejected
/// on purpose are left out, so the typed decode is measured on its one-pass path).
fn fixtures() -> Vec<(Role, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/msc4157/widget-api-1.19");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixture directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && !p.ends_with("MANIFEST.json"))
        .collect();
    paths.sort();
    let messages: Vec<(Role, Vec<u8>)> = paths
        .into_iter()
        .map(|p| {
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            // fromWidget requests and toWidget replies reach the host; the rest the widget.
            let to_host = name.starts_with("from_widget.") == name.contains(".request.");
            (if to_host { Role::Host } else { Role::Widget }, std::fs::read(p).expect("fixture"))
        })
        .filter(|(role, bytes)| matrix_widget_api::decode_as(*role, std::str::from_utf8(bytes).expect("UTF-8")).is_ok())
        .collect();
    assert!(messages.len() >= 50, "expected the captured fixtures, found {}", messages.len());
    messages
}

fn total_bytes(messages: &[(Role, Vec<u8>)]) -> divan::counter::BytesCount {
    divan::counter::BytesCount::new(messages.iter().map(|(_, m)| m.len()).sum::<usize>())
}

mod decode {
    use super::*;

    /// The floor: parse every message and keep nothing.
    #[divan::bench]
    fn ignored_any(bencher: Bencher) {
        let messages = fixtures();
        bencher.counter(total_bytes(&messages)).bench(|| {
            for (_, m) in &messages {
                black_box(serde_json::from_slice::<serde::de::IgnoredAny>(black_box(m)).is_ok());
            }
        });
    }

    /// The typed decode as the receiving side does it: UTF-8 check, envelope, typed data,
    /// spelled names, the source kept for replies, and for replies the typed outcome.
    #[divan::bench]
    fn typed(bencher: Bencher) {
        let messages = fixtures();
        bencher.counter(total_bytes(&messages)).bench(|| {
            for (role, m) in &messages {
                let text = std::str::from_utf8(black_box(m)).expect("UTF-8");
                black_box(matrix_widget_api::decode_as(*role, text).is_ok());
            }
        });
    }

    /// The typed decode without a role (`decode`): replies' echoed data is typed in the
    /// pass and read again raw once `response` shows up.
    #[divan::bench]
    fn typed_any_role(bencher: Bencher) {
        let messages = fixtures();
        bencher.counter(total_bytes(&messages)).bench(|| {
            for (_, m) in &messages {
                black_box(matrix_widget_api::decode_slice(black_box(m)).is_ok());
            }
        });
    }

    /// A `serde_json::Value` tree.
    #[divan::bench]
    fn value(bencher: Bencher) {
        let messages = fixtures();
        bencher.counter(total_bytes(&messages)).bench(|| {
            for (_, m) in &messages {
                black_box(serde_json::from_slice::<serde_json::Value>(black_box(m)).is_ok());
            }
        });
    }
}
