//! The whole payment-notification handler in one call.
//!
//! A notify handler has to verify the body, compare it with the shop's own
//! order, confirm with orderquery and answer WeChat with the right XML — and
//! each step skipped by a hurried handler is a way to ship unpaid goods.
//! [`Client::handle_payment_notify`] does all of it and hands back a
//! [`NotifyDecision`]: what to record, and the exact reply to send.
//!
//! Which reply goes with which outcome (docs/security.md §3):
//! - paid and confirmed, or a payment the shop already recorded → `SUCCESS`;
//! - an authentic notification of a failed payment → `SUCCESS` (nothing to
//!   do, and WeChat stops sending it);
//! - anything refused — it does not verify, is another merchant's, names an
//!   order the shop does not know, pays another amount or currency, names
//!   another transaction than the one the shop recorded, or orderquery does
//!   not confirm it (yet) → `FAIL`, so WeChat sends it again later. A
//!   forged message gains nothing from that; a real one is not lost.

use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::notify::{notify_ack, notify_fail, PaymentNotify, RefundNotify};
use crate::requests::{named, read, Fen};
use crate::OrderQueryReply;

/// What the shop recorded for the order a notification is about.
///
/// ```
/// let order = wxpay::ShopOrder { total_fee: 990, transaction_id: None, sub_mch_id: None };
/// assert_eq!(order.total_fee, 990);
/// ```
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShopOrder {
    /// The amount the shop charged, in fen (never the amount the
    /// notification claims).
    pub total_fee: u64,
    /// Set once the shop has marked the order paid: the transaction it
    /// recorded then.
    pub transaction_id: Option<String>,
    /// A service provider's order: the sub-merchant it was placed for. The
    /// notification must name the same one.
    pub sub_mch_id: Option<String>,
}

/// How a notification ended.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotifyStatus {
    /// Verified, the shop's amount, and confirmed by orderquery: mark the
    /// order paid (once, in a transaction), then send the reply.
    Paid,
    /// The payment the shop already recorded, delivered again: nothing to
    /// change; the reply acknowledges it.
    AlreadyPaid,
    /// An authentic notification of a payment that failed: nothing to mark
    /// paid; the reply acknowledges it.
    NotPaid,
    /// Not accepted (see [`NotifyDecision::error`]); the reply asks WeChat
    /// to send it again later.
    Refused,
}

impl NotifyStatus {
    /// The status as bindings show it, e.g. `"already_paid"`.
    pub fn as_str(self) -> &'static str {
        match self {
            NotifyStatus::Paid => "paid",
            NotifyStatus::AlreadyPaid => "already_paid",
            NotifyStatus::NotPaid => "not_paid",
            NotifyStatus::Refused => "refused",
        }
    }
}

/// What to do with one payment notification, and what to answer WeChat.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotifyDecision {
    /// How it ended.
    pub status: NotifyStatus,
    /// The exact XML to answer with (`Content-Type: text/xml`). For
    /// [`NotifyStatus::Paid`], send it only once the order is marked paid:
    /// if recording fails, answer an error and WeChat sends it again.
    pub reply: String,
    /// The shop's order number, once the notification verified.
    pub out_trade_no: Option<String>,
    /// WeChat's transaction, to record with the order, once verified.
    pub transaction_id: Option<String>,
    /// The amount paid in fen, for [`NotifyStatus::Paid`] (equal to the
    /// shop's own amount).
    pub total_fee: Option<u64>,
    /// The verified notification, every field included.
    pub notify: Option<PaymentNotify>,
    /// The orderquery reply that confirmed the payment.
    pub confirmation: Option<OrderQueryReply>,
    /// Why it was refused, as [`Error::details`] in every language: a
    /// `Signature` or `Mismatch` error deserves an alert, a retryable one
    /// (orderquery timed out) does not.
    #[serde(serialize_with = "error_details")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::ErrorDetails>")
    )]
    pub error: Option<Error>,
}

fn error_details<S: Serializer>(e: &Option<Error>, s: S) -> std::result::Result<S::Ok, S::Error> {
    e.as_ref().map(Error::details).serialize(s)
}

