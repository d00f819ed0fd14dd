// Runtime support for generated clients: copied verbatim into each generated crate.

//! The two ways to call: `Async` builders are awaited, `Blocking` ones (feature `blocking`) block the
//! calling thread. A blocking client runs the very same async code on a private tokio runtime, as
//! `reqwest::blocking` does, so retries, timeouts and pagination behave alike in both.

use std::fmt;

#[cfg(feature = "blocking")]
use super::client::ClientCore;
#[cfg(feature = "blocking")]
use super::download::ByteStream;
#[cfg(feature = "blocking")]
use super::error::TransportError;
#[cfg(feature = "blocking")]
use super::pagination::{first_page, paginate, Page, PageRequest};
#[cfg(feature = "blocking")]
use bytes::Bytes;

mod sealed {
    pub trait Sealed {}
}

/// How a request builder is sent: [`Async`] (the default) or `Blocking`.
#[doc(hidden)]
pub trait Mode: sealed::Sealed + Clone + Copy + fmt::Debug + Send + Sync + 'static {}

/// Builders of the async client: `.send().await`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Async;

impl sealed::Sealed for Async {}
impl Mode for Async {}

/// Builders of the blocking client: `.send()` blocks the calling thread.
#[cfg(feature = "blocking")]
#[derive(Debug, Clone, Copy, Default)]
pub struct Blocking;

#[cfg(feature = "blocking")]
impl sealed::Sealed for Blocking {}
#[cfg(feature = "blocking")]
impl Mode for Blocking {}

/// Builders of a mock server (feature `mock`): they say what a call must carry, and
/// `respond`/`fail`/`status` give what it is answered.
#[cfg(feature = "mock")]
#[derive(Debug, Clone, Copy, Default)]
pub struct Mocked;

#[cfg(feature = "mock")]
impl sealed::Sealed for Mocked {}
#[cfg(feature = "mock")]
impl Mode for Mocked {}

/// One fetched page of a blocking call; [`next_page`](Self::next_page) blocks for the next one.
#[cfg(feature = "blocking")]
pub struct BlockingPage<R: PageRequest> {
    core: ClientCore,
    page: Page<R>,
}

#[cfg(feature = "blocking")]
impl<R: PageRequest + fmt::Debug> fmt::Debug for BlockingPage<R>
where
    R::Body: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.page.fmt(f)
    }
}

#[cfg(feature = "blocking")]
impl<R: PageRequest> BlockingPage<R> {
    /// Fetches the first page asked for.
    #[doc(hidden)]
    pub fn first(core: ClientCore, request: R) -> Result<Self, R::Error> {
        let page = core.block_on(first_page(request))?;
        Ok(BlockingPage { core, page })
    }

    /// The HTTP status.
    pub fn status(&self) -> reqwest::StatusCode {
        self.page.status()
    }

    /// The response headers.
    pub fn headers(&self) -> &reqwest::header::HeaderMap {
        self.page.headers()
    }

    /// The decoded page body.
    pub fn body(&self) -> &R::Body {
        self.page.body()
    }

    /// The page number this page was requested as.
    pub fn page_number(&self) -> u64 {
        self.page.page_number()
    }

    /// The items on this page.
    pub fn items(&self) -> &[R::Item] {
        self.page.items()
    }

    /// The items on this page, by value.
    pub fn into_items(self) -> Vec<R::Item> {
        self.page.into_items()
    }

    /// Whether another page may exist (see `Page::has_next_page`).
    pub fn has_next_page(&self) -> bool {
        self.page.has_next_page()
    }

    /// Fetches the next page, blocking, or `None` after the last one.
    pub fn next_page(&self) -> Result<Option<Self>, R::Error> {
        let next = self.core.block_on(self.page.next_page())?;
        Ok(next.map(|page| BlockingPage { core: self.core.clone(), page }))
    }
}

/// Every item of every page, fetched lazily as the iterator is advanced (blocking).
#[cfg(feature = "blocking")]
pub fn iterate<R: PageRequest>(core: ClientCore, first: R) -> impl Iterator<Item = Result<R::Item, R::Error>> {
    let mut stream = Box::pin(paginate(first));
    std::iter::from_fn(move || core.block_on(futures::StreamExt::next(&mut stream)))
}

/// A response body as it arrives, read by blocking the calling thread: an iterator of chunks,
/// and a [`std::io::Read`] (so `std::io::copy` writes it to a file).
#[cfg(feature = "blocking")]
pub struct BlockingByteStream {
    core: ClientCore,
    stream: ByteStream,
    /// What is left of the chunk `read` is in the middle of.
    pending: Bytes,
}

#[cfg(feature = "blocking")]
impl BlockingByteStream {
    #[doc(hidden)]
    pub fn new(core: ClientCore, stream: ByteStream) -> Self {
        BlockingByteStream { core, stream, pending: Bytes::new() }
    }
}

#[cfg(feature = "blocking")]
impl Iterator for BlockingByteStream {
    type Item = Result<Bytes, TransportError>;

    fn next(&mut self) -> Option<Self::Item> {
        if !self.pending.is_empty() {
            return Some(Ok(std::mem::take(&mut self.pending)));
        }
        self.core.block_on(futures::StreamExt::next(&mut self.stream))
    }
}

#[cfg(feature = "blocking")]
impl std::io::Read for BlockingByteStream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.pending.is_empty() {
            match Iterator::next(self) {
                Some(Ok(chunk)) => self.pending = chunk,
                Some(Err(err)) => return Err(std::io::Error::other(err)),
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.pending.len());
        buf[..n].copy_from_slice(&self.pending.split_to(n));
        Ok(n)
    }
}

#[cfg(feature = "blocking")]
impl fmt::Debug for BlockingByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlockingByteStream").field("pending", &self.pending.len()).finish_non_exhaustive()
    }
}
