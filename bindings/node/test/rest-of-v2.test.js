'use strict';
// The rest of v2 end to end from Node against the in-process simulator: a
// printed Native code scanned, ordered by this process's callback server and
// paid; the day's fund flow; the day reconciled with the bill downloaded
// straight into the reconciliation.
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');

const wxpay = require('..');
const { Simulator } = require('../testing');

const today = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10).replaceAll('-', '');

async function listen(handler) {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      try {
        const body = await handler(Buffer.concat(chunks));
        res.writeHead(200, { 'Content-Type': 'text/xml' }).end(body);
      } catch (e) {
        res.writeHead(500).end(String(e));
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}/` };
}

test('a printed code scanned and paid, the fund flow, the day reconciled', async () => {
  const sim = new Simulator({ timeScale: 0.001, instantBills: true });
  const callback = await listen(async (body) => {
    const scan = client.verifyScanCallback(body);
    const order = await client.unifiedOrder({ body: 'Cola', outTradeNo: 'node-native-1', totalFee: 350,
      spbillCreateIp: '127.0.0.1', tradeType: 'NATIVE', productId: scan.product_id, openid: scan.openid,
      notifyUrl: 'http://127.0.0.1:9/n' });
    return client.nativeScanReply(order.prepay_id);
  });
  const client = new wxpay.Client(sim.clientOptions());
  try {
    const link = await client.shortUrl(client.nativeQrLink('cola-330'));
    const scanned = await (await fetch(`${sim.url}/sim/native/scan`, { method: 'POST',
      body: JSON.stringify({ link, callback_url: callback.url }) })).json();
    assert.deepEqual(scanned, { result: 'paid', reason: '', out_trade_no: 'node-native-1' });
    assert.equal((await client.queryOrder({ outTradeNo: 'node-native-1' })).trade_state, 'SUCCESS');
    // A forged callback is refused before any order.
    assert.throws(() => client.verifyScanCallback('<xml><appid>x</appid><sign>00</sign></xml>'),
      (e) => e instanceof wxpay.WxPayError);

    await client.refund({ outTradeNo: 'node-native-1', outRefundNo: 'node-native-1-r', totalFee: 350, refundFee: 100 });
    const flow = await client.downloadFundFlow(today(), 'Basic', true);
    assert.deepEqual(flow.totals, { count: 2, income_count: 1, income_fen: 350, expense_count: 1, expense_fen: 100 });

    const id = client.reconcileStart({ memoryMib: 1 });
    client.reconcileShop(id, [{ outTradeNo: 'node-native-1', totalFee: 350 },
      { outRefundNo: 'node-native-1-r', outTradeNo: 'node-native-1', refundFee: 100 }]);
    await client.reconcileDownloadBill(id, today());
    const report = client.reconcileFinish(id);
    assert.equal(report.balanced, true, JSON.stringify(report));
    assert.deepEqual([report.matched.payment_fen, report.matched.refund_fen], [350, 100]);
  } finally {
    callback.server.close();
    sim.stop();
  }
});
