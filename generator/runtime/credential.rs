// Runtime support for generated clients: copied verbatim into each generated crate.

//! Credentials for a security scheme, made from the caller's secrets, kept out of `Debug`.

use std::fmt;
#[cfg(feature = "refresh")]
use std::future::Future;
#[cfg(feature = "refresh")]
use std::pin::Pin;
#[cfg(feature = "refresh")]
use std::sync::Arc;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, AUTHORIZATION, COOKIE};

use super::percent::encode;

/// A provider's failure.
#[cfg(feature = "refresh")]
pub(super) type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A credential that is given anew for each attempt (a provider's, in `provider.rs`, feature
/// `refresh`), and renewed after a `401`.
#[cfg(feature = "refresh")]
pub(super) trait Renewing: Send + Sync {
    /// The credential for the next attempt.
    fn current<'a>(&'a self, scheme: &'static str, base_url: &'a str) -> GivenFuture<'a>;
    /// After a `401` to a credential of generation `seen`: the renewed one.
    fn renew<'a>(&'a self, scheme: &'static str, base_url: &'a str, seen: u64) -> GivenFuture<'a>;
}

#[cfg(feature = "refresh")]
pub(super) type GivenFuture<'a> = Pin<Box<dyn Future<Output = Result<Given, BoxError>> + Send + 'a>>;

/// A credential for one attempt, with the generation (the count of renewals) it was given in.
#[cfg(feature = "refresh")]
pub(super) struct Given {
    pub(super) credential: Credential,
    pub(super) generation: u64,
}

/// How a credential is attached. Header secrets are `HeaderValue`s marked
/// sensitive (so `HeaderMap`'s own `Debug` and HTTP/2 HPACK treat them as secret).
#[derive(Clone)]
pub(super) enum Secret {
    /// Sets `Authorization` (bearer or basic).
    Authorization(HeaderValue),
    /// Sets a named header.
    Header(HeaderName, HeaderValue),
    /// Adds a query pair (both parts already percent-encoded).
    Query(String, String),
    /// Adds `name=value` (value percent-encoded) to the `Cookie` header.
    Cookie(HeaderValue),
    /// The input is empty or cannot be sent in a header: refused by
    /// `ClientCore::new`, and by every call that would use it.
    Invalid(&'static str),
    /// Asked of a provider before each attempt.
    #[cfg(feature = "refresh")]
    Provided(Arc<dyn Renewing>),
}

impl Secret {
    /// Puts the credential on a request's headers, or its query (pairs already encoded). A
    /// provided one is resolved first, by the caller, into one of the others.
    pub(super) fn apply(&self, headers: &mut HeaderMap, query: &mut Vec<(String, String)>) {
        match self {
            Secret::Authorization(value) => {
                headers.insert(AUTHORIZATION, value.clone());
            }
            Secret::Header(name, value) => {
                headers.insert(name.clone(), value.clone());
            }
            Secret::Query(name, value) => query.push((name.clone(), value.clone())),
            Secret::Cookie(pair) => {
                let cookie = match headers.get(COOKIE).map(HeaderValue::as_bytes) {
                    Some(existing) => [existing, b"; ", pair.as_bytes()].concat(),
                    None => pair.as_bytes().to_vec(),
                };
                if let Ok(mut value) = HeaderValue::from_bytes(&cookie) {
                    value.set_sensitive(true);
                    headers.insert(COOKIE, value);
                }
            }
            Secret::Invalid(_) => {}
            #[cfg(feature = "refresh")]
            Secret::Provided(_) => {}
        }
    }
}

/// A secret for one security scheme (or, with the feature `refresh`, what a `CredentialProvider` hands out). Its `Debug` output
/// never shows the secret.
///
/// The constructors never fail. A secret that is empty or only whitespace,
/// or that cannot be sent in an HTTP header (e.g. containing a newline),
/// makes the client's `build()` return [`BuildError::InvalidCredential`](super::BuildError::InvalidCredential), and a
/// call that would send it fails with an `InvalidRequest` before any I/O.
#[derive(Clone)]
pub struct Credential(pub(super) Secret);

const EMPTY: &str = "is empty";
const NOT_A_HEADER: &str = "is not a valid HTTP header value";

fn sensitive(text: &str) -> Result<HeaderValue, &'static str> {
    let mut value = HeaderValue::from_str(text).map_err(|_| NOT_A_HEADER)?;
    value.set_sensitive(true);
    Ok(value)
}

