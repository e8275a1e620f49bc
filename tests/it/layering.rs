//! The library's module graph has no circles: a module reaches the vocabulary it builds on,
//! never the modules built on it. Edges are read from the sources (`crate::…` paths outside
//! comments, the root re-exports resolved to their modules), one node per file; a module and
//! its own submodules reach each other through `super::`/`self::`, which is not counted.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every `.rs` file under `dir`, with its module path (`decode`, `decode::finish`).
fn sources(dir: &Path, parent: Option<&str>, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("src").flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let stem = path.file_stem().expect("a name").to_string_lossy().into_owned();
        let module = parent.map_or(stem.clone(), |p| format!("{p}::{stem}"));
        if path.is_dir() {
            sources(&path, Some(&module), out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push((module, std::fs::read_to_string(&path).expect("UTF-8 source")));
        }
    }
}

/// `crate::name` paths in code (not in comments or strings of docs).
fn crate_paths(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for line in text.lines().map(str::trim_start).filter(|l| !l.starts_with("//")) {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().last();
            rest = &rest[at + "crate::".len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue; // `$crate::` or another path segment
            }
            // Up to two segments: `decode`, or `decode::finish` when that is a file.
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
            let name = name.split("::").take(2).collect::<Vec<_>>().join("::");
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

#[test]
fn the_library_module_graph_has_no_circles() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/matrix-widget-api/src");
    let mut files = Vec::new();
    sources(&src, None, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|(m, _)| m.clone()).filter(|m| m != "lib").collect();
    // The root re-exports: item name → the module that defines it.
    let lib = std::fs::read_to_string(src.join("lib.rs")).expect("lib.rs");
    let mut reexports = BTreeMap::new();
    for statement in lib.split(';').map(str::trim).filter_map(|s| s.rsplit_once("pub use ").map(|(_, rest)| rest)) {
        let Some((module, items)) = statement.split_once("::") else { continue };
        for item in items.split(|c: char| !(c.is_alphanumeric() || c == '_')).filter(|i| !i.is_empty()) {
            reexports.entry(item.to_owned()).or_insert_with(|| module.to_owned());
        }
    }
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, text) in files.iter().filter(|(m, _)| m != "lib" && m != "private") {
        for name in crate_paths(text) {
            let first = name.split("::").next().unwrap_or_default().to_owned();
            let target = if modules.contains(&name) {
                Some(name)
            } else if modules.contains(&first) {
                Some(first)
            } else {
                reexports.get(&first).cloned()
            };
            // A module and its own submodules are one unit.
            let related = |t: &String| t == module || module.starts_with(&format!("{t}::")) || t.starts_with(&format!("{module}::"));
            if let Some(target) = target.filter(|t| !related(t) && t != "private") {
                edges.entry(module.clone()).or_default().insert(target);
            }
        }
    }
    assert!(edges.get("from_widget").is_some_and(|e| e.contains("registry")), "the graph was read: {edges:?}");
    // Depth-first search for a back edge, reporting the circle.
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut circle = path[at..].to_vec();
            circle.push(node.to_owned());
            return Some(circle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten() {
            if let Some(circle) = visit(next, edges, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    for module in &modules {
        if let Some(circle) = visit(module, &edges, &mut Vec::new(), &mut done) {
            panic!("an import circle: {}", circle.join(" → "));
        }
    }
}
