//! Compile-fail tests for `#[derive(WireName)]`, `#[derive(Payload)]` and `#[wire_docs]`: every
//! diagnostic they emit, one mistake per file in `tests/ui/`. Regenerate the `.stderr` files
//! with `TRYBUILD=overwrite cargo test -p matrix-widget-api-tests --test ui`.
//!
//! A target of its own, with compile-fail cases only: trybuild then checks every case in one
//! `cargo check` (a pass case makes it `cargo build` each case in turn). What the derives must
//! accept is tested as ordinary code in `it/derive_pass.rs`.

#[test]
fn derive_ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/wire_name_*.rs");
    t.compile_fail("ui/payload_*.rs");
    t.compile_fail("ui/wire_docs_*.rs");
    // Not derives, but the same kind of guarantee: what must not compile.
    t.compile_fail("ui/api_*.rs");
}
