//! Profit-sharing returns (分账回退, docs/protocol.md §17): money a merchant
//! receiver got from a sharing goes back to the merchant that shared it;
//! and the service provider's question of how much of its sub-merchants'
//! orders it may share.
//!
//! Both return calls answer a refusal with `return_code=FAIL` and
//! `error_code` / `error_msg` (not `err_code`), which wxpay turns into the
//! same `Business` error as everywhere else. A return's reply is checked
//! against the request whole: the return, the sharing, the receiver and
//! the amount.

use serde::Serialize;

use super::profit_sharing::{check_account, check_description, check_out_order_no, sign};
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::merchant::{Envelope, Merchant, SignedRequest};
use crate::params::Params;
use crate::reply_fields::{check_result_code, echoed, optional, required, required_fen};
use crate::sign::SignType;
use crate::validate;
use crate::xml::{self, XmlLimits};

/// The sharing a return takes money back from: WeChat's number of it or
/// the merchant's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SharingRef {
    /// WeChat's `order_id` of the sharing.
    OrderId(String),
    /// The merchant's `out_order_no` of the sharing.
    OutOrderNo(String),
}

impl SharingRef {
    fn field(&self) -> (&'static str, &str) {
        match self {
            SharingRef::OrderId(id) => ("order_id", id),
            SharingRef::OutOrderNo(no) => ("out_order_no", no),
        }
    }

    fn check(&self) -> Result<()> {
        match self {
            SharingRef::OrderId(id) => validate::required("order_id", id, 64),
            SharingRef::OutOrderNo(no) => check_out_order_no("out_order_no", no),
        }
    }
}

fn check_out_return_no(no: &str) -> Result<()> {
    validate::merchant_no("out_return_no", no, 1, 64, b"@")
}

/// Takes money back from a merchant receiver of a sharing
/// (`secapi/pay/profitsharingreturn`, the client certificate). The same
/// `out_return_no` is the same request: a return whose answer was lost is
/// sent again with it, never with a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfitSharingReturn {
    /// The sharing.
    pub sharing: SharingRef,
    /// The merchant's number of this return.
    pub out_return_no: String,
    /// The merchant number that received the money (only merchant
    /// receivers can return: `return_account_type` is `MERCHANT_ID`).
    pub return_account: String,
    /// In fen; at most what that receiver got, less earlier returns.
    pub return_amount: u64,
    /// Why (1-80 characters).
    pub description: String,
}

impl ProfitSharingReturn {
    /// Validates, adds the envelope (no `sub_appid`) and signs
    /// (HMAC-SHA256).
    pub fn sign(&self, merchant: &Merchant, clock: &dyn Clock) -> Result<SignedRequest> {
        self.sharing.check()?;
        check_out_return_no(&self.out_return_no)?;
        check_account(&self.return_account)?;
        validate::fee("return_amount", self.return_amount)?;
        check_description(&self.description)?;
        let (name, value) = self.sharing.field();
        let f = Params::from([
            (name.to_string(), value.to_owned()),
            ("out_return_no".to_string(), self.out_return_no.clone()),
            ("return_account_type".to_string(), "MERCHANT_ID".to_string()),
            ("return_account".to_string(), self.return_account.clone()),
            ("return_amount".to_string(), self.return_amount.to_string()),
            ("description".to_string(), self.description.clone()),
        ]);
        sign(merchant, f, clock, Envelope::NO_SUB_APPID)
    }
}

/// Asks how a return went (`pay/profitsharingreturnquery`).
pub fn sign_return_query(
    merchant: &Merchant,
    sharing: &SharingRef,
    out_return_no: &str,
    clock: &dyn Clock,
) -> Result<SignedRequest> {
    sharing.check()?;
    check_out_return_no(out_return_no)?;
    let (name, value) = sharing.field();
    let f = Params::from([
        (name.to_string(), value.to_owned()),
        ("out_return_no".to_string(), out_return_no.to_owned()),
    ]);
    sign(merchant, f, clock, Envelope::NO_SUB_APPID)
}

/// How a return went.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReturnState {
    /// `SUCCESS` (the money is back), `FAILED` (it is not: see
    /// `fail_reason`) or `PROCESSING` (ask again with the query, same
    /// `out_return_no`).
    pub result: String,
    /// Why it failed (`ACCOUNT_ABNORMAL`, `TIME_OUT_CLOSED`, …).
    pub fail_reason: Option<String>,
    /// The merchant's number of the return.
    pub out_return_no: String,
    /// WeChat's number of the return.
    pub return_no: Option<String>,
    /// WeChat's number of the sharing.
    pub order_id: Option<String>,
    /// The merchant's number of the sharing.
    pub out_order_no: Option<String>,
    /// The merchant number the money came back from.
    pub return_account: String,
    /// In fen.
    pub return_amount: u64,
    /// When it ended.
    pub finish_time: Option<String>,
    /// Every verified field.
    pub raw: Params,
}

