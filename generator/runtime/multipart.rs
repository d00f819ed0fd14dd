// Runtime support for generated clients: copied verbatim into each generated crate.

//! `multipart/form-data` bodies: text, JSON and file parts, built in memory so that a retry sends
//! the very same bytes; a file given as a stream makes the body a stream, sent once.

use std::fmt;

use bytes::Bytes;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::error::Failure;
use super::nullable::Nullable;
use super::upload::{chain, Upload};

/// A file sent as one part of a `multipart/form-data` body: its bytes (in memory, or streamed: see
/// [`Upload`] for what a stream means for retries), and optionally a file name and a content type
/// (`application/octet-stream` when unset).
///
/// A multipart body never goes through serde; the `Serialize`/`Deserialize` impls exist so that body
/// structs keep their derives, and stand for the file name only.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct FilePart {
    data: Upload,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    /// A file part with these bytes, or this [`Upload`].
    pub fn new(data: impl Into<Upload>) -> Self {
        FilePart { data: data.into(), file_name: None, content_type: None }
    }

    /// A file part read from a stream as the request is sent ([`Upload::stream`]).
    pub fn stream<S, E>(stream: S) -> Self
    where
        S: futures::Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        FilePart::new(Upload::stream(stream))
    }

    /// Sets the file name sent in `Content-Disposition`.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// Sets the part's `Content-Type`.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// What is uploaded.
    pub fn data(&self) -> &Upload {
        &self.data
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("data", &self.data)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl Serialize for FilePart {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.file_name.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for FilePart {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let file_name = Option::<String>::deserialize(deserializer)?;
        Ok(FilePart { file_name, ..FilePart::default() })
    }
}

/// What a file field can hold: one file, none, or several.
#[doc(hidden)]
pub trait Files {
    /// The files, in order.
    fn files(&self) -> Vec<&FilePart>;
}

impl Files for FilePart {
    fn files(&self) -> Vec<&FilePart> {
        vec![self]
    }
}

impl<T: Files> Files for Option<T> {
    fn files(&self) -> Vec<&FilePart> {
        self.as_ref().map_or_else(Vec::new, Files::files)
    }
}

impl<T: Files> Files for Nullable<T> {
    fn files(&self) -> Vec<&FilePart> {
        self.value().map_or_else(Vec::new, Files::files)
    }
}

impl<T: Files> Files for Vec<T> {
    fn files(&self) -> Vec<&FilePart> {
        self.iter().flat_map(Files::files).collect()
    }
}

/// A `multipart/form-data` body being built: bytes, and the streamed files between them.
#[doc(hidden)]
pub struct Multipart {
    boundary: String,
    body: Vec<u8>,
    streams: Vec<(Vec<u8>, Upload)>,
}

impl Default for Multipart {
    fn default() -> Self {
        Multipart::new()
    }
}

impl Multipart {
    /// An empty body with a random boundary.
    pub fn new() -> Self {
        let boundary: String = std::iter::repeat_with(fastrand::alphanumeric).take(32).collect();
        Multipart { boundary: format!("----{boundary}"), body: Vec::new(), streams: Vec::new() }
    }

    fn part(&mut self, name: &str, file_name: Option<&str>, content_type: Option<&str>, data: &Upload) {
        let mut head = format!("--{}\r\nContent-Disposition: form-data; name=\"{}\"", self.boundary, quoted(name));
        if let Some(file_name) = file_name {
            head.push_str(&format!("; filename=\"{}\"", quoted(file_name)));
        }
        head.push_str("\r\n");
        if let Some(content_type) = content_type {
            head.push_str(&format!("Content-Type: {}\r\n", content_type.replace(['\r', '\n'], "")));
        }
        head.push_str("\r\n");
        self.body.extend_from_slice(head.as_bytes());
        match data.as_bytes() {
            Some(bytes) => self.body.extend_from_slice(bytes),
            // What came before goes out first, then the stream.
            None => self.streams.push((std::mem::take(&mut self.body), data.clone())),
        }
        self.body.extend_from_slice(b"\r\n");
    }

    /// Text parts for a value: a scalar is one part, an array one part per element, an object its
    /// JSON text; `null` adds nothing. `content_type` is the document's `encoding.contentType`.
    pub fn text(&mut self, name: &str, value: &impl Serialize, content_type: Option<&str>) -> Result<(), Failure> {
        let value = super::json::to_value(value)
            .map_err(|err| Failure::invalid_request(format!("part `{name}` could not be serialized: {err}")))?;
        let items = match value {
            Value::Array(items) => items,
            other => vec![other],
        };
        for item in items {
            let text = match item {
                Value::Null => continue,
                Value::String(text) => text,
                other => other.to_string(),
            };
            self.part(name, None, content_type, &Upload::from(text));
        }
        Ok(())
    }

    /// A JSON part (`Content-Type: application/json`, or the document's); `null` adds nothing.
    pub fn json(&mut self, name: &str, value: &impl Serialize, content_type: Option<&str>) -> Result<(), Failure> {
        let value = super::json::to_value(value)
            .map_err(|err| Failure::invalid_request(format!("part `{name}` could not be serialized: {err}")))?;
        if !value.is_null() {
            self.part(name, None, Some(content_type.unwrap_or("application/json")), &Upload::from(value.to_string()));
        }
        Ok(())
    }

    /// One part per property of a free-form object (a body the document describes by no
    /// properties): text for strings, numbers and booleans (an array one part per element, as
    /// [`text`](Self::text)), JSON for objects.
    pub fn entries(&mut self, value: &impl Serialize) -> Result<(), Failure> {
        let value = super::json::to_value(value)
            .map_err(|err| Failure::invalid_request(format!("the multipart body could not be serialized: {err}")))?;
        let Value::Object(map) = value else {
            return Err(Failure::invalid_request("a multipart body must be an object"));
        };
        for (name, value) in &map {
            if value.is_object() {
                self.json(name, value, None)?;
            } else {
                self.text(name, value, None)?;
            }
        }
        Ok(())
    }

    /// One file part per file the field holds.
    pub fn files(&mut self, name: &str, files: &impl Files, content_type: Option<&str>) {
        for file in files.files() {
            let content_type = file.content_type.as_deref().or(content_type).unwrap_or("application/octet-stream");
            let file_name = file.file_name.as_deref().unwrap_or(name);
            self.part(name, Some(file_name), Some(content_type), &file.data);
        }
    }

    /// The finished body and its `Content-Type`; a stream when a file is one (which fails when an
    /// earlier call already sent that stream).
    pub fn finish(mut self) -> Result<(Upload, String), Failure> {
        self.body.extend_from_slice(format!("--{}--\r\n", self.boundary).as_bytes());
        let content_type = format!("multipart/form-data; boundary={}", self.boundary);
        if self.streams.is_empty() {
            return Ok((Upload::from(self.body), content_type));
        }
        let mut pieces = Vec::with_capacity(self.streams.len() * 2 + 1);
        for (before, stream) in self.streams {
            pieces.push(Upload::from(before));
            pieces.push(stream);
        }
        pieces.push(Upload::from(self.body));
        Ok((chain(pieces, "a multipart file")?, content_type))
    }
}

/// A name or file name inside quotes: `"`, CR and LF percent-encoded, as browsers do.
fn quoted(text: &str) -> String {
    text.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_and_boundary() {
        let mut form = Multipart::new();
        let boundary = form.boundary.clone();
        assert!(form.text("purpose", &"avatar", None).is_ok());
        assert!(form.text("tags", &vec!["a", "b"], None).is_ok());
        assert!(form.text("skip", &Option::<u8>::None, None).is_ok());
        assert!(form.json("meta", &serde_json::json!({ "k": 1 }), None).is_ok());
        form.files("file", &FilePart::new(&b"\x00\x01"[..]).file_name("a\"b.png").content_type("image/png"), None);
        form.files("none", &Option::<FilePart>::None, None);
        let (body, content_type) = form.finish().expect("finishes");
        let body = body.as_bytes().cloned().expect("in memory");
        assert_eq!(content_type, format!("multipart/form-data; boundary={boundary}"));
        let expected = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\navatar\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\na\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"tags\"\r\n\r\nb\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{{\"k\":1}}\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a%22b.png\"\r\nContent-Type: image/png\r\n\r\n\x00\x01\r\n\
             --{b}--\r\n",
            b = boundary
        );
        assert_eq!(body, expected.as_bytes());
    }

    #[test]
    fn a_free_form_object_is_one_part_per_property() {
        let mut form = Multipart::new();
        let boundary = form.boundary.clone();
        let value = serde_json::json!({ "a": "x", "b": [1, 2], "c": { "k": true }, "d": null });
        assert!(form.entries(&value).is_ok());
        assert!(form.entries(&"not an object").is_err());
        let (body, _) = form.finish().expect("finishes");
        let body = body.as_bytes().cloned().expect("in memory");
        let expected = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n1\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\n2\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"c\"\r\nContent-Type: application/json\r\n\r\n{{\"k\":true}}\r\n\
             --{b}--\r\n",
            b = boundary
        );
        assert_eq!(body, expected.as_bytes());
    }

    #[test]
    fn a_streamed_file_makes_the_body_a_stream_in_part_order() {
        use futures::StreamExt;
        let mut form = Multipart::new();
        let boundary = form.boundary.clone();
        assert!(form.text("a", &"x", None).is_ok());
        let chunks = futures::stream::iter([Ok::<_, std::io::Error>(Bytes::from("12")), Ok(Bytes::from("34"))]);
        form.files("file", &FilePart::stream(chunks).file_name("f.bin"), None);
        assert!(form.text("b", &"y", None).is_ok());
        let (body, _) = form.finish().expect("finishes");
        assert!(body.is_stream());
        let stream = body.take_stream("body").expect("not taken").expect("a stream");
        let chunks: Vec<_> = futures::executor::block_on(stream.collect());
        let sent: Vec<u8> = chunks.into_iter().flat_map(|c| c.expect("a chunk").to_vec()).collect();
        let expected = format!(
            "--{b}\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"f.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n1234\r\n\
             --{b}\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\ny\r\n\
             --{b}--\r\n",
            b = boundary
        );
        assert_eq!(String::from_utf8(sent).expect("utf-8"), expected);
    }
}
