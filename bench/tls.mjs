// TLS benchmarks: bulk throughput (ChaCha20-Poly1305), connect + full TLS 1.3 handshake (ECDSA
// P-256 chain; RSA-2048 chain), small-message round trip, for wasi-connect and node:tls, against
// one server process (bench/tls-server.mjs). Both clients verify the chain and the name.
import tls from 'node:tls';
import { connect as wcConnect } from 'wasi-connect';
import { best, runAsChild, specThroughput, specRoundTrips, specPing, nodeThroughput, nodeRoundTrips } from './measure.mjs';

const client = {
  'node:tls': {
    open(port, ca, session) {
      return new Promise((resolve, reject) => {
        const s = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', ca, minVersion: 'TLSv1.2', allowHalfOpen: true, session }, () => resolve(s));
        s.setNoDelay(true);
        s.on('error', reject);
      });
    },
    /** Full handshakes (unmeasured) that yield a session, each followed by two measured resumptions. */
    async resumedHandshakes(port, ca, n) {
      let total = 0;
      for (let done = 0; done < n; ) {
        let saved = null;
        const full = await this.open(port, ca);
        full.on('session', (sess) => (saved = sess));
        await new Promise((resolve) => {
          full.once('data', resolve);
          full.write('\x01');
        });
        full.destroy();
        for (let k = 0; k < 2 && done < n; k++, done++) {
          const t0 = performance.now();
          const s = await this.open(port, ca, saved);
          await new Promise((resolve) => {
            s.once('data', resolve);
            s.write('\x01');
          });
          total += performance.now() - t0;
          if (!s.isSessionReused()) throw new Error('node:tls did not resume');
          s.destroy();
        }
      }
      return total;
    },
    throughput(port, ca, total, chunk) {
      return this.open(port, ca).then((s) => nodeThroughput(s, total, chunk));
    },
    roundTrips(port, ca, n, size) {
      return this.open(port, ca).then((s) => nodeRoundTrips(s, n, size));
    },
    async handshakes(port, ca, n) {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) {
        const s = await this.open(port, ca);
        await new Promise((resolve) => {
          s.once('data', resolve);
          s.write('\x01');
        });
        s.destroy();
      }
      return performance.now() - t0;
    },
  },
  'wasi-connect': {
    open(port, ca, session = true) {
      return wcConnect({ hostname: 'localhost', port }, { secureTransport: 'on', ca, session });
    },
    async once(port, ca, session) {
      const s = this.open(port, ca, session);
      const w = s.writable.getWriter();
      const r = s.readable.getReader();
      await w.write(new Uint8Array([1]));
      await r.read();
      const info = await s.opened;
      await s.close();
      return info;
    },
    /** Full handshakes (unmeasured) that store tickets, each followed by two measured resumptions. */
    async resumedHandshakes(port, ca, n) {
      let total = 0;
      for (let done = 0; done < n; ) {
        await this.once(port, ca, true);
        for (let k = 0; k < 2 && done < n; k++, done++) {
          const t0 = performance.now();
          const info = await this.once(port, ca, true);
          total += performance.now() - t0;
          if (!info.tls.resumed) throw new Error('wasi-connect did not resume');
        }
      }
      return total;
    },
    async throughput(port, ca, total, chunk) {
      const s = this.open(port, ca);
      await s.opened;
      return specThroughput(s, total, chunk);
    },
    async roundTrips(port, ca, n, size) {
      const s = this.open(port, ca);
      await s.opened;
      return specRoundTrips(s, n, size);
    },
    async handshakes(port, ca, n) {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) await specPing(this.open(port, ca, false));
      return performance.now() - t0;
    },
  },
};

export async function measureTlsClient(name, server, { quick = false } = {}) {
  const c = client[name];
  const { ports, ca } = server;
  const total = quick ? 32 * 1024 * 1024 : 128 * 1024 * 1024;
  const chunk = 64 * 1024;
  const hN = quick ? 100 : 400;
  const rtN = quick ? 1000 : 5000;
  const rounds = quick ? 2 : 3;
  // identical warm-up for both clients
  await c.throughput(ports.chachaSink, ca.ec, 16 * 1024 * 1024, chunk);
  await c.handshakes(ports.ecEcho, ca.ec, 50);
  await c.handshakes(ports.rsaEcho, ca.rsa, 50);
  await c.roundTrips(ports.chachaEcho, ca.ec, 2000, 32);
  await c.resumedHandshakes(ports.ecEcho, ca.ec, 20);
  const tMs = await best(rounds, () => c.throughput(ports.chachaSink, ca.ec, total, chunk));
  const ecMs = await best(rounds, () => c.handshakes(ports.ecEcho, ca.ec, hN));
  const rsaMs = await best(rounds, () => c.handshakes(ports.rsaEcho, ca.rsa, hN));
  const rMs = await best(rounds, () => c.roundTrips(ports.chachaEcho, ca.ec, rtN, 32));
  const resMs = await best(rounds, () => c.resumedHandshakes(ports.ecEcho, ca.ec, hN));
  const t12Ms = await best(rounds, () => c.throughput(ports.chachaSink12, ca.ec, total, chunk));
  const ec12Ms = await best(rounds, () => c.handshakes(ports.ecEcho12, ca.ec, hN));
  return {
    name,
    mbps: total / 1e6 / (tMs / 1000),
    ecHandshakeMs: ecMs / hN,
    rsaHandshakeMs: rsaMs / hN,
    resumedHandshakeMs: resMs / hN,
    mbps12: total / 1e6 / (t12Ms / 1000),
    ecHandshakeMs12: ec12Ms / hN,
    rttUs: (rMs * 1000) / rtN,
    total,
    hN,
    rtN,
  };
}

// Run as a child of bench.mjs: node bench/tls.mjs <client> <server-json> [--quick]
await runAsChild(import.meta.url, measureTlsClient);
