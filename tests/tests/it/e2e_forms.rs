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

/// The parts of a multipart body: (headers, content), split on the boundary of its content type.
fn multipart_parts(content_type: &str, body: &[u8]) -> Vec<(String, Vec<u8>)> {
    let boundary = content_type.split("boundary=").nth(1).expect("a boundary");
    let delimiter = format!("--{boundary}");
    let text = body.to_vec();
    let mut parts = Vec::new();
    let mut rest = &text[..];
    while let Some(start) = find(rest, delimiter.as_bytes()) {
        rest = &rest[start + delimiter.len()..];
        if rest.starts_with(b"--") {
            break;
        }
        let rest_after = &rest[2..]; // CRLF after the delimiter
        let end = find(rest_after, delimiter.as_bytes()).expect("a closing delimiter");
        let part = &rest_after[..end - 2]; // without the CRLF before the next delimiter
        let split = find(part, b"\r\n\r\n").expect("headers end");
        parts.push((String::from_utf8(part[..split].to_vec()).expect("utf-8 headers"), part[split + 4..].to_vec()));
        rest = &rest_after[end..];
    }
    parts
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[tokio::test]
async fn a_multipart_upload_sends_file_text_and_json_parts() {
    use forms_client::types::{UploadFileBody, UploadFileBodyMetadata, UploadFileBodyPurpose};
    use forms_client::FilePart;
    let server = server(200).await;
    let client = Client::builder().base_url(server.uri()).build().expect("builds");
    let png = vec![0x89, b'P', b'N', b'G', 0x00, 0xff, b'\r', b'\n'];
    let body = UploadFileBody {
        file: FilePart::new(png.clone()).file_name("avatar.png").content_type("image/png"),
        purpose: UploadFileBodyPurpose::Avatar,
        tags: Some(vec!["a".into(), "b".into()]),
        metadata: Some(UploadFileBodyMetadata { order_id: Some("6735".into()) }),
        attachments: Some(vec![FilePart::new(b"one".to_vec()), FilePart::new(b"two".to_vec()).file_name("two.txt")]),
        note: None,
    };
    client.upload_file(body).send().await.expect("uploaded");

    let requests = server.received_requests().await.expect("recorded");
    let content_type = requests[0].headers.get("content-type").and_then(|v| v.to_str().ok()).expect("a content type");
    assert!(content_type.starts_with("multipart/form-data; boundary="), "{content_type}");
    let parts = multipart_parts(content_type, &requests[0].body);
    let disposition = |name: &str| format!("Content-Disposition: form-data; name=\"{name}\"");
    assert_eq!(
        parts,
        vec![
            (format!("{}; filename=\"avatar.png\"\r\nContent-Type: image/png", disposition("file")), png),
            (disposition("purpose"), b"avatar".to_vec()),
            (disposition("tags"), b"a".to_vec()),
            (disposition("tags"), b"b".to_vec()),
            (
                format!("{}\r\nContent-Type: application/json", disposition("metadata")),
                br#"{"order_id":"6735"}"#.to_vec()
            ),
            (
                format!(
                    "{}; filename=\"attachments\"\r\nContent-Type: application/octet-stream",
                    disposition("attachments")
                ),
                b"one".to_vec()
            ),
            (
                format!(
                    "{}; filename=\"two.txt\"\r\nContent-Type: application/octet-stream",
                    disposition("attachments")
                ),
                b"two".to_vec()
            ),
        ]
    );
}

#[tokio::test]
async fn a_multipart_body_is_resent_whole_on_a_retry() {
    use forms_client::types::{UploadFileBody, UploadFileBodyPurpose};
    let server = MockServer::start().await;
    let count = std::sync::atomic::AtomicUsize::new(0);
    let responder = move |_: &wiremock::Request| {
        let first = count.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0;
        ResponseTemplate::new(if first { 429 } else { 200 }).set_body_json(serde_json::json!({ "id": "file_1" }))
    };
    Mock::given(any()).respond_with(responder).mount(&server).await;
    let policy = forms_client::RetryPolicy::default().initial_backoff(std::time::Duration::from_millis(5));
    let client = Client::builder().base_url(server.uri()).retry_policy(policy).build().expect("builds");
    let body = UploadFileBody {
        file: forms_client::FilePart::new(b"data".to_vec()),
        purpose: UploadFileBodyPurpose::DisputeEvidence,
        tags: None,
        metadata: None,
        attachments: None,
        note: Some("see attached".into()),
    };
    client.upload_file(body).send().await.expect("uploaded after the 429");
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].body, requests[1].body, "the same bytes, boundary included");
    let content_type = requests[1].headers.get("content-type").and_then(|v| v.to_str().ok()).expect("a content type");
    let parts = multipart_parts(content_type, &requests[1].body);
    assert_eq!(parts.len(), 3);
    assert_eq!(
        parts[2],
        (
            "Content-Disposition: form-data; name=\"note\"\r\nContent-Type: text/plain; charset=utf-8".to_string(),
            b"see attached".to_vec()
        )
    );
}

