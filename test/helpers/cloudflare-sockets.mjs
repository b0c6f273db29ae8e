// A Node module customization hook (node:module register()) for the driver tests: it resolves
// `cloudflare:sockets`, which the Workers builds of PostgreSQL drivers import (pg-cloudflare,
// postgres.js's cf/ build), to this package's own connect() in dist/src/index.js. Nothing else is
// touched. Test-only; a user-facing `wasi-connect/register` is a separate piece of work.
//
//   import { register } from 'node:module';
//   register(new URL('./helpers/cloudflare-sockets.mjs', import.meta.url));
const TARGET = new URL('../../dist/src/index.js', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'cloudflare:sockets') return { url: TARGET, format: 'module', shortCircuit: true };
  return nextResolve(specifier, context);
}
