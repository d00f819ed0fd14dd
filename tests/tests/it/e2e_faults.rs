//! The generated client's runtime under faults: retries (statuses, `Retry-After`, backoff), dropped and
//! refused connections, timeouts, bodies that do not decode, values the client does not know, and
//! pagination. Every test checks what the caller gets and how many requests reached the server.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::*;
use futures::StreamExt;
use polar_client::api::customer_portal::subscriptions::{CancelError, GetError, ListError, UpdateError};
use polar_client::types::*;
use polar_client::{Client, RetryPolicy};
use serde_json::{json, Value};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Answers the i-th request with `responses[i]` (the last one repeats) and records when each arrived.
fn sequence(
    responses: Vec<ResponseTemplate>,
) -> (impl Fn(&wiremock::Request) -> ResponseTemplate + Send + Sync + 'static, Arc<Mutex<Vec<Instant>>>) {
    let arrivals = Arc::new(Mutex::new(Vec::new()));
    let recorded = Arc::clone(&arrivals);
    let responder = move |_: &wiremock::Request| {
        let mut arrivals = recorded.lock().expect("not poisoned");
        arrivals.push(Instant::now());
        let index = (arrivals.len() - 1).min(responses.len() - 1);
        responses[index].clone()
    };
    (responder, arrivals)
}

fn gaps(arrivals: &Arc<Mutex<Vec<Instant>>>) -> Vec<Duration> {
    let arrivals = arrivals.lock().expect("not poisoned");
    arrivals.windows(2).map(|pair| pair[1] - pair[0]).collect()
}

fn ok_subscription() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(SUBSCRIPTION_JSON, "application/json")
}

fn status(code: u16) -> ResponseTemplate {
    ResponseTemplate::new(code).set_body_json(json!({ "error": "ServiceUnavailable", "detail": "try later" }))
}

