//! The format of each field WeChat writes into a message, checked once
//! the message's signature has verified (docs/security.md §3).
//!
//! A v2 signature covers the text `k=v&k=v…`, not the fields: moving text
//! across `&` and `=` boundaries gives other fields with the same signature.
//! Every such re-cut puts a `&` into a value, so a field whose format cannot
//! hold one (digits, codes, enumerations) cannot be re-cut. Fields that echo
//! free text (`attach`, `device_info`, the `*_des`/`*_msg` texts) are left as
//! they are, and so are fields wxpay does not know: WeChat adds fields
//! without notice, and refusing them would break shops. Empty values are not
//! signed and are not checked.

use crate::error::{Error, Result};
use crate::params::Params;

/// What a field may hold.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Format {
    /// 1 to n ASCII digits.
    Digits(usize),
    /// 1 to n of `[A-Z0-9_]`: codes such as `bank_type`, `err_code`.
    Code(usize),
    /// 1 to n of `[A-Za-z0-9_-]`: ids such as `openid`, `nonce_str`.
    Token(usize),
    /// A merchant order or refund number: 1 to n of `[A-Za-z0-9_-|*@]`.
    OrderNo(usize),
    /// Exactly one of these.
    OneOf(&'static [&'static str]),
}

impl Format {
    fn accepts(self, value: &str) -> bool {
        fn within(value: &str, max: usize, ok: impl Fn(u8) -> bool) -> bool {
            !value.is_empty() && value.len() <= max && value.bytes().all(ok)
        }
        match self {
            Format::Digits(max) => within(value, max, |b| b.is_ascii_digit()),
            Format::Code(max) => within(value, max, |b| {
                b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_'
            }),
            Format::Token(max) => within(value, max, |b| {
                b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
            }),
            Format::OrderNo(max) => within(value, max, |b| {
                b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'|' | b'*' | b'@')
            }),
            Format::OneOf(values) => values.contains(&value),
        }
    }

    fn describe(self) -> String {
        match self {
            Format::Digits(max) => format!("1 to {max} digits"),
            Format::Code(max) => format!("1 to {max} of A-Z, 0-9 and _"),
            Format::Token(max) => format!("1 to {max} of A-Z, a-z, 0-9, _ and -"),
            Format::OrderNo(max) => format!("1 to {max} of A-Z, a-z, 0-9 and _-|*@"),
            Format::OneOf(values) => format!("one of {}", values.join(", ")),
        }
    }
}

/// A field name, or the prefix of numbered fields (`coupon_fee_` for
/// `coupon_fee_0`, `coupon_fee_1`, …), and its format.
pub(crate) struct Rule {
    name: &'static str,
    numbered: bool,
    format: Format,
}

const fn field(name: &'static str, format: Format) -> Rule {
    Rule {
        name,
        numbered: false,
        format,
    }
}

const fn numbered(prefix: &'static str, format: Format) -> Rule {
    Rule {
        name: prefix,
        numbered: true,
        format,
    }
}

const AMOUNT: Format = Format::Digits(19);
const ORDER_NO: Format = Format::OrderNo(32);
const YES_NO: Format = Format::OneOf(&["Y", "N"]);
const RESULT: Format = Format::OneOf(&["SUCCESS", "FAIL"]);
const SIGN_TYPE: Format = Format::OneOf(&["MD5", "HMAC-SHA256"]);

/// A payment result: the notification (docs/protocol.md §6) and the
/// orderquery reply (§5.1), which carry the same fields (the reply adds
/// `trade_state`). Names in byte order, then the numbered fields (see
/// `check`). Codes are checked by charset rather than today's lists, so a
/// trade type or bank WeChat adds later is not refused.
pub(crate) const PAYMENT_RESULT: &[Rule] = &[
    field("appid", Format::Token(32)),
    field("bank_type", Format::Code(32)),
    field("cash_fee", AMOUNT),
    field("cash_fee_type", Format::Code(8)),
    field("coupon_count", Format::Digits(3)),
    field("coupon_fee", AMOUNT),
    field("err_code", Format::Code(32)),
    field("fee_type", Format::Code(8)),
    field("is_subscribe", YES_NO),
    field("mch_id", Format::Digits(32)),
    field("nonce_str", Format::Token(32)),
    field("openid", Format::Token(128)),
    field("out_trade_no", ORDER_NO),
    field("result_code", RESULT),
    field("return_code", RESULT),
    field("settlement_total_fee", AMOUNT),
    field("sign_type", SIGN_TYPE),
    field("sub_appid", Format::Token(32)),
    field("sub_is_subscribe", YES_NO),
    field("sub_mch_id", Format::Digits(32)),
    field("sub_openid", Format::Token(128)),
    field("time_end", Format::Digits(14)),
    field("total_fee", AMOUNT),
    field("trade_state", Format::Code(32)),
    field("trade_type", Format::Code(16)),
    field("transaction_id", Format::Digits(32)),
    numbered("coupon_fee_", AMOUNT),
    numbered("coupon_id_", Format::Token(32)),
    numbered("coupon_type_", Format::OneOf(&["CASH", "NO_CASH"])),
];

