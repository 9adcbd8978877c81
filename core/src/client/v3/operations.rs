//! API v3's operations by name: the one dispatch path of every binding's
//! v3 client, as `client/operations.rs` is for v2. A binding hands over
//! the operation's name, its arguments as JSON (by position or by name,
//! snake_case or camelCase) and, for a notification, the raw body; it gets
//! the result back as JSON. Argument names, rules and defaults are decided
//! here, once, for every language.

use serde::Deserialize;
use serde_json::{Map, Value};

use super::ClientV3;
use crate::client::notify_handler::shop_order_from_value;
use crate::client::operations::arguments;
use crate::client::OperationSpec;
use crate::error::{Error, InputReason, Result};
use crate::requests::{self, read, Fen};
use crate::v3::{Prepay, PrepayKind, RefundV3, SignedHeaders, SubMerchantV3};

macro_rules! spec {
    ($name:literal ($($pos:literal: $pty:literal),*) io=$io:literal named=$named:literal -> $result:literal, $doc:literal) => {
        OperationSpec {
            name: $name,
            doc: $doc,
            positional: &[$($pos),*],
            positional_types: &[$($pty),*],
            io: $io,
            sub: false,
            named: $named,
            result: $result,
        }
    };
}

/// Every v3 operation's call shape (`sub` is false: a service provider
/// names its sub-merchant with the `sub_mchid` argument of each call).
const SPECS: &[OperationSpec] = &[
    spec!("prepay" () io=true named=true -> "PrepayAnswer",
        "Places an order: `kind` (jsapi, app, native, h5), `description`, `out_trade_no`, `total` (fen), `openid` (jsapi), `payer_client_ip` and `h5_type` (h5); `notify_url`, `attach`, `time_expire`; a service provider's `sub_mchid` and `sub_appid`."),
    spec!("jsapi_params" ("prepay_id": "text", "appid": "text?") io=false named=false -> "JsapiPayParamsV3",
        "The `getBrandWCPayRequest` / `wx.requestPayment` params (signType RSA), for the client's appid or `appid` (a sub-merchant's)."),
    spec!("app_params" ("prepay_id": "text") io=false named=false -> "AppPayParamsV3",
        "The App SDK's `PayReq` params, signed with RSA."),
    spec!("query_order" ("out_trade_no": "text?") io=true named=true -> "TransactionV3",
        "An order by `out_trade_no` or `transaction_id`, checked whole; `total` (fen) when the shop knows it; a service provider's `sub_mchid` (and `sub_appid`)."),
    spec!("close_order" ("out_trade_no": "text", "sub_mchid": "text?") io=true named=false -> "Checked",
        "Closes an unpaid order (a service provider's with `sub_mchid`)."),
    spec!("refund" () io=true named=true -> "RefundStateV3",
        "Asks for a refund: `out_refund_no`, `refund` and `total` (fen), `out_trade_no` or `transaction_id`; `reason`, `notify_url`, `sub_mchid`."),
    spec!("query_refund" () io=true named=true -> "RefundStateV3",
        "A refund, checked against the one asked for (the same arguments as `refund`)."),
    spec!("download_trade_bill" ("bill_date": "text", "bill_type": "text?") io=true named=false -> "Bill",
        "A day's trade bill (`yyyy-MM-dd`; ALL, SUCCESS or REFUND), checked against WeChat's SHA-1."),
    spec!("download_fund_flow_bill" ("bill_date": "text", "account_type": "text?") io=true named=false -> "FundFlow",
        "A day's fund flow (BASIC, OPERATION or FEES), checked against WeChat's SHA-1."),
    spec!("parse_notification" ("body": "body", "headers": "headers", "now": "integer?") io=true named=false -> "Notification",
        "A notification verified over its raw body with its headers, then decrypted; `now` (Unix seconds, instead of the clock) only to replay a recorded notification in a test."),
    spec!("payment_notify_order" ("body": "body", "headers": "headers") io=true named=false -> "MaybeText",
        "The out_trade_no a payment notification asks the shop about (null when it is not an authentic payment)."),
    spec!("settle_payment_notify" ("body": "body", "headers": "headers", "order": "ShopOrder|null") io=true named=false -> "NotifyDecisionV3",
        "The payment notify handler with the shop's record at hand (null: no such order): what to record, and the HTTP status and body to answer."),
    spec!("handle_refund_notify" ("body": "body", "headers": "headers") io=true named=false -> "RefundNotifyDecisionV3",
        "The refund notify handler: the refund, and the HTTP status and body to answer."),
    spec!("encrypt_sensitive" ("text": "text") io=true named=false -> "SealedField",
        "A sensitive field encrypted for WeChat (RSA-OAEP): `serial` (send as Wechatpay-Serial) and `ciphertext`."),
];

