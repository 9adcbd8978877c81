//! Runs tests/vectors/v3/*.json against the core: signatures and
//! Authorization headers, verification of answers and notifications, and
//! AES-256-GCM resources, including WeChat Pay's own SDK vectors.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

use std::path::PathBuf;

use serde_json::Value;
use wxpay::v3::{
    ApiV3Key, JsapiPayParamsV3, MerchantKey, Notification, RequestSigner, SignedHeaders, Verifier,
    WechatKey,
};
use wxpay::Error;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/v3")
}

fn load(name: &str) -> Vec<Value> {
    let text = std::fs::read_to_string(dir().join(name)).unwrap();
    let doc: Value = serde_json::from_str(&text).unwrap();
    doc["cases"].as_array().unwrap().clone()
}

fn key_file(name: &str) -> String {
    std::fs::read_to_string(dir().join("keys").join(name)).unwrap()
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or_else(|| panic!("{k} in {v}"))
}

fn check_error(name: &str, e: &Error, want: &Value) {
    assert_eq!(e.kind().as_str(), want["kind"], "{name}: {e}");
    if let Some(reason) = want["reason"].as_str() {
        assert_eq!(e.reason(), Some(reason), "{name}: {e}");
    }
}

#[test]
fn signing() {
    let mut official = 0;
    for case in load("signing.json") {
        let name = s(&case, "name");
        let pem = match case.get("key_pem") {
            Some(p) => p.as_str().unwrap().to_owned(),
            None => key_file(s(&case, "key")),
        };
        let key = MerchantKey::from_pem(&pem).unwrap();
        if let Some(message) = case["message"].as_str() {
            assert_eq!(
                key.sign(message.as_bytes()).unwrap(),
                case["expect"]["ok"],
                "{name}"
            );
            official += usize::from(case["official"] == true);
            continue;
        }
        let signer = RequestSigner::new(s(&case, "mchid"), s(&case, "serial_no"), key).unwrap();
        let ts = case["timestamp"].as_u64().unwrap();
        let (method, path, nonce, body) = (
            s(&case, "method"),
            s(&case, "path"),
            s(&case, "nonce"),
            s(&case, "body"),
        );
        assert_eq!(
            wxpay::v3::signing_string(method, path, ts, nonce, body),
            case["expect"]["ok"]["signing_string"],
            "{name}"
        );
        assert_eq!(
            signer.authorization(method, path, ts, nonce, body).unwrap(),
            case["expect"]["ok"]["authorization"],
            "{name}"
        );
    }
    assert_eq!(official, 3, "WeChat Pay's own vectors are among the cases");
}

fn verifier_of(case: &Value) -> Verifier {
    let mut verifier = Verifier::new();
    for k in case["keys"].as_array().unwrap() {
        let key = if let Some(pem) = k["certificate_pem"].as_str() {
            WechatKey::certificate(pem).unwrap()
        } else if let Some(file) = k["certificate"].as_str() {
            WechatKey::certificate(&key_file(file)).unwrap()
        } else {
            WechatKey::public_key(s(k, "id"), &key_file(s(k, "public_key"))).unwrap()
        };
        verifier.add(key);
    }
    verifier
}

fn headers_of(case: &Value) -> SignedHeaders {
    let h = &case["headers"];
    SignedHeaders::from_pairs([
        ("Wechatpay-Timestamp", s(h, "timestamp")),
        ("Wechatpay-Nonce", s(h, "nonce")),
        ("Wechatpay-Signature", s(h, "signature")),
        ("Wechatpay-Serial", s(h, "serial")),
    ])
    .unwrap()
}

#[test]
fn verification() {
    for case in load("verify.json") {
        let name = s(&case, "name");
        let result = verifier_of(&case).verify(
            &headers_of(&case),
            s(&case, "body").as_bytes(),
            case["now"].as_u64().unwrap(),
        );
        match case["expect"].get("error") {
            None => result.unwrap_or_else(|e| panic!("{name}: {e}")),
            Some(want) => check_error(name, &result.unwrap_err(), want),
        }
    }
}

