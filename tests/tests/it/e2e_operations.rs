//! End-to-end tests of every operation of the generated `polar-client` against a wiremock server on
//! loopback: method, path, query encoding, credentials, request bodies, response decoding and every
//! declared (and an undeclared) error status.

use crate::common::*;
use chrono::{TimeZone, Utc};
use polar_client::api::customer_portal::subscriptions::{CancelError, GetError, ListError, UpdateError};
use polar_client::types::*;
use polar_client::{Client, Nullable};
use serde_json::{json, Value};
use uuid::Uuid;
use wiremock::matchers::{bearer_token, body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).single().expect("valid date")
}

fn json_response(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body).insert_header("x-request-id", "req_0123456789")
}

/// The query pairs of a received request, decoded, in order.
fn query_pairs(request: &wiremock::Request) -> Vec<(String, String)> {
    request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn header_str<'a>(request: &'a wiremock::Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

// ---------------------------------------------------------------------------------------------
// list
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn list_sends_get_with_every_filter_encoded_and_the_bearer_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .and(query_param("product_id", PRODUCT_ID.to_string()))
        .and(query_param("product_id", OTHER_PRODUCT_ID.to_string()))
        .and(query_param("sorting", "-started_at"))
        .and(query_param("sorting", "amount"))
        .and(query_param("page", "2"))
        .and(query_param("limit", "25"))
        .and(query_param("active", "true"))
        .and(query_param("query", "acme pro & co"))
        .and(bearer_token(TOKEN))
        .and(header("user-agent", "polar-client/0.1.0 (API 2026-04)"))
        .respond_with(json_response(200, &list_body(vec![subscription_value()], 11, 3)))
        .expect(1)
        .mount(&server)
        .await;

    let page = client(&server)
        .customer_portal()
        .subscriptions()
        .list()
        .product_id(vec![PRODUCT_ID, OTHER_PRODUCT_ID])
        .sorting([CustomerSubscriptionSortProperty::StartedAtDesc, CustomerSubscriptionSortProperty::Amount])
        .page(2)
        .limit(25)
        .active(true)
        .query("acme pro & co")
        .send()
        .await
        .expect("list succeeds");

    assert_eq!(page.status().as_u16(), 200);
    assert_eq!(page.page_number(), 2);
    assert_eq!(page.items().len(), 1);
    assert_eq!(page.items()[0].id, SUB_ID);
    assert_eq!(page.body().pagination, Pagination { total_count: 11, max_page: 3 });
    assert_eq!(page.headers().get("x-request-id").and_then(|v| v.to_str().ok()), Some("req_0123456789"));

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(request.url.path(), LIST_PATH);
    assert_eq!(
        request.url.query(),
        Some(
            format!(
                "product_id={PRODUCT_ID}&product_id={OTHER_PRODUCT_ID}&active=true&query=acme%20pro%20%26%20co\
                 &page=2&limit=25&sorting=-started_at&sorting=amount"
            )
            .as_str()
        )
    );
    assert_eq!(header_str(request, "authorization"), Some("Bearer tok_secret"));
    assert!(request.body.is_empty(), "a GET has no body");
}

#[tokio::test]
async fn list_with_one_product_id_sends_a_single_pair() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .and(query_param("product_id", PRODUCT_ID.to_string()))
        .respond_with(json_response(200, &list_body(vec![], 0, 0)))
        .expect(1)
        .mount(&server)
        .await;

    let page = client(&server).customer_portal().subscriptions().list().product_id(PRODUCT_ID).send().await;
    let page = page.expect("list succeeds");
    assert!(page.items().is_empty());
    assert!(!page.has_next_page());

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].url.query(), Some(format!("product_id={PRODUCT_ID}").as_str()));
    assert_eq!(query_pairs(&requests[0]), vec![("product_id".to_string(), PRODUCT_ID.to_string())]);
}

#[tokio::test]
async fn list_with_a_one_element_id_list_and_one_sort_key() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .respond_with(json_response(200, &list_body(vec![], 0, 0)))
        .mount(&server)
        .await;

    client(&server)
        .customer_portal()
        .subscriptions()
        .list()
        .product_id(vec![OTHER_PRODUCT_ID])
        .sorting([CustomerSubscriptionSortProperty::ProductDesc])
        .active(false)
        .send()
        .await
        .expect("list succeeds");

    let requests = received(&server).await;
    assert_eq!(
        requests[0].url.query(),
        Some(format!("product_id={OTHER_PRODUCT_ID}&active=false&sorting=-product").as_str())
    );
}

#[tokio::test]
async fn list_without_filters_sends_no_query_string() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .and(bearer_token(TOKEN))
        .respond_with(json_response(200, &list_body(vec![subscription_value()], 1, 1)))
        .expect(1)
        .mount(&server)
        .await;

    let page = client(&server).customer_portal().subscriptions().list().send().await.expect("list succeeds");
    assert_eq!(page.page_number(), 1, "the spec default page");
    assert_eq!(page.items().len(), 1);
    let requests = received(&server).await;
    assert_eq!(requests[0].url.query(), None);
    assert_eq!(requests[0].url.path(), LIST_PATH);
}

