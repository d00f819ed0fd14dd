//! The architecture's invariants (ARCHITECTURE.md), checked on the source tree as rust-analyzer's
//! `tidy.rs` checks its own: each failure names the file and the line. Code after a file's
//! `#[cfg(test)]` is its tests, which may do what the rest may not.

use std::path::{Path, PathBuf};

/// Every `.rs` file below `dir` (relative to the repository root), sorted, with its text.
fn sources(dir: &str) -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        let mut entries: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let root = tests::repo_root();
    let mut paths = Vec::new();
    walk(&root.join(dir), &mut paths);
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("a readable source file");
            (path.strip_prefix(&root).unwrap_or(&path).display().to_string(), text)
        })
        .collect()
}

/// The lines of a file before its tests, numbered from 1, without comments.
fn code(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .take_while(|(_, line)| line.trim() != "#[cfg(test)]")
        .map(|(i, line)| (i + 1, line))
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
}

/// Fails with every `file:line: text` that `bad` finds.
fn assert_none(rule: &str, found: Vec<String>) {
    assert!(found.is_empty(), "{rule}:\n  {}", found.join("\n  "));
}

fn find(files: &[(String, String)], bad: impl Fn(&str, &str) -> bool) -> Vec<String> {
    let mut found = Vec::new();
    for (path, text) in files {
        for (number, line) in code(text) {
            if bad(path, line) {
                found.push(format!("{path}:{number}: {}", line.trim()));
            }
        }
    }
    found
}

#[test]
fn identifiers_are_made_in_naming() {
    let files: Vec<(String, String)> =
        sources("generator/src").into_iter().filter(|(path, _)| !path.ends_with("src/naming.rs")).collect();
    let found =
        find(&files, |_, line| ["format_ident!", "Ident::new", "ident(&format!"].iter().any(|bad| line.contains(bad)));
    assert_none("an identifier built outside generator/src/naming.rs", found);
}

#[test]
fn the_model_is_plain_data() {
    let files: Vec<(String, String)> =
        sources("generator/src").into_iter().filter(|(path, _)| path.ends_with("src/model.rs")).collect();
    assert_eq!(files.len(), 1, "generator/src/model.rs exists");
    let found = find(&files, |_, line| {
        ["openapiv3", "proc_macro2", "quote", "HashMap", "HashSet"].iter().any(|bad| line.contains(bad))
    });
    assert_none("syntax, the parsed document or a hash map in the model", found);
}

#[test]
fn schema_keywords_are_listed_in_walk() {
    const KEYWORDS: &[&str] = &[
        "\"type\"",
        "\"properties\"",
        "\"items\"",
        "\"allOf\"",
        "\"anyOf\"",
        "\"oneOf\"",
        "\"not\"",
        "\"additionalProperties\"",
        "\"prefixItems\"",
        "\"enum\"",
        "\"const\"",
        "\"pattern\"",
        "\"title\"",
        "\"description\"",
    ];
    let files: Vec<(String, String)> =
        sources("generator/src").into_iter().filter(|(path, _)| !path.ends_with("src/walk.rs")).collect();
    // A list is two keywords or more on one line, in brackets.
    let found =
        find(&files, |_, line| line.contains('[') && KEYWORDS.iter().filter(|k| line.contains(*k)).count() >= 2);
    assert_none("a list of schema keywords outside generator/src/walk.rs", found);
    let found = find(&files, |path, line| {
        !path.ends_with("src/error.rs") && (line.contains("\"~1\"") || line.contains("\"~0\""))
    });
    assert_none("a JSON pointer decoded outside generator/src/walk.rs", found);
}

#[test]
fn the_generator_does_not_panic() {
    let files = sources("generator/src");
    let found = find(&files, |_, line| {
        [".unwrap()", ".expect(", "panic!", "todo!", "unimplemented!", "unreachable!", "dbg!"]
            .iter()
            .any(|bad| line.contains(bad))
    });
    assert_none("a panic in the generator (a document must get an error instead)", found);
}

