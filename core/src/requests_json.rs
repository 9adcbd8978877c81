//! Requests as JSON objects, for bindings that move one string across the
//! boundary (C, Node). Field names are WeChat's (`out_trade_no`); the
//! camelCase spelling (`outTradeNo`) is accepted too. Unknown names are
//! refused — optional WeChat fields go in `extra` — so a typo never sends
//! an order without the field it meant to set.
//!
//! ```
//! let order = wxpay::unified_order_from_json(r#"{"body": "shop-book", "outTradeNo": "order-0001",
//!     "totalFee": 990, "spbillCreateIp": "127.0.0.1", "openid": "o", "extra": {"attach": "cart-1"}}"#).unwrap();
//! assert_eq!(order.total_fee, 990);
//! assert!(wxpay::unified_order_from_json(r#"{"body": "b", "out_trade_no": "order-0001",
//!     "total_fee": 9.9, "spbill_create_ip": "127.0.0.1"}"#).is_err());
//! ```

use std::borrow::Cow;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::api::OrderRef;
use crate::error::{Error, Result};
use crate::params::Params;
use crate::{BillType, DownloadBill, Refund, RefundQuery, RefundRef, TradeType, UnifiedOrder};

/// Parses `json` into `T`, turning serde's message into an `InvalidInput`
/// error that names the field but never quotes a value.
fn parse<T: DeserializeOwned>(json: &str, what: &str) -> Result<T> {
    serde_json::from_str(json).map_err(|e| json_error(&e, what))
}

