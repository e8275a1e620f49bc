//! Heap allocated by a typed decode, per input byte: divan's counting allocator
//! ([`divan::AllocProfiler`]) wraps the system allocator in this binary only, so the other
//! benchmarks' timings carry no counting cost.
//!
//! `cargo xtask bench` divides the bytes allocated per iteration (one decode of the whole
//! corpus with `decode_as`) by the corpus's size, printed on the `corpus:` line, and prints
//! `decode/heap_bytes_per_input_byte`.

#![allow(clippy::expect_used, clippy::panic, reason = "benchmarks, not library code")]

#[path = "support/corpus.rs"]
mod corpus;
#[path = "support/ops.rs"]
mod ops;
#[path = "support/tagged.rs"]
mod tagged;

use divan::{AllocProfiler, Bencher, black_box};

#[global_allocator]
static ALLOC: AllocProfiler = AllocProfiler::system();

fn main() {
    let entries = corpus::corpus();
    println!("corpus: {} messages, {} bytes", entries.len(), corpus::total_bytes(&entries));
    divan::main();
}

mod heap {
    use super::*;

    /// The typed decode with the receiver's role, as in the `decode` benchmark.
    #[divan::bench]
    fn typed(bencher: Bencher) {
        let entries = corpus::corpus();
        bencher.bench(|| black_box(ops::typed(black_box(&entries))));
    }
}
