//! Everything the generator is told besides the document: the settings of `openapi-client.toml`
//! (every key is in `docs/config.md`), or the same built in code by a `build.rs`.
//!
//! The file is read strictly: an unknown key or a value of the wrong type is an error with its line
//! and column, and so, once the document is read, is a name that matches nothing in it. Each
//! setting keeps where the file wrote it ([`Located`]) for those errors.

use crate::error::{Error, ErrorKind, Result};
use std::path::{Path, PathBuf};

/// The name the configuration file has beside a document.
pub const FILE_NAME: &str = "openapi-client.toml";

/// A setting and where the configuration file wrote it (none when it was set in code).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub at: Option<Place>,
}

impl<T> Located<T> {
    /// A setting made in code.
    pub fn new(value: T) -> Self {
        Located { value, at: None }
    }
}

/// A line and column (from 1) in the configuration file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub line: usize,
    pub column: usize,
}

/// What to generate from a document, and how. `Config::default()` generates `api-client`
/// version `0.1.0` with every operation and no setting changed.
#[derive(Debug, Clone)]
pub struct Config {
    /// The generated crate's manifest (`[package]`).
    pub package: Package,
    /// Settings of the API that its document does not carry (`[api]`).
    pub api: ApiSettings,
    /// The operations to generate; the schemas none of them reaches are left out (`[select]`).
    pub select: Select,
    /// Types replaced, mapped and derived (`[types]`).
    pub types: TypeSettings,
    /// Names given in place of the generated ones (`[rename]`).
    pub rename: Rename,
    /// Added to the generated manifest's `[dependencies]`, as written (a version, or a table).
    pub dependencies: Vec<(String, toml::Value)>,
    /// Added to the generated manifest's `[features]` (`default = ["blocking"]`).
    pub features: Vec<(String, Vec<String>)>,
    /// Refuse the document on any warning (`--strict`).
    pub strict: bool,
    /// The command named in every generated file's header, to regenerate it.
    pub command: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            package: Package::default(),
            api: ApiSettings::default(),
            select: Select::default(),
            types: TypeSettings::default(),
            rename: Rename::default(),
            dependencies: Vec::new(),
            features: Vec::new(),
            strict: false,
            command: "openapi-client-gen generate".to_string(),
        }
    }
}

/// `[package]`: the generated crate's manifest.
#[derive(Debug, Clone)]
pub struct Package {
    pub name: Located<String>,
    pub version: String,
    /// Made from the document's title when unset.
    pub description: Option<String>,
    pub license: String,
    pub edition: String,
    pub rust_version: String,
    pub publish: bool,
    pub repository: Option<String>,
    pub homepage: Option<String>,
    pub documentation: Option<String>,
    pub authors: Vec<String>,
    pub keywords: Vec<String>,
    pub categories: Vec<String>,
}

impl Default for Package {
    fn default() -> Self {
        Package {
            name: Located::new("api-client".to_string()),
            version: "0.1.0".to_string(),
            description: None,
            license: "MIT OR Apache-2.0".to_string(),
            edition: "2021".to_string(),
            rust_version: "1.80".to_string(),
            publish: false,
            repository: None,
            homepage: None,
            documentation: None,
            authors: Vec::new(),
            keywords: Vec::new(),
            categories: Vec::new(),
        }
    }
}

/// `[api]`: what the document does not say about its API.
#[derive(Debug, Clone, Default)]
pub struct ApiSettings {
    /// A request header that carries the document's `info.version` on every request.
    pub version_header: Option<Located<String>>,
    /// The documentation site that relative links in the document's prose are resolved against.
    pub docs_base_url: Option<Located<String>>,
}

/// `[select]`: operations by selector: `tag:pets`, `GET /stores/*` (`*` matches within a segment,
/// `**` across them) or an operationId. Without `include`, every operation; `exclude` wins.
#[derive(Debug, Clone, Default)]
pub struct Select {
    pub include: Vec<Located<String>>,
    pub exclude: Vec<Located<String>>,
}

/// `[types]`.
#[derive(Debug, Clone, Default)]
pub struct TypeSettings {
    /// A component schema (by its name or JSON pointer) → the Rust path of the type used in its place.
    pub replace: Vec<(Located<String>, Located<String>)>,
    /// A `format` → the Rust path of the type used for every schema of that format.
    pub format: Vec<(Located<String>, Located<String>)>,
    /// Derives added to every generated type that can take them (a warning for each that cannot).
    pub derive: Vec<Located<String>>,
    /// Derives added to one type (by its generated name): an error if it cannot take them.
    pub derive_for: Vec<(Located<String>, Vec<Located<String>>)>,
}

