//! Notifications WeChat POSTs to the shop: payment results (verified by
//! signature) and refund results (authenticated by decryption), and the
//! exact replies WeChat expects.
//!
//! A verified payment notification is a claim, not proof: check the amount
//! against your own order ([`PaymentNotify::check_amount`]) and confirm with
//! orderquery before you ship.

use aes::cipher::{generic_array::GenericArray, BlockDecrypt, BlockEncrypt, KeyInit};
use aes::Aes256;
use base64::Engine;
use md5::{Digest, Md5};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, SignatureReason};
use crate::field_formats;
use crate::merchant::Merchant;
use crate::params::Params;
use crate::payment_result::PaymentResult;
use crate::reply_fields::{check_return_code, optional, required, required_fen};
use crate::sign::{self, ApiKey, SignType};
use crate::xml::{self, XmlLimits};

/// The reply that stops WeChat from sending a notification again.
///
/// ```
/// assert_eq!(wxpay::notify_ack(),
///     "<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>");
/// ```
pub fn notify_ack() -> &'static str {
    "<xml><return_code><![CDATA[SUCCESS]]></return_code><return_msg><![CDATA[OK]]></return_msg></xml>"
}

/// A reply that makes WeChat send the notification again later.
///
/// ```
/// let body = wxpay::notify_fail("amount mismatch");
/// assert_eq!(wxpay::from_xml(body.as_bytes()).unwrap()["return_code"], "FAIL");
/// ```
pub fn notify_fail(message: &str) -> String {
    let mut p = Params::new();
    p.insert("return_code".into(), "FAIL".into());
    // Only characters XML can carry; the message is for logs on WeChat's side.
    let clean: String = message
        .chars()
        .filter(|c| !c.is_control() || *c == '\t')
        .take(128)
        .collect();
    p.insert("return_msg".into(), clean);
    xml::to_xml(&p).unwrap_or_else(|_| {
        "<xml><return_code>FAIL</return_code><return_msg>FAIL</return_msg></xml>".to_owned()
    })
}

/// A verified payment notification.
///
/// Bindings hand it to the host language as an object and take it back for
/// [`crate::Client::confirm_payment`], hence `Deserialize`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentNotify {
    /// `result_code == "SUCCESS"`: WeChat says the user paid.
    pub paid: bool,
    /// `result_code`: `SUCCESS` means the user paid.
    pub result_code: String,
    /// When `result_code=FAIL`.
    pub err_code: Option<String>,
    /// When `result_code=FAIL`.
    pub err_code_des: Option<String>,
    /// The payment's fields (read through `Deref`: `notify.total_fee`).
    #[serde(flatten)]
    pub payment: PaymentResult,
    /// Every verified field, including ones wxpay does not model.
    pub raw: Params,
}

crate::payment_result::derefs_to_payment!(PaymentNotify);

impl PaymentNotify {
    /// Whether WeChat says the order was paid.
    pub fn is_paid(&self) -> bool {
        self.paid && self.result_code == "SUCCESS"
    }

    /// The notification must be a payment of exactly `expected_total_fee`
    /// fen in CNY, as recorded in the shop's own order.
    ///
    /// ```
    /// # use wxpay::*;
    /// # let key = "192006250b4c09247ec02edce69f6a2d";
    /// # let m = Merchant::new("wxd930ea5d5a258f4f", "10000100", key, SignType::Md5).unwrap();
    /// # let mut p = Params::from([("return_code".into(), "SUCCESS".into()),
    /// #   ("result_code".into(), "SUCCESS".into()), ("appid".into(), "wxd930ea5d5a258f4f".into()),
    /// #   ("mch_id".into(), "10000100".into()), ("out_trade_no".into(), "order-0001".into()),
    /// #   ("transaction_id".into(), "4200000001".into()), ("total_fee".into(), "990".into())]);
    /// # let s = sign(&p, &ApiKey::new(key).unwrap(), SignType::Md5).unwrap();
    /// # p.insert("sign".into(), s);
    /// # let body = to_xml(&p).unwrap();
    /// let notify = PaymentNotify::verify(&m, body.as_bytes()).unwrap();
    /// assert!(notify.check_amount(990).is_ok());
    /// assert_eq!(notify.check_amount(1).unwrap_err().kind(), ErrorKind::Mismatch);
    /// ```
    pub fn check_amount(&self, expected_total_fee: u64) -> Result<()> {
        if !self.is_paid() {
            return Err(Error::mismatch(
                "result_code",
                "SUCCESS",
                self.result_code.as_str(),
            ));
        }
        if self.fee_type != "CNY" {
            return Err(Error::mismatch("fee_type", "CNY", self.fee_type.as_str()));
        }
        match self.total_fee {
            Some(fee) if fee == expected_total_fee => Ok(()),
            Some(fee) => Err(Error::mismatch(
                "total_fee",
                expected_total_fee.to_string(),
                fee.to_string(),
            )),
            None => Err(Error::mismatch(
                "total_fee",
                expected_total_fee.to_string(),
                "nothing",
            )),
        }
    }

