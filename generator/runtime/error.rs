// Runtime support for generated clients: copied verbatim into each generated crate.

//! Errors shared by every operation.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::excerpt::{excerpt, RedactedHeaders};

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
/// TLS, connection reset, body read failure, too many redirects), or a
/// credential provider or a middleware failed before a response came back.
///
/// The underlying error is kept without its URL, because the URL may carry
/// an API key in the query string.
#[derive(Debug)]
pub struct TransportError {
    what: &'static str,
    operation_id: &'static str,
    attempts: u32,
    source: Source,
}

/// What failed under a [`TransportError`].
#[derive(Debug)]
enum Source {
    Http(reqwest::Error),
    /// A credential provider's error (feature `refresh`).
    #[cfg_attr(not(feature = "refresh"), allow(dead_code))]
    Credential(BoxError),
    /// A middleware's own error (feature `middleware`).
    #[cfg_attr(not(feature = "middleware"), allow(dead_code))]
    Middleware(BoxError),
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
        TransportError { what, operation_id, attempts, source: Source::Http(source.without_url()) }
    }

    /// A credential provider failed, so the attempt was not sent.
    #[cfg_attr(not(feature = "refresh"), allow(dead_code))]
    pub(crate) fn credential(source: BoxError, operation_id: &'static str, attempts: u32) -> Self {
        TransportError {
            what: "the credential provider failed",
            operation_id,
            attempts,
            source: Source::Credential(source),
        }
    }

    /// A middleware failed (not the HTTP exchange under it).
    #[cfg_attr(not(feature = "middleware"), allow(dead_code))]
    pub(crate) fn middleware(source: BoxError, operation_id: &'static str, attempts: u32) -> Self {
        TransportError { what: "a middleware failed", operation_id, attempts, source: Source::Middleware(source) }
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
        matches!(&self.source, Source::Http(error) if error.is_connect())
    }

    /// Whether a credential provider failed (nothing was sent).
    pub fn is_credential(&self) -> bool {
        matches!(self.source, Source::Credential(_))
    }

    /// Whether a middleware failed, rather than the HTTP exchange.
    pub fn is_middleware(&self) -> bool {
        matches!(self.source, Source::Middleware(_))
    }

    /// The underlying `reqwest` error (its URL removed), when the HTTP exchange failed.
    pub fn inner(&self) -> Option<&reqwest::Error> {
        match &self.source {
            Source::Http(error) => Some(error),
            Source::Credential(_) | Source::Middleware(_) => None,
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} for operation `{}` ({} attempt(s))", self.what, self.operation_id, self.attempts)
    }
}

impl std::error::Error for TransportError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(match &self.source {
            Source::Http(error) => error,
            Source::Credential(error) | Source::Middleware(error) => &**error,
        })
    }
}

/// An attempt did not complete (response fully read) within its timeout, or
/// the whole call, retries included, ran past its deadline.
#[derive(Debug, Clone)]
pub struct TimeoutError {
    operation_id: &'static str,
    timeout: Option<Duration>,
    attempts: u32,
    deadline: bool,
}

impl fmt::Display for TimeoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "operation `{}` timed out", self.operation_id)?;
        match (self.timeout, self.deadline) {
            (Some(limit), true) => write!(f, ": the call's deadline of {limit:?} passed")?,
            (Some(limit), false) => write!(f, ": no complete response within {limit:?}")?,
            (None, _) => {}
        }
        write!(f, " ({} attempt(s))", self.attempts)
    }
}

impl std::error::Error for TimeoutError {}

impl TimeoutError {
    pub(crate) fn new(operation_id: &'static str, timeout: Option<Duration>, attempts: u32) -> Self {
        TimeoutError { operation_id, timeout, attempts, deadline: false }
    }

    pub(crate) fn deadline(operation_id: &'static str, deadline: Duration, attempts: u32) -> Self {
        TimeoutError { operation_id, timeout: Some(deadline), attempts, deadline: true }
    }

    /// Whether the call's total deadline passed (rather than one attempt's timeout).
    pub fn is_deadline(&self) -> bool {
        self.deadline
    }

