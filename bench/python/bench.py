"""wxpay against wechatpy on the same inputs, operation by operation.

Each operation's outputs are compared first (a disagreement is reported and
not timed); then both run in interleaved rounds in this process and the
median of the rounds gives ns/op and the ratio (wechatpy ÷ wxpay, so 5.0
means wxpay is five times faster). With --check, exits 1 when a target of
BENCHMARKS.md is missed.

    make bench        (or: .venv-bench/bin/python bench/python/bench.py [--check])
"""

import json
import pathlib
import statistics
import sys
import time
from typing import Any, Callable, Dict, List, Tuple

import wxpay
from wechatpy.client.api import WeChatJSAPI
from wechatpy.pay import WeChatPay
from wechatpy.pay.utils import calculate_signature, calculate_signature_hmac, dict_to_xml

WORKLOAD = json.loads((pathlib.Path(__file__).resolve().parents[1] / "workload.json").read_text())
KEY = WORKLOAD["api_key"]
ORDER: Dict[str, str] = WORKLOAD["unified_order"]
NOTIFY = WORKLOAD["notify_xml"].encode()
PREPAY = WORKLOAD["prepay_id"]
JS = WORKLOAD["jssdk"]
M = WORKLOAD["merchant"]

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


OPERATIONS: List[Tuple[str, Callable[[], Any], Callable[[], Any], Callable[[Any, Any], bool], float]] = [
    ("sign (MD5, 12 fields)", lambda: wxpay.sign(ORDER, KEY, "MD5"), lambda: calculate_signature(ORDER, KEY),
     lambda a, b: a == b, 5.0),
    ("sign (HMAC-SHA256)", lambda: wxpay.sign(ORDER, KEY, "HMAC-SHA256"),
     lambda: calculate_signature_hmac(ORDER, KEY), lambda a, b: a == b, 5.0),
    ("signed request XML", lambda: wxpay.to_signed_xml(ORDER, KEY, "MD5"),
     lambda: dict_to_xml(ORDER, calculate_signature(ORDER, KEY)),
     lambda a, b: wxpay.from_xml(a) == wxpay.from_xml(b.encode()), 5.0),
    ("verify a payment notification", lambda: md5_client.verify_payment_notify(NOTIFY),
     lambda: peer.parse_payment_result(NOTIFY), same_notify, 10.0),
    ("bridge pay params", lambda: md5_client.jsapi_params(PREPAY), lambda: peer.jsapi.get_jsapi_params(PREPAY),
     same_bridge, 5.0),
    ("JS-SDK signature", lambda: wxpay.jssdk_signature(JS["jsapi_ticket"], JS["noncestr"], JS["timestamp"], JS["url"]),
     lambda: WeChatJSAPI.get_jsapi_signature(None, JS["noncestr"], JS["jsapi_ticket"], JS["timestamp"], JS["url"]),
     lambda a, b: a == b == JS["signature"], 5.0),
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


def main() -> int:
    check = "--check" in sys.argv
    print(f"{'operation':34} {'wxpay ns/op':>12} {'wechatpy ns/op':>15} {'speed-up':>9} {'target':>7}")
    missed = 0
    for name, ours, theirs, same, target in OPERATIONS:
        if not same(ours(), theirs()):
            print(f"{name:34} outputs disagree: not timed")
            missed += 1
            continue
        n_ours, n_theirs = calibrate(ours), calibrate(theirs)
        a: List[float] = []
        b: List[float] = []
        for _ in range(7):  # interleaved rounds
            a.append(per_call(ours, n_ours))
            b.append(per_call(theirs, n_theirs))
        mine, peers = statistics.median(a), statistics.median(b)
        ratio = peers / mine
        met = ratio >= target
        missed += not met
        print(f"{name:34} {mine:12.0f} {peers:15.0f} {ratio:8.1f}x {target:6.0f}x {'met' if met else 'MISSED'}")
    return 1 if check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
