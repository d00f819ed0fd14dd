//! The `api` modules: one per operation group, each with its accessor, request builders and error
//! enums. The builder renders the plan lowering made: `setters` what it holds and takes, `request`
//! how it builds the request, `responses` how it reads each status, `pagination` how it pages.

mod mock;
mod pagination;
mod request;
mod responses;
mod setters;

use super::docs::{doc, paragraph, prose_paragraph};
use crate::model::*;
use crate::naming::ident;
use proc_macro2::{Ident, TokenStream};
use quote::quote;

/// One module of the `api` tree: its path below `api` and its group; [`GroupModule::tokens`]
/// emits it (on whichever thread formats it: token streams stay on the thread that made them).
pub struct GroupModule<'a> {
    pub path: Vec<String>,
    pub has_children: bool,
    group: &'a Group,
}

impl GroupModule<'_> {
    /// How many parts of [`OPERATIONS_PER_PART`] operations the module is emitted in.
    pub fn parts(&self) -> usize {
        self.group.operations.len().div_ceil(OPERATIONS_PER_PART).max(1)
    }

    /// One part: the first has the module's head and accessors; each has its operations' items.
    /// Parts are emitted and formatted apart and joined, which prints the same text as the whole.
    pub fn part(&self, api: &Api, part: usize) -> TokenStream {
        let from = part * OPERATIONS_PER_PART;
        group_module(api, self.group, &self.path, from, from + OPERATIONS_PER_PART)
    }
}

/// How many operations one part of a group module holds.
const OPERATIONS_PER_PART: usize = 16;

pub fn group_modules(api: &Api) -> Vec<GroupModule<'_>> {
    let mut out = Vec::new();
    walk(&api.root, &[], &mut out);
    out
}

fn walk<'a>(group: &'a Group, path: &[String], out: &mut Vec<GroupModule<'a>>) {
    out.push(GroupModule { path: path.to_vec(), has_children: !group.children.is_empty(), group });
    for child in &group.children {
        let mut child_path = path.to_vec();
        child_path.push(child.name.clone());
        walk(child, &child_path, out);
    }
}

