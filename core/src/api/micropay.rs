//! `pay/micropay` and `secapi/pay/reverse` (docs/protocol.md §14): the shop
//! counter, where the cashier scans the customer's payment code.
//!
//! A micropay answer can leave the outcome open (`USERPAYING` while the
//! customer types the password, `SYSTEMERROR` or `BANKERROR`); the state
//! machine that settles it — query, then reverse — is
//! [`crate::Client::micropay`]. The types here only sign and read.

use std::net::IpAddr;

use serde::Serialize;

use crate::api::OrderRef;
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::field_formats;
use crate::merchant::{Merchant, SignedRequest, SubMerchant};
use crate::params::Params;
use crate::payment_result::PaymentResult;
use crate::reply_fields::{check_result_code, optional, required, required_fen};
use crate::sign::SignType;
use crate::validate;

/// The optional fields of `pay/micropay` that may be named directly.
pub const MICROPAY_OPTIONAL: &[&str] = &[
    "attach",
    "device_info",
    "goods_tag",
    "detail",
    "scene_info",
    "limit_pay",
];

/// A payment at the counter: charge `total_fee` fen to the customer whose
/// payment code (`auth_code`) the cashier scanned.
///
/// ```
/// let m = wxpay::Merchant::new("wxd930ea5d5a258f4f", "10000100",
///     "192006250b4c09247ec02edce69f6a2d", wxpay::SignType::Md5).unwrap();
/// let pay = wxpay::Micropay::new("Shop-Coffee", "counter-0001", 1800, "127.0.0.1", "134567890123450000");
/// let signed = pay.sign(&m, &wxpay::FixedClock::new(0, "nonce")).unwrap();
/// assert!(signed.xml.contains("<auth_code>134567890123450000</auth_code>"));
/// let bad = wxpay::Micropay::new("Shop-Coffee", "counter-0001", 1800, "127.0.0.1", "1234");
/// assert_eq!(bad.sign(&m, &wxpay::FixedClock::new(0, "n")).unwrap_err().field(), Some("auth_code"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Micropay {
    /// What is sold (`门店品牌名-城市分店名-商品名`), at most 127 bytes.
    pub body: String,
    /// A new number for every payment code scanned.
    pub out_trade_no: String,
    /// Fen.
    pub total_fee: u64,
    /// The IP address of the machine calling WeChat.
    pub spbill_create_ip: String,
    /// The scanned payment code: 18 digits starting 10-15.
    pub auth_code: String,
    /// Optional WeChat fields (`attach`, `device_info`, `goods_tag`, …).
    pub extra: Params,
}

impl Micropay {
    /// A payment with no optional fields.
    pub fn new(
        body: &str,
        out_trade_no: &str,
        total_fee: u64,
        spbill_create_ip: &str,
        auth_code: &str,
    ) -> Self {
        Micropay {
            body: body.into(),
            out_trade_no: out_trade_no.into(),
            total_fee,
            spbill_create_ip: spbill_create_ip.into(),
            auth_code: auth_code.into(),
            extra: Params::new(),
        }
    }

    /// Validates, adds the envelope and signs.
    pub fn sign(&self, merchant: &Merchant, clock: &dyn Clock) -> Result<SignedRequest> {
        validate::required("body", &self.body, 127)?;
        validate::merchant_no("out_trade_no", &self.out_trade_no, 6, 32, &[])?;
        validate::fee("total_fee", self.total_fee)?;
        if self.spbill_create_ip.parse::<IpAddr>().is_err() {
            return Err(Error::invalid(
                "spbill_create_ip",
                "must be an IPv4 or IPv6 address",
            ));
        }
        check_auth_code(&self.auth_code)?;
        let mut f = Params::new();
        for (name, value) in &self.extra {
            if !MICROPAY_OPTIONAL.contains(&name.as_str()) {
                return Err(Error::invalid(
                    name.as_str(),
                    "is not a field micropay takes",
                ));
            }
            validate::optional(name, value, if name == "detail" { 6000 } else { 256 })?;
            if !value.is_empty() {
                f.insert(name.clone(), value.clone());
            }
        }
        f.insert("body".into(), self.body.clone());
        f.insert("out_trade_no".into(), self.out_trade_no.clone());
        f.insert("total_fee".into(), self.total_fee.to_string());
        f.insert("spbill_create_ip".into(), self.spbill_create_ip.clone());
        f.insert("auth_code".into(), self.auth_code.clone());
        merchant.sign_request(f, clock)
    }
}

