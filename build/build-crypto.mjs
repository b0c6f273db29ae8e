// Builds the test-only crypto module (a plain core Wasm module, no WASI imports) from the same
// AssemblyScript sources the component uses. It backs the `wasi-connect/crypto-testing` subpath.
//
//   node build/build-crypto.mjs                 -> dist/core/crypto-testing.wasm (every primitive)
//   node build/build-crypto.mjs --only sha2     -> dist/core/crypto-testing-sha2.wasm (one primitive,
//                                                  for working on it while others are mid-edit)
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const testingDir = join(root, 'assembly', 'crypto', 'testing');

export async function buildCrypto({ only = null, quiet = false } = {}) {
  const names = only
    ? [only]
    : readdirSync(testingDir)
        .filter((f) => f.endsWith('.ts') && f !== 'arena.ts')
        .map((f) => f.slice(0, -3))
        .sort();
  const genDir = join(root, 'dist', 'gen');
  mkdirSync(genDir, { recursive: true });
  mkdirSync(join(root, 'dist', 'core'), { recursive: true });
  const rel = (p) => relative(genDir, p).replaceAll('\\', '/');
  const entry = join(genDir, only ? `crypto-testing-${only}.ts` : 'crypto-testing.ts');
  const lines = [`export { arena } from "${rel(join(testingDir, 'arena'))}";`];
  for (const n of names) lines.push(`export * from "${rel(join(testingDir, n))}";`);
  writeFileSync(entry, lines.join('\n') + '\n');
  const outFile = join(root, 'dist', 'core', only ? `crypto-testing-${only}.wasm` : 'crypto-testing.wasm');
  // compiler options live in asconfig.json (target "crypto-testing"); only the output file varies
  const args = [relative(root, entry), '--config', 'asconfig.json', '--target', 'crypto-testing', '--outFile', relative(root, outFile)];
  let err = '';
  const { error } = await asc.main(args, {
    stdout: { write: (s) => { if (!quiet) process.stdout.write(s); return true; } },
    stderr: { write: (s) => { err += s; return true; } },
  });
  if (error) {
    process.stderr.write(err);
    throw new Error(`asc failed for ${relative(root, entry)}: ${error.message}`);
  }
  if (err && !quiet) process.stderr.write(err);
  return outFile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--only');
  const only = i > 0 ? process.argv[i + 1] : null;
  const t0 = performance.now();
  const out = await buildCrypto({ only });
  console.log(`built ${relative(root, out)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