#[test]
fn notifications() {
    for case in load("notifications.json") {
        let name = s(&case, "name");
        let result = ApiV3Key::new(s(&case, "apiv3_key")).and_then(|key| {
            Notification::parse(
                &verifier_of(&case),
                &key,
                &headers_of(&case),
                s(&case, "body").as_bytes(),
                case["now"].as_u64().unwrap(),
            )
        });
        let Some(ok) = case["expect"].get("ok") else {
            check_error(name, &result.unwrap_err(), &case["expect"]["error"]);
            continue;
        };
        let got = serde_json::to_value(result.unwrap_or_else(|e| panic!("{name}: {e}"))).unwrap();
        for (k, v) in ok.as_object().unwrap() {
            assert_eq!(&got[k], v, "{name}: {k}");
        }
    }
}

#[test]
fn pay_params() {
    for case in load("pay_params.json") {
        let name = s(&case, "name");
        let key = MerchantKey::from_pem(&key_file(s(&case, "key"))).unwrap();
        let (appid, prepay, ts, nonce) = (
            s(&case, "appid"),
            s(&case, "prepay_id"),
            case["timestamp"].as_u64().unwrap(),
            s(&case, "nonce"),
        );
        let result = if case["kind"] == "app" {
            wxpay::v3::AppPayParamsV3::sign(&key, appid, s(&case, "mchid"), prepay, ts, nonce)
                .map(|p| serde_json::to_value(p).unwrap())
        } else {
            JsapiPayParamsV3::sign(&key, appid, prepay, ts, nonce)
                .map(|p| serde_json::to_value(p).unwrap())
        };
        match case["expect"].get("ok") {
            Some(ok) => assert_eq!(result.unwrap(), *ok, "{name}"),
            None => check_error(name, &result.unwrap_err(), &case["expect"]["error"]),
        }
    }
}

#[test]
fn platform_certificates() {
    for case in load("certificates.json") {
        let name = s(&case, "name");
        let result = ApiV3Key::new(s(&case, "apiv3_key")).and_then(|key| {
            wxpay::v3::platform_certificates(
                &key,
                s(&case, "body").as_bytes(),
                case["now"].as_i64().unwrap(),
            )
        });
        match case["expect"].get("ok") {
            Some(ok) => {
                let serials: Vec<String> = result.unwrap().into_iter().map(|k| k.serial).collect();
                assert_eq!(serde_json::to_value(serials).unwrap(), *ok, "{name}");
            }
            None => check_error(name, &result.unwrap_err(), &case["expect"]["error"]),
        }
    }
}

#[test]
fn resources() {
    for case in load("aead.json") {
        let name = s(&case, "name");
        let result = ApiV3Key::new(s(&case, "key")).and_then(|k| {
            k.decrypt(
                s(&case, "nonce"),
                s(&case, "associated_data"),
                s(&case, "ciphertext"),
            )
        });
        let Some(ok) = case["expect"].get("ok") else {
            check_error(name, &result.unwrap_err(), &case["expect"]["error"]);
            continue;
        };
        let plain = String::from_utf8(result.unwrap_or_else(|e| panic!("{name}: {e}"))).unwrap();
        assert_eq!(plain, *ok, "{name}");
        if let Some(cert) = case["expect"].get("certificate") {
            let key = WechatKey::certificate(&plain).unwrap();
            assert_eq!(key.serial, cert["serial"], "{name}");
            assert_eq!(key.not_before, cert["not_before"].as_i64(), "{name}");
            assert_eq!(key.not_after, cert["not_after"].as_i64(), "{name}");
            assert!(
                key.valid_at(1_800_000_000) && !key.valid_at(1_900_000_000),
                "{name}"
            );
        }
    }
}

