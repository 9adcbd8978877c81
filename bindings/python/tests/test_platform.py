"""A service provider taking payments for two sub-merchants (docs/protocol.md §15),
end to end against the simulator: order, pay params, notification handled and
confirmed, refund; and the checks that keep one sub-merchant from another."""

import time
from typing import Any, Callable, Dict, List, Optional

import pytest

import wxpay
from wxpay import types

from conftest import OPENID, Receiver, Sim


def wait_for(cond: Callable[[], bool], limit: float = 5.0) -> bool:
    end = time.time() + limit
    while time.time() < end:
        if cond():
            return True
        time.sleep(0.02)
    return cond()


def platform(sim: Sim, **extra: Any) -> wxpay.Client:
    return wxpay.Client(**sim.provider_client_options(retry_backoff=0.02, **extra))


def body_for(receiver: Receiver, needle: str) -> Optional[bytes]:
    return next((b for b in receiver.bodies if needle.encode() in b), None)


@pytest.mark.parametrize("sign_type", ["HMAC-SHA256", "MD5"])
def test_two_sub_merchants_end_to_end(sim: Sim, receiver: Receiver, sign_type: str) -> None:
    client = platform(sim, sign_type=sign_type)
    tea, books = sim.provider["sub_merchants"]
    shop: Dict[str, types.ShopOrder] = {}

    # The tea house's buyer pays on the tea house's own account (sub_appid +
    # sub_openid), the bookshop's on the provider's (openid).
    cases: List[Dict[str, Any]] = [
        dict(sub={"sub_mch_id": tea["sub_mch_id"], "sub_appid": tea["sub_appid"]},
             who={"sub_openid": tea["sub_openid"]}, fee=1500, no=f"py-tea-{sign_type}",
             page_appid=tea["sub_appid"]),
        dict(sub={"sub_mch_id": books["sub_mch_id"]}, who={"openid": OPENID}, fee=4200,
             no=f"py-book-{sign_type}", page_appid=sim.provider["appid"]),
    ]
    for case in cases:
        sub, no = case["sub"], case["no"]
        order = client.unified_order(body="platform", out_trade_no=no, total_fee=case["fee"],
                                     spbill_create_ip="127.0.0.1", notify_url=receiver.url,
                                     **case["who"], **sub)
        assert order["raw"]["sub_mch_id"] == sub["sub_mch_id"]
        assert sim.order(no)["sub_mch_id"] == sub["sub_mch_id"]  # type: ignore[index]
        shop[no] = {"total_fee": case["fee"], "transaction_id": None, "sub_mch_id": sub["sub_mch_id"]}

        params = client.jsapi_params(order["prepay_id"], **sub)
        assert params["appId"] == case["page_appid"]
        paid = sim.post("/sim/jsapi/pay", params)
        assert paid["err_msg"] == "get_brand_wcpay_request:ok", paid

        assert wait_for(lambda: body_for(receiver, no) is not None)
        body = body_for(receiver, no)
        assert body is not None
        queries = sim.stats()["orderquery"]
        decision = client.handle_payment_notify(body, lambda out_trade_no: shop.get(out_trade_no))
        assert decision["status"] == "paid", decision
        assert decision["reply"] == wxpay.notify_ack()
        assert decision["notify"] is not None and decision["notify"]["sub_mch_id"] == sub["sub_mch_id"]
        assert decision["confirmation"] is not None
        assert decision["confirmation"]["raw"]["sub_mch_id"] == sub["sub_mch_id"]
        assert sim.stats()["orderquery"] == queries + 1

        # The notification against a record of the other sub-merchant: refused,
        # nothing queried.
        other = books if sub["sub_mch_id"] == tea["sub_mch_id"] else tea
        wrong: types.ShopOrder = {"total_fee": case["fee"], "sub_mch_id": other["sub_mch_id"]}
        refused = client.handle_payment_notify(body, lambda _: wrong)
        assert refused["status"] == "refused" and refused["error"] is not None
        assert refused["error"].kind == "Mismatch" and refused["error"].field == "sub_mch_id"
        assert sim.stats()["orderquery"] == queries + 1

        assert client.query_order(no, **sub)["trade_state"] == "SUCCESS"
        refund = client.refund(out_trade_no=no, out_refund_no=f"{no}-r", total_fee=case["fee"], refund_fee=300,
                               **sub)
        assert refund["refund_fee"] == 300 and refund["raw"]["sub_mch_id"] == sub["sub_mch_id"]
        assert client.query_order(no, **sub)["trade_state"] == "REFUND"

    # One sub-merchant never sees the other's order.
    with pytest.raises(wxpay.BusinessError) as e:
        client.query_order(f"py-tea-{sign_type}", sub_mch_id=books["sub_mch_id"])
    assert e.value.err_code == "ORDERNOTEXIST"


def test_sub_merchant_arguments_are_checked(sim: Sim) -> None:
    client = platform(sim)
    tea, books = sim.provider["sub_merchants"]
    order: Dict[str, Any] = dict(body="b", out_trade_no="py-sp-checks", total_fee=100,
                                 spbill_create_ip="127.0.0.1", notify_url="https://shop.example/n")
    before = sim.stats()["unifiedorder"]
    with pytest.raises(wxpay.InvalidInputError) as e:
        client.unified_order(**order, sub_openid=tea["sub_openid"], sub_mch_id=tea["sub_mch_id"])
    assert e.value.field == "sub_openid"  # without the sub_appid it belongs to
    with pytest.raises(wxpay.InvalidInputError) as e:
        client.unified_order(**order, openid=OPENID, sub_appid=tea["sub_appid"])
    assert e.value.field == "sub_mch_id"  # a sub_appid names no sub-merchant
    with pytest.raises(wxpay.InvalidInputError) as e:
        client.unified_order(**order, openid=OPENID, sub_mch_id="1900000109 ")
    assert e.value.field == "sub_mch_id"
    with pytest.raises(wxpay.InvalidInputError) as e:
        client.unified_order(**order, openid=OPENID, extra={"sub_mch_id": tea["sub_mch_id"]})
    assert e.value.field == "sub_mch_id"
    with pytest.raises(TypeError):  # OAuth belongs to an account, not a sub-merchant
        client.oauth_state("session", sub_mch_id=tea["sub_mch_id"])  # type: ignore[call-arg]
    assert sim.stats()["unifiedorder"] == before, "nothing was sent"

    # WeChat's side: a sub-merchant of nobody's, an appid not bound to it.
    with pytest.raises(wxpay.ProtocolError):
        client.unified_order(**order, openid=OPENID, sub_mch_id="1900000999")
    with pytest.raises(wxpay.ProtocolError):
        client.unified_order(**order, openid=OPENID, sub_mch_id=tea["sub_mch_id"], sub_appid=books["sub_appid"])
