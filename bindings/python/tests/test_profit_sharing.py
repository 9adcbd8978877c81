"""Profit sharing from Python against the simulator: a receiver added, a
multiple sharing within 30 %, the query, the unshared amount, the finish,
and WeChat's refusals as typed errors."""

import pytest

import wxpay
from wxpay import types

from conftest import OPENID, Receiver, Sim


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
