//! Vendoring: cuts a full upstream OpenAPI document (JSON or YAML, 3.0 or 3.1) down to the paths we use
//! and every component they reach, and writes it as stable, sorted YAML.
//!
//! What is kept:
//! - the paths starting with one of the prefixes (all of them when there are none); a prefix is plain text,
//!   so `/v1/items` also keeps `/v1/items-archive`, and `/v1/items/` does not keep `/v1/items`;
//! - every component reached from them, transitively: any `$ref` anywhere in a kept path or component
//!   (extensions such as `x-polar-pagination` included), every `discriminator.mapping` target (a full
//!   `#/…` reference or a bare schema name), and the security schemes named by a kept operation's
//!   `security` or by the top-level `security`;
//! - `openapi`, `info`, `jsonSchemaDialect`, `servers`, `security`, `externalDocs`, and the `tags` that a
//!   kept operation uses.
//!
//! Everything else is dropped: other paths, `webhooks`, unused components and tags, root extensions.
//!
//! The output is canonical, so that re-vendoring a new upstream release gives a reviewable diff: top-level
//! keys in the order of the OpenAPI specification, HTTP methods in their canonical order, and every other
//! mapping sorted by key, except where order carries meaning: a schema's `properties` and every sequence
//! (`required`, `parameters`, `allOf`/`anyOf`/`oneOf`, `tags`, …) keep the document order, and literal
//! values (`enum`, `const`, `default`, `example`, `examples` of a schema, an Example's `value`) are copied
//! as written.

use crate::error::pointer;
use crate::walk::{self, METHODS};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Reads `from`, vendors it and writes the YAML to `out`.
pub fn vendor_file(from: &Path, prefixes: &[String], out: &Path) -> Result<String, String> {
    let text = std::fs::read_to_string(from).map_err(|e| format!("cannot read {}: {e}", from.display()))?;
    let doc = crate::load::load(&text).map_err(|e| format!("{}: {e}", from.display()))?;
    let vendored = vendor(doc, prefixes).map_err(|e| format!("{}: {e}", from.display()))?;
    write(&vendored, out)?;
    let count = |key: &str| vendored.get(key).and_then(Value::as_object).map_or(0, Map::len);
    let components: usize = vendored
        .get("components")
        .and_then(Value::as_object)
        .map_or(0, |c| c.values().filter_map(Value::as_object).map(Map::len).sum());
    Ok(format!("wrote {} ({} paths, {components} components)", out.display(), count("paths")))
}

/// Serializes a vendored document. The same document always gives the same bytes.
pub fn to_yaml(doc: &Value) -> Result<String, String> {
    serde_yaml::to_string(doc).map_err(|e| format!("cannot serialize the document as YAML: {e}"))
}

/// Writes a vendored document as YAML, creating the parent directory if needed.
pub fn write(doc: &Value, out: &Path) -> Result<(), String> {
    let yaml = to_yaml(doc)?;
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    std::fs::write(out, yaml).map_err(|e| format!("cannot write {}: {e}", out.display()))
}

