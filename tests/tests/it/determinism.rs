//! Generation is deterministic across processes: the `xtask` binary, run twice in separate processes
//! (so with different hash seeds), writes byte-identical crates.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every file under `dir`, by path relative to it, with its bytes.
fn read_tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
                out.insert(path.strip_prefix(root).unwrap_or(&path).to_path_buf(), bytes);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Runs `cargo xtask codegen --spec <spec> --out <out>` in its own process.
fn codegen(spec: &Path, out: &Path) {
    let _ = std::fs::remove_dir_all(out);
    let output = tests::cargo()
        .args(["run", "--quiet", "-p", "xtask", "--", "codegen", "--spec"])
        .arg(spec)
        .arg("--out")
        .arg(out)
        .arg("--crate-name")
        .arg("determinism-check")
        .output()
        .expect("run cargo");
    assert!(
        output.status.success(),
        "xtask codegen failed for {}:\n{}",
        spec.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn assert_deterministic(spec: &str) {
    let spec = tests::repo_root().join(spec);
    let base = std::env::temp_dir().join(format!("determinism-{}", std::process::id()));
    let stem = spec.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let (first, second) = (base.join(format!("{stem}-a")), base.join(format!("{stem}-b")));
    codegen(&spec, &first);
    codegen(&spec, &second);
    let (a, b) = (read_tree(&first), read_tree(&second));
    assert!(a.len() > 5, "{} generated only {} files", spec.display(), a.len());
    let names = |tree: &BTreeMap<PathBuf, Vec<u8>>| tree.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&a), names(&b), "{}: the two runs wrote different files", spec.display());
    for (path, bytes) in &a {
        if bytes != &b[path] {
            let (x, y) = (String::from_utf8_lossy(bytes), String::from_utf8_lossy(&b[path]));
            let line = x.lines().zip(y.lines()).position(|(p, q)| p != q).map_or(0, |i| i + 1);
            panic!("{}: {} differs between runs (first at line {line})", spec.display(), path.display());
        }
    }
    let _ = std::fs::remove_dir_all(&first);
    let _ = std::fs::remove_dir_all(&second);
}

#[test]
fn real_spec_generates_identically_twice() {
    assert_deterministic(xtask::SPEC);
}

#[test]
fn large_fixture_generates_identically_twice() {
    assert_deterministic("tests/fixtures/large.json");
}
