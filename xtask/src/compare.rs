//! `compare`: our generator beside progenitor (and the OpenAPI Generator's `rust` target) on the
//! same seeded sample of the corpus (see [`crate::corpus`]). For each generator: how many documents
//! it generates, how many of those crates pass `cargo check` with warnings denied, and how many runs
//! panicked. Another generator that is not installed is reported as such:
//! `cargo install cargo-progenitor --version 0.15.1`, and `openapi-generator-cli` on the `PATH` for
//! the OpenAPI Generator (`pip install openapi-generator-cli==7.26.0`: PyPI's package carries the
//! jar, and runs it with the machine's Java). Not part of CI.

use crate::corpus::{crate_name, fetch, json_files, relative, shuffled};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub const USAGE: &str = "usage: cargo xtask compare [--sample N] [--seed S] [--timeout SECS]";

/// What one generator made of one document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Made {
    Crate,
    Refused,
    Panicked,
    TimedOut,
}

struct Generator {
    name: &'static str,
    /// Writes the crate `name` for `document` into `out`.
    run: fn(document: &Path, out: &Path, name: &str, timeout: Duration) -> Made,
    /// Whether it can run here, and if not, how to install it.
    installed: fn() -> Result<(), &'static str>,
}

const GENERATORS: &[Generator] = &[
    Generator { name: "ours", run: ours, installed: || Ok(()) },
    Generator {
        name: "progenitor 0.15.1",
        run: progenitor,
        installed: || runs("cargo-progenitor", &["--help"]).ok_or("`cargo install cargo-progenitor --version 0.15.1`"),
    },
    Generator {
        name: "OpenAPI Generator (rust)",
        run: openapi_generator,
        installed: || {
            runs("openapi-generator-cli", &["version"]).ok_or("`pip install openapi-generator-cli==7.26.0`, with Java")
        },
    },
];

pub fn command(args: &[String]) -> Result<String, String> {
    let (mut sample, mut seed, mut timeout) = (30usize, 1u64, Duration::from_secs(120));
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let value = args.next().ok_or_else(|| format!("{arg} needs a value\n{USAGE}"))?;
        let number = value.parse::<u64>().map_err(|_| format!("{arg} needs a number\n{USAGE}"))?;
        match arg.as_str() {
            "--sample" => sample = number as usize,
            "--seed" => seed = number,
            "--timeout" => timeout = Duration::from_secs(number),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    let root = crate::repo_root().join("target/corpus");
    let api = fetch(&root)?;
    let mut documents: Vec<PathBuf> = shuffled(&json_files(&api), seed).into_iter().take(sample).collect();
    documents.sort();
    let mut out = format!(
        "compare: {} documents of the corpus (seed {seed}), each crate checked with warnings denied\n",
        documents.len()
    );
    out.push_str(&format!(
        "  {:<26} {:>9} {:>8} {:>9} {:>9} {:>10}\n",
        "generator", "generated", "compile", "refused", "panicked", "timed out"
    ));
    let mut details = String::new();
    for generator in GENERATORS {
        if let Err(install) = (generator.installed)() {
            out.push_str(&format!("  {:<26} not installed ({install})\n", generator.name));
            continue;
        }
        let dir = root.join("compare").join(generator.name.split(' ').next().unwrap_or("other"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        let mut made = Vec::new();
        for (index, document) in documents.iter().enumerate() {
            let name = crate_name(document, index);
            made.push((name.clone(), document, (generator.run)(document, &dir.join(&name), &name, timeout)));
        }
        let crates: Vec<&String> = made.iter().filter(|(_, _, m)| *m == Made::Crate).map(|(n, _, _)| n).collect();
        let failed = check(&dir, &crates, &root.join("compare/target"))?;
        let count = |what: Made| made.iter().filter(|(_, _, m)| *m == what).count();
        out.push_str(&format!(
            "  {:<26} {:>9} {:>8} {:>9} {:>9} {:>10}\n",
            generator.name,
            crates.len(),
            crates.len() - failed.len(),
            count(Made::Refused),
            count(Made::Panicked),
            count(Made::TimedOut)
        ));
        for (name, document, what) in &made {
            let status = match what {
                Made::Crate if failed.contains(name) => "does not compile",
                Made::Crate => continue,
                Made::Refused => "refused",
                Made::Panicked => "panicked",
                Made::TimedOut => "timed out",
            };
            details.push_str(&format!("  {}: {}: {status}\n", generator.name, relative(&api, document)));
        }
    }
    Ok(out + &details)
}

fn runs(program: &str, args: &[&str]) -> Option<()> {
    let status = Command::new(program).args(args).stdout(Stdio::null()).stderr(Stdio::null()).status().ok()?;
    status.success().then_some(())
}

/// Our generator, in a child process of this binary (`codegen --spec`), so that a panic is counted.
fn ours(document: &Path, out: &Path, name: &str, timeout: Duration) -> Made {
    let Ok(exe) = std::env::current_exe() else { return Made::Panicked };
    let mut command = Command::new(exe);
    command.arg("codegen").arg("--spec").arg(document).arg("--out").arg(out).args(["--crate-name", name]);
    outcome(command, timeout, || out.join("Cargo.toml").is_file())
}

fn progenitor(document: &Path, out: &Path, name: &str, timeout: Duration) -> Made {
    let mut command = Command::new("cargo-progenitor");
    command.arg("progenitor").arg("-i").arg(document).arg("-o").arg(out).args(["-n", name, "-v", "0.1.0"]);
    outcome(command, timeout, || out.join("Cargo.toml").is_file())
}

fn openapi_generator(document: &Path, out: &Path, name: &str, timeout: Duration) -> Made {
    let mut command = Command::new("openapi-generator-cli");
    command.arg("generate").arg("-i").arg(document).args(["-g", "rust"]).arg("-o").arg(out);
    // The same crate version progenitor is given: the default copies `info.version`, which is
    // often not one cargo accepts (`2017-05-31`).
    command.args(["--package-name", name, "--skip-validate-spec", "--additional-properties=packageVersion=0.1.0"]);
    outcome(command, timeout, || out.join("Cargo.toml").is_file())
}

/// Runs a generator: a crate when it exits well and wrote one; a Rust panic exits with 101.
fn outcome(mut command: Command, timeout: Duration, wrote: impl Fn() -> bool) -> Made {
    let started = Instant::now();
    let Ok(mut child) = command.stdout(Stdio::null()).stderr(Stdio::null()).spawn() else { return Made::Refused };
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() && wrote() => return Made::Crate,
            Ok(Some(status)) if status.code() == Some(101) => return Made::Panicked,
            Ok(Some(_)) => return Made::Refused,
            Ok(None) if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Made::TimedOut;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(20)),
            Err(_) => return Made::Refused,
        }
    }
}