/// The free-text fields of a payment result: not checked, but a value
/// that reads on into one of the message's own fields is refused.
pub(crate) const PAYMENT_RESULT_TEXT: &[&str] = &[
    "attach",
    "device_info",
    "err_code_des",
    "return_msg",
    "trade_state_desc",
];

/// A unifiedorder reply (docs/protocol.md §4).
pub(crate) const UNIFIED_ORDER_REPLY: &[Rule] = &[
    field("appid", Format::Token(32)),
    field("err_code", Format::Code(32)),
    field("mch_id", Format::Digits(32)),
    field("nonce_str", Format::Token(32)),
    field("prepay_id", Format::Token(64)),
    field("result_code", RESULT),
    field("return_code", RESULT),
    field("sign_type", SIGN_TYPE),
    field("sub_appid", Format::Token(32)),
    field("sub_mch_id", Format::Digits(32)),
    field("trade_type", Format::Code(16)),
];

/// The free-text fields of a unifiedorder reply (the URLs hold `?`, `&`
/// and `=` of their own).
pub(crate) const UNIFIED_ORDER_REPLY_TEXT: &[&str] = &[
    "code_url",
    "device_info",
    "err_code_des",
    "mweb_url",
    "return_msg",
];

/// A refund reply (docs/protocol.md §5.2).
pub(crate) const REFUND_REPLY: &[Rule] = &[
    field("appid", Format::Token(32)),
    field("cash_fee", AMOUNT),
    field("cash_fee_type", Format::Code(8)),
    field("cash_refund_fee", AMOUNT),
    field("coupon_refund_count", Format::Digits(3)),
    field("coupon_refund_fee", AMOUNT),
    field("err_code", Format::Code(32)),
    field("fee_type", Format::Code(8)),
    field("mch_id", Format::Digits(32)),
    field("nonce_str", Format::Token(32)),
    field("out_refund_no", Format::OrderNo(64)),
    field("out_trade_no", ORDER_NO),
    field("refund_fee", AMOUNT),
    field("refund_id", Format::Digits(32)),
    field("result_code", RESULT),
    field("return_code", RESULT),
    field("settlement_refund_fee", AMOUNT),
    field("settlement_total_fee", AMOUNT),
    field("sign_type", SIGN_TYPE),
    field("sub_appid", Format::Token(32)),
    field("sub_mch_id", Format::Digits(32)),
    field("total_fee", AMOUNT),
    field("transaction_id", Format::Digits(32)),
    numbered("coupon_refund_fee_", AMOUNT),
    numbered("coupon_refund_id_", Format::Token(32)),
    numbered("coupon_type_", Format::OneOf(&["CASH", "NO_CASH"])),
];

/// The free-text fields of a refund reply.
pub(crate) const REFUND_REPLY_TEXT: &[&str] = &["device_info", "err_code_des", "return_msg"];

/// Refuses a message in which a field named by `rules` is not in its
/// format: either WeChat did not write it, or it is a re-cut of a signed
/// message (the `Protocol` kind, as for any reply that breaks the protocol).
/// A value of any other field that holds `&name=` for a field of this
/// message (`rules` or `text`) is refused too: read as two fields, the same
/// signed text would give that field another value, or none.
pub(crate) fn check(raw: &Params, rules: &[Rule], text: &[&str]) -> Result<()> {
    // Both the message and the plain rules are in byte order: one merging
    // walk finds every field's rule.
    let (plain, numbered) = rules.split_at(rules.partition_point(|r| !r.numbered));
    let mut next = 0;
    for (name, value) in raw {
        while next < plain.len() && before(plain[next].name, name) {
            next += 1;
        }
        if value.is_empty() {
            continue;
        }
        let rule = match plain.get(next) {
            Some(rule) if rule.name == name => Some(rule),
            _ if name.ends_with(|c: char| c.is_ascii_digit()) => {
                numbered.iter().find(|r| r.applies_to(name))
            }
            _ => None,
        };
        let Some(rule) = rule else {
            if let Some(inner) = inner_field(value, rules, text) {
                return Err(Error::bad_reply(format!(
                    "field {name} holds \"&{inner}=\": the signed text also reads as a message \
                     with another {inner}, so the signature cannot tell which was sent"
                )));
            }
            continue;
        };
        if !rule.format.accepts(value) {
            return Err(Error::bad_reply(format!(
                "field {name} must be {} and is not; a signature over its text cannot vouch for \
                 this reading of the message",
                rule.format.describe()
            )));
        }
    }
    Ok(())
}

