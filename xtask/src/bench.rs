//! `bench`: speed, as ratios against baselines measured in the same invocation. Criterion times
//! functions (`bench/benches/bench.rs`: codegen against the parse floor, decoding against
//! `serde_json::Value`, requests against bare reqwest); whole processes are timed here (the release
//! `xtask codegen` against `xtask parse-floor`, which only reads and parses, on the same document).
//! Every figure is one line: `bench <name>: <ours> vs <baseline> = <ratio>`, times in ms.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub const USAGE: &str = "usage: cargo xtask bench [--quick] [--runs N]";

/// Corpus documents timed as whole processes, smallest first, with our spec and the large fixture.
const PROCESS_DOCUMENTS: &[&str] = &[
    "spec/polar-customer-portal.yaml",
    "tests/fixtures/large.json",
    // The size of Polar's whole 3.1 document (2.5 MB), with more operations (452 against 186).
    "target/corpus/package/api/stripe.com.json",
    "target/corpus/package/api/googleapis.com/compute.json",
    "target/corpus/package/api/autotask.net.json",
    "target/corpus/package/api/kubernetes.io.json",
    "target/corpus/package/api/microsoft.com/graph.json",
    "target/corpus/package/api/microsoft.com/graph-beta.json",
];

pub fn command(args: &[String]) -> Result<String, String> {
    let (mut quick, mut runs) = (false, 3usize);
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            // One run per process and criterion's quick mode: proves the command works, quickly.
            "--quick" => quick = true,
            "--runs" => {
                runs = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|n| *n > 0)
                    .ok_or(format!("--runs needs a number\n{USAGE}"))?
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    if quick {
        runs = 1;
    }
    let root = crate::repo_root();
    crate::corpus::fetch(&root.join("target/corpus"))?;
    // Each part is printed as it completes: the whole run takes minutes.
    print!("{}", criterion(&root, quick)?);
    Ok(processes(&root, runs, quick)?.trim_end().to_string())
}

fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
}

