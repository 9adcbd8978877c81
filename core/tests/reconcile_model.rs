//! Reconciliation checked against a model: generated days (payments,
//! refunds, reversals, duplicates and disagreements on both sides), bills
//! cut into random chunks, plain or gzip, and memory budgets small enough
//! to spill, compared with a plain in-memory comparison of the same day.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

use std::collections::BTreeMap;
use std::io::Write;

use proptest::prelude::*;
use wxpay::{Difference, DifferenceKind, ErrorKind, ReconcileOptions, Reconciler, ShopRecord};

const HEADER: &str = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注";
const SUMMARY: &str =
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额";

fn yuan(fen: u64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

/// One row of WeChat's bill.
#[derive(Debug, Clone)]
enum BillLine {
    Paid {
        order: String,
        fen: u64,
        txid: String,
    },
    Refund {
        refund: String,
        order: String,
        fen: u64,
        refund_id: String,
    },
    Revoked {
        order: String,
        fen: u64,
    },
}

fn bill_text(lines: &[BillLine]) -> String {
    let mut text = format!("{HEADER}\r\n");
    let (mut paid, mut refunded) = (0, 0);
    for line in lines {
        let (state, order, txid, settle, refund_id, refund_no, refund_fen, order_fen, body) =
            match line {
                BillLine::Paid { order, fen, txid } => {
                    paid += fen;
                    (
                        "SUCCESS",
                        order,
                        txid.as_str(),
                        *fen,
                        "0",
                        "0",
                        0,
                        *fen,
                        "书, 第一卷",
                    )
                }
                BillLine::Refund {
                    refund,
                    order,
                    fen,
                    refund_id,
                } => {
                    refunded += fen;
                    (
                        "REFUND",
                        order,
                        "4200",
                        0,
                        refund_id.as_str(),
                        refund.as_str(),
                        *fen,
                        0,
                        "书",
                    )
                }
                BillLine::Revoked { order, fen } => {
                    paid += fen;
                    ("REVOKED", order, "4201", *fen, "0", "0", 0, *fen, "书")
                }
            };
        let apply = if state == "REFUND" { refund_fen } else { 0 };
        let values = [
            "2024-01-02 10:00:00",
            "wxd930ea5d5a258f4f",
            "10000100",
            "0",
            "",
            txid,
            order,
            "oUpF8u",
            "JSAPI",
            state,
            "OTHERS",
            "CNY",
            &yuan(settle),
            "0.00",
            refund_id,
            refund_no,
            &yuan(refund_fen),
            "0.00",
            "ORIGINAL",
            "SUCCESS",
            body,
            "",
            "0.00000",
            "0.60%",
            &yuan(order_fen),
            &yuan(apply),
            "",
        ];
        let row: Vec<String> = values.iter().map(|v| format!("`{v}")).collect();
        text.push_str(&row.join(","));
        text.push_str("\r\n");
    }
    text.push_str(SUMMARY);
    text.push_str("\r\n");
    let summary = [
        lines.len().to_string(),
        yuan(paid),
        yuan(refunded),
        "0.00".into(),
        "0.00000".into(),
        yuan(paid),
        yuan(refunded),
    ];
    let row: Vec<String> = summary.iter().map(|v| format!("`{v}")).collect();
    text.push_str(&row.join(","));
    text.push_str("\r\n");
    text
}

fn gzip(text: &str) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(text.as_bytes()).unwrap();
    gz.finish().unwrap()
}

/// (kind, key) → (out_trade_no, fen, id) in arrival order.
type Side = BTreeMap<(u8, String), Vec<(String, u64, String)>>;

