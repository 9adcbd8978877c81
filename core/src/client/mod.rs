//! The network layer: [`Client`] joins the merchant's configuration, the
//! transport (timeouts, retries, failover to the backup domain), the token
//! cache and the pure protocol layer. Every reply's signature is checked
//! before anything in it is used.

mod body_log;
mod cert;
mod counter;
mod failover;
mod file_store;
mod metrics;
mod mp;
mod notify_handler;
mod operations;
mod options;
mod profit_sharing;
mod reconciliations;
mod redis_store;
mod retry;
mod sub_merchant;
mod tokens;
mod transport;
mod v3;

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub use cert::CertSource;
pub use counter::ReverseOutcome;
pub use file_store::FileStore;
pub use metrics::{ClientMetrics, Latency, OperationMetrics};
pub use mp::{MiniProgramSession, OAuthToken, TokenSource, TokenStoreHealth};
pub use notify_handler::{
    NotifyDecision, NotifyStatus, RefundNotifyDecision, RefundNotifyStatus, ShopOrder,
};
pub use operations::{Operation, OperationSpec, Outcome};
pub use options::ClientOptions;
pub use redis_store::RedisStore;
pub use retry::RetryPolicy;
pub use sub_merchant::SubMerchantClient;
pub use tokens::{LockOutcome, MemoryStore, TokenStore};
pub use v3::{
    ClientV3, ClientV3Config, ClientV3Options, NotifyDecisionV3, RefundNotifyDecisionV3,
    SealedField,
};

use crate::api::OrderRef;
use crate::clock::{Clock, SystemClock};
use crate::error::{Error, Result};
use crate::jssdk::JssdkConfig;
use crate::merchant::{Merchant, SignedRequest};
use crate::notify::{PaymentNotify, RefundNotify};
use crate::oauth::{oauth_authorize_url, OAuthState, Scope, OPEN_BASE_URL};
use crate::pay_params::{AppPayParams, BridgePayParams, JssdkPayParams};
use crate::sign::SignType;
use crate::{
    Bill, CloseOrder, CloseOrderReply, DownloadBill, DownloadFundFlow, FundFlow, OrderQuery,
    OrderQueryReply, Refund, RefundQuery, RefundQueryReply, RefundReply, UnifiedOrder,
    UnifiedOrderReply,
};
use failover::Domains;
use retry::{Budget, Cause, Retry};
use tokens::TokenCache;
use transport::{Call, Method, Transport};

/// The official pay API host.
pub const PAY_BASE_URL: &str = "https://api.mch.weixin.qq.com";
/// Its backup in another city.
pub const PAY_BACKUP_URL: &str = "https://api2.mch.weixin.qq.com";
/// The official MP API host.
pub const MP_BASE_URL: &str = "https://api.weixin.qq.com";
/// Its backup.
pub const MP_BACKUP_URL: &str = "https://api2.weixin.qq.com";

/// Time limits for one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// To establish a connection (default 3 s).
    pub connect: Duration,
    /// For one attempt, connect to last byte (default 8 s).
    pub attempt: Duration,
    /// For the whole call including retries (default 15 s).
    pub overall: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(3),
            attempt: Duration::from_secs(8),
            overall: Duration::from_secs(15),
        }
    }
}

