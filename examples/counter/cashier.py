"""A cashier at the counter, on the command line: scan the customer's
payment code, charge it, and say what happened — paid, reversed, failed or
unsettled (then do not ask for another code: the money may have moved).

    python cashier.py --base-url http://127.0.0.1:8400 1800 134567890123450000

The merchant comes from WXPAY_APPID, WXPAY_MCH_ID and WXPAY_API_KEY (the
simulator's test merchant by default). Against `wxpay sim`, the payment
code's last four digits say what the customer does: 0xxx pays at once,
1xxx pays after typing the password for xxx seconds, 2xxx never finishes
(and is reversed), 3xxx has too little balance (wxpay-sim --help).
"""

import argparse
import os
import sys
import time
from typing import Any, Dict

import wxpay

SCREEN = {
    "paid": "PAID — hand over the goods",
    "reversed": "NOT PAID — the order was cancelled; nothing was charged",
    "failed": "NOT PAID — ask for another payment code",
}

FOLLOW_UP = {
    "query": "look the order up (query_order) before anything else",
    "reverse": "reverse it later (client.reverse)",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("total_fee", type=int, help="the amount in fen")
    parser.add_argument("auth_code", help="the 18 digits the scanner read")
    parser.add_argument("--base-url", help="a wxpay-sim URL instead of WeChat")
    parser.add_argument("--give-up-after", type=float, default=30.0, help="seconds to wait for the customer")
    parser.add_argument("--query-every", type=float, default=5.0)
    args = parser.parse_args()
    options: Dict[str, Any] = dict(appid=os.environ.get("WXPAY_APPID", "wxd930ea5d5a258f4f"),
                                   mch_id=os.environ.get("WXPAY_MCH_ID", "10000100"),
                                   api_key=os.environ.get("WXPAY_API_KEY", "192006250b4c09247ec02edce69f6a2d"))
    if args.base_url:
        options["base_url"] = args.base_url
    client = wxpay.Client(**options)
    out_trade_no = time.strftime("counter%Y%m%d%H%M%S") + str(time.time_ns() % 10_000)
    try:
        outcome = client.micropay(body="Shop-Counter", out_trade_no=out_trade_no, total_fee=args.total_fee,
                                  spbill_create_ip="127.0.0.1", auth_code=args.auth_code,
                                  first_query_after=args.query_every, query_every=args.query_every,
                                  give_up_after=args.give_up_after)
    except wxpay.InvalidInputError as e:
        print(f"CHECK THE INPUT — {e}")
        return 2
    if outcome["status"] == "unsettled":
        # Money may have moved: never ask for another code here.
        error, follow_up = outcome["error"], outcome["follow_up"] or "query"
        print(f"NOT SETTLED — do not ask for another code; order {out_trade_no}: "
              f"{FOLLOW_UP[follow_up]} ({outcome['err_code'] or ''}{', ' + error.kind if error else ''})")
        return 3
    print(f"{SCREEN[outcome['status']]} (order {out_trade_no}"
          + (f", {outcome['err_code']}" if outcome["err_code"] else "") + ")")
    return 0 if outcome["status"] == "paid" else 1


if __name__ == "__main__":
    sys.exit(main())
