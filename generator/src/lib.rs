//! An OpenAPI 3.0/3.1 to Rust client generator, as a pipeline of plain stages:
//! [`load`] → [`normalize`] (and [`hoist`]) → [`parse`] → [`lower`] → [`emit`] → [`format`](mod@format).
//! Each stage is a function of the previous one's output; [`generate`] runs them all.

pub mod emit;
pub mod error;
pub mod format;
pub mod hoist;
pub mod load;
pub mod lower;
pub mod model;
pub mod naming;
pub mod normalize;
mod options;
pub mod parse;
pub mod walk;

pub use error::{Error, ErrorKind, Result, Warning};
pub use options::{File, Options};

/// The stages before lowering: load, check and inline references, normalize, hoist, parse. Pointers
/// into the copies hoisting made are turned back into the places the document's author wrote.
fn parsed(text: &str) -> Result<(openapiv3::OpenAPI, Vec<Warning>, hoist::Hoisted)> {
    let value = load::load(text)?;
    hoist::check_refs(&value, "#")?;
    let value = hoist::inline_path_items(value)?;
    let (value, mut hoisted) = hoist::hoist_refs(normalize::normalize(value));
    let (value, mut warnings) = hoist::repoint_misplaced(value, &mut hoisted);
    let (doc, parsed) = parse::parse(value).map_err(|e| located(e, &hoisted))?;
    warnings.extend(parsed.into_iter().map(|w| located_warning(w, &hoisted)));
    Ok((doc, warnings, hoisted))
}

fn located(mut error: Error, hoisted: &hoist::Hoisted) -> Error {
    error.pointer = hoisted.locate(&error.pointer);
    // "it uses `#/components/schemas/<copy>`, which is left out" names the original too.
    if error.message.contains("`#/") {
        error.message = hoisted.locate_quoted(&error.message);
    }
    error
}

fn located_warning(mut warning: Warning, hoisted: &hoist::Hoisted) -> Warning {
    warning.pointer = hoisted.locate(&warning.pointer);
    warning.left_out = warning.left_out.map(|error| located(error, hoisted));
    warning
}

/// The model of a document: load, normalize, parse and lower.
pub fn model(text: &str) -> Result<model::Api> {
    let (doc, _, hoisted) = parsed(text)?;
    lower::lower(&doc).map_err(|e| located(e, &hoisted))
}

/// Generates every file of the client crate for a document, in a stable order.
pub fn generate(text: &str, options: &Options) -> Result<Vec<File>> {
    generate_with_warnings(text, options).map(|(files, _)| files)
}

/// [`generate`], with the warnings about what was sloppy in the document (each with a JSON pointer);
/// with [`Options::strict`], the first warning is an error instead.
pub fn generate_with_warnings(text: &str, options: &Options) -> Result<(Vec<File>, Vec<Warning>)> {
    let (doc, mut warnings, hoisted) = parsed(text)?;
    let (api, lowered) = lower::lower_with_warnings(&doc).map_err(|e| located(e, &hoisted))?;
    for warning in lowered.into_iter().map(|w| located_warning(w, &hoisted)) {
        // A schema that did not parse is left out by parsing, and again by lowering, at one place.
        if !warnings.contains(&warning) {
            warnings.push(warning);
        }
    }
    // Freed before emitting, so that emit reuses its memory instead of touching fresh pages.
    drop(doc);
    if options.strict {
        if let Some(first) = warnings.into_iter().next() {
            return Err(first.into_error());
        }
        return Ok((emit::emit(&api, options)?, Vec::new()));
    }
    Ok((emit::emit(&api, options)?, warnings))
}
