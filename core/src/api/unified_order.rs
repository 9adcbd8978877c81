//! `pay/unifiedorder` (docs/protocol.md §3): place an order, get a prepay_id.

use std::fmt;
use std::net::IpAddr;

use serde::Serialize;

use crate::api::merge_extra;
use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::field_formats;
use crate::merchant::{Merchant, SignedRequest};
use crate::params::Params;
use crate::reply_fields::{optional, required};
use crate::validate;

/// How the user pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TradeType {
    /// In WeChat's browser or a mini-program (needs `openid`); the default.
    #[default]
    Jsapi,
    /// A QR code (needs `product_id`; the reply has `code_url`).
    Native,
    /// A mobile app.
    App,
    /// H5 in an outside browser (needs `scene_info`; the reply has `mweb_url`).
    Mweb,
}

impl TradeType {
    /// The wire name, e.g. `"JSAPI"`.
    pub fn as_str(self) -> &'static str {
        match self {
            TradeType::Jsapi => "JSAPI",
            TradeType::Native => "NATIVE",
            TradeType::App => "APP",
            TradeType::Mweb => "MWEB",
        }
    }

    /// Parses the exact wire name.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "JSAPI" => Ok(TradeType::Jsapi),
            "NATIVE" => Ok(TradeType::Native),
            "APP" => Ok(TradeType::App),
            "MWEB" => Ok(TradeType::Mweb),
            _ => Err(Error::invalid(
                "trade_type",
                "must be JSAPI, NATIVE, APP or MWEB",
            )),
        }
    }
}

impl fmt::Display for TradeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A unified order.
///
/// ```
/// use wxpay::{FixedClock, Merchant, SignType, UnifiedOrder};
/// let m = Merchant::new("wxd930ea5d5a258f4f", "10000100",
///                       "192006250b4c09247ec02edce69f6a2d", SignType::HmacSha256).unwrap();
/// let order = UnifiedOrder::jsapi("shop-book", "order-0001", 990, "127.0.0.1",
///                                 "https://shop.example/notify", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");
/// let req = order.sign(&m, &FixedClock::new(0, "n0nce")).unwrap();
/// assert_eq!(req.fields["total_fee"], "990");
/// assert!(req.xml.starts_with("<xml>"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnifiedOrder {
    /// What is sold, at most 127 bytes (e.g. `商家名称-销售商品类目`).
    pub body: String,
    /// The merchant's order number.
    pub out_trade_no: String,
    /// The amount in fen, taken from the server-side order.
    pub total_fee: u64,
    /// IPv4 or IPv6 address of the caller (docs/protocol.md §3.1).
    pub spbill_create_ip: String,
    /// Where WeChat POSTs the payment notification.
    pub notify_url: String,
    /// How the user pays.
    pub trade_type: TradeType,
    /// The payer's openid under the merchant's appid (JSAPI).
    pub openid: Option<String>,
    /// A service provider's order (docs/protocol.md §15): the payer's
    /// openid under the sub-merchant's `sub_appid`, instead of `openid`.
    pub sub_openid: Option<String>,
    /// The product id (NATIVE).
    pub product_id: Option<String>,
    /// Optional fields: attach, detail, time_start, time_expire, goods_tag,
    /// limit_pay, receipt, profit_sharing, scene_info, device_info, fee_type,
    /// version, or any field WeChat adds later.
    pub extra: Params,
}

impl UnifiedOrder {
    /// A JSAPI order for `openid`.
    pub fn jsapi(
        body: impl Into<String>,
        out_trade_no: impl Into<String>,
        total_fee: u64,
        spbill_create_ip: impl Into<String>,
        notify_url: impl Into<String>,
        openid: impl Into<String>,
    ) -> Self {
        UnifiedOrder {
            body: body.into(),
            out_trade_no: out_trade_no.into(),
            total_fee,
            spbill_create_ip: spbill_create_ip.into(),
            notify_url: notify_url.into(),
            trade_type: TradeType::Jsapi,
            openid: Some(openid.into()),
            sub_openid: None,
            product_id: None,
            extra: Params::new(),
        }
    }

