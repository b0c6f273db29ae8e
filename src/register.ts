// `node --import wasi-connect/register app.js`: code written for Cloudflare Workers, which does
// `import { connect } from 'cloudflare:sockets'`, runs unmodified on this package's connect().
// Importing this module installs a resolve hook for that one specifier (see
// cloudflare-sockets-hooks.ts), with the best hook API the runtime has:
// - module.registerHooks() where it exists (Node >= 22.15 / 23.5, Node 24, Deno 2.9): in-thread,
//   for import, import() and require();
// - else module.register() (Node 20.6+ and older 22): hooks in Node's loader thread, for import
//   and import() (also import() from CommonJS), not require();
// - in Bun, its runtime plugin API (bun-plugin.ts), so `bun --preload wasi-connect/register`
//   works too.
// require('cloudflare:sockets') can never load this package: its entry instantiates the
// WebAssembly component with top-level await, and require() cannot load such a module
// (ERR_REQUIRE_ASYNC_MODULE). CommonJS code uses `await import('cloudflare:sockets')`, as
// pg-cloudflare does. See README "Code written for Cloudflare Workers".
import * as nodeModule from 'node:module';
import { resolve } from './cloudflare-sockets-hooks.js';
import { installBunPlugin } from './bun-plugin.js';

type RegisterHooks = (hooks: { resolve: typeof resolve }) => unknown;
const { registerHooks } = nodeModule as unknown as { registerHooks?: RegisterHooks };

/** Which mechanism this process uses: "bun-plugin", "registerHooks" or "register". */
export let mechanism: 'bun-plugin' | 'registerHooks' | 'register';

if (installBunPlugin()) {
  mechanism = 'bun-plugin';
} else if (typeof registerHooks === 'function') {
  registerHooks({ resolve });
  mechanism = 'registerHooks';
} else if (typeof nodeModule.register === 'function') {
  nodeModule.register('./cloudflare-sockets-hooks.js', import.meta.url);
  mechanism = 'register';
} else {
  throw new Error('wasi-connect/register: this runtime has neither module.registerHooks() nor module.register() (Node >= 20.6 has)');
}
