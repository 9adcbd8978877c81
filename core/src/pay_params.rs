//! What the front end needs to start a payment (docs/protocol.md §8), signed with
//! the sign type of the order.

use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::merchant::Merchant;
use crate::sign::{self, SignType};

/// The object for `WeixinJSBridge.invoke('getBrandWCPayRequest', …)` and
/// mini-program `wx.requestPayment` (which ignores `appId` but it is signed).
///
/// ```
/// use wxpay::{BridgePayParams, FixedClock, Merchant, SignType};
/// let m = Merchant::new("wx619a931576afe069", "10000100",
///                       "qazwsxedcrfvtgbyhnujmikolp111111", SignType::Md5).unwrap();
/// let p = BridgePayParams::new(&m, "wx2611334392677180ea59742b3744840000", m.sign_type(),
///                              &FixedClock::new(1774495197, "RIPb5Upk3ku7knU6")).unwrap();
/// assert_eq!(p.pay_sign, "1F2E9533D7D483FBCDBD0B9BCA76F97D");
/// assert_eq!(p.time_stamp, "1774495197");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BridgePayParams {
    /// The official account's appid.
    pub app_id: String,
    /// Unix seconds, as a string.
    pub time_stamp: String,
    /// Random string.
    pub nonce_str: String,
    /// `prepay_id=…`.
    pub package: String,
    /// `MD5` or `HMAC-SHA256`, the order's sign type.
    pub sign_type: String,
    /// Signature over the five fields above.
    pub pay_sign: String,
}

/// The object for JS-SDK `wx.chooseWXPay`: the same signature, with the
/// property spelled `timestamp` (signed as `timeStamp`, with `appId`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JssdkPayParams {
    /// Unix seconds, as a string.
    pub timestamp: String,
    /// Random string.
    pub nonce_str: String,
    /// `prepay_id=…`.
    pub package: String,
    /// `MD5` or `HMAC-SHA256`.
    pub sign_type: String,
    /// Signature.
    pub pay_sign: String,
}

/// The `PayReq` fields for the app SDK (trade type APP).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppPayParams {
    /// The mobile app's appid.
    pub appid: String,
    /// The merchant number.
    pub partnerid: String,
    /// From unifiedorder.
    pub prepayid: String,
    /// Always `Sign=WXPay`.
    pub package: String,
    /// Random string.
    pub noncestr: String,
    /// Unix seconds.
    pub timestamp: String,
    /// Signature over the six fields above.
    pub sign: String,
}

fn check_prepay_id(prepay_id: &str) -> Result<()> {
    if prepay_id.is_empty()
        || prepay_id.len() > 64
        || !prepay_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err(Error::invalid(
            "prepay_id",
            "must be 1-64 characters of A-Z, a-z, 0-9, _ and -",
        ));
    }
    Ok(())
}

impl BridgePayParams {
    /// Signs bridge params for `prepay_id`. `sign_type` must be the one the
    /// order was placed with (usually `merchant.sign_type()`). For a
    /// service provider's sub-merchant with a `sub_appid`, `appId` is the
    /// sub_appid ([`Merchant::pay_appid`]).
    pub fn new(
        merchant: &Merchant,
        prepay_id: &str,
        sign_type: SignType,
        clock: &dyn Clock,
    ) -> Result<Self> {
        check_prepay_id(prepay_id)?;
        // A provider's buyer pays on the sub-merchant's page when the order
        // named a sub_appid; the signature must name that page's appid.
        let app_id = merchant.pay_appid().to_owned();
        let time_stamp = clock.now_unix().to_string();
        let nonce_str = crate::clock::checked_nonce(clock)?;
        let package = format!("prepay_id={prepay_id}");
        let sign_type_name = sign_type.as_str();
        // The five names in byte order, as the signature needs them.
        let fields = [
            ("appId", app_id.as_str()),
            ("nonceStr", nonce_str.as_str()),
            ("package", package.as_str()),
            ("signType", sign_type_name),
            ("timeStamp", time_stamp.as_str()),
        ];
        let pay_sign = sign::sign_sorted(fields.into_iter(), merchant.api_key(), sign_type)?;
        Ok(BridgePayParams {
            app_id,
            time_stamp,
            nonce_str,
            package,
            sign_type: sign_type_name.to_owned(),
            pay_sign,
        })
    }

    /// As a JSON object for the page.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The page's property names and values, in the order of [`Self::to_json`],
    /// for bindings that build the object themselves.
    ///
    /// ```
    /// # use wxpay::{BridgePayParams, FixedClock, Merchant, SignType};
    /// # let m = Merchant::new("wx619a931576afe069", "10000100",
    /// #                       "qazwsxedcrfvtgbyhnujmikolp111111", SignType::Md5).unwrap();
    /// let p = BridgePayParams::new(&m, "wx2611334392677180ea59742b3744840000", m.sign_type(),
    ///                              &FixedClock::new(1774495197, "RIPb5Upk3ku7knU6")).unwrap();
    /// assert_eq!(p.fields()[1], ("timeStamp", "1774495197"));
    /// ```
    pub fn fields(&self) -> [(&'static str, &str); 6] {
        let values = [
            &self.app_id,
            &self.time_stamp,
            &self.nonce_str,
            &self.package,
            &self.sign_type,
            &self.pay_sign,
        ];
        std::array::from_fn(|i| (Self::NAMES[i], values[i].as_str()))
    }

    /// The page's property names, in the order of [`Self::fields`]: the one
    /// list every binding's result is built from.
    pub const NAMES: [&'static str; 6] = [
        "appId",
        "timeStamp",
        "nonceStr",
        "package",
        "signType",
        "paySign",
    ];
}

impl JssdkPayParams {
    /// Signs `wx.chooseWXPay` params for `prepay_id`.
    pub fn new(
        merchant: &Merchant,
        prepay_id: &str,
        sign_type: SignType,
        clock: &dyn Clock,
    ) -> Result<Self> {
        let b = BridgePayParams::new(merchant, prepay_id, sign_type, clock)?;
        Ok(JssdkPayParams {
            timestamp: b.time_stamp,
            nonce_str: b.nonce_str,
            package: b.package,
            sign_type: b.sign_type,
            pay_sign: b.pay_sign,
        })
    }

