//! Every fault kind, failover to the backup domain, token single-flight and
//! the notification retry schedule.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

mod common;

use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use wxpay::{ErrorKind, OrderRef, SignType};
use wxpay_sim::Fault;

fn fault(path: &str, kind: &str, count: u32) -> Fault {
    Fault {
        path: path.into(),
        kind: kind.into(),
        count,
        delay_ms: 0,
        status: None,
        ..Default::default()
    }
}

fn placed(sim: &wxpay_sim::Simulator, no: &str) -> wxpay::Client {
    let client = client(sim, SignType::HmacSha256);
    client
        .unified_order(&common::order(no, 100, "http://127.0.0.1:9/n"))
        .unwrap();
    client
}

#[test]
fn idempotent_calls_recover_from_one_fault_of_each_kind() {
    let sim = sim();
    let client = placed(&sim, "fault-0001");
    for kind in ["reset", "http_error", "truncate", "systemerror"] {
        let before = sim.stats()["orderquery"];
        sim.add_fault(fault("/pay/orderquery", kind, 1)).unwrap();
        let reply = client.query_order(OrderRef::OutTradeNo("fault-0001".into()));
        assert!(reply.is_ok(), "{kind}: {reply:?}");
        let calls = sim.stats()["orderquery"] - before;
        match kind {
            // The simulator never processed the faulted call.
            "reset" | "http_error" => assert_eq!(calls, 1, "{kind}"),
            "systemerror" => assert_eq!(
                calls, 1,
                "{kind}: the SYSTEMERROR answer is not counted as a query"
            ),
            _ => assert_eq!(calls, 2, "{kind}"),
        }
    }
}

#[test]
fn one_retry_budget_covers_every_cause() {
    // retries = 1 (the default): a SYSTEMERROR answer uses it, so a reset on
    // the retry is final; WeChat saw exactly two requests, not three.
    let sim = sim();
    let client = placed(&sim, "fault-0003");
    let stat = |name: &str| sim.stats().get(name).copied().unwrap_or(0);
    let (faults, queries) = (stat("faults_injected"), stat("orderquery"));
    sim.add_fault(fault("/pay/orderquery", "systemerror", 1))
        .unwrap();
    sim.add_fault(fault("/pay/orderquery", "http_error", 1))
        .unwrap();
    let err = client
        .query_order(OrderRef::OutTradeNo("fault-0003".into()))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport, "{err}");
    // Both faults were met, and no third attempt reached the real orderquery.
    assert_eq!(stat("faults_injected") - faults, 2);
    assert_eq!(stat("orderquery") - queries, 0);
}

#[test]
fn each_fault_gives_its_error_when_retries_run_out() {
    let sim = sim();
    let client = placed(&sim, "fault-0002");
    let q = || client.query_order(OrderRef::OutTradeNo("fault-0002".into()));
    let cases: [(&str, ErrorKind, bool); 5] = [
        ("reset", ErrorKind::Transport, true),
        ("http_error", ErrorKind::Transport, true),
        ("truncate", ErrorKind::Transport, true),
        ("bad_sign", ErrorKind::Signature, false),
        ("systemerror", ErrorKind::Business, true),
    ];
    for (kind, expected, retryable) in cases {
        sim.add_fault(fault("/pay/orderquery", kind, 5)).unwrap();
        let err = q().unwrap_err();
        assert_eq!(err.kind(), expected, "{kind}: {err}");
        assert_eq!(err.retryable(), retryable, "{kind}: {err}");
        if kind == "http_error" {
            assert!(err.to_string().contains("HTML"), "{err}");
        }
        let msg = format!("{err} {err:?}");
        assert!(!msg.contains(wxpay_sim::DEFAULT_API_KEY), "{msg}");
        // Clear what is left for the next kind.
        ureq::Agent::new_with_defaults()
            .delete(format!("{}/sim/faults", sim.base_url()))
            .call()
            .unwrap();
    }
    assert!(q().is_ok());
}

