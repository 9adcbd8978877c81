#!/usr/bin/env bash
# The C and PHP tests against a fresh wxpay-sim: the C test program linked
# shared (under valgrind) and static, the two C examples built with
# pkg-config, and the PHP tests through FFI. Called by `make test-c`.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"
out=target/c-tests
mkdir -p "$out"
export RUST_BACKTRACE=0 WXPAY_VECTORS="$root/tests/vectors"
export PKG_CONFIG_PATH="$root/target/pkgconfig"

./target/debug/wxpay-sim --port 0 --tls-port 0 --time-scale 0.001 --instant-bills > "$out/sim.log" 2>&1 &
sim_pid=$!
# One simulator per v3 key mode besides (the suite's own migrates).
./target/debug/wxpay-sim --port 0 --time-scale 0.001 --v3-keys certificate > "$out/sim-certificate.log" 2>&1 &
cert_pid=$!
./target/debug/wxpay-sim --port 0 --time-scale 0.001 --v3-keys public-key > "$out/sim-public-key.log" 2>&1 &
pub_pid=$!
# A redis-server of the tests' own, for the PHP fleet test.
redis_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no > "$out/redis.log" 2>&1 &
redis_pid=$!
trap 'kill $sim_pid $cert_pid $pub_pid $redis_pid 2>/dev/null || true' EXIT
export WXPAY_REDIS_URL="redis://127.0.0.1:$redis_port/0"
for _ in $(seq 100); do grep -q "listening on" "$out/sim.log" && break; sleep 0.05; done
for _ in $(seq 100); do grep -q "HTTPS on" "$out/sim.log" && break; sleep 0.05; done
export WXPAY_SIM_URL=$(sed -n 's/^wxpay-sim listening on //p' "$out/sim.log")
export WXPAY_SIM_TLS_URL=$(sed -n 's/^wxpay-sim HTTPS on //p' "$out/sim.log")
for mode in certificate public-key; do
  for _ in $(seq 100); do grep -q "listening on" "$out/sim-$mode.log" && break; sleep 0.05; done
done
export WXPAY_SIM_V3="certificate=$(sed -n 's/^wxpay-sim listening on //p' "$out/sim-certificate.log"),public-key=$(sed -n 's/^wxpay-sim listening on //p' "$out/sim-public-key.log"),migrating=$WXPAY_SIM_URL"

flags="-std=c11 -Wall -Wextra -Werror"
echo "== C tests, shared library, under valgrind"
cc $flags -o "$out/test_shared" bindings/c/tests/c/test_wxpay.c $(pkg-config --cflags --libs wxpay) -lcjson -lpthread \
   -Wl,-rpath,"$root/target/debug"
valgrind --quiet --leak-check=full --show-possibly-lost=no --errors-for-leak-kinds=definite,indirect \
   --error-exitcode=3 "$out/test_shared" 2>"$out/valgrind.log" || { cat "$out/valgrind.log"; exit 1; }
grep -v "panicked at\|^wxpay_selftest_panic\|^note: " "$out/valgrind.log" >&2 || true

echo "== C tests, static library"
cc $flags -o "$out/test_static" bindings/c/tests/c/test_wxpay.c $(pkg-config --cflags wxpay) \
   target/debug/libwxpay.a -lcjson -lpthread $(pkg-config --static --libs-only-l wxpay | sed 's/-lwxpay//')
"$out/test_static" 2> >(grep -v "panicked at\|^wxpay_selftest_panic\|^note: " >&2)

echo "== C examples"
cc $flags -o "$out/checkout" examples/c/checkout.c $(pkg-config --cflags --libs wxpay) -Wl,-rpath,"$root/target/debug"
cc $flags -o "$out/notify_handler" examples/c/notify_handler.c $(pkg-config --cflags --libs wxpay) -Wl,-rpath,"$root/target/debug"
cc $flags -o "$out/oauth" examples/c/oauth.c $(pkg-config --cflags --libs wxpay) -Wl,-rpath,"$root/target/debug"
"$out/checkout" "$WXPAY_SIM_URL" "c-example-$$" 990 | tee "$out/checkout.out" | grep -q '"prepay_id":"wx' \
   || { echo "checkout example failed"; exit 1; }
