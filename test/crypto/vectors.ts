// Shared helpers for the crypto tests: Wycheproof loading, hex, and a seeded PRNG so that every
// differential test is reproducible (set CRYPTO_SEED to replay a failure).
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));

/** The Wycheproof folder: ../shared/vectors/wycheproof beside the repository (as laid out here and in CI). */
export function wycheproofDir(): string {
  const candidates = [
    process.env.WYCHEPROOF_DIR,
    join(here, '..', '..', '..', 'shared', 'vectors', 'wycheproof'),
  ].filter((x): x is string => !!x);
  for (const c of candidates) if (existsSync(c)) return c;
  throw new Error(`Wycheproof vectors not found (looked in ${candidates.join(', ')})`);
}

export interface WycheproofFile<G = any> {
  algorithm: string;
  numberOfTests: number;
  notes?: Record<string, unknown>;
  testGroups: G[];
}

export function loadWycheproof<G = any>(file: string): WycheproofFile<G> {
  return JSON.parse(readFileSync(join(wycheproofDir(), file), 'utf8'));
}

export const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** sfc32: a small, fast, seeded PRNG (not for secrets; for reproducible test inputs). */
export class TestRng {
  private a: number; private b: number; private c: number; private d: number;
  constructor(seed: number = Number(process.env.CRYPTO_SEED ?? 0x5eed)) {
    this.a = 0x9e3779b9; this.b = 0x243f6a88; this.c = 0xb7e15162; this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.u32();
  }
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }
  /** Uniform integer in [0, n). */
  int(n: number): number { return this.u32() % n; }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }
}

/** b^e mod m with BigInts (square-and-multiply), for building reference values in tests. */
export function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n % m;
  b %= m;
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
}
