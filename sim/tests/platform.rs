//! A service provider taking payments for its two sub-merchants, end to
//! end against the simulator: order, pay params, notification handled,
//! orderquery confirmed, refund — and every way one sub-merchant's call or
//! message could be taken for another's refused.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

mod common;

use std::time::Duration;

use common::*;
use wxpay::{
    BillType, Client, ClientConfig, DownloadBill, ErrorKind, NotifyStatus, OrderRef, Refund,
    RefundNotify, ShopOrder, SignType, SubMerchant, TradeState,
};
use wxpay_sim::{
    Simulator, PROVIDER_API_KEY, PROVIDER_APPID, PROVIDER_MCH_ID, SUB_APPID_1, SUB_APPID_2,
    SUB_MCH_ID_1, SUB_MCH_ID_2, SUB_OPENID_1,
};

fn platform(sim: &Simulator, sign_type: SignType) -> Client {
    let mut config = ClientConfig::new(PROVIDER_APPID, PROVIDER_MCH_ID, PROVIDER_API_KEY)
        .with_simulator(&sim.base_url());
    config.sign_type = sign_type;
    Client::new(config).unwrap()
}

fn tea_house() -> SubMerchant {
    SubMerchant::new(SUB_MCH_ID_1, Some(SUB_APPID_1)).unwrap()
}

fn bookshop() -> SubMerchant {
    SubMerchant::new(SUB_MCH_ID_2, None).unwrap()
}

fn err_code(e: &wxpay::Error) -> Option<String> {
    match e {
        wxpay::Error::Business { err_code, .. } => Some(err_code.clone()),
        _ => None,
    }
}

fn kind(e: wxpay::Error) -> (ErrorKind, Option<String>) {
    (e.kind(), e.field().map(str::to_owned))
}

