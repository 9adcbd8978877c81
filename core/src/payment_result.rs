//! The fields of a payment as WeChat reports it: the same in a payment
//! notification (docs/protocol.md §6), an orderquery reply (§4) and
//! micropay's paid reply (§14), so they are read once, here.

use serde::{Deserialize, Serialize};

use crate::api::order_query::{read_coupons, Coupon};
use crate::error::Result;
use crate::params::Params;
use crate::reply_fields::{optional, optional_fen, required};

/// A payment's fields, read from a message whose signature and formats
/// were checked. Notification, orderquery and micropay replies carry it
/// (and reach it through `Deref`, so `notify.total_fee` reads it).
///
/// ```
/// let raw = wxpay::Params::from([("out_trade_no".to_string(), "order-0001".to_string()),
///     ("total_fee".to_string(), "990".to_string())]);
/// let p = wxpay::PaymentResult::read(&raw).unwrap();
/// assert_eq!((p.total_fee, p.fee_type.as_str()), (Some(990), "CNY"));
/// ```
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentResult {
    /// The merchant's order number.
    pub out_trade_no: String,
    /// WeChat's order number (absent while unpaid).
    pub transaction_id: Option<String>,
    /// The order amount in fen.
    pub total_fee: Option<u64>,
    /// What the user paid in cash, in fen.
    pub cash_fee: Option<u64>,
    /// `CNY` unless stated.
    pub fee_type: String,
    /// The payer.
    pub openid: Option<String>,
    /// `JSAPI`, `NATIVE`, `MICROPAY`, …
    #[serde(default)]
    pub trade_type: Option<String>,
    /// Payment time `yyyyMMddHHmmss`.
    pub time_end: Option<String>,
    /// The merchant's `attach`, echoed.
    pub attach: Option<String>,
    /// Coupons used.
    pub coupons: Vec<Coupon>,
    /// A service provider's payment: the sub-merchant paid.
    #[serde(default)]
    pub sub_mch_id: Option<String>,
    /// A service provider's payment: the sub-merchant's appid, when the
    /// order named one.
    #[serde(default)]
    pub sub_appid: Option<String>,
    /// The payer under `sub_appid`, when the order named one.
    #[serde(default)]
    pub sub_openid: Option<String>,
}

impl PaymentResult {
    /// Reads the payment's fields; `out_trade_no` is required, amounts are
    /// read strictly as fen.
    pub fn read(raw: &Params) -> Result<Self> {
        Ok(PaymentResult {
            out_trade_no: required(raw, "out_trade_no")?.to_owned(),
            transaction_id: optional(raw, "transaction_id"),
            total_fee: optional_fen(raw, "total_fee")?,
            cash_fee: optional_fen(raw, "cash_fee")?,
            fee_type: optional(raw, "fee_type").unwrap_or_else(|| "CNY".into()),
            openid: optional(raw, "openid"),
            trade_type: optional(raw, "trade_type"),
            time_end: optional(raw, "time_end"),
            attach: optional(raw, "attach"),
            coupons: read_coupons(raw)?,
            sub_mch_id: optional(raw, "sub_mch_id"),
            sub_appid: optional(raw, "sub_appid"),
            sub_openid: optional(raw, "sub_openid"),
        })
    }
}

/// `Deref` to the payment, for a message that carries one in `payment`.
macro_rules! derefs_to_payment {
    ($($t:ty),*) => {$(
        impl std::ops::Deref for $t {
            type Target = crate::PaymentResult;
            fn deref(&self) -> &crate::PaymentResult {
                &self.payment
            }
        }
    )*};
}
pub(crate) use derefs_to_payment;
