//! Stage 2: rewrite OpenAPI 3.1 shapes into the 3.0 shapes `openapiv3` parses, keeping their meaning.
//!
//! Meaning that 3.0 cannot say is carried in extensions that lowering reads back:
//! `x-oapi-const` holds a `const` value, `x-oapi-null` marks a schema that only admits `null`.
//! A 3.0 document is returned unchanged.

use crate::walk;
use serde_json::{Map, Value};

/// Extension holding the value of a 3.1 `const`.
pub const CONST_EXTENSION: &str = "x-oapi-const";
/// Extension marking a schema whose only value is `null` (3.1 `type: 'null'`).
pub const NULL_EXTENSION: &str = "x-oapi-null";
/// Extension marking the `responses` of an operation that declared none (3.1 made the field
/// optional): lowering reads it as any success with no declared body.
pub const RESPONSES_ABSENT: &str = "x-oapi-responses-absent";

/// Extension of `components` naming the `mutualTLS` security schemes (3.1), which `openapiv3` does
/// not know: `{name: {description}}`.
pub const MUTUAL_TLS_EXTENSION: &str = "x-oapi-mutual-tls";

/// Extension of the document holding its 3.1 `webhooks`, which are not generated.
pub const WEBHOOKS_EXTENSION: &str = "x-oapi-webhooks";

/// An operation without `responses` gets an empty one, marked [`RESPONSES_ABSENT`].
pub fn mark_absent_responses(doc: &mut Value, mut found: impl FnMut(&str)) {
    walk::operations_mut(doc, &mut |at, op| {
        if !op.contains_key("responses") {
            op.insert("responses".into(), serde_json::json!({ RESPONSES_ABSENT: true }));
            found(at);
        }
    });
}

/// Rewrites a 3.1 document in place of a copy; other versions pass through untouched.
pub fn normalize(mut doc: Value) -> Value {
    let is_31 = doc.get("openapi").and_then(Value::as_str).is_some_and(|v| v.starts_with("3.1"));
    if !is_31 {
        return doc;
    }
    let Some(root) = doc.as_object_mut() else { return doc };
    root.insert("openapi".into(), Value::String("3.0.3".into()));
    root.entry("paths").or_insert_with(|| Value::Object(Map::new()));
    root.remove("jsonSchemaDialect");
    // Kept where `openapiv3` keeps what it does not know, for lowering to say they are left out.
    if let Some(webhooks) = root.remove("webhooks") {
        root.insert(WEBHOOKS_EXTENSION.into(), webhooks);
    }
    if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut) {
        // Inlined into the paths that use them before this stage; `openapiv3` (3.0) has no place for them.
        components.remove("pathItems");
        mutual_tls(components);
    }
    // 3.1 made `responses` optional.
    mark_absent_responses(&mut doc, |_| {});
    walk::schemas_mut(&mut doc, &mut schema);
    doc
}

/// `mutualTLS` schemes move from `securitySchemes` to [`MUTUAL_TLS_EXTENSION`], in their order.
fn mutual_tls(components: &mut Map<String, Value>) {
    let Some(schemes) = components.get_mut("securitySchemes").and_then(Value::as_object_mut) else { return };
    let is_mutual_tls = |scheme: &Value| scheme.get("type").and_then(Value::as_str) == Some("mutualTLS");
    let mut moved = Map::new();
    for (name, scheme) in schemes.iter().filter(|(_, scheme)| is_mutual_tls(scheme)) {
        let mut scheme = scheme.clone();
        if let Some(object) = scheme.as_object_mut() {
            object.retain(|key, _| key != "type");
        }
        moved.insert(name.clone(), scheme);
    }
    if moved.is_empty() {
        return;
    }
    // `retain` keeps the other schemes in their order.
    schemes.retain(|_, scheme| !is_mutual_tls(scheme));
    components.insert(MUTUAL_TLS_EXTENSION.into(), Value::Object(moved));
}

