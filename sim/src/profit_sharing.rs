//! Profit sharing as WeChat keeps it: receivers per merchant (and
//! sub-merchant), sharings per `out_order_no`, and per paid order what was
//! shared and whether the rest was released. HMAC-SHA256 only; at most 30 %
//! of an order shared; only orders placed with `profit_sharing=Y`; a single
//! sharing or a finish releases the rest, after which nothing more is shared.
//! Sharings succeed at once (the query says FINISHED for a single sharing
//! and a finish, PROCESSING for a multiple one until the order finishes).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};
use wxpay::{Params, SignType};

use crate::pay::{biz, get, merchant_no, require, Call, Reply};
use crate::state::{random_digits, State};

/// The share of an order a merchant may give away, in percent.
pub const MAX_RATIO_PERCENT: u64 = 30;

/// What the simulator knows of profit sharing.
#[derive(Debug, Default)]
pub struct Books {
    /// (merchant, sub-merchant) → registered (type, account).
    receivers: BTreeMap<(String, String), BTreeSet<(String, String)>>,
    /// (merchant, sub-merchant, out_order_no) → the sharing.
    sharings: BTreeMap<(String, String, String), Sharing>,
    /// transaction_id → fen shared so far.
    shared: BTreeMap<String, u64>,
    /// transaction_ids whose rest went back to the merchant.
    released: BTreeSet<String>,
    /// (merchant, sub-merchant, out_return_no) → the return.
    returns: BTreeMap<(String, String, String), Return>,
}

#[derive(Debug, Clone)]
struct Return {
    /// The sharing's key in `sharings`.
    sharing: (String, String, String),
    order_id: String,
    return_no: String,
    account: String,
    amount: u64,
    description: String,
}

#[derive(Debug, Clone)]
struct Sharing {
    transaction_id: String,
    order_id: String,
    /// The request's `receivers`, as sent (or empty for a finish).
    receivers: String,
    finish: bool,
    multi: bool,
}

fn owner(f: &Params) -> (String, String) {
    (
        f["mch_id"].clone(),
        get(f, "sub_mch_id").unwrap_or("").to_owned(),
    )
}

fn hmac_only(call: &Call) -> Result<(), Reply> {
    if call.sign_type != SignType::HmacSha256 {
        return Err(biz("PARAM_ERROR", "分账只支持HMAC-SHA256签名"));
    }
    Ok(())
}

fn refuse(f: &Params, names: &[&str]) -> Result<(), Reply> {
    for name in names {
        if get(f, name).is_some() {
            return Err(biz("PARAM_ERROR", format!("该接口不支持参数{name}")));
        }
    }
    Ok(())
}

fn run(f: impl FnOnce() -> Result<Reply, Reply>) -> Reply {
    match f() {
        Ok(r) | Err(r) => r,
    }
}

/// `pay/profitsharingaddreceiver` (`add`) and `…removereceiver`.
pub fn change_receiver(state: &mut State, f: &Params, call: &Call, add: bool) -> Reply {
    run(|| {
        hmac_only(call)?;
        let text = require(f, "receiver")?;
        let r: Value = serde_json::from_str(text)
            .map_err(|_| Reply::ReturnFail("分账接收方格式错误".into()))?;
        let field = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
        let (kind, account) = (field("type"), field("account"));
        if !matches!(
            kind.as_str(),
            "MERCHANT_ID" | "PERSONAL_OPENID" | "PERSONAL_SUB_OPENID"
        ) || account.is_empty()
        {
            return Err(Reply::ReturnFail("分账接收方格式错误".into()));
        }
        if add && kind == "MERCHANT_ID" && field("name").is_empty() {
            return Err(biz("PARAM_ERROR", "分账接收方类型为MERCHANT_ID时name必填"));
        }
        if add && field("relation_type").is_empty() {
            return Err(biz("PARAM_ERROR", "relation_type必填"));
        }
        let set = state.profit_sharing.receivers.entry(owner(f)).or_default();
        if add {
            set.insert((kind.clone(), account.clone()));
        } else {
            set.remove(&(kind.clone(), account.clone()));
        }
        let mut reply = Params::new();
        reply.insert(
            "receiver".into(),
            json!({ "type": kind, "account": account }).to_string(),
        );
        Ok(Reply::Ok(reply))
    })
}