    /// The operation that timed out.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// The limit that passed: the per-attempt timeout, or the call's deadline
    /// when [`is_deadline`](Self::is_deadline); `None` when the timeout came
    /// from a caller-provided `reqwest::Client`'s own configuration.
    pub fn timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// How many attempts were made, including the first.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }
}

/// A request the client refuses to send: a path parameter that is empty,
/// `.` or `..`, a value outside the bounds the document sets, a value that
/// cannot be serialized, an invalid header value, or missing or empty
/// credentials. Nothing was sent.
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
    /// A credential is empty, or its name or secret is not valid in an HTTP header.
    #[error("invalid credential for security scheme `{0}`: empty, or not a valid HTTP header name or value")]
    InvalidCredential(&'static str),
    /// A default header (such as the API version header) is not a valid HTTP header.
    #[error("invalid header `{0}`: not a valid HTTP header name or value")]
    InvalidHeader(String),
    /// The HTTP client could not be built (e.g. TLS backend initialisation).
    #[error("could not build the HTTP client")]
    HttpClient(#[source] reqwest::Error),
    /// A client certificate or a root certificate was given beside a `reqwest::Client` of the
    /// caller's own, whose TLS settings this client cannot change.
    #[error("a client certificate or root certificate cannot be added to a `reqwest::Client` given with `http_client`: set it on that client")]
    TlsWithHttpClient,
    /// The runtime for blocking calls could not be started.
    #[error("could not start the runtime for blocking calls")]
    Runtime(#[source] std::io::Error),
}

/// Why a request produced no response: what every operation error enum
/// converts from.
#[doc(hidden)]
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

/// What every error of this crate can tell about itself; operation errors and
/// [`Error`](crate::Error) offer the same as inherent methods.
#[doc(hidden)]
pub trait Details {
    /// The error this one holds, whose details are its details (an error enum's variant).
    fn inner(&self) -> Option<&dyn Details> {
        None
    }
    /// The HTTP status, when the server answered.
    fn status(&self) -> Option<StatusCode> {
        self.inner()?.status()
    }
    /// The response headers, when the server answered.
    fn headers(&self) -> Option<&HeaderMap> {
        self.inner()?.headers()
    }
    /// The first 512 characters of the response body, when the server answered.
    fn body_text(&self) -> Option<&str> {
        self.inner()?.body_text()
    }
    /// The server's error code (`error` or `code` in a JSON body), when it sent one.
    fn code(&self) -> Option<&str> {
        self.inner()?.code()
    }
    /// The server's message (`detail`, `message` or `title` in a JSON body), when it sent one.
    fn message(&self) -> Option<&str> {
        self.inner()?.message()
    }
    /// Whether sending the same request again may succeed.
    fn is_retryable(&self) -> bool {
        self.inner().is_some_and(|inner| inner.is_retryable())
    }
    /// How many attempts were made, when the request was sent.
    fn attempts(&self) -> Option<u32> {
        self.inner()?.attempts()
    }
}

impl Details for DecodeError {
    fn status(&self) -> Option<StatusCode> {
        Some(self.0.status)
    }
    fn headers(&self) -> Option<&HeaderMap> {
        Some(&self.0.headers)
    }
    fn body_text(&self) -> Option<&str> {
        Some(&self.0.excerpt)
    }
}

impl Details for TransportError {
    fn is_retryable(&self) -> bool {
        true
    }
    fn attempts(&self) -> Option<u32> {
        Some(self.attempts)
    }
}

impl Details for TimeoutError {
    fn is_retryable(&self) -> bool {
        true
    }
    fn attempts(&self) -> Option<u32> {
        Some(self.attempts)
    }
}

impl Details for InvalidRequestError {}

impl Details for BuildError {}

/// What every error enum of the crate has: `details()` over its variants (each
/// holding a [`Details`] type), the public accessors, the [`Details`] impl,
/// `Display` and `Error` (each variant shows as the error it holds, and passes on
/// its source), and the conversions from [`Failure`] and [`DecodeError`] (so the
/// enum has the variants `Transport`, `Timeout`, `InvalidRequest` and `Decode`).
/// An operation's error (`operation Name { declared variants } => CrateVariant`) has the standard
/// variants too, converts from `UnexpectedResponse` into its `Unexpected` variant, and converts
/// into the crate's `Error` as `Error::CrateVariant`; its declared variants (an error response
/// of the API's) show as the response and have no source.
///
/// By hand rather than derived, so that an operation's error enum is written without an
/// attribute per variant.
macro_rules! error_details {
    (operation $error:ident { $($variant:ident),* $(,)? } => $crate_error:ident) => {
        crate::runtime::error_details!(
            @details $error { $($variant,)* Unexpected, Decode, Timeout, Transport, InvalidRequest }
        );
        crate::runtime::error_details!(
            @error $error { $($variant),* } { Unexpected, Decode, Timeout, Transport, InvalidRequest }
        );

        impl From<$error> for crate::Error {
            fn from(error: $error) -> Self {
                Self::$crate_error(error)
            }
        }

        impl From<crate::runtime::UnexpectedResponse> for $error {
            fn from(response: crate::runtime::UnexpectedResponse) -> Self {
                Self::Unexpected(response)
            }
        }
    };
    ($error:ident { $($variant:ident),* $(,)? }) => {
        crate::runtime::error_details!(@details $error { $($variant),* });
        crate::runtime::error_details!(@error $error {} { $($variant),* });
    };
    // `Display` and `Error`: `declared` variants show as what they hold, with no source;
    // `transparent` ones are the error they hold.
    (@error $error:ident { $($declared:ident),* } { $($transparent:ident),* }) => {
        impl ::std::fmt::Display for $error {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    $(Self::$declared(e) => ::std::fmt::Display::fmt(e, f),)*
                    $(Self::$transparent(e) => ::std::fmt::Display::fmt(e, f),)*
                }
            }
        }

        impl ::std::error::Error for $error {
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    $(Self::$declared(_) => None,)*
                    $(Self::$transparent(e) => ::std::error::Error::source(e),)*
                }
            }
        }
    };
    (@details $error:ident { $($variant:ident),* $(,)? }) => {
        impl $error {
            fn details(&self) -> &dyn crate::runtime::Details {
                match self {
                    $(Self::$variant(e) => e,)*
                }
            }

            /// The HTTP status, when the server answered.
            pub fn status(&self) -> Option<::reqwest::StatusCode> {
                self.details().status()
            }

            /// The response headers, when the server answered.
            pub fn headers(&self) -> Option<&::reqwest::header::HeaderMap> {
                self.details().headers()
            }

            /// The first 512 characters of the response body (invalid UTF-8 replaced), when the server answered.
            pub fn body_text(&self) -> Option<&str> {
                self.details().body_text()
            }

            /// The server's error code (`error` or `code` in a JSON error body), when it sent one.
            pub fn code(&self) -> Option<&str> {
                self.details().code()
            }

            /// The server's message (`detail`, `message` or `title` in a JSON error body), when it sent one.
            pub fn message(&self) -> Option<&str> {
                self.details().message()
            }

            /// Whether sending the same request again may succeed: a retryable status
            /// (429, 500, 502, 503, 504), a transport failure or a timeout.
            pub fn is_retryable(&self) -> bool {
                self.details().is_retryable()
            }

            /// How many attempts the call made, retries included, when it sent anything.
            ///
            /// More than one means an earlier attempt may have reached the server:
            /// a retried delete that had in fact succeeded can then report that
            /// the resource is already gone (see [`RetryPolicy`](crate::RetryPolicy)).
            pub fn attempts(&self) -> Option<u32> {
                self.details().attempts()
            }
        }

        // Every other method of `Details` asks the variant's error.
        impl crate::runtime::Details for $error {
            fn inner(&self) -> Option<&dyn crate::runtime::Details> {
                Some(self.details())
            }
        }

        impl From<crate::runtime::Failure> for $error {
            fn from(failure: crate::runtime::Failure) -> Self {
                match failure {
                    crate::runtime::Failure::Transport(e) => Self::Transport(e),
                    crate::runtime::Failure::Timeout(e) => Self::Timeout(e),
                    crate::runtime::Failure::InvalidRequest(e) => Self::InvalidRequest(e),
                }
            }
        }

        impl From<crate::runtime::DecodeError> for $error {
            fn from(error: crate::runtime::DecodeError) -> Self {
                Self::Decode(error)
            }
        }
    };
}
pub(crate) use error_details;
