"""The checkout in a real browser: headless Chromium driven by Playwright
opens the shop, goes through OAuth, sees wx.config succeed, pays in the
simulated WeChat dialog and waits for the page to show the order paid; a
tampered paySign is refused and the order stays unpaid."""

import json
import os
import pathlib
import re
import shutil
import urllib.request
from typing import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from harness import ROOT, Running

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
OUT = pathlib.Path(os.environ.get("WXPAY_TEST_OUT", ROOT / "out" / "browser"))
# Chromium as root in a sandbox-less container, with no background traffic
# to hosts this machine cannot reach.
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]


@pytest.fixture(scope="module")
def env() -> Iterator[Running]:
    with Running() as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 420, "height": 760})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


def order_status(env: Running, out_trade_no: str) -> str:
    with urllib.request.urlopen(f"{env.shop_url}/orders/{out_trade_no}/status/", timeout=10) as r:
        status: str = json.loads(r.read())["status"]
        return status


def open_checkout(page: Page, env: Running) -> str:
    page.goto(f"{env.shop_url}/checkout/book/")
    # OAuth went through the simulator and came back to the checkout page
    # (a browser keeps the authorize URL's #wechat_redirect across redirects).
    expect(page).to_have_url(re.compile(re.escape(f"{env.shop_url}/checkout/book/") + r"(#.*)?$"))
    expect(page.locator("#jssdk")).to_have_text("wx.config: ok")
    expect(page.locator("#pay")).to_be_enabled()
    return page.locator("#out-trade-no").inner_text()


def test_a_shopper_pays_in_the_browser(page: Page, env: Running) -> None:
    out_trade_no = open_checkout(page, env)
    assert order_status(env, out_trade_no) == "NOTPAY"
    page.click("#pay")
    dialog = page.locator("#wxpay-sim-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#wxpay-sim-amount")).to_have_text("¥9.90")
    OUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUT / "dialog.png"), full_page=True)
    page.click("#wxpay-sim-confirm")
    expect(page.locator("#status")).to_contain_text("Paid — transaction 4200")
    assert order_status(env, out_trade_no) == "PAID"
    OUT.mkdir(parents=True, exist_ok=True)
    shot = OUT / "paid.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 1000


def test_a_tampered_pay_sign_is_refused(page: Page, env: Running) -> None:
    out_trade_no = open_checkout(page, env)
    page.evaluate("payParams.paySign = (payParams.paySign[0] === 'A' ? 'B' : 'A') + payParams.paySign.slice(1)")
    page.click("#pay")
    page.click("#wxpay-sim-confirm")
    expect(page.locator("#status")).to_contain_text("get_brand_wcpay_request:fail (paySign is wrong)")
    assert order_status(env, out_trade_no) == "NOTPAY"
    OUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUT / "refused.png"), full_page=True)


def test_cancelling_leaves_the_order_unpaid(page: Page, env: Running) -> None:
    out_trade_no = open_checkout(page, env)
    page.click("#pay")
    page.click("#wxpay-sim-cancel")
    expect(page.locator("#status")).to_contain_text("get_brand_wcpay_request:cancel")
    assert order_status(env, out_trade_no) == "NOTPAY"


@pytest.fixture(scope="module")
def env_v3() -> Iterator[Running]:
    """The shop on API v3 (WXPAY_API=v3, read by the shop's process at start)."""
    before = os.environ.get("WXPAY_API")
    os.environ["WXPAY_API"] = "v3"
    try:
        with Running() as running:
            yield running
    finally:
        if before is None:
            os.environ.pop("WXPAY_API", None)
        else:
            os.environ["WXPAY_API"] = before


def test_a_shopper_pays_over_api_v3_in_the_browser(page: Page, env_v3: Running) -> None:
    """The page hands the bridge v3's params (signType RSA); the simulated
    dialog pays; the encrypted notification marks the order paid."""
    out_trade_no = open_checkout(page, env_v3)
    assert page.evaluate("payParams.signType") == "RSA"
    page.click("#pay")
    expect(page.locator("#wxpay-sim-dialog")).to_be_visible()
    page.click("#wxpay-sim-confirm")
    expect(page.locator("#status")).to_contain_text("Paid — transaction 4200")
    assert order_status(env_v3, out_trade_no) == "PAID"
    OUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUT / "paid-v3.png"), full_page=True)


def test_a_tampered_rsa_pay_sign_is_refused(page: Page, env_v3: Running) -> None:
    out_trade_no = open_checkout(page, env_v3)
    page.evaluate("payParams.nonceStr = payParams.nonceStr + 'x'")
    page.click("#pay")
    page.click("#wxpay-sim-confirm")
    expect(page.locator("#status")).to_contain_text("get_brand_wcpay_request:fail (paySign is wrong)")
    assert order_status(env_v3, out_trade_no) == "NOTPAY"
