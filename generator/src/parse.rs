//! Stage 3: the normalized JSON value into `openapiv3`'s typed document.
//!
//! `serde_path_to_error` loses track of the position inside `#[serde(flatten)]` structs, which most of
//! `openapiv3`'s are, so a failure is located again: the document's pieces (path items, operations,
//! parameters, bodies, responses, schemas) are deserialized one by one, and within the deepest piece
//! that fails, the one key whose removal makes it deserialize is named.

use crate::error::{pointer, Error, Result, Warning};
use crate::walk::{self, Piece};
use openapiv3::{
    Header, OpenAPI, Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema, SecurityScheme,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Parses a normalized document. Errors name the deepest position we can find; warnings say which
/// mistyped annotations were left out.
pub fn parse(mut doc: Value) -> Result<(OpenAPI, Vec<Warning>)> {
    check_version(&doc)?;
    let mut warnings = Vec::new();
    for error in status_code_errors(&doc) {
        warnings.push(leave_out(&mut doc, &error).ok_or(error)?);
    }
    // 3.0 requires `responses`, but real documents leave it out (3.1 documents had it filled in by
    // normalize, where it is optional).
    crate::normalize::mark_absent_responses(&mut doc, |at| {
        let message =
            "an operation without `responses` (OpenAPI 3.0 requires them): read as any success, with no declared body";
        warnings.push(Warning::new(at, message));
    });
    let mut left_out = 0;
    loop {
        let error = match parse_once(&doc) {
            Ok(api) => return Ok((api, warnings)),
            Err(error) => error,
        };
        if let Some(value) = drop_annotation(&mut doc, &error.pointer) {
            let key = error.pointer.rsplit('/').next().unwrap_or_default();
            let message = format!("`{key}` must be a string, not {value}; it is left out");
            warnings.push(Warning::new(error.pointer.clone(), message));
        } else {
            // Each one costs a parse of the whole document: a document broken in more places than
            // this is refused.
            left_out += 1;
            match leave_out(&mut doc, &error) {
                Some(warning) if left_out <= MAX_LEFT_OUT => warnings.push(warning),
                _ => return Err(error),
            }
        }
        if warnings.len() > 1000 {
            return Err(error);
        }
    }
}

/// How many broken parts a document may have left out before it is refused as a whole.
const MAX_LEFT_OUT: usize = 64;

/// Extension of a schema that was left out because it does not parse: its value is the error
/// (`{pointer, message}`), which lowering reports for whatever uses the schema.
pub const INVALID_EXTENSION: &str = "x-oapi-invalid";

/// Leaves out the part of the document that `error` is in, so that the rest can be read: the
/// innermost schema (replaced by one that carries the error, for lowering to leave out what uses
/// it), else the operation, the path item or the component. `None` when the error is elsewhere
/// (`info`, `servers`, the document's shape), or was already left out once.
fn leave_out(doc: &mut Value, error: &Error) -> Option<Warning> {
    let tokens = crate::walk::pointer_tokens(&error.pointer).ok()?;
    let place = |n: usize| tokens[..n].iter().fold(String::from("#"), |at, token| pointer(&at, token));
    if let Some(n) = crate::walk::innermost_schema(doc, &tokens) {
        let at = place(n);
        let schema = doc.pointer_mut(&at[1..])?;
        if schema.get(INVALID_EXTENSION).is_some() {
            return None;
        }
        let carried = serde_json::json!({ "pointer": error.pointer, "message": error.message });
        *schema = serde_json::json!({ INVALID_EXTENSION: carried });
        return Some(Warning::left_out(at, "the schema", error.clone()));
    }
    // The innermost operation (one of a callback's too), else the path item.
    let operation = (3..=tokens.len())
        .rev()
        .find(|&n| METHODS.contains(&tokens[n - 1].as_str()) && (n == 3 || tokens[n - 4] == "callbacks"));
    let (n, what) = match (tokens.first().map(String::as_str), operation) {
        (Some("paths"), Some(n)) => (n, "the operation"),
        (Some("paths"), None) if tokens.len() >= 2 => (2, "the path item"),
        (Some("components"), _) if tokens.len() >= 3 => (3, "the component"),
        _ => return None,
    };
    let (parent, key) = (place(n - 1), &tokens[n - 1]);
    let removed = doc.pointer_mut(&parent[1..])?.as_object_mut()?.shift_remove(key.as_str())?;
    drop(removed);
    Some(Warning::left_out(place(n), what, error.clone()))
}

/// Removes the annotation `at` points to, when it is one (see [`walk::ANNOTATIONS`]) and not a
/// string: the rest of the document means what it says without it.
fn drop_annotation(doc: &mut Value, at: &str) -> Option<Value> {
    let (parent, key) = at.strip_prefix('#')?.rsplit_once('/')?;
    if !walk::ANNOTATIONS.contains(&key) {
        return None;
    }
    let parent = doc.pointer_mut(parent)?.as_object_mut()?;
    if parent.get(key)?.is_string() {
        return None;
    }
    parent.remove(key)
}

fn parse_once(doc: &Value) -> Result<OpenAPI> {
    if let Some(api) = quick(doc) {
        return Ok(api);
    }
    let error = match serde_path_to_error::deserialize::<_, OpenAPI>(doc) {
        Ok(api) => return Ok(api),
        Err(error) => error,
    };
    let (at, message) = explain::<OpenAPI>(error, doc, "#");
    // A piece that fails on its own, below where serde stopped, is the better place to point at.
    let (at, message) = match locate(doc, &at) {
        Some(deeper) if under(&deeper.0, &at) => deeper,
        _ => (at, message),
    };
    Err(Error::invalid(at, format!("not a valid OpenAPI 3.0 object: {message}")))
}

/// The document deserialized without tracking positions, its path items spread over the cores
/// beside the rest: the usual case, where nothing fails. `None` sends the caller the slow,
/// locating way. (`openapiv3`'s flattened structs buffer every path item before reading it, which
/// made the paths of a large document most of this stage.)
fn quick(doc: &Value) -> Option<OpenAPI> {
    use serde::de::value::MapDeserializer;
    use serde::Deserialize;
    let map = doc.as_object()?;
    // `paths` is a required field: the rest is read with none, and gets them after.
    let no_paths = Value::Object(serde_json::Map::new());
    let entries: Vec<(&String, &Value)> = match map.get("paths") {
        Some(Value::Object(paths)) => paths.iter().collect(),
        Some(_) => return None,
        None => Vec::new(),
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = entries.len().div_ceil(threads).max(1);
    let (items, api) = std::thread::scope(|scope| {
        let workers: Vec<_> = entries.chunks(chunk).map(|part| scope.spawn(move || path_entries(part))).collect();
        let rest = map.iter().filter(|(key, _)| *key != "paths").map(|(key, value)| (key.as_str(), value));
        let rest = rest.chain(std::iter::once(("paths", &no_paths)));
        let api = OpenAPI::deserialize(MapDeserializer::<_, serde_json::Error>::new(rest)).ok();
        // A panic inside serde is a bug of its own; the slow way meets it again and reports it.
        let items: Option<Vec<_>> = workers.into_iter().map(|w| w.join().ok().flatten()).collect();
        (items, api)
    });
    let mut api = api?;
    for (key, item) in items?.into_iter().flatten() {
        match item {
            PathEntry::Item(item) => {
                api.paths.paths.insert(key, *item);
            }
            PathEntry::Extension(value) => {
                api.paths.extensions.insert(key, value);
            }
        }
    }
    Some(api)
}

enum PathEntry {
    // Boxed: a path item is 8 KiB, and the entries are moved into the document one by one.
    Item(Box<ReferenceOr<PathItem>>),
    Extension(Value),
}

/// Entries of `paths` as `openapiv3::Paths` reads them: `/…` keys are path items, `x-…` keys
/// extensions; `None` for anything else, or an item that does not deserialize.
fn path_entries(entries: &[(&String, &Value)]) -> Option<Vec<(String, PathEntry)>> {
    use serde::Deserialize;
    entries
        .iter()
        .map(|&(key, value)| {
            let entry = if key.starts_with('/') {
                PathEntry::Item(Box::new(ReferenceOr::<PathItem>::deserialize(value).ok()?))
            } else if key.starts_with("x-") {
                PathEntry::Extension(value.clone())
            } else {
                return None;
            };
            Some((key.clone(), entry))
        })
        .collect()
}

fn check_version(doc: &Value) -> Result<()> {
    if let Some(swagger) = doc.get("swagger") {
        let message = format!("Swagger {swagger} documents are not supported; convert it to OpenAPI 3 first");
        return Err(Error::unsupported("#/swagger", message));
    }
    match doc.get("openapi") {
        None => Err(Error::invalid("#", "missing the `openapi` version field")),
        Some(Value::String(v)) if v.starts_with("3.0") => Ok(()),
        Some(Value::String(v)) => Err(Error::unsupported(
            "#/openapi",
            format!("OpenAPI version \"{v}\" is not supported (3.0.x and 3.1.x are)"),
        )),
        Some(other) => Err(Error::invalid(
            "#/openapi",
            format!("the version must be a string such as \"3.0.3\", found {other} (quote it in YAML)"),
        )),
    }
}

/// `openapiv3` drops response keys that are not status codes; say so instead of generating without
/// them: an error for each operation that has one.
fn status_code_errors(doc: &Value) -> Vec<Error> {
    let mut errors = Vec::new();
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else { return errors };
    for (path, item) in paths {
        for method in METHODS {
            let Some(responses) = item.get(method).and_then(|op| op.get("responses")).and_then(Value::as_object) else {
                continue;
            };
            let bad = responses.keys().find(|key| {
                let bytes = key.as_bytes();
                let code = key.parse::<u16>().is_ok_and(|c| (100..1000).contains(&c)) && bytes.len() == 3;
                let range = bytes.len() == 3 && bytes[0].is_ascii_digit() && key[1..].eq_ignore_ascii_case("XX");
                !(code || range || *key == "default" || key.starts_with("x-"))
            });
            if let Some(key) = bad {
                let at = pointer(&pointer(&pointer(&pointer("#/paths", path), method), "responses"), key);
                let message = format!("`{key}` is not a status code: use a code (`200`), a range (`4XX`) or `default`");
                errors.push(Error::invalid(at, message));
            }
        }
    }
    errors
}

/// Where and why `value` does not deserialize as `T`: serde's own path, or else the one key of the
/// object whose removal makes it deserialize.
fn failure<T: DeserializeOwned>(value: &Value, at: &str) -> Option<(String, String)> {
    let error = serde_path_to_error::deserialize::<_, T>(value).err()?;
    Some(explain::<T>(error, value, at))
}

/// Places a deserialization error: serde's path if it has one, else the culprit key.
fn explain<T: DeserializeOwned>(
    error: serde_path_to_error::Error<serde_json::Error>,
    value: &Value,
    at: &str,
) -> (String, String) {
    let message = error.inner().to_string();
    let path = error.path().to_string();
    if path != "." {
        return (join(at, error.path()), message);
    }
    let culprit = value.as_object().and_then(|map| {
        map.keys().find(|key| {
            let mut rest = map.clone();
            rest.remove(*key);
            T::deserialize(&Value::Object(rest)).is_ok()
        })
    });
    (culprit.map_or_else(|| at.to_string(), |key| pointer(at, key)), message)
}

fn join(base: &str, path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = base.to_string();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out = pointer(&out, &index.to_string()),
            Segment::Map { key } => out = pointer(&out, key),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

/// The first piece of the document on the way to `within` (or below it) that fails on its own, at its
/// deepest failing part.
fn locate(doc: &Value, within: &str) -> Option<(String, String)> {
    let relevant = |at: &str| under(at, within) || under(within, at);
    walk::pieces(doc, "#", None)
        .into_iter()
        .filter(|(_, _, at)| relevant(at))
        .find_map(|(piece, value, at)| deepest_failure(piece, value, &at))
}

/// Whether pointer `a` is `b` or inside it.
fn under(a: &str, b: &str) -> bool {
    a == b || a.strip_prefix(b).is_some_and(|rest| rest.starts_with('/'))
}

/// Where a piece fails: at the first of its pieces that fails (deepest first), or else itself;
/// `None` when it reads.
fn deepest_failure(piece: Piece, value: &Value, at: &str) -> Option<(String, String)> {
    let own = match piece {
        Piece::PathItem => failure::<ReferenceOr<PathItem>>(value, at),
        Piece::Operation => failure::<Operation>(value, at),
        Piece::Parameter => failure::<ReferenceOr<Parameter>>(value, at),
        Piece::Header => failure::<ReferenceOr<Header>>(value, at),
        Piece::RequestBody => failure::<ReferenceOr<RequestBody>>(value, at),
        Piece::Response => failure::<ReferenceOr<Response>>(value, at),
        Piece::Schema => failure::<ReferenceOr<Schema>>(value, at),
        Piece::SecurityScheme => failure::<ReferenceOr<SecurityScheme>>(value, at),
    }?;
    let deeper = walk::pieces(value, at, Some(piece)).into_iter().find_map(|(p, v, a)| deepest_failure(p, v, &a));
    Some(deeper.unwrap_or(own))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prepared(path: &str) -> Value {
        let text = std::fs::read_to_string(format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let value = crate::hoist::inline_path_items(crate::load::load(&text).unwrap()).unwrap();
        crate::hoist::hoist_refs(crate::normalize::normalize(value)).0
    }

    /// The quick way reads exactly what the locating way reads, path items, their order and the
    /// paths' extensions included.
    #[test]
    fn quick_reads_what_the_locating_way_reads() {
        let documents = [
            "spec/polar-customer-portal.yaml",
            "tests/fixtures/large.json",
            "tests/fixtures/parameters.json",
            "tests/fixtures/path_items.yaml",
            "tests/fixtures/responses_media.yaml",
            "tests/fixtures/composition.yaml",
        ];
        for path in documents {
            let doc = prepared(path);
            let slow = serde_path_to_error::deserialize::<_, OpenAPI>(&doc).unwrap();
            assert_eq!(quick(&doc), Some(slow), "{path}");
        }
        let mut doc = prepared("tests/fixtures/minimal.yaml");
        doc["paths"]["x-note"] = Value::from("kept");
        let quick = quick(&doc).unwrap();
        assert_eq!(quick.paths.extensions.get("x-note"), Some(&Value::from("kept")));
        assert_eq!(Some(quick), serde_path_to_error::deserialize::<_, OpenAPI>(&doc).ok());
    }

    /// Whatever the quick way cannot read goes the locating way, which names the place.
    #[test]
    fn a_broken_path_item_is_located() {
        let mut doc = prepared("tests/fixtures/parameters.json");
        let first = doc["paths"].as_object().unwrap().keys().next().unwrap().clone();
        doc["paths"][&first]["parameters"] = Value::from("not a list");
        assert_eq!(quick(&doc), None);
        // The path item is left out, with the located error; the rest of the document is read.
        let (api, warnings) = parse(doc).expect("the rest parses");
        assert!(!api.paths.paths.contains_key(&first));
        let at = crate::error::pointer("#/paths", &first);
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].pointer, at);
        let error = warnings[0].left_out.as_ref().expect("the error that left it out").to_string();
        assert!(error.contains(&crate::error::pointer(&at, "parameters")), "{error}");
    }
}
