//! Paginated operations: `send` returns a page, `stream` and `iter` walk every item, and the
//! builder implements the runtime's `PageRequest` from the plan lowering made.

use super::super::ty::{int_type, rust_type, Scope};
use crate::model::*;
use crate::naming::ident;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

/// Paginated operations: `send` returns a [`Page`], `stream` yields every item, and the builder
/// implements `PageRequest` so the runtime can walk the pages.
pub(super) fn pagination_items(
    api: &Api,
    op: &Operation,
    p: &Pagination,
    builder: &Ident,
    error: &Ident,
) -> (TokenStream, Option<TokenStream>) {
    let (body_ty, _) = super::responses::success_type(api, op);
    let item_ty = rust_type(api, &p.item_ty, Scope::Elsewhere);
    let page_field = ident(&p.page_param);
    let page_ty = Some(p.page_int);
    let default_page = Literal::u64_unsuffixed(p.default_page);
    let page_number = option_to_u64(page_ty, quote!(self.#page_field));
    let from_u64 = convert_from_u64(page_ty, quote!(page));
    let page_size = match &p.limit_param {
        Some((limit, limit_int)) => {
            let limit_field = ident(limit);
            let limit_ty = Some(*limit_int);
            let to_u64 = option_to_u64(limit_ty, quote!(self.#limit_field));
            match p.default_limit.map(Literal::u64_unsuffixed) {
                Some(d) => quote!(#to_u64.or(Some(#d))),
                None => to_u64,
            }
        }
        None => quote!(None),
    };
    let items_expr = field_path(quote!(body), &p.items, &p.items_presence, true);
    let into_items = field_path_owned(&p.items, &p.items_presence);
    let read_count = |path: &Option<Vec<String>>, presence: &[Presence], kind: Option<IntKind>| match (path, kind) {
        (Some(path), Some(kind)) => {
            let value = field_path(quote!(body), path, presence, false);
            option_to_u64(Some(kind), quote!(#value.copied()))
        }
        _ => quote!(None),
    };
    let max_page = read_count(&p.max_page, &p.max_page_presence, p.max_page_int);
    let total_count = read_count(&p.total_count, &p.total_count_presence, p.total_count_int);
    let methods = quote! {
        impl #builder {
            /// Sends the request and returns the first page asked for; `next_page()` on it fetches the next.
            pub async fn send(self) -> Result<crate::runtime::Page<Self>, #error> {
                crate::runtime::first_page(self).await
            }

            /// Every item of every page from the requested one on, fetched lazily with the same filters.
            /// It ends after the last page the server announces (or an empty page); an error is yielded as an `Err` and ends it.
            /// It is `Unpin`, so `StreamExt::next` and `TryStreamExt::try_next` take it as it is.
            pub fn stream(self) -> impl ::futures::Stream<Item = Result<#item_ty, #error>> + Send + Unpin + 'static {
                crate::runtime::paginate(self)
            }
        }

        #[cfg(feature = "blocking")]
        impl #builder<crate::runtime::Blocking> {
            /// Sends the request, blocking, and returns the first page asked for; `next_page()` on it fetches the next.
            pub fn send(self) -> Result<crate::runtime::BlockingPage<Self>, #error> {
                crate::runtime::BlockingPage::first(self.core.clone(), self)
            }

            /// Every item of every page from the requested one on, fetched (blocking) as the iterator is advanced.
            /// It ends after the last page the server announces (or an empty page); an error is yielded as an `Err` and ends it.
            pub fn iter(self) -> impl Iterator<Item = Result<#item_ty, #error>> {
                crate::runtime::iterate(self.core.clone(), self)
            }
        }
    };
    let page_impl = quote! {
        impl<M: crate::runtime::Mode> crate::runtime::PageRequest for #builder<M> {
            type Body = #body_ty;
            type Item = #item_ty;
            type Error = #error;

            fn page_number(&self) -> u64 {
                #page_number.unwrap_or(#default_page)
            }

            fn with_page_number(mut self, page: u64) -> Self {
                self.#page_field = #from_u64;
                self
            }

            fn page_size(&self) -> Option<u64> {
                #page_size
            }

            fn fetch(self) -> impl ::std::future::Future<Output = Result<crate::runtime::Response<Self::Body>, Self::Error>> + Send {
                self.core.perform(self.request(), &self.options, Self::read)
            }

            fn items(body: &Self::Body) -> &[Self::Item] {
                #items_expr
            }

            fn into_items(body: Self::Body) -> Vec<Self::Item> {
                #into_items
            }

            fn max_page(body: &Self::Body) -> Option<u64> {
                #max_page
            }

            fn total_count(body: &Self::Body) -> Option<u64> {
                #total_count
            }
        }
    };
    (methods, Some(page_impl))
}

/// An `Option` of the integer kind as an `Option<u64>`.
fn option_to_u64(kind: Option<IntKind>, value: TokenStream) -> TokenStream {
    match kind {
        Some(IntKind::U64) => value,
        Some(IntKind::U8 | IntKind::U16 | IntKind::U32) => quote!(#value.map(u64::from)),
        _ => quote!(#value.and_then(|n| u64::try_from(n).ok())),
    }
}

fn convert_from_u64(kind: Option<IntKind>, value: TokenStream) -> TokenStream {
    match kind {
        Some(IntKind::U64) => quote!(Some(#value)),
        Some(kind) => {
            let ty = int_type(kind);
            quote!(#ty::try_from(#value).ok())
        }
        None => quote!(None),
    }
}

/// `&body.a.b` (or through `Option`s) as a slice or an `Option<&T>`.
/// Whether a field is read straight (`T`) rather than through an `Option`.
fn direct(presence: Presence) -> bool {
    matches!(presence, Presence::Required)
}

fn field_path(base: TokenStream, path: &[String], presence: &[Presence], slice: bool) -> TokenStream {
    let optional = presence.iter().any(|p| !direct(*p));
    if !optional {
        let fields = path.iter().map(|f| ident(f));
        return if slice { quote!(&#base #(.#fields)*) } else { quote!(Some(&#base #(.#fields)*)) };
    }
    let mut expr = quote!(Some(#base));
    for (field, presence) in path.iter().zip(presence) {
        let field = ident(field);
        expr = if direct(*presence) {
            quote!(#expr.map(|v| &v.#field))
        } else {
            quote!(#expr.and_then(|v| v.#field.as_ref()))
        };
    }
    if slice {
        quote!(#expr.map_or(&[], |items| items.as_slice()))
    } else {
        expr
    }
}

fn field_path_owned(path: &[String], presence: &[Presence]) -> TokenStream {
    let optional = presence.iter().any(|p| !direct(*p));
    if !optional {
        let fields = path.iter().map(|f| ident(f));
        return quote!(body #(.#fields)*);
    }
    let mut expr = quote!(Some(body));
    for (field, presence) in path.iter().zip(presence) {
        let field = ident(field);
        expr = if direct(*presence) { quote!(#expr.map(|v| v.#field)) } else { quote!(#expr.and_then(|v| v.#field)) };
    }
    quote!(#expr.unwrap_or_default())
}
