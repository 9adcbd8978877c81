//! The simulator's own endpoints under `/sim/`: what the WeChat client does
//! in the browser (pay, `wx.config`), and what tests inspect or inject.

use std::time::Duration;

use serde_json::{json, Value};
use wxpay::{Params, SignType};

use crate::http::{Request, Response};
use crate::notifier;
use crate::state::{beijing_time, random_digits, unix_now, Fault, Stat, State};

/// The name a page's call gets back in `err_msg` / `errMsg`.
fn pay_result(shape: &str, ok: bool, reason: &str) -> Value {
    let (name, key) = if shape == "jssdk" {
        ("chooseWXPay", "errMsg")
    } else {
        ("get_brand_wcpay_request", "err_msg")
    };
    if ok {
        json!({ key: format!("{name}:ok") })
    } else {
        json!({ key: format!("{name}:fail"), "reason": reason })
    }
}

/// `POST /sim/jsapi/pay`: what the WeChat client checks before it lets the
/// user pay, then the payment itself. Body: the object the page passed to
/// `getBrandWCPayRequest` (`shape` = `bridge`, the default) or, for
/// `wx.chooseWXPay`, the same with `timeStamp` taken from its `timestamp` and
/// `appId` from `wx.config` (`shape` = `jssdk`).
pub fn jsapi_pay(state: &mut State, req: &Request) -> Response {
    let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
        state.count(Stat::JsapiPay);
        return Response::json(&pay_result(
            "bridge",
            false,
            "the body is not a JSON object",
        ));
    };
    Response::json(&pay(state, &body))
}

/// The payment of [`jsapi_pay`] from its body as JSON; the answer the page
/// would get (`err_msg` ends in `:ok` when paid).
pub fn pay(state: &mut State, body: &Value) -> Value {
    state.count(Stat::JsapiPay);
    let shape = body
        .get("shape")
        .and_then(Value::as_str)
        .unwrap_or("bridge")
        .to_owned();
    let fail = |why: &str| pay_result(&shape, false, why);
    let mut signed = Params::new();
    for k in ["appId", "timeStamp", "nonceStr", "package", "signType"] {
        match body.get(k) {
            Some(Value::String(s)) if !s.is_empty() => {
                signed.insert(k.into(), s.clone());
            }
            Some(Value::Number(_)) if k == "timeStamp" => {
                return fail("timeStamp must be a string of seconds, not a number");
            }
            _ => return fail(&format!("{k} is missing")),
        }
    }
    let Some(pay_sign) = body.get("paySign").and_then(Value::as_str) else {
        return fail("paySign is missing");
    };
    let ts = &signed["timeStamp"];
    if ts.len() != 10 || !ts.bytes().all(|b| b.is_ascii_digit()) {
        return fail("timeStamp must be 10 digits of Unix seconds");
    }
    let Some(prepay_id) = signed["package"]
        .strip_prefix("prepay_id=")
        .map(str::to_owned)
    else {
        return fail("package must be prepay_id=…");
    };
    let Some(order_key) = state.prepay.get(&prepay_id).cloned() else {
        return fail("unknown prepay_id");
    };
    let Some(order) = state.orders.get(&order_key) else {
        return fail("unknown prepay_id");
    };
    if order.trade_type != "JSAPI" {
        return fail("the order was not placed with trade_type JSAPI");
    }
    // The page paying is the account the payer was named under: the
    // sub-merchant's when the order gave a sub_openid, else the merchant's
    // (for a provider, its own appid).
    let Some((merchant_appid, key)) = state.account(&order.mch_id) else {
        return fail("unknown prepay_id");
    };
    let page_appid = match (&order.sub_openid, &order.sub_appid) {
        (Some(_), Some(sub_appid)) => sub_appid.as_str(),
        _ => merchant_appid,
    };
    if signed["appId"] != page_appid {
        return fail(&format!(
            "appId is not the appid of the account the payer was named under ({page_appid})"
        ));
    }
    if signed["signType"] != order.sign_type {
        return fail("signType differs from the sign type of the unified order");
    }
    if order
        .created
        .is_some_and(|c| c.elapsed() > Duration::from_secs(7200))
    {
        return fail("prepay_id expired (2 hours)");
    }
    if order.api_v3 {
        // API v3: SHA256withRSA by the merchant's key over four lines.
        let message = format!(
            "{}\n{}\n{}\n{}\n",
            signed["appId"], signed["timeStamp"], signed["nonceStr"], signed["package"]
        );
        if !crate::v3::merchant_signed(&message, pay_sign) {
            return fail("paySign is wrong");
        }
    } else {
        let sign_type = SignType::parse(&order.sign_type).unwrap_or(SignType::Md5);
        let mut with_sign = signed.clone();
        with_sign.insert("sign".into(), pay_sign.to_owned());
        if wxpay::verify(&with_sign, key, sign_type).is_err() {
            return fail("paySign is wrong");
        }
    }
    match settle_paid(state, &order_key) {
        Ok(()) => pay_result(&shape, true, ""),
        Err(why) => fail(why),
    }
}

