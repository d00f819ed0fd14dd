//! How a builder makes its request: bound checks, the path from its pieces, query, header and
//! cookie parameters, and the body in the encoding chosen.

use super::super::ty::{rust_type, Scope};
use super::http_method_name;
use crate::model::*;
use crate::naming::ident;
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// The body of `request()`: the request, ready to send.
pub(super) fn request_body(op: &Operation) -> TokenStream {
    let method = ident(http_method_name(op.http_method));
    let id = &op.id;
    let path = path_expr(op);
    let security = op.security.iter().map(|alt| quote!(&[#(#alt),*]));
    let params = op.params.iter().map(|p| {
        let wire = &p.wire_name;
        let value = param_value(p);
        match &p.location {
            ParamLocation::Path => quote!(),
            // Form with explode is OpenAPI's default for a query, and nearly every parameter's.
            ParamLocation::Query { style: QueryStyle::Form, explode: true } => quote!(request.query(#wire, &#value)?;),
            ParamLocation::Query { style, explode } => {
                let style = query_style(*style);
                quote!(request.query_styled(#wire, &#value, crate::runtime::QueryStyle::#style, #explode)?;)
            }
            ParamLocation::Header => quote!(request.header(#wire, &#value)?;),
            ParamLocation::Cookie => quote!(request.cookie(#wire, &#value)?;),
        }
    });
    let body = op.body.as_ref().map(body_statements);
    let accept = op.accept.as_ref().map(|media| quote!(request.accept(#media);));
    let checks = op.params.iter().filter(|p| p.minimum.is_some() || p.maximum.is_some()).map(|p| {
        let name = ident(&p.name);
        let wire = &p.wire_name;
        let bound = |b: Option<(f64, bool)>| match b {
            Some((value, exclusive)) => {
                let value = Literal::f64_unsuffixed(value);
                quote!(Some((#value, #exclusive)))
            }
            None => quote!(None),
        };
        let (min, max) = (bound(p.minimum), bound(p.maximum));
        quote!(crate::runtime::check_range(#wire, &self.#name, #min, #max)?;)
    });
    let mutable =
        (op.params.iter().any(|p| p.location != ParamLocation::Path) || op.body.is_some() || op.accept.is_some())
            .then(|| quote!(mut));
    quote! {
        #(#checks)*
        #path
        let #mutable request = crate::runtime::Request::new(::reqwest::Method::#method, path, #id, &[#(#security),*]);
        #(#params)*
        #accept
        #body
        Ok(request)
    }
}

/// Sets the body from `self.body`: in its one encoding, or in the one the choice enum holds.
fn body_statements(body: &RequestBody) -> TokenStream {
    let set = match &body.choice {
        None => encode(&body.encoding.media),
        Some(choice) => {
            let choice = ident(&choice.name);
            let arms = body.encodings().map(|e| {
                let variant = ident(&e.variant);
                let set = encode(&e.media);
                quote!(#choice::#variant(body) => { #set })
            });
            quote!(match body { #(#arms)* })
        }
    };
    if body.required {
        quote!({ let body = &self.body; #set })
    } else {
        quote!(if let Some(body) = &self.body { #set })
    }
}

/// The enum of the encodings a body can be sent in, with `From` for the first variant of each type,
/// so that the default encoding's value converts straight into it.
pub(super) fn choice_enum(api: &Api, op: &Operation) -> Option<TokenStream> {
    let body = op.body.as_ref()?;
    let name = ident(&body.choice.as_ref()?.name);
    let variants = body.encodings().map(|e| {
        let variant = ident(&e.variant);
        let ty = rust_type(api, &e.ty, Scope::Elsewhere);
        let text = format!(" Sent as `{}`.", content_type(&e.media));
        quote!(#[doc = #text] #variant(#ty),)
    });
    let froms = body.encodings().filter(|e| e.from).map(|e| {
        let variant = ident(&e.variant);
        let ty = rust_type(api, &e.ty, Scope::Elsewhere);
        quote! {
            impl From<#ty> for #name {
                fn from(body: #ty) -> Self {
                    #name::#variant(body)
                }
            }
        }
    });
    let text = format!(
        " The bodies `{}` can send, one variant per media type. The first is the default: its value converts into this enum.",
        op.id
    );
    Some(quote! {
        #[doc = #text]
        #[derive(Debug, Clone)]
        #[allow(clippy::large_enum_variant)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }

        #(#froms)*
    })
}

fn content_type(media: &Media) -> &str {
    match media {
        Media::Json(ct) | Media::Text(ct) | Media::Binary(ct) => ct,
        Media::Form(_) => "application/x-www-form-urlencoded",
        Media::Multipart(_) => "multipart/form-data",
    }
}

/// The runtime's `QueryStyle` variant for a style.
fn query_style(style: QueryStyle) -> TokenStream {
    match style {
        QueryStyle::Form => quote!(Form),
        QueryStyle::SpaceDelimited => quote!(SpaceDelimited),
        QueryStyle::PipeDelimited => quote!(PipeDelimited),
        QueryStyle::DeepObject => quote!(DeepObject),
    }
}

/// Statements that set `body` (a reference) as the request body in one encoding.
fn encode(media: &Media) -> TokenStream {
    match media {
        Media::Json(ct) => quote!(request.json_body(body, #ct)?;),
        Media::Form(encodings) => {
            let encodings = encodings.iter().map(|e| {
                let (wire, explode, json) = (&e.wire_name, e.explode, e.json);
                let style = query_style(e.style);
                quote!((#wire, crate::runtime::QueryStyle::#style, #explode, #json))
            });
            quote!(request.form_body(body, &[#(#encodings),*])?;)
        }
        // No parts: a free-form object, each of whose properties is a part.
        Media::Multipart(parts) if parts.is_empty() => quote! {
            let mut form = crate::runtime::Multipart::new();
            form.entries(body)?;
            request.multipart_body(form)?;
        },
        Media::Multipart(parts) => {
            let parts = parts.iter().map(|part| {
                let (field, wire) = (ident(&part.field), &part.wire_name);
                let content_type = match &part.content_type {
                    Some(ct) => quote!(Some(#ct)),
                    None => quote!(None),
                };
                match part.kind {
                    PartKind::Text => quote!(form.text(#wire, &body.#field, #content_type)?;),
                    PartKind::Json => quote!(form.json(#wire, &body.#field, #content_type)?;),
                    PartKind::File => quote!(form.files(#wire, &body.#field, #content_type);),
                }
            });
            quote! {
                let mut form = crate::runtime::Multipart::new();
                #(#parts)*
                request.multipart_body(form)?;
            }
        }
        Media::Text(ct) => quote!(request.text_body(body.clone(), #ct);),
        Media::Binary(ct) => quote!(request.bytes_body(body.clone(), #ct);),
    }
}

/// A parameter's value as sent: itself, or its JSON text when the document describes it by `content`.
fn param_value(p: &Param) -> TokenStream {
    let name = ident(&p.name);
    if p.json {
        quote!(crate::runtime::json_text(&self.#name)?)
    } else {
        quote!(self.#name)
    }
}

/// `let id_segment = path_segment(&self.id)?; let path = format!("/things/{id_segment}");`, or a
/// literal when there are no path parameters. Segments are named locals so the `format!` reads plainly.
fn path_expr(op: &Operation) -> TokenStream {
    let mut template = String::new();
    let mut segments = Vec::new();
    for piece in &op.path_pieces {
        match piece {
            PathPiece::Literal(text) => template.push_str(&text.replace('{', "{{").replace('}', "}}")),
            PathPiece::Param { param, local, repeat } => {
                let Some(p) = op.params.get(*param) else { continue };
                let segment = ident(local);
                template.push_str(&format!("{{{segment}}}"));
                if !repeat {
                    let value = param_value(p);
                    segments.push(quote!(let #segment = crate::runtime::path_segment(&#value)?;));
                }
            }
        }
    }
    if segments.is_empty() {
        let path = &op.path;
        quote!(let path = String::from(#path);)
    } else {
        quote!(#(#segments)* let path = format!(#template);)
    }
}
