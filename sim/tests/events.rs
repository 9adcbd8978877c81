//! What the library reports while it works, against the simulator: one
//! `call` per operation and one `attempt` per exchange (at `debug`), a
//! `retry` and a `failover` with the domains, `token_refreshed`, and a
//! `notify_refused` with its reason; nothing below the level set is built,
//! and no event carries a secret; bodies only with `log_bodies`, redacted.
//!
//! One test in its own process: the level and the sink are global.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

mod common;

use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use common::*;
use wxpay::events::{self, Event, Level};
use wxpay::SignType;
use wxpay_sim::Fault;

fn named<'a>(seen: &'a [Event], name: &str) -> Vec<&'a Event> {
    seen.iter().filter(|e| e.name == name).collect()
}

#[test]
fn calls_attempts_retries_failovers_refreshes_and_refusals_are_reported() {
    let sim = sim();
    let backup = sim.listen("127.0.0.1", 0).unwrap();
    let dead = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://127.0.0.1:{}", l.local_addr().unwrap().port())
    };
    let mut cfg = config(&sim, SignType::HmacSha256);
    cfg.pay_base_url = dead.clone();
    cfg.pay_backup_url = Some(backup.clone());
    let client = wxpay::Client::new(cfg).unwrap();
    let secrets = {
        let c = sim.config();
        [c.api_key.clone(), c.app_secret.clone()]
    };

    let seen = Arc::new(Mutex::new(Vec::<Event>::new()));
    let sink = seen.clone();
    events::set_sink(Some(Arc::new(move |e: &Event| {
        sink.lock().unwrap().push(e.clone())
    })));
    let take = || std::mem::take(&mut *seen.lock().unwrap());

    // At the default level (info) a failover and a retry are reported; the
    // per-call and per-attempt lines are not even built.
    assert_eq!(events::level(), Level::Info);
    let order = serde_json::json!({"body": "book", "out_trade_no": "events-0001", "total_fee": 100,
        "spbill_create_ip": "127.0.0.1", "notify_url": "http://127.0.0.1:9/n",
        "trade_type": "JSAPI", "openid": wxpay_sim::DEFAULT_OPENID});
    client
        .call_json("unified_order", &order.to_string())
        .unwrap();
    let info = take();
    let failover = named(&info, "failover");
    assert_eq!(failover.len(), 1, "{info:#?}");
    assert_eq!(failover[0].level, Level::Warning);
    assert_eq!(failover[0].fields["from"], dead);
    assert_eq!(failover[0].fields["to"], backup);
    assert_eq!(failover[0].fields["operation"], "unified_order");
    assert!(named(&info, "call").is_empty() && named(&info, "attempt").is_empty());

    sim.add_fault(Fault {
        path: "/pay/orderquery".into(),
        kind: "systemerror".into(),
        count: 1,
        ..Default::default()
    })
    .unwrap();
    events::set_level(Level::Debug);
    client
        .call_json("query_order", r#"{"out_trade_no": "events-0001"}"#)
        .unwrap();
    let debug = take();
    let retry = named(&debug, "retry");
    assert_eq!(retry.len(), 1, "{debug:#?}");
    assert_eq!(retry[0].fields["reason"], "Business SYSTEMERROR");
    assert_eq!(retry[0].fields["operation"], "query_order");
    let attempts = named(&debug, "attempt");
    assert!(attempts.len() >= 2, "{debug:#?}");
    assert!(attempts
        .iter()
        .all(|a| a.fields["call"] == "pay/orderquery"));
    let call = named(&debug, "call");
    assert_eq!(call.len(), 1, "{debug:#?}");
    assert_eq!(call[0].level, Level::Debug);
    assert_eq!(call[0].fields["operation"], "query_order");
    assert_eq!(call[0].fields["outcome"], "ok");
    assert!(call[0].fields["latency_ms"].parse::<f64>().is_ok());

    // A call that fails says how, with WeChat's code.
    let e = client
        .call_json("query_order", r#"{"out_trade_no": "events-none"}"#)
        .unwrap_err();
    assert_eq!(e.kind(), wxpay::ErrorKind::Business);
    let failed = take();
    let call = named(&failed, "call");
    assert_eq!(call[0].fields["outcome"], "Business");
    assert_eq!(call[0].fields["err_code"], "ORDERNOTEXIST");

    // The first jsapi ticket fetches a token and a ticket.
    client
        .call_json(
            "jssdk_config",
            r#"{"url": "https://shop.example/p", "js_api_list": []}"#,
        )
        .unwrap();
    let refreshed = take();
    let tokens: Vec<_> = named(&refreshed, "token_refreshed")
        .iter()
        .map(|e| e.fields["token"].clone())
        .collect();
    assert_eq!(tokens, ["access_token", "jsapi_ticket"], "{refreshed:#?}");

    // A forged notification: refused, with the reason a shop alerts on.
    let forged = b"<xml><return_code>SUCCESS</return_code><appid>x</appid><sign>00</sign></xml>";
    let decision = client.settle_payment_notify(forged, None);
    assert_eq!(decision.status, wxpay::NotifyStatus::Refused);
    let refused = take();
    let refusal = named(&refused, "notify_refused");
    assert_eq!(refusal.len(), 1, "{refused:#?}");
    assert_eq!(refusal[0].level, Level::Warning);
    assert_eq!(refusal[0].fields["notification"], "payment");
    assert!(["Signature", "Mismatch", "Protocol"].contains(&refusal[0].fields["kind"].as_str()));
    let refund = client.handle_refund_notify(b"<xml><return_code>SUCCESS</return_code></xml>");
    assert_eq!(refund.status, wxpay::RefundNotifyStatus::Refused);
    assert_eq!(
        named(&take(), "notify_refused")[0].fields["notification"],
        "refund"
    );

    // Back at info: nothing below is built.
    events::set_level(Level::Info);
    client
        .call_json("query_order", r#"{"out_trade_no": "events-0001"}"#)
        .unwrap();
    assert!(take().is_empty());
    assert!(
        named(&debug, "body").is_empty(),
        "bodies are logged only when the shop asks"
    );

    // log_bodies: each exchange's bodies at debug, with what could pay,
    // sign or call WeChat as the shop hidden.
    let mut cfg = config(&sim, SignType::HmacSha256);
    cfg.log_bodies = true;
    let logging = wxpay::Client::new(cfg).unwrap();
    events::set_level(Level::Debug);
    logging
        .call_json("query_order", r#"{"out_trade_no": "events-0001"}"#)
        .unwrap();
    logging
        .call_json(
            "jssdk_config",
            r#"{"url": "https://shop.example/p", "js_api_list": []}"#,
        )
        .unwrap();
    events::set_level(Level::Info);
    let bodies = take();
    let body = named(&bodies, "body");
    let query = body
        .iter()
        .find(|e| e.fields["call"] == "pay/orderquery")
        .expect("a body event for the query");
    assert_eq!(query.fields["operation"], "query_order");
    assert!(query.message.contains("events-0001"), "{}", query.message);
    assert!(
        query.message.contains("SUCCESS"),
        "the reply is shown: {}",
        query.message
    );
    assert!(query.message.contains("***"), "{}", query.message);
    assert!(query.fields["request_bytes"].parse::<usize>().unwrap() > 0);
    let token = body
        .iter()
        .find(|e| e.message.contains("access_token"))
        .expect("a body event for the token fetch");
    assert!(
        token.message.contains(r#""access_token":"***""#),
        "{}",
        token.message
    );
    let ticket = body
        .iter()
        .find(|e| e.message.contains("\"ticket\""))
        .expect("a body event for the ticket fetch");
    assert!(
        ticket.message.contains(r#""ticket":"***""#),
        "{}",
        ticket.message
    );
    for e in &body {
        // No signature (32 or 64 hex digits) and no secret is shown.
        let hex_run = e
            .message
            .split(|c: char| !c.is_ascii_hexdigit())
            .map(str::len)
            .max()
            .unwrap_or(0);
        assert!(hex_run < 32, "a signature leaked: {}", e.message);
        assert!(!e.message.contains("secret="), "{}", e.message);
        for secret in &secrets {
            assert!(!e.message.contains(secret.as_str()), "{e:?}");
        }
    }
    events::set_sink(None);

    for e in info
        .iter()
        .chain(&debug)
        .chain(&failed)
        .chain(&refreshed)
        .chain(&refused)
    {
        let text = format!("{} {:?}", e.message, e.fields);
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "{e:?}");
        }
        assert!(!text.contains("access_token="), "{e:?}");
    }
}
