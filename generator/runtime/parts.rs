// Runtime support for generated clients: copied verbatim into each generated crate.

//! Multipart response bodies (`multipart/form-data`, `multipart/mixed`,
//! `multipart/related`…), split into their parts where RFC 2046 puts the
//! delimiters. Part headers are read by `httparse` (hyper's own parser, already
//! under reqwest) and delimiters found by `memchr::memmem`.

use std::fmt;

use bytes::Bytes;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_DISPOSITION, CONTENT_TYPE};
use serde::de::DeserializeOwned;

/// The parts of a multipart response body, in the order the server sent them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parts(Vec<Part>);

impl Parts {
    /// Splits a multipart body, sent with this `Content-Type` (whose `boundary` delimits the parts),
    /// as the client does a response's: for a test that needs parts to answer with.
    pub fn parse(content_type: &str, body: impl Into<Bytes>) -> Result<Parts, String> {
        split(Some(content_type), &body.into())
    }

    /// The first part with this name (`Content-Disposition: form-data; name="…"`).
    pub fn get(&self, name: &str) -> Option<&Part> {
        self.0.iter().find(|part| part.name() == Some(name))
    }

    /// The parts in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Part> {
        self.0.iter()
    }

    /// How many parts there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The parts, owned.
    pub fn into_vec(self) -> Vec<Part> {
        self.0
    }
}

impl IntoIterator for Parts {
    type Item = Part;
    type IntoIter = std::vec::IntoIter<Part>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Parts {
    type Item = &'a Part;
    type IntoIter = std::slice::Iter<'a, Part>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// One part of a multipart body: its headers and its bytes. The body is a
/// slice of the response's, not a copy.
#[derive(Clone, PartialEq)]
pub struct Part {
    headers: HeaderMap,
    name: Option<String>,
    file_name: Option<String>,
    body: Bytes,
}

impl Part {
    /// The part's own headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `name` of its `Content-Disposition`, if it has one.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The `filename` (or RFC 5987 `filename*`) of its `Content-Disposition`, if it has one.
    pub fn file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// Its `Content-Type`, if it has one (RFC 2046 reads none as `text/plain`).
    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok())
    }

    /// Its bytes.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Its bytes, owned.
    pub fn into_body(self) -> Bytes {
        self.body
    }

    /// Its bytes as UTF-8 text.
    pub fn text(&self) -> Result<&str, std::str::Utf8Error> {
        std::str::from_utf8(&self.body)
    }

    /// Its bytes decoded as JSON.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_slice(&self.body)
    }
}

impl fmt::Debug for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Part")
            .field("name", &self.name)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type())
            .field("len", &self.body.len())
            .finish()
    }
}

/// The most headers one part may have.
const MAX_PART_HEADERS: usize = 64;

/// Splits `body`, sent with this `Content-Type` (whose `boundary` delimits the
/// parts), into its parts; the preamble and the epilogue are dropped. Says why
/// when the body is not multipart.
pub(crate) fn split(content_type: Option<&str>, body: &Bytes) -> Result<Parts, String> {
    let content_type = content_type.ok_or("a multipart body without a Content-Type")?;
    let boundary = parameter(content_type, "boundary")
        .filter(|b| !b.is_empty())
        .ok_or_else(|| format!("the Content-Type `{content_type}` names no boundary"))?;
    let delimiter = format!("\r\n--{boundary}");
    let finder = memchr::memmem::Finder::new(delimiter.as_bytes());
    // The first delimiter may open the body, with no line break before it.
    let mut at = if body.starts_with(&delimiter.as_bytes()[2..]) {
        delimiter.len() - 2
    } else {
        finder.find(body).ok_or("no part delimiter in the body")? + delimiter.len()
    };
    let mut parts = Vec::new();
    loop {
        let rest = &body[at..];
        if rest.starts_with(b"--") {
            return Ok(Parts(parts));
        }
        // Transport padding, then the line break that ends the delimiter line.
        let line_end = memchr::memmem::find(rest, b"\r\n").ok_or("a delimiter line without a line break")?;
        if rest[..line_end].iter().any(|b| !matches!(b, b' ' | b'\t')) {
            return Err(format!("text after a delimiter, at byte {at}"));
        }
        let start = at + line_end + 2;
        let len = finder.find(&body[start..]).ok_or("no closing delimiter after a part")?;
        parts.push(part(body.slice(start..start + len))?);
        at = start + len + delimiter.len();
    }
}