/// Keeps the paths starting with one of `prefixes` (all paths if there are none) and what they reach,
/// in canonical order. Errors start with a JSON pointer into `doc`.
pub fn vendor(doc: Value, prefixes: &[String]) -> Result<Value, String> {
    let Value::Object(mut root) = doc else {
        return Err(fail("#", "the document is not a mapping (expected an OpenAPI object)"));
    };
    let paths = match root.remove("paths") {
        None => Map::new(),
        Some(Value::Object(paths)) => paths,
        Some(_) => return Err(fail("#/paths", "`paths` is not a mapping")),
    };
    for prefix in prefixes {
        if !paths.keys().any(|path| path.starts_with(prefix.as_str())) {
            let message = format!("no path starts with the prefix `{prefix}` (the document has {} paths)", paths.len());
            return Err(fail("#/paths", message));
        }
    }
    let mut kept_paths: Vec<(String, Value)> = paths
        .into_iter()
        .filter(|(path, _)| prefixes.is_empty() || prefixes.iter().any(|p| path.starts_with(p.as_str())))
        .collect();
    kept_paths.sort_by(|a, b| a.0.cmp(&b.0));
    let components = match root.remove("components") {
        None => Map::new(),
        Some(Value::Object(components)) => components,
        Some(_) => return Err(fail("#/components", "`components` is not a mapping")),
    };

    let mut reach = Reach { components: &components, refs: Vec::new(), uses: Uses::default(), kept: BTreeMap::new() };
    for (path, item) in &kept_paths {
        let at = pointer("#/paths", path);
        if !item.is_object() {
            return Err(fail(&at, "a path item must be a mapping"));
        }
        collect_refs(item, &at, &mut reach.refs)?;
        collect_operations(item, &at, &mut reach.uses);
    }
    if let Some(security) = root.get("security") {
        requirements(security, "#/security", &mut reach.uses);
    }
    reach.close()?;
    let Reach { refs, uses, kept, .. } = reach;

    let mut out = Map::new();
    for key in ["openapi", "info", "jsonSchemaDialect", "servers"] {
        if let Some(value) = root.remove(key) {
            out.insert(key.into(), generic(value));
        }
    }
    let paths = kept_paths.into_iter().map(|(path, item)| (path, path_item(item))).collect();
    out.insert("paths".into(), Value::Object(paths));
    if !kept.is_empty() {
        out.insert("components".into(), Value::Object(kept_components(components, &kept)));
    }
    if let Some(security) = root.remove("security") {
        out.insert("security".into(), generic(security));
    }
    match root.remove("tags") {
        None => {}
        Some(Value::Array(tags)) => {
            let used = |tag: &Value| tag.get("name").and_then(Value::as_str).is_some_and(|n| uses.tags.contains(n));
            let tags: Vec<Value> = tags.into_iter().filter(used).map(generic).collect();
            if !tags.is_empty() {
                out.insert("tags".into(), Value::Array(tags));
            }
        }
        Some(_) => return Err(fail("#/tags", "`tags` is not a sequence")),
    }
    if let Some(docs) = root.remove("externalDocs") {
        out.insert("externalDocs".into(), generic(docs));
    }

    // Every reference must land in the kept subset: this catches references to dropped paths or webhooks,
    // and pointers into a component that go nowhere.
    let out = Value::Object(out);
    for r in &refs {
        if walk::resolve(&out, &r.tokens).is_none() {
            return Err(fail(&r.at, format!("`{}` does not resolve in the kept subset", r.text)));
        }
    }
    Ok(out)
}

fn fail(at: &str, message: impl std::fmt::Display) -> String {
    format!("{at}: {message}")
}

/// A reference found in the kept subset: where it is, what it says, and the pointer it stands for.
struct Ref {
    at: String,
    text: String,
    tokens: Vec<String>,
}

/// What kept operations use besides references.
#[derive(Default)]
struct Uses {
    tags: BTreeSet<String>,
    /// Security scheme names, with where they are required.
    schemes: Vec<(String, String)>,
}

/// The transitive closure of references over `components`.
struct Reach<'a> {
    components: &'a Map<String, Value>,
    refs: Vec<Ref>,
    uses: Uses,
    /// Section → names of the kept components.
    kept: BTreeMap<String, BTreeSet<String>>,
}

