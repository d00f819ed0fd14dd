// Runtime support for generated clients: copied verbatim into each generated crate.

//! The shared client: configuration, credentials, and `execute` with timeouts and retries.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE, USER_AGENT};
use reqwest::Url;

use super::credential::{Credential, Secret};
#[cfg(feature = "refresh")]
use super::credential::{Given, Renewing};
use super::download::{ByteStream, Streamed};
use super::error::{BuildError, Failure, InvalidRequestError, TimeoutError, TransportError};
use super::request::{CallOptions, Request};
use super::response::{RawResponse, Response};
use super::retry::RetryPolicy;
use super::upload::BodyStream;

/// Everything a client needs; build one with [`ClientCore::new`].
///
/// Defaults ([`ClientConfig::default`]): no base URL (set one: an empty URL
/// is refused), a `reqwest::Client` built by the runtime, no credentials,
/// [`RetryPolicy::default`], a 30 s per-attempt timeout, no deadline, no
/// default headers, and the user agent `<crate name>/<crate version>`.
#[derive(Clone)]
#[doc(hidden)]
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
    /// Time limit for a whole call, retries and waits included, unless
    /// [`CallOptions::deadline`] overrides it; `None` means none.
    pub deadline: Option<Duration>,
    /// Headers sent on every request (such as the API version), by name; a
    /// later entry replaces an earlier one of the same name.
    pub headers: Vec<(String, String)>,
    /// Sent as `User-Agent` on every request (omitted when empty).
    pub user_agent: String,
    /// Starts a private tokio runtime for blocking calls (with the feature `blocking`; ignored without).
    pub blocking: bool,
    /// A `reqwest-middleware` client that sends every attempt through its chain (feature
    /// `middleware`); it takes the place of [`http`](Self::http).
    #[cfg(feature = "middleware")]
    pub middleware: Option<reqwest_middleware::ClientWithMiddleware>,
    /// The mock server this client talks to (feature `mock`), for expectations built from it
    /// (kept as `Any`, so that the client knows nothing of mocks).
    #[cfg(feature = "mock")]
    pub mock: Option<Arc<dyn std::any::Any + Send + Sync>>,
    /// A client certificate for mutual TLS (a `mutualTLS` security scheme), presented on every
    /// connection of the client this builds.
    pub identity: Option<reqwest::Identity>,
    /// Certificate authorities trusted besides the system's, for servers with a private one.
    pub root_certificates: Vec<reqwest::Certificate>,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            base_url: String::new(),
            http: None,
            credentials: BTreeMap::new(),
            retry: RetryPolicy::default(),
            timeout: Some(Duration::from_secs(30)),
            deadline: None,
            headers: Vec::new(),
            blocking: false,
            #[cfg(feature = "middleware")]
            middleware: None,
            #[cfg(feature = "mock")]
            mock: None,
            identity: None,
            root_certificates: Vec::new(),
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
            .field("deadline", &self.deadline)
            .field("headers", &self.headers.iter().map(|(name, _)| name).collect::<Vec<_>>())
            .field("user_agent", &self.user_agent)
            // The identity holds a private key: only whether there is one.
            .field("identity", &self.identity.as_ref().map(|_| "client certificate"))
            .field("root_certificates", &self.root_certificates.len())
            .finish()
    }
}

/// What every clone of a client shares: the connection pool and the settings.
struct Shared {
    base_url: String,
    http: reqwest::Client,
    retry: RetryPolicy,
    timeout: Option<Duration>,
    deadline: Option<Duration>,
    headers: HeaderMap,
    user_agent: Option<HeaderValue>,
    /// The runtime blocking calls run on; `None` for an async client.
    #[cfg(feature = "blocking")]
    runtime: Option<tokio::runtime::Runtime>,
    /// Sends every attempt through a middleware chain, in place of `http`.
    #[cfg(feature = "middleware")]
    middleware: Option<reqwest_middleware::ClientWithMiddleware>,
    #[cfg(feature = "mock")]
    mock: Option<Arc<dyn std::any::Any + Send + Sync>>,
}

/// The shared part of a generated client: cheap to clone (two `Arc`s inside).
///
/// Credentials sit apart from the rest, so that a clone with other
/// credentials ([`ClientCore::with_credential`]) still shares the pool.
#[derive(Clone)]
#[doc(hidden)]
pub struct ClientCore {
    shared: Arc<Shared>,
    credentials: Arc<BTreeMap<&'static str, Credential>>,
}

