"""One process of a fleet, for test_fleet.py: waits for the common start
time, then `threads` threads each ask for a wx.config (a jsapi_ticket, so an
access_token too). Prints how many calls succeeded."""

import json
import sys
import threading
import time

import wxpay


def main() -> None:
    options, start_at, threads = json.loads(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
    client = wxpay.Client(**options)
    ok = []

    def call(i: int) -> None:
        client.jssdk_config(f"https://shop.example/p/{i}", ["chooseWXPay"])
        ok.append(i)

    pool = [threading.Thread(target=call, args=(i,)) for i in range(threads)]
    time.sleep(max(0.0, start_at - time.time()))
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    print(len(ok))


if __name__ == "__main__":
    main()
