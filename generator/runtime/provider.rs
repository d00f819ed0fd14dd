// Runtime support for generated clients: copied verbatim into each generated crate.

//! Credentials that change: a provider the client asks before each attempt, and asks once more,
//! to renew, when the server answers `401`. Calls that meet one expiry together share one renewal.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::credential::{Credential, Given, GivenFuture, Renewing, Secret};

/// What a provider's failure carries.
pub type ProviderError = Box<dyn std::error::Error + Send + Sync + 'static>;

impl Credential {
    /// A credential asked of `provider` before each attempt (and once more, to renew, after a
    /// `401`): for tokens that expire. See [`CredentialProvider`].
    pub fn provider(provider: impl CredentialProvider) -> Self {
        Credential(Secret::Provided(Arc::new(Provided {
            provider: Box::new(provider),
            generation: AtomicU64::new(0),
            renewing: futures::lock::Mutex::new(()),
        })))
    }
}

/// The future a [`CredentialProvider`] returns.
pub type CredentialFuture = Pin<Box<dyn Future<Output = Result<Credential, ProviderError>> + Send + 'static>>;

/// What the client asks a [`CredentialProvider`] for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CredentialRequest {
    /// The security scheme (its name in the API document).
    pub scheme: &'static str,
    /// The server answered `401 Unauthorized` to the credential given last: forget any cached one
    /// and make a new one (fetch a new token). `false` before an ordinary attempt, where a cached
    /// credential is the right answer.
    pub refresh: bool,
    /// The client's base URL, against which a provider may resolve a relative URL of its own (a
    /// token endpoint's).
    pub base_url: String,
}

/// A source of credentials for one security scheme, asked before each attempt of every call that
/// uses the scheme, so it may hand out a token that changes. It may cache (the client asks often);
/// when asked with [`CredentialRequest::refresh`], it must not.
///
/// A closure `Fn(CredentialRequest) -> impl Future<Output = Result<Credential, ProviderError>>` is
/// a provider. On a `401`, the client asks once with `refresh` and repeats the request once; many
/// calls that meet the same `401` at once share that one renewal. A provider's error fails the call
/// with a [`TransportError`](super::TransportError) whose [`is_credential`](super::TransportError::is_credential) is true.
pub trait CredentialProvider: Send + Sync + 'static {
    /// The credential to send now.
    fn credential(&self, request: CredentialRequest) -> CredentialFuture;
}

impl<F, Fut> CredentialProvider for F
where
    F: Fn(CredentialRequest) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Credential, ProviderError>> + Send + 'static,
{
    fn credential(&self, request: CredentialRequest) -> CredentialFuture {
        Box::pin(self(request))
    }
}

/// A provider as a client holds it: shared by every clone, renewed by one call at a time.
struct Provided {
    provider: Box<dyn CredentialProvider>,
    /// How many renewals there have been: a call that saw a `401` with a credential of an older
    /// generation knows another call renewed it since, and does not renew again.
    generation: AtomicU64,
    renewing: futures::lock::Mutex<()>,
}

impl Provided {
    async fn ask(&self, scheme: &'static str, base_url: &str) -> Result<Given, ProviderError> {
        // Read before asking: a renewal that lands while the provider answers makes the
        // credential newer than its generation says, which at worst renews once more.
        let generation = self.generation.load(Ordering::Acquire);
        let request = CredentialRequest { scheme, refresh: false, base_url: base_url.to_string() };
        let credential = self.provider.credential(request).await?;
        Ok(Given { credential, generation })
    }

    async fn renewed(&self, scheme: &'static str, base_url: &str, seen: u64) -> Result<Given, ProviderError> {
        let _one_at_a_time = self.renewing.lock().await;
        let generation = self.generation.load(Ordering::Acquire);
        if generation != seen {
            // Another call renewed it since this one's attempt.
            return self.ask(scheme, base_url).await;
        }
        let request = CredentialRequest { scheme, refresh: true, base_url: base_url.to_string() };
        let credential = self.provider.credential(request).await?;
        self.generation.store(generation + 1, Ordering::Release);
        Ok(Given { credential, generation: generation + 1 })
    }
}

impl Renewing for Provided {
    fn current<'a>(&'a self, scheme: &'static str, base_url: &'a str) -> GivenFuture<'a> {
        Box::pin(self.ask(scheme, base_url))
    }

    fn renew<'a>(&'a self, scheme: &'static str, base_url: &'a str, seen: u64) -> GivenFuture<'a> {
        Box::pin(self.renewed(scheme, base_url, seen))
    }
}

impl fmt::Debug for Provided {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Provided").field("renewals", &self.generation.load(Ordering::Relaxed)).finish_non_exhaustive()
    }
}
