//! How long the core takes to sign a 12-field order from JSON (the Node
//! binding's sign path): `cargo run --release -p wxpay --example sign_speed`.
use md5::Digest;

fn main() {
    let json = r#"{"appid":"wxd930ea5d5a258f4f","mch_id":"10000100","nonce_str":"ibuaiVcKdpRxkhJA","body":"wxpay 实战-图书","out_trade_no":"order-20240102-0001","total_fee":"990","spbill_create_ip":"127.0.0.1","notify_url":"https://shop.example/wxpay/notify","trade_type":"JSAPI","openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o","sign_type":"MD5"}"#;
    let key = wxpay::ApiKey::new("192006250b4c09247ec02edce69f6a2d").expect("key");
    let n = 200_000;
    let t = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(
            wxpay::sign_json(std::hint::black_box(json), &key, wxpay::SignType::Md5).expect("sign"),
        );
    }
    println!("sign_json: {:?}/op", t.elapsed() / n);
    let s = "x".repeat(330);
    let t = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(md5::Md5::digest(std::hint::black_box(s.as_bytes())));
    }
    println!("md5 of 330 bytes: {:?}/op", t.elapsed() / n);
}
