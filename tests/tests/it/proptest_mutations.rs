//! Mutated documents never make the generator panic: the valid fixtures and the real spec, parsed to
//! JSON, get a few random edits (a key deleted, renamed or duplicated, a value replaced by a random
//! scalar, array or object, a `$ref` pointed elsewhere, a `type` swapped), and `generator::generate`
//! must return `Ok` or `Err`.
//!
//! The seed is fixed so that CI is reproducible; set `PROPTEST_RNG_SEED` to explore other inputs.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use serde_json::{Map, Value};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// How many mutated documents still generated, and how many were refused.
static GENERATED: AtomicUsize = AtomicUsize::new(0);
static REFUSED: AtomicUsize = AtomicUsize::new(0);

/// How many mutated documents one run tries, across all inputs.
const CASES: u32 = 256;
const DEFAULT_SEED: u64 = 0x0DD5_EED5;

/// The inputs: every valid fixture but the large one (too slow to try often), and the real spec.
const INPUTS: &[&str] = &[
    "spec/polar-customer-portal.yaml",
    "tests/fixtures/composition.yaml",
    "tests/fixtures/integers_security.yaml",
    "tests/fixtures/maps_inline.json",
    "tests/fixtures/minimal.yaml",
    "tests/fixtures/names.yaml",
    "tests/fixtures/nullable_30.yaml",
    "tests/fixtures/parameters.json",
    "tests/fixtures/recursion.yaml",
    "tests/fixtures/responses_media.yaml",
    "tests/fixtures/types_31.json",
];

fn inputs() -> &'static [(&'static str, Value)] {
    static DOCS: OnceLock<Vec<(&'static str, Value)>> = OnceLock::new();
    DOCS.get_or_init(|| {
        INPUTS
            .iter()
            .map(|path| {
                let doc = generator::load::load(&tests::read(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
                (*path, doc)
            })
            .collect()
    })
}

#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

#[derive(Debug, Clone)]
enum Mutation {
    /// Removes the chosen node from its object or array.
    Delete(u64),
    /// Puts another value in the chosen node's place.
    Replace(u64, Value),
    /// Gives the chosen node's key another name.
    Rename(u64, String),
    /// Copies the chosen node over one of its siblings (or next to itself).
    Duplicate(u64, u64),
    /// Points a `$ref` somewhere else: another component, nowhere, or outside the document.
    Retarget(u64, u64),
    /// Changes a `type` keyword.
    SwapType(u64, Value),
}

/// Keys and strings worth trying: OpenAPI keywords, odd names and references.
const WORDS: &[&str] = &[
    "type",
    "$ref",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "required",
    "additionalProperties",
    "nullable",
    "enum",
    "const",
    "discriminator",
    "format",
    "default",
    "in",
    "schema",
    "content",
    "responses",
    "parameters",
    "requestBody",
    "operationId",
    "200",
    "x-extension",
    "",
    "self",
    "-",
    "{id}",
    "#/components/schemas/",
    "😀",
];

const TYPES: &[&str] = &["string", "integer", "number", "boolean", "object", "array", "null", "file", ""];

fn word() -> impl Strategy<Value = String> {
    prop::sample::select(WORDS).prop_map(str::to_string)
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-5i64..100_000).prop_map(Value::from),
        prop::sample::select(&[0.5f64, -1.0, 1e300, 2147483647.0][..]).prop_map(Value::from),
        word().prop_map(Value::String),
        Just(Value::Array(Vec::new())),
        prop::collection::vec(word().prop_map(Value::String), 1..3).prop_map(Value::Array),
        Just(Value::Object(Map::new())),
        (word(), word()).prop_map(|(k, v)| Value::Object(Map::from_iter([(k, Value::String(v))]))),
        (prop::sample::select(TYPES))
            .prop_map(|t| Value::Object(Map::from_iter([("type".to_string(), Value::String(t.to_string()))]))),
    ]
}

fn type_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        prop::sample::select(TYPES).prop_map(|t| Value::String(t.to_string())),
        prop::collection::vec(prop::sample::select(TYPES).prop_map(|t| Value::String(t.to_string())), 0..3)
            .prop_map(Value::Array),
        Just(Value::from(7)),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<u64>().prop_map(Mutation::Delete),
        (any::<u64>(), value()).prop_map(|(n, v)| Mutation::Replace(n, v)),
        (any::<u64>(), word()).prop_map(|(n, w)| Mutation::Rename(n, w)),
        (any::<u64>(), any::<u64>()).prop_map(|(n, m)| Mutation::Duplicate(n, m)),
        (any::<u64>(), any::<u64>()).prop_map(|(n, m)| Mutation::Retarget(n, m)),
        (any::<u64>(), type_value()).prop_map(|(n, v)| Mutation::SwapType(n, v)),
    ]
}

