// What `cloudflare:sockets` resolves to under each runtime's drop-in wiring. test/dropin.test.ts
// copies this file into a throwaway app directory whose node_modules has wasi-connect (this
// repository) and the drivers, and runs it there. Prints one line of JSON.
// Argument: the port of a listening server (the test's PostgreSQL).
import { connect } from 'cloudflare:sockets';
import * as net from 'node:net';
import { createRequire } from 'node:module';
import process from 'node:process';
import * as pkg from 'wasi-connect';

const port = Number(process.argv[process.argv.length - 1]);
const require = createRequire(import.meta.url);
const out = {};
// the static import is this package's module (the very instance, not a copy)
out.staticIsPackage = connect === pkg.connect;
out.dynamicIsPackage = (await import('cloudflare:sockets')).connect === pkg.connect;
out.otherSpecifiersUntouched = typeof net.connect === 'function' && net.connect !== connect;
// require() of it, from ESM
try {
  out.require = require('cloudflare:sockets').connect === pkg.connect ? 'package' : 'other';
} catch (e) {
  out.require = `error ${e.code ?? e.name}`;
}
// from CommonJS: import() and require() (resolution.cjs)
out.cjs = await require('./resolution.cjs')();
// a real library (an npm package, CommonJS) importing it: pg-cloudflare's CloudflareSocket
// (exported under the `workerd` condition) does `await import('cloudflare:sockets')` in connect()
try {
  const { CloudflareSocket } = require('pg-cloudflare');
  const s = new CloudflareSocket(false);
  const failed = new Promise((resolve) => s.once('error', resolve));
  await Promise.race([s.connect(port, '127.0.0.1'), failed]);
  const raw = s._cfSocket;
  if (!raw) throw await failed;
  out.npmLibrary = { isPackageSocket: raw instanceof pkg.Socket, remoteAddress: (await raw.opened).remoteAddress };
  await raw.close();
} catch (e) {
  out.npmLibrary = { error: e.code ?? e.name, message: String(e.message).split('\n')[0] };
}
process.stdout.write(JSON.stringify(out) + '\n');
