//! # wxpay
//!
//! WeChat Pay API v2 (JSAPI) done right, once, for every backend language.
//!
//! Most of this crate is the pure protocol layer: no network, no clock or
//! randomness except through [`Clock`]. Everything a shop needs with its own
//! HTTP stack is there; [`Client`] adds the network on top:
//!
//! | task | where |
//! |---|---|
//! | sign / verify a message | [`sign`], [`verify`] |
//! | read / write the XML | [`from_xml`], [`to_xml`] |
//! | build a request, check its reply | [`api`]: [`UnifiedOrder`], [`OrderQuery`], [`CloseOrder`], [`Refund`], [`RefundQuery`], [`DownloadBill`], [`DownloadFundFlow`] |
//! | verify a payment notification | [`PaymentNotify::verify`], then [`PaymentNotify::check_amount`] |
//! | decrypt a refund notification | [`RefundNotify::parse`] |
//! | reconcile a day's bill with the shop's records | [`Reconciler`] |
//! | settle a counter payment (micropay, orderquery, reverse) | [`Counter`] |
//! | front-end pay params | [`BridgePayParams`], [`JssdkPayParams`], [`AppPayParams`] |
//! | JS-SDK `wx.config` | [`jssdk_signature`], [`JssdkConfig`] |
//! | OAuth | [`oauth_authorize_url`], [`OAuthState`] |
//! | errors | [`Error`], [`ErrorKind`], [`err_code_info`] |
//! | every client call by name, for bindings | [`Operation`], [`Client::run`], [`requests`] |
//! | talk to WeChat (feature `client`, on by default): timeouts, retries, failover, token cache | [`Client`] |
//!
//! ```
//! use wxpay::{FixedClock, Merchant, SignType, UnifiedOrder, UnifiedOrderReply};
//! let merchant = Merchant::new("wxd930ea5d5a258f4f", "10000100",
//!                              "192006250b4c09247ec02edce69f6a2d", SignType::HmacSha256)?;
//! let order = UnifiedOrder::jsapi("shop-book", "order-0001", 990, "127.0.0.1",
//!                                 "https://shop.example/notify", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");
//! let request = order.sign(&merchant, &wxpay::SystemClock)?;
//! // POST request.xml to https://api.mch.weixin.qq.com/pay/unifiedorder, then:
//! // let reply = UnifiedOrderReply::parse(&merchant, &request, &body)?;
//! # Ok::<(), wxpay::Error>(())
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod api;
#[cfg(feature = "client")]
mod client;
mod clock;
mod counter;
mod err_codes;
mod error;
pub mod events;
mod field_formats;
mod json_depth;
mod json_fields;
mod jssdk;
mod merchant;
mod message;
mod notify;
mod oauth;
mod params;
mod pay_params;
mod payment_result;
pub mod reconcile;
mod reply_fields;
pub mod requests;
#[cfg(feature = "schema")]
pub mod schema;
mod sign;
pub mod v3;
mod validate;
mod xml;

pub use api::close_order::{CloseOrder, CloseOrderReply};
pub use api::download_bill::{yuan_to_fen, Bill, BillType, DownloadBill, MAX_BILL_BYTES};
pub use api::download_fund_flow::{AccountType, DownloadFundFlow, FundFlow, FundFlowTotals};
pub use api::micropay::{AuthCodeToOpenid, Micropay, MicropayReply, Reverse, ReverseAnswer};
pub use api::native_scan::{native_qr_link, native_scan_reply, ScanCallback, ShortUrl};
pub use api::order_query::{Coupon, OrderQuery, OrderQueryReply, TradeState};
pub use api::profit_sharing::{
    ProfitSharing, ProfitSharingFinish, ProfitSharingState, Receiver, ReceiverChange, Share,
    ShareResult, UnsplitAmount,
};
pub use api::profit_sharing_return::{
    MaxRatio, ProfitSharingReturn, ReturnAsked, ReturnState, SharingRef,
};
pub use api::refund::{Refund, RefundReply};
pub use api::refund_query::{
    RefundCoupon, RefundQuery, RefundQueryReply, RefundRecord, RefundRef, RefundStatus,
};
pub use api::unified_order::{TradeType, UnifiedOrder, UnifiedOrderReply};
pub use api::OrderRef;
#[cfg(feature = "client")]
pub use client::{
    CertSource, Client, ClientConfig, ClientMetrics, ClientOptions, ClientV3, ClientV3Config,
    ClientV3Options, FileStore, Latency, LockOutcome, MemoryStore, MiniProgramSession,
    NotifyDecision, NotifyDecisionV3, NotifyStatus, OAuthToken, Operation, OperationMetrics,
    OperationSpec, Outcome, RedisStore, RefundNotifyDecision, RefundNotifyDecisionV3,
    RefundNotifyStatus, RetryPolicy, ReverseOutcome, SealedField, ShopOrder, SubMerchantClient,
    Timeouts, TokenSource, TokenStore, TokenStoreHealth, MP_BACKUP_URL, MP_BASE_URL,
    PAY_BACKUP_URL, PAY_BASE_URL,
};
pub use clock::{Clock, FixedClock, SystemClock};
pub use counter::{
    Counter, CounterCall, CounterPolicy, CounterStep, Delivery, FollowUp, MicropayOutcome,
    MicropayStatus,
};
pub use err_codes::{
    err_code_info, mp_errcode_is_stale_token, mp_errcode_retryable,
    retryable as err_code_retryable, ErrCodeInfo, ERR_CODES,
};
pub use error::{Error, ErrorKind, InputReason, Result, SignatureReason, XmlReason};
pub use json_fields::{params_from_json, sign_json};
pub use jssdk::{jssdk_signature, jssdk_url, JssdkConfig};
pub use merchant::{Merchant, SignedRequest, SubMerchant};
pub use notify::{
    decrypt_req_info, encrypt_req_info, notify_ack, notify_fail, PaymentNotify, RefundNotify,
};
pub use oauth::{oauth_authorize_url, OAuthState, Scope, OPEN_BASE_URL};
pub use params::Params;
pub use pay_params::{AppPayParams, BridgePayParams, JssdkPayParams};
pub use payment_result::PaymentResult;
pub use reconcile::{
    Difference, DifferenceCounts, DifferenceKind, ReconcileOptions, Reconciler, Reconciliation,
    ShopRecord, SideTotals,
};
pub use requests::{
    download_bill_from_json, download_fund_flow_from_json, order_ref_from_json,
    profit_sharing_from_json, profit_sharing_return_from_json, receiver_change_from_json,
    refund_from_json, refund_query_from_json, unified_order_from_json,
};
pub use sign::{sign, sign_pairs, sign_string, signature_matches, verify, ApiKey, SignType};
pub use xml::{from_xml, from_xml_with, to_signed_xml, to_signed_xml_pairs, to_xml, XmlLimits};
