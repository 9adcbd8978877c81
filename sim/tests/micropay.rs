//! The counter against the simulator: paid at once, after the customer
//! typed the password, reversed at the limit, settled after an unknown
//! outcome, a reverse that needs `recall`, and refusals.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

mod common;

use std::time::Duration;

use common::*;
use serde_json::json;
use wxpay::{
    CounterPolicy, ErrorKind, FollowUp, Micropay, MicropayOutcome, MicropayStatus, SignType,
};
use wxpay_sim::{Fault, Simulator};

/// Seconds are scaled by 1/1000 in the simulator; the counter waits in
/// milliseconds here the way a shop waits in seconds.
fn policy() -> CounterPolicy {
    CounterPolicy {
        first_query_after: Duration::from_millis(20),
        query_every: Duration::from_millis(20),
        give_up_after: Duration::from_millis(600),
        max_reverses: 3,
    }
}

/// A payment code whose last four digits tell the simulator what the
/// customer does (`wxpay-sim --help`).
fn code(plan: &str) -> String {
    format!("13456789012345{plan}")
}

fn pay(sim: &Simulator, no: &str, plan: &str) -> wxpay::Result<MicropayOutcome> {
    let client = client(sim, SignType::HmacSha256);
    client.micropay(
        &Micropay::new("Shop-Coffee", no, 1800, "127.0.0.1", &code(plan)),
        &policy(),
    )
}

fn stat(sim: &Simulator, name: &str) -> u64 {
    sim.stats().get(name).copied().unwrap_or(0)
}

#[test]
fn paid_at_once() {
    let sim = sim();
    let out = pay(&sim, "counter-0001", "0000").unwrap();
    assert_eq!(out.status, MicropayStatus::Paid);
    assert!(out
        .transaction_id
        .as_deref()
        .is_some_and(|t| t.starts_with("4200")));
    assert_eq!(out.total_fee, Some(1800));
    assert_eq!((out.queries, out.reverses), (0, 0));
    assert_eq!(sim.order("counter-0001").unwrap().trade_state, "SUCCESS");
}

#[test]
fn paid_after_the_customer_typed_the_password() {
    let sim = sim();
    // USERPAYING, then paid 150 (scaled) seconds later.
    let out = pay(&sim, "counter-0002", "1150").unwrap();
    assert_eq!(out.status, MicropayStatus::Paid, "{out:?}");
    assert!(out.queries >= 2, "polled while the customer typed: {out:?}");
    assert_eq!(out.reverses, 0);
    assert_eq!(
        stat(&sim, "micropay"),
        1,
        "the code is charged once, never resent"
    );
}

#[test]
fn reversed_when_the_customer_never_finishes() {
    let sim = sim();
    let out = pay(&sim, "counter-0003", "2000").unwrap();
    assert_eq!(out.status, MicropayStatus::Reversed, "{out:?}");
    assert_eq!(out.err_code.as_deref(), Some("USERPAYING"));
    assert_eq!(out.reverses, 1);
    assert!(out.queries >= 5);
    assert_eq!(sim.order("counter-0003").unwrap().trade_state, "REVOKED");
}

#[test]
fn an_unknown_outcome_is_settled_by_querying() {
    let sim = sim();
    // SYSTEMERROR, but the payment went through.
    let out = pay(&sim, "counter-0004", "5000").unwrap();
    assert_eq!(out.status, MicropayStatus::Paid, "{out:?}");
    assert_eq!((out.queries, out.reverses), (1, 0));
    // SYSTEMERROR, and the payment failed: reversed so nothing can follow.
    let out = pay(&sim, "counter-0005", "6000").unwrap();
    assert_eq!(out.status, MicropayStatus::Reversed, "{out:?}");
    assert_eq!(out.err_code.as_deref(), Some("PAYERROR"));
    assert_eq!(out.reverses, 1);
    assert_eq!(sim.order("counter-0005").unwrap().trade_state, "REVOKED");
}

#[test]
fn a_reverse_that_answers_recall_is_called_again() {
    let sim = sim();
    sim.add_fault(Fault {
        path: "/secapi/pay/reverse".into(),
        kind: "recall".into(),
        count: 1,
        delay_ms: 0,
        status: None,
        ..Default::default()
    })
    .unwrap();
    let out = pay(&sim, "counter-0006", "2000").unwrap();
    assert_eq!(out.status, MicropayStatus::Reversed, "{out:?}");
    assert_eq!(out.reverses, 2);
    assert_eq!(stat(&sim, "reverse"), 2);
    assert_eq!(sim.order("counter-0006").unwrap().trade_state, "REVOKED");
}

