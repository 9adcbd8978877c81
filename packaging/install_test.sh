#!/usr/bin/env bash
# The artifacts of dist/ installed as a user would, each in a fresh temporary
# place with nothing from the checkout on its path: a new venv with the
# wheels, a new npm project with the tarballs (CJS, ESM, tsc --strict), a C
# program built with pkg-config against the unpacked tarball and against
# `make install PREFIX=…`, and a PHP script through Composer's autoloader
# with a path repository. Called by `make test-install` (after `make dist`).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dist="$root/dist"
version=$(python3 -c 'import re,sys; print(re.search(r"^\[workspace\.package\][^\[]*?^version = \"([^\"]+)\"", open(sys.argv[1]).read(), re.M | re.S).group(1))' "$root/Cargo.toml")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Nothing from the checkout: no PYTHONPATH, NODE_PATH or addon overrides.
unset PYTHONPATH NODE_PATH WXPAY_NODE_ADDON WXPAY_NODE_TESTING_ADDON WXPAY_LIB WXPAY_HEADER PKG_CONFIG_PATH

# The official example (docs/protocol.md §1): every language must sign it the same.
official_md5=9A0A8659F005D6984697E2CA0A9CF3B7

echo "== Python: a new venv, pip install the wheels"
python3 -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet --no-index "$dist"/wxpaykit-"$version"-*.whl "$dist"/wxpaykit_testing-"$version"-*.whl
cat > "$tmp/smoke.py" <<'PY'
import importlib.metadata
import importlib.resources
import sys

import wxpay
from wxpay.testing import Simulator

assert "site-packages" in wxpay.__file__, wxpay.__file__
# Published as wxpaykit (PyPI's "wxpay" is another project's), imported as wxpay.
assert importlib.metadata.packages_distributions()["wxpay"] == ["wxpaykit"]
assert importlib.metadata.metadata("wxpaykit")["Name"] == "wxpaykit"
# Requires-Dist spacing and quotes vary by build backend: compare without them.
requires = [r.replace(" ", "").replace("'", '"') for r in importlib.metadata.requires("wxpaykit")]
assert 'wxpaykit-testing;extra=="testing"' in requires, requires
assert importlib.metadata.packages_distributions()["wxpay_testing"] == ["wxpaykit-testing"]
key = "192006250b4c09247ec02edce69f6a2d"
fields = {"appid": "wxd930ea5d5a258f4f", "mch_id": "10000100", "device_info": "1000", "body": "test",
          "nonce_str": "ibuaiVcKdpRxkhJA"}
assert wxpay.sign(fields, key, "MD5") == sys.argv[1]
package = importlib.resources.files("wxpay")
assert (package / "py.typed").is_file() and (package / "_wxpay.pyi").is_file(), "stubs and py.typed ship in the wheel"
with Simulator(time_scale=0.001) as sim:
    client = wxpay.Client(appid=sim.appid, mch_id=sim.mch_id, api_key=sim.api_key, app_secret=sim.app_secret,
                          base_url=sim.url)
    assert client.access_token()
    notify = wxpay.to_signed_xml({"return_code": "SUCCESS", "result_code": "FAIL", "appid": sim.appid,
                                  "mch_id": sim.mch_id, "out_trade_no": "o-1", "nonce_str": "n"}, sim.api_key)
    assert client.handle_payment_notify(notify, lambda no: None)["status"] == "not_paid"
# API v3 from the wheels: the simulator's v3 merchant files, a paid order, its notification handled.
with Simulator(time_scale=0.001, v3_keys="public-key") as sim:
    m = sim.v3_merchant
    v3 = wxpay.ClientV3(mchid=m["mchid"], appid=sim.appid, merchant_serial=m["serial"], apiv3_key=m["apiv3_key"],
                        private_key=m["private_key"].encode(), public_key_id=m["public_key_id"],
                        public_key=m["public_key"], auto_certificates=False, base_url=sim.url,
                        notify_url="http://127.0.0.1:9/v3/notify")
    answer = v3.prepay(kind="jsapi", description="dist", out_trade_no="dist-v3-0001", total=990, openid=sim.openid)
    assert sim.pay(v3.jsapi_params(answer["prepay_id"]))["err_msg"] == "get_brand_wcpay_request:ok"
    assert v3.query_order("dist-v3-0001", total=990)["paid"]
    import time
    for _ in range(500):
        sent = [n for n in sim.notifications() if n["out_trade_no"] == "dist-v3-0001" and n["v3_headers"]]
        if sent:
            break
        time.sleep(0.01)
    decision = v3.handle_payment_notify(sent[0]["v3_headers"], sent[0]["body"].encode(),
                                        lambda no: {"total_fee": 990, "transaction_id": None})
    assert (decision["status"], decision["http_status"]) == ("paid", 204), decision
    assert hasattr(wxpay, "AsyncClientV3") and "NotifyDecisionV3" in dir(wxpay.types)
