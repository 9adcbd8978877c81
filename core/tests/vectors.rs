//! Runs every case of every file in tests/vectors/ against the core.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

use std::path::PathBuf;

use base64::Engine;
use serde_json::Value;
use wxpay::*;

fn load(name: &str) -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/vectors")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: Value = serde_json::from_str(&text).expect("vector file is JSON");
    let cases = doc["cases"].as_array().expect("cases").clone();
    assert!(!cases.is_empty(), "{name} has no cases");
    cases
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str()
        .unwrap_or_else(|| panic!("{k} is not a string in {v}"))
}

fn params(v: &Value) -> Params {
    v.as_object()
        .expect("object")
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().expect("string value").to_owned()))
        .collect()
}

fn bytes_of(case: &Value, key: &str) -> Vec<u8> {
    match case.get(format!("{key}_base64")) {
        Some(b) => base64::engine::general_purpose::STANDARD
            .decode(b.as_str().unwrap())
            .unwrap(),
        None => s(case, key).as_bytes().to_vec(),
    }
}

fn merchant(v: &Value) -> Merchant {
    Merchant::new(
        s(v, "appid"),
        s(v, "mch_id"),
        s(v, "api_key"),
        SignType::parse(s(v, "sign_type")).unwrap(),
    )
    .unwrap()
}

/// Asserts that `result` failed as `expect.error` says.
fn assert_error<T: std::fmt::Debug>(name: &str, result: Result<T>, expect: &Value) {
    let want = &expect["error"];
    let err = match result {
        Ok(v) => panic!("{name}: expected {want}, got Ok({v:?})"),
        Err(e) => e,
    };
    assert_eq!(err.kind().as_str(), s(want, "kind"), "{name}: {err}");
    if let Some(reason) = want.get("reason") {
        assert_eq!(err.reason(), reason.as_str(), "{name}: {err}");
    }
    if let Some(code) = want.get("err_code") {
        match &err {
            Error::Business { err_code, .. } => {
                assert_eq!(err_code, code.as_str().unwrap(), "{name}")
            }
            other => panic!("{name}: expected Business, got {other:?}"),
        }
    }
    if let Some(r) = want.get("retryable") {
        assert_eq!(err.retryable(), r.as_bool().unwrap(), "{name}");
    }
}

#[test]
fn sign_vectors() {
    for case in load("sign.json") {
        let name = s(&case, "name");
        let result = (|| {
            let key = ApiKey::new(s(&case, "key"))?;
            let st = SignType::parse(s(&case, "sign_type"))?;
            let p = params(&case["params"]);
            let string = sign_string(&p)?;
            Ok((string, sign(&p, &key, st)?))
        })();
        let expect = &case["expect"];
        match expect.get("ok") {
            Some(ok) => {
                let (string, got) = result.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(got, ok.as_str().unwrap(), "{name}");
                assert_eq!(string, s(&case, "sign_string"), "{name}");
            }
            None => assert_error(name, result, expect),
        }
    }
}

#[test]
fn verify_vectors() {
    for case in load("verify.json") {
        let name = s(&case, "name");
        let key = ApiKey::new(s(&case, "key")).unwrap();
        let st = SignType::parse(s(&case, "sign_type")).unwrap();
        let result = verify(&params(&case["params"]), &key, st);
        if case["expect"].get("ok").is_some() {
            result.unwrap_or_else(|e| panic!("{name}: {e}"));
        } else {
            assert_error(name, result, &case["expect"]);
        }
    }
}

#[test]
fn xml_vectors() {
    for case in load("xml.json") {
        let name = s(&case, "name");
        let data = bytes_of(&case, "input");
        let started = std::time::Instant::now();
        let result = from_xml(&data);
        assert!(
            started.elapsed() < std::time::Duration::from_millis(500),
            "{name} took {:?}",
            started.elapsed()
        );
        match case["expect"].get("ok") {
            Some(ok) => assert_eq!(
                result.unwrap_or_else(|e| panic!("{name}: {e}")),
                params(ok),
                "{name}"
            ),
            None => assert_error(name, result, &case["expect"]),
        }
    }
}

