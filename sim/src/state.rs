//! Everything the simulated WeChat remembers: orders and refunds, OAuth
//! codes, tokens and tickets, call counters, notifications and faults.

use std::collections::{BTreeMap, HashMap};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use wxpay::{ApiKey, Params};

/// The test merchant and official account the simulator plays.
#[derive(Clone, Debug)]
pub struct SimConfig {
    /// Official-account appid.
    pub appid: String,
    /// Merchant number.
    pub mch_id: String,
    /// The merchant's API key (32 bytes).
    pub api_key: String,
    /// The official account's AppSecret.
    pub app_secret: String,
    /// The openid OAuth hands out (the simulated shopper).
    pub openid: String,
    /// Multiplies every WeChat delay the simulator waits out: the notify
    /// retry schedule and the 5 minutes before an order may be closed.
    pub time_scale: f64,
    /// Lifetime of access tokens and tickets, seconds (WeChat: 7200).
    pub token_ttl: u64,
    /// How long a superseded token keeps working (WeChat: 300 s).
    pub token_overlap: u64,
    /// The service provider the simulator also plays, with its
    /// sub-merchants (docs/protocol.md §15).
    pub provider: SimProvider,
    /// Which keys WeChat signs API v3 answers with (docs/protocol.md §19).
    pub v3_keys: crate::v3::V3Keys,
}

/// A service provider (服务商): its own appid, mch_id and API key, and the
/// sub-merchants it may call for.
#[derive(Clone, Debug)]
pub struct SimProvider {
    /// The provider's appid.
    pub appid: String,
    /// The provider's merchant number.
    pub mch_id: String,
    /// The provider's API key: it signs every call for a sub-merchant.
    pub api_key: String,
    /// The sub-merchants bound to it.
    pub sub_merchants: Vec<SimSubMerchant>,
}

/// A sub-merchant of the simulated provider.
#[derive(Clone, Debug)]
pub struct SimSubMerchant {
    /// Its merchant number.
    pub sub_mch_id: String,
    /// Its official account, bound to it by the provider.
    pub sub_appid: String,
    /// The simulated shopper's openid under `sub_appid`.
    pub sub_openid: String,
}

/// The simulated service provider (see [`SimProvider`]).
pub const PROVIDER_APPID: &str = "wx8888888888888888";
/// See [`PROVIDER_APPID`].
pub const PROVIDER_MCH_ID: &str = "1900000100";
/// See [`PROVIDER_APPID`].
pub const PROVIDER_API_KEY: &str = "wxpaysim0service0provider0key001";
/// The provider's first sub-merchant (a tea house) and its account.
pub const SUB_MCH_ID_1: &str = "1900000109";
/// See [`SUB_MCH_ID_1`].
pub const SUB_APPID_1: &str = "wx1111111111111111";
/// The shopper under [`SUB_APPID_1`].
pub const SUB_OPENID_1: &str = "oSubTeaHouse0Shopper000000001";
/// The provider's second sub-merchant (a bookshop) and its account.
pub const SUB_MCH_ID_2: &str = "1900000110";
/// See [`SUB_MCH_ID_2`].
pub const SUB_APPID_2: &str = "wx2222222222222222";
/// The shopper under [`SUB_APPID_2`].
pub const SUB_OPENID_2: &str = "oSubBookshop0Shopper000000002";

impl Default for SimProvider {
    fn default() -> Self {
        SimProvider {
            appid: PROVIDER_APPID.into(),
            mch_id: PROVIDER_MCH_ID.into(),
            api_key: PROVIDER_API_KEY.into(),
            sub_merchants: vec![
                SimSubMerchant {
                    sub_mch_id: SUB_MCH_ID_1.into(),
                    sub_appid: SUB_APPID_1.into(),
                    sub_openid: SUB_OPENID_1.into(),
                },
                SimSubMerchant {
                    sub_mch_id: SUB_MCH_ID_2.into(),
                    sub_appid: SUB_APPID_2.into(),
                    sub_openid: SUB_OPENID_2.into(),
                },
            ],
        }
    }
}

