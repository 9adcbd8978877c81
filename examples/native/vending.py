"""A vending machine paid by a printed QR code (WeChat Pay Native mode one).

    python vending.py --base-url http://127.0.0.1:8400 link cola-330
    python vending.py --base-url http://127.0.0.1:8400 serve --port 8600

`link` prints what to print on the machine for a product: a short
weixin://wxpay/s/ link (make a QR code of it). `serve` runs the machine's
server: POST /scan is the scan callback URL you set in the merchant platform
(WeChat calls it when a payer scans; the machine places the order and
answers, or refuses when the product is sold out), POST /notify receives the
payment and dispenses once, however often WeChat delivers it.

The merchant comes from WXPAY_APPID, WXPAY_MCH_ID and WXPAY_API_KEY (the
simulator's test merchant by default). Against `wxpay sim`, a payer scans
with POST /sim/native/scan {"link": …, "callback_url": "http://…/scan"}.
"""

import argparse
import http.server
import os
import sys
import threading
import time
from typing import Any, Dict, Set

import wxpay

PRICES = {"cola-330": 350, "water-500": 200, "tea-500": 400}


def make_client(base_url: str) -> wxpay.Client:
    options: Dict[str, Any] = dict(appid=os.environ.get("WXPAY_APPID", "wxd930ea5d5a258f4f"),
                                   mch_id=os.environ.get("WXPAY_MCH_ID", "10000100"),
                                   api_key=os.environ.get("WXPAY_API_KEY", "192006250b4c09247ec02edce69f6a2d"))
    if base_url:
        options["base_url"] = base_url
    return wxpay.Client(**options)


class Machine:
    """The machine's books: stock per product, orders placed, orders paid."""

    def __init__(self, client: wxpay.Client, stock: Dict[str, int], notify_url: str) -> None:
        self.client = client
        self.stock = dict(stock)
        self.notify_url = notify_url
        self.orders: Dict[str, str] = {}  # out_trade_no -> product
        self.paid: Set[str] = set()
        self.lock = threading.Lock()

    def scan(self, body: bytes) -> str:
        scan = self.client.verify_scan_callback(body)  # raises unless WeChat signed it for us
        product = scan["product_id"]
        with self.lock:
            if self.stock.get(product, 0) <= 0:
                return self.client.native_scan_refusal("已售罄 sold out")
            out_trade_no = f"vm{time.time_ns()}"
            self.orders[out_trade_no] = product
        order = self.client.unified_order(body=f"Vending-{product}", out_trade_no=out_trade_no,
                                          total_fee=PRICES[product], spbill_create_ip="127.0.0.1",
                                          trade_type="NATIVE", product_id=product, openid=scan["openid"],
                                          notify_url=self.notify_url)
        return self.client.native_scan_reply(order["prepay_id"])

    def notify(self, body: bytes) -> str:
        def lookup(out_trade_no: str) -> Any:
            product = self.orders.get(out_trade_no)
            return None if product is None else {"total_fee": PRICES[product]}

        decision = self.client.handle_payment_notify(body, lookup)
        if decision["status"] == "paid":
            out_trade_no = str(decision["out_trade_no"])
            with self.lock:
                first = out_trade_no not in self.paid
                self.paid.add(out_trade_no)
                if first:
                    product = self.orders[out_trade_no]
                    self.stock[product] -= 1
            if first:
                print(f"DISPENSE {product} (order {out_trade_no})", flush=True)
        return str(decision["reply"])


def serve(client: wxpay.Client, port: int, stock: Dict[str, int]) -> None:
    machine: Machine

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            try:
                if self.path == "/scan":
                    reply = machine.scan(body)
                elif self.path == "/notify":
                    reply = machine.notify(body)
                else:
                    self.send_error(404)
                    return
            except wxpay.WxPayError as e:
                print(f"REFUSED {self.path}: {e}", flush=True)
                reply = wxpay.notify_fail("refused")
            data = reply.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    machine = Machine(client, stock, f"{base}/notify")
    print(f"SCAN CALLBACK {base}/scan", flush=True)
    server.serve_forever()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="", help="a wxpay-sim URL instead of WeChat")
    sub = parser.add_subparsers(dest="command", required=True)
    link = sub.add_parser("link", help="the link to print for a product")
    link.add_argument("product", choices=sorted(PRICES))
    run = sub.add_parser("serve", help="the machine's scan callback and notify server")
    run.add_argument("--port", type=int, default=8600)
    run.add_argument("--stock", default="cola-330=5,water-500=5,tea-500=0",
                     help="product=count,... (0: sold out)")
    args = parser.parse_args()
    client = make_client(args.base_url)
    if args.command == "link":
        print(client.short_url(client.native_qr_link(args.product)))
        return 0
    stock = {k: int(v) for k, v in (item.split("=") for item in args.stock.split(","))}
    serve(client, args.port, stock)
    return 0


if __name__ == "__main__":
    sys.exit(main())
