'use strict';
// Every file in tests/vectors/ through the Node API.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const wxpay = require('..');

const DIR = path.join(__dirname, '..', '..', '..', 'tests', 'vectors');
const load = (name) => JSON.parse(fs.readFileSync(path.join(DIR, name), 'utf8')).cases;
const bytes = (c, key) => (c[`${key}_base64`] ? Buffer.from(c[`${key}_base64`], 'base64') : Buffer.from(c[key], 'utf8'));

function outcome(name, expect, fn) {
  if (expect.error) {
    assert.throws(fn, (e) => {
      assert.ok(e instanceof wxpay.WxPayError, `${name}: ${e}`);
      assert.equal(e.kind, expect.error.kind, name);
      if (expect.error.reason) assert.equal(e.reason, expect.error.reason, name);
      if (expect.error.err_code) assert.equal(e.errCode, expect.error.err_code, name);
      if (expect.error.retryable !== undefined) assert.equal(e.retryable, expect.error.retryable, name);
      return true;
    }, name);
    return undefined;
  }
  return fn();
}

async function outcomeAsync(name, expect, fn) {
  if (expect.error) {
    await assert.rejects(fn, (e) => {
      assert.ok(e instanceof wxpay.WxPayError, `${name}: ${e}`);
      assert.equal(e.kind, expect.error.kind, name);
      if (expect.error.reason) assert.equal(e.reason, expect.error.reason, name);
      if (expect.error.err_code) assert.equal(e.errCode, expect.error.err_code, name);
      return true;
    });
    return undefined;
  }
  return fn();
}

const clientFor = (m, extra = {}) => new wxpay.Client({ appid: m.appid, mchId: m.mch_id, apiKey: m.api_key,
  signType: m.sign_type, baseUrl: 'http://127.0.0.1:9', ...extra });

test('every vector file has a Node test', () => {
  assert.deepEqual(fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort(), ['bill.json', 'counter.json', 'fund_flow.json', 'jssdk.json',
    'mini_program.json', 'native.json', 'notify.json', 'oauth.json', 'operations.json', 'pay_params.json', 'profit_sharing.json', 'reconcile.json', 'refund_notify.json', 'replies.json', 'sign.json', 'verify.json',
    'xml.json', 'xml_roundtrip.json']);
});

test('sign', () => {
  for (const c of load('sign.json')) {
    const got = outcome(c.name, c.expect, () => wxpay.sign(c.params, c.key, c.sign_type));
    if (c.expect.ok) assert.equal(got, c.expect.ok, c.name);
  }
});

test('verify', () => {
  for (const c of load('verify.json')) {
    assert.equal(wxpay.verify(c.params, c.key, c.sign_type), Boolean(c.expect.ok), c.name);
  }
});

test('fromXml', () => {
  for (const c of load('xml.json')) {
    const got = outcome(c.name, c.expect, () => wxpay.fromXml(bytes(c, 'input')));
    if (c.expect.ok) {
      assert.deepEqual(got, c.expect.ok, c.name);
      if (c.input !== undefined) assert.deepEqual(wxpay.fromXml(c.input), c.expect.ok, `${c.name} as a string`);
    }
  }
});

test('toXml round trips', () => {
  for (const c of load('xml_roundtrip.json')) {
    const got = outcome(c.name, c.expect || {}, () => wxpay.fromXml(wxpay.toXml(c.fields)));
    if (!c.expect) assert.deepEqual(got, c.fields, c.name);
  }
});

test('jssdkSignature', () => {
  for (const c of load('jssdk.json')) {
    const got = outcome(c.name, c.expect, () => wxpay.jssdkSignature(c.jsapi_ticket, c.noncestr, c.timestamp, c.url));
    if (c.expect.ok) assert.equal(got, c.expect.ok, c.name);
  }
});

