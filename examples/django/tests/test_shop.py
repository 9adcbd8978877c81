"""The example shop end to end: OAuth, checkout, payment, notification,
confirmation — and the notifications it must refuse."""

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Dict

import pytest
from django.test import Client as Browser

import wxpay
from orders.models import Order, PaymentEvent
from wxpay.testing import Simulator

pytestmark = pytest.mark.django_db(transaction=True)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def wechat_authorize(url: str) -> str:
    """The WeChat client's part of OAuth: consent, then the redirect back."""
    try:
        urllib.request.build_opener(NoRedirect).open(url.split("#")[0], timeout=10)
    except urllib.error.HTTPError as e:
        assert e.code == 302
        return str(e.headers["Location"])
    raise AssertionError("the authorize URL did not redirect")


def checkout(browser: Browser, shop: Any, product: str = "book") -> Dict[str, Any]:
    """Opens the checkout page as a shopper, through OAuth; returns what the
    page was given."""
    first = browser.get(f"/checkout/{product}/")
    assert first.status_code == 302
    back = wechat_authorize(first["Location"])
    assert back.startswith(shop.url + "/oauth/callback/")
    parsed = urllib.parse.urlparse(back)
    callback = browser.get(parsed.path + "?" + parsed.query)
    assert callback.status_code == 302 and callback["Location"] == f"/checkout/{product}/"
    page = browser.get(f"/checkout/{product}/")
    assert page.status_code == 200
    html = page.content.decode()
    pay_params = json.loads(re.search(r"const payParams = (\{.*?\});", html).group(1))  # type: ignore[union-attr]
    wx_config = json.loads(re.search(r"const wxConfig = (\{.*?\});", html).group(1))  # type: ignore[union-attr]
    out_trade_no = re.search(r'id="out-trade-no">([^<]+)<', html).group(1)  # type: ignore[union-attr]
    return {"pay": pay_params, "config": wx_config, "out_trade_no": out_trade_no}


def post_json(url: str, body: Dict[str, Any]) -> Dict[str, Any]:
    req = urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        result: Dict[str, Any] = json.loads(r.read())
        return result


def wait_paid(out_trade_no: str, limit: float = 10.0) -> Order:
    end = time.time() + limit
    while time.time() < end:
        order = Order.objects.get(out_trade_no=out_trade_no)
        if order.status == Order.PAID:
            return order
        time.sleep(0.05)
    raise AssertionError(f"order {out_trade_no} was not paid")


def pay(sim: Simulator, params: Dict[str, Any]) -> Dict[str, Any]:
    return post_json(sim.url + "/sim/jsapi/pay", params)


def test_a_full_payment(sim: Simulator, shop: Any) -> None:
    browser = Browser()
    page = checkout(browser, shop)
    order = Order.objects.get(out_trade_no=page["out_trade_no"])
    assert order.total_fee == 990 and order.openid == sim.openid and order.status == Order.NOTPAY

    # wx.config was signed for the URL this (test) browser is on.
    checked = post_json(sim.url + "/sim/jsapi/config", dict(page["config"], url="http://testserver/checkout/book/"))
    assert checked["errMsg"] == "config:ok", checked

    assert pay(sim, page["pay"])["err_msg"] == "get_brand_wcpay_request:ok"
    paid = wait_paid(order.out_trade_no)
    assert paid.transaction_id and paid.paid_at
    assert PaymentEvent.objects.filter(order=paid).count() == 1
    status = browser.get(f"/orders/{order.out_trade_no}/status/").json()
    assert status == {"out_trade_no": order.out_trade_no, "status": "PAID", "total_fee": 990,
                      "transaction_id": paid.transaction_id}
    # The shop records the payment before it answers SUCCESS; the simulator
    # marks the notification acknowledged once that answer arrives.
    deadline = time.monotonic() + 10
    while True:
        delivered = [n for n in sim.notifications() if n["out_trade_no"] == order.out_trade_no]
        if delivered[0]["status"] == "acknowledged" or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert delivered[0]["status"] == "acknowledged"
    assert delivered[0]["attempts"][-1]["reply"] == wxpay.notify_ack()
    assert sim.stats()["orderquery"] >= 1, "the notification was confirmed with orderquery"


