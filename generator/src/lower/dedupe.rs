//! Inline schemas repeated verbatim (the same `items` union under two properties, say) would each
//! become a type (`PricesItem`, `PricesItem2`); this pass keeps the first and points uses of the
//! copies at it. Parameter enums repeated across operations become aliases of the first.

use super::names::{each_id, for_each_ref, plain_hint, Slot};
use crate::model::{Operation, TypeId, TypeKind, TypeRef};
use std::collections::BTreeMap;

pub(super) fn merge_identical_inline(slots: &mut [Slot], ops: &mut [Operation]) {
    let mut merged: BTreeMap<TypeId, TypeId> = BTreeMap::new();
    // Merging can make more types identical (their members now agree), so repeat until stable.
    loop {
        let found = copies(slots);
        if found.is_empty() {
            break;
        }
        for (copy, original) in found {
            // The copy's slot stays, without a definition: it still asks for its name (see `names`).
            slots[copy.0].def = None;
            merged.insert(copy, original);
        }
        for def in slots.iter_mut().filter_map(|slot| slot.def.as_mut()) {
            for_each_ref(&mut def.kind, &mut |ty| repoint(ty, &merged));
        }
    }
    if merged.is_empty() {
        return;
    }
    for op in ops {
        op.for_each_type_mut(|ty| repoint(ty, &merged));
    }
}

