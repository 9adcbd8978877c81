//! Every client operation by name: the one dispatch path of every binding.
//!
//! The operations are one table (the `operations!` invocation below): each
//! row gives the name, the positional arguments, whether it waits on the
//! network and takes a sub-merchant, the `Operation` variant, how its
//! arguments are read and how it runs. The enum, the reader, the names, the
//! specs and the runner are all generated from it, so an operation missing
//! any part does not compile.
//!
//! A binding turns its call into an [`Operation`] — a name, the arguments
//! given by position and those given by name, all as JSON values (or raw
//! bytes for a notification body) — runs it with [`Client::run`] and
//! converts the [`Outcome`] back. Argument names, positions, defaults and
//! rules are all decided here and in [`crate::requests`], so a new
//! operation is added once and appears in every language.

use std::time::Duration;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::api::OrderRef;
use crate::client::counter::{self, ReverseOutcome};
use crate::client::metrics::ClientMetrics;
use crate::client::mp::{MiniProgramSession, OAuthToken, TokenStoreHealth};
use crate::client::notify_handler::{self, NotifyDecision, RefundNotifyDecision, ShopOrder};
use crate::client::Client;
use crate::counter::{CounterPolicy, MicropayOutcome};
use crate::error::{Error, InputReason, Result};
use crate::events;
use crate::jssdk::JssdkConfig;
use crate::merchant::{Merchant, SubMerchant};
use crate::notify::{PaymentNotify, RefundNotify};
use crate::oauth::Scope;
use crate::pay_params::{AppPayParams, BridgePayParams, JssdkPayParams};
use crate::requests::{self, named, oauth_args, only, optional_fen, read};
use crate::{
    Bill, CloseOrderReply, DownloadBill, DownloadFundFlow, FundFlow, Micropay, OrderQueryReply,
    ProfitSharing, ProfitSharingFinish, ReceiverChange, Refund, RefundQuery, RefundQueryReply,
    RefundReply, UnifiedOrder, UnifiedOrderReply,
};

/// What the dispatch knows of one operation's call shape
/// (`tests/vectors/operations.json` restates it for every language).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationSpec {
    /// The operation's name, e.g. `"query_order"`.
    pub name: &'static str,
    /// What the operation does, for the host layers' documentation (the
    /// table's doc comment, Markdown).
    pub doc: &'static str,
    /// The names that arguments given by position stand for, in order.
    pub positional: &'static [&'static str],
    /// The type of each positional argument, for the host layers'
    /// signatures: `text`, `texts` (a list of text), `fen` (an amount),
    /// `bool`, `seconds`, `body` (a message body: bytes or text), or a
    /// result type handed back (`PaymentNotify`) or a shape the shop hands
    /// in (`ShopOrder`, `ShopRecords`: a list of the shop's records); a
    /// trailing `?` means it may be left out, `|null` that it must be given
    /// but may be null.
    pub positional_types: &'static [&'static str],
    /// Whether it may wait on the network (bindings run it off the main
    /// thread, or without the GIL).
    pub io: bool,
    /// Whether a service provider may call it for a sub-merchant
    /// (`sub_mch_id`, `sub_appid`).
    pub sub: bool,
    /// Whether it takes named arguments beyond its positional ones (a
    /// request: `unified_order`'s fields, `query_order`'s
    /// `transaction_id`).
    pub named: bool,
    /// What it returns: a result type of `wxpay schema` (`OrderQueryReply`),
    /// or `Text`, `MaybeText` (text or null) or `Checked` (nothing).
    pub result: &'static str,
}

fn spec(name: &str) -> Result<&'static OperationSpec> {
    SPECS.iter().find(|s| s.name == name).ok_or_else(|| {
        Error::invalid_because(
            InputReason::Unknown,
            "operation",
            format!(
                "unknown operation {:?}",
                crate::message::truncate_for_message(name)
            ),
        )
    })
}

/// The arguments of one call while its reader takes them apart.
struct Args {
    map: Map<String, Value>,
    body: Option<Vec<u8>>,
}

impl Args {
    /// What is left, as the object a request reader takes.
    fn object(self) -> Value {
        Value::Object(self.map)
    }

    /// The one named argument `name`, refusing any other.
    fn only<T: serde::de::DeserializeOwned>(self, name: &str) -> Result<T> {
        only(self.object(), name)
    }

    /// Argument `name`, when given.
    fn take(&mut self, name: &str) -> Option<Value> {
        self.map.remove(name)
    }

    /// An amount in fen, when given.
    fn fen(&mut self, name: &str) -> Result<Option<u64>> {
        optional_fen(&mut self.map, name)
    }

    /// The message body: the raw bytes a binding handed over, or the
    /// `body` argument as text.
    fn body(&mut self) -> Result<Vec<u8>> {
        if let Some(b) = self.body.take() {
            return Ok(b);
        }
        match self.map.remove("body") {
            Some(v) => Ok(read::<String>(v, "body")?.into_bytes()),
            None => Err(Error::invalid_because(
                InputReason::Missing,
                "body",
                "is required",
            )),
        }
    }

    /// Refuses any argument left over.
    fn done(self) -> Result<()> {
        match self.map.keys().next() {
            None => Ok(()),
            Some(k) => Err(Error::invalid_because(
                InputReason::Unknown,
                k.clone(),
                format!("{k:?} is not an argument of this call"),
            )),
        }
    }
}

