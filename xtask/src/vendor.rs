//! `vendor`: cuts a full upstream OpenAPI document down to the paths we use, through the library's
//! vendoring (`openapi_client_gen::vendor`, also the command's `openapi-client-gen vendor`).

use std::path::PathBuf;

pub use generator::vendor::{to_yaml, vendor, vendor_file, write};

pub const USAGE: &str = "usage: cargo xtask vendor --from FILE [--path-prefix PREFIX ...] [--out PATH]";

/// Runs `cargo xtask vendor` with the arguments after `vendor`. Without `--out`, the result replaces
/// [`crate::SPEC`], the document `cargo xtask codegen` reads; relative paths are relative to the current
/// directory.
pub fn command(args: &[String]) -> Result<String, String> {
    let (mut from, mut prefixes, mut out) = (None, Vec::new(), crate::repo_root().join(crate::SPEC));
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().cloned().ok_or_else(|| format!("{arg} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--from" => from = Some(PathBuf::from(value()?)),
            "--path-prefix" => prefixes.push(value()?),
            "--out" => out = PathBuf::from(value()?),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    let from = from.ok_or_else(|| format!("--from FILE is required\n{USAGE}"))?;
    vendor_file(&from, &prefixes, &out)
}
