//! `cargo xtask ci`: every check CI runs, in order, stopping at the first failure.

use std::path::Path;
use std::process::Command;

use crate::codegen;
use crate::util::{Error, Result, cargo, project_root, run as run_command};

/// The npm conformance project, relative to the project root.
const NPM_DIR: &str = "tests/npm";
/// The live scenarios, relative to [`NPM_DIR`]: every `*.mjs` file there but [`LIVE_HELPER`].
const LIVE_DIR: &str = "live";
/// The shared machinery of the live scenarios, not a scenario itself.
const LIVE_HELPER: &str = "bridge.mjs";
/// The oldest Node.js major version the npm conformance step supports.
const MIN_NODE_MAJOR: u32 = 20;

/// The crates published to crates.io, as `-p` arguments.
const PUBLISHED: [&str; 10] = [
    "-p",
    "matrix-widget-api",
    "-p",
    "matrix-widget-api-macros",
    "-p",
    "matrix-widget-api-host",
    "-p",
    "matrix-widget-api-widget",
    "-p",
    "matrix-widget-api-cli",
];

/// The files a published crate includes that are copies of a repository file, as
/// `(source, copy)`: a package cannot include a file outside its directory, so each crate
/// holds a copy, and the source is the one people edit. Copies rather than symlinks: a
/// checkout without symlink support (Git for Windows' default) turns a symlink into a text
/// file holding its target's path, which builds, packages and publishes without an error.
const COPIES: [(&str, &str); 7] = [
    // `lib.rs` includes both: the `wire_decisions` page and the README's doctests.
    ("docs/wire-decisions.md", "crates/matrix-widget-api/wire-decisions.md"),
    ("README.md", "crates/matrix-widget-api/README.md"),
    ("LICENSE", "crates/matrix-widget-api/LICENSE"),
    ("LICENSE", "crates/matrix-widget-api-macros/LICENSE"),
    ("LICENSE", "crates/matrix-widget-api-host/LICENSE"),
    ("LICENSE", "crates/matrix-widget-api-widget/LICENSE"),
    ("LICENSE", "crates/matrix-widget-api-cli/LICENSE"),
];

