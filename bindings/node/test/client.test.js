'use strict';
// The whole flow against wxpay-sim, the event loop while WeChat is slow, and bad input.
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const util = require('node:util');

const wxpay = require('..');
const { Simulator } = require('../testing');

async function request(method, url, body) {
  const res = await fetch(url, { method, body: body && JSON.stringify(body), redirect: 'manual',
    headers: body ? { 'Content-Type': 'application/json' } : {} });
  return { status: res.status, location: res.headers.get('location'), text: await res.text() };
}

/** A shop's notify endpoint that acknowledges after verifying. */
async function shop(client) {
  const received = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push(body);
      let reply;
      try {
        client.verifyPaymentNotify(body);
        reply = wxpay.notifyAck();
      } catch (e) {
        reply = wxpay.notifyFail(e.code || 'error');
      }
      res.setHeader('Content-Type', 'text/xml');
      res.end(reply);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}/notify`, received, close: () => server.close() };
}

const until = async (check, ms = 5000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 10));
  }
  return check();
};

test('a whole JSAPI checkout', async () => {
  const sim = new Simulator({ timeScale: 0.001, instantBills: true });
  const client = new wxpay.Client(sim.clientOptions({ retryBackoff: 0.02 }));
  const notify = await shop(client);
  try {
    const authorize = client.oauthAuthorizeUrl('https://shop.example/cb', 'snsapi_base', 'nodestate');
    const redirect = await request('GET', authorize.split('#')[0]);
    assert.equal(redirect.status, 302);
    const back = new URL(redirect.location);
    assert.equal(back.searchParams.get('state'), 'nodestate');
    const token = await client.oauthExchangeCode(back.searchParams.get('code'));
    assert.equal(token.openid, sim.openid);

    const order = await client.unifiedOrder({ body: 'node-书店', outTradeNo: 'node-flow-01', totalFee: 990,
      spbillCreateIp: '127.0.0.1', openid: token.openid, notifyUrl: notify.url, extra: { attach: 'cart-1' } });
    assert.match(order.prepay_id, /^wx/);

    const config = await client.jssdkConfig('https://shop.example/pay#top', ['chooseWXPay']);
    const checked = JSON.parse((await request('POST', `${sim.url}/sim/jsapi/config`, { ...config, url: 'https://shop.example/pay' })).text);
    assert.equal(checked.errMsg, 'config:ok');

    const params = client.jsapiParams(order.prepay_id);
    const paid = JSON.parse((await request('POST', `${sim.url}/sim/jsapi/pay`, params)).text);
    assert.equal(paid.err_msg, 'get_brand_wcpay_request:ok');

    assert.ok(await until(() => notify.received.length >= 1), 'notification delivered');
    const note = client.verifyPaymentNotify(notify.received[0], 990);
    assert.equal(note.paid, true);
    assert.equal(note.attach, 'cart-1');
    const confirmed = await client.confirmPayment(note);
    assert.equal(confirmed.trade_state, 'SUCCESS');
    assert.ok(await until(() => sim.notifications()[0].status === 'acknowledged'));

    const refund = await client.refund({ outTradeNo: 'node-flow-01', outRefundNo: 'node-flow-01-r', totalFee: 990, refundFee: 90 });
    assert.equal(refund.refund_fee, 90);
    const refunds = await client.queryRefund({ outRefundNo: 'node-flow-01-r' });
    assert.equal(refunds.refunds[0].refund_status, 'SUCCESS');
    assert.equal((await client.queryOrder({ outTradeNo: 'node-flow-01' })).trade_state, 'REFUND');

    await assert.rejects(client.queryOrder({ outTradeNo: 'node-missing-1' }),
      (e) => e instanceof wxpay.WxPayError && e.code === 'WXPAY_BUSINESS' && e.errCode === 'ORDERNOTEXIST' && !e.retryable);
    await assert.rejects(client.oauthExchangeCode(back.searchParams.get('code')),
      (e) => e.code === 'WXPAY_MP_API' && e.errcode === 40163);
  } finally {
    notify.close();
    sim.stop();
  }
});

test('the event loop keeps ticking while WeChat takes 2 s', async () => {
  const sim = new Simulator({ timeScale: 0.001 });
  try {
    const client = new wxpay.Client(sim.clientOptions());
    await client.unifiedOrder({ body: 'b', outTradeNo: 'node-loop-01', totalFee: 1, spbillCreateIp: '127.0.0.1',
      openid: sim.openid, notifyUrl: 'http://127.0.0.1:9/n' });
    sim.addFault('/pay/orderquery', 'delay', 1, 2000);
    let ticks = 0;
    const timer = setInterval(() => { ticks += 1; }, 10);
    const started = Date.now();
    const reply = await client.queryOrder({ outTradeNo: 'node-loop-01' });
    clearInterval(timer);
    assert.ok(Date.now() - started >= 1900);
    assert.ok(ticks >= 100, `only ${ticks} ticks`);
    assert.equal(reply.trade_state, 'NOTPAY');
  } finally {
    sim.stop();
  }
});

test('many concurrent calls share one token fetch', async () => {
  const sim = new Simulator({ timeScale: 0.001 });
  try {
    const client = new wxpay.Client(sim.clientOptions());
    const configs = await Promise.all(Array.from({ length: 64 }, (_, i) => client.jssdkConfig(`https://shop.example/${i}`, ['chooseWXPay'])));
    assert.equal(configs.length, 64);
    assert.equal(sim.stats().token_fetches, 1);
    assert.equal(sim.stats().ticket_fetches, 1);
  } finally {
    sim.stop();
  }
});

