//! Profit sharing (分账, docs/protocol.md §17): part of a paid order's money
//! goes to receivers the merchant registered. The order must have been
//! placed with `profit_sharing=Y`.
//!
//! Every request is signed HMAC-SHA256 whatever the merchant's default
//! (WeChat takes nothing else here), and each carries exactly the envelope
//! its request table lists: the query and the order-amount query have no
//! `appid` or `sub_appid`, the finish no `sub_appid`. `receiver` and
//! `receivers` are JSON text inside one XML field, signed as the text that
//! is sent. Returns and the provider's ratio query are
//! `profit_sharing_return`'s.

use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::merchant::{Envelope, Merchant, SignedRequest};
use crate::params::Params;
use crate::reply_fields::{echoed, required};
use crate::sign::SignType;
use crate::validate;

/// Who a receiver is, by WeChat's `type`.
const RECEIVER_TYPES: &[&str] = &["MERCHANT_ID", "PERSONAL_OPENID", "PERSONAL_SUB_OPENID"];

/// The relations WeChat knows between a merchant and a receiver.
const RELATIONS: &[&str] = &[
    "SERVICE_PROVIDER",
    "STORE",
    "STAFF",
    "STORE_OWNER",
    "PARTNER",
    "HEADQUARTER",
    "BRAND",
    "DISTRIBUTOR",
    "USER",
    "SUPPLIER",
    "CUSTOM",
];

/// At most this many receivers in one sharing.
pub const MAX_RECEIVERS: usize = 50;

fn check_type(kind: &str) -> Result<()> {
    if !RECEIVER_TYPES.contains(&kind) {
        return Err(Error::invalid(
            "type",
            "must be MERCHANT_ID, PERSONAL_OPENID or PERSONAL_SUB_OPENID",
        ));
    }
    Ok(())
}

pub(super) fn check_account(account: &str) -> Result<()> {
    validate::required("account", account, 64)?;
    if !account
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err(Error::invalid(
            "account",
            "must be a merchant number or an openid",
        ));
    }
    Ok(())
}

pub(super) fn check_description(description: &str) -> Result<()> {
    if description.trim().is_empty() || description.chars().count() > 80 {
        return Err(Error::invalid("description", "must be 1-80 characters"));
    }
    validate::optional("description", description, 240)
}

/// A receiver to register or remove (`receiver`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Receiver {
    /// `MERCHANT_ID`, `PERSONAL_OPENID` or `PERSONAL_SUB_OPENID`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The merchant number or the openid.
    pub account: String,
    /// The merchant's full name (required for `MERCHANT_ID`, checked by
    /// WeChat), or a person's real name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// How the receiver relates to the merchant (`STORE`, `PARTNER`, …,
    /// `CUSTOM`); needed to add, not to remove.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relation_type: Option<String>,
    /// The relation in words, with `CUSTOM` (at most 10 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub custom_relation: Option<String>,
}

impl Receiver {
    fn check(&self, adding: bool) -> Result<()> {
        check_type(&self.kind)?;
        check_account(&self.account)?;
        if let Some(name) = &self.name {
            validate::required("name", name, 1024)?;
        } else if adding && self.kind == "MERCHANT_ID" {
            return Err(Error::invalid(
                "name",
                "is required for a MERCHANT_ID receiver: the merchant's full name",
            ));
        }
        if !adding {
            return Ok(());
        }
        let relation = self.relation_type.as_deref().unwrap_or("");
        if !RELATIONS.contains(&relation) {
            return Err(Error::invalid(
                "relation_type",
                "must be one of SERVICE_PROVIDER, STORE, STAFF, STORE_OWNER, PARTNER, HEADQUARTER, BRAND, DISTRIBUTOR, USER, SUPPLIER, CUSTOM",
            ));
        }
        match (&self.custom_relation, relation == "CUSTOM") {
            (Some(c), true) if !c.trim().is_empty() && c.chars().count() <= 10 => Ok(()),
            (_, true) => Err(Error::invalid(
                "custom_relation",
                "is required with CUSTOM: 1-10 characters",
            )),
            (Some(_), false) => Err(Error::invalid(
                "custom_relation",
                "is only for relation_type CUSTOM",
            )),
            (None, false) => Ok(()),
        }
    }
}