def test_a_duplicate_notification_changes_nothing(sim: Simulator, shop: Any) -> None:
    browser = Browser()
    page = checkout(browser, shop)
    pay(sim, page["pay"])
    paid = wait_paid(page["out_trade_no"])
    body = next(n["body"] for n in sim.notifications() if n["out_trade_no"] == paid.out_trade_no)
    again = browser.post("/wxpay/notify/", data=body, content_type="text/xml")
    assert again.content.decode() == wxpay.notify_ack()
    after = Order.objects.get(pk=paid.pk)
    assert (after.status, after.transaction_id, after.paid_at) == (Order.PAID, paid.transaction_id, paid.paid_at)
    assert PaymentEvent.objects.filter(order=paid).count() == 1


def signed_notify(sim: Simulator, order: Order, key: str, **changes: str) -> str:
    fields = {
        "return_code": "SUCCESS", "result_code": "SUCCESS", "appid": sim.appid, "mch_id": sim.mch_id,
        "nonce_str": "forged0nce", "openid": order.openid, "trade_type": "JSAPI", "bank_type": "OTHERS",
        "total_fee": str(order.total_fee), "fee_type": "CNY", "cash_fee": str(order.total_fee),
        "transaction_id": "4200000000000000000000000001", "out_trade_no": order.out_trade_no,
        "time_end": "20240102030405",
    }
    fields.update(changes)
    fields["sign"] = wxpay.sign(fields, key, "HMAC-SHA256")
    return wxpay.to_xml(fields)


def refused(browser: Browser, body: str) -> None:
    reply = browser.post("/wxpay/notify/", data=body, content_type="text/xml")
    assert reply.status_code == 200
    assert wxpay.from_xml(reply.content)["return_code"] == "FAIL"


def test_forged_and_tampered_notifications_are_refused(sim: Simulator, shop: Any) -> None:
    browser = Browser()
    page = checkout(browser, shop)
    order = Order.objects.get(out_trade_no=page["out_trade_no"])
    refused(browser, signed_notify(sim, order, "0123456789abcdef0123456789abcdef"))  # not our key
    genuine = signed_notify(sim, order, sim.api_key)
    refused(browser, genuine.replace("<bank_type>OTHERS</bank_type>", "<bank_type>CMB</bank_type>"))  # tampered
    refused(browser, "<!DOCTYPE xml>" + genuine)
    refused(browser, "not xml")
    # Correctly signed but WeChat never saw a payment: orderquery says NOTPAY.
    refused(browser, genuine)
    assert Order.objects.get(pk=order.pk).status == Order.NOTPAY
    assert not PaymentEvent.objects.exists()


def test_an_amount_mismatch_is_refused(sim: Simulator, shop: Any) -> None:
    browser = Browser()
    page = checkout(browser, shop)
    order = Order.objects.get(out_trade_no=page["out_trade_no"])
    # The shop's own record says 1 fen; WeChat collects 990 and notifies 990.
    Order.objects.filter(pk=order.pk).update(total_fee=1)
    assert pay(sim, page["pay"])["err_msg"] == "get_brand_wcpay_request:ok"
    end = time.time() + 10
    attempts: list = []
    while time.time() < end and not attempts:
        attempts = [a for n in sim.notifications() if n["out_trade_no"] == order.out_trade_no for a in n["attempts"]]
        time.sleep(0.05)
    assert attempts, "the notification was delivered"
    assert wxpay.from_xml(attempts[0]["reply"])["return_code"] == "FAIL"
    assert Order.objects.get(pk=order.pk).status == Order.NOTPAY
    # A correctly signed notification with another currency is refused too.
    refused(browser, signed_notify(sim, Order.objects.get(pk=order.pk), sim.api_key, fee_type="USD"))
    assert not PaymentEvent.objects.exists()


def test_oauth_state_must_match_the_browser(sim: Simulator, shop: Any) -> None:
    browser = Browser()
    first = browser.get("/checkout/book/")
    back = urllib.parse.urlparse(wechat_authorize(first["Location"]))
    other = Browser()  # another browser replaying the callback
    assert other.get(back.path + "?" + back.query).status_code == 400
    # A state altered by one character is refused in the right browser too.
    query = urllib.parse.parse_qs(back.query)
    state = query["state"][0]
    forged = state[:-1] + ("0" if state[-1] != "0" else "1")
    tampered = urllib.parse.urlencode({"code": query["code"][0], "state": forged})
    assert browser.get(back.path + "?" + tampered).status_code == 400
    # The genuine one passes and signs the browser in.
    assert browser.get(back.path + "?" + back.query).status_code == 302
    assert browser.get("/checkout/nope/").status_code == 400
