//! Native payment mode one (docs/protocol.md §16): a QR code printed once
//! for a product, on a shelf or a vending machine. The payer scans it,
//! WeChat calls the shop's scan callback URL (set in the merchant platform)
//! with the payer's openid and the product, the shop places the order
//! (unifiedorder, `trade_type` NATIVE) and answers with a signed reply
//! carrying its `prepay_id`; the payment result then arrives as an ordinary
//! payment notification.
//!
//! Everything here is signed MD5 whatever the merchant's default: the QR
//! link and the scan callback carry no `sign_type`, and WeChat reads them
//! as MD5.

use serde::Serialize;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::merchant::{Merchant, SignedRequest};
use crate::params::Params;
use crate::reply_fields::{check_return_code, required};
use crate::sign::{self, SignType};
use crate::xml::{self, XmlLimits};

/// A product id as the QR link carries it: 1-32 of `[0-9A-Za-z_-]`, so the
/// link needs no percent-encoding and what is signed is what is sent.
fn check_product_id(product_id: &str) -> Result<()> {
    if product_id.is_empty()
        || product_id.len() > 32
        || !product_id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        return Err(Error::invalid(
            "product_id",
            "must be 1-32 of letters, digits, _ and -",
        ));
    }
    Ok(())
}

/// The link of a mode-one QR code for `product_id`:
/// `weixin://wxpay/bizpayurl?appid=…&mch_id=…&nonce_str=…&product_id=…&time_stamp=…&sign=…`,
/// signed MD5 over the other five parameters.
///
/// ```
/// use wxpay::{native_qr_link, FixedClock, Merchant, SignType};
/// let m = Merchant::new("wx2421b1c4370ec43b", "10000100",
///     "192006250b4c09247ec02edce69f6a2d", SignType::HmacSha256).unwrap();
/// let clock = FixedClock::new(1414488825, "5K8264ILTKCH16CQ2502SI8ZNMTM67VS");
/// let link = native_qr_link(&m, "88888", &clock).unwrap();
/// assert!(link.ends_with("&sign=DFA7796DC03E3B44CE24FC7483D0CE32"));
/// ```
pub fn native_qr_link(merchant: &Merchant, product_id: &str, clock: &dyn Clock) -> Result<String> {
    check_product_id(product_id)?;
    if merchant.sub_merchant().is_some() {
        return Err(Error::invalid(
            "sub_mch_id",
            "a mode-one QR code is the merchant's own: WeChat names no sub-merchant in it",
        ));
    }
    let nonce = crate::clock::checked_nonce(clock)?;
    let fields = Params::from([
        ("appid".to_string(), merchant.appid().to_owned()),
        ("mch_id".to_string(), merchant.mch_id().to_owned()),
        ("nonce_str".to_string(), nonce),
        ("product_id".to_string(), product_id.to_owned()),
        ("time_stamp".to_string(), clock.now_unix().to_string()),
    ]);
    let signature = sign::sign(&fields, merchant.api_key(), SignType::Md5)?;
    let query: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .chain(std::iter::once(format!("sign={signature}")))
        .collect();
    Ok(format!("weixin://wxpay/bizpayurl?{}", query.join("&")))
}

/// `tools/shorturl`: a long `weixin://` link (a mode-one QR link) made
/// short enough for a small QR code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortUrl {
    /// The link to shorten, signed and sent as it is.
    pub long_url: String,
}

impl ShortUrl {
    /// Validates, adds the envelope and signs.
    pub fn sign(&self, merchant: &Merchant, clock: &dyn Clock) -> Result<SignedRequest> {
        if !self.long_url.starts_with("weixin://") || self.long_url.len() > 512 {
            return Err(Error::invalid(
                "long_url",
                "must be a weixin:// link of at most 512 bytes",
            ));
        }
        if self
            .long_url
            .bytes()
            .any(|b| b.is_ascii_control() || b == b' ')
        {
            return Err(Error::invalid(
                "long_url",
                "may not hold spaces or control characters",
            ));
        }
        let f = Params::from([("long_url".to_string(), self.long_url.clone())]);
        merchant.sign_request(f, clock)
    }

    /// The `weixin://wxpay/s/…` link of a verified reply.
    pub fn parse(merchant: &Merchant, request: &SignedRequest, body: &[u8]) -> Result<String> {
        let raw = merchant.check_reply(body, request.sign_type)?;
        let short = required(&raw, "short_url")?;
        let code = short.strip_prefix("weixin://wxpay/s/").unwrap_or("");
        if code.is_empty()
            || short.len() > 64
            || !code
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return Err(Error::bad_reply(
                "shorturl: short_url is not a weixin://wxpay/s/ link",
            ));
        }
        Ok(short.to_owned())
    }
}