#[test]
fn a_bad_signature_is_never_retried_or_trusted() {
    let sim = sim();
    let client = placed(&sim, "fault-0003");
    let before = sim.stats()["orderquery"];
    sim.add_fault(fault("/pay/orderquery", "bad_sign", 1))
        .unwrap();
    let err = client
        .query_order(OrderRef::OutTradeNo("fault-0003".into()))
        .unwrap_err();
    assert_eq!(err.reason(), Some("Invalid"));
    assert_eq!(sim.stats()["orderquery"] - before, 1);
}

#[test]
fn unified_order_after_a_reset_resends_identical_bytes_and_gets_the_same_order() {
    let sim = sim();
    let client = client(&sim, SignType::HmacSha256);
    sim.add_fault(fault("/pay/unifiedorder", "truncate", 1))
        .unwrap();
    let reply = client
        .unified_order(&common::order("fault-0004", 100, "http://127.0.0.1:9/n"))
        .unwrap();
    // The first (truncated) call created the order; the retry with the same
    // bytes is a re-entry that returns the same prepay_id, not a second order.
    assert_eq!(sim.stats()["unifiedorder"], 2);
    assert_eq!(sim.order("fault-0004").unwrap().prepay_id, reply.prepay_id);
    // SYSTEMERROR is retried once with the same bytes.
    sim.add_fault(fault("/pay/unifiedorder", "systemerror", 1))
        .unwrap();
    assert!(client
        .unified_order(&common::order("fault-0005", 100, "http://127.0.0.1:9/n"))
        .is_ok());
}

#[test]
fn the_overall_deadline_bounds_a_slow_simulator() {
    let sim = sim();
    let mut cfg = config(&sim, SignType::Md5);
    cfg.timeouts = wxpay::Timeouts {
        connect: Duration::from_secs(1),
        attempt: Duration::from_millis(300),
        overall: Duration::from_millis(700),
    };
    let client = wxpay::Client::new(cfg).unwrap();
    sim.add_fault(Fault {
        delay_ms: 2000,
        ..fault("/pay/orderquery", "delay", 3)
    })
    .unwrap();
    let started = Instant::now();
    let err = client
        .query_order(OrderRef::OutTradeNo("nothing-0001".into()))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn pre_send_failures_fail_over_to_the_backup_domain() {
    let sim = sim();
    let backup = sim.listen("127.0.0.1", 0).unwrap();
    // A primary that refuses connections: bind a port, then free it.
    let dead = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://127.0.0.1:{}", l.local_addr().unwrap().port())
    };
    let mut cfg = config(&sim, SignType::HmacSha256);
    cfg.pay_base_url = dead;
    cfg.pay_backup_url = Some(backup);
    let client = wxpay::Client::new(cfg).unwrap();
    assert!(!client.pay_on_backup());
    let reply = client
        .unified_order(&common::order("failover-1", 100, "http://127.0.0.1:9/n"))
        .unwrap();
    assert!(!reply.prepay_id.is_empty(), "placed through the backup");
    client
        .query_order(OrderRef::OutTradeNo("failover-1".into()))
        .unwrap();
    client
        .query_order(OrderRef::OutTradeNo("failover-1".into()))
        .unwrap();
    // More than two pre-send failures on the primary: new calls go straight to the backup.
    assert!(client.pay_on_backup());
    let before = sim.stats()["orderquery"];
    client
        .query_order(OrderRef::OutTradeNo("failover-1".into()))
        .unwrap();
    assert_eq!(sim.stats()["orderquery"], before + 1);
}

#[test]
fn post_send_failures_never_fail_over_a_code_exchange() {
    let sim = sim();
    let backup = sim.listen("127.0.0.1", 0).unwrap();
    let mut cfg = config(&sim, SignType::Md5);
    cfg.mp_backup_url = Some(backup);
    let client = wxpay::Client::new(cfg).unwrap();
    let code = authorize(&client, "https://shop.example/cb", "x");
    sim.add_fault(fault("/sns/oauth2/access_token", "http_error", 1))
        .unwrap();
    assert_eq!(
        client.oauth_exchange_code(&code).unwrap_err().kind(),
        ErrorKind::Transport
    );
    assert_eq!(sim.stats()["oauth_exchanges"], 0, "not resent anywhere");
}