#[test]
fn a_platform_takes_payments_for_two_sub_merchants() {
    for sign_type in [SignType::HmacSha256, SignType::Md5] {
        let sim = sim();
        let client = platform(&sim, sign_type);
        let shop = ShopServer::start(|_, _| wxpay::notify_ack().to_owned());
        let t = sign_type.as_str();

        // The tea house's buyer pays on the tea house's own account
        // (sub_appid + sub_openid); the bookshop's on the provider's
        // (openid, no sub_appid).
        let tea = client.for_sub_merchant(tea_house());
        let mut tea_order = common::order(&format!("tea-{t}"), 1500, &shop.url);
        tea_order.openid = None;
        tea_order.sub_openid = Some(SUB_OPENID_1.into());
        let books = client.for_sub_merchant(bookshop());
        let books_order = common::order(&format!("book-{t}"), 4200, &shop.url);

        for (sub, order, sub_mch_id, pay_appid) in [
            (&tea, &tea_order, SUB_MCH_ID_1, SUB_APPID_1),
            (&books, &books_order, SUB_MCH_ID_2, PROVIDER_APPID),
        ] {
            let no = order.out_trade_no.clone();
            let reply = sub.unified_order(order).unwrap();
            assert_eq!(reply.raw["sub_mch_id"], sub_mch_id);
            let held = sim.order(&no).unwrap();
            assert_eq!(held.sub_mch_id.as_deref(), Some(sub_mch_id));
            assert_eq!(held.mch_id, PROVIDER_MCH_ID);

            // Pay params name the page's account; the simulated client
            // checks it and the signature with the provider's key.
            let params = sub.jsapi_params(&reply.prepay_id).unwrap();
            assert_eq!(params.app_id, pay_appid);
            let paid = pay_in_browser(&sim, &params);
            assert_eq!(paid["err_msg"], "get_brand_wcpay_request:ok", "{paid}");

            // The notification names the sub-merchant; the handler checks
            // it against the shop's record and confirms with orderquery as
            // that sub-merchant.
            let before = sim.stats()["orderquery"];
            assert!(wait_for(Duration::from_secs(5), || shop
                .bodies()
                .iter()
                .any(|b| String::from_utf8_lossy(b).contains(&no))));
            let body = shop
                .bodies()
                .into_iter()
                .find(|b| String::from_utf8_lossy(b).contains(&no))
                .unwrap();
            let decision = client
                .handle_payment_notify(&body, |n| {
                    assert_eq!(n.sub_mch_id.as_deref(), Some(sub_mch_id));
                    Ok::<_, wxpay::Error>(Some(ShopOrder {
                        total_fee: order.total_fee,
                        transaction_id: None,
                        sub_mch_id: Some(sub_mch_id.into()),
                    }))
                })
                .unwrap();
            assert_eq!(decision.status, NotifyStatus::Paid, "{decision:?}");
            assert_eq!(decision.reply, wxpay::notify_ack());
            let confirmation = decision.confirmation.unwrap();
            assert_eq!(confirmation.trade_state, TradeState::Success);
            assert_eq!(confirmation.raw["sub_mch_id"], sub_mch_id);
            assert_eq!(sim.stats()["orderquery"] - before, 1);

            // The same notification checked against a record of the other
            // sub-merchant is refused before any query.
            let other = if sub_mch_id == SUB_MCH_ID_1 {
                SUB_MCH_ID_2
            } else {
                SUB_MCH_ID_1
            };
            let d = client.settle_payment_notify(
                &body,
                Some(&ShopOrder {
                    total_fee: order.total_fee,
                    transaction_id: None,
                    sub_mch_id: Some(other.into()),
                }),
            );
            assert_eq!(d.status, NotifyStatus::Refused);
            let e = d.error.unwrap();
            assert_eq!(e.kind(), ErrorKind::Mismatch);
            assert_eq!(e.field(), Some("sub_mch_id"));

            // Orderquery and refund as the sub-merchant.
            let q = sub.query_order(OrderRef::OutTradeNo(no.clone())).unwrap();
            assert_eq!(q.trade_state, TradeState::Success);
            let refund = Refund::new(
                OrderRef::OutTradeNo(no.clone()),
                format!("{no}-r1"),
                order.total_fee,
                500,
            );
            let r = sub.refund(&refund).unwrap();
            assert_eq!(r.refund_fee, 500);
            assert_eq!(r.raw["sub_mch_id"], sub_mch_id);
            assert_eq!(
                sub.query_order(OrderRef::OutTradeNo(no.clone()))
                    .unwrap()
                    .trade_state,
                TradeState::Refund
            );
        }

        // One sub-merchant never sees the other's orders.
        let e = books
            .query_order(OrderRef::OutTradeNo(format!("tea-{t}")))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Business);
        assert_eq!(err_code(&e).as_deref(), Some("ORDERNOTEXIST"));

        // The provider's bill holds both sub-merchants; a sub-merchant's
        // only its own.
        let bill = |c: Option<&wxpay::SubMerchantClient>| {
            let b = DownloadBill {
                bill_date: wxpay_sim::beijing_time(unix_now(), false)[..8].to_owned(),
                bill_type: BillType::Success,
                gzip: false,
            };
            let bill = match c {
                Some(c) => c.download_bill(&b),
                None => client.download_bill(&b),
            }
            .unwrap();
            let mut subs: Vec<String> = bill
                .row_maps()
                .iter()
                .map(|r| r["特约商户号"].clone())
                .collect();
            subs.sort();
            subs
        };
        assert_eq!(bill(None), [SUB_MCH_ID_1, SUB_MCH_ID_2]);
        assert_eq!(bill(Some(&tea)), [SUB_MCH_ID_1]);
    }
}

fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

#[test]
fn refund_notifications_of_a_sub_merchant_decrypt_with_the_providers_key() {
    let sim = sim();
    let client = platform(&sim, SignType::Md5);
    let shop = ShopServer::start(|_, _| wxpay::notify_ack().to_owned());
    let books = client.for_sub_merchant(bookshop());
    let reply = books
        .unified_order(&common::order("book-refund", 800, &shop.url))
        .unwrap();
    let paid = pay_in_browser(&sim, &books.jsapi_params(&reply.prepay_id).unwrap());
    assert_eq!(paid["err_msg"], "get_brand_wcpay_request:ok", "{paid}");
    let mut refund = Refund::new(
        OrderRef::OutTradeNo("book-refund".into()),
        "book-refund-r1",
        800,
        800,
    );
    refund.notify_url = Some(shop.url.clone());
    books.refund(&refund).unwrap();
    let refund_body = || {
        shop.bodies()
            .into_iter()
            .find(|b| String::from_utf8_lossy(b).contains("req_info"))
    };
    assert!(wait_for(Duration::from_secs(5), || refund_body().is_some()));
    let body = refund_body().unwrap();
    let n: RefundNotify = client.parse_refund_notify(&body).unwrap();
    assert_eq!(n.out_refund_no, "book-refund-r1");
    assert_eq!(n.raw["sub_mch_id"], SUB_MCH_ID_2);
    // The one-call handler decides the same body, and refuses a forged one.
    let d = client.handle_refund_notify(&body);
    assert_eq!(d.status, wxpay::RefundNotifyStatus::Refunded);
    assert_eq!(d.reply, wxpay::notify_ack());
    assert_eq!(
        d.refund.as_ref().map(|r| r.out_refund_no.as_str()),
        Some("book-refund-r1")
    );
    let forged = String::from_utf8_lossy(&body).replace("<req_info>", "<req_info>AAAA");
    let d = client.handle_refund_notify(forged.as_bytes());
    assert_eq!(d.status, wxpay::RefundNotifyStatus::Refused);
    assert!(d.refund.is_none() && d.error.is_some());
    assert!(d.reply.contains("FAIL"));
}