/// The group's module, with the items of its operations `from..to` (and, for the part that starts
/// at 0, its head and accessors).
fn group_module(api: &Api, group: &Group, path: &[String], from: usize, to: usize) -> TokenStream {
    let ops: Vec<&Operation> = group.operations.iter().map(|&i| &api.operations[i]).collect();
    let to = to.min(ops.len());
    let items = ops[from.min(to)..to].iter().map(|op| operation_items(api, op));
    if from > 0 {
        return quote!(#(#items)*);
    }
    let child_mods = group.children.iter().map(|c| {
        let name = ident(&c.name);
        let text = format!(" Operations of the `{}` group.", c.name);
        quote!(#[doc = #text] pub mod #name;)
    });
    let (header, accessors) = if path.is_empty() {
        // The root group's accessors are methods of the clients themselves, async and blocking.
        let async_root = group_impl(api, group, &ops, Receiver::Client);
        let blocking_root =
            group_impl(api, group, &ops, Receiver::BlockingClient).map(|i| quote!(#[cfg(feature = "blocking")] #i));
        let mock_root = group_impl(api, group, &ops, Receiver::MockServer).map(|i| quote!(#[cfg(feature = "mock")] #i));
        let header = quote!(#![doc = " The API's operations, grouped as the document groups them."]);
        (header, quote!(#async_root #blocking_root #mock_root))
    } else {
        let accessor = ident(&group.type_name);
        let text =
            format!(" The `{}` operations. Get one from the client: `client.{}()`.", path.join("."), path.join("()."));
        let header_text = format!(" The `{}` operations.", path.join("."));
        let methods = group_impl(api, group, &ops, Receiver::Accessor(&accessor));
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
    // `sends!` and `sends_as!` name success types as `types::T`: prettyplease prints `crate::` in a
    // macro's arguments as `crate ::`.
    let imports = ops.iter().any(|op| responses::imports_types(api, op)).then(|| {
        quote!(
            use crate::types;
        )
    });
    quote! {
        #header
        #imports
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
    /// `crate::mock::MockServer`: the root group, mock builders (its `client()` is its own).
    MockServer,
    /// A group's accessor struct, generic over the mode.
    Accessor(&'a Ident),
}

/// The impl block with a group's child accessors and operation methods.
fn group_impl(api: &Api, group: &Group, ops: &[&Operation], receiver: Receiver<'_>) -> Option<TokenStream> {
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
        Receiver::MockServer => {
            (quote!(impl crate::mock::MockServer), quote!(), quote!('_), quote!(crate::runtime::Mocked))
        }
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
    let methods = ops.iter().map(|op| accessor_method(api, op, generics.as_ref()));
    let client = (!client.is_empty()).then(|| quote!(fn client(&self) -> #client));
    Some(quote! {
        #header {
            #client
            #(#child_accessors)*
            #(#methods)*
        }
    })
}

fn accessor_method(api: &Api, op: &Operation, mode: Option<&TokenStream>) -> TokenStream {
    let method = ident(&op.method_name);
    let builder = ident(&op.builder_name);
    let params = op.inputs.iter().filter(|i| i.positional).map(|i| setters::argument(api, i));
    let inits = op.inputs.iter().map(setters::initializer);
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
                mode: ::std::marker::PhantomData,
            }
        }
    }
}

pub(super) fn http_method_name(method: HttpMethod) -> &'static str {
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
    let fields = op.inputs.iter().map(|i| setters::field(api, i));
    let setter_fns = op.inputs.iter().filter(|i| !i.positional).map(|i| setters::setter(api, op, i));
    let credentials = setters::credential_setters(api, op);
    let (success_ty, success_def) = responses::success_type(api, op);
    let request_body = request::request_body(op);
    let read_body = responses::read_body(api, op);
    let fail_body = responses::fail_body(api, op, &error);
    let (send_stream, execute_stream) = streaming(op, &builder, &error);
    let (execute_alternates, send_alternates) = responses::alternates(api, op, &builder, &error);
    let builder_doc = format!(
        " A `{} {}` request (`{}`): `.send().await` performs it, or `.send()` from the blocking client.",
        http_method_name(op.http_method),
        op.path,
        op.id
    );
    let method_link = format!(" Built by `{}()`.", op.method_name.trim_start_matches("r#"));
    let (sends, page_impl) = match &op.pagination {
        Some(p) => pagination::pagination_items(api, op, p, &builder, &error),
        None => {
            let (success, _) = responses::success_type_imported(api, op);
            (quote!(crate::runtime::sends!(#builder, #success, #error);), None)
        }
    };
    let error_enum = responses::error_enum(api, op, &error);
    let choice_enum = request::choice_enum(api, op);
    let call: Vec<String> = op
        .group
        .iter()
        .chain(std::iter::once(&op.method_name))
        .map(|segment| format!("{}()", crate::naming::bare(segment)))
        .collect();
    let mock = mock::mock_items(api, op, &builder, &call.join("."));
    quote! {
        #[doc = #builder_doc]
        #[doc = ""]
        #[doc = #method_link]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until it is sent"]
        pub struct #builder<M = crate::runtime::Async> {
            core: crate::runtime::ClientCore,
            options: crate::runtime::CallOptions,
            #(#fields,)*
            mode: ::std::marker::PhantomData<M>,
        }

        impl<M> #builder<M> {
            #(#setter_fns)*
            #credentials
            crate::runtime::call_options!();

            fn request(&self) -> Result<crate::runtime::Request, crate::runtime::Failure> {
                #request_body
            }

            #execute_stream
            #execute_alternates

            fn read(response: crate::runtime::RawResponse) -> Result<crate::runtime::Response<#success_ty>, #error> {
                #read_body
            }

            fn failed(response: crate::runtime::RawResponse) -> #error {
                #fail_body
            }
        }

        #sends
        #send_stream
        #send_alternates
        #page_impl
        #choice_enum
        #success_def
        #error_enum
        #mock
    }
}

/// For an operation whose success body is raw bytes: `send_stream()`, async and blocking, which
/// hands the body out as it arrives; and the private `execute_stream` they share.
fn streaming(op: &Operation, builder: &Ident, error: &Ident) -> (Option<TokenStream>, Option<TokenStream>) {
    if !op.streams {
        return (None, None);
    }
    let execute = quote! {
        async fn execute_stream(self) -> Result<crate::runtime::Response<crate::runtime::ByteStream>, #error> {
            let request = self.request()?;
            match self.core.execute_stream(request, &self.options).await? {
                crate::runtime::Streamed::Body(response) => Ok(response),
                crate::runtime::Streamed::Read(response) => Err(Self::failed(response)),
            }
        }
    };
    let sends = quote! {
        impl #builder {
            /// Sends the request and hands out the body as it arrives, without holding it all in memory.
            /// Retries happen before the body starts; the call's timeout covers the response head only.
            pub async fn send_stream(self) -> Result<crate::runtime::Response<crate::runtime::ByteStream>, #error> {
                self.execute_stream().await
            }
        }

        #[cfg(feature = "blocking")]
        impl #builder<crate::runtime::Blocking> {
            /// Sends the request, blocking, and hands out the body as it arrives: an iterator of chunks
            /// and an `std::io::Read`. Retries happen before the body starts; the call's timeout covers
            /// the response head only.
            pub fn send_stream(self) -> Result<crate::runtime::Response<crate::runtime::BlockingByteStream>, #error> {
                let core = self.core.clone();
                let response = core.block_on(self.execute_stream())?;
                Ok(response.map(|body| crate::runtime::BlockingByteStream::new(core, body)))
            }
        }
    };
    (Some(sends), Some(execute))
}
