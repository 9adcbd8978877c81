"""``AsyncClient`` and ``AsyncClientV3``: the same clients for asyncio code.

Network calls run in a worker thread (the core releases the GIL while it
waits), so the event loop keeps running; calls that do no I/O run inline.
Every method takes exactly the arguments of the :class:`wxpay.Client`
method of the same name, which the core judges.

Generated from the core's operation table by packaging/gen_hosts.py: do not
edit; run `make generate` after adding an operation to the core.
"""

import asyncio
import inspect
from typing import Any, Awaitable, Callable, Optional, Union

from ._wxpay import Client, ClientV3
from .types import (
    AppPayParams,
    AppPayParamsV3,
    Bill,
    BridgePayParams,
    ClientMetrics,
    CloseOrderReply,
    FundFlow,
    JsapiPayParamsV3,
    JssdkConfig,
    JssdkPayParams,
    MaxRatio,
    MicropayOutcome,
    MiniProgramSession,
    Notification,
    NotifyDecision,
    NotifyDecisionV3,
    OAuthToken,
    OrderQueryReply,
    PaymentNotify,
    PrepayAnswer,
    ProfitSharingState,
    Reconciliation,
    RefundNotify,
    RefundNotifyDecision,
    RefundNotifyDecisionV3,
    RefundQueryReply,
    RefundReply,
    RefundStateV3,
    ReturnState,
    ReverseOutcome,
    ScanCallback,
    SealedField,
    ShopOrder,
    TokenStoreHealth,
    TransactionV3,
    UnifiedOrderReply,
    UnsplitAmount,
)