/// The `notify_refused` warning: a notification that settles nothing
/// (forged, tampered, another merchant's, an amount that differs, or not
/// confirmed by orderquery), with the reason a shop alerts on.
fn refused_event(what: &str, error: &Error, out_trade_no: Option<&str>) {
    let mut fields = vec![
        ("notification", what.to_owned()),
        ("kind", error.kind().as_str().to_owned()),
    ];
    if let Some(reason) = error.reason() {
        fields.push(("reason", reason.to_owned()));
    }
    if let Some(field) = error.field() {
        fields.push(("field", field.to_owned()));
    }
    if let Some(no) = out_trade_no {
        fields.push(("out_trade_no", no.to_owned()));
    }
    crate::events::emit(
        crate::events::Level::Warning,
        "notify_refused",
        format!("{what} notification refused: {error}"),
        &fields,
    );
}

impl NotifyDecision {
    // Every kind by name: a kind added later must be given its word.
    #[deny(clippy::wildcard_enum_match_arm)]
    fn refused(error: Error, notify: Option<PaymentNotify>) -> Self {
        use crate::ErrorKind as K;
        // The reply is read by whoever sent the body: a fixed word per
        // kind, never the details.
        let why = match error.kind() {
            K::Mismatch => "mismatch",
            K::Transport | K::Protocol | K::Business | K::MpApi | K::Cache => "not confirmed",
            K::Config | K::InvalidInput | K::Xml | K::Signature | K::Internal => {
                "invalid notification"
            }
        };
        refused_event(
            "payment",
            &error,
            notify.as_ref().map(|n| n.out_trade_no.as_str()),
        );
        NotifyDecision {
            status: NotifyStatus::Refused,
            reply: notify_fail(why),
            out_trade_no: notify.as_ref().map(|n| n.out_trade_no.clone()),
            transaction_id: notify.as_ref().and_then(|n| n.transaction_id.clone()),
            total_fee: None,
            notify,
            confirmation: None,
            error: Some(error),
        }
    }

    fn acknowledged(status: NotifyStatus, notify: PaymentNotify) -> Self {
        NotifyDecision {
            status,
            reply: notify_ack().to_owned(),
            out_trade_no: Some(notify.out_trade_no.clone()),
            transaction_id: notify.transaction_id.clone(),
            total_fee: None,
            notify: Some(notify),
            confirmation: None,
            error: None,
        }
    }
}

/// How a refund notification ended.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RefundNotifyStatus {
    /// Decrypted, this merchant's, `refund_status` SUCCESS: record the
    /// refund (once: deliveries repeat), then send the reply.
    Refunded,
    /// Decrypted and this merchant's, but the refund did not go through
    /// (`REFUNDCLOSE`, or `CHANGE`: the money must be returned another
    /// way); the reply acknowledges it.
    NotRefunded,
    /// Not a refund notification of this merchant (forged, malformed,
    /// another merchant's): nothing to record; the reply says FAIL.
    Refused,
}

/// What to do with one refund notification, and what to answer WeChat.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefundNotifyDecision {
    /// How it ended.
    pub status: RefundNotifyStatus,
    /// The exact XML to answer with (`Content-Type: text/xml`).
    pub reply: String,
    /// The decrypted notification, once it verified.
    pub refund: Option<RefundNotify>,
    /// Why it was refused, as in every language's errors.
    #[serde(serialize_with = "error_details")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::ErrorDetails>")
    )]
    pub error: Option<Error>,
}

