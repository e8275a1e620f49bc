//! The decode, encode and reply benchmarks over the corpus of `support/corpus.rs` (captured
//! fixtures of matrix-widget-api 1.19, weighted like real traffic).
//!
//! `cargo xtask bench` runs this and prints the same-run ratios `decode/typed_vs_ignored_any`,
//! `decode/any_role_vs_ignored_any`, `decode/value_vs_typed`, `decode/tagged_enum_vs_typed`,
//! `encode/value_vs_typed` and `reply/value_vs_typed`; `cargo xtask bench --instructions`
//! counts the same work in instructions (`decode_instructions.rs`).

#![allow(clippy::expect_used, clippy::panic, reason = "benchmarks, not library code")]

#[path = "support/corpus.rs"]
mod corpus;
#[path = "support/ops.rs"]
mod ops;
#[path = "support/tagged.rs"]
mod tagged;

use divan::{Bencher, black_box};

fn main() {
    let entries = corpus::corpus();
    println!("corpus: {} messages, {} bytes", entries.len(), corpus::total_bytes(&entries));
    divan::main();
}

fn bytes(entries: &[corpus::Entry]) -> divan::counter::BytesCount {
    divan::counter::BytesCount::new(corpus::total_bytes(entries))
}

mod decode {
    use super::*;

    fn run(bencher: Bencher, f: fn(&[corpus::Entry]) -> usize) {
        let entries = corpus::corpus();
        bencher.counter(bytes(&entries)).bench(|| black_box(f(black_box(&entries))));
    }

    /// The floor: parse every message and keep nothing.
    #[divan::bench]
    fn ignored_any(bencher: Bencher) {
        run(bencher, ops::ignored_any);
    }

    /// The typed decode with the receiver's role (`decode_as`).
    #[divan::bench]
    fn typed(bencher: Bencher) {
        run(bencher, ops::typed);
    }

    /// The typed decode without a role (`decode`).
    #[divan::bench]
    fn typed_any_role(bencher: Bencher) {
        run(bencher, ops::typed_any_role);
    }

    /// A `serde_json::Value` tree.
    #[divan::bench]
    fn value(bencher: Bencher) {
        run(bencher, ops::value);
    }

    /// The common serde approach: a flattened, adjacently tagged enum.
    #[divan::bench]
    fn tagged_enum(bencher: Bencher) {
        run(bencher, ops::tagged_enum);
    }
}

mod encode {
    use super::*;

    /// Serialising the decoded typed messages.
    #[divan::bench]
    fn typed(bencher: Bencher) {
        let prepared = ops::Prepared::new(&corpus::corpus());
        bencher.bench(|| black_box(ops::encode_typed(black_box(&prepared))));
    }

    /// Serialising the same messages as `serde_json::Value`s.
    #[divan::bench]
    fn value(bencher: Bencher) {
        let prepared = ops::Prepared::new(&corpus::corpus());
        bencher.bench(|| black_box(ops::encode_value(black_box(&prepared))));
    }
}

mod reply {
    use super::*;

    /// The library's replies to the decoded requests.
    #[divan::bench]
    fn typed(bencher: Bencher) {
        let prepared = ops::Prepared::new(&corpus::corpus());
        bencher.bench(|| black_box(ops::reply_typed(black_box(&prepared))));
    }

    /// Parsing each request into a map, inserting `response`, serialising.
    #[divan::bench]
    fn value(bencher: Bencher) {
        let prepared = ops::Prepared::new(&corpus::corpus());
        bencher.bench(|| black_box(ops::reply_value(black_box(&prepared))));
    }
}
