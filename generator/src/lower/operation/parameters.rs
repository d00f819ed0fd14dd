//! An operation's parameters: path-level and operation-level ones merged, each with its place,
//! style, type and bounds; a path template's undeclared names are added as strings (with a warning).

use super::super::schema::{Naming, SchemaRef};
use super::super::{resolve, Lowerer};
use crate::error::{pointer, Error, Result};
use crate::model::*;
use crate::naming::{self, NameSet};
use indexmap::IndexMap;
use openapiv3::{Parameter, ParameterSchemaOrContent, PathItem};
use std::collections::BTreeSet;

pub(super) fn parameters(
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

    let template = template_names(path);
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
                let style = query_style(style);
                ParamLocation::Query { style, explode: data.explode.unwrap_or(style == QueryStyle::Form) }
            }
            Parameter::Header { .. } => ParamLocation::Header,
            Parameter::Cookie { .. } => ParamLocation::Cookie,
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
            Some(schema) => {
                cx.schema(SchemaRef::from(schema), &schema_at, Naming::Inline(super::super::names::Hint::text(hint)))?
            }
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

pub(super) fn query_style(style: &openapiv3::QueryStyle) -> QueryStyle {
    use openapiv3::QueryStyle as S;
    match style {
        S::Form => QueryStyle::Form,
        S::SpaceDelimited => QueryStyle::SpaceDelimited,
        S::PipeDelimited => QueryStyle::PipeDelimited,
        S::DeepObject => QueryStyle::DeepObject,
    }
}

/// The names a path template uses (`/a/{id}/b/{name}` → `id`, `name`).
fn template_names(path: &str) -> BTreeSet<&str> {
    path.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(name, _)| name)).collect()
}

/// The template as literal text and parameters. Every name in it has a path parameter by now.
pub(super) fn path_pieces(path: &str, params: &[Param]) -> Vec<PathPiece> {
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        literal.push_str(&rest[..start]);
        let wire = &rest[start + 1..start + len];
        match params.iter().position(|p| p.location == ParamLocation::Path && p.wire_name == wire) {
            Some(param) => {
                if !literal.is_empty() {
                    pieces.push(PathPiece::Literal(std::mem::take(&mut literal)));
                }
                let repeat = pieces.iter().any(|p| matches!(p, PathPiece::Param { param: seen, .. } if *seen == param));
                pieces.push(PathPiece::Param { param, local: naming::segment_local(&params[param].name), repeat });
            }
            None => literal.push_str(&rest[start..=start + len]),
        }
        rest = &rest[start + len + 1..];
    }
    literal.push_str(rest);
    if !literal.is_empty() {
        pieces.push(PathPiece::Literal(literal));
    }
    pieces
}

/// What the builder holds and how it takes it: path parameters, then required query, header and
/// cookie ones, then a required body, as the accessor method's arguments; the rest by setters.
/// Scalars are taken by value so that a plain literal infers the parameter's type.
pub(super) fn inputs(params: &[Param], body: Option<&RequestBody>) -> Vec<Input> {
    let scalar = |ty: &TypeRef| matches!(ty, TypeRef::Int(_) | TypeRef::Float | TypeRef::Bool);
    let param_input = |(i, p): (usize, &Param), positional: bool| {
        let passing = match &p.ty {
            ty if scalar(ty) => Passing::Value,
            TypeRef::Vec(item) if !positional => Passing::Items((**item).clone()),
            _ => Passing::Into,
        };
        let docs = if positional { None } else { p.docs.clone() };
        Input { name: p.name.clone(), source: InputSource::Param(i), ty: p.ty.clone(), positional, passing, docs }
    };
    let body_input = |b: &RequestBody| Input {
        name: "body".to_string(),
        source: InputSource::Body,
        ty: b.ty.clone(),
        positional: b.required,
        passing: Passing::Into,
        docs: if b.required { None } else { b.docs.clone() },
    };
    let indexed = || params.iter().enumerate();
    let path = indexed().filter(|(_, p)| p.location == ParamLocation::Path);
    let required = indexed().filter(|(_, p)| p.location != ParamLocation::Path && p.required);
    let optional = indexed().filter(|(_, p)| p.location != ParamLocation::Path && !p.required);
    let mut inputs: Vec<Input> = path.chain(required).map(|p| param_input(p, true)).collect();
    inputs.extend(body.filter(|b| b.required).map(body_input));
    inputs.extend(optional.map(|p| param_input(p, false)));
    inputs.extend(body.filter(|b| !b.required).map(body_input));
    inputs
}
