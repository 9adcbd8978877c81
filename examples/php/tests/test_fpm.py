#!/usr/bin/env python3
"""The PHP shop as shops run it: nginx in front of php-fpm (Debian's
package) with three workers, FFI at php-fpm's default ffi.enable=preload and
wxpay loaded through opcache.preload (bindings/php/preload.php), the shop's
configuration in a PHP file named by a fastcgi_param (php-fpm clears the
environment). Six shoppers check out at once through OAuth and pay in the
simulator; the workers share one access_token and one jsapi_ticket through
token_dir; six concurrent deliveries of one payment record it once; a Redis
token store that is down shows in php-fpm's log and in health.php; FFI
stays closed to every script that was not preloaded; and the shop's API v3
mode ('api' => 'v3', notify_v3.php with getallheaders()) checks out, pays
with RSA params and records each payment once in each of WeChat's key modes
(platform certificates, the WeChat Pay public key, migrating), one simulator
each, with concurrent redeliveries and a forged notification refused (401).

Run by `make test-php-fpm` (standard library only): the simulator is
target/debug/wxpay-sim, the library target/debug/libwxpay.so (or WXPAY_LIB).
"""

import fcntl
import glob
import http.cookiejar
import json
import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Dict, List

ROOT = pathlib.Path(__file__).resolve().parents[3]
SHOP = ROOT / "examples" / "php"
FAILED: List[str] = []


def check(ok: bool, what: str) -> None:
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        FAILED.append(what)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(what: str, ready: Callable[[], bool], limit: float = 20.0) -> None:
    end = time.monotonic() + limit
    while not ready():
        if time.monotonic() > end:
            raise SystemExit(f"{what} did not come up")
        time.sleep(0.05)


def tool(*names: str) -> str:
    for name in names:
        found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/sbin/{name}"))), None)
        if found:
            return found
    raise SystemExit(f"{' or '.join(names)} is missing (make deps installs it with apt-get)")


def get(url: str, opener: Any = None) -> Any:
    return (opener or urllib.request.build_opener()).open(url, timeout=30)


def get_json(url: str) -> Dict[str, Any]:
    try:
        with get(url) as r:
            return dict(json.loads(r.read()))
    except urllib.error.HTTPError as e:
        return dict(json.loads(e.read()), http_status=e.code)


def post(url: str, body: str, content_type: str = "text/xml") -> str:
    request = urllib.request.Request(url, data=body.encode(), headers={"Content-Type": content_type})
    with urllib.request.urlopen(request, timeout=30) as r:
        return str(r.read().decode())


