//! The pay API (api.mch.weixin.qq.com): request checks in WeChat's order,
//! the order state machine, refunds and bills. Where WeChat's behaviour is
//! not documented the stricter reading is taken:
//! * values with leading or trailing spaces are refused (INVALID_REQUEST);
//! * `body` is limited to 127 bytes;
//! * an order can be closed only 5 minutes (× time scale) after it was placed;
//! * a day's bill exists only after that day (unless `instant_bills`).

use std::io::Write;
use std::net::IpAddr;
use std::time::{Duration, Instant};

use wxpay::{Params, SignType};

use crate::http::{Request, Response};
use crate::notifier;
use crate::state::{
    beijing_time, order_key, parse_beijing, random_digits, random_token, unix_now, Order,
    RefundRecord, Stat, State,
};

/// What a pay handler knows of the call besides its fields.
pub struct Call {
    /// The request's sign type (the reply is signed with it).
    pub sign_type: SignType,
    /// Serve a day's bill on that same day.
    pub instant_bills: bool,
    /// The `recall` fault: reverse answers "call again" and does nothing.
    pub recall: bool,
}

/// One pay API: its path, the counter of `/sim/stats` it counts in, and
/// its handler. The one table of the pay paths the simulator serves.
pub struct PayApi {
    pub path: &'static str,
    pub stat: Stat,
    pub handle: fn(&mut State, &Params, &Call) -> Reply,
}

pub const PAY_APIS: &[PayApi] = &[
    PayApi {
        path: "/pay/unifiedorder",
        stat: Stat::UnifiedOrder,
        handle: |s, f, c| unified_order(s, f, c.sign_type),
    },
    PayApi {
        path: "/pay/orderquery",
        stat: Stat::OrderQuery,
        handle: |s, f, _| order_query(s, f),
    },
    PayApi {
        path: "/pay/closeorder",
        stat: Stat::CloseOrder,
        handle: |s, f, _| close_order(s, f),
    },
    PayApi {
        path: "/secapi/pay/refund",
        stat: Stat::Refund,
        handle: |s, f, c| refund(s, f, c.sign_type),
    },
    PayApi {
        path: "/pay/refundquery",
        stat: Stat::RefundQuery,
        handle: |s, f, _| refund_query(s, f),
    },
    PayApi {
        path: "/pay/downloadbill",
        stat: Stat::DownloadBill,
        handle: |s, f, c| download_bill(s, f, c.instant_bills),
    },
    PayApi {
        path: "/pay/downloadfundflow",
        stat: Stat::DownloadFundFlow,
        handle: crate::fund_flow::download_fund_flow,
    },
    PayApi {
        path: "/pay/micropay",
        stat: Stat::Micropay,
        handle: |s, f, c| micropay(s, f, c.sign_type),
    },
    PayApi {
        path: "/secapi/pay/reverse",
        stat: Stat::Reverse,
        handle: |s, f, c| reverse(s, f, c.recall),
    },
    PayApi {
        path: "/tools/authcodetoopenid",
        stat: Stat::AuthCodeToOpenid,
        handle: |s, f, _| auth_code_to_openid(s, f),
    },
    PayApi {
        path: "/pay/profitsharingaddreceiver",
        stat: Stat::ProfitSharingAddReceiver,
        handle: |s, f, c| crate::profit_sharing::change_receiver(s, f, c, true),
    },
    PayApi {
        path: "/pay/profitsharingremovereceiver",
        stat: Stat::ProfitSharingRemoveReceiver,
        handle: |s, f, c| crate::profit_sharing::change_receiver(s, f, c, false),
    },
    PayApi {
        path: "/secapi/pay/profitsharing",
        stat: Stat::ProfitSharing,
        handle: |s, f, c| crate::profit_sharing::share(s, f, c, false),
    },
    PayApi {
        path: "/secapi/pay/multiprofitsharing",
        stat: Stat::MultiProfitSharing,
        handle: |s, f, c| crate::profit_sharing::share(s, f, c, true),
    },
    PayApi {
        path: "/secapi/pay/profitsharingfinish",
        stat: Stat::ProfitSharingFinish,
        handle: crate::profit_sharing::finish,
    },
    PayApi {
        path: "/pay/profitsharingquery",
        stat: Stat::ProfitSharingQuery,
        handle: crate::profit_sharing::query,
    },
    PayApi {
        path: "/pay/profitsharingorderamountquery",
        stat: Stat::ProfitSharingOrderAmountQuery,
        handle: crate::profit_sharing::unsplit_amount,
    },
    PayApi {
        path: "/secapi/pay/profitsharingreturn",
        stat: Stat::ProfitSharingReturn,
        handle: crate::profit_sharing::give_back,
    },
    PayApi {
        path: "/pay/profitsharingreturnquery",
        stat: Stat::ProfitSharingReturnQuery,
        handle: crate::profit_sharing::give_back_query,
    },
    PayApi {
        path: "/pay/profitsharingmerchantratioquery",
        stat: Stat::ProfitSharingMerchantRatioQuery,
        handle: crate::profit_sharing::max_ratio,
    },
    PayApi {
        path: "/tools/shorturl",
        stat: Stat::ShortUrl,
        handle: |s, f, _| crate::native::short_url(s, f),
    },
];

/// Whether WeChat wants the merchant's API client certificate on `path`:
/// every `/secapi/` path, and downloadfundflow.
pub fn needs_client_cert(path: &str) -> bool {
    path.starts_with("/secapi/") || path == "/pay/downloadfundflow"
}

/// The pay API served at `path`, if any.
pub fn api(path: &str) -> Option<&'static PayApi> {
    PAY_APIS.iter().find(|a| a.path == path)
}