#[test]
fn sixty_four_threads_on_an_empty_cache_fetch_one_token_and_one_ticket() {
    for source in [wxpay::TokenSource::Stable, wxpay::TokenSource::Classic] {
        let sim = sim();
        let mut cfg = config(&sim, SignType::Md5);
        cfg.token_source = source;
        let client = Arc::new(wxpay::Client::new(cfg).unwrap());
        let threads: Vec<_> = (0..64)
            .map(|i| {
                let client = client.clone();
                std::thread::spawn(move || {
                    client
                        .jssdk_config(&format!("https://shop.example/p/{i}"), &["chooseWXPay"])
                        .unwrap()
                })
            })
            .collect();
        let configs: Vec<_> = threads.into_iter().map(|t| t.join().unwrap()).collect();
        let stats = sim.stats();
        assert_eq!(stats["token_fetches"], 1, "{source:?}: {stats:?}");
        assert_eq!(stats["ticket_fetches"], 1, "{source:?}: {stats:?}");
        assert_eq!(configs.len(), 64);
    }
}

#[test]
fn an_expired_token_is_refreshed_once_and_the_ticket_call_retried() {
    let sim = sim_with(wxpay_sim::SimConfig {
        token_ttl: 2,
        token_overlap: 0,
        time_scale: 0.001,
        ..Default::default()
    });
    let mut cfg = config(&sim, SignType::Md5);
    cfg.token_source = wxpay::TokenSource::Classic;
    // A stopped clock: the cache believes the token is fresh after the
    // simulator has expired it, as with a token another process rotated.
    cfg.clock = Arc::new(wxpay::FixedClock::new(
        wxpay::Clock::now_unix(&wxpay::SystemClock),
        "n",
    ));
    let client = wxpay::Client::new(cfg).unwrap();
    let first = client.access_token().unwrap();
    std::thread::sleep(Duration::from_millis(2100));
    let ticket = client.jsapi_ticket().unwrap();
    assert!(ticket.starts_with("sim_"));
    let stats = sim.stats();
    assert_eq!(stats["token_fetches"], 2, "{stats:?}");
    assert_eq!(
        stats["ticket_fetches"], 2,
        "one 42001, one retry: {stats:?}"
    );
    assert_ne!(client.access_token().unwrap(), first);
}

#[test]
fn notifications_follow_the_schedule_until_acknowledged() {
    // time scale 0.01: 15 s → 150 ms, 30 s → 300 ms.
    let sim = sim_with(wxpay_sim::SimConfig {
        time_scale: 0.01,
        ..Default::default()
    });
    let client = client(&sim, SignType::HmacSha256);
    let shop = ShopServer::start(|n, _| {
        match n {
            0 => "<xml><return_code>FAIL</return_code></xml>".to_owned(),
            1 => "not xml at all".to_owned(),
            2 => "<xml><return_code><![CDATA[SUCCESS]]></return_code>".to_owned(), // malformed
            _ => wxpay::notify_ack().to_owned(),
        }
    });
    let reply = client
        .unified_order(&common::order("notify-0001", 100, &shop.url))
        .unwrap();
    let params = client.jsapi_params(&reply.prepay_id).unwrap();
    assert_eq!(
        pay_in_browser(&sim, &params)["err_msg"],
        "get_brand_wcpay_request:ok"
    );
    assert!(wait_for(Duration::from_secs(5), || sim.notifications()[0]
        .status
        == "acknowledged"));
    let n = sim.notifications().remove(0);
    assert_eq!(n.attempts.len(), 4);
    let gaps: Vec<u64> = n
        .attempts
        .windows(2)
        .map(|w| w[1].at_ms - w[0].at_ms)
        .collect();
    for (gap, expected) in gaps.iter().zip([150u64, 150, 300]) {
        // Never early; late only by scheduling noise (an unscaled wait would be 100 times longer).
        assert!(*gap >= expected && *gap < expected + 1000, "gaps {gaps:?}");
    }
    // Acknowledged: nothing more is sent.
    std::thread::sleep(Duration::from_millis(800));
    assert_eq!(shop.count(), 4);
    assert_eq!(sim.stats()["notify_attempts"], 4);
    // Every delivery carried the same verified notification.
    for body in shop.bodies() {
        assert!(client.verify_payment_notify(&body).unwrap().is_paid());
    }
}