/// A sensitive field encrypted for WeChat (`encrypt_sensitive`).
#[derive(Debug, Clone, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SealedField {
    /// The serial of the key it is encrypted for: send it as
    /// `Wechatpay-Serial` with the request that carries the field.
    pub serial: String,
    /// RSA-OAEP ciphertext, base64.
    pub ciphertext: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PrepayArgs {
    kind: String,
    description: String,
    out_trade_no: String,
    total: Fen,
    #[serde(default)]
    openid: Option<String>,
    #[serde(default)]
    notify_url: Option<String>,
    #[serde(default)]
    attach: Option<String>,
    #[serde(default)]
    time_expire: Option<String>,
    #[serde(default)]
    payer_client_ip: Option<String>,
    #[serde(default)]
    h5_type: Option<String>,
    #[serde(default)]
    sub_mchid: Option<String>,
    #[serde(default)]
    sub_appid: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QueryArgs {
    #[serde(default)]
    out_trade_no: Option<String>,
    #[serde(default)]
    transaction_id: Option<String>,
    #[serde(default)]
    total: Option<Fen>,
    #[serde(default)]
    sub_mchid: Option<String>,
    #[serde(default)]
    sub_appid: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RefundArgs {
    #[serde(default)]
    out_trade_no: Option<String>,
    #[serde(default)]
    transaction_id: Option<String>,
    out_refund_no: String,
    refund: Fen,
    total: Fen,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    notify_url: Option<String>,
    #[serde(default)]
    sub_mchid: Option<String>,
}

fn sub(sub_mchid: Option<String>, sub_appid: Option<String>) -> Result<Option<SubMerchantV3>> {
    match (sub_mchid, sub_appid) {
        (Some(sub_mchid), sub_appid) => Ok(Some(SubMerchantV3 {
            sub_mchid,
            sub_appid,
        })),
        (None, Some(_)) => Err(Error::invalid(
            "sub_mchid",
            "is required with sub_appid (the sub-merchant the appid is bound to)",
        )),
        (None, None) => Ok(None),
    }
}

fn refund_args(args: Map<String, Value>) -> Result<RefundV3> {
    let a: RefundArgs = read(Value::Object(args), "refund")?;
    Ok(RefundV3 {
        order: requests::one_order(a.out_trade_no, a.transaction_id)?,
        out_refund_no: a.out_refund_no,
        reason: a.reason,
        notify_url: a.notify_url,
        refund: a.refund.0,
        total: a.total.0,
        sub_mchid: a.sub_mchid,
    })
}

/// The headers of a notification as a binding hands them over: an object
/// of name → value, or a list of `[name, value]` pairs (a header given
/// twice stays twice, and is refused by the verifier).
fn headers(value: Option<Value>) -> Result<Vec<(String, String)>> {
    let wrong = || {
        Error::invalid_because(
            InputReason::WrongType,
            "headers",
            "must be an object of header names to values, or a list of [name, value] pairs",
        )
    };
    match value {
        None | Some(Value::Null) => Err(Error::invalid_because(
            InputReason::Missing,
            "headers",
            "is required (the request's headers, with Wechatpay-Signature and the others)",
        )),
        Some(Value::Object(map)) => map
            .into_iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k, s)),
                _ => Err(wrong()),
            })
            .collect(),
        Some(Value::Array(pairs)) => pairs
            .into_iter()
            .map(|pair| match pair {
                Value::Array(mut kv) if kv.len() == 2 => match (kv.remove(0), kv.remove(0)) {
                    (Value::String(k), Value::String(v)) => Ok((k, v)),
                    _ => Err(wrong()),
                },
                _ => Err(wrong()),
            })
            .collect(),
        Some(_) => Err(wrong()),
    }
}

