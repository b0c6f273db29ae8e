// wasi-connect/tls-testing: a TEST-ONLY door that drives the component's TLS client engine
// (assembly/tls) in memory, with no sockets: server bytes in, client records out, an injected
// clock, and (for RFC 8448 replays) an injected client random, key share and ClientHello. It runs
// in the test-only core module built from the same sources as the component (crypto-testing.wasm).
import { instantiateRaw, placeIn, type Exports } from './crypto-testing.js';

/** The WIT error-code names, by index (assembly/net/errors.ts). */
export const ERROR_CODES = [
  'INVALID_ADDRESS', 'INVALID_ARGUMENT', 'NAME_UNRESOLVABLE', 'TEMPORARY_RESOLVER_FAILURE', 'CONNECTION_REFUSED',
  'CONNECTION_RESET', 'CONNECTION_ABORTED', 'REMOTE_UNREACHABLE', 'TIMED_OUT', 'ACCESS_DENIED', 'TOO_MANY_OPEN_FILES',
  'OUT_OF_MEMORY', 'INVALID_STATE', 'CLOSED', 'IO_ERROR', 'TLS_CERTIFICATE_UNTRUSTED', 'TLS_CERTIFICATE_EXPIRED',
  'TLS_CERTIFICATE_NOT_YET_VALID', 'TLS_HOSTNAME_MISMATCH', 'TLS_CERTIFICATE_INVALID', 'TLS_ALERT', 'TLS_PROTOCOL_ERROR',
  'TLS_VERSION_UNSUPPORTED', 'TLS_HANDSHAKE_FAILURE', 'INTERNAL_ERROR',
] as const;

export const FLAG_NO_VERIFY = 1;
export const FLAG_KEYLOG = 4;

export interface TlsClientOptions {
  /** Server name (SNI and reference identity), or ip (4 or 16 bytes). */
  name?: string;
  ip?: Uint8Array;
  alpn?: string[];
  /** PEM text to trust instead of the built-in anchors. */
  ca?: string;
  verify?: boolean;
  keylog?: boolean;
  /** Unix seconds the certificate checks use. */
  now: number;
  /**
   * RFC 8448 replays: the client random, X25519 private key and ClientHello to use. For a
   * HelloRetryRequest replay `fixedKey` may go on with the private key of the second key share
   * (bytes after the first 32) and `fixedHello` with the second ClientHello (a second handshake
   * message right after the first).
   */
  fixedRandom?: Uint8Array;
  fixedKey?: Uint8Array;
  fixedHello?: Uint8Array;
}

export type TlsStatus = 'handshaking' | 'open' | 'failed' | 'closed-by-peer';
const STATUS: TlsStatus[] = ['handshaking', 'open', 'failed', 'closed-by-peer'];

/** One module instance, shared by the clients of a test file (one engine at a time). */
let shared: Exports | null = null;

/** A TLS client engine in memory. Creating a new one replaces the previous one. */
export class TestTlsClient {
  readonly #w: Exports;

  constructor(o: TlsClientOptions) {
    const w = (this.#w = shared ??= instantiateRaw());
    const enc = new TextEncoder();
    w.tlsSetNow(BigInt(Math.floor(o.now)));
    const fixed = [o.fixedRandom ?? new Uint8Array(0), o.fixedKey ?? new Uint8Array(0), o.fixedHello ?? new Uint8Array(0)];
    let p = placeIn(w, fixed, 0).ptrs;
    w.tlsFix(p[0], fixed[0].length, p[1], fixed[1].length, p[2], fixed[2].length);
    const name = o.ip ?? enc.encode(o.name ?? '');
    const alpn = new Uint8Array((o.alpn ?? []).flatMap((a) => [enc.encode(a).length, ...enc.encode(a)]));
    const ca = enc.encode(o.ca ?? '');
    p = placeIn(w, [name, alpn, ca], 0).ptrs;
    const flags = (o.verify === false ? FLAG_NO_VERIFY : 0) | (o.keylog ? FLAG_KEYLOG : 0);
    if (w.tlsNew(flags, p[0], name.length, o.ip ? 1 : 0, p[1], alpn.length, p[2], ca.length) !== 0) {
      throw new Error(`tlsNew: ${this.#string(w.tlsMessage())}`);
    }
  }

  #string(ptr: number): string {
    const mem = this.#w.memory.buffer;
    const bytes = new Uint32Array(mem, ptr - 4, 1)[0];
    return new TextDecoder('utf-16le').decode(new Uint8Array(mem, ptr, bytes));
  }

  /** Queues the ClientHello. */
  start(): void {
    this.#w.tlsStart();
  }

  /** Feeds bytes from the server. */
  feed(bytes: Uint8Array): void {
    const { ptrs } = placeIn(this.#w, [bytes], 0);
    this.#w.tlsFeed(ptrs[0], bytes.length);
  }

  /** Takes every record queued for the server. */
  output(): Uint8Array {
    const n = this.#w.tlsOutputLen();
    const { out } = placeIn(this.#w, [], n);
    const got = this.#w.tlsTakeOutput(out, n);
    return new Uint8Array(this.#w.memory.buffer, out, got).slice();
  }

  get status(): TlsStatus {
    return STATUS[this.#w.tlsStatus()];
  }

  /** The failure: code, alert we sent (-1: none), message. */
  get failure(): { code: string; alert: number; message: string } | null {
    const c = this.#w.tlsFailureCode();
    if (c < 0) return null;
    return { code: ERROR_CODES[c], alert: this.#w.tlsFailureAlert(), message: this.#string(this.#w.tlsMessage()) };
  }

  /** The test module's linear memory size (for leak checks). */
  get memoryBytes(): number { return this.#w.memory.buffer.byteLength; }

  get suite(): number { return this.#w.tlsSuite(); }
  get group(): number { return this.#w.tlsGroup(); }
  get signatureScheme(): number { return this.#w.tlsSigScheme(); }

  /** Encrypts application data into records (read them with output()). */
  write(data: Uint8Array): void {
    const { ptrs } = placeIn(this.#w, [data], 0);
    this.#w.tlsWrite(ptrs[0], data.length);
  }

  /** All decrypted application data available now. */
  read(): Uint8Array {
    const chunks: Uint8Array[] = [];
    for (;;) {
      const { out } = placeIn(this.#w, [], 65536);
      const n = this.#w.tlsRead(out, 65536);
      if (n === 0) break;
      chunks.push(new Uint8Array(this.#w.memory.buffer, out, n).slice());
    }
    const all = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
    let o = 0;
    for (const c of chunks) { all.set(c, o); o += c.length; }
    return all;
  }

  keyUpdate(request: boolean): void { this.#w.tlsKeyUpdate(request ? 1 : 0); }
  closeNotify(): void { this.#w.tlsCloseNotify(); }
  keylog(): string[] { const s = this.#string(this.#w.tlsKeylog()); return s ? s.split('\n') : []; }
}