/// A reply before it is signed.
pub enum Reply {
    /// `return_code=FAIL` with this `return_msg` (not signed).
    ReturnFail(String),
    /// `result_code=SUCCESS` with these fields.
    Ok(Params),
    /// `result_code=FAIL`.
    BizFail(&'static str, String),
    /// `result_code=FAIL` with more fields (reverse's `recall`).
    BizFailWith(&'static str, String, Params),
    /// `return_code=FAIL` with `error_code` and `error_msg` (not signed):
    /// how the profit-sharing return calls refuse.
    ReturnFailCode(&'static str, String),
    /// Not XML (a bill).
    Raw(Response),
}

pub(crate) fn biz(code: &'static str, des: impl Into<String>) -> Reply {
    Reply::BizFail(code, des.into())
}

/// What every pay request must pass before its business is looked at.
/// Returns the fields and the sign type, or the refusal.
/// The paths whose requests carry no appid.
const NO_APPID: &[&str] = &[
    "/pay/profitsharingquery",
    "/pay/profitsharingorderamountquery",
    "/pay/profitsharingmerchantratioquery",
];

pub fn check_request(state: &State, req: &Request) -> Result<(Params, SignType), Reply> {
    if req.method != "POST" {
        return Err(Reply::ReturnFail("请使用post方法".into()));
    }
    if req.body.iter().all(u8::is_ascii_whitespace) {
        return Err(Reply::ReturnFail("POST_DATA_EMPTY: 请求数据为空".into()));
    }
    let fields = match wxpay::from_xml(&req.body) {
        Ok(f) => f,
        Err(e) if e.reason() == Some("Encoding") => {
            return Err(Reply::ReturnFail("NOT_UTF8: 编码格式错误".into()))
        }
        Err(_) => return Err(Reply::ReturnFail("XML_FORMAT_ERROR: XML格式错误".into())),
    };
    if fields
        .values()
        .any(|v| v.chars().any(|c| c.len_utf8() == 4))
    {
        return Err(Reply::ReturnFail("NOT_UTF8: 编码格式错误".into()));
    }
    let Some(mch_id) = fields.get("mch_id") else {
        return Err(Reply::ReturnFail("缺少参数mch_id".into()));
    };
    let Some((appid, key)) = state.account(mch_id) else {
        return Err(Reply::ReturnFail("商户号mch_id不存在".into()));
    };
    let sign_type = match fields.get("sign_type").map(String::as_str) {
        None | Some("") => SignType::Md5,
        Some(t) => {
            SignType::parse(t).map_err(|_| Reply::ReturnFail("sign_type参数格式错误".into()))?
        }
    };
    if wxpay::verify(&fields, key, sign_type).is_err() {
        return Err(Reply::ReturnFail("签名错误".into()));
    }
    if fields.get("nonce_str").is_none_or(|v| v.is_empty()) {
        return Err(biz("LACK_PARAMS", "缺少参数nonce_str"));
    }
    // The profit-sharing queries take no appid (their handlers refuse one).
    if !NO_APPID.contains(&req.path.as_str()) {
        if fields.get("appid").is_none_or(|v| v.is_empty()) {
            return Err(biz("LACK_PARAMS", "缺少参数appid"));
        }
        if fields["appid"] != appid {
            return Err(biz("APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配"));
        }
    }
    if fields["nonce_str"].len() > 32 {
        return Err(biz("INVALID_REQUEST", "nonce_str长度超过32"));
    }
    if let Some((name, _)) = fields.iter().find(|(_, v)| v.trim() != v.as_str()) {
        return Err(biz("INVALID_REQUEST", format!("{name}参数值前后有空格")));
    }
    Ok((fields, sign_type))
}

/// A provider must name one of its own sub-merchants (every call but
/// downloadbill, where leaving it out asks for all of them, and
/// downloadfundflow, which is about its own account only), and a
/// sub_appid bound to it; a direct merchant may name none.
pub fn check_sub_merchant(state: &State, f: &Params, path: &str) -> Result<(), Reply> {
    let sub_mch_id = get(f, "sub_mch_id");
    let sub_appid = get(f, "sub_appid");
    if f["mch_id"] != state.config.provider.mch_id {
        if sub_mch_id.is_some() || sub_appid.is_some() {
            return Err(biz(
                "NOAUTH",
                "商户号不是服务商，不能传sub_mch_id或sub_appid",
            ));
        }
        return Ok(());
    }
    if path == "/pay/downloadfundflow" {
        // A provider's fund flow is its own account's; sub-merchants'
        // accounts are not in API v2.
        return match sub_mch_id.or(sub_appid) {
            None => Ok(()),
            Some(_) => Err(biz("PARAM_ERROR", "downloadfundflow不支持sub_mch_id")),
        };
    }
    let Some(sub_mch_id) = sub_mch_id else {
        if path == "/pay/downloadbill" && sub_appid.is_none() {
            return Ok(());
        }
        // The ratio of a brand instead of a sub-merchant.
        if path == "/pay/profitsharingmerchantratioquery" && get(f, "brand_mch_id").is_some() {
            return Ok(());
        }
        return Err(biz("LACK_PARAMS", "缺少参数sub_mch_id"));
    };
    let Some(sub) = state.sub_merchant(sub_mch_id) else {
        return Err(Reply::ReturnFail("sub_mch_id与mch_id不匹配".into()));
    };
    if sub_appid.is_some_and(|a| a != sub.sub_appid) {
        return Err(Reply::ReturnFail("sub_appid与sub_mch_id不匹配".into()));
    }
    Ok(())
}

/// Whether the caller (`mch_id`, `sub_mch_id`) may see `order`: another
/// merchant's or sub-merchant's order does not exist for it.
pub fn owns(order: &Order, f: &Params) -> bool {
    f.get("mch_id") == Some(&order.mch_id) && get(f, "sub_mch_id") == order.sub_mch_id.as_deref()
}

/// What a fault does to a signed reply.
pub enum Tamper {
    None,
    /// The signature is broken.
    BadSign,
    /// These fields replace the reply's (an empty value removes one), and
    /// the result is signed with the merchant's key.
    Forge(Params),
}

/// Signs a reply with the request's sign type, as the merchant of
/// `request` (the direct merchant when it could not be told), echoing its
/// sub-merchant.
pub fn render(
    state: &State,
    request: Option<&Params>,
    sign_type: SignType,
    reply: Reply,
    tamper: &Tamper,
) -> Response {
    let mut f = Params::new();
    match reply {
        Reply::Raw(r) => return r,
        Reply::ReturnFail(msg) => {
            f.insert("return_code".into(), "FAIL".into());
            f.insert("return_msg".into(), msg);
            return Response::xml(wxpay::to_xml(&f).unwrap_or_default());
        }
        Reply::ReturnFailCode(code, msg) => {
            f.insert("return_code".into(), "FAIL".into());
            f.insert("return_msg".into(), msg.clone());
            f.insert("error_code".into(), code.into());
            f.insert("error_msg".into(), msg);
            return Response::xml(wxpay::to_xml(&f).unwrap_or_default());
        }
        Reply::Ok(fields) => {
            f = fields;
            f.insert("result_code".into(), "SUCCESS".into());
        }
        Reply::BizFail(code, des) => {
            f.insert("result_code".into(), "FAIL".into());
            f.insert("err_code".into(), code.into());
            f.insert("err_code_des".into(), des);
        }
        Reply::BizFailWith(code, des, more) => {
            f = more;
            f.insert("result_code".into(), "FAIL".into());
            f.insert("err_code".into(), code.into());
            f.insert("err_code_des".into(), des);
        }
    }
    let mch_id = request
        .and_then(|r| r.get("mch_id"))
        .filter(|m| state.account(m).is_some())
        .unwrap_or(&state.config.mch_id);
    let Some((appid, key)) = state.account(mch_id) else {
        return Response::xml(String::new());
    };
    f.insert("return_code".into(), "SUCCESS".into());
    f.insert("return_msg".into(), "OK".into());
    f.insert("appid".into(), appid.to_owned());
    f.insert("mch_id".into(), mch_id.clone());
    for name in ["sub_mch_id", "sub_appid"] {
        if let Some(v) = request.and_then(|r| get(r, name)) {
            f.insert(name.into(), v.to_owned());
        }
    }
    f.insert("nonce_str".into(), random_token(16));
    if let Tamper::Forge(fields) = tamper {
        for (name, value) in fields {
            if value.is_empty() {
                f.remove(name);
            } else {
                f.insert(name.clone(), value.clone());
            }
        }
    }
    let mut sign = wxpay::sign(&f, key, sign_type).unwrap_or_default();
    if matches!(tamper, Tamper::BadSign) {
        let first = if sign.starts_with('0') { "1" } else { "0" };
        sign.replace_range(..1, first);
    }
    f.insert("sign".into(), sign);
    Response::xml(wxpay::to_xml(&f).unwrap_or_default())
}

pub(crate) fn get<'a>(f: &'a Params, name: &str) -> Option<&'a str> {
    f.get(name).map(String::as_str).filter(|v| !v.is_empty())
}

pub(crate) fn require<'a>(f: &'a Params, name: &str) -> Result<&'a str, Reply> {
    get(f, name).ok_or_else(|| biz("LACK_PARAMS", format!("缺少参数{name}")))
}

