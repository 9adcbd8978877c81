//! The MP platform (api.weixin.qq.com) and OAuth (open.weixin.qq.com):
//! codes, web tokens, access tokens, stable tokens and jsapi tickets, with
//! WeChat's error codes.

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::http::{Request, Response};
use crate::state::{random_token, Code, Issued, LoginCode, Stat, State, TokenCheck, WebToken};

fn err(code: i64, msg: &str) -> Value {
    json!({ "errcode": code, "errmsg": format!("{msg} rid: {}", random_token(8).to_ascii_lowercase()) })
}

fn q<'a>(req: &'a Request, name: &str) -> &'a str {
    req.query.get(name).map(String::as_str).unwrap_or("")
}

/// `GET /connect/oauth2/authorize`: consents at once and redirects back
/// with a single-use code.
pub fn authorize(state: &mut State, req: &Request) -> Response {
    let page = |code: u32, what: &str| {
        Response::new(
            400,
            "text/html; charset=utf-8",
            format!("<!doctype html><meta charset=utf-8><title>wxpay-sim</title><h1>OAuth error {code}</h1><p>{what}</p>"),
        )
    };
    let appid = q(req, "appid");
    let redirect = q(req, "redirect_uri");
    let scope = q(req, "scope");
    if appid.is_empty() {
        return page(10012, "appid is empty");
    }
    if appid != state.config.appid {
        return page(10016, "unknown appid");
    }
    if redirect.is_empty() {
        return page(10011, "redirect_uri is empty");
    }
    if !(redirect.starts_with("http://") || redirect.starts_with("https://")) {
        return page(10003, "redirect_uri is not an absolute URL");
    }
    if scope.is_empty() {
        return page(10010, "scope is empty");
    }
    if scope != "snsapi_base" && scope != "snsapi_userinfo" {
        return page(10005, "no permission for this scope");
    }
    if q(req, "response_type") != "code" {
        return page(10004, "response_type must be code");
    }
    let state_param = q(req, "state");
    if state_param.len() > 128 || !state_param.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return page(10013, "state must be at most 128 letters and digits");
    }
    state.count(Stat::OAuthAuthorizations);
    let code = random_token(32);
    state.codes.insert(
        code.clone(),
        Code {
            openid: state.config.openid.clone(),
            scope: scope.into(),
            issued: Instant::now(),
            used: false,
        },
    );
    let (base, fragment) = match redirect.split_once('#') {
        Some((b, f)) => (b, format!("#{f}")),
        None => (redirect, String::new()),
    };
    let sep = if base.contains('?') { '&' } else { '?' };
    Response::redirect(&format!(
        "{base}{sep}code={code}&state={state_param}{fragment}"
    ))
}

fn check_app(state: &State, appid: &str, secret: &str) -> Option<Value> {
    if appid != state.config.appid {
        return Some(err(40013, "invalid appid"));
    }
    if secret != state.config.app_secret {
        return Some(err(40125, "invalid appsecret"));
    }
    None
}

/// `GET /sns/oauth2/access_token`.
pub fn oauth_exchange(state: &mut State, req: &Request) -> Value {
    state.count(Stat::OAuthExchanges);
    if let Some(e) = check_app(state, q(req, "appid"), q(req, "secret")) {
        return e;
    }
    if q(req, "grant_type") != "authorization_code" {
        return err(40002, "invalid grant_type");
    }
    let code = q(req, "code");
    if code.is_empty() {
        return err(41008, "missing code");
    }
    let Some(c) = state.codes.get_mut(code) else {
        return err(40029, "invalid code");
    };
    if c.used {
        return err(40163, "code been used");
    }
    if c.issued.elapsed() > Duration::from_secs(300) {
        return err(40029, "invalid code");
    }
    c.used = true;
    let (openid, scope) = (c.openid.clone(), c.scope.clone());
    issue_web_token(state, &openid, &scope)
}

fn issue_web_token(state: &mut State, openid: &str, scope: &str) -> Value {
    let token = random_token(64);
    let refresh = random_token(64);
    state.web_tokens.insert(
        token.clone(),
        WebToken {
            openid: openid.into(),
            scope: scope.into(),
            expires: Instant::now() + Duration::from_secs(7200),
        },
    );
    state
        .refresh_tokens
        .insert(refresh.clone(), (openid.into(), scope.into()));
    json!({ "access_token": token, "expires_in": 7200, "refresh_token": refresh, "openid": openid, "scope": scope })
}

