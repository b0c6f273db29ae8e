// Plaintext benchmarks: throughput, small-message round trip, connect rate, for wasi-connect,
// raw node:net and @arrowood.dev/socket, against one server process.
import net from 'node:net';
import { connect as wcConnect } from 'wasi-connect';
import { connect as arConnect } from '@arrowood.dev/socket';

const enc = new TextEncoder();

// ---------------------------------------------------------------- spec-API clients (wasi-connect, arrowood)
function specClient(connectFn, needsOpened) {
  return {
    async throughput(port, total, chunk) {
      const s = connectFn({ hostname: '127.0.0.1', port });
      if (needsOpened) await s.opened;
      const w = s.writable.getWriter();
      const buf = new Uint8Array(chunk).fill(97);
      const t0 = performance.now();
      for (let off = 0; off < total; off += chunk) {
        await w.ready;
        w.write(buf);
      }
      await w.close();
      const r = s.readable.getReader();
      let reply = '';
      for (;;) {
        const { value, done } = await r.read();
        if (done) break;
        reply += new TextDecoder().decode(value);
      }
      const ms = performance.now() - t0;
      if (Number(reply) !== total) throw new Error(`sink counted ${reply}, expected ${total}`);
      await s.close();
      return ms;
    },
    async roundTrips(port, n, size) {
      const s = connectFn({ hostname: '127.0.0.1', port });
      if (needsOpened) await s.opened;
      const w = s.writable.getWriter();
      const r = s.readable.getReader();
      const msg = new Uint8Array(size).fill(98);
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        await w.write(msg);
        let got = 0;
        while (got < size) got += (await r.read()).value.length;
      }
      const ms = performance.now() - t0;
      await s.close();
      return ms;
    },
    async connects(port, n) {
      const one = new Uint8Array([1]);
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        const s = connectFn({ hostname: '127.0.0.1', port });
        const w = s.writable.getWriter();
        const r = s.readable.getReader();
        await w.write(one);
        await r.read();
        await s.close();
      }
      return performance.now() - t0;
    },
  };
}

// ---------------------------------------------------------------- node:net
const nodeClient = {
  throughput(port, total, chunk) {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host: '127.0.0.1', noDelay: true, allowHalfOpen: true });
      const buf = Buffer.alloc(chunk, 97);
      let off = 0;
      let reply = '';
      let t0;
      const pump = () => {
        while (off < total) {
          off += chunk;
          if (!s.write(buf)) return s.once('drain', pump);
        }
        s.end();
      };
      s.on('connect', () => {
        t0 = performance.now();
        pump();
      });
      s.on('data', (d) => (reply += d));
      s.on('end', () => {
        const ms = performance.now() - t0;
        s.destroy();
        if (Number(reply) !== total) reject(new Error(`sink counted ${reply}`));
        else resolve(ms);
      });
      s.on('error', reject);
    });
  },
  roundTrips(port, n, size) {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host: '127.0.0.1', noDelay: true });
      const msg = Buffer.alloc(size, 98);
      let i = 0, got = 0, t0;
      s.on('connect', () => {
        t0 = performance.now();
        s.write(msg);
      });
      s.on('data', (d) => {
        got += d.length;
        if (got < size) return;
        got = 0;
        if (++i === n) {
          const ms = performance.now() - t0;
          s.destroy();
          return resolve(ms);
        }
        s.write(msg);
      });
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
};

const best = async (rounds, f) => {
  let b = Infinity;
  for (let i = 0; i < rounds; i++) b = Math.min(b, await f());
  return b;
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
if (import.meta.url === `file://${process.argv[1]}`) {
  const [name, portsJson, flag] = process.argv.slice(2);
  const r = await measureClient(name, JSON.parse(portsJson), { quick: flag === '--quick' });
  process.stdout.write(JSON.stringify(r) + '\n');
}