#[test]
fn calls_for_a_sub_merchant_are_checked_on_both_sides() {
    let sim = sim();
    let client = platform(&sim, SignType::HmacSha256);
    let order = common::order("sp-checks-1", 100, "https://shop.example/notify");

    // A sub-merchant that is not the provider's: WeChat refuses the call.
    let stranger = client.for_sub_merchant(SubMerchant::new("1900000999", None).unwrap());
    assert_eq!(
        kind(stranger.unified_order(&order).unwrap_err()).0,
        ErrorKind::Protocol
    );
    // A sub_appid that is not bound to the sub-merchant: refused too.
    let wrong_app =
        client.for_sub_merchant(SubMerchant::new(SUB_MCH_ID_1, Some(SUB_APPID_2)).unwrap());
    assert_eq!(
        kind(wrong_app.unified_order(&order).unwrap_err()).0,
        ErrorKind::Protocol
    );
    // The provider must name a sub-merchant.
    let e = client.unified_order(&order).unwrap_err();
    assert_eq!(err_code(&e).as_deref(), Some("LACK_PARAMS"), "{e:?}");

    // Refused before sending: a sub_openid without the account it belongs
    // to; openid and sub_openid together; sub fields in `extra`.
    let before = sim.stats()["unifiedorder"];
    let mut o = order.clone();
    o.openid = None;
    o.sub_openid = Some(SUB_OPENID_1.into());
    assert_eq!(
        kind(
            client
                .for_sub_merchant(bookshop())
                .unified_order(&o)
                .unwrap_err()
        ),
        (ErrorKind::InvalidInput, Some("sub_openid".into()))
    );
    assert_eq!(
        kind(client.unified_order(&o).unwrap_err()),
        (ErrorKind::InvalidInput, Some("sub_openid".into()))
    );
    let mut both = o.clone();
    both.openid = Some(wxpay_sim::DEFAULT_OPENID.into());
    assert_eq!(
        kind(
            client
                .for_sub_merchant(tea_house())
                .unified_order(&both)
                .unwrap_err()
        ),
        (ErrorKind::InvalidInput, Some("sub_openid".into()))
    );
    let mut sneaky = order.clone();
    sneaky
        .extra
        .insert("sub_mch_id".into(), SUB_MCH_ID_1.into());
    assert_eq!(
        kind(client.unified_order(&sneaky).unwrap_err()),
        (ErrorKind::InvalidInput, Some("sub_mch_id".into()))
    );
    assert!(SubMerchant::new("", None).is_err());
    assert!(SubMerchant::new("1900000109&x=1", None).is_err());
    assert_eq!(sim.stats()["unifiedorder"], before, "nothing was sent");

    // The direct merchant may not name a sub-merchant at all.
    let direct = common::client(&sim, SignType::Md5);
    let e = direct
        .for_sub_merchant(tea_house())
        .unified_order(&order)
        .unwrap_err();
    assert_eq!(err_code(&e).as_deref(), Some("NOAUTH"));
}

