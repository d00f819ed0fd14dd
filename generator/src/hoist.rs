//! Between normalize and parse: references that point anywhere else in the document than at a whole
//! component (`#/components/schemas/Foo/properties/bar`, `#/paths/~1a/get/responses/200`) are
//! re-pointed at a copy of their target placed among the components, under a name made from the
//! pointer. `openapiv3`, and lowering after it, then only ever see `#/components/<section>/<name>`.
//!
//! The section comes from where the target sits: a path item's or operation's `parameters/<i>` is a
//! parameter, `responses/<status>` a response, `requestBody` a request body, `headers/<name>` a header,
//! anything else a schema. A pointer that leads nowhere is left as it is, for lowering to report.
//!
//! A reference that names a whole component of the wrong section, where its place expects another
//! kind of object (a response `$ref` to `#/components/schemas/BadRequest`), is re-pointed at a copy
//! in the section its place expects, with a warning, when its object has only that kind's fields.

use crate::error::{pointer, Error, Result, Warning};
use crate::walk;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Refuses a `$ref` whose value is not a string (a property *named* `$ref` is a schema, and fine).
pub fn check_refs(value: &Value, at: &str) -> Result<()> {
    let mut bad = None;
    walk::refs(value, at, &mut |at, reference| {
        if !reference.is_string() && bad.is_none() {
            bad = Some(Error::invalid(at, format!("a `$ref` must be a string, not {reference}")));
        }
    });
    bad.map_or(Ok(()), Err)
}

/// Replaces each path item given by a local `$ref` (to `#/components/pathItems/...`, or to another
/// path) with a copy of its target; the item's own `summary` and `description` stay. A reference
/// that leads nowhere, or only to other references in a loop, is an error with its pointer.
pub fn inline_path_items(mut doc: Value) -> Result<Value> {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else { return Ok(doc) };
    let mut replaced = Vec::new();
    for (path, item) in paths {
        let Some(Value::String(reference)) = item.get("$ref") else { continue };
        if !reference.starts_with("#/") {
            continue;
        }
        let at = pointer(&pointer("#/paths", path), "$ref");
        let mut target = reference.clone();
        let mut seen = vec![pointer("#/paths", path)];
        let resolved = loop {
            let found = tokens(&target).and_then(|tokens| walk::resolve(&doc, &tokens));
            let Some(found) = found else {
                return Err(Error::reference(at, format!("`{target}` points to nothing")));
            };
            match found.get("$ref").and_then(Value::as_str) {
                Some(next) if next.starts_with("#/") => {
                    if seen.contains(&target) {
                        return Err(Error::reference(at, format!("`{target}` is part of a reference cycle")));
                    }
                    seen.push(std::mem::replace(&mut target, next.to_string()));
                }
                _ => break found.clone(),
            }
        };
        let Value::Object(mut resolved) = resolved else {
            return Err(Error::invalid(at, format!("`{target}` is not a path item")));
        };
        resolved.remove("$ref");
        if let Value::Object(own) = item {
            for key in ["summary", "description"] {
                if let Some(value) = own.get(key) {
                    resolved.insert(key.to_string(), value.clone());
                }
            }
        }
        replaced.push((path.clone(), Value::Object(resolved)));
    }
    if let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in replaced {
            paths.insert(path, item);
        }
    }
    Ok(doc)
}

/// Re-points every local reference that does not name a whole component; see the module docs.
pub fn hoist_refs(mut doc: Value) -> Value {
    let mut refs = Vec::new();
    collect(&doc, &mut refs);
    refs.sort();
    refs.dedup();
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    for reference in refs {
        let Some(tokens) = tokens(&reference) else { continue };
        if is_component(&tokens) {
            continue;
        }
        let Some(target) = walk::resolve(&doc, &tokens).cloned() else { continue };
        let section = section(&tokens);
        let Some(root) = doc.as_object_mut() else { return doc };
        let components = root.entry("components").or_insert_with(|| Value::Object(Map::new()));
        let Some(components) = components.as_object_mut() else { return doc };
        let entries = components.entry(section).or_insert_with(|| Value::Object(Map::new()));
        let Some(entries) = entries.as_object_mut() else { return doc };
        let name = free_name(entries, &tokens);
        entries.insert(name.clone(), target);
        renamed.insert(reference, pointer(&format!("#/components/{section}"), &name));
    }
    if !renamed.is_empty() {
        rewrite(&mut doc, &renamed);
    }
    doc
}

