//! Paths and operations into [`Operation`]s: parameters, bodies, responses, security, pagination.

use super::schema::{Naming, SchemaRef};
use super::{resolve, Lowerer};
use crate::error::{pointer, Error, Result};
use crate::model::*;
use crate::naming::{self, NameSet};
use indexmap::IndexMap;
use openapiv3::{MediaType, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Error enum variants that every operation has; status variants must not take them.
pub(crate) const ERROR_RESERVED: &[&str] = &["Unexpected", "Decode", "Timeout", "Transport", "InvalidRequest"];

pub(super) fn operations(cx: &mut Lowerer<'_>, schemes: &[SecurityScheme]) -> Result<Vec<Operation>> {
    let mut ops = Vec::new();
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for (path, item) in cx.doc.paths.paths.iter() {
        let path_at = pointer("#/paths", path);
        let item = match item {
            ReferenceOr::Item(item) => item,
            ReferenceOr::Reference { .. } => {
                return Err(Error::unsupported(path_at, "path items given by `$ref`"));
            }
        };
        for (method, op) in item.iter() {
            let at = pointer(&path_at, method);
            let mut lowered = operation(cx, schemes, path, item, method, op, &at)?;
            if let Some(first) = ids.get(&lowered.id).cloned() {
                // Names are claimed later, so the methods come apart by themselves; the id gets a suffix.
                let unique = (2..).map(|n| format!("{}_{n}", lowered.id)).find(|id| !ids.contains_key(id));
                let unique = unique.unwrap_or_default();
                let message =
                    format!("operationId `{}` is already used by {first}; this one is `{unique}`", lowered.id);
                cx.warn(&pointer(&at, "operationId"), message);
                lowered.id = unique;
            }
            ids.insert(lowered.id.clone(), at.clone());
            ops.push(lowered);
        }
    }
    assign_names(&mut ops);
    Ok(ops)
}

fn operation(
    cx: &mut Lowerer<'_>,
    schemes: &[SecurityScheme],
    path: &str,
    item: &PathItem,
    method: &str,
    op: &openapiv3::Operation,
    at: &str,
) -> Result<Operation> {
    let id = op.operation_id.clone().unwrap_or_else(|| synthesized_id(method, path));
    let type_prefix = naming::type_name(&id);
    let group: Vec<String> = match op.extensions.get("x-speakeasy-group").and_then(Value::as_str) {
        Some(group) => group.split('.').filter(|s| !s.is_empty()).map(naming::module_name).collect(),
        None => op.tags.first().map(|t| vec![naming::module_name(t)]).unwrap_or_default(),
    };
    let group = group.into_iter().map(naming::group_segment).collect();
    let method_name = op
        .extensions
        .get("x-speakeasy-name-override")
        .and_then(Value::as_str)
        .map(naming::field_name)
        .unwrap_or_else(|| naming::field_name(&id));

    let params = parameters(cx, schemes, path, item, op, at, &type_prefix)?;
    let body = request_body(cx, op, at, &type_prefix)?;
    let (success, errors) = responses(cx, op, at, &type_prefix)?;
    let security = security(cx, schemes, op, at)?;
    let mut lowered = Operation {
        id,
        group,
        method_name,
        builder_name: String::new(),
        error_name: String::new(),
        success_enum: None,
        http_method: http_method(method),
        path: path.to_string(),
        summary: op.summary.clone(),
        docs: op.description.clone(),
        deprecated: op.deprecated,
        params,
        body,
        success,
        errors,
        security,
        pagination: None,
    };
    lowered.pagination = pagination(cx, op, &lowered);
    Ok(lowered)
}

fn synthesized_id(method: &str, path: &str) -> String {
    let mut words = vec![method.to_string()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(param) => words.push(format!("by_{param}")),
            None => words.push(segment.to_string()),
        }
    }
    naming::field_name(&words.join("_"))
}

fn http_method(method: &str) -> HttpMethod {
    match method {
        "put" => HttpMethod::Put,
        "post" => HttpMethod::Post,
        "delete" => HttpMethod::Delete,
        "options" => HttpMethod::Options,
        "head" => HttpMethod::Head,
        "patch" => HttpMethod::Patch,
        "trace" => HttpMethod::Trace,
        _ => HttpMethod::Get,
    }
}

