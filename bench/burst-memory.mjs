// The issue's memory case: N sockets that each write 256 KiB before they open, then all close.
// How much linear memory the instances take, and what is left after the next connect() and a GC.
//   node --expose-gc bench/burst-memory.mjs [N=4000] [socketsPerInstance]
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { connect } from 'wasi-connect';
import { poolStats, configureInstances } from 'wasi-connect/testing';

if (!globalThis.gc) throw new Error('run with --expose-gc');
const N = Number(process.argv[2] ?? 4000);
if (process.argv[3]) configureInstances({ socketsPerInstance: Number(process.argv[3]) });
const server = spawn(process.execPath, [fileURLToPath(new URL('./server.mjs', import.meta.url))], { stdio: ['pipe', 'pipe', 'inherit'] });
const { echo } = await new Promise((res) => server.stdout.once('data', (d) => res(JSON.parse(d))));
const mib = (x) => (x / 1048576).toFixed(0);
try {
  const rss0 = process.memoryUsage().rss;
  const socks = Array.from({ length: N }, () => connect({ hostname: 'localhost', port: echo }));
  await Promise.all(socks.map((s) => s.writable.getWriter().write(new Uint8Array(256 * 1024))));
  const peak = poolStats();
  const rss1 = process.memoryUsage().rss;
  await Promise.all(socks.map((s) => s.opened));
  await Promise.all(socks.map((s) => s.close()));
  const s = connect({ hostname: '127.0.0.1', port: echo });
  await s.opened;
  for (let i = 0; i < 5; i++) {
    globalThis.gc();
    await new Promise((r) => setTimeout(r, 20));
  }
  const after = poolStats();
  const sum = (st) => st.instances.reduce((a, i) => a + i.memoryBytes, 0);
  console.log(`${N} sockets x 256 KiB written before open (${peak.socketsPerInstance} per instance):`);
  console.log(`  ${peak.instances.length} instances, ${mib(sum(peak))} MiB of linear memory (largest ${mib(Math.max(...peak.instances.map((i) => i.memoryBytes)))} MiB); RSS ${mib(rss0)} -> ${mib(rss1)} MiB`);
  console.log(`  after they close, one connect() and a GC: ${after.instances.length} instance(s) of ${after.instances.map((i) => `${i.memoryBytes / 1024} KiB`).join(', ')}; RSS ${mib(process.memoryUsage().rss)} MiB (made ${after.created}, dropped ${after.dropped})`);
  await s.close();
} finally {
  server.kill();
}
