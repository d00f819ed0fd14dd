//! `cargo xtask vendor`: cutting a full upstream document down to the paths the client covers.
//!
//! The fixture `tests/fixtures/vendor/polar-full.yaml` (built by `build_polar_full.py` next to it) is the
//! vendored spec plus unrelated endpoints, webhooks, unused components and tags, in a shuffled order.

use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::PathBuf;
use tests::read;
use xtask::vendor::{to_yaml, vendor, vendor_file};

const FULL: &str = "tests/fixtures/vendor/polar-full.yaml";
const SUBSCRIPTIONS: &str = "/v1/customer-portal/subscriptions";

fn load(path: &str) -> Value {
    generator::load::load(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn prefixes(list: &[&str]) -> Vec<String> {
    list.iter().map(|p| p.to_string()).collect()
}

/// What `cargo xtask vendor` writes over the spec: the cut document, in upstream's text (our codegen
/// settings live in `spec/openapi-client.toml`).
fn vendored(list: &[&str]) -> Value {
    vendor(load(FULL), &prefixes(list)).unwrap_or_else(|e| panic!("vendoring {list:?} failed: {e}"))
}

fn yaml(list: &[&str]) -> String {
    to_yaml(&vendored(list)).expect("serializes")
}

fn keys(value: &Value, pointer: &str) -> Vec<String> {
    match value.pointer(pointer) {
        Some(Value::Object(map)) => map.keys().cloned().collect(),
        None => Vec::new(),
        Some(other) => panic!("{pointer} is not a mapping: {other}"),
    }
}

fn key_set(value: &Value, pointer: &str) -> BTreeSet<String> {
    keys(value, pointer).into_iter().collect()
}

fn names(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn tag_names(doc: &Value) -> Vec<&str> {
    doc["tags"].as_array().map(|t| t.iter().filter_map(|t| t["name"].as_str()).collect()).unwrap_or_default()
}

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("vendor");
    std::fs::create_dir_all(&dir).expect("creates the scratch directory");
    dir.join(name)
}

// (a) What is kept.

#[test]
fn subscriptions_prefix_keeps_exactly_what_the_vendored_spec_has() {
    let spec = load(xtask::SPEC);
    let out = vendored(&[SUBSCRIPTIONS]);

    assert_eq!(key_set(&out, "/paths"), key_set(&spec, "/paths"));
    assert_eq!(key_set(&out, "/components/schemas"), key_set(&spec, "/components/schemas"));
    assert_eq!(key_set(&out, "/components/securitySchemes"), key_set(&spec, "/components/securitySchemes"));
    assert_eq!(key_set(&out, "/components"), names(&["schemas", "securitySchemes"]));
    // Not only the names: the content is the spec's, whatever the order (maps compare unordered). If the
    // spec changed, regenerate the fixture: `python3 tests/fixtures/vendor/build_polar_full.py`.
    assert!(out["paths"] == spec["paths"], "the fixture's subscription paths differ from {}", xtask::SPEC);
    assert!(out["components"] == spec["components"], "the fixture's components differ from {}", xtask::SPEC);
    assert_eq!(out["info"], spec["info"]);
    assert_eq!(out["servers"], spec["servers"]);

    for dropped in ["Product", "Order", "CustomerOrder", "LegacyDiscountFixed", "Subscription", "CheckoutLegacy"] {
        assert!(out["components"]["schemas"].get(dropped).is_none(), "{dropped} should be dropped");
    }
    assert!(out.get("webhooks").is_none());
    assert!(out["components"]["securitySchemes"].get("access_token").is_none());
    // Only the tags that kept operations use, in the document's order.
    assert_eq!(tag_names(&out), ["public", "customer_portal", "subscriptions"]);
}

#[test]
fn mapping_names_and_pagination_refs_are_followed() {
    let out = vendored(&["/v1/customer-portal/"]);
    let schemas = key_set(&out, "/components/schemas");
    let spec = key_set(&load(xtask::SPEC), "/components/schemas");
    let added: BTreeSet<String> = schemas.difference(&spec).cloned().collect();
    let expected = [
        "CustomerOrder",
        "CustomerOrderDiscount",
        "DiscountFixed",
        "DiscountPercentage",
        // Named only by a bare `discriminator.mapping` value.
        "LegacyDiscountFixed",
        "ListResource_CustomerOrder_",
        "MissingInvoiceBillingDetails",
        "OrderStatus",
    ];
    assert_eq!(added, names(&expected));
    assert!(schemas.is_superset(&spec));
    // Mapping values are copied as written, bare names included.
    assert_eq!(
        out["components"]["schemas"]["CustomerOrderDiscount"]["discriminator"]["mapping"]["legacy_fixed"],
        "LegacyDiscountFixed"
    );
    assert_eq!(tag_names(&out), ["public", "private", "orders", "customer_portal", "subscriptions"]);
}

#[test]
fn every_component_section_is_followed() {
    let out = vendored(&["/v1/products/", "/v1/orders/"]);
    assert_eq!(key_set(&out, "/paths"), names(&["/v1/orders/{id}", "/v1/products/"]));
    assert_eq!(
        key_set(&out, "/components"),
        names(&["examples", "headers", "parameters", "requestBodies", "responses", "schemas", "securitySchemes"])
    );
    assert_eq!(key_set(&out, "/components/examples"), names(&["ProductCreateMonthly"]));
    assert_eq!(key_set(&out, "/components/headers"), names(&["RequestId"]));
    assert_eq!(key_set(&out, "/components/parameters"), names(&["OrganizationIDFilter"]));
    assert_eq!(key_set(&out, "/components/requestBodies"), names(&["ProductCreateBody"]));
    assert_eq!(key_set(&out, "/components/responses"), names(&["NotFound", "ValidationFailed"]));
    assert_eq!(key_set(&out, "/components/securitySchemes"), names(&["access_token"]));
    let schemas = key_set(&out, "/components/schemas");
    for kept in ["Product", "ProductCreate", "ListResource_Product_", "Order", "ResourceNotFound", "ValidationError"] {
        assert!(schemas.contains(kept), "{kept} should be kept");
    }
    // Product → ProductPrice → its members, through `items`, `oneOf` and the discriminator.
    assert!(schemas.contains("ProductPriceSeatBased") && schemas.contains("SeatTierType"));
    for dropped in ["CustomerSubscription", "Subscription", "WebhookOrderCreatedPayload", "CheckoutLegacy"] {
        assert!(!schemas.contains(dropped), "{dropped} should be dropped");
    }
}

#[test]
fn no_prefix_keeps_every_path_and_drops_only_the_unused() {
    let full = load(FULL);
    let out = vendored(&[]);
    assert_eq!(key_set(&out, "/paths"), key_set(&full, "/paths"));
    let unused =
        names(&["CheckoutLegacy", "Subscription", "WebhookOrderCreatedPayload", "WebhookSubscriptionCanceledPayload"]);
    let expected: BTreeSet<String> = key_set(&full, "/components/schemas").difference(&unused).cloned().collect();
    assert_eq!(key_set(&out, "/components/schemas"), expected);
    assert_eq!(key_set(&out, "/components/examples"), names(&["ProductCreateMonthly"]));
    assert_eq!(key_set(&out, "/components/responses"), names(&["NotFound", "ValidationFailed"]));
    assert!(out.get("webhooks").is_none());
    assert_eq!(tag_names(&out), ["public", "private", "products", "orders", "customer_portal", "subscriptions"]);
}

/// A small document for the cases the fixture does not reach.
fn small(paths: Value, components: Value) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Small", "version": "1"},
        "security": [{"api_key": []}],
        "paths": paths,
        "components": components,
    })
}