/// Everything a [`Client`] needs. `Debug` hides the API key and app secret.
///
/// ```
/// let mut config = wxpay::ClientConfig::new("wxd930ea5d5a258f4f", "10000100",
///                                           "192006250b4c09247ec02edce69f6a2d");
/// config.pay_base_url = "http://127.0.0.1:8400".into(); // a wxpay-sim
/// assert!(!format!("{config:?}").contains("192006250b4c"));
/// ```
#[derive(Clone)]
pub struct ClientConfig {
    /// Official-account appid.
    pub appid: String,
    /// Merchant number.
    pub mch_id: String,
    /// The 32-byte API key.
    pub api_key: String,
    /// The official account's AppSecret (for OAuth and tokens).
    pub app_secret: Option<String>,
    /// Default notify_url for unified orders that give none.
    pub notify_url: Option<String>,
    /// Sign type of new requests (default HMAC-SHA256).
    pub sign_type: SignType,
    /// Pay API base URL.
    pub pay_base_url: String,
    /// Pay API backup base URL (`None`: no failover).
    pub pay_backup_url: Option<String>,
    /// MP API base URL.
    pub mp_base_url: String,
    /// MP API backup base URL.
    pub mp_backup_url: Option<String>,
    /// OAuth authorize base URL.
    pub open_base_url: String,
    /// Time limits.
    pub timeouts: Timeouts,
    /// Retries.
    pub retry: RetryPolicy,
    /// Deadline for the orderquery in [`Client::confirm_payment`], which
    /// must leave time to answer WeChat within 5 s (default 3 s).
    pub confirm_timeout: Duration,
    /// The client certificate for refunds.
    pub cert: Option<CertSource>,
    /// PEM certificates to trust instead of the public roots: the
    /// simulator's CA for its HTTPS port, or a TLS-inspecting proxy's.
    /// Leave `None` for WeChat itself.
    pub ca_pem: Option<String>,
    /// Where tokens are cached (default: in memory).
    pub token_store: Option<Arc<dyn TokenStore>>,
    /// Which token endpoint to use.
    pub token_source: TokenSource,
    /// Refresh tokens this long before they expire (default 300 s).
    pub token_refresh_margin: Duration,
    /// A failing token store fails the call instead of each process
    /// keeping its own tokens.
    pub token_store_required: bool,
    /// Log each exchange's request and reply, redacted, as `body` events
    /// at `debug` (default false).
    pub log_bodies: bool,
    /// Time and nonces.
    pub clock: Arc<dyn Clock>,
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("appid", &self.appid)
            .field("mch_id", &self.mch_id)
            .field("api_key", &"***")
            .field("app_secret", &self.app_secret.as_ref().map(|_| "***"))
            .field("notify_url", &self.notify_url)
            .field("sign_type", &self.sign_type)
            .field("pay_base_url", &self.pay_base_url)
            .field("pay_backup_url", &self.pay_backup_url)
            .field("mp_base_url", &self.mp_base_url)
            .field("open_base_url", &self.open_base_url)
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .field("cert", &self.cert)
            .field("ca_pem", &self.ca_pem.as_ref().map(|_| "(custom roots)"))
            .field("token_source", &self.token_source)
            .finish_non_exhaustive()
    }
}

impl ClientConfig {
    /// A configuration for the official hosts with every default.
    pub fn new(appid: &str, mch_id: &str, api_key: &str) -> Self {
        ClientConfig {
            appid: appid.to_owned(),
            mch_id: mch_id.to_owned(),
            api_key: api_key.to_owned(),
            app_secret: None,
            notify_url: None,
            sign_type: SignType::HmacSha256,
            pay_base_url: PAY_BASE_URL.to_owned(),
            pay_backup_url: Some(PAY_BACKUP_URL.to_owned()),
            mp_base_url: MP_BASE_URL.to_owned(),
            mp_backup_url: Some(MP_BACKUP_URL.to_owned()),
            open_base_url: OPEN_BASE_URL.to_owned(),
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
            confirm_timeout: Duration::from_secs(3),
            cert: None,
            ca_pem: None,
            token_store: None,
            token_source: TokenSource::default(),
            token_refresh_margin: Duration::from_secs(300),
            token_store_required: false,
            log_bodies: false,
            clock: Arc::new(SystemClock),
        }
    }

    /// Points every base URL at one simulator (no backups).
    pub fn with_simulator(mut self, base_url: &str) -> Self {
        let base = base_url.trim_end_matches('/').to_owned();
        self.pay_base_url = base.clone();
        self.pay_backup_url = None;
        self.mp_base_url = base.clone();
        self.mp_backup_url = None;
        self.open_base_url = base;
        self
    }
}

fn check_state_context(context: &str) -> Result<()> {
    if context.is_empty() || context.len() > 256 {
        return Err(Error::invalid(
            "context",
            "must be 1-256 bytes identifying the user's session",
        ));
    }
    Ok(())
}