/// `[rename]`: names in place of the generated ones.
#[derive(Debug, Clone, Default)]
pub struct Rename {
    /// A generated type name → the name to use.
    pub types: Vec<(Located<String>, Located<String>)>,
    /// An operationId → the method's name.
    pub operations: Vec<(Located<String>, Located<String>)>,
    /// A group (a segment of the accessor path, `customer_portal`) → its name.
    pub groups: Vec<(Located<String>, Located<String>)>,
}

impl Config {
    /// Reads `openapi-client.toml`. An unknown key or a value of the wrong type is an error with its
    /// line and column (`ErrorKind::Config`, whose `pointer` is `line:column`).
    pub fn from_toml(text: &str) -> Result<Config> {
        let raw: raw::Config = toml::from_str(text).map_err(|e| {
            let place = e.span().map(|span| place(text, span.start));
            config_error(place, e.message().trim().to_string())
        })?;
        Ok(raw.into_config(text))
    }

    /// Reads the configuration file at `path`.
    pub fn read(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| config_error(None, format!("cannot read {}: {e}", path.display())))?;
        Config::from_toml(&text)
    }

    /// The configuration file beside a document (`openapi-client.toml` in its folder), if there is one.
    pub fn beside(document: &Path) -> Option<PathBuf> {
        let path = document.with_file_name(FILE_NAME);
        path.is_file().then_some(path)
    }

    /// Checks what can be checked without the document: the crate name, the header name, the URL,
    /// and that every Rust path and derive is one. Names the document must have are checked as it
    /// is read.
    pub fn check(&self) -> Result<()> {
        let name = &self.package.name;
        crate::naming::check_crate_name(&name.value)
            .map_err(|m| config_error(name.at, format!("package.name: {m}")))?;
        if let Some(header) = &self.api.version_header {
            if http::HeaderName::from_bytes(header.value.as_bytes()).is_err() {
                let message = format!("api.version-header: `{}` is not a valid HTTP header name", header.value);
                return Err(config_error(header.at, message));
            }
        }
        if let Some(url) = &self.api.docs_base_url {
            let absolute = url.value.starts_with("https://") || url.value.starts_with("http://");
            if !absolute || url.value.contains(char::is_whitespace) {
                let message = format!("api.docs-base-url: `{}` is not an absolute http(s) URL", url.value);
                return Err(config_error(url.at, message));
            }
        }
        for (name, _) in &self.features {
            if crate::emit::cargo::FEATURES.contains(&name.as_str()) {
                let message = format!("features.{name}: every generated crate has this feature; name yours otherwise");
                return Err(config_error(None, message));
            }
        }
        for (key, path) in self.types.replace.iter().chain(&self.types.format) {
            rust_path(path).map_err(|m| config_error(path.at, format!("`{}`: {m}", key.value)))?;
        }
        let derives = self.types.derive.iter().chain(self.types.derive_for.iter().flat_map(|(_, d)| d));
        for derive in derives {
            rust_path(derive).map_err(|m| config_error(derive.at, m))?;
        }
        Ok(())
    }

    /// The features `[features] default` turns on, and those they turn on in turn, sorted.
    pub fn enabled_features(&self) -> Vec<String> {
        let mut on: Vec<String> = Vec::new();
        let mut next = vec!["default".to_string()];
        while let Some(feature) = next.pop() {
            if on.contains(&feature) {
                continue;
            }
            if let Some((_, enables)) = self.features.iter().find(|(name, _)| *name == feature) {
                next.extend(enables.iter().filter(|e| !e.contains('/') && !e.starts_with("dep:")).cloned());
            }
            on.push(feature);
        }
        on.retain(|f| f != "default");
        on.sort();
        on
    }

    /// The generated crate's package name.
    pub fn crate_name(&self) -> &str {
        &self.package.name.value
    }

    /// A configuration for the crate `name`, every other setting its default.
    pub fn named(name: &str) -> Config {
        let mut config = Config::default();
        config.package.name = Located::new(name.to_string());
        config
    }
}

/// An error about the configuration, at a place in its file when there is one.
pub(crate) fn config_error(at: Option<Place>, message: impl Into<String>) -> Error {
    let pointer = at.map_or_else(|| "the configuration".to_string(), |p| format!("{}:{}", p.line, p.column));
    Error::new(ErrorKind::Config, pointer, message)
}

