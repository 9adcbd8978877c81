//! `pay/orderquery` (docs/protocol.md §4): the authoritative state of an order.

use serde::{Deserialize, Serialize};

use crate::api::OrderRef;
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::field_formats;
use crate::merchant::{Merchant, SignedRequest};
use crate::params::Params;
use crate::payment_result::PaymentResult;
use crate::reply_fields::{optional, optional_fen, required, required_fen};

/// Asks for one order.
///
/// ```
/// use wxpay::{FixedClock, Merchant, OrderQuery, OrderRef, SignType};
/// let m = Merchant::new("wxd930ea5d5a258f4f", "10000100",
///                       "192006250b4c09247ec02edce69f6a2d", SignType::Md5).unwrap();
/// let req = OrderQuery { order: OrderRef::OutTradeNo("order-0001".into()) }
///     .sign(&m, &FixedClock::new(0, "n")).unwrap();
/// assert_eq!(req.fields["out_trade_no"], "order-0001");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderQuery {
    /// The order asked about.
    pub order: OrderRef,
}

impl OrderQuery {
    /// Validates, adds the envelope and signs.
    pub fn sign(&self, merchant: &Merchant, clock: &dyn Clock) -> Result<SignedRequest> {
        let mut f = Params::new();
        self.order.insert_into(&mut f)?;
        merchant.sign_request(f, clock)
    }
}

/// `trade_state` of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TradeState {
    /// Paid.
    Success,
    /// Paid, then (partly) refunded.
    Refund,
    /// Not paid yet.
    NotPay,
    /// Closed.
    Closed,
    /// Reversed (payment-code orders).
    Revoked,
    /// The user is entering a password.
    UserPaying,
    /// Payment failed (e.g. at the bank).
    PayError,
    /// Accepted, waiting for the debit.
    Accept,
}

impl TradeState {
    /// Parses the wire name; anything else is a protocol error.
    pub fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "SUCCESS" => TradeState::Success,
            "REFUND" => TradeState::Refund,
            "NOTPAY" => TradeState::NotPay,
            "CLOSED" => TradeState::Closed,
            "REVOKED" => TradeState::Revoked,
            "USERPAYING" => TradeState::UserPaying,
            "PAYERROR" => TradeState::PayError,
            "ACCEPT" => TradeState::Accept,
            other => {
                return Err(Error::bad_reply(format!(
                    "unknown trade_state {:?}",
                    crate::message::truncate_for_message(other)
                )))
            }
        })
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            TradeState::Success => "SUCCESS",
            TradeState::Refund => "REFUND",
            TradeState::NotPay => "NOTPAY",
            TradeState::Closed => "CLOSED",
            TradeState::Revoked => "REVOKED",
            TradeState::UserPaying => "USERPAYING",
            TradeState::PayError => "PAYERROR",
            TradeState::Accept => "ACCEPT",
        }
    }

    /// The money arrived (SUCCESS, or REFUND after it).
    pub fn is_paid(self) -> bool {
        matches!(self, TradeState::Success | TradeState::Refund)
    }

    /// Not decided yet: ask again later.
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            TradeState::NotPay | TradeState::UserPaying | TradeState::Accept
        )
    }
}

impl Serialize for TradeState {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One coupon applied to a payment (`coupon_*_$n`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Coupon {
    /// `coupon_id_$n`.
    pub id: String,
    /// `coupon_type_$n` (`CASH` / `NO_CASH`); real payloads sometimes omit it.
    pub coupon_type: Option<String>,
    /// `coupon_fee_$n` in fen.
    pub fee: u64,
}

/// Reads the indexed `coupon_*_$n` fields announced by `coupon_count`.
pub(crate) fn read_coupons(raw: &Params) -> Result<Vec<Coupon>> {
    let count = optional_fen(raw, "coupon_count")?.unwrap_or(0);
    let mut out = Vec::new();
    // One buffer for the numbered names: notifications are read per request.
    let mut name = String::with_capacity(32);
    for n in 0..count {
        let id = required(raw, numbered(&mut name, "coupon_id_", n))?.to_owned();
        let fee = required_fen(raw, numbered(&mut name, "coupon_fee_", n))?;
        out.push(Coupon {
            id,
            coupon_type: optional(raw, numbered(&mut name, "coupon_type_", n)),
            fee,
        });
    }
    Ok(out)
}

/// `prefix` and `n` written into `buf`, e.g. `coupon_id_0`.
fn numbered<'b>(buf: &'b mut String, prefix: &str, n: u64) -> &'b str {
    use std::fmt::Write;
    buf.clear();
    buf.push_str(prefix);
    // Writing into a String cannot fail.
    let _ = write!(buf, "{n}");
    buf
}

/// A verified orderquery reply.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderQueryReply {
    /// The order's state.
    pub trade_state: TradeState,
    /// Human text for the state.
    pub trade_state_desc: Option<String>,
    /// The payment's fields (read through `Deref`: `reply.total_fee`).
    #[serde(flatten)]
    pub payment: PaymentResult,
    /// Every verified field.
    pub raw: Params,
}

crate::payment_result::derefs_to_payment!(OrderQueryReply);

impl OrderQueryReply {
    /// Checks a reply to `query` and reads it. A paid order must carry
    /// `transaction_id` and `total_fee`; the reply must be about the order
    /// asked for.
    pub fn parse(
        merchant: &Merchant,
        query: &OrderQuery,
        request: &SignedRequest,
        body: &[u8],
    ) -> Result<Self> {
        Self::parse_with(merchant, query, request.sign_type, body)
    }

    pub(crate) fn parse_with(
        merchant: &Merchant,
        query: &OrderQuery,
        sign_type: crate::SignType,
        body: &[u8],
    ) -> Result<Self> {
        let raw = merchant.check_reply(body, sign_type)?;
        field_formats::check(
            &raw,
            field_formats::PAYMENT_RESULT,
            field_formats::PAYMENT_RESULT_TEXT,
        )?;
        query.order.check_echo(&raw)?;
        let trade_state = TradeState::parse(required(&raw, "trade_state")?)?;
        let payment = PaymentResult::read(&raw)?;
        if trade_state.is_paid() {
            if payment.transaction_id.is_none() {
                return Err(Error::bad_reply("a paid order has no transaction_id"));
            }
            if payment.total_fee.is_none() {
                return Err(Error::bad_reply("a paid order has no total_fee"));
            }
        }
        Ok(OrderQueryReply {
            trade_state,
            trade_state_desc: optional(&raw, "trade_state_desc"),
            payment,
            raw,
        })
    }
}
