//! Shared helpers for the project's tests.

pub mod examples;

/// The checked-in clients of `tests/clients/` (`<name>.yaml` generates `<name>/`, crate `<name>-client`).
pub const CLIENTS: &[&str] = &["forms", "openapi31"];

use std::path::PathBuf;
use std::process::Command;

/// The repository root.
pub fn repo_root() -> PathBuf {
    xtask::repo_root()
}

/// Reads a file relative to the repository root.
pub fn read(path: &str) -> String {
    let full = repo_root().join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("cannot read {}: {e}", full.display()))
}

/// A `cargo` command for tests that run cargo themselves, in the repository root. The variables cargo
/// sets for this test binary (`CARGO_PKG_NAME`…) are removed: build scripts that watch them would
/// otherwise see a change and rebuild, for the nested build and for every later build after it.
pub fn cargo() -> Command {
    let mut command = Command::new(env!("CARGO"));
    command.current_dir(repo_root());
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        let set_by_cargo = ["CARGO_PKG_", "CARGO_CRATE_", "CARGO_BIN_", "CARGO_MANIFEST_"]
            .iter()
            .any(|prefix| name.starts_with(prefix))
            || ["CARGO_PRIMARY_PACKAGE", "CARGO_TARGET_TMPDIR", "CARGO_RUSTC_CURRENT_DIR", "OUT_DIR"]
                .contains(&name.as_ref());
        if set_by_cargo {
            command.env_remove(name.as_ref());
        }
    }
    command
}

/// The model as a reviewer reads it: each type id (`Named: 3`, a constructor's `member`) replaced
/// by the name of the type it stands for, and what says nothing (`null`, `false`, an empty list
/// or map) left out.
pub fn readable(model: &generator::model::Api) -> serde_json::Value {
    use serde_json::Value;
    fn tidy(value: &mut Value, names: &[String]) {
        match value {
            Value::Object(map) => {
                for (key, child) in map.iter_mut() {
                    match (key.as_str(), child.as_u64()) {
                        ("Named" | "member", Some(id)) => {
                            *child =
                                names.get(id as usize).map_or_else(|| format!("<dangling {id}>"), Clone::clone).into()
                        }
                        _ => tidy(child, names),
                    }
                }
                map.retain(|_, child| !says_nothing(child));
            }
            Value::Array(items) => items.iter_mut().for_each(|item| tidy(item, names)),
            _ => {}
        }
    }
    fn says_nothing(value: &Value) -> bool {
        match value {
            Value::Null | Value::Bool(false) => true,
            Value::Array(items) => items.is_empty(),
            Value::Object(map) => map.is_empty(),
            _ => false,
        }
    }
    let names: Vec<String> = model.types.iter().map(|t| t.name.clone()).collect();
    let mut value = serde_json::to_value(model).expect("the model serializes");
    tidy(&mut value, &names);
    value
}

/// What a model says beyond its types (which a snapshot of `types.rs` shows as Rust): servers,
/// security, errors, operations with their whole plan, and the group tree, readable.
pub fn plan(model: &generator::model::Api) -> serde_json::Value {
    let mut value = readable(model);
    if let Some(map) = value.as_object_mut() {
        map.remove("types");
    }
    value
}
