//! The crate root's `Error`: every operation error converts into it, keeping its typed details,
//! so an application can `?` across operations and still match on what went wrong. (Each
//! conversion is made beside its operation's error, by `error_details!`.)

use crate::model::Api;
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

pub fn error_module(api: &Api) -> TokenStream {
    let variants = api.errors.iter().map(|v| {
        let op = &api.operations[v.operation];
        let name = ident(&v.name);
        let path = module_path(&op.group, &op.error_name);
        let text = format!(" A `{}` failure, with everything it carries.", op.id);
        quote! {
            #[doc = #text]
            #name(#path),
        }
    });
    let names: Vec<_> = api.errors.iter().map(|v| ident(&v.name)).collect();
    quote! {
        //! One error type for the whole API.

        /// Any failure of this crate: an operation's error (matched by operation, with its typed error
        /// bodies), a client that could not be built, or a failure of [`Client::request`](crate::Client::request).
        ///
        /// Every operation error converts into it with `From`, so `?` works across operations; the
        /// accessors (`status()`, `code()`, `message()`, `is_retryable()` and the rest) answer for any of them.
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum Error {
            #(#variants)*
            /// The client could not be built.
            Build(crate::BuildError),
            /// A response body that did not decode (from [`RawResponse::json`](crate::RawResponse::json) and the like).
            Decode(crate::runtime::DecodeError),
            /// No response within the time limit.
            Timeout(crate::runtime::TimeoutError),
            /// The request could not be sent or the response not read.
            Transport(crate::runtime::TransportError),
            /// The client refused to send the request.
            InvalidRequest(crate::runtime::InvalidRequestError),
        }

        crate::runtime::error_details!(Error { #(#names,)* Build, Decode, Timeout, Transport, InvalidRequest });

        impl From<crate::BuildError> for Error {
            fn from(error: crate::BuildError) -> Self {
                Self::Build(error)
            }
        }
    }
}

fn module_path(group: &[String], error: &str) -> TokenStream {
    let segments = group.iter().map(|g| ident(g));
    let error = ident(error);
    quote!(crate::api #(::#segments)* ::#error)
}
