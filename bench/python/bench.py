"""wxpay against wechatpy on the same inputs, operation by operation; and
API v3's client against wechatpayv3 (a notification, JSAPI pay params).

Each operation's outputs are compared first (a disagreement is reported and
not timed); then both run in interleaved rounds in this process and the
median of the rounds gives ns/op and the ratio (wechatpy ÷ wxpay, so 5.0
means wxpay is five times faster). Last, both place and query orders against
the simulator (wxpay.testing), wechatpy pointed at it. Results go to
target/bench/python.json for bench/report.py. With --check, exits 1 when a
target of BENCHMARKS.md is missed.

    make bench        (or: .venv-bench/bin/python bench/python/bench.py [--check])
"""

import base64
import json
import pathlib
import statistics
import sys
import tempfile
import time
from typing import Any, Callable, Dict, List, Tuple

import wxpay
from wxpay.testing import Simulator
from wechatpy.client.api import WeChatJSAPI
from wechatpy.pay import WeChatPay
from wechatpy.pay.utils import calculate_signature, calculate_signature_hmac, dict_to_xml
from wechatpayv3 import WeChatPay as WeChatPayV3, WeChatPayType

WORKLOAD = json.loads((pathlib.Path(__file__).resolve().parents[1] / "workload.json").read_text())
KEY = WORKLOAD["api_key"]
ORDER: Dict[str, str] = WORKLOAD["unified_order"]
NOTIFY = WORKLOAD["notify_xml"].encode()
PREPAY = WORKLOAD["prepay_id"]
JS = WORKLOAD["jssdk"]
M = WORKLOAD["merchant"]
EXPECTED = WORKLOAD["expected"]
TARGETS = WORKLOAD["targets"]
ROOT = pathlib.Path(__file__).resolve().parents[2]

peer = WeChatPay(appid=M["appid"], api_key=KEY, mch_id=M["mch_id"])
md5_client = wxpay.Client(appid=M["appid"], mch_id=M["mch_id"], api_key=KEY, sign_type="MD5")


def same_notify(ours: Dict[str, Any], theirs: Dict[str, Any]) -> bool:
    # wechatpy turns the amount fields into ints; the raw fields must agree otherwise.
    return ours["raw"] == {k: str(v) for k, v in theirs.items()} and ours["total_fee"] == theirs["total_fee"]


def same_bridge(ours: Dict[str, str], theirs: Dict[str, str]) -> bool:
    # Both sign the same five fields; nonces and times differ per call, so
    # check the shape and that each signature verifies over its own fields.
    fields = lambda p: {k: v for k, v in p.items() if k != "paySign"}  # noqa: E731
    return set(ours) == set(theirs) and calculate_signature(fields(theirs), KEY) == theirs["paySign"] \
        and wxpay.sign(fields(ours), KEY, "MD5") == ours["paySign"]


# (id in bench/workload.json, wxpay, wechatpy, do the outputs agree)
OPERATIONS: List[Tuple[str, Callable[[], Any], Callable[[], Any], Callable[[Any, Any], bool]]] = [
    ("sign_md5", lambda: wxpay.sign(ORDER, KEY, "MD5"), lambda: calculate_signature(ORDER, KEY),
     lambda a, b: a == b == EXPECTED["sign_md5"]),
    ("sign_hmac", lambda: wxpay.sign(ORDER, KEY, "HMAC-SHA256"), lambda: calculate_signature_hmac(ORDER, KEY),
     lambda a, b: a == b == EXPECTED["sign_hmac"]),
    ("signed_xml", lambda: wxpay.to_signed_xml(ORDER, KEY, "MD5"),
     lambda: dict_to_xml(ORDER, calculate_signature(ORDER, KEY)),
     lambda a, b: wxpay.from_xml(a) == wxpay.from_xml(b.encode())),
    ("verify_notify", lambda: md5_client.verify_payment_notify(NOTIFY), lambda: peer.parse_payment_result(NOTIFY),
     same_notify),
    ("bridge_params", lambda: md5_client.jsapi_params(PREPAY), lambda: peer.jsapi.get_jsapi_params(PREPAY),
     same_bridge),
    ("jssdk_signature", lambda: wxpay.jssdk_signature(JS["jsapi_ticket"], JS["noncestr"], JS["timestamp"], JS["url"]),
     lambda: WeChatJSAPI.get_jsapi_signature(None, JS["noncestr"], JS["jsapi_ticket"], JS["timestamp"], JS["url"]),
     lambda a, b: a == b == JS["signature"]),
]


