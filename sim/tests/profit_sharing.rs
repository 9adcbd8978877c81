//! Profit sharing against the simulator's books: receivers registered and
//! removed, sharings within WeChat's 30 % (a multiple sharing stays open
//! until finished, the same out_order_no is the same request), the query
//! and the unshared amount, and the refusals (an order not placed for
//! sharing, a receiver never added, too much, after the finish).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

mod common;

use common::*;
use wxpay::{
    Client, ErrorKind, OrderRef, ProfitSharing, ProfitSharingFinish, Receiver, ReceiverChange,
    Share, SignType,
};

/// A paid order of `fee` fen (placed for sharing when `sharing`); its
/// transaction_id.
fn paid(sim: &wxpay_sim::Simulator, client: &Client, no: &str, fee: u64, sharing: bool) -> String {
    let shop = ShopServer::start(|_, _| wxpay::notify_ack().to_owned());
    let mut order = order(no, fee, &shop.url);
    if sharing {
        order.extra.insert("profit_sharing".into(), "Y".into());
    }
    let reply = client.unified_order(&order).unwrap();
    let params = client.jsapi_params(&reply.prepay_id).unwrap();
    assert_eq!(
        pay_in_browser(sim, &params)["err_msg"],
        "get_brand_wcpay_request:ok"
    );
    client
        .query_order(OrderRef::OutTradeNo(no.into()))
        .unwrap()
        .transaction_id
        .clone()
        .unwrap()
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
