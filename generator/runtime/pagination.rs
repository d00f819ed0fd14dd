// Runtime support for generated clients: copied verbatim into each generated crate.

//! Page-number pagination: one page at a time, or every item as a stream.

use std::fmt;
use std::future::Future;

use futures::Stream;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::error::Failure;
use super::response::Response;

/// An operation request that can be re-sent for another page number.
///
/// Generated operation builders implement this; they own a `ClientCore`
/// clone, so pages and streams are `'static`.
#[doc(hidden)]
pub trait PageRequest: Clone + Send + Sync + 'static {
    /// The decoded body of one page.
    type Body: Send + 'static;
    /// One item of a page.
    type Item: Send + 'static;
    /// The operation's error type.
    type Error: From<Failure> + Send + 'static;

    /// The page this request asks for (the spec default when unset).
    fn page_number(&self) -> u64;

    /// The same request (every other filter kept) for another page.
    fn with_page_number(self, page: u64) -> Self;

    /// The page size asked for (the caller's or the spec default). Used to
    /// detect the last, short page only when the body says neither the last
    /// page nor the total count; `None` when unknown.
    fn page_size(&self) -> Option<u64>;

    /// Sends the request.
    fn fetch(self) -> impl Future<Output = Result<Response<Self::Body>, Self::Error>> + Send;

    /// The items of a page body.
    fn items(body: &Self::Body) -> &[Self::Item];

    /// The items of a page body, by value.
    fn into_items(body: Self::Body) -> Vec<Self::Item>;

    /// The last page number, when the body says.
    fn max_page(body: &Self::Body) -> Option<u64>;

    /// The number of items on all pages together, when the body says.
    fn total_count(body: &Self::Body) -> Option<u64>;
}

/// One fetched page, with the request that produced it (to ask for the next).
pub struct Page<R: PageRequest> {
    request: R,
    response: Response<R::Body>,
    /// Items on this page and the ones before it (the ones before a first page
    /// counted as full pages of this page's size).
    served: u64,
}

impl<R: PageRequest + fmt::Debug> fmt::Debug for Page<R>
where
    R::Body: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Page").field("request", &self.request).field("response", &self.response).finish()
    }
}

impl<R: PageRequest> Page<R> {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.response.status()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.response.headers()
    }

    /// The decoded page body.
    pub fn body(&self) -> &R::Body {
        self.response.body()
    }

    /// The page number this page was requested as.
    pub fn page_number(&self) -> u64 {
        self.request.page_number()
    }

    /// The items on this page.
    pub fn items(&self) -> &[R::Item] {
        R::items(self.response.body())
    }

    /// The items on this page, by value.
    pub fn into_items(self) -> Vec<R::Item> {
        R::into_items(self.response.into_body())
    }

    /// The whole response.
    pub fn into_response(self) -> Response<R::Body> {
        self.response
    }

    /// Whether another page may exist.
    ///
    /// The server's word decides: there is none after the last page the body
    /// announces (`max_page`), or once this page reaches the total count the
    /// body announces. Servers clamp the page size (Polar serves at most 100
    /// items whatever `limit` asks), so a page shorter than the size asked
    /// for ends the walk only when the body says neither. An empty page
    /// always ends it.
    pub fn has_next_page(&self) -> bool {
        self.next_request().is_some()
    }

    /// Fetches the next page, or `None` when [`has_next_page`](Self::has_next_page) is false.
    pub fn next_page(&self) -> impl Future<Output = Result<Option<Page<R>>, R::Error>> + Send + 'static {
        // Computed before the future so it does not borrow the page (whose body need not be Sync).
        let next = self.next_request();
        let served = self.served;
        async move {
            match next {
                Some(request) => fetch(request, served).await.map(Some),
                None => Ok(None),
            }
        }
    }

    fn next_request(&self) -> Option<R> {
        let body = self.response.body();
        let count = R::items(body).len() as u64;
        let current = self.request.page_number();
        let last = match (R::max_page(body), R::total_count(body)) {
            (Some(max), _) => current >= max,
            (None, Some(total)) => self.served >= total,
            (None, None) => self.request.page_size().is_some_and(|size| count < size),
        };
        if count == 0 || last {
            return None;
        }
        // checked_add: a page number at u64::MAX has no successor (and is never refetched).
        let next = current.checked_add(1)?;
        Some(self.request.clone().with_page_number(next))
    }
}

