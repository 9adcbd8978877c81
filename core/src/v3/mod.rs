//! WeChat Pay API v3 (docs/protocol.md §19): JSON over HTTPS, requests
//! signed with the merchant's RSA key, answers and notifications signed by
//! WeChat with a platform certificate or the WeChat Pay public key, and
//! resources encrypted with AES-256-GCM under the APIv3 key.
//!
//! | task | where |
//! |---|---|
//! | sign a request | [`RequestSigner::authorization`], [`signing_string`] |
//! | verify an answer or a notification | [`Verifier::verify`] with [`SignedHeaders`] |
//! | keys | [`MerchantKey`], [`WechatKey`] (certificate or public key) |
//! | decrypt a resource | [`ApiV3Key::decrypt`] |
//! | a notification: verify, decrypt, answer | [`Notification::parse`], [`notification_answer`] |
//! | pay params (`signType` RSA) | [`JsapiPayParamsV3::sign`], [`AppPayParamsV3::sign`] |
//! | a downloaded bill checked against its hash | [`check_bill`] |
//! | platform certificates | [`platform_certificates`], refreshed by [`KeyStore`] |
//! | an answer: WeChat's, or its refusal typed | [`check_answer`], [`refusal`] |
//! | an order: the prepay body, an order checked whole | [`Prepay::body`], [`TransactionV3::check`] |
//! | a refund: its body, a refund checked whole | [`RefundV3::body`], [`RefundStateV3::check`] |
//! | the paths of query, close, refund query and bills | [`query_order_path`], [`close_order_path`], [`query_refund_path`], [`bill_path`] |

mod aead;
mod answers;
mod bills;
mod certificates;
pub(crate) mod json_fields;
mod key_store;
mod keys;
mod notification;
mod paths;
mod pay_params;
mod refunds;
mod signing;
mod transactions;
mod verifier;

pub use aead::ApiV3Key;
pub use answers::{check_answer, refusal};
pub use bills::check_bill;
pub use certificates::platform_certificates;
pub use key_store::{KeyStore, MIN_REFRESH_GAP_SECONDS, REFRESH_EVERY_SECONDS};
pub use keys::{MerchantKey, WechatKey};
pub use notification::{notification_answer, Notification, MAX_NOTIFICATION_BYTES};
pub use paths::{
    bill_path, close_order_path, close_partner_order_path, query_order_path,
    query_partner_order_path, query_partner_refund_path, query_refund_path,
};
pub use pay_params::{AppPayParamsV3, JsapiPayParamsV3};
pub use refunds::{RefundStateV3, RefundV3, REFUND_PATH};
pub use signing::{signing_string, RequestSigner, SCHEME};
pub use transactions::{
    Prepay, PrepayAnswer, PrepayKind, SubMerchantV3, TransactionAsked, TransactionV3,
};
pub use verifier::{same_serial, SignedHeaders, Verifier, MAX_SKEW_SECONDS};