#[test]
fn load_knows_nothing_of_openapi() {
    let files: Vec<(String, String)> =
        sources("generator/src").into_iter().filter(|(path, _)| path.ends_with("src/load.rs")).collect();
    let found = find(&files, |_, line| {
        ["openapiv3", "\"$ref\"", "\"paths\"", "\"components\"", "\"openapi\""].iter().any(|bad| line.contains(bad))
    });
    assert_none("OpenAPI in the load stage", found);
}

#[test]
fn emit_reads_only_the_model() {
    let files: Vec<(String, String)> =
        sources("generator/src").into_iter().filter(|(path, _)| path.contains("src/emit/")).collect();
    let found = find(&files, |_, line| {
        ["openapiv3", "crate::lower", "crate::parse", "crate::normalize", "crate::hoist", "crate::walk"]
            .iter()
            .any(|bad| line.contains(bad))
    });
    assert_none("emit reaching past the model", found);
    // Nor back up to the pipeline that runs it (`lib.rs`).
    let found = find(&files, |_, line| {
        ["use crate::{", "crate::Options", "crate::File", "crate::generate"].iter().any(|bad| line.contains(bad))
    });
    assert_none("emit importing from the crate root", found);
    // Rust source is built as tokens, never parsed from text.
    let found =
        find(&files, |_, line| line.contains(".parse()") || line.contains("parse::<") || line.contains("from_str("));
    assert_none("emit making tokens from a string", found);
}

#[test]
fn every_module_has_docs() {
    let mut files = Vec::new();
    for dir in ["generator/src", "generator/runtime", "xtask/src", "bench/src", "tests/tests"] {
        files.extend(sources(dir));
    }
    files
        .extend(sources("tests").into_iter().filter(|(path, _)| !path.contains('/') || path.matches('/').count() == 1));
    let undocumented: Vec<String> = files
        .iter()
        .filter(|(path, _)| !path.starts_with("tests/clients/"))
        .filter(|(_, text)| {
            // The module's own docs come first, after at most the runtime's one-line header.
            let first = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with("// "));
            !first.is_some_and(|l| l.starts_with("//!"))
        })
        .map(|(path, _)| path.clone())
        .collect();
    assert_none("a module without a doc comment", undocumented);
}

#[test]
fn the_runtime_depends_on_nothing_generated_and_imports_in_no_circle() {
    let files = sources("generator/runtime");
    let found = find(&files, |_, line| {
        ["crate::types", "crate::api", "crate::consts", "crate::client::"].iter().any(|bad| line.contains(bad))
    });
    assert_none("the runtime naming generated code", found);
    // Which runtime module each one imports (`super::<module>::`), before its tests.
    let module = |path: &str| path.rsplit('/').next().unwrap_or(path).trim_end_matches(".rs").to_string();
    let mut imports: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> = Default::default();
    for (path, text) in &files {
        let own = module(path);
        let entry = imports.entry(own.clone()).or_default();
        for (_, line) in code(text) {
            for part in line.split("super::").skip(1) {
                let name: String = part.chars().take_while(|c| c.is_ascii_lowercase() || *c == '_').collect();
                if part[name.len()..].starts_with("::") && name != own {
                    entry.insert(name);
                }
            }
        }
    }
    imports.remove("mod");
    // A circle: a module that reaches itself.
    let mut circles = Vec::new();
    for start in imports.keys() {
        let mut stack: Vec<&String> = imports[start].iter().collect();
        let mut seen = std::collections::BTreeSet::new();
        while let Some(next) = stack.pop() {
            if next == start {
                circles.push(format!("generator/runtime/{start}.rs imports itself through others"));
                break;
            }
            if seen.insert(next) {
                stack.extend(imports.get(next).into_iter().flatten());
            }
        }
    }
    assert_none("an import circle in the runtime", circles);
}

#[test]
fn tests_start_cargo_through_tests_cargo() {
    let files: Vec<(String, String)> =
        sources("tests").into_iter().filter(|(path, _)| path != "tests/lib.rs").collect();
    let found = find(&files, |_, line| {
        line.contains("Command::new(env!(\"CARGO\")") || line.contains("Command::new(\"cargo\")")
    });
    assert_none("cargo started other than through tests::cargo()", found);
}