// ---------------------------------------------------------------------------------------------
// get: path, auth and full decoding of a realistic subscription
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_sends_get_to_the_id_path_and_decodes_a_full_subscription() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(item_path(SUB_ID)))
        .and(bearer_token(TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_raw(SUBSCRIPTION_JSON, "application/json"))
        .expect(1)
        .mount(&server)
        .await;

    let response = client(&server).customer_portal().subscriptions().get(SUB_ID).send().await.expect("get succeeds");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/json"));

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method.as_str(), "GET");
    assert_eq!(requests[0].url.path(), "/v1/customer-portal/subscriptions/7f5c3a1e-2b4d-4e6f-8a9b-0c1d2e3f4a5b");
    assert_eq!(requests[0].url.query(), None);
    assert_eq!(header_str(&requests[0], "authorization"), Some("Bearer tok_secret"));
    assert!(requests[0].body.is_empty());

    let sub: &CustomerSubscription = &response;
    // Scalars, enums and timestamps.
    assert_eq!(sub.id, SUB_ID);
    assert_eq!(sub.amount, 2900);
    assert_eq!(sub.currency, "usd");
    assert_eq!(sub.recurring_interval, RecurringInterval::Month);
    assert_eq!(sub.recurring_interval_count, 1);
    assert_eq!(sub.status, SubscriptionStatus::Active);
    assert_eq!(sub.created_at, utc(2025, 1, 15, 10, 30, 0));
    assert_eq!(
        sub.modified_at,
        Some(utc(2025, 6, 1, 8, 0, 5) + chrono::Duration::microseconds(123_456)),
        "fractional seconds are kept"
    );
    assert_eq!(sub.current_period_end, utc(2025, 7, 15, 10, 30, 0));
    assert_eq!(sub.started_at, Some(utc(2025, 1, 15, 10, 30, 0)));
    assert_eq!(sub.trial_start, None);
    assert_eq!(sub.canceled_at, None);
    assert!(!sub.cancel_at_period_end);
    assert!(!sub.pause_at_period_end);
    assert_eq!(sub.past_due_at, Nullable::Null, "explicit null is Null, not Absent");
    assert_eq!(sub.seats, Nullable::Value(5));
    assert_eq!(sub.customer_id, Uuid::from_u128(0xc0ffee00_1234_4abc_9def_0123456789ab));
    assert_eq!(sub.product_id, PRODUCT_ID);
    assert_eq!(sub.discount_id, None);
    assert_eq!(sub.checkout_id, Some(Uuid::from_u128(0x9e8d7c6b_5a4f_4e3d_2c1b_0a9f8e7d6c5b)));
    assert_eq!(sub.customer_cancellation_reason, None);

    // Product, benefits, medias, organization.
    let product = &sub.product;
    assert_eq!(product.id, PRODUCT_ID);
    assert_eq!(product.name, "Pro Team");
    assert_eq!(product.visibility, ProductVisibility::Public);
    assert_eq!(product.trial_interval, Some(TrialInterval::Week));
    assert_eq!(product.trial_interval_count, Some(2));
    assert_eq!(product.recurring_interval, Some(RecurringInterval::Month));
    assert_eq!(product.meter_interval, None);
    assert!(product.is_recurring && !product.is_archived);
    assert_eq!(product.benefits.len(), 2);
    assert_eq!(product.benefits[0].r#type, BenefitType::Discord);
    assert_eq!(product.benefits[1].r#type, BenefitType::LicenseKeys);
    assert_eq!(product.benefits[1].modified_at, Some(utc(2025, 2, 10, 16, 45, 0)));
    assert!(!product.benefits[1].deletable);
    assert_eq!(product.medias.len(), 1);
    let media = &product.medias[0];
    assert_eq!(media.mime_type, "image/png");
    assert_eq!(media.size, 482_133);
    assert_eq!(media.size_readable, "470.8 KB");
    assert_eq!(media.checksum_etag.as_deref(), Some("\"5d41402abc4b2a76b9719d911017c592\""));
    assert_eq!(media.storage_version, None);
    assert_eq!(media.service, polar_client::consts::ProductMedia);
    let org = &product.organization;
    assert_eq!(org.slug, "acme");
    assert_eq!(org.proration_behavior, SubscriptionProrationBehavior::Prorate);
    assert!(org.allow_customer_updates);
    assert_eq!(org.customer_portal_settings.subscription.pause, Some(true));
    assert!(!org.customer_portal_settings.subscription.update_plan);
    assert_eq!(
        org.customer_portal_settings.customer,
        Some(CustomerPortalCustomerSettings { allow_email_change: Some(false) })
    );
    // The fixture leaves `checkout_localization_enabled` out: the field says so, and its accessor
    // reads the declared default.
    let features = org.organization_features.as_ref().expect("organization_features");
    assert_eq!(
        features,
        &CustomerOrganizationFeatureSettings { member_model_enabled: Some(true), checkout_localization_enabled: None }
    );
    assert!(features.member_model_enabled() && !features.checkout_localization_enabled());

    // Product prices: legacy fixed, current fixed, legacy custom.
    assert_eq!(product.prices.len(), 3);
    match &product.prices[0] {
        PricesItem::LegacyRecurringProductPrice(LegacyRecurringProductPrice::Fixed(p)) => {
            assert_eq!(p.price_amount, 2900);
            assert_eq!(p.recurring_interval, RecurringInterval::Month);
        }
        other => panic!("product price 0 should be a legacy fixed price, got {other:?}"),
    }
    match &product.prices[1] {
        PricesItem::ProductPrice(ProductPrice::Fixed(p)) => {
            assert_eq!(p.price_amount, 3500);
            assert_eq!(p.tax_behavior, Some(TaxBehaviorOption::Exclusive));
        }
        other => panic!("product price 1 should be a current fixed price, got {other:?}"),
    }
    match &product.prices[2] {
        PricesItem::LegacyRecurringProductPrice(LegacyRecurringProductPrice::Custom(p)) => {
            assert_eq!(p.minimum_amount, 1000);
            assert_eq!(p.maximum_amount, None);
            assert_eq!(p.recurring_interval, RecurringInterval::Year);
            assert!(p.is_archived);
        }
        other => panic!("product price 2 should be a legacy custom price, got {other:?}"),
    }

    // Subscription prices: legacy recurring fixed and current custom (metered and seat-based: see the
    // ignored `metered_and_seat_based_prices_decode_as_product_prices`).
    assert_eq!(sub.prices.len(), 4);
    match &sub.prices[0] {
        PricesItem::LegacyRecurringProductPrice(LegacyRecurringProductPrice::Fixed(p)) => {
            assert_eq!(p.id, Uuid::from_u128(0x11111111_aaaa_4bbb_8ccc_000000000001));
            assert_eq!(p.price_amount, 2900);
            assert_eq!(p.source, ProductPriceSource::Catalog);
            assert_eq!(p.tax_behavior, None);
            assert_eq!(p.legacy, polar_client::consts::True);
            assert_eq!(p.r#type, polar_client::consts::Recurring);
        }
        other => panic!("price 0 should be LegacyRecurringProductPrice::Fixed, got {other:?}"),
    }
    match &sub.prices[1] {
        PricesItem::ProductPrice(ProductPrice::Custom(p)) => {
            assert_eq!(p.source, ProductPriceSource::AdHoc);
            assert_eq!(p.minimum_amount, 500);
            assert_eq!(p.maximum_amount, Some(100_000));
            assert_eq!(p.preset_amount, Some(2000));
            assert_eq!(p.tax_behavior, Some(TaxBehaviorOption::Inclusive));
        }
        other => panic!("price 1 should be ProductPrice::Custom, got {other:?}"),
    }

    // Meters and the pending update.
    assert_eq!(sub.meters.len(), 1);
    let meter = &sub.meters[0];
    assert_eq!(meter.consumed_units, 1234.5);
    assert_eq!(meter.credited_units, 100);
    assert_eq!(meter.amount, 284);
    assert_eq!(meter.meter.name, "API calls");
    assert_eq!(meter.meter_id, meter.meter.id);
    let pending = sub.pending_update.as_ref().expect("a pending update");
    assert_eq!(pending.applies_at, utc(2025, 7, 15, 10, 30, 0));
    assert_eq!(pending.product_id, None);
    assert_eq!(pending.seats, Some(8));

    // Re-encoding gives back the server's JSON: no field lost or renamed, and none added (the one
    // field with a declared default that the server left out stays out).
    assert_eq!(serde_json::to_value(sub).expect("encodes"), subscription_value());
}

/// The metered and seat-based prices of the fixture, decoded and checked field by field.
#[tokio::test]
async fn metered_and_seat_based_prices_decode_as_product_prices() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(item_path(SUB_ID)))
        .respond_with(ResponseTemplate::new(200).set_body_raw(SUBSCRIPTION_JSON, "application/json"))
        .mount(&server)
        .await;
    let sub = client(&server).customer_portal().subscriptions().get(SUB_ID).send().await.expect("get succeeds");

    match &sub.prices[2] {
        PricesItem::ProductPrice(ProductPrice::MeteredUnit(p)) => {
            assert_eq!(p.unit_amount, "0.25");
            assert_eq!(p.cap_amount, Some(50_000));
            assert_eq!(p.tax_behavior, Some(TaxBehaviorOption::Location));
            assert_eq!(p.meter_id, Uuid::from_u128(0x44444444_dddd_4eee_8fff_000000000001));
            assert_eq!(p.meter.name, "API calls");
            assert_eq!(p.meter.unit, MeterUnit::Custom);
            assert_eq!(p.meter.custom_label.as_deref(), Some("request"));
            assert_eq!(p.meter.custom_multiplier, Some(1000));
        }
        other => panic!("price 2 should be ProductPrice::MeteredUnit, got {other:?}"),
    }
    match &sub.prices[3] {
        PricesItem::ProductPrice(ProductPrice::SeatBased(p)) => {
            let tiers = &p.seat_tiers;
            assert_eq!(tiers.seat_tier_type, Some(SeatTierType::Graduated));
            assert_eq!(tiers.seat_tier_type(), SeatTierType::Graduated);
            assert_eq!(tiers.minimum_seats, 1);
            assert_eq!(tiers.maximum_seats, None);
            assert_eq!(
                tiers.tiers,
                vec![
                    ProductPriceSeatTier { min_seats: 1, max_seats: Nullable::Value(10), price_per_seat: 1000 },
                    ProductPriceSeatTier { min_seats: 11, max_seats: Nullable::Null, price_per_seat: 800 },
                ]
            );
        }
        other => panic!("price 3 should be ProductPrice::SeatBased, got {other:?}"),
    }

    // A price with an unknown amount_type and no `legacy` marker is a (future) ProductPrice.
    let mut tiered = subscription_value()["prices"][1].clone();
    tiered["amount_type"] = json!("tiered");
    let decoded: PricesItem = serde_json::from_value(tiered.clone()).expect("decodes");
    assert_eq!(decoded, PricesItem::ProductPrice(ProductPrice::Unknown(tiered)));
}

