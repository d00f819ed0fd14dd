//! `[rename] operations` and `groups`: the method and accessor names the user chose. A key that
//! matches no operation or group of the document, a name that is not one, or a name that clashes
//! with another in its place, is an error at its place in the configuration.

use super::{group_of, http_method, places};
use crate::config::{config_error, did_you_mean, Located};
use crate::error::Result;
use crate::lower::Lowerer;
use crate::model::Operation;
use crate::naming;

/// Whether a `[rename] operations` key names this operation: its operationId, or `METHOD /path`.
pub(super) fn names_operation(key: &str, op: &openapiv3::Operation, method: &str, path: &str) -> bool {
    if op.operation_id.as_deref() == Some(key) {
        return true;
    }
    key.split_once(char::is_whitespace).is_some_and(|(m, p)| m.eq_ignore_ascii_case(method) && p.trim() == path)
}

/// The method name the user chose for an operation, if any.
pub(super) fn method_name<'c>(
    cx: &Lowerer<'c>,
    op: &openapiv3::Operation,
    method: &str,
    path: &str,
) -> Option<&'c Located<String>> {
    let config: &'c crate::config::Config = cx.config;
    config.rename.operations.iter().find(|(key, _)| names_operation(&key.value, op, method, path)).map(|(_, new)| new)
}

/// A group path with the user's segment names in place.
pub(super) fn group(cx: &Lowerer<'_>, group: Vec<String>) -> Vec<String> {
    group
        .into_iter()
        .map(|segment| {
            let renamed = cx.config.rename.groups.iter().find(|(key, _)| key.value == segment);
            renamed.map_or(segment, |(_, new)| new.value.clone())
        })
        .collect()
}

/// Checks every rename against the document and against the names given.
pub(super) fn check(cx: &Lowerer<'_>, ops: &[Operation]) -> Result<()> {
    let rename = &cx.config.rename;
    if rename.operations.is_empty() && rename.groups.is_empty() {
        return Ok(());
    }
    let places: Vec<_> = places(cx.doc).into_iter().flatten().collect();
    for (key, new) in &rename.operations {
        let Some((_, path, _, method, _)) =
            places.iter().find(|(_, path, _, method, op)| names_operation(&key.value, op, method, path))
        else {
            let ids: Vec<&str> = places.iter().filter_map(|(_, _, _, _, op)| op.operation_id.as_deref()).collect();
            let message = format!(
                "rename.operations: `{}` is no operationId (or `METHOD /path`) of the document{}{}",
                key.value,
                selected(cx),
                did_you_mean(&key.value, &ids)
            );
            return Err(config_error(key.at, message));
        };
        if naming::field_name(&new.value) != new.value {
            let message = format!(
                "rename.operations: `{}` is not a method name (snake_case, such as `{}`)",
                new.value,
                naming::field_name(&new.value)
            );
            return Err(config_error(new.at, message));
        }
        let lowered = ops.iter().find(|op| op.path == *path && op.http_method == http_method(method));
        if let Some(op) = lowered.filter(|op| op.method_name != new.value) {
            let message = format!(
                "rename.operations: `{}` is already a method beside it (it would be `{}`)",
                new.value, op.method_name
            );
            return Err(config_error(new.at, message));
        }
    }
    let mut segments: Vec<String> = places.iter().flat_map(|(_, _, _, _, op)| group_of(op)).collect();
    segments.sort();
    segments.dedup();
    for (key, new) in &rename.groups {
        if !segments.contains(&key.value) {
            let known: Vec<&str> = segments.iter().map(String::as_str).collect();
            let message = format!(
                "rename.groups: `{}` is no group of the client (its groups: {}){}",
                key.value,
                if known.is_empty() { "none".to_string() } else { known.join(", ") },
                did_you_mean(&key.value, &known)
            );
            return Err(config_error(key.at, message));
        }
        if naming::group_segment(naming::module_name(&new.value)) != new.value {
            let message = format!(
                "rename.groups: `{}` is not a group name (snake_case, and not a name the client uses)",
                new.value
            );
            return Err(config_error(new.at, message));
        }
    }
    Ok(())
}

fn selected(cx: &Lowerer<'_>) -> &'static str {
    if cx.config.select.include.is_empty() && cx.config.select.exclude.is_empty() {
        ""
    } else {
        " that is selected"
    }
}
