// npm run bench: wasi-connect beside node:net (and @arrowood.dev/socket) in one process tree, with
// the server in a separate process; then the crypto primitives beside node:crypto.
//   node bench/bench.mjs [--quick] [--net-only] [--crypto-only]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import { runNetBench } from './net.mjs';

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
    const r = await runNetBench(server.ports, { quick });
    const base = r.rows.find((x) => x.name === 'node:net');
    console.log(`\nPlaintext TCP over loopback (server in a separate process)`);
    console.log(`  throughput: ${r.total / 1048576} MiB in ${r.chunk / 1024} KiB writes; round trip: ${r.rtN} x 32 B echo; connect: ${r.cN} x (connect, 1 B echo, close)\n`);
    console.log(`  ${'client'.padEnd(22)} ${'MB/s'.padStart(8)} ${'ratio'.padStart(6)}   ${'RTT us'.padStart(7)} ${'ratio'.padStart(6)}   ${'conn/s'.padStart(7)} ${'ratio'.padStart(6)}`);
    for (const x of r.rows) {
      console.log(`  ${x.name.padEnd(22)} ${fmt(x.mbps, 0).padStart(8)} ${fmt(x.mbps / base.mbps, 2).padStart(6)}   ${fmt(x.rttUs).padStart(7)} ${fmt(x.rttUs / base.rttUs, 2).padStart(6)}   ${fmt(x.connectsPerSec, 0).padStart(7)} ${fmt(x.connectsPerSec / base.connectsPerSec, 2).padStart(6)}`);
    }
    const wc = r.rows.find((x) => x.name === 'wasi-connect');
    console.log(`\n  aims: throughput >= 0.80x (${fmt(wc.mbps / base.mbps, 2)}x), round trip <= 1.25x (${fmt(wc.rttUs / base.rttUs, 2)}x), connect rate >= 0.70x (${fmt(wc.connectsPerSec / base.connectsPerSec, 2)}x)`);
  } finally {
    server.stop();
  }
}

if (!args.has('--net-only')) {
  const { runCryptoBench } = await import('./crypto.mjs');
  await runCryptoBench({ quick });
}
