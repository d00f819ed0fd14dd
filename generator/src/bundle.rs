//! The crate's `src/` as one Rust file, for a `build.rs` to write into `OUT_DIR` and a module of
//! its crate to `include!` (`mod petstore { include!(concat!(env!("OUT_DIR"), "/petstore.rs")); }`).
//!
//! The file must compile wherever it is included, so, from the emitted files:
//! - every `mod name;` becomes `mod name { … }` with the file's items;
//! - `crate::` becomes `self::` at the top and, below it, `__client::`, a name each module imports
//!   for the top (`use super::super::{self as __client};`). One name serves macro bodies too: their
//!   paths resolve where the macro is invoked, at whatever depth;
//! - `feature = "…"` in `cfg`s becomes `all()` or `any()`, as the configuration's default features
//!   say, since the including crate's features are its own;
//! - the crate's inner attributes and the runtime's unit tests are left out, doc examples are
//!   not run (they name the crate that is not there), and top-level items allow `dead_code` and
//!   `unused_imports`, since a user calls only part of a client.

use crate::error::{Error, ErrorKind, Result};
use crate::naming::ident;
use crate::options::File;
use proc_macro2::{Delimiter, Group, Literal, Spacing, TokenStream, TokenTree};
use quote::quote;

/// The name each inlined module gives the client's top module.
const ROOT_ALIAS: &str = "__client";

/// What the rewrite keeps and turns on.
pub struct Settings<'a> {
    /// Whether a feature of the generated crate is on.
    pub enabled: &'a dyn Fn(&str) -> bool,
    /// The user's own paths into the including crate (`crate::money::Money`, given in `[types]`),
    /// whose `crate::` stays.
    pub own_paths: Vec<Vec<String>>,
}

