//! The front-end pay params of API v3, signed with the merchant's RSA key
//! (docs/protocol.md §19.4).

use serde::Serialize;

use super::keys::MerchantKey;
use crate::error::{Error, Result};

/// What `WeixinJSBridge.invoke('getBrandWCPayRequest', …)` and
/// `wx.requestPayment` take (the mini-program leaves `appId` out; it is
/// signed all the same).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JsapiPayParamsV3 {
    /// The appid the order was placed with.
    #[serde(rename = "appId")]
    pub app_id: String,
    /// Unix seconds, as text.
    #[serde(rename = "timeStamp")]
    pub time_stamp: String,
    /// At most 32 characters.
    #[serde(rename = "nonceStr")]
    pub nonce_str: String,
    /// `prepay_id=…`.
    pub package: String,
    /// Always `RSA` (not signed).
    #[serde(rename = "signType")]
    pub sign_type: String,
    /// SHA256withRSA over `appId\ntimeStamp\nnonceStr\npackage\n`, base64.
    #[serde(rename = "paySign")]
    pub pay_sign: String,
}

fn plain(field: &str, value: &str, max: usize) -> Result<()> {
    if value.is_empty() || value.len() > max || value.contains('\n') {
        return Err(Error::invalid(
            field,
            format!("must be 1-{max} characters without a line break"),
        ));
    }
    Ok(())
}

impl JsapiPayParamsV3 {
    /// Signs the params of `prepay_id` for `appid` at `timestamp` with
    /// `nonce`.
    ///
    /// ```
    /// # let pem = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/v3/keys/merchant_key.pem")).unwrap();
    /// let key = wxpay::v3::MerchantKey::from_pem(&pem)?;
    /// let p = wxpay::v3::JsapiPayParamsV3::sign(&key, "wxd930ea5d5a258f4f", "wx04141200000000000000000000000001", 1733292000, "nonce")?;
    /// assert_eq!((p.package.as_str(), p.sign_type.as_str()), ("prepay_id=wx04141200000000000000000000000001", "RSA"));
    /// # Ok::<(), wxpay::Error>(())
    /// ```
    pub fn sign(
        key: &MerchantKey,
        appid: &str,
        prepay_id: &str,
        timestamp: u64,
        nonce: &str,
    ) -> Result<Self> {
        plain("appid", appid, 32)?;
        plain("prepay_id", prepay_id, 64)?;
        plain("nonce", nonce, 32)?;
        let package = format!("prepay_id={prepay_id}");
        let message = format!("{appid}\n{timestamp}\n{nonce}\n{package}\n");
        Ok(JsapiPayParamsV3 {
            app_id: appid.to_owned(),
            time_stamp: timestamp.to_string(),
            nonce_str: nonce.to_owned(),
            package,
            sign_type: "RSA".to_owned(),
            pay_sign: key.sign(message.as_bytes())?,
        })
    }
}

/// What an app hands to the WeChat SDK's `PayReq` for a v3 order.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppPayParamsV3 {
    /// The app's appid (the open platform's).
    pub appid: String,
    /// The merchant number.
    pub partnerid: String,
    /// The prepay_id.
    pub prepayid: String,
    /// Always `Sign=WXPay` (not signed).
    pub package: String,
    /// At most 32 characters.
    pub noncestr: String,
    /// Unix seconds, as text.
    pub timestamp: String,
    /// SHA256withRSA over `appid\ntimestamp\nnoncestr\nprepayid\n`, base64.
    pub sign: String,
}

impl AppPayParamsV3 {
    /// Signs the params of `prepay_id` for the app `appid` of merchant
    /// `mchid`.
    ///
    /// ```
    /// # let pem = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/v3/keys/merchant_key.pem")).unwrap();
    /// let key = wxpay::v3::MerchantKey::from_pem(&pem)?;
    /// let p = wxpay::v3::AppPayParamsV3::sign(&key, "wxd930ea5d5a258f4f", "1900009191", "wx0414", 1733292000, "nonce")?;
    /// assert_eq!(p.package, "Sign=WXPay");
    /// # Ok::<(), wxpay::Error>(())
    /// ```
    pub fn sign(
        key: &MerchantKey,
        appid: &str,
        mchid: &str,
        prepay_id: &str,
        timestamp: u64,
        nonce: &str,
    ) -> Result<Self> {
        plain("appid", appid, 32)?;
        plain("mchid", mchid, 32)?;
        plain("prepay_id", prepay_id, 64)?;
        plain("nonce", nonce, 32)?;
        let message = format!("{appid}\n{timestamp}\n{nonce}\n{prepay_id}\n");
        Ok(AppPayParamsV3 {
            appid: appid.to_owned(),
            partnerid: mchid.to_owned(),
            prepayid: prepay_id.to_owned(),
            package: "Sign=WXPay".to_owned(),
            noncestr: nonce.to_owned(),
            timestamp: timestamp.to_string(),
            sign: key.sign(message.as_bytes())?,
        })
    }
}
