// TLS at scale: 1,000 TLS sockets open at once in one process, each echoing 64 KiB intact; and
// 10,000 full handshakes one after another without growth of the component's memory, its handle
// tables or the host's resources. The server is the conformance peer's node:tls echo server, in a
// process of its own.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { connect } from 'wasi-connect';
import { liveResources } from '../../dist/src/host/io.js';
import { instanceInternals, instanceStats } from 'wasi-connect/testing';
import { startPeerProcess, type Peer } from '../helpers/peer.js';
import { echoAllAtOnce } from '../helpers/echo.js';

let peer: Peer;
beforeAll(async () => {
  peer = await startPeerProcess();
});
afterAll(() => peer?.stop());

const tableSizes = () => (instanceInternals().handleTables as unknown[][]).map((t) => t?.length ?? 0);
const open = () => connect(`localhost:${peer.ports.tls}`, { secureTransport: 'on', ca: peer.ports.tlsCa as unknown as string });

describe('TLS at scale', () => {
  it('1,000 TLS sockets open at once each echo 64 KiB intact', async () => {
    const N = 1000;
    const sockets = Array.from({ length: N }, open);
    await Promise.all(sockets.map((s) => s.opened));
    expect(await echoAllAtOnce(sockets)).toBe(0);
    await Promise.all(sockets.map((s) => s.close()));
    expect(liveResources.tcpSocket).toBe(0);
  }, 240_000);

  it('10,000 full TLS handshakes leave the component memory, handle tables and host resources where they were', async () => {
    const cycle = async (i: number) => {
      const s = open();
      const r = s.readable.getReader();
      await s.writable.getWriter().write(new Uint8Array([i & 0xff]));
      expect((await r.read()).value![0]).toBe(i & 0xff);
      await s.close();
    };
    for (let i = 0; i < 300; i++) await cycle(i); // warm-up: allocator and tables at working size
    const { generation } = instanceStats();
    const memBefore = instanceInternals().memory.buffer.byteLength;
    const tablesBefore = tableSizes();
    for (let i = 0; i < 10_000; i++) await cycle(i);
    expect(instanceStats().generation).toBe(generation); // one instance served every handshake
    expect(instanceInternals().memory.buffer.byteLength).toBe(memBefore);
    expect(tableSizes()).toEqual(tablesBefore);
    expect({ ...liveResources }).toEqual({ pollable: 0, inputStream: 0, outputStream: 0, tcpSocket: 0, resolveStream: 0, error: 0 });
  }, 600_000);
});
