//! Request building and validation, secrets, OAuth state, and the refund
//! notification cipher.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

use wxpay::*;

const KEY: &str = "192006250b4c09247ec02edce69f6a2d";

fn merchant(st: SignType) -> Merchant {
    Merchant::new("wxd930ea5d5a258f4f", "10000100", KEY, st).unwrap()
}

fn order() -> UnifiedOrder {
    UnifiedOrder::jsapi(
        "腾讯-游戏",
        "order-0001",
        990,
        "127.0.0.1",
        "https://shop.example/notify",
        "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
    )
}

fn clock() -> FixedClock {
    FixedClock::new(1_700_000_000, "ibuaiVcKdpRxkhJA")
}

fn invalid_field(result: Result<SignedRequest>) -> String {
    match result {
        Err(Error::InvalidInput { field, .. }) => field,
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

#[test]
fn unified_order_is_signed_with_its_envelope() {
    for st in [SignType::Md5, SignType::HmacSha256] {
        let m = merchant(st);
        let req = order().sign(&m, &clock()).unwrap();
        assert_eq!(req.fields["appid"], "wxd930ea5d5a258f4f");
        assert_eq!(req.fields["mch_id"], "10000100");
        assert_eq!(req.fields["nonce_str"], "ibuaiVcKdpRxkhJA");
        assert_eq!(req.fields["sign_type"], st.as_str());
        assert_eq!(req.fields["trade_type"], "JSAPI");
        assert_eq!(req.sign_type, st);
        // What WeChat reads is exactly what was signed.
        let parsed = from_xml(req.xml.as_bytes()).unwrap();
        assert_eq!(parsed, req.fields);
        verify(&parsed, m.api_key(), st).unwrap();
    }
}

#[test]
fn identical_orders_give_identical_bytes() {
    let m = merchant(SignType::HmacSha256);
    assert_eq!(
        order().sign(&m, &clock()).unwrap().xml,
        order().sign(&m, &clock()).unwrap().xml
    );
}

#[test]
fn unified_order_input_rules() {
    let m = merchant(SignType::Md5);
    let c = clock();
    let with = |f: &dyn Fn(&mut UnifiedOrder)| {
        let mut o = order();
        f(&mut o);
        o.sign(&m, &c)
    };
    assert_eq!(invalid_field(with(&|o| o.total_fee = 0)), "total_fee");
    assert_eq!(
        invalid_field(with(&|o| o.out_trade_no = "a".repeat(33))),
        "out_trade_no"
    );
    assert_eq!(
        invalid_field(with(&|o| o.out_trade_no = "12345".into())),
        "out_trade_no"
    );
    assert_eq!(
        invalid_field(with(&|o| o.out_trade_no = "order#0001".into())),
        "out_trade_no"
    );
    assert_eq!(
        invalid_field(with(&|o| o.out_trade_no = "订单000001".into())),
        "out_trade_no"
    );
    assert!(with(&|o| o.out_trade_no = "a-b_c|d*e".into()).is_ok());
    assert_eq!(invalid_field(with(&|o| o.body = "x".repeat(128))), "body");
    assert!(with(&|o| o.body = "x".repeat(127)).is_ok());
    assert_eq!(invalid_field(with(&|o| o.body = "中".repeat(43))), "body");
    assert_eq!(invalid_field(with(&|o| o.body = String::new())), "body");
    assert_eq!(invalid_field(with(&|o| o.body = "pay 😀".into())), "body");
    assert_eq!(invalid_field(with(&|o| o.body = " padded".into())), "body");
    assert_eq!(
        invalid_field(with(&|o| o.spbill_create_ip = "localhost".into())),
        "spbill_create_ip"
    );
    assert!(with(&|o| o.spbill_create_ip = "2001:db8::1".into()).is_ok());
    assert_eq!(
        invalid_field(with(
            &|o| o.notify_url = "https://shop.example/notify?x=1".into()
        )),
        "notify_url"
    );
    assert_eq!(
        invalid_field(with(&|o| o.notify_url = "ftp://shop.example/notify".into())),
        "notify_url"
    );
    assert_eq!(invalid_field(with(&|o| o.openid = None)), "openid");
    assert_eq!(
        invalid_field(with(&|o| o.trade_type = TradeType::Native)),
        "product_id"
    );
    assert!(with(&|o| {
        o.trade_type = TradeType::Native;
        o.product_id = Some("p1".into());
    })
    .is_ok());
    assert_eq!(
        invalid_field(with(&|o| o.trade_type = TradeType::Mweb)),
        "scene_info"
    );
    assert_eq!(
        invalid_field(with(&|o| {
            o.extra.insert("detail".into(), "x".repeat(6145));
        })),
        "detail"
    );
    assert_eq!(
        invalid_field(with(&|o| {
            o.extra.insert("attach".into(), "x".repeat(128));
        })),
        "attach"
    );
    assert_eq!(
        invalid_field(with(&|o| {
            o.extra.insert("time_expire".into(), "2024-01-01".into());
        })),
        "time_expire"
    );
    assert_eq!(
        invalid_field(with(&|o| {
            o.extra.insert("fee_type".into(), "USD".into());
        })),
        "fee_type"
    );
    assert_eq!(
        invalid_field(with(&|o| {
            o.extra.insert("sign".into(), "X".into());
        })),
        "sign"
    );
    assert_eq!(
        invalid_field(with(&|o| {
            o.extra.insert("appid".into(), "wx1".into());
        })),
        "appid"
    );
    assert_eq!(
        invalid_field(with(&|o| {
            o.extra.insert("total_fee".into(), "1".into());
        })),
        "total_fee"
    );
    assert_eq!(
        invalid_field(with(&|o| {
            o.extra.insert("a=b".into(), "1".into());
        })),
        "params"
    );
    // A field WeChat adds later passes through and is signed.
    let req = with(&|o| {
        o.extra.insert("new_field".into(), "v".into());
    })
    .unwrap();
    assert_eq!(req.fields["new_field"], "v");
}

#[test]
fn refund_rules() {
    let m = merchant(SignType::Md5);
    let r = |fee, refund| {
        Refund::new(
            OrderRef::OutTradeNo("order-0001".into()),
            "refund@0001",
            fee,
            refund,
        )
        .sign(&m, &clock())
    };
    assert!(r(100, 100).is_ok());
    assert_eq!(invalid_field(r(100, 101)), "refund_fee");
    assert_eq!(invalid_field(r(100, 0)), "refund_fee");
    assert_eq!(
        invalid_field(
            Refund::new(OrderRef::TransactionId("42 00".into()), "r1", 1, 1).sign(&m, &clock())
        ),
        "transaction_id"
    );
}

#[test]
fn other_requests_validate() {
    let m = merchant(SignType::Md5);
    assert_eq!(
        invalid_field(
            CloseOrder {
                out_trade_no: "x".into()
            }
            .sign(&m, &clock())
        ),
        "out_trade_no"
    );
    assert_eq!(
        invalid_field(
            DownloadBill {
                bill_date: "2024-01-02".into(),
                bill_type: BillType::All,
                gzip: false
            }
            .sign(&m, &clock())
        ),
        "bill_date"
    );
    let bill = DownloadBill {
        bill_date: "20240102".into(),
        bill_type: BillType::Success,
        gzip: true,
    }
    .sign(&m, &clock())
    .unwrap();
    assert_eq!(bill.fields["tar_type"], "GZIP");
    assert_eq!(bill.fields["bill_type"], "SUCCESS");
    let q = RefundQuery {
        refund: RefundRef::RefundId("2008450740201411110000174436".into()),
        offset: Some(10),
    }
    .sign(&m, &clock())
    .unwrap();
    assert_eq!(q.fields["offset"], "10");
}

#[test]
fn bad_configuration_is_refused_and_secrets_never_show() {
    for bad in [
        "",
        &KEY[..31],
        &format!("{KEY}0"),
        &format!("{}\n", &KEY[..31]),
        &format!("{} ", &KEY[..31]),
    ] {
        let err = Merchant::new("wxd930ea5d5a258f4f", "10000100", bad, SignType::Md5).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config);
        assert!(!err.to_string().contains(&KEY[..16]));
    }
    assert_eq!(
        Merchant::new("", "10000100", KEY, SignType::Md5)
            .unwrap_err()
            .kind(),
        ErrorKind::Config
    );
    assert_eq!(
        Merchant::new("wx1", "1 0", KEY, SignType::Md5)
            .unwrap_err()
            .kind(),
        ErrorKind::Config
    );

    let m = merchant(SignType::Md5);
    assert!(!format!("{m:?}").contains(KEY));
    assert!(!format!("{:?}", OAuthState::new(m.api_key())).contains(KEY));

    // A notification signed with another key: the error names neither key.
    let mut p = Params::from([
        ("return_code".into(), "SUCCESS".into()),
        ("result_code".into(), "SUCCESS".into()),
    ]);
    let other = ApiKey::new("0123456789abcdef0123456789abcdef").unwrap();
    p.insert("sign".into(), sign(&p, &other, SignType::Md5).unwrap());
    let err = PaymentNotify::verify(&m, to_xml(&p).unwrap().as_bytes()).unwrap_err();
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(
            !text.contains(KEY) && !text.contains("0123456789abcdef"),
            "{text}"
        );
    }
}

