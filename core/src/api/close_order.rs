//! `pay/closeorder` (docs/protocol.md §5.1).

use serde::Serialize;

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::merchant::{Merchant, SignedRequest};
use crate::params::Params;
use crate::reply_fields::check_result_code;
use crate::validate;

/// Closes an unpaid order (WeChat needs it to be at least 5 minutes old).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloseOrder {
    /// The merchant's order number.
    pub out_trade_no: String,
}

impl CloseOrder {
    /// Validates, adds the envelope and signs.
    pub fn sign(&self, merchant: &Merchant, clock: &dyn Clock) -> Result<SignedRequest> {
        validate::merchant_no("out_trade_no", &self.out_trade_no, 6, 32, &[])?;
        let f = Params::from([("out_trade_no".to_string(), self.out_trade_no.clone())]);
        merchant.sign_request(f, clock)
    }
}

/// A verified closeorder reply.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CloseOrderReply {
    /// The order was closed before this call (`ORDERCLOSED`); closing twice
    /// is harmless, so this is not an error.
    pub already_closed: bool,
    /// Every verified field.
    pub raw: Params,
}

impl CloseOrderReply {
    /// Checks a reply. `ORDERPAID` stays a `Business` error: the order is
    /// paid and must be treated as such.
    pub fn parse(merchant: &Merchant, request: &SignedRequest, body: &[u8]) -> Result<Self> {
        let raw = merchant.check_reply_signed(body, request.sign_type)?;
        match check_result_code(&raw) {
            Ok(()) => Ok(CloseOrderReply {
                already_closed: false,
                raw,
            }),
            Err(Error::Business { ref err_code, .. }) if err_code == "ORDERCLOSED" => {
                Ok(CloseOrderReply {
                    already_closed: true,
                    raw,
                })
            }
            Err(e) => Err(e),
        }
    }
}