// ---------------------------------------------------------------------------------------------
// update: one test per body variant
// ---------------------------------------------------------------------------------------------

/// Sends `update` for [`SUB_ID`] to a server that only answers the expected PATCH (method, path,
/// bearer, content type and JSON body), then checks what reached the server. Returns the raw body.
async fn assert_update_body(update: impl Into<CustomerSubscriptionUpdate>, expected: Value) -> Vec<u8> {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(item_path(SUB_ID)))
        .and(bearer_token(TOKEN))
        .and(header("content-type", "application/json"))
        .and(body_json(&expected))
        .respond_with(ResponseTemplate::new(200).set_body_raw(SUBSCRIPTION_JSON, "application/json"))
        .expect(1)
        .mount(&server)
        .await;

    let update: CustomerSubscriptionUpdate = update.into();
    let response = client(&server).customer_portal().subscriptions().update(SUB_ID, update.clone()).send().await;
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1, "exactly one request");
    let request = &requests[0];
    let sent: Value = serde_json::from_slice(&request.body).expect("the body is JSON");
    assert_eq!(sent, expected, "body sent: {}", String::from_utf8_lossy(&request.body));
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(request.url.path(), item_path(SUB_ID));
    assert_eq!(request.url.query(), None);
    assert_eq!(header_str(request, "authorization"), Some("Bearer tok_secret"));
    assert_eq!(header_str(request, "content-type"), Some("application/json"));
    let response = response.expect("update succeeds");
    assert_eq!(response.id, SUB_ID);
    // The anyOf decoder picks the same member back (members are told apart by deny_unknown_fields).
    let decoded: CustomerSubscriptionUpdate = serde_json::from_value(sent).expect("the body decodes back");
    assert_eq!(decoded, update, "round trip of the body");
    request.body.clone()
}

