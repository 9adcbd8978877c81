//! The `wxpay-sim` binary as a shop's test-suite starts it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};

#[test]
fn first_line_is_the_listening_address_with_the_real_port() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wxpay-sim"))
        .args([
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--appid",
            "wx1234567890abcdef",
            "--time-scale",
            "0.5",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let port: u16 = line
        .trim()
        .strip_prefix("wxpay-sim listening on http://127.0.0.1:")
        .unwrap_or_else(|| panic!("{line:?}"))
        .parse()
        .unwrap();
    assert_ne!(port, 0);
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        reply.contains("wx1234567890abcdef"),
        "the configured appid is served: {reply}"
    );
}

#[test]
fn bad_options_are_refused_with_exit_2() {
    for args in [
        vec!["--port", "http"],
        vec!["--tls-port", "https"],
        vec!["--time-scale", "-1"],
        vec!["--bogus"],
        vec!["--api-key", "x"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_wxpay-sim"))
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty());
    }
    let help = Command::new(env!("CARGO_BIN_EXE_wxpay-sim"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains("--time-scale"));
}

/// `--tls-port`: another process (the shop) fetches the CA and the merchant
/// certificate over HTTP, then refunds over mutual TLS.
#[test]
fn tls_port_serves_refunds_over_mutual_tls_to_another_process() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wxpay-sim"))
        .args(["--port", "0", "--tls-port", "0", "--instant-bills"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let (mut first, mut second) = (String::new(), String::new());
    out.read_line(&mut first).unwrap();
    out.read_line(&mut second).unwrap();
    let base = first
        .trim()
        .strip_prefix("wxpay-sim listening on ")
        .unwrap()
        .to_owned();
    let https = second
        .trim()
        .strip_prefix("wxpay-sim HTTPS on ")
        .unwrap_or_else(|| panic!("{second:?}"))
        .to_owned();
    assert!(https.starts_with("https://127.0.0.1:"), "{https}");

    let fetch = |name: &str| {
        ureq::get(&format!("{base}/sim/tls/{name}"))
            .call()
            .unwrap()
            .into_body()
            .read_to_string()
            .unwrap()
    };
    let mut config = wxpay::ClientConfig::new(
        wxpay_sim::DEFAULT_APPID,
        wxpay_sim::DEFAULT_MCH_ID,
        wxpay_sim::DEFAULT_API_KEY,
    )
    .with_simulator(&https);
    config.ca_pem = Some(fetch("ca.pem"));
    config.cert = Some(wxpay::CertSource::Pem {
        cert: fetch("apiclient_cert.pem").into_bytes(),
        key: fetch("apiclient_key.pem").into_bytes(),
    });
    let client = wxpay::Client::new(config).unwrap();
    let order = wxpay::UnifiedOrder::jsapi(
        "wxpay-sim-书店",
        "bin-tls-1",
        990,
        "127.0.0.1",
        "http://127.0.0.1:9/notify",
        wxpay_sim::DEFAULT_OPENID,
    );
    let prepay = client.unified_order(&order).unwrap().prepay_id;
    let params = client.jsapi_params(&prepay).unwrap();
    let paid = ureq::post(&format!("{base}/sim/jsapi/pay"))
        .content_type("application/json")
        .send(params.to_json())
        .unwrap()
        .into_body()
        .read_to_string()
        .unwrap();
    assert!(paid.contains("get_brand_wcpay_request:ok"), "{paid}");
    let refund = wxpay::Refund::new(
        wxpay::OrderRef::OutTradeNo("bin-tls-1".into()),
        "bin-tls-1-r1",
        990,
        990,
    );
    let result = client.refund(&refund);
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(result.unwrap().refund_fee, 990);
}
