"""The shapes of what wxpay returns, as TypedDicts (field names are WeChat's).

Generated from bindings/results.schema.json (the core's result types) by
packaging/gen_hosts.py: do not edit; run the script after changing a result
type in the core. These are plain dicts at run time; the types are for mypy
and editors, and the tests compare them with what the library returns.
"""

from typing import Any, Dict, List, Optional, TypedDict

from .errors import WxPayError

Raw = Dict[str, str]


class AppPayParams(TypedDict):
    """App `PayReq` params."""

    appid: str
    noncestr: str
    package: str
    partnerid: str
    prepayid: str
    sign: str
    timestamp: str


class AppPayParamsV3(TypedDict):
    """What an app hands to the WeChat SDK's `PayReq` for a v3 order."""

    appid: str
    noncestr: str
    package: str
    partnerid: str
    prepayid: str
    sign: str
    timestamp: str


class Bill(TypedDict):
    """A parsed bill. Values have their leading backtick removed; amounts stay as WeChat writes them (yuan, e.g.
    `0.01`): see `yuan_to_fen`."""

    columns: List[str]
    no_bill: bool
    rows: List[List[str]]
    summary: List[str]
    summary_columns: List[str]


class BridgePayParams(TypedDict):
    """`WeixinJSBridge.invoke('getBrandWCPayRequest')` params."""

    appId: str
    nonceStr: str
    package: str
    paySign: str
    signType: str
    timeStamp: str


class Latency(TypedDict):
    """Call durations in milliseconds; the percentiles are the upper bounds of the buckets that hold them (5, 10,
    25, 50, 100, 250, 500 ms, 1, 2.5, 5, 10, 30 s), never more than the slowest call."""

    max: int
    mean: int
    p50: int
    p90: int
    p99: int


class OperationMetrics(TypedDict):
    """The calls of one operation."""

    calls: int
    latency_ms: Latency
    operation: str
    outcomes: Dict[str, int]


class ClientMetrics(TypedDict):
    """What one client did since it was made (the `metrics` call)."""

    failovers: int
    operations: List[OperationMetrics]
    requests: int
    retries: int
    token_fetches: int
    token_store_failures: int


class CloseOrderReply(TypedDict):
    """A verified closeorder reply."""

    already_closed: bool
    raw: Raw


class Coupon(TypedDict):
    """One coupon applied to a payment (`coupon_*_$n`)."""

    coupon_type: Optional[str]
    fee: int
    id: str


DifferenceKind = str
"""How one payment or refund differs between WeChat's bill and the shop. One of 'wechat_only', 'shop_only',
'amount_differs', 'id_differs', 'duplicate_at_wechat', 'duplicate_at_shop'."""

class Difference(TypedDict):
    """One difference, in key order (payments by `out_trade_no`, then refunds by `out_refund_no`)."""

    entry: str
    kind: DifferenceKind
    out_refund_no: Optional[str]
    out_trade_no: str
    shop_fen: Optional[int]
    shop_wechat_id: Optional[str]
    wechat_fen: Optional[int]
    wechat_id: Optional[str]


class DifferenceCounts(TypedDict):
    """How many differences of each kind."""

    amount_differs: int
    duplicate_at_shop: int
    duplicate_at_wechat: int
    id_differs: int
    shop_only: int
    wechat_only: int


ErrorCode = str
"""The stable code of an error kind, e.g. `WXPAY_SIGNATURE`. One of 'WXPAY_CONFIG', 'WXPAY_INVALID_INPUT',
'WXPAY_XML', 'WXPAY_SIGNATURE', 'WXPAY_MISMATCH', 'WXPAY_PROTOCOL', 'WXPAY_BUSINESS', 'WXPAY_MP_API',
'WXPAY_TRANSPORT', 'WXPAY_CACHE', 'WXPAY_INTERNAL'."""

ErrorKind = str
"""The kind of an error, the same in every language. One of 'Config', 'InvalidInput', 'Xml', 'Signature',
'Mismatch', 'Protocol', 'Business', 'MpApi', 'Transport', 'Cache', 'Internal'."""

