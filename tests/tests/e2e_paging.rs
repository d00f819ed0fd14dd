//! Pagination against a server that pages exactly like Polar's: it never rejects a large `limit`, it
//! clamps it to 100, and it computes `max_page` from the clamped size
//! (`max_page = ceil(total_count / min(limit, 100))`). Every way of reading the list must yield every
//! item exactly once, with one request per page.

mod common;

use common::*;
use futures::StreamExt;
use polar_client::api::customer_portal::subscriptions::List;
use polar_client::Client;
use serde_json::Value;
use uuid::Uuid;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TOTAL: u64 = 250;
const SERVER_MAX_LIMIT: u64 = 100;

/// Polar's paging: `page` and `limit` default to 1 and 10, `limit` is clamped to 100.
async fn polar_like_server() -> MockServer {
    let server = MockServer::start().await;
    let responder = |request: &wiremock::Request| {
        let number = |name: &str, default: u64| {
            request.url.query_pairs().find(|(k, _)| k == name).map_or(default, |(_, v)| v.parse().expect("a number"))
        };
        let (page, limit) = (number("page", 1), number("limit", 10).min(SERVER_MAX_LIMIT));
        let start = (page - 1) * limit;
        let items: Vec<Value> =
            (start..TOTAL.min(start + limit)).map(|n| subscription_numbered(u128::from(n))).collect();
        let max_page = TOTAL.div_ceil(limit);
        ResponseTemplate::new(200).set_body_json(list_body(items, TOTAL as i64, max_page as i64))
    };
    Mock::given(method("GET")).and(path(LIST_PATH)).respond_with(responder).mount(&server).await;
    server
}

fn list(client: &Client, limit: u64) -> List {
    client.customer_portal().subscriptions().list().limit(limit)
}

fn every_item() -> Vec<Uuid> {
    (0..TOTAL).map(|n| numbered_id(u128::from(n))).collect()
}

/// Pages the server serves for a requested `limit`.
fn pages_for(limit: u64) -> usize {
    TOTAL.div_ceil(limit.min(SERVER_MAX_LIMIT)) as usize
}

#[tokio::test]
async fn stream_yields_every_item_once_whatever_the_limit() {
    for limit in [10, 100, 250] {
        let server = polar_like_server().await;
        let ids: Vec<Uuid> =
            list(&client(&server), limit).stream().map(|item| item.expect("no error").id).collect().await;
        assert_eq!(ids.len(), every_item().len(), "limit {limit}: every item, no more, no less");
        assert_eq!(ids, every_item(), "limit {limit}: each item once, in order");
        assert_eq!(received(&server).await.len(), pages_for(limit), "limit {limit}: one request per page");
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
        assert_eq!(ids.len(), every_item().len(), "limit {limit}: every item, no more, no less");
        assert_eq!(ids, every_item(), "limit {limit}");
        assert_eq!(received(&server).await.len(), pages_for(limit), "limit {limit}: no request after the last page");
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
