"""tests/vectors/security/: the notify handler's decisions, and the catalogue's references."""

from typing import Any, Dict, List

import pytest

import wxpay

from conftest import load_vectors


@pytest.mark.parametrize("case", load_vectors("security/notify_handler.json"), ids=lambda c: str(c["name"]))
def test_the_notify_handler_decides_as_the_fixture_says(case: Dict[str, Any]) -> None:
    client = wxpay.Client(**case["merchant"])
    asked: List[str] = []

    def find(out_trade_no: str) -> Any:
        asked.append(out_trade_no)
        return case["order"]

    d = client.handle_payment_notify(case["body"], find)
    expect = case["expect"]
    assert d["status"] == expect["status"], d
    assert wxpay.from_xml(d["reply"])["return_code"] == expect["reply"]
    assert d["out_trade_no"] == expect["out_trade_no"]
    # The shop's lookup runs only for a verified payment.
    paid_claim = expect["out_trade_no"] is not None and expect["status"] != "not_paid"
    assert asked == ([expect["out_trade_no"]] if paid_claim else [])
    if "error" not in expect:
        assert d["error"] is None
    else:
        e = d["error"]
        assert isinstance(e, wxpay.WxPayError)
        assert (e.kind, e.retryable, e.field, e.reason) == (
            expect["error"]["kind"], expect["error"]["retryable"],
            expect["error"].get("field"), expect["error"].get("reason")), repr(e)
    # The same decision with the record given directly.
    assert client.settle_payment_notify(case["body"], case["order"])["status"] == expect["status"]


def test_every_catalogue_reference_names_a_vector_case() -> None:
    catalogue = load_vectors("security/catalogue.json")
    assert [c["id"] for c in catalogue] == list(range(1, 121))
    for entry in catalogue:
        for reference in entry.get("vectors", []):  # type: ignore[attr-defined]
            file, case = str(reference).split("#", 1)
            assert case in {c["name"] for c in load_vectors(file)}, (entry["name"], reference)
