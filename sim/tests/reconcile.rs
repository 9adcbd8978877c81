//! Reconciliation of a day the simulator really lived: orders paid, one
//! placed and never paid, a refund; the bill downloaded from the
//! simulator's books and compared with a shop's records that disagree in
//! known ways.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

mod common;

use common::*;
use wxpay::{
    BillType, Client, DifferenceKind, DownloadBill, OrderRef, ReconcileOptions, Reconciler, Refund,
    SignType,
};

fn pay(sim: &wxpay_sim::Simulator, client: &Client, no: &str, fee: u64) -> String {
    paid_order_with(sim, client, no, fee, &[])
}

#[test]
fn a_simulated_day_reconciles_against_the_shops_records() {
    let sim = sim();
    let client = client(&sim, SignType::HmacSha256);
    let tx1 = pay(&sim, &client, "recon-1", 990);
    pay(&sim, &client, "recon-2", 500);
    let tx3 = pay(&sim, &client, "recon-3", 120);
    // Placed, never paid: the shop wrongly marked it paid.
    client
        .unified_order(&order("recon-4", 250, "https://shop.example/notify"))
        .unwrap();
    client
        .refund(&Refund::new(
            OrderRef::OutTradeNo("recon-1".into()),
            "recon-1-r1",
            990,
            300,
        ))
        .unwrap();

    for gzip in [false, true] {
        let bill = client
            .download_bill(&DownloadBill {
                bill_date: today(),
                bill_type: BillType::All,
                gzip,
            })
            .unwrap();
        let mut r = Reconciler::with_options(ReconcileOptions {
            memory_budget: 256,
            ..ReconcileOptions::default()
        });
        r.shop_payment("recon-1", 990, Some(&tx1)).unwrap();
        r.shop_payment("recon-3", 100, Some(&tx3)).unwrap();
        r.shop_payment("recon-4", 250, None).unwrap();
        r.shop_refund("recon-1-r1", "recon-1", 300, None).unwrap();
        r.shop_refund("recon-3-r1", "recon-3", 50, None).unwrap();
        r.bill(&bill).unwrap();
        let report = r.finish().unwrap();

        assert!(!report.balanced);
        assert_eq!(
            (report.wechat.payments, report.wechat.payment_fen),
            (3, 1610)
        );
        assert_eq!((report.wechat.refunds, report.wechat.refund_fen), (1, 300));
        assert_eq!((report.matched.payments, report.matched.refunds), (1, 1));
        let got: Vec<(DifferenceKind, &str, Option<u64>, Option<u64>)> = report
            .differences
            .iter()
            .map(|d| {
                (
                    d.kind,
                    d.out_refund_no.as_deref().unwrap_or(&d.out_trade_no),
                    d.wechat_fen,
                    d.shop_fen,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (DifferenceKind::WechatOnly, "recon-2", Some(500), None),
                (
                    DifferenceKind::AmountDiffers,
                    "recon-3",
                    Some(120),
                    Some(100)
                ),
                (DifferenceKind::ShopOnly, "recon-4", None, Some(250)),
                (DifferenceKind::ShopOnly, "recon-3-r1", None, Some(50)),
            ],
            "gzip {gzip}"
        );
    }

    // The same day through the dispatch path every binding uses, streamed.
    let id = client.reconcile_start(ReconcileOptions::default()).unwrap();
    client
        .reconcile_shop_csv(
            &id,
            format!("out_trade_no,total_fee,transaction_id\nrecon-1,990,{tx1}\nrecon-2,500,\nrecon-3,120,{tx3}\n")
                .as_bytes(),
        )
        .unwrap();
    client
        .reconcile_shop(
            &id,
            serde_json::json!([{"out_refund_no": "recon-1-r1", "out_trade_no": "recon-1", "refund_fee": 300}]),
        )
        .unwrap();
    let bill = client
        .download_bill(&DownloadBill {
            bill_date: today(),
            bill_type: BillType::All,
            gzip: false,
        })
        .unwrap();
    // The parsed bill's rows written back as WeChat sends them, in pieces.
    let mut text = bill.columns.join(",") + "\r\n";
    for row in &bill.rows {
        text += &(row
            .iter()
            .map(|v| format!("`{v}"))
            .collect::<Vec<_>>()
            .join(",")
            + "\r\n");
    }
    text += &(bill.summary_columns.join(",") + "\r\n");
    text += &(bill
        .summary
        .iter()
        .map(|v| format!("`{v}"))
        .collect::<Vec<_>>()
        .join(",")
        + "\r\n");
    for piece in text.as_bytes().chunks(33) {
        client.reconcile_bill(&id, piece).unwrap();
    }
    let report = client.reconcile_finish(&id).unwrap();
    assert!(report.balanced, "{report:?}");
    assert_eq!(report.matched.payment_fen, 1610);

    // The bill downloaded straight into a reconciliation (gzip, never
    // parsed into rows on the way); the shop that missed recon-2.
    let id = client.reconcile_start(ReconcileOptions::default()).unwrap();
    client
        .reconcile_shop(
            &id,
            serde_json::json!([
                {"out_trade_no": "recon-1", "total_fee": 990},
                {"out_trade_no": "recon-3", "total_fee": 120},
                {"out_refund_no": "recon-1-r1", "out_trade_no": "recon-1", "refund_fee": 300},
            ]),
        )
        .unwrap();
    let downloads = sim.stats()["downloadbill"];
    client.reconcile_download_bill(&id, &today()).unwrap();
    assert_eq!(sim.stats()["downloadbill"], downloads + 1);
    let report = client.reconcile_finish(&id).unwrap();
    assert_eq!(report.counts.wechat_only, 1);
    assert_eq!(report.differences[0].out_trade_no, "recon-2");
    assert_eq!(report.matched.payments, 2);

    // A day not over yet: Bill Creating is an error and feeds nothing.
    let early = wxpay_sim::Simulator::start_with(
        wxpay_sim::SimConfig::default(),
        wxpay_sim::SimOptions {
            instant_bills: false,
        },
        "127.0.0.1",
        0,
    )
    .unwrap();
    let early_client = common::client(&early, SignType::HmacSha256);
    let id = early_client
        .reconcile_start(ReconcileOptions::default())
        .unwrap();
    let e = early_client
        .reconcile_download_bill(&id, &today())
        .unwrap_err();
    assert_eq!(e.kind(), wxpay::ErrorKind::Protocol, "{e}");
    let e = early_client.reconcile_finish(&id).unwrap_err();
    assert!(e.to_string().contains("no bill"), "{e}");
}