#[test]
fn refusals_end_at_once_and_bad_codes_are_never_sent() {
    let sim = sim();
    let out = pay(&sim, "counter-0007", "3000").unwrap();
    assert_eq!(out.status, MicropayStatus::Failed);
    assert_eq!(out.err_code.as_deref(), Some("NOTENOUGH"));
    assert_eq!((out.queries, out.reverses), (0, 0));
    let out = pay(&sim, "counter-0008", "4000").unwrap();
    assert_eq!(out.err_code.as_deref(), Some("AUTHCODEEXPIRE"));

    let client = client(&sim, SignType::HmacSha256);
    let before = stat(&sim, "micropay");
    for bad in [
        "1345678901234",
        "164567890123450000",
        "13456789012345000x",
        "",
    ] {
        let e = client
            .micropay(
                &Micropay::new("Shop-Coffee", "counter-0009", 1800, "127.0.0.1", bad),
                &policy(),
            )
            .unwrap_err();
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::InvalidInput, Some("auth_code")),
            "{bad:?}"
        );
    }
    assert_eq!(stat(&sim, "micropay"), before, "nothing sent");
}

#[test]
fn a_micropay_cut_off_by_the_network_is_queried_not_resent() {
    let sim = sim();
    sim.add_fault(Fault {
        path: "/pay/micropay".into(),
        kind: "reset".into(),
        count: 1,
        ..Default::default()
    })
    .unwrap();
    let out = pay(&sim, "counter-0010", "0000").unwrap();
    // WeChat never saw it, but nothing proves it never will: a request that
    // timed out may still be processed. Not failed: look at the order later.
    assert_eq!(out.status, MicropayStatus::Unsettled, "{out:?}");
    assert_eq!(out.follow_up, Some(FollowUp::Query));
    assert_eq!(out.err_code.as_deref(), Some("ORDERNOTEXIST"));
    assert!(out.queries >= 2, "kept asking: {out:?}");
    assert_eq!(out.reverses, 1, "tried to reverse it: {out:?}");
    assert_eq!(stat(&sim, "micropay"), 0, "not sent again");
}

#[test]
fn a_request_processed_after_the_counter_gave_up_is_found_and_reversed_later() {
    let sim = sim();
    // WeChat processes the payment 1.5 s after it arrived: long after the
    // counter's 0.6 s limit, as a request lost in a slow backend would.
    sim.add_fault(Fault {
        path: "/pay/micropay".into(),
        kind: "late".into(),
        count: 1,
        delay_ms: 1500,
        ..Default::default()
    })
    .unwrap();
    let client = client(&sim, SignType::HmacSha256);
    let out = pay(&sim, "counter-0011", "0000").unwrap();
    assert_eq!(out.status, MicropayStatus::Unsettled, "{out:?}");
    assert_eq!(out.follow_up, Some(FollowUp::Query));
    assert!(sim.order("counter-0011").is_none(), "not charged yet");
    // The late charge lands; the shop's follow-up finds it and reverses it.
    assert!(wait_for(Duration::from_secs(5), || sim
        .order("counter-0011")
        .is_some_and(|o| o.trade_state == "SUCCESS")));
    let q = client
        .query_order(wxpay::OrderRef::OutTradeNo("counter-0011".into()))
        .unwrap();
    assert_eq!(
        (q.trade_state.as_str(), q.total_fee),
        ("SUCCESS", Some(1800))
    );
    let done = client.reverse("counter-0011").unwrap();
    assert_eq!(done.reverses, 1);
    assert_eq!(sim.order("counter-0011").unwrap().trade_state, "REVOKED");
}

#[test]
fn a_request_processed_while_the_counter_asks_is_paid() {
    let sim = sim();
    sim.add_fault(Fault {
        path: "/pay/micropay".into(),
        kind: "late".into(),
        count: 1,
        delay_ms: 150,
        ..Default::default()
    })
    .unwrap();
    let out = pay(&sim, "counter-0012", "0000").unwrap();
    assert_eq!(out.status, MicropayStatus::Paid, "{out:?}");
    assert_eq!(out.total_fee, Some(1800));
    assert!(out.queries >= 2, "ORDERNOTEXIST first, then paid: {out:?}");
}

#[test]
fn a_number_paid_before_is_paid_only_for_the_same_sale() {
    let sim = sim();
    let client = client(&sim, SignType::HmacSha256);
    let sale = |fee| {
        Micropay::new(
            "Shop-Coffee",
            "counter-0013",
            fee,
            "127.0.0.1",
            &code("0000"),
        )
    };
    assert_eq!(
        client.micropay(&sale(1800), &policy()).unwrap().status,
        MicropayStatus::Paid
    );
    // The cashier's till retried the same sale: ORDERPAID, and it is paid.
    let again = client.micropay(&sale(1800), &policy()).unwrap();
    assert_eq!(again.status, MicropayStatus::Paid, "{again:?}");
    // The number reused for another sale: never failed (the customer would
    // be asked for another code), never reversed (it is someone's sale).
    let other = client.micropay(&sale(2500), &policy()).unwrap();
    assert_eq!(
        (other.status, other.err_code.as_deref(), other.reverses),
        (MicropayStatus::Unsettled, Some("ORDERPAID"), 0),
        "{other:?}"
    );
    assert_eq!(
        other.error.as_ref().and_then(|e| e.field()),
        Some("total_fee")
    );
    assert_eq!(sim.order("counter-0013").unwrap().trade_state, "SUCCESS");
}

