'use strict';
/**
 * An Express shop taking WeChat Pay JSAPI payments.
 *
 *   GET  /checkout/:product        OAuth for the openid, then a unified order for the
 *                                  server-side price; answers the page's pay params
 *   GET  /oauth/callback           checks the signed `state` against this browser, exchanges the code
 *   POST /wxpay/notify             the notify handler, done the way WeChat asks
 *   POST /wxpay/v3/notify          the same for API v3 (with `clientV3`: orders then go through v3)
 *   GET  /orders/:no/status        order status
 *
 * Orders live in `book` (orders.js): in this process by default, in files
 * every worker sees under node:cluster; a real shop keeps them in its
 * database. `log` is where the shop says what it did (console by default).
 */
const crypto = require('node:crypto');
const express = require('express');
const wxpay = require('wxpaykit');
const { memoryBook } = require('./orders');

const PRODUCTS = { book: { name: 'wxpay 实战', totalFee: 990 }, mug: { name: 'Mug', totalFee: 2500 } };

function cookies(req) {
  return Object.fromEntries((req.headers.cookie || '').split(';').filter(Boolean).map((c) => {
    const i = c.indexOf('=');
    return [c.slice(0, i).trim(), decodeURIComponent(c.slice(i + 1).trim())];
  }));
}

function createApp({ client, clientV3 = null, shopUrl, book = memoryBook(), log = console }) {
  const app = express();

  app.get('/checkout/:product', async (req, res, next) => {
    try {
      const product = PRODUCTS[req.params.product];
      if (!product) return res.status(400).json({ error: 'unknown product' });
      const { openid, browser } = cookies(req);
      if (!openid) {
        // The signed state is bound to a random id this browser keeps: a callback replayed
        // in another browser, or an altered state, is refused without any server-side storage.
        const id = browser || crypto.randomBytes(16).toString('hex');
        res.cookie('browser', id, { httpOnly: true, sameSite: 'lax' });
        res.cookie('after_oauth', req.path, { httpOnly: true, sameSite: 'lax' });
        return res.redirect(client.oauthAuthorizeUrl(`${shopUrl}/oauth/callback`, undefined, client.oauthState(id)));
      }
      const outTradeNo = `ex${Date.now()}${crypto.randomBytes(4).toString('hex')}`;
      const order = { outTradeNo, product: req.params.product, totalFee: product.totalFee, openid, status: 'NOTPAY' };
      await book.create(order);
      let payParams;
      if (clientV3) {
        // API v3: the order as JSON, pay params signed with RSA.
        const answer = await clientV3.prepay({ kind: 'jsapi', description: `wxpay-shop-${product.name}`, outTradeNo,
          total: order.totalFee, openid });
        payParams = clientV3.jsapiParams(answer.prepay_id);
      } else {
        const reply = await client.unifiedOrder({ body: `wxpay-shop-${product.name}`, outTradeNo, totalFee: order.totalFee,
          spbillCreateIp: req.ip.replace(/^::ffff:/, ''), openid });
        payParams = client.jsapiParams(reply.prepay_id);
      }
      log.info(`order ${outTradeNo} placed`);
      return res.json({
        outTradeNo,
        totalFee: order.totalFee,
        payParams,
        wxConfig: await client.jssdkConfig(`${shopUrl}${req.originalUrl}`, ['chooseWXPay']),
      });
    } catch (e) {
      return next(e);
    }
  });

  app.get('/oauth/callback', async (req, res) => {
    const jar = cookies(req);
    try {
      client.checkOauthState(String(req.query.state || ''), jar.browser || '');
    } catch (e) {
      return res.status(400).send('OAuth state does not match this browser');
    }
    try {
      const token = await client.oauthExchangeCode(String(req.query.code || ''));
      res.cookie('openid', token.openid, { httpOnly: true, sameSite: 'lax' });
      const after = jar.after_oauth || '/';
      return res.redirect(after.startsWith('/') && !after.startsWith('//') ? after : '/');
    } catch (e) {
      return res.status(400).send('could not sign you in with WeChat; please try again');
    }
  });

  // Your record of an order, as handlePaymentNotify asks for it.
  const findOrder = async (outTradeNo) => {
    const order = await book.get(outTradeNo);
    return order ? { totalFee: order.totalFee, transactionId: order.transactionId || null } : null;
  };

  app.post('/wxpay/notify', express.raw({ type: () => true, limit: '64kb' }), async (req, res) => {
    // Verify, compare with our order, confirm with orderquery, and the reply to send.
    const decision = await client.handlePaymentNotify(req.body, findOrder);
    if (decision.status === 'paid') {
      // Deliveries of one payment may all come back "paid" (each is confirmed
      // on its own): the book marks it once, and only that one fulfils it.
      if (await book.markPaid(decision.out_trade_no, decision.transaction_id)) {
        log.info(`order ${decision.out_trade_no} paid, transaction ${decision.transaction_id}`);
      }
    } else if (decision.status === 'refused') {
      log.warn(`notify refused: ${decision.error.code}: ${decision.error.message}`);
    }
    res.type('text/xml').send(decision.reply);
  });

  app.post('/wxpay/v3/notify', express.raw({ type: () => true, limit: '64kb' }), async (req, res) => {
    if (!clientV3) return res.status(404).end();
    // API v3: verified over the raw body with req.headers, then the same decisions;
    // WeChat is answered with the status and body decided.
    const decision = await clientV3.handlePaymentNotify(req.headers, req.body, findOrder);
    if (decision.status === 'paid') {
      if (await book.markPaid(decision.out_trade_no, decision.transaction_id)) {
        log.info(`order ${decision.out_trade_no} paid (v3), transaction ${decision.transaction_id}`);
      }
    } else if (decision.status === 'refused') {
      log.warn(`v3 notify refused: ${decision.error.code}: ${decision.error.message}`);
    }
    return res.status(decision.http_status).type('application/json').send(decision.body);
  });

  app.get('/orders/:no/status', async (req, res, next) => {
    try {
      const order = await book.get(req.params.no);
      if (!order) return res.status(404).json({ error: 'no such order' });
      return res.json({ outTradeNo: order.outTradeNo, status: order.status, totalFee: order.totalFee,
        transactionId: order.transactionId || null });
    } catch (e) {
      return next(e);
    }
  });

  // For monitoring: whether this worker's token store answers (a store that
  // does not costs WeChat quota, not sales).
  app.get('/health', (req, res) => res.json({ pid: process.pid, tokenStore: client.tokenStoreHealth() }));

  app.use((err, req, res, next) => { // eslint-disable-line no-unused-vars
    res.status(502).json({ error: err.code || 'error', message: err.message, retryable: Boolean(err.retryable) });
  });

  return { app, book, orders: book.orders, fulfilments: book.fulfilments };
}

module.exports = { createApp, PRODUCTS };
