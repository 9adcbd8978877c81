"""One shop process taking payments for two sub-merchants, as a platform
(a service provider, 服务商) runs it: every call is made and signed by the
provider, for the sub-merchant whose shop the buyer is in.

    python platform_shop.py --base-url http://127.0.0.1:8400 --port 8600

The provider comes from WXPAY_APPID, WXPAY_MCH_ID and WXPAY_API_KEY (the
simulator's provider by default); the shops from --shops, a JSON file
{"<shop>": {"sub_mch_id": "...", "sub_appid": "..."}} (the simulator's tea house,
which sells on its own official account, and bookshop, which sells on the
provider's, by default). The HTTP API a shop page calls:

    POST /<shop>/orders               {"total_fee": 1500, "payer": "<openid>"}
                                      -> {"out_trade_no", "pay_params"} for WeixinJSBridge
    GET  /<shop>/orders/<no>          -> {"status": "unpaid" | "paid" | "refunded", ...}
    POST /<shop>/orders/<no>/refund   {"refund_fee": 300}
    POST /notify                      WeChat's payment notification, for every shop

A shop with a sub_appid takes the payer's openid under that account (sub_openid);
one without takes it under the provider's (openid). Orders live in memory here;
a real platform keeps them in its database with the sub_mch_id beside each one.
"""

import argparse
import http.server
import json
import logging
import os
import re
import sys
import threading
import time
from typing import Any, Dict, Optional, Tuple

import wxpay
from wxpay import types

log = logging.getLogger("platform")

SIM_SHOPS = {
    "teahouse": {"sub_mch_id": "1900000109", "sub_appid": "wx1111111111111111"},
    "bookshop": {"sub_mch_id": "1900000110"},
}


