"""tests/vectors/security/decisions.json from Python: every reply that
becomes a shop decision, given a signed answer about something else by the
simulator's forge fault, is compared field by field (docs/security.md §8)."""

import time
from typing import Any, Dict

import pytest

import wxpay

from conftest import OPENID, Sim, load_vectors

CASES = load_vectors("security/decisions.json")


def fill(value: Any, no: str) -> Any:
    if isinstance(value, str):
        return value.replace("{no}", no)
    if isinstance(value, dict):
        return {k: fill(v, no) for k, v in value.items()}
    return value


def holds(got: Any, want: Any) -> bool:
    """Whether `got` has every key of `want` with the same value (nested too)."""
    if isinstance(want, dict):
        return isinstance(got, dict) and all(k in got and holds(got[k], v) for k, v in want.items())
    return bool(got == want)


def error_dict(e: Any) -> Dict[str, Any]:
    return {"kind": e.kind, "field": getattr(e, "field", None), "retryable": e.retryable}


def set_up(sim: Sim, client: wxpay.Client, case: Dict[str, Any], no: str, sub: Dict[str, Any]) -> None:
    setup = case["setup"]
    if setup == "micropaid":
        out = client.micropay(body="counter", out_trade_no=no, total_fee=case["setup_fee"],
                              spbill_create_ip="127.0.0.1", auth_code="134567890123450000", **sub)
        assert out["status"] == "paid", out
    elif setup in ("paid", "refunded", "placed_5_minutes_ago"):
        order = client.unified_order(body="decision", out_trade_no=no, total_fee=990, spbill_create_ip="127.0.0.1",
                                     openid=OPENID, notify_url="http://127.0.0.1:9/notify", **sub)
        if setup != "placed_5_minutes_ago":
            paid = sim.post("/sim/jsapi/pay", client.jsapi_params(order["prepay_id"], **sub))
            assert paid["err_msg"] == "get_brand_wcpay_request:ok"
        if setup == "refunded":
            client.refund(out_trade_no=no, out_refund_no=f"{no}-r", total_fee=990, refund_fee=990, **sub)
        if setup == "placed_5_minutes_ago":
            time.sleep(0.35)  # five minutes at the tests' time scale of 1/1000


@pytest.fixture(scope="module")
def shared_sim() -> Any:
    with Sim(time_scale=0.001, instant_bills=True) as s:
        yield s


@pytest.mark.parametrize("index", range(len(CASES)), ids=[str(c["name"]) for c in CASES])
def test_decision(shared_sim: Sim, index: int) -> None:
    case: Dict[str, Any] = CASES[index]  # type: ignore[assignment]
    sim, no = shared_sim, f"py-decision-{index:04d}"
    base = sim.provider_client_options() if case["merchant"] == "provider" else sim.client_options()
    client = wxpay.Client(**base, sign_type="HMAC-SHA256", retries=1, retry_backoff=0.01)
    sub = {"sub_mch_id": case["sub_mch_id"]} if case["sub_mch_id"] else {}
    set_up(sim, client, case, no, sub)
    sim.add_faults(case["faults"])
    args = fill(case["args"], no)
    try:
        if case["operation"] == "settle_payment_notify":
            body = next(n["body"] for n in sim.notifications() if n["kind"] == "payment" and n["out_trade_no"] == no)
            result: Any = client.settle_payment_notify(body, args["order"])
            if result.get("error") is not None:
                result = dict(result, error=error_dict(result["error"]))
        else:
            result = client.call(case["operation"], **args, **sub)
            if isinstance(result, dict) and result.get("error") is not None:
                result = dict(result, error=error_dict(result["error"]))
        error = None
    except wxpay.WxPayError as e:
        result, error = None, error_dict(e)
    finally:
        sim.clear_faults()
    expect = case["expect"]
    if "error" in expect:
        assert error is not None and holds(error, expect["error"]), (result, error)
    else:
        assert error is None and holds(result, expect["result"]), (result, error)