class Servers:
    """wxpay-sim, php-fpm and nginx in a temporary directory."""

    def __init__(self, tmp: pathlib.Path) -> None:
        self.tmp = tmp
        self.procs: List[subprocess.Popen] = []
        lib = os.environ.get("WXPAY_LIB") or str(ROOT / "target" / "debug" / "libwxpay.so")
        sim_bin = ROOT / "target" / "debug" / "wxpay-sim"
        for need in (lib, sim_bin):
            if not pathlib.Path(need).is_file():
                raise SystemExit(f"{need} is missing: build it first (make c-lib sim-bin)")
        as_root = os.geteuid() == 0

        sim_log = tmp / "sim.log"
        self.spawn([str(sim_bin), "--port", "0", "--time-scale", "0.001"], sim_log)
        wait_for("wxpay-sim", lambda: "listening on" in sim_log.read_text())
        self.sim = re.search(r"listening on (\S+)", sim_log.read_text()).group(1)  # type: ignore[union-attr]

        # One simulator per v3 key mode (WeChat signs with one scheme per merchant).
        self.v3: Dict[str, Dict[str, Any]] = {}
        keys = ROOT / "tests" / "vectors" / "v3" / "keys"
        for mode in ("certificate", "public-key", "migrating"):
            log = tmp / f"sim-{mode}.log"
            self.spawn([str(sim_bin), "--port", "0", "--time-scale", "0.001", "--v3-keys", mode], log)
            wait_for(f"wxpay-sim ({mode})", lambda log=log: "listening on" in log.read_text())
            sim = re.search(r"listening on (\S+)", log.read_text()).group(1)  # type: ignore[union-attr]
            self.v3[mode] = {"sim": sim, "port": free_port()}
            self.v3[mode]["url"] = f"http://127.0.0.1:{self.v3[mode]['port']}"

        fpm_port, web_port, broken_port = free_port(), free_port(), free_port()
        self.url = f"http://127.0.0.1:{web_port}"
        self.broken_url = f"http://127.0.0.1:{broken_port}"
        self.orders = tmp / "orders.json"
        for mode, v in self.v3.items():
            merchant = get_json(v["sim"] + "/sim/v3/merchant")
            v3 = {"mchid": merchant["mchid"], "appid": "wxd930ea5d5a258f4f", "merchant_serial": merchant["serial"],
                  "apiv3_key": merchant["apiv3_key"], "private_key_path": str(keys / "merchant_key.pem"),
                  "base_url": v["sim"], "token_dir": str(tmp / f"tokens-{mode}")}
            if mode != "certificate":
                v3.update(public_key_id=merchant["public_key_id"],
                          public_key_path=str(keys / "wechatpay_public_key.pem"))
            if mode == "public-key":
                v3["auto_certificates"] = False  # a public-key merchant has no platform certificates
            config = {"api": "v3", "wxpay_v3": v3, "shop_url": v["url"], "orders": str(self.orders),
                      "wxpay": {"appid": "wxd930ea5d5a258f4f", "mch_id": "10000100",
                                "api_key": "192006250b4c09247ec02edce69f6a2d",
                                "app_secret": "wxpaysim0app0secret0000000000000", "base_url": v["sim"],
                                "token_dir": str(tmp / f"tokens-{mode}")}}
            (tmp / f"v3-{mode}-config.php").write_text("<?php return json_decode(" + php_string(json.dumps(config))
                                                       + ", true);\n")
        for name, url, store in (("shop", self.url, {"token_dir": str(tmp / "tokens")}),
                                 ("broken", self.broken_url, {"token_store": f"redis://127.0.0.1:{free_port()}/0"})):
            wxpay = {"appid": "wxd930ea5d5a258f4f", "mch_id": "10000100",
                     "api_key": "192006250b4c09247ec02edce69f6a2d",
                     "app_secret": "wxpaysim0app0secret0000000000000", "base_url": self.sim, **store}
            config = {"wxpay": wxpay, "shop_url": url, "orders": str(self.orders)}
            (tmp / f"{name}-config.php").write_text("<?php return json_decode(" + php_string(json.dumps(config))
                                                    + ", true);\n")
        (tmp / "sessions").mkdir()
        probe = tmp / "probe"
        probe.mkdir()
        (probe / "probe.php").write_text(
            "<?php try { FFI::cdef('int abs(int);'); echo 'open'; } catch (FFI\\Exception $e) { echo 'closed'; }\n")

        self.fpm_access = tmp / "fpm-access.log"
        self.php_errors = tmp / "php-errors.log"
        (tmp / "php-fpm.conf").write_text(f"""
[global]
error_log = {tmp}/php-fpm.log
daemonize = no
[shop]
listen = 127.0.0.1:{fpm_port}
pm = static
pm.max_children = 3
access.log = {self.fpm_access}
access.format = "%p %f"
php_admin_value[error_log] = {self.php_errors}
php_admin_flag[log_errors] = on
php_admin_value[session.save_path] = {tmp}/sessions
""")
        # What a deployment writes once: the declarations for ffi.preload.
        header = tmp / "wxpay.h"
        header.write_text(subprocess.run(["php", str(ROOT / "bindings" / "php" / "scope-header.php")], check=True,
                                         capture_output=True, text=True, env=dict(os.environ, WXPAY_LIB=lib)).stdout)
        # ffi.enable=preload is php-fpm's default; it is stated here so the
        # test does not depend on this machine's php.ini.
        fpm = [tool("php-fpm", "php-fpm8.*"), "--nodaemonize", "--fpm-config", str(tmp / "php-fpm.conf"),
               "-d", "ffi.enable=preload", "-d", "opcache.enable=1",
               "-d", f"opcache.preload={ROOT / 'bindings' / 'php' / 'preload.php'}", "-d", f"ffi.preload={header}",
               "-d", f"opcache.preload_user={'root' if as_root else os.environ.get('USER', 'nobody')}"]
        if as_root:
            fpm.append("--allow-to-run-as-root")
        self.spawn(fpm, tmp / "php-fpm.out")

        params = "\n".join(f"fastcgi_param {k} {v};" for k, v in (
            ("QUERY_STRING", "$query_string"), ("REQUEST_METHOD", "$request_method"),
            ("CONTENT_TYPE", "$content_type"), ("CONTENT_LENGTH", "$content_length"),
            ("REQUEST_URI", "$request_uri"), ("DOCUMENT_ROOT", "$document_root"),
            ("SERVER_PROTOCOL", "$server_protocol"), ("REMOTE_ADDR", "$remote_addr"),
            ("SERVER_NAME", "$server_name"), ("SERVER_PORT", "$server_port"), ("HTTP_HOST", "$http_host"),
            ("SCRIPT_FILENAME", "$document_root$fastcgi_script_name")))

        def server(port: int, config: str) -> str:
            return f"""
  server {{
    listen 127.0.0.1:{port};
    root {SHOP};
    location = /probe.php {{ root {probe}; {params} fastcgi_pass 127.0.0.1:{fpm_port}; }}
    location ~ \\.php$ {{
      {params}
      fastcgi_param WXPAY_SHOP_CONFIG {config};
      fastcgi_pass 127.0.0.1:{fpm_port};
    }}
  }}"""

        for d in ("body", "fastcgi", "proxy", "scgi", "uwsgi"):
            (tmp / "nginx" / d).mkdir(parents=True)
        (tmp / "nginx.conf").write_text(f"""
{'user root;' if as_root else ''}
daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
  access_log {tmp}/nginx-access.log;
  client_body_temp_path {tmp}/nginx/body;
  fastcgi_temp_path {tmp}/nginx/fastcgi;
  proxy_temp_path {tmp}/nginx/proxy;
  scgi_temp_path {tmp}/nginx/scgi;
  uwsgi_temp_path {tmp}/nginx/uwsgi;
  {server(web_port, str(tmp / 'shop-config.php'))}
  {server(broken_port, str(tmp / 'broken-config.php'))}
  {"".join(server(v["port"], str(tmp / f"v3-{mode}-config.php")) for mode, v in self.v3.items())}
}}
""")
        self.spawn([tool("nginx"), "-c", str(tmp / "nginx.conf"), "-p", str(tmp)], tmp / "nginx.out")
        wait_for("nginx and php-fpm", self.answers)

    def spawn(self, argv: List[str], log: pathlib.Path, env: Any = None) -> None:
        out = open(log, "wb")
        self.procs.append(subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env))

    def answers(self) -> bool:
        for p in self.procs:
            if p.poll() is not None:
                raise SystemExit(f"{p.args[0]} exited: see {self.tmp}")
        try:
            return get_json(self.url + "/status.php?out_trade_no=none").get("http_status") == 404
        except (OSError, ValueError):  # not listening yet, or nginx's 502 page while php-fpm starts
            return False

    def sim_stats(self) -> Dict[str, Any]:
        return get_json(self.sim + "/sim/stats")

    def notifications(self, sim: str = "") -> List[Dict[str, Any]]:
        """What a simulator (the v2 one unless `sim` names another) sent."""
        with get((sim or self.sim) + "/sim/notifications") as r:
            return list(json.loads(r.read()))

    def workers_that_served(self, script: str) -> set:
        """The pids of the workers that ran `script` (php-fpm's access log: "pid script-path")."""
        lines = self.fpm_access.read_text().splitlines() if self.fpm_access.exists() else []
        return {pid for pid, path in (line.split(" ", 1) for line in lines if " " in line)
                if path.endswith("/" + script)}

    def change_orders(self, change: Callable[[Dict[str, Any]], None]) -> None:
        """Edits the shop's order book under its lock, as the shop does."""
        with open(self.orders, "r+") as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            orders = json.load(f)
            change(orders)
            f.seek(0)
            f.truncate()
            json.dump(orders, f)

    def stop(self) -> None:
        for p in reversed(self.procs):
            p.terminate()
        for p in self.procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


