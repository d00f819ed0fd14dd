//! Inline schemas repeated verbatim (the same `items` union under two properties, say) would each
//! claim a name (`PricesItem`, `PricesItem2`); this pass keeps the first and points uses of the
//! copies at it.

use crate::model::{Operation, TypeDef, TypeKind, TypeRef};
use std::collections::BTreeMap;

pub(super) fn merge_identical_inline(types: &mut Vec<TypeDef>, ops: &mut [Operation]) {
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    // Merging can make more types identical (their members now agree), so repeat until stable.
    loop {
        let mut found = false;
        // A copy's name is the original's plus digits, so only names with the same stem can pair:
        // comparing within stems keeps this linear in the number of types, not quadratic.
        let mut stems: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, def) in types.iter().enumerate() {
            stems.entry(def.name.trim_end_matches(|c: char| c.is_ascii_digit())).or_default().push(i);
        }
        let mut pairs = Vec::new();
        for group in stems.values().filter(|g| g.len() > 1) {
            for (n, &i) in group.iter().enumerate() {
                for &j in &group[n + 1..] {
                    let (first, second) = if i < j { (i, j) } else { (j, i) };
                    if is_copy(&types[first], &types[second]) {
                        pairs.push((types[second].name.clone(), types[first].name.clone()));
                    }
                }
            }
        }
        for (copy, original) in pairs {
            renames.insert(copy, original);
            found = true;
        }
        if !found {
            break;
        }
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

/// `b` repeats `a`: both inline, same shape and docs, and `b`'s name is `a`'s plus a number.
fn is_copy(a: &TypeDef, b: &TypeDef) -> bool {
    let inline = |t: &TypeDef| !t.pointer.starts_with("#/components/schemas/") || t.pointer.matches('/').count() > 3;
    let suffix =
        b.name.strip_prefix(a.name.as_str()).is_some_and(|s| !s.is_empty() && s.bytes().all(|c| c.is_ascii_digit()));
    inline(a) && inline(b) && suffix && a.docs == b.docs && same_kind(&a.kind, &b.kind)
}

fn same_kind(a: &TypeKind, b: &TypeKind) -> bool {
    // The model is plain data; comparing its serialized form compares every field.
    serde_json::to_value(a).ok() == serde_json::to_value(b).ok()
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
            if let Some(target) = renames.get(name) {
                *name = target.clone();
            }
        }
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) | TypeRef::Box(inner) => {
            rename(inner, renames)
        }
        _ => {}
    }
}
