// The component instances behind the package's connect(): made from core modules compiled once,
// each with this package's WASI host, handed out by a pool. The numbers behind the policy are in
// docs/ARCHITECTURE.md ("Instances and fault containment"); bench/instances.mjs measures them.
//
// - At most SOCKETS_PER_INSTANCE live sockets share an instance: a trap fails only the sockets
//   of the instance that trapped (src/guard.ts), and an instance's memory stays bounded by what
//   that many sockets can hold. A new socket goes to the oldest instance with room; when none has
//   room, a fresh instance is made (~0.2-0.4 ms of CPU, 64 KiB of linear memory, ~30 KiB of heap).
// - A faulted instance leaves the pool at once; the next socket gets another instance.
// - Wasm memory never shrinks. When an instance's last socket closes, it is dropped if its memory
//   grew past MEMORY_BOUND, or if another idle instance is kept already (the smaller of the two
//   stays); the garbage collector then returns its memory. One idle instance below the bound is
//   kept, so sequential traffic (connect, use, close, connect...) never pays an instantiation.
import { readFileSync, readdirSync } from 'node:fs';
import { instantiate } from '../instance/wasi-connect.js';
import { imports } from '../instance/imports.js';
import { ComponentInstance, guardedBackend, type InstanceExports, type InstanceSource, type Backend } from './guard.js';
import { SocketError } from './errors.js';

/** Live sockets per instance: a trap costs at most this many connections. */
export const SOCKETS_PER_INSTANCE = 32;
/**
 * An idle instance whose linear memory is larger than this is dropped. One socket at a time never
 * takes an instance past ~4 MiB (a 16 MiB write: 3.8 MiB); what does is many sockets holding
 * write buffers at once (each socket's buffer is 256 KiB), i.e. a burst.
 */
export const MEMORY_BOUND = 8 * 1024 * 1024;

// The core modules, compiled once and shared by every instance.
const dir = new URL('../instance/', import.meta.url);
const coreModules = new Map<string, WebAssembly.Module>(
  await Promise.all(
    readdirSync(dir)
      .filter((f) => f.endsWith('.wasm'))
      .map(async (f): Promise<[string, WebAssembly.Module]> => [f, await WebAssembly.compile(readFileSync(new URL(f, dir)))]),
  ),
);
const getCoreModule = (name: string): WebAssembly.Module => {
  const m = coreModules.get(name);
  if (!m) throw new Error(`wasi-connect: core module ${name} is missing from dist/instance`);
  return m;
};

/** A fresh instance of the component on this package's host. */
export function instantiateComponent(): InstanceExports {
  return instantiate(getCoreModule, imports as unknown as Parameters<typeof instantiate>[1]);
}

export interface PoolOptions {
  socketsPerInstance: number;
  memoryBound: number;
}

export interface InstanceStats {
  /** Counts instances made so far (1 for the first). */
  generation: number;
  /** Linear memory of the instance, in bytes. */
  memoryBytes: number;
  /** Its linear memory right after instantiation. */
  startupMemoryBytes: number;
  liveSockets: number;
}

export class InstancePool implements InstanceSource {
  /** Limits (changed only by wasi-connect/testing's configureInstances). */
  readonly options: PoolOptions;
  /** Healthy instances, oldest first. */
  #instances: ComponentInstance[] = [];
  #generation = 0;
  /** Trust anchors added so far: every new instance gets them too. */
  #anchors: Uint8Array[] = [];
  /** Counters for tests and the docs' numbers. */
  readonly counts = { created: 0, dropped: 0, faulted: 0 };

  constructor(
    private readonly create: () => InstanceExports,
    options: Partial<PoolOptions> = {},
  ) {
    this.options = { socketsPerInstance: SOCKETS_PER_INSTANCE, memoryBound: MEMORY_BOUND, ...options };
  }

  acquire(): ComponentInstance {
    const max = this.options.socketsPerInstance;
    for (const inst of this.#instances) if (inst.sockets.size < max) return inst;
    return this.#add();
  }

  /** The instance new sockets go to now (made if there is none). */
  current(): ComponentInstance {
    return this.acquire();
  }

  /** Healthy instances, oldest first. */
  instances(): readonly ComponentInstance[] {
    return this.#instances;
  }

  /**
   * Adds trust anchors to every instance, and remembers them for every instance made later (an
   * instance's anchors are its own state). The instance new sockets go to now parses them first:
   * its error result or fault is the caller's, and nothing is remembered then.
   */
  addTrustAnchors(certificates: Uint8Array): number {
    const copy = certificates.slice();
    const first = this.acquire();
    const added = first.call((x) => x.sockets.addTrustAnchors(copy));
    this.#anchors.push(copy);
    for (const inst of [...this.#instances]) {
      if (inst === first) continue;
      try {
        inst.call((x) => x.sockets.addTrustAnchors(copy));
      } catch {
        // a fault has failed that instance's sockets and taken it out of the pool
      }
    }
    return added;
  }

  #add(): ComponentInstance {
    for (;;) {
      const inst = new ComponentInstance(this.create(), ++this.#generation, {
        idle: (i) => this.#idle(i),
        faulted: (i) => this.#remove(i, 'faulted'),
      });
      this.counts.created++;
      let replayed = true;
      for (const a of [...this.#anchors]) {
        try {
          inst.call((x) => x.sockets.addTrustAnchors(a));
        } catch {
          if (inst.fault === null) continue; // refused now, accepted before: keep the others
          // the anchors made a fresh instance fault: forget them rather than fault every instance
          this.#anchors.splice(this.#anchors.indexOf(a), 1);
          replayed = false;
          break;
        }
      }
      if (!replayed) continue;
      this.#instances.push(inst);
      return inst;
    }
  }

  #idle(inst: ComponentInstance): void {
    let drop: ComponentInstance | null = inst.memoryBytes() > this.options.memoryBound ? inst : null;
    if (!drop) {
      // keep one idle instance: the smaller one
      const other = this.#instances.find((i) => i !== inst && i.sockets.size === 0);
      if (other) drop = other.memoryBytes() > inst.memoryBytes() ? other : inst;
    }
    if (!drop) return; // kept: the next socket reuses it
    this.#remove(drop, 'dropped');
    drop.retire(new SocketError('this component instance was retired (it had no live socket)', 'INVALID_STATE'));
  }

  #remove(inst: ComponentInstance, why: 'dropped' | 'faulted'): void {
    const k = this.#instances.indexOf(inst);
    if (k >= 0) this.#instances.splice(k, 1);
    this.counts[why]++;
  }
}

/** The pool behind the package's connect(). */
export const pool = new InstancePool(instantiateComponent);

/** The package's Backend: every call goes through the guard, to an instance from the pool. */
export const backend: Backend = guardedBackend(pool);

/** Statistics of the instance new sockets go to now (made if there is none). */
export function currentStats(): InstanceStats {
  const inst = pool.current();
  return {
    generation: inst.generation,
    memoryBytes: inst.memoryBytes(),
    startupMemoryBytes: inst.startupMemory,
    liveSockets: inst.sockets.size,
  };
}
