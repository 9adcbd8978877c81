//! The JSON Schema of every result an operation returns, and of the
//! client's options (feature `schema`): what bindings generate their host
//! types and option docs from (the Python TypedDicts, the TypeScript
//! interfaces, the C header's option list; `packaging/gen_hosts.py`), so a
//! field added here reaches every language by regeneration, and a stale
//! host layer fails `make test`.

use std::borrow::Cow;

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};

use crate::pay_params::{AppPayParams, BridgePayParams, JssdkPayParams};
use crate::requests::{Count, Seconds};
use crate::{RefundStatus, TradeState};

impl JsonSchema for Seconds {
    fn schema_name() -> Cow<'static, str> {
        "Seconds".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "number", "description": "Seconds, finite and more than 0." })
    }
}

impl JsonSchema for Count {
    fn schema_name() -> Cow<'static, str> {
        "Count".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "integer", "minimum": 0 })
    }
}

/// How an error is handed over as data ([`crate::Error::details`]); each
/// host language shows it as its own error type.
#[derive(JsonSchema)]
#[allow(dead_code)]
pub struct ErrorDetails {
    /// The kind (`Signature`, `Mismatch`, …).
    kind: String,
    /// The stable code (`WXPAY_SIGNATURE`, …).
    code: String,
    /// What went wrong.
    message: String,
    /// Whether calling again may succeed.
    retryable: bool,
}

/// The kinds of error (`ErrorKind::as_str`), the same in every language.
pub struct ErrorKindName;

impl JsonSchema for ErrorKindName {
    fn schema_name() -> Cow<'static, str> {
        "ErrorKind".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let names: Vec<&str> = crate::ErrorKind::ALL.iter().map(|k| k.as_str()).collect();
        one_of("The kind of an error, the same in every language.", &names)
    }
}

/// The stable codes of the error kinds (`ErrorKind::code`).
pub struct ErrorCode;

impl JsonSchema for ErrorCode {
    fn schema_name() -> Cow<'static, str> {
        "ErrorCode".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let codes: Vec<&str> = crate::ErrorKind::ALL.iter().map(|k| k.code()).collect();
        one_of(
            "The stable code of an error kind, e.g. `WXPAY_SIGNATURE`.",
            &codes,
        )
    }
}

/// A string that is one of `values`.
fn one_of(description: &str, values: &[&str]) -> Schema {
    json_schema!({ "type": "string", "enum": values, "description": description })
}

impl JsonSchema for TradeState {
    fn schema_name() -> Cow<'static, str> {
        "TradeState".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let all = [
            TradeState::Success,
            TradeState::Refund,
            TradeState::NotPay,
            TradeState::Closed,
            TradeState::Revoked,
            TradeState::UserPaying,
            TradeState::PayError,
            TradeState::Accept,
        ];
        let names: Vec<&str> = all.iter().map(|s| s.as_str()).collect();
        one_of("`trade_state` of an order.", &names)
    }
}

impl JsonSchema for RefundStatus {
    fn schema_name() -> Cow<'static, str> {
        "RefundStatus".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let all = [
            RefundStatus::Success,
            RefundStatus::RefundClose,
            RefundStatus::Processing,
            RefundStatus::Change,
            RefundStatus::Fail,
        ];
        let names: Vec<&str> = all.iter().map(|s| s.as_str()).collect();
        one_of("`refund_status_$n` of a refund.", &names)
    }
}

/// Pay params: an object of the shape's names, every value a string.
fn pay_params(name: &str, description: &str, names: &[&str]) -> Schema {
    let properties: serde_json::Map<String, serde_json::Value> = names
        .iter()
        .map(|n| ((*n).to_owned(), serde_json::json!({ "type": "string" })))
        .collect();
    json_schema!({
        "title": name,
        "description": description,
        "type": "object",
        "properties": properties,
        "required": names,
    })
}

macro_rules! pay_params_schema {
    ($($t:ident: $description:literal,)*) => {$(
        impl JsonSchema for $t {
            fn schema_name() -> Cow<'static, str> {
                stringify!($t).into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                pay_params(stringify!($t), $description, &$t::NAMES)
            }
        }
    )*};
}

pay_params_schema! {
    BridgePayParams: "`WeixinJSBridge.invoke('getBrandWCPayRequest')` params.",
    JssdkPayParams: "`wx.chooseWXPay` params (note `timestamp`, lower-case).",
    AppPayParams: "App `PayReq` params.",
}

/// Every result type operations return, by name, as one JSON Schema
/// document (`$defs`), in a stable order.
pub fn results() -> serde_json::Value {
    let mut generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    macro_rules! add {
        ($($t:ty),*) => {$(
            generator.subschema_for::<$t>();
        )*};
    }
    add!(
        crate::UnifiedOrderReply,
        BridgePayParams,
        JssdkPayParams,
        AppPayParams,
        crate::OrderQueryReply,
        crate::CloseOrderReply,
        crate::RefundReply,
        crate::RefundQueryReply,
        crate::Bill,
        crate::FundFlow,
        crate::ScanCallback,
        crate::ProfitSharingState,
        crate::UnsplitAmount,
        crate::ReturnState,
        crate::MaxRatio,
        crate::Reconciliation,
        crate::MicropayOutcome,
        crate::PaymentNotify,
        crate::RefundNotify,
        crate::JssdkConfig,
        ErrorDetails,
        ErrorKindName,
        ErrorCode
    );
    #[cfg(feature = "client")]
    add!(
        crate::ClientOptions,
        crate::ReverseOutcome,
        crate::NotifyDecision,
        crate::ShopOrder,
        crate::OAuthToken,
        crate::MiniProgramSession,
        crate::TokenStoreHealth,
        crate::ClientMetrics,
        crate::RefundNotifyDecision,
        crate::ClientV3Options,
        crate::v3::PrepayAnswer,
        crate::v3::JsapiPayParamsV3,
        crate::v3::AppPayParamsV3,
        crate::v3::TransactionV3,
        crate::v3::RefundStateV3,
        crate::v3::Notification,
        crate::NotifyDecisionV3,
        crate::RefundNotifyDecisionV3,
        crate::SealedField
    );
    let defs: std::collections::BTreeMap<String, serde_json::Value> =
        generator.take_definitions(true).into_iter().collect();
    #[allow(unused_mut)]
    let mut doc = serde_json::json!({ "$defs": defs });
    #[cfg(feature = "client")]
    {
        doc["operations"] = operations(crate::Operation::specs());
        doc["operations_v3"] = operations(crate::ClientV3::operation_specs());
    }
    doc
}

/// Every operation of a client's table (v2's, or v3's), in its order: what
/// the host layers generate one method each from (`result` names a type of
/// `$defs`, or `Text`, `MaybeText`, `Checked`; see [`crate::OperationSpec`]).
#[cfg(feature = "client")]
fn operations(specs: &[crate::OperationSpec]) -> serde_json::Value {
    specs
        .iter()
        .map(|s| {
            let positional: Vec<serde_json::Value> = s
                .positional
                .iter()
                .zip(s.positional_types)
                .map(|(name, ty)| serde_json::json!({ "name": name, "type": ty }))
                .collect();
            let doc = s.doc.split_whitespace().collect::<Vec<_>>().join(" ");
            serde_json::json!({
                "name": s.name,
                "doc": doc,
                "positional": positional,
                "io": s.io,
                "sub_merchant": s.sub,
                "named": s.named,
                "result": s.result,
            })
        })
        .collect()
}