#[test]
fn refs_in_extensions_security_callbacks_and_deep_pointers_are_followed() {
    let doc = small(
        json!({
            "/a": {"get": {
                "responses": {"200": {"description": "ok"}},
                "x-item": {"schema": {"$ref": "#/components/schemas/OnlyInExtension"}},
                "callbacks": {"done": {"$ref": "#/components/callbacks/Done"}},
            }},
            "/b": {"get": {"responses": {"200": {"description": "ok"}}}},
        }),
        json!({
            "schemas": {
                "OnlyInExtension": {"type": "object", "properties": {"inner": {"$ref": "#/components/schemas/Deep/properties/id"}}},
                "Deep": {"type": "object", "properties": {"id": {"$ref": "#/components/schemas/Encoded%20Name"}}},
                "Encoded Name": {"type": "string"},
                "Hook": {"type": "object"},
                "Unused": {"type": "object"},
            },
            "callbacks": {"Done": {"{$request.body#/url}": {"post": {
                "security": [{"hook_key": []}],
                "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Hook"}}}},
                "responses": {"200": {"description": "ok"}},
            }}}},
            "securitySchemes": {
                "api_key": {"type": "apiKey", "in": "header", "name": "X-Key"},
                "hook_key": {"type": "apiKey", "in": "header", "name": "X-Hook"},
                "unused": {"type": "http", "scheme": "basic"},
            },
        }),
    );
    let out = vendor(doc, &prefixes(&["/a"])).expect("vendors");
    assert_eq!(key_set(&out, "/paths"), names(&["/a"]));
    assert_eq!(key_set(&out, "/components/schemas"), names(&["Deep", "Encoded Name", "Hook", "OnlyInExtension"]));
    assert_eq!(key_set(&out, "/components/callbacks"), names(&["Done"]));
    // `api_key` from the top-level security, `hook_key` from the callback's operation.
    assert_eq!(key_set(&out, "/components/securitySchemes"), names(&["api_key", "hook_key"]));
    assert_eq!(out["security"], json!([{"api_key": []}]));
}

