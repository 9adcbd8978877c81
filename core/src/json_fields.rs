//! A borrowing reader for the JSON that `JSON.stringify` makes of a flat
//! field map: `{"name":"value",…}` with no whitespace and no escapes.
//!
//! Bindings that sign on every request hand the core such a string, and
//! serde spends about as long on it as MD5 does on the signing string. This
//! reader takes only that exact shape and answers `None` for anything else
//! (whitespace, escapes, control characters, fractions, nesting, trailing
//! bytes), so the caller falls back to serde, which accepts the rest of JSON
//! and gives the error messages. Whatever it does return, serde would have
//! returned too (checked by `tests/properties.rs`).

use std::borrow::Cow;

use serde::Deserialize;

use crate::error::Result;
use crate::params::Params;
use crate::requests::json_error;

/// The fields of `json` borrowed from it, in input order, or `None` when
/// `json` is not in the plain shape described above.
pub(crate) fn plain_fields(json: &str) -> Option<Vec<(&str, &str)>> {
    let bytes = json.as_bytes();
    let mut at = 0;
    let mut fields = Vec::with_capacity(16);
    expect(bytes, &mut at, b'{')?;
    if bytes.get(at) == Some(&b'}') {
        return (at + 1 == bytes.len()).then_some(fields);
    }
    loop {
        let name = string(json, &mut at)?;
        expect(bytes, &mut at, b':')?;
        let value = if bytes.get(at) == Some(&b'"') {
            string(json, &mut at)?
        } else {
            whole_number(json, &mut at)?
        };
        fields.push((name, value));
        match bytes.get(at)? {
            b',' => at += 1,
            b'}' => return (at + 1 == bytes.len()).then_some(fields),
            _ => return None,
        }
    }
}

fn expect(bytes: &[u8], at: &mut usize, b: u8) -> Option<()> {
    (bytes.get(*at) == Some(&b)).then(|| *at += 1)
}

/// A string without escapes or control characters; `at` moves past it.
fn string<'a>(json: &'a str, at: &mut usize) -> Option<&'a str> {
    let bytes = json.as_bytes();
    expect(bytes, at, b'"')?;
    let start = *at;
    let len = bytes
        .get(start..)?
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
    let end = start + len;
    if bytes[end] != b'"' {
        return None;
    }
    *at = end + 1;
    // Both ends sit next to an ASCII quote, so they are character boundaries.
    json.get(start..end)
}

/// `0` or up to 19 digits without a leading zero: always a `u64`, and
/// written the same way serde's `u64` would be printed back.
fn whole_number<'a>(json: &'a str, at: &mut usize) -> Option<&'a str> {
    let bytes = json.as_bytes();
    let start = *at;
    let len = bytes
        .get(start..)?
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    let digits = json.get(start..start + len)?;
    let fits = len == 1 || (len <= 19 && !digits.starts_with('0'));
    if len == 0 || !fits {
        return None;
    }
    // A fraction or an exponent belongs to serde (which refuses it).
    if matches!(bytes.get(start + len), Some(b'.' | b'e' | b'E')) {
        return None;
    }
    *at = start + len;
    Some(digits)
}

/// A field map from a JSON object of strings (whole numbers are accepted
/// and written in decimal). Read straight into the map, without an
/// intermediate JSON tree: bindings sign through here on every call.
pub fn params_from_json(json: &str) -> Result<Params> {
    struct FieldMap(Params);

    impl<'de> serde::Deserialize<'de> for FieldMap {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
            struct Visitor;
            impl<'de> serde::de::Visitor<'de> for Visitor {
                type Value = FieldMap;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a JSON object of strings")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut map: A,
                ) -> std::result::Result<FieldMap, A::Error> {
                    let mut out = Params::new();
                    while let Some(key) = map.next_key::<String>()? {
                        let FieldValue(value) = map.next_value()?;
                        // JSON allows a name twice; which value to sign is
                        // not ours to guess (the signer refuses it too).
                        if out.contains_key(&key) {
                            return Err(serde::de::Error::custom(format!(
                                "field {:?} is given twice",
                                crate::message::truncate_for_message(&key)
                            )));
                        }
                        out.insert(key, value);
                    }
                    Ok(FieldMap(out))
                }
            }
            d.deserialize_map(Visitor)
        }
    }

    struct FieldValue(String);

    impl<'de> serde::Deserialize<'de> for FieldValue {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
            struct Visitor;
            impl serde::de::Visitor<'_> for Visitor {
                type Value = FieldValue;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a string or a whole number")
                }
                fn visit_str<E: serde::de::Error>(
                    self,
                    v: &str,
                ) -> std::result::Result<FieldValue, E> {
                    Ok(FieldValue(v.to_owned()))
                }
                fn visit_string<E: serde::de::Error>(
                    self,
                    v: String,
                ) -> std::result::Result<FieldValue, E> {
                    Ok(FieldValue(v))
                }
                fn visit_u64<E: serde::de::Error>(
                    self,
                    v: u64,
                ) -> std::result::Result<FieldValue, E> {
                    Ok(FieldValue(v.to_string()))
                }
            }
            d.deserialize_any(Visitor)
        }
    }

    let FieldMap(params) = serde_json::from_str(json).map_err(|e| json_error(&e, "params"))?;
    Ok(params)
}

