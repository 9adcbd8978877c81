"""A fleet on one store: 8 OS processes × 8 threads on an empty cache make
exactly one access_token fetch and one jsapi_ticket fetch, with Redis and
with token_dir alike; a Python store with an atomic add() shares one refresh."""

import json
import pathlib
import shutil
import socket
import subprocess
import sys
import threading
import time
from typing import Any, Dict, Iterator, List, Optional

import pytest

import wxpay

from conftest import Sim

WORKER = pathlib.Path(__file__).with_name("fleet_worker.py")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture
def redis_url() -> Iterator[str]:
    server = shutil.which("redis-server")
    assert server, "redis-server is missing (make test installs it with apt-get)"
    port = free_port()
    proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as c:
                    c.sendall(b"PING\r\n")
                    if c.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            assert time.time() < deadline, "redis-server did not start"
            time.sleep(0.02)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.kill()
        proc.wait()


def options(sim: Sim, **store: Any) -> Dict[str, Any]:
    return dict(appid=sim.appid, mch_id=sim.mch_id, api_key=sim.api_key, app_secret=sim.app_secret,
                base_url=sim.url, **store)


def run_fleet(sim: Sim, opts: Dict[str, Any], processes: int = 8, threads: int = 8) -> None:
    start_at = time.time() + 1.5  # every process imports wxpay first, then all start at once
    procs = [subprocess.Popen([sys.executable, str(WORKER), json.dumps(opts), str(start_at), str(threads)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(processes)]
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0, err
        assert out.strip() == str(threads), (out, err)


def test_eight_processes_on_redis_fetch_one_token_and_one_ticket(sim: Sim, redis_url: str) -> None:
    run_fleet(sim, options(sim, token_store=redis_url))
    stats = sim.stats()
    assert (stats["token_fetches"], stats["ticket_fetches"]) == (1, 1), stats


def test_a_killed_lock_holder_is_replaced_after_its_lock_expires(sim: Sim, redis_url: str) -> None:
    # The first process takes the lock and hangs on WeChat; it is killed there.
    opts = options(sim, token_store=redis_url, overall_timeout=2)
    sim.fault("/cgi-bin/stable_token", "delay", count=1, delay_ms=20_000)
    holder = subprocess.Popen([sys.executable, str(WORKER), json.dumps(opts), "0", "1"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 10
    while sim.stats().get("faults_injected", 0) < 1:
        assert time.time() < deadline and holder.poll() is None, "the holder never reached WeChat"
        time.sleep(0.02)
    holder.kill()
    holder.wait()
    killed_at = time.time()
    # The rest of the fleet waits for the dead holder's lock to expire, then one of them fetches.
    run_fleet(sim, opts, processes=4, threads=4)
    stats = sim.stats()
    assert stats["token_fetches"] == 1 and stats["ticket_fetches"] == 1, stats
    assert time.time() - killed_at >= 1.0, "the lock outlived its holder for a while, not for ever"


def test_eight_processes_on_a_token_dir_fetch_one_token_and_one_ticket(sim: Sim, tmp_path: pathlib.Path) -> None:
    run_fleet(sim, options(sim, token_dir=str(tmp_path / "tokens")))
    stats = sim.stats()
    assert (stats["token_fetches"], stats["ticket_fetches"]) == (1, 1), stats


class CacheWithAdd:
    """A store shaped like Django's cache: get, set, an atomic add, delete."""

    def __init__(self) -> None:
        self.data: Dict[str, str] = {}
        self.lock = threading.Lock()

    def get(self, key: str) -> Optional[str]:
        time.sleep(0.005)  # a network round trip, as to Redis or Memcached
        with self.lock:
            return self.data.get(key)

    def set(self, key: str, value: str, timeout: int) -> None:
        with self.lock:
            self.data[key] = value

    def add(self, key: str, value: str, timeout: int) -> bool:
        with self.lock:
            if key in self.data:
                return False
            self.data[key] = value
            return True

    def delete(self, key: str) -> None:
        with self.lock:
            self.data.pop(key, None)


def storm(clients: List[wxpay.Client], threads: int) -> None:
    """Every thread of every client asks at the same moment."""
    start = threading.Barrier(len(clients) * threads)

    def call(c: wxpay.Client, i: int) -> None:
        start.wait()
        c.jssdk_config(f"https://shop.example/{i}", ["chooseWXPay"])

    pool = [threading.Thread(target=call, args=(c, i)) for c in clients for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()


def test_a_store_with_an_atomic_add_shares_one_refresh(sim: Sim) -> None:
    # Each client has its own in-process locks, as each process of a fleet does.
    store = CacheWithAdd()
    storm([wxpay.Client(**options(sim), token_store=store) for _ in range(8)], 8)
    stats = sim.stats()
    assert (stats["token_fetches"], stats["ticket_fetches"]) == (1, 1), stats
    assert not any(k.endswith(":lock") for k in store.data), "every lock released"


def test_a_redis_url_that_is_not_one_is_a_config_error(sim: Sim) -> None:
    with pytest.raises(wxpay.ConfigError):
        wxpay.Client(**options(sim), token_store="http://127.0.0.1:6379")
    with pytest.raises(wxpay.ConfigError):
        wxpay.Client(**options(sim), token_store="redis://127.0.0.1:1/0", token_dir="/tmp/x")
