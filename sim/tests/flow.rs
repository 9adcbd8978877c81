//! The whole JSAPI flow through `wxpay::Client` against the simulator.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

mod common;

use std::time::Duration;

use common::*;
use wxpay::{
    BillType, DownloadBill, ErrorKind, OrderRef, Refund, RefundQuery, RefundRef, SignType,
    TradeState,
};

#[test]
fn a_whole_jsapi_checkout() {
    for sign_type in [SignType::HmacSha256, SignType::Md5] {
        let sim = sim();
        let client = client(&sim, sign_type);
        let shop = ShopServer::start(|_, _| wxpay::notify_ack().to_owned());

        // OAuth: authorize → code → openid.
        let code = authorize(&client, "https://shop.example/checkout?item=1", "st8te");
        let token = client.oauth_exchange_code(&code).unwrap();
        assert_eq!(token.openid, wxpay_sim::DEFAULT_OPENID);
        assert!(
            !format!("{token:?}").contains(&token.access_token),
            "tokens hidden from Debug"
        );

        // Unified order and bridge params.
        let no = format!("flow-{}", sign_type.as_str());
        let reply = client
            .unified_order(&common::order(&no, 990, &shop.url))
            .unwrap();
        assert!(reply.prepay_id.starts_with("wx"));
        assert_eq!(sim.order(&no).unwrap().trade_state, "NOTPAY");
        let params = client.jsapi_params(&reply.prepay_id).unwrap();
        assert_eq!(params.sign_type, sign_type.as_str());

        // wx.config with a real ticket is accepted by the simulated JS-SDK.
        let page = "https://shop.example/checkout?item=1";
        let cfg = client
            .jssdk_config(&format!("{page}#pay"), &["chooseWXPay"])
            .unwrap();
        let checked = post_json(
            &format!("{}/sim/jsapi/config", sim.base_url()),
            &serde_json::json!({"appId": cfg.app_id, "timestamp": cfg.timestamp, "nonceStr": cfg.nonce_str,
                                "signature": cfg.signature, "url": page}),
        );
        assert_eq!(checked["errMsg"], "config:ok", "{checked}");

        // The shopper pays; the notification reaches the shop.
        let paid = pay_in_browser(&sim, &params);
        assert_eq!(paid["err_msg"], "get_brand_wcpay_request:ok", "{paid}");
        assert!(
            wait_for(Duration::from_secs(5), || shop.count() >= 1),
            "notification delivered"
        );
        let body = shop.bodies()[0].clone();
        let notify = client.verify_payment_notify(&body).unwrap();
        assert!(notify.is_paid());
        notify.check_amount(990).unwrap();
        let confirmed = client.confirm_payment(&notify).unwrap();
        assert_eq!(confirmed.trade_state, TradeState::Success);
        assert!(wait_for(Duration::from_secs(2), || sim.notifications()[0]
            .status
            == "acknowledged"));

        // Paying again is refused; re-placing the same order says ORDERPAID.
        assert_eq!(
            pay_in_browser(&sim, &params)["err_msg"],
            "get_brand_wcpay_request:fail"
        );
        match client.unified_order(&common::order(&no, 990, &shop.url)) {
            Err(wxpay::Error::Business {
                err_code,
                retryable: false,
                ..
            }) => assert_eq!(err_code, "ORDERPAID"),
            other => panic!("{other:?}"),
        }

        // Refund, refund query, bill.
        let refund = Refund::new(
            OrderRef::OutTradeNo(no.clone()),
            format!("{no}-r1"),
            990,
            300,
        );
        let r = client.refund(&refund).unwrap();
        assert_eq!(r.refund_fee, 300);
        assert_eq!(
            client.refund(&refund).unwrap().refund_id,
            r.refund_id,
            "same out_refund_no, same refund"
        );
        let q = client
            .query_refund(&RefundQuery {
                refund: RefundRef::Order(OrderRef::OutTradeNo(no.clone())),
                offset: None,
            })
            .unwrap();
        assert_eq!(q.refunds.len(), 1);
        assert_eq!(q.refunds[0].refund_status, wxpay::RefundStatus::Success);
        assert_eq!(
            client
                .query_order(OrderRef::OutTradeNo(no.clone()))
                .unwrap()
                .trade_state,
            TradeState::Refund
        );
        let today = wxpay_sim_today();
        let bill = client
            .download_bill(&DownloadBill {
                bill_date: today.clone(),
                bill_type: BillType::All,
                gzip: true,
            })
            .unwrap();
        let rows = bill.row_maps();
        assert_eq!(rows.len(), 2, "one payment and one refund");
        assert!(rows.iter().any(|r| r["商户订单号"] == no
            && r["交易状态"] == "SUCCESS"
            && r["应结订单金额"] == "9.90"));
        assert_eq!(wxpay::yuan_to_fen(&bill.summary[1]).unwrap(), 990);

        // Closing: a new order can be closed once 5 minutes (scaled) have passed.
        let other = format!("close-{}", sign_type.as_str());
        client
            .unified_order(&common::order(&other, 100, &shop.url))
            .unwrap();
        std::thread::sleep(Duration::from_millis(400));
        assert!(!client.close_order(&other).unwrap().already_closed);
        assert!(client.close_order(&other).unwrap().already_closed);
        assert_eq!(
            client
                .query_order(OrderRef::OutTradeNo(other))
                .unwrap()
                .trade_state,
            TradeState::Closed
        );
    }
}