#[test]
fn literal_values_are_copied_as_written() {
    let value = json!({"zeta": 1, "alpha": {"y": 2, "x": 3}});
    let schema = json!({
        "type": "object",
        "properties": {"z": {"type": "string"}, "a": {"type": "object", "default": value, "example": value}},
        "enum": [value],
        "default": value,
    });
    let doc = small(
        json!({"/a": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/S"},
            "example": value,
            "examples": {"one": {"value": value, "summary": "One"}},
        }}}}}}}),
        json!({"schemas": {"S": schema}, "securitySchemes": {"api_key": {"type": "apiKey", "in": "header", "name": "K"}}}),
    );
    let out = to_yaml(&vendor(doc, &[]).expect("vendors")).expect("serializes");
    // Mappings are sorted, but not the values written as data.
    let expected = "\
openapi: 3.0.3
info:
  title: Small
  version: '1'
paths:
  /a:
    get:
      responses:
        '200':
          content:
            application/json:
              example:
                zeta: 1
                alpha:
                  y: 2
                  x: 3
              examples:
                one:
                  summary: One
                  value:
                    zeta: 1
                    alpha:
                      y: 2
                      x: 3
              schema:
                $ref: '#/components/schemas/S'
          description: ok
components:
  schemas:
    S:
      default:
        zeta: 1
        alpha:
          y: 2
          x: 3
      enum:
      - zeta: 1
        alpha:
          y: 2
          x: 3
      properties:
        z:
          type: string
        a:
          default:
            zeta: 1
            alpha:
              y: 2
              x: 3
          example:
            zeta: 1
            alpha:
              y: 2
              x: 3
          type: object
      type: object
  securitySchemes:
    api_key:
      in: header
      name: K
      type: apiKey
security:
- api_key: []
";
    assert_eq!(out, expected);
}