#[test]
fn a_reply_about_another_sub_merchant_is_a_mismatch() {
    // Genuine provider replies, signed with the provider's key, read by a
    // call for another sub-merchant (or by the provider calling for none).
    let key = PROVIDER_API_KEY;
    let provider =
        wxpay::Merchant::new(PROVIDER_APPID, PROVIDER_MCH_ID, key, SignType::Md5).unwrap();
    let clock = wxpay::FixedClock::new(1_700_000_000, "n0nce");
    let tea = provider.for_sub_merchant(tea_house());
    let request = wxpay::OrderQuery {
        order: OrderRef::OutTradeNo("tea-0001".into()),
    }
    .sign(&tea, &clock)
    .unwrap();
    assert_eq!(request.fields["sub_mch_id"], SUB_MCH_ID_1);
    assert_eq!(request.fields["sub_appid"], SUB_APPID_1);
    let reply = |sub_mch_id: Option<&str>| {
        let mut p = wxpay::Params::new();
        for (k, v) in [
            ("return_code", "SUCCESS"),
            ("result_code", "SUCCESS"),
            ("appid", PROVIDER_APPID),
            ("mch_id", PROVIDER_MCH_ID),
            ("nonce_str", "abc"),
            ("out_trade_no", "tea-0001"),
            ("trade_state", "NOTPAY"),
        ] {
            p.insert(k.into(), v.into());
        }
        if let Some(id) = sub_mch_id {
            p.insert("sub_mch_id".into(), id.into());
        }
        wxpay::to_signed_xml(&p, &wxpay::ApiKey::new(key).unwrap(), SignType::Md5).unwrap()
    };
    let query = wxpay::OrderQuery {
        order: OrderRef::OutTradeNo("tea-0001".into()),
    };
    let parse =
        |body: String| wxpay::OrderQueryReply::parse(&tea, &query, &request, body.as_bytes());
    assert!(parse(reply(Some(SUB_MCH_ID_1))).is_ok());
    for other in [Some(SUB_MCH_ID_2), None] {
        let e = parse(reply(other)).unwrap_err();
        assert_eq!(kind(e), (ErrorKind::Mismatch, Some("sub_mch_id".into())));
    }
}

#[test]
fn a_unified_order_from_operation_arguments() {
    // What every binding sends: the sub-merchant as two more named
    // arguments of the same operation.
    let sim = sim();
    let client = platform(&sim, SignType::Md5);
    let out = client
        .call_json(
            "unified_order",
            &serde_json::json!({
                "body": "tea", "outTradeNo": "op-tea-1", "totalFee": 1200,
                "spbillCreateIp": "127.0.0.1", "notifyUrl": "https://shop.example/notify",
                "subOpenid": SUB_OPENID_1, "subMchId": SUB_MCH_ID_1, "subAppid": SUB_APPID_1,
            })
            .to_string(),
        )
        .unwrap();
    let reply: serde_json::Value = serde_json::from_str(&out).unwrap();
    let prepay_id = reply["prepay_id"].as_str().unwrap();
    let params: serde_json::Value = serde_json::from_str(
        &client
            .call_json(
                "jsapi_params",
                &serde_json::json!({"prepay_id": prepay_id, "sub_mch_id": SUB_MCH_ID_1, "sub_appid": SUB_APPID_1}).to_string(),
            )
            .unwrap(),
    )
    .unwrap();
    assert_eq!(params["appId"], SUB_APPID_1);
    let paid = post_json(&format!("{}/sim/jsapi/pay", sim.base_url()), &params);
    assert_eq!(paid["err_msg"], "get_brand_wcpay_request:ok", "{paid}");
    let q: serde_json::Value = serde_json::from_str(
        &client
            .call_json(
                "query_order",
                r#"{"out_trade_no": "op-tea-1", "sub_mch_id": "1900000109"}"#,
            )
            .unwrap(),
    )
    .unwrap();
    assert_eq!(q["trade_state"], "SUCCESS");

    // sub_appid alone names no sub-merchant; operations that take none
    // refuse the argument.
    let e = client
        .call_json(
            "query_order",
            r#"{"out_trade_no": "op-tea-1", "sub_appid": "wx1111111111111111"}"#,
        )
        .unwrap_err();
    assert_eq!(
        kind(e),
        (ErrorKind::InvalidInput, Some("sub_mch_id".into()))
    );
    assert!(client
        .call_json(
            "oauth_state",
            r#"{"context": "s", "sub_mch_id": "1900000109"}"#
        )
        .is_err());
}

