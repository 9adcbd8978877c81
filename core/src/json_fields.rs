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
