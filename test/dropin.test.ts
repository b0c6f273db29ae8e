// Code written for Cloudflare Workers, run unmodified over wasi-connect on Node 20, Node 24, Deno 2
// and Bun 1 (issue 9, part 4), each with the wiring the README documents:
//   Node:  node --conditions=workerd --import wasi-connect/register app.mjs
//   Deno:  deno.json { "imports": { "cloudflare:sockets": "npm:wasi-connect" } } and
//          deno run --allow-read --allow-net --allow-env=... --conditions=workerd --preload=npm:wasi-connect/register app.mjs
//   Bun:   bun --conditions=workerd --preload wasi-connect/bun-plugin app.mjs
// Every run happens in a throwaway app directory laid out as a user's would be: package.json,
// deno.json, the app file, and node_modules with wasi-connect (this repository, built) and the
// drivers (symlinks). Against a real PostgreSQL this file starts (test/helpers/postgres.ts).
//
// - resolution.mjs: what `cloudflare:sockets` is under each wiring (static import, import(),
//   import() and require() from CommonJS, and a real npm library's import: pg-cloudflare's);
//   and, as controls, what happens without the wiring (and with Deno's import map alone).
// - app.mjs: a Worker-style app: its own connect() + startTls(), node-postgres through
//   pg-cloudflare and postgres.js's Workers build, plaintext and TLS verify-full, with the server
//   saying (pg_stat_ssl) that the sessions are TLS 1.3.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect, SocketError } from 'wasi-connect';
import { startPostgres, type PostgresServer } from './helpers/postgres.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = join(ROOT, 'test', 'dropin');
const runtimeBin = (name: string) => join(ROOT, 'test', 'runtimes', 'node_modules', '.bin', name);

/**
 * The environment variables Deno must be allowed to read for app.mjs, found by running it with
 * less and adding what Deno refused, one at a time (none of them needs a value):
 * - DENO_CERT: wasi-connect reads it at the first TLS socket; refused, it is silently not used
 *   (then the app's own startTls() and postgres.js fail: the server's CA is not trusted);
 * - node-postgres, when it loads and for each client's defaults: USER, NODE_PG_FORCE_NATIVE and
 *   the PG* names below (each unlisted read throws NotCapable).
 * postgres.js's Workers build reads no environment (its polyfill has an empty process.env).
 * No --allow-sys, --allow-run, --allow-ffi or --allow-write.
 */
const DENO_ENV = [
  'DENO_CERT',
  'USER', 'NODE_PG_FORCE_NATIVE', 'PGUSER', 'PGDATABASE', 'PGPORT', 'PGHOST', 'PGPASSWORD', 'PGBINARY',
  'PGOPTIONS', 'PGSSLMODE', 'PGCLIENT_ENCODING', 'PGREPLICATION', 'PGAPPNAME',
].join(',');

interface Wiring {
  name: string;
  bin: string;
  /** argv before the script */
  args: string[];
  /** where the runtime takes extra trust anchors from */
  caVar: 'NODE_EXTRA_CA_CERTS' | 'DENO_CERT';
}

const nodeWiring = ['--conditions=workerd', '--import', 'wasi-connect/register'];
const WIRINGS: Wiring[] = [
  { name: `Node ${process.versions.node} (this Node)`, bin: process.execPath, args: nodeWiring, caVar: 'NODE_EXTRA_CA_CERTS' },
  { name: 'Node 24', bin: runtimeBin('node'), args: nodeWiring, caVar: 'NODE_EXTRA_CA_CERTS' },
  {
    name: 'Deno 2', bin: runtimeBin('deno'),
    args: ['run', '--allow-read', '--allow-net', `--allow-env=${DENO_ENV}`, '--conditions=workerd', '--preload=npm:wasi-connect/register'],
    caVar: 'DENO_CERT',
  },
  { name: 'Bun 1', bin: runtimeBin('bun'), args: ['--conditions=workerd', '--preload', 'wasi-connect/bun-plugin'], caVar: 'NODE_EXTRA_CA_CERTS' },
];

let server: PostgresServer;
let appDir: string;
let caFile: string;
let startError: unknown = null;

/** The throwaway app directory, as a user's project would be after `npm install wasi-connect pg postgres`. */
function makeAppDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'wasi-connect-dropin-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'wasi-connect'), 'dir');
  for (const dep of ['pg', 'pg-cloudflare', 'postgres']) {
    symlinkSync(join(ROOT, 'node_modules', dep), join(dir, 'node_modules', dep), 'dir');
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({
    name: 'workers-app', private: true, type: 'module',
    dependencies: { 'wasi-connect': '*', pg: '*', 'pg-cloudflare': '*', postgres: '*' },
  }, null, 2));
  for (const f of ['app.mjs', 'resolution.mjs', 'resolution.cjs', 'permissions.mjs', 'deno.json']) copyFileSync(join(FIXTURES, f), join(dir, f));
  return dir;
}

