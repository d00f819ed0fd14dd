//! Rules for unions that need every type lowered first: the constants shared by all members of a
//! tagged union (which an unknown member must carry too), which members of an untagged union are
//! open tagged unions, and the shortcut constructors for members that need at most one value.

use crate::model::{
    Additional, ConstDef, Constructor, MemberKeys, Operation, Presence, ResponseBody, Tagging, TypeDef, TypeKind,
    TypeRef,
};
use crate::naming::{self, NameSet};
use indexmap::IndexMap;
use serde_json::Value;

/// Types by name, for lookups that would otherwise scan every type for every member.
fn by_name(types: &[TypeDef]) -> std::collections::BTreeMap<&str, &TypeDef> {
    types.iter().map(|t| (t.name.as_str(), t)).collect()
}

pub(super) fn settle(types: &mut [TypeDef], consts: &IndexMap<String, ConstDef>) {
    let const_values: IndexMap<&str, &Value> = consts.values().map(|c| (c.name.as_str(), &c.value)).collect();
    let snapshot: Vec<TypeDef> = types.to_vec();
    let index = by_name(&snapshot);
    let find = |name: &str| index.get(name).copied();
    for def in types.iter_mut() {
        let TypeKind::Union(union) = &mut def.kind else { continue };
        if let Tagging::Tagged { property, shared } = &mut union.tagging {
            let per_member: Vec<Vec<(String, Value)>> =
                union.variants.iter().map(|v| required_consts(&v.ty, &find, &const_values)).collect();
            if let Some((first, rest)) = per_member.split_first() {
                *shared = first
                    .iter()
                    .filter(|(wire, _)| wire != property)
                    .filter(|pair| rest.iter().all(|m| m.contains(pair)))
                    .cloned()
                    .collect();
            }
        }
        for variant in &mut union.variants {
            let named = match &variant.ty {
                TypeRef::Named(n) => Some(n),
                TypeRef::Box(inner) => match &**inner {
                    TypeRef::Named(n) => Some(n),
                    _ => None,
                },
                _ => None,
            };
            variant.open = named
                .and_then(|n| find(n))
                .is_some_and(|t| matches!(&t.kind, TypeKind::Union(u) if matches!(u.tagging, Tagging::Tagged { .. })));
        }
        if matches!(union.tagging, Tagging::Untagged) {
            for variant in &mut union.variants {
                variant.keys = member_keys(&variant.ty, &find, &const_values, 0);
            }
        }
    }
}

/// What an object member names, found through options, boxes and aliases; `None` for a member
/// that is not a struct.
fn member_keys<'a>(
    ty: &TypeRef,
    find: &impl Fn(&str) -> Option<&'a TypeDef>,
    const_values: &IndexMap<&str, &Value>,
    depth: usize,
) -> Option<MemberKeys> {
    let TypeKind::Struct(s) = &find(struct_name(ty, find)?)?.kind else { return None };
    let mut keys = MemberKeys { open: matches!(s.additional, Additional::Collect(_)), ..MemberKeys::default() };
    for field in &s.fields {
        if field.presence == Presence::Flattened {
            // The properties of a union flattened in are this member's too.
            let Some(TypeKind::Union(inner)) = struct_name(&field.ty, find).and_then(find).map(|t| &t.kind) else {
                continue;
            };
            for variant in inner.variants.iter().filter(|_| depth < 8) {
                match member_keys(&variant.ty, find, const_values, depth + 1) {
                    Some(more) => {
                        keys.declared.extend(more.declared);
                        keys.open |= more.open;
                    }
                    None => keys.open = true,
                }
            }
            continue;
        }
        keys.declared.push(field.wire_name.clone());
        if matches!(field.presence, Presence::Required | Presence::RequiredNullable) {
            keys.required.push(field.wire_name.clone());
        }
        let fixed = match &field.ty {
            TypeRef::Const(name) => const_values.get(name.as_str()).and_then(|v| v.as_str()).map(str::to_string),
            TypeRef::Named(name) => match find(name).map(|t| &t.kind) {
                Some(TypeKind::Enum(e)) if e.variants.len() == 1 => Some(e.variants[0].value.clone()),
                _ => None,
            },
            _ => None,
        };
        keys.fixed.extend(fixed.map(|value| (field.wire_name.clone(), value)));
    }
    keys.declared.sort();
    keys.declared.dedup();
    keys.required.sort();
    keys.fixed.sort();
    Some(keys)
}

/// The name of the type a member holds, through options, boxes and aliases.
fn struct_name<'t, 'a>(ty: &'t TypeRef, find: &impl Fn(&str) -> Option<&'a TypeDef>) -> Option<&'t str>
where
    'a: 't,
{
    let mut current = ty;
    for _ in 0..16 {
        match current {
            TypeRef::Option(inner) | TypeRef::Box(inner) => current = inner,
            TypeRef::Named(name) => match find(name).map(|t| &t.kind) {
                Some(TypeKind::Alias(inner) | TypeKind::Newtype(inner)) => current = inner,
                _ => return Some(name),
            },
            _ => return None,
        }
    }
    None
}

