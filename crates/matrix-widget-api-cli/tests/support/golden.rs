//! Golden sessions of `widget-api host` and `widget-api widget` (`host.rs`, `widget.rs`):
//! `<subcommand>/<case>.jsonl` in, `<subcommand>/<case>.out` expected.

use super::process::{Run, run, tests_dir};

/// Runs `widget-api SUBCOMMAND ARGS SUBCOMMAND/<name>.jsonl` and compares its output with
/// `SUBCOMMAND/<name>.out` and its exit status with `status`. A mismatch names the first
/// differing line and prints the command that writes the new output; nothing is rewritten.
pub(crate) fn golden(subcommand: &str, name: &str, args: &[&str], status: i32) -> Run {
    let input = format!("{subcommand}/{name}.jsonl");
    let mut all = vec![subcommand];
    all.extend_from_slice(args);
    all.push(&input);
    let got = run(&all, None);
    let path = tests_dir().join(subcommand).join(format!("{name}.out"));
    let regenerate = format!(
        "cd crates/matrix-widget-api-cli/tests && cargo run -q -p matrix-widget-api-cli -- {} > {subcommand}/{name}.out",
        all.iter().map(|a| if a.contains(['!', '@', '#']) { format!("'{a}'") } else { a.to_string() }).collect::<Vec<_>>().join(" ")
    );
    let expected =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{} cannot be read ({e}); write it with\n  {regenerate}", path.display()));
    if got.stdout != expected {
        let first = expected
            .lines()
            .zip(got.stdout.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(got.stdout.lines().count()));
        panic!(
            "golden session `{name}` differs from {subcommand}/{name}.out at output line {}:\n- {}\n+ {}\nIf the new output is right, review it and write it with\n  {regenerate}",
            first + 1,
            expected.lines().nth(first).unwrap_or("(nothing)"),
            got.stdout.lines().nth(first).unwrap_or("(nothing)"),
        );
    }
    assert_eq!(got.status, status, "golden session `{name}`: exit status; stderr:\n{}", got.stderr);
    assert!(!got.stderr.contains("panicked"), "{}", got.stderr);
    got
}
