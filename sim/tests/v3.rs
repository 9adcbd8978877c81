//! API v3 against the simulator: a JSAPI checkout in each key mode
//! (platform certificates, the WeChat Pay public key, and the migration
//! between them), an order placed with v2 queried with v3, and the faults
//! a v3 client must survive — each answer verified with wxpay's v3 code.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

mod common;

use common::*;
use wxpay::v3::{
    check_answer, platform_certificates, ApiV3Key, KeyStore, MerchantKey, Prepay, PrepayKind,
    RequestSigner, SignedHeaders, TransactionAsked, TransactionV3, WechatKey,
};
use wxpay::{ErrorKind, SignType};
use wxpay_sim::v3::{self as sim_v3, V3Keys};
use wxpay_sim::SimConfig;

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A v3 client made of wxpay's v3 parts, as the engine will use them.
struct V3 {
    base: String,
    signer: RequestSigner,
    apiv3: ApiV3Key,
    keys: KeyStore,
    agent: ureq::Agent,
}

#[derive(Debug)]
struct Answer {
    status: u16,
    headers: SignedHeaders,
    body: Vec<u8>,
}

impl V3 {
    fn new(base: &str, keys: Vec<WechatKey>) -> V3 {
        let key = MerchantKey::from_pem(sim_v3::MERCHANT_KEY_PEM).unwrap();
        V3 {
            base: base.to_owned(),
            signer: RequestSigner::new(wxpay_sim::DEFAULT_MCH_ID, &sim_v3::merchant_serial(), key)
                .unwrap(),
            apiv3: ApiV3Key::new(sim_v3::APIV3_KEY).unwrap(),
            keys: KeyStore::new(keys),
            agent: ureq::Agent::config_builder()
                .http_status_as_error(false)
                .build()
                .new_agent(),
        }
    }

    fn raw(&self, method: &str, target: &str, body: &str, serial: Option<&str>) -> Answer {
        let nonce = format!("n{}", now());
        let auth = self
            .signer
            .authorization(method, target, now(), &nonce, body)
            .unwrap();
        let url = format!("{}{target}", self.base);
        let serial = serial
            .map(str::to_owned)
            .or_else(|| self.keys.preferred_serial());
        let mut response = if method == "GET" {
            let mut r = self
                .agent
                .get(&url)
                .header("Authorization", &auth)
                .header("Accept", "application/json");
            if let Some(s) = &serial {
                r = r.header("Wechatpay-Serial", s);
            }
            r.call().unwrap()
        } else {
            let mut r = self
                .agent
                .post(&url)
                .header("Authorization", &auth)
                .header("Accept", "application/json")
                .header("Content-Type", "application/json");
            if let Some(s) = &serial {
                r = r.header("Wechatpay-Serial", s);
            }
            r.send(body.as_bytes()).unwrap()
        };
        let status = response.status().as_u16();
        let pairs: Vec<(String, String)> = response
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        let headers =
            SignedHeaders::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).unwrap();
        let body = response.body_mut().read_to_vec().unwrap();
        Answer {
            status,
            headers,
            body,
        }
    }

    /// An answer as the engine takes one: WeChat's refusal typed, a 2xx
    /// verified (fetching the certificates once for a serial not held).
    fn call(
        &self,
        method: &str,
        target: &str,
        body: &str,
        serial: Option<&str>,
    ) -> wxpay::Result<(Answer, String)> {
        let a = self.raw(method, target, body, serial);
        if !(200..300).contains(&a.status) {
            check_answer(
                &wxpay::v3::Verifier::new(),
                a.status,
                &a.headers,
                &a.body,
                now(),
            )?;
        }
        self.keys.verify(&a.headers, &a.body, now(), || {
            let listing = self.raw("GET", "/v3/certificates", "", None);
            platform_certificates(&self.apiv3, &listing.body, now() as i64)
        })?;
        let text = String::from_utf8(a.body.clone()).unwrap();
        Ok((a, text))
    }
}

fn order(no: &str) -> Prepay {
    Prepay {
        kind: PrepayKind::Jsapi {
            openid: wxpay_sim::DEFAULT_OPENID.into(),
        },
        appid: wxpay_sim::DEFAULT_APPID.into(),
        mchid: wxpay_sim::DEFAULT_MCH_ID.into(),
        description: "wxpay-sim-书店".into(),
        out_trade_no: no.into(),
        notify_url: "https://shop.example/v3/notify".into(),
        total: 990,
        attach: None,
        time_expire: None,
        sub: None,
    }
}

