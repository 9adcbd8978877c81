//! Every pay API reply parser, on the body as it arrives and re-signed with
//! the merchant's key so the checks after the signature are reached. The
//! first byte picks the API (its low part) and whether the call was made
//! for a sub-merchant (bytes from 128 on).
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpay::{
    from_xml, to_signed_xml, ApiKey, AuthCodeToOpenid, Bill, CloseOrder, CloseOrderReply,
    FixedClock, FundFlow, Merchant, Micropay, MicropayReply, OrderQuery, OrderQueryReply, OrderRef,
    ProfitSharingState, Refund, RefundQuery, RefundQueryReply, RefundRef, RefundReply, Reverse,
    ReverseAnswer, ScanCallback, SignType, SubMerchant, UnifiedOrder, UnifiedOrderReply,
};

const KEY: &str = "192006250b4c09247ec02edce69f6a2d";

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let key = ApiKey::new(KEY).unwrap();
    let mut merchant =
        Merchant::new("wxd930ea5d5a258f4f", "10000100", KEY, SignType::HmacSha256).unwrap();
    if pick >= 128 {
        let sub = SubMerchant::new("1900000109", Some("wx1111111111111111")).unwrap();
        merchant = merchant.for_sub_merchant(sub);
    }
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
        match pick % 9 {
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
                let query = RefundQuery {
                    refund: RefundRef::Order(order_ref.clone()),
                    offset: None,
                };
                let request = query.sign(&merchant, &clock).unwrap();
                let _ = RefundQueryReply::parse(&merchant, &query, &request, body);
            }
            5 => {
                let _ = Bill::parse(body);
                let _ = FundFlow::parse(body);
                let _ = ProfitSharingState::parse(
                    &merchant,
                    "4200000000000000000000000001",
                    "P1",
                    body,
                );
                if let Ok(scan) = ScanCallback::verify(&merchant, body) {
                    // Verified means signed with the merchant's key: never by chance.
                    assert!(scan.raw.contains_key("sign"));
                }
            }
            6 => {
                let pay = Micropay::new(
                    "shop",
                    "order-A-0001",
                    10000,
                    "127.0.0.1",
                    "134567890123450000",
                );
                let request = pay.sign(&merchant, &clock).unwrap();
                if let Ok(reply) = MicropayReply::parse(&merchant, &pay, &request, body) {
                    assert_eq!(reply.out_trade_no, "order-A-0001");
                    assert_eq!(reply.total_fee, Some(10000));
                }
            }
            7 => {
                let request = Reverse {
                    order: order_ref.clone(),
                }
                .sign(&merchant, &clock)
                .unwrap();
                let _ = ReverseAnswer::parse(&merchant, &request, body);
            }
            _ => {
                let request = AuthCodeToOpenid {
                    auth_code: "134567890123450000".into(),
                }
                .sign(&merchant, &clock)
                .unwrap();
                let _ = AuthCodeToOpenid::parse(&merchant, &request, body);
            }
        }
    }
});
