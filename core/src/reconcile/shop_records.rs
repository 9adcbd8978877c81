//! The shop's side: its payments and refunds of the day, checked before
//! they are taken.

use serde_json::Value;

use super::entry::{Entry, EntryKind};
use crate::error::{Error, InputReason, Result};
use crate::requests::{named, read, Fen};

/// One record from the shop's database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShopRecord {
    /// An order the shop holds as paid that day.
    Payment {
        /// The shop's order number.
        out_trade_no: String,
        /// What the order charged, in fen.
        total_fee: u64,
        /// WeChat's number, if the shop kept it; compared when given.
        transaction_id: Option<String>,
    },
    /// A refund the shop asked for that day.
    Refund {
        /// The shop's refund number.
        out_refund_no: String,
        /// The order refunded.
        out_trade_no: String,
        /// The refund asked, in fen.
        refund_fee: u64,
        /// WeChat's refund number, if the shop kept it; compared when given.
        refund_id: Option<String>,
    },
}

/// The longest shop number taken (WeChat's are at most 32 or 64 bytes).
const MAX_KEY_BYTES: usize = 64;

fn key(field: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid_because(
            InputReason::Missing,
            field,
            "is required",
        ));
    }
    if value.len() > MAX_KEY_BYTES {
        return Err(Error::invalid(
            field,
            format!(
                "is {} bytes long; WeChat's numbers are at most {MAX_KEY_BYTES}",
                value.len()
            ),
        ));
    }
    if value.chars().any(char::is_control) || value.trim() != value {
        return Err(Error::invalid(
            field,
            "has whitespace at an end or a control character, so it can match no bill row",
        ));
    }
    Ok(())
}

impl ShopRecord {
    /// A record from JSON: `{"out_trade_no", "total_fee"}` for a payment,
    /// `{"out_refund_no", "out_trade_no", "refund_fee"}` for a refund, with
    /// an optional `transaction_id` / `refund_id`; names in snake_case or
    /// camelCase, amounts whole fen.
    ///
    /// ```
    /// use serde_json::json;
    /// use wxpay::ShopRecord;
    /// let r = ShopRecord::from_value(json!({"outTradeNo": "order-1", "totalFee": 990})).unwrap();
    /// assert!(matches!(r, ShopRecord::Payment { total_fee: 990, .. }));
    /// assert!(ShopRecord::from_value(json!({"out_trade_no": "order-1", "total_fee": 9.9})).is_err());
    /// ```
    pub fn from_value(value: Value) -> Result<ShopRecord> {
        let mut m = named(value, "record")?;
        let mut text = |name: &str| -> Result<Option<String>> {
            match m.remove(name) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => read::<String>(v, name).map(Some),
            }
        };
        let out_trade_no = text("out_trade_no")?;
        let out_refund_no = text("out_refund_no")?;
        let transaction_id = text("transaction_id")?;
        let refund_id = text("refund_id")?;
        let mut fen = |name: &str| -> Result<Option<u64>> {
            match m.remove(name) {
                None | Some(Value::Null) => Ok(None),
                Some(v) => read::<Fen>(v, name).map(|f| Some(f.0)),
            }
        };
        let total_fee = fen("total_fee")?;
        let refund_fee = fen("refund_fee")?;
        if let Some(unknown) = m.keys().next() {
            return Err(Error::invalid_because(
                InputReason::Unknown,
                unknown.clone(),
                "is not a field of a shop record (out_trade_no, total_fee, transaction_id; out_refund_no, refund_fee, refund_id)",
            ));
        }
        let missing = |f: &str| Error::invalid_because(InputReason::Missing, f, "is required");
        let record = match out_refund_no {
            None => {
                if refund_fee.is_some() || refund_id.is_some() {
                    return Err(missing("out_refund_no"));
                }
                ShopRecord::Payment {
                    out_trade_no: out_trade_no.ok_or_else(|| missing("out_trade_no"))?,
                    total_fee: total_fee.ok_or_else(|| missing("total_fee"))?,
                    transaction_id,
                }
            }
            Some(out_refund_no) => {
                if total_fee.is_some() || transaction_id.is_some() {
                    return Err(Error::invalid(
                        "total_fee",
                        "belongs to a payment; a refund record has refund_fee (and refund_id)",
                    ));
                }
                ShopRecord::Refund {
                    out_refund_no,
                    out_trade_no: out_trade_no.ok_or_else(|| missing("out_trade_no"))?,
                    refund_fee: refund_fee.ok_or_else(|| missing("refund_fee"))?,
                    refund_id,
                }
            }
        };
        record.check()?;
        Ok(record)
    }

    fn check(&self) -> Result<()> {
        match self {
            ShopRecord::Payment {
                out_trade_no,
                transaction_id,
                ..
            } => {
                key("out_trade_no", out_trade_no)?;
                transaction_id
                    .as_deref()
                    .map_or(Ok(()), |t| key("transaction_id", t))
            }
            ShopRecord::Refund {
                out_refund_no,
                out_trade_no,
                refund_id,
                ..
            } => {
                key("out_refund_no", out_refund_no)?;
                key("out_trade_no", out_trade_no)?;
                refund_id.as_deref().map_or(Ok(()), |t| key("refund_id", t))
            }
        }
    }

    pub(crate) fn into_entry(self) -> Result<Entry> {
        self.check()?;
        Ok(match self {
            ShopRecord::Payment {
                out_trade_no,
                total_fee,
                transaction_id,
            } => Entry {
                kind: EntryKind::Payment,
                key: out_trade_no.clone(),
                out_trade_no,
                fen: total_fee,
                wechat_id: transaction_id.unwrap_or_default(),
            },
            ShopRecord::Refund {
                out_refund_no,
                out_trade_no,
                refund_fee,
                refund_id,
            } => Entry {
                kind: EntryKind::Refund,
                key: out_refund_no,
                out_trade_no,
                fen: refund_fee,
                wechat_id: refund_id.unwrap_or_default(),
            },
        })
    }
}

/// A JSON array of records, all checked before any is taken; an error
/// names the record by its position.
pub(crate) fn entries_from_value(value: Value) -> Result<Vec<Entry>> {
    let Value::Array(items) = value else {
        return Err(Error::invalid_because(
            InputReason::WrongType,
            "records",
            "must be a list of shop records",
        ));
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            ShopRecord::from_value(v)
                .and_then(ShopRecord::into_entry)
                .map_err(|e| match e {
                    Error::InvalidInput {
                        field,
                        message,
                        reason,
                    } => Error::InvalidInput {
                        field: format!("records[{i}].{field}"),
                        message,
                        reason,
                    },
                    other => other,
                })
        })
        .collect()
}
