// Runtime support for generated clients: copied verbatim into each generated crate.

//! Responses: the raw response `execute` returns and the typed views decoded from it.

use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::error::{DecodeError, Details};
use super::excerpt::{excerpt, RedactedHeaders};
use super::parts::Parts;
use super::retry::is_retryable_status;

/// What the server said in an error body: a code and a message, read from the
/// fields APIs commonly use (`error`/`code`, and `detail`/`message`/`title`,
/// as in FastAPI, RFC 9457 problem details and Google-style `{"error": {..}}`).
#[derive(Clone, Default)]
struct ServerWords {
    code: Option<String>,
    message: Option<String>,
}

impl ServerWords {
    fn read(body: &[u8]) -> Self {
        let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(body) else {
            return ServerWords::default();
        };
        let text = |key: &str| match map.get(key) {
            Some(serde_json::Value::String(text)) if !text.is_empty() => Some(text.clone()),
            Some(serde_json::Value::Number(number)) => Some(number.to_string()),
            _ => None,
        };
        if let Some(serde_json::Value::Object(nested)) = map.get("error") {
            // `{"error": {"code": .., "message": ..}}`
            let nested = serde_json::to_vec(nested).map(|bytes| ServerWords::read(&bytes)).unwrap_or_default();
            return nested;
        }
        let message = match map.get("detail") {
            Some(serde_json::Value::Array(items)) => validation_messages(items),
            _ => None,
        };
        ServerWords {
            code: text("error").or_else(|| text("code")),
            message: message.or_else(|| text("detail")).or_else(|| text("message")).or_else(|| text("title")),
        }
    }

    /// `code: message`, `code`, `message` or nothing.
    fn summary(&self) -> Option<String> {
        match (&self.code, &self.message) {
            (Some(code), Some(message)) => Some(format!("{code}: {message}")),
            (Some(one), None) | (None, Some(one)) => Some(one.clone()),
            (None, None) => None,
        }
    }
}

/// FastAPI-style validation details, `[{"loc": ["query", "limit"], "msg": ".."}]`, as
/// `query.limit: ..; ..`.
fn validation_messages(items: &[serde_json::Value]) -> Option<String> {
    let parts: Vec<String> = items
        .iter()
        .filter_map(|item| {
            let msg = item.get("msg")?.as_str()?;
            let loc: Vec<String> = item
                .get("loc")
                .and_then(serde_json::Value::as_array)
                .map(|loc| {
                    loc.iter().map(|part| part.as_str().map_or_else(|| part.to_string(), str::to_string)).collect()
                })
                .unwrap_or_default();
            Some(if loc.is_empty() { msg.to_string() } else { format!("{}: {msg}", loc.join(".")) })
        })
        .collect();
    (!parts.is_empty()).then(|| parts.join("; "))
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
    excerpt: String,
    words: ServerWords,
    attempts: u32,
}

/// A status the operation declares as an error, with its decoded body.
///
/// `Display` carries the server's words: its error code and message when the
/// body has them (`403 Forbidden: AlreadyCanceledSubscription: ...`).
/// Boxed inside so operation error enums stay small (clippy's `result_large_err`).
#[derive(Clone)]
pub struct ErrorResponse<T>(Box<ErrorParts<T>>);

impl<T> ErrorResponse<T> {
    /// Assembles an error response (useful for tests and mocks); `raw` is the body as received.
    pub fn new(status: StatusCode, headers: HeaderMap, body: T, raw: &[u8]) -> Self {
        let (excerpt, words) = (excerpt(raw), ServerWords::read(raw));
        ErrorResponse(Box::new(ErrorParts { status, headers, body, excerpt, words, attempts: 1 }))
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

    /// The first 512 characters of the body as received (invalid UTF-8 replaced).
    pub fn body_text(&self) -> &str {
        &self.0.excerpt
    }

    /// The server's error code (`error` or `code` in the body), when it sent one.
    pub fn code(&self) -> Option<&str> {
        self.0.words.code.as_deref()
    }

    /// The server's message (`detail`, `message` or `title` in the body), when it sent one.
    pub fn message(&self) -> Option<&str> {
        self.0.words.message.as_deref()
    }

    /// How many attempts the call made; more than one means an earlier one
    /// may have reached the server.
    pub fn attempts(&self) -> u32 {
        self.0.attempts
    }
}

impl<T: fmt::Debug> fmt::Debug for ErrorResponse<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ErrorResponse")
            .field("status", &self.0.status)
            .field("headers", &RedactedHeaders(&self.0.headers))
            .field("body", &self.0.body)
            .field("attempts", &self.0.attempts)
            .finish()
    }
}