/// A verified scan callback: who scanned which product's QR code.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScanCallback {
    /// The payer, under the merchant's appid: pass it to unifiedorder.
    pub openid: String,
    /// The product of the QR code: pass it to unifiedorder too.
    pub product_id: String,
    /// Whether the payer follows the merchant's official account.
    pub is_subscribe: bool,
    /// Every verified field.
    pub raw: Params,
}

impl ScanCallback {
    /// Verifies a scan callback body: hardened XML, the MD5 signature over
    /// every received field (the callback carries no `sign_type`), this
    /// merchant's `appid` and `mch_id`, and an `openid` and `product_id` in
    /// WeChat's formats.
    ///
    /// ```
    /// use wxpay::{sign, ApiKey, Merchant, Params, ScanCallback, SignType};
    /// let m = Merchant::new("wx2421b1c4370ec43b", "10000100",
    ///     "192006250b4c09247ec02edce69f6a2d", SignType::HmacSha256).unwrap();
    /// let mut p = Params::from([("appid".into(), "wx2421b1c4370ec43b".into()),
    ///     ("mch_id".into(), "10000100".into()), ("openid".into(), "o8GeHuLAsgefS_80exEr1cTqekUs".into()),
    ///     ("is_subscribe".into(), "N".into()), ("nonce_str".into(), "5K8264ILTKCH16CQ".into()),
    ///     ("product_id".into(), "88888".into())]);
    /// p.insert("sign".into(), sign(&p, m.api_key(), SignType::Md5).unwrap());
    /// let scan = ScanCallback::verify(&m, wxpay::to_xml(&p).unwrap().as_bytes()).unwrap();
    /// assert_eq!(scan.product_id, "88888");
    /// ```
    pub fn verify(merchant: &Merchant, body: &[u8]) -> Result<Self> {
        let raw = xml::from_xml_with(body, &XmlLimits::default())?;
        if raw.contains_key("return_code") {
            check_return_code(&raw)?;
        }
        sign::verify(&raw, merchant.api_key(), SignType::Md5)?;
        for name in ["appid", "mch_id"] {
            required(&raw, name)?;
        }
        merchant.check_identity(&raw)?;
        let openid = required(&raw, "openid")?;
        if openid.len() > 128
            || !openid
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        {
            return Err(Error::bad_reply(
                "scan callback: the openid is not in WeChat's format",
            ));
        }
        let product_id = required(&raw, "product_id")?;
        check_product_id(product_id).map_err(|_| {
            Error::bad_reply("scan callback: product_id is not a product id of a QR link")
        })?;
        let is_subscribe = match raw.get("is_subscribe").map(String::as_str) {
            Some("Y") => true,
            Some("N") | None => false,
            Some(_) => {
                return Err(Error::bad_reply(
                    "scan callback: is_subscribe is neither Y nor N",
                ))
            }
        };
        Ok(ScanCallback {
            openid: openid.to_owned(),
            product_id: product_id.to_owned(),
            is_subscribe,
            raw,
        })
    }
}

