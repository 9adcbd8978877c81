//! The API v3 client (docs/protocol.md §19): [`ClientV3`] signs every
//! request afresh, sends it through the same transport as v2 (timeouts,
//! failover to the backup domain, one retry budget per call), and believes
//! an answer only once its signature verified against WeChat's keys — the
//! WeChat Pay public key and the platform certificates in one map.
//!
//! | task | where |
//! |---|---|
//! | sign, send, verify one call | [`ClientV3::send`] (this file) |
//! | platform certificates: fetch, verify, refresh | `certificates.rs` |
//! | orders: prepay, pay params, query, close | `orders.rs` |
//! | refunds and refund query | `refunds.rs` |
//! | trade and fund-flow bills | `bills.rs` |
//! | notifications and the one-call handlers | `notify.rs` |
//! | every operation by name, for the bindings | `operations.rs` |
//! | the configuration from plain values | `options.rs` |

mod bills;
mod certificates;
mod notify;
mod operations;
mod options;
mod orders;
mod refunds;

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub use notify::{NotifyDecisionV3, RefundNotifyDecisionV3};
pub use operations::SealedField;
pub use options::ClientV3Options;

use super::failover::Domains;
use super::retry::{Budget, Cause, Retry};
use super::tokens::TokenCache;
use super::transport::{Call, Method, Reply, Transport};
use super::{
    check_base_url, MemoryStore, RetryPolicy, Timeouts, TokenStore, PAY_BACKUP_URL, PAY_BASE_URL,
};
use crate::clock::{Clock, SystemClock};
use crate::error::{Error, Result};
use crate::v3::{
    refusal, ApiV3Key, KeyStore, MerchantKey, RequestSigner, SignedHeaders, WechatKey,
};

/// The largest answer read (bills have their own cap).
const MAX_ANSWER: u64 = 1 << 20;

/// What a [`ClientV3`] needs: what the merchant platform hands out.
/// `Debug` hides the private key and the APIv3 key.
///
/// ```
/// let pem = std::fs::read_to_string("../tests/vectors/v3/keys/merchant_key.pem").unwrap();
/// let mut config = wxpay::ClientV3Config::new("10000100", "wxd930ea5d5a258f4f", &pem,
///     "3775B6A45ACD588826D15E583A95F5DD", "wxpaysim0apiv30key00000000000001");
/// config.public_key_id = Some("PUB_KEY_ID_0110000100202412180000000000000001".into());
/// assert!(!format!("{config:?}").contains("PRIVATE KEY"));
/// ```
#[derive(Clone)]
pub struct ClientV3Config {
    /// The merchant number.
    pub mchid: String,
    /// The appid orders and pay params are for (official account,
    /// mini-program or app).
    pub appid: String,
    /// The merchant API private key (`apiclient_key.pem`, PKCS#8 or PKCS#1).
    pub merchant_key_pem: String,
    /// The merchant API certificate's serial, hexadecimal as the merchant
    /// platform shows it.
    pub merchant_serial: String,
    /// The APIv3 key (32 bytes, set in the merchant platform; not v2's key).
    pub apiv3_key: String,
    /// The WeChat Pay public key's id (`PUB_KEY_ID_…`), with
    /// [`ClientV3Config::public_key_pem`].
    pub public_key_id: Option<String>,
    /// The WeChat Pay public key (`pub_key.pem`).
    pub public_key_pem: Option<String>,
    /// Platform certificates the merchant already holds (PEM).
    pub platform_certificates: Vec<String>,
    /// Download the platform certificates from `/v3/certificates` (every
    /// 12 hours, and once when an answer names a serial not held; default
    /// true). A merchant with only the public key may leave it on: WeChat's
    /// "no certificates" answer is taken as such.
    pub auto_certificates: bool,
    /// Default notify_url of orders and refunds that give none.
    pub notify_url: Option<String>,
    /// API base URL.
    pub base_url: String,
    /// Its backup (`None`: no failover).
    pub backup_url: Option<String>,
    /// Time limits.
    pub timeouts: Timeouts,
    /// Retries.
    pub retry: RetryPolicy,
    /// Deadline of the query that confirms a notified payment (default 3 s).
    pub confirm_timeout: Duration,
    /// PEM certificates to trust instead of the public roots (a simulator's
    /// HTTPS port, a TLS-inspecting proxy).
    pub ca_pem: Option<String>,
    /// Where the platform certificate listing is kept (default: in memory).
    /// A store shared by a fleet (Redis, a file store) lets one process
    /// download the certificates for all, under the store's lock; the
    /// others decrypt the listing it stored with their own APIv3 key.
    pub token_store: Option<Arc<dyn TokenStore>>,
    /// Log each exchange's bodies, redacted, as `body` events at `debug`.
    pub log_bodies: bool,
    /// Time and nonces.
    pub clock: Arc<dyn Clock>,
}

