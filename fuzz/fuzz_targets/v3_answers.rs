//! API v3 answers as the client reads them once verified: an order (query
//! answer or payment resource), a refund (answer, query or notification
//! resource), a prepay answer of each kind, and a downloaded bill against
//! its hash. Whatever the bytes, a typed error or a checked value, never a
//! panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpay::v3::{
    check_bill, Prepay, PrepayKind, RefundStateV3, RefundV3, TransactionAsked, TransactionV3,
};
use wxpay::OrderRef;

fuzz_target!(|data: &[u8]| {
    let asked = TransactionAsked {
        mchid: "1900009191",
        appid: "wxd930ea5d5a258f4f",
        out_trade_no: "order-0001",
        total: data.first().map(|b| u64::from(*b)),
        sub: None,
    };
    let refund = RefundV3 {
        order: OrderRef::OutTradeNo("order-0001".into()),
        out_refund_no: "refund-0001".into(),
        reason: None,
        notify_url: None,
        refund: 300,
        total: 990,
        sub_mchid: None,
    };
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) {
        let _ = TransactionV3::check(value.clone(), &asked);
        let _ = RefundStateV3::check(value.clone(), &refund);
        let _ = RefundStateV3::notified(value, "1900009191");
    }
    for kind in [
        PrepayKind::Jsapi {
            openid: "o".into(),
        },
        PrepayKind::Native,
        PrepayKind::H5 {
            payer_client_ip: "127.0.0.1".into(),
            h5_type: "Wap".into(),
        },
    ] {
        let order = Prepay {
            kind,
            appid: "wxd930ea5d5a258f4f".into(),
            mchid: "1900009191".into(),
            description: "d".into(),
            out_trade_no: "order-0001".into(),
            notify_url: "https://shop.example/notify".into(),
            total: 1,
            attach: None,
            time_expire: None,
            sub: None,
        };
        let _ = order.answer(data);
    }
    let _ = check_bill(data, "SHA1", "da39a3ee5e6b4b0d3255bfef95601890afd80709");
});