#[test]
fn keys_are_refused_clearly_and_never_printed() {
    let merchant = key_file("merchant_key.pem");
    let key = MerchantKey::from_pem(&merchant).unwrap();
    let printed = format!("{key:?}");
    assert!(
        !printed.contains("MII") && printed.contains("2048"),
        "{printed}"
    );
    for (bad, why) in [
        ("", "PEM"),
        (
            "-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----",
            "base64",
        ),
        (key_file("platform_cert.pem").as_str(), "PEM"),
    ] {
        let e = MerchantKey::from_pem(bad).unwrap_err();
        assert_eq!(e.kind(), wxpay::ErrorKind::Config);
        assert!(e.to_string().contains(why), "{e}");
    }
    // A serial written another way than the merchant platform shows it is
    // refused by name; lower case is the same serial.
    let e = RequestSigner::new(
        "1900009191",
        "0x5F1C72E2A8931B72A2E13AF8DEE92471EB397115",
        key,
    )
    .unwrap_err();
    assert!(e.to_string().contains("hexadecimal"), "{e}");
    let signer = RequestSigner::new(
        "1900009191",
        "5f1c72e2a8931b72",
        MerchantKey::from_pem(&merchant).unwrap(),
    )
    .unwrap();
    let header = signer
        .authorization("GET", "/v3/certificates", 1, "n", "")
        .unwrap();
    assert!(
        header.contains("serial_no=\"5F1C72E2A8931B72\""),
        "{header}"
    );
    // The v2 API key is no APIv3 key unless it happens to be 32 bytes; the
    // APIv3 key never shows.
    assert!(format!(
        "{:?}",
        ApiV3Key::new("wxpaysim0apiv30key00000000000001").unwrap()
    )
    .contains("***"));
    assert!(
        WechatKey::public_key("D7CE59D1F522D701", &key_file("wechatpay_public_key.pem")).is_err()
    );
}

#[test]
fn a_header_given_twice_is_refused() {
    let e = SignedHeaders::from_pairs([("Wechatpay-Serial", "A"), ("wechatpay-serial", "B")])
        .unwrap_err();
    assert_eq!(e.kind(), wxpay::ErrorKind::Signature);
}

#[test]
fn answers() {
    for case in load("answers.json") {
        let name = s(&case, "name");
        let e = wxpay::v3::check_answer(
            &Verifier::new(),
            case["status"].as_u64().unwrap() as u16,
            &SignedHeaders::default(),
            s(&case, "body").as_bytes(),
            0,
        )
        .unwrap_err();
        let want = &case["expect"]["error"];
        check_error(name, &e, want);
        if let Some(code) = want["err_code"].as_str() {
            assert_eq!(e.details()["err_code"], code, "{name}");
        }
        if let Some(r) = want["retryable"].as_bool() {
            assert_eq!(e.retryable(), r, "{name}: {e}");
        }
    }
}

#[test]
fn transactions() {
    use wxpay::v3::{Prepay, PrepayKind, SubMerchantV3, TransactionAsked, TransactionV3};
    // A service provider's case names its sub-merchant (and its appid).
    let sub_of = |v: &serde_json::Value| {
        v["sub_mchid"].as_str().map(|m| SubMerchantV3 {
            sub_mchid: m.to_owned(),
            sub_appid: v["sub_appid"].as_str().map(str::to_owned),
        })
    };
    for case in load("transactions.json") {
        let name = s(&case, "name");
        let result = if let Some(p) = case.get("prepay") {
            let text = |k: &str| p[k].as_str().map(str::to_owned);
            let kind = match s(p, "kind") {
                "jsapi" => PrepayKind::Jsapi {
                    openid: text("openid").unwrap(),
                },
                "app" => PrepayKind::App,
                "native" => PrepayKind::Native,
                _ => PrepayKind::H5 {
                    payer_client_ip: text("payer_client_ip").unwrap(),
                    h5_type: text("h5_type").unwrap(),
                },
            };
            let order = Prepay {
                kind,
                appid: text("appid").unwrap(),
                mchid: text("mchid").unwrap(),
                description: text("description").unwrap(),
                out_trade_no: text("out_trade_no").unwrap(),
                notify_url: text("notify_url").unwrap(),
                total: p["total"].as_u64().unwrap(),
                attach: text("attach"),
                time_expire: text("time_expire"),
                sub: sub_of(p),
            };
            order
                .body()
                .map(|body| serde_json::json!({"path": order.path(), "body": body}))
        } else {
            let a = &case["asked"];
            let sub = sub_of(a);
            TransactionV3::check(
                case["order"].clone(),
                &TransactionAsked {
                    mchid: s(a, "mchid"),
                    appid: s(a, "appid"),
                    out_trade_no: s(a, "out_trade_no"),
                    total: a["total"].as_u64(),
                    sub: sub.as_ref(),
                },
            )
            .map(|t| serde_json::to_value(t).unwrap())
        };
        match case["expect"].get("ok") {
            Some(ok) => {
                let got = result.unwrap_or_else(|e| panic!("{name}: {e}"));
                for (k, v) in ok.as_object().unwrap() {
                    assert_eq!(&got[k], v, "{name}: {k}");
                }
            }
            None => check_error(name, &result.unwrap_err(), &case["expect"]["error"]),
        }
    }
}

