//! Reading WeChat's v3 JSON answers: the checks every answer that moves
//! money goes through (docs/protocol.md §19.9, §19.13).

use serde_json::Value;

use crate::error::{Error, Result};

/// A non-empty text field.
pub(crate) fn text<'a>(value: &'a Value, name: &str) -> Option<&'a str> {
    value
        .get(name)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// A field that must be exactly what was asked about; `what` names the
/// answer in the message ("the order", "the refund").
pub(crate) fn echoed(value: &Value, name: &str, ours: &str, what: &str) -> Result<()> {
    match text(value, name) {
        Some(theirs) if theirs == ours => Ok(()),
        Some(theirs) => Err(Error::mismatch(
            name,
            ours,
            crate::message::truncate_for_message(theirs),
        )),
        None => Err(Error::bad_reply(format!("{what} has no {name}"))),
    }
}

/// An `amount` object's currency, when it says one: CNY and nothing else.
pub(crate) fn cny(amount: &Value) -> Result<()> {
    match amount.get("currency").and_then(Value::as_str) {
        Some(c) if c != "CNY" => Err(Error::mismatch(
            "amount.currency",
            "CNY",
            crate::message::truncate_for_message(c),
        )),
        _ => Ok(()),
    }
}

/// A v3 `notify_url`: https, no query string, at most `max` bytes. Plain
/// http is taken for a loopback host only (`127.0.0.1`, `localhost`,
/// `[::1]`), which WeChat can never reach: such an order is a simulator's.
pub(crate) fn notify_url(value: &str, max: usize) -> Result<()> {
    crate::validate::notify_url("notify_url", value)?;
    let loopback = ["http://127.0.0.1", "http://localhost", "http://[::1]"]
        .iter()
        .any(|host| {
            value
                .strip_prefix(host)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([':', '/']))
        });
    if value.len() > max || !(value.starts_with("https://") || loopback) {
        return Err(Error::invalid(
            "notify_url",
            format!("must be an https URL without a query string, at most {max} characters"),
        ));
    }
    Ok(())
}

/// A merchant number (`mchid`, `sub_mchid`, `sp_mchid`): 1-32 digits.
pub(crate) fn merchant_number(field: &str, value: &str) -> Result<()> {
    if value.is_empty() || value.len() > 32 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::invalid(field, "must be a merchant number (digits)"));
    }
    Ok(())
}
