//! [`TypeRef`] to Rust type tokens.

use crate::model::{Api, IntKind, TypeId, TypeRef};
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;

/// Where the type is written: inside `types` (sibling names) or anywhere else (`crate::types::`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Types,
    Elsewhere,
    /// In an `api` module that imports `crate::types` (macro arguments, which prettyplease would
    /// print as `crate ::types::T`).
    Imported,
}

/// Whether the type names a type of the `types` module.
pub fn names_a_type(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(_) => true,
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) | TypeRef::Box(inner) => names_a_type(inner),
        _ => false,
    }
}

/// The name of a type of the `types` module.
pub fn type_name(api: &Api, id: TypeId) -> &str {
    // Lowering renumbers every id it hands out; one outside the list is a generator bug, which the
    // compiler then reports at the name.
    api.types.get(id.0).map_or("MissingType", |def| def.name.as_str())
}

pub fn rust_type(api: &Api, ty: &TypeRef, scope: Scope) -> TokenStream {
    match ty {
        TypeRef::Named(id) => {
            let ident = ident(type_name(api, *id));
            match scope {
                Scope::Types => quote!(#ident),
                Scope::Elsewhere => quote!(crate::types::#ident),
                Scope::Imported => quote!(types::#ident),
            }
        }
        TypeRef::Const(name) => {
            let ident = ident(name);
            quote!(crate::consts::#ident)
        }
        // `format: binary` inside JSON is text on the wire; raw bodies are `Binary`.
        TypeRef::String | TypeRef::Bytes => quote!(String),
        TypeRef::File => quote!(crate::runtime::FilePart),
        TypeRef::Binary => quote!(crate::runtime::Upload),
        TypeRef::Local(name) => {
            let ident = ident(name);
            quote!(#ident)
        }
        TypeRef::Bool => quote!(bool),
        TypeRef::Int(kind) => int_type(*kind),
        TypeRef::Float => quote!(f64),
        TypeRef::Uuid => quote!(::uuid::Uuid),
        TypeRef::DateTime => quote!(::chrono::DateTime<::chrono::Utc>),
        TypeRef::Date => quote!(::chrono::NaiveDate),
        TypeRef::Json => quote!(::serde_json::Value),
        TypeRef::JsonObject => quote!(::serde_json::Map<String, ::serde_json::Value>),
        TypeRef::Vec(inner) => {
            let inner = rust_type(api, inner, scope);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(api, inner, scope);
            quote!(::std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Option(inner) => {
            let inner = rust_type(api, inner, scope);
            quote!(Option<#inner>)
        }
        TypeRef::Box(inner) => {
            let inner = rust_type(api, inner, scope);
            quote!(Box<#inner>)
        }
        TypeRef::External(path) => rust_path(path),
    }
}

/// A path the configuration gives (`rust_decimal::Decimal`, `Hash`), checked to be a path of
/// identifiers when the configuration was read.
pub fn rust_path(path: &str) -> TokenStream {
    let leading = path.starts_with("::").then(|| quote!(::));
    let segments = path.trim_start_matches("::").split("::").map(ident);
    quote!(#leading #(#segments)::*)
}

pub fn int_type(kind: IntKind) -> TokenStream {
    match kind {
        IntKind::I8 => quote!(i8),
        IntKind::I16 => quote!(i16),
        IntKind::I32 => quote!(i32),
        IntKind::I64 => quote!(i64),
        IntKind::U8 => quote!(u8),
        IntKind::U16 => quote!(u16),
        IntKind::U32 => quote!(u32),
        IntKind::U64 => quote!(u64),
    }
}
