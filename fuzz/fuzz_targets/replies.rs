//! Every pay API reply parser, on the body as it arrives and re-signed with
//! the merchant's key so the checks after the signature are reached. The
//! first byte picks the API.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpay::{
    from_xml, to_signed_xml, ApiKey, Bill, CloseOrder, CloseOrderReply, FixedClock, Merchant,
    OrderQuery, OrderQueryReply, OrderRef, Refund, RefundQuery, RefundQueryReply, RefundRef,
    RefundReply, SignType, UnifiedOrder, UnifiedOrderReply,
};

const KEY: &str = "192006250b4c09247ec02edce69f6a2d";

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let key = ApiKey::new(KEY).unwrap();
    let merchant =
        Merchant::new("wxd930ea5d5a258f4f", "10000100", KEY, SignType::HmacSha256).unwrap();
    let mut bodies = vec![body.to_vec()];
    if let Ok(mut fields) = from_xml(body) {
        fields.remove("sign");
        if let Ok(signed) = to_signed_xml(&fields, &key, SignType::HmacSha256) {
            bodies.push(signed.into_bytes());
        }
    }
    let clock = FixedClock::new(0, "nonce");
    let order_ref = OrderRef::OutTradeNo("order-A-0001".into());
    for body in &bodies {
        match pick % 6 {
            0 => {
                let order = UnifiedOrder::jsapi(
                    "shop",
                    "order-A-0001",
                    10000,
                    "127.0.0.1",
                    "https://shop.example/n",
                    "openid",
                );
                let request = order.sign(&merchant, &clock).unwrap();
                let _ = UnifiedOrderReply::parse(&merchant, &request, body);
            }
            1 => {
                let query = OrderQuery {
                    order: order_ref.clone(),
                };
                let request = query.sign(&merchant, &clock).unwrap();
                if let Ok(reply) = OrderQueryReply::parse(&merchant, &query, &request, body) {
                    assert_eq!(reply.out_trade_no, "order-A-0001");
                }
            }
            2 => {
                let request = CloseOrder {
                    out_trade_no: "order-A-0001".into(),
                }
                .sign(&merchant, &clock)
                .unwrap();
                let _ = CloseOrderReply::parse(&merchant, &request, body);
            }
            3 => {
                let refund = Refund::new(order_ref.clone(), "refund-1", 10000, 100);
                let request = refund.sign(&merchant, &clock).unwrap();
                let _ = RefundReply::parse(&merchant, &refund, &request, body);
            }
            4 => {
                let request = RefundQuery {
                    refund: RefundRef::Order(order_ref.clone()),
                    offset: None,
                }
                .sign(&merchant, &clock)
                .unwrap();
                let _ = RefundQueryReply::parse(&merchant, &request, body);
            }
            _ => {
                let _ = Bill::parse(body);
            }
        }
    }
});
