'use strict';
// tests/vectors/security/decisions.json from Node: every reply that becomes
// a shop decision, given a signed answer about something else by the
// simulator's forge fault, is compared field by field (docs/security.md §8).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const wxpay = require('..');
const { Simulator } = require('../testing');

const CASES = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'tests', 'vectors', 'security',
  'decisions.json'), 'utf8')).cases;

/** Each operation as a Node shop calls it, with the case's named arguments and sub-merchant. */
const CALLS = {
  micropay: (c, a, sub) => c.micropay({ ...a, ...sub }),
  reverse: (c, a, sub) => c.reverse(a.out_trade_no, sub),
  refund: (c, a, sub) => c.refund({ ...a, ...sub }),
  query_refund: (c, a, sub) => c.queryRefund({ ...a, ...sub }),
  close_order: (c, a, sub) => c.closeOrder(a.out_trade_no, sub),
  auth_code_to_openid: (c, a, sub) => c.authCodeToOpenid(a.auth_code, sub),
};

/** Whether `got` holds every key of `want` with the same value, nested objects too. */
function holds(got, want) {
  if (want === null || typeof want !== 'object') return got === want;
  if (got === null || typeof got !== 'object') return false;
  return Object.entries(want).every(([k, v]) => k in got && holds(got[k], v));
}

/** @param {any} e */
function details(e) {
  return { kind: e.kind, field: e.field ?? null, retryable: e.retryable };
}

async function control(sim, method, p, body) {
  const res = await fetch(`${sim.url}${p}`, { method, headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body) });
  return res.json();
}

async function setUp(sim, client, c, no, sub) {
  if (c.setup === 'micropaid') {
    const out = await client.micropay({ body: 'counter', outTradeNo: no, totalFee: c.setup_fee, spbillCreateIp: '127.0.0.1',
      authCode: '134567890123450000', ...sub });
    assert.equal(out.status, 'paid');
  } else if (c.setup !== 'none') {
    const order = await client.unifiedOrder({ body: 'decision', outTradeNo: no, totalFee: 990, spbillCreateIp: '127.0.0.1',
      openid: sim.openid, notifyUrl: 'http://127.0.0.1:9/notify', ...sub });
    if (c.setup === 'placed_5_minutes_ago') {
      await new Promise((r) => setTimeout(r, 350)); // five minutes at the tests' time scale of 1/1000
    } else {
      const paid = await control(sim, 'POST', '/sim/jsapi/pay', client.jsapiParams(order.prepay_id, sub.subMchId ? sub : undefined));
      assert.equal(paid.err_msg, 'get_brand_wcpay_request:ok');
    }
    if (c.setup === 'refunded') {
      await client.refund({ outTradeNo: no, outRefundNo: `${no}-r`, totalFee: 990, refundFee: 990, ...sub });
    }
  }
}

test('every decision compares what it must', async () => {
  const sim = new Simulator({ timeScale: 0.001, instantBills: true });
  const wrong = [];
  try {
    assert.ok(CASES.length >= 20);
    for (const [i, c] of CASES.entries()) {
      const no = `node-decision-${String(i).padStart(4, '0')}`;
      const options = c.merchant === 'provider' ? sim.providerClientOptions() : sim.clientOptions();
      const client = new wxpay.Client({ ...options, signType: 'HMAC-SHA256', retries: 1, retryBackoff: 0.01 });
      const sub = c.sub_mch_id ? { subMchId: c.sub_mch_id } : {};
      await setUp(sim, client, c, no, sub);
      await control(sim, 'POST', '/sim/faults', c.faults);
      const args = JSON.parse(JSON.stringify(c.args).replaceAll('{no}', no));
      let result = null;
      let error = null;
      try {
        if (c.operation === 'settle_payment_notify') {
          const note = sim.notifications().find((n) => n.kind === 'payment' && n.out_trade_no === no);
          result = await client.settlePaymentNotify(note.body, args.order);
        } else {
          result = await CALLS[c.operation](client, args, sub);
        }
        if (result && typeof result === 'object' && result.error) result = { ...result, error: details(result.error) };
      } catch (e) {
        error = details(e);
      } finally {
        await control(sim, 'DELETE', '/sim/faults');
      }
      const ok = c.expect.error ? error !== null && holds(error, c.expect.error)
        : error === null && holds(result, c.expect.result);
      if (!ok) wrong.push(`${c.name}: ${JSON.stringify(error ?? result)}`);
    }
  } finally {
    sim.stop();
  }
  assert.deepEqual(wrong, []);
});
