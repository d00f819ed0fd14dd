// Runtime support for generated clients: copied verbatim into each generated crate.

//! Errors shared by every operation.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::response::{excerpt, RedactedHeaders};

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

struct DecodeParts {
    status: StatusCode,
    headers: HeaderMap,
    excerpt: String,
    source: BoxError,
}

/// A response body that did not decode into the declared type.
///
/// Boxed inside so operation error enums stay small.
pub struct DecodeError(Box<DecodeParts>);

impl DecodeError {
    /// Records a decoding failure for a response with this status, headers and body.
    pub fn new(status: StatusCode, headers: HeaderMap, body: &[u8], source: impl Into<BoxError>) -> Self {
        DecodeError(Box::new(DecodeParts { status, headers, excerpt: excerpt(body), source: source.into() }))
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.0.headers
    }

    /// The first 512 characters of the body (invalid UTF-8 replaced).
    pub fn excerpt(&self) -> &str {
        &self.0.excerpt
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("status", &self.0.status)
            .field("headers", &RedactedHeaders(&self.0.headers))
            .field("excerpt", &self.0.excerpt)
            .field("source", &self.0.source)
            .finish()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "could not decode the {} response body: {}", self.0.status, self.0.source)
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0.source)
    }
}

/// The request could not be completed at the transport level (DNS, connect,
/// TLS, connection reset, body read failure, too many redirects).
///
/// The underlying error is kept without its URL, because the URL may carry
/// an API key in the query string.
#[derive(Debug, thiserror::Error)]
#[error("{what} for operation `{operation_id}` ({attempts} attempt(s))")]
pub struct TransportError {
    what: &'static str,
    operation_id: &'static str,
    attempts: u32,
    #[source]
    source: reqwest::Error,
}

impl TransportError {
    pub(crate) fn new(source: reqwest::Error, operation_id: &'static str, attempts: u32) -> Self {
        let what = if source.is_connect() {
            "connection failed"
        } else if source.is_redirect() {
            "redirect handling failed"
        } else if source.is_body() || source.is_decode() {
            "reading the response body failed"
        } else {
            "sending the request failed"
        };
        TransportError { what, operation_id, attempts, source: source.without_url() }
    }

    /// The operation that failed.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// How many attempts were made, including the first.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Whether the connection could not be established (nothing was sent).
    pub fn is_connect(&self) -> bool {
        self.source.is_connect()
    }

    /// The underlying `reqwest` error (its URL removed).
    pub fn inner(&self) -> &reqwest::Error {
        &self.source
    }
}

/// An attempt did not complete (response fully read) within the timeout.
#[derive(Debug, Clone)]
pub struct TimeoutError {
    operation_id: &'static str,
    timeout: Option<Duration>,
    attempts: u32,
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "operation `{}` timed out", self.operation_id)?;
        if let Some(timeout) = self.timeout {
            write!(f, ": no complete response within {timeout:?}")?;
        }
        write!(f, " ({} attempt(s))", self.attempts)
    }
}

impl std::error::Error for TimeoutError {}

impl TimeoutError {
    pub(crate) fn new(operation_id: &'static str, timeout: Option<Duration>, attempts: u32) -> Self {
        TimeoutError { operation_id, timeout, attempts }
    }

    /// The operation that timed out.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// The per-attempt timeout in force, or `None` when the timeout came from
    /// a caller-provided `reqwest::Client`'s own configuration.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// How many attempts were made, including the first.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

/// A request the client refuses to send: a path parameter that is empty,
/// `.` or `..`, a value that cannot be serialized, an invalid header value,
/// or missing credentials. Nothing was sent.
///
/// The message never contains secret values.
#[derive(Debug, Clone, thiserror::Error)]
#[error("invalid request: {message}")]
pub struct InvalidRequestError {
    message: String,
}

impl InvalidRequestError {
    /// An error with this message (which must not contain secrets).
    pub fn new(message: impl Into<String>) -> Self {
        InvalidRequestError { message: message.into() }
    }

    /// What was wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// [`ClientCore::new`](super::ClientCore::new) refused the configuration.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL does not parse, is not http(s), or carries user info,
    /// a query or a fragment. The URL itself is not repeated (it may hold secrets).
    #[error("invalid base URL: {0}")]
    InvalidBaseUrl(&'static str),
    /// The user agent is not a valid header value.
    #[error("invalid user agent: not a valid HTTP header value")]
    InvalidUserAgent,
    /// A credential's name or secret is not valid in an HTTP header.
    #[error("invalid credential for security scheme `{0}`: not a valid HTTP header name or value")]
    InvalidCredential(&'static str),
    /// The HTTP client could not be built (e.g. TLS backend initialisation).
    #[error("could not build the HTTP client")]
    HttpClient(#[source] reqwest::Error),
}

/// Why a request produced no response: what every operation error enum
/// converts from.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Transport-level failure (connect, reset, TLS, body read).
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// An attempt exceeded its timeout.
    #[error(transparent)]
    Timeout(#[from] TimeoutError),
    /// The client refused to send the request.
    #[error(transparent)]
    InvalidRequest(#[from] InvalidRequestError),
}

impl Failure {
    /// Shorthand for an [`InvalidRequestError`].
    pub fn invalid_request(message: impl Into<String>) -> Self {
        Failure::InvalidRequest(InvalidRequestError::new(message))
    }
}