fn check_base_url(name: &str, url: &str) -> Result<()> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| Error::config(format!("{name} must start with https:// or http://")))?;
    if rest.is_empty() || rest.contains(['?', '#', ' ']) {
        return Err(Error::config(format!(
            "{name} must be a plain base URL such as https://host:port"
        )));
    }
    Ok(())
}

/// WeChat Pay for one merchant and official account, safe to share between
/// threads.
///
/// ```no_run
/// use wxpay::{Client, ClientConfig, UnifiedOrder};
/// let mut config = ClientConfig::new("wxd930ea5d5a258f4f", "10000100", "192006250b4c09247ec02edce69f6a2d");
/// config.notify_url = Some("https://shop.example/wxpay/notify".into());
/// let client = Client::new(config)?;
/// let order = UnifiedOrder::jsapi("shop-book", "order-0001", 990, "127.0.0.1", "", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");
/// let reply = client.unified_order(&order)?;
/// let params = client.jsapi_params(&reply.prepay_id)?; // for WeixinJSBridge
/// # Ok::<(), wxpay::Error>(())
/// ```
pub struct Client {
    config: ClientConfig,
    merchant: Merchant,
    transport: Transport,
    pay_domains: Domains,
    mp_domains: Domains,
    access_tokens: TokenCache,
    tickets: TokenCache,
    force_stable_refresh: Mutex<bool>,
    oauth_states: OAuthState,
    metrics: Arc<metrics::Metrics>,
    reconciliations: reconciliations::Reconciliations,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Checks the configuration (API key, URLs, certificate) and builds the
    /// client. Nothing is fetched yet.
    pub fn new(config: ClientConfig) -> Result<Self> {
        let merchant = Merchant::new(
            &config.appid,
            &config.mch_id,
            &config.api_key,
            config.sign_type,
        )?;
        check_base_url("pay_base_url", &config.pay_base_url)?;
        check_base_url("mp_base_url", &config.mp_base_url)?;
        check_base_url("open_base_url", &config.open_base_url)?;
        for (name, url) in [
            ("pay_backup_url", &config.pay_backup_url),
            ("mp_backup_url", &config.mp_backup_url),
        ] {
            if let Some(url) = url {
                check_base_url(name, url)?;
            }
        }
        if let Some(url) = &config.notify_url {
            crate::validate::notify_url("notify_url", url)
                .map_err(|e| Error::config(e.to_string()))?;
        }
        if config.timeouts.connect.is_zero()
            || config.timeouts.attempt.is_zero()
            || config.timeouts.overall.is_zero()
        {
            return Err(Error::config("timeouts must be positive"));
        }
        let cert = config
            .cert
            .as_ref()
            .map(|c| cert::load(c, &config.mch_id))
            .transpose()?;
        let roots = config.ca_pem.as_deref().map(cert::load_roots).transpose()?;
        let store: Arc<dyn TokenStore> = config
            .token_store
            .clone()
            .unwrap_or_else(|| Arc::new(MemoryStore::default()));
        let key = |kind: &str| format!("wxpay:{}:{kind}", config.appid);
        // The fleet's refresh lock outlives one fetch (the whole call's
        // deadline) and no more, so a holder that dies is replaced soon.
        let lock_ttl = config.timeouts.overall + Duration::from_secs(1);
        let counters = Arc::new(metrics::Metrics::default());
        let mut transport = Transport::new(config.timeouts, cert, roots);
        transport.log_bodies = config.log_bodies;
        Ok(Client {
            transport,
            pay_domains: Domains::new(&config.pay_base_url, config.pay_backup_url.as_deref()),
            mp_domains: Domains::new(&config.mp_base_url, config.mp_backup_url.as_deref()),
            access_tokens: TokenCache::new(
                key("access_token"),
                store.clone(),
                config.clock.clone(),
                config.token_refresh_margin,
                lock_ttl,
                config.token_store_required,
                counters.clone(),
            ),
            tickets: TokenCache::new(
                key("jsapi_ticket"),
                store,
                config.clock.clone(),
                config.token_refresh_margin,
                lock_ttl,
                config.token_store_required,
                counters.clone(),
            ),
            force_stable_refresh: Mutex::new(false),
            oauth_states: OAuthState::new(merchant.api_key()),
            metrics: counters,
            reconciliations: Default::default(),
            merchant,
            config,
        })
    }

