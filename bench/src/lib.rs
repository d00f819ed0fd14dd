//! Inputs shared by the benchmarks: the documents measured (those present on this machine) and a
//! page of subscriptions as the server sends it.

use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Documents timed in-process, by name: our spec, the large fixture and, once `cargo xtask corpus`
/// (or `bench`) has fetched the corpus, two large public documents. Each is JSON text, so that the
/// parse floor and the generator read the very same bytes.
pub fn documents() -> Vec<(&'static str, String)> {
    let root = repo_root();
    let candidates = [
        ("spec", root.join("spec/polar-customer-portal.yaml")),
        ("large-fixture", root.join("tests/fixtures/large.json")),
        ("kubernetes", root.join("target/corpus/package/api/kubernetes.io.json")),
    ];
    candidates
        .into_iter()
        .filter_map(|(name, path)| {
            let text = std::fs::read_to_string(&path).ok()?;
            let json = if path.extension().is_some_and(|e| e == "json") {
                text
            } else {
                let value: serde_json::Value = serde_yaml::from_str(&text).ok()?;
                serde_json::to_string(&value).ok()?
            };
            Some((name, json))
        })
        .collect()
}

/// A page of `n` subscriptions, as the list endpoint sends it.
pub fn page_json(n: usize) -> String {
    let item: serde_json::Value =
        serde_json::from_str(include_str!("../../tests/tests/it/data/customer_subscription.json")).unwrap_or_default();
    let items: Vec<serde_json::Value> = (0..n).map(|_| item.clone()).collect();
    let body = serde_json::json!({ "items": items, "pagination": { "total_count": n, "max_page": 1 } });
    body.to_string()
}
