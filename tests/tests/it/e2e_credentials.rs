//! Credentials that change, on the wire: a provider asked before each attempt, renewed once on a
//! `401` (one renewal for every call that met it), and its failures reported as such.

use crate::common::*;
use futures::StreamExt;
use polar_client::{Client, Credential, CredentialRequest, ProviderError};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A provider of bearer tokens `t1`, `t2`, …: each renewal moves to the next. It counts the
/// renewals, and before the first one it waits until `together` calls have asked, so that they all
/// go out with `t1`.
#[derive(Clone)]
struct Tokens {
    renewals: Arc<AtomicUsize>,
    together: Arc<tokio::sync::Barrier>,
}

impl Tokens {
    fn new(together: usize) -> Tokens {
        Tokens { renewals: Arc::new(AtomicUsize::new(0)), together: Arc::new(tokio::sync::Barrier::new(together)) }
    }

    fn client(&self, server: &MockServer) -> Client {
        let tokens = self.clone();
        let provider = move |request: CredentialRequest| {
            let tokens = tokens.clone();
            async move {
                assert_eq!(request.scheme, "customer_session");
                let renewals = if request.refresh {
                    tokens.renewals.fetch_add(1, Ordering::SeqCst) + 1
                } else {
                    let renewals = tokens.renewals.load(Ordering::SeqCst);
                    if renewals == 0 {
                        tokens.together.wait().await;
                    }
                    renewals
                };
                Ok::<_, ProviderError>(Credential::bearer(format!("t{}", renewals + 1)))
            }
        };
        Client::builder().base_url(server.uri()).customer_session_provider(provider).build().expect("a client")
    }
}

fn bearer(request: &Request) -> String {
    request.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

fn expired() -> ResponseTemplate {
    ResponseTemplate::new(401).set_body_json(serde_json::json!({"detail": "The session has expired."}))
}

#[tokio::test]
async fn a_token_that_expires_mid_stream_is_renewed_and_the_walk_goes_on() {
    let server = MockServer::start().await;
    // `t1` is good for the first two pages; from the third on, only `t2` is.
    let responder = |request: &Request| {
        let page: u64 =
            request.url.query_pairs().find(|(k, _)| k == "page").map_or(1, |(_, v)| v.parse().expect("a page"));
        if page >= 3 && bearer(request) == "Bearer t1" {
            return expired();
        }
        polar_like_page(request)
    };
    Mock::given(method("GET")).and(path(LIST_PATH)).respond_with(responder).mount(&server).await;

    let tokens = Tokens::new(1);
    let client = tokens.client(&server);
    let items: Vec<_> = client
        .customer_portal()
        .subscriptions()
        .list()
        .limit(100)
        .stream()
        .map(|item| item.expect("every item").id)
        .collect()
        .await;
    assert_eq!(items, polar_like_items(), "the walk goes on past the expiry");
    let requests = received(&server).await;
    let pages = polar_like_pages(100);
    assert_eq!(requests.len(), pages + 1, "one extra request: the page the expiry met, repeated");
    assert_eq!(tokens.renewals.load(Ordering::SeqCst), 1);
    let seen: Vec<String> = requests.iter().map(bearer).collect();
    assert_eq!(seen, ["Bearer t1", "Bearer t1", "Bearer t1", "Bearer t2"]);
}

#[tokio::test]
async fn ten_concurrent_calls_that_meet_one_expiry_share_one_renewal() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(item_path(SUB_ID)))
        .respond_with(|request: &Request| match bearer(request).as_str() {
            "Bearer t2" => ResponseTemplate::new(200).set_body_raw(SUBSCRIPTION_JSON, "application/json"),
            _ => expired(),
        })
        .mount(&server)
        .await;
    let tokens = Tokens::new(10);
    let client = tokens.client(&server);
    let calls = (0..10).map(|_| {
        let client = client.clone();
        async move { client.customer_portal().subscriptions().get(SUB_ID).send().await }
    });
    let responses = futures::future::join_all(calls).await;
    for response in responses {
        response.expect("each call succeeds after the renewal");
    }
    assert_eq!(tokens.renewals.load(Ordering::SeqCst), 1, "one renewal for all ten");
    let requests = received(&server).await;
    assert_eq!(requests.iter().filter(|r| bearer(r) == "Bearer t1").count(), 10);
    assert_eq!(requests.iter().filter(|r| bearer(r) == "Bearer t2").count(), 10);
}

#[tokio::test]
async fn a_second_401_is_the_typed_error_with_both_tries() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path(item_path(SUB_ID))).respond_with(expired()).mount(&server).await;
    let tokens = Tokens::new(1);
    let error = tokens.client(&server).customer_portal().subscriptions().get(SUB_ID).send().await.expect_err("refused");
    assert_eq!(error.status(), Some(polar_client::reqwest::StatusCode::UNAUTHORIZED));
    assert_eq!(error.attempts(), Some(2));
    assert_eq!(tokens.renewals.load(Ordering::SeqCst), 1, "renewed once, not again");
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_provider_that_fails_sends_nothing_and_says_so() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    let provider = |_: CredentialRequest| async { Err::<Credential, ProviderError>("the vault is sealed".into()) };
    let client =
        Client::builder().base_url(server.uri()).customer_session_provider(provider).build().expect("a client");
    let error = client.customer_portal().subscriptions().get(SUB_ID).send().await.expect_err("no credential");
    let polar_client::api::customer_portal::subscriptions::GetError::Transport(transport) = &error else {
        panic!("a transport error, not {error:?}");
    };
    assert!(transport.is_credential() && transport.inner().is_none());
    assert_eq!(std::error::Error::source(transport).map(ToString::to_string).as_deref(), Some("the vault is sealed"));
    assert!(received(&server).await.is_empty(), "nothing was sent");
}
