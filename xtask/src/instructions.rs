//! `cargo xtask bench --instructions`: the decode, encode and reply figures as callgrind
//! instruction ratios.
//!
//! The `decode_instructions` bench binary of the protocol crate loads the corpus (and
//! everything any variant needs), then runs one variant a given number of times. Each
//! variant runs in its own process under `valgrind --tool=callgrind`, twice: `N` and `2N`
//! times over the corpus. The difference of the two totals is the cost of `N` runs of the
//! variant alone (loading, start-up and teardown cancel out), so the ratios compare the work
//! itself, without client requests in the measured code. (Subtracting a run that only loads
//! was tried first: the allocator's teardown differs between processes by up to 6% of the
//! floor's cost; the difference of two runs of the same variant does not.)

use std::path::PathBuf;
use std::process::Command;

use crate::bench::DECODE;
use crate::util::{Error, Result, cargo, describe, project_root};

/// `N`: the shorter run goes over the corpus this many times, the longer twice as many.
const ITERATIONS: u32 = 10;

/// The variant of `decode_instructions` behind each row name of [`DECODE`].
fn variant_of(row: &str) -> Option<&'static str> {
    Some(match row {
        "decode/ignored_any" => "ignored_any",
        "decode/typed" => "typed",
        "decode/typed_any_role" => "typed_any_role",
        "decode/value" => "value",
        "decode/tagged_enum" => "tagged_enum",
        "encode/typed" => "encode_typed",
        "encode/value" => "encode_value",
        "reply/typed" => "reply_typed",
        "reply/value" => "reply_value",
        _ => return None,
    })
}

/// Builds the binary, counts every variant, and returns the figures' lines.
pub(crate) fn decode_lines() -> Result<Vec<String>> {
    let binary = build("matrix-widget-api", "decode_instructions")?;
    let mut cost = std::collections::BTreeMap::new();
    for (_, numerator, denominator) in DECODE.lines() {
        for row in [numerator, denominator] {
            if cost.contains_key(row) {
                continue;
            }
            let variant = variant_of(row).ok_or_else(|| Error::msg(format!("no instruction variant for `{row}`")))?;
            let once = count(&binary, variant, ITERATIONS)?;
            let twice = count(&binary, variant, 2 * ITERATIONS)?;
            let own = twice.saturating_sub(once) / u64::from(ITERATIONS);
            println!("instructions: {row} {own} per corpus");
            cost.insert(*row, own);
        }
    }
    DECODE
        .lines()
        .iter()
        .map(|(label, numerator, denominator)| {
            let (top, bottom) = (cost[numerator], cost[denominator]);
            if bottom == 0 {
                return Err(Error::msg(format!("`{denominator}` counted no instructions; cannot compute {label}")));
            }
            Ok(format!("{label} {:.2}", top as f64 / bottom as f64))
        })
        .collect()
}

/// `session/renegotiate_16000_vs_1000` in instructions: one renegotiation of 16,000
/// capabilities against one of 1,000, each collected by callgrind from inside the host
/// session bench's `renegotiate_once` alone (`--toggle-collect`), so building the session
/// and the message is not counted.
pub(crate) fn renegotiation_line() -> Result<String> {
    let binary = build("matrix-widget-api-host", "session")?;
    let mut cost = [0u64; 2];
    for (slot, n) in cost.iter_mut().zip([1_000, 16_000]) {
        let mut command = Command::new("valgrind");
        command
            .args(["--tool=callgrind", "--callgrind-out-file=/dev/null", "--toggle-collect=*renegotiate_once*"])
            .arg(&binary)
            .args(["--renegotiate-once", &n.to_string()]);
        *slot = run_counted(&mut command)?;
        println!("instructions: session/renegotiate_{n} {slot}");
    }
    let [small, large] = cost;
    if small == 0 {
        return Err(Error::msg("`renegotiate_once` counted no instructions; is the symbol there?"));
    }
    Ok(format!("session/renegotiate_16000_vs_1000 {:.2}", large as f64 / small as f64))
}

/// `cargo bench --no-run` for the `target` bench of `package`, returning the executable's path.
fn build(package: &str, target: &str) -> Result<PathBuf> {
    let mut command = Command::new(cargo());
    command.current_dir(project_root()).args([
        "bench",
        "-p",
        package,
        "--bench",
        target,
        "--no-run",
        "--message-format=json-render-diagnostics",
    ]);
    let output = command.output().map_err(|err| Error::msg(format!("cannot run `{}`: {err}", describe(&command))))?;
    if !output.status.success() {
        return Err(Error::msg(format!("`{}` failed ({})", describe(&command), output.status)));
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| message["reason"] == "compiler-artifact" && message["target"]["name"] == target)
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
        .ok_or_else(|| Error::msg(format!("cargo built no `{target}` executable")))
}

/// Instructions of one process running `variant` `iterations` times under callgrind.
fn count(binary: &PathBuf, variant: &str, iterations: u32) -> Result<u64> {
    let mut command = Command::new("valgrind");
    command.args(["--tool=callgrind", "--callgrind-out-file=/dev/null"]).arg(binary).args([variant, &iterations.to_string()]);
    run_counted(&mut command)
}

/// Runs `command` (valgrind's callgrind) and reads the instructions it collected.
fn run_counted(command: &mut Command) -> Result<u64> {
    let output =
        command.output().map_err(|err| Error::msg(format!("cannot run `{}` (is valgrind installed?): {err}", describe(command))))?;
    if !output.status.success() {
        return Err(Error::msg(format!("`{}` failed ({}): {}", describe(command), output.status, String::from_utf8_lossy(&output.stderr))));
    }
    collected(&String::from_utf8_lossy(&output.stderr))
        .ok_or_else(|| Error::msg(format!("no `Collected :` line in callgrind's output of `{}`", describe(command))))
}

/// callgrind's `==PID== Collected : 123456` summary line.
pub(crate) fn collected(stderr: &str) -> Option<u64> {
    stderr.lines().find_map(|line| line.split_once("Collected :").and_then(|(_, n)| n.trim().parse().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_callgrinds_summary() {
        let stderr = "==20863== Callgrind, a call-graph generating cache profiler\n==20863== \n==20863== Events    : Ir\n==20863== Collected : 108204928\n==20863== \n==20863== I   refs:      108,204,928\n";
        assert_eq!(collected(stderr), Some(108_204_928));
        assert_eq!(collected("nothing"), None);
    }

    #[test]
    fn every_decode_row_has_a_variant() {
        for (_, numerator, denominator) in DECODE.lines() {
            assert!(variant_of(numerator).is_some(), "{numerator}");
            assert!(variant_of(denominator).is_some(), "{denominator}");
        }
    }
}