/// Every node's path, in document order (the root excluded).
fn paths(value: &Value) -> Vec<Vec<Seg>> {
    fn walk(value: &Value, path: &mut Vec<Seg>, out: &mut Vec<Vec<Seg>>) {
        let children: Vec<(Seg, &Value)> = match value {
            Value::Object(map) => map.iter().map(|(k, v)| (Seg::Key(k.clone()), v)).collect(),
            Value::Array(items) => items.iter().enumerate().map(|(i, v)| (Seg::Index(i), v)).collect(),
            _ => return,
        };
        for (seg, child) in children {
            path.push(seg);
            out.push(path.clone());
            walk(child, path, out);
            path.pop();
        }
    }
    let mut out = Vec::new();
    walk(value, &mut Vec::new(), &mut out);
    out
}

fn get_mut<'v>(root: &'v mut Value, path: &[Seg]) -> Option<&'v mut Value> {
    path.iter().try_fold(root, |node, seg| match (seg, node) {
        (Seg::Key(k), Value::Object(map)) => map.get_mut(k),
        (Seg::Index(i), Value::Array(items)) => items.get_mut(*i),
        _ => None,
    })
}

fn pick<T>(items: &[T], n: u64) -> Option<&T> {
    (!items.is_empty()).then(|| &items[(n % items.len() as u64) as usize])
}

fn last_key(path: &[Seg]) -> Option<&str> {
    match path.last() {
        Some(Seg::Key(k)) => Some(k),
        _ => None,
    }
}

/// Applies one mutation; one that finds nothing to act on does nothing.
fn apply(doc: &mut Value, mutation: &Mutation) {
    let all = paths(doc);
    let with_key = |key: &str| all.iter().filter(|p| last_key(p) == Some(key)).cloned().collect::<Vec<_>>();
    let target = match mutation {
        Mutation::Delete(n) | Mutation::Replace(n, _) | Mutation::Rename(n, _) | Mutation::Duplicate(n, _) => {
            pick(&all, *n).cloned()
        }
        Mutation::Retarget(n, _) => pick(&with_key("$ref"), *n).cloned(),
        Mutation::SwapType(n, _) => pick(&with_key("type"), *n).cloned(),
    };
    let Some(path) = target else { return };
    let (parent_path, seg) = path.split_at(path.len() - 1);
    let targets: Vec<String> = all
        .iter()
        .filter(|p| p.len() == 3 && p[0] == Seg::Key("components".into()))
        .map(|p| {
            let names: Vec<String> =
                p.iter().filter_map(|s| if let Seg::Key(k) = s { Some(k.clone()) } else { None }).collect();
            format!("#/{}", names.join("/"))
        })
        .chain(
            ["#/components/schemas/Nowhere", "#/paths", "other.yaml#/Pet", "#", "#/components/schemas/a~1b"]
                .map(String::from),
        )
        .collect();
    let Some(parent) = get_mut(doc, parent_path) else { return };
    match (mutation, parent, &seg[0]) {
        (Mutation::Delete(_), Value::Object(map), Seg::Key(k)) => {
            map.shift_remove(k);
        }
        (Mutation::Delete(_), Value::Array(items), Seg::Index(i)) => {
            items.remove(*i);
        }
        (Mutation::Rename(_, to), Value::Object(map), Seg::Key(k)) => {
            if let Some(v) = map.shift_remove(k) {
                map.insert(to.clone(), v);
            }
        }
        (Mutation::Duplicate(_, m), Value::Object(map), Seg::Key(k)) => {
            let keys: Vec<String> = map.keys().cloned().collect();
            let sibling = pick(&keys, *m).cloned().filter(|s| s != k).unwrap_or_else(|| format!("{k}2"));
            if let Some(v) = map.get(k).cloned() {
                map.insert(sibling, v);
            }
        }
        (Mutation::Duplicate(_, _), Value::Array(items), Seg::Index(i)) => {
            let copy = items[*i].clone();
            items.insert(*i, copy);
        }
        (Mutation::Retarget(_, m), Value::Object(map), Seg::Key(k)) => {
            if let Some(to) = pick(&targets, *m) {
                map.insert(k.clone(), Value::String(to.clone()));
            }
        }
        (Mutation::Replace(_, v) | Mutation::SwapType(_, v), parent, seg) => {
            if let Some(node) = get_mut(parent, std::slice::from_ref(seg)) {
                *node = v.clone();
            }
        }
        _ => {}
    }
}

