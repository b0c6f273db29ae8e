// Builds the test-only module (a plain core Wasm module, no WASI imports) from the same
// AssemblyScript sources the component uses. It backs the `wasi-connect/crypto-testing` subpath.
// Its entry re-exports every file of every `assembly/*/testing/` folder (crypto, x509, and tls
// once that exists), so export names must be unique across those folders.
//
//   node build/build-crypto.mjs                 -> dist/core/crypto-testing.wasm (everything)
//   node build/build-crypto.mjs --only sha2     -> dist/core/crypto-testing-sha2.wasm (one testing
//                                                  file, found in any testing folder, for working on
//                                                  it while others are mid-edit)
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';
import { genAnchors } from './gen-anchors.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const assemblyDir = join(root, 'assembly');
/** The scratch-memory helper every JS door uses. */
const arenaFile = join(assemblyDir, 'crypto', 'testing', 'arena');

/** Every assembly/<area>/testing/*.ts (but the arena), as paths without the extension. */
function testingFiles() {
  const out = [];
  for (const area of readdirSync(assemblyDir, { withFileTypes: true })) {
    if (!area.isDirectory()) continue;
    const dir = join(assemblyDir, area.name, 'testing');
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) {
      if (f.endsWith('.ts') && join(dir, f.slice(0, -3)) !== arenaFile) out.push(join(dir, f.slice(0, -3)));
    }
  }
  return out.sort();
}

export async function buildCrypto({ only = null, quiet = false } = {}) {
  const all = testingFiles();
  const files = only ? all.filter((f) => f.endsWith(`/${only}`) || f.endsWith(`\\${only}`)) : all;
  if (only && files.length !== 1) throw new Error(`--only ${only}: ${files.length} testing files have that name`);
  // assembly/x509 embeds the trust anchors generated from this Node's root set
  genAnchors({ quiet: true });
  const genDir = join(root, 'dist', 'gen');
  mkdirSync(genDir, { recursive: true });
  mkdirSync(join(root, 'dist', 'core'), { recursive: true });
  const rel = (p) => relative(genDir, p).replaceAll('\\', '/');
  const entry = join(genDir, only ? `crypto-testing-${only}.ts` : 'crypto-testing.ts');
  const lines = [`export { arena } from "${rel(arenaFile)}";`];
  for (const f of files) lines.push(`export * from "${rel(f)}";`);
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
