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
//! A schema's `$ref` to a parameter, header, response or request body is re-pointed at the schema
//! that object holds, or at an unconstrained one when it holds none, with a warning.
//!
//! [`Hoisted`] remembers where every copy came from, so that no pointer a user reads names one.

use crate::error::{pointer, Error, Result, Warning};
use crate::walk::{self, Extensions};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Refuses a `$ref` whose value is not a string (a property *named* `$ref` is a schema, and fine).
pub fn check_refs(value: &Value, at: &str) -> Result<()> {
    let mut bad = None;
    walk::refs(value, at, Extensions::Skip, &mut |at, reference| {
        if !reference.is_string() && bad.is_none() {
            bad = Some(Error::invalid(at, format!("a `$ref` must be a string, not {reference}")));
        }
    });
    bad.map_or(Ok(()), Err)
}

/// Replaces each path item given by a local `$ref` (to `#/components/pathItems/...`, or to another
/// path) with a copy of its target; the item's own `summary` and `description` stay. So is each
/// operation's callback given by a `$ref` (to `#/components/callbacks/...`), which `openapiv3` has
/// no place for. A reference that leads nowhere, or only to other references in a loop, is an error
/// with its pointer.
pub fn inline_path_items(doc: Value) -> Result<Value> {
    // Path items first, so that the callbacks of an item given by a `$ref` are seen too.
    let doc = inline_in_paths(doc, |doc, path, item| {
        let Some(mut resolved) = follow(doc, item, &pointer("#/paths", path), "path item")? else { return Ok(vec![]) };
        if let Value::Object(own) = item {
            for key in ["summary", "description"] {
                if let Some(value) = own.get(key) {
                    resolved.insert(key.to_string(), value.clone());
                }
            }
        }
        Ok(vec![(Vec::new(), resolved)])
    })?;
    inline_in_paths(doc, |doc, path, item| {
        let mut found = Vec::new();
        for method in walk::METHODS {
            let Some(callbacks) = item.get(method).and_then(|op| op.get("callbacks")).and_then(Value::as_object) else {
                continue;
            };
            let at = pointer(&pointer(&pointer("#/paths", path), method), "callbacks");
            for (name, callback) in callbacks {
                if let Some(resolved) = follow(doc, callback, &pointer(&at, name), "callback")? {
                    found.push((vec![method.to_string(), "callbacks".to_string(), name.clone()], resolved));
                }
            }
        }
        Ok(found)
    })
}

/// What `replacements(doc, path, item)` finds below each path item (the tokens below the item, and
/// the object to put there), put in place once every item has been looked at.
type Replacements = Vec<(Vec<String>, Map<String, Value>)>;

fn inline_in_paths(
    mut doc: Value,
    replacements: impl Fn(&Value, &str, &Value) -> Result<Replacements>,
) -> Result<Value> {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else { return Ok(doc) };
    let mut found = Vec::new();
    for (path, item) in paths {
        for (below, object) in replacements(&doc, path, item)? {
            found.push((path.clone(), below, object));
        }
    }
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return Ok(doc) };
    for (path, below, object) in found {
        let slot = paths.get_mut(&path).and_then(|item| below.iter().try_fold(item, |slot, token| slot.get_mut(token)));
        if let Some(slot) = slot {
            *slot = Value::Object(object);
        }
    }
    Ok(doc)
}

/// The object a local `$ref` in `value` (at `at`) leads to, through any chain of references, without
/// its own `$ref`; `None` when `value` is no local reference.
fn follow(doc: &Value, value: &Value, at: &str, kind: &str) -> Result<Option<Map<String, Value>>> {
    let Some(Value::String(reference)) = value.get("$ref") else { return Ok(None) };
    if !reference.starts_with("#/") {
        return Ok(None);
    }
    let ref_at = pointer(at, "$ref");
    let mut target = reference.clone();
    let mut seen = vec![at.to_string()];
    let resolved = loop {
        let found = tokens(&target).and_then(|tokens| walk::resolve(doc, &tokens));
        let Some(found) = found else {
            return Err(Error::reference(ref_at, format!("`{target}` points to nothing")));
        };
        match found.get("$ref").and_then(Value::as_str) {
            Some(next) if next.starts_with("#/") => {
                if seen.contains(&target) {
                    return Err(Error::reference(ref_at, format!("`{target}` is part of a reference cycle")));
                }
                seen.push(std::mem::replace(&mut target, next.to_string()));
            }
            _ => break found.clone(),
        }
    };
    let Value::Object(mut resolved) = resolved else {
        return Err(Error::invalid(ref_at, format!("`{target}` is not a {kind}")));
    };
    resolved.remove("$ref");
    Ok(Some(resolved))
}

