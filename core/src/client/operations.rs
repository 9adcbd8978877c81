//! Every client operation by name: the one dispatch path of every binding.
//!
//! A binding turns its call into an [`Operation`] — a name, the arguments
//! given by position and those given by name, all as JSON values (or raw
//! bytes for a notification body) — runs it with [`Client::run`] and
//! converts the [`Outcome`] back. Argument names, positions, defaults and
//! rules are all decided here and in [`crate::requests`], so a new
//! operation is added once and appears in every language.

use std::time::Duration;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::api::OrderRef;
use crate::client::counter::{self, ReverseOutcome};
use crate::client::mp::OAuthToken;
use crate::client::notify_handler::{self, NotifyDecision, ShopOrder};
use crate::client::Client;
use crate::counter::{CounterPolicy, MicropayOutcome};
use crate::error::{Error, InputReason, Result};
use crate::jssdk::JssdkConfig;
use crate::merchant::{Merchant, SubMerchant};
use crate::notify::{PaymentNotify, RefundNotify};
use crate::oauth::Scope;
use crate::pay_params::{AppPayParams, BridgePayParams, JssdkPayParams};
use crate::requests::{self, named, oauth_args, only, optional_fen, read};
use crate::{
    Bill, CloseOrderReply, DownloadBill, Micropay, OrderQueryReply, Refund, RefundQuery,
    RefundQueryReply, RefundReply, UnifiedOrder, UnifiedOrderReply,
};

/// What the dispatch knows of one operation's call shape
/// (`tests/vectors/operations.json` restates it for every language).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationSpec {
    /// The operation's name, e.g. `"query_order"`.
    pub name: &'static str,
    /// The names that arguments given by position stand for, in order.
    pub positional: &'static [&'static str],
    /// Whether it may wait on the network (bindings run it off the main
    /// thread, or without the GIL).
    pub io: bool,
    /// Whether a service provider may call it for a sub-merchant
    /// (`sub_mch_id`, `sub_appid`).
    pub sub: bool,
}

type Spec = OperationSpec;

#[rustfmt::skip]
const SPECS: &[Spec] = &[
    Spec { name: "unified_order", positional: &[], io: true, sub: true },
    Spec { name: "jsapi_params", positional: &["prepay_id"], io: false, sub: true },
    Spec { name: "jssdk_pay_params", positional: &["prepay_id"], io: false, sub: true },
    Spec { name: "app_pay_params", positional: &["prepay_id"], io: false, sub: true },
    Spec { name: "query_order", positional: &["out_trade_no"], io: true, sub: true },
    Spec { name: "close_order", positional: &["out_trade_no"], io: true, sub: true },
    Spec { name: "refund", positional: &[], io: true, sub: true },
    Spec { name: "query_refund", positional: &[], io: true, sub: true },
    Spec { name: "download_bill", positional: &["bill_date", "bill_type", "gzip"], io: true, sub: true },
    Spec { name: "micropay", positional: &[], io: true, sub: true },
    Spec { name: "reverse", positional: &["out_trade_no"], io: true, sub: true },
    Spec { name: "auth_code_to_openid", positional: &["auth_code"], io: true, sub: true },
    Spec { name: "verify_payment_notify", positional: &["body", "total_fee"], io: false, sub: false },
    Spec { name: "check_amount", positional: &["notify", "total_fee"], io: false, sub: false },
    Spec { name: "confirm_payment", positional: &["notify"], io: true, sub: false },
    Spec { name: "payment_notify_order", positional: &["body"], io: false, sub: false },
    Spec { name: "settle_payment_notify", positional: &["body", "order"], io: true, sub: false },
    Spec { name: "parse_refund_notify", positional: &["body"], io: false, sub: false },
    Spec { name: "oauth_authorize_url", positional: &["redirect_uri", "scope", "state"], io: false, sub: false },
    Spec { name: "oauth_state", positional: &["context"], io: false, sub: false },
    Spec { name: "check_oauth_state", positional: &["state", "context", "max_age"], io: false, sub: false },
    Spec { name: "oauth_exchange_code", positional: &["code"], io: true, sub: false },
    Spec { name: "access_token", positional: &[], io: true, sub: false },
    Spec { name: "jsapi_ticket", positional: &[], io: true, sub: false },
    Spec { name: "jssdk_config", positional: &["url", "js_api_list"], io: true, sub: false },
];

