//! WeChat Pay API v3 as the simulator plays it (docs/protocol.md §19): the
//! merchant's `Authorization` verified with its API certificate, answers
//! signed with a platform certificate or the WeChat Pay public key — by
//! the run's key mode, and during a migration by the request's
//! `Wechatpay-Serial` — the certificate listing encrypted with the APIv3
//! key, and orders kept in the same books as v2's, so an order placed one
//! way can be queried the other, as on WeChat.
//!
//! The keys are the test keys of tests/vectors/v3/keys (see its README).

mod bills;
mod notifications;
mod refunds;

use std::sync::OnceLock;

use base64::Engine;
use serde_json::{json, Value};
use wxpay::v3::{ApiV3Key, MerchantKey, WechatKey};
use wxpay::{Params, SignType};

use crate::http::{Request, Response};
use crate::pay::{self, Reply};
use crate::state::{order_key, random_token, unix_now, Stat, State};

pub use notifications::{payment_notification, refund_notification};

/// The merchant's APIv3 key the simulator knows.
pub const APIV3_KEY: &str = "wxpaysim0apiv30key00000000000001";
/// The id of the simulator's WeChat Pay public key.
pub const PUBLIC_KEY_ID: &str = "PUB_KEY_ID_0114232025120400000000000000000001";
/// The merchant's API certificate (its serial goes in `serial_no`) and
/// private key, for tests and examples.
pub const MERCHANT_CERT_PEM: &str =
    include_str!("../../../tests/vectors/v3/keys/merchant_cert.pem");
/// The merchant's API private key (PKCS#8).
pub const MERCHANT_KEY_PEM: &str = include_str!("../../../tests/vectors/v3/keys/merchant_key.pem");
/// The platform certificate the simulator signs with.
pub const PLATFORM_CERT_PEM: &str =
    include_str!("../../../tests/vectors/v3/keys/platform_cert.pem");
/// The WeChat Pay public key, as the merchant platform hands it out.
pub const PUBLIC_KEY_PEM: &str =
    include_str!("../../../tests/vectors/v3/keys/wechatpay_public_key.pem");
const PLATFORM_KEY_PEM: &str = include_str!("../../../tests/vectors/v3/keys/platform_key.pem");
/// The platform certificate a rotation moves to, and its key.
const PLATFORM_CERT_2_PEM: &str =
    include_str!("../../../tests/vectors/v3/keys/platform_cert_2.pem");
const PLATFORM_KEY_2_PEM: &str = include_str!("../../../tests/vectors/v3/keys/platform_key_2.pem");
const PUBLIC_PRIVATE_KEY_PEM: &str =
    include_str!("../../../tests/vectors/v3/keys/wechatpay_key.pem");

/// Which keys WeChat signs v3 answers with for this run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum V3Keys {
    /// A merchant with platform certificates only.
    Certificate,
    /// A merchant onboarded since late 2024: the public key only
    /// (`/v3/certificates` answers 404).
    PublicKey,
    /// Moving from one to the other: both listed, answers signed as the
    /// request's `Wechatpay-Serial` asks.
    #[default]
    Migrating,
}

impl V3Keys {
    /// Parses `certificate`, `public-key` or `migrating`.
    pub fn parse(s: &str) -> Option<V3Keys> {
        match s {
            "certificate" => Some(V3Keys::Certificate),
            "public-key" => Some(V3Keys::PublicKey),
            "migrating" => Some(V3Keys::Migrating),
            _ => None,
        }
    }
}

struct Keys {
    merchant: WechatKey,
    platform: MerchantKey,
    platform_serial: String,
    platform_2: MerchantKey,
    platform_2_serial: String,
    public: MerchantKey,
    apiv3: ApiV3Key,
}