#[test]
fn output_is_in_canonical_order() {
    let out = vendored(&[]);
    assert_eq!(keys(&out, ""), ["openapi", "info", "servers", "paths", "components", "tags"]);
    let paths = keys(&out, "/paths");
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    // The fixture lists them delete, patch, get.
    assert_eq!(keys(&out, "/paths/~1v1~1customer-portal~1subscriptions~1{id}"), ["get", "delete", "patch"]);
    assert_eq!(keys(&out, "/paths/~1v1~1products~1"), ["get", "post"]);
    let schemas = keys(&out, "/components/schemas");
    let mut sorted = schemas.clone();
    sorted.sort();
    assert_eq!(schemas, sorted);
    assert_eq!(keys(&out, "/components/schemas/DiscountFixed"), ["properties", "required", "title", "type"]);
    assert_eq!(keys(&out, "/components/securitySchemes"), ["access_token", "customer_session", "member_session"]);

    // What carries meaning keeps the document's order.
    let spec = load(xtask::SPEC);
    for pointer in [
        "/components/schemas/CustomerSubscription/properties",
        "/components/schemas/BenefitPublic/properties",
        "/components/schemas/ValidationError/properties",
    ] {
        assert_eq!(keys(&out, pointer), keys(&spec, pointer), "{pointer}");
    }
    for pointer in [
        "/components/schemas/CustomerSubscription/required",
        "/components/schemas/BenefitType/enum",
        "/components/schemas/CustomerSubscriptionUpdate/anyOf",
        "/components/schemas/ProductPrice/oneOf",
        "/paths/~1v1~1customer-portal~1subscriptions~1/get/parameters",
        "/paths/~1v1~1customer-portal~1subscriptions~1/get/tags",
    ] {
        assert_eq!(out.pointer(pointer), spec.pointer(pointer), "{pointer}");
        assert!(out.pointer(pointer).is_some_and(Value::is_array), "{pointer}");
    }
    let names: Vec<&str> = out["paths"]["/v1/customer-portal/subscriptions/"]["get"]["parameters"]
        .as_array()
        .map(|p| p.iter().filter_map(|p| p["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, ["product_id", "active", "query", "page", "limit", "sorting"]);
}

// (b) Vendoring then generating gives the crate the hand-written spec gives.

#[test]
fn vendored_document_generates_the_same_crate() {
    let config = generator::Config::named(xtask::CRATE_NAME);
    let expected = generator::generate(&read(xtask::SPEC), &config).expect("the spec generates").files;
    let actual = generator::generate(&yaml(&[SUBSCRIPTIONS]), &config).expect("the vendored document generates").files;
    let paths = |files: &[generator::File]| files.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
    assert_eq!(paths(&actual), paths(&expected));
    for (a, e) in actual.iter().zip(&expected) {
        assert!(a.contents == e.contents, "{} differs between the vendored document and {}", a.path, xtask::SPEC);
    }
}

// (c) Determinism.

#[test]
fn vendoring_is_deterministic_and_idempotent() {
    let first = yaml(&[SUBSCRIPTIONS]);
    assert_eq!(first, yaml(&[SUBSCRIPTIONS]));
    // Vendoring the output again changes nothing.
    let again = vendor(generator::load::load(&first).expect("reloads"), &prefixes(&[SUBSCRIPTIONS])).expect("vendors");
    assert_eq!(to_yaml(&again).expect("serializes"), first);
    // Duplicate and overlapping prefixes change nothing either.
    assert_eq!(yaml(&[SUBSCRIPTIONS, "/v1/customer-portal/subscriptions/", SUBSCRIPTIONS]), first);
    // The input's order does not matter: the hand-written spec (no top-level tags) gives the same bytes
    // as the shuffled fixture once the fixture's tags are removed.
    let mut without_tags = vendored(&[SUBSCRIPTIONS]);
    without_tags.as_object_mut().and_then(|o| o.remove("tags"));
    let from_spec = vendor(load(xtask::SPEC), &prefixes(&[SUBSCRIPTIONS])).expect("vendors the spec");
    assert_eq!(to_yaml(&from_spec).expect("serializes"), to_yaml(&without_tags).expect("serializes"));
}

#[test]
fn json_and_yaml_inputs_give_the_same_file() {
    let json_input = scratch("polar-full.json");
    std::fs::write(&json_input, serde_json::to_string_pretty(&load(FULL)).expect("serializes")).expect("writes");
    let (from_yaml, from_json) = (scratch("from-yaml.yaml"), scratch("from-json.yaml"));
    // New files, so that no codegen settings are carried over from an earlier run.
    let _ = (std::fs::remove_file(&from_yaml), std::fs::remove_file(&from_json));
    let args = prefixes(&[SUBSCRIPTIONS]);
    let message = vendor_file(&tests::repo_root().join(FULL), &args, &from_yaml).expect("vendors the YAML");
    assert!(message.contains("2 paths, 54 components"), "{message}");
    vendor_file(&json_input, &args, &from_json).expect("vendors the JSON");
    let (a, b) = (std::fs::read(&from_yaml).expect("reads"), std::fs::read(&from_json).expect("reads"));
    assert!(a == b, "the JSON and YAML inputs give different files");
    let cut = vendor(load(FULL), &args).expect("vendors");
    assert_eq!(String::from_utf8(a).expect("UTF-8"), to_yaml(&cut).expect("serializes"));
}

// (d) Errors: a JSON pointer, never a panic, and no file written.

fn error(doc: Value, list: &[&str]) -> String {
    match vendor(doc, &prefixes(list)) {
        Ok(_) => panic!("vendoring {list:?} should fail"),
        Err(message) => message,
    }
}

#[test]
fn dangling_ref_names_where_it_is() {
    let mut doc = load(FULL);
    doc["components"]["schemas"].as_object_mut().and_then(|s| s.remove("SubscriptionStatus"));
    let message = error(doc, &[SUBSCRIPTIONS]);
    assert_eq!(
        message,
        "#/components/schemas/CustomerSubscription/properties/status/$ref: \
         `#/components/schemas/SubscriptionStatus` points to nothing"
    );
}

#[test]
fn dangling_refs_of_every_kind_are_reported() {
    let ok = json!({"200": {"description": "ok"}});
    let cases = [
        (
            json!({"/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/Gone"}}}}}),
            "#/paths/~1a/get/responses/200/$ref: `#/components/responses/Gone` points to nothing",
        ),
        (
            json!({"/a": {"get": {"responses": ok.clone(), "x-page": {"item": {"$ref": "#/paths/~1b"}}}}, "/b": {}}),
            "#/paths/~1a/get/x-page/item/$ref: `#/paths/~1b` does not resolve in the kept subset",
        ),
        (
            json!({"/a": {"get": {"responses": ok.clone(), "security": [{"nope": []}]}}}),
            "#/paths/~1a/get/security/0: security scheme `nope` is not declared in #/components/securitySchemes",
        ),
        (
            json!({"/a": {"get": {"responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                "oneOf": [{"$ref": "#/components/schemas/Known"}],
                "discriminator": {"propertyName": "kind", "mapping": {"old": "Vanished"}},
            }}}}}}}}),
            "#/paths/~1a/get/responses/200/content/application~1json/schema/discriminator/mapping/old: \
             `Vanished` points to nothing",
        ),
        (
            json!({"/a": {"get": {"responses": {"200": {"$ref": "#/components/schemas/Known/properties/missing"}}}}}),
            "#/paths/~1a/get/responses/200/$ref: `#/components/schemas/Known/properties/missing` does not resolve in \
             the kept subset",
        ),
        (
            json!({"/a": {"get": {"responses": {"200": {"$ref": "other.yaml#/components/responses/Ok"}}}}}),
            "#/paths/~1a/get/responses/200/$ref: external reference `other.yaml#/components/responses/Ok`: only local \
             `#/…` references can be vendored",
        ),
    ];
    for (paths, expected) in cases {
        let mut doc = small(paths, json!({"schemas": {"Known": {"type": "object"}}}));
        doc.as_object_mut().and_then(|o| o.remove("security"));
        assert_eq!(error(doc, &["/a"]), expected);
    }
}