#[tokio::test]
async fn update_product_sends_only_the_product_id() {
    let update = CustomerSubscriptionUpdateProduct { product_id: OTHER_PRODUCT_ID };
    assert_update_body(update, json!({ "product_id": OTHER_PRODUCT_ID.to_string() })).await;
}

#[tokio::test]
async fn update_seats_sends_only_the_seats() {
    assert_update_body(CustomerSubscriptionUpdateSeats { seats: 12 }, json!({ "seats": 12 })).await;
}

#[tokio::test]
async fn update_cancel_with_every_field_absent_sends_an_empty_object() {
    let raw = assert_update_body(CustomerSubscriptionCancel::default(), json!({})).await;
    assert_eq!(raw, b"{}");
}

#[tokio::test]
async fn update_cancel_distinguishes_absent_null_and_value() {
    let cancel = CustomerSubscriptionCancel {
        cancel_at_period_end: Nullable::Value(true),
        cancellation_reason: Nullable::Null,
        cancellation_comment: Nullable::Absent,
    };
    assert_update_body(cancel, json!({ "cancel_at_period_end": true, "cancellation_reason": null })).await;

    let uncancel = CustomerSubscriptionCancel {
        cancel_at_period_end: false.into(),
        cancellation_reason: Nullable::Absent,
        cancellation_comment: None.into(),
    };
    assert_update_body(uncancel, json!({ "cancel_at_period_end": false, "cancellation_comment": null })).await;
}

#[tokio::test]
async fn update_cancel_with_every_field_set() {
    let cancel = CustomerSubscriptionCancel {
        cancel_at_period_end: Nullable::Value(true),
        cancellation_reason: Nullable::Value(CustomerCancellationReason::TooExpensive),
        cancellation_comment: Nullable::Value("Too pricey for a team of three".to_string()),
    };
    let expected = json!({
        "cancel_at_period_end": true,
        "cancellation_reason": "too_expensive",
        "cancellation_comment": "Too pricey for a team of three",
    });
    assert_update_body(cancel, expected).await;
}

#[tokio::test]
async fn update_pause_distinguishes_absent_null_and_value_resumes_at() {
    let absent = CustomerSubscriptionPause { pause_at_period_end: true, resumes_at: Nullable::Absent };
    assert_update_body(absent, json!({ "pause_at_period_end": true })).await;

    let null = CustomerSubscriptionPause { pause_at_period_end: true, resumes_at: Nullable::Null };
    assert_update_body(null, json!({ "pause_at_period_end": true, "resumes_at": null })).await;

    let value = CustomerSubscriptionPause { pause_at_period_end: false, resumes_at: utc(2025, 8, 1, 0, 0, 0).into() };
    assert_update_body(value, json!({ "pause_at_period_end": false, "resumes_at": "2025-08-01T00:00:00Z" })).await;
}

