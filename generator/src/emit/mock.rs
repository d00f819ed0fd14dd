//! The `mock` module (feature `mock`): a `MockServer` whose accessors mirror the client's, so that
//! a test mounts expectations by the client's own paths and types, and gets a `Client` for it.

use crate::model::{Api, SecurityKind};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

pub fn mock_module(api: &Api) -> TokenStream {
    // A made-up credential for every scheme a request carries, so that every operation can be called.
    let credentials = api.security_schemes.iter().filter(|s| s.kind != SecurityKind::MutualTls).map(|scheme| {
        let setter = ident(&scheme.setter);
        match scheme.kind {
            SecurityKind::Basic => quote!(.#setter("mock-user", "mock-password")),
            _ => quote!(.#setter("mock-credential")),
        }
    });
    quote! {
        //! A typed mock of the API for your tests (feature `mock`), on wiremock.
        //!
        //! [`MockServer::start`] starts a server on loopback, and [`MockServer::client`] is a
        //! [`Client`](crate::Client) that talks to it (with a made-up credential for every scheme).
        //! Expectations are reached as the operations are on the client: the accessor's arguments
        //! and the builder's setters say what a call must carry (the parameters set and the body,
        //! matched as the client encodes them; others may come too), then `respond` (a success
        //! body), `fail` (a declared error status and its body) or `status` (anything else) say
        //! how it is answered, once or in turn, `times(n)` how often it must be called, and
        //! `mount().await` puts it on the server.
        //!
        //! When the server is dropped (or on [`MockServer::verify`]), an expectation that was not
        //! met, or a call no expectation matched (answered `404`), fails the test with what was
        //! expected and every call of the operation that was seen. The crate's guide shows a test
        //! written with it.

        /// A mock of the API on loopback; see the [module docs](self).
        pub struct MockServer {
            client: crate::Client,
            state: ::std::sync::Arc<crate::runtime::MockState>,
        }

        impl MockServer {
            /// Starts a server on a free port of loopback.
            pub async fn start() -> MockServer {
                let state = crate::runtime::MockState::start().await;
                let client = crate::runtime::MockState::built(Self::builder_for(&state).build());
                MockServer { client, state }
            }

            fn builder_for(state: &::std::sync::Arc<crate::runtime::MockState>) -> crate::ClientBuilder {
                crate::Client::builder()
                    .base_url(state.uri())
                    #(#credentials)*
                    .mock(::std::sync::Arc::clone(state) as ::std::sync::Arc<dyn ::std::any::Any + Send + Sync>)
            }

            /// The server's base URL.
            pub fn uri(&self) -> String {
                self.state.uri()
            }

            /// A client that talks to this server, with a made-up credential for every scheme.
            pub fn client(&self) -> &crate::Client {
                &self.client
            }

            /// A builder for another client of this server (other retries or time limits): what
            /// [`client`](Self::client) is built from.
            pub fn client_builder(&self) -> crate::ClientBuilder {
                Self::builder_for(&self.state)
            }

            /// Fails (panics) with what went wrong if an expectation was not met or a call matched
            /// none; dropping the server does the same.
            pub fn verify(&self) {
                self.state.verify();
            }
        }

        impl Drop for MockServer {
            fn drop(&mut self) {
                // A test that already fails says why; this would only hide it.
                if !::std::thread::panicking() {
                    self.verify();
                }
            }
        }

        impl ::std::fmt::Debug for MockServer {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct("MockServer").field("uri", &self.state.uri()).finish_non_exhaustive()
            }
        }

        pub use crate::runtime::{Answer, Answers, Expectation};
    }
}
