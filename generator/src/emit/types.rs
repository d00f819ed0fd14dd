//! The `types` module (one item per [`TypeDef`]) and the `consts` module (one zero-sized type per value).

use super::docs::{doc, paragraph};
use super::ty::{rust_type, Scope};
use crate::model::*;
use crate::naming::ident;
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

/// How many types one part of `types.rs` holds (see [`types_part`]).
pub const TYPES_PER_PART: usize = 64;

/// The part of `types.rs` with the types `from..to` (by index): the first part opens with the
/// module's docs. Parts are emitted and formatted apart and joined, which prints the same text as
/// the whole file at once.
pub fn types_part(api: &Api, from: usize, to: usize) -> TokenStream {
    let to = to.min(api.types.len());
    let items = api.types[from.min(to)..to].iter().map(|def| type_def(api, def));
    let head = (from == 0).then(|| {
        quote! {
            //! Every schema of the API document, as Rust types.
            // A field the document says nothing about gets no made-up doc line.
            #![allow(missing_docs)]
        }
    });
    quote! {
        #head
        #(#items)*
    }
}

fn type_def(api: &Api, def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    // Where the document says nothing about a type, say nothing.
    let mut docs = doc(def.docs.as_deref(), "");
    if def.deprecated {
        docs.extend(if docs.is_empty() {
            super::docs::lines("**Deprecated** by the API.")
        } else {
            paragraph("**Deprecated** by the API.")
        });
    }
    // The configuration's derives, after those every type of the kind has.
    let derives = def.derives.iter().map(|d| super::ty::rust_path(d));
    let extra = quote!(#(#derives,)*);
    match &def.kind {
        TypeKind::Struct(s) => struct_def(api, &name, docs, s, extra),
        TypeKind::Enum(e) => enum_def(&name, docs, e, extra),
        TypeKind::Union(u) => union_def(api, &name, docs, u, extra),
        TypeKind::Alias(ty) => {
            let ty = rust_type(api, ty, Scope::Types);
            quote!(#docs pub type #name = #ty;)
        }
        TypeKind::Newtype(ty) => {
            let ty = rust_type(api, ty, Scope::Types);
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, #extra ::serde::Serialize, ::serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #ty);
            }
        }
    }
}

fn struct_def(
    api: &Api,
    name: &proc_macro2::Ident,
    docs: TokenStream,
    s: &Struct,
    derives: TokenStream,
) -> TokenStream {
    let fields = s.fields.iter().map(|f| field(api, f));
    let deny = (s.additional == Additional::Deny).then(|| quote!(#[serde(deny_unknown_fields)]));
    let extra = match &s.additional {
        Additional::Collect(ty) => {
            let ty = rust_type(api, ty, Scope::Types);
            let name = ident(crate::naming::ADDITIONAL_FIELD);
            Some(quote! {
                /// Properties the schema does not name.
                #[serde(flatten)]
                pub #name: ::std::collections::BTreeMap<String, #ty>,
            })
        }
        _ => None,
    };
    let default = s.default.then(|| quote!(Default,));
    let accessors = accessors(api, name, s);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default #derives ::serde::Serialize, ::serde::Deserialize)]
        #deny
        pub struct #name {
            #(#fields)*
            #extra
        }

        #accessors
    }
}

/// The methods that read optional fields with their declared defaults filled in.
fn accessors(api: &Api, name: &proc_macro2::Ident, s: &Struct) -> Option<TokenStream> {
    let methods: Vec<TokenStream> = s
        .fields
        .iter()
        .filter_map(|f| {
            let method = ident(f.accessor.as_ref()?);
            let field = ident(&f.name);
            let default = f.default.as_ref()?;
            let text = format!(
                " `{}`, or `{default}` (the document's default) when it is not set.",
                crate::naming::bare(&f.name)
            );
            let (ty, body) = match (&f.ty, default) {
                (TypeRef::String, Value::String(value)) => {
                    (quote!(&str), quote!(self.#field.as_deref().unwrap_or(#value)))
                }
                (TypeRef::Named(_), Value::String(value)) => {
                    let ty = rust_type(api, &f.ty, Scope::Types);
                    (quote!(#ty), quote!(self.#field.clone().unwrap_or_else(|| #ty::from(#value))))
                }
                (TypeRef::Bool, Value::Bool(value)) => (quote!(bool), quote!(self.#field.unwrap_or(#value))),
                (TypeRef::Float, Value::Number(n)) => {
                    let n = proc_macro2::Literal::f64_unsuffixed(n.as_f64()?);
                    (quote!(f64), quote!(self.#field.unwrap_or(#n)))
                }
                (TypeRef::Int(kind), Value::Number(n)) => {
                    // A negative default is `-` before its magnitude, as Rust writes it.
                    let n = match (n.as_u64(), n.as_i64()) {
                        (Some(u), _) => {
                            let u = proc_macro2::Literal::u64_unsuffixed(u);
                            quote!(#u)
                        }
                        (None, Some(i)) => {
                            let magnitude = proc_macro2::Literal::u64_unsuffixed(i.unsigned_abs());
                            quote!(-#magnitude)
                        }
                        (None, None) => return None,
                    };
                    (super::ty::int_type(*kind), quote!(self.#field.unwrap_or(#n)))
                }
                _ => return None,
            };
            Some(quote! {
                #[doc = #text]
                pub fn #method(&self) -> #ty {
                    #body
                }
            })
        })
        .collect();
    (!methods.is_empty()).then(|| quote!(impl #name { #(#methods)* }))
}

fn field(api: &Api, f: &Field) -> TokenStream {
    let name = ident(&f.name);
    let mut docs = doc(f.docs.as_deref(), "");
    let mut notes = Vec::new();
    if f.presence == Presence::OptionalNullable {
        notes.push("May be absent or `null`; [`Nullable`](crate::Nullable) tells the two apart.".to_string());
    }
    if let Some(default) = &f.default {
        notes.push(match &f.accessor {
            Some(accessor) => format!(
                "Absent means `{default}`, the document's default; `{}()` reads it so.",
                crate::naming::bare(accessor)
            ),
            None => format!("Absent means `{default}`, the document's default."),
        });
    }
    if f.read_only {
        notes.push("Read-only: set by the server.".into());
    }
    if f.write_only {
        notes.push("Write-only: never returned by the server.".into());
    }
    if f.deprecated {
        notes.push("**Deprecated** by the API.".into());
    }
    if !notes.is_empty() {
        if docs.is_empty() {
            docs = super::docs::lines(&notes.join(" "));
        } else {
            docs.extend(paragraph(&notes.join(" ")));
        }
    }
    let wire = &f.wire_name;
    let rename = (crate::naming::bare(&f.name) != wire && f.presence != Presence::Flattened)
        .then(|| quote!(#[serde(rename = #wire)]));
    let inner = rust_type(api, &f.ty, Scope::Types);
    let (ty, serde) = match f.presence {
        Presence::Required => (inner, None),
        Presence::RequiredNullable => (quote!(Option<#inner>), None),
        Presence::Optional => {
            (quote!(Option<#inner>), Some(quote!(#[serde(default, skip_serializing_if = "Option::is_none")])))
        }
        Presence::Flattened => (inner, Some(quote!(#[serde(flatten)]))),
        Presence::OptionalNullable => (
            quote!(crate::runtime::Nullable<#inner>),
            Some(quote!(#[serde(default, skip_serializing_if = "crate::runtime::Nullable::is_absent")])),
        ),
    };
    quote! {
        #docs
        #rename
        #serde
        pub #name: #ty,
    }
}

/// A string enum that stays readable when the server adds values: unknown ones land in `Unknown`.
/// A string enum: its declaration here, its impls through the runtime's `string_enum!`.
fn enum_def(name: &proc_macro2::Ident, docs: TokenStream, e: &StringEnum, extra: TokenStream) -> TokenStream {
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let text = format!(" `{}`", v.value);
        quote!(#[doc = #text] #variant,)
    });
    let values = e.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let value = &v.value;
        quote!(#variant = #value)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, #extra)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this client does not know yet; it is sent back unchanged.
            Unknown(String),
        }

        crate::runtime::string_enum!(#name { #(#values),* });
    }
}

/// A union: serialized as exactly the member's value; decoded by tag, or by trying members in order.
fn union_def(api: &Api, name: &proc_macro2::Ident, docs: TokenStream, u: &Union, extra: TokenStream) -> TokenStream {
    let tagged = matches!(u.tagging, Tagging::Tagged { .. });
    let variants = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let ty = rust_type(api, &v.ty, Scope::Types);
        let text = match (&u.tagging, v.tags.as_slice()) {
            (Tagging::Tagged { property, .. }, tags) if !tags.is_empty() => {
                let tags: Vec<String> = tags.iter().map(|t| format!("`{t}`")).collect();
                format!(" `{property}` is {}.", tags.join(" or "))
            }
            _ => format!(" A `{}`.", type_label(api, &v.ty)),
        };
        quote!(#[doc = #text] #variant(#ty),)
    });
    let unknown = tagged.then(|| {
        quote! {
            /// A member this client does not know yet, kept as JSON.
            Unknown(::serde_json::Value),
        }
    });
    let is_unknown = tagged.then(|| {
        quote! {
            impl #name {
                /// Whether this is a member this client does not know.
                pub fn is_unknown(&self) -> bool {
                    matches!(self, Self::Unknown(_))
                }
            }
        }
    });
    let decode = match &u.tagging {
        Tagging::Tagged { property, shared } => decode_tagged(name, u, property, shared),
        Tagging::Untagged => {
            let attempts = decode_untagged(api, name, u);
            quote! {
                impl<'de> ::serde::Deserialize<'de> for #name {
                    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        #attempts
                    }
                }
            }
        }
    };
    let from_impls = u.converts.then(|| {
        u.variants
            .iter()
            .map(move |v| {
                let variant = ident(&v.name);
                let ty = rust_type(api, &v.ty, Scope::Types);
                quote! {
                    impl From<#ty> for #name {
                        fn from(value: #ty) -> Self {
                            Self::#variant(value)
                        }
                    }
                }
            })
            .collect::<TokenStream>()
    });
    let constructors = constructors(api, name, u);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #extra ::serde::Serialize)]
        #[serde(untagged)]
        // Members are held by value, so that a match reaches the data without a `Box` in between.
        #[allow(clippy::large_enum_variant)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            #unknown
        }

        #decode
        #is_unknown
        #constructors
        #from_impls
    }
}

/// `Union::seats(5)`: shortcuts that build a member struct from its one required value.
fn constructors(api: &Api, name: &proc_macro2::Ident, u: &Union) -> Option<TokenStream> {
    let fns: Vec<TokenStream> = u
        .variants
        .iter()
        .filter_map(|v| {
            let c = v.constructor.as_ref()?;
            let method = ident(&c.name);
            let variant = ident(&v.name);
            let member_name = super::ty::type_name(api, c.member);
            let member = ident(member_name);
            let rest = c.defaulted.iter().map(|f| {
                let f = ident(f);
                quote!(#f: Default::default())
            });
            let wrap = |value: TokenStream| if c.boxed { quote!(Box::new(#value)) } else { value };
            Some(match &c.arg {
                Some((field_name, field_ty)) => {
                    let field = ident(field_name);
                    let ty = rust_type(api, field_ty, Scope::Types);
                    let text = format!(
                        " The `{}` member with this `{}`; its other fields take their defaults.",
                        member_name,
                        crate::naming::bare(field_name)
                    );
                    // Scalars by value, so that a plain literal (`seats(5)`) infers the field's type.
                    let (param, value) = if matches!(field_ty, TypeRef::Int(_) | TypeRef::Float | TypeRef::Bool) {
                        (quote!(#field: #ty), quote!(#field))
                    } else {
                        (quote!(#field: impl Into<#ty>), quote!(#field: #field.into()))
                    };
                    let wrapped = wrap(quote!(#member { #value, #(#rest,)* }));
                    quote! {
                        #[doc = #text]
                        pub fn #method(#param) -> Self {
                            Self::#variant(#wrapped)
                        }
                    }
                }
                None => {
                    let text = format!(" The `{member_name}` member; its fields take their defaults.");
                    let wrapped = wrap(quote!(#member { #(#rest,)* }));
                    quote! {
                        #[doc = #text]
                        pub fn #method() -> Self {
                            Self::#variant(#wrapped)
                        }
                    }
                }
            })
        })
        .collect();
    (!fns.is_empty()).then(|| quote!(impl #name { #(#fns)* }))
}

/// A tagged union decodes through `runtime::tagged`, which streams the member the tag names.
fn decode_tagged(name: &proc_macro2::Ident, u: &Union, property: &str, shared: &[(String, Value)]) -> TokenStream {
    let arms = u.variants.iter().filter(|v| !v.tags.is_empty()).map(|v| {
        let variant = ident(&v.name);
        let tags = &v.tags;
        quote!(#(#tags)|* => |d| ::serde::Deserialize::deserialize(d).map(Self::#variant),)
    });
    // An unknown tag is a new member only if the value has what every member has.
    let other = if shared.is_empty() {
        quote!(Ok(Self::Unknown(value)))
    } else {
        let checks = shared.iter().map(|(wire, v)| {
            let json = v.to_string();
            quote!(value.get(#wire).map(::std::string::ToString::to_string).as_deref() == Some(#json))
        });
        let message = format!(
            "the value's `{property}` names no member of `{name}`, and it lacks the constants all its members share"
        );
        quote! {
            if #(#checks)&&* {
                Ok(Self::Unknown(value))
            } else {
                Err(#message.into())
            }
        }
    };
    quote! {
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::runtime::tagged(deserializer)
            }
        }

        impl crate::runtime::Tagged for #name {
            const TAG: &'static str = #property;

            fn member<'de, D: ::serde::Deserializer<'de>>(tag: &str) -> Option<crate::runtime::Member<'de, D, Self>> {
                Some(match tag {
                    #(#arms)*
                    _ => return None,
                })
            }

            fn other(value: ::serde_json::Value) -> Result<Self, String> {
                #other
            }
        }
    }
}

/// Every member is tried, ranked by how well it accounts for the value (see `runtime::Untagged`);
/// an open member (a tagged union) that only took the value as `Unknown` ranks below the others.
fn decode_untagged(api: &Api, name: &proc_macro2::Ident, u: &Union) -> TokenStream {
    let mut known: Vec<&str> =
        u.variants.iter().filter_map(|v| v.keys.as_ref()).flat_map(|k| &k.declared).map(String::as_str).collect();
    known.sort_unstable();
    known.dedup();
    let attempts = u.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let label = &v.name;
        if let Some(keys) = &v.keys {
            let declared = &keys.declared;
            let required = &keys.required;
            let fixed = keys.fixed.iter().map(|(key, value)| quote!((#key, #value)));
            let open = keys.open;
            quote! {
                .object(#label, Self::#variant, crate::runtime::Keys {
                    declared: &[#(#declared),*],
                    required: &[#(#required),*],
                    fixed: &[#(#fixed),*],
                    open: #open,
                })
            }
        } else if v.open {
            let ty = rust_type(api, &v.ty, Scope::Types);
            // A boxed member (one that closes a cycle) reaches `is_unknown` through the box.
            let unknown = match &v.ty {
                TypeRef::Named(_) => quote!(#ty::is_unknown),
                _ => quote!(|member: &#ty| member.is_unknown()),
            };
            quote!(.open_member(#label, Self::#variant, #unknown))
        } else {
            quote!(.member(#label, Self::#variant))
        }
    });
    let union = name.to_string();
    quote! {
        crate::runtime::Untagged::new(deserializer, &[#(#known),*])? #(#attempts)* .finish(#union)
    }
}

/// `From` impls are only unambiguous when no two members share a type.
fn type_label(api: &Api, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id) => super::ty::type_name(api, *id).to_string(),
        TypeRef::Const(n) => n.clone(),
        TypeRef::Vec(inner) => format!("list of {}", type_label(api, inner)),
        TypeRef::Map(inner) => format!("map of {}", type_label(api, inner)),
        TypeRef::Option(inner) | TypeRef::Box(inner) => type_label(api, inner),
        other => rust_type(api, other, Scope::Types).to_string().replace(' ', ""),
    }
}

pub fn consts_module(api: &Api) -> TokenStream {
    let items = api.consts.iter().map(const_def);
    quote! {
        //! Zero-sized types for the document's `const` values: they always serialize to their value
        //! and refuse any other value when decoding, so a caller never has to fill them in.
        #(#items)*
    }
}

fn const_def(c: &ConstDef) -> TokenStream {
    let name = ident(&c.name);
    let text = format!(" The constant `{}`.", c.value);
    let expected = format!("the constant {}", c.value);
    // `read_ty` is what decoding reads: an owned `String` for text, the value's own type otherwise.
    let compare = |value_ty: TokenStream, read_ty: TokenStream, value: TokenStream, write: TokenStream| {
        let value_item = quote!(pub const VALUE: #value_ty = #value;);
        let serialize = quote!(serializer.#write(Self::VALUE));
        let deserialize = quote! {
            let found = <#read_ty as ::serde::Deserialize>::deserialize(deserializer)?;
            if found == Self::VALUE {
                Ok(#name)
            } else {
                Err(::serde::de::Error::custom(format!("expected {}, found {:?}", #expected, found)))
            }
        };
        (Some(value_item), serialize, deserialize)
    };
    let (value_item, serialize, deserialize) = match &c.value {
        Value::String(s) => compare(quote!(&'static str), quote!(String), quote!(#s), quote!(serialize_str)),
        Value::Bool(b) => compare(quote!(bool), quote!(bool), quote!(#b), quote!(serialize_bool)),
        Value::Number(n) if n.is_i64() => {
            let v = n.as_i64().unwrap_or_default();
            compare(quote!(i64), quote!(i64), quote!(#v), quote!(serialize_i64))
        }
        Value::Number(n) if n.is_u64() => {
            let v = n.as_u64().unwrap_or_default();
            compare(quote!(u64), quote!(u64), quote!(#v), quote!(serialize_u64))
        }
        // Lowering makes consts only of scalars; what is left is `null`.
        _ => (
            None,
            quote!(serializer.serialize_unit()),
            quote!(<() as ::serde::Deserialize>::deserialize(deserializer).map(|()| #name)),
        ),
    };
    let value_impl = value_item.map(|item| {
        quote! {
            impl #name {
                /// The value on the wire.
                #item
            }
        }
    });
    quote! {
        #[doc = #text]
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct #name;

        #value_impl

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #serialize
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #deserialize
            }
        }
    }
}
