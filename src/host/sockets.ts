// wasi:sockets (network, instance-network, tcp, tcp-create-socket, ip-name-lookup) on node:net and
// node:dns, which Node, Deno and Bun all provide. Event driven: socket events notify a Signal;
// pollables wait on it. Reading is bounded (the socket is paused when the queue is full) and so is
// writing (check-write reports room below a fixed limit), so a slow peer or a slow reader shows up
// as backpressure, not as memory growth.
import * as net from 'node:net';
import * as dns from 'node:dns';
import { openSync, closeSync } from 'node:fs';
import { devNull } from 'node:os';
import { Buffer } from 'node:buffer';
import { nextTick } from 'node:process';
import {
  Pollable, InputStream, OutputStream, Signal, liveResources, streamFailed,
  type ByteSource, type ByteSink, type StreamError,
} from './io.js';

type ErrorCode =
  | 'unknown' | 'access-denied' | 'not-supported' | 'invalid-argument' | 'out-of-memory' | 'timeout'
  | 'concurrency-conflict' | 'not-in-progress' | 'would-block' | 'invalid-state' | 'new-socket-limit'
  | 'address-not-bindable' | 'address-in-use' | 'remote-unreachable' | 'connection-refused'
  | 'connection-reset' | 'connection-aborted' | 'datagram-too-large' | 'name-unresolvable'
  | 'temporary-resolver-failure' | 'permanent-resolver-failure';

type IpAddressFamily = 'ipv4' | 'ipv6';
type IpAddress = { tag: 'ipv4'; val: [number, number, number, number] } | { tag: 'ipv6'; val: number[] };
type IpSocketAddress =
  | { tag: 'ipv4'; val: { port: number; address: [number, number, number, number] } }
  | { tag: 'ipv6'; val: { port: number; flowInfo: number; address: number[]; scopeId: number } };

/** Bytes queued from the kernel before the socket is paused (read backpressure). */
export const READ_QUEUE_LIMIT = 1024 * 1024;
/** Bytes the host accepts for sending before check-write reports no room (write backpressure). */
export const WRITE_QUEUE_LIMIT = 1024 * 1024;

/** Linux errno values, for runtimes that give `errno` but no `code` (negated, as libuv reports them). */
const ERRNO: Record<number, string> = { 24: 'EMFILE', 23: 'ENFILE', 105: 'ENOBUFS', 12: 'ENOMEM' };

/** Node's error codes to wasi:sockets error-code. */
export function errorCodeOf(err: unknown): ErrorCode {
  // Deno refusing a connect its --allow-net does not cover: a NotCapable error without a code
  const name = (err as Error | null)?.name;
  if (name === 'NotCapable' || name === 'PermissionDenied') return 'access-denied';
  const e = err as NodeJS.ErrnoException | undefined;
  let code = e?.code;
  if (!code && typeof e?.errno === 'number') code = ERRNO[Math.abs(e.errno)];
  switch (code) {
    case 'ECONNREFUSED': return 'connection-refused';
    case 'ECONNRESET': case 'EPIPE': return 'connection-reset';
    case 'ECONNABORTED': return 'connection-aborted';
    case 'ETIMEDOUT': return 'timeout';
    case 'EHOSTUNREACH': case 'ENETUNREACH': case 'EHOSTDOWN': case 'ENETDOWN': case 'EADDRNOTAVAIL':
      return 'remote-unreachable';
    case 'EACCES': case 'EPERM': return 'access-denied';
    case 'EMFILE': case 'ENFILE': return 'new-socket-limit';
    case 'ENOBUFS': case 'ENOMEM': return 'out-of-memory';
    case 'ENOTFOUND': case 'ENODATA': case 'EAI_NONAME': return 'name-unresolvable';
    case 'EAI_AGAIN': return 'temporary-resolver-failure';
    case 'EAI_FAIL': return 'permanent-resolver-failure';
    case 'EAI_MEMORY': return 'out-of-memory';
  }
  const text = String(e?.message ?? '');
  if (/\b(EMFILE|ENFILE)\b|too many open files/i.test(text)) return 'new-socket-limit';
  if (/\b(ENOBUFS|ENOMEM)\b|no buffer space|cannot allocate memory/i.test(text)) return 'out-of-memory';
  return 'unknown';
}

