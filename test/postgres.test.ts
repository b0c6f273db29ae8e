// Real PostgreSQL drivers over connect(), with and without TLS, against a real PostgreSQL server
// this file starts (test/helpers/postgres.ts: a throwaway cluster on 127.0.0.1, SCRAM-SHA-256,
// ssl = on with a localhost certificate under an intermediate).
//
// The drivers run their Cloudflare Workers code, unchanged, with `cloudflare:sockets` resolved
// to this package by the product's own module hook (`import 'wasi-connect/register'`, which on
// Node 20 is module.register(); test/dropin.test.ts runs the same on every runtime as a user would):
// - node-postgres (pg) through pg-cloudflare: pg chooses its Workers stream functions when
//   lib/stream.js loads, from `navigator.userAgent === 'Cloudflare-Workers'`, so pg is loaded with
//   that user agent in place (and only then). Its Workers getStream() would `require('pg-cloudflare')`,
//   whose package exports its code only under the `workerd` condition (an empty module otherwise),
//   so the clients get `stream: () => new CloudflareSocket(ssl)` with pg-cloudflare's own file.
//   With ssl, pg then sends SSLRequest, reads 'S' and calls getSecureStream(), which is
//   pg-cloudflare's `socket.startTls({ socket, servername, ca, rejectUnauthorized, ... })` on our
//   Socket: the very code path of a Worker.
// - postgres.js: its Workers build (cf/src/index.js, the package's `workerd` export) by path.
//   Its tls polyfill passes only `servername` to startTls(), dropping ssl.ca / rejectUnauthorized,
//   so its trust in the test CA comes from NODE_EXTRA_CA_CERTS, which wasi-connect honours.
import { describe, it, expect, beforeAll, beforeEach, afterAll } from 'vitest';
import { createRequire } from 'node:module';
import { createHash, randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { writeFileSync } from 'node:fs';
import { connect } from 'wasi-connect';
import 'wasi-connect/register';
import { makePki } from './helpers/pki.js';
import { startPostgres, type PostgresServer } from './helpers/postgres.js';

const require = createRequire(import.meta.url);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;

/** node-postgres, loaded as in a Worker: its stream functions are chosen once, when it loads. */
function loadPgAsWorker(): Any {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  Object.defineProperty(globalThis, 'navigator', { value: { userAgent: 'Cloudflare-Workers' }, configurable: true, writable: true });
  try {
    return require('pg');
  } finally {
    if (saved) Object.defineProperty(globalThis, 'navigator', saved);
    else delete (globalThis as { navigator?: unknown }).navigator;
  }
}
const pg = loadPgAsWorker();
// pg-cloudflare's real code (its package exports it only under the `workerd` condition)
const { CloudflareSocket } = require(join(dirname(require.resolve('pg-cloudflare')), 'index.js'));

let server: PostgresServer;
let wrongCa: string;
let postgres: Any;

let startError: unknown = null;
beforeAll(async () => {
  try {
    server = await startPostgres();
  } catch (e) {
    startError = e; // every test fails with it (no PostgreSQL is a failure, never a skip)
    return;
  }
  // the trust postgres.js cannot pass through (see above); read once, at the first TLS socket
  const anchors = join(server.dir, 'extra-ca.pem');
  writeFileSync(anchors, server.ca);
  process.env.NODE_EXTRA_CA_CERTS = anchors;
  // a root that did not issue the server's certificate
  wrongCa = makePki(
    [{ id: 'pg-unrelated-root', subject: 'unrelated PostgreSQL root', key: 'p256', ca: {}, keyName: 'pg-unrelated-root' }],
    { dir: join(server.dir, 'unrelated-pki') },
  ).pem('pg-unrelated-root');
  postgres = (await import(pathToFileURL(join(ROOT, 'node_modules/postgres/cf/src/index.js')).href)).default;
}, 60_000);
beforeEach(() => {
  if (startError) throw startError;
});
afterAll(async () => {
  await server?.stop();
});

// ------------------------------------------------------------------ node-postgres

function pgConfig(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    host: 'localhost', port: server.port, user: server.user, password: server.password, database: server.database,
    connectionTimeoutMillis: 20_000,
    stream: (config: { ssl?: unknown }) => new CloudflareSocket(config.ssl),
    ...over,
  };
}

