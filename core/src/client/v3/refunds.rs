//! Refunds over API v3 (docs/protocol.md §19.13): the refund and its
//! query, each answer checked against the refund the shop asked for.

use serde_json::Value;

use super::ClientV3;
use crate::error::{Error, Result};
use crate::v3::{
    query_partner_refund_path, query_refund_path, RefundStateV3, RefundV3, REFUND_PATH,
};

fn json(body: &[u8]) -> Result<Value> {
    serde_json::from_slice(body).map_err(|_| Error::bad_reply("the refund is not JSON"))
}

impl ClientV3 {
    /// Asks for a refund (`POST /v3/refund/domestic/refunds`). Accepted is
    /// not refunded: the state comes back `PROCESSING` until the refund
    /// notification or a query says otherwise. After an unclear failure,
    /// ask again with the same `out_refund_no` — it is the same refund.
    pub fn refund(&self, refund: &RefundV3) -> Result<RefundStateV3> {
        let mut refund = refund.clone();
        if refund.notify_url.is_none() {
            refund.notify_url.clone_from(&self.config.notify_url);
        }
        let body = refund.body()?;
        let reply = self.send(
            REFUND_PATH,
            Some(&body),
            "v3/refund/domestic/refunds",
            &mut self.budget(),
        )?;
        RefundStateV3::check(json(&reply.body)?, &refund)
    }

    /// Queries a refund the shop asked for with `refund` (the same order,
    /// number and amounts are checked in the answer).
    pub fn query_refund(&self, refund: &RefundV3) -> Result<RefundStateV3> {
        let path = match &refund.sub_mchid {
            None => query_refund_path(&refund.out_refund_no)?,
            Some(sub) => query_partner_refund_path(&refund.out_refund_no, sub)?,
        };
        let reply = self.send(
            &path,
            None,
            "v3/refund/domestic/refunds/query",
            &mut self.budget(),
        )?;
        RefundStateV3::check(json(&reply.body)?, refund)
    }
}
