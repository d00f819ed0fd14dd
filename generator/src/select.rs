//! Stage 1½ (after path items are inlined): the operations `[select]` asks for, and the schemas
//! they reach. Every other operation is taken out of the document, and, when anything was
//! selected, every component schema that no kept operation reaches (through references,
//! discriminator mappings, and the `allOf` children of a discriminated base) is too, so that later
//! stages never see them. Without `[select]` the document passes through untouched.
//!
//! A selector is `tag:NAME`, `METHOD /path` (`*` for any method; in the path, `*` matches within
//! one segment and a `**` segment any number of segments), or an operationId. One that matches no
//! operation is an error at its place in the configuration.

use crate::config::{config_error, Config, Located};
use crate::error::Result;
use crate::walk::{self, Extensions, METHODS};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// One operation of the document, as selectors see it.
struct Op {
    path: String,
    method: &'static str,
    id: Option<String>,
    tags: Vec<String>,
}

enum Selector<'a> {
    Tag(&'a str),
    Route { method: Option<String>, path: Vec<&'a str> },
    Id(&'a str),
}

/// Applies `config.select` (and leaves `[types] replace`d schemas' insides out of what is reached).
pub fn select(mut doc: Value, config: &Config) -> Result<Value> {
    let select = &config.select;
    if select.include.is_empty() && select.exclude.is_empty() {
        return Ok(doc);
    }
    let ops = operations(&doc);
    let mut keep = vec![select.include.is_empty(); ops.len()];
    for (list, value) in [(&select.include, true), (&select.exclude, false)] {
        for setting in list {
            let selector = parse(setting)?;
            let mut matched = false;
            for (i, op) in ops.iter().enumerate() {
                if matches(&selector, op) {
                    keep[i] = value;
                    matched = true;
                }
            }
            if !matched {
                return Err(config_error(setting.at, nothing_matched(setting, &selector, &ops)));
            }
        }
    }
    if !keep.contains(&true) {
        let at = select.exclude.first().or(select.include.first()).and_then(|s| s.at);
        return Err(config_error(at, "select: these selectors leave no operation to generate"));
    }
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for (op, keep) in ops.iter().zip(&keep) {
            if !keep {
                if let Some(Value::Object(item)) = paths.get_mut(&op.path) {
                    item.remove(op.method);
                }
            }
        }
        paths.retain(|_, item| item.as_object().is_none_or(|item| METHODS.iter().any(|m| item.contains_key(*m))));
    }
    prune(&mut doc, config);
    Ok(doc)
}

fn operations(doc: &Value) -> Vec<Op> {
    let mut ops = Vec::new();
    for (path, item) in doc.get("paths").and_then(Value::as_object).into_iter().flatten() {
        for method in METHODS {
            let Some(op) = item.get(method).and_then(Value::as_object) else { continue };
            ops.push(Op {
                path: path.clone(),
                method,
                id: op.get("operationId").and_then(Value::as_str).map(str::to_string),
                tags: op
                    .get("tags")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect(),
            });
        }
    }
    ops
}

fn parse(setting: &Located<String>) -> Result<Selector<'_>> {
    let text = setting.value.trim();
    if let Some(tag) = text.strip_prefix("tag:") {
        return Ok(Selector::Tag(tag.trim()));
    }
    match text.split_once(char::is_whitespace) {
        Some((method, path)) => {
            let path = path.trim();
            let method = method.to_ascii_lowercase();
            if (method != "*" && !METHODS.contains(&method.as_str())) || !path.starts_with('/') {
                let message = format!(
                    "select: `{text}` is not a selector: write `tag:NAME`, `METHOD /path` (GET, POST, … or *) or an operationId"
                );
                return Err(config_error(setting.at, message));
            }
            Ok(Selector::Route { method: (method != "*").then_some(method), path: path.split('/').skip(1).collect() })
        }
        None => Ok(Selector::Id(text)),
    }
}

fn matches(selector: &Selector<'_>, op: &Op) -> bool {
    match selector {
        Selector::Tag(tag) => op.tags.iter().any(|t| t == tag),
        Selector::Id(id) => op.id.as_deref() == Some(*id),
        Selector::Route { method, path } => {
            method.as_deref().is_none_or(|m| m == op.method) && {
                let segments: Vec<&str> = op.path.split('/').skip(1).collect();
                segments_match(path, &segments)
            }
        }
    }
}

/// Glob segments against a path's: `**` takes any number of segments, `*` any run of characters
/// within one.
fn segments_match(globs: &[&str], segments: &[&str]) -> bool {
    match globs.split_first() {
        None => segments.is_empty(),
        Some((&"**", rest)) => (0..=segments.len()).any(|skip| segments_match(rest, &segments[skip..])),
        Some((glob, rest)) => segments
            .split_first()
            .is_some_and(|(segment, others)| text_match(glob, segment) && segments_match(rest, others)),
    }
}

fn text_match(glob: &str, text: &str) -> bool {
    match glob.split_once('*') {
        None => glob == text,
        Some((prefix, rest)) => {
            text.starts_with(prefix)
                && (0..=text.len() - prefix.len())
                    .filter(|i| text.is_char_boundary(prefix.len() + i))
                    .any(|i| text_match(rest, &text[prefix.len() + i..]))
        }
    }
}