#[test]
fn two_sub_merchants_may_use_the_same_number_and_never_settle_each_other() {
    let sim = sim();
    let client = platform(&sim, SignType::HmacSha256);
    let shop = ShopServer::start(|_, _| wxpay::notify_ack().to_owned());
    let no = "order-0001";
    // The same number at the tea house, the bookshop and the direct
    // merchant: three orders, as WeChat keeps numbers per (sub-)merchant.
    let tea = client.for_sub_merchant(SubMerchant::new(SUB_MCH_ID_1, None).unwrap());
    let books = client.for_sub_merchant(bookshop());
    let tea_reply = tea
        .unified_order(&common::order(no, 1500, &shop.url))
        .unwrap();
    books
        .unified_order(&common::order(no, 4200, &shop.url))
        .unwrap();
    common::client(&sim, SignType::HmacSha256)
        .unified_order(&common::order(no, 990, &shop.url))
        .unwrap();
    let held = |sub: Option<&str>| sim.order_of(PROVIDER_MCH_ID, sub, no).unwrap();
    assert_eq!(held(Some(SUB_MCH_ID_1)).total_fee, 1500);
    assert_eq!(held(Some(SUB_MCH_ID_2)).total_fee, 4200);
    assert_eq!(
        sim.order_of(wxpay_sim::DEFAULT_MCH_ID, None, no)
            .unwrap()
            .total_fee,
        990
    );

    // The tea house's buyer pays; only the tea house's order is paid.
    let paid = pay_in_browser(&sim, &tea.jsapi_params(&tea_reply.prepay_id).unwrap());
    assert_eq!(paid["err_msg"], "get_brand_wcpay_request:ok");
    assert_eq!(held(Some(SUB_MCH_ID_1)).trade_state, "SUCCESS");
    assert_eq!(held(Some(SUB_MCH_ID_2)).trade_state, "NOTPAY");
    assert!(wait_for(Duration::from_secs(5), || shop.count() > 0));
    let body = shop.bodies().remove(0);

    // A shop that looks the number up in the bookshop's books is refused:
    // the notification names the tea house.
    let d = client.settle_payment_notify(
        &body,
        Some(&ShopOrder {
            total_fee: 4200,
            transaction_id: None,
            sub_mch_id: Some(SUB_MCH_ID_2.into()),
        }),
    );
    assert_eq!(d.status, NotifyStatus::Refused);
    assert_eq!(d.error.unwrap().field(), Some("sub_mch_id"));
    // Asked as the bookshop, orderquery knows only the bookshop's unpaid
    // order: the tea house's payment cannot confirm it.
    let q = books.query_order(OrderRef::OutTradeNo(no.into())).unwrap();
    assert_eq!(
        (q.trade_state, q.total_fee),
        (TradeState::NotPay, Some(4200))
    );
    // The tea house's record settles it.
    let d = client.settle_payment_notify(
        &body,
        Some(&ShopOrder {
            total_fee: 1500,
            transaction_id: None,
            sub_mch_id: Some(SUB_MCH_ID_1.into()),
        }),
    );
    assert_eq!(d.status, NotifyStatus::Paid, "{d:?}");
}

#[test]
fn amounts_beyond_wechats_integer_range_are_refused_on_both_sides() {
    let sim = sim();
    let client = common::client(&sim, SignType::HmacSha256);
    // The client refuses before sending.
    let e = client
        .unified_order(&common::order(
            "order-big-1",
            2_147_483_648,
            "http://127.0.0.1:9/n",
        ))
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::InvalidInput, Some("total_fee"))
    );
    assert_eq!(sim.stats()["unifiedorder"], 0);
    assert!(client
        .unified_order(&common::order(
            "order-big-2",
            2_147_483_647,
            "http://127.0.0.1:9/n"
        ))
        .is_ok());
    // The simulator refuses what another client sends, as WeChat does.
    let c = sim.config();
    let key = wxpay::ApiKey::new(&c.api_key).unwrap();
    for fee in ["2147483648", "9223372036854775808"] {
        let mut f = wxpay::Params::new();
        for (k, v) in [
            ("appid", c.appid.as_str()),
            ("mch_id", c.mch_id.as_str()),
            ("nonce_str", "n0nce"),
            ("body", "big"),
            ("out_trade_no", "order-big-3"),
            ("total_fee", fee),
            ("spbill_create_ip", "127.0.0.1"),
            ("notify_url", "http://127.0.0.1:9/n"),
            ("trade_type", "JSAPI"),
            ("openid", wxpay_sim::DEFAULT_OPENID),
        ] {
            f.insert(k.into(), v.into());
        }
        let xml = wxpay::to_signed_xml(&f, &key, SignType::Md5).unwrap();
        let reply = post_raw(
            &format!("{}/pay/unifiedorder", sim.base_url()),
            xml.as_bytes(),
        );
        let reply = wxpay::from_xml(&reply).unwrap();
        assert_eq!(reply["err_code"], "INVALID_REQUEST", "{fee}");
        assert!(sim.order("order-big-3").is_none());
    }
}
