//! Profit sharing against the simulator's books: receivers registered and
//! removed, sharings within WeChat's 30 % (a multiple sharing stays open
//! until finished, the same out_order_no is the same request), the query
//! and the unshared amount, and the refusals (an order not placed for
//! sharing, a receiver never added, too much, after the finish); returns
//! from a merchant receiver, and the provider's ratio query.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

mod common;

use common::*;
use wxpay::{
    Client, ClientConfig, ErrorKind, ProfitSharing, ProfitSharingFinish, ProfitSharingReturn,
    Receiver, ReceiverChange, Share, SharingRef, SignType,
};
use wxpay_sim::{PROVIDER_API_KEY, PROVIDER_APPID, PROVIDER_MCH_ID, SUB_MCH_ID_1};

/// The simulator's service provider.
fn platform(sim: &wxpay_sim::Simulator, sign_type: SignType) -> Client {
    let mut config = ClientConfig::new(PROVIDER_APPID, PROVIDER_MCH_ID, PROVIDER_API_KEY)
        .with_simulator(&sim.base_url());
    config.sign_type = sign_type;
    Client::new(config).unwrap()
}

/// A paid order of `fee` fen (placed for sharing when `sharing`); its
/// transaction_id.
fn paid(sim: &wxpay_sim::Simulator, client: &Client, no: &str, fee: u64, sharing: bool) -> String {
    let extra: &[(&str, &str)] = if sharing {
        &[("profit_sharing", "Y")]
    } else {
        &[]
    };
    paid_order_with(sim, client, no, fee, extra)
}

fn friend() -> Receiver {
    Receiver {
        kind: "PERSONAL_OPENID".into(),
        account: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o".into(),
        name: None,
        relation_type: Some("USER".into()),
        custom_relation: None,
    }
}

/// Adds (or removes) [`friend`] as a receiver.
fn change_friend(client: &Client, add: bool) {
    client
        .change_profit_sharing_receiver(&ReceiverChange {
            receiver: friend(),
            add,
        })
        .unwrap();
}

fn sharing(transaction_id: &str, out_order_no: &str, amount: u64, multi: bool) -> ProfitSharing {
    ProfitSharing {
        transaction_id: transaction_id.into(),
        out_order_no: out_order_no.into(),
        receivers: vec![Share {
            kind: "PERSONAL_OPENID".into(),
            account: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o".into(),
            amount,
            description: "推荐佣金".into(),
        }],
        multi,
    }
}

fn err_code(e: &wxpay::Error) -> Option<String> {
    e.details()["err_code"].as_str().map(str::to_owned)
}

#[test]
fn an_order_is_shared_within_thirty_percent_then_finished() {
    let sim = sim();
    // An MD5 merchant: profit sharing is signed HMAC-SHA256 all the same.
    let client = client(&sim, SignType::Md5);
    let tx = paid(&sim, &client, "share-1", 1000, true);
    change_friend(&client, true);
    assert_eq!(
        client
            .profit_sharing_unsplit_amount(&tx)
            .unwrap()
            .unsplit_amount,
        1000
    );

    let first = client
        .profit_sharing(&sharing(&tx, "S1", 200, true))
        .unwrap();
    assert_eq!(first.status.as_deref(), Some("PROCESSING"));
    let again = client
        .profit_sharing(&sharing(&tx, "S1", 200, true))
        .unwrap();
    assert_eq!(
        again.order_id, first.order_id,
        "the same number is the same request"
    );
    assert_eq!(
        client
            .profit_sharing_unsplit_amount(&tx)
            .unwrap()
            .unsplit_amount,
        800
    );
    let query = client.query_profit_sharing(&tx, "S1").unwrap();
    assert_eq!(query.status.as_deref(), Some("PROCESSING"));
    assert_eq!(query.receivers.len(), 1);
    assert_eq!(query.receivers[0].amount, 200);
    assert_eq!(query.receivers[0].result.as_deref(), Some("SUCCESS"));

    // 200 + 101 is more than 30 % of 1000.
    let e = client
        .profit_sharing(&sharing(&tx, "S2", 101, true))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Business);
    assert!(e.to_string().contains("最大分账比例"), "{e}");
    client
        .profit_sharing(&sharing(&tx, "S2", 100, true))
        .unwrap();

    let finish = ProfitSharingFinish {
        transaction_id: tx.clone(),
        out_order_no: "F1".into(),
        description: "分账完结".into(),
    };
    assert_eq!(
        client
            .finish_profit_sharing(&finish)
            .unwrap()
            .status
            .as_deref(),
        Some("FINISHED")
    );
    assert_eq!(
        client
            .profit_sharing_unsplit_amount(&tx)
            .unwrap()
            .unsplit_amount,
        0
    );
    assert_eq!(
        client
            .query_profit_sharing(&tx, "S1")
            .unwrap()
            .status
            .as_deref(),
        Some("FINISHED")
    );
    let late = client
        .profit_sharing(&sharing(&tx, "S3", 1, true))
        .unwrap_err();
    assert_eq!(late.kind(), ErrorKind::Business);

    let stats = sim.stats();
    assert_eq!(stats["multiprofitsharing"], 5);
    assert_eq!(stats["profitsharingfinish"], 1);
    assert_eq!(stats["profitsharingquery"], 2);
}

