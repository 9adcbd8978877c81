//! [`ClientConfig`] from plain values: what the Python keyword arguments,
//! the Node options object and the C JSON config all become, so every
//! language reads the same option names with the same defaults.

use std::fmt;
use std::time::Duration;

use base64::Engine;
use serde::Deserialize;

use crate::client::{CertSource, ClientConfig, TokenSource};
use crate::error::{Error, Result};
use crate::requests::{count_in, seconds_in, Count, Seconds};
use crate::sign::SignType;

/// Every option a binding accepts (snake_case, or camelCase for
/// JavaScript). Durations are seconds; each default is applied in
/// [`ClientOptions::into_config`] from [`ClientConfig::new`].
///
/// ```
/// let options = wxpay::ClientOptions::from_json(r#"{"appid": "wxd930ea5d5a258f4f",
///     "mch_id": "10000100", "api_key": "192006250b4c09247ec02edce69f6a2d",
///     "base_url": "http://127.0.0.1:8400", "timeout": 2.5}"#).unwrap();
/// let config = options.into_config().unwrap();
/// assert_eq!(config.pay_base_url, "http://127.0.0.1:8400");
/// assert_eq!(config.pay_backup_url, None);
/// assert!(wxpay::ClientOptions::from_json(r#"{"appid": "x", "mch_id": "1", "api_key": "k", "tiemout": 1}"#).is_err());
/// ```
#[derive(Default, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(
        description = "The options of a client, the same in every language (camelCase in JavaScript)."
    )
)]
#[serde(deny_unknown_fields)]
pub struct ClientOptions {
    /// Official-account appid.
    pub appid: String,
    /// Merchant number.
    pub mch_id: String,
    /// The 32-byte API key.
    pub api_key: String,
    /// The official account's AppSecret.
    pub app_secret: Option<String>,
    /// Default notify_url.
    pub notify_url: Option<String>,
    /// `"HMAC-SHA256"` (default) or `"MD5"`.
    pub sign_type: Option<String>,
    /// One simulator for pay, MP and OAuth, without backups.
    pub base_url: Option<String>,
    /// Pay API host (default the official one, with its backup).
    pub pay_base_url: Option<String>,
    /// Pay API backup; with a custom `pay_base_url` there is none unless given.
    pub pay_backup_url: Option<String>,
    /// MP API host.
    pub mp_base_url: Option<String>,
    /// MP API backup.
    pub mp_backup_url: Option<String>,
    /// OAuth authorize host.
    pub open_base_url: Option<String>,
    /// Connect timeout (default 3).
    pub connect_timeout: Option<Seconds>,
    /// Per-attempt timeout (default 8).
    pub timeout: Option<Seconds>,
    /// Whole-call timeout including retries (default 15).
    pub overall_timeout: Option<Seconds>,
    /// Deadline of the orderquery in confirm_payment (default 3).
    pub confirm_timeout: Option<Seconds>,
    /// Automatic retries of idempotent calls (default 1).
    pub retries: Option<Count>,
    /// First backoff (default 0.5).
    pub retry_backoff: Option<Seconds>,
    /// `"stable"` (default) or `"classic"`.
    pub token_source: Option<String>,
    /// Refresh tokens this early (default 300).
    pub token_refresh_margin: Option<Seconds>,
    /// Client certificate PEM (with `key_pem`), for refunds.
    pub cert_pem: Option<String>,
    /// Client key PEM.
    pub key_pem: Option<String>,
    /// Client certificate as PKCS#12, base64.
    pub cert_p12_base64: Option<String>,
    /// PKCS#12 password (default: the mch_id).
    pub cert_password: Option<String>,
    /// PEM certificates trusted instead of the public roots (the
    /// simulator's HTTPS port); not for WeChat itself.
    pub ca_pem: Option<String>,
    /// A directory where tokens are cached for every process on the host;
    /// default: in this process only.
    // Becomes a crate::FileStore.
    pub token_dir: Option<String>,
    /// A Redis URL where tokens are cached for a whole fleet, e.g.
    /// `redis://127.0.0.1:6379/0`.
    // Becomes a crate::RedisStore.
    pub token_store: Option<String>,
    /// When the shared token store fails, fail the call (a `Cache` error)
    /// instead of each process fetching its own tokens (default false:
    /// keep selling, and report `token_store_down`).
    pub token_store_required: Option<bool>,
    /// Log each exchange's request and reply bodies as `body` events at
    /// `debug` level, with signatures, keys, tokens, tickets and payer codes
    /// replaced by `***` (default false). For a support ticket: bodies
    /// carry the payer's openid and the order's details.
    pub log_bodies: Option<bool>,
}

