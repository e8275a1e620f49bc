//! Compile-fail (and compile-pass) tests for `#[derive(WireName)]`, `#[derive(Payload)]` and
//! `#[wire_docs]`: every diagnostic they emit, one mistake per file in `tests/ui/`. Regenerate the `.stderr` files with
//! `TRYBUILD=overwrite cargo test -p matrix-widget-api-tests --test it derive_ui`.

#[test]
fn derive_ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/wire_name_*.rs");
    t.compile_fail("ui/payload_*.rs");
    t.compile_fail("ui/wire_docs_*.rs");
    // Not derives, but the same kind of guarantee: what must not compile.
    t.compile_fail("ui/api_*.rs");
    t.pass("ui/pass_*.rs");
}