/// The signed answer to a scan callback: the `prepay_id` of the order the
/// shop placed for it (`result_code` SUCCESS), or, with `prepay_id` `None`,
/// a refusal whose `message` WeChat shows the payer (`result_code` FAIL,
/// `err_code_des`). Signed MD5 over every non-empty field.
///
/// ```
/// use wxpay::{native_scan_reply, verify, from_xml, FixedClock, Merchant, SignType};
/// let m = Merchant::new("wx2421b1c4370ec43b", "10000100",
///     "192006250b4c09247ec02edce69f6a2d", SignType::HmacSha256).unwrap();
/// let clock = FixedClock::new(0, "ibuaiVcKdpRxkhJA");
/// let xml = native_scan_reply(&m, Some("wx201410272009395522657a690389285100"), "", &clock).unwrap();
/// let fields = from_xml(xml.as_bytes()).unwrap();
/// assert_eq!(fields["sign"], "C0FD5473FF0F4E9351534390599D958F");
/// ```
pub fn native_scan_reply(
    merchant: &Merchant,
    prepay_id: Option<&str>,
    message: &str,
    clock: &dyn Clock,
) -> Result<String> {
    let mut fields = Params::from([
        ("return_code".to_string(), "SUCCESS".to_string()),
        ("appid".to_string(), merchant.appid().to_owned()),
        ("mch_id".to_string(), merchant.mch_id().to_owned()),
    ]);
    match prepay_id {
        Some(id) => {
            if id.is_empty()
                || id.len() > 64
                || !id
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            {
                return Err(Error::invalid(
                    "prepay_id",
                    "must be the 1-64 characters unifiedorder gave",
                ));
            }
            if !message.is_empty() {
                return Err(Error::invalid(
                    "message",
                    "is for a refusal: leave it out with a prepay_id",
                ));
            }
            fields.insert("prepay_id".into(), id.to_owned());
            fields.insert("result_code".into(), "SUCCESS".into());
        }
        None => {
            if message.trim().is_empty() || message.chars().count() > 128 {
                return Err(Error::invalid(
                    "message",
                    "a refusal needs 1-128 characters to show the payer",
                ));
            }
            fields.insert("result_code".into(), "FAIL".into());
            fields.insert("err_code_des".into(), message.to_owned());
        }
    }
    fields.insert("nonce_str".into(), crate::clock::checked_nonce(clock)?);
    let signature = sign::sign(&fields, merchant.api_key(), SignType::Md5)?;
    fields.insert("sign".into(), signature);
    xml::to_xml(&fields)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::merchant::SubMerchant;

    const KEY: &str = "192006250b4c09247ec02edce69f6a2d";

    fn merchant() -> Merchant {
        Merchant::new("wx2421b1c4370ec43b", "10000100", KEY, SignType::HmacSha256).unwrap()
    }

    fn callback(fields: &[(&str, &str)], sign_with: Option<SignType>) -> Vec<u8> {
        let mut p: Params = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        if let Some(t) = sign_with {
            let key = crate::sign::ApiKey::new(KEY).unwrap();
            p.insert("sign".into(), sign::sign(&p, &key, t).unwrap());
        }
        xml::to_xml(&p).unwrap().into_bytes()
    }

    const SCAN: &[(&str, &str)] = &[
        ("appid", "wx2421b1c4370ec43b"),
        ("mch_id", "10000100"),
        ("openid", "o8GeHuLAsgefS_80exEr1cTqekUs"),
        ("is_subscribe", "Y"),
        ("nonce_str", "5K8264ILTKCH16CQ"),
        ("product_id", "88888"),
    ];

    #[test]
    fn the_qr_link_is_signed_md5_over_its_five_parameters() {
        let clock = FixedClock::new(1414488825, "5K8264ILTKCH16CQ2502SI8ZNMTM67VS");
        let link = native_qr_link(&merchant(), "88888", &clock).unwrap();
        assert_eq!(
            link,
            "weixin://wxpay/bizpayurl?appid=wx2421b1c4370ec43b&mch_id=10000100\
             &nonce_str=5K8264ILTKCH16CQ2502SI8ZNMTM67VS&product_id=88888\
             &time_stamp=1414488825&sign=DFA7796DC03E3B44CE24FC7483D0CE32"
        );
    }

    #[test]
    fn a_product_id_that_would_need_encoding_is_refused() {
        let clock = FixedClock::new(1, "n");
        for bad in ["", "a b", "a&sign=1", "产品", &"x".repeat(33)] {
            let e = native_qr_link(&merchant(), bad, &clock).unwrap_err();
            assert_eq!(e.kind(), crate::ErrorKind::InvalidInput, "{bad}");
        }
        let sub = merchant().for_sub_merchant(SubMerchant::new("1900000109", None).unwrap());
        assert!(native_qr_link(&sub, "88888", &clock).is_err());
    }

    #[test]
    fn the_scan_callback_is_verified_md5_and_read() {
        let m = merchant();
        let scan = ScanCallback::verify(&m, &callback(SCAN, Some(SignType::Md5))).unwrap();
        assert_eq!(scan.openid, "o8GeHuLAsgefS_80exEr1cTqekUs");
        assert_eq!(scan.product_id, "88888");
        assert!(scan.is_subscribe);
    }

    #[test]
    fn a_scan_callback_unsigned_forged_or_for_another_merchant_is_refused() {
        let m = merchant();
        let kind = |body: &[u8]| ScanCallback::verify(&m, body).unwrap_err().kind();
        assert_eq!(kind(&callback(SCAN, None)), crate::ErrorKind::Signature);
        assert_eq!(
            kind(&callback(SCAN, Some(SignType::HmacSha256))),
            crate::ErrorKind::Signature
        );
        let mut other = SCAN.to_vec();
        other[1] = ("mch_id", "10000999");
        assert_eq!(
            kind(&callback(&other, Some(SignType::Md5))),
            crate::ErrorKind::Mismatch
        );
        let mut tampered = String::from_utf8(callback(SCAN, Some(SignType::Md5))).unwrap();
        tampered = tampered.replace("88888", "88889");
        assert_eq!(kind(tampered.as_bytes()), crate::ErrorKind::Signature);
        let no_product: Vec<_> = SCAN
            .iter()
            .copied()
            .filter(|(k, _)| *k != "product_id")
            .collect();
        assert_eq!(
            kind(&callback(&no_product, Some(SignType::Md5))),
            crate::ErrorKind::Protocol
        );
        let doctype = b"<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><xml><openid>&e;</openid></xml>";
        assert_eq!(kind(doctype), crate::ErrorKind::Xml);
    }

    #[test]
    fn the_scan_reply_matches_the_official_vector_and_a_refusal_is_signed_too() {
        let m = merchant();
        let clock = FixedClock::new(0, "ibuaiVcKdpRxkhJA");
        let ok = native_scan_reply(&m, Some("wx201410272009395522657a690389285100"), "", &clock)
            .unwrap();
        let f = xml::from_xml(ok.as_bytes()).unwrap();
        assert_eq!(f["sign"], "C0FD5473FF0F4E9351534390599D958F");
        let refused = native_scan_reply(&m, None, "已售罄", &clock).unwrap();
        let f = xml::from_xml(refused.as_bytes()).unwrap();
        assert_eq!(f["result_code"], "FAIL");
        assert_eq!(f["err_code_des"], "已售罄");
        assert!(!f.contains_key("prepay_id"));
        sign::verify(&f, m.api_key(), SignType::Md5).unwrap();
        assert!(native_scan_reply(&m, None, "", &clock).is_err());
        assert!(native_scan_reply(&m, Some("wx1"), "also a message", &clock).is_err());
        assert!(native_scan_reply(&m, Some("bad id"), "", &clock).is_err());
    }

    #[test]
    fn short_url_signs_the_raw_link_and_checks_the_answer() {
        let m = Merchant::new("wx2421b1c4370ec43b", "10000100", KEY, SignType::Md5).unwrap();
        let long = "weixin://wxpay/bizpayurl?sign=XXXXX&appid=wx2421b1c4370ec43b&mch_id=10000100\
                    &product_id=88888&time_stamp=1414488825&nonce_str=5K8264ILTKCH16CQ2502SI8ZNMTM67VS";
        let req = ShortUrl {
            long_url: long.into(),
        }
        .sign(&m, &FixedClock::new(0, "1add1a30ac87aa2db72f57a2375d8fec"))
        .unwrap();
        // The official vector signs without sign_type; ours carries it.
        let mut without = req.fields.clone();
        without.remove("sign");
        without.remove("sign_type");
        assert_eq!(
            sign::sign(&without, m.api_key(), SignType::Md5).unwrap(),
            "39709B36D95CA36CEE91E1A49EE19320"
        );
        assert_eq!(req.fields["long_url"], long);
        let reply = |short: &str| {
            let mut p = Params::from([
                ("return_code".to_string(), "SUCCESS".to_string()),
                ("result_code".to_string(), "SUCCESS".to_string()),
                ("appid".to_string(), "wx2421b1c4370ec43b".to_string()),
                ("mch_id".to_string(), "10000100".to_string()),
                ("nonce_str".to_string(), "abc".to_string()),
                ("short_url".to_string(), short.to_string()),
            ]);
            p.insert(
                "sign".into(),
                sign::sign(&p, m.api_key(), SignType::Md5).unwrap(),
            );
            xml::to_xml(&p).unwrap()
        };
        assert_eq!(
            ShortUrl::parse(&m, &req, reply("weixin://wxpay/s/An4baqw").as_bytes()).unwrap(),
            "weixin://wxpay/s/An4baqw"
        );
        assert!(ShortUrl::parse(&m, &req, reply("https://evil.example/").as_bytes()).is_err());
        for bad in ["http://x", "weixin://a b"] {
            assert!(ShortUrl {
                long_url: bad.into()
            }
            .sign(&m, &FixedClock::new(0, "n"))
            .is_err());
        }
    }
}