/// One receiver's part of a sharing (`receivers`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Share {
    /// `MERCHANT_ID`, `PERSONAL_OPENID` or `PERSONAL_SUB_OPENID`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The merchant number or the openid.
    pub account: String,
    /// In fen.
    #[serde(deserialize_with = "crate::requests::deserialize_fen")]
    pub amount: u64,
    /// Shown in the receiver's statement (1-80 characters).
    pub description: String,
}

/// Registers (`add`) or removes a receiver
/// (`pay/profitsharingaddreceiver`, `pay/profitsharingremovereceiver`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiverChange {
    /// Whom.
    pub receiver: Receiver,
    /// True to register, false to remove.
    pub add: bool,
}

impl ReceiverChange {
    /// The API path.
    pub fn path(&self) -> &'static str {
        if self.add {
            "/pay/profitsharingaddreceiver"
        } else {
            "/pay/profitsharingremovereceiver"
        }
    }

    /// Validates, adds the envelope and signs (HMAC-SHA256).
    pub fn sign(&self, merchant: &Merchant, clock: &dyn Clock) -> Result<SignedRequest> {
        self.receiver.check(self.add)?;
        let receiver = if self.add {
            self.receiver.clone()
        } else {
            // WeChat's remove takes the type and the account only.
            Receiver {
                name: None,
                relation_type: None,
                custom_relation: None,
                ..self.receiver.clone()
            }
        };
        let json = to_json(&receiver)?;
        validate::required("receiver", &json, 2048)?;
        let f = Params::from([("receiver".to_string(), json)]);
        sign(merchant, f, clock, Envelope::FULL)
    }

    /// Checks the verified reply echoes the receiver.
    pub fn parse(&self, merchant: &Merchant, body: &[u8]) -> Result<()> {
        let raw = merchant.check_reply(body, SignType::HmacSha256)?;
        if let Some(echo) = raw.get("receiver").filter(|e| !e.is_empty()) {
            let echo: serde_json::Value = serde_json::from_str(echo)
                .map_err(|_| Error::bad_reply("the receiver echoed is not JSON"))?;
            let same = echo.get("type").and_then(|v| v.as_str())
                == Some(self.receiver.kind.as_str())
                && echo.get("account").and_then(|v| v.as_str())
                    == Some(self.receiver.account.as_str());
            if !same {
                return Err(Error::mismatch(
                    "receiver",
                    self.receiver.account.as_str(),
                    "another receiver",
                ));
            }
        }
        Ok(())
    }
}

/// Signs a profit-sharing request: HMAC-SHA256 always, with `envelope`.
pub(super) fn sign(
    merchant: &Merchant,
    f: Params,
    clock: &dyn Clock,
    envelope: Envelope,
) -> Result<SignedRequest> {
    merchant
        .with_sign_type(SignType::HmacSha256)
        .sign_request_with(f, clock, envelope)
}

fn to_json<T: Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::internal(format!("cannot write JSON: {e}")))
}

pub(super) fn check_out_order_no(field: &str, no: &str) -> Result<()> {
    validate::merchant_no(field, no, 1, 64, b"@")
}

/// Shares a paid order's money (`secapi/pay/profitsharing`, or
/// `multiprofitsharing` with `multi`; the client certificate). A single
/// sharing also releases the rest to the merchant: nothing more can be
/// shared from that order; a multiple one leaves it open until `finish`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfitSharing {
    /// WeChat's number of the paid order.
    pub transaction_id: String,
    /// The merchant's number of this sharing (unique; the same number is
    /// the same request, safe to send again).
    pub out_order_no: String,
    /// Who gets what.
    pub receivers: Vec<Share>,
    /// Whether more sharings of the order will follow.
    pub multi: bool,
}

