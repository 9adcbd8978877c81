//! API v3 orders (docs/protocol.md §19.9): the JSAPI prepay request as the
//! JSON WeChat takes, and an order as WeChat describes it (a query answer
//! or a payment notification's resource) checked against the order the
//! shop asked about before anything in it is believed.

use serde::Serialize;
use serde_json::Value;

use crate::api::order_query::TradeState;
use crate::error::{Error, Result};
use crate::validate;

use super::json_fields::{cny, echoed, merchant_number, text};

/// Which prepay: the kind of order and who pays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrepayKind {
    /// In WeChat's browser or a mini-program: the payer's openid.
    Jsapi {
        /// The payer's openid under the order's appid.
        openid: String,
    },
    /// In an app (the open platform's appid).
    App,
    /// A QR code the payer scans (`code_url` comes back).
    Native,
    /// In a phone browser outside WeChat (`h5_url` comes back).
    H5 {
        /// The payer's IP address.
        payer_client_ip: String,
        /// `iOS`, `Android` or `Wap`.
        h5_type: String,
    },
}

/// A service provider's order: the sub-merchant it is for (API v3's
/// partner calls, `/v3/pay/partner/…`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubMerchantV3 {
    /// The sub-merchant's number.
    pub sub_mchid: String,
    /// The sub-merchant's appid, when the payer is named under it: the
    /// order's openid is then a `sub_openid`, and its pay params carry
    /// this appid. `None`: the payer is named under the provider's appid.
    pub sub_appid: Option<String>,
}

/// An order to place: `POST /v3/pay/transactions/{jsapi,app,native,h5}`,
/// or for a service provider `POST /v3/pay/partner/transactions/…`.
/// Optional fields are left out when not given (WeChat refuses `null`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepay {
    /// Which prepay.
    pub kind: PrepayKind,
    /// The appid the order belongs to.
    pub appid: String,
    /// The merchant number.
    pub mchid: String,
    /// What is bought (at most 127 characters).
    pub description: String,
    /// The shop's order number (6-32 of `[0-9A-Za-z_-|*]`).
    pub out_trade_no: String,
    /// Where WeChat notifies the payment (https, no query string).
    pub notify_url: String,
    /// The amount in fen.
    pub total: u64,
    /// Handed back in the notification (at most 128 characters).
    pub attach: Option<String>,
    /// Until when the order can be paid (RFC 3339).
    pub time_expire: Option<String>,
    /// A service provider's order: the sub-merchant it is for. `appid` and
    /// `mchid` are then the provider's (`sp_appid`, `sp_mchid`).
    pub sub: Option<SubMerchantV3>,
}

