'use strict';
// A panic in the addon must never unwind into Node, which would abort the
// process: each kind of entry point — a sync call, a call on a wxpay worker,
// a threadsafe-function callback (how token-store requests reach
// JavaScript) — turns it into a WxPayError of kind Internal, and the
// process goes on serving.
const test = require('node:test');
const assert = require('node:assert/strict');

const wxpay = require('..');
const { addonPath } = require('../addon');

const native = require(addonPath('wxpay.node'));
const internal = { code: 'WXPAY_INTERNAL', kind: 'Internal' };

test('a panic in a sync call is thrown as Internal', () => {
  assert.throws(() => native.selftestPanic('sync'), (e) => e instanceof wxpay.WxPayError && e.code === internal.code);
  assert.equal(wxpay.notifyAck().includes('SUCCESS'), true, 'the addon still answers');
});

test('a panic on a worker rejects the promise as Internal', async () => {
  await assert.rejects(native.selftestPanic('async'), (e) => e instanceof wxpay.WxPayError && e.code === internal.code
    && e.message.includes('a panic was caught'));
  // Many at once, and the workers are still there afterwards.
  const all = await Promise.allSettled(Array.from({ length: 20 }, () => native.selftestPanic('async')));
  assert.ok(all.every((r) => r.status === 'rejected' && r.reason.code === internal.code));
  assert.equal(wxpay.sign({ a: '1' }, '192006250b4c09247ec02edce69f6a2d', 'MD5').length, 32);
});

test('a panic in a threadsafe callback reaches the callback as Internal', async () => {
  const got = await new Promise((resolve) => native.selftestPanic('callback', resolve));
  assert.ok(got instanceof wxpay.WxPayError, String(got));
  assert.equal(got.code, internal.code);
});

test('an unknown place is an input error, not a crash', () => {
  assert.throws(() => native.selftestPanic('elsewhere'), { code: 'WXPAY_INVALID_INPUT' });
});
