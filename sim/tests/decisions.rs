//! tests/vectors/security/decisions.json: every place a WeChat answer
//! becomes a shop decision (docs/security.md §8), given a signed answer
//! about something else by the simulator's `forge` fault. Python, Node, C,
//! PHP and the JVM run the same file.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

mod common;

use std::path::PathBuf;
use std::time::Duration;

use common::*;
use serde_json::{json, Value};
use wxpay::{Client, ClientConfig, Micropay, OrderRef, Refund, SignType, SubMerchant};
use wxpay_sim::{Fault, Simulator};

fn cases() -> Vec<Value> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/security/decisions.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    doc["cases"].as_array().unwrap().clone()
}

fn client_for(sim: &Simulator, case: &Value) -> Client {
    let mut cfg = if case["merchant"] == "provider" {
        let mut c = ClientConfig::new(
            wxpay_sim::PROVIDER_APPID,
            wxpay_sim::PROVIDER_MCH_ID,
            wxpay_sim::PROVIDER_API_KEY,
        )
        .with_simulator(&sim.base_url());
        c.sign_type = SignType::HmacSha256;
        c
    } else {
        config(sim, SignType::HmacSha256)
    };
    cfg.retry.retries = 1;
    cfg.retry.backoff = Duration::from_millis(10);
    Client::new(cfg).unwrap()
}

/// Prepares the order the case's operation is about.
fn set_up(sim: &Simulator, client: &Client, case: &Value, no: &str) {
    let sub = case["sub_mch_id"]
        .as_str()
        .map(|id| SubMerchant::new(id, None).unwrap());
    match case["setup"].as_str().unwrap() {
        "none" => {}
        "micropaid" => {
            let fee = case["setup_fee"].as_u64().unwrap();
            let pay = Micropay::new("counter", no, fee, "127.0.0.1", "134567890123450000");
            let out = match &sub {
                Some(s) => client
                    .for_sub_merchant(s.clone())
                    .micropay(&pay, &Default::default()),
                None => client.micropay(&pay, &Default::default()),
            }
            .unwrap();
            assert_eq!(out.status, wxpay::MicropayStatus::Paid);
        }
        setup @ ("paid" | "refunded" | "placed_5_minutes_ago") => {
            let order = order(no, 990, "http://127.0.0.1:9/notify");
            let reply = match &sub {
                Some(s) => client.for_sub_merchant(s.clone()).unified_order(&order),
                None => client.unified_order(&order),
            }
            .unwrap();
            if setup != "placed_5_minutes_ago" {
                let params = client.jsapi_params(&reply.prepay_id).unwrap();
                assert_eq!(
                    pay_in_browser(sim, &params)["err_msg"],
                    "get_brand_wcpay_request:ok"
                );
            }
            if setup == "refunded" {
                let refund =
                    Refund::new(OrderRef::OutTradeNo(no.into()), format!("{no}-r"), 990, 990);
                client.refund(&refund).unwrap();
            }
            if setup == "placed_5_minutes_ago" {
                // Five minutes at the tests' time scale of 1/1000.
                std::thread::sleep(Duration::from_millis(350));
            }
        }
        other => panic!("unknown setup {other}"),
    }
}

/// Whether `got` holds every key of `want` with the same value, nested
/// objects compared the same way.
fn holds(got: &Value, want: &Value) -> bool {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => w
            .iter()
            .all(|(k, v)| g.get(k).is_some_and(|gv| holds(gv, v))),
        _ => got == want,
    }
}

fn run(sim: &Simulator, case: &Value, no: &str) -> Result<Value, Value> {
    let client = client_for(sim, case);
    set_up(sim, &client, case, no);
    for fault in case["faults"].as_array().unwrap() {
        let fault: Fault = serde_json::from_value(fault.clone()).unwrap();
        sim.add_fault(fault).unwrap();
    }
    let mut args: Value =
        serde_json::from_str(&case["args"].to_string().replace("{no}", no)).unwrap();
    if let Some(sub) = case["sub_mch_id"].as_str() {
        args["sub_mch_id"] = json!(sub);
    }
    let op = case["operation"].as_str().unwrap();
    if op == "settle_payment_notify" {
        let body = sim
            .notifications()
            .into_iter()
            .find(|n| n.kind == "payment" && n.out_trade_no == no)
            .expect("the simulator sent a notification")
            .body;
        args["body"] = json!(body);
    }
    let result = client.call_json(op, &args.to_string());
    match result {
        Ok(text) => Ok(serde_json::from_str(&text).unwrap()),
        Err(e) => Err(e.details()),
    }
}

#[test]
fn every_decision_compares_what_it_must() {
    let sim = sim();
    let cases = cases();
    assert!(cases.len() >= 20);
    let mut wrong = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        let no = format!("rs-decision-{i:04}");
        let outcome = run(&sim, case, &no);
        sim.clear_faults();
        let expect = &case["expect"];
        let ok = match (&outcome, expect.get("error"), expect.get("result")) {
            (Err(details), Some(want), _) => holds(details, want),
            (Ok(result), _, Some(want)) => holds(result, want),
            _ => false,
        };
        if !ok {
            wrong.push(format!("{}: got {outcome:?}", case["name"]));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_decision_table_names_a_case_for_every_row() {
    let table = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/security.md"),
    )
    .unwrap();
    let rows: std::collections::BTreeSet<String> = cases()
        .iter()
        .map(|c| c["row"].as_str().unwrap().to_owned())
        .collect();
    for row in rows {
        assert!(
            table.contains(&format!("| {row} |")),
            "docs/security.md §8 has no row {row:?}"
        );
    }
}
