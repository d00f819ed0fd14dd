//! Media beyond one JSON body, on the wire (`tests/clients/forms.yaml`): a body offered in several
//! encodings (JSON by default, the others by variant), cookie parameters, binary downloads read
//! whole or as a stream (async and blocking), text responses and raw request bodies.

use forms_client::api::{DownloadFileError, GetBundleError, GetInvoiceError, UpdateCustomerBody};
use forms_client::types::CustomerUpdate;
use forms_client::{Client, RetryPolicy};
use futures::StreamExt;
use std::collections::BTreeMap;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A server that answers each request with the next template (the last one repeats).
async fn answering(responses: Vec<ResponseTemplate>) -> MockServer {
    let server = MockServer::start().await;
    let count = std::sync::atomic::AtomicUsize::new(0);
    let responder = move |_: &Request| {
        let index = count.fetch_add(1, std::sync::atomic::Ordering::SeqCst).min(responses.len() - 1);
        responses[index].clone()
    };
    Mock::given(any()).respond_with(responder).mount(&server).await;
    server
}

fn client(server: &MockServer) -> Client {
    let policy = RetryPolicy::default().initial_backoff(std::time::Duration::from_millis(5));
    Client::builder().base_url(server.uri()).retry_policy(policy).build().expect("builds")
}

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

fn customer() -> CustomerUpdate {
    CustomerUpdate {
        name: Some("Ada".into()),
        metadata: Some(BTreeMap::from([("plan".to_string(), "pro".to_string())])),
    }
}