class AsyncClient:
    """``await client.unified_order(...)`` etc.; takes the same arguments as
    :class:`wxpay.Client`."""

    def __init__(self, **options: Any) -> None:
        self._client = Client(**options)

    @property
    def client(self) -> Client:
        """The underlying synchronous client."""
        return self._client

    def __repr__(self) -> str:
        return "Async" + repr(self._client)

    async def handle_payment_notify(
        self,
        body: Union[bytes, bytearray, memoryview, str],
        find_order: Callable[[str], Union[Optional[ShopOrder], Awaitable[Optional[ShopOrder]]]],
    ) -> NotifyDecision:
        """As :meth:`wxpay.Client.handle_payment_notify`; ``find_order`` may be
        a coroutine function (an async ORM lookup)."""
        if not callable(find_order):
            raise TypeError("find_order must be callable: out_trade_no -> your order or None")
        out_trade_no = self._client.payment_notify_order(body)
        order: Optional[ShopOrder] = None
        if out_trade_no is not None:
            found = find_order(out_trade_no)
            order = await found if inspect.isawaitable(found) else found
        return await asyncio.to_thread(self._client.settle_payment_notify, body, order)

    async def unified_order(self, *args: Any, **kwargs: Any) -> UnifiedOrderReply:
        return await asyncio.to_thread(self._client.unified_order, *args, **kwargs)

    def jsapi_params(self, *args: Any, **kwargs: Any) -> BridgePayParams:
        return self._client.jsapi_params(*args, **kwargs)

    def jssdk_pay_params(self, *args: Any, **kwargs: Any) -> JssdkPayParams:
        return self._client.jssdk_pay_params(*args, **kwargs)

    def app_pay_params(self, *args: Any, **kwargs: Any) -> AppPayParams:
        return self._client.app_pay_params(*args, **kwargs)

    async def query_order(self, *args: Any, **kwargs: Any) -> OrderQueryReply:
        return await asyncio.to_thread(self._client.query_order, *args, **kwargs)

    async def close_order(self, *args: Any, **kwargs: Any) -> CloseOrderReply:
        return await asyncio.to_thread(self._client.close_order, *args, **kwargs)

    async def refund(self, *args: Any, **kwargs: Any) -> RefundReply:
        return await asyncio.to_thread(self._client.refund, *args, **kwargs)

    async def query_refund(self, *args: Any, **kwargs: Any) -> RefundQueryReply:
        return await asyncio.to_thread(self._client.query_refund, *args, **kwargs)

    async def download_bill(self, *args: Any, **kwargs: Any) -> Bill:
        return await asyncio.to_thread(self._client.download_bill, *args, **kwargs)

    async def download_fund_flow(self, *args: Any, **kwargs: Any) -> FundFlow:
        return await asyncio.to_thread(self._client.download_fund_flow, *args, **kwargs)

    async def micropay(self, *args: Any, **kwargs: Any) -> MicropayOutcome:
        return await asyncio.to_thread(self._client.micropay, *args, **kwargs)

    async def reverse(self, *args: Any, **kwargs: Any) -> ReverseOutcome:
        return await asyncio.to_thread(self._client.reverse, *args, **kwargs)

    async def auth_code_to_openid(self, *args: Any, **kwargs: Any) -> str:
        return await asyncio.to_thread(self._client.auth_code_to_openid, *args, **kwargs)

    async def add_profit_sharing_receiver(self, *args: Any, **kwargs: Any) -> None:
        return await asyncio.to_thread(self._client.add_profit_sharing_receiver, *args, **kwargs)

    async def remove_profit_sharing_receiver(self, *args: Any, **kwargs: Any) -> None:
        return await asyncio.to_thread(self._client.remove_profit_sharing_receiver, *args, **kwargs)

    async def profit_sharing(self, *args: Any, **kwargs: Any) -> ProfitSharingState:
        return await asyncio.to_thread(self._client.profit_sharing, *args, **kwargs)

    async def query_profit_sharing(self, *args: Any, **kwargs: Any) -> ProfitSharingState:
        return await asyncio.to_thread(self._client.query_profit_sharing, *args, **kwargs)

    async def finish_profit_sharing(self, *args: Any, **kwargs: Any) -> ProfitSharingState:
        return await asyncio.to_thread(self._client.finish_profit_sharing, *args, **kwargs)

    async def profit_sharing_unsplit_amount(self, *args: Any, **kwargs: Any) -> UnsplitAmount:
        return await asyncio.to_thread(self._client.profit_sharing_unsplit_amount, *args, **kwargs)

    async def profit_sharing_return(self, *args: Any, **kwargs: Any) -> ReturnState:
        return await asyncio.to_thread(self._client.profit_sharing_return, *args, **kwargs)

    async def query_profit_sharing_return(self, *args: Any, **kwargs: Any) -> ReturnState:
        return await asyncio.to_thread(self._client.query_profit_sharing_return, *args, **kwargs)

    async def profit_sharing_max_ratio(self, *args: Any, **kwargs: Any) -> MaxRatio:
        return await asyncio.to_thread(self._client.profit_sharing_max_ratio, *args, **kwargs)

    def reconcile(self, *args: Any, **kwargs: Any) -> Reconciliation:
        return self._client.reconcile(*args, **kwargs)

    def reconcile_start(self, *args: Any, **kwargs: Any) -> str:
        return self._client.reconcile_start(*args, **kwargs)

    def reconcile_bill(self, *args: Any, **kwargs: Any) -> None:
        self._client.reconcile_bill(*args, **kwargs)

    async def reconcile_download_bill(self, *args: Any, **kwargs: Any) -> None:
        return await asyncio.to_thread(self._client.reconcile_download_bill, *args, **kwargs)

    def reconcile_shop(self, *args: Any, **kwargs: Any) -> None:
        self._client.reconcile_shop(*args, **kwargs)

    def reconcile_shop_csv(self, *args: Any, **kwargs: Any) -> None:
        self._client.reconcile_shop_csv(*args, **kwargs)

    def reconcile_finish(self, *args: Any, **kwargs: Any) -> Reconciliation:
        return self._client.reconcile_finish(*args, **kwargs)

    def native_qr_link(self, *args: Any, **kwargs: Any) -> str:
        return self._client.native_qr_link(*args, **kwargs)

    async def short_url(self, *args: Any, **kwargs: Any) -> str:
        return await asyncio.to_thread(self._client.short_url, *args, **kwargs)

    def verify_scan_callback(self, *args: Any, **kwargs: Any) -> ScanCallback:
        return self._client.verify_scan_callback(*args, **kwargs)

    def native_scan_reply(self, *args: Any, **kwargs: Any) -> str:
        return self._client.native_scan_reply(*args, **kwargs)

    def native_scan_refusal(self, *args: Any, **kwargs: Any) -> str:
        return self._client.native_scan_refusal(*args, **kwargs)

    def verify_payment_notify(self, *args: Any, **kwargs: Any) -> PaymentNotify:
        return self._client.verify_payment_notify(*args, **kwargs)

    def check_amount(self, *args: Any, **kwargs: Any) -> None:
        self._client.check_amount(*args, **kwargs)

    async def confirm_payment(self, *args: Any, **kwargs: Any) -> OrderQueryReply:
        return await asyncio.to_thread(self._client.confirm_payment, *args, **kwargs)

    def payment_notify_order(self, *args: Any, **kwargs: Any) -> Optional[str]:
        return self._client.payment_notify_order(*args, **kwargs)

    async def settle_payment_notify(self, *args: Any, **kwargs: Any) -> NotifyDecision:
        return await asyncio.to_thread(self._client.settle_payment_notify, *args, **kwargs)

    def parse_refund_notify(self, *args: Any, **kwargs: Any) -> RefundNotify:
        return self._client.parse_refund_notify(*args, **kwargs)

    def handle_refund_notify(self, *args: Any, **kwargs: Any) -> RefundNotifyDecision:
        return self._client.handle_refund_notify(*args, **kwargs)

    def oauth_authorize_url(self, *args: Any, **kwargs: Any) -> str:
        return self._client.oauth_authorize_url(*args, **kwargs)

    def oauth_state(self, *args: Any, **kwargs: Any) -> str:
        return self._client.oauth_state(*args, **kwargs)

    def check_oauth_state(self, *args: Any, **kwargs: Any) -> None:
        self._client.check_oauth_state(*args, **kwargs)

    async def oauth_exchange_code(self, *args: Any, **kwargs: Any) -> OAuthToken:
        return await asyncio.to_thread(self._client.oauth_exchange_code, *args, **kwargs)

    async def jscode2session(self, *args: Any, **kwargs: Any) -> MiniProgramSession:
        return await asyncio.to_thread(self._client.jscode2session, *args, **kwargs)

    async def access_token(self, *args: Any, **kwargs: Any) -> str:
        return await asyncio.to_thread(self._client.access_token, *args, **kwargs)

    async def jsapi_ticket(self, *args: Any, **kwargs: Any) -> str:
        return await asyncio.to_thread(self._client.jsapi_ticket, *args, **kwargs)

    def metrics(self, *args: Any, **kwargs: Any) -> ClientMetrics:
        return self._client.metrics(*args, **kwargs)

    def metrics_prometheus(self, *args: Any, **kwargs: Any) -> str:
        return self._client.metrics_prometheus(*args, **kwargs)

    def token_store_health(self, *args: Any, **kwargs: Any) -> TokenStoreHealth:
        return self._client.token_store_health(*args, **kwargs)

    async def jssdk_config(self, *args: Any, **kwargs: Any) -> JssdkConfig:
        return await asyncio.to_thread(self._client.jssdk_config, *args, **kwargs)