#[tokio::test]
async fn properties_beside_a_union_decode_into_one_struct_and_encode_back() {
    use forms_client::types::EventVariant;
    for served in [
        serde_json::json!({ "id": "evt_1", "created": 1700000000, "kind": "charge", "amount": 2000 }),
        serde_json::json!({ "id": "evt_2", "created": 1700000001, "kind": "refund", "reason": "duplicate" }),
    ] {
        let server = MockServer::start().await;
        Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(&served)).mount(&server).await;
        let client = Client::builder().base_url(server.uri()).build().expect("builds");
        let event = client.get_event(served["id"].as_str().expect("id")).send().await.expect("decodes");
        assert_eq!(event.id, served["id"]);
        assert_eq!(event.created, served["created"]);
        match &event.variant {
            EventVariant::Charge(charge) => assert_eq!(charge.amount, 2000),
            EventVariant::Refund(refund) => assert_eq!(refund.reason, "duplicate"),
            other => panic!("no member took {served}: {other:?}"),
        }
        assert_eq!(serde_json::to_value(event.body()).expect("encodes"), served);
    }
}

#[tokio::test]
async fn an_all_of_of_an_object_and_a_union_is_one_struct_with_the_union_flattened_in_both_ways() {
    use forms_client::types::{Delay, DelayVariant, DelayVariantUniform, DelayVariantUniformType};
    let served = serde_json::json!({ "type": "lognormal", "median": 7 });
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(&served)).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).build().expect("builds");
    let sent = Delay {
        fixed_delay: Some(5.5),
        variant: DelayVariant::Uniform(DelayVariantUniform {
            r#type: DelayVariantUniformType::Uniform,
            lower: 1,
            upper: 3,
        }),
    };
    let answer = client.set_delay(sent).send().await.expect("decodes");
    let requests = server.received_requests().await.expect("recorded");
    let body: serde_json::Value = serde_json::from_slice(&requests[0].body).expect("json");
    assert_eq!(body, serde_json::json!({ "fixedDelay": 5.5, "type": "uniform", "lower": 1, "upper": 3 }));
    assert_eq!(answer.fixed_delay, None);
    match &answer.variant {
        DelayVariant::Lognormal(lognormal) => assert_eq!(lognormal.median, 7),
        other => panic!("the lognormal member did not take {served}: {other:?}"),
    }
    assert_eq!(serde_json::to_value(answer.body()).expect("encodes"), served);
}

/// PeerTube's shape: `allOf` of an object that is only a `oneOf` (with `type: object` and
/// `additionalProperties: false` beside it) and a `$ref` to common properties. The members are
/// named after the property only each requires; the operation's callback is given by a `$ref`.
#[tokio::test]
async fn an_all_of_of_an_object_only_union_and_common_properties_is_one_struct_on_the_wire() {
    use forms_client::types::{VideoImport, VideoImportVariant};
    let served = serde_json::json!({ "name": "talk", "magnetUri": "magnet:?xt=1" });
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(201).set_body_json(&served)).mount(&server).await;
    let client = Client::builder().base_url(server.uri()).build().expect("builds");
    let sent = VideoImport {
        name: "talk".into(),
        callback_url: Some("https://example.com/done".into()),
        variant: VideoImportVariant::target_url("https://example.com/talk.mp4"),
    };
    let answer = client.create_import(sent).send().await.expect("decodes");
    let requests = server.received_requests().await.expect("recorded");
    let body: serde_json::Value = serde_json::from_slice(&requests[0].body).expect("json");
    assert_eq!(
        body,
        serde_json::json!({
            "name": "talk",
            "callbackUrl": "https://example.com/done",
            "targetUrl": "https://example.com/talk.mp4"
        })
    );
    assert_eq!(answer.name, "talk");
    assert_eq!(answer.callback_url, None);
    match &answer.variant {
        VideoImportVariant::MagnetUri(magnet) => assert_eq!(magnet.magnet_uri, "magnet:?xt=1"),
        other => panic!("the magnetUri member did not take {served}: {other:?}"),
    }
    assert_eq!(serde_json::to_value(answer.body()).expect("encodes"), served);
}

#[tokio::test]
async fn parameters_described_by_content_are_sent_as_json_text() {
    use forms_client::types::SearchFilter;
    let server = server(204).await;
    let client = Client::builder().base_url(server.uri()).build().expect("builds");
    let filter = SearchFilter { status: Some("paid".into()), amount_gte: Some(100) };
    client.search().filter(filter).x_context(vec!["web".to_string()]).send().await.expect("searched");
    client.search().send().await.expect("searched without filters");
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests[0].url.query(), Some("filter=%7B%22status%22%3A%22paid%22%2C%22amount_gte%22%3A100%7D"));
    assert_eq!(requests[0].headers.get("x-context").and_then(|v| v.to_str().ok()), Some(r#"["web"]"#));
    assert_eq!(requests[1].url.query(), None);
    assert!(requests[1].headers.get("x-context").is_none());
}