/// The payer pays the unpaid order `order_key`: it becomes SUCCESS with a
/// new transaction_id, and its notification is queued.
pub fn settle_paid(state: &mut State, order_key: &str) -> Result<(), &'static str> {
    match state.orders.get(order_key).map(|o| o.trade_state.as_str()) {
        Some("NOTPAY") => {}
        Some("CLOSED") => return Err("the order is closed"),
        Some(_) => return Err("the order is already paid"),
        None => return Err("unknown order"),
    }
    let now = unix_now();
    let transaction_id = format!("4200{}", random_digits(24));
    let order = state.orders.get_mut(order_key).map(|o| {
        o.trade_state = "SUCCESS".into();
        o.transaction_id = Some(transaction_id.clone());
        o.time_end = Some(beijing_time(now, false));
        o.paid_at = Some(now);
        o.clone()
    });
    if let Some(order) = order {
        state
            .transactions
            .insert(transaction_id, order_key.to_owned());
        notifier::enqueue_payment(state, &order);
    }
    Ok(())
}

/// `POST /sim/jsapi/config`: checks a `wx.config` signature against the
/// tickets WeChat would accept now, for the page URL the browser is on.
pub fn jssdk_config(state: &mut State, req: &Request) -> Response {
    state.count(Stat::JssdkConfig);
    let fail =
        |why: &str| Response::json(&json!({ "errMsg": "config:invalid signature", "reason": why }));
    let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
        return fail("the body is not a JSON object");
    };
    let s = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    if s("appId") != state.config.appid {
        return Response::json(
            &json!({ "errMsg": "config:invalid appId", "reason": "appId is not the official account's" }),
        );
    }
    let timestamp = match body.get("timestamp") {
        Some(Value::Number(n)) => n.as_u64(),
        Some(Value::String(t)) => t.parse().ok(),
        _ => None,
    };
    let Some(timestamp) = timestamp else {
        return fail("timestamp is missing");
    };
    let url = s("url");
    let signature = s("signature");
    let valid = state
        .tickets
        .iter()
        .filter(|t| t.remaining() > Duration::ZERO)
        .any(|t| {
            wxpay::jssdk_signature(&t.value, &s("nonceStr"), timestamp, &url)
                .is_ok_and(|sig| sig == signature)
        });
    if valid {
        Response::json(&json!({ "errMsg": "config:ok" }))
    } else if state.tickets.is_empty() {
        fail("no jsapi_ticket was ever issued: the server must fetch one to sign wx.config")
    } else {
        fail("the signature does not match sha1(jsapi_ticket, noncestr, timestamp, url) for this page URL")
    }
}

/// `GET /sim/prepay/{prepay_id}`: what the simulated pay dialog shows.
pub fn prepay_info(state: &State, prepay_id: &str) -> Response {
    match state
        .prepay
        .get(prepay_id)
        .and_then(|no| state.orders.get(no))
    {
        Some(o) => Response::json(
            &json!({ "out_trade_no": o.out_trade_no, "total_fee": o.total_fee, "body": o.body,
                                            "trade_state": o.trade_state }),
        ),
        None => Response::not_found(),
    }
}

pub fn stats(state: &State) -> Response {
    Response::json(&json!(state.stats))
}

/// `GET /sim/orders/{out_trade_no}`: the order of that number (the first,
/// when several merchants or sub-merchants use it).
pub fn order(state: &State, out_trade_no: &str) -> Response {
    match state.order_by_number(out_trade_no) {
        Some(o) => Response::json(&json!(o)),
        None => Response::not_found(),
    }
}

pub fn notifications(state: &State) -> Response {
    Response::json(&json!(state.notifications))
}

/// `POST /sim/faults` with one fault object or an array; `DELETE` clears.
pub fn faults(state: &mut State, req: &Request) -> Response {
    if req.method == "DELETE" {
        state.faults.clear();
        return Response::json(&json!({ "faults": [] }));
    }
    if req.method == "GET" {
        return Response::json(&json!({ "faults": state.faults }));
    }
    let parsed: Result<Vec<Fault>, _> = serde_json::from_slice::<Vec<Fault>>(&req.body)
        .or_else(|_| serde_json::from_slice::<Fault>(&req.body).map(|f| vec![f]));
    match parsed {
        Ok(list) => {
            if let Some(Err(why)) = list.iter().map(Fault::check).find(Result::is_err) {
                return Response::new(400, "application/json", json!({ "error": why }).to_string());
            }
            state.faults.extend(list);
            Response::json(&json!({ "faults": state.faults }))
        }
        Err(e) => Response::new(
            400,
            "application/json",
            json!({ "error": format!("not a fault: {e}") }).to_string(),
        ),
    }
}

pub fn index(state: &State, base: &str) -> Response {
    let c = &state.config;
    Response::new(
        200,
        "text/html; charset=utf-8",
        format!(
            "<!doctype html><meta charset=utf-8><title>wxpay-sim</title>\
             <h1>wxpay-sim</h1><p>An offline WeChat Pay v2, MP and OAuth simulator.</p>\
             <ul><li>appid <code>{}</code></li><li>mch_id <code>{}</code></li><li>openid <code>{}</code></li></ul>\
             <p>Point a v2 client's base URL at <code>{base}</code>. Browser shims: \
             <code>{base}/sim/jsbridge.js</code>, <code>{base}/sim/jweixin.js</code>. \
             Inspect: <a href=/sim/stats>/sim/stats</a>, <a href=/sim/notifications>/sim/notifications</a>.</p>",
            c.appid, c.mch_id, c.openid
        ),
    )
}