/// One part: its header block (possibly empty), a blank line, its body.
fn part(raw: Bytes) -> Result<Part, String> {
    let mut slots = [httparse::EMPTY_HEADER; MAX_PART_HEADERS];
    let (len, parsed) = match httparse::parse_headers(&raw, &mut slots) {
        Ok(httparse::Status::Complete(done)) => done,
        Ok(httparse::Status::Partial) => return Err("a part whose headers do not end".into()),
        Err(err) => return Err(format!("a part's headers do not parse: {err}")),
    };
    let mut headers = HeaderMap::with_capacity(parsed.len());
    for header in parsed {
        let name = HeaderName::from_bytes(header.name.as_bytes()).map_err(|e| e.to_string())?;
        let value = HeaderValue::from_bytes(header.value).map_err(|e| e.to_string())?;
        headers.append(name, value);
    }
    let disposition = headers.get(CONTENT_DISPOSITION).and_then(|v| v.to_str().ok());
    let name = disposition.and_then(|d| parameter(d, "name"));
    let file_name = disposition
        .and_then(|d| parameter(d, "filename*").and_then(|v| extended(&v)).or_else(|| parameter(d, "filename")));
    Ok(Part { headers, name, file_name, body: raw.slice(len..) })
}

/// A parameter of a header value (`form-data; name="a"; filename=b.txt`), its
/// name matched without case, unquoted. Quoted strings may hold `;` and `\"`.
fn parameter(value: &str, wanted: &str) -> Option<String> {
    let mut rest = value.split_once(';')?.1;
    loop {
        let (key, after) = rest.split_once('=')?;
        let after = after.trim_start();
        let (found, next) = match after.strip_prefix('"') {
            Some(quoted) => {
                let mut text = String::new();
                let mut chars = quoted.char_indices();
                let end = loop {
                    match chars.next()? {
                        (_, '\\') => text.push(chars.next()?.1),
                        (i, '"') => break i + 1,
                        (_, c) => text.push(c),
                    }
                };
                let next = quoted[end..].split_once(';').map_or("", |(_, n)| n);
                (text, next)
            }
            None => {
                let (token, next) = after.split_once(';').unwrap_or((after, ""));
                (token.trim().to_string(), next)
            }
        };
        if key.trim().eq_ignore_ascii_case(wanted) {
            return Some(found);
        }
        rest = next;
    }
}

/// An RFC 5987 value (`UTF-8''na%C3%AFve.txt`), decoded; other charsets are not read.
fn extended(value: &str) -> Option<String> {
    let (charset, rest) = value.split_once('\'')?;
    let (_language, encoded) = rest.split_once('\'')?;
    if !charset.eq_ignore_ascii_case("utf-8") {
        return None;
    }
    percent_encoding::percent_decode_str(encoded).decode_utf8().ok().map(|s| s.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(content_type: &str, body: &str) -> Result<Parts, String> {
        split(Some(content_type), &Bytes::from(body.replace('\n', "\r\n")))
    }

    #[test]
    fn splits_named_parts_with_their_headers_and_bodies() {
        let body = "preamble\n--b1\nContent-Disposition: form-data; name=\"meta\"\nContent-Type: application/json\n\n{\"id\":7}\n--b1 \t\nContent-Disposition: attachment; name=file; filename=\"a \\\"b\\\"; c.txt\"\n\nline one\nline two\n--b1--\nepilogue";
        let parts = parts("multipart/form-data; boundary=b1", body).unwrap();
        assert_eq!(parts.len(), 2);
        let meta = parts.get("meta").unwrap();
        assert_eq!(meta.content_type(), Some("application/json"));
        assert_eq!(meta.json::<serde_json::Value>().unwrap(), serde_json::json!({"id": 7}));
        let file = parts.get("file").unwrap();
        assert_eq!(file.file_name(), Some("a \"b\"; c.txt"));
        assert_eq!(file.text().unwrap(), "line one\r\nline two");
        assert_eq!(file.content_type(), None);
        assert!(parts.get("nothing").is_none());
    }

    #[test]
    fn reads_parts_without_headers_a_quoted_boundary_and_an_extended_file_name() {
        let body = "--\"x y\"\n\nfirst\n--\"x y\"\nContent-Disposition: attachment; filename=plain.txt; filename*=UTF-8''na%C3%AFve.txt\n\n\n--\"x y\"--";
        let parts = parts("multipart/related; type=\"text/plain\"; boundary=\"\\\"x y\\\"\"", body).unwrap();
        let all: Vec<&Part> = parts.iter().collect();
        assert_eq!(all.len(), 2);
        assert_eq!((all[0].name(), all[0].body().as_ref()), (None, b"first".as_ref()));
        assert_eq!(all[1].file_name(), Some("naïve.txt"));
        assert!(all[1].body().is_empty());
    }

    #[test]
    fn says_why_a_body_is_not_multipart() {
        let cases = [
            ("multipart/mixed", "--b\n\nx\n--b--", "names no boundary"),
            ("multipart/mixed; boundary=b", "no delimiter at all", "no part delimiter"),
            ("multipart/mixed; boundary=b", "--b\n\nnever closed", "no closing delimiter"),
            ("multipart/mixed; boundary=b", "--bogus\n\nx\n--b--", "text after a delimiter"),
            ("multipart/mixed; boundary=b", "--b\nNo colon here\n\nx\n--b--", "do not parse"),
        ];
        for (content_type, body, why) in cases {
            let error = parts(content_type, body).unwrap_err();
            assert!(error.contains(why), "{content_type} {body:?}: {error}");
        }
        assert!(split(None, &Bytes::new()).unwrap_err().contains("without a Content-Type"));
    }
}
