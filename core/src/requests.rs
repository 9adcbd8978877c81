//! Every request's arguments from plain values — the one place that knows
//! their names, which may be given by position, their defaults and the
//! "exactly one of" rules. Python keyword arguments, Node objects and the
//! C/PHP JSON all arrive here as a JSON value, so each language reads the
//! same names with the same defaults.
//!
//! Names are WeChat's (`out_trade_no`); a camelCase spelling (`outTradeNo`)
//! is read as the same name. Unknown names are refused — a typo must never
//! send an order without the field it meant to set. Optional WeChat fields
//! that a request documents (`attach`, `time_expire`, …) may be given by
//! name; anything else WeChat adds later goes in `extra`.
//!
//! ```
//! let order = wxpay::unified_order_from_json(r#"{"body": "shop-book", "outTradeNo": "order-0001",
//!     "totalFee": 990, "spbillCreateIp": "127.0.0.1", "openid": "o", "attach": "cart-1"}"#).unwrap();
//! assert_eq!(order.total_fee, 990);
//! assert_eq!(order.extra["attach"], "cart-1");
//! let e = wxpay::unified_order_from_json(r#"{"body": "b", "out_trade_no": "order-0001",
//!     "total_fee": 9.9, "spbill_create_ip": "127.0.0.1"}"#).unwrap_err();
//! assert_eq!(e.field(), Some("total_fee"));
//! assert_eq!(e.reason(), Some("WrongType"));
//! ```

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::api::OrderRef;
use crate::error::{Error, InputReason, Result};
use crate::params::Params;
use crate::{
    AccountType, BillType, DownloadBill, DownloadFundFlow, Refund, RefundQuery, RefundRef,
    TradeType, UnifiedOrder,
};

/// The optional fields of `pay/unifiedorder` that may be named directly.
pub const UNIFIED_ORDER_OPTIONAL: &[&str] = &[
    "device_info",
    "detail",
    "attach",
    "fee_type",
    "time_start",
    "time_expire",
    "goods_tag",
    "limit_pay",
    "receipt",
    "profit_sharing",
    "scene_info",
    "version",
];

/// The optional fields of `secapi/pay/refund` that may be named directly.
pub const REFUND_OPTIONAL: &[&str] = &["refund_fee_type", "refund_account"];

/// `outTradeNo` → `out_trade_no`; names already in snake_case are unchanged.
pub(crate) fn snake_case(name: &str) -> std::borrow::Cow<'_, str> {
    if !name.bytes().any(|b| b.is_ascii_uppercase()) {
        return name.into();
    }
    let mut out = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// Turns a serde message into an `InvalidInput` error for `field` that
/// names the rule but never quotes the value (it may be a secret).
fn serde_message(text: &str, field: &str) -> Error {
    let backticked = |t: &str| t.split('`').nth(1).unwrap_or("").to_owned();
    let expected = |t: &str| {
        t.split(", expected ")
            .nth(1)
            .map(|e| e.split(" at line").next().unwrap_or(e).to_owned())
    };
    if text.starts_with("unknown field") {
        let name = backticked(text);
        return Error::invalid_because(
            InputReason::Unknown,
            name.clone(),
            format!("{name:?} is not an argument of this call"),
        );
    }
    if text.starts_with("missing field") {
        let name = backticked(text);
        return Error::invalid_because(InputReason::Missing, name, "is required");
    }
    if text.starts_with("invalid type") {
        let must = expected(text).unwrap_or_else(|| "of another type".into());
        return Error::invalid_because(InputReason::WrongType, field, format!("must be {must}"));
    }
    if text.starts_with("invalid value") || text.starts_with("invalid length") {
        let must = expected(text).unwrap_or_else(|| "another value".into());
        return Error::invalid(field, format!("must be {must}"));
    }
    // Our own visitors' messages, which quote nothing.
    Error::invalid(field, text.split(" at line").next().unwrap_or(text))
}