/// Normalizes one schema, whose subschemas the walker has normalized already.
fn schema(value: &mut Value) {
    // 3.1 boolean schemas: `true` admits anything, which is `{}`; `false` admits nothing, which
    // 3.0 writes `{not: {}}`. Where a `false` sits decides what it means (below).
    match value {
        Value::Bool(true) => *value = Value::Object(Map::new()),
        Value::Bool(false) => *value = never(),
        _ => {}
    }
    let Some(obj) = value.as_object_mut() else { return };
    // A property whose schema is `false` can never be present: the struct does without it.
    if let Some(properties) = obj.get_mut("properties").and_then(Value::as_object_mut) {
        properties.retain(|_, property| !is_never(property));
    }
    // `items: false` (2020-12's way to close a tuple after `prefixItems`): no further items, which
    // a list of any JSON values holds too.
    if obj.get("items").is_some_and(is_never) {
        obj.remove("items");
    }
    // A union member that admits nothing is never the one a value matches; a union left with one
    // member is that member (with this schema's words, through `allOf`).
    for &key in walk::UNIONS {
        let Some(Value::Array(members)) = obj.get_mut(key) else { continue };
        if !members.iter().any(is_never) {
            continue;
        }
        members.retain(|member| !is_never(member));
        if members.len() == 1 && !obj.contains_key("allOf") {
            if let Some(only) = obj.remove(key) {
                obj.insert("allOf".into(), only);
            }
        }
    }
    // `not: false` excludes nothing.
    if obj.get("not").is_some_and(is_never) {
        obj.remove("not");
    }
    // `additionalProperties: false` is what 3.0 writes too.
    if obj.get("additionalProperties").is_some_and(is_never) {
        obj.insert("additionalProperties".into(), Value::Bool(false));
    }
    type_array(obj);
    null_type(obj);
    const_value(obj);
    nullable_union(obj, "anyOf");
    nullable_union(obj, "oneOf");
    exclusive_bounds(obj);
    integral_bounds(obj);
    if let Some(Value::Array(examples)) = obj.remove("examples") {
        if let Some(first) = examples.into_iter().next() {
            obj.entry("example").or_insert(first);
        }
    }
    if obj.get("contentMediaType").is_some() && obj.get("format").is_none() {
        obj.insert("format".into(), Value::String("binary".into()));
    }
    ref_with_siblings(obj);
}

/// `type: [T, 'null']` → `type: T, nullable: true`; several types become an `anyOf`.
fn type_array(obj: &mut Map<String, Value>) {
    let Some(Value::Array(types)) = obj.get("type") else { return };
    let nullable = types.iter().any(|t| t == "null");
    let rest: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
    obj.remove("type");
    match rest.len() {
        0 => {
            obj.insert(NULL_EXTENSION.into(), Value::Bool(true));
        }
        1 => {
            obj.insert("type".into(), rest[0].clone());
        }
        _ => {
            let variants = rest.into_iter().map(|t| Value::Object(Map::from_iter([("type".to_string(), t)]))).collect();
            obj.insert("anyOf".into(), Value::Array(variants));
        }
    }
    if nullable {
        obj.insert("nullable".into(), Value::Bool(true));
    }
}

/// `type: 'null'` alone → an untyped schema marked with [`NULL_EXTENSION`].
fn null_type(obj: &mut Map<String, Value>) {
    if obj.get("type").is_some_and(|t| t == "null") || obj.get("const").is_some_and(Value::is_null) {
        obj.remove("type");
        obj.remove("const");
        obj.insert(NULL_EXTENSION.into(), Value::Bool(true));
    }
}

/// `const: v` → `enum: [v]` with its type, plus [`CONST_EXTENSION`] so lowering knows it is a constant.
fn const_value(obj: &mut Map<String, Value>) {
    let Some(value) = obj.remove("const") else { return };
    let ty = match &value {
        Value::String(_) => "string",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
        Value::Null => return,
    };
    obj.entry("type").or_insert_with(|| Value::String(ty.into()));
    if matches!(value, Value::String(_) | Value::Number(_) | Value::Bool(_)) {
        obj.insert("enum".into(), Value::Array(vec![value.clone()]));
    }
    obj.insert(CONST_EXTENSION.into(), value);
}

/// The schema that admits no value (3.1's `false`).
fn never() -> Value {
    serde_json::json!({ "not": {} })
}

