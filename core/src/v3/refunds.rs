//! API v3 refunds (docs/protocol.md §19.13): the request as WeChat takes
//! it, and its answer (or a refund query's, or a refund notification's
//! resource) checked whole against the refund asked for.

use serde::Serialize;
use serde_json::Value;

use crate::api::OrderRef;
use crate::error::{Error, Result};
use crate::validate;

use super::json_fields::{cny, echoed, text};

/// The path refunds are POSTed to.
pub const REFUND_PATH: &str = "/v3/refund/domestic/refunds";

/// A refund to ask for. The same `out_refund_no` is the same refund:
/// after an unknown outcome, ask again with it, never with a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefundV3 {
    /// The order refunded.
    pub order: OrderRef,
    /// The shop's number of this refund (1-64 of `[0-9A-Za-z_-|*@]`).
    pub out_refund_no: String,
    /// What the payer sees (at most 80 characters).
    pub reason: Option<String>,
    /// Where WeChat notifies the outcome (https).
    pub notify_url: Option<String>,
    /// How much to refund, in fen.
    pub refund: u64,
    /// The order's amount, in fen.
    pub total: u64,
    /// A service provider's refund: the sub-merchant whose order it is.
    pub sub_mchid: Option<String>,
}

#[derive(Serialize)]
struct RefundBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    sub_mchid: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    transaction_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    out_trade_no: Option<&'a str>,
    out_refund_no: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notify_url: Option<&'a str>,
    amount: RefundAmount,
}

#[derive(Serialize)]
struct RefundAmount {
    refund: u64,
    total: u64,
    currency: &'static str,
}

impl RefundV3 {
    /// Checks every field, then the JSON body as it is sent and signed.
    ///
    /// ```
    /// let r = wxpay::v3::RefundV3 {
    ///     order: wxpay::OrderRef::OutTradeNo("order-0001".into()), out_refund_no: "refund-0001".into(),
    ///     reason: None, notify_url: None, refund: 300, total: 990, sub_mchid: None,
    /// };
    /// assert_eq!(r.body()?, r#"{"out_trade_no":"order-0001","out_refund_no":"refund-0001","amount":{"refund":300,"total":990,"currency":"CNY"}}"#);
    /// # Ok::<(), wxpay::Error>(())
    /// ```
    pub fn body(&self) -> Result<String> {
        let (transaction_id, out_trade_no) = match &self.order {
            OrderRef::TransactionId(id) => {
                validate::required("transaction_id", id, 32)?;
                (Some(id.as_str()), None)
            }
            OrderRef::OutTradeNo(no) => {
                validate::merchant_no("out_trade_no", no, 6, 32, b"")?;
                (None, Some(no.as_str()))
            }
        };
        validate::merchant_no("out_refund_no", &self.out_refund_no, 1, 64, b"@")?;
        if let Some(reason) = &self.reason {
            if reason.is_empty() || reason.chars().count() > 80 {
                return Err(Error::invalid("reason", "must be 1-80 characters"));
            }
            validate::text("reason", reason)?;
        }
        if let Some(url) = &self.notify_url {
            super::json_fields::notify_url(url, 256)?;
        }
        if let Some(sub) = &self.sub_mchid {
            super::json_fields::merchant_number("sub_mchid", sub)?;
        }
        validate::fee("refund", self.refund)?;
        validate::fee("total", self.total)?;
        if self.refund > self.total {
            return Err(Error::invalid("refund", "is more than the order's total"));
        }
        let body = RefundBody {
            transaction_id,
            out_trade_no,
            out_refund_no: &self.out_refund_no,
            reason: self.reason.as_deref(),
            notify_url: self.notify_url.as_deref(),
            sub_mchid: self.sub_mchid.as_deref(),
            amount: RefundAmount {
                refund: self.refund,
                total: self.total,
                currency: "CNY",
            },
        };
        serde_json::to_string(&body)
            .map_err(|e| Error::internal(format!("cannot write the refund: {e}")))
    }
}

/// A refund as WeChat describes it, checked.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RefundStateV3 {
    /// The shop's number of the refund.
    pub out_refund_no: String,
    /// WeChat's number of the refund.
    pub refund_id: String,
    /// `SUCCESS` (the money is back), `PROCESSING`, `ABNORMAL` (not final:
    /// the payer's account cannot take it; handle in the merchant
    /// platform) or `CLOSED`.
    pub status: String,
    /// Refunded, in fen.
    pub refund: u64,
    /// The order's amount, in fen.
    pub total: u64,
    /// When it succeeded (RFC 3339).
    pub success_time: Option<String>,
    /// Everything WeChat said.
    pub raw: Value,
}

