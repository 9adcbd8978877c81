"""tests/vectors/security/faults.json from Python: every client operation
against each fault wxpay-sim injects — error kind, retryable, the attempts
that met the fault, those that reached WeChat, and failover."""

import datetime
import json
import socket
import time
import urllib.request
from typing import Any, Dict

import pytest

import wxpay

from conftest import OPENID, Sim, load_vectors
from test_client import follow_authorize

DRILLS = load_vectors("security/faults.json")


def drill_client(sim: Sim, dead_primary: bool) -> wxpay.Client:
    options: Dict[str, Any] = dict(appid=sim.appid, mch_id=sim.mch_id, api_key=sim.api_key, app_secret=sim.app_secret,
                                   base_url=sim.url, retries=1, retry_backoff=0.01, timeout=1, overall_timeout=5)
    if dead_primary:
        with socket.socket() as s:  # a port that refuses connections once closed
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        options.update(pay_base_url=f"http://127.0.0.1:{port}", pay_backup_url=sim.url)
    return wxpay.Client(**options)


def set_up(sim: Sim, client: wxpay.Client, setup: str, no: str) -> str:
    if setup in ("placed", "placed_5_minutes_ago", "paid", "refunded"):
        order = client.unified_order(body="drill", out_trade_no=no, total_fee=990, spbill_create_ip="127.0.0.1",
                                     openid=OPENID, notify_url="http://127.0.0.1:9/notify")
        if setup in ("paid", "refunded"):
            assert sim.post("/sim/jsapi/pay", client.jsapi_params(order["prepay_id"]))["err_msg"] == \
                "get_brand_wcpay_request:ok"
        if setup == "refunded":
            client.refund(out_trade_no=no, out_refund_no=f"{no}-r", total_fee=990, refund_fee=990)
    if setup == "placed_5_minutes_ago":
        time.sleep(0.35)  # five minutes at the tests' time scale of 1/1000
    if setup == "oauth_code":
        return follow_authorize(client.oauth_authorize_url("https://shop.example/cb", state="drill"))[0]
    if setup == "token":
        client.access_token()
    return ""


def fill(args: Dict[str, Any], no: str, code: str) -> Dict[str, Any]:
    today = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=8)).strftime("%Y%m%d")
    text = json.dumps(args).replace("{no}", no).replace("{code}", code).replace("{today}", today)
    filled: Dict[str, Any] = json.loads(text)
    return filled


@pytest.fixture(scope="module")
def shared_sim() -> Any:
    with Sim(time_scale=0.001, instant_bills=True) as s:
        yield s


@pytest.mark.parametrize("index", range(len(DRILLS)), ids=[str(d["name"]) for d in DRILLS])
def test_drill(shared_sim: Sim, index: int) -> None:
    case: Dict[str, Any] = DRILLS[index]  # type: ignore[assignment]
    sim, fault = shared_sim, case["fault"]
    client = drill_client(sim, fault["kind"] == "dead_primary")
    no = f"py-drill-{index:04d}"
    code = set_up(sim, client, case["setup"], no)
    if fault["kind"] != "dead_primary":
        sim.fault(case["path"], fault["kind"], count=fault["count"], delay_ms=fault["delay_ms"])
    before = sim.stats()
    started = time.monotonic()
    try:
        result: Any = client.call(case["operation"], **fill(case["args"], no, code))
        error = None
    except wxpay.WxPayError as e:
        result, error = None, e
    finally:
        urllib.request.urlopen(urllib.request.Request(sim.url + "/sim/faults", method="DELETE"), timeout=5).close()
    if fault["kind"] == "delay":
        # An attempt the client gave up on still reaches WeChat when its delay
        # ends: let it land here, not in the next drill's counts.
        time.sleep(max(0.0, started + (fault["delay_ms"] + 100) * fault["count"] / 1000 - time.monotonic()))
    after = sim.stats()
    expect = case["expect"]
    if "ok" in expect:
        assert error is None, f"{error!r}"
        assert result is not None
    else:
        assert error is not None, f"succeeded: {result!r}"
        assert (error.kind, error.retryable) == (expect["error"]["kind"], expect["error"]["retryable"]), repr(error)
    met = after.get("faults_injected", 0) - before.get("faults_injected", 0)
    assert met == case["faults"], "attempts that met the fault"
    if case["reached"] is not None:
        stat = case["stat"]
        assert after.get(stat, 0) - before.get(stat, 0) == case["reached"], f"reached {stat}"