/// What one step does.
enum Action {
    /// `cargo <args>`.
    Cargo(&'static [&'static str]),
    /// `cargo <command> -p <each published crate> <args>`.
    Published { command: &'static str, args: &'static [&'static str] },
    /// Each of [`COPIES`] is byte for byte its source.
    Copies,
    /// `cargo doc` for the published crates, with rustdoc warnings (broken links) as errors:
    /// with every feature (what docs.rs shows), or with the default ones (what `cargo doc`
    /// shows a user).
    Doc { all_features: bool },
    /// `cargo xtask codegen --check`, called in-process.
    CodegenCheck,
    /// In `tests/npm/`: `npm ci`, `node capture.mjs --check`, `tsc --strict` over the typings and
    /// the type tests (`types/`), Ajv over every fixture and invalid example (`ajv.mjs`, with
    /// the Rust decoder's verdicts), and the packed package (`pack.mjs`).
    NpmConformance,
    /// Live conversations with the real matrix-widget-api (`tests/npm/live/`): builds the
    /// `widget-api` binary (`cargo build -p matrix-widget-api-cli`, in the target directory
    /// `cargo metadata` names, so `CARGO_TARGET_DIR` is honoured) and runs every scenario
    /// (each `live/*.mjs` but `bridge.mjs`) with `WIDGET_API_BIN` set to it. Needs the npm
    /// step's `node_modules` (runs `npm ci` itself when they are missing).
    LiveConformance,
    /// The permission engine against the real `ClientWidgetApi` (`tests/npm/permit.mjs`):
    /// the ignored differential test, which needs the npm step's `node_modules`.
    PermissionDifferential,
    /// `cargo xtask fuzz --smoke`, called in-process.
    FuzzSmoke,
}

/// One CI step: the name printed in its header and in failure messages, and what it does.
struct Step {
    name: &'static str,
    action: Action,
}

const STEPS: [Step; 14] = [
    Step { name: "cargo fmt --check", action: Action::Cargo(&["fmt", "--all", "--", "--check"]) },
    Step { name: "copies in the published crates", action: Action::Copies },
    Step {
        name: "cargo clippy",
        action: Action::Cargo(&["clippy", "--workspace", "--all-targets", "--all-features", "--", "-D", "warnings"]),
    },
    Step { name: "cargo test", action: Action::Cargo(&["test", "--workspace", "--all-features"]) },
    // What users get: the published crates alone, with their default features (the steps
    // above build the library with `schema`, which the xtask and the tests enable).
    Step {
        name: "cargo clippy (published crates, default features)",
        action: Action::Published { command: "clippy", args: &["--all-targets", "--", "-D", "warnings"] },
    },
    Step { name: "cargo test (published crates, default features)", action: Action::Published { command: "test", args: &[] } },
    Step { name: "cargo doc (all features)", action: Action::Doc { all_features: true } },
    Step { name: "cargo doc (default features)", action: Action::Doc { all_features: false } },
    // Packages and verifies (builds each package alone, from its `.crate`) the published
    // crates, dependencies from crates.io (the index is needed: no `--offline`).
    // `--allow-dirty` so that the step also runs before a commit; a fresh clone is clean.
    Step {
        name: "cargo package",
        action: Action::Cargo(&[
            "package",
            "--workspace",
            "--exclude",
            "matrix-widget-api-tests",
            "--exclude",
            "xtask",
            "--locked",
            "--allow-dirty",
        ]),
    },
    Step { name: "cargo xtask codegen --check", action: Action::CodegenCheck },
    Step { name: "npm conformance (tests/npm)", action: Action::NpmConformance },
    Step { name: "live conformance (tests/npm/live)", action: Action::LiveConformance },
    Step { name: "permission differential (tests/npm/permit.mjs)", action: Action::PermissionDifferential },
    Step { name: "cargo xtask fuzz --smoke", action: Action::FuzzSmoke },
];

/// The differential test, by its exact name in the `it` test binary.
const DIFFERENTIAL_TEST: &str = "permission_differential::differential_against_matrix_widget_api";

/// How a step ended, when it did not fail.
enum Outcome {
    Passed,
    Skipped,
}

/// `cargo xtask ci`.
pub(crate) fn run() -> Result<()> {
    let root = project_root();
    let mut passed = 0;
    for step in &STEPS {
        println!("==> {}", step.name);
        match run_step(&root, &step.action) {
            Ok(Outcome::Passed) => passed += 1,
            Ok(Outcome::Skipped) => {}
            Err(err) => {
                return Err(Error::msg(format!("ci: step `{}` failed:\n{err}", step.name)));
            }
        }
    }
    println!("ci: all {passed} steps passed");
    Ok(())
}

/// `cargo xtask npm`: only the npm conformance step.
pub(crate) fn run_npm() -> Result<()> {
    match npm_conformance(&project_root().join(NPM_DIR))? {
        Outcome::Passed => println!("npm: passed"),
        Outcome::Skipped => {}
    }
    Ok(())
}

/// `cargo xtask live`: only the live conformance step.
pub(crate) fn run_live() -> Result<()> {
    match live_conformance(&project_root())? {
        Outcome::Passed => println!("live: passed"),
        Outcome::Skipped => {}
    }
    Ok(())
}

fn run_step(root: &Path, action: &Action) -> Result<Outcome> {
    match action {
        Action::Doc { all_features } => {
            let mut command = Command::new(cargo());
            command.current_dir(root).env("RUSTDOCFLAGS", "-D warnings").args(["doc", "--no-deps"]).args(PUBLISHED);
            if *all_features {
                command.arg("--all-features");
            }
            run_command(&mut command)?;
        }
        Action::Cargo(args) => {
            run_command(Command::new(cargo()).current_dir(root).args(*args))?;
        }
        Action::Published { command, args } => {
            run_command(Command::new(cargo()).current_dir(root).arg(command).args(PUBLISHED).args(*args))?;
        }
        Action::Copies => check_copies(root, &COPIES)?,
        Action::CodegenCheck => codegen::run(true)?,
        Action::NpmConformance => return npm_conformance(&root.join(NPM_DIR)),
        Action::LiveConformance => return live_conformance(root),
        Action::PermissionDifferential => {
            // Never skipped: without Node.js this fails, saying what is missing.
            check_node_and_npm(program("node"), program("npm"))?;
            run_command(Command::new(cargo()).current_dir(root).args([
                "test",
                "-p",
                "matrix-widget-api-tests",
                "--all-features",
                "--test",
                "it",
                "--",
                "--ignored",
                "--exact",
                DIFFERENTIAL_TEST,
                "--nocapture",
            ]))?;
        }
        Action::FuzzSmoke => crate::fuzz::run(&["--smoke".to_owned()])?,
    }
    Ok(Outcome::Passed)
}

/// Fails, naming every stale or missing copy, unless each `(source, copy)` of `copies` (paths
/// relative to `root`) holds the same bytes.
fn check_copies(root: &Path, copies: &[(&str, &str)]) -> Result<()> {
    let read = |path: &str| std::fs::read(root.join(path)).map_err(|err| format!("cannot read {path}: {err}"));
    let mut problems = Vec::new();
    for &(source, copy) in copies {
        match (read(source), read(copy)) {
            (Ok(a), Ok(b)) if a == b => {}
            (Ok(_), Ok(_)) => problems.push(format!("{copy} differs from {source}: edit {source}, then `cp {source} {copy}`")),
            (Err(err), _) | (_, Err(err)) => problems.push(err),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::msg(format!("the published crates' copies are out of date:\n  {}", problems.join("\n  "))))
    }
}

fn npm_conformance(dir: &Path) -> Result<Outcome> {
    if !dir.join("package.json").is_file() {
        println!("note: skipping the npm conformance step: {NPM_DIR}/package.json does not exist");
        return Ok(Outcome::Skipped);
    }
    let node = program("node");
    let npm = program("npm");
    check_node_and_npm(node, npm)?;
    run_command(Command::new(npm).current_dir(dir).args(["ci", "--no-audit", "--no-fund"]))?;
    run_command(Command::new(node).current_dir(dir).args(["capture.mjs", "--check"]))?;
    let tsc = "node_modules/typescript/bin/tsc";
    // The generated typings compile under `strict`, alone and with the type tests
    // (narrowing, `@ts-expect-error` cases, assignability to matrix-widget-api's interfaces).
    run_command(Command::new(node).current_dir(dir).args([tsc, "--noEmit", "--strict", "../../schemas/widget-api.d.ts"]))?;
    run_command(Command::new(node).current_dir(dir).args([tsc, "-p", "types"]))?;
    // Ajv gives every fixture the Rust decoder's verdict.
    let verdicts = std::env::temp_dir().join(format!("xtask-ci-verdicts-{}.json", std::process::id()));
    std::fs::write(&verdicts, fixture_verdicts(&dir.join("../fixtures"))?)
        .map_err(|err| Error::msg(format!("cannot write {}: {err}", verdicts.display())))?;
    let ajv = run_command(Command::new(node).current_dir(dir).arg("ajv.mjs").arg("--verdicts").arg(&verdicts));
    let _ = std::fs::remove_file(&verdicts);
    ajv?;
    run_command(Command::new(node).current_dir(dir).arg("pack.mjs"))?;
    Ok(Outcome::Passed)
}

/// Builds `widget-api` and runs every live scenario with it; all run, then the failures
/// are named together.
fn live_conformance(root: &Path) -> Result<Outcome> {
    let dir = root.join(NPM_DIR);
    if !dir.join("package.json").is_file() {
        println!("note: skipping the live conformance step: {NPM_DIR}/package.json does not exist");
        return Ok(Outcome::Skipped);
    }
    let scenarios = live_scenarios(&dir.join(LIVE_DIR))?;
    if scenarios.is_empty() {
        return Err(Error::msg(format!("no live scenario in {NPM_DIR}/{LIVE_DIR}")));
    }
    let (node, npm) = (program("node"), program("npm"));
    check_node_and_npm(node, npm)?;
    if !dir.join("node_modules/matrix-js-sdk/package.json").is_file() {
        run_command(Command::new(npm).current_dir(&dir).args(["ci", "--no-audit", "--no-fund"]))?;
    }
    run_command(Command::new(cargo()).current_dir(root).args(["build", "-p", "matrix-widget-api-cli"]))?;
    let binary = target_directory(root)?.join("debug").join(format!("widget-api{}", std::env::consts::EXE_SUFFIX));
    if !binary.is_file() {
        return Err(Error::msg(format!("`cargo build -p matrix-widget-api-cli` made no {}", binary.display())));
    }
    let mut failed = Vec::new();
    for scenario in &scenarios {
        let path = format!("{LIVE_DIR}/{scenario}");
        println!("--> node {path}");
        if let Err(err) = run_command(Command::new(node).current_dir(&dir).arg(&path).env("WIDGET_API_BIN", &binary)) {
            failed.push(format!("{path}: {err}"));
        }
    }
    if failed.is_empty() {
        Ok(Outcome::Passed)
    } else {
        Err(Error::msg(format!("live scenarios failed (their transcripts are above):\n  {}", failed.join("\n  "))))
    }
}

/// The scenario files of `dir`: every `*.mjs` but [`LIVE_HELPER`], sorted, so that a new
/// scenario runs without editing the step.
fn live_scenarios(dir: &Path) -> Result<Vec<String>> {
    let entries = std::fs::read_dir(dir).map_err(|err| Error::msg(format!("cannot list {}: {err}", dir.display())))?;
    let mut names: Vec<String> = entries
        .filter_map(std::result::Result::ok)
        .filter(|entry| entry.path().is_file())
        .filter_map(|entry| entry.file_name().to_str().map(str::to_owned))
        .filter(|name| name.ends_with(".mjs") && name != LIVE_HELPER)
        .collect();
    names.sort();
    Ok(names)
}

/// The workspace's target directory, as cargo resolves it (`CARGO_TARGET_DIR`, config, or
/// `target/`).
fn target_directory(root: &Path) -> Result<std::path::PathBuf> {
    let output = Command::new(cargo())
        .current_dir(root)
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .output()
        .map_err(|err| Error::msg(format!("cannot run `cargo metadata`: {err}")))?;
    if !output.status.success() {
        return Err(Error::msg(format!("`cargo metadata` failed: {}", String::from_utf8_lossy(&output.stderr))));
    }
    let metadata: serde_json::Value =
        serde_json::from_slice(&output.stdout).map_err(|err| Error::msg(format!("`cargo metadata` printed no JSON: {err}")))?;
    metadata["target_directory"]
        .as_str()
        .map(std::path::PathBuf::from)
        .ok_or_else(|| Error::msg("`cargo metadata` names no target_directory"))
}

/// `[{"file": "<path under fixtures/>", "decodes": bool}, …]` for every `*.json` fixture under
/// `fixtures` (recursively, `MANIFEST.json` excepted), decoded by the Rust decoder.
fn fixture_verdicts(fixtures: &Path) -> Result<String> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<serde_json::Value>) -> Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .map_err(|err| Error::msg(format!("cannot list {}: {err}", dir.display())))?
            .filter_map(std::result::Result::ok)
            .map(|entry| entry.path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, root, out)?;
            } else if path.extension().is_some_and(|ext| ext == "json") && !path.ends_with("MANIFEST.json") {
                let text = std::fs::read_to_string(&path).map_err(|err| Error::msg(format!("cannot read {}: {err}", path.display())))?;
                let file = path
                    .strip_prefix(root)
                    .unwrap_or(&path)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push(serde_json::json!({ "file": file, "decodes": matrix_widget_api::decode(&text).is_ok() }));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(fixtures, fixtures, &mut out)?;
    Ok(serde_json::Value::Array(out).to_string())
}