fn query_value(request: &wiremock::Request, name: &str) -> Option<String> {
    request.url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

// ---------------------------------------------------------------------------------------------
// retries on statuses
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn rate_limit_429_with_retry_after_is_honoured_then_succeeds() {
    let server = MockServer::start().await;
    let (responder, arrivals) = sequence(vec![
        ResponseTemplate::new(429).insert_header("retry-after", "1").set_body_string("slow down"),
        ok_subscription(),
    ]);
    Mock::given(method("GET")).respond_with(responder).mount(&server).await;

    // The default policy: Retry-After replaces the (up to 500 ms) jittered backoff.
    let started = Instant::now();
    let response = client(&server).customer_portal().subscriptions().get(SUB_ID).send().await;
    let elapsed = started.elapsed();

    let response = response.expect("succeeds after the retry");
    assert_eq!(response.id, SUB_ID);
    assert_eq!(received(&server).await.len(), 2);
    let gap = gaps(&arrivals)[0];
    println!(
        "429 Retry-After: 1 -> server-side gap {gap:?} (ratio {:.3}), caller elapsed {elapsed:?} (ratio {:.3})",
        gap.as_secs_f64() / 1.0,
        elapsed.as_secs_f64() / 1.0
    );
    assert!(elapsed >= Duration::from_millis(950), "waited only {elapsed:?}");
    assert!(gap >= Duration::from_millis(950), "retried after only {gap:?}");
    assert!(elapsed < Duration::from_secs(4), "waited {elapsed:?}");
}

#[tokio::test]
async fn retry_after_beyond_max_retry_after_returns_the_response_at_once() {
    // Waiting the capped time and asking again would only fail the same way: report it now.
    let server = MockServer::start().await;
    let (responder, _) =
        sequence(vec![ResponseTemplate::new(503).insert_header("retry-after", "3600"), ok_subscription()]);
    Mock::given(method("GET")).respond_with(responder).mount(&server).await;
    let policy = fast_policy().max_retry_after(Duration::from_millis(20));

    let started = Instant::now();
    let response = client_with_policy(&server, policy).customer_portal().subscriptions().get(SUB_ID).send().await;
    assert!(started.elapsed() < Duration::from_secs(1), "slept {:?}", started.elapsed());
    match response {
        Err(GetError::Unexpected(e)) => {
            assert_eq!(e.status().as_u16(), 503);
            assert_eq!(e.attempts(), 1);
        }
        other => panic!("expected the 503 at once, got {other:?}"),
    }
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn status_503_until_attempts_run_out_gives_unexpected_503() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(status(503)).mount(&server).await;

    let err = client_with_policy(&server, fast_policy().max_attempts(3))
        .customer_portal()
        .subscriptions()
        .get(SUB_ID)
        .send()
        .await
        .err();
    match err {
        Some(GetError::Unexpected(e)) => {
            assert_eq!(e.status().as_u16(), 503);
            assert!(e.body_text().contains("try later"), "{}", e.body_text());
        }
        other => panic!("expected Unexpected(503), got {other:?}"),
    }
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn status_503_backoff_stays_within_the_jittered_caps() {
    let server = MockServer::start().await;
    let (responder, arrivals) = sequence(vec![status(503), status(503), ok_subscription()]);
    Mock::given(method("GET")).respond_with(responder).mount(&server).await;
    let initial = Duration::from_millis(100);
    let policy = RetryPolicy::default().max_attempts(3).initial_backoff(initial).multiplier(2.0);

    let started = Instant::now();
    let response = client_with_policy(&server, policy).customer_portal().subscriptions().get(SUB_ID).send().await;
    let elapsed = started.elapsed();
    assert!(response.is_ok(), "{response:?}");
    assert_eq!(received(&server).await.len(), 3);

    let gaps = gaps(&arrivals);
    let caps = [initial, initial * 2];
    for (retry, (gap, cap)) in gaps.iter().zip(caps).enumerate() {
        println!(
            "503 backoff retry {}: observed {gap:?}, jitter cap {cap:?}, ratio {:.3}",
            retry + 1,
            gap.as_secs_f64() / cap.as_secs_f64()
        );
        // Full jitter draws from 0..=cap; allow generous scheduling slack on a busy machine.
        assert!(*gap <= cap + Duration::from_millis(400), "retry {} waited {gap:?} (cap {cap:?})", retry + 1);
    }
    println!("503 backoff total: {elapsed:?} for caps summing to {:?}", caps[0] + caps[1]);
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
}

#[tokio::test]
async fn html_502_page_after_retries_is_unexpected_with_the_html() {
    const HTML: &str = "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\
                        <body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n";
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(502).set_body_raw(HTML, "text/html")).mount(&server).await;

    let err = client_with_policy(&server, fast_policy()).customer_portal().subscriptions().list().send().await.err();
    let err = err.expect("fails");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(err.headers().and_then(|h| h.get("content-type")).and_then(|v| v.to_str().ok()), Some("text/html"));
    match err {
        ListError::Unexpected(e) => {
            assert_eq!(e.status().as_u16(), 502);
            assert_eq!(e.body_text(), HTML);
            assert!(e.to_string().contains("<h1>502 Bad Gateway</h1>"), "{e}");
        }
        other => panic!("expected Unexpected(502), got {other:?}"),
    }
    assert_eq!(received(&server).await.len(), 3, "retried up to max_attempts");
}

#[tokio::test]
async fn patch_is_not_retried_on_503_by_default() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH")).respond_with(status(503)).mount(&server).await;

    let err = client(&server)
        .customer_portal()
        .subscriptions()
        .update(SUB_ID, CustomerSubscriptionUpdateSeats { seats: 4 })
        .send()
        .await
        .err();
    match err {
        Some(UpdateError::Unexpected(e)) => assert_eq!(e.status().as_u16(), 503),
        other => panic!("expected Unexpected(503), got {other:?}"),
    }
    assert_eq!(received(&server).await.len(), 1, "a PATCH may not be idempotent: sent once");
}

