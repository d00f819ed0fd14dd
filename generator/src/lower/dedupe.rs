//! Inline schemas repeated verbatim (the same `items` union under two properties, say) would each
//! claim a name (`PricesItem`, `PricesItem2`); this pass keeps the first and points uses of the
//! copies at it. Parameter enums repeated across operations become aliases of the first.

use crate::model::{Operation, TypeDef, TypeKind, TypeRef};
use std::collections::BTreeMap;

pub(super) fn merge_identical_inline(types: &mut Vec<TypeDef>, ops: &mut [Operation]) {
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    // Merging can make more types identical (their members now agree), so repeat until stable.
    loop {
        let found = copies(types);
        if found.is_empty() {
            break;
        }
        renames.extend(found);
        types.retain(|t| !renames.contains_key(&t.name));
        for def in types.iter_mut() {
            rename_kind(&mut def.kind, &renames);
        }
    }
    if renames.is_empty() {
        return;
    }
    for op in ops {
        op.for_each_type_mut(|ty| rename(ty, &renames));
    }
}

/// The copies among `types`, each with the type it repeats. A copy is inline, and has the docs
/// and the shape of an earlier inline type whose name is its own without a number at the end
/// (`PricesItem2` repeats `PricesItem`). It points at that type's original when that is a copy
/// too, so no copy points at another.
///
/// Linear in the number of types but for names that share a stem and a shape: types are grouped
/// by stem (the name without its digits) and by shape first, each shape serialized once.
fn copies(types: &[TypeDef]) -> Vec<(String, String)> {
    let inline = |t: &TypeDef| !t.pointer.starts_with("#/components/schemas/") || t.pointer.matches('/').count() > 3;
    let mut stems: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, def) in types.iter().enumerate().filter(|(_, t)| inline(t)) {
        stems.entry(def.name.trim_end_matches(|c: char| c.is_ascii_digit())).or_default().push(i);
    }
    // A type alone with its stem repeats nothing: only the others' shapes are serialized.
    let mut groups: BTreeMap<(&str, String), Vec<usize>> = BTreeMap::new();
    for (stem, members) in stems.iter().filter(|(_, members)| members.len() > 1) {
        for &i in members {
            // The model is plain data; its serialized form compares every field.
            let Ok(shape) = serde_json::to_string(&(&types[i].docs, &types[i].kind)) else { continue };
            groups.entry((stem, shape)).or_default().push(i);
        }
    }
    let mut out = Vec::new();
    for group in groups.values().filter(|g| g.len() > 1) {
        // Within a group, in document order: each member's original, by position in the group.
        let mut original: Vec<usize> = Vec::with_capacity(group.len());
        for (n, &j) in group.iter().enumerate() {
            let name = types[j].name.as_str();
            let repeats = |&m: &usize| {
                let rest = name.strip_prefix(types[group[m]].name.as_str());
                rest.is_some_and(|s| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()))
            };
            match (0..n).find(repeats) {
                Some(m) => {
                    let root = original[m];
                    original.push(root);
                    out.push((name.to_string(), types[group[root]].name.clone()));
                }
                None => original.push(n),
            }
        }
    }
    out
}

/// Each operation names its inline parameter enums after itself (`UsersGetUserSelectItem`), and
/// real documents repeat the same list across hundreds of operations (Microsoft Graph's `$select`,
/// 9,189 enums of 966 shapes). A repeat becomes `pub type UsersGetUserSelectItem =
/// UsersListUserSelectItem;`: every public name stays, and the variants are written once. Only
/// parameter enums: nothing else refers to them, so no union can end up with two members of one
/// type, and an enum refers to nothing, so the first of a shape is final.
pub(super) fn alias_repeated_parameter_enums(types: &mut [TypeDef]) {
    let mut first: BTreeMap<String, String> = BTreeMap::new();
    for def in types.iter_mut() {
        let TypeKind::Enum(_) = def.kind else { continue };
        if def.pointer.starts_with("#/components/schemas/") || !def.pointer.contains("/parameters/") {
            continue;
        }
        let Ok(shape) = serde_json::to_string(&(&def.docs, def.deprecated, &def.kind)) else { continue };
        match first.get(&shape) {
            Some(original) => def.kind = TypeKind::Alias(TypeRef::Named(original.clone())),
            None => {
                first.insert(shape, def.name.clone());
            }
        }
    }
}

fn rename_kind(kind: &mut TypeKind, renames: &BTreeMap<String, String>) {
    match kind {
        TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| rename(&mut f.ty, renames)),
        TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| rename(&mut v.ty, renames)),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => rename(ty, renames),
        TypeKind::Enum(_) => {}
    }
}