/// The largest amount WeChat takes, in fen.
pub const MAX_FEN: u64 = 2_147_483_647;

fn fen(f: &Params, name: &str) -> Result<u64, Reply> {
    let v = require(f, name)?;
    let ok = !v.is_empty()
        && v.bytes().all(|b| b.is_ascii_digit())
        && !(v.len() > 1 && v.starts_with('0'));
    // WeChat's Int is a signed 32-bit integer: 1 to 2147483647 fen.
    match v.parse::<u64>() {
        Ok(n) if ok && n > 0 && n <= MAX_FEN => Ok(n),
        _ => Err(biz("INVALID_REQUEST", format!("{name}参数格式错误"))),
    }
}

pub(crate) fn merchant_no(f: &Params, name: &str, min: usize, max: usize) -> Result<String, Reply> {
    let v = require(f, name)?;
    let ok = (min..=max).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'|' | b'*' | b'@'));
    if ok {
        Ok(v.to_owned())
    } else {
        Err(biz("INVALID_REQUEST", format!("{name}参数格式错误")))
    }
}

fn yuan(fen: u64) -> String {
    format!("{}.{:02}", fen / 100, fen % 100)
}

/// Fields that are not part of an order's business content.
const ENVELOPE: [&str; 4] = ["nonce_str", "sign", "appid", "mch_id"];

/// The key of order `no` of the merchant (and sub-merchant) of request `f`.
fn key_of(f: &Params, no: &str) -> String {
    order_key(&f["mch_id"], get(f, "sub_mch_id"), no)
}

/// The order's owner fields, from the request that placed it.
fn owner(f: &Params) -> (String, Option<String>, Option<String>) {
    (
        f["mch_id"].clone(),
        get(f, "sub_mch_id").map(str::to_owned),
        get(f, "sub_appid").map(str::to_owned),
    )
}

pub fn unified_order(state: &mut State, f: &Params, sign_type: SignType) -> Reply {
    match unified_order_inner(state, f, sign_type) {
        Ok(r) | Err(r) => r,
    }
}

