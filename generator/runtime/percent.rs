// Runtime support for generated clients: copied verbatim into each generated crate.

//! Percent-encoding for the parts of a URL a value fills in: path segments, query names and values,
//! cookie pairs.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything except RFC 3986 unreserved characters (`A-Za-z0-9-._~`) is encoded,
/// so a value can never inject `/`, `?`, `#`, `&`, `=` or a stray `%`.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

pub(crate) fn encode(text: &str) -> String {
    utf8_percent_encode(text, COMPONENT).to_string()
}