test('bad amounts and arguments are refused before anything is sent', async () => {
  const client = new wxpay.Client({ appid: 'wxd930ea5d5a258f4f', mchId: '10000100',
    apiKey: '192006250b4c09247ec02edce69f6a2d', baseUrl: 'http://127.0.0.1:9', retries: 0 });
  const order = { body: 'b', outTradeNo: 'node-bad-01', spbillCreateIp: '127.0.0.1', openid: 'o', notifyUrl: 'https://x.example/n' };
  // The core judges every value, with WeChat's field names; only what JSON cannot carry exactly stops here.
  for (const [fee, reason] of [[0.1, 'WrongType'], [1.5, 'WrongType'], [NaN, 'WrongType'], [Infinity, 'WrongType'],
    [-1, 'Rule'], [0, 'Rule'], [-5n, 'Rule'], ['100', 'WrongType'], [null, 'WrongType'], [{}, 'WrongType']]) {
    await assert.rejects(client.unifiedOrder({ ...order, totalFee: fee }),
      (e) => e instanceof wxpay.WxPayError && e.code === 'WXPAY_INVALID_INPUT' && e.field === 'total_fee' && e.reason === reason, String(fee));
  }
  for (const fee of [2 ** 53 + 1, 2n ** 60n]) {
    await assert.rejects(client.unifiedOrder({ ...order, totalFee: fee }), RangeError, String(fee));
  }
  await assert.rejects(client.unifiedOrder({ ...order, totalFee: undefined }),
    (e) => e.code === 'WXPAY_INVALID_INPUT' && e.field === 'total_fee' && e.reason === 'Missing' && /total_fee/.test(e.message));
  await assert.rejects(client.unifiedOrder(), TypeError);
  await assert.rejects(client.unifiedOrder(null), TypeError);
  await assert.rejects(client.unifiedOrder({ ...order, totalFee: 1, body: 5 }), (e) => e.code === 'WXPAY_INVALID_INPUT');
  await assert.rejects(client.unifiedOrder({ ...order, totalFee: 1, tiemout: 5 }), (e) => e.code === 'WXPAY_INVALID_INPUT' && /tiemout/.test(e.message));
  await assert.rejects(client.unifiedOrder({ ...order, totalFee: 1, outTradeNo: 'x'.repeat(33) }), (e) => e.field === 'out_trade_no');
  await assert.rejects(client.queryOrder({ outTradeNo: 'node-bad-01' }), (e) => e.code === 'WXPAY_TRANSPORT' && e.retryable);
  assert.throws(() => client.jsapiParams(undefined), TypeError);
  for (const bad of [1.5, null, true, {}, [], -1]) {
    assert.throws(() => wxpay.sign({ a: bad }, '192006250b4c09247ec02edce69f6a2d'), (e) => e.code === 'WXPAY_INVALID_INPUT', String(bad));
  }
  assert.throws(() => wxpay.sign(undefined, '192006250b4c09247ec02edce69f6a2d'), TypeError);
  assert.throws(() => wxpay.sign({ a: '1' }, 'short'), (e) => e.code === 'WXPAY_CONFIG' && !e.message.includes('short'));
  assert.throws(() => wxpay.fromXml('<xml><a>\ud800</a></xml>'), (e) => e.code === 'WXPAY_INVALID_INPUT');
  assert.throws(() => wxpay.fromXml(42), TypeError);
  assert.deepEqual(wxpay.fromXml(Buffer.from('<xml><a>中</a></xml>')), wxpay.fromXml('<xml><a>中</a></xml>'));
  assert.deepEqual(wxpay.fromXml(new Uint8Array(Buffer.from('<xml><a>1</a></xml>'))), { a: '1' });
  assert.throws(() => wxpay.jssdkSignature('t', 'n', 1.5, 'https://x/'), TypeError);
  // The core decides which options are required and what type each is, for every language.
  assert.throws(() => new wxpay.Client({ appid: 'wx1', mchId: '1' }),
    { code: 'WXPAY_INVALID_INPUT', field: 'api_key', reason: 'Missing' });
  assert.throws(() => new wxpay.Client({ appid: 'wx1', mchId: '1', apiKey: 'short-secret' }), (e) => e.code === 'WXPAY_CONFIG' && !e.message.includes('short-secret'));
  assert.throws(() => new wxpay.Client({ appid: 'wx1', mchId: '1', apiKey: 12345 }),
    (e) => e.code === 'WXPAY_INVALID_INPUT' && e.field === 'api_key' && e.reason === 'WrongType' && !e.message.includes('12345'));
  assert.throws(() => new wxpay.Client({ appid: 'wx1', mchId: '1', apiKey: 'k', timeout: () => 3 }), TypeError);
});

