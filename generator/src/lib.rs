//! An OpenAPI 3.0/3.1 to Rust client generator, as a pipeline of plain stages:
//! [`load`] → [`normalize`] (and [`hoist`]) → [`parse`] → [`lower`] → [`emit`] → [`format`].
//! Each stage is a function of the previous one's output; [`generate`] runs them all.

pub mod emit;
pub mod error;
pub mod format;
pub mod hoist;
pub mod load;
pub mod lower;
pub mod model;
pub mod naming;
pub mod normalize;
pub mod parse;

pub use error::{Error, ErrorKind, Result};

/// What to generate besides the API itself.
#[derive(Debug, Clone)]
pub struct Options {
    /// The Cargo package name of the generated crate.
    pub crate_name: String,
    /// The package version of the generated crate.
    pub crate_version: String,
    /// The command that regenerates the crate, for the "do not edit" header.
    pub command: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            crate_name: "api-client".into(),
            crate_version: "0.1.0".into(),
            command: "cargo xtask codegen".into(),
        }
    }
}

/// One generated file: a path relative to the crate root, and its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub path: String,
    pub contents: String,
}

/// The model of a document: load, normalize, parse and lower.
pub fn model(text: &str) -> Result<model::Api> {
    let value = load::load(text)?;
    let value = hoist::hoist_refs(normalize::normalize(value));
    let doc = parse::parse(value)?;
    lower::lower(&doc)
}

/// Generates every file of the client crate for a document, in a stable order.
pub fn generate(text: &str, options: &Options) -> Result<Vec<File>> {
    let api = model(text)?;
    emit::emit(&api, options)
}
