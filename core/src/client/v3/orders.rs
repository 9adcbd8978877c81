//! Orders over API v3 (docs/protocol.md §19.9, §19.14): prepay of every
//! kind, the pay params signed with RSA, query (checked whole against the
//! order asked about) and close.

use serde_json::Value;

use super::ClientV3;
use crate::api::OrderRef;
use crate::error::{Error, Result};
use crate::v3::{
    close_order_path, close_partner_order_path, query_order_path, query_partner_order_path,
    AppPayParamsV3, JsapiPayParamsV3, Prepay, PrepayAnswer, SubMerchantV3, TransactionAsked,
    TransactionV3,
};

impl ClientV3 {
    /// Places an order (`POST /v3/pay/transactions/{jsapi,app,native,h5}`).
    /// An empty `appid`, `mchid` or `notify_url` takes the client's; a
    /// retry after an unclear failure sends the same body, so WeChat sees
    /// the same order.
    pub fn prepay(&self, order: &Prepay) -> Result<PrepayAnswer> {
        let order = self.completed(order)?;
        let body = order.body()?;
        let reply = self.send(
            order.path(),
            Some(&body),
            "v3/pay/transactions",
            &mut self.budget(),
        )?;
        order.answer(&reply.body)
    }

    fn completed(&self, order: &Prepay) -> Result<Prepay> {
        let mut order = order.clone();
        if order.appid.is_empty() {
            order.appid.clone_from(&self.config.appid);
        }
        if order.mchid.is_empty() {
            order.mchid.clone_from(&self.config.mchid);
        } else if order.mchid != self.config.mchid {
            return Err(Error::invalid(
                "mchid",
                "must be this client's merchant (leave it empty)",
            ));
        }
        if order.notify_url.is_empty() {
            order.notify_url = self.config.notify_url.clone().ok_or_else(|| {
                Error::invalid("notify_url", "is required (none configured either)")
            })?;
        }
        Ok(order)
    }

    /// The params of `getBrandWCPayRequest` and `wx.requestPayment` for an
    /// order placed with this client's appid (`signType` RSA).
    pub fn jsapi_params(&self, prepay_id: &str) -> Result<JsapiPayParamsV3> {
        JsapiPayParamsV3::sign(
            self.signer.key(),
            &self.config.appid,
            prepay_id,
            self.now(),
            &self.config.clock.nonce(),
        )
    }

    /// The params of `getBrandWCPayRequest` and `wx.requestPayment` for an
    /// order whose payer was named under another appid: a service
    /// provider's order placed with a `sub_appid` (the payer's `sub_openid`).
    pub fn jsapi_params_for(&self, appid: &str, prepay_id: &str) -> Result<JsapiPayParamsV3> {
        JsapiPayParamsV3::sign(
            self.signer.key(),
            appid,
            prepay_id,
            self.now(),
            &self.config.clock.nonce(),
        )
    }

    /// The params of the App SDK's `PayReq` (the client's appid must be the
    /// app's).
    pub fn app_params(&self, prepay_id: &str) -> Result<AppPayParamsV3> {
        AppPayParamsV3::sign(
            self.signer.key(),
            &self.config.appid,
            &self.config.mchid,
            prepay_id,
            self.now(),
            &self.config.clock.nonce(),
        )
    }

    /// Queries an order, by the shop's number or WeChat's. `total`, when
    /// the shop knows it, must be the order's amount; the answer must be
    /// this merchant's and appid's order, the one asked about, in CNY.
    pub fn query_order(&self, order: &OrderRef, total: Option<u64>) -> Result<TransactionV3> {
        let mut budget = self.budget();
        self.query_order_within(order, None, total, &mut budget)
    }

    /// Queries a service provider's order for sub-merchant `sub` (the
    /// client is the provider's): checked as [`ClientV3::query_order`], and
    /// the sub-merchant (and its appid, when given) must be the one asked.
    pub fn query_sub_order(
        &self,
        order: &OrderRef,
        sub: &SubMerchantV3,
        total: Option<u64>,
    ) -> Result<TransactionV3> {
        let mut budget = self.budget();
        self.query_order_within(order, Some(sub), total, &mut budget)
    }

    pub(super) fn query_order_within(
        &self,
        order: &OrderRef,
        sub: Option<&SubMerchantV3>,
        total: Option<u64>,
        budget: &mut super::Budget,
    ) -> Result<TransactionV3> {
        let path = match sub {
            None => query_order_path(order, &self.config.mchid)?,
            Some(s) => query_partner_order_path(order, &self.config.mchid, &s.sub_mchid)?,
        };
        let reply = self.send(&path, None, "v3/pay/transactions/query", budget)?;
        let value: Value = serde_json::from_slice(&reply.body)
            .map_err(|_| Error::bad_reply("the order is not JSON"))?;
        let out_trade_no = match order {
            OrderRef::OutTradeNo(no) => no.clone(),
            OrderRef::TransactionId(_) => crate::v3::json_fields::text(&value, "out_trade_no")
                .ok_or_else(|| Error::bad_reply("the order has no out_trade_no"))?
                .to_owned(),
        };
        let asked = TransactionAsked {
            mchid: &self.config.mchid,
            appid: &self.config.appid,
            out_trade_no: &out_trade_no,
            total,
            sub,
        };
        let found = TransactionV3::check(value, &asked)?;
        if let OrderRef::TransactionId(id) = order {
            let theirs = found.transaction_id.as_deref().unwrap_or_default();
            if theirs != id {
                return Err(Error::mismatch("transaction_id", id.as_str(), theirs));
            }
        }
        Ok(found)
    }

    /// Closes an unpaid order (`…/close`, answered 204). Closing twice is
    /// fine; a paid order is refused with `ORDERPAID`.
    pub fn close_order(&self, out_trade_no: &str) -> Result<()> {
        let path = close_order_path(out_trade_no)?;
        let body = serde_json::json!({ "mchid": self.config.mchid }).to_string();
        self.send(
            &path,
            Some(&body),
            "v3/pay/transactions/close",
            &mut self.budget(),
        )?;
        Ok(())
    }

    /// Closes a service provider's unpaid order of sub-merchant `sub_mchid`.
    pub fn close_sub_order(&self, out_trade_no: &str, sub_mchid: &str) -> Result<()> {
        let path = close_partner_order_path(out_trade_no)?;
        let body = serde_json::json!({ "sp_mchid": self.config.mchid, "sub_mchid": sub_mchid })
            .to_string();
        self.send(
            &path,
            Some(&body),
            "v3/pay/partner/transactions/close",
            &mut self.budget(),
        )?;
        Ok(())
    }
}
