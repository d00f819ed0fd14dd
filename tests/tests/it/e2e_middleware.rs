//! `reqwest-middleware` under the client (feature `middleware`): every attempt goes through the
//! chain, retries and pages included, and the chain's own failure is reported as such.

use crate::common::*;
use futures::StreamExt;
use polar_client::Client;
use reqwest_middleware::{ClientBuilder, Middleware, Next};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Adds `X-Signed: <n>` to each request it sees, and counts them.
#[derive(Clone, Default)]
struct Signer(Arc<AtomicUsize>);

#[async_trait::async_trait]
impl Middleware for Signer {
    async fn handle(
        &self,
        mut request: reqwest::Request,
        extensions: &mut http::Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
        request.headers_mut().insert("x-signed", n.to_string().parse().expect("a header value"));
        next.run(request, extensions).await
    }
}

/// Refuses every request without sending it.
struct Refuser;

#[async_trait::async_trait]
impl Middleware for Refuser {
    async fn handle(
        &self,
        _: reqwest::Request,
        _: &mut http::Extensions,
        _: Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        Err(reqwest_middleware::Error::middleware(std::io::Error::other("the signing key is missing")))
    }
}

fn client(server: &MockServer, middleware: impl Middleware) -> Client {
    let chain = ClientBuilder::new(reqwest::Client::new()).with(middleware).build();
    Client::builder()
        .base_url(server.uri())
        .customer_session(TOKEN)
        .retry_policy(fast_policy())
        .middleware(chain)
        .build()
        .expect("a client")
}

#[tokio::test]
async fn every_attempt_of_a_retried_call_goes_through_the_chain() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(item_path(SUB_ID)))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(item_path(SUB_ID)))
        .and(header("x-signed", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(SUBSCRIPTION_JSON, "application/json"))
        .mount(&server)
        .await;
    let signer = Signer::default();
    let subscription = client(&server, signer.clone()).customer_portal().subscriptions().get(SUB_ID).send().await;
    assert_eq!(subscription.expect("the third attempt succeeds").body().id, SUB_ID);
    assert_eq!(signer.0.load(Ordering::SeqCst), 3, "three attempts, three passes through the chain");
    let seen: Vec<String> = received(&server)
        .await
        .iter()
        .map(|r| r.headers.get("x-signed").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string())
        .collect();
    assert_eq!(seen, ["1", "2", "3"]);
    // The client's own headers are on every request the chain sends.
    assert!(received(&server).await.iter().all(|r| r.headers.get("authorization").is_some()));
}

#[tokio::test]
async fn every_page_of_a_walk_goes_through_the_chain() {
    let server = polar_like_server().await;
    let signer = Signer::default();
    let client = client(&server, signer.clone());
    let items: Vec<_> = client
        .customer_portal()
        .subscriptions()
        .list()
        .limit(100)
        .stream()
        .map(|i| i.expect("an item").id)
        .collect()
        .await;
    assert_eq!(items, polar_like_items());
    assert_eq!(signer.0.load(Ordering::SeqCst), polar_like_pages(100));
    assert!(received(&server).await.iter().all(|r| r.headers.get("x-signed").is_some()));
}

#[tokio::test]
async fn a_failing_middleware_is_a_transport_error_that_says_so_and_is_not_retried() {
    let server = MockServer::start().await;
    let error =
        client(&server, Refuser).customer_portal().subscriptions().get(SUB_ID).send().await.expect_err("refused");
    let polar_client::api::customer_portal::subscriptions::GetError::Transport(transport) = &error else {
        panic!("a transport error, not {error:?}");
    };
    assert!(transport.is_middleware() && transport.inner().is_none());
    assert_eq!(transport.attempts(), 1);
    assert!(received(&server).await.is_empty());
}
