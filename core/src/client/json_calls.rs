//! Every client operation as "name + JSON argument → JSON result", for
//! bindings that cross their boundary with one string each way (Node).

use serde::Deserialize;
use serde_json::Value;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::oauth::Scope;
use crate::requests_json::{
    download_bill_from_json, order_ref_from_json, refund_from_json, refund_query_from_json,
    unified_order_from_json,
};
use crate::PaymentNotify;

fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value)
        .map_err(|e| Error::bad_reply(format!("cannot write the result as JSON: {e}")))
}

fn string_arg(arg: &str, name: &str) -> Result<String> {
    match serde_json::from_str::<Value>(arg) {
        Ok(Value::String(s)) => Ok(s),
        _ => Err(Error::invalid(name, "must be a string")),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AuthorizeArgs {
    #[serde(alias = "redirectUri")]
    redirect_uri: String,
    #[serde(default)]
    scope: Option<String>,
    #[serde(default)]
    state: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StateArgs {
    state: Option<String>,
    context: String,
    /// Seconds (default 600).
    #[serde(alias = "maxAge")]
    max_age: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JssdkArgs {
    url: String,
    #[serde(alias = "jsApiList")]
    js_api_list: Vec<String>,
}

impl Client {
    /// Runs operation `op` with its argument as JSON and returns the result
    /// as JSON. Operations: `unified_order`, `query_order`, `close_order`,
    /// `refund`, `query_refund`, `download_bill`, `confirm_payment`,
    /// `jsapi_params`, `jssdk_pay_params`, `app_pay_params`,
    /// `oauth_authorize_url`, `oauth_exchange_code`, `access_token`,
    /// `jsapi_ticket`, `jssdk_config`, `oauth_state` (`{"context"}`) and
    /// `check_oauth_state` (`{"state", "context", "max_age"}`, answers
    /// `true` or fails).
    ///
    /// ```
    /// let client = wxpay::Client::new(wxpay::ClientConfig::new("wxd930ea5d5a258f4f", "10000100",
    ///     "192006250b4c09247ec02edce69f6a2d")).unwrap();
    /// let url = client.call_json("oauth_authorize_url", r#"{"redirect_uri": "https://shop.example/cb"}"#).unwrap();
    /// assert!(url.starts_with("\"https://open.weixin.qq.com/connect/oauth2/authorize?"));
    /// ```
    pub fn call_json(&self, op: &str, arg: &str) -> Result<String> {
        match op {
            "unified_order" => to_json(&self.unified_order(&unified_order_from_json(arg)?)?),
            "query_order" => to_json(&self.query_order(order_ref_from_json(arg)?)?),
            "close_order" => to_json(&self.close_order(&string_arg(arg, "out_trade_no")?)?),
            "refund" => to_json(&self.refund(&refund_from_json(arg)?)?),
            "query_refund" => to_json(&self.query_refund(&refund_query_from_json(arg)?)?),
            "download_bill" => to_json(&self.download_bill(&download_bill_from_json(arg)?)?),
            "confirm_payment" => {
                let notify: PaymentNotify = serde_json::from_str(arg).map_err(|_| {
                    Error::invalid(
                        "notify",
                        "must be the object returned by verify_payment_notify",
                    )
                })?;
                to_json(&self.confirm_payment(&notify)?)
            }
            "jsapi_params" => to_json(&self.jsapi_params(&string_arg(arg, "prepay_id")?)?),
            "jssdk_pay_params" => to_json(&self.jssdk_pay_params(&string_arg(arg, "prepay_id")?)?),
            "app_pay_params" => to_json(&self.app_pay_params(&string_arg(arg, "prepay_id")?)?),
            "oauth_authorize_url" => {
                let a: AuthorizeArgs = serde_json::from_str(arg).map_err(|_| {
                    Error::invalid("redirect_uri", "give redirect_uri, scope and state")
                })?;
                let scope = Scope::parse(a.scope.as_deref().unwrap_or("snsapi_base"))?;
                to_json(&self.oauth_authorize_url(&a.redirect_uri, scope, a.state.as_deref())?)
            }
            "oauth_exchange_code" => to_json(&self.oauth_exchange_code(&string_arg(arg, "code")?)?),
            "oauth_state" | "check_oauth_state" => {
                let a: StateArgs = serde_json::from_str(arg).map_err(|_| {
                    Error::invalid("context", "give context (and state, max_age to check)")
                })?;
                if op == "oauth_state" {
                    return to_json(&self.oauth_state(&a.context)?);
                }
                let state = a
                    .state
                    .ok_or_else(|| Error::invalid("state", "the state to check is missing"))?;
                let max_age = std::time::Duration::from_secs(a.max_age.unwrap_or(600));
                self.check_oauth_state(&state, &a.context, max_age)?;
                to_json(&true)
            }
            "access_token" => to_json(&self.access_token()?),
            "jsapi_ticket" => to_json(&self.jsapi_ticket()?),
            "jssdk_config" => {
                let a: JssdkArgs = serde_json::from_str(arg)
                    .map_err(|_| Error::invalid("js_api_list", "give url and js_api_list"))?;
                let names: Vec<&str> = a.js_api_list.iter().map(String::as_str).collect();
                to_json(&self.jssdk_config(&a.url, &names)?)
            }
            other => Err(Error::invalid(
                "op",
                format!(
                    "unknown operation {:?}",
                    crate::sign::truncate_for_message(other)
                ),
            )),
        }
    }

    /// Verifies a payment notification body and, with `expected_total_fee`,
    /// the amount; the result as JSON.
    pub fn verify_payment_notify_json(
        &self,
        body: &[u8],
        expected_total_fee: Option<u64>,
    ) -> Result<String> {
        let notify = self.verify_payment_notify(body)?;
        if let Some(fee) = expected_total_fee {
            notify.check_amount(fee)?;
        }
        to_json(&notify)
    }
}
