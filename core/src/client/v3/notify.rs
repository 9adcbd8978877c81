//! API v3 notifications (docs/protocol.md §19.5, docs/security.md §9):
//! verified over the raw bytes with the key the `Wechatpay-Serial` header
//! names (fetching the certificates once for a serial not held), then
//! decrypted, then — for a payment — judged as v2's handler judges it:
//! the shop's own order and amount, the transaction it recorded, and a
//! query that confirms the payment. Each decision carries the exact HTTP
//! status and body to answer WeChat with.
//!
//! | outcome | status | answer |
//! |---|---|---|
//! | paid and confirmed, already recorded, or an authentic failed payment | `paid` / `already_paid` / `not_paid` | 204, no body |
//! | forged, tampered, stale, unknown key | `refused` | 401 `{"code":"FAIL",…}` |
//! | another order, amount or transaction; not confirmed (yet) | `refused` | 500 `{"code":"FAIL",…}`: WeChat sends it again |

use serde::{Serialize, Serializer};

use super::ClientV3;
use crate::client::notify_handler::{RefundNotifyStatus, ShopOrder};
use crate::client::NotifyStatus;
use crate::error::{Error, Result};
use crate::v3::{
    notification_answer, Notification, RefundStateV3, SignedHeaders, SubMerchantV3,
    TransactionAsked, TransactionV3,
};

fn error_details<S: Serializer>(e: &Option<Error>, s: S) -> std::result::Result<S::Ok, S::Error> {
    e.as_ref().map(Error::details).serialize(s)
}

/// What to do with one v3 payment notification, and what to answer.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NotifyDecisionV3 {
    /// How it ended (as v2's: `paid`, `already_paid`, `not_paid`, `refused`).
    pub status: NotifyStatus,
    /// The HTTP status to answer with (204, or 401/500 to have it sent
    /// again). For `paid`, answer only once the order is marked paid.
    pub http_status: u16,
    /// The body to answer with (`application/json`; empty for 204).
    pub body: String,
    /// The shop's order number, once the notification verified.
    pub out_trade_no: Option<String>,
    /// WeChat's transaction, to record with the order.
    pub transaction_id: Option<String>,
    /// The amount paid in fen, for `paid` (equal to the shop's own).
    pub total: Option<u64>,
    /// The verified notification (the decrypted resource included).
    pub notification: Option<Notification>,
    /// The query answer that confirmed the payment.
    pub confirmation: Option<TransactionV3>,
    /// Why it was refused, as [`Error::details`] in every language.
    #[serde(serialize_with = "error_details")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::ErrorDetails>")
    )]
    pub error: Option<Error>,
}

impl NotifyDecisionV3 {
    fn refused(
        error: Error,
        notification: Option<Notification>,
        order: Option<&TransactionV3>,
    ) -> Self {
        let (http_status, body) = notification_answer(Some(&error));
        crate::events::emit(
            crate::events::Level::Warning,
            "notify_refused",
            format!("payment notification (v3) refused: {error}"),
            &[
                ("notification", "payment".to_owned()),
                ("kind", error.kind().as_str().to_owned()),
                ("reason", error.reason().unwrap_or_default().to_owned()),
            ],
        );
        NotifyDecisionV3 {
            status: NotifyStatus::Refused,
            http_status,
            body,
            out_trade_no: order.map(|o| o.out_trade_no.clone()),
            transaction_id: order.and_then(|o| o.transaction_id.clone()),
            total: None,
            notification,
            confirmation: None,
            error: Some(error),
        }
    }

    fn acknowledged(
        status: NotifyStatus,
        notification: Notification,
        order: &TransactionV3,
        confirmation: Option<TransactionV3>,
    ) -> Self {
        let (http_status, body) = notification_answer(None);
        NotifyDecisionV3 {
            status,
            http_status,
            body,
            out_trade_no: Some(order.out_trade_no.clone()),
            transaction_id: order.transaction_id.clone(),
            total: (status == NotifyStatus::Paid).then_some(order.total),
            notification: Some(notification),
            confirmation,
            error: None,
        }
    }
}