fn check(input: usize, mutations: &[Mutation]) -> Result<(), TestCaseError> {
    let (name, original) = &inputs()[input];
    let mut doc = original.clone();
    for m in mutations {
        apply(&mut doc, m);
    }
    let text = serde_json::to_string(&doc).expect("a JSON value serializes");
    let config = generator::Config::default();
    match catch_unwind(AssertUnwindSafe(|| generator::generate(&text, &config))) {
        Ok(Ok(_)) => {
            GENERATED.fetch_add(1, Ordering::Relaxed);
            Ok(())
        }
        Ok(Err(_)) => {
            REFUSED.fetch_add(1, Ordering::Relaxed);
            Ok(())
        }
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(TestCaseError::fail(format!("the generator panicked on {name} after {mutations:?}: {message}")))
        }
    }
}

#[test]
fn mutated_documents_never_panic() {
    let seed = std::env::var("PROPTEST_RNG_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(DEFAULT_SEED);
    let config =
        Config { cases: CASES, rng_seed: RngSeed::Fixed(seed), failure_persistence: None, ..Config::default() };
    let strategy = (0..inputs().len(), prop::collection::vec(mutation(), 1..5));
    let mut runner = TestRunner::new(config);
    let result = runner.run(&strategy, |(input, mutations)| check(input, &mutations));
    if let Err(failure) = result {
        panic!("seed {seed}: {failure}");
    }
    let (generated, refused) = (GENERATED.load(Ordering::Relaxed), REFUSED.load(Ordering::Relaxed));
    eprintln!("seed {seed}: {generated} mutated documents generated, {refused} refused");
    // Both outcomes must occur, or the mutations are too tame (or too wild) to test anything.
    assert!(generated > 0 && refused > 0, "seed {seed}: {generated} generated, {refused} refused");
}

/// The mutations do reach the generator's error paths: most mutated documents are refused or changed.
#[test]
fn mutations_change_documents() {
    let (_, original) = &inputs()[0];
    let mut doc = original.clone();
    apply(&mut doc, &Mutation::Delete(3));
    assert_ne!(&doc, original, "deleting a node changes the document");
    let mut doc = original.clone();
    apply(&mut doc, &Mutation::Retarget(0, 0));
    assert_ne!(&doc, original, "retargeting a $ref changes the document");
    let mut doc = original.clone();
    apply(&mut doc, &Mutation::SwapType(1, Value::from("boolean")));
    assert_ne!(&doc, original, "swapping a type changes the document");
}