/// `cargo check`s the crates under `dir` as one workspace, warnings denied; the ones that fail. A
/// crate whose manifest cargo cannot read fails on its own, and is left out of the workspace so
/// that the others are still checked.
fn check(dir: &Path, crates: &[&String], target: &Path) -> Result<Vec<String>, String> {
    let mut members: Vec<&String> = crates.to_vec();
    let mut failed: Vec<String> = Vec::new();
    loop {
        if members.is_empty() {
            return Ok(failed);
        }
        let list = members.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ");
        let manifest = format!("[workspace]\nresolver = \"2\"\nmembers = [{list}]\n");
        std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| format!("cannot write the workspace: {e}"))?;
        let metadata = cargo_in(dir, target).args(["metadata", "--no-deps", "--format-version", "1"]).output();
        let metadata = metadata.map_err(|e| format!("cannot run cargo: {e}"))?;
        if metadata.status.success() {
            break;
        }
        let stderr = String::from_utf8_lossy(&metadata.stderr);
        let bad = members.iter().position(|n| stderr.contains(&format!("{}`", dir.join(n.as_str()).display())));
        match bad {
            Some(index) => failed.push(members.remove(index).to_string()),
            // Not one member's fault: count them all.
            None => return Ok(crates.iter().map(|n| n.to_string()).collect()),
        }
    }
    let output = cargo_in(dir, target)
        .args(["check", "--workspace", "--all-features", "--keep-going", "--message-format", "short"])
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() && !stderr.contains("could not compile") {
        return Ok(crates.iter().map(|n| n.to_string()).collect());
    }
    failed
        .extend(members.iter().filter(|n| stderr.contains(&format!("could not compile `{n}`"))).map(|n| n.to_string()));
    Ok(failed)
}

fn cargo_in(dir: &Path, target: &Path) -> Command {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command.current_dir(dir).env("CARGO_TARGET_DIR", target);
    command
}
