//! The one walker of the raw document, shared by normalize, hoist and `xtask vendor`: where schemas
//! sit in an OpenAPI document, which keywords of a schema hold schemas and which hold literal values,
//! where `$ref`s and discriminator mappings are, and how a local reference resolves.

use crate::error::push_segment;
use serde_json::{Map, Value};

/// HTTP methods in the order of the OpenAPI Path Item Object.
pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Schema keywords whose value maps names to schemas.
pub const SCHEMA_MAPS: &[&str] = &["properties", "patternProperties", "$defs", "definitions", "dependentSchemas"];

/// Schema keywords whose value is a list of schemas.
pub const SCHEMA_LISTS: &[&str] = &["allOf", "anyOf", "oneOf", "prefixItems"];

/// Schema keywords whose value is one schema (`items` and `additionalItems` may also be a list).
pub const SCHEMA_ONE: &[&str] = &[
    "items",
    "additionalItems",
    "additionalProperties",
    "unevaluatedItems",
    "unevaluatedProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "contentSchema",
];

/// The keywords of a union: its value is one of the listed schemas.
pub const UNIONS: &[&str] = &["anyOf", "oneOf"];

/// Keywords that give a schema a shape of its own (beside which a `$ref` or a lone `null` member
/// cannot simply stand in for it).
pub const SHAPES: &[&str] = &["type", "properties", "items", "allOf", "anyOf", "oneOf", "enum"];

/// Keywords that only annotate (or constrain what the generator does not check): a value of the
/// wrong type there (`pattern: 0`) can be left out and the rest still means what it says.
pub const ANNOTATIONS: &[&str] = &["pattern", "title", "description", "summary"];

/// Pointer tokens that name the document's structure or a schema's rather than a thing: a copy
/// made of what a pointer names is named after the other tokens.
pub const STRUCTURE: &[&str] =
    &["components", "schemas", "properties", "items", "content", "schema", "paths", "allOf", "anyOf", "oneOf"];

/// Keywords whose value is data, never schema or reference: nothing below them is walked. (A
/// schema's `examples` list is data too; a media type's `examples` map holds Example Objects,
/// which may be references, and whose `value` is data.)
pub const LITERALS: &[&str] = &["enum", "const", "default", "example", "value"];

/// Whether the value under `key` is data (see [`LITERALS`]).
pub fn is_literal(key: &str, value: &Value) -> bool {
    LITERALS.contains(&key) || (key == "examples" && value.is_array())
}

/// Whether a walk for `$ref`s enters extensions (`x-…` values). OpenAPI gives a `$ref` there no
/// meaning (shutterstock's code samples point at each other), so the generator skips them; `xtask
/// vendor` follows them, keeping what tools built on an extension may need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Extensions {
    Follow,
    Skip,
}

/// Whether the walk goes below `key` for `$ref`s.
fn enters(key: &str, child: &Value, in_names: bool, extensions: Extensions) -> bool {
    in_names || !(is_literal(key, child) || (extensions == Extensions::Skip && key.starts_with("x-")))
}

/// Calls `f` on every schema of the document (under paths and components), each after the
/// schemas below it, so that `f` sees its children already rewritten.
pub fn schemas_mut(doc: &mut Value, f: &mut impl FnMut(&mut Value)) {
    let Some(root) = doc.as_object_mut() else { return };
    if let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) {
        paths.values_mut().for_each(|item| path_item(item, f));
    }
    if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut) {
        values(components.get_mut("schemas"), |s| schema(s, f));
        values(components.get_mut("parameters"), |p| parameter(p, f));
        values(components.get_mut("headers"), |p| parameter(p, f));
        values(components.get_mut("responses"), |r| response(r, f));
        values(components.get_mut("requestBodies"), |b| content(b, f));
        values(components.get_mut("pathItems"), |i| path_item(i, f));
    }
}

/// A piece of a document that can be read (and fail) on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    PathItem,
    Operation,
    Parameter,
    Header,
    RequestBody,
    Response,
    Schema,
    SecurityScheme,
}