class AsyncClientV3:
    """``await client.prepay(...)`` etc.: :class:`wxpay.ClientV3` for asyncio
    code, every method taking the same arguments."""

    def __init__(self, **options: Any) -> None:
        self._client = ClientV3(**options)

    @property
    def client(self) -> ClientV3:
        """The underlying synchronous client."""
        return self._client

    def __repr__(self) -> str:
        return "Async" + repr(self._client)

    async def parse_notification(self, headers: Any, body: Union[bytes, bytearray, memoryview, str],
                                 now: Optional[int] = None) -> Notification:
        return await asyncio.to_thread(self._client.parse_notification, headers, body, now)

    async def handle_payment_notify(
        self,
        headers: Any,
        body: Union[bytes, bytearray, memoryview, str],
        find_order: Callable[[str], Union[Optional[ShopOrder], Awaitable[Optional[ShopOrder]]]],
    ) -> NotifyDecisionV3:
        """As :meth:`wxpay.ClientV3.handle_payment_notify`; ``find_order`` may be
        a coroutine function (an async ORM lookup)."""
        if not callable(find_order):
            raise TypeError("find_order must be callable: out_trade_no -> your order or None")
        # Verification may fetch WeChat's certificates: off the event loop.
        out_trade_no = await asyncio.to_thread(self._client.payment_notify_order, headers, body)
        order: Optional[ShopOrder] = None
        if out_trade_no is not None:
            found = find_order(out_trade_no)
            order = await found if inspect.isawaitable(found) else found
        return await asyncio.to_thread(self._client.settle_payment_notify, headers, body, order)

    async def handle_refund_notify(self, headers: Any,
                                   body: Union[bytes, bytearray, memoryview, str]) -> RefundNotifyDecisionV3:
        return await asyncio.to_thread(self._client.handle_refund_notify, headers, body)

    async def prepay(self, *args: Any, **kwargs: Any) -> PrepayAnswer:
        return await asyncio.to_thread(self._client.prepay, *args, **kwargs)

    def jsapi_params(self, *args: Any, **kwargs: Any) -> JsapiPayParamsV3:
        return self._client.jsapi_params(*args, **kwargs)

    def app_params(self, *args: Any, **kwargs: Any) -> AppPayParamsV3:
        return self._client.app_params(*args, **kwargs)

    async def query_order(self, *args: Any, **kwargs: Any) -> TransactionV3:
        return await asyncio.to_thread(self._client.query_order, *args, **kwargs)

    async def close_order(self, *args: Any, **kwargs: Any) -> None:
        return await asyncio.to_thread(self._client.close_order, *args, **kwargs)

    async def refund(self, *args: Any, **kwargs: Any) -> RefundStateV3:
        return await asyncio.to_thread(self._client.refund, *args, **kwargs)

    async def query_refund(self, *args: Any, **kwargs: Any) -> RefundStateV3:
        return await asyncio.to_thread(self._client.query_refund, *args, **kwargs)

    async def download_trade_bill(self, *args: Any, **kwargs: Any) -> Bill:
        return await asyncio.to_thread(self._client.download_trade_bill, *args, **kwargs)

    async def download_fund_flow_bill(self, *args: Any, **kwargs: Any) -> FundFlow:
        return await asyncio.to_thread(self._client.download_fund_flow_bill, *args, **kwargs)

    async def encrypt_sensitive(self, *args: Any, **kwargs: Any) -> SealedField:
        return await asyncio.to_thread(self._client.encrypt_sensitive, *args, **kwargs)