/**
 * Whether the process (or the system) has no file descriptor left. Some failures caused by that do
 * not say so: a resolver that cannot open /etc/hosts or a socket reports the name as not found
 * (Node, Deno, Bun), and Bun reports a socket() that failed with EMFILE as ECONNREFUSED. Where such
 * an error arrives, opening one descriptor tells (only on that failure path: two syscalls).
 */
function descriptorsExhausted(): boolean {
  try {
    closeSync(openSync(devNull, 'r'));
    return false;
  } catch (e) {
    return errorCodeOf(e) === 'new-socket-limit';
  }
}

/** errorCodeOf(err), corrected to new-socket-limit when a vaguer error really meant no descriptor. */
function failureCode(err: unknown, vague: readonly ErrorCode[]): ErrorCode {
  const code = errorCodeOf(err);
  return vague.includes(code) && descriptorsExhausted() ? 'new-socket-limit' : code;
}

// ------------------------------------------------------------------ addresses
function parseV4(s: string): [number, number, number, number] {
  const p = s.split('.').map(Number);
  return [p[0], p[1], p[2], p[3]];
}

function parseV6(s: string): number[] {
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  const words = (part: string): number[] => {
    if (!part) return [];
    const out: number[] = [];
    for (const x of part.split(':')) {
      if (x.includes('.')) {
        const [a, b, c, d] = parseV4(x);
        out.push((a << 8) | b, (c << 8) | d);
      } else {
        out.push(parseInt(x, 16));
      }
    }
    return out;
  };
  const gap = s.indexOf('::');
  if (gap < 0) return words(s);
  const head = words(s.slice(0, gap));
  const tail = words(s.slice(gap + 2));
  return [...head, ...new Array(8 - head.length - tail.length).fill(0), ...tail];
}

function formatV6(w: number[]): string {
  return w.map((x) => x.toString(16)).join(':');
}

function toIpAddress(address: string): IpAddress {
  return net.isIPv4(address) ? { tag: 'ipv4', val: parseV4(address) } : { tag: 'ipv6', val: parseV6(address) };
}

function toSocketAddress(address: string | undefined, port: number | undefined): IpSocketAddress {
  if (!address || port === undefined) throw 'invalid-state' satisfies ErrorCode;
  if (net.isIPv4(address)) return { tag: 'ipv4', val: { port, address: parseV4(address) } };
  return { tag: 'ipv6', val: { port, flowInfo: 0, address: parseV6(address), scopeId: 0 } };
}

// ------------------------------------------------------------------ network
export class Network {
  [Symbol.dispose](): void {}
}
export const instanceNetwork = (): Network => new Network();

// ------------------------------------------------------------------ name lookup
export class ResolveAddressStream {
  private readonly signal = new Signal();
  private addresses: IpAddress[] | null = null;
  private error: ErrorCode | null = null;

  constructor(name: string) {
    liveResources.resolveStream++;
    dns.lookup(name, { all: true, verbatim: true }, (err, list) => {
      if (err) {
        const code = failureCode(err, ['unknown', 'name-unresolvable', 'permanent-resolver-failure', 'temporary-resolver-failure']);
        this.error = code === 'unknown' ? 'permanent-resolver-failure' : code;
      }
      else this.addresses = list.map((a) => toIpAddress(a.address));
      this.signal.notify();
    });
  }
  resolveNextAddress(): IpAddress | undefined {
    if (this.error) throw this.error;
    if (!this.addresses) throw 'would-block' satisfies ErrorCode;
    return this.addresses.shift();
  }
  subscribe(): Pollable {
    return new Pollable(() => this.addresses !== null || this.error !== null, this.signal);
  }
  [Symbol.dispose](): void {
    liveResources.resolveStream--;
  }
}

export function resolveAddresses(_network: Network, name: string): ResolveAddressStream {
  if (name.length === 0) throw 'invalid-argument' satisfies ErrorCode;
  return new ResolveAddressStream(name);
}

// ------------------------------------------------------------------ tcp
/** One node:net connection seen as a WASI byte source and byte sink. */
class Connection implements ByteSource, ByteSink {
  readonly signal = new Signal();
  private queue: Buffer[] = [];
  private queued = 0;
  private paused = false;
  private eof = false;
  private failure: StreamError | null = null;
  private writeEnded = false;
  private flushing = false;

  constructor(private readonly sock: net.Socket) {
    sock.on('data', (chunk: Buffer) => {
      this.queue.push(chunk);
      this.queued += chunk.length;
      if (this.queued >= READ_QUEUE_LIMIT && !this.paused) {
        this.paused = true;
        sock.pause();
      }
      this.signal.notify();
    });
    sock.on('end', () => {
      this.eof = true;
      this.signal.notify();
    });
    sock.on('close', () => {
      // closed without FIN or error (e.g. destroyed): no more data will come
      this.eof = true;
      this.signal.notify();
    });
  }

