// How many sockets should share a component instance? Measures, for each sharing policy, what a
// connection costs and what an idle socket keeps in memory (docs/ARCHITECTURE.md, "Instances").
//   node bench/instances.mjs            (each policy in a process of its own, 3 interleaved runs)
// Policies (via wasi-connect/testing's configureInstances):
//   one-for-all    every socket in one instance (socketsPerInstance Infinity)
//   pool-K         at most K live sockets per instance, idle instances reused
//   per-socket     a fresh instance for every socket, dropped when it closes
import { spawn, execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const POLICIES = {
  'one-for-all': { socketsPerInstance: Infinity },
  'pool-64': { socketsPerInstance: 64 },
  'pool-32': { socketsPerInstance: 32 },
  'pool-16': { socketsPerInstance: 16 },
  'per-socket': { socketsPerInstance: 1, memoryBound: 0 },
};

if (process.argv[2] === '--child') {
  const [policy, portsJson] = process.argv.slice(3);
  const { echo } = JSON.parse(portsJson);
  const { connect } = await import('wasi-connect');
  const { configureInstances, instantiateForMeasurement, poolStats } = await import('wasi-connect/testing');
  configureInstances(POLICIES[policy]);
  const gc = globalThis.gc;
  const one = async () => {
    const s = connect({ hostname: '127.0.0.1', port: echo });
    await s.opened;
    const r = s.readable.getReader();
    await s.writable.getWriter().write(new Uint8Array([7]));
    await r.read();
    r.releaseLock();
    return s;
  };
  // warm-up: JIT, allocator
  for (let i = 0; i < 500; i++) await (await one()).close();
  // instantiation alone
  const times = [];
  let startupMemory = 0;
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    startupMemory = instantiateForMeasurement().memoryBytes;
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  // sequential connect, 1-byte echo, close
  const SEQ = 2000;
  let t0 = performance.now();
  for (let i = 0; i < SEQ; i++) await (await one()).close();
  const seqPerSec = SEQ / ((performance.now() - t0) / 1000);
  // a burst of N concurrent connections, then idle
  const N = 1000;
  gc(); gc();
  const m0 = process.memoryUsage();
  const c0 = process.cpuUsage();
  t0 = performance.now();
  const socks = await Promise.all(Array.from({ length: N }, one));
  const burstMs = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  await new Promise((r) => setTimeout(r, 100));
  gc(); gc();
  const m1 = process.memoryUsage();
  const stats = poolStats();
  const componentBytes = stats.instances.reduce((a, i) => a + i.memoryBytes, 0);
  await Promise.all(socks.map((s) => s.close()));
  const kib = (x) => x / N / 1024;
  process.stdout.write(JSON.stringify({
    policy,
    instantiateUs: times[times.length >> 1] * 1000,
    startupMemory,
    seqPerSec,
    burstUsPerConnect: (burstMs * 1000) / N,
    burstCpuUsPerConnect: (cpu.user + cpu.system) / N,
    instances: stats.instances.length,
    rssKiB: kib(m1.rss - m0.rss),
    heapKiB: kib(m1.heapUsed - m0.heapUsed),
    externalKiB: kib(m1.external - m0.external),
    componentKiB: componentBytes / N / 1024,
  }) + '\n');
  process.exit(0);
}

const server = spawn(process.execPath, [fileURLToPath(new URL('./server.mjs', import.meta.url))], { stdio: ['pipe', 'pipe', 'inherit'] });
const ports = await new Promise((resolve) => {
  let buf = '';
  server.stdout.on('data', (d) => {
    buf += d;
    if (buf.includes('\n')) resolve(JSON.parse(buf));
  });
});
const repeats = Number(process.env.REPEATS ?? 3);
const runs = Object.fromEntries(Object.keys(POLICIES).map((p) => [p, []]));
try {
  for (let i = 0; i < repeats; i++) {
    for (const p of Object.keys(POLICIES)) {
      const out = execFileSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', p, JSON.stringify(ports)], { encoding: 'utf8' });
      runs[p].push(JSON.parse(out.trim().split('\n').pop()));
    }
  }
} finally {
  server.kill();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const keys = ['instantiateUs', 'seqPerSec', 'burstUsPerConnect', 'burstCpuUsPerConnect', 'instances', 'rssKiB', 'heapKiB', 'externalKiB', 'componentKiB'];
console.log(`Node ${process.versions.node}; medians of ${repeats} interleaved runs; burst = 1,000 concurrent (connect, 1 B echo), then idle`);
console.log(['policy', 'inst us', 'seq conn/s', 'burst us/conn', 'burst CPU us/conn', 'instances', 'RSS KiB/sock', 'heap KiB/sock', 'external KiB/sock', 'wasm mem KiB/sock'].join(' | '));
for (const [p, rs] of Object.entries(runs)) {
  const m = Object.fromEntries(keys.map((k) => [k, median(rs.map((r) => r[k]))]));
  console.log([p, m.instantiateUs.toFixed(0), m.seqPerSec.toFixed(0), m.burstUsPerConnect.toFixed(0), m.burstCpuUsPerConnect.toFixed(0), m.instances, m.rssKiB.toFixed(1), m.heapKiB.toFixed(1), m.externalKiB.toFixed(1), m.componentKiB.toFixed(1)].join(' | '));
}
console.log(`startup memory of an instance: ${runs['one-for-all'][0].startupMemory / 1024} KiB`);
