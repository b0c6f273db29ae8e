// The WinterTC Sockets API (`connect`, `Socket`) over the component's non-blocking exports.
// Everything about the connection (address syntax, resolution, connection attempts, buffering,
// half-close) happens in the component; this file only turns its pollables into promises and its
// calls into WHATWG streams, following the spec's text for each attribute and method.
import type { sockets } from '../component/wasi-connect.js';
import { SocketError, fromComponentError, stateError } from './errors.js';
import {
  type TlsSocketOptions, type StartTlsOptions, type TlsChoices,
  tlsChoicesOf, startTlsChoices, tlsOptionsRecord, checkAlpn, extraTrustAnchors, warn,
} from './tls-options.js';
import { guard, type GuardedSocket } from './guard.js';

/** The component's exported interface, as a jco bundle offers it (ours, or one on another WASI host). */
export type Backend = typeof sockets;
type RawSocket = sockets.Socket;

export type SecureTransportKind = 'off' | 'on' | 'starttls';

export interface SocketAddress {
  hostname: string;
  port: number;
}
export type AnySocketAddress = string | SocketAddress;

export interface SocketOptions extends TlsSocketOptions {
  /**
   * "off" (default), "on" or "starttls"; any other value throws SocketError INVALID_OPTION. Typed
   * to accept a `string` as well, as @cloudflare/workers-types' SocketOptions does.
   */
  secureTransport?: SecureTransportKind | (string & {});
  /** Default false: a FIN from the peer also ends the writable side and closes the socket. */
  allowHalfOpen?: boolean;
  /** TLS Server Name Indication; only with secureTransport "on" or "starttls". */
  sni?: string | null;
  /** ALPN protocol names; only with secureTransport "on" or "starttls". */
  alpn?: readonly string[];
  /** Extension (as in workerd): bytes the writable stream queues before `ready` waits. Default 64 KiB. */
  highWaterMark?: number | bigint;
  /** Extension: milliseconds until `opened` rejects with TIMED_OUT (name lookup, connecting, TLS handshake). Default: no limit. */
  connectTimeout?: number;
}

export interface SocketInfo {
  /** The address connected, as "ip:port" ("[v6]:port"). Always given by this package's host. */
  remoteAddress?: string;
  /** The local end, as "ip:port"; absent (undefined, as in workerd) if the host cannot tell. */
  localAddress?: string;
  /** The protocol the server chose from `alpn`, else null (always present on this package's sockets). */
  alpn?: string | null;
  /** Extension, TLS sockets only: what was negotiated and whom it authenticated. */
  tls?: TlsInfo;
}

/** Extension of SocketInfo for TLS sockets. */
export interface TlsInfo {
  /** "TLSv1.3" or "TLSv1.2". */
  version: string;
  /** IANA name, e.g. "TLS_CHACHA20_POLY1305_SHA256". */
  cipherSuite: string;
  /** Key exchange group: "x25519", "secp256r1" or "secp384r1". */
  group: string;
  /** The server's handshake signature scheme, e.g. "ecdsa_secp256r1_sha256" ("" when resumed). */
  signatureScheme: string;
  /** True when the session was resumed from a ticket. */
  resumed: boolean;
  /** True when the chain and the name were verified (false only with rejectUnauthorized: false). */
  verified: boolean;
  /** The certificates the server sent (DER), leaf first. */
  peerCertificates: Uint8Array[];
  /** Subjects of the verified path, leaf first, ending at the trust anchor. */
  chainSubjects: string[];
}

/** What a Socket needs to know beyond its raw socket. */
interface SocketSetup {
  secureTransport: SecureTransportKind;
  allowHalfOpen: boolean;
  highWaterMark: number;
  connectTimeout: number;
  tls: TlsChoices;
  backend: Backend;
}

/** Largest read asked of the component for a default reader. */
const READ_SIZE = 64 * 1024;
const DEFAULT_HIGH_WATER_MARK = 64 * 1024;
/** Largest slice of a chunk copied into the component per write call. */
const WRITE_SLICE = 1024 * 1024;