fn parameters(
    cx: &mut Lowerer<'_>,
    schemes: &[SecurityScheme],
    path: &str,
    item: &PathItem,
    op: &openapiv3::Operation,
    at: &str,
    type_prefix: &str,
) -> Result<Vec<Param>> {
    let components = cx.doc.components.as_ref().map(|c| &c.parameters);
    // Path-level parameters first; an operation-level one with the same name and place replaces it.
    let path_at = at.rsplit_once('/').map_or(at, |(p, _)| p).to_string();
    let mut merged: IndexMap<(String, &'static str), (&Parameter, String)> = IndexMap::new();
    let levels = [(&item.parameters, pointer(&path_at, "parameters")), (&op.parameters, pointer(at, "parameters"))];
    for (list, list_at) in levels {
        for (i, param) in list.iter().enumerate() {
            let (param, param_at) = resolve(components, param, "parameters", &pointer(&list_at, &i.to_string()))?;
            let data = param.parameter_data_ref();
            let place = match param {
                Parameter::Query { .. } => "query",
                Parameter::Path { .. } => "path",
                Parameter::Header { .. } => "header",
                Parameter::Cookie { .. } => "cookie",
            };
            merged.insert((data.name.clone(), place), (param, param_at));
        }
    }

    let template: BTreeSet<&str> =
        path.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(name, _)| name)).collect();
    let mut reserved: Vec<&str> = naming::REQUEST_BUILDER_NAMES.to_vec();
    reserved.extend(schemes.iter().map(|s| s.setter.as_str()));
    let mut names = NameSet::with_reserved(&reserved);
    let mut params = Vec::new();
    for (param, param_at) in merged.values() {
        let data = param.parameter_data_ref();
        let location = match param {
            Parameter::Path { .. } => {
                if !template.contains(data.name.as_str()) {
                    let message = format!("path parameter `{}` does not appear in the path `{path}`", data.name);
                    return Err(Error::invalid(param_at, message));
                }
                ParamLocation::Path
            }
            Parameter::Query { style, .. } => {
                use openapiv3::QueryStyle as S;
                let style = match style {
                    S::Form => QueryStyle::Form,
                    S::SpaceDelimited => QueryStyle::SpaceDelimited,
                    S::PipeDelimited => QueryStyle::PipeDelimited,
                    S::DeepObject => QueryStyle::DeepObject,
                };
                ParamLocation::Query { style, explode: data.explode.unwrap_or(style == QueryStyle::Form) }
            }
            Parameter::Header { .. } => ParamLocation::Header,
            Parameter::Cookie { .. } => {
                let message = format!("the cookie parameter `{}`: cookie parameters are not supported", data.name);
                return Err(Error::unsupported(param_at, message));
            }
        };
        // A parameter described by `content` is sent as the text of that media type: JSON.
        let (schema, schema_at, json) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => (Some(schema), pointer(param_at, "schema"), false),
            ParameterSchemaOrContent::Content(content) => {
                let (key, media) = content
                    .iter()
                    .find(|(key, _)| key.contains("json"))
                    .or_else(|| content.first())
                    .ok_or_else(|| Error::invalid(pointer(param_at, "content"), "`content` names no media type"))?;
                let at = pointer(&pointer(&pointer(param_at, "content"), key), "schema");
                (media.schema.as_ref(), at, key.contains("json"))
            }
        };
        let hint = format!("{type_prefix}{}", naming::type_name(&data.name));
        let shape = match schema {
            Some(schema) => cx.schema(SchemaRef::from(schema), &schema_at, Naming::Inline(hint))?,
            None => cx.schema_json(),
        };
        params.push(Param {
            name: names.claim(&naming::field_name(&data.name)),
            wire_name: data.name.clone(),
            required: data.required || location == ParamLocation::Path,
            location,
            docs: data.description.clone().or(shape.docs),
            ty: shape.ty,
            deprecated: data.deprecated.unwrap_or(false) || shape.deprecated,
            default: shape.default,
            minimum: shape.minimum,
            maximum: shape.maximum,
            json,
        });
    }
    for name in template {
        if !params.iter().any(|p| p.location == ParamLocation::Path && p.wire_name == name) {
            let message = format!(
                "the path template names `{{{name}}}` but no path parameter `{name}` is declared; it is taken as a string"
            );
            cx.warn(at, message);
            params.push(Param {
                name: names.claim(&naming::field_name(name)),
                wire_name: name.to_string(),
                location: ParamLocation::Path,
                docs: None,
                ty: TypeRef::String,
                required: true,
                deprecated: false,
                default: None,
                minimum: None,
                maximum: None,
                json: false,
            });
        }
    }
    Ok(params)
}

