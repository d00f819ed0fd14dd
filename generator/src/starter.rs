//! The commented starter configuration that `openapi-client-gen init` writes beside a document:
//! every key of `openapi-client.toml`, set to what generating without it would do or commented
//! out, with the document's own tags and first operations as examples.

use crate::error::Result;
use serde_json::Value;

/// The starter `openapi-client.toml` for the document `text`, whose file stem is `stem`.
pub fn starter_config(text: &str, stem: &str) -> Result<String> {
    let doc = crate::load::load(text)?;
    let title = doc.pointer("/info/title").and_then(Value::as_str).unwrap_or("the API");
    let version = doc.pointer("/info/version").and_then(Value::as_str).unwrap_or("");
    let slug = crate::naming::crate_slug(stem);
    let name = if slug.is_empty() { "api-client".to_string() } else { format!("{slug}-client") };
    let mut tags: Vec<String> = Vec::new();
    let mut operations: Vec<String> = Vec::new();
    for (path, item) in doc.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            if !crate::walk::METHODS.contains(&method.as_str()) {
                continue;
            }
            for tag in op.get("tags").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str) {
                if !tags.iter().any(|t| t == tag) {
                    tags.push(tag.to_string());
                }
            }
            operations.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    let quoted = |items: &[String]| items.iter().take(3).map(|s| format!("{s:?}")).collect::<Vec<_>>().join(", ");
    let include = {
        let mut examples: Vec<String> = tags.iter().take(1).map(|t| format!("tag:{t}")).collect();
        examples.extend(operations.iter().take(2).cloned());
        if examples.is_empty() {
            examples.push("tag:pets".into());
        }
        quoted(&examples)
    };
    let tag_list = if tags.is_empty() { "(none)".to_string() } else { tags.join(", ") };
    Ok(format!(
        r#"# Settings for generating the client of {title} ({version}) from {stem}:
#   openapi-client-gen generate {stem}.yaml     (finds this file beside the document)
# Every key is optional. Names that match nothing in the document are errors, with their line.

[package]                    # the generated crate's manifest
name = "{name}"
version = "0.1.0"
license = "MIT OR Apache-2.0"
# description = "A typed client for {title}"
# edition = "2021"
# rust-version = "1.85"
# publish = false
# repository = "https://github.com/you/{name}"
# authors = ["You <you@example.com>"]
# keywords = ["api", "client"]

[api]
# version-header = "Api-Version"              # send info.version ({version:?}) in this header on every request
# docs-base-url = "https://example.com/docs"  # resolves relative links in the document's prose

[select]                     # the operations to generate; without include, all of them
# A selector is a tag (tag:NAME), METHOD /path with * matching one segment and ** any, or an operationId.
# This document's tags: {tag_list}
# include = [{include}]
# exclude = []
# Schemas that no selected operation reaches are left out.

[types]
# replace = {{ "Money" = "rust_decimal::Decimal" }}  # a component schema (name or JSON pointer) -> your type
# format = {{ "decimal" = "rust_decimal::Decimal" }} # a string format -> your type
# derive = ["Hash"]          # added to every type that can take it (the others are named in warnings)

[types.derive-for]           # added to one type and what it holds, or an error naming the field that can't
# "Pet" = ["PartialOrd"]

[rename]                     # new names for generated ones
# types = {{ "PetStatus" = "Status" }}
# operations = {{ "listPets" = "list_all" }}  # by operationId (or METHOD /path) -> method name
# groups = {{ "pets" = "animals" }}           # a segment of the client's accessor path

[dependencies]               # added to the generated manifest, as in Cargo.toml (a replaced type's crate)
# rust_decimal = {{ version = "1", features = ["serde"] }}

[features]                   # added to the generated manifest (it has `blocking` and `tracing`)
# default = ["blocking"]
"#
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_reads_back_as_the_defaults_with_the_documents_name() {
        let doc = r#"{"openapi": "3.0.3", "info": {"title": "Pets", "version": "1.2"},
            "paths": {"/pets": {"get": {"tags": ["pets"], "responses": {"200": {"description": "ok"}}}}}}"#;
        let text = starter_config(doc, "petstore").expect("a starter");
        assert!(text.contains(r#"include = ["tag:pets", "GET /pets"]"#), "{text}");
        let config = crate::Config::from_toml(&text).expect("the starter reads");
        assert_eq!(config.crate_name(), "petstore-client");
        assert!(config.select.include.is_empty() && config.types.derive.is_empty());
        config.check().expect("the starter checks");
    }
}