    /// The merchant identity (for the pure functions).
    pub fn merchant(&self) -> &Merchant {
        &self.merchant
    }

    /// The configuration.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// Whether new pay calls currently go to the backup domain.
    pub fn pay_on_backup(&self) -> bool {
        self.pay_domains.on_backup()
    }

    /// POSTs a signed pay request and parses the reply, trying a retryable
    /// answer (SYSTEMERROR) again with the identical bytes.
    fn pay_call<T>(
        &self,
        path: &str,
        request: &SignedRequest,
        use_cert: bool,
        max_body: u64,
        mut budget: Budget,
        parse: impl Fn(&[u8]) -> Result<T>,
    ) -> Result<T> {
        let call = Call {
            path,
            label: path.trim_start_matches('/'),
            method: Method::Post {
                body: request.xml.as_bytes(),
                content_type: "text/xml; charset=utf-8",
            },
            retry: Retry::AfterSend,
            use_cert,
            max_body,
            headers: None,
            any_status: false,
        };
        loop {
            let body = self
                .transport
                .execute(&self.pay_domains, &call, &mut budget)?;
            match parse(&body) {
                Err(e) if budget.again(Cause::Answer(&e)) => {}
                other => return other,
            }
        }
    }

    /// The budget of one call: the configured retries, the overall timeout.
    fn budget(&self) -> Budget {
        self.budget_until(Instant::now() + self.transport.timeouts.overall)
    }

    fn budget_until(&self, deadline: Instant) -> Budget {
        Budget::new(self.config.retry, deadline).counted(self.metrics.clone())
    }

    /// Places an order (`pay/unifiedorder`). An empty `notify_url` takes the
    /// configured one. A retry after an unclear failure resends the same
    /// bytes, so WeChat sees the same order.
    pub fn unified_order(&self, order: &UnifiedOrder) -> Result<UnifiedOrderReply> {
        self.unified_order_as(&self.merchant, order)
    }

    fn unified_order_as(&self, m: &Merchant, order: &UnifiedOrder) -> Result<UnifiedOrderReply> {
        let mut order = order.clone();
        if order.notify_url.is_empty() {
            order.notify_url = self.config.notify_url.clone().ok_or_else(|| {
                Error::invalid(
                    "notify_url",
                    "is required (no default notify_url is configured)",
                )
            })?;
        }
        let request = order.sign(m, self.config.clock.as_ref())?;
        self.pay_call(
            "/pay/unifiedorder",
            &request,
            false,
            1 << 20,
            self.budget(),
            |body| UnifiedOrderReply::parse(m, &request, body),
        )
    }

    /// `getBrandWCPayRequest` params for the page, signed with the sign type
    /// the order was placed with.
    pub fn jsapi_params(&self, prepay_id: &str) -> Result<BridgePayParams> {
        self.jsapi_params_as(&self.merchant, prepay_id)
    }

    fn jsapi_params_as(&self, m: &Merchant, prepay_id: &str) -> Result<BridgePayParams> {
        BridgePayParams::new(
            m,
            prepay_id,
            self.config.sign_type,
            self.config.clock.as_ref(),
        )
    }

    /// `wx.chooseWXPay` params (note `timestamp`, lower-case).
    pub fn jssdk_pay_params(&self, prepay_id: &str) -> Result<JssdkPayParams> {
        self.jssdk_pay_params_as(&self.merchant, prepay_id)
    }

    fn jssdk_pay_params_as(&self, m: &Merchant, prepay_id: &str) -> Result<JssdkPayParams> {
        JssdkPayParams::new(
            m,
            prepay_id,
            self.config.sign_type,
            self.config.clock.as_ref(),
        )
    }

    /// App `PayReq` params (the appid must be the mobile app's).
    pub fn app_pay_params(&self, prepay_id: &str) -> Result<AppPayParams> {
        self.app_pay_params_as(&self.merchant, prepay_id)
    }

    fn app_pay_params_as(&self, m: &Merchant, prepay_id: &str) -> Result<AppPayParams> {
        AppPayParams::new(
            m,
            prepay_id,
            self.config.sign_type,
            self.config.clock.as_ref(),
        )
    }

