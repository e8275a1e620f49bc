//! `cargo xtask hostile [--check]`: writes the hostile-input corpus, `tests/hostile/*.jsonl`,
//! from its generator `tests/hostile/generate.rs` (included here as a module, so the test
//! package and the xtask share one generator), or with `--check` fails if the committed files
//! differ from what it generates. The integration test `hostile_corpus::corpus_is_current`
//! runs the same check.

#[path = "../../tests/hostile/generate.rs"]
#[expect(
    clippy::expect_used,
    clippy::panic,
    reason = "the generator builds the corpus from its own tables; a broken table fails the command, never a host"
)]
mod generate;

use crate::util::{Error, Result, display_path, project_root};

/// Writes the corpus, or with `check`, only checks that it is current.
pub(crate) fn run(check: bool) -> Result<()> {
    let written = generate::sync(&project_root().join("tests"), check).map_err(Error::msg)?;
    for path in written {
        println!("updated {}", display_path(&path));
    }
    Ok(())
}
