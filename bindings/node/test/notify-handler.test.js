'use strict';
// handlePaymentNotify: the whole notify handler in one call, against wxpay-sim.
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');

const wxpay = require('..');
const { Simulator } = require('../testing');

/** A notify endpoint that only records what arrives. */
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

async function paidBody(sim, client, outTradeNo) {
  const shop = await receiver();
  try {
    const order = await client.unifiedOrder({ body: 'wxpay-书店', outTradeNo, totalFee: 990,
      spbillCreateIp: '127.0.0.1', openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', notifyUrl: shop.url });
    const params = client.jsapiParams(order.prepay_id);
    assert.deepEqual(sim.pay({ ...params, paySign: 'F'.repeat(params.paySign.length) }),
      { err_msg: 'get_brand_wcpay_request:fail', reason: 'paySign is wrong' });
    assert.deepEqual(sim.pay(params), { err_msg: 'get_brand_wcpay_request:ok' });
    const end = Date.now() + 5000;
    while (shop.bodies.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    return shop.bodies[0];
  } finally {
    shop.close();
  }
}

function setup() {
  const sim = new Simulator({ timeScale: 0.001, instantBills: true });
  const client = new wxpay.Client(sim.clientOptions({ retryBackoff: 0.02 }));
  const queries = () => sim.stats().orderquery ?? 0;
  return { sim, client, queries };
}

function refused(d, code, field) {
  assert.equal(d.status, 'refused', JSON.stringify(d));
  assert.ok(d.error instanceof wxpay.WxPayError);
  assert.equal(d.error.code, code);
  assert.equal(d.error.field, field);
  assert.equal(wxpay.fromXml(d.reply).return_code, 'FAIL');
}

test('a paid order is confirmed once and acknowledged', async () => {
  const { sim, client, queries } = setup();
  try {
    const body = await paidBody(sim, client, 'node-handler-1');
    const asked = [];
    const before = queries();
    const d = await client.handlePaymentNotify(body, async (no) => {
      asked.push(no);
      return { totalFee: 990 };
    });
    assert.equal(d.status, 'paid');
    assert.equal(d.reply, wxpay.notifyAck());
    assert.equal(d.out_trade_no, 'node-handler-1');
    assert.equal(d.total_fee, 990);
    assert.equal(d.confirmation.trade_state, 'SUCCESS');
    assert.equal(d.transaction_id, d.confirmation.transaction_id);
    assert.equal(d.error, null);
    assert.deepEqual(asked, ['node-handler-1']);
    assert.equal(queries() - before, 1);

    // Delivered again once recorded (a string body, a synchronous lookup).
    const again = await client.handlePaymentNotify(body.toString(), () => ({ totalFee: 990, transactionId: d.transaction_id }));
    assert.equal(again.status, 'already_paid');
    assert.equal(again.reply, wxpay.notifyAck());
    assert.equal(queries() - before, 1);

    assert.equal((await client.settlePaymentNotify(body, { totalFee: 990 })).status, 'paid');
    assert.equal(client.paymentNotifyOrder(body), 'node-handler-1');
  } finally {
    sim.stop();
  }
});

test('the shop record refuses before any query', async () => {
  const { sim, client, queries } = setup();
  try {
    const body = await paidBody(sim, client, 'node-handler-2');
    const before = queries();
    refused(await client.handlePaymentNotify(body, () => ({ totalFee: 1 })), 'WXPAY_MISMATCH', 'total_fee');
    refused(await client.handlePaymentNotify(body, () => null), 'WXPAY_MISMATCH', 'out_trade_no');
    refused(await client.handlePaymentNotify(body, () => undefined), 'WXPAY_MISMATCH', 'out_trade_no');
    refused(await client.handlePaymentNotify(body, () => ({ totalFee: 990, transactionId: '4200000000000000000000000009' })),
      'WXPAY_MISMATCH', 'transaction_id');
    assert.equal(queries(), before);
  } finally {
    sim.stop();
  }
});

test('forged bodies never reach the lookup', async () => {
  const { sim, client } = setup();
  try {
    const body = await paidBody(sim, client, 'node-handler-3');
    const forged = Buffer.from(body.toString().replace('990', '991'));
    assert.notDeepEqual(forged, body);
    let asked = 0;
    const find = () => { asked += 1; return { totalFee: 991 }; };
    const d = await client.handlePaymentNotify(forged, find);
    refused(d, 'WXPAY_SIGNATURE', undefined);
    assert.equal(d.out_trade_no, null);
    refused(await client.handlePaymentNotify('<!DOCTYPE x><xml/>', find), 'WXPAY_XML', undefined);
    assert.equal(asked, 0);
    // A string with a lone surrogate is not text: a typed error, never a crash.
    await assert.rejects(client.handlePaymentNotify('<xml>\ud800</xml>', find), { code: 'WXPAY_INVALID_INPUT', field: 'body' });
  } finally {
    sim.stop();
  }
});

test('orderquery down refuses for later, and the next delivery is confirmed', async () => {
  const { sim, client } = setup();
  try {
    const body = await paidBody(sim, client, 'node-handler-4');
    sim.addFault('/pay/orderquery', 'http_error', 2);
    const d = await client.handlePaymentNotify(body, () => ({ totalFee: 990 }));
    refused(d, 'WXPAY_TRANSPORT', undefined);
    assert.equal(d.error.retryable, true);
    assert.equal((await client.handlePaymentNotify(body, () => ({ totalFee: 990 }))).status, 'paid');
  } finally {
    sim.stop();
  }
});

test('the lookup and its answer are checked', async () => {
  const { sim, client } = setup();
  try {
    const body = await paidBody(sim, client, 'node-handler-5');
    await assert.rejects(client.handlePaymentNotify(body, async () => { throw new Error('database down'); }), /database down/);
    await assert.rejects(client.handlePaymentNotify(body, 'not a function'), TypeError);
    for (const answer of [990, { totalFee: true }, { totalFee: 9.9 }, { totalFee: 990, paid: true }]) {
      await assert.rejects(client.handlePaymentNotify(body, () => answer), { code: 'WXPAY_INVALID_INPUT' }, JSON.stringify(answer));
    }
  } finally {
    sim.stop();
  }
});

test('the counter: micropay ends paid, reversed, failed or unsettled', async () => {
  const sim = new Simulator({ timeScale: 0.001 });
  try {
    const client = new wxpay.Client(sim.clientOptions());
    const pay = (outTradeNo, plan) => client.micropay({ body: 'Shop-Coffee', outTradeNo, totalFee: 1800, spbillCreateIp: '127.0.0.1',
      authCode: `13456789012345${plan}`, firstQueryAfter: 0.02, queryEvery: 0.02, giveUpAfter: 0.6, maxReverses: 3 });
    const paid = await pay('node-counter-1', '0000');
    assert.equal(paid.status, 'paid');
    assert.equal(paid.total_fee, 1800);
    const typed = await pay('node-counter-2', '1150');
    assert.equal(typed.status, 'paid');
    assert.ok(typed.queries >= 1);
    const gone = await pay('node-counter-3', '2000');
    assert.deepEqual([gone.status, gone.err_code, gone.reverses], ['reversed', 'USERPAYING', 1]);
    assert.equal(sim.order('node-counter-3').trade_state, 'REVOKED');
    const poor = await pay('node-counter-4', '3000');
    assert.deepEqual([poor.status, poor.err_code], ['failed', 'NOTENOUGH']);
    await assert.rejects(pay('node-counter-5', 'x000'), { code: 'WXPAY_INVALID_INPUT', field: 'auth_code' });
    assert.equal(await client.authCodeToOpenid('134567890123450000'), sim.openid);
    await assert.rejects(client.authCodeToOpenid('134567890123454000'), { code: 'WXPAY_BUSINESS', errCode: 'AUTHCODEEXPIRE' });
    // Every reverse answers recall: unsettled, reverse later; reverse() does it.
    sim.addFault('/secapi/pay/reverse', 'recall', 3);
    const open = await pay('node-counter-6', '2000');
    assert.deepEqual([open.status, open.follow_up, open.reverses], ['unsettled', 'reverse', 3]);
    assert.ok(open.error instanceof wxpay.WxPayError && open.error.code === 'WXPAY_PROTOCOL' && open.error.retryable);
    assert.deepEqual(await client.reverse('node-counter-6'), { out_trade_no: 'node-counter-6', reverses: 1 });
    assert.equal(sim.order('node-counter-6').trade_state, 'REVOKED');
    // Waits that are not numbers in range are refused by name, NaN and the infinities too
    // (JSON.stringify alone would send them as null, "not given").
    const before = sim.stats().micropay;
    for (const [name, value] of [['giveUpAfter', Infinity], ['queryEvery', NaN], ['firstQueryAfter', -Infinity],
      ['giveUpAfter', 601], ['maxReverses', 0], ['maxReverses', NaN]]) {
      const field = name.replace(/[A-Z]/g, (ch) => '_' + ch.toLowerCase());
      await assert.rejects(client.micropay({ body: 'b', outTradeNo: 'node-counter-7', totalFee: 1, spbillCreateIp: '127.0.0.1',
        authCode: '134567890123450000', [name]: value }), { code: 'WXPAY_INVALID_INPUT', field }, `${name}=${value}`);
    }
    assert.equal(sim.stats().micropay, before, 'nothing sent');
    for (const name of ['timeout', 'connectTimeout', 'overallTimeout', 'confirmTimeout', 'retryBackoff']) {
      const field = name.replace(/[A-Z]/g, (ch) => '_' + ch.toLowerCase());
      assert.throws(() => new wxpay.Client(sim.clientOptions({ [name]: NaN })), { code: 'WXPAY_INVALID_INPUT', field }, name);
    }
  } finally {
    sim.stop();
  }
});

test('the shared counter vectors (tests/vectors/counter.json)', async () => {
  const file = require('node:path').join(__dirname, '../../../tests/vectors/counter.json');
  const cases = JSON.parse(require('node:fs').readFileSync(file, 'utf8')).cases;
  assert.ok(cases.length >= 12);
  for (const c of cases) {
    const sim = new Simulator({ timeScale: 0.001 });
    try {
      if (c.fault) sim.addFault(c.fault.path, c.fault.kind, c.fault.count, c.fault.delay_ms);
      const options = c.sub_merchant ? sim.providerClientOptions() : sim.clientOptions();
      const client = new wxpay.Client({ ...options, signType: 'HMAC-SHA256' });
      const sub = c.sub_merchant ? { subMchId: c.sub_merchant.sub_mch_id } : {};
      const out = await client.micropay({ body: 'counter', outTradeNo: 'node-counter-vector', totalFee: 1800,
        spbillCreateIp: '127.0.0.1', authCode: c.auth_code, firstQueryAfter: 0.02, queryEvery: 0.02, giveUpAfter: 0.6,
        maxReverses: 3, ...sub });
      assert.deepEqual([out.status, out.err_code, out.reverses, out.follow_up],
        [c.expect.status, c.expect.err_code, c.expect.reverses, c.expect.follow_up], `${c.name}: ${JSON.stringify(out)}`);
      assert.ok(out.queries >= c.expect.queries_at_least, c.name);
    } finally {
      sim.stop();
    }
  }
});