impl fmt::Debug for ClientV3Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientV3Config")
            .field("mchid", &self.mchid)
            .field("appid", &self.appid)
            .field("merchant_key_pem", &"***")
            .field("merchant_serial", &self.merchant_serial)
            .field("apiv3_key", &"***")
            .field("public_key_id", &self.public_key_id)
            .field("platform_certificates", &self.platform_certificates.len())
            .field("auto_certificates", &self.auto_certificates)
            .field("notify_url", &self.notify_url)
            .field("base_url", &self.base_url)
            .field("backup_url", &self.backup_url)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .finish_non_exhaustive()
    }
}

impl ClientV3Config {
    /// A configuration for the official hosts with every default; add the
    /// WeChat Pay public key or leave `auto_certificates` on.
    pub fn new(
        mchid: &str,
        appid: &str,
        merchant_key_pem: &str,
        merchant_serial: &str,
        apiv3_key: &str,
    ) -> Self {
        ClientV3Config {
            mchid: mchid.to_owned(),
            appid: appid.to_owned(),
            merchant_key_pem: merchant_key_pem.to_owned(),
            merchant_serial: merchant_serial.to_owned(),
            apiv3_key: apiv3_key.to_owned(),
            public_key_id: None,
            public_key_pem: None,
            platform_certificates: Vec::new(),
            auto_certificates: true,
            notify_url: None,
            base_url: PAY_BASE_URL.to_owned(),
            backup_url: Some(PAY_BACKUP_URL.to_owned()),
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
            confirm_timeout: Duration::from_secs(3),
            ca_pem: None,
            token_store: None,
            log_bodies: false,
            clock: Arc::new(SystemClock),
        }
    }

    /// Points the client at one simulator (no backup).
    pub fn with_simulator(mut self, base_url: &str) -> Self {
        self.base_url = base_url.trim_end_matches('/').to_owned();
        self.backup_url = None;
        self
    }
}

/// WeChat Pay API v3 for one merchant, safe to share between threads.
/// (The README's example, compiled here.)
///
/// ```no_run
/// use wxpay::v3::{Prepay, PrepayKind};
/// let key = std::fs::read_to_string("apiclient_key.pem")?;
/// let public_key = std::fs::read_to_string("pub_key.pem")?;
/// let mut config = wxpay::ClientV3Config::new("1900009191", "wxd930ea5d5a258f4f", &key,
///     "3775B6A45ACD588826D15E583A95F5DD", "your 32-byte APIv3 key.........");
/// config.public_key_id = Some("PUB_KEY_ID_0119000091912024121800000000000001".into());
/// config.public_key_pem = Some(public_key);
/// config.notify_url = Some("https://shop.example/wxpay/v3/notify".into());
/// let client = wxpay::ClientV3::new(config)?;
/// let order = Prepay { kind: PrepayKind::Jsapi { openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o".into() },
///     appid: String::new(), mchid: String::new(), description: "书店-图书".into(),
///     out_trade_no: "order-0001".into(), notify_url: String::new(), total: 990,
///     attach: None, time_expire: None, sub: None,
/// };
/// let prepay_id = client.prepay(&order)?.prepay_id.unwrap_or_default();
/// let params = client.jsapi_params(&prepay_id)?; // signType RSA, for WeixinJSBridge
/// // In the notify endpoint: the framework's headers and the raw body.
/// # let (headers, body): (Vec<(&str, &str)>, Vec<u8>) = (vec![], vec![]);
/// let decision = client.handle_payment_notify(headers, &body, |order| {
///     Ok::<_, wxpay::Error>(Some(wxpay::ShopOrder { total_fee: 990, transaction_id: None, sub_mch_id: None }))
/// })?;
/// // Mark the order paid when decision.status is Paid, then answer
/// // decision.http_status (204, or 401/500) with decision.body.
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct ClientV3 {
    config: ClientV3Config,
    signer: RequestSigner,
    apiv3: ApiV3Key,
    keys: KeyStore,
    /// The certificate listing as the fleet shares it.
    listing: TokenCache,
    /// The listing this process last read, to replace when it names no
    /// key an answer was signed with.
    last_listing: Mutex<Option<String>>,
    transport: Transport,
    domains: Domains,
    metrics: Arc<super::metrics::Metrics>,
}

