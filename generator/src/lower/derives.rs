//! `[types] derive` and `derive-for`: derives the user adds to generated types.
//!
//! Of the derives std knows (`Eq`, `Hash`, `PartialOrd`, `Ord`, `Copy`, `Default`), a type can
//! take one when everything it holds can: an `f64` has no `Eq`, `Hash` or `Ord`, a JSON value no
//! `Hash` or order, a string enum (which keeps unknown values as a `String`) no `Copy`, and only
//! a struct can have `Default`. That is a fixpoint over the types, since they refer to each other.
//! A derive asked of one type is asked of every type it holds, and asking `Ord` asks `Eq` and
//! `PartialOrd` too. Other derives (`schemars::JsonSchema`) are the user's to vouch for: they are
//! added as asked, to the type and what it holds, and the user's own types count as able to take
//! any derive.
//!
//! Asked of every type, a derive a type cannot take is left off it, with a warning that says why;
//! asked of one type, it is an error that names the type and the field.

use crate::config::{config_error, did_you_mean, Config, Located};
use crate::error::{Result, Warning};
use crate::model::{Additional, Presence, Tagging, TypeDef, TypeKind, TypeRef};
use std::collections::BTreeMap;

/// The derives whose needs are known, in the order a derive list writes them.
const KNOWN: [&str; 6] = ["Copy", "Default", "Eq", "Hash", "PartialOrd", "Ord"];

/// What every type of a kind derives already.
fn built_in(def: &TypeDef) -> &'static [&'static str] {
    match &def.kind {
        TypeKind::Enum(_) => &["Eq", "Hash", "PartialOrd", "Ord"],
        TypeKind::Struct(s) if s.default => &["Default"],
        _ => &[],
    }
}

/// Why a type cannot take a derive: the field (or member) and the reason.
type Why = String;

pub(super) fn apply(types: &mut [TypeDef], config: &Config, warnings: &mut Vec<Warning>) -> Result<()> {
    let settings = &config.types;
    if settings.derive.is_empty() && settings.derive_for.is_empty() {
        return Ok(());
    }
    let can = Capabilities::of(types);
    let mut wanted: Vec<Vec<String>> = vec![Vec::new(); types.len()];
    // One type's derives first: they are errors when they cannot be.
    for (key, derives) in &settings.derive_for {
        let Some(index) = find(types, &key.value) else {
            let known: Vec<&str> = types.iter().map(|t| t.name.as_str()).collect();
            let message = format!(
                "types.derive-for: no generated type is named `{}`{}",
                key.value,
                did_you_mean(&key.value, &known)
            );
            return Err(config_error(key.at, message));
        };
        for derive in derives.iter().flat_map(with_prerequisites) {
            if let Some(why) = can.why_not(types, index, &derive.value) {
                let message =
                    format!("types.derive-for: `{}` cannot derive `{}`: {why}", types[index].name, derive.value);
                return Err(config_error(derive.at, message));
            }
            for held in held_types(types, index) {
                push(&mut wanted[held], &derive.value);
            }
        }
    }
    // Every type's: left off where they cannot be.
    for (index, def) in types.iter().enumerate() {
        if matches!(def.kind, TypeKind::Alias(_)) {
            continue;
        }
        let mut skipped: Vec<(String, Why)> = Vec::new();
        for derive in settings.derive.iter().flat_map(with_prerequisites) {
            match can.why_not(types, index, &derive.value) {
                None => push(&mut wanted[index], &derive.value),
                Some(why) => {
                    if !skipped.iter().any(|(d, _)| *d == derive.value) {
                        skipped.push((derive.value.clone(), why));
                    }
                }
            }
        }
        if !skipped.is_empty() {
            let reasons: Vec<String> =
                skipped.iter().map(|(derive, why)| format!("`{derive}` is left off: {why}")).collect();
            let message = format!("[types] derive on `{}`: {}", def.name, reasons.join("; "));
            warnings.push(Warning::new(&def.pointer, message));
        }
    }
    for (def, mut derives) in types.iter_mut().zip(wanted) {
        derives.retain(|d| !built_in(def).contains(&d.as_str()));
        // Known derives in a fixed order, then the rest as asked.
        derives.sort_by_key(|d| KNOWN.iter().position(|k| k == d).unwrap_or(KNOWN.len()));
        def.derives = derives;
    }
    Ok(())
}

fn push(list: &mut Vec<String>, derive: &str) {
    if !list.iter().any(|d| d == derive) {
        list.push(derive.to_string());
    }
}

/// A derive and those it needs (`Ord` needs `Eq` and `PartialOrd`; `Eq`, `PartialEq` which every
/// type has).
fn with_prerequisites(derive: &Located<String>) -> Vec<Located<String>> {
    let needs: &[&str] = match derive.value.as_str() {
        "Ord" => &["Eq", "PartialOrd"],
        _ => &[],
    };
    let mut out: Vec<Located<String>> = needs.iter().map(|n| Located { value: n.to_string(), at: derive.at }).collect();
    out.push(derive.clone());
    out
}

/// The type a `derive-for` key names: by its Rust name, or its component schema's name or pointer.
fn find(types: &[TypeDef], key: &str) -> Option<usize> {
    let index = types
        .iter()
        .position(|t| t.name == key)
        .or_else(|| types.iter().position(|t| super::names::is_component(&t.pointer, key)))?;
    // An alias stands for the type it names.
    match &types[index].kind {
        TypeKind::Alias(ty) => named_in(ty).first().copied().or(Some(index)),
        _ => Some(index),
    }
}

