"""``AsyncClient``: the same client for asyncio code.

Network calls run in a worker thread (the core releases the GIL while it
waits), so the event loop keeps running; calls that do no I/O run inline.
"""

import asyncio
from typing import Any, Dict, List, Optional, Union

from ._wxpay import Client

Body = Union[bytes, bytearray, memoryview, str]


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

    async def unified_order(self, **order: Any) -> Dict[str, Any]:
        return await asyncio.to_thread(self._client.unified_order, **order)

    async def query_order(self, out_trade_no: Optional[str] = None, *, transaction_id: Optional[str] = None) -> Dict[str, Any]:
        return await asyncio.to_thread(self._client.query_order, out_trade_no, transaction_id=transaction_id)

    async def close_order(self, out_trade_no: str) -> Dict[str, Any]:
        return await asyncio.to_thread(self._client.close_order, out_trade_no)

    async def refund(self, **refund: Any) -> Dict[str, Any]:
        return await asyncio.to_thread(self._client.refund, **refund)

    async def query_refund(self, **query: Any) -> Dict[str, Any]:
        return await asyncio.to_thread(self._client.query_refund, **query)

    async def download_bill(self, bill_date: str, bill_type: str = "ALL", gzip: bool = False) -> Dict[str, Any]:
        return await asyncio.to_thread(self._client.download_bill, bill_date, bill_type, gzip)

    async def confirm_payment(self, notify: Dict[str, Any]) -> Dict[str, Any]:
        return await asyncio.to_thread(self._client.confirm_payment, notify)

    async def oauth_exchange_code(self, code: str) -> Dict[str, Any]:
        return await asyncio.to_thread(self._client.oauth_exchange_code, code)

    async def access_token(self) -> str:
        return await asyncio.to_thread(self._client.access_token)

    async def jsapi_ticket(self) -> str:
        return await asyncio.to_thread(self._client.jsapi_ticket)

    async def jssdk_config(self, url: str, js_api_list: List[str]) -> Dict[str, Any]:
        return await asyncio.to_thread(self._client.jssdk_config, url, js_api_list)

    # No I/O: these answer at once.
    def verify_payment_notify(self, body: Body, *, total_fee: Optional[int] = None) -> Dict[str, Any]:
        return self._client.verify_payment_notify(body, total_fee=total_fee)

    def parse_refund_notify(self, body: Body) -> Dict[str, Any]:
        return self._client.parse_refund_notify(body)

    def jsapi_params(self, prepay_id: str) -> Dict[str, str]:
        return self._client.jsapi_params(prepay_id)

    def jssdk_pay_params(self, prepay_id: str) -> Dict[str, str]:
        return self._client.jssdk_pay_params(prepay_id)

    def app_pay_params(self, prepay_id: str) -> Dict[str, str]:
        return self._client.app_pay_params(prepay_id)

    def oauth_authorize_url(self, redirect_uri: str, scope: str = "snsapi_base", state: Optional[str] = None) -> str:
        return self._client.oauth_authorize_url(redirect_uri, scope, state)

    def oauth_state(self, context: str) -> str:
        return self._client.oauth_state(context)

    def check_oauth_state(self, state: str, context: str, max_age: int = 600) -> None:
        self._client.check_oauth_state(state, context, max_age)
