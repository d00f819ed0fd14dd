//! Puts a generated crate into a folder, or compares the folder with it: the files that differ,
//! are missing, or are no longer generated. `openapi-client-gen generate` and `check`, and
//! `cargo xtask codegen`, all go through here.

use crate::options::File;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// Whether to write the files or only compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

/// How a file in the folder differs from the generated one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Difference {
    /// The generator makes it; the folder does not have it.
    Missing { path: String },
    /// Both have it, and they part at `line` (from 1): `was` in the folder, `now` generated
    /// (`None` past the end of the file).
    Differs { path: String, line: usize, was: Option<String>, now: Option<String> },
    /// A Rust file under `src/` that the generator no longer makes.
    Extra { path: String },
}

impl Difference {
    pub fn path(&self) -> &str {
        match self {
            Difference::Missing { path } | Difference::Differs { path, .. } | Difference::Extra { path } => path,
        }
    }
}

impl fmt::Display for Difference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Difference::Missing { path } => write!(f, "{path} is missing"),
            Difference::Extra { path } => write!(f, "{path} is no longer generated"),
            Difference::Differs { path, line, was, now } => {
                let show = |text: &Option<String>| {
                    text.as_deref().map_or("(end of file)".to_string(), |t| format!("`{}`", t.trim()))
                };
                write!(f, "{path}:{line} differs: {} → {}", show(was), show(now))
            }
        }
    }
}

/// Compares `dir` with `files` and, in [`Mode::Write`], makes it equal: writes each file that
/// differs (an unchanged file keeps its modification time, so cargo does not rebuild) and removes
/// Rust files under `src/` that are no longer generated. Returns the differences found, by path.
pub fn sync(files: &[File], dir: &Path, mode: Mode) -> io::Result<Vec<Difference>> {
    let mut differences = Vec::new();
    for file in files {
        let path = dir.join(&file.path);
        let current = match std::fs::read_to_string(&path) {
            Ok(text) => Some(text.replace("\r\n", "\n")),
            Err(e) if e.kind() == io::ErrorKind::NotFound => None,
            Err(e) => return Err(with_path(e, &path)),
        };
        let difference = match &current {
            None => Difference::Missing { path: file.path.clone() },
            Some(text) if *text == file.contents => continue,
            Some(text) => first_difference(&file.path, text, &file.contents),
        };
        differences.push(difference);
        if mode == Mode::Write {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| with_path(e, parent))?;
            }
            std::fs::write(&path, &file.contents).map_err(|e| with_path(e, &path))?;
        }
    }
    let wanted: Vec<PathBuf> = files.iter().map(|f| dir.join(&f.path)).collect();
    for path in rust_files(&dir.join("src"))? {
        if !wanted.contains(&path) {
            let relative = path.strip_prefix(dir).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            differences.push(Difference::Extra { path: relative });
            if mode == Mode::Write {
                std::fs::remove_file(&path).map_err(|e| with_path(e, &path))?;
            }
        }
    }
    Ok(differences)
}

fn first_difference(path: &str, was: &str, now: &str) -> Difference {
    let (mut old, mut new) = (was.lines(), now.lines());
    let mut line = 1;
    loop {
        match (old.next(), new.next()) {
            (Some(a), Some(b)) if a == b => line += 1,
            (None, None) => {
                // Equal lines, so only the final newline differs.
                return Difference::Differs { path: path.to_string(), line, was: None, now: None };
            }
            (a, b) => {
                let (was, now) = (a.map(str::to_string), b.map(str::to_string));
                return Difference::Differs { path: path.to_string(), line, was, now };
            }
        }
    }
}

fn rust_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(with_path(e, dir)),
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            out.extend(rust_files(&path)?);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(out)
}

fn with_path(e: io::Error, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_differing_line_is_named() {
        let d = first_difference("src/lib.rs", "a\nb\nc\n", "a\nB\nc\n");
        assert_eq!(d.to_string(), "src/lib.rs:2 differs: `b` → `B`");
        let d = first_difference("src/lib.rs", "a\n", "a\nb\n");
        assert_eq!(d.to_string(), "src/lib.rs:2 differs: (end of file) → `b`");
    }
}
