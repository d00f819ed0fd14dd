//! Project automation. `codegen` keeps `generated/` equal to what the generator makes of `spec/`;
//! the same function runs from a test, so a stale crate fails `cargo test` too. `vendor` cuts a full
//! upstream document down to the paths the client covers (see [`vendor`]). `corpus` measures the
//! generator on the public APIs.guru directory (see [`corpus`]), and `compare` sets other generators
//! beside it on a sample of it (see [`compare`]); `bench` measures speed against baselines run
//! alongside (see [`bench`]).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub mod bench;
pub mod compare;
pub mod corpus;
pub mod vendor;

/// The vendored document and where its client lives, relative to the repository root.
pub const SPEC: &str = "spec/polar-customer-portal.yaml";
pub const OUT: &str = "generated";
pub const CRATE_NAME: &str = "polar-client";

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Whether to write the files or only compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

/// A crate-name fragment from a file stem: lowercase ASCII letters and digits, each run of anything
/// else one `-`, so that the library name is snake case (`Recurrence-(v1-` → `recurrence-v1`).
pub fn slug(stem: &str) -> String {
    let mut out = String::new();
    for c in stem.to_lowercase().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Refuses a crate name cargo would refuse, or whose library name rustc would warn about.
pub fn check_crate_name(name: &str) -> Result<(), String> {
    let starts_well = name.starts_with(|c: char| c.is_ascii_alphabetic());
    let chars_ok = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let separators_ok = !name.ends_with(['-', '_']) && !["--", "__", "-_", "_-"].iter().any(|s| name.contains(s));
    if starts_well && chars_ok && separators_ok {
        Ok(())
    } else {
        Err(format!(
            "--crate-name `{name}`: a crate name starts with a letter and has only ASCII letters, digits and single `-` or `_` between them"
        ))
    }
}

/// The settings beside `spec`, as `openapi-client-gen` finds them, naming this command in the headers.
pub fn config_beside(spec: &Path) -> Result<generator::Config, String> {
    let mut config = match generator::Config::beside(spec) {
        Some(path) => generator::Config::read(&path).map_err(|e| e.in_files("", &path.display().to_string()))?,
        None => generator::Config::default(),
    };
    config.command = "cargo xtask codegen".into();
    Ok(config)
}

/// Generates the crate for `spec` into `out`, strictly (every warning an error). In check mode,
/// returns an error listing every difference instead of writing.
pub fn codegen(spec: &Path, out: &Path, crate_name: &str, mode: Mode) -> Result<String, String> {
    codegen_with(spec, out, crate_name, mode, true)
}

/// [`codegen`], printing the generator's warnings to stderr (one line each, with a JSON pointer)
/// unless `strict` makes them errors.
pub fn codegen_with(spec: &Path, out: &Path, crate_name: &str, mode: Mode, strict: bool) -> Result<String, String> {
    let text = std::fs::read_to_string(spec).map_err(|e| format!("cannot read {}: {e}", spec.display()))?;
    let mut config = config_beside(spec)?;
    config.package.name = generator::Located::new(crate_name.to_string());
    config.strict = strict;
    let generator::Output { files, warnings, .. } = generator::generate(&text, &config).map_err(|e| {
        e.in_files(&spec.display().to_string(), &spec.with_file_name(generator::FILE_NAME).display().to_string())
    })?;
    for warning in warnings {
        eprintln!("{}: {warning}", spec.display());
    }
    let mut stale = Vec::new();
    for file in &files {
        let path = out.join(&file.path);
        let current = std::fs::read_to_string(&path).ok().map(|t| t.replace("\r\n", "\n"));
        if current.as_deref() == Some(file.contents.as_str()) {
            continue;
        }
        let what = if current.is_some() { "differs" } else { "missing" };
        stale.push(format!("{} {what}{}", file.path, diff_hint(current.as_deref(), &file.contents)));
        if mode == Mode::Write {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            }
            std::fs::write(&path, &file.contents).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        }
    }
    // Files under src/ that the generator no longer makes.
    let wanted: Vec<PathBuf> = files.iter().map(|f| out.join(&f.path)).collect();
    for path in rust_files(&out.join("src")) {
        if !wanted.contains(&path) {
            stale.push(format!("{} is no longer generated", path.strip_prefix(out).unwrap_or(&path).display()));
            if mode == Mode::Write {
                std::fs::remove_file(&path).map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
            }
        }
    }
    match (mode, stale.is_empty()) {
        (_, true) => Ok(format!("{} is up to date ({} files)", out.display(), files.len())),
        (Mode::Write, false) => Ok(format!("wrote {}:\n  {}", out.display(), stale.join("\n  "))),
        (Mode::Check, false) => Err(format!(
            "{} is stale:\n  {}\nrun `cargo xtask codegen` to regenerate it",
            out.display(),
            stale.join("\n  ")
        )),
    }
}

/// The first differing line, so a stale file says where it went stale.
fn diff_hint(old: Option<&str>, new: &str) -> String {
    let Some(old) = old else { return String::new() };
    let mut out = String::new();
    for (i, (a, b)) in old.lines().zip(new.lines()).enumerate() {
        if a != b {
            let _ = write!(out, " (first difference at line {}: `{}` → `{}`)", i + 1, a.trim(), b.trim());
            return out;
        }
    }
    let _ = write!(out, " (length {} → {} lines)", old.lines().count(), new.lines().count());
    out
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

#[cfg(test)]
mod naming_tests {
    use super::*;

    #[test]
    fn slugs_make_snake_case_library_names_and_bad_crate_names_are_refused() {
        assert_eq!(slug("Recurrence-(v1-"), "recurrence-v1");
        assert_eq!(slug("__Pet Store.v2"), "pet-store-v2");
        assert_eq!(check_crate_name("corpus-0-recurrence-v1"), Ok(()));
        assert_eq!(check_crate_name("polar_client2"), Ok(()));
        for bad in ["", "2fa", "a--b", "a_-b", "trailing-", "sp ace", "ünï"] {
            assert!(check_crate_name(bad).is_err(), "{bad}");
        }
    }
}