/// The operation table. Each row:
/// `"name" ("positional name": "type", …) io sub named -> Result => Variant [variant definition]`,
/// `read |args| { … }` building the variant, and
/// `run |client, merchant| pattern => { … }` making the outcome.
macro_rules! operations {
    ($(
        $(#[doc = $doc:literal])*
        $name:literal ($($pos:literal: $pty:literal),*) io=$io:literal sub=$sub:literal named=$named:literal -> $result:ident
        => $variant:ident [$($def:tt)*]
        read |$a:ident| $read:block
        run |$c:ident, $m:ident| $pat:pat => $run:block
    )*) => {
        const SPECS: &[OperationSpec] = &[
            $(OperationSpec {
                name: $name,
                doc: concat!($($doc, "\n",)*),
                positional: &[$($pos),*],
                positional_types: &[$($pty),*],
                io: $io,
                sub: $sub,
                named: $named,
                result: stringify!($result),
            },)*
        ];

        /// One client call, its arguments read and checked, ready for
        /// [`Client::run`].
        ///
        /// ```
        /// use serde_json::json;
        /// use wxpay::Operation;
        /// // By position or by name, snake_case or camelCase: the same operation.
        /// let a = Operation::parse("query_order", vec![json!("order-0001")], json!({})).unwrap();
        /// let b = Operation::from_json("query_order", r#"{"outTradeNo": "order-0001"}"#).unwrap();
        /// assert_eq!(a, b);
        /// assert!(a.does_io());
        /// assert!(Operation::from_json("query_order", "{}").is_err()); // exactly one reference
        /// ```
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum Operation {
            /// A service provider's call for a sub-merchant: one of the pay
            /// operations, given `sub_mch_id` (and `sub_appid`).
            ForSubMerchant(SubMerchant, Box<Operation>),
            $($(#[doc = $doc])* $($def)*,)*
        }

        impl Operation {
            fn build(spec: &OperationSpec, body: Option<Vec<u8>>, args: Map<String, Value>) -> Result<Self> {
                #[allow(unused_mut)]
                let mut args = Args { map: args, body };
                match spec.name {
                    $($name => {
                        #[allow(unused_mut)]
                        let mut $a = args;
                        Ok($read)
                    })*
                    other => Err(Error::internal(format!("operation {other} has no reader"))),
                }
            }

            /// The operation's name, e.g. `"query_order"`.
            pub fn name(&self) -> &'static str {
                match self {
                    Operation::ForSubMerchant(_, op) => op.name(),
                    $(Operation::$variant { .. } => $name,)*
                }
            }
        }

        impl Client {
            /// Runs `op`, its pay calls signed as `m` (this merchant, or it
            /// calling for a sub-merchant).
            fn run_as(&self, m: &Merchant, op: Operation) -> Result<Outcome> {
                Ok(match op {
                    Operation::ForSubMerchant(sub, op) => {
                        self.run_as(&self.merchant.for_sub_merchant(sub), *op)?
                    }
                    $($pat => {
                        let ($c, $m) = (self, m);
                        $run
                    })*
                })
            }
        }
    };
}

#[rustfmt::skip]
operations! {
    /// Places an order (`pay/unifiedorder`): `prepay_id`, and `code_url` for
    /// NATIVE. `total_fee` is integer fen.
    "unified_order" () io=true sub=true named=true -> UnifiedOrderReply => UnifiedOrder [UnifiedOrder(UnifiedOrder)]
        read |a| { Operation::UnifiedOrder(requests::unified_order_from_value(a.object())?) }
        run |c, m| Operation::UnifiedOrder(o) => { Outcome::UnifiedOrder(c.unified_order_as(m, &o)?) }

    /// The `WeixinJSBridge` `getBrandWCPayRequest` params for a prepay_id. No
    /// I/O.
    "jsapi_params" ("prepay_id": "text") io=false sub=true named=false -> BridgePayParams => JsapiParams [JsapiParams(String)]
        read |a| { Operation::JsapiParams(a.only("prepay_id")?) }
        run |c, m| Operation::JsapiParams(id) => { Outcome::BridgePayParams(c.jsapi_params_as(m, &id)?) }

    /// The `wx.chooseWXPay` params for a prepay_id (note `timestamp`, lower
    /// case). No I/O.
    "jssdk_pay_params" ("prepay_id": "text") io=false sub=true named=false -> JssdkPayParams => JssdkPayParams [JssdkPayParams(String)]
        read |a| { Operation::JssdkPayParams(a.only("prepay_id")?) }
        run |c, m| Operation::JssdkPayParams(id) => { Outcome::JssdkPayParams(c.jssdk_pay_params_as(m, &id)?) }

    /// The params an app hands to the WeChat SDK's `PayReq` for a prepay_id. No
    /// I/O.
    "app_pay_params" ("prepay_id": "text") io=false sub=true named=false -> AppPayParams => AppPayParams [AppPayParams(String)]
        read |a| { Operation::AppPayParams(a.only("prepay_id")?) }
        run |c, m| Operation::AppPayParams(id) => { Outcome::AppPayParams(c.app_pay_params_as(m, &id)?) }

    /// Queries an order (`pay/orderquery`) by `out_trade_no` or
    /// `transaction_id`, exactly one; the reply is checked against the order
    /// asked for.
    "query_order" ("out_trade_no": "text?") io=true sub=true named=true -> OrderQueryReply => QueryOrder [QueryOrder(OrderRef)]
        read |a| { Operation::QueryOrder(requests::order_ref_from_value(a.object())?) }
        run |c, m| Operation::QueryOrder(r) => {
            Outcome::OrderQuery(Box::new(c.query_order_within(m, r, c.budget())?))
        }

    /// Closes an unpaid order (`pay/closeorder`); an order WeChat already
    /// closed gives `already_closed`.
    "close_order" ("out_trade_no": "text") io=true sub=true named=false -> CloseOrderReply => CloseOrder [CloseOrder(String)]
        read |a| { Operation::CloseOrder(a.only("out_trade_no")?) }
        run |c, m| Operation::CloseOrder(no) => { Outcome::CloseOrder(c.close_order_as(m, &no)?) }

    /// Refunds an order (`secapi/pay/refund`, needs the merchant certificate):
    /// `out_refund_no`, `total_fee`, `refund_fee` and one of `out_trade_no` and
    /// `transaction_id`.
    "refund" () io=true sub=true named=true -> RefundReply => Refund [Refund(Refund)]
        read |a| { Operation::Refund(requests::refund_from_value(a.object())?) }
        run |c, m| Operation::Refund(r) => { Outcome::Refund(c.refund_as(m, &r)?) }

    /// Queries refunds (`pay/refundquery`) by exactly one of `refund_id`,
    /// `out_refund_no`, `transaction_id` and `out_trade_no`, with an optional
    /// `offset`.
    "query_refund" () io=true sub=true named=true -> RefundQueryReply => QueryRefund [QueryRefund(RefundQuery)]
        read |a| { Operation::QueryRefund(requests::refund_query_from_value(a.object())?) }
        run |c, m| Operation::QueryRefund(q) => { Outcome::RefundQuery(Box::new(c.query_refund_as(m, &q)?)) }

    /// Downloads one day's trade bill (`pay/downloadbill`), parsed into
    /// `columns`, `rows` and `summary`.
    "download_bill" ("bill_date": "text", "bill_type": "text?", "gzip": "bool?") io=true sub=true named=false -> Bill => DownloadBill [DownloadBill(DownloadBill)]
        read |a| { Operation::DownloadBill(requests::download_bill_from_value(a.object())?) }
        run |c, m| Operation::DownloadBill(b) => { Outcome::Bill(c.download_bill_as(m, &b)?) }

    /// Downloads one day's fund flow of one account (`pay/downloadfundflow`,
    /// `account_type` Basic, Operation or Fees; HMAC-SHA256 and the client
    /// certificate), parsed into `columns`, `rows` and `totals` in fen that
    /// the rows are checked against. A day without movement is `no_bill`.
    "download_fund_flow" ("bill_date": "text", "account_type": "text?", "gzip": "bool?") io=true sub=false named=false -> FundFlow => DownloadFundFlow [DownloadFundFlow(DownloadFundFlow)]
        read |a| { Operation::DownloadFundFlow(requests::download_fund_flow_from_value(a.object())?) }
        run |c, _m| Operation::DownloadFundFlow(f) => { Outcome::FundFlow(Box::new(c.download_fund_flow(&f)?)) }

    /// A counter payment to its end (`pay/micropay`, then orderquery and
    /// reverse as needed): `status` is `paid`, `reversed`, `failed` or
    /// `unsettled` (money may have moved: never ask for another code;
    /// `follow_up` says whether to query or reverse later).
    "micropay" () io=true sub=true named=true -> MicropayOutcome => Micropay [Micropay(Box<Micropay>, CounterPolicy)]
        read |a| {
            let (pay, policy) = counter::micropay_from_value(a.object())?;
            Operation::Micropay(Box::new(pay), policy)
        }
        run |c, m| Operation::Micropay(pay, policy) => {
            Outcome::Micropay(Box::new(c.micropay_as(m, &pay, &policy)?))
        }

    /// Reverses a counter payment (`secapi/pay/reverse`) by out_trade_no until
    /// WeChat confirms it: for an unsettled payment whose `follow_up` is
    /// `reverse`.
    "reverse" ("out_trade_no": "text") io=true sub=true named=false -> ReverseOutcome => Reverse [Reverse(String)]
        read |a| { Operation::Reverse(a.only("out_trade_no")?) }
        run |c, m| Operation::Reverse(no) => { Outcome::Reverse(c.reverse_as(m, &no)?) }

    /// The openid of the customer whose payment code was scanned
    /// (`tools/authcodetoopenid`).
    "auth_code_to_openid" ("auth_code": "text") io=true sub=true named=false -> Text => AuthCodeToOpenid [AuthCodeToOpenid(String)]
        read |a| { Operation::AuthCodeToOpenid(a.only("auth_code")?) }
        run |c, m| Operation::AuthCodeToOpenid(code) => { Outcome::Text(c.auth_code_to_openid_as(m, &code)?) }

    /// Registers a profit-sharing receiver (`pay/profitsharingaddreceiver`):
    /// `type` (MERCHANT_ID, PERSONAL_OPENID, PERSONAL_SUB_OPENID), `account`,
    /// `relation_type`, and `name` (required for MERCHANT_ID),
    /// `custom_relation` (with CUSTOM). HMAC-SHA256 always.
    "add_profit_sharing_receiver" () io=true sub=true named=true -> Checked => AddProfitSharingReceiver [AddProfitSharingReceiver(ReceiverChange)]
        read |a| { Operation::AddProfitSharingReceiver(requests::receiver_change_from_value(a.object(), true)?) }
        run |c, m| Operation::AddProfitSharingReceiver(r) => { c.change_profit_sharing_receiver_as(m, &r)?; Outcome::Checked }

    /// Removes a profit-sharing receiver (`pay/profitsharingremovereceiver`)
    /// by `type` and `account`.
    "remove_profit_sharing_receiver" () io=true sub=true named=true -> Checked => RemoveProfitSharingReceiver [RemoveProfitSharingReceiver(ReceiverChange)]
        read |a| { Operation::RemoveProfitSharingReceiver(requests::receiver_change_from_value(a.object(), false)?) }
        run |c, m| Operation::RemoveProfitSharingReceiver(r) => { c.change_profit_sharing_receiver_as(m, &r)?; Outcome::Checked }

    /// Shares a paid order's money (`secapi/pay/profitsharing`, or
    /// `multiprofitsharing` with `multi`; the client certificate):
    /// `transaction_id`, `out_order_no`, `receivers` (`type`, `account`,
    /// `amount` in fen, `description`). A single sharing releases the rest;
    /// the reply says accepted, `query_profit_sharing` how it went.
    "profit_sharing" () io=true sub=true named=true -> ProfitSharingState => ProfitSharing [ProfitSharing(ProfitSharing)]
        read |a| { Operation::ProfitSharing(requests::profit_sharing_from_value(a.object())?) }
        run |c, m| Operation::ProfitSharing(p) => { Outcome::ProfitSharingState(Box::new(c.profit_sharing_as(m, &p)?)) }

    /// How a sharing or a finish went (`pay/profitsharingquery`): `status`
    /// PROCESSING or FINISHED, each receiver's `result`.
    "query_profit_sharing" ("transaction_id": "text", "out_order_no": "text") io=true sub=true named=false -> ProfitSharingState => QueryProfitSharing [QueryProfitSharing(String, String)]
        read |a| {
            let transaction_id = a.take("transaction_id").map(|v| read(v, "transaction_id")).transpose()?.unwrap_or_default();
            let out_order_no = a.take("out_order_no").map(|v| read(v, "out_order_no")).transpose()?.unwrap_or_default();
            a.done()?;
            Operation::QueryProfitSharing(transaction_id, out_order_no)
        }
        run |c, m| Operation::QueryProfitSharing(transaction_id, out_order_no) => {
            Outcome::ProfitSharingState(Box::new(c.query_profit_sharing_as(m, &transaction_id, &out_order_no)?))
        }

    /// Releases what is left of an order to the merchant
    /// (`secapi/pay/profitsharingfinish`): `transaction_id`, a new
    /// `out_order_no`, `description`.
    "finish_profit_sharing" ("transaction_id": "text", "out_order_no": "text", "description": "text") io=true sub=true named=false -> ProfitSharingState => FinishProfitSharing [FinishProfitSharing(ProfitSharingFinish)]
        read |a| {
            let text = |a: &mut Args, name: &str| -> Result<String> {
                a.take(name).map(|v| read(v, name)).transpose().map(Option::unwrap_or_default)
            };
            let transaction_id = text(&mut a, "transaction_id")?;
            let out_order_no = text(&mut a, "out_order_no")?;
            let description = text(&mut a, "description")?;
            a.done()?;
            Operation::FinishProfitSharing(ProfitSharingFinish { transaction_id, out_order_no, description })
        }
        run |c, m| Operation::FinishProfitSharing(f) => { Outcome::ProfitSharingState(Box::new(c.finish_profit_sharing_as(m, &f)?)) }

    /// What of a paid order is still unshared
    /// (`pay/profitsharingorderamountquery`), in fen.
    "profit_sharing_unsplit_amount" ("transaction_id": "text") io=true sub=true named=false -> UnsplitAmount => ProfitSharingUnsplitAmount [ProfitSharingUnsplitAmount(String)]
        read |a| { Operation::ProfitSharingUnsplitAmount(a.only("transaction_id")?) }
        run |c, m| Operation::ProfitSharingUnsplitAmount(id) => { Outcome::UnsplitAmount(c.profit_sharing_unsplit_amount_as(m, &id)?) }

    /// Takes money back from a merchant receiver of a sharing
    /// (`secapi/pay/profitsharingreturn`, the client certificate):
    /// `order_id` or `out_order_no` (the sharing), `out_return_no`,
    /// `return_account`, `return_amount` in fen, `description`. `result`
    /// is SUCCESS, FAILED or PROCESSING (then ask again with
    /// `query_profit_sharing_return`, same `out_return_no`).
    "profit_sharing_return" () io=true sub=true named=true -> ReturnState => ProfitSharingReturn [ProfitSharingReturn(crate::ProfitSharingReturn)]
        read |a| { Operation::ProfitSharingReturn(requests::profit_sharing_return_from_value(a.object())?) }
        run |c, m| Operation::ProfitSharingReturn(r) => { Outcome::ReturnState(Box::new(c.profit_sharing_return_as(m, &r)?)) }

    /// How a return went (`pay/profitsharingreturnquery`): `order_id` or
    /// `out_order_no`, and `out_return_no`.
    "query_profit_sharing_return" () io=true sub=true named=true -> ReturnState => QueryProfitSharingReturn [QueryProfitSharingReturn(crate::SharingRef, String)]
        read |a| {
            let (sharing, out_return_no) = requests::return_query_from_value(a.object())?;
            Operation::QueryProfitSharingReturn(sharing, out_return_no)
        }
        run |c, m| Operation::QueryProfitSharingReturn(sharing, no) => {
            Outcome::ReturnState(Box::new(c.query_profit_sharing_return_as(m, &sharing, &no)?))
        }

    /// The share of a sub-merchant's orders a service provider may take
    /// (`pay/profitsharingmerchantratioquery`), in ten-thousandths: call it
    /// for the sub-merchant, or give a `brand_mch_id`.
    "profit_sharing_max_ratio" ("brand_mch_id": "text?") io=true sub=true named=false -> MaxRatio => ProfitSharingMaxRatio [ProfitSharingMaxRatio(Option<String>)]
        read |a| {
            let brand = a.take("brand_mch_id").filter(|v| !v.is_null()).map(|v| read(v, "brand_mch_id")).transpose()?;
            a.done()?;
            Operation::ProfitSharingMaxRatio(brand)
        }
        run |c, m| Operation::ProfitSharingMaxRatio(brand) => { Outcome::MaxRatio(c.profit_sharing_max_ratio_as(m, brand.as_deref())?) }

    /// Reconciles a day at once: the trade bill as downloaded (`body`: the
    /// ALL bill, plain or gzip, or `No Bill Exist`) against the shop's
    /// `records` (`out_trade_no` and `total_fee` for a payment;
    /// `out_refund_no`, `out_trade_no` and `refund_fee` for a refund; fen).
    /// For a large day use `reconcile_start` and stream. No I/O.
    "reconcile" ("body": "body", "records": "ShopRecords") io=false sub=false named=false -> Reconciliation => Reconcile [Reconcile {
        /// The bill's bytes.
        body: Vec<u8>,
        /// The shop's records, as JSON.
        records: Value,
    }]
        read |a| {
            let body = a.body()?;
            let records = a.take("records").ok_or_else(|| Error::invalid_because(InputReason::Missing, "records", "is required"))?;
            a.done()?;
            Operation::Reconcile { body, records }
        }
        run |_c, _m| Operation::Reconcile { body, records } => {
            let mut r = crate::Reconciler::new();
            r.shop_records_json(records)?;
            r.bill_bytes(&body)?;
            Outcome::Reconciliation(Box::new(r.finish()?))
        }

    /// Opens a reconciliation to feed in many calls, in bounded memory:
    /// `memory_mib` (memory for both sides before spilling to disk,
    /// default 48), `spill_dir`, `list_limit` (differences listed, default 1,000).
    /// Returns its id; end it with `reconcile_finish`. No I/O.
    "reconcile_start" () io=false sub=false named=true -> Text => ReconcileStart [ReconcileStart(crate::ReconcileOptions)]
        read |a| { Operation::ReconcileStart(super::reconciliations::options_from_value(a.object())?) }
        run |c, _m| Operation::ReconcileStart(o) => { Outcome::Text(c.reconcile_start(o)?) }

    /// The next bytes of an open reconciliation's bill, in chunks of any
    /// size. No I/O.
    "reconcile_bill" ("body": "body", "reconciliation": "text") io=false sub=false named=false -> Checked => ReconcileBill [ReconcileBill(String, Vec<u8>)]
        read |a| {
            let body = a.body()?;
            let id = a.only("reconciliation")?;
            Operation::ReconcileBill(id, body)
        }
        run |c, _m| Operation::ReconcileBill(id, body) => { c.reconcile_bill(&id, &body)?; Outcome::Checked }

    /// Downloads the day's `ALL` trade bill (gzip) straight into an open
    /// reconciliation, its bytes never parsed into rows in memory;
    /// `No Bill Exist` is an empty day.
    "reconcile_download_bill" ("reconciliation": "text", "bill_date": "text") io=true sub=true named=false -> Checked => ReconcileDownloadBill [ReconcileDownloadBill(String, String)]
        read |a| {
            let text = |a: &mut Args, name: &str| -> Result<String> {
                a.take(name).map(|v| read(v, name)).transpose()?.ok_or_else(|| Error::invalid_because(InputReason::Missing, name, "is required"))
            };
            let id = text(&mut a, "reconciliation")?;
            let date = text(&mut a, "bill_date")?;
            a.done()?;
            Operation::ReconcileDownloadBill(id, date)
        }
        run |c, m| Operation::ReconcileDownloadBill(id, date) => { c.reconcile_download_bill_as(m, &id, &date)?; Outcome::Checked }

    /// A batch of the shop's records for an open reconciliation (as for
    /// `reconcile`); a bad record refuses the whole batch. No I/O.
    "reconcile_shop" ("reconciliation": "text", "records": "ShopRecords") io=false sub=false named=false -> Checked => ReconcileShop [ReconcileShop(String, Value)]
        read |a| {
            let id = a.take("reconciliation").map(|v| read(v, "reconciliation")).transpose()?.ok_or_else(|| Error::invalid_because(InputReason::Missing, "reconciliation", "is required"))?;
            let records = a.take("records").ok_or_else(|| Error::invalid_because(InputReason::Missing, "records", "is required"))?;
            a.done()?;
            Operation::ReconcileShop(id, records)
        }
        run |c, _m| Operation::ReconcileShop(id, records) => { c.reconcile_shop(&id, records)?; Outcome::Checked }

    /// The next bytes of the shop's records as CSV (a header naming
    /// `out_trade_no`, `total_fee`, `transaction_id`, `out_refund_no`,
    /// `refund_fee`, `refund_id`; amounts in fen) for an open
    /// reconciliation. No I/O.
    "reconcile_shop_csv" ("body": "body", "reconciliation": "text") io=false sub=false named=false -> Checked => ReconcileShopCsv [ReconcileShopCsv(String, Vec<u8>)]
        read |a| {
            let body = a.body()?;
            let id = a.only("reconciliation")?;
            Operation::ReconcileShopCsv(id, body)
        }
        run |c, _m| Operation::ReconcileShopCsv(id, body) => { c.reconcile_shop_csv(&id, &body)?; Outcome::Checked }

    /// Compares an open reconciliation's bill and records and closes it:
    /// totals of each side, what matched, each kind of difference counted
    /// and the first ones listed. No I/O.
    "reconcile_finish" ("reconciliation": "text") io=false sub=false named=false -> Reconciliation => ReconcileFinish [ReconcileFinish(String)]
        read |a| { Operation::ReconcileFinish(a.only("reconciliation")?) }
        run |c, _m| Operation::ReconcileFinish(id) => { Outcome::Reconciliation(Box::new(c.reconcile_finish(&id)?)) }

    /// The link of a Native mode-one QR code, printed once for a product
    /// (`weixin://wxpay/bizpayurl?…`, signed MD5). No I/O.
    "native_qr_link" ("product_id": "text") io=false sub=false named=false -> Text => NativeQrLink [NativeQrLink(String)]
        read |a| { Operation::NativeQrLink(a.only("product_id")?) }
        run |c, _m| Operation::NativeQrLink(id) => { Outcome::Text(c.native_qr_link(&id)?) }

    /// A short `weixin://wxpay/s/…` link for a long `weixin://` link
    /// (`tools/shorturl`), for a smaller QR code.
    "short_url" ("long_url": "text") io=true sub=true named=false -> Text => ShortUrl [ShortUrl(String)]
        read |a| { Operation::ShortUrl(a.only("long_url")?) }
        run |c, m| Operation::ShortUrl(url) => { Outcome::Text(c.short_url_as(m, &url)?) }

    /// Verifies the scan callback of a Native mode-one QR code (MD5
    /// signature, appid, mch_id): who scanned (`openid`) which `product_id`.
    /// Place the order with both, then answer with `native_scan_reply`. No
    /// I/O.
    "verify_scan_callback" ("body": "body") io=false sub=false named=false -> ScanCallback => VerifyScanCallback [VerifyScanCallback(Vec<u8>)]
        read |a| {
            let body = a.body()?;
            a.done()?;
            Operation::VerifyScanCallback(body)
        }
        run |c, _m| Operation::VerifyScanCallback(body) => { Outcome::ScanCallback(Box::new(c.verify_scan_callback(&body)?)) }

    /// The signed XML answering a scan callback with the order's
    /// `prepay_id`. No I/O.
    "native_scan_reply" ("prepay_id": "text") io=false sub=false named=false -> Text => NativeScanReply [NativeScanReply(String)]
        read |a| { Operation::NativeScanReply(a.only("prepay_id")?) }
        run |c, _m| Operation::NativeScanReply(id) => { Outcome::Text(c.native_scan_reply(&id)?) }

    /// The signed XML refusing a scan callback (sold out, closed); WeChat
    /// shows `message` to the payer. No I/O.
    "native_scan_refusal" ("message": "text") io=false sub=false named=false -> Text => NativeScanRefusal [NativeScanRefusal(String)]
        read |a| { Operation::NativeScanRefusal(a.only("message")?) }
        run |c, _m| Operation::NativeScanRefusal(message) => { Outcome::Text(c.native_scan_refusal(&message)?) }

    /// Verifies a payment notification's raw body (signature, appid, mch_id,
    /// fields); with `total_fee`, the shop's amount in fen, the amount must
    /// match too. No I/O.
    "verify_payment_notify" ("body": "body", "total_fee": "fen?") io=false sub=false named=false -> PaymentNotify => VerifyPaymentNotify [VerifyPaymentNotify {
        /// The raw POST body.
        body: Vec<u8>,
        /// The shop's own amount for the order, in fen.
        total_fee: Option<u64>,
    }]
        read |a| {
            let body = a.body()?;
            let total_fee = a.fen("total_fee")?;
            a.done()?;
            Operation::VerifyPaymentNotify { body, total_fee }
        }
        run |c, _m| Operation::VerifyPaymentNotify { body, total_fee } => {
            Outcome::PaymentNotify(Box::new(c.verify_payment_notify_amount(&body, total_fee)?))
        }

    /// Fails with a mismatch unless the verified notification pays exactly
    /// `total_fee` fen (the shop's amount) in CNY. No I/O.
    "check_amount" ("notify": "PaymentNotify", "total_fee": "fen") io=false sub=false named=false -> Checked => CheckAmount [CheckAmount {
        /// What verify_payment_notify returned.
        notify: Box<PaymentNotify>,
        /// The shop's own amount for the order, in fen.
        total_fee: u64,
    }]
        read |a| {
            let notify = verified_notify(a.take("notify"))?;
            let total_fee = a.fen("total_fee")?.ok_or_else(|| {
                Error::invalid_because(InputReason::Missing, "total_fee", "is required")
            })?;
            a.done()?;
            Operation::CheckAmount { notify, total_fee }
        }
        run |_c, _m| Operation::CheckAmount { notify, total_fee } => {
            notify.check_amount(total_fee)?;
            Outcome::Checked
        }

    /// Confirms a verified notification with orderquery: the same transaction
    /// and order, paid, for the same amount.
    "confirm_payment" ("notify": "PaymentNotify") io=true sub=false named=false -> OrderQueryReply => ConfirmPayment [ConfirmPayment(Box<PaymentNotify>)]
        read |a| {
            let notify = verified_notify(a.take("notify"))?;
            a.done()?;
            Operation::ConfirmPayment(notify)
        }
        run |c, _m| Operation::ConfirmPayment(n) => { Outcome::OrderQuery(Box::new(c.confirm_payment(&n)?)) }

    /// The out_trade_no a payment notification is about once verified, or null
    /// (the first half of the notify handler). No I/O.
    "payment_notify_order" ("body": "body") io=false sub=false named=false -> MaybeText => PaymentNotifyOrder [PaymentNotifyOrder(Vec<u8>)]
        read |a| {
            let body = a.body()?;
            a.done()?;
            Operation::PaymentNotifyOrder(body)
        }
        run |c, _m| Operation::PaymentNotifyOrder(body) => { Outcome::MaybeText(c.payment_notify_order(&body)) }

    /// Decides a payment notification with the shop's record of its order
    /// (`total_fee`, and `transaction_id` once paid; null when there is no such
    /// order): `status` and the `reply` to send WeChat.
    "settle_payment_notify" ("body": "body", "order": "ShopOrder|null") io=true sub=false named=false -> NotifyDecision => SettlePaymentNotify [SettlePaymentNotify {
        /// The raw POST body.
        body: Vec<u8>,
        /// The shop's record; `None` when it has no such order.
        order: Option<ShopOrder>,
    }]
        read |a| {
            let body = a.body()?;
            let order = notify_handler::shop_order_from_value(a.take("order"))?;
            a.done()?;
            Operation::SettlePaymentNotify { body, order }
        }
        run |c, _m| Operation::SettlePaymentNotify { body, order } => {
            Outcome::NotifyDecision(Box::new(c.settle_payment_notify(&body, order.as_ref())))
        }

    /// Decrypts and verifies a refund notification's raw body. No I/O.
    "parse_refund_notify" ("body": "body") io=false sub=false named=false -> RefundNotify => ParseRefundNotify [ParseRefundNotify(Vec<u8>)]
        read |a| {
            let body = a.body()?;
            a.done()?;
            Operation::ParseRefundNotify(body)
        }
        run |c, _m| Operation::ParseRefundNotify(body) => {
            Outcome::RefundNotify(Box::new(c.parse_refund_notify(&body)?))
        }

    /// The refund notify handler in one call: decrypts and checks the raw
    /// body and decides the reply: `status` `refunded` (record it once, then
    /// reply), `not_refunded` (REFUNDCLOSE or CHANGE) or `refused` (`error`
    /// says why; the reply is FAIL). No I/O.
    "handle_refund_notify" ("body": "body") io=false sub=false named=false -> RefundNotifyDecision => HandleRefundNotify [HandleRefundNotify(Vec<u8>)]
        read |a| {
            let body = a.body()?;
            a.done()?;
            Operation::HandleRefundNotify(body)
        }
        run |c, _m| Operation::HandleRefundNotify(body) => {
            Outcome::RefundNotifyDecision(Box::new(c.handle_refund_notify(&body)))
        }

    /// The OAuth page to send a shopper to (`scope` defaults to `snsapi_base`).
    /// No I/O.
    "oauth_authorize_url" ("redirect_uri": "text", "scope": "text?", "state": "text?") io=false sub=false named=false -> Text => OAuthAuthorizeUrl [OAuthAuthorizeUrl {
        /// Where WeChat sends the user back.
        redirect_uri: String,
        /// What is asked.
        scope: Scope,
        /// The `state` to carry.
        state: Option<String>,
    }]
        read |a| {
            let (redirect_uri, scope, state) = oauth_args::authorize(a.object())?;
            Operation::OAuthAuthorizeUrl { redirect_uri, scope, state }
        }
        run |c, _m| Operation::OAuthAuthorizeUrl { redirect_uri, scope, state } => {
            Outcome::Text(c.oauth_authorize_url(&redirect_uri, scope, state.as_deref())?)
        }

    /// A signed, stateless OAuth `state` bound to `context` (e.g. the session
    /// id). No I/O.
    "oauth_state" ("context": "text") io=false sub=false named=false -> Text => OAuthState [OAuthState(String)]
        read |a| { Operation::OAuthState(a.only("context")?) }
        run |c, _m| Operation::OAuthState(context) => { Outcome::Text(c.oauth_state(&context)?) }

    /// Checks an OAuth `state` on the redirect: fails when forged, older than
    /// `max_age` seconds or issued for another context. No I/O.
    "check_oauth_state" ("state": "text", "context": "text", "max_age": "seconds?") io=false sub=false named=false -> Checked => CheckOAuthState [CheckOAuthState {
        /// What came back.
        state: String,
        /// The same context it was issued for.
        context: String,
        /// How old it may be.
        max_age: Duration,
    }]
        read |a| {
            let (state, context, max_age) = oauth_args::check(a.object())?;
            Operation::CheckOAuthState { state, context, max_age }
        }
        run |c, _m| Operation::CheckOAuthState { state, context, max_age } => {
            c.check_oauth_state(&state, &context, max_age)?;
            Outcome::Checked
        }

    /// Exchanges the OAuth redirect's `code` for the shopper's openid; never
    /// retried once sent.
    "oauth_exchange_code" ("code": "text") io=true sub=false named=false -> OAuthToken => OAuthExchangeCode [OAuthExchangeCode(String)]
        read |a| { Operation::OAuthExchangeCode(a.only("code")?) }
        run |c, _m| Operation::OAuthExchangeCode(code) => { Outcome::OAuthToken(c.oauth_exchange_code(&code)?) }

    /// A mini-program login: the `code` of `wx.login()` exchanged for the
    /// user's openid, unionid and session_key (with the client's appid and
    /// app_secret, the mini-program's); never retried once sent. The
    /// session_key is a secret: keep it on the server.
    "jscode2session" ("code": "text") io=true sub=false named=false -> MiniProgramSession => Jscode2Session [Jscode2Session(String)]
        read |a| { Operation::Jscode2Session(a.only("code")?) }
        run |c, _m| Operation::Jscode2Session(code) => { Outcome::MiniProgramSession(c.jscode2session(&code)?) }

    /// The official account's access_token, cached (and shared through the
    /// token store).
    "access_token" () io=true sub=false named=false -> Text => AccessToken [AccessToken]
        read |a| {
            a.done()?;
            Operation::AccessToken
        }
        run |c, _m| Operation::AccessToken => { Outcome::Text(c.access_token()?) }

    /// The JS-SDK `jsapi_ticket`, cached like the access_token.
    "jsapi_ticket" () io=true sub=false named=false -> Text => JsapiTicket [JsapiTicket]
        read |a| {
            a.done()?;
            Operation::JsapiTicket
        }
        run |c, _m| Operation::JsapiTicket => { Outcome::Text(c.jsapi_ticket()?) }

    /// What this client did since it was made: calls by operation and
    /// outcome (`ok` or the error kind) with their latency in ms (p50, p90,
    /// p99, max, mean), requests sent to WeChat, retries, failovers, token
    /// fetches and token store failures. No I/O.
    "metrics" () io=false sub=false named=false -> ClientMetrics => Metrics [Metrics]
        read |a| {
            a.done()?;
            Operation::Metrics
        }
        run |c, _m| Operation::Metrics => { Outcome::Metrics(Box::new(c.metrics())) }

    /// The same counts in Prometheus' text format, labelled with the
    /// client's mch_id, for a `/metrics` endpoint. No I/O.
    "metrics_prometheus" () io=false sub=false named=false -> Text => MetricsPrometheus [MetricsPrometheus]
        read |a| {
            a.done()?;
            Operation::MetricsPrometheus
        }
        run |c, _m| Operation::MetricsPrometheus => { Outcome::Text(c.metrics_prometheus()) }

    /// Whether the token store answers (`store`, `healthy`, and the failing
    /// store's `error`): while it fails, each process fetches its own
    /// tokens. What the last uses of the store found; no I/O.
    "token_store_health" () io=false sub=false named=false -> TokenStoreHealth => TokenStoreHealth [TokenStoreHealth]
        read |a| {
            a.done()?;
            Operation::TokenStoreHealth
        }
        run |c, _m| Operation::TokenStoreHealth => { Outcome::TokenStoreHealth(c.token_store_health()) }

    /// The signed `wx.config` of a page: `url` (without its fragment) and the
    /// JS APIs it uses.
    "jssdk_config" ("url": "text", "js_api_list": "texts") io=true sub=false named=false -> JssdkConfig => JssdkConfig [JssdkConfig {
        /// The page URL.
        url: String,
        /// The JS APIs the page uses.
        js_api_list: Vec<String>,
    }]
        read |a| {
            #[derive(serde::Deserialize)]
            #[serde(deny_unknown_fields)]
            struct Args {
                url: String,
                js_api_list: Vec<String>,
            }
            let args: Args = read(a.object(), "jssdk_config")?;
            Operation::JssdkConfig { url: args.url, js_api_list: args.js_api_list }
        }
        run |c, _m| Operation::JssdkConfig { url, js_api_list } => {
            let names: Vec<&str> = js_api_list.iter().map(String::as_str).collect();
            Outcome::JssdkConfig(c.jssdk_config(&url, &names)?)
        }
}

/// Joins arguments given by position to those given by name (the v3
/// dispatch reads its calls with it too).
pub(crate) fn arguments(
    spec: &OperationSpec,
    positional: Vec<Value>,
    named_args: Value,
    skip: usize,
) -> Result<Map<String, Value>> {
    let mut args = named(named_args, spec.name)?;
    let slots = &spec.positional[skip.min(spec.positional.len())..];
    if positional.len() > slots.len() {
        return Err(Error::invalid_because(
            InputReason::WrongType,
            spec.name,
            format!(
                "takes at most {} argument(s) by position ({})",
                slots.len(),
                slots.join(", ")
            ),
        ));
    }
    for (name, value) in slots.iter().zip(positional) {
        if args.insert((*name).to_owned(), value).is_some() {
            return Err(Error::invalid_because(
                InputReason::Unknown,
                *name,
                "is given both by position and by name",
            ));
        }
    }
    Ok(args)
}

/// Takes `sub_mch_id` and `sub_appid` out of a pay operation's arguments:
/// the sub-merchant a service provider calls for, or none.
fn sub_merchant_args(args: &mut Map<String, Value>) -> Result<Option<SubMerchant>> {
    let mut text = |name: &str| -> Result<Option<String>> {
        match args.remove(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => read::<String>(v, name).map(|s| Some(s).filter(|s| !s.is_empty())),
        }
    };
    let sub_mch_id = text("sub_mch_id")?;
    let sub_appid = text("sub_appid")?;
    match (sub_mch_id, sub_appid) {
        (Some(id), appid) => SubMerchant::new(&id, appid.as_deref()).map(Some),
        // A rule of the pair, not a missing argument: sub_appid is optional.
        (None, Some(_)) => Err(Error::invalid(
            "sub_mch_id",
            "is required with sub_appid (the sub-merchant the appid is bound to)",
        )),
        (None, None) => Ok(None),
    }
}

/// The notification a caller got from `verify_payment_notify`, handed back.
fn verified_notify(value: Option<Value>) -> Result<Box<PaymentNotify>> {
    let value = value
        .ok_or_else(|| Error::invalid_because(InputReason::Missing, "notify", "is required"))?;
    read::<PaymentNotify>(value, "notify")
        .map(Box::new)
        .map_err(|_| {
            Error::invalid_because(
                InputReason::WrongType,
                "notify",
                "must be the result of verify_payment_notify",
            )
        })
}

impl Operation {
    /// The names of every operation, in the order of the README.
    pub fn names() -> impl Iterator<Item = &'static str> {
        SPECS.iter().map(|s| s.name)
    }

    /// Every operation's call shape, in the order of the README.
    ///
    /// ```
    /// let query = wxpay::Operation::specs().iter().find(|s| s.name == "query_order").unwrap();
    /// assert_eq!(query.positional, ["out_trade_no"]);
    /// assert!(query.io && query.sub);
    /// ```
    pub fn specs() -> &'static [OperationSpec] {
        SPECS
    }

    /// The names that `name`'s positional arguments stand for.
    pub fn positional_names(name: &str) -> Option<&'static [&'static str]> {
        SPECS.iter().find(|s| s.name == name).map(|s| s.positional)
    }

    /// Reads operation `name` from arguments given by position and by name
    /// (an object, or null for none).
    pub fn parse(name: &str, positional: Vec<Value>, named_args: Value) -> Result<Self> {
        let spec = spec(name)?;
        let mut args = arguments(spec, positional, named_args, 0)?;
        let sub = if spec.sub {
            sub_merchant_args(&mut args)?
        } else {
            None
        };
        let op = Self::build(spec, None, args)?;
        Ok(match sub {
            Some(sub) => Operation::ForSubMerchant(sub, Box::new(op)),
            None => op,
        })
    }

    /// As [`Operation::parse`] for an operation whose first argument is a
    /// message body (`verify_payment_notify`, `parse_refund_notify`), given
    /// here as raw bytes.
    pub fn with_body(
        name: &str,
        body: Vec<u8>,
        positional: Vec<Value>,
        named_args: Value,
    ) -> Result<Self> {
        let spec = spec(name)?;
        if spec.positional.first() != Some(&"body") {
            return Err(Error::invalid("body", format!("{name} takes no body")));
        }
        let args = arguments(spec, positional, named_args, 1)?;
        Self::build(spec, Some(body), args)
    }

    /// As [`Operation::with_body`], the other arguments as JSON: an array
    /// of positional ones, an object of named ones, or `null` for none. JSON
    /// that does not parse (a lone surrogate escaped by `JSON.stringify`,
    /// say) is an `InvalidInput` error naming the operation.
    pub fn with_body_json(name: &str, body: Vec<u8>, args_json: &str) -> Result<Self> {
        match requests::parse_json(args_json, name)? {
            Value::Array(items) => Self::with_body(name, body, items, Value::Null),
            v @ (Value::Object(_) | Value::Null) => Self::with_body(name, body, Vec::new(), v),
            _ => Err(Error::invalid_because(
                InputReason::WrongType,
                name,
                "takes its arguments as a JSON array or object",
            )),
        }
    }

    /// Reads operation `name` from JSON: an object of named arguments, an
    /// array of positional ones, or one value for the first positional
    /// argument (`"order-0001"` for `close_order`). `null` is no argument.
    pub fn from_json(name: &str, args_json: &str) -> Result<Self> {
        match requests::parse_json(args_json, name)? {
            Value::Array(items) => Self::parse(name, items, Value::Null),
            v @ (Value::Object(_) | Value::Null) => Self::parse(name, Vec::new(), v),
            one => Self::parse(name, vec![one], Value::Null),
        }
    }

    /// Whether the operation may wait on the network: bindings run these
    /// off the event loop (Node) or without the GIL (Python).
    pub fn does_io(&self) -> bool {
        SPECS.iter().any(|s| s.name == self.name() && s.io)
    }
}