impl Reach<'_> {
    /// Keeps what every reference and security requirement names, until nothing new is reached.
    fn close(&mut self) -> Result<(), String> {
        let (mut next_ref, mut next_scheme) = (0, 0);
        loop {
            if let Some(r) = self.refs.get(next_ref) {
                next_ref += 1;
                if let [first, section, name, ..] = r.tokens.as_slice() {
                    if first == "components" {
                        let (section, name, at) = (section.clone(), name.clone(), r.at.clone());
                        let missing = format!("`{}` points to nothing", r.text);
                        self.keep(&section, &name, &at, missing)?;
                    }
                }
            } else if let Some((at, name)) = self.uses.schemes.get(next_scheme).cloned() {
                next_scheme += 1;
                let missing = format!("security scheme `{name}` is not declared in #/components/securitySchemes");
                self.keep("securitySchemes", &name, &at, missing)?;
            } else {
                return Ok(());
            }
        }
    }

    fn keep(&mut self, section: &str, name: &str, at: &str, missing: String) -> Result<(), String> {
        if self.kept.get(section).is_some_and(|names| names.contains(name)) {
            return Ok(());
        }
        let section_at = pointer("#/components", section);
        let value = match self.components.get(section) {
            None => None,
            Some(Value::Object(entries)) => entries.get(name),
            Some(_) => return Err(fail(&section_at, format!("`{section}` is not a mapping"))),
        };
        let value = value.ok_or_else(|| fail(at, missing))?;
        self.kept.entry(section.to_string()).or_default().insert(name.to_string());
        let here = pointer(&section_at, name);
        collect_refs(value, &here, &mut self.refs)?;
        match (section, value) {
            ("pathItems", _) => collect_operations(value, &here, &mut self.uses),
            ("callbacks", Value::Object(callback)) => {
                for (expression, item) in callback {
                    collect_operations(item, &pointer(&here, expression), &mut self.uses);
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// Every `$ref` below `value`, in document order, then every `discriminator.mapping` target (the
/// shared walker's rules: literal values such as examples are data, and hold no references).
fn collect_refs(value: &Value, at: &str, refs: &mut Vec<Ref>) -> Result<(), String> {
    let mut result = Ok(());
    walk::refs(value, at, walk::Extensions::Follow, &mut |here, reference| {
        let Value::String(text) = reference else { return };
        if result.is_ok() {
            result =
                parse_ref(text, here).map(|tokens| refs.push(Ref { at: here.to_string(), text: text.clone(), tokens }));
        }
    });
    walk::mappings(value, at, walk::Extensions::Follow, &mut |here, target| {
        if result.is_ok() {
            result = mapping_ref(target, here).map(|r| refs.push(r));
        }
    });
    result
}

/// The tags and security schemes of the operations of a path item, their callbacks included.
fn collect_operations(item: &Value, at: &str, uses: &mut Uses) {
    for method in METHODS {
        let Some(Value::Object(op)) = item.get(method) else { continue };
        let op_at = pointer(at, method);
        if let Some(Value::Array(tags)) = op.get("tags") {
            uses.tags.extend(tags.iter().filter_map(Value::as_str).map(str::to_string));
        }
        if let Some(security) = op.get("security") {
            requirements(security, &pointer(&op_at, "security"), uses);
        }
        if let Some(Value::Object(callbacks)) = op.get("callbacks") {
            for (name, callback) in callbacks {
                let Value::Object(callback) = callback else { continue };
                let callback_at = pointer(&pointer(&op_at, "callbacks"), name);
                for (expression, item) in callback {
                    collect_operations(item, &pointer(&callback_at, expression), uses);
                }
            }
        }
    }
}

/// The scheme names of a list of security requirements.
fn requirements(security: &Value, at: &str, uses: &mut Uses) {
    let Value::Array(requirements) = security else { return };
    for (i, requirement) in requirements.iter().enumerate() {
        if let Value::Object(requirement) = requirement {
            let here = pointer(at, &i.to_string());
            uses.schemes.extend(requirement.keys().map(|name| (here.clone(), name.clone())));
        }
    }
}

/// The pointer tokens of a local reference (`#/a/b~1c` → `["a", "b/c"]`), URI-decoded first.
fn parse_ref(text: &str, at: &str) -> Result<Vec<String>, String> {
    walk::pointer_tokens(text).map_err(|error| {
        let message = match error {
            walk::RefError::External => {
                format!("external reference `{text}`: only local `#/…` references can be vendored")
            }
            walk::RefError::BadEncoding => format!("`{text}` is not a valid URI fragment"),
            walk::RefError::NotPointer => format!("`{text}` is not a JSON pointer (`#/…`)"),
        };
        fail(at, message)
    })
}

/// A `discriminator.mapping` value: a reference, or the bare name of a schema.
fn mapping_ref(text: &str, at: &str) -> Result<Ref, String> {
    let tokens = if text.starts_with('#') {
        parse_ref(text, at)?
    } else if !text.contains('/') && !text.contains('#') {
        vec!["components".to_string(), "schemas".to_string(), text.to_string()]
    } else {
        let message =
            format!("external mapping target `{text}`: only schema names and local references can be vendored");
        return Err(fail(at, message));
    };
    Ok(Ref { at: at.to_string(), text: text.to_string(), tokens })
}

/// The kept components, sections and names sorted, each in its canonical form.
fn kept_components(
    mut components: Map<String, Value>,
    kept: &BTreeMap<String, BTreeSet<String>>,
) -> Map<String, Value> {
    let mut out = Map::new();
    for (section, names) in kept {
        let Some(Value::Object(mut entries)) = components.remove(section) else { continue };
        let canonical: fn(Value) -> Value = match section.as_str() {
            "schemas" => schema,
            "responses" => response,
            "parameters" | "headers" => parameter,
            "examples" => example,
            "requestBodies" => request_body,
            "callbacks" => callback,
            "pathItems" => path_item,
            _ => generic,
        };
        let section_out = names.iter().filter_map(|name| Some((name.clone(), canonical(entries.remove(name)?))));
        out.insert(section.clone(), Value::Object(section_out.collect()));
    }
    out
}

// Canonical forms. Each knows the shape of one OpenAPI object; what it does not know is `generic`.

/// Mappings sorted by key, recursively; sequences keep their order.
fn generic(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(sorted(map, |_, v| generic(v))),
        Value::Array(items) => Value::Array(items.into_iter().map(generic).collect()),
        other => other,
    }
}

fn sorted(map: Map<String, Value>, field: impl Fn(&str, Value) -> Value) -> Map<String, Value> {
    let mut entries: Vec<(String, Value)> = map.into_iter().collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries
        .into_iter()
        .map(|(key, value)| {
            let value = field(&key, value);
            (key, value)
        })
        .collect()
}

/// An object whose fields are canonicalized by `field`; anything else (a malformed value) generically.
fn object(value: Value, field: impl Fn(&str, Value) -> Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(sorted(map, field)),
        other => generic(other),
    }
}

/// A mapping of names to objects of one kind, sorted by name.
fn map_of(value: Value, each: fn(Value) -> Value) -> Value {
    object(value, |_, v| each(v))
}

fn list_of(value: Value, each: fn(Value) -> Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.into_iter().map(each).collect()),
        other => generic(other),
    }
}