test('secrets stay out of inspect, JSON and errors', () => {
  const key = '192006250b4c09247ec02edce69f6a2d';
  const client = new wxpay.Client({ appid: 'wxd930ea5d5a258f4f', mchId: '10000100', apiKey: key, appSecret: 'top-secret-app' });
  for (const text of [util.inspect(client, { showHidden: true, depth: 5 }), JSON.stringify(client), String(client)]) {
    assert.ok(!text.includes(key) && !text.includes('top-secret-app'), text);
  }
  assert.equal(client.appid, 'wxd930ea5d5a258f4f');
});

test('ES module import', async () => {
  const mod = await import('../index.mjs');
  assert.equal(typeof mod.Client, 'function');
  assert.equal(mod.sign({ test1: 'test1', test2: 'test2' }, '192006250b4c09247ec02edce69f6a2d', 'MD5'), '1E3A8D73B5A4AEE787C0F68B5DAB8520');
});

test('sign and verify without a sign type use the core default, HMAC-SHA256', () => {
  const key = '192006250b4c09247ec02edce69f6a2d';
  const params = { test1: 'test1', test2: 'test2' };
  assert.equal(wxpay.sign(params, key), wxpay.sign(params, key, 'HMAC-SHA256'));
  assert.equal(wxpay.sign(params, key).length, 64);
  assert.equal(wxpay.verify({ ...params, sign: wxpay.sign(params, key) }, key), true);
  assert.equal(wxpay.verify({ ...params, sign: wxpay.sign(params, key, 'MD5') }, key), false);
  assert.ok(wxpay.toSignedXml(params, key).includes(wxpay.sign(params, key)));
});