#[test]
fn a_single_sharing_releases_the_rest() {
    let sim = sim();
    let client = client(&sim, SignType::HmacSha256);
    let tx = paid(&sim, &client, "share-2", 500, true);
    change_friend(&client, true);
    let done = client
        .profit_sharing(&sharing(&tx, "S1", 150, false))
        .unwrap();
    assert_eq!(done.status.as_deref(), Some("FINISHED"));
    assert_eq!(
        client
            .profit_sharing_unsplit_amount(&tx)
            .unwrap()
            .unsplit_amount,
        0
    );
    assert_eq!(
        client
            .profit_sharing(&sharing(&tx, "S2", 1, false))
            .unwrap_err()
            .kind(),
        ErrorKind::Business
    );
}

#[test]
fn what_wechat_refuses() {
    let sim = sim();
    let client = client(&sim, SignType::Md5);
    let plain = paid(&sim, &client, "share-3", 1000, false);
    let e = client
        .profit_sharing(&sharing(&plain, "S1", 10, true))
        .unwrap_err();
    assert_eq!(err_code(&e), Some("NOT_SHARE_ORDER".into()), "{e}");

    let tx = paid(&sim, &client, "share-4", 1000, true);
    let e = client
        .profit_sharing(&sharing(&tx, "S1", 10, true))
        .unwrap_err();
    assert_eq!(err_code(&e), Some("RECEIVER_INVALID".into()), "{e}");
    change_friend(&client, true);
    change_friend(&client, false);
    let e = client
        .profit_sharing(&sharing(&tx, "S1", 10, true))
        .unwrap_err();
    assert_eq!(err_code(&e), Some("RECEIVER_INVALID".into()), "{e}");
    let e = client.query_profit_sharing(&tx, "never").unwrap_err();
    assert_eq!(err_code(&e), Some("ORDER_NOT_EXIST".into()), "{e}");
    // Refused before anything is sent.
    let before = sim.stats().get("multiprofitsharing").copied().unwrap_or(0);
    assert_eq!(
        client
            .profit_sharing(&sharing(&tx, "S 1", 10, true))
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidInput
    );
    assert_eq!(
        sim.stats().get("multiprofitsharing").copied().unwrap_or(0),
        before
    );
}

/// The merchant receiver of the return tests.
fn partner() -> Receiver {
    Receiver {
        kind: "MERCHANT_ID".into(),
        account: "190001001".into(),
        name: Some("示例合作商户有限公司".into()),
        relation_type: Some("PARTNER".into()),
        custom_relation: None,
    }
}

fn give_back(sharing: SharingRef, no: &str, amount: u64) -> ProfitSharingReturn {
    ProfitSharingReturn {
        sharing,
        out_return_no: no.into(),
        return_account: "190001001".into(),
        return_amount: amount,
        description: "退货退回分账".into(),
    }
}

#[test]
fn a_merchant_receiver_gives_back_at_most_what_it_got() {
    let sim = sim();
    let client = client(&sim, SignType::HmacSha256);
    let tx = paid(&sim, &client, "ps-return-1", 1000, true);
    client
        .change_profit_sharing_receiver(&ReceiverChange {
            receiver: partner(),
            add: true,
        })
        .unwrap();
    let shared = client
        .profit_sharing(&ProfitSharing {
            transaction_id: tx.clone(),
            out_order_no: "PS-R1".into(),
            receivers: vec![Share {
                kind: "MERCHANT_ID".into(),
                account: "190001001".into(),
                amount: 200,
                description: "合作分成".into(),
            }],
            multi: true,
        })
        .unwrap();

    let by_no = SharingRef::OutOrderNo("PS-R1".into());
    let back = client
        .profit_sharing_return(&give_back(by_no.clone(), "R1", 120))
        .unwrap();
    assert_eq!(back.result, "SUCCESS");
    assert_eq!(
        (back.return_account.as_str(), back.return_amount),
        ("190001001", 120)
    );
    assert_eq!(back.order_id.as_deref(), Some(shared.order_id.as_str()));
    // The same out_return_no is the same request: answered again, nothing more returned.
    let again = client
        .profit_sharing_return(&give_back(by_no.clone(), "R1", 120))
        .unwrap();
    assert_eq!(again.return_no, back.return_no);
    // Asked by WeChat's number of the sharing.
    let query = client
        .query_profit_sharing_return(&SharingRef::OrderId(shared.order_id.clone()), "R1")
        .unwrap();
    assert_eq!(
        (query.result.as_str(), query.return_amount),
        ("SUCCESS", 120)
    );

    // 120 of 200 is back: 100 more is too much, WeChat's error_code typed.
    let e = client
        .profit_sharing_return(&give_back(by_no.clone(), "R2", 100))
        .unwrap_err();
    assert_eq!(
        (e.kind(), err_code(&e).as_deref()),
        (ErrorKind::Business, Some("INVALID_REQUEST"))
    );
    assert!(e.to_string().contains("回退金额超过分账金额"), "{e}");
    client
        .profit_sharing_return(&give_back(by_no.clone(), "R2", 80))
        .unwrap();
    // A return that was never made.
    let e = client
        .query_profit_sharing_return(&by_no, "R9")
        .unwrap_err();
    assert_eq!(err_code(&e).as_deref(), Some("INVALID_REQUEST"));

    // A reply about another amount or another return is not this answer.
    for (field, value) in [("return_amount", "1"), ("out_return_no", "R-other")] {
        sim.add_fault(wxpay_sim::Fault {
            path: "/secapi/pay/profitsharingreturn".into(),
            kind: "forge".into(),
            count: 1,
            delay_ms: 0,
            status: None,
            fields: [(field.to_string(), value.to_string())].into(),
        })
        .unwrap();
        let e = client
            .profit_sharing_return(&give_back(by_no.clone(), "R1", 120))
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Mismatch, "{field}: {e}");
    }
    // Returns are signed HMAC-SHA256 whatever the merchant's default.
    let md5 = common::client(&sim, SignType::Md5);
    assert_eq!(
        md5.query_profit_sharing_return(&by_no, "R1")
            .unwrap()
            .result,
        "SUCCESS"
    );
    assert_eq!(sim.stats()["profitsharingreturn"], 6);
}

