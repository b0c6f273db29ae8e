// wasi:io (poll, streams, error) for a JavaScript event loop. A pollable is a condition plus the
// signal that fires when the condition may have changed: waiting on it is a promise, never a
// thread block, a busy loop or a polling timer.

import { Buffer } from 'node:buffer';

/** Counts live host resources, so tests can prove the component drops everything it creates. */
export const liveResources = { pollable: 0, inputStream: 0, outputStream: 0, tcpSocket: 0, resolveStream: 0, error: 0 };

/** Wakes everybody waiting for "something changed" on one source (a socket, a lookup). */
export class Signal {
  private waiters: (() => void)[] = [];
  /** Calls `f` once, at the next notify() (synchronously, inside the event that notifies). */
  once(f: () => void): void {
    this.waiters.push(f);
  }
  notify(): void {
    if (this.waiters.length === 0) return;
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) {
      try {
        f();
      } catch (e) {
        // a waiter's bug must not keep the others waiting, nor break the event that notified
        queueMicrotask(() => {
          throw e;
        });
      }
    }
  }
}

const blockingUnsupported = () =>
  new Error('wasi-connect host: blocking calls are not supported on the event loop; await pollable.wait()');

export class Pollable {
  constructor(
    private readonly check: () => boolean,
    private readonly signal: Signal | null,
    private readonly readyAt: number = 0,
  ) {
    liveResources.pollable++;
  }
  ready(): boolean {
    if (this.readyAt !== 0) return performance.now() >= this.readyAt;
    return this.check();
  }
  block(): void {
    throw blockingUnsupported();
  }
  /** Host side: resolves once ready() is true. */
  wait(): Promise<void> {
    return new Promise((resolve) => this.whenReady(resolve));
  }
  /**
   * Host side, this host's own (not WASI): calls `f` once ready() is true: at once when it is
   * (synchronously), else from the event that makes it so (synchronously, inside that event: no
   * promise job in between), or from a timer for a clock pollable.
   */
  whenReady(f: () => void): void {
    if (this.readyAt !== 0) {
      const ms = this.readyAt - performance.now();
      if (ms > 0) (this.timers ??= []).push(setTimeout(f, ms));
      else f();
      return;
    }
    if (this.check()) {
      f();
      return;
    }
    const signal = this.signal!;
    const again = (): void => {
      if (this.check()) f();
      else signal.once(again);
    };
    signal.once(again);
  }
  /** Timers of a clock pollable's waiters: dropping the pollable cancels them (a connect deadline
   * that was not needed must not keep the process alive until it passes). */
  private timers: ReturnType<typeof setTimeout>[] | null = null;
  [Symbol.dispose](): void {
    liveResources.pollable--;
    if (this.timers !== null) for (const t of this.timers) clearTimeout(t);
    this.timers = null;
  }
}

export function poll(_in: Pollable[]): Uint32Array {
  throw blockingUnsupported();
}

/** wasi:io/error.error: the text starts with a wasi:sockets error-code name, then ": detail". */
class IoError {
  constructor(private readonly text: string) {
    liveResources.error++;
  }
  toDebugString(): string {
    return this.text;
  }
  [Symbol.dispose](): void {
    liveResources.error--;
  }
}
export { IoError as Error };

export type StreamError = { tag: 'closed' } | { tag: 'last-operation-failed'; val: IoError };
export const streamFailed = (code: string, detail: string): StreamError => ({
  tag: 'last-operation-failed',
  val: new IoError(`${code}: ${detail}`),
});

/** The byte source an InputStream reads from (implemented by the TCP connection). */
export interface ByteSource {
  readonly signal: Signal;
  /** Takes up to max bytes; empty when none are queued. */
  take(max: number): Uint8Array;
  hasData(): boolean;
  /** null while open; 'eof' after FIN; a StreamError after a failure. */
  ended(): null | 'eof' | StreamError;
}

/** The result of a read with nothing queued (the bindings copy from it; nobody keeps it). */
const NOTHING = new Uint8Array(0);

