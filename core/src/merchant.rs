//! The merchant identity every pay request is signed with, and the common
//! envelope of every pay API: building a signed request, and walking a
//! reply down the return_code → signature → appid/mch_id → result_code
//! ladder.

use std::fmt;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::params::Params;
use crate::reply_fields::{check_result_code, check_return_code};
use crate::sign::{self, ApiKey, SignType};
use crate::xml::{self, XmlLimits};

/// appid + mch_id + API key + the sign type used for new requests.
///
/// `Debug` never shows the API key.
///
/// ```
/// use wxpay::{Merchant, SignType};
/// let m = Merchant::new("wxd930ea5d5a258f4f", "10000100",
///                       "192006250b4c09247ec02edce69f6a2d", SignType::Md5).unwrap();
/// assert!(!format!("{m:?}").contains("192006250b4c"));
/// ```
#[derive(Clone)]
pub struct Merchant {
    appid: String,
    mch_id: String,
    key: ApiKey,
    sign_type: SignType,
}

impl fmt::Debug for Merchant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Merchant")
            .field("appid", &self.appid)
            .field("mch_id", &self.mch_id)
            .field("api_key", &self.key)
            .field("sign_type", &self.sign_type)
            .finish()
    }
}

/// A request ready to POST: the signed fields and their XML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedRequest {
    /// Every field sent, `sign` included.
    pub fields: Params,
    /// The body to POST.
    pub xml: String,
    /// The algorithm the reply must be verified with.
    pub sign_type: SignType,
}

impl Merchant {
    /// Checks and keeps the merchant's identity.
    ///
    /// `appid` and `mch_id` must be non-empty `[A-Za-z0-9_]` of at most 32
    /// bytes; `api_key` must be 32 bytes of printable ASCII.
    pub fn new(appid: &str, mch_id: &str, api_key: &str, sign_type: SignType) -> Result<Self> {
        for (name, value) in [("appid", appid), ("mch_id", mch_id)] {
            if value.is_empty()
                || value.len() > 32
                || !value
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_')
            {
                return Err(Error::config(format!(
                    "{name} must be 1-32 characters of A-Z, a-z, 0-9 and _"
                )));
            }
        }
        Ok(Merchant {
            appid: appid.to_owned(),
            mch_id: mch_id.to_owned(),
            key: ApiKey::new(api_key)?,
            sign_type,
        })
    }

    /// The official-account (or app) appid.
    pub fn appid(&self) -> &str {
        &self.appid
    }

    /// The merchant number.
    pub fn mch_id(&self) -> &str {
        &self.mch_id
    }

    /// The sign type used for new requests.
    pub fn sign_type(&self) -> SignType {
        self.sign_type
    }

    /// The API key, for signing front-end parameters and decrypting refund
    /// notifications.
    pub fn api_key(&self) -> &ApiKey {
        &self.key
    }

    /// Adds `appid`, `mch_id`, `nonce_str` and `sign_type` to `fields`, signs
    /// them and writes the XML.
    ///
    /// The caller's fields may not set those envelope fields themselves.
    pub fn sign_request(&self, mut fields: Params, clock: &dyn Clock) -> Result<SignedRequest> {
        for reserved in ["appid", "mch_id", "nonce_str", "sign", "sign_type"] {
            if fields.contains_key(reserved) {
                return Err(Error::invalid(
                    reserved,
                    "is filled in by wxpay and may not be passed",
                ));
            }
        }
        let nonce = clock.nonce();
        if nonce.is_empty() || nonce.len() > 32 {
            return Err(Error::config("the clock's nonce must be 1-32 characters"));
        }
        fields.insert("appid".into(), self.appid.clone());
        fields.insert("mch_id".into(), self.mch_id.clone());
        fields.insert("nonce_str".into(), nonce);
        fields.insert("sign_type".into(), self.sign_type.as_str().into());
        let signature = sign::sign(&fields, &self.key, self.sign_type)?;
        fields.insert("sign".into(), signature);
        let xml = xml::to_xml(&fields)?;
        Ok(SignedRequest {
            fields,
            xml,
            sign_type: self.sign_type,
        })
    }

    /// Reads a pay API reply and walks the ladder:
    ///
    /// 1. well-formed, hardened XML (`Xml`);
    /// 2. `return_code` must be `SUCCESS` (else `Protocol` with `return_msg`);
    /// 3. the signature must verify with `sign_type` (`Signature`);
    /// 4. `appid` and `mch_id`, when echoed, must be ours (`Mismatch`);
    /// 5. `result_code` must be `SUCCESS` (else `Business` with `err_code`).
    ///
    /// Returns the verified raw fields.
    pub fn check_reply(&self, body: &[u8], sign_type: SignType) -> Result<Params> {
        let fields = self.check_reply_signed(body, sign_type)?;
        check_result_code(&fields)?;
        Ok(fields)
    }

    /// Steps 1-4 of [`Merchant::check_reply`]: for replies whose
    /// `result_code=FAIL` carries an answer the caller wants (e.g. closeorder's
    /// `ORDERCLOSED`).
    pub fn check_reply_signed(&self, body: &[u8], sign_type: SignType) -> Result<Params> {
        let fields = xml::from_xml_with(body, &XmlLimits::reply())?;
        check_return_code(&fields)?;
        sign::verify(&fields, &self.key, sign_type)?;
        self.check_identity(&fields)?;
        Ok(fields)
    }

    /// appid and mch_id, when present, must be this merchant's.
    pub(crate) fn check_identity(&self, fields: &Params) -> Result<()> {
        for (name, ours) in [("appid", &self.appid), ("mch_id", &self.mch_id)] {
            if let Some(theirs) = fields.get(name) {
                if theirs != ours {
                    return Err(Error::mismatch(
                        name,
                        ours.as_str(),
                        crate::message::truncate_for_message(theirs),
                    ));
                }
            }
        }
        Ok(())
    }
}