/// Which customer a payment code belongs to (`tools/authcodetoopenid`).
/// Afterwards only this merchant can charge that code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthCodeToOpenid {
    /// The scanned payment code.
    pub auth_code: String,
}

/// The 18 digits of a payment code, starting 10 to 15.
fn check_auth_code(code: &str) -> Result<()> {
    let b = code.as_bytes();
    if b.len() != 18
        || !b.iter().all(u8::is_ascii_digit)
        || b[0] != b'1'
        || !(b'0'..=b'5').contains(&b[1])
    {
        return Err(Error::invalid(
            "auth_code",
            "must be the 18 digits of a payment code, starting 10 to 15",
        ));
    }
    Ok(())
}

impl AuthCodeToOpenid {
    /// Validates, adds the envelope and signs.
    pub fn sign(&self, merchant: &Merchant, clock: &dyn Clock) -> Result<SignedRequest> {
        check_auth_code(&self.auth_code)?;
        let f = Params::from([("auth_code".to_string(), self.auth_code.clone())]);
        merchant.sign_request(f, clock)
    }

    /// The openid of a verified reply.
    pub fn parse(merchant: &Merchant, request: &SignedRequest, body: &[u8]) -> Result<String> {
        let raw = merchant.check_reply(body, request.sign_type)?;
        let openid = required(&raw, "openid")?;
        if openid.is_empty()
            || openid.len() > 128
            || !openid
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return Err(Error::bad_reply(
                "authcodetoopenid: the openid is not in WeChat's format",
            ));
        }
        Ok(openid.to_owned())
    }
}

/// A micropay answer that says the customer paid: this sale (see
/// [`MicropayReply::parse`]), so `transaction_id` and `total_fee` are
/// always there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MicropayReply {
    /// The payment's fields (read through `Deref`: `reply.total_fee`).
    #[serde(flatten)]
    pub payment: PaymentResult,
    /// Every verified field.
    pub raw: Params,
}

crate::payment_result::derefs_to_payment!(MicropayReply);

impl MicropayReply {
    /// Checks a reply to `pay`. `result_code=FAIL` is a `Business` error
    /// whose `err_code` says whether the outcome is open (`USERPAYING`,
    /// `SYSTEMERROR`, `BANKERROR`) or final; a SUCCESS about anything but
    /// exactly this sale is a `Mismatch` (see [`check_sale`]).
    pub fn parse(
        merchant: &Merchant,
        pay: &Micropay,
        request: &SignedRequest,
        body: &[u8],
    ) -> Result<Self> {
        Self::parse_with(merchant, pay, request.sign_type, body)
    }

    pub(crate) fn parse_with(
        merchant: &Merchant,
        pay: &Micropay,
        sign_type: SignType,
        body: &[u8],
    ) -> Result<Self> {
        let raw = merchant.check_reply(body, sign_type)?;
        // The same fields as a payment notification, held to the same formats.
        field_formats::check(
            &raw,
            field_formats::PAYMENT_RESULT,
            field_formats::PAYMENT_RESULT_TEXT,
        )?;
        check_sale(merchant, pay, &raw)?;
        Ok(MicropayReply {
            payment: PaymentResult::read(&raw)?,
            raw,
        })
    }
}

/// A counter sale WeChat holds as paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sale {
    pub transaction_id: String,
    pub total_fee: u64,
}