fn path_item(value: Value) -> Value {
    let Value::Object(mut map) = value else { return generic(value) };
    let mut out = Map::new();
    for key in ["$ref", "summary", "description"].into_iter().chain(METHODS).chain(["servers", "parameters"]) {
        if let Some(field) = map.remove(key) {
            let field = match key {
                "parameters" => list_of(field, parameter),
                _ if METHODS.contains(&key) => operation(field),
                _ => generic(field),
            };
            out.insert(key.into(), field);
        }
    }
    out.extend(sorted(map, |_, v| generic(v)));
    Value::Object(out)
}

fn operation(value: Value) -> Value {
    object(value, |key, v| match key {
        "parameters" => list_of(v, parameter),
        "requestBody" => request_body(v),
        "responses" => map_of(v, response),
        "callbacks" => map_of(v, callback),
        _ => generic(v),
    })
}

fn callback(value: Value) -> Value {
    map_of(value, path_item)
}

/// A Parameter or a Header object.
fn parameter(value: Value) -> Value {
    object(value, |key, v| match key {
        "schema" => schema(v),
        "content" => map_of(v, media_type),
        "example" => v,
        "examples" => map_of(v, example),
        _ => generic(v),
    })
}

fn request_body(value: Value) -> Value {
    object(value, |key, v| if key == "content" { map_of(v, media_type) } else { generic(v) })
}

fn response(value: Value) -> Value {
    object(value, |key, v| match key {
        "headers" => map_of(v, parameter),
        "content" => map_of(v, media_type),
        _ => generic(v),
    })
}

fn media_type(value: Value) -> Value {
    object(value, |key, v| match key {
        "schema" => schema(v),
        "example" => v,
        "examples" => map_of(v, example),
        "encoding" => map_of(v, encoding),
        _ => generic(v),
    })
}

fn encoding(value: Value) -> Value {
    object(value, |key, v| if key == "headers" { map_of(v, parameter) } else { generic(v) })
}

fn example(value: Value) -> Value {
    object(value, |key, v| if key == "value" { v } else { generic(v) })
}

fn schema(value: Value) -> Value {
    object(value, |key, v| match key {
        "properties" => match v {
            Value::Object(properties) => {
                Value::Object(properties.into_iter().map(|(name, s)| (name, schema(s))).collect())
            }
            other => generic(other),
        },
        _ if walk::SCHEMA_MAPS.contains(&key) => map_of(v, schema),
        _ if walk::SCHEMA_LISTS.contains(&key) => list_of(v, schema),
        _ if walk::SCHEMA_ONE.contains(&key) && v.is_array() => list_of(v, schema),
        _ if walk::SCHEMA_ONE.contains(&key) => schema(v),
        _ if walk::is_literal(key, &v) || key == "examples" => v,
        _ => generic(v),
    })
}
