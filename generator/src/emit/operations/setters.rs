//! What a request builder holds, as the lowering planned it: the accessor method's arguments, the
//! builder's fields, and the setters (parameters, the body, per-call credentials).

use super::super::docs::{doc, paragraph};
use super::super::ty::{rust_type, Scope};
use crate::model::*;
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// The Rust type of an input's field (without the `Option` of a setter's field).
pub(super) fn input_type(api: &Api, input: &Input) -> TokenStream {
    rust_type(api, &input.ty, Scope::Elsewhere)
}

/// `name: T` for a by-value argument, `name: impl Into<T>` otherwise.
pub(super) fn argument(api: &Api, input: &Input) -> TokenStream {
    let (name, ty) = (ident(&input.name), input_type(api, input));
    match input.passing {
        Passing::Value => quote!(#name: #ty),
        _ => quote!(#name: impl Into<#ty>),
    }
}

/// The builder field's initializer in the accessor method.
pub(super) fn initializer(input: &Input) -> TokenStream {
    let name = ident(&input.name);
    match (input.positional, &input.passing) {
        (false, _) => quote!(#name: None),
        (true, Passing::Value) => quote!(#name),
        (true, _) => quote!(#name: #name.into()),
    }
}

/// The builder field: `T` for an argument, `Option<T>` for a setter.
pub(super) fn field(api: &Api, input: &Input) -> TokenStream {
    let (name, ty) = (ident(&input.name), input_type(api, input));
    if input.positional {
        quote!(#name: #ty)
    } else {
        quote!(#name: Option<#ty>)
    }
}

pub(super) fn setter(api: &Api, op: &Operation, input: &Input) -> TokenStream {
    let name = ident(&input.name);
    let ty = input_type(api, input);
    let param = match input.source {
        InputSource::Param(i) => op.params.get(i),
        InputSource::Body => None,
    };
    let fallback = match param {
        Some(p) => format!("Sets the `{}` parameter.", p.wire_name),
        None => "Sets the request body.".to_string(),
    };
    let mut attrs = doc(input.docs.as_deref(), &fallback);
    if let Some(default) = param.and_then(|p| p.default.as_ref()) {
        attrs.extend(paragraph(&format!("The server uses `{default}` when it is not set.")));
    }
    if param.is_some_and(|p| p.deprecated) {
        attrs.extend(paragraph("**Deprecated** by the API."));
    }
    match &input.passing {
        Passing::Items(item) => {
            let item = rust_type(api, item, Scope::Elsewhere);
            quote! {
                #attrs
                pub fn #name(mut self, values: impl IntoIterator<Item = #item>) -> Self {
                    self.#name = Some(values.into_iter().collect());
                    self
                }
            }
        }
        Passing::Value => quote! {
            #attrs
            pub fn #name(mut self, value: #ty) -> Self {
                self.#name = Some(value);
                self
            }
        },
        Passing::Into => quote! {
            #attrs
            pub fn #name(mut self, value: impl Into<#ty>) -> Self {
                self.#name = Some(value.into());
                self
            }
        },
    }
}

/// Per-call credentials: one setter per security scheme the operation accepts.
pub(super) fn credential_setters(api: &Api, op: &Operation) -> TokenStream {
    let used: Vec<&String> = op.security.iter().flatten().collect();
    api.security_schemes
        .iter()
        .filter(|scheme| used.contains(&&scheme.key))
        .map(|scheme| {
            let setter = ident(&scheme.setter);
            let key = &scheme.key;
            let (args, credential) = super::super::client::credential_call(&scheme.kind);
            let text = format!(
                " Authenticates this call as `{key}`, in place of the client's credentials. An empty or invalid secret fails the call before anything is sent."
            );
            quote! {
                #[doc = #text]
                pub fn #setter(mut self, #args) -> Self {
                    self.options.credential(#key, #credential);
                    self
                }
            }
        })
        .collect()
}
