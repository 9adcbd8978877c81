//! API v3 through the dispatch path every binding uses: a client made
//! from its options as JSON (key files by path), each operation called by
//! name with JSON arguments, a notification handed over as raw bytes with
//! the framework's headers — a whole checkout in each key mode, and the
//! argument errors a binding's user meets.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

mod common;

use std::time::Duration;

use common::*;
use serde_json::{json, Value};
use wxpay::{ClientV3, ErrorKind};
use wxpay_sim::v3::V3Keys;
use wxpay_sim::SimConfig;

fn keys(name: &str) -> String {
    format!(
        "{}/../tests/vectors/v3/keys/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn client(base: &str, public_key: bool) -> ClientV3 {
    let mut options = json!({
        "mchid": wxpay_sim::DEFAULT_MCH_ID,
        "appid": wxpay_sim::DEFAULT_APPID,
        "privateKeyPath": keys("merchant_key.pem"),
        "merchantSerial": wxpay_sim::v3::merchant_serial(),
        "apiv3Key": wxpay_sim::v3::APIV3_KEY,
        "baseUrl": base,
        "retryBackoff": 0.01,
    });
    if public_key {
        options["publicKeyId"] = wxpay_sim::v3::PUBLIC_KEY_ID.into();
        options["publicKeyPath"] = keys("wechatpay_public_key.pem").into();
    }
    ClientV3::from_options_json(&options.to_string()).unwrap()
}

fn call(c: &ClientV3, op: &str, args: Value) -> Value {
    serde_json::from_str(&c.call_json(op, &args.to_string()).unwrap()).unwrap()
}

#[test]
fn a_checkout_by_name_in_each_key_mode() {
    for (mode, public_key) in [
        (V3Keys::Certificate, false),
        (V3Keys::PublicKey, true),
        (V3Keys::Migrating, true),
    ] {
        let sim = sim_with(SimConfig {
            time_scale: 0.001,
            v3_keys: mode,
            ..SimConfig::default()
        });
        let shop = ShopServer::answering(|_, _, _| (204, String::new()));
        let c = client(&sim.base_url(), public_key);
        let no = format!("v3d-{mode:?}").to_lowercase();
        let answer = call(
            &c,
            "prepay",
            json!({"kind": "jsapi", "description": "书店-图书", "outTradeNo": no,
                   "total": 990, "openid": wxpay_sim::DEFAULT_OPENID, "notifyUrl": shop.url}),
        );
        let prepay_id = answer["prepay_id"].as_str().unwrap();
        let params = call(&c, "jsapi_params", json!([prepay_id]));
        assert_eq!(params["signType"], "RSA");
        assert_eq!(sim.pay(&params)["err_msg"], "get_brand_wcpay_request:ok");
        assert!(wait_for(Duration::from_secs(10), || shop.count() >= 1));
        let received = shop.received.lock().unwrap()[0].clone();
        // The headers as a framework hands them over: an object of names.
        let headers: serde_json::Map<String, Value> = received
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect();
        let args = json!({"headers": headers}).to_string();
        let asked: Value = serde_json::from_str(
            &c.call_with_body("payment_notify_order", received.body.clone(), &args)
                .unwrap(),
        )
        .unwrap();
        assert_eq!(asked, Value::from(no.as_str()), "{mode:?}");
        let settled: Value = serde_json::from_str(
            &c.call_with_body(
                "settle_payment_notify",
                received.body.clone(),
                &json!({"headers": headers, "order": {"total_fee": 990}}).to_string(),
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(settled["status"], "paid", "{mode:?}: {settled}");
        assert_eq!(
            (settled["http_status"].as_u64(), settled["body"].as_str()),
            (Some(204), Some(""))
        );
        // Another amount than the shop's: refused, answered 500.
        let refused: Value = serde_json::from_str(
            &c.call_with_body(
                "settle_payment_notify",
                received.body.clone(),
                &json!({"headers": headers, "order": {"total_fee": 1}}).to_string(),
            )
            .unwrap(),
        )
        .unwrap();
        assert_eq!(
            (refused["status"].as_str(), refused["http_status"].as_u64()),
            (Some("refused"), Some(500))
        );
        assert_eq!(refused["error"]["kind"], "Mismatch");

        let order = call(&c, "query_order", json!({"outTradeNo": no, "total": 990}));
        assert_eq!(order["paid"], true);
        let refund = call(
            &c,
            "refund",
            json!({"out_trade_no": no, "out_refund_no": format!("{no}-r"), "refund": 100, "total": 990}),
        );
        assert_eq!(refund["refund"], 100);
        let again = call(
            &c,
            "query_refund",
            json!({"out_trade_no": no, "out_refund_no": format!("{no}-r"), "refund": 100, "total": 990}),
        );
        assert_eq!(again["refund_id"], refund["refund_id"]);
        let sealed = call(&c, "encrypt_sensitive", json!(["张三"]));
        assert!(sealed["serial"].is_string() && sealed["ciphertext"].is_string());
    }
}

#[test]
fn argument_errors_are_typed_and_name_the_argument() {
    let sim = sim_with(SimConfig {
        time_scale: 0.001,
        v3_keys: V3Keys::PublicKey,
        ..SimConfig::default()
    });
    let c = client(&sim.base_url(), true);
    let before = sim.stats().get("v3_query").copied().unwrap_or(0);
    for (op, args, field) in [
        ("query_order", json!({}), "out_trade_no"),
        (
            "query_order",
            json!({"out_trade_no": "order-0001", "transaction_id": "42"}),
            "out_trade_no",
        ),
        (
            "query_order",
            json!({"out_trade_no": "order-0001", "totl": 1}),
            "totl",
        ),
        (
            "query_order",
            json!({"out_trade_no": "order-0001", "total": 9.9}),
            "total",
        ),
        (
            "query_order",
            json!({"out_trade_no": "order-0001", "sub_appid": "wx1"}),
            "sub_mchid",
        ),
        (
            "prepay",
            json!({"kind": "jsapi", "description": "d", "out_trade_no": "order-0001", "total": 1}),
            "openid",
        ),
        (
            "prepay",
            json!({"kind": "pos", "description": "d", "out_trade_no": "order-0001", "total": 1}),
            "kind",
        ),
        (
            "close_order",
            json!(["order-0001", "1900000109", "extra"]),
            "close_order",
        ),
        ("no_such_operation", json!({}), "operation"),
    ] {
        let e = c.call_json(op, &args.to_string()).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidInput, "{op} {args}: {e}");
        assert_eq!(e.field(), Some(field), "{op} {args}: {e}");
    }
    let e = c
        .call_with_body("parse_notification", b"{}".to_vec(), "{}")
        .unwrap_err();
    assert_eq!(e.field(), Some("headers"));
    let e = c
        .call_with_body(
            "parse_notification",
            b"{}".to_vec(),
            r#"{"headers": {"Wechatpay-Serial": 1}}"#,
        )
        .unwrap_err();
    assert_eq!(e.field(), Some("headers"));
    // Nothing reached WeChat.
    assert_eq!(sim.stats().get("v3_query").copied().unwrap_or(0), before);
    // Options: a key given twice, or none.
    let e = ClientV3::from_options_json(
        &json!({"mchid": "10000100", "appid": "wx1", "private_key": "x", "private_key_path": "y",
                "merchant_serial": "AB", "apiv3_key": "k"})
        .to_string(),
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
    let e = ClientV3::from_options_json(
        &json!({"mchid": "10000100", "appid": "wx1", "merchant_serial": "AB", "apiv3_key": "k"})
            .to_string(),
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Config);
}