class Orders:
    """The platform's order book: every order remembers which sub-merchant sold it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._orders: Dict[str, Dict[str, Any]] = {}

    def add(self, out_trade_no: str, shop: str, sub_mch_id: str, total_fee: int) -> None:
        with self._lock:
            self._orders[out_trade_no] = {"shop": shop, "sub_mch_id": sub_mch_id, "total_fee": total_fee,
                                          "status": "unpaid", "transaction_id": None, "refunded_fee": 0}

    def get(self, out_trade_no: str) -> Optional[Dict[str, Any]]:
        with self._lock:
            order = self._orders.get(out_trade_no)
            return dict(order) if order else None

    def for_notify(self, out_trade_no: str) -> Optional[types.ShopOrder]:
        """What handle_payment_notify compares the notification with: the
        amount, the transaction already recorded, and the sub-merchant that sold it."""
        order = self.get(out_trade_no)
        if order is None:
            return None
        return {"total_fee": order["total_fee"], "transaction_id": order["transaction_id"],
                "sub_mch_id": order["sub_mch_id"]}

    def mark_paid(self, out_trade_no: str, transaction_id: Optional[str]) -> bool:
        with self._lock:
            order = self._orders[out_trade_no]
            if order["status"] != "unpaid":  # a duplicate notification marks it once
                return False
            order.update(status="paid", transaction_id=transaction_id)
            return True

    def mark_refunded(self, out_trade_no: str, refund_fee: int) -> None:
        with self._lock:
            order = self._orders[out_trade_no]
            order["refunded_fee"] += refund_fee
            order["status"] = "refunded"


class Platform:
    def __init__(self, client: wxpay.Client, shops: Dict[str, Dict[str, str]], notify_url: str) -> None:
        self.client = client
        self.shops = shops
        self.notify_url = notify_url
        self.orders = Orders()
        self._seq = 0
        self._seq_lock = threading.Lock()

    def _new_number(self, shop: str) -> str:
        with self._seq_lock:
            self._seq += 1
            return f"{shop[:8]}{time.strftime('%Y%m%d%H%M%S')}{os.getpid() % 10000:04d}{self._seq:04d}"

    def create_order(self, shop: str, body: Dict[str, Any]) -> Tuple[int, Dict[str, Any]]:
        sub = self.shops[shop]
        sub_appid = sub.get("sub_appid")
        payer = str(body.get("payer", ""))
        # The payer's openid is under the page's account: the sub-merchant's own
        # (sub_openid) when it has one, the provider's (openid) otherwise.
        out_trade_no = self._new_number(shop)
        order = self.client.unified_order(body=f"{shop}-order", out_trade_no=out_trade_no,
                                          total_fee=body["total_fee"], spbill_create_ip="127.0.0.1",
                                          notify_url=self.notify_url,
                                          openid=None if sub_appid else payer,
                                          sub_openid=payer if sub_appid else None,
                                          sub_mch_id=sub["sub_mch_id"], sub_appid=sub_appid)
        self.orders.add(out_trade_no, shop, sub["sub_mch_id"], order_fee(body))
        # Signed with the provider's key; appId is the paying page's account.
        params = self.client.jsapi_params(order["prepay_id"], sub_mch_id=sub["sub_mch_id"], sub_appid=sub_appid)
        return 201, {"out_trade_no": out_trade_no, "pay_params": params}

    def order_status(self, shop: str, out_trade_no: str) -> Tuple[int, Dict[str, Any]]:
        order = self.orders.get(out_trade_no)
        if order is None or order["shop"] != shop:  # one shop never sees another's orders
            return 404, {"error": "no such order"}
        return 200, {"out_trade_no": out_trade_no, "status": order["status"], "total_fee": order["total_fee"],
                     "transaction_id": order["transaction_id"], "refunded_fee": order["refunded_fee"]}

    def refund(self, shop: str, out_trade_no: str, body: Dict[str, Any]) -> Tuple[int, Dict[str, Any]]:
        order = self.orders.get(out_trade_no)
        if order is None or order["shop"] != shop:
            return 404, {"error": "no such order"}
        if order["status"] == "unpaid":
            return 409, {"error": "the order is not paid"}
        sub = self.shops[shop]
        done = self.client.refund(out_trade_no=out_trade_no, out_refund_no=f"{out_trade_no}R{order['refunded_fee']}",
                                  total_fee=order["total_fee"], refund_fee=body["refund_fee"],
                                  sub_mch_id=sub["sub_mch_id"], sub_appid=sub.get("sub_appid"))
        self.orders.mark_refunded(out_trade_no, done["refund_fee"])
        return 200, {"refund_id": done["refund_id"], "refund_fee": done["refund_fee"]}

    def notify(self, body: bytes) -> str:
        # Verified with the provider's key, compared with our record (amount and
        # sub-merchant), confirmed by orderquery as that sub-merchant.
        decision = self.client.handle_payment_notify(body, self.orders.for_notify)
        if decision["status"] == "paid" and decision["out_trade_no"]:
            if self.orders.mark_paid(decision["out_trade_no"], decision["transaction_id"]):
                log.info("order %s paid", decision["out_trade_no"])
        elif decision["status"] == "refused":
            log.warning("notification refused: %r", decision["error"])
        return decision["reply"]


def order_fee(body: Dict[str, Any]) -> int:
    # unified_order has already refused anything but whole fen.
    return int(body["total_fee"])


ROUTES = [
    ("POST", re.compile(r"^/(?P<shop>[a-z]+)/orders$"), "create_order"),
    ("GET", re.compile(r"^/(?P<shop>[a-z]+)/orders/(?P<no>[A-Za-z0-9_-]+)$"), "order_status"),
    ("POST", re.compile(r"^/(?P<shop>[a-z]+)/orders/(?P<no>[A-Za-z0-9_-]+)/refund$"), "refund"),
]


def make_handler(platform: Platform) -> type:
    class Handler(http.server.BaseHTTPRequestHandler):
        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _json(self, status: int, value: Dict[str, Any]) -> None:
            self._send(status, json.dumps(value).encode(), "application/json")

        def _route(self, method: str) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if method == "POST" and self.path == "/notify":
                self._send(200, platform.notify(raw).encode(), "text/xml")
                return
            for route_method, pattern, action in ROUTES:
                m = pattern.match(self.path)
                if route_method != method or m is None:
                    continue
                shop = m.group("shop")
                if shop not in platform.shops:
                    self._json(404, {"error": f"no shop {shop}"})
                    return
                try:
                    body = json.loads(raw or b"{}") if method == "POST" else {}
                    args = (shop, m.group("no"), body) if action == "refund" else \
                        (shop, m.group("no")) if action == "order_status" else (shop, body)
                    status, value = getattr(platform, action)(*args)
                except (ValueError, TypeError, KeyError) as e:  # the page sent something wrong (InvalidInputError too)
                    status, value = 400, {"error": str(e)}
                except wxpay.WxPayError as e:  # WeChat refused or could not be reached
                    log.warning("%s: %r", action, e)
                    status, value = 502, {"error": str(e), "code": e.code, "retryable": e.retryable}
                self._json(status, value)
                return
            self._json(404, {"error": "not found"})

        def do_GET(self) -> None:  # noqa: N802
            self._route("GET")

        def do_POST(self) -> None:  # noqa: N802
            self._route("POST")

        def log_message(self, *args: object) -> None:
            pass

    return Handler


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", help="a wxpay-sim URL instead of WeChat")
    parser.add_argument("--port", type=int, default=8600, help="0 picks a free port")
    parser.add_argument("--public-url", help="where WeChat reaches this process (default: its loopback URL)")
    parser.add_argument("--shops", help="a JSON file of shops and their sub-merchants")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")

    shops = SIM_SHOPS
    if args.shops:
        with open(args.shops, encoding="utf-8") as f:
            shops = json.load(f)
    options: Dict[str, Any] = dict(appid=os.environ.get("WXPAY_APPID", "wx8888888888888888"),
                                   mch_id=os.environ.get("WXPAY_MCH_ID", "1900000100"),
                                   api_key=os.environ.get("WXPAY_API_KEY", "wxpaysim0service0provider0key001"))
    if args.base_url:
        options["base_url"] = args.base_url
    client = wxpay.Client(**options)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), http.server.BaseHTTPRequestHandler)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    platform = Platform(client, shops, (args.public_url or url) + "/notify")
    server.RequestHandlerClass = make_handler(platform)
    print(f"platform shop listening on {url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
