//! Native payment mode one: `tools/shorturl`, and `POST /sim/native/scan`,
//! which plays a payer scanning a printed QR code: WeChat checks the link's
//! signature, calls the shop's scan callback URL, checks the shop's signed
//! answer and the order it names, and the payer pays it (the payment
//! notification follows as for any order).

use std::time::Duration;

use serde_json::{json, Value};
use wxpay::{Params, SignType};

use crate::http::{percent_decode, Request, Response};
use crate::pay::Reply;
use crate::state::{random_token, Stat, State};
use crate::Shared;

const SHORT_PREFIX: &str = "weixin://wxpay/s/";
const LINK_PREFIX: &str = "weixin://wxpay/bizpayurl?";
const CALLBACK_TIMEOUT: Duration = Duration::from_secs(5);

/// `POST /tools/shorturl`: the same short link for the same long one.
pub fn short_url(state: &mut State, f: &Params) -> Reply {
    let Some(long) = f.get("long_url").filter(|s| !s.is_empty()) else {
        return Reply::BizFail("LACK_PARAMS", "缺少参数long_url".into());
    };
    if !long.starts_with("weixin://") {
        return Reply::BizFail("INVALID_REQUEST", "long_url参数错误".into());
    }
    let code = match state.short_urls.iter().find(|(_, l)| *l == long) {
        Some((code, _)) => code.clone(),
        None => {
            let code = random_token(10);
            state.short_urls.insert(code.clone(), long.clone());
            code
        }
    };
    let mut r = Params::new();
    r.insert("short_url".into(), format!("{SHORT_PREFIX}{code}"));
    Reply::Ok(r)
}

fn outcome(result: &str, reason: &str) -> Response {
    Response::json(&json!({ "result": result, "reason": reason }))
}

