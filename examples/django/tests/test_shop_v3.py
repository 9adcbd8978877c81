"""The example shop on API v3 (WXPAY_API=v3) against the simulator in each
key mode: checkout with RSA pay params, the encrypted notification verified
with Django's request.headers and answered 204, the order marked paid once;
a forged notification answered 401 and changing nothing."""

import time
from typing import Any, Iterator

import pytest
from django.conf import LazySettings
from django.core.cache import cache
from django.test import Client as Browser

from orders import payments
from orders.models import Order, PaymentEvent
from test_shop import checkout, pay, wait_paid
from wxpay.testing import Simulator

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=["certificate", "public-key", "migrating"])
def v3_shop(request: Any, live_server: Any, settings: LazySettings) -> Iterator[Any]:
    with Simulator(time_scale=0.001, v3_keys=request.param) as sim:
        settings.WXPAY = dict(settings.WXPAY, sim_url=sim.url)
        settings.WXPAY_API = "v3"
        if request.param == "certificate":
            # A merchant with platform certificates only: no public key configured.
            settings.WXPAY_V3 = dict(settings.WXPAY_V3, public_key_id=None, public_key_path=None)
        settings.SHOP_BASE_URL = live_server.url
        cache.clear()
        payments.client.cache_clear()
        payments.client_v3.cache_clear()
        yield sim, live_server
        payments.client.cache_clear()
        payments.client_v3.cache_clear()
        cache.clear()


def test_a_v3_payment(v3_shop: Any) -> None:
    sim, shop = v3_shop
    browser = Browser()
    page = checkout(browser, shop)
    assert page["pay"]["signType"] == "RSA"
    assert pay(sim, page["pay"])["err_msg"] == "get_brand_wcpay_request:ok"
    paid = wait_paid(page["out_trade_no"])
    assert PaymentEvent.objects.filter(order=paid).count() == 1
    deadline = time.monotonic() + 10
    while True:
        delivered = [n for n in sim.notifications() if n["out_trade_no"] == paid.out_trade_no]
        if delivered and delivered[0]["status"] == "acknowledged" or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert delivered[0]["status"] == "acknowledged"
    assert delivered[0]["attempts"][-1]["http_status"] == 204
    stats = sim.stats()
    assert stats["v3_prepay"] == 1 and stats["v3_query"] >= 1, stats

    # The same notification with one byte changed: 401, nothing recorded.
    headers = delivered[0]["v3_headers"]
    body = delivered[0]["body"].replace('"id"', ' "id"', 1)
    http_headers = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}
    forged = browser.post("/wxpay/v3/notify/", data=body, content_type="application/json", **http_headers)
    assert forged.status_code == 401
    assert PaymentEvent.objects.filter(order=paid).count() == 1
    # And delivered again as it was: acknowledged, still recorded once.
    again = browser.post("/wxpay/v3/notify/", data=delivered[0]["body"], content_type="application/json",
                         **http_headers)
    assert again.status_code == 204
    assert Order.objects.get(out_trade_no=paid.out_trade_no).status == Order.PAID
    assert PaymentEvent.objects.filter(order=paid).count() == 1