fn unified_order_inner(state: &mut State, f: &Params, sign_type: SignType) -> Result<Reply, Reply> {
    for name in [
        "body",
        "out_trade_no",
        "total_fee",
        "spbill_create_ip",
        "notify_url",
        "trade_type",
    ] {
        require(f, name)?;
    }
    let trade_type = f["trade_type"].clone();
    if !matches!(trade_type.as_str(), "JSAPI" | "NATIVE" | "APP" | "MWEB") {
        return Err(biz("INVALID_REQUEST", "trade_type参数错误"));
    }
    if trade_type == "JSAPI" && get(f, "openid").is_none() && get(f, "sub_openid").is_none() {
        return Err(biz("LACK_PARAMS", "JSAPI支付必须传openid或sub_openid"));
    }
    if get(f, "sub_openid").is_some() && get(f, "sub_appid").is_none() {
        return Err(biz("LACK_PARAMS", "传sub_openid时必须传sub_appid"));
    }
    if trade_type == "NATIVE" && get(f, "product_id").is_none() {
        return Err(biz("LACK_PARAMS", "NATIVE支付必须传product_id"));
    }
    if trade_type == "MWEB" && get(f, "scene_info").is_none() {
        return Err(biz("LACK_PARAMS", "MWEB支付必须传scene_info"));
    }
    let total_fee = fen(f, "total_fee")?;
    let out_trade_no = merchant_no(f, "out_trade_no", 6, 32)?;
    if f["body"].len() > 127 {
        return Err(biz("INVALID_REQUEST", "body参数长度超过127"));
    }
    if f.get("attach").is_some_and(|a| a.len() > 127) {
        return Err(biz("INVALID_REQUEST", "attach参数长度超过127"));
    }
    if get(f, "fee_type").is_some_and(|t| t != "CNY") {
        return Err(biz("INVALID_REQUEST", "fee_type参数错误"));
    }
    if f["spbill_create_ip"].len() > 64 || f["spbill_create_ip"].parse::<IpAddr>().is_err() {
        return Err(biz("INVALID_REQUEST", "spbill_create_ip参数格式错误"));
    }
    let url = &f["notify_url"];
    if !(url.starts_with("http://") || url.starts_with("https://"))
        || url.contains('?')
        || url.contains('#')
        || url.len() > 256
    {
        return Err(biz(
            "INVALID_REQUEST",
            "notify_url参数格式错误（须为http(s)地址且不能携带参数）",
        ));
    }
    if let Some(expire) = get(f, "time_expire") {
        let start = match get(f, "time_start") {
            Some(t) => parse_beijing(t),
            None => Some(unix_now()),
        };
        match (start, parse_beijing(expire)) {
            (Some(s), Some(e)) if e >= s + 300 => {}
            (Some(_), Some(_)) => {
                return Err(biz(
                    "INVALID_REQUEST",
                    "time_expire时间过短，刷卡至少1分钟，其他5分钟",
                ))
            }
            _ => return Err(biz("INVALID_REQUEST", "time_expire参数格式错误")),
        }
    }
    let business: Params = f
        .iter()
        .filter(|(k, _)| !ENVELOPE.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();

    // Numbers are unique per merchant and sub-merchant, as on WeChat.
    let key = key_of(f, &out_trade_no);
    if let Some(existing) = state.orders.get(&key) {
        match existing.trade_state.as_str() {
            "SUCCESS" => return Err(biz("ORDERPAID", "该订单已支付")),
            "REFUND" => return Err(biz("OUT_TRADE_NO_USED", "商户订单号重复")),
            "CLOSED" => return Err(biz("ORDERCLOSED", "该订单已关闭")),
            _ => {}
        }
        if existing.business != business {
            return Err(biz("INVALID_REQUEST", "201 商户订单号重复"));
        }
        let prepay_id = existing.prepay_id.clone();
        return Ok(Reply::Ok(prepay_reply(&trade_type, &prepay_id)));
    }

    let prepay_id = format!(
        "wx{}{}",
        beijing_time(unix_now(), false),
        random_token(20).to_ascii_lowercase()
    );
    let (mch_id, sub_mch_id, sub_appid) = owner(f);
    let sub_openid = get(f, "sub_openid").map(str::to_owned);
    // A payer named under the sub-merchant's account also has an openid
    // under the provider's: the simulated shopper's.
    let openid = match (get(f, "openid"), &sub_openid) {
        (Some(o), _) => Some(o.to_owned()),
        (None, Some(_)) => Some(state.config.openid.clone()),
        (None, None) => None,
    };
    let order = Order {
        out_trade_no: out_trade_no.clone(),
        trade_state: "NOTPAY".into(),
        total_fee,
        body: f["body"].clone(),
        trade_type: trade_type.clone(),
        openid,
        mch_id,
        sub_mch_id,
        sub_appid,
        sub_openid,
        attach: get(f, "attach").map(str::to_owned),
        notify_url: url.clone(),
        sign_type: sign_type.as_str().into(),
        prepay_id: prepay_id.clone(),
        transaction_id: None,
        created_at: unix_now(),
        time_end: None,
        paid_at: None,
        refunds: Vec::new(),
        api_v3: false,
        business,
        created: Some(Instant::now()),
        pays_at: None,
    };
    state.prepay.insert(prepay_id.clone(), key.clone());
    state.orders.insert(key, order);
    Ok(Reply::Ok(prepay_reply(&trade_type, &prepay_id)))
}

fn prepay_reply(trade_type: &str, prepay_id: &str) -> Params {
    let mut r = Params::new();
    r.insert("trade_type".into(), trade_type.into());
    r.insert("prepay_id".into(), prepay_id.into());
    match trade_type {
        "NATIVE" => {
            r.insert(
                "code_url".into(),
                format!(
                    "weixin://wxpay/bizpayurl?pr={}",
                    &prepay_id[prepay_id.len().saturating_sub(7)..]
                ),
            );
        }
        "MWEB" => {
            r.insert("mweb_url".into(), format!("https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id={prepay_id}&package=1037687096"));
        }
        _ => {}
    }
    r
}

fn find_order<'a>(state: &'a State, f: &Params) -> Result<&'a Order, Reply> {
    let key = if let Some(tid) = get(f, "transaction_id") {
        state.transactions.get(tid).cloned()
    } else if let Some(no) = get(f, "out_trade_no") {
        Some(key_of(f, no))
    } else {
        return Err(biz("LACK_PARAMS", "缺少参数transaction_id或out_trade_no"));
    };
    key.and_then(|k| state.orders.get(&k))
        .filter(|o| owns(o, f))
        .ok_or_else(|| biz("ORDERNOTEXIST", "订单不存在"))
}