/// `; did you mean `X`?` for the known name closest to `name` (by edit distance, ignoring case),
/// when one is close enough to be a likely misspelling; else nothing.
pub(crate) fn did_you_mean(name: &str, known: &[&str]) -> String {
    let distance = |a: &str, b: &str| {
        let (a, b): (Vec<char>, Vec<char>) = (a.to_lowercase().chars().collect(), b.to_lowercase().chars().collect());
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.iter().enumerate() {
            let mut previous = row[0];
            row[0] = i + 1;
            for (j, cb) in b.iter().enumerate() {
                let substitution = previous + usize::from(ca != cb);
                previous = row[j + 1];
                row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
            }
        }
        row[b.len()]
    };
    known
        .iter()
        .map(|k| (distance(name, k), *k))
        .filter(|(d, k)| *d <= (name.len().max(k.len()) / 3).max(1))
        .min()
        .map_or_else(String::new, |(_, k)| format!("; did you mean `{k}`?"))
}

/// Checks that a setting is a Rust path (`rust_decimal::Decimal`, `::std::string::String`,
/// `Hash`), which the generated code names as it is written.
fn rust_path(setting: &Located<String>) -> std::result::Result<(), String> {
    let text = setting.value.trim();
    let path = text.strip_prefix("::").unwrap_or(text);
    let segment_ok = |s: &str| {
        let s = s.strip_prefix("r#").unwrap_or(s);
        s.starts_with(|c: char| c.is_alphabetic() || c == '_') && s.chars().all(|c| c.is_alphanumeric() || c == '_')
    };
    if !path.is_empty() && path.split("::").all(segment_ok) {
        Ok(())
    } else {
        Err(format!("`{text}` is not a Rust path (such as `rust_decimal::Decimal`)"))
    }
}

/// The line and column of a byte offset.
fn place(text: &str, offset: usize) -> Place {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Place { line, column }
}

/// The file's shape, as serde reads it: unknown keys refused, spans kept where errors need them.
mod raw {
    use super::{place, Located};
    use serde::Deserialize;
    use std::collections::BTreeMap;
    use toml::Spanned;

    type Map = BTreeMap<Spanned<String>, Spanned<String>>;

    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    pub struct Config {
        #[serde(default)]
        package: Package,
        #[serde(default)]
        api: Api,
        #[serde(default)]
        select: Select,
        #[serde(default)]
        types: Types,
        #[serde(default)]
        rename: Rename,
        #[serde(default)]
        dependencies: toml::Table,
        #[serde(default)]
        features: BTreeMap<String, Vec<String>>,
    }

    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    struct Package {
        name: Option<Spanned<String>>,
        version: Option<String>,
        description: Option<String>,
        license: Option<String>,
        edition: Option<String>,
        rust_version: Option<String>,
        publish: Option<bool>,
        repository: Option<String>,
        homepage: Option<String>,
        documentation: Option<String>,
        #[serde(default)]
        authors: Vec<String>,
        #[serde(default)]
        keywords: Vec<String>,
        #[serde(default)]
        categories: Vec<String>,
    }

    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    struct Api {
        version_header: Option<Spanned<String>>,
        docs_base_url: Option<Spanned<String>>,
    }

    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    struct Select {
        #[serde(default)]
        include: Vec<Spanned<String>>,
        #[serde(default)]
        exclude: Vec<Spanned<String>>,
    }

    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    struct Types {
        #[serde(default)]
        replace: Map,
        #[serde(default)]
        format: Map,
        #[serde(default)]
        derive: Vec<Spanned<String>>,
        #[serde(default)]
        derive_for: BTreeMap<Spanned<String>, Vec<Spanned<String>>>,
    }