impl ProfitSharing {
    /// The API path.
    pub fn path(&self) -> &'static str {
        if self.multi {
            "/secapi/pay/multiprofitsharing"
        } else {
            "/secapi/pay/profitsharing"
        }
    }

    /// Validates, adds the envelope and signs (HMAC-SHA256).
    pub fn sign(&self, merchant: &Merchant, clock: &dyn Clock) -> Result<SignedRequest> {
        super::transaction_id("transaction_id", &self.transaction_id)?;
        check_out_order_no("out_order_no", &self.out_order_no)?;
        if self.receivers.is_empty() || self.receivers.len() > MAX_RECEIVERS {
            return Err(Error::invalid("receivers", "must list 1 to 50 receivers"));
        }
        let mut total: u64 = 0;
        for share in &self.receivers {
            check_type(&share.kind)?;
            check_account(&share.account)?;
            validate::fee("amount", share.amount)?;
            check_description(&share.description)?;
            total = total.saturating_add(share.amount);
        }
        validate::fee("amount", total)?;
        let json = to_json(&self.receivers)?;
        validate::required("receivers", &json, 10240)?;
        let f = Params::from([
            ("transaction_id".to_string(), self.transaction_id.clone()),
            ("out_order_no".to_string(), self.out_order_no.clone()),
            ("receivers".to_string(), json),
        ]);
        sign(merchant, f, clock, Envelope::FULL)
    }
}

/// Ends an order's sharing: what is left goes to the merchant
/// (`secapi/pay/profitsharingfinish`, the client certificate).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfitSharingFinish {
    /// WeChat's number of the paid order.
    pub transaction_id: String,
    /// A new number of the merchant's for this finish.
    pub out_order_no: String,
    /// Why (1-80 characters).
    pub description: String,
}

impl ProfitSharingFinish {
    /// Validates, adds the envelope (no `sub_appid`) and signs.
    pub fn sign(&self, merchant: &Merchant, clock: &dyn Clock) -> Result<SignedRequest> {
        super::transaction_id("transaction_id", &self.transaction_id)?;
        check_out_order_no("out_order_no", &self.out_order_no)?;
        check_description(&self.description)?;
        let f = Params::from([
            ("transaction_id".to_string(), self.transaction_id.clone()),
            ("out_order_no".to_string(), self.out_order_no.clone()),
            ("description".to_string(), self.description.clone()),
        ]);
        sign(merchant, f, clock, Envelope::NO_SUB_APPID)
    }
}

/// One receiver's part of a sharing as WeChat reports it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShareResult {
    /// `MERCHANT_ID`, `PERSONAL_OPENID` or `PERSONAL_SUB_OPENID`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The merchant number or the openid.
    pub account: String,
    /// In fen.
    pub amount: u64,
    /// As the sharing described it.
    #[serde(default)]
    pub description: Option<String>,
    /// `PENDING`, `SUCCESS` or `CLOSED`.
    #[serde(default)]
    pub result: Option<String>,
    /// Why it closed (`ACCOUNT_ABNORMAL`, `NO_RELATION`, …).
    #[serde(default)]
    pub fail_reason: Option<String>,
    /// WeChat's number of this part.
    #[serde(default)]
    pub detail_id: Option<String>,
    /// When it ended.
    #[serde(default)]
    pub finish_time: Option<String>,
}

/// What WeChat says of a sharing: `status` `PROCESSING` or `FINISHED`,
/// each receiver's `result` (`PENDING`, `SUCCESS`, `CLOSED`).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProfitSharingState {
    /// WeChat's number of the paid order.
    pub transaction_id: String,
    /// The merchant's number of the sharing.
    pub out_order_no: String,
    /// WeChat's number of the sharing.
    pub order_id: String,
    /// `PROCESSING` or `FINISHED` (accepted only, for the reply to a
    /// sharing request: its outcome is for the query).
    pub status: Option<String>,
    /// Why it closed, when it did (`NO_AUTH`).
    pub close_reason: Option<String>,
    /// Each receiver's part and result, as WeChat lists them.
    pub receivers: Vec<ShareResult>,
    /// Every verified field.
    pub raw: Params,
}

