//! Native payment mode one against the simulator: a printed QR link (long
//! or shortened) scanned by a payer, the shop's scan callback placing the
//! order and answering with a signed reply, the payment and its
//! notification; and what WeChat refuses on the way (a forged link, an
//! unsigned or mis-signed answer, an order for another product), and the
//! shop's own refusal.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

mod common;

use std::sync::Arc;

use common::*;
use serde_json::json;
use wxpay::{Client, ErrorKind, OrderRef, SignType, TradeType, UnifiedOrder};

/// The shop's scan callback URL: verifies the callback, places the order
/// for the scanned product and payer, and answers with `answer(client,
/// prepay_id)`.
fn scan_shop(
    client: &Arc<Client>,
    notify_url: &str,
    answer: impl Fn(&Client, &str) -> String + Send + Sync + 'static,
) -> ShopServer {
    let client = client.clone();
    let notify_url = notify_url.to_owned();
    ShopServer::start(move |n, body| {
        let scan = match client.verify_scan_callback(body) {
            Ok(scan) => scan,
            Err(e) => {
                return format!(
                    "<xml><return_code>FAIL</return_code><return_msg>{e}</return_msg></xml>"
                )
            }
        };
        let order = UnifiedOrder {
            trade_type: TradeType::Native,
            product_id: Some(scan.product_id.clone()),
            openid: Some(scan.openid.clone()),
            ..UnifiedOrder::jsapi(
                "扫码购",
                format!("native-{}-{n}", scan.product_id),
                350,
                "127.0.0.1",
                &notify_url,
                "",
            )
        };
        match client.unified_order(&order) {
            Ok(reply) => answer(&client, &reply.prepay_id),
            Err(e) => client
                .native_scan_refusal(&format!("下单失败 {}", e.kind().as_str()))
                .unwrap(),
        }
    })
}

fn scan(sim: &wxpay_sim::Simulator, link: &str, callback_url: &str) -> serde_json::Value {
    post_json(
        &format!("{}/sim/native/scan", sim.base_url()),
        &json!({ "link": link, "callback_url": callback_url }),
    )
}

#[test]
fn a_printed_code_is_scanned_ordered_and_paid_long_or_short() {
    let sim = sim();
    // An HMAC merchant: the link, the callback and the answer are MD5 all the same.
    let client = Arc::new(client(&sim, SignType::HmacSha256));
    let notify = ShopServer::start(|_, _| wxpay::notify_ack().to_owned());
    let shop = scan_shop(&client, &notify.url, |c, prepay_id| {
        c.native_scan_reply(prepay_id).unwrap()
    });

    let link = client.native_qr_link("cola-330").unwrap();
    assert!(
        link.starts_with("weixin://wxpay/bizpayurl?appid="),
        "{link}"
    );
    let paid = scan(&sim, &link, &shop.url);
    assert_eq!(paid["result"], "paid", "{paid}");
    let out_trade_no = paid["out_trade_no"].as_str().unwrap().to_owned();
    assert_eq!(out_trade_no, "native-cola-330-0");
    let query = client
        .query_order(OrderRef::OutTradeNo(out_trade_no.clone()))
        .unwrap();
    assert_eq!(query.trade_state.as_str(), "SUCCESS");
    assert_eq!(query.total_fee, Some(350));
    assert!(wait_for(std::time::Duration::from_secs(5), || notify
        .count()
        >= 1));
    let paid_notice = client.verify_payment_notify(&notify.bodies()[0]).unwrap();
    assert_eq!(paid_notice.out_trade_no, out_trade_no);

    // The same link shortens to the same short link, and that scans too.
    let short = client.short_url(&link).unwrap();
    assert!(short.starts_with("weixin://wxpay/s/"), "{short}");
    assert_eq!(client.short_url(&link).unwrap(), short);
    assert_eq!(scan(&sim, &short, &shop.url)["result"], "paid");
    let stats = sim.stats();
    assert_eq!(stats["native_scan"], 2);
    assert_eq!(stats["shorturl"], 2);
    assert_eq!(stats["unifiedorder"], 2);
    assert_eq!(shop.count(), 2);
}

#[test]
fn the_shop_may_refuse_a_scan_with_a_message_for_the_payer() {
    let sim = sim();
    let client = Arc::new(client(&sim, SignType::Md5));
    let shop = ShopServer::start({
        let client = client.clone();
        move |_, body| {
            client.verify_scan_callback(body).unwrap();
            client.native_scan_refusal("已售罄").unwrap()
        }
    });
    let answer = scan(&sim, &client.native_qr_link("sold-out").unwrap(), &shop.url);
    assert_eq!(answer["result"], "refused", "{answer}");
    assert_eq!(answer["message"], "已售罄");
    assert_eq!(sim.stats()["unifiedorder"], 0);
}