/// Re-points references to a whole component of another section than their place expects; see
/// the module docs. Each one re-pointed is a warning at its `$ref`.
pub fn repoint_misplaced(mut doc: Value) -> (Value, Vec<Warning>) {
    let mut misplaced = Vec::new();
    walk::refs(&doc, "#", &mut |at, reference| {
        let (Some(reference), Some(site)) = (reference.as_str(), at.strip_suffix("/$ref")) else { return };
        let (Some(site_tokens), Some(target)) = (tokens(site), tokens(reference)) else { return };
        let expected = expected_section(&site_tokens);
        if expected != "schemas" && is_component(&target) && target[1] != expected {
            misplaced.push((at.to_string(), reference.to_string(), target, expected));
        }
    });
    let mut copies: BTreeMap<(String, &str), String> = BTreeMap::new();
    let mut warnings = Vec::new();
    for (at, reference, target, expected) in misplaced {
        let new = match copies.get(&(reference.clone(), expected)) {
            Some(new) => new.clone(),
            None => {
                let Some(object) = walk::resolve(&doc, &target).filter(|t| fits(t, expected)).cloned() else {
                    continue;
                };
                let Some(entries) = section_mut(&mut doc, expected) else { continue };
                let name = free_name(entries, &target);
                entries.insert(name.clone(), object);
                let new = pointer(&format!("#/components/{expected}"), &name);
                copies.insert((reference.clone(), expected), new.clone());
                new
            }
        };
        let Some(slot) = doc.pointer_mut(&at[1..]) else { continue };
        *slot = Value::String(new);
        let kind = KINDS.iter().find(|(section, ..)| *section == expected).map_or("object", |k| k.1);
        let message = format!(
            "`{reference}` is in `#/components/{}`, but a {kind} belongs here; its object has only a {kind}'s fields, so it is read as one",
            target[1]
        );
        warnings.push(Warning { pointer: at, message });
    }
    (doc, warnings)
}

/// Each section that is not `schemas`: what its objects are called, the fields they may have and
/// those they must (besides `x-` extensions).
const KINDS: &[(&str, &str, &[&str], &[&str])] = &[
    ("responses", "response", &["description", "headers", "content", "links"], &["description"]),
    ("parameters", "parameter", &PARAMETER_FIELDS, &["name", "in"]),
    ("headers", "header", &PARAMETER_FIELDS, &[]),
    ("requestBodies", "request body", &["description", "content", "required"], &["content"]),
];

/// A header has a parameter's fields but `name` and `in`; openapiv3 refuses those on one.
const PARAMETER_FIELDS: [&str; 13] = [
    "name",
    "in",
    "description",
    "required",
    "deprecated",
    "allowEmptyValue",
    "style",
    "explode",
    "allowReserved",
    "schema",
    "example",
    "examples",
    "content",
];

/// Whether `object` reads as an object of `section` (see [`KINDS`]).
fn fits(object: &Value, section: &str) -> bool {
    let (Some(object), Some((_, _, allowed, required))) =
        (object.as_object(), KINDS.iter().find(|(s, ..)| *s == section))
    else {
        return false;
    };
    required.iter().all(|k| object.contains_key(*k))
        && object.keys().all(|k| k.starts_with("x-") || allowed.contains(&k.as_str()))
}

/// The section of the object a `$ref` sits in: a component's own section, or what its place in
/// an operation or path item makes it.
fn expected_section(site: &[String]) -> &'static str {
    match site {
        [components, section, _] if components == "components" => {
            KINDS.iter().find(|(s, ..)| s == section).map_or("schemas", |k| k.0)
        }
        _ => self::section(site),
    }
}

fn section_mut<'d>(doc: &'d mut Value, section: &str) -> Option<&'d mut Map<String, Value>> {
    let components = doc.as_object_mut()?.entry("components").or_insert_with(|| Value::Object(Map::new()));
    components.as_object_mut()?.entry(section).or_insert_with(|| Value::Object(Map::new())).as_object_mut()
}

fn collect(value: &Value, out: &mut Vec<String>) {
    walk::refs(value, "#", &mut |_, reference| {
        if let Some(reference) = reference.as_str().filter(|r| r.starts_with("#/")) {
            out.push(reference.to_string());
        }
    });
}

fn rewrite(value: &mut Value, renamed: &BTreeMap<String, String>) {
    walk::refs_mut(value, &mut |reference| {
        if let Some(new) = renamed.get(reference.as_str()) {
            *reference = new.clone();
        }
    });
}

/// The decoded JSON pointer tokens of a `#/…` reference.
fn tokens(reference: &str) -> Option<Vec<String>> {
    walk::pointer_tokens(reference).ok().filter(|tokens| !tokens.is_empty())
}

fn is_component(tokens: &[String]) -> bool {
    tokens.len() == 3 && tokens[0] == "components"
}

/// The components section a target belongs in, from where it sits.
fn section(tokens: &[String]) -> &'static str {
    let n = tokens.len();
    let parent = |back: usize| n.checked_sub(back).map(|i| tokens[i].as_str());
    let in_operation = tokens.first().is_some_and(|t| t == "paths");
    match (parent(2), parent(1)) {
        (Some("parameters"), Some(index)) if in_operation && index.parse::<usize>().is_ok() => "parameters",
        (Some("responses"), Some(_)) if in_operation => "responses",
        (Some("headers"), Some(_)) if parent(3) != Some("properties") => "headers",
        (_, Some("requestBody")) if in_operation => "requestBodies",
        _ => "schemas",
    }
}

