// wasi-connect/testing: a TEST-ONLY door into the component instances behind connect().
// Not part of the public API. The package's main entry never exposes the component's diagnostics
// export; only this module reaches it, and only through the same guarded call path as any other
// call (src/guard.ts), so a forced trap is handled exactly as a real one.
import { pool, instantiateComponent, type InstanceStats, type PoolOptions } from './instances.js';
import { instanceOf, type ComponentInstance } from './guard.js';
import type { SocketError } from './errors.js';
import type { Socket } from './index.js'; // the public type: what connect() returns

export type { InstanceStats } from './instances.js';

function target(socket?: Socket): ComponentInstance {
  if (!socket) return pool.current();
  const inst = instanceOf(socket);
  if (!inst) throw new TypeError('wasi-connect/testing: this socket is closed, or was not made by wasi-connect\'s connect()');
  return inst;
}

function statsOf(inst: ComponentInstance): InstanceStats {
  return {
    generation: inst.generation,
    memoryBytes: inst.memoryBytes(),
    startupMemoryBytes: inst.startupMemory,
    liveSockets: inst.sockets.size,
  };
}

/**
 * Makes a component instance trap at once (the component's `diagnostics.force-trap` export,
 * called through the guard): the instance new sockets go to now, or the one serving `socket`.
 * Every socket of that instance fails; returns the SocketError they fail with. A dead instance
 * (already trapped) is not called again: its fault is returned.
 */
export function forceTrap(socket?: Socket): SocketError {
  const inst = target(socket);
  try {
    inst.call((x) => {
      if (!x.diagnostics) throw new TypeError('this component has no diagnostics export');
      x.diagnostics.forceTrap();
    });
  } catch (e) {
    if (e === inst.fault) return e as SocketError;
    throw e;
  }
  throw new Error('wasi-connect/testing: force-trap returned without trapping');
}

/** The instance new sockets go to now (made if there is none), or the one serving `socket`. */
export function instanceStats(socket?: Socket): InstanceStats {
  return statsOf(target(socket));
}

/** Every healthy instance (oldest first) and the pool's counters and limits. */
export function poolStats(): {
  instances: InstanceStats[];
  created: number;
  dropped: number;
  faulted: number;
  socketsPerInstance: number;
  memoryBound: number;
} {
  return {
    instances: pool.instances().map(statsOf),
    ...pool.counts,
    ...pool.options,
  };
}

/** The current instance's linear memory and resource handle tables (leak tests). */
export function instanceInternals(socket?: Socket): { memory: WebAssembly.Memory; handleTables: unknown[] } {
  const internals = target(socket).exports.__internals;
  if (!internals) throw new TypeError('this instance exposes no internals');
  return { memory: internals.memory, handleTables: internals.handleTables };
}

/**
 * Changes the pool's limits for the rest of the process (benchmarks of the sharing policy):
 * `socketsPerInstance` (1: an instance per socket; Infinity: one for all) and `memoryBound`
 * (0: an instance is never reused once its sockets are gone). Returns the previous limits.
 */
export function configureInstances(options: Partial<PoolOptions>): PoolOptions {
  const before = { ...pool.options };
  Object.assign(pool.options, options);
  return before;
}

/** Makes one fresh instance (not added to the pool) and returns it: for measuring instantiation. */
export function instantiateForMeasurement(): { memoryBytes: number } {
  const x = instantiateComponent();
  return { memoryBytes: x.__internals?.memory.buffer.byteLength ?? 0 };
}
