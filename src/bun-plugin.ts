// A Bun plugin that resolves `cloudflare:sockets` (what code written for Cloudflare Workers
// imports) to this package's entry, for `bun --preload wasi-connect/bun-plugin app.js` (or
// `preload = ["wasi-connect/bun-plugin"]` in bunfig.toml). Loaded in Bun, this module registers
// the plugin with the runtime (once); the plugin object is also the default export, for
// `Bun.build({ plugins: [...] })`. Outside Bun, loading it does nothing.
//
// Bun splits the specifier at its colon: the plugin sees namespace "cloudflare", path "sockets"
// (measured on Bun 1.4); the default namespace is matched too, for the whole specifier.
import { fileURLToPath } from 'node:url';
import { SPECIFIER, TARGET } from './cloudflare-sockets-hooks.js';

interface OnResolveArgs { path: string; importer: string; namespace?: string }
interface OnResolveResult { path: string; namespace?: string }
interface PluginBuilder {
  onResolve(options: { filter: RegExp; namespace?: string }, callback: (args: OnResolveArgs) => OnResolveResult | undefined): unknown;
}
/** The shape of a Bun plugin (BunPlugin), without depending on bun-types. */
export interface CloudflareSocketsPlugin {
  name: string;
  setup(build: PluginBuilder): void;
}

const targetPath = fileURLToPath(TARGET);

export const cloudflareSockets: CloudflareSocketsPlugin = {
  name: 'wasi-connect: cloudflare:sockets',
  setup(build) {
    const to = (): OnResolveResult => ({ path: targetPath, namespace: 'file' });
    build.onResolve({ filter: /^sockets$/, namespace: 'cloudflare' }, to);
    build.onResolve({ filter: new RegExp(`^${SPECIFIER}$`) }, to);
  },
};
export default cloudflareSockets;

const INSTALLED = Symbol.for('wasi-connect.bun-plugin.installed');

/** Registers the plugin with the running Bun (once per process). Returns false outside Bun. */
export function installBunPlugin(): boolean {
  const g = globalThis as { Bun?: { plugin(p: CloudflareSocketsPlugin): unknown }; [INSTALLED]?: boolean };
  if (!g.Bun) return false;
  if (!g[INSTALLED]) {
    g.Bun.plugin(cloudflareSockets);
    g[INSTALLED] = true;
  }
  return true;
}

installBunPlugin();