fn json_error(e: &serde_json::Error, what: &str) -> Error {
    let text = e.to_string();
    let message = if text.starts_with("unknown field") || text.starts_with("missing field") {
        text.split(", expected")
            .next()
            .unwrap_or("")
            .split(" at line")
            .next()
            .unwrap_or("")
            .to_owned()
    } else if text.starts_with("invalid type") || text.starts_with("invalid value") {
        "a value has the wrong type (amounts are whole numbers of fen, text fields are strings)"
            .to_owned()
    } else {
        format!(
            "not a valid JSON object (line {}, column {})",
            e.line(),
            e.column()
        )
    };
    Error::invalid(what, message)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UnifiedOrderJson {
    body: String,
    #[serde(alias = "outTradeNo")]
    out_trade_no: String,
    #[serde(alias = "totalFee")]
    total_fee: u64,
    #[serde(alias = "spbillCreateIp")]
    spbill_create_ip: String,
    #[serde(default, alias = "notifyUrl")]
    notify_url: Option<String>,
    #[serde(default, alias = "tradeType")]
    trade_type: Option<String>,
    #[serde(default)]
    openid: Option<String>,
    #[serde(default, alias = "productId")]
    product_id: Option<String>,
    #[serde(default)]
    extra: Params,
}

/// A unified order from JSON (`trade_type` defaults to `JSAPI`).
pub fn unified_order_from_json(json: &str) -> Result<UnifiedOrder> {
    let o: UnifiedOrderJson = parse(json, "order")?;
    Ok(UnifiedOrder {
        body: o.body,
        out_trade_no: o.out_trade_no,
        total_fee: o.total_fee,
        spbill_create_ip: o.spbill_create_ip,
        notify_url: o.notify_url.unwrap_or_default(),
        trade_type: TradeType::parse(o.trade_type.as_deref().unwrap_or("JSAPI"))?,
        openid: o.openid,
        product_id: o.product_id,
        extra: o.extra,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrderRefJson {
    #[serde(default, alias = "outTradeNo")]
    out_trade_no: Option<String>,
    #[serde(default, alias = "transactionId")]
    transaction_id: Option<String>,
}

fn one_order(out_trade_no: Option<String>, transaction_id: Option<String>) -> Result<OrderRef> {
    match (out_trade_no, transaction_id) {
        (Some(no), None) => Ok(OrderRef::OutTradeNo(no)),
        (None, Some(id)) => Ok(OrderRef::TransactionId(id)),
        _ => Err(Error::invalid(
            "out_trade_no",
            "give exactly one of out_trade_no and transaction_id",
        )),
    }
}

/// `{"out_trade_no": …}` or `{"transaction_id": …}`.
pub fn order_ref_from_json(json: &str) -> Result<OrderRef> {
    let r: OrderRefJson = parse(json, "query")?;
    one_order(r.out_trade_no, r.transaction_id)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RefundJson {
    #[serde(default, alias = "outTradeNo")]
    out_trade_no: Option<String>,
    #[serde(default, alias = "transactionId")]
    transaction_id: Option<String>,
    #[serde(alias = "outRefundNo")]
    out_refund_no: String,
    #[serde(alias = "totalFee")]
    total_fee: u64,
    #[serde(alias = "refundFee")]
    refund_fee: u64,
    #[serde(default, alias = "refundDesc")]
    refund_desc: Option<String>,
    #[serde(default, alias = "notifyUrl")]
    notify_url: Option<String>,
    #[serde(default)]
    extra: Params,
}

/// A refund from JSON.
pub fn refund_from_json(json: &str) -> Result<Refund> {
    let r: RefundJson = parse(json, "refund")?;
    let mut refund = Refund::new(
        one_order(r.out_trade_no, r.transaction_id)?,
        r.out_refund_no,
        r.total_fee,
        r.refund_fee,
    );
    refund.refund_desc = r.refund_desc;
    refund.notify_url = r.notify_url;
    refund.extra = r.extra;
    Ok(refund)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RefundQueryJson {
    #[serde(default, alias = "refundId")]
    refund_id: Option<String>,
    #[serde(default, alias = "outRefundNo")]
    out_refund_no: Option<String>,
    #[serde(default, alias = "transactionId")]
    transaction_id: Option<String>,
    #[serde(default, alias = "outTradeNo")]
    out_trade_no: Option<String>,
    #[serde(default)]
    offset: Option<u32>,
}

/// A refund query from JSON: exactly one of `refund_id`, `out_refund_no`,
/// `transaction_id`, `out_trade_no`, and an optional `offset`.
pub fn refund_query_from_json(json: &str) -> Result<RefundQuery> {
    let q: RefundQueryJson = parse(json, "query")?;
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
    Ok(RefundQuery {
        refund,
        offset: q.offset,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DownloadBillJson {
    #[serde(alias = "billDate")]
    bill_date: String,
    #[serde(default, alias = "billType")]
    bill_type: Option<String>,
    #[serde(default)]
    gzip: bool,
}

/// A bill request from JSON (`bill_type` defaults to `ALL`).
pub fn download_bill_from_json(json: &str) -> Result<DownloadBill> {
    let b: DownloadBillJson = parse(json, "bill")?;
    Ok(DownloadBill {
        bill_date: b.bill_date,
        bill_type: BillType::parse(b.bill_type.as_deref().unwrap_or("ALL"))?,
        gzip: b.gzip,
    })
}

/// A field map from a JSON object of strings (whole numbers are accepted
/// and written in decimal). Read straight into the map, without an
/// intermediate JSON tree: bindings sign through here on every call.
pub fn params_from_json(json: &str) -> Result<Params> {
    struct FieldMap(Params);

    impl<'de> serde::Deserialize<'de> for FieldMap {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
            struct Visitor;
            impl<'de> serde::de::Visitor<'de> for Visitor {
                type Value = FieldMap;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a JSON object of strings")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> std::result::Result<FieldMap, A::Error> {
                    let mut out = Params::new();
                    while let Some(key) = map.next_key::<String>()? {
                        let FieldValue(value) = map.next_value()?;
                        out.insert(key, value);
                    }
                    Ok(FieldMap(out))
                }
            }
            d.deserialize_map(Visitor)
        }
    }

    struct FieldValue(String);

    impl<'de> serde::Deserialize<'de> for FieldValue {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
            struct Visitor;
            impl serde::de::Visitor<'_> for Visitor {
                type Value = FieldValue;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a string or a whole number")
                }
                fn visit_str<E: serde::de::Error>(
                    self,
                    v: &str,
                ) -> std::result::Result<FieldValue, E> {
                    Ok(FieldValue(v.to_owned()))
                }
                fn visit_string<E: serde::de::Error>(
                    self,
                    v: String,
                ) -> std::result::Result<FieldValue, E> {
                    Ok(FieldValue(v))
                }
                fn visit_u64<E: serde::de::Error>(
                    self,
                    v: u64,
                ) -> std::result::Result<FieldValue, E> {
                    Ok(FieldValue(v.to_string()))
                }
            }
            d.deserialize_any(Visitor)
        }
    }

    let FieldMap(params) = parse(json, "params")?;
    Ok(params)
}

/// Text from JSON, borrowed from the input when it has no escapes; whole
/// numbers are accepted and written in decimal.
struct Text<'de>(Cow<'de, str>);

struct TextVisitor;

impl<'de> serde::de::Visitor<'de> for TextVisitor {
    type Value = Text<'de>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string or a whole number")
    }
    fn visit_borrowed_str<E: serde::de::Error>(
        self,
        v: &'de str,
    ) -> std::result::Result<Text<'de>, E> {
        Ok(Text(Cow::Borrowed(v)))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Text<'de>, E> {
        Ok(Text(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> std::result::Result<Text<'de>, E> {
        Ok(Text(Cow::Owned(v)))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Text<'de>, E> {
        Ok(Text(Cow::Owned(v.to_string())))
    }
}

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

struct Fields<'de>(Vec<(Cow<'de, str>, Cow<'de, str>)>);

impl<'de> Deserialize<'de> for Fields<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Fields<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object of strings")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Fields<'de>, A::Error> {
                let mut out = Vec::with_capacity(map.size_hint().unwrap_or(16));
                while let Some(Text(key)) = map.next_key::<Text<'de>>()? {
                    let Text(value) = map.next_value::<Text<'de>>()?;
                    out.push((key, value));
                }
                Ok(Fields(out))
            }
        }
        d.deserialize_map(Visitor)
    }
}

/// Signs a JSON object of fields without building a map: the fast path for
/// bindings that sign on every request.
///
/// ```
/// let key = wxpay::ApiKey::new("192006250b4c09247ec02edce69f6a2d").unwrap();
/// let s = wxpay::sign_json(r#"{"test2": "test2", "test1": "test1"}"#, &key, wxpay::SignType::Md5).unwrap();
/// assert_eq!(s, "1E3A8D73B5A4AEE787C0F68B5DAB8520");
/// ```
pub fn sign_json(
    params_json: &str,
    key: &crate::ApiKey,
    sign_type: crate::SignType,
) -> Result<String> {
    if let Some(fields) = crate::json_fields::plain_fields(params_json) {
        return crate::sign::sign_pairs(fields, key, sign_type);
    }
    let Fields(owned) = serde_json::from_str(params_json).map_err(|e| json_error(&e, "params"))?;
    let fields = owned.iter().map(|(k, v)| (&**k, &**v)).collect();
    crate::sign::sign_pairs(fields, key, sign_type)
}