#[tokio::test]
async fn a_body_offered_in_several_encodings_is_json_by_default_and_each_other_by_its_variant() {
    let server = answering(vec![ResponseTemplate::new(200).set_body_json(serde_json::json!({ "name": "Ada" }))]).await;
    let client = client(&server);
    let updated = client.update_customer("cus_1", "en", customer()).send().await.expect("updated");
    assert_eq!(updated.body().name.as_deref(), Some("Ada"));
    client.update_customer("cus_1", "en", UpdateCustomerBody::MergePatchJson(customer())).send().await.expect("ok");
    client.update_customer("cus_1", "en", UpdateCustomerBody::Form(customer())).send().await.expect("ok");

    let requests = server.received_requests().await.expect("recorded");
    let sent: Vec<(Option<&str>, String)> = requests
        .iter()
        .map(|r| (header(r, "content-type"), String::from_utf8(r.body.clone()).expect("utf-8")))
        .collect();
    assert_eq!(
        sent,
        vec![
            (Some("application/json"), r#"{"name":"Ada","metadata":{"plan":"pro"}}"#.to_string()),
            (Some("application/merge-patch+json"), r#"{"name":"Ada","metadata":{"plan":"pro"}}"#.to_string()),
            (Some("application/x-www-form-urlencoded"), "name=Ada&metadata%5Bplan%5D=pro".to_string()),
        ]
    );
    assert!(requests.iter().all(|r| r.method.as_str() == "PATCH" && r.url.path() == "/v1/customers/cus_1"));
}

#[tokio::test]
async fn cookie_parameters_are_sent_in_one_cookie_header_and_encoded() {
    let server = answering(vec![ResponseTemplate::new(200).set_body_json(serde_json::json!({}))]).await;
    let client = client(&server);
    client.update_customer("cus_1", "en", customer()).send().await.expect("sent");
    client
        .update_customer("cus_1", "fr CA;x", customer())
        .flags(["beta".to_string(), "dark mode".to_string()])
        .send()
        .await
        .expect("sent");
    let requests = server.received_requests().await.expect("recorded");
    let cookies: Vec<Option<&str>> = requests.iter().map(|r| header(r, "cookie")).collect();
    assert_eq!(cookies, vec![Some("locale=en"), Some("locale=fr%20CA%3Bx; flags=beta,dark%20mode")]);
}

/// A megabyte that is not the same byte over and over.
fn file_bytes() -> Vec<u8> {
    (0..1_048_576u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect()
}

#[tokio::test]
async fn a_download_is_read_whole_or_as_a_stream_with_the_same_bytes() {
    let bytes = file_bytes();
    let ok = ResponseTemplate::new(200).set_body_raw(bytes.clone(), "application/octet-stream");
    let server = answering(vec![ok]).await;
    let client = client(&server);
    let whole = client.download_file("file_1").send().await.expect("downloaded");
    assert_eq!(whole.body().as_ref(), &bytes[..]);

    let streamed = client.download_file("file_1").send_stream().await.expect("started");
    assert_eq!(streamed.status(), 200);
    assert_eq!(streamed.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/octet-stream"));
    let mut chunks = streamed.into_body();
    let (mut received, mut count) = (Vec::new(), 0);
    while let Some(chunk) = chunks.next().await {
        received.extend_from_slice(&chunk.expect("a chunk"));
        count += 1;
    }
    assert_eq!(received, bytes);
    assert!(count >= 1);
    assert_eq!(server.received_requests().await.expect("recorded").len(), 2);
}

#[tokio::test]
async fn a_stream_is_retried_before_its_body_starts_and_a_declared_error_is_read_whole() {
    let bytes = file_bytes();
    let server = answering(vec![
        ResponseTemplate::new(503),
        ResponseTemplate::new(200).set_body_raw(bytes.clone(), "application/octet-stream"),
    ])
    .await;
    let streamed = client(&server).download_file("file_1").send_stream().await.expect("started after the 503");
    assert_eq!(streamed.into_body().collect().await.expect("read").as_ref(), &bytes[..]);
    assert_eq!(server.received_requests().await.expect("recorded").len(), 2);

    let missing = answering(vec![ResponseTemplate::new(404).set_body_string("no file file_2")]).await;
    match client(&missing).download_file("file_2").send_stream().await {
        Err(DownloadFileError::NotFound(error)) => assert_eq!(error.body(), "no file file_2"),
        other => panic!("expected NotFound, got {other:?}"),
    }
    match client(&missing).download_file("file_2").send().await {
        Err(DownloadFileError::NotFound(error)) => assert_eq!(error.body(), "no file file_2"),
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[test]
fn a_blocking_download_streams_into_a_writer() {
    let bytes = file_bytes();
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let ok = ResponseTemplate::new(200).set_body_raw(bytes.clone(), "application/octet-stream");
    let server = runtime.block_on(answering(vec![ok]));
    let client = Client::builder().base_url(server.uri()).build_blocking().expect("builds");
    let response = client.download_file("file_1").send_stream().expect("started");
    let mut body = response.into_body();
    let mut written = Vec::new();
    let copied = std::io::copy(&mut body, &mut written).expect("copied");
    assert_eq!(copied, bytes.len() as u64);
    assert_eq!(written, bytes);
    let whole = client.download_file("file_1").send().expect("downloaded");
    assert_eq!(whole.body().as_ref(), &bytes[..]);
}

#[tokio::test]
async fn a_text_response_is_a_string_and_a_raw_body_is_sent_as_it_is() {
    let csv = "id,amount\n1,200\n";
    let server = answering(vec![ResponseTemplate::new(200).set_body_raw(csv, "text/csv")]).await;
    let report = client(&server).get_report().send().await.expect("read");
    assert_eq!(report.body(), csv);

    let server = answering(vec![ResponseTemplate::new(201)]).await;
    let blob = vec![0u8, 159, 146, 150, b'\r', b'\n'];
    client(&server).put_blob("a b", blob.clone()).send().await.expect("stored");
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests[0].url.path(), "/v1/blobs/a%20b");
    assert_eq!(header(&requests[0], "content-type"), Some("application/octet-stream"));
    assert_eq!(requests[0].body, blob);
}

#[tokio::test]
async fn json_is_the_default_of_several_success_media_and_each_other_one_is_reached_by_its_own_send() {
    let server = MockServer::start().await;
    let responder = |request: &Request| match header(request, "accept") {
        Some("application/pdf") => ResponseTemplate::new(200).set_body_raw(&b"%PDF-1.7"[..], "application/pdf"),
        Some("text/csv") => ResponseTemplate::new(200).set_body_raw("id,total\nin_1,200\n", "text/csv"),
        _ => ResponseTemplate::new(200).set_body_json(serde_json::json!({ "id": "in_1", "total": 200 })),
    };
    Mock::given(any()).respond_with(responder).mount(&server).await;
    let client = client(&server);
    let invoice = client.get_invoice("in_1").send().await.expect("json");
    assert_eq!((invoice.body().id.as_str(), invoice.body().total), ("in_1", 200));
    let pdf = client.get_invoice("in_1").send_as_pdf().await.expect("pdf");
    assert_eq!(pdf.body().as_ref(), b"%PDF-1.7");
    let csv = client.get_invoice("in_1").send_as_csv().await.expect("csv");
    assert_eq!(csv.body(), "id,total\nin_1,200\n");
    let requests = server.received_requests().await.expect("recorded");
    let accepts: Vec<Option<&str>> = requests.iter().map(|r| header(r, "accept")).collect();
    assert_eq!(accepts, vec![Some("application/json"), Some("application/pdf"), Some("text/csv")]);

    let missing = answering(vec![ResponseTemplate::new(404)]).await;
    let error = self::client(&missing).get_invoice("in_2").send_as_pdf().await.expect_err("not found");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
}

#[tokio::test]
async fn an_error_offered_in_several_media_types_is_read_as_the_one_the_server_sent() {
    let json = r#"{"error": "NoSuchInvoice", "detail": "in_9 is gone."}"#;
    let problem = r#"{"type": "about:blank", "title": "Not Found", "status": 404}"#;
    let server = answering(vec![
        ResponseTemplate::new(404).set_body_raw(json, "application/json"),
        ResponseTemplate::new(404).set_body_raw(problem, "Application/Problem+JSON; charset=utf-8"),
        ResponseTemplate::new(404).set_body_raw("in_9 is gone.", "text/plain; charset=utf-8"),
        ResponseTemplate::new(404).set_body_raw("<error>gone</error>", "application/xml"),
        // Not one of the declared media types: read as the first, which it is not.
        ResponseTemplate::new(404).set_body_raw("<html>gone</html>", "text/html"),
        // Two JSON media types with one schema are one way of reading.
        ResponseTemplate::new(503).set_body_raw(json, "text/json"),
    ])
    .await;
    let client = RetryPolicy::none();
    let client = Client::builder().base_url(server.uri()).retry_policy(client).build().expect("builds");
    let invoice = || client.get_invoice("in_9").send();
    match invoice().await {
        Err(GetInvoiceError::NotFound(e)) => {
            assert_eq!((e.body().error.as_str(), e.body().detail.as_str()), ("NoSuchInvoice", "in_9 is gone."))
        }
        other => panic!("the JSON error, not {other:?}"),
    }
    match invoice().await {
        Err(GetInvoiceError::NotFoundProblemJson(e)) => {
            assert_eq!((e.body().title.as_str(), e.body().status), ("Not Found", 404))
        }
        other => panic!("the problem, not {other:?}"),
    }
    match invoice().await {
        Err(GetInvoiceError::NotFoundText(e)) => assert_eq!(e.body(), "in_9 is gone."),
        other => panic!("the text, not {other:?}"),
    }
    match invoice().await {
        Err(GetInvoiceError::NotFoundText(e)) => assert_eq!(e.body(), "<error>gone</error>"),
        other => panic!("the XML as text, not {other:?}"),
    }
    match invoice().await {
        Err(GetInvoiceError::Unexpected(e)) => {
            assert_eq!((e.status().as_u16(), &*e.body_text()), (404, "<html>gone</html>"))
        }
        other => panic!("an unexpected response, not {other:?}"),
    }
    match invoice().await {
        Err(GetInvoiceError::ServerError(e)) => assert_eq!(e.status().as_u16(), 503),
        other => panic!("the server error, not {other:?}"),
    }
}

#[tokio::test]
async fn a_multipart_response_is_split_into_its_parts_and_an_alternative_one_is_reached_by_its_send() {
    let body: &[u8] = b"--bnd\r\nContent-Disposition: form-data; name=\"meta\"\r\nContent-Type: application/json\r\n\r\n{\"error\": \"none\", \"detail\": \"a file\"}\r\n--bnd\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n\x00\x9f\r\n\r\n--bnd--\r\n";
    let server = answering(vec![
        ResponseTemplate::new(200).set_body_raw(body, "multipart/form-data; boundary=bnd"),
        ResponseTemplate::new(200).set_body_raw(body, "multipart/form-data"),
        ResponseTemplate::new(404).set_body_raw("--bnd\r\n\r\ngone\r\n--bnd--", "multipart/form-data; boundary=bnd"),
    ])
    .await;
    let client = client(&server);
    let bundle = client.get_bundle("file_1").send().await.expect("split");
    let parts = bundle.body();
    let names: Vec<Option<&str>> = parts.iter().map(|p| p.name()).collect();
    assert_eq!(names, vec![Some("meta"), Some("file")]);
    let meta: forms_client::types::ApiError = parts.get("meta").expect("meta").json().expect("json");
    assert_eq!((meta.error.as_str(), meta.detail.as_str()), ("none", "a file"));
    let file = parts.get("file").expect("file");
    assert_eq!((file.file_name(), file.content_type()), (Some("a.bin"), Some("application/octet-stream")));
    // The bytes up to the delimiter's line break, a trailing CRLF of the part's own included.
    assert_eq!(file.body().as_ref(), b"\x00\x9f\r\n");

    // Without a boundary the body cannot be split: a decoding error with the status and an excerpt.
    let error = client.get_bundle("file_1").send().await.expect_err("no boundary");
    let GetBundleError::Decode(decode) = &error else { panic!("not a decode error: {error:?}") };
    assert_eq!(decode.status().as_u16(), 200);
    assert!(decode.excerpt().starts_with("--bnd"), "{}", decode.excerpt());
    assert!(error.to_string().contains("names no boundary"), "{error}");

    // An error's multipart body is kept as text, as any error body that is not JSON.
    let error = client.get_bundle("file_1").send().await.expect_err("not found");
    let GetBundleError::NotFound(not_found) = &error else { panic!("not the declared 404: {error:?}") };
    assert_eq!(not_found.body(), "--bnd\r\n\r\ngone\r\n--bnd--");

    let related = "--r\r\nContent-Type: application/json\r\nContent-ID: <root>\r\n\r\n{\"error\": \"e\", \"detail\": \"d\"}\r\n--r\r\nContent-ID: <file>\r\n\r\nplain text\r\n--r--";
    let server = MockServer::start().await;
    let responder = move |request: &Request| match header(request, "accept") {
        Some("multipart/related") => {
            ResponseTemplate::new(200).set_body_raw(related, "multipart/related; type=\"application/json\"; boundary=r")
        }
        _ => ResponseTemplate::new(200).set_body_json(serde_json::json!({ "error": "e", "detail": "d" })),
    };
    Mock::given(any()).respond_with(responder).mount(&server).await;
    let client = self::client(&server);
    let snippet = client.get_snippet("s_1").send().await.expect("json");
    assert_eq!(snippet.body().detail, "d");
    let parts = client.get_snippet("s_1").send_as_related().await.expect("related").into_body();
    let ids: Vec<Option<&str>> =
        parts.iter().map(|p| p.headers().get("content-id").and_then(|v| v.to_str().ok())).collect();
    assert_eq!(ids, vec![Some("<root>"), Some("<file>")]);
    assert_eq!(parts.iter().nth(1).map(|p| p.text().expect("utf-8")), Some("plain text"));
    assert!(parts.iter().all(|p| p.name().is_none()));
}

/// `getEvent` and `getInvoice` declare the same inline `$select` list. Each keeps its own public
/// name, and the second is an alias of the first, so one value serves both builders; the list is
/// sent comma-separated (`explode: false`), an unknown value unchanged.
#[tokio::test]
async fn a_parameter_enum_repeated_across_operations_is_one_type_under_both_names() {
    use forms_client::types::{GetEventSelectItem, GetInvoiceSelectItem};
    let shared: Vec<GetInvoiceSelectItem> = vec![GetEventSelectItem::Id, GetInvoiceSelectItem::Total];
    let server = answering(vec![
        ResponseTemplate::new(200).set_body_json(serde_json::json!({ "id": "in_1", "total": 200 })),
        ResponseTemplate::new(200)
            .set_body_json(serde_json::json!({ "id": "evt_1", "created": 1, "kind": "refund", "reason": "r" })),
    ])
    .await;
    let client = client(&server);
    client.get_invoice("in_1").select(shared.clone()).send().await.expect("invoice");
    let mut event_fields = shared;
    event_fields.push(GetEventSelectItem::Unknown("livemode".into()));
    client.get_event("evt_1").select(event_fields).send().await.expect("event");
    let requests = server.received_requests().await.expect("recorded");
    let queries: Vec<Option<&str>> = requests.iter().map(|r| r.url.query()).collect();
    assert_eq!(queries, vec![Some("%24select=id,total"), Some("%24select=id,total,livemode")]);
}

// ---------------------------------------------------------------------------------------------
// OpenAPI 3.1 (`tests/clients/openapi31.yaml`): server-sent events, an operation without responses
// ---------------------------------------------------------------------------------------------

/// A server that answers one request with `head` and `first`, then keeps the connection open
/// without another byte until the test ends: a stream of events that never finishes.
async fn never_ending(head: &'static str, first: &'static str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accept");
        let mut request = Vec::new();
        let mut buffer = [0u8; 1024];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = socket.read(&mut buffer).await.expect("read");
            if n == 0 {
                return;
            }
            request.extend_from_slice(&buffer[..n]);
        }
        socket.write_all(head.as_bytes()).await.expect("write the head");
        socket.write_all(format!("{:x}\r\n{first}\r\n", first.len()).as_bytes()).await.expect("write an event");
        socket.flush().await.expect("flush");
        tokio::time::sleep(std::time::Duration::from_secs(3600)).await;
    });
    format!("http://{address}")
}

#[tokio::test]
async fn an_event_stream_is_handed_out_as_it_arrives_though_it_never_ends() {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";
    let base = never_ending(head, "data: {\"n\": 1}\n\n").await;
    let client = openapi31_client::Client::builder().base_url(base).bearer("t").build().expect("builds");
    let started = std::time::Instant::now();
    let response = client.stream_events().send_stream().await.expect("the head arrives");
    assert_eq!(response.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("text/event-stream"));
    let mut events = response.into_body();
    let first = tokio::time::timeout(std::time::Duration::from_secs(5), events.next())
        .await
        .expect("the first event arrives before the stream ends")
        .expect("a chunk")
        .expect("read");
    assert_eq!(&first[..], b"data: {\"n\": 1}\n\n");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
}

#[tokio::test]
async fn an_operation_without_responses_takes_any_success() {
    for status in [200, 201, 204] {
        let server = answering(vec![ResponseTemplate::new(status).set_body_string("whatever")]).await;
        let client = openapi31_client::Client::builder().base_url(server.uri()).bearer("t").build().expect("builds");
        let response = client.ping().send().await.unwrap_or_else(|e| panic!("{status} is a success: {e}"));
        assert_eq!(response.status().as_u16(), status);
    }
    let server = answering(vec![ResponseTemplate::new(404).set_body_string("no such thing")]).await;
    let client = openapi31_client::Client::builder().base_url(server.uri()).bearer("t").build().expect("builds");
    match client.ping().send().await {
        Err(openapi31_client::api::PingError::Unexpected(e)) => assert_eq!(e.status().as_u16(), 404),
        other => panic!("a 404 is no success: {other:?}"),
    }
}
