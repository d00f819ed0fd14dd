// Runtime support for generated clients: copied verbatim into each generated crate.

//! The typed mock (feature `mock`), on wiremock. An expectation is an operation's own request
//! builder in [`Mocked`](super::Mocked) mode: the request it would send is what a call must match
//! (method, path, the parameters set, the body), so matching is exactly as typed as calling. Its
//! answers are the operation's own types, encoded as the client reads them. Every request the
//! server sees is logged, so that an expectation not met can say what came instead.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Method;

use super::client::ClientCore;
use super::error::Failure;
use super::excerpt::excerpt;
use super::request::Request;

/// One answer of an expectation: a status, and a body with its content type.
#[derive(Debug, Clone)]
pub struct Answer {
    status: u16,
    body: Vec<u8>,
    content_type: Option<&'static str>,
}

impl Answer {
    /// A status and a raw body (no content type).
    pub fn raw(status: u16, body: impl Into<Vec<u8>>) -> Answer {
        Answer { status, body: body.into(), content_type: None }
    }

    /// A status and a value as the client reads JSON.
    pub fn json(status: u16, value: &impl serde::Serialize) -> Answer {
        let body =
            super::json::to_vec(value).unwrap_or_else(|error| panic!("a mock answer does not serialize: {error}"));
        Answer { status, body, content_type: Some("application/json") }
    }

    /// A status and text.
    pub fn text(status: u16, text: &str) -> Answer {
        Answer { status, body: text.as_bytes().to_vec(), content_type: Some("text/plain; charset=utf-8") }
    }

    /// A status and bytes.
    pub fn bytes(status: u16, bytes: &[u8]) -> Answer {
        Answer { status, body: bytes.to_vec(), content_type: Some("application/octet-stream") }
    }

    /// A status and parts, as a `multipart/mixed` body.
    pub fn multipart(status: u16, parts: &super::parts::Parts) -> Answer {
        const BOUNDARY: &str = "mock-part-boundary";
        let mut body = Vec::new();
        for part in parts.iter() {
            body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
            for (name, value) in part.headers() {
                body.extend_from_slice(name.as_str().as_bytes());
                body.extend_from_slice(b": ");
                body.extend_from_slice(value.as_bytes());
                body.extend_from_slice(b"\r\n");
            }
            body.extend_from_slice(b"\r\n");
            body.extend_from_slice(part.body());
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        Answer { status, body, content_type: Some("multipart/mixed; boundary=mock-part-boundary") }
    }

    fn template(&self) -> wiremock::ResponseTemplate {
        let template = wiremock::ResponseTemplate::new(self.status);
        match self.content_type {
            Some(content_type) => template.set_body_raw(self.body.clone(), content_type),
            None => template.set_body_bytes(self.body.clone()),
        }
    }
}

/// An operation's request builder in mock mode: what it would send, and how its answers are
/// encoded. Generated for every operation.
#[doc(hidden)]
pub trait MockOperation: Sized {
    /// What a success reads into (the body type, or the success enum).
    type Success;
    /// The declared error statuses, each with its body.
    type Failure;
    /// The operationId.
    const OPERATION: &'static str;
    /// How the call is written on the client (`customer_portal().subscriptions().list()`).
    const CALL: &'static str;
    /// The path template (`/v1/subscriptions/{id}`).
    const PATH: &'static str;
    /// The client the builder came from.
    fn core(&self) -> &ClientCore;
    /// The request the builder would send.
    fn expected(&self) -> Result<Request, Failure>;
    /// A success answer.
    fn success(body: &Self::Success) -> Answer;
    /// A declared error's answer.
    fn failure(failure: &Self::Failure) -> Answer;
}

/// The answers an operation's mock builder can give: each starts an [`Expectation`].
pub trait Answers: MockOperation {
    /// Answers the matching calls with a success body.
    fn respond(self, body: impl Into<Self::Success>) -> Expectation<Self> {
        Expectation::new(self).respond(body)
    }

    /// Answers the matching calls with a declared error status and its body.
    fn fail(self, failure: Self::Failure) -> Expectation<Self> {
        Expectation::new(self).fail(failure)
    }

    /// Answers the matching calls with any status and raw body.
    fn status(self, status: u16, body: impl Into<Vec<u8>>) -> Expectation<Self> {
        Expectation::new(self).status(status, body)
    }
}

impl<B: MockOperation> Answers for B {}

/// What a mock server expects of one operation, and how it answers: built from the operation's
/// mock builder, then [`mount`](Self::mount)ed. Answers are given in turn, the last one again for
/// every later call.
#[must_use = "an expectation does nothing until it is mounted"]
pub struct Expectation<B: MockOperation> {
    builder: B,
    answers: Vec<Answer>,
    times: Option<usize>,
    match_body: bool,
}

impl<B: MockOperation> Expectation<B> {
    fn new(builder: B) -> Self {
        Expectation { builder, answers: Vec::new(), times: None, match_body: true }
    }

    /// Then (or first) a success body.
    pub fn respond(mut self, body: impl Into<B::Success>) -> Self {
        self.answers.push(B::success(&body.into()));
        self
    }

