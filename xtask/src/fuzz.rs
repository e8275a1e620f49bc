//! `cargo xtask fuzz [--smoke | --seconds N] [TARGET…]`: build and run the cargo-fuzz
//! targets in `fuzz/` with the nightly toolchain, and print per target a line
//! `fuzz/<target> executions N`.
//!
//! cargo-fuzz is installed from crates.io when it is missing (`cargo install cargo-fuzz
//! --locked`); a machine without a nightly toolchain is an error that says so, never a
//! silent skip. Each run starts from the target's seed corpus (`fuzz/seeds/<target>/`,
//! committed) copied into a scratch corpus, so runs are repeatable and nothing under
//! `fuzz/` changes.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::util::{Error, Result, cargo, display_path, project_root, run as run_command};

/// Every target in `fuzz/fuzz_targets/`.
pub(crate) const TARGETS: [&str; 6] = ["decode", "decode_fast", "capability", "permit", "session_host", "session_widget"];

/// Seconds per target in `--smoke` mode (what `cargo xtask ci` runs).
const SMOKE_SECONDS: u32 = 20;

/// The pinned cargo-fuzz version installed when it is missing.
const CARGO_FUZZ_VERSION: &str = "0.13.2";

/// `cargo xtask fuzz …`.
pub(crate) fn run(args: &[String]) -> Result<()> {
    let mut seconds = SMOKE_SECONDS;
    let mut targets: Vec<String> = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--smoke" => seconds = SMOKE_SECONDS,
            "--seconds" => {
                seconds =
                    args.next().and_then(|s| s.parse().ok()).ok_or_else(|| Error::msg("`--seconds` needs a whole number of seconds"))?;
            }
            target if TARGETS.contains(&target) => targets.push(target.to_owned()),
            other => return Err(Error::msg(format!("unknown fuzz argument `{other}`; targets are {}", TARGETS.join(", ")))),
        }
    }
    if targets.is_empty() {
        targets = TARGETS.iter().map(|t| (*t).to_owned()).collect();
    }
    let root = project_root();
    let fuzz_dir = root.join("fuzz");
    check_nightly()?;
    ensure_cargo_fuzz()?;
    let mut lines = Vec::new();
    for target in &targets {
        let corpus = scratch_corpus(&root, target)?;
        // Through rustup, so that the nightly toolchain is used whatever started us.
        let output = Command::new("rustup")
            .current_dir(&fuzz_dir)
            .env_remove("CARGO")
            .args(["run", "nightly", "cargo", "fuzz", "run", target])
            .arg(&corpus)
            .arg("--")
            .arg(format!("-max_total_time={seconds}"))
            .arg("-print_final_stats=1")
            .output()
            .map_err(|e| Error::msg(format!("cannot run `rustup run nightly cargo fuzz run {target}`: {e}")))?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            // The panic message first (libFuzzer prints a lot after it), then the end.
            let lines: Vec<&str> = stderr.lines().collect();
            let mut tail: Vec<&str> = Vec::new();
            if let Some(at) = lines.iter().position(|l| l.contains("panicked at")) {
                tail.extend(lines.iter().skip(at).take(3));
                tail.push("…");
            }
            tail.extend(lines.iter().skip(lines.len().saturating_sub(25)));
            return Err(Error::msg(format!(
                "fuzz target `{target}` failed ({}); the crashing input is under fuzz/artifacts/{target}/:\n{}",
                output.status,
                tail.join("\n")
            )));
        }
        let executions = executions(&stderr)
            .ok_or_else(|| Error::msg(format!("fuzz target `{target}` ran, but libFuzzer printed no execution count")))?;
        let line = format!("fuzz/{target} executions {executions}");
        println!("{line}");
        lines.push(line);
    }
    if lines.len() > 1 {
        println!("fuzz: {} targets, {seconds} s each, no crash", lines.len());
    }
    Ok(())
}

/// `stat::number_of_executed_units: N` (from `-print_final_stats=1`), or the `Done N runs`
/// line.
pub(crate) fn executions(stderr: &str) -> Option<u64> {
    stderr.lines().find_map(|line| line.strip_prefix("stat::number_of_executed_units:").and_then(|n| n.trim().parse().ok())).or_else(|| {
        stderr.lines().find_map(|line| {
            let rest = line.strip_prefix("Done ")?;
            rest.split_whitespace().next()?.parse().ok()
        })
    })
}

fn check_nightly() -> Result<()> {
    let output = Command::new("rustup").args(["run", "nightly", "rustc", "--version"]).output();
    match output {
        Ok(output) if output.status.success() => Ok(()),
        _ => Err(Error::msg(
            "fuzzing needs a nightly toolchain (cargo-fuzz builds with sanitizers), and `rustup run nightly rustc` \
             does not work on this machine; install one with `rustup toolchain install nightly`",
        )),
    }
}

fn ensure_cargo_fuzz() -> Result<()> {
    let installed = Command::new(cargo()).args(["fuzz", "--version"]).output().is_ok_and(|o| o.status.success());
    if installed {
        return Ok(());
    }
    println!("note: installing cargo-fuzz {CARGO_FUZZ_VERSION} from crates.io");
    run_command(Command::new(cargo()).args(["install", "cargo-fuzz", "--locked", "--version", CARGO_FUZZ_VERSION]))
}

/// A fresh corpus directory for `target`, seeded from `fuzz/seeds/<target>/` and, for the
/// decoder, every fixture under `tests/fixtures/`.
fn scratch_corpus(root: &Path, target: &str) -> Result<PathBuf> {
    let corpus = root.join("target").join("fuzz-corpus").join(target);
    let _ = std::fs::remove_dir_all(&corpus);
    std::fs::create_dir_all(&corpus).map_err(|e| Error::msg(format!("cannot create {}: {e}", display_path(&corpus))))?;
    let mut sources = vec![root.join("fuzz").join("seeds").join(target)];
    if target == "decode" {
        sources.push(root.join("tests").join("fixtures"));
    }
    let mut n = 0usize;
    for source in sources {
        copy_files(&source, &corpus, &mut n)?;
    }
    Ok(corpus)
}

fn copy_files(from: &Path, to: &Path, n: &mut usize) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(from) else { return Ok(()) };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            copy_files(&path, to, n)?;
        } else if path.extension().is_none_or(|e| e != "md") {
            *n += 1;
            std::fs::copy(&path, to.join(format!("seed-{n:05}")))
                .map_err(|e| Error::msg(format!("cannot copy {}: {e}", display_path(&path))))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn execution_counts_are_read_from_libfuzzer_output() {
        let stats = "#1024\tpulse  cov: 10\nDone 123456 runs in 21 second(s)\nstat::number_of_executed_units: 123457\n";
        assert_eq!(executions(stats), Some(123_457));
        assert_eq!(executions("Done 99 runs in 1 second(s)\n"), Some(99));
        assert_eq!(executions("INFO: nothing\n"), None);
    }

    #[test]
    fn every_target_has_a_source_file() {
        for target in TARGETS {
            let path = project_root().join("fuzz").join("fuzz_targets").join(format!("{target}.rs"));
            assert!(path.is_file(), "{} is missing", display_path(&path));
        }
    }
}
