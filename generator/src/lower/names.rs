//! The naming pass: every type gets its name last, once types are merged and cycles broken. A type
//! asks for a name with a [`Hint`] when lowering makes it (its parent's name and a suffix, or a
//! text); names are claimed in the order the types were made, component schemas first, so a name
//! only depends on the types made before it. Then union variants are named after their members,
//! and the types are sorted by name and their ids renumbered to match.

use super::Lowerer;
use crate::config::{config_error, did_you_mean, Located};
use crate::error::Result;
use crate::model::{Operation, Tagging, TypeDef, TypeId, TypeKind, TypeRef};
use crate::naming::{self, NameSet};
use std::collections::BTreeMap;

/// The name a type asks for: the final name of `parent` (if any) followed by `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hint {
    pub parent: Option<TypeId>,
    pub text: String,
}

impl Hint {
    pub fn text(text: impl Into<String>) -> Hint {
        Hint { parent: None, text: text.into() }
    }

    /// The name of `parent`, then `suffix` (`FooItem` for the items of `Foo`).
    pub fn child(parent: TypeId, suffix: impl Into<String>) -> Hint {
        Hint { parent: Some(parent), text: suffix.into() }
    }

    pub fn suffixed(&self, suffix: &str) -> Hint {
        Hint { parent: self.parent, text: format!("{}{suffix}", self.text) }
    }
}

/// A type while lowering: its definition once made, the name it asks for and its schema's title.
#[derive(Debug, Clone)]
pub(crate) struct Slot {
    pub def: Option<TypeDef>,
    pub hint: Hint,
    /// Docs for a type whose schema has no description: its title, unless the title only repeats
    /// the type's name (which is known last).
    pub title: Option<String>,
}

impl Lowerer<'_> {
    /// A new type's id, for the name `hint` asks for; its definition comes with [`Lowerer::define`].
    pub(crate) fn reserve(&mut self, hint: Hint) -> TypeId {
        self.types.push(Slot { def: None, hint, title: None });
        TypeId(self.types.len() - 1)
    }

    pub(crate) fn define(&mut self, id: TypeId, def: TypeDef, title: Option<String>) {
        let slot = &mut self.types[id.0];
        slot.def = Some(def);
        slot.title = title;
    }

    /// The definition of a type made so far.
    pub(crate) fn def(&self, id: TypeId) -> Option<&TypeDef> {
        self.types.get(id.0).and_then(|slot| slot.def.as_ref())
    }

    pub(crate) fn def_mut(&mut self, id: TypeId) -> Option<&mut TypeDef> {
        self.types.get_mut(id.0).and_then(|slot| slot.def.as_mut())
    }
}

/// A hint spelled out without the suffixes names get on a clash: the name a type would have alone
/// (`PricesItem` for both copies of an inline schema), by which merging finds copies.
pub(crate) fn plain_hint(slots: &[Slot], id: TypeId) -> String {
    let mut parts = Vec::new();
    let mut current = Some(id);
    // Parents are made before their children, so the chain ends.
    while let Some(id) = current {
        let Some(slot) = slots.get(id.0) else { break };
        parts.push(slot.hint.text.as_str());
        current = slot.hint.parent.filter(|parent| *parent < id);
    }
    parts.iter().rev().copied().collect()
}

