//! Form-encoded request bodies on the wire (`tests/clients/forms.yaml`): the exact bytes and content
//! type a server receives, for scalars, arrays, nested objects and arrays of objects in bracket style,
//! and for properties with an `encoding` (pipe-delimited, JSON).

use forms_client::types::{CreatePaymentIntentBody, CreatePaymentIntentBodyItemsItem, CreatePaymentIntentBodyOptions};
use forms_client::Client;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server(status: u16) -> MockServer {
    let server = MockServer::start().await;
    let template = ResponseTemplate::new(status).set_body_json(serde_json::json!({ "id": "pi_1" }));
    Mock::given(any()).respond_with(template).mount(&server).await;
    server
}

#[tokio::test]
async fn a_stripe_style_body_is_sent_in_bracket_style() {
    let server = server(200).await;
    let client = Client::builder().base_url(server.uri()).build().expect("builds");
    let body = CreatePaymentIntentBody {
        amount: 2000,
        currency: "eur".into(),
        capture: Some(false),
        description: Some("Order #6735 & more".into()),
        expand: Some(vec!["customer".into(), "invoice".into()]),
        metadata: Some([("order_id".to_string(), "6735".to_string())].into_iter().collect()),
        items: Some(vec![
            CreatePaymentIntentBodyItemsItem { price: "price_1".into(), quantity: Some(2) },
            CreatePaymentIntentBodyItemsItem { price: "price_2".into(), quantity: None },
        ]),
        tags: Some(vec!["a".into(), "b".into()]),
        options: Some(CreatePaymentIntentBodyOptions { mode: Some("fast".into()) }),
    };
    let created = client.create_payment_intent(body).send().await.expect("created");
    assert_eq!(created.id.as_deref(), Some("pi_1"));

    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(
        request.headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/x-www-form-urlencoded")
    );
    let sent = String::from_utf8(request.body.clone()).expect("utf-8");
    assert_eq!(
        sent,
        [
            "amount=2000",
            "currency=eur",
            "capture=false",
            "description=Order+%236735+%26+more",
            "expand=customer",
            "expand=invoice",
            "metadata%5Border_id%5D=6735",
            "items%5B0%5D%5Bprice%5D=price_1",
            "items%5B0%5D%5Bquantity%5D=2",
            "items%5B1%5D%5Bprice%5D=price_2",
            "tags=a%7Cb",
            "options=%7B%22mode%22%3A%22fast%22%7D",
        ]
        .join("&")
    );
    // What a server reads back from it.
    let pairs: Vec<(String, String)> =
        url_pairs(&sent).into_iter().filter(|(k, _)| k.starts_with("items") || k == "options").collect();
    assert_eq!(
        pairs,
        [
            ("items[0][price]".to_string(), "price_1".to_string()),
            ("items[0][quantity]".to_string(), "2".to_string()),
            ("items[1][price]".to_string(), "price_2".to_string()),
            ("options".to_string(), r#"{"mode":"fast"}"#.to_string()),
        ]
    );
}

#[tokio::test]
async fn a_twilio_style_body_repeats_array_names_and_form_wins_over_xml() {
    let server = server(201).await;
    let client = Client::builder().base_url(server.uri()).build().expect("builds");
    let body = forms_client::types::CallRequest {
        to: "+15558675310".into(),
        from: "+15017122661".into(),
        status_callback_event: Some(vec!["initiated".into(), "ringing".into()]),
    };
    client.create_call().body(body).send().await.expect("created");
    let requests = server.received_requests().await.expect("recorded");
    let sent = String::from_utf8(requests[0].body.clone()).expect("utf-8");
    assert_eq!(sent, "To=%2B15558675310&From=%2B15017122661&StatusCallbackEvent=initiated&StatusCallbackEvent=ringing");
}

/// Decodes `a=b&c=d` as a server does.
fn url_pairs(body: &str) -> Vec<(String, String)> {
    let url = format!("http://x/?{body}");
    let url = wiremock::http::Url::parse(&url).expect("a URL");
    url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}
