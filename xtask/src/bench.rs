//! `cargo xtask bench [-- <args>]`: runs the divan benchmarks (`decode` in the protocol crate,
//! `permit` in the host crate) and prints median ratios.
//!
//! divan prints a tree, for example:
//!
//! ```text
//! decode             fastest       │ slowest       │ median        │ mean          │ samples │ iters
//! ╰─ decode                        │               │               │               │         │
//!    ├─ ignored_any  112.3 ns      │ 151.2 ns      │ 114.1 ns      │ 116.2 ns      │ 100     │ 3200
//!    ├─ typed        465.2 ns      │ 550.7 ns      │ 485.5 ns      │ 486.6 ns      │ 100     │ 400
//!    ╰─ value        20.6 µs       │ 186.1 µs      │ 20.76 µs      │ 24.39 µs      │ 100     │ 100
//! ```
//!
//! The first header cell names the bench binary; every row's path starts with it, so a bench
//! `decode::typed` inside the `decode` binary is `decode/decode/typed`, and rows are looked up
//! by path suffix (`decode/typed`).

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use crate::util::{Error, Result, cargo, describe, project_root};

/// One bench binary and the same-run ratios printed from it.
struct Bench {
    package: &'static str,
    target: &'static str,
    ratios: Ratios,
}

/// The ratios of one bench binary: the divan group their rows live in, and (label,
/// numerator row, denominator row) for each.
pub(crate) struct Ratios {
    group: &'static str,
    lines: &'static [(&'static str, &'static str, &'static str)],
}

/// Decoding: typed against the `IgnoredAny` floor, and `serde_json::Value` against typed.
pub(crate) const DECODE: Ratios = Ratios {
    group: "decode",
    lines: &[("decode/typed_vs_ignored_any", "typed", "ignored_any"), ("decode/value_vs_typed", "value", "typed")],
};

/// The permission engine: a check with 10,000 approved capabilities against one with 10.
pub(crate) const PERMIT: Ratios = Ratios { group: "permit", lines: &[("permit/10000_vs_10", "caps_10000", "caps_10")] };

pub(crate) const SESSION: Ratios = Ratios {
    group: "session",
    lines: &[
        ("session/renegotiate_16000_vs_1000", "renegotiate_16000", "renegotiate_1000"),
        ("session/process_vs_decode", "process", "decode"),
    ],
};

const BENCHES: [Bench; 3] = [
    Bench { package: "matrix-widget-api", target: "decode", ratios: DECODE },
    Bench { package: "matrix-widget-api-host", target: "permit", ratios: PERMIT },
    Bench { package: "matrix-widget-api-host", target: "session", ratios: SESSION },
];

/// `cargo xtask bench [-- <args>]`: `args` are forwarded to every bench binary.
pub(crate) fn run(args: &[String]) -> Result<()> {
    let args = match args.split_first() {
        Some((first, rest)) if first == "--" => rest,
        _ => args,
    };
    let mut lines = Vec::new();
    for bench in &BENCHES {
        let mut command = Command::new(cargo());
        command.current_dir(project_root()).args(["bench", "-p", bench.package, "--bench", bench.target]);
        if !args.is_empty() {
            command.arg("--").args(args);
        }
        let output = run_teeing_stdout(&mut command)?;
        lines.extend(ratio_lines(&parse_divan(&output), &bench.ratios)?);
    }
    println!();
    for line in lines {
        println!("{line}");
    }
    Ok(())
}

/// Runs `command`, copying its stdout to ours line by line while keeping it, and fails
/// unless it exits successfully. Stderr (cargo's progress) is inherited.
fn run_teeing_stdout(command: &mut Command) -> Result<String> {
    let what = describe(command);
    let mut child = command.stdout(Stdio::piped()).spawn().map_err(|err| Error::msg(format!("cannot run `{what}`: {err}")))?;
    let mut captured = String::new();
    if let Some(stdout) = child.stdout.take() {
        let mut ours = std::io::stdout().lock();
        for line in BufReader::new(stdout).lines() {
            let line = line.map_err(|err| Error::msg(format!("cannot read output of `{what}`: {err}")))?;
            // A closed stdout (`| head`) must not stop us from draining the child.
            let _ = writeln!(ours, "{line}");
            let _ = ours.flush();
            captured.push_str(&line);
            captured.push('\n');
        }
    }
    let status = child.wait().map_err(|err| Error::msg(format!("cannot wait for `{what}`: {err}")))?;
    if status.success() { Ok(captured) } else { Err(Error::msg(format!("`{what}` failed ({status})"))) }
}

