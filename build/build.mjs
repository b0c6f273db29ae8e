// The build pipeline, all from npm packages (no native binary, no download):
//   1. asc:      assembly/index.ts -> core Wasm (AssemblyScript, incremental GC runtime)
//   2. binaryen: rename the exports to their canonical-ABI names (build/exports.mjs)
//   3. jco:      embed wit/ (world wasi-connect, UTF-16 strings) and wrap as a component, which
//                type-checks every import and export against the WIT
//   4. check:    the component's imports are a subset of the world's, none of them blocking
//   5. jco:      transpile to an ES module bundle whose WASI imports are this package's own host
//                (dist/component), and a second one on stock preview2-shim (dist/component-p2shim)
//   6. tsc:      src/ -> dist/src
//   7. the test-only crypto module (build/build-crypto.mjs)
import { mkdirSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import asc from 'assemblyscript/asc';
import binaryen from 'assemblyscript/binaryen';
import { componentEmbed, componentNew, componentWit, transpile } from '@bytecodealliance/jco';
import { EXPORT_NAMES, BLOCKING_IMPORT, IFACE } from './exports.mjs';
import { buildCrypto } from './build-crypto.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const step = (name, t0) => console.log(`  ${name.padEnd(34)} ${((performance.now() - t0) / 1000).toFixed(1)} s`);

async function compileCore() {
  const t0 = performance.now();
  mkdirSync(join(dist, 'core'), { recursive: true });
  let err = '';
  const { error } = await asc.main([
    'assembly/index.ts',
    '--outFile', 'dist/core/wasi-connect.asc.wasm',
    '--runtime', 'incremental',
    '--enable', 'simd',
    '-O3', '--shrinkLevel', '0',
    '--exportStart', '_initialize',
    '--use', 'abort=assembly/abi/abort/abortHandler',
  ], {
    stdout: { write: () => true },
    stderr: { write: (s) => { err += s; return true; } },
  });
  if (error) {
    process.stderr.write(err);
    throw new Error(`asc failed: ${error.message}`);
  }
  step('asc -> core wasm', t0);
  return readFileSync(join(dist, 'core', 'wasi-connect.asc.wasm'));
}

function renameExports(bytes) {
  const t0 = performance.now();
  const mod = binaryen.readBinary(bytes);
  mod.setFeatures(binaryen.Features.All);
  const n = mod.getNumExports();
  const exports = [];
  for (let i = 0; i < n; i++) exports.push(binaryen.getExportInfo(mod.getExportByIndex(i)));
  for (const e of exports) {
    const canon = EXPORT_NAMES.get(e.name);
    if (!canon) throw new Error(`assembly exports '${e.name}', which build/exports.mjs does not name`);
    if (canon === e.name) continue;
    mod.removeExport(e.name);
    if (e.kind !== binaryen.ExternalFunction) throw new Error(`export ${e.name} is not a function`);
    mod.addFunctionExport(e.value, canon);
  }
  for (const want of [...EXPORT_NAMES.keys()].filter((k) => !k.endsWith('_post'))) {
    if (!exports.some((e) => e.name === want)) throw new Error(`assembly does not export '${want}'`);
  }
  if (!mod.validate()) throw new Error('binaryen validation failed after renaming');
  const out = mod.emitBinary();
  mod.dispose();
  step('rename exports', t0);
  return out;
}

function checkCoreImports(core) {
  const m = new WebAssembly.Module(core);
  for (const { module, name } of WebAssembly.Module.imports(m)) {
    if (module === 'env') throw new Error(`core module imports env.${name}: the component encoder rejects it`);
    if (BLOCKING_IMPORT.test(name)) throw new Error(`core module imports blocking ${module} ${name}`);
  }
}

async function makeComponent(core) {
  const t0 = performance.now();
  checkCoreImports(core);
  const embedded = await componentEmbed({ binary: core, witPath: join(root, 'wit'), world: 'wasi-connect', stringEncoding: 'utf16' });
  const component = await componentNew(embedded, []);
  step('embed WIT + component new', t0);
  return component;
}

/** The component's imports must be a subset of the world's; its one export must be our interface. */
async function validate(component) {
  const wit = await componentWit(component);
  const world = readFileSync(join(root, 'wit', 'world.wit'), 'utf8');
  const allowedImports = new Set([...world.matchAll(/^\s*import\s+([^;]+);/gm)].map((m) => m[1].trim()));
  const imports = [...wit.matchAll(/^\s*import\s+([^;{]+);/gm)].map((m) => m[1].trim());
  const exports = [...wit.matchAll(/^\s*export\s+([^;{]+);/gm)].map((m) => m[1].trim());
  for (const i of imports) if (!allowedImports.has(i)) throw new Error(`component imports ${i}, which wit/world.wit does not`);
  if (exports.length !== 1 || exports[0] !== IFACE) throw new Error(`component exports ${exports.join(', ')}; expected ${IFACE}`);
  return { imports, exports };
}

async function transpileTo(component, outDir, map) {
  const t0 = performance.now();
  rmSync(outDir, { recursive: true, force: true });
  const { files } = await transpile(component, {
    name: 'wasi-connect',
    map,
    noNamespacedExports: false,
    validLiftingOptimization: true,
  });
  for (const [name, data] of Object.entries(files)) {
    const p = join(outDir, name);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, name.endsWith('.js') && !name.includes('/') ? patchBundle(Buffer.from(data).toString('utf8')) : data);
  }
  step(`jco transpile -> ${relative(root, outDir)}`, t0);
}

/**
 * Two edits to jco's generated JS, each checked so that a jco upgrade that changes the code fails
 * the build instead of silently skipping the edit:
 *  - jco 1.35 records every resource rep it ever creates in `table._createdReps` and never reads
 *    or removes them: an unbounded leak (one entry per pollable). The line is dropped.
 *  - the bundle gains `__internals` (its memory and handle tables) for the leak tests.
 */
function patchBundle(js) {
  const leak = '  table._createdReps.add(rep);\n';
  if (!js.includes(leak)) throw new Error('jco output changed: _createdReps leak line not found (re-check the patch)');
  js = js.replace(leak, '');
  if (!/^let memory0;$/m.test(js) || !js.includes('const HANDLE_TABLES= [];')) {
    throw new Error('jco output changed: memory0 / HANDLE_TABLES not found');
  }
  js += '\n/** Test-only view of the instance: its linear memory and resource handle tables. */\n' +
    'export const __internals = { get memory() { return memory0; }, handleTables: HANDLE_TABLES };\n';
  return js;
}

/** Host modules (dist/src/host/*.js) that implement each WASI interface for the bundle. */
const HOST_MAP = {
  'wasi:io/poll': '../src/host/io.js',
  'wasi:io/streams': '../src/host/io.js',
  'wasi:io/error': '../src/host/io.js',
  'wasi:clocks/monotonic-clock': '../src/host/clocks.js',
  'wasi:random/random': '../src/host/random.js',
  'wasi:sockets/network': '../src/host/sockets.js',
  'wasi:sockets/instance-network': '../src/host/sockets.js',
  'wasi:sockets/tcp': '../src/host/sockets.js',
  'wasi:sockets/tcp-create-socket': '../src/host/sockets.js',
  'wasi:sockets/ip-name-lookup': '../src/host/sockets.js',
};

function writeComponentEntry() {
  // The transpiled bundle exports the interface as `sockets`; offer `connect` and friends at the
  // top level too, so that `import { connect } from 'wasi-connect/component'` works.
  writeFileSync(join(dist, 'component', 'index.js'),
    "export * from './wasi-connect.js';\n" +
    "import { sockets } from './wasi-connect.js';\n" +
    'export const { connect, parseAddress, Socket } = sockets;\n');
  writeFileSync(join(dist, 'component', 'index.d.ts'),
    "export * from './wasi-connect.js';\n" +
    "import { sockets } from './wasi-connect.js';\n" +
    'export declare const connect: typeof sockets.connect, parseAddress: typeof sockets.parseAddress, Socket: typeof sockets.Socket;\n');
}

function tsc() {
  const t0 = performance.now();
  const bin = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [bin, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit', cwd: root });
  step('tsc src -> dist/src', t0);
}

export async function build() {
  const t0 = performance.now();
  console.log('wasi-connect build');
  const core = renameExports(await compileCore());
  writeFileSync(join(dist, 'core', 'wasi-connect.core.wasm'), core);
  const component = await makeComponent(core);
  const { imports } = await validate(component);
  writeFileSync(join(dist, 'wasi-connect.component.wasm'), component);
  console.log(`  component: ${(component.length / 1024).toFixed(0)} KiB, imports ${imports.length} WASI interfaces, exports ${IFACE}`);
  await transpileTo(component, join(dist, 'component'), HOST_MAP);
  writeComponentEntry();
  await transpileTo(component, join(dist, 'component-p2shim'), undefined);
  tsc();
  const t1 = performance.now();
  await buildCrypto({ quiet: true });
  step('crypto-testing module', t1);
  writeFileSync(join(dist, '.build-stamp'), new Date().toISOString() + '\n');
  console.log(`built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await build();
}
