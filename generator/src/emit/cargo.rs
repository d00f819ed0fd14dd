//! The generated crate's `Cargo.toml`. It names no workspace, so the crate builds wherever it is written.

use crate::config::Config;
use crate::model::Api;

/// A crate the generated code needs, as a manifest writes it, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dependency {
    pub name: String,
    /// The manifest's value: `"1"`, or an inline table.
    pub spec: String,
    /// The feature of the generated crate that needs it (`tracing`), if only one does.
    pub feature: Option<&'static str>,
    pub why: &'static str,
}

/// What the generated code and its runtime use, in the order the manifest lists them.
const DEPENDENCIES: &[(&str, &str, &str)] = &[
    (
        "reqwest",
        r#"{ version = "0.13", default-features = false, features = ["rustls", "http2", "gzip", "system-proxy", "stream"] }"#,
        "HTTP with rustls (no OpenSSL to install), gzip-compressed responses (`Accept-Encoding: gzip`) and\n\
         streamed uploads; bodies are (de)serialized by serde_json here, so reqwest's `json` is not needed.",
    ),
    ("serde", r#"{ version = "1", features = ["derive"] }"#, ""),
    (
        "serde_json",
        r#"{ version = "1", features = ["float_roundtrip"] }"#,
        "`float_roundtrip`: a float is read back exactly as it was written (`0.46052632135780236`, not `…024`).",
    ),
    ("uuid", r#"{ version = "1", features = ["serde"] }"#, "`format: uuid`/`uuid4` fields."),
    (
        "chrono",
        r#"{ version = "0.4", default-features = false, features = ["serde", "std"] }"#,
        "`format: date-time` fields: chrono's `DateTime<Utc>` reads RFC 3339 through serde without per-field attributes.",
    ),
    ("bytes", r#""1""#, ""),
    ("futures", r#""0.3""#, ""),
    ("thiserror", r#""2""#, ""),
    (
        "tokio",
        r#"{ version = "1", features = ["time"] }"#,
        "Timers for backoff and per-attempt time limits; reqwest already runs on tokio.",
    ),
    ("percent-encoding", r#""2""#, "Path parameters are percent-encoded segment by segment."),
    (
        "form_urlencoded",
        r#""1""#,
        "`application/x-www-form-urlencoded` bodies, encoded as the URL Standard says (servo's rust-url).",
    ),
    ("httpdate", r#""1""#, "`Retry-After` may be an HTTP date."),
    (
        "httparse",
        r#""1""#,
        "Multipart responses: part headers by hyper's own parser, delimiters by memchr (both already under reqwest).",
    ),
    ("memchr", r#""2""#, ""),
    ("fastrand", r#""2""#, "Jitter for retry backoff."),
];

/// What the `blocking` feature turns on in tokio: a runtime of its own to block on.
const BLOCKING_TOKIO: &[&str] = &["rt-multi-thread", "net"];

/// The features every generated crate has; a configuration may not define them again.
pub const FEATURES: &[&str] = &["tracing", "blocking", "middleware", "mock", "refresh"];

/// The crates only a feature of the generated crate uses: (crate, spec, feature, why).
const FEATURE_DEPENDENCIES: &[(&str, &str, &str, &str)] = &[
    ("tracing", r#""0.1""#, "tracing", ""),
    (
        "reqwest-middleware",
        r#"{ version = "0.5", default-features = false }"#,
        "middleware",
        "TrueLayer's middleware chain, on the reqwest this crate uses: every attempt goes through it.",
    ),
    ("wiremock", r#""0.6""#, "mock", "The typed mock's server: wiremock, which the crate's own tests use too."),
];

/// The crates the generated crate's manifest lists, with the configuration's `[dependencies]`:
/// one of the same name takes the place of the generator's.
pub fn dependencies(config: &Config) -> Vec<Dependency> {
    let mut out: Vec<Dependency> = DEPENDENCIES
        .iter()
        .map(|(name, spec, why)| Dependency { name: name.to_string(), spec: spec.to_string(), feature: None, why })
        .collect();
    out.extend(FEATURE_DEPENDENCIES.iter().map(|(name, spec, feature, why)| Dependency {
        name: name.to_string(),
        spec: spec.to_string(),
        feature: Some(feature),
        why,
    }));
    for (name, value) in &config.dependencies {
        let dependency = Dependency { name: name.clone(), spec: value.to_string(), feature: None, why: "" };
        match out.iter_mut().find(|d| d.name == *name) {
            Some(ours) => *ours = dependency,
            None => out.push(dependency),
        }
    }
    out
}

/// A dependency's spec with `optional = true`, for a manifest.
fn optional(spec: &str) -> String {
    match spec.strip_prefix('{') {
        Some(rest) => format!("{{ optional = true,{rest}"),
        None => format!("{{ version = {spec}, optional = true }}"),
    }
}

/// The crates a crate that includes the client as one file needs, with the features its
/// `enabled` features of the client use.
pub fn dependencies_for_file(config: &Config, enabled: &[String]) -> Vec<Dependency> {
    let on = |feature: &str| enabled.iter().any(|e| e == feature);
    let mut out = Vec::new();
    for mut dependency in dependencies(config) {
        match dependency.feature {
            Some(feature) if !on(feature) => continue,
            _ => dependency.feature = None,
        }
        if dependency.name == "tokio" && on("blocking") {
            let features = ["time"].iter().chain(BLOCKING_TOKIO).map(|f| format!("{f:?}")).collect::<Vec<_>>();
            dependency.spec = format!(r#"{{ version = "1", features = [{}] }}"#, features.join(", "));
        }
        out.push(dependency);
    }
    out
}

/// A TOML basic string.
fn quoted(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

fn list(items: &[String]) -> String {
    toml::Value::Array(items.iter().map(|s| toml::Value::String(s.clone())).collect()).to_string()
}

pub fn manifest(api: &Api, config: &Config) -> String {
    let package = &config.package;
    let description = package.description.clone().unwrap_or_else(|| {
        format!(
            "Typed async client for the {} (version {}), generated from its OpenAPI document.",
            api.title, api.version
        )
    });
    let mut out = format!(
        "# Generated by {} from the OpenAPI document. Do not edit: edit the document or its configuration.\n\
         [package]\n",
        super::made_by(config)
    );
    let mut field = |key: &str, value: String| out.push_str(&format!("{key} = {value}\n"));
    field("name", quoted(&package.name.value));
    field("version", quoted(&package.version));
    field("edition", quoted(&package.edition));
    field("rust-version", quoted(&package.rust_version));
    field("description", quoted(&description));
    field("license", quoted(&package.license));
    for (key, value) in [
        ("repository", &package.repository),
        ("homepage", &package.homepage),
        ("documentation", &package.documentation),
    ] {
        if let Some(value) = value {
            field(key, quoted(value));
        }
    }
    for (key, values) in
        [("authors", &package.authors), ("keywords", &package.keywords), ("categories", &package.categories)]
    {
        if !values.is_empty() {
            field(key, list(values));
        }
    }
    field("publish", package.publish.to_string());
    out.push_str("\n[dependencies]\n");
    for dependency in dependencies(config) {
        for line in dependency.why.lines().filter(|l| !l.is_empty()) {
            out.push_str(&format!("# {}\n", line.trim()));
        }
        let spec = if dependency.feature.is_some() { optional(&dependency.spec) } else { dependency.spec };
        out.push_str(&format!("{} = {spec}\n", dependency.name));
    }
    out.push_str(
        "\n[features]\n\
         # One `tracing` span per request (method, path template, status, attempt); no secrets or query values.\n\
         tracing = [\"dep:tracing\"]\n\
         # `blocking::Client`: the same builders with a blocking `send()`, on a private tokio runtime.\n",
    );
    let tokio: Vec<String> = BLOCKING_TOKIO.iter().map(|f| format!("tokio/{f}")).collect();
    out.push_str(&format!("blocking = {}\n", list(&tokio)));
    out.push_str(
        "# `ClientBuilder::middleware`: every attempt goes through a `reqwest-middleware` chain.\n\
         middleware = [\"dep:reqwest-middleware\"]\n\
         # `mock::MockServer`: expectations by the client's own paths and types, for your tests.\n\
         mock = [\"dep:wiremock\"]\n\
         # Credentials that expire: providers asked before each attempt and renewed on a 401, OAuth2 client credentials.\n\
         refresh = []\n",
    );
    for (name, enables) in &config.features {
        out.push_str(&format!("{name} = {}\n", list(enables)));
    }
    out.push_str("\n[package.metadata.docs.rs]\nall-features = true\n");
    out
}
