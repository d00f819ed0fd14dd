//! Paths and operations into [`Operation`]s, each with its whole plan: what the builder takes,
//! the parsed path, the body's encodings, the responses by status, security and pagination.

mod bodies;
mod pagination;
mod parameters;
mod renames;
mod responses;

use super::Lowerer;
use crate::error::{pointer, Error, Result};
use crate::model::*;
use crate::naming::{self, NameSet};
use openapiv3::{PathItem, ReferenceOr};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Every operation of the document, with its pointer; a path item that cannot be read is an error
/// in place of its operations.
type Place<'d> = Result<(String, &'d str, &'d PathItem, &'d str, &'d openapiv3::Operation)>;

fn places(doc: &openapiv3::OpenAPI) -> Vec<Place<'_>> {
    let mut out = Vec::new();
    for (path, item) in doc.paths.paths.iter() {
        let path_at = pointer("#/paths", path);
        match item {
            ReferenceOr::Item(item) => out.extend(
                item.iter().map(|(method, op)| Ok((pointer(&path_at, method), path.as_str(), item, method, op))),
            ),
            ReferenceOr::Reference { .. } => {
                out.push(Err(Error::unsupported(path_at, "path items given by a `$ref` to another file")));
            }
        }
    }
    out
}

/// Lowers every operation on its own, for [`super::isolate`]: each one's error, or the types it
/// names (those it made included).
pub(super) fn probe(cx: &mut Lowerer<'_>, schemes: &[SecurityScheme]) -> Vec<(String, Result<BTreeSet<TypeId>>)> {
    places(cx.doc)
        .into_iter()
        .map(|place| {
            let (at, path, item, method, op) = match place {
                Ok(place) => place,
                Err(error) => return (error.pointer.clone(), Err(error)),
            };
            let start = cx.types.len();
            let result = operation(cx, schemes, path, item, method, op, &at).map(|mut lowered| {
                let mut uses = super::isolate::uses_in(&cx.types[start..]);
                lowered.for_each_type_mut(|ty| super::isolate::ids_of(ty, &mut uses));
                uses
            });
            cx.types.truncate(start);
            (at, result)
        })
        .collect()
}

pub(super) fn operations(
    cx: &mut Lowerer<'_>,
    schemes: &[SecurityScheme],
    left_out: &BTreeSet<String>,
) -> Result<Vec<Operation>> {
    let mut ops = Vec::new();
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for place in places(cx.doc) {
        let (at, path, item, method, op) = match place {
            Err(error) if left_out.contains(&error.pointer) => continue,
            place => place?,
        };
        if left_out.contains(&at) {
            continue;
        }
        let mut lowered = operation(cx, schemes, path, item, method, op, &at)?;
        if let Some(first) = ids.get(&lowered.id).cloned() {
            // Names are claimed later, so the methods come apart by themselves; the id gets a suffix.
            let unique = (2..).map(|n| format!("{}_{n}", lowered.id)).find(|id| !ids.contains_key(id));
            let unique = unique.unwrap_or_default();
            let message = format!("operationId `{}` is already used by {first}; this one is `{unique}`", lowered.id);
            cx.warn(&pointer(&at, "operationId"), message);
            lowered.id = unique;
        }
        ids.insert(lowered.id.clone(), at.clone());
        ops.push(lowered);
    }
    assign_names(&mut ops, schemes);
    renames::check(cx, &ops)?;
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
    let group = renames::group(cx, group_of(op));
    let method_name = match renames::method_name(cx, op, method, path) {
        Some(chosen) => chosen.value.clone(),
        None => op
            .extensions
            .get("x-speakeasy-name-override")
            .and_then(Value::as_str)
            .map(naming::field_name)
            .unwrap_or_else(|| naming::field_name(&id)),
    };

    let params = parameters::parameters(cx, schemes, path, item, op, at, &type_prefix)?;
    let body = bodies::request_body(cx, op, at, &type_prefix)?;
    let (success, errors, mut media) = responses::responses(cx, op, at, &type_prefix)?;
    // Statuses with different bodies already make an enum; alternatives are for one body.
    if responses::distinct_bodies(&success) != 1 {
        media.clear();
    }
    let security = security(cx, schemes, op, at);
    let streams =
        responses::distinct_bodies(&success) == 1 && success.first().map(|r| &r.body) == Some(&ResponseBody::Binary);
    let mut lowered = Operation {
        id,
        group,
        method_name,
        builder_name: String::new(),
        error_name: String::new(),
        failure_enum: None,
        mock_status: false,
        crate_error: String::new(),
        success_enum: None,
        http_method: http_method(method),
        path: path.to_string(),
        path_pieces: parameters::path_pieces(path, &params),
        summary: op.summary.clone(),
        docs: op.description.clone(),
        deprecated: op.deprecated,
        inputs: Vec::new(),
        params,
        body,
        success,
        errors,
        security,
        pagination: None,
        streams,
        accept: media.first().map(|(essence, _)| essence.clone()),
        alternates: media
            .iter()
            .skip(1)
            .map(|(essence, body)| Alternate {
                method: String::new(),
                execute: String::new(),
                accept: essence.clone(),
                body: body.clone(),
            })
            .collect(),
    };
    lowered.pagination = pagination::pagination(cx, op, &lowered);
    Ok(lowered)
}