#[test]
fn a_prefix_that_matches_nothing_is_an_error() {
    let message = error(load(FULL), &[SUBSCRIPTIONS, "/v2/"]);
    assert_eq!(message, "#/paths: no path starts with the prefix `/v2/` (the document has 6 paths)");
}

#[test]
fn malformed_documents_are_errors() {
    assert_eq!(error(json!(["a list"]), &[]), "#: the document is not a mapping (expected an OpenAPI object)");
    assert_eq!(error(json!({"openapi": "3.1.0", "paths": []}), &[]), "#/paths: `paths` is not a mapping");
    assert_eq!(
        error(json!({"openapi": "3.1.0", "paths": {"/a": "nope"}}), &[]),
        "#/paths/~1a: a path item must be a mapping"
    );
    let doc = json!({"paths": {"/a": {"get": {"responses": {"200": {"$ref": "#/components/responses/X"}}}}}, "components": {"responses": []}});
    assert_eq!(error(doc, &[]), "#/components/responses: `responses` is not a mapping");
}

#[test]
fn file_errors_name_the_file_and_write_nothing() {
    let out = scratch("never-written.yaml");
    let _ = std::fs::remove_file(&out);
    let missing = tests::repo_root().join("tests/fixtures/vendor/does-not-exist.yaml");
    let message = vendor_file(&missing, &[], &out).expect_err("an unreadable file fails");
    assert!(message.starts_with("cannot read ") && message.contains("does-not-exist.yaml"), "{message}");

    let scalar = scratch("scalar.yaml");
    std::fs::write(&scalar, "just a string\n").expect("writes");
    let message = vendor_file(&scalar, &[], &out).expect_err("a scalar document fails");
    assert!(message.ends_with("at #: the document is not a mapping (expected an OpenAPI object)"), "{message}");

    let full = tests::repo_root().join(FULL);
    let message = vendor_file(&full, &prefixes(&["/nope"]), &out).expect_err("a prefix matching nothing fails");
    assert!(
        message
            .ends_with("polar-full.yaml: #/paths: no path starts with the prefix `/nope` (the document has 6 paths)"),
        "{message}"
    );
    assert!(!out.exists(), "nothing is written on error");
}

