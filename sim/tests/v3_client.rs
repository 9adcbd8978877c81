//! The API v3 client (`wxpay::ClientV3`) against the simulator: a whole
//! JSAPI checkout in each key mode — order, RSA pay params paid in the
//! simulated WeChat client, the notification answered by the one-call
//! handler from the shop's own server, queries, a refund and its
//! notification, bills — then certificate rotation, the faults a v3
//! client must survive, and made-up serials that must not make it hammer
//! WeChat.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use wxpay::v3::{Prepay, PrepayKind, RefundV3};
use wxpay::{ClientV3, ErrorKind, NotifyStatus, OrderRef, RefundNotifyStatus, ShopOrder};
use wxpay_sim::v3::{self as sim_v3, V3Keys};
use wxpay_sim::{Fault, SimConfig, Simulator};

fn sim_in(mode: V3Keys) -> Simulator {
    sim_with(SimConfig {
        time_scale: 0.001,
        v3_keys: mode,
        ..SimConfig::default()
    })
}

/// A client as a merchant configures one: the files of the merchant
/// platform, and the WeChat Pay public key when the merchant has one.
fn client_v3(sim: &Simulator, public_key: bool, notify_url: Option<&str>) -> ClientV3 {
    let mut config = v3_config(
        &sim.base_url(),
        wxpay_sim::DEFAULT_MCH_ID,
        wxpay_sim::DEFAULT_APPID,
    );
    if public_key {
        config.public_key_id = Some(sim_v3::PUBLIC_KEY_ID.into());
        config.public_key_pem = Some(sim_v3::PUBLIC_KEY_PEM.into());
    }
    config.notify_url = notify_url.map(str::to_owned);
    ClientV3::new(config).unwrap()
}

fn jsapi(no: &str, total: u64) -> Prepay {
    Prepay {
        kind: PrepayKind::Jsapi {
            openid: wxpay_sim::DEFAULT_OPENID.into(),
        },
        appid: String::new(),
        mchid: String::new(),
        description: "书店-图书".into(),
        out_trade_no: no.into(),
        notify_url: String::new(),
        total,
        attach: None,
        time_expire: None,
        sub: None,
    }
}

fn stat(sim: &Simulator, name: &str) -> u64 {
    sim.stats().get(name).copied().unwrap_or(0)
}

/// The shop: its orders (amount, and the transaction once marked paid),
/// and a notify endpoint that hands WeChat's request to the client's
/// handler and answers with the status and body it decides.
struct Shop {
    orders: Arc<Mutex<HashMap<String, ShopOrder>>>,
    payments: Arc<Mutex<Vec<wxpay::NotifyDecisionV3>>>,
    refunds: Arc<Mutex<Vec<wxpay::RefundNotifyDecisionV3>>>,
    server: ShopServer,
}

impl Shop {
    fn open(client: Arc<Mutex<Option<Arc<ClientV3>>>>) -> Shop {
        let orders: Arc<Mutex<HashMap<String, ShopOrder>>> = Default::default();
        let payments: Arc<Mutex<Vec<wxpay::NotifyDecisionV3>>> = Default::default();
        let refunds: Arc<Mutex<Vec<wxpay::RefundNotifyDecisionV3>>> = Default::default();
        let (o, p, r) = (orders.clone(), payments.clone(), refunds.clone());
        let server = ShopServer::answering(move |_, headers, body| {
            let Some(client) = client.lock().unwrap().clone() else {
                return (500, String::new());
            };
            let pairs = headers.iter().map(|(k, v)| (k.as_str(), v.as_str()));
            if body.windows(7).any(|w| w == b"REFUND.") {
                let d = client.handle_refund_notify(pairs, body);
                let answer = (d.http_status, d.body.clone());
                r.lock().unwrap().push(d);
                return answer;
            }
            let d = client
                .handle_payment_notify(pairs, body, |order| {
                    Ok::<_, wxpay::Error>(o.lock().unwrap().get(&order.out_trade_no).cloned())
                })
                .unwrap();
            if d.status == NotifyStatus::Paid {
                let mut orders = o.lock().unwrap();
                let row = orders.get_mut(d.out_trade_no.as_deref().unwrap()).unwrap();
                row.transaction_id.clone_from(&d.transaction_id);
            }
            let answer = (d.http_status, d.body.clone());
            p.lock().unwrap().push(d);
            answer
        });
        Shop {
            orders,
            payments,
            refunds,
            server,
        }
    }
}

