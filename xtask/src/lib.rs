//! Project automation. `codegen` keeps `generated/` equal to what the generator makes of `spec/`;
//! the same function runs from a test, so a stale crate fails `cargo test` too. `vendor` cuts a full
//! upstream document down to the paths the client covers (see [`vendor`]). `corpus` measures the
//! generator on the public APIs.guru directory (see [`corpus`]), and `compare` sets other generators
//! beside it on a sample of it (see [`compare`]); `bench` measures speed against baselines run
//! alongside (see [`bench`]).

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

pub use generator::naming::{check_crate_name, crate_slug as slug};
pub use generator::sync::Mode;

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
    let differences = generator::sync::sync(&files, out, mode).map_err(|e| e.to_string())?;
    let stale: Vec<String> = differences.iter().map(ToString::to_string).collect();
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
