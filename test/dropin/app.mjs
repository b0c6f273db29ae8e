// A small app written for Cloudflare Workers, run unmodified by test/dropin.test.ts on Node 20,
// Node 24, Deno 2 and Bun 1, with `cloudflare:sockets` mapped to wasi-connect by each runtime's
// drop-in wiring (Node: --import wasi-connect/register; Deno: the deno.json import map for this
// file's own import plus --preload npm:wasi-connect/register for the npm libraries; Bun: --preload
// wasi-connect/bun-plugin). Nothing here knows about wasi-connect. The test copies it into a
// throwaway app directory whose node_modules holds wasi-connect and the drivers.
//
// It talks to a real PostgreSQL three ways:
// - its own `connect()` from 'cloudflare:sockets': SSLRequest, 'S', startTls() (workerd's
//   option name), then the server's first message over TLS;
// - node-postgres through pg-cloudflare (pg's Workers path), plaintext and TLS verify-full;
// - postgres.js's Workers build, plaintext and TLS.
// The server's certificate is trusted through what the libraries pass (pg: ssl.ca) or, where a
// library cannot pass a CA (its own startTls, postgres.js), through NODE_EXTRA_CA_CERTS
// (Node, Bun) / DENO_CERT (Deno), set by the caller.
//
// Usage: <runtime> [wiring] app.mjs '<json: { host, port, user, password, tlsUser, tlsPassword, database, ca }>'
// Prints one line of JSON with what it saw; exits non-zero (with the error) if anything threw.
import { connect } from 'cloudflare:sockets';
import { createRequire } from 'node:module';
import { Buffer } from 'node:buffer';
import process from 'node:process';

const cfg = JSON.parse(process.argv[process.argv.length - 1]);
const require = createRequire(import.meta.url);

// node-postgres chooses its Workers stream functions (pg-cloudflare, getSecureStream = startTls)
// once, when it loads, if navigator.userAgent says Cloudflare-Workers: say it, as a Worker would.
// pg-cloudflare's package exports its code only under the `workerd` condition (given by the caller).
Object.defineProperty(globalThis, 'navigator', { value: { userAgent: 'Cloudflare-Workers' }, configurable: true, writable: true });
const pg = require('pg');
// postgres.js's Workers build (its package's `workerd` export), by its file: Bun always prefers
// postgres's `bun` export, which comes first, over `workerd`.
const postgres = (await import(new URL('./node_modules/postgres/cf/src/index.js', import.meta.url).href)).default;

const out = {};
const SSL_QUERY = 'SELECT ssl, version, cipher FROM pg_stat_ssl WHERE pid = pg_backend_pid()';

// ---------------------------------------------------------------- connect() itself
{
  const socket = connect({ hostname: 'localhost', port: cfg.port }, { secureTransport: 'starttls' });
  const plain = await socket.opened;
  const w = socket.writable.getWriter();
  await w.write(new Uint8Array([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f])); // SSLRequest
  const r = socket.readable.getReader();
  const answer = await r.read();
  w.releaseLock();
  r.releaseLock();
  const tls = socket.startTls({ expectedServerHostname: 'localhost' });
  const info = await tls.opened;
  // StartupMessage over TLS; the server asks for SCRAM-SHA-256 ('R', 10)
  const params = Buffer.from(`user\0${cfg.user}\0database\0${cfg.database}\0\0`);
  const startup = Buffer.alloc(8 + params.length);
  startup.writeInt32BE(startup.length, 0);
  startup.writeInt32BE(196608, 4);
  params.copy(startup, 8);
  const tw = tls.writable.getWriter();
  await tw.write(startup);
  const tr = tls.readable.getReader();
  let got = Buffer.alloc(0);
  while (got.length < 9) {
    const { value, done } = await tr.read();
    if (done) break;
    got = Buffer.concat([got, value]);
  }
  await tls.close();
  out.connect = {
    plainRemote: plain.remoteAddress,
    sslAnswer: String.fromCharCode(answer.value[0]),
    upgraded: socket.upgraded,
    secureTransport: tls.secureTransport,
    tls: info.tls && { version: info.tls.version, verified: info.tls.verified },
    firstMessage: String.fromCharCode(got[0]),
    authCode: got.readInt32BE(5),
  };
}

// ---------------------------------------------------------------- node-postgres + pg-cloudflare
async function pgSession(config) {
  const c = new pg.Client({ host: 'localhost', port: cfg.port, database: cfg.database, connectionTimeoutMillis: 20_000, ...config });
  await c.connect();
  try {
    const stream = c.connection.stream;
    const info = await stream._cfSocket.opened;
    const sum = (await c.query('SELECT $1::int + $2::int AS sum', [20, 22])).rows[0].sum;
    const big = Buffer.alloc(256 * 1024, 'wasi-connect ');
    const echo = (await c.query('SELECT $1::bytea AS b, md5($1::bytea) AS h', [big])).rows[0];
    const ssl = (await c.query(SSL_QUERY)).rows[0];
    const me = (await c.query('SELECT current_user AS u')).rows[0].u;
    return {
      stream: stream.constructor.name,
      upgradedByStartTls: stream._upgraded,
      clientTls: info.tls ? { version: info.tls.version, verified: info.tls.verified } : null,
      sum,
      bytesBack: Buffer.compare(echo.b, big) === 0,
      md5: echo.h,
      user: me,
      server: ssl,
    };
  } finally {
    await c.end();
  }
}
out.pg = {
  plain: await pgSession({ user: cfg.user, password: cfg.password }),
  verifyFull: await pgSession({ user: cfg.user, password: cfg.password, ssl: { ca: cfg.ca, rejectUnauthorized: true } }),
  tlsOnlyRole: await pgSession({ user: cfg.tlsUser, password: cfg.tlsPassword, ssl: { ca: cfg.ca, rejectUnauthorized: true } }),
};

// ---------------------------------------------------------------- postgres.js (Workers build)
async function pgjsSession(ssl) {
  const sql = postgres({
    host: 'localhost', port: cfg.port, user: cfg.user, pass: cfg.password, database: cfg.database,
    ssl, max: 2, idle_timeout: 0, connect_timeout: 20,
  });
  try {
    const rows = await Promise.all([1, 2, 3, 4].map((i) => sql`SELECT ${i}::int * 10 AS n, pg_backend_pid() AS pid`));
    const [server] = await sql.unsafe(SSL_QUERY);
    return { ns: rows.map((r) => r[0].n), sessions: new Set(rows.map((r) => r[0].pid)).size, server };
  } finally {
    await sql.end();
  }
}
out.postgresjs = {
  plain: await pgjsSession(false),
  // verify-full: postgres.js's Workers build passes only the servername to startTls(); the CA
  // comes from NODE_EXTRA_CA_CERTS / DENO_CERT
  verifyFull: await pgjsSession('verify-full'),
};

process.stdout.write(JSON.stringify(out) + '\n');