fn shop_with_client(sim: &Simulator, public_key: bool) -> (Shop, Arc<ClientV3>) {
    let slot = Arc::new(Mutex::new(None));
    let shop = Shop::open(slot.clone());
    let client = Arc::new(client_v3(sim, public_key, Some(&shop.server.url)));
    *slot.lock().unwrap() = Some(client.clone());
    (shop, client)
}

#[test]
fn a_whole_checkout_in_each_key_mode() {
    for (mode, public_key) in [
        (V3Keys::Certificate, false),
        (V3Keys::PublicKey, true),
        (V3Keys::Migrating, true),
    ] {
        let sim = sim_in(mode);
        let (shop, client) = shop_with_client(&sim, public_key);
        let no = format!("v3c-{mode:?}").to_lowercase();
        shop.orders.lock().unwrap().insert(
            no.clone(),
            ShopOrder {
                total_fee: 990,
                transaction_id: None,
                sub_mch_id: None,
            },
        );

        let answer = client.prepay(&jsapi(&no, 990)).unwrap();
        let prepay_id = answer.prepay_id.unwrap();
        // The same order again is the same order.
        assert_eq!(
            client
                .prepay(&jsapi(&no, 990))
                .unwrap()
                .prepay_id
                .as_deref(),
            Some(prepay_id.as_str()),
            "{mode:?}"
        );
        let unpaid = client
            .query_order(&OrderRef::OutTradeNo(no.clone()), Some(990))
            .unwrap();
        assert_eq!(
            (unpaid.trade_state.as_str(), unpaid.paid),
            ("NOTPAY", false)
        );

        let params = client.jsapi_params(&prepay_id).unwrap();
        assert_eq!(params.sign_type, "RSA");
        let paid = sim.pay(&serde_json::to_value(&params).unwrap());
        assert_eq!(
            paid["err_msg"], "get_brand_wcpay_request:ok",
            "{mode:?}: {paid}"
        );

        assert!(
            wait_for(Duration::from_secs(10), || !shop
                .payments
                .lock()
                .unwrap()
                .is_empty()),
            "{mode:?}: no payment notification"
        );
        let decision = shop.payments.lock().unwrap()[0].clone();
        assert_eq!(
            decision.status,
            NotifyStatus::Paid,
            "{mode:?}: {:?}",
            decision.error
        );
        assert_eq!((decision.http_status, decision.body.as_str()), (204, ""));
        assert_eq!(decision.total, Some(990));
        let transaction_id = decision.transaction_id.clone().unwrap();
        assert_eq!(
            decision
                .confirmation
                .as_ref()
                .unwrap()
                .transaction_id
                .as_deref(),
            Some(transaction_id.as_str())
        );
        assert!(wait_for(Duration::from_secs(5), || sim
            .notifications()
            .iter()
            .any(|n| n.status == "acknowledged")));

        let by_id = client
            .query_order(&OrderRef::TransactionId(transaction_id.clone()), Some(990))
            .unwrap();
        assert_eq!(
            (by_id.out_trade_no.as_str(), by_id.paid),
            (no.as_str(), true)
        );
        // Another amount than the shop's is never "paid".
        let wrong = client
            .query_order(&OrderRef::OutTradeNo(no.clone()), Some(1))
            .unwrap_err();
        assert_eq!(wrong.kind(), ErrorKind::Mismatch);

        let refund = RefundV3 {
            order: OrderRef::OutTradeNo(no.clone()),
            out_refund_no: format!("{no}-r1"),
            reason: Some("缺货".into()),
            notify_url: None,
            refund: 300,
            total: 990,
            sub_mchid: None,
        };
        let state = client.refund(&refund).unwrap();
        assert_eq!((state.refund, state.total), (300, 990));
        assert_eq!(
            client.query_refund(&refund).unwrap().refund_id,
            state.refund_id
        );
        // Asked again with the same number: the same refund, not a second one.
        assert_eq!(client.refund(&refund).unwrap().refund_id, state.refund_id);
        assert!(
            wait_for(Duration::from_secs(10), || !shop
                .refunds
                .lock()
                .unwrap()
                .is_empty()),
            "{mode:?}: no refund notification"
        );
        let r = shop.refunds.lock().unwrap()[0].clone();
        assert_eq!(r.status, RefundNotifyStatus::Refunded, "{:?}", r.error);
        assert_eq!(r.http_status, 204);
        assert_eq!(r.refund.unwrap().out_refund_no, refund.out_refund_no);

        let day = today();
        let day = format!("{}-{}-{}", &day[..4], &day[4..6], &day[6..]);
        let bill = client.download_trade_bill(&day, "ALL").unwrap();
        let text = format!("{bill:?}");
        assert!(
            text.contains(&transaction_id),
            "{mode:?}: the bill lacks the payment"
        );
        client.download_fund_flow_bill(&day, "BASIC").unwrap();

        // A sensitive field is encrypted with the key requests name.
        let (serial, cipher) = client.encrypt_sensitive("张三").unwrap();
        let expected = match mode {
            V3Keys::Certificate => sim_v3::platform_serial(),
            _ => sim_v3::PUBLIC_KEY_ID.to_owned(),
        };
        assert_eq!(serial, expected);
        use base64::Engine;
        let raw = base64::engine::general_purpose::STANDARD
            .decode(&cipher)
            .unwrap();
        assert_eq!(raw.len(), 256);
        assert_ne!(
            client.encrypt_sensitive("张三").unwrap().1,
            cipher,
            "OAEP is randomized"
        );

        // Which keys signed the notifications: during a migration both.
        let serials: Vec<String> = shop
            .server
            .received
            .lock()
            .unwrap()
            .iter()
            .filter_map(|r| {
                r.headers
                    .iter()
                    .find(|(k, _)| k == "wechatpay-serial")
                    .map(|(_, v)| v.clone())
            })
            .collect();
        let public = serials
            .iter()
            .filter(|s| s.starts_with("PUB_KEY_ID_"))
            .count();
        match mode {
            V3Keys::Certificate => assert_eq!(public, 0),
            V3Keys::PublicKey => assert_eq!(public, serials.len()),
            V3Keys::Migrating => assert!(public > 0 && public < serials.len(), "{serials:?}"),
        }
        // A public-key merchant asked for certificates once and was told it has none.
        let listed = stat(&sim, "v3_certificates");
        assert_eq!(listed, 1, "{mode:?}: {listed} certificate downloads");
    }
}

