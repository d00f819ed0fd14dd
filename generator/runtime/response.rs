// Runtime support for generated clients: copied verbatim into each generated crate.

//! Responses: the raw response `execute` returns and the typed views decoded from it.

use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::error::DecodeError;

/// How many characters of a body error messages and `Debug` output show.
pub(crate) const EXCERPT_CHARS: usize = 512;

/// The first [`EXCERPT_CHARS`] characters of `body`, decoded lossily.
pub(crate) fn excerpt(body: &[u8]) -> String {
    // Decode at most 4 bytes per char so a huge body is not converted whole.
    let head = &body[..body.len().min(EXCERPT_CHARS * 4)];
    String::from_utf8_lossy(head).chars().take(EXCERPT_CHARS).collect()
}

/// Response headers that commonly carry secrets; their values never reach `Debug`.
fn is_secret_header(name: &str) -> bool {
    const EXACT: [&str; 4] = ["authorization", "proxy-authorization", "cookie", "set-cookie"];
    const PARTS: [&str; 5] = ["token", "secret", "api-key", "apikey", "password"];
    EXACT.contains(&name) || PARTS.iter().any(|part| name.contains(part))
}

/// `Debug` for a header map that hides sensitive values.
pub(crate) struct RedactedHeaders<'a>(pub(crate) &'a HeaderMap);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if value.is_sensitive() || is_secret_header(name.as_str()) {
                map.entry(&name.as_str(), &"<redacted>");
            } else {
                map.entry(&name.as_str(), value);
            }
        }
        map.finish()
    }
}

/// A successful response with its decoded body.
///
/// Dereferences to the body, so `response.field` works directly.
#[derive(Clone)]
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> Response<T> {
    /// Assembles a response (useful for tests and mocks).
    pub fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        Response { status, headers, body }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, dropping status and headers.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Status, headers and body.
    pub fn into_parts(self) -> (StatusCode, HeaderMap, T) {
        (self.status, self.headers, self.body)
    }

    /// Converts the body, keeping status and headers.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Response<U> {
        Response { status: self.status, headers: self.headers, body: f(self.body) }
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

impl<T: fmt::Debug> fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &self.body)
            .finish()
    }
}

#[derive(Clone)]
struct ErrorParts<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

/// A status the operation declares as an error, with its decoded body.
///
/// Boxed inside so operation error enums stay small (clippy's `result_large_err`).
#[derive(Clone)]
pub struct ErrorResponse<T>(Box<ErrorParts<T>>);

impl<T> ErrorResponse<T> {
    /// Assembles an error response (useful for tests and mocks).
    pub fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        ErrorResponse(Box::new(ErrorParts { status, headers, body }))
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.0.headers
    }

    /// The decoded error body.
    pub fn body(&self) -> &T {
        &self.0.body
    }

    /// The decoded error body, dropping status and headers.
    pub fn into_body(self) -> T {
        self.0.body
    }
}

impl<T: fmt::Debug> fmt::Debug for ErrorResponse<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ErrorResponse")
            .field("status", &self.0.status)
            .field("headers", &RedactedHeaders(&self.0.headers))
            .field("body", &self.0.body)
            .finish()
    }
}

impl<T> fmt::Display for ErrorResponse<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "server returned error status {}", self.0.status)
    }
}

impl<T: fmt::Debug> std::error::Error for ErrorResponse<T> {}

#[derive(Clone)]
struct UnexpectedParts {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

/// A status the operation does not declare; the body is kept undecoded.
#[derive(Clone)]
pub struct UnexpectedResponse(Box<UnexpectedParts>);

impl UnexpectedResponse {
    /// Assembles an unexpected response (useful for tests and mocks).
    pub fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        UnexpectedResponse(Box::new(UnexpectedParts { status, headers, body }))
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.0.headers
    }

    /// The raw body.
    pub fn body(&self) -> &[u8] {
        &self.0.body
    }

    /// The body as text, with invalid UTF-8 replaced.
    pub fn body_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.0.body)
    }
}

impl fmt::Debug for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnexpectedResponse")
            .field("status", &self.0.status)
            .field("headers", &RedactedHeaders(&self.0.headers))
            .field("body", &excerpt(&self.0.body))
            .finish()
    }
}

impl fmt::Display for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unexpected status {}", self.0.status)?;
        if !self.0.body.is_empty() {
            write!(f, ": {}", excerpt(&self.0.body))?;
        }
        Ok(())
    }
}

impl std::error::Error for UnexpectedResponse {}