/** Our Socket under a pg client (pg-cloudflare keeps it as _cfSocket), and what it opened with. */
async function pgSocketInfo(client: Any): Promise<Any> {
  const stream = client.connection.stream;
  expect(stream).toBeInstanceOf(CloudflareSocket); // not node:net, not node:tls
  return stream._cfSocket.opened;
}

/** The server's view of this session's transport. */
async function pgSsl(client: Any): Promise<{ ssl: boolean; version: string | null; cipher: string | null }> {
  const r = await client.query('SELECT ssl, version, cipher FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
  return r.rows[0];
}

const UNICODE = 'ünïcødé ✓ 🐘';

/** Real work: version(), a table with parameters, a 1 MiB bytea both ways (hashed on the server). */
async function exercisePg(c: Any): Promise<void> {
  const v = await c.query('SELECT version()');
  expect(v.rows[0].version).toMatch(/^PostgreSQL \d+\.\d+/);
  await c.query('CREATE TEMP TABLE items (id int PRIMARY KEY, name text, qty numeric, note text)');
  const rows = [[1, 'one', '1.5', null], [2, UNICODE, '-2', 'x'.repeat(10_000)], [3, "quote ' \" \\", '3e10', '']];
  for (const row of rows) await c.query('INSERT INTO items VALUES ($1, $2, $3, $4)', row);
  const r = await c.query('SELECT id, name, qty::text AS qty, note FROM items WHERE id = ANY($1) ORDER BY id', [[1, 2, 3]]);
  expect(r.rows.map((x: Any) => [x.id, x.name, x.qty, x.note])).toEqual([[1, 'one', '1.5', null], [2, UNICODE, '-2', 'x'.repeat(10_000)], [3, "quote ' \" \\", '30000000000', '']]);
  const big = randomBytes(1 << 20);
  const b = await c.query('SELECT $1::bytea AS b, length($1::bytea) AS n, sha256($1::bytea) AS h', [big]);
  expect(b.rows[0].n).toBe(1 << 20);
  expect(Buffer.from(b.rows[0].h).toString('hex')).toBe(createHash('sha256').update(big).digest('hex'));
  expect(Buffer.compare(b.rows[0].b, big)).toBe(0);
}

/** Polls the server log (the server writes it on its own schedule) until `re` matches text after `from`. */
async function logAfter(from: number, re: RegExp, ms = 10_000): Promise<string> {
  const end = Date.now() + ms;
  for (;;) {
    const text = server.log().slice(from);
    if (re.test(text)) return text;
    if (Date.now() > end) throw new Error(`the server log never matched ${re}; it says:\n${text.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A connect that must fail: what pg rejects with. Not followed by client.end(): after a socket
 * error pg-cloudflare never emits 'close', so pg's end() would wait for ever (as in a Worker).
 * Our socket must have ended with that same error (after a server's refusal: closed by the server).
 */
async function pgConnectError(config: Record<string, unknown>): Promise<Any> {
  const c = new pg.Client(pgConfig(config));
  const err = await c.connect().then(() => null, (e: unknown) => e);
  expect(err).not.toBeNull();
  const socket = c.connection.stream._cfSocket;
  if (err.code?.startsWith('TLS_')) await expect(socket.closed).rejects.toBe(err);
  else await socket.closed; // the server said no and closed the connection
  return err;
}

describe('node-postgres through pg-cloudflare over connect()', { timeout: 30_000 }, () => {
  it('plaintext: queries, parameters, a table, a 1 MiB bytea round trip; the server sees no SSL', async () => {
    const c = new pg.Client(pgConfig());
    await c.connect();
    try {
      const info = await pgSocketInfo(c);
      expect(info.tls).toBeUndefined();
      expect(info.remoteAddress).toBe(`127.0.0.1:${server.port}`);
      await exercisePg(c);
      expect(await pgSsl(c)).toEqual({ ssl: false, version: null, cipher: null });
    } finally {
      await c.end();
    }
  });

  it('verify-full (ssl: { ca, rejectUnauthorized: true }, host localhost): SSLRequest, startTls() on our socket, TLS 1.3; pg_stat_ssl agrees', async () => {
    const c = new pg.Client(pgConfig({ ssl: { ca: server.ca, rejectUnauthorized: true } }));
    await c.connect();
    try {
      const info = await pgSocketInfo(c);
      expect(c.connection.stream._upgraded).toBe(true); // pg-cloudflare's startTls path ran
      expect(info.tls).toMatchObject({ version: 'TLSv1.3', verified: true, resumed: false });
      expect(info.tls.chainSubjects).toEqual(['CN=localhost', 'CN=wasi-connect PostgreSQL test intermediate', 'CN=wasi-connect PostgreSQL test root']);
      await exercisePg(c);
      expect(await pgSsl(c)).toEqual({ ssl: true, version: 'TLSv1.3', cipher: info.tls.cipherSuite });
    } finally {
      await c.end();
    }
  });

  it('verify-full by IP address (host 127.0.0.1: pg sends no servername; the IP SAN is checked)', async () => {
    const c = new pg.Client(pgConfig({ host: '127.0.0.1', ssl: { ca: server.ca } }));
    await c.connect();
    try {
      expect((await pgSocketInfo(c)).tls).toMatchObject({ version: 'TLSv1.3', verified: true });
      expect((await pgSsl(c)).ssl).toBe(true);
    } finally {
      await c.end();
    }
  });

  it('a role the server admits only over TLS (hostssl): refused in plaintext by the server, admitted over TLS', async () => {
    const creds = { user: server.tlsUser, password: server.tlsPassword };
    const err = await pgConnectError(creds);
    expect(err.code).toBe('28000'); // invalid_authorization_specification, from the server
    expect(err.message).toMatch(/no pg_hba\.conf entry .*"wasi_tls".*no encryption/);
    const c = new pg.Client(pgConfig({ ...creds, ssl: { ca: server.ca } }));
    await c.connect();
    try {
      expect(await pgSsl(c)).toMatchObject({ ssl: true, version: 'TLSv1.3' });
      expect((await c.query('SELECT current_user AS u')).rows[0].u).toBe(server.tlsUser);
    } finally {
      await c.end();
    }
  });

  it('a CA that did not issue the server certificate: connect() rejects with SocketError TLS_CERTIFICATE_UNTRUSTED; the server sees the handshake aborted', async () => {
    const mark = server.log().length;
    const err = await pgConnectError({ ssl: { ca: wrongCa, rejectUnauthorized: true } });
    expect(err.constructor.name).toBe('SocketError'); // ours, handed through pg-cloudflare and pg unchanged
    expect(err).toBeInstanceOf(TypeError);
    expect(err.code).toBe('TLS_CERTIFICATE_UNTRUSTED');
    expect(err.message).toMatch(/^SocketError: .*(trust anchor|issued by)/);
    // the server logs the alert we sent (unknown_ca); no login happened
    expect(await logAfter(mark, /could not accept SSL connection: tlsv1 alert unknown ca/)).not.toMatch(/connection authorized/);
  });

  it('a server name the certificate does not have (servername "db.example.test" at 127.0.0.1): TLS_HOSTNAME_MISMATCH, alert bad_certificate', async () => {
    const mark = server.log().length;
    const err = await pgConnectError({ host: '127.0.0.1', ssl: { ca: server.ca, servername: 'db.example.test' } });
    expect(err.constructor.name).toBe('SocketError');
    expect(err.code).toBe('TLS_HOSTNAME_MISMATCH');
    expect(err.message).toMatch(/db\.example\.test/);
    expect(await logAfter(mark, /could not accept SSL connection: sslv3 alert bad certificate/)).not.toMatch(/connection authorized/);
  });

  it('rejectUnauthorized: false (sslmode=require): encrypted without verifying the certificate', async () => {
    const c = new pg.Client(pgConfig({ ssl: { rejectUnauthorized: false } })); // no ca: the chain cannot be verified
    await c.connect();
    try {
      const info = await pgSocketInfo(c);
      expect(info.tls).toMatchObject({ version: 'TLSv1.3', verified: false });
      expect(await pgSsl(c)).toEqual({ ssl: true, version: 'TLSv1.3', cipher: info.tls.cipherSuite });
    } finally {
      await c.end();
    }
  });

  it('pg.Pool: 10 clients over TLS run 200 small queries at once, every answer right, every session verified TLS 1.3', async () => {
    const pool = new pg.Pool(pgConfig({ ssl: { ca: server.ca, rejectUnauthorized: true }, max: 10 }));
    const sockets: Any[] = [];
    pool.on('connect', (client: Any) => sockets.push(client.connection.stream));
    try {
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) =>
        pool.query('SELECT $1::int * 2 AS twice, md5($1::text) AS h, pg_backend_pid() AS pid, s.ssl, s.version FROM pg_stat_ssl s WHERE s.pid = pg_backend_pid()', [i])));
      results.forEach((r: Any, i: number) => {
        expect(r.rows).toHaveLength(1);
        expect(r.rows[0]).toMatchObject({ twice: 2 * i, h: createHash('md5').update(String(i)).digest('hex'), ssl: true, version: 'TLSv1.3' });
      });
      expect(new Set(results.map((r: Any) => r.rows[0].pid)).size).toBe(10);
      expect(sockets).toHaveLength(10);
      for (const s of sockets) {
        expect(s).toBeInstanceOf(CloudflareSocket);
        expect((await s._cfSocket.opened).tls).toMatchObject({ version: 'TLSv1.3', verified: true });
      }
    } finally {
      await pool.end();
    }
  });
});

// ------------------------------------------------------------------ postgres.js

function pgjs(over: Record<string, unknown> = {}): Any {
  return postgres({
    host: 'localhost', port: server.port, user: server.user, pass: server.password, database: server.database,
    connect_timeout: 20, idle_timeout: 0, ...over,
  });
}

async function exercisePgjs(sql: Any): Promise<void> {
  const [v] = await sql`SELECT version()`;
  expect(v.version).toMatch(/^PostgreSQL \d+\.\d+/);
  await sql`CREATE TEMP TABLE items (id int PRIMARY KEY, name text, note text)`;
  await sql`INSERT INTO items ${sql([{ id: 1, name: 'one', note: null }, { id: 2, name: UNICODE, note: 'y'.repeat(10_000) }])}`;
  const rows = await sql`SELECT id, name, note FROM items WHERE id IN ${sql([1, 2])} ORDER BY id`;
  expect(rows.map((x: Any) => [x.id, x.name, x.note])).toEqual([[1, 'one', null], [2, UNICODE, 'y'.repeat(10_000)]]);
  const big = randomBytes(1 << 20);
  const [b] = await sql`SELECT ${big}::bytea AS b, length(${big}::bytea) AS n, sha256(${big}::bytea) AS h`;
  expect(b.n).toBe(1 << 20);
  expect(Buffer.from(b.h).toString('hex')).toBe(createHash('sha256').update(big).digest('hex'));
  expect(Buffer.compare(b.b, big)).toBe(0);
}

describe('postgres.js (its Workers build) over connect()', { timeout: 30_000 }, () => {
  it('plaintext: queries, parameters, a 1 MiB bytea round trip; the server sees no SSL', async () => {
    const sql = pgjs({ max: 1 });
    try {
      await exercisePgjs(sql);
      const [s] = await sql`SELECT ssl, version, cipher FROM pg_stat_ssl WHERE pid = pg_backend_pid()`;
      expect(s).toEqual({ ssl: false, version: null, cipher: null });
    } finally {
      await sql.end();
    }
  });

  it('verify-full (ssl: { ca, rejectUnauthorized: true }): TLS 1.3 via SSLRequest and startTls(); pg_stat_ssl agrees', async () => {
    const sql = pgjs({ max: 1, ssl: { ca: server.ca, rejectUnauthorized: true } });
    try {
      await exercisePgjs(sql);
      const [s] = await sql`SELECT ssl, version, cipher FROM pg_stat_ssl WHERE pid = pg_backend_pid()`;
      expect(s).toMatchObject({ ssl: true, version: 'TLSv1.3' });
      expect(s.cipher).toMatch(/^TLS_(AES_128_GCM_SHA256|AES_256_GCM_SHA384|CHACHA20_POLY1305_SHA256)$/);
    } finally {
      await sql.end();
    }
  });

  it('a pool of 4 TLS connections runs 100 concurrent queries, every answer right; the server sees 4 TLS 1.3 sessions', async () => {
    const sql = pgjs({ max: 4, ssl: { ca: server.ca, rejectUnauthorized: true }, connection: { application_name: 'wasi-connect-pgjs-pool' } });
    const c = new pg.Client(pgConfig({ ssl: { ca: server.ca } })); // an observer
    try {
      const results = await Promise.all(Array.from({ length: 100 }, (_, i) =>
        sql`SELECT ${i}::int * 3 AS thrice, md5(${String(i)}) AS h, pg_backend_pid() AS pid`));
      results.forEach((r: Any, i: number) => {
        expect(r[0]).toMatchObject({ thrice: 3 * i, h: createHash('md5').update(String(i)).digest('hex') });
      });
      const pids = new Set(results.map((r: Any) => r[0].pid));
      expect(pids.size).toBe(4); // the first four queries each open a connection
      await c.connect();
      const seen = await c.query(
        "SELECT a.pid, s.ssl, s.version FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) WHERE a.application_name = 'wasi-connect-pgjs-pool'");
      expect(seen.rows.length).toBe(4);
      for (const row of seen.rows) {
        expect(pids.has(row.pid)).toBe(true);
        expect(row).toMatchObject({ ssl: true, version: 'TLSv1.3' });
      }
    } finally {
      await c.end().catch(() => {});
      await sql.end();
    }
  });

  it("its Workers build passes only servername to startTls(): ssl.ca is ignored, trust comes from NODE_EXTRA_CA_CERTS", async () => {
    // If postgres.js starts passing ssl.ca through, this connect fails (wrongCa did not issue the
    // server certificate) and the docs about postgres.js and NODE_EXTRA_CA_CERTS need updating.
    const sql = pgjs({ max: 1, ssl: { ca: wrongCa, rejectUnauthorized: true } });
    try {
      const [s] = await sql`SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()`;
      expect(s).toEqual({ ssl: true, version: 'TLSv1.3' });
    } finally {
      await sql.end();
    }
  });
});

// ------------------------------------------------------------------ the protocol, with connect() alone

describe("PostgreSQL's TLS negotiation with connect() alone", { timeout: 30_000 }, () => {
  it("SSLRequest, 'S', startTls(): the original's closed resolves after the caller has set up the new socket, then the server speaks over TLS", async () => {
    const s = connect(`localhost:${server.port}`, { secureTransport: 'starttls' });
    await s.opened;
    const w = s.writable.getWriter();
    await w.write(new Uint8Array([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f])); // SSLRequest (80877103)
    const r = s.readable.getReader();
    const first = await r.read();
    expect(Array.from(first.value!)).toEqual([0x53]); // 'S'
    w.releaseLock();
    r.releaseLock();
    // postgres.js's pattern: set up the new socket after startTls() returns; the old socket's
    // `closed` must not be seen before that setup (it reads an early `closed` as a disconnect)
    const order: string[] = [];
    s.closed.then(() => order.push('original closed'));
    const t = s.startTls({ expectedServerHostname: 'localhost', ca: server.ca });
    const tw = t.writable.getWriter();
    const tr = t.readable.getReader();
    void tw.ready.then(() => order.push('new writer ready'));
    await s.closed;
    expect(order).toEqual(['new writer ready', 'original closed']);
    expect(s.upgraded).toBe(true);
    const info = await t.opened;
    expect(info.tls).toMatchObject({ version: 'TLSv1.3', verified: true });
    // StartupMessage over TLS: the server answers with AuthenticationSASL ('R', code 10, SCRAM-SHA-256)
    const params = Buffer.from(`user\0${server.user}\0database\0${server.database}\0\0`);
    const startup = Buffer.alloc(8 + params.length);
    startup.writeInt32BE(startup.length, 0);
    startup.writeInt32BE(196608, 4); // protocol 3.0
    params.copy(startup, 8);
    await tw.write(startup);
    let got = Buffer.alloc(0);
    while (got.length < 5 || got.length < 1 + got.readInt32BE(1)) {
      const { value, done } = await tr.read();
      if (done) break;
      got = Buffer.concat([got, value!]);
    }
    expect(String.fromCharCode(got[0])).toBe('R');
    expect(got.readInt32BE(5)).toBe(10);
    expect(got.subarray(9).toString()).toContain('SCRAM-SHA-256');
    await t.close();
  });
});