#[test]
fn a_forged_or_tampered_notification_is_refused_and_sent_again() {
    let sim = sim_in(V3Keys::PublicKey);
    let (shop, client) = shop_with_client(&sim, true);
    shop.orders.lock().unwrap().insert(
        "v3-tampered".into(),
        ShopOrder {
            total_fee: 500, // the shop charged 5.00; the order says 9.90
            transaction_id: None,
            sub_mch_id: None,
        },
    );
    let prepay_id = client
        .prepay(&jsapi("v3-tampered", 990))
        .unwrap()
        .prepay_id
        .unwrap();
    let params = client.jsapi_params(&prepay_id).unwrap();
    assert_eq!(
        sim.pay(&serde_json::to_value(&params).unwrap())["err_msg"],
        "get_brand_wcpay_request:ok"
    );
    assert!(wait_for(Duration::from_secs(10), || shop
        .payments
        .lock()
        .unwrap()
        .len()
        >= 2));
    let d = shop.payments.lock().unwrap()[0].clone();
    assert_eq!(d.status, NotifyStatus::Refused);
    assert_eq!(d.error.unwrap().kind(), ErrorKind::Mismatch);
    assert_eq!(d.http_status, 500);

    // The body altered by one byte, or signed headers from another body.
    let received = shop.server.received.lock().unwrap()[0].clone();
    let pairs = || {
        received
            .headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
    };
    let mut altered = received.body.clone();
    let at = altered.iter().position(|b| *b == b'"').unwrap();
    altered.insert(at, b' ');
    let d = client
        .handle_payment_notify(pairs(), &altered, |_| -> Result<_, wxpay::Error> {
            panic!("a forged body reached the shop's lookup")
        })
        .unwrap();
    assert_eq!((d.status, d.http_status), (NotifyStatus::Refused, 401));
    assert_eq!(d.error.unwrap().kind(), ErrorKind::Signature);
    assert!(d.body.contains("FAIL"));
    // Without headers at all.
    let d = client
        .handle_payment_notify(Vec::new(), &received.body, |_| -> Result<_, wxpay::Error> {
            panic!("an unsigned body reached the shop's lookup")
        })
        .unwrap();
    assert_eq!(d.http_status, 401);
}