#[test]
fn bills() {
    use base64::Engine;
    for case in load("bills.json") {
        let name = s(&case, "name");
        let body = match case.get("body_base64") {
            Some(b) => base64::engine::general_purpose::STANDARD
                .decode(b.as_str().unwrap())
                .unwrap(),
            None => s(&case, "body").as_bytes().to_vec(),
        };
        let result = wxpay::v3::check_bill(&body, s(&case, "hash_type"), s(&case, "hash_value"));
        match case["expect"].get("ok") {
            Some(ok) => assert_eq!(String::from_utf8(result.unwrap()).unwrap(), *ok, "{name}"),
            None => check_error(name, &result.unwrap_err(), &case["expect"]["error"]),
        }
    }
}

/// The test's own RSA-OAEP (SHA-1) decryption: it opens WeChat Pay's Java
/// SDK vector, so it is WeChat's scheme; wxpay's encryption must open with it.
fn oaep_open(private_pem: &str, sealed: &str) -> String {
    use base64::Engine;
    use rsa::pkcs8::DecodePrivateKey;
    let key = rsa::RsaPrivateKey::from_pkcs8_pem(private_pem).unwrap();
    let data = base64::engine::general_purpose::STANDARD
        .decode(sealed)
        .unwrap();
    String::from_utf8(key.decrypt(rsa::Oaep::new::<sha1::Sha1>(), &data).unwrap()).unwrap()
}

#[test]
fn oaep() {
    for case in load("oaep.json") {
        let name = s(&case, "name");
        if let Some(pem) = case["private_key_pem"].as_str() {
            assert_eq!(
                oaep_open(pem, s(&case, "ciphertext")),
                case["expect"]["ok"],
                "{name}"
            );
            continue;
        }
        let key = match case["certificate"].as_str() {
            Some(file) => WechatKey::certificate(&key_file(file)).unwrap(),
            None => {
                WechatKey::public_key(s(&case, "id"), &key_file(s(&case, "public_key"))).unwrap()
            }
        };
        let result = key.encrypt_oaep(s(&case, "plaintext"));
        match case["expect"].get("ok") {
            Some(ok) => {
                let sealed = result.unwrap();
                assert_eq!(
                    oaep_open(&key_file(s(&case, "private_key")), &sealed),
                    *ok,
                    "{name}"
                );
                // Randomised: the same field twice is never the same ciphertext.
                assert_ne!(
                    key.encrypt_oaep(s(&case, "plaintext")).unwrap(),
                    sealed,
                    "{name}"
                );
            }
            None => check_error(name, &result.unwrap_err(), &case["expect"]["error"]),
        }
    }
}