/// The pieces directly below `piece` (below the whole document for `None`), with their pointers,
/// in document order: a path item's parameters and operations, an operation's parameters, body
/// and responses, the schemas of parameters, headers and media types, and a schema's subschemas.
pub fn pieces<'v>(value: &'v Value, at: &str, piece: Option<Piece>) -> Vec<(Piece, &'v Value, String)> {
    /// The entries of `value[key]`, a list's (`list`) or a map's, as pieces of one kind; nothing
    /// when it is neither what it should be, which is its holder's own failure.
    fn entries<'v>(
        out: &mut Vec<(Piece, &'v Value, String)>,
        (value, at): (&'v Value, &str),
        key: &str,
        piece: Piece,
        list: bool,
    ) {
        let under = crate::error::pointer(at, key);
        match value.get(key) {
            Some(Value::Array(items)) if list => out.extend(
                items.iter().enumerate().map(|(i, v)| (piece, v, crate::error::pointer(&under, &i.to_string()))),
            ),
            Some(Value::Object(map)) if !list => {
                out.extend(map.iter().map(|(k, v)| (piece, v, crate::error::pointer(&under, k))))
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    match piece {
        None => {
            entries(&mut out, (value, at), "paths", Piece::PathItem, false);
            if let Some(components) = value.get("components") {
                let at = crate::error::pointer(at, "components");
                let sections = [
                    ("schemas", Piece::Schema),
                    ("parameters", Piece::Parameter),
                    ("headers", Piece::Header),
                    ("requestBodies", Piece::RequestBody),
                    ("responses", Piece::Response),
                    ("securitySchemes", Piece::SecurityScheme),
                ];
                for (section, piece) in sections {
                    let under = crate::error::pointer(&at, section);
                    for (name, entry) in components.get(section).and_then(Value::as_object).into_iter().flatten() {
                        out.push((piece, entry, crate::error::pointer(&under, name)));
                    }
                }
            }
        }
        Some(Piece::PathItem) => {
            entries(&mut out, (value, at), "parameters", Piece::Parameter, true);
            for method in METHODS {
                if let Some(op) = value.get(method) {
                    out.push((Piece::Operation, op, crate::error::pointer(at, method)));
                }
            }
        }
        Some(Piece::Operation) => {
            entries(&mut out, (value, at), "parameters", Piece::Parameter, true);
            if let Some(body) = value.get("requestBody") {
                out.push((Piece::RequestBody, body, crate::error::pointer(at, "requestBody")));
            }
            entries(&mut out, (value, at), "responses", Piece::Response, false);
        }
        Some(Piece::Parameter | Piece::Header) => {
            if let Some(schema) = value.get("schema") {
                out.push((Piece::Schema, schema, crate::error::pointer(at, "schema")));
            }
        }
        Some(Piece::RequestBody | Piece::Response) => {
            let content = crate::error::pointer(at, "content");
            for (media, object) in value.get("content").and_then(Value::as_object).into_iter().flatten() {
                if let Some(schema) = object.get("schema") {
                    let media_at = crate::error::pointer(&content, media);
                    out.push((Piece::Schema, schema, crate::error::pointer(&media_at, "schema")));
                }
            }
        }
        Some(Piece::Schema) => {
            for key in SCHEMA_MAPS {
                entries(&mut out, (value, at), key, Piece::Schema, false);
            }
            for key in SCHEMA_LISTS {
                entries(&mut out, (value, at), key, Piece::Schema, true);
            }
            for key in SCHEMA_ONE {
                match value.get(*key) {
                    Some(Value::Array(_)) => entries(&mut out, (value, at), key, Piece::Schema, true),
                    Some(child @ Value::Object(_)) => out.push((Piece::Schema, child, crate::error::pointer(at, key))),
                    _ => {}
                }
            }
        }
        Some(Piece::SecurityScheme) => {}
    }
    out
}

/// How many of `tokens` (a JSON pointer into `doc`) lead to the innermost schema that holds the
/// place they name, if a schema holds it: `components/schemas/<name>`, a parameter's, header's or
/// media type's `schema`, and the schemas below those by their keywords.
pub fn innermost_schema(doc: &Value, tokens: &[String]) -> Option<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum At {
        /// Outside any schema: the document's structure.
        Outside,
        Schema,
        /// Under a keyword whose value lists (or maps) schemas: the next token is one of them.
        Entries,
        /// Inside data or an extension: no schema below.
        Data,
    }
    let (mut at, mut innermost, mut value) = (At::Outside, None, doc);
    for (i, token) in tokens.iter().enumerate() {
        let child = match value {
            Value::Object(map) => map.get(token),
            Value::Array(list) => token.parse::<usize>().ok().and_then(|n| list.get(n)),
            _ => None,
        }?;
        at = match at {
            At::Outside if i == 2 && tokens[0] == "components" && tokens[1] == "schemas" => At::Schema,
            At::Outside if token == "schema" && !is_literal(token, child) => At::Schema,
            At::Outside if is_literal(token, child) || token.starts_with("x-") => At::Data,
            At::Outside => At::Outside,
            At::Entries => At::Schema,
            At::Schema if SCHEMA_MAPS.contains(&token.as_str()) || SCHEMA_LISTS.contains(&token.as_str()) => {
                At::Entries
            }
            At::Schema if SCHEMA_ONE.contains(&token.as_str()) && child.is_array() => At::Entries,
            At::Schema if SCHEMA_ONE.contains(&token.as_str()) => At::Schema,
            At::Schema | At::Data => At::Data,
        };
        if at == At::Schema {
            innermost = Some(i + 1);
        }
        value = child;
    }
    innermost
}

/// Calls `f(pointer, operation)` for every operation object of the document's paths, those of
/// their callbacks included, in document order.
pub fn operations_mut(doc: &mut Value, f: &mut impl FnMut(&str, &mut Map<String, Value>)) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for (path, item) in paths.iter_mut() {
        operations_of(item, &crate::error::pointer("#/paths", path), f);
    }
}

fn operations_of(item: &mut Value, at: &str, f: &mut impl FnMut(&str, &mut Map<String, Value>)) {
    let Some(item) = item.as_object_mut() else { return };
    for method in METHODS {
        let Some(op) = item.get_mut(method).and_then(Value::as_object_mut) else { continue };
        let op_at = crate::error::pointer(at, method);
        f(&op_at, op);
        let Some(callbacks) = op.get_mut("callbacks").and_then(Value::as_object_mut) else { continue };
        for (name, callback) in callbacks.iter_mut() {
            let callback_at = crate::error::pointer(&crate::error::pointer(&op_at, "callbacks"), name);
            for (expression, item) in callback.as_object_mut().into_iter().flatten() {
                operations_of(item, &crate::error::pointer(&callback_at, expression), f);
            }
        }
    }
}

fn values(map: Option<&mut Value>, mut f: impl FnMut(&mut Value)) {
    if let Some(map) = map.and_then(Value::as_object_mut) {
        map.values_mut().for_each(&mut f);
    }
}

fn items(list: Option<&mut Value>, mut f: impl FnMut(&mut Value)) {
    if let Some(list) = list.and_then(Value::as_array_mut) {
        list.iter_mut().for_each(&mut f);
    }
}

fn path_item(item: &mut Value, f: &mut impl FnMut(&mut Value)) {
    let Some(item) = item.as_object_mut() else { return };
    items(item.get_mut("parameters"), |p| parameter(p, f));
    for method in METHODS {
        let Some(op) = item.get_mut(method).and_then(Value::as_object_mut) else { continue };
        items(op.get_mut("parameters"), |p| parameter(p, f));
        if let Some(body) = op.get_mut("requestBody") {
            content(body, f);
        }
        values(op.get_mut("responses"), |r| response(r, f));
        // Callbacks map expressions to path items.
        values(op.get_mut("callbacks"), |callback| values(Some(callback), |i| path_item(i, f)));
    }
}

fn parameter(param: &mut Value, f: &mut impl FnMut(&mut Value)) {
    if let Some(s) = param.get_mut("schema") {
        schema(s, f);
    }
    content(param, f);
}

fn response(resp: &mut Value, f: &mut impl FnMut(&mut Value)) {
    content(resp, f);
    values(resp.get_mut("headers"), |h| parameter(h, f));
}

/// The `content` of a request body, response or parameter: each media type's schema, and the
/// headers of its `encoding`s.
fn content(holder: &mut Value, f: &mut impl FnMut(&mut Value)) {
    values(holder.get_mut("content"), |media| {
        if let Some(s) = media.get_mut("schema") {
            schema(s, f);
        }
        values(media.get_mut("encoding"), |e| values(e.get_mut("headers"), |h| parameter(h, f)));
    });
}

fn schema(value: &mut Value, f: &mut impl FnMut(&mut Value)) {
    if let Some(obj) = value.as_object_mut() {
        for (key, child) in obj.iter_mut() {
            let key = key.as_str();
            if SCHEMA_MAPS.contains(&key) {
                values(Some(child), |s| schema(s, f));
            } else if SCHEMA_LISTS.contains(&key) || (SCHEMA_ONE.contains(&key) && child.is_array()) {
                items(Some(child), |s| schema(s, f));
            } else if SCHEMA_ONE.contains(&key) {
                schema(child, f);
            }
        }
    }
    f(value);
}

/// Whether the keys of the object under `key` are names rather than keywords: a schema's
/// `properties`, and the statuses of `responses` (whose `default` is a response, not a value).
fn names_below(key: &str, in_names: bool) -> bool {
    !in_names && (key == "properties" || key == "responses")
}

/// Calls `f(pointer, value)` for every `$ref` below `value`, in document order. Literal values
/// (`enum`, `example`, …) are data and not walked, and a property *named* `$ref` is a schema.
pub fn refs<'v>(value: &'v Value, at: &str, extensions: Extensions, f: &mut impl FnMut(&str, &'v Value)) {
    // One pointer buffer for the whole walk, grown and cut back a segment at a time: most keys
    // lead to no `$ref`, so none of them should cost an allocation.
    let mut here = at.to_string();
    refs_below(value, &mut here, false, extensions, f)
}

fn refs_below<'v>(
    value: &'v Value,
    here: &mut String,
    in_names: bool,
    extensions: Extensions,
    f: &mut impl FnMut(&str, &'v Value),
) {
    let len = here.len();
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                push_segment(here, key);
                if key == "$ref" && !in_names {
                    f(here, child);
                } else if enters(key, child, in_names, extensions) {
                    refs_below(child, here, names_below(key, in_names), extensions, f);
                }
                here.truncate(len);
            }
        }
        Value::Array(list) => {
            for (i, item) in list.iter().enumerate() {
                // Digits need no escaping.
                let _ = std::fmt::Write::write_fmt(here, format_args!("/{i}"));
                refs_below(item, here, false, extensions, f);
                here.truncate(len);
            }
        }
        _ => {}
    }
}

