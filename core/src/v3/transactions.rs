//! API v3 orders (docs/protocol.md §19.9): the JSAPI prepay request as the
//! JSON WeChat takes, and an order as WeChat describes it (a query answer
//! or a payment notification's resource) checked against the order the
//! shop asked about before anything in it is believed.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::api::order_query::TradeState;
use crate::error::{Error, Result};
use crate::validate;

/// The path of a JSAPI (and mini-program) prepay.
pub const JSAPI_PREPAY_PATH: &str = "/v3/pay/transactions/jsapi";

/// A JSAPI or mini-program order: what `POST /v3/pay/transactions/jsapi`
/// takes. Optional fields are left out when not given (WeChat refuses
/// `null`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsapiPrepay {
    /// The official account's or mini-program's appid.
    pub appid: String,
    /// The merchant number.
    pub mchid: String,
    /// What is bought (at most 127 characters).
    pub description: String,
    /// The shop's order number (6-32 of `[0-9A-Za-z_-|*]`).
    pub out_trade_no: String,
    /// Where WeChat notifies the payment (https, no query string).
    pub notify_url: String,
    /// The amount.
    pub amount: Amount,
    /// Who pays.
    pub payer: Payer,
    /// Handed back in the notification (at most 128 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attach: Option<String>,
    /// Until when the order can be paid (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_expire: Option<String>,
}

/// An amount in fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amount {
    /// In fen.
    pub total: u64,
}

/// The payer of a JSAPI order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Payer {
    /// The payer's openid under `appid`.
    pub openid: String,
}

impl JsapiPrepay {
    /// Checks every field, then the JSON body exactly as it is to be sent
    /// and signed.
    ///
    /// ```
    /// use wxpay::v3::{Amount, JsapiPrepay, Payer};
    /// let order = JsapiPrepay {
    ///     appid: "wxd930ea5d5a258f4f".into(), mchid: "1900009191".into(), description: "书店-图书".into(),
    ///     out_trade_no: "order-0001".into(), notify_url: "https://shop.example/notify".into(),
    ///     amount: Amount { total: 990 }, payer: Payer { openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o".into() },
    ///     attach: None, time_expire: None,
    /// };
    /// assert!(order.body()?.contains(r#""amount":{"total":990}"#));
    /// # Ok::<(), wxpay::Error>(())
    /// ```
    pub fn body(&self) -> Result<String> {
        validate::required("appid", &self.appid, 32)?;
        if self.mchid.is_empty()
            || self.mchid.len() > 32
            || !self.mchid.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(Error::invalid(
                "mchid",
                "must be the merchant number (digits)",
            ));
        }
        if self.description.is_empty() || self.description.chars().count() > 127 {
            return Err(Error::invalid("description", "must be 1-127 characters"));
        }
        validate::text("description", &self.description)?;
        validate::merchant_no("out_trade_no", &self.out_trade_no, 6, 32, b"")?;
        if !self.notify_url.starts_with("https://")
            || self.notify_url.contains('?')
            || self.notify_url.len() > 255
        {
            return Err(Error::invalid(
                "notify_url",
                "must be an https URL without a query string, at most 255 characters",
            ));
        }
        validate::fee("amount.total", self.amount.total)?;
        validate::required("payer.openid", &self.payer.openid, 128)?;
        if let Some(attach) = &self.attach {
            if attach.chars().count() > 128 {
                return Err(Error::invalid("attach", "must be at most 128 characters"));
            }
            validate::text("attach", attach)?;
        }
        serde_json::to_string(self)
            .map_err(|e| Error::internal(format!("cannot write the order: {e}")))
    }
}

/// An order as WeChat describes it, checked.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TransactionV3 {
    /// The shop's order number.
    pub out_trade_no: String,
    /// WeChat's number, once paid.
    pub transaction_id: Option<String>,
    /// `SUCCESS`, `NOTPAY`, `CLOSED`, `REFUND`, `REVOKED`, `USERPAYING`,
    /// `PAYERROR` or `ACCEPT`.
    pub trade_state: String,
    /// Whether it is paid (`SUCCESS`; `REFUND` was paid too).
    pub paid: bool,
    /// The order's amount in fen.
    pub total: u64,
    /// What the payer paid in fen (less coupons), once paid.
    pub payer_total: Option<u64>,
    /// When it was paid (RFC 3339).
    pub success_time: Option<String>,
    /// Everything WeChat said.
    pub raw: Value,
}

/// What the shop asked about, for the answer to be checked against.
#[derive(Debug, Clone, Copy)]
pub struct TransactionAsked<'a> {
    /// This merchant.
    pub mchid: &'a str,
    /// The appid the order was placed with.
    pub appid: &'a str,
    /// The order.
    pub out_trade_no: &'a str,
    /// The shop's own amount in fen, when it knows it: a paid order of
    /// another amount is a mismatch, never "paid".
    pub total: Option<u64>,
}

impl TransactionV3 {
    /// Reads an order (a verified query answer or a decrypted payment
    /// resource) and checks it is the one asked about: the merchant, the
    /// appid, the order number, CNY, and the amount when the shop gave it.
    pub fn check(value: Value, asked: &TransactionAsked<'_>) -> Result<TransactionV3> {
        let text = |k: &str| {
            value
                .get(k)
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
        };
        let same = |k: &str, ours: &str| -> Result<()> {
            match text(k) {
                Some(theirs) if theirs == ours => Ok(()),
                Some(theirs) => Err(Error::mismatch(
                    k,
                    ours,
                    crate::message::truncate_for_message(theirs),
                )),
                None => Err(Error::bad_reply(format!("the order has no {k}"))),
            }
        };
        same("mchid", asked.mchid)?;
        same("appid", asked.appid)?;
        same("out_trade_no", asked.out_trade_no)?;
        let state =
            text("trade_state").ok_or_else(|| Error::bad_reply("the order has no trade_state"))?;
        let trade_state = TradeState::parse(state)?;
        let amount = value
            .get("amount")
            .ok_or_else(|| Error::bad_reply("the order has no amount"))?;
        let fen = |k: &str| amount.get(k).and_then(Value::as_u64);
        let total =
            fen("total").ok_or_else(|| Error::bad_reply("amount.total is not an amount in fen"))?;
        if let Some(currency) = amount.get("currency").and_then(Value::as_str) {
            if currency != "CNY" {
                return Err(Error::mismatch(
                    "amount.currency",
                    "CNY",
                    crate::message::truncate_for_message(currency),
                ));
            }
        }
        if let Some(ours) = asked.total {
            if ours != total {
                return Err(Error::mismatch(
                    "amount.total",
                    ours.to_string(),
                    total.to_string(),
                ));
            }
        }
        let paid = matches!(trade_state, TradeState::Success | TradeState::Refund);
        let transaction_id = text("transaction_id").map(str::to_owned);
        if paid && transaction_id.is_none() {
            return Err(Error::bad_reply("a paid order without transaction_id"));
        }
        Ok(TransactionV3 {
            out_trade_no: asked.out_trade_no.to_owned(),
            transaction_id,
            trade_state: state.to_owned(),
            paid,
            total,
            payer_total: fen("payer_total"),
            success_time: text("success_time").map(str::to_owned),
            raw: value,
        })
    }
}