#[tokio::test]
async fn update_resume_sends_exactly_resume_true() {
    let raw = assert_update_body(CustomerSubscriptionResume::default(), json!({ "resume": true })).await;
    assert_eq!(String::from_utf8_lossy(&raw), r#"{"resume":true}"#);
}

#[tokio::test]
async fn update_clear_sends_exactly_pending_update_null() {
    let raw = assert_update_body(CustomerSubscriptionUpdateClear::default(), json!({ "pending_update": null })).await;
    assert_eq!(String::from_utf8_lossy(&raw), r#"{"pending_update":null}"#);
}

// ---------------------------------------------------------------------------------------------
// cancel
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn cancel_sends_delete_to_the_id_path_without_body() {
    let server = MockServer::start().await;
    let mut canceled = subscription_value();
    canceled["cancel_at_period_end"] = json!(true);
    canceled["canceled_at"] = json!("2025-06-21T09:15:00Z");
    canceled["ends_at"] = json!("2025-07-15T10:30:00Z");
    canceled["customer_cancellation_reason"] = json!("unused");
    canceled["customer_cancellation_comment"] = json!("We moved to another tool");
    Mock::given(method("DELETE"))
        .and(path(item_path(SUB_ID)))
        .and(bearer_token(TOKEN))
        .respond_with(json_response(200, &canceled))
        .expect(1)
        .mount(&server)
        .await;

    let sub = client(&server).customer_portal().subscriptions().cancel(SUB_ID).send().await.expect("cancel succeeds");
    assert!(sub.cancel_at_period_end);
    assert_eq!(sub.canceled_at, Some(utc(2025, 6, 21, 9, 15, 0)));
    assert_eq!(sub.ends_at, Some(utc(2025, 7, 15, 10, 30, 0)));
    assert_eq!(sub.customer_cancellation_reason, Some(CustomerCancellationReason::Unused));
    assert_eq!(sub.customer_cancellation_comment.as_deref(), Some("We moved to another tool"));

    let requests = received(&server).await;
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].method.as_str(), "DELETE");
    assert_eq!(requests[0].url.path(), item_path(SUB_ID));
    assert_eq!(requests[0].url.query(), None);
    assert_eq!(header_str(&requests[0], "authorization"), Some("Bearer tok_secret"));
    assert!(requests[0].body.is_empty(), "DELETE sends no body");
    assert_eq!(header_str(&requests[0], "content-type"), None);
}

// ---------------------------------------------------------------------------------------------
// credentials
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn member_session_token_is_sent_as_bearer_on_every_operation() {
    let server = MockServer::start().await;
    Mock::given(bearer_token("tok_member"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(SUBSCRIPTION_JSON, "application/json"))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(LIST_PATH))
        .and(bearer_token("tok_member"))
        .respond_with(json_response(200, &list_body(vec![], 0, 0)))
        .with_priority(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).member_session("tok_member").build().expect("builds");
    let portal = client.customer_portal();
    let subs = portal.subscriptions();

    subs.list().send().await.expect("list");
    subs.get(SUB_ID).send().await.expect("get");
    subs.update(SUB_ID, CustomerSubscriptionResume::default()).send().await.expect("update");
    subs.cancel(SUB_ID).send().await.expect("cancel");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 4);
    for request in &requests {
        assert_eq!(
            header_str(request, "authorization"),
            Some("Bearer tok_member"),
            "{} {}",
            request.method,
            request.url
        );
    }
}

#[tokio::test]
async fn customer_session_wins_when_both_sessions_are_configured() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(SUBSCRIPTION_JSON, "application/json"))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .member_session("tok_member")
        .customer_session(TOKEN)
        .build()
        .expect("builds");
    client.customer_portal().subscriptions().get(SUB_ID).send().await.expect("get");
    let requests = received(&server).await;
    assert_eq!(header_str(&requests[0], "authorization"), Some("Bearer tok_secret"));
    assert_eq!(requests[0].headers.get_all("authorization").iter().count(), 1);
}

