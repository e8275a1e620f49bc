//! `cargo xtask bench [--decode] [--instructions] [-- <args>]`: runs the divan benchmarks
//! (`decode` and `heap` in the protocol crate, `permit` and `session` in the host crate) and
//! prints, last, one line per figure, `NAME VALUE`:
//!
//! ```text
//! decode/typed_vs_ignored_any 1.43
//! decode/any_role_vs_ignored_any 1.51
//! decode/value_vs_typed 3.10
//! decode/tagged_enum_vs_typed 4.20
//! encode/value_vs_typed 1.10
//! reply/value_vs_typed 6.00
//! permit/10000_vs_10 1.02
//! decode/heap_bytes_per_input_byte 1.40
//! session/renegotiate_16000_vs_1000 …
//! session/process_vs_decode …
//! ```
//!
//! Each ratio divides two medians of the same run; the heap figure is the bytes a typed decode
//! of the corpus allocates (divan's `AllocProfiler`, in the `heap` binary: `alloc` plus what
//! `realloc` grew) divided by the corpus's size. `--decode` runs the protocol crate's benchmarks only. `--instructions`
//! replaces the timings of the `decode` binary (the decode, encode and reply ratios) by
//! callgrind instruction counts (`instructions.rs`), which are repeatable where wall-clock
//! ratios on a shared machine are not.
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

/// The ratios of one bench binary: (label, numerator row, denominator row) for each, rows
/// named `group/name`.
pub(crate) struct Ratios {
    lines: &'static [(&'static str, &'static str, &'static str)],
}

impl Ratios {
    /// (label, numerator row, denominator row) for each figure.
    pub(crate) fn lines(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        self.lines
    }
}

/// Decoding against the `IgnoredAny` floor and against the alternatives; encoding and
/// replying against doing the same with `serde_json::Value`. The label names the figure
/// (contract), the rows are `group/name` in the `decode` binary.
pub(crate) const DECODE: Ratios = Ratios {
    lines: &[
        ("decode/typed_vs_ignored_any", "decode/typed", "decode/ignored_any"),
        ("decode/any_role_vs_ignored_any", "decode/typed_any_role", "decode/ignored_any"),
        ("decode/value_vs_typed", "decode/value", "decode/typed"),
        ("decode/tagged_enum_vs_typed", "decode/tagged_enum", "decode/typed"),
        ("encode/value_vs_typed", "encode/value", "encode/typed"),
        ("reply/value_vs_typed", "reply/value", "reply/typed"),
    ],
};

/// The permission engine: a check with 10,000 approved capabilities against one with 10.
pub(crate) const PERMIT: Ratios = Ratios { lines: &[("permit/10000_vs_10", "permit/caps_10000", "permit/caps_10")] };

pub(crate) const SESSION: Ratios = Ratios {
    lines: &[
        ("session/renegotiate_16000_vs_1000", "session/renegotiate_16000", "session/renegotiate_1000"),
        ("session/process_vs_decode", "session/process", "session/decode"),
    ],
};

/// The heap figure's label and the `heap` binary's row it reads.
const HEAP: (&str, &str) = ("decode/heap_bytes_per_input_byte", "heap/typed");

/// What `cargo xtask bench` was asked for.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Options {
    /// The protocol crate's benchmarks only.
    decode_only: bool,
    /// The decode figures in callgrind instructions.
    instructions: bool,
    /// Forwarded to the divan binaries.
    divan_args: Vec<String>,
}

impl Options {
    pub(crate) fn parse(args: &[String]) -> Result<Self> {
        let mut options = Options::default();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--decode" => options.decode_only = true,
                "--instructions" => options.instructions = true,
                "--" => options.divan_args.extend(args.by_ref().cloned()),
                other => {
                    return Err(Error::msg(format!(
                        "unknown bench argument `{other}` (expected --decode, --instructions, or -- <divan args>)"
                    )));
                }
            }
        }
        Ok(options)
    }
}