/// The simulator's keys (`None` only if the compiled-in test keys did not
/// read, which the tests would show at once).
fn keys() -> Option<&'static Keys> {
    static KEYS: OnceLock<Option<Keys>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let platform_cert = WechatKey::certificate(PLATFORM_CERT_PEM).ok()?;
        Some(Keys {
            merchant: WechatKey::certificate(MERCHANT_CERT_PEM).ok()?,
            platform: MerchantKey::from_pem(PLATFORM_KEY_PEM).ok()?,
            platform_serial: platform_cert.serial,
            platform_2: MerchantKey::from_pem(PLATFORM_KEY_2_PEM).ok()?,
            platform_2_serial: WechatKey::certificate(PLATFORM_CERT_2_PEM).ok()?.serial,
            public: MerchantKey::from_pem(PUBLIC_PRIVATE_KEY_PEM).ok()?,
            apiv3: ApiV3Key::new(APIV3_KEY).ok()?,
        })
    })
    .as_ref()
}

/// The merchant certificate's serial as `serial_no` carries it.
pub fn merchant_serial() -> String {
    keys()
        .map(|k| k.merchant.serial.clone())
        .unwrap_or_default()
}

/// Whether `signature` (base64) is the merchant's RSA signature of
/// `message`: the v3 pay params a page hands to the payment.
pub fn merchant_signed(message: &str, signature: &str) -> bool {
    let Some(keys) = keys() else {
        return false;
    };
    base64::engine::general_purpose::STANDARD
        .decode(signature)
        .is_ok_and(|sig| keys.merchant.verifies(message.as_bytes(), &sig))
}

/// The serial of the platform certificate answers are signed with before
/// any rotation, as `Wechatpay-Serial` spells it.
pub fn platform_serial() -> String {
    keys()
        .map(|k| k.platform_serial.clone())
        .unwrap_or_default()
}

/// A refusal as WeChat's v3 answers one: unsigned JSON.
pub fn refusal(status: u16, code: &str, message: &str) -> Response {
    error(status, code, message)
}

fn error(status: u16, code: &str, message: &str) -> Response {
    // WeChat's refusals are not signed.
    Response::json_status(status, &json!({"code": code, "message": message}))
}

/// The `Authorization` of a request, checked as WeChat checks it.
fn authenticate(state: &State, req: &Request, keys: &Keys) -> Result<(), Response> {
    let refuse = |issue: &str| {
        Err(Response::json_status(
            401,
            &json!({"code": "SIGN_ERROR", "message": "签名错误，请检查后再试", "detail": {"issue": issue}}),
        ))
    };
    let Some(auth) = req.headers.get("authorization") else {
        return refuse("no Authorization header");
    };
    let Some(params) = auth.strip_prefix("WECHATPAY2-SHA256-RSA2048 ") else {
        return refuse("the scheme is not WECHATPAY2-SHA256-RSA2048");
    };
    let mut fields = Params::new();
    for part in params.split(',') {
        let Some((k, v)) = part.trim().split_once('=') else {
            return refuse("a malformed Authorization parameter");
        };
        fields.insert(k.to_owned(), v.trim_matches('"').to_owned());
    }
    let field = |k: &str| fields.get(k).map(String::as_str).unwrap_or("");
    // The merchant and the service provider share the test API key pair.
    if field("mchid") != state.config.mch_id && field("mchid") != state.config.provider.mch_id {
        return refuse("mchid is not a merchant of this simulator");
    }
    if !wxpay::v3::same_serial(field("serial_no"), &keys.merchant.serial) {
        return refuse("serial_no is not the merchant's API certificate");
    }
    let Ok(ts) = field("timestamp").parse::<u64>() else {
        return refuse("timestamp is not a Unix time");
    };
    if ts.abs_diff(unix_now()) > 300 {
        return refuse("the request's timestamp is more than 5 minutes off");
    }
    let body = String::from_utf8_lossy(&req.body);
    let message = format!(
        "{}\n{}\n{}\n{}\n{}\n",
        req.method,
        req.target,
        field("timestamp"),
        field("nonce_str"),
        body
    );
    let Ok(signature) = base64::engine::general_purpose::STANDARD.decode(field("signature")) else {
        return refuse("the signature is not base64");
    };
    if !keys.merchant.verifies(message.as_bytes(), &signature) {
        return refuse("sign not match");
    }
    Ok(())
}

