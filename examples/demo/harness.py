"""Starts wxpay-sim and the Django example shop as real processes on
loopback, for `make demo` and the browser test."""

import os
import pathlib
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from typing import List, Optional

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHOP_DIR = ROOT / "examples" / "django"


def sim_binary() -> str:
    explicit = os.environ.get("WXPAY_SIM_BIN")
    if explicit:
        return explicit
    path = ROOT / "target" / "debug" / "wxpay-sim"
    if not path.exists():
        raise RuntimeError(f"{path} is missing: run `cargo build -p wxpay-sim` (make demo does)")
    return str(path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_http(url: str, seconds: float = 30.0) -> None:
    end = time.time() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.time() > end:
                raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")
            time.sleep(0.1)


class Running:
    """The simulator and the shop; `stop()` ends both."""

    def __init__(self, sim_port: int = 0, shop_port: int = 0, time_scale: str = "0.01") -> None:
        self.procs: List[subprocess.Popen] = []
        self.tmp = tempfile.TemporaryDirectory(prefix="wxpay-demo-")
        try:
            self._start(sim_port, shop_port, time_scale)
        except BaseException:
            self.stop()
            raise

    def _start(self, sim_port: int, shop_port: int, time_scale: str) -> None:
        sim = subprocess.Popen(
            [sim_binary(), "--port", str(sim_port), "--time-scale", time_scale],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        self.procs.append(sim)
        assert sim.stdout is not None
        line = sim.stdout.readline().strip()
        prefix = "wxpay-sim listening on "
        if not line.startswith(prefix):
            raise RuntimeError(f"wxpay-sim did not start: {line!r}")
        self.sim_url = line[len(prefix):]

        port = shop_port or free_port()
        self.shop_url = f"http://127.0.0.1:{port}"
        env = dict(os.environ, WXPAY_SIM_URL=self.sim_url, SHOP_BASE_URL=self.shop_url,
                   SHOP_DB=str(pathlib.Path(self.tmp.name) / "shop.sqlite3"), DJANGO_DEBUG="0",
                   # A new simulator issues new tokens: a cache from an earlier run
                   # (the shop's tests, another demo) holds tickets it never issued.
                   SHOP_CACHE_DIR=str(pathlib.Path(self.tmp.name) / "cache"),
                   SHOP_LOG_LEVEL=os.environ.get("SHOP_LOG_LEVEL", "WARNING"))
        subprocess.run([sys.executable, "manage.py", "migrate", "--verbosity", "0"], cwd=SHOP_DIR, env=env, check=True)
        self.shop_log = open(pathlib.Path(self.tmp.name) / "shop.log", "w")
        shop = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=SHOP_DIR, env=env, stdout=self.shop_log, stderr=subprocess.STDOUT,
        )
        self.procs.append(shop)
        wait_http(self.shop_url + "/")

    def shop_output(self) -> str:
        return (pathlib.Path(self.tmp.name) / "shop.log").read_text(errors="replace")

    def stop(self) -> None:
        for p in reversed(self.procs):
            if p.poll() is None:
                p.terminate()
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    p.kill()
        self.procs.clear()
        log: Optional[object] = getattr(self, "shop_log", None)
        if log is not None:
            self.shop_log.close()
        self.tmp.cleanup()

    def __enter__(self) -> "Running":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
