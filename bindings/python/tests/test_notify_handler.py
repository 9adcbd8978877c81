"""handle_payment_notify: the whole notify handler in one call, against wxpay-sim."""

import asyncio
import time
from typing import Any, Dict, List, Optional

import pytest

import wxpay
from wxpay import types

from conftest import API_KEY, APPID, MCH_ID, OPENID, Receiver, Sim


def paid_body(sim: Sim, client: wxpay.Client, receiver: Receiver, out_trade_no: str) -> bytes:
    order = client.unified_order(body="wxpay-书店", out_trade_no=out_trade_no, total_fee=990,
                                 spbill_create_ip="127.0.0.1", openid=OPENID, notify_url=receiver.url)
    paid = sim.pay(client.jsapi_params(order["prepay_id"]))
    assert paid["err_msg"] == "get_brand_wcpay_request:ok", paid
    end = time.time() + 5
    while not receiver.bodies and time.time() < end:
        time.sleep(0.01)
    return receiver.bodies[0]


class Shop:
    """The shop's order table, and every lookup the handler made."""

    def __init__(self, **orders: Optional[types.ShopOrder]) -> None:
        self.orders = orders
        self.asked: List[str] = []

    def find(self, out_trade_no: str) -> Optional[types.ShopOrder]:
        self.asked.append(out_trade_no)
        return self.orders.get(out_trade_no.replace("-", "_"))


def queries(sim: Sim) -> int:
    return int(sim.stats().get("orderquery", 0))


def refused(d: types.NotifyDecision, kind: str, field: Optional[str] = None) -> None:
    assert d["status"] == "refused", d
    e = d["error"]
    assert isinstance(e, getattr(wxpay, kind + "Error")) and e.kind == kind and e.field == field, repr(e)
    assert wxpay.from_xml(d["reply"])["return_code"] == "FAIL"


def test_a_paid_order_is_confirmed_and_acknowledged(sim: Sim, client: wxpay.Client, receiver: Receiver) -> None:
    body = paid_body(sim, client, receiver, "py-handler-1")
    shop = Shop(py_handler_1={"total_fee": 990})
    before = queries(sim)
    d = client.handle_payment_notify(body, shop.find)
    assert d["status"] == "paid", d
    assert d["reply"] == wxpay.notify_ack()
    assert d["out_trade_no"] == "py-handler-1" and d["total_fee"] == 990
    assert d["confirmation"] is not None and d["confirmation"]["trade_state"] == "SUCCESS"
    assert d["transaction_id"] == d["confirmation"]["transaction_id"]
    assert d["error"] is None and shop.asked == ["py-handler-1"]
    assert queries(sim) - before == 1
    assert set(d) == set(types.NotifyDecision.__annotations__)

    # The shop recorded it; WeChat delivers it again (str body this time).
    shop.orders["py_handler_1"] = {"total_fee": 990, "transaction_id": d["transaction_id"]}
    again = client.handle_payment_notify(body.decode(), shop.find)
    assert again["status"] == "already_paid" and again["reply"] == wxpay.notify_ack()
    assert queries(sim) - before == 1

    # The record already at hand, camelCase welcome.
    settled = client.settle_payment_notify(body, {"totalFee": 990})
    assert settled["status"] == "paid"
    assert client.payment_notify_order(body) == "py-handler-1"


def test_the_shop_record_refuses_before_any_query(sim: Sim, client: wxpay.Client, receiver: Receiver) -> None:
    body = paid_body(sim, client, receiver, "py-handler-2")
    before = queries(sim)
    refused(client.handle_payment_notify(body, Shop(py_handler_2={"total_fee": 1}).find), "Mismatch", "total_fee")
    refused(client.handle_payment_notify(body, Shop().find), "Mismatch", "out_trade_no")
    other: types.ShopOrder = {"total_fee": 990, "transaction_id": "4200000000000000000000000009"}
    refused(client.handle_payment_notify(body, Shop(py_handler_2=other).find), "Mismatch", "transaction_id")
    assert queries(sim) == before


def test_forged_bodies_never_reach_the_lookup(sim: Sim, client: wxpay.Client, receiver: Receiver) -> None:
    body = paid_body(sim, client, receiver, "py-handler-3")
    shop = Shop(py_handler_3={"total_fee": 991})
    forged = body.replace(b"990", b"991", 1)
    assert forged != body
    d = client.handle_payment_notify(forged, shop.find)
    refused(d, "Signature")
    assert d["out_trade_no"] is None and shop.asked == []
    refused(client.handle_payment_notify(b"<!DOCTYPE x><xml/>", shop.find), "Xml")
    # A str that is not Unicode is refused like any bad body, never a UnicodeEncodeError.
    refused(client.handle_payment_notify(b"<xml>\xff</xml>".decode("utf-8", "surrogateescape"), shop.find), "Xml")
    assert shop.asked == []


