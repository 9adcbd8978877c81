"""Fidelity of the simulator's API v3 with a real client: wechatpayv3 (PyPI),
unchanged but for its base URL, places, pays, queries, refunds and closes
against the simulator in each key mode, and verifies the simulator's
notifications with its own code. A simulator that signed, encrypted or
checked anything differently from WeChat would fail here."""

import http.server
import json
import pathlib
import secrets
import threading
import time
from typing import Dict, Iterator, List, Tuple

import pytest
from wechatpayv3 import WeChatPay, WeChatPayType

from wxpay.testing import Simulator


class Endpoint:
    """A shop's v3 notify endpoint: keeps each request's headers and body,
    answers 204 as WeChat expects."""

    def __init__(self) -> None:
        self.received: List[Tuple[Dict[str, str], bytes]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                outer.received.append(({k: v for k, v in self.headers.items()}, body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d/wxpay/notify" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, count: int) -> None:
        end = time.time() + 10
        while len(self.received) < count and time.time() < end:
            time.sleep(0.02)
        assert len(self.received) >= count, "the simulator did not notify"


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    e = Endpoint()
    yield e
    e.server.shutdown()


def peer(sim: Simulator, mode: str, notify_url: str, cert_dir: pathlib.Path) -> WeChatPay:
    m = sim.v3_merchant
    options: Dict[str, object] = dict(
        wechatpay_type=WeChatPayType.JSAPI,
        mchid=m["mchid"],
        private_key=m["private_key"],
        cert_serial_no=m["serial"],
        appid=sim.appid,
        apiv3_key=m["apiv3_key"],
        notify_url=notify_url,
        cert_dir=str(cert_dir),
    )
    if mode == "certificate":
        # wechatpayv3 downloads certificates in its constructor, before its
        # base URL can be set: it is handed the certificate a merchant
        # would have saved from an earlier download instead.
        (cert_dir / "platform.pem").write_text(m["platform_certificate"])
    else:
        options.update(public_key=m["public_key"], public_key_id=m["public_key_id"])
    client = WeChatPay(**options)  # type: ignore[arg-type]
    client._core._gate_way = sim.url  # the base URL: the one thing changed
    return client


@pytest.mark.parametrize("mode", ["certificate", "public-key", "migrating"])
def test_wechatpayv3_checkout_against_the_simulator(
    mode: str, endpoint: Endpoint, tmp_path: pathlib.Path
) -> None:
    with Simulator(time_scale=0.001, instant_bills=True, v3_keys=mode) as sim:
        client = peer(sim, mode, endpoint.url, tmp_path)
        no = "peer-v3-" + mode
        code, message = client.pay(
            description="书店-图书", out_trade_no=no, amount={"total": 990}, payer={"openid": sim.openid}
        )
        assert code == 200, message
        prepay_id = json.loads(message)["prepay_id"]

        timestamp, nonce = str(int(time.time())), secrets.token_hex(16)
        package = "prepay_id=" + prepay_id
        params = {
            "appId": sim.appid,
            "timeStamp": timestamp,
            "nonceStr": nonce,
            "package": package,
            "signType": "RSA",
            "paySign": client.sign([sim.appid, timestamp, nonce, package]),
        }
        assert sim.pay(params)["err_msg"] == "get_brand_wcpay_request:ok"

        endpoint.wait(1)
        headers, body = endpoint.received[0]
        notified = client.callback(headers, body)
        assert notified is not None, "wechatpayv3 did not verify the simulator's notification"
        assert notified["event_type"] == "TRANSACTION.SUCCESS"
        resource = notified["resource"]
        assert (resource["out_trade_no"], resource["trade_state"]) == (no, "SUCCESS")
        assert resource["amount"]["total"] == 990
        # One byte changed and wechatpayv3 refuses it.
        assert client.callback(headers, body.replace(b'"id"', b' "id"', 1)) is None

        code, message = client.query(out_trade_no=no)
        assert code == 200, message
        order = json.loads(message)
        assert (order["trade_state"], order["transaction_id"]) == ("SUCCESS", resource["transaction_id"])

        code, message = client.refund(
            out_refund_no=no + "-r1",
            amount={"refund": 300, "total": 990, "currency": "CNY"},
            out_trade_no=no,
            notify_url=endpoint.url,
        )
        assert code == 200, message
        assert json.loads(message)["amount"]["refund"] == 300
        code, message = client.query_refund(out_refund_no=no + "-r1")
        assert code == 200 and json.loads(message)["out_refund_no"] == no + "-r1", message
        endpoint.wait(2)
        refund = client.callback(*endpoint.received[1])
        assert refund is not None and refund["event_type"] == "REFUND.SUCCESS"
        assert refund["resource"]["amount"]["refund"] == 300

        code, message = client.pay(
            description="书店-图书", out_trade_no=no + "-c", amount={"total": 100}, payer={"openid": sim.openid}
        )
        assert code == 200, message
        time.sleep(0.4)  # an order may be closed five (scaled) minutes after it was placed
        code, message = client.close(out_trade_no=no + "-c")
        assert code == 204, message

        stats = sim.stats()
        assert stats.get("v3_sign_error", 0) == 0
        assert stats["v3_prepay"] == 2 and stats["v3_refund"] == 1
