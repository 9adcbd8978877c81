//! What a reconciliation found: totals of each side, what matched, and each
//! difference.

use serde::Serialize;

use super::entry::{Entry, EntryKind};

/// How one payment or refund differs between WeChat's bill and the shop.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DifferenceKind {
    /// In the bill, not in the shop's records: money WeChat holds (a
    /// payment) or returned (a refund) that the shop does not know of.
    WechatOnly,
    /// In the shop's records, not in the bill: the shop believes money
    /// moved that WeChat did not move that day.
    ShopOnly,
    /// On both sides with different amounts.
    AmountDiffers,
    /// On both sides, same amount, but the shop recorded another WeChat
    /// number (`transaction_id` or `refund_id`) than the bill's.
    IdDiffers,
    /// The bill lists the same order (or refund) again.
    DuplicateAtWechat,
    /// The shop's records list the same order (or refund) again.
    DuplicateAtShop,
}

impl DifferenceKind {
    /// The name in reports and CSV, e.g. `"wechat_only"`.
    pub fn as_str(self) -> &'static str {
        match self {
            DifferenceKind::WechatOnly => "wechat_only",
            DifferenceKind::ShopOnly => "shop_only",
            DifferenceKind::AmountDiffers => "amount_differs",
            DifferenceKind::IdDiffers => "id_differs",
            DifferenceKind::DuplicateAtWechat => "duplicate_at_wechat",
            DifferenceKind::DuplicateAtShop => "duplicate_at_shop",
        }
    }
}

/// One difference, in key order (payments by `out_trade_no`, then refunds
/// by `out_refund_no`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Difference {
    /// What differs.
    pub kind: DifferenceKind,
    /// `payment` or `refund`.
    pub entry: String,
    /// The order.
    pub out_trade_no: String,
    /// The refund, for a refund.
    pub out_refund_no: Option<String>,
    /// The bill's amount in fen (the order's total, or the refund asked),
    /// when the bill has it.
    pub wechat_fen: Option<u64>,
    /// The shop's amount in fen, when the shop has it.
    pub shop_fen: Option<u64>,
    /// WeChat's number in the bill (`transaction_id` or `refund_id`).
    pub wechat_id: Option<String>,
    /// The WeChat number the shop recorded, if it gave one.
    pub shop_wechat_id: Option<String>,
}

impl Difference {
    /// `any` is whichever side has the entry (the bill's when both do).
    pub(crate) fn new(
        kind: DifferenceKind,
        any: &Entry,
        wechat: Option<&Entry>,
        shop: Option<&Entry>,
    ) -> Difference {
        let text = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        Difference {
            kind,
            entry: any.kind.as_str().to_owned(),
            out_trade_no: any.out_trade_no.clone(),
            out_refund_no: (any.kind == EntryKind::Refund).then(|| any.key.clone()),
            wechat_fen: wechat.map(|e| e.fen),
            shop_fen: shop.map(|e| e.fen),
            wechat_id: wechat.and_then(|e| text(&e.wechat_id)),
            shop_wechat_id: shop.and_then(|e| text(&e.wechat_id)),
        }
    }

    /// The CSV header of [`Difference::csv_row`].
    pub const CSV_HEADER: &'static str =
        "difference,entry,out_trade_no,out_refund_no,wechat_fen,shop_fen,wechat_id,shop_wechat_id";

    /// The difference as one CSV line (no line end), values quoted when
    /// they hold a comma, a quote or a line break.
    pub fn csv_row(&self) -> String {
        let num = |v: Option<u64>| v.map(|v| v.to_string()).unwrap_or_default();
        [
            self.kind.as_str().to_owned(),
            self.entry.clone(),
            self.out_trade_no.clone(),
            self.out_refund_no.clone().unwrap_or_default(),
            num(self.wechat_fen),
            num(self.shop_fen),
            self.wechat_id.clone().unwrap_or_default(),
            self.shop_wechat_id.clone().unwrap_or_default(),
        ]
        .iter()
        .map(|v| csv_value(v))
        .collect::<Vec<_>>()
        .join(",")
    }
}