/// Shortcut constructors for union members; after cycles are broken, so that boxes are known.
pub(super) fn constructors(types: &mut [TypeDef]) {
    let snapshot: Vec<TypeDef> = types.to_vec();
    let index = by_name(&snapshot);
    let find = |name: &str| index.get(name).copied();
    for def in types.iter_mut() {
        let TypeKind::Union(union) = &mut def.kind else { continue };
        let rust_types: std::collections::BTreeSet<TypeRef> =
            union.variants.iter().map(|v| through_aliases(&v.ty, &find)).collect();
        union.converts = rust_types.len() == union.variants.len();
        // Inherent methods the union already has.
        let mut names = NameSet::with_reserved(&["is_unknown", "deserialize", "serialize", "from"]);
        for variant in &mut union.variants {
            variant.constructor = constructor(&variant.ty, &variant.name, &find, &mut names);
        }
    }
}

/// `Union::seats(5)` for a member struct with one required field (other than constants), and
/// `Union::cancel()` for one with none; every other field takes its default.
fn constructor<'a>(
    ty: &TypeRef,
    variant: &str,
    find: &impl Fn(&str) -> Option<&'a TypeDef>,
    names: &mut NameSet,
) -> Option<Constructor> {
    let (member, boxed) = match ty {
        TypeRef::Named(member) => (member, false),
        TypeRef::Box(inner) => match &**inner {
            TypeRef::Named(member) => (member, true),
            _ => return None,
        },
        _ => return None,
    };
    let TypeKind::Struct(s) = &find(member)?.kind else { return None };
    let needs_value = |f: &&crate::model::Field| {
        matches!(f.presence, Presence::Required | Presence::Flattened) && !matches!(f.ty, TypeRef::Const(_))
    };
    let mut required = s.fields.iter().filter(needs_value);
    let arg = required.next();
    if required.next().is_some() {
        return None;
    }
    let base = match arg {
        Some(field) => field.name.clone(),
        None => naming::field_name(variant),
    };
    let arg_name = arg.map(|f| f.name.clone());
    Some(Constructor {
        name: names.claim(&base),
        member: member.clone(),
        boxed,
        arg: arg.map(|f| (f.name.clone(), f.ty.clone())),
        defaulted: s
            .fields
            .iter()
            .filter(|f| Some(&f.name) != arg_name.as_ref())
            .map(|f| f.name.clone())
            .chain(matches!(s.additional, Additional::Collect(_)).then(|| naming::ADDITIONAL_FIELD.to_string()))
            .collect(),
    })
}

/// The `(wire name, value)` of every required constant field of a struct member.
fn required_consts<'a>(
    ty: &TypeRef,
    find: &impl Fn(&str) -> Option<&'a TypeDef>,
    const_values: &IndexMap<&str, &Value>,
) -> Vec<(String, Value)> {
    let TypeRef::Named(name) = ty else { return Vec::new() };
    let Some(TypeKind::Struct(s)) = find(name).map(|t| &t.kind) else { return Vec::new() };
    s.fields
        .iter()
        .filter(|f| f.presence == Presence::Required)
        .filter_map(|f| match &f.ty {
            TypeRef::Const(c) => const_values.get(c.as_str()).map(|v| (f.wire_name.clone(), (*v).clone())),
            _ => None,
        })
        .collect()
}

/// The type an alias stands for (`pub type GameId = u64;` is `u64`), through chains of aliases.
fn through_aliases<'t>(ty: &TypeRef, find: &impl Fn(&str) -> Option<&'t TypeDef>) -> TypeRef {
    let mut current = ty.clone();
    for _ in 0..16 {
        let TypeRef::Named(name) = &current else { break };
        match find(name).map(|t| &t.kind) {
            Some(TypeKind::Alias(inner)) => current = inner.clone(),
            _ => break,
        }
    }
    current
}

/// Marks the responses whose body is a tagged union with an `Unknown` member.
pub(super) fn mark_open_bodies(types: &[TypeDef], operations: &mut [Operation]) {
    let tagged: std::collections::BTreeSet<&str> = types
        .iter()
        .filter(|t| matches!(&t.kind, TypeKind::Union(u) if matches!(u.tagging, Tagging::Tagged { .. })))
        .map(|t| t.name.as_str())
        .collect();
    let open = |body: &ResponseBody| match body {
        ResponseBody::Json(TypeRef::Named(name)) => tagged.contains(name.as_str()),
        _ => false,
    };
    for op in operations {
        for response in op.success.iter_mut().chain(op.errors.iter_mut()) {
            response.open_union = open(&response.body);
        }
    }
}
