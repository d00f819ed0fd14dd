//! Shared helpers for the project's tests.

use std::path::PathBuf;

/// The repository root.
pub fn repo_root() -> PathBuf {
    xtask::repo_root()
}

/// Reads a file relative to the repository root.
pub fn read(path: &str) -> String {
    let full = repo_root().join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("cannot read {}: {e}", full.display()))
}