    /// As a JSON object for the page.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The property names and values, in the order of [`Self::to_json`].
    pub fn fields(&self) -> [(&'static str, &str); 5] {
        let values = [
            &self.timestamp,
            &self.nonce_str,
            &self.package,
            &self.sign_type,
            &self.pay_sign,
        ];
        std::array::from_fn(|i| (Self::NAMES[i], values[i].as_str()))
    }

    /// The property names, in the order of [`Self::fields`].
    pub const NAMES: [&'static str; 5] =
        ["timestamp", "nonceStr", "package", "signType", "paySign"];
}

impl AppPayParams {
    /// Signs app `PayReq` params for `prepay_id`; the merchant's appid must be
    /// the mobile app's (open platform) appid.
    pub fn new(
        merchant: &Merchant,
        prepay_id: &str,
        sign_type: SignType,
        clock: &dyn Clock,
    ) -> Result<Self> {
        check_prepay_id(prepay_id)?;
        let mut params = AppPayParams {
            appid: merchant.pay_appid().to_owned(),
            // A provider's app payment names the sub-merchant as partner.
            partnerid: merchant
                .sub_merchant()
                .map_or(merchant.mch_id(), |s| s.sub_mch_id())
                .to_owned(),
            prepayid: prepay_id.to_owned(),
            package: "Sign=WXPay".to_owned(),
            noncestr: crate::clock::checked_nonce(clock)?,
            timestamp: clock.now_unix().to_string(),
            sign: String::new(),
        };
        // The six names in byte order, as the signature needs them.
        let fields = [
            ("appid", params.appid.as_str()),
            ("noncestr", params.noncestr.as_str()),
            ("package", params.package.as_str()),
            ("partnerid", params.partnerid.as_str()),
            ("prepayid", params.prepayid.as_str()),
            ("timestamp", params.timestamp.as_str()),
        ];
        params.sign = sign::sign_sorted(fields.into_iter(), merchant.api_key(), sign_type)?;
        Ok(params)
    }

    /// As a JSON object for the app.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// The property names and values, in the order of [`Self::to_json`].
    pub fn fields(&self) -> [(&'static str, &str); 7] {
        let values = [
            &self.appid,
            &self.partnerid,
            &self.prepayid,
            &self.package,
            &self.noncestr,
            &self.timestamp,
            &self.sign,
        ];
        std::array::from_fn(|i| (Self::NAMES[i], values[i].as_str()))
    }

    /// The property names, in the order of [`Self::fields`].
    pub const NAMES: [&'static str; 7] = [
        "appid",
        "partnerid",
        "prepayid",
        "package",
        "noncestr",
        "timestamp",
        "sign",
    ];
}

/// Each shape serializes as its `fields()`, so the names exist once.
fn serialize_fields<S: Serializer>(
    fields: &[(&str, &str)],
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(fields.len()))?;
    for (name, value) in fields {
        map.serialize_entry(name, value)?;
    }
    map.end()
}

impl Serialize for BridgePayParams {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        serialize_fields(&self.fields(), s)
    }
}

impl Serialize for JssdkPayParams {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        serialize_fields(&self.fields(), s)
    }
}

impl Serialize for AppPayParams {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        serialize_fields(&self.fields(), s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;

    fn merchant() -> Merchant {
        Merchant::new(
            "wx619a931576afe069",
            "10000100",
            "qazwsxedcrfvtgbyhnujmikolp111111",
            SignType::HmacSha256,
        )
        .expect("merchant")
    }

    /// `fields()` must name and order exactly what `to_json()` writes (no
    /// value here needs escaping, so the JSON can be spelled out).
    fn assert_same(json: &str, fields: &[(&str, &str)]) {
        let spelled: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("\"{k}\":\"{v}\""))
            .collect();
        assert_eq!(json, format!("{{{}}}", spelled.join(",")));
    }

    #[test]
    fn fields_match_the_json() {
        let m = merchant();
        let clock = FixedClock::new(1774495197, "RIPb5Upk3ku7knU6");
        let id = "wx2611334392677180ea59742b3744840000";
        let b = BridgePayParams::new(&m, id, m.sign_type(), &clock).expect("bridge");
        assert_same(&b.to_json(), &b.fields());
        let j = JssdkPayParams::new(&m, id, m.sign_type(), &clock).expect("jssdk");
        assert_same(&j.to_json(), &j.fields());
        let a = AppPayParams::new(&m, id, m.sign_type(), &clock).expect("app");
        assert_same(&a.to_json(), &a.fields());
    }

    #[test]
    fn a_clock_nonce_outside_the_alphabet_is_refused() {
        let m = merchant();
        for bad in ["", "has space", "nul\0inside", "x".repeat(33).as_str()] {
            let clock = FixedClock::new(1774495197, bad);
            let e = BridgePayParams::new(&m, "wx1", m.sign_type(), &clock).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::Config, "{bad:?}");
        }
    }
}