/// What to do with one v3 refund notification, and what to answer.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RefundNotifyDecisionV3 {
    /// `refunded` (`REFUND.SUCCESS`), `not_refunded` (closed or abnormal)
    /// or `refused`.
    pub status: RefundNotifyStatus,
    /// The HTTP status to answer with.
    pub http_status: u16,
    /// The body to answer with.
    pub body: String,
    /// The refund as notified, checked to be this merchant's.
    pub refund: Option<RefundStateV3>,
    /// The verified notification.
    pub notification: Option<Notification>,
    /// Why it was refused.
    #[serde(serialize_with = "error_details")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "Option<crate::schema::ErrorDetails>")
    )]
    pub error: Option<Error>,
}

impl ClientV3 {
    /// Verifies and decrypts a notification: `headers` as the web framework
    /// hands them over (names in any case), `body` the raw bytes received.
    pub fn parse_notification<'a>(
        &self,
        headers: impl IntoIterator<Item = (&'a str, &'a str)>,
        body: &[u8],
    ) -> Result<Notification> {
        self.parse_notification_at(headers, body, self.now())
    }

    /// As [`ClientV3::parse_notification`], judging the timestamp against
    /// `now` (Unix seconds) instead of the clock: for replaying a recorded
    /// notification in a test. The signature is checked all the same, and
    /// the 300-second window still holds around `now` — a handler that
    /// passes the notification's own timestamp gives up replay protection,
    /// so a shop's notify handler never passes one.
    ///
    /// ```
    /// # let pem = std::fs::read_to_string("../tests/vectors/v3/keys/merchant_key.pem").unwrap();
    /// # let mut config = wxpay::ClientV3Config::new("1900009191", "wxd930ea5d5a258f4f", &pem,
    /// #     "3775B6A45ACD588826D15E583A95F5DD", "wxpaysim0apiv30key00000000000001");
    /// # config.auto_certificates = false;
    /// # config.platform_certificates = vec![std::fs::read_to_string("../tests/vectors/v3/keys/platform_cert.pem").unwrap()];
    /// let client = wxpay::ClientV3::new(config)?;
    /// let headers = [("Wechatpay-Timestamp", "1733292000"), ("Wechatpay-Nonce", "n"),
    ///     ("Wechatpay-Signature", "WECHATPAY/SIGNTEST/AAAA"), ("Wechatpay-Serial", "01")];
    /// let err = client.parse_notification_at(headers, b"{}", 1733292000).unwrap_err();
    /// assert_eq!(err.kind(), wxpay::ErrorKind::Signature);
    /// # Ok::<(), wxpay::Error>(())
    /// ```
    pub fn parse_notification_at<'a>(
        &self,
        headers: impl IntoIterator<Item = (&'a str, &'a str)>,
        body: &[u8],
        now: u64,
    ) -> Result<Notification> {
        if body.len() > crate::v3::MAX_NOTIFICATION_BYTES {
            return Err(Error::bad_reply("the notification is larger than 64 KiB"));
        }
        let headers = SignedHeaders::from_pairs(headers)?;
        self.keys
            .verify(&headers, body, now, || self.certificates(true))?;
        Notification::open(&self.apiv3, body)
    }

    /// A verified notification's order, checked to be this merchant's and
    /// appid's — as a service provider's, its sub-merchant is read from it
    /// and checked against the shop's own record later.
    fn notified_order(&self, n: &Notification) -> Result<TransactionV3> {
        if n.original_type != "transaction" && !n.event_type.starts_with("TRANSACTION.") {
            return Err(Error::bad_reply(format!(
                "a {:?} notification where a payment was expected",
                crate::message::truncate_for_message(&n.event_type)
            )));
        }
        let text = |k: &str| crate::v3::json_fields::text(&n.resource, k);
        let out_trade_no = text("out_trade_no")
            .ok_or_else(|| Error::bad_reply("the notified order has no out_trade_no"))?;
        let sub = match (n.resource.get("sp_mchid"), text("sub_mchid")) {
            (None, _) => None,
            (Some(_), Some(sub_mchid)) => Some(SubMerchantV3 {
                sub_mchid: sub_mchid.to_owned(),
                sub_appid: text("sub_appid").map(str::to_owned),
            }),
            (Some(_), None) => {
                return Err(Error::bad_reply(
                    "a service provider's order without sub_mchid",
                ))
            }
        };
        TransactionV3::check(
            n.resource.clone(),
            &TransactionAsked {
                mchid: &self.config.mchid,
                appid: &self.config.appid,
                out_trade_no,
                total: None,
                sub: sub.as_ref(),
            },
        )
    }

    /// The whole payment notify handler: verifies and decrypts, asks
    /// `find_order` for the shop's record of the order (only for an
    /// authentic payment; `Ok(None)` when the shop has no such order),
    /// compares amount and transaction, confirms with a query within
    /// `confirm_timeout`, and decides the answer. An error of `find_order`
    /// is returned as it is: answer WeChat with a 500 and it sends the
    /// notification again.
    ///
    /// ```no_run
    /// # let client: wxpay::ClientV3 = unimplemented!();
    /// # let (headers, body): (Vec<(&str, &str)>, &[u8]) = (vec![], b"");
    /// let d = client.handle_payment_notify(headers, body, |order| {
    ///     Ok::<_, wxpay::Error>(Some(wxpay::ShopOrder { total_fee: 990, transaction_id: None, sub_mch_id: None }))
    /// })?;
    /// // mark paid when d.status == NotifyStatus::Paid, then answer d.http_status with d.body
    /// # Ok::<(), wxpay::Error>(())
    /// ```
    pub fn handle_payment_notify<'a, E>(
        &self,
        headers: impl IntoIterator<Item = (&'a str, &'a str)>,
        body: &[u8],
        find_order: impl FnOnce(&TransactionV3) -> std::result::Result<Option<ShopOrder>, E>,
    ) -> std::result::Result<NotifyDecisionV3, E> {
        let notification = match self.parse_notification(headers, body) {
            Ok(n) => n,
            Err(e) => return Ok(NotifyDecisionV3::refused(e, None, None)),
        };
        let order = match self.notified_order(&notification) {
            Ok(o) => o,
            Err(e) => return Ok(NotifyDecisionV3::refused(e, Some(notification), None)),
        };
        if !order.paid {
            return Ok(NotifyDecisionV3::acknowledged(
                NotifyStatus::NotPaid,
                notification,
                &order,
                None,
            ));
        }
        let shop = find_order(&order)?;
        Ok(self.settle(notification, order, shop.as_ref()))
    }

    /// The order a payment notification asks the shop about: its
    /// `out_trade_no` when it verified and is a payment, `None` otherwise
    /// (then [`ClientV3::settle_payment_notify`] decides without an order).
    /// For bindings whose order lookup cannot run inside a call.
    pub fn payment_notify_order<'a>(
        &self,
        headers: impl IntoIterator<Item = (&'a str, &'a str)>,
        body: &[u8],
    ) -> Option<String> {
        let n = self.parse_notification(headers, body).ok()?;
        self.notified_order(&n)
            .ok()
            .filter(|o| o.paid)
            .map(|o| o.out_trade_no)
    }

    /// [`ClientV3::handle_payment_notify`] with the shop's record already
    /// at hand (`None`: the shop has no order of that number).
    pub fn settle_payment_notify<'a>(
        &self,
        headers: impl IntoIterator<Item = (&'a str, &'a str)>,
        body: &[u8],
        order: Option<&ShopOrder>,
    ) -> NotifyDecisionV3 {
        let shop = order.cloned();
        match self.handle_payment_notify(headers, body, |_| Ok::<_, std::convert::Infallible>(shop))
        {
            Ok(d) => d,
            Err(never) => match never {},
        }
    }

    fn settle(
        &self,
        notification: Notification,
        order: TransactionV3,
        shop: Option<&ShopOrder>,
    ) -> NotifyDecisionV3 {
        match self.judge(&order, shop) {
            Ok(None) => NotifyDecisionV3::acknowledged(
                NotifyStatus::AlreadyPaid,
                notification,
                &order,
                None,
            ),
            Ok(Some(confirmed)) => NotifyDecisionV3::acknowledged(
                NotifyStatus::Paid,
                notification,
                &order,
                Some(confirmed),
            ),
            Err(e) => NotifyDecisionV3::refused(e, Some(notification), Some(&order)),
        }
    }

    /// `Ok(None)`: the payment the shop already recorded; `Ok(Some)`: paid,
    /// confirmed by this query answer.
    fn judge(
        &self,
        order: &TransactionV3,
        shop: Option<&ShopOrder>,
    ) -> Result<Option<TransactionV3>> {
        let shop = shop.ok_or_else(|| {
            Error::mismatch(
                "out_trade_no",
                "an order of the shop",
                order.out_trade_no.as_str(),
            )
        })?;
        // A service provider's order is its sub-merchant's: the notification
        // must name the one the shop recorded (and a direct order none).
        if shop.sub_mch_id != order.sub_mchid {
            return Err(Error::mismatch(
                "sub_mchid",
                shop.sub_mch_id.clone().unwrap_or_default(),
                order.sub_mchid.clone().unwrap_or_default(),
            ));
        }
        if order.total != shop.total_fee {
            return Err(Error::mismatch(
                "amount.total",
                shop.total_fee.to_string(),
                order.total.to_string(),
            ));
        }
        // check() requires a transaction_id on a paid order.
        let notified = order.transaction_id.as_deref().unwrap_or_default();
        if let Some(recorded) = &shop.transaction_id {
            if recorded == notified {
                return Ok(None);
            }
            return Err(Error::mismatch(
                "transaction_id",
                recorded.as_str(),
                notified,
            ));
        }
        let mut budget = self.budget_until(std::time::Instant::now() + self.config.confirm_timeout);
        let sub = order.sub_mchid.as_ref().map(|sub_mchid| SubMerchantV3 {
            sub_mchid: sub_mchid.clone(),
            sub_appid: crate::v3::json_fields::text(&order.raw, "sub_appid").map(str::to_owned),
        });
        let confirmed = self.query_order_within(
            &crate::api::OrderRef::OutTradeNo(order.out_trade_no.clone()),
            sub.as_ref(),
            Some(shop.total_fee),
            &mut budget,
        )?;
        if !confirmed.paid {
            return Err(Error::mismatch(
                "trade_state",
                "SUCCESS",
                confirmed.trade_state,
            ));
        }
        let theirs = confirmed.transaction_id.as_deref().unwrap_or_default();
        if theirs != notified {
            return Err(Error::mismatch("transaction_id", notified, theirs));
        }
        Ok(Some(confirmed))
    }

    /// The refund notify handler: verified, decrypted, this merchant's
    /// refund with its amounts. Record a `refunded` refund once (deliveries
    /// repeat), then answer `http_status` with `body`.
    pub fn handle_refund_notify<'a>(
        &self,
        headers: impl IntoIterator<Item = (&'a str, &'a str)>,
        body: &[u8],
    ) -> RefundNotifyDecisionV3 {
        let mut seen = None;
        let result = self.parse_notification(headers, body).and_then(|n| {
            let n = seen.insert(n);
            if !n.event_type.starts_with("REFUND.") {
                return Err(Error::bad_reply(format!(
                    "a {:?} notification where a refund was expected",
                    crate::message::truncate_for_message(&n.event_type)
                )));
            }
            RefundStateV3::notified(n.resource.clone(), &self.config.mchid)
        });
        let (http_status, body) = notification_answer(result.as_ref().err());
        match result {
            Ok(refund) => RefundNotifyDecisionV3 {
                status: if refund.status == "SUCCESS" {
                    RefundNotifyStatus::Refunded
                } else {
                    RefundNotifyStatus::NotRefunded
                },
                http_status,
                body,
                refund: Some(refund),
                notification: seen,
                error: None,
            },
            Err(error) => RefundNotifyDecisionV3 {
                status: RefundNotifyStatus::Refused,
                http_status,
                body,
                refund: None,
                notification: seen,
                error: Some(error),
            },
        }
    }
}