fn wxpay_sim_today() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    wxpay_sim::beijing_time(now, false)[..8].to_owned()
}

#[test]
fn oauth_codes_are_single_use_and_never_retried() {
    let sim = sim();
    let client = client(&sim, SignType::Md5);
    let code = authorize(&client, "https://shop.example/cb", "abc");
    client.oauth_exchange_code(&code).unwrap();
    match client.oauth_exchange_code(&code) {
        Err(wxpay::Error::MpApi {
            errcode: 40163,
            retryable: false,
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
    match client.oauth_exchange_code("never-issued") {
        Err(wxpay::Error::MpApi { errcode: 40029, .. }) => {}
        other => panic!("{other:?}"),
    }
    // A reset after the request was sent is not retried: one upstream call.
    let code = authorize(&client, "https://shop.example/cb", "abc");
    let before = sim.stats()["oauth_exchanges"];
    sim.add_fault(wxpay_sim::Fault {
        path: "/sns/oauth2/access_token".into(),
        kind: "reset".into(),
        count: 1,
        delay_ms: 0,
        status: None,
        ..Default::default()
    })
    .unwrap();
    let err = client.oauth_exchange_code(&code).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(!err.retryable());
    assert_eq!(
        sim.stats()["oauth_exchanges"],
        before,
        "the reset happened before the simulator counted it, and nothing was resent"
    );
    // A wrong secret is 40125.
    let mut cfg = config(&sim, SignType::Md5);
    cfg.app_secret = Some("wrong".into());
    match wxpay::Client::new(cfg).unwrap().oauth_exchange_code(&code) {
        Err(wxpay::Error::MpApi { errcode: 40125, .. }) => {}
        other => panic!("{other:?}"),
    }
}

/// A mini-program's `wx.login()` code, from the simulator.
fn mini_login(sim: &wxpay_sim::Simulator, body: serde_json::Value) -> String {
    let reply = post_json(&format!("{}/sim/mini/login", sim.base_url()), &body);
    reply["code"].as_str().unwrap().to_owned()
}

#[test]
fn mini_program_login_codes_give_the_openid_once_and_are_never_retried() {
    let sim = sim();
    let client = client(&sim, SignType::Md5);
    let code = mini_login(&sim, serde_json::json!({"openid": "o-mini-user"}));
    let session = client.jscode2session(&code).unwrap();
    assert_eq!(session.openid, "o-mini-user");
    assert!(session.session_key.len() >= 16);
    assert!(
        !format!("{session:?}").contains(&session.session_key),
        "the session key stays out of Debug"
    );
    // Not a code at all: refused before anything is sent.
    let before = sim.stats()["jscode2session"];
    let e = client.jscode2session("two words").unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::InvalidInput, Some("code"))
    );
    assert_eq!(sim.stats()["jscode2session"], before);
    // A reset after the request was sent is not retried.
    let code = mini_login(&sim, serde_json::json!({}));
    sim.add_fault(wxpay_sim::Fault {
        path: "/sns/jscode2session".into(),
        kind: "reset".into(),
        count: 1,
        delay_ms: 0,
        status: None,
        ..Default::default()
    })
    .unwrap();
    let err = client.jscode2session(&code).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert_eq!(sim.stats()["jscode2session"], before, "nothing was resent");
    // The secret is checked, and never quoted.
    let mut cfg = config(&sim, SignType::Md5);
    cfg.app_secret = Some("wrong-secret-value".into());
    match wxpay::Client::new(cfg).unwrap().jscode2session(&code) {
        Err(e @ wxpay::Error::MpApi { errcode: 40125, .. }) => {
            assert!(!e.to_string().contains("wrong-secret-value"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    // Through the one dispatch path every binding uses, by position.
    let code = mini_login(&sim, serde_json::json!({}));
    let op = wxpay::Operation::parse(
        "jscode2session",
        vec![serde_json::json!(code)],
        serde_json::Value::Null,
    )
    .unwrap();
    let out: serde_json::Value =
        serde_json::from_str(&client.run(op).unwrap().to_json().unwrap()).unwrap();
    assert_eq!(out["openid"], wxpay_sim::DEFAULT_OPENID);
}

/// tests/vectors/mini_program.json: the same logins every language runs.
#[test]
fn the_shared_mini_program_vectors() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/mini_program.json");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let sim = sim();
    for c in doc["cases"].as_array().unwrap() {
        let name = c["name"].as_str().unwrap();
        let mut cfg = config(&sim, SignType::Md5);
        if let Some(secret) = c["app_secret"].as_str() {
            cfg.app_secret = Some(secret.into());
        }
        let client = wxpay::Client::new(cfg).unwrap();
        let code = match c.get("login") {
            Some(login) => sim
                .mini_login(login["openid"].as_str(), login["errcode"].as_i64())
                .unwrap(),
            None => c["code"].as_str().unwrap().to_owned(),
        };
        let before = sim.stats()["jscode2session"];
        for want in c["expect"].as_array().unwrap() {
            match (client.jscode2session(&code), want.get("ok")) {
                (Ok(session), Some(ok)) => {
                    assert_eq!(session.openid, ok["openid"].as_str().unwrap(), "{name}");
                    assert!(!session.session_key.is_empty(), "{name}");
                }
                (Err(e), None) => {
                    let w = &want["error"];
                    assert_eq!(
                        e.kind().as_str(),
                        w["kind"].as_str().unwrap(),
                        "{name}: {e}"
                    );
                    if let Some(errcode) = w["errcode"].as_i64() {
                        assert!(
                            matches!(e, wxpay::Error::MpApi { errcode: c, .. } if c == errcode),
                            "{name}: {e:?}"
                        );
                    }
                    if let Some(field) = w["field"].as_str() {
                        assert_eq!(e.field(), Some(field), "{name}");
                    }
                    if let Some(secret) = c["app_secret"].as_str() {
                        assert!(!e.to_string().contains(secret), "{name}: {e}");
                    }
                }
                (other, _) => panic!("{name}: {other:?}"),
            }
        }
        assert_eq!(
            sim.stats()["jscode2session"] - before,
            c["sent"].as_u64().unwrap(),
            "{name}"
        );
    }
    assert!(
        sim.mini_login(None, Some(40001)).is_err(),
        "only the refusals it can play"
    );
}

#[test]
fn request_errors_come_back_typed() {
    let sim = sim();
    let client = client(&sim, SignType::HmacSha256);
    // Wrong API key: WeChat answers return_code=FAIL 签名错误.
    let c = sim.config();
    let mut cfg = config(&sim, SignType::Md5);
    cfg.api_key = "0123456789abcdef0123456789abcdef".into();
    let wrong = wxpay::Client::new(cfg).unwrap();
    match wrong.query_order(OrderRef::OutTradeNo("nothing-1".into())) {
        Err(wxpay::Error::Protocol {
            return_msg: Some(m),
            ..
        }) => assert_eq!(m, "签名错误"),
        other => panic!("{other:?}"),
    }
    let _ = c;
    match client.query_order(OrderRef::OutTradeNo("nothing-1".into())) {
        Err(wxpay::Error::Business { err_code, .. }) => assert_eq!(err_code, "ORDERNOTEXIST"),
        other => panic!("{other:?}"),
    }
    // Re-using an out_trade_no with other parameters.
    client
        .unified_order(&common::order("reuse-0001", 100, "http://127.0.0.1:9/n"))
        .unwrap();
    client
        .unified_order(&common::order("reuse-0001", 100, "http://127.0.0.1:9/n"))
        .unwrap();
    match client.unified_order(&common::order("reuse-0001", 200, "http://127.0.0.1:9/n")) {
        Err(wxpay::Error::Business {
            err_code,
            err_code_des,
            ..
        }) => {
            assert_eq!(err_code, "INVALID_REQUEST");
            assert!(err_code_des.contains("201"));
        }
        other => panic!("{other:?}"),
    }
    // Closing too early is refused by the simulator's stricter reading.
    let slow = sim_with(wxpay_sim::SimConfig {
        time_scale: 1.0,
        ..Default::default()
    });
    let slow_client = common::client(&slow, SignType::Md5);
    slow_client
        .unified_order(&common::order("early-0001", 100, "http://127.0.0.1:9/n"))
        .unwrap();
    match slow_client.close_order("early-0001") {
        Err(wxpay::Error::Business { err_code, .. }) => assert_eq!(err_code, "INVALID_REQUEST"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn replies_and_notifications_verify_with_an_independent_implementation() {
    use hmac::{Hmac, Mac};
    use md5::{Digest, Md5};

    fn independent_sign(
        fields: &std::collections::BTreeMap<String, String>,
        key: &str,
        hmac: bool,
    ) -> String {
        let mut names: Vec<&String> = fields
            .keys()
            .filter(|k| *k != "sign" && !fields[*k].is_empty())
            .collect();
        names.sort_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
        let joined: Vec<String> = names
            .iter()
            .map(|k| format!("{k}={}", fields[*k]))
            .collect();
        let s = format!("{}&key={key}", joined.join("&"));
        let bytes = if hmac {
            let mut m = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key.as_bytes()).unwrap();
            m.update(s.as_bytes());
            m.finalize().into_bytes().to_vec()
        } else {
            Md5::digest(s.as_bytes()).to_vec()
        };
        bytes.iter().map(|b| format!("{b:02X}")).collect()
    }

    let sim = sim();
    let key = wxpay_sim::DEFAULT_API_KEY;
    for (st, hmac) in [(SignType::Md5, false), (SignType::HmacSha256, true)] {
        let shop = ShopServer::start(|_, _| wxpay::notify_ack().to_owned());
        let client = client(&sim, st);
        let no = format!("indep-{hmac}");
        let request = common::order(&no, 1, &shop.url)
            .sign(client.merchant(), &wxpay::SystemClock)
            .unwrap();
        let raw = post_raw(
            &format!("{}/pay/unifiedorder", sim.base_url()),
            request.xml.as_bytes(),
        );
        let fields = wxpay::from_xml(&raw).unwrap();
        assert_eq!(fields["result_code"], "SUCCESS", "{fields:?}");
        assert_eq!(fields["sign"], independent_sign(&fields, key, hmac));
        let params = client.jsapi_params(&fields["prepay_id"]).unwrap();
        assert_eq!(
            pay_in_browser(&sim, &params)["err_msg"],
            "get_brand_wcpay_request:ok"
        );
        assert!(wait_for(Duration::from_secs(5), || shop.count() >= 1));
        let notify = wxpay::from_xml(&shop.bodies()[0]).unwrap();
        assert_eq!(notify["sign"], independent_sign(&notify, key, hmac));
    }
}

#[test]
fn wrong_pay_params_are_refused_by_the_simulated_wechat_client() {
    let sim = sim();
    let client = client(&sim, SignType::HmacSha256);
    let reply = client
        .unified_order(&common::order("tamper-0001", 500, "http://127.0.0.1:9/n"))
        .unwrap();
    let good = client.jsapi_params(&reply.prepay_id).unwrap();
    let mut bad = good.clone();
    bad.pay_sign.replace_range(
        ..1,
        if bad.pay_sign.starts_with('A') {
            "B"
        } else {
            "A"
        },
    );
    assert_eq!(pay_in_browser(&sim, &bad)["reason"], "paySign is wrong");
    let mut md5 = wxpay::BridgePayParams::new(
        client.merchant(),
        &reply.prepay_id,
        SignType::Md5,
        &wxpay::SystemClock,
    )
    .unwrap();
    assert!(pay_in_browser(&sim, &md5)["reason"]
        .as_str()
        .unwrap()
        .contains("signType"));
    md5.time_stamp = format!("{}000", md5.time_stamp);
    assert!(pay_in_browser(&sim, &md5)["reason"]
        .as_str()
        .unwrap()
        .contains("10 digits"));
    assert_eq!(
        sim.order("tamper-0001").unwrap().trade_state,
        "NOTPAY",
        "nothing was paid"
    );
    assert_eq!(
        pay_in_browser(&sim, &good)["err_msg"],
        "get_brand_wcpay_request:ok"
    );
}

#[test]
fn userinfo_and_refresh_follow_the_scope() {
    let sim = sim();
    let base = sim.base_url();
    let c = sim.config();
    let code_for = |scope: &str| {
        let url = format!(
            "{base}/connect/oauth2/authorize?appid={}&redirect_uri=https%3A%2F%2Fshop.example%2Fcb&response_type=code&scope={scope}&state=s",
            c.appid
        );
        let (status, location, _) = get(&url);
        assert_eq!(status, 302);
        location
            .unwrap()
            .split("code=")
            .nth(1)
            .unwrap()
            .split('&')
            .next()
            .unwrap()
            .to_owned()
    };
    let exchange = |code: &str| -> serde_json::Value {
        let (_, _, body) = get(&format!(
            "{base}/sns/oauth2/access_token?appid={}&secret={}&code={code}&grant_type=authorization_code",
            c.appid, c.app_secret
        ));
        serde_json::from_str(&body).unwrap()
    };
    let info = |token: &serde_json::Value| -> serde_json::Value {
        let (_, _, body) = get(&format!(
            "{base}/sns/userinfo?access_token={}&openid={}&lang=zh_CN",
            token["access_token"].as_str().unwrap(),
            token["openid"].as_str().unwrap()
        ));
        serde_json::from_str(&body).unwrap()
    };
    let full = exchange(&code_for("snsapi_userinfo"));
    assert_eq!(info(&full)["openid"], wxpay_sim::DEFAULT_OPENID);
    let base_only = exchange(&code_for("snsapi_base"));
    assert_eq!(info(&base_only)["errcode"], 48001);
    let (_, _, body) = get(&format!(
        "{base}/sns/oauth2/refresh_token?appid={}&grant_type=refresh_token&refresh_token={}",
        c.appid,
        full["refresh_token"].as_str().unwrap()
    ));
    let refreshed: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(info(&refreshed)["openid"], wxpay_sim::DEFAULT_OPENID);
    let (_, _, body) = get(&format!(
        "{base}/sns/oauth2/refresh_token?appid={}&grant_type=refresh_token&refresh_token=nope",
        c.appid
    ));
    assert!(body.contains("40030"), "{body}");
    let (status, _, page) = get(&format!("{base}/connect/oauth2/authorize?appid=wxother&redirect_uri=https%3A%2F%2Fx&response_type=code&scope=snsapi_base"));
    assert_eq!(status, 400);
    assert!(page.contains("10016"));
}

#[test]
fn a_new_classic_token_retires_the_old_one_after_the_overlap() {
    let sim = sim_with(wxpay_sim::SimConfig {
        token_overlap: 1,
        time_scale: 0.001,
        ..Default::default()
    });
    let base = sim.base_url();
    let c = sim.config();
    let fetch = || -> String {
        let (_, _, body) = get(&format!(
            "{base}/cgi-bin/token?grant_type=client_credential&appid={}&secret={}",
            c.appid, c.app_secret
        ));
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        v["access_token"].as_str().unwrap().to_owned()
    };
    let ticket_with = |token: &str| -> serde_json::Value {
        let (_, _, body) = get(&format!(
            "{base}/cgi-bin/ticket/getticket?access_token={token}&type=jsapi"
        ));
        serde_json::from_str(&body).unwrap()
    };
    let old = fetch();
    let new = fetch();
    assert_ne!(old, new);
    assert_eq!(
        ticket_with(&old)["errcode"],
        0,
        "the old token works during the overlap"
    );
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(ticket_with(&old)["errcode"], 40001);
    assert_eq!(ticket_with(&new)["errcode"], 0);
    assert_eq!(ticket_with("garbage")["errcode"], 40014);
    let (_, _, body) = get(&format!(
        "{base}/cgi-bin/token?grant_type=client_credential&appid={}&secret=wrong",
        c.appid
    ));
    assert!(body.contains("40125"), "{body}");
}