/// Picks the media type to use: JSON first, then (for a request) a form, then text, then raw bytes.
fn pick_media<'c>(
    content: &'c IndexMap<String, MediaType>,
    at: &str,
    request: bool,
) -> Result<Option<(Media, &'c MediaType)>> {
    let classify = |name: &str| {
        let essence = name.split(';').next().unwrap_or(name).trim().to_ascii_lowercase();
        if essence == "application/json" || essence.ends_with("+json") || essence.ends_with("/json") {
            Some((0, Media::Json))
        } else if essence == "application/x-www-form-urlencoded" {
            request.then_some((1, Media::Form(Vec::new())))
        } else if essence.starts_with("text/") {
            Some((3, Media::Text(essence)))
        } else if essence == "multipart/form-data" {
            request.then_some((2, Media::Multipart(Vec::new())))
        } else if essence.starts_with("multipart/") {
            None
        } else {
            let content_type = if essence.contains('*') { "application/octet-stream".to_string() } else { essence };
            Some((4, Media::Binary(content_type)))
        }
    };
    let best = content
        .iter()
        .filter_map(|(name, media)| classify(name).map(|(rank, m)| (rank, m, media)))
        .min_by_key(|(rank, _, _)| *rank);
    match best {
        Some((_, media, value)) => Ok(Some((media, value))),
        None if content.is_empty() => Ok(None),
        None => {
            let names: Vec<&str> = content.keys().map(String::as_str).collect();
            let what = if request { "JSON, forms, multipart, text or raw bytes" } else { "JSON, text or raw bytes" };
            let message = format!("no media type this generator can send or read ({what}) among {}", names.join(", "));
            Err(Error::unsupported(pointer(at, "content"), message))
        }
    }
}

/// The `encoding` object of a form body: style and explode per property, and JSON-encoded ones.
fn form_encodings(value: &MediaType) -> Vec<FormEncoding> {
    value
        .encoding
        .iter()
        .map(|(wire_name, encoding)| {
            use openapiv3::QueryStyle as S;
            let style = match encoding.style {
                Some(S::SpaceDelimited) => QueryStyle::SpaceDelimited,
                Some(S::PipeDelimited) => QueryStyle::PipeDelimited,
                Some(S::DeepObject) => QueryStyle::DeepObject,
                Some(S::Form) | None => QueryStyle::Form,
            };
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
    let TypeRef::Named(name) = ty else { return Vec::new() };
    let Some(def) = cx.types.iter_mut().find(|t| &t.name == name) else { return Vec::new() };
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
            let kind = match part_kind(&cx.types, &ty, 0) {
                PartKind::Text if content_type.as_deref().is_some_and(|c| c.contains("json")) => PartKind::Json,
                kind => kind,
            };
            MultipartPart { field, wire_name, kind, content_type }
        })
        .collect()
}

