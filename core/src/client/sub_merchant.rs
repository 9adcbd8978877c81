//! A service provider's calls for one of its sub-merchants (服务商模式,
//! docs/protocol.md §15): the same calls as [`Client`], each request
//! carrying the sub-merchant's `sub_mch_id` (and `sub_appid`), each reply
//! checked to be about that sub-merchant.

use crate::api::OrderRef;
use crate::client::{Client, ReverseOutcome};
use crate::counter::{CounterPolicy, MicropayOutcome};
use crate::error::Result;
use crate::merchant::{Merchant, SubMerchant};
use crate::pay_params::{AppPayParams, BridgePayParams, JssdkPayParams};
use crate::{
    Bill, CloseOrderReply, DownloadBill, Micropay, OrderQueryReply, Refund, RefundQuery,
    RefundQueryReply, RefundReply, UnifiedOrder, UnifiedOrderReply,
};

/// A [`Client`] configured with a service provider's appid, mch_id and
/// API key, calling for one sub-merchant. Made by
/// [`Client::for_sub_merchant`]; cheap, so make one per request.
///
/// ```no_run
/// use wxpay::{Client, ClientConfig, SubMerchant, UnifiedOrder};
/// let mut config = ClientConfig::new("wx8888888888888888", "1900000100", "192006250b4c09247ec02edce69f6a2d");
/// config.notify_url = Some("https://platform.example/wxpay/notify".into());
/// let platform = Client::new(config)?;
/// let tea_house = platform.for_sub_merchant(SubMerchant::new("1900000109", Some("wx1111111111111111"))?);
/// let mut order = UnifiedOrder::jsapi("tea", "tea-0001", 1500, "127.0.0.1", "", "");
/// order.openid = None;
/// order.sub_openid = Some("oSubBuyerUnderTheTeaHouseAccount".into());
/// let reply = tea_house.unified_order(&order)?;
/// let params = tea_house.jsapi_params(&reply.prepay_id)?; // appId = the sub_appid
/// # Ok::<(), wxpay::Error>(())
/// ```
#[derive(Debug)]
pub struct SubMerchantClient<'a> {
    client: &'a Client,
    sub: SubMerchant,
    merchant: Merchant,
}

impl Client {
    /// The calls of this service provider for sub-merchant `sub`.
    pub fn for_sub_merchant(&self, sub: SubMerchant) -> SubMerchantClient<'_> {
        SubMerchantClient {
            client: self,
            merchant: self.merchant.for_sub_merchant(sub.clone()),
            sub,
        }
    }
}

impl SubMerchantClient<'_> {
    /// The sub-merchant called for.
    pub fn sub_merchant(&self) -> &SubMerchant {
        &self.sub
    }

    /// The identity its requests are signed with.
    pub fn merchant(&self) -> &Merchant {
        &self.merchant
    }

    /// [`Client::unified_order`] for the sub-merchant; a `sub_openid`
    /// needs the sub-merchant's `sub_appid`.
    pub fn unified_order(&self, order: &UnifiedOrder) -> Result<UnifiedOrderReply> {
        self.client.unified_order_as(&self.merchant, order)
    }

    /// [`Client::jsapi_params`] with `appId` = the sub_appid when there is
    /// one (the buyer pays on the sub-merchant's page), else the provider's.
    pub fn jsapi_params(&self, prepay_id: &str) -> Result<BridgePayParams> {
        self.client.jsapi_params_as(&self.merchant, prepay_id)
    }

    /// [`Client::jssdk_pay_params`], signed as [`Self::jsapi_params`].
    pub fn jssdk_pay_params(&self, prepay_id: &str) -> Result<JssdkPayParams> {
        self.client.jssdk_pay_params_as(&self.merchant, prepay_id)
    }

    /// [`Client::app_pay_params`]: `partnerid` is the sub_mch_id, `appid`
    /// the sub_appid.
    pub fn app_pay_params(&self, prepay_id: &str) -> Result<AppPayParams> {
        self.client.app_pay_params_as(&self.merchant, prepay_id)
    }

    /// [`Client::query_order`] for the sub-merchant.
    pub fn query_order(&self, order: OrderRef) -> Result<OrderQueryReply> {
        self.client
            .query_order_within(&self.merchant, order, self.client.budget())
    }

    /// [`Client::close_order`] for the sub-merchant.
    pub fn close_order(&self, out_trade_no: &str) -> Result<CloseOrderReply> {
        self.client.close_order_as(&self.merchant, out_trade_no)
    }

    /// [`Client::refund`] for the sub-merchant (the provider's certificate).
    pub fn refund(&self, refund: &Refund) -> Result<RefundReply> {
        self.client.refund_as(&self.merchant, refund)
    }

    /// [`Client::query_refund`] for the sub-merchant.
    pub fn query_refund(&self, query: &RefundQuery) -> Result<RefundQueryReply> {
        self.client.query_refund_as(&self.merchant, query)
    }

    /// [`Client::download_bill`] of this sub-merchant only (the provider's
    /// own client downloads every sub-merchant's bill).
    pub fn download_bill(&self, bill: &DownloadBill) -> Result<Bill> {
        self.client.download_bill_as(&self.merchant, bill)
    }

    /// [`Client::micropay`] at the sub-merchant's counter.
    pub fn micropay(&self, pay: &Micropay, policy: &CounterPolicy) -> Result<MicropayOutcome> {
        self.client.micropay_as(&self.merchant, pay, policy)
    }

    /// [`Client::reverse`] at the sub-merchant's counter.
    pub fn reverse(&self, out_trade_no: &str) -> Result<ReverseOutcome> {
        self.client.reverse_as(&self.merchant, out_trade_no)
    }

    /// [`Client::auth_code_to_openid`] for the sub-merchant.
    pub fn auth_code_to_openid(&self, auth_code: &str) -> Result<String> {
        self.client
            .auth_code_to_openid_as(&self.merchant, auth_code)
    }

    /// The share of this sub-merchant's orders the provider may take, in
    /// ten-thousandths (`pay/profitsharingmerchantratioquery`).
    pub fn profit_sharing_max_ratio(&self) -> Result<crate::MaxRatio> {
        self.client
            .profit_sharing_max_ratio_as(&self.merchant, None)
    }
}