/// The paid order behind `transaction_id`, of this merchant, placed for
/// sharing, and not released.
fn shareable(state: &State, f: &Params, transaction_id: &str) -> Result<u64, Reply> {
    let order = state
        .transactions
        .get(transaction_id)
        .and_then(|k| state.orders.get(k))
        .filter(|o| o.mch_id == f["mch_id"] && o.sub_mch_id.as_deref() == get(f, "sub_mch_id"))
        .ok_or_else(|| biz("ORDER_NOT_EXIST", "订单不存在"))?;
    if order.business.get("profit_sharing").map(String::as_str) != Some("Y") {
        return Err(biz("NOT_SHARE_ORDER", "非分账订单不支持分账"));
    }
    if state.profit_sharing.released.contains(transaction_id) {
        return Err(biz("INVALID_REQUEST", "订单已完结分账，不能再分账"));
    }
    Ok(order.total_fee)
}

fn sharing_reply(f: &Params, s: &Sharing, out_order_no: &str, status: &str) -> Reply {
    let mut reply = Params::new();
    reply.insert("transaction_id".into(), s.transaction_id.clone());
    reply.insert("out_order_no".into(), out_order_no.to_owned());
    reply.insert("order_id".into(), s.order_id.clone());
    reply.insert("status".into(), status.into());
    if let Some(sub) = get(f, "sub_mch_id") {
        reply.insert("sub_mch_id".into(), sub.to_owned());
    }
    Reply::Ok(reply)
}

/// `secapi/pay/profitsharing` and `…/multiprofitsharing` (`multi`).
pub fn share(state: &mut State, f: &Params, call: &Call, multi: bool) -> Reply {
    run(|| {
        hmac_only(call)?;
        let transaction_id = require(f, "transaction_id")?.to_owned();
        let out_order_no = merchant_no(f, "out_order_no", 1, 64)?;
        let text = require(f, "receivers")?.to_owned();
        let (mch, sub) = owner(f);
        let key = (mch.clone(), sub.clone(), out_order_no.clone());
        if let Some(done) = state.profit_sharing.sharings.get(&key) {
            // The same number is the same request.
            if done.transaction_id == transaction_id && done.receivers == text && !done.finish {
                let status = if done.multi { "PROCESSING" } else { "FINISHED" };
                return Ok(sharing_reply(f, &done.clone(), &out_order_no, status));
            }
            return Err(biz("INVALID_REQUEST", "商户分账单号重复"));
        }
        let total_fee = shareable(state, f, &transaction_id)?;
        let list: Vec<Value> = serde_json::from_str(&text)
            .map_err(|_| Reply::ReturnFail("分账接收方列表格式错误".into()))?;
        if list.is_empty() || list.len() > 50 {
            return Err(Reply::ReturnFail("分账接收方列表格式错误".into()));
        }
        let registered = state.profit_sharing.receivers.get(&(mch, sub));
        let mut amount = 0u64;
        for r in &list {
            let kind = r.get("type").and_then(Value::as_str).unwrap_or("");
            let account = r.get("account").and_then(Value::as_str).unwrap_or("");
            let Some(fen) = r.get("amount").and_then(Value::as_u64).filter(|a| *a > 0) else {
                return Err(Reply::ReturnFail("分账接收方列表格式错误".into()));
            };
            if !registered.is_some_and(|set| set.contains(&(kind.to_owned(), account.to_owned()))) {
                return Err(biz("RECEIVER_INVALID", "分账接收方未添加"));
            }
            amount = amount.saturating_add(fen);
        }
        let before = state
            .profit_sharing
            .shared
            .get(&transaction_id)
            .copied()
            .unwrap_or(0);
        if before.saturating_add(amount) * 100 > total_fee * MAX_RATIO_PERCENT {
            return Err(biz("INVALID_REQUEST", "分账金额超出最大分账比例"));
        }
        state
            .profit_sharing
            .shared
            .insert(transaction_id.clone(), before + amount);
        if !multi {
            state.profit_sharing.released.insert(transaction_id.clone());
        }
        let sharing = Sharing {
            transaction_id,
            order_id: format!("3008{}", random_digits(24)),
            receivers: text,
            finish: false,
            multi,
        };
        state.profit_sharing.sharings.insert(key, sharing.clone());
        let status = if multi { "PROCESSING" } else { "FINISHED" };
        Ok(sharing_reply(f, &sharing, &out_order_no, status))
    })
}

