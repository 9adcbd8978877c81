//! tests/vectors/security/: the notify handler's decisions, and the attack
//! catalogue's references, which must all point at something that exists.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

use std::path::{Path, PathBuf};

use serde_json::Value;
use wxpay::{Client, ClientOptions, Operation};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn load(name: &str) -> Vec<Value> {
    let path = root().join("tests/vectors").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc: Value = serde_json::from_str(&text).expect("vector file is JSON");
    doc["cases"].as_array().expect("cases").clone()
}

#[test]
fn the_notify_handler_decides_as_the_fixtures_say() {
    let cases = load("security/notify_handler.json");
    assert!(cases.len() >= 15);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let client = Client::new(
            ClientOptions::from_value(case["merchant"].clone())
                .and_then(ClientOptions::into_config)
                .unwrap(),
        )
        .unwrap();
        let body = case["body"].as_str().unwrap().as_bytes().to_vec();
        let op = Operation::with_body(
            "settle_payment_notify",
            body,
            vec![case["order"].clone()],
            Value::Null,
        )
        .unwrap();
        let got: Value = serde_json::from_str(&client.run(op).unwrap().to_json().unwrap()).unwrap();
        let expect = &case["expect"];
        assert_eq!(got["status"], expect["status"], "{name}: {got}");
        let reply = wxpay::from_xml(got["reply"].as_str().unwrap().as_bytes()).unwrap();
        assert_eq!(reply["return_code"], expect["reply"], "{name}");
        assert_eq!(got["out_trade_no"], expect["out_trade_no"], "{name}");
        match expect.get("error") {
            None => assert_eq!(got["error"], Value::Null, "{name}"),
            Some(e) => {
                for key in ["kind", "retryable", "field", "reason"] {
                    let want = e.get(key).cloned().unwrap_or(Value::Null);
                    assert_eq!(got["error"][key], want, "{name}: {key} of {}", got["error"]);
                }
            }
        }
        if expect["status"] == "paid" || expect["status"] == "already_paid" {
            assert_eq!(got["reply"], wxpay::notify_ack(), "{name}");
        }
    }
}

fn case_names(file: &str) -> Vec<String> {
    load(file)
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn every_catalogue_entry_points_at_what_exists() {
    let catalogue = load("security/catalogue.json");
    let ids: Vec<u64> = catalogue
        .iter()
        .map(|c| c["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, (1..=120).collect::<Vec<_>>());
    for entry in &catalogue {
        let name = entry["name"].as_str().unwrap();
        let has = |k: &str| entry.get(k).is_some();
        assert!(
            has("vectors") || has("tests") || has("not_applicable") || has("open"),
            "{name} says nothing about how it is covered"
        );
        for reference in entry["vectors"].as_array().into_iter().flatten() {
            let (file, case) = reference.as_str().unwrap().split_once('#').unwrap();
            assert!(
                case_names(file).iter().any(|n| n == case),
                "{name}: {file} has no case {case:?}"
            );
        }
        for reference in entry["tests"].as_array().into_iter().flatten() {
            let reference = reference.as_str().unwrap();
            let (file, test) = match reference.split_once("::") {
                Some((f, t)) => (f, Some(t)),
                None => (reference, None),
            };
            let path = root().join(file);
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{name}: {}: {e}", Path::new(file).display()));
            if let Some(test) = test {
                assert!(
                    text.contains(&format!("fn {test}(")) || text.contains(&format!("def {test}(")),
                    "{name}: {file} has no test {test}"
                );
            }
        }
    }
    // The handler fixtures are in the catalogue, so none is orphaned.
    let listed = serde_json::to_string(&catalogue).unwrap();
    for case in case_names("security/notify_handler.json") {
        assert!(
            listed.contains(&format!("security/notify_handler.json#{case}")),
            "{case} is not in the catalogue"
        );
    }
}
