// Runtime support for generated clients: copied verbatim into each generated crate.

//! What a request uploads: bytes in memory, sent again whole on a retry, or a stream, read once
//! as the request goes out.

use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures::{Stream, StreamExt, TryStreamExt};

use super::error::Failure;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A body being streamed out: chunks, or the error that ends the upload.
pub(crate) type BodyStream = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send>>;

/// A raw request body or a multipart file to upload: bytes in memory, or a stream.
///
/// Bytes are sent again whole when the retry policy retries a call. A stream is read once, as the
/// request goes out, so a call that sends one makes a single attempt whatever the retry policy
/// says: a retryable status or failure comes back as it is, for the caller to decide. A builder
/// cloned before sending shares the stream, and only the first call can send it; the second fails
/// with `InvalidRequest` before anything is sent.
#[derive(Clone)]
pub struct Upload(Source);

#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    /// Taken by the call that sends it.
    Stream(Arc<Mutex<Option<BodyStream>>>),
}

impl Upload {
    /// Bytes held in memory.
    pub fn bytes(bytes: impl Into<Bytes>) -> Self {
        Upload(Source::Bytes(bytes.into()))
    }

    /// A stream of chunks, read as the request is sent; an error from it ends the call with a
    /// `Transport` error.
    pub fn stream<S, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError> + 'static,
    {
        let stream: BodyStream = Box::pin(stream.map_err(Into::into));
        Upload(Source::Stream(Arc::new(Mutex::new(Some(stream)))))
    }

    /// A reader (a `std::fs::File`, say) streamed in chunks of 64 KiB, each read on the runtime's
    /// blocking threads.
    #[cfg(feature = "blocking")]
    pub fn reader(reader: impl std::io::Read + Send + 'static) -> Self {
        let chunks = futures::stream::try_unfold(Some(reader), |reader| async move {
            let Some(mut reader) = reader else { return Ok(None) };
            let read = tokio::task::spawn_blocking(move || {
                let mut buffer = vec![0; 64 * 1024];
                let n = reader.read(&mut buffer)?;
                buffer.truncate(n);
                Ok::<_, std::io::Error>((reader, buffer))
            });
            let (reader, buffer) = read.await.map_err(std::io::Error::other)??;
            Ok::<_, std::io::Error>(if buffer.is_empty() { None } else { Some((Bytes::from(buffer), Some(reader))) })
        });
        Upload::stream(chunks)
    }

    /// Whether this is a stream (read once) rather than bytes in memory.
    pub fn is_stream(&self) -> bool {
        matches!(self.0, Source::Stream(_))
    }

    /// The bytes, when they are in memory.
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match &self.0 {
            Source::Bytes(bytes) => Some(bytes),
            Source::Stream(_) => None,
        }
    }

    /// The length in bytes, when they are in memory.
    pub fn len(&self) -> Option<usize> {
        self.as_bytes().map(Bytes::len)
    }

    /// Whether this holds no bytes (a stream is never known to be empty).
    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }

    /// The stream, for the one call that sends it: `None` for bytes, an error if an earlier call
    /// took it. `what` names the upload in the error.
    pub(crate) fn take_stream(&self, what: &str) -> Result<Option<BodyStream>, Failure> {
        let Source::Stream(cell) = &self.0 else { return Ok(None) };
        let taken = cell.lock().map_or(None, |mut slot| slot.take());
        match taken {
            Some(stream) => Ok(Some(stream)),
            None => Err(Failure::invalid_request(format!(
                "{what} was a stream that an earlier call already sent; a stream is read once"
            ))),
        }
    }
}

impl Default for Upload {
    fn default() -> Self {
        Upload::bytes(Bytes::new())
    }
}

/// Two uploads are equal when both are the same bytes, or the same stream.
impl PartialEq for Upload {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Source::Bytes(a), Source::Bytes(b)) => a == b,
            (Source::Stream(a), Source::Stream(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Eq for Upload {}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Source::Bytes(bytes) => f.debug_struct("Upload").field("len", &bytes.len()).finish(),
            Source::Stream(_) => f.write_str("Upload(stream)"),
        }
    }
}

impl From<Bytes> for Upload {
    fn from(bytes: Bytes) -> Self {
        Upload::bytes(bytes)
    }
}

impl From<Vec<u8>> for Upload {
    fn from(bytes: Vec<u8>) -> Self {
        Upload::bytes(bytes)
    }
}

impl From<&'static [u8]> for Upload {
    fn from(bytes: &'static [u8]) -> Self {
        Upload::bytes(bytes)
    }
}

impl<const N: usize> From<&'static [u8; N]> for Upload {
    fn from(bytes: &'static [u8; N]) -> Self {
        Upload::bytes(&bytes[..])
    }
}

impl From<String> for Upload {
    fn from(text: String) -> Self {
        Upload::bytes(text)
    }
}

impl From<&'static str> for Upload {
    fn from(text: &'static str) -> Self {
        Upload::bytes(text)
    }
}

/// A body built of pieces, some of them streams (a multipart body with a streamed file): the
/// pieces in order, as one stream.
pub(crate) fn chain(pieces: Vec<Upload>, what: &str) -> Result<Upload, Failure> {
    if pieces.iter().all(|p| !p.is_stream()) {
        let mut all = Vec::with_capacity(pieces.iter().filter_map(Upload::len).sum());
        for piece in &pieces {
            all.extend_from_slice(piece.as_bytes().map_or(&[][..], |b| b));
        }
        return Ok(Upload::bytes(all));
    }
    let mut streams: Vec<BodyStream> = Vec::with_capacity(pieces.len());
    for piece in &pieces {
        streams.push(match piece.take_stream(what)? {
            Some(stream) => stream,
            None => {
                let bytes = piece.as_bytes().cloned().unwrap_or_default();
                Box::pin(futures::stream::once(async move { Ok(bytes) }))
            }
        });
    }
    Ok(Upload::stream(futures::stream::iter(streams).flatten()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(upload: &Upload) -> Vec<u8> {
        let stream = upload.take_stream("the body").expect("not taken").expect("a stream");
        let chunks: Vec<Result<Bytes, BoxError>> = futures::executor::block_on(stream.collect());
        chunks.into_iter().flat_map(|c| c.expect("a chunk").to_vec()).collect()
    }

    #[test]
    fn a_stream_is_taken_once_even_through_a_clone() {
        let upload = Upload::stream(futures::stream::iter([Ok::<_, std::io::Error>(Bytes::from("ab"))]));
        let clone = upload.clone();
        assert_eq!(upload, clone);
        assert_eq!(collect(&upload), b"ab");
        let again = clone.take_stream("file part `doc`").err().expect("taken");
        assert!(again.to_string().contains("file part `doc` was a stream"), "{again}");
    }

    #[test]
    fn pieces_chain_in_order() {
        let bytes = chain(vec![Upload::from("a"), Upload::from(b"b".to_vec())], "body").expect("chains");
        assert_eq!(bytes.as_bytes().map(|b| b.to_vec()), Some(b"ab".to_vec()));
        let chunks = futures::stream::iter([Ok::<_, std::io::Error>(Bytes::from("b")), Ok(Bytes::from("c"))]);
        let mixed = chain(vec![Upload::from("a"), Upload::stream(chunks), Upload::from("d")], "body").expect("chains");
        assert!(mixed.is_stream());
        assert_eq!(collect(&mixed), b"abcd");
    }
}