/// The documented test merchant (the identity of WeChat's own examples).
pub const DEFAULT_APPID: &str = "wxd930ea5d5a258f4f";
/// See [`DEFAULT_APPID`].
pub const DEFAULT_MCH_ID: &str = "10000100";
/// See [`DEFAULT_APPID`].
pub const DEFAULT_API_KEY: &str = "192006250b4c09247ec02edce69f6a2d";
/// See [`DEFAULT_APPID`].
pub const DEFAULT_APP_SECRET: &str = "wxpaysim0app0secret0000000000000";
/// See [`DEFAULT_APPID`].
pub const DEFAULT_OPENID: &str = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o";

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            appid: DEFAULT_APPID.into(),
            mch_id: DEFAULT_MCH_ID.into(),
            api_key: DEFAULT_API_KEY.into(),
            app_secret: DEFAULT_APP_SECRET.into(),
            openid: DEFAULT_OPENID.into(),
            time_scale: 1.0,
            token_ttl: 7200,
            token_overlap: 300,
            provider: SimProvider::default(),
            v3_keys: crate::v3::V3Keys::default(),
        }
    }
}

impl SimConfig {
    /// Scales a WeChat delay.
    pub fn scaled(&self, d: Duration) -> Duration {
        d.mul_f64(self.time_scale.max(0.0))
    }
}

pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

pub fn unix_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// Beijing time (UTC+8), the zone of every WeChat time field, as
/// `yyyyMMddHHmmss`, or with `separators` as `yyyy-MM-dd HH:mm:ss`.
pub fn beijing_time(unix: u64, separators: bool) -> String {
    let secs = unix + 8 * 3600;
    let days = (secs / 86400) as i64;
    let rem = secs % 86400;
    let (h, m, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    // Civil-from-days (proleptic Gregorian).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let mo = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(mo <= 2);
    if separators {
        format!("{y:04}-{mo:02}-{d:02} {h:02}:{m:02}:{s:02}")
    } else {
        format!("{y:04}{mo:02}{d:02}{h:02}{m:02}{s:02}")
    }
}

/// Reads a Beijing `yyyyMMddHHmmss` back into Unix seconds.
pub fn parse_beijing(t: &str) -> Option<u64> {
    if t.len() != 14 || !t.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n = |r: std::ops::Range<usize>| t[r].parse::<i64>().ok();
    let (y, m, d, h, mi, s) = (
        n(0..4)?,
        n(4..6)?,
        n(6..8)?,
        n(8..10)?,
        n(10..12)?,
        n(12..14)?,
    );
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || h > 23 || mi > 59 || s > 59 {
        return None;
    }
    // Days-from-civil (proleptic Gregorian).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86400 + h * 3600 + mi * 60 + s - 8 * 3600;
    u64::try_from(secs).ok()
}

pub fn random_token(len: usize) -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut out = String::with_capacity(len);
    let mut buf = [0u8; 64];
    while out.len() < len {
        if getrandom::getrandom(&mut buf).is_err() {
            buf.iter_mut()
                .enumerate()
                .for_each(|(i, b)| *b = (unix_millis() as u8).wrapping_add(i as u8));
        }
        for &b in &buf {
            if b < 248 && out.len() < len {
                out.push(CHARS[(b % 62) as usize] as char);
            }
        }
    }
    out
}

pub fn random_digits(len: usize) -> String {
    let mut out = String::with_capacity(len);
    let mut buf = [0u8; 64];
    while out.len() < len {
        if getrandom::getrandom(&mut buf).is_err() {
            buf.iter_mut()
                .enumerate()
                .for_each(|(i, b)| *b = (unix_millis() as u8).wrapping_add(i as u8));
        }
        // 250 = 25 * 10: rejecting the rest keeps the digits uniform.
        for &b in buf.iter().filter(|&&b| b < 250) {
            if out.len() < len {
                out.push(char::from(b'0' + b % 10));
            }
        }
    }
    out
}

/// One refund of an order.
#[derive(Debug, Clone, Serialize)]
pub struct RefundRecord {
    pub out_refund_no: String,
    pub refund_id: String,
    pub refund_fee: u64,
    pub total_fee: u64,
    pub status: String,
    pub requested_at: u64,
    pub success_time: Option<String>,
    #[serde(skip)]
    pub request_fields: Params,
}