fn spec(name: &str) -> Result<&'static Spec> {
    SPECS.iter().find(|s| s.name == name).ok_or_else(|| {
        Error::invalid_because(
            InputReason::Unknown,
            "operation",
            format!(
                "unknown operation {:?}",
                crate::message::truncate_for_message(name)
            ),
        )
    })
}

/// One client call, its arguments read and checked, ready for
/// [`Client::run`].
///
/// ```
/// use serde_json::json;
/// use wxpay::Operation;
/// // By position or by name, snake_case or camelCase: the same operation.
/// let a = Operation::parse("query_order", vec![json!("order-0001")], json!({})).unwrap();
/// let b = Operation::from_json("query_order", r#"{"outTradeNo": "order-0001"}"#).unwrap();
/// assert_eq!(a, b);
/// assert!(a.does_io());
/// assert!(Operation::from_json("query_order", "{}").is_err()); // exactly one reference
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Operation {
    /// A service provider's call for a sub-merchant: one of the pay
    /// operations, given `sub_mch_id` (and `sub_appid`).
    ForSubMerchant(SubMerchant, Box<Operation>),
    /// `pay/unifiedorder`.
    UnifiedOrder(UnifiedOrder),
    /// Bridge pay params for a prepay_id.
    JsapiParams(String),
    /// `wx.chooseWXPay` params for a prepay_id.
    JssdkPayParams(String),
    /// App pay params for a prepay_id.
    AppPayParams(String),
    /// `pay/orderquery`.
    QueryOrder(OrderRef),
    /// `pay/closeorder` for an out_trade_no.
    CloseOrder(String),
    /// `secapi/pay/refund`.
    Refund(Refund),
    /// `pay/refundquery`.
    QueryRefund(RefundQuery),
    /// `pay/downloadbill`.
    DownloadBill(DownloadBill),
    /// A counter payment to its end (`pay/micropay`, orderquery, reverse).
    Micropay(Box<Micropay>, CounterPolicy),
    /// Reverse a counter payment (`secapi/pay/reverse`) by out_trade_no.
    Reverse(String),
    /// The openid behind a payment code (`tools/authcodetoopenid`).
    AuthCodeToOpenid(String),
    /// Verify a payment notification body, and its amount when given.
    VerifyPaymentNotify {
        /// The raw POST body.
        body: Vec<u8>,
        /// The shop's own amount for the order, in fen.
        total_fee: Option<u64>,
    },
    /// Check that a verified notification pays exactly the shop's amount.
    CheckAmount {
        /// What verify_payment_notify returned.
        notify: Box<PaymentNotify>,
        /// The shop's own amount for the order, in fen.
        total_fee: u64,
    },
    /// Confirm a verified notification with orderquery.
    ConfirmPayment(Box<PaymentNotify>),
    /// The order a payment notification asks about (see
    /// [`Client::payment_notify_order`]).
    PaymentNotifyOrder(Vec<u8>),
    /// Decide a payment notification with the shop's record of its order
    /// (see [`Client::settle_payment_notify`]).
    SettlePaymentNotify {
        /// The raw POST body.
        body: Vec<u8>,
        /// The shop's record; `None` when it has no such order.
        order: Option<ShopOrder>,
    },
    /// Decrypt a refund notification body.
    ParseRefundNotify(Vec<u8>),
    /// The OAuth authorize URL.
    OAuthAuthorizeUrl {
        /// Where WeChat sends the user back.
        redirect_uri: String,
        /// What is asked.
        scope: Scope,
        /// The `state` to carry.
        state: Option<String>,
    },
    /// A fresh OAuth state bound to a context.
    OAuthState(String),
    /// Check an OAuth state.
    CheckOAuthState {
        /// What came back.
        state: String,
        /// The same context it was issued for.
        context: String,
        /// How old it may be.
        max_age: Duration,
    },
    /// Exchange an OAuth code for the openid.
    OAuthExchangeCode(String),
    /// The cached access_token.
    AccessToken,
    /// The cached jsapi_ticket.
    JsapiTicket,
    /// A signed `wx.config`.
    JssdkConfig {
        /// The page URL.
        url: String,
        /// The JS APIs the page uses.
        js_api_list: Vec<String>,
    },
}

