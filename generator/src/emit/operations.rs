//! The `api` modules: one per operation group, each with its accessor, request builders and error enums.

use super::docs::{doc, paragraph, prose_paragraph};
use super::ty::{ident, int_type, rust_type, Scope};
use crate::model::*;
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

/// One module of the `api` tree: its path below `api` and its tokens.
pub struct GroupModule {
    pub path: Vec<String>,
    pub has_children: bool,
    pub tokens: TokenStream,
}

pub fn group_modules(api: &Api) -> Vec<GroupModule> {
    let mut out = Vec::new();
    walk(api, &api.root, &[], &mut out);
    out
}

fn walk(api: &Api, group: &Group, path: &[String], out: &mut Vec<GroupModule>) {
    out.push(GroupModule {
        path: path.to_vec(),
        has_children: !group.children.is_empty(),
        tokens: group_module(api, group, path),
    });
    for child in &group.children {
        let mut child_path = path.to_vec();
        child_path.push(child.name.clone());
        walk(api, child, &child_path, out);
    }
}

fn group_module(api: &Api, group: &Group, path: &[String]) -> TokenStream {
    let ops: Vec<&Operation> = group.operations.iter().map(|&i| &api.operations[i]).collect();
    let items = ops.iter().map(|op| operation_items(api, op));
    let child_mods = group.children.iter().map(|c| {
        let name = ident(&c.name);
        let text = format!(" Operations of the `{}` group.", c.name);
        quote!(#[doc = #text] pub mod #name;)
    });
    let (header, accessors) = if path.is_empty() {
        // The root group's accessors are methods of the clients themselves, async and blocking.
        let async_root = group_impl(group, &ops, Receiver::Client);
        let blocking_root =
            group_impl(group, &ops, Receiver::BlockingClient).map(|i| quote!(#[cfg(feature = "blocking")] #i));
        let header = quote!(#![doc = " The API's operations, grouped as the document groups them."]);
        (header, quote!(#async_root #blocking_root))
    } else {
        let accessor = ident(&group.type_name);
        let text =
            format!(" The `{}` operations. Get one from the client: `client.{}()`.", path.join("."), path.join("()."));
        let header_text = format!(" The `{}` operations.", path.join("."));
        let methods = group_impl(group, &ops, Receiver::Accessor(&accessor));
        let accessors = quote! {
            #[doc = #text]
            #[derive(Debug, Clone, Copy)]
            pub struct #accessor<'a, M = crate::runtime::Async> {
                pub(crate) client: &'a crate::Client,
                pub(crate) mode: ::std::marker::PhantomData<M>,
            }

            #methods
        };
        (quote!(#![doc = #header_text]), accessors)
    };
    quote! {
        #header
        #(#child_mods)*
        #accessors
        #(#items)*
    }
}

/// What a group's accessor methods are defined on.
enum Receiver<'a> {
    /// `crate::Client`: the root group, async builders.
    Client,
    /// `crate::blocking::Client`: the root group, blocking builders.
    BlockingClient,
    /// A group's accessor struct, generic over the mode.
    Accessor(&'a Ident),
}

/// The impl block with a group's child accessors and operation methods.
fn group_impl(group: &Group, ops: &[&Operation], receiver: Receiver<'_>) -> Option<TokenStream> {
    // Only a group with operations or children reaches its client (an API without operations has neither).
    if ops.is_empty() && group.children.is_empty() {
        return None;
    }
    // A child accessor borrows the client, not this accessor, so that a chain of temporaries can be kept.
    let (header, client, lifetime, mode) = match receiver {
        Receiver::Client => (quote!(impl crate::Client), quote!(&crate::Client { self }), quote!('_), quote!()),
        Receiver::BlockingClient => (
            quote!(impl crate::blocking::Client),
            quote!(&crate::Client { &self.inner }),
            quote!('_),
            quote!(crate::runtime::Blocking),
        ),
        Receiver::Accessor(accessor) => (
            quote!(impl<'a, M: crate::runtime::Mode> #accessor<'a, M>),
            quote!(&'a crate::Client { self.client }),
            quote!('a),
            quote!(M),
        ),
    };
    let generics = (!mode.is_empty()).then(|| quote!(<#mode>));
    let child_accessors = group.children.iter().map(|c| {
        let name = ident(&c.name);
        let ty = ident(&c.type_name);
        let text = format!(" The `{}` operations.", c.name);
        let args = if mode.is_empty() { quote!(<#lifetime>) } else { quote!(<#lifetime, #mode>) };
        quote! {
            #[doc = #text]
            pub fn #name(&self) -> #name::#ty #args {
                #name::#ty { client: self.client(), mode: ::std::marker::PhantomData }
            }
        }
    });
    let methods = ops.iter().map(|op| accessor_method(op, generics.as_ref()));
    Some(quote! {
        #header {
            fn client(&self) -> #client
            #(#child_accessors)*
            #(#methods)*
        }
    })
}

/// Arguments the accessor method takes: path parameters, then required query/header ones, then a
/// required body; scalars are taken by value, so that a plain literal infers the parameter's type.
fn method_args(op: &Operation) -> Vec<(Ident, TokenStream, bool)> {
    let mut args = Vec::new();
    let params = op.params.iter().filter(|p| p.location == ParamLocation::Path);
    let required = op.params.iter().filter(|p| p.location != ParamLocation::Path && p.required);
    for p in params.chain(required) {
        let scalar = matches!(p.ty, TypeRef::Int(_) | TypeRef::Float | TypeRef::Bool);
        args.push((ident(&p.name), rust_type(&p.ty, Scope::Elsewhere), scalar));
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        args.push((format_ident!("body"), body_type(body), false));
    }
    args
}

fn accessor_method(op: &Operation, mode: Option<&TokenStream>) -> TokenStream {
    let method = ident(&op.method_name);
    let builder = ident(&op.builder_name);
    let args = method_args(op);
    let params =
        args.iter().map(|(name, ty, scalar)| if *scalar { quote!(#name: #ty) } else { quote!(#name: impl Into<#ty>) });
    let inits = args.iter().map(|(name, _, scalar)| if *scalar { quote!(#name) } else { quote!(#name: #name.into()) });
    let optional = optional_fields(op).into_iter().map(|(name, _, _)| quote!(#name: None));
    let summary = op.summary.as_deref().or(op.docs.as_deref());
    let mut docs = doc(summary, &format!("`{} {}`", http_method_name(op.http_method), op.path));
    if op.summary.is_some() {
        if let Some(details) = &op.docs {
            docs.extend(prose_paragraph(details));
        }
    }
    let endpoint = format!(
        "`{} {}` (`{}`). Returns a builder: set optional parameters, then `.send().await`.",
        http_method_name(op.http_method),
        op.path,
        op.id
    );
    docs.extend(paragraph(&endpoint));
    let deprecated = op.deprecated.then(|| quote!(#[deprecated = "deprecated by the API"]));
    quote! {
        #docs
        #deprecated
        pub fn #method(&self, #(#params),*) -> #builder #mode {
            #builder {
                core: self.client().core.clone(),
                options: crate::runtime::CallOptions::default(),
                #(#inits,)*
                #(#optional,)*
                mode: ::std::marker::PhantomData,
            }
        }
    }
}

/// Builder fields set by setters: optional parameters and an optional body, each `Option<T>`.
fn optional_fields(op: &Operation) -> Vec<(Ident, TokenStream, Option<String>)> {
    let mut fields: Vec<_> = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path && !p.required)
        .map(|p| (ident(&p.name), rust_type(&p.ty, Scope::Elsewhere), p.docs.clone()))
        .collect();
    if let Some(body) = op.body.as_ref().filter(|b| !b.required) {
        fields.push((format_ident!("body"), body_type(body), body.docs.clone()));
    }
    fields
}

fn body_type(body: &RequestBody) -> TokenStream {
    match body.media {
        Media::Binary(_) => quote!(::bytes::Bytes),
        _ => rust_type(&body.ty, Scope::Elsewhere),
    }
}

fn http_method_name(method: HttpMethod) -> &'static str {
    match method {
        HttpMethod::Get => "GET",
        HttpMethod::Put => "PUT",
        HttpMethod::Post => "POST",
        HttpMethod::Delete => "DELETE",
        HttpMethod::Options => "OPTIONS",
        HttpMethod::Head => "HEAD",
        HttpMethod::Patch => "PATCH",
        HttpMethod::Trace => "TRACE",
    }
}

/// The builder struct, its setters and `send`, the success enum if any, and the error enum.
fn operation_items(api: &Api, op: &Operation) -> TokenStream {
    let builder = ident(&op.builder_name);
    let error = ident(&op.error_name);
    let required = method_args(op);
    let required_fields = required.iter().map(|(name, ty, _)| quote!(#name: #ty));
    let optional = optional_fields(op);
    let optional_fields = optional.iter().map(|(name, ty, _)| quote!(#name: Option<#ty>));
    let setters = optional.iter().map(|(name, ty, docs)| setter(op, name, ty, docs.as_deref()));
    let credentials = credential_setters(api, op);
    let (success_ty, success_def) = success_type(op);
    let send_body = send_body(op, &error);
    let builder_doc = format!(
        " A `{} {}` request (`{}`): `.send().await` performs it, or `.send()` from the blocking client.",
        http_method_name(op.http_method),
        op.path,
        op.id
    );
    let method_link = format!(" Built by `{}()`.", op.method_name.trim_start_matches("r#"));
    let (sends, page_impl) = match &op.pagination {
        Some(p) => pagination_items(op, p, &builder, &error),
        None => {
            let sends = quote! {
                impl #builder {
                    /// Sends the request and decodes the response.
                    pub async fn send(self) -> Result<crate::runtime::Response<#success_ty>, #error> {
                        self.execute().await
                    }
                }

                #[cfg(feature = "blocking")]
                impl #builder<crate::runtime::Blocking> {
                    /// Sends the request and decodes the response, blocking the calling thread.
                    pub fn send(self) -> Result<crate::runtime::Response<#success_ty>, #error> {
                        let core = self.core.clone();
                        core.block_on(self.execute())
                    }
                }
            };
            (sends, None)
        }
    };
    let error_enum = error_enum(op, &error);
    quote! {
        #[doc = #builder_doc]
        #[doc = ""]
        #[doc = #method_link]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #builder<M = crate::runtime::Async> {
            core: crate::runtime::ClientCore,
            options: crate::runtime::CallOptions,
            #(#required_fields,)*
            #(#optional_fields,)*
            mode: ::std::marker::PhantomData<M>,
        }

        impl<M> #builder<M> {
            #(#setters)*
            #credentials
            crate::runtime::call_options!();

            async fn execute(self) -> Result<crate::runtime::Response<#success_ty>, #error> {
                #send_body
            }
        }

        #sends
        #page_impl
        #success_def
        #error_enum
    }
}

fn setter(op: &Operation, name: &Ident, ty: &TokenStream, docs: Option<&str>) -> TokenStream {
    let param = op.params.iter().find(|p| ident(&p.name) == *name);
    let fallback = match param {
        Some(p) => format!("Sets the `{}` parameter.", p.wire_name),
        None => "Sets the request body.".to_string(),
    };
    let mut attrs = doc(docs, &fallback);
    if let Some(default) = param.and_then(|p| p.default.as_ref()) {
        attrs.extend(paragraph(&format!("The server uses `{default}` when it is not set.")));
    }
    if param.is_some_and(|p| p.deprecated) {
        attrs.extend(paragraph("**Deprecated** by the API."));
    }
    match param.map(|p| &p.ty) {
        Some(TypeRef::Vec(item)) => {
            let item = rust_type(item, Scope::Elsewhere);
            quote! {
                #attrs
                pub fn #name(mut self, values: impl IntoIterator<Item = #item>) -> Self {
                    self.#name = Some(values.into_iter().collect());
                    self
                }
            }
        }
        // By value, so that a plain literal (`.limit(20)`) infers the parameter's own type.
        Some(TypeRef::Int(_) | TypeRef::Float | TypeRef::Bool) => quote! {
            #attrs
            pub fn #name(mut self, value: #ty) -> Self {
                self.#name = Some(value);
                self
            }
        },
        _ => quote! {
            #attrs
            pub fn #name(mut self, value: impl Into<#ty>) -> Self {
                self.#name = Some(value.into());
                self
            }
        },
    }
}

/// Per-call credentials: one setter per security scheme the operation accepts.
fn credential_setters(api: &Api, op: &Operation) -> TokenStream {
    let used: Vec<&String> = op.security.iter().flatten().collect();
    api.security_schemes
        .iter()
        .filter(|scheme| used.contains(&&scheme.key))
        .map(|scheme| {
            let setter = ident(&scheme.setter);
            let key = &scheme.key;
            let (args, credential) = super::client::credential_call(&scheme.kind);
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

/// The decoded success body: one type, `()` without a body, or an enum when statuses differ.
fn success_type(op: &Operation) -> (TokenStream, Option<TokenStream>) {
    match (&op.success_enum, op.success.first()) {
        (None, None) => (quote!(()), None),
        (None, Some(first)) => (single_success_type(&first.media, first.ty.as_ref()), None),
        (Some(name), _) => {
            let name = ident(name);
            let variants = op.success.iter().map(|r| {
                let variant = ident(&r.variant);
                let text = format!(" {}", status_text(r.status));
                let docs = doc(r.docs.as_deref(), "");
                match r.ty {
                    Some(_) => {
                        let ty = single_success_type(&r.media, r.ty.as_ref());
                        quote!(#[doc = #text] #docs #variant(#ty),)
                    }
                    None => quote!(#[doc = #text] #docs #variant,),
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

fn single_success_type(media: &Media, ty: Option<&TypeRef>) -> TokenStream {
    match (media, ty) {
        (Media::Binary(_), _) => quote!(::bytes::Bytes),
        (_, Some(ty)) => rust_type(ty, Scope::Elsewhere),
        (_, None) => quote!(()),
    }
}

fn status_text(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => format!("`{c}`"),
        StatusMatch::Range(r) => format!("`{r}XX`"),
        StatusMatch::Default => "any other status".to_string(),
    }
}

/// The `match` pattern for a status. A range leaves out the codes the operation declares on their own
/// (`4XX` beside `404` is `400..=403 | 405..=499`), so that no two arms overlap.
fn status_pattern(op: &Operation, status: StatusMatch) -> TokenStream {
    match status {
        StatusMatch::Code(c) => {
            let c = Literal::u16_unsuffixed(c);
            quote!(#c)
        }
        StatusMatch::Range(r) => {
            let (first, last) = (r * 100, r * 100 + 99);
            let mut taken: Vec<u16> = op
                .success
                .iter()
                .chain(&op.errors)
                .filter_map(|x| match x.status {
                    StatusMatch::Code(c) if (first..=last).contains(&c) => Some(c),
                    _ => None,
                })
                .collect();
            taken.sort_unstable();
            taken.dedup();
            let mut parts = Vec::new();
            let mut lo = first;
            for next in taken.into_iter().chain([last + 1]) {
                let (a, b) = (Literal::u16_unsuffixed(lo), Literal::u16_unsuffixed(next.saturating_sub(1)));
                match next.saturating_sub(lo) {
                    0 => {}
                    1 => parts.push(quote!(#a)),
                    _ => parts.push(quote!(#a..=#b)),
                }
                lo = next + 1;
            }
            if parts.is_empty() {
                let (a, b) = (Literal::u16_unsuffixed(first), Literal::u16_unsuffixed(last));
                parts.push(quote!(#a..=#b));
            }
            quote!(#(#parts)|*)
        }
        StatusMatch::Default => quote!(_),
    }
}

/// The body of `send` (or of the single-page fetch for paginated operations).
fn send_body(op: &Operation, error: &Ident) -> TokenStream {
    let method = format_ident!("{}", http_method_name(op.http_method));
    let id = &op.id;
    let path = path_expr(op);
    let security = op.security.iter().map(|alt| quote!(&[#(#alt),*]));
    let params = op.params.iter().filter(|p| p.location != ParamLocation::Path).map(|p| {
        let wire = &p.wire_name;
        match &p.location {
            ParamLocation::Query { style, explode } => {
                let style = format_ident!("{}", format!("{style:?}"));
                let value = param_value(p);
                quote!(request.query(#wire, &#value, crate::runtime::QueryStyle::#style, #explode)?;)
            }
            _ => {
                let value = param_value(p);
                quote!(request.header(#wire, &#value)?;)
            }
        }
    });
    let body = op.body.as_ref().map(|b| {
        let set = match &b.media {
            Media::Json => quote!(request.json_body(body)?;),
            Media::Form(encodings) => {
                let encodings = encodings.iter().map(|e| {
                    let (wire, explode, json) = (&e.wire_name, e.explode, e.json);
                    let style = format_ident!("{}", format!("{:?}", e.style));
                    quote!((#wire, crate::runtime::QueryStyle::#style, #explode, #json))
                });
                quote!(request.form_body(body, &[#(#encodings),*])?;)
            }
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
                    request.multipart_body(form);
                }
            }
            Media::Text(ct) => quote!(request.text_body(body.clone(), #ct);),
            Media::Binary(ct) => quote!(request.bytes_body(body.clone(), #ct);),
            Media::Empty => quote!(),
        };
        if b.required {
            quote!({ let body = &self.body; #set })
        } else {
            quote!(if let Some(body) = &self.body { #set })
        }
    });
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
        (op.params.iter().any(|p| p.location != ParamLocation::Path) || op.body.is_some()).then(|| quote!(mut));
    let success_arms = success_arms(op);
    let error_arms: Vec<TokenStream> =
        op.errors.iter().filter(|r| r.status != StatusMatch::Default).map(|r| error_arm(op, r, error)).collect();
    let fallback = match op.errors.iter().find(|r| r.status == StatusMatch::Default) {
        Some(default) => error_value(default, error),
        None => quote!(Err(#error::Unexpected(response.unexpected()))),
    };
    // Only a `default` response: no status to tell apart.
    let dispatch = if success_arms.is_empty() && error_arms.is_empty() {
        fallback
    } else {
        quote! {
            match response.status().as_u16() {
                #success_arms
                #(#error_arms)*
                _ => #fallback,
            }
        }
    };
    quote! {
        #(#checks)*
        #path
        let #mutable request = crate::runtime::Request::new(::reqwest::Method::#method, path, #id, &[#(#security),*]);
        #(#params)*
        #body
        let response = self.core.execute(request, &self.options).await?;
        #dispatch
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
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else { break };
        template.push_str(&rest[..start].replace('{', "{{").replace('}', "}}"));
        let wire = &rest[start + 1..start + len];
        match op.params.iter().find(|p| p.location == ParamLocation::Path && p.wire_name == wire) {
            Some(p) => {
                let segment = ident(&crate::naming::segment_local(&p.name));
                template.push_str(&format!("{{{segment}}}"));
                let value = param_value(p);
                segments.push(quote!(let #segment = crate::runtime::path_segment(&#value)?;));
            }
            // Lowering rejects undeclared template names; keep the text as written otherwise.
            None => template.push_str(&rest[start..=start + len].replace('{', "{{").replace('}', "}}")),
        }
        rest = &rest[start + len + 1..];
    }
    template.push_str(&rest.replace('{', "{{").replace('}', "}}"));
    if segments.is_empty() {
        let path = &op.path;
        quote!(let path = String::from(#path);)
    } else {
        quote!(#(#segments)* let path = format!(#template);)
    }
}

fn decode_success(media: &Media, ty: Option<&TypeRef>) -> TokenStream {
    match (media, ty) {
        (Media::Json, Some(_)) => quote!(response.json()?),
        (Media::Text(_), Some(_)) => quote!(response.text()?),
        (Media::Binary(_), Some(_)) => quote!(response.bytes()),
        _ => quote!(response.empty()),
    }
}

fn success_arms(op: &Operation) -> TokenStream {
    let (ty, def) = success_type(op);
    if def.is_none() {
        let patterns = op.success.iter().map(|r| status_pattern(op, r.status));
        let decode =
            op.success.first().map(|r| decode_success(&r.media, r.ty.as_ref())).unwrap_or(quote!(response.empty()));
        if op.success.is_empty() {
            return quote!();
        }
        return quote!(#(#patterns)|* => Ok(#decode),);
    }
    op.success
        .iter()
        .map(|r| {
            let pattern = status_pattern(op, r.status);
            let variant = ident(&r.variant);
            // `.map(Variant)` does not tell `json` its type: name it.
            let decode = match (&r.media, &r.ty) {
                (Media::Json, Some(body)) => {
                    let body = rust_type(body, Scope::Elsewhere);
                    quote!(response.json::<#body>()?)
                }
                _ => decode_success(&r.media, r.ty.as_ref()),
            };
            match r.ty {
                Some(_) => quote!(#pattern => Ok(#decode.map(#ty::#variant)),),
                None => quote!(#pattern => Ok(#decode.map(|()| #ty::#variant)),),
            }
        })
        .collect()
}

fn error_arm(op: &Operation, r: &Response, error: &Ident) -> TokenStream {
    let pattern = status_pattern(op, r.status);
    let value = error_value(r, error);
    quote!(#pattern => #value,)
}

/// A declared error status: its variant when the body is the declared one, `Unexpected` otherwise.
fn error_value(r: &Response, error: &Ident) -> TokenStream {
    let variant = ident(&r.variant);
    match (&r.media, &r.ty) {
        (Media::Json, Some(ty)) if r.open_union => {
            let ty = rust_type(ty, Scope::Elsewhere);
            let decode = quote!(response.json_error_unless(#ty::is_unknown));
            quote!(Err(#decode.map_or_else(#error::Unexpected, #error::#variant)))
        }
        (Media::Json, Some(_)) => quote!(Err(response.json_error().map_or_else(#error::Unexpected, #error::#variant))),
        (Media::Text(_) | Media::Binary(_), Some(_)) => {
            quote!(Err(response.text_error().map_or_else(#error::Unexpected, #error::#variant)))
        }
        _ => quote!(Err(#error::#variant(response.empty_error()))),
    }
}

fn error_body_type(r: &Response) -> TokenStream {
    match (&r.media, &r.ty) {
        (Media::Json, Some(ty)) => rust_type(ty, Scope::Elsewhere),
        (_, Some(_)) => quote!(String),
        _ => quote!(()),
    }
}

fn error_enum(op: &Operation, error: &Ident) -> TokenStream {
    let declared = op.errors.iter().map(|r| {
        let variant = ident(&r.variant);
        let ty = error_body_type(r);
        let text = format!(" {}: the server's declared error response.", status_text(r.status));
        let docs = doc(r.docs.as_deref(), "");
        quote! {
            #docs
            #[doc = ""]
            #[doc = #text]
            #[error("{0}")]
            #variant(crate::runtime::ErrorResponse<#ty>),
        }
    });
    let declared_variants = op.errors.iter().map(|r| ident(&r.variant));
    let text = format!(
        " Everything `{}` can fail with: each declared error status, then the failures any call can have.",
        op.id
    );
    quote! {
        #[doc = #text]
        #[derive(Debug, ::thiserror::Error)]
        #[non_exhaustive]
        pub enum #error {
            #(#declared)*
            /// A status the operation does not declare, or a declared one whose body is not the declared
            /// shape (another error, a proxy's HTML page); carries the status, headers and body.
            #[error(transparent)]
            Unexpected(crate::runtime::UnexpectedResponse),
            /// A success body that did not decode; carries the status and a body excerpt.
            #[error(transparent)]
            Decode(crate::runtime::DecodeError),
            /// No response within the time limit.
            #[error(transparent)]
            Timeout(crate::runtime::TimeoutError),
            /// The request could not be sent or the response not read (connection refused, reset…).
            #[error(transparent)]
            Transport(crate::runtime::TransportError),
            /// The client refused to send the request (a bad path parameter, missing credentials…).
            #[error(transparent)]
            InvalidRequest(crate::runtime::InvalidRequestError),
        }

        crate::runtime::error_details!(#error { #(#declared_variants,)* Unexpected, Decode, Timeout, Transport, InvalidRequest });
    }
}

/// Paginated operations: `send` returns a [`Page`], `stream` yields every item, and the builder
/// implements `PageRequest` so the runtime can walk the pages.
fn pagination_items(
    op: &Operation,
    p: &Pagination,
    builder: &Ident,
    error: &Ident,
) -> (TokenStream, Option<TokenStream>) {
    let (body_ty, _) = success_type(op);
    let item_ty = rust_type(&p.item_ty, Scope::Elsewhere);
    let page_field = ident(&p.page_param);
    let page_ty = param_int(op, &p.page_param);
    let default_page = Literal::u64_unsuffixed(p.default_page);
    let page_number = option_to_u64(page_ty, quote!(self.#page_field));
    let from_u64 = convert_from_u64(page_ty, quote!(page));
    let page_size = match &p.limit_param {
        Some(limit) => {
            let limit_field = ident(limit);
            let limit_ty = param_int(op, limit);
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
            pub fn stream(self) -> impl ::futures::Stream<Item = Result<#item_ty, #error>> + Send + 'static {
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
                self.execute()
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

fn param_int(op: &Operation, name: &str) -> Option<IntKind> {
    op.params.iter().find(|p| p.name == name).and_then(|p| match p.ty {
        TypeRef::Int(kind) => Some(kind),
        _ => None,
    })
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
    matches!(presence, Presence::Required | Presence::Defaulted)
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
