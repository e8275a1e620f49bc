//! Project automation, run as `cargo xtask <command>` (an alias in `.cargo/config.toml`).
//!
//! See [`USAGE`] for the commands. Modelled on rust-analyzer's xtask: plain `std`, few
//! dependencies, generated files checked by a test.
#![forbid(unsafe_code)]

mod bench;
mod ci;
mod codegen;
mod markdown;
mod npm_package;
mod typescript;
mod util;

use std::process::ExitCode;

/// Printed for `cargo xtask`, `cargo xtask help` and unknown commands.
const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  codegen [--check]   regenerate schemas/ (JSON Schemas, widget-api.d.ts, package.json, README.md);
                      with --check, change nothing and fail if they are out of date
  ci                  run what CI runs: fmt, clippy, tests, docs, codegen --check, npm conformance
  npm                 run only CI's npm step (tests/npm: fixtures, typings, type tests, Ajv, pack)
  bench [-- <args>]   run the decode benchmarks (args go to the bench binary), then print
                      the median ratios typed/ignored_any and value/typed
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
            ("ci", []) => ci::run(),
            ("npm", []) => ci::run_npm(),
            ("bench", rest) => bench::run(rest),
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
