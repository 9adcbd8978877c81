//! The MP platform (api.weixin.qq.com): OAuth code exchange, access_token
//! and jsapi_ticket. JSON in and out; `errcode != 0` becomes `MpApi`.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::client::retry::{Budget, Cause, Retry};
use crate::client::tokens::Fetched;
use crate::client::transport::{Call, Method};
use crate::client::Client;
use crate::err_codes::{mp_errcode_is_stale_token, mp_errcode_retryable};
use crate::error::{Error, Result};
use crate::oauth::encode_component;

/// Which endpoint access tokens come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum TokenSource {
    /// `POST /cgi-bin/stable_token`: the same token while it is valid, so
    /// separate fleets do not invalidate each other (the default).
    #[default]
    Stable,
    /// `GET /cgi-bin/token`: every fetch rotates the token.
    Classic,
}

/// What an OAuth code exchange yields.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OAuthToken {
    /// The user's openid under this appid — what a payment needs.
    pub openid: String,
    /// The web access token (not the basic access_token).
    pub access_token: String,
    /// Seconds the access token lives.
    #[serde(default)]
    pub expires_in: u64,
    /// Refreshes the access token for 30 days.
    #[serde(default)]
    pub refresh_token: String,
    /// Granted scopes, comma separated.
    #[serde(default)]
    pub scope: String,
    /// Present when the account is bound to an open-platform account.
    #[serde(default)]
    pub unionid: Option<String>,
    /// 1 for a snapshot-page virtual user.
    #[serde(default)]
    pub is_snapshotuser: Option<u8>,
}

impl fmt::Debug for OAuthToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthToken")
            .field("openid", &self.openid)
            .field("access_token", &"***")
            .field("expires_in", &self.expires_in)
            .field("refresh_token", &"***")
            .field("scope", &self.scope)
            .finish()
    }
}

/// What a mini-program login (`sns/jscode2session`) yields.
///
/// `session_key` is a secret: it decrypts what the mini-program hands over
/// (the phone number, user data) and checks its signatures. Keep it on the
/// server; it never appears in this type's `Debug` nor in an error.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MiniProgramSession {
    /// The user's openid under the mini-program's appid — what a payment
    /// needs.
    pub openid: String,
    /// The session key (a secret; keep it on the server).
    pub session_key: String,
    /// Present when the mini-program is bound to an open-platform account.
    #[serde(default)]
    pub unionid: Option<String>,
}

impl fmt::Debug for MiniProgramSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MiniProgramSession")
            .field("openid", &self.openid)
            .field("session_key", &"***")
            .field("unionid", &self.unionid)
            .finish()
    }
}

/// How the token store is doing ([`Client::token_store_health`]).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenStoreHealth {
    /// `memory` (this process only), `file`, `redis`, or `host` (the
    /// application's own object).
    pub store: String,
    /// Whether the store answered the last time each token was read or
    /// written through it.
    pub healthy: bool,
    /// What the failing store said (no secret: store errors name keys and
    /// causes only); null while healthy.
    pub error: Option<String>,
}

const MAX_JSON: u64 = 64 * 1024;

/// Reads an MP reply: JSON, `errcode` 0 or absent.
fn parse_json(body: &[u8], label: &str) -> Result<Value> {
    if crate::json_depth::too_deep(body) {
        return Err(Error::bad_reply(format!(
            "{label}: the reply nests JSON too deeply"
        )));
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|_| Error::bad_reply(format!("{label}: the reply is not JSON")))?;
    if !value.is_object() {
        return Err(Error::bad_reply(format!(
            "{label}: the reply is not a JSON object"
        )));
    }
    match value.get("errcode").and_then(Value::as_i64) {
        None | Some(0) => Ok(value),
        Some(errcode) => Err(Error::MpApi {
            errcode,
            errmsg: value
                .get("errmsg")
                .and_then(Value::as_str)
                .unwrap_or("")
                .chars()
                .take(200)
                .collect(),
            retryable: mp_errcode_retryable(errcode),
        }),
    }
}

impl Client {
    fn app_secret(&self) -> Result<&str> {
        self.config
            .app_secret
            .as_deref()
            .filter(|s| !s.is_empty())
            .ok_or_else(|| {
                Error::config("app_secret is needed for OAuth, mini-program login, access_token and jsapi_ticket")
            })
    }

