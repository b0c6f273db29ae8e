// How a process behaves around sockets: it exits by itself when no socket is open, stays alive
// while one is, uses no CPU while idle, and never sees unhandled rejections from opened/closed.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import net from 'node:net';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

let server: net.Server;
let port = 0;
let refusedPort = 0;
const onConnection: ((s: net.Socket) => void)[] = [];
beforeAll(async () => {
  server = net.createServer((s) => onConnection.shift()?.(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as net.AddressInfo).port;
  const tmp = net.createServer();
  await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', () => r()));
  refusedPort = (tmp.address() as net.AddressInfo).port;
  await new Promise((r) => tmp.close(r));
});
afterAll(() => server?.close());

function run(name: string, arg: number, onLine?: (line: string) => void, nodeArgs: string[] = []) {
  const child = spawn(process.execPath, [...nodeArgs, fixture(name), String(arg)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    for (const line of d.split('\n').filter(Boolean)) onLine?.(line);
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return {
    child,
    done: exit.then((code) => {
      clearTimeout(killer);
      return { code, out, err };
    }),
  };
}

describe('process lifetime', () => {
  it('a process whose sockets are closed exits by itself', async () => {
    onConnection.push((s) => s.on('data', (d) => s.write(d)));
    const { done } = run('exit-after-close.mjs', port);
    const r = await done;
    expect(r.err).toBe('');
    expect(r.out).toBe('got hi\n');
    expect(r.code).toBe(0);
  });

  it('a connectTimeout that was not needed does not keep the process alive', async () => {
    onConnection.push(() => {});
    const t0 = performance.now();
    const { done } = run('exit-after-deadline.mjs', port);
    const r = await done;
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^closed after \d+ ms\n$/);
    expect(r.code).toBe(0);
    // the deadline is 60 s away (and the run's killer fires at 30 s): exiting at all is the proof
    expect(performance.now() - t0).toBeLessThan(20_000);
  });

  it('an open socket keeps the process alive until data arrives', async () => {
    let sock: net.Socket | null = null;
    onConnection.push((s) => (sock = s));
    const { done } = run('keepalive.mjs', port, (line) => {
      // only after the child says it is open and waiting does the server answer
      if (line === 'opened') setImmediate(() => sock!.write('late hello'));
    });
    const r = await done;
    expect(r.out).toBe('opened\ngot late hello\n');
    expect(r.code).toBe(0);
  });

  it('an idle open socket costs no CPU (no polling timers)', async () => {
    let sock: net.Socket | null = null;
    onConnection.push((s) => (sock = s));
    const { done } = run('idle-cpu.mjs', port, (line) => {
      if (line === 'idle') setTimeout(() => sock!.write('wake'), 1000); // an idle second, then speak
    });
    const r = await done;
    const { cpuMicros, wallMs } = JSON.parse(r.out.trim().split('\n').pop()!);
    expect(wallMs).toBeGreaterThan(900);
    // a poll loop would burn a core for the whole second; an event-driven host uses almost nothing
    expect(cpuMicros).toBeLessThan(50_000);
    expect(r.code).toBe(0);
  });

  it('after a trap the failed sockets settle, nothing is unhandled, and the process exits by itself', async () => {
    const peers: net.Socket[] = [];
    for (let i = 0; i < 10; i++) onConnection.push((s) => peers.push(s.on('error', () => {})));
    const r = await run('trap-exit.mjs', port).done;
    expect(r.err).toBe('');
    expect(r.out).toBe('INTERNAL_ERROR\n');
    expect(r.code).toBe(0);
    // the trapped instance's connections were closed on the host side
    expect(peers.length).toBe(10);
    await Promise.all(peers.map((s) => (s.closed ? null : new Promise((res) => s.once('close', res)))));
  });

  it('after a burst past the memory bound, the instances it used are dropped and garbage collected (even while the app holds the closed sockets)', async () => {
    for (let i = 0; i < 97; i++) onConnection.push((s) => s.on('data', (d) => s.write(d)).on('error', () => {}));
    const r = await run('memory-back.mjs', port, undefined, ['--expose-gc']).done;
    expect(r.err).toBe('');
    const m = JSON.parse(r.out.trim());
    expect(m.grownMiB).toBeGreaterThan(16);
    expect(m.afterKiB).toBe(m.startupKiB);
    expect(m.collected).toBe(m.instances);
    expect(r.code).toBe(0);
  });

  it('a failed socket nobody listens to raises no unhandled rejection', async () => {
    const r = await run('unhandled.mjs', refusedPort).done;
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });
});