/// One order as WeChat holds it.
#[derive(Debug, Clone, Serialize)]
pub struct Order {
    pub out_trade_no: String,
    pub trade_state: String,
    pub total_fee: u64,
    pub body: String,
    pub trade_type: String,
    pub openid: Option<String>,
    pub attach: Option<String>,
    pub notify_url: String,
    pub sign_type: String,
    pub prepay_id: String,
    pub transaction_id: Option<String>,
    pub created_at: u64,
    pub time_end: Option<String>,
    pub paid_at: Option<u64>,
    pub refunds: Vec<RefundRecord>,
    /// The merchant that placed it: the direct merchant or the provider.
    pub mch_id: String,
    /// A provider's order: the sub-merchant it is for.
    pub sub_mch_id: Option<String>,
    /// A provider's order: the sub-merchant's appid, when named.
    pub sub_appid: Option<String>,
    /// The payer under `sub_appid`, when the order named one.
    pub sub_openid: Option<String>,
    /// Placed through API v3: its notifications are v3's, its pay params
    /// signed with RSA.
    pub api_v3: bool,
    /// The business fields of the first unifiedorder, for re-entry checks.
    #[serde(skip)]
    pub business: Params,
    /// A payment-code order whose customer is still typing: when it pays
    /// (`None`: it never does).
    #[serde(skip)]
    pub pays_at: Option<Instant>,
    #[serde(skip)]
    pub created: Option<Instant>,
}

impl Order {
    /// Its key in [`State::orders`].
    pub fn key(&self) -> String {
        order_key(&self.mch_id, self.sub_mch_id.as_deref(), &self.out_trade_no)
    }
}

/// An access token or ticket the simulator issued.
#[derive(Debug, Clone)]
pub struct Issued {
    pub value: String,
    pub expires: Instant,
    /// When a newer one replaced it (it then lives `token_overlap` more).
    pub superseded: Option<Instant>,
}

impl Issued {
    pub fn new(ttl: u64) -> Self {
        Issued {
            value: random_token(64),
            expires: Instant::now() + Duration::from_secs(ttl),
            superseded: None,
        }
    }

    pub fn remaining(&self) -> Duration {
        self.expires.saturating_duration_since(Instant::now())
    }
}

/// Why a token is not accepted.
pub enum TokenCheck {
    Ok,
    Expired,
    NotLatest,
    Unknown,
}

/// An OAuth code handed to a redirect.
#[derive(Debug, Clone)]
pub struct Code {
    pub openid: String,
    pub scope: String,
    pub issued: Instant,
    pub used: bool,
}

/// A mini-program `wx.login()` code.
#[derive(Debug, Clone)]
pub struct LoginCode {
    pub openid: String,
    pub issued: Instant,
    pub used: bool,
    /// The errcode jscode2session answers for it instead (40226 a risky
    /// user, 45011 the minute quota), as a test asked.
    pub refuse: Option<i64>,
}

/// A web (OAuth) access token.
#[derive(Debug, Clone)]
pub struct WebToken {
    pub openid: String,
    pub scope: String,
    pub expires: Instant,
}

/// One delivery attempt of a notification.
#[derive(Debug, Clone, Serialize)]
pub struct Attempt {
    pub attempt: u32,
    /// Unix milliseconds.
    pub at_ms: u64,
    pub http_status: Option<u16>,
    pub reply: String,
    pub acknowledged: bool,
}

/// A notification and its deliveries.
#[derive(Debug, Clone, Serialize)]
pub struct Notification {
    pub id: u64,
    pub kind: String,
    pub out_trade_no: String,
    pub url: String,
    pub attempts: Vec<Attempt>,
    /// `pending`, `acknowledged` or `gave_up`.
    pub status: String,
    /// The signed XML that was POSTed (a shop's tests may replay it); for
    /// API v3, the JSON envelope, signed afresh at each delivery.
    pub body: String,
    /// An API v3 notification (JSON, signed in headers, acknowledged by
    /// 200 or 204).
    pub api_v3: bool,
    /// The signature headers of its last delivery (API v3), so a shop's
    /// test can hand the notification to its handler again.
    pub v3_headers: BTreeMap<String, String>,
    #[serde(skip)]
    pub next_due: Option<Instant>,
}