/// Calls `f` on every `$ref` string below `value`, with the same rules as [`refs`].
pub fn refs_mut(value: &mut Value, extensions: Extensions, f: &mut impl FnMut(&mut String)) {
    refs_mut_below(value, false, extensions, f)
}

fn refs_mut_below(value: &mut Value, in_names: bool, extensions: Extensions, f: &mut impl FnMut(&mut String)) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                match child {
                    Value::String(text) if key == "$ref" && !in_names => f(text),
                    _ if !enters(key, child, in_names, extensions) => {}
                    _ => refs_mut_below(child, names_below(key, in_names), extensions, f),
                }
            }
        }
        Value::Array(list) => list.iter_mut().for_each(|item| refs_mut_below(item, false, extensions, f)),
        _ => {}
    }
}

/// Calls `f(pointer, target)` for every `discriminator.mapping` entry below `value`; a mapping
/// inside an extension only with [`Extensions::Follow`].
pub fn mappings<'v>(value: &'v Value, at: &str, extensions: Extensions, f: &mut impl FnMut(&str, &'v str)) {
    mappings_below(value, at, false, extensions, f)
}

fn mappings_below<'v>(
    value: &'v Value,
    at: &str,
    in_names: bool,
    extensions: Extensions,
    f: &mut impl FnMut(&str, &'v str),
) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let here = crate::error::pointer(at, key);
                if key == "discriminator" && !in_names {
                    if let Some(Value::Object(mapping)) = child.get("mapping") {
                        let mapping_at = crate::error::pointer(&here, "mapping");
                        for (tag, target) in mapping {
                            if let Value::String(target) = target {
                                f(&crate::error::pointer(&mapping_at, tag), target);
                            }
                        }
                    }
                } else if enters(key, child, in_names, extensions) {
                    mappings_below(child, &here, names_below(key, in_names), extensions, f);
                }
            }
        }
        Value::Array(list) => {
            for (i, item) in list.iter().enumerate() {
                mappings_below(item, &crate::error::pointer(at, &i.to_string()), false, extensions, f);
            }
        }
        _ => {}
    }
}