#[test]
fn trade_states_map_to_outcomes() {
    use TradeState::*;
    for (wire, paid, pending) in [
        ("SUCCESS", true, false),
        ("REFUND", true, false),
        ("NOTPAY", false, true),
        ("USERPAYING", false, true),
        ("ACCEPT", false, true),
        ("CLOSED", false, false),
        ("REVOKED", false, false),
        ("PAYERROR", false, false),
    ] {
        let st = TradeState::parse(wire).unwrap();
        assert_eq!(st.as_str(), wire);
        assert_eq!((st.is_paid(), st.is_pending()), (paid, pending), "{wire}");
    }
    assert_eq!(
        TradeState::parse("WHATEVER").unwrap_err().kind(),
        ErrorKind::Protocol
    );
    let _ = (Success, Closed);
}

#[test]
fn oauth_state_is_bound_signed_and_expires() {
    let s = OAuthState::new(&ApiKey::new(KEY).unwrap());
    let at = |t| FixedClock::new(t, "x");
    let state = s.issue("session-1", &at(1_700_000_000));
    assert_eq!(state.len(), 58);
    assert!(state.bytes().all(|b| b.is_ascii_alphanumeric()));
    assert!(s
        .check(&state, "session-1", 600, &at(1_700_000_600))
        .is_ok());
    assert!(s
        .check(&state, "session-1", 600, &at(1_700_000_601))
        .is_err());
    assert!(s
        .check(&state, "session-2", 600, &at(1_700_000_001))
        .is_err());
    assert!(
        s.check(&state, "session-1", 600, &at(1_699_999_000))
            .is_err(),
        "issued in the future"
    );
    let mut forged = state.clone();
    forged.replace_range(..10, "1700000500");
    assert!(
        s.check(&forged, "session-1", 600, &at(1_700_000_600))
            .is_err(),
        "time cannot be moved"
    );
    let other = OAuthState::new(&ApiKey::new("0123456789abcdef0123456789abcdef").unwrap());
    assert!(other
        .check(&state, "session-1", 600, &at(1_700_000_001))
        .is_err());
    assert_ne!(
        s.issue("session-1", &at(1)),
        s.issue("session-1", &at(1)),
        "fresh nonce each time"
    );
    // And it is a valid `state` for the authorize URL.
    assert!(oauth_authorize_url(
        OPEN_BASE_URL,
        "wx1",
        "https://shop.example/cb",
        Scope::Base,
        Some(&state)
    )
    .is_ok());
}

