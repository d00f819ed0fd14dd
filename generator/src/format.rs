//! Stage 6: token trees to source text. Everything emitted is parsed as a `syn::File` first, so a
//! malformed emission is reported as a generator bug with the offending tokens, never written.

use crate::error::{Error, ErrorKind, Result};
use proc_macro2::TokenStream;

/// Formats emitted tokens (a whole file, or a run of its items) with `prettyplease`. The runs of a
/// file, formatted one by one and joined, print what the file formatted at once prints: each item
/// is printed on its own, and ends its line.
///
/// `make` builds the tokens; it is called a second time only to quote them in the error. Keeping
/// a clone for that instead made `syn` copy every token out of the shared stream (a tenth of the
/// formatting time).
pub fn format_tokens(path: &str, make: &dyn Fn() -> TokenStream) -> Result<String> {
    let file = syn::parse2::<syn::File>(make()).map_err(|e| {
        let text = make().to_string();
        let excerpt: String = text.chars().take(400).collect();
        let message = format!("emitted code for {path} does not parse ({e}); tokens begin: {excerpt}");
        Error::new(ErrorKind::Internal, "#", message)
    })?;
    Ok(prettyplease::unparse(&file))
}
