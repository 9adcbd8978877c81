//! `pay/refundquery` (docs/protocol.md §5.3), with its indexed `*_$n` and
//! `*_$n_$m` fields read into records.

use serde::Serialize;

use crate::api::{transaction_id, OrderRef};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::merchant::{Merchant, SignedRequest};
use crate::params::Params;
use crate::reply_fields::{optional, optional_fen, required, required_fen};
use crate::validate;

/// Which refunds to ask about, in WeChat's priority order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefundRef {
    /// WeChat's refund number.
    RefundId(String),
    /// The merchant's refund number.
    OutRefundNo(String),
    /// Every refund of an order.
    Order(OrderRef),
}

/// A refund query.
///
/// ```
/// use wxpay::{FixedClock, Merchant, RefundQuery, RefundRef, SignType};
/// let m = Merchant::new("wxd930ea5d5a258f4f", "10000100",
///                       "192006250b4c09247ec02edce69f6a2d", SignType::Md5).unwrap();
/// let q = RefundQuery { refund: RefundRef::OutRefundNo("refund-0001".into()), offset: None };
/// assert_eq!(q.sign(&m, &FixedClock::new(0, "n")).unwrap().fields["out_refund_no"], "refund-0001");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundQuery {
    /// What to look up.
    pub refund: RefundRef,
    /// Paging for orders with more than 10 refunds.
    pub offset: Option<u32>,
}

impl RefundQuery {
    /// Validates, adds the envelope and signs.
    pub fn sign(&self, merchant: &Merchant, clock: &dyn Clock) -> Result<SignedRequest> {
        let mut f = Params::new();
        match &self.refund {
            RefundRef::RefundId(id) => {
                transaction_id("refund_id", id)?;
                f.insert("refund_id".into(), id.clone());
            }
            RefundRef::OutRefundNo(no) => {
                validate::merchant_no("out_refund_no", no, 1, 64, b"@")?;
                f.insert("out_refund_no".into(), no.clone());
            }
            RefundRef::Order(order) => order.insert_into(&mut f)?,
        }
        if let Some(offset) = self.offset {
            f.insert("offset".into(), offset.to_string());
        }
        merchant.sign_request(f, clock)
    }
}

/// `refund_status_$n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefundStatus {
    /// Refunded.
    Success,
    /// Closed without refunding.
    RefundClose,
    /// In progress.
    Processing,
    /// Failed at the receiving side (card frozen or closed): handle by hand.
    Change,
    /// Failed (older pages).
    Fail,
}

impl RefundStatus {
    /// Parses the wire name; anything else is a protocol error.
    pub fn parse(s: &str) -> Result<Self> {
        Ok(match s {
            "SUCCESS" => RefundStatus::Success,
            "REFUNDCLOSE" => RefundStatus::RefundClose,
            "PROCESSING" => RefundStatus::Processing,
            "CHANGE" => RefundStatus::Change,
            "FAIL" => RefundStatus::Fail,
            other => {
                return Err(Error::bad_reply(format!(
                    "unknown refund_status {:?}",
                    crate::message::truncate_for_message(other)
                )))
            }
        })
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            RefundStatus::Success => "SUCCESS",
            RefundStatus::RefundClose => "REFUNDCLOSE",
            RefundStatus::Processing => "PROCESSING",
            RefundStatus::Change => "CHANGE",
            RefundStatus::Fail => "FAIL",
        }
    }
}

impl Serialize for RefundStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One coupon returned by a refund (`coupon_*_$n_$m`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefundCoupon {
    /// `coupon_refund_id_$n_$m`.
    pub id: String,
    /// `coupon_type_$n_$m`.
    pub coupon_type: Option<String>,
    /// `coupon_refund_fee_$n_$m` in fen.
    pub fee: u64,
}

/// One refund of the order (`*_$n`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefundRecord {
    /// The merchant's refund number.
    pub out_refund_no: String,
    /// WeChat's refund number.
    pub refund_id: String,
    /// Amount in fen.
    pub refund_fee: u64,
    /// Status.
    pub refund_status: RefundStatus,
    /// `ORIGINAL` / `BALANCE` (older pages).
    pub refund_channel: Option<String>,
    /// Which funds paid the refund.
    pub refund_account: Option<String>,
    /// Where the money went (WeChat spells it `refund_recv_accout`).
    pub refund_recv_accout: Option<String>,
    /// `yyyy-MM-dd HH:mm:ss`, when SUCCESS.
    pub refund_success_time: Option<String>,
    /// Coupons returned.
    pub coupons: Vec<RefundCoupon>,
}