/// Files are files; scalars, string enums and lists of them are text; the rest is JSON.
fn part_kind(types: &[TypeDef], ty: &TypeRef, depth: usize) -> PartKind {
    match ty {
        TypeRef::File => PartKind::File,
        TypeRef::Vec(item) | TypeRef::Option(item) | TypeRef::Box(item) if depth < 8 => {
            match part_kind(types, item, depth + 1) {
                // A list of lists or of objects is one JSON part.
                PartKind::Text if matches!(ty, TypeRef::Vec(_)) && matches!(**item, TypeRef::Vec(_)) => PartKind::Json,
                kind => kind,
            }
        }
        TypeRef::Named(name) if depth < 8 => match types.iter().find(|t| &t.name == name).map(|t| &t.kind) {
            Some(TypeKind::Enum(_)) => PartKind::Text,
            Some(TypeKind::Alias(inner) | TypeKind::Newtype(inner)) => part_kind(types, inner, depth + 1),
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

/// The body type for a media entry: JSON follows its schema, text is `String`, the rest bytes.
fn media_type(cx: &mut Lowerer<'_>, media: &Media, value: &MediaType, at: &str, hint: String) -> Result<TypeRef> {
    Ok(match media {
        Media::Json | Media::Form(_) | Media::Multipart(_) => match &value.schema {
            Some(schema) => {
                let shape = cx.schema(schema.into(), &pointer(at, "schema"), Naming::Inline(hint))?;
                if shape.nullable && !matches!(shape.ty, TypeRef::Const(_)) {
                    TypeRef::Option(Box::new(shape.ty))
                } else {
                    shape.ty
                }
            }
            None => TypeRef::Json,
        },
        Media::Text(_) => TypeRef::String,
        Media::Binary(_) | Media::Empty => TypeRef::Bytes,
    })
}

fn request_body(
    cx: &mut Lowerer<'_>,
    op: &openapiv3::Operation,
    at: &str,
    type_prefix: &str,
) -> Result<Option<RequestBody>> {
    let Some(body) = &op.request_body else { return Ok(None) };
    let components = cx.doc.components.as_ref().map(|c| &c.request_bodies);
    let (body, body_at) = resolve(components, body, "requestBodies", &pointer(at, "requestBody"))?;
    let Some((media, value)) = pick_media(&body.content, &body_at, true)? else { return Ok(None) };
    let media_at = pointer(&pointer(&body_at, "content"), media_key(&body.content, value));
    let ty = media_type(cx, &media, value, &media_at, format!("{type_prefix}Body"))?;
    let media = match media {
        Media::Form(_) => Media::Form(form_encodings(value)),
        Media::Multipart(_) => Media::Multipart(multipart_parts(cx, &ty, value, &media_at)),
        other => other,
    };
    Ok(Some(RequestBody { ty, media, required: body.required, docs: body.description.clone() }))
}

fn media_key<'c>(content: &'c IndexMap<String, MediaType>, value: &MediaType) -> &'c str {
    content.iter().find(|(_, v)| std::ptr::eq(*v, value)).map_or("", |(k, _)| k.as_str())
}

type Responses = (Vec<Response>, Vec<Response>);

fn responses(cx: &mut Lowerer<'_>, op: &openapiv3::Operation, at: &str, type_prefix: &str) -> Result<Responses> {
    let components = cx.doc.components.as_ref().map(|c| &c.responses);
    let responses_at = pointer(at, "responses");
    let mut all: Vec<(StatusMatch, String, &ReferenceOr<openapiv3::Response>)> = op
        .responses
        .responses
        .iter()
        .map(|(code, r)| match code {
            openapiv3::StatusCode::Code(c) => (StatusMatch::Code(*c), c.to_string(), r),
            openapiv3::StatusCode::Range(r0) => (StatusMatch::Range(*r0), format!("{r0}XX"), r),
        })
        .collect();
    if let Some(default) = &op.responses.default {
        all.push((StatusMatch::Default, "default".to_string(), default));
    }
    if all.is_empty() {
        return Err(Error::invalid(responses_at, "an operation must declare at least one response"));
    }
    let mut variant_names = NameSet::with_reserved(ERROR_RESERVED);
    let (mut success, mut errors) = (Vec::new(), Vec::new());
    let is_success = |status: StatusMatch| match status {
        StatusMatch::Code(c) => (200..300).contains(&c),
        StatusMatch::Range(r) => r == 2,
        StatusMatch::Default => false,
    };
    // With several success statuses, each inline body type is named after its status, like errors are.
    let one_success = all.iter().filter(|(status, _, _)| is_success(*status)).count() == 1;
    for (status, key, response) in all {
        let (response, response_at) = resolve(components, response, "responses", &pointer(&responses_at, &key))?;
        let is_success = is_success(status);
        let label = status_label(status);
        let variant = if is_success { label.clone() } else { variant_names.claim(&label) };
        let hint = format!("{type_prefix}{}", if is_success && one_success { "Response".to_string() } else { label });
        let (media, ty) = match pick_media(&response.content, &response_at, false)? {
            Some((media, value)) => {
                let media_at = pointer(&pointer(&response_at, "content"), media_key(&response.content, value));
                let ty = media_type(cx, &media, value, &media_at, hint)?;
                (media, Some(ty))
            }
            None => (Media::Empty, None),
        };
        let docs = Some(response.description.clone()).filter(|d| !d.is_empty());
        let lowered = Response { status, variant, docs, media, ty, open_union: false };
        if is_success {
            success.push(lowered)
        } else {
            errors.push(lowered)
        }
    }
    Ok((success, errors))
}

/// `404` → `NotFound`; unknown codes → `Status599`; ranges → `ClientError`; default → `Default`.
fn status_label(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => http::StatusCode::from_u16(code)
            .ok()
            .and_then(|s| s.canonical_reason())
            .map(naming::variant_name)
            .unwrap_or_else(|| format!("Status{code}")),
        StatusMatch::Range(1) => "Informational".into(),
        StatusMatch::Range(2) => "Success".into(),
        StatusMatch::Range(3) => "Redirection".into(),
        StatusMatch::Range(4) => "ClientError".into(),
        StatusMatch::Range(5) => "ServerError".into(),
        StatusMatch::Range(r) => format!("Status{r}xx"),
        StatusMatch::Default => "Default".into(),
    }
}

