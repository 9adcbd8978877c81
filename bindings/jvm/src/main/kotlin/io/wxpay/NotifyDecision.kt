package io.wxpay

/**
 * What to do with one payment notification and what to answer WeChat
 * (see [WxPayClient.handlePaymentNotify]). On `paid`, mark the order paid
 * first, then answer [reply]; if recording fails, answer an error status
 * and WeChat sends the notification again.
 */
class NotifyDecision internal constructor(
    /** Every field of the decision as the core wrote it (`status`, `reply`, `out_trade_no`, `transaction_id`, `total_fee`, `notify`, `confirmation`). */
    val fields: Map<String, Any?>,
    /** Why the notification was refused; a `Signature` or `Mismatch` deserves an alert. */
    val error: WxPayException?,
) {
    /** `paid`, `already_paid`, `not_paid` or `refused`. */
    val status: String get() = fields["status"] as String
    /** The exact XML to answer with (`Content-Type: text/xml`). */
    val reply: String get() = fields["reply"] as String
    /** The shop's order number, once verified. */
    val outTradeNo: String? get() = fields["out_trade_no"] as String?
    /** WeChat's transaction, to record with the order. */
    val transactionId: String? get() = fields["transaction_id"] as String?
    /** Whether to mark the order paid now. */
    val isPaid: Boolean get() = status == "paid"

    override fun toString(): String = "NotifyDecision(status=$status, outTradeNo=$outTradeNo)"
}
