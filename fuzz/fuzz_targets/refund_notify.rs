//! Refund notifications: the outer XML, and req_info decryption of any
//! text (and of any bytes encrypted with the merchant's key).
#![no_main]

use libfuzzer_sys::fuzz_target;
use wxpay::{
    decrypt_req_info, encrypt_req_info, from_xml, ApiKey, Merchant, RefundNotify, SignType,
};

const KEY: &str = "192006250b4c09247ec02edce69f6a2d";

fuzz_target!(|data: &[u8]| {
    let key = ApiKey::new(KEY).unwrap();
    let merchant = Merchant::new("wxd930ea5d5a258f4f", "10000100", KEY, SignType::Md5).unwrap();
    let _ = RefundNotify::parse(&merchant, data);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = decrypt_req_info(text, &key);
    }
    // Fields that read as XML, encrypted as WeChat would: decrypting gives
    // them back, and the notification carrying them is judged without panic.
    if let Ok(info) = from_xml(data) {
        if let Ok(req_info) = encrypt_req_info(&info, &key) {
            assert_eq!(
                decrypt_req_info(&req_info, &key).expect("own ciphertext"),
                info
            );
            let body = format!(
                "<xml><return_code>SUCCESS</return_code><appid>wxd930ea5d5a258f4f</appid>\
                 <mch_id>10000100</mch_id><nonce_str>n</nonce_str><req_info>{req_info}</req_info></xml>"
            );
            let _ = RefundNotify::parse(&merchant, body.as_bytes());
        }
    }
});
