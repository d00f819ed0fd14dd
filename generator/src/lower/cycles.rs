//! Recursion: a struct or union that contains itself without a `Vec` or map in between gets a
//! `Box` at the edge that closes the cycle; aliases that recur become newtypes, and aliases that
//! only name each other are an error.

use super::names::Slot;
use crate::error::{Error, Result};
use crate::model::{TypeDef, TypeId, TypeKind, TypeRef};
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn break_cycles(types: &mut [Slot]) -> Result<()> {
    let defined = || types.iter().enumerate().filter_map(|(i, slot)| slot.def.as_ref().map(|def| (TypeId(i), def)));
    let direct: BTreeMap<TypeId, BTreeSet<TypeId>> = defined().map(|(id, def)| (id, refs_of(def, false))).collect();
    let all: BTreeMap<TypeId, BTreeSet<TypeId>> = defined().map(|(id, def)| (id, refs_of(def, true))).collect();
    let aliases: BTreeSet<TypeId> =
        defined().filter(|(_, def)| matches!(def.kind, TypeKind::Alias(_))).map(|(id, _)| id).collect();

    for (i, slot) in types.iter_mut().enumerate() {
        let id = TypeId(i);
        let Some(def) = &mut slot.def else { continue };
        if let TypeKind::Alias(ty) = &def.kind {
            if reaches(&direct, &aliases, id, id) {
                // Named before names are given: by the name the type asks for.
                let message = format!("`{}` is defined only through `$ref`s that loop back to it", slot.hint.text);
                return Err(Error::reference(&def.pointer, message));
            }
            if reaches(&all, &aliases, id, id) {
                def.kind = TypeKind::Newtype(ty.clone());
            }
        }
    }

    // An edge closes a cycle exactly when its ends share a strongly connected component.
    let component = components(&direct);
    for (i, slot) in types.iter_mut().enumerate() {
        let owner = TypeId(i);
        let Some(def) = &mut slot.def else { continue };
        let mine = component.get(&owner).copied();
        let closes = |target: TypeId| target == owner || (mine.is_some() && component.get(&target).copied() == mine);
        match &mut def.kind {
            TypeKind::Struct(s) => s.fields.iter_mut().for_each(|f| box_edges(&mut f.ty, &closes)),
            TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| box_edges(&mut v.ty, &closes)),
            TypeKind::Newtype(ty) => box_edges(ty, &closes),
            TypeKind::Alias(_) | TypeKind::Enum(_) => {}
        }
    }
    Ok(())
}

/// Types a definition mentions: directly (by value) or, with `through_containers`, anywhere.
fn refs_of(def: &TypeDef, through_containers: bool) -> BTreeSet<TypeId> {
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

fn collect(ty: &TypeRef, through_containers: bool, out: &mut BTreeSet<TypeId>) {
    match ty {
        TypeRef::Named(id) => {
            out.insert(*id);
        }
        TypeRef::Option(inner) => collect(inner, through_containers, out),
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Box(inner) if through_containers => {
            collect(inner, through_containers, out)
        }
        _ => {}
    }
}

/// Whether `to` is reachable from `from` in one or more steps, walking only through `via` nodes.
fn reaches(graph: &BTreeMap<TypeId, BTreeSet<TypeId>>, via: &BTreeSet<TypeId>, from: TypeId, to: TypeId) -> bool {
    let mut stack: Vec<TypeId> = graph.get(&from).into_iter().flatten().copied().collect();
    let mut seen = BTreeSet::new();
    while let Some(node) = stack.pop() {
        if node == to {
            return true;
        }
        if via.contains(&node) && seen.insert(node) {
            stack.extend(graph.get(&node).into_iter().flatten().copied());
        }
    }
    false
}

/// Each node's strongly connected component, by Tarjan's algorithm (iterative, so a deep chain
/// of types cannot overflow the stack). Linear in nodes and edges; edges to names that are not
/// nodes are ignored.
fn components<K: Ord + Copy>(graph: &BTreeMap<K, BTreeSet<K>>) -> BTreeMap<K, usize> {
    let names: Vec<K> = graph.keys().copied().collect();
    let index_of: BTreeMap<K, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let edges: Vec<Vec<usize>> =
        graph.values().map(|targets| targets.iter().filter_map(|t| index_of.get(t).copied()).collect()).collect();
    const UNSEEN: usize = usize::MAX;
    let (mut order, mut low) = (vec![UNSEEN; names.len()], vec![0; names.len()]);
    let (mut on_stack, mut stack) = (vec![false; names.len()], Vec::new());
    let mut component = vec![UNSEEN; names.len()];
    let (mut next_order, mut next_component) = (0, 0);
    for root in 0..names.len() {
        if order[root] != UNSEEN {
            continue;
        }
        // Each frame: a node and how many of its edges have been followed.
        let mut frames: Vec<(usize, usize)> = vec![(root, 0)];
        order[root] = next_order;
        low[root] = next_order;
        next_order += 1;
        stack.push(root);
        on_stack[root] = true;
        while let Some(frame) = frames.last_mut() {
            let node = frame.0;
            if let Some(&next) = edges[node].get(frame.1) {
                frame.1 += 1;
                if order[next] == UNSEEN {
                    order[next] = next_order;
                    low[next] = next_order;
                    next_order += 1;
                    stack.push(next);
                    on_stack[next] = true;
                    frames.push((next, 0));
                } else if on_stack[next] {
                    low[node] = low[node].min(order[next]);
                }
                continue;
            }
            frames.pop();
            if let Some(&(parent, _)) = frames.last() {
                low[parent] = low[parent].min(low[node]);
            }
            if low[node] == order[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    names.into_iter().zip(component).collect()
}

/// Wraps each by-value `Named` reference that closes a cycle in a `Box`.
fn box_edges(ty: &mut TypeRef, closes: &dyn Fn(TypeId) -> bool) {
    match ty {
        TypeRef::Named(id) if closes(*id) => *ty = TypeRef::Box(Box::new(ty.clone())),
        TypeRef::Option(inner) => box_edges(inner, closes),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph<'a>(edges: &[(&'a str, &[&'a str])]) -> BTreeMap<&'a str, BTreeSet<&'a str>> {
        edges.iter().map(|(from, to)| (*from, to.iter().copied().collect())).collect()
    }

    #[test]
    fn components_join_exactly_the_nodes_that_reach_each_other() {
        // a ⇄ b, b → c, c ⇄ d, d → e, e → e, and f → a plus an edge to a name with no node.
        let g = graph(&[
            ("a", &["b"]),
            ("b", &["a", "c"]),
            ("c", &["d"]),
            ("d", &["c", "e"]),
            ("e", &["e"]),
            ("f", &["a", "missing"]),
        ]);
        let c = components(&g);
        assert_eq!(c["a"], c["b"]);
        assert_eq!(c["c"], c["d"]);
        let distinct: BTreeSet<usize> = [c["a"], c["c"], c["e"], c["f"]].into();
        assert_eq!(distinct.len(), 4, "{c:?}");
        assert!(!c.contains_key("missing"));
    }
}