#[test]
fn faults_are_set_over_http_too() {
    let sim = sim();
    let client = placed(&sim, "fault-0006");
    let r = post_json(
        &format!("{}/sim/faults", sim.base_url()),
        &serde_json::json!({"path": "/pay/orderquery", "kind": "bad_sign", "count": 1}),
    );
    assert_eq!(r["faults"][0]["kind"], "bad_sign");
    assert_eq!(
        client
            .query_order(OrderRef::OutTradeNo("fault-0006".into()))
            .unwrap_err()
            .kind(),
        ErrorKind::Signature
    );
    let bad = post_json(
        &format!("{}/sim/faults", sim.base_url()),
        &serde_json::json!({"path": "*", "kind": "explode"}),
    );
    assert!(bad["error"]
        .as_str()
        .unwrap()
        .contains("unknown fault kind"));
    let (status, _, body) = get(&format!("{}/sim/orders/fault-0006", sim.base_url()));
    assert_eq!(status, 200);
    assert!(body.contains("\"trade_state\":\"NOTPAY\""), "{body}");
}

/// PHP builds a client per request; with `token_dir` those clients (and
/// other processes) share one token and one ticket through files.
#[test]
fn clients_sharing_a_token_dir_fetch_one_token_and_one_ticket() {
    let sim = sim();
    let dir = std::env::temp_dir().join(format!("wxpay-token-dir-{}", std::process::id()));
    let options = || {
        let c = sim.config();
        wxpay::ClientOptions::from_json(
            &serde_json::json!({
                "appid": c.appid, "mch_id": c.mch_id, "api_key": c.api_key,
                "app_secret": c.app_secret, "base_url": sim.base_url(),
                "token_dir": dir.to_string_lossy(),
            })
            .to_string(),
        )
        .unwrap()
    };
    let mut tickets = Vec::new();
    for _request in 0..5 {
        let client = wxpay::Client::new(options().into_config().unwrap()).unwrap();
        tickets.push(client.jsapi_ticket().unwrap());
    }
    let stats = sim.stats();
    assert_eq!(stats["token_fetches"], 1, "{stats:?}");
    assert_eq!(stats["ticket_fetches"], 1, "{stats:?}");
    assert!(tickets.iter().all(|t| *t == tickets[0]));
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let appid = &sim.config().appid;
    assert_eq!(
        files,
        [
            format!("wxpay.{appid}.access_token"),
            format!("wxpay.{appid}.access_token.lock"),
            format!("wxpay.{appid}.jsapi_ticket"),
            format!("wxpay.{appid}.jsapi_ticket.lock"),
        ],
        "one file per token, and its lock file"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A loopback server that answers every request with `reply` and counts
/// the requests.
fn canned(reply: Vec<u8>) -> (String, Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{Read, Write};
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let count = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            // Read the whole request first: closing with unread bytes would
            // reset the connection and cut the reply short.
            let mut request = Vec::new();
            let mut buf = [0u8; 8192];
            while let Ok(n @ 1..) = stream.read(&mut buf) {
                request.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&request);
                if let Some(end) = text.find("\r\n\r\n") {
                    let length = text[..end]
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase()
                                .strip_prefix("content-length:")
                                .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                        })
                        .unwrap_or(0);
                    if request.len() >= end + 4 + length {
                        break;
                    }
                }
            }
            let _ = stream.write_all(&reply);
            let _ = stream.shutdown(std::net::Shutdown::Write);
            while let Ok(1..) = stream.read(&mut buf) {}
        }
    });
    (url, seen)
}

