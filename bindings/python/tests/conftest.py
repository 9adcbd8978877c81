"""Fixtures: wxpay-sim in this process (wxpay.testing), a client pointed at it, a
shop notify endpoint, and a canned-reply server for the shared vectors."""

import http.server
import json
import pathlib
import threading
import urllib.request
from typing import Callable, Dict, Iterator, List, Tuple

import pytest

import wxpay
from wxpay.testing import Simulator

ROOT = pathlib.Path(__file__).resolve().parents[3]
VECTORS = ROOT / "tests" / "vectors"

APPID = "wxd930ea5d5a258f4f"
MCH_ID = "10000100"
API_KEY = "192006250b4c09247ec02edce69f6a2d"
APP_SECRET = "wxpaysim0app0secret0000000000000"
OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"


class Sim(Simulator):
    """The in-process simulator plus the HTTP calls a page or a test makes."""

    def post(self, path: str, body: object) -> Dict[str, object]:
        req = urllib.request.Request(
            self.url + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(req, timeout=10) as r:
            result: Dict[str, object] = json.loads(r.read())
            return result

    def fault(self, path: str, kind: str, count: int = 1, delay_ms: int = 0) -> None:
        self.add_fault(path, kind, count, delay_ms)

    def add_faults(self, faults: object) -> None:
        """Faults as /sim/faults takes them (a forge fault's fields too)."""
        self.post("/sim/faults", faults)

    def clear_faults(self) -> None:
        req = urllib.request.Request(self.url + "/sim/faults", method="DELETE")
        with urllib.request.urlopen(req, timeout=10) as r:
            r.read()


@pytest.fixture
def sim() -> Iterator[Sim]:
    with Sim(time_scale=0.001, instant_bills=True) as s:
        yield s


def make_client(sim: Sim, **extra: object) -> wxpay.Client:
    options: Dict[str, object] = dict(
        appid=APPID,
        mch_id=MCH_ID,
        api_key=API_KEY,
        app_secret=APP_SECRET,
        base_url=sim.url,
        retry_backoff=0.02,
    )
    options.update(extra)
    return wxpay.Client(**options)  # type: ignore[arg-type]


@pytest.fixture
def client(sim: Sim) -> wxpay.Client:
    return make_client(sim)


class Receiver:
    """A shop's notify endpoint: records bodies, answers with `answer(n)`."""

    def __init__(self, answer: Callable[[int], str]) -> None:
        self.bodies: List[bytes] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                outer.bodies.append(body)
                reply = answer(len(outer.bodies) - 1).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/xml")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/wxpay/notify"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver(lambda n: wxpay.notify_ack())
    yield r
    r.close()


class Canned:
    """Answers every request with the body it is given, like a WeChat that
    always says the same thing; records what it received."""

    def __init__(self) -> None:
        self.body: bytes = b""
        self.requests: List[Tuple[str, bytes]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length", "0") or 0)
                outer.requests.append((self.path, self.rfile.read(length)))
                self.send_response(200)
                self.send_header("Content-Length", str(len(outer.body)))
                self.end_headers()
                self.wfile.write(outer.body)

            do_GET = _answer
            do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="session")
def canned() -> Iterator[Canned]:
    c = Canned()
    yield c
    c.server.shutdown()


def load_vectors(name: str) -> List[Dict[str, object]]:
    cases: List[Dict[str, object]] = json.loads((VECTORS / name).read_text(encoding="utf-8"))["cases"]
    assert cases, name
    return cases


@pytest.fixture
def sim_notify_body() -> Tuple[wxpay.Client, bytes]:
    """A client and a genuine paid notification for it, from the shared vectors."""
    case = next(c for c in load_vectors("notify.json") if c["expect"].get("ok", {}).get("paid"))  # type: ignore[union-attr]
    m: Dict[str, str] = case["merchant"]  # type: ignore[assignment]
    client = wxpay.Client(appid=m["appid"], mch_id=m["mch_id"], api_key=m["api_key"], sign_type=m["sign_type"],
                          base_url="http://127.0.0.1:9")
    return client, str(case["body"]).encode()
