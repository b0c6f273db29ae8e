// Builds the package when dist/ is missing or older than its sources (npm test / start / bench).
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.build-stamp');

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const sources = ['assembly', 'src', 'wit', 'build'].map((d) => newest(join(root, d)));
if (!existsSync(stamp) || Math.max(...sources) > statSync(stamp).mtimeMs) {
  const { build } = await import('./build.mjs');
  await build();
}