/// `cargo xtask bench [--decode] [--instructions] [-- <args>]`.
pub(crate) fn run(args: &[String]) -> Result<()> {
    let options = Options::parse(args)?;
    let mut lines = Vec::new();
    if options.instructions {
        lines.extend(crate::instructions::decode_lines()?);
    } else {
        let output = run_divan("matrix-widget-api", "decode", &options.divan_args)?;
        lines.extend(ratio_lines(&parse_divan(&output), &DECODE)?);
    }
    if !options.decode_only {
        let output = run_divan("matrix-widget-api-host", "permit", &options.divan_args)?;
        lines.extend(ratio_lines(&parse_divan(&output), &PERMIT)?);
    }
    let output = run_divan("matrix-widget-api", "heap", &options.divan_args)?;
    lines.push(heap_line(&output)?);
    if !options.decode_only {
        let output = run_divan("matrix-widget-api-host", "session", &options.divan_args)?;
        let mut session = ratio_lines(&parse_divan(&output), &SESSION)?;
        if options.instructions {
            // Renegotiation is a question of linearity: instructions answer it repeatably.
            let counted = crate::instructions::renegotiation_line()?;
            for line in &mut session {
                if line.starts_with("session/renegotiate_16000_vs_1000 ") {
                    line.clone_from(&counted);
                }
            }
        }
        lines.extend(session);
    }
    println!();
    for line in lines {
        println!("{line}");
    }
    Ok(())
}

/// Runs one divan bench binary through `cargo bench`, echoing and returning its stdout.
fn run_divan(package: &str, target: &str, args: &[String]) -> Result<String> {
    let mut command = Command::new(cargo());
    command.current_dir(project_root()).args(["bench", "-p", package, "--bench", target]);
    if !args.is_empty() {
        command.arg("--").args(args);
    }
    run_teeing_stdout(&mut command)
}

/// `decode/heap_bytes_per_input_byte`: the median bytes allocated per iteration of
/// `heap/typed` over the corpus's size (the `corpus: N messages, M bytes` line).
pub(crate) fn heap_line(output: &str) -> Result<String> {
    let corpus = output
        .lines()
        .find_map(|line| line.strip_prefix("corpus: "))
        .and_then(|rest| rest.split(", ").nth(1))
        .and_then(|bytes| bytes.strip_suffix(" bytes"))
        .and_then(|bytes| bytes.parse::<f64>().ok())
        .ok_or_else(|| Error::msg("the heap benchmark printed no `corpus: N messages, M bytes` line"))?;
    // Bytes handed out by `alloc` plus what `realloc` grew blocks by.
    let allocated = alloc_bytes(output, HEAP.1, "alloc:")? + alloc_bytes(output, HEAP.1, "grow:").unwrap_or(0.0);
    if corpus <= 0.0 {
        return Err(Error::msg("the corpus is empty"));
    }
    Ok(format!("{} {:.2}", HEAP.0, allocated / corpus))
}

/// The median of divan's bytes line of `what` (`alloc:`, `grow:`) under the row `group/name`.
fn alloc_bytes(output: &str, row: &str, what: &str) -> Result<f64> {
    let (group, name) = row.split_once('/').unwrap_or(("", row));
    let mut in_group = false;
    let mut in_row = false;
    let mut lines = output.lines().map(strip_ansi);
    let mut median_cell = None;
    while let Some(line) = lines.next() {
        if let Some(table) = Table::from_header(&line) {
            median_cell = Some(table.median_cell);
            continue;
        }
        let (prefix, rest) = split_tree_prefix(&line);
        let trimmed = rest.split('│').next().unwrap_or_default().trim();
        if prefix.contains("├─") || prefix.contains("╰─") {
            let label = trimmed.split("  ").next().unwrap_or_default().trim();
            in_group |= label == group;
            in_row = label != group && in_group && label == name;
            continue;
        }
        if in_row && trimmed == what {
            // The count line, then the bytes line.
            let _count = lines.next();
            let bytes = lines.next().unwrap_or_default();
            let cell = median_cell.and_then(|i| split_tree_prefix(&bytes).1.split('│').nth(i)).unwrap_or_default().trim().to_owned();
            return parse_bytes(&cell).ok_or_else(|| Error::msg(format!("cannot read divan's allocated bytes `{cell}` for `{row}`")));
        }
    }
    Err(Error::msg(format!("no `{what}` lines for `{row}` in divan's output (is divan's AllocProfiler installed?)")))
}

/// `"352.4 KB"` → `352400.0`; divan's units are decimal: `B`, `KB`, `MB`, `GB`, `TB`.
pub(crate) fn parse_bytes(text: &str) -> Option<f64> {
    let (number, unit) = text.split_once(' ')?;
    let number: f64 = number.trim().parse().ok()?;
    let scale = match unit.trim() {
        "B" => 1.0,
        "KB" => 1e3,
        "MB" => 1e6,
        "GB" => 1e9,
        "TB" => 1e12,
        _ => return None,
    };
    Some(number * scale)
}

