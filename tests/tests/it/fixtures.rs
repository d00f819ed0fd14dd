//! The fixture corpus (`tests/fixtures/*.yaml|json`): every fixture generates, its emitted files and its
//! model are snapshotted, and all the fixture crates compile, lint-clean, in one shared cargo build.
//!
//! `large.json` is written by `tests/fixtures/gen_large.py`; its snapshot is a manifest (files and line
//! counts, model statistics) plus a few representative files, not every file in full.

use generator::model::{Api, TypeKind};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// Every fixture, by file name. `every_fixture_is_listed` keeps this in step with the directory.
const FIXTURES: &[&str] = &[
    "composition.yaml",
    "defaults.yaml",
    "integers_security.yaml",
    "large.json",
    "maps_inline.json",
    "minimal.yaml",
    "names.yaml",
    "nullable_30.yaml",
    "parameters.json",
    "path_items.yaml",
    "recursion.yaml",
    "responses_media.yaml",
    "types_31.json",
    "unions_overlap.yaml",
];

fn fixtures_dir() -> PathBuf {
    tests::repo_root().join("tests/fixtures")
}

fn stem(file: &str) -> &str {
    file.rsplit_once('.').map_or(file, |(stem, _)| stem)
}

/// The generated crate's package name: unique per fixture, so all of them fit in one workspace.
fn crate_name(file: &str) -> String {
    format!("fixture-{}", stem(file).replace('_', "-"))
}

fn config(file: &str) -> generator::Config {
    generator::Config::named(&crate_name(file))
}

fn read_fixture(file: &str) -> String {
    let path = fixtures_dir().join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Snapshots live in `tests/tests/it/snapshots/fixtures/`, named `<fixture>__<path with / as __>`.
fn with_settings(f: impl FnOnce()) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/fixtures");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(f);
}

fn snapshot_name(file: &str, path: &str) -> String {
    format!("{}__{}", stem(file), path.replace('/', "__"))
}

fn generate(file: &str) -> (Vec<generator::File>, Api) {
    let text = read_fixture(file);
    let files =
        generator::generate(&text, &config(file)).unwrap_or_else(|e| panic!("{file} does not generate: {e}")).files;
    let model = generator::model(&text).unwrap_or_else(|e| panic!("{file} does not lower: {e}"));
    (files, model)
}

/// The fixture whose snapshots keep the operations' mocks (feature `mock`): one per kind of
/// response body. The others leave them out, as boilerplate beside what they are about.
const MOCKS_SHOWN_BY: &str = "responses_media.yaml";

/// Snapshots what a fixture is about: its model, its types and its API; not the boilerplate every
/// crate repeats (manifest, README, crate root, client, crate error, mocks) nor the runtime.
fn snapshot_fixture(file: &str) {
    let (files, model) = generate(file);
    with_settings(|| {
        for f in files.iter().filter(|f| f.path == "src/types.rs" || f.path.starts_with("src/api/")) {
            let contents = if file == MOCKS_SHOWN_BY { f.contents.clone() } else { without_mocks(&f.contents) };
            insta::assert_snapshot!(snapshot_name(file, &f.path), contents);
        }
        insta::assert_yaml_snapshot!(format!("{}__model", stem(file)), tests::plan(&model));
    });
}

