// npm run bench: wasi-connect beside node:net (and @arrowood.dev/socket) in one process tree, with
// the server in a separate process; then node-postgres' pg.Pool over connect() beside the same
// pool over node:net, against a PostgreSQL server this starts; then TLS beside node:tls; then the
// crypto primitives beside node:crypto.
//   node bench/bench.mjs [--quick] [--net-only | --pg-only | --tls-only | --crypto-only]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { hostBin, component } from '../native/paths.mjs';
import { FLOOR } from './web-streams-floor.mjs';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');

const only = ['--net-only', '--pg-only', '--tls-only', '--crypto-only'].find((a) => args.has(a));
const section = (name) => !only || only === `--${name}-only`;

async function startServer(script = './server.mjs') {
  const child = spawn(process.execPath, [fileURLToPath(new URL(script, import.meta.url))], { stdio: ['pipe', 'pipe', 'inherit'] });
  const ports = await new Promise((resolve) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      if (buf.includes('\n')) resolve(JSON.parse(buf));
    });
  });
  return { ports, stop: () => child.kill() };
}

const fmt = (n, d = 1) => n.toFixed(d);
console.log(`wasi-connect benchmarks: Node ${process.versions.node}, ${os.cpus()[0]?.model ?? 'cpu'} x${os.cpus().length}${quick ? ' (quick)' : ''}`);

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

if (section('net')) {
  const server = await startServer();
  try {
    // each client in a process of its own (a child of this one), against the same server process
    const netScript = fileURLToPath(new URL('./net.mjs', import.meta.url));
    // interleaved repeats (node, wasi-connect, arrowood, node, ...) and the median of each figure,
    // so that a passing disturbance of the machine does not decide a ratio
    // the same component on wasmtime (native/host, built by `node native/ensure.mjs`), same server
    const native = existsSync(hostBin) ? 'wasmtime (native host)' : null;
    if (!native) console.log('(native host not built: node native/ensure.mjs adds wasmtime to this table)');
    const names = ['node:net', 'wasi-connect', '@arrowood.dev/socket', FLOOR, ...(native ? [native] : [])];
    const repeats = quick ? 1 : 3;
    const runs = Object.fromEntries(names.map((n) => [n, []]));
    for (let i = 0; i < repeats; i++) {
      for (const name of names) {
        const out = name === native
          ? execFileSync(hostBin, ['bench', component, ...(quick ? ['--quick'] : [])], { encoding: 'utf8', env: { ...process.env, PEER_PORTS: JSON.stringify(server.ports) } })
          : execFileSync(process.execPath, [netScript, name, JSON.stringify(server.ports), quick ? '--quick' : ''], { encoding: 'utf8' });
        runs[name].push(JSON.parse(out));
      }
    }
    const rows = names.map((name) => {
      const rs = runs[name];
      return { ...rs[0], mbps: median(rs.map((r) => r.mbps)), rttUs: median(rs.map((r) => r.rttUs)), connectsPerSec: median(rs.map((r) => r.connectsPerSec)), coldRttUs: median(rs.map((r) => r.coldRttUs)), repeats };
    });
    const r = { rows, ...rows[0] };
    const base = r.rows.find((x) => x.name === 'node:net');
    console.log(`\nPlaintext TCP over loopback (server in a separate process)`);
    console.log(`  throughput: ${r.total / 1048576} MiB in ${r.chunk / 1024} KiB writes; round trip: ${r.rtN} x 32 B echo; connect: ${r.cN} x (connect, 1 B echo, close)\n`);
    console.log(`  each client in its own process, after the same warm-up, best of 3 runs; the clients take turns ${rows[0].repeats} times and the median is shown;`);
    console.log(`  "cold RTT": the first 1,000 round trips of a fresh process\n`);
    console.log(`  ${'client'.padEnd(26)} ${'MB/s'.padStart(8)} ${'ratio'.padStart(6)}   ${'RTT us'.padStart(7)} ${'ratio'.padStart(6)}   ${'conn/s'.padStart(7)} ${'ratio'.padStart(6)}   ${'cold RTT us'.padStart(11)}`);
    for (const x of r.rows) {
      console.log(`  ${x.name.padEnd(26)} ${fmt(x.mbps, 0).padStart(8)} ${fmt(x.mbps / base.mbps, 2).padStart(6)}   ${fmt(x.rttUs).padStart(7)} ${fmt(x.rttUs / base.rttUs, 2).padStart(6)}   ${fmt(x.connectsPerSec, 0).padStart(7)} ${fmt(x.connectsPerSec / base.connectsPerSec, 2).padStart(6)}   ${fmt(x.coldRttUs).padStart(11)}`);
    }
    const wc = r.rows.find((x) => x.name === 'wasi-connect');
    const nat = native && r.rows.find((x) => x.name === native);
    if (nat) console.log(`\n  wasmtime / Node host (same component): throughput ${fmt(nat.mbps / wc.mbps, 2)}x, round trip ${fmt(nat.rttUs / wc.rttUs, 2)}x, connect rate ${fmt(nat.connectsPerSec / wc.connectsPerSec, 2)}x`);
    console.log(`\n  aims (issue 9): throughput >= 0.90x (${fmt(wc.mbps / base.mbps, 2)}x), round trip <= 1.15x (${fmt(wc.rttUs / base.rttUs, 2)}x), connect rate >= 0.80x (${fmt(wc.connectsPerSec / base.connectsPerSec, 2)}x)`);
    const floor = r.rows.find((x) => x.name === FLOOR);
    console.log(`  "${FLOOR}": node:net + Duplex.toWeb, the floor of any connect() with Node's streams (bench/web-streams-floor.mjs);`);
    console.log(`  wasi-connect / that floor: throughput ${fmt(wc.mbps / floor.mbps, 2)}x, round trip ${fmt(wc.rttUs / floor.rttUs, 2)}x, connect rate ${fmt(wc.connectsPerSec / floor.connectsPerSec, 2)}x`);
  } finally {
    server.stop();
  }
}