#[test]
fn faults_of_a_v3_answer() {
    let sim = sim_in(V3Keys::PublicKey);
    let client = client_v3(&sim, true, Some("https://shop.example/notify"));
    client.prepay(&jsapi("v3-faults", 100)).unwrap();
    let path = "/v3/pay/transactions/out-trade-no/v3-faults";
    let query = || client.query_order(&OrderRef::OutTradeNo("v3-faults".into()), Some(100));
    let fault = |kind: &str, count: u32| {
        sim.add_fault(Fault {
            path: path.into(),
            kind: kind.into(),
            count,
            ..Fault::default()
        })
        .unwrap()
    };
    for (kind, reason) in [
        ("probe", "Invalid"),
        ("unsigned", "Missing"),
        ("stale", "Stale"),
        ("unknown_serial", "UnknownKey"),
    ] {
        fault(kind, 1);
        let e = query().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Signature, "{kind}: {e}");
        assert_eq!(e.reason(), Some(reason), "{kind}: {e}");
    }
    // A 500, a 429 and a gateway's page are tried again (one retry).
    for kind in ["systemerror", "rate_limited", "http_error", "truncate"] {
        let before = stat(&sim, "v3_query");
        fault(kind, 1);
        assert!(query().is_ok(), "{kind}");
        assert!(stat(&sim, "v3_query") > before, "{kind}");
    }
    // Twice in a row exhausts the one retry, typed as WeChat's refusal.
    fault("rate_limited", 2);
    let e = query().unwrap_err();
    assert_eq!(e.details()["err_code"], "RATELIMIT_EXCEEDED");
    assert!(e.retryable());
    // A refusal is WeChat's, typed, not retried.
    let e = client
        .query_order(&OrderRef::OutTradeNo("v3-never-placed".into()), None)
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.details()["err_code"].as_str()),
        (ErrorKind::Business, Some("ORDER_NOT_EXIST"))
    );
    // Closing waits five minutes after the order (scaled by time_scale).
    std::thread::sleep(Duration::from_millis(400));
    client.close_order("v3-faults").unwrap();
    let closed = query().unwrap();
    assert_eq!(closed.trade_state, "CLOSED");
}

/// The time, moved forward by hand (within WeChat's five minutes).
#[derive(Default)]
struct Later(std::sync::atomic::AtomicU64);

