// Happy Eyeballs (RFC 8305) and connectTimeout. An address that silently drops SYNs is made on
// loopback: a listener with a zero backlog that never accepts, whose queue is already full. For a
// name with two addresses, a child process gets its own /etc/hosts (a private mount namespace,
// `unshare -m`): "he.test" resolves to that black hole (127.0.0.1) first and to a real server
// (127.0.0.2, same port) second. Nothing leaves loopback.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import net from 'node:net';

import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, SocketError } from 'wasi-connect';

/** A listener on host:port (0: any) that never accepts and whose backlog is full: SYNs are dropped. */
async function blackHole(host: string): Promise<{ port: number; stop(): void }> {
  const py = `
import socket, sys
s = socket.socket(); s.bind((sys.argv[1], 0)); s.listen(0)
port = s.getsockname()[1]
fill = []
for i in range(4):
    c = socket.socket(); c.setblocking(False)
    try: c.connect((sys.argv[1], port))
    except BlockingIOError: pass
    fill.append(c)
print(port, flush=True)
sys.stdin.read()
`;
  const child: ChildProcess = spawn('/usr/bin/python3', ['-c', py, host], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d) => resolve(Number(String(d).trim())));
    child.once('exit', (c) => reject(new Error(`black hole exited ${c}`)));
  });
  return { port, stop: () => child.kill() };
}

let hole: Awaited<ReturnType<typeof blackHole>>;
beforeAll(async () => {
  hole = await blackHole('127.0.0.1');
});
afterAll(() => hole?.stop());

describe('connectTimeout', () => {
  it('a connection that never completes rejects opened with TIMED_OUT after the timeout (not minutes)', async () => {
    // the black hole really holds a connect: without a timeout it is still pending after 1 s
    const probe = connect(`127.0.0.1:${hole.port}`);
    const still = await Promise.race([probe.opened.then(() => 'opened', () => 'failed'), new Promise((r) => setTimeout(() => r('pending'), 1000))]);
    expect(still).toBe('pending');
    await probe.close();

    const t0 = performance.now();
    const s = connect(`127.0.0.1:${hole.port}`, { connectTimeout: 300 });
    const err = await s.opened.then(() => null, (e) => e);
    const ms = performance.now() - t0;
    expect(err).toBeInstanceOf(SocketError);
    expect(err.code).toBe('TIMED_OUT');
    expect(err.message).toContain('300 ms');
    expect(ms).toBeGreaterThanOrEqual(290);
    expect(ms).toBeLessThan(3000);
    await expect(s.closed).rejects.toBe(err);
  });

  it('covers the TLS handshake: a server that accepts and never answers times out too', async () => {
    const silent = net.createServer((sock) => sock.on('error', () => {}));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    try {
      const s = connect(`127.0.0.1:${(silent.address() as net.AddressInfo).port}`, { secureTransport: 'on', connectTimeout: 300 });
      const err = await s.opened.then(() => null, (e) => e);
      expect(err.code).toBe('TIMED_OUT');
      expect(err.message).toContain('TLS handshake');
    } finally {
      silent.close();
    }
  });

  it('does not fire once the socket is open; bad values throw INVALID_OPTION', async () => {
    const srv = net.createServer((sock) => sock.pipe(sock));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    try {
      const s = connect(`127.0.0.1:${(srv.address() as net.AddressInfo).port}`, { connectTimeout: 200 });
      await s.opened;
      await new Promise((r) => setTimeout(r, 400)); // past the timeout: the open socket is unaffected
      const r = s.readable.getReader();
      await s.writable.getWriter().write(new Uint8Array([7]));
      expect((await r.read()).value![0]).toBe(7);
      await s.close();
    } finally {
      srv.close();
    }
    for (const v of [0, -1, NaN, Infinity, '100']) {
      expect(() => connect('127.0.0.1:1', { connectTimeout: v as number })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    }
  });
});

describe('Happy Eyeballs (RFC 8305)', () => {
  it('a name whose first address drops SYNs connects to its second one after about 250 ms', async () => {
    // the real server: 127.0.0.2 on the black hole's port
    const dir = mkdtempSync(join(tmpdir(), 'wasi-connect-he-'));
    const hosts = join(dir, 'hosts');
    writeFileSync(hosts, '127.0.0.1 he.test\n127.0.0.2 he.test\n');
    const good = net.createServer((sock) => {
      sock.on('error', () => {});
      sock.pipe(sock);
    });
    await new Promise<void>((r) => good.listen(hole.port, '127.0.0.2', () => r()));
    const script = join(dir, 'client.mjs');
    const entry = fileURLToPath(new URL('../dist/src/index.js', import.meta.url));
    writeFileSync(script, `
      import { connect } from ${JSON.stringify(entry)};
      const t0 = performance.now();
      const s = connect('he.test:${hole.port}');
      const info = await s.opened;
      const ms = performance.now() - t0;
      const r = s.readable.getReader();
      await s.writable.getWriter().write(new Uint8Array([42]));
      const echoed = (await r.read()).value[0];
      await s.close();
      console.log(JSON.stringify({ remote: info.remoteAddress, ms, echoed }));
    `);
    try {
      const out = await new Promise<string>((resolve, reject) => {
        execFile('unshare', ['-m', '--propagation', 'private', 'sh', '-c', `mount --bind "$0" /etc/hosts && exec "$1" "$2"`, hosts, process.execPath, script],
          { timeout: 30_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout)));
      });
      const r = JSON.parse(out.trim().split('\n').pop()!);
      expect(r.remote).toBe(`127.0.0.2:${hole.port}`);
      expect(r.echoed).toBe(42);
      expect(r.ms).toBeGreaterThanOrEqual(240); // the first address had its 250 ms
      expect(r.ms).toBeLessThan(5000); // not the kernel's connect timeout
    } finally {
      good.close();
    }
  });

  it('the addresses of a refusing name are all tried (no delay after a refusal)', async () => {
    // localhost on a closed port: every address refuses at once; the error is the last one's
    const tmp = net.createServer();
    await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', () => r()));
    const port = (tmp.address() as net.AddressInfo).port;
    await new Promise((r) => tmp.close(r));
    const t0 = performance.now();
    const err = await connect(`localhost:${port}`).opened.catch((e) => e);
    expect(err.code).toBe('CONNECTION_REFUSED');
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});