#[test]
fn a_new_certificate_is_fetched_once_and_then_held() {
    use wxpay::v3::KeyStore;
    let cases = load("verify.json");
    let case = cases
        .iter()
        .find(|c| c["name"] == "a platform certificate's answer")
        .unwrap();
    let store = KeyStore::new([]);
    let mut fetched = 0;
    let now = case["now"].as_u64().unwrap();
    let body = s(case, "body").as_bytes();
    store
        .verify(&headers_of(case), body, now, || {
            fetched += 1;
            Ok(vec![
                WechatKey::certificate(&key_file("platform_cert.pem")).unwrap()
            ])
        })
        .unwrap();
    store
        .verify(&headers_of(case), body, now + 1, || {
            fetched += 1;
            Ok(Vec::new())
        })
        .unwrap();
    assert_eq!(fetched, 1);
    assert_eq!(
        store.preferred_serial().as_deref(),
        Some(s(&case["headers"], "serial"))
    );
}

#[test]
fn refunds() {
    use wxpay::v3::{RefundStateV3, RefundV3};
    for case in load("refunds.json") {
        let name = s(&case, "name");
        let r = &case["refund"];
        let text = |k: &str| r[k].as_str().map(str::to_owned);
        let refund = RefundV3 {
            order: match text("transaction_id") {
                Some(id) => wxpay::OrderRef::TransactionId(id),
                None => wxpay::OrderRef::OutTradeNo(text("out_trade_no").unwrap()),
            },
            out_refund_no: text("out_refund_no").unwrap(),
            reason: text("reason"),
            notify_url: text("notify_url"),
            refund: r["refund"].as_u64().unwrap(),
            total: r["total"].as_u64().unwrap(),
            sub_mchid: None,
        };
        let result = match case.get("answer") {
            None => refund.body().map(Value::from),
            Some(answer) => RefundStateV3::check(answer.clone(), &refund)
                .map(|state| serde_json::to_value(state).unwrap()),
        };
        match case["expect"].get("ok") {
            Some(Value::String(body)) => assert_eq!(result.unwrap(), *body, "{name}"),
            Some(ok) => {
                let got = result.unwrap_or_else(|e| panic!("{name}: {e}"));
                for (k, v) in ok.as_object().unwrap() {
                    assert_eq!(&got[k], v, "{name}: {k}");
                }
            }
            None => check_error(name, &result.unwrap_err(), &case["expect"]["error"]),
        }
    }
}

#[test]
fn paths() {
    for case in load("paths.json") {
        let name = s(&case, "name");
        let result = match s(&case, "call") {
            "query_order" => {
                let order = match case["transaction_id"].as_str() {
                    Some(id) => wxpay::OrderRef::TransactionId(id.into()),
                    None => wxpay::OrderRef::OutTradeNo(s(&case, "out_trade_no").into()),
                };
                wxpay::v3::query_order_path(&order, s(&case, "mchid"))
            }
            "close_order" => wxpay::v3::close_order_path(s(&case, "out_trade_no")),
            "query_refund" => wxpay::v3::query_refund_path(s(&case, "out_refund_no")),
            _ => wxpay::v3::bill_path(s(&case, "bill"), s(&case, "bill_date"), s(&case, "kind")),
        };
        match case["expect"].get("ok") {
            Some(ok) => assert_eq!(result.unwrap(), *ok, "{name}"),
            None => check_error(name, &result.unwrap_err(), &case["expect"]["error"]),
        }
    }
}

/// The v3 client's dispatch path (tests/vectors/v3/dispatch.json): calls
/// refused before anything is sent, by kind and by the argument named.
#[test]
fn dispatch() {
    for case in load("dispatch.json") {
        let name = s(&case, "name");
        let mut options = case["client"].as_object().unwrap().clone();
        for (file, path) in [
            ("private_key_file", "private_key_path"),
            ("public_key_file", "public_key_path"),
        ] {
            let f = options.remove(file).unwrap();
            let full = dir().join("keys").join(f.as_str().unwrap());
            options.insert(path.into(), full.to_str().unwrap().into());
        }
        let client =
            wxpay::ClientV3::from_options_json(&Value::Object(options).to_string()).unwrap();
        let e = client
            .call_json(s(&case, "op"), &case["args"].to_string())
            .unwrap_err();
        let want = &case["expect"]["error"];
        check_error(name, &e, want);
        assert_eq!(e.field(), want["field"].as_str(), "{name}: {e}");
    }
}