/// What an operation returns. Serializes as the value itself (an object, a
/// string, or `null` for a check that passed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Outcome {
    /// From `unified_order`.
    UnifiedOrder(UnifiedOrderReply),
    /// From `jsapi_params`.
    BridgePayParams(BridgePayParams),
    /// From `jssdk_pay_params`.
    JssdkPayParams(JssdkPayParams),
    /// From `app_pay_params`.
    AppPayParams(AppPayParams),
    /// From `query_order` and `confirm_payment`.
    OrderQuery(Box<OrderQueryReply>),
    /// From `close_order`.
    CloseOrder(CloseOrderReply),
    /// From `refund`.
    Refund(RefundReply),
    /// From `query_refund`.
    RefundQuery(Box<RefundQueryReply>),
    /// From `download_bill`.
    Bill(Bill),
    /// From `download_fund_flow`.
    FundFlow(Box<FundFlow>),
    /// From `profit_sharing_return` and `query_profit_sharing_return`.
    ReturnState(Box<crate::ReturnState>),
    /// From `profit_sharing_max_ratio`.
    MaxRatio(crate::MaxRatio),
    /// From `reconcile` and `reconcile_finish`.
    Reconciliation(Box<crate::Reconciliation>),
    /// From `verify_scan_callback`.
    ScanCallback(Box<crate::ScanCallback>),
    /// From `profit_sharing`, `query_profit_sharing` and
    /// `finish_profit_sharing`.
    ProfitSharingState(Box<crate::ProfitSharingState>),
    /// From `profit_sharing_unsplit_amount`.
    UnsplitAmount(crate::UnsplitAmount),
    /// From `micropay`.
    Micropay(Box<MicropayOutcome>),
    /// From `reverse`.
    Reverse(ReverseOutcome),
    /// From `verify_payment_notify`.
    PaymentNotify(Box<PaymentNotify>),
    /// From `parse_refund_notify`.
    RefundNotify(Box<RefundNotify>),
    /// From `oauth_exchange_code`.
    OAuthToken(OAuthToken),
    /// From `jssdk_config`.
    JssdkConfig(JssdkConfig),
    /// From `handle_refund_notify`.
    RefundNotifyDecision(Box<RefundNotifyDecision>),
    /// From `metrics`.
    Metrics(Box<ClientMetrics>),
    /// From `token_store_health`.
    TokenStoreHealth(TokenStoreHealth),
    /// From `jscode2session`.
    MiniProgramSession(MiniProgramSession),
    /// From `settle_payment_notify`.
    NotifyDecision(Box<NotifyDecision>),
    /// A URL, a state, a token or a ticket.
    Text(String),
    /// Text or nothing (`payment_notify_order`).
    MaybeText(Option<String>),
    /// A check that passed (`check_oauth_state`, `check_amount`).
    Checked,
}

