'use strict';
// Fidelity of the simulator's API v3 with a real Node client:
// wechatpay-axios-plugin (npm), unchanged but for its baseURL, places, pays,
// queries, refunds and closes against the simulator in each key mode, and
// the simulator's notifications verify and decrypt with the plugin's own
// Rsa and AesGcm. A simulator that signed, encrypted or checked anything
// differently from WeChat would fail here.
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');

const { Wechatpay, Formatter, Rsa, Aes } = require('wechatpay-axios-plugin');
const { Simulator } = require('../testing');

async function endpoint() {
  const received = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}/notify`, received, close: () => server.close() };
}

async function waitFor(cond, ms = 10000) {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return cond();
}

/** A notification opened as the plugin's users do: verify, then decrypt. */
function open(m, keys, { headers, body }) {
  const key = keys[headers['wechatpay-serial']];
  assert.ok(key, `no key for serial ${headers['wechatpay-serial']}`);
  const ok = Rsa.verify(Formatter.response(headers['wechatpay-timestamp'], headers['wechatpay-nonce'], body),
    headers['wechatpay-signature'], Rsa.from(key, Rsa.KEY_TYPE_PUBLIC));
  if (!ok) return null;
  const envelope = JSON.parse(body);
  const r = envelope.resource;
  return { envelope, resource: JSON.parse(Aes.AesGcm.decrypt(r.ciphertext, m.apiv3Key, r.nonce, r.associated_data)) };
}

for (const mode of ['certificate', 'public-key', 'migrating']) {
  test(`wechatpay-axios-plugin runs a v3 checkout against the simulator (${mode})`, async () => {
    const sim = new Simulator({ timeScale: 0.001, instantBills: true, v3Keys: mode });
    const shop = await endpoint();
    try {
      const m = sim.v3Merchant;
      const keys = {};
      if (mode !== 'public-key') keys[m.platformSerial] = m.platformCertificate;
      if (mode !== 'certificate') keys[m.publicKeyId] = m.publicKey;
      const wxpay = new Wechatpay({
        mchid: m.mchid, serial: m.serial, privateKey: m.privateKey, certs: keys,
        baseURL: `${sim.url}/`, // the one thing changed
      });
      const no = `peer-node-${mode}`;
      const placed = await wxpay.v3.pay.transactions.jsapi.post({
        appid: sim.appid, mchid: m.mchid, description: '书店-图书', out_trade_no: no,
        notify_url: shop.url, amount: { total: 990 }, payer: { openid: sim.openid },
      });
      assert.equal(placed.status, 200);
      const prepayId = placed.data.prepay_id;

      const params = {
        appId: sim.appid, timeStamp: `${Formatter.timestamp()}`, nonceStr: Formatter.nonce(),
        package: `prepay_id=${prepayId}`, signType: 'RSA',
      };
      params.paySign = Rsa.sign(Formatter.joinedByLineFeed(params.appId, params.timeStamp, params.nonceStr,
        params.package), Rsa.from(m.privateKey));
      assert.equal(sim.pay(params).err_msg, 'get_brand_wcpay_request:ok');

      assert.ok(await waitFor(() => shop.received.length >= 1), 'no payment notification');
      const paid = open(m, keys, shop.received[0]);
      assert.ok(paid, 'the plugin did not verify the simulator\'s notification');
      assert.equal(paid.envelope.event_type, 'TRANSACTION.SUCCESS');
      assert.equal(paid.resource.out_trade_no, no);
      assert.equal(paid.resource.amount.total, 990);
      const tampered = { ...shop.received[0], body: shop.received[0].body.replace('"id"', ' "id"') };
      assert.equal(open(m, keys, tampered), null);

      const queried = await wxpay.v3.pay.transactions.outTradeNo.$out_trade_no$.get({
        params: { mchid: m.mchid }, out_trade_no: no,
      });
      assert.equal(queried.data.trade_state, 'SUCCESS');
      assert.equal(queried.data.transaction_id, paid.resource.transaction_id);

      const refunded = await wxpay.v3.refund.domestic.refunds.post({
        out_trade_no: no, out_refund_no: `${no}-r1`, notify_url: shop.url,
        amount: { refund: 300, total: 990, currency: 'CNY' },
      });
      assert.equal(refunded.data.amount.refund, 300);
      const refundQueried = await wxpay.v3.refund.domestic.refunds.$out_refund_no$.get({ out_refund_no: `${no}-r1` });
      assert.equal(refundQueried.data.refund_id, refunded.data.refund_id);
      assert.ok(await waitFor(() => shop.received.length >= 2), 'no refund notification');
      const refund = open(m, keys, shop.received[1]);
      assert.equal(refund.envelope.event_type, 'REFUND.SUCCESS');
      assert.equal(refund.resource.amount.refund, 300);

      await wxpay.v3.pay.transactions.jsapi.post({
        appid: sim.appid, mchid: m.mchid, description: '书店-图书', out_trade_no: `${no}-c`,
        notify_url: shop.url, amount: { total: 100 }, payer: { openid: sim.openid },
      });
      await new Promise((r) => setTimeout(r, 400)); // closing waits five (scaled) minutes
      const closed = await wxpay.v3.pay.transactions.outTradeNo.$out_trade_no$.close.post(
        { mchid: m.mchid }, { out_trade_no: `${no}-c` });
      assert.equal(closed.status, 204);

      const stats = sim.stats();
      assert.equal(stats.v3_sign_error ?? 0, 0);
      assert.equal(stats.v3_prepay, 2);
    } finally {
      shop.close();
      sim.stop();
    }
  });
}
