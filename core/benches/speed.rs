//! What the core itself takes per operation on `bench/workload.json`: the
//! floor every binding is measured against in `make bench`. Criterion
//! writes its estimates under `target/criterion/<operation id>/`, where
//! `bench/report.py` reads them.
//!
//!     cargo bench -p wxpay --bench speed [-- <operation id>]

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise
use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use wxpay::{ApiKey, BridgePayParams, Merchant, PaymentNotify, SignType, SystemClock};

fn workload() -> serde_json::Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../bench/workload.json");
    let text = std::fs::read_to_string(path).expect("bench/workload.json");
    serde_json::from_str(&text).expect("workload JSON")
}

fn text<'a>(w: &'a serde_json::Value, pointer: &str) -> &'a str {
    w.pointer(pointer)
        .and_then(|v| v.as_str())
        .unwrap_or_else(|| panic!("bench/workload.json has no {pointer}"))
}

fn speed(c: &mut Criterion) {
    let w = workload();
    let key_text = text(&w, "/api_key");
    let key = ApiKey::new(key_text).expect("key");
    let order: wxpay::Params =
        serde_json::from_value(w["unified_order"].clone()).expect("unified_order");
    let notify = text(&w, "/notify_xml").as_bytes().to_vec();
    let merchant = Merchant::new(
        text(&w, "/merchant/appid"),
        text(&w, "/merchant/mch_id"),
        key_text,
        SignType::Md5,
    )
    .expect("merchant");
    let prepay = text(&w, "/prepay_id");
    let (ticket, nonce, url) = (
        text(&w, "/jssdk/jsapi_ticket"),
        text(&w, "/jssdk/noncestr"),
        text(&w, "/jssdk/url"),
    );
    let timestamp = w["jssdk"]["timestamp"].as_u64().expect("timestamp");
    // The bindings read the clock and draw a nonce on every call; so does this.
    let clock = SystemClock;

    // The outputs every language is checked against before timing.
    assert_eq!(
        wxpay::jssdk_signature(ticket, nonce, timestamp, url).expect("jssdk"),
        text(&w, "/jssdk/signature")
    );
    PaymentNotify::verify(&merchant, &notify).expect("the workload's notification verifies");
    for (id, sign_type) in [
        ("sign_md5", SignType::Md5),
        ("sign_hmac", SignType::HmacSha256),
    ] {
        let expected = text(&w, &format!("/expected/{id}"));
        assert_eq!(
            wxpay::sign(&order, &key, sign_type).expect("sign"),
            expected
        );
    }

    c.bench_function("sign_md5", |b| {
        b.iter(|| wxpay::sign(black_box(&order), &key, SignType::Md5))
    });
    c.bench_function("sign_hmac", |b| {
        b.iter(|| wxpay::sign(black_box(&order), &key, SignType::HmacSha256))
    });
    c.bench_function("signed_xml", |b| {
        b.iter(|| wxpay::to_signed_xml(black_box(&order), &key, SignType::Md5))
    });
    c.bench_function("verify_notify", |b| {
        b.iter(|| PaymentNotify::verify(&merchant, black_box(&notify)))
    });
    c.bench_function("bridge_params", |b| {
        b.iter(|| BridgePayParams::new(&merchant, black_box(prepay), SignType::Md5, &clock))
    });
    c.bench_function("jssdk_signature", |b| {
        b.iter(|| wxpay::jssdk_signature(ticket, nonce, black_box(timestamp), url))
    });
    c.bench_function("from_xml", |b| {
        b.iter(|| wxpay::from_xml(black_box(&notify)))
    });
}

/// API v3: a request signed as `ClientV3` signs it, and a payment
/// notification through `ClientV3::parse_notification` (verify, decrypt)
/// and read into an order — both against `bench/v3/openssl.py`'s numbers.
fn v3(c: &mut Criterion) {
    use wxpay::v3::{MerchantKey, RequestSigner, TransactionAsked, TransactionV3};
    let w = workload();
    let v = &w["v3"];
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/v3/");
    let read = |name: &str| std::fs::read_to_string(format!("{root}{name}")).expect(name);
    let r = &v["request"];
    let signer = RequestSigner::new(
        text(v, "/request/mchid"),
        text(v, "/request/serial"),
        MerchantKey::from_pem(&read("keys/merchant_key.pem")).expect("key"),
    )
    .expect("signer");
    let (method, path, nonce, body) = (
        text(v, "/request/method"),
        text(v, "/request/path"),
        text(v, "/request/nonce"),
        text(v, "/request/body"),
    );
    let ts = r["timestamp"].as_u64().expect("timestamp");
    c.bench_function("v3_sign_request", |b| {
        b.iter(|| signer.authorization(method, black_box(path), ts, nonce, black_box(body)))
    });

    let cases: serde_json::Value =
        serde_json::from_str(&read("notifications.json")).expect("notifications.json");
    let case = cases["cases"]
        .as_array()
        .and_then(|all| all.iter().find(|c| c["name"] == v["notification"]))
        .expect("the workload's notification case");
    let h = &case["headers"];
    let now: u64 = text(h, "/timestamp").parse().expect("timestamp");
    let mut config = wxpay::ClientV3Config::new(
        "1900009191",
        "wxd930ea5d5a258f4f",
        &read("keys/merchant_key.pem"),
        text(v, "/request/serial"),
        text(case, "/apiv3_key"),
    );
    config.platform_certificates = vec![read("keys/platform_cert.pem")];
    config.public_key_id = Some("PUB_KEY_ID_0114232025120400000000000000000001".into());
    config.public_key_pem = Some(read("keys/wechatpay_public_key.pem"));
    config.auto_certificates = false;
    config.clock = std::sync::Arc::new(wxpay::FixedClock::new(now, "n"));
    let client = wxpay::ClientV3::new(config).expect("client");
    let headers = [
        ("Wechatpay-Timestamp", text(h, "/timestamp")),
        ("Wechatpay-Nonce", text(h, "/nonce")),
        ("Wechatpay-Signature", text(h, "/signature")),
        ("Wechatpay-Serial", text(h, "/serial")),
    ];
    let body = text(case, "/body").as_bytes();
    let open = || {
        let n = client.parse_notification(headers, black_box(body))?;
        let no = n.resource["out_trade_no"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        TransactionV3::check(
            n.resource,
            &TransactionAsked {
                mchid: "1900009191",
                appid: "wxd930ea5d5a258f4f",
                out_trade_no: &no,
                total: None,
                sub: None,
            },
        )
    };
    assert!(open().expect("the workload's notification opens").paid);
    c.bench_function("v3_notification", |b| b.iter(open));
    let prepay = text(&w, "/prepay_id");
    c.bench_function("v3_jsapi_params", |b| {
        b.iter(|| client.jsapi_params(black_box(prepay)))
    });
}

criterion_group! {
    name = benches;
    // Short runs: make bench covers every language in a few minutes.
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30);
    targets = speed, v3
}
criterion_main!(benches);