grep -q '^getBrandWCPayRequest: {"appId":"wxd930ea5d5a258f4f"' "$out/checkout.out"
# The checkout's order is paid in the simulated WeChat client; the notification
# it sends goes to the notify handler CGI, which confirms with orderquery.
python3 - "$out" "$WXPAY_SIM_URL" "c-example-$$" <<'PY'
import json, sys, time, urllib.request as u
out, sim, no = sys.argv[1:]
params = open(f"{out}/checkout.out").read().split("getBrandWCPayRequest: ", 1)[1].splitlines()[0]
req = u.Request(f"{sim}/sim/jsapi/pay", data=params.encode(), headers={"Content-Type": "application/json"})
assert json.load(u.urlopen(req))["err_msg"] == "get_brand_wcpay_request:ok"
for _ in range(250):
    body = next((n["body"] for n in json.load(u.urlopen(f"{sim}/sim/notifications")) if n["out_trade_no"] == no), None)
    if body:
        break
    time.sleep(0.02)
open(f"{out}/notify.xml", "w").write(body)
open(f"{out}/tampered.xml", "w").write(body.replace("[990]", "[1]").replace(">990<", ">1<"))
assert open(f"{out}/tampered.xml").read() != body
PY
export WXPAY_CONFIG="{\"appid\":\"wxd930ea5d5a258f4f\",\"mch_id\":\"10000100\",\"api_key\":\"192006250b4c09247ec02edce69f6a2d\",\"base_url\":\"$WXPAY_SIM_URL\"}"
notify() { "$out/notify_handler" < "$out/$1" 2>"$out/notify_handler.log" || true; }
answer=$(ORDER_TOTAL_FEE=990 notify notify.xml)
grep -q "<return_code><!\[CDATA\[SUCCESS\]\]>" <<<"$answer" && grep -q "^order c-example-$$ paid by 42" "$out/notify_handler.log" \
   || { echo "notify handler did not confirm a genuine notification: $answer"; cat "$out/notify_handler.log"; exit 1; }
answer=$(ORDER_TOTAL_FEE=990 notify tampered.xml)
grep -q "FAIL" <<<"$answer" && ! grep -q "looking up" "$out/notify_handler.log" \
   || { echo "notify handler acknowledged or looked up a tampered notification"; exit 1; }
answer=$(ORDER_TOTAL_FEE=500 notify notify.xml)
grep -q "FAIL" <<<"$answer" || { echo "notify handler acknowledged a notification for another amount"; exit 1; }
answer=$(notify notify.xml)
grep -q "FAIL" <<<"$answer" || { echo "notify handler acknowledged a notification for an unknown order"; exit 1; }
# The OAuth CGI: to WeChat with a state bound to session A, back with a code; the
# callback is refused for session B and for an altered state, and accepted for A.
oauth_env="WXPAY_CONFIG={\"appid\":\"wxd930ea5d5a258f4f\",\"mch_id\":\"10000100\",\"api_key\":\"192006250b4c09247ec02edce69f6a2d\",\"app_secret\":\"wxpaysim0app0secret0000000000000\",\"base_url\":\"$WXPAY_SIM_URL\"} CALLBACK_URL=https://shop.example/cgi-bin/oauth"
authorize=$(env $oauth_env SESSION_ID=session-a QUERY_STRING= "$out/oauth" | sed -n 's/^Location: \(.*\)\r$/\1/p')
back=$(python3 -c 'import sys, urllib.request as u
class Stop(u.HTTPRedirectHandler):
    def redirect_request(self, *a): return None
try: u.build_opener(Stop).open(sys.argv[1].split("#")[0])
except u.HTTPError as e: print(e.headers["Location"])' "$authorize")
query=${back#*\?}
# (Each CGI answer is captured first: a refusal exits 1, which pipefail would count.)
answer=$(env $oauth_env SESSION_ID=session-b QUERY_STRING="$query" "$out/oauth" 2>/dev/null || true)
grep -q "^Status: 400" <<<"$answer" || { echo "oauth example accepted a callback from another session"; exit 1; }
forged=$(python3 -c 'import sys, urllib.parse as p
q = dict(p.parse_qsl(sys.argv[1])); s = q["state"]; q["state"] = s[:-1] + ("1" if s[-1] == "0" else "0")
print(p.urlencode(q))' "$query")
answer=$(env $oauth_env SESSION_ID=session-a QUERY_STRING="$forged" "$out/oauth" 2>/dev/null || true)
grep -q "^Status: 400" <<<"$answer" || { echo "oauth example accepted an altered state"; exit 1; }
answer=$(env $oauth_env SESSION_ID=session-a QUERY_STRING="$query" "$out/oauth")
grep -q '"openid":"oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"' <<<"$answer" || { echo "oauth example did not sign the session in"; exit 1; }
echo "6 passed, 0 failed"

echo "== PHP tests through FFI"
# The library just built, not a release build an earlier `make bench` left.
WXPAY_LIB="$root/target/debug/libwxpay.so" php -d ffi.enable=1 bindings/php/tests/run.php 2> >(grep -v "panicked at\|^wxpay_selftest_panic\|^note: " >&2)