def php_string(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def checkout(s: Servers, url: str = "") -> Dict[str, Any]:
    """A shopper's browser: the checkout page through oauth.php and the
    simulated WeChat (urllib follows the redirects, keeping the cookie)."""
    url = url or s.url
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    with get(url + "/checkout.php?product=book", browser) as page:
        html = page.read().decode()
        assert page.url == url + "/checkout.php?product=book", page.url
    return {"pay": json.loads(re.search(r"const payParams = (\{.*?\});", html).group(1)),  # type: ignore[union-attr]
            "out_trade_no": re.search(r'id="out-trade-no">([^<]+)<', html).group(1)}  # type: ignore[union-attr]


def wait_paid(s: Servers, out_trade_no: str, url: str = "") -> Dict[str, Any]:
    end = time.monotonic() + 20
    while True:
        status = get_json(f"{url or s.url}/status.php?out_trade_no={out_trade_no}")
        if status.get("status") == "PAID" or time.monotonic() > end:
            return status
        time.sleep(0.05)


def main() -> int:
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="wxpay-fpm-"))
    s = Servers(tmp)
    try:
        run(s)
    finally:
        s.stop()
    if FAILED:
        print(f"{len(FAILED)} failed; logs in {tmp}", file=sys.stderr)
        return 1
    shutil.rmtree(tmp, ignore_errors=True)
    print("php-fpm shop: all passed")
    return 0