/// Names every type, in the order they were made. A type merged into another (`merged`) still
/// claims the name it asked for, so that every other name is what it was when copies were named
/// first and merged after; its own name is then dropped.
///
/// `renames` (`[rename] types`) give a type, found by its name or its component's, the name the
/// user chose; the types named after it (`PetStatus` for a field of `Pet`) follow.
pub(crate) fn assign(slots: &mut [Slot], renames: &[(Located<String>, Located<String>)]) -> Result<()> {
    let mut chosen: BTreeMap<usize, &Located<String>> = BTreeMap::new();
    if !renames.is_empty() {
        let first = claim_all(slots, &BTreeMap::new());
        for (key, new) in renames {
            let found = slots.iter().enumerate().find(|(i, slot)| {
                slot.def.as_ref().is_some_and(|def| first[*i] == key.value || is_component(&def.pointer, &key.value))
            });
            let Some((index, _)) = found else {
                let known: Vec<&str> =
                    slots.iter().zip(&first).filter(|(slot, _)| slot.def.is_some()).map(|(_, n)| n.as_str()).collect();
                let message = format!(
                    "rename.types: no generated type is named `{}`{}",
                    key.value,
                    did_you_mean(&key.value, &known)
                );
                return Err(config_error(key.at, message));
            };
            if naming::type_name(&new.value) != new.value {
                let message = format!(
                    "rename.types: `{}` is not a type name (UpperCamelCase, such as `{}`)",
                    new.value,
                    naming::type_name(&new.value)
                );
                return Err(config_error(new.at, message));
            }
            if let Some(other) = first.iter().position(|n| *n == new.value).filter(|o| *o != index) {
                let pointer = slots[other].def.as_ref().map_or("", |d| d.pointer.as_str());
                let message = format!("rename.types: `{}` is already the name of the type of {pointer}", new.value);
                return Err(config_error(new.at, message));
            }
            chosen.insert(index, new);
        }
    }
    let given = claim_all(slots, &chosen.iter().map(|(i, n)| (*i, n.value.clone())).collect());
    for (index, new) in &chosen {
        if given[*index] != new.value {
            let message = format!("rename.types: `{}` clashes with the name of another type", new.value);
            return Err(config_error(new.at, message));
        }
    }
    for (slot, name) in slots.iter_mut().zip(given) {
        let Some(def) = &mut slot.def else { continue };
        if def.docs.is_none() {
            def.docs =
                slot.title.as_deref().filter(|t| naming::type_name(t) != naming::bare(&name)).map(str::to_string);
        }
        def.name = name;
    }
    let names: Vec<String> = slots.iter().map(|s| s.def.as_ref().map(|d| d.name.clone()).unwrap_or_default()).collect();
    for slot in slots.iter_mut() {
        if let Some(TypeDef { kind: TypeKind::Union(union), .. }) = &mut slot.def {
            name_variants(union, &names);
        }
    }
    Ok(())
}

/// Whether a type's `pointer` is the component a configuration `key` names: by the schema's name,
/// or by its JSON pointer (`[rename] types`, `[types] derive-for`).
pub(crate) fn is_component(pointer: &str, key: &str) -> bool {
    pointer == key || pointer.strip_prefix("#/components/schemas/") == Some(key)
}

/// Every slot's name, claimed in order; `chosen` names replace what a slot's hint asks for.
fn claim_all(slots: &[Slot], chosen: &BTreeMap<usize, String>) -> Vec<String> {
    let mut names = NameSet::default();
    let mut given: Vec<String> = Vec::with_capacity(slots.len());
    for (i, slot) in slots.iter().enumerate() {
        let wanted = match chosen.get(&i) {
            Some(name) => name.clone(),
            None => {
                let parent = slot.hint.parent.and_then(|p| given.get(p.0)).map_or("", String::as_str);
                format!("{parent}{}", slot.hint.text)
            }
        };
        given.push(names.claim(&wanted));
    }
    given
}

/// A union's variants: after their tag, or after their member's type, without the prefix all
/// members' names share (`Shape::Circle` for `ShapeCircle`); variants named in lowering keep theirs.
fn name_variants(union: &mut crate::model::Union, names: &[String]) {
    if union.variants.iter().all(|v| !v.name.is_empty()) {
        return;
    }
    let prefix = match union.tagging {
        Tagging::Untagged => common_prefix(&union.variants.iter().map(|v| &v.ty).collect::<Vec<_>>(), names),
        Tagging::Tagged { .. } => String::new(),
    };
    let mut taken = NameSet::with_reserved(naming::UNION_VARIANTS);
    for variant in &mut union.variants {
        let base = match variant.tags.first() {
            Some(tag) => naming::variant_name(tag),
            None => variant_label(&variant.ty, &prefix, names),
        };
        variant.name = taken.claim(&base);
    }
}

