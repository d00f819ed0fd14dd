//! Rules for unions that need every type lowered first: the constants shared by all members of a
//! tagged union (which an unknown member must carry too), which members of an untagged union are
//! open tagged unions, and the shortcut constructors for members that need at most one value.

use super::names::Slot;
use crate::model::{
    Additional, ConstDef, Constructor, MemberKeys, Operation, Presence, ResponseBody, Tagging, TypeDef, TypeId,
    TypeKind, TypeRef,
};
use crate::naming::{self, NameSet};
use indexmap::IndexMap;
use serde_json::Value;

/// A type's definition by id, in a copy of the types taken before a pass changes them.
fn finder<'a>(snapshot: &'a [Slot]) -> impl Fn(TypeId) -> Option<&'a TypeDef> + 'a {
    move |id: TypeId| snapshot.get(id.0).and_then(|slot| slot.def.as_ref())
}

pub(super) fn settle(types: &mut [Slot], consts: &IndexMap<String, ConstDef>) {
    let const_values: IndexMap<&str, &Value> = consts.values().map(|c| (c.name.as_str(), &c.value)).collect();
    let snapshot: Vec<Slot> = types.to_vec();
    let find = finder(&snapshot);
    for def in types.iter_mut().filter_map(|slot| slot.def.as_mut()) {
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
                .and_then(|n| find(*n))
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
    find: &impl Fn(TypeId) -> Option<&'a TypeDef>,
    const_values: &IndexMap<&str, &Value>,
    depth: usize,
) -> Option<MemberKeys> {
    let TypeKind::Struct(s) = &find(struct_id(ty, find)?)?.kind else { return None };
    let mut keys = MemberKeys { open: matches!(s.additional, Additional::Collect(_)), ..MemberKeys::default() };
    for field in &s.fields {
        if field.presence == Presence::Flattened {
            // The properties of a union flattened in are this member's too.
            let Some(TypeKind::Union(inner)) = struct_id(&field.ty, find).and_then(find).map(|t| &t.kind) else {
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
            TypeRef::Named(id) => match find(*id).map(|t| &t.kind) {
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

/// The type a member holds, through options, boxes and aliases.
fn struct_id<'a>(ty: &TypeRef, find: &impl Fn(TypeId) -> Option<&'a TypeDef>) -> Option<TypeId> {
    let mut current = ty.clone();
    for _ in 0..16 {
        match current {
            TypeRef::Option(inner) | TypeRef::Box(inner) => current = *inner,
            TypeRef::Named(id) => match find(id).map(|t| &t.kind) {
                Some(TypeKind::Alias(inner) | TypeKind::Newtype(inner)) => current = inner.clone(),
                _ => return Some(id),
            },
            _ => return None,
        }
    }
    None
}

/// Shortcut constructors for union members; after cycles are broken, so that boxes are known, and
/// after naming, since a constructor without an argument is named after its variant.
pub(super) fn constructors(types: &mut [Slot]) {
    let snapshot: Vec<Slot> = types.to_vec();
    let find = finder(&snapshot);
    for def in types.iter_mut().filter_map(|slot| slot.def.as_mut()) {
        let TypeKind::Union(union) = &mut def.kind else { continue };
        let rust_types: std::collections::BTreeSet<TypeRef> =
            union.variants.iter().map(|v| through_aliases(&v.ty, &find)).collect();
        union.converts = rust_types.len() == union.variants.len();
        // Inherent methods the union already has.
        let mut names = NameSet::with_reserved(naming::UNION_METHODS);
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
    find: &impl Fn(TypeId) -> Option<&'a TypeDef>,
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
    let TypeKind::Struct(s) = &find(*member)?.kind else { return None };
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
        member: *member,
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
    find: &impl Fn(TypeId) -> Option<&'a TypeDef>,
    const_values: &IndexMap<&str, &Value>,
) -> Vec<(String, Value)> {
    let TypeRef::Named(id) = ty else { return Vec::new() };
    let Some(TypeKind::Struct(s)) = find(*id).map(|t| &t.kind) else { return Vec::new() };
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
fn through_aliases<'t>(ty: &TypeRef, find: &impl Fn(TypeId) -> Option<&'t TypeDef>) -> TypeRef {
    let mut current = ty.clone();
    for _ in 0..16 {
        let TypeRef::Named(id) = &current else { break };
        match find(*id).map(|t| &t.kind) {
            Some(TypeKind::Alias(inner)) => current = inner.clone(),
            _ => break,
        }
    }
    current
}

/// Marks the responses whose body is a tagged union with an `Unknown` member.
pub(super) fn mark_open_bodies(types: &[Slot], operations: &mut [Operation]) {
    let find = finder(types);
    let open = |body: &ResponseBody| match body {
        ResponseBody::Json(TypeRef::Named(id)) => {
            matches!(find(*id).map(|t| &t.kind), Some(TypeKind::Union(u)) if matches!(u.tagging, Tagging::Tagged { .. }))
        }
        _ => false,
    };
    for op in operations {
        for response in
            op.success.iter_mut().chain(op.errors.iter_mut().flat_map(crate::model::ErrorStatus::readings_mut))
        {
            response.open_union = open(&response.body);
        }
    }
}