type HostPollable = { whenReady?: (f: () => void) => void; wait?: () => Promise<void>; block(): void };

/**
 * Calls `f` once the pollable is ready (`fail` if waiting threw). On this package's host the
 * pollable itself calls back from the event that made it ready (a socket's `data`, `connect`,
 * write callback...), so `f` runs inside that event, with no chain of promise jobs in between.
 * Every `f` here settles a promise, so calling it at once (a pollable already ready) or while a
 * component call is on the stack (a host import can fire a signal) is safe: what waits on the
 * promise runs in a later job either way. Any other WASI host (e.g. preview2-shim in a worker
 * thread) is waited on with its own `wait()` or `block()`.
 */
function onReady(p: sockets.Pollable, f: () => void, fail: (e: unknown) => void): void {
  const h = p as unknown as HostPollable;
  if (typeof h.whenReady === 'function') return h.whenReady(f);
  const waited = typeof h.wait === 'function' ? h.wait() : Promise.resolve().then(() => h.block());
  waited.then(f, fail);
}

/** Waits for one pollable (kept: the socket's read and write pollables are reused). */
function waitOn(p: sockets.Pollable): Promise<void> {
  return new Promise<void>((resolve, reject) => onReady(p, resolve, reject));
}

/** Waits until any of the pollables is ready, then drops them all. */
function waitAny(list: sockets.Pollable[]): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let done = false;
    const settle = (e?: unknown): void => {
      if (done) return;
      done = true;
      list.forEach(dropPollable);
      if (e === undefined) resolve();
      else reject(e);
    };
    for (const p of list) {
      if (done) break; // one was ready at once and all are dropped: wait on none of the rest
      onReady(p, settle, (e) => settle(e ?? new Error('waiting failed')));
    }
  });
}

function dropPollable(p: sockets.Pollable | null): void {
  (p as unknown as { [Symbol.dispose]?: () => void } | null)?.[Symbol.dispose]?.();
}

const markHandled = <T>(p: Promise<T>): Promise<T> => {
  p.catch(() => {});
  return p;
};

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk;
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (chunk instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && chunk instanceof SharedArrayBuffer)) {
    return new Uint8Array(chunk);
  }
  // Extension: the spec's own example writes a string; strings are sent as UTF-8.
  if (typeof chunk === 'string') return new TextEncoder().encode(chunk);
  throw new SocketError(
    `writable accepts ArrayBuffer, ArrayBufferView or string chunks, not ${chunk === null ? 'null' : typeof chunk}`,
    'INVALID_CHUNK',
  );
}

function chunkSize(chunk: unknown): number {
  if (typeof chunk === 'string') return chunk.length;
  const n = (chunk as { byteLength?: unknown })?.byteLength;
  return typeof n === 'number' ? n : 1;
}

interface Deferred<T> {
  promise: Promise<T>;
  resolve(v: T): void;
  reject(e: unknown): void;
  settled: boolean;
}
function deferred<T>(): Deferred<T> {
  const d = { settled: false } as Deferred<T>;
  d.promise = markHandled(
    new Promise<T>((res, rej) => {
      d.resolve = (v) => {
        if (!d.settled) { d.settled = true; res(v); }
      };
      d.reject = (e) => {
        if (!d.settled) { d.settled = true; rej(e); }
      };
    }),
  );
  return d;
}