impl<T> fmt::Display for ErrorResponse<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.words.summary() {
            Some(words) => write!(f, "server returned {}: {words}", self.0.status),
            None => write!(f, "server returned error status {}", self.0.status),
        }
    }
}

impl<T: fmt::Debug> std::error::Error for ErrorResponse<T> {}

impl<T> Details for ErrorResponse<T> {
    fn status(&self) -> Option<StatusCode> {
        Some(self.0.status)
    }
    fn headers(&self) -> Option<&HeaderMap> {
        Some(&self.0.headers)
    }
    fn body_text(&self) -> Option<&str> {
        Some(&self.0.excerpt)
    }
    fn code(&self) -> Option<&str> {
        self.code()
    }
    fn message(&self) -> Option<&str> {
        self.message()
    }
    fn is_retryable(&self) -> bool {
        is_retryable_status(self.0.status)
    }
    fn attempts(&self) -> Option<u32> {
        Some(self.0.attempts)
    }
}

#[derive(Clone)]
struct UnexpectedParts {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    excerpt: String,
    words: ServerWords,
    attempts: u32,
}

/// A response the operation does not declare: a status it does not list, or
/// a listed error status whose body is not the declared one (another error of
/// the API, a framework's `{"detail":"Not Found"}`, a proxy's HTML page).
/// The body is kept undecoded.
#[derive(Clone)]
pub struct UnexpectedResponse(Box<UnexpectedParts>);

impl UnexpectedResponse {
    /// Assembles an unexpected response (useful for tests and mocks).
    pub fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        let (excerpt, words) = (excerpt(&body), ServerWords::read(&body));
        UnexpectedResponse(Box::new(UnexpectedParts { status, headers, body, excerpt, words, attempts: 1 }))
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

    /// The whole body as text, with invalid UTF-8 replaced.
    pub fn body_text(&self) -> Cow<'_, str> {
        String::from_utf8_lossy(&self.0.body)
    }

    /// The server's error code (`error` or `code` in a JSON body), when it sent one.
    pub fn code(&self) -> Option<&str> {
        self.0.words.code.as_deref()
    }

    /// The server's message (`detail`, `message` or `title` in a JSON body), when it sent one.
    pub fn message(&self) -> Option<&str> {
        self.0.words.message.as_deref()
    }

    /// How many attempts the call made.
    pub fn attempts(&self) -> u32 {
        self.0.attempts
    }
}

impl fmt::Debug for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnexpectedResponse")
            .field("status", &self.0.status)
            .field("headers", &RedactedHeaders(&self.0.headers))
            .field("body", &self.0.excerpt)
            .field("attempts", &self.0.attempts)
            .finish()
    }
}

impl fmt::Display for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unexpected response {}", self.0.status)?;
        match self.0.words.summary() {
            Some(words) => write!(f, ": {words}"),
            None if !self.0.excerpt.is_empty() => write!(f, ": {}", self.0.excerpt),
            None => Ok(()),
        }
    }
}

impl std::error::Error for UnexpectedResponse {}

impl Details for UnexpectedResponse {
    fn status(&self) -> Option<StatusCode> {
        Some(self.0.status)
    }
    fn headers(&self) -> Option<&HeaderMap> {
        Some(&self.0.headers)
    }
    fn body_text(&self) -> Option<&str> {
        Some(&self.0.excerpt)
    }
    fn code(&self) -> Option<&str> {
        self.code()
    }
    fn message(&self) -> Option<&str> {
        self.message()
    }
    fn is_retryable(&self) -> bool {
        is_retryable_status(self.0.status)
    }
    fn attempts(&self) -> Option<u32> {
        Some(self.0.attempts)
    }
}