impl RefundStateV3 {
    /// Reads a refund notification's decrypted resource: this merchant's
    /// (`mchid`), with its numbers, a documented `refund_status`, both
    /// amounts in fen and CNY. Compare it with the refund the shop recorded
    /// under `out_refund_no` before acting on it.
    ///
    /// ```
    /// let resource = serde_json::json!({"mchid": "1900009191", "out_trade_no": "order-0001",
    ///     "out_refund_no": "refund-0001", "refund_id": "50000000382019052709732678859",
    ///     "refund_status": "SUCCESS", "amount": {"total": 990, "refund": 300}});
    /// let r = wxpay::v3::RefundStateV3::notified(resource.clone(), "1900009191")?;
    /// assert_eq!((r.status.as_str(), r.refund), ("SUCCESS", 300));
    /// assert!(wxpay::v3::RefundStateV3::notified(resource, "1230000109").is_err());
    /// # Ok::<(), wxpay::Error>(())
    /// ```
    pub fn notified(value: Value, mchid: &str) -> Result<RefundStateV3> {
        // A service provider's refund names it as sp_mchid.
        let field = if value.get("sp_mchid").is_some() {
            "sp_mchid"
        } else {
            "mchid"
        };
        echoed(&value, field, mchid, "the refund")?;
        let number = |k: &str| {
            text(&value, k)
                .map(str::to_owned)
                .ok_or_else(|| Error::bad_reply(format!("the refund has no {k}")))
        };
        let fen = |k: &str| {
            value
                .get("amount")
                .and_then(|a| a.get(k))
                .and_then(Value::as_u64)
                .ok_or_else(|| Error::bad_reply(format!("amount.{k} is not an amount in fen")))
        };
        let seen = RefundV3 {
            order: OrderRef::OutTradeNo(number("out_trade_no")?),
            out_refund_no: number("out_refund_no")?,
            reason: None,
            notify_url: None,
            refund: fen("refund")?,
            total: fen("total")?,
            sub_mchid: text(&value, "sub_mchid").map(str::to_owned),
        };
        RefundStateV3::check(value, &seen)
    }

    /// Reads a refund (an answer to [`RefundV3`], a refund query's, or a
    /// decrypted refund notification's resource, whose state field is
    /// `refund_status`) and checks it is the refund asked for: the refund
    /// number, the order, both amounts, CNY and a documented state.
    pub fn check(value: Value, asked: &RefundV3) -> Result<RefundStateV3> {
        let text = |k: &str| text(&value, k);
        let same = |k: &str, ours: &str| echoed(&value, k, ours, "the refund");
        same("out_refund_no", &asked.out_refund_no)?;
        match &asked.order {
            OrderRef::OutTradeNo(no) => same("out_trade_no", no)?,
            OrderRef::TransactionId(id) => same("transaction_id", id)?,
        }
        let refund_id =
            text("refund_id").ok_or_else(|| Error::bad_reply("the refund has no refund_id"))?;
        let status = text("status")
            .or_else(|| text("refund_status"))
            .ok_or_else(|| Error::bad_reply("the refund has no status"))?;
        if !matches!(status, "SUCCESS" | "PROCESSING" | "ABNORMAL" | "CLOSED") {
            return Err(Error::bad_reply(format!(
                "the refund's status is {:?}, which WeChat does not document",
                crate::message::truncate_for_message(status)
            )));
        }
        let amount = value
            .get("amount")
            .ok_or_else(|| Error::bad_reply("the refund has no amount"))?;
        let fen = |k: &str| {
            amount
                .get(k)
                .and_then(Value::as_u64)
                .ok_or_else(|| Error::bad_reply(format!("amount.{k} is not an amount in fen")))
        };
        let (refund, total) = (fen("refund")?, fen("total")?);
        if refund != asked.refund {
            return Err(Error::mismatch(
                "amount.refund",
                asked.refund.to_string(),
                refund.to_string(),
            ));
        }
        if total != asked.total {
            return Err(Error::mismatch(
                "amount.total",
                asked.total.to_string(),
                total.to_string(),
            ));
        }
        cny(amount)?;
        Ok(RefundStateV3 {
            out_refund_no: asked.out_refund_no.clone(),
            refund_id: refund_id.to_owned(),
            status: status.to_owned(),
            refund,
            total,
            success_time: text("success_time").map(str::to_owned),
            raw: value,
        })
    }
}
