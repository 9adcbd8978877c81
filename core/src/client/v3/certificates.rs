//! The platform certificates as a running client keeps them
//! (docs/protocol.md §19.7, §19.12): downloaded on the first call and
//! every 12 hours, and once more when an answer or a notification names a
//! serial not held — never more than once a minute, whatever arrives.
//! WeChat's 404 `RESOURCE_NOT_EXISTS` means a merchant on the WeChat Pay
//! public key, which has no certificates: an empty list, not a failure.

use super::{signed_headers, ClientV3};
use crate::error::{Error, Result};
use crate::v3::{platform_certificates, refusal, WechatKey};

const PATH: &str = "/v3/certificates";

impl ClientV3 {
    /// Downloads the certificates now (within the once-a-minute rule) and
    /// returns whether a download happened. Calls do this themselves; a
    /// shop may call it at start-up to fail early on a wrong APIv3 key.
    pub fn refresh_certificates(&self) -> Result<bool> {
        self.keys.refresh(self.now(), || self.fetch_certificates())
    }

    /// The scheduled download before a call. A failure is the call's only
    /// when nothing is held to verify its answer with; otherwise the keys
    /// held serve, and the failure is reported as an event.
    pub(super) fn scheduled_refresh(&self) -> Result<()> {
        if !self.config.auto_certificates || !self.keys.refresh_due(self.now()) {
            return Ok(());
        }
        match self.refresh_certificates() {
            Ok(_) => Ok(()),
            Err(e) if !self.keys.is_empty() => {
                crate::events::emit(
                    crate::events::Level::Warning,
                    "certificates",
                    format!("the platform certificates were not refreshed: {e}"),
                    &[("kind", e.kind().as_str().to_owned())],
                );
                Ok(())
            }
            Err(e) => Err(e),
        }
    }

    /// `GET /v3/certificates`: each certificate decrypted under the APIv3
    /// key, the listing's own signature verified.
    pub(super) fn fetch_certificates(&self) -> Result<Vec<WechatKey>> {
        if !self.config.auto_certificates {
            return Ok(Vec::new());
        }
        let mut budget = self.budget();
        let reply = self.exchange(
            PATH,
            None,
            "v3/certificates",
            super::MAX_ANSWER,
            &mut budget,
            |r| match r.status {
                200..=299 | 404 => Ok(()),
                status => Err(refusal(status, &r.body)),
            },
        )?;
        if reply.status == 404 {
            let e = refusal(reply.status, &reply.body);
            if e.details()["err_code"] == "RESOURCE_NOT_EXISTS" {
                return Ok(Vec::new());
            }
            return Err(e);
        }
        let now = self.now();
        let listed = platform_certificates(
            &self.apiv3,
            &reply.body,
            i64::try_from(now).unwrap_or(i64::MAX),
        )?;
        if listed.is_empty() {
            return Err(Error::bad_reply(
                "WeChat listed no platform certificate valid now",
            ));
        }
        self.keys
            .verify_listing(&signed_headers(&reply)?, &reply.body, now, &listed)?;
        Ok(listed)
    }
}