    /// Then (or first) a declared error status and its body.
    pub fn fail(mut self, failure: B::Failure) -> Self {
        self.answers.push(B::failure(&failure));
        self
    }

    /// Then (or first) any status, with a raw body.
    pub fn status(mut self, status: u16, body: impl Into<Vec<u8>>) -> Self {
        self.answers.push(Answer::raw(status, body));
        self
    }

    /// How many calls must match: exactly `n` (without it, at least one). A call beyond them
    /// matches nothing, and fails the test as unexpected.
    pub fn times(mut self, n: usize) -> Self {
        self.times = Some(n);
        self
    }

    /// Matches whatever body a call sends (by default, the builder's body must be sent).
    pub fn any_body(mut self) -> Self {
        self.match_body = false;
        self
    }

    /// Mounts the expectation on the server the builder came from.
    ///
    /// # Panics
    ///
    /// When the builder's request cannot be built (a parameter out of its range), or the builder
    /// does not come from a mock server.
    pub async fn mount(self) {
        let Some(state) = self.builder.core().mock_state().and_then(|state| state.downcast_ref::<MockState>()) else {
            panic!("`{}` is not a mock server's: mount expectations made from a `mock::MockServer`", B::CALL)
        };
        let request = match self.builder.expected() {
            Ok(request) => request,
            Err(failure) => panic!("the mock of `{}` cannot be built: {failure}", B::CALL),
        };
        let body = request.body.as_ref().filter(|_| self.match_body).and_then(|body| {
            let bytes = body.data.as_bytes()?.to_vec();
            Some((bytes, body.content_type.contains("json")))
        });
        let query = decode(&request.query.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&"));
        let headers: Vec<(HeaderName, HeaderValue)> =
            request.headers.iter().map(|(name, value)| (name.clone(), value.clone())).collect();
        let record = Arc::new(Record {
            call: B::CALL,
            carrying: describe(&request.path, &query, &headers, body.as_ref().map(|(b, _)| b.as_slice())),
            operation: B::OPERATION,
            method: request.method.clone(),
            template: B::PATH,
            times: self.times,
            count: AtomicUsize::new(0),
        });
        let constraints = query.len() + headers.len() + usize::from(body.is_some());
        let matcher =
            Matches { method: request.method, path: request.path, query, headers, body, record: Arc::clone(&record) };
        let responder = Responder { answers: self.answers, record: Arc::clone(&record), log: Arc::clone(&state.log) };
        state.expectations.lock().unwrap_or_else(PoisonError::into_inner).push(record);
        // The more a mock asks of a call, the sooner it is tried.
        let priority = 5 - constraints.min(4) as u8;
        wiremock::Mock::given(matcher).respond_with(responder).with_priority(priority).mount(&state.server).await;
    }
}

/// A mock server: wiremock's, with what was expected of it and what it saw.
#[doc(hidden)]
pub struct MockState {
    server: wiremock::MockServer,
    log: Arc<Mutex<Vec<Seen>>>,
    expectations: Mutex<Vec<Arc<Record>>>,
}

impl MockState {
    /// Starts a server on loopback; a call no expectation matches is answered `404` and logged.
    pub async fn start() -> Arc<MockState> {
        let server = wiremock::MockServer::start().await;
        let log = Arc::new(Mutex::new(Vec::new()));
        wiremock::Mock::given(wiremock::matchers::any())
            .respond_with(Unmatched { log: Arc::clone(&log) })
            .with_priority(u8::MAX)
            .mount(&server)
            .await;
        Arc::new(MockState { server, log, expectations: Mutex::new(Vec::new()) })
    }

    /// The server's base URL.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The mock server's own client, built.
    ///
    /// # Panics
    ///
    /// When it does not build, which a base URL of loopback and made-up credentials never make.
    pub fn built<T, E: std::fmt::Display>(client: Result<T, E>) -> T {
        match client {
            Ok(client) => client,
            Err(error) => panic!("the mock server's client does not build: {error}"),
        }
    }

    /// Fails the test (panics) with what went wrong, unless every expectation was met and no call
    /// was unexpected.
    pub fn verify(&self) {
        if let Err(message) = self.check() {
            panic!("{message}");
        }
    }

