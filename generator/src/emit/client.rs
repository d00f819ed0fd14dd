//! The `client` module: `Server`, `Client` and `ClientBuilder`, from the servers and security schemes.

use super::docs::doc;
use super::ty::ident;
use crate::model::{Api, SecurityKind};
use crate::Options;
use proc_macro2::TokenStream;
use quote::quote;

pub fn client_module(api: &Api, options: &Options) -> TokenStream {
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
        let (args, credential, what) = match &scheme.kind {
            SecurityKind::Bearer => (
                quote!(token: impl AsRef<str>),
                quote!(crate::runtime::Credential::bearer(token)),
                "a bearer token (`Authorization: Bearer …`)".to_string(),
            ),
            SecurityKind::Basic => (
                quote!(user: impl AsRef<str>, password: impl AsRef<str>),
                quote!(crate::runtime::Credential::basic(user, password)),
                "HTTP basic authentication".to_string(),
            ),
            SecurityKind::ApiKeyHeader(name) => (
                quote!(key: impl AsRef<str>),
                quote!(crate::runtime::Credential::api_key_header(#name, key)),
                format!("an API key in the `{name}` header"),
            ),
            SecurityKind::ApiKeyQuery(name) => (
                quote!(key: impl AsRef<str>),
                quote!(crate::runtime::Credential::api_key_query(#name, key)),
                format!("an API key in the `{name}` query parameter"),
            ),
        };
        let summary = format!("Authenticates as `{key}` with {what}, for the operations that accept it.");
        let docs = doc(Some(&summary), "");
        let details = scheme.description.as_deref().map(super::docs::paragraph);
        quote! {
            #docs
            #details
            pub fn #setter(mut self, #args) -> Self {
                self.config = self.config.credential(#key, #credential);
                self
            }
        }
    });
    let user_agent = format!("{}/{} (API {})", options.crate_name, options.crate_version, api.version);
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

            /// The time limit for each attempt of every request, unless a call sets its own.
            pub fn timeout(mut self, timeout: ::std::time::Duration) -> Self {
                self.config.timeout = Some(timeout);
                self
            }

            /// Uses this `reqwest::Client` (its pool, proxy and TLS settings) instead of a new one.
            pub fn http_client(mut self, client: ::reqwest::Client) -> Self {
                self.config.http = Some(client);
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
        }
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