/// The copies among the types, each with the type it repeats: an inline type with the plain name,
/// the docs and the shape of an earlier inline type (the first of them all, so no copy points at
/// another).
///
/// Linear in the number of types but for those that share a plain name: types are grouped by it
/// first, and only the shapes of those that share one are serialized.
fn copies(slots: &[Slot]) -> Vec<(TypeId, TypeId)> {
    let inline = |pointer: &str| !pointer.starts_with("#/components/schemas/") || pointer.matches('/').count() > 3;
    let mut by_hint: BTreeMap<String, Vec<TypeId>> = BTreeMap::new();
    for (i, slot) in slots.iter().enumerate() {
        if slot.def.as_ref().is_some_and(|def| inline(&def.pointer)) {
            by_hint.entry(plain_hint(slots, TypeId(i))).or_default().push(TypeId(i));
        }
    }
    let mut out = Vec::new();
    for members in by_hint.values().filter(|members| members.len() > 1) {
        let mut first: BTreeMap<String, TypeId> = BTreeMap::new();
        for &id in members {
            let slot = &slots[id.0];
            let Some(def) = &slot.def else { continue };
            // The model is plain data; its serialized form compares every field.
            let Ok(shape) = serde_json::to_string(&(&def.docs, &slot.title, &def.kind)) else { continue };
            match first.get(&shape) {
                Some(original) => out.push((id, *original)),
                None => {
                    first.insert(shape, id);
                }
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
pub(super) fn alias_repeated_parameter_enums(slots: &mut [Slot]) {
    let mut first: BTreeMap<String, TypeId> = BTreeMap::new();
    for (i, slot) in slots.iter_mut().enumerate() {
        let Some(def) = &mut slot.def else { continue };
        let TypeKind::Enum(_) = def.kind else { continue };
        if def.pointer.starts_with("#/components/schemas/") || !def.pointer.contains("/parameters/") {
            continue;
        }
        let Ok(shape) = serde_json::to_string(&(&def.docs, &slot.title, def.deprecated, &def.kind)) else { continue };
        match first.get(&shape) {
            Some(original) => def.kind = TypeKind::Alias(TypeRef::Named(*original)),
            None => {
                first.insert(shape, TypeId(i));
            }
        }
    }
}

fn repoint(ty: &mut TypeRef, merged: &BTreeMap<TypeId, TypeId>) {
    each_id(ty, &mut |id| {
        // Copies found in a later round may be the originals of earlier ones: follow through.
        while let Some(next) = merged.get(id) {
            *id = *next;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::names::Hint;
    use crate::model::{EnumVariant, StringEnum, TypeDef};

    /// An inline type asking for `hint`, in a slot of its own.
    fn inline(hint: &str, kind: TypeKind) -> Slot {
        let pointer = format!("#/paths/~1{hint}/get/responses/200/content/application~1json/schema");
        let def = TypeDef { name: String::new(), pointer, docs: None, deprecated: false, kind, derives: Vec::new() };
        Slot { def: Some(def), hint: Hint::text(hint), title: None }
    }

    fn alias(to: usize) -> TypeKind {
        TypeKind::Alias(TypeRef::Named(TypeId(to)))
    }

    fn kept(slots: &[Slot]) -> Vec<usize> {
        (0..slots.len()).filter(|&i| slots[i].def.is_some()).collect()
    }

    fn target(slots: &[Slot], at: usize) -> usize {
        match &slots[at].def.as_ref().unwrap().kind {
            TypeKind::Alias(TypeRef::Named(to)) => to.0,
            other => panic!("{other:?}"),
        }
    }

    /// Three copies of one shape under one plain name are one type, and the uses of the last point
    /// at the first.
    #[test]
    fn copies_point_at_the_first() {
        let mut slots = vec![
            inline("Body", TypeKind::Alias(TypeRef::String)),
            inline("Body", TypeKind::Alias(TypeRef::String)),
            inline("Body", TypeKind::Alias(TypeRef::String)),
            inline("Uses", alias(2)),
        ];
        merge_identical_inline(&mut slots, &mut []);
        assert_eq!(kept(&slots), [0, 3]);
        assert_eq!(target(&slots, 3), 0);
    }

    /// Merging the second `A` into the first makes the second `B` (an alias of it) repeat the
    /// first `B`: the second round merges it, and what used it uses the first.
    #[test]
    fn merging_repeats_until_stable() {
        let mut slots = vec![
            inline("A", TypeKind::Alias(TypeRef::String)),
            inline("A", TypeKind::Alias(TypeRef::String)),
            inline("B", alias(0)),
            inline("B", alias(1)),
            inline("C", alias(3)),
        ];
        merge_identical_inline(&mut slots, &mut []);
        assert_eq!(kept(&slots), [0, 2, 4]);
        assert_eq!(target(&slots, 4), 2);
    }

    /// Children ask for their parent's name: copies under copies share a plain name too.
    #[test]
    fn plain_names_follow_parents() {
        let mut slots = vec![
            inline("Price", TypeKind::Alias(TypeRef::String)),
            inline("Price", TypeKind::Alias(TypeRef::String)),
            inline("", TypeKind::Alias(TypeRef::Bool)),
            inline("", TypeKind::Alias(TypeRef::Bool)),
        ];
        slots[2].hint = Hint::child(TypeId(0), "Item");
        slots[3].hint = Hint::child(TypeId(1), "Item");
        merge_identical_inline(&mut slots, &mut []);
        assert_eq!(kept(&slots), [0, 2]);
    }

    /// Same shape, other plain names: two types.
    #[test]
    fn only_types_of_one_plain_name_are_copies() {
        let mut slots = vec![
            inline("Address1", TypeKind::Alias(TypeRef::String)),
            inline("Address2", TypeKind::Alias(TypeRef::String)),
            inline("Other", TypeKind::Alias(TypeRef::Bool)),
            inline("Other", TypeKind::Alias(TypeRef::String)),
        ];
        merge_identical_inline(&mut slots, &mut []);
        assert_eq!(kept(&slots), [0, 1, 2, 3]);
    }

    fn string_enum(values: &[&str]) -> TypeKind {
        let variants = values.iter().map(|v| EnumVariant { name: v.to_uppercase(), value: v.to_string() }).collect();
        TypeKind::Enum(StringEnum { variants })
    }

    fn parameter(hint: &str, kind: TypeKind) -> Slot {
        let mut slot = inline(hint, kind);
        if let Some(def) = &mut slot.def {
            def.pointer = format!("#/paths/~1{hint}/get/parameters/0/schema/items");
        }
        slot
    }

    /// The second and third operation's `$select` lists repeat the first one's: they alias it
    /// (the third the first, not the second). A different list, a response enum of the same
    /// shape and a component keep their definitions.
    #[test]
    fn repeated_parameter_enums_alias_the_first() {
        let mut slots = vec![
            parameter("ListSelectItem", string_enum(&["id", "name"])),
            parameter("GetSelectItem", string_enum(&["id", "name"])),
            parameter("OtherSelectItem", string_enum(&["id"])),
            parameter("UpdateSelectItem", string_enum(&["id", "name"])),
            inline("Status", string_enum(&["id", "name"])),
            {
                let mut t = parameter("Shared", string_enum(&["id", "name"]));
                t.def.as_mut().unwrap().pointer = "#/components/schemas/Shared".into();
                t
            },
        ];
        alias_repeated_parameter_enums(&mut slots);
        assert_eq!(target(&slots, 1), 0);
        assert_eq!(target(&slots, 3), 0);
        for kept in [0, 2, 4, 5] {
            let def = slots[kept].def.as_ref().unwrap();
            assert!(matches!(def.kind, TypeKind::Enum(_)), "{kept}: {:?}", def.kind);
        }
    }

    /// A component schema is never a copy, even when an inline one repeats it.
    #[test]
    fn components_are_not_copies() {
        let mut slots = vec![inline("Item", TypeKind::Alias(TypeRef::String)), {
            let mut t = inline("Item", TypeKind::Alias(TypeRef::String));
            t.def.as_mut().unwrap().pointer = "#/components/schemas/Item2".into();
            t
        }];
        merge_identical_inline(&mut slots, &mut []);
        assert_eq!(kept(&slots), [0, 1]);
    }
}