/// A v3 client holding a vector case's keys (`keys`, `apiv3_key`) and no
/// automatic certificates: nothing is reachable at its base_url.
fn client_for(case: &Value) -> Result<wxpay::ClientV3, Error> {
    let mut options = serde_json::json!({
        "mchid": "1900009191", "appid": "wxd930ea5d5a258f4f",
        "private_key_path": dir().join("keys/merchant_key.pem"),
        "merchant_serial": "1D3C5A7E9F0B2D4F6A8C0E1F3A5C7E9B1D3F5A70",
        "apiv3_key": case["apiv3_key"], "auto_certificates": false,
        "base_url": "http://127.0.0.1:9", "platform_certificates": [],
    });
    for k in case["keys"].as_array().unwrap() {
        if let Some(file) = k["certificate"].as_str() {
            options["platform_certificates"]
                .as_array_mut()
                .unwrap()
                .push(key_file(file).into());
        } else {
            options["public_key_path"] = dir()
                .join("keys")
                .join(s(k, "public_key"))
                .to_str()
                .unwrap()
                .into();
            options["public_key_id"] = k["id"].clone();
        }
    }
    wxpay::ClientV3::from_options_json(&options.to_string())
}

/// A case's headers as a web framework hands them over: full names, an
/// empty one not sent at all.
fn http_headers(case: &Value) -> Value {
    let mut h = serde_json::Map::new();
    for (short, name) in [
        ("timestamp", "Wechatpay-Timestamp"),
        ("nonce", "Wechatpay-Nonce"),
        ("signature", "Wechatpay-Signature"),
        ("serial", "Wechatpay-Serial"),
    ] {
        let v = s(&case["headers"], short);
        if !v.is_empty() {
            h.insert(name.into(), v.into());
        }
    }
    Value::Object(h)
}

/// A notification case through the client's dispatch path, as every
/// binding runs it: parse_notification(headers, body, now).
fn through_client(case: &Value) -> Result<Value, Error> {
    let client = client_for(case)?;
    let args = serde_json::json!({ "headers": http_headers(case), "now": case["now"] });
    let out = client.call_with_body(
        "parse_notification",
        s(case, "body").as_bytes().to_vec(),
        &args.to_string(),
    )?;
    Ok(serde_json::from_str(&out).unwrap())
}

fn check_notification(name: &str, case: &Value, result: Result<Value, Error>) {
    match case["expect"].get("ok") {
        Some(ok) => {
            let got = result.unwrap_or_else(|e| panic!("{name}: {e}"));
            for (k, v) in ok.as_object().unwrap() {
                assert_eq!(&got[k], v, "{name}: {k}");
            }
        }
        None => check_error(name, &result.unwrap_err(), &case["expect"]["error"]),
    }
}

/// tests/vectors/v3/security.json: each attack through the engine and
/// through the client's dispatch path, as the bindings run it.
#[test]
fn security_fixtures() {
    let cases = load("security.json");
    let attacks: std::collections::BTreeSet<&str> = cases.iter().map(|c| s(c, "attack")).collect();
    for named in [
        "probe",
        "stale",
        "unknown serial",
        "re-serialised body",
        "wrong key",
        "replay",
    ] {
        assert!(attacks.contains(named), "no {named} fixture");
    }
    for case in &cases {
        let name = s(case, "name");
        let engine = ApiV3Key::new(s(case, "apiv3_key")).and_then(|key| {
            Notification::parse(
                &verifier_of(case),
                &key,
                &headers_of(case),
                s(case, "body").as_bytes(),
                case["now"].as_u64().unwrap(),
            )
            .map(|n| serde_json::to_value(n).unwrap())
        });
        check_notification(name, case, engine);
        check_notification(name, case, through_client(case));
    }
}