test('pay params (shape and signature; time and nonce are the library\'s own)', () => {
  for (const c of load('pay_params.json')) {
    const m = c.merchant;
    const client = clientFor(m);
    const method = { bridge: 'jsapiParams', jssdk: 'jssdkPayParams', app: 'appPayParams' }[c.shape];
    const got = outcome(c.name, c.expect, () => client[method](c.prepay_id));
    if (!c.expect.ok) continue;
    // Names and their order as WeChat's pages expect them (the native side
    // sends values only, in this order).
    assert.deepEqual(Object.keys(got), Object.keys(c.expect.ok), c.name);
    assert.equal(got.package, c.shape === 'app' ? 'Sign=WXPay' : `prepay_id=${c.prepay_id}`, c.name);
    assert.equal(c.shape === 'app' ? got.prepayid : undefined, c.shape === 'app' ? c.prepay_id : undefined, c.name);
    assert.equal(got.signType, c.shape === 'app' ? undefined : m.sign_type, c.name);
    assert.match(got.timeStamp ?? got.timestamp, /^\d{10}$/, c.name);
    const signField = c.shape === 'app' ? 'sign' : 'paySign';
    const fields = { ...got };
    delete fields[signField];
    if (c.shape === 'jssdk') {
      fields.appId = m.appid;
      fields.timeStamp = fields.timestamp;
      delete fields.timestamp;
    }
    assert.equal(wxpay.sign(fields, m.api_key, m.sign_type), got[signField], c.name);
  }
});

test('payment notifications', () => {
  for (const c of load('notify.json')) {
    const client = clientFor(c.merchant);
    const body = bytes(c, 'body');
    const got = outcome(c.name, c.expect, () => client.verifyPaymentNotify(body));
    if (!c.expect.ok) continue;
    assert.equal(got.paid, c.expect.ok.paid, c.name);
    assert.equal(got.out_trade_no, c.expect.ok.out_trade_no, c.name);
    assert.equal(got.transaction_id, c.expect.ok.transaction_id, c.name);
    assert.equal(got.total_fee, c.expect.ok.total_fee, c.name);
    assert.deepEqual(got.raw, wxpay.fromXml(body), c.name);
    if (c.expected_total_fee !== undefined) {
      outcome(`${c.name} amount`, c.amount_expect, () => client.verifyPaymentNotify(body, c.expected_total_fee));
    }
  }
});

test('refund notifications', () => {
  for (const c of load('refund_notify.json')) {
    const got = outcome(c.name, c.expect, () => (c.req_info
      ? wxpay.decryptReqInfo(c.req_info, c.api_key)
      : clientFor(c.merchant).parseRefundNotify(c.body).info));
    if (c.expect.ok) assert.deepEqual(got, c.expect.ok, c.name);
    if (c.req_info) continue;
    // The one-call handler decides the same bodies.
    const d = clientFor(c.merchant).handleRefundNotify(c.body);
    if (c.expect.ok) {
      assert.equal(d.status, c.expect.ok.refund_status === 'SUCCESS' ? 'refunded' : 'not_refunded', c.name);
      assert.deepEqual(d.refund?.info, c.expect.ok, c.name);
      assert.ok(d.reply === wxpay.notifyAck() && d.error === null, c.name);
    } else {
      assert.equal(d.status, 'refused', c.name);
      assert.ok(d.error instanceof wxpay.WxPayError && d.error.kind === c.expect.error.kind, c.name);
      assert.equal(wxpay.fromXml(d.reply).return_code, 'FAIL', c.name);
    }
  }
});

test('oauth authorize URL', () => {
  for (const c of load('oauth.json')) {
    const client = new wxpay.Client({ appid: c.appid, mchId: '10000100', apiKey: '192006250b4c09247ec02edce69f6a2d',
      openBaseUrl: c.base_url });
    const got = outcome(c.name, c.expect, () => client.oauthAuthorizeUrl(c.redirect_uri, c.scope, c.state ?? undefined));
    if (c.expect.ok) assert.equal(got, c.expect.ok, c.name);
  }
});

