//! Stage 6: token trees to source text. Everything emitted is parsed as a `syn::File` first, so a
//! malformed emission is reported as a generator bug with the offending tokens, never written.

use crate::error::{Error, ErrorKind, Result};
use proc_macro2::TokenStream;

/// Formats one emitted Rust file with `prettyplease`, under a header line.
pub fn format_file(path: &str, tokens: TokenStream, header: &str) -> Result<String> {
    Ok(format!("{header}\n{}", format_tokens(path, tokens)?))
}

/// Formats emitted tokens (a whole file, or a run of its items) with `prettyplease`. The runs of a
/// file, formatted one by one and joined, print what the file formatted at once prints: each item
/// is printed on its own, and ends its line.
pub fn format_tokens(path: &str, tokens: TokenStream) -> Result<String> {
    let file = syn::parse2::<syn::File>(tokens.clone()).map_err(|e| {
        let text = tokens.to_string();
        let excerpt: String = text.chars().take(400).collect();
        let message = format!("emitted code for {path} does not parse ({e}); tokens begin: {excerpt}");
        Error::new(ErrorKind::Internal, "#", message)
    })?;
    Ok(prettyplease::unparse(&file))
}