/// The type and every type it holds, at any depth (aliases seen through).
fn held_types(types: &[TypeDef], index: usize) -> Vec<usize> {
    let mut seen = vec![index];
    let mut next = 0;
    while let Some(&current) = seen.get(next) {
        next += 1;
        for ty in refs(&types[current].kind) {
            for id in named_in(ty) {
                if !seen.contains(&id) {
                    seen.push(id);
                }
            }
        }
    }
    seen.retain(|i| !matches!(types[*i].kind, TypeKind::Alias(_)));
    seen
}

fn refs(kind: &TypeKind) -> Vec<&TypeRef> {
    match kind {
        TypeKind::Struct(s) => {
            let mut out: Vec<&TypeRef> = s.fields.iter().map(|f| &f.ty).collect();
            if let Additional::Collect(ty) = &s.additional {
                out.push(ty);
            }
            out
        }
        TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => vec![ty],
        TypeKind::Enum(_) => Vec::new(),
    }
}

fn named_in(ty: &TypeRef) -> Vec<usize> {
    match ty {
        TypeRef::Named(id) => vec![id.0],
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) | TypeRef::Box(inner) => named_in(inner),
        _ => Vec::new(),
    }
}

/// Which types can take which known derive, found as a fixpoint: every type starts able, and
/// loses a derive when something it holds cannot take it, until nothing changes.
struct Capabilities {
    /// Type index → derive → able.
    able: Vec<BTreeMap<&'static str, bool>>,
}

impl Capabilities {
    fn of(types: &[TypeDef]) -> Capabilities {
        let mut able: Vec<BTreeMap<&'static str, bool>> = vec![KNOWN.iter().map(|d| (*d, true)).collect(); types.len()];
        loop {
            let mut changed = false;
            for index in 0..types.len() {
                for derive in KNOWN {
                    if able[index][derive] && reason(types, &able, index, derive).is_some() {
                        able[index].insert(derive, false);
                        changed = true;
                    }
                }
            }
            if !changed {
                return Capabilities { able };
            }
        }
    }

    /// Why the type cannot derive `derive`, or `None` when it can (or the derive is not one whose
    /// needs are known).
    fn why_not(&self, types: &[TypeDef], index: usize, derive: &str) -> Option<Why> {
        let derive = KNOWN.iter().find(|k| **k == derive)?;
        if self.able[index][derive] {
            return None;
        }
        reason(types, &self.able, index, derive)
    }
}

/// Why a type cannot derive `derive`, given what the types it holds can.
fn reason(types: &[TypeDef], able: &[BTreeMap<&'static str, bool>], index: usize, derive: &str) -> Option<Why> {
    let check = |ty: &TypeRef| type_reason(types, able, ty, derive);
    match &types[index].kind {
        TypeKind::Struct(s) => {
            for field in &s.fields {
                let needs_value = matches!(field.presence, Presence::Required | Presence::Flattened);
                // An `Option` (or `Nullable`) is `Default` whatever it holds.
                if derive == "Default" && !needs_value {
                    continue;
                }
                if let Some(why) = check(&field.ty) {
                    return Some(format!("its field `{}` {why}", crate::naming::bare(&field.name)));
                }
            }
            match &s.additional {
                Additional::Collect(_) if derive == "Copy" => {
                    Some("its other properties are kept in a map, which is not `Copy`".into())
                }
                Additional::Collect(ty) => check(ty).map(|why| format!("its other properties, each {why}")),
                _ => None,
            }
        }
        TypeKind::Enum(_) => match derive {
            "Copy" => Some("it keeps values this client does not know as a `String`, which is not `Copy`".into()),
            "Default" => Some("an enum has no value to default to".into()),
            _ => None,
        },
        TypeKind::Union(u) => {
            if derive == "Default" {
                return Some("a union has no member to default to".into());
            }
            if matches!(u.tagging, Tagging::Tagged { .. }) {
                if let Some(why) = check(&TypeRef::Json) {
                    return Some(format!("it keeps members this client does not know as JSON, which {why}"));
                }
            }
            u.variants.iter().find_map(|v| check(&v.ty).map(|why| format!("its member `{}` {why}", v.name)))
        }
        TypeKind::Newtype(ty) | TypeKind::Alias(ty) => check(ty),
    }
}

/// Why a value of `ty` cannot take `derive` (phrased to follow "its field `x`").
fn type_reason(types: &[TypeDef], able: &[BTreeMap<&'static str, bool>], ty: &TypeRef, derive: &str) -> Option<Why> {
    let not = |what: &str| Some(format!("is {what}, which has no `{derive}`"));
    match ty {
        TypeRef::Named(id) => {
            let def = types.get(id.0)?;
            match &def.kind {
                TypeKind::Alias(inner) => type_reason(types, able, inner, derive),
                _ if able[id.0][derive] => None,
                _ => Some(format!("is `{}`, which cannot derive `{derive}`", def.name)),
            }
        }
        TypeRef::Float if matches!(derive, "Eq" | "Hash" | "Ord") => not("a number (`f64`)"),
        TypeRef::Json | TypeRef::JsonObject if derive != "Eq" && derive != "Default" => {
            not("any JSON (`serde_json::Value`)")
        }
        TypeRef::File => not("a file part"),
        TypeRef::Binary => not("a raw body"),
        TypeRef::String | TypeRef::Bytes | TypeRef::Json | TypeRef::JsonObject if derive == "Copy" => {
            not("text or JSON, held on the heap")
        }
        TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Box(_) if derive == "Copy" => not("held on the heap"),
        TypeRef::Vec(_) | TypeRef::Map(_) | TypeRef::Option(_) if derive == "Default" => None,
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) | TypeRef::Box(inner) => {
            type_reason(types, able, inner, derive)
        }
        // Scalars take them all; a `const` is a unit type deriving them all; the user vouches
        // for their own types.
        _ => None,
    }
}
