'use strict';
// The shop as it runs in production: `node server.js` under node:cluster
// with three workers sharing a token directory and the order book. Six
// shoppers pay with one access_token and one jsapi_ticket fetched in all;
// six concurrent deliveries of one payment fulfil it once; workers keeping
// tokens to themselves are warned about; a Redis store that is down shows in
// the log and in /health while checkout goes on.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const net = require('node:net');
const { spawn } = require('node:child_process');

const wxpay = require('wxpaykit');
const { Simulator } = require('wxpaykit/testing');

const SERVER = path.join(__dirname, '..', 'server.js');

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** One request on a connection of its own, so the cluster's round robin spreads them. */
function request(url, { method = 'GET', body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const until = async (check, ms = 20000) => {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
};

async function startShop(sim, env) {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxpay-cluster-'));
  const url = `http://127.0.0.1:${port}`;
  const proc = spawn(process.execPath, [SERVER], {
    env: { ...process.env, PORT: String(port), WXPAY_SIM_URL: sim.url, SHOP_ORDERS_DIR: path.join(dir, 'orders'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  proc.stdout.on('data', (d) => { log += d; });
  proc.stderr.on('data', (d) => { log += d; });
  const workers = Number(env.SHOP_WORKERS);
  assert.ok(await until(() => (log.match(/shop listening on/g) || []).length === workers), log);
  return {
    url, dir, proc,
    log: () => log,
    workersThat: (what) => new Set([...log.matchAll(new RegExp(`^worker (\\d+): ${what}`, 'gm'))].map((m) => m[1])),
    stop: () => new Promise((resolve) => { proc.on('exit', resolve); proc.kill('SIGTERM'); }),
  };
}

/** A shopper: the checkout through OAuth in the simulated WeChat, cookies kept by hand. */
async function checkout(shop) {
  const jar = new Map();
  const get = async (url) => {
    const res = await request(url, { headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
    for (const c of res.headers['set-cookie'] || []) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      jar.set(pair.slice(0, i), pair.slice(i + 1));
    }
    return res;
  };
  let res = await get(`${shop.url}/checkout/book`);
  for (let hops = 0; res.status === 302 && hops < 5; hops++) {
    const next = res.headers.location.split('#')[0];
    res = await get(next.startsWith('/') ? shop.url + next : next);
  }
  assert.equal(res.status, 200, res.text);
  return JSON.parse(res.text);
}

const pay = async (sim, params) => JSON.parse((await request(`${sim.url}/sim/jsapi/pay`, { method: 'POST',
  body: JSON.stringify(params), headers: { 'Content-Type': 'application/json' } })).text);

const status = async (shop, no) => JSON.parse((await request(`${shop.url}/orders/${no}/status`)).text);

const fulfilled = (shop, no) => {
  const file = path.join(shop.dir, 'orders', 'fulfilments.log');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter((l) => l === no).length : 0;
};

test('three cluster workers pay six shoppers with one token, and record concurrent deliveries once', async () => {
  const sim = new Simulator({ timeScale: 0.001 });
  const tokens = fs.mkdtempSync(path.join(os.tmpdir(), 'wxpay-cluster-tokens-'));
  const shop = await startShop(sim, { SHOP_WORKERS: '3', WXPAY_TOKEN_DIR: tokens });
  try {
    const pages = await Promise.all(Array.from({ length: 6 }, () => checkout(shop)));
    assert.ok(shop.workersThat('order .* placed').size >= 2, shop.log());
    for (const page of pages) assert.equal((await pay(sim, page.payParams)).err_msg, 'get_brand_wcpay_request:ok');
    for (const page of pages) {
      assert.ok(await until(async () => (await status(shop, page.outTradeNo)).status === 'PAID'), page.outTradeNo);
      assert.equal(fulfilled(shop, page.outTradeNo), 1);
    }
    const stats = sim.stats();
    assert.deepEqual([stats.token_fetches, stats.ticket_fetches], [1, 1], JSON.stringify(stats));
    assert.doesNotMatch(shop.log(), /token store is/, 'no worker keeps tokens to itself');

    // Six deliveries of one payment at once, as if the shop had not recorded it yet.
    const no = pages[0].outTradeNo;
    const { body } = sim.notifications().find((n) => n.out_trade_no === no);
    fs.unlinkSync(path.join(shop.dir, 'orders', `${no}.paid`));
    const log = path.join(shop.dir, 'orders', 'fulfilments.log');
    fs.writeFileSync(log, fs.readFileSync(log, 'utf8').split('\n').filter((l) => l && l !== no).map((l) => `${l}\n`).join(''));
    const before = shop.log().length;
    const replies = await Promise.all(Array.from({ length: 6 }, () => request(`${shop.url}/wxpay/notify`,
      { method: 'POST', body, headers: { 'Content-Type': 'text/xml' } })));
    assert.deepEqual(replies.map((r) => r.text), Array(6).fill(wxpay.notifyAck()));
    assert.equal((await status(shop, no)).status, 'PAID');
    assert.equal(fulfilled(shop, no), 1);
    // The first delivery was logged earlier, perhaps by another worker: count only these six.
    const paidLines = shop.log().slice(before).split('\n').filter((l) => l.includes(`order ${no} paid`));
    assert.equal(paidLines.length, 1, shop.log().slice(before));
  } finally {
    await shop.stop();
    sim.stop();
  }
});

test('cluster workers without a shared token store are warned about', async () => {
  const sim = new Simulator({ timeScale: 0.001 });
  const shop = await startShop(sim, { SHOP_WORKERS: '2' });
  try {
    assert.equal(shop.workersThat('wxpay: the token store is its own memory').size, 2, shop.log());
  } finally {
    await shop.stop();
    sim.stop();
  }
});

test('a Redis token store that is down shows in the log and in /health, and checkout goes on', async () => {
  const sim = new Simulator({ timeScale: 0.001 });
  const shop = await startShop(sim, { SHOP_WORKERS: '2', WXPAY_TOKEN_STORE: `redis://127.0.0.1:${await freePort()}/0` });
  try {
    for (let i = 0; i < 4; i++) assert.ok((await checkout(shop)).payParams.paySign);
    const served = shop.workersThat('order .* placed');
    const seen = new Map();
    assert.ok(await until(async () => {
      const health = JSON.parse((await request(`${shop.url}/health`)).text);
      seen.set(String(health.pid), health.tokenStore);
      return [...served].every((pid) => seen.has(pid));
    }), JSON.stringify([...seen]));
    for (const pid of served) {
      const store = seen.get(pid);
      assert.equal(store.store, 'redis');
      assert.equal(store.healthy, false);
      assert.match(store.error, /token store/);
    }
    assert.ok(await until(() => shop.workersThat('wxpay: token store').size === served.size), shop.log());
    assert.doesNotMatch(shop.log(), /192006250b4c09247ec02edce69f6a2d|wxpaysim0app0secret/);
  } finally {
    await shop.stop();
    sim.stop();
  }
});
