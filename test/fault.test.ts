// Fault containment (issue 10): a trap fails exactly the sockets of the instance that trapped and
// the process goes on; memory is given back after a burst; running out of descriptors or buffer
// space fails the affected socket with a precise code. The cases of test/fault/cases.mjs run in
// this process (Node 20) and on Node 24, Deno 2 and Bun 1; the descriptor limit is lowered with
// `ulimit -n` in a child process on every runtime.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import net from 'node:net';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { connect, bindConnect, SocketError } from 'wasi-connect';
import * as testing from 'wasi-connect/testing';
import { sockets, diagnostics } from 'wasi-connect/component';
import { liveResources } from '../dist/src/host/io.js';
import { TcpSocket, errorCodeOf } from '../dist/src/host/sockets.js';
import { ComponentInstance, FixedInstance, guardedBackend } from '../dist/src/guard.js';
import { InstancePool } from '../dist/src/instances.js';
import { cases } from './fault/cases.mjs';
import { startPeerProcess, runJsonIn, type Peer, type CaseResult } from './helpers/peer.js';

let peer: Peer;
beforeAll(async () => {
  peer = await startPeerProcess();
});
afterAll(() => peer?.stop());

const unhandled: unknown[] = [];
process.on('unhandledRejection', (e) => unhandled.push(e));

/** Waits (turns, not time) until the host has released everything a trap left behind. */
async function hostQuiet(): Promise<Record<string, number>> {
  for (let i = 0; i < 200; i++) {
    if (Object.values(liveResources).every((n) => n === 0)) break;
    await new Promise((r) => setTimeout(r, 0));
  }
  return { ...liveResources };
}
const ZERO = { pollable: 0, inputStream: 0, outputStream: 0, tcpSocket: 0, resolveStream: 0, error: 0 };