/// Where each copy that hoisting placed among the components came from, so that a pointer into a
/// copy (an error found in it later) can name the place the document's author wrote.
#[derive(Debug, Default, Clone)]
pub struct Hoisted {
    /// The copy's pointer (`#/components/schemas/Foo_bar`) and the original's (`#/components/schemas/Foo/properties/bar`).
    origins: BTreeMap<String, String>,
}

impl Hoisted {
    fn record(&mut self, copy: &str, original: &[String]) {
        let original = original.iter().fold(String::from("#"), |at, token| pointer(&at, token));
        // A copy of a copy names the first original.
        let original = self.locate(&original);
        self.origins.insert(copy.to_string(), original);
    }

    /// `at` with a copy's pointer replaced by its original's: `#/components/schemas/Foo_bar/type`
    /// becomes `#/components/schemas/Foo/properties/bar/type`. Other pointers are returned as they are.
    pub fn locate(&self, at: &str) -> String {
        // A copy is a whole component, `#/components/<section>/<name>`: the first four pieces.
        let end = at.match_indices('/').nth(3).map_or(at.len(), |(i, _)| i);
        match self.origins.get(&at[..end]) {
            Some(original) => format!("{original}{}", &at[end..]),
            None => at.to_string(),
        }
    }

    /// `text` with every pointer it quotes (`` `#/components/…` ``) located, as [`locate`](Self::locate) does.
    pub fn locate_quoted(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find("`#/") {
            let Some(len) = rest[start + 1..].find('`') else { break };
            out.push_str(&rest[..=start]);
            out.push_str(&self.locate(&rest[start + 1..start + 1 + len]));
            rest = &rest[start + 1 + len..];
        }
        out.push_str(rest);
        out
    }
}

/// Re-points every local reference that does not name a whole component; see the module docs.
pub fn hoist_refs(mut doc: Value) -> (Value, Hoisted) {
    let mut hoisted = Hoisted::default();
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
        let Some(entries) = section_mut(&mut doc, section) else { break };
        let name = free_name(entries, &tokens);
        entries.insert(name.clone(), target);
        let copy = pointer(&format!("#/components/{section}"), &name);
        hoisted.record(&copy, &tokens);
        renamed.insert(reference, copy);
    }
    if !renamed.is_empty() {
        rewrite(&mut doc, &renamed);
    }
    (doc, hoisted)
}

/// Re-points references to a whole component of another section than their place expects; see
/// the module docs. Each one re-pointed is a warning at its `$ref`.
pub fn repoint_misplaced(mut doc: Value, hoisted: &mut Hoisted) -> (Value, Vec<Warning>) {
    let mut misplaced = Vec::new();
    walk::refs(&doc, "#", Extensions::Skip, &mut |at, reference| {
        let (Some(reference), Some(site)) = (reference.as_str(), at.strip_suffix("/$ref")) else { return };
        let (Some(site_tokens), Some(target)) = (tokens(site), tokens(reference)) else { return };
        let expected = expected_section(&site_tokens);
        // A schema's place takes what another kind of object holds; other places take the object.
        let holds_schema = KINDS.iter().any(|(section, ..)| target.get(1).is_some_and(|t| t == section));
        if is_component(&target) && target[1] != expected && (expected != "schemas" || holds_schema) {
            misplaced.push((at.to_string(), reference.to_string(), target, expected));
        }
    });
    // Each target is copied once per section; the copy's pointer, and what the warning says it is.
    let mut copies: BTreeMap<(String, &str), (String, String)> = BTreeMap::new();
    let mut warnings = Vec::new();
    for (at, reference, target, expected) in misplaced {
        let (new, read_as) = match copies.get(&(reference.clone(), expected)) {
            Some(copy) => copy.clone(),
            None => {
                let kind = expected_kind(&target, expected);
                let Some(object) = walk::resolve(&doc, &target).filter(|t| fits(t, kind)) else { continue };
                let (object, original, read_as) = match expected {
                    "schemas" => schema_of(object, &target),
                    _ => (object.clone(), target.clone(), String::new()),
                };
                let new = match object.get("$ref").and_then(Value::as_str) {
                    Some(reference) if object.as_object().is_some_and(|o| o.len() == 1) => reference.to_string(),
                    _ => {
                        let Some(entries) = section_mut(&mut doc, expected) else { continue };
                        let name = free_name(entries, &target[2..]);
                        entries.insert(name.clone(), object);
                        let new = pointer(&format!("#/components/{expected}"), &name);
                        hoisted.record(&new, &original);
                        new
                    }
                };
                copies.insert((reference.clone(), expected), (new.clone(), read_as.clone()));
                (new, read_as)
            }
        };
        let Some(slot) = doc.pointer_mut(&at[1..]) else { continue };
        *slot = Value::String(new);
        let written = hoisted.locate(&reference);
        let message = match expected {
            "schemas" => format!("`{written}` is a {}, but a schema belongs here; it is read as {read_as}", kind_name(&target[1])),
            _ => format!(
                "`{written}` is in `#/components/{}`, but a {kind} belongs here; its object has only a {kind}'s fields, so it is read as one",
                target[1],
                kind = kind_name(expected)
            ),
        };
        warnings.push(Warning::new(at, message));
    }
    (doc, warnings)
}