fn bad_request(why: &str) -> Response {
    Response::new(400, "application/json", json!({ "error": why }).to_string())
}

/// `POST /sim/mini/login`: what `wx.login()` gives a mini-program (see
/// [`mini_login`]). The body may name the user (`{"openid": …}`) and ask
/// for a refusal (`{"errcode": 40226}` a risky user, `45011` the minute
/// quota).
pub fn mini_login_request(state: &mut State, req: &Request) -> Response {
    let body: Value = if req.body.is_empty() {
        json!({})
    } else {
        match serde_json::from_slice(&req.body) {
            Ok(v @ Value::Object(_)) => v,
            _ => return bad_request("the body must be a JSON object"),
        }
    };
    let refuse = match body.get("errcode") {
        None | Some(Value::Null) => None,
        Some(v) => match v.as_i64() {
            Some(code) => Some(code),
            None => return bad_request("errcode must be 40226 or 45011"),
        },
    };
    let openid = match body.get("openid") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.as_str()),
        _ => return bad_request("openid must be a string"),
    };
    match mini_login(state, openid, refuse) {
        Ok(code) => Response::json(&json!({ "errMsg": "login:ok", "code": code })),
        Err(why) => bad_request(&why),
    }
}

/// A single-use `wx.login()` code living 5 minutes, for `openid` (default
/// the simulator's test user); `refuse` makes jscode2session answer that
/// errcode for it (40226 a risky user, 45011 the minute quota).
pub fn mini_login(
    state: &mut State,
    openid: Option<&str>,
    refuse: Option<i64>,
) -> Result<String, String> {
    if let Some(code) = refuse {
        if !matches!(code, 40226 | 45011) {
            return Err("errcode must be 40226 or 45011".into());
        }
    }
    let openid = match openid {
        None => state.config.openid.clone(),
        Some(s) if !s.is_empty() && s.len() <= 128 => s.to_owned(),
        Some(_) => return Err("openid must be 1 to 128 characters".into()),
    };
    state.count(Stat::MiniLogins);
    let code = random_token(32);
    state.login_codes.insert(
        code.clone(),
        LoginCode {
            openid,
            issued: Instant::now(),
            used: false,
            refuse,
        },
    );
    Ok(code)
}

/// `GET /sns/jscode2session`: a login code for the openid and a session key.
pub fn jscode2session(state: &mut State, req: &Request) -> Value {
    state.count(Stat::Jscode2Session);
    if let Some(e) = check_app(state, q(req, "appid"), q(req, "secret")) {
        return e;
    }
    if q(req, "grant_type") != "authorization_code" {
        return err(40002, "invalid grant_type");
    }
    let code = q(req, "js_code");
    if code.is_empty() {
        return err(41008, "missing code");
    }
    let Some(c) = state.login_codes.get_mut(code) else {
        return err(40029, "invalid code");
    };
    if c.used {
        return err(40163, "code been used");
    }
    if c.issued.elapsed() > Duration::from_secs(300) {
        return err(40029, "invalid code");
    }
    match c.refuse {
        // A quota refusal leaves the code unused: it may be tried again.
        Some(45011) => {
            return err(
                45011,
                "api minute-quota reach limit mustslower retry next minute",
            )
        }
        Some(code) => {
            c.used = true;
            return err(code, "high risk user");
        }
        None => {}
    }
    c.used = true;
    json!({ "openid": c.openid, "session_key": random_token(24), "unionid": format!("union-{}", c.openid) })
}

/// `GET /sns/oauth2/refresh_token`.
pub fn oauth_refresh(state: &mut State, req: &Request) -> Value {
    if q(req, "appid") != state.config.appid {
        return err(40013, "invalid appid");
    }
    match state.refresh_tokens.get(q(req, "refresh_token")).cloned() {
        Some((openid, scope)) => issue_web_token(state, &openid, &scope),
        None => err(40030, "invalid refresh_token"),
    }
}

/// `GET /sns/userinfo`.
pub fn userinfo(state: &mut State, req: &Request) -> Value {
    state.count(Stat::Userinfo);
    let Some(t) = state.web_tokens.get(q(req, "access_token")) else {
        return err(40014, "invalid access_token");
    };
    if Instant::now() >= t.expires {
        return err(42001, "access_token expired");
    }
    if t.openid != q(req, "openid") {
        return err(40003, "invalid openid");
    }
    if t.scope != "snsapi_userinfo" {
        return err(48001, "api unauthorized");
    }
    json!({ "openid": t.openid, "nickname": "wxpay-sim shopper", "sex": 0, "province": "", "city": "",
            "country": "", "headimgurl": "", "privilege": [] })
}