impl fmt::Debug for ClientV3 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientV3")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl ClientV3 {
    /// Reads the keys and checks the configuration. Nothing is fetched yet:
    /// the platform certificates come with the first call.
    pub fn new(config: ClientV3Config) -> Result<Self> {
        let key = MerchantKey::from_pem(&config.merchant_key_pem)?;
        let signer = RequestSigner::new(&config.mchid, &config.merchant_serial, key)?;
        crate::validate::required("appid", &config.appid, 32)
            .map_err(|e| Error::config(e.to_string()))?;
        let apiv3 = ApiV3Key::new(&config.apiv3_key)?;
        let mut held = Vec::new();
        match (&config.public_key_id, &config.public_key_pem) {
            (Some(id), Some(pem)) => held.push(WechatKey::public_key(id, pem)?),
            (None, None) => {}
            _ => {
                return Err(Error::config(
                    "the WeChat Pay public key needs both its id (PUB_KEY_ID_…) and its PEM",
                ))
            }
        }
        for pem in &config.platform_certificates {
            held.push(WechatKey::certificate(pem)?);
        }
        if held.is_empty() && !config.auto_certificates {
            return Err(Error::config(
                "nothing to verify WeChat's answers with: give the WeChat Pay public key, \
                 platform certificates, or turn auto_certificates on",
            ));
        }
        check_base_url("base_url", &config.base_url)?;
        if let Some(url) = &config.backup_url {
            check_base_url("backup_url", url)?;
        }
        if let Some(url) = &config.notify_url {
            crate::v3::json_fields::notify_url(url, 255)
                .map_err(|e| Error::config(e.to_string()))?;
        }
        if config.timeouts.connect.is_zero()
            || config.timeouts.attempt.is_zero()
            || config.timeouts.overall.is_zero()
        {
            return Err(Error::config("timeouts must be positive"));
        }
        let roots = config
            .ca_pem
            .as_deref()
            .map(super::cert::load_roots)
            .transpose()?;
        let mut transport = Transport::new(config.timeouts, None, roots);
        transport.log_bodies = config.log_bodies;
        let metrics: Arc<super::metrics::Metrics> = Arc::new(Default::default());
        let store: Arc<dyn TokenStore> = config
            .token_store
            .clone()
            .unwrap_or_else(|| Arc::new(MemoryStore::default()));
        let listing = TokenCache::new(
            format!("wxpay:{}:v3_certificates", config.mchid),
            store,
            config.clock.clone(),
            Duration::ZERO,
            config.timeouts.overall + Duration::from_secs(1),
            false,
            metrics.clone(),
        );
        Ok(ClientV3 {
            signer,
            apiv3,
            keys: KeyStore::new(held),
            listing,
            last_listing: Mutex::new(None),
            transport,
            domains: Domains::new(&config.base_url, config.backup_url.as_deref()),
            metrics,
            config,
        })
    }

    /// The configuration.
    pub fn config(&self) -> &ClientV3Config {
        &self.config
    }

    /// WeChat's keys as this client holds them (for
    /// [`crate::v3::Notification::parse`] and the serial of sensitive fields).
    pub fn keys(&self) -> &KeyStore {
        &self.keys
    }

    /// Encrypts a sensitive field (a name, an id number) for WeChat with
    /// RSA-OAEP (SHA-1), fetching the certificates first when none is held.
    /// Returns the serial to send as `Wechatpay-Serial` with the request
    /// that carries it, and the ciphertext.
    pub fn encrypt_sensitive(&self, plaintext: &str) -> Result<(String, String)> {
        self.scheduled_refresh()?;
        self.keys.encrypt_sensitive(plaintext)
    }

    /// Whether new calls currently go to the backup domain.
    pub fn on_backup(&self) -> bool {
        self.domains.on_backup()
    }

    fn now(&self) -> u64 {
        self.config.clock.now_unix()
    }

    fn budget(&self) -> Budget {
        self.budget_until(Instant::now() + self.config.timeouts.overall)
    }

    fn budget_until(&self, deadline: Instant) -> Budget {
        Budget::new(self.config.retry, deadline).counted(self.metrics.clone())
    }

    /// One call: `GET` when `body` is `None`, else `POST` of that JSON.
    /// Each attempt is signed afresh; a 2xx is returned once it verified,
    /// a refusal comes back typed, and a retryable one (5xx, 429,
    /// `SYSTEM_ERROR`) is sent again with the same body within the budget.
    pub(crate) fn send(
        &self,
        target: &str,
        body: Option<&str>,
        label: &'static str,
        budget: &mut Budget,
    ) -> Result<Reply> {
        self.scheduled_refresh()?;
        let reply = self.exchange(target, body, label, MAX_ANSWER, budget, |r| {
            self.verified(r)
        })?;
        Ok(reply)
    }

    /// Sends and checks with `check` until it passes or the budget ends.
    fn exchange(
        &self,
        target: &str,
        body: Option<&str>,
        label: &'static str,
        max_body: u64,
        budget: &mut Budget,
        check: impl Fn(&Reply) -> Result<()>,
    ) -> Result<Reply> {
        let method = if body.is_some() { "POST" } else { "GET" };
        let sign = || -> Result<Vec<(&'static str, String)>> {
            let nonce = self.config.clock.nonce();
            let authorization = self.signer.authorization(
                method,
                target,
                self.now(),
                &nonce,
                body.unwrap_or(""),
            )?;
            let mut headers = vec![
                ("Authorization", authorization),
                ("Accept", "application/json".to_owned()),
            ];
            if let Some(serial) = self.keys.preferred_serial() {
                headers.push(("Wechatpay-Serial", serial));
            }
            Ok(headers)
        };
        let call = Call {
            path: target,
            label,
            method: match body {
                Some(b) => Method::Post {
                    body: b.as_bytes(),
                    content_type: "application/json",
                },
                None => Method::Get,
            },
            // Every v3 call wxpay makes is the same request when repeated:
            // an order or refund by its number, a query, a close.
            retry: Retry::AfterSend,
            use_cert: false,
            max_body,
            headers: Some(&sign),
            any_status: true,
        };
        loop {
            let reply = self.transport.exchange(&self.domains, &call, budget)?;
            match check(&reply) {
                Ok(()) => return Ok(reply),
                Err(e) if budget.again(Cause::Answer(&e)) => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// A 2xx whose signature verifies, or the refusal it stands for.
    fn verified(&self, reply: &Reply) -> Result<()> {
        if !(200..300).contains(&reply.status) {
            return Err(refusal(reply.status, &reply.body));
        }
        let headers = signed_headers(reply)?;
        self.keys.verify(&headers, &reply.body, self.now(), || {
            self.certificates(true)
        })
    }
}

/// The `Wechatpay-*` headers of an answer.
fn signed_headers(reply: &Reply) -> Result<SignedHeaders> {
    SignedHeaders::from_pairs(reply.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}