fn spec(name: &str) -> Result<&'static OperationSpec> {
    SPECS.iter().find(|s| s.name == name).ok_or_else(|| {
        Error::invalid_because(
            InputReason::Unknown,
            "operation",
            format!(
                "unknown v3 operation {:?}",
                crate::message::truncate_for_message(name)
            ),
        )
    })
}

/// The arguments of a call given as JSON: an array of positional ones, an
/// object of named ones, or the first one alone; `skip` positional slots
/// are filled otherwise (a body handed over as bytes).
fn arguments_json(
    spec: &OperationSpec,
    args_json: &str,
    skip: usize,
) -> Result<Map<String, Value>> {
    let (positional, named) = match requests::parse_json(args_json, spec.name)? {
        Value::Array(items) => (items, Value::Null),
        v @ (Value::Object(_) | Value::Null) => (Vec::new(), v),
        one => (vec![one], Value::Null),
    };
    arguments(spec, positional, named, skip)
}

/// Argument `name` as text, when given.
fn text(args: &mut Map<String, Value>, name: &str) -> Result<Option<String>> {
    match args.remove(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => read::<String>(v, name).map(Some),
    }
}

fn required(args: &mut Map<String, Value>, name: &str) -> Result<String> {
    text(args, name)?
        .ok_or_else(|| Error::invalid_because(InputReason::Missing, name, "is required"))
}

/// Refuses any argument left over.
fn done(args: Map<String, Value>) -> Result<()> {
    match args.keys().next() {
        None => Ok(()),
        Some(k) => Err(Error::invalid_because(
            InputReason::Unknown,
            k.clone(),
            format!("{k:?} is not an argument of this call"),
        )),
    }
}

fn json<T: serde::Serialize>(value: T) -> Result<Value> {
    serde_json::to_value(value)
        .map_err(|e| Error::internal(format!("cannot write the result as JSON: {e}")))
}