/// A fault to inject into the next `count` calls of `path` (`*`: any).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Fault {
    pub path: String,
    /// `delay`, `reset`, `http_error`, `truncate`, `bad_sign`, `systemerror`,
    /// `recall` (a reverse answered "call again", nothing done), `late`
    /// (the connection is reset at once and the request processed
    /// `delay_ms` later, after the client gave up), `forge` (the reply,
    /// signed with the merchant's key, with `fields` in place of its own:
    /// an answer about something else, as a mix-up or a man in the middle
    /// holding the key would give).
    pub kind: String,
    #[serde(default = "one")]
    pub count: u32,
    #[serde(default)]
    pub delay_ms: u64,
    #[serde(default)]
    pub status: Option<u16>,
    /// For `forge`: the fields to set in the reply (an empty value removes
    /// the field).
    #[serde(default)]
    pub fields: Params,
}

/// The fault kinds the simulator can inject.
pub const FAULT_KINDS: [&str; 14] = [
    "delay",
    "reset",
    "http_error",
    "truncate",
    "bad_sign",
    "systemerror",
    "recall",
    "late",
    "forge",
    // API v3 answers: WeChat's signature probe, no signature at all, a
    // timestamp ten minutes old, a serial no key of WeChat's has, and 429.
    "probe",
    "unsigned",
    "stale",
    "unknown_serial",
    "rate_limited",
];

impl Fault {
    /// Refuses a kind the simulator does not know, and `fields` on any
    /// kind but `forge`.
    pub fn check(&self) -> Result<(), String> {
        if !FAULT_KINDS.contains(&self.kind.as_str()) {
            return Err(format!(
                "unknown fault kind {:?}; use one of {FAULT_KINDS:?}",
                self.kind
            ));
        }
        if self.kind == "forge" && self.fields.is_empty() {
            return Err("a forge fault needs the fields to set".into());
        }
        if self.kind != "forge" && !self.fields.is_empty() {
            return Err("only a forge fault takes fields".into());
        }
        Ok(())
    }
}

fn one() -> u32 {
    1
}

/// The key of an order: its merchant, sub-merchant and number.
pub fn order_key(mch_id: &str, sub_mch_id: Option<&str>, out_trade_no: &str) -> String {
    format!("{mch_id}/{}/{out_trade_no}", sub_mch_id.unwrap_or(""))
}

/// The simulated world.
pub struct State {
    pub config: SimConfig,
    pub key: ApiKey,
    pub provider_key: ApiKey,
    /// Orders by [`order_key`]: WeChat keeps `out_trade_no` unique per
    /// merchant and sub-merchant, so two of them may use the same number.
    pub orders: BTreeMap<String, Order>,
    /// prepay_id → order key.
    pub prepay: HashMap<String, String>,
    /// transaction_id → order key.
    pub transactions: HashMap<String, String>,
    pub classic_tokens: Vec<Issued>,
    pub stable_token: Option<Issued>,
    pub last_forced_stable: Option<Instant>,
    /// Every jsapi_ticket issued; the last is current, older ones work until they expire.
    pub tickets: Vec<Issued>,
    pub codes: HashMap<String, Code>,
    /// Mini-program login codes (`POST /sim/mini/login`).
    pub login_codes: HashMap<String, LoginCode>,
    /// `tools/shorturl` codes → the long links they stand for.
    pub short_urls: HashMap<String, String>,
    /// Receivers, sharings and what was shared of each order.
    pub profit_sharing: crate::profit_sharing::Books,
    pub web_tokens: HashMap<String, WebToken>,
    pub refresh_tokens: HashMap<String, (String, String)>,
    pub stats: BTreeMap<&'static str, u64>,
    pub notifications: Vec<Notification>,
    pub faults: Vec<Fault>,
    /// API v3 bill files by download token.
    pub v3_bills: HashMap<String, String>,
    /// The platform certificate has been rotated: answers are signed with
    /// the second one, and the listing holds both.
    pub v3_rotated: bool,
}