#[test]
fn wechat_refuses_a_forged_link_and_an_answer_it_cannot_trust() {
    let sim = sim();
    let client = Arc::new(client(&sim, SignType::Md5));
    let notify = ShopServer::start(|_, _| wxpay::notify_ack().to_owned());
    let link = client.native_qr_link("cola-330").unwrap();

    // Another product under the same signature: WeChat calls nobody.
    let counted = scan_shop(&client, &notify.url, |c, id| {
        c.native_scan_reply(id).unwrap()
    });
    let forged = link.replace("product_id=cola-330", "product_id=cola-999");
    let answer = scan(&sim, &forged, &counted.url);
    assert_eq!(answer["result"], "failed");
    assert!(
        answer["reason"].as_str().unwrap().contains("sign"),
        "{answer}"
    );
    assert_eq!(counted.count(), 0);
    assert!(client.short_url("https://example.com/").is_err());

    // Answers that are not the merchant's signed word: never paid.
    let unsigned = scan_shop(&client, &notify.url, |_, id| {
        format!("<xml><return_code>SUCCESS</return_code><result_code>SUCCESS</result_code><appid>{}</appid><mch_id>{}</mch_id><prepay_id>{id}</prepay_id></xml>",
            wxpay_sim::DEFAULT_APPID, wxpay_sim::DEFAULT_MCH_ID)
    });
    let answer = scan(&sim, &link, &unsigned.url);
    assert_eq!(answer["result"], "failed");
    assert!(
        answer["reason"].as_str().unwrap().contains("signed"),
        "{answer}"
    );
    let hmac = scan_shop(&client, &notify.url, |_, id| {
        let key = wxpay::ApiKey::new(wxpay_sim::DEFAULT_API_KEY).unwrap();
        let fields = wxpay::Params::from([
            ("return_code".to_string(), "SUCCESS".to_string()),
            ("result_code".to_string(), "SUCCESS".to_string()),
            ("appid".to_string(), wxpay_sim::DEFAULT_APPID.to_string()),
            ("mch_id".to_string(), wxpay_sim::DEFAULT_MCH_ID.to_string()),
            ("nonce_str".to_string(), "n".to_string()),
            ("prepay_id".to_string(), id.to_string()),
        ]);
        wxpay::to_signed_xml(&fields, &key, SignType::HmacSha256).unwrap()
    });
    assert_eq!(scan(&sim, &link, &hmac.url)["result"], "failed");

    // A signed answer naming an order for another product.
    let other = {
        let client = client.clone();
        let notify_url = notify.url.clone();
        ShopServer::start(move |n, body| {
            let scan = client.verify_scan_callback(body).unwrap();
            let order = UnifiedOrder {
                trade_type: TradeType::Native,
                product_id: Some("water-500".into()),
                openid: Some(scan.openid),
                ..UnifiedOrder::jsapi(
                    "扫码购",
                    format!("native-other-{n}"),
                    200,
                    "127.0.0.1",
                    &notify_url,
                    "",
                )
            };
            let reply = client.unified_order(&order).unwrap();
            client.native_scan_reply(&reply.prepay_id).unwrap()
        })
    };
    let answer = scan(&sim, &link, &other.url);
    assert_eq!(answer["result"], "failed");
    assert!(
        answer["reason"].as_str().unwrap().contains("product_id"),
        "{answer}"
    );
    let query = client
        .query_order(OrderRef::OutTradeNo("native-other-0".into()))
        .unwrap();
    assert_eq!(query.trade_state.as_str(), "NOTPAY");
}

#[test]
fn a_forged_scan_callback_is_refused_by_the_shop() {
    let sim = sim();
    let client = client(&sim, SignType::Md5);
    let other_key = wxpay::ApiKey::new("0123456789abcdef0123456789abcdef").unwrap();
    let fields = wxpay::Params::from([
        ("appid".to_string(), wxpay_sim::DEFAULT_APPID.to_string()),
        ("mch_id".to_string(), wxpay_sim::DEFAULT_MCH_ID.to_string()),
        ("openid".to_string(), wxpay_sim::DEFAULT_OPENID.to_string()),
        ("is_subscribe".to_string(), "N".to_string()),
        ("nonce_str".to_string(), "n".to_string()),
        ("product_id".to_string(), "cola-330".to_string()),
    ]);
    let forged = wxpay::to_signed_xml(&fields, &other_key, SignType::Md5).unwrap();
    let e = client.verify_scan_callback(forged.as_bytes()).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Signature);
}