impl ProfitSharingState {
    /// Checks a verified reply about the sharing `out_order_no` of
    /// `transaction_id`.
    pub fn parse(
        merchant: &Merchant,
        transaction_id: &str,
        out_order_no: &str,
        body: &[u8],
    ) -> Result<Self> {
        let raw = merchant.check_reply(body, SignType::HmacSha256)?;
        echoed(&raw, "transaction_id", transaction_id)?;
        echoed(&raw, "out_order_no", out_order_no)?;
        let receivers = match raw.get("receivers").filter(|r| !r.is_empty()) {
            None => Vec::new(),
            Some(text) => serde_json::from_str(text)
                .map_err(|_| Error::bad_reply("receivers is not a JSON list of objects"))?,
        };
        let text = |k: &str| raw.get(k).filter(|v| !v.is_empty()).cloned();
        Ok(ProfitSharingState {
            transaction_id: transaction_id.to_owned(),
            out_order_no: out_order_no.to_owned(),
            order_id: required(&raw, "order_id")?.to_owned(),
            status: text("status"),
            close_reason: text("close_reason"),
            receivers,
            raw,
        })
    }
}

/// Asks how a sharing (or a finish) went (`pay/profitsharingquery`; no
/// `appid` or `sub_appid`).
pub fn sign_query(
    merchant: &Merchant,
    transaction_id: &str,
    out_order_no: &str,
    clock: &dyn Clock,
) -> Result<SignedRequest> {
    super::transaction_id("transaction_id", transaction_id)?;
    check_out_order_no("out_order_no", out_order_no)?;
    let f = Params::from([
        ("transaction_id".to_string(), transaction_id.to_owned()),
        ("out_order_no".to_string(), out_order_no.to_owned()),
    ]);
    sign(merchant, f, clock, Envelope::NO_APPIDS)
}

/// Asks what of an order is still unshared
/// (`pay/profitsharingorderamountquery`; no `appid` or `sub_appid`).
pub fn sign_amount_query(
    merchant: &Merchant,
    transaction_id: &str,
    clock: &dyn Clock,
) -> Result<SignedRequest> {
    super::transaction_id("transaction_id", transaction_id)?;
    let f = Params::from([("transaction_id".to_string(), transaction_id.to_owned())]);
    sign(merchant, f, clock, Envelope::NO_APPIDS)
}

/// What of a paid order is still unshared.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct UnsplitAmount {
    /// In fen: 0 once everything was shared or released.
    pub unsplit_amount: u64,
}

