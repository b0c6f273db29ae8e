// Builds the native tools and the composed WASI CLI when missing or stale (npm test runs this):
//   native/host     wasi-connect-host: wasmtime + wasmtime-wasi test host (cases, bench, run)
//   native/compose  wasi-connect-compose: wac-graph composition
//   dist/wasi-connect-cli.wasm: the AssemblyScript command composed with the shipped component
// Both crates build from their committed Cargo.lock (--locked) with the crates.io registry.
// Without cargo the native tests are skipped (CI=true makes that an error instead).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { root, targetDir, cliComposed, component } from './paths.mjs';

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
