// node-postgres beside itself: a warm pg.Pool of 20 clients running small parameterized queries,
// over node:net (pg's default stream) and over wasi-connect's connect() (pg's Cloudflare Workers
// path: pg loaded as in a Worker, each client's stream a pg-cloudflare CloudflareSocket, whose
// `import('cloudflare:sockets')` resolves to this package through wasi-connect/register), against
// one PostgreSQL server (bench.mjs starts it with test/helpers/postgres-cluster.mjs).
// The third pool runs the same Workers path over bench/web-streams-floor.mjs (node:net + Node's web
// streams, no component): the floor of any connect() on Node.
//   node bench/pg.mjs <node:net | wasi-connect | "web streams, no component"> '<json: { host, port, user, password, database }>' [--quick]
// Prints one JSON line: queries per second (best of 3 runs), CPU per query in this process.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { FLOOR } from './web-streams-floor.mjs';
import { runAsChild } from './measure.mjs';

const require = createRequire(import.meta.url);

export const POOL_SIZE = 20;

async function loadPg(name) {
  if (name === 'node:net') return { pg: require('pg'), stream: undefined };
  if (name === FLOOR) {
    // the same Workers path over the component-free client (web-streams-floor.mjs)
    const { register } = await import('node:module');
    register(new URL('./web-streams-floor-hooks.mjs', import.meta.url));
  } else {
    await import('wasi-connect/register');
  }
  // pg picks its Workers stream functions when lib/stream.js loads, from navigator.userAgent
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  Object.defineProperty(globalThis, 'navigator', { value: { userAgent: 'Cloudflare-Workers' }, configurable: true, writable: true });
  let pg;
  try {
    pg = require('pg');
  } finally {
    if (saved) Object.defineProperty(globalThis, 'navigator', saved);
    else delete globalThis.navigator;
  }
  // pg-cloudflare's code (its package exports it only under the `workerd` condition)
  const { CloudflareSocket } = require(join(dirname(require.resolve('pg-cloudflare')), 'index.js'));
  return { pg, stream: (config) => new CloudflareSocket(config.ssl) };
}

/** `callers` loops, each running queries one after another, until `total` queries are done. */
async function runQueries(pool, total, callers) {
  let next = 0;
  const loop = async () => {
    while (next < total) {
      const i = next++;
      const r = await pool.query('SELECT $1::int AS n, $2::text AS t', [i, 'abc']);
      if (r.rows[0].n !== i) throw new Error(`query ${i} returned ${r.rows[0].n}`);
    }
  };
  await Promise.all(Array.from({ length: callers }, loop));
}

export async function measurePg(name, server, { quick = false } = {}) {
  const { pg, stream } = await loadPg(name);
  const pool = new pg.Pool({
    host: server.host, port: server.port, user: server.user, password: server.password, database: server.database,
    max: POOL_SIZE, idleTimeoutMillis: 0, ...(stream ? { stream } : {}),
  });
  const n = quick ? 4000 : 20000;
  const callers = POOL_SIZE;
  try {
    // warm-up: every client connected, JIT tiers, the server's backends warm
    for (let i = 0; i < (quick ? 1 : 3); i++) await runQueries(pool, n / 2, callers);
    if (pool.totalCount !== POOL_SIZE) throw new Error(`the pool holds ${pool.totalCount} clients, not ${POOL_SIZE}`);
    let best = { qps: 0, cpuUs: Infinity };
    for (let round = 0; round < 3; round++) {
      const u0 = process.cpuUsage();
      const t0 = performance.now();
      await runQueries(pool, n, callers);
      const ms = performance.now() - t0;
      const u = process.cpuUsage(u0);
      const qps = n / (ms / 1000);
      if (qps > best.qps) best = { qps, cpuUs: (u.user + u.system) / n };
    }
    return { name, qps: best.qps, cpuUsPerQuery: best.cpuUs, queries: n, poolSize: POOL_SIZE, callers };
  } finally {
    await pool.end();
  }
}

// Run as a child of bench.mjs: node bench/pg.mjs <client> <server-json> [--quick]
await runAsChild(import.meta.url, measurePg);
