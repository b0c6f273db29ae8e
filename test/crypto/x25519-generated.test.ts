// assembly/crypto/x25519.ts is generated (unrolled limb arithmetic): it must be exactly what its
// generator in build/gen/x25519 produces, so that the two never drift apart.
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('generated X25519 field arithmetic', () => {
  it('assembly/crypto/x25519.ts is byte-for-byte the output of build/gen/x25519/final_gen.py', () => {
    const generated = execFileSync('python3', ['build/gen/x25519/final_gen.py'], { cwd: root, encoding: 'utf8', maxBuffer: 1 << 24 });
    expect(generated).toBe(readFileSync(`${root}assembly/crypto/x25519.ts`, 'utf8'));
  });
});