/// Bundles `files` (a generated crate) into one file's text.
pub fn bundle(files: &[File], header: &str, settings: &Settings<'_>) -> Result<String> {
    let items = module(files, "src/lib.rs", 0, settings)?.1;
    let items = items.into_iter().map(|mut item| {
        if let Some(attrs) = item_attrs(&mut item) {
            attrs.insert(0, syn::parse_quote!(#[allow(dead_code, unused_imports)]));
        }
        item
    });
    let file = syn::File { shebang: None, frontmatter: None, attrs: Vec::new(), items: items.collect() };
    Ok(format!("{header}\n{}", prettyplease::unparse(&file)))
}

/// The inner attributes and items of the file at `path`, its `mod name;`s inlined.
fn module(
    files: &[File],
    path: &str,
    depth: usize,
    settings: &Settings<'_>,
) -> Result<(Vec<syn::Attribute>, Vec<syn::Item>)> {
    let file = files.iter().find(|f| f.path == path).ok_or_else(|| internal(format!("{path} is not generated")))?;
    let tokens: TokenStream = file.contents.parse().map_err(|e| internal(format!("{path} does not lex: {e}")))?;
    let root = if depth == 0 { "self" } else { ROOT_ALIAS };
    let tokens = rewrite(tokens, root, settings, &mut false);
    let parsed: syn::File = syn::parse2(tokens).map_err(|e| internal(format!("{path} does not parse: {e}")))?;
    let mut items = Vec::new();
    if depth > 0 {
        items.push(root_alias(depth));
    }
    for mut item in parsed.items {
        if item_attrs(&mut item).is_some_and(|attrs| attrs.iter().any(is_cfg_test)) {
            continue;
        }
        if let syn::Item::Mod(m) = &mut item {
            if m.content.is_none() {
                let child = child_path(files, path, &m.ident.to_string())?;
                let (inner, child_items) = module(files, &child, depth + 1, settings)?;
                // As outer attributes, since the module now has both (clippy's `mixed_attributes_style`).
                m.attrs.extend(inner.into_iter().map(|a| syn::Attribute { style: syn::AttrStyle::Outer, ..a }));
                m.content = Some((Default::default(), child_items));
                m.semi = None;
            } else if let Some((_, inner)) = &mut m.content {
                // A module written inline in the file: its items see the top through an alias of their own.
                alias_inline(inner, depth + 1);
            }
        }
        items.push(item);
    }
    Ok((parsed.attrs, items))
}

/// `use super::super::{self as __client};`: the client's top module, from `depth` below it.
fn root_alias(depth: usize) -> syn::Item {
    let supers = std::iter::repeat_n(quote!(super::), depth);
    let alias = ident(ROOT_ALIAS);
    syn::parse_quote!(#[allow(unused_imports)] use #(#supers)* {self as #alias};)
}

/// Gives an inline module (and those inside it) the alias of the top.
fn alias_inline(items: &mut Vec<syn::Item>, depth: usize) {
    for item in items.iter_mut() {
        if let syn::Item::Mod(syn::ItemMod { content: Some((_, inner)), .. }) = item {
            alias_inline(inner, depth + 1);
        }
    }
    items.insert(0, root_alias(depth));
}

/// Where `mod name;` in the file at `parent` is: beside it for `lib.rs` and `mod.rs`, else in the
/// folder named after it; as `name.rs` or `name/mod.rs`.
fn child_path(files: &[File], parent: &str, name: &str) -> Result<String> {
    let (dir, file) = parent.rsplit_once('/').unwrap_or(("", parent));
    let dir = match file {
        "lib.rs" | "mod.rs" => dir.to_string(),
        _ => format!("{dir}/{}", file.trim_end_matches(".rs")),
    };
    [format!("{dir}/{name}.rs"), format!("{dir}/{name}/mod.rs")]
        .into_iter()
        .find(|candidate| files.iter().any(|f| &f.path == candidate))
        .ok_or_else(|| internal(format!("{parent}: no file for `mod {name};`")))
}

/// Rewrites `crate::`, `feature = "…"` and doc examples, at every depth of the token tree.
/// `in_example` follows a doc example across the doc attributes of one list, a line each.
fn rewrite(tokens: TokenStream, root: &str, settings: &Settings<'_>, in_example: &mut bool) -> TokenStream {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out = Vec::with_capacity(trees.len());
    let mut i = 0;
    while i < trees.len() {
        match &trees[i] {
            TokenTree::Ident(word) if word == "crate" && is_path_sep(&trees, i + 1) => {
                let own = settings.own_paths.iter().any(|path| spells(&trees[i + 1..], path));
                out.push(if own { trees[i].clone() } else { TokenTree::Ident(ident(root)) });
            }
            TokenTree::Ident(word) if word == "feature" => {
                if let (Some(TokenTree::Punct(eq)), Some(TokenTree::Literal(name))) =
                    (trees.get(i + 1), trees.get(i + 2))
                {
                    if eq.as_char() == '=' {
                        let name = string_value(name).unwrap_or_default();
                        let which = if (settings.enabled)(&name) { "all" } else { "any" };
                        out.push(TokenTree::Ident(ident(which)));
                        out.push(TokenTree::Group(Group::new(Delimiter::Parenthesis, TokenStream::new())));
                        i += 3;
                        continue;
                    }
                }
                out.push(trees[i].clone());
            }
            TokenTree::Group(group) => {
                let inner = match doc_text(group) {
                    Some(text) => {
                        let text = doc_rewrite(&text, root, in_example);
                        quote!(doc = #text)
                    }
                    None => rewrite(group.stream(), root, settings, &mut false),
                };
                let mut new = Group::new(group.delimiter(), inner);
                new.set_span(group.span());
                out.push(TokenTree::Group(new));
            }
            other => out.push(other.clone()),
        }
        i += 1;
    }
    out.into_iter().collect()
}

fn is_path_sep(trees: &[TokenTree], at: usize) -> bool {
    matches!(
        (trees.get(at), trees.get(at + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':'
    )
}

/// Whether `trees` begin with `::a::b` for the segments `[a, b]`.
fn spells(trees: &[TokenTree], segments: &[String]) -> bool {
    segments.iter().enumerate().all(|(n, segment)| {
        is_path_sep(trees, 3 * n) && matches!(trees.get(3 * n + 2), Some(TokenTree::Ident(word)) if word == segment)
    })
}

/// The text of a `[doc = "…"]` attribute's brackets.
fn doc_text(group: &Group) -> Option<String> {
    if group.delimiter() != Delimiter::Bracket {
        return None;
    }
    let trees: Vec<TokenTree> = group.stream().into_iter().collect();
    match trees.as_slice() {
        [TokenTree::Ident(doc), TokenTree::Punct(eq), TokenTree::Literal(text)]
            if doc == "doc" && eq.as_char() == '=' =>
        {
            string_value(text)
        }
        _ => None,
    }
}

fn string_value(literal: &Literal) -> Option<String> {
    syn::parse2::<syn::LitStr>(TokenTree::Literal(literal.clone()).into()).ok().map(|s| s.value())
}

/// A doc line (or lines): intra-doc links through `crate::` follow the top module's new name, and a
/// Rust example becomes `ignore`d, since it names the crate that is not there.
fn doc_rewrite(text: &str, root: &str, in_example: &mut bool) -> String {
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| {
            let trimmed = line.trim_start();
            let Some(info) = trimmed.strip_prefix("```") else { return line.replace("crate::", &format!("{root}::")) };
            if *in_example {
                *in_example = false;
                return line.to_string();
            }
            *in_example = true;
            let rust = info.split(',').map(str::trim).all(|word| {
                word.is_empty() || word == "rust" || word.starts_with("edition") || RUN_WORDS.contains(&word)
            });
            if rust {
                format!("{}```rust,ignore", &line[..line.len() - trimmed.len()])
            } else {
                line.to_string()
            }
        })
        .collect();
    lines.join("\n")
}

/// Words of a doc example's info string that still leave it a Rust example rustdoc builds.
const RUN_WORDS: &[&str] = &["no_run", "should_panic", "compile_fail", "ignore"];

fn is_cfg_test(attr: &syn::Attribute) -> bool {
    attr.path().is_ident("cfg") && attr.meta.require_list().is_ok_and(|list| list.tokens.to_string() == "test")
}

fn item_attrs(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    Some(match item {
        syn::Item::Const(i) => &mut i.attrs,
        syn::Item::Enum(i) => &mut i.attrs,
        syn::Item::Fn(i) => &mut i.attrs,
        syn::Item::Impl(i) => &mut i.attrs,
        syn::Item::Macro(i) => &mut i.attrs,
        syn::Item::Mod(i) => &mut i.attrs,
        syn::Item::Static(i) => &mut i.attrs,
        syn::Item::Struct(i) => &mut i.attrs,
        syn::Item::Trait(i) => &mut i.attrs,
        syn::Item::Type(i) => &mut i.attrs,
        syn::Item::Union(i) => &mut i.attrs,
        syn::Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

fn internal(message: String) -> Error {
    Error::new(ErrorKind::Internal, "#", format!("bundling the client into one file: {message}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> File {
        File { path: path.into(), contents: contents.into() }
    }

    #[test]
    fn modules_are_inlined_and_paths_made_relative_to_the_top() {
        let files = [
            file("src/lib.rs", "//! Crate docs.\n#![warn(missing_docs)]\npub mod a;\npub use crate::a::B;\n"),
            file("src/a.rs", "//! A.\npub mod c;\npub struct B(pub crate::a::c::D, pub crate::money::Money);\n"),
            file("src/a/c.rs", "#[cfg(feature = \"blocking\")]\npub struct D;\n#[cfg(test)]\nmod tests {}\n"),
        ];
        let own = vec![vec!["money".to_string(), "Money".to_string()]];
        let settings = Settings { enabled: &|f| f == "blocking", own_paths: own };
        let text = bundle(&files, "// header", &settings).expect("bundles");
        assert!(!text.contains("crate::a"), "{text}");
        assert!(!text.contains("#!["), "{text}");
        assert!(text.contains("pub use self::a::B;"), "{text}");
        assert!(text.contains("use super::super::{self as __client};"), "{text}");
        assert!(text.contains("pub struct B(pub __client::a::c::D, pub crate::money::Money);"), "{text}");
        assert!(text.contains("#[cfg(all())]"), "{text}");
        assert!(!text.contains("mod tests"), "{text}");
        assert!(text.contains("/// A."), "{text}");
    }

    #[test]
    fn doc_examples_are_not_run_and_links_follow_the_top() {
        let mut open = false;
        let lines = ["/// See [`Client`](crate::Client).", "```", "let x = 1;", "```", "```text", "x", "```"];
        let out: Vec<String> = lines.iter().map(|l| doc_rewrite(l, "__client", &mut open)).collect();
        assert_eq!(out[0], "/// See [`Client`](__client::Client).");
        assert_eq!(out[1], "```rust,ignore");
        assert_eq!(out[3], "```");
        assert_eq!(out[4], "```text");
        assert!(!open);
    }
}
