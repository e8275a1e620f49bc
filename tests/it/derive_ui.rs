//! Compile-fail (and one compile-pass) tests for `#[derive(WireName)]` and
//! `#[derive(Payload)]`: every diagnostic the derives emit, one mistake per file in
//! `tests/ui/`. Regenerate the `.stderr` files with
//! `TRYBUILD=overwrite cargo test -p matrix-widget-api-tests --test it derive_ui`.

#[test]
fn derive_ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/wire_name_*.rs");
    t.compile_fail("ui/payload_*.rs");
    t.pass("ui/pass_*.rs");
}