pub fn order_query(state: &mut State, f: &Params) -> Reply {
    settle_typing(state);
    let order = match find_order(state, f) {
        Ok(o) => o,
        Err(r) => return r,
    };
    let mut r = Params::new();
    r.insert("out_trade_no".into(), order.out_trade_no.clone());
    r.insert("total_fee".into(), order.total_fee.to_string());
    r.insert("trade_state".into(), order.trade_state.clone());
    if let Some(a) = &order.attach {
        r.insert("attach".into(), a.clone());
    }
    let desc = match order.trade_state.as_str() {
        "NOTPAY" => "订单未支付",
        "CLOSED" => "订单已关闭",
        "REFUND" => "订单发生过退款",
        "USERPAYING" => "需要用户输入支付密码",
        "PAYERROR" => "支付失败",
        "REVOKED" => "已撤销",
        _ => "支付成功",
    };
    r.insert("trade_state_desc".into(), desc.into());
    if let Some(tid) = &order.transaction_id {
        r.insert("transaction_id".into(), tid.clone());
        r.insert("openid".into(), order.openid.clone().unwrap_or_default());
        r.insert("is_subscribe".into(), "N".into());
        r.insert("trade_type".into(), order.trade_type.clone());
        r.insert("bank_type".into(), "OTHERS".into());
        r.insert("fee_type".into(), "CNY".into());
        r.insert("cash_fee".into(), order.total_fee.to_string());
        r.insert(
            "time_end".into(),
            order.time_end.clone().unwrap_or_default(),
        );
        if let Some(sub_openid) = &order.sub_openid {
            r.insert("sub_openid".into(), sub_openid.clone());
            r.insert("sub_is_subscribe".into(), "N".into());
        }
    }
    Reply::Ok(r)
}

pub fn close_order(state: &mut State, f: &Params) -> Reply {
    let no = match require(f, "out_trade_no") {
        Ok(n) => n.to_owned(),
        Err(r) => return r,
    };
    let min_age = state.config.scaled(Duration::from_secs(300));
    let Some(order) = state.orders.get_mut(&key_of(f, &no)).filter(|o| owns(o, f)) else {
        return biz("ORDERNOTEXIST", "订单不存在");
    };
    match order.trade_state.as_str() {
        "SUCCESS" | "REFUND" => biz("ORDERPAID", "订单已支付，不能发起关单"),
        "CLOSED" => biz("ORDERCLOSED", "订单已关闭"),
        _ if order.created.is_some_and(|c| c.elapsed() < min_age) => {
            biz("INVALID_REQUEST", "订单生成后必须间隔5分钟才可以关闭")
        }
        _ => {
            order.trade_state = "CLOSED".into();
            let mut r = Params::new();
            r.insert("result_msg".into(), "OK".into());
            Reply::Ok(r)
        }
    }
}

pub fn refund(state: &mut State, f: &Params, sign_type: SignType) -> Reply {
    match refund_inner(state, f, sign_type) {
        Ok(r) | Err(r) => r,
    }
}

fn refund_reply(order: &Order, rec: &RefundRecord) -> Params {
    let mut r = Params::new();
    r.insert(
        "transaction_id".into(),
        order.transaction_id.clone().unwrap_or_default(),
    );
    r.insert("out_trade_no".into(), order.out_trade_no.clone());
    r.insert("out_refund_no".into(), rec.out_refund_no.clone());
    r.insert("refund_id".into(), rec.refund_id.clone());
    r.insert("refund_fee".into(), rec.refund_fee.to_string());
    r.insert("total_fee".into(), order.total_fee.to_string());
    r.insert("cash_fee".into(), order.total_fee.to_string());
    r.insert("cash_refund_fee".into(), rec.refund_fee.to_string());
    r
}

fn refund_inner(state: &mut State, f: &Params, _sign_type: SignType) -> Result<Reply, Reply> {
    let out_refund_no = merchant_no(f, "out_refund_no", 1, 64)?;
    let total_fee = fen(f, "total_fee")?;
    let refund_fee = fen(f, "refund_fee")?;
    if let Some(d) = get(f, "refund_desc") {
        if d.len() > 80 {
            return Err(biz("PARAM_ERROR", "refund_desc参数长度超过80"));
        }
    }
    let key = find_order(state, f)?.key();
    let order = state
        .orders
        .get(&key)
        .ok_or_else(|| biz("ORDERNOTEXIST", "订单不存在"))?;
    if !matches!(order.trade_state.as_str(), "SUCCESS" | "REFUND") {
        return Err(biz("ORDERNOTEXIST", "订单未支付，不能退款"));
    }
    let request: Params = f
        .iter()
        .filter(|(k, _)| !ENVELOPE.contains(&k.as_str()) && *k != "sign_type")
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    if let Some(rec) = order
        .refunds
        .iter()
        .find(|r| r.out_refund_no == out_refund_no)
    {
        // The same out_refund_no refunds once: a retry gets the same answer.
        if rec.refund_fee != refund_fee || rec.total_fee != total_fee {
            return Err(biz("INVALID_REQUEST", "同一退款单号的请求参数不一致"));
        }
        return Ok(Reply::Ok(refund_reply(order, rec)));
    }
    if total_fee != order.total_fee {
        return Err(biz("PARAM_ERROR", "订单金额total_fee与原订单不一致"));
    }
    let refunded: u64 = order.refunds.iter().map(|r| r.refund_fee).sum();
    if refund_fee > order.total_fee - refunded {
        return Err(biz("ERROR", "退款金额大于可退金额"));
    }
    if order.refunds.len() >= 50 {
        return Err(biz("ERROR", "一笔订单最多退款50次"));
    }
    let now = unix_now();
    let rec = RefundRecord {
        out_refund_no,
        refund_id: format!("50{}", random_digits(27)),
        refund_fee,
        total_fee,
        status: "SUCCESS".into(),
        requested_at: now,
        success_time: Some(beijing_time(now, true)),
        request_fields: request,
    };
    let reply = refund_reply(order, &rec);
    let notify_url = get(f, "notify_url").map(str::to_owned);
    let order = state
        .orders
        .get_mut(&key)
        .ok_or_else(|| biz("ORDERNOTEXIST", "订单不存在"))?;
    order.trade_state = "REFUND".into();
    order.refunds.push(rec.clone());
    let order = order.clone();
    if let Some(url) = notify_url {
        notifier::enqueue_refund(state, &order, &rec, &url);
    }
    Ok(Reply::Ok(reply))
}