/// A verified refundquery reply.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefundQueryReply {
    /// WeChat's order number.
    pub transaction_id: String,
    /// The merchant's order number.
    pub out_trade_no: String,
    /// Order total in fen.
    pub total_fee: u64,
    /// Cash paid in fen.
    pub cash_fee: Option<u64>,
    /// All refunds of the order (when more than this page holds).
    pub total_refund_count: Option<u64>,
    /// The refunds on this page.
    pub refunds: Vec<RefundRecord>,
    /// Every verified field.
    pub raw: Params,
}

impl RefundQueryReply {
    /// Checks a reply to `query` and reads its indexed fields. The reply
    /// must be about what was asked (docs/security.md §8): the order's
    /// `out_trade_no` or `transaction_id`, or, asked for one refund, only
    /// records of that `out_refund_no` or `refund_id`; anything else is a
    /// `Mismatch` naming the field.
    pub fn parse(
        merchant: &Merchant,
        query: &RefundQuery,
        request: &SignedRequest,
        body: &[u8],
    ) -> Result<Self> {
        let raw = merchant.check_reply(body, request.sign_type)?;
        if let RefundRef::Order(order) = &query.refund {
            order.check_echo(&raw)?;
        }
        let count = required_fen(&raw, "refund_count")?;
        if count > 50 {
            return Err(Error::bad_reply(
                "refund_count is above WeChat's 50 refunds per order",
            ));
        }
        let mut refunds = Vec::new();
        for n in 0..count {
            let coupon_count =
                optional_fen(&raw, &format!("coupon_refund_count_{n}"))?.unwrap_or(0);
            if coupon_count > 100 {
                return Err(Error::bad_reply(format!(
                    "coupon_refund_count_{n} is implausibly large"
                )));
            }
            let mut coupons = Vec::new();
            for m in 0..coupon_count {
                coupons.push(RefundCoupon {
                    id: required(&raw, &format!("coupon_refund_id_{n}_{m}"))?.to_owned(),
                    coupon_type: optional(&raw, &format!("coupon_type_{n}_{m}")),
                    fee: required_fen(&raw, &format!("coupon_refund_fee_{n}_{m}"))?,
                });
            }
            refunds.push(RefundRecord {
                out_refund_no: required(&raw, &format!("out_refund_no_{n}"))?.to_owned(),
                refund_id: required(&raw, &format!("refund_id_{n}"))?.to_owned(),
                refund_fee: required_fen(&raw, &format!("refund_fee_{n}"))?,
                refund_status: RefundStatus::parse(required(&raw, &format!("refund_status_{n}"))?)?,
                refund_channel: optional(&raw, &format!("refund_channel_{n}")),
                refund_account: optional(&raw, &format!("refund_account_{n}")),
                refund_recv_accout: optional(&raw, &format!("refund_recv_accout_{n}")),
                refund_success_time: optional(&raw, &format!("refund_success_time_{n}")),
                coupons,
            });
        }
        let asked = match &query.refund {
            RefundRef::OutRefundNo(no) => Some(("out_refund_no", no)),
            RefundRef::RefundId(id) => Some(("refund_id", id)),
            RefundRef::Order(_) => None,
        };
        if let Some((name, ours)) = asked {
            if refunds.is_empty() {
                return Err(Error::bad_reply(format!(
                    "the reply holds no refund for the {name} asked for"
                )));
            }
            for r in &refunds {
                let theirs = if name == "out_refund_no" {
                    &r.out_refund_no
                } else {
                    &r.refund_id
                };
                if theirs != ours {
                    return Err(Error::mismatch(
                        name,
                        ours.as_str(),
                        crate::message::truncate_for_message(theirs),
                    ));
                }
            }
        }
        Ok(RefundQueryReply {
            transaction_id: required(&raw, "transaction_id")?.to_owned(),
            out_trade_no: required(&raw, "out_trade_no")?.to_owned(),
            total_fee: required_fen(&raw, "total_fee")?,
            cash_fee: optional_fen(&raw, "cash_fee")?,
            total_refund_count: optional_fen(&raw, "total_refund_count")?,
            refunds,
            raw,
        })
    }
}
