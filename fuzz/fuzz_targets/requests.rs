//! The JSON request layer every binding goes through: each request reader
//! on any text (the first byte picks it), and the two ways of reading a
//! field map for signing (the fast path and serde) agree.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpay::{params_from_json, requests, sign, sign_json, ApiKey, SignType};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    match pick % 6 {
        0 => drop(requests::unified_order_from_json(text)),
        1 => drop(requests::order_ref_from_json(text)),
        2 => drop(requests::refund_from_json(text)),
        3 => drop(requests::refund_query_from_json(text)),
        4 => {
            drop(requests::download_bill_from_json(text));
            drop(requests::download_fund_flow_from_json(text));
        }
        _ => {
            let key = ApiKey::new("192006250b4c09247ec02edce69f6a2d").unwrap();
            let fast = sign_json(text, &key, SignType::Md5);
            match params_from_json(text) {
                Ok(fields) => assert_eq!(
                    fast.ok(),
                    sign(&fields, &key, SignType::Md5).ok(),
                    "{text:?}"
                ),
                Err(_) => assert!(fast.is_err(), "{text:?}"),
            }
        }
    }
});
