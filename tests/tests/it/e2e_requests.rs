//! What the client sends, as a backend serving many customers uses it: credentials per clone and per
//! call, extra headers, the API version header, compressed responses, bounds checked before any I/O,
//! `Client::request` for undocumented endpoints, retry and deadline semantics, the shortcut
//! constructors of the update body, and bodies that carry exactly what the caller set (no declared
//! default added, whole amounts as integers). Every test counts the requests that reached the server.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::*;
use polar_client::api::customer_portal::subscriptions::{CancelError, GetError, ListError};
use polar_client::types::CustomerSubscriptionUpdate;
use polar_client::{Client, RetryPolicy};
use serde_json::{json, Value};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn ok_subscription() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(SUBSCRIPTION_JSON, "application/json")
}

async fn serving(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(template).mount(&server).await;
    server
}

/// Answers the i-th request with `responses[i]` (the last one repeats).
async fn serving_in_turn(responses: Vec<ResponseTemplate>) -> MockServer {
    let server = MockServer::start().await;
    let count = AtomicUsize::new(0);
    let responder = move |_: &wiremock::Request| {
        let index = count.fetch_add(1, Ordering::SeqCst).min(responses.len() - 1);
        responses[index].clone()
    };
    Mock::given(any()).respond_with(responder).mount(&server).await;
    server
}

fn header<'a>(request: &'a wiremock::Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

fn bearers(requests: &[wiremock::Request]) -> Vec<&str> {
    requests.iter().map(|r| header(r, "authorization").unwrap_or("")).collect()
}

/// A loopback TCP proxy in front of `target` that counts the connections clients open.
struct CountingProxy {
    url: String,
    connections: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

impl CountingProxy {
    async fn start(target: &MockServer) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binds");
        let url = format!("http://{}", listener.local_addr().expect("has an address"));
        let target = *target.address();
        let connections = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&connections);
        let task = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        });
        CountingProxy { url, connections, task }
    }
}

impl Drop for CountingProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

// ---------------------------------------------------------------------------------------------
// credentials
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_clone_per_customer_sends_its_own_token_over_the_shared_pool() {
    let server = serving(ok_subscription()).await;
    let proxy = CountingProxy::start(&server).await;
    let backend = Client::builder().base_url(&proxy.url).customer_session("tok_backend").build().expect("builds");
    for customer in ["tok_alice", "tok_bob", "tok_carol"] {
        let theirs = backend.with_customer_session(customer);
        theirs.customer_portal().subscriptions().get(SUB_ID).send().await.expect("get");
    }
    backend.customer_portal().subscriptions().get(SUB_ID).send().await.expect("get");
    let requests = received(&server).await;
    assert_eq!(
        bearers(&requests),
        ["Bearer tok_alice", "Bearer tok_bob", "Bearer tok_carol", "Bearer tok_backend"],
        "each clone its token, the original unchanged"
    );
    assert_eq!(proxy.connections.load(Ordering::SeqCst), 1, "four calls from four clients, one connection");
}

#[tokio::test]
async fn a_per_call_credential_replaces_the_clients_for_that_call_only() {
    let server = serving(ok_subscription()).await;
    let client = client(&server);
    let subscriptions = client.customer_portal().subscriptions();
    subscriptions.get(SUB_ID).customer_session("tok_call").send().await.expect("get");
    // A member token for one call: the scheme the call names wins over the client's customer token.
    subscriptions.get(SUB_ID).member_session("tok_member").send().await.expect("get");
    subscriptions.get(SUB_ID).send().await.expect("get");
    let listed = json!({ "items": [], "pagination": { "total_count": 0, "max_page": 0 } });
    let list_server = serving(ResponseTemplate::new(200).set_body_json(listed)).await;
    let member_only = Client::builder().base_url(list_server.uri()).member_session("tok_m").build().expect("builds");
    member_only.customer_portal().subscriptions().list().customer_session("tok_c").send().await.expect("list");
    assert_eq!(
        bearers(&received(&server).await),
        ["Bearer tok_call", "Bearer tok_member", format!("Bearer {TOKEN}").as_str()]
    );
    assert_eq!(bearers(&received(&list_server).await), ["Bearer tok_c"]);
}

