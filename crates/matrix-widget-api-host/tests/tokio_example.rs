//! Runs `examples/tokio_host.rs`, so the async example in the docs keeps working.

#[path = "../examples/tokio_host.rs"]
mod example;

#[test]
fn the_tokio_example_schedules_the_delayed_leave() {
    // `main` asserts the widget's reply and panics otherwise.
    example::main();
}