pub fn refund_query(state: &mut State, f: &Params) -> Reply {
    let found = if let Some(id) = get(f, "refund_id") {
        state
            .orders
            .values()
            .filter(|o| owns(o, f))
            .find(|o| o.refunds.iter().any(|r| r.refund_id == id))
            .map(|o| (o, Some(("id", id))))
    } else if let Some(no) = get(f, "out_refund_no") {
        state
            .orders
            .values()
            .filter(|o| owns(o, f))
            .find(|o| o.refunds.iter().any(|r| r.out_refund_no == no))
            .map(|o| (o, Some(("no", no))))
    } else if get(f, "transaction_id").is_some() || get(f, "out_trade_no").is_some() {
        find_order(state, f).ok().map(|o| (o, None))
    } else {
        return biz(
            "LACK_PARAMS",
            "缺少参数refund_id、out_refund_no、transaction_id或out_trade_no",
        );
    };
    let Some((order, only)) = found else {
        return biz("REFUNDNOTEXIST", "退款订单查询失败");
    };
    let records: Vec<&RefundRecord> = order
        .refunds
        .iter()
        .filter(|r| match only {
            Some(("id", id)) => r.refund_id == id,
            Some((_, no)) => r.out_refund_no == no,
            None => true,
        })
        .collect();
    if records.is_empty() {
        return biz("REFUNDNOTEXIST", "退款订单查询失败");
    }
    let offset = match get(f, "offset").map(str::parse::<usize>) {
        None => 0,
        Some(Ok(o)) if o < records.len() => o,
        Some(_) => return biz("PARAM_ERROR", "offset参数错误"),
    };
    let page: Vec<&&RefundRecord> = records.iter().skip(offset).take(10).collect();
    let mut r = Params::new();
    r.insert(
        "transaction_id".into(),
        order.transaction_id.clone().unwrap_or_default(),
    );
    r.insert("out_trade_no".into(), order.out_trade_no.clone());
    r.insert("total_fee".into(), order.total_fee.to_string());
    r.insert("cash_fee".into(), order.total_fee.to_string());
    r.insert("refund_count".into(), page.len().to_string());
    if records.len() > 10 {
        r.insert("total_refund_count".into(), records.len().to_string());
    }
    for (n, rec) in page.iter().enumerate() {
        r.insert(format!("out_refund_no_{n}"), rec.out_refund_no.clone());
        r.insert(format!("refund_id_{n}"), rec.refund_id.clone());
        r.insert(format!("refund_fee_{n}"), rec.refund_fee.to_string());
        r.insert(format!("refund_status_{n}"), rec.status.clone());
        r.insert(
            format!("refund_account_{n}"),
            "REFUND_SOURCE_UNSETTLED_FUNDS".into(),
        );
        r.insert(format!("refund_recv_accout_{n}"), "支付用户零钱".into());
        if let Some(t) = &rec.success_time {
            r.insert(format!("refund_success_time_{n}"), t.clone());
        }
    }
    Reply::Ok(r)
}

const BILL_HEADER: &str = "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注";
const BILL_SUMMARY: &str =
    "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额";

