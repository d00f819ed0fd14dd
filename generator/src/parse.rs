//! Stage 3: the normalized JSON value into `openapiv3`'s typed document.

use crate::error::{Error, Result};
use openapiv3::OpenAPI;
use serde_json::Value;

/// Parses a normalized document. Errors name the deepest position `openapiv3` got to.
pub fn parse(doc: Value) -> Result<OpenAPI> {
    check_version(&doc)?;
    serde_path_to_error::deserialize(doc).map_err(|e| {
        let pointer = to_pointer(e.path());
        Error::invalid(pointer, format!("not a valid OpenAPI 3.0 object: {}", e.inner()))
    })
}

fn check_version(doc: &Value) -> Result<()> {
    if let Some(swagger) = doc.get("swagger") {
        let message = format!("Swagger {swagger} documents are not supported; convert it to OpenAPI 3 first");
        return Err(Error::unsupported("#/swagger", message));
    }
    match doc.get("openapi") {
        None => Err(Error::invalid("#", "missing the `openapi` version field")),
        Some(Value::String(v)) if v.starts_with("3.0") => Ok(()),
        Some(other) => Err(Error::unsupported(
            "#/openapi",
            format!("OpenAPI version {other} is not supported (3.0.x and 3.1.x are)"),
        )),
    }
}

fn to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::from("#");
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => pointer = crate::error::pointer(&pointer, &index.to_string()),
            Segment::Map { key } => pointer = crate::error::pointer(&pointer, key),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    pointer
}
