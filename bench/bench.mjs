// npm run bench: wasi-connect beside node:net (and @arrowood.dev/socket) in one process tree, with
// the server in a separate process; then the crypto primitives beside node:crypto.
//   node bench/bench.mjs [--quick] [--net-only] [--crypto-only]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { hostBin, component } from '../native/paths.mjs';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');

async function startServer() {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./server.mjs', import.meta.url))], { stdio: ['pipe', 'pipe', 'inherit'] });
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

if (!args.has('--crypto-only')) {
  const server = await startServer();
  try {
    // each client in a process of its own (a child of this one), against the same server process
    const netScript = fileURLToPath(new URL('./net.mjs', import.meta.url));
    // interleaved repeats (node, wasi-connect, arrowood, node, ...) and the median of each figure,
    // so that a passing disturbance of the machine does not decide a ratio
    // the same component on wasmtime (native/host, built by `node native/ensure.mjs`), same server
    const native = existsSync(hostBin) ? 'wasmtime (native host)' : null;
    if (!native) console.log('(native host not built: node native/ensure.mjs adds wasmtime to this table)');
    const names = ['node:net', 'wasi-connect', '@arrowood.dev/socket', ...(native ? [native] : [])];
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
    const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
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
    console.log(`  ${'client'.padEnd(22)} ${'MB/s'.padStart(8)} ${'ratio'.padStart(6)}   ${'RTT us'.padStart(7)} ${'ratio'.padStart(6)}   ${'conn/s'.padStart(7)} ${'ratio'.padStart(6)}   ${'cold RTT us'.padStart(11)}`);
    for (const x of r.rows) {
      console.log(`  ${x.name.padEnd(22)} ${fmt(x.mbps, 0).padStart(8)} ${fmt(x.mbps / base.mbps, 2).padStart(6)}   ${fmt(x.rttUs).padStart(7)} ${fmt(x.rttUs / base.rttUs, 2).padStart(6)}   ${fmt(x.connectsPerSec, 0).padStart(7)} ${fmt(x.connectsPerSec / base.connectsPerSec, 2).padStart(6)}   ${fmt(x.coldRttUs).padStart(11)}`);
    }
    const wc = r.rows.find((x) => x.name === 'wasi-connect');
    const nat = native && r.rows.find((x) => x.name === native);
    if (nat) console.log(`\n  wasmtime / Node host (same component): throughput ${fmt(nat.mbps / wc.mbps, 2)}x, round trip ${fmt(nat.rttUs / wc.rttUs, 2)}x, connect rate ${fmt(nat.connectsPerSec / wc.connectsPerSec, 2)}x`);
    console.log(`\n  aims: throughput >= 0.80x (${fmt(wc.mbps / base.mbps, 2)}x), round trip <= 1.25x (${fmt(wc.rttUs / base.rttUs, 2)}x), connect rate >= 0.70x (${fmt(wc.connectsPerSec / base.connectsPerSec, 2)}x)`);
  } finally {
    server.stop();
  }
}

if (!args.has('--net-only')) {
  const { runCryptoBench } = await import('./crypto.mjs');
  await runCryptoBench({ quick });
}
