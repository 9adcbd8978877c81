//! The platform certificates as a running client keeps them
//! (docs/protocol.md §19.7, §19.12): downloaded on the first call and
//! every 12 hours, and once more when an answer or a notification names a
//! serial not held — never more than once a minute per process, whatever
//! arrives. The listing is kept in the token store, so a fleet sharing one
//! (Redis, a file store) downloads it once, under the store's lock; every
//! process decrypts it with its own APIv3 key, which is what makes a
//! certificate trustworthy in the first place.
//! WeChat's 404 `RESOURCE_NOT_EXISTS` means a merchant on the WeChat Pay
//! public key, which has no certificates: an empty listing, not a failure.

use super::{signed_headers, ClientV3};
use crate::client::tokens::Fetched;
use crate::error::{Error, Result};
use crate::v3::{platform_certificates, refusal, WechatKey, REFRESH_EVERY_SECONDS};

const PATH: &str = "/v3/certificates";
/// What a public-key merchant's listing holds.
const NO_CERTIFICATES: &str = r#"{"data":[]}"#;

impl ClientV3 {
    /// Downloads the certificates now (within the once-a-minute rule) and
    /// returns whether a download was attempted. Calls do this themselves;
    /// a shop may call it at start-up to fail early on a wrong APIv3 key.
    pub fn refresh_certificates(&self) -> Result<bool> {
        self.keys.refresh(self.now(), || self.certificates(true))
    }

    /// The scheduled download before a call. A failure is the call's only
    /// when nothing is held to verify its answer with; otherwise the keys
    /// held serve, and the failure is reported as an event.
    pub(super) fn scheduled_refresh(&self) -> Result<()> {
        if !self.config.auto_certificates || !self.keys.refresh_due(self.now()) {
            return Ok(());
        }
        match self.keys.refresh(self.now(), || self.certificates(false)) {
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

    /// The certificates of the shared listing; `again`: the listing this
    /// process last read is replaced (an answer named a key it lacks),
    /// unless another process replaced it already.
    pub(super) fn certificates(&self, again: bool) -> Result<Vec<WechatKey>> {
        if !self.config.auto_certificates {
            return Ok(Vec::new());
        }
        if again {
            let last = self
                .last_listing
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone();
            if let Some(last) = last {
                self.listing.invalidate(&last)?;
            }
        }
        let listing = self.listing.get(|| self.download_listing())?;
        *self.last_listing.lock().unwrap_or_else(|p| p.into_inner()) = Some(listing.clone());
        let now = i64::try_from(self.now()).unwrap_or(i64::MAX);
        platform_certificates(&self.apiv3, listing.as_bytes(), now)
    }

    /// `GET /v3/certificates`: each certificate decrypted under the APIv3
    /// key, the listing's own signature verified.
    fn download_listing(&self) -> Result<Fetched> {
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
        let kept = |token: String| Fetched {
            token,
            expires_in: REFRESH_EVERY_SECONDS,
        };
        if reply.status == 404 {
            let e = refusal(reply.status, &reply.body);
            if e.details()["err_code"] == "RESOURCE_NOT_EXISTS" {
                return Ok(kept(NO_CERTIFICATES.to_owned()));
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
        let text = String::from_utf8(reply.body)
            .map_err(|_| Error::bad_reply("the certificate listing is not UTF-8"))?;
        Ok(kept(text))
    }
}
