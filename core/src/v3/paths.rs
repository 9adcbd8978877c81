//! The paths of API v3 calls (docs/protocol.md §19.14), with the shop's
//! numbers checked before they become part of a URL — and of the string
//! that is signed, which covers the path exactly as sent.

use crate::api::OrderRef;
use crate::error::{Error, Result};
use crate::validate;

fn digits(field: &str, value: &str, max: usize) -> Result<()> {
    if value.is_empty() || value.len() > max || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid(field, format!("must be 1-{max} digits")));
    }
    Ok(())
}

/// `GET` an order: `/v3/pay/transactions/out-trade-no/{no}?mchid=…` or
/// `/v3/pay/transactions/id/{transaction_id}?mchid=…`.
///
/// ```
/// let p = wxpay::v3::query_order_path(&wxpay::OrderRef::OutTradeNo("order-0001".into()), "1900009191")?;
/// assert_eq!(p, "/v3/pay/transactions/out-trade-no/order-0001?mchid=1900009191");
/// # Ok::<(), wxpay::Error>(())
/// ```
pub fn query_order_path(order: &OrderRef, mchid: &str) -> Result<String> {
    digits("mchid", mchid, 32)?;
    Ok(match order {
        OrderRef::OutTradeNo(no) => {
            // The charset of out_trade_no needs no escaping in a path: a
            // number outside it is refused rather than escaped.
            validate::merchant_no("out_trade_no", no, 6, 32, b"")?;
            format!("/v3/pay/transactions/out-trade-no/{no}?mchid={mchid}")
        }
        OrderRef::TransactionId(id) => {
            digits("transaction_id", id, 32)?;
            format!("/v3/pay/transactions/id/{id}?mchid={mchid}")
        }
    })
}

/// The path of a service provider's order query: `sp_mchid` and
/// `sub_mchid` in the query.
///
/// ```
/// use wxpay::OrderRef;
/// let path = wxpay::v3::query_partner_order_path(&OrderRef::OutTradeNo("order-0001".into()), "1900000100", "1900000109")?;
/// assert_eq!(path, "/v3/pay/partner/transactions/out-trade-no/order-0001?sp_mchid=1900000100&sub_mchid=1900000109");
/// # Ok::<(), wxpay::Error>(())
/// ```
pub fn query_partner_order_path(
    order: &OrderRef,
    sp_mchid: &str,
    sub_mchid: &str,
) -> Result<String> {
    digits("sub_mchid", sub_mchid, 32)?;
    let direct = query_order_path(order, sp_mchid)?;
    let rest = direct.trim_start_matches("/v3/pay/transactions/");
    let (path, _) = rest.split_once("?mchid=").unwrap_or((rest, ""));
    Ok(format!(
        "/v3/pay/partner/transactions/{path}?sp_mchid={sp_mchid}&sub_mchid={sub_mchid}"
    ))
}

/// The path of a service provider's close (the body carries `sp_mchid`
/// and `sub_mchid`).
pub fn close_partner_order_path(out_trade_no: &str) -> Result<String> {
    validate::merchant_no("out_trade_no", out_trade_no, 6, 32, b"")?;
    Ok(format!(
        "/v3/pay/partner/transactions/out-trade-no/{out_trade_no}/close"
    ))
}

/// The path of a service provider's refund query.
pub fn query_partner_refund_path(out_refund_no: &str, sub_mchid: &str) -> Result<String> {
    digits("sub_mchid", sub_mchid, 32)?;
    Ok(format!(
        "{}?sub_mchid={sub_mchid}",
        query_refund_path(out_refund_no)?
    ))
}

/// `POST` to close an order (answered 204):
/// `/v3/pay/transactions/out-trade-no/{no}/close`, body `{"mchid":…}`.
pub fn close_order_path(out_trade_no: &str) -> Result<String> {
    validate::merchant_no("out_trade_no", out_trade_no, 6, 32, b"")?;
    Ok(format!(
        "/v3/pay/transactions/out-trade-no/{out_trade_no}/close"
    ))
}

/// `GET` a refund: `/v3/refund/domestic/refunds/{out_refund_no}`.
pub fn query_refund_path(out_refund_no: &str) -> Result<String> {
    validate::merchant_no("out_refund_no", out_refund_no, 1, 64, b"@")?;
    Ok(format!("/v3/refund/domestic/refunds/{out_refund_no}"))
}

/// `GET` a bill's hash and download URL: the trade bill
/// (`/v3/bill/tradebill`, `bill_type` ALL, SUCCESS or REFUND) or the fund
/// flow (`/v3/bill/fundflowbill`, `account_type` BASIC, OPERATION or FEES),
/// for `bill_date` `yyyy-MM-dd`, gzip.
///
/// ```
/// assert_eq!(wxpay::v3::bill_path("tradebill", "2024-12-03", "ALL")?,
///            "/v3/bill/tradebill?bill_date=2024-12-03&bill_type=ALL&tar_type=GZIP");
/// # Ok::<(), wxpay::Error>(())
/// ```
pub fn bill_path(bill: &str, bill_date: &str, kind: &str) -> Result<String> {
    let date_ok = bill_date.len() == 10
        && bill_date.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !date_ok {
        return Err(Error::invalid("bill_date", "must be yyyy-MM-dd"));
    }
    match (bill, kind) {
        ("tradebill", "ALL" | "SUCCESS" | "REFUND") => Ok(format!(
            "/v3/bill/tradebill?bill_date={bill_date}&bill_type={kind}&tar_type=GZIP"
        )),
        ("fundflowbill", "BASIC" | "OPERATION" | "FEES") => Ok(format!(
            "/v3/bill/fundflowbill?bill_date={bill_date}&account_type={kind}&tar_type=GZIP"
        )),
        ("tradebill", _) => Err(Error::invalid(
            "bill_type",
            "must be ALL, SUCCESS or REFUND",
        )),
        ("fundflowbill", _) => Err(Error::invalid(
            "account_type",
            "must be BASIC, OPERATION or FEES (v3's upper case)",
        )),
        _ => Err(Error::invalid("bill", "must be tradebill or fundflowbill")),
    }
}