impl fmt::Debug for ClientOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientOptions")
            .field("appid", &self.appid)
            .field("mch_id", &self.mch_id)
            .field("api_key", &"***")
            .finish_non_exhaustive()
    }
}

/// A duration option: more than 0 and less than a day; NaN, infinities,
/// zero and negatives are refused by name, never read as "not given".
/// The store named by the `token_dir` or `token_store` option, if any.
pub(in crate::client) fn token_store(
    token_dir: Option<String>,
    token_store: Option<String>,
) -> Result<Option<std::sync::Arc<dyn crate::TokenStore>>> {
    Ok(match (token_dir, token_store) {
        (Some(_), Some(_)) => return Err(Error::config("give token_store or token_dir, not both")),
        (Some(dir), None) => Some(std::sync::Arc::new(crate::FileStore::new(dir)?)),
        (None, Some(url)) => Some(std::sync::Arc::new(crate::RedisStore::new(&url)?)),
        (None, None) => None,
    })
}

pub(in crate::client) fn seconds(
    name: &str,
    v: Option<Seconds>,
    default: Duration,
) -> Result<Duration> {
    Ok(seconds_in(
        name,
        v,
        |s| s > 0.0 && s < 86_400.0,
        "more than 0 and less than 86400",
    )?
    .unwrap_or(default))
}

impl ClientOptions {
    /// Reads options from a JSON object; unknown names are refused so a
    /// typo never silently falls back to a default. Names are snake_case,
    /// or camelCase for JavaScript. A wrong name or type is an
    /// `InvalidInput` error naming the option, never quoting its value.
    pub fn from_json(json: &str) -> Result<Self> {
        Self::from_value(crate::requests::parse_json(json, "options")?)
    }

    /// As [`ClientOptions::from_json`], from a JSON value (what Python's
    /// keyword arguments become).
    pub fn from_value(options: serde_json::Value) -> Result<Self> {
        let named = crate::requests::named(options, "options")?;
        crate::requests::read(serde_json::Value::Object(named), "options")
    }