#[tokio::test]
async fn an_empty_or_blank_token_is_an_error_before_any_io() {
    let server = serving(ok_subscription()).await;
    for token in ["", "   ", "\t"] {
        let built = Client::builder().base_url(server.uri()).customer_session(token).build();
        assert!(
            matches!(built, Err(polar_client::BuildError::InvalidCredential("customer_session"))),
            "{token:?}: {built:?}"
        );
        let clone = client(&server).with_customer_session(token);
        let err = clone.customer_portal().subscriptions().get(SUB_ID).send().await.expect_err("refused");
        assert!(
            matches!(&err, GetError::InvalidRequest(e) if e.message() == "the credential for `customer_session` is empty"),
            "{err:?}"
        );
        let err = client(&server).customer_portal().subscriptions().get(SUB_ID).customer_session(token).send().await;
        assert!(matches!(err, Err(GetError::InvalidRequest(_))), "{token:?}: {err:?}");
    }
    assert!(received(&server).await.is_empty(), "nothing was sent");
}

// ---------------------------------------------------------------------------------------------
// headers: extra, API version, compression
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn every_request_carries_the_api_version_and_asks_for_gzip() {
    let server = serving(ok_subscription()).await;
    client(&server).customer_portal().subscriptions().get(SUB_ID).send().await.expect("get");
    let pinned = Client::builder().base_url(server.uri()).customer_session(TOKEN).api_version("2026-10").build();
    pinned.expect("builds").customer_portal().subscriptions().cancel(SUB_ID).send().await.expect("cancel");
    let requests = received(&server).await;
    assert_eq!(header(&requests[0], "polar-version"), Some("2026-04"), "the version the crate was generated for");
    assert_eq!(header(&requests[1], "polar-version"), Some("2026-10"), "the client's override");
    for request in &requests {
        assert!(header(request, "accept-encoding").is_some_and(|v| v.contains("gzip")), "{:?}", request.headers);
    }
}

#[tokio::test]
async fn a_gzip_compressed_page_decodes() {
    let items: Vec<Value> = (0..100).map(subscription_numbered).collect();
    let body = serde_json::to_vec(&list_body(items, 100, 1)).expect("json");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&body).expect("compresses");
    let compressed = encoder.finish().expect("compresses");
    assert!(compressed.len() * 10 < body.len(), "a page of subscriptions compresses well");
    let template = ResponseTemplate::new(200)
        .insert_header("content-encoding", "gzip")
        .insert_header("content-type", "application/json")
        .set_body_bytes(compressed);
    let server = serving(template).await;
    let page = client(&server).customer_portal().subscriptions().list().limit(100).send().await.expect("decodes");
    assert_eq!(page.items().len(), 100);
    assert_eq!(page.items()[99].id, numbered_id(99));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn extra_headers_are_sent_and_replace_generated_ones() {
    let server = serving(ok_subscription()).await;
    client(&server)
        .customer_portal()
        .subscriptions()
        .get(SUB_ID)
        .header("X-Correlation-Id", "corr-1")
        .header("Polar-Version", "2026-10")
        .send()
        .await
        .expect("get");
    let requests = received(&server).await;
    assert_eq!(header(&requests[0], "x-correlation-id"), Some("corr-1"));
    assert_eq!(header(&requests[0], "polar-version"), Some("2026-10"));
    let err = client(&server).customer_portal().subscriptions().get(SUB_ID).header("X-Bad", "a\nb").send().await;
    assert!(matches!(&err, Err(GetError::InvalidRequest(e)) if e.message().contains("X-Bad")), "{err:?}");
    assert_eq!(received(&server).await.len(), 1, "the invalid header stopped the second call");
}