interface Run { code: number | null; signal: string | null; stdout: string; stderr: string }

function run(bin: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(bin, args, {
      cwd: appDir, timeout: 120_000, maxBuffer: 1 << 24,
      // a small, explicit environment: what each runtime needs, and nothing of this process's
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir(), NO_COLOR: '1', ...env },
    }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number | string; signal?: string }) | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, signal: e?.signal ?? null, stdout, stderr });
    });
  });
}

/** The last stdout line as JSON; a failed run fails the test with its whole output. */
function report(r: Run): Record<string, any> {
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.code !== 0 || !line.startsWith('{')) {
    throw new Error(`exit ${r.code}${r.signal ? ` (${r.signal})` : ''}\n--- stderr\n${r.stderr}\n--- stdout\n${r.stdout}`);
  }
  return JSON.parse(line);
}

beforeAll(async () => {
  try {
    server = await startPostgres();
  } catch (e) {
    startError = e; // every test fails with it (no PostgreSQL is a failure, never a skip)
    return;
  }
  appDir = makeAppDir();
  caFile = join(appDir, 'postgres-test-ca.pem');
  writeFileSync(caFile, server.ca);
}, 60_000);
afterAll(async () => {
  await server?.stop();
  if (appDir) rmSync(appDir, { recursive: true, force: true });
});

function ready(): void {
  if (startError) throw startError;
}

// ------------------------------------------------------------------ resolution

describe('what cloudflare:sockets resolves to', () => {
  for (const w of WIRINGS) {
    it(`${w.name}: this package's own module for import, import() and a CommonJS library's import(); require() as documented`, async () => {
      ready();
      expect(existsSync(w.bin), `${w.bin} (npm ci --prefix test/runtimes)`).toBe(true);
      const r = report(await run(w.bin, [...w.args, 'resolution.mjs', String(server.port)]));
      expect(r).toMatchObject({ staticIsPackage: true, dynamicIsPackage: true, otherSpecifiersUntouched: true });
      expect(r.cjs.import).toBe('package');
      // pg-cloudflare (CommonJS, in node_modules) gets our Socket class: the same module instance
      expect(r.npmLibrary).toEqual({ isPackageSocket: true, remoteAddress: `127.0.0.1:${server.port}` });
      // require(): the entry instantiates the component with top-level await, which require()
      // cannot load. Node 24 and Deno resolve it (registerHooks) and say so; Node 20's hooks
      // (module.register) do not reach require(); Bun returns the module once it has been
      // imported (as here), and refuses it before (the CommonJS file asks first: still imported).
      const expected: Record<string, string> = {
        'Node 24': 'error ERR_REQUIRE_ASYNC_MODULE', 'Deno 2': 'error ERR_REQUIRE_ASYNC_MODULE', 'Bun 1': 'package',
      };
      const req = expected[w.name] ?? 'error MODULE_NOT_FOUND';
      expect(r.require).toBe(req);
      expect(r.cjs.require).toBe(req);
    });
  }

  it('controls: without the wiring, Node 24 and Bun fail to load an app that imports cloudflare:sockets', async () => {
    ready();
    const node = await run(runtimeBin('node'), ['--conditions=workerd', 'resolution.mjs', String(server.port)]);
    expect(node.code).not.toBe(0);
    expect(node.stderr).toMatch(/ERR_UNSUPPORTED_ESM_URL_SCHEME[^\n]*'cloudflare:'/);
    const bun = await run(runtimeBin('bun'), ['--conditions=workerd', 'resolution.mjs', String(server.port)]);
    expect(bun.code).not.toBe(0);
    expect(bun.stderr).toMatch(/Cannot find package 'cloudflare:sockets'/);
  });

  it("Deno with the import map alone (deno.json, no --preload): the app's own imports map to wasi-connect; an npm library's do not (Deno applies no import map inside npm packages)", async () => {
    ready();
    const r = report(await run(runtimeBin('deno'), ['run', '--allow-read', '--allow-net', '--conditions=workerd', 'resolution.mjs', String(server.port)]));
    expect(r).toMatchObject({ staticIsPackage: true, dynamicIsPackage: true });
    expect(r.cjs.import).toBe('package');
    // If this starts passing, Deno applies import maps to npm packages: simplify the README.
    expect(r.npmLibrary).toEqual({ error: 'ERR_MODULE_NOT_FOUND', message: expect.stringMatching(/ERR_UNSUPPORTED_ESM_URL_SCHEME.*'cloudflare'/) });
  });
});

