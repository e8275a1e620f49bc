//! The project's docs stand on their own: nothing the repository publishes (code, docs,
//! schemas, typings, the npm harness) cites a document outside it, such as the catalogue the
//! project started from, by section number or name. The wire decisions the code cites by
//! number live in `docs/wire-decisions.md`, numbered as cited.

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !matches!(name.as_str(), "target" | "node_modules" | ".git" | "golden" | "corpus" | "artifacts") {
                files(&path, out);
            }
        } else if ["rs", "md", "json", "ts", "mjs", "toml", "stderr"].iter().any(|e| name.ends_with(&format!(".{e}"))) {
            out.push(path);
        }
    }
}

#[test]
fn nothing_cites_a_document_outside_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace root").to_path_buf();
    let mut all = Vec::new();
    for dir in ["crates", "docs", "schemas", "xtask", "tests", "fuzz"] {
        files(&root.join(dir), &mut all);
    }
    all.push(root.join("README.md"));
    all.push(root.join("ARCHITECTURE.md"));
    assert!(all.len() > 100, "found only {} files", all.len());
    let this = Path::new(file!()).file_name().expect("file name").to_owned();
    let mut offenders = Vec::new();
    for path in &all {
        if path.file_name() == Some(this.as_os_str()) {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        for (n, line) in text.lines().enumerate() {
            if line.contains('§') || line.to_lowercase().contains("catalogue") {
                offenders.push(format!("{}:{}: {}", path.strip_prefix(&root).unwrap_or(path).display(), n + 1, line.trim()));
            }
        }
    }
    assert!(offenders.is_empty(), "these lines cite a document outside the repository:\n{}", offenders.join("\n"));
}

#[test]
fn every_cited_wire_decision_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the workspace root").to_path_buf();
    let decisions = std::fs::read_to_string(root.join("docs/wire-decisions.md")).expect("docs/wire-decisions.md");
    let headings: Vec<String> =
        decisions.lines().filter_map(|l| l.strip_prefix("### ")).filter_map(|h| h.split_once(". ").map(|(n, _)| n.to_owned())).collect();
    assert!(headings.len() >= 32, "{headings:?}");
    let mut all = Vec::new();
    for dir in ["crates", "tests/it", "xtask"] {
        files(&root.join(dir), &mut all);
    }
    let mut cited = 0;
    for path in &all {
        let Ok(text) = std::fs::read_to_string(path) else { continue };
        let mut rest = text.as_str();
        while let Some(i) = rest.find("wire decision") {
            rest = &rest[i + "wire decision".len()..];
            let rest_trim = rest.trim_start_matches(['s', ' ']);
            let number: String = rest_trim.chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
            if number.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                cited += 1;
                assert!(headings.contains(&number), "{} cites wire decision {number}, which does not exist", path.display());
            }
        }
    }
    assert!(cited > 30, "only {cited} citations found");
}