/** A WeChat that always answers with the same body. */
async function canned() {
  let body = Buffer.alloc(0);
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end(body));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}`, set: (b) => { body = b; }, close: () => server.close() };
}

test('pay API replies, checked against the request', async () => {
  const server = await canned();
  try {
    for (const c of load('replies.json')) {
      server.set(Buffer.from(c.body));
      const client = clientFor(c.merchant, { baseUrl: server.url, retries: 0 });
      const r = c.request;
      // The sub-merchant a provider calls for, when the vector names one.
      const sub = r.sub_mch_id ? { subMchId: r.sub_mch_id, ...(r.sub_appid ? { subAppid: r.sub_appid } : {}) } : undefined;
      const run = {
        unifiedorder: () => client.unifiedOrder({ body: 'shop', outTradeNo: r.out_trade_no, totalFee: 10000,
          spbillCreateIp: '127.0.0.1', notifyUrl: 'https://shop.example/notify', openid: 'openid', tradeType: r.trade_type,
          ...(r.trade_type === 'NATIVE' ? { productId: 'p1' } : {}), ...sub }),
        orderquery: () => client.queryOrder({ outTradeNo: r.out_trade_no, ...sub }),
        closeorder: () => client.closeOrder(r.out_trade_no, sub),
        refundquery: () => client.queryRefund({ outTradeNo: r.out_trade_no, ...sub }),
        refund: () => client.refund({ outTradeNo: r.out_trade_no, outRefundNo: r.out_refund_no, totalFee: r.total_fee,
          refundFee: r.refund_fee, ...sub }),
        micropay: () => client.micropay({ body: 'counter', outTradeNo: r.out_trade_no, totalFee: r.total_fee,
          spbillCreateIp: '127.0.0.1', authCode: r.auth_code, ...sub }),
        authcodetoopenid: async () => ({ openid: await client.authCodeToOpenid(r.auth_code, sub) }),
      }[c.api];
      const got = await outcomeAsync(c.name, c.expect, run);
      if (!c.expect.ok) continue;
      for (const [k, v] of Object.entries(c.expect.ok)) {
        let value = got[k];
        if (k === 'refunds') {
          value = got.refunds.map((x) => ({ out_refund_no: x.out_refund_no, refund_fee: x.refund_fee,
            refund_status: x.refund_status, coupons: x.coupons.length }));
        }
        assert.deepEqual(value, v, `${c.name}: ${k}`);
      }
    }
  } finally {
    server.close();
  }
});

test('bills', async () => {
  const server = await canned();
  try {
    for (const c of load('bill.json')) {
      server.set(bytes(c, 'body'));
      const client = new wxpay.Client({ appid: 'wxd930ea5d5a258f4f', mchId: '10000100',
        apiKey: '192006250b4c09247ec02edce69f6a2d', baseUrl: server.url, retries: 0 });
      const bill = await outcomeAsync(c.name, c.expect, () => client.downloadBill({ billDate: '20240102' }));
      if (!c.expect.ok) continue;
      assert.equal(bill.columns.length, c.expect.ok.columns, c.name);
      assert.equal(bill.rows.length, c.expect.ok.rows, c.name);
      assert.equal(bill.no_bill, c.expect.ok.no_bill, c.name);
      if (c.expect.ok.first_row) assert.deepEqual(bill.rows[0], c.expect.ok.first_row, c.name);
      assert.deepEqual(bill.summary, c.expect.ok.summary, c.name);
    }
  } finally {
    server.close();
  }
});

test('fund flows', async () => {
  const server = await canned();
  try {
    for (const c of load('fund_flow.json')) {
      server.set(bytes(c, 'body'));
      const client = new wxpay.Client({ appid: 'wxd930ea5d5a258f4f', mchId: '10000100',
        apiKey: '192006250b4c09247ec02edce69f6a2d', baseUrl: server.url, retries: 0 });
      const flow = await outcomeAsync(c.name, c.expect, () => client.downloadFundFlow('20180201'));
      if (!c.expect.ok) continue;
      assert.equal(flow.no_bill, c.expect.ok.no_bill, c.name);
      assert.equal(flow.columns.length, c.expect.ok.columns, c.name);
      assert.equal(flow.rows.length, c.expect.ok.rows, c.name);
      if (c.expect.ok.first_row) assert.deepEqual(flow.rows[0], c.expect.ok.first_row, c.name);
      assert.deepEqual(flow.totals, c.expect.ok.totals, c.name);
    }
  } finally {
    server.close();
  }
});

// The binding draws its own time and nonce: the rest as the vector says,
// and an MD5 signature with the merchant's key.
test('native mode one', () => {
  const skip = new Set(['nonce_str', 'sign', 'time_stamp']);
  const without = (o) => Object.fromEntries(Object.entries(o).filter(([k]) => !skip.has(k)));
  const prefix = 'weixin://wxpay/bizpayurl?';
  const query = (link) => Object.fromEntries(link.slice(prefix.length).split('&').map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
  const kinds = new Set();
  for (const c of load('native.json')) {
    kinds.add(c.kind);
    const client = clientFor(c.merchant);
    const call = {
      qr_link: () => client.nativeQrLink(c.product_id),
      scan_callback: () => client.verifyScanCallback(bytes(c, 'body')),
      scan_reply: () => client.nativeScanReply(c.prepay_id),
      scan_refusal: () => client.nativeScanRefusal(c.message),
    }[c.kind];
    const got = outcome(c.name, c.expect, call);
    if (!c.expect.ok) continue;
    if (c.kind === 'qr_link') {
      assert.ok(got.startsWith(prefix), c.name);
      const params = query(got);
      assert.deepEqual(Object.keys(params).sort(), Object.keys(query(c.expect.ok)).sort(), c.name);
      assert.deepEqual(without(params), without(query(c.expect.ok)), c.name);
      assert.equal(wxpay.verify(params, c.merchant.api_key, 'MD5'), true, c.name);
    } else if (c.kind === 'scan_callback') {
      assert.deepEqual({ openid: got.openid, product_id: got.product_id, is_subscribe: got.is_subscribe }, c.expect.ok, c.name);
    } else {
      const fields = wxpay.fromXml(got);
      assert.equal(wxpay.verify(fields, c.merchant.api_key, 'MD5'), true, c.name);
      assert.deepEqual(without(fields), without(c.expect.ok), c.name);
    }
  }
  assert.equal(kinds.size, 4);
});

// The day fed in pieces through an open reconciliation: the bill 7 bytes at
// a time, the records two by two (or the CSV 5 bytes at a time); closed
// whatever happens.
function reconcileStreaming(client, c, csv) {
  const id = client.reconcileStart({ memoryMib: 1 });
  try {
    const bill = bytes(c, 'bill');
    for (let i = 0; i < bill.length; i += 7) client.reconcileBill(bill.subarray(i, i + 7), id);
    if (csv) {
      const text = Buffer.from(c.shop_csv, 'utf8');
      for (let i = 0; i < text.length; i += 5) client.reconcileShopCsv(text.subarray(i, i + 5), id);
    } else {
      for (let i = 0; i < c.records.length; i += 2) client.reconcileShop(id, c.records.slice(i, i + 2));
    }
  } catch (e) {
    try { client.reconcileFinish(id); } catch { /* closed either way */ }
    throw e;
  }
  return client.reconcileFinish(id);
}

test('reconcile', () => {
  const client = clientFor({ appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', api_key: '192006250b4c09247ec02edce69f6a2d',
    sign_type: 'MD5' });
  for (const c of load('reconcile.json')) {
    const runs = [['at once', () => client.reconcile(bytes(c, 'bill'), c.records)],
      ['streamed', () => reconcileStreaming(client, c, false)]];
    if (c.shop_csv) runs.push(['streamed CSV', () => reconcileStreaming(client, c, true)]);
    for (const [how, run] of runs) {
      const got = outcome(`${c.name} (${how})`, c.expect, run);
      if (c.expect.ok) assert.deepEqual(got, c.expect.ok, `${c.name} (${how})`);
    }
  }
  // Nothing was left open: the client has room for all 16 it may hold.
  const open = Array.from({ length: 16 }, () => client.reconcileStart({}));
  assert.throws(() => client.reconcileStart({}), (e) => e.kind === 'InvalidInput');
  for (const id of open) assert.throws(() => client.reconcileFinish(id), /no bill/);
});
