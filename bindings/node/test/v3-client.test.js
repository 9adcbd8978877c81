'use strict';
// wxpay's ClientV3 from Node against the simulator in each key mode: keys
// from files as Buffers, a JSAPI order, RSA params paid in the simulated
// WeChat client, the notification handled with Express-style req.headers
// behind a real HTTP server, a query and a refund with its notification;
// and errors as WxPayError.
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const path = require('node:path');
const fs = require('node:fs');

const wxpay = require('..');
const { Simulator } = require('../testing');

const KEYS = path.join(__dirname, '..', '..', '..', 'tests', 'vectors', 'v3', 'keys');

function clientFor(sim, mode, notifyUrl) {
  const m = sim.v3Merchant;
  const options = {
    mchid: m.mchid, appid: sim.appid, merchantSerial: m.serial, apiv3Key: m.apiv3Key,
    privateKey: fs.readFileSync(path.join(KEYS, 'merchant_key.pem')), notifyUrl, baseUrl: sim.url, retryBackoff: 0.01,
  };
  if (mode !== 'certificate') Object.assign(options, { publicKeyId: m.publicKeyId, publicKeyPath: path.join(KEYS, 'wechatpay_public_key.pem') });
  return new wxpay.ClientV3(options);
}

async function shop(state) {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      state.received.push({ headers: req.headers, body });
      const d = body.includes('REFUND.')
        ? await state.client.handleRefundNotify(req.headers, body)
        : await state.client.handlePaymentNotify(req.headers, body, (no) => state.orders[no] ?? null);
      (body.includes('REFUND.') ? state.refunds : state.payments).push(d);
      if (d.status === 'paid') state.orders[d.out_trade_no].transaction_id = d.transaction_id;
      res.writeHead(d.http_status, { 'Content-Type': 'application/json' });
      res.end(d.body);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}/wxpay/v3/notify`, close: () => server.close() };
}

async function waitFor(cond, ms = 10000) {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return cond();
}

for (const mode of ['certificate', 'public-key', 'migrating']) {
  test(`a v3 checkout from Node (${mode})`, async () => {
    const sim = new Simulator({ timeScale: 0.001, instantBills: true, v3Keys: mode });
    const state = { orders: {}, payments: [], refunds: [], received: [], client: null };
    const endpoint = await shop(state);
    try {
      const client = clientFor(sim, mode, endpoint.url);
      state.client = client;
      assert.doesNotMatch(require('node:util').inspect(client), /PRIVATE|apiv3/i);
      const no = `node-v3-${mode}`;
      state.orders[no] = { total_fee: 990, transaction_id: null };
      const { prepay_id: prepayId } = await client.prepay({ kind: 'jsapi', description: '书店-图书', outTradeNo: no, total: 990, openid: sim.openid });
      const params = client.jsapiParams(prepayId);
      assert.equal(params.signType, 'RSA');
      assert.equal(sim.pay(params).err_msg, 'get_brand_wcpay_request:ok');
      assert.ok(await waitFor(() => state.payments.length >= 1), 'no payment notification');
      const d = state.payments[0];
      assert.equal(d.status, 'paid', String(d.error));
      assert.equal(d.http_status, 204);
      const order = await client.queryOrder({ outTradeNo: no, total: 990 });
      assert.equal(order.transaction_id, d.transaction_id);
      const refund = await client.refund({ outTradeNo: no, outRefundNo: `${no}-r`, refund: 300, total: 990 });
      assert.equal(refund.refund, 300);
      assert.ok(await waitFor(() => state.refunds.length >= 1), 'no refund notification');
      assert.equal(state.refunds[0].status, 'refunded');
      // One byte changed: refused with 401, a WxPayError saying why; the lookup never runs.
      const { headers, body } = state.received[0];
      const forged = await client.handlePaymentNotify(headers, Buffer.from(body.toString().replace('"id"', ' "id"')),
        () => { throw new Error('a forged body reached the lookup'); });
      assert.equal(forged.http_status, 401);
      assert.ok(forged.error instanceof wxpay.WxPayError);
      assert.equal(forged.error.kind, 'Signature');
      if (mode === 'certificate') {
        // A client that holds no certificate yet (a process just started): the notification
        // cannot be verified at once, so the certificates are fetched off the event loop first.
        const before = sim.stats().v3_certificates;
        const fresh = clientFor(sim, mode, endpoint.url);
        const n = await fresh.parseNotification(headers, body);
        assert.equal(n.resource.out_trade_no, no);
        assert.equal(sim.stats().v3_certificates, before + 1);
      }
    } finally {
      endpoint.close();
      sim.stop();
    }
  });
}

test('v3 errors are WxPayErrors naming the argument', async () => {
  const sim = new Simulator({ timeScale: 0.001, v3Keys: 'public-key' });
  try {
    const client = clientFor(sim, 'public-key', 'https://shop.example/notify');
    await assert.rejects(client.queryOrder({}), (e) => e instanceof wxpay.WxPayError && e.field === 'out_trade_no');
    await assert.rejects(client.queryOrder({ outTradeNo: 'node-v3-never' }), (e) => e.kind === 'Business' && e.errCode === 'ORDER_NOT_EXIST');
    assert.throws(() => new wxpay.ClientV3({ mchid: '10000100', appid: 'wx1', merchantSerial: 'AB', apiv3Key: 'k' }), (e) => e.kind === 'Config');
  } finally {
    sim.stop();
  }
});

test('the shared v3 dispatch vectors: refused before anything is sent, naming the argument', async () => {
  const doc = JSON.parse(fs.readFileSync(path.join(KEYS, '..', 'dispatch.json'), 'utf8'));
  for (const c of doc.cases) {
    const { private_key_file: key, public_key_file: pub, ...options } = c.client;
    const client = new wxpay.ClientV3({ ...options, privateKeyPath: path.join(KEYS, key), publicKeyPath: path.join(KEYS, pub) });
    await assert.rejects(client.call(c.op, c.args), (e) => {
      assert.ok(e instanceof wxpay.WxPayError, `${c.name}: ${e}`);
      assert.equal(e.kind, c.expect.error.kind, c.name);
      assert.equal(e.field, c.expect.error.field, c.name);
      return true;
    });
  }
});
