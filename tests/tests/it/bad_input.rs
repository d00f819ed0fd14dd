//! Broken documents (`tests/fixtures/bad/`): under `--strict` each must be refused with an error,
//! never a panic or a crate. The errors' texts (kind, JSON pointer, message) are snapshotted in one
//! list, each one's kind is checked, and a pointer below `#` must name a place that exists in the
//! document. Without `--strict`, a document broken in one operation or schema generates the rest,
//! and says what it left out with that same error.

use generator::ErrorKind;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

/// Where the error must point: at the whole document, or at a place inside it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum At {
    Document,
    Inside,
}

use At::{Document, Inside};
use ErrorKind::{Invalid, Reference, Syntax, Unsupported};

/// Every broken document, the kind of error it must give and where that error must point.
const BAD: &[(&str, ErrorKind, At)] = &[
    ("allof_contradiction_in_operation.yaml", Invalid, Inside),
    ("allof_cycle.yaml", Reference, Inside),
    ("allof_non_object.yaml", Invalid, Inside),
    ("allof_object_and_scalar_union.yaml", Unsupported, Inside),
    ("allof_ref_non_object.yaml", Invalid, Inside),
    ("comments_only.yaml", Invalid, Document),
    ("complex_key.yaml", Syntax, Inside),
    ("dangling_ref_in_body_schema.json", Reference, Inside),
    ("dangling_ref_parameter.yaml", Reference, Inside),
    ("dangling_ref_property.yaml", Reference, Inside),
    ("dangling_ref_request_body.yaml", Reference, Inside),
    ("dangling_ref_response.yaml", Reference, Inside),
    ("discriminator_mapping_dangling.yaml", Reference, Inside),
    ("discriminator_mapping_external.yaml", Unsupported, Inside),
    ("duplicate_keys.yaml", Syntax, Document),
    ("empty.yaml", Invalid, Document),
    ("external_ref.yaml", Unsupported, Inside),
    ("infinite_number.yaml", Syntax, Inside),
    ("malformed.json", Syntax, Document),
    ("malformed.yaml", Syntax, Document),
    ("missing_info.yaml", Invalid, Document),
    ("missing_openapi.yaml", Invalid, Document),
    ("not_mapping.yaml", Invalid, Document),
    ("null_key.yaml", Syntax, Inside),
    ("operation_not_object.yaml", Invalid, Inside),
    ("param_in_body.yaml", Invalid, Inside),
    ("path_item_ref_dangling.yaml", Reference, Inside),
    ("path_param_not_in_template.yaml", Invalid, Inside),
    ("path_param_ref_dangling_in_path_item.json", Reference, Inside),
    ("paths_wrong_type.yaml", Invalid, Inside),
    ("property_type_not_string.yaml", Invalid, Inside),
    ("ref_cycle_aliases.yaml", Reference, Inside),
    ("ref_cycle_parameters.yaml", Reference, Inside),
    ("ref_cycle_responses.yaml", Reference, Inside),
    ("ref_not_string.yaml", Invalid, Inside),
    ("ref_wrong_section.yaml", Reference, Inside),
    ("request_body_ref_to_schema.yaml", Reference, Inside),
    ("scalar.json", Invalid, Document),
    ("schema_wrong_type.yaml", Invalid, Inside),
    ("security_scheme_ref_dangling.yaml", Reference, Inside),
    ("status_code_invalid.yaml", Invalid, Inside),
    ("swagger2.yaml", Unsupported, Inside),
    ("type_misspelled.yaml", Invalid, Inside),
    ("type_misspelled_in_definitions.yaml", Invalid, Inside),
    ("version_2.yaml", Unsupported, Inside),
    ("version_4.yaml", Unsupported, Inside),
    ("version_number.yaml", Invalid, Inside),
];

fn bad_dir() -> PathBuf {
    tests::repo_root().join("tests/fixtures/bad")
}

fn read_bad(file: &str) -> String {
    let path = bad_dir().join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Generates from a broken document under `--strict`: the error, or a test failure naming the file
/// on success or panic.
fn refuse(file: &str) -> generator::Error {
    let text = read_bad(file);
    let config = generator::Config { strict: true, ..generator::Config::default() };
    match catch_unwind(AssertUnwindSafe(|| generator::generate(&text, &config))) {
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("(no message)");
            panic!("the generator panicked on tests/fixtures/bad/{file}: {message}")
        }
        Ok(Ok(output)) => {
            panic!("tests/fixtures/bad/{file} generated {} files instead of an error", output.files.len())
        }
        Ok(Err(error)) => error,
    }
}

