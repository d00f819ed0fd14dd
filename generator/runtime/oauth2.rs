// Runtime support for generated clients: copied verbatim into each generated crate.

//! OAuth2's client credentials grant (RFC 6749, section 4.4) as a [`CredentialProvider`]: the
//! client fetches an access token with its id and secret, keeps it until shortly before it
//! expires, and fetches a new one when it does or when the server answers `401`.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};

use super::credential::{base64, Credential};
use super::excerpt::excerpt;
use super::provider::{CredentialFuture, CredentialProvider, CredentialRequest, ProviderError};

/// Fetches, caches and renews an OAuth2 access token with the client credentials grant, and sends
/// it as `Authorization: Bearer`. Clones share one token.
///
/// The token is renewed when less than a tenth of its lifetime (at most 30 s) is left, when the
/// API answers `401`, and never more than once at a time. A token response without `expires_in`
/// is kept until a `401`.
#[derive(Clone)]
pub struct ClientCredentials(Arc<Inner>);

struct Inner {
    token_url: String,
    client_id: String,
    client_secret: String,
    scopes: Vec<String>,
    secret_in_body: bool,
    http: Option<reqwest::Client>,
    token: futures::lock::Mutex<Option<Token>>,
}

struct Token {
    credential: Credential,
    /// When to fetch the next one; `None` when the server gave no lifetime.
    renew_at: Option<tokio::time::Instant>,
}

impl ClientCredentials {
    /// The grant at `token_url` (absolute, or relative to the client's base URL) with this id and
    /// secret, sent in an `Authorization: Basic` header (`client_secret_basic`).
    pub fn new(token_url: impl Into<String>, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
        ClientCredentials(Arc::new(Inner {
            token_url: token_url.into(),
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            scopes: Vec::new(),
            secret_in_body: false,
            http: None,
            token: futures::lock::Mutex::new(None),
        }))
    }

    fn with(self, change: impl FnOnce(&mut Inner)) -> Self {
        let mut inner = Arc::try_unwrap(self.0).unwrap_or_else(|shared| Inner {
            token_url: shared.token_url.clone(),
            client_id: shared.client_id.clone(),
            client_secret: shared.client_secret.clone(),
            scopes: shared.scopes.clone(),
            secret_in_body: shared.secret_in_body,
            http: shared.http.clone(),
            token: futures::lock::Mutex::new(None),
        });
        change(&mut inner);
        ClientCredentials(Arc::new(inner))
    }

    /// The scopes to ask for (sent space-separated as `scope`; none by default).
    pub fn scopes(self, scopes: impl IntoIterator<Item = impl Into<String>>) -> Self {
        let scopes = scopes.into_iter().map(Into::into).collect();
        self.with(|inner| inner.scopes = scopes)
    }

    /// Sends the id and secret in the form body (`client_secret_post`) instead of a basic header,
    /// for servers that want them there.
    pub fn secret_in_body(self) -> Self {
        self.with(|inner| inner.secret_in_body = true)
    }

    /// Fetches tokens with this `reqwest::Client` rather than one of its own.
    pub fn http_client(self, client: reqwest::Client) -> Self {
        self.with(|inner| inner.http = Some(client))
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the secret.
        f.debug_struct("ClientCredentials")
            .field("token_url", &self.0.token_url)
            .field("client_id", &self.0.client_id)
            .field("scopes", &self.0.scopes)
            .finish_non_exhaustive()
    }
}

impl CredentialProvider for ClientCredentials {
    fn credential(&self, request: CredentialRequest) -> CredentialFuture {
        let inner = Arc::clone(&self.0);
        Box::pin(async move {
            let mut token = inner.token.lock().await;
            let fresh = token.as_ref().filter(|token| {
                !request.refresh && !matches!(token.renew_at, Some(at) if tokio::time::Instant::now() >= at)
            });
            if let Some(fresh) = fresh {
                return Ok(fresh.credential.clone());
            }
            let fetched = inner.fetch(&request.base_url).await?;
            let credential = fetched.credential.clone();
            *token = Some(fetched);
            Ok(credential)
        })
    }
}

/// An error of the token endpoint, with what it said.
#[derive(Debug)]
struct TokenError(String);

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the OAuth2 token request failed: {}", self.0)
    }
}

impl std::error::Error for TokenError {}

/// The token endpoint's answer (RFC 6749, section 5.1).
#[derive(serde::Deserialize)]
struct TokenResponse {
    access_token: String,
    token_type: String,
    expires_in: Option<u64>,
}

impl Inner {
    async fn fetch(&self, base_url: &str) -> Result<Token, ProviderError> {
        let url = match reqwest::Url::parse(&self.token_url) {
            Ok(url) => url,
            Err(_) => reqwest::Url::parse(&format!("{}/{}", base_url, self.token_url.trim_start_matches('/')))?,
        };
        // Built before any await: the serializer is not `Send`.
        let body = {
            let mut form = form_urlencoded::Serializer::new(String::new());
            form.append_pair("grant_type", "client_credentials");
            if !self.scopes.is_empty() {
                form.append_pair("scope", &self.scopes.join(" "));
            }
            if self.secret_in_body {
                form.append_pair("client_id", &self.client_id);
                form.append_pair("client_secret", &self.client_secret);
            }
            form.finish()
        };
        let http = match &self.http {
            Some(http) => http.clone(),
            None => reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?,
        };
        let mut builder = http
            .post(url)
            .header(CONTENT_TYPE, HeaderValue::from_static("application/x-www-form-urlencoded"))
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .body(body);
        if !self.secret_in_body {
            // Each part form-encoded first (RFC 6749, section 2.3.1).
            let encode = |text: &str| form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>();
            let pair = format!("{}:{}", encode(&self.client_id), encode(&self.client_secret));
            let mut value = HeaderValue::from_str(&format!("Basic {}", base64(pair.as_bytes())))?;
            value.set_sensitive(true);
            builder = builder.header(AUTHORIZATION, value);
        }
        let started = tokio::time::Instant::now();
        let response = builder.send().await.map_err(reqwest::Error::without_url)?;
        let status = response.status();
        let body = response.bytes().await.map_err(reqwest::Error::without_url)?;
        if !status.is_success() {
            return Err(Box::new(TokenError(format!("{status}: {}", excerpt(&body)))));
        }
        let token: TokenResponse = serde_json::from_slice(&body)
            .map_err(|error| TokenError(format!("the response is not a token ({error}): {}", excerpt(&body))))?;
        if !token.token_type.eq_ignore_ascii_case("bearer") {
            return Err(Box::new(TokenError(format!("token type `{}` is not `Bearer`", token.token_type))));
        }
        let credential = Credential::bearer(&token.access_token);
        let renew_at = token.expires_in.map(|seconds| {
            let lifetime = Duration::from_secs(seconds);
            started + lifetime - (lifetime / 10).min(Duration::from_secs(30))
        });
        Ok(Token { credential, renew_at })
    }
}
