//! The one dispatch path of every binding: names, positions, defaults and
//! rules of each operation, decided in the core.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

use std::time::Duration;

use serde_json::{json, Value};
use wxpay::*;

fn op(name: &str, args: Value) -> Result<Operation> {
    Operation::parse(name, Vec::new(), args)
}

fn refused(result: Result<Operation>) -> (String, &'static str) {
    let e = result.expect_err("should be refused");
    assert_eq!(e.kind(), ErrorKind::InvalidInput, "{e}");
    (
        e.field().unwrap_or_default().to_owned(),
        e.reason().unwrap_or_default(),
    )
}

const ORDER: &str = r#"{"body": "b", "out_trade_no": "order-0001", "total_fee": 1,
    "spbill_create_ip": "127.0.0.1", "openid": "o"}"#;

#[test]
fn defaults_are_decided_here() {
    let Operation::UnifiedOrder(o) = Operation::from_json("unified_order", ORDER).unwrap() else {
        panic!()
    };
    assert_eq!(
        (o.trade_type, o.notify_url.as_str()),
        (TradeType::Jsapi, "")
    );
    let Operation::DownloadBill(b) =
        Operation::from_json("download_bill", r#"["20240101"]"#).unwrap()
    else {
        panic!()
    };
    assert_eq!((b.bill_type, b.gzip), (BillType::All, false));
    let Operation::OAuthAuthorizeUrl { scope, state, .. } =
        Operation::from_json("oauth_authorize_url", r#""https://shop.example/cb""#).unwrap()
    else {
        panic!()
    };
    assert_eq!((scope, state), (Scope::Base, None));
    let Operation::CheckOAuthState { max_age, .. } =
        Operation::from_json("check_oauth_state", r#"["s", "ctx"]"#).unwrap()
    else {
        panic!()
    };
    assert_eq!(max_age, Duration::from_secs(600));
    assert_eq!(SignType::default(), SignType::HmacSha256);
}

#[test]
fn positions_names_and_spellings_mean_the_same() {
    let by_position = Operation::parse(
        "download_bill",
        vec![json!("20240101"), json!("REFUND"), json!(true)],
        Value::Null,
    )
    .unwrap();
    let by_name = op(
        "download_bill",
        json!({"bill_date": "20240101", "billType": "REFUND", "gzip": true}),
    )
    .unwrap();
    let mixed = Operation::parse(
        "download_bill",
        vec![json!("20240101")],
        json!({"bill_type": "REFUND", "gzip": true}),
    )
    .unwrap();
    assert_eq!(by_position, by_name);
    assert_eq!(mixed, by_name);
    assert_eq!(
        refused(Operation::parse(
            "close_order",
            vec![json!("a")],
            json!({"out_trade_no": "a"})
        )),
        ("out_trade_no".into(), "Unknown")
    );
    assert_eq!(
        refused(Operation::parse(
            "close_order",
            vec![json!("a"), json!("b")],
            Value::Null
        ))
        .1,
        "WrongType"
    );
    assert_eq!(
        refused(op(
            "query_order",
            json!({"outTradeNo": "a", "out_trade_no": "a"})
        ))
        .1,
        "Unknown"
    );
    assert_eq!(
        refused(op("no_such_thing", Value::Null)),
        ("operation".into(), "Unknown")
    );
    let unique: std::collections::BTreeSet<&str> = Operation::names().collect();
    assert_eq!(unique.len(), Operation::names().count(), "names are unique");
    for name in Operation::names() {
        assert!(Operation::positional_names(name).is_some(), "{name}");
    }
}

#[test]
fn exactly_one_reference() {
    assert_eq!(refused(op("query_order", json!({}))).0, "out_trade_no");
    assert_eq!(
        refused(op(
            "query_order",
            json!({"out_trade_no": "a", "transaction_id": "1"})
        ))
        .0,
        "out_trade_no"
    );
    assert_eq!(
        refused(op(
            "query_refund",
            json!({"refund_id": "1", "out_refund_no": "r"})
        ))
        .0,
        "refund_id"
    );
    assert_eq!(
        refused(op(
            "refund",
            json!({"out_refund_no": "r", "total_fee": 1, "refund_fee": 1})
        ))
        .0,
        "out_trade_no"
    );
    let Operation::QueryRefund(q) =
        op("query_refund", json!({"outTradeNo": "a", "offset": 10})).unwrap()
    else {
        panic!()
    };
    assert_eq!(
        (q.refund, q.offset),
        (RefundRef::Order(OrderRef::OutTradeNo("a".into())), Some(10))
    );
}

#[test]
fn wrong_shapes_name_the_argument_and_never_quote_it() {
    let base: Value = serde_json::from_str(ORDER).unwrap();
    let with = |name: &str, value: Value| {
        let mut v = base.clone();
        v[name] = value;
        op("unified_order", v)
    };
    assert_eq!(
        refused(with("total_fee", json!(9.9))),
        ("total_fee".into(), "WrongType")
    );
    assert_eq!(
        refused(with("total_fee", json!("100"))),
        ("total_fee".into(), "WrongType")
    );
    assert_eq!(
        refused(with("total_fee", json!(true))),
        ("total_fee".into(), "WrongType")
    );
    assert_eq!(
        refused(with("total_fee", json!(-1))),
        ("total_fee".into(), "Rule")
    );
    assert_eq!(
        refused(with("body", Value::Null)),
        ("body".into(), "WrongType")
    );
    assert_eq!(
        refused(with("tiemout", json!(1))),
        ("tiemout".into(), "Unknown")
    );
    assert_eq!(
        refused(with("attach", json!(5.5))),
        ("attach".into(), "WrongType")
    );
    assert_eq!(
        refused(with("extra", json!({"x": [1]}))),
        ("extra.x".into(), "WrongType")
    );
    let mut missing = base.clone();
    missing.as_object_mut().unwrap().remove("body");
    assert_eq!(
        refused(op("unified_order", missing)),
        ("body".into(), "Missing")
    );
    let e = with("spbill_create_ip", json!(["secret-value-1234"])).unwrap_err();
    assert!(!e.to_string().contains("secret-value-1234"), "{e}");
    // A JSON text that does not parse is a wrong shape too.
    assert_eq!(
        Operation::from_json("unified_order", "{")
            .unwrap_err()
            .reason(),
        Some("WrongType")
    );
}

#[test]
fn documented_optional_fields_by_name_others_in_extra() {
    let mut v: Value = serde_json::from_str(ORDER).unwrap();
    v["attach"] = json!("cart-1");
    v["timeExpire"] = json!("20991231235959");
    v["extra"] = json!({"new_field": "x", "goods_tag": "t"});
    let Operation::UnifiedOrder(o) = op("unified_order", v.clone()).unwrap() else {
        panic!()
    };
    assert_eq!(o.extra["attach"], "cart-1");
    assert_eq!(o.extra["time_expire"], "20991231235959");
    assert_eq!(
        (o.extra["new_field"].as_str(), o.extra["goods_tag"].as_str()),
        ("x", "t")
    );
    v["goods_tag"] = json!("other");
    assert_eq!(refused(op("unified_order", v)).0, "goods_tag");
    let Operation::Refund(r) = op(
        "refund",
        json!({"transaction_id": "4200", "out_refund_no": "r", "total_fee": 2, "refund_fee": 1,
               "refund_account": "REFUND_SOURCE_RECHARGE_FUNDS"}),
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(r.extra["refund_account"], "REFUND_SOURCE_RECHARGE_FUNDS");
}

#[test]
fn bodies_come_as_bytes_or_as_text() {
    let a = Operation::with_body(
        "verify_payment_notify",
        b"<xml/>".to_vec(),
        vec![json!(990)],
        Value::Null,
    )
    .unwrap();
    let b = Operation::from_json(
        "verify_payment_notify",
        r#"{"body": "<xml/>", "totalFee": 990}"#,
    )
    .unwrap();
    assert_eq!(a, b);
    assert!(!a.does_io());
    assert_eq!(
        refused(Operation::with_body(
            "close_order",
            Vec::new(),
            vec![],
            Value::Null
        ))
        .0,
        "body"
    );
    assert_eq!(
        refused(Operation::from_json("parse_refund_notify", "{}")),
        ("body".into(), "Missing")
    );
    assert_eq!(
        refused(Operation::from_json(
            "confirm_payment",
            r#"{"notify": {"paid": "yes"}}"#
        )),
        ("notify".into(), "WrongType")
    );
}

#[test]
fn outcomes_serialize_as_the_value_itself() {
    let client = Client::new(ClientConfig::new(
        "wxd930ea5d5a258f4f",
        "10000100",
        "192006250b4c09247ec02edce69f6a2d",
    ))
    .unwrap();
    let url = client
        .run(Operation::from_json("oauth_authorize_url", r#"["https://shop.example/cb"]"#).unwrap())
        .unwrap();
    assert!(url
        .as_text()
        .unwrap()
        .starts_with("https://open.weixin.qq.com/"));
    let state = client
        .run(Operation::from_json("oauth_state", r#""session-1""#).unwrap())
        .unwrap();
    let state = state.as_text().unwrap().to_owned();
    let checked = client
        .call_json(
            "check_oauth_state",
            &json!([state, "session-1"]).to_string(),
        )
        .unwrap();
    assert_eq!(checked, "null");
    let params = client
        .call_json(
            "jsapi_params",
            r#"["wx201410272009395522657a690389285100"]"#,
        )
        .unwrap();
    let params: Value = serde_json::from_str(&params).unwrap();
    assert_eq!(
        params["package"],
        "prepay_id=wx201410272009395522657a690389285100"
    );
    assert_eq!(params["signType"], "HMAC-SHA256");
}

#[test]
fn the_shop_order_record_is_read_strictly() {
    let settle = |order: Option<Value>| {
        Operation::with_body(
            "settle_payment_notify",
            b"<xml/>".to_vec(),
            order.into_iter().collect(),
            Value::Null,
        )
    };
    let e = settle(None).unwrap_err();
    assert_eq!((e.field(), e.reason()), (Some("order"), Some("Missing")));
    assert!(settle(Some(Value::Null)).is_ok());
    assert!(settle(Some(json!({"totalFee": 990, "transactionId": "4200"}))).is_ok());
    for (bad, field) in [
        (json!({"total_fee": "990"}), "total_fee"),
        (json!({"total_fee": 9.9}), "total_fee"),
        (json!({"total_fee": -1}), "total_fee"),
        (json!({"total_fee": true}), "total_fee"),
        (json!({}), "total_fee"),
        (json!({"total_fee": 990, "paid": true}), "paid"),
        (json!(990), "order"),
    ] {
        let e = settle(Some(bad.clone())).unwrap_err();
        assert_eq!(e.kind(), wxpay::ErrorKind::InvalidInput, "{bad}");
        assert_eq!(e.field(), Some(field), "{bad}: {e}");
    }
    // A shop's whole row: refused by the key, saying what to return instead.
    let e = settle(Some(json!({"total_fee": 990, "status": "paid"}))).unwrap_err();
    assert_eq!((e.field(), e.reason()), (Some("status"), Some("Unknown")));
    for words in ["lookup", "total_fee", "transaction_id", "sub_mch_id"] {
        assert!(e.to_string().contains(words), "{e}");
    }
    assert!(
        settle(Some(Value::Null)).unwrap().does_io(),
        "it waits on orderquery"
    );
}

/// tests/vectors/operations.json is the name table every binding's
/// surface is checked against; the core's own table must say the same.
#[test]
fn the_shared_operation_table_is_the_cores() {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors/operations.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let shared: Vec<Value> = doc["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            json!({"name": c["name"], "positional": c["positional"], "io": c["io"], "sub": c["sub_merchant"],
                "result": c["result"]})
        })
        .collect();
    let core: Vec<Value> = Operation::specs()
        .iter()
        .map(|s| json!({"name": s.name, "positional": s.positional, "io": s.io, "sub": s.sub, "result": s.result}))
        .collect();
    assert_eq!(core, shared);
    for spec in Operation::specs() {
        // The spec the dispatch reads is the one it reports.
        assert_eq!(
            Operation::positional_names(spec.name),
            Some(spec.positional)
        );
    }
}

/// A value of a positional type of the operation table (`text`, `fen`, …;
/// see `OperationSpec::positional_types`); `None` for a result handed back,
/// which only its producer makes.
fn sample(ty: &str) -> Option<Value> {
    Some(match ty.trim_end_matches('?').trim_end_matches("|null") {
        "text" => json!("order-0001"),
        "texts" => json!(["chooseWXPay"]),
        "fen" => json!(1),
        "bool" => json!(true),
        "seconds" => json!(60),
        "ShopOrder" => json!({"total_fee": 1}),
        "ShopRecords" => json!([{"out_trade_no": "order-0001", "total_fee": 1}]),
        "body" => json!("<xml></xml>"),
        _ => return None,
    })
}

/// The table's declared argument types are what its readers take: a value
/// of the declared type is never refused as unknown or of the wrong type,
/// and a name the table does not declare is refused (so the generated host
/// methods cannot offer an argument the core would not read).
#[test]
fn declared_positional_types_are_read() {
    for spec in Operation::specs() {
        assert_eq!(
            spec.positional.len(),
            spec.positional_types.len(),
            "{}",
            spec.name
        );
        assert!(!spec.doc.trim().is_empty(), "{} has no doc", spec.name);
        for (name, ty) in spec.positional.iter().zip(spec.positional_types) {
            let known = [
                "text",
                "texts",
                "fen",
                "bool",
                "seconds",
                "body",
                "PaymentNotify",
                "ShopOrder",
                "ShopRecords",
            ];
            assert!(
                known.contains(&ty.trim_end_matches('?').trim_end_matches("|null")),
                "{}: {name}: {ty}",
                spec.name
            );
            let Some(value) = sample(ty) else { continue };
            let result = if spec.positional[0] == "body" && *name != "body" {
                Operation::with_body(
                    spec.name,
                    b"<xml></xml>".to_vec(),
                    Vec::new(),
                    json!({ *name: value }),
                )
            } else {
                op(spec.name, json!({ *name: value }))
            };
            if let Err(e) = result {
                let bad =
                    e.field() == Some(*name) && matches!(e.reason(), Some("Unknown" | "WrongType"));
                assert!(!bad, "{}: {name} as {ty}: {e}", spec.name);
            }
        }
        // Every declared argument and one more: the one more is refused
        // by name (operations taking named arguments have other tests).
        let mut all = serde_json::Map::new();
        for (name, ty) in spec.positional.iter().zip(spec.positional_types) {
            match sample(ty) {
                Some(v) => {
                    all.insert((*name).to_owned(), v);
                }
                None if ty.ends_with('?') => {}
                None => all.clear(),
            }
        }
        if spec.named || all.len() < spec.positional.iter().filter(|n| **n != "body").count() {
            continue;
        }
        all.insert("zz_not_an_argument".into(), json!("x"));
        let e = op(spec.name, Value::Object(all)).unwrap_err();
        assert_eq!(e.field(), Some("zz_not_an_argument"), "{}: {e}", spec.name);
        assert_eq!(e.reason(), Some("Unknown"), "{}: {e}", spec.name);
    }
}
