'use strict';
/**
 * An Express shop taking WeChat Pay JSAPI payments.
 *
 *   GET  /checkout/:product        OAuth for the openid, then a unified order for the
 *                                  server-side price; answers the page's pay params
 *   GET  /oauth/callback           checks the signed `state` against this browser, exchanges the code
 *   POST /wxpay/notify             the notify handler, done the way WeChat asks
 *   GET  /orders/:no/status        order status
 *
 * Orders live in a Map here; a real shop keeps them in its database and
 * changes their state in a transaction.
 */
const crypto = require('node:crypto');
const express = require('express');
const wxpay = require('wxpay');

const PRODUCTS = { book: { name: 'wxpay 实战', totalFee: 990 }, mug: { name: 'Mug', totalFee: 2500 } };

function cookies(req) {
  return Object.fromEntries((req.headers.cookie || '').split(';').filter(Boolean).map((c) => {
    const i = c.indexOf('=');
    return [c.slice(0, i).trim(), decodeURIComponent(c.slice(i + 1).trim())];
  }));
}

function createApp({ client, shopUrl }) {
  const app = express();
  const orders = new Map();
  const fulfilments = [];

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
      orders.set(outTradeNo, order);
      const reply = await client.unifiedOrder({ body: `wxpay-shop-${product.name}`, outTradeNo, totalFee: order.totalFee,
        spbillCreateIp: req.ip.replace(/^::ffff:/, ''), openid });
      order.prepayId = reply.prepay_id;
      return res.json({
        outTradeNo,
        totalFee: order.totalFee,
        payParams: client.jsapiParams(reply.prepay_id),
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
  const findOrder = (outTradeNo) => {
    const order = orders.get(outTradeNo);
    return order ? { totalFee: order.totalFee, transactionId: order.transactionId || null } : null;
  };

  app.post('/wxpay/notify', express.raw({ type: () => true, limit: '64kb' }), async (req, res) => {
    // Verify, compare with our order, confirm with orderquery, and the reply to send.
    const decision = await client.handlePaymentNotify(req.body, findOrder);
    if (decision.status === 'paid') {
      const order = orders.get(decision.out_trade_no);
      if (order.status !== 'PAID') { // concurrent duplicates mark it once
        order.status = 'PAID';
        order.transactionId = decision.transaction_id;
        fulfilments.push(order.outTradeNo);
      }
    } else if (decision.status === 'refused') {
      console.warn(`notify refused: ${decision.error.code}: ${decision.error.message}`);
    }
    res.type('text/xml').send(decision.reply);
  });

  app.get('/orders/:no/status', (req, res) => {
    const order = orders.get(req.params.no);
    if (!order) return res.status(404).json({ error: 'no such order' });
    return res.json({ outTradeNo: order.outTradeNo, status: order.status, totalFee: order.totalFee,
      transactionId: order.transactionId || null });
  });

  app.use((err, req, res, next) => { // eslint-disable-line no-unused-vars
    res.status(502).json({ error: err.code || 'error', message: err.message, retryable: Boolean(err.retryable) });
  });

  return { app, orders, fulfilments };
}

module.exports = { createApp, PRODUCTS };
