// The component's CSPRNG: HMAC_DRBG with HMAC-SHA-256 (NIST SP 800-90A Rev. 1, 10.1.2), from
// assembly/crypto/drbg.ts, compared with an independent implementation written here from the SP
// text over node:crypto HMAC.
import { describe, it, expect } from 'vitest';
import { createHmac } from 'node:crypto';
import * as c from '../../src/crypto-testing.ts';
import { toHex, TestRng } from './vectors.ts';

/** SP 800-90A 10.1.2 HMAC_DRBG, SHA-256, no prediction resistance; generate() splits at 65536 bytes. */
class RefHmacDrbg {
  private K: Buffer = Buffer.alloc(32, 0x00);
  private V: Buffer = Buffer.alloc(32, 0x01);
  counter = 0;
  private hmac(key: Buffer, ...parts: Uint8Array[]): Buffer {
    const m = createHmac('sha256', key);
    for (const p of parts) m.update(p);
    return m.digest();
  }
  /** 10.1.2.2 HMAC_DRBG_Update. */
  private update(provided: Uint8Array): void {
    this.K = this.hmac(this.K, this.V, Buffer.from([0x00]), provided);
    this.V = this.hmac(this.K, this.V);
    if (provided.length === 0) return;
    this.K = this.hmac(this.K, this.V, Buffer.from([0x01]), provided);
    this.V = this.hmac(this.K, this.V);
  }
  /** 10.1.2.3 Instantiate: seed_material = entropy || nonce || personalization. */
  constructor(entropy: Uint8Array, nonce: Uint8Array = new Uint8Array(0), pers: Uint8Array = new Uint8Array(0)) {
    this.update(Buffer.concat([entropy, nonce, pers]));
    this.counter = 1;
  }
  /** 10.1.2.4 Reseed: seed_material = entropy || additional_input. */
  reseed(entropy: Uint8Array, addl: Uint8Array = new Uint8Array(0)): void {
    this.update(Buffer.concat([entropy, addl]));
    this.counter = 1;
  }
  /** 10.1.2.5 Generate (no additional input), one request of at most 2^19 bits. */
  private request(n: number): Buffer {
    const out: Buffer[] = [];
    let have = 0;
    while (have < n) { this.V = this.hmac(this.K, this.V); out.push(this.V); have += 32; }
    this.update(new Uint8Array(0));
    this.counter++;
    return Buffer.concat(out).subarray(0, n);
  }
  generate(n: number): Uint8Array {
    const parts: Buffer[] = [];
    for (let left = n; left > 0; left -= 65536) parts.push(this.request(Math.min(left, 65536)));
    return new Uint8Array(Buffer.concat(parts));
  }
}

// Our own instance of the module for the test-only drbgTestRun export (nonce, personalization,
// reseed), which the JS door does not wrap.
type Raw = Record<string, any> & { memory: WebAssembly.Memory; arena(n: number): number };
let rawInst: Raw | null = null;
function raw(): Raw {
  return (rawInst ??= c.instantiateRaw() as Raw);
}
function drbgRun(ent: Uint8Array, nonce: Uint8Array, pers: Uint8Array, reseed: null | [Uint8Array, Uint8Array], len1: number, len2: number): [Uint8Array, Uint8Array] {
  const w = raw();
  const ins = [ent, nonce, pers, reseed?.[0] ?? new Uint8Array(0), reseed?.[1] ?? new Uint8Array(0)];
  const al = (n: number) => (n + 15) & ~15;
  let p = w.arena(ins.reduce((s, a) => s + al(a.length), 0) + al(len1) + al(len2) + 16);
  const mem = new Uint8Array(w.memory.buffer);
  const ptr = ins.map((a) => { mem.set(a, p); const q = p; p += al(a.length); return q; });
  const o1 = p, o2 = p + al(len1);
  w.drbgTestRun(ptr[0], ent.length, ptr[1], nonce.length, ptr[2], pers.length, ptr[3], ins[3].length, ptr[4], ins[4].length,
    reseed ? 1 : 0, o1, len1, o2, len2);
  return [new Uint8Array(w.memory.buffer, o1, len1).slice(), new Uint8Array(w.memory.buffer, o2, len2).slice()];
}