fn asked(no: &str) -> TransactionAsked<'_> {
    TransactionAsked {
        mchid: wxpay_sim::DEFAULT_MCH_ID,
        appid: wxpay_sim::DEFAULT_APPID,
        out_trade_no: no,
        total: Some(990),
        sub: None,
    }
}

fn public_key() -> WechatKey {
    WechatKey::public_key(sim_v3::PUBLIC_KEY_ID, sim_v3::PUBLIC_KEY_PEM).unwrap()
}

fn sim_in(mode: V3Keys) -> wxpay_sim::Simulator {
    sim_with(SimConfig {
        time_scale: 0.001,
        v3_keys: mode,
        ..SimConfig::default()
    })
}

#[test]
fn a_jsapi_checkout_in_each_key_mode() {
    for (mode, keys) in [
        (V3Keys::Certificate, vec![]),
        (V3Keys::PublicKey, vec![public_key()]),
        (V3Keys::Migrating, vec![public_key()]),
    ] {
        let sim = sim_in(mode);
        let v3 = V3::new(&sim.base_url(), keys);
        let no = format!("v3-{mode:?}").to_lowercase();
        let prepay = order(&no);
        let (_, answer) = v3
            .call("POST", prepay.path(), &prepay.body().unwrap(), None)
            .unwrap();
        let prepay_id = serde_json::from_str::<serde_json::Value>(&answer).unwrap()["prepay_id"]
            .as_str()
            .unwrap()
            .to_owned();
        assert!(prepay_id.starts_with("wx"), "{mode:?}: {answer}");

        // Paid in the simulated WeChat client with v3's params (RSA); v2's
        // HMAC params do not pay an order placed with v3.
        let v2 = client(&sim, SignType::HmacSha256);
        let hmac = v2.jsapi_params(&prepay_id).unwrap();
        assert_eq!(
            pay_in_browser(&sim, &hmac)["err_msg"],
            "get_brand_wcpay_request:fail"
        );
        let rsa = wxpay::v3::JsapiPayParamsV3::sign(
            v3.signer.key(),
            wxpay_sim::DEFAULT_APPID,
            &prepay_id,
            now(),
            "n0nce",
        )
        .unwrap();
        let mut forged = serde_json::to_value(&rsa).unwrap();
        forged["nonceStr"] = "another".into();
        let url = format!("{}/sim/jsapi/pay", sim.base_url());
        assert_eq!(
            post_json(&url, &forged)["err_msg"],
            "get_brand_wcpay_request:fail"
        );
        assert_eq!(
            post_json(&url, &serde_json::to_value(&rsa).unwrap())["err_msg"],
            "get_brand_wcpay_request:ok"
        );

        let path = wxpay::v3::query_order_path(
            &wxpay::OrderRef::OutTradeNo(no.clone()),
            wxpay_sim::DEFAULT_MCH_ID,
        )
        .unwrap();
        let (a, text) = v3.call("GET", &path, "", None).unwrap();
        let paid = TransactionV3::check(serde_json::from_str(&text).unwrap(), &asked(&no)).unwrap();
        assert!(
            paid.paid && paid.transaction_id.is_some(),
            "{mode:?}: {text}"
        );
        let expected_serial = match mode {
            V3Keys::Certificate => "certificate",
            _ => "public key",
        };
        let got = if a.headers.serial.starts_with("PUB_KEY_ID_") {
            "public key"
        } else {
            "certificate"
        };
        assert_eq!(got, expected_serial, "{mode:?}");

        let stats = sim.stats();
        match mode {
            // The certificates were fetched once, for the first answer.
            V3Keys::Certificate => assert_eq!(stats["v3_certificates"], 1),
            V3Keys::PublicKey => {
                assert_eq!(stats.get("v3_certificates").copied().unwrap_or(0), 0);
                let listing = v3.call("GET", "/v3/certificates", "", None).unwrap_err();
                assert_eq!(listing.details()["err_code"], "RESOURCE_NOT_EXISTS");
            }
            V3Keys::Migrating => {
                // Answers follow the request's Wechatpay-Serial: a request that
                // names the certificate gets it (fetched once to verify).
                let (a, _) = v3
                    .call(
                        "GET",
                        &path,
                        "",
                        Some("3A6F1C9E5B2D8A4F7C1E6B3D9A5F2C8E4B7D1A60"),
                    )
                    .unwrap();
                assert!(!a.headers.serial.starts_with("PUB_KEY_ID_"));
                assert_eq!(sim.stats()["v3_certificates"], 1);
            }
        }
        assert_eq!(sim.stats()["v3_prepay"], 1);
    }
}

