//! Pagination against a server that pages exactly like Polar's: it never rejects a large `limit`, it
//! clamps it to 100, and it computes `max_page` from the clamped size
//! (`max_page = ceil(total_count / min(limit, 100))`). Every way of reading the list must yield every
//! item exactly once, with one request per page.

use crate::common::*;
use futures::StreamExt;
use polar_client::api::customer_portal::subscriptions::List;
use polar_client::Client;
use uuid::Uuid;

fn list(client: &Client, limit: u64) -> List {
    client.customer_portal().subscriptions().list().limit(limit)
}

#[tokio::test]
async fn stream_yields_every_item_once_whatever_the_limit() {
    for limit in [10, 100, 250] {
        let server = polar_like_server().await;
        let ids: Vec<Uuid> =
            list(&client(&server), limit).stream().map(|item| item.expect("no error").id).collect().await;
        assert_eq!(ids.len(), polar_like_items().len(), "limit {limit}: every item, no more, no less");
        assert_eq!(ids, polar_like_items(), "limit {limit}: each item once, in order");
        assert_eq!(received(&server).await.len(), polar_like_pages(limit), "limit {limit}: one request per page");
    }
}

#[tokio::test]
async fn next_page_walks_to_every_item_once_whatever_the_limit() {
    for limit in [10, 100, 250] {
        let server = polar_like_server().await;
        let mut page = list(&client(&server), limit).send().await.expect("first page");
        let mut ids: Vec<Uuid> = page.items().iter().map(|s| s.id).collect();
        while let Some(next) = page.next_page().await.expect("next page") {
            ids.extend(next.items().iter().map(|s| s.id));
            page = next;
        }
        assert!(!page.has_next_page());
        assert_eq!(ids.len(), polar_like_items().len(), "limit {limit}: every item, no more, no less");
        assert_eq!(ids, polar_like_items(), "limit {limit}");
        assert_eq!(
            received(&server).await.len(),
            polar_like_pages(limit),
            "limit {limit}: no request after the last page"
        );
    }
}

#[tokio::test]
async fn a_clamped_page_is_not_taken_for_the_last_one() {
    // The bug this guards against: 100 items answered to `limit=250` used to end the walk.
    let server = polar_like_server().await;
    let first = list(&client(&server), 250).send().await.expect("first page");
    assert_eq!(first.items().len(), 100);
    assert!(first.has_next_page(), "max_page says 3");
    let pages: Vec<u64> = received(&server)
        .await
        .iter()
        .map(|r| r.url.query_pairs().find(|(k, _)| k == "page").map_or(1, |(_, v)| v.parse().expect("number")))
        .collect();
    assert_eq!(pages, vec![1]);
}
