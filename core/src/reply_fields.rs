//! Reading the fields of a reply or notification once its signature has
//! been checked: the return_code / result_code envelope, required and
//! optional fields, and amounts in fen.

use crate::err_codes;
use crate::error::{Error, Result};
use crate::params::Params;

/// `return_code` must be present and `SUCCESS`.
pub(crate) fn check_return_code(fields: &Params) -> Result<()> {
    match fields.get("return_code").map(String::as_str) {
        Some("SUCCESS") => Ok(()),
        Some("FAIL") => {
            let msg = fields.get("return_msg").cloned().unwrap_or_default();
            Err(Error::Protocol {
                retryable: err_codes::return_msg_retryable(&msg),
                message: format!("return_code=FAIL: {msg}"),
                return_msg: Some(msg),
            })
        }
        Some(other) => Err(Error::bad_reply(format!(
            "return_code is {:?}, neither SUCCESS nor FAIL",
            crate::message::truncate_for_message(other)
        ))),
        None => Err(Error::bad_reply("the reply has no return_code")),
    }
}

/// `result_code` must be present and `SUCCESS`.
pub(crate) fn check_result_code(fields: &Params) -> Result<()> {
    match fields.get("result_code").map(String::as_str) {
        Some("SUCCESS") => Ok(()),
        Some("FAIL") => {
            let err_code = fields.get("err_code").cloned().unwrap_or_default();
            let err_code_des = fields.get("err_code_des").cloned().unwrap_or_default();
            Err(Error::Business {
                retryable: err_codes::retryable(&err_code),
                err_code,
                err_code_des,
            })
        }
        Some(other) => Err(Error::bad_reply(format!(
            "result_code is {:?}, neither SUCCESS nor FAIL",
            crate::message::truncate_for_message(other)
        ))),
        None => Err(Error::bad_reply("the reply has no result_code")),
    }
}

/// A required field of a verified reply.
pub(crate) fn required<'a>(fields: &'a Params, name: &str) -> Result<&'a str> {
    match fields.get(name) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(Error::bad_reply(format!("the reply has no {name}"))),
    }
}

/// An optional field of a verified reply (empty means absent).
pub(crate) fn optional(fields: &Params, name: &str) -> Option<String> {
    fields.get(name).filter(|v| !v.is_empty()).cloned()
}

/// A required amount in fen.
pub(crate) fn required_fen(fields: &Params, name: &str) -> Result<u64> {
    let raw = required(fields, name)?;
    crate::validate::parse_fen(raw).ok_or_else(|| {
        Error::bad_reply(format!(
            "{name} is {:?}, not an amount in fen",
            crate::message::truncate_for_message(raw)
        ))
    })
}

/// An optional amount in fen.
pub(crate) fn optional_fen(fields: &Params, name: &str) -> Result<Option<u64>> {
    match fields.get(name) {
        Some(v) if !v.is_empty() => required_fen(fields, name).map(Some),
        _ => Ok(None),
    }
}

/// A field a reply must echo: present, and exactly what was asked.
pub(crate) fn echoed(fields: &Params, name: &str, ours: &str) -> Result<()> {
    let theirs = required(fields, name)?;
    if theirs != ours {
        return Err(Error::mismatch(
            name,
            ours,
            crate::message::truncate_for_message(theirs),
        ));
    }
    Ok(())
}
