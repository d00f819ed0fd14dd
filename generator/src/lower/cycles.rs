//! Recursion: a struct or union that contains itself without a `Vec` or map in between gets a
//! `Box` at the edge that closes the cycle; aliases that recur become newtypes, and aliases that
//! only name each other are an error.

use crate::error::{Error, Result};
use crate::model::{TypeDef, TypeKind, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn break_cycles(types: &mut [TypeDef]) -> Result<()> {
    let direct: BTreeMap<String, BTreeSet<String>> =
        types.iter().map(|t| (t.name.clone(), refs_of(t, false))).collect();
    let all: BTreeMap<String, BTreeSet<String>> = types.iter().map(|t| (t.name.clone(), refs_of(t, true))).collect();
    let aliases: BTreeSet<String> =
        types.iter().filter(|t| matches!(t.kind, TypeKind::Alias(_))).map(|t| t.name.clone()).collect();

    for def in types.iter_mut() {
        if let TypeKind::Alias(ty) = &def.kind {
            if reaches(&direct, &aliases, &def.name, &def.name) {
                let message = format!("`{}` is defined only through `$ref`s that loop back to it", def.name);
                return Err(Error::reference(&def.pointer, message));
            }
            if reaches(&all, &aliases, &def.name, &def.name) {
                def.kind = TypeKind::Newtype(ty.clone());
            }
        }
    }

    let every: BTreeSet<String> = types.iter().map(|t| t.name.clone()).collect();
    for def in types.iter_mut() {
        let owner = def.name.clone();
        let closes = |target: &str| target == owner || reaches(&direct, &every, target, &owner);
        match &mut def.kind {
            TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| box_edges(&mut f.ty, &closes)),
            TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| box_edges(&mut v.ty, &closes)),
            TypeKind::Newtype(ty) => box_edges(ty, &closes),
            TypeKind::Alias(_) | TypeKind::Enum(_) => {}
        }
    }
    Ok(())
}

/// Named types a definition mentions: directly (by value) or, with `through_containers`, anywhere.
fn refs_of(def: &TypeDef, through_containers: bool) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut visit = |ty: &TypeRef| collect(ty, through_containers, &mut out);
    match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().for_each(|f| visit(&f.ty)),
        TypeKind::Union(u) => u.variants.iter().for_each(|v| visit(&v.ty)),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => visit(ty),
        TypeKind::Enum(_) => {}
    }
    out
}

fn collect(ty: &TypeRef, through_containers: bool, out: &mut BTreeSet<String>) {
    match ty {
        TypeRef::Named(n) => {
            out.insert(n.clone());
        }
        TypeRef::Option(inner) => collect(inner, through_containers, out),
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Box(inner) if through_containers => {
            collect(inner, through_containers, out)
        }
        _ => {}
    }
}

/// Whether `to` is reachable from `from` in one or more steps, walking only through `via` nodes.
fn reaches(graph: &BTreeMap<String, BTreeSet<String>>, via: &BTreeSet<String>, from: &str, to: &str) -> bool {
    let mut stack: Vec<&str> = graph.get(from).into_iter().flatten().map(String::as_str).collect();
    let mut seen = BTreeSet::new();
    while let Some(node) = stack.pop() {
        if node == to {
            return true;
        }
        if via.contains(node) && seen.insert(node) {
            stack.extend(graph.get(node).into_iter().flatten().map(String::as_str));
        }
    }
    false
}

/// Wraps each by-value `Named` reference that closes a cycle in a `Box`.
fn box_edges(ty: &mut TypeRef, closes: &dyn Fn(&str) -> bool) {
    match ty {
        TypeRef::Named(n) if closes(n) => *ty = TypeRef::Box(Box::new(ty.clone())),
        TypeRef::Option(inner) => box_edges(inner, closes),
        _ => {}
    }
}