/// A JSON text that did not even parse, or parsed into the wrong shape.
pub(crate) fn json_error(e: &serde_json::Error, what: &str) -> Error {
    if e.is_syntax() || e.is_eof() {
        return Error::invalid_because(
            InputReason::WrongType,
            what,
            format!(
                "is not valid JSON (line {}, column {})",
                e.line(),
                e.column()
            ),
        );
    }
    serde_message(&e.to_string(), what)
}

/// Parses JSON text for `what` (an argument name used in messages).
pub(crate) fn parse_json(json: &str, what: &str) -> Result<Value> {
    if crate::json_depth::too_deep(json.as_bytes()) {
        return Err(Error::invalid_because(
            InputReason::Rule,
            what,
            format!(
                "nests arrays and objects more than {} levels deep",
                crate::json_depth::MAX_DEPTH
            ),
        ));
    }
    serde_json::from_str(json).map_err(|e| json_error(&e, what))
}

/// Reads `T` from `args`, naming the argument at fault in any error.
pub(crate) fn read<T: DeserializeOwned>(args: Value, what: &str) -> Result<T> {
    serde_path_to_error::deserialize(args).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." || path.is_empty() {
            what.to_owned()
        } else {
            path
        };
        serde_message(&e.into_inner().to_string(), &field)
    })
}

/// An object's names in snake_case; anything but an object is a type error.
pub(crate) fn named(args: Value, what: &str) -> Result<Map<String, Value>> {
    match args {
        // Already snake_case (every call the dispatch hands on): as it is.
        Value::Object(map)
            if !map
                .keys()
                .any(|k| k.bytes().any(|b| b.is_ascii_uppercase())) =>
        {
            Ok(map)
        }
        Value::Object(map) => {
            let mut out = Map::with_capacity(map.len());
            for (name, value) in map {
                let name = snake_case(&name).into_owned();
                if out.contains_key(&name) {
                    return Err(Error::invalid_because(
                        InputReason::Unknown,
                        name,
                        "is given twice (in two spellings)",
                    ));
                }
                out.insert(name, value);
            }
            Ok(out)
        }
        Value::Null => Ok(Map::new()),
        _ => Err(Error::invalid_because(
            InputReason::WrongType,
            what,
            "must be an object of named arguments",
        )),
    }
}

/// Moves the optional WeChat fields a request documents out of `args` into
/// a field map, merged with `extra`; an `extra` field that repeats a named
/// one is refused rather than one of them silently winning.
pub(crate) fn optional_fields(args: &mut Map<String, Value>, names: &[&str]) -> Result<Params> {
    let mut extra: Params = match args.remove("extra") {
        None | Some(Value::Null) => Params::new(),
        Some(v) => read(v, "extra").map_err(|e| match e {
            Error::InvalidInput {
                field,
                message,
                reason,
            } if field != "extra" => Error::InvalidInput {
                field: format!("extra.{field}"),
                message,
                reason,
            },
            other => other,
        })?,
    };
    for name in names {
        if let Some(value) = args.remove(*name) {
            if value.is_null() {
                continue;
            }
            let text: FieldText = read(value, name)?;
            if extra.insert((*name).to_owned(), text.0).is_some() {
                return Err(Error::invalid(*name, "is given both by name and in extra"));
            }
        }
    }
    Ok(extra)
}

/// `#[serde(deserialize_with)]` for an amount in fen held as a `u64`: the
/// same rules and message as [`Fen`].
pub(crate) fn deserialize_fen<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<u64, D::Error> {
    Fen::deserialize(d).map(|f| f.0)
}

/// An amount in fen: a whole number — never a float, a bool or text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fen(pub u64);

impl<'de> Deserialize<'de> for Fen {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Fen;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a whole number of fen")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Fen, E> {
                Ok(Fen(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Fen, E> {
                u64::try_from(v)
                    .map(Fen)
                    .map_err(|_| E::custom("must be a positive whole number of fen"))
            }
        }
        d.deserialize_any(V)
    }
}