#[tokio::test]
async fn patch_is_retried_when_the_call_opts_in() {
    let server = MockServer::start().await;
    let (responder, _) = sequence(vec![status(503), status(503), ok_subscription()]);
    Mock::given(method("PATCH")).respond_with(responder).mount(&server).await;
    let opt_in = RetryPolicy::default()
        .retry_non_idempotent(true)
        .initial_backoff(Duration::from_millis(2))
        .max_backoff(Duration::from_millis(10));

    let response = client(&server)
        .customer_portal()
        .subscriptions()
        .update(SUB_ID, CustomerSubscriptionUpdateSeats { seats: 4 })
        .retry_policy(opt_in)
        .send()
        .await;
    assert_eq!(response.expect("succeeds on the third attempt").id, SUB_ID);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    for request in &requests {
        assert_eq!(request.method.as_str(), "PATCH");
        assert_eq!(request.body, br#"{"seats":4}"#, "the same body on every attempt");
    }
}

#[tokio::test]
async fn delete_is_idempotent_and_retried_on_503_by_default() {
    let server = MockServer::start().await;
    let (responder, _) = sequence(vec![status(503), ok_subscription()]);
    Mock::given(method("DELETE")).respond_with(responder).mount(&server).await;
    let response = client_with_policy(&server, fast_policy()).customer_portal().subscriptions().cancel(SUB_ID).send();
    assert!(response.await.is_ok());
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn per_call_policy_none_overrides_the_client_policy() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(status(503)).mount(&server).await;
    let err = client_with_policy(&server, fast_policy())
        .customer_portal()
        .subscriptions()
        .get(SUB_ID)
        .retry_policy(RetryPolicy::none())
        .send()
        .await
        .err();
    assert_eq!(err.and_then(|e| e.status()).map(|s| s.as_u16()), Some(503));
    assert_eq!(received(&server).await.len(), 1);
}

// ---------------------------------------------------------------------------------------------
// dropped and refused connections
// ---------------------------------------------------------------------------------------------

/// A TCP server on loopback that counts connections and misbehaves on each of them.
struct DroppingServer {
    url: String,
    accepted: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl DroppingServer {
    /// Accepts every connection and drops it at once.
    async fn start() -> Self {
        Self::start_with(None).await
    }

    /// Reads the request, writes `head` (a partial response) and closes, or drops at once when `None`.
    async fn start_with(head: Option<&'static str>) -> Self {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binds");
        let url = format!("http://{}", listener.local_addr().expect("has an address"));
        let accepted = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&accepted);
        let task = tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                if let Some(head) = head {
                    let mut buffer = [0u8; 4096];
                    let _ = socket.read(&mut buffer).await;
                    let _ = socket.write_all(head.as_bytes()).await;
                    let _ = socket.shutdown().await;
                }
                drop(socket);
            }
        });
        DroppingServer { url, accepted, task }
    }

    fn client(&self, policy: RetryPolicy) -> Client {
        Client::builder().base_url(&self.url).customer_session(TOKEN).retry_policy(policy).build().expect("builds")
    }

    fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

impl Drop for DroppingServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[tokio::test]
async fn dropped_connection_is_a_transport_error_retried_for_get() {
    let server = DroppingServer::start().await;
    let err = server.client(fast_policy()).customer_portal().subscriptions().get(SUB_ID).send().await.err();
    assert!(err.as_ref().is_some_and(|e| e.status().is_none() && e.headers().is_none()), "no response: {err:?}");
    match err {
        Some(GetError::Transport(e)) => {
            assert_eq!(e.attempts(), 3, "{e}");
            assert!(!e.is_connect(), "the connection was established: {e}");
            assert_eq!(e.operation_id(), "customer_portal:subscriptions:get");
            assert!(!e.to_string().contains(TOKEN));
        }
        other => panic!("expected Transport, got {other:?}"),
    }
    assert_eq!(server.accepted(), 3, "one connection per attempt");
}

#[tokio::test]
async fn dropped_connection_is_not_retried_for_patch() {
    let server = DroppingServer::start().await;
    let update = server
        .client(fast_policy())
        .customer_portal()
        .subscriptions()
        .update(SUB_ID, CustomerSubscriptionResume::default())
        .send()
        .await;
    match update.err() {
        Some(UpdateError::Transport(e)) => assert_eq!(e.attempts(), 1, "{e}"),
        other => panic!("expected Transport, got {other:?}"),
    }
    assert_eq!(server.accepted(), 1, "the PATCH may have reached the server: not resent");
}

