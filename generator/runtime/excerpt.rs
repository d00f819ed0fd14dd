// Runtime support for generated clients: copied verbatim into each generated crate.

//! What errors and `Debug` output show of a response: an excerpt of its body, and its headers
//! with secrets hidden.

use std::fmt;

use reqwest::header::HeaderMap;

/// How many characters of a body error messages and `Debug` output show.
pub(crate) const EXCERPT_CHARS: usize = 512;

/// The first [`EXCERPT_CHARS`] characters of `body`, decoded lossily.
pub(crate) fn excerpt(body: &[u8]) -> String {
    // Decode at most 4 bytes per char so a huge body is not converted whole.
    let head = &body[..body.len().min(EXCERPT_CHARS * 4)];
    String::from_utf8_lossy(head).chars().take(EXCERPT_CHARS).collect()
}

/// Response headers that commonly carry secrets; their values never reach `Debug`.
fn is_secret_header(name: &str) -> bool {
    const EXACT: [&str; 4] = ["authorization", "proxy-authorization", "cookie", "set-cookie"];
    const PARTS: [&str; 5] = ["token", "secret", "api-key", "apikey", "password"];
    EXACT.contains(&name) || PARTS.iter().any(|part| name.contains(part))
}

/// `Debug` for a header map that hides sensitive values.
pub(crate) struct RedactedHeaders<'a>(pub(crate) &'a HeaderMap);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if value.is_sensitive() || is_secret_header(name.as_str()) {
                map.entry(&name.as_str(), &"<redacted>");
            } else {
                map.entry(&name.as_str(), value);
            }
        }
        map.finish()
    }
}