if (section('pg')) {
  // the cluster the PostgreSQL tests use (plaintext only here), in its own processes
  const { startCluster } = await import('../test/helpers/postgres-cluster.mjs');
  const { POOL_SIZE } = await import('./pg.mjs');
  const password = `bench-${Math.random().toString(36).slice(2)}`;
  const cluster = await startCluster({ database: 'bench', roles: [{ name: 'bench', password }] });
  try {
    const server = { host: cluster.host, port: cluster.port, user: 'bench', password, database: 'bench' };
    const pgScript = fileURLToPath(new URL('./pg.mjs', import.meta.url));
    const names = ['node:net', 'wasi-connect', FLOOR];
    const repeats = quick ? 1 : 3;
    const runs = Object.fromEntries(names.map((n) => [n, []]));
    for (let i = 0; i < repeats; i++) {
      for (const name of names) {
        runs[name].push(JSON.parse(execFileSync(process.execPath, [pgScript, name, JSON.stringify(server), quick ? '--quick' : ''], { encoding: 'utf8' })));
      }
    }
    const rows = names.map((name) => ({ ...runs[name][0], qps: median(runs[name].map((r) => r.qps)), cpuUsPerQuery: median(runs[name].map((r) => r.cpuUsPerQuery)) }));
    const [base, wc] = rows;
    console.log(`\nnode-postgres pg.Pool (${POOL_SIZE} clients, warm) against ${cluster.version.replace(/^postgres \(PostgreSQL\) /, 'PostgreSQL ')} on 127.0.0.1`);
    console.log(`  ${wc.queries} x SELECT $1::int, $2::text by ${wc.callers} concurrent callers; best of 3 runs per client process, clients take turns ${repeats} times, median shown;`);
    console.log(`  wasi-connect: pg's Cloudflare Workers path (pg-cloudflare's CloudflareSocket over connect())\n`);
    console.log(`  ${'stream'.padEnd(26)} ${'queries/s'.padStart(10)} ${'ratio'.padStart(6)}   ${'client CPU us/query'.padStart(19)}`);
    for (const x of rows) console.log(`  ${x.name.padEnd(26)} ${fmt(x.qps, 0).padStart(10)} ${fmt(x.qps / base.qps, 2).padStart(6)}   ${fmt(x.cpuUsPerQuery).padStart(19)}`);
    console.log(`\n  aim: pg.Pool over connect() >= 0.80x the pool over node:net (${fmt(wc.qps / base.qps, 2)}x)`);
    const floor = rows.find((x) => x.name === FLOOR);
    console.log(`  "${FLOOR}": the same Workers path over node:net + Duplex.toWeb (the floor of any connect() with Node's streams): ${fmt(floor.qps / base.qps, 2)}x;`);
    console.log(`  wasi-connect / that floor: ${fmt(wc.qps / floor.qps, 2)}x`);
  } finally {
    await cluster.stop();
  }
}