impl Prepay {
    /// The path to POST to.
    pub fn path(&self) -> &'static str {
        match (&self.kind, self.sub.is_some()) {
            (PrepayKind::Jsapi { .. }, false) => "/v3/pay/transactions/jsapi",
            (PrepayKind::App, false) => "/v3/pay/transactions/app",
            (PrepayKind::Native, false) => "/v3/pay/transactions/native",
            (PrepayKind::H5 { .. }, false) => "/v3/pay/transactions/h5",
            (PrepayKind::Jsapi { .. }, true) => "/v3/pay/partner/transactions/jsapi",
            (PrepayKind::App, true) => "/v3/pay/partner/transactions/app",
            (PrepayKind::Native, true) => "/v3/pay/partner/transactions/native",
            (PrepayKind::H5 { .. }, true) => "/v3/pay/partner/transactions/h5",
        }
    }

    /// Checks every field, then the JSON body exactly as it is to be sent
    /// and signed.
    ///
    /// ```
    /// use wxpay::v3::{Prepay, PrepayKind};
    /// let order = Prepay {
    ///     kind: PrepayKind::Jsapi { openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o".into() },
    ///     appid: "wxd930ea5d5a258f4f".into(), mchid: "1900009191".into(), description: "书店-图书".into(),
    ///     out_trade_no: "order-0001".into(), notify_url: "https://shop.example/notify".into(),
    ///     total: 990, attach: None, time_expire: None, sub: None,
    /// };
    /// assert_eq!(order.path(), "/v3/pay/transactions/jsapi");
    /// assert!(order.body()?.contains(r#""amount":{"total":990}"#));
    /// # Ok::<(), wxpay::Error>(())
    /// ```
    pub fn body(&self) -> Result<String> {
        validate::required("appid", &self.appid, 32)?;
        merchant_number("mchid", &self.mchid)?;
        if self.description.is_empty() || self.description.chars().count() > 127 {
            return Err(Error::invalid("description", "must be 1-127 characters"));
        }
        validate::text("description", &self.description)?;
        validate::merchant_no("out_trade_no", &self.out_trade_no, 6, 32, b"")?;
        super::json_fields::notify_url(&self.notify_url, 255)?;
        validate::fee("total", self.total)?;
        if let Some(attach) = &self.attach {
            if attach.chars().count() > 128 {
                return Err(Error::invalid("attach", "must be at most 128 characters"));
            }
            validate::text("attach", attach)?;
        }
        if let Some(t) = &self.time_expire {
            validate::required("time_expire", t, 64)?;
        }
        let (payer, scene_info) = match &self.kind {
            PrepayKind::Jsapi { openid } => {
                validate::required("openid", openid, 128)?;
                (Some(PayerBody { openid }), None)
            }
            PrepayKind::H5 {
                payer_client_ip,
                h5_type,
            } => {
                validate::required("payer_client_ip", payer_client_ip, 45)?;
                if !matches!(h5_type.as_str(), "iOS" | "Android" | "Wap") {
                    return Err(Error::invalid("h5_type", "must be iOS, Android or Wap"));
                }
                let h5_info = H5Body { kind: h5_type };
                (
                    None,
                    Some(SceneBody {
                        payer_client_ip,
                        h5_info,
                    }),
                )
            }
            PrepayKind::App | PrepayKind::Native => (None, None),
        };
        let order = OrderFields {
            description: &self.description,
            out_trade_no: &self.out_trade_no,
            notify_url: &self.notify_url,
            attach: self.attach.as_deref(),
            time_expire: self.time_expire.as_deref(),
            amount: AmountBody { total: self.total },
        };
        if let Some(sub) = &self.sub {
            merchant_number("sub_mchid", &sub.sub_mchid)?;
            if let Some(sub_appid) = &sub.sub_appid {
                validate::required("sub_appid", sub_appid, 32)?;
            }
            let (sp_openid, sub_openid) = match (payer, &sub.sub_appid) {
                (Some(p), Some(_)) => (None, Some(p.openid)),
                (Some(p), None) => (Some(p.openid), None),
                (None, _) => (None, None),
            };
            let body = PartnerBody {
                sp_appid: &self.appid,
                sp_mchid: &self.mchid,
                sub_appid: sub.sub_appid.as_deref(),
                sub_mchid: &sub.sub_mchid,
                order,
                payer: (sp_openid.is_some() || sub_openid.is_some()).then_some(PartnerPayer {
                    sp_openid,
                    sub_openid,
                }),
                scene_info,
            };
            return serde_json::to_string(&body)
                .map_err(|e| Error::internal(format!("cannot write the order: {e}")));
        }
        let body = PrepayBody {
            appid: &self.appid,
            mchid: &self.mchid,
            order,
            payer,
            scene_info,
        };
        serde_json::to_string(&body)
            .map_err(|e| Error::internal(format!("cannot write the order: {e}")))
    }
}

/// What a prepay answers: the one thing its kind of order needs next.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrepayAnswer {
    /// JSAPI and App: for the pay params (valid two hours).
    pub prepay_id: Option<String>,
    /// Native: the QR code's content.
    pub code_url: Option<String>,
    /// H5: the page to send the payer's browser to.
    pub h5_url: Option<String>,
}

