//! Every JSON example a document gives (a schema's `example` and `examples`, a request or response
//! body's `example` and `examples`), paired with the Rust type the generated crate reads it into,
//! and written out as a program that decodes each into its type, encodes it again as the client
//! sends it, and fails when a key or a value changed.

use generator::model::{Api, IntKind, Media, Response, ResponseBody, StatusMatch, TypeKind, TypeRef};
use serde_json::Value;

/// One example: where it is, the Rust type that reads it, and its JSON text.
#[derive(Debug, Clone)]
pub struct Example {
    pub pointer: String,
    pub rust_type: String,
    pub json: String,
}

/// The examples of a document, for the crate whose library is `krate`. Examples of types the
/// generated crate does not read as JSON (files, raw bodies) are left out.
pub fn collect(text: &str, model: &Api, krate: &str) -> Vec<Example> {
    let doc = generator::load::load(text).unwrap_or_else(|e| panic!("the document loads: {e}"));
    let mut out = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for def in &model.types {
        let Some(schema) = doc.pointer(&def.pointer[1..]) else { continue };
        if seen.insert(def.pointer.clone()) {
            push_schema_examples(&doc, schema, &def.pointer, &format!("{krate}::types::{}", def.name), &mut out);
        }
        // A property's examples are of its field's type.
        let TypeKind::Struct(s) = &def.kind else { continue };
        for field in &s.fields {
            let at = format!("{}/properties/{}", def.pointer, escape(&field.wire_name));
            let (Some(property), Some(ty)) = (doc.pointer(&at[1..]), rust_type(model, &field.ty, krate)) else {
                continue;
            };
            if seen.insert(at.clone()) {
                push_schema_examples(&doc, property, &at, &ty, &mut out);
            }
        }
    }
    for op in &model.operations {
        let op_at = format!("#/paths/{}/{}", escape(&op.path), method(op));
        let Some(operation) = doc.pointer(&op_at[1..]) else { continue };
        if let Some(body) = &op.body {
            let body_at = format!("{op_at}/requestBody");
            let (resolved, resolved_at) = follow(&doc, operation.get("requestBody"), &body_at);
            for encoding in body.encodings() {
                let Media::Json(media) = &encoding.media else { continue };
                let Some(ty) = rust_type(model, &encoding.ty, krate) else { continue };
                let media_at = format!("{resolved_at}/content/{}", escape(media));
                if let Some(media) = resolved.and_then(|b| b.get("content")).and_then(|c| c.get(media)) {
                    push_media_examples(&doc, media, &media_at, &ty, &mut out);
                }
            }
        }
        for response in op.success.iter().chain(op.error_responses()) {
            let ResponseBody::Json(ty) = &response.body else { continue };
            let Some(ty) = rust_type(model, ty, krate) else { continue };
            let Some((key, declared)) = status_key(operation, response) else { continue };
            let response_at = format!("{op_at}/responses/{key}");
            let (resolved, resolved_at) = follow(&doc, Some(declared), &response_at);
            let Some(content) = resolved.and_then(|r| r.get("content")).and_then(Value::as_object) else { continue };
            for (media, object) in content {
                let reads = if response.media.is_empty() { is_json(media) } else { response.media.contains(media) };
                if reads {
                    let media_at = format!("{resolved_at}/content/{}", escape(media));
                    push_media_examples(&doc, object, &media_at, &ty, &mut out);
                }
            }
        }
    }
    out
}

/// A `main.rs` that checks every example, crate by crate: `(library name, examples)`.
pub fn program(crates: &[(String, Vec<Example>)]) -> String {
    let mut body = String::new();
    for (krate, examples) in crates {
        for example in examples {
            body.push_str(&format!(
                "    check::<{}>(&mut failures, {:?}, {:?}, {krate}::runtime::json::to_vec);\n",
                example.rust_type, example.pointer, example.json
            ));
        }
    }
    format!("{PRELUDE}\nfn main() {{\n    let mut failures: Vec<String> = Vec::new();\n{body}{EPILOGUE}}}\n")
}

const PRELUDE: &str = r#"//! Written by tests/examples.rs: every example of the fixtures, decoded into its type and encoded
//! again as the client sends it, must come back with the same keys and values.

use serde_json::Value;

fn check<T: serde::de::DeserializeOwned + serde::Serialize>(
    failures: &mut Vec<String>,
    at: &str,
    json: &str,
    encode: fn(&T) -> serde_json::Result<Vec<u8>>,
) {
    let original: Value = serde_json::from_str(json).expect("examples are JSON");
    let decoded: T = match serde_json::from_str(json) {
        Ok(decoded) => decoded,
        Err(e) => return failures.push(format!("{at}: does not decode into {}: {e}", std::any::type_name::<T>())),
    };
    let again: Value = match encode(&decoded).and_then(|bytes| serde_json::from_slice(&bytes)) {
        Ok(again) => again,
        Err(e) => return failures.push(format!("{at}: does not encode: {e}")),
    };
    let mut differences = Vec::new();
    compare(&original, &again, String::new(), &mut differences);
    if !differences.is_empty() {
        failures.push(format!("{at} ({}): {}", std::any::type_name::<T>(), differences.join("; ")));
    }
}

