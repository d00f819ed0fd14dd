//! `openapi-client-gen` as a stranger runs it: the binary cargo builds for this test, on documents
//! and configurations in a folder of its own. What it writes is compared with what the library
//! makes of the same input; the crate it writes for the configured fixture is compiled with
//! warnings denied by the fixtures' shared build (`tests/tests/it/fixtures.rs`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_openapi-client-gen");

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the repository").to_path_buf()
}

fn configured() -> PathBuf {
    repo().join("tests/fixtures/configured")
}

/// An empty folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

fn run(args: &[&str], cwd: &Path) -> Output {
    Command::new(BIN).args(args).current_dir(cwd).output().expect("the command runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn code(output: &Output) -> i32 {
    output.status.code().expect("an exit code")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every Rust file of a crate, joined.
fn sources(dir: &Path) -> String {
    let mut out = String::new();
    let mut stack = vec![dir.join("src")];
    while let Some(dir) = stack.pop() {
        let mut entries: Vec<PathBuf> =
            std::fs::read_dir(&dir).expect("a folder").flatten().map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push_str(&read(&path));
            }
        }
    }
    out
}

#[test]
fn generate_applies_every_key_of_the_configuration() {
    let out = scratch("every-key");
    let doc = configured().join("petstore.yaml");
    let output = run(&["generate", doc.to_str().expect("a path"), "-o", out.to_str().expect("a path")], &out);
    assert_eq!(code(&output), 0, "{}", text(&output.stderr));

    // The summary line counts what the library makes of the same input.
    let config = openapi_client_gen::Config::read(&configured().join("openapi-client.toml")).expect("the settings");
    let made = openapi_client_gen::generate(&read(&doc), &config).expect("generates");
    let summary = format!(
        "generated petstore-client in {}: {} operations, {} types, {} files ({} written), {} warnings\n",
        out.display(),
        made.operations,
        made.types,
        made.files.len(),
        made.files.len(),
        made.warnings.len()
    );
    assert_eq!(text(&output.stdout), summary);
    for file in &made.files {
        assert_eq!(read(&out.join(&file.path)), file.contents, "{}", file.path);
    }
    // The derive asked of every type is left off the one that holds an f64, with a warning.
    let stderr = text(&output.stderr);
    assert!(stderr.contains("petstore.yaml: warning at #/components/schemas/Store: [types] derive on `Store`: `Hash` is left off: its field `rating` is a number (`f64`), which has no `Hash`"), "{stderr}");

    let code = sources(&out);
    let types = read(&out.join("src/types.rs"));
    // [rename]: the new names, and none of the old.
    assert!(types.contains("pub enum SortBy {") && !code.contains("PetSortProperty"));
    assert!(code.contains("pub fn list_all(&self)") && !code.contains("fn list_pets"));
    assert!(code.contains("pub fn fetch(&self, store_id: impl Into<String>)"));
    assert!(code.contains("pub fn animals(&self)") && !code.contains("fn pets(&self)"));
    assert!(out.join("src/api/animals.rs").exists() && !out.join("src/api/pets.rs").exists());
    // [select]: excluded operations and the schemas only they (or nothing) reach are gone.
    assert!(!code.contains("delete_pet") && !code.contains("admin_report") && !out.join("src/api/admin.rs").exists());
    for pruned in ["AdminReport", "Orphan", "Money"] {
        assert!(!types.contains(&format!(" {pruned} ")), "{pruned} is still generated");
    }
    // [types]: the replaced schema and the mapped format are the user's type.
    assert!(types.contains("pub price: Option<rust_decimal::Decimal>,"), "{types}");
    assert!(types.contains("pub revenue: rust_decimal::Decimal,"), "{types}");
    // Derives: `Ord` (with what it needs) on Pet and what it holds, `Hash` where it can be.
    let derives = |name: &str| {
        let end = types.find(&format!("pub struct {name} {{")).expect("the struct");
        let start = types[..end].rfind("#[derive(").expect("its derives");
        types[start..end].split_whitespace().collect::<String>()
    };
    assert!(derives("Pet").contains("PartialEq,Eq,Hash,PartialOrd,Ord,"), "{}", derives("Pet"));
    assert!(derives("Category").contains("PartialEq,Eq,Hash,PartialOrd,Ord,"), "{}", derives("Category"));
    assert!(derives("Problem").contains("PartialEq,Hash,") && !derives("Problem").contains("Ord"));
    assert!(!derives("Store").contains("Hash"));
    // [api]: the version header, and links made absolute.
    assert!(code.contains(r#"("Pets-Version".to_string(), "2026-01-15".to_string())"#));
    assert!(code.contains("[the guide](https://docs.pets.example.com/guides/pets)"));
    // [package], [dependencies] and [features] in the manifest.
    let manifest: toml::Table = read(&out.join("Cargo.toml")).parse().expect("a manifest");
    assert_eq!(manifest["package"]["version"].as_str(), Some("0.3.0"));
    assert_eq!(manifest["package"]["categories"].as_array().map(Vec::len), Some(1));
    assert_eq!(manifest["dependencies"]["rust_decimal"]["features"][0].as_str(), Some("serde"));
    assert_eq!(manifest["features"]["default"][0].as_str(), Some("blocking"));
    assert!(read(&out.join("src/lib.rs")).starts_with("// Generated by `openapi-client-gen generate`"));
}

#[test]
fn check_passes_on_a_fresh_crate_and_names_the_first_difference() {
    let dir = scratch("check");
    let doc = configured().join("petstore.yaml");
    let doc = doc.to_str().expect("a path");
    assert_eq!(code(&run(&["generate", doc, "-o", "client"], &dir)), 0);
    let fresh = run(&["check", doc, "-o", "client"], &dir);
    assert_eq!(code(&fresh), 0, "{}", text(&fresh.stderr));
    assert_eq!(text(&fresh.stdout), format!("client is up to date ({} files)\n", file_count(&dir.join("client"))));

    let types = dir.join("client/src/types.rs");
    let original = read(&types);
    let edited = original.replacen("pub name: String,", "pub name: Box<str>,", 1);
    let line = original.lines().position(|l| l.contains("pub name: String,")).expect("a name field") + 1;
    std::fs::write(&types, edited).expect("an edit");
    std::fs::write(dir.join("client/src/stray.rs"), "").expect("a stray file");
    let stale = run(&["check", doc, "-o", "client"], &dir);
    assert_eq!(code(&stale), 1);
    let expected = format!(
        "error: client is stale: src/types.rs:{line} differs: `pub name: Box<str>,` → `pub name: String,` (and 1 more); run `openapi-client-gen generate {doc} -o client` to regenerate it\n"
    );
    assert_eq!(text(&stale.stderr), expected);

    // Generating again writes the one file and removes the stray one.
    let again = run(&["generate", doc, "-o", "client"], &dir);
    assert!(text(&again.stdout).contains("(1 written, 1 removed)"), "{}", text(&again.stdout));
    assert_eq!(code(&run(&["check", doc, "-o", "client"], &dir)), 0);
}

fn file_count(dir: &Path) -> usize {
    let mut count = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("a folder").flatten() {
            if entry.path().is_dir() {
                stack.push(entry.path());
            } else {
                count += 1;
            }
        }
    }
    count
}

#[test]
fn usage_errors_exit_2_and_every_subcommand_has_help() {
    let dir = scratch("usage");
    for args in [&["generate"][..], &["generate", "x.yaml", "--no-such-flag"], &["frobnicate"], &[]] {
        let output = run(args, &dir);
        assert_eq!(code(&output), 2, "{args:?}: {}", text(&output.stderr));
    }
    for sub in ["generate", "check", "vendor", "init"] {
        let output = run(&[sub, "--help"], &dir);
        assert_eq!(code(&output), 0, "{sub} --help");
        assert!(text(&output.stdout).contains("Usage: openapi-client-gen"), "{sub} --help");
    }
    let version = run(&["--version"], &dir);
    assert_eq!(text(&version.stdout), format!("openapi-client-gen {}\n", env!("CARGO_PKG_VERSION")));
}

/// Writes `doc` and `config` into a folder, generates, and returns the exit code and stderr.
fn generate_with(name: &str, doc: &str, config: &str) -> (i32, String) {
    let dir = scratch(name);
    std::fs::write(dir.join("api.yaml"), doc).expect("the document");
    std::fs::write(dir.join("openapi-client.toml"), config).expect("the configuration");
    let output = run(&["generate", "api.yaml", "-o", "out"], &dir);
    (code(&output), text(&output.stderr))
}

const SMALL: &str = r#"openapi: 3.0.3
info: {title: Small, version: "1"}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
components:
  schemas:
    Pet:
      type: object
      required: [weight]
      properties:
        weight: {type: number}
        name: {type: string, format: pet-name}
"#;

#[test]
fn every_configuration_error_names_its_line_and_column() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "unknown-key",
            "[package]\nname = \"small\"\nverison = \"1\"\n",
            "openapi-client.toml:3:1: unknown field `verison`, expected one of",
        ),
        ("wrong-type", "[types]\nderive = \"Hash\"\n", "openapi-client.toml:2:10: invalid type: string \"Hash\", expected a sequence"),
        (
            "bad-selector",
            "[select]\ninclude = [\"FETCH /pets\"]\n",
            "openapi-client.toml:2:12: select: `FETCH /pets` is not a selector: write `tag:NAME`, `METHOD /path` (GET, POST, … or *) or an operationId",
        ),
        (
            "selector-matches-nothing",
            "[select]\ninclude = [\"tag:pets\", \"tag:pest\"]\n",
            "openapi-client.toml:2:24: select: `tag:pest` matches no operation (the document's tags: pets)",
        ),
        (
            "operation-id-matches-nothing",
            "[select]\nexclude = [\"listPet\"]\n",
            "openapi-client.toml:2:12: select: `listPet` matches no operation: no operationId is `listPet`",
        ),
        (
            "impossible-derive",
            "[types.derive-for]\nPet = [\"Eq\"]\n",
            "openapi-client.toml:2:8: types.derive-for: `Pet` cannot derive `Eq`: its field `weight` is a number (`f64`), which has no `Eq`",
        ),
        (
            "impossible-derive-through-ord",
            "[types.derive-for]\nPet = [\"Ord\"]\n",
            "openapi-client.toml:2:8: types.derive-for: `Pet` cannot derive `Eq`: its field `weight` is a number (`f64`), which has no `Eq`",
        ),
        (
            "derive-for-no-type",
            "[types.derive-for]\nPets = [\"Hash\"]\n",
            "openapi-client.toml:2:1: types.derive-for: no generated type is named `Pets`; did you mean `Pet`?",
        ),
        (
            "rename-no-type",
            "[rename]\ntypes = { Pat = \"Animal\" }\n",
            "openapi-client.toml:2:11: rename.types: no generated type is named `Pat`; did you mean `Pet`?",
        ),
        (
            "rename-not-a-type-name",
            "[rename]\ntypes = { Pet = \"my animal\" }\n",
            "openapi-client.toml:2:17: rename.types: `my animal` is not a type name (UpperCamelCase, such as `MyAnimal`)",
        ),
        (
            "rename-no-operation",
            "[rename]\noperations = { listPet = \"all\" }\n",
            "openapi-client.toml:2:16: rename.operations: `listPet` is no operationId (or `METHOD /path`) of the document; did you mean `listPets`?",
        ),
        (
            "rename-no-group",
            "[rename]\ngroups = { animals = \"zoo\" }\n",
            "openapi-client.toml:2:12: rename.groups: `animals` is no group of the client (its groups: pets)",
        ),
        (
            "replace-no-schema",
            "[types]\nreplace = { Pets = \"my::Pet\" }\n",
            "openapi-client.toml:2:13: types.replace: `Pets` names no component schema; did you mean `Pet`?",
        ),
        (
            "replace-not-a-path",
            "[types]\nreplace = { Pet = \"my pet\" }\n",
            "openapi-client.toml:2:19: `Pet`: `my pet` is not a Rust path (such as `rust_decimal::Decimal`)",
        ),
        (
            "format-unused",
            "[types]\nformat = { decimal = \"rust_decimal::Decimal\" }\n",
            "openapi-client.toml:2:12: types.format: no schema of the document has `format: decimal`",
        ),
        (
            "version-header",
            "[api]\nversion-header = \"Api Version\"\n",
            "openapi-client.toml:2:18: api.version-header: `Api Version` is not a valid HTTP header name",
        ),
        (
            "docs-base-url",
            "[api]\ndocs-base-url = \"/docs\"\n",
            "openapi-client.toml:2:17: api.docs-base-url: `/docs` is not an absolute http(s) URL",
        ),
        (
            "crate-name",
            "[package]\nname = \"2fa client\"\n",
            "openapi-client.toml:2:8: package.name: `2fa client` is not a crate name",
        ),
    ];
    for (name, config, expected) in cases {
        let (code, stderr) = generate_with(name, SMALL, config);
        assert_eq!(code, 1, "{name}: {stderr}");
        assert!(
            stderr.starts_with(&format!("error: {expected}")),
            "{name}:\n  expected `error: {expected}`\n  got      `{stderr}`"
        );
    }
}

