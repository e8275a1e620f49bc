//! Shared helpers: the error type, the project root, writing generated files and running commands.

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Everything that can go wrong in an xtask command.
#[derive(Debug)]
pub(crate) enum Error {
    /// A generated file is not what the generator produces (only returned in check mode).
    OutOfDate {
        /// The file, relative to the project root when possible.
        path: PathBuf,
        /// Why it is out of date: `"differs"`, `"missing"`, ….
        reason: &'static str,
    },
    /// Any other failure, already worded for the user.
    Message(String),
}

impl Error {
    /// An error carrying a ready-made message.
    pub(crate) fn msg(message: impl Into<String>) -> Self {
        Self::Message(message.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::OutOfDate { path, reason } => {
                write!(f, "{} is out of date ({reason})", display_path(path))
            }
            Self::Message(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

/// The result type of every xtask command.
pub(crate) type Result<T, E = Error> = std::result::Result<T, E>;

/// The workspace root (the parent of `xtask/`).
pub(crate) fn project_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// `path` relative to the project root, with `/` separators, for messages.
pub(crate) fn display_path(path: &Path) -> String {
    match path.strip_prefix(project_root()) {
        Ok(relative) => relative.components().map(|component| component.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"),
        Err(_) => path.display().to_string(),
    }
}

/// Makes sure `path` holds exactly `contents`.
///
/// In write mode (`check == false`) the file is written only if it changed, and
/// `updated <path>` is printed; returns whether it wrote. In check mode nothing is ever written: a missing or different
/// file is reported as [`Error::OutOfDate`] so that the caller can collect every stale file
/// before failing. Line endings are compared after normalising `\r\n` to `\n`, so a Windows
/// checkout with `core.autocrlf` is not reported as stale.
pub(crate) fn ensure_file_contents(path: &Path, contents: &str, check: bool) -> Result<bool> {
    let current = match std::fs::read_to_string(path) {
        Ok(current) => Some(current),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => None,
        Err(err) => {
            return Err(Error::msg(format!("cannot read {}: {err}", display_path(path))));
        }
    };
    if let Some(current) = &current
        && normalize_newlines(current) == normalize_newlines(contents)
    {
        return Ok(false);
    }
    if check {
        return Err(Error::OutOfDate { path: path.to_path_buf(), reason: if current.is_some() { "differs" } else { "missing" } });
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|err| Error::msg(format!("cannot create {}: {err}", display_path(parent))))?;
    }
    std::fs::write(path, contents).map_err(|err| Error::msg(format!("cannot write {}: {err}", display_path(path))))?;
    println!("updated {}", display_path(path));
    Ok(true)
}

fn normalize_newlines(text: &str) -> std::borrow::Cow<'_, str> {
    if text.contains("\r\n") { std::borrow::Cow::Owned(text.replace("\r\n", "\n")) } else { std::borrow::Cow::Borrowed(text) }
}

/// The `cargo` executable that launched us (`$CARGO`), falling back to `cargo` on the `PATH`.
pub(crate) fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

/// A shell-like rendering of a command, for messages (`cargo fmt --all`, not the full path
/// of `$CARGO`).
pub(crate) fn describe(command: &Command) -> String {
    let program = command.get_program();
    let program = Path::new(program).file_name().unwrap_or(program);
    std::iter::once(program).chain(command.get_args()).map(|part| part.to_string_lossy().into_owned()).collect::<Vec<_>>().join(" ")
}

/// Runs `command` with inherited stdio and fails unless it exits successfully.
pub(crate) fn run(command: &mut Command) -> Result<()> {
    let status = command.status().map_err(|err| Error::msg(format!("cannot run `{}`: {err}", describe(command))))?;
    if status.success() { Ok(()) } else { Err(Error::msg(format!("`{}` failed ({status})", describe(command)))) }
}

/// A fresh, empty directory for a test, unique to this process.
#[cfg(test)]
pub(crate) fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create temp dir");
    dir
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_mode_reports_missing_and_differing_files_without_writing() {
        let dir = temp_dir("check");
        let path = dir.join("a.txt");

        let missing = ensure_file_contents(&path, "new\n", true);
        assert!(matches!(missing, Err(Error::OutOfDate { reason: "missing", .. })), "{missing:?}");
        assert!(!path.exists(), "check mode must not create files");

        std::fs::write(&path, "old\n").expect("write");
        let differs = ensure_file_contents(&path, "new\n", true);
        assert!(matches!(differs, Err(Error::OutOfDate { reason: "differs", .. })), "{differs:?}");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "old\n");

        std::fs::write(&path, "new\r\n").expect("write");
        assert!(ensure_file_contents(&path, "new\n", true).is_ok());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn write_mode_writes_and_creates_directories() {
        let dir = temp_dir("write");
        let path = dir.join("nested").join("b.txt");
        ensure_file_contents(&path, "x\n", false).expect("write");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "x\n");
        ensure_file_contents(&path, "x\n", false).expect("unchanged");
        ensure_file_contents(&path, "x\n", true).expect("fresh");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
