"""A referral commission paid out of an order with profit sharing.

    python commission.py --base-url URL pay-out --transaction-id TX --referrer OPENID --percent 10
    python commission.py --base-url URL give-back --out-order-no C-… --partner 190001001 --amount 100

`pay-out` runs once an order placed with profit_sharing="Y" is paid: it
registers the referrer as a receiver (again is harmless), shares the
commission (at most 30 % of the order), waits until WeChat reports it
done, and releases the rest of the order to the shop (finish). The
sharing's number comes from the order's, so running the job again after
a crash asks for the same sharing instead of paying twice.

`give-back` takes money back from a merchant partner of a sharing (an
order returned after the partner was paid), with the same care: the
return's number comes from the sharing's, and a return still processing
is asked about, never sent again.

The merchant comes from WXPAY_APPID, WXPAY_MCH_ID and WXPAY_API_KEY (the
simulator's by default).
"""

import argparse
import os
import sys
import time
from typing import Any, Dict

import wxpay


def make_client(base_url: str) -> wxpay.Client:
    options: Dict[str, Any] = dict(appid=os.environ.get("WXPAY_APPID", "wxd930ea5d5a258f4f"),
                                   mch_id=os.environ.get("WXPAY_MCH_ID", "10000100"),
                                   api_key=os.environ.get("WXPAY_API_KEY", "192006250b4c09247ec02edce69f6a2d"))
    if base_url:
        options["base_url"] = base_url
    return wxpay.Client(**options)


def pay_out(client: wxpay.Client, transaction_id: str, referrer: str, percent: int) -> int:
    order = client.profit_sharing_unsplit_amount(transaction_id)["unsplit_amount"]
    if order == 0:
        # Finished already (a run before this one), or not placed for sharing.
        print(f"NOTHING TO SHARE {transaction_id}")
        return 0
    commission = order * percent // 100
    out_order_no = f"C-{transaction_id[-28:]}"
    client.add_profit_sharing_receiver(type="PERSONAL_OPENID", account=referrer, relation_type="USER")
    if commission > 0:
        client.profit_sharing(transaction_id=transaction_id, out_order_no=out_order_no, multi=True, receivers=[
            {"type": "PERSONAL_OPENID", "account": referrer, "amount": commission, "description": "推荐佣金"}])
        for _ in range(30):
            receivers = client.query_profit_sharing(transaction_id, out_order_no)["receivers"]
            results = {r["result"] or "" for r in receivers}
            if "PENDING" not in results:
                break
            time.sleep(1)
        print(f"COMMISSION {commission} fen to {referrer}: {', '.join(sorted(results))}")
    client.finish_profit_sharing(transaction_id, f"F-{transaction_id[-28:]}", "佣金已分，余额解冻")
    left = client.profit_sharing_unsplit_amount(transaction_id)["unsplit_amount"]
    print(f"FINISHED {transaction_id}: {left} fen left to share")
    return 0


def give_back(client: wxpay.Client, out_order_no: str, partner: str, amount: int) -> int:
    out_return_no = f"B-{out_order_no}"[:64]
    back = client.profit_sharing_return(out_order_no=out_order_no, out_return_no=out_return_no,
                                        return_account=partner, return_amount=amount, description="订单退货")
    for _ in range(30):
        if back["result"] != "PROCESSING":
            break
        time.sleep(1)
        back = client.query_profit_sharing_return(out_order_no=out_order_no, out_return_no=out_return_no)
    print(f"RETURN {back['return_amount']} fen from {partner}: {back['result']}")
    return 0 if back["result"] == "SUCCESS" else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="", help="a wxpay-sim URL instead of WeChat")
    sub = parser.add_subparsers(dest="command", required=True)
    out = sub.add_parser("pay-out")
    out.add_argument("--transaction-id", required=True)
    out.add_argument("--referrer", required=True)
    out.add_argument("--percent", type=int, default=10)
    back = sub.add_parser("give-back")
    back.add_argument("--out-order-no", required=True)
    back.add_argument("--partner", required=True)
    back.add_argument("--amount", type=int, required=True)
    args = parser.parse_args()
    client = make_client(args.base_url)
    try:
        if args.command == "pay-out":
            return pay_out(client, args.transaction_id, args.referrer, args.percent)
        return give_back(client, args.out_order_no, args.partner, args.amount)
    except wxpay.WxPayError as e:
        print(f"REFUSED {e.kind}: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