/// An integer must come back as that integer (`840`, never `840.0`); a float as a number of the
/// same value (`840.0` may come back as `840`); everything else exactly.
fn compare(a: &Value, b: &Value, at: String, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                match b.get(key) {
                    Some(other) => compare(value, other, format!("{at}/{key}"), out),
                    None => out.push(format!("{at}/{key} was lost")),
                }
            }
            for key in b.keys().filter(|key| !a.contains_key(*key)) {
                out.push(format!("{at}/{key} was added ({})", b[key]));
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                compare(x, y, format!("{at}/{i}"), out);
            }
        }
        (Value::Number(x), Value::Number(y)) if x.is_f64() && x.as_f64() == y.as_f64() => {}
        _ if a == b => {}
        _ => out.push(format!("{at}: {a} came back as {b}")),
    }
}
"#;

const EPILOGUE: &str = r#"    if !failures.is_empty() {
        eprintln!("{} examples do not come back unchanged:\n{}", failures.len(), failures.join("\n"));
        std::process::exit(1);
    }
"#;

fn push_schema_examples(doc: &Value, schema: &Value, at: &str, ty: &str, out: &mut Vec<Example>) {
    if let Some(example) = schema.get("example") {
        out.push(Example { pointer: format!("{at}/example"), rust_type: ty.to_string(), json: example.to_string() });
    }
    if let Some(Value::Array(examples)) = schema.get("examples") {
        for (i, example) in examples.iter().enumerate() {
            let (example, _) = follow(doc, Some(example), &format!("{at}/examples/{i}"));
            let Some(example) = example else { continue };
            out.push(Example {
                pointer: format!("{at}/examples/{i}"),
                rust_type: ty.to_string(),
                json: example.to_string(),
            });
        }
    }
}

fn push_media_examples(doc: &Value, media: &Value, at: &str, ty: &str, out: &mut Vec<Example>) {
    if let Some(example) = media.get("example") {
        out.push(Example { pointer: format!("{at}/example"), rust_type: ty.to_string(), json: example.to_string() });
    }
    for (name, example) in media.get("examples").and_then(Value::as_object).into_iter().flatten() {
        let example_at = format!("{at}/examples/{}", escape(name));
        let (example, _) = follow(doc, Some(example), &example_at);
        // An Example object with an external value has nothing here to check.
        let Some(value) = example.and_then(|e| e.get("value")) else { continue };
        out.push(Example { pointer: example_at, rust_type: ty.to_string(), json: value.to_string() });
    }
}

/// Follows local `$ref`s to the object they name, with its pointer.
fn follow<'d>(doc: &'d Value, mut value: Option<&'d Value>, at: &str) -> (Option<&'d Value>, String) {
    let mut at = at.to_string();
    for _ in 0..16 {
        let Some(reference) = value.and_then(|v| v.get("$ref")).and_then(Value::as_str) else { break };
        let Some(pointer) = reference.strip_prefix('#') else { return (None, at) };
        value = doc.pointer(pointer);
        at = reference.to_string();
    }
    (value, at)
}

/// The key of `responses` a response was made from, and what it holds.
fn status_key<'o>(operation: &'o Value, response: &Response) -> Option<(String, &'o Value)> {
    let responses = operation.get("responses")?.as_object()?;
    let wanted = match response.status {
        StatusMatch::Code(code) => vec![code.to_string()],
        StatusMatch::Range(first) => vec![format!("{first}XX"), format!("{first}xx")],
        StatusMatch::Default => vec!["default".to_string()],
    };
    wanted.into_iter().find_map(|key| responses.get(&key).map(|value| (key, value)))
}

fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

fn method(op: &generator::model::Operation) -> String {
    format!("{:?}", op.http_method).to_lowercase()
}

/// A JSON pointer segment (RFC 6901).
fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The Rust type a `TypeRef` is in the generated crate `krate`, seen from outside it; `None` for
/// what is not read as JSON.
fn rust_type(model: &Api, ty: &TypeRef, krate: &str) -> Option<String> {
    Some(match ty {
        TypeRef::Named(id) => format!("{krate}::types::{}", model.types.get(id.0)?.name),
        TypeRef::Const(name) => format!("{krate}::consts::{name}"),
        TypeRef::String | TypeRef::Bytes => "String".into(),
        TypeRef::Bool => "bool".into(),
        TypeRef::Int(kind) => int(*kind).into(),
        TypeRef::Float => "f64".into(),
        TypeRef::Uuid => format!("{krate}::uuid::Uuid"),
        TypeRef::DateTime => format!("{krate}::chrono::DateTime<{krate}::chrono::Utc>"),
        TypeRef::Date => format!("{krate}::chrono::NaiveDate"),
        TypeRef::Json => "serde_json::Value".into(),
        TypeRef::JsonObject => "serde_json::Map<String, serde_json::Value>".into(),
        TypeRef::Vec(inner) => format!("Vec<{}>", rust_type(model, inner, krate)?),
        TypeRef::Map(inner) => format!("std::collections::BTreeMap<String, {}>", rust_type(model, inner, krate)?),
        TypeRef::Option(inner) => format!("Option<{}>", rust_type(model, inner, krate)?),
        TypeRef::Box(inner) => format!("Box<{}>", rust_type(model, inner, krate)?),
        // The user's own type: its crate is theirs to name.
        TypeRef::File | TypeRef::Binary | TypeRef::Local(_) | TypeRef::External(_) => return None,
    })
}

fn int(kind: IntKind) -> &'static str {
    match kind {
        IntKind::I8 => "i8",
        IntKind::I16 => "i16",
        IntKind::I32 => "i32",
        IntKind::I64 => "i64",
        IntKind::U8 => "u8",
        IntKind::U16 => "u16",
        IntKind::U32 => "u32",
        IntKind::U64 => "u64",
    }
}
