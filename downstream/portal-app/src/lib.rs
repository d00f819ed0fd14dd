//! A customer's housekeeping on Polar, as an application writes it on the generated client.

use futures::TryStreamExt;
use polar_client::types::SubscriptionStatus;
use polar_client::uuid::Uuid;

/// Cancels every subscription of the customer whose payment is past due, across every page of
/// the listing, and returns their ids in the order they were listed. The first error stops it.
pub async fn cancel_past_due(client: &polar_client::Client) -> Result<Vec<Uuid>, polar_client::Error> {
    let subscriptions = client.customer_portal().subscriptions();
    let mut listing = subscriptions.list().limit(100).stream();
    let mut cancelled = Vec::new();
    while let Some(subscription) = listing.try_next().await? {
        if subscription.status == SubscriptionStatus::PastDue {
            subscriptions.cancel(subscription.id).send().await?;
            cancelled.push(subscription.id);
        }
    }
    Ok(cancelled)
}
