//! Payment-notification verification, as the body arrives and re-signed
//! with the merchant's key (so the checks after the signature are reached
//! too): never a panic, and a notification that verifies is one of this
//! merchant's with a strict amount.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpay::{from_xml, to_signed_xml, ApiKey, Merchant, PaymentNotify, SignType};

const KEY: &str = "192006250b4c09247ec02edce69f6a2d";

fuzz_target!(|data: &[u8]| {
    let key = ApiKey::new(KEY).unwrap();
    for sign_type in [SignType::Md5, SignType::HmacSha256] {
        let merchant = Merchant::new("wxd930ea5d5a258f4f", "10000100", KEY, sign_type).unwrap();
        check(&merchant, data);
        if let Ok(mut fields) = from_xml(data) {
            fields.remove("sign");
            if let Ok(signed) = to_signed_xml(&fields, &key, sign_type) {
                check(&merchant, signed.as_bytes());
            }
        }
    }
});

fn check(merchant: &Merchant, body: &[u8]) {
    if let Ok(n) = PaymentNotify::verify(merchant, body) {
        assert_eq!(
            n.raw.get("appid").map(String::as_str),
            Some(merchant.appid())
        );
        if n.is_paid() {
            let fee = n.total_fee.expect("a paid notification has an amount");
            assert!(n.check_amount(fee).is_ok() || n.fee_type != "CNY");
            assert!(n.transaction_id.is_some());
        }
    }
}
