// Where the native tools are built. The cargo target directory lives outside the work tree
// (~/.cache/wasi-connect/cargo-target unless CARGO_TARGET_DIR says otherwise), so that every
// clone and worktree on a machine, and a CI run on a machine that already built them, reuse one
// build: cargo rebuilds only what Cargo.lock or the sources changed.
import { join, dirname } from 'node:path';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const targetDir = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache', 'wasi-connect', 'cargo-target');
export const hostBin = join(targetDir, 'release', 'wasi-connect-host');
export const composeBin = join(targetDir, 'release', 'wasi-connect-compose');
export const component = join(root, 'dist', 'wasi-connect.component.wasm');
export const cliGuest = join(root, 'dist', 'wasi-connect-cli.guest.wasm');
export const cliComposed = join(root, 'dist', 'wasi-connect-cli.wasm');
