// The resolve hook behind `wasi-connect/register`: the specifier `cloudflare:sockets`, which code
// written for Cloudflare Workers imports, resolves to this package's entry (dist/src/index.js);
// every other specifier goes on to the next resolver untouched. Nothing is loaded or rewritten.
//
// One function serves both hook APIs:
// - module.registerHooks() (in-thread, synchronous: Node >= 22.15 / 23.5, Node 24, Deno 2.9):
//   `nextResolve` returns a result, which is passed through;
// - module.register() (the hooks run in a loader thread, asynchronously: Node 20, where this file
//   is the hooks module): `nextResolve` returns a promise, which is passed through.
import type { ResolveHookContext, ResolveFnOutput } from 'node:module';

/** The specifier that Workers code imports. */
export const SPECIFIER = 'cloudflare:sockets';

/** What it resolves to: this package's main entry, which exports `connect` (and more). */
export const TARGET = new URL('./index.js', import.meta.url).href;

type NextResolve = (specifier: string, context?: Partial<ResolveHookContext>) => ResolveFnOutput | Promise<ResolveFnOutput>;

export function resolve(specifier: string, context: ResolveHookContext, nextResolve: NextResolve): ResolveFnOutput | Promise<ResolveFnOutput> {
  if (specifier === SPECIFIER) return { url: TARGET, format: 'module', shortCircuit: true };
  return nextResolve(specifier, context);
}
