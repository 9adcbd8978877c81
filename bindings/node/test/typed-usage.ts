// A small shop module written against index.d.ts; types.test.js compiles it
// with `tsc --strict --noEmit`, so a wrong or missing declaration fails.
import { Client, ClientV3, WxPayError, fromXml, notifyAck, notifyFail, sign, verify, type PaymentNotify, type NotifyDecision, type ShopOrder } from '../index';
import type { PrepayAnswer, JsapiPayParamsV3, TransactionV3, NotifyDecisionV3 } from '../types';
import { Simulator } from '../testing';

export async function checkout(client: Client, openid: string, outTradeNo: string, totalFee: number) {
  const order = await client.unifiedOrder({ body: 'Shop-Books', outTradeNo, totalFee, spbillCreateIp: '127.0.0.1', openid,
    attach: 'cart-1', timeExpire: '20991231235959', extra: { goods_tag: 'wx' } });
  const params = client.jsapiParams(order.prepay_id);
  const paySign: string = params.paySign;
  const config = await client.jssdkConfig('https://shop.example/pay', ['chooseWXPay']);
  return { params, paySign, config };
}

export async function notifyRoute(client: Client, body: Buffer, orders: Map<string, ShopOrder>): Promise<string> {
  const decision: NotifyDecision = await client.handlePaymentNotify(body, async (no) => orders.get(no) ?? null);
  if (decision.status === 'paid' && decision.out_trade_no !== null) {
    orders.set(decision.out_trade_no, { totalFee: decision.total_fee ?? 0, transactionId: decision.transaction_id });
  } else if (decision.error !== null && decision.error.code === 'WXPAY_SIGNATURE') {
    console.warn('forged notification', decision.error.message);
  }
  return decision.reply;
}

export async function handleNotify(client: Client, body: Buffer, expected: number): Promise<string> {
  try {
    const note: PaymentNotify = client.verifyPaymentNotify(body, expected);
    const confirmed = await client.confirmPayment(note);
    return confirmed.trade_state === 'SUCCESS' ? notifyAck() : notifyFail('not paid');
  } catch (e) {
    if (e instanceof WxPayError) return notifyFail(e.retryable ? 'retry later' : e.code);
    throw e;
  }
}

export function signatures(): boolean {
  const s = sign({ appid: 'wxd930ea5d5a258f4f', total_fee: 1 }, '192006250b4c09247ec02edce69f6a2d', 'HMAC-SHA256');
  const fields: Record<string, string> = fromXml(`<xml><a>1</a><sign>${s}</sign></xml>`);
  return verify(fields, '192006250b4c09247ec02edce69f6a2d', 'HMAC-SHA256');
}

export function client(sim: Simulator): Client {
  return new Client(sim.clientOptions({ timeout: 5, retries: 1 }));
}

export async function v3Checkout(client: ClientV3, headers: Record<string, string>, body: Buffer): Promise<number> {
  const answer: PrepayAnswer = await client.prepay({ kind: 'jsapi', description: 'Tea', outTradeNo: 'order-0001', total: 1500, openid: 'o1' });
  const params: JsapiPayParamsV3 = client.jsapiParams(answer.prepay_id ?? '');
  const order: TransactionV3 = await client.queryOrder({ outTradeNo: 'order-0001', total: 1500 });
  const decision: NotifyDecisionV3 = await client.handlePaymentNotify(headers, body, () => ({ totalFee: order.total, transactionId: null }));
  if (decision.error) return decision.error.retryable ? 500 : 401;
  await client.closeOrder('order-0002');
  return params.signType === 'RSA' ? decision.http_status : 0;
}