/// The unshared amount in fen of a verified order-amount reply.
pub fn parse_amount(merchant: &Merchant, transaction_id: &str, body: &[u8]) -> Result<u64> {
    let raw = merchant.check_reply(body, SignType::HmacSha256)?;
    echoed(&raw, "transaction_id", transaction_id)?;
    let amount = required(&raw, "unsplit_amount")?;
    // Zero is an answer here (all shared or released); no sign, no leading zero.
    match amount.parse::<u64>() {
        Ok(n)
            if amount.bytes().all(|b| b.is_ascii_digit())
                && (amount == "0" || !amount.starts_with('0')) =>
        {
            Ok(n)
        }
        _ => Err(Error::bad_reply(format!(
            "unsplit_amount is {:?}, not an amount in fen",
            crate::message::truncate_for_message(amount)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::merchant::SubMerchant;

    const KEY: &str = "192006250b4c09247ec02edce69f6a2d";

    #[test]
    fn the_official_sharing_vector_signs_the_receivers_text_as_sent() {
        let sp = Merchant::new("wx8888888888888888", "1900000100", KEY, SignType::Md5)
            .unwrap()
            .for_sub_merchant(SubMerchant::new("1900000109", None).unwrap());
        let sharing = ProfitSharing {
            transaction_id: "4208450740201411110007820472".into(),
            out_order_no: "P20150806125346".into(),
            receivers: vec![Share {
                kind: "MERCHANT_ID".into(),
                account: "190001001".into(),
                amount: 100,
                description: "分到商户".into(),
            }],
            multi: false,
        };
        let req = sharing
            .sign(&sp, &FixedClock::new(0, "5K8264ILTKCH16CQ2502SI8ZNMTM67VS"))
            .unwrap();
        assert_eq!(
            req.fields["receivers"],
            r#"[{"type":"MERCHANT_ID","account":"190001001","amount":100,"description":"分到商户"}]"#
        );
        assert_eq!(req.fields["sign_type"], "HMAC-SHA256");
        assert_eq!(
            req.fields["sign"],
            "06D8837590D0FB2E52D39FDC7AFEAB9DFE143ACD83D5DE58AB01343189341A2D"
        );
    }

    #[test]
    fn the_query_carries_no_appid_and_the_finish_no_sub_appid() {
        let sp = Merchant::new("wx8888888888888888", "1900000100", KEY, SignType::Md5)
            .unwrap()
            .for_sub_merchant(SubMerchant::new("1900000109", Some("wx1111111111111111")).unwrap());
        let clock = FixedClock::new(0, "n");
        let q = sign_query(&sp, "4208450740201411110007820472", "P1", &clock).unwrap();
        assert!(!q.fields.contains_key("appid") && !q.fields.contains_key("sub_appid"));
        assert_eq!(q.fields["sub_mch_id"], "1900000109");
        let a = sign_amount_query(&sp, "4208450740201411110007820472", &clock).unwrap();
        assert!(!a.fields.contains_key("appid") && !a.fields.contains_key("sub_appid"));
        let f = ProfitSharingFinish {
            transaction_id: "4208450740201411110007820472".into(),
            out_order_no: "F1".into(),
            description: "分账完结".into(),
        }
        .sign(&sp, &clock)
        .unwrap();
        assert_eq!(f.fields["appid"], "wx8888888888888888");
        assert!(!f.fields.contains_key("sub_appid"));
        assert_eq!(f.sign_type, SignType::HmacSha256);
    }

    #[test]
    fn receivers_and_shares_are_checked_before_anything_is_sent() {
        let m = Merchant::new("wx8888888888888888", "1900000100", KEY, SignType::Md5).unwrap();
        let clock = FixedClock::new(0, "n");
        let merchant_receiver = Receiver {
            kind: "MERCHANT_ID".into(),
            account: "190001001".into(),
            name: None,
            relation_type: Some("PARTNER".into()),
            custom_relation: None,
        };
        let add = |r: Receiver| {
            ReceiverChange {
                receiver: r,
                add: true,
            }
            .sign(&m, &clock)
        };
        assert!(
            add(merchant_receiver.clone()).is_err(),
            "a merchant needs its name"
        );
        let named = Receiver {
            name: Some("示例商户全称".into()),
            ..merchant_receiver.clone()
        };
        assert!(add(named.clone()).is_ok());
        assert!(add(Receiver {
            relation_type: Some("CUSTOM".into()),
            ..named.clone()
        })
        .is_err());
        assert!(add(Receiver {
            kind: "PERSONAL_WECHATID".into(),
            ..named.clone()
        })
        .is_err());
        let removed = ReceiverChange {
            receiver: named,
            add: false,
        }
        .sign(&m, &clock)
        .unwrap();
        assert_eq!(
            removed.fields["receiver"],
            r#"{"type":"MERCHANT_ID","account":"190001001"}"#
        );
        let share = |amount: u64, description: &str| {
            ProfitSharing {
                transaction_id: "4208450740201411110007820472".into(),
                out_order_no: "P1".into(),
                receivers: vec![Share {
                    kind: "PERSONAL_OPENID".into(),
                    account: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o".into(),
                    amount,
                    description: description.into(),
                }],
                multi: true,
            }
            .sign(&m, &clock)
        };
        assert!(share(0, "x").is_err());
        assert!(share(10, " ").is_err());
        assert!(share(10, &"长".repeat(81)).is_err());
        let ok = share(10, "佣金").unwrap();
        assert_eq!(ok.sign_type, SignType::HmacSha256);
    }
}
