// Fault containment: every call into a component instance goes through this module.
//
// A component instance that traps (a bounds check hit by malformed input, a failed allocation, any
// bug) is unusable from then on, and its linear memory may be inconsistent. The guard notices the
// first exception that is not one of the component's own error results, marks the instance dead,
// fails every socket of that instance at once with one SocketError (INTERNAL_ERROR, or
// OUT_OF_MEMORY when memory ran out), releases the host resources the instance owned (node:net
// sockets, streams, pollables) and never calls into it again. Sockets of other instances are not
// touched; where the next socket comes from is the InstanceSource's business (src/instances.ts
// makes fresh instances from the compiled module).
//
// Cost per call: one property check and a try/catch that never throws on the normal path.
import type { sockets } from '../component/wasi-connect.js';
import type { Internals } from '../instance/wasi-connect.js';
import { SocketError } from './errors.js';

type RawSocket = sockets.Socket;
/** The component's exported interface, as a jco bundle offers it. */
export type Backend = typeof sockets;

/** What one component instance offers: its exports and, for this package's bundle, its internals. */
export interface InstanceExports {
  sockets: Backend;
  diagnostics?: { forceTrap(): void };
  __internals?: Internals;
}

/** Where sockets get their instance: a pool of fresh instances, or one fixed bundle. */
export interface InstanceSource {
  /** The instance a new socket (or a parseAddress call) should use now. */
  acquire(): ComponentInstance;
  /** Trust anchors for every instance, present and future (an instance's own state). */
  addTrustAnchors(certificates: Uint8Array): number;
}

export interface InstanceHooks {
  /** The instance has no live socket left. */
  idle?(inst: ComponentInstance): void;
  /** The instance faulted (after its sockets were failed and its host resources released). */
  faulted?(inst: ComponentInstance): void;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** A jco ComponentError carries the component's error result as `payload`: not a fault. */
function isResult(e: unknown): boolean {
  return e !== null && typeof e === 'object' && hasOwn.call(e, 'payload');
}

function messageOf(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  try {
    return String(e);
  } catch {
    return 'an unprintable exception';
  }
}

/** One component instance behind the guard. */
export class ComponentInstance {
  /** Set when the instance faulted or was retired: every later call throws it. */
  fault: SocketError | null = null;
  /** Live sockets of this instance (closed sockets leave the set). */
  readonly sockets = new Set<GuardedSocket>();
  /** Linear memory right after instantiation (0 when the bundle does not expose it). */
  readonly startupMemory: number;
  readonly createdAt = performance.now();

  constructor(
    readonly exports: InstanceExports,
    /** Counts instances made by one source: 1 for the first, 2 for its first replacement, ... */
    readonly generation: number,
    private readonly hooks: InstanceHooks = {},
  ) {
    this.startupMemory = this.memoryBytes();
  }

  /** Current size of the instance's linear memory in bytes (0 if unknown). */
  memoryBytes(): number {
    return this.exports.__internals?.memory.buffer.byteLength ?? 0;
  }

  /**
   * Runs `f` against the instance's exports. A component error result is rethrown as is; any other
   * exception is a fault: the instance dies and the SocketError that says so is thrown.
   */
  call<T>(f: (exports: InstanceExports) => T): T {
    if (this.fault !== null) throw this.fault;
    try {
      return f(this.exports);
    } catch (e) {
      throw this.failed(e);
    }
  }

  /** What an exception thrown by a call means: a result error passes; anything else kills the instance. */
  failed(e: unknown): unknown {
    if (isResult(e)) return e;
    return this.trap(e);
  }

  /** Starts a connection; a fault during the call gives a socket that fails with it (never a throw). */
  connect(hostname: string, port: number, options: Parameters<Backend['connect']>[2]): GuardedSocket {
    let raw: RawSocket;
    try {
      raw = this.call((x) => x.sockets.connect(hostname, port, options));
    } catch (e) {
      if (e instanceof SocketError && e === this.fault) return new GuardedSocket(this, null);
      throw e;
    }
    return this.adopt(raw);
  }

  /** @internal wraps a raw socket of this instance and counts it as live. */
  adopt(raw: RawSocket): GuardedSocket {
    const s = new GuardedSocket(this, raw);
    this.sockets.add(s);
    return s;
  }

  /** @internal a guarded socket was disposed. */
  released(s: GuardedSocket): void {
    if (this.sockets.delete(s) && this.sockets.size === 0 && this.fault === null) this.hooks.idle?.(this);
  }

  /**
   * The instance faulted (or is being made to): fail every socket at once, release what the
   * instance held on the host, and never call into it again. Returns the error every socket got.
   */
  trap(cause: unknown): SocketError {
    if (this.fault !== null) return this.fault;
    const err = this.#faultError(cause);
    this.fault = err;
    this.#shutDown();
    for (const s of [...this.sockets]) s.faulted(err);
    this.sockets.clear();
    this.hooks.faulted?.(this);
    return err;
  }