    /// Every expectation met, and no call unexpected; else what went wrong, and what was seen.
    pub fn check(&self) -> Result<(), String> {
        let log = self.log.lock().unwrap_or_else(PoisonError::into_inner);
        let expectations = self.expectations.lock().unwrap_or_else(PoisonError::into_inner);
        let mut out = String::new();
        for record in expectations.iter() {
            let count = record.count.load(Ordering::SeqCst);
            let met = match record.times {
                Some(n) => count == n,
                None => count >= 1,
            };
            if met {
                continue;
            }
            let expected = match record.times {
                Some(n) => format!("{n} call(s)"),
                None => "a call".to_string(),
            };
            let _ = writeln!(out, "- `{}` with {}: expected {expected}, got {count}", record.call, record.carrying);
            let calls: Vec<&Seen> = log.iter().filter(|seen| record.is_operation(seen)).collect();
            if calls.is_empty() {
                let _ = writeln!(out, "  no call of `{}` was seen", record.operation);
            } else {
                let _ = writeln!(out, "  calls of `{}` seen:", record.operation);
                for seen in calls {
                    let _ = writeln!(out, "    {seen}");
                }
            }
        }
        for seen in log.iter().filter(|seen| !seen.matched) {
            let _ = writeln!(out, "- a call no expectation matched (answered 404): {seen}");
        }
        if out.is_empty() {
            Ok(())
        } else {
            Err(format!("the mock server's expectations were not met:\n{out}"))
        }
    }
}

/// One mounted expectation, as the checks report it.
struct Record {
    call: &'static str,
    /// What a call must carry, as a reader writes it.
    carrying: String,
    operation: &'static str,
    method: Method,
    template: &'static str,
    times: Option<usize>,
    count: AtomicUsize,
}

impl Record {
    /// Whether a call is of this expectation's operation (its method, and a path its template makes).
    fn is_operation(&self, seen: &Seen) -> bool {
        let template: Vec<&str> = self.template.split('/').collect();
        let path: Vec<&str> = seen.path.split('/').collect();
        seen.method == self.method
            && template.len() == path.len()
            && template.iter().zip(&path).all(|(t, p)| (t.starts_with('{') && t.ends_with('}')) || t == p)
    }
}

/// A call the server saw.
struct Seen {
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    body: String,
    matched: bool,
}

impl Seen {
    fn of(request: &wiremock::Request, matched: bool) -> Seen {
        Seen {
            method: request.method.clone(),
            path: request.url.path().to_string(),
            query: decode(request.url.query().unwrap_or_default()),
            body: excerpt(&request.body),
            matched,
        }
    }
}

impl std::fmt::Display for Seen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method, self.path)?;
        if !self.query.is_empty() {
            let pairs: Vec<String> = self.query.iter().map(|(k, v)| format!("{k} = {v}")).collect();
            write!(f, " with {}", pairs.join(", "))?;
        }
        if !self.body.is_empty() {
            write!(f, " and the body {}", self.body)?;
        }
        Ok(())
    }
}

/// Decoded `name=value` pairs of a query string.
fn decode(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn describe(
    path: &str,
    query: &[(String, String)],
    headers: &[(HeaderName, HeaderValue)],
    body: Option<&[u8]>,
) -> String {
    let mut parts = vec![format!("path {path}")];
    parts.extend(query.iter().map(|(k, v)| format!("{k} = {v}")));
    parts.extend(headers.iter().map(|(k, v)| format!("{k}: {}", v.to_str().unwrap_or("…"))));
    if let Some(body) = body {
        parts.push(format!("the body {}", excerpt(body)));
    }
    parts.join(", ")
}

/// Whether a call is the one an expectation's builder would send: its method and path, the query
/// parameters and headers it sets (others may come too), and its body.
struct Matches {
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(HeaderName, HeaderValue)>,
    /// The body, and whether it is JSON (compared as values, not text).
    body: Option<(Vec<u8>, bool)>,
    record: Arc<Record>,
}

impl wiremock::Match for Matches {
    fn matches(&self, request: &wiremock::Request) -> bool {
        if self.record.times.is_some_and(|n| self.record.count.load(Ordering::SeqCst) >= n) {
            return false;
        }
        let query = decode(request.url.query().unwrap_or_default());
        request.method == self.method
            && request.url.path() == self.path
            && self.query.iter().all(|pair| query.contains(pair))
            && self.headers.iter().all(|(name, value)| request.headers.get_all(name).iter().any(|v| v == value))
            && match &self.body {
                None => true,
                Some((expected, true)) => {
                    let parse = |bytes: &[u8]| serde_json::from_slice::<serde_json::Value>(bytes).ok();
                    parse(expected).is_some_and(|expected| parse(&request.body) == Some(expected))
                }
                Some((expected, false)) => request.body == *expected,
            }
    }
}

/// Answers an expectation's calls in turn, counting and logging them.
struct Responder {
    answers: Vec<Answer>,
    record: Arc<Record>,
    log: Arc<Mutex<Vec<Seen>>>,
}

impl wiremock::Respond for Responder {
    fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
        let call = self.record.count.fetch_add(1, Ordering::SeqCst);
        self.log.lock().unwrap_or_else(PoisonError::into_inner).push(Seen::of(request, true));
        match self.answers.get(call).or(self.answers.last()) {
            Some(answer) => answer.template(),
            None => wiremock::ResponseTemplate::new(200),
        }
    }
}

/// Answers a call no expectation matched with `404`, and logs it.
struct Unmatched {
    log: Arc<Mutex<Vec<Seen>>>,
}

impl wiremock::Respond for Unmatched {
    fn respond(&self, request: &wiremock::Request) -> wiremock::ResponseTemplate {
        let seen = Seen::of(request, false);
        let message = format!("no expectation of the mock server matched {seen}");
        self.log.lock().unwrap_or_else(PoisonError::into_inner).push(seen);
        wiremock::ResponseTemplate::new(404).set_body_string(message)
    }
}