def run(s: Servers) -> None:
    health = get_json(s.url + "/health.php")
    check(health.get("loaded_through") == "preload", f"the workers use the preloaded library: {health}")
    with get(s.url + "/probe.php") as r:
        check(r.read().decode() == "closed", "FFI stays closed to scripts that were not preloaded")

    # Six shoppers at once from a cold token_dir; three workers.
    with ThreadPoolExecutor(6) as pool:
        pages = list(pool.map(lambda _: checkout(s), range(6)))
    check(len(s.workers_that_served("checkout.php")) >= 2, "several workers served the checkouts")
    for page in pages:
        paid = json.loads(post(s.sim + "/sim/jsapi/pay", json.dumps(page["pay"]), "application/json"))
        check(paid["err_msg"] == "get_brand_wcpay_request:ok", f"paid in the simulator: {paid}")
    for page in pages:
        status = wait_paid(s, page["out_trade_no"])
        check(status.get("status") == "PAID" and status["total_fee"] == 990 and status["paid_events"] == 1
              and str(status["transaction_id"]).startswith("42"), f"the shop recorded the payment once: {status}")
    stats = s.sim_stats()
    check((stats["token_fetches"], stats["ticket_fetches"]) == (1, 1),
          f"one access_token and one jsapi_ticket across the workers: {stats}")

    # Six deliveries of one payment at once, as if the shop had not recorded it yet.
    no = pages[0]["out_trade_no"]
    delivered = next(n for n in s.notifications() if n["out_trade_no"] == no)
    ack = delivered["attempts"][-1]["reply"]

    def unpaid(orders: Dict[str, Any]) -> None:
        orders[no].update(status="NOTPAY", transaction_id=None, paid_events=0)

    s.change_orders(unpaid)
    start = threading.Barrier(6)

    def deliver(_: int) -> str:
        start.wait()
        return post(s.url + "/notify.php", delivered["body"])

    with ThreadPoolExecutor(6) as pool:
        replies = list(pool.map(deliver, range(6)))
    check(replies == [ack] * 6, f"every delivery confirmed and acknowledged: {replies}")
    check(len(s.workers_that_served("notify.php")) >= 2, "several workers took the deliveries")
    status = wait_paid(s, no)
    check(status.get("status") == "PAID" and status["paid_events"] == 1, f"recorded once: {status}")

    # A Redis token store that is down: checkout-side calls go on, the log and health.php say so.
    before = s.sim_stats()["token_fetches"]
    broken = get_json(s.broken_url + "/health.php")
    store = broken.get("token_store") or {}
    check(store.get("store") == "redis" and store.get("healthy") is False and "token store" in str(store.get("error")),
          f"health.php reports the store down: {broken}")
    check(s.sim_stats()["token_fetches"] == before + 1, "the worker fetched its own token meanwhile")
    wait_for("the warning in php-fpm's log", lambda: s.php_errors.exists() and "token store" in s.php_errors.read_text())
    logged = s.php_errors.read_text()
    check("wxpay: warning: token store" in logged, "the store failure is in php-fpm's error log")
    check("192006250b4c09247ec02edce69f6a2d" not in logged and "wxpaysim0app0secret" not in logged,
          "no secret in the log")

    for mode in s.v3:
        run_v3(s, mode)


