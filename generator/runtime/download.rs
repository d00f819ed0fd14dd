// Runtime support for generated clients: copied verbatim into each generated crate.

//! Response bodies handed out as they arrive: [`ByteStream`] (for blocking calls, the `blocking`
//! module's `BlockingByteStream` reads one).

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::Stream;

use super::error::TransportError;
use super::response::{RawResponse, Response};

/// What [`ClientCore::execute_stream`](super::ClientCore::execute_stream) got: a success whose body
/// is still to be read, or any other response, read whole.
#[doc(hidden)]
#[derive(Debug)]
pub enum Streamed {
    Body(Response<ByteStream>),
    Read(RawResponse),
}

type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, TransportError>> + Send>>;

/// A response body as it arrives, chunk by chunk. A connection that breaks mid-body yields one
/// `Err` and then ends; nothing is retried once the body has started.
pub struct ByteStream {
    chunks: Chunks,
}

impl ByteStream {
    pub(crate) fn new(response: reqwest::Response, operation_id: &'static str, attempts: u32) -> Self {
        let chunks = futures::stream::unfold(Some(response), move |state| async move {
            let mut response = state?;
            match response.chunk().await {
                Ok(Some(chunk)) => Some((Ok(chunk), Some(response))),
                Ok(None) => None,
                Err(err) => Some((Err(TransportError::new(err, operation_id, attempts)), None)),
            }
        });
        ByteStream { chunks: Box::pin(chunks) }
    }

    /// A stream over bytes already in memory (useful for tests and mocks).
    pub fn from_bytes(bytes: impl Into<Bytes>) -> Self {
        let bytes: Bytes = bytes.into();
        let chunks = futures::stream::iter((!bytes.is_empty()).then_some(Ok(bytes)));
        ByteStream { chunks: Box::pin(chunks) }
    }

    /// Reads the rest of the body into memory.
    pub async fn collect(mut self) -> Result<Bytes, TransportError> {
        let mut all = Vec::new();
        while let Some(chunk) = futures::StreamExt::next(&mut self).await {
            all.extend_from_slice(&chunk?);
        }
        Ok(Bytes::from(all))
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, TransportError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.chunks.as_mut().poll_next(cx)
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_stream_from_bytes_collects_to_the_same_bytes() {
        let stream = ByteStream::from_bytes(&b"hello"[..]);
        assert_eq!(stream.collect().await.expect("no error"), Bytes::from_static(b"hello"));
        let empty = ByteStream::from_bytes(Bytes::new());
        assert_eq!(empty.collect().await.expect("no error"), Bytes::new());
    }
}