/// A response of any status, body fully read, not yet decoded.
///
/// [`Client::request`](crate::Client::request) returns this; generated
/// operations pick a decoder by status.
#[derive(Clone)]
pub struct RawResponse {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
    attempts: u32,
}

impl RawResponse {
    /// Assembles a raw response (useful for tests and mocks).
    pub fn new(status: StatusCode, headers: HeaderMap, body: Bytes) -> Self {
        RawResponse { status, headers, body, attempts: 1 }
    }

    pub(crate) fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts;
        self
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

    /// How many attempts the call made, retries included.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The media type of the body: the `Content-Type` header's essence (`application/json` from
    /// `Application/JSON; charset=utf-8`), lowercased; `None` without a readable header.
    pub fn media_type(&self) -> Option<String> {
        let value = self.headers.get(reqwest::header::CONTENT_TYPE)?.to_str().ok()?;
        let essence = value.split(';').next().unwrap_or(value).trim();
        (!essence.is_empty()).then(|| essence.to_ascii_lowercase())
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

    /// Splits a multipart body (`multipart/form-data`, `multipart/related`…)
    /// into its parts, by the boundary its `Content-Type` names.
    pub fn multipart(self) -> Result<Response<Parts>, DecodeError> {
        let content_type = self.headers.get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
        match super::parts::split(content_type, &self.body) {
            Ok(parts) => Ok(Response::new(self.status, self.headers, parts)),
            Err(why) => Err(DecodeError::new(self.status, self.headers.clone(), &self.body, why)),
        }
    }

    /// Ignores the body.
    pub fn empty(self) -> Response<()> {
        Response::new(self.status, self.headers, ())
    }

    /// A declared error status whose body is JSON of type `T`; any other body
    /// makes it an [`UnexpectedResponse`], never a decoding error.
    #[doc(hidden)]
    pub fn json_error<T: DeserializeOwned>(self) -> Result<ErrorResponse<T>, UnexpectedResponse> {
        match serde_json::from_slice(&self.body) {
            Ok(body) => Ok(self.declared(body)),
            Err(_) => Err(self.unexpected()),
        }
    }

    /// Like [`json_error`](Self::json_error), for a body type that can hold a member it does not
    /// know: such a body is not the declared one either, so it is an [`UnexpectedResponse`].
    #[doc(hidden)]
    pub fn json_error_unless<T: DeserializeOwned>(
        self,
        unknown: impl FnOnce(&T) -> bool,
    ) -> Result<ErrorResponse<T>, UnexpectedResponse> {
        match serde_json::from_slice(&self.body) {
            Ok(body) if !unknown(&body) => Ok(self.declared(body)),
            _ => Err(self.unexpected()),
        }
    }

    /// A declared error status whose body is text; a body that is not UTF-8
    /// makes it an [`UnexpectedResponse`].
    #[doc(hidden)]
    pub fn text_error(self) -> Result<ErrorResponse<String>, UnexpectedResponse> {
        match std::str::from_utf8(&self.body) {
            Ok(text) => {
                let text = text.to_owned();
                Ok(self.declared(text))
            }
            Err(_) => Err(self.unexpected()),
        }
    }

    /// A declared error status as the error enum's `variant` when its body is JSON of type `T`;
    /// any other body makes it the enum's `Unexpected` (see [`json_error`](Self::json_error)).
    #[doc(hidden)]
    pub fn declared_json<T: DeserializeOwned, E: From<UnexpectedResponse>>(
        self,
        variant: impl FnOnce(ErrorResponse<T>) -> E,
    ) -> E {
        self.json_error().map_or_else(E::from, variant)
    }

    /// [`declared_json`](Self::declared_json) for a body type that can hold a member it does not
    /// know (see [`json_error_unless`](Self::json_error_unless)).
    #[doc(hidden)]
    pub fn declared_json_unless<T: DeserializeOwned, E: From<UnexpectedResponse>>(
        self,
        unknown: impl FnOnce(&T) -> bool,
        variant: impl FnOnce(ErrorResponse<T>) -> E,
    ) -> E {
        self.json_error_unless(unknown).map_or_else(E::from, variant)
    }

    /// A declared error status as the error enum's `variant` when its body is text; a body that
    /// is not UTF-8 makes it the enum's `Unexpected`.
    #[doc(hidden)]
    pub fn declared_text<E: From<UnexpectedResponse>>(self, variant: impl FnOnce(ErrorResponse<String>) -> E) -> E {
        self.text_error().map_or_else(E::from, variant)
    }

    /// A declared error status whose body is ignored.
    #[doc(hidden)]
    pub fn empty_error(self) -> ErrorResponse<()> {
        self.declared(())
    }

    /// A response the operation does not declare.
    #[doc(hidden)]
    pub fn unexpected(self) -> UnexpectedResponse {
        let attempts = self.attempts;
        let mut unexpected = UnexpectedResponse::new(self.status, self.headers, self.body);
        unexpected.0.attempts = attempts;
        unexpected
    }

    fn declared<T>(self, body: T) -> ErrorResponse<T> {
        let mut declared = ErrorResponse::new(self.status, self.headers, body, &self.body);
        declared.0.attempts = self.attempts;
        declared
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
        assert_eq!(cut.chars().count(), super::super::excerpt::EXCERPT_CHARS);
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
        assert_eq!(unexpected.to_string(), "unexpected response 500 Internal Server Error: boom");
        assert_eq!(unexpected.body_text(), "boom");
    }

    #[test]
    fn the_media_type_is_the_content_types_essence() {
        let with = |value: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(reqwest::header::CONTENT_TYPE, HeaderValue::from_static(value));
            RawResponse::new(StatusCode::NOT_FOUND, headers, Bytes::new()).media_type()
        };
        assert_eq!(with("Application/Problem+JSON; charset=utf-8").as_deref(), Some("application/problem+json"));
        assert_eq!(with(" text/plain ").as_deref(), Some("text/plain"));
        assert_eq!(with("; charset=utf-8"), None);
        assert_eq!(raw(404, b"").media_type(), None);
    }