fn nothing_matched(setting: &Located<String>, selector: &Selector<'_>, ops: &[Op]) -> String {
    let text = setting.value.trim();
    match selector {
        Selector::Tag(_) => {
            let tags: BTreeSet<&str> = ops.iter().flat_map(|op| op.tags.iter().map(String::as_str)).collect();
            let tags: Vec<&str> = tags.into_iter().collect();
            let known = if tags.is_empty() { "none".to_string() } else { tags.join(", ") };
            format!("select: `{text}` matches no operation (the document's tags: {known})")
        }
        Selector::Id(_) => format!(
            "select: `{text}` matches no operation: no operationId is `{text}` (a route is `METHOD /path`, a tag `tag:NAME`)"
        ),
        Selector::Route { .. } => format!("select: `{text}` matches no operation of the document's {} paths", {
            ops.iter().map(|op| op.path.as_str()).collect::<BTreeSet<_>>().len()
        }),
    }
}

/// Takes out the component schemas that nothing kept reaches.
fn prune(doc: &mut Value, config: &Config) {
    let replaced: BTreeSet<String> =
        config.types.replace.iter().filter_map(|(key, _)| replaced_name(&key.value)).collect();
    let Some(components) = doc.get("components").and_then(Value::as_object) else { return };
    let children = allof_children(components);
    let mut reached: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut queue: Vec<Vec<String>> = Vec::new();
    // What the kept paths use, and every component but the schemas (which are kept only if reached).
    for (key, value) in doc.as_object().into_iter().flatten() {
        if key == "paths" {
            refs(value, &mut queue);
        }
    }
    while let Some(tokens) = queue.pop() {
        let [first, section, name, ..] = tokens.as_slice() else { continue };
        if first != "components" || !reached.entry(section.clone()).or_default().insert(name.clone()) {
            continue;
        }
        if section == "schemas" && replaced.contains(name) {
            continue;
        }
        let Some(value) = components.get(section).and_then(|s| s.get(name)) else { continue };
        refs(value, &mut queue);
        if section == "schemas" && value.get("discriminator").is_some() {
            for child in children.get(name.as_str()).into_iter().flatten() {
                queue.push(vec!["components".into(), "schemas".into(), child.clone()]);
            }
        }
    }
    let keep = reached.remove("schemas").unwrap_or_default();
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        schemas.retain(|name, _| keep.contains(name));
    }
}

/// The pointer tokens of every reference and discriminator mapping below `value` (examples and
/// extensions are data).
fn refs(value: &Value, queue: &mut Vec<Vec<String>>) {
    walk::refs(value, "#", Extensions::Skip, &mut |_, reference| {
        if let Some(tokens) = reference.as_str().and_then(|r| walk::pointer_tokens(r).ok()) {
            queue.push(tokens);
        }
    });
    walk::mappings(value, "#", Extensions::Skip, &mut |_, target| {
        if target.starts_with('#') {
            queue.extend(walk::pointer_tokens(target).ok());
        } else if !target.contains('/') {
            queue.push(vec!["components".into(), "schemas".into(), target.to_string()]);
        }
    });
}

/// For each schema, the schemas whose `allOf` names it: a discriminated base reaches its children so.
fn allof_children(components: &Map<String, Value>) -> BTreeMap<String, Vec<String>> {
    let mut children: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, schema) in components.get("schemas").and_then(Value::as_object).into_iter().flatten() {
        for member in schema.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            let Some(tokens) = member.get("$ref").and_then(Value::as_str).and_then(|r| walk::pointer_tokens(r).ok())
            else {
                continue;
            };
            if let [components, schemas, parent] = tokens.as_slice() {
                if components == "components" && schemas == "schemas" {
                    children.entry(parent.clone()).or_default().push(name.clone());
                }
            }
        }
    }
    children
}

/// The component a `[types] replace` key names: a schema name, or `#/components/schemas/<name>`.
pub(crate) fn replaced_name(key: &str) -> Option<String> {
    match key.strip_prefix('#') {
        Some(_) => match walk::pointer_tokens(key).ok()?.as_slice() {
            [components, schemas, name] if components == "components" && schemas == "schemas" => Some(name.clone()),
            _ => None,
        },
        None => Some(key.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_within_a_segment_and_across_segments() {
        let path = |p: &'static str| p.split('/').skip(1).collect::<Vec<_>>();
        assert!(segments_match(&path("/stores/*"), &path("/stores/{id}")));
        assert!(!segments_match(&path("/stores/*"), &path("/stores/{id}/orders")));
        assert!(segments_match(&path("/stores/**"), &path("/stores/{id}/orders")));
        assert!(segments_match(&path("/stores/**"), &path("/stores")));
        assert!(segments_match(&path("/v1/*-items/{id}"), &path("/v1/order-items/{id}")));
        assert!(!segments_match(&path("/pets"), &path("/pets/{id}")));
    }

    #[test]
    fn unreached_schemas_are_pruned_and_discriminated_children_kept() {
        let doc: Value = serde_json::from_str(
            r##"{"paths": {
                "/pets": {"get": {"operationId": "listPets", "tags": ["pets"], "responses": {"200": {"description": "",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}}}}},
                "/stores": {"get": {"operationId": "listStores", "responses": {"200": {"description": "",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Store"}}}}}}}
            },
            "components": {"schemas": {
                "Pet": {"type": "object", "discriminator": {"propertyName": "kind"}},
                "Cat": {"allOf": [{"$ref": "#/components/schemas/Pet"}]},
                "Store": {"type": "object"}
            }}}"##,
        )
        .expect("json");
        let mut config = Config::default();
        config.select.include = vec![Located::new("tag:pets".to_string())];
        let out = select(doc, &config).expect("selects");
        let schemas: Vec<&String> = out["components"]["schemas"].as_object().expect("schemas").keys().collect();
        assert_eq!(schemas, ["Pet", "Cat"]);
        assert!(out["paths"].get("/stores").is_none());
    }
}