/// The executable name of a Node.js tool (`npm` is a batch file on Windows).
fn program(name: &'static str) -> &'static str {
    match (cfg!(windows), name) {
        (true, "npm") => "npm.cmd",
        _ => name,
    }
}

fn check_node_and_npm(node: &str, npm: &str) -> Result<()> {
    let requirement = || {
        format!(
            "Node.js >= {MIN_NODE_MAJOR} and npm are required for the npm conformance step \
             ({NPM_DIR}/package.json exists)"
        )
    };
    let node_version = version_of(node).ok_or_else(|| Error::msg(format!("{}: `{node}` was not found", requirement())))?;
    match node_major(&node_version) {
        Some(major) if major >= MIN_NODE_MAJOR => {}
        _ => {
            return Err(Error::msg(format!("{}: found node {node_version}", requirement())));
        }
    }
    version_of(npm).ok_or_else(|| Error::msg(format!("{}: `{npm}` was not found", requirement())))?;
    Ok(())
}

/// `<program> --version`, trimmed, or `None` when it cannot be run or fails.
fn version_of(program: &str) -> Option<String> {
    let output = Command::new(program).arg("--version").output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// `v20.20.2` → `20`.
fn node_major(version: &str) -> Option<u32> {
    version.trim().trim_start_matches('v').split('.').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_versions() {
        assert_eq!(node_major("v20.20.2"), Some(20));
        assert_eq!(node_major("v18.0.0\n"), Some(18));
        assert_eq!(node_major("22.1.0"), Some(22));
        assert_eq!(node_major("garbage"), None);
    }

    #[test]
    fn missing_node_is_a_clear_error() {
        let err = check_node_and_npm("definitely-not-node-xtask", "npm").expect_err("missing");
        assert_eq!(
            err.to_string(),
            "Node.js >= 20 and npm are required for the npm conformance step \
             (tests/npm/package.json exists): `definitely-not-node-xtask` was not found"
        );
    }

    #[test]
    fn npm_step_is_skipped_without_package_json() {
        let dir = std::env::temp_dir().join(format!("xtask-ci-npm-{}", std::process::id()));
        let outcome = npm_conformance(&dir).expect("skip");
        assert!(matches!(outcome, Outcome::Skipped));
    }

    #[test]
    fn verdicts_cover_nested_fixtures() {
        let dir = crate::util::temp_dir("ci-verdicts");
        std::fs::create_dir_all(dir.join("a/b")).expect("mkdir");
        std::fs::write(dir.join("a/b/ok.json"), r#"{"api":"fromWidget","widgetId":"w","requestId":"r","action":"x","data":{}}"#)
            .expect("write");
        std::fs::write(dir.join("a/bad.json"), "{}").expect("write");
        std::fs::write(dir.join("a/MANIFEST.json"), "[]").expect("write");
        let verdicts = fixture_verdicts(&dir).expect("verdicts");
        assert_eq!(verdicts, r#"[{"decodes":true,"file":"a/b/ok.json"},{"decodes":false,"file":"a/bad.json"}]"#);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_published_copies_are_up_to_date() {
        // `cargo test --workspace` catches a stale copy before CI does.
        check_copies(&project_root(), &COPIES).expect("copies");
    }

    #[test]
    fn a_stale_or_missing_copy_is_named() {
        let dir = crate::util::temp_dir("ci-copies");
        std::fs::create_dir_all(dir.join("crate")).expect("mkdir");
        std::fs::write(dir.join("LICENSE"), "text").expect("write");
        std::fs::write(dir.join("crate/LICENSE"), "text").expect("write");
        check_copies(&dir, &[("LICENSE", "crate/LICENSE")]).expect("identical");
        std::fs::write(dir.join("crate/LICENSE"), "old text").expect("write");
        let err = check_copies(&dir, &[("LICENSE", "crate/LICENSE"), ("LICENSE", "other/LICENSE")]).expect_err("stale");
        let err = err.to_string();
        assert!(err.contains("crate/LICENSE differs from LICENSE: edit LICENSE, then `cp LICENSE crate/LICENSE`"), "{err}");
        assert!(err.contains("cannot read other/LICENSE"), "{err}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn every_live_file_but_the_bridge_is_a_scenario() {
        let dir = crate::util::temp_dir("ci-live");
        for name in ["widget.mjs", "bridge.mjs", "host.mjs", "README.md", "call.mjs"] {
            std::fs::write(dir.join(name), "").expect("write");
        }
        std::fs::create_dir_all(dir.join("sub.mjs")).expect("mkdir");
        assert_eq!(live_scenarios(&dir).expect("list"), ["call.mjs", "host.mjs", "widget.mjs"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_repository_has_live_scenarios() {
        let scenarios = live_scenarios(&project_root().join(NPM_DIR).join(LIVE_DIR)).expect("list");
        assert!(scenarios.iter().any(|s| s == "host.mjs") && scenarios.iter().any(|s| s == "call.mjs"), "{scenarios:?}");
    }

    #[test]
    fn steps_run_in_the_documented_order() {
        let names: Vec<_> = STEPS.iter().map(|step| step.name).collect();
        assert_eq!(
            names,
            [
                "cargo fmt --check",
                "copies in the published crates",
                "cargo clippy",
                "cargo test",
                "cargo clippy (published crates, default features)",
                "cargo test (published crates, default features)",
                "cargo doc (all features)",
                "cargo doc (default features)",
                "cargo package",
                "cargo xtask codegen --check",
                "npm conformance (tests/npm)",
                "live conformance (tests/npm/live)",
                "permission differential (tests/npm/permit.mjs)",
                "cargo xtask fuzz --smoke",
            ]
        );
    }
}