fn rename(ty: &mut TypeRef, renames: &BTreeMap<String, String>) {
    match ty {
        TypeRef::Named(name) => {
            // Copies found in a later round may be the originals of earlier ones: follow through.
            let mut target = &*name;
            while let Some(next) = renames.get(target) {
                target = next;
            }
            if target != name {
                *name = target.clone();
            }
        }
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) | TypeRef::Box(inner) => {
            rename(inner, renames)
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EnumVariant, StringEnum};

    fn inline(name: &str, kind: TypeKind) -> TypeDef {
        let pointer = format!("#/paths/~1{name}/get/responses/200/content/application~1json/schema");
        TypeDef { name: name.into(), pointer, docs: None, deprecated: false, kind }
    }

    fn alias(to: &str) -> TypeKind {
        TypeKind::Alias(TypeRef::Named(to.into()))
    }

    fn names(types: &[TypeDef]) -> Vec<&str> {
        types.iter().map(|t| t.name.as_str()).collect()
    }

    fn target(types: &[TypeDef], name: &str) -> String {
        match &types.iter().find(|t| t.name == name).unwrap().kind {
            TypeKind::Alias(TypeRef::Named(to)) => to.clone(),
            other => panic!("{other:?}"),
        }
    }

    /// `Body22` is `Body2` plus a number, and `Body2` is `Body` plus one: all three are one type,
    /// and the uses of the last point at the first, not at the removed middle one.
    #[test]
    fn copies_of_copies_point_at_the_original() {
        let mut types = vec![
            inline("Body", TypeKind::Alias(TypeRef::String)),
            inline("Body2", TypeKind::Alias(TypeRef::String)),
            inline("Body22", TypeKind::Alias(TypeRef::String)),
            inline("Uses", alias("Body22")),
        ];
        merge_identical_inline(&mut types, &mut []);
        assert_eq!(names(&types), ["Body", "Uses"]);
        assert_eq!(target(&types, "Uses"), "Body");
    }

    /// Merging `A2` into `A` makes `B2` (an alias of `A2`) repeat `B`: the second round merges
    /// it, and what used `B2` uses `B`.
    #[test]
    fn merging_repeats_until_stable() {
        let mut types = vec![
            inline("A", TypeKind::Alias(TypeRef::String)),
            inline("A2", TypeKind::Alias(TypeRef::String)),
            inline("B", alias("A")),
            inline("B2", alias("A2")),
            inline("C", alias("B2")),
        ];
        merge_identical_inline(&mut types, &mut []);
        assert_eq!(names(&types), ["A", "B", "C"]);
        assert_eq!(target(&types, "C"), "B");
    }

    /// Same stem, same shape, but neither name is the other's plus a number: two types.
    #[test]
    fn only_numbered_names_are_copies() {
        let mut types = vec![
            inline("Address1", TypeKind::Alias(TypeRef::String)),
            inline("Address2", TypeKind::Alias(TypeRef::String)),
            inline("Other2", TypeKind::Alias(TypeRef::Bool)),
            inline("Other", TypeKind::Alias(TypeRef::String)),
        ];
        merge_identical_inline(&mut types, &mut []);
        assert_eq!(names(&types), ["Address1", "Address2", "Other2", "Other"]);
    }

    fn string_enum(values: &[&str]) -> TypeKind {
        let variants = values.iter().map(|v| EnumVariant { name: v.to_uppercase(), value: v.to_string() }).collect();
        TypeKind::Enum(StringEnum { variants })
    }

    fn parameter(name: &str, kind: TypeKind) -> TypeDef {
        let pointer = format!("#/paths/~1{name}/get/parameters/0/schema/items");
        TypeDef { name: name.into(), pointer, docs: None, deprecated: false, kind }
    }

    /// The second and third operation's `$select` lists repeat the first one's: they alias it
    /// (the third the first, not the second). A different list, a response enum of the same
    /// shape and a component keep their definitions.
    #[test]
    fn repeated_parameter_enums_alias_the_first() {
        let mut types = vec![
            parameter("ListSelectItem", string_enum(&["id", "name"])),
            parameter("GetSelectItem", string_enum(&["id", "name"])),
            parameter("OtherSelectItem", string_enum(&["id"])),
            parameter("UpdateSelectItem", string_enum(&["id", "name"])),
            inline("Status", string_enum(&["id", "name"])),
            {
                let mut t = parameter("Shared", string_enum(&["id", "name"]));
                t.pointer = "#/components/schemas/Shared".into();
                t
            },
        ];
        alias_repeated_parameter_enums(&mut types);
        assert_eq!(target(&types, "GetSelectItem"), "ListSelectItem");
        assert_eq!(target(&types, "UpdateSelectItem"), "ListSelectItem");
        for kept in ["ListSelectItem", "OtherSelectItem", "Status", "Shared"] {
            let def = types.iter().find(|t| t.name == kept).unwrap();
            assert!(matches!(def.kind, TypeKind::Enum(_)), "{kept}: {:?}", def.kind);
        }
    }

    /// A component schema keeps its name even when an inline one repeats it.
    #[test]
    fn components_are_not_copies() {
        let mut types = vec![inline("Item", TypeKind::Alias(TypeRef::String)), {
            let mut t = inline("Item2", TypeKind::Alias(TypeRef::String));
            t.pointer = "#/components/schemas/Item2".into();
            t
        }];
        merge_identical_inline(&mut types, &mut []);
        assert_eq!(names(&types), ["Item", "Item2"]);
    }
}