impl fmt::Debug for ClientCore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCore")
            .field("base_url", &self.shared.base_url)
            .field("credentials", &self.credentials)
            .field("retry", &self.shared.retry)
            .field("timeout", &self.shared.timeout)
            .field("deadline", &self.shared.deadline)
            .field("user_agent", &self.shared.user_agent)
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
            config.credentials.iter().find(|(_, credential)| matches!(credential.0, Secret::Invalid(_)))
        {
            return Err(BuildError::InvalidCredential(scheme));
        }
        let user_agent = match config.user_agent.as_str() {
            "" => None,
            text => Some(HeaderValue::from_str(text).map_err(|_| BuildError::InvalidUserAgent)?),
        };
        let mut headers = HeaderMap::new();
        for (name, value) in &config.headers {
            let header = HeaderName::from_bytes(name.as_bytes()).ok().zip(HeaderValue::from_str(value).ok());
            let (name, value) = header.ok_or_else(|| BuildError::InvalidHeader(name.clone()))?;
            headers.insert(name, value);
        }
        let tls = config.identity.is_some() || !config.root_certificates.is_empty();
        #[cfg(feature = "middleware")]
        if tls && config.middleware.is_some() {
            return Err(BuildError::TlsWithHttpClient);
        }
        let http = match config.http {
            Some(_) if tls => return Err(BuildError::TlsWithHttpClient),
            Some(http) => http,
            None => {
                let mut builder = reqwest::Client::builder().redirect(same_origin_redirects());
                if let Some(identity) = config.identity {
                    builder = builder.identity(identity);
                }
                for certificate in config.root_certificates {
                    builder = builder.add_root_certificate(certificate);
                }
                builder.build().map_err(BuildError::HttpClient)?
            }
        };
        #[cfg(feature = "blocking")]
        let runtime = match config.blocking {
            // One worker drives the connection pool between calls; callers block on their own thread.
            true => Some(
                tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(1)
                    .thread_name(concat!(env!("CARGO_PKG_NAME"), "-blocking"))
                    .enable_all()
                    .build()
                    .map_err(BuildError::Runtime)?,
            ),
            false => None,
        };
        Ok(ClientCore {
            shared: Arc::new(Shared {
                base_url,
                http,
                retry: config.retry,
                timeout: config.timeout,
                deadline: config.deadline,
                headers,
                user_agent,
                #[cfg(feature = "blocking")]
                runtime,
                #[cfg(feature = "middleware")]
                middleware: config.middleware,
                #[cfg(feature = "mock")]
                mock: config.mock,
            }),
            credentials: Arc::new(config.credentials),
        })
    }

    /// The base URL in use (without a trailing `/`).
    pub fn base_url(&self) -> &str {
        &self.shared.base_url
    }

    /// The mock server this client talks to, if it is one's.
    #[cfg(feature = "mock")]
    pub fn mock_state(&self) -> Option<&Arc<dyn std::any::Any + Send + Sync>> {
        self.shared.mock.as_ref()
    }

    /// Runs `future` to completion on the client's private runtime, blocking this thread.
    ///
    /// # Panics
    ///
    /// Inside an async context (tokio forbids blocking a runtime's thread), and on a client
    /// that was not built for blocking calls; the generated API only calls this on one that was.
    #[cfg(feature = "blocking")]
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        match &self.shared.runtime {
            Some(runtime) => runtime.block_on(future),
            None => panic!("a blocking call on an async client"),
        }
    }

    /// A clone that uses `credential` for `scheme` (and the same connection
    /// pool and settings). An invalid credential fails each call that would
    /// send it, before any I/O.
    pub fn with_credential(&self, scheme: &'static str, credential: Credential) -> ClientCore {
        let mut credentials = BTreeMap::clone(&self.credentials);
        credentials.insert(scheme, credential);
        ClientCore { shared: Arc::clone(&self.shared), credentials: Arc::new(credentials) }
    }

    /// Sends `request` and reads the whole response, whatever its status.
    ///
    /// Applies the default headers, the first security alternative whose
    /// schemes all have credentials (the call's own first; an empty
    /// alternative, i.e. anonymous access, is used only when no other
    /// alternative can be satisfied), the user agent, the call's extra
    /// headers, the per-attempt timeout, the deadline and the retry policy
    /// (see [`RetryPolicy`]). `options` override the client's settings for
    /// this call.
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
        let call = self.call(request, options, false);
        async move { call.await.map(|(raw, _)| raw) }
    }

    /// A builder's whole call: its `request` (or the reason it could not be built), sent as
    /// [`execute`](Self::execute) sends it, and the response read by the builder's `read`.
    /// One generic function, so that each operation does not repeat it.
    #[doc(hidden)]
    pub fn perform<T: 'static, E: From<Failure> + 'static>(
        &self,
        request: Result<Request, Failure>,
        options: &CallOptions,
        read: fn(RawResponse) -> Result<T, E>,
    ) -> impl Future<Output = Result<T, E>> + Send + 'static {
        let call = request.map(|request| self.execute(request, options));
        async move { read(call?.await?) }
    }

    /// Sends `request` as [`execute`](Self::execute) does, but hands out the body of a success
    /// status (2XX) as it arrives, without reading it: [`Streamed::Body`]. Any other status is read
    /// whole, as `execute` reads it, for the caller to report: [`Streamed::Read`].
    ///
    /// Retries happen before the body starts; a stream that breaks later is an error of the
    /// stream. The per-attempt timeout covers the response head only: reading the body is paced
    /// by the caller, with no limit but the connection's own.
    pub fn execute_stream(
        &self,
        request: Request,
        options: &CallOptions,
    ) -> impl Future<Output = Result<Streamed, Failure>> + Send + 'static {
        let operation_id = request.operation_id;
        let call = self.call(request, options, true);
        async move {
            Ok(match call.await? {
                (raw, Some(live)) => {
                    let (status, headers, attempts) = (raw.status(), raw.headers().clone(), raw.attempts());
                    let body = ByteStream::new(live, operation_id, attempts);
                    Streamed::Body(Response::new(status, headers, body))
                }
                (raw, None) => Streamed::Read(raw),
            })
        }
    }

    fn call(
        &self,
        request: Request,
        options: &CallOptions,
        stream: bool,
    ) -> impl Future<Output = Result<(RawResponse, Option<reqwest::Response>), Failure>> + Send + 'static {
        let core = self.clone();
        let limits = Limits {
            retry: options.retry.clone().unwrap_or_else(|| self.shared.retry.clone()),
            timeout: options.timeout.or(self.shared.timeout),
            deadline: options.deadline.or(self.shared.deadline),
        };
        let prepared = self.prepare(&request, options);
        // A streamed body is taken here, by the one call that sends it.
        let upload = request.body.as_ref().map_or(Ok(None), |body| body.data.take_stream("the request body"));
        RequestSpan::new(&request)
            .instrument(async move { core.run(request, prepared?, upload?, limits, stream).await })
    }

    /// One call: attempt until success or the policy or the deadline says stop. A streamed body
    /// (`upload`) is read by the first attempt, so there is no other.
    async fn run(
        self,
        request: Request,
        prepared: Prepared,
        mut upload: Option<BodyStream>,
        limits: Limits,
        stream: bool,
    ) -> Result<(RawResponse, Option<reqwest::Response>), Failure> {
        let Limits { retry, timeout, deadline } = limits;
        let replayable = upload.is_none();
        let started = tokio::time::Instant::now();
        let deadline_at = deadline.map(|limit| started + limit);
        let mut attempt: u32 = 0;
        // The credentials providers gave for this attempt; after a `401`, the renewed ones.
        #[cfg(feature = "refresh")]
        let (mut given, mut renewed): (Option<Vec<Given>>, bool) = (None, false);
        loop {
            attempt = attempt.saturating_add(1);
            RequestSpan::record_attempt(attempt);
            #[cfg(feature = "refresh")]
            let credential_failed = |error| TransportError::credential(error, request.operation_id, attempt);
            #[cfg(feature = "refresh")]
            let given_now = match given.take() {
                Some(given) => given,
                None => prepared.ask().await.map_err(credential_failed)?,
            };
            #[cfg(feature = "refresh")]
            let (url, headers) = prepared.finish(&request, &given_now)?;
            #[cfg(not(feature = "refresh"))]
            let (url, headers) = prepared.finish(&request)?;
            let left = deadline_at.map(|at| at.saturating_duration_since(tokio::time::Instant::now()));
            // The attempt may use what is left of the deadline, if that is shorter than its timeout.
            let (limit, by_deadline) = match (timeout, left) {
                (Some(timeout), Some(left)) if left < timeout => (Some(left), true),
                (None, Some(left)) => (Some(left), true),
                (timeout, _) => (timeout, false),
            };
            let outcome = self.attempt(&request, &url, &headers, upload.take(), limit, stream).await;
            // A `401` to a provider's credential: renew it once (with every call that met the same
            // one) and repeat the request at once, outside the retry policy.
            #[cfg(feature = "refresh")]
            if let Ok((raw, _)) = &outcome {
                if raw.status() == reqwest::StatusCode::UNAUTHORIZED && !given_now.is_empty() && !renewed && replayable
                {
                    renewed = true;
                    given = Some(prepared.renew(given_now).await.map_err(credential_failed)?);
                    continue;
                }
            }
            let left_after = deadline_at.map(|at| at.saturating_duration_since(tokio::time::Instant::now()));
            let budget = retry.max_elapsed_budget().saturating_sub(started.elapsed());
            let budget = left_after.map_or(budget, |left| budget.min(left));
            let delay = match &outcome {
                Ok((raw, _)) => {
                    RequestSpan::record_status(raw.status().as_u16());
                    if retry.status_allowed(raw.status(), &request.method) {
                        match retry.retry_after(raw.headers()) {
                            // The server asks for a wait the call cannot afford: report now.
                            Ok(Some(wait)) if wait > budget => None,
                            Ok(Some(wait)) => Some(wait),
                            Ok(None) => Some(retry.backoff(attempt).min(budget)),
                            Err(()) => None,
                        }
                    } else {
                        None
                    }
                }
                Err(AttemptError::Timeout) => {
                    retry.timeouts_allowed(&request.method).then(|| retry.backoff(attempt).min(budget))
                }
                Err(AttemptError::Middleware(_)) => None,
                Err(AttemptError::Transport(err)) => {
                    // A failed connect sent nothing, so any method may retry it. reqwest reports a body
                    // cut short while reading it as a body or decode error (we decode JSON ourselves, later).
                    let read_failed = err.is_request() || err.is_body() || err.is_decode();
                    let retryable = err.is_connect() || (read_failed && retry.method_allowed(&request.method));
                    retryable.then(|| retry.backoff(attempt).min(budget))
                }
            };
            match delay {
                Some(delay) if replayable && attempt < retry.attempts_allowed() && !budget.is_zero() => {
                    RequestSpan::retrying(attempt, delay);
                    tokio::time::sleep(delay).await;
                }
                _ => {
                    return match outcome {
                        Ok((raw, live)) => Ok((raw.with_attempts(attempt), live)),
                        Err(AttemptError::Timeout) => Err(match (by_deadline, deadline) {
                            (true, Some(deadline)) => TimeoutError::deadline(request.operation_id, deadline, attempt),
                            _ => TimeoutError::new(request.operation_id, timeout, attempt),
                        }
                        .into()),
                        Err(AttemptError::Transport(err)) => {
                            Err(TransportError::new(err, request.operation_id, attempt).into())
                        }
                        Err(AttemptError::Middleware(err)) => {
                            Err(TransportError::middleware(err, request.operation_id, attempt).into())
                        }
                    };
                }
            }
        }
    }

    /// Sends once and reads the whole body, all within `timeout`. With `stream`, a success status
    /// (2XX) comes back unread, with its live response, as soon as its head arrives. The body is
    /// the request's bytes, or `upload` when it streams.
    async fn attempt(
        &self,
        request: &Request,
        url: &Url,
        headers: &HeaderMap,
        upload: Option<BodyStream>,
        timeout: Option<Duration>,
        stream: bool,
    ) -> Result<(RawResponse, Option<reqwest::Response>), AttemptError> {
        let body = match (upload, request.body.as_ref().and_then(|body| body.data.as_bytes())) {
            (Some(upload), _) => Some(reqwest::Body::wrap_stream(upload)),
            (None, Some(bytes)) => Some(reqwest::Body::from(bytes.clone())),
            (None, None) => None,
        };
        // reqwest's own timeout as well as the one around the exchange: it also ends a connect.
        let timeout_inside = timeout.filter(|_| !stream);
        let sent = self.send(request, url, headers, body, timeout_inside);
        let exchange = async move {
            let mut response = sent.await?;
            let status = response.status();
            if stream && status.is_success() {
                let headers = response.headers().clone();
                return Ok::<_, AttemptError>((RawResponse::new(status, headers, Bytes::new()), Some(response)));
            }
            let headers = std::mem::take(response.headers_mut());
            let body = response.bytes().await.map_err(AttemptError::from)?;
            Ok((RawResponse::new(status, headers, body), None))
        };
        match timeout {
            Some(timeout) => match tokio::time::timeout(timeout, exchange).await {
                Ok(result) => result,
                Err(_elapsed) => Err(AttemptError::Timeout),
            },
            None => exchange.await,
        }
    }

    /// Sends one attempt: through the middleware chain when there is one, else on reqwest.
    fn send(
        &self,
        request: &Request,
        url: &Url,
        headers: &HeaderMap,
        body: Option<reqwest::Body>,
        timeout: Option<Duration>,
    ) -> impl Future<Output = Result<reqwest::Response, AttemptError>> + Send + 'static {
        #[cfg(feature = "middleware")]
        if let Some(middleware) = &self.shared.middleware {
            let mut builder = middleware.request(request.method.clone(), url.clone()).headers(headers.clone());
            if let Some(body) = body {
                builder = builder.body(body);
            }
            if let Some(timeout) = timeout {
                builder = builder.timeout(timeout);
            }
            return futures::future::Either::Left(async move {
                builder.send().await.map_err(|error| match error {
                    reqwest_middleware::Error::Reqwest(error) => AttemptError::from(error),
                    reqwest_middleware::Error::Middleware(error) => AttemptError::Middleware(error.into()),
                })
            });
        }
        let mut builder = self.shared.http.request(request.method.clone(), url.clone()).headers(headers.clone());
        if let Some(body) = body {
            builder = builder.body(body);
        }
        if let Some(timeout) = timeout {
            builder = builder.timeout(timeout);
        }
        let plain = async move { builder.send().await.map_err(AttemptError::from) };
        #[cfg(feature = "middleware")]
        let plain = futures::future::Either::Right(plain);
        plain
    }

    /// What every attempt sends: the URL's parts and the headers, with every credential but those
    /// a provider gives per attempt.
    fn prepare(&self, request: &Request, options: &CallOptions) -> Result<Prepared, Failure> {
        if let Some(invalid) = &options.invalid {
            return Err(Failure::invalid_request(invalid.clone()));
        }
        let mut headers = self.shared.headers.clone();
        headers.extend(request.headers.clone());
        let mut query = request.query.clone();
        if let Some(user_agent) = &self.shared.user_agent {
            headers.insert(USER_AGENT, user_agent.clone());
        }
        if let Some(body) = &request.body {
            let content_type = HeaderValue::from_str(&body.content_type)
                .map_err(|_| Failure::invalid_request(format!("content type `{}` is not valid", body.content_type)))?;
            headers.insert(CONTENT_TYPE, content_type);
        }
        #[cfg(feature = "refresh")]
        let mut providers = Vec::new();
        for (_scheme, credential) in self.credentials_for(request, options)? {
            match &credential.0 {
                #[cfg(feature = "refresh")]
                Secret::Provided(provided) => providers.push((_scheme, Arc::clone(provided))),
                secret => secret.apply(&mut headers, &mut query),
            }
        }
        // The call's own headers go on last, over everything, provided credentials included.
        let extra = options.headers.clone();
        let mut url = self.shared.base_url.clone();
        if !request.path.starts_with('/') {
            url.push('/');
        }
        url.push_str(&request.path);
        Ok(Prepared {
            #[cfg(feature = "refresh")]
            base_url: self.shared.base_url.clone(),
            url,
            query,
            headers,
            extra,
            #[cfg(feature = "refresh")]
            providers,
        })
    }

    /// The credentials of the first satisfiable non-empty security
    /// alternative (the call's own credentials first, then the client's);
    /// none when there is no requirement or anonymous access is allowed.
    fn credentials_for<'a>(
        &'a self,
        request: &Request,
        options: &'a CallOptions,
    ) -> Result<Vec<(&'static str, &'a Credential)>, InvalidRequestError> {
        if request.security.is_empty() {
            return Ok(Vec::new());
        }
        let lookup = |scheme: &str| {
            let own = options.credentials.iter().find(|(name, _)| *name == scheme).map(|(name, c)| (*name, c));
            own.or_else(|| self.credentials.get_key_value(scheme).map(|(name, c)| (*name, c)))
        };
        // An alternative the call names a credential for wins over the client's.
        let has_own =
            |alternative: &&&[&str]| alternative.iter().any(|s| options.credentials.iter().any(|(n, _)| n == s));
        let complete =
            |alternative: &&&[&str]| !alternative.is_empty() && alternative.iter().all(|s| lookup(s).is_some());
        let chosen =
            request.security.iter().filter(complete).find(has_own).or_else(|| request.security.iter().find(complete));
        if let Some(alternative) = chosen {
            let credentials: Vec<_> = alternative.iter().filter_map(|scheme| lookup(scheme)).collect();
            if let Some((scheme, Credential(Secret::Invalid(reason)))) =
                credentials.iter().find(|(_, c)| matches!(c.0, Secret::Invalid(_)))
            {
                return Err(InvalidRequestError::new(format!("the credential for `{scheme}` {reason}")));
            }
            return Ok(credentials);
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

/// The time limits and retry policy of one call.
struct Limits {
    retry: RetryPolicy,
    timeout: Option<Duration>,
    deadline: Option<Duration>,
}

/// A call's request as every attempt sends it, but for the credentials providers give per attempt.
struct Prepared {
    /// The client's base URL, for providers.
    #[cfg(feature = "refresh")]
    base_url: String,
    /// The base URL and the path, without the query.
    url: String,
    query: Vec<(String, String)>,
    headers: HeaderMap,
    /// The call's own headers, which go on last.
    extra: Vec<(HeaderName, HeaderValue)>,
    /// The schemes whose credential a provider gives.
    #[cfg(feature = "refresh")]
    providers: Vec<(&'static str, Arc<dyn Renewing>)>,
}

impl Prepared {
    /// Every provider's credential for the next attempt.
    #[cfg(feature = "refresh")]
    async fn ask(&self) -> Result<Vec<Given>, super::credential::BoxError> {
        let mut given = Vec::with_capacity(self.providers.len());
        for (scheme, provided) in &self.providers {
            given.push(provided.current(scheme, &self.base_url).await?);
        }
        Ok(given)
    }

    /// The credentials renewed after a `401` to `seen`.
    #[cfg(feature = "refresh")]
    async fn renew(&self, seen: Vec<Given>) -> Result<Vec<Given>, super::credential::BoxError> {
        let mut given = Vec::with_capacity(seen.len());
        for ((scheme, provided), seen) in self.providers.iter().zip(seen) {
            given.push(provided.renew(scheme, &self.base_url, seen.generation).await?);
        }
        Ok(given)
    }

    /// The URL and headers of one attempt, with the credentials providers `given` for it.
    fn finish(
        &self,
        request: &Request,
        #[cfg(feature = "refresh")] given: &[Given],
    ) -> Result<(Url, HeaderMap), Failure> {
        let mut headers = self.headers.clone();
        #[cfg_attr(not(feature = "refresh"), allow(unused_mut))]
        let mut query = self.query.clone();
        #[cfg(feature = "refresh")]
        for (given, (scheme, _)) in given.iter().zip(&self.providers) {
            match &given.credential.0 {
                Secret::Invalid(reason) => {
                    return Err(InvalidRequestError::new(format!("the credential for `{scheme}` {reason}")).into());
                }
                Secret::Provided(_) => {
                    let message = format!("the provider for `{scheme}` gave another provider, not a credential");
                    return Err(InvalidRequestError::new(message).into());
                }
                secret => secret.apply(&mut headers, &mut query),
            }
        }
        for (name, value) in &self.extra {
            headers.insert(name.clone(), value.clone());
        }
        let mut url = self.url.clone();
        for (index, (name, value)) in query.iter().enumerate() {
            url.push(if index == 0 && !request.path.contains('?') { '?' } else { '&' });
            url.push_str(name);
            url.push('=');
            url.push_str(value);
        }
        let url = Url::parse(&url).map_err(|_| {
            Failure::invalid_request(format!("operation `{}` produced an invalid URL", request.operation_id))
        })?;
        Ok((url, headers))
    }
}

/// Why an attempt produced no response.
enum AttemptError {
    Timeout,
    Transport(reqwest::Error),
    /// A middleware's own error: not retried, since the chain may have sent the request.
    #[cfg_attr(not(feature = "middleware"), allow(dead_code))]
    Middleware(Box<dyn std::error::Error + Send + Sync + 'static>),
}

impl From<reqwest::Error> for AttemptError {
    fn from(error: reqwest::Error) -> Self {
        if error.is_timeout() {
            AttemptError::Timeout
        } else {
            AttemptError::Transport(error)
        }
    }
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
    use reqwest::header::{AUTHORIZATION, COOKIE};

    /// An attempt's URL and headers, with no provider's credential.
    fn finish(prepared: &Prepared, request: &Request) -> Result<(Url, HeaderMap), Failure> {
        #[cfg(feature = "refresh")]
        return prepared.finish(request, &[]);
        #[cfg(not(feature = "refresh"))]
        return prepared.finish(request);
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
            .credential("query", Credential::api_key_query("key", "hunter2"))
            .credential("cookie", Credential::api_key_cookie("session", "hunter2"))
            .credential("digest", Credential::authorization("Digest username=\"u\", response=\"hunter2\""));
        let config_debug = format!("{config:?}");
        assert!(!config_debug.contains("hunter2") && !config_debug.contains("aHVudGVyMg"), "{config_debug}");
        match ClientCore::new(config) {
            Ok(core) => assert!(!format!("{core:?}").contains("hunter2")),
            Err(err) => panic!("{err}"),
        }
    }

    #[test]
    fn invalid_credentials_are_refused() {
        for credential in [
            Credential::bearer("a\nb"),
            Credential::bearer(""),
            Credential::bearer("  \t"),
            Credential::basic("", "pw"),
            Credential::api_key_header("X-Key", " "),
            Credential::api_key_header("bad name", "key"),
            Credential::api_key_query("key", ""),
        ] {
            let config = ClientConfig::new("https://api.example.com").credential("b", credential);
            assert!(matches!(ClientCore::new(config), Err(BuildError::InvalidCredential("b"))));
        }
    }

    #[test]
    fn cookies_and_caller_supplied_authorization() {
        let security: &'static [&'static [&'static str]] = &[&["a", "b", "c"]];
        let config = ClientConfig::new("https://api.example.com")
            .credential("a", Credential::api_key_cookie("session", "s 1"))
            .credential("b", Credential::api_key_cookie("csrf", "x"))
            .credential("c", Credential::authorization("Digest username=\"u\""));
        let Ok(core) = ClientCore::new(config) else { panic!("builds") };
        let request = Request::new(reqwest::Method::GET, "/x".into(), "op", security);
        let Ok(prepared) = core.prepare(&request, &CallOptions::new()) else { panic!("prepares") };
        let Ok((_, headers)) = finish(&prepared, &request) else { panic!("finishes") };
        assert_eq!(headers.get(COOKIE).map(HeaderValue::as_bytes), Some(&b"session=s%201; csrf=x"[..]));
        assert_eq!(headers.get(AUTHORIZATION).map(HeaderValue::as_bytes), Some(&b"Digest username=\"u\""[..]));
    }

    #[test]
    fn an_empty_credential_on_a_clone_fails_the_call_before_sending() {
        let security: &'static [&'static [&'static str]] = &[&["b"]];
        let core =
            ClientCore::new(ClientConfig::new("https://api.example.com").credential("b", Credential::bearer("t")));
        let Ok(core) = core else { panic!("builds") };
        let request = Request::new(reqwest::Method::GET, "/x".into(), "op", security);
        assert!(core.prepare(&request, &CallOptions::new()).is_ok());
        let empty = core.with_credential("b", Credential::bearer(" "));
        let refused = empty.prepare(&request, &CallOptions::new());
        assert!(
            matches!(&refused, Err(Failure::InvalidRequest(e)) if e.message() == "the credential for `b` is empty")
        );
        let mut options = CallOptions::new();
        options.credential("b", Credential::bearer("per-call"));
        let Ok(prepared) = empty.prepare(&request, &options) else { panic!("the call's own credential applies") };
        let Ok((_, headers)) = finish(&prepared, &request) else { panic!("finishes") };
        assert_eq!(headers.get(AUTHORIZATION).map(HeaderValue::as_bytes), Some(&b"Bearer per-call"[..]));
    }
}
