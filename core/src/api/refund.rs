//! `secapi/pay/refund` (docs/protocol.md §5.2). Needs the merchant's client
//! certificate on the wire; this module only builds and checks messages.

use serde::Serialize;

use crate::api::{merge_extra, OrderRef};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::field_formats;
use crate::merchant::{Merchant, SignedRequest};
use crate::params::Params;
use crate::reply_fields::{optional_fen, required, required_fen};
use crate::validate;

/// A refund request. Retrying a failed refund must reuse `out_refund_no`:
/// WeChat refunds one number only once.
///
/// ```
/// use wxpay::{FixedClock, Merchant, OrderRef, Refund, SignType};
/// let m = Merchant::new("wxd930ea5d5a258f4f", "10000100",
///                       "192006250b4c09247ec02edce69f6a2d", SignType::Md5).unwrap();
/// let refund = Refund::new(OrderRef::OutTradeNo("order-0001".into()), "refund-0001", 990, 500);
/// assert_eq!(refund.sign(&m, &FixedClock::new(0, "n")).unwrap().fields["refund_fee"], "500");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    /// The paid order.
    pub order: OrderRef,
    /// The merchant's refund number (1-64 of `[0-9A-Za-z_-|*@]`).
    pub out_refund_no: String,
    /// The order's total in fen.
    pub total_fee: u64,
    /// This refund in fen (at most `total_fee`).
    pub refund_fee: u64,
    /// Shown to the user (at most 80 bytes).
    pub refund_desc: Option<String>,
    /// Where the refund notification goes.
    pub notify_url: Option<String>,
    /// Other fields (refund_account, refund_fee_type, …).
    pub extra: Params,
}

impl Refund {
    /// A refund of `refund_fee` out of `total_fee`.
    pub fn new(
        order: OrderRef,
        out_refund_no: impl Into<String>,
        total_fee: u64,
        refund_fee: u64,
    ) -> Self {
        Refund {
            order,
            out_refund_no: out_refund_no.into(),
            total_fee,
            refund_fee,
            refund_desc: None,
            notify_url: None,
            extra: Params::new(),
        }
    }

    /// Validates, adds the envelope and signs.
    pub fn sign(&self, merchant: &Merchant, clock: &dyn Clock) -> Result<SignedRequest> {
        let mut f = Params::new();
        self.order.insert_into(&mut f)?;
        validate::merchant_no("out_refund_no", &self.out_refund_no, 1, 64, b"@")?;
        validate::fee("total_fee", self.total_fee)?;
        validate::fee("refund_fee", self.refund_fee)?;
        if self.refund_fee > self.total_fee {
            return Err(Error::invalid("refund_fee", "is larger than total_fee"));
        }
        f.insert("out_refund_no".into(), self.out_refund_no.clone());
        f.insert("total_fee".into(), self.total_fee.to_string());
        f.insert("refund_fee".into(), self.refund_fee.to_string());
        if let Some(desc) = self.refund_desc.as_deref().filter(|d| !d.is_empty()) {
            validate::optional("refund_desc", desc, 80)?;
            f.insert("refund_desc".into(), desc.into());
        }
        if let Some(url) = self.notify_url.as_deref().filter(|u| !u.is_empty()) {
            validate::notify_url("notify_url", url)?;
            f.insert("notify_url".into(), url.into());
        }
        merge_extra(&mut f, &self.extra)?;
        merchant.sign_request(f, clock)
    }
}

/// A verified refund reply: WeChat accepted the refund (the outcome comes
/// later, from refundquery or the refund notification).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefundReply {
    /// WeChat's order number.
    pub transaction_id: String,
    /// The merchant's order number.
    pub out_trade_no: String,
    /// The merchant's refund number.
    pub out_refund_no: String,
    /// WeChat's refund number.
    pub refund_id: String,
    /// The refund in fen.
    pub refund_fee: u64,
    /// The order total in fen.
    pub total_fee: u64,
    /// Cash part of the order in fen.
    pub cash_fee: Option<u64>,
    /// Every verified field.
    pub raw: Params,
}

impl RefundReply {
    /// Checks a reply to `refund`: it must be about the same order (the
    /// `out_trade_no` or `transaction_id` asked for), the same refund
    /// number, the same refund amount and the same order total
    /// (docs/security.md §8); anything else is a `Mismatch` naming the
    /// field.
    pub fn parse(
        merchant: &Merchant,
        refund: &Refund,
        request: &SignedRequest,
        body: &[u8],
    ) -> Result<Self> {
        let raw = merchant.check_reply(body, request.sign_type)?;
        field_formats::check(
            &raw,
            field_formats::REFUND_REPLY,
            field_formats::REFUND_REPLY_TEXT,
        )?;
        let out_refund_no = required(&raw, "out_refund_no")?.to_owned();
        if out_refund_no != refund.out_refund_no {
            return Err(Error::mismatch(
                "out_refund_no",
                refund.out_refund_no.as_str(),
                out_refund_no,
            ));
        }
        refund.order.check_echo(&raw)?;
        let refund_fee = required_fen(&raw, "refund_fee")?;
        if refund_fee != refund.refund_fee {
            return Err(Error::mismatch(
                "refund_fee",
                refund.refund_fee.to_string(),
                refund_fee.to_string(),
            ));
        }
        let total_fee = required_fen(&raw, "total_fee")?;
        if total_fee != refund.total_fee {
            return Err(Error::mismatch(
                "total_fee",
                refund.total_fee.to_string(),
                total_fee.to_string(),
            ));
        }
        Ok(RefundReply {
            transaction_id: required(&raw, "transaction_id")?.to_owned(),
            out_trade_no: required(&raw, "out_trade_no")?.to_owned(),
            out_refund_no,
            refund_id: required(&raw, "refund_id")?.to_owned(),
            refund_fee,
            total_fee,
            cash_fee: optional_fen(&raw, "cash_fee")?,
            raw,
        })
    }
}