// ---------------------------------------------------------------------------------------------
// setters: literals, bounds, constructors
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn values_the_document_forbids_are_refused_before_any_io() {
    let server = serving(ok_subscription()).await;
    let subscriptions = || client(&server).customer_portal().subscriptions().list();
    let err = subscriptions().limit(0).send().await.expect_err("refused");
    assert!(
        matches!(&err, ListError::InvalidRequest(e) if e.message() == "`limit` is 0, but the API requires > 0"),
        "{err:?}"
    );
    assert!(matches!(subscriptions().page(0).send().await, Err(ListError::InvalidRequest(_))));
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn union_constructors_send_exactly_the_member() {
    let server = serving(ok_subscription()).await;
    let client = client(&server);
    let bodies = [
        CustomerSubscriptionUpdate::seats(5),
        CustomerSubscriptionUpdate::product_id(PRODUCT_ID),
        CustomerSubscriptionUpdate::pause_at_period_end(true),
        CustomerSubscriptionUpdate::resume(),
        CustomerSubscriptionUpdate::update_clear(),
        CustomerSubscriptionUpdate::cancel(),
    ];
    for body in bodies {
        client.customer_portal().subscriptions().update(SUB_ID, body).send().await.expect("update");
    }
    let sent: Vec<String> =
        received(&server).await.iter().map(|r| String::from_utf8(r.body.clone()).expect("utf-8")).collect();
    let product = format!(r#"{{"product_id":"{PRODUCT_ID}"}}"#);
    assert_eq!(
        sent,
        [
            r#"{"seats":5}"#,
            &product,
            r#"{"pause_at_period_end":true}"#,
            r#"{"resume":true}"#,
            r#"{"pending_update":null}"#,
            "{}"
        ]
    );
}

#[test]
fn uuid_and_chrono_are_reexported() {
    let id: polar_client::uuid::Uuid = SUB_ID;
    let when: Option<polar_client::chrono::DateTime<polar_client::chrono::Utc>> =
        polar_client::chrono::DateTime::from_timestamp(1_700_000_000, 0);
    let when = when.expect("in range");
    assert!(!id.is_nil() && when.timestamp() > 0);
}

// ---------------------------------------------------------------------------------------------
// Client::request
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn client_request_reaches_an_undocumented_endpoint_with_the_clients_settings() {
    let server = serving_in_turn(vec![
        ResponseTemplate::new(503),
        ResponseTemplate::new(201).set_body_json(json!({ "id": "ord_1", "amount": 2900 })),
    ])
    .await;
    let client = client_with_policy(&server, fast_policy());
    let response = client
        .request(polar_client::reqwest::Method::PUT, "/v1/customer-portal/orders/ord_1")
        .query("expand", &["items", "customer"])
        .header("X-Trace", "t1")
        .json(&json!({ "note": "gift" }))
        .send()
        .await
        .expect("a response");
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(response.attempts(), 2, "PUT is idempotent: the 503 was retried");
    let order = response.json::<Value>().expect("json");
    assert_eq!(order.body()["amount"], 2900);

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    let last = &requests[1];
    assert_eq!(last.method.as_str(), "PUT");
    assert_eq!(last.url.path(), "/v1/customer-portal/orders/ord_1");
    assert_eq!(last.url.query(), Some("expand=items&expand=customer"));
    assert_eq!(header(last, "authorization"), Some("Bearer tok_secret"));
    assert_eq!(header(last, "polar-version"), Some("2026-04"));
    assert_eq!(header(last, "x-trace"), Some("t1"));
    assert_eq!(header(last, "content-type"), Some("application/json"));
    assert_eq!(last.body, br#"{"note":"gift"}"#);

    // Any status is a response; failures are the crate's `Error`.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let closed = format!("http://{}", listener.local_addr().expect("has an address"));
    drop(listener);
    let refused = Client::builder().base_url(closed).retry_policy(RetryPolicy::none()).build();
    let err = refused.expect("builds").request(polar_client::reqwest::Method::GET, "/x").send().await;
    assert!(matches!(err, Err(polar_client::Error::Transport(_))), "{err:?}");
}

// ---------------------------------------------------------------------------------------------
// retries and deadlines
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn status_429_is_retried_for_patch_because_nothing_was_processed() {
    let server = serving_in_turn(vec![ResponseTemplate::new(429), ok_subscription()]).await;
    let update = client_with_policy(&server, fast_policy())
        .customer_portal()
        .subscriptions()
        .update(SUB_ID, CustomerSubscriptionUpdate::seats(5))
        .send()
        .await;
    assert!(update.is_ok(), "{update:?}");
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn retry_after_beyond_the_calls_budget_returns_the_429_at_once() {
    let server = serving(ResponseTemplate::new(429).insert_header("retry-after", "60")).await;
    let started = Instant::now();
    let err =
        client(&server).customer_portal().subscriptions().get(SUB_ID).deadline(Duration::from_secs(5)).send().await;
    assert!(started.elapsed() < Duration::from_secs(1), "slept {:?}", started.elapsed());
    match err {
        Err(GetError::Unexpected(e)) => assert_eq!((e.status().as_u16(), e.attempts()), (429, 1)),
        other => panic!("expected the 429, got {other:?}"),
    }
    // The same with the retry budget (max_elapsed) instead of a deadline.
    let policy = fast_policy().max_elapsed(Duration::from_secs(2));
    let started = Instant::now();
    let err = client_with_policy(&server, policy).customer_portal().subscriptions().get(SUB_ID).send().await;
    assert!(started.elapsed() < Duration::from_secs(1) && err.is_err(), "{:?}", started.elapsed());
    assert_eq!(received(&server).await.len(), 2, "one request per call");
}

#[tokio::test]
async fn a_deadline_bounds_the_whole_call_retries_included() {
    // Each attempt is quick to fail, but retries would go on: the deadline ends the call.
    let server = serving(ResponseTemplate::new(503).set_delay(Duration::from_millis(40))).await;
    let policy = RetryPolicy::default()
        .max_attempts(100)
        .initial_backoff(Duration::from_millis(20))
        .max_backoff(Duration::from_millis(20));
    let started = Instant::now();
    let err = client_with_policy(&server, policy.clone())
        .customer_portal()
        .subscriptions()
        .get(SUB_ID)
        .deadline(Duration::from_millis(300))
        .send()
        .await
        .expect_err("fails");
    let elapsed = started.elapsed();
    assert!(elapsed >= Duration::from_millis(250) && elapsed < Duration::from_millis(600), "{elapsed:?}");
    assert!(matches!(&err, GetError::Unexpected(_) | GetError::Timeout(_)), "{err:?}");
    let attempts = received(&server).await.len();
    assert!((3..=10).contains(&attempts), "{attempts} attempts in 300 ms");

    // A slow server and a client-wide deadline shorter than the per-attempt timeout.
    let slow = serving(ok_subscription().set_delay(Duration::from_secs(3))).await;
    let client =
        Client::builder().base_url(slow.uri()).customer_session(TOKEN).deadline(Duration::from_millis(200)).build();
    let started = Instant::now();
    let err =
        client.expect("builds").customer_portal().subscriptions().get(SUB_ID).send().await.expect_err("times out");
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
    match err {
        GetError::Timeout(e) => {
            assert!(e.is_deadline(), "{e}");
            assert_eq!(e.timeout(), Some(Duration::from_millis(200)));
        }
        other => panic!("expected Timeout, got {other:?}"),
    }
    assert_eq!(received(&slow).await.len(), 1);
}

#[tokio::test]
async fn a_retried_cancel_whose_first_attempt_succeeded_reports_already_canceled_with_two_attempts() {
    // The first cancel reached the server and canceled, but a proxy answered 503; the retry is told
    // the subscription is already canceled. The caller sees exactly that, and that it took two attempts.
    let already = json!({ "error": "AlreadyCanceledSubscription", "detail": "This subscription is already canceled." });
    let server =
        serving_in_turn(vec![ResponseTemplate::new(503), ResponseTemplate::new(403).set_body_json(already)]).await;
    let err = client_with_policy(&server, fast_policy())
        .customer_portal()
        .subscriptions()
        .cancel(SUB_ID)
        .send()
        .await
        .expect_err("403");
    assert_eq!(err.attempts(), Some(2));
    match err {
        CancelError::Forbidden(e) => assert_eq!(e.attempts(), 2),
        other => panic!("expected Forbidden, got {other:?}"),
    }
    assert_eq!(received(&server).await.len(), 2);
    // With retries off for the call, the 503 itself is the answer.
    let server = serving_in_turn(vec![ResponseTemplate::new(503)]).await;
    let err =
        client(&server).customer_portal().subscriptions().cancel(SUB_ID).retry_policy(RetryPolicy::none()).send().await;
    assert!(matches!(&err, Err(CancelError::Unexpected(e)) if e.status().as_u16() == 503), "{err:?}");
}

#[tokio::test]
async fn default_retries_by_method_and_status_are_pinned() {
    // (method, status) → requests made under the default attempts (3), with fast backoff.
    async fn requests_for(status: u16, call: impl AsyncFnOnce(&Client)) -> usize {
        let server = serving(ResponseTemplate::new(status)).await;
        call(&client_with_policy(&server, fast_policy())).await;
        received(&server).await.len()
    }
    let get = async |c: &Client| drop(c.customer_portal().subscriptions().get(SUB_ID).send().await);
    let delete = async |c: &Client| drop(c.customer_portal().subscriptions().cancel(SUB_ID).send().await);
    let patch = async |c: &Client| {
        drop(c.customer_portal().subscriptions().update(SUB_ID, CustomerSubscriptionUpdate::resume()).send().await)
    };
    assert_eq!(requests_for(429, get).await, 3);
    assert_eq!(requests_for(429, delete).await, 3);
    assert_eq!(requests_for(429, patch).await, 3);
    assert_eq!(requests_for(503, get).await, 3);
    assert_eq!(requests_for(503, delete).await, 3);
    assert_eq!(requests_for(503, patch).await, 1, "PATCH may have been applied: not retried");
    assert_eq!(requests_for(501, get).await, 1, "501 is not transient");
    assert_eq!(requests_for(404, get).await, 1);
}

#[test]
fn every_generated_enum_is_non_exhaustive() {
    let root = tests::repo_root().join("generated/src");
    let mut enums = 0;
    for file in ["types.rs", "client.rs", "error.rs", "api/customer_portal/subscriptions.rs"] {
        let text = std::fs::read_to_string(root.join(file)).expect("reads");
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate().filter(|(_, l)| l.starts_with("pub enum ")) {
            enums += 1;
            let attrs = lines[..i].iter().rev().take_while(|l| l.starts_with("#[") || l.starts_with("///"));
            assert!(attrs.clone().any(|l| *l == "#[non_exhaustive]"), "{file}: `{line}` is not #[non_exhaustive]");
        }
    }
    assert!(enums > 20, "found only {enums} enums");
}

// ---------------------------------------------------------------------------------------------
// bodies carry what the caller set, and nothing the document's defaults would add
// ---------------------------------------------------------------------------------------------

/// The one request `server` received, and its JSON body as text.
async fn only_body(server: &MockServer) -> (wiremock::Request, String) {
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 1, "exactly one request");
    let body = String::from_utf8(requests[0].body.clone()).expect("utf-8");
    (requests[0].clone(), body)
}

#[tokio::test]
async fn a_patch_body_carries_only_the_field_the_caller_set() {
    use forms_client::types::{Org, OrgUpdate, OrgUpdateDefaultRepositoryPermission as Permission};
    // The server leaves out both fields with a declared default.
    let server =
        serving(ResponseTemplate::new(200).set_body_json(json!({ "login": "acme", "name": "Acme Labs" }))).await;
    let client = forms_client::Client::builder().base_url(server.uri()).build().expect("builds");
    let update = OrgUpdate { name: Some("Acme Labs".into()), ..OrgUpdate::default() };
    // Reading the update gives the defaults; sending it does not.
    assert!(update.members_can_create_repositories());
    assert_eq!(update.default_repository_permission(), Permission::Read);
    assert_eq!(update.max_seats(), 10);
    let org: Org = client.update_org("acme", update).send().await.expect("updated").into_body();

    let (request, body) = only_body(&server).await;
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(body, r#"{"name":"Acme Labs"}"#, "the members' permissions must not be reset");
    // What the server left out stays out, and reads as its declared default.
    assert_eq!(org.members_can_create_repositories, None);
    assert!(org.members_can_create_repositories());
    assert_eq!(org.default_repository_permission(), forms_client::types::OrgDefaultRepositoryPermission::Read);
    assert_eq!(serde_json::to_value(&org).expect("encodes"), json!({ "login": "acme", "name": "Acme Labs" }));
}

#[tokio::test]
async fn a_create_body_sends_no_default_and_whole_amounts_as_integers() {
    use forms_client::types::{RefundCreate, RefundCreateReason};
    let echo = json!({ "order_id": "ord_1", "amount": 840, "reason": "duplicate" });
    let server = serving(ResponseTemplate::new(201).set_body_json(&echo)).await;
    let client = forms_client::Client::builder().base_url(server.uri()).build().expect("builds");
    let refund = RefundCreate { order_id: "ord_1".into(), amount: 840.0, revoke_benefits: None, reason: None };
    client.create_refund(refund).send().await.expect("created");
    let (_, body) = only_body(&server).await;
    // No `revoke_benefits` or `reason`: the server applies its own current defaults.
    assert_eq!(body, r#"{"order_id":"ord_1","amount":840}"#);

    let server = serving(ResponseTemplate::new(201).set_body_json(&echo)).await;
    let client = forms_client::Client::builder().base_url(server.uri()).build().expect("builds");
    let refund = RefundCreate {
        order_id: "ord_1".into(),
        amount: 0.46052632135780236,
        revoke_benefits: Some(false),
        reason: Some(RefundCreateReason::Duplicate),
    };
    let created = client.create_refund(refund).send().await.expect("created");
    let (_, body) = only_body(&server).await;
    // Read exactly: the nearest double to the text, as the standard library parses it.
    let exact: f64 = "0.46052632135780236".parse().expect("a float");
    let served: RefundCreate =
        serde_json::from_str(r#"{"order_id":"ord_1","amount":0.46052632135780236}"#).expect("decodes");
    assert_eq!(served.amount.to_bits(), exact.to_bits(), "read as {}", served.amount);
    // A field set to its default value is sent, since the caller set it; a float goes out exactly.
    assert_eq!(
        body,
        r#"{"order_id":"ord_1","amount":0.46052632135780236,"revoke_benefits":false,"reason":"duplicate"}"#
    );
    assert_eq!(created.revoke_benefits, None);
    assert_eq!(created.reason(), RefundCreateReason::Duplicate);
}

// ---------------------------------------------------------------------------------------------
// OpenAPI 3.1 (`tests/clients/openapi31.yaml`): mutual TLS, a path parameter named twice, a
// discriminator mapping into an extension
// ---------------------------------------------------------------------------------------------

fn tls_file(name: &str) -> Vec<u8> {
    std::fs::read(tests::repo_root().join("tests/tests/it/data/tls").join(name)).expect("test certificates")
}

/// A TLS server on loopback that requires a client certificate its CA signed, answers every
/// request with a token, and counts the handshakes that presented one.
async fn mutual_tls_server() -> (String, Arc<AtomicUsize>) {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&tls_file("ca.pem")) {
        roots.add(cert.expect("a CA certificate")).expect("trusted");
    }
    let verifier = rustls::server::WebPkiClientVerifier::builder(Arc::new(roots)).build().expect("a verifier");
    let chain: Vec<CertificateDer<'static>> =
        CertificateDer::pem_slice_iter(&tls_file("server.pem")).map(|c| c.expect("a certificate")).collect();
    let key = PrivateKeyDer::from_pem_slice(&tls_file("server.key")).expect("the server key");
    let config = rustls::ServerConfig::builder().with_client_cert_verifier(verifier).with_single_cert(chain, key);
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config.expect("a server config")));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("address").port();
    let verified = Arc::new(AtomicUsize::new(0));
    let seen = verified.clone();
    tokio::spawn(async move {
        loop {
            let Ok((socket, _)) = listener.accept().await else { return };
            let (acceptor, seen) = (acceptor.clone(), seen.clone());
            tokio::spawn(async move {
                // A client without a certificate fails the handshake here.
                let Ok(mut tls) = acceptor.accept(socket).await else { return };
                if tls.get_ref().1.peer_certificates().is_some_and(|c| !c.is_empty()) {
                    seen.fetch_add(1, Ordering::SeqCst);
                }
                let mut request = Vec::new();
                let mut buffer = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match tls.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buffer[..n]),
                    }
                }
                let body = r#"{"access_token":"t0k"}"#;
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(response.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (format!("https://localhost:{port}"), verified)
}

#[tokio::test]
async fn mutual_tls_presents_the_client_certificate_and_a_client_without_one_is_refused() {
    let (base, verified) = mutual_tls_server().await;
    let ca = openapi31_client::reqwest::Certificate::from_pem(&tls_file("ca.pem")).expect("the CA");
    let identity =
        openapi31_client::reqwest::Identity::from_pem(&tls_file("client_identity.pem")).expect("the identity");
    let client = openapi31_client::Client::builder()
        .base_url(&base)
        .root_certificate(ca.clone())
        .client_cert(identity.clone())
        .build()
        .expect("builds");
    let token = client.get_secure().send().await.expect("the server takes the certificate");
    assert_eq!(token.access_token, "t0k");
    assert_eq!(verified.load(Ordering::SeqCst), 1, "the handshake presented the certificate");

    let without = openapi31_client::Client::builder().base_url(&base).root_certificate(ca).build().expect("builds");
    match without.get_secure().send().await {
        Err(openapi31_client::api::GetSecureError::Transport(_)) => {}
        other => panic!("a client without a certificate must fail the handshake: {other:?}"),
    }
    assert_eq!(verified.load(Ordering::SeqCst), 1);

    // A transport of the caller's own has its own TLS settings: the builder says so.
    let own = openapi31_client::Client::builder()
        .http_client(openapi31_client::reqwest::Client::new())
        .client_cert(identity)
        .build();
    assert!(matches!(own, Err(openapi31_client::BuildError::TlsWithHttpClient)), "{own:?}");
}

#[tokio::test]
async fn a_path_parameter_named_twice_is_sent_in_both_places() {
    let server = serving(ResponseTemplate::new(200).set_body_json(json!({ "ok": true }))).await;
    let client = openapi31_client::Client::builder().base_url(server.uri()).bearer("t").build().expect("builds");
    let answer = client.get_anything("a b", "run").send().await.expect("sent");
    assert_eq!(answer.into_body(), json!({ "ok": true }));
    let (request, _) = only_body(&server).await;
    assert_eq!(request.url.path(), "/anything/a%20b/run/a%20b");
}

#[tokio::test]
async fn a_union_mapped_into_an_extension_is_sent_by_its_tag() {
    use openapi31_client::types::{AuthorizationCodeTokenRequest, CreateTokenBody};
    let server = serving(ResponseTemplate::new(200).set_body_json(json!({ "access_token": "t" }))).await;
    let client = openapi31_client::Client::builder().base_url(server.uri()).build().expect("builds");
    let body = AuthorizationCodeTokenRequest {
        grant_type: "authorization_code".into(),
        code: "abc123".into(),
        redirect_uri: None,
    };
    client.create_token(body).send().await.expect("sent");
    let (request, body) = only_body(&server).await;
    assert_eq!(body, r#"{"grant_type":"authorization_code","code":"abc123"}"#);
    assert!(request.headers.get("authorization").is_none(), "`security: []` sends no credentials");
    let decoded: CreateTokenBody = serde_json::from_str(&body).expect("decodes");
    assert!(matches!(decoded, CreateTokenBody::AuthorizationCode(_)), "{decoded:?}");
}
