// Runtime support for generated clients: copied verbatim into each generated crate.

//! Building requests: path segments, query and header parameters, bodies, per-call options.

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, COOKIE};
use reqwest::Method;
use serde::Serialize;
use serde_json::Value;

use super::credential::Credential;
use super::error::Failure;
use super::percent::encode;
use super::retry::RetryPolicy;
use super::upload::Upload;

fn to_json(value: &impl Serialize, what: &str) -> Result<Value, Failure> {
    super::json::to_value(value)
        .map_err(|err| Failure::invalid_request(format!("{what} could not be serialized: {err}")))
}

/// The text of a scalar; `None` for `null`. Nested arrays and objects, which
/// OpenAPI's styles do not define, fall back to their JSON text.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text.clone()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Number(number) => Some(number.to_string()),
        Value::Array(_) | Value::Object(_) => Some(value.to_string()),
    }
}

/// Encoded texts of an array's elements (nulls skipped) or an object's
/// `key, value` pairs flattened (null properties skipped), for "simple"/non-exploded styles.
fn flat_encoded(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items.iter().filter_map(scalar_text).map(|t| encode(&t)).collect(),
        Value::Object(map) => map
            .iter()
            .filter_map(|(key, value)| scalar_text(value).map(|text| [encode(key), encode(&text)]))
            .flatten()
            .collect(),
        scalar => scalar_text(scalar).map(|t| encode(&t)).into_iter().collect(),
    }
}

/// The JSON text of a parameter described by `content: application/json`; `None` for `null`.
pub fn json_text(value: &impl Serialize) -> Result<Option<String>, Failure> {
    let value = to_json(value, "a JSON parameter")?;
    Ok((!value.is_null()).then(|| value.to_string()))
}

/// Encodes one path parameter as a single path segment ("simple" style).
///
/// Scalars become their text, arrays join their elements with `,`, objects
/// join `key,value` pairs. Every character outside RFC 3986 unreserved is
/// percent-encoded (including `/`, `?`, `#` and `%`). Values that are null,
/// empty, `.` or `..` are refused, since they would change which resource
/// the path names.
pub fn path_segment(value: &impl Serialize) -> Result<String, Failure> {
    let value = to_json(value, "a path parameter")?;
    if value.is_null() {
        return Err(Failure::invalid_request("a path parameter is null"));
    }
    let segment = flat_encoded(&value).join(",");
    match segment.as_str() {
        "" => Err(Failure::invalid_request("a path parameter is empty")),
        "." | ".." => Err(Failure::invalid_request("a path parameter is `.` or `..`")),
        _ => Ok(segment),
    }
}

/// How a query parameter is serialized (OpenAPI `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum QueryStyle {
    /// `name=a&name=b` (explode) or `name=a,b`; the OpenAPI default.
    #[default]
    Form,
    /// Arrays joined with spaces (`%20`) when not exploded.
    SpaceDelimited,
    /// Arrays joined with `|` when not exploded.
    PipeDelimited,
    /// Objects as `name[prop]=value`.
    DeepObject,
}

impl QueryStyle {
    fn delimiter(self) -> &'static str {
        match self {
            QueryStyle::Form | QueryStyle::DeepObject => ",",
            QueryStyle::SpaceDelimited => "%20",
            QueryStyle::PipeDelimited => "|",
        }
    }
}

/// `name[a][b]=v` pairs for a deepObject value; arrays repeat the key.
fn deep_object(key: String, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (prop, value) in map {
                deep_object(format!("{key}[{}]", encode(prop)), value, out);
            }
        }
        Value::Array(items) => {
            for item in items {
                deep_object(key.clone(), item, out);
            }
        }
        scalar => out.extend(scalar_text(scalar).map(|text| (key, encode(&text)))),
    }
}

/// `key[prop]=v` and `key[0]=v` pairs (not yet encoded) for a nested form value.
fn brackets(key: String, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (prop, value) in map {
                brackets(format!("{key}[{prop}]"), value, out);
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                brackets(format!("{key}[{index}]"), item, out);
            }
        }
        scalar => out.extend(scalar_text(scalar).map(|text| (key, text))),
    }
}

/// A request body: bytes ready to send again on a retry (cheap to clone), or a stream sent once.
#[derive(Clone)]
pub(crate) struct Body {
    pub(crate) data: Upload,
    pub(crate) content_type: String,
}