if (section('tls')) {
  const server = await startServer('./tls-server.mjs');
  try {
    const tlsScript = fileURLToPath(new URL('./tls.mjs', import.meta.url));
    const native = existsSync(hostBin) ? 'wasmtime (native host)' : null;
    const names = ['node:tls', 'wasi-connect', ...(native ? [native] : [])];
    const repeats = quick ? 1 : 3;
    const runs = Object.fromEntries(names.map((n) => [n, []]));
    for (let i = 0; i < repeats; i++) {
      for (const name of names) {
        const out = name === native
          ? execFileSync(hostBin, ['bench', component, '--tls', ...(quick ? ['--quick'] : [])], { encoding: 'utf8', env: { ...process.env, TLS_BENCH: JSON.stringify(server.ports) } })
          : execFileSync(process.execPath, [tlsScript, name, JSON.stringify(server.ports), quick ? '--quick' : ''], { encoding: 'utf8' });
        runs[name].push(JSON.parse(out));
      }
    }
    const keys = ['mbps', 'ecHandshakeMs', 'rsaHandshakeMs', 'resumedHandshakeMs', 'rttUs', 'mbps12', 'ecHandshakeMs12'];
    const rows = names.map((name) => ({ ...runs[name][0], ...Object.fromEntries(keys.map((k) => [k, median(runs[name].map((r) => r[k]))])) }));
    const [base, wc] = rows;
    const nat = rows[2];
    console.log(`\nTLS 1.3 over loopback (node:tls server in a separate process; both clients verify chain and name)`);
    console.log(`  throughput: ${wc.total / 1048576} MiB in 64 KiB writes, TLS_CHACHA20_POLY1305_SHA256; handshake: ${wc.hN} x (connect, full handshake, 1 B echo, close);`);
    console.log(`  round trip: ${wc.rtN} x 32 B echo; best of 3 runs per client process, clients take turns ${repeats} times, median shown\n`);
    console.log(`  ${'client'.padEnd(22)} ${'MB/s'.padStart(7)} ${'ratio'.padStart(6)}   ${'ECDSA hs ms'.padStart(11)} ${'ratio'.padStart(6)}   ${'RSA hs ms'.padStart(9)} ${'ratio'.padStart(6)}   ${'resumed ms'.padStart(10)} ${'ratio'.padStart(6)}   ${'RTT us'.padStart(7)} ${'ratio'.padStart(6)}`);
    for (const x of rows) {
      console.log(`  ${x.name.padEnd(22)} ${fmt(x.mbps, 0).padStart(7)} ${fmt(x.mbps / base.mbps, 2).padStart(6)}   ${fmt(x.ecHandshakeMs, 2).padStart(11)} ${fmt(x.ecHandshakeMs / base.ecHandshakeMs, 2).padStart(6)}   ${fmt(x.rsaHandshakeMs, 2).padStart(9)} ${fmt(x.rsaHandshakeMs / base.rsaHandshakeMs, 2).padStart(6)}   ${fmt(x.resumedHandshakeMs, 2).padStart(10)} ${fmt(x.resumedHandshakeMs / base.resumedHandshakeMs, 2).padStart(6)}   ${fmt(x.rttUs).padStart(7)} ${fmt(x.rttUs / base.rttUs, 2).padStart(6)}`);
    }
    if (nat) console.log(`\n  wasmtime / Node host (same component): bulk ${fmt(nat.mbps / wc.mbps, 2)}x, ECDSA handshake ${fmt(nat.ecHandshakeMs / wc.ecHandshakeMs, 2)}x, RSA handshake ${fmt(nat.rsaHandshakeMs / wc.rsaHandshakeMs, 2)}x, round trip ${fmt(nat.rttUs / wc.rttUs, 2)}x`);
    console.log(`\n  aims: bulk >= 0.50x node:tls (${fmt(wc.mbps / base.mbps, 2)}x), full handshake <= 2x node:tls: ECDSA ${fmt(wc.ecHandshakeMs / base.ecHandshakeMs, 2)}x, RSA ${fmt(wc.rsaHandshakeMs / base.rsaHandshakeMs, 2)}x;`);
    console.log(`        resumed handshake <= 0.5x our full one (${fmt(wc.resumedHandshakeMs / wc.ecHandshakeMs, 2)}x) and <= 1.5x node:tls resumed (${fmt(wc.resumedHandshakeMs / base.resumedHandshakeMs, 2)}x)`);
    console.log(`\n  TLS 1.2 (ECDHE-ECDSA; bulk with ECDHE-ECDSA-CHACHA20-POLY1305):`);
    console.log(`  ${'client'.padEnd(22)} ${'MB/s'.padStart(7)} ${'ratio'.padStart(6)}   ${'ECDSA hs ms'.padStart(11)} ${'ratio'.padStart(6)}`);
    for (const x of rows.filter((r) => Number.isFinite(r.mbps12))) {
      console.log(`  ${x.name.padEnd(22)} ${fmt(x.mbps12, 0).padStart(7)} ${fmt(x.mbps12 / base.mbps12, 2).padStart(6)}   ${fmt(x.ecHandshakeMs12, 2).padStart(11)} ${fmt(x.ecHandshakeMs12 / base.ecHandshakeMs12, 2).padStart(6)}`);
    }
    console.log(`  aims (as TLS 1.3): bulk >= 0.50x (${fmt(wc.mbps12 / base.mbps12, 2)}x), handshake <= 2x (${fmt(wc.ecHandshakeMs12 / base.ecHandshakeMs12, 2)}x)`);
  } finally {
    server.stop();
  }
}

if (section('crypto')) {
  const { runCryptoBench } = await import('./crypto.mjs');
  await runCryptoBench({ quick });
}
