//! API v3 bills from the simulator's books (docs/protocol.md §19.10): the
//! signed answer names the file by a one-off token and gives the SHA-1 of
//! its text; the file itself is served gzip and unsigned, like WeChat's.

use std::io::Write;

use serde_json::json;
use sha1::{Digest, Sha1};
use wxpay::{Params, SignType};

use super::error;
use crate::http::{Request, Response};
use crate::pay::{self, Reply};
use crate::state::{random_token, State};

/// `GET /v3/bill/tradebill` or `/v3/bill/fundflowbill`.
pub fn bill(
    state: &mut State,
    req: &Request,
    kind: &str,
    instant_bills: bool,
) -> Result<String, Response> {
    let query = |k: &str| req.query.get(k).map(String::as_str).unwrap_or("");
    let date = query("bill_date");
    if date.len() != 10 || date.as_bytes()[4] != b'-' || date.as_bytes()[7] != b'-' {
        return Err(error(400, "PARAM_ERROR", "bill_date格式应为yyyy-MM-dd"));
    }
    let mut f = Params::new();
    f.insert("mch_id".into(), state.config.mch_id.clone());
    f.insert("appid".into(), state.config.appid.clone());
    f.insert("bill_date".into(), date.replace('-', ""));
    let reply = if kind == "tradebill" {
        let bill_type = match query("bill_type") {
            "" => "ALL",
            t => t,
        };
        f.insert("bill_type".into(), bill_type.to_owned());
        pay::download_bill(state, &f, instant_bills)
    } else {
        // v3 spells accounts in upper case, v2 in title case.
        let account = match query("account_type") {
            "" | "BASIC" => "Basic",
            "OPERATION" => "Operation",
            "FEES" => "Fees",
            _ => return Err(error(400, "PARAM_ERROR", "account_type参数错误")),
        };
        f.insert("account_type".into(), account.to_owned());
        let call = pay::Call {
            sign_type: SignType::HmacSha256,
            instant_bills,
            recall: false,
        };
        crate::fund_flow::download_fund_flow(state, &f, &call)
    };
    let text = match reply {
        Reply::Raw(r) if r.content_type.starts_with("text/plain") => r.body,
        Reply::Raw(r) => {
            let said = String::from_utf8_lossy(&r.body);
            return Err(
                if said.contains("No Bill Exist") || said.contains("NO_BILL") {
                    error(400, "NO_STATEMENT_EXIST", "要下载的账单不存在")
                } else if said.contains("Creating") || said.contains("CREATING") {
                    error(400, "STATEMENT_CREATING", "账单生成中")
                } else {
                    error(400, "PARAM_ERROR", "参数错误")
                },
            );
        }
        other => {
            return Err(super::from_v2(other)
                .err()
                .unwrap_or_else(|| error(500, "SYSTEM_ERROR", "系统错误")))
        }
    };
    let hash: String = Sha1::digest(&text)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let token = random_token(32);
    state
        .v3_bills
        .insert(token.clone(), String::from_utf8_lossy(&text).into_owned());
    let scheme = if req.tls { "https" } else { "http" };
    let host = req
        .headers
        .get("host")
        .map(String::as_str)
        .unwrap_or("127.0.0.1");
    Ok(json!({
        "hash_type": "SHA1",
        "hash_value": hash,
        "download_url": format!("{scheme}://{host}/v3/billdownload/file?token={token}"),
    })
    .to_string())
}

/// `GET /v3/billdownload/file?token=…`: the file, gzip, unsigned.
pub fn download(state: &mut State, req: &Request) -> Response {
    let token = req.query.get("token").map(String::as_str).unwrap_or("");
    let Some(text) = state.v3_bills.get(token) else {
        return error(400, "INVALID_REQUEST", "下载链接已失效");
    };
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    match gz.write_all(text.as_bytes()).and_then(|()| gz.finish()) {
        Ok(bytes) => Response::new(200, "application/octet-stream", bytes),
        Err(_) => error(500, "SYSTEM_ERROR", "系统错误"),
    }
}