/// What a schema `$ref` to a parameter, header, response or request body meant: the schema it
/// holds (its `schema`, or its content's, JSON first), or any JSON value when it holds none (a
/// response of only a description). The schema, where it came from, and how the warning says it.
fn schema_of(object: &Value, target: &[String]) -> (Value, Vec<String>, String) {
    let kind = kind_name(&target[1]);
    let at = |tail: &[&str]| [target, &tail.iter().map(|t| t.to_string()).collect::<Vec<_>>()].concat();
    if let Some(schema) = object.get("schema") {
        return (schema.clone(), at(&["schema"]), format!("that {kind}'s `schema`"));
    }
    let content = object.get("content").and_then(Value::as_object);
    let media = content.and_then(|c| {
        let json = |name: &str| name.split(';').next().is_some_and(|essence| essence.trim().ends_with("json"));
        c.iter().filter(|(_, m)| m.get("schema").is_some()).min_by_key(|(name, _)| !json(name))
    });
    if let Some((name, media)) = media {
        let schema = media["schema"].clone();
        return (schema, at(&["content", name, "schema"]), format!("the schema of its `{name}` content"));
    }
    let mut any = Map::new();
    if let Some(description) = object.get("description") {
        any.insert("description".to_string(), description.clone());
    }
    (Value::Object(any), target.to_vec(), "any JSON value, since it names no schema".to_string())
}

/// The kind an object must fit to be re-pointed: the section its place expects, or for a schema's
/// place, the kind the target is (whose schema is taken, see [`schema_of`]).
fn expected_kind<'a>(target: &'a [String], expected: &'a str) -> &'a str {
    if expected == "schemas" {
        &target[1]
    } else {
        expected
    }
}

fn kind_name(section: &str) -> &'static str {
    KINDS.iter().find(|(s, ..)| *s == section).map_or("object", |k| k.1)
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

/// Every local reference: each `$ref`, and each discriminator mapping written as a pointer (which
/// may name a schema that sits anywhere, inside an extension too).
fn collect(value: &Value, out: &mut Vec<String>) {
    walk::refs(value, "#", Extensions::Skip, &mut |_, reference| {
        if let Some(reference) = reference.as_str().filter(|r| r.starts_with("#/")) {
            out.push(reference.to_string());
        }
    });
    walk::mappings(value, "#", Extensions::Skip, &mut |_, target| {
        if target.starts_with("#/") {
            out.push(target.to_string());
        }
    });
}

