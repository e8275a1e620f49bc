//! The decode benchmarks as one process per measurement, for callgrind:
//! `decode_instructions <variant> <iterations>` loads the corpus (and everything any
//! variant needs), then runs `variant` `iterations` times over it. `cargo xtask bench
//! --instructions` runs each variant under `valgrind --tool=callgrind` with `N` and `2N`
//! iterations and takes the difference, so what remains is the variant's own instructions;
//! no client requests are needed. (`baseline` loads and does nothing.)
//!
//! Variants: `baseline`, `ignored_any`, `typed`, `typed_any_role`, `value`, `tagged_enum`,
//! `encode_typed`, `encode_value`, `reply_typed`, `reply_value`.

#![allow(clippy::expect_used, clippy::panic, reason = "benchmarks, not library code")]

#[path = "support/corpus.rs"]
mod corpus;
#[path = "support/ops.rs"]
mod ops;
#[path = "support/tagged.rs"]
mod tagged;

use std::hint::black_box;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [variant, iterations] = args.as_slice() else {
        panic!("usage: decode_instructions <variant> <iterations>");
    };
    let iterations: usize = iterations.parse().expect("a number of iterations");
    let entries = corpus::corpus();
    let prepared = ops::Prepared::new(&entries);
    let decode: Option<fn(&[corpus::Entry]) -> usize> = match variant.as_str() {
        "ignored_any" => Some(ops::ignored_any),
        "typed" => Some(ops::typed),
        "typed_any_role" => Some(ops::typed_any_role),
        "value" => Some(ops::value),
        "tagged_enum" => Some(ops::tagged_enum),
        _ => None,
    };
    let other: Option<fn(&ops::Prepared) -> usize> = match variant.as_str() {
        "encode_typed" => Some(ops::encode_typed),
        "encode_value" => Some(ops::encode_value),
        "reply_typed" => Some(ops::reply_typed),
        "reply_value" => Some(ops::reply_value),
        _ => None,
    };
    let mut total = 0;
    match (decode, other, variant.as_str()) {
        (Some(f), _, _) => (0..iterations).for_each(|_| total += f(black_box(&entries))),
        (_, Some(f), _) => (0..iterations).for_each(|_| total += f(black_box(&prepared))),
        (None, None, "baseline") => {}
        (None, None, other) => panic!("unknown variant `{other}`"),
    }
    println!("{variant} {iterations} {total} messages={} bytes={}", entries.len(), corpus::total_bytes(&entries));
}
