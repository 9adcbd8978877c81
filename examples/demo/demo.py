"""`make demo`: one complete WeChat Pay JSAPI checkout on this machine.

Starts wxpay-sim (playing WeChat) and the Django example shop, then plays
the shopper's WeChat browser over HTTP: OAuth, checkout, wx.config, pay,
and waits for WeChat's notification to reach the shop; finally confirms
the order with orderquery. One line per step; the last line is the RESULT.

    python demo.py            # run the checkout, stop everything, exit 0
    python demo.py --v3       # the same checkout over API v3 (WXPAY_API=v3)
    python demo.py --serve    # start both and keep them running for a browser
"""

import http.cookiejar
import json
import os
import pathlib
import re
import signal
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Callable, Dict, List, Tuple

import wxpay
from harness import Running

STEPS = 9
# `--v3` (make demo V3=1): the shop places orders and takes notifications
# over API v3; the steps and the RESULT line are the same.
V3 = "--v3" in sys.argv[1:]


class StepFailed(Exception):
    pass


def short(s: str, n: int = 12) -> str:
    return s if len(s) <= n else s[:n] + "…"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class Browser:
    """What the WeChat in-app browser does, minus the rendering: cookies,
    redirects it can be shown one by one, and the JS shims' calls."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect)

    def get(self, url: str) -> Tuple[int, str, str]:
        """Returns (status, Location, body) without following redirects."""
        try:
            with self.opener.open(url, timeout=15) as r:
                return r.status, "", r.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("Location", ""), e.read().decode(errors="replace")

    def post_json(self, url: str, body: Dict[str, Any]) -> Dict[str, Any]:
        req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
        with self.opener.open(req, timeout=15) as r:
            result: Dict[str, Any] = json.loads(r.read())
            return result


def page_value(html: str, name: str) -> Dict[str, Any]:
    match = re.search(rf"const {name} = (\{{.*?\}});", html)
    if not match:
        raise StepFailed(f"the checkout page has no {name}")
    value: Dict[str, Any] = json.loads(match.group(1))
    return value


def checkout(env: Running, say: Callable[[str], None]) -> Tuple[str, int]:
    browser = Browser()
    shop, sim = env.shop_url, env.sim_url
    ctx: Dict[str, Any] = {}

    def step(n: int, name: str, action: Callable[[], str]) -> None:
        try:
            line = action()
        except StepFailed as e:
            raise StepFailed(f"step {n}/{STEPS} ({name}) failed: {e}") from None
        except Exception as e:  # noqa: BLE001 - any failure names its step
            raise StepFailed(f"step {n}/{STEPS} ({name}) failed: {type(e).__name__}: {e}") from None
        say(f"[{n}/{STEPS}] {line}")

    def oauth() -> str:
        status, location, _ = browser.get(f"{shop}/checkout/book/")
        if status != 302 or not location.startswith(sim + "/connect/oauth2/authorize?"):
            raise StepFailed(f"the shop did not redirect to WeChat OAuth (HTTP {status} {location!r})")
        query = urllib.parse.parse_qs(urllib.parse.urlparse(location).query)
        status, back, _ = browser.get(location)
        if status != 302 or not back.startswith(shop + "/oauth/callback/?"):
            raise StepFailed(f"WeChat did not redirect back to the shop (HTTP {status} {back!r})")
        code = urllib.parse.parse_qs(urllib.parse.urlparse(back).query)["code"][0]
        status, after, body = browser.get(back)
        if status != 302:
            raise StepFailed(f"the shop's OAuth callback answered HTTP {status}: {body[:200]}")
        return (f"OAuth: shop → {sim}/connect/oauth2/authorize (scope={query['scope'][0]}, "
                f"state={short(query['state'][0])}) → back with code={short(code)} → shop exchanged it for the openid")

    def order() -> str:
        status, _, html = browser.get(f"{shop}/checkout/book/")
        if status != 200:
            raise StepFailed(f"checkout answered HTTP {status}: {html[:200]}")
        ctx["html"] = html
        ctx["out_trade_no"] = re.search(r'id="out-trade-no">([^<]+)<', html).group(1)  # type: ignore[union-attr]
        ctx["pay"] = page_value(html, "payParams")
        ctx["config"] = page_value(html, "wxConfig")
        with urllib.request.urlopen(f"{sim}/sim/orders/{ctx['out_trade_no']}", timeout=10) as r:
            held = json.loads(r.read())
        ctx["total_fee"] = held["total_fee"]
        placed = "POST /v3/pay/transactions/jsapi" if V3 else "unifiedorder"
        return (f"checkout: order {ctx['out_trade_no']} for {held['total_fee']} fen (priced by the server), "
                f"{placed} → prepay_id {ctx['pay']['package'].split('=', 1)[1]} ({held['trade_state']})")

    def config() -> str:
        c = ctx["config"]
        page = f"{shop}/checkout/book/"
        answer = browser.post_json(f"{sim}/sim/jsapi/config", dict(c, url=page))
        if answer.get("errMsg") != "config:ok":
            raise StepFailed(f"the JS-SDK refused wx.config: {answer}")
        return (f"wx.config: signature {short(c['signature'])} = sha1(jsapi_ticket, noncestr={c['nonceStr'][:8]}…, "
                f"timestamp={c['timestamp']}, url={page}) → config:ok")

    def pay() -> str:
        p = ctx["pay"]
        answer = browser.post_json(f"{sim}/sim/jsapi/pay", dict(p, shape="bridge"))
        if answer.get("err_msg") != "get_brand_wcpay_request:ok":
            raise StepFailed(f"WeChat refused the payment: {answer}")
        return (f"pay: getBrandWCPayRequest(appId, timeStamp={p['timeStamp']}, nonceStr, package, "
                f"signType={p['signType']}) paySign={short(p['paySign'])} → get_brand_wcpay_request:ok")

    def notified() -> str:
        end = time.time() + 20
        while time.time() < end:
            with urllib.request.urlopen(f"{sim}/sim/notifications", timeout=10) as r:
                notes: List[Dict[str, Any]] = json.loads(r.read())
            mine = [n for n in notes if n["out_trade_no"] == ctx["out_trade_no"]]
            if mine and mine[0]["status"] == "acknowledged":
                attempts = mine[0]["attempts"]
                if V3:
                    return (f"notify: WeChat POSTed the encrypted notification to {mine[0]['url']} signed with "
                            f"{mine[0]['v3_headers'].get('Wechatpay-Serial', '?')}; the shop verified and decrypted "
                            f"it and answered HTTP {attempts[-1]['http_status']} (attempt {len(attempts)})")
                return (f"notify: WeChat POSTed the signed notification to {mine[0]['url']}; the shop verified it "
                        f"and answered SUCCESS (attempt {len(attempts)})")
            if mine and len(mine[0]["attempts"]) > 2:
                raise StepFailed(f"the shop keeps refusing the notification: {mine[0]['attempts'][-1]['reply']}")
            time.sleep(0.1)
        raise StepFailed("no acknowledged notification within 20 s")

    def shop_paid() -> str:
        status, _, body = browser.get(f"{shop}/orders/{ctx['out_trade_no']}/status/")
        s = json.loads(body)
        if s["status"] != "PAID":
            raise StepFailed(f"the shop says {s}")
        ctx["transaction_id"] = s["transaction_id"]
        return f"shop: order {s['out_trade_no']} is PAID (transaction {s['transaction_id']}), confirmed with orderquery before it changed"

    def query() -> str:
        if V3:
            return query_v3()
        client = wxpay.Client(appid="wxd930ea5d5a258f4f", mch_id="10000100",
                              api_key="192006250b4c09247ec02edce69f6a2d", base_url=sim)
        reply = client.query_order(ctx["out_trade_no"])
        ctx["query"] = reply
        if reply["trade_state"] != "SUCCESS" or reply["total_fee"] != ctx["total_fee"]:
            raise StepFailed(f"orderquery says {reply['trade_state']} {reply['total_fee']}")
        return (f"orderquery: trade_state={reply['trade_state']} total_fee={reply['total_fee']} "
                f"transaction_id={reply['transaction_id']} (reply signature {reply['raw'].get('sign', '')[:8]}… verified)")

    def query_v3() -> str:
        with urllib.request.urlopen(f"{sim}/sim/v3/merchant", timeout=10) as r:
            m = json.loads(r.read())
        keys = pathlib.Path(__file__).resolve().parents[2] / "tests" / "vectors" / "v3" / "keys"
        client = wxpay.ClientV3(mchid=m["mchid"], appid="wxd930ea5d5a258f4f", merchant_serial=m["serial"],
                                apiv3_key=m["apiv3_key"], private_key_path=str(keys / "merchant_key.pem"),
                                public_key_id=m["public_key_id"],
                                public_key_path=str(keys / "wechatpay_public_key.pem"), base_url=sim)
        order = client.query_order(ctx["out_trade_no"], total=ctx["total_fee"])
        if order["trade_state"] != "SUCCESS" or order["total"] != ctx["total_fee"]:
            raise StepFailed(f"the v3 query says {order['trade_state']} {order['total']}")
        return (f"orderquery (v3): trade_state={order['trade_state']} total={order['total']} "
                f"transaction_id={order['transaction_id']} (answer signature verified)")

    step(3, "OAuth", oauth)
    step(4, "unified order", order)
    step(5, "wx.config", config)
    step(6, "pay", pay)
    step(7, "notification", notified)
    step(8, "shop state", shop_paid)
    step(9, "orderquery", query)
    return ctx["out_trade_no"], ctx["total_fee"]


def main() -> int:
    # A TERM (from a supervisor or `timeout`) stops the simulator and the shop too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(130))
    serve = "--serve" in sys.argv[1:]
    if V3:
        # The shop reads its API from the environment its process inherits.
        os.environ["WXPAY_API"] = "v3"
    say = lambda line: print(line, flush=True)  # noqa: E731
    try:
        if serve:
            env = Running(sim_port=int(os.environ.get("SIM_PORT", "8400")),
                          shop_port=int(os.environ.get("SHOP_PORT", "8000")), time_scale="0.01")
        else:
            env = Running()
    except Exception as e:  # noqa: BLE001
        say(f"FAILED: could not start the simulator and the shop: {e}")
        return 1
    try:
        say(f"[1/{STEPS}] wxpay-sim playing WeChat at {env.sim_url} (appid wxd930ea5d5a258f4f, mch_id 10000100)")
        notify = "/wxpay/v3/notify/" if V3 else "/wxpay/notify/"
        api = ", API v3" if V3 else ""
        say(f"[2/{STEPS}] Django example shop at {env.shop_url} (notify_url {env.shop_url}{notify}{api})")
        if serve:
            say(f"Open {env.shop_url}/ in a browser and buy something; the simulator's dialog plays WeChat.")
            say("Press Ctrl-C to stop both.")
            try:
                while all(p.poll() is None for p in env.procs):
                    time.sleep(1)
            except KeyboardInterrupt:
                pass
            return 0
        try:
            out_trade_no, total_fee = checkout(env, say)
        except StepFailed as e:
            say(f"FAILED: {e}")
            tail = env.shop_output().strip().splitlines()[-5:]
            if tail:
                say("shop log:\n  " + "\n  ".join(tail))
            return 1
        say(f"RESULT: order {out_trade_no} paid {total_fee} fen, confirmed by orderquery (trade_state=SUCCESS)")
        return 0
    finally:
        env.stop()


if __name__ == "__main__":
    sys.exit(main())
