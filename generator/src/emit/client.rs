//! The `client` module: `Server`, `Client` and `ClientBuilder`, from the servers and security schemes.

use super::docs::doc;
use crate::config::Config;
use crate::model::{Api, SecurityKind};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

pub fn client_module(api: &Api, config: &Config) -> TokenStream {
    let server = server_enum(api);
    let default_url = match api.servers.first() {
        Some(_) => quote!(Server::default().url().to_string()),
        None => quote!(String::new()),
    };
    let server_setter = (!api.servers.is_empty()).then(|| {
        quote! {
            /// Sends requests to one of the servers the API document lists.
            pub fn server(mut self, server: Server) -> Self {
                self.config.base_url = server.url().to_string();
                self
            }
        }
    });
    let credentials = api.security_schemes.iter().map(|scheme| {
        let setter = ident(&scheme.setter);
        let key = &scheme.key;
        if scheme.kind == SecurityKind::MutualTls {
            return mutual_tls_setter(&setter, key, scheme.description.as_deref());
        }
        let (args, credential) = credential_call(&scheme.kind);
        let summary = format!(
            "Authenticates as `{key}` with {}, for the operations that accept it. An empty or invalid secret makes `build()` fail.",
            credential_text(&scheme.kind)
        );
        let docs = doc(Some(&summary), "");
        let details = scheme.description.as_deref().map(super::docs::prose_paragraph);
        let provider = scheme.provider_method.as_ref().map(|method| {
            let method = ident(method);
            let text = format!(
                " Authenticates as `{key}` with the credential `provider` gives before each attempt (for tokens that expire; feature `refresh`): on a `401`, it is asked once more to renew it, and the request is repeated once. See [`CredentialProvider`](crate::CredentialProvider)."
            );
            quote! {
                #[doc = #text]
                #[cfg(feature = "refresh")]
                pub fn #method(mut self, provider: impl crate::CredentialProvider) -> Self {
                    self.config = self.config.credential(#key, crate::Credential::provider(provider));
                    self
                }
            }
        });
        let client_credentials = scheme.client_credentials.as_ref().zip(scheme.provider_method.as_ref()).map(|(flow, provider)| {
            let method = ident(&flow.method);
            let provider = ident(provider);
            let url = &flow.token_url;
            let scopes = &flow.scopes;
            let scopes = (!scopes.is_empty()).then(|| quote!(.scopes([#(#scopes),*])));
            let text = format!(
                " Authenticates as `{key}` with OAuth2's client credentials flow (feature `refresh`): the client fetches an access token from `{url}` (relative to the base URL if it is relative), keeps it until shortly before it expires, and fetches a new one then or on a `401`. For another token URL or other scopes, give a [`ClientCredentials`](crate::ClientCredentials) to the `_provider` method."
            );
            quote! {
                #[doc = #text]
                #[cfg(feature = "refresh")]
                pub fn #method(self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
                    let flow = crate::ClientCredentials::new(#url, client_id, client_secret) #scopes;
                    self.#provider(flow)
                }
            }
        });
        quote! {
            #docs
            #details
            pub fn #setter(mut self, #args) -> Self {
                self.config = self.config.credential(#key, #credential);
                self
            }
            #provider
            #client_credentials
        }
    });
    let with_credentials = api.security_schemes.iter().filter_map(|scheme| {
        let method = ident(scheme.clone_method.as_ref()?);
        let key = &scheme.key;
        let (args, credential) = credential_call(&scheme.kind);
        let text = format!(
            " A clone of this client that authenticates as `{key}` with {}: it shares the connection pool and every setting, so make one per customer or per call. An empty or invalid secret fails each call that would send it, before any I/O.",
            credential_text(&scheme.kind)
        );
        Some(quote! {
            #[doc = #text]
            pub fn #method(&self, #args) -> Self {
                Client { core: self.core.with_credential(#key, #credential) }
            }
        })
    });
    let security = api.default_security.iter().map(|alt| quote!(&[#(#alt),*]));
    let version = api.version_header.as_ref().map(|header| {
        let version = &api.version;
        let text = format!(
            " The API version sent in the `{header}` header of every request (default `{version}`, the version this crate was generated for). Responses of another version may not decode into this crate's types."
        );
        (
            quote!(config.headers.push((#header.to_string(), #version.to_string()));),
            quote! {
                #[doc = #text]
                pub fn api_version(mut self, version: impl Into<String>) -> Self {
                    self.config.headers.retain(|(name, _)| !name.eq_ignore_ascii_case(#header));
                    self.config.headers.push((#header.to_string(), version.into()));
                    self
                }
            },
        )
    });
    let (version_default, version_setter) = version.unzip();
    let root_certificate = api.security_schemes.iter().any(|s| s.kind == SecurityKind::MutualTls).then(|| {
        quote! {
            /// Trusts this certificate authority besides the system's, for a server whose certificate a
            /// private one signed (`reqwest::Certificate::from_pem` reads it). `build()` fails if
            /// `http_client` gives a transport of your own: set it on that client instead.
            pub fn root_certificate(mut self, certificate: ::reqwest::Certificate) -> Self {
                self.config.root_certificates.push(certificate);
                self
            }
        }
    });
    let blocking = blocking_module(api);
    let user_agent = format!("{}/{} (API {})", config.crate_name(), config.package.version, api.version);
    let title = format!(" A client for the {} (version {}).", api.title, api.version);
    quote! {
        //! The client, its builder and the servers it can talk to.

        #server

        #[doc = #title]
        ///
        /// Cheap to clone: clones share one connection pool. Build one with [`Client::builder`].
        #[derive(Debug, Clone)]
        pub struct Client {
            pub(crate) core: crate::runtime::ClientCore,
        }

        impl Client {
            /// Starts configuring a client.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::default()
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                self.core.base_url()
            }

            #(#with_credentials)*

            /// A request to any path, for a call the document does not describe yet. It keeps the base URL,
            /// credentials, default headers, retries, timeouts and deadline, and returns the raw response.
            /// `path` is relative to the base URL and sent as written (encode its segments yourself).
            pub fn request(&self, method: ::reqwest::Method, path: impl Into<String>) -> crate::RawRequest<crate::Error> {
                crate::runtime::RawRequest::new(self.core.clone(), method, path, &[#(#security),*])
            }
        }

        /// Configures a [`Client`]: server, credentials, retries, timeouts and transport.
        #[derive(Debug)]
        pub struct ClientBuilder {
            config: crate::runtime::ClientConfig,
        }

        impl Default for ClientBuilder {
            fn default() -> Self {
                let mut config = crate::runtime::ClientConfig::new(#default_url);
                config.user_agent = #user_agent.to_string();
                #version_default
                ClientBuilder { config }
            }
        }

        impl ClientBuilder {
            #server_setter

            /// Sends requests to another base URL (a proxy, a mock, a test server); it must be http(s).
            pub fn base_url(mut self, url: impl Into<String>) -> Self {
                self.config.base_url = url.into();
                self
            }

            #(#credentials)*

            /// The retry policy for every request, unless a call sets its own.
            pub fn retry_policy(mut self, policy: crate::runtime::RetryPolicy) -> Self {
                self.config.retry = policy;
                self
            }

            /// The time limit for each attempt of every request (default 30 s), unless a call sets its own.
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.config.timeout = Some(timeout);
                self
            }

            /// The time limit for a whole call, retries and waits included (default none), unless a call sets
            /// its own. When it passes, the call fails with a `Timeout` whose `is_deadline()` is true.
            pub fn deadline(mut self, deadline: ::std::time::Duration) -> Self {
                self.config.deadline = Some(deadline);
                self
            }

            #version_setter

            #root_certificate

            /// Uses this `reqwest::Client` (its pool, proxy and TLS settings) instead of a new one.
            pub fn http_client(mut self, client: ::reqwest::Client) -> Self {
                self.config.http = Some(client);
                self
            }

            /// Sends every attempt through this `reqwest-middleware` chain (feature `middleware`), in place of
            /// the client's own `reqwest::Client`: tracing, OpenTelemetry, caching or signing middleware then
            /// see each request as it goes out. The client's retries, timeouts and deadline stay above the
            /// chain: each retry passes through it again. A retrying middleware in the chain would retry
            /// inside one of the client's attempts, multiplying the two; turn one of them off
            /// ([`RetryPolicy::none`](crate::RetryPolicy::none)). `build()` fails if a client certificate or
            /// a root certificate is set too: set those on the chain's client.
            #[cfg(feature = "middleware")]
            pub fn middleware(mut self, client: ::reqwest_middleware::ClientWithMiddleware) -> Self {
                self.config.middleware = Some(client);
                self
            }

            /// The mock server the client talks to, for the expectations made from it.
            #[cfg(feature = "mock")]
            pub(crate) fn mock(mut self, state: ::std::sync::Arc<dyn ::std::any::Any + Send + Sync>) -> Self {
                self.config.mock = Some(state);
                self
            }

            /// Replaces the `User-Agent` header, which by default names this crate, its version and the API version.
            pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
                self.config.user_agent = user_agent.into();
                self
            }

            /// Builds the client; fails on a base URL that is not http(s) or a transport that cannot start.
            pub fn build(self) -> Result<Client, crate::runtime::BuildError> {
                crate::runtime::ClientCore::new(self.config).map(|core| Client { core })
            }

            /// Builds a [`blocking::Client`], whose requests block the calling thread instead of being awaited
            /// (feature `blocking`). It starts a private tokio runtime, so build it outside any async context.
            #[cfg(feature = "blocking")]
            pub fn build_blocking(mut self) -> Result<blocking::Client, crate::runtime::BuildError> {
                self.config.blocking = true;
                self.build().map(|inner| blocking::Client { inner })
            }
        }

        #blocking
    }
}

fn server_enum(api: &Api) -> Option<TokenStream> {
    let first = api.servers.first()?;
    let variants = api.servers.iter().map(|s| {
        let name = ident(&s.name);
        let text = format!("`{}`", s.url);
        let docs = doc(s.description.as_deref(), &text);
        let default = (s.name == first.name).then(|| quote!(#[default]));
        quote!(#docs #default #name,)
    });
    let urls = api.servers.iter().map(|s| {
        let name = ident(&s.name);
        let url = &s.url;
        quote!(Server::#name => #url,)
    });
    Some(quote! {
        /// The servers listed by the API document; the first is the default.
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Server {
            #(#variants)*
        }

        impl Server {
            /// The server's base URL.
            pub const fn url(self) -> &'static str {
                match self {
                    #(#urls)*
                }
            }
        }
    })
}

/// The setter of a `mutualTLS` scheme's client certificate, and (once) the one that trusts a
/// private certificate authority, which such servers often use.
fn mutual_tls_setter(setter: &proc_macro2::Ident, key: &str, description: Option<&str>) -> TokenStream {
    let summary = format!(
        "Authenticates as `{key}` with a client certificate, presented in the TLS handshake of every connection (`reqwest::Identity::from_pem` reads a PEM file with the certificate chain and the private key). `build()` fails if `http_client` gives a transport of your own: set the identity on it instead."
    );
    let docs = doc(Some(&summary), "");
    let details = description.map(super::docs::prose_paragraph);
    quote! {
        #docs
        #details
        pub fn #setter(mut self, identity: ::reqwest::Identity) -> Self {
            self.config.identity = Some(identity);
            self
        }
    }
}

/// The arguments of a credential setter and the `Credential` it makes.
pub(super) fn credential_call(kind: &SecurityKind) -> (TokenStream, TokenStream) {
    match kind {
        SecurityKind::Bearer => (quote!(token: impl AsRef<str>), quote!(crate::runtime::Credential::bearer(token))),
        SecurityKind::Basic => (
            quote!(user: impl AsRef<str>, password: impl AsRef<str>),
            quote!(crate::runtime::Credential::basic(user, password)),
        ),
        SecurityKind::ApiKeyHeader(name) => {
            (quote!(key: impl AsRef<str>), quote!(crate::runtime::Credential::api_key_header(#name, key)))
        }
        SecurityKind::ApiKeyQuery(name) => {
            (quote!(key: impl AsRef<str>), quote!(crate::runtime::Credential::api_key_query(#name, key)))
        }
        SecurityKind::ApiKeyCookie(name) => {
            (quote!(key: impl AsRef<str>), quote!(crate::runtime::Credential::api_key_cookie(#name, key)))
        }
        SecurityKind::Authorization(_) => {
            (quote!(value: impl AsRef<str>), quote!(crate::runtime::Credential::authorization(value)))
        }
        // Never called: a client certificate is no per-request credential (see `mutual_tls_setter`).
        SecurityKind::MutualTls => (quote!(), quote!()),
    }
}

fn credential_text(kind: &SecurityKind) -> String {
    match kind {
        SecurityKind::Bearer => "a bearer token (`Authorization: Bearer …`)".to_string(),
        SecurityKind::Basic => "HTTP basic authentication".to_string(),
        SecurityKind::ApiKeyHeader(name) => format!("an API key in the `{name}` header"),
        SecurityKind::ApiKeyQuery(name) => format!("an API key in the `{name}` query parameter"),
        SecurityKind::ApiKeyCookie(name) => format!("an API key in the `{name}` cookie"),
        SecurityKind::Authorization(scheme) => {
            format!("the `{scheme}` HTTP scheme: the whole `Authorization` header value, which you compute")
        }
        SecurityKind::MutualTls => "a client certificate".to_string(),
    }
}

/// `blocking::Client`: the same API, with builders whose `send()` blocks (feature `blocking`).
fn blocking_module(api: &Api) -> TokenStream {
    let with_credentials = api.security_schemes.iter().filter_map(|scheme| {
        let method = ident(scheme.clone_method.as_ref()?);
        let (args, _) = credential_call(&scheme.kind);
        let names = match scheme.kind {
            SecurityKind::Basic => quote!(user, password),
            SecurityKind::Bearer => quote!(token),
            SecurityKind::Authorization(_) => quote!(value),
            _ => quote!(key),
        };
        let text = format!(" A clone that authenticates as `{}` (see [`crate::Client::{method}`]).", scheme.key);
        Some(quote! {
            #[doc = #text]
            pub fn #method(&self, #args) -> Self {
                Client { inner: self.inner.#method(#names) }
            }
        })
    });
    quote! {
        /// The blocking client (feature `blocking`), for scripts and command-line tools.
        ///
        /// It has the async client's API, with the same request builders, but `send()` blocks the calling
        /// thread and paginated operations offer `iter()` instead of `stream()`. It runs the async client on a
        /// private tokio runtime (as `reqwest::blocking` does), so retries, timeouts and pagination behave
        /// the same; do not use it inside an async context.
        #[cfg(feature = "blocking")]
        pub mod blocking {
            /// A blocking client; build one with [`ClientBuilder::build_blocking`](crate::ClientBuilder::build_blocking).
            ///
            /// Cheap to clone: clones share one connection pool and runtime.
            #[derive(Debug, Clone)]
            pub struct Client {
                pub(crate) inner: crate::Client,
            }

            impl Client {
                /// The base URL requests go to.
                pub fn base_url(&self) -> &str {
                    self.inner.base_url()
                }

                #(#with_credentials)*

                /// A request to any path, as [`crate::Client::request`], sent with a blocking `send()`.
                pub fn request(
                    &self,
                    method: ::reqwest::Method,
                    path: impl Into<String>,
                ) -> crate::RawRequest<crate::Error, crate::runtime::Blocking> {
                    let request = self.inner.request(method, path);
                    request.into_mode()
                }
            }
        }
    }
}