/// The one comparison every counter path settles "paid" with, whether the
/// answer is micropay's own reply or an orderquery after an open answer
/// (docs/security.md §8): the signed fields must name this merchant (and
/// sub-merchant), this `out_trade_no`, exactly the amount asked for in CNY,
/// trade type `MICROPAY`, a `transaction_id`, and — for an orderquery —
/// `trade_state=SUCCESS`. Anything else is a `Mismatch` naming the field.
pub(crate) fn check_sale(merchant: &Merchant, pay: &Micropay, raw: &Params) -> Result<Sale> {
    let same = |name: &str, ours: &str| -> Result<()> {
        let theirs = raw.get(name).map(String::as_str).unwrap_or("");
        if theirs == ours {
            Ok(())
        } else {
            Err(Error::mismatch(
                name,
                ours,
                crate::message::truncate_for_message(theirs),
            ))
        }
    };
    same("appid", merchant.appid())?;
    same("mch_id", merchant.mch_id())?;
    let sub = merchant.sub_merchant();
    same("sub_mch_id", sub.map(SubMerchant::sub_mch_id).unwrap_or(""))?;
    if let Some(ours) = sub.and_then(SubMerchant::sub_appid) {
        if raw.get("sub_appid").is_some_and(|a| !a.is_empty()) {
            same("sub_appid", ours)?;
        }
    }
    // An orderquery's: micropay's own reply says SUCCESS by result_code.
    if raw.contains_key("trade_state") {
        same("trade_state", "SUCCESS")?;
    }
    same("out_trade_no", &pay.out_trade_no)?;
    let total_fee = required_fen(raw, "total_fee")?;
    if total_fee != pay.total_fee {
        return Err(Error::mismatch(
            "total_fee",
            pay.total_fee.to_string(),
            total_fee.to_string(),
        ));
    }
    // micropay takes no fee_type, so the sale is in CNY.
    if let Some(fee_type) = optional(raw, "fee_type") {
        if fee_type != "CNY" {
            return Err(Error::mismatch(
                "fee_type",
                "CNY",
                crate::message::truncate_for_message(&fee_type),
            ));
        }
    }
    same("trade_type", "MICROPAY")?;
    Ok(Sale {
        transaction_id: required(raw, "transaction_id")?.to_owned(),
        total_fee,
    })
}

/// Reverses a counter payment (`secapi/pay/reverse`, with the merchant
/// certificate): an unpaid order is closed for good, a paid one refunded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reverse {
    /// The order to reverse.
    pub order: OrderRef,
}

impl Reverse {
    /// Validates, adds the envelope and signs.
    pub fn sign(&self, merchant: &Merchant, clock: &dyn Clock) -> Result<SignedRequest> {
        let mut f = Params::new();
        self.order.insert_into(&mut f)?;
        merchant.sign_request(f, clock)
    }
}

/// What a reverse answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReverseAnswer {
    /// Reversed.
    Done,
    /// WeChat asks to call reverse again (`recall=Y`).
    Recall,
}

impl ReverseAnswer {
    /// Checks a reverse reply: `recall=Y` (whatever the result) means call
    /// again; a failure without it is the `Business` error. Only a signed
    /// `result_code=SUCCESS` from this merchant (and sub-merchant) without
    /// `recall=Y` is a confirmed reversal.
    pub fn parse(merchant: &Merchant, request: &SignedRequest, body: &[u8]) -> Result<Self> {
        Self::parse_with(merchant, request.sign_type, body)
    }

    pub(crate) fn parse_with(
        merchant: &Merchant,
        sign_type: SignType,
        body: &[u8],
    ) -> Result<Self> {
        let raw = merchant.check_reply_signed(body, sign_type)?;
        if raw.get("recall").map(String::as_str) == Some("Y") {
            return Ok(ReverseAnswer::Recall);
        }
        check_result_code(&raw)?;
        Ok(ReverseAnswer::Done)
    }
}
