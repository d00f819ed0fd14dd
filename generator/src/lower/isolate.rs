//! One broken part does not sink a whole document. When lowering fails, every component schema and
//! every operation is lowered on its own to find those that fail; a schema that names one of them
//! fails with it, and so does an operation. The document is then lowered again without them, each
//! left out with a warning that carries the error (which `--strict` reports as it is). Lowering
//! again, rather than removing parts from a finished model, keeps every other name as it would be
//! in a document without them.

use super::names::{for_each_ref, Slot};
use super::{lower_skipping, Lowerer};
use crate::config::Config;
use crate::error::{pointer, Error, Result, Warning};
use crate::model::{Api, TypeId, TypeRef};
use openapiv3::OpenAPI;
use std::collections::{BTreeMap, BTreeSet};

/// How often an error that only a later pass meets (a loop of aliases) may leave out one more part.
const MAX_ROUNDS: usize = 16;

/// What a lowering leaves out: component schemas by key, operations by pointer.
#[derive(Debug, Default, Clone)]
pub(crate) struct Skip {
    pub components: BTreeSet<String>,
    pub operations: BTreeSet<String>,
}

/// A part of the document that is lowered, or left out, as a whole.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    /// A component schema, by key.
    Schema(String),
    /// An operation (or a path item that cannot be read), by pointer.
    Operation(String),
}

impl Part {
    fn pointer(&self) -> String {
        match self {
            Part::Schema(key) => pointer("#/components/schemas", key),
            Part::Operation(at) => at.clone(),
        }
    }

    /// The part an error's pointer is in, if it is in one.
    fn of(at: &str) -> Option<Part> {
        let tokens = crate::walk::pointer_tokens(at).ok()?;
        match tokens.as_slice() {
            [components, schemas, key, ..] if components == "components" && schemas == "schemas" => {
                Some(Part::Schema(key.clone()))
            }
            [paths, path, method, ..] if paths == "paths" && crate::walk::METHODS.contains(&method.as_str()) => {
                Some(Part::Operation(pointer(&pointer("#/paths", path), method)))
            }
            _ => None,
        }
    }
}

pub(super) fn lower_isolating(doc: &OpenAPI, config: &Config) -> Result<(Api, Vec<Warning>)> {
    let first = match lower_skipping(doc, config, &Skip::default()) {
        Ok(lowered) => return Ok(lowered),
        Err(error) => error,
    };
    let mut parts = probe(doc, config);
    if parts.failed.is_empty() {
        // Only a later pass met it: leave out the part it is in.
        let part = Part::of(&first.pointer).ok_or_else(|| first.clone())?;
        parts.failed.insert(part, first.clone());
    }
    for _ in 0..MAX_ROUNDS {
        let (skip, left_out) = parts.left_out();
        match lower_skipping(doc, config, &skip) {
            Ok((api, warnings)) => return Ok((api, left_out.into_iter().chain(warnings).collect())),
            Err(error) => {
                let part = Part::of(&error.pointer).filter(|p| !parts.failed.contains_key(p));
                let Some(part) = part else { return Err(error) };
                parts.failed.insert(part, error);
            }
        }
    }
    Err(first)
}

/// Every part's fate when lowered alone: the error of those that fail, and the component schemas
/// each of the others names.
struct Parts {
    failed: BTreeMap<Part, Error>,
    uses: BTreeMap<Part, BTreeSet<TypeId>>,
    /// Component keys by type.
    keys: BTreeMap<TypeId, String>,
    /// Every part, in document order.
    order: Vec<Part>,
}

fn probe(doc: &OpenAPI, config: &Config) -> Parts {
    let mut cx = Lowerer::new(doc, config);
    cx.reserve_components(&BTreeSet::new());
    let keys: BTreeMap<TypeId, String> = cx.components.iter().map(|(key, id)| (*id, key.clone())).collect();
    let mut parts = Parts { failed: BTreeMap::new(), uses: BTreeMap::new(), keys, order: Vec::new() };
    let components: Vec<String> = cx.components.keys().cloned().collect();
    for key in components {
        let start = cx.types.len();
        let part = Part::Schema(key.clone());
        match cx.component(&key) {
            Ok(()) => {
                parts.uses.insert(part.clone(), uses_in(&cx.types[start..]));
            }
            Err(error) => {
                parts.failed.insert(part.clone(), error);
            }
        }
        cx.types.truncate(start);
        parts.order.push(part);
    }
    // A scheme that cannot be read is left out where schemes are read; they fail no part here.
    let schemes = super::security_schemes(doc, &mut Vec::new()).unwrap_or_default();
    for (at, result) in super::operation::probe(&mut cx, &schemes) {
        let part = Part::Operation(at);
        match result {
            Ok(names) => {
                parts.uses.insert(part.clone(), names);
            }
            Err(error) => {
                parts.failed.insert(part.clone(), error);
            }
        }
        parts.order.push(part);
    }
    parts
}

impl Parts {
    /// What to leave out, the parts that fail and those that name them, and a warning for each.
    fn left_out(&self) -> (Skip, Vec<Warning>) {
        let mut failed: BTreeMap<Part, Error> = self.failed.clone();
        loop {
            let failed_keys: BTreeSet<&str> = failed
                .keys()
                .filter_map(|p| if let Part::Schema(key) = p { Some(key.as_str()) } else { None })
                .collect();
            let mut more = Vec::new();
            for (part, names) in &self.uses {
                if failed.contains_key(part) {
                    continue;
                }
                let used =
                    names.iter().filter_map(|name| self.keys.get(name)).find(|key| failed_keys.contains(key.as_str()));
                if let Some(key) = used {
                    let message = format!("it uses `{}`, which is left out", pointer("#/components/schemas", key));
                    more.push((part.clone(), Error::reference(part.pointer(), message)));
                }
            }
            if more.is_empty() {
                break;
            }
            failed.extend(more);
        }
        let mut skip = Skip::default();
        let mut warnings = Vec::new();
        // In document order; a part that failed only in a later pass comes last.
        let later = failed.keys().filter(|p| !self.order.contains(p));
        for part in self.order.iter().filter(|p| failed.contains_key(*p)).chain(later) {
            let error = failed[part].clone();
            let what = match part {
                Part::Schema(key) => {
                    skip.components.insert(key.clone());
                    "the schema"
                }
                Part::Operation(at) => {
                    skip.operations.insert(at.clone());
                    "the operation"
                }
            };
            warnings.push(Warning::left_out(part.pointer(), what, error));
        }
        (skip, warnings)
    }
}

/// The types that the definitions in `slots` refer to.
pub(super) fn uses_in(slots: &[Slot]) -> BTreeSet<TypeId> {
    let mut uses = BTreeSet::new();
    for slot in slots {
        if let Some(def) = &slot.def {
            let mut kind = def.kind.clone();
            for_each_ref(&mut kind, &mut |ty| ids_of(ty, &mut uses));
        }
    }
    uses
}

/// Adds the types `ty` refers to to `ids`.
pub(super) fn ids_of(ty: &TypeRef, ids: &mut BTreeSet<TypeId>) {
    let mut ty = ty.clone();
    super::names::each_id(&mut ty, &mut |id| {
        ids.insert(*id);
    });
}
