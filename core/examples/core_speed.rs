//! What the core itself takes per operation on `bench/workload.json`: the
//! floor every binding is measured against in `make bench`.
//!
//!     cargo run --release -p wxpay --example core_speed
use std::hint::black_box;
use std::time::{Duration, Instant};

use wxpay::{ApiKey, BridgePayParams, FixedClock, Merchant, PaymentNotify, SignType};

fn per_op(mut f: impl FnMut()) -> Duration {
    let mut n = 1u32;
    loop {
        let t = Instant::now();
        for _ in 0..n {
            f();
        }
        if t.elapsed() > Duration::from_millis(50) {
            break;
        }
        n *= 2;
    }
    // The median of five rounds of that size.
    let mut rounds: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..n {
                f();
            }
            t.elapsed() / n
        })
        .collect();
    rounds.sort();
    rounds[2]
}

fn main() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../bench/workload.json");
    let text = std::fs::read_to_string(path).expect("bench/workload.json");
    let w: serde_json::Value = serde_json::from_str(&text).expect("workload JSON");
    let key_text = w["api_key"].as_str().expect("api_key");
    let key = ApiKey::new(key_text).expect("key");
    let order: wxpay::Params = serde_json::from_value(w["unified_order"].clone()).expect("order");
    let notify = w["notify_xml"]
        .as_str()
        .expect("notify_xml")
        .as_bytes()
        .to_vec();
    let appid = w["merchant"]["appid"].as_str().expect("appid");
    let mch_id = w["merchant"]["mch_id"].as_str().expect("mch_id");
    let merchant = Merchant::new(appid, mch_id, key_text, SignType::Md5).expect("merchant");
    let prepay = w["prepay_id"].as_str().expect("prepay_id");
    let js = &w["jssdk"];
    let clock = FixedClock::new(1_700_000_000, "ibuaiVcKdpRxkhJA");

    // `core_speed NAME` runs only the operations whose name contains NAME (for a profiler).
    let only = std::env::args().nth(1).unwrap_or_default();
    let report = |name: &str, f: &mut dyn FnMut()| {
        if name.contains(&only) {
            println!("{name:34} {:>8} ns/op", per_op(f).as_nanos());
        }
    };
    report("sign (MD5, 12 fields)", &mut || {
        black_box(wxpay::sign(black_box(&order), &key, SignType::Md5).expect("sign"));
    });
    report("sign (HMAC-SHA256)", &mut || {
        black_box(wxpay::sign(black_box(&order), &key, SignType::HmacSha256).expect("sign"));
    });
    report("signed request XML", &mut || {
        black_box(wxpay::to_signed_xml(black_box(&order), &key, SignType::Md5).expect("xml"));
    });
    report("verify a payment notification", &mut || {
        black_box(PaymentNotify::verify(&merchant, black_box(&notify)).expect("notify"));
    });
    report("bridge pay params", &mut || {
        black_box(BridgePayParams::new(&merchant, prepay, SignType::Md5, &clock).expect("params"));
    });
    let (ticket, nonce, url) = (
        js["jsapi_ticket"].as_str().expect("ticket"),
        js["noncestr"].as_str().expect("noncestr"),
        js["url"].as_str().expect("url"),
    );
    let ts = js["timestamp"].as_u64().expect("timestamp");
    report("JS-SDK signature", &mut || {
        black_box(wxpay::jssdk_signature(ticket, nonce, ts, url).expect("jssdk"));
    });
    report("from_xml (the notification)", &mut || {
        black_box(wxpay::from_xml(black_box(&notify)).expect("xml"));
    });
}