fn check(file: &str) {
    let &(_, kind, at) =
        BAD.iter().find(|(name, _, _)| *name == file).unwrap_or_else(|| panic!("{file} is not in BAD"));
    let error = refuse(file);
    assert_eq!(error.kind, kind, "{file}: {error}");
    match at {
        Document => assert_eq!(error.pointer, "#", "{file} should be refused as a whole: {error}"),
        Inside => {
            assert!(error.pointer.starts_with("#/"), "{file} should point inside the document: {error}");
            // The place must exist (syntax errors come before there is a tree to look in).
            if kind != Syntax {
                let doc = generator::load::load(&read_bad(file)).expect("only syntax errors fail to load");
                assert!(
                    doc.pointer(&error.pointer[1..]).is_some(),
                    "{file}: the pointer {} names nothing in the document: {error}",
                    error.pointer
                );
            }
        }
    }
    assert!(!error.message.trim().is_empty(), "{file}: an error without a message");
}

/// Every error's text (kind, pointer, message), one document a line, in one snapshot to review.
#[test]
fn errors() {
    let lines: Vec<String> = BAD.iter().map(|(file, _, _)| format!("{file}: {}", refuse(file))).collect();
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots/bad_input");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!("errors", lines.join("\n")));
}

macro_rules! bad_tests {
    ($($name:ident => $file:literal,)*) => {
        $(
            #[test]
            fn $name() {
                check($file);
            }
        )*

        /// Every file in `tests/fixtures/bad/` has a test and an entry in [`BAD`], and the other way round.
        #[test]
        fn every_bad_document_is_tested() {
            let mut tested = vec![$($file),*];
            tested.sort_unstable();
            let mut listed: Vec<&str> = BAD.iter().map(|(file, _, _)| *file).collect();
            listed.sort_unstable();
            let mut on_disk: Vec<String> = std::fs::read_dir(bad_dir())
                .expect("tests/fixtures/bad exists")
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect();
            on_disk.sort();
            assert_eq!(tested, listed, "the tests and BAD disagree");
            assert_eq!(on_disk, listed, "tests/fixtures/bad/ and BAD disagree");
            assert!(listed.len() >= 30, "only {} broken documents", listed.len());
        }
    };
}

bad_tests! {
    allof_contradiction_in_operation => "allof_contradiction_in_operation.yaml",
    allof_cycle => "allof_cycle.yaml",
    allof_non_object => "allof_non_object.yaml",
    allof_object_and_scalar_union => "allof_object_and_scalar_union.yaml",
    allof_ref_non_object => "allof_ref_non_object.yaml",
    comments_only => "comments_only.yaml",
    complex_key => "complex_key.yaml",
    dangling_ref_in_body_schema => "dangling_ref_in_body_schema.json",
    dangling_ref_parameter => "dangling_ref_parameter.yaml",
    dangling_ref_property => "dangling_ref_property.yaml",
    dangling_ref_request_body => "dangling_ref_request_body.yaml",
    dangling_ref_response => "dangling_ref_response.yaml",
    discriminator_mapping_dangling => "discriminator_mapping_dangling.yaml",
    discriminator_mapping_external => "discriminator_mapping_external.yaml",
    duplicate_keys => "duplicate_keys.yaml",
    empty => "empty.yaml",
    external_ref => "external_ref.yaml",
    infinite_number => "infinite_number.yaml",
    malformed_json => "malformed.json",
    malformed_yaml => "malformed.yaml",
    missing_info => "missing_info.yaml",
    missing_openapi => "missing_openapi.yaml",
    not_mapping => "not_mapping.yaml",
    null_key => "null_key.yaml",
    operation_not_object => "operation_not_object.yaml",
    param_in_body => "param_in_body.yaml",
    path_item_ref_dangling => "path_item_ref_dangling.yaml",
    path_param_not_in_template => "path_param_not_in_template.yaml",
    path_param_ref_dangling_in_path_item => "path_param_ref_dangling_in_path_item.json",
    paths_wrong_type => "paths_wrong_type.yaml",
    property_type_not_string => "property_type_not_string.yaml",
    ref_cycle_aliases => "ref_cycle_aliases.yaml",
    ref_cycle_parameters => "ref_cycle_parameters.yaml",
    ref_cycle_responses => "ref_cycle_responses.yaml",
    ref_not_string => "ref_not_string.yaml",
    ref_wrong_section => "ref_wrong_section.yaml",
    request_body_ref_to_schema => "request_body_ref_to_schema.yaml",
    scalar_json => "scalar.json",
    schema_wrong_type => "schema_wrong_type.yaml",
    security_scheme_ref_dangling => "security_scheme_ref_dangling.yaml",
    status_code_invalid => "status_code_invalid.yaml",
    swagger2 => "swagger2.yaml",
    type_misspelled => "type_misspelled.yaml",
    type_misspelled_in_definitions => "type_misspelled_in_definitions.yaml",
    version_2 => "version_2.yaml",
    version_4 => "version_4.yaml",
    version_number => "version_number.yaml",
}

