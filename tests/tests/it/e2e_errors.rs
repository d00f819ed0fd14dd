//! Errors as a production user meets them: a declared status whose body is not the declared one is
//! `Unexpected` (never `Decode`), every error says what the server said, every operation error has the
//! same accessors, and all of them convert into the crate's `Error`.

use crate::common::*;
use polar_client::api::customer_portal::subscriptions::{CancelError, GetError, ListError, UpdateError};
use polar_client::types::{CustomerSubscriptionUpdate, Response403CustomerPortalSubscriptionsUpdate};
use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn answering(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(template.insert_header("x-request-id", "req_42")).mount(&server).await;
    server
}

fn json(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

fn html(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw("<html><body><h1>403 Forbidden</h1>nginx</body></html>", "text/html")
}

fn not_permitted() -> Value {
    json!({ "error": "NotPermitted", "detail": "You are not permitted to cancel this subscription." })
}

#[tokio::test]
async fn cancel_403_with_another_polar_error_is_unexpected_with_status_headers_and_body() {
    let server = answering(json(403, not_permitted())).await;
    let err = no_retry_client(&server).customer_portal().subscriptions().cancel(SUB_ID).send().await.expect_err("403");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
    assert_eq!(err.headers().and_then(|h| h.get("x-request-id")).and_then(|v| v.to_str().ok()), Some("req_42"));
    assert_eq!(err.code(), Some("NotPermitted"));
    assert_eq!(err.message(), Some("You are not permitted to cancel this subscription."));
    assert!(err.body_text().is_some_and(|b| b.contains("NotPermitted")));
    assert_eq!(
        err.to_string(),
        "unexpected response 403 Forbidden: NotPermitted: You are not permitted to cancel this subscription."
    );
    match err {
        CancelError::Unexpected(e) => assert_eq!(e.body(), serde_json::to_vec(&not_permitted()).expect("json")),
        other => panic!("expected Unexpected, got {other:?}"),
    }
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn fastapi_not_found_for_an_unknown_route_is_unexpected() {
    let server = answering(json(404, json!({ "detail": "Not Found" }))).await;
    let err = no_retry_client(&server).customer_portal().subscriptions().get(SUB_ID).send().await.expect_err("404");
    assert!(matches!(err, GetError::Unexpected(_)), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!((err.code(), err.message()), (None, Some("Not Found")));
    assert_eq!(err.to_string(), "unexpected response 404 Not Found: Not Found");
}

#[tokio::test]
async fn a_proxy_html_page_on_every_declared_error_status_is_unexpected() {
    let body = || CustomerSubscriptionUpdate::seats(5);
    for status in [402, 403, 404, 409, 422] {
        let server = answering(html(status)).await;
        let client = no_retry_client(&server);
        let err = client.customer_portal().subscriptions().update(SUB_ID, body()).send().await.expect_err("fails");
        assert!(matches!(err, UpdateError::Unexpected(_)), "{status}: {err:?}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert!(err.body_text().is_some_and(|b| b.starts_with("<html>")), "{status}");
        assert!(err.to_string().contains("nginx"), "{status}: {err}");
    }
    for status in [403, 404, 422] {
        let server = answering(html(status)).await;
        let err = no_retry_client(&server).customer_portal().subscriptions().cancel(SUB_ID).send().await;
        assert!(matches!(err, Err(CancelError::Unexpected(_))), "{status}: {err:?}");
    }
    let server = answering(html(422)).await;
    let err = no_retry_client(&server).customer_portal().subscriptions().list().send().await;
    assert!(matches!(err, Err(ListError::Unexpected(_))), "{err:?}");
}

#[tokio::test]
async fn an_undeclared_member_of_a_declared_error_union_is_unexpected() {
    // Update's 403 declares `AlreadyCanceledSubscription | PauseResumeNotAllowed`; `NotPermitted` is neither.
    let server = answering(json(403, not_permitted())).await;
    let err = no_retry_client(&server)
        .customer_portal()
        .subscriptions()
        .update(SUB_ID, CustomerSubscriptionUpdate::resume())
        .send()
        .await
        .expect_err("403");
    assert!(matches!(err, UpdateError::Unexpected(_)), "{err:?}");
    assert_eq!(err.code(), Some("NotPermitted"));

    let declared = json!({ "error": "AlreadyCanceledSubscription", "detail": "Already canceled." });
    let server = answering(json(403, declared)).await;
    let err = no_retry_client(&server)
        .customer_portal()
        .subscriptions()
        .update(SUB_ID, CustomerSubscriptionUpdate::resume())
        .send()
        .await
        .expect_err("403");
    match &err {
        UpdateError::Forbidden(e) => {
            assert!(matches!(e.body(), Response403CustomerPortalSubscriptionsUpdate::AlreadyCanceledSubscription(_)))
        }
        other => panic!("expected Forbidden, got {other:?}"),
    }
}

#[tokio::test]
async fn a_declared_error_displays_the_servers_words() {
    let body = json!({ "error": "AlreadyCanceledSubscription", "detail": "This subscription is already canceled." });
    let server = answering(json(403, body)).await;
    let err = no_retry_client(&server).customer_portal().subscriptions().cancel(SUB_ID).send().await.expect_err("403");
    assert_eq!(
        err.to_string(),
        "server returned 403 Forbidden: AlreadyCanceledSubscription: This subscription is already canceled."
    );
    assert_eq!(err.code(), Some("AlreadyCanceledSubscription"));
    assert_eq!(err.message(), Some("This subscription is already canceled."));
    assert!(!err.is_retryable());
    assert_eq!(err.attempts(), Some(1));
    assert!(std::error::Error::source(&err).is_none(), "a declared error response has no cause");
    let CancelError::Forbidden(e) = err else { panic!("expected Forbidden") };
    assert_eq!(e.body().detail, "This subscription is already canceled.");

    let validation = json!({ "detail": [{ "loc": ["body", "seats"], "msg": "Input should be greater than 0", "type": "greater_than" }] });
    let server = answering(json(422, validation)).await;
    let err = no_retry_client(&server)
        .customer_portal()
        .subscriptions()
        .update(SUB_ID, CustomerSubscriptionUpdate::seats(0))
        .send()
        .await
        .expect_err("422");
    assert!(matches!(err, UpdateError::UnprocessableEntity(_)), "{err:?}");
    assert_eq!(err.to_string(), "server returned 422 Unprocessable Entity: body.seats: Input should be greater than 0");
}

#[tokio::test]
async fn is_retryable_tells_transient_failures_from_final_ones() {
    let server = answering(json(503, json!({ "detail": "maintenance" }))).await;
    let err = no_retry_client(&server).customer_portal().subscriptions().get(SUB_ID).send().await.expect_err("503");
    assert!(err.is_retryable(), "{err:?}");
    let server = answering(json(404, json!({ "error": "ResourceNotFound", "detail": "Not found" }))).await;
    let err = no_retry_client(&server).customer_portal().subscriptions().get(SUB_ID).send().await.expect_err("404");
    assert!(matches!(err, GetError::NotFound(_)) && !err.is_retryable(), "{err:?}");
    // Bind, note the port, close it: connecting is then refused.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let url = format!("http://{}", listener.local_addr().expect("has an address"));
    drop(listener);
    let refused = polar_client::Client::builder()
        .base_url(url)
        .customer_session(TOKEN)
        .retry_policy(polar_client::RetryPolicy::none())
        .build()
        .expect("builds");
    let err = refused.customer_portal().subscriptions().get(SUB_ID).send().await.expect_err("refused");
    assert!(matches!(err, GetError::Transport(_)) && err.is_retryable() && err.status().is_none(), "{err:?}");
    // A standard variant is the error it holds: the same words and the same source (reqwest's).
    let GetError::Transport(transport) = &err else { unreachable!() };
    assert_eq!(err.to_string(), transport.to_string());
    let source = std::error::Error::source(&err).expect("the transport failure's cause").to_string();
    assert_eq!(source, std::error::Error::source(transport).expect("a cause").to_string());
    let crate_error = polar_client::Error::from(err);
    assert_eq!(
        std::error::Error::source(&crate_error).map(ToString::to_string),
        Some(source),
        "the crate's Error passes it on too"
    );
    let err = client(&server).customer_portal().subscriptions().list().limit(0).send().await.expect_err("invalid");
    assert!(matches!(err, ListError::InvalidRequest(_)) && !err.is_retryable(), "{err:?}");
}

/// Two operations with different error types, one `?` each.
async fn cancel_then_get(client: &polar_client::Client) -> Result<(), polar_client::Error> {
    client.customer_portal().subscriptions().cancel(SUB_ID).send().await?;
    client.customer_portal().subscriptions().get(SUB_ID).send().await?;
    Ok(())
}

#[tokio::test]
async fn every_operation_error_converts_into_the_crate_error_with_its_details() {
    let body = json!({ "error": "AlreadyCanceledSubscription", "detail": "Already canceled." });
    let server = answering(json(403, body)).await;
    let err = cancel_then_get(&no_retry_client(&server)).await.expect_err("the cancel fails");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
    assert_eq!(err.code(), Some("AlreadyCanceledSubscription"));
    assert_eq!(err.to_string(), "server returned 403 Forbidden: AlreadyCanceledSubscription: Already canceled.");
    match &err {
        polar_client::Error::Cancel(CancelError::Forbidden(e)) => assert_eq!(e.body().detail, "Already canceled."),
        other => panic!("the typed details are kept, got {other:?}"),
    }
    assert_eq!(received(&server).await.len(), 1, "the get never runs");

    let built = polar_client::Client::builder().base_url("ftp://nope").build().map_err(polar_client::Error::from);
    assert!(matches!(built, Err(polar_client::Error::Build(_))));
}