/// The longest word-aligned prefix shared by all named members, when that leaves each a name.
fn common_prefix(types: &[&TypeRef], names: &[String]) -> String {
    // Names are ASCII (see `naming`), so byte offsets are character boundaries.
    let named: Option<Vec<&str>> = types
        .iter()
        .map(|t| if let TypeRef::Named(id) = t { names.get(id.0).map(String::as_str) } else { None })
        .collect();
    let Some(named) = named.filter(|n| n.len() > 1) else { return String::new() };
    let first = named[0];
    let mut len = named
        .iter()
        .fold(first.len(), |len, n| first.bytes().zip(n.bytes()).take(len).take_while(|(a, b)| a == b).count());
    loop {
        let ok = named.iter().all(|n| n[len..].starts_with(|c: char| c.is_ascii_uppercase()));
        if ok || len == 0 {
            break;
        }
        len -= 1;
    }
    first[..len].to_string()
}

/// A variant name for an untagged member, from its type.
fn variant_label(ty: &TypeRef, prefix: &str, names: &[String]) -> String {
    match ty {
        TypeRef::Named(id) => {
            let name = names.get(id.0).map_or("", String::as_str);
            name.strip_prefix(prefix).filter(|rest| !rest.is_empty()).unwrap_or(name).to_string()
        }
        TypeRef::Const(n) => n.clone(),
        TypeRef::String => "String".into(),
        TypeRef::Bool => "Bool".into(),
        TypeRef::Int(_) => "Integer".into(),
        TypeRef::Float => "Number".into(),
        TypeRef::Uuid => "Uuid".into(),
        TypeRef::DateTime => "DateTime".into(),
        TypeRef::Date => "Date".into(),
        TypeRef::Bytes | TypeRef::Binary => "Bytes".into(),
        TypeRef::File => "File".into(),
        TypeRef::Local(n) => n.clone(),
        TypeRef::Json | TypeRef::JsonObject => "Json".into(),
        TypeRef::Vec(inner) => format!("{}List", variant_label(inner, "", names)),
        TypeRef::Map(inner) => format!("{}Map", variant_label(inner, "", names)),
        TypeRef::Option(inner) | TypeRef::Box(inner) => variant_label(inner, prefix, names),
        TypeRef::External(path) => naming::type_name(path.rsplit("::").next().unwrap_or(path)),
    }
}

/// The defined types, sorted by name, with every id (in the types and in `operations`) renumbered
/// to its place in that order.
pub(crate) fn sorted(slots: Vec<Slot>, operations: &mut [Operation]) -> Vec<TypeDef> {
    let mut defs: Vec<(TypeId, TypeDef)> =
        slots.into_iter().enumerate().filter_map(|(i, slot)| slot.def.map(|def| (TypeId(i), def))).collect();
    defs.sort_by(|a, b| a.1.name.cmp(&b.1.name));
    let new_ids: BTreeMap<TypeId, TypeId> = defs.iter().enumerate().map(|(i, (old, _))| (*old, TypeId(i))).collect();
    let renumber = |ty: &mut TypeRef| each_id(ty, &mut |id| *id = new_ids.get(id).copied().unwrap_or(*id));
    let mut types: Vec<TypeDef> = defs.into_iter().map(|(_, def)| def).collect();
    for def in &mut types {
        for_each_ref(&mut def.kind, &mut |ty| renumber(ty));
        if let TypeKind::Union(union) = &mut def.kind {
            for constructor in union.variants.iter_mut().filter_map(|v| v.constructor.as_mut()) {
                constructor.member = new_ids.get(&constructor.member).copied().unwrap_or(constructor.member);
                if let Some((_, ty)) = &mut constructor.arg {
                    renumber(ty);
                }
            }
        }
    }
    for op in operations {
        op.for_each_type_mut(|ty| renumber(ty));
    }
    types
}

/// Calls `f` on every type a definition refers to (the top of each).
pub(crate) fn for_each_ref(kind: &mut TypeKind, f: &mut impl FnMut(&mut TypeRef)) {
    match kind {
        TypeKind::Struct(s) => {
            s.fields.iter_mut().for_each(|field| f(&mut field.ty));
            if let crate::model::Additional::Collect(ty) = &mut s.additional {
                f(ty);
            }
        }
        TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| f(&mut v.ty)),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => f(ty),
        TypeKind::Enum(_) => {}
    }
}

/// Calls `f` on every type id inside `ty`.
pub(crate) fn each_id(ty: &mut TypeRef, f: &mut impl FnMut(&mut TypeId)) {
    match ty {
        TypeRef::Named(id) => f(id),
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) | TypeRef::Box(inner) => each_id(inner, f),
        _ => {}
    }
}