fn security(
    cx: &Lowerer<'_>,
    schemes: &[SecurityScheme],
    op: &openapiv3::Operation,
    at: &str,
) -> Result<Vec<Vec<String>>> {
    let (requirements, base) = match &op.security {
        Some(s) => (s, pointer(at, "security")),
        None => match &cx.doc.security {
            Some(s) => (s, "#/security".to_string()),
            None => return Ok(Vec::new()),
        },
    };
    let mut alternatives = Vec::new();
    for (i, requirement) in requirements.iter().enumerate() {
        let mut keys = Vec::new();
        for key in requirement.keys() {
            if !schemes.iter().any(|s| &s.key == key) {
                let message = format!("security scheme `{key}` is not declared in #/components/securitySchemes");
                return Err(Error::reference(pointer(&base, &i.to_string()), message));
            }
            keys.push(key.clone());
        }
        alternatives.push(keys);
    }
    Ok(alternatives)
}

/// Page/limit pagination, from `x-speakeasy-pagination` (`offsetLimit` with a page input) or from the
/// shape itself: integer `page` and `limit` query parameters and a body with `items` and
/// `pagination.max_page`.
fn pagination(cx: &Lowerer<'_>, op: &openapiv3::Operation, lowered: &Operation) -> Option<Pagination> {
    let (page, limit, items_path, max_page_path, total_path) = match op.extensions.get("x-speakeasy-pagination") {
        Some(ext) => {
            if ext.get("type").and_then(Value::as_str) != Some("offsetLimit") {
                return None;
            }
            let input = |kind: &str| {
                ext.get("inputs")?
                    .as_array()?
                    .iter()
                    .find(|i| i.get("type").and_then(Value::as_str) == Some(kind))?
                    .get("name")?
                    .as_str()
                    .map(str::to_string)
            };
            let output = |key: &str| json_path(ext.get("outputs")?.get(key)?.as_str()?);
            // Speakeasy names no total output; a `total_count` beside the last page is read as such.
            let total = output("numPages").map(|mut path| {
                path.pop();
                path.push("total_count".to_string());
                path
            });
            (input("page")?, input("limit"), output("results")?, output("numPages"), total)
        }
        None => (
            "page".to_string(),
            Some("limit".to_string()),
            vec!["items".to_string()],
            Some(vec!["pagination".to_string(), "max_page".to_string()]),
            Some(vec!["pagination".to_string(), "total_count".to_string()]),
        ),
    };
    let query_param = |wire: &str| {
        lowered.params.iter().find(|p| {
            p.wire_name == wire && matches!(p.location, ParamLocation::Query { .. }) && matches!(p.ty, TypeRef::Int(_))
        })
    };
    let page = query_param(&page)?;
    let limit = match limit {
        Some(l) => Some(query_param(&l)?),
        None => None,
    };
    let body = lowered.success.iter().find_map(|r| r.ty.clone())?;
    let (items, items_presence, items_ty) = walk(cx, &body, &items_path)?;
    let TypeRef::Vec(item_ty) = items_ty else { return None };
    let (max_page, max_page_presence, max_page_int) = match &max_page_path {
        Some(path) => match walk(cx, &body, path)? {
            (fields, presence, TypeRef::Int(kind)) => (Some(fields), presence, Some(kind)),
            _ => return None,
        },
        None => (None, Vec::new(), None),
    };
    // Optional: a body without a total count still pages.
    let (total_count, total_count_presence, total_count_int) = match total_path.and_then(|p| walk(cx, &body, &p)) {
        Some((fields, presence, TypeRef::Int(kind))) => (Some(fields), presence, Some(kind)),
        _ => (None, Vec::new(), None),
    };
    let as_u64 = |v: &Option<Value>| v.as_ref().and_then(Value::as_u64);
    Some(Pagination {
        page_param: page.name.clone(),
        limit_param: limit.map(|l| l.name.clone()),
        default_limit: limit.and_then(|l| as_u64(&l.default)),
        default_page: as_u64(&page.default).unwrap_or(1),
        items,
        max_page,
        item_ty: *item_ty,
        items_presence,
        max_page_presence,
        max_page_int,
        total_count,
        total_count_presence,
        total_count_int,
    })
}