/// tests/vectors/v3/notifications.json through the client's dispatch path.
#[test]
fn notifications_through_the_client() {
    for case in load("notifications.json") {
        check_notification(s(&case, "name"), &case, through_client(&case));
    }
}

/// Only parse_notification takes a time; the handlers that settle money
/// always judge by the clock, and refuse `now` by name.
#[test]
fn only_parse_notification_takes_now() {
    let case = &load("security.json")[0];
    let client = client_for(case).unwrap();
    for op in [
        "payment_notify_order",
        "settle_payment_notify",
        "handle_refund_notify",
    ] {
        let mut args = serde_json::json!({ "headers": http_headers(case), "now": case["now"] });
        if op == "settle_payment_notify" {
            args["order"] = Value::Null;
        }
        let e = client
            .call_with_body(op, s(case, "body").as_bytes().to_vec(), &args.to_string())
            .unwrap_err();
        assert_eq!(e.kind(), wxpay::ErrorKind::InvalidInput, "{op}: {e}");
        assert_eq!(e.field(), Some("now"), "{op}: {e}");
    }
    // And without `now`, the clock says the recorded notification is old.
    let args = serde_json::json!({ "headers": http_headers(case) });
    let e = client
        .call_with_body(
            "parse_notification",
            s(case, "body").as_bytes().to_vec(),
            &args.to_string(),
        )
        .unwrap_err();
    assert_eq!(e.reason(), Some("Stale"), "{e}");
}

/// The no-wait path the bindings take on an event loop's thread: a
/// notification whose key is held runs at once, with the same result as
/// the full path; one that may wait (the handler that confirms with a
/// query, a serial not held while certificates are downloaded) is left
/// for a worker.
#[test]
fn notifications_whose_key_is_held_run_without_waiting() {
    for case in load("security.json") {
        let client = client_for(&case).unwrap();
        let args =
            serde_json::json!({ "headers": http_headers(&case), "now": case["now"] }).to_string();
        let body = s(&case, "body").as_bytes().to_vec();
        let at_once = client.call_with_body_if_ready("parse_notification", body.clone(), &args);
        let full = client.call_with_body("parse_notification", body, &args);
        match (at_once, full) {
            (Ok(Some(a)), Ok(b)) => assert_eq!(a, b, "{}", s(&case, "name")),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{}", s(&case, "name")),
            (a, b) => panic!("{}: {a:?} / {b:?}", s(&case, "name")),
        }
    }
    let case = &load("security.json")[0];
    let client = client_for(case).unwrap();
    let settle = serde_json::json!({ "headers": http_headers(case), "order": null }).to_string();
    let body = s(case, "body").as_bytes().to_vec();
    assert!(client
        .call_with_body_if_ready("settle_payment_notify", body.clone(), &settle)
        .unwrap()
        .is_none());
    // With automatic certificates, a serial not held is fetched first: not now.
    let mut options: Value = serde_json::json!({
        "mchid": "1900009191", "appid": "wxd930ea5d5a258f4f",
        "private_key_path": dir().join("keys/merchant_key.pem").to_str().unwrap(),
        "merchant_serial": "1D3C5A7E", "apiv3_key": case["apiv3_key"],
        "public_key_path": dir().join("keys/wechatpay_public_key.pem").to_str().unwrap(),
        "public_key_id": "PUB_KEY_ID_0114232025120400000000000000000001",
        "base_url": "http://127.0.0.1:9",
    });
    options["auto_certificates"] = true.into();
    let auto = wxpay::ClientV3::from_options_json(&options.to_string()).unwrap();
    let rotated = serde_json::json!({ "headers": {
        "Wechatpay-Timestamp": "1764835200", "Wechatpay-Nonce": "n", "Wechatpay-Signature": "c2ln",
        "Wechatpay-Serial": "5157F09EFDC096DE15EBE81A47057A72" }, "now": 1764835200 })
    .to_string();
    assert!(auto
        .call_with_body_if_ready("parse_notification", body, &rotated)
        .unwrap()
        .is_none());
}