#[test]
fn xml_roundtrip_vectors() {
    for case in load("xml_roundtrip.json") {
        let name = s(&case, "name");
        let fields = params(&case["fields"]);
        match case.get("expect") {
            None => {
                let xml = to_xml(&fields).unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(from_xml(xml.as_bytes()).unwrap(), fields, "{name}: {xml}");
            }
            Some(expect) => assert_error(name, to_xml(&fields), expect),
        }
    }
}

#[test]
fn jssdk_vectors() {
    for case in load("jssdk.json") {
        let name = s(&case, "name");
        let result = jssdk_signature(
            s(&case, "jsapi_ticket"),
            s(&case, "noncestr"),
            case["timestamp"].as_u64().unwrap(),
            s(&case, "url"),
        );
        match case["expect"].get("ok") {
            Some(ok) => assert_eq!(result.unwrap(), ok.as_str().unwrap(), "{name}"),
            None => assert_error(name, result, &case["expect"]),
        }
    }
}

#[test]
fn pay_params_vectors() {
    for case in load("pay_params.json") {
        let name = s(&case, "name");
        let m = merchant(&case["merchant"]);
        let clock = FixedClock::new(case["timestamp"].as_u64().unwrap(), s(&case, "nonce"));
        let prepay = s(&case, "prepay_id");
        let result: Result<Value> = match s(&case, "shape") {
            "bridge" => BridgePayParams::new(&m, prepay, m.sign_type(), &clock)
                .map(|p| serde_json::from_str(&p.to_json()).unwrap()),
            "jssdk" => JssdkPayParams::new(&m, prepay, m.sign_type(), &clock)
                .map(|p| serde_json::from_str(&p.to_json()).unwrap()),
            "app" => AppPayParams::new(&m, prepay, m.sign_type(), &clock)
                .map(|p| serde_json::from_str(&p.to_json()).unwrap()),
            other => panic!("unknown shape {other}"),
        };
        match case["expect"].get("ok") {
            Some(ok) => assert_eq!(
                &result.unwrap_or_else(|e| panic!("{name}: {e}")),
                ok,
                "{name}"
            ),
            None => assert_error(name, result, &case["expect"]),
        }
    }
}

#[test]
fn notify_vectors() {
    for case in load("notify.json") {
        let name = s(&case, "name");
        let m = merchant(&case["merchant"]);
        let body = bytes_of(&case, "body");
        let result = PaymentNotify::verify(&m, &body);
        let Some(ok) = case["expect"].get("ok") else {
            assert_error(name, result, &case["expect"]);
            continue;
        };
        let n = result.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(n.is_paid(), ok["paid"].as_bool().unwrap(), "{name}");
        assert_eq!(n.out_trade_no, s(ok, "out_trade_no"), "{name}");
        assert_eq!(
            n.transaction_id.as_deref(),
            ok["transaction_id"].as_str(),
            "{name}"
        );
        assert_eq!(n.total_fee, ok["total_fee"].as_u64(), "{name}");
        // Every received field is kept, including ones wxpay does not model.
        assert_eq!(n.raw, from_xml(&body).unwrap(), "{name}");
        if let Some(expected) = case.get("expected_total_fee") {
            let check = n.check_amount(expected.as_u64().unwrap());
            if case["amount_expect"].get("ok").is_some() {
                check.unwrap_or_else(|e| panic!("{name}: {e}"));
            } else {
                assert_error(name, check, &case["amount_expect"]);
            }
        }
    }
}