/** A socket, as created by connect(). Not constructible directly. */
export class Socket {
  readonly #raw: RawSocket;
  readonly #opened = deferred<SocketInfo>();
  readonly #closed = deferred<void>();
  readonly #options: SocketSetup;
  /**
   * The streams are made on first access of `readable` / `writable` (a socket that is opened and
   * closed without them pays nothing for them). Until then, how each one ended is kept here and
   * given to it when it is made: `'closed'`, or `{ error }`.
   */
  #readable: ReadableStream<Uint8Array> | null = null;
  #writable: WritableStream<unknown> | null = null;
  #readController: ReadableByteStreamController | null = null;
  #writeController: WritableStreamDefaultController | null = null;
  #readEnd: 'closed' | { error: unknown } | null = null;
  #writeEnd: { error: unknown } | null = null;
  #readableDone = false;
  #writableDone = false;
  #released = false;
  /** The open socket's read and write pollables, kept for every wait (pollables are reusable). */
  #readPollable: sockets.Pollable | null = null;
  /**
   * Plaintext only: the last read returned fewer bytes than asked, so it took all the host had.
   * Until the read pollable is ready the component's read could only say would-block, so the next
   * pull waits on the pollable first instead of making that call. (Over TLS the component may hold
   * decrypted bytes the host's pollable knows nothing of: there read() is always asked first.)
   */
  #hostDrained = false;
  #writePollable: sockets.Pollable | null = null;
  /** Why the socket ended (close reason or failure), for operations still in flight. */
  #endReason: unknown = undefined;
  #upgraded = false;
  #startTlsCalled = false;
  #writesInFlight = 0;
  #writesIdle: (() => void) | null = null;

  /** @internal use connect() */
  constructor(raw: RawSocket, options: SocketSetup) {
    this.#raw = raw;
    // behind the guard (src/guard.ts): if the component instance faults, this socket fails with it
    (raw as Partial<GuardedSocket>).onFault?.((err) => this.#fail(err), this);
    this.#options = options;
    void this.#open();
  }

  /** The bytes the peer sends (a byte stream: BYOB readers work). */
  get readable(): ReadableStream<Uint8Array> {
    return (this.#readable ??= new ReadableStream(
      {
        type: 'bytes',
        start: (c) => {
          this.#readController = c;
          const end = this.#readEnd;
          if (end === 'closed') c.close();
          else if (end !== null) c.error(end.error);
        },
        pull: (c) => this.#pull(c),
        cancel: () => {
          // Cancelling the readable stops reading; it does not close the socket (spec).
          this.#readableDone = true;
        },
      },
      { highWaterMark: 0 },
    ));
  }