/// `secapi/pay/profitsharingfinish`: the rest goes back to the merchant.
pub fn finish(state: &mut State, f: &Params, call: &Call) -> Reply {
    run(|| {
        hmac_only(call)?;
        refuse(f, &["sub_appid"])?;
        let transaction_id = require(f, "transaction_id")?.to_owned();
        let out_order_no = merchant_no(f, "out_order_no", 1, 64)?;
        require(f, "description")?;
        let (mch, sub) = owner(f);
        let key = (mch, sub, out_order_no.clone());
        if state.profit_sharing.sharings.contains_key(&key) {
            return Err(biz("INVALID_REQUEST", "商户分账单号重复"));
        }
        shareable(state, f, &transaction_id)?;
        state.profit_sharing.released.insert(transaction_id.clone());
        let sharing = Sharing {
            transaction_id,
            order_id: format!("3008{}", random_digits(24)),
            receivers: String::new(),
            finish: true,
            multi: false,
        };
        state.profit_sharing.sharings.insert(key, sharing.clone());
        Ok(sharing_reply(f, &sharing, &out_order_no, "FINISHED"))
    })
}

/// `pay/profitsharingquery`: no appid or sub_appid in the request.
pub fn query(state: &mut State, f: &Params, call: &Call) -> Reply {
    run(|| {
        hmac_only(call)?;
        refuse(f, &["appid", "sub_appid"])?;
        let transaction_id = require(f, "transaction_id")?;
        let out_order_no = merchant_no(f, "out_order_no", 1, 64)?;
        let (mch, sub) = owner(f);
        let Some(s) = state
            .profit_sharing
            .sharings
            .get(&(mch, sub, out_order_no.clone()))
            .filter(|s| s.transaction_id == transaction_id)
            .cloned()
        else {
            return Err(biz("ORDER_NOT_EXIST", "分账单不存在"));
        };
        let finished =
            s.finish || !s.multi || state.profit_sharing.released.contains(transaction_id);
        let status = if finished { "FINISHED" } else { "PROCESSING" };
        let Reply::Ok(mut reply) = sharing_reply(f, &s, &out_order_no, status) else {
            return Err(biz("SYSTEMERROR", "系统错误"));
        };
        let results: Vec<Value> = serde_json::from_str::<Vec<Value>>(&s.receivers)
            .unwrap_or_default()
            .into_iter()
            .map(|mut r| {
                r["result"] = json!("SUCCESS");
                r["detail_id"] = json!(format!("3600{}", random_digits(20)));
                r
            })
            .collect();
        reply.insert("receivers".into(), Value::from(results).to_string());
        Ok(Reply::Ok(reply))
    })
}