/// Declares the call counters: each name exists once, as a variant, so a
/// misspelt counter is a compile error rather than a new, silent one.
macro_rules! stats {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)*) => {
        /// A call counter of `/sim/stats`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Stat {
            $($(#[$doc])* $variant,)*
        }

        impl Stat {
            /// Every counter, in the order `/sim/stats` lists them.
            pub const ALL: &'static [Stat] = &[$(Stat::$variant,)*];

            /// The name `/sim/stats` shows.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Stat::$variant => $name,)*
                }
            }
        }
    };
}

stats! {
    /// access_token fetches, classic and stable.
    TokenFetches = "token_fetches",
    /// jsapi_ticket fetches.
    TicketFetches = "ticket_fetches",
    /// OAuth authorize pages served.
    OAuthAuthorizations = "oauth_authorizations",
    /// OAuth code exchanges.
    OAuthExchanges = "oauth_exchanges",
    /// userinfo calls.
    Userinfo = "userinfo",
    /// Mini-program `wx.login()` codes handed out.
    MiniLogins = "mini_logins",
    /// sns/jscode2session exchanges.
    Jscode2Session = "jscode2session",
    /// pay/unifiedorder.
    UnifiedOrder = "unifiedorder",
    /// pay/orderquery.
    OrderQuery = "orderquery",
    /// pay/closeorder.
    CloseOrder = "closeorder",
    /// secapi/pay/refund.
    Refund = "refund",
    /// pay/refundquery.
    RefundQuery = "refundquery",
    /// pay/downloadbill.
    DownloadBill = "downloadbill",
    /// pay/downloadfundflow.
    DownloadFundFlow = "downloadfundflow",
    /// pay/micropay.
    Micropay = "micropay",
    /// secapi/pay/reverse.
    Reverse = "reverse",
    /// tools/authcodetoopenid.
    AuthCodeToOpenid = "authcodetoopenid",
    /// tools/shorturl.
    ShortUrl = "shorturl",
    /// pay/profitsharingaddreceiver.
    ProfitSharingAddReceiver = "profitsharingaddreceiver",
    /// pay/profitsharingremovereceiver.
    ProfitSharingRemoveReceiver = "profitsharingremovereceiver",
    /// secapi/pay/profitsharing.
    ProfitSharing = "profitsharing",
    /// secapi/pay/multiprofitsharing.
    MultiProfitSharing = "multiprofitsharing",
    /// secapi/pay/profitsharingfinish.
    ProfitSharingFinish = "profitsharingfinish",
    /// pay/profitsharingquery.
    ProfitSharingQuery = "profitsharingquery",
    /// pay/profitsharingorderamountquery.
    ProfitSharingOrderAmountQuery = "profitsharingorderamountquery",
    /// API v3: an order placed (`/v3/pay/transactions/{jsapi,app,native,h5}`).
    V3Prepay = "v3_prepay",
    /// API v3: an order queried.
    V3Query = "v3_query",
    /// API v3: an order closed.
    V3Close = "v3_close",
    /// API v3: the platform certificates listed.
    V3Certificates = "v3_certificates",
    /// API v3: requests refused for their signature.
    V3SignError = "v3_sign_error",
    /// API v3: refunds asked for.
    V3Refund = "v3_refund",
    /// API v3: refunds queried.
    V3RefundQuery = "v3_refund_query",
    /// API v3: bills asked for (trade and fund flow).
    V3Bill = "v3_bill",
    /// API v3: bill files downloaded.
    V3BillDownload = "v3_bill_download",
    /// secapi/pay/profitsharingreturn.
    ProfitSharingReturn = "profitsharingreturn",
    /// pay/profitsharingreturnquery.
    ProfitSharingReturnQuery = "profitsharingreturnquery",
    /// pay/profitsharingmerchantratioquery.
    ProfitSharingMerchantRatioQuery = "profitsharingmerchantratioquery",
    /// Native mode-one QR codes scanned (`POST /sim/native/scan`).
    NativeScan = "native_scan",
    /// Payments made in the simulated WeChat client.
    JsapiPay = "jsapi_pay",
    /// `wx.config` checks.
    JssdkConfig = "jssdk_config",
    /// Notification deliveries attempted.
    NotifyAttempts = "notify_attempts",
    /// Faults met.
    FaultsInjected = "faults_injected",
}