#[test]
fn document_errors_exit_1_with_a_pointer_and_strict_refuses_warnings() {
    let dir = scratch("document-errors");
    std::fs::write(dir.join("broken.yaml"), "openapi: 3.0.3\ninfo: {title: x}\npaths: {}\n").expect("a document");
    let output = run(&["generate", "broken.yaml"], &dir);
    assert_eq!(code(&output), 1);
    let expected =
        "error: broken.yaml: invalid document at #/info: not a valid OpenAPI 3.0 object: missing field `version`\n";
    assert_eq!(text(&output.stderr), expected);

    let (code, stderr) = generate_with("strict-ok", SMALL, "[types]\nderive = [\"Hash\"]\n");
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("warning at #/components/schemas/Pet"), "{stderr}");
    let dir = dir.parent().expect("scratch").join("strict-ok");
    let strict = run(&["generate", "api.yaml", "-o", "out", "--strict"], &dir);
    assert_eq!(self::code(&strict), 1);
    assert!(text(&strict.stderr).contains("#/components/schemas/Pet"), "{}", text(&strict.stderr));
}

#[test]
fn init_writes_a_starter_that_generates_and_standard_input_is_a_document() {
    let dir = scratch("init");
    std::fs::write(dir.join("small.yaml"), SMALL).expect("a document");
    let output = run(&["init", "small.yaml"], &dir);
    assert_eq!(code(&output), 0, "{}", text(&output.stderr));
    let starter = read(&dir.join("openapi-client.toml"));
    assert!(
        starter.contains("name = \"small-client\"") && starter.contains("# include = [\"tag:pets\", \"GET /pets\"]"),
        "{starter}"
    );
    assert_eq!(code(&run(&["init", "small.yaml"], &dir)), 1, "an existing configuration is kept");
    let generated = run(&["generate", "small.yaml"], &dir);
    assert_eq!(code(&generated), 0, "{}", text(&generated.stderr));
    assert!(dir.join("small-client/Cargo.toml").exists(), "the crate goes to ./<package name>");

    // A document on standard input; the configuration is looked for in the current folder.
    let mut child = Command::new(BIN)
        .args(["generate", "-", "-o", "piped"])
        .current_dir(&dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the command runs");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), SMALL.as_bytes()).expect("written");
    let piped = child.wait_with_output().expect("it ends");
    assert!(piped.status.success());
    assert!(text(&piped.stdout).starts_with("generated small-client in piped:"), "{}", text(&piped.stdout));
}

#[test]
fn single_file_output_lists_the_dependencies_to_add() {
    let dir = scratch("single-file");
    let doc = configured().join("petstore.yaml");
    let output = run(&["generate", doc.to_str().expect("a path"), "--single-file", "petstore.rs"], &dir);
    assert_eq!(code(&output), 0, "{}", text(&output.stderr));
    let config = openapi_client_gen::Config::read(&configured().join("openapi-client.toml")).expect("the settings");
    let made = openapi_client_gen::generate_file(&read(&doc), &config).expect("generates");
    assert_eq!(read(&dir.join("petstore.rs")), made.contents);
    let stdout = text(&output.stdout);
    for dependency in &made.dependencies {
        assert!(stdout.contains(&format!("\n{} = {}\n", dependency.name, dependency.spec)), "{stdout}");
    }
    assert!(!made.contents.contains("crate::"), "the file names no crate root");
}

#[test]
fn vendor_cuts_a_document_to_its_prefixes() {
    let dir = scratch("vendor");
    let doc = configured().join("petstore.yaml");
    let output = run(&["vendor", doc.to_str().expect("a path"), "--path-prefix", "/stores"], &dir);
    assert_eq!(code(&output), 0, "{}", text(&output.stderr));
    let cut: serde_json::Value = serde_yaml::from_str(&text(&output.stdout)).expect("YAML");
    let paths: Vec<&String> = cut["paths"].as_object().expect("paths").keys().collect();
    assert_eq!(paths, ["/stores/{storeId}"]);
    let schemas: Vec<&String> = cut["components"]["schemas"].as_object().expect("schemas").keys().collect();
    assert_eq!(schemas, ["Store"]);
}
