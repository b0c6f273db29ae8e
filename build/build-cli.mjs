// Builds the wasi-connect command for WASI hosts (issue 8):
//   1. asc:      cli/assembly/main.ts -> core Wasm (AssemblyScript, as the component itself)
//   2. binaryen: export names -> canonical ABI (`wasi:cli/run@0.2.0#run`)
//   3. jco:      embed cli/wit (world wasi-connect-cli: imports wasi-connect:sockets/sockets and
//                WASI 0.2.0 cli/io/filesystem, exports wasi:cli/run) -> dist/wasi-connect-cli.guest.wasm
//   4. compose:  the guest plugged into dist/wasi-connect.component.wasm (the shipped bytes), with
//                wac-graph (crates.io) in native/compose -> dist/wasi-connect-cli.wasm
// Steps 1-3 need only npm packages; step 4 needs the native tools (node native/ensure.mjs).
//   node build/build-cli.mjs [--no-compose]
import { mkdirSync, readFileSync, writeFileSync, rmSync, cpSync, existsSync, mkdtempSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import asc from 'assemblyscript/asc';
import binaryen from 'assemblyscript/binaryen';
import { componentEmbed, componentNew, componentWit } from '@bytecodealliance/jco';
import { BLOCKING_IMPORT } from './exports.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const step = (name, t0) => console.log(`  ${name.padEnd(34)} ${((performance.now() - t0) / 1000).toFixed(1)} s`);

export const GUEST = join(dist, 'wasi-connect-cli.guest.wasm');
export const COMPOSED = join(dist, 'wasi-connect-cli.wasm');

const EXPORTS = new Map([
  ['cli_run', 'wasi:cli/run@0.2.0#run'],
  ['cabi_realloc', 'cabi_realloc'],
  ['_initialize', '_initialize'],
  ['memory', 'memory'],
]);

async function compile() {
  const t0 = performance.now();
  mkdirSync(join(dist, 'core'), { recursive: true });
  let err = '';
  const { error } = await asc.main(['cli/assembly/main.ts', '--config', 'asconfig.json', '--target', 'cli'], {
    stdout: { write: () => true },
    stderr: { write: (s) => { err += s; return true; } },
  });
  if (error) {
    process.stderr.write(err);
    throw new Error(`asc failed: ${error.message}`);
  }
  step('asc -> core wasm (cli guest)', t0);
  return readFileSync(join(dist, 'core', 'wasi-connect-cli.asc.wasm'));
}

function rename(bytes) {
  const mod = binaryen.readBinary(bytes);
  mod.setFeatures(binaryen.Features.All);
  const exports = [];
  for (let i = 0; i < mod.getNumExports(); i++) exports.push(binaryen.getExportInfo(mod.getExportByIndex(i)));
  for (const e of exports) {
    const canon = EXPORTS.get(e.name);
    if (!canon) throw new Error(`the cli guest exports '${e.name}', which build/build-cli.mjs does not name`);
    if (canon === e.name) continue;
    mod.removeExport(e.name);
    mod.addFunctionExport(e.value, canon);
  }
  if (!mod.validate()) throw new Error('binaryen validation failed after renaming');
  const out = mod.emitBinary();
  mod.dispose();
  const m = new WebAssembly.Module(out);
  for (const { module, name } of WebAssembly.Module.imports(m)) {
    if (module === 'env') throw new Error(`cli guest imports env.${name}`);
  }
  return out;
}

/** The guest's WIT: its world, WASI 0.2.0 (the package's own and cli/filesystem), and ours. */
function witDir() {
  const dir = mkdtempSync(join(tmpdir(), 'wasi-connect-cli-wit-'));
  cpSync(join(root, 'cli', 'wit', 'world.wit'), join(dir, 'world.wit'));
  for (const d of ['io', 'clocks', 'random', 'sockets']) cpSync(join(root, 'wit', 'deps', d), join(dir, 'deps', d), { recursive: true });
  for (const d of ['cli', 'filesystem']) cpSync(join(root, 'cli', 'wit', 'deps', d), join(dir, 'deps', d), { recursive: true });
  mkdirSync(join(dir, 'deps', 'wasi-connect'), { recursive: true });
  cpSync(join(root, 'wit', 'world.wit'), join(dir, 'deps', 'wasi-connect', 'world.wit'));
  return dir;
}

export async function buildGuest() {
  const core = rename(await compile());
  const t0 = performance.now();
  const dir = witDir();
  try {
    const embedded = await componentEmbed({ binary: core, witPath: dir, world: 'wasi-connect-cli', stringEncoding: 'utf16' });
    const component = await componentNew(embedded, []);
    const wit = await componentWit(component);
    if (!wit.includes('export wasi:cli/run@0.2.0;')) throw new Error('the cli guest does not export wasi:cli/run@0.2.0');
    for (const m of wit.matchAll(/^\s*import\s+([^;{]+);/gm)) {
      if (m[1].includes('@0.2.') && !m[1].endsWith('@0.2.0')) throw new Error(`the cli guest imports ${m[1]}: only WASI 0.2.0`);
    }
    writeFileSync(GUEST, component);
    step('embed WIT + component new (guest)', t0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The native composer (native/compose, wac-graph): its path, or null when not built. */
export function composer() {
  const dir = process.env.CARGO_TARGET_DIR ?? join(process.env.HOME ?? '/root', '.cache', 'wasi-connect', 'cargo-target');
  const p = join(dir, 'release', 'wasi-connect-compose');
  return existsSync(p) ? p : null;
}

export function compose() {
  const tool = composer();
  if (!tool) throw new Error('native/compose is not built: node native/ensure.mjs');
  const t0 = performance.now();
  execFileSync(tool, [GUEST, join(dist, 'wasi-connect.component.wasm'), COMPOSED], { stdio: 'inherit' });
  step('compose (wac-graph)', t0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log('wasi-connect cli build');
  await buildGuest();
  if (!process.argv.includes('--no-compose')) compose();
}
