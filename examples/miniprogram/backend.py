"""The backend of a mini-program shop: login with wx.login()'s code, an
order paid with wx.requestPayment, the payment notification.

    python backend.py --base-url http://127.0.0.1:8400 --port 8700

POST /login {"code": …}  the code from wx.login() in the mini-program:
                         exchanged (jscode2session) for the payer's openid;
                         answers {"session": …}, a token of this server's.
                         The session_key stays here: it decrypts the
                         mini-program's user data and must never reach it.
POST /pay {"session": …, "product": …}
                         places the order for that payer and answers the
                         params of wx.requestPayment (timeStamp, nonceStr,
                         package, signType, paySign; appId is signed too,
                         and the mini-program leaves it out).
POST /notify             WeChat's payment notification: checked, confirmed,
                         and the order marked paid once, however often it
                         comes.

The mini-program's own appid and secret come from WXPAY_APPID and
WXPAY_APP_SECRET, the merchant from WXPAY_MCH_ID and WXPAY_API_KEY (the
simulator's by default).
"""

import argparse
import http.server
import json
import os
import secrets
import threading
import time
from typing import Any, Dict

import wxpay

PRICES = {"coffee": 1800, "bagel": 900}


def make_client(base_url: str) -> wxpay.Client:
    options: Dict[str, Any] = dict(appid=os.environ.get("WXPAY_APPID", "wxd930ea5d5a258f4f"),
                                   app_secret=os.environ.get("WXPAY_APP_SECRET", "wxpaysim0app0secret0000000000000"),
                                   mch_id=os.environ.get("WXPAY_MCH_ID", "10000100"),
                                   api_key=os.environ.get("WXPAY_API_KEY", "192006250b4c09247ec02edce69f6a2d"))
    if base_url:
        options["base_url"] = base_url
    return wxpay.Client(**options)


class Shop:
    """Sessions (token → openid and session_key) and orders, in memory."""

    def __init__(self, client: wxpay.Client, notify_url: str) -> None:
        self.client = client
        self.notify_url = notify_url
        self.sessions: Dict[str, Dict[str, str]] = {}
        self.orders: Dict[str, Dict[str, Any]] = {}
        self.lock = threading.Lock()

    def login(self, request: Dict[str, Any]) -> Dict[str, Any]:
        session = self.client.jscode2session(str(request.get("code", "")))
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.sessions[token] = {"openid": session["openid"], "session_key": session["session_key"]}
        return {"session": token}

    def pay(self, request: Dict[str, Any]) -> Dict[str, Any]:
        with self.lock:
            who = self.sessions.get(str(request.get("session", "")))
        product = str(request.get("product", ""))
        if who is None or product not in PRICES:
            raise LookupError("unknown session or product")
        out_trade_no = f"mp{time.time_ns()}"
        with self.lock:
            self.orders[out_trade_no] = {"product": product, "total_fee": PRICES[product], "paid": False}
        order = self.client.unified_order(body=f"Cafe-{product}", out_trade_no=out_trade_no,
                                          total_fee=PRICES[product], spbill_create_ip="127.0.0.1",
                                          openid=who["openid"], notify_url=self.notify_url)
        # The same signed params as getBrandWCPayRequest.
        return dict(self.client.jsapi_params(order["prepay_id"]))

    def notify(self, body: bytes) -> str:
        def lookup(out_trade_no: str) -> Any:
            order = self.orders.get(out_trade_no)
            return None if order is None else {"total_fee": order["total_fee"]}

        decision = self.client.handle_payment_notify(body, lookup)
        if decision["status"] == "paid":
            out_trade_no = str(decision["out_trade_no"])
            with self.lock:
                first = not self.orders[out_trade_no]["paid"]
                self.orders[out_trade_no]["paid"] = True
            if first:
                print(f"PAID {out_trade_no} {self.orders[out_trade_no]['product']}", flush=True)
        return str(decision["reply"])


def serve(client: wxpay.Client, port: int) -> None:
    shop: Shop

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if self.path == "/notify":
                self.answer(200, "text/xml", shop.notify(body).encode())
                return
            handlers = {"/login": shop.login, "/pay": shop.pay}
            if self.path not in handlers:
                self.send_error(404)
                return
            try:
                result = handlers[self.path](json.loads(body or b"{}"))
                self.answer(200, "application/json", json.dumps(result).encode())
            except (wxpay.WxPayError, LookupError, ValueError) as e:
                # wxpay's messages never hold a secret; the code is not echoed.
                self.answer(400, "application/json", json.dumps({"error": type(e).__name__}).encode())

        def answer(self, status: int, kind: str, data: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    shop = Shop(client, f"{base}/notify")
    print(f"LISTENING {base}", flush=True)
    server.serve_forever()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="", help="a wxpay-sim URL instead of WeChat")
    parser.add_argument("--port", type=int, default=8700)
    args = parser.parse_args()
    serve(make_client(args.base_url), args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
