"""wxpay.ClientV3 against the simulator in each key mode: configured from the
files the merchant platform hands out (by path and as bytes), a JSAPI order,
RSA pay params paid in the simulated WeChat client, the notification handled
by the one-call handler with the headers as a framework hands them over, a
query, a refund and its notification; and the errors a shop meets."""

import http.server
import pathlib
import threading
import time
from typing import Any, Dict, Iterator, List, Optional, Tuple

import pytest

import wxpay
from wxpay import types
from wxpay.testing import Simulator

KEYS = pathlib.Path(__file__).resolve().parents[3] / "tests" / "vectors" / "v3" / "keys"


class Headers:
    """Django's request.headers in miniature: a case-insensitive mapping."""

    def __init__(self, pairs: List[Tuple[str, str]]) -> None:
        self._pairs = pairs

    def items(self) -> List[Tuple[str, str]]:
        return [(k.title(), v) for k, v in self._pairs]


class Shop:
    """A shop's v3 notify endpoint: each request handed to the client's
    handlers, answered with the status and body they decide."""

    def __init__(self) -> None:
        self.client: Optional[wxpay.ClientV3] = None
        self.orders: Dict[str, Dict[str, Any]] = {}
        self.payments: List[Dict[str, Any]] = []
        self.refunds: List[Dict[str, Any]] = []
        self.received: List[Tuple[List[Tuple[str, str]], bytes]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                pairs = list(self.headers.items())
                outer.received.append((pairs, body))
                assert outer.client is not None
                if b"REFUND." in body:
                    d = outer.client.handle_refund_notify(Headers(pairs), body)
                    outer.refunds.append(d)
                else:
                    d = outer.client.handle_payment_notify(Headers(pairs), body, outer.orders.get)
                    outer.payments.append(d)
                    if d["status"] == "paid":
                        outer.orders[d["out_trade_no"]]["transaction_id"] = d["transaction_id"]
                self.send_response(d["http_status"])
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(d["body"].encode())

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/wxpay/v3/notify" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def shaped(value: Any, shape: Any) -> None:
    """`value` has exactly the keys of the generated TypedDict `shape`."""
    assert set(value) == set(shape.__annotations__), (shape.__name__, sorted(value))


def wait(condition: Any) -> None:
    end = time.time() + 10
    while not condition() and time.time() < end:
        time.sleep(0.02)
    assert condition()


@pytest.fixture
def shop() -> Iterator[Shop]:
    s = Shop()
    yield s
    s.server.shutdown()


def client_for(sim: Simulator, mode: str, notify_url: str) -> wxpay.ClientV3:
    m = sim.v3_merchant
    options: Dict[str, Any] = dict(
        mchid=m["mchid"],
        appid=sim.appid,
        merchant_serial=m["serial"],
        apiv3_key=m["apiv3_key"],
        private_key_path=str(KEYS / "merchant_key.pem"),
        notify_url=notify_url,
        base_url=sim.url,
        retry_backoff=0.01,
    )
    if mode != "certificate":
        options.update(public_key_id=m["public_key_id"], public_key=m["public_key"].encode())
    return wxpay.ClientV3(**options)


@pytest.mark.parametrize("mode", ["certificate", "public-key", "migrating"])
def test_a_v3_checkout_from_python(mode: str, shop: Shop) -> None:
    with Simulator(time_scale=0.001, instant_bills=True, v3_keys=mode) as sim:
        client = client_for(sim, mode, shop.url)
        shop.client = client
        assert "PRIVATE" not in repr(client) and sim.v3_merchant["apiv3_key"] not in repr(client)
        no = "py-v3-" + mode
        shop.orders[no] = {"total_fee": 990, "transaction_id": None}
        answer = client.prepay(kind="jsapi", description="书店-图书", out_trade_no=no, total=990,
                               openid=sim.openid)
        shaped(answer, types.PrepayAnswer)
        params = client.jsapi_params(answer["prepay_id"])
        shaped(params, types.JsapiPayParamsV3)
        assert params["signType"] == "RSA"
        assert sim.pay(params)["err_msg"] == "get_brand_wcpay_request:ok"
        wait(lambda: shop.payments)
        d = shop.payments[0]
        assert (d["status"], d["http_status"], d["body"]) == ("paid", 204, ""), d["error"]
        shaped(d, types.NotifyDecisionV3)
        shaped(d["notification"], types.Notification)
        assert shop.orders[no]["transaction_id"] == d["transaction_id"]

        order = client.query_order(no, total=990)
        assert order["paid"] and order["transaction_id"] == d["transaction_id"]
        shaped(order, types.TransactionV3)
        refund = client.refund(out_trade_no=no, out_refund_no=no + "-r", refund=300, total=990)
        shaped(refund, types.RefundStateV3)
        assert refund["refund"] == 300
        assert client.query_refund(out_trade_no=no, out_refund_no=no + "-r", refund=300,
                                   total=990)["refund_id"] == refund["refund_id"]
        wait(lambda: shop.refunds)
        assert shop.refunds[0]["status"] == "refunded", shop.refunds[0]["error"]
        shaped(shop.refunds[0], types.RefundNotifyDecisionV3)
        shaped(client.encrypt_sensitive("张三"), types.SealedField)

        # The same notification again: already paid, acknowledged.
        pairs, body = shop.received[0]
        again = client.handle_payment_notify(pairs, body, shop.orders.get)
        assert (again["status"], again["http_status"]) == ("already_paid", 204)
        # One byte changed: refused with 401, the lookup never called.
        def never(_: str) -> None:
            raise AssertionError("a forged body reached the shop's lookup")
        forged = client.handle_payment_notify(pairs, body.replace(b'"id"', b' "id"', 1), never)
        assert (forged["status"], forged["http_status"]) == ("refused", 401)
        assert isinstance(forged["error"], wxpay.SignatureError) and forged["error"].reason == "Invalid"


def test_v3_errors_are_typed(shop: Shop) -> None:
    with Simulator(time_scale=0.001, v3_keys="public-key") as sim:
        client = client_for(sim, "public-key", shop.url)
        with pytest.raises(wxpay.InvalidInputError) as e:
            client.query_order()
        assert e.value.field == "out_trade_no"
        with pytest.raises(TypeError):  # as v2: an amount of the wrong type is a TypeError
            client.prepay(kind="jsapi", description="d", out_trade_no="order-0001", total=9.9,
                          openid=sim.openid)
        with pytest.raises(wxpay.BusinessError) as b:
            client.query_order("py-v3-never-placed")
        assert b.value.err_code == "ORDER_NOT_EXIST"
        with pytest.raises(TypeError):
            client.parse_notification(12, b"{}")  # type: ignore[arg-type]
        with pytest.raises(wxpay.SignatureError):
            client.parse_notification({"Wechatpay-Serial": "PUB_KEY_ID_0000"}, b"{}")
        with pytest.raises(wxpay.ConfigError):
            wxpay.ClientV3(mchid="10000100", appid="wx1", merchant_serial="AB", apiv3_key="k")


def test_the_shared_v3_dispatch_vectors() -> None:
    """tests/vectors/v3/dispatch.json: calls refused before anything is sent,
    as an InvalidInputError naming the argument (or TypeError, as Python
    refuses a call it cannot bind, naming it in the message)."""
    import json

    doc = json.loads((KEYS.parent / "dispatch.json").read_text())
    for case in doc["cases"]:
        options = dict(case["client"])
        options["private_key_path"] = str(KEYS / options.pop("private_key_file"))
        options["public_key_path"] = str(KEYS / options.pop("public_key_file"))
        client = wxpay.ClientV3(**options)
        args = case["args"]
        want = case["expect"]["error"]
        with pytest.raises((wxpay.WxPayError, TypeError)) as e:
            if isinstance(args, list):
                client.call(case["op"], *args)
            else:
                client.call(case["op"], **args)
        if isinstance(e.value, wxpay.WxPayError):
            assert (e.value.kind, e.value.field) == (want["kind"], want["field"]), case["name"]
        else:
            assert want["kind"] == "InvalidInput" and want["field"] in str(e.value), (case["name"], str(e.value))


def test_async_client_v3(shop: Shop) -> None:
    """wxpay.AsyncClientV3: the same calls awaited, and the notify handler
    with a coroutine lookup (an async ORM)."""
    import asyncio

    with Simulator(time_scale=0.001, instant_bills=True, v3_keys="public-key") as sim:
        sync = client_for(sim, "public-key", shop.url)
        shop.client = sync
        m = sim.v3_merchant
        c = wxpay.AsyncClientV3(mchid=m["mchid"], appid=sim.appid, merchant_serial=m["serial"],
                                apiv3_key=m["apiv3_key"], private_key_path=str(KEYS / "merchant_key.pem"),
                                public_key_id=m["public_key_id"],
                                public_key_path=str(KEYS / "wechatpay_public_key.pem"), base_url=sim.url,
                                notify_url=shop.url)
        assert "AsyncClientV3(" in repr(c) and m["apiv3_key"] not in repr(c)
        no = "py-v3-async"
        shop.orders[no] = {"total_fee": 990, "transaction_id": None}
        looked_up: List[str] = []

        async def find(out_trade_no: str) -> Optional[Dict[str, Any]]:
            await asyncio.sleep(0)
            looked_up.append(out_trade_no)
            return {"total_fee": 990, "transaction_id": None}

        async def run() -> Dict[str, Any]:
            answer = await c.prepay(kind="jsapi", description="书店-图书", out_trade_no=no, total=990,
                                    openid=sim.openid)
            params = c.jsapi_params(answer["prepay_id"])  # no I/O: not awaited
            assert sim.pay(params)["err_msg"] == "get_brand_wcpay_request:ok"
            wait(lambda: shop.received)
            pairs, body = shop.received[0]
            decision = await c.handle_payment_notify(Headers(pairs), body, find)
            order = await c.query_order(no, total=990)
            assert order["paid"] and order["transaction_id"] == decision["transaction_id"]
            forged = await c.handle_payment_notify(Headers(pairs), body + b" ", find)
            assert isinstance(forged["error"], wxpay.SignatureError) and forged["http_status"] == 401
            return decision

        decision = asyncio.run(run())
        # The shop's own server settled it first; the async handler sees it paid with the lookup's record.
        assert decision["status"] in ("paid", "already_paid") and decision["http_status"] == 204
        assert looked_up == [no]
