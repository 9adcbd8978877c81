"""One day of the merchant's account as finance matches it against the
bank: every movement of the fund flow, and its totals.

    python fund_flow.py [--date 20240102] [--account Basic|Operation|Fees] [--out movements.csv] [--base-url URL]

Prints the day's income and expense in yuan (wxpay has already checked
that the rows add up to WeChat's own summary, so a statement cut short is
an error, never a smaller day) and writes the movements to --out. A day
without movement prints "no movement". Needs the merchant's API client
certificate (WXPAY_CERT_P12, its password the mch_id) against WeChat; the
simulator takes the call without one over plain HTTP.
"""

import argparse
import base64
import csv
import datetime
import os
import sys
from typing import Any, Dict

import wxpay


def make_client(base_url: str) -> wxpay.Client:
    options: Dict[str, Any] = dict(appid=os.environ.get("WXPAY_APPID", "wxd930ea5d5a258f4f"),
                                   mch_id=os.environ.get("WXPAY_MCH_ID", "10000100"),
                                   api_key=os.environ.get("WXPAY_API_KEY", "192006250b4c09247ec02edce69f6a2d"))
    if os.environ.get("WXPAY_CERT_P12"):  # apiclient_cert.p12 from the merchant platform
        with open(os.environ["WXPAY_CERT_P12"], "rb") as f:
            options["cert_p12_base64"] = base64.b64encode(f.read()).decode()
    if base_url:
        options["base_url"] = base_url
    return wxpay.Client(**options)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    beijing = datetime.timezone(datetime.timedelta(hours=8))
    yesterday = (datetime.datetime.now(beijing) - datetime.timedelta(days=1)).strftime("%Y%m%d")
    ap.add_argument("--date", default=yesterday)
    ap.add_argument("--account", default="Basic", choices=["Basic", "Operation", "Fees"])
    ap.add_argument("--out", default="movements.csv")
    ap.add_argument("--base-url", default="")
    args = ap.parse_args()
    flow = make_client(args.base_url).download_fund_flow(args.date, args.account, True)
    if flow["no_bill"]:
        print(f"{args.date} {args.account}: no movement")
        return 0
    t = flow["totals"]
    print(f"{args.date} {args.account}: {t['count']} movements, "
          f"in {t['income_count']} {t['income_fen'] / 100:.2f} yuan, out {t['expense_count']} {t['expense_fen'] / 100:.2f} yuan")
    with open(args.out, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(flow["columns"])
        out.writerows(flow["rows"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