#[test]
fn a_provider_asks_its_ratio_for_a_sub_merchant_or_a_brand() {
    let sim = sim();
    let provider = platform(&sim, SignType::HmacSha256);
    let sub = wxpay::SubMerchant::new(SUB_MCH_ID_1, None).unwrap();
    assert_eq!(
        provider
            .for_sub_merchant(sub)
            .profit_sharing_max_ratio()
            .unwrap()
            .max_ratio,
        3000
    );
    assert_eq!(
        provider
            .profit_sharing_max_ratio_for_brand("1900000200")
            .unwrap()
            .max_ratio,
        3000
    );
    // Neither a sub-merchant nor a brand: refused before anything is sent.
    let e = provider
        .run(
            wxpay::Operation::parse("profit_sharing_max_ratio", vec![], serde_json::json!({}))
                .unwrap(),
        )
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    // A direct merchant is no provider.
    let direct = client(&sim, SignType::HmacSha256);
    let e = direct
        .profit_sharing_max_ratio_for_brand("1900000200")
        .unwrap_err();
    assert_eq!(err_code(&e).as_deref(), Some("NOAUTH"));
    assert_eq!(sim.stats()["profitsharingmerchantratioquery"], 3);
}

/// The profit-sharing requests that reached the simulator.
fn sharing_requests(sim: &wxpay_sim::Simulator) -> u64 {
    sim.stats()
        .iter()
        .filter(|(k, _)| k.contains("profitsharing"))
        .map(|(_, v)| *v)
        .sum()
}

/// tests/vectors/profit_sharing.json, through the dispatch path every
/// binding uses, on one simulator.
#[test]
fn shared_vectors() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/profit_sharing.json"
    );
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let sim = sim();
    for (n, case) in doc["cases"].as_array().unwrap().iter().enumerate() {
        let name = case["name"].as_str().unwrap();
        let client = if case["merchant"] == "provider" {
            platform(&sim, SignType::HmacSha256)
        } else {
            common::client(&sim, SignType::HmacSha256)
        };
        let tx = match case["order"].as_str() {
            Some(kind) => paid(
                &sim,
                &client,
                &format!("rs-psv-{n}"),
                1000,
                kind == "sharing",
            ),
            None => String::new(),
        };
        let sent_before = sharing_requests(&sim);
        for (i, step) in case["steps"].as_array().unwrap().iter().enumerate() {
            let text = step
                .to_string()
                .replace("{tx}", &tx)
                .replace("{n}", &n.to_string());
            let step: serde_json::Value = serde_json::from_str(&text).unwrap();
            let op = step["op"].as_str().unwrap();
            let label = format!("{name}, step {i} ({op})");
            let result = wxpay::Operation::parse(op, vec![], step["args"].clone())
                .and_then(|o| client.run(o))
                .map(|outcome| {
                    serde_json::from_str::<serde_json::Value>(&outcome.to_json().unwrap()).unwrap()
                });
            match (&step["expect"]["ok"], &step["expect"]["error"], result) {
                (ok, serde_json::Value::Null, Ok(got)) => {
                    if ok.is_null() {
                        assert!(got.is_null(), "{label}: {got}");
                    }
                    for (k, v) in ok.as_object().into_iter().flatten() {
                        assert_eq!(&got[k], v, "{label}: {k} in {got}");
                    }
                }
                (_, want, Err(e)) if !want.is_null() => {
                    assert_eq!(e.kind().as_str(), want["kind"], "{label}: {e}");
                    if let Some(code) = want["err_code"].as_str() {
                        assert_eq!(err_code(&e).as_deref(), Some(code), "{label}: {e}");
                    }
                }
                (_, want, got) => panic!("{label}: expected {want}, got {got:?}"),
            }
        }
        if let Some(sent) = case["sent"].as_u64() {
            assert_eq!(sharing_requests(&sim) - sent_before, sent, "{name}");
        }
    }
}