impl Outcome {
    /// The result as JSON text.
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string(self)
            .map_err(|e| Error::internal(format!("cannot write the result as JSON: {e}")))
    }

    /// The text of a `Text` outcome.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Outcome::Text(s) => Some(s),
            _ => None,
        }
    }
}

/// The `call` event: one line per call that went to WeChat, for a
/// support ticket (the operation, how it ended, WeChat's code, the time).
fn call_event(name: &'static str, result: &Result<Outcome>, took: std::time::Duration) {
    let ms = format!("{:.1}", took.as_secs_f64() * 1000.0);
    let mut fields = vec![("latency_ms", ms.clone())];
    let message = match result {
        Ok(_) => {
            fields.push(("outcome", "ok".to_owned()));
            format!("{name}: ok in {ms} ms")
        }
        Err(e) => {
            fields.push(("outcome", e.kind().as_str().to_owned()));
            let code = match e {
                Error::Business { err_code, .. } => Some(err_code.clone()),
                Error::MpApi { errcode, .. } => Some(errcode.to_string()),
                _ => None,
            };
            if let Some(code) = code {
                fields.push(("err_code", code));
            }
            format!("{name}: {} in {ms} ms: {e}", e.kind().as_str())
        }
    };
    events::emit(events::Level::Debug, "call", message, &fields);
}