/// The accessor path an operation is grouped under: Speakeasy's `x-speakeasy-group`, else its
/// first tag; each segment a module name clear of the client's own.
fn group_of(op: &openapiv3::Operation) -> Vec<String> {
    let group: Vec<String> = match op.extensions.get("x-speakeasy-group").and_then(Value::as_str) {
        Some(group) => group.split('.').filter(|s| !s.is_empty()).map(naming::module_name).collect(),
        None => op.tags.first().map(|t| vec![naming::module_name(t)]).unwrap_or_default(),
    };
    group.into_iter().map(naming::group_segment).collect()
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

fn security(cx: &mut Lowerer<'_>, schemes: &[SecurityScheme], op: &openapiv3::Operation, at: &str) -> Vec<Vec<String>> {
    match (&op.security, &cx.doc.security) {
        (Some(requirements), _) => super::requirements_of(cx, requirements, &pointer(at, "security"), schemes),
        (None, Some(requirements)) => super::requirements_of(cx, requirements, "#/security", schemes),
        (None, None) => Vec::new(),
    }
}

/// Method, builder and error names, unique within each group, clear of child group accessors.
fn assign_names(ops: &mut [Operation], schemes: &[SecurityScheme]) {
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
            reserved.extend(naming::GROUP_NAMES);
            // The root group's methods are `Client`'s, beside its `with_*` clones, and the mock
            // server's, beside its own.
            if op.group.is_empty() {
                reserved.extend(schemes.iter().filter_map(|s| s.clone_method.as_deref()));
                reserved.extend(naming::MOCK_SERVER_NAMES);
            }
            NameSet::with_reserved(&reserved)
        });
        op.method_name = methods.claim(&op.method_name);
        let accessor = super::groups::accessor_name(&op.group);
        let types = type_names.entry(op.group.clone()).or_insert_with(|| NameSet::with_reserved(&[accessor.as_str()]));
        let base = naming::type_name(naming::bare(&op.method_name));
        op.builder_name = types.claim(&base);
        op.error_name = types.claim(&format!("{}Error", op.builder_name));
        if !op.errors.is_empty() {
            op.failure_enum = Some(types.claim(&format!("{}Failure", op.builder_name)));
        }
        if responses::distinct_bodies(&op.success) > 1 {
            op.success_enum = Some(types.claim(&format!("{}Response", op.builder_name)));
        }
        if let Some(body) = op.body.as_mut() {
            if let Some(choice) = &mut body.choice {
                choice.name = types.claim(&format!("{}Body", op.builder_name));
                body.ty = TypeRef::Local(choice.name.clone());
            }
        }
    }
}

/// The decisions that need every type settled (after inline types are merged): which body
/// encodings the choice enum converts from, and what the builder holds.
pub(super) fn finish(ops: &mut [Operation]) {
    for op in ops {
        if let Some(body) = &mut op.body {
            // The choice enum converts from the first encoding of each type.
            let mut seen: Vec<TypeRef> = Vec::new();
            for encoding in body.encodings_mut() {
                encoding.from = !seen.contains(&encoding.ty);
                seen.push(encoding.ty.clone());
            }
        }
        op.inputs = parameters::inputs(&op.params, op.body.as_ref());
        // `send_as_xml`, `send_as_csv`: named after the media subtype, clear of the builder's names.
        let mut reserved: Vec<&str> = naming::REQUEST_BUILDER_NAMES.to_vec();
        reserved.extend(op.inputs.iter().map(|i| i.name.as_str()));
        let mut names = NameSet::with_reserved(&reserved);
        for alternate in &mut op.alternates {
            let subtype = alternate.accept.split_once('/').map_or(alternate.accept.as_str(), |(_, s)| s);
            alternate.method = names.claim(&naming::field_name(&format!("send_as_{subtype}")));
            alternate.execute = naming::execute_method(&alternate.method);
        }
        op.mock_status = !op.inputs.iter().any(|i| naming::bare(&i.name) == "status")
            && !op.alternates.iter().any(|a| a.method == "status");
    }
}