describe(`Node ${process.versions.node} (in process)`, () => {
  for (const c of cases) {
    it(c.name, async () => {
      await c.run({ connect, SocketError, testing, ports: peer.ports });
      // every host resource of the trapped or dropped instances was released
      expect(await hostQuiet()).toEqual(ZERO);
      expect(unhandled).toEqual([]);
    });
  }

  it('the testing door reaches the current instance; the main entry does not expose force-trap', async () => {
    const main = await import('wasi-connect');
    expect(Object.keys(main)).not.toContain('forceTrap');
    expect(Object.keys(main)).not.toContain('diagnostics');
    const st = testing.instanceStats();
    expect(st.generation).toBeGreaterThan(0);
    expect(st.startupMemoryBytes).toBeGreaterThanOrEqual(65536);
    expect(st.memoryBytes).toBeGreaterThanOrEqual(st.startupMemoryBytes);
  });

  it('an exception thrown by the host during a call is a fault of that instance: its sockets fail with INTERNAL_ERROR carrying the message', async () => {
    const s = connect(`127.0.0.1:${peer.ports.echo}`);
    await s.opened;
    const gen = testing.instanceStats(s).generation;
    const original = TcpSocket.prototype.localAddress;
    TcpSocket.prototype.localAddress = function () {
      throw new Error('host bug for the test');
    };
    try {
      const t = connect(`127.0.0.1:${peer.ports.echo}`);
      const e = await t.opened.catch((x) => x);
      expect(e).toBeInstanceOf(SocketError);
      expect(e.code).toBe('INTERNAL_ERROR');
      expect(e.message).toContain('host bug for the test');
      expect(await s.closed.catch((x) => x)).toBe(e);
    } finally {
      TcpSocket.prototype.localAddress = original;
    }
    const u = connect(`127.0.0.1:${peer.ports.echo}`);
    await u.opened;
    expect(testing.instanceStats(u).generation).not.toBe(gen);
    await u.close();
    expect(await hostQuiet()).toEqual(ZERO);
  });

  it('ENOBUFS on an open socket fails it with OUT_OF_MEMORY; other sockets are unaffected', async () => {
    const victim = connect(`127.0.0.1:${peer.ports.echo}`);
    const other = connect(`127.0.0.1:${peer.ports.echo}`);
    const { localAddress } = await victim.opened;
    await other.opened;
    const victimPort = Number(localAddress!.split(':').pop());
    const write = net.Socket.prototype.write;
    net.Socket.prototype.write = function (this: net.Socket, ...args: unknown[]) {
      if (this.localPort === victimPort) {
        const err = Object.assign(new Error('write ENOBUFS'), { code: 'ENOBUFS', errno: -105, syscall: 'write' });
        process.nextTick(() => this.destroy(err));
        return true;
      }
      return (write as (...a: unknown[]) => boolean).apply(this, args);
    } as typeof write;
    try {
      const w = victim.writable.getWriter();
      const r = victim.readable.getReader();
      await w.write(new Uint8Array(10)).catch(() => {});
      const e = await r.read().catch((x) => x);
      expect(e).toBeInstanceOf(SocketError);
      expect(e.code).toBe('OUT_OF_MEMORY');
      expect(await victim.closed.catch((x) => x)).toBe(e);
    } finally {
      net.Socket.prototype.write = write;
    }
    const r = other.readable.getReader();
    await other.writable.getWriter().write(new Uint8Array([42]));
    expect((await r.read()).value![0]).toBe(42);
    await other.close();
  });

  it('errno names, numbers and texts map to precise wasi:sockets codes', () => {
    expect(errorCodeOf({ code: 'EMFILE' })).toBe('new-socket-limit');
    expect(errorCodeOf({ code: 'ENFILE' })).toBe('new-socket-limit');
    expect(errorCodeOf({ errno: -24 })).toBe('new-socket-limit');
    expect(errorCodeOf(new Error('Too many open files (os error 24)'))).toBe('new-socket-limit');
    expect(errorCodeOf({ code: 'ENOBUFS' })).toBe('out-of-memory');
    expect(errorCodeOf({ code: 'ENOMEM' })).toBe('out-of-memory');
    expect(errorCodeOf({ errno: -105 })).toBe('out-of-memory');
    expect(errorCodeOf(new Error('No buffer space available'))).toBe('out-of-memory');
    expect(errorCodeOf({ code: 'EAI_MEMORY' })).toBe('out-of-memory');
    expect(errorCodeOf({ code: 'EWHATEVER' })).toBe('unknown');
  });

  it('a trap after which the instance cannot grow its memory is reported as OUT_OF_MEMORY', () => {
    const memory = { buffer: new ArrayBuffer(65536), grow() { throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded'); } };
    const inst = new ComponentInstance({ sockets: sockets as never, __internals: { memory: memory as never, handleTables: [], captureTables: [], poison() {} } }, 1);
    let err: unknown;
    try {
      inst.call(() => {
        throw new WebAssembly.RuntimeError('unreachable');
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SocketError);
    expect((err as SocketError).code).toBe('OUT_OF_MEMORY');
    // a component error result is not a fault
    const ok = new ComponentInstance({ sockets: sockets as never }, 2);
    const result = Object.assign(new Error('x'), { payload: { code: 'invalid-address', message: 'x' } });
    expect(() => ok.call(() => { throw result; })).toThrow(result);
    expect(ok.fault).toBe(null);
  });

  it('trust anchors added through the pool reach every instance, also those made later; anchors that make a fresh instance fault are forgotten', () => {
    const seen: string[][] = [];
    let poison = false;
    const fake = () => {
      const mine: string[] = [];
      seen.push(mine);
      const raw = { [Symbol.dispose]() {}, close() {} };
      return {
        sockets: {
          addTrustAnchors(b: Uint8Array) {
            const text = new TextDecoder().decode(b);
            if (poison && text === 'poison') throw new WebAssembly.RuntimeError('unreachable');
            mine.push(text);
            return 1;
          },
          connect: () => raw,
          parseAddress: () => ['h', 1],
        },
      } as never;
    };
    const pool = new InstancePool(fake, { socketsPerInstance: 1 });
    const enc = (t: string) => new TextEncoder().encode(t);
    const opts = {} as never;
    pool.acquire().connect('h', 1, opts); // instance 1 now full
    expect(pool.addTrustAnchors(enc('a'))).toBe(1);
    pool.acquire().connect('h', 1, opts); // instance 2, made after: replayed
    expect(seen).toEqual([['a'], ['a']]);
    expect(pool.addTrustAnchors(enc('poison'))).toBe(1); // accepted while harmless (by a third instance)
    expect(seen).toEqual([['a', 'poison'], ['a', 'poison'], ['a', 'poison']]);
    pool.acquire().connect('h', 1, opts); // the third is full
    poison = true;
    const next = pool.acquire(); // a fourth faults replaying "poison": forgotten, a fifth is made
    expect(next.fault).toBe(null);
    expect(seen.slice(3)).toEqual([['a'], ['a']]);
    expect(pool.counts).toMatchObject({ created: 5, faulted: 1 });
  });

  it('a fixed bundle (no fresh instances, e.g. on another WASI host) is guarded too: after a trap its sockets and every later one fail with INTERNAL_ERROR', async () => {
    const fixed = new FixedInstance({ sockets, diagnostics });
    const fixedConnect = bindConnect(guardedBackend(fixed));
    const socks = [1, 2, 3].map(() => fixedConnect(`127.0.0.1:${peer.ports.echo}`));
    await Promise.all(socks.map((s) => s.opened));
    let trap: unknown;
    try {
      fixed.acquire().call((x) => x.diagnostics!.forceTrap());
    } catch (e) {
      trap = e;
    }
    expect((trap as SocketError).code).toBe('INTERNAL_ERROR');
    for (const s of socks) expect(await s.closed.catch((x) => x)).toBe(trap);
    // a string address is parsed by the (dead) component: connect() throws; otherwise the socket fails
    expect(() => fixedConnect(`127.0.0.1:${peer.ports.echo}`)).toThrow(trap as Error);
    const later = fixedConnect({ hostname: '127.0.0.1', port: peer.ports.echo });
    expect(await later.opened.catch((x) => x)).toBe(trap);
    // the package's own connect() is unaffected (other instances)
    const s = connect(`127.0.0.1:${peer.ports.echo}`);
    await s.opened;
    await s.close();
  });
});

const runtimesDir = fileURLToPath(new URL('./runtimes/node_modules/.bin/', import.meta.url));
const runner = fileURLToPath(new URL('./fault/run.mjs', import.meta.url));
const emfile = fileURLToPath(new URL('./fault/emfile.mjs', import.meta.url));
const runtimes: [string, string, string[]][] = [
  ['Node 24', runtimesDir + 'node', []],
  ['Deno 2', runtimesDir + 'deno', ['run', '--allow-read', '--allow-net', '--allow-env=PEER_PORTS']],
  ['Bun 1', runtimesDir + 'bun', []],
];

const runJson = <T = CaseResult[]>(bin: string, args: string[]): Promise<T> => runJsonIn<T>(peer, bin, args, 120_000);

describe('the same cases on other runtimes', () => {
  for (const [label, bin, args] of runtimes) {
    it(`${label}: every fault-containment case passes, with no unhandled rejection`, async () => {
      expect(existsSync(bin), `${bin} (npm ci --prefix test/runtimes)`).toBe(true);
      const results = await runJson(bin, [...args, runner]);
      expect(results.map((r) => r.name)).toEqual([...cases.map((c) => c.name), 'no unhandled rejection']);
      expect(results.filter((r) => !r.ok)).toEqual([]);
    }, 180_000);
  }
});

describe('out of file descriptors (ulimit -n 64 in a child process)', () => {
  const all: [string, string, string[]][] = [[`Node ${process.versions.node}`, process.execPath, []], ...runtimes];
  for (const [label, bin, args] of all) {
    it(`${label}: connects past the limit fail with TOO_MANY_OPEN_FILES; earlier sockets keep working; the process recovers`, async () => {
      expect(existsSync(bin)).toBe(true);
      const r = await runJson<{
        opened: number; codes: Record<string, number>; messages: string[]; firstFailure: number;
        earlierEcho: boolean; hostnameCode: string | null; recovered: boolean | string;
      }>('/bin/sh', ['-c', 'ulimit -n 64 && exec "$@"', 'sh', bin, ...args.map((a) => a.replace('--allow-env=PEER_PORTS', '--allow-env')), emfile, String(peer.ports.echo)]);
      expect(r.opened).toBeGreaterThan(3);
      expect(r.firstFailure).toBeGreaterThan(0);
      expect(Object.keys(r.codes)).toEqual(['TOO_MANY_OPEN_FILES']);
      expect(r.hostnameCode).toBe('TOO_MANY_OPEN_FILES');
      expect(r.earlierEcho).toBe(true);
      expect(r.recovered).toBe(true);
    }, 120_000);
  }
});
