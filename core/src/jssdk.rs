//! JS-SDK `wx.config` signature (docs/protocol.md §2).

use serde::Serialize;
use sha1::{Digest, Sha1};

use crate::clock::Clock;
use crate::error::{Error, Result};

/// The page URL as WeChat signs it: everything before `#`, unchanged.
pub fn jssdk_url(url: &str) -> &str {
    url.split('#').next().unwrap_or(url)
}

fn check(field: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid(field, "is required"));
    }
    if value.chars().any(|c| c.is_control() || c == '&') && field != "url" {
        return Err(Error::invalid(
            field,
            "may not contain control characters or &",
        ));
    }
    if field == "url" && value.chars().any(char::is_control) {
        return Err(Error::invalid(field, "may not contain control characters"));
    }
    Ok(())
}

/// `sha1("jsapi_ticket=…&noncestr=…&timestamp=…&url=…")` in lower-case hex.
/// The url's `#fragment` is stripped; nothing else is changed.
///
/// ```
/// let s = wxpay::jssdk_signature(
///     "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg",
///     "Wm3WZYTPz0wzccnW", 1414587457, "http://mp.weixin.qq.com?params=value#top").unwrap();
/// assert_eq!(s, "0f9de62fce790f9a083d5c99e95740ceb90c27ed");
/// ```
pub fn jssdk_signature(
    jsapi_ticket: &str,
    noncestr: &str,
    timestamp: u64,
    url: &str,
) -> Result<String> {
    check("jsapi_ticket", jsapi_ticket)?;
    check("noncestr", noncestr)?;
    let url = jssdk_url(url);
    check("url", url)?;
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(Error::invalid("url", "must be the page's full http(s) URL"));
    }
    let mut digest = Sha1::new();
    for piece in [
        "jsapi_ticket=",
        jsapi_ticket,
        "&noncestr=",
        noncestr,
        "&timestamp=",
        &timestamp.to_string(),
        "&url=",
        url,
    ] {
        digest.update(piece.as_bytes());
    }
    Ok(crate::sign::lower_hex(&digest.finalize()))
}

/// The object for `wx.config`.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JssdkConfig {
    /// Turn on the JS-SDK's alert debugging.
    pub debug: bool,
    /// The official account's appid.
    #[serde(rename = "appId")]
    pub app_id: String,
    /// Unix seconds.
    pub timestamp: u64,
    /// Random string.
    #[serde(rename = "nonceStr")]
    pub nonce_str: String,
    /// [`jssdk_signature`] of the page URL.
    pub signature: String,
    /// The JS APIs the page uses, e.g. `["chooseWXPay"]`.
    #[serde(rename = "jsApiList")]
    pub js_api_list: Vec<String>,
}

impl JssdkConfig {
    /// Signs a `wx.config` for the page at `url` with a current ticket.
    ///
    /// ```
    /// use wxpay::{FixedClock, JssdkConfig};
    /// let c = JssdkConfig::new("wxd930ea5d5a258f4f", "ticket", "https://shop.example/pay?id=1",
    ///                          &["chooseWXPay"], &FixedClock::new(1414587457, "n")).unwrap();
    /// assert_eq!(c.js_api_list, ["chooseWXPay"]);
    /// ```
    pub fn new(
        appid: &str,
        jsapi_ticket: &str,
        url: &str,
        js_api_list: &[&str],
        clock: &dyn Clock,
    ) -> Result<Self> {
        let timestamp = clock.now_unix();
        let nonce_str = clock.nonce();
        Ok(JssdkConfig {
            debug: false,
            app_id: appid.to_owned(),
            timestamp,
            signature: jssdk_signature(jsapi_ticket, &nonce_str, timestamp, url)?,
            nonce_str,
            js_api_list: js_api_list.iter().map(|s| (*s).to_owned()).collect(),
        })
    }

    /// As a JSON object for the page.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
