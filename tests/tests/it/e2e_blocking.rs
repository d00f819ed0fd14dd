//! The blocking client (feature `blocking`): the same builders, `.send()` without `.await`, and
//! pagination as an `Iterator`. The tests are plain `#[test]`s, as a script would be: the mock server
//! runs on a runtime of its own, and the client blocks the test's thread.

use crate::common::*;
use polar_client::api::customer_portal::subscriptions::CancelError;
use polar_client::types::CustomerSubscriptionUpdate;
use polar_client::{blocking, Client, RetryPolicy};
use serde_json::json;
use uuid::Uuid;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A mock server on its own runtime, which keeps serving while the test's thread blocks.
struct Server {
    runtime: tokio::runtime::Runtime,
    mock: MockServer,
}

impl Server {
    fn start(setup: impl AsyncFnOnce() -> MockServer) -> Self {
        let runtime = tokio::runtime::Runtime::new().expect("a runtime");
        let mock = runtime.block_on(setup());
        Server { runtime, mock }
    }

    fn answering(responses: Vec<ResponseTemplate>) -> Self {
        Server::start(async || {
            let server = MockServer::start().await;
            let count = std::sync::atomic::AtomicUsize::new(0);
            let responder = move |_: &wiremock::Request| {
                let index = count.fetch_add(1, std::sync::atomic::Ordering::SeqCst).min(responses.len() - 1);
                responses[index].clone()
            };
            Mock::given(any()).respond_with(responder).mount(&server).await;
            server
        })
    }

    fn client(&self, policy: RetryPolicy) -> blocking::Client {
        let builder = Client::builder().base_url(self.mock.uri()).customer_session(TOKEN).retry_policy(policy);
        builder.build_blocking().expect("builds")
    }

    fn requests(&self) -> Vec<wiremock::Request> {
        self.runtime.block_on(received(&self.mock))
    }
}

fn ok_subscription() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(SUBSCRIPTION_JSON, "application/json")
}

#[test]
fn send_blocks_and_returns_the_same_response_as_the_async_client() {
    let server = Server::answering(vec![ok_subscription()]);
    let subscription = server.client(fast_policy()).customer_portal().subscriptions().get(SUB_ID).send();
    let subscription = subscription.expect("get");
    assert_eq!(subscription.id, SUB_ID);
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].headers.get("authorization").and_then(|v| v.to_str().ok()), Some("Bearer tok_secret"));
    assert_eq!(requests[0].headers.get("polar-version").and_then(|v| v.to_str().ok()), Some("2026-04"));
}

#[test]
fn retries_errors_and_per_call_settings_work_the_same() {
    let already = json!({ "error": "AlreadyCanceledSubscription", "detail": "Already canceled." });
    let server = Server::answering(vec![ResponseTemplate::new(503), ResponseTemplate::new(403).set_body_json(already)]);
    let client = server.client(fast_policy()).with_customer_session("tok_customer");
    let err = client.customer_portal().subscriptions().cancel(SUB_ID).header("X-Trace", "t").send().expect_err("403");
    match &err {
        CancelError::Forbidden(e) => assert_eq!((e.body().detail.as_str(), e.attempts()), ("Already canceled.", 2)),
        other => panic!("expected Forbidden, got {other:?}"),
    }
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "the 503 was retried");
    assert_eq!(requests[1].headers.get("authorization").and_then(|v| v.to_str().ok()), Some("Bearer tok_customer"));
    assert_eq!(requests[1].headers.get("x-trace").and_then(|v| v.to_str().ok()), Some("t"));

    let server = Server::answering(vec![ok_subscription()]);
    let update = server
        .client(fast_policy())
        .customer_portal()
        .subscriptions()
        .update(SUB_ID, CustomerSubscriptionUpdate::seats(3));
    assert!(update.send().is_ok());
    assert_eq!(server.requests()[0].body, br#"{"seats":3}"#);
}

#[test]
fn pagination_is_an_iterator_over_every_item_once() {
    for limit in [10, 100, 250] {
        let server = Server::start(polar_like_server);
        let client = server.client(fast_policy());
        let ids: Vec<Uuid> = client
            .customer_portal()
            .subscriptions()
            .list()
            .limit(limit)
            .iter()
            .map(|s| s.expect("no error").id)
            .collect();
        assert_eq!(ids.len(), polar_like_items().len(), "limit {limit}");
        assert_eq!(ids, polar_like_items(), "limit {limit}");
        assert_eq!(server.requests().len(), polar_like_pages(limit), "limit {limit}");
    }
}

#[test]
fn next_page_blocks_for_the_next_page() {
    let server = Server::start(polar_like_server);
    let client = server.client(fast_policy());
    let mut page = client.customer_portal().subscriptions().list().limit(100).send().expect("first page");
    let mut ids: Vec<Uuid> = page.items().iter().map(|s| s.id).collect();
    while let Some(next) = page.next_page().expect("next page") {
        ids.extend(next.items().iter().map(|s| s.id));
        page = next;
    }
    assert_eq!(page.page_number(), 3);
    assert_eq!(ids, polar_like_items());
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn client_request_blocks_too() {
    let server = Server::answering(vec![ResponseTemplate::new(200).set_body_json(json!({ "ok": true }))]);
    let client = server.client(fast_policy());
    let response = client.request(polar_client::reqwest::Method::GET, "/v1/health").send().expect("a response");
    assert_eq!(response.json::<serde_json::Value>().expect("json").body()["ok"], true);
    assert_eq!(server.requests()[0].url.path(), "/v1/health");
}
