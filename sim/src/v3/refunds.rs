//! API v3 refunds on the simulator's books (the same refunds as v2's): a
//! refund asked for with v3 is queried with either, and its notification
//! is v3's when v3 asked for it.

use serde_json::Value;
use wxpay::{Params, SignType};

use super::{error, from_v2, notifications::refund_of};
use crate::http::{Request, Response};
use crate::notifier;
use crate::pay;
use crate::state::State;

/// `POST /v3/refund/domestic/refunds`.
pub fn refund(state: &mut State, req: &Request) -> Result<String, Response> {
    let asked: Value = serde_json::from_slice(&req.body)
        .map_err(|_| error(400, "PARAM_ERROR", "请求体不是JSON"))?;
    let text = |k: &str| asked[k].as_str().map(str::to_owned);
    let mut f = Params::new();
    // A service provider asks for its sub-merchant's refund.
    let sub = text("sub_mchid");
    match &sub {
        Some(s) => {
            f.insert("mch_id".into(), state.config.provider.mch_id.clone());
            f.insert("sub_mch_id".into(), s.clone());
        }
        None => {
            f.insert("mch_id".into(), state.config.mch_id.clone());
        }
    }
    for k in ["transaction_id", "out_trade_no", "out_refund_no"] {
        if let Some(v) = text(k) {
            f.insert(k.into(), v);
        }
    }
    if let Some(reason) = text("reason") {
        f.insert("refund_desc".into(), reason);
    }
    let amount = &asked["amount"];
    for (v3, v2) in [("total", "total_fee"), ("refund", "refund_fee")] {
        let Some(fen) = amount[v3].as_u64() else {
            return Err(error(
                400,
                "PARAM_ERROR",
                &format!("amount.{v3}需要一个合法的整数"),
            ));
        };
        f.insert(v2.into(), fen.to_string());
    }
    if amount["currency"].as_str().is_some_and(|c| c != "CNY") {
        return Err(error(400, "PARAM_ERROR", "currency仅支持CNY"));
    }
    let reply = from_v2(pay::refund(state, &f, SignType::HmacSha256))?;
    let no = reply.get("out_refund_no").cloned().unwrap_or_default();
    let (order, rec) =
        find(state, &no, sub.as_deref()).ok_or_else(|| error(500, "SYSTEM_ERROR", "系统错误"))?;
    if let Some(url) = text("notify_url") {
        let body = super::refund_notification(&order, &rec);
        notifier::enqueue_v3(state, "refund", &order.out_trade_no, &url, body);
    }
    Ok(refund_of(&order, &rec).to_string())
}

/// `GET /v3/refund/domestic/refunds/{out_refund_no}`.
pub fn query(
    state: &mut State,
    out_refund_no: &str,
    sub_mchid: Option<&str>,
) -> Result<String, Response> {
    let (order, rec) = find(state, out_refund_no, sub_mchid)
        .ok_or_else(|| error(404, "RESOURCE_NOT_EXISTS", "退款单不存在"))?;
    Ok(refund_of(&order, &rec).to_string())
}

fn find(
    state: &State,
    out_refund_no: &str,
    sub_mchid: Option<&str>,
) -> Option<(crate::state::Order, crate::state::RefundRecord)> {
    let mch_id = match sub_mchid {
        Some(_) => &state.config.provider.mch_id,
        None => &state.config.mch_id,
    };
    state
        .orders
        .values()
        .filter(|o| &o.mch_id == mch_id && o.sub_mch_id.as_deref() == sub_mchid)
        .find_map(|o| {
            o.refunds
                .iter()
                .find(|r| r.out_refund_no == out_refund_no)
                .map(|r| (o.clone(), r.clone()))
        })
}