/// `GET /cgi-bin/token`: each fetch rotates the token; the previous one
/// keeps working for the overlap.
pub fn token(state: &mut State, req: &Request) -> Value {
    if q(req, "grant_type") != "client_credential" {
        return err(40002, "invalid grant_type");
    }
    if let Some(e) = check_app(state, q(req, "appid"), q(req, "secret")) {
        return e;
    }
    state.count(Stat::TokenFetches);
    let now = Instant::now();
    for t in &mut state.classic_tokens {
        t.superseded.get_or_insert(now);
    }
    let ttl = state.config.token_ttl;
    let issued = Issued::new(ttl);
    let value = issued.value.clone();
    state.classic_tokens.push(issued);
    json!({ "access_token": value, "expires_in": ttl })
}

/// `POST /cgi-bin/stable_token`: the same token while it has more than 5
/// minutes left; `force_refresh` rotates it (at most every 30 s).
pub fn stable_token(state: &mut State, req: &Request) -> Value {
    let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
        return err(47001, "data format error");
    };
    let s = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    if s("grant_type") != "client_credential" {
        return err(40002, "invalid grant_type");
    }
    if let Some(e) = check_app(state, &s("appid"), &s("secret")) {
        return e;
    }
    state.count(Stat::TokenFetches);
    let force = body
        .get("force_refresh")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let ttl = state.config.token_ttl;
    let renew_within = Duration::from_secs(state.config.token_overlap.min(ttl / 2));
    if force {
        if state
            .last_forced_stable
            .is_some_and(|t| t.elapsed() < Duration::from_secs(30))
        {
            return err(
                45011,
                "api minute-quota reach limit mustslower retry next minute",
            );
        }
        state.last_forced_stable = Some(Instant::now());
    }
    let current_ok = state
        .stable_token
        .as_ref()
        .is_some_and(|t| t.remaining() > renew_within);
    if force || !current_ok {
        let fresh = Issued::new(ttl);
        if let Some(old) = state.stable_token.take() {
            // A superseded stable token is kept so it is still recognised
            // during the overlap (a forced refresh ends it at once).
            let mut old = old;
            old.superseded = Some(if force {
                Instant::now() - Duration::from_secs(state.config.token_overlap)
            } else {
                Instant::now()
            });
            state.classic_tokens.push(old);
        }
        state.stable_token = Some(fresh);
    }
    let t = state
        .stable_token
        .as_ref()
        .map(|t| (t.value.clone(), t.remaining().as_secs()));
    let (value, remaining) = t.unwrap_or_default();
    json!({ "access_token": value, "expires_in": remaining.max(1) })
}

/// `GET /cgi-bin/ticket/getticket?type=jsapi`.
pub fn ticket(state: &mut State, req: &Request) -> Value {
    state.count(Stat::TicketFetches);
    match state.check_token(q(req, "access_token")) {
        TokenCheck::Ok => {}
        TokenCheck::Expired => return err(42001, "access_token expired"),
        TokenCheck::NotLatest => {
            return err(
                40001,
                "invalid credential, access_token is invalid or not latest",
            )
        }
        TokenCheck::Unknown => return err(40014, "invalid access_token"),
    }
    if q(req, "type") != "jsapi" {
        return err(40097, "invalid args: type must be jsapi");
    }
    let ttl = state.config.token_ttl;
    let renew_within = Duration::from_secs(state.config.token_overlap.min(ttl / 2));
    let current_ok = state
        .tickets
        .last()
        .is_some_and(|t| t.remaining() > renew_within);
    if !current_ok {
        let mut fresh = Issued::new(ttl);
        fresh.value = format!("sim_{}", random_token(80));
        state.tickets.retain(|t| t.remaining() > Duration::ZERO);
        state.tickets.push(fresh);
    }
    let (value, remaining) = state
        .tickets
        .last()
        .map(|t| (t.value.clone(), t.remaining().as_secs()))
        .unwrap_or_default();
    json!({ "errcode": 0, "errmsg": "ok", "ticket": value, "expires_in": remaining.max(1) })
}