/// Fetches one page.
pub async fn first_page<R: PageRequest>(request: R) -> Result<Page<R>, R::Error> {
    let response = request.clone().fetch().await?;
    let count = R::items(response.body()).len() as u64;
    // The pages before this one are assumed to be as full as this one.
    let served = request.page_number().saturating_sub(1).saturating_mul(count).saturating_add(count);
    Ok(Page { request, response, served })
}

/// Fetches the page after one that ended with `served` items.
async fn fetch<R: PageRequest>(request: R, served: u64) -> Result<Page<R>, R::Error> {
    let response = request.clone().fetch().await?;
    let served = served.saturating_add(R::items(response.body()).len() as u64);
    Ok(Page { request, response, served })
}

struct Cursor<R: PageRequest> {
    items: std::vec::IntoIter<R::Item>,
    next: Option<R>,
    served: Option<u64>,
}

/// Every item of every page, starting with `first` and keeping its filters.
///
/// Walks on as [`Page::has_next_page`] says: up to the last page or the total
/// count the body announces, never past an empty page; each page is fetched
/// once. An error is yielded as an `Err` item and ends the stream. Boxed, so that it is `Unpin`
/// and callers need not pin it.
pub fn paginate<R: PageRequest>(first: R) -> impl Stream<Item = Result<R::Item, R::Error>> + Send + Unpin + 'static {
    let cursor = Cursor::<R> { items: Vec::new().into_iter(), next: Some(first), served: None };
    let items = futures::stream::unfold(cursor, |mut cursor| async move {
        loop {
            if let Some(item) = cursor.items.next() {
                return Some((Ok(item), cursor));
            }
            let request = cursor.next.take()?;
            let page = match cursor.served {
                None => first_page(request).await,
                Some(served) => fetch(request, served).await,
            };
            match page {
                Ok(page) => {
                    cursor.next = page.next_request();
                    cursor.served = Some(page.served);
                    cursor.items = page.into_items().into_iter();
                }
                // `next` is already None, so the stream ends after this item.
                Err(err) => return Some((Err(err), cursor)),
            }
        }
    });
    Box::pin(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Arc;

    /// Pages of `size` items (or `served` when the server clamps it) up to
    /// `total` items; fails on page `fail_on`.
    #[derive(Clone)]
    struct Fake {
        page: u64,
        size: u64,
        served: u64,
        total: u64,
        max_page: Option<u64>,
        announces_total: bool,
        fail_on: Option<u64>,
        fetches: Arc<AtomicU64>,
    }

    #[derive(Debug)]
    struct FakeError;

    impl From<Failure> for FakeError {
        fn from(_: Failure) -> Self {
            FakeError
        }
    }

    impl PageRequest for Fake {
        type Body = (Vec<u64>, Option<u64>, Option<u64>);
        type Item = u64;
        type Error = FakeError;

        fn page_number(&self) -> u64 {
            self.page
        }
        fn with_page_number(self, page: u64) -> Self {
            Fake { page, ..self }
        }
        fn page_size(&self) -> Option<u64> {
            Some(self.size)
        }
        fn fetch(self) -> impl Future<Output = Result<Response<Self::Body>, FakeError>> + Send {
            self.fetches.fetch_add(1, Ordering::SeqCst);
            let start = (self.page - 1) * self.served;
            let items: Vec<u64> = (start..self.total.min(start + self.served)).collect();
            let total = self.announces_total.then_some(self.total);
            let result = if self.fail_on == Some(self.page) {
                Err(FakeError)
            } else {
                Ok(Response::new(StatusCode::OK, HeaderMap::new(), (items, self.max_page, total)))
            };
            std::future::ready(result)
        }
        fn items(body: &Self::Body) -> &[u64] {
            &body.0
        }
        fn into_items(body: Self::Body) -> Vec<u64> {
            body.0
        }
        fn max_page(body: &Self::Body) -> Option<u64> {
            body.1
        }
        fn total_count(body: &Self::Body) -> Option<u64> {
            body.2
        }
    }

    fn fake(total: u64, max_page: Option<u64>, fail_on: Option<u64>) -> Fake {
        let fetches = Arc::new(AtomicU64::new(0));
        Fake { page: 1, size: 2, served: 2, total, max_page, announces_total: false, fail_on, fetches }
    }

    /// A server that serves at most `served` items per page however many are asked for.
    fn clamping(total: u64, served: u64, announce_max_page: bool, announces_total: bool) -> Fake {
        let max_page = announce_max_page.then(|| total.div_ceil(served));
        Fake { size: 250, served, announces_total, ..fake(total, max_page, None) }
    }

    fn collect(request: Fake) -> Vec<Result<u64, FakeError>> {
        futures::executor::block_on(paginate(request).collect())
    }

    #[test]
    fn a_clamped_page_size_loses_nothing_when_the_server_announces_max_page_or_total() {
        for (announce_max_page, announce_total) in [(true, false), (false, true), (true, true)] {
            let request = clamping(250, 100, announce_max_page, announce_total);
            let items: Vec<u64> = collect(request.clone()).into_iter().flatten().collect();
            assert_eq!(items, (0..250).collect::<Vec<_>>(), "max_page {announce_max_page}, total {announce_total}");
            assert_eq!(request.fetches.load(Ordering::SeqCst), 3);
        }
    }

    #[test]
    fn stops_on_short_page_when_the_body_says_nothing() {
        let request = fake(5, None, None);
        let items: Vec<u64> = collect(request.clone()).into_iter().flatten().collect();
        assert_eq!(items, vec![0, 1, 2, 3, 4]);
        assert_eq!(request.fetches.load(Ordering::SeqCst), 3);
    }

    #[test]
    fn stops_on_empty_page() {
        let request = fake(4, None, None);
        assert_eq!(collect(request.clone()).len(), 4);
        assert_eq!(request.fetches.load(Ordering::SeqCst), 3);
    }

    #[test]
    fn stops_after_max_page() {
        let request = fake(100, Some(2), None);
        assert_eq!(collect(request.clone()).len(), 4);
        assert_eq!(request.fetches.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn error_ends_the_stream() {
        let results = collect(fake(100, None, Some(2)));
        assert_eq!(results.len(), 3);
        assert!(results[2].is_err());
    }

    #[test]
    fn total_count_ends_the_walk_on_a_full_last_page() {
        let request = Fake { announces_total: true, ..fake(4, None, None) };
        assert_eq!(collect(request.clone()).len(), 4);
        assert_eq!(request.fetches.load(Ordering::SeqCst), 2, "no empty third page is fetched");
    }

    #[test]
    fn next_page_walks() {
        let page = futures::executor::block_on(first_page(fake(3, None, None)));
        let Ok(page) = page else { panic!("first page failed") };
        assert!(page.has_next_page());
        let next = futures::executor::block_on(page.next_page());
        let Ok(Some(next)) = next else { panic!("second page missing") };
        assert_eq!(next.items(), &[2]);
        assert!(!next.has_next_page());
    }

    fn assert_send_static<T: Send + 'static>(_: &T) {}

    #[test]
    fn stream_is_send_and_static() {
        assert_send_static(&paginate(fake(1, None, None)));
    }
}
