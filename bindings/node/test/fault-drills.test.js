'use strict';
// tests/vectors/security/faults.json from Node: every client operation
// against each fault wxpay-sim injects — error code, retryable, the attempts
// that met the fault, those that reached WeChat, and failover.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const wxpay = require('..');
const { Simulator } = require('../testing');

const DRILLS = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'tests', 'vectors', 'security',
  'faults.json'), 'utf8')).cases;

/** Each operation as a Node shop calls it, with the drill's named arguments. */
const CALLS = {
  unified_order: (c, a) => c.unifiedOrder(a),
  query_order: (c, a) => c.queryOrder(a),
  close_order: (c, a) => c.closeOrder(a.out_trade_no),
  refund: (c, a) => c.refund(a),
  query_refund: (c, a) => c.queryRefund(a),
  download_bill: (c, a) => c.downloadBill(a),
  oauth_exchange_code: (c, a) => c.oauthExchangeCode(a.code),
  access_token: (c) => c.accessToken(),
  jsapi_ticket: (c) => c.jsapiTicket(),
};

async function closedPort() {
  const server = net.createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

async function setUp(sim, client, setup, no) {
  if (['placed', 'placed_5_minutes_ago', 'paid', 'refunded'].includes(setup)) {
    const order = await client.unifiedOrder({ body: 'drill', outTradeNo: no, totalFee: 990, spbillCreateIp: '127.0.0.1',
      openid: sim.openid, notifyUrl: 'http://127.0.0.1:9/notify' });
    if (setup === 'paid' || setup === 'refunded') {
      const res = await fetch(`${sim.url}/sim/jsapi/pay`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(client.jsapiParams(order.prepay_id)) });
      assert.equal((await res.json()).err_msg, 'get_brand_wcpay_request:ok');
    }
    if (setup === 'refunded') await client.refund({ outTradeNo: no, outRefundNo: `${no}-r`, totalFee: 990, refundFee: 990 });
  }
  // Five minutes at the tests' time scale of 1/1000.
  if (setup === 'placed_5_minutes_ago') await new Promise((r) => setTimeout(r, 350));
  if (setup === 'oauth_code') {
    const res = await fetch(client.oauthAuthorizeUrl('https://shop.example/cb', 'snsapi_base', 'drill').split('#')[0],
      { redirect: 'manual' });
    return new URL(res.headers.get('location')).searchParams.get('code');
  }
  if (setup === 'token') await client.accessToken();
  return '';
}

function fill(args, no, code) {
  const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10).replaceAll('-', '');
  return JSON.parse(JSON.stringify(args).replaceAll('{no}', no).replaceAll('{code}', code).replaceAll('{today}', today));
}

test('every operation meets every fault as the drills say', async () => {
  const sim = new Simulator({ timeScale: 0.001, instantBills: true });
  const wrong = [];
  try {
    for (const [i, c] of DRILLS.entries()) {
      const dead = c.fault.kind === 'dead_primary';
      const options = sim.clientOptions({ retries: 1, retryBackoff: 0.01, timeout: 1, overallTimeout: 5 });
      if (dead) Object.assign(options, { payBaseUrl: `http://127.0.0.1:${await closedPort()}`, payBackupUrl: sim.url });
      const client = new wxpay.Client(options);
      const no = `node-drill-${String(i).padStart(4, '0')}`;
      const code = await setUp(sim, client, c.setup, no);
      if (!dead) sim.addFault(c.path, c.fault.kind, c.fault.count, c.fault.delay_ms);
      const before = sim.stats();
      let error = null;
      const started = Date.now();
      try {
        await CALLS[c.operation](client, fill(c.args, no, code));
      } catch (e) {
        error = e;
      }
      if (c.fault.kind === 'delay') {
        // An attempt the client gave up on still reaches WeChat when its delay
        // ends: let it land here, not in the next drill's counts.
        const lands = started + (c.fault.delay_ms + 100) * c.fault.count;
        await new Promise((r) => setTimeout(r, Math.max(0, lands - Date.now())));
      }
      await fetch(`${sim.url}/sim/faults`, { method: 'DELETE' });
      const after = sim.stats();
      const says = [];
      if (c.expect.ok && error) says.push(`failed: ${error.message}`);
      if (c.expect.error) {
        if (!error) says.push('succeeded');
        else if (!(error instanceof wxpay.WxPayError) || error.kind !== c.expect.error.kind
          || error.retryable !== c.expect.error.retryable) says.push(`${error.kind} retryable=${error.retryable} (${error.message})`);
      }
      const met = (after.faults_injected ?? 0) - (before.faults_injected ?? 0);
      if (met !== c.faults) says.push(`${met} attempts met the fault`);
      if (c.reached !== null) {
        const reached = (after[c.stat] ?? 0) - (before[c.stat] ?? 0);
        if (reached !== c.reached) says.push(`${reached} reached ${c.stat}`);
      }
      if (says.length) wrong.push(`${c.name}: ${says.join('; ')}`);
    }
  } finally {
    sim.stop();
  }
  assert.deepEqual(wrong, []);
  assert.ok(DRILLS.length >= 100);
});
