//! `Client::handle_payment_notify`, the one-call notify handler, against
//! the simulator: each outcome, its reply, and how many orderqueries
//! reached WeChat.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

mod common;

use std::cell::Cell;
use std::time::Duration;

use common::*;
use wxpay::{
    ApiKey, Client, ErrorKind, NotifyDecision, NotifyStatus, Params, ShopOrder, SignType,
    TradeState,
};
use wxpay_sim::{Fault, Simulator};

/// A paid order and the notification the simulator delivered for it.
fn paid_order(sim: &Simulator, client: &Client, no: &str) -> Vec<u8> {
    let shop = ShopServer::start(|_, _| wxpay::notify_ack().to_owned());
    let reply = client.unified_order(&order(no, 990, &shop.url)).unwrap();
    let params = client.jsapi_params(&reply.prepay_id).unwrap();
    assert_eq!(
        pay_in_browser(sim, &params)["err_msg"],
        "get_brand_wcpay_request:ok"
    );
    assert!(wait_for(Duration::from_secs(5), || shop.count() >= 1));
    shop.bodies()[0].clone()
}

/// A correctly signed notification the simulator never sent.
fn signed_notify(sim: &Simulator, fields: &[(&str, &str)]) -> Vec<u8> {
    let c = sim.config();
    let mut p = Params::new();
    for (k, v) in [
        ("return_code", "SUCCESS"),
        ("appid", c.appid.as_str()),
        ("mch_id", c.mch_id.as_str()),
        ("nonce_str", "5K8264ILTKCH16CQ2502SI8ZNMTM67VS"),
        ("openid", wxpay_sim::DEFAULT_OPENID),
        ("trade_type", "JSAPI"),
        ("bank_type", "CMC"),
        ("time_end", "20261201120000"),
    ]
    .into_iter()
    .chain(fields.iter().copied())
    {
        p.insert(k.into(), v.into());
    }
    let key = ApiKey::new(&c.api_key).unwrap();
    wxpay::to_signed_xml(&p, &key, SignType::HmacSha256)
        .unwrap()
        .into_bytes()
}

fn queries(sim: &Simulator) -> u64 {
    sim.stats().get("orderquery").copied().unwrap_or(0)
}

fn decide(client: &Client, body: &[u8], order: Option<ShopOrder>) -> (NotifyDecision, usize) {
    let asked = Cell::new(0);
    let d = client
        .handle_payment_notify(body, |n| {
            asked.set(asked.get() + 1);
            assert!(n.is_paid());
            Ok::<_, wxpay::Error>(order)
        })
        .unwrap();
    (d, asked.get())
}

fn fresh(total_fee: u64) -> Option<ShopOrder> {
    Some(ShopOrder {
        total_fee,
        transaction_id: None,
        sub_mch_id: None,
    })
}

fn assert_refused(d: &NotifyDecision, kind: ErrorKind, field: Option<&str>) {
    assert_eq!(d.status, NotifyStatus::Refused, "{d:?}");
    let e = d.error.as_ref().expect("a refusal says why");
    assert_eq!(e.kind(), kind, "{e}");
    assert_eq!(e.field(), field, "{e}");
    assert_eq!(
        wxpay::from_xml(d.reply.as_bytes()).unwrap()["return_code"],
        "FAIL"
    );
}

#[test]
fn a_paid_order_is_confirmed_once_and_acknowledged() {
    let sim = sim();
    let client = client(&sim, SignType::HmacSha256);
    let body = paid_order(&sim, &client, "handler-0001");

    let before = queries(&sim);
    let (d, asked) = decide(&client, &body, fresh(990));
    assert_eq!(d.status, NotifyStatus::Paid, "{d:?}");
    assert_eq!(asked, 1);
    assert_eq!(d.reply, wxpay::notify_ack());
    assert_eq!(d.out_trade_no.as_deref(), Some("handler-0001"));
    assert_eq!(d.total_fee, Some(990));
    let confirmation = d.confirmation.as_ref().unwrap();
    assert_eq!(confirmation.trade_state, TradeState::Success);
    assert_eq!(confirmation.transaction_id, d.transaction_id);
    assert!(d.error.is_none());
    assert_eq!(queries(&sim) - before, 1, "one orderquery confirmed it");

    // Delivered again after the shop recorded it: acknowledged, no query.
    let recorded = Some(ShopOrder {
        total_fee: 990,
        transaction_id: d.transaction_id.clone(),
        sub_mch_id: None,
    });
    let (again, _) = decide(&client, &body, recorded);
    assert_eq!(again.status, NotifyStatus::AlreadyPaid);
    assert_eq!(again.reply, wxpay::notify_ack());
    assert_eq!(queries(&sim) - before, 1);

    // The same decision through the dispatch path every binding uses.
    let json = client
        .run(
            wxpay::Operation::with_body(
                "settle_payment_notify",
                body.clone(),
                vec![serde_json::json!({"totalFee": 990})],
                serde_json::Value::Null,
            )
            .unwrap(),
        )
        .unwrap()
        .to_json()
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["status"], "paid");
    assert_eq!(v["reply"], wxpay::notify_ack());
    assert_eq!(v["confirmation"]["trade_state"], "SUCCESS");
    assert_eq!(v["error"], serde_json::Value::Null);
    assert_eq!(
        client.payment_notify_order(&body).as_deref(),
        Some("handler-0001")
    );
}