print("python: ok", wxpay.__version__)
PY
(cd "$tmp" && "$tmp/venv/bin/python" smoke.py "$official_md5")
# Each package's README example, read from what was installed.
for package in wxpaykit wxpaykit-testing; do
  "$tmp/venv/bin/python" "$root/packaging/readme_example.py" --metadata "$package" python > "$tmp/readme-$package.py"
  (cd "$tmp" && "$tmp/venv/bin/python" "readme-$package.py" > "readme-$package.out")
done
grep -qx "NOTPAY 990" "$tmp/readme-wxpaykit.out"
echo "python README examples: ok"

echo "== Node: a new npm project, npm install the tarballs"
mkdir "$tmp/npm"
cd "$tmp/npm"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent "$dist/wxpaykit-linux-x64-gnu-$version.tgz" "$dist/wxpaykit-$version.tgz" \
  typescript@5.9.3 @types/node@20.19.25
test ! -e node_modules/wxpaykit/wxpay.node   # the addon comes from the platform package
node -e "
const p = require('./node_modules/wxpaykit/package.json');
if (p.name !== 'wxpaykit' || !('wxpaykit-linux-x64-gnu' in p.optionalDependencies)) throw new Error(JSON.stringify(p));
if (require('./node_modules/wxpaykit-linux-x64-gnu/package.json').name !== 'wxpaykit-linux-x64-gnu') throw new Error('platform package');
"
node -e "
const assert = require('assert');
const wxpay = require('wxpaykit');
const fields = { appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', device_info: '1000', body: 'test', nonce_str: 'ibuaiVcKdpRxkhJA' };
assert.equal(wxpay.sign(fields, '192006250b4c09247ec02edce69f6a2d', 'MD5'), '$official_md5');
assert.equal(wxpay.version, '$version');
const { Simulator } = require('wxpaykit/testing');
const sim = new Simulator({ timeScale: 0.001 });
new wxpay.Client(sim.clientOptions()).accessToken().then((t) => { assert.ok(t); sim.stop(); console.log('node cjs: ok'); });
"
# API v3 from the tarballs: the simulator's v3 merchant, a paid order, its notification handled.
node -e "
const assert = require('assert');
const wxpay = require('wxpaykit');
const { Simulator } = require('wxpaykit/testing');
(async () => {
  const sim = new Simulator({ timeScale: 0.001, v3Keys: 'public-key' });
  const m = sim.v3Merchant;
  const v3 = new wxpay.ClientV3({ mchid: m.mchid, appid: sim.appid, merchantSerial: m.serial, apiv3Key: m.apiv3Key,
    privateKey: m.privateKey, publicKeyId: m.publicKeyId, publicKey: m.publicKey, autoCertificates: false,
    baseUrl: sim.url, notifyUrl: 'http://127.0.0.1:9/v3/notify' });
  const answer = await v3.prepay({ kind: 'jsapi', description: 'dist', outTradeNo: 'dist-v3-0001', total: 990, openid: sim.openid });
  const paid = await (await fetch(sim.url + '/sim/jsapi/pay', { method: 'POST', body: JSON.stringify(v3.jsapiParams(answer.prepay_id)) })).json();
  assert.equal(paid.err_msg, 'get_brand_wcpay_request:ok');
  assert.ok((await v3.queryOrder({ outTradeNo: 'dist-v3-0001', total: 990 })).paid);
  let sent;
  for (let i = 0; i < 500 && !sent; i++) {
    sent = sim.notifications().find((n) => n.out_trade_no === 'dist-v3-0001' && Object.keys(n.v3_headers).length);
    if (!sent) await new Promise((r) => setTimeout(r, 10));
  }
  const d = await v3.handlePaymentNotify(sent.v3_headers, Buffer.from(sent.body), () => ({ totalFee: 990, transactionId: null }));
  assert.deepEqual([d.status, d.http_status], ['paid', 204]);
  sim.stop();
  console.log('node v3: ok');
})().catch((e) => { console.error(e); process.exit(1); });
"
node --input-type=module -e "
import assert from 'node:assert';
import { sign, Client } from 'wxpaykit';
assert.equal(typeof Client, 'function');
assert.equal(sign({ appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', device_info: '1000', body: 'test', nonce_str: 'ibuaiVcKdpRxkhJA' },
  '192006250b4c09247ec02edce69f6a2d', 'MD5'), '$official_md5');
console.log('node esm: ok');
"
cat > shop.ts <<'TS'
import { Client, ClientV3, WxPayError, notifyAck, type NotifyDecision, type NotifyDecisionV3, type ShopOrder,
  type TransactionV3 } from 'wxpaykit';

const client = new Client({ appid: 'wx…', mchId: '10000100', apiKey: '192006250b4c09247ec02edce69f6a2d', tokenStore: 'redis://127.0.0.1:6379/0' });
const orders = new Map<string, ShopOrder>();

export async function notify(body: Buffer): Promise<string> {
  const decision: NotifyDecision = await client.handlePaymentNotify(body, (no) => orders.get(no) ?? null);
  if (decision.error instanceof WxPayError) console.warn(decision.error.code);
  return decision.status === 'paid' ? notifyAck() : decision.reply;
}

export async function notifyV3(v3: ClientV3, headers: Record<string, string>, body: Buffer): Promise<number> {
  const order: TransactionV3 = await v3.queryOrder({ outTradeNo: 'o-1' });
  const decision: NotifyDecisionV3 = await v3.handlePaymentNotify(headers, body, () => ({ totalFee: order.total }));
  return decision.http_status;
}

export async function checkout(openid: string, totalFee: number) {
  const order = await client.unifiedOrder({ body: 'Shop', outTradeNo: 'o-1', totalFee, spbillCreateIp: '127.0.0.1', openid });
  return client.jsapiParams(order.prepay_id).paySign;
}
TS
npx tsc --strict --noEmit --module nodenext --moduleResolution nodenext --target es2022 --types node shop.ts
echo "node tsc --strict: ok"
python3 "$root/packaging/readme_example.py" node_modules/wxpaykit/README.md js > readme.js
test "$(node readme.js)" = "NOTPAY 990"
echo "node README example: ok"
cd "$root"

echo "== C: the tarball unpacked anywhere, and make install PREFIX=…"
cat > "$tmp/sign.c" <<'C'
#include <stdio.h>
#include <string.h>
#include <wxpay.h>

/* API v3 from the tarball: a v3 client from the merchant's key file, RSA pay params. */
static int v3(const char *keys) {
  char config[1024], *params = NULL;
  snprintf(config, sizeof config,
           "{\"mchid\":\"10000100\",\"appid\":\"wxd930ea5d5a258f4f\",\"merchant_serial\":\"1D3C5A7E\","
           "\"apiv3_key\":\"wxpaysim0apiv30key00000000000001\",\"private_key_path\":\"%s/merchant_key.pem\","
           "\"public_key_id\":\"PUB_KEY_ID_0001\",\"public_key_path\":\"%s/wechatpay_public_key.pem\","
           "\"auto_certificates\":false,\"base_url\":\"http://127.0.0.1:9\"}", keys, keys);
  wxpay_client_v3 *client = NULL;
  if (wxpay_client_v3_new(config, &client) != WXPAY_OK) return 0;
  int ok = wxpay_client_v3_jsapi_params(client, "[\"wx04141200000000000000000000000001\"]", &params) == WXPAY_OK &&
           strstr(params, "\"signType\":\"RSA\"") != NULL;
  wxpay_string_free(params);
  wxpay_client_v3_free(client);
  return ok;
}

int main(int argc, char **argv) {
  char *sig = NULL;
  const char *fields = "{\"appid\":\"wxd930ea5d5a258f4f\",\"mch_id\":\"10000100\",\"device_info\":\"1000\","
                       "\"body\":\"test\",\"nonce_str\":\"ibuaiVcKdpRxkhJA\"}";
  if (argc != 3 || wxpay_sign(fields, "192006250b4c09247ec02edce69f6a2d", "MD5", &sig) != WXPAY_OK) return 1;
  int same = strcmp(sig, argv[1]) == 0 && v3(argv[2]);
  printf("c: %s %s\n", same ? "ok" : "WRONG", wxpay_version());
  wxpay_string_free(sig);
  return same ? 0 : 1;
}
C
mkdir "$tmp/unpacked"
tar xzf "$dist/libwxpay-$version-linux-x86_64.tar.gz" -C "$tmp/unpacked"
pc="$tmp/unpacked/libwxpay-$version-linux-x86_64/lib/pkgconfig"
test "$(PKG_CONFIG_PATH=$pc pkg-config --modversion wxpay)" = "$version"
cc -std=c11 -Wall -Werror -o "$tmp/sign-shared" "$tmp/sign.c" $(PKG_CONFIG_PATH=$pc pkg-config --cflags --libs wxpay) \
  -Wl,-rpath,"$(PKG_CONFIG_PATH=$pc pkg-config --variable=libdir wxpay)"
"$tmp/sign-shared" "$official_md5" "$root/tests/vectors/v3/keys"
top="$tmp/unpacked/libwxpay-$version-linux-x86_64"
python3 "$root/packaging/readme_example.py" "$top/README.md" c > "$tmp/readme.c"
cc -std=c11 -Wall -Werror -o "$tmp/readme-c" "$tmp/readme.c" $(PKG_CONFIG_PATH=$pc pkg-config --cflags --libs wxpay) \
  -Wl,-rpath,"$(PKG_CONFIG_PATH=$pc pkg-config --variable=libdir wxpay)"
test "$("$tmp/readme-c")" = "$official_md5"
echo "c README example: ok"
make --no-print-directory -s -C "$root" install PREFIX="$tmp/prefix" PROFILE="${WXPAY_PROFILE:-release}" LIB_BUILD= >/dev/null
pc="$tmp/prefix/lib/pkgconfig"
cc -std=c11 -Wall -Werror -o "$tmp/sign-static" "$tmp/sign.c" $(PKG_CONFIG_PATH=$pc pkg-config --cflags wxpay) \
  "$tmp/prefix/lib/libwxpay.a" $(PKG_CONFIG_PATH=$pc pkg-config --static --libs-only-l wxpay | sed 's/-lwxpay//')
"$tmp/sign-static" "$official_md5" "$root/tests/vectors/v3/keys"

echo "== PHP: Composer with a path repository to the unpacked package"
mkdir "$tmp/php-package" "$tmp/php-app"
tar xzf "$dist/wxpaykit-php-$version.tar.gz" -C "$tmp/php-package"
cat > "$tmp/php-app/composer.json" <<JSON
{
    "require": { "wxpaykit/wxpaykit": "$version" },
    "repositories": [
        { "type": "path", "url": "$tmp/php-package/wxpaykit-php-$version", "options": { "symlink": false } },
        { "packagist.org": false }
    ]
}
JSON
(cd "$tmp/php-app" && COMPOSER_HOME="$tmp/composer-home" composer install --quiet --no-interaction --no-progress)
cat > "$tmp/php-app/shop.php" <<'PHP'
<?php
require __DIR__ . '/vendor/autoload.php';
use WxPay\WxPay as W;
$fields = ['appid' => 'wxd930ea5d5a258f4f', 'mch_id' => '10000100', 'device_info' => '1000', 'body' => 'test',
    'nonce_str' => 'ibuaiVcKdpRxkhJA'];
if (W::sign($fields, '192006250b4c09247ec02edce69f6a2d', 'MD5') !== $argv[1]) { fwrite(STDERR, "wrong signature\n"); exit(1); }
$wx = new WxPay\Client(['appid' => 'wxd930ea5d5a258f4f', 'mch_id' => '10000100', 'api_key' => '192006250b4c09247ec02edce69f6a2d']);
$d = $wx->handlePaymentNotify('<xml/>', fn($no) => null);
if ($d['status'] !== 'refused') { exit(1); }
// API v3 from the package: a client from the merchant's key file, RSA pay params, a forged notification refused.
$keys = $argv[2];
$v3 = new WxPay\ClientV3(['mchid' => '10000100', 'appid' => 'wxd930ea5d5a258f4f', 'merchant_serial' => '1D3C5A7E',
    'apiv3_key' => 'wxpaysim0apiv30key00000000000001', 'private_key_path' => "$keys/merchant_key.pem",
    'public_key_id' => 'PUB_KEY_ID_0001', 'public_key_path' => "$keys/wechatpay_public_key.pem",
    'auto_certificates' => false, 'base_url' => 'http://127.0.0.1:9']);
if ($v3->jsapiParams('wx04141200000000000000000000000001')['signType'] !== 'RSA') { exit(1); }
$forged = $v3->handlePaymentNotify(['Wechatpay-Serial' => 'PUB_KEY_ID_0001'], '{}', fn($no) => null);
if ($forged['http_status'] !== 401) { exit(1); }
echo "php: ok ", W::version(), "\n";
PHP
(cd "$tmp/php-app" && php -d ffi.enable=1 shop.php "$official_md5" "$root/tests/vectors/v3/keys")
python3 "$root/packaging/readme_example.py" "$tmp/php-app/vendor/wxpaykit/wxpaykit/README.md" php > "$tmp/php-app/readme.php"
test "$(cd "$tmp/php-app" && php -d ffi.enable=1 readme.php)" = "$official_md5"
echo "php README example: ok"
echo "install tests: every artifact works from a fresh place"
