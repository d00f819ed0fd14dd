//! Media types: which ones this generator reads and sends, the request body's encodings (every
//! media type the document offers, JSON first), forms with their `encoding`, and multipart parts.

use super::super::schema::Naming;
use super::super::{resolve, Lowerer};
use super::parameters::query_style;
use crate::error::{pointer, Result};
use crate::model::*;
use crate::naming::{self, NameSet};
use openapiv3::MediaType;

/// A media type as this generator handles it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Json,
    Form,
    Multipart,
    Text,
    Binary,
}

/// The kind of a media type name and its essence (lowercase, without parameters), with its rank:
/// JSON first, then forms, multipart, text and raw bytes.
pub(super) fn classify(name: &str) -> (u8, Kind, String) {
    let essence = name.split(';').next().unwrap_or(name).trim().to_ascii_lowercase();
    let (rank, kind) = if essence == "application/json" || essence.ends_with("+json") || essence.ends_with("/json") {
        (0, Kind::Json)
    } else if essence == "application/x-www-form-urlencoded" {
        (1, Kind::Form)
    } else if essence.starts_with("multipart/") {
        (2, Kind::Multipart)
    } else if essence == "text/event-stream" {
        // Server-sent events may never end: the body is a stream of bytes, like a download.
        (3, Kind::Binary)
    } else if essence.starts_with("text/") {
        (3, Kind::Text)
    } else {
        (4, Kind::Binary)
    };
    (rank, kind, essence)
}

/// A concrete content type to send for a media range (`*/*`, `image/*`).
fn concrete(essence: String) -> String {
    if essence.contains('*') {
        "application/octet-stream".to_string()
    } else {
        essence
    }
}

/// The body type for a media entry that follows its schema (JSON, forms, multipart).
pub(super) fn schema_type(cx: &mut Lowerer<'_>, value: &MediaType, at: &str, hint: String) -> Result<TypeRef> {
    Ok(match &value.schema {
        Some(schema) => {
            let shape = cx.schema(
                schema.into(),
                &pointer(at, "schema"),
                Naming::Inline(super::super::names::Hint::text(hint)),
            )?;
            if shape.nullable && !matches!(shape.ty, TypeRef::Const(_)) {
                TypeRef::Option(Box::new(shape.ty))
            } else {
                shape.ty
            }
        }
        None => TypeRef::Json,
    })
}

pub(super) fn request_body(
    cx: &mut Lowerer<'_>,
    op: &openapiv3::Operation,
    at: &str,
    type_prefix: &str,
) -> Result<Option<RequestBody>> {
    let Some(body) = &op.request_body else { return Ok(None) };
    let components = cx.doc.components.as_ref().map(|c| &c.request_bodies);
    let (body, body_at) = resolve(components, body, "requestBodies", &pointer(at, "requestBody"))?;
    let mut offered: Vec<(u8, Kind, String, &String, &MediaType)> = body
        .content
        .iter()
        .map(|(key, value)| {
            let (rank, kind, essence) = classify(key);
            (rank, kind, essence, key, value)
        })
        .collect();
    // Plain `application/json` is the default among the JSON media types.
    offered.sort_by_key(|(rank, _, essence, ..)| (*rank, essence != "application/json"));
    // The same media type written twice (`application/json` and `application/json; charset=utf-8`) is one.
    let mut seen = Vec::new();
    offered.retain(|(_, _, essence, ..)| {
        let new = !seen.contains(essence);
        seen.push(essence.clone());
        new
    });
    let mut variants = NameSet::default();
    let mut encodings: Vec<BodyEncoding> = Vec::new();
    for (_, kind, essence, key, value) in offered {
        let media_at = pointer(&pointer(&body_at, "content"), key);
        let hint = format!("{type_prefix}Body");
        let (ty, media) = match kind {
            Kind::Json => (schema_type(cx, value, &media_at, hint)?, Media::Json(essence.clone())),
            Kind::Form => (schema_type(cx, value, &media_at, hint)?, Media::Form(form_encodings(value))),
            Kind::Multipart if essence == "multipart/form-data" => {
                let ty = schema_type(cx, value, &media_at, hint)?;
                let parts = multipart_parts(cx, &ty, value, &media_at);
                (ty, Media::Multipart(parts))
            }
            // `multipart/mixed` and the like have no named parts: the caller builds the bytes.
            Kind::Multipart | Kind::Binary => (TypeRef::Binary, Media::Binary(concrete(essence.clone()))),
            Kind::Text => (TypeRef::String, Media::Text(essence.clone())),
        };
        let variant = variants.claim(&variant_name(&kind, &essence, &media));
        encodings.push(BodyEncoding { variant, ty, media, from: false });
    }
    let mut encodings = encodings.into_iter();
    let Some(encoding) = encodings.next() else { return Ok(None) };
    let others: Vec<BodyEncoding> = encodings.collect();
    // The choice enum is named with the operation's other types (`assign_names`).
    let choice = (!others.is_empty()).then(|| BodyChoice { name: String::new(), others });
    Ok(Some(RequestBody {
        ty: encoding.ty.clone(),
        encoding,
        choice,
        required: body.required,
        docs: body.description.clone(),
    }))
}