#[test]
fn waits_out_of_range_are_refused_before_the_code_is_sent() {
    let sim = sim();
    let client = client(&sim, SignType::HmacSha256);
    let pay = Micropay::new(
        "Shop-Coffee",
        "counter-0014",
        1800,
        "127.0.0.1",
        &code("0000"),
    );
    for (policy, field) in [
        (
            CounterPolicy {
                max_reverses: 0,
                ..policy()
            },
            "max_reverses",
        ),
        (
            CounterPolicy {
                query_every: Duration::ZERO,
                ..policy()
            },
            "query_every",
        ),
        (
            CounterPolicy {
                give_up_after: Duration::from_secs(601),
                ..policy()
            },
            "give_up_after",
        ),
    ] {
        let e = client.micropay(&pay, &policy).unwrap_err();
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::InvalidInput, Some(field))
        );
    }
    for (args, field) in [
        (json!({"give_up_after": "Infinity"}), "give_up_after"),
        (json!({"query_every": "NaN"}), "query_every"),
        (json!({"first_query_after": -1}), "first_query_after"),
        (json!({"max_reverses": 11}), "max_reverses"),
        (json!({"max_reverses": "NaN"}), "max_reverses"),
    ] {
        let mut call = json!({"body": "Shop-Coffee", "out_trade_no": "counter-0014", "total_fee": 1800,
            "spbill_create_ip": "127.0.0.1", "auth_code": code("0000")});
        call.as_object_mut()
            .unwrap()
            .extend(args.as_object().unwrap().clone());
        let e = client.call_json("micropay", &call.to_string()).unwrap_err();
        assert_eq!(
            (e.kind(), e.field()),
            (ErrorKind::InvalidInput, Some(field)),
            "{args}"
        );
    }
    assert_eq!(stat(&sim, "micropay"), 0, "nothing sent");
}

#[test]
fn a_payment_code_names_its_customer() {
    let sim = sim();
    let client = client(&sim, SignType::Md5);
    assert_eq!(
        client.auth_code_to_openid(&code("0000")).unwrap(),
        wxpay_sim::DEFAULT_OPENID
    );
    let e = client.auth_code_to_openid(&code("4000")).unwrap_err();
    assert_eq!(e.details()["err_code"], "AUTHCODEEXPIRE");
    let before = stat(&sim, "authcodetoopenid");
    let e = client.auth_code_to_openid("12345").unwrap_err();
    assert_eq!(
        (e.kind(), e.field()),
        (ErrorKind::InvalidInput, Some("auth_code"))
    );
    assert_eq!(stat(&sim, "authcodetoopenid"), before, "nothing sent");
}

/// tests/vectors/counter.json: the same counter scenarios every language
/// runs against the simulator.
#[test]
fn the_shared_counter_vectors() {
    let path =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/counter.json");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 12);
    for (i, case) in cases.iter().enumerate() {
        let name = case["name"].as_str().unwrap();
        let sim = sim();
        if case["fault"].is_object() {
            sim.add_fault(serde_json::from_value(case["fault"].clone()).unwrap())
                .unwrap();
        }
        let pay = Micropay::new(
            "counter",
            &format!("counter-vector-{i}"),
            1800,
            "127.0.0.1",
            case["auth_code"].as_str().unwrap(),
        );
        let direct = client(&sim, SignType::HmacSha256);
        let provider = {
            let mut config = wxpay::ClientConfig::new(
                wxpay_sim::PROVIDER_APPID,
                wxpay_sim::PROVIDER_MCH_ID,
                wxpay_sim::PROVIDER_API_KEY,
            )
            .with_simulator(&sim.base_url());
            config.sign_type = SignType::HmacSha256;
            wxpay::Client::new(config).unwrap()
        };
        let out = match case["sub_merchant"].as_object() {
            Some(sub) => provider
                .for_sub_merchant(
                    wxpay::SubMerchant::new(sub["sub_mch_id"].as_str().unwrap(), None).unwrap(),
                )
                .micropay(&pay, &policy()),
            None => direct.micropay(&pay, &policy()),
        }
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        let expect = &case["expect"];
        assert_eq!(
            serde_json::json!(out.status),
            expect["status"],
            "{name}: {out:?}"
        );
        assert_eq!(
            out.err_code.as_deref(),
            expect["err_code"].as_str(),
            "{name}: {out:?}"
        );
        assert_eq!(
            u64::from(out.reverses),
            expect["reverses"].as_u64().unwrap(),
            "{name}: {out:?}"
        );
        assert_eq!(
            serde_json::json!(out.follow_up),
            expect["follow_up"],
            "{name}: {out:?}"
        );
        assert!(
            u64::from(out.queries) >= expect["queries_at_least"].as_u64().unwrap(),
            "{name}: {out:?}"
        );
    }
}
