'use strict';
// Mini-program login from Node: tests/vectors/mini_program.json against the
// in-process simulator (wx.login() codes from Simulator#miniLogin).
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const wxpay = require('..');
const { Simulator } = require('../testing');

const CASES = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../tests/vectors/mini_program.json'), 'utf8')).cases;

test('the shared mini-program login vectors (tests/vectors/mini_program.json)', async () => {
  assert.ok(CASES.length >= 7);
  const sim = new Simulator({ timeScale: 0.001 });
  try {
    for (const c of CASES) {
      const extra = c.app_secret === undefined ? {} : { appSecret: c.app_secret };
      const client = new wxpay.Client({ ...sim.clientOptions(), ...extra });
      const code = c.login ? sim.miniLogin(c.login) : c.code;
      const before = sim.stats().jscode2session;
      for (const want of c.expect) {
        if (want.ok) {
          const session = await client.jscode2session(code);
          assert.equal(session.openid, want.ok.openid, c.name);
          assert.ok(typeof session.session_key === 'string' && session.session_key.length > 0, c.name);
          assert.deepEqual(Object.keys(session).sort(), ['openid', 'session_key', 'unionid'], c.name);
        } else {
          await assert.rejects(client.jscode2session(code), (e) => {
            assert.ok(e instanceof wxpay.WxPayError, c.name);
            assert.equal(e.kind, want.error.kind, `${c.name}: ${e.message}`);
            if (want.error.errcode !== undefined) assert.equal(e.errcode, want.error.errcode, c.name);
            if (want.error.field !== undefined) assert.equal(e.field, want.error.field, c.name);
            if (c.app_secret) assert.ok(!e.message.includes(c.app_secret), c.name);
            return true;
          });
        }
      }
      assert.equal(sim.stats().jscode2session - before, c.sent, c.name);
    }
    assert.throws(() => sim.miniLogin({ errcode: 40001 }), /40226 or 45011/);
  } finally {
    sim.stop();
  }
});