fn is_never(v: &Value) -> bool {
    *v == Value::Bool(false) || *v == never()
}

fn is_null_schema(v: &Value) -> bool {
    v.get("type").is_some_and(|t| t == "null") || v.get(NULL_EXTENSION).is_some_and(|n| n == true)
}

/// `anyOf: [X, {type: 'null'}]` → X with `nullable: true`. A lone `$ref` is wrapped in `allOf`
/// because `openapiv3` drops the siblings of a `$ref`.
fn nullable_union(obj: &mut Map<String, Value>, key: &str) {
    let Some(Value::Array(variants)) = obj.get(key) else { return };
    if !variants.iter().any(is_null_schema) {
        return;
    }
    let rest: Vec<Value> = variants.iter().filter(|v| !is_null_schema(v)).cloned().collect();
    obj.remove(key);
    obj.insert("nullable".into(), Value::Bool(true));
    match <[Value; 1]>::try_from(rest) {
        Ok([only]) => match only {
            Value::Object(inner) if inner.contains_key("$ref") || has_structure(obj) => {
                obj.insert("allOf".into(), Value::Array(vec![Value::Object(inner)]));
            }
            Value::Object(inner) => {
                for (k, v) in inner {
                    obj.entry(k).or_insert(v);
                }
            }
            other => {
                obj.insert("allOf".into(), Value::Array(vec![other]));
            }
        },
        Err(rest) if rest.is_empty() => {
            obj.insert(NULL_EXTENSION.into(), Value::Bool(true));
        }
        Err(rest) => {
            obj.insert(key.into(), Value::Array(rest));
        }
    }
}

fn has_structure(obj: &Map<String, Value>) -> bool {
    walk::SHAPES.iter().any(|k| obj.contains_key(*k))
}

/// Numeric `exclusiveMinimum: n` → `minimum: n, exclusiveMinimum: true` (and the same for maximum).
fn exclusive_bounds(obj: &mut Map<String, Value>) {
    for (exclusive, inclusive) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(Value::Number(n)) = obj.get(exclusive).cloned() {
            obj.insert(inclusive.into(), Value::Number(n));
            obj.insert(exclusive.into(), Value::Bool(true));
        }
    }
}

/// Integer bounds written as floats (`2147483647.0`) become integers, which is what `openapiv3` reads.
fn integral_bounds(obj: &mut Map<String, Value>) {
    if obj.get("type").is_none_or(|t| t != "integer") {
        return;
    }
    for key in ["minimum", "maximum", "multipleOf"] {
        if let Some(f) = obj.get(key).and_then(Value::as_f64) {
            if f.fract() == 0.0 && f.abs() < 9.0e18 && obj.get(key).is_some_and(|v| v.is_f64()) {
                obj.insert(key.into(), Value::from(f as i64));
            }
        }
    }
}

