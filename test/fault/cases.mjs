// Fault containment cases: a trapped component instance fails exactly its own sockets, at once,
// and the process goes on with fresh instances; memory is given back after a burst. Runtime
// agnostic (connect(), web streams, node:net): the same code runs in process on Node 20 and on
// Node 24, Deno 2 and Bun 1 (test/fault/run.mjs).
//
// ctx: { connect, SocketError, testing: wasi-connect/testing, ports (the conformance peer's),
//        live?(): liveResources of the host (Node in process only) }
import { AssertionError, pattern, readExactly, runCaseList } from '../conformance/cases.mjs';

const assert = (cond, msg) => {
  if (!cond) throw new AssertionError(msg);
};

/** Opens n sockets to the echo port and checks that each echoes one distinct chunk. */
async function openEchoing(ctx, n, tag = 0) {
  const socks = Array.from({ length: n }, () => ctx.connect(`127.0.0.1:${ctx.ports.echo}`));
  await Promise.all(socks.map((s) => s.opened));
  const ends = socks.map((s) => ({ s, w: s.writable.getWriter(), r: s.readable.getReader() }));
  await Promise.all(ends.map((e, i) => echoOnce(e, i + tag)));
  return ends;
}

async function echoOnce({ w, r }, seed) {
  const data = pattern(512, seed);
  const got = readExactly(r, data.length);
  await w.write(data);
  const back = await got;
  for (let i = 0; i < data.length; i++) if (back[i] !== data[i]) throw new AssertionError('echoed bytes differ');
}

/** Settles every promise; returns how many rejected with a SocketError of `code` and the others. */
async function tally(ctx, promises, code) {
  const res = await Promise.allSettled(promises);
  const bad = res.filter((r) => !(r.status === 'rejected' && r.reason instanceof ctx.SocketError && r.reason.code === code));
  return { ok: res.length - bad.length, bad: bad.map((r) => (r.status === 'fulfilled' ? 'fulfilled' : `${r.reason?.code ?? ''} ${r.reason}`)) };
}

/** Traps every instance that serves one of `ends` (one forceTrap per instance). */
function trapAll(ctx, ends) {
  // one socket per instance, chosen before any trap (a failed socket no longer has an instance)
  const byInstance = new Map();
  for (const { s } of ends) byInstance.set(ctx.testing.instanceStats(s).generation, s);
  return [...byInstance.values()].map((s) => ctx.testing.forceTrap(s));
}

async function closeAll(ends) {
  await Promise.all(ends.map(({ s }) => s.close()));
}

