//! Refunds over mutual TLS, as against api.mch.weixin.qq.com: the client
//! trusts the simulator's CA and presents the merchant certificate; the
//! simulator's HTTPS port refuses /secapi/ without it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

mod common;

use common::*;
use wxpay::{CertSource, Client, ErrorKind, OrderRef, Refund, SignType};

/// A paid order on `sim`, placed and paid over plain HTTP.
fn paid_order(sim: &wxpay_sim::Simulator, no: &str) {
    let client = client(sim, SignType::HmacSha256);
    let shop = ShopServer::start(|_, _| wxpay::notify_ack().to_owned());
    let reply = client.unified_order(&order(no, 990, &shop.url)).unwrap();
    let params = client.jsapi_params(&reply.prepay_id).unwrap();
    assert_eq!(
        pay_in_browser(sim, &params)["err_msg"],
        "get_brand_wcpay_request:ok"
    );
}

fn https_client(sim: &wxpay_sim::Simulator, https: &str, cert: Option<CertSource>) -> Client {
    let files = sim.tls_files().expect("listen_tls made the certificates");
    let mut config = config(sim, SignType::HmacSha256).with_simulator(https);
    config.ca_pem = Some(files.ca_pem);
    config.cert = cert;
    Client::new(config).expect("client builds")
}

fn merchant_pem(sim: &wxpay_sim::Simulator) -> CertSource {
    let files = sim.tls_files().expect("certificates");
    CertSource::Pem {
        cert: files.client_cert_pem.into_bytes(),
        key: files.client_key_pem.into_bytes(),
    }
}

#[test]
fn a_refund_over_mutual_tls_with_the_merchant_certificate() {
    let sim = sim();
    let https = sim.listen_tls("127.0.0.1", 0).unwrap();
    assert!(https.starts_with("https://127.0.0.1:"), "{https}");
    paid_order(&sim, "mtls-1");

    let client = https_client(&sim, &https, Some(merchant_pem(&sim)));
    let refund = Refund::new(OrderRef::OutTradeNo("mtls-1".into()), "mtls-1-r1", 990, 400);
    let r = client.refund(&refund).unwrap();
    assert_eq!(r.refund_fee, 400);
    // The other calls work over the same HTTPS port, certificate or not.
    assert_eq!(
        client
            .query_order(OrderRef::OutTradeNo("mtls-1".into()))
            .unwrap()
            .trade_state,
        wxpay::TradeState::Refund
    );
}

#[test]
fn without_the_certificate_https_refunds_are_refused_and_nothing_is_refunded() {
    let sim = sim();
    let https = sim.listen_tls("127.0.0.1", 0).unwrap();
    paid_order(&sim, "mtls-2");
    let refund = Refund::new(OrderRef::OutTradeNo("mtls-2".into()), "mtls-2-r1", 990, 400);

    // The client itself will not send a refund over https without one.
    let bare = https_client(&sim, &https, None);
    assert_eq!(bare.refund(&refund).unwrap_err().kind(), ErrorKind::Config);

    // A certificate from another CA is not the merchant's: the TLS
    // handshake fails (the simulator only trusts its own CA).
    let other = wxpay_sim::Simulator::start(wxpay_sim::SimConfig::default(), "127.0.0.1", 0)
        .expect("second simulator");
    other.listen_tls("127.0.0.1", 0).unwrap();
    let stranger = https_client(&sim, &https, Some(merchant_pem(&other)));
    let e = stranger.refund(&refund).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
    assert!(e.to_string().contains("TLS handshake failed"), "{e}");
    assert!(e.to_string().contains("not sent"), "{e}");

    // A raw request with no certificate gets WeChat's refusal.
    let files = sim.tls_files().unwrap();
    let agent = tls_agent(&files.ca_pem);
    let reply = agent
        .post(&format!("{https}/secapi/pay/refund"))
        .send("<xml><mch_id>10000100</mch_id></xml>")
        .unwrap()
        .into_body()
        .read_to_string()
        .unwrap();
    assert!(reply.contains("CERT_ERROR"), "{reply}");

    assert!(
        sim.order("mtls-2").unwrap().refunds.is_empty(),
        "no refund was recorded"
    );
}

#[test]
fn the_simulator_ca_is_not_trusted_by_default() {
    let sim = sim();
    let https = sim.listen_tls("127.0.0.1", 0).unwrap();
    let mut config = config(&sim, SignType::HmacSha256).with_simulator(&https);
    config.cert = Some(merchant_pem(&sim));
    let client = Client::new(config).unwrap();
    let e = client
        .query_order(OrderRef::OutTradeNo("mtls-unknown".into()))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Transport, "{e}");
    assert!(e.to_string().contains("TLS handshake failed"), "{e}");
    assert!(e.to_string().contains("not sent"), "{e}");
}

#[test]
fn the_certificates_are_served_for_other_processes() {
    let sim = sim();
    let (status, _, _) = get(&format!("{}/sim/tls/ca.pem", sim.base_url()));
    assert_eq!(status, 404, "no HTTPS listener yet");
    sim.listen_tls("127.0.0.1", 0).unwrap();
    let files = sim.tls_files().unwrap();
    for (name, want) in [
        ("ca.pem", &files.ca_pem),
        ("apiclient_cert.pem", &files.client_cert_pem),
        ("apiclient_key.pem", &files.client_key_pem),
    ] {
        let (status, _, body) = get(&format!("{}/sim/tls/{name}", sim.base_url()));
        assert_eq!((status, &body), (200, want), "{name}");
    }
    assert!(!format!("{files:?}").contains("PRIVATE KEY"));
}

#[test]
fn a_bad_ca_pem_is_a_config_error_at_build_time() {
    let sim = sim();
    let mut config = config(&sim, SignType::HmacSha256);
    config.ca_pem = Some("not a certificate".into());
    assert_eq!(Client::new(config).unwrap_err().kind(), ErrorKind::Config);
}
