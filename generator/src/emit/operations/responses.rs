//! How a builder reads its response: the success type (one body, or an enum by status), the
//! `match` on the status over the codes lowering resolved, and the operation's error enum.

use super::super::docs::doc;
use super::super::ty::{rust_type, Scope};
use crate::model::*;
use crate::naming::ident;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

/// The success type as a macro argument, in a module that imports `crate::types` (a runtime type
/// as `runtime::T`, which `sends!` knows); and whether it names a type from there.
pub(super) fn success_type_imported(api: &Api, op: &Operation) -> (TokenStream, bool) {
    match (&op.success_enum, op.success.first()) {
        (None, Some(first)) => body_type_imported(api, &first.body),
        _ => (success_type(api, op).0, false),
    }
}

/// Whether the operation's macro arguments name a type of `crate::types`, which its module must
/// then import.
pub(super) fn imports_types(api: &Api, op: &Operation) -> bool {
    (op.pagination.is_none() && success_type_imported(api, op).1)
        || op.alternates.iter().any(|alternate| body_type_imported(api, &alternate.body).1)
}

/// A body's type as a macro argument (see [`success_type_imported`]).
fn body_type_imported(api: &Api, body: &ResponseBody) -> (TokenStream, bool) {
    match body {
        ResponseBody::Json(ty) => (rust_type(api, ty, Scope::Imported), super::super::ty::names_a_type(ty)),
        ResponseBody::Multipart => (quote!(runtime::Parts), false),
        other => (body_type(api, other), false),
    }
}

/// The decoded success body: one type, `()` without a body, or an enum when statuses differ.
pub(super) fn success_type(api: &Api, op: &Operation) -> (TokenStream, Option<TokenStream>) {
    match (&op.success_enum, op.success.first()) {
        (None, None) => (quote!(()), None),
        (None, Some(first)) => (body_type(api, &first.body), None),
        (Some(name), _) => {
            let name = ident(name);
            let variants = op.success.iter().map(|r| {
                let variant = ident(&r.variant);
                let text = format!(" {}", status_text(r.status));
                let docs = doc(r.docs.as_deref(), "");
                match r.body {
                    ResponseBody::Empty => quote!(#[doc = #text] #docs #variant,),
                    _ => {
                        let ty = body_type(api, &r.body);
                        quote!(#[doc = #text] #docs #variant(#ty),)
                    }
                }
            });
            let text = format!(" The success responses of `{}`, one variant per status.", op.id);
            let def = quote! {
                #[doc = #text]
                #[derive(Debug, Clone, PartialEq)]
                #[allow(clippy::large_enum_variant)]
                #[non_exhaustive]
                pub enum #name {
                    #(#variants)*
                }
            };
            (quote!(#name), Some(def))
        }
    }
}

/// The Rust type a success body decodes into.
fn body_type(api: &Api, body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Empty => quote!(()),
        ResponseBody::Json(ty) => rust_type(api, ty, Scope::Elsewhere),
        ResponseBody::Text => quote!(String),
        ResponseBody::Binary => quote!(::bytes::Bytes),
        ResponseBody::Multipart => quote!(crate::runtime::Parts),
    }
}

/// The body of an error response: JSON decodes into its type; text and bytes are kept as text.
fn error_body_type(api: &Api, body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Empty => quote!(()),
        ResponseBody::Json(ty) => rust_type(api, ty, Scope::Elsewhere),
        ResponseBody::Text | ResponseBody::Binary | ResponseBody::Multipart => quote!(String),
    }
}

fn status_text(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => format!("`{c}`"),
        StatusMatch::Range(r) => format!("`{r}XX`"),
        StatusMatch::Default => "any other status".to_string(),
    }
}

/// The `match` pattern for the codes of a response (`404`, `400..=403 | 405..=499`, `_`).
fn status_pattern(r: &Response) -> TokenStream {
    codes_pattern(&r.codes)
}