/// What was asked, for the reply to be checked against.
pub struct ReturnAsked<'a> {
    /// The sharing.
    pub sharing: &'a SharingRef,
    /// The return.
    pub out_return_no: &'a str,
    /// For the reply to a return request: the receiver and the amount.
    pub account_and_amount: Option<(&'a str, u64)>,
}

/// A refusal of the return calls: `return_code=FAIL` with `error_code`
/// is WeChat's business answer, typed like any `err_code`.
fn check_error_code(body: &[u8]) -> Result<()> {
    let fields = xml::from_xml_with(body, &XmlLimits::reply())?;
    if fields.get("return_code").map(String::as_str) == Some("FAIL") {
        if let Some(code) = fields.get("error_code").filter(|c| !c.is_empty()) {
            return Err(Error::Business {
                retryable: crate::err_codes::retryable(code),
                err_code: code.clone(),
                err_code_des: optional(&fields, "error_msg")
                    .or_else(|| optional(&fields, "return_msg"))
                    .unwrap_or_default(),
            });
        }
    }
    Ok(())
}

impl ReturnState {
    /// Checks a return or return-query reply against what was asked.
    pub fn parse(merchant: &Merchant, asked: &ReturnAsked<'_>, body: &[u8]) -> Result<Self> {
        check_error_code(body)?;
        let raw = merchant.check_reply_signed(body, SignType::HmacSha256)?;
        if raw.contains_key("result_code") {
            check_result_code(&raw)?;
        }
        echoed(&raw, "out_return_no", asked.out_return_no)?;
        let (name, value) = asked.sharing.field();
        echoed(&raw, name, value)?;
        if let Some(kind) = raw.get("return_account_type") {
            if kind != "MERCHANT_ID" {
                return Err(Error::mismatch(
                    "return_account_type",
                    "MERCHANT_ID",
                    crate::message::truncate_for_message(kind),
                ));
            }
        }
        let return_amount = required_fen(&raw, "return_amount")?;
        if let Some((account, amount)) = asked.account_and_amount {
            echoed(&raw, "return_account", account)?;
            if return_amount != amount {
                return Err(Error::mismatch(
                    "return_amount",
                    amount.to_string(),
                    return_amount.to_string(),
                ));
            }
        }
        let result = required(&raw, "result")?.to_owned();
        if !matches!(result.as_str(), "PROCESSING" | "SUCCESS" | "FAILED") {
            return Err(Error::bad_reply(format!(
                "result is {:?}, not PROCESSING, SUCCESS or FAILED",
                crate::message::truncate_for_message(&result)
            )));
        }
        Ok(ReturnState {
            result,
            fail_reason: optional(&raw, "fail_reason"),
            out_return_no: asked.out_return_no.to_owned(),
            return_no: optional(&raw, "return_no"),
            order_id: optional(&raw, "order_id"),
            out_order_no: optional(&raw, "out_order_no"),
            return_account: required(&raw, "return_account")?.to_owned(),
            return_amount,
            finish_time: optional(&raw, "finish_time"),
            raw,
        })
    }
}

/// The share of its sub-merchants' orders a service provider may take
/// (`pay/profitsharingmerchantratioquery`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MaxRatio {
    /// In ten-thousandths: 2000 is 20 %.
    pub max_ratio: u64,
}

/// Asks the provider's maximum sharing ratio for the sub-merchant this
/// merchant calls for, or for a brand (`brand_mch_id`); no `appid`.
pub fn sign_ratio_query(
    merchant: &Merchant,
    brand_mch_id: Option<&str>,
    clock: &dyn Clock,
) -> Result<SignedRequest> {
    let mut f = Params::new();
    match (merchant.sub_merchant(), brand_mch_id) {
        (Some(_), None) => {}
        (None, Some(brand)) => {
            validate::merchant_no("brand_mch_id", brand, 1, 32, b"")?;
            f.insert("brand_mch_id".into(), brand.to_owned());
        }
        _ => {
            return Err(Error::invalid(
                "brand_mch_id",
                "the ratio query is a service provider's, for exactly one of a sub-merchant (sub_mch_id) and a brand (brand_mch_id)",
            ))
        }
    }
    sign(merchant, f, clock, Envelope::NO_APPIDS)
}

/// The ratio of a verified ratio-query reply, which must name the
/// sub-merchant or brand asked about.
pub fn parse_ratio(
    merchant: &Merchant,
    brand_mch_id: Option<&str>,
    body: &[u8],
) -> Result<MaxRatio> {
    check_error_code(body)?;
    let raw = merchant.check_reply_signed(body, SignType::HmacSha256)?;
    if raw.contains_key("result_code") {
        check_result_code(&raw)?;
    }
    if let Some(brand) = brand_mch_id {
        echoed(&raw, "brand_mch_id", brand)?;
    }
    let v = required(&raw, "max_ratio")?;
    match v.parse::<u64>() {
        Ok(n) if n <= 10_000 && v.bytes().all(|b| b.is_ascii_digit()) => {
            Ok(MaxRatio { max_ratio: n })
        }
        _ => Err(Error::bad_reply(format!(
            "max_ratio is {:?}, not ten-thousandths between 0 and 10000",
            crate::message::truncate_for_message(v)
        ))),
    }
}
