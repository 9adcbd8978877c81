"""examples/platform/platform_shop.py against wxpay-sim: one process taking
payments for two sub-merchants, as the platform runs it."""

import json
import pathlib
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import Any, Dict, Iterator, Tuple

import pytest

import wxpay

from conftest import OPENID, Sim

SHOP = pathlib.Path(__file__).resolve().parents[3] / "examples" / "platform" / "platform_shop.py"


@pytest.fixture
def platform(sim: Sim) -> Iterator[str]:
    proc = subprocess.Popen([sys.executable, str(SHOP), "--base-url", sim.url, "--port", "0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("platform shop listening on "), (line, proc.stderr and proc.stderr.read())
        yield line.split()[-1]
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def call(method: str, url: str, body: Any = None) -> Tuple[int, Dict[str, Any]]:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def wait_until_paid(url: str) -> Dict[str, Any]:
    for _ in range(250):
        status, order = call("GET", url)
        if order.get("status") != "unpaid":
            return order
        time.sleep(0.02)
    return order


def test_two_sub_merchants_take_payments_in_one_process(sim: Sim, platform: str) -> None:
    tea, books = sim.provider["sub_merchants"]
    shops = [("teahouse", tea, tea["sub_openid"], tea["sub_appid"], 1500),
             ("bookshop", books, OPENID, sim.provider["appid"], 4200)]
    numbers = {}
    for shop, sub, payer, page_appid, fee in shops:
        queries = sim.stats()["orderquery"]
        status, created = call("POST", f"{platform}/{shop}/orders", {"total_fee": fee, "payer": payer})
        assert status == 201, created
        no = numbers[shop] = created["out_trade_no"]
        recorded = sim.order(no)
        assert recorded is not None and recorded["sub_mch_id"] == sub["sub_mch_id"]
        assert created["pay_params"]["appId"] == page_appid

        paid = sim.post("/sim/jsapi/pay", created["pay_params"])
        assert paid["err_msg"] == "get_brand_wcpay_request:ok", paid
        order = wait_until_paid(f"{platform}/{shop}/orders/{no}")
        assert order["status"] == "paid" and order["total_fee"] == fee, order
        after = sim.order(no)
        assert after is not None and after["trade_state"] == "SUCCESS"
        assert order["transaction_id"] == after["transaction_id"], (order, after)
        assert sim.stats()["orderquery"] > queries, "the notification was confirmed by orderquery"
        # The shop records the payment before it answers SUCCESS; the simulator
        # marks the notification acknowledged once that answer arrives.
        deadline = time.monotonic() + 10
        while True:
            notes = [n for n in sim.notifications() if n["out_trade_no"] == no]
            if (notes and notes[-1]["status"] == "acknowledged") or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert notes and notes[-1]["status"] == "acknowledged", notes

        status, refund = call("POST", f"{platform}/{shop}/orders/{no}/refund", {"refund_fee": 300})
        assert status == 200 and refund["refund_fee"] == 300, refund
        assert sim.order(no)["trade_state"] == "REFUND"  # type: ignore[index]
        assert call("GET", f"{platform}/{shop}/orders/{no}")[1]["status"] == "refunded"

    # One shop never sees, nor refunds, the other's order.
    assert call("GET", f"{platform}/bookshop/orders/{numbers['teahouse']}")[0] == 404
    assert call("POST", f"{platform}/bookshop/orders/{numbers['teahouse']}/refund", {"refund_fee": 1})[0] == 404


def test_bad_orders_and_forged_notifications_change_nothing(sim: Sim, platform: str) -> None:
    before = sim.stats()["unifiedorder"]
    status, err = call("POST", f"{platform}/teahouse/orders", {"total_fee": "15.00", "payer": "x"})
    assert status == 400 and err["error"], err
    status, err = call("POST", f"{platform}/teahouse/orders", {"total_fee": 0, "payer": "x"})
    assert status == 400 and "total_fee" in err["error"], err
    assert call("POST", f"{platform}/nosuchshop/orders", {"total_fee": 1, "payer": "x"})[0] == 404
    assert sim.stats()["unifiedorder"] == before, "nothing reached WeChat"

    status, created = call("POST", f"{platform}/bookshop/orders", {"total_fee": 990, "payer": OPENID})
    assert status == 201
    no = created["out_trade_no"]
    forged = wxpay.to_xml({"return_code": "SUCCESS", "result_code": "SUCCESS", "appid": sim.provider["appid"],
                           "mch_id": sim.provider["mch_id"], "sub_mch_id": "1900000110", "out_trade_no": no,
                           "transaction_id": "4200000000000000000000000009", "total_fee": "990",
                           "nonce_str": "x", "sign": "A" * 32})
    req = urllib.request.Request(f"{platform}/notify", data=forged.encode(), method="POST")
    with urllib.request.urlopen(req, timeout=10) as r:
        assert wxpay.from_xml(r.read())["return_code"] == "FAIL"
    assert call("GET", f"{platform}/bookshop/orders/{no}")[1]["status"] == "unpaid"
