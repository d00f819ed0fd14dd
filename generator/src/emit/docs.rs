//! Doc comments from the document's prose, made safe for rustdoc.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = …]` lines for the text, or for `fallback` when the document says nothing.
pub fn doc(text: Option<&str>, fallback: &str) -> TokenStream {
    let text = text.map(str::trim).filter(|t| !t.is_empty()).unwrap_or(fallback);
    lines(text)
}

/// One `#[doc]` attribute per line; fenced code becomes `text` so that rustdoc never runs it.
pub fn lines(text: &str) -> TokenStream {
    attributes(text, false, false)
}

/// Inner `#![doc]` attributes for a module or crate; with `keep_code`, fences keep their language
/// (for the crate guide's own examples, which are meant to be compiled).
pub fn inner_lines(text: &str, keep_code: bool) -> TokenStream {
    attributes(text, true, keep_code)
}

fn attributes(text: &str, inner: bool, keep_code: bool) -> TokenStream {
    let mut in_fence = false;
    let attrs = text.lines().map(|line| {
        let trimmed = line.trim_start();
        let line = if trimmed.starts_with("```") && !keep_code {
            in_fence = !in_fence;
            if in_fence {
                "```text".to_string()
            } else {
                "```".to_string()
            }
        } else {
            line.trim_end().to_string()
        };
        let line = if line.is_empty() { String::new() } else { format!(" {line}") };
        if inner {
            quote!(#![doc = #line])
        } else {
            quote!(#[doc = #line])
        }
    });
    let mut out: TokenStream = attrs.collect();
    if in_fence {
        out.extend(if inner { quote!(#![doc = " ```"]) } else { quote!(#[doc = " ```"]) });
    }
    out
}

/// Markdown whose fenced code blocks all open as `text`, so that rustdoc shows them and never runs them.
pub fn fences_as_text(text: &str) -> String {
    let mut in_fence = false;
    let mut out: Vec<String> = text
        .lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if !trimmed.starts_with("```") {
                return line.to_string();
            }
            in_fence = !in_fence;
            let indent = &line[..line.len() - trimmed.len()];
            format!("{indent}{}", if in_fence { "```text" } else { "```" })
        })
        .collect();
    if in_fence {
        out.push("```".to_string());
    }
    out.join("\n")
}

/// An extra paragraph after the main docs.
pub fn paragraph(text: &str) -> TokenStream {
    let mut out = quote!(#[doc = ""]);
    out.extend(lines(text));
    out
}