#[test]
fn refund_notify_vectors() {
    for case in load("refund_notify.json") {
        let name = s(&case, "name");
        let result = if let Some(req_info) = case.get("req_info") {
            decrypt_req_info(
                req_info.as_str().unwrap(),
                &ApiKey::new(s(&case, "api_key")).unwrap(),
            )
        } else {
            RefundNotify::parse(&merchant(&case["merchant"]), s(&case, "body").as_bytes()).map(
                |n| {
                    assert_eq!(n.info["out_refund_no"], n.out_refund_no);
                    n.info
                },
            )
        };
        match case["expect"].get("ok") {
            Some(ok) => assert_eq!(
                result.unwrap_or_else(|e| panic!("{name}: {e}")),
                params(ok),
                "{name}"
            ),
            None => assert_error(name, result, &case["expect"]),
        }
    }
}

#[test]
fn oauth_vectors() {
    for case in load("oauth.json") {
        let name = s(&case, "name");
        let result = Scope::parse(s(&case, "scope")).and_then(|scope| {
            oauth_authorize_url(
                s(&case, "base_url"),
                s(&case, "appid"),
                s(&case, "redirect_uri"),
                scope,
                case["state"].as_str(),
            )
        });
        match case["expect"].get("ok") {
            Some(ok) => assert_eq!(result.unwrap(), ok.as_str().unwrap(), "{name}"),
            None => assert_error(name, result, &case["expect"]),
        }
    }
}

fn order_ref(req: &Value) -> OrderRef {
    OrderRef::OutTradeNo(s(req, "out_trade_no").to_owned())
}