  /**
   * Takes a healthy instance out of service (no live socket: its memory is returned when the
   * garbage collector frees it). Later calls through it fail with `reason`.
   */
  retire(reason: SocketError): void {
    if (this.fault !== null) return;
    this.fault = reason;
    this.#shutDown();
  }

  #shutDown(): void {
    const internals = this.exports.__internals;
    if (!internals) return;
    internals.poison();
    // Host resources the instance still owned (node:net sockets, streams, lookups, pollables):
    // released here, so a dead instance keeps no descriptor open and no process alive.
    for (const table of internals.captureTables) {
      for (const rsc of table.values()) {
        try {
          rsc[Symbol.dispose]?.();
        } catch {
          // a host resource that fails to close has nobody left to report to
        }
      }
      table.clear();
    }
  }

  #faultError(cause: unknown): SocketError {
    const text = messageOf(cause);
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return new SocketError(
        `the component instance (generation ${this.generation}) faulted and every socket it served failed: ${text}`,
        this.#outOfMemory(cause) ? 'OUT_OF_MEMORY' : 'INTERNAL_ERROR',
        { cause },
      );
    } finally {
      Error.stackTraceLimit = limit;
    }
  }

  /**
   * Whether a fault was the component or the host running out of memory. The component traps
   * (AssemblyScript's allocator executes `unreachable`) when its memory cannot grow by what an
   * allocation needs (its largest is about 1 MiB), so a trap after which 16 MiB more cannot be had
   * is counted as out of memory; so is a JavaScript allocation failure inside the bindings.
   */
  #outOfMemory(cause: unknown): boolean {
    if (cause instanceof RangeError && /allocation failed|out of memory/i.test(cause.message)) return true;
    if (!(cause instanceof WebAssembly.RuntimeError)) return false;
    const memory = this.exports.__internals?.memory;
    if (!memory) return false;
    try {
      memory.grow(256); // harmless: the instance is discarded, and growing touches no page
      return false;
    } catch {
      return true;
    }
  }
}

/** Spec-layer sockets to their guarded sockets (for wasi-connect/testing). */
const owners = new WeakMap<object, GuardedSocket>();

/** The instance serving a live socket created through the guard (undefined once it is closed). */
export function instanceOf(owner: object): ComponentInstance | undefined {
  return owners.get(owner)?.instance ?? undefined;
}

/**
 * A raw socket of one instance, behind the guard. It has the raw socket's methods, so the spec
 * layer (src/socket.ts) uses it as it would use the raw one; `onFault` lets that layer be failed
 * from outside when the instance dies while it waits.
 */
export class GuardedSocket {
  /** null once disposed: a closed socket the application keeps must not keep its instance alive. */
  #inst: ComponentInstance | null;
  #raw: RawSocket | null;
  #onFault: ((err: SocketError) => void) | null = null;

  constructor(inst: ComponentInstance, raw: RawSocket | null) {
    this.#inst = inst;
    this.#raw = raw;
  }

  /** The instance serving this socket (null once the socket is disposed). */
  get instance(): ComponentInstance | null {
    return this.#inst;
  }

  /**
   * Called (once) with the instance's fault if the instance dies while this socket is live.
   * `owner` (the spec-layer Socket) is remembered so that tests can find the socket's instance.
   */
  onFault(f: (err: SocketError) => void, owner?: object): void {
    this.#onFault = f;
    if (owner) owners.set(owner, this);
  }

  /** @internal */
  faulted(err: SocketError): void {
    this.#raw = null;
    const f = this.#onFault;
    this.#onFault = null;
    f?.(err);
  }

