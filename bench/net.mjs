// Plaintext benchmarks: throughput, small-message round trip, connect rate, for wasi-connect,
// raw node:net, @arrowood.dev/socket and the web-streams floor (node:net + Duplex.toWeb, no
// component: web-streams-floor.mjs), against one server process.
import net from 'node:net';
import { connect as wcConnect } from 'wasi-connect';
import { connect as arConnect } from '@arrowood.dev/socket';
import { connect as floorConnect, FLOOR } from './web-streams-floor.mjs';
import { best, runAsChild, specThroughput, specRoundTrips, specPing, nodeThroughput, nodeRoundTrips } from './measure.mjs';

// ---------------------------------------------------------------- spec-API clients (wasi-connect, arrowood)
function specClient(connectFn, needsOpened) {
  const open = async (port) => {
    const s = connectFn({ hostname: '127.0.0.1', port });
    if (needsOpened) await s.opened;
    return s;
  };
  return {
    async throughput(port, total, chunk) {
      return specThroughput(await open(port), total, chunk);
    },
    async roundTrips(port, n, size) {
      return specRoundTrips(await open(port), n, size);
    },
    async connects(port, n) {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await specPing(connectFn({ hostname: '127.0.0.1', port }));
      return performance.now() - t0;
    },
  };
}

// ---------------------------------------------------------------- node:net
const nodeClient = {
  throughput(port, total, chunk) {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host: '127.0.0.1', noDelay: true, allowHalfOpen: true });
      s.on('connect', () => nodeThroughput(s, total, chunk).then(resolve, reject));
      s.on('error', reject);
    });
  },
  roundTrips(port, n, size) {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host: '127.0.0.1', noDelay: true });
      s.on('connect', () => nodeRoundTrips(s, n, size).then(resolve));
      s.on('error', reject);
    });
  },
  async connects(port, n) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      await new Promise((resolve, reject) => {
        const s = net.connect({ port, host: '127.0.0.1', noDelay: true }, () => s.write('\x01'));
        s.once('data', () => {
          s.destroy();
          resolve();
        });
        s.on('error', reject);
      });
    }
    return performance.now() - t0;
  },
};

export const clients = {
  'node:net': nodeClient,
  'wasi-connect': specClient(wcConnect, true),
  '@arrowood.dev/socket': specClient(arConnect, false),
  [FLOOR]: specClient(floorConnect, true),
};

/**
 * One client's measurements, in this process: an identical warm-up for every client (JIT tiers,
 * allocators, the server's own warm-up), then the best of `rounds` runs of each measurement.
 * Cold numbers (the first round trips of a fresh process) are reported too.
 */
export async function measureClient(name, ports, { quick = false } = {}) {
  const c = clients[name];
  const total = quick ? 32 * 1024 * 1024 : 256 * 1024 * 1024;
  const chunk = 64 * 1024;
  const rtN = quick ? 1000 : 5000;
  const cN = quick ? 300 : 2000;
  const rounds = quick ? 2 : 3;
  const coldRttUs = ((await c.roundTrips(ports.echo, 1000, 32)) * 1000) / 1000;
  for (let i = 0; i < (quick ? 1 : 3); i++) {
    await c.throughput(ports.sink, 64 * 1024 * 1024, chunk);
    await c.roundTrips(ports.echo, 10000, 32);
    await c.connects(ports.echo, 1000);
  }
  const tMs = await best(rounds, () => c.throughput(ports.sink, total, chunk));
  const rMs = await best(rounds, () => c.roundTrips(ports.echo, rtN, 32));
  const cMs = await best(rounds, () => c.connects(ports.echo, cN));
  return {
    name,
    mbps: total / 1e6 / (tMs / 1000),
    rttUs: (rMs * 1000) / rtN,
    connectsPerSec: cN / (cMs / 1000),
    coldRttUs,
    total,
    chunk,
    rtN,
    cN,
  };
}

// Run as a child of bench.mjs: node bench/net.mjs <client> <ports-json> [--quick]
await runAsChild(import.meta.url, measureClient);