/// One line of divan's tree.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    /// Tree path, starting with the bench binary's name: `["decode", "decode", "typed"]`.
    pub(crate) path: Vec<String>,
    /// The median time in nanoseconds; `None` for a group line without numbers.
    pub(crate) median_ns: Option<f64>,
}

/// Parses every divan table in `output`. Lines that are not part of a table (cargo's output,
/// `Timer precision: …`) and divan's counter lines (throughput under a row) are skipped.
pub(crate) fn parse_divan(output: &str) -> Vec<Row> {
    let mut rows = Vec::new();
    let mut table: Option<Table> = None;
    let mut stack: Vec<String> = Vec::new();
    for line in output.lines() {
        let line = strip_ansi(line);
        if let Some(header) = Table::from_header(&line) {
            table = Some(header);
            stack.clear();
            continue;
        }
        let Some(table) = &table else { continue };
        let cells: Vec<&str> = line.split('│').collect();
        let Some(first) = cells.first() else { continue };
        let chars: Vec<char> = first.chars().collect();
        let prefix_len = chars.iter().take_while(|ch| matches!(ch, ' ' | '│' | '├' | '╰' | '─')).count();
        let prefix: String = chars[..prefix_len].iter().collect();
        // Counter lines (throughput under a row) and anything else carry no tree marker.
        if !(prefix.contains("├─") || prefix.contains("╰─")) {
            continue;
        }
        // The name column is padded to the longest name plus at least two spaces.
        let rest: String = chars[prefix_len..].iter().collect();
        let name = rest.split("  ").next().unwrap_or_default().trim().to_owned();
        stack.truncate((prefix_len / 3).saturating_sub(1));
        stack.push(name);
        let median_ns = cells.get(table.median_cell).and_then(|cell| parse_duration_ns(cell.trim()));
        let mut path = vec![table.root.clone()];
        path.extend(stack.iter().cloned());
        rows.push(Row { path, median_ns });
    }
    rows
}

/// What a divan header line tells us about the rows below it.
struct Table {
    /// The bench binary's name (the header's first word).
    root: String,
    /// Index of the `median` cell when the line is split at `│`.
    median_cell: usize,
}

impl Table {
    fn from_header(line: &str) -> Option<Self> {
        let cells: Vec<&str> = line.split('│').collect();
        let first = cells.first()?;
        let fastest_at = first.find("fastest")?;
        let median_cell = cells.iter().position(|cell| cell.split_whitespace().last() == Some("median"))?;
        Some(Self { root: first[..fastest_at].trim().to_owned(), median_cell })
    }
}

/// Removes ANSI colour sequences (`ESC [ … m`), in case divan was told to colour its output.
fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(ch) = chars.next() {
        if ch == '\u{1b}' {
            for next in chars.by_ref() {
                if next.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(ch);
        }
    }
    out
}

/// `"20.76 µs"` → `20760.0`. divan's units: `ps`, `ns`, `µs`, `ms`, `s`, `m`, `h`, `d`.
pub(crate) fn parse_duration_ns(text: &str) -> Option<f64> {
    let (number, unit) = text.split_once(' ')?;
    let number: f64 = number.trim().parse().ok()?;
    let scale = match unit.trim() {
        "ps" => 1e-3,
        "ns" => 1.0,
        "µs" | "μs" | "us" => 1e3,
        "ms" => 1e6,
        "s" => 1e9,
        "m" => 60e9,
        "h" => 3_600e9,
        "d" => 86_400e9,
        _ => return None,
    };
    Some(number * scale)
}