/// `POST /sim/native/scan` with `{"link": …, "callback_url": …, "openid"?: …}`:
/// answers `{"result": "paid", "out_trade_no": …}`, or `"refused"` (the
/// shop's own refusal, with the `message` shown to the payer) or
/// `"failed"` (what WeChat would not accept), with a `reason`.
pub fn scan(shared: &Shared, req: &Request) -> Response {
    let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
        return outcome("failed", "the body is not a JSON object");
    };
    let text = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_owned);
    let (Some(link), Some(callback_url)) = (text("link"), text("callback_url")) else {
        return outcome("failed", "link and callback_url are required");
    };
    let (callback, mch_id, product_id, openid) = {
        let mut state = shared.lock();
        state.count(Stat::NativeScan);
        let link = match link.strip_prefix(SHORT_PREFIX) {
            Some(code) => match state.short_urls.get(code) {
                Some(long) => long.clone(),
                None => return outcome("failed", "unknown short link"),
            },
            None => link,
        };
        let Some(query) = link.strip_prefix(LINK_PREFIX) else {
            return outcome("failed", "not a weixin://wxpay/bizpayurl link");
        };
        let mut fields = Params::new();
        for pair in query.split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            if fields
                .insert(percent_decode(k), percent_decode(v))
                .is_some()
            {
                return outcome("failed", "a parameter of the link appears twice");
            }
        }
        for k in [
            "appid",
            "mch_id",
            "nonce_str",
            "product_id",
            "time_stamp",
            "sign",
        ] {
            if fields.get(k).is_none_or(String::is_empty) {
                return outcome("failed", &format!("the link has no {k}"));
            }
        }
        if fields.len() != 6 {
            return outcome(
                "failed",
                "the link holds parameters beyond appid, mch_id, nonce_str, product_id, time_stamp and sign",
            );
        }
        let mch_id = fields["mch_id"].clone();
        let Some((appid, key)) = state.account(&mch_id) else {
            return outcome("failed", "unknown mch_id");
        };
        if fields["appid"] != appid {
            return outcome("failed", "appid is not the merchant's");
        }
        if wxpay::verify(&fields, key, SignType::Md5).is_err() {
            return outcome(
                "failed",
                "the link's sign is wrong (MD5 over its other parameters)",
            );
        }
        let openid = text("openid").unwrap_or_else(|| state.config.openid.clone());
        let mut callback = Params::new();
        callback.insert("appid".into(), appid.to_owned());
        callback.insert("mch_id".into(), mch_id.clone());
        callback.insert("openid".into(), openid.clone());
        callback.insert("is_subscribe".into(), "Y".into());
        callback.insert("nonce_str".into(), random_token(16));
        callback.insert("product_id".into(), fields["product_id"].clone());
        let xml = match wxpay::to_signed_xml(&callback, key, SignType::Md5) {
            Ok(xml) => xml,
            Err(e) => return outcome("failed", &format!("cannot sign the callback: {e}")),
        };
        (xml, mch_id, fields["product_id"].clone(), openid)
    };

    // The shop is called without the state held: it calls unifiedorder here.
    let agent = ureq::Agent::config_builder()
        .timeout_global(Some(CALLBACK_TIMEOUT))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .new_agent();
    let reply = match agent
        .post(&callback_url)
        .header("Content-Type", "text/xml")
        .send(callback.as_bytes())
    {
        Ok(mut r) if r.status().as_u16() == 200 => r
            .body_mut()
            .with_config()
            .limit(64 * 1024)
            .read_to_vec()
            .unwrap_or_default(),
        Ok(r) => {
            return outcome(
                "failed",
                &format!("the scan callback answered HTTP {}", r.status().as_u16()),
            )
        }
        Err(e) => return outcome("failed", &format!("the scan callback did not answer: {e}")),
    };

    let mut state = shared.lock();
    let Ok(answer) = wxpay::from_xml(&reply) else {
        return outcome("failed", "the shop's answer is not a flat <xml> message");
    };
    let get = |k: &str| answer.get(k).map(String::as_str).unwrap_or("");
    if get("return_code") != "SUCCESS" {
        return outcome("failed", "the shop's answer is not return_code SUCCESS");
    }
    let Some((appid, key)) = state.account(&mch_id) else {
        return outcome("failed", "unknown mch_id");
    };
    if wxpay::verify(&answer, key, SignType::Md5).is_err() {
        return outcome(
            "failed",
            "the shop's answer is not signed MD5 with the merchant's key",
        );
    }
    if get("appid") != appid || get("mch_id") != mch_id {
        return outcome("failed", "the shop's answer names another appid or mch_id");
    }
    match get("result_code") {
        "SUCCESS" => {}
        "FAIL" => {
            return Response::json(&json!({
                "result": "refused",
                "reason": "the shop refused the scan",
                "message": get("err_code_des"),
            }))
        }
        _ => return outcome("failed", "the shop's answer has no result_code"),
    }
    let Some(key) = state.prepay.get(get("prepay_id")).cloned() else {
        return outcome("failed", "the shop's answer names an unknown prepay_id");
    };
    let Some(order) = state.orders.get(&key) else {
        return outcome("failed", "the shop's answer names an unknown prepay_id");
    };
    if order.trade_type != "NATIVE" {
        return outcome("failed", "the order was not placed with trade_type NATIVE");
    }
    if order.mch_id != mch_id {
        return outcome("failed", "the order is another merchant's");
    }
    if order.business.get("product_id") != Some(&product_id) {
        return outcome("failed", "the order's product_id is not the scanned one");
    }
    if order.openid.as_ref().is_some_and(|o| *o != openid) {
        return outcome("failed", "the order names another payer's openid");
    }
    let out_trade_no = order.out_trade_no.clone();
    if let Err(why) = crate::control::settle_paid(&mut state, &key) {
        return outcome("failed", why);
    }
    Response::json(&json!({ "result": "paid", "reason": "", "out_trade_no": out_trade_no }))
}