fn rewrite(value: &mut Value, renamed: &BTreeMap<String, String>) {
    let mut repoint = |reference: &mut String| {
        if let Some(new) = renamed.get(reference.as_str()) {
            *reference = new.clone();
        }
    };
    walk::refs_mut(value, Extensions::Skip, &mut repoint);
    walk::mappings_mut(value, false, &mut repoint);
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
    // A schema kept in an extension (`…/post/x-components/TokenRequest`) is named as the author
    // named it there.
    let own = tokens.iter().rposition(|t| t.starts_with("x-")).map_or(0, |i| i + 1);
    let words: Vec<String> = tokens[own..]
        .iter()
        .filter(|t| !walk::STRUCTURE.contains(&t.as_str()))
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
        let (out, hoisted) = hoist_refs(doc);
        assert_eq!(
            hoisted.locate("#/components/schemas/Foo_bar_2/type"),
            "#/components/schemas/Foo/properties/bar/type",
            "a pointer into a copy names the original"
        );
        assert_eq!(hoisted.locate("#/components/parameters/get_parameters_0"), "#/paths/~1a~1{id}/get/parameters/0");
        assert_eq!(hoisted.locate("#/components/schemas/Foo_bar/type"), "#/components/schemas/Foo_bar/type");
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
        let (out, warnings) = repoint_misplaced(doc, &mut Hoisted::default());
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
        assert_eq!(hoist_refs(doc.clone()).0, doc);
    }

    #[test]
    fn a_parameter_or_response_where_a_schema_belongs_is_read_as_the_schema_it_holds() {
        let doc = json!({
            "paths": {
                "/v": { "get": { "parameters": [{ "name": "field", "in": "query", "schema": {
                    "type": "array", "items": { "$ref": "#/paths/~1v~1%7Bid%7D/get/parameters/1" }
                } }, { "name": "sort", "in": "query", "schema": { "$ref": "#/components/parameters/Sort" } }] } },
                "/v/{id}": { "get": { "parameters": [
                    { "name": "id", "in": "path", "required": true, "schema": { "type": "string" } },
                    { "name": "field", "in": "query", "schema": { "type": "string", "enum": ["a", "b"] } }
                ] } }
            },
            "components": {
                "parameters": { "Sort": { "name": "sort", "in": "query", "schema": { "$ref": "#/components/schemas/Order" } } },
                "responses": {
                    "Status": { "description": "A status" },
                    "Named": { "description": "x", "content": { "text/plain": { "schema": { "type": "string" } }, "application/problem+json": { "schema": { "$ref": "#/components/schemas/Order" } } } }
                },
                "schemas": {
                    "Order": { "type": "string" },
                    "Page": { "properties": {
                        "status": { "$ref": "#/components/responses/Status" },
                        "named": { "$ref": "#/components/responses/Named" }
                    } }
                }
            }
        });
        let (doc, mut hoisted) = hoist_refs(doc);
        let (out, warnings) = repoint_misplaced(doc, &mut hoisted);
        let parameters = &out["paths"]["/v"]["get"]["parameters"];
        assert_eq!(parameters[0]["schema"]["items"]["$ref"], "#/components/schemas/get_parameters_1");
        assert_eq!(out["components"]["schemas"]["get_parameters_1"], json!({ "type": "string", "enum": ["a", "b"] }));
        assert_eq!(parameters[1]["schema"]["$ref"], "#/components/schemas/Order", "a schema's `$ref` is followed");
        assert_eq!(
            hoisted.locate("#/components/schemas/get_parameters_1/enum"),
            "#/paths/~1v~1{id}/get/parameters/1/schema/enum"
        );
        let said: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert_eq!(
            said,
            [
                "warning at #/paths/~1v/get/parameters/0/schema/items/$ref: `#/paths/~1v~1{id}/get/parameters/1` is a parameter, but a schema belongs here; it is read as that parameter's `schema`",
                "warning at #/paths/~1v/get/parameters/1/schema/$ref: `#/components/parameters/Sort` is a parameter, but a schema belongs here; it is read as that parameter's `schema`",
                "warning at #/components/schemas/Page/properties/status/$ref: `#/components/responses/Status` is a response, but a schema belongs here; it is read as any JSON value, since it names no schema",
                "warning at #/components/schemas/Page/properties/named/$ref: `#/components/responses/Named` is a response, but a schema belongs here; it is read as the schema of its `application/problem+json` content"
            ]
        );
        let properties = &out["components"]["schemas"]["Page"]["properties"];
        assert_eq!(properties["status"]["$ref"], "#/components/schemas/Status");
        assert_eq!(out["components"]["schemas"]["Status"], json!({ "description": "A status" }));
        assert_eq!(properties["named"]["$ref"], "#/components/schemas/Order", "JSON content first");
    }

    #[test]
    fn callbacks_given_by_reference_are_inlined() {
        let doc = json!({
            "paths": { "/a": { "post": { "callbacks": {
                "onDone": { "$ref": "#/components/callbacks/Done" },
                "inline": { "{$request.body#/url}": { "post": { "responses": {} } } }
            } } } },
            "components": { "callbacks": {
                "Done": { "$ref": "#/components/callbacks/Real" },
                "Real": { "{$request.body#/url}": { "post": { "responses": { "200": { "description": "ok" } } } } }
            } }
        });
        let mut doc = doc;
        // A path item given by a `$ref`, whose operation's callback is a `$ref` too.
        doc["paths"]["/b"] = json!({ "$ref": "#/components/pathItems/B" });
        doc["components"]["pathItems"] =
            json!({ "B": { "get": { "callbacks": { "later": { "$ref": "#/components/callbacks/Real" } } } } });
        let out = inline_path_items(doc.clone()).expect("inlines");
        let callbacks = &out["paths"]["/a"]["post"]["callbacks"];
        assert_eq!(callbacks["onDone"], doc["components"]["callbacks"]["Real"]);
        assert_eq!(callbacks["inline"], doc["paths"]["/a"]["post"]["callbacks"]["inline"]);
        assert_eq!(out["paths"]["/b"]["get"]["callbacks"]["later"], doc["components"]["callbacks"]["Real"]);
        let mut dangling = doc;
        dangling["components"]["callbacks"]["Real"] = json!({ "$ref": "#/components/callbacks/Done" });
        let err = inline_path_items(dangling).expect_err("a loop");
        assert_eq!(err.pointer, "#/paths/~1a/post/callbacks/onDone/$ref");
    }
}