/// A bound the document sets on a number: the value and whether it is exclusive.
pub type Bound = Option<(f64, bool)>;

/// Refuses a parameter value outside `min`/`max` (each `(value, exclusive)`),
/// before anything is sent. `None` and non-numbers pass; array elements are
/// checked one by one.
pub fn check_range(name: &str, value: &impl Serialize, min: Bound, max: Bound) -> Result<(), Failure> {
    fn check(name: &str, value: &Value, min: Bound, max: Bound) -> Result<(), Failure> {
        match value {
            Value::Array(items) => items.iter().try_for_each(|item| check(name, item, min, max)),
            Value::Number(number) => {
                let Some(n) = number.as_f64() else { return Ok(()) };
                let below = min.is_some_and(|(min, exclusive)| if exclusive { n <= min } else { n < min });
                let above = max.is_some_and(|(max, exclusive)| if exclusive { n >= max } else { n > max });
                if below || above {
                    let mut allowed = Vec::new();
                    if let Some((min, exclusive)) = min {
                        allowed.push(format!("{} {min}", if exclusive { ">" } else { ">=" }));
                    }
                    if let Some((max, exclusive)) = max {
                        allowed.push(format!("{} {max}", if exclusive { "<" } else { "<=" }));
                    }
                    let message = format!("`{name}` is {number}, but the API requires {}", allowed.join(" and "));
                    return Err(Failure::invalid_request(message));
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
    check(name, &to_json(value, &format!("`{name}`"))?, min, max)
}

/// Percent-encodes what a cookie value cannot hold (RFC 6265 `cookie-octet`, plus `%` itself);
/// the form style's `,` separators stay.
fn cookie_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b',' => out.push(','),
            0x21 | 0x23..=0x24 | 0x26..=0x2B | 0x2D..=0x3A | 0x3C..=0x5B | 0x5D..=0x7E => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// One HTTP request as the generated operation describes it; the client adds
/// the base URL, credentials, user agent, timeouts and retries.
#[derive(Clone)]
pub struct Request {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) operation_id: &'static str,
    pub(crate) security: &'static [&'static [&'static str]],
    /// Already percent-encoded `(name, value)` pairs.
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Option<Body>,
}

impl Request {
    /// A request for `path` (already encoded, e.g. with [`path_segment`],
    /// relative to the base URL and starting with `/`).
    ///
    /// `security` lists alternatives; each alternative names the schemes that
    /// must all be applied. An empty list means no authentication; an empty
    /// alternative means anonymous access is allowed.
    pub fn new(
        method: Method,
        path: String,
        operation_id: &'static str,
        security: &'static [&'static [&'static str]],
    ) -> Self {
        Request { method, path, operation_id, security, query: Vec::new(), headers: HeaderMap::new(), body: None }
    }

    /// The HTTP method.
    pub fn method(&self) -> &Method {
        &self.method
    }

    /// The path, relative to the base URL.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The OpenAPI operation id.
    pub fn operation_id(&self) -> &'static str {
        self.operation_id
    }

    /// Adds a query parameter in OpenAPI's default style for queries, `form` with `explode`:
    /// arrays repeat the name, objects give one pair per property (see [`Request::query_styled`]).
    pub fn query(&mut self, name: &str, value: &impl Serialize) -> Result<(), Failure> {
        self.query_styled(name, value, QueryStyle::Form, true)
    }

    /// Adds a query parameter in the given style.
    ///
    /// `null` (and `None`) adds nothing, as do empty arrays and objects.
    /// Arrays: exploded they repeat the name (`id=1&id=2`); otherwise they
    /// join with `,` (form), `%20` (spaceDelimited) or `|` (pipeDelimited).
    /// Objects: form + explode gives one pair per property; deepObject gives
    /// `name[prop]=value`; otherwise `name=k1,v1,k2,v2` with the style's delimiter.
    /// Names and values are percent-encoded; delimiters are not.
    pub fn query_styled(
        &mut self,
        name: &str,
        value: &impl Serialize,
        style: QueryStyle,
        explode: bool,
    ) -> Result<(), Failure> {
        let value = to_json(value, &format!("query parameter `{name}`"))?;
        let key = encode(name);
        match (&value, style) {
            (Value::Null, _) => {}
            (Value::Object(_), QueryStyle::DeepObject) => deep_object(key, &value, &mut self.query),
            (Value::Object(map), _) if explode => {
                for (prop, value) in map {
                    if let Some(text) = scalar_text(value) {
                        self.query.push((encode(prop), encode(&text)));
                    }
                }
            }
            (Value::Array(items), _) if explode => {
                for text in items.iter().filter_map(scalar_text) {
                    self.query.push((key.clone(), encode(&text)));
                }
            }
            (Value::Array(_) | Value::Object(_), _) => {
                let parts = flat_encoded(&value);
                if !parts.is_empty() {
                    self.query.push((key, parts.join(style.delimiter())));
                }
            }
            (scalar, _) => {
                if let Some(text) = scalar_text(scalar) {
                    self.query.push((key, encode(&text)));
                }
            }
        }
        Ok(())
    }

    /// Sets a header parameter ("simple" style: arrays and objects join with `,`).
    ///
    /// `null` (and `None`) sets nothing. A value that is not a valid header
    /// value (e.g. contains a newline or non-ASCII text) is refused.
    pub fn header(&mut self, name: &'static str, value: &impl Serialize) -> Result<(), Failure> {
        let value = to_json(value, &format!("header `{name}`"))?;
        let text = match &value {
            Value::Null => return Ok(()),
            Value::Array(items) => items.iter().filter_map(scalar_text).collect::<Vec<_>>().join(","),
            Value::Object(map) => map
                .iter()
                .filter_map(|(key, value)| scalar_text(value).map(|text| format!("{key},{text}")))
                .collect::<Vec<_>>()
                .join(","),
            scalar => scalar_text(scalar).unwrap_or_default(),
        };
        let header_name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| Failure::invalid_request(format!("`{name}` is not a valid header name")))?;
        // The value is not echoed: header parameters can carry tokens.
        let header_value = HeaderValue::from_str(&text).map_err(|_| {
            Failure::invalid_request(format!("the value of header `{name}` is not a valid header value"))
        })?;
        self.headers.insert(header_name, header_value);
        Ok(())
    }

    /// Sets the `Accept` header: the media type the caller reads (of several the operation offers).
    pub fn accept(&mut self, media_type: &'static str) {
        if let Ok(value) = HeaderValue::from_str(media_type) {
            self.headers.insert(reqwest::header::ACCEPT, value);
        }
    }

    /// Adds a cookie parameter to the `Cookie` header, as `name=value` ("form" style: arrays and
    /// objects join with `,`).
    ///
    /// `null` (and `None`) adds nothing. Bytes a cookie value cannot hold (space, `"`, `;`, `\`,
    /// and non-ASCII) are percent-encoded.
    pub fn cookie(&mut self, name: &'static str, value: &impl Serialize) -> Result<(), Failure> {
        let value = to_json(value, &format!("cookie `{name}`"))?;
        let text = match &value {
            Value::Null => return Ok(()),
            Value::Array(items) => items.iter().filter_map(scalar_text).collect::<Vec<_>>().join(","),
            Value::Object(map) => map
                .iter()
                .filter_map(|(key, value)| scalar_text(value).map(|text| format!("{key},{text}")))
                .collect::<Vec<_>>()
                .join(","),
            scalar => scalar_text(scalar).unwrap_or_default(),
        };
        let pair = format!("{name}={}", cookie_encode(&text));
        let cookie = match self.headers.get(COOKIE).map(HeaderValue::as_bytes) {
            Some(existing) => [existing, b"; ", pair.as_bytes()].concat(),
            None => pair.into_bytes(),
        };
        let value = HeaderValue::from_bytes(&cookie)
            .map_err(|_| Failure::invalid_request(format!("cookie `{name}` is not a valid cookie")))?;
        self.headers.insert(COOKIE, value);
        Ok(())
    }

    /// Sets a JSON body with its content type (`application/json`, or another JSON media type such
    /// as `application/merge-patch+json`).
    pub fn json_body(&mut self, value: &impl Serialize, content_type: &str) -> Result<(), Failure> {
        let bytes = super::json::to_vec(value)
            .map_err(|err| Failure::invalid_request(format!("the request body could not be serialized: {err}")))?;
        self.body = Some(Body { data: Upload::from(bytes), content_type: content_type.to_string() });
        Ok(())
    }

    /// Sets an `application/x-www-form-urlencoded` body from an object's properties.
    ///
    /// `encodings` gives `(property, style, explode, json)` for the properties the document sets an
    /// `encoding` for; the others are `form` and exploded. Scalars are `name=value`; arrays of scalars
    /// repeat the name (exploded), or join with the style's delimiter; objects, and arrays that hold
    /// objects or arrays, use brackets (`metadata[key]=v`, `items[0][price]=p`, as Stripe's and Twilio's
    /// APIs read them); a `json` property is sent as JSON text. `null` properties are left out.
    pub fn form_body(
        &mut self,
        value: &impl Serialize,
        encodings: &[(&str, QueryStyle, bool, bool)],
    ) -> Result<(), Failure> {
        let Value::Object(map) = to_json(value, "the request body")? else {
            return Err(Failure::invalid_request("a form body must be an object"));
        };
        let mut form = form_urlencoded::Serializer::new(String::new());
        for (name, value) in &map {
            let (style, explode, json) = encodings
                .iter()
                .find(|(property, ..)| property == name)
                .map_or((QueryStyle::Form, true, false), |(_, style, explode, json)| (*style, *explode, *json));
            let scalars = |items: &[Value]| items.iter().all(|item| !item.is_array() && !item.is_object());
            match value {
                Value::Null => {}
                _ if json => {
                    form.append_pair(name, &value.to_string());
                }
                Value::Array(items) if scalars(items) && style != QueryStyle::DeepObject => {
                    let texts = items.iter().filter_map(scalar_text);
                    if explode {
                        for text in texts {
                            form.append_pair(name, &text);
                        }
                    } else {
                        let delimiter = match style {
                            QueryStyle::SpaceDelimited => " ",
                            QueryStyle::PipeDelimited => "|",
                            _ => ",",
                        };
                        form.append_pair(name, &texts.collect::<Vec<_>>().join(delimiter));
                    }
                }
                Value::Object(map) if style == QueryStyle::Form && !explode => {
                    let pairs = map.iter().filter_map(|(k, v)| scalar_text(v).map(|t| format!("{k},{t}")));
                    form.append_pair(name, &pairs.collect::<Vec<_>>().join(","));
                }
                Value::Array(_) | Value::Object(_) => {
                    let mut pairs = Vec::new();
                    brackets(name.clone(), value, &mut pairs);
                    for (key, text) in pairs {
                        form.append_pair(&key, &text);
                    }
                }
                scalar => {
                    if let Some(text) = scalar_text(scalar) {
                        form.append_pair(name, &text);
                    }
                }
            }
        }
        let content_type = "application/x-www-form-urlencoded".to_string();
        self.body = Some(Body { data: Upload::from(form.finish()), content_type });
        Ok(())
    }

    /// Sets a `multipart/form-data` body; it fails when a streamed file was already sent.
    pub fn multipart_body(&mut self, form: super::multipart::Multipart) -> Result<(), Failure> {
        let (data, content_type) = form.finish()?;
        self.body = Some(Body { data, content_type });
        Ok(())
    }

    /// Sets a text body with the given content type.
    pub fn text_body(&mut self, text: String, content_type: &str) {
        self.body = Some(Body { data: Upload::from(text), content_type: content_type.to_string() });
    }

    /// Sets a binary body, bytes or a stream, with the given content type.
    pub fn bytes_body(&mut self, data: Upload, content_type: &str) {
        self.body = Some(Body { data, content_type: content_type.to_string() });
    }
}

/// Shows names only: values of query parameters and headers may be sensitive.
impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let query: Vec<&str> = self.query.iter().map(|(name, _)| name.as_str()).collect();
        let headers: Vec<&str> = self.headers.keys().map(HeaderName::as_str).collect();
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("path", &self.path)
            .field("operation_id", &self.operation_id)
            .field("query", &query)
            .field("headers", &headers)
            .field("body_len", &self.body.as_ref().and_then(|body| body.data.len()))
            .finish()
    }
}

/// Per-call overrides of the client's settings.
#[derive(Clone, Default)]
pub struct CallOptions {
    /// Replaces the client's [`RetryPolicy`] for this call.
    pub retry: Option<RetryPolicy>,
    /// Replaces the client's per-attempt timeout for this call.
    pub timeout: Option<Duration>,
    /// Replaces the client's deadline for the whole call, retries included.
    pub deadline: Option<Duration>,
    /// Credentials by security scheme, replacing the client's for this call.
    pub credentials: Vec<(&'static str, Credential)>,
    /// Extra headers, sent after (and so replacing) the generated ones.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// The first extra header that was not valid; the call fails with it before sending.
    pub invalid: Option<String>,
}

impl CallOptions {
    /// No overrides.
    pub fn new() -> Self {
        CallOptions::default()
    }

    /// Uses this retry policy for the call.
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Uses this per-attempt timeout for the call.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Uses this credential for `scheme` in the call.
    pub fn credential(&mut self, scheme: &'static str, credential: Credential) {
        self.credentials.retain(|(name, _)| *name != scheme);
        self.credentials.push((scheme, credential));
    }

    /// Adds an extra header; an invalid name or value fails the call before anything is sent.
    pub fn header(&mut self, name: &str, value: &str) {
        let header = HeaderName::from_bytes(name.as_bytes()).ok().zip(HeaderValue::from_str(value).ok());
        match header {
            Some(header) => self.headers.push(header),
            None if self.invalid.is_none() => {
                // The value is not echoed: headers can carry tokens.
                self.invalid = Some(format!("the extra header `{}` is not a valid HTTP header", name.escape_debug()));
            }
            None => {}
        }
    }
}

/// Shows header names only: their values may be secrets.
impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        let credentials: Vec<&str> = self.credentials.iter().map(|(scheme, _)| *scheme).collect();
        f.debug_struct("CallOptions")
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("credentials", &credentials)
            .field("headers", &headers)
            .field("invalid", &self.invalid)
            .finish()
    }
}