    fn query_order_within(
        &self,
        m: &Merchant,
        order: OrderRef,
        budget: Budget,
    ) -> Result<OrderQueryReply> {
        let query = OrderQuery { order };
        let request = query.sign(m, self.config.clock.as_ref())?;
        self.pay_call(
            "/pay/orderquery",
            &request,
            false,
            1 << 20,
            budget,
            |body| OrderQueryReply::parse(m, &query, &request, body),
        )
    }

    /// The order's authoritative state (`pay/orderquery`).
    pub fn query_order(&self, order: OrderRef) -> Result<OrderQueryReply> {
        self.query_order_within(&self.merchant, order, self.budget())
    }

    /// Closes an unpaid order. Already closed is not an error.
    pub fn close_order(&self, out_trade_no: &str) -> Result<CloseOrderReply> {
        self.close_order_as(&self.merchant, out_trade_no)
    }

    fn close_order_as(&self, m: &Merchant, out_trade_no: &str) -> Result<CloseOrderReply> {
        let request = CloseOrder {
            out_trade_no: out_trade_no.to_owned(),
        }
        .sign(m, self.config.clock.as_ref())?;
        self.pay_call(
            "/pay/closeorder",
            &request,
            false,
            1 << 20,
            self.budget(),
            |body| CloseOrderReply::parse(m, &request, body),
        )
    }

    /// Asks for a refund (needs the client certificate on https). Retries
    /// reuse the same `out_refund_no`, which WeChat refunds only once.
    pub fn refund(&self, refund: &Refund) -> Result<RefundReply> {
        self.refund_as(&self.merchant, refund)
    }

    fn refund_as(&self, m: &Merchant, refund: &Refund) -> Result<RefundReply> {
        let request = refund.sign(m, self.config.clock.as_ref())?;
        self.pay_call(
            "/secapi/pay/refund",
            &request,
            true,
            1 << 20,
            self.budget(),
            |body| RefundReply::parse(m, refund, &request, body),
        )
    }

    /// Refund status (`pay/refundquery`).
    pub fn query_refund(&self, query: &RefundQuery) -> Result<RefundQueryReply> {
        self.query_refund_as(&self.merchant, query)
    }

    fn query_refund_as(&self, m: &Merchant, query: &RefundQuery) -> Result<RefundQueryReply> {
        let request = query.sign(m, self.config.clock.as_ref())?;
        self.pay_call(
            "/pay/refundquery",
            &request,
            false,
            1 << 20,
            self.budget(),
            |body| RefundQueryReply::parse(m, query, &request, body),
        )
    }

    /// A day's bill (`pay/downloadbill`).
    pub fn download_bill(&self, bill: &DownloadBill) -> Result<Bill> {
        self.download_bill_as(&self.merchant, bill)
    }

    fn download_bill_as(&self, m: &Merchant, bill: &DownloadBill) -> Result<Bill> {
        let request = bill.sign(m, self.config.clock.as_ref())?;
        self.pay_call(
            "/pay/downloadbill",
            &request,
            false,
            crate::MAX_BILL_BYTES,
            self.budget(),
            Bill::parse,
        )
    }

    /// A day's fund flow of one account (`pay/downloadfundflow`): always
    /// signed with HMAC-SHA256 and sent with the client certificate, as the
    /// service provider itself when this is one.
    pub fn download_fund_flow(&self, request: &DownloadFundFlow) -> Result<FundFlow> {
        let signed = request.sign(&self.merchant, self.config.clock.as_ref())?;
        self.pay_call(
            "/pay/downloadfundflow",
            &signed,
            true,
            crate::MAX_BILL_BYTES,
            self.budget(),
            FundFlow::parse,
        )
    }

    /// The link of a Native mode-one QR code for `product_id` (see
    /// [`crate::native_qr_link`]). No I/O.
    pub fn native_qr_link(&self, product_id: &str) -> Result<String> {
        crate::native_qr_link(&self.merchant, product_id, self.config.clock.as_ref())
    }

    /// A shorter `weixin://wxpay/s/…` link for a long one (`tools/shorturl`),
    /// for a QR code small enough to print.
    pub fn short_url(&self, long_url: &str) -> Result<String> {
        self.short_url_as(&self.merchant, long_url)
    }