/// Every enum a crate the tests generate declares is `#[non_exhaustive]`: a server may add a value,
/// a member or a status, and callers must already handle that.
#[test]
fn every_generated_enum_is_non_exhaustive() {
    let root = tests::repo_root();
    let mut documents: Vec<PathBuf> = Vec::new();
    for dir in ["tests/fixtures", "tests/fixtures/sloppy", "tests/clients"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else { continue };
        let mut found: Vec<PathBuf> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
            .collect();
        found.sort();
        documents.extend(found);
    }
    documents.push(root.join(xtask::SPEC));
    let mut found = Vec::new();
    for document in &documents {
        let text = std::fs::read_to_string(document).expect("a document");
        let generator::Output { files, .. } = generator::generate(&text, &generator::Config::default())
            .unwrap_or_else(|e| panic!("{}: {e}", document.display()));
        for file in files.iter().filter(|f| f.path.ends_with(".rs") && !f.path.starts_with("src/runtime/")) {
            let lines: Vec<&str> = file.contents.lines().collect();
            for (i, line) in lines.iter().enumerate().filter(|(_, l)| l.trim_start().starts_with("pub enum ")) {
                let attributes = lines[..i].iter().rev().take_while(|l| {
                    let l = l.trim_start();
                    l.starts_with("#[") || l.starts_with("///")
                });
                if !attributes.into_iter().any(|l| l.contains("#[non_exhaustive]")) {
                    found.push(format!("{} {}:{}: {}", document.display(), file.path, i + 1, line.trim()));
                }
            }
        }
    }
    assert_none("a generated enum that is not #[non_exhaustive]", found);
}

/// The library's public API is `Config`, `generate`, `generate_file` and what they return, with
/// `sync` and `vendor`: every other public module is a stage, hidden from its docs.
#[test]
fn stage_modules_are_hidden_from_the_public_api() {
    const PUBLIC: &[&str] = &["sync", "vendor"];
    let lib = tests::read("generator/src/lib.rs");
    let lines: Vec<&str> = lib.lines().collect();
    let mut found = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(name) = line.strip_prefix("pub mod ").and_then(|rest| rest.strip_suffix(';')) else { continue };
        let hidden = i > 0 && lines[i - 1].trim() == "#[doc(hidden)]";
        if !hidden && !PUBLIC.contains(&name) {
            found.push(format!("generator/src/lib.rs:{}: {line}", i + 1));
        }
    }
    assert_none("a public module of the library that is neither hidden nor part of its API", found);
}

/// Every key `docs/config.md` documents is in the configured fixture's configuration, which the
/// command-line test generates and the shared build compiles (and which, read strictly, holds no
/// key the generator does not read).
#[test]
fn every_documented_configuration_key_is_exercised() {
    let docs = tests::read("docs/config.md");
    let fixture: toml::Table =
        tests::read("tests/fixtures/configured/openapi-client.toml").parse().expect("the fixture's configuration");
    let mut section = String::new();
    let mut found = Vec::new();
    let mut checked = 0;
    for (number, line) in docs.lines().enumerate() {
        if let Some(heading) = line.strip_prefix("## `[").and_then(|h| h.split_once("]`")) {
            section = heading.0.to_string();
            continue;
        }
        let Some(cell) = line.strip_prefix("| `").and_then(|l| l.split(" |").next()) else { continue };
        let table = fixture.get(&section).and_then(toml::Value::as_table);
        for key in cell.split(", ").map(|k| k.trim_matches('`')) {
            checked += 1;
            if !table.is_some_and(|t| t.contains_key(key)) {
                found.push(format!("docs/config.md:{}: [{section}] {key}", number + 1));
            }
        }
    }
    assert!(checked >= 20, "the key tables of docs/config.md were found ({checked} keys)");
    assert!(docs.contains("## `[dependencies]`") && fixture.contains_key("dependencies"));
    assert!(fixture.contains_key("features"));
    assert_none("a documented key the configured fixture does not set", found);
}