/// `$.pagination.max_page` → `["pagination", "max_page"]`.
fn json_path(path: &str) -> Option<Vec<String>> {
    let rest = path.strip_prefix("$.")?;
    Some(rest.split('.').map(str::to_string).collect())
}

/// Follows wire names through struct fields; returns Rust field names, their presences and the final type.
fn walk(cx: &Lowerer<'_>, ty: &TypeRef, path: &[String]) -> Option<(Vec<String>, Vec<Presence>, TypeRef)> {
    let mut current = ty.clone();
    let (mut names, mut presences) = (Vec::new(), Vec::new());
    for wire in path {
        let TypeRef::Named(name) = &current else { return None };
        let def = cx.types.iter().find(|t| &t.name == name)?;
        let TypeKind::Struct(s) = &def.kind else { return None };
        let field = s.fields.iter().find(|f| &f.wire_name == wire)?;
        if matches!(field.presence, Presence::RequiredNullable | Presence::OptionalNullable) {
            return None;
        }
        names.push(field.name.clone());
        presences.push(field.presence);
        current = field.ty.clone();
    }
    Some((names, presences, current))
}

/// Method, builder and error names, unique within each group, clear of child group accessors.
fn assign_names(ops: &mut [Operation]) {
    let mut method_names: BTreeMap<Vec<String>, NameSet> = BTreeMap::new();
    let mut type_names: BTreeMap<Vec<String>, NameSet> = BTreeMap::new();
    let groups: BTreeSet<Vec<String>> =
        ops.iter().flat_map(|op| (1..=op.group.len()).map(|n| op.group[..n].to_vec()).collect::<Vec<_>>()).collect();
    for op in ops.iter_mut() {
        let methods = method_names.entry(op.group.clone()).or_insert_with(|| {
            let children: Vec<&str> = groups
                .iter()
                .filter(|g| g.len() == op.group.len() + 1 && g.starts_with(&op.group))
                .filter_map(|g| g.last().map(String::as_str))
                .collect();
            let mut reserved = children;
            reserved.extend(["new", "builder", "client", "base_url", "request"]);
            NameSet::with_reserved(&reserved)
        });
        op.method_name = methods.claim(&op.method_name);
        let accessor = super::groups::accessor_name(&op.group);
        let types = type_names.entry(op.group.clone()).or_insert_with(|| NameSet::with_reserved(&[accessor.as_str()]));
        let base = naming::type_name(naming::bare(&op.method_name));
        op.builder_name = types.claim(&base);
        op.error_name = types.claim(&format!("{}Error", op.builder_name));
        if distinct_bodies(&op.success) > 1 {
            op.success_enum = Some(types.claim(&format!("{}Response", op.builder_name)));
        }
    }
}

/// How many different bodies (media and type) the responses carry.
fn distinct_bodies(responses: &[Response]) -> usize {
    let mut seen: Vec<(&Media, Option<&TypeRef>)> = Vec::new();
    for r in responses {
        let key = (&r.media, r.ty.as_ref());
        if !seen.contains(&key) {
            seen.push(key);
        }
    }
    seen.len()
}