test('errors are WxPayError objects built natively, with every field of the core error', async () => {
  const client = new wxpay.Client({ appid: 'wxd930ea5d5a258f4f', mchId: '10000100',
    apiKey: '192006250b4c09247ec02edce69f6a2d', baseUrl: 'http://127.0.0.1:9', retries: 0 });
  const e = /** @type {any} */ (await client.queryOrder({ outTradeNo: 'a', transactionId: '1' }).catch((x) => x));
  assert.ok(e instanceof wxpay.WxPayError && e instanceof Error);
  assert.deepEqual([e.name, e.code, e.kind, e.field, e.reason, e.retryable],
    ['WxPayError', 'WXPAY_INVALID_INPUT', 'InvalidInput', 'out_trade_no', 'Rule', false]);
  assert.match(e.stack, /WxPayError/);
  const xml = /** @type {any} */ (() => { try { wxpay.fromXml('<!DOCTYPE x><xml/>'); } catch (x) { return x; } })();
  assert.deepEqual([xml.code, xml.kind, xml.reason], ['WXPAY_XML', 'Xml', 'Doctype']);
  assert.ok(!('errCode' in xml) && !('field' in xml), 'fields that do not apply are absent');
});

test('a token store supplied from JS (async get/set) is shared by clients', async () => {
  const sim = new Simulator({ timeScale: 0.001 });
  try {
    const data = new Map();
    const store = {
      async get(key) { await new Promise((r) => setTimeout(r, 1)); return data.get(key); },
      async set(key, value, ttl) { assert.ok(Number.isInteger(ttl) && ttl > 0); data.set(key, value); },
    };
    const first = new wxpay.Client(sim.clientOptions({ tokenStore: store }));
    const second = new wxpay.Client(sim.clientOptions({ tokenStore: store }));
    const token = await first.accessToken();
    assert.equal(await second.accessToken(), token);
    assert.equal(await second.jsapiTicket(), await first.jsapiTicket());
    assert.equal(sim.stats().token_fetches, 1);
    assert.equal(sim.stats().ticket_fetches, 1);
    assert.deepEqual([...data.keys()].sort(), ['wxpay:wxd930ea5d5a258f4f:access_token', 'wxpay:wxd930ea5d5a258f4f:jsapi_ticket']);
    assert.ok(![...data.values()].some((v) => v.includes(sim.appSecret) || v.includes(sim.apiKey)), 'no secret in the store');
    // A store that fails never fails a call: the process keeps its own copy.
    const down = async () => { throw new Error('redis down: pw=hunter2'); };
    const broken = new wxpay.Client(sim.clientOptions({ tokenStore: { get: down, set: down } }));
    assert.deepEqual(broken.tokenStoreHealth(), { store: 'host', healthy: true, error: null });
    /** @type {any[]} */
    const seen = [];
    const listener = (/** @type {any} */ e) => seen.push(e);
    wxpay.events.on('log', listener);
    try {
      assert.equal(await broken.accessToken(), await broken.accessToken());
    } finally {
      wxpay.events.off('log', listener);
    }
    assert.equal(sim.stats().token_fetches, 2, 'the stored token was not reachable, but one fetch serves the process');
    // Said once, as an event on wxpay.events, and in the health call; never the store's own words.
    assert.deepEqual(seen.map((e) => [e.level, e.name, e.fields.key ?? e.fields.token]),
      [['warning', 'token_store_down', 'wxpay:wxd930ea5d5a258f4f:access_token'], ['info', 'token_refreshed', 'access_token']]);
    assert.ok(seen[0].message.includes('token store') && !seen[0].message.includes('hunter2'), seen[0].message);
    const health = broken.tokenStoreHealth();
    assert.ok(health.store === 'host' && !health.healthy && health.error.includes('token store'), JSON.stringify(health));
    // Without a listener, a warning becomes a process warning.
    const warned = new Promise((resolve) => process.once('warning', resolve));
    const other = new wxpay.Client(sim.clientOptions({ tokenStore: { get: async () => { throw new Error('down'); }, set: async () => {} } }));
    await other.accessToken();
    const warning = /** @type {any} */ (await warned);
    assert.equal(warning.name, 'WxPayWarning');
    assert.equal(warning.code, 'token_store_down');
    assert.throws(() => new wxpay.Client(sim.clientOptions({ tokenStore: {} })), TypeError);
  } finally {
    sim.stop();
  }
});