/// The file without its top-level items under `#[cfg(feature = "mock")]` (each ends at the first
/// line that closes at column 0).
fn without_mocks(text: &str) -> String {
    let mut out = String::new();
    let mut skipping = false;
    for line in text.lines() {
        if line == "#[cfg(feature = \"mock\")]" {
            skipping = true;
            continue;
        }
        if skipping {
            skipping = line != "}";
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

macro_rules! fixture_tests {
    ($($name:ident => $file:literal,)*) => {
        $(
            #[test]
            fn $name() {
                snapshot_fixture($file);
            }
        )*
    };
}

fixture_tests! {
    composition => "composition.yaml",
    defaults => "defaults.yaml",
    integers_security => "integers_security.yaml",
    maps_inline => "maps_inline.json",
    minimal => "minimal.yaml",
    names => "names.yaml",
    nullable_30 => "nullable_30.yaml",
    parameters => "parameters.json",
    path_items => "path_items.yaml",
    recursion => "recursion.yaml",
    responses_media => "responses_media.yaml",
    types_31 => "types_31.json",
    unions_overlap => "unions_overlap.yaml",
}

/// The large document: a manifest of files and model statistics, and a few files in full.
#[test]
fn large() {
    let file = "large.json";
    let (files, model) = generate(file);
    let mut manifest = String::new();
    for f in &files {
        manifest.push_str(&format!("{:>6} lines  {}\n", f.contents.lines().count(), f.path));
    }
    let count = |pred: fn(&TypeKind) -> bool| model.types.iter().filter(|t| pred(&t.kind)).count();
    let stats = format!(
        "operations: {}\npaginated: {}\ngroups: {}\ntypes: {}\n  structs: {}\n  enums: {}\n  unions: {}\n  aliases: {}\n  newtypes: {}\nconsts: {}\n",
        model.operations.len(),
        model.operations.iter().filter(|o| o.pagination.is_some()).count(),
        model.root.children.len(),
        model.types.len(),
        count(|k| matches!(k, TypeKind::Struct(_))),
        count(|k| matches!(k, TypeKind::Enum(_))),
        count(|k| matches!(k, TypeKind::Union(_))),
        count(|k| matches!(k, TypeKind::Alias(_))),
        count(|k| matches!(k, TypeKind::Newtype(_))),
        model.consts.len(),
    );
    assert!(model.operations.len() >= 200, "large.json should have hundreds of operations: {stats}");
    assert!(model.types.len() >= 200, "large.json should have hundreds of types: {stats}");
    with_settings(|| {
        insta::assert_snapshot!("large__manifest", manifest);
        insta::assert_snapshot!("large__model_stats", stats);
    });
}

/// `large.json` is what `gen_large.py` writes (when Python is available to check).
#[test]
fn large_json_is_fresh() {
    let script = fixtures_dir().join("gen_large.py");
    let Ok(output) = Command::new("python3").arg(&script).arg("--stdout").output() else {
        eprintln!("python3 is not available; not checking large.json");
        return;
    };
    assert!(output.status.success(), "gen_large.py failed: {}", String::from_utf8_lossy(&output.stderr));
    let on_disk = read_fixture("large.json");
    assert!(
        String::from_utf8_lossy(&output.stdout) == on_disk,
        "tests/fixtures/large.json is stale: run `python3 tests/fixtures/gen_large.py`"
    );
}

/// Every type's JSON pointer names a place in the document as written (not as normalized), for the
/// fixtures and the real spec.
#[test]
fn type_pointers_exist() {
    let spec = tests::read(xtask::SPEC);
    let documents = FIXTURES.iter().map(|file| (*file, read_fixture(file))).chain([(xtask::SPEC, spec)]);
    for (file, text) in documents {
        let doc = generator::load::load(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        let model = generator::model(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        for def in &model.types {
            assert!(
                def.pointer.starts_with('#') && doc.pointer(&def.pointer[1..]).is_some(),
                "{file}: type `{}` points at {}, which is not in the document",
                def.name,
                def.pointer
            );
        }
    }
}

/// Code blocks in the documents' prose must never become doctests: every fence a doc comment opens
/// names a language that rustdoc does not run as-is (`text`), or is one of the guide's own examples.
#[test]
fn prose_never_becomes_a_doctest() {
    for file in FIXTURES {
        let (files, _) = generate(file);
        for f in files.iter().filter(|f| f.path.ends_with(".rs")) {
            let mut open = false;
            for (number, line) in f.contents.lines().enumerate() {
                let line = line.trim_start();
                let Some(doc) = line.strip_prefix("///").or_else(|| line.strip_prefix("//!")) else { continue };
                let Some(info) = doc.trim_start().strip_prefix("```") else { continue };
                open = !open;
                if open {
                    assert!(
                        matches!(info.trim(), "text" | "rust,no_run"),
                        "{file}: {}:{} opens a code block that rustdoc would run: {line}",
                        f.path,
                        number + 1
                    );
                }
            }
            assert!(!open, "{file}: {} leaves a doc code block open", f.path);
        }
    }
}

/// Every document in `tests/fixtures/` is in [`FIXTURES`], and every name there exists.
#[test]
fn every_fixture_is_listed() {
    let mut on_disk: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures exists")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yaml") || name.ends_with(".yml") || name.ends_with(".json"))
        .collect();
    on_disk.sort();
    assert_eq!(on_disk, FIXTURES, "tests/fixtures/ and FIXTURES disagree");
}

/// The target directory this test binary was built in (`<target>/debug/deps/fixtures-…`).
fn target_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.ancestors().nth(3).map(Path::to_path_buf))
        .filter(|dir| dir.join("CACHEDIR.TAG").exists() || dir.join("debug").exists())
        .unwrap_or_else(|| tests::repo_root().join("target"))
}

/// Writes every fixture's crate under `<target>/fixture-crates/` as one workspace and lints it with a
/// single cargo invocation that shares the root target directory, so dependencies build only once.
#[test]
fn fixture_crates_compile() {
    let target = target_dir();
    let root = target.join("fixture-crates");
    std::fs::create_dir_all(&root).expect("create target/fixture-crates");
    let started = Instant::now();
    let mut members = Vec::new();
    // The crates whose documents have examples: (dependency line, library, examples).
    let mut with_examples = Vec::new();
    for file in FIXTURES {
        let dir = stem(file).to_string();
        let out = root.join(&dir);
        xtask::codegen(&fixtures_dir().join(file), &out, &crate_name(file), xtask::Mode::Write)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        members.push(format!("{dir:?}"));
        let text = read_fixture(file);
        let model = generator::model(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        let library = crate_name(file).replace('-', "_");
        let examples = tests::examples::collect(&text, &model, &library);
        if !examples.is_empty() {
            with_examples.push((format!("{} = {{ path = \"../{dir}\" }}", crate_name(file)), library, examples));
        }
    }
    // Sloppy documents generate with warnings; what they generate must compile, and read their examples, too.
    for file in sloppy_fixtures() {
        let dir = format!("sloppy-{}", stem(&file).replace('_', "-"));
        let path = fixtures_dir().join("sloppy").join(&file);
        xtask::codegen_with(&path, &root.join(&dir), &dir, xtask::Mode::Write, false)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        members.push(format!("{dir:?}"));
        let text = std::fs::read_to_string(&path).expect("read a sloppy fixture");
        let model = generator::model(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        let library = dir.replace('-', "_");
        let examples = tests::examples::collect(&text, &model, &library);
        if !examples.is_empty() {
            with_examples.push((format!("{dir} = {{ path = \"../{dir}\" }}"), library, examples));
        }
    }
    // The command's crate for the configured fixture, and a crate that uses what its configuration asked.
    members.extend(configured_crates(&target, &root));
    // The checked-in clients' examples too.
    for name in tests::CLIENTS {
        let text = tests::read(&format!("tests/clients/{name}.yaml"));
        let model = generator::model(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let library = format!("{name}_client");
        let path = tests::repo_root().join("tests/clients").join(name);
        let examples = tests::examples::collect(&text, &model, &library);
        with_examples.push((
            format!("{name}-client = {{ path = {:?} }}", path.display().to_string()),
            library,
            examples,
        ));
    }
    // The checked-in Polar crate's examples too.
    let spec = tests::read(xtask::SPEC);
    let model = generator::model(&spec).expect("the spec lowers");
    let generated = tests::repo_root().join(xtask::OUT);
    let examples = tests::examples::collect(&spec, &model, "polar_client");
    with_examples.push((
        format!("polar-client = {{ path = {:?} }}", generated.display().to_string()),
        "polar_client".into(),
        examples,
    ));
    write_examples_crate(&root.join("examples"), &with_examples);
    members.push("\"examples\"".to_string());
    let manifest = format!(
        "# Written by tests/tests/fixtures.rs: every fixture's generated crate, in a workspace of its own.\n\
         [workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.join(", ")
    );
    // Rewriting an unchanged manifest would make cargo check every crate again.
    if std::fs::read_to_string(root.join("Cargo.toml")).ok().as_deref() != Some(manifest.as_str()) {
        std::fs::write(root.join("Cargo.toml"), manifest).expect("write the workspace manifest");
    }
    // The root lock file pins the dependency versions the root build already compiled.
    std::fs::copy(tests::repo_root().join("Cargo.lock"), root.join("Cargo.lock")).expect("copy Cargo.lock");

    let clippy = tests::cargo().args(["clippy", "--version"]).output().is_ok_and(|o| o.status.success());
    let mut command = tests::cargo();
    if clippy {
        // `--all-features`: the blocking client and tracing spans must build for every document too.
        command.args(["clippy", "--workspace", "--all-features", "--keep-going", "--quiet", "--", "-D", "warnings"]);
    } else {
        command
            .args(["check", "--workspace", "--all-features", "--keep-going", "--quiet"])
            .env("RUSTFLAGS", "-D warnings");
    }
    let output = command.current_dir(&root).env("CARGO_TARGET_DIR", &target).output().expect("run cargo");
    eprintln!(
        "fixture crates: `cargo {}` over {} crates took {:.1?}",
        if clippy { "clippy" } else { "check" },
        FIXTURES.len(),
        started.elapsed()
    );
    assert!(
        output.status.success(),
        "the fixture crates in {} do not compile cleanly:\n{}{}",
        root.display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );

    let started = Instant::now();
    let output = tests::cargo()
        .args(["run", "--quiet", "-p", "fixture-examples"])
        .current_dir(&root)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("run cargo");
    let count: usize = with_examples.iter().map(|(_, _, examples)| examples.len()).sum();
    eprintln!("fixture examples: {count} decoded and encoded again in {:.1?}", started.elapsed());
    assert!(
        output.status.success(),
        "examples do not come back unchanged ({}):\n{}{}",
        root.join("examples/src/main.rs").display(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Runs the installed command (`openapi-client-gen`, as `cargo install --path generator` builds
/// it) on `tests/fixtures/configured/`, whose configuration uses every key, and writes a crate that
/// uses what the configuration asked for: the renamed names, the replaced type, the derives. Both
/// join the shared build, warnings denied. (`generator/tests/cli.rs` checks what is not there.)
fn configured_crates(target: &Path, root: &Path) -> Vec<String> {
    let binary = target.join("debug").join(format!("openapi-client-gen{}", std::env::consts::EXE_SUFFIX));
    if !binary.exists() {
        // `cargo test` builds it for the generator's own tests; this test alone does not.
        let status = tests::cargo()
            .args(["build", "--quiet", "-p", "openapi-client-gen", "--bin", "openapi-client-gen"])
            .env("CARGO_TARGET_DIR", target)
            .status()
            .expect("run cargo");
        assert!(status.success(), "the command builds");
    }
    let doc = fixtures_dir().join("configured/petstore.yaml");
    let output = std::process::Command::new(&binary)
        .arg("generate")
        .arg(&doc)
        .arg("-o")
        .arg(root.join("cli-petstore"))
        .output()
        .expect("run openapi-client-gen");
    assert!(output.status.success(), "openapi-client-gen generate: {}", String::from_utf8_lossy(&output.stderr));
    let manifest = "# Written by tests/tests/it/fixtures.rs.\n[package]\nname = \"cli-petstore-uses\"\nversion = \"0.1.0\"\n\
                    edition = \"2021\"\npublish = false\n\n[dependencies]\npetstore-client = { path = \"../cli-petstore\" }\n\
                    rust_decimal = \"1\"\n";
    let code = r#"//! Uses what `tests/fixtures/configured/openapi-client.toml` asked of the generated crate.

use petstore_client::types::{Category, Pet, PetStatus, SortBy, Store};
use std::collections::{BTreeSet, HashSet};

/// The renamed group, methods and type; the replaced schema and the mapped format.
pub async fn calls(client: &petstore_client::Client) -> Result<Option<rust_decimal::Decimal>, petstore_client::Error> {
    let pets: Vec<Pet> = client.animals().list_all().sort(SortBy::Price).status(PetStatus::Available).send().await?.into_body();
    let store: Store = client.stores().fetch("s1").send().await?.into_body();
    let revenue: rust_decimal::Decimal = store.revenue;
    Ok(pets.first().and_then(|pet| pet.price).map(|price| price + revenue))
}

/// `Hash` on every type that can take it; `Ord` on `Pet` and what it holds.
pub fn derives(pet: Pet) -> (HashSet<Pet>, BTreeSet<Pet>, BTreeSet<Category>) {
    let category = Category { name: "cats".into() };
    (HashSet::from([pet.clone()]), BTreeSet::from([pet]), BTreeSet::from([category]))
}
"#;
    let dir = root.join("cli-petstore-uses");
    std::fs::create_dir_all(dir.join("src")).expect("create the crate");
    for (path, text) in [(dir.join("Cargo.toml"), manifest), (dir.join("src/lib.rs"), code)] {
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
            std::fs::write(&path, text).expect("write the crate");
        }
    }
    vec!["\"cli-petstore\"".into(), "\"cli-petstore-uses\"".into()]
}

/// The documents of `tests/fixtures/sloppy/`, by file name, sorted.
fn sloppy_fixtures() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(fixtures_dir().join("sloppy"))
        .expect("tests/fixtures/sloppy exists")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yaml") || name.ends_with(".json"))
        .collect();
    files.sort();
    files
}

/// The crate that checks every example: it decodes each into its type and encodes it again.
fn write_examples_crate(dir: &Path, crates: &[(String, String, Vec<tests::examples::Example>)]) {
    let dependencies: Vec<&str> = crates.iter().map(|(line, _, _)| line.as_str()).collect();
    let manifest = format!(
        "# Written by tests/tests/fixtures.rs.\n[package]\nname = \"fixture-examples\"\nversion = \"0.1.0\"\n\
         edition = \"2021\"\npublish = false\n\n[dependencies]\nserde = \"1\"\nserde_json = \"1\"\n{}\n",
        dependencies.join("\n")
    );
    let program = tests::examples::program(
        &crates.iter().map(|(_, library, examples)| (library.clone(), examples.clone())).collect::<Vec<_>>(),
    );
    std::fs::create_dir_all(dir.join("src")).expect("create the examples crate");
    // Rewritten only when changed, so that cargo does not build it again for nothing.
    for (path, text) in [(dir.join("Cargo.toml"), manifest), (dir.join("src/main.rs"), program)] {
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::write(&path, text).expect("write the examples crate");
        }
    }
}

/// Every type a fixture's model refers to is one it defines: merging and renumbering leave no id
/// outside the list, in types or anywhere in an operation (alternate media types included).
#[test]
fn every_named_type_is_defined() {
    use generator::model::{Passing, ResponseBody, TypeId, TypeRef};
    fn ids(ty: &TypeRef, out: &mut Vec<TypeId>) {
        match ty {
            TypeRef::Named(id) => out.push(*id),
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) | TypeRef::Box(inner) => ids(inner, out),
            _ => {}
        }
    }
    for file in FIXTURES {
        let (_, model) = generate(file);
        let mut uses: Vec<(TypeId, String)> = Vec::new();
        for def in &model.types {
            let mut found = Vec::new();
            match &def.kind {
                TypeKind::Struct(s) => s.fields.iter().for_each(|f| ids(&f.ty, &mut found)),
                TypeKind::Union(u) => {
                    u.variants.iter().for_each(|v| ids(&v.ty, &mut found));
                    found.extend(u.variants.iter().filter_map(|v| v.constructor.as_ref()).map(|c| c.member));
                }
                TypeKind::Alias(ty) | TypeKind::Newtype(ty) => ids(ty, &mut found),
                TypeKind::Enum(_) => {}
            }
            uses.extend(found.into_iter().map(|id| (id, def.name.clone())));
        }
        // Walked here field by field, not with `for_each_type_mut`, which is what is under test.
        for op in &model.operations {
            let mut found = Vec::new();
            op.params.iter().for_each(|p| ids(&p.ty, &mut found));
            for input in &op.inputs {
                ids(&input.ty, &mut found);
                if let Passing::Items(item) = &input.passing {
                    ids(item, &mut found);
                }
            }
            if let Some(body) = &op.body {
                ids(&body.ty, &mut found);
                body.encodings().for_each(|e| ids(&e.ty, &mut found));
            }
            let bodies = op.success.iter().chain(op.error_responses()).map(|r| &r.body);
            for body in bodies.chain(op.alternates.iter().map(|a| &a.body)) {
                if let ResponseBody::Json(ty) = body {
                    ids(ty, &mut found);
                }
            }
            if let Some(pagination) = &op.pagination {
                ids(&pagination.item_ty, &mut found);
            }
            uses.extend(found.into_iter().map(|id| (id, op.id.clone())));
        }
        let dangling: Vec<&(TypeId, String)> = uses.iter().filter(|(id, _)| id.0 >= model.types.len()).collect();
        assert!(dangling.is_empty(), "{file}: {dangling:?}");
        // Sorted by name, so that an id is also a place in the emitted order.
        assert!(model.types.windows(2).all(|w| w[0].name < w[1].name), "{file}: types are not sorted by name");
    }
}