  /** Bytes to send: ArrayBuffer, ArrayBufferView or string (UTF-8) chunks. */
  get writable(): WritableStream<unknown> {
    return (this.#writable ??= new WritableStream(
      {
        start: (c) => {
          this.#writeController = c;
          if (this.#writeEnd !== null) c.error(this.#writeEnd.error);
        },
        write: (chunk) => this.#write(chunk),
        close: () => this.#closeWrite(),
        abort: () => this.#closeWrite(),
      },
      { highWaterMark: this.#options.highWaterMark, size: chunkSize },
    ));
  }

  /** Resolves with SocketInfo once connected; rejects with a SocketError if connecting fails. */
  get opened(): Promise<SocketInfo> {
    return this.#opened.promise;
  }
  /** Resolves when the socket closes; rejects with a SocketError if it fails. */
  get closed(): Promise<void> {
    return this.#closed.promise;
  }
  /** True once startTls() has upgraded this socket (the upgraded socket is a new object). */
  get upgraded(): boolean {
    return this.#upgraded;
  }
  /** The secureTransport this socket was created with (as in workerd). */
  get secureTransport(): SecureTransportKind {
    return this.#options.secureTransport;
  }

  async #open(): Promise<void> {
    const raw = this.#raw;
    // connect() returns a pending socket even on a host whose connect completes synchronously.
    await null;
    if (this.#released) return;
    try {
      for (;;) {
        const st = raw.pollOpen();
        if (st.tag === 'pending') {
          await waitAny(st.val);
          continue;
        }
        if (st.tag === 'opened') {
          const info: SocketInfo = {
            remoteAddress: st.val.remoteAddress || undefined,
            localAddress: st.val.localAddress || undefined,
            alpn: st.val.alpn ?? null,
          };
          if (this.#options.secureTransport === 'on') {
            const t = raw.tlsInfo();
            if (t) info.tls = t;
            const log = this.#options.tls.keyLog;
            if (log) for (const line of raw.takeKeylog()) log(line);
          }
          this.#opened.resolve(info);
        } else {
          this.#fail(fromComponentError(st.val));
        }
        return;
      }
    } catch (e) {
      this.#fail(fromComponentError(e));
    }
  }

  async #pull(c: ReadableByteStreamController): Promise<void> {
    const raw = this.#raw;
    if (this.#released) return;
    if (!this.#opened.settled) {
      // Spec order: opened resolves before any byte is delivered.
      try {
        await this.#opened.promise;
      } catch {
        return; // the failure has errored this stream already
      }
    }
    const byob = c.byobRequest;
    const max = byob?.view ? byob.view.byteLength : READ_SIZE;
    if (this.#hostDrained) {
      this.#hostDrained = false;
      await this.#waitReadable(raw);
    }
    for (;;) {
      if (this.#readableDone || this.#released) return;
      let res: ReturnType<RawSocket['read']>;
      try {
        res = raw.read(max);
      } catch (e) {
        const end = (e as { payload?: { tag?: string } }).payload;
        if (end?.tag === 'eof') return this.#onEof();
        return this.#fail(fromComponentError(e));
      }
      if (res.tag === 'would-block') {
        await this.#waitReadable(raw);
        continue;
      }
      const data = res.val;
      this.#hostDrained = data.length < max && this.#options.secureTransport !== 'on';
      if (byob?.view) {
        new Uint8Array(byob.view.buffer, byob.view.byteOffset, byob.view.byteLength).set(data);
        byob.respond(data.length);
      } else {
        c.enqueue(data as Uint8Array<ArrayBuffer>);
      }
      return;
    }
  }

  /** Ends the readable normally, once (a readable made later starts closed). */
  #closeReadable(): void {
    if (this.#readableDone) return;
    this.#readableDone = true;
    const c = this.#readController;
    if (c === null) {
      this.#readEnd = 'closed';
      return;
    }
    try {
      c.close();
      c.byobRequest?.respond(0);
    } catch {
      // already closed or errored
    }
  }

  /** Errors the readable, once (a readable made later starts errored). */
  #errorReadable(error: unknown): void {
    if (this.#readableDone) return;
    this.#readableDone = true;
    if (this.#readController !== null) this.#readController.error(error);
    else this.#readEnd = { error };
  }

  /** FIN from the peer. */
  async #onEof(): Promise<void> {
    this.#closeReadable();
    if (this.#options.allowHalfOpen) return;
    // allowHalfOpen false: the writable side and the socket close too. The component has already
    // queued our FIN behind any buffered bytes; let writes in flight finish, then drain.
    this.#endWritable(stateError('the peer closed the connection and allowHalfOpen is false', 'CLOSED'));
    await this.#writesSettled();
    try {
      await this.#drain();
    } catch (e) {
      return this.#fail(fromComponentError(e));
    }
    this.#release();
    this.#closed.resolve();
  }

  #writesSettled(): Promise<void> {
    if (this.#writesInFlight === 0) return Promise.resolve();
    return new Promise((r) => (this.#writesIdle = r));
  }

  /**
   * Ends the writable stream from the socket's side. It is errored with `reason` (a SocketError
   * CLOSED), never closed: a later write then rejects with that error on every runtime, where a
   * closed stream makes Node 20's WritableStream throw ERR_INTERNAL_ASSERTION synchronously.
   * Once; a writable made later starts errored.
   */
  #endWritable(reason: unknown): void {
    if (this.#writableDone) return;
    this.#writableDone = true;
    if (this.#writeController !== null) this.#writeController.error(reason);
    else this.#writeEnd = { error: reason };
  }

  /** Throws why the socket ended, once it has: for operations that were waiting when it did. */
  #throwIfEnded(): void {
    if (this.#released) throw this.#endReason ?? stateError('the socket is closed', 'CLOSED');
  }

  async #write(chunk: unknown): Promise<void> {
    const raw = this.#raw;
    const bytes = toBytes(chunk);
    this.#throwIfEnded();
    this.#writesInFlight++;
    try {
      let off = 0;
      let buffered = 0;
      while (off < bytes.length) {
        // hand over at most WRITE_SLICE per call: the component takes at most its buffer plus the
        // host's room anyway, and copying a huge remainder in on every turn would be quadratic
        const r = raw.write(bytes.length - off <= WRITE_SLICE ? (off === 0 ? bytes : bytes.subarray(off)) : bytes.subarray(off, off + WRITE_SLICE));
        off += r.accepted;
        buffered = r.buffered;
        if (off < bytes.length) {
          await this.#waitWritable(raw);
          this.#throwIfEnded();
        }
      }
      // the write is done when the host has every byte; only a backlog needs flushing
      if (buffered > 0) await this.#drain();
    } catch (e) {
      throw this.#released && e === this.#endReason ? e : fromComponentError(e);
    } finally {
      if (--this.#writesInFlight === 0 && this.#writesIdle) {
        this.#writesIdle();
        this.#writesIdle = null;
      }
    }
  }

  /** Waits on the open socket's kept read pollable. */
  #waitReadable(raw: RawSocket): Promise<void> {
    return waitOn(this.#readPollable ??= raw.subscribeRead());
  }

  /** Waits until writing may progress: on the socket's kept pollable once open; before that, until it opens (or fails). */
  #waitWritable(raw: RawSocket): Promise<void> {
    if (!this.#opened.settled) return this.#opened.promise.then(() => {}, () => {});
    return waitOn(this.#writePollable ??= raw.subscribeWrite());
  }

  /** Waits until the component has handed every buffered byte (and a due FIN) to the host. */
  async #drain(): Promise<void> {
    const raw = this.#raw;
    this.#throwIfEnded();
    while (!raw.flush()) {
      await this.#waitWritable(raw);
      this.#throwIfEnded();
    }
  }

  async #closeWrite(): Promise<void> {
    this.#writableDone = true;
    const raw = this.#raw;
    if (this.#released) return;
    try {
      raw.shutdownWrite();
      await this.#drain();
    } catch (e) {
      throw this.#released && e === this.#endReason ? e : fromComponentError(e);
    }
  }

  /** Connection failure or error: one SocketError everywhere (spec, connect() step 7). */
  #fail(err: SocketError): void {
    if (!this.#released) this.#endReason = err;
    this.#opened.reject(err);
    this.#closed.reject(err);
    this.#errorReadable(err);
    this.#endWritable(err);
    this.#release();
  }

  #release(): void {
    if (this.#released) return;
    this.#released = true;
    // pollables are children of the streams: drop them before the streams go
    dropPollable(this.#readPollable);
    dropPollable(this.#writePollable);
    this.#readPollable = this.#writePollable = null;
    this.#raw.close();
    (this.#raw as unknown as Disposable)[Symbol.dispose]();
  }

  /**
   * Closes the socket and its connection. The readable is cancelled and the writable aborted
   * with `reason`; a pending `opened` rejects with it. Returns the `closed` promise.
   */
  close(reason?: unknown): Promise<void> {
    if (this.#closed.settled) return this.#closed.promise;
    const err = reason ?? stateError('the socket was closed', 'CLOSED');
    this.#endReason = err;
    this.#opened.reject(err);
    if (reason === undefined) this.#closeReadable();
    else this.#errorReadable(reason);
    this.#endWritable(err);
    this.#release();
    this.#closed.resolve();
    return this.#closed.promise;
  }

  /**
   * Opportunistic TLS (spec: startTls()). Returns a new Socket whose `opened` resolves once the
   * TLS handshake over this connection is complete and verified. This socket becomes `upgraded`:
   * its streams end at once, and its `closed` resolves when the new socket's `opened` settles;
   * bytes already written are sent first, in plaintext.
   * Options (extension): `expectedServerHostname` (workerd) or `servername`, `ca`,
   * `rejectUnauthorized`, `alpn` / `ALPNProtocols`, `keyLog`; each overrides connect()'s.
   */
  startTls(options?: StartTlsOptions): Socket {
    if (this.#options.secureTransport !== 'starttls') {
      throw new SocketError('startTls() needs a socket created with secureTransport: "starttls"', 'STARTTLS_NOT_ALLOWED');
    }
    if (this.#startTlsCalled || this.#upgraded) {
      throw new SocketError('startTls() was already called on this socket', 'STARTTLS_NOT_ALLOWED');
    }
    const choices = startTlsChoices(this.#options.tls, options);
    if (this.#released) throw this.#endReason instanceof SocketError ? this.#endReason : stateError('the socket is closed', 'CLOSED');
    this.#startTlsCalled = true;
    prepareTls(this.#options.backend);
    let raw: RawSocket;
    try {
      raw = this.#raw.startTls(tlsOptionsRecord(choices));
    } catch (e) {
      throw fromComponentError(e);
    }
    this.#upgraded = true;
    // This socket is done: its streams end, its pollables go (the connection lives on in `raw`).
    const reason = stateError('the socket was upgraded with startTls(); use the socket it returned', 'CLOSED');
    this.#endReason = reason;
    this.#closeReadable();
    this.#endWritable(reason);
    this.#release();
    const upgradedTo = new Socket(raw, { ...this.#options, secureTransport: 'on', tls: choices });
    // This socket's `closed` resolves once the upgrade is over (the new socket's `opened` settles),
    // never synchronously inside startTls(): drivers written for workerd, where it resolves only
    // after the old writable is flushed, set up the new socket's writer and reader after
    // startTls() returns and expect that to come first (postgres.js's Workers build treats an
    // early `closed` as the connection closing and never sees the upgrade).
    const done = () => this.#closed.resolve();
    upgradedTo.opened.then(done, done);
    return upgradedTo;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `Socket { secureTransport: '${this.#options.secureTransport}', upgraded: ${this.#upgraded} }`;
  }
}

// ------------------------------------------------------------------ connect()

const SECURE_TRANSPORTS: readonly string[] = ['off', 'on', 'starttls'];

function checkPort(port: unknown): number {
  const n = typeof port === 'string' && /^[0-9]+$/.test(port) ? Number(port) : port;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65535) {
    throw new SocketError(`port ${JSON.stringify(port)} is not an integer from 1 to 65535`, 'INVALID_ADDRESS');
  }
  return n;
}

function parseAddress(backend: Backend, address: unknown): { hostname: string; port: number } {
  if (typeof address === 'string') {
    try {
      const [hostname, port] = backend.parseAddress(address);
      return { hostname, port };
    } catch (e) {
      throw fromComponentError(e);
    }
  }
  if (address !== null && typeof address === 'object') {
    const { hostname, port } = address as Partial<SocketAddress>;
    if (typeof hostname !== 'string' || hostname.length === 0) {
      throw new SocketError('address.hostname must be a non-empty string', 'INVALID_ADDRESS');
    }
    return { hostname, port: checkPort(port) };
  }
  throw new SocketError('address must be a "host:port" string or a { hostname, port } object', 'INVALID_ADDRESS');
}

function checkOptions(options: unknown): Omit<SocketSetup, 'backend'> {
  if (options === undefined || options === null) {
    return { secureTransport: 'off', allowHalfOpen: false, highWaterMark: DEFAULT_HIGH_WATER_MARK, connectTimeout: 0, tls: tlsChoicesOf({}, [], false) };
  }
  if (typeof options !== 'object') throw new SocketError('options must be an object', 'INVALID_OPTION');
  const o = options as SocketOptions;
  const secureTransport = o.secureTransport === undefined ? 'off' : String(o.secureTransport);
  if (!SECURE_TRANSPORTS.includes(secureTransport)) {
    throw new SocketError(`secureTransport must be "off", "on" or "starttls", not ${JSON.stringify(o.secureTransport)}`, 'INVALID_OPTION');
  }
  const tls = secureTransport !== 'off';
  let sni: string | undefined;
  if (o.sni !== undefined && o.sni !== null) {
    if (!tls) throw new SocketError('sni may only be given with secureTransport "on" or "starttls"', 'INVALID_OPTION');
    if (typeof o.sni !== 'string' || o.sni.length === 0) throw new SocketError('sni must be a non-empty string', 'INVALID_OPTION');
    sni = o.sni;
  }
  const alpn = checkAlpn(o.alpn);
  if (alpn.length > 0 && !tls) throw new SocketError('alpn may only be given with secureTransport "on" or "starttls"', 'INVALID_OPTION');
  let highWaterMark = DEFAULT_HIGH_WATER_MARK;
  if (o.highWaterMark !== undefined) {
    // a bigint too, as workerd takes (its type is number | bigint)
    const hwm = typeof o.highWaterMark === 'bigint' ? Number(o.highWaterMark) : o.highWaterMark;
    if (typeof hwm !== 'number' || !(hwm >= 0) || !Number.isFinite(hwm)) {
      throw new SocketError('highWaterMark must be a finite number >= 0 (or a bigint)', 'INVALID_OPTION');
    }
    highWaterMark = hwm;
  }
  let connectTimeout = 0;
  if (o.connectTimeout !== undefined && o.connectTimeout !== null) {
    if (typeof o.connectTimeout !== 'number' || !Number.isFinite(o.connectTimeout) || o.connectTimeout <= 0 || o.connectTimeout > 0xffffffff) {
      throw new SocketError('connectTimeout must be a positive number of milliseconds', 'INVALID_OPTION');
    }
    connectTimeout = Math.ceil(o.connectTimeout);
  }
  return {
    secureTransport: secureTransport as SecureTransportKind,
    allowHalfOpen: Boolean(o.allowHalfOpen),
    highWaterMark,
    connectTimeout,
    tls: tlsChoicesOf({ ...o, sni }, alpn, tls),
  };
}

const preparedBackends = new WeakSet<Backend>();
/** Once per component instance, before its first TLS socket: the runtime's extra trust anchors. */
function prepareTls(backend: Backend): void {
  if (preparedBackends.has(backend)) return;
  preparedBackends.add(backend);
  const extra = extraTrustAnchors();
  if (!extra) return;
  try {
    backend.addTrustAnchors(extra.bytes);
  } catch (e) {
    warn(`wasi-connect: ignoring extra certificates from ${extra.file}: ${fromComponentError(e).message.replace(/^SocketError: /, '')}`);
  }
}

/** The spec's connect(), bound to a component instance. */
export type Connect = (address: AnySocketAddress, options?: SocketOptions) => Socket;

/** Every call into the component goes through the guard (src/guard.ts). */
export function bindConnect(backend: Backend): Connect {
  const guarded = guard(backend);
  return (address, options) => connectWith(guarded, address, options);
}

/**
 * Opens a TCP connection (spec: connect()). Returns at once with a pending socket; throws a
 * SocketError synchronously for a malformed address or an invalid option.
 */
function connectWith(backend: Backend, address: AnySocketAddress, options?: SocketOptions): Socket {
  const { hostname, port } = parseAddress(backend, address);
  const opts = checkOptions(options);
  if (opts.secureTransport === 'on') prepareTls(backend);
  let raw: RawSocket;
  try {
    raw = backend.connect(hostname, port, {
      secureTransport: opts.secureTransport,
      allowHalfOpen: opts.allowHalfOpen,
      tls: tlsOptionsRecord(opts.tls),
      connectTimeoutMs: opts.connectTimeout,
    });
  } catch (e) {
    throw fromComponentError(e);
  }
  return new Socket(raw, { ...opts, backend });
}
