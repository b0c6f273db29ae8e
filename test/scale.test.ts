// Many sockets at once, and many sockets over time: data stays intact, and nothing grows.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { connect, SocketError } from 'wasi-connect';
// The host module the package itself uses (same module instance), and the test door to the
// component instance that connect() uses.
import { liveResources } from '../dist/src/host/io.js';
import { instanceInternals, instanceStats } from 'wasi-connect/testing';
import { startPeerProcess, type Peer } from './helpers/peer.js';
import { echoAllAtOnce } from './helpers/echo.js';

let peer: Peer;
beforeAll(async () => {
  peer = await startPeerProcess();
});
afterAll(() => peer?.stop());

// Each handle table's length and, where jco keeps one, its set of every rep it created.
const tableSizes = () =>
  (instanceInternals().handleTables as (unknown[] & { _createdReps?: Set<number> })[]).map((t) => [t?.length ?? 0, t?._createdReps?.size ?? 0]);

describe('scale', () => {
  it('1,000 sockets open at once in one process each echo 64 KiB intact', async () => {
    const N = 1000;
    const sockets = Array.from({ length: N }, () => connect(`127.0.0.1:${peer.ports.echo}`));
    await Promise.all(sockets.map((s) => s.opened));
    expect(await echoAllAtOnce(sockets)).toBe(0);
    await Promise.all(sockets.map((s) => s.close()));
    expect(liveResources.tcpSocket).toBe(0);
  }, 180_000);

  it('10,000 connect/close cycles leave the component memory, handle tables and host resources where they were', async () => {
    const cycle = async (i: number) => {
      const s = connect({ hostname: '127.0.0.1', port: peer.ports.echo });
      await s.opened;
      if (i % 10 === 0) {
        // every tenth cycle also moves a byte each way
        const r = s.readable.getReader();
        await s.writable.getWriter().write(new Uint8Array([i & 0xff]));
        expect((await r.read()).value![0]).toBe(i & 0xff);
      }
      await s.close();
    };
    const failing = async () => {
      const s = connect(`127.0.0.1:${peer.ports.refused}`);
      await expect(s.opened).rejects.toBeInstanceOf(SocketError);
    };
    // warm up: let the allocator and the tables reach their working size
    for (let i = 0; i < 500; i++) await cycle(i);
    for (let i = 0; i < 100; i++) await failing();
    const { generation } = instanceStats();
    const memBefore = instanceInternals().memory.buffer.byteLength;
    const tablesBefore = tableSizes();
    for (let i = 0; i < 10_000; i++) await cycle(i);
    for (let i = 0; i < 1_000; i++) await failing();
    // one instance served every cycle (sequential traffic never pays an instantiation)
    expect(instanceStats().generation).toBe(generation);
    expect(instanceInternals().memory.buffer.byteLength).toBe(memBefore);
    expect(tableSizes()).toEqual(tablesBefore);
    expect({ ...liveResources }).toEqual({ pollable: 0, inputStream: 0, outputStream: 0, tcpSocket: 0, resolveStream: 0, error: 0 });
  }, 240_000);
});
