//! `cargo xtask codegen [--check] [--spec PATH --out DIR] [--crate-name NAME]`

use std::path::PathBuf;
use std::process::ExitCode;
use xtask::{codegen, repo_root, Mode, CRATE_NAME, OUT, SPEC};

const USAGE: &str = "usage: cargo xtask codegen [--check] [--spec PATH] [--out DIR] [--crate-name NAME]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => run_codegen(&args[1..]),
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
    let (mut spec, mut out, mut crate_name, mut mode) =
        (root.join(SPEC), root.join(OUT), CRATE_NAME.to_string(), Mode::Write);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().cloned().ok_or_else(|| format!("{arg} needs a value\n{USAGE}"));
        match arg.as_str() {
            "--check" => mode = Mode::Check,
            "--spec" => spec = PathBuf::from(value()?),
            "--out" => out = PathBuf::from(value()?),
            "--crate-name" => crate_name = value()?,
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    codegen(&spec, &out, &crate_name, mode)
}