    /// Applies the defaults and builds the configuration (not yet checked:
    /// [`crate::Client::new`] does that).
    pub fn into_config(self) -> Result<ClientConfig> {
        let mut c = ClientConfig::new(&self.appid, &self.mch_id, &self.api_key);
        c.app_secret = self.app_secret;
        c.notify_url = self.notify_url;
        if let Some(t) = self.sign_type {
            c.sign_type = SignType::parse(&t)
                .map_err(|_| Error::config("sign_type must be \"MD5\" or \"HMAC-SHA256\""))?;
        }
        if let Some(base) = self.base_url {
            c = c.with_simulator(&base);
        }
        if let Some(url) = self.pay_base_url {
            c.pay_base_url = url;
            c.pay_backup_url = None;
        }
        if let Some(url) = self.pay_backup_url {
            c.pay_backup_url = Some(url);
        }
        if let Some(url) = self.mp_base_url {
            c.mp_base_url = url;
            c.mp_backup_url = None;
        }
        if let Some(url) = self.mp_backup_url {
            c.mp_backup_url = Some(url);
        }
        if let Some(url) = self.open_base_url {
            c.open_base_url = url;
        }
        c.timeouts.connect = seconds("connect_timeout", self.connect_timeout, c.timeouts.connect)?;
        c.timeouts.attempt = seconds("timeout", self.timeout, c.timeouts.attempt)?;
        c.timeouts.overall = seconds("overall_timeout", self.overall_timeout, c.timeouts.overall)?;
        c.confirm_timeout = seconds("confirm_timeout", self.confirm_timeout, c.confirm_timeout)?;
        c.retry.backoff = seconds("retry_backoff", self.retry_backoff, c.retry.backoff)?;
        if let Some(r) = count_in("retries", self.retries, 0..=5)? {
            c.retry.retries = r as u32;
        }
        c.token_refresh_margin = seconds(
            "token_refresh_margin",
            self.token_refresh_margin,
            c.token_refresh_margin,
        )?;
        c.token_source = match self.token_source.as_deref() {
            None | Some("stable") => TokenSource::Stable,
            Some("classic") => TokenSource::Classic,
            Some(_) => {
                return Err(Error::config(
                    "token_source must be \"stable\" or \"classic\"",
                ))
            }
        };
        c.cert = match (self.cert_pem, self.key_pem, self.cert_p12_base64) {
            (None, None, None) => None,
            (Some(cert), Some(key), None) => Some(CertSource::Pem { cert: cert.into_bytes(), key: key.into_bytes() }),
            (None, None, Some(p12)) => Some(CertSource::Pkcs12 {
                data: base64::engine::general_purpose::STANDARD
                    .decode(p12.trim())
                    .map_err(|_| Error::config("cert_p12_base64 is not base64"))?,
                password: self.cert_password,
            }),
            _ => {
                return Err(Error::config(
                    "give either cert_pem with key_pem, or cert_p12_base64 (with cert_password if it is not the mch_id)",
                ))
            }
        };
        c.ca_pem = self.ca_pem;
        c.token_store_required = self.token_store_required.unwrap_or(false);
        c.log_bodies = self.log_bodies.unwrap_or(false);
        c.token_store = token_store(self.token_dir, self.token_store)?;
        Ok(c)
    }

    /// As [`ClientOptions::into_config`], with a token store supplied by
    /// the host language (Django's cache, a JS object) when given; it
    /// cannot be combined with `token_dir` or a `token_store` URL.
    pub fn into_config_with_store(
        self,
        store: Option<std::sync::Arc<dyn crate::TokenStore>>,
    ) -> Result<ClientConfig> {
        if store.is_some() && (self.token_dir.is_some() || self.token_store.is_some()) {
            return Err(Error::config("give token_store or token_dir, not both"));
        }
        let mut config = self.into_config()?;
        if store.is_some() {
            config.token_store = store;
        }
        Ok(config)
    }
}

impl crate::Client {
    /// The one way every binding makes a client: the options it was given
    /// (as JSON: snake_case or camelCase names, durations in seconds) and
    /// the token store of the host language, when there is one. Every
    /// option name, every required one, every default and the rule that a
    /// host store excludes `token_dir` and `token_store` live here, so
    /// each language refuses the same options the same way.
    ///
    /// ```
    /// let json = r#"{"appid": "wxd930ea5d5a258f4f", "mch_id": "10000100",
    ///     "api_key": "192006250b4c09247ec02edce69f6a2d", "base_url": "http://127.0.0.1:8400"}"#;
    /// let client = wxpay::Client::from_options_json(json, None).unwrap();
    /// assert_eq!(client.config().pay_base_url, "http://127.0.0.1:8400");
    /// let store: std::sync::Arc<dyn wxpay::TokenStore> = std::sync::Arc::new(wxpay::MemoryStore::default());
    /// let both = json.replace('}', r#", "token_dir": "/tmp/wxpay"}"#);
    /// let e = wxpay::Client::from_options_json(&both, Some(store)).unwrap_err();
    /// assert_eq!(e.kind(), wxpay::ErrorKind::Config);
    /// ```
    pub fn from_options_json(
        options_json: &str,
        store: Option<std::sync::Arc<dyn crate::TokenStore>>,
    ) -> Result<Self> {
        Self::from_options(ClientOptions::from_json(options_json)?, store)
    }

    /// As [`crate::Client::from_options_json`], from options already read
    /// (what Python's keyword arguments become).
    pub fn from_options(
        options: ClientOptions,
        store: Option<std::sync::Arc<dyn crate::TokenStore>>,
    ) -> Result<Self> {
        crate::Client::new(options.into_config_with_store(store)?)
    }
}