def post_v3(url: str, body: str, headers: Dict[str, str]) -> Any:
    """POSTs a v3 notification; (status, body)."""
    request = urllib.request.Request(url, data=body.encode(), headers=dict(headers, **{
        "Content-Type": "application/json"}))
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def run_v3(s: Servers, mode: str) -> None:
    """The shop's v3 mode against a simulator signing with `mode`'s keys."""
    v = s.v3[mode]
    with ThreadPoolExecutor(3) as pool:
        pages = list(pool.map(lambda _: checkout(s, v["url"]), range(3)))
    for page in pages:
        check(page["pay"].get("signType") == "RSA", f"v3 {mode}: RSA pay params: {page['pay']}")
        paid = json.loads(post(v["sim"] + "/sim/jsapi/pay", json.dumps(page["pay"]), "application/json"))
        check(paid["err_msg"] == "get_brand_wcpay_request:ok", f"v3 {mode}: paid in the simulator: {paid}")
    for page in pages:
        status = wait_paid(s, page["out_trade_no"], v["url"])
        check(status.get("status") == "PAID" and status["total_fee"] == 990 and status["paid_events"] == 1
              and str(status["transaction_id"]).startswith("42"), f"v3 {mode}: recorded once: {status}")
    stats = get_json(v["sim"] + "/sim/stats")
    downloads = 0 if mode == "public-key" else 1
    check(stats.get("v3_certificates", 0) == downloads and stats.get("v3_sign_error", 0) == 0,
          f"v3 {mode}: {downloads} certificate download across the workers, every request signed: {stats}")

    # Six deliveries of one notification at once (its own headers, within the window).
    no = pages[0]["out_trade_no"]
    # The shop records the payment before it answers: wait until the simulator has the answer.
    end = time.monotonic() + 20
    while True:
        delivered = next(n for n in s.notifications(v["sim"]) if n["out_trade_no"] == no)
        if delivered["status"] == "acknowledged" or time.monotonic() > end:
            break
        time.sleep(0.02)
    check(delivered["status"] == "acknowledged" and delivered["v3_headers"], f"v3 {mode}: the delivery was answered")
    headers = delivered["v3_headers"]

    def unpaid(orders: Dict[str, Any]) -> None:
        orders[no].update(status="NOTPAY", transaction_id=None, paid_events=0)

    s.change_orders(unpaid)
    start = threading.Barrier(6)

    def deliver(_: int) -> Any:
        start.wait()
        return post_v3(v["url"] + "/notify_v3.php", delivered["body"], headers)

    with ThreadPoolExecutor(6) as pool:
        replies = list(pool.map(deliver, range(6)))
    check(all(code == 204 for code, _ in replies), f"v3 {mode}: every delivery acknowledged with 204: {replies}")
    status = wait_paid(s, no, v["url"])
    check(status.get("status") == "PAID" and status["paid_events"] == 1, f"v3 {mode}: recorded once: {status}")

    # A forged notification (the body altered after signing): 401, the order untouched.
    s.change_orders(unpaid)
    code, body = post_v3(v["url"] + "/notify_v3.php", delivered["body"].replace('"id"', ' "id"', 1), headers)
    check(code == 401 and json.loads(body).get("code") == "FAIL", f"v3 {mode}: a forged body is refused: {code} {body}")
    status = get_json(f"{v['url']}/status.php?out_trade_no={no}")
    check(status.get("status") == "NOTPAY", f"v3 {mode}: the forged notification paid nothing: {status}")



if __name__ == "__main__":
    sys.exit(main())