    pub(super) fn short_url_as(&self, m: &Merchant, long_url: &str) -> Result<String> {
        let short = crate::ShortUrl {
            long_url: long_url.to_owned(),
        };
        let request = short.sign(m, self.config.clock.as_ref())?;
        self.pay_call(
            "/tools/shorturl",
            &request,
            false,
            1 << 20,
            self.budget(),
            |body| crate::ShortUrl::parse(m, &request, body),
        )
    }

    /// Verifies a Native mode-one scan callback (see
    /// [`crate::ScanCallback::verify`]). No I/O.
    pub fn verify_scan_callback(&self, body: &[u8]) -> Result<crate::ScanCallback> {
        crate::ScanCallback::verify(&self.merchant, body)
    }

    /// The signed answer to a scan callback with the `prepay_id` of the
    /// order placed for it (see [`crate::native_scan_reply`]). No I/O.
    pub fn native_scan_reply(&self, prepay_id: &str) -> Result<String> {
        crate::native_scan_reply(
            &self.merchant,
            Some(prepay_id),
            "",
            self.config.clock.as_ref(),
        )
    }

    /// The signed refusal of a scan callback; WeChat shows `message` to the
    /// payer (see [`crate::native_scan_reply`]). No I/O.
    pub fn native_scan_refusal(&self, message: &str) -> Result<String> {
        crate::native_scan_reply(&self.merchant, None, message, self.config.clock.as_ref())
    }

    /// Verifies a payment notification body (see [`PaymentNotify::verify`]).
    pub fn verify_payment_notify(&self, body: &[u8]) -> Result<PaymentNotify> {
        PaymentNotify::verify(&self.merchant, body)
    }

    /// Verifies a payment notification body and, given the shop's own
    /// amount for the order, that it is a payment of exactly that amount
    /// (see [`PaymentNotify::check_amount`]).
    pub fn verify_payment_notify_amount(
        &self,
        body: &[u8],
        total_fee: Option<u64>,
    ) -> Result<PaymentNotify> {
        let notify = self.verify_payment_notify(body)?;
        if let Some(fee) = total_fee {
            notify.check_amount(fee)?;
        }
        Ok(notify)
    }

    /// Confirms a verified notification with orderquery — never trust the
    /// notification alone. The order must be paid (`SUCCESS`, or `REFUND`
    /// after it) with the same `transaction_id`, `out_trade_no` and
    /// `total_fee`; anything else is a `Mismatch`. Bounded by
    /// `confirm_timeout` so the notify handler can still answer in time.
    ///
    /// The documented notify handler: `verify_payment_notify` → compare the
    /// amount with your order (`check_amount`) → `confirm_payment` → mark the
    /// order paid once (idempotently) → answer [`crate::notify_ack`].
    pub fn confirm_payment(&self, notify: &PaymentNotify) -> Result<OrderQueryReply> {
        if !notify.is_paid() {
            return Err(Error::mismatch(
                "result_code",
                "SUCCESS",
                notify.result_code.as_str(),
            ));
        }
        let transaction_id = notify
            .transaction_id
            .clone()
            .ok_or_else(|| Error::bad_reply("the notification has no transaction_id"))?;
        let deadline = Instant::now()
            + self
                .config
                .confirm_timeout
                .min(self.transport.timeouts.overall);
        // A provider's notification is confirmed as the sub-merchant it
        // names: orderquery needs the sub_mch_id, and the reply must echo it.
        let merchant = match notify.sub_merchant()? {
            Some(sub) => self.merchant.for_sub_merchant(sub),
            None => self.merchant.clone(),
        };
        let reply = self.query_order_within(
            &merchant,
            OrderRef::TransactionId(transaction_id.clone()),
            self.budget_until(deadline),
        )?;
        if !reply.trade_state.is_paid() {
            return Err(Error::mismatch(
                "trade_state",
                "SUCCESS",
                reply.trade_state.as_str(),
            ));
        }
        if reply.out_trade_no != notify.out_trade_no {
            return Err(Error::mismatch(
                "out_trade_no",
                notify.out_trade_no.as_str(),
                reply.out_trade_no.as_str(),
            ));
        }
        if reply.total_fee != notify.total_fee {
            return Err(Error::mismatch(
                "total_fee",
                notify.total_fee.map(|f| f.to_string()).unwrap_or_default(),
                reply.total_fee.map(|f| f.to_string()).unwrap_or_default(),
            ));
        }
        if reply.transaction_id.as_deref() != Some(transaction_id.as_str()) {
            return Err(Error::mismatch(
                "transaction_id",
                transaction_id,
                reply.transaction_id.clone().unwrap_or_default(),
            ));
        }
        // The same currency, trade type and sub-merchant as the notification
        // (docs/security.md §8): a payment of another kind is not this one.
        let notified_fee_type = notify.fee_type.as_str();
        if reply.fee_type != notified_fee_type {
            return Err(Error::mismatch(
                "fee_type",
                notified_fee_type,
                crate::message::truncate_for_message(&reply.fee_type),
            ));
        }
        for name in ["trade_type", "sub_mch_id"] {
            let ours = notify.raw.get(name).map(String::as_str).unwrap_or("");
            let theirs = reply.raw.get(name).map(String::as_str).unwrap_or("");
            // orderquery may leave trade_type out; a sub-merchant never.
            if theirs != ours && !(name == "trade_type" && theirs.is_empty()) {
                return Err(Error::mismatch(
                    name,
                    ours,
                    crate::message::truncate_for_message(theirs),
                ));
            }
        }
        Ok(reply)
    }