/// The median of `<group>/<name>`, found by path suffix.
fn median(rows: &[Row], group: &str, name: &str) -> Result<f64> {
    let matches: Vec<&Row> = rows
        .iter()
        .filter(|row| row.path.len() >= 2 && row.path[row.path.len() - 1] == name && row.path[row.path.len() - 2] == group)
        .collect();
    match matches.as_slice() {
        [] => Err(Error::msg(format!(
            "benchmark `{group}/{name}` not found in divan's output; \
             the ratios need every row they name (did a filter argument exclude it?)"
        ))),
        [row] => row.median_ns.ok_or_else(|| {
            Error::msg(format!(
                "benchmark `{}` has no median of its own (it is a group: give it one \
                 benchmark, not arguments or types)",
                row.path.join("/")
            ))
        }),
        several => Err(Error::msg(format!(
            "benchmark `{group}/{name}` is ambiguous: {}",
            several.iter().map(|row| row.path.join("/")).collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// The lines printed at the end of `cargo xtask bench` for one bench binary.
pub(crate) fn ratio_lines(rows: &[Row], ratios: &Ratios) -> Result<Vec<String>> {
    let group = ratios.group;
    ratios
        .lines
        .iter()
        .map(|(label, numerator, denominator)| {
            let top = median(rows, group, numerator)?;
            let bottom = median(rows, group, denominator)?;
            if bottom <= 0.0 {
                return Err(Error::msg(format!("benchmark `{group}/{denominator}` has a median of zero; cannot compute {label}")));
            }
            Ok(format!("{label} {:.2}", top / bottom))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Real divan 0.1.21 output (a group inside the `decode` bench binary, with a sibling
    /// top-level bench, a counter line, and a generic group), preceded by cargo's noise.
    const SAMPLE: &str = "\
running 0 tests

test result: ok. 0 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s

decode             fastest       │ slowest       │ median        │ mean          │ samples │ iters
├─ slowish         2.074 ms      │ 2.093 ms      │ 2.084 ms      │ 2.083 ms      │ 10      │ 10
╰─ decode                        │               │               │               │         │
   ├─ ignored_any  0.239 ns      │ 6.013 ns      │ 0.271 ns      │ 0.883 ns      │ 10      │ 40960
   │               418.4 GB/s    │ 16.63 GB/s    │ 369 GB/s      │ 113.2 GB/s    │         │
   ├─ typed        700.4 ns      │ 2.724 µs      │ 936.4 ns      │ 1.255 µs      │ 10      │ 10
   ├─ value        300.5 µs      │ 1.748 ms      │ 327.4 µs      │ 574.7 µs      │ 10      │ 10
   ╰─ generic                    │               │               │               │         │
      ├─ u8        0.106 ns      │ 0.121 ns      │ 0.11 ns       │ 0.112 ns      │ 10      │ 40960
      ╰─ u64       0.099 ns      │ 0.124 ns      │ 0.113 ns      │ 0.113 ns      │ 10      │ 40960
";

    fn row(path: &[&str], median_ns: Option<f64>) -> Row {
        Row { path: path.iter().map(|s| (*s).to_owned()).collect(), median_ns }
    }

    #[test]
    fn parses_the_tree_and_the_median_column() {
        let rows = parse_divan(SAMPLE);
        assert_eq!(
            rows,
            vec![
                row(&["decode", "slowish"], Some(2_084_000.0)),
                row(&["decode", "decode"], None),
                row(&["decode", "decode", "ignored_any"], Some(0.271)),
                row(&["decode", "decode", "typed"], Some(936.4)),
                row(&["decode", "decode", "value"], Some(327_400.0)),
                row(&["decode", "decode", "generic"], None),
                row(&["decode", "decode", "generic", "u8"], Some(0.11)),
                row(&["decode", "decode", "generic", "u64"], Some(0.113)),
            ]
        );
    }

    #[test]
    fn prints_ratios_with_two_decimals() {
        let lines = ratio_lines(&parse_divan(SAMPLE), &DECODE).expect("ratios");
        // 936.4 / 0.271 = 3455.35…; 327400 / 936.4 = 349.636…
        assert_eq!(lines, ["decode/typed_vs_ignored_any 3455.35", "decode/value_vs_typed 349.64"]);
    }

    #[test]
    fn benches_at_the_top_of_the_decode_binary_are_found_too() {
        let output = "\
Timer precision: 20 ns
decode          fastest       │ slowest       │ median        │ mean          │ samples │ iters
├─ ignored_any  100 ns        │ 120 ns        │ 110 ns        │ 111 ns        │ 100     │ 3200
├─ typed        200 ns        │ 300 ns        │ 220 ns        │ 230 ns        │ 100     │ 1600
╰─ value        1 µs          │ 2 µs          │ 1.1 µs        │ 1.2 µs        │ 100     │ 400
";
        assert_eq!(
            ratio_lines(&parse_divan(output), &DECODE).expect("ratios"),
            ["decode/typed_vs_ignored_any 2.00", "decode/value_vs_typed 5.00"]
        );
    }

    #[test]
    fn colour_codes_are_ignored() {
        let output = "\
\u{1b}[1mdecode\u{1b}[0m          fastest       │ slowest       │ median        │ mean          │ samples │ iters
╰─ decode                     │               │               │               │         │
   ├─ ignored_any  \u{1b}[32m1 ns\u{1b}[0m │ 1 ns │ \u{1b}[32m1 ns\u{1b}[0m │ 1 ns │ 1 │ 1
";
        let rows = parse_divan(output);
        assert_eq!(rows[1], row(&["decode", "decode", "ignored_any"], Some(1.0)));
    }

    #[test]
    fn missing_or_grouped_rows_are_clear_errors() {
        let missing = ratio_lines(&[row(&["decode", "decode", "typed"], Some(1.0))], &DECODE).expect_err("missing");
        assert!(missing.to_string().starts_with("benchmark `decode/ignored_any` not found"), "{missing}");

        let grouped =
            ratio_lines(&[row(&["decode", "decode", "typed"], None), row(&["decode", "decode", "ignored_any"], Some(1.0))], &DECODE)
                .expect_err("group");
        assert!(grouped.to_string().starts_with("benchmark `decode/decode/typed` has no median"), "{grouped}");
    }

    #[test]
    fn the_permit_ratio() {
        // Real divan 0.1.21 output of the `permit` bench binary.
        let output = "\
Timer precision: 28 ns
permit            fastest       │ slowest       │ median        │ mean          │ samples │ iters
╰─ permit                       │               │               │               │         │
   ├─ caps_10     357.6 ns      │ 15.5 µs       │ 470.6 ns      │ 642.8 ns      │ 100     │ 100
   │              11.18 Mitem/s │ 258 Kitem/s   │ 8.499 Mitem/s │ 6.222 Mitem/s │         │
   ╰─ caps_10000  391.6 ns      │ 8.424 µs      │ 510.6 ns      │ 610.8 ns      │ 100     │ 100
                  10.21 Mitem/s │ 474.7 Kitem/s │ 7.833 Mitem/s │ 6.548 Mitem/s │         │
";
        // 510.6 / 470.6 = 1.085…
        assert_eq!(ratio_lines(&parse_divan(output), &PERMIT).expect("ratios"), ["permit/10000_vs_10 1.08"]);
    }

    #[test]
    fn durations_in_every_unit() {
        assert_eq!(parse_duration_ns("500 ps"), Some(0.5));
        assert_eq!(parse_duration_ns("12.5 ns"), Some(12.5));
        assert_eq!(parse_duration_ns("20.76 µs"), Some(20_760.0));
        assert_eq!(parse_duration_ns("3 us"), Some(3_000.0));
        assert_eq!(parse_duration_ns("2.084 ms"), Some(2_084_000.0));
        assert_eq!(parse_duration_ns("1.5 s"), Some(1.5e9));
        assert_eq!(parse_duration_ns("2 m"), Some(120e9));
        assert_eq!(parse_duration_ns("369 GB/s"), None);
        assert_eq!(parse_duration_ns(""), None);
    }
}
