// Runtime support for generated clients: copied verbatim into each generated crate.

//! The shared client: configuration, credentials, and `execute` with timeouts and retries.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use reqwest::Url;

use super::error::{BuildError, Failure, InvalidRequestError, TimeoutError, TransportError};
use super::request::{encode, CallOptions, Request};
use super::response::RawResponse;
use super::retry::{is_retryable_status, RetryPolicy};

/// How a credential is attached. Header secrets are `HeaderValue`s marked
/// sensitive (so `HeaderMap`'s own `Debug` and HTTP/2 HPACK treat them as secret).
#[derive(Clone)]
enum Secret {
    /// Sets `Authorization` (bearer or basic).
    Authorization(HeaderValue),
    /// Sets a named header.
    Header(HeaderName, HeaderValue),
    /// Adds a query pair (both parts already percent-encoded).
    Query(String, String),
    /// The input could not be turned into a header; refused by `ClientCore::new`.
    Invalid,
}

/// A secret for one security scheme. Its `Debug` output never shows the secret.
///
/// The constructors never fail; a name or secret that cannot be sent in an
/// HTTP header (e.g. containing a newline) makes [`ClientCore::new`] return
/// [`BuildError::InvalidCredential`].
#[derive(Clone)]
pub struct Credential(Secret);

fn sensitive(text: &str) -> Option<HeaderValue> {
    let mut value = HeaderValue::from_str(text).ok()?;
    value.set_sensitive(true);
    Some(value)
}

impl Credential {
    /// `Authorization: Bearer <token>` (HTTP bearer scheme, also used for OAuth2/OpenID Connect tokens).
    pub fn bearer(token: impl AsRef<str>) -> Self {
        let secret = sensitive(&format!("Bearer {}", token.as_ref()));
        Credential(secret.map_or(Secret::Invalid, Secret::Authorization))
    }

    /// `Authorization: Basic <base64(user:password)>` (HTTP basic scheme).
    pub fn basic(user: impl AsRef<str>, password: impl AsRef<str>) -> Self {
        let pair = format!("{}:{}", user.as_ref(), password.as_ref());
        let secret = sensitive(&format!("Basic {}", base64(pair.as_bytes())));
        Credential(secret.map_or(Secret::Invalid, Secret::Authorization))
    }

    /// An API key sent in the header `name`.
    pub fn api_key_header(name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        let name = HeaderName::from_bytes(name.as_ref().as_bytes()).ok();
        match (name, sensitive(value.as_ref())) {
            (Some(name), Some(value)) => Credential(Secret::Header(name, value)),
            _ => Credential(Secret::Invalid),
        }
    }

    /// An API key sent as the query parameter `name`.
    ///
    /// Query strings end up in server and proxy logs; prefer a header scheme
    /// when the API offers one.
    pub fn api_key_query(name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        Credential(Secret::Query(encode(name.as_ref()), encode(value.as_ref())))
    }

    fn kind(&self) -> &'static str {
        match &self.0 {
            Secret::Authorization(_) => "authorization",
            Secret::Header(..) => "api_key_header",
            Secret::Query(..) => "api_key_query",
            Secret::Invalid => "invalid",
        }
    }
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only the kind and, for API keys, where it goes; never the secret.
        let mut out = f.debug_struct("Credential");
        out.field("kind", &self.kind());
        match &self.0 {
            Secret::Header(name, _) => out.field("header", &name.as_str()),
            Secret::Query(name, _) => out.field("query", name),
            Secret::Authorization(_) | Secret::Invalid => &mut out,
        };
        out.finish_non_exhaustive()
    }
}

