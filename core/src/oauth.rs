//! Web OAuth (docs/protocol.md §9): the authorize URL, and a stateless signed
//! `state` that protects the redirect from cross-site forgery.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::clock::{random_alphanumeric, Clock};
use crate::error::{Error, Result};
use crate::sign::ApiKey;

/// The official authorize host.
pub const OPEN_BASE_URL: &str = "https://open.weixin.qq.com";

/// What the user is asked to grant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Scope {
    /// Silent: only the openid (enough to pay).
    #[default]
    Base,
    /// A consent page: nickname and avatar too.
    UserInfo,
}

impl Scope {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Base => "snsapi_base",
            Scope::UserInfo => "snsapi_userinfo",
        }
    }

    /// Parses `snsapi_base` / `snsapi_userinfo`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "snsapi_base" => Ok(Scope::Base),
            "snsapi_userinfo" => Ok(Scope::UserInfo),
            _ => Err(Error::invalid(
                "scope",
                "must be snsapi_base or snsapi_userinfo",
            )),
        }
    }
}

/// Percent-encodes everything but `A-Za-z0-9-._~`.
pub(crate) fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The URL to send the user to. `base_url` is [`OPEN_BASE_URL`] or a
/// simulator's; `state` must be `[A-Za-z0-9]`, at most 128 bytes.
///
/// ```
/// let url = wxpay::oauth_authorize_url(wxpay::OPEN_BASE_URL, "123456", "http://localhost",
///                                      wxpay::Scope::Base, None).unwrap();
/// assert_eq!(url, "https://open.weixin.qq.com/connect/oauth2/authorize?appid=123456\
///     &redirect_uri=http%3A%2F%2Flocalhost&response_type=code&scope=snsapi_base#wechat_redirect");
/// ```
pub fn oauth_authorize_url(
    base_url: &str,
    appid: &str,
    redirect_uri: &str,
    scope: Scope,
    state: Option<&str>,
) -> Result<String> {
    if appid.is_empty()
        || !appid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return Err(Error::invalid("appid", "must be letters, digits and _"));
    }
    if !(redirect_uri.starts_with("http://") || redirect_uri.starts_with("https://"))
        || redirect_uri.chars().any(char::is_control)
    {
        return Err(Error::invalid(
            "redirect_uri",
            "must be an absolute http(s) URL",
        ));
    }
    if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
        return Err(Error::invalid("open_base_url", "must be an http(s) URL"));
    }
    let mut url = format!(
        "{}/connect/oauth2/authorize?appid={appid}&redirect_uri={}&response_type=code&scope={}",
        base_url.trim_end_matches('/'),
        encode_component(redirect_uri),
        scope.as_str()
    );
    if let Some(state) = state.filter(|s| !s.is_empty()) {
        if state.len() > 128 || !state.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(Error::invalid(
                "state",
                "must be at most 128 letters and digits",
            ));
        }
        url.push_str("&state=");
        url.push_str(state);
    }
    url.push_str("#wechat_redirect");
    Ok(url)
}

/// Issues and checks a stateless OAuth `state`:
/// `<10-digit time><16 random><32 hex HMAC>`, all `[A-Za-z0-9]`.
///
/// The HMAC key is derived from the API key, and `context` (for example
/// the user's session id) is mixed in, so a state taken from one browser
/// session does not pass in another.
///
/// ```
/// use wxpay::{ApiKey, FixedClock, OAuthState};
/// let s = OAuthState::new(&ApiKey::new("192006250b4c09247ec02edce69f6a2d").unwrap());
/// let state = s.issue("session-1", &FixedClock::new(1_700_000_000, "x"));
/// assert!(s.check(&state, "session-1", 600, &FixedClock::new(1_700_000_100, "x")).is_ok());
/// assert!(s.check(&state, "session-2", 600, &FixedClock::new(1_700_000_100, "x")).is_err());
/// assert!(s.check(&state, "session-1", 600, &FixedClock::new(1_700_001_000, "x")).is_err());
/// ```
#[derive(Clone)]
pub struct OAuthState {
    key: [u8; 32],
}

impl OAuthState {
    /// How long a state is accepted when the caller names no limit (600 s:
    /// enough for a user to read WeChat's consent page).
    pub const DEFAULT_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(600);
}

impl std::fmt::Debug for OAuthState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OAuthState(***)")
    }
}

type HmacSha256 = Hmac<Sha256>;

fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key)
        .unwrap_or_else(|_| unreachable!("HMAC accepts keys of any length"));
    for p in parts {
        mac.update(&(p.len() as u64).to_be_bytes());
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

impl OAuthState {
    /// Derives the state key from the merchant's API key.
    pub fn new(api_key: &ApiKey) -> Self {
        OAuthState {
            key: hmac(api_key.expose().as_bytes(), &[b"wxpay oauth state v1"]),
        }
    }

    fn tag(&self, ts: &str, nonce: &str, context: &str) -> String {
        hmac(
            &self.key,
            &[ts.as_bytes(), nonce.as_bytes(), context.as_bytes()],
        )[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// A fresh state bound to `context`.
    pub fn issue(&self, context: &str, clock: &dyn Clock) -> String {
        let ts = format!("{:010}", clock.now_unix() % 10_000_000_000);
        let nonce = random_alphanumeric(16);
        let tag = self.tag(&ts, &nonce, context);
        format!("{ts}{nonce}{tag}")
    }

    /// Accepts a state issued for `context` at most `max_age_secs` ago.
    pub fn check(
        &self,
        state: &str,
        context: &str,
        max_age_secs: u64,
        clock: &dyn Clock,
    ) -> Result<()> {
        let bad = |why: &str| Error::invalid("state", format!("OAuth state refused: {why}"));
        if state.len() != 58 || !state.is_ascii() {
            return Err(bad("wrong length"));
        }
        let (ts, rest) = state.split_at(10);
        let (nonce, tag) = rest.split_at(16);
        let expected = self.tag(ts, nonce, context);
        if !bool::from(expected.as_bytes().ct_eq(tag.as_bytes())) {
            return Err(bad("not issued by this shop for this session"));
        }
        let issued: u64 = ts.parse().map_err(|_| bad("bad time"))?;
        let now = clock.now_unix();
        if issued > now + 60 {
            return Err(bad("issued in the future"));
        }
        if now.saturating_sub(issued) > max_age_secs {
            return Err(bad("expired"));
        }
        Ok(())
    }
}
