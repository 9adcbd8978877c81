"""Native mode one as a shop runs it: a printed link, the scan callback on a
real HTTP server placing the order, the simulated payer paying, and the
payment notification; and the shop's refusal shown to the payer."""

import time

import wxpay

from conftest import Receiver, Sim


def test_a_printed_code_is_scanned_ordered_and_paid(sim: Sim, client: wxpay.Client, receiver: Receiver) -> None:
    link = client.short_url(client.native_qr_link("cola-330"))
    assert link.startswith("weixin://wxpay/s/")

    def answer(n: int) -> str:
        scan = client.verify_scan_callback(shop.bodies[n])
        order = client.unified_order(body="Cola", out_trade_no=f"py-native-{n}", total_fee=350,
                                     spbill_create_ip="127.0.0.1", trade_type="NATIVE",
                                     product_id=scan["product_id"], openid=scan["openid"], notify_url=receiver.url)
        return client.native_scan_reply(order["prepay_id"])

    shop = Receiver(answer)
    try:
        got = sim.post("/sim/native/scan", {"link": link, "callback_url": shop.url})
    finally:
        shop.close()
    assert got == {"result": "paid", "reason": "", "out_trade_no": "py-native-0"}
    assert client.query_order("py-native-0")["trade_state"] == "SUCCESS"
    deadline = time.monotonic() + 5
    while not receiver.bodies and time.monotonic() < deadline:
        time.sleep(0.01)
    paid = client.verify_payment_notify(receiver.bodies[0], 350)
    assert paid["out_trade_no"] == "py-native-0"
    assert paid["trade_type"] == "NATIVE"


def test_a_refusal_reaches_the_payer_and_places_nothing(sim: Sim, client: wxpay.Client) -> None:
    def answer(n: int) -> str:
        client.verify_scan_callback(shop.bodies[n])
        return client.native_scan_refusal("已售罄")

    shop = Receiver(answer)
    try:
        got = sim.post("/sim/native/scan", {"link": client.native_qr_link("sold-out"), "callback_url": shop.url})
    finally:
        shop.close()
    assert got["result"] == "refused"
    assert got["message"] == "已售罄"
    assert sim.stats().get("unifiedorder", 0) == 0


def test_an_answer_signed_by_no_one_pays_nothing(sim: Sim, client: wxpay.Client) -> None:
    def answer(n: int) -> str:
        scan = client.verify_scan_callback(shop.bodies[n])
        order = client.unified_order(body="Cola", out_trade_no=f"py-native-forged-{n}", total_fee=350,
                                     spbill_create_ip="127.0.0.1", trade_type="NATIVE",
                                     product_id=scan["product_id"], notify_url="http://127.0.0.1:9/n")
        reply = wxpay.from_xml(client.native_scan_reply(order["prepay_id"]))
        del reply["sign"]
        return wxpay.to_xml(reply)

    shop = Receiver(answer)
    try:
        got = sim.post("/sim/native/scan", {"link": client.native_qr_link("cola-330"), "callback_url": shop.url})
    finally:
        shop.close()
    assert got["result"] == "failed"
    assert client.query_order("py-native-forged-0")["trade_state"] == "NOTPAY"