test('a cluster worker whose tokens stay in the process is warned about; a shared store is not', () => {
  const { execFileSync } = require('node:child_process');
  // A worker of node:cluster: each client made there says whether its tokens are shared.
  const script = `
    const cluster = require('node:cluster');
    if (cluster.isPrimary) { cluster.fork().on('exit', (code) => process.exit(code)); } else {
    const wxpay = require(${JSON.stringify(require.resolve('..'))});
    const seen = [];
    wxpay.events.on('log', (e) => seen.push([e.name, e.fields.store]));
    const base = { appid: 'wxd930ea5d5a258f4f', mchId: '10000100', apiKey: '192006250b4c09247ec02edce69f6a2d' };
    new wxpay.Client(base);
    new wxpay.Client({ ...base, tokenStore: new Map() });
    new wxpay.Client({ ...base, tokenDir: require('node:os').tmpdir() + '/wxpay-cluster-warn-' + process.pid });
    new wxpay.Client({ ...base, tokenStore: { get: async () => null, set: async () => {} } });
    process.stdout.write(JSON.stringify(seen));
    process.exit(0); }`;
  const file = require('node:path').join(require('node:os').tmpdir(), `wxpay-cluster-${process.pid}.js`);
  require('node:fs').writeFileSync(file, script);
  let seen;
  try {
    seen = JSON.parse(execFileSync(process.execPath, [file], { encoding: 'utf8' }));
  } finally {
    require('node:fs').unlinkSync(file);
  }
  assert.deepEqual(seen, [['token_store_not_shared', 'memory'], ['token_store_not_shared', 'Map']]);
  // Outside a cluster, nothing is said.
  /** @type {any[]} */
  const here = [];
  const listener = (/** @type {any} */ e) => here.push(e);
  wxpay.events.on('log', listener);
  try {
    new wxpay.Client({ appid: 'wxd930ea5d5a258f4f', mchId: '10000100', apiKey: '192006250b4c09247ec02edce69f6a2d' });
  } finally {
    wxpay.events.off('log', listener);
  }
  assert.deepEqual(here, []);
});

test('refunds over mutual TLS on the simulator\'s HTTPS port', async () => {
  const sim = new Simulator({ timeScale: 0.001 });
  try {
    assert.equal(sim.tlsFiles(), null);
    const client = new wxpay.Client(sim.clientOptions());
    const order = await client.unifiedOrder({ body: 'b', outTradeNo: 'node-mtls-01', totalFee: 700,
      spbillCreateIp: '127.0.0.1', openid: sim.openid, notifyUrl: 'http://127.0.0.1:9/n' });
    const paid = await request('POST', `${sim.url}/sim/jsapi/pay`, client.jsapiParams(order.prepay_id));
    assert.match(paid.text, /get_brand_wcpay_request:ok/);

    const options = sim.tlsClientOptions({ retryBackoff: 0.02 });
    assert.match(options.baseUrl, /^https:\/\/127\.0\.0\.1:\d+$/);
    const secure = new wxpay.Client(options);
    assert.doesNotMatch(util.inspect(secure), /PRIVATE KEY/);
    const refund = await secure.refund({ outTradeNo: 'node-mtls-01', outRefundNo: 'node-mtls-01-r', totalFee: 700, refundFee: 300 });
    assert.equal(refund.refund_fee, 300);

    const { caPem, ...untrustedOptions } = options;
    assert.ok(caPem.includes('BEGIN CERTIFICATE'));
    await assert.rejects(new wxpay.Client(untrustedOptions).queryOrder({ outTradeNo: 'node-mtls-01' }),
      (e) => e.code === 'WXPAY_TRANSPORT' && /TLS handshake failed/.test(e.message));
    const { certPem, keyPem, ...bareOptions } = options;
    assert.ok(certPem && keyPem);
    await assert.rejects(new wxpay.Client(bareOptions).refund({ outTradeNo: 'node-mtls-01', outRefundNo: 'node-mtls-01-s',
      totalFee: 700, refundFee: 100 }), (e) => e.code === 'WXPAY_CONFIG');
    assert.throws(() => new wxpay.Client({ ...options, caPem: 'not a certificate' }), (e) => e.code === 'WXPAY_CONFIG');
    assert.deepEqual(sim.order('node-mtls-01').refunds.map((r) => r.out_refund_no), ['node-mtls-01-r']);
  } finally {
    sim.stop();
  }
});