/// Which key signs: the WeChat Pay public key or the platform
/// certificate's, with its serial.
fn signing_key(keys: &Keys, use_public: bool, rotated: bool) -> (&MerchantKey, String) {
    if use_public {
        (&keys.public, PUBLIC_KEY_ID.to_owned())
    } else if rotated {
        (&keys.platform_2, keys.platform_2_serial.clone())
    } else {
        (&keys.platform, keys.platform_serial.clone())
    }
}

/// The signature headers of a body signed by `key` at `now`.
fn signature_headers(
    key: &MerchantKey,
    serial: String,
    now: u64,
    body: &str,
    fault: &str,
) -> Vec<(String, String)> {
    let nonce = random_token(32);
    let message = format!("{now}\n{nonce}\n{body}\n");
    let signature = match fault {
        "probe" => format!("WECHATPAY/SIGNTEST/{}", random_token(40)),
        _ => key.sign(message.as_bytes()).unwrap_or_default(),
    };
    [
        ("Wechatpay-Timestamp", now.to_string()),
        ("Wechatpay-Nonce", nonce),
        ("Wechatpay-Signature", signature),
        ("Wechatpay-Serial", serial),
        (
            "Wechatpay-Signature-Type",
            "WECHATPAY2-SHA256-RSA2048".to_owned(),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// The headers of delivery `turn` of a notification: signed by the key
/// mode's key — during a migration by the public key and the certificate
/// in turn, as WeChat moves callbacks over gradually.
pub fn notification_headers(
    mode: V3Keys,
    rotated: bool,
    turn: u64,
    body: &str,
) -> Vec<(String, String)> {
    let Some(keys) = keys() else {
        return Vec::new();
    };
    let use_public = match mode {
        V3Keys::Certificate => false,
        V3Keys::PublicKey => true,
        V3Keys::Migrating => turn.is_multiple_of(2),
    };
    let (key, serial) = signing_key(keys, use_public, rotated);
    signature_headers(key, serial, unix_now(), body, "")
}

/// An answer signed as the run's key mode says, with the request's
/// `Wechatpay-Serial` choosing during a migration; `fault` may spoil it.
fn signed(
    state: &State,
    req: &Request,
    keys: &Keys,
    status: u16,
    body: &str,
    fault: &str,
) -> Response {
    let asked = req
        .headers
        .get("wechatpay-serial")
        .map(String::as_str)
        .unwrap_or("");
    let use_public = match state.config.v3_keys {
        V3Keys::Certificate => false,
        V3Keys::PublicKey => true,
        V3Keys::Migrating => asked.starts_with("PUB_KEY_ID_"),
    };
    let (key, serial) = signing_key(keys, use_public, state.v3_rotated);
    // A serial WeChat has no key of: a client fetches the listing once
    // (within its limit) and still cannot verify.
    let serial = if fault == "unknown_serial" {
        "5157A7E5000000000000000000000000000000FF".to_owned()
    } else {
        serial
    };
    let now = if fault == "stale" {
        unix_now() - 600
    } else {
        unix_now()
    };
    let mut response = Response::new(status, "application/json", body.as_bytes().to_vec());
    response
        .headers
        .push(("Request-ID".into(), format!("08{}", random_token(30))));
    if fault != "unsigned" {
        response
            .headers
            .extend(signature_headers(key, serial, now, body, fault));
    }
    response
}

/// A v2 refusal as v3 says it: the status and the code.
fn from_v2(reply: Reply) -> Result<Params, Response> {
    match reply {
        Reply::Ok(fields) => Ok(fields),
        Reply::BizFail(code, des) | Reply::BizFailWith(code, des, _) => {
            let (status, code) = match code {
                "ORDERPAID" | "ORDERCLOSED" | "OUT_TRADE_NO_USED" | "NOAUTH" => (403, code),
                "ORDERNOTEXIST" => (404, "ORDER_NOT_EXIST"),
                "SYSTEMERROR" => (500, "SYSTEM_ERROR"),
                "LACK_PARAMS" => (400, "PARAM_ERROR"),
                other => (400, other),
            };
            Err(error(status, code, &des))
        }
        Reply::ReturnFail(msg) | Reply::ReturnFailCode(_, msg) => {
            Err(error(400, "PARAM_ERROR", &msg))
        }
        Reply::Raw(_) => Err(error(500, "SYSTEM_ERROR", "系统错误")),
    }
}

/// The path of `/v3/pay/transactions/{kind}` for each v2 trade type.
fn trade_type_of(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "jsapi" => "JSAPI",
        "app" => "APP",
        "native" => "NATIVE",
        "h5" => "MWEB",
        _ => return None,
    })
}

/// `partner`: a service provider's order (`/v3/pay/partner/…`), its
/// fields `sp_appid`, `sp_mchid`, `sub_mchid`, `sub_appid` and the payer's
/// `sp_openid` or `sub_openid`.
fn prepay(state: &mut State, req: &Request, kind: &str, partner: bool) -> Result<String, Response> {
    let Some(trade_type) = trade_type_of(kind) else {
        return Err(error(404, "NOT_FOUND", "无此接口"));
    };
    let order: Value = serde_json::from_slice(&req.body)
        .map_err(|_| error(400, "PARAM_ERROR", "请求体不是JSON"))?;
    let text = |v: &Value| v.as_str().map(str::to_owned);
    let mut f = Params::new();
    let names: &[(&str, &Value)] = if partner {
        &[
            ("appid", &order["sp_appid"]),
            ("mch_id", &order["sp_mchid"]),
            ("sub_mch_id", &order["sub_mchid"]),
            ("sub_appid", &order["sub_appid"]),
            ("openid", &order["payer"]["sp_openid"]),
            ("sub_openid", &order["payer"]["sub_openid"]),
        ]
    } else {
        &[
            ("appid", &order["appid"]),
            ("mch_id", &order["mchid"]),
            ("openid", &order["payer"]["openid"]),
        ]
    };
    for (k, v) in names.iter().copied().chain([
        ("body", &order["description"]),
        ("out_trade_no", &order["out_trade_no"]),
        ("notify_url", &order["notify_url"]),
        ("attach", &order["attach"]),
    ]) {
        if let Some(t) = text(v) {
            f.insert(k.to_owned(), t);
        }
    }
    let (appid, mch_id) = if partner {
        (&state.config.provider.appid, &state.config.provider.mch_id)
    } else {
        (&state.config.appid, &state.config.mch_id)
    };
    if f.get("appid") != Some(appid) || f.get("mch_id") != Some(mch_id) {
        return Err(error(400, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配"));
    }
    if partner {
        pay::check_sub_merchant(state, &f, "/pay/unifiedorder").map_err(|r| {
            from_v2(r)
                .err()
                .unwrap_or_else(|| error(400, "PARAM_ERROR", "sub_mchid参数错误"))
        })?;
    }
    let Some(total) = order["amount"]["total"].as_u64() else {
        return Err(error(
            400,
            "PARAM_ERROR",
            "amount.total需要一个合法的64位有符号整数",
        ));
    };
    f.insert("total_fee".into(), total.to_string());
    f.insert("trade_type".into(), trade_type.into());
    let ip = order["scene_info"]["payer_client_ip"]
        .as_str()
        .unwrap_or("127.0.0.1");
    f.insert("spbill_create_ip".into(), ip.to_owned());
    if trade_type == "NATIVE" {
        f.insert("product_id".into(), "v3".into());
    }
    if trade_type == "MWEB" {
        f.insert("scene_info".into(), order["scene_info"].to_string());
    }
    let fields = from_v2(pay::unified_order(state, &f, SignType::HmacSha256))?;
    let prepay_id = fields.get("prepay_id").cloned().unwrap_or_default();
    let no = f.get("out_trade_no").cloned().unwrap_or_default();
    let key = order_key(
        f.get("mch_id").map(String::as_str).unwrap_or_default(),
        f.get("sub_mch_id").map(String::as_str),
        &no,
    );
    if let Some(o) = state.orders.get_mut(&key) {
        // Its pay params are signed with RSA, its notifications are v3's.
        o.api_v3 = true;
        o.sign_type = "RSA".into();
    }
    Ok(match trade_type {
        "NATIVE" => json!({"code_url": fields.get("code_url")}),
        "MWEB" => json!({"h5_url": fields.get("mweb_url")}),
        _ => json!({"prepay_id": prepay_id}),
    }
    .to_string())
}

/// `yyyyMMddHHmmss` (Beijing) as RFC 3339.
fn rfc3339(t: &str) -> Option<String> {
    (t.len() == 14).then(|| {
        format!(
            "{}-{}-{}T{}:{}:{}+08:00",
            &t[..4],
            &t[4..6],
            &t[6..8],
            &t[8..10],
            &t[10..12],
            &t[12..]
        )
    })
}

/// The caller of a v3 path: the merchant itself, or the provider for a
/// sub-merchant (`sp_mchid` and `sub_mchid` in the query).
fn caller(state: &State, req: &Request, partner: bool) -> Result<Params, Response> {
    let mut f = Params::new();
    if !partner {
        f.insert("mch_id".into(), state.config.mch_id.clone());
        return Ok(f);
    }
    let sp = req.query.get("sp_mchid").cloned().unwrap_or_default();
    if sp != state.config.provider.mch_id {
        return Err(error(400, "PARAM_ERROR", "sp_mchid参数错误"));
    }
    let Some(sub) = req.query.get("sub_mchid").filter(|s| !s.is_empty()) else {
        return Err(error(400, "PARAM_ERROR", "缺少参数sub_mchid"));
    };
    f.insert("mch_id".into(), sp);
    f.insert("sub_mch_id".into(), sub.clone());
    Ok(f)
}

fn query(state: &mut State, mut f: Params, by: &str, number: &str) -> Result<String, Response> {
    f.insert(by.to_owned(), number.to_owned());
    let fields = from_v2(pay::order_query(state, &f))?;
    let no = fields.get("out_trade_no").cloned().unwrap_or_default();
    let key = order_key(&f["mch_id"], f.get("sub_mch_id").map(String::as_str), &no);
    let order = state
        .orders
        .get(&key)
        .ok_or_else(|| error(404, "ORDER_NOT_EXIST", "订单不存在"))?;
    Ok(notifications::transaction_of(state, order).to_string())
}

fn certificates(state: &State, keys: &Keys) -> Result<String, Response> {
    if state.config.v3_keys == V3Keys::PublicKey {
        return Err(error(
            404,
            "RESOURCE_NOT_EXISTS",
            "无可用的平台证书，请在商户平台-API安全申请使用微信支付公钥。",
        ));
    }
    let mut listed = vec![(PLATFORM_CERT_PEM, keys.platform_serial.as_str())];
    if state.v3_rotated {
        listed.push((PLATFORM_CERT_2_PEM, keys.platform_2_serial.as_str()));
    }
    let mut data = Vec::new();
    for (pem, serial) in listed {
        let cert =
            WechatKey::certificate(pem).map_err(|_| error(500, "SYSTEM_ERROR", "系统错误"))?;
        let nonce = random_token(12);
        let ciphertext = keys
            .apiv3
            .encrypt(&nonce, "certificate", pem.as_bytes())
            .map_err(|_| error(500, "SYSTEM_ERROR", "系统错误"))?;
        data.push(json!({
            "serial_no": serial,
            "effective_time": cert.not_before,
            "expire_time": cert.not_after,
            "encrypt_certificate": {"algorithm": "AEAD_AES_256_GCM", "nonce": nonce,
                                     "associated_data": "certificate", "ciphertext": ciphertext},
        }));
    }
    Ok(json!({ "data": data }).to_string())
}

/// Answers a `/v3/…` request.
pub fn handle(state: &mut State, req: &Request, fault: &str, instant_bills: bool) -> Response {
    let Some(keys) = keys() else {
        return error(500, "SYSTEM_ERROR", "the simulator's v3 keys did not load");
    };
    if let Err(refused) = authenticate(state, req, keys) {
        state.count(Stat::V3SignError);
        return refused;
    }
    let path = req.path.as_str();
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let answer: Result<(u16, String), Response> = match (req.method.as_str(), segments.as_slice()) {
        ("GET", ["v3", "certificates"]) => {
            state.count(Stat::V3Certificates);
            certificates(state, keys).map(|b| (200, b))
        }
        ("POST", ["v3", "pay", "transactions", kind]) => {
            state.count(Stat::V3Prepay);
            prepay(state, req, kind, false).map(|b| (200, b))
        }
        ("POST", ["v3", "pay", "partner", "transactions", kind]) => {
            state.count(Stat::V3Prepay);
            prepay(state, req, kind, true).map(|b| (200, b))
        }
        ("GET", ["v3", "pay", rest @ ..]) => {
            state.count(Stat::V3Query);
            let (partner, rest) = match rest {
                ["partner", rest @ ..] => (true, rest),
                _ => (false, rest),
            };
            match rest {
                ["transactions", "out-trade-no", no] => caller(state, req, partner)
                    .and_then(|f| query(state, f, "out_trade_no", no))
                    .map(|b| (200, b)),
                ["transactions", "id", tid] => caller(state, req, partner)
                    .and_then(|f| query(state, f, "transaction_id", tid))
                    .map(|b| (200, b)),
                _ => Err(error(404, "NOT_FOUND", "无此接口")),
            }
        }
        ("POST", ["v3", "pay", "transactions", "out-trade-no", no, "close"]) => {
            state.count(Stat::V3Close);
            let mut f = Params::new();
            f.insert("mch_id".into(), state.config.mch_id.clone());
            f.insert("out_trade_no".into(), (*no).to_owned());
            from_v2(pay::close_order(state, &f)).map(|_| (204, String::new()))
        }
        ("POST", ["v3", "pay", "partner", "transactions", "out-trade-no", no, "close"]) => {
            state.count(Stat::V3Close);
            let asked: Value = serde_json::from_slice(&req.body).unwrap_or_default();
            let mut f = Params::new();
            f.insert(
                "mch_id".into(),
                asked["sp_mchid"].as_str().unwrap_or("").to_owned(),
            );
            f.insert(
                "sub_mch_id".into(),
                asked["sub_mchid"].as_str().unwrap_or("").to_owned(),
            );
            f.insert("out_trade_no".into(), (*no).to_owned());
            from_v2(pay::close_order(state, &f)).map(|_| (204, String::new()))
        }
        ("POST", ["v3", "refund", "domestic", "refunds"]) => {
            state.count(Stat::V3Refund);
            refunds::refund(state, req).map(|b| (200, b))
        }
        ("GET", ["v3", "refund", "domestic", "refunds", no]) => {
            state.count(Stat::V3RefundQuery);
            refunds::query(state, no, req.query.get("sub_mchid").map(String::as_str))
                .map(|b| (200, b))
        }
        ("GET", ["v3", "bill", kind @ ("tradebill" | "fundflowbill")]) => {
            state.count(Stat::V3Bill);
            bills::bill(state, req, kind, instant_bills).map(|b| (200, b))
        }
        ("GET", ["v3", "billdownload", "file"]) => {
            state.count(Stat::V3BillDownload);
            // The file is not signed: its hash in the bill answer vouches for it.
            return bills::download(state, req);
        }
        _ => Err(error(404, "NOT_FOUND", "无此接口")),
    };
    match answer {
        Ok((status, body)) => signed(state, req, keys, status, &body, fault),
        Err(refusal) => refusal,
    }
}
