'use strict';
// A service provider taking payments for two sub-merchants (docs/protocol.md §15),
// end to end against wxpay-sim: order, pay params, notification handled and
// confirmed, refund; and the checks that keep one sub-merchant from another.
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');

const wxpay = require('..');
const { Simulator } = require('../testing');

async function receiver() {
  const bodies = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks));
      res.setHeader('Content-Type', 'text/xml');
      res.end(wxpay.notifyAck());
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}/notify`, bodies, close: () => server.close() };
}

async function waitFor(cond, ms = 5000) {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return cond();
}

async function payInBrowser(sim, params) {
  const res = await fetch(`${sim.url}/sim/jsapi/pay`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(params) });
  return res.json();
}

for (const signType of ['HMAC-SHA256', 'MD5']) {
  test(`a platform takes payments for two sub-merchants (${signType})`, async () => {
    const sim = new Simulator({ timeScale: 0.001 });
    const shop = await receiver();
    try {
      const client = new wxpay.Client(sim.providerClientOptions({ signType, retryBackoff: 0.02 }));
      const [tea, books] = sim.provider.subMerchants;
      const shopOrders = new Map();
      const cases = [
        // The tea house's buyer pays on its own account, the bookshop's on the provider's.
        { sub: { subMchId: tea.subMchId, subAppid: tea.subAppid }, who: { subOpenid: tea.subOpenid },
          no: `node-tea-${signType}`, fee: 1500, pageAppid: tea.subAppid },
        { sub: { subMchId: books.subMchId }, who: { openid: sim.openid },
          no: `node-book-${signType}`, fee: 4200, pageAppid: sim.provider.appid },
      ];
      for (const c of cases) {
        const order = await client.unifiedOrder({ body: 'platform', outTradeNo: c.no, totalFee: c.fee,
          spbillCreateIp: '127.0.0.1', notifyUrl: shop.url, ...c.who, ...c.sub });
        assert.equal(order.raw.sub_mch_id, c.sub.subMchId);
        assert.equal(sim.order(c.no).sub_mch_id, c.sub.subMchId);
        shopOrders.set(c.no, { totalFee: c.fee, subMchId: c.sub.subMchId });

        const params = client.jsapiParams(order.prepay_id, c.sub);
        assert.equal(params.appId, c.pageAppid);
        assert.equal((await payInBrowser(sim, params)).err_msg, 'get_brand_wcpay_request:ok');

        const bodyOf = () => shop.bodies.find((b) => b.includes(c.no));
        assert.ok(await waitFor(() => bodyOf() !== undefined), 'notification delivered');
        const before = sim.stats().orderquery;
        const decision = await client.handlePaymentNotify(bodyOf(), (no) => shopOrders.get(no) ?? null);
        assert.equal(decision.status, 'paid', JSON.stringify(decision));
        assert.equal(decision.notify.sub_mch_id, c.sub.subMchId);
        assert.equal(decision.confirmation.raw.sub_mch_id, c.sub.subMchId);
        assert.equal(sim.stats().orderquery, before + 1);

        // Against a record of the other sub-merchant: refused, nothing queried.
        const other = c.sub.subMchId === tea.subMchId ? books : tea;
        const wrong = await client.handlePaymentNotify(bodyOf(), () => ({ totalFee: c.fee, subMchId: other.subMchId }));
        assert.equal(wrong.status, 'refused');
        assert.equal(wrong.error.code, 'WXPAY_MISMATCH');
        assert.equal(wrong.error.field, 'sub_mch_id');
        assert.equal(sim.stats().orderquery, before + 1);

        assert.equal((await client.queryOrder({ outTradeNo: c.no, ...c.sub })).trade_state, 'SUCCESS');
        const refund = await client.refund({ outTradeNo: c.no, outRefundNo: `${c.no}-r`, totalFee: c.fee,
          refundFee: 300, ...c.sub });
        assert.equal(refund.refund_fee, 300);
        assert.equal(refund.raw.sub_mch_id, c.sub.subMchId);
        assert.equal((await client.queryOrder({ outTradeNo: c.no, ...c.sub })).trade_state, 'REFUND');
      }

      // One sub-merchant never sees the other's order.
      await assert.rejects(client.queryOrder({ outTradeNo: `node-tea-${signType}`, subMchId: books.subMchId }),
        (e) => e instanceof wxpay.WxPayError && e.errCode === 'ORDERNOTEXIST');
    } finally {
      shop.close();
      sim.stop();
    }
  });
}

test('sub-merchant arguments are checked before anything is sent', async () => {
  const sim = new Simulator({ timeScale: 0.001 });
  try {
    const client = new wxpay.Client(sim.providerClientOptions());
    const [tea, books] = sim.provider.subMerchants;
    const order = { body: 'b', outTradeNo: 'node-sp-checks', totalFee: 100, spbillCreateIp: '127.0.0.1',
      notifyUrl: 'https://shop.example/n' };
    const invalid = (field) => (e) => e instanceof wxpay.WxPayError && e.code === 'WXPAY_INVALID_INPUT' && e.field === field;
    await assert.rejects(client.unifiedOrder({ ...order, subOpenid: tea.subOpenid, subMchId: tea.subMchId }),
      invalid('sub_openid'));
    await assert.rejects(client.unifiedOrder({ ...order, openid: sim.openid, subAppid: tea.subAppid }),
      invalid('sub_mch_id'));
    await assert.rejects(client.unifiedOrder({ ...order, openid: sim.openid, extra: { sub_mch_id: tea.subMchId } }),
      invalid('sub_mch_id'));
    assert.throws(() => client.jsapiParams('wx201410272009395522657a690389285100', { subMchId: 'a&b' }),
      invalid('sub_mch_id'));
    assert.throws(() => client.jsapiParams('wx201410272009395522657a690389285100', 'not an object'), TypeError);
    assert.equal(sim.stats().unifiedorder, 0, 'nothing was sent');

    // WeChat's side: a sub-merchant of nobody's, an appid not bound to it.
    await assert.rejects(client.closeOrder('node-sp-none', { subMchId: '1900000999' }),
      (e) => e.code === 'WXPAY_PROTOCOL');
    await assert.rejects(client.unifiedOrder({ ...order, openid: sim.openid, subMchId: tea.subMchId,
      subAppid: books.subAppid }), (e) => e.code === 'WXPAY_PROTOCOL');
  } finally {
    sim.stop();
  }
});