fn non_empty(secret: &str) -> Result<&str, &'static str> {
    if secret.trim().is_empty() {
        Err(EMPTY)
    } else {
        Ok(secret)
    }
}

impl Credential {
    /// `Authorization: Bearer <token>` (HTTP bearer scheme, also used for OAuth2/OpenID Connect tokens).
    pub fn bearer(token: impl AsRef<str>) -> Self {
        let secret = non_empty(token.as_ref()).and_then(|token| sensitive(&format!("Bearer {token}")));
        Credential(secret.map_or_else(Secret::Invalid, Secret::Authorization))
    }

    /// `Authorization: Basic <base64(user:password)>` (HTTP basic scheme).
    pub fn basic(user: impl AsRef<str>, password: impl AsRef<str>) -> Self {
        let secret = non_empty(user.as_ref()).and_then(|user| {
            let pair = format!("{user}:{}", password.as_ref());
            sensitive(&format!("Basic {}", base64(pair.as_bytes())))
        });
        Credential(secret.map_or_else(Secret::Invalid, Secret::Authorization))
    }

    /// An API key sent in the header `name`.
    pub fn api_key_header(name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        let name = HeaderName::from_bytes(name.as_ref().as_bytes()).map_err(|_| "names no valid HTTP header");
        let secret = name.and_then(|name| Ok((name, sensitive(non_empty(value.as_ref())?)?)));
        Credential(secret.map_or_else(Secret::Invalid, |(name, value)| Secret::Header(name, value)))
    }

    /// An API key sent as the query parameter `name`.
    ///
    /// Query strings end up in server and proxy logs; prefer a header scheme
    /// when the API offers one.
    pub fn api_key_query(name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        match non_empty(value.as_ref()) {
            Ok(value) => Credential(Secret::Query(encode(name.as_ref()), encode(value))),
            Err(reason) => Credential(Secret::Invalid(reason)),
        }
    }

    /// An API key sent in the cookie `name` (its value percent-encoded).
    pub fn api_key_cookie(name: impl AsRef<str>, value: impl AsRef<str>) -> Self {
        let secret = non_empty(value.as_ref())
            .and_then(|value| sensitive(&format!("{}={}", encode(name.as_ref()), encode(value))));
        Credential(secret.map_or_else(Secret::Invalid, Secret::Cookie))
    }

    /// `Authorization: <value>` as given, for HTTP schemes the client cannot compute itself
    /// (digest, HOBA, signatures…).
    pub fn authorization(value: impl AsRef<str>) -> Self {
        let secret = non_empty(value.as_ref()).and_then(sensitive);
        Credential(secret.map_or_else(Secret::Invalid, Secret::Authorization))
    }

    fn kind(&self) -> &'static str {
        match &self.0 {
            Secret::Authorization(_) => "authorization",
            Secret::Header(..) => "api_key_header",
            Secret::Query(..) => "api_key_query",
            Secret::Cookie(_) => "api_key_cookie",
            Secret::Invalid(_) => "invalid",
            #[cfg(feature = "refresh")]
            Secret::Provided(_) => "provider",
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
            _ => &mut out,
        };
        out.finish_non_exhaustive()
    }
}

/// Standard base64 with padding (RFC 4648), for basic auth.
pub(super) fn base64(input: &[u8]) -> String {
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
}
