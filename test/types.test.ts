// Type tests: wasi-connect's exported Socket, SocketOptions, SocketAddress and SocketInfo against
// @cloudflare/workers-types, compiled with `tsc --noEmit` (the TypeScript of devDependencies) over
// the built declaration files (dist/src/*.d.ts):
// - test/types/workers-ambient.test-d.ts: a project written for Workers (no DOM, workers-types
//   as its globals, its `declare module "cloudflare:sockets"`): assignable both ways, except
//   SocketOptions ours -> theirs (workers-types requires allowHalfOpen);
// - test/types/workers-importable.test-d.ts: a Node project (DOM lib) importing workers-types'
//   types: the same, apart from the stream types (DOM's and workers-types' streams differ).
// Each tsconfig finds @cloudflare/workers-types (a devDependency) in node_modules.
// Then the whole test suite: tsconfig.test.json type-checks src/ and test/ together.
import { describe, it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const WORKERS_TYPES = [
  join(ROOT, 'node_modules', '@cloudflare', 'workers-types', 'index.d.ts'),
];

function tsc(project: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [TSC, '-p', join(ROOT, project), '--pretty', 'false'], { cwd: ROOT, timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, output: stdout + stderr });
    });
  });
}

describe('types against @cloudflare/workers-types', () => {
  it('@cloudflare/workers-types is installed', () => {
    expect(WORKERS_TYPES.some(existsSync), `none of ${WORKERS_TYPES.join(', ')} (npm install --save-dev --save-exact @cloudflare/workers-types)`).toBe(true);
  });

  for (const [project, what] of [
    ['tsconfig.workers-ambient.json', 'a Workers project (workers-types globals, cloudflare:sockets module): Socket, SocketAddress, SocketInfo both ways; SocketOptions theirs -> ours'],
    ['tsconfig.workers-importable.json', "a Node project (DOM lib) importing workers-types: the same, stream types aside"],
  ]) {
    it(`${what} (test/types/${project})`, async () => {
      const { code, output } = await tsc(join('test', 'types', project));
      expect(output).toBe('');
      expect(code).toBe(0);
    }, 120_000);
  }
});

describe('the tests themselves', () => {
  // vitest strips types without checking them; this is what checks them (also `npm run typecheck`)
  it('the sources and the tests type-check together (tsconfig.test.json, over the built dist/)', async () => {
    const { code, output } = await tsc('tsconfig.test.json');
    expect(output).toBe('');
    expect(code).toBe(0);
  }, 120_000);
});