/// A component name from the pointer's last tokens (`Foo/properties/bar` → `Foo_bar`), free in `entries`.
fn free_name(entries: &Map<String, Value>, tokens: &[String]) -> String {
    const STRUCTURE: &[&str] =
        &["components", "schemas", "properties", "items", "content", "schema", "paths", "allOf", "anyOf", "oneOf"];
    let words: Vec<String> = tokens
        .iter()
        .filter(|t| !STRUCTURE.contains(&t.as_str()))
        .map(|t| t.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect::<String>())
        .map(|t| t.trim_matches('_').to_string())
        .filter(|t| !t.is_empty())
        .collect();
    let tail = words.len().saturating_sub(3);
    let base = if words.is_empty() { "Hoisted".to_string() } else { words[tail..].join("_") };
    let mut name = base.clone();
    let mut n = 2;
    while entries.contains_key(&name) {
        name = format!("{base}_{n}");
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn refs_into_properties_and_paths_are_hoisted() {
        let doc = json!({
            "paths": {
                "/a/{id}": { "get": {
                    "parameters": [{ "name": "id", "in": "path", "required": true, "schema": { "type": "string" } }],
                    "responses": { "200": { "description": "ok", "content": { "application/json": { "schema": {
                        "$ref": "#/components/schemas/Foo/properties/bar"
                    } } } } }
                } },
                "/b/{id}": { "get": {
                    "parameters": [{ "$ref": "#/paths/~1a~1%7Bid%7D/get/parameters/0" }],
                    "responses": { "200": { "$ref": "#/paths/~1a~1%7Bid%7D/get/responses/200" } }
                } }
            },
            "components": { "schemas": {
                "Foo": { "type": "object", "properties": { "bar": { "type": "integer" } } },
                "Foo_bar": { "type": "string" },
                "Kept": { "$ref": "#/components/schemas/Foo" }
            } }
        });
        let out = hoist_refs(doc);
        let schema = &out["paths"]["/a/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"];
        assert_eq!(schema["$ref"], "#/components/schemas/Foo_bar_2", "a free name");
        assert_eq!(out["components"]["schemas"]["Foo_bar_2"], json!({ "type": "integer" }));
        let b = &out["paths"]["/b/{id}"]["get"];
        assert_eq!(b["parameters"][0]["$ref"], "#/components/parameters/get_parameters_0");
        assert_eq!(out["components"]["parameters"]["get_parameters_0"]["name"], "id");
        assert!(b["responses"]["200"]["$ref"].as_str().is_some_and(|r| r.starts_with("#/components/responses/")));
        assert_eq!(out["components"]["schemas"]["Kept"]["$ref"], "#/components/schemas/Foo", "whole components stay");
    }

    #[test]
    fn a_whole_component_in_the_wrong_section_is_copied_where_its_place_expects_if_it_fits() {
        let doc = json!({
            "paths": { "/a": { "get": {
                "parameters": [{ "$ref": "#/components/schemas/Limit" }],
                "responses": {
                    "200": { "description": "ok", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Gone" } } } },
                    "404": { "$ref": "#/components/schemas/Gone" },
                    "410": { "$ref": "#/components/schemas/Gone" },
                    "500": { "$ref": "#/components/schemas/Shape" }
                }
            } } },
            "components": {
                "schemas": {
                    "Gone": { "description": "gone", "x-note": 1 },
                    "Shape": { "description": "a schema", "type": "object" },
                    "Limit": { "name": "limit", "in": "query", "schema": { "type": "integer" } }
                },
                "responses": { "Gone": { "description": "taken" } }
            }
        });
        let (out, warnings) = repoint_misplaced(doc);
        let responses = &out["paths"]["/a"]["get"]["responses"];
        assert_eq!(responses["404"]["$ref"], "#/components/responses/Gone_2", "a free name");
        assert_eq!(responses["410"]["$ref"], "#/components/responses/Gone_2", "one copy for both");
        assert_eq!(out["components"]["responses"]["Gone_2"], json!({ "description": "gone", "x-note": 1 }));
        assert_eq!(responses["500"]["$ref"], "#/components/schemas/Shape", "a schema's fields are not a response's");
        let schema = &responses["200"]["content"]["application/json"]["schema"];
        assert_eq!(schema["$ref"], "#/components/schemas/Gone", "a schema's place keeps it");
        assert_eq!(out["paths"]["/a"]["get"]["parameters"][0]["$ref"], "#/components/parameters/Limit");
        let at: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(
            at,
            [
                "#/paths/~1a/get/parameters/0/$ref",
                "#/paths/~1a/get/responses/404/$ref",
                "#/paths/~1a/get/responses/410/$ref"
            ]
        );
    }

    #[test]
    fn dangling_and_external_refs_are_left_alone() {
        let doc = json!({ "components": { "schemas": { "A": { "$ref": "#/components/schemas/B/properties/x" }, "C": { "$ref": "other.json#/X" } } } });
        assert_eq!(hoist_refs(doc.clone()), doc);
    }
}
