//! Properties over arbitrary input (security.md C1 #26, C2, C6).

use proptest::prelude::*;
use wxpay::*;

const KEY: &str = "192006250b4c09247ec02edce69f6a2d";

fn field_name() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_]{1,20}"
}

/// Values made of anything XML can carry, with the awkward pieces
/// (`&`, `=`, `<`, `]]>`, CR, CJK, emoji) drawn often.
fn field_value() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just("&".to_string()),
            Just("=".to_string()),
            Just("<".to_string()),
            Just("]]>".to_string()),
            Just("\r\n".to_string()),
            Just("中".to_string()),
            Just("😀".to_string()),
            "[ -~]{1,4}",
            any::<char>()
                .prop_filter("XML character", |c| !c.is_control()
                    || matches!(c, '\t' | '\n' | '\r'))
                .prop_filter("not a non-character", |c| !matches!(
                    *c as u32,
                    0xFFFE | 0xFFFF
                ))
                .prop_map(String::from),
        ],
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

fn field_map() -> impl Strategy<Value = Params> {
    prop::collection::btree_map(field_name(), field_value(), 0..20)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn xml_round_trips(m in field_map()) {
        let xml = to_xml(&m).unwrap();
        prop_assert_eq!(from_xml_with(xml.as_bytes(), &XmlLimits { max_body: usize::MAX, ..Default::default() }).unwrap(), m);
    }

    #[test]
    fn signed_maps_verify_and_any_single_change_breaks_them(
        m in prop::collection::btree_map(field_name(), field_value().prop_filter("non-empty", |v| !v.is_empty()), 1..12),
        hmac in any::<bool>(),
        pick in any::<prop::sample::Index>(),
        extra in "[a-z]{1,3}",
    ) {
        prop_assume!(!m.contains_key("sign") && !m.contains_key("sign_type"));
        let key = ApiKey::new(KEY).unwrap();
        let st = if hmac { SignType::HmacSha256 } else { SignType::Md5 };
        let mut signed = m.clone();
        signed.insert("sign".into(), sign(&m, &key, st).unwrap());
        prop_assert!(verify(&signed, &key, st).is_ok());

        // Change one value.
        let name = pick.get(&m.keys().cloned().collect::<Vec<_>>()).clone();
        let mut changed = signed.clone();
        changed.get_mut(&name).unwrap().push_str(&extra);
        prop_assert_eq!(verify(&changed, &key, st).unwrap_err().kind(), ErrorKind::Signature);

        // Drop one field.
        let mut dropped = signed.clone();
        dropped.remove(&name);
        prop_assert_eq!(verify(&dropped, &key, st).unwrap_err().kind(), ErrorKind::Signature);

        // Add one field.
        let mut added = signed.clone();
        added.insert(format!("{name}_x"), extra.clone());
        prop_assert_eq!(verify(&added, &key, st).unwrap_err().kind(), ErrorKind::Signature);

        // Through XML and back, it still verifies.
        let back = from_xml(to_xml(&signed).unwrap().as_bytes()).unwrap();
        prop_assert!(verify(&back, &key, st).is_ok());
    }

    #[test]
    fn arbitrary_bytes_never_panic_the_readers(data in prop::collection::vec(any::<u8>(), 0..512)) {
        let m = Merchant::new("wxd930ea5d5a258f4f", "10000100", KEY, SignType::Md5).unwrap();
        let _ = from_xml(&data);
        let _ = PaymentNotify::verify(&m, &data);
        let _ = RefundNotify::parse(&m, &data);
        let _ = Bill::parse(&data);
    }

    #[test]
    fn xml_shaped_noise_never_panics(parts in prop::collection::vec(prop_oneof![
        Just("<xml>"), Just("</xml>"), Just("<a>"), Just("</a>"), Just("<![CDATA["), Just("]]>"),
        Just("&amp;"), Just("&#x0;"), Just("&#xD800;"), Just("&"), Just("<!DOCTYPE"), Just("<?xml version=\"1.0\"?>"),
        Just("<!--"), Just("-->"), Just("<a/>"), Just("x"), Just("中"), Just(" "), Just("<b c='1'>"),
    ], 0..40)) {
        let _ = from_xml(parts.concat().as_bytes());
    }
}