test('clients sharing tokenDir fetch one token and one ticket', async () => {
  const sim = new Simulator({ timeScale: 0.001 });
  const dir = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'wxpay-node-tokens-'));
  try {
    const tickets = [];
    for (let request = 0; request < 4; request++) {
      tickets.push(await new wxpay.Client(sim.clientOptions({ tokenDir: dir })).jsapiTicket());
    }
    assert.equal(new Set(tickets).size, 1);
    assert.equal(sim.stats().token_fetches, 1);
    assert.equal(sim.stats().ticket_fetches, 1);
    // One rule in the core: a store object excludes tokenDir (Python and the JVM refuse the same).
    assert.throws(() => new wxpay.Client(sim.clientOptions({ tokenDir: dir, tokenStore: { get() {}, set() {} } })),
      { code: 'WXPAY_CONFIG', message: 'configuration error: give token_store or token_dir, not both' });
  } finally {
    sim.stop();
    require('node:fs').rmSync(dir, { recursive: true, force: true });
  }
});

test('OAuth state is bound to the session', async () => {
  const sim = new Simulator({ timeScale: 0.001 });
  try {
    const client = new wxpay.Client(sim.clientOptions());
    const state = client.oauthState('express-session-1');
    const page = await request('GET', client.oauthAuthorizeUrl(`${sim.url}/cb`, 'snsapi_base', state).split('#')[0]);
    const returned = new URL(page.location).searchParams.get('state');
    assert.equal(returned, state);
    assert.equal(client.checkOauthState(returned, 'express-session-1'), undefined);
    const invalid = (e) => e instanceof wxpay.WxPayError && e.code === 'WXPAY_INVALID_INPUT';
    assert.throws(() => client.checkOauthState(returned, 'express-session-2'), invalid);
    assert.throws(() => client.checkOauthState(`${returned.slice(0, -1)}${returned.endsWith('0') ? '1' : '0'}`, 'express-session-1'), invalid);
    assert.throws(() => client.checkOauthState(returned, 'express-session-1', 1.5), (e) => invalid(e) && e.field === 'max_age' && e.reason === 'WrongType');
    assert.throws(() => client.oauthState(''), invalid);
  } finally {
    sim.stop();
  }
});

test('checkAmount is the library\'s: the verified notification must pay exactly the order', () => {
  const cases = JSON.parse(require('node:fs').readFileSync(require('node:path').join(__dirname, '..', '..', '..', 'tests', 'vectors', 'notify.json'), 'utf8')).cases;
  const c = cases.find((x) => x.expect.ok && x.expect.ok.paid);
  const m = c.merchant;
  const client = new wxpay.Client({ appid: m.appid, mchId: m.mch_id, apiKey: m.api_key, signType: m.sign_type, baseUrl: 'http://127.0.0.1:9' });
  const note = client.verifyPaymentNotify(c.body);
  assert.equal(client.checkAmount(note, note.total_fee), undefined);
  assert.throws(() => client.checkAmount(note, note.total_fee + 1), (e) => e.code === 'WXPAY_MISMATCH' && e.field === 'total_fee');
  assert.throws(() => client.checkAmount({ paid: true }, 1), (e) => e.code === 'WXPAY_INVALID_INPUT' && e.field === 'notify');
  assert.throws(() => client.verifyPaymentNotify(c.body, note.total_fee + 1), (e) => e.code === 'WXPAY_MISMATCH');
});

