//! API v3 notifications as the simulator sends them (docs/protocol.md
//! §19.5): the order or refund as JSON, encrypted with the merchant's APIv3
//! key under AEAD_AES_256_GCM, in WeChat's envelope. The signature headers
//! are added at each delivery (notifier.rs), as WeChat signs every retry
//! afresh.

use serde_json::{json, Value};

use super::{keys, rfc3339};
use crate::state::{beijing_time, random_token, unix_now, Order, RefundRecord, State};

/// An order as v3 describes it (query answers and payment notifications).
pub fn transaction_of(state: &State, order: &Order) -> Value {
    let appid = state
        .account(&order.mch_id)
        .map(|(appid, _)| appid.to_owned())
        .unwrap_or_default();
    let mut t = json!({
        "out_trade_no": order.out_trade_no,
        "trade_state": order.trade_state,
        "trade_state_desc": trade_state_desc(&order.trade_state),
        "amount": {"total": order.total_fee, "currency": "CNY"},
    });
    // A service provider's order names both merchants, and the payer under
    // either appid.
    let payer = match &order.sub_mch_id {
        None => {
            t["appid"] = json!(appid);
            t["mchid"] = json!(order.mch_id);
            json!({"openid": order.openid})
        }
        Some(sub) => {
            t["sp_appid"] = json!(appid);
            t["sp_mchid"] = json!(order.mch_id);
            t["sub_mchid"] = json!(sub);
            if let Some(sub_appid) = &order.sub_appid {
                t["sub_appid"] = json!(sub_appid);
            }
            match &order.sub_openid {
                Some(o) => json!({"sub_openid": o}),
                None => json!({"sp_openid": order.openid}),
            }
        }
    };
    if let Some(tid) = &order.transaction_id {
        t["transaction_id"] = json!(tid);
        t["trade_type"] = json!(order.trade_type);
        t["bank_type"] = json!("OTHERS");
        t["success_time"] = json!(order.time_end.as_deref().and_then(rfc3339));
        t["payer"] = payer;
        t["amount"] = json!({"total": order.total_fee, "payer_total": order.total_fee,
                             "currency": "CNY", "payer_currency": "CNY"});
    }
    if let Some(a) = &order.attach {
        t["attach"] = json!(a);
    }
    t
}

fn trade_state_desc(state: &str) -> &'static str {
    match state {
        "SUCCESS" => "支付成功",
        "REFUND" => "转入退款",
        "NOTPAY" => "未支付",
        "CLOSED" => "已关闭",
        "USERPAYING" => "用户支付中",
        _ => "支付失败",
    }
}

/// A refund as v3 describes it (answers, queries, notification resources).
pub fn refund_of(order: &Order, refund: &RefundRecord) -> Value {
    json!({
        "refund_id": refund.refund_id,
        "out_refund_no": refund.out_refund_no,
        "transaction_id": order.transaction_id,
        "out_trade_no": order.out_trade_no,
        "channel": "ORIGINAL",
        "user_received_account": "支付用户零钱",
        "success_time": refund.success_time.as_deref().map(|t| t.replace(' ', "T") + "+08:00"),
        "create_time": rfc3339(&beijing_time(refund.requested_at, false)),
        "status": refund.status,
        "funds_account": "UNSETTLED",
        "amount": {"total": order.total_fee, "refund": refund.refund_fee,
                   "payer_total": order.total_fee, "payer_refund": refund.refund_fee,
                   "settlement_refund": refund.refund_fee, "settlement_total": order.total_fee,
                   "discount_refund": 0, "currency": "CNY"},
    })
}

/// WeChat's envelope around `resource`, encrypted.
fn envelope(event_type: &str, summary: &str, original_type: &str, resource: &Value) -> String {
    let Some(keys) = keys() else {
        return String::new();
    };
    let nonce = random_token(12);
    let ciphertext = keys
        .apiv3
        .encrypt(&nonce, original_type, resource.to_string().as_bytes())
        .unwrap_or_default();
    json!({
        "id": format!("{}-{}", random_token(8), random_token(4)).to_ascii_lowercase(),
        "create_time": rfc3339(&beijing_time(unix_now(), false)),
        "resource_type": "encrypt-resource",
        "event_type": event_type,
        "summary": summary,
        "resource": {"original_type": original_type, "algorithm": "AEAD_AES_256_GCM",
                     "ciphertext": ciphertext, "associated_data": original_type, "nonce": nonce},
    })
    .to_string()
}

/// The payment notification of a paid order.
pub fn payment_notification(state: &State, order: &Order) -> String {
    envelope(
        "TRANSACTION.SUCCESS",
        "支付成功",
        "transaction",
        &transaction_of(state, order),
    )
}

/// The refund notification of a refund: its resource names the merchant
/// and spells the state `refund_status`.
pub fn refund_notification(order: &Order, refund: &RefundRecord) -> String {
    let mut resource = refund_of(order, refund);
    match &order.sub_mch_id {
        None => resource["mchid"] = json!(order.mch_id),
        Some(sub) => {
            resource["sp_mchid"] = json!(order.mch_id);
            resource["sub_mchid"] = json!(sub);
        }
    }
    resource["refund_status"] = resource["status"].clone();
    let event = match refund.status.as_str() {
        "SUCCESS" => "REFUND.SUCCESS",
        "CLOSED" => "REFUND.CLOSED",
        _ => "REFUND.ABNORMAL",
    };
    envelope(event, "退款成功", "refund", &resource)
}