#[test]
fn reply_vectors() {
    for case in load("replies.json") {
        let name = s(&case, "name");
        let req = &case["request"];
        // A provider's call names the sub-merchant it is for.
        let m = match req.get("sub_mch_id").and_then(Value::as_str) {
            Some(id) => merchant(&case["merchant"]).for_sub_merchant(
                SubMerchant::new(id, req.get("sub_appid").and_then(Value::as_str)).unwrap(),
            ),
            None => merchant(&case["merchant"]),
        };
        let body = s(&case, "body").as_bytes();
        let clock = FixedClock::new(0, "nonce");
        let expect = &case["expect"];
        let check_ok = |got: Value| {
            let ok = &expect["ok"];
            for (k, v) in ok.as_object().unwrap() {
                assert_eq!(&got[k], v, "{name}: field {k}");
            }
        };
        macro_rules! run {
            ($result:expr, $to_json:expr) => {
                match expect.get("ok") {
                    Some(_) => {
                        check_ok($to_json($result.unwrap_or_else(|e| panic!("{name}: {e}"))))
                    }
                    None => assert_error(name, $result, expect),
                }
            };
        }
        match s(&case, "api") {
            "unifiedorder" => {
                let mut order = UnifiedOrder::jsapi(
                    "shop",
                    s(req, "out_trade_no"),
                    10000,
                    "127.0.0.1",
                    "https://shop.example/notify",
                    "openid",
                );
                order.trade_type = TradeType::parse(s(req, "trade_type")).unwrap();
                if order.trade_type == TradeType::Native {
                    order.product_id = Some("p1".into());
                }
                let signed = order.sign(&m, &clock).unwrap();
                run!(
                    UnifiedOrderReply::parse(&m, &signed, body),
                    |r: UnifiedOrderReply| serde_json::json!({
                    "prepay_id": r.prepay_id, "code_url": r.code_url })
                );
            }
            "orderquery" => {
                let q = OrderQuery {
                    order: order_ref(req),
                };
                let signed = q.sign(&m, &clock).unwrap();
                run!(
                    OrderQueryReply::parse(&m, &q, &signed, body),
                    |r: OrderQueryReply| serde_json::json!({
                    "trade_state": r.trade_state.as_str(), "total_fee": r.total_fee,
                    "coupons": r.coupons.iter().map(|c| serde_json::json!({"id": c.id, "fee": c.fee, "coupon_type": c.coupon_type})).collect::<Vec<_>>() })
                );
            }
            "closeorder" => {
                let signed = CloseOrder {
                    out_trade_no: s(req, "out_trade_no").into(),
                }
                .sign(&m, &clock)
                .unwrap();
                run!(
                    CloseOrderReply::parse(&m, &signed, body),
                    |r: CloseOrderReply| serde_json::json!({
                    "already_closed": r.already_closed })
                );
            }
            "refundquery" => {
                let query = RefundQuery {
                    refund: RefundRef::Order(order_ref(req)),
                    offset: None,
                };
                let signed = query.sign(&m, &clock).unwrap();
                run!(
                    RefundQueryReply::parse(&m, &query, &signed, body),
                    |r: RefundQueryReply| serde_json::json!({
                    "refunds": r.refunds.iter().map(|x| serde_json::json!({"out_refund_no": x.out_refund_no,
                        "refund_fee": x.refund_fee, "refund_status": x.refund_status.as_str(), "coupons": x.coupons.len()})).collect::<Vec<_>>() })
                );
            }
            "refund" => {
                let refund = Refund::new(
                    order_ref(req),
                    s(req, "out_refund_no"),
                    req["total_fee"].as_u64().unwrap(),
                    req["refund_fee"].as_u64().unwrap(),
                );
                let signed = refund.sign(&m, &clock).unwrap();
                run!(
                    RefundReply::parse(&m, &refund, &signed, body),
                    |r: RefundReply| serde_json::json!({
                    "refund_id": r.refund_id })
                );
            }
            "micropay" => {
                let pay = Micropay::new(
                    "counter",
                    s(req, "out_trade_no"),
                    req["total_fee"].as_u64().unwrap(),
                    "127.0.0.1",
                    s(req, "auth_code"),
                );
                let signed = pay.sign(&m, &clock).unwrap();
                // How Client::micropay ends on the reply: paid, or failed on a
                // final err_code (the open ones would go on to orderquery).
                let ended = MicropayReply::parse(&m, &pay, &signed, body)
                    .map(|r| serde_json::json!({"status": "paid", "transaction_id": r.transaction_id, "err_code": null}))
                    .or_else(|e| match e {
                        Error::Business { err_code, .. }
                            if !matches!(err_code.as_str(), "USERPAYING" | "SYSTEMERROR" | "BANKERROR") =>
                        {
                            Ok(serde_json::json!({"status": "failed", "transaction_id": null, "err_code": err_code}))
                        }
                        other => Err(other),
                    });
                run!(ended, |v: Value| v);
            }
            "authcodetoopenid" => {
                let signed = AuthCodeToOpenid {
                    auth_code: s(req, "auth_code").into(),
                }
                .sign(&m, &clock)
                .unwrap();
                run!(
                    AuthCodeToOpenid::parse(&m, &signed, body),
                    |openid: String| serde_json::json!({ "openid": openid })
                );
            }
            other => panic!("unknown api {other}"),
        }
    }
}