    /// Checks every documented rule and returns the business fields.
    pub fn to_fields(&self) -> Result<Params> {
        let mut f = Params::new();
        validate::required("body", &self.body, 127)?;
        validate::merchant_no("out_trade_no", &self.out_trade_no, 6, 32, &[])?;
        validate::fee("total_fee", self.total_fee)?;
        if self.spbill_create_ip.len() > 64 || self.spbill_create_ip.parse::<IpAddr>().is_err() {
            return Err(Error::invalid(
                "spbill_create_ip",
                "must be an IPv4 or IPv6 address",
            ));
        }
        validate::notify_url("notify_url", &self.notify_url)?;
        f.insert("body".into(), self.body.clone());
        f.insert("out_trade_no".into(), self.out_trade_no.clone());
        f.insert("total_fee".into(), self.total_fee.to_string());
        f.insert("spbill_create_ip".into(), self.spbill_create_ip.clone());
        f.insert("notify_url".into(), self.notify_url.clone());
        f.insert("trade_type".into(), self.trade_type.as_str().into());

        let openid = self.openid.as_deref().unwrap_or("");
        let sub_openid = self.sub_openid.as_deref().unwrap_or("");
        let product_id = self.product_id.as_deref().unwrap_or("");
        validate::optional("sub_openid", sub_openid, 128)?;
        match self.trade_type {
            TradeType::Jsapi if !openid.is_empty() && !sub_openid.is_empty() => {
                return Err(Error::invalid(
                    "sub_openid",
                    "identifies the payer instead of openid: give one of the two",
                ))
            }
            TradeType::Jsapi if sub_openid.is_empty() => validate::required("openid", openid, 128)?,
            _ => validate::optional("openid", openid, 128)?,
        }
        match self.trade_type {
            TradeType::Native => validate::required("product_id", product_id, 32)?,
            _ => validate::optional("product_id", product_id, 32)?,
        }
        if !openid.is_empty() {
            f.insert("openid".into(), openid.into());
        }
        if !sub_openid.is_empty() {
            f.insert("sub_openid".into(), sub_openid.into());
        }
        if !product_id.is_empty() {
            f.insert("product_id".into(), product_id.into());
        }

        for (name, value) in &self.extra {
            check_known_extra(name, value)?;
        }
        if self.trade_type == TradeType::Mweb
            && self.extra.get("scene_info").is_none_or(|s| s.is_empty())
        {
            return Err(Error::invalid(
                "scene_info",
                "is required for MWEB (H5) orders",
            ));
        }
        merge_extra(&mut f, &self.extra)?;
        Ok(f)
    }

    /// Validates, adds the envelope and signs. A `sub_openid` needs a
    /// service provider calling for a sub-merchant with its `sub_appid`:
    /// the openid means nothing without the account it belongs to.
    pub fn sign(&self, merchant: &Merchant, clock: &dyn Clock) -> Result<SignedRequest> {
        let fields = self.to_fields()?;
        if fields.contains_key("sub_openid")
            && merchant
                .sub_merchant()
                .and_then(|s| s.sub_appid())
                .is_none()
        {
            return Err(Error::invalid(
                "sub_openid",
                "needs the sub-merchant's sub_appid (the account the openid belongs to)",
            ));
        }
        merchant.sign_request(fields, clock)
    }
}

fn check_known_extra(name: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Ok(());
    }
    match name {
        "device_info" | "goods_tag" | "version" => validate::optional(name, value, 32),
        "attach" => validate::optional(name, value, 127),
        "detail" => validate::optional(name, value, 6144),
        "scene_info" => validate::optional(name, value, 256),
        "time_start" | "time_expire" => validate::wechat_time(name, value),
        "fee_type" if value != "CNY" => Err(Error::invalid(name, "only CNY is supported")),
        "limit_pay" if value != "no_credit" => {
            Err(Error::invalid(name, "the only value is no_credit"))
        }
        "receipt" if value != "Y" => Err(Error::invalid(name, "the only value is Y")),
        "profit_sharing" if value != "Y" && value != "N" => {
            Err(Error::invalid(name, "must be Y or N"))
        }
        _ => Ok(()),
    }
}

/// A successful unifiedorder reply.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnifiedOrderReply {
    /// Valid for 2 hours; what the front end pays with.
    pub prepay_id: String,
    /// Echo of the trade type.
    pub trade_type: String,
    /// NATIVE only: the `weixin://` link to show as a QR code.
    pub code_url: Option<String>,
    /// MWEB only: the H5 payment page, valid 5 minutes.
    pub mweb_url: Option<String>,
    /// Every verified field of the reply.
    pub raw: Params,
}

impl UnifiedOrderReply {
    /// Checks a reply to `request` (see [`Merchant::check_reply`]) and reads it.
    pub fn parse(merchant: &Merchant, request: &SignedRequest, body: &[u8]) -> Result<Self> {
        let raw = merchant.check_reply(body, request.sign_type)?;
        field_formats::check(
            &raw,
            field_formats::UNIFIED_ORDER_REPLY,
            field_formats::UNIFIED_ORDER_REPLY_TEXT,
        )?;
        let trade_type = required(&raw, "trade_type")?.to_owned();
        let asked = request
            .fields
            .get("trade_type")
            .map(String::as_str)
            .unwrap_or("");
        if trade_type != asked {
            return Err(Error::mismatch("trade_type", asked, trade_type));
        }
        let prepay_id = required(&raw, "prepay_id")?.to_owned();
        let code_url = optional(&raw, "code_url");
        let mweb_url = optional(&raw, "mweb_url");
        if trade_type == "NATIVE" && code_url.is_none() {
            return Err(Error::bad_reply("a NATIVE reply has no code_url"));
        }
        if trade_type == "MWEB" && mweb_url.is_none() {
            return Err(Error::bad_reply("an MWEB reply has no mweb_url"));
        }
        Ok(UnifiedOrderReply {
            prepay_id,
            trade_type,
            code_url,
            mweb_url,
            raw,
        })
    }
}
