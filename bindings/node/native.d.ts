// The addon (wxpay.node) as index.js and testing.js use it: one string or
// Buffer in, one string out. Internal, not part of the package's API;
// test/types.test.js checks it against the loaded addon.

export interface Native {
  NativeSigner: new (key: string, signType: string | undefined) => NativeSigner;
  NativeClient: new (optionsJson: string, storeBridge?: ((request: string | Error) => void) | null) => NativeClient;
  NativeClientV3: new (optionsJson: string) => NativeClientV3;
  setErrorClass(errorClass: new (details: any) => Error): void;
  eventsPending(): boolean;
  takeEvents(): string;
  setEventLevel(level: string): void;
  payParamNames(): string;
  verify(paramsJson: string, key: string, signType: string | undefined): boolean;
  toXml(paramsJson: string): string;
  toSignedXml(paramsJson: string, key: string, signType: string | undefined): string;
  fromXml(data: Buffer): string;
  jssdkSignature(jsapiTicket: string, noncestr: string, timestamp: number, url: string): string;
  decryptReqInfo(reqInfo: string, apiKey: string): string;
  notifyAck(): string;
  notifyFail(message: string): string;
  storeReply(id: number, replyJson: string): void;
  /** A deliberate panic for the tests: 'sync' throws, 'async' rejects, 'callback' calls back with the error. */
  selftestPanic(place: string, callback?: (error: Error) => void): Promise<void> | undefined;
}

export interface NativeSigner {
  sign(paramsJson: string): string;
  /** null: the text did not split into `count` pairs; send JSON instead. */
  signFields(scratch: Uint8Array, len: number, count: number): string | null;
  /** The signed request XML for the same input; null as for signFields. */
  signedXmlFields(scratch: Uint8Array, len: number, count: number): string | null;
}

export interface NativeClient {
  readonly appid: string;
  readonly mchId: string;
  call(op: string, argsJson: string): Promise<string>;
  callSync(op: string, argsJson: string): string;
  callBody(op: string, body: Buffer, argsJson: string): string;
  callBodyAsync(op: string, body: Buffer, argsJson: string): Promise<{ json: string; error?: Error }>;
  bridgeParams(prepayId: string): string;
  jssdkParams(prepayId: string): string;
  appParams(prepayId: string): string;
}

export interface NativeClientV3 {
  readonly mchid: string;
  readonly appid: string;
  call(op: string, argsJson: string): Promise<string>;
  callSync(op: string, argsJson: string): string;
  callBody(op: string, body: Buffer, argsJson: string): Promise<string>;
  callBodyIfReady(op: string, body: Buffer, argsJson: string): string | null;
}

/** The simulator addon (wxpay-testing.node), loaded only by testing.js. */
export interface NativeTesting {
  NativeSimulator: new (timeScale: number | undefined, instantBills: boolean, v3Keys?: string) => NativeSimulator;
}

export interface NativeSimulator {
  readonly url: string;
  identityJson(): string;
  listenTls(host: string, port: number): string;
  tlsFilesJson(): string;
  statsJson(): string;
  notificationsJson(): string;
  orderJson(outTradeNo: string): string;
  addFault(path: string, kind: string, count: number, delayMs: number): void;
  miniLogin(openid: string | null, errcode: number | null): string;
  payJson(paramsJson: string): string;
  stop(): void;
}