test('results carry text beyond ASCII exactly (CJK, astral, escapes)', () => {
  const key = '192006250b4c09247ec02edce69f6a2d';
  const c = new wxpay.Client({ appid: 'wxd930ea5d5a258f4f', mchId: '10000100', apiKey: key, signType: 'MD5' });
  const attach = '支付测试 😀 "q" \\ \u00e9\u2028 </x>';
  const fields = {
    appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', nonce_str: 'n1', result_code: 'SUCCESS', return_code: 'SUCCESS',
    openid: 'o1', out_trade_no: 'order-1', transaction_id: '4200000001', total_fee: '1', cash_fee: '1',
    fee_type: 'CNY', trade_type: 'JSAPI', bank_type: 'CMC', time_end: '20261201120000', attach,
  };
  const body = wxpay.toSignedXml(fields, key, 'MD5');
  const paid = c.verifyPaymentNotify(Buffer.from(body));
  assert.equal(paid.attach, attach);
  assert.equal(paid.raw.attach, attach);
  assert.equal(wxpay.fromXml(body).attach, attach);
});

test('a lone surrogate in any string argument is a WxPayError, never U+FFFD signed', async () => {
  const K = '192006250b4c09247ec02edce69f6a2d';
  const S = 'a\ud800b';
  const c = new wxpay.Client({ appid: 'wxd930ea5d5a258f4f', mchId: '10000100', apiKey: K, appSecret: 'x'.repeat(32),
    baseUrl: 'http://127.0.0.1:9', retries: 0 });
  const calls = {
    'sign value': () => wxpay.sign({ a: S }, K),
    'sign name': () => wxpay.sign({ [S]: '1' }, K),
    'sign key': () => wxpay.sign({ a: '1' }, S),
    'sign type': () => wxpay.sign({ a: '1' }, K, S),
    verify: () => wxpay.verify({ a: S, sign: 'x' }, K),
    toXml: () => wxpay.toXml({ a: S }),
    toSignedXml: () => wxpay.toSignedXml({ a: S }, K),
    fromXml: () => wxpay.fromXml(S),
    'jssdkSignature ticket': () => wxpay.jssdkSignature(S, 'n', 1, 'https://x'),
    'jssdkSignature url': () => wxpay.jssdkSignature('t', 'n', 1, `https://x/${S}`),
    notifyFail: () => wxpay.notifyFail(S),
    'decryptReqInfo': () => wxpay.decryptReqInfo(S, K),
    'decryptReqInfo key': () => wxpay.decryptReqInfo('abc', S),
    'Client option': () => new wxpay.Client({ appid: S, mchId: '1', apiKey: K }),
    jsapiParams: () => c.jsapiParams(S),
    oauthAuthorizeUrl: () => c.oauthAuthorizeUrl(`https://x/${S}`),
    oauthState: () => c.oauthState(S),
    verifyPaymentNotify: () => c.verifyPaymentNotify(S),
    checkAmount: () => c.checkAmount({ out_trade_no: S }, 1),
    queryOrder: () => c.queryOrder({ outTradeNo: S }),
    closeOrder: () => c.closeOrder(S),
    unifiedOrder: () => c.unifiedOrder({ body: S, outTradeNo: 'o1', totalFee: 1, spbillCreateIp: '127.0.0.1', openid: 'o' }),
    'settlePaymentNotify record': () => c.settlePaymentNotify('<xml/>', { totalFee: 1, transactionId: S }),
    jssdkConfig: () => c.jssdkConfig(`https://x/${S}`, ['chooseWXPay']),
  };
  for (const [name, call] of Object.entries(calls)) {
    await assert.rejects(async () => call(), (e) => e instanceof wxpay.WxPayError && e.code === 'WXPAY_INVALID_INPUT', name);
  }
});