export class InputStream {
  constructor(private readonly src: ByteSource) {
    liveResources.inputStream++;
  }
  read(len: bigint): Uint8Array {
    const max = len > 0x7fffffffn ? 0x7fffffff : Number(len);
    if (this.src.hasData()) return this.src.take(max);
    const end = this.src.ended();
    if (end === 'eof') throw { tag: 'closed' } satisfies StreamError;
    if (end) throw end;
    return NOTHING;
  }
  blockingRead(): never {
    throw blockingUnsupported();
  }
  skip(len: bigint): bigint {
    return BigInt(this.read(len).length);
  }
  subscribe(): Pollable {
    return new Pollable(() => this.src.hasData() || this.src.ended() !== null, this.src.signal);
  }
  [Symbol.dispose](): void {
    liveResources.inputStream--;
  }
}

/** The byte sink an OutputStream writes to (implemented by the TCP connection). */
export interface ByteSink {
  readonly signal: Signal;
  /** Bytes that may be written now; throws a StreamError when the sink is closed or failed. */
  room(): number;
  /**
   * Takes ownership of `bytes`; `done` runs once the sink no longer needs them. Writes made in
   * one tick may leave together (one writev).
   */
  write(bytes: Uint8Array, done?: () => void): void;
}

/**
 * Reusable 64 KiB buffers for outgoing bytes. The component's bundle hands OutputStream.write a
 * view of component memory that is only valid during the call, so the bytes are copied once, into
 * a buffer from here, which returns to the pool when the socket has handed it to the kernel.
 * (A fresh allocation per write cost ~33 us per 64 KiB in page faults.)
 */
const POOL_CHUNK = 64 * 1024;
const POOL_MAX = 64; // at most 4 MiB kept for reuse
const pool: Uint8Array[] = [];
/** Writes smaller than this are copied into a fresh Buffer (node's allocation pool serves them). */
const SMALL_WRITE = 4096;

function copyOut(view: Uint8Array): { bytes: Uint8Array; release: () => void } {
  const buf = pool.pop() ?? new Uint8Array(POOL_CHUNK);
  buf.set(view);
  return {
    bytes: buf.subarray(0, view.length),
    release: () => {
      if (pool.length < POOL_MAX) pool.push(buf);
    },
  };
}

export class OutputStream {
  constructor(private readonly sink: ByteSink) {
    liveResources.outputStream++;
  }
  checkWrite(): bigint {
    return BigInt(this.sink.room());
  }
  /** `contents` may be a view of component memory, valid only during this call: it is copied. */
  write(contents: Uint8Array): void {
    const room = this.sink.room();
    if (contents.length > room) {
      // WASI says this is a caller bug; report it as a failure instead of ending the process.
      throw streamFailed('invalid-argument', `write of ${contents.length} bytes exceeds check-write (${room})`);
    }
    if (contents.length === 0) return;
    if (contents.length < SMALL_WRITE) {
      // from node's shared slab: cheaper than a pooled 64 KiB buffer held until the write completes
      const bytes = Buffer.allocUnsafe(contents.length);
      bytes.set(contents);
      this.sink.write(bytes);
      return;
    }
    for (let off = 0; off < contents.length; off += POOL_CHUNK) {
      const { bytes, release } = copyOut(off === 0 && contents.length <= POOL_CHUNK ? contents : contents.subarray(off, off + POOL_CHUNK));
      this.sink.write(bytes, release);
    }
  }
  flush(): void {
    this.sink.room(); // surfaces a failure; bytes already go to the kernel as soon as it takes them
  }
  blockingWriteAndFlush(): never {
    throw blockingUnsupported();
  }
  blockingFlush(): never {
    throw blockingUnsupported();
  }
  subscribe(): Pollable {
    return new Pollable(() => {
      try {
        return this.sink.room() > 0;
      } catch {
        return true;
      }
    }, this.sink.signal);
  }
  [Symbol.dispose](): void {
    liveResources.outputStream--;
  }
}