/// `Json`, `Form`, `Multipart`, `Text`, `Bytes`; a second one of a kind is named after its subtype
/// (`application/merge-patch+json` is `MergePatchJson`).
fn variant_name(kind: &Kind, essence: &str, media: &Media) -> String {
    let plain = match (kind, media) {
        (Kind::Json, _) => "Json",
        (Kind::Form, _) => "Form",
        (_, Media::Multipart(_)) => "Multipart",
        (Kind::Text, _) => "Text",
        _ => "Bytes",
    };
    let subtype = essence.split_once('/').map_or(essence, |(_, s)| s);
    match (plain, subtype) {
        ("Json", "json") | ("Form", _) | ("Multipart", "form-data") | ("Text", "plain") | ("Bytes", "octet-stream") => {
            plain.to_string()
        }
        ("Bytes", _) if essence.contains('*') => plain.to_string(),
        _ => naming::type_name(subtype),
    }
}

/// The `encoding` object of a form body: style and explode per property, and JSON-encoded ones.
fn form_encodings(value: &MediaType) -> Vec<FormEncoding> {
    value
        .encoding
        .iter()
        .map(|(wire_name, encoding)| {
            let style = encoding.style.as_ref().map_or(QueryStyle::Form, query_style);
            let json = encoding.content_type.as_deref().is_some_and(|c| c.contains("json"));
            // `openapiv3` reads an absent `explode` as false; without a `style` either, it is the
            // default, which is true for `form`.
            let explode = encoding.explode || (encoding.style.is_none() && style == QueryStyle::Form);
            FormEncoding { wire_name: wire_name.clone(), style, explode, json }
        })
        .collect()
}

/// The parts of a multipart body, one per field of its struct. The struct's `format: binary` fields
/// become files when the struct was written inline for this body; a component shared with JSON
/// bodies keeps them as text.
fn multipart_parts(cx: &mut Lowerer<'_>, ty: &TypeRef, value: &MediaType, at: &str) -> Vec<MultipartPart> {
    let TypeRef::Named(id) = ty else { return Vec::new() };
    let Some(def) = cx.def_mut(*id) else { return Vec::new() };
    let inline = def.pointer.starts_with(at);
    let TypeKind::Struct(s) = &mut def.kind else { return Vec::new() };
    let fields: Vec<(String, String, TypeRef)> = s
        .fields
        .iter_mut()
        .map(|field| {
            if inline {
                field.ty = files(&field.ty);
            }
            (field.name.clone(), field.wire_name.clone(), field.ty.clone())
        })
        .collect();
    fields
        .into_iter()
        .map(|(field, wire_name, ty)| {
            let content_type = value.encoding.get(&wire_name).and_then(|e| e.content_type.clone());
            let kind = match part_kind(cx, &ty, 0) {
                PartKind::Text if content_type.as_deref().is_some_and(|c| c.contains("json")) => PartKind::Json,
                kind => kind,
            };
            MultipartPart { field, wire_name, kind, content_type }
        })
        .collect()
}

/// Files are files; scalars, string enums and lists of them are text; the rest is JSON.
fn part_kind(cx: &Lowerer<'_>, ty: &TypeRef, depth: usize) -> PartKind {
    match ty {
        TypeRef::File => PartKind::File,
        TypeRef::Vec(item) | TypeRef::Option(item) | TypeRef::Box(item) if depth < 8 => {
            match part_kind(cx, item, depth + 1) {
                // A list of lists or of objects is one JSON part.
                PartKind::Text if matches!(ty, TypeRef::Vec(_)) && matches!(**item, TypeRef::Vec(_)) => PartKind::Json,
                kind => kind,
            }
        }
        TypeRef::Named(id) if depth < 8 => match cx.def(*id).map(|t| &t.kind) {
            Some(TypeKind::Enum(_)) => PartKind::Text,
            Some(TypeKind::Alias(inner) | TypeKind::Newtype(inner)) => part_kind(cx, inner, depth + 1),
            _ => PartKind::Json,
        },
        TypeRef::Named(_) | TypeRef::Json | TypeRef::JsonObject | TypeRef::Map(_) | TypeRef::Vec(_) => PartKind::Json,
        _ => PartKind::Text,
    }
}

/// `Bytes` (and lists of them) as files.
fn files(ty: &TypeRef) -> TypeRef {
    match ty {
        TypeRef::Bytes => TypeRef::File,
        TypeRef::Vec(item) if **item == TypeRef::Bytes => TypeRef::Vec(Box::new(TypeRef::File)),
        other => other.clone(),
    }
}