    #[derive(Deserialize, Default)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    struct Rename {
        #[serde(default)]
        types: Map,
        #[serde(default)]
        operations: Map,
        #[serde(default)]
        groups: Map,
    }

    impl Config {
        pub fn into_config(self, text: &str) -> super::Config {
            let at =
                |s: &Spanned<String>| Located { value: s.get_ref().clone(), at: Some(place(text, s.span().start)) };
            // In the order the file writes them (a map's keys come sorted).
            let pairs = |map: &Map| {
                let mut pairs: Vec<(Located<String>, Located<String>)> =
                    map.iter().map(|(k, v)| (at(k), at(v))).collect();
                pairs.sort_by_key(|(k, _)| k.at.map(|p| (p.line, p.column)));
                pairs
            };
            let defaults = super::Package::default();
            let package = super::Package {
                name: self.package.name.as_ref().map_or(defaults.name, at),
                version: self.package.version.unwrap_or(defaults.version),
                description: self.package.description,
                license: self.package.license.unwrap_or(defaults.license),
                edition: self.package.edition.unwrap_or(defaults.edition),
                rust_version: self.package.rust_version.unwrap_or(defaults.rust_version),
                publish: self.package.publish.unwrap_or(defaults.publish),
                repository: self.package.repository,
                homepage: self.package.homepage,
                documentation: self.package.documentation,
                authors: self.package.authors,
                keywords: self.package.keywords,
                categories: self.package.categories,
            };
            let mut derive_for: Vec<(Located<String>, Vec<Located<String>>)> =
                self.types.derive_for.iter().map(|(k, v)| (at(k), v.iter().map(at).collect())).collect();
            derive_for.sort_by_key(|(k, _)| k.at.map(|p| (p.line, p.column)));
            super::Config {
                package,
                api: super::ApiSettings {
                    version_header: self.api.version_header.as_ref().map(at),
                    docs_base_url: self.api.docs_base_url.as_ref().map(at),
                },
                select: super::Select {
                    include: self.select.include.iter().map(at).collect(),
                    exclude: self.select.exclude.iter().map(at).collect(),
                },
                types: super::TypeSettings {
                    replace: pairs(&self.types.replace),
                    format: pairs(&self.types.format),
                    derive: self.types.derive.iter().map(at).collect(),
                    derive_for,
                },
                rename: super::Rename {
                    types: pairs(&self.rename.types),
                    operations: pairs(&self.rename.operations),
                    groups: pairs(&self.rename.groups),
                },
                dependencies: self.dependencies.into_iter().collect(),
                features: self.features.into_iter().collect(),
                ..super::Config::default()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_read_with_its_place() {
        let text = r#"
[package]
name = "petstore-client"
version = "0.2.0"
license = "MIT"

[api]
version-header = "Pets-Version"

[select]
include = ["tag:pets", "GET /stores/*"]
exclude = ["DELETE /pets/{petId}"]

[types]
replace = { "Money" = "rust_decimal::Decimal" }
format = { "decimal" = "rust_decimal::Decimal" }
derive = ["Hash"]

[types.derive-for]
"Pet" = ["PartialOrd"]

[rename]
types = { "PetStatus" = "Status" }

[dependencies]
rust_decimal = { version = "1", features = ["serde"] }

[features]
default = ["blocking"]
"#;
        let config = Config::from_toml(text).expect("reads");
        assert_eq!(config.crate_name(), "petstore-client");
        assert_eq!(config.package.name.at, Some(Place { line: 3, column: 8 }));
        assert_eq!(config.package.version, "0.2.0");
        assert_eq!(config.api.version_header.as_ref().map(|h| h.value.as_str()), Some("Pets-Version"));
        assert_eq!(config.select.include.len(), 2);
        assert_eq!(config.select.exclude[0].at, Some(Place { line: 12, column: 12 }));
        assert_eq!(config.types.replace[0].0.value, "Money");
        assert_eq!(config.types.derive_for[0].1[0].value, "PartialOrd");
        assert_eq!(config.rename.types[0].1.value, "Status");
        assert_eq!(config.dependencies[0].0, "rust_decimal");
        assert_eq!(config.features, [("default".to_string(), vec!["blocking".to_string()])]);
    }

    #[test]
    fn an_unknown_key_or_a_wrong_type_is_an_error_at_its_place() {
        let error = Config::from_toml("[package]\nname = \"x\"\nverison = \"1\"\n").expect_err("refused");
        assert_eq!(error.kind, ErrorKind::Config);
        assert_eq!(error.pointer, "3:1");
        assert!(error.message.contains("unknown field `verison`"), "{}", error.message);
        let error = Config::from_toml("[types]\nderive = \"Hash\"\n").expect_err("refused");
        assert_eq!(error.pointer, "2:10");
        assert!(error.message.contains("invalid type"), "{}", error.message);
        let error = Config::from_toml("[selct]\n").expect_err("refused");
        assert!(error.message.contains("unknown field `selct`"), "{}", error.message);
    }
}
