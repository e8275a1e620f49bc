//! Project automation, run as `cargo xtask <command>` (an alias in `.cargo/config.toml`).
//!
//! See [`USAGE`] for the commands. Modelled on rust-analyzer's xtask: plain `std`, few
//! dependencies, generated files checked by a test.
#![forbid(unsafe_code)]
#![expect(clippy::indexing_slicing, reason = "a developer tool, not library code: a bad index fails a local command, never a host")]

mod bench;
mod ci;
mod codegen;
mod fuzz;
mod hostile;
mod instructions;
mod util;

use std::process::ExitCode;

/// Printed for `cargo xtask`, `cargo xtask help` and unknown commands.
const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  codegen [--check]   regenerate schemas/ (JSON Schemas, widget-api.d.ts, package.json, README.md);
                      with --check, change nothing and fail if they are out of date
  hostile [--check]   regenerate tests/hostile/*.jsonl from tests/hostile/generate.rs;
                      with --check, change nothing and fail if they are out of date
  ci                  run what CI runs: fmt, the crate copies, clippy and tests (all features, then
                      the published crates with default features), docs (both ways), cargo
                      package, codegen --check, npm conformance, live conformance, the
                      permission differential against matrix-widget-api, the fuzz smoke run
  npm                 run only CI's npm step (tests/npm: fixtures, typings, type tests, Ajv, pack)
  live                run only CI's live step: build widget-api, run tests/npm/live/*.mjs (the
                      real matrix-widget-api and matrix-js-sdk against the Rust sessions)
  bench [--decode] [--instructions] [-- <args>]
                      run the decode, heap, permission and session benchmarks (args go to the
                      divan binaries), then print one `NAME VALUE` line per figure (see
                      BENCHMARKS.md); --decode: the protocol crate's only; --instructions: the
                      decode, encode and reply figures in callgrind instructions
  fuzz [--smoke | --seconds N] [TARGET...]
                      run the cargo-fuzz targets in fuzz/ (nightly; installs cargo-fuzz if
                      missing) and print `fuzz/<target> executions N` for each
  help                print this message";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.split_first() {
        None => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Some((command, rest)) => match (command.as_str(), rest) {
            ("help" | "-h" | "--help", _) => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            ("codegen", []) => codegen::run(false),
            ("codegen", [flag]) if flag == "--check" => codegen::run(true),
            ("hostile", rest @ ([] | [_])) if rest.iter().all(|flag| flag == "--check") => hostile::run(!rest.is_empty()),
            ("ci", []) => ci::run(),
            ("npm", []) => ci::run_npm(),
            ("live", []) => ci::run_live(),
            ("bench", rest) => bench::run(rest),
            ("fuzz", rest) => fuzz::run(rest),
            _ => {
                eprintln!("error: unknown command `{}`\n\n{USAGE}", args.join(" "));
                return ExitCode::from(2);
            }
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err}");
            ExitCode::FAILURE
        }
    }
}
