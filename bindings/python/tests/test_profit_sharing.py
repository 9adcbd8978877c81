"""Profit sharing from Python against the simulator: a receiver added, a
multiple sharing within 30 %, the query, the unshared amount, the finish,
and WeChat's refusals as typed errors."""

import json

import pytest

import wxpay
from wxpay import types

from conftest import OPENID, VECTORS, Receiver, Sim


def paid(sim: Sim, client: wxpay.Client, receiver: Receiver, no: str, sharing: bool) -> str:
    extra = {"profit_sharing": "Y"} if sharing else {}
    order = client.unified_order(body="wxpay-书店", out_trade_no=no, total_fee=1000, spbill_create_ip="127.0.0.1",
                                 openid=OPENID, notify_url=receiver.url, **extra)
    assert sim.pay(client.jsapi_params(order["prepay_id"]))["err_msg"] == "get_brand_wcpay_request:ok"
    transaction_id = client.query_order(no)["transaction_id"]
    assert transaction_id
    return transaction_id


def share(client: wxpay.Client, tx: str, no: str, amount: int) -> types.ProfitSharingState:
    return client.profit_sharing(transaction_id=tx, out_order_no=no, multi=True, receivers=[
        {"type": "PERSONAL_OPENID", "account": OPENID, "amount": amount, "description": "推荐佣金"}])


def test_a_sharing_from_receiver_to_finish(sim: Sim, client: wxpay.Client, receiver: Receiver) -> None:
    tx = paid(sim, client, receiver, "py-share-1", True)
    client.add_profit_sharing_receiver(type="PERSONAL_OPENID", account=OPENID, relation_type="USER")
    accepted = share(client, tx, "PS1", 300)
    assert accepted["status"] == "PROCESSING" and accepted["order_id"]
    state = client.query_profit_sharing(tx, "PS1")
    assert [(r["account"], r["amount"], r["result"]) for r in state["receivers"]] == [(OPENID, 300, "SUCCESS")]
    assert client.profit_sharing_unsplit_amount(tx)["unsplit_amount"] == 700
    with pytest.raises(wxpay.BusinessError) as e:
        share(client, tx, "PS2", 1)  # 30 % of 1000 already shared
    assert "最大分账比例" in str(e.value)
    assert client.finish_profit_sharing(tx, "PF1", "分账完结")["status"] == "FINISHED"
    assert client.profit_sharing_unsplit_amount(tx)["unsplit_amount"] == 0
    assert sim.stats()["multiprofitsharing"] == 2


def test_refusals_are_typed(sim: Sim, client: wxpay.Client, receiver: Receiver) -> None:
    plain = paid(sim, client, receiver, "py-share-2", False)
    with pytest.raises(wxpay.BusinessError) as e:
        share(client, plain, "PS1", 10)
    assert e.value.err_code == "NOT_SHARE_ORDER"
    with pytest.raises(wxpay.InvalidInputError):
        client.add_profit_sharing_receiver(type="MERCHANT_ID", account="190001001", relation_type="PARTNER")
    # A value of the wrong type is a TypeError, as for any Python call.
    with pytest.raises(TypeError) as te:
        client.profit_sharing(transaction_id=plain, out_order_no="PS2", receivers=[
            {"type": "PERSONAL_OPENID", "account": OPENID, "amount": 1.5, "description": "x"}])
    assert "receivers[0].amount" in str(te.value) and "whole number of fen" in str(te.value)
    assert sim.stats().get("profitsharingaddreceiver", 0) == 0


def test_a_merchant_receiver_gives_back(sim: Sim, client: wxpay.Client, receiver: Receiver) -> None:
    tx = paid(sim, client, receiver, "py-share-3", True)
    client.add_profit_sharing_receiver(type="MERCHANT_ID", account="190001001", name="示例合作商户有限公司",
                                       relation_type="PARTNER")
    shared = client.profit_sharing(transaction_id=tx, out_order_no="PS-R", multi=True, receivers=[
        {"type": "MERCHANT_ID", "account": "190001001", "amount": 200, "description": "合作分成"}])
    back = client.profit_sharing_return(out_order_no="PS-R", out_return_no="R1", return_account="190001001",
                                        return_amount=150, description="退货")
    assert (back["result"], back["return_amount"], back["order_id"]) == ("SUCCESS", 150, shared["order_id"])
    query = client.query_profit_sharing_return(order_id=shared["order_id"], out_return_no="R1")
    assert query["result"] == "SUCCESS" and query["return_no"] == back["return_no"]
    with pytest.raises(wxpay.BusinessError) as e:  # 150 of 200 already back
        client.profit_sharing_return(out_order_no="PS-R", out_return_no="R2", return_account="190001001",
                                     return_amount=51, description="退货")
    assert e.value.err_code == "INVALID_REQUEST"
    with pytest.raises(TypeError):  # exactly one of order_id and out_order_no
        client.query_profit_sharing_return(out_return_no="R1")


def test_a_provider_asks_its_ratio(sim: Sim) -> None:
    provider = wxpay.Client(**sim.provider_client_options())
    assert provider.profit_sharing_max_ratio(sub_mch_id="1900000109")["max_ratio"] == 3000
    assert provider.profit_sharing_max_ratio("1900000200")["max_ratio"] == 3000
    with pytest.raises(wxpay.InvalidInputError):
        provider.profit_sharing_max_ratio()
    assert sim.stats()["profitsharingmerchantratioquery"] == 2


def test_shared_vectors(sim: Sim, receiver: Receiver) -> None:
    """tests/vectors/profit_sharing.json on one simulator, each step called by name."""
    doc = json.loads((VECTORS / "profit_sharing.json").read_text(encoding="utf-8"))

    def sent() -> int:
        return sum(v for k, v in sim.stats().items() if "profitsharing" in k)

    for n, case in enumerate(doc["cases"]):
        options = sim.provider_client_options() if case["merchant"] == "provider" else sim.client_options()
        client = wxpay.Client(**options, sign_type="HMAC-SHA256")
        tx = paid(sim, client, receiver, f"py-psv-{n}", case["order"] == "sharing") if case["order"] else ""
        before = sent()
        for i, step in enumerate(case["steps"]):
            step = json.loads(json.dumps(step).replace("{tx}", tx).replace("{n}", str(n)))
            label = f"{case['name']}, step {i} ({step['op']})"
            want = step["expect"]
            if "error" in want:
                with pytest.raises((wxpay.WxPayError, TypeError)) as e:
                    client.call(step["op"], **step["args"])
                if isinstance(e.value, wxpay.WxPayError):
                    assert e.value.kind == want["error"]["kind"], f"{label}: {e.value!r}"
                    assert e.value.err_code == want["error"].get("err_code"), f"{label}: {e.value!r}"
                else:  # a value of the wrong type, as for any Python call
                    assert want["error"]["kind"] == "InvalidInput", f"{label}: {e.value!r}"
                continue
            got = client.call(step["op"], **step["args"])
            if want["ok"] is None:
                assert got is None, label
            else:
                assert {k: got[k] for k in want["ok"]} == want["ok"], f"{label}: {got}"
        if "sent" in case:
            assert sent() - before == case["sent"], case["name"]