def test_an_authentic_failed_payment_is_acknowledged() -> None:
    key = wxpay.Client(appid=APPID, mch_id=MCH_ID, api_key=API_KEY, base_url="http://127.0.0.1:9")
    body = wxpay.to_signed_xml({"return_code": "SUCCESS", "result_code": "FAIL", "err_code": "NOTENOUGH",
                                "appid": APPID, "mch_id": MCH_ID, "out_trade_no": "py-handler-4",
                                "nonce_str": "n0nce", "openid": OPENID}, API_KEY, "HMAC-SHA256")
    shop = Shop()
    d = key.handle_payment_notify(body, shop.find)
    assert d["status"] == "not_paid" and d["reply"] == wxpay.notify_ack() and shop.asked == []
    assert d["notify"] is not None and d["notify"]["err_code"] == "NOTENOUGH"


def test_orderquery_down_refuses_for_later(sim: Sim, client: wxpay.Client, receiver: Receiver) -> None:
    body = paid_body(sim, client, receiver, "py-handler-5")
    shop = Shop(py_handler_5={"total_fee": 990})
    sim.fault("/pay/orderquery", "http_error", count=2)
    d = client.handle_payment_notify(body, shop.find)
    refused(d, "Transport")
    assert d["error"] is not None and d["error"].retryable is True
    assert client.handle_payment_notify(body, shop.find)["status"] == "paid"


def test_the_lookup_and_its_answer_are_checked(sim: Sim, client: wxpay.Client, receiver: Receiver) -> None:
    body = paid_body(sim, client, receiver, "py-handler-6")

    def broken(out_trade_no: str) -> Optional[types.ShopOrder]:
        raise LookupError("database down")

    with pytest.raises(LookupError, match="database down"):
        client.handle_payment_notify(body, broken)
    with pytest.raises(TypeError):
        client.handle_payment_notify(body, "not callable")  # type: ignore[arg-type]
    # A record of the wrong shape is a TypeError, as for any argument.
    bad: List[Any] = [990, {"total_fee": True}, {"total_fee": 9.9}, {"total_fee": 990, "paid": True}, {}]
    for answer in bad:
        with pytest.raises(TypeError):
            client.handle_payment_notify(body, lambda _no, a=answer: a)
    with pytest.raises(wxpay.InvalidInputError):
        client.handle_payment_notify(body, lambda _no: {"total_fee": -1})


def test_async_handler_takes_a_coroutine_lookup(sim: Sim, receiver: Receiver) -> None:
    async def run() -> Dict[str, Any]:
        c = wxpay.AsyncClient(appid=APPID, mch_id=MCH_ID, api_key=API_KEY, base_url=sim.url)
        body = paid_body(sim, c.client, receiver, "py-handler-7")

        async def find(out_trade_no: str) -> Optional[types.ShopOrder]:
            await asyncio.sleep(0)
            return {"total_fee": 990} if out_trade_no == "py-handler-7" else None

        d = await c.handle_payment_notify(body, find)
        return dict(d)

    assert asyncio.run(run())["status"] == "paid"


def test_a_decimal_field_amount_and_a_whole_row_from_the_lookup(sim: Sim, client: wxpay.Client,
                                                                 receiver: Receiver) -> None:
    """A Django DecimalField amount in whole fen is read; one in yuan is refused
    saying fen; the shop's whole row is refused by its extra key, saying what
    to return. Nothing is marked paid in the refusals."""
    from decimal import Decimal

    body = paid_body(sim, client, receiver, "py-handler-decimal")
    # A value of the wrong type or a key the call does not take is a TypeError,
    # as for any Python call (wxpay/errors.py).
    with pytest.raises(TypeError) as e:
        client.handle_payment_notify(body, lambda no: {"total_fee": Decimal("9.90")})
    assert "total_fee" in str(e.value) and "whole number of fen" in str(e.value)
    with pytest.raises(TypeError) as e:
        client.handle_payment_notify(body, lambda no: {"total_fee": 990, "status": "new", "id": 7})
    message = str(e.value)
    assert ("status" in message or "id" in message) and "lookup" in message and "transaction_id" in message
    d = client.handle_payment_notify(body, lambda no: {"total_fee": Decimal("990")})
    assert d["status"] == "paid" and d["total_fee"] == 990, d


def test_the_simulator_pays_only_what_wechats_client_would(sim: Sim, client: wxpay.Client,
                                                           receiver: Receiver) -> None:
    order = client.unified_order(body="b", out_trade_no="py-sim-pay-1", total_fee=1, spbill_create_ip="127.0.0.1",
                                 openid=OPENID, notify_url=receiver.url)
    params = dict(client.jsapi_params(order["prepay_id"]))
    forged = dict(params, paySign="0" * len(params["paySign"]))
    assert sim.pay(forged) == {"err_msg": "get_brand_wcpay_request:fail", "reason": "paySign is wrong"}
    assert sim.order("py-sim-pay-1")["trade_state"] == "NOTPAY"
    assert sim.pay(params) == {"err_msg": "get_brand_wcpay_request:ok"}
    assert sim.order("py-sim-pay-1")["trade_state"] == "SUCCESS"
    assert sim.pay(params)["reason"] == "the order is already paid"
