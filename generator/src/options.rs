//! What the generator hands back ([`Output`]: the [`File`]s of a crate, the warnings, the crates the
//! code needs): the one place the stages and the caller share, so that no stage imports the
//! pipeline that runs it.

use crate::emit::cargo::Dependency;
use crate::error::Warning;

/// One generated file: a path relative to the crate root, and its contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub path: String,
    pub contents: String,
}

/// What [`generate`](crate::generate) makes of a document.
#[derive(Debug, Clone)]
pub struct Output {
    /// Every file of the crate, sorted by path.
    pub files: Vec<File>,
    /// What was sloppy in the document, or left out of it, each with a JSON pointer.
    pub warnings: Vec<Warning>,
    /// The crates the generated code needs (already in the crate's manifest; a `build.rs` that
    /// includes the client adds them to its own).
    pub dependencies: Vec<Dependency>,
    /// How many operations and types the client has.
    pub operations: usize,
    pub types: usize,
}

/// What [`generate_file`](crate::generate_file) makes of a document: the client as one Rust file.
#[derive(Debug, Clone)]
pub struct SingleFile {
    /// The file's text, to write into `OUT_DIR` and `include!` in a module.
    pub contents: String,
    /// What was sloppy in the document, or left out of it, each with a JSON pointer.
    pub warnings: Vec<Warning>,
    /// The crates the including crate must depend on, with the features the file uses.
    pub dependencies: Vec<Dependency>,
    /// How many operations and types the client has.
    pub operations: usize,
    pub types: usize,
}