impl Client {
    /// Runs an operation read by [`Operation::parse`] and friends.
    pub fn run(&self, op: Operation) -> Result<Outcome> {
        let (name, started) = (op.name(), std::time::Instant::now());
        let io = op.does_io();
        let _within = events::within(name);
        let result = self.run_counted(op);
        let outcome = match &result {
            Ok(_) => "ok",
            Err(e) => e.kind().as_str(),
        };
        let took = started.elapsed();
        self.metrics.call(name, outcome, took);
        if io && events::enabled(events::Level::Debug) {
            call_event(name, &result, took);
        }
        result
    }

    fn run_counted(&self, op: Operation) -> Result<Outcome> {
        match op {
            Operation::ForSubMerchant(sub, op) => {
                if let Operation::ForSubMerchant(..) = *op {
                    return Err(Error::internal("a sub-merchant call inside another"));
                }
                self.run_as(&self.merchant.for_sub_merchant(sub), *op)
            }
            op => self.run_as(&self.merchant, op),
        }
    }

    /// Runs operation `op` with its arguments as JSON (see
    /// [`Operation::from_json`]) and returns the result as JSON.
    ///
    /// ```
    /// let client = wxpay::Client::new(wxpay::ClientConfig::new("wxd930ea5d5a258f4f", "10000100",
    ///     "192006250b4c09247ec02edce69f6a2d")).unwrap();
    /// let url = client.call_json("oauth_authorize_url", r#"{"redirect_uri": "https://shop.example/cb"}"#).unwrap();
    /// assert!(url.starts_with("\"https://open.weixin.qq.com/connect/oauth2/authorize?"));
    /// assert!(url.contains("scope=snsapi_base"));
    /// ```
    pub fn call_json(&self, op: &str, args_json: &str) -> Result<String> {
        self.run(Operation::from_json(op, args_json)?)?.to_json()
    }
}