#[tokio::test]
async fn without_credentials_nothing_is_sent() {
    let server = MockServer::start().await;
    let client = Client::builder().base_url(server.uri()).build().expect("builds");
    match client.customer_portal().subscriptions().get(SUB_ID).send().await {
        Err(GetError::InvalidRequest(e)) => {
            assert!(e.message().contains("customer_session"), "{}", e.message());
            assert!(e.message().contains("member_session"), "{}", e.message());
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn debug_output_never_contains_the_token() {
    let server = MockServer::start().await;
    let client = client(&server);
    let client_debug = format!("{client:?}");
    assert!(!client_debug.contains(TOKEN), "{client_debug}");
    assert!(client_debug.contains(&server.uri()), "the base URL is shown: {client_debug}");
    let builder_debug = format!("{:?}", Client::builder().customer_session(TOKEN).member_session("tok_member"));
    assert!(!builder_debug.contains(TOKEN) && !builder_debug.contains("tok_member"), "{builder_debug}");
    let request_debug = format!("{:?}", client.customer_portal().subscriptions().list().query("x"));
    assert!(!request_debug.contains(TOKEN), "{request_debug}");
}

// ---------------------------------------------------------------------------------------------
// declared error statuses
// ---------------------------------------------------------------------------------------------

fn validation_body(loc: Value, msg: &str) -> Value {
    json!({
        "detail": [{
            "loc": loc,
            "msg": msg,
            "type": "greater_than",
            "input": "0",
            "ctx": { "gt": 0 }
        }]
    })
}

fn assert_validation(body: &HttpValidationError, loc: Vec<LocationItem>, msg: &str) {
    let detail = body.detail.as_ref().expect("detail");
    assert_eq!(detail.len(), 1);
    assert_eq!(detail[0].loc, loc);
    assert_eq!(detail[0].msg, msg);
    assert_eq!(detail[0].r#type, "greater_than");
    assert_eq!(detail[0].input, Some(json!("0")));
    assert_eq!(detail[0].ctx.as_ref().and_then(|c| c.get("gt")), Some(&json!(0)));
}

fn not_found_body() -> Value {
    json!({ "error": "ResourceNotFound", "detail": "Not found" })
}

/// A mock answering every request on `server` with `status` and `body`.
async fn answer(server: &MockServer, status: u16, body: Value) {
    Mock::given(wiremock::matchers::any()).respond_with(json_response(status, &body)).mount(server).await;
}

#[tokio::test]
async fn list_422_is_unprocessable_entity() {
    let server = MockServer::start().await;
    // `limit(0)` never leaves the client (the document says `exclusiveMinimum: 0`); 101 does.
    let message = "Input should be less than or equal to 100";
    answer(&server, 422, validation_body(json!(["query", "limit", 0]), message)).await;
    let err = no_retry_client(&server).customer_portal().subscriptions().list().limit(101).send().await;
    let err = err.expect_err("an error");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
    assert_eq!(err.headers().and_then(|h| h.get("x-request-id")).and_then(|v| v.to_str().ok()), Some("req_0123456789"));
    assert!(err.to_string().contains("422"), "{err}");
    match err {
        ListError::UnprocessableEntity(e) => {
            assert_eq!(e.status().as_u16(), 422);
            assert_validation(
                e.body(),
                vec![
                    LocationItem::String("query".into()),
                    LocationItem::String("limit".into()),
                    LocationItem::Integer(0),
                ],
                message,
            );
        }
        other => panic!("expected UnprocessableEntity, got {other:?}"),
    }
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn get_404_is_not_found() {
    let server = MockServer::start().await;
    answer(&server, 404, not_found_body()).await;
    let err = no_retry_client(&server).customer_portal().subscriptions().get(SUB_ID).send().await.err();
    let err = err.expect("an error");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert!(err.headers().is_some_and(|h| h.contains_key("x-request-id")));
    match err {
        GetError::NotFound(e) => {
            assert_eq!(e.status().as_u16(), 404);
            assert_eq!(e.body().detail, "Not found");
            assert_eq!(e.body().error, polar_client::consts::ResourceNotFound);
            assert_eq!(e.headers().get("x-request-id").and_then(|v| v.to_str().ok()), Some("req_0123456789"));
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[tokio::test]
async fn get_422_is_unprocessable_entity() {
    let server = MockServer::start().await;
    answer(&server, 422, validation_body(json!(["path", "id"]), "Input should be a valid UUID")).await;
    let err = no_retry_client(&server).customer_portal().subscriptions().get(SUB_ID).send().await.err();
    match err {
        Some(GetError::UnprocessableEntity(e)) => {
            assert_eq!(e.status().as_u16(), 422);
            assert_validation(
                e.body(),
                vec![LocationItem::String("path".into()), LocationItem::String("id".into())],
                "Input should be a valid UUID",
            );
        }
        other => panic!("expected UnprocessableEntity, got {other:?}"),
    }
}

async fn update_error(status: u16, body: Value) -> UpdateError {
    let server = MockServer::start().await;
    answer(&server, status, body).await;
    let result = no_retry_client(&server)
        .customer_portal()
        .subscriptions()
        .update(SUB_ID, CustomerSubscriptionUpdateSeats { seats: 3 })
        .send()
        .await;
    assert_eq!(received(&server).await.len(), 1, "errors are not retried");
    let err = result.expect_err("an error");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
    assert!(err.headers().is_some_and(|h| h.contains_key("x-request-id")));
    err
}

#[tokio::test]
async fn update_402_is_payment_required() {
    let body = json!({ "error": "PaymentFailed", "detail": "Your card was declined." });
    match update_error(402, body).await {
        UpdateError::PaymentRequired(e) => {
            assert_eq!(e.body().error, polar_client::consts::PaymentFailed);
            assert_eq!(e.body().detail, "Your card was declined.");
        }
        other => panic!("expected PaymentRequired, got {other:?}"),
    }
}

#[tokio::test]
async fn update_403_tells_already_canceled_from_pause_resume_not_allowed() {
    let canceled =
        json!({ "error": "AlreadyCanceledSubscription", "detail": "This subscription is already canceled." });
    match update_error(403, canceled).await {
        UpdateError::Forbidden(e) => match e.body() {
            Response403CustomerPortalSubscriptionsUpdate::AlreadyCanceledSubscription(b) => {
                assert_eq!(b.detail, "This subscription is already canceled.");
            }
            other => panic!("expected AlreadyCanceledSubscription, got {other:?}"),
        },
        other => panic!("expected Forbidden, got {other:?}"),
    }

    let pause = json!({ "error": "PauseResumeNotAllowed", "detail": "Pausing is disabled for this organization." });
    match update_error(403, pause).await {
        UpdateError::Forbidden(e) => match e.body() {
            Response403CustomerPortalSubscriptionsUpdate::PauseResumeNotAllowed(b) => {
                assert_eq!(b.detail, "Pausing is disabled for this organization.");
            }
            other => panic!("expected PauseResumeNotAllowed, got {other:?}"),
        },
        other => panic!("expected Forbidden, got {other:?}"),
    }

    // A 403 the client does not know yet is not a declared body: it used to be `Forbidden(Unknown)`,
    // and is now `Unexpected`, never a decode error, with the body and the server's code kept.
    let future = json!({ "error": "SeatLimitReached", "detail": "No more seats." });
    match update_error(403, future.clone()).await {
        UpdateError::Unexpected(e) => {
            assert_eq!(e.code(), Some("SeatLimitReached"));
            assert_eq!(serde_json::from_slice::<Value>(e.body()).expect("json"), future);
        }
        other => panic!("expected Unexpected, got {other:?}"),
    }
}

#[tokio::test]
async fn update_404_is_not_found() {
    match update_error(404, not_found_body()).await {
        UpdateError::NotFound(e) => assert_eq!(e.body().detail, "Not found"),
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[tokio::test]
async fn update_409_is_conflict() {
    let body = json!({ "error": "PaymentMethodRequired", "detail": "Add a payment method first." });
    match update_error(409, body).await {
        UpdateError::Conflict(e) => {
            assert_eq!(e.body().error, polar_client::consts::PaymentMethodRequired);
            assert_eq!(e.body().detail, "Add a payment method first.");
        }
        other => panic!("expected Conflict, got {other:?}"),
    }
}

#[tokio::test]
async fn update_422_is_unprocessable_entity() {
    match update_error(422, validation_body(json!(["body", "seats"]), "Input should be greater than 0")).await {
        UpdateError::UnprocessableEntity(e) => assert_validation(
            e.body(),
            vec![LocationItem::String("body".into()), LocationItem::String("seats".into())],
            "Input should be greater than 0",
        ),
        other => panic!("expected UnprocessableEntity, got {other:?}"),
    }
}

async fn cancel_error(status: u16, body: Value) -> CancelError {
    let server = MockServer::start().await;
    answer(&server, status, body).await;
    let result = no_retry_client(&server).customer_portal().subscriptions().cancel(SUB_ID).send().await;
    assert_eq!(received(&server).await.len(), 1);
    let err = result.expect_err("an error");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
    assert!(err.headers().is_some_and(|h| h.contains_key("x-request-id")));
    err
}

#[tokio::test]
async fn cancel_403_is_forbidden() {
    let body = json!({ "error": "AlreadyCanceledSubscription", "detail": "Already set to cancel at period end." });
    match cancel_error(403, body).await {
        CancelError::Forbidden(e) => {
            assert_eq!(e.body().error, polar_client::consts::AlreadyCanceledSubscription);
            assert_eq!(e.body().detail, "Already set to cancel at period end.");
        }
        other => panic!("expected Forbidden, got {other:?}"),
    }
}

#[tokio::test]
async fn cancel_404_is_not_found() {
    match cancel_error(404, not_found_body()).await {
        CancelError::NotFound(e) => assert_eq!(e.body().detail, "Not found"),
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[tokio::test]
async fn cancel_422_is_unprocessable_entity() {
    match cancel_error(422, validation_body(json!(["path", "id"]), "Input should be a valid UUID")).await {
        CancelError::UnprocessableEntity(e) => assert_validation(
            e.body(),
            vec![LocationItem::String("path".into()), LocationItem::String("id".into())],
            "Input should be a valid UUID",
        ),
        other => panic!("expected UnprocessableEntity, got {other:?}"),
    }
}

#[tokio::test]
async fn declared_error_status_with_another_body_is_unexpected() {
    // This test used to expect `Decode`; a 404 whose body is not the declared `ResourceNotFound` (here
    // a proxy's HTML page) is a response the operation does not declare, so it is `Unexpected`.
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(404).set_body_raw("<html>Not Found</html>", "text/html"))
        .mount(&server)
        .await;
    match no_retry_client(&server).customer_portal().subscriptions().get(SUB_ID).send().await {
        Err(err @ GetError::Unexpected(_)) => {
            assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
            assert_eq!(err.body_text(), Some("<html>Not Found</html>"));
        }
        other => panic!("expected Unexpected, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------
// undeclared statuses
// ---------------------------------------------------------------------------------------------

fn assert_teapot(unexpected: &polar_client::runtime::UnexpectedResponse) {
    assert_eq!(unexpected.status().as_u16(), 418);
    assert_eq!(unexpected.headers().get("x-request-id").and_then(|v| v.to_str().ok()), Some("req_teapot"));
    assert_eq!(unexpected.body(), b"I'm a teapot: short and stout");
    assert_eq!(unexpected.body_text(), "I'm a teapot: short and stout");
    let display = unexpected.to_string();
    assert!(display.contains("418") && display.contains("short and stout"), "{display}");
}

#[tokio::test]
async fn undeclared_status_is_unexpected_with_status_headers_and_body_for_every_operation() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(
            ResponseTemplate::new(418)
                .set_body_raw("I'm a teapot: short and stout", "text/plain")
                .insert_header("x-request-id", "req_teapot"),
        )
        .mount(&server)
        .await;
    let client = no_retry_client(&server);
    let portal = client.customer_portal();
    let subs = portal.subscriptions();

    let err = subs.list().send().await.expect_err("list fails");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(418));
    assert!(err.headers().is_some_and(|h| h.contains_key("x-request-id")));
    let ListError::Unexpected(e) = err else { panic!("list: expected Unexpected, got {err:?}") };
    assert_teapot(&e);

    let err = subs.get(SUB_ID).send().await.expect_err("get fails");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(418));
    let GetError::Unexpected(e) = err else { panic!("get: expected Unexpected, got {err:?}") };
    assert_teapot(&e);

    let err = subs.update(SUB_ID, CustomerSubscriptionResume::default()).send().await.expect_err("update fails");
    assert_eq!(err.headers().and_then(|h| h.get("x-request-id")).and_then(|v| v.to_str().ok()), Some("req_teapot"));
    let UpdateError::Unexpected(e) = err else { panic!("update: expected Unexpected, got {err:?}") };
    assert_teapot(&e);

    let err = subs.cancel(SUB_ID).send().await.expect_err("cancel fails");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(418));
    let CancelError::Unexpected(e) = err else { panic!("cancel: expected Unexpected, got {err:?}") };
    assert_teapot(&e);

    assert_eq!(received(&server).await.len(), 4);
}

#[tokio::test]
async fn server_error_without_retries_is_unexpected_after_one_request() {
    let server = MockServer::start().await;
    answer(&server, 500, json!({ "error": "InternalServerError", "detail": "boom" })).await;
    let err = no_retry_client(&server).customer_portal().subscriptions().get(SUB_ID).send().await.err();
    match err {
        Some(GetError::Unexpected(e)) => {
            assert_eq!(e.status().as_u16(), 500);
            let body: Value = serde_json::from_slice(e.body()).expect("JSON body kept");
            assert_eq!(body["detail"], "boom");
        }
        other => panic!("expected Unexpected, got {other:?}"),
    }
    assert_eq!(received(&server).await.len(), 1, "RetryPolicy::none() sends once");
}

// ---------------------------------------------------------------------------------------------
// base URL and optional nullable fields
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn base_url_with_a_path_prefix_and_trailing_slash_is_joined_once() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/proxy/polar{}", item_path(SUB_ID))))
        .respond_with(ResponseTemplate::new(200).set_body_raw(SUBSCRIPTION_JSON, "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}/proxy/polar/", server.uri()))
        .customer_session(TOKEN)
        .build()
        .expect("builds");
    assert_eq!(client.base_url(), format!("{}/proxy/polar", server.uri()));
    client.customer_portal().subscriptions().get(SUB_ID).send().await.expect("get succeeds");
    assert_eq!(received(&server).await[0].url.path(), format!("/proxy/polar{}", item_path(SUB_ID)));
}

#[tokio::test]
async fn optional_nullable_fields_tell_absent_from_null() {
    let server = MockServer::start().await;
    let mut served = subscription_value();
    let object = served.as_object_mut().expect("an object");
    object.remove("seats");
    object.insert("past_due_at".into(), json!("2025-06-16T00:00:00Z"));
    served["prices"][3]["seat_tiers"]["tiers"][1].as_object_mut().expect("a tier").remove("max_seats");
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(&served)).mount(&server).await;

    let sub = client(&server).customer_portal().subscriptions().get(SUB_ID).send().await.expect("get succeeds");
    assert_eq!(sub.seats, Nullable::Absent);
    assert_eq!(sub.past_due_at, Nullable::Value(utc(2025, 6, 16, 0, 0, 0)));
    let reencoded = serde_json::to_value(sub.body()).expect("encodes");
    assert!(reencoded.get("seats").is_none(), "an absent field stays absent");
    assert_eq!(reencoded, served);
}

// ---------------------------------------------------------------------------------------------
// path safety
// ---------------------------------------------------------------------------------------------

/// `get`, `update` and `cancel` take a `Uuid`, so no caller value can inject `/`, `..` or `?` into the
/// path through the operations; the segment encoder they use is public and checked here directly.
#[test]
fn path_segment_encodes_and_refuses_dangerous_values() {
    use polar_client::runtime::{path_segment, Failure};
    assert_eq!(path_segment(&SUB_ID).ok().as_deref(), Some("7f5c3a1e-2b4d-4e6f-8a9b-0c1d2e3f4a5b"));
    assert_eq!(path_segment(&"../admin?x=1#f").ok().as_deref(), Some("..%2Fadmin%3Fx%3D1%23f"));
    assert_eq!(path_segment(&"a b%c").ok().as_deref(), Some("a%20b%25c"));
    for bad in ["", ".", ".."] {
        assert!(matches!(path_segment(&bad), Err(Failure::InvalidRequest(_))), "{bad:?} must be refused");
    }
}