impl wxpay::Clock for Later {
    fn now_unix(&self) -> u64 {
        wxpay::SystemClock.now_unix() + self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
    fn nonce(&self) -> String {
        wxpay::SystemClock.nonce()
    }
}

#[test]
fn a_rotated_certificate_is_fetched_again_but_not_within_the_minute() {
    let sim = sim_in(V3Keys::Certificate);
    let later = Arc::new(Later::default());
    let mut config = v3_config(
        &sim.base_url(),
        wxpay_sim::DEFAULT_MCH_ID,
        wxpay_sim::DEFAULT_APPID,
    );
    config.notify_url = Some("https://shop.example/notify".into());
    config.clock = later.clone();
    let client = ClientV3::new(config).unwrap();
    client.prepay(&jsapi("v3-rotate", 100)).unwrap();
    assert_eq!(stat(&sim, "v3_certificates"), 1);

    sim.rotate_v3_certificate();
    let query = || client.query_order(&OrderRef::OutTradeNo("v3-rotate".into()), Some(100));
    // The answer names a certificate not held; the last download was less
    // than a minute ago, so none is made and the answer is not believed.
    let e = query().unwrap_err();
    assert_eq!(e.reason(), Some("UnknownKey"), "{e}");
    assert_eq!(stat(&sim, "v3_certificates"), 1);
    // A minute later, the new certificate is fetched once and trusted.
    later.0.store(61, std::sync::atomic::Ordering::SeqCst);
    assert_eq!(query().unwrap().trade_state, "NOTPAY");
    assert_eq!(query().unwrap().trade_state, "NOTPAY");
    assert_eq!(stat(&sim, "v3_certificates"), 2);
}

#[test]
fn made_up_serials_from_many_threads_fetch_the_certificates_at_most_once() {
    let sim = sim_in(V3Keys::Certificate);
    let client = Arc::new(client_v3(&sim, false, None));
    let before = stat(&sim, "v3_certificates");
    let threads: Vec<_> = (0..8)
        .map(|i| {
            let client = client.clone();
            std::thread::spawn(move || {
                for j in 0..20 {
                    let serial = format!("{:040X}", i * 1000 + j + 1);
                    let ts = std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .unwrap()
                        .as_secs()
                        .to_string();
                    let headers = [
                        ("Wechatpay-Serial", serial.as_str()),
                        ("Wechatpay-Timestamp", ts.as_str()),
                        ("Wechatpay-Nonce", "n"),
                        ("Wechatpay-Signature", "c2lnbmF0dXJl"),
                    ];
                    let e = client.parse_notification(headers, b"{}").unwrap_err();
                    assert_eq!(e.reason(), Some("UnknownKey"));
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(stat(&sim, "v3_certificates") - before, 1);
}

/// The simulated service provider's v3 client (it shares the test key pair
/// and APIv3 key with the direct merchant).
fn provider_client(sim: &Simulator, notify_url: &str) -> ClientV3 {
    let mut config = v3_config(
        &sim.base_url(),
        wxpay_sim::PROVIDER_MCH_ID,
        wxpay_sim::PROVIDER_APPID,
    );
    config.public_key_id = Some(sim_v3::PUBLIC_KEY_ID.into());
    config.public_key_pem = Some(sim_v3::PUBLIC_KEY_PEM.into());
    config.notify_url = Some(notify_url.into());
    ClientV3::new(config).unwrap()
}

#[test]
fn a_service_provider_takes_a_payment_for_its_sub_merchant() {
    use wxpay::v3::SubMerchantV3;
    let sim = sim_in(V3Keys::PublicKey);
    let slot = Arc::new(Mutex::new(None));
    let shop = Shop::open(slot.clone());
    let client = Arc::new(provider_client(&sim, &shop.server.url));
    *slot.lock().unwrap() = Some(client.clone());
    let sub = SubMerchantV3 {
        sub_mchid: wxpay_sim::SUB_MCH_ID_1.into(),
        sub_appid: Some(wxpay_sim::SUB_APPID_1.into()),
    };
    let no = "v3-partner-1";
    shop.orders.lock().unwrap().insert(
        no.into(),
        ShopOrder {
            total_fee: 1200,
            transaction_id: None,
            sub_mch_id: Some(sub.sub_mchid.clone()),
        },
    );
    let order = Prepay {
        kind: PrepayKind::Jsapi {
            openid: wxpay_sim::SUB_OPENID_1.into(),
        },
        sub: Some(sub.clone()),
        ..jsapi(no, 1200)
    };
    assert!(order.path().starts_with("/v3/pay/partner/"));
    let prepay_id = client.prepay(&order).unwrap().prepay_id.unwrap();
    // The payer was named under the sub-merchant's appid: its params carry it.
    let wrong = client.jsapi_params(&prepay_id).unwrap();
    assert_eq!(
        sim.pay(&serde_json::to_value(&wrong).unwrap())["err_msg"],
        "get_brand_wcpay_request:fail"
    );
    let params = client
        .jsapi_params_for(wxpay_sim::SUB_APPID_1, &prepay_id)
        .unwrap();
    assert_eq!(
        sim.pay(&serde_json::to_value(&params).unwrap())["err_msg"],
        "get_brand_wcpay_request:ok"
    );
    assert!(wait_for(Duration::from_secs(10), || !shop
        .payments
        .lock()
        .unwrap()
        .is_empty()));
    let d = shop.payments.lock().unwrap()[0].clone();
    assert_eq!(d.status, NotifyStatus::Paid, "{:?}", d.error);
    let transaction_id = d.transaction_id.clone().unwrap();
    assert_eq!(
        d.confirmation.unwrap().sub_mchid.as_deref(),
        Some(wxpay_sim::SUB_MCH_ID_1)
    );

    // The same notification, against a shop record of the other sub-merchant.
    let received = shop.server.received.lock().unwrap()[0].clone();
    let pairs = received
        .headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()));
    let other = client
        .handle_payment_notify(pairs, &received.body, |_| {
            Ok::<_, wxpay::Error>(Some(ShopOrder {
                total_fee: 1200,
                transaction_id: None,
                sub_mch_id: Some(wxpay_sim::SUB_MCH_ID_2.into()),
            }))
        })
        .unwrap();
    assert_eq!(
        (other.status, other.http_status),
        (NotifyStatus::Refused, 500)
    );
    assert_eq!(other.error.unwrap().kind(), ErrorKind::Mismatch);

    let by_id = client
        .query_sub_order(&OrderRef::TransactionId(transaction_id), &sub, Some(1200))
        .unwrap();
    assert!(by_id.paid);
    // The other sub-merchant has no such order; nor does the direct merchant.
    let other_sub = SubMerchantV3 {
        sub_mchid: wxpay_sim::SUB_MCH_ID_2.into(),
        sub_appid: None,
    };
    let e = client
        .query_sub_order(&OrderRef::OutTradeNo(no.into()), &other_sub, None)
        .unwrap_err();
    assert_eq!(e.details()["err_code"], "ORDER_NOT_EXIST");
    let direct = client_v3(&sim, true, None);
    let e = direct
        .query_order(&OrderRef::OutTradeNo(no.into()), None)
        .unwrap_err();
    assert_eq!(e.details()["err_code"], "ORDER_NOT_EXIST");

    let refund = RefundV3 {
        order: OrderRef::OutTradeNo(no.into()),
        out_refund_no: "v3-partner-1-r1".into(),
        reason: None,
        notify_url: None,
        refund: 200,
        total: 1200,
        sub_mchid: Some(sub.sub_mchid.clone()),
    };
    let state = client.refund(&refund).unwrap();
    assert_eq!(
        client.query_refund(&refund).unwrap().refund_id,
        state.refund_id
    );
    assert!(wait_for(Duration::from_secs(10), || !shop
        .refunds
        .lock()
        .unwrap()
        .is_empty()));
    let r = shop.refunds.lock().unwrap()[0].clone();
    assert_eq!(r.status, RefundNotifyStatus::Refunded, "{:?}", r.error);

    let unpaid = Prepay {
        sub: Some(sub.clone()),
        ..jsapi("v3-partner-2", 100)
    };
    client.prepay(&unpaid).unwrap();
    std::thread::sleep(Duration::from_millis(400));
    client
        .close_sub_order("v3-partner-2", &sub.sub_mchid)
        .unwrap();
    let closed = client
        .query_sub_order(
            &OrderRef::OutTradeNo("v3-partner-2".into()),
            &sub,
            Some(100),
        )
        .unwrap();
    assert_eq!(closed.trade_state, "CLOSED");
}