impl Client {
    /// The refund notify handler in one call: decrypts and checks `body`
    /// ([`Client::parse_refund_notify`]) and decides the reply, so a
    /// handler never answers SUCCESS to a forged body nor FAIL to a genuine
    /// one. Record a `refunded` refund once (deliveries repeat), then send
    /// `reply`.
    ///
    /// ```
    /// # let client = wxpay::Client::new(wxpay::ClientConfig::new("wxd930ea5d5a258f4f", "10000100",
    /// #     "192006250b4c09247ec02edce69f6a2d")).unwrap();
    /// let d = client.handle_refund_notify(b"<xml><return_code>SUCCESS</return_code></xml>");
    /// assert_eq!(d.status, wxpay::RefundNotifyStatus::Refused);
    /// assert!(d.reply.contains("FAIL"));
    /// ```
    pub fn handle_refund_notify(&self, body: &[u8]) -> RefundNotifyDecision {
        match self.parse_refund_notify(body) {
            Ok(refund) => RefundNotifyDecision {
                status: if refund.refund_status == "SUCCESS" {
                    RefundNotifyStatus::Refunded
                } else {
                    RefundNotifyStatus::NotRefunded
                },
                reply: notify_ack().to_owned(),
                refund: Some(refund),
                error: None,
            },
            Err(error) => {
                refused_event("refund", &error, None);
                RefundNotifyDecision {
                    status: RefundNotifyStatus::Refused,
                    // The reply is read by whoever sent the body: never the details.
                    reply: notify_fail("invalid notification"),
                    refund: None,
                    error: Some(error),
                }
            }
        }
    }

    /// The whole notify handler: verifies `body`, asks `find_order` for the
    /// shop's record of the order it names (only for a verified payment;
    /// `Ok(None)` when the shop has no such order), compares amount,
    /// currency and transaction, confirms with orderquery (within
    /// `confirm_timeout`) and decides the reply. An error of `find_order`
    /// (the shop's database is down) is returned as it is: answer WeChat
    /// with an HTTP error and it sends the notification again.
    ///
    /// ```no_run
    /// # fn mark_paid(_: &str, _: &str) -> Result<(), wxpay::Error> { Ok(()) }
    /// # let client: wxpay::Client = unimplemented!();
    /// # let body: &[u8] = b"";
    /// let decision = client.handle_payment_notify(body, |notify| {
    ///     // Look the order up in the shop's database.
    ///     Ok::<_, wxpay::Error>(Some(wxpay::ShopOrder { total_fee: 990, transaction_id: None, sub_mch_id: None }))
    /// })?;
    /// if decision.status == wxpay::NotifyStatus::Paid {
    ///     mark_paid(decision.out_trade_no.as_deref().unwrap(), decision.transaction_id.as_deref().unwrap())?;
    /// }
    /// let reply = decision.reply; // send as text/xml
    /// # Ok::<(), wxpay::Error>(())
    /// ```
    pub fn handle_payment_notify<E>(
        &self,
        body: &[u8],
        find_order: impl FnOnce(&PaymentNotify) -> std::result::Result<Option<ShopOrder>, E>,
    ) -> std::result::Result<NotifyDecision, E> {
        let notify = match self.verify_payment_notify(body) {
            Ok(n) => n,
            Err(e) => return Ok(NotifyDecision::refused(e, None)),
        };
        if !notify.is_paid() {
            return Ok(NotifyDecision::acknowledged(NotifyStatus::NotPaid, notify));
        }
        let order = find_order(&notify)?;
        Ok(self.settle(notify, order.as_ref()))
    }

    /// The order a notification asks the shop about: its `out_trade_no`
    /// when `body` is a verified payment, `None` otherwise (then
    /// [`Client::settle_payment_notify`] decides without an order). For
    /// bindings whose order lookup cannot run inside a call.
    pub fn payment_notify_order(&self, body: &[u8]) -> Option<String> {
        self.verify_payment_notify(body)
            .ok()
            .filter(PaymentNotify::is_paid)
            .map(|n| n.payment.out_trade_no)
    }

    /// [`Client::handle_payment_notify`] with the shop's record already at
    /// hand (`None`: the shop has no order of that number).
    pub fn settle_payment_notify(&self, body: &[u8], order: Option<&ShopOrder>) -> NotifyDecision {
        match self.verify_payment_notify(body) {
            Ok(n) if !n.is_paid() => NotifyDecision::acknowledged(NotifyStatus::NotPaid, n),
            Ok(n) => self.settle(n, order),
            Err(e) => NotifyDecision::refused(e, None),
        }
    }

