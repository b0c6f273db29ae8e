// Resolve hook for bench/pg.mjs's floor client: `cloudflare:sockets` -> bench/web-streams-floor.mjs
// (the same shape as src/cloudflare-sockets-hooks.ts, for the module.register() API of Node 20).
const TARGET = new URL('./web-streams-floor.mjs', import.meta.url).href;

export function resolve(specifier, context, nextResolve) {
  if (specifier === 'cloudflare:sockets') return { url: TARGET, format: 'module', shortCircuit: true };
  return nextResolve(specifier, context);
}