export const cases = [
  {
    name: '100 sockets echoing, then a trap of their instances: all 100 fail with INTERNAL_ERROR within a second (opened, closed, pending reads and writes settle); 100 new sockets open and echo',
    async run(ctx) {
      const ends = await openEchoing(ctx, 100);
      const before = ctx.testing.poolStats().faulted;
      // a pending read on every socket (nothing comes), and a write waiting for room on a sink
      const reads = ends.map(({ r }) => r.read());
      const sink = ctx.connect(`127.0.0.1:${ctx.ports.sink}`);
      await sink.opened;
      const sinkWrite = sink.writable.getWriter().write(new Uint8Array(32 * 1024 * 1024));
      sinkWrite.catch(() => {});
      const t0 = performance.now();
      const errors = trapAll(ctx, [...ends, { s: sink }]);
      for (const e of errors) {
        assert(e instanceof ctx.SocketError && e.code === 'INTERNAL_ERROR', `forceTrap gave ${e?.code} ${e}`);
        assert(/unreachable/i.test(e.message), `the message carries the trap's: ${e.message}`);
      }
      const all = await tally(ctx, [...reads, ...ends.map(({ s }) => s.closed), ...ends.map(({ w }) => w.write(new Uint8Array(1))), sinkWrite, sink.closed], 'INTERNAL_ERROR');
      const ms = performance.now() - t0;
      assert(all.bad.length === 0, `every read, write and closed rejects with INTERNAL_ERROR; not: ${all.bad.slice(0, 3).join('; ')}`);
      assert(ms < 1000, `settled within a second (${ms.toFixed(0)} ms)`);
      assert(ctx.testing.poolStats().faulted === before + errors.length, 'the pool counts the faulted instances');
      // opened had resolved before the trap and stays resolved
      await Promise.all(ends.map(({ s }) => s.opened));
      const fresh = await openEchoing(ctx, 100, 1000);
      for (const { s } of fresh) assert(ctx.testing.instanceStats(s).generation > 0, 'served by a healthy instance');
      await closeAll(fresh);
    },
  },
  {
    name: 'a trap fails only the sockets of the instance that trapped; sockets of other instances keep echoing',
    async run(ctx) {
      const per = ctx.testing.poolStats().socketsPerInstance;
      assert(Number.isFinite(per) && per < 100, `sockets share instances in bounded groups (${per})`);
      const ends = await openEchoing(ctx, per + 10);
      const victim = ends[0].s;
      const gen = ctx.testing.instanceStats(victim).generation;
      const mine = ends.filter(({ s }) => ctx.testing.instanceStats(s).generation === gen);
      const others = ends.filter(({ s }) => ctx.testing.instanceStats(s).generation !== gen);
      assert(mine.length > 0 && mine.length <= per && others.length > 0, `${mine.length} sockets in the victim instance, ${others.length} elsewhere`);
      const err = ctx.testing.forceTrap(victim);
      const failed = await tally(ctx, mine.map(({ s }) => s.closed), 'INTERNAL_ERROR');
      assert(failed.bad.length === 0, `the victim instance's sockets fail: ${failed.bad.slice(0, 3).join('; ')}`);
      for (const { s } of mine) {
        const e = await s.closed.catch((x) => x);
        assert(e === err, 'with the very error forceTrap returned');
      }
      await Promise.all(others.map((e, i) => echoOnce(e, 5000 + i)));
      await closeAll(others);
    },
  },
  {
    name: 'a trap while sockets are still connecting rejects their opened with INTERNAL_ERROR; connect() never throws for it',
    async run(ctx) {
      const socks = Array.from({ length: 20 }, () => ctx.connect({ hostname: 'localhost', port: ctx.ports.echo }));
      const early = socks.map((s) => s.writable.getWriter().write(new Uint8Array(100)));
      trapAll(ctx, socks.map((s) => ({ s })));
      const r = await tally(ctx, [...socks.map((s) => s.opened), ...socks.map((s) => s.closed), ...early], 'INTERNAL_ERROR');
      assert(r.bad.length === 0, `opened, closed and early writes reject with INTERNAL_ERROR: ${r.bad.slice(0, 3).join('; ')}`);
      const again = await openEchoing(ctx, 3);
      await closeAll(again);
    },
  },
  {
    name: 'after a burst grows an instance past its memory bound and every socket closes, the next connect() gets an instance back near its start-up size',
    async run(ctx) {
      const { memoryBound } = ctx.testing.poolStats();
      // each socket's writes before open are buffered in the component (up to 256 KiB each)
      const n = Math.ceil((2 * memoryBound) / (256 * 1024));
      const socks = Array.from({ length: n }, () => ctx.connect({ hostname: 'localhost', port: ctx.ports.echo }));
      const writes = socks.map((s, i) => s.writable.getWriter().write(pattern(256 * 1024, i)));
      await Promise.all(writes);
      const grown = Math.max(...ctx.testing.poolStats().instances.map((i) => i.memoryBytes));
      assert(grown > memoryBound, `the burst grew an instance past the bound (${grown} > ${memoryBound})`);
      const gens = new Set(socks.map((s) => ctx.testing.instanceStats(s).generation));
      await Promise.all(socks.map((s) => s.close()));
      const left = ctx.testing.poolStats().instances;
      assert(left.every((i) => i.memoryBytes <= memoryBound), `no instance past the bound is kept: ${JSON.stringify(left)}`);
      const s = ctx.connect(`127.0.0.1:${ctx.ports.echo}`);
      const st = ctx.testing.instanceStats(s);
      assert(!gens.has(st.generation), `a fresh instance (generation ${st.generation}, burst used ${[...gens]})`);
      assert(st.memoryBytes <= 2 * st.startupMemoryBytes, `memory back near start-up size: ${st.memoryBytes} (start-up ${st.startupMemoryBytes})`);
      const e = { s, w: s.writable.getWriter(), r: s.readable.getReader() };
      await echoOnce(e, 77);
      await s.close();
    },
  },
];

/** Runs every case (each bounded in time); returns [{ name, ok, ms, error }]. */
export function runCases(ctx, filter = () => true) {
  return runCaseList(cases, ctx, filter);
}