    /// Verifies a payment notification body with the merchant's sign type.
    ///
    /// Checks, in order: hardened XML; `return_code=SUCCESS`; the signature
    /// over every received field (a `sign_type` field must equal the pinned
    /// type); `appid` and `mch_id` are this merchant's; and, when
    /// `result_code=SUCCESS`, that `out_trade_no`, `transaction_id` and a
    /// strict integer `total_fee` are present. A `result_code=FAIL`
    /// notification is returned (authentic, not paid) rather than refused,
    /// so the handler can acknowledge it.
    pub fn verify(merchant: &Merchant, body: &[u8]) -> Result<Self> {
        Self::verify_with(merchant, body, merchant.sign_type(), &XmlLimits::default())
    }

    /// [`PaymentNotify::verify`] with the sign type the order was placed with
    /// and explicit XML limits.
    pub fn verify_with(
        merchant: &Merchant,
        body: &[u8],
        sign_type: SignType,
        limits: &XmlLimits,
    ) -> Result<Self> {
        let raw = xml::from_xml_with(body, limits)?;
        check_return_code(&raw)?;
        sign::verify(&raw, merchant.api_key(), sign_type)?;
        field_formats::check(
            &raw,
            field_formats::PAYMENT_RESULT,
            field_formats::PAYMENT_RESULT_TEXT,
        )?;
        merchant.check_identity(&raw)?;
        for name in ["appid", "mch_id"] {
            required(&raw, name)?;
        }
        let result_code = required(&raw, "result_code")?.to_owned();
        let paid = match result_code.as_str() {
            "SUCCESS" => true,
            "FAIL" => false,
            other => {
                return Err(Error::bad_reply(format!(
                    "result_code is {:?}",
                    crate::message::truncate_for_message(other)
                )))
            }
        };
        let payment = PaymentResult::read(&raw)?;
        if paid {
            // A payment names its transaction and amount.
            required(&raw, "transaction_id")?;
            required_fen(&raw, "total_fee")?;
        }
        Ok(PaymentNotify {
            paid,
            result_code,
            err_code: optional(&raw, "err_code"),
            err_code_des: optional(&raw, "err_code_des"),
            payment,
            raw,
        })
    }

    /// The sub-merchant a service provider's notification is about, to
    /// confirm it with orderquery as that sub-merchant (the client's job).
    #[cfg(feature = "client")]
    pub(crate) fn sub_merchant(&self) -> Result<Option<crate::merchant::SubMerchant>> {
        self.sub_mch_id
            .as_deref()
            .map(|id| crate::merchant::SubMerchant::new(id, self.sub_appid.as_deref()))
            .transpose()
    }
}

/// A decrypted refund notification.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefundNotify {
    /// WeChat's order number.
    pub transaction_id: String,
    /// The merchant's order number.
    pub out_trade_no: String,
    /// WeChat's refund number.
    pub refund_id: String,
    /// The merchant's refund number.
    pub out_refund_no: String,
    /// Order total in fen.
    pub total_fee: u64,
    /// Refund in fen.
    pub refund_fee: u64,
    /// `SUCCESS`, `CHANGE` or `REFUNDCLOSE`.
    pub refund_status: String,
    /// `yyyy-MM-dd HH:mm:ss`, when SUCCESS.
    pub success_time: Option<String>,
    /// The decrypted `<root>` fields.
    pub info: Params,
    /// The outer fields (`appid`, `mch_id`, `req_info`, …).
    pub raw: Params,
}