# API v3: the notification case and keys every language's bench uses.
V3 = WORKLOAD["v3"]
V3_DIR = ROOT / "tests" / "vectors" / "v3"
V3_CASE = next(c for c in json.loads((V3_DIR / "notifications.json").read_text(encoding="utf-8"))["cases"]
               if c["name"] == V3["notification"])
V3_HEADERS = {"Wechatpay-Timestamp": V3_CASE["headers"]["timestamp"], "Wechatpay-Nonce": V3_CASE["headers"]["nonce"],
              "Wechatpay-Signature": V3_CASE["headers"]["signature"], "Wechatpay-Serial": V3_CASE["headers"]["serial"],
              "Wechatpay-Signature-Type": "WECHATPAY2-SHA256-RSA2048"}
V3_BODY = V3_CASE["body"].encode()
V3_NOW = int(V3_CASE["headers"]["timestamp"])
v3_client = wxpay.ClientV3(
    mchid=V3["request"]["mchid"], appid=M["appid"], merchant_serial=V3["request"]["serial"],
    apiv3_key=V3_CASE["apiv3_key"], private_key_path=str(V3_DIR / "keys" / "merchant_key.pem"),
    platform_certificates=[(V3_DIR / "keys" / "platform_cert.pem").read_bytes()],
    public_key_id="PUB_KEY_ID_0114232025120400000000000000000001",
    public_key_path=str(V3_DIR / "keys" / "wechatpay_public_key.pem"), auto_certificates=False,
    base_url="http://127.0.0.1:9")
# wechatpayv3 reads the platform certificate a merchant saved from its last
# download; it is never asked to reach WeChat here.
V3_CERTS = tempfile.TemporaryDirectory()
(pathlib.Path(V3_CERTS.name) / "platform.pem").write_bytes((V3_DIR / "keys" / "platform_cert.pem").read_bytes())
v3_peer = WeChatPayV3(wechatpay_type=WeChatPayType.JSAPI, mchid=V3["request"]["mchid"],
                      private_key=(V3_DIR / "keys" / "merchant_key.pem").read_text(),
                      cert_serial_no=V3["request"]["serial"], appid=M["appid"], apiv3_key=V3_CASE["apiv3_key"],
                      cert_dir=V3_CERTS.name)


def wechatpayv3_params() -> Dict[str, str]:
    """What a wechatpayv3 shop writes for the JSAPI pay params (its README)."""
    ts, nonce, package = str(int(time.time())), base64.b16encode(time.time_ns().to_bytes(8, "big")).decode(), \
        "prepay_id=" + PREPAY
    return {"appId": M["appid"], "timeStamp": ts, "nonceStr": nonce, "package": package, "signType": "RSA",
            "paySign": v3_peer.sign([M["appid"], ts, nonce, package])}


def rsa_params_verify(p: Dict[str, str]) -> bool:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import padding

    key = serialization.load_pem_private_key((V3_DIR / "keys" / "merchant_key.pem").read_bytes(), None)
    message = "%s\n%s\n%s\n%s\n" % (p["appId"], p["timeStamp"], p["nonceStr"], p["package"])
    try:
        key.public_key().verify(base64.b64decode(p["paySign"]), message.encode(), padding.PKCS1v15(),
                                hashes.SHA256())
        return p["signType"] == "RSA"
    except Exception:
        return False


V3_OPERATIONS: List[Tuple[str, Callable[[], Any], Callable[[], Any], Callable[[Any, Any], bool]]] = [
    ("v3_notification", lambda: v3_client.parse_notification(V3_HEADERS, V3_BODY, now=V3_NOW),
     lambda: v3_peer.callback(V3_HEADERS, V3_BODY),
     lambda a, b: a["resource"] == b["resource"] == V3_CASE["expect"]["ok"]["resource"]),
    ("v3_jsapi_params", lambda: v3_client.jsapi_params(PREPAY), wechatpayv3_params,
     lambda a, b: rsa_params_verify(a) and rsa_params_verify(b)),
]


def per_call(fn: Callable[[], Any], n: int) -> float:
    t0 = time.perf_counter_ns()
    for _ in range(n):
        fn()
    return (time.perf_counter_ns() - t0) / n


