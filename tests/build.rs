//! Generates Rust types from the committed schemas (`../schemas/**/*.schema.json`) with typify,
//! for the round-trip test in `it/typify.rs`: one module per schema file, a table of
//! (schema name, round-trip function) and the schemas typify cannot convert, with its reason.
//!
//! typify panics on what it does not support (`if`/`then`/`else`, among others); each schema is
//! converted under `catch_unwind`, so one unsupported file is reported, not fatal.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn schema_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if !path.ends_with("node_modules") {
                schema_files(&path, out);
            }
        } else if path.to_string_lossy().ends_with(".schema.json") {
            out.push(path);
        }
    }
}

/// typify's code for one schema and the name of its root type, or why it could not.
fn convert(text: &str) -> Result<(String, String), String> {
    let root: schemars08::schema::RootSchema = serde_json::from_str(text).map_err(|e| format!("not a schema typify reads: {e}"))?;
    let result = std::panic::catch_unwind(move || {
        let mut settings = typify::TypeSpaceSettings::default();
        settings.with_struct_builder(false);
        let mut space = typify::TypeSpace::new(&settings);
        let id = space.add_root_schema(root).map_err(|e| e.to_string())?.ok_or("the schema has no root type")?;
        let name = space.get_type(&id).map_err(|e| e.to_string())?.name();
        Ok::<_, String>((space.to_stream().to_string(), name))
    });
    match result {
        Ok(converted) => converted,
        Err(panic) => Err(panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_else(|| "typify panicked".to_owned())
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned()),
    }
}

fn main() {
    let schemas = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    println!("cargo:rerun-if-changed={}", schemas.display());
    let mut files = Vec::new();
    schema_files(&schemas, &mut files);
    files.sort();
    std::panic::set_hook(Box::new(|_| {}));

    let mut modules = String::new();
    let mut generated = String::new();
    let mut skipped = String::new();
    for path in files {
        let name = path.strip_prefix(&schemas).unwrap_or(&path).to_string_lossy().replace('\\', "/");
        let name = name.trim_end_matches(".schema.json").to_owned();
        let module = name.replace(['/', '.', '-'], "_");
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        match convert(&text) {
            Ok((code, root)) => {
                let _ = writeln!(modules, "pub mod {module} {{ {code} }}");
                let _ = writeln!(
                    generated,
                    "    ({name:?}, |json| {{ let value: {module}::{root} = serde_json::from_str(json).map_err(|e| e.to_string())?; serde_json::to_value(&value).map_err(|e| e.to_string()) }}),"
                );
            }
            Err(reason) => {
                let _ = writeln!(skipped, "    ({name:?}, {reason:?}),");
            }
        }
    }
    let _ = std::panic::take_hook();
    let out = format!(
        "{modules}\n\
         /// Every schema typify converted, with a function from JSON text to the generated type and back.\n\
         pub const GENERATED: &[(&str, fn(&str) -> Result<serde_json::Value, String>)] = &[\n{generated}];\n\
         /// Every schema typify could not convert, with its reason.\n\
         pub const SKIPPED: &[(&str, &str)] = &[\n{skipped}];\n"
    );
    let target = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("typify.rs");
    if let Err(e) = std::fs::write(&target, out) {
        println!("cargo:warning=cannot write {}: {e}", target.display());
    }
}
