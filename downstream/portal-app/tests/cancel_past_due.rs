//! `cancel_past_due`, tested against the client's typed mock: no JSON, method or path written here.

use polar_client::api::customer_portal::subscriptions::CancelFailure;
use polar_client::chrono::{DateTime, Utc};
use polar_client::mock::MockServer;
use polar_client::types::*;
use polar_client::uuid::Uuid;
use portal_app::cancel_past_due;

fn at(day: u32) -> DateTime<Utc> {
    DateTime::from_timestamp(1_767_225_600 + i64::from(day) * 86_400, 0).expect("a date")
}

/// A subscription as the API describes one, with what these tests care about.
fn subscription(n: u128, status: SubscriptionStatus) -> CustomerSubscription {
    let organization = CustomerOrganization {
        created_at: at(0),
        modified_at: None,
        id: Uuid::from_u128(1),
        name: "Acme".into(),
        slug: "acme".into(),
        avatar_url: None,
        proration_behavior: SubscriptionProrationBehavior::Prorate,
        allow_customer_updates: true,
        customer_portal_settings: OrganizationCustomerPortalSettings {
            usage: CustomerPortalUsageSettings { show: true },
            subscription: CustomerPortalSubscriptionSettings { update_seats: true, update_plan: true, pause: None },
            customer: None,
        },
        organization_features: None,
    };
    let product = CustomerSubscriptionProduct {
        id: Uuid::from_u128(2),
        created_at: at(0),
        modified_at: None,
        trial_interval: None,
        trial_interval_count: None,
        name: "Pro".into(),
        description: None,
        visibility: ProductVisibility::Public,
        recurring_interval: Some(RecurringInterval::Month),
        recurring_interval_count: Some(1),
        meter_interval: None,
        meter_interval_count: None,
        is_recurring: true,
        is_archived: false,
        organization_id: organization.id,
        prices: Vec::new(),
        benefits: Vec::new(),
        medias: Vec::new(),
        organization,
    };
    CustomerSubscription {
        created_at: at(1),
        modified_at: None,
        id: Uuid::from_u128(n),
        amount: 1_000,
        currency: "usd".into(),
        recurring_interval: RecurringInterval::Month,
        recurring_interval_count: 1,
        status,
        current_period_start: at(1),
        current_period_end: at(31),
        current_meter_period_start: None,
        current_meter_period_end: None,
        trial_start: None,
        trial_end: None,
        cancel_at_period_end: false,
        canceled_at: None,
        started_at: Some(at(1)),
        ends_at: None,
        ended_at: None,
        past_due_at: Default::default(),
        pause_at_period_end: false,
        paused_at: None,
        resumes_at: None,
        customer_id: Uuid::from_u128(3),
        product_id: product.id,
        discount_id: None,
        checkout_id: None,
        seats: Default::default(),
        customer_cancellation_reason: None,
        customer_cancellation_comment: None,
        product,
        prices: Vec::new(),
        meters: Vec::new(),
        pending_update: None,
    }
}

fn page(items: Vec<CustomerSubscription>, total: i64, max_page: i64) -> ListResourceCustomerSubscription {
    ListResourceCustomerSubscription { items, pagination: Pagination { total_count: total, max_page } }
}

#[tokio::test]
async fn every_past_due_subscription_on_every_page_is_cancelled_and_no_other() {
    let server = MockServer::start().await;
    let subscriptions = server.customer_portal().subscriptions();
    let first = vec![subscription(10, SubscriptionStatus::Active), subscription(11, SubscriptionStatus::PastDue)];
    let second = vec![subscription(12, SubscriptionStatus::PastDue), subscription(13, SubscriptionStatus::Canceled)];
    subscriptions.list().limit(100).respond(page(first, 4, 2)).times(1).mount().await;
    subscriptions.list().limit(100).page(2).respond(page(second, 4, 2)).times(1).mount().await;
    for n in [11, 12] {
        let cancelled =
            CustomerSubscription { cancel_at_period_end: true, ..subscription(n, SubscriptionStatus::PastDue) };
        subscriptions.cancel(Uuid::from_u128(n)).respond(cancelled).times(1).mount().await;
    }

    let cancelled = cancel_past_due(server.client()).await.expect("it runs");
    assert_eq!(cancelled, [Uuid::from_u128(11), Uuid::from_u128(12)]);
    // Dropping the server checks that each listing and each cancel happened once, and nothing else.
}

#[tokio::test]
async fn a_cancel_the_api_refuses_stops_the_run_with_its_error() {
    let server = MockServer::start().await;
    let subscriptions = server.customer_portal().subscriptions();
    let listed = vec![subscription(21, SubscriptionStatus::PastDue), subscription(22, SubscriptionStatus::PastDue)];
    subscriptions.list().limit(100).respond(page(listed, 2, 1)).mount().await;
    let refusal = AlreadyCanceledSubscription { error: Default::default(), detail: "Already canceled.".into() };
    subscriptions.cancel(Uuid::from_u128(21)).fail(CancelFailure::Forbidden(refusal)).mount().await;

    let error = cancel_past_due(server.client()).await.expect_err("the refusal stops it");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(403));
}
