'use strict';
// The Express shop on API v3 against wxpay-sim in each key mode: checkout
// with RSA pay params, the encrypted notification verified with
// req.headers and answered 204, the order marked paid once; a forged
// notification answered 401 and changing nothing.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');

const wxpay = require('wxpaykit');
const { Simulator } = require('wxpaykit/testing');
const { createApp } = require('../app');

const KEYS = path.join(__dirname, '..', '..', '..', 'tests', 'vectors', 'v3', 'keys');

async function start(mode) {
  const sim = new Simulator({ timeScale: 0.001, v3Keys: mode });
  const holder = {};
  const server = await new Promise((resolve) => {
    const s = require('node:http').createServer((req, res) => holder.app(req, res));
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
  const shopUrl = `http://127.0.0.1:${server.address().port}`;
  const client = new wxpay.Client(sim.clientOptions({ notifyUrl: `${shopUrl}/wxpay/notify` }));
  const m = sim.v3Merchant;
  const options = { mchid: m.mchid, appid: sim.appid, merchantSerial: m.serial, apiv3Key: m.apiv3Key,
    privateKeyPath: path.join(KEYS, 'merchant_key.pem'), notifyUrl: `${shopUrl}/wxpay/v3/notify`, baseUrl: sim.url };
  if (mode !== 'certificate') Object.assign(options, { publicKeyId: m.publicKeyId, publicKey: m.publicKey });
  const shop = createApp({ client, clientV3: new wxpay.ClientV3(options), shopUrl, log: { info() {}, warn() {} } });
  holder.app = shop.app;
  return { sim, shop, shopUrl, close: () => { server.close(); sim.stop(); } };
}

const until = async (check, ms = 10000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
};

for (const mode of ['certificate', 'public-key', 'migrating']) {
  test(`the shop takes a v3 payment (${mode})`, async () => {
    const env = await start(mode);
    try {
      // The openid cookie a finished OAuth leaves (the OAuth itself is v2's, tested in shop.test.js).
      const page = await (await fetch(`${env.shopUrl}/checkout/book`, { headers: { cookie: `openid=${env.sim.openid}` } })).json();
      assert.equal(page.payParams.signType, 'RSA');
      const paid = await (await fetch(`${env.sim.url}/sim/jsapi/pay`, { method: 'POST', body: JSON.stringify(page.payParams),
        headers: { 'Content-Type': 'application/json' } })).json();
      assert.equal(paid.err_msg, 'get_brand_wcpay_request:ok');
      const mine = () => env.sim.notifications().find((n) => n.out_trade_no === page.outTradeNo);
      assert.ok(await until(() => mine()?.status === 'acknowledged'), 'the notification was not acknowledged');
      const note = mine();
      assert.equal(note.attempts.at(-1).http_status, 204);
      const status = await (await fetch(`${env.shopUrl}/orders/${page.outTradeNo}/status`)).json();
      assert.equal(status.status, 'PAID');
      assert.equal(env.shop.fulfilments.length, 1);
      // One byte changed: 401, nothing recorded again.
      const forged = await fetch(`${env.shopUrl}/wxpay/v3/notify`, { method: 'POST', body: ` ${note.body}`,
        headers: { ...note.v3_headers, 'Content-Type': 'application/json' } });
      assert.equal(forged.status, 401);
      const again = await fetch(`${env.shopUrl}/wxpay/v3/notify`, { method: 'POST', body: note.body,
        headers: { ...note.v3_headers, 'Content-Type': 'application/json' } });
      assert.equal(again.status, 204);
      assert.equal(env.shop.fulfilments.length, 1);
    } finally {
      env.close();
    }
  });
}
