//! The merchant identity every pay request is signed with, and the common
//! envelope of every pay API: building a signed request, and walking a
//! reply down the return_code → signature → appid/mch_id → result_code
//! ladder. A service provider's calls for one of its sub-merchants carry
//! the sub-merchant's identity ([`SubMerchant`], docs/protocol.md §15).

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
    sub: Option<SubMerchant>,
}

/// The sub-merchant a service provider calls for (服务商模式): its
/// `sub_mch_id` and, when the buyer pays in the sub-merchant's own official
/// account or mini-program, that `sub_appid`.
///
/// Requests stay signed with the provider's appid, mch_id and API key; the
/// sub-merchant's own key is never used.
///
/// ```
/// use wxpay::{Merchant, SignType, SubMerchant};
/// let provider = Merchant::new("wx8888888888888888", "1900000100",
///                              "192006250b4c09247ec02edce69f6a2d", SignType::Md5).unwrap();
/// let shop = provider.for_sub_merchant(SubMerchant::new("1900000109", Some("wx1111111111111111")).unwrap());
/// assert_eq!(shop.pay_appid(), "wx1111111111111111");
/// assert!(SubMerchant::new("1900000109 ", None).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SubMerchant {
    sub_mch_id: String,
    sub_appid: Option<String>,
}

impl SubMerchant {
    /// Checks both as WeChat writes them: 1-32 of `[A-Za-z0-9_]`. An empty
    /// `sub_appid` is the same as none.
    pub fn new(sub_mch_id: &str, sub_appid: Option<&str>) -> Result<Self> {
        identity_field("sub_mch_id", sub_mch_id).map_err(input)?;
        let sub_appid = sub_appid.filter(|a| !a.is_empty());
        if let Some(appid) = sub_appid {
            identity_field("sub_appid", appid).map_err(input)?;
        }
        Ok(SubMerchant {
            sub_mch_id: sub_mch_id.to_owned(),
            sub_appid: sub_appid.map(str::to_owned),
        })
    }

    /// The sub-merchant's number.
    pub fn sub_mch_id(&self) -> &str {
        &self.sub_mch_id
    }

    /// The sub-merchant's official account or mini-program, when given.
    pub fn sub_appid(&self) -> Option<&str> {
        self.sub_appid.as_deref()
    }
}

/// `(field, message)` when `value` is not 1-32 of `[A-Za-z0-9_]`.
fn identity_field(
    name: &'static str,
    value: &str,
) -> std::result::Result<(), (&'static str, String)> {
    if value.is_empty()
        || value.len() > 32
        || !value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        return Err((
            name,
            format!("{name} must be 1-32 characters of A-Z, a-z, 0-9 and _"),
        ));
    }
    Ok(())
}

