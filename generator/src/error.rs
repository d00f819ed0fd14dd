//! The generator's one error type: what went wrong, and where in the document.

use std::fmt;

/// A problem with the input document (or, rarely, a generator bug), with a JSON pointer to where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// JSON pointer into the document (`#/paths/~1pets/get`), or `#` for the whole document; for
    /// [`ErrorKind::Config`], `line:column` in the configuration file.
    pub pointer: String,
    pub message: String,
    pub kind: ErrorKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The text is not YAML or JSON.
    Syntax,
    /// The document is not an OpenAPI 3.0/3.1 document, or breaks its rules.
    Invalid,
    /// A `$ref` points nowhere, or loops without ever reaching a schema.
    Reference,
    /// Valid OpenAPI that this generator cannot express.
    Unsupported,
    /// The emitted code did not parse: a generator bug.
    Internal,
    /// The configuration is not what `openapi-client.toml` may say, or names what the document does
    /// not have: `pointer` is then `line:column` in its file (or `the configuration`, for one made in
    /// code).
    Config,
}

impl Error {
    pub fn new(kind: ErrorKind, pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error { pointer: pointer.into(), message: message.into(), kind }
    }
    pub fn invalid(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Invalid, pointer, message)
    }
    pub fn unsupported(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Unsupported, pointer, message)
    }
    /// The error as a command prints it: `config.toml:3:5: message` for an error in the
    /// configuration file, `document: kind at pointer: message` for the rest.
    pub fn in_files(&self, document: &str, config: &str) -> String {
        match self.kind {
            ErrorKind::Config => format!("{config}:{}: {}", self.pointer, self.message),
            _ => format!("{document}: {self}"),
        }
    }
    pub fn reference(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Reference, pointer, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            ErrorKind::Syntax => "syntax error",
            ErrorKind::Invalid => "invalid document",
            ErrorKind::Reference => "bad reference",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Internal => "internal error",
            ErrorKind::Config => "configuration error",
        };
        write!(f, "{kind} at {}: {}", self.pointer, self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Something sloppy but meaningful in the document, and what the generator made of it; or a part
/// of the document that could not be generated and was left out, with the error that left it out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// JSON pointer into the document.
    pub pointer: String,
    pub message: String,
    /// For a part left out (an operation, a schema): the error that made it so, which `--strict`
    /// reports as it is.
    pub left_out: Option<Error>,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning at {}: {}", self.pointer, self.message)?;
        match &self.left_out {
            Some(error) if error.pointer == self.pointer => write!(f, ": {}", error.message),
            Some(error) => write!(f, ": {error}"),
            None => Ok(()),
        }
    }
}

impl Warning {
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Warning { pointer: pointer.into(), message: message.into(), left_out: None }
    }

    /// The part at `pointer` (`what`: "the operation", "the schema") is left out, because of
    /// `error` (which the display adds, so that its pointer can still be mapped).
    pub fn left_out(pointer: impl Into<String>, what: &str, error: Error) -> Self {
        Warning { pointer: pointer.into(), message: format!("{what} is left out"), left_out: Some(error) }
    }

    /// The same finding as an error, for `--strict`: what left a part out, or the warning itself.
    pub fn into_error(self) -> Error {
        match self.left_out {
            Some(error) => error,
            None => Error::invalid(self.pointer, format!("{} (a warning, refused under --strict)", self.message)),
        }
    }
}

/// Builds JSON pointers (RFC 6901) one segment at a time.
pub fn pointer(base: &str, segment: &str) -> String {
    let mut out = String::with_capacity(base.len() + 1 + segment.len());
    out.push_str(base);
    push_segment(&mut out, segment);
    out
}

/// Appends `/` and `segment` to a JSON pointer, escaped (`~` as `~0`, `/` as `~1`, RFC 6901).
pub fn push_segment(pointer: &mut String, segment: &str) {
    pointer.push('/');
    for part in segment.split_inclusive(['~', '/']) {
        match part.as_bytes().last() {
            Some(b'~') => (pointer.push_str(&part[..part.len() - 1]), pointer.push_str("~0")).1,
            Some(b'/') => (pointer.push_str(&part[..part.len() - 1]), pointer.push_str("~1")).1,
            _ => pointer.push_str(part),
        }
    }
}