def calibrate(fn: Callable[[], Any]) -> int:
    n = 1
    while per_call(fn, n) * n < 20_000_000:  # 20 ms a round
        n *= 2
    return n


def interleaved(ours: Callable[[], Any], theirs: Callable[[], Any], rounds: int = 7) -> Tuple[float, float]:
    """Median ns/op of each over `rounds` interleaved rounds."""
    n_ours, n_theirs = calibrate(ours), calibrate(theirs)
    a: List[float] = []
    b: List[float] = []
    for _ in range(rounds):
        a.append(per_call(ours, n_ours))
        b.append(per_call(theirs, n_theirs))
    return statistics.median(a), statistics.median(b)


def order_and_query(sim: Simulator) -> Tuple[Callable[[], Any], Callable[[], Any]]:
    """unified_order then query_order of the same order, over HTTP to the
    simulator, by each library; both sign MD5."""
    ours = wxpay.Client(**sim.client_options(sign_type="MD5"))
    theirs = WeChatPay(appid=sim.appid, api_key=sim.api_key, mch_id=sim.mch_id)
    theirs.API_BASE_URL = sim.url + "/"
    count = [0]

    def with_wxpay() -> Any:
        count[0] += 1
        no = f"bench-w-{count[0]}"
        order = ours.unified_order(body="wxpay 实战-图书", out_trade_no=no, total_fee=990,
                                   spbill_create_ip="127.0.0.1", openid=sim.openid,
                                   notify_url="https://shop.example/notify")
        return order["prepay_id"], ours.query_order(no)["trade_state"]

    def with_wechatpy() -> Any:
        count[0] += 1
        no = f"bench-p-{count[0]}"
        order = theirs.order.create(trade_type="JSAPI", body="wxpay 实战-图书", total_fee=990,
                                    notify_url="https://shop.example/notify", client_ip="127.0.0.1",
                                    user_id=sim.openid, out_trade_no=no)
        return order["prepay_id"], theirs.order.query(out_trade_no=no)["trade_state"]

    return with_wxpay, with_wechatpy


def main() -> int:
    check = "--check" in sys.argv
    names: Dict[str, str] = WORKLOAD["operations"]
    print(f"{'operation':42} {'wxpay ns/op':>12} {'wechatpy ns/op':>15} {'speed-up':>9} {'target':>7}")
    results: Dict[str, Any] = {}
    missed = 0

    def report(op: str, ours: Callable[[], Any], theirs: Callable[[], Any], agree: Callable[[Any, Any], bool],
               target: float, rounds: int = 7, peer: str = "wechatpy") -> None:
        nonlocal missed
        a, b = ours(), theirs()
        if not agree(a, b):
            print(f"{names.get(op, op):42} outputs disagree: not timed ({a!r} vs {b!r})")
            results[op] = None
            missed += 1
            return
        mine, peers = interleaved(ours, theirs, rounds)
        ratio = peers / mine
        met = ratio >= target
        missed += not met
        results[op] = {"wxpay": mine, "peers": {peer: peers}, "target": target}
        print(f"{names.get(op, op):42} {mine:12.0f} {peers:15.0f} {ratio:8.1f}x {target:6.0f}x {'met' if met else 'MISSED'}"
              + (f" (vs {peer})" if peer != "wechatpy" else ""))

    for op, ours, theirs, agree in OPERATIONS:
        target = TARGETS["python_vs_peer_notify" if op == "verify_notify" else "python_vs_peer"]
        report(op, ours, theirs, agree, target)
    names = dict(names, **V3["operations"])
    for op, ours, theirs, agree in V3_OPERATIONS:
        report(op, ours, theirs, agree, V3["targets"]["binding_vs_peer"], peer="wechatpayv3")
    with Simulator() as sim:
        ours, theirs = order_and_query(sim)
        # Both place a JSAPI order that is still unpaid; the speed-up here is
        # what a checkout's server side feels (no target: HTTP dominates).
        report("order_and_query", ours, theirs,
               lambda a, b: a[0].startswith("wx") and b[0].startswith("wx") and a[1] == b[1] == "NOTPAY", 1.0,
               rounds=3)
    out = ROOT / "target" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "python.json").write_text(json.dumps(results, indent=1))
    return 1 if check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