/// `pay/profitsharingorderamountquery`: no appid or sub_appid.
pub fn unsplit_amount(state: &mut State, f: &Params, call: &Call) -> Reply {
    run(|| {
        hmac_only(call)?;
        refuse(f, &["appid", "sub_appid"])?;
        let transaction_id = require(f, "transaction_id")?.to_owned();
        let order = state
            .transactions
            .get(&transaction_id)
            .and_then(|k| state.orders.get(k))
            .filter(|o| o.mch_id == f["mch_id"])
            .ok_or_else(|| biz("ORDER_NOT_EXIST", "订单不存在"))?;
        let shared = state
            .profit_sharing
            .shared
            .get(&transaction_id)
            .copied()
            .unwrap_or(0);
        let left = if state.profit_sharing.released.contains(&transaction_id)
            || order.business.get("profit_sharing").map(String::as_str) != Some("Y")
        {
            0
        } else {
            order.total_fee - shared
        };
        let mut reply = Params::new();
        reply.insert("transaction_id".into(), transaction_id);
        reply.insert("unsplit_amount".into(), left.to_string());
        Ok(Reply::Ok(reply))
    })
}

/// How the return calls refuse: `return_code=FAIL` with `error_code`.
fn return_fail(code: &'static str, msg: &str) -> Reply {
    Reply::ReturnFailCode(code, msg.to_owned())
}

/// The sharing a return names by `order_id` or `out_order_no`, of this
/// merchant (and sub-merchant).
fn named_sharing(state: &State, f: &Params) -> Result<((String, String, String), Sharing), Reply> {
    let (mch, sub) = owner(f);
    let found = match (get(f, "order_id"), get(f, "out_order_no")) {
        (None, Some(no)) => {
            let key = (mch, sub, no.to_owned());
            state
                .profit_sharing
                .sharings
                .get(&key)
                .map(|s| (key, s.clone()))
        }
        (Some(id), None) => state
            .profit_sharing
            .sharings
            .iter()
            .find(|((m, s, _), sharing)| *m == mch && *s == sub && sharing.order_id == id)
            .map(|(k, s)| (k.clone(), s.clone())),
        _ => {
            return Err(return_fail(
                "PARAM_ERROR",
                "order_id和out_order_no必须且只能填一个",
            ))
        }
    };
    found
        .filter(|(_, s)| !s.finish)
        .ok_or_else(|| return_fail("INVALID_REQUEST", "分账单不存在"))
}

fn return_reply(f: &Params, sharing_key: &(String, String, String), r: &Return) -> Reply {
    let mut reply = Params::new();
    reply.insert("order_id".into(), r.order_id.clone());
    reply.insert("out_order_no".into(), sharing_key.2.clone());
    reply.insert(
        "out_return_no".into(),
        get(f, "out_return_no").unwrap_or("").to_owned(),
    );
    reply.insert("return_no".into(), r.return_no.clone());
    reply.insert("return_account_type".into(), "MERCHANT_ID".into());
    reply.insert("return_account".into(), r.account.clone());
    reply.insert("return_amount".into(), r.amount.to_string());
    reply.insert("description".into(), r.description.clone());
    reply.insert("result".into(), "SUCCESS".into());
    reply.insert("finish_time".into(), "20240102120000".into());
    if let Some(sub) = get(f, "sub_mch_id") {
        reply.insert("sub_mch_id".into(), sub.to_owned());
    }
    Reply::Ok(reply)
}