    fn settle(&self, notify: PaymentNotify, order: Option<&ShopOrder>) -> NotifyDecision {
        match self.judge(&notify, order) {
            Ok(Judged::AlreadyPaid) => {
                NotifyDecision::acknowledged(NotifyStatus::AlreadyPaid, notify)
            }
            Ok(Judged::Confirmed(reply)) => NotifyDecision {
                status: NotifyStatus::Paid,
                reply: notify_ack().to_owned(),
                out_trade_no: Some(notify.out_trade_no.clone()),
                transaction_id: notify.transaction_id.clone(),
                total_fee: notify.total_fee,
                notify: Some(notify),
                confirmation: Some(*reply),
                error: None,
            },
            Err(e) => NotifyDecision::refused(e, Some(notify)),
        }
    }

    fn judge(&self, notify: &PaymentNotify, order: Option<&ShopOrder>) -> Result<Judged> {
        let order = order.ok_or_else(|| {
            Error::mismatch(
                "out_trade_no",
                "an order of the shop",
                notify.out_trade_no.as_str(),
            )
        })?;
        if let Some(ours) = &order.sub_mch_id {
            let theirs = notify.sub_mch_id.as_deref().unwrap_or_default();
            if theirs != ours {
                return Err(Error::mismatch("sub_mch_id", ours.as_str(), theirs));
            }
        }
        notify.check_amount(order.total_fee)?;
        if let Some(recorded) = &order.transaction_id {
            // verify() requires a transaction_id on a payment.
            let notified = notify.transaction_id.as_deref().unwrap_or_default();
            if recorded == notified {
                return Ok(Judged::AlreadyPaid);
            }
            return Err(Error::mismatch(
                "transaction_id",
                recorded.as_str(),
                notified,
            ));
        }
        Ok(Judged::Confirmed(Box::new(self.confirm_payment(notify)?)))
    }
}

enum Judged {
    AlreadyPaid,
    Confirmed(Box<OrderQueryReply>),
}

/// The shop's record as bindings hand it over: `null` (no such order) or
/// `{"total_fee": 990, "transaction_id": null, "sub_mch_id": null}`
/// (camelCase too).
/// The keys of a shop's record of its order.
const SHOP_ORDER_KEYS: [&str; 3] = ["total_fee", "transaction_id", "sub_mch_id"];

pub(crate) fn shop_order_from_value(value: Option<Value>) -> Result<Option<ShopOrder>> {
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Args {
        total_fee: Fen,
        #[serde(default)]
        transaction_id: Option<String>,
        #[serde(default)]
        sub_mch_id: Option<String>,
    }
    match value {
        // Left out is not "no such order": the caller must say so.
        None => Err(Error::invalid_because(
            crate::InputReason::Missing,
            "order",
            "is required (null when the shop has no such order)",
        )),
        Some(Value::Null) => Ok(None),
        Some(v) => {
            let fields = named(v, "order")?;
            // The shop's record is often its whole row; a key wxpay does not
            // read is refused by name, with what to hand back instead, since
            // a misspelt transaction_id or sub_mch_id silently ignored would
            // turn off a check that protects the shop's money.
            if let Some(key) = fields
                .keys()
                .find(|k| !SHOP_ORDER_KEYS.contains(&k.as_str()))
            {
                return Err(Error::invalid_because(
                    crate::InputReason::Unknown,
                    key.clone(),
                    format!(
                        "the order your lookup returned has {:?}, which wxpay does not read: return only \
                         total_fee (whole fen), transaction_id (once you marked it paid) and sub_mch_id \
                         (a sub-merchant's order), e.g. {{\"total_fee\": row.total_fee, \
                         \"transaction_id\": row.transaction_id}}",
                        crate::message::truncate_for_message(key)
                    ),
                ));
            }
            let a: Args = read(Value::Object(fields), "order")?;
            Ok(Some(ShopOrder {
                total_fee: a.total_fee.0,
                transaction_id: a.transaction_id.filter(|t| !t.is_empty()),
                sub_mch_id: a.sub_mch_id.filter(|t| !t.is_empty()),
            }))
        }
    }
}