#[test]
fn what_the_shop_recorded_decides_before_any_query() {
    let sim = sim();
    let client = client(&sim, SignType::HmacSha256);
    let body = paid_order(&sim, &client, "handler-0002");
    let before = queries(&sim);

    let (d, _) = decide(&client, &body, fresh(1));
    assert_refused(&d, ErrorKind::Mismatch, Some("total_fee"));
    assert!(d.total_fee.is_none(), "nothing to mark paid");

    let (d, _) = decide(&client, &body, None);
    assert_refused(&d, ErrorKind::Mismatch, Some("out_trade_no"));

    let other = Some(ShopOrder {
        total_fee: 990,
        transaction_id: Some("4200000000000000000000000001".into()),
        sub_mch_id: None,
    });
    let (d, _) = decide(&client, &body, other);
    assert_refused(&d, ErrorKind::Mismatch, Some("transaction_id"));

    assert_eq!(queries(&sim), before, "no orderquery for a refused claim");
}

#[test]
fn forged_and_failed_notifications_never_reach_the_shop_order() {
    let sim = sim();
    let client = client(&sim, SignType::HmacSha256);
    let body = paid_order(&sim, &client, "handler-0003");

    // One byte of the amount changed: the signature no longer holds, and
    // the shop's lookup is never called.
    let text = String::from_utf8(body).unwrap();
    let tampered = text.replacen("990", "991", 1);
    assert_ne!(tampered, text);
    let (d, asked) = decide(&client, tampered.as_bytes(), fresh(991));
    assert_refused(&d, ErrorKind::Signature, None);
    assert_eq!(asked, 0);
    assert!(d.out_trade_no.is_none());

    // Refused XML.
    let (d, asked) = decide(&client, b"<!DOCTYPE x><xml/>", fresh(990));
    assert_refused(&d, ErrorKind::Xml, None);
    assert_eq!(asked, 0);

    // An authentic notification of a failed payment: acknowledged, nothing
    // looked up.
    let failed = signed_notify(
        &sim,
        &[
            ("result_code", "FAIL"),
            ("err_code", "NOTENOUGH"),
            ("out_trade_no", "handler-0003"),
        ],
    );
    let (d, asked) = decide(&client, &failed, fresh(990));
    assert_eq!(d.status, NotifyStatus::NotPaid, "{d:?}");
    assert_eq!(d.reply, wxpay::notify_ack());
    assert_eq!(asked, 0);
    assert_eq!(client.payment_notify_order(&failed), None);
}

#[test]
fn a_payment_orderquery_does_not_confirm_is_refused_for_later() {
    let sim = sim();
    let client = client(&sim, SignType::HmacSha256);
    // Placed but never paid: a correctly signed claim that it was.
    client
        .unified_order(&order("handler-0004", 990, "http://127.0.0.1:9/n"))
        .unwrap();
    let claim = signed_notify(
        &sim,
        &[
            ("result_code", "SUCCESS"),
            ("out_trade_no", "handler-0004"),
            ("transaction_id", "4200000000000000000000000004"),
            ("total_fee", "990"),
            ("cash_fee", "990"),
            ("fee_type", "CNY"),
        ],
    );
    let before = queries(&sim);
    let (d, _) = decide(&client, &claim, fresh(990));
    // WeChat knows no such transaction.
    assert_refused(&d, ErrorKind::Business, None);
    assert_eq!(
        d.error.as_ref().unwrap().details()["err_code"],
        "ORDERNOTEXIST"
    );
    assert_eq!(queries(&sim) - before, 1);
}

#[test]
fn orderquery_failing_refuses_with_a_retryable_error_in_time() {
    let sim = sim();
    let client = client(&sim, SignType::HmacSha256);
    let body = paid_order(&sim, &client, "handler-0005");
    sim.add_fault(Fault {
        path: "/pay/orderquery".into(),
        kind: "http_error".into(),
        count: 2,
        delay_ms: 0,
        status: Some(503),
        ..Default::default()
    })
    .unwrap();
    let faults = || sim.stats().get("faults_injected").copied().unwrap_or(0);
    let before = faults();
    let (d, _) = decide(&client, &body, fresh(990));
    assert_refused(&d, ErrorKind::Transport, None);
    assert_eq!(
        faults() - before,
        2,
        "the query and its one retry both met the fault"
    );
    assert!(d.error.as_ref().unwrap().retryable());
    assert!(d.confirmation.is_none());

    // Once WeChat answers again, the redelivery is confirmed.
    let (d, _) = decide(&client, &body, fresh(990));
    assert_eq!(d.status, NotifyStatus::Paid, "{d:?}");
}

#[test]
fn an_error_of_the_shop_lookup_is_the_callers() {
    let sim = sim();
    let client = client(&sim, SignType::HmacSha256);
    let body = paid_order(&sim, &client, "handler-0006");
    let r = client.handle_payment_notify(&body, |_| Err::<Option<ShopOrder>, _>("database down"));
    assert_eq!(r.unwrap_err(), "database down");
}
