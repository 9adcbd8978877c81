//! tests/vectors/security/faults.json: every client operation against each
//! fault the simulator injects — the error kind, whether it is retryable,
//! how many attempts met the fault, how many reached WeChat, and failover.
//! Python and Node run the same file.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

mod common;

use std::net::TcpListener;
use std::path::PathBuf;
use std::time::Duration;

use common::*;
use serde_json::Value;
use wxpay::{Client, Refund, SignType, Timeouts};
use wxpay_sim::{Fault, Simulator};

fn drills() -> Vec<Value> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/security/faults.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["cases"].as_array().unwrap().clone()
}

fn drill_client(sim: &Simulator, dead_primary: bool) -> Client {
    let mut cfg = config(sim, SignType::HmacSha256);
    cfg.retry.retries = 1;
    cfg.retry.backoff = Duration::from_millis(10);
    cfg.timeouts = Timeouts {
        connect: Duration::from_secs(1),
        attempt: Duration::from_secs(1),
        overall: Duration::from_secs(5),
    };
    if dead_primary {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        cfg.pay_backup_url = Some(cfg.pay_base_url.clone());
        cfg.pay_base_url = format!("http://127.0.0.1:{port}");
    }
    Client::new(cfg).unwrap()
}

/// Prepares what the drill's operation needs; returns (`{no}`, `{code}`).
fn set_up(sim: &Simulator, client: &Client, setup: &str, no: &str) -> String {
    let mut code = String::new();
    if matches!(
        setup,
        "placed" | "placed_5_minutes_ago" | "paid" | "refunded"
    ) {
        let reply = client
            .unified_order(&order(no, 990, "http://127.0.0.1:9/notify"))
            .unwrap();
        if matches!(setup, "paid" | "refunded") {
            let params = client.jsapi_params(&reply.prepay_id).unwrap();
            assert_eq!(
                pay_in_browser(sim, &params)["err_msg"],
                "get_brand_wcpay_request:ok"
            );
        }
        if setup == "refunded" {
            let refund = Refund::new(
                wxpay::OrderRef::OutTradeNo(no.into()),
                format!("{no}-r"),
                990,
                990,
            );
            client.refund(&refund).unwrap();
        }
    }
    match setup {
        // Five minutes at the tests' time scale of 1/1000.
        "placed_5_minutes_ago" => std::thread::sleep(Duration::from_millis(350)),
        "oauth_code" => code = authorize(client, "https://shop.example/cb", "drill"),
        "token" => drop(client.access_token().unwrap()),
        _ => {}
    }
    code
}

fn fill(args: &Value, no: &str, code: &str) -> String {
    args.to_string()
        .replace("{no}", no)
        .replace("{code}", code)
        .replace("{today}", &today())
}

#[test]
fn every_operation_meets_every_fault_as_the_drills_say() {
    let sim = sim();
    let mut checked = 0;
    let mut wrong = Vec::new();
    for (i, case) in drills().into_iter().enumerate() {
        let name = case["name"].as_str().unwrap();
        let fault = &case["fault"];
        let kind = fault["kind"].as_str().unwrap();
        let client = drill_client(&sim, kind == "dead_primary");
        let no = format!("drill-{i:04}");
        let code = set_up(&sim, &client, case["setup"].as_str().unwrap(), &no);
        if kind != "dead_primary" {
            sim.add_fault(Fault {
                path: case["path"].as_str().unwrap().into(),
                kind: kind.into(),
                count: fault["count"].as_u64().unwrap() as u32,
                delay_ms: fault["delay_ms"].as_u64().unwrap(),
                status: None,
                ..Default::default()
            })
            .unwrap();
        }
        let stat = |key: &str| sim.stats().get(key).copied().unwrap_or(0);
        let stat_name = case["stat"].as_str().unwrap();
        let (faults_before, reached_before) = (stat("faults_injected"), stat(stat_name));
        let started = std::time::Instant::now();
        let result = client.call_json(
            case["operation"].as_str().unwrap(),
            &fill(&case["args"], &no, &code),
        );
        let mut says = Vec::new();
        match (case["expect"].get("error"), &result) {
            (None, Ok(_)) => {}
            (None, Err(e)) => says.push(format!("failed: {e}")),
            (Some(_), Ok(_)) => says.push("succeeded".to_owned()),
            (Some(want), Err(e)) => {
                if e.kind().as_str() != want["kind"] || e.retryable() != want["retryable"] {
                    says.push(format!("{} retryable={} ({e})", e.kind(), e.retryable()));
                }
            }
        }
        let met = stat("faults_injected") - faults_before;
        if met != case["faults"].as_u64().unwrap() {
            says.push(format!("{met} attempts met the fault"));
        }
        if let Some(reached) = case["reached"].as_u64() {
            let got = stat(stat_name) - reached_before;
            if got != reached {
                says.push(format!("{got} reached {stat_name}"));
            }
        }
        if kind == "dead_primary" && client.pay_on_backup() {
            says.push("switched to the backup after one failure".to_owned());
        }
        if !says.is_empty() {
            wrong.push(format!("{name}: {}", says.join("; ")));
        }
        if kind == "delay" {
            // An attempt the client gave up on still reaches the handler when
            // its delay ends: let it land here, not in the next drill's counts.
            let each = Duration::from_millis(fault["delay_ms"].as_u64().unwrap() + 100);
            let lands = each * fault["count"].as_u64().unwrap() as u32;
            std::thread::sleep(lands.saturating_sub(started.elapsed()));
        }
        // Faults a drill did not use must not leak into the next one.
        ureq::Agent::new_with_defaults()
            .delete(format!("{}/sim/faults", sim.base_url()))
            .call()
            .unwrap();
        checked += 1;
    }
    assert!(
        wrong.is_empty(),
        "{} of {checked} drills differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    assert!(checked >= 100, "{checked} drills");
}