impl ClientV3 {
    /// Every v3 operation's call shape.
    pub fn operation_specs() -> &'static [OperationSpec] {
        SPECS
    }

    /// Runs v3 operation `op` with its arguments as JSON (an object of
    /// named ones, an array of positional ones, or the first one alone) and
    /// returns the result as JSON.
    ///
    /// ```
    /// # let pem = std::fs::read_to_string("../tests/vectors/v3/keys/merchant_key.pem").unwrap();
    /// # let mut config = wxpay::ClientV3Config::new("10000100", "wxd930ea5d5a258f4f", &pem,
    /// #     "3775B6A45ACD588826D15E583A95F5DD", "wxpaysim0apiv30key00000000000001");
    /// # config.auto_certificates = false;
    /// # config.platform_certificates = vec![std::fs::read_to_string("../tests/vectors/v3/keys/platform_cert.pem").unwrap()];
    /// let client = wxpay::ClientV3::new(config)?;
    /// let params = client.call_json("jsapi_params", r#"["wx04141200000000000000000000000001"]"#)?;
    /// assert!(params.contains(r#""signType":"RSA""#));
    /// assert!(client.call_json("query_order", "{}").is_err()); // exactly one number
    /// # Ok::<(), wxpay::Error>(())
    /// ```
    pub fn call_json(&self, op: &str, args_json: &str) -> Result<String> {
        let spec = spec(op)?;
        let args = arguments_json(spec, args_json, 0)?;
        Ok(self.dispatch(spec, args, None)?.to_string())
    }

    /// Runs v3 operation `op` with arguments given by position and by name
    /// (an object, or null for none), as a binding receives them.
    pub fn call(&self, op: &str, positional: Vec<Value>, named: Value) -> Result<String> {
        let spec = spec(op)?;
        let args = arguments(spec, positional, named, 0)?;
        Ok(self.dispatch(spec, args, None)?.to_string())
    }

    /// As [`ClientV3::call_json`] for an operation whose first argument is
    /// a notification body, handed over as the raw bytes received.
    pub fn call_with_body(&self, op: &str, body: Vec<u8>, args_json: &str) -> Result<String> {
        let spec = spec(op)?;
        if spec.positional.first() != Some(&"body") {
            return Err(Error::invalid("body", format!("{op} takes no body")));
        }
        let args = arguments_json(spec, args_json, 1)?;
        Ok(self.dispatch(spec, args, Some(body))?.to_string())
    }

    /// As [`ClientV3::call_with_body`] when `op` can finish without waiting
    /// on WeChat: a notification whose key is held, or that is refused
    /// before a key is needed, is only CPU work. `None` when it might wait
    /// (a serial not held: the certificates are fetched; the payment
    /// handler's confirming query), so that a binding runs it where waiting
    /// is fine — off an event loop's thread.
    ///
    /// ```
    /// # let pem = std::fs::read_to_string("../tests/vectors/v3/keys/merchant_key.pem").unwrap();
    /// # let mut config = wxpay::ClientV3Config::new("1900009191", "wxd930ea5d5a258f4f", &pem,
    /// #     "3775B6A45ACD588826D15E583A95F5DD", "wxpaysim0apiv30key00000000000001");
    /// # config.platform_certificates = vec![std::fs::read_to_string("../tests/vectors/v3/keys/platform_cert.pem").unwrap()];
    /// let client = wxpay::ClientV3::new(config)?;
    /// let unsigned = client.call_with_body_if_ready("parse_notification", b"{}".to_vec(), r#"{"headers": {}}"#);
    /// assert!(unsigned.is_err()); // refused at once: nothing to wait for
    /// let other_key = r#"{"headers": {"Wechatpay-Serial": "5157F09EFDC096DE15EBE81A47057A72"}}"#;
    /// assert!(client.call_with_body_if_ready("parse_notification", b"{}".to_vec(), other_key)?.is_none());
    /// # Ok::<(), wxpay::Error>(())
    /// ```
    pub fn call_with_body_if_ready(
        &self,
        op: &str,
        body: Vec<u8>,
        args_json: &str,
    ) -> Result<Option<String>> {
        let spec = spec(op)?;
        if !matches!(
            spec.name,
            "parse_notification" | "payment_notify_order" | "handle_refund_notify"
        ) {
            return Ok(None);
        }
        let args = arguments_json(spec, args_json, 1)?;
        let serial = headers(args.get("headers").cloned())
            .ok()
            .and_then(|pairs| {
                SignedHeaders::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()))).ok()
            })
            .map(|h| h.serial)
            .unwrap_or_default();
        if self.config.auto_certificates && !serial.is_empty() && !self.keys.knows(&serial) {
            return Ok(None);
        }
        Ok(Some(self.dispatch(spec, args, Some(body))?.to_string()))
    }

    fn dispatch(
        &self,
        spec: &OperationSpec,
        mut args: Map<String, Value>,
        body: Option<Vec<u8>>,
    ) -> Result<Value> {
        match spec.name {
            "prepay" => {
                let a: PrepayArgs = read(Value::Object(args), "prepay")?;
                let kind = match a.kind.as_str() {
                    "jsapi" => PrepayKind::Jsapi {
                        openid: a.openid.ok_or_else(|| {
                            Error::invalid_because(
                                InputReason::Missing,
                                "openid",
                                "is required for jsapi",
                            )
                        })?,
                    },
                    "app" => PrepayKind::App,
                    "native" => PrepayKind::Native,
                    "h5" => PrepayKind::H5 {
                        payer_client_ip: a.payer_client_ip.unwrap_or_default(),
                        h5_type: a.h5_type.unwrap_or_else(|| "Wap".to_owned()),
                    },
                    _ => return Err(Error::invalid("kind", "must be jsapi, app, native or h5")),
                };
                let order = Prepay {
                    kind,
                    appid: String::new(),
                    mchid: String::new(),
                    description: a.description,
                    out_trade_no: a.out_trade_no,
                    notify_url: a.notify_url.unwrap_or_default(),
                    total: a.total.0,
                    attach: a.attach,
                    time_expire: a.time_expire,
                    sub: sub(a.sub_mchid, a.sub_appid)?,
                };
                json(self.prepay(&order)?)
            }
            "jsapi_params" => {
                let prepay_id = required(&mut args, "prepay_id")?;
                let appid = text(&mut args, "appid")?;
                done(args)?;
                json(match appid {
                    Some(appid) => self.jsapi_params_for(&appid, &prepay_id)?,
                    None => self.jsapi_params(&prepay_id)?,
                })
            }
            "app_params" => {
                let prepay_id = required(&mut args, "prepay_id")?;
                done(args)?;
                json(self.app_params(&prepay_id)?)
            }
            "query_order" => {
                let a: QueryArgs = read(Value::Object(args), "query_order")?;
                let order = requests::one_order(a.out_trade_no, a.transaction_id)?;
                let total = a.total.map(|f| f.0);
                json(match sub(a.sub_mchid, a.sub_appid)? {
                    Some(s) => self.query_sub_order(&order, &s, total)?,
                    None => self.query_order(&order, total)?,
                })
            }
            "close_order" => {
                let no = required(&mut args, "out_trade_no")?;
                let sub_mchid = text(&mut args, "sub_mchid")?;
                done(args)?;
                match sub_mchid {
                    Some(s) => self.close_sub_order(&no, &s)?,
                    None => self.close_order(&no)?,
                }
                Ok(Value::Null)
            }
            "refund" => json(self.refund(&refund_args(args)?)?),
            "query_refund" => json(self.query_refund(&refund_args(args)?)?),
            "download_trade_bill" | "download_fund_flow_bill" => {
                let date = required(&mut args, "bill_date")?;
                let (kind_arg, default) = if spec.name == "download_trade_bill" {
                    ("bill_type", "ALL")
                } else {
                    ("account_type", "BASIC")
                };
                let kind = text(&mut args, kind_arg)?.unwrap_or_else(|| default.to_owned());
                done(args)?;
                if spec.name == "download_trade_bill" {
                    json(self.download_trade_bill(&date, &kind)?)
                } else {
                    json(self.download_fund_flow_bill(&date, &kind)?)
                }
            }
            "parse_notification"
            | "payment_notify_order"
            | "settle_payment_notify"
            | "handle_refund_notify" => {
                let raw = match body {
                    Some(b) => b,
                    None => required(&mut args, "body")?.into_bytes(),
                };
                let pairs = headers(args.remove("headers"))?;
                let order = if spec.name == "settle_payment_notify" {
                    shop_order_from_value(args.remove("order"))?
                } else {
                    None
                };
                // Only parse_notification takes a time: a handler that
                // settles money always judges by the clock.
                let now = match spec.name {
                    "parse_notification" => match args.remove("now") {
                        None | Some(Value::Null) => None,
                        Some(v) => Some(read::<u64>(v, "now")?),
                    },
                    _ => None,
                };
                done(args)?;
                let h = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str()));
                match spec.name {
                    "parse_notification" => {
                        let now = now.unwrap_or_else(|| self.now());
                        json(self.parse_notification_at(h, &raw, now)?)
                    }
                    "payment_notify_order" => json(self.payment_notify_order(h, &raw)),
                    "settle_payment_notify" => {
                        json(self.settle_payment_notify(h, &raw, order.as_ref()))
                    }
                    _ => json(self.handle_refund_notify(h, &raw)),
                }
            }
            "encrypt_sensitive" => {
                let plain = required(&mut args, "text")?;
                done(args)?;
                let (serial, ciphertext) = self.encrypt_sensitive(&plain)?;
                json(SealedField { serial, ciphertext })
            }
            other => Err(Error::internal(format!(
                "v3 operation {other} has no runner"
            ))),
        }
    }
}
