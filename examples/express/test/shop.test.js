'use strict';
// The Express shop against wxpay-sim: a full payment, a duplicate
// notification, forged and tampered notifications, an amount mismatch.
const test = require('node:test');
const assert = require('node:assert/strict');

const wxpay = require('wxpaykit');
const { Simulator } = require('wxpaykit/testing');
const { createApp } = require('../app');

async function start() {
  const sim = new Simulator({ timeScale: 0.001 });
  let shopUrl;
  const holder = {};
  const server = await new Promise((resolve) => {
    const s = require('node:http').createServer((req, res) => holder.app(req, res));
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
  shopUrl = `http://127.0.0.1:${server.address().port}`;
  const client = new wxpay.Client(sim.clientOptions({ notifyUrl: `${shopUrl}/wxpay/notify` }));
  const shop = createApp({ client, shopUrl });
  holder.app = shop.app;
  return { sim, shop, shopUrl, client, close: () => { server.close(); sim.stop(); } };
}

/** A browser with a cookie jar that shows each redirect. */
function browser() {
  const jar = new Map();
  return async (url, options = {}) => {
    const res = await fetch(url, { ...options, redirect: 'manual',
      headers: { ...(options.headers || {}), cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return res;
  };
}

async function checkout(env, get) {
  const first = await get(`${env.shopUrl}/checkout/book`);
  assert.equal(first.status, 302);
  const authorize = first.headers.get('location');
  assert.ok(authorize.startsWith(`${env.sim.url}/connect/oauth2/authorize?`), authorize);
  const consent = await get(authorize.split('#')[0]);
  assert.equal(consent.status, 302);
  const back = await get(consent.headers.get('location'));
  assert.equal(back.status, 302);
  const page = await get(`${env.shopUrl}${back.headers.get('location')}`);
  assert.equal(page.status, 200);
  return page.json();
}

async function pay(env, params) {
  const res = await fetch(`${env.sim.url}/sim/jsapi/pay`, { method: 'POST', body: JSON.stringify(params),
    headers: { 'Content-Type': 'application/json' } });
  return res.json();
}

const until = async (check, ms = 10000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
};

async function postNotify(env, body) {
  const res = await fetch(`${env.shopUrl}/wxpay/notify`, { method: 'POST', body, headers: { 'Content-Type': 'text/xml' } });
  return wxpay.fromXml(await res.text()).return_code;
}

function signedNotify(env, order, key, changes = {}) {
  const fields = { return_code: 'SUCCESS', result_code: 'SUCCESS', appid: env.sim.appid, mch_id: env.sim.mchId,
    nonce_str: 'forged', openid: env.sim.openid, trade_type: 'JSAPI', total_fee: String(order.totalFee), fee_type: 'CNY',
    cash_fee: String(order.totalFee), transaction_id: '4200000000000000000000000001', out_trade_no: order.outTradeNo,
    time_end: '20240102030405', ...changes };
  fields.sign = wxpay.sign(fields, key, 'HMAC-SHA256');
  return wxpay.toXml(fields);
}

test('a full payment, then a duplicate notification changes nothing', async () => {
  const env = await start();
  try {
    const page = await checkout(env, browser());
    assert.equal(page.totalFee, 990);
    const check = await fetch(`${env.sim.url}/sim/jsapi/config`, { method: 'POST',
      body: JSON.stringify({ ...page.wxConfig, url: `${env.shopUrl}/checkout/book` }), headers: { 'Content-Type': 'application/json' } });
    assert.equal((await check.json()).errMsg, 'config:ok');
    assert.equal((await pay(env, page.payParams)).err_msg, 'get_brand_wcpay_request:ok');
    assert.ok(await until(async () => (await (await fetch(`${env.shopUrl}/orders/${page.outTradeNo}/status`)).json()).status === 'PAID'));
    // The shop records the payment before it answers SUCCESS; the simulator
    // marks the notification acknowledged once that answer arrives.
    const mine = () => env.sim.notifications().find((n) => n.out_trade_no === page.outTradeNo);
    assert.ok(await until(() => mine()?.status === 'acknowledged'));
    const note = mine();
    assert.equal(note.status, 'acknowledged');
    assert.equal(note.attempts.at(-1).reply, wxpay.notifyAck());
    assert.deepEqual(env.shop.fulfilments, [page.outTradeNo]);
    // The same notification again, and ten at once: acknowledged, nothing changes.
    assert.equal(await postNotify(env, note.body), 'SUCCESS');
    const codes = await Promise.all(Array.from({ length: 10 }, () => postNotify(env, note.body)));
    assert.ok(codes.every((c) => c === 'SUCCESS'));
    assert.deepEqual(env.shop.fulfilments, [page.outTradeNo]);
  } finally {
    env.close();
  }
});

test('forged, tampered and unconfirmed notifications are refused', async () => {
  const env = await start();
  try {
    const page = await checkout(env, browser());
    const order = env.shop.orders.get(page.outTradeNo);
    assert.equal(await postNotify(env, signedNotify(env, order, '0123456789abcdef0123456789abcdef')), 'FAIL');
    const genuine = signedNotify(env, order, env.sim.apiKey);
    assert.equal(await postNotify(env, genuine.replace('<nonce_str>forged</nonce_str>', '<nonce_str>forgee</nonce_str>')), 'FAIL');
    assert.equal(await postNotify(env, `<!DOCTYPE xml>${genuine}`), 'FAIL');
    // A valid signature but WeChat never saw a payment: orderquery says NOTPAY.
    assert.equal(await postNotify(env, genuine), 'FAIL');
    assert.equal(order.status, 'NOTPAY');
    assert.deepEqual(env.shop.fulfilments, []);
  } finally {
    env.close();
  }
});

test('an amount mismatch is refused', async () => {
  const env = await start();
  try {
    const page = await checkout(env, browser());
    const order = env.shop.orders.get(page.outTradeNo);
    order.totalFee = 1; // the shop's record says 1 fen; WeChat collects 990
    assert.equal((await pay(env, page.payParams)).err_msg, 'get_brand_wcpay_request:ok');
    assert.ok(await until(() => (env.sim.notifications().find((n) => n.out_trade_no === page.outTradeNo) || { attempts: [] }).attempts.length > 0));
    const attempt = env.sim.notifications().find((n) => n.out_trade_no === page.outTradeNo).attempts[0];
    assert.equal(wxpay.fromXml(attempt.reply).return_code, 'FAIL');
    assert.equal(order.status, 'NOTPAY');
    assert.equal(await postNotify(env, signedNotify(env, order, env.sim.apiKey, { fee_type: 'USD' })), 'FAIL');
  } finally {
    env.close();
  }
});

test('the OAuth state must come back to the same browser', async () => {
  const env = await start();
  try {
    const get = browser();
    const first = await get(`${env.shopUrl}/checkout/book`);
    const consent = await fetch(first.headers.get('location').split('#')[0], { redirect: 'manual' });
    const callback = new URL(consent.headers.get('location'));
    const other = await fetch(callback, { redirect: 'manual' });
    assert.equal(other.status, 400);
    // An altered state is refused in the right browser too; the genuine one passes.
    const state = callback.searchParams.get('state');
    const forged = new URL(callback);
    forged.searchParams.set('state', state.slice(0, -1) + (state.endsWith('0') ? '1' : '0'));
    assert.equal((await get(forged.toString())).status, 400);
    assert.equal((await get(callback.toString())).status, 302);
    assert.equal((await get(`${env.shopUrl}/checkout/nothing`)).status, 400);
  } finally {
    env.close();
  }
});