/// Calls `f` on every `discriminator.mapping` target below `value`, outside extensions, so that
/// it can be re-pointed.
pub fn mappings_mut(value: &mut Value, in_names: bool, f: &mut impl FnMut(&mut String)) {
    match value {
        Value::Object(map) => {
            for (key, child) in map.iter_mut() {
                if key == "discriminator" && !in_names {
                    if let Some(Value::Object(mapping)) = child.get_mut("mapping") {
                        mapping
                            .values_mut()
                            .filter_map(|t| if let Value::String(t) = t { Some(t) } else { None })
                            .for_each(&mut *f);
                    }
                } else if enters(key, child, in_names, Extensions::Skip) {
                    mappings_mut(child, names_below(key, in_names), f);
                }
            }
        }
        Value::Array(list) => list.iter_mut().for_each(|item| mappings_mut(item, false, f)),
        _ => {}
    }
}

/// Why a reference is not a local JSON pointer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefError {
    /// Another file or a URL.
    External,
    /// A fragment that is not percent-decodable.
    BadEncoding,
    /// A fragment that is not a JSON pointer (`#foo`).
    NotPointer,
}

/// The decoded tokens of a local reference (`#/a/b~1c` → `a`, `b/c`): percent-decoded, then `~1`
/// and `~0`. `#` alone is the whole document (no tokens).
pub fn pointer_tokens(reference: &str) -> Result<Vec<String>, RefError> {
    let fragment = reference.strip_prefix('#').ok_or(RefError::External)?;
    let fragment = percent_decode(fragment).ok_or(RefError::BadEncoding)?;
    if fragment.is_empty() {
        return Ok(Vec::new());
    }
    let rest = fragment.strip_prefix('/').ok_or(RefError::NotPointer)?;
    Ok(rest.split('/').map(|token| token.replace("~1", "/").replace("~0", "~")).collect())
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The value the tokens lead to in `doc`, if any.
pub fn resolve<'v>(doc: &'v Value, tokens: &[String]) -> Option<&'v Value> {
    tokens.iter().try_fold(doc, |value, token| match value {
        Value::Object(map) => map.get(token),
        Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_innermost_schema_of_a_place() {
        let doc = serde_json::json!({
            "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {
                "type": "object", "properties": {"b": {"type": {"oops": 1}, "example": {"c": 1}}},
                "allOf": [{"items": {"type": 7}}]
            }}}}}}}},
            "components": {"schemas": {"S": {"enum": [1]}}, "parameters": {"P": {"name": "p"}}}
        });
        let at = |pointer: &str| {
            let tokens = super::pointer_tokens(pointer).expect("a pointer");
            super::innermost_schema(&doc, &tokens).map(|n| tokens[..n].join("/"))
        };
        let schema = "paths//a/get/responses/200/content/application/json/schema";
        assert_eq!(
            at("#/paths/~1a/get/responses/200/content/application~1json/schema/properties/b/type/oops"),
            Some(format!("{schema}/properties/b"))
        );
        assert_eq!(
            at("#/paths/~1a/get/responses/200/content/application~1json/schema/properties/b/example/c"),
            Some(format!("{schema}/properties/b"))
        );
        assert_eq!(
            at("#/paths/~1a/get/responses/200/content/application~1json/schema/allOf/0/items/type"),
            Some(format!("{schema}/allOf/0/items"))
        );
        assert_eq!(at("#/components/schemas/S/enum/0"), Some("components/schemas/S".to_string()));
        assert_eq!(at("#/components/parameters/P/name"), None);
        assert_eq!(at("#/paths/~1a/get/responses"), None);
        assert_eq!(at("#/nowhere"), None);
    }

    use super::*;
    use serde_json::json;

    #[test]
    fn refs_skip_literals_and_property_names() {
        let schema = json!({
            "properties": { "$ref": { "$ref": "#/components/schemas/A" }, "b": { "example": { "$ref": "#/x" } } },
            "allOf": [{ "$ref": "#/components/schemas/B" }],
            "default": { "$ref": "#/y" },
            "responses": { "default": { "$ref": "#/components/responses/R" } },
            "x-code-samples": [{ "source": { "$ref": "#/x-code-samples/0" } }]
        });
        let mut seen = Vec::new();
        refs(&schema, "#", Extensions::Skip, &mut |at, value| seen.push((at.to_string(), value.clone())));
        assert_eq!(
            seen,
            vec![
                ("#/properties/$ref/$ref".to_string(), json!("#/components/schemas/A")),
                ("#/allOf/0/$ref".to_string(), json!("#/components/schemas/B")),
                ("#/responses/default/$ref".to_string(), json!("#/components/responses/R")),
            ]
        );
        let mut followed = 0;
        refs(&schema, "#", Extensions::Follow, &mut |_, _| followed += 1);
        assert_eq!(followed, 4, "an extension's `$ref` is followed when asked");
        let mut schema = schema;
        let mut count = 0;
        refs_mut(&mut schema, Extensions::Skip, &mut |text| {
            text.push('!');
            count += 1;
        });
        assert_eq!(count, 3, "a `default` response is no default value, and an extension holds data");
        assert_eq!(schema["default"]["$ref"], "#/y");
    }

    #[test]
    fn pointers_decode_and_resolve() {
        assert_eq!(
            pointer_tokens("#/paths/~1a~1%7Bid%7D/get"),
            Ok(vec!["paths".into(), "/a/{id}".into(), "get".into()])
        );
        assert_eq!(pointer_tokens("other.json#/a"), Err(RefError::External));
        assert_eq!(pointer_tokens("#a"), Err(RefError::NotPointer));
        assert_eq!(pointer_tokens("#/%zz"), Err(RefError::BadEncoding));
        let doc = json!({ "a": [{ "b": 1 }] });
        assert_eq!(resolve(&doc, &["a".into(), "0".into(), "b".into()]), Some(&json!(1)));
        assert_eq!(resolve(&doc, &["a".into(), "x".into()]), None);
    }

    #[test]
    fn every_schema_is_visited_children_first() {
        let mut doc = json!({
            "paths": { "/a": { "get": { "responses": { "200": { "content": { "application/json": {
                "schema": { "items": { "type": "string" } } } } } } } } },
            "components": { "schemas": { "S": { "properties": { "p": { "type": "integer" } } } } }
        });
        let mut order = Vec::new();
        schemas_mut(&mut doc, &mut |s| order.push(s.to_string()));
        assert_eq!(
            order,
            vec![
                r#"{"type":"string"}"#,
                r#"{"items":{"type":"string"}}"#,
                r#"{"type":"integer"}"#,
                r#"{"properties":{"p":{"type":"integer"}}}"#
            ]
        );
    }
}