FollowUp = str
"""What to do later with an `MicropayStatus::Unsettled` payment. One of 'query', 'reverse'."""

class FundFlowTotals(TypedDict):
    """The summary line of a fund flow, amounts in fen."""

    count: int
    expense_count: int
    expense_fen: int
    income_count: int
    income_fen: int


class FundFlow(TypedDict):
    """A parsed fund flow: one row per movement (values without their leading backtick, amounts in yuan as WeChat
    writes them) and the totals, checked against the rows."""

    columns: List[str]
    no_bill: bool
    rows: List[List[str]]
    totals: FundFlowTotals


class JsapiPayParamsV3(TypedDict):
    """What `WeixinJSBridge.invoke('getBrandWCPayRequest', …)` and `wx.requestPayment` take (the mini-program
    leaves `appId` out; it is signed all the same)."""

    appId: str
    nonceStr: str
    package: str
    paySign: str
    signType: str
    timeStamp: str


class JssdkConfig(TypedDict):
    """The object for `wx.config`."""

    appId: str
    debug: bool
    jsApiList: List[str]
    nonceStr: str
    signature: str
    timestamp: int


class JssdkPayParams(TypedDict):
    """`wx.chooseWXPay` params (note `timestamp`, lower-case)."""

    nonceStr: str
    package: str
    paySign: str
    signType: str
    timestamp: str


class MaxRatio(TypedDict):
    """The share of its sub-merchants' orders a service provider may take (`pay/profitsharingmerchantratioquery`)."""

    max_ratio: int


MicropayStatus = str
"""How a counter payment ended. One of 'paid', 'reversed', 'failed', 'unsettled'."""

class MicropayOutcome(TypedDict):
    """What the cashier's screen needs to know."""

    err_code: Optional[str]
    err_code_des: Optional[str]
    error: Optional[WxPayError]
    follow_up: Optional[FollowUp]
    out_trade_no: str
    queries: int
    reverses: int
    status: MicropayStatus
    total_fee: Optional[int]
    transaction_id: Optional[str]


class MiniProgramSession(TypedDict):
    """What a mini-program login (`sns/jscode2session`) yields."""

    openid: str
    session_key: str
    unionid: Optional[str]


class Notification(TypedDict):
    """A verified, decrypted notification."""

    create_time: str
    event_type: str
    id: str
    original_type: str
    resource: Any
    resource_type: str
    summary: str


NotifyStatus = str
"""How a notification ended. One of 'paid', 'already_paid', 'not_paid', 'refused'."""

TradeState = str
"""`trade_state` of an order. One of 'SUCCESS', 'REFUND', 'NOTPAY', 'CLOSED', 'REVOKED', 'USERPAYING', 'PAYERROR',
'ACCEPT'."""

class OrderQueryReply(TypedDict):
    """A verified orderquery reply."""

    attach: Optional[str]
    cash_fee: Optional[int]
    coupons: List[Coupon]
    fee_type: str
    openid: Optional[str]
    out_trade_no: str
    raw: Raw
    sub_appid: Optional[str]
    sub_mch_id: Optional[str]
    sub_openid: Optional[str]
    time_end: Optional[str]
    total_fee: Optional[int]
    trade_state: TradeState
    trade_state_desc: Optional[str]
    trade_type: Optional[str]
    transaction_id: Optional[str]


class PaymentNotify(TypedDict):
    """A verified payment notification."""

    attach: Optional[str]
    cash_fee: Optional[int]
    coupons: List[Coupon]
    err_code: Optional[str]
    err_code_des: Optional[str]
    fee_type: str
    openid: Optional[str]
    out_trade_no: str
    paid: bool
    raw: Raw
    result_code: str
    sub_appid: Optional[str]
    sub_mch_id: Optional[str]
    sub_openid: Optional[str]
    time_end: Optional[str]
    total_fee: Optional[int]
    trade_type: Optional[str]
    transaction_id: Optional[str]