/// `a` sorts before `b` in byte order; names differ early, so a plain loop
/// beats a call to memcmp.
fn before(a: &str, b: &str) -> bool {
    match a.bytes().zip(b.bytes()).find(|(x, y)| x != y) {
        Some((x, y)) => x < y,
        None => a.len() < b.len(),
    }
}

/// The rule for field `name`: a binary search of the plain names, then the
/// numbered rules for a name ending in a digit.
fn find<'r>(rules: &'r [Rule], name: &str) -> Option<&'r Rule> {
    let (plain, numbered) = rules.split_at(rules.partition_point(|r| !r.numbered));
    if let Ok(i) = plain.binary_search_by(|r| r.name.cmp(name)) {
        return Some(&plain[i]);
    }
    if !name.ends_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    numbered.iter().find(|r| r.applies_to(name))
}

/// The first field of this message that `value` names as `&name=`.
fn inner_field<'a>(value: &'a str, rules: &[Rule], text: &[&str]) -> Option<&'a str> {
    value.split('&').skip(1).find_map(|piece| {
        let name = piece.split_once('=')?.0;
        let known = text.contains(&name) || find(rules, name).is_some();
        known.then_some(name)
    })
}

impl Rule {
    fn applies_to(&self, name: &str) -> bool {
        if self.numbered {
            name.strip_prefix(self.name)
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        } else {
            name == self.name
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_accept_what_wechat_writes_and_nothing_with_separators() {
        let cases: &[(Format, &str, bool)] = &[
            (Format::Digits(32), "1004400740201409030005092168", true),
            (Format::Digits(32), "1004400740&time_end=1", false),
            (Format::Digits(3), "1000", false),
            (Format::Code(32), "CMB_CREDIT", true),
            (Format::Code(32), "cmb", false),
            (Format::Token(128), "oUpF8uMEb4qRXf22hE3X68TekukE", true),
            (Format::Token(128), "oUp=x", false),
            (ORDER_NO, "order-A-0001|x*y@z", true),
            (ORDER_NO, "order&result_code=SUCCESS", false),
            (ORDER_NO, &"1".repeat(33), false),
            (Format::OneOf(&["Y", "N"]), "Y", true),
            (Format::OneOf(&["Y", "N"]), "Y&", false),
        ];
        for (format, value, ok) in cases {
            assert_eq!(format.accepts(value), *ok, "{format:?} {value:?}");
        }
    }

    #[test]
    fn free_text_may_not_read_on_into_a_field_of_the_message() {
        let raw = |attach: &str| Params::from([("attach".to_string(), attach.to_string())]);
        let check = |attach: &str| check(&raw(attach), PAYMENT_RESULT, PAYMENT_RESULT_TEXT);
        assert!(check("gift & more = love").is_ok());
        assert!(check("a&b=c").is_ok());
        assert!(check("x&fee_type=CNY").is_err());
        assert!(check("x&coupon_fee_3=1").is_err());
        assert!(check("x&device_info=WEB").is_err());
    }

    #[test]
    fn rules_are_in_the_order_find_expects() {
        for (rules, text) in [
            (PAYMENT_RESULT, PAYMENT_RESULT_TEXT),
            (UNIFIED_ORDER_REPLY, UNIFIED_ORDER_REPLY_TEXT),
            (REFUND_REPLY, REFUND_REPLY_TEXT),
        ] {
            let plain: Vec<_> = rules.iter().take_while(|r| !r.numbered).collect();
            assert!(plain.windows(2).all(|w| w[0].name < w[1].name));
            assert!(rules[plain.len()..].iter().all(|r| r.numbered));
            for rule in rules.iter().filter(|r| !r.numbered) {
                assert!(std::ptr::eq(find(rules, rule.name).unwrap(), rule));
            }
            // A name is either held to a format or free text, never both.
            assert!(text.iter().all(|t| find(rules, t).is_none()), "{text:?}");
        }
        assert!(find(PAYMENT_RESULT, "coupon_type_10").is_some());
        assert!(find(PAYMENT_RESULT, "attach").is_none());
    }

    #[test]
    fn numbered_rules_apply_to_numbered_fields_only() {
        let rule = numbered("coupon_fee_", AMOUNT);
        assert!(rule.applies_to("coupon_fee_0") && rule.applies_to("coupon_fee_12"));
        assert!(!rule.applies_to("coupon_fee_") && !rule.applies_to("coupon_fee_x"));
        assert!(!rule.applies_to("coupon_fee"));
    }
}
