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
node --input-type=module -e "
import assert from 'node:assert';
import { sign, Client } from 'wxpaykit';
assert.equal(typeof Client, 'function');
assert.equal(sign({ appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', device_info: '1000', body: 'test', nonce_str: 'ibuaiVcKdpRxkhJA' },
  '192006250b4c09247ec02edce69f6a2d', 'MD5'), '$official_md5');
console.log('node esm: ok');
"
cat > shop.ts <<'TS'
import { Client, WxPayError, notifyAck, type NotifyDecision, type ShopOrder } from 'wxpaykit';

const client = new Client({ appid: 'wx…', mchId: '10000100', apiKey: '192006250b4c09247ec02edce69f6a2d', tokenStore: 'redis://127.0.0.1:6379/0' });
const orders = new Map<string, ShopOrder>();

export async function notify(body: Buffer): Promise<string> {
  const decision: NotifyDecision = await client.handlePaymentNotify(body, (no) => orders.get(no) ?? null);
  if (decision.error instanceof WxPayError) console.warn(decision.error.code);
  return decision.status === 'paid' ? notifyAck() : decision.reply;
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

int main(int argc, char **argv) {
  char *sig = NULL;
  const char *fields = "{\"appid\":\"wxd930ea5d5a258f4f\",\"mch_id\":\"10000100\",\"device_info\":\"1000\","
                       "\"body\":\"test\",\"nonce_str\":\"ibuaiVcKdpRxkhJA\"}";
  if (argc != 2 || wxpay_sign(fields, "192006250b4c09247ec02edce69f6a2d", "MD5", &sig) != WXPAY_OK) return 1;
  int same = strcmp(sig, argv[1]) == 0;
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
"$tmp/sign-shared" "$official_md5"
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
"$tmp/sign-static" "$official_md5"

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
echo "php: ok ", W::version(), "\n";
PHP
(cd "$tmp/php-app" && php -d ffi.enable=1 shop.php "$official_md5")
python3 "$root/packaging/readme_example.py" "$tmp/php-app/vendor/wxpaykit/wxpaykit/README.md" php > "$tmp/php-app/readme.php"
test "$(cd "$tmp/php-app" && php -d ffi.enable=1 readme.php)" = "$official_md5"
echo "php README example: ok"
echo "install tests: every artifact works from a fresh place"
