import type { ClientOptions } from './index';

export declare const DEFAULTS: { appid: string; mchId: string; apiKey: string; appSecret: string; openid: string };

export declare class Simulator {
  constructor(options?: { timeScale?: number; instantBills?: boolean });
  readonly url: string;
  readonly appid: string;
  readonly mchId: string;
  readonly apiKey: string;
  readonly appSecret: string;
  readonly openid: string;
  clientOptions(extra?: Partial<ClientOptions>): ClientOptions;
  stats(): Record<string, number>;
  notifications(): { id: number; kind: string; out_trade_no: string; url: string; status: string; body: string;
    attempts: { attempt: number; at_ms: number; http_status: number | null; reply: string; acknowledged: boolean }[] }[];
  order(outTradeNo: string): Record<string, unknown> | null;
  addFault(path: string, kind: 'delay' | 'reset' | 'http_error' | 'truncate' | 'bad_sign' | 'systemerror', count?: number, delayMs?: number): void;
  stop(): void;
}