impl Prepay {
    /// Reads WeChat's (verified) answer to this prepay: the `prepay_id`,
    /// `code_url` or `h5_url` its kind calls for, present and plain.
    ///
    /// ```
    /// use wxpay::v3::{Prepay, PrepayKind};
    /// let order = Prepay {
    ///     kind: PrepayKind::Native, appid: "wxd930ea5d5a258f4f".into(), mchid: "1900009191".into(),
    ///     description: "书店-图书".into(), out_trade_no: "order-0001".into(),
    ///     notify_url: "https://shop.example/notify".into(), total: 990, attach: None, time_expire: None,
    ///     sub: None,
    /// };
    /// let answer = order.answer(br#"{"code_url":"weixin://wxpay/bizpayurl?pr=abc"}"#)?;
    /// assert_eq!(answer.code_url.as_deref(), Some("weixin://wxpay/bizpayurl?pr=abc"));
    /// assert!(order.answer(br#"{"prepay_id":"wx1"}"#).is_err());
    /// # Ok::<(), wxpay::Error>(())
    /// ```
    pub fn answer(&self, body: &[u8]) -> Result<PrepayAnswer> {
        let value: Value = serde_json::from_slice(body)
            .map_err(|_| Error::bad_reply("the prepay answer is not JSON"))?;
        let field = match self.kind {
            PrepayKind::Jsapi { .. } | PrepayKind::App => "prepay_id",
            PrepayKind::Native => "code_url",
            PrepayKind::H5 { .. } => "h5_url",
        };
        let got = text(&value, field)
            .filter(|v| v.len() <= 512 && v.bytes().all(|b| b.is_ascii_graphic()))
            .ok_or_else(|| Error::bad_reply(format!("the prepay answer has no usable {field}")))?
            .to_owned();
        let mut answer = PrepayAnswer {
            prepay_id: None,
            code_url: None,
            h5_url: None,
        };
        *match field {
            "prepay_id" => &mut answer.prepay_id,
            "code_url" => &mut answer.code_url,
            _ => &mut answer.h5_url,
        } = Some(got);
        Ok(answer)
    }
}

/// The body as sent: fields in a fixed order, optional ones left out.
#[derive(Serialize)]
struct PrepayBody<'a> {
    appid: &'a str,
    mchid: &'a str,
    #[serde(flatten)]
    order: OrderFields<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payer: Option<PayerBody<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scene_info: Option<SceneBody<'a>>,
}

/// A service provider's order as sent.
#[derive(Serialize)]
struct PartnerBody<'a> {
    sp_appid: &'a str,
    sp_mchid: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    sub_appid: Option<&'a str>,
    sub_mchid: &'a str,
    #[serde(flatten)]
    order: OrderFields<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    payer: Option<PartnerPayer<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scene_info: Option<SceneBody<'a>>,
}

/// What every order says, direct or a provider's, in this order (the
/// payer and the H5 scene follow it).
#[derive(Serialize)]
struct OrderFields<'a> {
    description: &'a str,
    out_trade_no: &'a str,
    notify_url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    attach: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    time_expire: Option<&'a str>,
    amount: AmountBody,
}

#[derive(Serialize)]
struct PartnerPayer<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    sp_openid: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    sub_openid: Option<&'a str>,
}

#[derive(Serialize)]
struct AmountBody {
    total: u64,
}

#[derive(Serialize)]
struct PayerBody<'a> {
    openid: &'a str,
}

#[derive(Serialize)]
struct SceneBody<'a> {
    payer_client_ip: &'a str,
    h5_info: H5Body<'a>,
}

#[derive(Serialize)]
struct H5Body<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
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
    /// A service provider's order: the sub-merchant's number.
    pub sub_mchid: Option<String>,
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
    /// A service provider's order: the sub-merchant (`mchid` and `appid`
    /// are then the provider's `sp_mchid` and `sp_appid`).
    pub sub: Option<&'a SubMerchantV3>,
}

impl TransactionV3 {
    /// Reads an order (a verified query answer or a decrypted payment
    /// resource) and checks it is the one asked about: the merchant, the
    /// appid, the order number, CNY, and the amount when the shop gave it.
    pub fn check(value: Value, asked: &TransactionAsked<'_>) -> Result<TransactionV3> {
        let text = |k: &str| text(&value, k);
        let same = |k: &str, ours: &str| echoed(&value, k, ours, "the order");
        match asked.sub {
            None => {
                same("mchid", asked.mchid)?;
                same("appid", asked.appid)?;
            }
            Some(sub) => {
                same("sp_mchid", asked.mchid)?;
                same("sp_appid", asked.appid)?;
                same("sub_mchid", &sub.sub_mchid)?;
                if let Some(sub_appid) = &sub.sub_appid {
                    same("sub_appid", sub_appid)?;
                }
            }
        }
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
        cny(amount)?;
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
            sub_mchid: asked.sub.map(|s| s.sub_mchid.clone()),
            raw: value,
        })
    }
}
