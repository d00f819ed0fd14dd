//! Stage 1: text to a JSON value. JSON goes through `serde_json` so that its error positions are exact;
//! everything else is read as YAML, whose non-string keys (`200:`) are turned into strings.

use crate::error::{Error, ErrorKind, Result};
use serde_json::{Map, Value};

/// Parses a document written in YAML or JSON.
pub fn load(text: &str) -> Result<Value> {
    if text.trim().is_empty() {
        return Err(Error::invalid("#", "the document is empty"));
    }
    let value = if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| {
            let message = format!("malformed JSON (line {}, column {}): {e}", e.line(), e.column());
            Error::new(ErrorKind::Syntax, "#", message)
        })?
    } else {
        let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| {
            let at = e.location().map(|l| format!(" (line {}, column {})", l.line(), l.column())).unwrap_or_default();
            Error::new(ErrorKind::Syntax, "#", format!("malformed YAML{at}: {e}"))
        })?;
        yaml_to_json(yaml, "#")?
    };
    if !value.is_object() {
        return Err(Error::invalid("#", "the document is not a mapping (expected an OpenAPI object)"));
    }
    Ok(value)
}

fn yaml_to_json(yaml: serde_yaml::Value, at: &str) -> Result<Value> {
    use serde_yaml::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| Error::new(ErrorKind::Syntax, at, format!("the number {n} is not finite")))?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| yaml_to_json(item, &crate::error::pointer(at, &i.to_string())))
                .collect::<Result<_>>()?,
        ),
        Y::Mapping(entries) => {
            let mut map = Map::new();
            for (key, value) in entries {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => {
                        let found = match other {
                            Y::Sequence(_) => "a sequence",
                            Y::Mapping(_) => "a mapping",
                            Y::Tagged(_) => "a tagged value",
                            _ => "null",
                        };
                        let message = format!("a mapping key must be a string, a number or a boolean, found {found}");
                        return Err(Error::new(ErrorKind::Syntax, at, message));
                    }
                };
                let value = yaml_to_json(value, &crate::error::pointer(at, &key))?;
                map.insert(key, value);
            }
            Value::Object(map)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, at)?,
    })
}