#[test]
fn redirects_are_not_followed_and_oversized_replies_are_cut() {
    let sim = sim();
    let target = format!("{}/pay/orderquery", sim.base_url());
    let redirect = format!("HTTP/1.1 302 Found\r\nLocation: {target}\r\nContent-Length: 0\r\n\r\n")
        .into_bytes();
    let huge = {
        let body = format!("<xml>{}</xml>", "<a>x</a>".repeat(300_000));
        let mut r = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        r.extend_from_slice(body.as_bytes());
        r
    };
    for (reply, kind) in [(redirect, ErrorKind::Transport), (huge, ErrorKind::Xml)] {
        let (url, seen) = canned(reply);
        let mut config = config(&sim, SignType::HmacSha256);
        config.pay_base_url = url;
        config.pay_backup_url = None;
        let client = wxpay::Client::new(config).unwrap();
        let before = sim.stats().get("orderquery").copied().unwrap_or(0);
        let err = client
            .query_order(OrderRef::OutTradeNo("fault-0009".into()))
            .unwrap_err();
        assert_eq!(err.kind(), kind, "{err}");
        if kind == ErrorKind::Xml {
            assert_eq!(err.reason(), Some("TooLarge"), "{err}");
        } else {
            assert!(err.to_string().contains("not followed"), "{err}");
        }
        assert_eq!(
            sim.stats().get("orderquery").copied().unwrap_or(0),
            before,
            "the redirect target never saw the signed request"
        );
        assert!(seen.load(std::sync::atomic::Ordering::SeqCst) >= 1);
    }
}

/// The client's metrics count what happened on the wire: failovers,
/// retries after a reset, requests, and each call's outcome.
#[test]
fn metrics_count_requests_retries_failovers_and_outcomes() {
    let sim = sim();
    let backup = sim.listen("127.0.0.1", 0).unwrap();
    let dead = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://127.0.0.1:{}", l.local_addr().unwrap().port())
    };
    let mut cfg = config(&sim, SignType::HmacSha256);
    cfg.pay_base_url = dead;
    cfg.pay_backup_url = Some(backup);
    let client = wxpay::Client::new(cfg).unwrap();
    let run = |name: &str, args: serde_json::Value| {
        client.run(wxpay::Operation::parse(name, Vec::new(), args).unwrap())
    };
    run(
        "unified_order",
        serde_json::json!({"body": "b", "out_trade_no": "metrics-1", "total_fee": 100,
            "spbill_create_ip": "127.0.0.1", "openid": wxpay_sim::DEFAULT_OPENID,
            "notify_url": "http://127.0.0.1:9/n"}),
    )
    .unwrap();
    let m = client.metrics();
    assert_eq!((m.requests, m.failovers, m.retries), (2, 1, 0), "{m:?}");
    // A reset once the query was sent: retried on the backup.
    sim.add_fault(wxpay_sim::Fault {
        path: "/pay/orderquery".into(),
        kind: "reset".into(),
        count: 1,
        ..Default::default()
    })
    .unwrap();
    run(
        "query_order",
        serde_json::json!({"out_trade_no": "metrics-1"}),
    )
    .unwrap();
    let m = client.metrics();
    assert_eq!((m.requests, m.failovers, m.retries), (5, 2, 1), "{m:?}");
    let e = run(
        "query_order",
        serde_json::json!({"out_trade_no": "metrics-none"}),
    )
    .unwrap_err();
    let m = client.metrics();
    let query = m
        .operations
        .iter()
        .find(|o| o.operation == "query_order")
        .unwrap();
    assert_eq!(query.calls, 2);
    assert_eq!(query.outcomes["ok"], 1);
    assert_eq!(query.outcomes[e.kind().as_str()], 1);
    assert!(query.latency_ms.max >= query.latency_ms.p50);
    let text = client.metrics_prometheus();
    assert!(
        text.contains(&format!(
            "wxpay_calls_total{{mch_id=\"{}\",operation=\"query_order\",outcome=\"ok\"}} 1",
            sim.config().mch_id
        )),
        "{text}"
    );
    assert!(text.contains("# TYPE wxpay_call_duration_seconds histogram"));
}