class NotifyDecision(TypedDict):
    """What to do with one payment notification, and what to answer WeChat."""

    confirmation: Optional[OrderQueryReply]
    error: Optional[WxPayError]
    notify: Optional[PaymentNotify]
    out_trade_no: Optional[str]
    reply: str
    status: NotifyStatus
    total_fee: Optional[int]
    transaction_id: Optional[str]


class TransactionV3(TypedDict):
    """An order as WeChat describes it, checked."""

    out_trade_no: str
    paid: bool
    payer_total: Optional[int]
    raw: Any
    sub_mchid: Optional[str]
    success_time: Optional[str]
    total: int
    trade_state: str
    transaction_id: Optional[str]


class NotifyDecisionV3(TypedDict):
    """What to do with one v3 payment notification, and what to answer."""

    body: str
    confirmation: Optional[TransactionV3]
    error: Optional[WxPayError]
    http_status: int
    notification: Optional[Notification]
    out_trade_no: Optional[str]
    status: NotifyStatus
    total: Optional[int]
    transaction_id: Optional[str]


class OAuthToken(TypedDict):
    """What an OAuth code exchange yields."""

    access_token: str
    expires_in: int
    is_snapshotuser: Optional[int]
    openid: str
    refresh_token: str
    scope: str
    unionid: Optional[str]


class PrepayAnswer(TypedDict):
    """What a prepay answers: the one thing its kind of order needs next."""

    code_url: Optional[str]
    h5_url: Optional[str]
    prepay_id: Optional[str]


class ShareResult(TypedDict):
    """One receiver's part of a sharing as WeChat reports it."""

    account: str
    amount: int
    description: Optional[str]
    detail_id: Optional[str]
    fail_reason: Optional[str]
    finish_time: Optional[str]
    result: Optional[str]
    type: str


class ProfitSharingState(TypedDict):
    """What WeChat says of a sharing: `status` `PROCESSING` or `FINISHED`, each receiver's `result` (`PENDING`,
    `SUCCESS`, `CLOSED`)."""

    close_reason: Optional[str]
    order_id: str
    out_order_no: str
    raw: Raw
    receivers: List[ShareResult]
    status: Optional[str]
    transaction_id: str


class SideTotals(TypedDict):
    """Counts and sums of one side (or of what matched)."""

    payment_fen: int
    payments: int
    refund_fen: int
    refunds: int


class Reconciliation(TypedDict):
    """The result of a reconciliation."""

    balanced: bool
    counts: DifferenceCounts
    differences: List[Difference]
    matched: SideTotals
    no_bill: bool
    shop: SideTotals
    unlisted: int
    wechat: SideTotals
    wechat_revoked: int


class RefundCoupon(TypedDict):
    """One coupon returned by a refund (`coupon_*_$n_$m`)."""

    coupon_type: Optional[str]
    fee: int
    id: str


class RefundNotify(TypedDict):
    """A decrypted refund notification."""

    info: Raw
    out_refund_no: str
    out_trade_no: str
    raw: Raw
    refund_fee: int
    refund_id: str
    refund_status: str
    success_time: Optional[str]
    total_fee: int
    transaction_id: str


RefundNotifyStatus = str
"""How a refund notification ended. One of 'refunded', 'not_refunded', 'refused'."""

class RefundNotifyDecision(TypedDict):
    """What to do with one refund notification, and what to answer WeChat."""

    error: Optional[WxPayError]
    refund: Optional[RefundNotify]
    reply: str
    status: RefundNotifyStatus


class RefundStateV3(TypedDict):
    """A refund as WeChat describes it, checked."""

    out_refund_no: str
    raw: Any
    refund: int
    refund_id: str
    status: str
    success_time: Optional[str]
    total: int


class RefundNotifyDecisionV3(TypedDict):
    """What to do with one v3 refund notification, and what to answer."""

    body: str
    error: Optional[WxPayError]
    http_status: int
    notification: Optional[Notification]
    refund: Optional[RefundStateV3]
    status: RefundNotifyStatus


RefundStatus = str
"""`refund_status_$n` of a refund. One of 'SUCCESS', 'REFUNDCLOSE', 'PROCESSING', 'CHANGE', 'FAIL'."""