/// A response of any status, body fully read, not yet decoded.
///
/// [`ClientCore::execute`](super::ClientCore::execute) returns this; the
/// operation then picks a decoder by status.
#[derive(Clone)]
pub struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl RawResponse {
    /// Assembles a raw response (useful for tests and mocks).
    pub fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        RawResponse { status, headers, body }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The undecoded body.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// Decodes the body as JSON.
    pub fn json<T: DeserializeOwned>(self) -> Result<Response<T>, DecodeError> {
        let body = self.decode_json()?;
        Ok(Response::new(self.status, self.headers, body))
    }

    /// Decodes the body as UTF-8 text.
    pub fn text(self) -> Result<Response<String>, DecodeError> {
        let body = self.decode_text()?;
        Ok(Response::new(self.status, self.headers, body))
    }

    /// Keeps the body as bytes.
    pub fn bytes(self) -> Response<Bytes> {
        Response::new(self.status, self.headers, self.body)
    }

    /// Ignores the body.
    pub fn empty(self) -> Response<()> {
        Response::new(self.status, self.headers, ())
    }

    /// Decodes a declared error status whose body is JSON.
    pub fn json_error<T: DeserializeOwned>(self) -> Result<ErrorResponse<T>, DecodeError> {
        let body = self.decode_json()?;
        Ok(ErrorResponse::new(self.status, self.headers, body))
    }

    /// Decodes a declared error status whose body is text.
    pub fn text_error(self) -> Result<ErrorResponse<String>, DecodeError> {
        let body = self.decode_text()?;
        Ok(ErrorResponse::new(self.status, self.headers, body))
    }

    /// A declared error status whose body is ignored.
    pub fn empty_error(self) -> ErrorResponse<()> {
        ErrorResponse::new(self.status, self.headers, ())
    }

    /// A status the operation does not declare.
    pub fn unexpected(self) -> UnexpectedResponse {
        UnexpectedResponse::new(self.status, self.headers, self.body)
    }

    fn decode_json<T: DeserializeOwned>(&self) -> Result<T, DecodeError> {
        serde_json::from_slice(&self.body)
            .map_err(|err| DecodeError::new(self.status, self.headers.clone(), &self.body, err))
    }

    fn decode_text(&self) -> Result<String, DecodeError> {
        match std::str::from_utf8(&self.body) {
            Ok(text) => Ok(text.to_owned()),
            Err(err) => Err(DecodeError::new(self.status, self.headers.clone(), &self.body, err)),
        }
    }
}

impl fmt::Debug for RawResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &excerpt(&self.body))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderValue, AUTHORIZATION, SET_COOKIE};

    fn raw(status: u16, body: &'static [u8]) -> RawResponse {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::IM_A_TEAPOT);
        RawResponse::new(status, HeaderMap::new(), Bytes::from_static(body))
    }

    #[test]
    fn excerpt_cuts_on_char_boundary() {
        let body = "é".repeat(600);
        let cut = excerpt(body.as_bytes());
        assert_eq!(cut.chars().count(), EXCERPT_CHARS);
        assert!(cut.chars().all(|c| c == 'é'));
        assert_eq!(excerpt(b"ab\xffc"), "ab\u{fffd}c");
    }

    #[test]
    fn decoders() {
        let ok = raw(200, br#"{"a":1}"#).json::<serde_json::Value>();
        assert!(matches!(ok, Ok(ref r) if r["a"] == 1));
        let bad = raw(200, b"not json").json::<serde_json::Value>();
        assert!(matches!(bad, Err(ref e) if e.excerpt() == "not json"));
        assert!(raw(200, b"\xff").text().is_err());
        assert_eq!(raw(404, b"").empty_error().status(), StatusCode::NOT_FOUND);
        let unexpected = raw(500, b"boom").unexpected();
        assert_eq!(unexpected.to_string(), "unexpected status 500 Internal Server Error: boom");
        assert_eq!(unexpected.body_text(), "boom");
    }

    #[test]
    fn debug_redacts_secret_headers() {
        let mut headers = HeaderMap::new();
        headers.insert(AUTHORIZATION, HeaderValue::from_static("Bearer hunter2"));
        headers.insert(SET_COOKIE, HeaderValue::from_static("session=hunter2"));
        headers.insert("x-request-id", HeaderValue::from_static("abc"));
        let response = Response::new(StatusCode::OK, headers, ());
        let debug = format!("{response:?}");
        assert!(!debug.contains("hunter2"), "{debug}");
        assert!(debug.contains("abc"));
    }
}