/// The model: group each side by key, compare the first of each, the rest
/// are duplicates.
fn model(bill: &[BillLine], shop: &[ShopRecord]) -> (Vec<Difference>, u64, u64) {
    let mut w = Side::new();
    let mut s = Side::new();
    for line in bill {
        match line {
            BillLine::Paid { order, fen, txid } => {
                w.entry((0, order.clone()))
                    .or_default()
                    .push((order.clone(), *fen, txid.clone()))
            }
            BillLine::Refund {
                refund,
                order,
                fen,
                refund_id,
            } => w.entry((1, refund.clone())).or_default().push((
                order.clone(),
                *fen,
                refund_id.clone(),
            )),
            BillLine::Revoked { .. } => {}
        }
    }
    for r in shop {
        match r {
            ShopRecord::Payment {
                out_trade_no,
                total_fee,
                transaction_id,
            } => s.entry((0, out_trade_no.clone())).or_default().push((
                out_trade_no.clone(),
                *total_fee,
                transaction_id.clone().unwrap_or_default(),
            )),
            ShopRecord::Refund {
                out_refund_no,
                out_trade_no,
                refund_fee,
                refund_id,
            } => s.entry((1, out_refund_no.clone())).or_default().push((
                out_trade_no.clone(),
                *refund_fee,
                refund_id.clone().unwrap_or_default(),
            )),
        }
    }
    let mut keys: Vec<&(u8, String)> = w.keys().chain(s.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut diffs = Vec::new();
    let (mut matched, mut matched_fen) = (0, 0);
    let diff = |kind,
                k: &(u8, String),
                wv: Option<&(String, u64, String)>,
                sv: Option<&(String, u64, String)>| {
        let any = wv.or(sv).unwrap();
        let some = |s: &String| (!s.is_empty()).then(|| s.clone());
        Difference {
            kind,
            entry: if k.0 == 0 { "payment" } else { "refund" }.into(),
            out_trade_no: any.0.clone(),
            out_refund_no: (k.0 == 1).then(|| k.1.clone()),
            wechat_fen: wv.map(|v| v.1),
            shop_fen: sv.map(|v| v.1),
            wechat_id: wv.and_then(|v| some(&v.2)),
            shop_wechat_id: sv.and_then(|v| some(&v.2)),
        }
    };
    for k in keys {
        let wl = w.get(k).map(Vec::as_slice).unwrap_or(&[]);
        let sl = s.get(k).map(Vec::as_slice).unwrap_or(&[]);
        match (wl.first(), sl.first()) {
            (Some(a), None) => diffs.push(diff(DifferenceKind::WechatOnly, k, Some(a), None)),
            (None, Some(b)) => diffs.push(diff(DifferenceKind::ShopOnly, k, None, Some(b))),
            (Some(a), Some(b)) if a.1 != b.1 => {
                diffs.push(diff(DifferenceKind::AmountDiffers, k, Some(a), Some(b)))
            }
            (Some(a), Some(b)) if !b.2.is_empty() && a.2 != b.2 => {
                diffs.push(diff(DifferenceKind::IdDiffers, k, Some(a), Some(b)))
            }
            (Some(a), Some(_)) => {
                if k.0 == 0 {
                    matched += 1;
                    matched_fen += a.1;
                }
            }
            (None, None) => unreachable!(),
        }
        for extra in wl.iter().skip(1) {
            diffs.push(diff(
                DifferenceKind::DuplicateAtWechat,
                k,
                Some(extra),
                None,
            ));
        }
        for extra in sl.iter().skip(1) {
            diffs.push(diff(DifferenceKind::DuplicateAtShop, k, None, Some(extra)));
        }
    }
    (diffs, matched, matched_fen)
}

fn key() -> impl Strategy<Value = String> {
    // A small space, so both sides often name the same orders.
    (0u8..24).prop_map(|n| format!("order-{n:02}"))
}

fn bill_line() -> impl Strategy<Value = BillLine> {
    prop_oneof![
        6 => (key(), 1u64..5000, 0u8..3).prop_map(|(order, fen, t)| BillLine::Paid {
            txid: format!("42000{t}{}", &order[6..]),
            order,
            fen,
        }),
        2 => (0u8..8, key(), 1u64..500).prop_map(|(r, order, fen)| BillLine::Refund {
            refund: format!("refund-{r}"),
            refund_id: format!("5030{r}"),
            order,
            fen,
        }),
        1 => (key(), 1u64..5000).prop_map(|(order, fen)| BillLine::Revoked { order, fen }),
    ]
}

fn shop_record() -> impl Strategy<Value = ShopRecord> {
    prop_oneof![
        6 => (key(), 1u64..5000, proptest::option::of(0u8..3)).prop_map(|(order, fen, t)| {
            ShopRecord::Payment {
                transaction_id: t.map(|t| format!("42000{t}{}", &order[6..])),
                out_trade_no: order,
                total_fee: fen,
            }
        }),
        2 => (0u8..8, key(), 1u64..500, proptest::option::of(0u8..8)).prop_map(|(r, order, fen, id)| {
            ShopRecord::Refund {
                out_refund_no: format!("refund-{r}"),
                out_trade_no: order,
                refund_fee: fen,
                refund_id: id.map(|id| format!("5030{id}")),
            }
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn reconciliation_agrees_with_the_model(
        bill in proptest::collection::vec(bill_line(), 0..60),
        shop in proptest::collection::vec(shop_record(), 0..60),
        gz in any::<bool>(),
        chunk in 1usize..700,
        budget in prop_oneof![Just(usize::MAX), 100usize..3000],
        list_limit in 0usize..40,
        bill_first in any::<bool>(),
    ) {
        prop_assume!(!bill.is_empty());
        let text = bill_text(&bill);
        let bytes = if gz { gzip(&text) } else { text.into_bytes() };
        let mut r = Reconciler::with_options(ReconcileOptions {
            memory_budget: budget,
            list_limit,
            ..ReconcileOptions::default()
        });
        let feed_shop = |r: &mut Reconciler| {
            for rec in &shop {
                r.shop_record(rec.clone()).unwrap();
            }
        };
        if !bill_first {
            feed_shop(&mut r);
        }
        for part in bytes.chunks(chunk) {
            r.bill_bytes(part).unwrap();
        }
        if bill_first {
            feed_shop(&mut r);
        }
        let mut seen = Vec::new();
        let report = r.finish_each(|d| { seen.push(d.clone()); Ok(()) }).unwrap();
        let (expected, matched, matched_fen) = model(&bill, &shop);
        prop_assert_eq!(&seen, &expected);
        let listed = expected.len().min(list_limit);
        prop_assert_eq!(&report.differences[..], &expected[..listed]);
        prop_assert_eq!(report.unlisted as usize, expected.len() - listed);
        prop_assert_eq!(report.counts.total() as usize, expected.len());
        prop_assert_eq!(report.balanced, expected.is_empty());
        prop_assert_eq!(report.matched.payments, matched);
        prop_assert_eq!(report.matched.payment_fen, matched_fen);
        let revoked = bill.iter().filter(|l| matches!(l, BillLine::Revoked { .. })).count();
        prop_assert_eq!(report.wechat_revoked as usize, revoked);
        let paid: u64 = bill.iter().map(|l| match l { BillLine::Paid { fen, .. } => *fen, _ => 0 }).sum();
        prop_assert_eq!(report.wechat.payment_fen, paid);
        let shop_paid: u64 = shop.iter().map(|r| match r { ShopRecord::Payment { total_fee, .. } => *total_fee, _ => 0 }).sum();
        prop_assert_eq!(report.shop.payment_fen, shop_paid);
    }
}

fn paid(order: &str, fen: u64) -> BillLine {
    BillLine::Paid {
        order: order.into(),
        fen,
        txid: format!("4200{order}"),
    }
}

fn reconcile_text(text: &str) -> wxpay::Result<wxpay::Reconciliation> {
    let mut r = Reconciler::new();
    r.bill_bytes(text.as_bytes())?;
    r.finish()
}

#[test]
fn a_bill_cut_short_or_altered_is_refused_not_read_as_a_smaller_day() {
    let text = bill_text(&[paid("order-1", 990), paid("order-2", 500)]);
    let lines: Vec<&str> = text.split("\r\n").collect();
    // Without its summary values, without its summary, without a row.
    let cut_summary = lines[..lines.len() - 2].join("\r\n");
    let cut_header = lines[..lines.len() - 3].join("\r\n");
    let mut lost_row = lines.clone();
    lost_row.remove(2);
    let altered = text.replacen("`9.90", "`9.00", 1);
    for (what, body) in [
        ("no summary values", cut_summary),
        ("no summary", cut_header),
        ("a row lost", lost_row.join("\r\n")),
        ("an amount altered", altered),
        ("a line after the summary", format!("{text}`x,`y\r\n")),
    ] {
        let e = reconcile_text(&body).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Protocol, "{what}: {e}");
    }
    // And a gzip bill cut part-way.
    let gz = gzip(&text);
    let mut r = Reconciler::new();
    r.bill_bytes(&gz[..gz.len() - 10]).unwrap();
    assert_eq!(r.finish().unwrap_err().kind(), ErrorKind::Protocol);
}

#[test]
fn no_bill_exist_is_an_empty_day_and_the_shops_payments_are_its_own() {
    let mut r = Reconciler::new();
    r.bill_bytes(b"<xml><return_code>FAIL</return_code><return_msg>No Bill Exist</return_msg><error_code>20002</error_code></xml>").unwrap();
    r.shop_payment("order-1", 990, None).unwrap();
    let report = r.finish().unwrap();
    assert!(report.no_bill);
    assert_eq!(report.counts.shop_only, 1);
    // Bill Creating is not a day: it stays an error.
    let e = reconcile_text(
        "<xml><return_code>FAIL</return_code><return_msg>Bill Creating</return_msg></xml>",
    )
    .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Protocol);
}

#[test]
fn the_older_column_layout_is_read_by_name() {
    let text = "交易时间,公众账号ID,商户号,子商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,总金额,代金券或立减优惠金额,微信退款单号,商户退款单号,退款金额,代金券或立减优惠退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率\r\n\
`2024-01-02 10:00:00,`wx1,`100,`0,`,`4200001,`order-1,`o1,`JSAPI,`SUCCESS,`CMC,`CNY,`9.90,`0.00,`0,`0,`0,`0,`,`,`book,`,`0.06000,`0.60%\r\n\
`2024-01-02 11:00:00,`wx1,`100,`0,`,`4200001,`order-1,`o1,`JSAPI,`REFUND,`CMC,`CNY,`0.00,`0.00,`5001,`refund-1,`1.00,`0.00,`ORIGINAL,`SUCCESS,`book,`,`0.00000,`0.60%\r\n\
总交易单数,总交易额,总退款金额,总代金券或立减优惠退款金额,手续费总金额\r\n`2,`9.90,`1.00,`0.00,`0.06000\r\n";
    let mut r = Reconciler::new();
    r.bill_bytes(text.as_bytes()).unwrap();
    r.shop_payment("order-1", 990, Some("4200001")).unwrap();
    r.shop_refund("refund-1", "order-1", 100, Some("5001"))
        .unwrap();
    let report = r.finish().unwrap();
    assert!(report.balanced, "{report:?}");
    assert_eq!((report.matched.payments, report.matched.refunds), (1, 1));
    assert_eq!(report.matched.refund_fen, 100);
}

#[test]
fn an_unknown_trade_state_or_a_missing_column_is_an_error_not_a_guess() {
    let text = bill_text(&[paid("order-1", 990)]).replace("`SUCCESS,`OTHERS", "`PAYERROR,`OTHERS");
    assert_eq!(
        reconcile_text(&text).unwrap_err().kind(),
        ErrorKind::Protocol
    );
    let fund_flow =
        "记账时间,微信支付业务单号,资金流水单号\r\n`2024-01-02,`1,`2\r\n资金流水总笔数\r\n`1\r\n";
    let e = reconcile_text(fund_flow).unwrap_err();
    assert!(e.to_string().contains("trade bill"), "{e}");
}

#[test]
fn a_failed_bill_leaves_the_reconciler_refusing_rather_than_reporting_half_a_day() {
    let mut r = Reconciler::new();
    r.bill_bytes(b"a,b\r\n").unwrap_err();
    let e = r.shop_payment("order-1", 1, None).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert_eq!(r.finish().unwrap_err().kind(), ErrorKind::InvalidInput);
}

#[test]
fn a_bad_batch_of_shop_records_changes_nothing() {
    use serde_json::json;
    let mut r = Reconciler::new();
    let e = r
        .shop_records_json(json!([
            {"out_trade_no": "order-1", "total_fee": 990},
            {"out_trade_no": "order-2", "total_fee": "5.00"},
        ]))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidInput);
    assert!(e.to_string().contains("records[1].total_fee"), "{e}");
    for bad in [
        json!([{"out_trade_no": "", "total_fee": 1}]),
        json!([{"out_trade_no": "a\nb", "total_fee": 1}]),
        json!([{"out_trade_no": "a", "total_fee": -1}]),
        json!([{"out_trade_no": "a", "total_fee": 1, "refund_fee": 1}]),
        json!([{"out_trade_no": "a", "total": 1}]),
        json!({"out_trade_no": "a", "total_fee": 1}),
    ] {
        assert_eq!(
            r.shop_records_json(bad.clone()).unwrap_err().kind(),
            ErrorKind::InvalidInput,
            "{bad}"
        );
    }
    r.bill_bytes(bill_text(&[paid("order-1", 990)]).as_bytes())
        .unwrap();
    let report = r.finish().unwrap();
    assert_eq!(report.shop.payments, 0);
    assert_eq!(report.counts.wechat_only, 1);
}