/// Runs `command`, copying its stdout to ours line by line while keeping it, and fails
/// unless it exits successfully. Stderr (cargo's progress) is inherited.
pub(crate) fn run_teeing_stdout(command: &mut Command) -> Result<String> {
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
        let (prefix, rest) = split_tree_prefix(&line);
        // Counter lines (throughput under a row) and anything else carry no tree marker.
        if !(prefix.contains("├─") || prefix.contains("╰─")) {
            continue;
        }
        // Split after the tree drawing, whose `│` are not cell separators: the cells then
        // line up with the header's (name and fastest, slowest, median, …).
        let cells: Vec<&str> = rest.split('│').collect();
        let prefix_len = prefix.chars().count();
        // The name column is padded to the longest name plus at least two spaces.
        let name = cells.first().copied().unwrap_or_default().split("  ").next().unwrap_or_default().trim().to_owned();
        stack.truncate((prefix_len / 3).saturating_sub(1));
        stack.push(name);
        let median_ns = cells.get(table.median_cell).and_then(|cell| parse_duration_ns(cell.trim()));
        let mut path = vec![table.root.clone()];
        path.extend(stack.iter().cloned());
        rows.push(Row { path, median_ns });
    }
    rows
}

/// A line's leading tree drawing (spaces, `│`, `├`, `╰`, `─`) and the rest.
fn split_tree_prefix(line: &str) -> (&str, &str) {
    let at = line.find(|ch: char| !matches!(ch, ' ' | '│' | '├' | '╰' | '─')).unwrap_or(line.len());
    line.split_at(at)
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

/// The median of the row `group/name`, found by path suffix.
fn median(rows: &[Row], row: &str) -> Result<f64> {
    let (group, name) = row.split_once('/').unwrap_or(("", row));
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
    ratios
        .lines
        .iter()
        .map(|(label, numerator, denominator)| {
            let top = median(rows, numerator)?;
            let bottom = median(rows, denominator)?;
            if bottom <= 0.0 {
                return Err(Error::msg(format!("benchmark `{denominator}` has a median of zero; cannot compute {label}")));
            }
            Ok(format!("{label} {:.2}", top / bottom))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two of the decode ratios, as the samples below hold only their rows.
    const TWO: Ratios = Ratios {
        lines: &[
            ("decode/typed_vs_ignored_any", "decode/typed", "decode/ignored_any"),
            ("decode/value_vs_typed", "decode/value", "decode/typed"),
        ],
    };

    /// Real divan 0.1.21 output of the `heap` binary (with `AllocProfiler`).
    const HEAP_SAMPLE: &str = "\
corpus: 509 messages, 129740 bytes
Timer precision: 20 ns
heap         fastest       │ slowest       │ median        │ mean          │ samples │ iters
╰─ heap                    │               │               │               │         │
   ╰─ typed  431.4 µs      │ 8.552 ms      │ 725 µs        │ 1.022 ms      │ 100     │ 100
             max alloc:    │               │               │               │         │
               27          │ 27            │ 27            │ 27            │         │
               7.627 KB    │ 7.627 KB      │ 7.627 KB      │ 7.627 KB      │         │
             alloc:        │               │               │               │         │
               3528        │ 3528          │ 3528          │ 3528          │         │
               352.4 KB    │ 352.4 KB      │ 300.1 KB      │ 352.4 KB      │         │
             dealloc:      │               │               │               │         │
               3528        │ 3528          │ 3528          │ 3528          │         │
               373.2 KB    │ 373.2 KB      │ 373.2 KB      │ 373.2 KB      │         │
             grow:         │               │               │               │         │
               34          │ 34            │ 34            │ 34            │         │
               20.86 KB    │ 20.86 KB      │ 20 KB         │ 20.86 KB      │         │
";

    /// Real divan 0.1.21 output of the `decode` binary: three groups, so the rows of the first
    /// two start with the `│` of the tree.
    const GROUPS_SAMPLE: &str = "\
decode                fastest       │ slowest       │ median        │ mean          │ samples │ iters
├─ decode                           │               │               │               │         │
│  ├─ ignored_any     108.4 µs      │ 200.8 µs      │ 114.2 µs      │ 120.1 µs      │ 100     │ 100
│  │                  1.196 GB/s    │ 646 MB/s      │ 1.135 GB/s    │ 1.08 GB/s     │         │
│  ├─ tagged_enum     946.4 µs      │ 1.725 ms      │ 1.196 ms      │ 1.2 ms        │ 100     │ 100
│  ├─ typed           386.5 µs      │ 790.4 µs      │ 619 µs        │ 600 µs        │ 100     │ 100
│  ├─ typed_any_role  400.8 µs      │ 878.1 µs      │ 545 µs        │ 560 µs        │ 100     │ 100
│  ╰─ value           661.2 µs      │ 1.11 ms       │ 730.5 µs      │ 777.9 µs      │ 100     │ 100
├─ encode                           │               │               │               │         │
│  ├─ typed           148.2 µs      │ 335.2 µs      │ 186.9 µs      │ 202.3 µs      │ 100     │ 100
│  ╰─ value           165.1 µs      │ 363.9 µs      │ 181.6 µs      │ 205 µs        │ 100     │ 100
╰─ reply                            │               │               │               │         │
   ├─ typed           37.71 µs      │ 100.6 µs      │ 38.46 µs      │ 39.54 µs      │ 100     │ 100
   ╰─ value           329.1 µs      │ 651.8 µs      │ 369.7 µs      │ 429.4 µs      │ 100     │ 100
";

    #[test]
    fn every_decode_figure_from_a_tree_of_groups() {
        assert_eq!(
            ratio_lines(&parse_divan(GROUPS_SAMPLE), &DECODE).expect("ratios"),
            [
                // 619 / 114.2, 545 / 114.2, 730.5 / 619, 1196 / 619, 181.6 / 186.9, 369.7 / 38.46
                "decode/typed_vs_ignored_any 5.42",
                "decode/any_role_vs_ignored_any 4.77",
                "decode/value_vs_typed 1.18",
                "decode/tagged_enum_vs_typed 1.93",
                "encode/value_vs_typed 0.97",
                "reply/value_vs_typed 9.61",
            ]
        );
    }

    #[test]
    fn the_heap_figure_reads_the_median_alloc_bytes_over_the_corpus() {
        // (300100 + 20000) / 129740 = 2.467…
        assert_eq!(heap_line(HEAP_SAMPLE).expect("heap"), "decode/heap_bytes_per_input_byte 2.47");
        let without_corpus = HEAP_SAMPLE.replacen("corpus: 509 messages, 129740 bytes", "", 1);
        assert!(heap_line(&without_corpus).is_err());
        let without_alloc = HEAP_SAMPLE.replace("alloc:", "other:");
        assert!(heap_line(&without_alloc).expect_err("no alloc").to_string().contains("no `alloc:` lines"));
    }

    #[test]
    fn bytes_in_every_unit() {
        assert_eq!(parse_bytes("12 B"), Some(12.0));
        assert_eq!(parse_bytes("7.627 KB"), Some(7627.0));
        assert_eq!(parse_bytes("1.5 MB"), Some(1.5e6));
        assert_eq!(parse_bytes("1 GB"), Some(1e9));
        assert_eq!(parse_bytes("12"), None);
        assert_eq!(parse_bytes("12 ns"), None);
    }

    #[test]
    fn options() {
        let args = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(Options::parse(&[]).expect("none"), Options::default());
        let all = Options::parse(&args(&["--decode", "--instructions", "--", "--sample-count", "5"])).expect("all");
        assert!(all.decode_only && all.instructions);
        assert_eq!(all.divan_args, ["--sample-count", "5"]);
        assert!(Options::parse(&args(&["--fast"])).is_err());
    }

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
        let lines = ratio_lines(&parse_divan(SAMPLE), &TWO).expect("ratios");
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
            ratio_lines(&parse_divan(output), &TWO).expect("ratios"),
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
        let missing = ratio_lines(&[row(&["decode", "decode", "typed"], Some(1.0))], &TWO).expect_err("missing");
        assert!(missing.to_string().starts_with("benchmark `decode/ignored_any` not found"), "{missing}");

        let grouped = ratio_lines(&[row(&["decode", "decode", "typed"], None), row(&["decode", "decode", "ignored_any"], Some(1.0))], &TWO)
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