describe('HMAC-DRBG (SP 800-90A, HMAC-SHA-256)', () => {
  it('reproduces the NIST CAVP HMAC_DRBG [SHA-256] no-reseed, no-PR vector COUNT 0 (instantiate, generate 1024 bits and discard, generate 1024 bits)', () => {
    const ent = Buffer.from('ca851911349384bffe89de1cbdc46e6831e44d34a4fb935ee285dd14b71a7488', 'hex');
    const nonce = Buffer.from('659ba96c601dc69fc902940805ec0ca8', 'hex');
    const want = 'e528e9abf2dece54d47c7e75e5fe302149f817ea9fb4bee6f4199697d04d5b89d54fbb978a15b5c443c9ec21036d2460b6f73ebad0dc2aba6e624abf07745bc1'
      + '07694bb7547bb0995f70de25d6b29e2d3011bb19d27676c07162c8b5ccde0668961df86803482cb37ed6d5c0bb8d50cf1f50d476aa0458bdaba806f48be9dcb8';
    const [, returned] = drbgRun(ent, nonce, new Uint8Array(0), null, 128, 128);
    expect(toHex(returned)).toBe(want);
    const ref = new RefHmacDrbg(ent, nonce);
    ref.generate(128);
    expect(toHex(ref.generate(128))).toBe(want); // the reference itself is right
  });

  it('csprngBytes equals the independent SP 800-90A implementation on 400 seeded seeds and lengths 0..2000', () => {
    const rng = new TestRng(0xd7b6);
    const edges = [0, 1, 31, 32, 33, 63, 64, 65];
    for (let i = 0; i < 400; i++) {
      const seed = rng.bytes(i % 9 === 0 ? rng.int(8) : 16 + rng.int(100));
      const n = i < edges.length ? edges[i] : rng.int(2001);
      expect(toHex(c.csprngBytes(seed, n)), `case ${i} seed ${seed.length} len ${n}`).toBe(toHex(new RefHmacDrbg(seed).generate(n)));
    }
  });

  it('one generate() of more than 65536 bytes is split into 65536-byte Generate requests, each with its own state update', () => {
    const seed = new TestRng(0xb16).bytes(48);
    for (const n of [65535, 65536, 65537, 65536 * 2 + 100]) {
      const got = c.csprngBytes(seed, n);
      expect(toHex(got), `len ${n}`).toBe(toHex(new RefHmacDrbg(seed).generate(n)));
    }
    // Beyond 65536 the output is NOT the continuation of one long V chain: the update between
    // requests changes K, so the bytes at 65536.. differ from a single unsplit request's.
    const long = c.csprngBytes(seed, 65536 + 64);
    const ref = new RefHmacDrbg(seed) as any;
    const unsplit: Buffer = ref.request(65536 + 64);
    expect(toHex(long.subarray(0, 65536))).toBe(toHex(unsplit.subarray(0, 65536)));
    expect(toHex(long.subarray(65536))).not.toBe(toHex(unsplit.subarray(65536)));
  });

  it('is deterministic: the same seed gives the same bytes, and a shorter request is a prefix of a longer one', () => {
    const seed = new TestRng(0xde7).bytes(32);
    const a = c.csprngBytes(seed, 1000);
    expect(toHex(c.csprngBytes(seed, 1000))).toBe(toHex(a));
    expect(toHex(c.csprngBytes(seed, 100))).toBe(toHex(a.subarray(0, 100)));
  });

  it('different seeds (even one flipped bit) give unrelated output; output is not all zero or repeating', () => {
    const rng = new TestRng(0xd1ff);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const seed = rng.bytes(32);
      const out = toHex(c.csprngBytes(seed, 64));
      expect(seen.has(out)).toBe(false);
      seen.add(out);
      const flipped = seed.slice(); flipped[rng.int(32)] ^= 1 << rng.int(8);
      expect(toHex(c.csprngBytes(flipped, 64))).not.toBe(out);
    }
    const big = c.csprngBytes(new Uint8Array(32), 4096);
    expect(big.some((b) => b !== 0)).toBe(true);
    expect(toHex(big.subarray(0, 32))).not.toBe(toHex(big.subarray(32, 64)));
  });

  it('nonce and personalization string enter the seed material (entropy | nonce | pers), matching the reference', () => {
    const rng = new TestRng(0x9e75);
    for (let i = 0; i < 100; i++) {
      const ent = rng.bytes(32 + rng.int(32)), nonce = rng.bytes(rng.int(32)), pers = rng.bytes(rng.int(64));
      const n1 = rng.int(300), n2 = rng.int(300);
      const [o1, o2] = drbgRun(ent, nonce, pers, null, n1, n2);
      const ref = new RefHmacDrbg(ent, nonce, pers);
      expect(toHex(o1)).toBe(toHex(ref.generate(n1)));
      expect(toHex(o2)).toBe(toHex(ref.generate(n2)));
    }
    const ent = rng.bytes(32);
    const base = drbgRun(ent, new Uint8Array(0), new Uint8Array(0), null, 32, 0)[0];
    expect(toHex(drbgRun(ent, new Uint8Array([1]), new Uint8Array(0), null, 32, 0)[0])).not.toBe(toHex(base));
    expect(toHex(drbgRun(ent, new Uint8Array(0), new Uint8Array([1]), null, 32, 0)[0])).not.toBe(toHex(base));
  });

  it('reseed (entropy | additional input) matches the reference and changes the following output', () => {
    const rng = new TestRng(0x5eed5);
    for (let i = 0; i < 100; i++) {
      const ent = rng.bytes(32), nonce = rng.bytes(16), pers = rng.bytes(rng.int(20));
      const reEnt = rng.bytes(32), reAdd = rng.bytes(i % 3 === 0 ? 0 : rng.int(40));
      const n1 = 1 + rng.int(200), n2 = 32 + rng.int(200);
      const [o1, o2] = drbgRun(ent, nonce, pers, [reEnt, reAdd], n1, n2);
      const ref = new RefHmacDrbg(ent, nonce, pers);
      expect(toHex(o1)).toBe(toHex(ref.generate(n1)));
      ref.reseed(reEnt, reAdd);
      expect(toHex(o2)).toBe(toHex(ref.generate(n2)));
      // Without the reseed, the second output is different.
      const [, noReseed] = drbgRun(ent, nonce, pers, null, n1, n2);
      expect(toHex(noReseed)).not.toBe(toHex(o2));
    }
  });
});