/// Joins arguments given by position to those given by name.
fn arguments(
    spec: &Spec,
    positional: Vec<Value>,
    named_args: Value,
    skip: usize,
) -> Result<Map<String, Value>> {
    let mut args = named(named_args, spec.name)?;
    let slots = &spec.positional[skip.min(spec.positional.len())..];
    if positional.len() > slots.len() {
        return Err(Error::invalid_because(
            InputReason::WrongType,
            spec.name,
            format!(
                "takes at most {} argument(s) by position ({})",
                slots.len(),
                slots.join(", ")
            ),
        ));
    }
    for (name, value) in slots.iter().zip(positional) {
        if args.insert((*name).to_owned(), value).is_some() {
            return Err(Error::invalid_because(
                InputReason::Unknown,
                *name,
                "is given both by position and by name",
            ));
        }
    }
    Ok(args)
}

/// Takes `sub_mch_id` and `sub_appid` out of a pay operation's arguments:
/// the sub-merchant a service provider calls for, or none.
fn sub_merchant_args(args: &mut Map<String, Value>) -> Result<Option<SubMerchant>> {
    let mut text = |name: &str| -> Result<Option<String>> {
        match args.remove(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => read::<String>(v, name).map(|s| Some(s).filter(|s| !s.is_empty())),
        }
    };
    let sub_mch_id = text("sub_mch_id")?;
    let sub_appid = text("sub_appid")?;
    match (sub_mch_id, sub_appid) {
        (Some(id), appid) => SubMerchant::new(&id, appid.as_deref()).map(Some),
        // A rule of the pair, not a missing argument: sub_appid is optional.
        (None, Some(_)) => Err(Error::invalid(
            "sub_mch_id",
            "is required with sub_appid (the sub-merchant the appid is bound to)",
        )),
        (None, None) => Ok(None),
    }
}

/// The notification a caller got from `verify_payment_notify`, handed back.
fn verified_notify(value: Option<Value>) -> Result<Box<PaymentNotify>> {
    let value = value
        .ok_or_else(|| Error::invalid_because(InputReason::Missing, "notify", "is required"))?;
    read::<PaymentNotify>(value, "notify")
        .map(Box::new)
        .map_err(|_| {
            Error::invalid_because(
                InputReason::WrongType,
                "notify",
                "must be the result of verify_payment_notify",
            )
        })
}