/// Standard base64 with padding (RFC 4648), for basic auth.
fn base64(input: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(TABLE[((n >> shift) & 0x3f) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Everything a client needs; build one with [`ClientCore::new`].
///
/// Defaults ([`ClientConfig::default`]): no base URL (set one: an empty URL
/// is refused), a `reqwest::Client` built by the runtime, no credentials,
/// [`RetryPolicy::default`], a 30 s per-attempt timeout, and the user agent
/// `<crate name>/<crate version>`.
#[derive(Clone)]
pub struct ClientConfig {
    /// Base URL (http or https), e.g. `https://api.example.com/v1`. A trailing
    /// `/` is removed; user info, a query or a fragment are refused.
    pub base_url: String,
    /// An HTTP client to use as is (its own timeouts, proxies, TLS and
    /// redirect settings apply). When `None` one is built that follows
    /// redirects only within the same origin (at most 10), so credentials
    /// never reach another host; other redirects are returned as responses.
    pub http: Option<reqwest::Client>,
    /// Credentials by security scheme name (as in the OpenAPI document).
    pub credentials: BTreeMap<&'static str, Credential>,
    /// Retry policy for every call unless [`CallOptions::retry`] overrides it.
    pub retry: RetryPolicy,
    /// Per-attempt timeout (connect, send and read the whole body), unless
    /// [`CallOptions::timeout`] overrides it; `None` means no timeout.
    pub timeout: Option<Duration>,
    /// Sent as `User-Agent` on every request (omitted when empty).
    pub user_agent: String,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            base_url: String::new(),
            http: None,
            credentials: BTreeMap::new(),
            retry: RetryPolicy::default(),
            timeout: Some(Duration::from_secs(30)),
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")).to_string(),
        }
    }
}

impl ClientConfig {
    /// The defaults with this base URL.
    pub fn new(base_url: impl Into<String>) -> Self {
        ClientConfig { base_url: base_url.into(), ..ClientConfig::default() }
    }

    /// Adds (or replaces) the credential for security scheme `scheme`.
    pub fn credential(mut self, scheme: &'static str, credential: Credential) -> Self {
        self.credentials.insert(scheme, credential);
        self
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("base_url", &self.base_url)
            .field("http", &self.http.as_ref().map(|_| "custom reqwest::Client"))
            .field("credentials", &self.credentials)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

struct Inner {
    base_url: String,
    http: reqwest::Client,
    credentials: BTreeMap<&'static str, Credential>,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    user_agent: Option<HeaderValue>,
}

/// The shared part of a generated client: cheap to clone (an `Arc` inside).
#[derive(Clone)]
pub struct ClientCore {
    inner: Arc<Inner>,
}

impl fmt::Debug for ClientCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCore")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &self.inner.credentials)
            .field("retry", &self.inner.retry)
            .field("timeout", &self.inner.timeout)
            .field("user_agent", &self.inner.user_agent)
            .finish_non_exhaustive()
    }
}

fn check_base_url(base_url: &str) -> Result<String, BuildError> {
    let trimmed = base_url.trim().trim_end_matches('/');
    let url = Url::parse(trimmed).map_err(|_| BuildError::InvalidBaseUrl("it does not parse"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(BuildError::InvalidBaseUrl("the scheme is not http or https"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // Would leak through Debug and logs; use a Credential instead.
        return Err(BuildError::InvalidBaseUrl("user info is not allowed; use a Credential"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(BuildError::InvalidBaseUrl("a query or fragment is not allowed"));
    }
    Ok(trimmed.to_string())
}

/// Follows at most 10 redirects, and only within the original origin:
/// reqwest drops `Authorization` on a cross-host redirect, but not API-key
/// headers, so a redirect elsewhere is returned as a response instead.
fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let same_origin = attempt.previous().first().is_some_and(|first| first.origin() == attempt.url().origin());
        if attempt.previous().len() > 10 {
            attempt.error("too many redirects")
        } else if same_origin {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

impl ClientCore {
    /// Checks the configuration and builds the client.
    ///
    /// Refuses a base URL that does not parse, is not http(s), or carries
    /// user info, a query or a fragment; an invalid user agent; and
    /// credentials that cannot be sent as headers.
    pub fn new(config: ClientConfig) -> Result<ClientCore, BuildError> {
        let base_url = check_base_url(&config.base_url)?;
        if let Some((scheme, _)) =
            config.credentials.iter().find(|(_, credential)| matches!(credential.0, Secret::Invalid))
        {
            return Err(BuildError::InvalidCredential(scheme));
        }
        let user_agent = match config.user_agent.as_str() {
            "" => None,
            text => Some(HeaderValue::from_str(text).map_err(|_| BuildError::InvalidUserAgent)?),
        };
        let http = match config.http {
            Some(http) => http,
            None => {
                reqwest::Client::builder().redirect(same_origin_redirects()).build().map_err(BuildError::HttpClient)?
            }
        };
        Ok(ClientCore {
            inner: Arc::new(Inner {
                base_url,
                http,
                credentials: config.credentials,
                retry: config.retry,
                timeout: config.timeout,
                user_agent,
            }),
        })
    }

    /// The base URL in use (without a trailing `/`).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends `request` and reads the whole response, whatever its status.
    ///
    /// Applies the first security alternative whose schemes all have
    /// credentials (an empty alternative, i.e. anonymous access, is used only
    /// when no other alternative can be satisfied), the user agent, the
    /// per-attempt timeout and the retry policy (see [`RetryPolicy`]).
    /// `options` override the client's settings for this call.
    ///
    /// Returns the last response when retries of a retryable status run out,
    /// [`Failure::Transport`] or [`Failure::Timeout`] (with the attempt count)
    /// when no response arrived, and [`Failure::InvalidRequest`] when nothing
    /// could be sent.
    pub fn execute(
        &self,
        request: Request,
        options: &CallOptions,
    ) -> impl Future<Output = Result<RawResponse, Failure>> + Send + 'static {
        let core = self.clone();
        let retry = options.retry.clone().unwrap_or_else(|| self.inner.retry.clone());
        let timeout = options.timeout.or(self.inner.timeout);
        RequestSpan::new(&request).instrument(core.run(request, retry, timeout))
    }

    /// One call: prepare once, then attempt until success or the policy says stop.
    async fn run(
        self,
        request: Request,
        retry: RetryPolicy,
        timeout: Option<Duration>,
    ) -> Result<RawResponse, Failure> {
        let (url, headers) = self.prepare(&request)?;
        let started = tokio::time::Instant::now();
        let mut attempt: u32 = 0;
        loop {
            attempt = attempt.saturating_add(1);
            RequestSpan::record_attempt(attempt);
            let outcome = self.attempt(&request, &url, &headers, timeout).await;
            let delay = match &outcome {
                Ok(raw) => {
                    RequestSpan::record_status(raw.status().as_u16());
                    (is_retryable_status(raw.status()) && retry.method_allowed(&request.method))
                        .then(|| retry.retry_after(raw.headers()).unwrap_or_else(|| retry.backoff(attempt)))
                }
                Err(AttemptError::Timeout) => retry.timeouts_allowed(&request.method).then(|| retry.backoff(attempt)),
                Err(AttemptError::Transport(err)) => {
                    // A failed connect sent nothing, so any method may retry it. reqwest 0.12 reports a body
                    // cut short while reading it as a decode error (we decode JSON ourselves, later).
                    let read_failed = err.is_request() || err.is_body() || err.is_decode();
                    let retryable = err.is_connect() || (read_failed && retry.method_allowed(&request.method));
                    retryable.then(|| retry.backoff(attempt))
                }
            };
            let remaining = retry.max_elapsed_budget().saturating_sub(started.elapsed());
            match delay {
                Some(delay) if attempt < retry.attempts_allowed() && !remaining.is_zero() => {
                    let delay = delay.min(remaining);
                    RequestSpan::retrying(attempt, delay);
                    tokio::time::sleep(delay).await;
                }
                _ => {
                    return outcome.map_err(|err| match err {
                        AttemptError::Timeout => TimeoutError::new(request.operation_id, timeout, attempt).into(),
                        AttemptError::Transport(err) => TransportError::new(err, request.operation_id, attempt).into(),
                    });
                }
            }
        }
    }

    /// Sends once and reads the whole body, all within `timeout`.
    async fn attempt(
        &self,
        request: &Request,
        url: &Url,
        headers: &HeaderMap,
        timeout: Option<Duration>,
    ) -> Result<RawResponse, AttemptError> {
        let mut builder = self.inner.http.request(request.method.clone(), url.clone()).headers(headers.clone());
        if let Some(body) = &request.body {
            builder = builder.body(body.bytes.clone());
        }
        if let Some(timeout) = timeout {
            builder = builder.timeout(timeout);
        }
        let exchange = async move {
            let mut response = builder.send().await?;
            let status = response.status();
            let headers = std::mem::take(response.headers_mut());
            let body = response.bytes().await?;
            Ok::<_, reqwest::Error>(RawResponse::new(status, headers, body))
        };
        let result = match timeout {
            Some(timeout) => match tokio::time::timeout(timeout, exchange).await {
                Ok(result) => result,
                Err(_elapsed) => return Err(AttemptError::Timeout),
            },
            None => exchange.await,
        };
        result.map_err(|err| if err.is_timeout() { AttemptError::Timeout } else { AttemptError::Transport(err) })
    }

    /// The full URL and headers, identical for every attempt.
    fn prepare(&self, request: &Request) -> Result<(Url, HeaderMap), Failure> {
        let mut headers = request.headers.clone();
        let mut query = request.query.clone();
        if let Some(user_agent) = &self.inner.user_agent {
            headers.insert(USER_AGENT, user_agent.clone());
        }
        if let Some(body) = &request.body {
            let content_type = HeaderValue::from_str(body.content_type)
                .map_err(|_| Failure::invalid_request(format!("content type `{}` is not valid", body.content_type)))?;
            headers.insert(CONTENT_TYPE, content_type);
        }
        for credential in self.credentials_for(request)? {
            match &credential.0 {
                Secret::Authorization(value) => {
                    headers.insert(AUTHORIZATION, value.clone());
                }
                Secret::Header(name, value) => {
                    headers.insert(name.clone(), value.clone());
                }
                Secret::Query(name, value) => query.push((name.clone(), value.clone())),
                // Refused by `ClientCore::new`; kept out of requests regardless.
                Secret::Invalid => {}
            }
        }
        let mut url = self.inner.base_url.clone();
        if !request.path.starts_with('/') {
            url.push('/');
        }
        url.push_str(&request.path);
        for (index, (name, value)) in query.iter().enumerate() {
            url.push(if index == 0 { '?' } else { '&' });
            url.push_str(name);
            url.push('=');
            url.push_str(value);
        }
        let url = Url::parse(&url).map_err(|_| {
            Failure::invalid_request(format!("operation `{}` produced an invalid URL", request.operation_id))
        })?;
        Ok((url, headers))
    }

    /// The credentials of the first satisfiable non-empty security
    /// alternative; none when there is no requirement or anonymous access is allowed.
    fn credentials_for(&self, request: &Request) -> Result<Vec<&Credential>, InvalidRequestError> {
        let available = &self.inner.credentials;
        if request.security.is_empty() {
            return Ok(Vec::new());
        }
        let satisfied = request
            .security
            .iter()
            .find(|alternative| !alternative.is_empty() && alternative.iter().all(|s| available.contains_key(s)));
        if let Some(alternative) = satisfied {
            return Ok(alternative.iter().filter_map(|scheme| available.get(scheme)).collect());
        }
        if request.security.iter().any(|alternative| alternative.is_empty()) {
            return Ok(Vec::new());
        }
        let needed: Vec<String> = request
            .security
            .iter()
            .map(|alternative| alternative.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(" and "))
            .collect();
        Err(InvalidRequestError::new(format!(
            "operation `{}` needs credentials for {}",
            request.operation_id,
            needed.join(", or ")
        )))
    }
}

/// Why an attempt produced no response.
enum AttemptError {
    Timeout,
    Transport(reqwest::Error),
}

/// The tracing span of one call (a no-op without the `tracing` feature).
/// It records the operation, method and path (never query values or headers).
#[cfg(feature = "tracing")]
struct RequestSpan(tracing::Span);

#[cfg(feature = "tracing")]
impl RequestSpan {
    fn new(request: &Request) -> Self {
        RequestSpan(tracing::info_span!(
            "http_request",
            operation_id = request.operation_id,
            method = %request.method,
            path = %request.path,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
        ))
    }

    fn instrument<F: Future>(self, future: F) -> tracing::instrument::Instrumented<F> {
        tracing::Instrument::instrument(future, self.0)
    }

    fn record_attempt(attempt: u32) {
        tracing::Span::current().record("attempt", attempt);
    }

    fn record_status(status: u16) {
        tracing::Span::current().record("status", status);
    }

    fn retrying(attempt: u32, delay: Duration) {
        tracing::debug!(attempt, ?delay, "retrying request");
    }
}

#[cfg(not(feature = "tracing"))]
struct RequestSpan;

#[cfg(not(feature = "tracing"))]
impl RequestSpan {
    fn new(_request: &Request) -> Self {
        RequestSpan
    }

    fn instrument<F: Future>(self, future: F) -> F {
        future
    }

    fn record_attempt(_attempt: u32) {}

    fn record_status(_status: u16) {}

    fn retrying(_attempt: u32, _delay: Duration) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (input, expected) in cases {
            assert_eq!(base64(input.as_bytes()), expected);
        }
    }

    #[test]
    fn base_urls() {
        assert!(matches!(check_base_url("https://api.example.com/v1/").as_deref(), Ok("https://api.example.com/v1")));
        assert!(matches!(check_base_url("http://localhost:8080").as_deref(), Ok("http://localhost:8080")));
        for bad in [
            "",
            "not a url",
            "ftp://example.com",
            "file:///etc",
            "https://u:p@example.com",
            "https://x.com/?a=1",
            "https://x.com/#f",
        ] {
            assert!(check_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn debug_never_shows_secrets() {
        let config = ClientConfig::new("https://api.example.com")
            .credential("bearer", Credential::bearer("hunter2"))
            .credential("basic", Credential::basic("user", "hunter2"))
            .credential("header", Credential::api_key_header("X-Key", "hunter2"))
            .credential("query", Credential::api_key_query("key", "hunter2"));
        let config_debug = format!("{config:?}");
        assert!(!config_debug.contains("hunter2") && !config_debug.contains("aHVudGVyMg"), "{config_debug}");
        match ClientCore::new(config) {
            Ok(core) => assert!(!format!("{core:?}").contains("hunter2")),
            Err(err) => panic!("{err}"),
        }
    }

    #[test]
    fn invalid_credentials_are_refused() {
        let config = ClientConfig::new("https://api.example.com").credential("b", Credential::bearer("a\nb"));
        assert!(matches!(ClientCore::new(config), Err(BuildError::InvalidCredential("b"))));
    }
}
