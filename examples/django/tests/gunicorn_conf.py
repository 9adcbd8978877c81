"""gunicorn settings for the production-server tests: each worker appends
"<pid> <path>" to $SHOP_WORKER_LOG after every request, so a test can tell
which worker processes served it."""

import os
from typing import Any

bind = os.environ["SHOP_BIND"]
workers = int(os.environ.get("SHOP_WORKERS", "3"))
worker_class = "sync"
timeout = 60


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    with open(os.environ["SHOP_WORKER_LOG"], "a", encoding="utf-8") as log:
        log.write(f"{worker.pid} {req.path}\n")