test('a JS store with an atomic add gives clients one refresh; a redis:// tokenStore is the core\'s', async () => {
  const sim = new Simulator({ timeScale: 0.001 });
  try {
    const data = new Map();
    const slow = () => new Promise((r) => setTimeout(r, 2));
    const store = {
      async get(key) { await slow(); return data.get(key); },
      async set(key, value) { await slow(); data.set(key, value); },
      async add(key, value) { await slow(); if (data.has(key)) return false; data.set(key, value); return true; },
      async delete(key) { data.delete(key); },
    };
    // Each client has its own in-process locks, as each process of a fleet
    // does; the calls are interleaved so that the thread pool runs several
    // clients at once (without add, 4 fetches of each here).
    const clients = Array.from({ length: 8 }, () => new wxpay.Client(sim.clientOptions({ tokenStore: store })));
    await Promise.all(Array.from({ length: 4 }, (_, i) => clients.map((c) => c.jssdkConfig(`https://shop.example/${i}`, ['chooseWXPay']))).flat());
    assert.equal(sim.stats().token_fetches, 1);
    assert.equal(sim.stats().ticket_fetches, 1);
    assert.ok(![...data.keys()].some((k) => k.endsWith(':lock')), 'every lock released');
    assert.throws(() => new wxpay.Client(sim.clientOptions({ tokenStore: 'http://127.0.0.1:6379' })), (e) => e.code === 'WXPAY_CONFIG');
    const url = new wxpay.Client(sim.clientOptions({ tokenStore: 'redis://127.0.0.1:1/0' }));
    assert.match(await url.accessToken(), /./, 'Redis not answering is no failed call');
  } finally {
    sim.stop();
  }
});

test('metrics count the calls and what reached WeChat', async () => {
  const sim = new Simulator({ timeScale: 0.001 });
  try {
    const client = new wxpay.Client(sim.clientOptions());
    await client.accessToken();
    await client.accessToken();
    const m = client.metrics();
    const token = m.operations.find((o) => o.operation === 'access_token');
    assert.ok(token);
    assert.deepEqual([token.calls, token.outcomes], [2, { ok: 2 }]);
    assert.deepEqual([m.requests, m.token_fetches, m.retries, m.failovers], [1, 1, 0, 0]);
    assert.equal(m.requests, sim.stats().token_fetches);
    assert.match(client.metricsPrometheus(), /wxpay_calls_total\{mch_id="[0-9]+",operation="access_token",outcome="ok"\} 2/);
  } finally {
    sim.stop();
  }
});

test('events: a call line per call at debug, a refused notification with its reason, a bad level refused', async () => {
  const sim = new Simulator({ timeScale: 0.001 });
  /** @type {any[]} */
  const seen = [];
  const listener = (/** @type {any} */ e) => seen.push(e);
  wxpay.events.on('log', listener);
  try {
    const client = new wxpay.Client(sim.clientOptions());
    await client.unifiedOrder({ body: 'b', outTradeNo: 'node-events-1', totalFee: 1, spbillCreateIp: '127.0.0.1',
      notifyUrl: 'http://127.0.0.1:9/n', tradeType: 'JSAPI', openid: sim.openid });
    assert.deepEqual(seen.filter((e) => e.name === 'call'), [], 'info by default: no call lines');
    wxpay.setLogLevel('debug');
    await assert.rejects(client.queryOrder({ outTradeNo: 'node-events-none' }), { kind: 'Business' });
    const call = seen.filter((e) => e.name === 'call');
    assert.equal(call.length, 1, JSON.stringify(seen));
    assert.deepEqual([call[0].level, call[0].fields.operation, call[0].fields.outcome, call[0].fields.err_code],
      ['debug', 'query_order', 'Business', 'ORDERNOTEXIST']);
    assert.ok(seen.some((e) => e.name === 'attempt' && e.fields.call === 'pay/orderquery'));
    const decision = await client.handlePaymentNotify(Buffer.from('<xml><return_code>SUCCESS</return_code></xml>'), () => null);
    assert.equal(decision.status, 'refused');
    const refused = seen.filter((e) => e.name === 'notify_refused');
    assert.deepEqual([refused.length, refused[0].level, refused[0].fields.notification], [1, 'warning', 'payment']);
    assert.throws(() => wxpay.setLogLevel(/** @type {any} */ ('loud')), { name: 'WxPayError', kind: 'InvalidInput' });
    wxpay.setLogLevel('info');
    seen.length = 0;
    await assert.rejects(client.queryOrder({ outTradeNo: 'node-events-none' }), { kind: 'Business' });
    assert.deepEqual(seen, []);
    assert.ok(!JSON.stringify(seen).includes(sim.apiKey));
  } finally {
    wxpay.setLogLevel('info');
    wxpay.events.off('log', listener);
    sim.stop();
  }
});