impl Operation {
    /// The names of every operation, in the order of the README.
    pub fn names() -> impl Iterator<Item = &'static str> {
        SPECS.iter().map(|s| s.name)
    }

    /// Every operation's call shape, in the order of the README.
    ///
    /// ```
    /// let query = wxpay::Operation::specs().iter().find(|s| s.name == "query_order").unwrap();
    /// assert_eq!(query.positional, ["out_trade_no"]);
    /// assert!(query.io && query.sub);
    /// ```
    pub fn specs() -> &'static [OperationSpec] {
        SPECS
    }

    /// The names that `name`'s positional arguments stand for.
    pub fn positional_names(name: &str) -> Option<&'static [&'static str]> {
        SPECS.iter().find(|s| s.name == name).map(|s| s.positional)
    }

    /// Reads operation `name` from arguments given by position and by name
    /// (an object, or null for none).
    pub fn parse(name: &str, positional: Vec<Value>, named_args: Value) -> Result<Self> {
        let spec = spec(name)?;
        let mut args = arguments(spec, positional, named_args, 0)?;
        let sub = if spec.sub {
            sub_merchant_args(&mut args)?
        } else {
            None
        };
        let op = Self::build(spec, None, args)?;
        Ok(match sub {
            Some(sub) => Operation::ForSubMerchant(sub, Box::new(op)),
            None => op,
        })
    }

    /// As [`Operation::parse`] for an operation whose first argument is a
    /// message body (`verify_payment_notify`, `parse_refund_notify`), given
    /// here as raw bytes.
    pub fn with_body(
        name: &str,
        body: Vec<u8>,
        positional: Vec<Value>,
        named_args: Value,
    ) -> Result<Self> {
        let spec = spec(name)?;
        if spec.positional.first() != Some(&"body") {
            return Err(Error::invalid("body", format!("{name} takes no body")));
        }
        let args = arguments(spec, positional, named_args, 1)?;
        Self::build(spec, Some(body), args)
    }

    /// As [`Operation::with_body`], the other arguments as JSON: an array
    /// of positional ones, an object of named ones, or `null` for none. JSON
    /// that does not parse (a lone surrogate escaped by `JSON.stringify`,
    /// say) is an `InvalidInput` error naming the operation.
    pub fn with_body_json(name: &str, body: Vec<u8>, args_json: &str) -> Result<Self> {
        match requests::parse_json(args_json, name)? {
            Value::Array(items) => Self::with_body(name, body, items, Value::Null),
            v @ (Value::Object(_) | Value::Null) => Self::with_body(name, body, Vec::new(), v),
            _ => Err(Error::invalid_because(
                InputReason::WrongType,
                name,
                "takes its arguments as a JSON array or object",
            )),
        }
    }

    /// Reads operation `name` from JSON: an object of named arguments, an
    /// array of positional ones, or one value for the first positional
    /// argument (`"order-0001"` for `close_order`). `null` is no argument.
    pub fn from_json(name: &str, args_json: &str) -> Result<Self> {
        match requests::parse_json(args_json, name)? {
            Value::Array(items) => Self::parse(name, items, Value::Null),
            v @ (Value::Object(_) | Value::Null) => Self::parse(name, Vec::new(), v),
            one => Self::parse(name, vec![one], Value::Null),
        }
    }

    fn build(spec: &Spec, mut body: Option<Vec<u8>>, mut args: Map<String, Value>) -> Result<Self> {
        let obj = |args: Map<String, Value>| Value::Object(args);
        let no_args = |args: Map<String, Value>| match args.keys().next() {
            None => Ok(()),
            Some(k) => Err(Error::invalid_because(
                InputReason::Unknown,
                k.clone(),
                format!("{k:?} is not an argument of this call"),
            )),
        };
        let mut take_body = |args: &mut Map<String, Value>| -> Result<Vec<u8>> {
            match body.take() {
                Some(b) => Ok(b),
                None => {
                    let text: String = match args.remove("body") {
                        Some(v) => read(v, "body")?,
                        None => {
                            return Err(Error::invalid_because(
                                InputReason::Missing,
                                "body",
                                "is required",
                            ))
                        }
                    };
                    Ok(text.into_bytes())
                }
            }
        };
        Ok(match spec.name {
            "unified_order" => {
                Operation::UnifiedOrder(requests::unified_order_from_value(obj(args))?)
            }
            "jsapi_params" => Operation::JsapiParams(only(obj(args), "prepay_id")?),
            "jssdk_pay_params" => Operation::JssdkPayParams(only(obj(args), "prepay_id")?),
            "app_pay_params" => Operation::AppPayParams(only(obj(args), "prepay_id")?),
            "query_order" => Operation::QueryOrder(requests::order_ref_from_value(obj(args))?),
            "close_order" => Operation::CloseOrder(only(obj(args), "out_trade_no")?),
            "refund" => Operation::Refund(requests::refund_from_value(obj(args))?),
            "query_refund" => Operation::QueryRefund(requests::refund_query_from_value(obj(args))?),
            "download_bill" => {
                Operation::DownloadBill(requests::download_bill_from_value(obj(args))?)
            }
            "micropay" => {
                let (pay, policy) = counter::micropay_from_value(obj(args))?;
                Operation::Micropay(Box::new(pay), policy)
            }
            "reverse" => Operation::Reverse(only(obj(args), "out_trade_no")?),
            "auth_code_to_openid" => Operation::AuthCodeToOpenid(only(obj(args), "auth_code")?),
            "verify_payment_notify" => {
                let body = take_body(&mut args)?;
                let total_fee = optional_fen(&mut args, "total_fee")?;
                no_args(args)?;
                Operation::VerifyPaymentNotify { body, total_fee }
            }
            "check_amount" => {
                let notify = verified_notify(args.remove("notify"))?;
                let total_fee = optional_fen(&mut args, "total_fee")?.ok_or_else(|| {
                    Error::invalid_because(InputReason::Missing, "total_fee", "is required")
                })?;
                no_args(args)?;
                Operation::CheckAmount { notify, total_fee }
            }
            "confirm_payment" => {
                let notify = verified_notify(args.remove("notify"))?;
                no_args(args)?;
                Operation::ConfirmPayment(notify)
            }
            "payment_notify_order" => {
                let body = take_body(&mut args)?;
                no_args(args)?;
                Operation::PaymentNotifyOrder(body)
            }
            "settle_payment_notify" => {
                let body = take_body(&mut args)?;
                let order = notify_handler::shop_order_from_value(args.remove("order"))?;
                no_args(args)?;
                Operation::SettlePaymentNotify { body, order }
            }
            "parse_refund_notify" => {
                let body = take_body(&mut args)?;
                no_args(args)?;
                Operation::ParseRefundNotify(body)
            }
            "oauth_authorize_url" => {
                let (redirect_uri, scope, state) = oauth_args::authorize(obj(args))?;
                Operation::OAuthAuthorizeUrl {
                    redirect_uri,
                    scope,
                    state,
                }
            }
            "oauth_state" => Operation::OAuthState(only(obj(args), "context")?),
            "check_oauth_state" => {
                let (state, context, max_age) = oauth_args::check(obj(args))?;
                Operation::CheckOAuthState {
                    state,
                    context,
                    max_age,
                }
            }
            "oauth_exchange_code" => Operation::OAuthExchangeCode(only(obj(args), "code")?),
            "access_token" => {
                no_args(args)?;
                Operation::AccessToken
            }
            "jsapi_ticket" => {
                no_args(args)?;
                Operation::JsapiTicket
            }
            "jssdk_config" => {
                #[derive(serde::Deserialize)]
                #[serde(deny_unknown_fields)]
                struct Args {
                    url: String,
                    js_api_list: Vec<String>,
                }
                let a: Args = read(obj(args), "jssdk_config")?;
                Operation::JssdkConfig {
                    url: a.url,
                    js_api_list: a.js_api_list,
                }
            }
            other => return Err(Error::internal(format!("operation {other} has no reader"))),
        })
    }

    /// The operation's name, e.g. `"query_order"`.
    pub fn name(&self) -> &'static str {
        match self {
            Operation::ForSubMerchant(_, op) => op.name(),
            Operation::UnifiedOrder(_) => "unified_order",
            Operation::JsapiParams(_) => "jsapi_params",
            Operation::JssdkPayParams(_) => "jssdk_pay_params",
            Operation::AppPayParams(_) => "app_pay_params",
            Operation::QueryOrder(_) => "query_order",
            Operation::CloseOrder(_) => "close_order",
            Operation::Refund(_) => "refund",
            Operation::QueryRefund(_) => "query_refund",
            Operation::DownloadBill(_) => "download_bill",
            Operation::Micropay(..) => "micropay",
            Operation::Reverse(_) => "reverse",
            Operation::AuthCodeToOpenid(_) => "auth_code_to_openid",
            Operation::VerifyPaymentNotify { .. } => "verify_payment_notify",
            Operation::CheckAmount { .. } => "check_amount",
            Operation::ConfirmPayment(_) => "confirm_payment",
            Operation::PaymentNotifyOrder(_) => "payment_notify_order",
            Operation::SettlePaymentNotify { .. } => "settle_payment_notify",
            Operation::ParseRefundNotify(_) => "parse_refund_notify",
            Operation::OAuthAuthorizeUrl { .. } => "oauth_authorize_url",
            Operation::OAuthState(_) => "oauth_state",
            Operation::CheckOAuthState { .. } => "check_oauth_state",
            Operation::OAuthExchangeCode(_) => "oauth_exchange_code",
            Operation::AccessToken => "access_token",
            Operation::JsapiTicket => "jsapi_ticket",
            Operation::JssdkConfig { .. } => "jssdk_config",
        }
    }

    /// Whether the operation may wait on the network: bindings run these
    /// off the event loop (Node) or without the GIL (Python).
    pub fn does_io(&self) -> bool {
        SPECS.iter().any(|s| s.name == self.name() && s.io)
    }
}