/// Text from JSON, borrowed from the input when it has no escapes; whole
/// numbers are accepted and written in decimal.
struct Text<'de>(Cow<'de, str>);

struct TextVisitor;

impl<'de> serde::de::Visitor<'de> for TextVisitor {
    type Value = Text<'de>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a string or a whole number")
    }
    fn visit_borrowed_str<E: serde::de::Error>(
        self,
        v: &'de str,
    ) -> std::result::Result<Text<'de>, E> {
        Ok(Text(Cow::Borrowed(v)))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Text<'de>, E> {
        Ok(Text(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> std::result::Result<Text<'de>, E> {
        Ok(Text(Cow::Owned(v)))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Text<'de>, E> {
        Ok(Text(Cow::Owned(v.to_string())))
    }
}

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

struct Fields<'de>(Vec<(Cow<'de, str>, Cow<'de, str>)>);

impl<'de> Deserialize<'de> for Fields<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = Fields<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object of strings")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<Fields<'de>, A::Error> {
                let mut out = Vec::with_capacity(map.size_hint().unwrap_or(16));
                while let Some(Text(key)) = map.next_key::<Text<'de>>()? {
                    let Text(value) = map.next_value::<Text<'de>>()?;
                    out.push((key, value));
                }
                Ok(Fields(out))
            }
        }
        d.deserialize_map(Visitor)
    }
}

/// Signs a JSON object of fields without building a map: the fast path for
/// bindings that sign on every request.
///
/// ```
/// let key = wxpay::ApiKey::new("192006250b4c09247ec02edce69f6a2d").unwrap();
/// let s = wxpay::sign_json(r#"{"test2": "test2", "test1": "test1"}"#, &key, wxpay::SignType::Md5).unwrap();
/// assert_eq!(s, "1E3A8D73B5A4AEE787C0F68B5DAB8520");
/// ```
pub fn sign_json(
    params_json: &str,
    key: &crate::ApiKey,
    sign_type: crate::SignType,
) -> Result<String> {
    if let Some(fields) = crate::json_fields::plain_fields(params_json) {
        return crate::sign::sign_pairs(fields, key, sign_type);
    }
    let Fields(owned) = serde_json::from_str(params_json).map_err(|e| json_error(&e, "params"))?;
    let fields = owned.iter().map(|(k, v)| (&**k, &**v)).collect();
    crate::sign::sign_pairs(fields, key, sign_type)
}

#[cfg(test)]
mod tests {
    use super::plain_fields;

    #[test]
    fn reads_the_plain_shape() {
        assert_eq!(
            plain_fields(r#"{"b":"实战","a":"","n":990,"z":0}"#),
            Some(vec![("b", "实战"), ("a", ""), ("n", "990"), ("z", "0")])
        );
        assert_eq!(plain_fields("{}"), Some(vec![]));
    }

    #[test]
    fn leaves_everything_else_to_serde() {
        for json in [
            "",
            "{",
            "{}x",
            r#"{"a":"b"} "#,
            r#"{ "a":"b"}"#,
            r#"{"a" :"b"}"#,
            r#"{"a":"b\"c"}"#,
            r#"{"a\n":"b"}"#,
            "{\"a\":\"b\tc\"}",
            r#"{"a":01}"#,
            r#"{"a":1.5}"#,
            r#"{"a":1e3}"#,
            r#"{"a":-1}"#,
            r#"{"a":12345678901234567890}"#,
            r#"{"a":null}"#,
            r#"{"a":{}}"#,
            r#"{"a":"b",}"#,
            r#"{"a":"b""#,
            r#"["a"]"#,
        ] {
            assert_eq!(plain_fields(json), None, "{json:?}");
        }
    }
}