pub(crate) fn csv_value(v: &str) -> String {
    // A leading = + - @ would run as a formula when finance opens the file.
    let formula = v.starts_with(['=', '+', '-', '@']);
    if v.contains([',', '"', '\n', '\r']) || formula {
        let v = if formula {
            format!("'{v}")
        } else {
            v.to_owned()
        };
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_owned()
    }
}

/// Counts and sums of one side (or of what matched).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SideTotals {
    /// Payments.
    pub payments: u64,
    /// Their amounts, in fen.
    pub payment_fen: u64,
    /// Refunds.
    pub refunds: u64,
    /// Their amounts, in fen.
    pub refund_fen: u64,
}

impl SideTotals {
    pub(crate) fn add(&mut self, e: &Entry) {
        match e.kind {
            EntryKind::Payment => {
                self.payments += 1;
                self.payment_fen = self.payment_fen.saturating_add(e.fen);
            }
            EntryKind::Refund => {
                self.refunds += 1;
                self.refund_fen = self.refund_fen.saturating_add(e.fen);
            }
        }
    }
}

/// How many differences of each kind.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DifferenceCounts {
    /// [`DifferenceKind::WechatOnly`].
    pub wechat_only: u64,
    /// [`DifferenceKind::ShopOnly`].
    pub shop_only: u64,
    /// [`DifferenceKind::AmountDiffers`].
    pub amount_differs: u64,
    /// [`DifferenceKind::IdDiffers`].
    pub id_differs: u64,
    /// [`DifferenceKind::DuplicateAtWechat`].
    pub duplicate_at_wechat: u64,
    /// [`DifferenceKind::DuplicateAtShop`].
    pub duplicate_at_shop: u64,
}

impl DifferenceCounts {
    pub(crate) fn add(&mut self, kind: DifferenceKind) {
        let n = match kind {
            DifferenceKind::WechatOnly => &mut self.wechat_only,
            DifferenceKind::ShopOnly => &mut self.shop_only,
            DifferenceKind::AmountDiffers => &mut self.amount_differs,
            DifferenceKind::IdDiffers => &mut self.id_differs,
            DifferenceKind::DuplicateAtWechat => &mut self.duplicate_at_wechat,
            DifferenceKind::DuplicateAtShop => &mut self.duplicate_at_shop,
        };
        *n += 1;
    }

    /// Every difference, whatever its kind.
    pub fn total(&self) -> u64 {
        self.wechat_only
            + self.shop_only
            + self.amount_differs
            + self.id_differs
            + self.duplicate_at_wechat
            + self.duplicate_at_shop
    }
}

/// The result of a reconciliation.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Reconciliation {
    /// No difference at all: the bill and the shop agree on every payment
    /// and refund of the day.
    pub balanced: bool,
    /// WeChat had no bill for that day (no payment, no refund).
    pub no_bill: bool,
    /// What the bill holds.
    pub wechat: SideTotals,
    /// Reversed counter payments in the bill (`REVOKED`), left out of the
    /// comparison: WeChat holds nothing for them.
    pub wechat_revoked: u64,
    /// What the shop's records hold.
    pub shop: SideTotals,
    /// What is on both sides with the same amount (and WeChat number, when
    /// the shop gave one).
    pub matched: SideTotals,
    /// How many differences of each kind.
    pub counts: DifferenceCounts,
    /// The differences, in key order, up to the listing limit.
    pub differences: Vec<Difference>,
    /// How many differences were not listed because of the limit.
    pub unlisted: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_values_cannot_break_a_line_or_run_as_a_formula() {
        assert_eq!(csv_value("order-0001"), "order-0001");
        assert_eq!(csv_value("a,b"), "\"a,b\"");
        assert_eq!(csv_value("say \"hi\"\nagain"), "\"say \"\"hi\"\"\nagain\"");
        for formula in ["=HYPERLINK(\"x\")", "+1", "-1", "@SUM(A1)"] {
            let v = csv_value(formula);
            assert!(v.starts_with("\"'"), "{formula} -> {v}");
        }
    }
}
