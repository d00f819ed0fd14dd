// Runtime support for generated clients: copied verbatim into each generated crate.

//! A request the document does not describe, sent with the client's settings.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use reqwest::Method;
use serde::Serialize;

use super::blocking::Async;
#[cfg(feature = "blocking")]
use super::blocking::Blocking;
use super::client::ClientCore;
use super::error::Failure;
use super::request::{CallOptions, Request};
use super::response::RawResponse;
use super::retry::RetryPolicy;

/// A request to any path of the API, for a call the document does not
/// describe yet: built by `Client::request`.
///
/// It keeps the client's base URL, credentials (the document's default
/// security), default headers, retries, timeouts and deadline, and returns
/// the raw response whatever its status. `E` is the crate's error type.
#[must_use = "a request does nothing until it is sent"]
pub struct RawRequest<E, M = Async> {
    core: ClientCore,
    request: Request,
    options: CallOptions,
    invalid: Option<Failure>,
    error: PhantomData<fn() -> (E, M)>,
}

impl<E, M> fmt::Debug for RawRequest<E, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RawRequest")
            .field("request", &self.request)
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl<E: From<Failure>, M> RawRequest<E, M> {
    /// A request for `path` (relative to the base URL, sent as written: encode
    /// its segments yourself), with the credentials of `security`.
    #[doc(hidden)]
    pub fn new(
        core: ClientCore,
        method: Method,
        path: impl Into<String>,
        security: &'static [&'static [&'static str]],
    ) -> Self {
        let request = Request::new(method, path.into(), "custom request", security);
        RawRequest { core, request, options: CallOptions::new(), invalid: None, error: PhantomData }
    }

    /// The same request, sent the other way (async or blocking).
    #[doc(hidden)]
    pub fn into_mode<N>(self) -> RawRequest<E, N> {
        let RawRequest { core, request, options, invalid, .. } = self;
        RawRequest { core, request, options, invalid, error: PhantomData }
    }

    fn keep(&mut self, result: Result<(), Failure>) {
        if let Err(failure) = result {
            self.invalid.get_or_insert(failure);
        }
    }

    /// Adds a query parameter (form style: an array repeats the name).
    pub fn query(mut self, name: &str, value: &impl Serialize) -> Self {
        let result = self.request.query(name, value);
        self.keep(result);
        self
    }

    /// Adds a header, replacing one the client would send.
    pub fn header(mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        self.options.header(name.as_ref(), value.as_ref());
        self
    }

    /// Sends `body` as JSON.
    pub fn json(mut self, body: &impl Serialize) -> Self {
        let result = self.request.json_body(body, "application/json");
        self.keep(result);
        self
    }

    /// Sends these bytes, or this stream ([`Upload`](crate::runtime::Upload)), with this content type.
    pub fn body(mut self, body: impl Into<super::upload::Upload>, content_type: &str) -> Self {
        self.request.bytes_body(body.into(), content_type);
        self
    }

    /// Overrides the client's retry policy for this call.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = Some(policy);
        self
    }

    /// Overrides the client's time limit per attempt for this call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Overrides the client's deadline for this whole call.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.options.deadline = Some(deadline);
        self
    }

    async fn execute(self) -> Result<RawResponse, E> {
        if let Some(failure) = self.invalid {
            return Err(failure.into());
        }
        self.core.execute(self.request, &self.options).await.map_err(E::from)
    }
}

impl<E: From<Failure>> RawRequest<E> {
    /// Sends the request; any status is a response, decode it with
    /// [`RawResponse::json`] and the like.
    pub async fn send(self) -> Result<RawResponse, E> {
        self.execute().await
    }
}

#[cfg(feature = "blocking")]
impl<E: From<Failure>> RawRequest<E, Blocking> {
    /// Sends the request, blocking; any status is a response.
    pub fn send(self) -> Result<RawResponse, E> {
        let core = self.core.clone();
        core.block_on(self.execute())
    }
}