    /// Decrypts a refund notification (see [`RefundNotify::parse`]).
    pub fn parse_refund_notify(&self, body: &[u8]) -> Result<RefundNotify> {
        RefundNotify::parse(&self.merchant, body)
    }

    /// The URL to send the user to for their openid.
    pub fn oauth_authorize_url(
        &self,
        redirect_uri: &str,
        scope: Scope,
        state: Option<&str>,
    ) -> Result<String> {
        oauth_authorize_url(
            &self.config.open_base_url,
            self.merchant.appid(),
            redirect_uri,
            scope,
            state,
        )
    }

    /// A fresh OAuth `state` bound to `context` (the user's session id, for
    /// instance): pass it to [`Client::oauth_authorize_url`] and check what
    /// comes back with [`Client::check_oauth_state`]. Nothing is stored, so
    /// it works across processes; an empty context is refused, since the
    /// binding to one browser is what stops a forged callback.
    ///
    /// ```
    /// # use std::time::Duration;
    /// let client = wxpay::Client::new(wxpay::ClientConfig::new("wxd930ea5d5a258f4f", "10000100",
    ///     "192006250b4c09247ec02edce69f6a2d")).unwrap();
    /// let state = client.oauth_state("session-8f2c").unwrap();
    /// assert!(client.check_oauth_state(&state, "session-8f2c", Duration::from_secs(600)).is_ok());
    /// assert!(client.check_oauth_state(&state, "another-session", Duration::from_secs(600)).is_err());
    /// ```
    pub fn oauth_state(&self, context: &str) -> Result<String> {
        check_state_context(context)?;
        Ok(self.oauth_states.issue(context, self.config.clock.as_ref()))
    }

    /// Accepts a `state` from [`Client::oauth_state`] for the same `context`,
    /// issued at most `max_age` ago; otherwise an `InvalidInput` error for
    /// field `state`.
    pub fn check_oauth_state(&self, state: &str, context: &str, max_age: Duration) -> Result<()> {
        check_state_context(context)?;
        self.oauth_states.check(
            state,
            context,
            max_age.as_secs(),
            self.config.clock.as_ref(),
        )
    }

    /// A signed `wx.config` for the page at `url` (its `#fragment` is not
    /// signed), with the cached jsapi_ticket.
    pub fn jssdk_config(&self, url: &str, js_api_list: &[&str]) -> Result<JssdkConfig> {
        let ticket = self.jsapi_ticket()?;
        JssdkConfig::new(
            self.merchant.appid(),
            &ticket,
            url,
            js_api_list,
            self.config.clock.as_ref(),
        )
    }
}
