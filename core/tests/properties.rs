//! Properties over arbitrary input (docs/security.md §1, §2, §6).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a test may stop at the first surprise

use proptest::prelude::*;
use wxpay::*;

const KEY: &str = "192006250b4c09247ec02edce69f6a2d";

fn field_name() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_]{1,20}"
}

/// Pieces of JSON, valid and not.
fn json_noise() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop_oneof![
            Just("{"),
            Just("}"),
            Just("\""),
            Just(":"),
            Just(","),
            Just("\\"),
            Just("\\u0041"),
            Just("\\ud800"),
            Just("a"),
            Just("_"),
            Just("0"),
            Just("7"),
            Just("-"),
            Just("."),
            Just("e"),
            Just(" "),
            Just("\n"),
            Just("\t"),
            Just("null"),
            Just("true"),
            Just("[]"),
            Just("中"),
            Just("\u{0}"),
        ]
        .prop_map(String::from),
        0..8,
    )
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

    /// `sign_json` reads compact JSON without serde when it can; the result
    /// must be the map's signature either way (escapes and whitespace force
    /// the serde path, whole numbers are read on both).
    #[test]
    fn sign_json_signs_what_sign_signs(
        m in field_map(),
        numbers in prop::collection::btree_map(field_name(), any::<u64>(), 0..4),
        hmac in any::<bool>(),
    ) {
        let key = ApiKey::new(KEY).unwrap();
        let st = if hmac { SignType::HmacSha256 } else { SignType::Md5 };
        let mut object: serde_json::Map<String, serde_json::Value> =
            m.iter().map(|(k, v)| (k.clone(), v.clone().into())).collect();
        let mut as_text = m.clone();
        for (k, n) in &numbers {
            object.insert(k.clone(), (*n).into());
            as_text.insert(k.clone(), n.to_string());
        }
        let want = sign(&as_text, &key, st).unwrap();
        let value = serde_json::Value::Object(object);
        prop_assert_eq!(&sign_json(&value.to_string(), &key, st).unwrap(), &want);
        prop_assert_eq!(&sign_json(&serde_json::to_string_pretty(&value).unwrap(), &key, st).unwrap(), &want);
    }

    /// On JSON-shaped noise, `sign_json` agrees with the serde reader: it
    /// fails exactly when `params_from_json` does (a name given twice
    /// included, found by `make fuzz`), and otherwise signs the
    /// same map. Most inputs are objects whose names and values are noise,
    /// so both readers get past the braces.
    #[test]
    fn sign_json_never_accepts_what_serde_refuses(parts in prop_oneof![
        json_noise(),
        prop::collection::vec((
            prop_oneof![field_name(), json_noise().prop_map(|p| p.concat())],
            prop_oneof![
                "[0-9]{0,21}".prop_map(String::from),
                "[-+0-9.eE]{0,4}".prop_map(String::from),
                json_noise().prop_map(|p| format!("\"{}\"", p.concat())),
                "[ -~]{0,6}".prop_map(|v| format!("\"{v}\"")),
            ],
        ), 0..5).prop_map(|pairs| {
            let body: Vec<String> = pairs.into_iter().map(|(n, v)| format!("\"{n}\":{v}")).collect();
            vec![format!("{{{}}}", body.join(","))]
        }),
    ]) {
        let json = parts.concat();
        let key = ApiKey::new(KEY).unwrap();
        let fast = sign_json(&json, &key, SignType::Md5);
        let slow = params_from_json(&json).and_then(|p| sign(&p, &key, SignType::Md5));
        match (&fast, &slow) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
            (Err(_), Err(_)) => {}
            // A repeated name is refused by both: neither picks a value.
            (Err(e), Ok(_)) => prop_assert!(false, "{json:?} read, sign_json said {e}"),
            (Ok(_), Err(e)) => prop_assert!(false, "{json:?} signed, serde said {e}"),
        }
    }
}

/// Found by the `requests` fuzz target: a JSON object naming a field twice
/// was read last-wins by `params_from_json` while `sign_json` refused it.
#[test]
fn a_field_named_twice_in_json_is_refused_by_every_reader() {
    let json = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../fuzz/regressions/requests/duplicate-name"
    ))
    .unwrap();
    let json = std::str::from_utf8(&json[1..]).unwrap();
    let key = ApiKey::new(KEY).unwrap();
    let e = params_from_json(json).unwrap_err();
    assert_eq!(e.kind(), wxpay::ErrorKind::InvalidInput);
    assert!(e.to_string().contains("given twice"), "{e}");
    assert!(sign_json(json, &key, SignType::Md5).is_err());
}