/// The per-call setters every request builder has (its `options` field holds them).
// A crate without operations has no builder to use it.
#[allow(unused_macros)]
macro_rules! call_options {
    () => {
        /// Overrides the client's retry policy for this call.
        pub fn retry_policy(mut self, policy: crate::runtime::RetryPolicy) -> Self {
            self.options.retry = Some(policy);
            self
        }
        /// Overrides the client's time limit per attempt for this call.
        pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
            self.options.timeout = Some(timeout);
            self
        }
        /// Overrides the client's deadline for this whole call, retries and waits included.
        pub fn deadline(mut self, deadline: ::std::time::Duration) -> Self {
            self.options.deadline = Some(deadline);
            self
        }
        /// Adds a header to this call, replacing a generated one of the same name.
        /// An invalid name or value fails the call with `InvalidRequest` before anything is sent.
        pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
            self.options.header(name.as_ref(), value.as_ref());
            self
        }
    };
}
#[allow(unused_imports)]
pub(crate) use call_options;

/// `send()` for a request builder that is not paginated: async on `Builder` (`Builder<Async>`),
/// blocking on `Builder<Blocking>`, both through [`ClientCore::perform`](crate::runtime::ClientCore::perform)
/// with the builder's private `request()` and `read()`.
// A crate without operations has no builder to use it.
#[allow(unused_macros)]
macro_rules! sends {
    // A runtime type (`runtime::Parts`): prettyplease would print `crate::` in an argument as `crate ::`.
    ($builder:ident, runtime::$success:ident, $error:ty) => {
        crate::runtime::sends!($builder, crate::runtime::$success, $error);
    };
    ($builder:ident, $success:ty, $error:ty) => {
        impl $builder {
            /// Sends the request and decodes the response.
            pub async fn send(self) -> Result<crate::runtime::Response<$success>, $error> {
                self.core.perform(self.request(), &self.options, Self::read).await
            }
        }

        #[cfg(feature = "blocking")]
        impl $builder<crate::runtime::Blocking> {
            /// Sends the request and decodes the response, blocking the calling thread.
            pub fn send(self) -> Result<crate::runtime::Response<$success>, $error> {
                self.core.block_on(self.core.perform(self.request(), &self.options, Self::read))
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use sends;

/// `send_as_*()` for another success media type than the default: async on `Builder`, blocking on
/// `Builder<Blocking>`, through the builder's private `execute_as_*()`, which asks for that media
/// type and reads it.
// Only operations with several success media types use it.
#[allow(unused_macros)]
macro_rules! sends_as {
    ($builder:ident, $send:ident, $execute:ident, $media:literal, runtime::$success:ident, $error:ty) => {
        crate::runtime::sends_as!($builder, $send, $execute, $media, crate::runtime::$success, $error);
    };
    ($builder:ident, $send:ident, $execute:ident, $media:literal, $success:ty, $error:ty) => {
        impl $builder {
            #[doc = concat!("Sends the request asking for `", $media, "` (`Accept`) in place of the default, and reads that.")]
            pub async fn $send(self) -> Result<crate::runtime::Response<$success>, $error> {
                self.$execute().await
            }
        }

        #[cfg(feature = "blocking")]
        impl $builder<crate::runtime::Blocking> {
            #[doc = concat!("Sends the request asking for `", $media, "` (`Accept`) in place of the default, and reads that.")]
            pub fn $send(self) -> Result<crate::runtime::Response<$success>, $error> {
                let core = self.core.clone();
                core.block_on(self.$execute())
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use sends_as;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn query_of(value: &impl Serialize, style: QueryStyle, explode: bool) -> String {
        let mut request = Request::new(Method::GET, "/".into(), "op", &[]);
        assert!(request.query_styled("q", value, style, explode).is_ok());
        request.query.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&")
    }

    #[test]
    fn query_scalars_and_null() {
        assert_eq!(query_of(&"a b&c=d", QueryStyle::Form, true), "q=a%20b%26c%3Dd");
        assert_eq!(query_of(&42, QueryStyle::Form, true), "q=42");
        assert_eq!(query_of(&true, QueryStyle::Form, false), "q=true");
        assert_eq!(query_of(&Option::<u8>::None, QueryStyle::Form, true), "");
        assert_eq!(query_of(&Vec::<u8>::new(), QueryStyle::Form, false), "");
    }

    #[test]
    fn query_arrays() {
        let ids = vec!["a", "b,c"];
        assert_eq!(query_of(&ids, QueryStyle::Form, true), "q=a&q=b%2Cc");
        assert_eq!(query_of(&ids, QueryStyle::Form, false), "q=a,b%2Cc");
        assert_eq!(query_of(&ids, QueryStyle::SpaceDelimited, false), "q=a%20b%2Cc");
        assert_eq!(query_of(&ids, QueryStyle::PipeDelimited, false), "q=a|b%2Cc");
        assert_eq!(query_of(&vec![Some(1), None], QueryStyle::Form, true), "q=1");
    }

    #[test]
    fn query_objects() {
        let mut map = BTreeMap::new();
        map.insert("r", 100);
        map.insert("g", 200);
        assert_eq!(query_of(&map, QueryStyle::Form, true), "g=200&r=100");
        assert_eq!(query_of(&map, QueryStyle::Form, false), "q=g,200,r,100");
        assert_eq!(query_of(&map, QueryStyle::DeepObject, true), "q[g]=200&q[r]=100");
        let nested = serde_json::json!({"a": {"b": 1}, "c": [1, 2], "d": null});
        assert_eq!(query_of(&nested, QueryStyle::DeepObject, true), "q[a][b]=1&q[c]=1&q[c]=2");
    }

    #[test]
    fn path_segments() {
        assert!(matches!(path_segment(&"a/b?c#d%e f").as_deref(), Ok("a%2Fb%3Fc%23d%25e%20f")));
        assert!(matches!(path_segment(&"AZaz09-._~").as_deref(), Ok("AZaz09-._~")));
        assert!(matches!(path_segment(&7u64).as_deref(), Ok("7")));
        assert!(matches!(path_segment(&vec![1, 2]).as_deref(), Ok("1,2")));
        assert!(matches!(path_segment(&"é").as_deref(), Ok("%C3%A9")));
        for bad in ["", ".", ".."] {
            assert!(matches!(path_segment(&bad), Err(Failure::InvalidRequest(_))), "{bad:?}");
        }
        assert!(path_segment(&Option::<u8>::None).is_err());
        assert!(path_segment(&"...").is_ok());
    }

    #[test]
    fn headers() {
        let mut request = Request::new(Method::GET, "/".into(), "op", &[]);
        assert!(request.header("X-Ids", &vec![1, 2]).is_ok());
        assert!(request.header("X-None", &Option::<u8>::None).is_ok());
        assert_eq!(request.headers.get("x-ids").map(HeaderValue::as_bytes), Some(&b"1,2"[..]));
        assert!(!request.headers.contains_key("x-none"));
        assert!(request.header("X-Bad", &"a\nb").is_err());
        assert!(request.header("Bad Name", &"a").is_err());
    }

    fn form_of(value: Value, encodings: &[(&str, QueryStyle, bool, bool)]) -> String {
        let mut request = Request::new(Method::POST, "/".into(), "op", &[]);
        assert!(request.form_body(&value, encodings).is_ok());
        let body = request.body.expect("a body");
        assert_eq!(body.content_type, "application/x-www-form-urlencoded");
        String::from_utf8(body.data.as_bytes().expect("in memory").to_vec()).expect("utf-8")
    }

    #[test]
    fn form_bodies() {
        let value = serde_json::json!({
            "amount": 2000,
            "currency": "eur",
            "note": "a b&c=d",
            "capture": true,
            "skip": null,
            "expand": ["customer", "invoice"],
            "metadata": { "order_id": "6735", "empty": null },
            "items": [{ "price": "price_1", "quantity": 2 }, { "price": "price_2" }],
        });
        assert_eq!(
            form_of(value, &[]),
            "amount=2000&currency=eur&note=a+b%26c%3Dd&capture=true&expand=customer&expand=invoice\
             &metadata%5Border_id%5D=6735&items%5B0%5D%5Bprice%5D=price_1&items%5B0%5D%5Bquantity%5D=2\
             &items%5B1%5D%5Bprice%5D=price_2"
        );
        let tags = serde_json::json!({ "tags": ["a", "b"], "filter": { "x": 1 }, "meta": { "k": [1] } });
        let encodings = [
            ("tags", QueryStyle::PipeDelimited, false, false),
            ("filter", QueryStyle::Form, false, false),
            ("meta", QueryStyle::Form, true, true),
        ];
        assert_eq!(form_of(tags, &encodings), "tags=a%7Cb&filter=x%2C1&meta=%7B%22k%22%3A%5B1%5D%7D");
        let deep = serde_json::json!({ "ids": [1, 2] });
        assert_eq!(form_of(deep, &[("ids", QueryStyle::DeepObject, true, false)]), "ids%5B0%5D=1&ids%5B1%5D=2");
        let mut request = Request::new(Method::POST, "/".into(), "op", &[]);
        assert!(request.form_body(&"text", &[]).is_err());
    }

    #[test]
    fn ranges() {
        let positive = Some((0.0, true));
        assert!(check_range("limit", &Some(1u64), positive, None).is_ok());
        assert!(check_range("limit", &Option::<u64>::None, positive, None).is_ok());
        let zero = check_range("limit", &Some(0u64), positive, None);
        assert!(
            matches!(&zero, Err(Failure::InvalidRequest(e)) if e.message() == "`limit` is 0, but the API requires > 0"),
            "{zero:?}"
        );
        assert!(check_range("n", &5, Some((1.0, false)), Some((5.0, false))).is_ok());
        assert!(check_range("n", &5, None, Some((5.0, true))).is_err());
        assert!(check_range("n", &vec![1, 9], None, Some((5.0, false))).is_err());
    }

    #[test]
    fn extra_headers() {
        let mut options = CallOptions::new();
        options.header("X-Trace", "abc");
        assert_eq!(options.headers.len(), 1);
        assert!(options.invalid.is_none());
        options.header("X-Bad", "a\nb");
        assert!(options.invalid.as_deref().is_some_and(|m| m.contains("X-Bad") && !m.contains('\n')));
        options.header("x-secret", "hunter2");
        assert!(!format!("{options:?}").contains("hunter2"));
    }

    #[test]
    fn debug_hides_values() {
        let mut request = Request::new(Method::GET, "/".into(), "op", &[]);
        assert!(request.query("token", &"hunter2").is_ok());
        assert!(request.header("x-secret", &"hunter2").is_ok());
        assert!(!format!("{request:?}").contains("hunter2"));
    }
}