pub fn download_bill(state: &mut State, f: &Params, instant_bills: bool) -> Reply {
    let date = match require(f, "bill_date") {
        Ok(d) if d.len() == 8 && d.bytes().all(|b| b.is_ascii_digit()) => d.to_owned(),
        Ok(_) => return Reply::ReturnFail("invalid bill_date".into()),
        Err(r) => return r,
    };
    let bill_type = get(f, "bill_type").unwrap_or("ALL").to_owned();
    if !matches!(
        bill_type.as_str(),
        "ALL" | "SUCCESS" | "REFUND" | "RECHARGE_REFUND"
    ) {
        return Reply::ReturnFail("invalid bill_type".into());
    }
    let today = beijing_time(unix_now(), false)[..8].to_owned();
    if date > today || (date == today && !instant_bills) {
        return Reply::ReturnFail("Bill Creating".into());
    }
    let day_of = |unix: u64| beijing_time(unix, false)[..8].to_owned();
    let mch_id = f["mch_id"].clone();
    let appid = f["appid"].clone();
    let sub = get(f, "sub_mch_id");
    let mut rows = Vec::new();
    let (mut paid_total, mut refund_total) = (0u64, 0u64);
    // A provider's bill without sub_mch_id holds every sub-merchant's.
    for o in state
        .orders
        .values()
        .filter(|o| o.mch_id == mch_id && (sub.is_none() || o.sub_mch_id.as_deref() == sub))
    {
        let sub_column = o.sub_mch_id.clone().unwrap_or_else(|| "0".into());
        if matches!(bill_type.as_str(), "ALL" | "SUCCESS")
            && o.paid_at.is_some_and(|t| day_of(t) == date)
        {
            paid_total += o.total_fee;
            rows.push(vec![
                beijing_time(o.paid_at.unwrap_or(0), true),
                appid.clone(),
                mch_id.clone(),
                sub_column.clone(),
                String::new(),
                o.transaction_id.clone().unwrap_or_default(),
                o.out_trade_no.clone(),
                o.openid.clone().unwrap_or_default(),
                o.trade_type.clone(),
                "SUCCESS".into(),
                "OTHERS".into(),
                "CNY".into(),
                yuan(o.total_fee),
                "0.00".into(),
                "0".into(),
                "0".into(),
                "0.00".into(),
                "0.00".into(),
                String::new(),
                String::new(),
                o.body.clone(),
                o.attach.clone().unwrap_or_default(),
                "0.00000".into(),
                "0.60%".into(),
                yuan(o.total_fee),
                "0.00".into(),
                String::new(),
            ]);
        }
        if matches!(bill_type.as_str(), "ALL" | "REFUND") {
            for r in o.refunds.iter().filter(|r| day_of(r.requested_at) == date) {
                refund_total += r.refund_fee;
                rows.push(vec![
                    beijing_time(r.requested_at, true),
                    appid.clone(),
                    mch_id.clone(),
                    sub_column.clone(),
                    String::new(),
                    o.transaction_id.clone().unwrap_or_default(),
                    o.out_trade_no.clone(),
                    o.openid.clone().unwrap_or_default(),
                    o.trade_type.clone(),
                    "REFUND".into(),
                    "OTHERS".into(),
                    "CNY".into(),
                    "0.00".into(),
                    "0.00".into(),
                    r.refund_id.clone(),
                    r.out_refund_no.clone(),
                    yuan(r.refund_fee),
                    "0.00".into(),
                    "ORIGINAL".into(),
                    r.status.clone(),
                    o.body.clone(),
                    o.attach.clone().unwrap_or_default(),
                    "0.00000".into(),
                    "0.60%".into(),
                    "0.00".into(),
                    yuan(r.refund_fee),
                    String::new(),
                ]);
            }
        }
    }
    if rows.is_empty() {
        return Reply::Raw(Response::xml(
            "<xml><return_code><![CDATA[FAIL]]></return_code><return_msg><![CDATA[No Bill Exist]]></return_msg><error_code><![CDATA[20002]]></error_code></xml>",
        ));
    }
    let mut text = String::from(BILL_HEADER);
    text.push_str("\r\n");
    for row in &rows {
        let line: Vec<String> = row.iter().map(|v| format!("`{v}")).collect();
        text.push_str(&line.join(","));
        text.push_str("\r\n");
    }
    text.push_str(BILL_SUMMARY);
    text.push_str("\r\n");
    let summary = [
        rows.len().to_string(),
        yuan(paid_total),
        yuan(refund_total),
        "0.00".into(),
        "0.00000".into(),
        yuan(paid_total),
        yuan(refund_total),
    ];
    let line: Vec<String> = summary.iter().map(|v| format!("`{v}")).collect();
    text.push_str(&line.join(","));
    text.push_str("\r\n");
    statement_body(f, text)
}

/// A statement as WeChat sends it: gzip when asked (`tar_type=GZIP`),
/// otherwise plain UTF-8 text.
pub fn statement_body(f: &Params, text: String) -> Reply {
    if get(f, "tar_type") == Some("GZIP") {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        if gz.write_all(text.as_bytes()).is_ok() {
            if let Ok(bytes) = gz.finish() {
                return Reply::Raw(Response::new(200, "application/octet-stream", bytes));
            }
        }
    }
    Reply::Raw(Response::new(200, "text/plain; charset=utf-8", text))
}

// ------------------------------------------------------------ the counter

/// What a payment code does, by its last four digits (`wxpay-sim --help`):
/// `0xxx` pays at once; `1xxx` asks for the password and pays `xxx`
/// (scaled) seconds later; `2xxx` asks and never finishes; `3xxx` has too
/// little balance; `4xxx` has expired; `5xxx` answers SYSTEMERROR but pays;
/// `6xxx` answers SYSTEMERROR and the payment fails.
fn auth_code_plan(code: &str) -> (char, u64) {
    let tail = &code[code.len() - 4..];
    let mut chars = tail.chars();
    let kind = chars.next().unwrap_or('0');
    (kind, chars.as_str().parse().unwrap_or(0))
}

/// 18 digits starting 10 to 15, as WeChat's payment codes are.
fn is_payment_code(code: &str) -> bool {
    code.len() == 18
        && code.bytes().all(|b| b.is_ascii_digit())
        && matches!(&code[..2], "10" | "11" | "12" | "13" | "14" | "15")
}

/// Marks a payment-code order (by its key) paid.
fn pay_now(state: &mut State, key: &str) {
    let transaction_id = format!("4200{}", random_digits(24));
    let now = unix_now();
    if let Some(o) = state.orders.get_mut(key) {
        o.trade_state = "SUCCESS".into();
        o.transaction_id = Some(transaction_id.clone());
        o.time_end = Some(beijing_time(now, false));
        o.paid_at = Some(now);
        o.pays_at = None;
        state.transactions.insert(transaction_id, key.to_owned());
    }
}

/// Customers who were typing their password and have now finished.
fn settle_typing(state: &mut State) {
    let now = Instant::now();
    let done: Vec<String> = state
        .orders
        .values()
        .filter(|o| o.trade_state == "USERPAYING" && o.pays_at.is_some_and(|t| t <= now))
        .map(Order::key)
        .collect();
    for key in done {
        pay_now(state, &key);
    }
}

fn paid_fields(order: &Order) -> Params {
    let mut r = Params::new();
    for (k, v) in [
        ("out_trade_no", order.out_trade_no.clone()),
        ("total_fee", order.total_fee.to_string()),
        ("cash_fee", order.total_fee.to_string()),
        ("fee_type", "CNY".into()),
        ("trade_type", "MICROPAY".into()),
        ("bank_type", "OTHERS".into()),
        ("is_subscribe", "N".into()),
        ("openid", order.openid.clone().unwrap_or_default()),
        (
            "transaction_id",
            order.transaction_id.clone().unwrap_or_default(),
        ),
        ("time_end", order.time_end.clone().unwrap_or_default()),
        ("sub_openid", order.sub_openid.clone().unwrap_or_default()),
    ] {
        if !v.is_empty() {
            r.insert(k.into(), v);
        }
    }
    r
}

