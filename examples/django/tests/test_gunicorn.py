"""The shop as it runs in production: gunicorn with several worker
processes, Django's cache on Redis, one SQLite file. Every worker builds its
own wxpay.Client, and together they make one access_token fetch and one
jsapi_ticket fetch; a payment WeChat delivers to six workers at once is
recorded once; a cache the workers cannot reach shows in the log and in the
health endpoint while checkout keeps working."""

import http.cookiejar
import json
import os
import pathlib
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, Iterator, List, Tuple

import pytest

import wxpay
from wxpay.testing import Simulator

SHOP_DIR = pathlib.Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_for(what: str, ready: Any, limit: float = 20.0) -> None:
    end = time.monotonic() + limit
    while not ready():
        assert time.monotonic() < end, f"{what} did not come up"
        time.sleep(0.05)


def redis_answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as c:
            c.sendall(b"PING\r\n")
            return c.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def redis_url() -> Iterator[str]:
    server = shutil.which("redis-server")
    assert server, "redis-server is missing (make test installs it with apt-get)"
    port = free_port()
    proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for("redis-server", lambda: redis_answers(port))
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.kill()
        proc.wait()


class Shop:
    """The example shop under gunicorn, on its own database."""

    def __init__(self, tmp: pathlib.Path, sim: Simulator, cache_url: str, workers: int) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.db = tmp / "shop.sqlite3"
        self.worker_log = tmp / "workers.log"
        self.stderr_path = tmp / "gunicorn.err"
        self.env = dict(os.environ, SHOP_DB=str(self.db), SHOP_REDIS_URL=cache_url, SHOP_BASE_URL=self.url,
                        WXPAY_SIM_URL=sim.url, SHOP_BIND=f"127.0.0.1:{port}", SHOP_WORKERS=str(workers),
                        SHOP_WORKER_LOG=str(self.worker_log), DJANGO_DEBUG="0",
                        DJANGO_SETTINGS_MODULE="shop.settings")
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=SHOP_DIR, env=self.env,
                       check=True, capture_output=True)
        self.stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "tests/gunicorn_conf.py",
                                      "shop.wsgi:application"], cwd=SHOP_DIR, env=self.env,
                                     stdout=subprocess.DEVNULL, stderr=self.stderr)
        wait_for("gunicorn", self.answers)

    def answers(self) -> bool:
        assert self.proc.poll() is None, self.log()
        try:
            with urllib.request.urlopen(self.url + "/", timeout=2) as r:
                return bool(r.status == 200)
        except OSError:
            return False

    def log(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def workers_that_served(self, prefix: str) -> set:
        lines = self.worker_log.read_text().splitlines() if self.worker_log.exists() else []
        return {pid for pid, path in (line.split(" ", 1) for line in lines) if path.startswith(prefix)}

    def query(self, sql: str, *args: Any) -> List[Tuple[Any, ...]]:
        with sqlite3.connect(self.db, timeout=20) as db:
            return db.execute(sql, args).fetchall()

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
            self.stderr.close()


@pytest.fixture
def sim() -> Iterator[Simulator]:
    with Simulator(time_scale=0.001) as s:
        yield s


def start_shop(tmp_path: pathlib.Path, sim: Simulator, cache_url: str, workers: int) -> Iterator[Shop]:
    shop = Shop(tmp_path, sim, cache_url, workers)
    try:
        yield shop
    finally:
        shop.stop()


@pytest.fixture
def shop(tmp_path: pathlib.Path, sim: Simulator, redis_url: str) -> Iterator[Shop]:
    yield from start_shop(tmp_path, sim, redis_url, workers=3)


def open_checkout(shop: Shop, product: str = "book") -> Dict[str, Any]:
    """A shopper's browser: the checkout page through OAuth (urllib follows
    the redirects to the simulated WeChat and back, keeping the session
    cookie), then what the page was given."""
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with browser.open(f"{shop.url}/checkout/{product}/", timeout=30) as page:
        assert page.status == 200 and page.url == f"{shop.url}/checkout/{product}/", page.url
        html = page.read().decode()
    pay_params = json.loads(re.search(r"const payParams = (\{.*?\});", html).group(1))  # type: ignore[union-attr]
    out_trade_no = re.search(r'id="out-trade-no">([^<]+)<', html).group(1)  # type: ignore[union-attr]
    return {"pay": pay_params, "out_trade_no": out_trade_no}


def get_json(url: str) -> Dict[str, Any]:
    with urllib.request.urlopen(url, timeout=10) as r:
        result: Dict[str, Any] = json.loads(r.read())
        return result


def wait_paid(shop: Shop, out_trade_no: str) -> Dict[str, Any]:
    end = time.monotonic() + 20
    while True:
        status = get_json(f"{shop.url}/orders/{out_trade_no}/status/")
        if status["status"] == "PAID" or time.monotonic() > end:
            assert status["status"] == "PAID", status
            return status
        time.sleep(0.05)


def events_of(shop: Shop, out_trade_no: str) -> int:
    rows = shop.query("SELECT count(*) FROM orders_paymentevent e JOIN orders_order o ON e.order_id = o.id "
                      "WHERE o.out_trade_no = ?", out_trade_no)
    return int(rows[0][0])


def test_three_workers_pay_and_share_one_token(sim: Simulator, shop: Shop) -> None:
    # Six shoppers at once, from a cold cache: every worker needs the
    # jsapi_ticket (and the access_token behind it) for its first page.
    with ThreadPoolExecutor(6) as pool:
        pages = list(pool.map(lambda _: open_checkout(shop), range(6)))
    assert len(shop.workers_that_served("/checkout/")) >= 2, "the checkouts were served by several workers"
    for page in pages:
        assert sim.pay(page["pay"])["err_msg"] == "get_brand_wcpay_request:ok"
    for page in pages:
        status = wait_paid(shop, page["out_trade_no"])
        assert status["total_fee"] == 990 and status["transaction_id"]
        assert events_of(shop, page["out_trade_no"]) == 1
    stats = sim.stats()
    assert (stats["token_fetches"], stats["ticket_fetches"]) == (1, 1), stats
    assert shop.proc.poll() is None
    log = shop.log()
    assert sim.api_key not in log and sim.app_secret not in log


def test_six_concurrent_deliveries_record_the_payment_once(sim: Simulator, shop: Shop) -> None:
    page = open_checkout(shop)
    assert sim.pay(page["pay"])["err_msg"] == "get_brand_wcpay_request:ok"
    paid = wait_paid(shop, page["out_trade_no"])
    body = next(n["body"] for n in sim.notifications() if n["out_trade_no"] == page["out_trade_no"])
    # As if the shop had not recorded it yet when WeChat delivered the same
    # payment six times at once (its retries overlapping a slow answer).
    shop.query("UPDATE orders_order SET status = 'NOTPAY', transaction_id = '', paid_at = NULL "
               "WHERE out_trade_no = ?", page["out_trade_no"])
    shop.query("DELETE FROM orders_paymentevent WHERE order_id = "
               "(SELECT id FROM orders_order WHERE out_trade_no = ?)", page["out_trade_no"])
    start = threading.Barrier(6)

    def deliver(_: int) -> str:
        start.wait()
        request = urllib.request.Request(shop.url + "/wxpay/notify/", data=body.encode(),
                                         headers={"Content-Type": "text/xml"})
        with urllib.request.urlopen(request, timeout=30) as r:
            return str(r.read().decode())

    with ThreadPoolExecutor(6) as pool:
        replies = list(pool.map(deliver, range(6)))
    # Each delivery is confirmed with orderquery and acknowledged ...
    assert replies == [wxpay.notify_ack()] * 6, replies
    assert len(shop.workers_that_served("/wxpay/notify/")) >= 2
    # ... and the order is paid once: one payment event, WeChat's transaction.
    assert wait_paid(shop, page["out_trade_no"])["transaction_id"] == paid["transaction_id"]
    assert events_of(shop, page["out_trade_no"]) == 1


def test_a_cache_the_workers_cannot_reach_is_logged_and_reported(sim: Simulator, tmp_path: pathlib.Path) -> None:
    # Redis that is not there: one worker, so the health call reaches the
    # worker whose store failed.
    for shop in start_shop(tmp_path, sim, f"redis://127.0.0.1:{free_port()}/0", workers=1):
        page = open_checkout(shop)  # checkout still works, on the worker's own tokens
        assert page["pay"]["paySign"]
        health = get_json(shop.url + "/health/")["token_store"]
        assert health["store"] == "host" and health["healthy"] is False, health
        assert "token store" in health["error"], health
        wait_for("the warning in the log", lambda: "token store" in shop.log())
        assert sim.api_key not in shop.log() and sim.app_secret not in shop.log()
        assert sim.stats()["token_fetches"] == 1
