//! `cargo xtask codegen [--check] [--strict] [--spec PATH --out DIR] [--crate-name NAME]`
//! `cargo xtask vendor --from FILE [--path-prefix PREFIX ...] [--out PATH]`
//! `cargo xtask corpus [--only TEXT] [--limit N] [--sample N] [--check N] [--seed S] [--jobs J] [--timeout SECS]`
//! `cargo xtask bench [--quick] [--runs N]`
//! `cargo xtask compare [--sample N] [--seed S] [--timeout SECS]`

use std::path::PathBuf;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;
use xtask::{repo_root, Mode, CRATE_NAME, OUT, SPEC};

const USAGE: &str = "usage: cargo xtask codegen [--check] [--strict] [--spec PATH] [--out DIR] [--crate-name NAME]
       cargo xtask vendor --from FILE [--path-prefix PREFIX ...] [--out PATH]
       cargo xtask corpus [--only TEXT] [--limit N] [--sample N] [--check N] [--seed S] [--jobs J] [--timeout SECS]
       cargo xtask bench [--quick] [--runs N]
       cargo xtask compare [--sample N] [--seed S] [--timeout SECS]";

/// mimalloc v3's `mi_option_purge_delay`, by its place in `mi_option_e` (`mimalloc.h`);
/// `libmimalloc-sys` does not name it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // Codegen allocates and frees hundreds of megabytes in waves. Returning freed pages to the OS
    // made the kernel zero them again on the next wave, so the process, short-lived, keeps them.
    // (Transparent huge pages, which made each fault zero 2 MiB, are off through mimalloc's
    // `no_thp` feature: graph-beta.json spent 1.2 to 1.9 s more in the kernel with them.)
    // SAFETY: sets a plain option before any thread starts; mimalloc reads it when it purges.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1);
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => run_codegen(&args[1..]),
        Some("vendor") => xtask::vendor::command(&args[1..]),
        Some("corpus") => xtask::corpus::command(&args[1..]),
        // One document of the corpus, in a process of its own (see `xtask::corpus`).
        Some("corpus-one") => xtask::corpus::one(&args[1..]),
        Some("bench") => xtask::bench::command(&args[1..]),
        Some("compare") => xtask::compare::command(&args[1..]),
        // The parse floor the whole-process codegen benchmark compares against.
        Some("parse-floor") => xtask::bench::parse_floor(&args[1..]),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(message) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run_codegen(args: &[String]) -> Result<String, String> {
    let root = repo_root();
    let (mut spec, mut out, mut crate_name, mut mode) = (root.join(SPEC), root.join(OUT), None, Mode::Write);
    let mut strict = false;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().cloned().ok_or_else(|| format!("{arg} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--check" => mode = Mode::Check,
            // Every warning an error; always so for our own spec.
            "--strict" => strict = true,
            "--spec" => spec = PathBuf::from(value()?),
            "--out" => out = PathBuf::from(value()?),
            "--crate-name" => crate_name = Some(value()?),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    // Another document's crate is named after its file (`petstore.yaml` → `petstore-client`).
    let crate_name = crate_name.unwrap_or_else(|| {
        if spec == root.join(SPEC) {
            return CRATE_NAME.to_string();
        }
        let stem = spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        format!("{}-client", xtask::slug(&stem))
    });
    xtask::check_crate_name(&crate_name)?;
    let strict = strict || spec == root.join(SPEC);
    xtask::codegen_with(&spec, &out, &crate_name, mode, strict)
}