  fail(err: unknown): void {
    if (!this.failure) this.failure = streamFailed(errorCodeOf(err), (err as Error)?.message ?? String(err));
    this.signal.notify();
  }

  hasData(): boolean {
    return this.queued > 0;
  }
  take(max: number): Uint8Array {
    if (this.queued === 0) return new Uint8Array(0);
    let out: Buffer;
    const first = this.queue[0];
    if (first.length > max) {
      out = first.subarray(0, max);
      this.queue[0] = first.subarray(max);
    } else if (this.queue.length === 1 || first.length >= 16384) {
      out = first;
      this.queue.shift();
    } else {
      // coalesce small chunks: fewer crossings of the component boundary
      let n = 0, k = 0;
      while (k < this.queue.length && n + this.queue[k].length <= max) n += this.queue[k++].length;
      out = Buffer.concat(this.queue.splice(0, k), n);
    }
    this.queued -= out.length;
    if (this.paused && this.queued < READ_QUEUE_LIMIT / 2) {
      this.paused = false;
      this.sock.resume();
    }
    return out;
  }
  ended(): null | 'eof' | StreamError {
    if (this.queued > 0) return null;
    if (this.failure) return this.failure;
    return this.eof ? 'eof' : null;
  }

  room(): number {
    if (this.failure) throw this.failure;
    if (this.writeEnded || this.sock.destroyed) throw { tag: 'closed' } satisfies StreamError;
    const pending = this.sock.writableLength;
    if (this.flushing) {
      if (pending > 0) return 0;
      this.flushing = false;
    }
    return Math.max(0, WRITE_QUEUE_LIMIT - pending);
  }
  /**
   * Write coalescing. A caller that writes several pieces in one go (a driver's Parse, Bind,
   * Describe, Execute and Sync, each its own writer.write(); a large write's 64 KiB pieces) would
   * otherwise make one syscall per piece, where a node:net user corks the socket. So: the second
   * write of a tick corks the node socket, and the end of the tick (once the current promise jobs
   * have drained) uncorks it, so those pieces leave as one writev.
   * A connection whose previous tick had several writes corks from its first write on (a driver
   * keeps writing the same way); one that writes once per tick (request, answer, request...)
   * sends each write at once, since waiting for the end of the tick would only add latency.
   */
  /** Writes in the current tick (0 when none: no end-of-tick callback is scheduled). */
  private tickWrites = 0;
  /** The last tick with writes had several: cork at the first write of the next. */
  private coalesce = false;
  /** Releases of the buffers written while corked (null when not corked). */
  private corkedDone: (() => void)[] | null = null;
  private corkedBefore = 0;

  // A nextTick queued from a promise job runs once the promise jobs have drained; one queued from
  // a nextTick callback would run before them (Node drains its tick queue first), too early: so
  // the end of the tick is scheduled from a promise job.
  private readonly scheduleEndTick = (): void => nextTick(this.endTick);
  private readonly endTick = (): void => {
    this.coalesce = this.tickWrites > 1;
    this.tickWrites = 0;
    this.flushCorked();
  };

  /** Ends the current coalescing window: everything written in it goes to the kernel now. */
  flushCorked(): void {
    const dones = this.corkedDone;
    if (dones === null) return;
    this.corkedDone = null;
    this.sock.uncork();
    // Node counts a write in writableLength until the kernel has it; back where it was means the
    // bytes went out synchronously, so the buffers are free now (their callbacks come a tick
    // later, which a busy promise chain can postpone for long)
    if (this.sock.writableLength === this.corkedBefore) for (const d of dones) d();
  }

  write(bytes: Uint8Array, done?: () => void): void {
    if (this.tickWrites++ === 0) {
      queueMicrotask(this.scheduleEndTick);
      if (this.coalesce) this.cork();
    } else if (this.corkedDone === null) {
      this.cork();
    }
    const before = this.sock.writableLength;
    let released = false;
    const release = done && (() => {
      if (released) return;
      released = true;
      done();
    });
    this.sock.write(bytes, () => {
      release?.();
      this.signal.notify();
    });
    if (!release) return;
    if (this.corkedDone !== null) this.corkedDone.push(release);
    // unchanged means the bytes went out synchronously: the buffer is free now
    else if (this.sock.writableLength === before) release();
  }