/// Runs the criterion benchmarks and pairs `<group>/ours` with `<group>/baseline`.
fn criterion(root: &Path, quick: bool) -> Result<String, String> {
    let mut command = cargo();
    command.args(["bench", "-p", "bench", "--bench", "bench", "--", "--output-format", "bencher"]);
    if quick {
        command.arg("--quick");
    }
    let output = command
        .current_dir(root)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    if !output.status.success() {
        return Err("cargo bench failed".to_string());
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    Ok(pairs(&stdout))
}

/// `test codegen spec/ours ... bench:   1,234 ns/iter (+/- 5)` lines, as one ratio line per group.
fn pairs(bencher: &str) -> String {
    let mut times: Vec<(String, String, f64)> = Vec::new();
    for line in bencher.lines() {
        let Some(rest) = line.strip_prefix("test ") else { continue };
        let Some((name, figure)) = rest.split_once(" ... bench:") else { continue };
        let Some((group, side)) = name.trim().rsplit_once('/') else { continue };
        let nanos: String =
            figure.split_whitespace().next().unwrap_or("").chars().filter(char::is_ascii_digit).collect();
        let Ok(nanos) = nanos.parse::<f64>() else { continue };
        times.push((group.to_string(), side.to_string(), nanos / 1e6));
    }
    let mut out = String::new();
    for (group, side, ours) in &times {
        if side != "ours" {
            continue;
        }
        if let Some((_, _, baseline)) = times.iter().find(|(g, s, _)| g == group && s == "baseline") {
            out.push_str(&line(group, *ours, *baseline));
        }
    }
    out
}

fn line(name: &str, ours: f64, baseline: f64) -> String {
    format!("bench {name}: {ours:.3} vs {baseline:.3} = {:.2}\n", ours / baseline.max(f64::MIN_POSITIVE))
}

/// Whole processes: the release `xtask codegen` of each document against `xtask parse-floor`,
/// the median of `runs` each; then progenitor's CLI where it is installed.
fn processes(root: &Path, runs: usize, quick: bool) -> Result<String, String> {
    let built = cargo().args(["build", "--release", "-p", "xtask", "--quiet"]).current_dir(root).status();
    if !built.is_ok_and(|s| s.success()) {
        return Err("cannot build the release xtask".to_string());
    }
    let exe = root.join("target/release/xtask");
    let scratch = root.join("target/bench-out");
    let mut out = String::new();
    let documents = if quick { &PROCESS_DOCUMENTS[..2] } else { PROCESS_DOCUMENTS };
    for document in documents {
        let path = root.join(document);
        let Ok(meta) = std::fs::metadata(&path) else { continue };
        let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let target = scratch.join(&name);
        let ours = median(runs, || {
            let mut c = Command::new(&exe);
            c.args(["codegen", "--spec"]).arg(&path).arg("--out").arg(&target).args(["--crate-name", "bench-client"]);
            c
        })?;
        let floor = median(runs, || {
            let mut c = Command::new(&exe);
            c.arg("parse-floor").arg(&path);
            c
        })?;
        let size = meta.len() as f64 / 1e6;
        out.push_str(&line(&format!("process codegen {name} ({size:.2} MB)"), ms(ours), ms(floor)));
    }
    out.push_str(&progenitor(root, &exe, &scratch)?);
    if !quick {
        out.push_str(&check_against_progenitor(root, &exe, &scratch.join("check"))?);
    }
    Ok(out)
}

/// Documents whose crates are `cargo check`ed beside progenitor's: two it generates code for
/// that compiles, of different sizes.
const CHECK_DOCUMENTS: &[&str] = &[
    "target/corpus/package/api/googleapis.com/container.json",
    "target/corpus/package/api/googleapis.com/dialogflow.json",
];

/// `cargo check` of our crate against progenitor's for the same document, dependencies built:
/// after touching the crate (the crate alone), and after also cleaning `progenitor-client`, the
/// runtime crate its code needs (ours carries its runtime inside). Medians of `CHECK_RUNS`.
fn check_against_progenitor(root: &Path, exe: &Path, scratch: &Path) -> Result<String, String> {
    const CHECK_RUNS: usize = 3;
    if !progenitor_installed() {
        return Ok(String::new());
    }
    let _ = std::fs::remove_dir_all(scratch);
    std::fs::create_dir_all(scratch).map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
    let mut members = Vec::new();
    for document in CHECK_DOCUMENTS {
        let path = root.join(document);
        let name = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let (ours, theirs) = (format!("ours-{name}"), format!("theirs-{name}"));
        let generated = Command::new(exe)
            .args(["codegen", "--spec"])
            .arg(&path)
            .arg("--out")
            .arg(scratch.join(&ours))
            .args(["--crate-name", &ours])
            .output();
        let progenitor = Command::new("cargo-progenitor")
            .arg("progenitor")
            .arg("-i")
            .arg(&path)
            .arg("-o")
            .arg(scratch.join(&theirs))
            .args(["-n", &theirs, "-v", "0.1.0"])
            .output();
        if !generated.is_ok_and(|o| o.status.success()) || !progenitor.is_ok_and(|o| o.status.success()) {
            return Err(format!("cannot generate both crates for {document}"));
        }
        members.push((name, ours, theirs));
    }
    let list: Vec<String> = members.iter().flat_map(|(_, o, t)| [format!("\"{o}\""), format!("\"{t}\"")]).collect();
    let manifest = format!("[workspace]\nresolver = \"2\"\nmembers = [{}]\n", list.join(", "));
    std::fs::write(scratch.join("Cargo.toml"), manifest).map_err(|e| format!("cannot write the workspace: {e}"))?;
    let cargo_here = |args: &[&str]| {
        let mut c = cargo();
        c.args(args).current_dir(scratch).env("CARGO_TARGET_DIR", scratch.join("target"));
        c
    };
    if !cargo_here(&["check", "--workspace", "--quiet"]).status().is_ok_and(|s| s.success()) {
        return Err("the crates to compare do not check".to_string());
    }
    let touch = |krate: &str| {
        let lib = scratch.join(krate).join("src/lib.rs");
        let _ = std::fs::read(&lib).and_then(|text| std::fs::write(&lib, text));
    };
    let mut out = String::new();
    for (name, ours, theirs) in &members {
        let time = |krate: &String, clean: Option<&str>| {
            median(CHECK_RUNS, || {
                if let Some(dependency) = clean {
                    let _ = cargo_here(&["clean", "--quiet", "-p", dependency]).status();
                }
                touch(krate);
                cargo_here(&["check", "--quiet", "-p", krate])
            })
        };
        let (mine, their) = (time(ours, None)?, time(theirs, None)?);
        out.push_str(&line(&format!("cargo check {name} crate against progenitor"), ms(mine), ms(their)));
        let their_with_runtime = time(theirs, Some("progenitor-client"))?;
        out.push_str(&line(
            &format!("cargo check {name} with its runtime against progenitor"),
            ms(mine),
            ms(their_with_runtime),
        ));
    }
    Ok(out)
}

fn progenitor_installed() -> bool {
    let status = Command::new("cargo-progenitor").arg("--help").stdout(Stdio::null()).stderr(Stdio::null()).status();
    status.is_ok_and(|s| s.success())
}

/// progenitor 0.15.1's CLI on `googleapis.com/compute.json`, when installed (`cargo install
/// cargo-progenitor --version 0.15.1`; not in CI). The largest document of those named here that
/// it generates: it refuses the Kubernetes one (a generation error).
fn progenitor(root: &Path, exe: &Path, scratch: &Path) -> Result<String, String> {
    if !progenitor_installed() {
        return Ok("progenitor: not installed (`cargo install cargo-progenitor --version 0.15.1` to compare)\n".into());
    }
    let document = root.join("target/corpus/package/api/googleapis.com/compute.json");
    let theirs = median(3, || {
        let mut c = Command::new("cargo-progenitor");
        c.arg("progenitor").arg("-i").arg(&document).arg("-o").arg(scratch.join("progenitor"));
        c.args(["-n", "bench-progenitor", "-v", "0.1.0"]);
        c
    });
    let ours = median(3, || {
        let mut c = Command::new(exe);
        c.args(["codegen", "--spec"]).arg(&document).arg("--out").arg(scratch.join("ours-compute"));
        c.args(["--crate-name", "bench-client"]);
        c
    })?;
    Ok(match theirs {
        Ok(theirs) => line("process codegen compute against progenitor", ms(ours), ms(theirs)),
        Err(e) => format!("progenitor: {e}\n"),
    })
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// The median wall time of `runs` runs of a command; a failing run is an error. `command` is
/// called before each run's clock starts.
fn median(runs: usize, command: impl Fn() -> Command) -> Result<Duration, String> {
    let mut times = Vec::new();
    for _ in 0..runs {
        // Made before the clock starts: making it may prepare the run (touch a file, clean a crate).
        let mut command = command();
        let started = Instant::now();
        let output = command.stdout(Stdio::null()).stderr(Stdio::piped()).output();
        let output = output.map_err(|e| format!("cannot run a benchmark process: {e}"))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(format!("a benchmark process failed: {}", stderr.lines().next().unwrap_or("")));
        }
        times.push(started.elapsed());
    }
    times.sort();
    Ok(times[times.len() / 2])
}

/// `xtask parse-floor FILE`: reads the document and parses it into `openapiv3` with `serde_json`
/// (YAML through `serde_yaml`), after the 3.1 rewrite `openapiv3` needs: what any generator built
/// on `openapiv3` must do before it starts.
pub fn parse_floor(args: &[String]) -> Result<String, String> {
    let path = PathBuf::from(args.first().ok_or("parse-floor needs a file")?);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let value: serde_json::Value = if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).map_err(|e| e.to_string())?
    } else {
        serde_yaml::from_str(&text).map_err(|e| e.to_string())?
    };
    let doc: openapiv3::OpenAPI =
        serde_json::from_value(generator::normalize::normalize(value)).map_err(|e| e.to_string())?;
    Ok(format!("{} paths", doc.paths.paths.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bencher_lines_pair_into_ratios() {
        let text = "test codegen spec/ours ... bench:     2,000,000 ns/iter (+/- 5)\n\
                    test codegen spec/baseline ... bench:     1,000,000 ns/iter (+/- 5)\n\
                    test lonely/ours ... bench: 5 ns/iter (+/- 1)\n";
        assert_eq!(pairs(text), "bench codegen spec: 2.000 vs 1.000 = 2.00\n");
    }
}