#[test]
fn an_order_placed_with_v2_is_queried_with_v3_and_closed() {
    let sim = sim_in(V3Keys::PublicKey);
    let v2 = client(&sim, SignType::HmacSha256);
    v2.unified_order(&common::order(
        "v2-then-v3",
        990,
        "https://shop.example/notify",
    ))
    .unwrap();
    let v3 = V3::new(&sim.base_url(), vec![public_key()]);
    let path = wxpay::v3::query_order_path(
        &wxpay::OrderRef::OutTradeNo("v2-then-v3".into()),
        wxpay_sim::DEFAULT_MCH_ID,
    )
    .unwrap();
    let (_, text) = v3.call("GET", &path, "", None).unwrap();
    let open =
        TransactionV3::check(serde_json::from_str(&text).unwrap(), &asked("v2-then-v3")).unwrap();
    assert_eq!((open.paid, open.trade_state.as_str()), (false, "NOTPAY"));
    // Another amount than the shop's is a mismatch, never a state.
    let e = TransactionV3::check(
        serde_json::from_str(&text).unwrap(),
        &TransactionAsked {
            total: Some(1),
            ..asked("v2-then-v3")
        },
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Mismatch);
    std::thread::sleep(std::time::Duration::from_millis(400)); // 5 minutes at this time scale
    let close = wxpay::v3::close_order_path("v2-then-v3").unwrap();
    let body = format!("{{\"mchid\":\"{}\"}}", wxpay_sim::DEFAULT_MCH_ID);
    let (a, text) = v3.call("POST", &close, &body, None).unwrap();
    assert_eq!((a.status, text.as_str()), (204, ""));
    assert_eq!(
        v2.query_order(wxpay::OrderRef::OutTradeNo("v2-then-v3".into()))
            .unwrap()
            .trade_state,
        wxpay::TradeState::Closed
    );
    // Unknown orders and refused requests are WeChat's typed refusals.
    let missing = wxpay::v3::query_order_path(
        &wxpay::OrderRef::OutTradeNo("never-placed".into()),
        wxpay_sim::DEFAULT_MCH_ID,
    )
    .unwrap();
    let e = v3.call("GET", &missing, "", None).unwrap_err();
    assert_eq!(
        (e.kind(), e.details()["err_code"].as_str()),
        (ErrorKind::Business, Some("ORDER_NOT_EXIST"))
    );
}

#[test]
fn what_a_v3_client_must_survive() {
    let sim = sim_in(V3Keys::PublicKey);
    let v3 = V3::new(&sim.base_url(), vec![public_key()]);
    let path = wxpay::v3::query_order_path(
        &wxpay::OrderRef::OutTradeNo("v3-fault-1".into()),
        wxpay_sim::DEFAULT_MCH_ID,
    )
    .unwrap();
    let prepay = order("v3-fault-1");
    v3.call("POST", prepay.path(), &prepay.body().unwrap(), None)
        .unwrap();
    for (fault, kind, reason) in [
        ("probe", ErrorKind::Signature, Some("Invalid")),
        ("unsigned", ErrorKind::Signature, Some("Missing")),
        ("stale", ErrorKind::Signature, Some("Stale")),
        ("systemerror", ErrorKind::Business, None),
    ] {
        sim.add_fault(wxpay_sim::Fault {
            path: "/v3/pay/transactions/out-trade-no/v3-fault-1".into(),
            kind: fault.into(),
            count: 1,
            delay_ms: 0,
            status: None,
            fields: Default::default(),
        })
        .unwrap();
        let e = v3.call("GET", &path, "", None).unwrap_err();
        assert_eq!(e.kind(), kind, "{fault}: {e}");
        assert_eq!(e.reason(), reason, "{fault}: {e}");
        if fault == "systemerror" {
            assert!(e.retryable(), "{e}");
        }
        // The next answer is WeChat's again.
        v3.call("GET", &path, "", None).unwrap();
    }
    // A request signed with another key is refused with WeChat's SIGN_ERROR.
    let other = MerchantKey::from_pem(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/vectors/v3/keys/platform_key.pem"
        ))
        .unwrap(),
    )
    .unwrap();
    let forger = V3 {
        signer: RequestSigner::new(wxpay_sim::DEFAULT_MCH_ID, &sim_v3::merchant_serial(), other)
            .unwrap(),
        ..V3::new(&sim.base_url(), vec![public_key()])
    };
    let e = forger.call("GET", &path, "", None).unwrap_err();
    assert_eq!(e.details()["err_code"], "SIGN_ERROR");
    assert_eq!(sim.stats()["v3_sign_error"], 1);
}
