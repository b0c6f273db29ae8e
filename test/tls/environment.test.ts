// Trust and key-log settings that come from where each runtime's users already put them:
// NODE_EXTRA_CA_CERTS (Node, Bun) and DENO_CERT (Deno) add trust anchors, so code that only says
// `secureTransport: "on"` works behind a private CA; a bad file is reported as a warning that
// names it; SSLKEYLOGFILE writes NSS key log lines. Each case runs in a child process of its own
// (the variables are read once per process).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makePki, type Pki } from '../helpers/pki.js';
import { nodeTlsServer, type NodeTlsPeer } from '../helpers/tls-peers.js';

let pki: Pki;
let server: NodeTlsPeer;
let dir: string;
let script: string;
const bin = (name: string) => fileURLToPath(new URL(`../runtimes/node_modules/.bin/${name}`, import.meta.url));

beforeAll(async () => {
  pki = makePki([
    { id: 'root', subject: 'private env root', key: 'p256', ca: {} },
    { id: 'leaf', subject: 'localhost', issuer: 'root', key: 'p256', san: ['DNS:localhost'], eku: ['serverAuth'] },
  ]);
  server = await nodeTlsServer({ cert: pki.pem('leaf'), key: pki.get('leaf').keyPem });
  dir = mkdtempSync(join(tmpdir(), 'wasi-connect-env-'));
  writeFileSync(join(dir, 'root.pem'), pki.pem('root'));
  writeFileSync(join(dir, 'garbage.pem'), '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n');
  script = join(dir, 'client.mjs');
  const entry = fileURLToPath(new URL('../../dist/src/index.js', import.meta.url));
  // connects with no `ca`: only the environment can make the private root trusted
  writeFileSync(script, `
    import { connect } from ${JSON.stringify(entry)};
    const s = connect('localhost:${server.port}', { secureTransport: 'on' });
    try {
      const info = await s.opened;
      const r = s.readable.getReader();
      await s.writable.getWriter().write(new TextEncoder().encode('hi'));
      await r.read();
      console.log(JSON.stringify({ ok: true, subjects: info.tls.chainSubjects }));
      await s.close();
    } catch (e) {
      console.log(JSON.stringify({ ok: false, code: e.code, message: e.message }));
    }
  `);
}, 60_000);
afterAll(() => server?.stop());

function run(cmd: string, args: string[], env: Record<string, string>): Promise<{ out: any; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/root', NO_COLOR: '1', ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve({ out: JSON.parse(line), stderr });
      } catch {
        reject(new Error(`${cmd} printed no result (${err?.message ?? ''})\n${stderr}\n${stdout}`));
      }
    });
  });
}

describe('trust and key log from the environment', () => {
  it('without the variable the private root is unknown (the baseline)', async () => {
    const { out } = await run(process.execPath, [script], {});
    expect(out).toMatchObject({ ok: false, code: 'TLS_CERTIFICATE_UNTRUSTED' });
  });

  it('NODE_EXTRA_CA_CERTS adds the root on Node 20 and Node 24', async () => {
    for (const node of [process.execPath, bin('node')]) {
      const { out } = await run(node, [script], { NODE_EXTRA_CA_CERTS: join(dir, 'root.pem') });
      expect(out).toEqual({ ok: true, subjects: ['CN=localhost', 'CN=private env root'] });
    }
  });

  it('NODE_EXTRA_CA_CERTS on Bun, DENO_CERT on Deno', async () => {
    expect((await run(bin('bun'), [script], { NODE_EXTRA_CA_CERTS: join(dir, 'root.pem') })).out.ok).toBe(true);
    const deno = await run(bin('deno'), ['run', '--allow-read', '--allow-net', '--allow-env', script], { DENO_CERT: join(dir, 'root.pem') });
    expect(deno.out.ok).toBe(true);
  });

  it('a file that cannot be read or parsed is reported as a warning naming it; connections go on with the built-in roots', async () => {
    for (const file of [join(dir, 'missing.pem'), join(dir, 'garbage.pem')]) {
      const { out, stderr } = await run(process.execPath, [script], { NODE_EXTRA_CA_CERTS: file });
      expect(out).toMatchObject({ ok: false, code: 'TLS_CERTIFICATE_UNTRUSTED' });
      expect(stderr).toContain(file);
      expect(stderr).toContain('wasi-connect: ignoring extra certificates');
    }
  });

  it('SSLKEYLOGFILE receives the NSS key log lines; nothing is logged without it', async () => {
    const log = join(dir, 'keys.log');
    const { out } = await run(process.execPath, [script], { NODE_EXTRA_CA_CERTS: join(dir, 'root.pem'), SSLKEYLOGFILE: log });
    expect(out.ok).toBe(true);
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'SERVER_TRAFFIC_SECRET_0', 'EXPORTER_SECRET']);
    for (const l of lines) expect(l).toMatch(/^[A-Z_0-9]+ [0-9a-f]{64} ([0-9a-f]{64}|[0-9a-f]{96})$/); // SHA-256 or SHA-384 secrets
    // a run without the variable adds nothing
    await run(process.execPath, [script], { NODE_EXTRA_CA_CERTS: join(dir, 'root.pem') });
    expect(readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(lines.length);
  });
});
