//! The benchmarks `cargo xtask bench` reports. Each figure is a pair, `<name>/ours` and
//! `<name>/baseline`, measured in the same run.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::time::Duration;

/// The generator on a whole document against the parse floor: `serde_json` into `openapiv3`, after
/// the 3.1 rewrite `openapiv3` needs.
fn codegen(c: &mut Criterion) {
    let config = generator::Config::default();
    for (name, text) in bench::documents() {
        let mut group = c.benchmark_group(format!("codegen {name}"));
        group.sample_size(10).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(3));
        group.bench_function("ours", |b| {
            b.iter(|| generator::generate(black_box(&text), &config).map(|o| o.files.len()))
        });
        group.bench_function("baseline", |b| {
            b.iter(|| {
                let value: serde_json::Value = serde_json::from_str(black_box(&text)).expect("JSON");
                serde_json::from_value::<openapiv3::OpenAPI>(generator::normalize::normalize(value))
                    .map(|d| d.paths.paths.len())
            })
        });
        group.finish();
    }
}

/// A page of 100 subscriptions into our types, against `serde_json::Value` on the same bytes.
fn decode(c: &mut Criterion) {
    let page = bench::page_json(100);
    let mut group = c.benchmark_group("decode page of 100");
    group.bench_function("ours", |b| {
        b.iter(|| {
            serde_json::from_slice::<polar_client::types::ListResourceCustomerSubscription>(black_box(page.as_bytes()))
                .map(|p| p.items.len())
        })
    });
    group.bench_function("baseline", |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(page.as_bytes())).map(|v| v.is_object()))
    });
    group.finish();
}

/// 1,000 sequential GETs of one subscription over loopback, through the client against bare
/// reqwest (one connection pool each, the same decode into our type).
fn requests(c: &mut Criterion) {
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let item = include_str!("../../tests/tests/it/data/customer_subscription.json");
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        let template = ResponseTemplate::new(200).set_body_raw(item, "application/json");
        Mock::given(any()).respond_with(template).mount(&server).await;
        server
    });
    let id = uuid::Uuid::from_u128(0x7f5c3a1e_2b4d_4e6f_8a9b_0c1d2e3f4a5b);
    let client = polar_client::Client::builder()
        .base_url(server.uri())
        .customer_session("tok_secret")
        .build()
        .expect("a client");
    let bare = reqwest::Client::new();
    let url = format!("{}/v1/customer-portal/subscriptions/{id}", server.uri());
    let mut group = c.benchmark_group("1000 GETs");
    group.sample_size(10).measurement_time(Duration::from_secs(5));
    group.bench_function("ours", |b| {
        b.iter(|| {
            runtime.block_on(async {
                for _ in 0..1000 {
                    let response = client.customer_portal().subscriptions().get(id).send().await.expect("a response");
                    black_box(response.body().id);
                }
            })
        })
    });
    group.bench_function("baseline", |b| {
        b.iter(|| {
            runtime.block_on(async {
                for _ in 0..1000 {
                    let response = bare.get(&url).bearer_auth("tok_secret").send().await.expect("a response");
                    let bytes = response.bytes().await.expect("a body");
                    let body: polar_client::types::CustomerSubscription =
                        serde_json::from_slice(&bytes).expect("decodes");
                    black_box(body.id);
                }
            })
        })
    });
    group.finish();
}

criterion_group!(benches, codegen, decode, requests);
criterion_main!(benches);
