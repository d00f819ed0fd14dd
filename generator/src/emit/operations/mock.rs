//! An operation's mock (feature `mock`): its builder in `Mocked` mode is an expectation's matcher,
//! and answers with the operation's own success type, or one of its declared error statuses (the
//! `Failure` enum), encoded as the client reads them.

use super::super::ty::{rust_type, Scope};
use super::responses::success_type;
use crate::model::*;
use crate::naming::ident;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

pub(super) fn mock_items(api: &Api, op: &Operation, builder: &Ident, call: &str) -> TokenStream {
    let (success_ty, _) = success_type(api, op);
    let success = success_answer(op);
    let (failure_ty, failure_def, failure) = match &op.failure_enum {
        Some(name) => {
            let name = ident(name);
            let (def, answer) = failure_enum(api, op, &name);
            (quote!(#name), Some(def), answer)
        }
        None => (quote!(::std::convert::Infallible), None, quote!(match *failure {})),
    };
    let (id, path) = (&op.id, &op.path);
    let status = op.mock_status.then(|| {
        quote! {
            /// Answers the matching calls with any status and raw body.
            pub fn status(self, status: u16, body: impl Into<Vec<u8>>) -> crate::runtime::Expectation<Self> {
                crate::runtime::Answers::status(self, status, body)
            }
        }
    });
    let fail = op.failure_enum.as_ref().map(|_| {
        quote! {
            /// Answers the matching calls with a declared error status and its body.
            pub fn fail(self, failure: #failure_ty) -> crate::runtime::Expectation<Self> {
                crate::runtime::Answers::fail(self, failure)
            }
        }
    });
    quote! {
        #[cfg(feature = "mock")]
        impl #builder<crate::runtime::Mocked> {
            /// Answers the matching calls with a success body.
            pub fn respond(self, body: impl Into<#success_ty>) -> crate::runtime::Expectation<Self> {
                crate::runtime::Answers::respond(self, body)
            }

            #fail
            #status
        }

        #[cfg(feature = "mock")]
        impl crate::runtime::MockOperation for #builder<crate::runtime::Mocked> {
            type Success = #success_ty;
            type Failure = #failure_ty;
            const OPERATION: &'static str = #id;
            const CALL: &'static str = #call;
            const PATH: &'static str = #path;

            fn core(&self) -> &crate::runtime::ClientCore {
                &self.core
            }

            fn expected(&self) -> Result<crate::runtime::Request, crate::runtime::Failure> {
                self.request()
            }

            fn success(body: &Self::Success) -> crate::runtime::Answer {
                #success
            }

            fn failure(failure: &Self::Failure) -> crate::runtime::Answer {
                #failure
            }
        }

        #failure_def
    }
}

/// The status a mock answers a response with: its first code, `X00` for a range, and for
/// `default`, `200` as a success and `500` as an error.
fn status_of(response: &Response, success: bool) -> u16 {
    match (response.codes.first(), response.status) {
        (Some((code, _)), _) => *code,
        (None, StatusMatch::Code(code)) => code,
        (None, StatusMatch::Range(class)) => class * 100,
        (None, StatusMatch::Default) if success => 200,
        (None, StatusMatch::Default) => 500,
    }
}

/// An answer with `body` (an expression of the body's type) read back as `kind`.
fn answer(kind: &ResponseBody, status: TokenStream, body: TokenStream) -> TokenStream {
    match kind {
        ResponseBody::Empty => quote!(crate::runtime::Answer::raw(#status, ::std::vec::Vec::new())),
        ResponseBody::Json(_) => quote!(crate::runtime::Answer::json(#status, #body)),
        ResponseBody::Text => quote!(crate::runtime::Answer::text(#status, #body)),
        ResponseBody::Binary => quote!(crate::runtime::Answer::bytes(#status, #body)),
        // The parts as the client would have split them: their raw bytes, which the test gives.
        ResponseBody::Multipart => quote!(crate::runtime::Answer::multipart(#status, #body)),
    }
}

fn success_answer(op: &Operation) -> TokenStream {
    match (&op.success_enum, op.success.first()) {
        // The body is `()`.
        (None, None) => quote!({
            let () = *body;
            crate::runtime::Answer::raw(200, ::std::vec::Vec::new())
        }),
        (None, Some(first)) if first.body == ResponseBody::Empty => {
            let status = proc_macro2::Literal::u16_unsuffixed(status_of(first, true));
            quote!({
                let () = *body;
                crate::runtime::Answer::raw(#status, ::std::vec::Vec::new())
            })
        }
        (None, Some(first)) => {
            let status = proc_macro2::Literal::u16_unsuffixed(status_of(first, true));
            answer(&first.body, quote!(#status), quote!(body))
        }
        (Some(name), _) => {
            let name = ident(name);
            let arms = op.success.iter().map(|r| {
                let variant = ident(&r.variant);
                let status = proc_macro2::Literal::u16_unsuffixed(status_of(r, true));
                let encode = answer(&r.body, quote!(#status), quote!(body));
                match r.body {
                    ResponseBody::Empty => quote!(#name::#variant => #encode,),
                    _ => quote!(#name::#variant(body) => #encode,),
                }
            });
            quote!(match body { #(#arms)* })
        }
    }
}

/// The `Failure` enum (one variant per declared error reading, with its body, and the status
/// where the document gives a range or `default`), and the match that answers each.
fn failure_enum(api: &Api, op: &Operation, name: &Ident) -> (TokenStream, TokenStream) {
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    for response in op.error_responses() {
        let variant = ident(&response.variant);
        // An error body that is no JSON is read as text.
        let kind = match &response.body {
            ResponseBody::Binary | ResponseBody::Multipart => &ResponseBody::Text,
            other => other,
        };
        let body = match kind {
            ResponseBody::Empty => None,
            ResponseBody::Json(ty) => Some(rust_type(api, ty, Scope::Elsewhere)),
            _ => Some(quote!(String)),
        };
        let fixed = matches!(response.status, StatusMatch::Code(_));
        let code = status_of(response, false);
        let status = proc_macro2::Literal::u16_unsuffixed(code);
        let text = match response.status {
            StatusMatch::Code(_) => format!(" `{code}`."),
            StatusMatch::Range(class) => format!(" A `{class}XX` status, given first."),
            StatusMatch::Default => " A status no other variant stands for, given first.".to_string(),
        };
        let (fields, pattern, status_expr) = match (fixed, &body) {
            (true, Some(ty)) => (quote!((#ty)), quote!((body)), quote!(#status)),
            (true, None) => (quote!(), quote!(), quote!(#status)),
            (false, Some(ty)) => (quote!((u16, #ty)), quote!((status, body)), quote!(*status)),
            (false, None) => (quote!((u16)), quote!((status)), quote!(*status)),
        };
        let encode = answer(kind, status_expr, quote!(body));
        variants.push(quote!(#[doc = #text] #variant #fields,));
        arms.push(quote!(#name::#variant #pattern => #encode,));
    }
    let text = format!(" The declared error statuses of `{}`, each with its body, for a mock to answer with.", op.id);
    let def = quote! {
        #[cfg(feature = "mock")]
        #[doc = #text]
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }
    };
    (def, quote!(match failure { #(#arms)* }))
}
