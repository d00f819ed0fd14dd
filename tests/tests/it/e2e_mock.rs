//! The typed mock (feature `mock`), as a downstream test uses it: expectations by the client's own
//! paths, matched on typed parameters and bodies, answered with typed bodies and declared errors,
//! in turn; and what it says when an expectation is not met.

use crate::common::*;
use futures::StreamExt;
use polar_client::api::customer_portal::subscriptions::{ListFailure, UpdateError, UpdateFailure};
use polar_client::mock::MockServer;
use polar_client::types::{
    CustomerSubscription, CustomerSubscriptionUpdate, HttpValidationError, ListResourceCustomerSubscription,
    Pagination, ResourceNotFound,
};
use polar_client::RetryPolicy;
use std::time::Duration;

fn subscription(n: u128) -> CustomerSubscription {
    serde_json::from_value(subscription_numbered(n)).expect("a subscription")
}

fn page(numbers: std::ops::Range<u128>, total: i64, max_page: i64) -> ListResourceCustomerSubscription {
    ListResourceCustomerSubscription {
        items: numbers.map(subscription).collect(),
        pagination: Pagination { total_count: total, max_page },
    }
}

#[tokio::test]
async fn expectations_match_typed_parameters_and_answer_typed_pages() {
    let server = MockServer::start().await;
    let subscriptions = server.customer_portal().subscriptions();
    // The first page is asked without `page` (a request carries only what its caller set); the
    // expectation that asks more of a call is tried first.
    subscriptions.list().limit(2).respond(page(0..2, 3, 2)).times(1).mount().await;
    subscriptions.list().limit(2).page(2).respond(page(2..3, 3, 2)).times(1).mount().await;
    let ids: Vec<_> = server
        .client()
        .customer_portal()
        .subscriptions()
        .list()
        .limit(2)
        .stream()
        .map(|item| item.expect("an item").id)
        .collect()
        .await;
    assert_eq!(ids, [numbered_id(0), numbered_id(1), numbered_id(2)]);
    server.verify();
}

#[tokio::test]
async fn a_declared_error_is_answered_with_its_status_and_typed_body() {
    let server = MockServer::start().await;
    let missing = ResourceNotFound { error: Default::default(), detail: "No such subscription.".into() };
    let cancel = CustomerSubscriptionUpdate::cancel();
    server
        .customer_portal()
        .subscriptions()
        .update(SUB_ID, cancel.clone())
        .fail(UpdateFailure::NotFound(missing.clone()))
        .mount()
        .await;
    let error = server.client().customer_portal().subscriptions().update(SUB_ID, cancel).send().await.expect_err("404");
    let UpdateError::NotFound(response) = error else { panic!("the declared 404, not {error:?}") };
    assert_eq!(response.body(), &missing);
    server
        .customer_portal()
        .subscriptions()
        .list()
        .query("bad")
        .fail(ListFailure::UnprocessableEntity(HttpValidationError { detail: Some(Vec::new()) }))
        .mount()
        .await;
    let error = server.client().customer_portal().subscriptions().list().query("bad").send().await.expect_err("422");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(422));
}

#[tokio::test]
async fn answers_come_in_turn_so_a_retry_meets_the_second() {
    let server = MockServer::start().await;
    server
        .customer_portal()
        .subscriptions()
        .get(SUB_ID)
        .status(429, "slow down")
        .respond(subscription(7))
        .times(2)
        .mount()
        .await;
    let policy = RetryPolicy::default().initial_backoff(Duration::from_millis(5)).max_backoff(Duration::from_millis(5));
    let client = server.client_builder().retry_policy(policy).build().expect("a client");
    let got = client.customer_portal().subscriptions().get(SUB_ID).send().await.expect("the retry succeeds");
    assert_eq!(got.body().id, numbered_id(7));
}

#[tokio::test]
async fn a_body_that_differs_is_no_match_and_the_failure_says_what_was_seen() {
    let outcome = tokio::spawn(async {
        let server = MockServer::start().await;
        let subscriptions = server.customer_portal().subscriptions();
        subscriptions.update(SUB_ID, CustomerSubscriptionUpdate::seats(3)).respond(subscription(1)).mount().await;
        // Four seats, not three: no expectation matches, the call gets a 404.
        let client = server.client().clone();
        let error = client
            .customer_portal()
            .subscriptions()
            .update(SUB_ID, CustomerSubscriptionUpdate::seats(4))
            .send()
            .await
            .expect_err("no match");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
        // Dropping the server checks its expectations.
    })
    .await;
    let panic = outcome.expect_err("the unmet expectation fails the test").into_panic();
    let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
    let expected_call = format!(
        "- `customer_portal().subscriptions().update()` with path /v1/customer-portal/subscriptions/{SUB_ID}, the body {{\"seats\":3}}: expected a call, got 0"
    );
    assert!(message.contains(&expected_call), "{message}");
    let seen = format!("PATCH /v1/customer-portal/subscriptions/{SUB_ID} and the body {{\"seats\":4}}");
    assert!(
        message.contains(&format!("calls of `customer_portal:subscriptions:update` seen:\n    {seen}")),
        "{message}"
    );
    assert!(message.contains(&format!("- a call no expectation matched (answered 404): {seen}")), "{message}");
}

#[tokio::test]
async fn too_few_calls_fail_with_the_parameters_of_those_seen() {
    let outcome = tokio::spawn(async {
        let server = MockServer::start().await;
        server.customer_portal().subscriptions().list().page(2).respond(page(0..1, 1, 1)).times(2).mount().await;
        server.client().customer_portal().subscriptions().list().page(2).send().await.expect("one call");
    })
    .await;
    let panic = outcome.expect_err("one call of two fails the test").into_panic();
    let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(
        message.contains("- `customer_portal().subscriptions().list()` with path /v1/customer-portal/subscriptions/, page = 2: expected 2 call(s), got 1"),
        "{message}"
    );
    assert!(message.contains("GET /v1/customer-portal/subscriptions/ with page = 2"), "{message}");
}