/// What an operation returns. Serializes as the value itself (an object, a
/// string, or `null` for a check that passed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Outcome {
    /// From `unified_order`.
    UnifiedOrder(UnifiedOrderReply),
    /// From `jsapi_params`.
    BridgePayParams(BridgePayParams),
    /// From `jssdk_pay_params`.
    JssdkPayParams(JssdkPayParams),
    /// From `app_pay_params`.
    AppPayParams(AppPayParams),
    /// From `query_order` and `confirm_payment`.
    OrderQuery(Box<OrderQueryReply>),
    /// From `close_order`.
    CloseOrder(CloseOrderReply),
    /// From `refund`.
    Refund(RefundReply),
    /// From `query_refund`.
    RefundQuery(Box<RefundQueryReply>),
    /// From `download_bill`.
    Bill(Bill),
    /// From `micropay`.
    Micropay(Box<MicropayOutcome>),
    /// From `reverse`.
    Reverse(ReverseOutcome),
    /// From `verify_payment_notify`.
    PaymentNotify(Box<PaymentNotify>),
    /// From `parse_refund_notify`.
    RefundNotify(Box<RefundNotify>),
    /// From `oauth_exchange_code`.
    OAuthToken(OAuthToken),
    /// From `jssdk_config`.
    JssdkConfig(JssdkConfig),
    /// From `settle_payment_notify`.
    NotifyDecision(Box<NotifyDecision>),
    /// A URL, a state, a token or a ticket.
    Text(String),
    /// Text or nothing (`payment_notify_order`).
    MaybeText(Option<String>),
    /// A check that passed (`check_oauth_state`, `check_amount`).
    Checked,
}

