//! API v3 notifications (docs/protocol.md §19.6): the headers and the raw
//! body verified first, then the envelope read and its resource decrypted.
//! Nothing in a notification is looked at before its signature verified.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::aead::ApiV3Key;
use super::verifier::{SignedHeaders, Verifier};
use crate::error::{Error, Result};

/// The largest notification body read (WeChat's are a few KiB).
pub const MAX_NOTIFICATION_BYTES: usize = 64 * 1024;

#[derive(Deserialize)]
struct Envelope {
    id: String,
    #[serde(default)]
    create_time: String,
    event_type: String,
    #[serde(default)]
    resource_type: String,
    #[serde(default)]
    summary: String,
    resource: Resource,
}

#[derive(Deserialize)]
struct Resource {
    algorithm: String,
    ciphertext: String,
    #[serde(default)]
    associated_data: String,
    nonce: String,
    #[serde(default)]
    original_type: String,
}

/// A verified, decrypted notification.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Notification {
    /// WeChat's id of the notification (the same for each delivery of it).
    pub id: String,
    /// When WeChat created it (RFC 3339).
    pub create_time: String,
    /// `TRANSACTION.SUCCESS`, `REFUND.SUCCESS`, `REFUND.ABNORMAL`,
    /// `REFUND.CLOSED`, …
    pub event_type: String,
    /// `encrypt-resource`.
    pub resource_type: String,
    /// WeChat's words (`支付成功`).
    pub summary: String,
    /// What the resource was before encryption (`transaction`, `refund`).
    pub original_type: String,
    /// The decrypted resource, as JSON.
    pub resource: Value,
}

impl Notification {
    /// Verifies `body` (the raw bytes of the POST) against `headers` with
    /// `verifier` at `now`, then decrypts its resource with `key`.
    ///
    /// A body that does not verify is refused before it is read; a body
    /// that verifies but is not a notification is a `Protocol` error.
    pub fn parse(
        verifier: &Verifier,
        key: &ApiV3Key,
        headers: &SignedHeaders,
        body: &[u8],
        now: u64,
    ) -> Result<Notification> {
        if body.len() > MAX_NOTIFICATION_BYTES {
            return Err(Error::bad_reply("the notification is larger than 64 KiB"));
        }
        verifier.verify(headers, body, now)?;
        Notification::open(key, body)
    }

    /// The envelope and decrypted resource of a body whose signature was
    /// already checked (by a [`super::KeyStore`], which may fetch keys).
    pub(crate) fn open(key: &ApiV3Key, body: &[u8]) -> Result<Notification> {
        if body.len() > MAX_NOTIFICATION_BYTES {
            return Err(Error::bad_reply("the notification is larger than 64 KiB"));
        }
        if crate::json_depth::too_deep(body) {
            return Err(Error::bad_reply("the notification nests too deep"));
        }
        let envelope: Envelope = serde_json::from_slice(body).map_err(|e| {
            Error::bad_reply(format!("the notification is not WeChat's envelope: {e}"))
        })?;
        if envelope.resource.algorithm != "AEAD_AES_256_GCM" {
            return Err(Error::bad_reply(format!(
                "the resource is encrypted with {:?}, not AEAD_AES_256_GCM",
                crate::message::truncate_for_message(&envelope.resource.algorithm)
            )));
        }
        let r = &envelope.resource;
        let plain = key.decrypt(&r.nonce, &r.associated_data, &r.ciphertext)?;
        if crate::json_depth::too_deep(&plain) {
            return Err(Error::bad_reply("the resource nests too deep"));
        }
        let resource: Value = serde_json::from_slice(&plain)
            .map_err(|_| Error::bad_reply("the decrypted resource is not JSON"))?;
        if !resource.is_object() {
            return Err(Error::bad_reply(
                "the decrypted resource is not a JSON object",
            ));
        }
        Ok(Notification {
            id: envelope.id,
            create_time: envelope.create_time,
            event_type: envelope.event_type,
            resource_type: envelope.resource_type,
            summary: envelope.summary,
            original_type: envelope.resource.original_type,
            resource,
        })
    }
}

/// What to answer a notification with: the HTTP status and body. `None`
/// (handled) is 204 with no body; a notification that did not verify or
/// decrypt is 401, one the shop could not handle 500, each with
/// `{"code":"FAIL","message":…}` — WeChat then delivers it again.
///
/// ```
/// assert_eq!(wxpay::v3::notification_answer(None), (204, String::new()));
/// let forged = wxpay::v3::SignedHeaders::default();
/// let e = wxpay::v3::Verifier::new().verify(&forged, b"{}", 0).unwrap_err();
/// let (status, body) = wxpay::v3::notification_answer(Some(&e));
/// assert_eq!(status, 401);
/// assert_eq!(body, r#"{"code":"FAIL","message":"签名验证失败"}"#);
/// ```
pub fn notification_answer(error: Option<&Error>) -> (u16, String) {
    let Some(e) = error else {
        return (204, String::new());
    };
    let (status, message) = match e.kind() {
        crate::ErrorKind::Signature => (401, "签名验证失败"),
        _ => (500, "处理失败"),
    };
    (
        status,
        serde_json::json!({"code": "FAIL", "message": message}).to_string(),
    )
}