describe("Deno's --allow-net", () => {
  it('covers the name (resolution) and the addresses (connection); a connection it does not cover fails with SocketError ACCESS_DENIED', async () => {
    ready();
    const deno = (net: string) => run(runtimeBin('deno'), ['run', '--allow-read', `--allow-net=${net}`, 'permissions.mjs', String(server.port)]).then(report);
    expect(await deno('localhost,127.0.0.1')).toEqual({ opened: `127.0.0.1:${server.port}` });
    expect(await deno(`localhost:${server.port},127.0.0.1:${server.port}`)).toMatchObject({ error: 'ACCESS_DENIED', message: "SocketError: resolving 'localhost': access-denied" });
    expect(await deno('localhost')).toEqual({ error: 'ACCESS_DENIED', message: `SocketError: connecting to 127.0.0.1:${server.port}: access-denied` });
  });
});

// ------------------------------------------------------------------ the app

describe('a Worker-style app with node-postgres (pg-cloudflare) and postgres.js (Workers build), unmodified', () => {
  const bigMd5 = createHash('md5').update(Buffer.alloc(256 * 1024, 'wasi-connect ')).digest('hex');
  for (const w of WIRINGS) {
    it(`${w.name}: plaintext and TLS verify-full sessions; the server sees TLS 1.3`, async () => {
      ready();
      const cfg = {
        port: server.port, database: server.database, user: server.user, password: server.password,
        tlsUser: server.tlsUser, tlsPassword: server.tlsPassword, ca: server.ca,
      };
      const r = await run(w.bin, [...w.args, 'app.mjs', JSON.stringify(cfg)], { [w.caVar]: caFile });
      const out = report(r);
      expect(r.stderr).toBe(''); // no warning (a CA file that did not load would warn)

      // its own connect() from cloudflare:sockets: SSLRequest, 'S', startTls(), verified through
      // the runtime's extra CA file; the server's first message over TLS asks for SCRAM
      expect(out.connect).toEqual({
        plainRemote: `127.0.0.1:${server.port}`, sslAnswer: 'S', upgraded: true, secureTransport: 'on',
        tls: { version: 'TLSv1.3', verified: true }, firstMessage: 'R', authCode: 10,
      });

      const common = { stream: 'CloudflareSocket', sum: 42, bytesBack: true, md5: bigMd5 };
      const serverTls = { ssl: true, version: 'TLSv1.3', cipher: expect.stringMatching(/^TLS_(AES_128_GCM_SHA256|AES_256_GCM_SHA384|CHACHA20_POLY1305_SHA256)$/) };
      expect(out.pg.plain).toEqual({ ...common, upgradedByStartTls: false, clientTls: null, user: server.user, server: { ssl: false, version: null, cipher: null } });
      expect(out.pg.verifyFull).toEqual({ ...common, upgradedByStartTls: true, clientTls: { version: 'TLSv1.3', verified: true }, user: server.user, server: serverTls });
      // a role pg_hba admits only over TLS (hostssl)
      expect(out.pg.tlsOnlyRole).toEqual({ ...common, upgradedByStartTls: true, clientTls: { version: 'TLSv1.3', verified: true }, user: server.tlsUser, server: serverTls });

      expect(out.postgresjs.plain).toEqual({ ns: [10, 20, 30, 40], sessions: 2, server: { ssl: false, version: null, cipher: null } });
      expect(out.postgresjs.verifyFull).toEqual({ ns: [10, 20, 30, 40], sessions: 2, server: serverTls });
    }, 180_000);
  }
});

// ------------------------------------------------------------------ option values Workers code passes

describe('SocketOptions values typed by @cloudflare/workers-types', () => {
  it('highWaterMark as a bigint (number | bigint in workerd) sets the writable queue; other secureTransport strings still throw', async () => {
    ready();
    const s = connect({ hostname: '127.0.0.1', port: server.port }, { allowHalfOpen: false, highWaterMark: 1024n });
    expect(s.writable.getWriter().desiredSize).toBe(1024);
    await s.opened;
    await s.close();
    expect(() => connect('127.0.0.1:1', { highWaterMark: -1n })).toThrow(SocketError);
    const st: string = 'tls';
    expect(() => connect('127.0.0.1:1', { secureTransport: st })).toThrow(/secureTransport must be "off", "on" or "starttls"/);
  });
});