fn input((name, message): (&'static str, String)) -> Error {
    Error::invalid(name, message)
}

impl fmt::Debug for Merchant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Merchant")
            .field("appid", &self.appid)
            .field("mch_id", &self.mch_id)
            .field("api_key", &self.key)
            .field("sign_type", &self.sign_type)
            .field("sub_merchant", &self.sub)
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
            identity_field(name, value).map_err(|(_, m)| Error::config(m))?;
        }
        Ok(Merchant {
            appid: appid.to_owned(),
            mch_id: mch_id.to_owned(),
            key: ApiKey::new(api_key)?,
            sign_type,
            sub: None,
        })
    }

    /// This service provider calling for `sub`: every request it signs
    /// carries `sub_mch_id` (and `sub_appid`), and every reply must echo
    /// them.
    pub fn for_sub_merchant(&self, sub: SubMerchant) -> Merchant {
        Merchant {
            sub: Some(sub),
            ..self.clone()
        }
    }

    /// The same merchant signing with `sign_type`: for the APIs that take
    /// only one (downloadfundflow and profit sharing want HMAC-SHA256).
    pub fn with_sign_type(&self, sign_type: SignType) -> Merchant {
        Merchant {
            sign_type,
            ..self.clone()
        }
    }

    /// The sub-merchant this identity calls for, if any.
    pub fn sub_merchant(&self) -> Option<&SubMerchant> {
        self.sub.as_ref()
    }

    /// The appid the buyer's page pays under, which front-end pay params
    /// are signed with: the sub-merchant's `sub_appid` when one is given,
    /// otherwise this merchant's appid (docs/protocol.md §15.3).
    pub fn pay_appid(&self) -> &str {
        self.sub
            .as_ref()
            .and_then(|s| s.sub_appid.as_deref())
            .unwrap_or(&self.appid)
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

    /// Adds `appid`, `mch_id`, `nonce_str` and `sign_type` (and a
    /// sub-merchant's `sub_mch_id` and `sub_appid`) to `fields`, signs them
    /// and writes the XML.
    ///
    /// The caller's fields may not set those envelope fields themselves.
    pub fn sign_request(&self, fields: Params, clock: &dyn Clock) -> Result<SignedRequest> {
        self.sign_request_with(fields, clock, Envelope::FULL)
    }

    /// [`Merchant::sign_request`] with only the envelope fields `envelope`
    /// allows: some APIs' request tables have no `appid` or `sub_appid`,
    /// and WeChat refuses what they do not list.
    pub(crate) fn sign_request_with(
        &self,
        mut fields: Params,
        clock: &dyn Clock,
        envelope: Envelope,
    ) -> Result<SignedRequest> {
        for reserved in [
            "appid",
            "mch_id",
            "nonce_str",
            "sign",
            "sign_type",
            "sub_mch_id",
            "sub_appid",
        ] {
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
        if envelope.appid {
            fields.insert("appid".into(), self.appid.clone());
        }
        fields.insert("mch_id".into(), self.mch_id.clone());
        if let Some(sub) = &self.sub {
            fields.insert("sub_mch_id".into(), sub.sub_mch_id.clone());
            if let (Some(appid), true) = (&sub.sub_appid, envelope.sub_appid) {
                fields.insert("sub_appid".into(), appid.clone());
            }
        }
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

    /// appid and mch_id, when present, must be this merchant's. Calling
    /// for a sub-merchant, the message must name that sub-merchant too
    /// (and its sub_appid, when both sides have one): a provider's replies
    /// all carry `sub_mch_id`, and one about another sub-merchant's order
    /// is not an answer to this call.
    pub(crate) fn check_identity(&self, fields: &Params) -> Result<()> {
        let mismatch = |name: &str, ours: &str, theirs: &str| {
            Error::mismatch(name, ours, crate::message::truncate_for_message(theirs))
        };
        for (name, ours) in [("appid", &self.appid), ("mch_id", &self.mch_id)] {
            if let Some(theirs) = fields.get(name) {
                if theirs != ours {
                    return Err(mismatch(name, ours, theirs));
                }
            }
        }
        if let Some(sub) = &self.sub {
            let theirs = fields.get("sub_mch_id").map(String::as_str).unwrap_or("");
            if theirs != sub.sub_mch_id {
                return Err(mismatch("sub_mch_id", &sub.sub_mch_id, theirs));
            }
            if let (Some(ours), Some(theirs)) = (&sub.sub_appid, fields.get("sub_appid")) {
                if !theirs.is_empty() && theirs != ours {
                    return Err(mismatch("sub_appid", ours, theirs));
                }
            }
        }
        Ok(())
    }
}

/// Which optional envelope fields a request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Envelope {
    /// The merchant's `appid`.
    pub appid: bool,
    /// A sub-merchant's `sub_appid`, when it has one.
    pub sub_appid: bool,
}

impl Envelope {
    /// Both, as most APIs take them.
    pub const FULL: Envelope = Envelope {
        appid: true,
        sub_appid: true,
    };
    /// Neither (the profit-sharing query and order-amount query).
    pub const NO_APPIDS: Envelope = Envelope {
        appid: false,
        sub_appid: false,
    };
    /// The appid but no sub_appid (the profit-sharing finish).
    pub const NO_SUB_APPID: Envelope = Envelope {
        appid: true,
        sub_appid: false,
    };
}