#[test]
fn bill_vectors() {
    for case in load("bill.json") {
        let name = s(&case, "name");
        let result = Bill::parse(&bytes_of(&case, "body"));
        let Some(ok) = case["expect"].get("ok") else {
            assert_error(name, result, &case["expect"]);
            continue;
        };
        let bill = result.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            bill.columns.len() as u64,
            ok["columns"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(
            bill.rows.len() as u64,
            ok["rows"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(bill.no_bill, ok["no_bill"].as_bool().unwrap(), "{name}");
        if let Some(first) = ok.get("first_row") {
            assert_eq!(serde_json::json!(bill.rows[0]), *first, "{name}");
        }
        assert_eq!(serde_json::json!(bill.summary), ok["summary"], "{name}");
    }
}

#[test]
fn reconcile_vectors() {
    for case in load("reconcile.json") {
        let name = s(&case, "name");
        let bill = bytes_of(&case, "bill");
        // Three ways in: records as JSON, the shop's CSV, and (for the
        // records) a bill parsed whole; byte by byte and at once.
        let mut runs: Vec<(&str, Result<Reconciliation>)> = Vec::new();
        let mut r = Reconciler::new();
        runs.push((
            "records",
            r.shop_records_json(case["records"].clone())
                .and_then(|_| r.bill_bytes(&bill))
                .and_then(|_| r.finish()),
        ));
        if let Some(csv) = case.get("shop_csv") {
            let mut r = Reconciler::with_options(ReconcileOptions {
                memory_budget: 1,
                ..ReconcileOptions::default()
            });
            let fed = bill
                .iter()
                .try_for_each(|b| r.bill_bytes(std::slice::from_ref(b)))
                .and_then(|_| r.shop_csv(csv.as_str().unwrap().as_bytes()));
            runs.push(("csv, byte by byte", fed.and_then(|_| r.finish())));
        }
        if let Ok(parsed) = Bill::parse(&bill) {
            let mut r = Reconciler::new();
            let fed = r
                .bill(&parsed)
                .and_then(|_| r.shop_records_json(case["records"].clone()));
            runs.push(("parsed bill", fed.and_then(|_| r.finish())));
        }
        for (how, result) in runs {
            let label = format!("{name} ({how})");
            match case["expect"].get("ok") {
                Some(ok) => {
                    let report = result.unwrap_or_else(|e| panic!("{label}: {e}"));
                    assert_eq!(serde_json::to_value(&report).unwrap(), *ok, "{label}");
                }
                None => assert_error(&label, result, &case["expect"]),
            }
        }
    }
}

#[test]
fn fund_flow_vectors() {
    for case in load("fund_flow.json") {
        let name = s(&case, "name");
        let result = FundFlow::parse(&bytes_of(&case, "body"));
        let Some(ok) = case["expect"].get("ok") else {
            assert_error(name, result, &case["expect"]);
            continue;
        };
        let flow = result.unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(flow.no_bill, ok["no_bill"].as_bool().unwrap(), "{name}");
        assert_eq!(
            flow.columns.len() as u64,
            ok["columns"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(
            flow.rows.len() as u64,
            ok["rows"].as_u64().unwrap(),
            "{name}"
        );
        if let Some(first) = ok.get("first_row") {
            assert_eq!(serde_json::json!(flow.rows[0]), *first, "{name}");
        }
        assert_eq!(serde_json::json!(flow.totals), ok["totals"], "{name}");
    }
}

#[test]
fn native_vectors() {
    let mut kinds = std::collections::BTreeSet::new();
    for case in load("native.json") {
        let name = s(&case, "name");
        let m = merchant(&case["merchant"]);
        let kind = s(&case, "kind");
        kinds.insert(kind.to_owned());
        let clock = || FixedClock::new(case["timestamp"].as_u64().unwrap_or(0), s(&case, "nonce"));
        let result: Result<Value> = match kind {
            "qr_link" => native_qr_link(&m, s(&case, "product_id"), &clock()).map(Value::from),
            "scan_callback" => ScanCallback::verify(&m, &bytes_of(&case, "body")).map(|c| {
                serde_json::json!({ "openid": c.openid, "product_id": c.product_id, "is_subscribe": c.is_subscribe })
            }),
            "scan_reply" | "scan_refusal" => {
                let (prepay_id, message) = match kind {
                    "scan_reply" => (Some(s(&case, "prepay_id")), ""),
                    _ => (None, s(&case, "message")),
                };
                native_scan_reply(&m, prepay_id, message, &clock()).map(|xml| {
                    serde_json::to_value(from_xml(xml.as_bytes()).unwrap()).unwrap()
                })
            }
            other => panic!("{name}: unknown kind {other}"),
        };
        match case["expect"].get("ok") {
            Some(ok) => assert_eq!(
                &result.unwrap_or_else(|e| panic!("{name}: {e}")),
                ok,
                "{name}"
            ),
            None => assert_error(name, result, &case["expect"]),
        }
    }
    assert_eq!(kinds.len(), 4, "every kind has cases");
}
