//! Helpers shared by the end-to-end tests (`e2e_operations`, `e2e_faults`).
#![allow(dead_code)]

use std::time::Duration;

use polar_client::{Client, RetryPolicy};
use serde_json::{json, Value};
use uuid::Uuid;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A realistic `CustomerSubscription` as the server sends it.
pub const SUBSCRIPTION_JSON: &str = include_str!("../data/customer_subscription.json");

/// The id of the subscription in [`SUBSCRIPTION_JSON`].
pub const SUB_ID: Uuid = Uuid::from_u128(0x7f5c3a1e_2b4d_4e6f_8a9b_0c1d2e3f4a5b);
/// The id of the product in [`SUBSCRIPTION_JSON`].
pub const PRODUCT_ID: Uuid = Uuid::from_u128(0xa1b2c3d4_e5f6_4a7b_8c9d_0e1f2a3b4c5d);
/// Another product id, for filters.
pub const OTHER_PRODUCT_ID: Uuid = Uuid::from_u128(0x0b9a8c7d_6e5f_4a3b_9c2d_1e0f9a8b7c6d);

/// The token every test client authenticates with.
pub const TOKEN: &str = "tok_secret";

/// The list endpoint's path.
pub const LIST_PATH: &str = "/v1/customer-portal/subscriptions/";

/// The path of one subscription.
pub fn item_path(id: Uuid) -> String {
    format!("/v1/customer-portal/subscriptions/{id}")
}

/// The fixture as JSON.
pub fn subscription_value() -> Value {
    serde_json::from_str(SUBSCRIPTION_JSON).expect("the fixture is valid JSON")
}

/// The fixture with another id, so list pages can be told apart.
pub fn subscription_numbered(n: u128) -> Value {
    let mut value = subscription_value();
    value["id"] = json!(numbered_id(n));
    value
}

/// A deterministic id for the `n`-th listed subscription.
pub fn numbered_id(n: u128) -> Uuid {
    Uuid::from_u128(0x5ab5_0000_0000_4000_8000_0000_0000_0000 | n)
}

/// A `ListResource_CustomerSubscription_` body.
pub fn list_body(items: Vec<Value>, total_count: i64, max_page: i64) -> Value {
    json!({ "items": items, "pagination": { "total_count": total_count, "max_page": max_page } })
}

/// A client for `server` authenticated with [`TOKEN`] as a customer session, default policy.
pub fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).customer_session(TOKEN).build().expect("client builds")
}

/// A client for `server` authenticated with [`TOKEN`] and this retry policy.
pub fn client_with_policy(server: &MockServer, policy: RetryPolicy) -> Client {
    Client::builder()
        .base_url(server.uri())
        .customer_session(TOKEN)
        .retry_policy(policy)
        .build()
        .expect("client builds")
}

/// A client that never retries (for error tests: 5xx are not retried).
pub fn no_retry_client(server: &MockServer) -> Client {
    client_with_policy(server, RetryPolicy::none())
}

/// A retry policy with millisecond backoffs, to keep fault tests fast.
pub fn fast_policy() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(5))
        .max_backoff(Duration::from_millis(20))
}

/// Every request the server received.
pub async fn received(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.expect("request recording is on")
}

/// How many subscriptions [`polar_like_server`] lists.
pub const TOTAL: u64 = 250;
/// The page size Polar's server clamps `limit` to.
pub const SERVER_MAX_LIMIT: u64 = 100;

/// A list endpoint that pages exactly like Polar's: [`TOTAL`] subscriptions, `page` and `limit`
/// default to 1 and 10, `limit` is clamped to 100, and `max_page` is computed from the clamped size.
pub async fn polar_like_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path(LIST_PATH)).respond_with(polar_like_page).mount(&server).await;
    server
}

/// The page [`polar_like_server`] answers `request` with.
pub fn polar_like_page(request: &wiremock::Request) -> ResponseTemplate {
    let number = |name: &str, default: u64| {
        request.url.query_pairs().find(|(k, _)| k == name).map_or(default, |(_, v)| v.parse().expect("a number"))
    };
    let (page, limit) = (number("page", 1), number("limit", 10).min(SERVER_MAX_LIMIT));
    let start = (page - 1) * limit;
    let items: Vec<Value> = (start..TOTAL.min(start + limit)).map(|n| subscription_numbered(u128::from(n))).collect();
    let max_page = TOTAL.div_ceil(limit);
    ResponseTemplate::new(200).set_body_json(list_body(items, TOTAL as i64, max_page as i64))
}

/// The ids [`polar_like_server`] lists, in order.
pub fn polar_like_items() -> Vec<Uuid> {
    (0..TOTAL).map(|n| numbered_id(u128::from(n))).collect()
}

/// Pages [`polar_like_server`] serves for a requested `limit`.
pub fn polar_like_pages(limit: u64) -> usize {
    TOTAL.div_ceil(limit.min(SERVER_MAX_LIMIT)) as usize
}
