"""The counter from Python: micropay ends paid, reversed, failed or unsettled
(wxpay-sim's payment codes: the last four digits say what the customer does)."""

import json
from typing import Any, Dict

import pytest

import wxpay
from wxpay import types

from conftest import VECTORS, Sim

COUNTER = json.loads((VECTORS / "counter.json").read_text())["cases"]

FAST = dict(first_query_after=0.02, query_every=0.02, give_up_after=0.6, max_reverses=3)


def pay(client: wxpay.Client, no: str, plan: str) -> types.MicropayOutcome:
    return client.micropay(body="Shop-Coffee", out_trade_no=no, total_fee=1800, spbill_create_ip="127.0.0.1",
                           auth_code="13456789012345" + plan, **FAST)


def test_each_way_a_counter_payment_ends(sim: Sim, client: wxpay.Client) -> None:
    paid = pay(client, "py-counter-1", "0000")
    assert paid["status"] == "paid" and paid["total_fee"] == 1800 and paid["queries"] == 0
    assert set(paid) == set(types.MicropayOutcome.__annotations__)
    typed = pay(client, "py-counter-2", "1150")  # pays after typing the password
    assert typed["status"] == "paid" and typed["queries"] >= 1 and typed["reverses"] == 0
    gone = pay(client, "py-counter-3", "2000")  # never finishes
    assert gone["status"] == "reversed" and gone["err_code"] == "USERPAYING" and gone["reverses"] == 1
    assert sim.order("py-counter-3")["trade_state"] == "REVOKED"
    poor = pay(client, "py-counter-4", "3000")
    assert poor["status"] == "failed" and poor["err_code"] == "NOTENOUGH"


def test_a_code_that_is_not_one_is_refused_before_sending(sim: Sim, client: wxpay.Client) -> None:
    with pytest.raises(wxpay.InvalidInputError) as e:
        client.micropay(body="b", out_trade_no="py-counter-5", total_fee=1, spbill_create_ip="127.0.0.1",
                        auth_code="1234")
    assert e.value.field == "auth_code"
    with pytest.raises(wxpay.InvalidInputError):
        client.micropay(body="b", out_trade_no="py-counter-5", total_fee=1, spbill_create_ip="127.0.0.1",
                        auth_code="134567890123450000", give_up_after=-1)
    assert sim.stats()["micropay"] == 0


@pytest.mark.parametrize("name,value", [
    ("give_up_after", float("inf")), ("give_up_after", float("nan")), ("query_every", float("nan")),
    ("first_query_after", float("-inf")), ("give_up_after", 601), ("query_every", 0), ("max_reverses", 0),
    ("max_reverses", 11), ("max_reverses", -1), ("max_reverses", float("nan")),
])
def test_waits_that_are_not_numbers_in_range_are_refused_by_name(sim: Sim, client: wxpay.Client, name: str,
                                                                  value: Any) -> None:
    # NaN and the infinities are refused, never read as "not given" with the default applied.
    with pytest.raises((wxpay.InvalidInputError, TypeError)) as e:
        client.micropay(body="b", out_trade_no="py-counter-6", total_fee=1, spbill_create_ip="127.0.0.1",
                        auth_code="134567890123450000", **{name: value})
    assert getattr(e.value, "field", name) == name, e.value
    if isinstance(value, float) and value != value or value in (float("inf"), float("-inf")):
        assert isinstance(e.value, wxpay.InvalidInputError) and e.value.field == name
    assert sim.stats()["micropay"] == 0


@pytest.mark.parametrize("name", ["timeout", "connect_timeout", "overall_timeout", "confirm_timeout", "retry_backoff",
                                  "token_refresh_margin"])
@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), -1.0, 0])
def test_client_durations_that_are_not_numbers_in_range_are_refused_by_name(sim: Sim, name: str, value: float) -> None:
    with pytest.raises(wxpay.InvalidInputError) as e:
        wxpay.Client(**sim.client_options(**{name: value}))
    assert e.value.field == name


@pytest.mark.parametrize("value", [float("nan"), -1, 6])
def test_retries_out_of_range_are_refused_by_name(sim: Sim, value: Any) -> None:
    with pytest.raises(wxpay.InvalidInputError) as e:
        wxpay.Client(**sim.client_options(retries=value))
    assert e.value.field == "retries"


def test_an_unsettled_payment_says_what_to_do_and_reverse_does_it(sim: Sim, client: wxpay.Client) -> None:
    # Every reverse answers recall: not reversed, and the cashier is told to reverse later.
    sim.fault("/secapi/pay/reverse", "recall", count=3)
    out = pay(client, "py-counter-7", "2000")
    assert (out["status"], out["follow_up"], out["reverses"]) == ("unsettled", "reverse", 3), out
    assert isinstance(out["error"], wxpay.ProtocolError) and out["error"].retryable
    done = client.reverse("py-counter-7")
    assert done == {"out_trade_no": "py-counter-7", "reverses": 1}
    assert sim.order("py-counter-7")["trade_state"] == "REVOKED"


def test_a_payment_code_names_its_customer(sim: Sim, client: wxpay.Client) -> None:
    assert client.auth_code_to_openid("134567890123450000") == sim.openid
    with pytest.raises(wxpay.BusinessError) as e:
        client.auth_code_to_openid("134567890123454000")
    assert e.value.err_code == "AUTHCODEEXPIRE"


@pytest.mark.parametrize("case", COUNTER, ids=[c["name"] for c in COUNTER])
def test_the_shared_counter_vectors(case: Dict[str, Any]) -> None:
    with Sim(time_scale=0.001) as sim:
        if case["fault"]:
            f = case["fault"]
            sim.fault(f["path"], f["kind"], f["count"], f["delay_ms"])
        sub = case["sub_merchant"] or {}
        options = sim.provider_client_options() if sub else sim.client_options()
        client = wxpay.Client(**options, sign_type="HMAC-SHA256")
        out = client.micropay(body="counter", out_trade_no="py-counter-vector", total_fee=1800,
                              spbill_create_ip="127.0.0.1", auth_code=case["auth_code"], **FAST, **sub)
        expect = case["expect"]
        assert (out["status"], out["err_code"], out["reverses"], out["follow_up"]) == \
            (expect["status"], expect["err_code"], expect["reverses"], expect["follow_up"]), out
        assert out["queries"] >= expect["queries_at_least"], out
