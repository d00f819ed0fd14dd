//! Sloppy but meaningful documents (`tests/fixtures/sloppy/`): they generate, each finding a warning
//! with a JSON pointer that exists in the document, and `--strict` refuses them with that pointer.

use tests::read;

const SLOPPY: &[(&str, &str, &str)] = &[
    (
        "duplicate_operation_id.yaml",
        "#/paths/~1pets~1{id}/get/operationId",
        "operationId `pets` is already used by #/paths/~1pets/get; this one is `pets_2`",
    ),
    (
        "http_digest_auth.yaml",
        "#/components/securitySchemes/digest/scheme",
        "HTTP authentication scheme `digest`: the client takes the whole `Authorization` value from the caller",
    ),
    (
        "items_without_type.yaml",
        "#/components/schemas/Conversation/items",
        "`items` without `type: array` constrains arrays only; the value is read as a list or, when it is not one, as any JSON value",
    ),
    (
        "misplaced_response_ref.yaml",
        "#/paths/~1pets~1{id}/get/responses/404/$ref",
        "`#/components/schemas/PetNotFound` is in `#/components/schemas`, but a response belongs here; its object has only a response's fields, so it is read as one",
    ),
    (
        "not_schema.yaml",
        "#/components/schemas/NotAString/not",
        "a `not` schema has no Rust type: read as any JSON value, which the client does not check against it",
    ),
    (
        "no_responses.yaml",
        "#/paths/~1pets/get/responses",
        "declares no response: read as any success, with no declared body",
    ),
    (
        "no_responses_30.yaml",
        "#/paths/~1pets/get",
        "an operation without `responses` (OpenAPI 3.0 requires them): read as any success, with no declared body",
    ),
    (
        "parameter_as_schema.yaml",
        "#/components/schemas/Page/properties/limit/$ref",
        "`#/components/parameters/Limit` is a parameter, but a schema belongs here; it is read as that parameter's `schema`",
    ),
    (
        "pattern_not_string.yaml",
        "#/paths/~1thumbnails/post/requestBody/content/application~1json/schema/properties/timecode/pattern",
        "`pattern` must be a string, not 0; it is left out",
    ),
    (
        "response_as_schema.yaml",
        "#/paths/~1assets~1clear-tags/post/responses/200/content/application~1json/schema/$ref",
        "`#/components/responses/StatusMessage` is a response, but a schema belongs here; it is read as any JSON value, since it names no schema",
    ),
    (
        "undeclared_global_security_scheme.json",
        "#/security/0/oauth",
        "security scheme `oauth` is not declared in #/components/securitySchemes: nothing is sent for it",
    ),
    (
        "undeclared_path_param.yaml",
        "#/paths/~1pets~1{pet_id}/get",
        "the path template names `{pet_id}` but no path parameter `pet_id` is declared; it is taken as a string",
    ),
    (
        "undeclared_security_scheme.yaml",
        "#/paths/~1pets/get/security/1/apiKey",
        "security scheme `apiKey` is not declared in #/components/securitySchemes: nothing is sent for it",
    ),
    (
        "webhooks.yaml",
        "#/webhooks",
        "2 webhooks (`parcelDelivered`, `parcelLost`): webhooks are not generated, so no type or handler is made for them",
    ),
];

fn document(file: &str) -> String {
    read(&format!("tests/fixtures/sloppy/{file}"))
}

#[test]
fn sloppy_documents_generate_with_a_warning_each() {
    for (file, at, message) in SLOPPY {
        let (files, warnings) = generator::generate(&document(file), &generator::Config::default())
            .map(|o| (o.files, o.warnings))
            .unwrap_or_else(|e| panic!("{file} does not generate: {e}"));
        assert!(!files.is_empty());
        let lines: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert_eq!(lines, [format!("warning at {at}: {message}")], "{file}");
        let doc = generator::load::load(&document(file)).expect("loads");
        assert!(doc.pointer(&at[1..]).is_some(), "{file}: {at} is not in the document");
    }
}

#[test]
fn strict_refuses_every_warning_with_its_pointer() {
    for (file, at, message) in SLOPPY {
        let config = generator::Config { strict: true, ..Default::default() };
        let err = generator::generate(&document(file), &config).expect_err("refused under --strict");
        assert_eq!(err.pointer, *at, "{file}");
        assert_eq!(err.message, format!("{message} (a warning, refused under --strict)"));
    }
}

/// The text of one generated file for a sloppy document.
fn generated(file: &str, path: &str) -> String {
    let files = generator::generate(&document(file), &Default::default()).expect("generates").files;
    files.into_iter().find(|f| f.path == path).map(|f| f.contents).unwrap_or_else(|| panic!("{file}: no {path}"))
}

#[test]
fn what_each_sloppy_document_is_read_as() {
    let api = generated("duplicate_operation_id.yaml", "src/api/mod.rs");
    assert!(api.contains("pub fn pets(&self)") && api.contains("pub fn pets_2(&self, id:"));
    let api = generated("undeclared_path_param.yaml", "src/api/mod.rs");
    assert!(api.contains("pet_id: impl Into<String>"), "{api}");
    let api = generated("misplaced_response_ref.yaml", "src/api/mod.rs");
    assert!(api.contains("/// No pet has this id.\n    ///\n    /// `404`"), "{api}");
    let types = generated("parameter_as_schema.yaml", "src/types.rs");
    assert!(types.contains("pub type Limit = i64;") && types.contains("pub limit: Option<Limit>,"), "{types}");
    let types = generated("pattern_not_string.yaml", "src/types.rs");
    assert!(types.contains("pub timecode: String,"), "{types}");
    let types = generated("response_as_schema.yaml", "src/types.rs");
    assert!(
        types.contains("/// Summary of operation results\npub type StatusMessage = ::serde_json::Value;"),
        "{types}"
    );
}