    #[test]
    fn a_declared_status_with_another_body_is_unexpected() {
        let html = raw(403, b"<html>denied</html>").json_error::<serde_json::Map<String, serde_json::Value>>();
        assert!(
            matches!(html, Err(ref e) if e.status() == StatusCode::FORBIDDEN && e.body() == b"<html>denied</html>")
        );
        assert!(raw(403, b"\xff").text_error().is_err());
    }

    #[test]
    fn server_words() {
        let words = |body: &[u8]| ServerWords::read(body).summary();
        assert_eq!(words(br#"{"error":"NotPermitted","detail":"No."}"#).as_deref(), Some("NotPermitted: No."));
        assert_eq!(words(br#"{"detail":"Not Found"}"#).as_deref(), Some("Not Found"));
        let validation = br#"{"detail":[{"loc":["query","limit"],"msg":"must be > 0","type":"x"},{"msg":"bad"}]}"#;
        assert_eq!(words(validation).as_deref(), Some("query.limit: must be > 0; bad"));
        assert_eq!(words(br#"{"error":{"code":404,"message":"gone"}}"#).as_deref(), Some("404: gone"));
        assert_eq!(words(br#"{"title":"Bad Request"}"#).as_deref(), Some("Bad Request"));
        assert_eq!(words(b"<html>"), None);
        assert_eq!(words(b"[1]"), None);
        let declared = raw(403, br#"{"error":"AlreadyCanceledSubscription","detail":"Already canceled."}"#)
            .json_error::<serde_json::Value>();
        let Ok(declared) = declared else { panic!("declared body") };
        assert_eq!(
            declared.to_string(),
            "server returned 403 Forbidden: AlreadyCanceledSubscription: Already canceled."
        );
        assert_eq!(declared.code(), Some("AlreadyCanceledSubscription"));
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
