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
