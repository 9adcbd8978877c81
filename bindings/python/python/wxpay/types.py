"""The shapes of what wxpay returns, as TypedDicts (field names are WeChat's).

These are plain dicts at run time; the types are for mypy and editors. The
tests compare every shape here with what the library really returns.
"""

from typing import Dict, List, Optional, TypedDict

from .errors import WxPayError

Raw = Dict[str, str]


class UnifiedOrderReply(TypedDict):
    prepay_id: str
    trade_type: str
    code_url: Optional[str]
    mweb_url: Optional[str]
    raw: Raw


BridgePayParams = TypedDict(
    "BridgePayParams",
    {"appId": str, "timeStamp": str, "nonceStr": str, "package": str, "signType": str, "paySign": str},
)
"""For ``WeixinJSBridge.invoke('getBrandWCPayRequest', …)``."""

JssdkPayParams = TypedDict(
    "JssdkPayParams",
    {"timestamp": str, "nonceStr": str, "package": str, "signType": str, "paySign": str},
)
"""For ``wx.chooseWXPay`` (note ``timestamp``, lower-case)."""

AppPayParams = TypedDict(
    "AppPayParams",
    {"appid": str, "partnerid": str, "prepayid": str, "package": str, "noncestr": str, "timestamp": str,
     "sign": str},
)
"""For the app SDK's ``PayReq``."""


class Coupon(TypedDict):
    id: str
    coupon_type: Optional[str]
    fee: int


class OrderQueryReply(TypedDict):
    trade_state: str
    trade_state_desc: Optional[str]
    out_trade_no: str
    transaction_id: Optional[str]
    total_fee: Optional[int]
    cash_fee: Optional[int]
    fee_type: str
    openid: Optional[str]
    time_end: Optional[str]
    attach: Optional[str]
    coupons: List[Coupon]
    raw: Raw


class CloseOrderReply(TypedDict):
    already_closed: bool
    raw: Raw


class PaymentNotify(TypedDict):
    paid: bool
    result_code: str
    err_code: Optional[str]
    err_code_des: Optional[str]
    out_trade_no: str
    transaction_id: Optional[str]
    total_fee: Optional[int]
    cash_fee: Optional[int]
    fee_type: str
    openid: Optional[str]
    trade_type: Optional[str]
    time_end: Optional[str]
    attach: Optional[str]
    coupons: List[Coupon]
    sub_mch_id: Optional[str]
    sub_appid: Optional[str]
    sub_openid: Optional[str]
    raw: Raw


class ShopOrder(TypedDict, total=False):
    """What ``find_order`` returns for handle_payment_notify: the shop's amount
    in fen, once the order is marked paid the transaction recorded, and for a
    service provider the sub-merchant the order was placed for."""

    total_fee: int
    transaction_id: Optional[str]
    sub_mch_id: Optional[str]


class NotifyDecision(TypedDict):
    """handle_payment_notify's answer: ``status`` is ``paid``, ``already_paid``,
    ``not_paid`` or ``refused``; ``reply`` is the XML to answer WeChat with."""

    status: str
    reply: str
    out_trade_no: Optional[str]
    transaction_id: Optional[str]
    total_fee: Optional[int]
    notify: Optional[PaymentNotify]
    confirmation: Optional[OrderQueryReply]
    error: Optional[WxPayError]


class MicropayOutcome(TypedDict):
    """micropay's answer. ``status``: ``paid`` (hand over the goods),
    ``reversed`` or ``failed`` (nothing charged), or ``unsettled`` — money may
    have moved: do not ask for another code; ``follow_up`` is ``query`` (look
    at the order first) or ``reverse`` (call ``reverse`` again later), and
    ``error`` says what kept it open."""

    status: str
    out_trade_no: str
    transaction_id: Optional[str]
    total_fee: Optional[int]
    err_code: Optional[str]
    err_code_des: Optional[str]
    follow_up: Optional[str]
    error: Optional[WxPayError]
    queries: int
    reverses: int


class ReverseOutcome(TypedDict):
    """reverse's answer: WeChat confirmed the reversal."""

    out_trade_no: str
    reverses: int


class RefundNotify(TypedDict):
    transaction_id: str
    out_trade_no: str
    refund_id: str
    out_refund_no: str
    total_fee: int
    refund_fee: int
    refund_status: str
    success_time: Optional[str]
    info: Raw
    raw: Raw


class RefundReply(TypedDict):
    transaction_id: str
    out_trade_no: str
    out_refund_no: str
    refund_id: str
    refund_fee: int
    total_fee: int
    cash_fee: Optional[int]
    raw: Raw


class RefundRecord(TypedDict):
    out_refund_no: str
    refund_id: str
    refund_fee: int
    refund_status: str
    refund_channel: Optional[str]
    refund_account: Optional[str]
    refund_recv_accout: Optional[str]
    refund_success_time: Optional[str]
    coupons: List[Coupon]


class RefundQueryReply(TypedDict):
    transaction_id: str
    out_trade_no: str
    total_fee: int
    cash_fee: Optional[int]
    total_refund_count: Optional[int]
    refunds: List[RefundRecord]
    raw: Raw


class Bill(TypedDict):
    columns: List[str]
    rows: List[List[str]]
    summary_columns: List[str]
    summary: List[str]


class OAuthToken(TypedDict):
    openid: str
    access_token: str
    expires_in: int
    refresh_token: str
    scope: str
    unionid: Optional[str]
    is_snapshotuser: Optional[int]


JssdkConfig = TypedDict(
    "JssdkConfig",
    {"debug": bool, "appId": str, "timestamp": int, "nonceStr": str, "signature": str, "jsApiList": List[str]},
)
"""For ``wx.config``."""

__all__ = [
    "AppPayParams", "Bill", "BridgePayParams", "CloseOrderReply", "Coupon", "JssdkConfig", "JssdkPayParams", "MicropayOutcome",
    "NotifyDecision", "OAuthToken", "OrderQueryReply", "PaymentNotify", "ShopOrder", "RefundNotify", "RefundQueryReply", "RefundRecord",
    "RefundReply", "ReverseOutcome", "UnifiedOrderReply",
]