impl State {
    pub fn new(config: SimConfig) -> Result<Self, wxpay::Error> {
        let key = ApiKey::new(&config.api_key)?;
        let provider_key = ApiKey::new(&config.provider.api_key)?;
        Ok(State {
            config,
            key,
            provider_key,
            orders: BTreeMap::new(),
            prepay: HashMap::new(),
            transactions: HashMap::new(),
            classic_tokens: Vec::new(),
            stable_token: None,
            last_forced_stable: None,
            tickets: Vec::new(),
            codes: HashMap::new(),
            login_codes: HashMap::new(),
            short_urls: HashMap::new(),
            profit_sharing: Default::default(),
            web_tokens: HashMap::new(),
            refresh_tokens: HashMap::new(),
            stats: Stat::ALL.iter().map(|s| (s.as_str(), 0)).collect(),
            notifications: Vec::new(),
            faults: Vec::new(),
            v3_bills: HashMap::new(),
            v3_rotated: false,
        })
    }

    /// The appid and API key of merchant `mch_id` (the direct merchant or
    /// the provider), if the simulator knows it.
    pub fn account(&self, mch_id: &str) -> Option<(&str, &ApiKey)> {
        if mch_id == self.config.mch_id {
            Some((&self.config.appid, &self.key))
        } else if mch_id == self.config.provider.mch_id {
            Some((&self.config.provider.appid, &self.provider_key))
        } else {
            None
        }
    }

    /// The provider's sub-merchant `sub_mch_id`.
    pub fn sub_merchant(&self, sub_mch_id: &str) -> Option<&SimSubMerchant> {
        self.config
            .provider
            .sub_merchants
            .iter()
            .find(|s| s.sub_mch_id == sub_mch_id)
    }

    pub fn count(&mut self, stat: Stat) {
        *self.stats.entry(stat.as_str()).or_insert(0) += 1;
    }

    /// Whether an access token (classic or stable) is accepted now.
    pub fn check_token(&self, token: &str) -> TokenCheck {
        let overlap = Duration::from_secs(self.config.token_overlap);
        let now = Instant::now();
        let found = self
            .classic_tokens
            .iter()
            .chain(self.stable_token.iter())
            .find(|t| t.value == token);
        match found {
            None => TokenCheck::Unknown,
            Some(t) if now >= t.expires => TokenCheck::Expired,
            Some(t) => match t.superseded {
                Some(at) if now >= at + overlap => TokenCheck::NotLatest,
                _ => TokenCheck::Ok,
            },
        }
    }

    /// The first order of number `out_trade_no`, whichever merchant or
    /// sub-merchant placed it.
    pub fn order_by_number(&self, out_trade_no: &str) -> Option<&Order> {
        self.orders
            .values()
            .find(|o| o.out_trade_no == out_trade_no)
    }

    /// Takes one matching fault, if any.
    pub fn take_fault(&mut self, path: &str) -> Option<Fault> {
        let i = self
            .faults
            .iter()
            .position(|f| f.count > 0 && (f.path == path || f.path == "*"))?;
        let fault = self.faults[i].clone();
        self.faults[i].count -= 1;
        if self.faults[i].count == 0 {
            self.faults.remove(i);
        }
        self.count(Stat::FaultsInjected);
        Some(fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beijing_time_formats() {
        // 2014-09-03 05:15:40 UTC is 13:15:40 in Beijing.
        assert_eq!(beijing_time(1_409_721_340, false), "20140903131540");
        assert_eq!(beijing_time(1_409_721_340, true), "2014-09-03 13:15:40");
        assert_eq!(beijing_time(951_825_600, true), "2000-02-29 20:00:00");
        assert_eq!(parse_beijing("20140903131540"), Some(1_409_721_340));
        assert_eq!(parse_beijing("20000229200000"), Some(951_825_600));
        assert_eq!(parse_beijing("2014090313154"), None);
    }
}
