"""A small shop module written against wxpay's type hints; test_typing.py
runs `mypy --strict` on it, so a wrong or missing stub fails the tests."""

import asyncio
from typing import Any, Dict, Optional, Union

import wxpay
from wxpay.types import (BridgePayParams, JsapiPayParamsV3, NotifyDecisionV3, PaymentNotify, PrepayAnswer, TransactionV3,
                         UnifiedOrderReply)


class Cache:
    def __init__(self) -> None:
        self.data: Dict[str, str] = {}

    def get(self, key: str) -> Optional[str]:
        return self.data.get(key)

    def set(self, key: str, value: str, ttl: int) -> None:
        self.data[key] = value


def make_client(base_url: str) -> wxpay.Client:
    return wxpay.Client(
        appid="wxd930ea5d5a258f4f",
        mch_id="10000100",
        api_key="192006250b4c09247ec02edce69f6a2d",
        app_secret="wxpaysim0app0secret0000000000000",
        notify_url="https://shop.example/wxpay/notify",
        base_url=base_url,
        timeout=5.0,
        retries=1,
        token_store=Cache(),
    )


def checkout(client: wxpay.Client, openid: str, out_trade_no: str, total_fee: int) -> BridgePayParams:
    order: UnifiedOrderReply = client.unified_order(
        body="Shop-Books", out_trade_no=out_trade_no, total_fee=total_fee,
        spbill_create_ip="127.0.0.1", openid=openid, attach="cart-1",
    )
    prepay_id: str = order["prepay_id"]
    return client.jsapi_params(prepay_id)


def handle_notify(client: wxpay.Client, body: bytes, expected_fee: int) -> str:
    try:
        notify: PaymentNotify = client.verify_payment_notify(body)
        client.check_amount(notify, expected_fee)
        paid: Optional[int] = client.confirm_payment(notify)["total_fee"]
        assert paid == expected_fee
    except wxpay.SignatureError as e:
        return wxpay.notify_fail(f"bad signature: {e.reason}")
    except wxpay.WxPayError as e:
        retry: bool = e.retryable
        return wxpay.notify_fail("retry later" if retry else e.kind)
    return wxpay.notify_ack()


def signatures() -> bool:
    params: Dict[str, Union[str, int]] = {"appid": "wxd930ea5d5a258f4f", "total_fee": 1}
    s: str = wxpay.sign(params, "192006250b4c09247ec02edce69f6a2d", "HMAC-SHA256")
    fields: Dict[str, str] = wxpay.from_xml(wxpay.to_xml({"a": "1", "sign": s}))
    ok: bool = wxpay.verify(fields, "192006250b4c09247ec02edce69f6a2d", "HMAC-SHA256")
    sig: str = wxpay.jssdk_signature("ticket", "nonce", 1414587457, "https://shop.example/")
    return ok and bool(sig)


async def status(base_url: str, out_trade_no: str) -> str:
    client = wxpay.AsyncClient(appid="wxd930ea5d5a258f4f", mch_id="10000100",
                               api_key="192006250b4c09247ec02edce69f6a2d", base_url=base_url)
    reply = await client.query_order(out_trade_no)
    state: str = reply["trade_state"]
    return state


def run_status(base_url: str) -> str:
    return asyncio.run(status(base_url, "order-0001"))


def v3_checkout(base_url: str, headers: Dict[str, str], body: bytes) -> int:
    client = wxpay.ClientV3(mchid="1900009191", appid="wxd930ea5d5a258f4f", merchant_serial="3775B6A45ACD5888",
                            apiv3_key="wxpaysim0apiv30key00000000000001", private_key_path="apiclient_key.pem",
                            public_key_id="PUB_KEY_ID_0001", public_key_path="pub_key.pem", base_url=base_url)
    answer: PrepayAnswer = client.prepay(kind="jsapi", description="Tea", out_trade_no="order-0001", total=1500,
                                         openid="o1")
    prepay_id: Optional[str] = answer["prepay_id"]
    params: JsapiPayParamsV3 = client.jsapi_params(prepay_id or "")
    assert params["signType"] == "RSA"
    order: TransactionV3 = client.query_order("order-0001", total=1500)
    total: int = order["total"]
    decision: NotifyDecisionV3 = client.handle_payment_notify(
        headers, body, lambda no: {"total_fee": total, "transaction_id": None})
    if decision["error"] is not None:
        kind: str = decision["error"].kind
        assert kind
    client.close_order("order-0002")
    return decision["http_status"]


async def v3_async(base_url: str, headers: Dict[str, str], body: bytes) -> int:
    client = wxpay.AsyncClientV3(mchid="1900009191", appid="wxd930ea5d5a258f4f", merchant_serial="3775B6A45ACD5888",
                                 apiv3_key="wxpaysim0apiv30key00000000000001", private_key_path="apiclient_key.pem",
                                 base_url=base_url)
    order: TransactionV3 = await client.query_order("order-0001")

    async def find(no: str) -> Optional[wxpay.types.ShopOrder]:
        return {"total_fee": order["total"], "transaction_id": order["transaction_id"]}

    decision: NotifyDecisionV3 = await client.handle_payment_notify(headers, body, find)
    return decision["http_status"]