/// Headers promise 500 bytes; the connection closes after a few.
const CUT_SHORT: &str = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{\"items\": [";

#[tokio::test]
async fn body_cut_short_is_a_transport_error() {
    let server = DroppingServer::start_with(Some(CUT_SHORT)).await;
    let err = server.client(RetryPolicy::none()).customer_portal().subscriptions().list().send().await.err();
    assert!(err.as_ref().is_some_and(|e| e.status().is_none()), "{err:?}");
    match err {
        Some(ListError::Transport(e)) => {
            assert_eq!(e.attempts(), 1, "{e}");
            assert!(!e.is_connect());
            assert!(e.to_string().contains("reading the response body failed"), "{e}");
        }
        other => panic!("expected Transport, got {other:?}"),
    }
    assert_eq!(server.accepted(), 1);
}

#[tokio::test]
async fn body_cut_short_is_retried_for_get() {
    let server = DroppingServer::start_with(Some(CUT_SHORT)).await;
    let err = server.client(fast_policy()).customer_portal().subscriptions().list().send().await.err();
    match err {
        Some(ListError::Transport(e)) => assert_eq!(e.attempts(), 3, "{e}"),
        other => panic!("expected Transport, got {other:?}"),
    }
    assert_eq!(server.accepted(), 3, "one connection per attempt");
}

#[tokio::test]
async fn refused_connection_is_retried_for_every_method() {
    // Bind, note the port, close it: connecting is then refused (nothing is sent, so even PATCH retries).
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let url = format!("http://{}", listener.local_addr().expect("has an address"));
    drop(listener);
    let client = Client::builder().base_url(url).customer_session(TOKEN).retry_policy(fast_policy()).build();
    let update = client
        .expect("builds")
        .customer_portal()
        .subscriptions()
        .update(SUB_ID, CustomerSubscriptionResume::default())
        .send()
        .await;
    match update.err() {
        Some(UpdateError::Transport(e)) => {
            assert!(e.is_connect(), "{e}");
            assert_eq!(e.attempts(), 3, "{e}");
        }
        other => panic!("expected Transport, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// redirects
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn redirect_to_another_origin_is_not_followed_and_the_token_stays_home() {
    let home = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    Mock::given(any()).respond_with(ok_subscription()).mount(&elsewhere).await;
    let location = format!("{}/collect", elsewhere.uri());
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", location.as_str()))
        .mount(&home)
        .await;

    let err = client_with_policy(&home, fast_policy()).customer_portal().subscriptions().get(SUB_ID).send().await;
    match err.err() {
        Some(GetError::Unexpected(e)) => {
            assert_eq!(e.status().as_u16(), 302);
            assert_eq!(e.headers().get("location").and_then(|v| v.to_str().ok()), Some(location.as_str()));
        }
        other => panic!("expected Unexpected(302), got {other:?}"),
    }
    assert_eq!(received(&home).await.len(), 1);
    assert!(received(&elsewhere).await.is_empty(), "nothing (and no token) reached the other origin");
}

#[tokio::test]
async fn same_origin_redirect_is_followed_with_the_credentials() {
    let server = MockServer::start().await;
    Mock::given(path("/moved")).respond_with(ok_subscription()).mount(&server).await;
    Mock::given(path(item_path(SUB_ID)))
        .respond_with(ResponseTemplate::new(307).insert_header("location", format!("{}/moved", server.uri())))
        .mount(&server)
        .await;
    let response = client(&server).customer_portal().subscriptions().get(SUB_ID).send().await;
    assert_eq!(response.expect("followed").id, SUB_ID);
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].url.path(), "/moved");
    assert_eq!(requests[1].headers.get("authorization").and_then(|v| v.to_str().ok()), Some("Bearer tok_secret"));
}

// ---------------------------------------------------------------------------------------------
// timeouts
// ---------------------------------------------------------------------------------------------

fn slow(delay: Duration) -> ResponseTemplate {
    ok_subscription().set_delay(delay)
}

#[tokio::test]
async fn per_call_timeout_gives_timeout_after_one_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(slow(Duration::from_secs(3))).mount(&server).await;

    let started = Instant::now();
    let err = client(&server)
        .customer_portal()
        .subscriptions()
        .get(SUB_ID)
        .timeout(Duration::from_millis(100))
        .send()
        .await
        .err();
    let elapsed = started.elapsed();
    match err {
        Some(GetError::Timeout(e)) => {
            assert_eq!(e.timeout(), Some(Duration::from_millis(100)));
            assert_eq!(e.attempts(), 1, "timeouts are not retried by default");
        }
        other => panic!("expected Timeout, got {other:?}"),
    }
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn client_level_timeout_gives_timeout_after_one_request() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(slow(Duration::from_secs(3))).mount(&server).await;
    let client = Client::builder()
        .base_url(server.uri())
        .customer_session(TOKEN)
        .timeout(Duration::from_millis(100))
        .build()
        .expect("builds");

    let started = Instant::now();
    let err = client.customer_portal().subscriptions().list().send().await.err();
    match err {
        Some(ListError::Timeout(e)) => {
            assert_eq!(e.timeout(), Some(Duration::from_millis(100)));
            assert_eq!(e.attempts(), 1);
            assert_eq!(e.operation_id(), "customer_portal:subscriptions:list");
        }
        other => panic!("expected Timeout, got {other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn per_call_timeout_overrides_the_client_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(slow(Duration::from_millis(200))).mount(&server).await;
    let client = Client::builder()
        .base_url(server.uri())
        .customer_session(TOKEN)
        .timeout(Duration::from_millis(20))
        .build()
        .expect("builds");
    let response = client.customer_portal().subscriptions().get(SUB_ID).timeout(Duration::from_secs(5)).send().await;
    assert!(response.is_ok(), "{response:?}");
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn timeouts_are_retried_only_when_the_policy_opts_in() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(slow(Duration::from_secs(3))).mount(&server).await;
    let err = client_with_policy(&server, fast_policy().retry_timeouts(true))
        .customer_portal()
        .subscriptions()
        .get(SUB_ID)
        .timeout(Duration::from_millis(50))
        .send()
        .await
        .err();
    match err {
        Some(GetError::Timeout(e)) => assert_eq!(e.attempts(), 3),
        other => panic!("expected Timeout, got {other:?}"),
    }
    assert_eq!(received(&server).await.len(), 3);
}

// ---------------------------------------------------------------------------------------------
// bodies that do not decode, and values the client does not know
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn malformed_json_on_200_is_a_decode_error_with_an_excerpt() {
    const TRUNCATED: &str = r#"{"id": "7f5c3a1e-2b4d-4e6f-8a9b-0c1d2e3f4a5b", "amount": 29"#;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(TRUNCATED, "application/json"))
        .mount(&server)
        .await;

    let err = client_with_policy(&server, fast_policy()).customer_portal().subscriptions().get(SUB_ID).send().await;
    let err = err.expect_err("fails");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(200));
    match err {
        GetError::Decode(e) => {
            assert_eq!(e.status().as_u16(), 200);
            assert_eq!(e.excerpt(), TRUNCATED);
            assert_eq!(e.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/json"));
            assert!(std::error::Error::source(&e).is_some(), "the serde error is the source");
            assert!(e.to_string().contains("200"), "{e}");
        }
        other => panic!("expected Decode, got {other:?}"),
    }
    assert_eq!(received(&server).await.len(), 1, "a decode failure is not retried");
}

#[tokio::test]
async fn long_wrong_shaped_body_is_a_decode_error_with_a_512_char_excerpt() {
    let body = json!({ "items": "not a list", "padding": "x".repeat(2000) }).to_string();
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json"))
        .mount(&server)
        .await;
    match client(&server).customer_portal().subscriptions().list().send().await.err() {
        Some(ListError::Decode(e)) => {
            assert_eq!(e.excerpt().chars().count(), 512);
            assert!(body.starts_with(e.excerpt()));
        }
        other => panic!("expected Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn unknown_enum_values_fields_and_price_types_decode_and_reencode() {
    let mut served = subscription_value();
    served["status"] = json!("frozen");
    served["product"]["benefits"][0]["type"] = json!("webhook");
    let tiered = json!({
        "created_at": "2025-05-01T00:00:00Z",
        "modified_at": null,
        "id": "11111111-aaaa-4bbb-8ccc-0000000000ff",
        "source": "catalog",
        "amount_type": "tiered",
        "price_currency": "eur",
        "tax_behavior": null,
        "is_archived": false,
        "product_id": PRODUCT_ID.to_string(),
        "tiers": [{ "up_to": 1000, "unit_amount": "0.10" }, { "up_to": null, "unit_amount": "0.05" }]
    });
    served["prices"].as_array_mut().expect("prices").push(tiered.clone());
    // What the client should give back: the same document without the fields it does not know. A
    // field the server left out (`checkout_localization_enabled`, which has a declared default)
    // stays out.
    let expected = served.clone();
    served["loyalty_tier"] = json!("gold");
    served["product"]["brand_color"] = json!("#ff5500");
    served["prices"][0]["display_name"] = json!("Monthly (legacy)");
    served["pending_update"]["requested_by"] = json!({ "kind": "customer" });

    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(&served)).mount(&server).await;
    let sub = client(&server).customer_portal().subscriptions().get(SUB_ID).send().await.expect("decodes");

    assert_eq!(sub.status, SubscriptionStatus::Unknown("frozen".to_string()));
    assert_eq!(sub.status.as_str(), "frozen");
    assert_eq!(sub.product.benefits[0].r#type, BenefitType::Unknown("webhook".to_string()));
    match &sub.prices[0] {
        PricesItem::LegacyRecurringProductPrice(LegacyRecurringProductPrice::Fixed(p)) => {
            assert_eq!(p.price_amount, 2900)
        }
        other => panic!("an extra field must not change the variant, got {other:?}"),
    }
    match &sub.prices[4] {
        PricesItem::ProductPrice(ProductPrice::Unknown(value))
        | PricesItem::LegacyRecurringProductPrice(LegacyRecurringProductPrice::Unknown(value)) => {
            assert_eq!(value, &tiered)
        }
        other => panic!("an unknown amount_type should be kept as Unknown JSON, got {other:?}"),
    }

    let reencoded = serde_json::to_value(sub.body()).expect("encodes");
    assert_eq!(reencoded["status"], "frozen");
    assert_eq!(reencoded["prices"][4], tiered);
    assert_eq!(reencoded, expected, "unknown values are sent back unchanged, unknown fields are dropped");
}

#[tokio::test]
async fn unknown_sort_property_is_sent_unchanged() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_body(vec![], 0, 0)))
        .mount(&server)
        .await;
    let sorting = [CustomerSubscriptionSortProperty::from("-renewal_date"), CustomerSubscriptionSortProperty::Status];
    client(&server).customer_portal().subscriptions().list().sorting(sorting).send().await.expect("list");
    assert_eq!(received(&server).await[0].url.query(), Some("sorting=-renewal_date&sorting=status"));
}

// ---------------------------------------------------------------------------------------------
// pagination
// ---------------------------------------------------------------------------------------------

/// Serves the list endpoint: page `n` (default 1) holds `pages[n - 1]` item numbers (empty beyond),
/// announcing `max_page`; page `fail_on` answers 422.
async fn paged_server(pages: Vec<Vec<u128>>, max_page: i64, fail_on: Option<u64>) -> MockServer {
    let server = MockServer::start().await;
    let total: usize = pages.iter().map(Vec::len).sum();
    let responder = move |request: &wiremock::Request| {
        let page: u64 = query_value(request, "page").map_or(1, |p| p.parse().expect("numeric page"));
        if Some(page) == fail_on {
            return ResponseTemplate::new(422).set_body_json(json!({
                "detail": [{ "loc": ["query", "page"], "msg": "Page is out of range", "type": "value_error" }]
            }));
        }
        let numbers = usize::try_from(page - 1).ok().and_then(|i| pages.get(i)).cloned().unwrap_or_default();
        let items: Vec<Value> = numbers.into_iter().map(subscription_numbered).collect();
        ResponseTemplate::new(200).set_body_json(list_body(items, total as i64, max_page))
    };
    Mock::given(method("GET")).and(path(LIST_PATH)).respond_with(responder).mount(&server).await;
    server
}

fn filtered_list(client: &Client) -> polar_client::api::customer_portal::subscriptions::List {
    client
        .customer_portal()
        .subscriptions()
        .list()
        .product_id(vec![PRODUCT_ID, OTHER_PRODUCT_ID])
        .sorting([CustomerSubscriptionSortProperty::AmountDesc, CustomerSubscriptionSortProperty::StartedAt])
        .active(true)
        .limit(2)
}

/// The query pairs of a request without `page`.
fn filters_of(request: &wiremock::Request) -> Vec<(String, String)> {
    request.url.query_pairs().filter(|(k, _)| k != "page").map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn expected_filters() -> Vec<(String, String)> {
    [
        ("product_id", PRODUCT_ID.to_string()),
        ("product_id", OTHER_PRODUCT_ID.to_string()),
        ("active", "true".to_string()),
        ("limit", "2".to_string()),
        ("sorting", "-amount".to_string()),
        ("sorting", "started_at".to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

/// The page each request asked for (an absent `page` is the spec default, 1).
fn pages_requested(requests: &[wiremock::Request]) -> Vec<u64> {
    requests.iter().map(|r| query_value(r, "page").map_or(1, |p| p.parse().expect("numeric page"))).collect()
}

async fn collect_ids(
    stream: impl futures::Stream<Item = Result<CustomerSubscription, ListError>>,
) -> Vec<Result<uuid::Uuid, ListError>> {
    stream.map(|item| item.map(|sub| sub.id)).collect().await
}

#[tokio::test]
async fn stream_walks_three_pages_with_the_same_filters_and_stops_at_max_page() {
    // A fourth page exists on the server, but max_page says 3: it must not be fetched.
    let server = paged_server(vec![vec![1, 2], vec![3, 4], vec![5, 6], vec![7, 8]], 3, None).await;
    let ids = collect_ids(filtered_list(&client(&server)).stream()).await;
    let ids: Vec<uuid::Uuid> = ids.into_iter().map(|r| r.expect("no error")).collect();
    assert_eq!(ids, (1..=6).map(numbered_id).collect::<Vec<_>>());

    let requests = received(&server).await;
    assert_eq!(requests.len(), 3, "exactly one request per page");
    assert_eq!(pages_requested(&requests), vec![1, 2, 3]);
    for request in &requests {
        assert_eq!(request.url.path(), LIST_PATH);
        assert_eq!(filters_of(request), expected_filters(), "query: {:?}", request.url.query());
        assert_eq!(request.headers.get("authorization").and_then(|v| v.to_str().ok()), Some("Bearer tok_secret"));
    }
    assert_eq!(query_value(&requests[1], "page").as_deref(), Some("2"));
    assert_eq!(query_value(&requests[2], "page").as_deref(), Some("3"));
}

#[tokio::test]
async fn stream_from_an_explicit_page_keeps_going_from_there() {
    let server = paged_server(vec![vec![1, 2], vec![3, 4], vec![5, 6]], 3, None).await;
    let ids = collect_ids(filtered_list(&client(&server)).page(2).stream()).await;
    let ids: Vec<uuid::Uuid> = ids.into_iter().map(|r| r.expect("no error")).collect();
    assert_eq!(ids, (3..=6).map(numbered_id).collect::<Vec<_>>());
    let requests = received(&server).await;
    let pages: Vec<Option<String>> = requests.iter().map(|r| query_value(r, "page")).collect();
    assert_eq!(pages, vec![Some("2".to_string()), Some("3".to_string())]);
}

#[tokio::test]
async fn stream_stops_on_an_empty_page() {
    // max_page overstates: page 2 is empty, and page 3 must not be fetched.
    let server = paged_server(vec![vec![1, 2], vec![], vec![9, 10]], 10, None).await;
    let ids = collect_ids(filtered_list(&client(&server)).stream()).await;
    assert_eq!(ids.into_iter().map(|r| r.expect("no error")).collect::<Vec<_>>(), vec![numbered_id(1), numbered_id(2)]);
    assert_eq!(pages_requested(&received(&server).await), vec![1, 2]);
}

#[tokio::test]
async fn stream_trusts_max_page_over_a_short_page() {
    // This test used to enshrine "a page shorter than `limit` is the last", which loses data when a
    // server clamps the page size. A short page 2 with `max_page: 3` goes on to page 3.
    let server = paged_server(vec![vec![1, 2], vec![3], vec![9, 10]], 3, None).await;
    let ids = collect_ids(filtered_list(&client(&server)).stream()).await;
    let ids: Vec<uuid::Uuid> = ids.into_iter().map(|r| r.expect("no error")).collect();
    assert_eq!(ids, [1, 2, 3, 9, 10].into_iter().map(numbered_id).collect::<Vec<_>>());
    assert_eq!(pages_requested(&received(&server).await), vec![1, 2, 3]);
}

#[tokio::test]
async fn error_mid_stream_is_an_err_item_and_ends_the_stream() {
    let server = paged_server(vec![vec![1, 2], vec![3, 4], vec![5, 6]], 3, Some(2)).await;
    let mut stream = Box::pin(filtered_list(&client(&server)).stream());
    assert_eq!(stream.next().await.map(|r| r.map(|s| s.id).ok()), Some(Some(numbered_id(1))));
    assert_eq!(stream.next().await.map(|r| r.map(|s| s.id).ok()), Some(Some(numbered_id(2))));
    match stream.next().await {
        Some(Err(ListError::UnprocessableEntity(e))) => {
            assert_eq!(e.status().as_u16(), 422);
            let detail = e.body().detail.as_ref().expect("detail");
            assert_eq!(detail[0].msg, "Page is out of range");
        }
        other => panic!("expected an Err(UnprocessableEntity) item, got {other:?}"),
    }
    assert!(stream.next().await.is_none(), "the stream ends after the error");
    assert_eq!(pages_requested(&received(&server).await), vec![1, 2], "page 3 is never fetched");
}

#[tokio::test]
async fn next_page_walks_pages_with_the_same_filters() {
    let server = paged_server(vec![vec![1, 2], vec![3, 4], vec![5, 6]], 3, None).await;
    let first = filtered_list(&client(&server)).send().await.expect("page 1");
    assert_eq!(first.page_number(), 1);
    assert_eq!(first.items().iter().map(|s| s.id).collect::<Vec<_>>(), vec![numbered_id(1), numbered_id(2)]);
    assert!(first.has_next_page());

    let second = first.next_page().await.expect("page 2 request").expect("page 2 exists");
    assert_eq!(second.page_number(), 2);
    assert_eq!(second.status().as_u16(), 200);
    assert_eq!(second.items().iter().map(|s| s.id).collect::<Vec<_>>(), vec![numbered_id(3), numbered_id(4)]);

    let third = second.next_page().await.expect("page 3 request").expect("page 3 exists");
    assert_eq!(third.page_number(), 3);
    assert_eq!(third.body().pagination.max_page, 3);
    assert!(!third.has_next_page(), "page 3 is max_page");
    assert!(third.next_page().await.expect("no request").is_none());
    assert_eq!(third.into_items().len(), 2);

    let requests = received(&server).await;
    assert_eq!(pages_requested(&requests), vec![1, 2, 3], "next_page() after the last page sends nothing");
    for request in &requests {
        assert_eq!(filters_of(request), expected_filters());
    }
}

#[tokio::test]
async fn pagination_without_limit_follows_max_page_until_an_empty_page() {
    // 2-item pages under the default limit of 10 are not taken as the last; `max_page: 5` overstates,
    // and the empty page 3 ends the walk.
    let server = paged_server(vec![vec![1, 2], vec![3, 4]], 5, None).await;
    let ids = collect_ids(client(&server).customer_portal().subscriptions().list().stream()).await;
    assert_eq!(ids.len(), 4);
    let requests = received(&server).await;
    assert_eq!(pages_requested(&requests), vec![1, 2, 3]);
    assert_eq!(requests[0].url.query(), None);
}

#[tokio::test]
async fn cancel_504_after_retries_reports_the_last_response() {
    // A 504 on an idempotent DELETE is retried, then reported as Unexpected with the last response.
    let server = MockServer::start().await;
    let (responder, _) =
        sequence(vec![status(504).insert_header("x-attempt", "1"), status(504).insert_header("x-attempt", "last")]);
    Mock::given(any()).respond_with(responder).mount(&server).await;
    let err = client_with_policy(&server, fast_policy().max_attempts(2))
        .customer_portal()
        .subscriptions()
        .cancel(SUB_ID)
        .send()
        .await
        .expect_err("fails");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(504));
    assert_eq!(err.headers().and_then(|h| h.get("x-attempt")).and_then(|v| v.to_str().ok()), Some("last"));
    assert!(matches!(err, CancelError::Unexpected(_)), "{err:?}");
    assert_eq!(received(&server).await.len(), 2);
}