#[test]
fn command_line_arguments() {
    let args = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let message = xtask::vendor::command(&args(&["--path-prefix", "/v1/"])).expect_err("--from is required");
    assert!(message.starts_with("--from FILE is required"), "{message}");
    let message = xtask::vendor::command(&args(&["--from"])).expect_err("--from needs a value");
    assert!(message.starts_with("--from needs a value"), "{message}");
    let message = xtask::vendor::command(&args(&["--frm", "x"])).expect_err("unknown argument");
    assert!(message.starts_with("unknown argument `--frm`"), "{message}");

    let out = scratch("cli.yaml");
    let _ = std::fs::remove_file(&out);
    let full = tests::repo_root().join(FULL);
    let list =
        args(&["--from", &full.to_string_lossy(), "--path-prefix", SUBSCRIPTIONS, "--out", &out.to_string_lossy()]);
    let message = xtask::vendor::command(&list).expect("vendors");
    assert!(message.starts_with("wrote ") && message.ends_with("(2 paths, 54 components)"), "{message}");
    // A new file gets no codegen settings: upstream has none.
    let cut = vendor(load(FULL), &prefixes(&[SUBSCRIPTIONS])).expect("vendors");
    assert_eq!(std::fs::read_to_string(&out).expect("reads"), to_yaml(&cut).expect("serializes"));
}

#[test]
fn re_vendoring_writes_upstreams_text_over_the_file_it_replaces() {
    let out = scratch("settings.yaml");
    let old = "info:\n  title: old\n  x-api-version-header: Polar-Version\n";
    std::fs::write(&out, old).expect("writes");
    vendor_file(&tests::repo_root().join(FULL), &prefixes(&[SUBSCRIPTIONS]), &out).expect("vendors");
    let written = load(&out.to_string_lossy());
    assert_eq!(written["info"].get("x-api-version-header"), None, "settings live in openapi-client.toml");
    assert_eq!(written["info"]["title"], "Polar API");
    assert_eq!(std::fs::read_to_string(&out).expect("reads"), yaml(&[SUBSCRIPTIONS]));
}

// (e) The vendored document itself.

#[test]
fn snapshot() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("snapshots");
    settings.set_prepend_module_to_snapshot(false);
    let cut = yaml(&[SUBSCRIPTIONS]);
    settings.bind(|| insta::assert_snapshot!("vendor__polar_customer_portal_subscriptions", cut));
}
