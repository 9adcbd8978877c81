"""Checkout, OAuth callback, the notify handler and order status.

The notify handler follows WeChat's rules: verify the signature, compare
the amount with our own order, treat duplicates as no-ops, confirm with
orderquery, change state inside a transaction, and answer the exact
acknowledgement — or a FAIL reply so WeChat tries again later.
"""

import json
import logging
import secrets
from typing import Optional

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

import wxpay
from wxpay.types import ShopOrder

from .models import PRODUCTS, Order, PaymentEvent
from .payments import api_v3, client, client_v3

log = logging.getLogger("orders")


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "orders/index.html", {"products": PRODUCTS})


def browser_id(request: HttpRequest) -> str:
    """A random id kept in this browser's session: what an OAuth state is bound to."""
    return request.session.setdefault("browser_id", secrets.token_hex(16))


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR") or "127.0.0.1"


@require_GET
def checkout(request: HttpRequest, product: str) -> HttpResponse:
    if product not in PRODUCTS:
        return HttpResponseBadRequest("unknown product")
    openid = request.session.get("openid")
    if not openid:
        # Silent OAuth for the openid; the signed `state` ties the callback to this browser session.
        state = client().oauth_state(browser_id(request))
        request.session["after_oauth"] = request.path
        # WeChat only redirects to the domain registered for the account.
        callback = settings.SHOP_BASE_URL.rstrip("/") + "/oauth/callback/"
        url = client().oauth_authorize_url(callback, state=state)
        log.info("oauth redirect %s", url)
        return redirect(url)

    name, total_fee = PRODUCTS[product]  # the amount comes from the server, never the browser
    order = Order.objects.create(
        out_trade_no="shop" + timezone.now().strftime("%Y%m%d%H%M%S") + secrets.token_hex(4),
        product=product,
        total_fee=total_fee,
        openid=openid,
    )
    if api_v3():
        answer = client_v3().prepay(kind="jsapi", description=f"wxpay-shop-{name}",
                                    out_trade_no=order.out_trade_no, total=order.total_fee, openid=openid)
        order.prepay_id = answer["prepay_id"]
        pay_params = client_v3().jsapi_params(order.prepay_id)  # signType RSA
    else:
        reply = client().unified_order(
            body=f"wxpay-shop-{name}", out_trade_no=order.out_trade_no, total_fee=order.total_fee,
            spbill_create_ip=client_ip(request), openid=openid,
        )
        order.prepay_id = reply["prepay_id"]
        pay_params = client().jsapi_params(order.prepay_id)
    order.save(update_fields=["prepay_id"])
    log.info("order %s prepay_id %s", order.out_trade_no, order.prepay_id)
    page_url = request.build_absolute_uri()
    context = {
        "order": order,
        "name": name,
        "yuan": f"{order.total_fee / 100:.2f}",
        "pay_params": json.dumps(pay_params),
        "wx_config": json.dumps(client().jssdk_config(page_url, ["chooseWXPay"])),
        "sim_url": settings.WXPAY["sim_url"],
    }
    return render(request, "orders/checkout.html", context)


@require_GET
def oauth_callback(request: HttpRequest) -> HttpResponse:
    try:
        client().check_oauth_state(request.GET.get("state", ""), browser_id(request))
    except (wxpay.InvalidInputError, TypeError):
        return HttpResponseBadRequest("OAuth state does not match this browser session")
    code = request.GET.get("code", "")
    try:
        token = client().oauth_exchange_code(code)
    except wxpay.WxPayError as e:
        log.warning("oauth exchange failed: %s", e)
        return HttpResponseBadRequest("could not sign you in with WeChat; please try again")
    request.session["openid"] = token["openid"]
    after = request.session.pop("after_oauth", "/")
    return redirect(after if after.startswith("/") and not after.startswith("//") else "/")


def find_order(out_trade_no: str) -> Optional[ShopOrder]:
    """The shop's record of an order, as handle_payment_notify asks for it."""
    order = Order.objects.filter(out_trade_no=out_trade_no).first()
    if order is None:
        return None
    return {"total_fee": order.total_fee, "transaction_id": order.transaction_id or None}


def mark_paid(out_trade_no: str, transaction_id: Optional[str]) -> None:
    with transaction.atomic():
        # One UPDATE only an unpaid row matches: when WeChat delivers the
        # same payment to several workers at once (each delivery is
        # confirmed on its own and comes back "paid"), exactly one marks it.
        marked = (
            Order.objects.filter(out_trade_no=out_trade_no)
            .exclude(status=Order.PAID)
            .update(status=Order.PAID, transaction_id=transaction_id or "", paid_at=timezone.now())
        )
        if marked:
            order = Order.objects.get(out_trade_no=out_trade_no)
            PaymentEvent.objects.create(order=order, transaction_id=order.transaction_id)
            log.info("order %s paid, transaction %s", order.out_trade_no, order.transaction_id)


@csrf_exempt
@require_POST
def notify(request: HttpRequest) -> HttpResponse:
    # Verify, compare with our order, confirm with orderquery, and the reply to send.
    decision = client().handle_payment_notify(request.body, find_order)
    if decision["status"] == "paid":
        mark_paid(decision["out_trade_no"], decision["transaction_id"])
    elif decision["status"] == "refused":
        log.warning("notify refused: %r", decision["error"])
    return HttpResponse(decision["reply"], content_type="text/xml")


@csrf_exempt
@require_POST
def notify_v3(request: HttpRequest) -> HttpResponse:
    # API v3: verified over the raw body with the request's headers, then the
    # same decisions; WeChat is answered with the status and body decided.
    decision = client_v3().handle_payment_notify(request.headers, request.body, find_order)
    if decision["status"] == "paid":
        mark_paid(decision["out_trade_no"], decision["transaction_id"])
    elif decision["status"] == "refused":
        log.warning("v3 notify refused: %r", decision["error"])
    return HttpResponse(decision["body"], status=decision["http_status"], content_type="application/json")


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For monitoring: whether this worker's token store answers. While it
    does not, each worker fetches its own tokens from WeChat's daily quota
    (checkout still works), so this is an alert, not a reason to stop serving."""
    return JsonResponse({"token_store": client().token_store_health()})


@require_GET
def status(request: HttpRequest, out_trade_no: str) -> JsonResponse:
    order = get_object_or_404(Order, out_trade_no=out_trade_no)
    return JsonResponse({"out_trade_no": order.out_trade_no, "status": order.status, "total_fee": order.total_fee,
                         "transaction_id": order.transaction_id or None})