/// Without `--strict`, a broken document is refused with the same error, or generates without the
/// broken part, with a warning that carries that error; some documents must generate so.
#[test]
fn without_strict_the_broken_part_is_left_out_with_its_error() {
    let mut generated = Vec::new();
    for (file, _, _) in BAD {
        let strict = refuse(file);
        let text = read_bad(file);
        match generator::generate(&text, &generator::Config::default()) {
            Err(error) => assert_eq!(error, strict, "{file}: not the error --strict gives"),
            Ok(generator::Output { files, warnings, .. }) => {
                assert!(files.iter().any(|f| f.path == "src/lib.rs"), "{file}: no crate");
                let left_out: Vec<&generator::Warning> = warnings.iter().filter(|w| w.left_out.is_some()).collect();
                assert!(
                    left_out.iter().any(|w| w.left_out.as_ref() == Some(&strict)),
                    "{file}: no warning carries the error `{strict}`: {warnings:?}"
                );
                let doc = generator::load::load(&text).expect("loads");
                for warning in left_out {
                    assert!(doc.pointer(&warning.pointer[1..]).is_some(), "{file}: {warning} names nothing");
                }
                generated.push(*file);
            }
        }
    }
    // The cases real documents have: one contradictory operation, codat's misspelled `type`,
    // digitalocean's mapping into another file, a status that is no status code.
    let expected = [
        "allof_contradiction_in_operation.yaml",
        "type_misspelled_in_definitions.yaml",
        "discriminator_mapping_external.yaml",
        "status_code_invalid.yaml",
        "dangling_ref_property.yaml",
    ];
    for file in expected {
        assert!(generated.contains(&file), "{file} should generate without its broken part; generated: {generated:?}");
    }
    // What is left out is only the broken operation.
    let text = read_bad("allof_contradiction_in_operation.yaml");
    let (files, warnings) =
        generator::generate(&text, &generator::Config::default()).map(|o| (o.files, o.warnings)).expect("generates");
    let api = files.iter().find(|f| f.path == "src/api/mod.rs").expect("an api module");
    assert!(api.contents.contains("pub fn get_code(") && !api.contents.contains("set_code"), "{}", api.contents);
    let lines: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        ["warning at #/paths/~1codes/put: the operation is left out: invalid document at \
          #/paths/~1codes/put/requestBody/content/application~1json/schema/allOf: an `allOf` that requires both a \
          string (#/paths/~1codes/put/requestBody/content/application~1json/schema/allOf/0) and an integer \
          (#/paths/~1codes/put/requestBody/content/application~1json/schema/allOf/1)"]
    );
}

/// The real `xtask` binary, with `--strict`, refuses a broken document: a non-zero exit, the error
/// on stderr, and nothing written. Without it, it writes the crate without the broken part and says
/// so on stderr.
#[test]
fn xtask_refuses_a_bad_document_under_strict() {
    let spec = bad_dir().join("dangling_ref_property.yaml");
    let out = std::env::temp_dir().join(format!("bad-input-xtask-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let run = |strict: bool| {
        let mut command = tests::cargo();
        command.args(["run", "--quiet", "-p", "xtask", "--", "codegen", "--spec"]).arg(&spec).arg("--out").arg(&out);
        if strict {
            command.arg("--strict");
        }
        command.output().expect("run cargo")
    };
    let output = run(true);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "xtask accepted a broken document; stderr:\n{stderr}");
    let names_the_cause = |stderr: &str| {
        stderr.contains("dangling_ref_property.yaml")
            && stderr.contains("#/components/schemas/Pet/properties/owner")
            && stderr.contains("#/components/schemas/Owner")
    };
    assert!(names_the_cause(&stderr), "stderr should name the file, the place and the reference:\n{stderr}");
    assert!(!out.exists(), "xtask wrote {} for a broken document", out.display());

    let output = run(false);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "xtask refused what it can generate in part; stderr:\n{stderr}");
    assert!(names_the_cause(&stderr) && stderr.contains("the schema is left out"), "{stderr}");
    let types = std::fs::read_to_string(out.join("src/types.rs")).expect("the crate is written");
    assert!(!types.contains("pub struct Pet "), "the broken schema is left out:\n{types}");
    let _ = std::fs::remove_dir_all(&out);
}
