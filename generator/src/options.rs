//! What a caller asks of the generator besides the document ([`Options`]), and what it gets back
//! ([`File`]s): the one place the stages and the caller share, so that no stage imports the
//! pipeline that runs it.

/// What to generate besides the API itself.
#[derive(Debug, Clone)]
pub struct Options {
    /// The Cargo package name of the generated crate.
    pub crate_name: String,
    /// The package version of the generated crate.
    pub crate_version: String,
    /// The command that regenerates the crate, for the "do not edit" header.
    pub command: String,
    /// Refuse the document on any warning (`--strict`).
    pub strict: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            crate_name: "api-client".into(),
            crate_version: "0.1.0".into(),
            command: "cargo xtask codegen".into(),
            strict: false,
        }
    }
}

/// One generated file: a path relative to the crate root, and its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub path: String,
    pub contents: String,
}