/// 3.1 allows keywords beside `$ref`; wrap the reference in `allOf` so they survive parsing.
fn ref_with_siblings(obj: &mut Map<String, Value>) {
    if obj.contains_key("$ref") && obj.len() > 1 {
        let reference = obj.remove("$ref").unwrap_or(Value::Null);
        let target = Value::Object(Map::from_iter([("$ref".to_string(), reference)]));
        match obj.get_mut("allOf") {
            Some(Value::Array(all)) => all.insert(0, target),
            _ => {
                obj.insert("allOf".into(), Value::Array(vec![target]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema_of(doc: &Value) -> &Value {
        &doc["components"]["schemas"]["S"]
    }

    fn doc31(schema: Value) -> Value {
        json!({"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "components": {"schemas": {"S": schema}}})
    }

    #[test]
    fn a_30_document_passes_through_unchanged() {
        let doc = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"S": {"type": "string", "nullable": true, "examples": [1], "exclusiveMinimum": true}}}});
        assert_eq!(normalize(doc.clone()), doc);
    }

    #[test]
    fn boolean_schemas() {
        let doc = normalize(doc31(json!({"type": "object", "properties": {"a": true, "never": false}, "items": true})));
        assert_eq!(schema_of(&doc), &json!({"type": "object", "properties": {"a": {}}, "items": {}}));
        // A closed tuple: no items beyond `prefixItems`.
        let doc = normalize(doc31(json!({"type": "array", "prefixItems": [{"type": "string"}, true], "items": false})));
        assert_eq!(schema_of(&doc), &json!({"type": "array", "prefixItems": [{"type": "string"}, {}]}));
        let doc = normalize(doc31(json!({"anyOf": [false, {"type": "string"}, {"type": "integer"}], "not": false})));
        assert_eq!(schema_of(&doc), &json!({"anyOf": [{"type": "string"}, {"type": "integer"}]}));
        let doc = normalize(doc31(json!({"oneOf": [{"type": "string"}, false], "description": "d"})));
        assert_eq!(schema_of(&doc), &json!({"description": "d", "allOf": [{"type": "string"}]}));
        // Where a schema stands on its own, `false` is the schema that admits nothing.
        let doc = normalize(doc31(
            json!({"type": "object", "additionalProperties": false, "properties": {"p": {"allOf": [false]}}}),
        ));
        assert_eq!(
            schema_of(&doc),
            &json!({"type": "object", "additionalProperties": false, "properties": {"p": {"allOf": [{"not": {}}]}}})
        );
    }

    #[test]
    fn nullable_any_of_becomes_nullable() {
        let doc =
            normalize(doc31(json!({"anyOf": [{"type": "string", "format": "uuid4"}, {"type": "null"}], "title": "T"})));
        assert_eq!(schema_of(&doc), &json!({"title": "T", "nullable": true, "type": "string", "format": "uuid4"}));
        assert_eq!(doc["openapi"], "3.0.3");
    }

    #[test]
    fn nullable_ref_keeps_its_siblings_through_all_of() {
        let doc = normalize(doc31(
            json!({"anyOf": [{"$ref": "#/components/schemas/X"}, {"type": "null"}], "description": "d"}),
        ));
        assert_eq!(
            schema_of(&doc),
            &json!({"description": "d", "nullable": true, "allOf": [{"$ref": "#/components/schemas/X"}]})
        );
    }

    #[test]
    fn several_members_stay_a_union() {
        let doc = normalize(doc31(
            json!({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}, {"type": "null"}]}),
        ));
        let s = schema_of(&doc);
        assert_eq!(s["nullable"], true);
        assert_eq!(s["anyOf"].as_array().map(Vec::len), Some(2));
    }

    #[test]
    fn type_arrays_and_null_types() {
        let doc = normalize(doc31(json!({"type": ["integer", "null"]})));
        assert_eq!(schema_of(&doc), &json!({"type": "integer", "nullable": true}));
        let doc = normalize(doc31(json!({"type": "null"})));
        assert_eq!(schema_of(&doc), &json!({NULL_EXTENSION: true}));
    }

    #[test]
    fn const_is_kept_as_a_constant() {
        let doc = normalize(doc31(json!({"const": "ResourceNotFound", "type": "string"})));
        assert_eq!(
            schema_of(&doc),
            &json!({"type": "string", "enum": ["ResourceNotFound"], CONST_EXTENSION: "ResourceNotFound"})
        );
        let doc = normalize(doc31(json!({"const": true})));
        assert_eq!(schema_of(&doc), &json!({"type": "boolean", "enum": [true], CONST_EXTENSION: true}));
    }

    #[test]
    fn numeric_exclusive_bounds_and_float_integers() {
        let doc = normalize(doc31(
            json!({"type": "integer", "exclusiveMinimum": 0, "maximum": 2147483647.0, "examples": [5]}),
        ));
        assert_eq!(
            schema_of(&doc),
            &json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "maximum": 2147483647_i64, "example": 5})
        );
    }

    #[test]
    fn nested_schemas_are_reached() {
        let doc = normalize(doc31(
            json!({"type": "object", "properties": {"p": {"type": "array", "items": {"type": ["string", "null"]}}}}),
        ));
        assert_eq!(schema_of(&doc)["properties"]["p"]["items"], json!({"type": "string", "nullable": true}));
    }
}
