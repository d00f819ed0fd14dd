//! OAuth2's client credentials flow, as `openapi31.yaml` declares it (a token URL relative to the
//! server): the client fetches a token with its id and secret, keeps it while it lives, and fetches
//! a new one when it expires or the API answers `401`.

use openapi31_client::Client;
use std::time::Duration;
use wiremock::matchers::{body_string, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// `Basic base64("machine:s3cret")`.
const BASIC: &str = "Basic bWFjaGluZTpzM2NyZXQ=";

fn token(access: &str, expires_in: u64) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(serde_json::json!({"access_token": access, "token_type": "Bearer", "expires_in": expires_in}))
}

fn bearer(request: &Request) -> String {
    request.headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string()
}

/// The token endpoint answers `first`, then `second` for every later request.
async fn server(first: ResponseTemplate, second: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    let token_request = || {
        Mock::given(method("POST"))
            .and(path("/oauth/token"))
            .and(header("authorization", BASIC))
            .and(header("content-type", "application/x-www-form-urlencoded"))
            .and(body_string("grant_type=client_credentials&scope=reports%3Aread+reports%3Awrite"))
    };
    token_request().respond_with(first).up_to_n_times(1).with_priority(1).mount(&server).await;
    token_request().respond_with(second).with_priority(2).mount(&server).await;
    Mock::given(method("GET"))
        .and(path("/v1/reports"))
        .respond_with(|request: &Request| match bearer(request).as_str() {
            "Bearer a1" | "Bearer a2" => ResponseTemplate::new(200).set_body_json(serde_json::json!(["q1"])),
            _ => ResponseTemplate::new(401),
        })
        .mount(&server)
        .await;
    server
}

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).oauth_client_credentials("machine", "s3cret").build().expect("a client")
}

async fn requests(server: &MockServer, to: &str) -> Vec<Request> {
    let all = server.received_requests().await.expect("recording is on");
    all.into_iter().filter(|r| r.url.path() == to).collect()
}

#[tokio::test]
async fn a_token_is_fetched_once_kept_while_it_lives_and_fetched_again_when_it_expires() {
    let server = server(token("a1", 1), token("a2", 3600)).await;
    let client = client(&server);
    for _ in 0..3 {
        assert_eq!(client.list_reports().send().await.expect("reports").into_body(), ["q1"]);
    }
    assert_eq!(requests(&server, "/oauth/token").await.len(), 1, "one token for three calls");
    // `a1` lives a second; a tenth of that before it ends, the next call fetches `a2`.
    tokio::time::sleep(Duration::from_millis(950)).await;
    client.list_reports().send().await.expect("reports");
    assert_eq!(requests(&server, "/oauth/token").await.len(), 2);
    let used: Vec<String> = requests(&server, "/v1/reports").await.iter().map(bearer).collect();
    assert_eq!(used, ["Bearer a1", "Bearer a1", "Bearer a1", "Bearer a2"]);
}

#[tokio::test]
async fn a_401_fetches_a_new_token_at_once() {
    // The server forgot `a0` although it should live an hour.
    let server = server(token("a0", 3600), token("a2", 3600)).await;
    let client = client(&server);
    assert_eq!(client.list_reports().send().await.expect("reports").into_body(), ["q1"]);
    let used: Vec<String> = requests(&server, "/v1/reports").await.iter().map(bearer).collect();
    assert_eq!(used, ["Bearer a0", "Bearer a2"]);
    assert_eq!(requests(&server, "/oauth/token").await.len(), 2);
}

#[tokio::test]
async fn a_refused_token_request_fails_the_call_with_what_the_server_said() {
    let refused = ResponseTemplate::new(400).set_body_json(serde_json::json!({"error": "invalid_client"}));
    let server = server(refused.clone(), refused).await;
    let error = client(&server).list_reports().send().await.expect_err("no token");
    let openapi31_client::api::ListReportsError::Transport(transport) = &error else {
        panic!("a transport error, not {error:?}");
    };
    assert!(transport.is_credential());
    let source = std::error::Error::source(transport).map(ToString::to_string).unwrap_or_default();
    assert!(source.contains("400 Bad Request") && source.contains("invalid_client"), "{source}");
    assert!(requests(&server, "/v1/reports").await.is_empty());
}