/// The strings bindings hand over for the floats JSON cannot carry: every
/// binding writes NaN and the infinities this way (docs/security.md §6),
/// so a duration or count option given one is refused by name here instead
/// of arriving as `null`, "not given", and silently taking its default.
pub const NON_FINITE: [&str; 3] = ["NaN", "Infinity", "-Infinity"];

/// A number of seconds: a JSON number, or one of [`NON_FINITE`] (read as
/// that float, for the range check to refuse by name).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Seconds(pub f64);

impl<'de> Deserialize<'de> for Seconds {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Seconds;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number of seconds")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Seconds, E> {
                Ok(Seconds(v as f64))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Seconds, E> {
                Ok(Seconds(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<Seconds, E> {
                Ok(Seconds(v))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Seconds, E> {
                match v {
                    "NaN" => Ok(Seconds(f64::NAN)),
                    "Infinity" => Ok(Seconds(f64::INFINITY)),
                    "-Infinity" => Ok(Seconds(f64::NEG_INFINITY)),
                    _ => Err(E::invalid_type(de::Unexpected::Str(v), &self)),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// An optional number of seconds, refused by name unless finite and
/// accepted by `ok` (`rule` says what is accepted, e.g. "0 to 600").
#[cfg_attr(not(feature = "client"), allow(dead_code))]
pub(crate) fn seconds_in(
    name: &str,
    value: Option<Seconds>,
    ok: impl Fn(f64) -> bool,
    rule: &str,
) -> Result<Option<std::time::Duration>> {
    match value {
        None => Ok(None),
        Some(Seconds(s)) if s.is_finite() && ok(s) => {
            Ok(Some(std::time::Duration::from_secs_f64(s)))
        }
        Some(Seconds(s)) if !s.is_finite() => Err(Error::invalid(
            name,
            format!("must be {rule} seconds, not NaN or infinity"),
        )),
        Some(_) => Err(Error::invalid(name, format!("must be {rule} seconds"))),
    }
}

/// A count (retries, reverse calls, an offset, an age in seconds): a whole
/// number; a float is the wrong type, a negative number, NaN or an
/// infinity (see [`NON_FINITE`]) a wrong value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count(pub u64);

impl<'de> Deserialize<'de> for Count {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Count;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a whole number")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<Count, E> {
                Ok(Count(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<Count, E> {
                u64::try_from(v).map(Count).map_err(|_| {
                    E::invalid_value(de::Unexpected::Signed(v), &"a whole number, not negative")
                })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<Count, E> {
                if NON_FINITE.contains(&v) {
                    Err(E::invalid_value(
                        de::Unexpected::Other("a non-finite number"),
                        &"a whole number, not NaN or infinity",
                    ))
                } else {
                    Err(E::invalid_type(de::Unexpected::Str(v), &self))
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// An optional count, refused by name unless within `range`.
pub(crate) fn count_in(
    name: &str,
    value: Option<Count>,
    range: std::ops::RangeInclusive<u64>,
) -> Result<Option<u64>> {
    match value {
        None => Ok(None),
        Some(Count(n)) if range.contains(&n) => Ok(Some(n)),
        Some(_) => Err(Error::invalid(
            name,
            format!("must be {} to {}", range.start(), range.end()),
        )),
    }
}

/// A field value: text, or a whole number written in decimal.
struct FieldText(String);

impl<'de> Deserialize<'de> for FieldText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = FieldText;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string or a whole number")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<FieldText, E> {
                Ok(FieldText(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> std::result::Result<FieldText, E> {
                Ok(FieldText(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<FieldText, E> {
                Ok(FieldText(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnifiedOrderArgs {
    body: String,
    out_trade_no: String,
    total_fee: Fen,
    spbill_create_ip: String,
    #[serde(default)]
    notify_url: Option<String>,
    #[serde(default)]
    trade_type: Option<String>,
    #[serde(default)]
    openid: Option<String>,
    #[serde(default)]
    sub_openid: Option<String>,
    #[serde(default)]
    product_id: Option<String>,
}

/// A unified order from named arguments (`trade_type` defaults to
/// [`TradeType::default`], JSAPI; an absent `notify_url` is left empty for
/// the client's configured one).
pub fn unified_order_from_value(args: Value) -> Result<UnifiedOrder> {
    let mut args = named(args, "order")?;
    let extra = optional_fields(&mut args, UNIFIED_ORDER_OPTIONAL)?;
    let o: UnifiedOrderArgs = read(Value::Object(args), "order")?;
    Ok(UnifiedOrder {
        body: o.body,
        out_trade_no: o.out_trade_no,
        total_fee: o.total_fee.0,
        spbill_create_ip: o.spbill_create_ip,
        notify_url: o.notify_url.unwrap_or_default(),
        trade_type: o
            .trade_type
            .as_deref()
            .map(TradeType::parse)
            .transpose()?
            .unwrap_or_default(),
        openid: o.openid,
        sub_openid: o.sub_openid,
        product_id: o.product_id,
        extra,
    })
}

/// [`unified_order_from_value`] from JSON text.
pub fn unified_order_from_json(json: &str) -> Result<UnifiedOrder> {
    unified_order_from_value(parse_json(json, "order")?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrderRefArgs {
    #[serde(default)]
    out_trade_no: Option<String>,
    #[serde(default)]
    transaction_id: Option<String>,
}

/// Exactly one of the two numbers of an order.
pub(crate) fn one_order(
    out_trade_no: Option<String>,
    transaction_id: Option<String>,
) -> Result<OrderRef> {
    match (out_trade_no, transaction_id) {
        (Some(no), None) => Ok(OrderRef::OutTradeNo(no)),
        (None, Some(id)) => Ok(OrderRef::TransactionId(id)),
        _ => Err(Error::invalid(
            "out_trade_no",
            "give exactly one of out_trade_no and transaction_id",
        )),
    }
}

/// `{"out_trade_no": …}` or `{"transaction_id": …}`: exactly one.
pub fn order_ref_from_value(args: Value) -> Result<OrderRef> {
    let r: OrderRefArgs = read(Value::Object(named(args, "query")?), "query")?;
    one_order(r.out_trade_no, r.transaction_id)
}

/// [`order_ref_from_value`] from JSON text.
pub fn order_ref_from_json(json: &str) -> Result<OrderRef> {
    order_ref_from_value(parse_json(json, "query")?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RefundArgs {
    #[serde(default)]
    out_trade_no: Option<String>,
    #[serde(default)]
    transaction_id: Option<String>,
    out_refund_no: String,
    total_fee: Fen,
    refund_fee: Fen,
    #[serde(default)]
    refund_desc: Option<String>,
    #[serde(default)]
    notify_url: Option<String>,
}

/// A refund from named arguments: one of `out_trade_no` and
/// `transaction_id`, `out_refund_no`, `total_fee`, `refund_fee`.
pub fn refund_from_value(args: Value) -> Result<Refund> {
    let mut args = named(args, "refund")?;
    let extra = optional_fields(&mut args, REFUND_OPTIONAL)?;
    let r: RefundArgs = read(Value::Object(args), "refund")?;
    let mut refund = Refund::new(
        one_order(r.out_trade_no, r.transaction_id)?,
        r.out_refund_no,
        r.total_fee.0,
        r.refund_fee.0,
    );
    refund.refund_desc = r.refund_desc;
    refund.notify_url = r.notify_url;
    refund.extra = extra;
    Ok(refund)
}

/// [`refund_from_value`] from JSON text.
pub fn refund_from_json(json: &str) -> Result<Refund> {
    refund_from_value(parse_json(json, "refund")?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RefundQueryArgs {
    #[serde(default)]
    refund_id: Option<String>,
    #[serde(default)]
    out_refund_no: Option<String>,
    #[serde(default)]
    transaction_id: Option<String>,
    #[serde(default)]
    out_trade_no: Option<String>,
    #[serde(default)]
    offset: Option<Count>,
}

/// A refund query: exactly one of `refund_id`, `out_refund_no`,
/// `transaction_id`, `out_trade_no`, and an optional `offset`.
pub fn refund_query_from_value(args: Value) -> Result<RefundQuery> {
    let q: RefundQueryArgs = read(Value::Object(named(args, "query")?), "query")?;
    let refund = match (
        q.refund_id,
        q.out_refund_no,
        q.transaction_id,
        q.out_trade_no,
    ) {
        (Some(id), None, None, None) => RefundRef::RefundId(id),
        (None, Some(no), None, None) => RefundRef::OutRefundNo(no),
        (None, None, Some(id), None) => RefundRef::Order(OrderRef::TransactionId(id)),
        (None, None, None, Some(no)) => RefundRef::Order(OrderRef::OutTradeNo(no)),
        _ => {
            return Err(Error::invalid(
                "refund_id",
                "give exactly one of refund_id, out_refund_no, transaction_id and out_trade_no",
            ))
        }
    };
    // WeChat keeps at most 50 refunds of an order, 10 to a page.
    let offset = count_in("offset", q.offset, 0..=49)?.map(|n| n as u32);
    Ok(RefundQuery { refund, offset })
}

/// [`refund_query_from_value`] from JSON text.
pub fn refund_query_from_json(json: &str) -> Result<RefundQuery> {
    refund_query_from_value(parse_json(json, "query")?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DownloadBillArgs {
    bill_date: String,
    #[serde(default)]
    bill_type: Option<String>,
    #[serde(default)]
    gzip: Option<bool>,
}

/// A bill request: `bill_date`, `bill_type` (default
/// [`BillType::default`], ALL), `gzip` (default false).
pub fn download_bill_from_value(args: Value) -> Result<DownloadBill> {
    let b: DownloadBillArgs = read(Value::Object(named(args, "bill")?), "bill")?;
    Ok(DownloadBill {
        bill_date: b.bill_date,
        bill_type: b
            .bill_type
            .as_deref()
            .map(BillType::parse)
            .transpose()?
            .unwrap_or_default(),
        gzip: b.gzip.unwrap_or(false),
    })
}

/// [`download_bill_from_value`] from JSON text.
pub fn download_bill_from_json(json: &str) -> Result<DownloadBill> {
    download_bill_from_value(parse_json(json, "bill")?)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DownloadFundFlowArgs {
    bill_date: String,
    #[serde(default)]
    account_type: Option<String>,
    #[serde(default)]
    gzip: Option<bool>,
}

/// A fund flow request: `bill_date`, `account_type` (default
/// [`AccountType::default`], Basic), `gzip` (default false).
///
/// ```
/// let r = wxpay::download_fund_flow_from_json(r#"{"billDate": "20240102", "accountType": "Fees"}"#).unwrap();
/// assert_eq!(r.account_type, wxpay::AccountType::Fees);
/// assert!(wxpay::download_fund_flow_from_json(r#"{"bill_date": "20240102", "account_type": "BASIC"}"#).is_err());
/// ```
pub fn download_fund_flow_from_value(args: Value) -> Result<DownloadFundFlow> {
    let b: DownloadFundFlowArgs = read(Value::Object(named(args, "fund flow")?), "fund flow")?;
    Ok(DownloadFundFlow {
        bill_date: b.bill_date,
        account_type: b
            .account_type
            .as_deref()
            .map(AccountType::parse)
            .transpose()?
            .unwrap_or_default(),
        gzip: b.gzip.unwrap_or(false),
    })
}

/// [`download_fund_flow_from_value`] from JSON text.
pub fn download_fund_flow_from_json(json: &str) -> Result<DownloadFundFlow> {
    download_fund_flow_from_value(parse_json(json, "fund flow")?)
}

/// The arguments of the OAuth calls, with their defaults (read by the
/// client's dispatch only).
#[cfg(feature = "client")]
pub(crate) mod oauth_args {
    use std::time::Duration;

    use super::*;
    use crate::oauth::{OAuthState, Scope};

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Authorize {
        redirect_uri: String,
        #[serde(default)]
        scope: Option<String>,
        #[serde(default)]
        state: Option<String>,
    }

    /// `redirect_uri`, `scope` (default [`Scope::default`], snsapi_base), `state`.
    pub fn authorize(args: Value) -> Result<(String, Scope, Option<String>)> {
        let a: Authorize = read(Value::Object(named(args, "authorize")?), "authorize")?;
        let scope = a
            .scope
            .as_deref()
            .map(Scope::parse)
            .transpose()?
            .unwrap_or_default();
        Ok((a.redirect_uri, scope, a.state))
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Check {
        state: String,
        context: String,
        #[serde(default)]
        max_age: Option<Count>,
    }

    /// `state`, `context`, `max_age` in seconds (default
    /// [`OAuthState::DEFAULT_MAX_AGE`]).
    pub fn check(args: Value) -> Result<(String, String, Duration)> {
        let c: Check = read(Value::Object(named(args, "state")?), "state")?;
        // A state older than a day is no longer a login in progress.
        let max_age = count_in("max_age", c.max_age, 1..=86_400)?
            .map(Duration::from_secs)
            .unwrap_or(OAuthState::DEFAULT_MAX_AGE);
        Ok((c.state, c.context, max_age))
    }
}

/// Reads a single named argument of type `T` from `args`, refusing others.
#[cfg(feature = "client")]
pub(crate) fn only<T: DeserializeOwned>(args: Value, name: &str) -> Result<T> {
    let mut map = named(args, name)?;
    let value = map
        .remove(name)
        .ok_or_else(|| Error::invalid_because(InputReason::Missing, name, "is required"))?;
    if let Some(other) = map.keys().next() {
        return Err(Error::invalid_because(
            InputReason::Unknown,
            other.clone(),
            format!("{other:?} is not an argument of this call"),
        ));
    }
    read(value, name)
}

/// An amount from named arguments, when given.
#[cfg(feature = "client")]
pub(crate) fn optional_fen(args: &mut Map<String, Value>, name: &str) -> Result<Option<u64>> {
    match args.remove(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => Ok(Some(read::<Fen>(v, name)?.0)),
    }
}

/// A profit-sharing receiver to add (`add`) or remove, by WeChat's names:
/// `type`, `account`, and to add `name`, `relation_type`,
/// `custom_relation`.
///
/// ```
/// let r = wxpay::receiver_change_from_json(r#"{"type": "PERSONAL_OPENID", "account": "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o", "relationType": "USER"}"#, true).unwrap();
/// assert_eq!(r.receiver.relation_type.as_deref(), Some("USER"));
/// ```
pub fn receiver_change_from_value(args: Value, add: bool) -> Result<crate::ReceiverChange> {
    let receiver = read(Value::Object(named(args, "receiver")?), "receiver")?;
    Ok(crate::ReceiverChange { receiver, add })
}

/// [`receiver_change_from_value`] from JSON text.
pub fn receiver_change_from_json(json: &str, add: bool) -> Result<crate::ReceiverChange> {
    receiver_change_from_value(parse_json(json, "receiver")?, add)
}

/// A sharing: `transaction_id`, `out_order_no`, `receivers` (a list of
/// `type`, `account`, `amount` in fen, `description`) and `multi`
/// (default false: a single sharing, which releases the rest).
///
/// ```
/// let s = wxpay::profit_sharing_from_json(r#"{"transaction_id": "4208450740201411110007820472", "out_order_no": "P1",
///     "receivers": [{"type": "MERCHANT_ID", "account": "190001001", "amount": 100, "description": "分到商户"}]}"#).unwrap();
/// assert!(!s.multi);
/// assert!(wxpay::profit_sharing_from_json(r#"{"transaction_id": "1", "out_order_no": "P1",
///     "receivers": [{"type": "MERCHANT_ID", "account": "1", "amount": 1.5, "description": "x"}]}"#).is_err());
/// ```
pub fn profit_sharing_from_value(args: Value) -> Result<crate::ProfitSharing> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Args {
        transaction_id: String,
        out_order_no: String,
        receivers: Vec<crate::Share>,
        multi: Option<bool>,
    }
    let a: Args = read(
        Value::Object(named(args, "profit sharing")?),
        "profit sharing",
    )?;
    Ok(crate::ProfitSharing {
        transaction_id: a.transaction_id,
        out_order_no: a.out_order_no,
        receivers: a.receivers,
        multi: a.multi.unwrap_or(false),
    })
}

/// The sharing a return is about: exactly one of `order_id` and
/// `out_order_no`.
fn sharing_ref(
    order_id: Option<String>,
    out_order_no: Option<String>,
) -> Result<crate::SharingRef> {
    match (order_id, out_order_no) {
        (Some(id), None) => Ok(crate::SharingRef::OrderId(id)),
        (None, Some(no)) => Ok(crate::SharingRef::OutOrderNo(no)),
        _ => Err(Error::invalid_because(
            InputReason::Missing,
            "out_order_no",
            "exactly one of order_id and out_order_no names the sharing",
        )),
    }
}

/// A return: `order_id` or `out_order_no` (the sharing), `out_return_no`,
/// `return_account` (a merchant receiver), `return_amount` in fen,
/// `description`.
///
/// ```
/// let r = wxpay::profit_sharing_return_from_json(r#"{"out_order_no": "P1", "out_return_no": "R1",
///     "return_account": "190001001", "return_amount": 100, "description": "退货"}"#).unwrap();
/// assert_eq!(r.sharing, wxpay::SharingRef::OutOrderNo("P1".into()));
/// assert!(wxpay::profit_sharing_return_from_json(r#"{"order_id": "1", "out_order_no": "P1", "out_return_no": "R1",
///     "return_account": "1", "return_amount": 1, "description": "x"}"#).is_err());
/// ```
pub fn profit_sharing_return_from_value(args: Value) -> Result<crate::ProfitSharingReturn> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Args {
        order_id: Option<String>,
        out_order_no: Option<String>,
        out_return_no: String,
        return_account: String,
        #[serde(deserialize_with = "deserialize_fen")]
        return_amount: u64,
        description: String,
    }
    let a: Args = read(Value::Object(named(args, "return")?), "return")?;
    Ok(crate::ProfitSharingReturn {
        sharing: sharing_ref(a.order_id, a.out_order_no)?,
        out_return_no: a.out_return_no,
        return_account: a.return_account,
        return_amount: a.return_amount,
        description: a.description,
    })
}

/// [`profit_sharing_return_from_value`] from JSON text.
pub fn profit_sharing_return_from_json(json: &str) -> Result<crate::ProfitSharingReturn> {
    profit_sharing_return_from_value(parse_json(json, "return")?)
}

/// A return query: `order_id` or `out_order_no`, and `out_return_no`.
pub fn return_query_from_value(args: Value) -> Result<(crate::SharingRef, String)> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Args {
        order_id: Option<String>,
        out_order_no: Option<String>,
        out_return_no: String,
    }
    let a: Args = read(Value::Object(named(args, "return query")?), "return query")?;
    Ok((sharing_ref(a.order_id, a.out_order_no)?, a.out_return_no))
}

/// [`profit_sharing_from_value`] from JSON text.
pub fn profit_sharing_from_json(json: &str) -> Result<crate::ProfitSharing> {
    profit_sharing_from_value(parse_json(json, "profit sharing")?)
}