  private cork(): void {
    this.corkedBefore = this.sock.writableLength;
    this.corkedDone = [];
    this.sock.cork();
  }
  requestFlush(): void {
    if (this.sock.writableLength > 0) this.flushing = true;
  }
  endWrite(): void {
    if (this.writeEnded) return;
    this.writeEnded = true;
    this.flushCorked();
    this.sock.end();
  }
  endRead(): void {
    this.eof = true;
    this.queue = [];
    this.queued = 0;
    this.signal.notify();
  }
}

class ConnectionOutput extends OutputStream {
  constructor(private readonly conn: Connection) {
    super(conn);
  }
  flush(): void {
    this.conn.room();
    this.conn.requestFlush();
  }
}

type TcpState = 'unbound' | 'connecting' | 'connected' | 'streams-taken' | 'failed' | 'closed';

export class TcpSocket {
  private state: TcpState = 'unbound';
  private sock: net.Socket | null = null;
  private conn: Connection | null = null;
  private connectError: ErrorCode | null = null;
  private readonly signal = new Signal();

  constructor(private readonly family: IpAddressFamily) {
    liveResources.tcpSocket++;
  }

  startConnect(_network: Network, remote: IpSocketAddress): void {
    if (this.state !== 'unbound') throw 'invalid-state' satisfies ErrorCode;
    if (remote.tag !== this.family) throw 'invalid-argument' satisfies ErrorCode;
    const port = remote.val.port;
    if (port === 0) throw 'invalid-argument' satisfies ErrorCode;
    const host = remote.tag === 'ipv4' ? remote.val.address.join('.') : formatV6(remote.val.address);
    if (host === '0.0.0.0' || host === '0:0:0:0:0:0:0:0') throw 'invalid-argument' satisfies ErrorCode;
    this.state = 'connecting';
    const sock = net.connect({ host, port, family: remote.tag === 'ipv4' ? 4 : 6, allowHalfOpen: true, noDelay: true });
    this.sock = sock;
    const conn = new Connection(sock);
    this.conn = conn;
    sock.once('connect', () => {
      if (this.state === 'connecting') this.state = 'connected';
      this.signal.notify();
    });
    sock.on('error', (err) => {
      if (this.state === 'connecting') {
        this.state = 'failed';
        this.connectError = failureCode(err, ['unknown', 'connection-refused']);
        this.signal.notify();
      } else {
        conn.fail(err);
      }
    });
  }

  finishConnect(): [InputStream, OutputStream] {
    switch (this.state) {
      case 'connecting': throw 'would-block' satisfies ErrorCode;
      case 'failed': {
        const e = this.connectError ?? 'unknown';
        this.connectError = null;
        this.state = 'closed';
        throw e;
      }
      case 'connected':
        this.state = 'streams-taken';
        return [new InputStream(this.conn!), new ConnectionOutput(this.conn!)];
      default:
        throw 'not-in-progress' satisfies ErrorCode;
    }
  }

  subscribe(): Pollable {
    return new Pollable(() => this.state !== 'connecting', this.signal);
  }

  shutdown(how: 'receive' | 'send' | 'both'): void {
    if (this.state !== 'streams-taken' || !this.conn) throw 'invalid-state' satisfies ErrorCode;
    if (how !== 'receive') this.conn.endWrite();
    if (how !== 'send') this.conn.endRead();
  }

  localAddress(): IpSocketAddress {
    return toSocketAddress(this.sock?.localAddress, this.sock?.localPort);
  }
  remoteAddress(): IpSocketAddress {
    return toSocketAddress(this.sock?.remoteAddress, this.sock?.remotePort);
  }
  addressFamily(): IpAddressFamily {
    return this.family;
  }
  isListening(): boolean {
    return false;
  }

  [Symbol.dispose](): void {
    liveResources.tcpSocket--;
    // bytes written in this tick go to the kernel before the socket goes (close discards only
    // what the kernel does not take at once, as before coalescing)
    this.conn?.flushCorked();
    if (this.sock && !this.sock.destroyed) this.sock.destroy();
    this.state = 'closed';
    this.signal.notify(); // whoever still waits on this socket re-checks, and finds it closed
  }
}

export function createTcpSocket(family: IpAddressFamily): TcpSocket {
  if (family !== 'ipv4' && family !== 'ipv6') throw 'not-supported' satisfies ErrorCode;
  return new TcpSocket(family);
}
