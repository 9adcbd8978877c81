//! Checks on values a caller sends to WeChat, done before anything is signed
//! so that a bad order never leaves the process.

use crate::error::{Error, Result};

/// WeChat v2 only accepts the 1-3 byte subset of UTF-8 (`NOT_UTF8`), and XML
/// 1.0 cannot carry most control characters.
pub(crate) fn text(field: &str, value: &str) -> Result<()> {
    for c in value.chars() {
        if c.len_utf8() == 4 {
            return Err(Error::invalid(
                field,
                "contains a 4-byte UTF-8 character (such as an emoji), which WeChat Pay v2 refuses",
            ));
        }
        if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r')
            || c == '\u{FFFE}'
            || c == '\u{FFFF}'
        {
            return Err(Error::invalid(
                field,
                format!("contains the control character U+{:04X}", c as u32),
            ));
        }
    }
    if value.trim() != value {
        return Err(Error::invalid(
            field,
            "has leading or trailing whitespace, which signers disagree on",
        ));
    }
    Ok(())
}

/// A required text field of at most `max` bytes.
pub(crate) fn required(field: &str, value: &str, max: usize) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid(field, "is required"));
    }
    optional(field, value, max)
}

/// An optional text field (empty means absent) of at most `max` bytes.
pub(crate) fn optional(field: &str, value: &str, max: usize) -> Result<()> {
    if value.len() > max {
        return Err(Error::invalid(
            field,
            format!("is {} bytes long; the limit is {max}", value.len()),
        ));
    }
    text(field, value)
}

/// `out_trade_no`-style identifiers: `min..=max` characters from
/// `[0-9A-Za-z_-|*]` (plus `extra`).
pub(crate) fn merchant_no(
    field: &str,
    value: &str,
    min: usize,
    max: usize,
    extra: &[u8],
) -> Result<()> {
    if value.len() < min || value.len() > max {
        return Err(Error::invalid(
            field,
            format!("must be {min} to {max} characters, got {}", value.len()),
        ));
    }
    let ok = value.bytes().all(|b| {
        b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'|' | b'*') || extra.contains(&b)
    });
    if !ok {
        let allowed = if extra.is_empty() {
            "0-9 A-Z a-z _ - | *".to_owned()
        } else {
            format!("0-9 A-Z a-z _ - | * {}", String::from_utf8_lossy(extra))
        };
        return Err(Error::invalid(field, format!("may only contain {allowed}")));
    }
    Ok(())
}

/// An amount in fen sent to WeChat: a positive integer.
/// The largest amount WeChat takes: its `Int` is a signed 32-bit integer
/// (docs/protocol.md §0).
pub const MAX_FEN: u64 = 2_147_483_647;

pub(crate) fn fee(field: &str, value: u64) -> Result<()> {
    if value == 0 || value > MAX_FEN {
        return Err(Error::invalid(
            field,
            "must be a positive number of fen, at most 2147483647 (WeChat's integer range)",
        ));
    }
    Ok(())
}

/// A WeChat time `yyyyMMddHHmmss` (Beijing time).
pub(crate) fn wechat_time(field: &str, value: &str) -> Result<()> {
    let b = value.as_bytes();
    let digits = b.len() == 14 && b.iter().all(u8::is_ascii_digit);
    let num = |r: std::ops::Range<usize>| value[r].parse::<u32>().unwrap_or(99);
    if !digits
        || !(1..=12).contains(&num(4..6))
        || !(1..=31).contains(&num(6..8))
        || num(8..10) > 23
        || num(10..12) > 59
        || num(12..14) > 59
    {
        return Err(Error::invalid(field, "must be a time as yyyyMMddHHmmss"));
    }
    Ok(())
}

/// A date `yyyyMMdd`.
pub(crate) fn date(field: &str, value: &str) -> Result<()> {
    let b = value.as_bytes();
    let digits = b.len() == 8 && b.iter().all(u8::is_ascii_digit);
    let num = |r: std::ops::Range<usize>| value[r].parse::<u32>().unwrap_or(99);
    if !digits || !(1..=12).contains(&num(4..6)) || !(1..=31).contains(&num(6..8)) {
        return Err(Error::invalid(field, "must be a date as yyyyMMdd"));
    }
    Ok(())
}

/// A notify URL: http(s), no query string, no fragment, at most 256 bytes.
pub(crate) fn notify_url(field: &str, value: &str) -> Result<()> {
    required(field, value, 256)?;
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"))
        .ok_or_else(|| Error::invalid(field, "must start with https:// or http://"))?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err(Error::invalid(field, "has no host"));
    }
    if value.contains('?') || value.contains('#') {
        return Err(Error::invalid(
            field,
            "must not carry a query string or fragment (WeChat drops them)",
        ));
    }
    if value
        .bytes()
        .any(|b| b.is_ascii_whitespace() || !b.is_ascii())
    {
        return Err(Error::invalid(field, "must be plain ASCII without spaces"));
    }
    Ok(())
}

/// Parses an amount received from WeChat: strict decimal digits, no sign, no
/// leading zero, fits in u64. `"010000"`, `"+1"`, `"1e4"`, `" 1"` are refused.
pub(crate) fn parse_fen(value: &str) -> Option<u64> {
    let b = value.as_bytes();
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) || (b.len() > 1 && b[0] == b'0') {
        return None;
    }
    value.parse::<u64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fen_parsing_is_strict() {
        assert_eq!(parse_fen("10000"), Some(10000));
        assert_eq!(parse_fen("0"), Some(0));
        for bad in [
            "010000",
            "+10000",
            "1e4",
            "10000.0",
            " 10000",
            "-1",
            "18446744073709551616",
            "",
        ] {
            assert_eq!(parse_fen(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn text_rules() {
        assert!(text("body", "腾讯-游戏").is_ok());
        assert!(text("body", "pay 😀").is_err());
        assert!(text("body", "a\u{0}b").is_err());
        assert!(text("body", " padded").is_err());
    }

    #[test]
    fn times_and_dates() {
        assert!(wechat_time("t", "20091225091010").is_ok());
        assert!(wechat_time("t", "20091325091010").is_err());
        assert!(wechat_time("t", "2009122509101").is_err());
        assert!(date("d", "20240229").is_ok());
        assert!(date("d", "2024-02-2").is_err());
    }
}
