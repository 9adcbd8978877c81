//! One module per pay API: each request type validates and signs itself
//! (`sign`), each reply type parses and checks itself (`parse`). No I/O:
//! a caller with its own HTTP stack POSTs `SignedRequest::xml` and hands the
//! body back.

pub mod close_order;
pub mod download_bill;
pub mod download_fund_flow;
pub mod micropay;
pub mod native_scan;
pub mod order_query;
pub mod profit_sharing;
pub mod profit_sharing_return;
pub mod refund;
pub mod refund_query;
pub mod unified_order;

use crate::error::{Error, Result};
use crate::params::Params;
use crate::validate;

/// Which order a query, refund or close is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderRef {
    /// The merchant's own number (6-32 of `[0-9A-Za-z_-|*]`).
    OutTradeNo(String),
    /// WeChat's transaction number.
    TransactionId(String),
}

impl OrderRef {
    pub(crate) fn insert_into(&self, fields: &mut Params) -> Result<()> {
        match self {
            OrderRef::OutTradeNo(no) => {
                validate::merchant_no("out_trade_no", no, 6, 32, &[])?;
                fields.insert("out_trade_no".into(), no.clone());
            }
            OrderRef::TransactionId(id) => {
                transaction_id("transaction_id", id)?;
                fields.insert("transaction_id".into(), id.clone());
            }
        }
        Ok(())
    }

    /// The reply must echo the order asked about.
    pub(crate) fn check_echo(&self, reply: &Params) -> Result<()> {
        let (name, ours) = match self {
            OrderRef::OutTradeNo(no) => ("out_trade_no", no),
            OrderRef::TransactionId(id) => ("transaction_id", id),
        };
        match reply.get(name) {
            Some(theirs) if theirs == ours => Ok(()),
            Some(theirs) => Err(Error::mismatch(
                name,
                ours.as_str(),
                crate::message::truncate_for_message(theirs),
            )),
            None => Err(Error::bad_reply(format!("the reply has no {name}"))),
        }
    }
}

pub(crate) fn transaction_id(field: &str, id: &str) -> Result<()> {
    if id.is_empty() || id.len() > 32 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Error::invalid(field, "must be 1-32 letters and digits"));
    }
    Ok(())
}

/// Caller-supplied extra fields: names and values checked, envelope and
/// already-set fields refused.
pub(crate) fn merge_extra(fields: &mut Params, extra: &Params) -> Result<()> {
    for (name, value) in extra {
        crate::params::check_field_name(name)?;
        if fields.contains_key(name) {
            return Err(Error::invalid(
                name.as_str(),
                "is set twice (as an argument and in extra)",
            ));
        }
        validate::optional(name, value, 16 * 1024)?;
        if !value.is_empty() {
            fields.insert(name.clone(), value.clone());
        }
    }
    Ok(())
}
