//! [`ClientV3Config`] from plain values: what every binding's v3 client
//! options become, with the same names and defaults in each language.
//! Key material is accepted as PEM text or as a path to the file the
//! merchant platform handed out, and never echoed.

use std::fmt;

use serde::Deserialize;

use super::ClientV3Config;
use crate::client::options::{seconds, token_store};
use crate::error::{Error, Result};
use crate::requests::{count_in, Count, Seconds};

/// Every option of a v3 client (snake_case, or camelCase for JavaScript).
/// Durations are seconds.
///
/// ```
/// let options = wxpay::ClientV3Options::from_json(r#"{"mchid": "10000100",
///     "appid": "wxd930ea5d5a258f4f", "private_key_path": "../tests/vectors/v3/keys/merchant_key.pem",
///     "merchant_serial": "3775B6A45ACD588826D15E583A95F5DD", "apiv3_key": "wxpaysim0apiv30key00000000000001",
///     "base_url": "http://127.0.0.1:8400"}"#).unwrap();
/// let config = options.into_config().unwrap();
/// assert_eq!((config.base_url.as_str(), config.backup_url.as_deref()), ("http://127.0.0.1:8400", None));
/// assert!(!format!("{config:?}").contains("PRIVATE"));
/// ```
#[derive(Default, Clone, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ClientV3Options {
    /// The merchant number.
    pub mchid: String,
    /// The appid orders and pay params are for.
    pub appid: String,
    /// The merchant API private key (`apiclient_key.pem`) as PEM text.
    pub private_key: Option<String>,
    /// … or the path of that file.
    pub private_key_path: Option<String>,
    /// The merchant API certificate's serial (hexadecimal).
    pub merchant_serial: String,
    /// The APIv3 key (32 bytes).
    pub apiv3_key: String,
    /// The WeChat Pay public key's id (`PUB_KEY_ID_…`).
    pub public_key_id: Option<String>,
    /// The WeChat Pay public key (`pub_key.pem`) as PEM text.
    pub public_key: Option<String>,
    /// … or the path of that file.
    pub public_key_path: Option<String>,
    /// Platform certificates already held (PEM texts).
    pub platform_certificates: Option<Vec<String>>,
    /// Download the platform certificates (default true).
    pub auto_certificates: Option<bool>,
    /// Default notify_url.
    pub notify_url: Option<String>,
    /// One API host (a simulator), without a backup.
    pub base_url: Option<String>,
    /// The backup host (with `base_url`).
    pub backup_url: Option<String>,
    /// Connect timeout (default 3).
    pub connect_timeout: Option<Seconds>,
    /// Per-attempt timeout (default 8).
    pub timeout: Option<Seconds>,
    /// Whole-call timeout including retries (default 15).
    pub overall_timeout: Option<Seconds>,
    /// Deadline of the query that confirms a notified payment (default 3).
    pub confirm_timeout: Option<Seconds>,
    /// Automatic retries (default 1).
    pub retries: Option<Count>,
    /// First backoff (default 0.5).
    pub retry_backoff: Option<Seconds>,
    /// PEM certificates to trust instead of the public roots.
    pub ca_pem: Option<String>,
    /// A directory shared by a fleet's processes for the certificate listing.
    pub token_dir: Option<String>,
    /// `redis://…`: a Redis shared by the fleet.
    pub token_store: Option<String>,
    /// Log bodies, redacted, at debug.
    pub log_bodies: Option<bool>,
}

impl fmt::Debug for ClientV3Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientV3Options")
            .field("mchid", &self.mchid)
            .field("appid", &self.appid)
            .field("private_key", &self.private_key.as_ref().map(|_| "***"))
            .field("apiv3_key", &"***")
            .finish_non_exhaustive()
    }
}

/// PEM given as text or as a path (exactly one, or none when optional).
fn pem(name: &str, text: Option<String>, path: Option<String>) -> Result<Option<String>> {
    match (text, path) {
        (Some(_), Some(_)) => Err(Error::config(format!(
            "give {name} or {name}_path, not both"
        ))),
        (Some(t), None) => Ok(Some(t)),
        (None, Some(p)) => std::fs::read_to_string(&p).map(Some).map_err(|e| {
            // The path is the shop's own configuration; the file's content
            // is never quoted.
            Error::config(format!("{name}_path {p:?} cannot be read: {}", e.kind()))
        }),
        (None, None) => Ok(None),
    }
}

impl ClientV3Options {
    /// Reads the options from JSON (snake_case or camelCase names).
    pub fn from_json(json: &str) -> Result<Self> {
        let value = crate::requests::parse_json(json, "options")?;
        let named = crate::requests::named(value, "options")?;
        crate::requests::read(serde_json::Value::Object(named), "options")
    }

    /// The configuration, every default from [`ClientV3Config::new`].
    pub fn into_config(self) -> Result<ClientV3Config> {
        let key = pem("private_key", self.private_key, self.private_key_path)?
            .ok_or_else(|| Error::config("private_key or private_key_path is required"))?;
        let mut c = ClientV3Config::new(
            &self.mchid,
            &self.appid,
            &key,
            &self.merchant_serial,
            &self.apiv3_key,
        );
        c.public_key_id = self.public_key_id;
        c.public_key_pem = pem("public_key", self.public_key, self.public_key_path)?;
        c.platform_certificates = self.platform_certificates.unwrap_or_default();
        c.auto_certificates = self.auto_certificates.unwrap_or(true);
        c.notify_url = self.notify_url;
        if let Some(base) = self.base_url {
            c = c.with_simulator(&base);
            c.backup_url = self.backup_url;
        } else if self.backup_url.is_some() {
            return Err(Error::config("backup_url goes with base_url"));
        }
        c.timeouts.connect = seconds("connect_timeout", self.connect_timeout, c.timeouts.connect)?;
        c.timeouts.attempt = seconds("timeout", self.timeout, c.timeouts.attempt)?;
        c.timeouts.overall = seconds("overall_timeout", self.overall_timeout, c.timeouts.overall)?;
        c.confirm_timeout = seconds("confirm_timeout", self.confirm_timeout, c.confirm_timeout)?;
        c.retry.backoff = seconds("retry_backoff", self.retry_backoff, c.retry.backoff)?;
        if let Some(r) = count_in("retries", self.retries, 0..=5)? {
            c.retry.retries = r as u32;
        }
        c.ca_pem = self.ca_pem;
        c.log_bodies = self.log_bodies.unwrap_or(false);
        c.token_store = token_store(self.token_dir, self.token_store)?;
        Ok(c)
    }
}

impl super::ClientV3 {
    /// A client from its options as JSON (what the bindings hand over).
    pub fn from_options_json(options_json: &str) -> Result<Self> {
        super::ClientV3::new(ClientV3Options::from_json(options_json)?.into_config()?)
    }
}