impl RefundNotify {
    /// Reads a refund notification: hardened XML, `return_code=SUCCESS`,
    /// this merchant's appid and mch_id, then `req_info` decrypted with the
    /// API key. Refund notifications carry no `sign`: a `req_info` that does
    /// not decrypt is refused as a `Signature` error.
    pub fn parse(merchant: &Merchant, body: &[u8]) -> Result<Self> {
        let raw = xml::from_xml(body)?;
        check_return_code(&raw)?;
        merchant.check_identity(&raw)?;
        let req_info = required(&raw, "req_info")?;
        let info = decrypt_req_info(req_info, merchant.api_key())?;
        let text = |name: &str| required(&info, name).map(str::to_owned);
        let refund_status = text("refund_status")?;
        if !matches!(refund_status.as_str(), "SUCCESS" | "CHANGE" | "REFUNDCLOSE") {
            return Err(Error::bad_reply(format!(
                "unknown refund_status {:?}",
                crate::message::truncate_for_message(&refund_status)
            )));
        }
        Ok(RefundNotify {
            transaction_id: text("transaction_id")?,
            out_trade_no: text("out_trade_no")?,
            refund_id: text("refund_id")?,
            out_refund_no: text("out_refund_no")?,
            total_fee: required_fen(&info, "total_fee")?,
            refund_fee: required_fen(&info, "refund_fee")?,
            refund_status,
            success_time: optional(&info, "success_time"),
            info,
            raw,
        })
    }
}

/// key* = lower-case hex MD5 of the API key, used as the 32-byte AES key.
fn req_info_cipher(key: &ApiKey) -> Aes256 {
    let digest = Md5::digest(key.expose().as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    Aes256::new(GenericArray::from_slice(hex.as_bytes()))
}

fn undecryptable(why: &str) -> Error {
    Error::signature(
        SignatureReason::Invalid,
        format!("req_info does not decrypt with this merchant's API key ({why})"),
    )
}

/// Decrypts a refund notification's `req_info` (base64 → AES-256-ECB with
/// PKCS#7 → `<root>` XML) into its fields.
///
/// ```
/// let key = wxpay::ApiKey::new("192006250b4c09247ec02edce69f6a2d").unwrap();
/// let info = wxpay::decrypt_req_info(
///     "bDP/xixH0hFEaZusu714U7rO4wZDF5SwkOt7MIFNUaladrdy0yQefoW3LYmmUmF3r7t23yZjibKV29fZKVgeUQ==", &key).unwrap();
/// assert_eq!(info["refund_status"], "SUCCESS");
/// ```
pub fn decrypt_req_info(req_info: &str, key: &ApiKey) -> Result<Params> {
    let data = base64::engine::general_purpose::STANDARD
        .decode(req_info.trim())
        .map_err(|_| undecryptable("not base64"))?;
    if data.is_empty() || data.len() % 16 != 0 {
        return Err(undecryptable("not a whole number of AES blocks"));
    }
    let cipher = req_info_cipher(key);
    let mut plain = data;
    for block in plain.chunks_exact_mut(16) {
        cipher.decrypt_block(GenericArray::from_mut_slice(block));
    }
    let pad = *plain.last().unwrap_or(&0) as usize;
    if pad == 0
        || pad > 16
        || plain[plain.len() - pad..]
            .iter()
            .any(|&b| b as usize != pad)
    {
        return Err(undecryptable("bad padding"));
    }
    plain.truncate(plain.len() - pad);
    xml::read_flat(&plain, "root", &XmlLimits::default())
        .map_err(|_| undecryptable("the plaintext is not a <root> document"))
}

/// Encrypts `<root>` fields as WeChat does for a refund notification's
/// `req_info` (used by the simulator and by tests).
pub fn encrypt_req_info(info: &Params, key: &ApiKey) -> Result<String> {
    let mut plain = xml::write_flat(info, "root")?.into_bytes();
    let pad = 16 - plain.len() % 16;
    plain.extend(std::iter::repeat_n(pad as u8, pad));
    let cipher = req_info_cipher(key);
    for block in plain.chunks_exact_mut(16) {
        cipher.encrypt_block(GenericArray::from_mut_slice(block));
    }
    Ok(base64::engine::general_purpose::STANDARD.encode(plain))
}
