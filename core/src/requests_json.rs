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

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::api::OrderRef;
use crate::error::{Error, Result};
use crate::params::Params;
use crate::{BillType, DownloadBill, Refund, RefundQuery, RefundRef, TradeType, UnifiedOrder};

/// Parses `json` into `T`, turning serde's message into an `InvalidInput`
/// error that names the field but never quotes a value.
fn parse<T: DeserializeOwned>(json: &str, what: &str) -> Result<T> {
    serde_json::from_str(json).map_err(|e| {
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
    })
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
/// and written in decimal).
pub fn params_from_json(json: &str) -> Result<Params> {
    let value: serde_json::Value = parse(json, "params")?;
    let obj = value
        .as_object()
        .ok_or_else(|| Error::invalid("params", "must be a JSON object"))?;
    obj.iter()
        .map(|(k, v)| match v {
            serde_json::Value::String(s) => Ok((k.clone(), s.clone())),
            serde_json::Value::Number(n) if n.is_u64() => Ok((k.clone(), n.to_string())),
            _ => Err(Error::invalid(
                k.as_str(),
                "must be a string (or a whole number)",
            )),
        })
        .collect()
}
