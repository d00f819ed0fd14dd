//! Streamed uploads on the wire (`tests/clients/forms.yaml`): a multipart file part and a raw body
//! given as a stream arrive byte for byte as the in-memory ones do; a call that streams its body is
//! sent once whatever the retry policy says, and a stream cannot be sent by a second call.

use bytes::Bytes;
use forms_client::types::{UploadFileBody, UploadFileBodyPurpose};
use forms_client::{Client, FilePart, RetryPolicy, Upload};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

async fn answering(statuses: Vec<u16>) -> MockServer {
    let server = MockServer::start().await;
    let count = std::sync::atomic::AtomicUsize::new(0);
    let responder = move |_: &Request| {
        let index = count.fetch_add(1, std::sync::atomic::Ordering::SeqCst).min(statuses.len() - 1);
        ResponseTemplate::new(statuses[index]).set_body_json(serde_json::json!({ "id": "file_1" }))
    };
    Mock::given(any()).respond_with(responder).mount(&server).await;
    server
}

fn client(server: &MockServer) -> Client {
    let policy = RetryPolicy::default().initial_backoff(std::time::Duration::from_millis(5));
    Client::builder().base_url(server.uri()).retry_policy(policy).build().expect("builds")
}

/// Chunks that arrive one by one, as a file read in pieces would.
fn chunks(parts: &[&'static [u8]]) -> impl futures::Stream<Item = Result<Bytes, std::io::Error>> + Send + 'static {
    let parts: Vec<Result<Bytes, std::io::Error>> = parts.iter().map(|p| Ok(Bytes::from_static(p))).collect();
    futures::stream::iter(parts)
}

fn body(file: FilePart) -> UploadFileBody {
    UploadFileBody {
        file,
        purpose: UploadFileBodyPurpose::Avatar,
        tags: Some(vec!["a".into()]),
        metadata: None,
        attachments: None,
        note: None,
    }
}

/// The body a server received, with the boundary replaced so two bodies compare.
fn without_boundary(request: &Request) -> String {
    let content_type = request.headers.get("content-type").and_then(|v| v.to_str().ok()).expect("a content type");
    let boundary = content_type.split("boundary=").nth(1).expect("a boundary");
    String::from_utf8_lossy(&request.body).replace(boundary, "BOUNDARY")
}

#[tokio::test]
async fn a_streamed_file_part_arrives_as_the_same_part_in_memory_would() {
    let server = answering(vec![200]).await;
    let file = |data: FilePart| data.file_name("avatar.png").content_type("image/png");
    let streamed = file(FilePart::stream(chunks(&[b"\x89PNG", b"\r\n", b"\x00\xff"])));
    client(&server).upload_file(body(streamed)).send().await.expect("uploaded");
    let in_memory = file(FilePart::new(b"\x89PNG\r\n\x00\xff".to_vec()));
    client(&server).upload_file(body(in_memory)).send().await.expect("uploaded");

    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 2);
    assert_eq!(without_boundary(&requests[0]), without_boundary(&requests[1]));
    assert!(without_boundary(&requests[0]).contains(
        "name=\"file\"; filename=\"avatar.png\"\r\nContent-Type: image/png\r\n\r\n\u{fffd}PNG\r\n\u{0}\u{fffd}\r\n"
    ));
}

#[tokio::test]
async fn a_call_that_streams_its_body_is_sent_once_whatever_the_retry_policy() {
    // 429 is retried for any method by default (the multipart test in e2e_forms resends on it).
    let server = answering(vec![429, 200]).await;
    let file = FilePart::stream(chunks(&[b"data"]));
    let error = client(&server).upload_file(body(file)).send().await.expect_err("the 429 comes back");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1);

    // The same with bytes in memory is retried, and succeeds.
    let server = answering(vec![429, 200]).await;
    client(&server).upload_file(body(FilePart::new(b"data".to_vec()))).send().await.expect("uploaded");
    assert_eq!(server.received_requests().await.expect("recorded").len(), 2);
}

#[tokio::test]
async fn a_raw_body_streams_and_a_stream_is_sent_by_one_call_only() {
    let server = answering(vec![503, 201]).await;
    let builder = client(&server).put_blob("a b", Upload::stream(chunks(&[b"\x00\x9f", b"\x92\x96"])));
    let again = builder.clone();
    let error = builder.send().await.expect_err("the 503 comes back: no retry");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].headers.get("content-type").and_then(|v| v.to_str().ok()), Some("application/octet-stream"));
    assert_eq!(requests[0].body, b"\x00\x9f\x92\x96");

    let error = again.send().await.expect_err("the stream is spent");
    assert!(matches!(error, forms_client::api::PutBlobError::InvalidRequest(_)), "{error:?}");
    assert!(error.to_string().contains("a stream is read once"), "{error}");
    assert_eq!(server.received_requests().await.expect("recorded").len(), 1, "nothing more was sent");
}

#[tokio::test]
async fn a_stream_that_fails_ends_the_call_with_a_transport_error() {
    let server = answering(vec![201]).await;
    let failing =
        futures::stream::iter([Ok(Bytes::from_static(b"part")), Err(std::io::Error::other("the disk went away"))]);
    let error = client(&server).put_blob("x", Upload::stream(failing)).send().await.expect_err("fails");
    assert!(matches!(error, forms_client::api::PutBlobError::Transport(_)), "{error:?}");
}

/// The blocking client streams a reader (a file, here a cursor) in chunks.
#[test]
fn the_blocking_client_streams_a_reader() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let server = runtime.block_on(answering(vec![201]));
    let client = Client::builder().base_url(server.uri()).build_blocking().expect("builds");
    let data: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    client.put_blob("big", Upload::reader(std::io::Cursor::new(data.clone()))).send().expect("stored");
    let requests = runtime.block_on(server.received_requests()).expect("recorded");
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].body, data);
}
