//! Generates a typed Rust client crate from an OpenAPI 3.0 or 3.1 document.
//!
//! [`generate`] reads a document (YAML or JSON) with a [`Config`] and returns the crate's
//! [`File`]s, the [`Warning`]s about what was sloppy in the document or left out of it, and the
//! crates the generated code needs. [`generate_file`] makes the same client as one Rust file, for a
//! `build.rs` to write into `OUT_DIR` and a module of its crate to `include!`. The command
//! `openapi-client-gen` (`cargo install openapi-client-gen`) does the same from the command line,
//! reading its settings from `openapi-client.toml`.
//!
//! ```no_run
//! # fn main() -> Result<(), openapi_client_gen::Error> {
//! let document = std::fs::read_to_string("openapi.yaml").expect("the document");
//! let config = openapi_client_gen::Config::from_toml(r#"
//!     [package]
//!     name = "petstore-client"
//!     [select]
//!     include = ["tag:pets"]
//! "#)?;
//! let output = openapi_client_gen::generate(&document, &config)?;
//! for warning in &output.warnings {
//!     eprintln!("{warning}");
//! }
//! for file in &output.files {
//!     let path = std::path::Path::new("petstore-client").join(&file.path);
//!     std::fs::create_dir_all(path.parent().expect("a folder")).expect("a folder");
//!     std::fs::write(path, &file.contents).expect("written");
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Inside, a pipeline of plain stages, each a function of the one before: `load` → `normalize` (and
//! `hoist`) → `parse` → `lower` → `emit` → `format`; they are public for the project's own tools and
//! tests, and hidden from these docs.

mod bundle;
mod config;
#[doc(hidden)]
pub mod emit;
mod error;
#[doc(hidden)]
pub mod format;
#[doc(hidden)]
pub mod hoist;
#[doc(hidden)]
pub mod load;
#[doc(hidden)]
pub mod lower;
#[doc(hidden)]
pub mod model;
#[doc(hidden)]
pub mod naming;
#[doc(hidden)]
pub mod normalize;
mod options;
#[doc(hidden)]
pub mod parse;
mod select;
mod starter;
pub mod sync;
pub mod vendor;
#[doc(hidden)]
pub mod walk;

pub use config::{ApiSettings, Config, Located, Package, Place, Rename, Select, TypeSettings, FILE_NAME};
pub use emit::cargo::Dependency;
pub use error::{Error, ErrorKind, Result, Warning};
pub use options::{File, Output, SingleFile};
pub use starter::starter_config;

/// The stages before lowering: load, check and inline references, normalize, hoist, parse. Pointers
/// into the copies hoisting made are turned back into the places the document's author wrote.
fn parsed(text: &str, config: &Config) -> Result<(openapiv3::OpenAPI, Vec<Warning>, hoist::Hoisted)> {
    let value = load::load(text)?;
    hoist::check_refs(&value, "#")?;
    let value = select::select(hoist::inline_path_items(value)?, config)?;
    let (value, mut hoisted) = hoist::hoist_refs(normalize::normalize(value));
    let (value, mut warnings) = hoist::repoint_misplaced(value, &mut hoisted);
    let (doc, parsed) = parse::parse(value).map_err(|e| located(e, &hoisted))?;
    warnings.extend(parsed.into_iter().map(|w| located_warning(w, &hoisted)));
    Ok((doc, warnings, hoisted))
}

fn located(mut error: Error, hoisted: &hoist::Hoisted) -> Error {
    error.pointer = hoisted.locate(&error.pointer);
    // "it uses `#/components/schemas/<copy>`, which is left out" names the original too.
    if error.message.contains("`#/") {
        error.message = hoisted.locate_quoted(&error.message);
    }
    error
}

fn located_warning(mut warning: Warning, hoisted: &hoist::Hoisted) -> Warning {
    warning.pointer = hoisted.locate(&warning.pointer);
    warning.left_out = warning.left_out.map(|error| located(error, hoisted));
    warning
}

/// The model of a document: load, normalize, parse and lower.
#[doc(hidden)]
pub fn model(text: &str) -> Result<model::Api> {
    model_with(text, &Config::default())
}

/// [`model`] with the settings of a configuration.
#[doc(hidden)]
pub fn model_with(text: &str, config: &Config) -> Result<model::Api> {
    let (doc, _, hoisted) = parsed(text, config)?;
    lower::lower_with_warnings(&doc, config).map(|(api, _)| api).map_err(|e| located(e, &hoisted))
}

/// Generates every file of the client crate for a document, in a stable order, with the warnings
/// about what was sloppy in the document or left out of it (each with a JSON pointer). With
/// [`Config::strict`], the first warning is an error instead.
pub fn generate(text: &str, config: &Config) -> Result<Output> {
    config.check()?;
    let (doc, mut warnings, hoisted) = parsed(text, config)?;
    let (api, lowered) = lower::lower_with_warnings(&doc, config).map_err(|e| located(e, &hoisted))?;
    for warning in lowered.into_iter().map(|w| located_warning(w, &hoisted)) {
        // A schema that did not parse is left out by parsing, and again by lowering, at one place.
        if !warnings.contains(&warning) {
            warnings.push(warning);
        }
    }
    // Freed before emitting, so that emit reuses its memory instead of touching fresh pages.
    drop(doc);
    if config.strict {
        if let Some(first) = warnings.into_iter().next() {
            return Err(first.into_error());
        }
        warnings = Vec::new();
    }
    let files = emit::emit(&api, config)?;
    Ok(Output {
        files,
        warnings,
        dependencies: emit::cargo::dependencies(config),
        operations: api.operations.len(),
        types: api.types.len(),
    })
}

/// Generates the client as one Rust file, for a `build.rs` to write into `OUT_DIR` and a module of
/// its crate to `include!`:
///
/// ```ignore
/// // build.rs
/// let text = std::fs::read_to_string("openapi.yaml")?;
/// let config = openapi_client_gen::Config::read("openapi-client.toml".as_ref())?;
/// let client = openapi_client_gen::generate_file(&text, &config)?;
/// std::fs::write(std::path::Path::new(&std::env::var("OUT_DIR")?).join("petstore.rs"), client.contents)?;
/// println!("cargo::rerun-if-changed=openapi.yaml");
///
/// // src/lib.rs
/// pub mod petstore {
///     include!(concat!(env!("OUT_DIR"), "/petstore.rs"));
/// }
/// ```
///
/// The file uses no `crate::` path, so it compiles in any module. The including crate needs
/// [`SingleFile::dependencies`] (the crate's own, with the configuration's `[dependencies]`), and
/// the crate's features are decided here: those the configuration's `[features] default` enables
/// are on, the rest off.
pub fn generate_file(text: &str, config: &Config) -> Result<SingleFile> {
    let output = generate(text, config)?;
    let enabled = config.enabled_features();
    let own_paths = config
        .types
        .replace
        .iter()
        .chain(&config.types.format)
        .filter_map(|(_, path)| path.value.strip_prefix("crate::"))
        .map(|rest| rest.split("::").map(str::to_string).collect())
        .collect();
    let settings = bundle::Settings { enabled: &|f| enabled.iter().any(|e| e == f), own_paths };
    let contents = bundle::bundle(&output.files, &emit::header(config), &settings)?;
    Ok(SingleFile {
        contents,
        warnings: output.warnings,
        dependencies: emit::cargo::dependencies_for_file(config, &enabled),
        operations: output.operations,
        types: output.types,
    })
}