  #dead(): SocketError {
    return this.#inst?.fault ?? new SocketError('the socket was released', 'INVALID_STATE');
  }

  pollOpen(): ReturnType<RawSocket['pollOpen']> {
    const raw = this.#raw;
    if (raw === null || this.#inst!.fault !== null) throw this.#dead();
    try {
      return raw.pollOpen();
    } catch (e) {
      throw this.#inst!.failed(e);
    }
  }

  read(maxLen: number): ReturnType<RawSocket['read']> {
    const raw = this.#raw;
    if (raw === null || this.#inst!.fault !== null) throw this.#dead();
    try {
      return raw.read(maxLen);
    } catch (e) {
      throw this.#inst!.failed(e);
    }
  }

  subscribeRead(): ReturnType<RawSocket['subscribeRead']> {
    const raw = this.#raw;
    if (raw === null || this.#inst!.fault !== null) throw this.#dead();
    try {
      return raw.subscribeRead();
    } catch (e) {
      throw this.#inst!.failed(e);
    }
  }

  write(data: Uint8Array): ReturnType<RawSocket['write']> {
    const raw = this.#raw;
    if (raw === null || this.#inst!.fault !== null) throw this.#dead();
    try {
      return raw.write(data);
    } catch (e) {
      throw this.#inst!.failed(e);
    }
  }

  flush(): boolean {
    const raw = this.#raw;
    if (raw === null || this.#inst!.fault !== null) throw this.#dead();
    try {
      return raw.flush();
    } catch (e) {
      throw this.#inst!.failed(e);
    }
  }

  subscribeWrite(): ReturnType<RawSocket['subscribeWrite']> {
    const raw = this.#raw;
    if (raw === null || this.#inst!.fault !== null) throw this.#dead();
    try {
      return raw.subscribeWrite();
    } catch (e) {
      throw this.#inst!.failed(e);
    }
  }

  bufferedAmount(): number {
    const raw = this.#raw;
    if (raw === null || this.#inst!.fault !== null) throw this.#dead();
    try {
      return raw.bufferedAmount();
    } catch (e) {
      throw this.#inst!.failed(e);
    }
  }

  shutdownWrite(): void {
    const raw = this.#raw;
    if (raw === null || this.#inst!.fault !== null) throw this.#dead();
    try {
      raw.shutdownWrite();
    } catch (e) {
      throw this.#inst!.failed(e);
    }
  }

  /** Releases the connection; nothing to do once the instance is dead (its host side is gone). */
  close(): void {
    const raw = this.#raw;
    if (raw === null || this.#inst!.fault !== null) return;
    try {
      raw.close();
    } catch (e) {
      this.#inst!.failed(e);
    }
  }

  startTls(options: Parameters<RawSocket['startTls']>[0]): GuardedSocket {
    const raw = this.#raw;
    if (raw === null || this.#inst!.fault !== null) throw this.#dead();
    let upgraded: RawSocket;
    try {
      upgraded = raw.startTls(options);
    } catch (e) {
      throw this.#inst!.failed(e);
    }
    return this.#inst!.adopt(upgraded);
  }

  tlsInfo(): ReturnType<RawSocket['tlsInfo']> {
    const raw = this.#raw;
    if (raw === null || this.#inst!.fault !== null) throw this.#dead();
    try {
      return raw.tlsInfo();
    } catch (e) {
      throw this.#inst!.failed(e);
    }
  }

  takeKeylog(): string[] {
    const raw = this.#raw;
    if (raw === null || this.#inst!.fault !== null) throw this.#dead();
    try {
      return raw.takeKeylog();
    } catch (e) {
      throw this.#inst!.failed(e);
    }
  }

  /** Drops the component's socket resource (its destructor runs in the component). */
  [Symbol.dispose](): void {
    const raw = this.#raw;
    const inst = this.#inst;
    this.#raw = null;
    this.#inst = null;
    this.#onFault = null;
    if (inst === null) return;
    if (raw !== null && inst.fault === null) {
      try {
        (raw as unknown as Disposable)[Symbol.dispose]();
      } catch (e) {
        inst.failed(e);
      }
    }
    inst.released(this);
  }
}

const GUARDED = Symbol('wasi-connect.guarded');

/**
 * The Backend the spec layer calls: connect() and parseAddress() of whichever instance the source
 * hands out, behind the guard. connect() returns GuardedSockets.
 */
export function guardedBackend(source: InstanceSource): Backend {
  const backend = {
    [GUARDED]: source,
    Socket: GuardedSocket,
    parseAddress: (address: string) => source.acquire().call((x) => x.sockets.parseAddress(address)),
    connect: (hostname: string, port: number, options: Parameters<Backend['connect']>[2]) =>
      source.acquire().connect(hostname, port, options),
    addTrustAnchors: (certificates: Uint8Array) => source.addTrustAnchors(certificates),
  };
  return backend as unknown as Backend;
}

/**
 * A single, fixed instance (a jco bundle instantiated at load, e.g. on preview2-shim): guarded
 * like any other, but it cannot be replaced, so after a fault every later socket fails with it.
 */
export class FixedInstance implements InstanceSource {
  readonly #inst: ComponentInstance;
  constructor(exports: InstanceExports) {
    this.#inst = new ComponentInstance(exports, 1);
  }
  acquire(): ComponentInstance {
    return this.#inst;
  }
  addTrustAnchors(certificates: Uint8Array): number {
    return this.#inst.call((x) => x.sockets.addTrustAnchors(certificates));
  }
}

/** A Backend behind the guard: returned as is when it already is one, else wrapped as a fixed instance. */
export function guard(backend: Backend): Backend {
  if ((backend as unknown as { [GUARDED]?: unknown })[GUARDED]) return backend;
  return guardedBackend(new FixedInstance({ sockets: backend }));
}