fn codes_pattern(codes: &[(u16, u16)]) -> TokenStream {
    if codes.is_empty() {
        return quote!(_);
    }
    let parts = codes.iter().map(|&(lo, hi)| {
        let (a, b) = (Literal::u16_unsuffixed(lo), Literal::u16_unsuffixed(hi));
        if lo == hi {
            quote!(#a)
        } else {
            quote!(#a..=#b)
        }
    });
    quote!(#(#parts)|*)
}

/// `response` decoded as a success body, as a `Response<T>`.
fn decode_success(body: &ResponseBody) -> TokenStream {
    match body {
        ResponseBody::Empty => quote!(response.empty()),
        ResponseBody::Json(_) => quote!(response.json()?),
        ResponseBody::Text => quote!(response.text()?),
        ResponseBody::Binary => quote!(response.bytes()),
        ResponseBody::Multipart => quote!(response.multipart()?),
    }
}

/// For each other success media type: a private `execute_as_*` that asks for it and reads it
/// (errors as `fail()` makes them), and the public `send_as_*`, async and blocking (`sends_as!`).
pub(super) fn alternates(api: &Api, op: &Operation, builder: &Ident, error: &Ident) -> (TokenStream, TokenStream) {
    let codes: Vec<(u16, u16)> = op.success.iter().flat_map(|r| r.codes.iter().copied()).collect();
    let pattern = codes_pattern(&merged(codes));
    let (mut private, mut public) = (TokenStream::new(), TokenStream::new());
    for alternate in &op.alternates {
        let send = ident(&alternate.method);
        let execute = ident(&alternate.execute);
        let ty = body_type(api, &alternate.body);
        let decode = decode_success(&alternate.body);
        let media = &alternate.accept;
        private.extend(quote! {
            async fn #execute(self) -> Result<crate::runtime::Response<#ty>, #error> {
                let mut request = self.request()?;
                request.accept(#media);
                let response = self.core.execute(request, &self.options).await?;
                match response.status().as_u16() {
                    #pattern => Ok(#decode),
                    _ => Err(Self::failed(response)),
                }
            }
        });
        let (arg_ty, _) = body_type_imported(api, &alternate.body);
        public.extend(quote! {
            crate::runtime::sends_as!(#builder, #send, #execute, #media, #arg_ty, #error);
        });
    }
    (private, public)
}

/// Sorted spans, merged where they touch (`200..=200`, `201..=299` → `200..=299`).
fn merged(mut codes: Vec<(u16, u16)>) -> Vec<(u16, u16)> {
    codes.sort_unstable();
    let mut out: Vec<(u16, u16)> = Vec::new();
    for (lo, hi) in codes {
        match out.last_mut() {
            Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
            _ => out.push((lo, hi)),
        }
    }
    out
}

/// The body of `read()`: success statuses decode, every other one goes to `fail()`.
pub(super) fn read_body(api: &Api, op: &Operation) -> TokenStream {
    let success_arms = success_arms(api, op);
    if success_arms.is_empty() {
        return quote!(Err(Self::failed(response)));
    }
    quote! {
        match response.status().as_u16() {
            #success_arms
            _ => Err(Self::failed(response)),
        }
    }
}

/// The body of `fail()`: the declared error statuses, then `default` or `Unexpected`.
pub(super) fn fail_body(api: &Api, op: &Operation, error: &Ident) -> TokenStream {
    let error_arms: Vec<TokenStream> = op
        .errors
        .iter()
        .filter(|s| s.response.status != StatusMatch::Default)
        .map(|s| {
            let pattern = status_pattern(&s.response);
            let value = error_values(api, s, error);
            quote!(#pattern => #value,)
        })
        .collect();
    let fallback = match op.errors.iter().find(|s| s.response.status == StatusMatch::Default) {
        Some(default) => error_values(api, default, error),
        None => quote!(#error::Unexpected(response.unexpected())),
    };
    // Only a `default` response: no status to tell apart.
    if error_arms.is_empty() {
        return fallback;
    }
    quote! {
        match response.status().as_u16() {
            #(#error_arms)*
            _ => #fallback,
        }
    }
}

/// One status's responses: chosen by the response's media type when it offers several readings.
fn error_values(api: &Api, status: &ErrorStatus, error: &Ident) -> TokenStream {
    let first = &status.response;
    if status.others.is_empty() {
        return error_value(api, first, error);
    }
    let arms = status.others.iter().map(|r| {
        let media = &r.media;
        let value = error_value(api, r, error);
        quote!(Some(#(#media)|*) => #value,)
    });
    let value = error_value(api, first, error);
    quote! {
        match response.media_type().as_deref() {
            #(#arms)*
            _ => #value,
        }
    }
}

fn success_arms(api: &Api, op: &Operation) -> TokenStream {
    let Some(first) = op.success.first() else { return quote!() };
    let Some(name) = &op.success_enum else {
        // One body for every success status: one arm, its codes merged where they touch.
        let codes: Vec<(u16, u16)> = op.success.iter().flat_map(|r| r.codes.iter().copied()).collect();
        let pattern = codes_pattern(&merged(codes));
        let decode = decode_success(&first.body);
        return quote!(#pattern => Ok(#decode),);
    };
    let name = ident(name);
    op.success
        .iter()
        .map(|r| {
            let pattern = status_pattern(r);
            let variant = ident(&r.variant);
            // `.map(Variant)` does not tell `json` its type: name it.
            let decode = match &r.body {
                ResponseBody::Json(body) => {
                    let body = rust_type(api, body, Scope::Elsewhere);
                    quote!(response.json::<#body>()?)
                }
                body => decode_success(body),
            };
            match r.body {
                ResponseBody::Empty => quote!(#pattern => Ok(#decode.map(|()| #name::#variant)),),
                _ => quote!(#pattern => Ok(#decode.map(#name::#variant)),),
            }
        })
        .collect()
}

/// A declared error status: its variant when the body is the declared one, `Unexpected` otherwise.
fn error_value(api: &Api, r: &Response, error: &Ident) -> TokenStream {
    let variant = ident(&r.variant);
    match &r.body {
        ResponseBody::Json(ty) if r.open_union => {
            let ty = rust_type(api, ty, Scope::Elsewhere);
            quote!(response.declared_json_unless(#ty::is_unknown, #error::#variant))
        }
        ResponseBody::Json(_) => quote!(response.declared_json(#error::#variant)),
        // Lowering reads an error's body that is no JSON as text.
        ResponseBody::Text | ResponseBody::Binary | ResponseBody::Multipart => {
            quote!(response.declared_text(#error::#variant))
        }
        ResponseBody::Empty => quote!(#error::#variant(response.empty_error())),
    }
}

pub(super) fn error_enum(api: &Api, op: &Operation, error: &Ident) -> TokenStream {
    let declared = op.error_responses().map(|r| {
        let variant = ident(&r.variant);
        let ty = error_body_type(api, &r.body);
        let text = match r.media.as_slice() {
            [] => format!(" {}: the server's declared error response.", status_text(r.status)),
            media => {
                let media: Vec<String> = media.iter().map(|m| format!("`{m}`")).collect();
                format!(
                    " {}, sent as {}: the server's declared error response.",
                    status_text(r.status),
                    media.join(" or ")
                )
            }
        };
        let docs = doc(r.docs.as_deref(), "");
        quote! {
            #docs
            #[doc = ""]
            #[doc = #text]
            #variant(crate::runtime::ErrorResponse<#ty>),
        }
    });
    let declared_variants = op.error_responses().map(|r| ident(&r.variant));
    let crate_error = ident(&op.crate_error);
    let text = format!(
        " Everything `{}` can fail with: each declared error status, then the failures any call can have.",
        op.id
    );
    quote! {
        #[doc = #text]
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum #error {
            #(#declared)*
            /// A status the operation does not declare, or a declared one whose body is not the declared
            /// shape (another error, a proxy's HTML page); carries the status, headers and body.
            Unexpected(crate::runtime::UnexpectedResponse),
            /// A success body that did not decode; carries the status and a body excerpt.
            Decode(crate::runtime::DecodeError),
            /// No response within the time limit.
            Timeout(crate::runtime::TimeoutError),
            /// The request could not be sent or the response not read (connection refused, reset…).
            Transport(crate::runtime::TransportError),
            /// The client refused to send the request (a bad path parameter, missing credentials…).
            InvalidRequest(crate::runtime::InvalidRequestError),
        }

        crate::runtime::error_details!(operation #error { #(#declared_variants),* } => #crate_error);
    }
}
