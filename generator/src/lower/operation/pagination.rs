//! Page/limit pagination: which parameters page, where the items, the last page and the total
//! count are in the body, and how each is read.

use super::super::Lowerer;
use crate::model::*;
use serde_json::Value;

/// Page/limit pagination, from `x-speakeasy-pagination` (`offsetLimit` with a page input) or from the
/// shape itself: integer `page` and `limit` query parameters and a body with `items` and
/// `pagination.max_page`.
pub(super) fn pagination(cx: &Lowerer<'_>, op: &openapiv3::Operation, lowered: &Operation) -> Option<Pagination> {
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
        lowered.params.iter().find_map(|p| match p.ty {
            TypeRef::Int(kind) if p.wire_name == wire && matches!(p.location, ParamLocation::Query { .. }) => {
                Some((p, kind))
            }
            _ => None,
        })
    };
    let (page, page_int) = query_param(&page)?;
    let limit = match limit {
        Some(l) => Some(query_param(&l)?),
        None => None,
    };
    let body = lowered.success.iter().find_map(|r| match &r.body {
        ResponseBody::Json(ty) => Some(ty.clone()),
        _ => None,
    })?;
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
        page_int,
        limit_param: limit.map(|(l, kind)| (l.name.clone(), kind)),
        default_limit: limit.and_then(|(l, _)| as_u64(&l.default)),
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
        let TypeRef::Named(id) = &current else { return None };
        let def = cx.def(*id)?;
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