/// `POST /pay/micropay`: the cashier scanned the customer's payment code.
pub fn micropay(state: &mut State, f: &Params, sign_type: SignType) -> Reply {
    match micropay_inner(state, f, sign_type) {
        Ok(r) | Err(r) => r,
    }
}

fn micropay_inner(state: &mut State, f: &Params, sign_type: SignType) -> Result<Reply, Reply> {
    for name in [
        "body",
        "out_trade_no",
        "total_fee",
        "spbill_create_ip",
        "auth_code",
    ] {
        require(f, name)?;
    }
    let no = merchant_no(f, "out_trade_no", 1, 32)?;
    let total_fee = fen(f, "total_fee")?;
    let code = f["auth_code"].as_str();
    if !is_payment_code(code) {
        return Err(biz("AUTH_CODE_INVALID", "101 付款码无效，请重新扫码"));
    }
    let key = key_of(f, &no);
    if let Some(o) = state.orders.get(&key) {
        return Err(match o.trade_state.as_str() {
            "SUCCESS" | "REFUND" => biz("ORDERPAID", "订单已支付"),
            "REVOKED" => biz("ORDERREVERSED", "订单已撤销"),
            "CLOSED" => biz("ORDERCLOSED", "订单已关闭"),
            "USERPAYING" => biz("USERPAYING", "需要用户输入支付密码"),
            _ => biz("OUT_TRADE_NO_USED", "商户订单号重复"),
        });
    }
    let (kind, seconds) = auth_code_plan(code);
    match kind {
        '3' => return Err(biz("NOTENOUGH", "余额不足")),
        '4' => {
            return Err(biz(
                "AUTHCODEEXPIRE",
                "二维码已过期，请用户在微信上刷新后再试",
            ))
        }
        _ => {}
    }
    let (mch_id, sub_mch_id, sub_appid) = owner(f);
    let sub_openid = sub_mch_id
        .as_deref()
        .and_then(|id| state.sub_merchant(id))
        .filter(|_| sub_appid.is_some())
        .map(|s| s.sub_openid.clone());
    let order = Order {
        out_trade_no: no.clone(),
        trade_state: "USERPAYING".into(),
        total_fee,
        body: f["body"].clone(),
        trade_type: "MICROPAY".into(),
        openid: Some(state.config.openid.clone()),
        mch_id,
        sub_mch_id,
        sub_appid,
        sub_openid,
        attach: get(f, "attach").map(str::to_owned),
        notify_url: String::new(),
        sign_type: sign_type.as_str().into(),
        prepay_id: String::new(),
        transaction_id: None,
        created_at: unix_now(),
        time_end: None,
        paid_at: None,
        refunds: Vec::new(),
        api_v3: false,
        business: Params::new(),
        created: Some(Instant::now()),
        pays_at: None,
    };
    state.orders.insert(key.clone(), order);
    match kind {
        '1' => {
            let wait = state.config.scaled(Duration::from_secs(seconds));
            if let Some(o) = state.orders.get_mut(&key) {
                o.pays_at = Some(Instant::now() + wait);
            }
            Err(biz("USERPAYING", "需要用户输入支付密码"))
        }
        '2' => Err(biz("USERPAYING", "需要用户输入支付密码")),
        '5' => {
            pay_now(state, &key);
            Err(biz("SYSTEMERROR", "系统超时"))
        }
        '6' => {
            if let Some(o) = state.orders.get_mut(&key) {
                o.trade_state = "PAYERROR".into();
            }
            Err(biz("SYSTEMERROR", "系统超时"))
        }
        _ => {
            pay_now(state, &key);
            Ok(Reply::Ok(paid_fields(&state.orders[&key])))
        }
    }
}

/// `POST /secapi/pay/reverse`: an unpaid order is closed for good, a paid
/// one is refunded; either way it ends REVOKED. `recall` asks the caller to
/// call again (the `recall` fault: nothing was done).
pub fn reverse(state: &mut State, f: &Params, recall: bool) -> Reply {
    if recall {
        let mut r = Params::new();
        r.insert("recall".into(), "Y".into());
        return Reply::BizFailWith("SYSTEMERROR", "系统繁忙，请稍后再试".into(), r);
    }
    settle_typing(state);
    // No order (yet): refused, and nothing is recorded that would stop a
    // payment still on its way (the stricter reading, docs/protocol.md §14).
    let key = match find_order(state, f) {
        Ok(o) => o.key(),
        Err(r) => return r,
    };
    if let Some(o) = state.orders.get_mut(&key) {
        if o.trade_state == "SUCCESS" && o.trade_type != "MICROPAY" {
            return biz("TRADE_ERROR", "订单不是付款码支付，请使用退款");
        }
        o.trade_state = "REVOKED".into();
        o.pays_at = None;
    }
    let mut r = Params::new();
    r.insert("recall".into(), "N".into());
    Reply::Ok(r)
}

/// `POST /tools/authcodetoopenid`: the customer behind a payment code (the
/// same plans as micropay: an expired code stays expired).
pub fn auth_code_to_openid(state: &mut State, f: &Params) -> Reply {
    let Some(code) = get(f, "auth_code") else {
        return biz("LACK_PARAMS", "缺少参数auth_code");
    };
    if !is_payment_code(code) {
        return biz("AUTH_CODE_INVALID", "101 付款码无效，请重新扫码");
    }
    if auth_code_plan(code).0 == '4' {
        return biz("AUTHCODEEXPIRE", "二维码已过期，请用户在微信上刷新后再试");
    }
    // Asked with a sub_appid, the openid is the shopper's under that account.
    let openid = match (get(f, "sub_appid"), get(f, "sub_mch_id")) {
        (Some(_), Some(id)) => state
            .sub_merchant(id)
            .map(|s| s.sub_openid.clone())
            .unwrap_or_default(),
        _ => state.config.openid.clone(),
    };
    let mut r = Params::new();
    r.insert("openid".into(), openid);
    Reply::Ok(r)
}