class RefundRecord(TypedDict):
    """One refund of the order (`*_$n`)."""

    coupons: List[RefundCoupon]
    out_refund_no: str
    refund_account: Optional[str]
    refund_channel: Optional[str]
    refund_fee: int
    refund_id: str
    refund_recv_accout: Optional[str]
    refund_status: RefundStatus
    refund_success_time: Optional[str]


class RefundQueryReply(TypedDict):
    """A verified refundquery reply."""

    cash_fee: Optional[int]
    out_trade_no: str
    raw: Raw
    refunds: List[RefundRecord]
    total_fee: int
    total_refund_count: Optional[int]
    transaction_id: str


class RefundReply(TypedDict):
    """A verified refund reply: WeChat accepted the refund (the outcome comes later, from refundquery or the refund
    notification)."""

    cash_fee: Optional[int]
    out_refund_no: str
    out_trade_no: str
    raw: Raw
    refund_fee: int
    refund_id: str
    total_fee: int
    transaction_id: str


class ReturnState(TypedDict):
    """How a return went."""

    fail_reason: Optional[str]
    finish_time: Optional[str]
    order_id: Optional[str]
    out_order_no: Optional[str]
    out_return_no: str
    raw: Raw
    result: str
    return_account: str
    return_amount: int
    return_no: Optional[str]


class ReverseOutcome(TypedDict):
    """A reversal WeChat confirmed."""

    out_trade_no: str
    reverses: int


class ScanCallback(TypedDict):
    """A verified scan callback: who scanned which product's QR code."""

    is_subscribe: bool
    openid: str
    product_id: str
    raw: Raw


class SealedField(TypedDict):
    """A sensitive field encrypted for WeChat (`encrypt_sensitive`)."""

    ciphertext: str
    serial: str


class ShopOrder(TypedDict, total=False):
    """What the shop recorded for the order a notification is about."""

    sub_mch_id: Optional[str]
    total_fee: int
    transaction_id: Optional[str]


class TokenStoreHealth(TypedDict):
    """How the token store is doing (`Client::token_store_health`)."""

    error: Optional[str]
    healthy: bool
    store: str


class UnifiedOrderReply(TypedDict):
    """A successful unifiedorder reply."""

    code_url: Optional[str]
    mweb_url: Optional[str]
    prepay_id: str
    raw: Raw
    trade_type: str


class UnsplitAmount(TypedDict):
    """What of a paid order is still unshared."""

    unsplit_amount: int


__all__ = [
    "AppPayParams",
    "AppPayParamsV3",
    "Bill",
    "BridgePayParams",
    "ClientMetrics",
    "CloseOrderReply",
    "Coupon",
    "Difference",
    "DifferenceCounts",
    "DifferenceKind",
    "ErrorCode",
    "ErrorKind",
    "FollowUp",
    "FundFlow",
    "FundFlowTotals",
    "JsapiPayParamsV3",
    "JssdkConfig",
    "JssdkPayParams",
    "Latency",
    "MaxRatio",
    "MicropayOutcome",
    "MicropayStatus",
    "MiniProgramSession",
    "Notification",
    "NotifyDecision",
    "NotifyDecisionV3",
    "NotifyStatus",
    "OAuthToken",
    "OperationMetrics",
    "OrderQueryReply",
    "PaymentNotify",
    "PrepayAnswer",
    "ProfitSharingState",
    "Reconciliation",
    "RefundCoupon",
    "RefundNotify",
    "RefundNotifyDecision",
    "RefundNotifyDecisionV3",
    "RefundNotifyStatus",
    "RefundQueryReply",
    "RefundRecord",
    "RefundReply",
    "RefundStateV3",
    "RefundStatus",
    "ReturnState",
    "ReverseOutcome",
    "ScanCallback",
    "SealedField",
    "ShareResult",
    "ShopOrder",
    "SideTotals",
    "TokenStoreHealth",
    "TradeState",
    "TransactionV3",
    "UnifiedOrderReply",
    "UnsplitAmount",
]