    fn mp_get(&self, path: &str, label: &str, retry: Retry, budget: &mut Budget) -> Result<Value> {
        let call = Call {
            path,
            label,
            method: Method::Get,
            retry,
            use_cert: false,
            max_body: MAX_JSON,
            headers: None,
            any_status: false,
        };
        self.mp_call(&call, budget)
    }

    /// Runs an MP call and reads its JSON; a retryable answer (`-1`, the
    /// platform busy) is tried again like a pay API `SYSTEMERROR`, unless the
    /// call may not be repeated once sent (a code exchange).
    fn mp_call(&self, call: &Call<'_>, budget: &mut Budget) -> Result<Value> {
        loop {
            let body = self.transport.execute(&self.mp_domains, call, budget)?;
            match parse_json(&body, call.label) {
                Err(e) if call.retry == Retry::AfterSend && budget.again(Cause::Answer(&e)) => {}
                other => return other,
            }
        }
    }

    /// Exchanges an OAuth `code` for the user's openid. Never retried after
    /// the request was sent: a code is single-use, and a resend would burn it
    /// (WeChat then answers 40163).
    ///
    /// ```no_run
    /// # let client: wxpay::Client = unimplemented!();
    /// let token = client.oauth_exchange_code("061a2b3c")?;
    /// println!("openid {}", token.openid);
    /// # Ok::<(), wxpay::Error>(())
    /// ```
    pub fn oauth_exchange_code(&self, code: &str) -> Result<OAuthToken> {
        if code.is_empty() || code.len() > 512 || !code.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::invalid(
                "code",
                "must be the code WeChat appended to the redirect",
            ));
        }
        let path = format!(
            "/sns/oauth2/access_token?appid={}&secret={}&code={}&grant_type=authorization_code",
            encode_component(self.merchant.appid()),
            encode_component(self.app_secret()?),
            encode_component(code)
        );
        let value = self.mp_get(
            &path,
            "sns/oauth2/access_token",
            Retry::PreSendOnly,
            &mut self.budget(),
        )?;
        let token: OAuthToken = serde_json::from_value(value).map_err(|_| {
            Error::bad_reply("sns/oauth2/access_token: the reply lacks openid or access_token")
        })?;
        if token.openid.is_empty() {
            return Err(Error::bad_reply("sns/oauth2/access_token: empty openid"));
        }
        Ok(token)
    }

    /// A mini-program login: the `code` of `wx.login()` exchanged for the
    /// user's openid, unionid and session_key (`sns/jscode2session`, with
    /// the client's appid and app_secret, which are then the
    /// mini-program's). Never retried after the request was sent: a code
    /// is single-use. WeChat's refusals are `MpApi` errors with their
    /// errcode: 40029 (invalid or expired code), 40163 (code used), 45011
    /// (too many logins a minute), 40226 (a high-risk user).
    ///
    /// ```no_run
    /// # let client: wxpay::Client = unimplemented!();
    /// let session = client.jscode2session("0a3b5c")?;
    /// println!("openid {}", session.openid); // keep session.session_key on the server
    /// # Ok::<(), wxpay::Error>(())
    /// ```
    pub fn jscode2session(&self, code: &str) -> Result<MiniProgramSession> {
        if code.is_empty() || code.len() > 512 || !code.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::invalid(
                "code",
                "must be the code wx.login() gave the mini-program",
            ));
        }
        let path = format!(
            "/sns/jscode2session?appid={}&secret={}&js_code={}&grant_type=authorization_code",
            encode_component(self.merchant.appid()),
            encode_component(self.app_secret()?),
            encode_component(code)
        );
        let value = self.mp_get(
            &path,
            "sns/jscode2session",
            Retry::PreSendOnly,
            &mut self.budget(),
        )?;
        let session: MiniProgramSession = serde_json::from_value(value).map_err(|_| {
            Error::bad_reply("sns/jscode2session: the reply lacks openid or session_key")
        })?;
        if session.openid.is_empty() || session.session_key.is_empty() {
            return Err(Error::bad_reply(
                "sns/jscode2session: empty openid or session_key",
            ));
        }
        Ok(session)
    }

    /// Whether the token store answers: while it fails, each process keeps
    /// its own tokens (and fetches its own), which a fleet notices only in
    /// its WeChat quota. The failure is also reported once as a
    /// `token_store_down` event (see [`crate::events`]). No I/O: this is
    /// what the last uses of the store found.
    ///
    /// ```no_run
    /// # let client: wxpay::Client = unimplemented!();
    /// let health = client.token_store_health();
    /// assert!(health.healthy, "{:?}", health.error);
    /// ```
    pub fn token_store_health(&self) -> TokenStoreHealth {
        let error = self
            .access_tokens
            .store_error()
            .or_else(|| self.tickets.store_error());
        TokenStoreHealth {
            store: self.access_tokens.store_kind().to_owned(),
            healthy: error.is_none(),
            error,
        }
    }

    fn fetch_access_token(&self) -> Result<Fetched> {
        let secret = self.app_secret()?;
        let mut budget = self.budget();
        let value = match self.config.token_source {
            TokenSource::Classic => {
                let path = format!(
                    "/cgi-bin/token?grant_type=client_credential&appid={}&secret={}",
                    encode_component(self.merchant.appid()),
                    encode_component(secret)
                );
                self.mp_get(&path, "cgi-bin/token", Retry::AfterSend, &mut budget)?
            }
            TokenSource::Stable => {
                let force = std::mem::take(
                    &mut *self
                        .force_stable_refresh
                        .lock()
                        .unwrap_or_else(|p| p.into_inner()),
                );
                let body = serde_json::json!({
                    "grant_type": "client_credential",
                    "appid": self.merchant.appid(),
                    "secret": secret,
                    "force_refresh": force,
                })
                .to_string();
                let call = Call {
                    path: "/cgi-bin/stable_token",
                    label: "cgi-bin/stable_token",
                    method: Method::Post {
                        body: body.as_bytes(),
                        content_type: "application/json",
                    },
                    retry: Retry::AfterSend,
                    use_cert: false,
                    max_body: MAX_JSON,
                    headers: None,
                    any_status: false,
                };
                self.mp_call(&call, &mut budget)?
            }
        };
        token_from(&value, "access_token")
    }

    /// The basic access_token, from the cache or fetched once for all
    /// threads.
    pub fn access_token(&self) -> Result<String> {
        self.access_tokens.get(|| self.fetch_access_token())
    }

    /// Tells the cache that WeChat refused `token` (40001/42001/40014).
    fn access_token_refused(&self, token: &str) -> Result<()> {
        if self.config.token_source == TokenSource::Stable {
            *self
                .force_stable_refresh
                .lock()
                .unwrap_or_else(|p| p.into_inner()) = true;
        }
        self.access_tokens.invalidate(token)
    }

    fn fetch_ticket(&self) -> Result<Fetched> {
        let mut budget = self.budget();
        loop {
            let token = self.access_token()?;
            let path = format!(
                "/cgi-bin/ticket/getticket?access_token={}&type=jsapi",
                encode_component(&token)
            );
            match self.mp_get(
                &path,
                "cgi-bin/ticket/getticket",
                Retry::AfterSend,
                &mut budget,
            ) {
                Err(Error::MpApi { errcode, .. })
                    if mp_errcode_is_stale_token(errcode) && budget.again(Cause::StaleToken) =>
                {
                    // One refresh of that token generation, shared by every thread.
                    self.access_token_refused(&token)?;
                }
                Err(e) => return Err(e),
                Ok(value) => return token_from(&value, "ticket"),
            }
        }
    }

    /// The jsapi_ticket for `wx.config`, cached like the access token.
    pub fn jsapi_ticket(&self) -> Result<String> {
        self.tickets.get(|| self.fetch_ticket())
    }
}

fn token_from(value: &Value, field: &str) -> Result<Fetched> {
    let token = value
        .get(field)
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty() && t.len() <= 2048)
        .ok_or_else(|| Error::bad_reply(format!("the reply has no {field}")))?;
    let expires_in = value
        .get("expires_in")
        .and_then(Value::as_u64)
        .unwrap_or(7200)
        .clamp(1, 7200);
    Ok(Fetched {
        token: token.to_owned(),
        expires_in,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a test may stop at the first surprise

    use super::*;

    #[test]
    fn a_reply_nested_too_deep_is_refused_before_parsing() {
        let deep = format!(
            "{{\"errcode\":0,\"x\":{}{}}}",
            "[".repeat(200_000),
            "]".repeat(200_000)
        );
        let e = parse_json(deep.as_bytes(), "token").unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::Protocol);
        assert!(e.to_string().contains("nests JSON too deeply"), "{e}");
        assert!(parse_json(br#"{"errcode":0,"x":[[1]]}"#, "token").is_ok());
    }
}