#[test]
fn refund_cipher_round_trips() {
    let key = ApiKey::new(KEY).unwrap();
    let info = Params::from([
        ("out_refund_no".into(), "r-1".into()),
        ("refund_recv_accout".into(), "支付用户零钱".into()),
    ]);
    let ct = encrypt_req_info(&info, &key).unwrap();
    assert_eq!(decrypt_req_info(&ct, &key).unwrap(), info);
    let other = ApiKey::new("0123456789abcdef0123456789abcdef").unwrap();
    assert_eq!(
        decrypt_req_info(&ct, &other).unwrap_err().kind(),
        ErrorKind::Signature
    );
}

#[test]
fn notify_replies() {
    let ack = from_xml(notify_ack().as_bytes()).unwrap();
    assert_eq!(
        (ack["return_code"].as_str(), ack["return_msg"].as_str()),
        ("SUCCESS", "OK")
    );
    let fail = notify_fail("bad </return_msg><return_code>SUCCESS</return_code> \u{0} msg");
    let parsed = from_xml(fail.as_bytes()).unwrap();
    assert_eq!(parsed["return_code"], "FAIL");
    assert_eq!(parsed.len(), 2);
}

#[test]
fn jssdk_config_signs_the_page_url_without_fragment() {
    let c = JssdkConfig::new(
        "wx1",
        "ticket",
        "https://shop.example/pay?id=1#top",
        &["chooseWXPay"],
        &clock(),
    )
    .unwrap();
    assert_eq!(
        c.signature,
        jssdk_signature(
            "ticket",
            "ibuaiVcKdpRxkhJA",
            1_700_000_000,
            "https://shop.example/pay?id=1"
        )
        .unwrap()
    );
    let v: serde_json::Value = serde_json::from_str(&c.to_json()).unwrap();
    assert_eq!(v["appId"], "wx1");
    assert_eq!(v["nonceStr"], "ibuaiVcKdpRxkhJA");
    assert_eq!(v["jsApiList"][0], "chooseWXPay");
}

#[test]
fn bridge_params_sign_type_follows_the_order() {
    let m = merchant(SignType::Md5);
    let p = BridgePayParams::new(
        &m,
        "wx201410272009395522657a690389285100",
        SignType::HmacSha256,
        &clock(),
    )
    .unwrap();
    assert_eq!(p.sign_type, "HMAC-SHA256");
    assert_eq!(p.pay_sign.len(), 64);
    assert_eq!(p.package, "prepay_id=wx201410272009395522657a690389285100");
    assert_eq!(p.time_stamp, "1700000000");
}

#[test]
fn every_err_code_in_the_table_is_classified() {
    for info in ERR_CODES {
        assert_eq!(err_code_retryable(info.code), info.retryable);
        assert!(!info.advice.is_empty());
    }
    assert!(!err_code_retryable("SOMETHING_NEW"));
}