impl Outcome {
    /// The result as JSON text.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self)
            .map_err(|e| Error::internal(format!("cannot write the result as JSON: {e}")))
    }

    /// The text of a `Text` outcome.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Outcome::Text(s) => Some(s),
            _ => None,
        }
    }
}

impl Client {
    /// Runs an operation read by [`Operation::parse`] and friends.
    pub fn run(&self, op: Operation) -> Result<Outcome> {
        match op {
            Operation::ForSubMerchant(sub, op) => {
                if let Operation::ForSubMerchant(..) = *op {
                    return Err(Error::internal("a sub-merchant call inside another"));
                }
                self.run_as(&self.merchant.for_sub_merchant(sub), *op)
            }
            op => self.run_as(&self.merchant, op),
        }
    }

    /// Runs `op`, its pay calls signed as `m` (this merchant, or it calling
    /// for a sub-merchant).
    fn run_as(&self, m: &Merchant, op: Operation) -> Result<Outcome> {
        Ok(match op {
            Operation::ForSubMerchant(sub, op) => {
                self.run_as(&self.merchant.for_sub_merchant(sub), *op)?
            }
            Operation::UnifiedOrder(o) => Outcome::UnifiedOrder(self.unified_order_as(m, &o)?),
            Operation::JsapiParams(id) => Outcome::BridgePayParams(self.jsapi_params_as(m, &id)?),
            Operation::JssdkPayParams(id) => {
                Outcome::JssdkPayParams(self.jssdk_pay_params_as(m, &id)?)
            }
            Operation::AppPayParams(id) => Outcome::AppPayParams(self.app_pay_params_as(m, &id)?),
            Operation::QueryOrder(r) => {
                Outcome::OrderQuery(Box::new(self.query_order_within(m, r, self.budget())?))
            }
            Operation::CloseOrder(no) => Outcome::CloseOrder(self.close_order_as(m, &no)?),
            Operation::Refund(r) => Outcome::Refund(self.refund_as(m, &r)?),
            Operation::QueryRefund(q) => {
                Outcome::RefundQuery(Box::new(self.query_refund_as(m, &q)?))
            }
            Operation::DownloadBill(b) => Outcome::Bill(self.download_bill_as(m, &b)?),
            Operation::Micropay(pay, policy) => {
                Outcome::Micropay(Box::new(self.micropay_as(m, &pay, &policy)?))
            }
            Operation::Reverse(no) => Outcome::Reverse(self.reverse_as(m, &no)?),
            Operation::AuthCodeToOpenid(code) => {
                Outcome::Text(self.auth_code_to_openid_as(m, &code)?)
            }
            Operation::VerifyPaymentNotify { body, total_fee } => Outcome::PaymentNotify(Box::new(
                self.verify_payment_notify_amount(&body, total_fee)?,
            )),
            Operation::CheckAmount { notify, total_fee } => {
                notify.check_amount(total_fee)?;
                Outcome::Checked
            }
            Operation::ConfirmPayment(n) => {
                Outcome::OrderQuery(Box::new(self.confirm_payment(&n)?))
            }
            Operation::PaymentNotifyOrder(body) => {
                Outcome::MaybeText(self.payment_notify_order(&body))
            }
            Operation::SettlePaymentNotify { body, order } => {
                Outcome::NotifyDecision(Box::new(self.settle_payment_notify(&body, order.as_ref())))
            }
            Operation::ParseRefundNotify(body) => {
                Outcome::RefundNotify(Box::new(self.parse_refund_notify(&body)?))
            }
            Operation::OAuthAuthorizeUrl {
                redirect_uri,
                scope,
                state,
            } => Outcome::Text(self.oauth_authorize_url(&redirect_uri, scope, state.as_deref())?),
            Operation::OAuthState(context) => Outcome::Text(self.oauth_state(&context)?),
            Operation::CheckOAuthState {
                state,
                context,
                max_age,
            } => {
                self.check_oauth_state(&state, &context, max_age)?;
                Outcome::Checked
            }
            Operation::OAuthExchangeCode(code) => {
                Outcome::OAuthToken(self.oauth_exchange_code(&code)?)
            }
            Operation::AccessToken => Outcome::Text(self.access_token()?),
            Operation::JsapiTicket => Outcome::Text(self.jsapi_ticket()?),
            Operation::JssdkConfig { url, js_api_list } => {
                let names: Vec<&str> = js_api_list.iter().map(String::as_str).collect();
                Outcome::JssdkConfig(self.jssdk_config(&url, &names)?)
            }
        })
    }

    /// Runs operation `op` with its arguments as JSON (see
    /// [`Operation::from_json`]) and returns the result as JSON.
    ///
    /// ```
    /// let client = wxpay::Client::new(wxpay::ClientConfig::new("wxd930ea5d5a258f4f", "10000100",
    ///     "192006250b4c09247ec02edce69f6a2d")).unwrap();
    /// let url = client.call_json("oauth_authorize_url", r#"{"redirect_uri": "https://shop.example/cb"}"#).unwrap();
    /// assert!(url.starts_with("\"https://open.weixin.qq.com/connect/oauth2/authorize?"));
    /// assert!(url.contains("scope=snsapi_base"));
    /// ```
    pub fn call_json(&self, op: &str, args_json: &str) -> Result<String> {
        self.run(Operation::from_json(op, args_json)?)?.to_json()
    }
}
