'use strict';
// tests/vectors/security/: the notify handler's decisions, and the catalogue's references.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const wxpay = require('..');

const DIR = path.join(__dirname, '..', '..', '..', 'tests', 'vectors');
const load = (name) => JSON.parse(fs.readFileSync(path.join(DIR, name), 'utf8')).cases;

test('every security file has a Node test', () => {
  assert.deepEqual(fs.readdirSync(path.join(DIR, 'security')).sort(), ['catalogue.json', 'decisions.json', 'faults.json', 'notify_handler.json']);
});

test('the notify handler decides as the fixtures say', async () => {
  const cases = load('security/notify_handler.json');
  assert.ok(cases.length >= 15);
  for (const c of cases) {
    const client = new wxpay.Client(c.merchant);
    const asked = [];
    const d = await client.handlePaymentNotify(c.body, async (no) => { asked.push(no); return c.order; });
    const e = c.expect;
    assert.equal(d.status, e.status, c.name);
    assert.equal(wxpay.fromXml(d.reply).return_code, e.reply, c.name);
    assert.equal(d.out_trade_no, e.out_trade_no, c.name);
    const paidClaim = e.out_trade_no !== null && e.status !== 'not_paid';
    assert.deepEqual(asked, paidClaim ? [e.out_trade_no] : [], c.name);
    if (!e.error) {
      assert.equal(d.error, null, c.name);
    } else {
      assert.ok(d.error instanceof wxpay.WxPayError, c.name);
      assert.deepEqual([d.error.kind, d.error.retryable, d.error.field, d.error.reason],
        [e.error.kind, e.error.retryable, e.error.field, e.error.reason], c.name);
    }
    assert.equal((await client.settlePaymentNotify(c.body, c.order)).status, e.status, c.name);
  }
});

test('every catalogue reference names a vector case', () => {
  const catalogue = load('security/catalogue.json');
  assert.deepEqual(catalogue.map((c) => c.id), Array.from({ length: 120 }, (_, i) => i + 1));
  for (const entry of catalogue) {
    for (const reference of entry.vectors ?? []) {
      const [file, name] = [reference.slice(0, reference.indexOf('#')), reference.slice(reference.indexOf('#') + 1)];
      assert.ok(load(file).some((c) => c.name === name), `${entry.name}: ${reference}`);
    }
  }
});