/// `secapi/pay/profitsharingreturn`: a merchant receiver gives back part
/// of what it got, at once. The same `out_return_no` is the same request.
pub fn give_back(state: &mut State, f: &Params, call: &Call) -> Reply {
    run(|| {
        if call.sign_type != SignType::HmacSha256 {
            return Err(return_fail("PARAM_ERROR", "分账只支持HMAC-SHA256签名"));
        }
        if get(f, "sub_appid").is_some() {
            return Err(return_fail("PARAM_ERROR", "该接口不支持参数sub_appid"));
        }
        let out_return_no = merchant_no(f, "out_return_no", 1, 64)?;
        if get(f, "return_account_type") != Some("MERCHANT_ID") {
            return Err(return_fail(
                "PARAM_ERROR",
                "return_account_type只支持MERCHANT_ID",
            ));
        }
        let account = require(f, "return_account")?.to_owned();
        let amount = require(f, "return_amount")?
            .parse::<u64>()
            .ok()
            .filter(|a| *a > 0)
            .ok_or_else(|| return_fail("PARAM_ERROR", "return_amount格式错误"))?;
        let description = require(f, "description")?.to_owned();
        let (key, sharing) = named_sharing(state, f)?;
        let (mch, sub) = owner(f);
        let return_key = (mch, sub, out_return_no);
        if let Some(done) = state.profit_sharing.returns.get(&return_key) {
            if done.sharing == key && done.account == account && done.amount == amount {
                return Ok(return_reply(f, &key, &done.clone()));
            }
            return Err(return_fail("INVALID_REQUEST", "商户回退单号重复"));
        }
        let received: u64 = serde_json::from_str::<Vec<Value>>(&sharing.receivers)
            .unwrap_or_default()
            .iter()
            .filter(|r| {
                r.get("type").and_then(Value::as_str) == Some("MERCHANT_ID")
                    && r.get("account").and_then(Value::as_str) == Some(account.as_str())
            })
            .filter_map(|r| r.get("amount").and_then(Value::as_u64))
            .sum();
        if received == 0 {
            return Err(return_fail(
                "INVALID_REQUEST",
                "回退方不是该分账单的分账接收方",
            ));
        }
        let given_back: u64 = state
            .profit_sharing
            .returns
            .values()
            .filter(|r| r.sharing == key && r.account == account)
            .map(|r| r.amount)
            .sum();
        if given_back.saturating_add(amount) > received {
            return Err(return_fail("INVALID_REQUEST", "回退金额超过分账金额"));
        }
        let r = Return {
            sharing: key.clone(),
            order_id: sharing.order_id.clone(),
            return_no: format!("3008{}", random_digits(24)),
            account,
            amount,
            description,
        };
        state.profit_sharing.returns.insert(return_key, r.clone());
        Ok(return_reply(f, &key, &r))
    })
}

/// `pay/profitsharingreturnquery`.
pub fn give_back_query(state: &mut State, f: &Params, call: &Call) -> Reply {
    run(|| {
        if call.sign_type != SignType::HmacSha256 {
            return Err(return_fail("PARAM_ERROR", "分账只支持HMAC-SHA256签名"));
        }
        let out_return_no = merchant_no(f, "out_return_no", 1, 64)?;
        let (key, _) = named_sharing(state, f)?;
        let (mch, sub) = owner(f);
        let r = state
            .profit_sharing
            .returns
            .get(&(mch, sub, out_return_no))
            .filter(|r| r.sharing == key)
            .cloned()
            .ok_or_else(|| return_fail("INVALID_REQUEST", "回退单不存在"))?;
        Ok(return_reply(f, &key, &r))
    })
}

/// `pay/profitsharingmerchantratioquery`: a provider's ratio for one of
/// its sub-merchants, or a brand; no appid.
pub fn max_ratio(state: &mut State, f: &Params, call: &Call) -> Reply {
    run(|| {
        hmac_only(call)?;
        if f["mch_id"] != state.config.provider.mch_id {
            return Err(biz("NOAUTH", "非服务商不能查询最大分账比例"));
        }
        refuse(f, &["appid", "sub_appid"])?;
        let (sub, brand) = (get(f, "sub_mch_id"), get(f, "brand_mch_id"));
        if sub.is_some() == brand.is_some() {
            return Err(biz(
                "PARAM_ERROR",
                "sub_mch_id和brand_mch_id必须且只能填一个",
            ));
        }
        let mut reply = Params::new();
        if let Some(brand) = brand {
            reply.insert("brand_mch_id".into(), brand.to_owned());
        }
        reply.insert("max_ratio".into(), (MAX_RATIO_PERCENT * 100).to_string());
        Ok(Reply::Ok(reply))
    })
}
