//! API v3 notifications and answers: any headers and body through the
//! verifier; the same body validly signed, so the envelope and resource
//! readers see it too; WeChat's refusal bodies and certificate listings.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use wxpay::v3::{
    platform_certificates, refusal, ApiV3Key, MerchantKey, Notification, SignedHeaders, Verifier,
    WechatKey,
};

/// The vectors' time (tests/vectors/v3/notifications.json).
const NOW: u64 = 1_733_292_000;
const APIV3_KEY: &str = "wxpaysim0apiv30key00000000000001";

struct World {
    verifier: Verifier,
    key: ApiV3Key,
    /// The test platform certificate's private half, to sign fuzzed bodies.
    platform: MerchantKey,
    serial: String,
}

fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| {
        let cert = WechatKey::certificate(include_str!(
            "../../tests/vectors/v3/keys/platform_cert.pem"
        ))
        .unwrap();
        let public = WechatKey::public_key(
            "PUB_KEY_ID_0114232025120400000000000000000001",
            include_str!("../../tests/vectors/v3/keys/wechatpay_public_key.pem"),
        )
        .unwrap();
        let serial = cert.serial.clone();
        let mut verifier = Verifier::new();
        verifier.add(cert);
        verifier.add(public);
        World {
            verifier,
            key: ApiV3Key::new(APIV3_KEY).unwrap(),
            platform: MerchantKey::from_pem(include_str!(
                "../../tests/vectors/v3/keys/platform_key.pem"
            ))
            .unwrap(),
            serial,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let w = world();
    // timestamp \n nonce \n signature \n serial \n body
    let mut parts = data.splitn(5, |&b| b == b'\n');
    let mut text = || String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let (timestamp, nonce, signature, serial) = (text(), text(), text(), text());
    let body = parts.next().unwrap_or_default();
    if let Ok(headers) = SignedHeaders::from_pairs([
        ("Wechatpay-Timestamp", timestamp.as_str()),
        ("Wechatpay-Nonce", nonce.as_str()),
        ("Wechatpay-Signature", signature.as_str()),
        ("Wechatpay-Serial", serial.as_str()),
    ]) {
        let _ = Notification::parse(&w.verifier, &w.key, &headers, body, NOW);
    }
    // The body signed by WeChat's (test) key: past the signature, into the
    // envelope and the resource.
    let mut message = format!("{NOW}\nn\n").into_bytes();
    message.extend_from_slice(body);
    message.push(b'\n');
    let signed = SignedHeaders {
        timestamp: NOW.to_string(),
        nonce: "n".into(),
        signature: w.platform.sign(&message).unwrap(),
        serial: w.serial.clone(),
    };
    let _ = Notification::parse(&w.verifier, &w.key, &signed, body, NOW);
    let status = 400 + u16::from(data.first().copied().unwrap_or(0)) % 200;
    let _ = refusal(status, body);
    let _ = platform_certificates(&w.key, body, NOW as i64);
});
