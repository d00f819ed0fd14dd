//! Decoding rules for unions that need every type lowered first: the constants shared by all
//! members of a tagged union (which an unknown member must carry too), and which members of an
//! untagged union are open tagged unions.

use crate::model::{ConstDef, Presence, Tagging, TypeDef, TypeKind, TypeRef};
use indexmap::IndexMap;
use serde_json::Value;

pub(super) fn settle(types: &mut [TypeDef], consts: &IndexMap<String, ConstDef>) {
    let const_values: IndexMap<&str, &Value> = consts.values().map(|c| (c.name.as_str(), &c.value)).collect();
    let snapshot: Vec<TypeDef> = types.to_vec();
    let find = |name: &str| snapshot.iter().find(|t| t.name == name);
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
    }
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
