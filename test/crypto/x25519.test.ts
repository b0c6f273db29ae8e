// X25519 (RFC 7748) in assembly/crypto/x25519.ts, through the crypto-testing door:
// every Wycheproof x25519_test.json vector, the RFC 7748 5.2 and 6.1 examples, and a seeded
// differential test against node:crypto (set CRYPTO_SEED to replay a failure).
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as nodeCrypto from 'node:crypto';
import * as c from '../../src/crypto-testing.ts';
import { loadWycheproof, hex, toHex, TestRng } from './vectors.ts';

// The door wraps only x25519(scalar, u). The internal API also has x25519Base (public key from
// private key) and isAllZero32 (the TLS all-zero check), which the testing module exports as
// `x25519Base` and `x25519IsAllZero32`; this minimal loader reaches them (and the raw pointer
// interface, to check that the output may alias an input) in the same module file as the door.
interface RawX25519 {
  memory: WebAssembly.Memory;
  arena(len: number): number;
  x25519(scalarPtr: number, uPtr: number, outPtr: number): void;
  x25519Base(scalarPtr: number, outPtr: number): void;
  x25519IsAllZero32(p: number): number;
}
function loadRaw(): RawX25519 {
  const path = process.env.WASI_CONNECT_CRYPTO_WASM ?? fileURLToPath(new URL('../../dist/core/crypto-testing.wasm', import.meta.url));
  const inst = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(path)), {
    env: { abort: () => { throw new Error('wasm abort'); }, seed: () => 0 },
  });
  return inst.exports as unknown as RawX25519;
}
const raw = loadRaw();
const rawMem = () => new Uint8Array(raw.memory.buffer);
const scratch = raw.arena(256);

function x25519Base(scalar: Uint8Array): Uint8Array {
  rawMem().set(scalar, scratch);
  raw.x25519Base(scratch, scratch + 64);
  return rawMem().slice(scratch + 64, scratch + 96);
}
function isAllZero32(bytes: Uint8Array): boolean {
  rawMem().set(bytes, scratch + 128);
  return raw.x25519IsAllZero32(scratch + 128) === 1;
}

// node:crypto X25519 keys from raw bytes (PKCS#8 / SPKI DER with the RFC 8410 prefixes).
const PKCS8_PREFIX = hex('302e020100300506032b656e04220420');
const SPKI_PREFIX = hex('302a300506032b656e032100');
const nodePrivate = (d: Uint8Array) => nodeCrypto.createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, d]), format: 'der', type: 'pkcs8' });
const nodePublic = (u: Uint8Array) => nodeCrypto.createPublicKey({ key: Buffer.concat([SPKI_PREFIX, u]), format: 'der', type: 'spki' });
const nodePublicOf = (d: Uint8Array) => new Uint8Array(nodeCrypto.createPublicKey(nodePrivate(d)).export({ format: 'der', type: 'spki' }).subarray(12));
/** node's X25519(d, u), or null when OpenSSL refuses it (it rejects an all-zero shared secret). */
function nodeX25519(d: Uint8Array, u: Uint8Array): Uint8Array | null {
  try {
    return new Uint8Array(nodeCrypto.diffieHellman({ privateKey: nodePrivate(d), publicKey: nodePublic(u) }));
  } catch {
    return null;
  }
}

const ZERO32 = '00'.repeat(32);

interface XdhTest { tcId: number; comment: string; flags: string[]; public: string; private: string; shared: string; result: 'valid' | 'acceptable' | 'invalid' }

describe('X25519: Wycheproof x25519_test.json', () => {
  const file = loadWycheproof<{ curve: string; tests: XdhTest[] }>('x25519_test.json');
  const tests = file.testGroups.flatMap((g) => {
    expect(g.curve).toBe('curve25519');
    return g.tests;
  });

  it(`the file holds all ${file.numberOfTests} vectors, none of them "invalid"`, () => {
    expect(tests.length).toBe(file.numberOfTests);
    expect(tests.length).toBe(518);
    // X25519 is a total function (RFC 7748, 5): Wycheproof marks nothing invalid for it. If a
    // future file adds invalid cases, this test fails so that they get a decision.
    expect(tests.filter((t) => t.result === 'invalid')).toEqual([]);
  });

  // Group by result and flag set, so that each test name states the behaviour it proves.
  const groups = new Map<string, XdhTest[]>();
  for (const t of tests) {
    const key = `${t.result} [${[...t.flags].sort().join(', ')}]`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(t);
  }

  // Decision for the acceptable cases, per flag. The primitive computes the RFC 7748 function
  // for every input; a case is "accepted" when the output equals Wycheproof's shared value:
  //  - Twist: the public u lies on the quadratic twist. RFC 7748 defines X25519 on twist points
  //    too (the ladder never needs y), so the result is computed: accepted.
  //  - NonCanonicalPublic: u >= p (after masking bit 255). RFC 7748, 5 says such values are
  //    accepted and reduced mod p (section 7 recommends accepting them): accepted.
  //  - SmallPublicKey / LowOrderPublic / ZeroSharedSecret: u has small order (0, 1, -1, the
  //    order-4 and order-8 points, possibly non-canonically encoded), so the shared value is all
  //    zero. The primitive returns the all-zero string; rejecting it is TLS's job (RFC 8446,
  //    7.4.2; RFC 7748, 6.1) through isAllZero32, which is checked on that very output here.
  //  - EdgeCaseMultiplication / EdgeCaseShared / SpecialPublicKey / Ktv: arithmetic edge cases
  //    and known-answer vectors: computed, must match exactly.
  for (const [key, cases] of [...groups.entries()].sort()) {
    const acceptable = key.startsWith('acceptable');
    const zero = key.includes('ZeroSharedSecret');
    const name = acceptable
      ? zero
        ? `acceptable ${key.slice('acceptable '.length)} (${cases.length}): accepted by the primitive, output is the all-zero value and isAllZero32 flags it for TLS to reject`
        : `acceptable ${key.slice('acceptable '.length)} (${cases.length}): accepted, output equals the RFC 7748 value`
      : `${key} (${cases.length}): output equals the expected shared value`;
    it(name, () => {
      for (const t of cases) {
        const out = c.x25519(hex(t.private), hex(t.public));
        expect(toHex(out), `tcId ${t.tcId}: ${t.comment}`).toBe(t.shared);
        expect(isAllZero32(out), `tcId ${t.tcId}: isAllZero32`).toBe(t.shared === ZERO32);
        if (zero) expect(t.shared).toBe(ZERO32);
      }
    });
  }
});

describe('X25519: RFC 7748 examples', () => {
  it('5.2 test vector 1: scalar a546e36b..., u e6db6867...', () => {
    const out = c.x25519(
      hex('a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4'),
      hex('e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c'),
    );
    expect(toHex(out)).toBe('c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552');
  });

  it('5.2 test vector 2: scalar 4b66e9d4..., u e5210f12... (u has bit 255 set: it is masked)', () => {
    const out = c.x25519(
      hex('4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d'),
      hex('e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493'),
    );
    expect(toHex(out)).toBe('95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957');
  });

  // k = u = 9; each iteration: k, u = X25519(k, u), k. The 1,000,000-iteration value
  // (7c3911e0ab2586fd864497297e575e6f3bc601c0883c30df5f4dd2d24f665424) is not checked: at
  // ~0.1 ms per operation it would take minutes, far beyond a unit test's budget.
  it('5.2 iterated: 1 iteration gives 422c8e7a..., 1,000 iterations give 684cf59b...', () => {
    let k: Uint8Array = hex('09' + '00'.repeat(31));
    let u: Uint8Array = k.slice();
    for (let i = 1; i <= 1000; i++) {
      const r = c.x25519(k, u);
      u = k;
      k = r;
      if (i === 1) expect(toHex(k)).toBe('422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079');
    }
    expect(toHex(k)).toBe('684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51');
  });

  it('6.1 Diffie-Hellman: both public keys (x25519Base and X25519(k, 9)) and both shared secrets', () => {
    const alicePriv = hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a');
    const bobPriv = hex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb');
    const alicePub = '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a';
    const bobPub = 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f';
    const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
    const nine = hex('09' + '00'.repeat(31));
    expect(toHex(x25519Base(alicePriv))).toBe(alicePub);
    expect(toHex(x25519Base(bobPriv))).toBe(bobPub);
    expect(toHex(c.x25519(alicePriv, nine))).toBe(alicePub);
    expect(toHex(c.x25519(bobPriv, nine))).toBe(bobPub);
    expect(toHex(c.x25519(alicePriv, hex(bobPub)))).toBe(shared);
    expect(toHex(c.x25519(bobPriv, hex(alicePub)))).toBe(shared);
  });
});

describe('X25519: differential against node:crypto (seeded)', () => {
  it('2,000 random key pairs: public keys (x25519Base) and shared secrets match node', () => {
    const rng = new TestRng();
    for (let i = 0; i < 2000; i++) {
      const a = rng.bytes(32);
      const b = rng.bytes(32);
      const privA = nodePrivate(a);
      const pubA = new Uint8Array(nodeCrypto.createPublicKey(privA).export({ format: 'der', type: 'spki' }).subarray(12));
      const pubB = nodeCrypto.createPublicKey(nodePrivate(b));
      const pubBRaw = new Uint8Array(pubB.export({ format: 'der', type: 'spki' }).subarray(12));
      expect(toHex(x25519Base(a)), `pair ${i}: public key`).toBe(toHex(pubA));
      const expected = nodeCrypto.diffieHellman({ privateKey: privA, publicKey: pubB });
      expect(toHex(c.x25519(a, pubBRaw)), `pair ${i}: shared secret`).toBe(toHex(expected));
    }
  });

  it('500 random 32-byte u strings (bit 255 and non-canonical values included) match node', () => {
    const rng = new TestRng(Number(process.env.CRYPTO_SEED ?? 0x5eed) + 1);
    for (let i = 0; i < 500; i++) {
      const a = rng.bytes(32);
      const u = rng.bytes(32);
      if (i % 4 === 0) u[31] |= 0x80;             // top bit set: must be ignored
      if (i % 16 === 1) { u.fill(0xff, 1); u[0] = 0xed + (i % 19); } // at or just above p (mod 2^255)
      const expected = nodeX25519(a, u);
      const out = c.x25519(a, u);
      if (expected === null) expect(toHex(out)).toBe(ZERO32);
      else expect(toHex(out), `case ${i}: u=${toHex(u)}`).toBe(toHex(expected));
    }
  });

  it('edge u values (0, 1, p - 1, p, p + 1, 2^255 - 1, 2^256 - 1, 9) and edge scalars match node; zero outputs are flagged', () => {
    const p = 2n ** 255n - 19n;
    const le = (x: bigint) => { const o = new Uint8Array(32); for (let i = 0; i < 32; i++) o[i] = Number((x >> BigInt(8 * i)) & 0xffn); return o; };
    const us = [0n, 1n, 9n, p - 1n, p, p + 1n, p + 9n, 2n ** 255n - 1n, 2n ** 256n - 1n, 2n ** 255n + 9n].map(le);
    const scalars = [new Uint8Array(32), new Uint8Array(32).fill(0xff), le(1n), le(8n), le(2n ** 254n), new TestRng(7).bytes(32)];
    for (const k of scalars) {
      for (const u of us) {
        const out = c.x25519(k, u);
        const expected = nodeX25519(k, u);
        if (expected === null) {
          expect(toHex(out), `k=${toHex(k)} u=${toHex(u)}`).toBe(ZERO32);
          expect(isAllZero32(out)).toBe(true);
        } else {
          expect(toHex(out), `k=${toHex(k)} u=${toHex(u)}`).toBe(toHex(expected));
          expect(isAllZero32(out)).toBe(false);
        }
      }
    }
  });
});

describe('X25519: internal API properties', () => {
  it('x25519Base (the u = 9 ladder) equals x25519(k, 9) (the general ladder) for 300 seeded scalars', () => {
    const rng = new TestRng(Number(process.env.CRYPTO_SEED ?? 0x5eed) + 2);
    const nine = hex('09' + '00'.repeat(31));
    for (let i = 0; i < 300; i++) {
      const k = rng.bytes(32);
      expect(toHex(x25519Base(k)), `scalar ${toHex(k)}`).toBe(toHex(c.x25519(k, nine)));
    }
  });

  it('isAllZero32 is 1 only for 32 zero bytes (any single nonzero byte, at any position, gives 0)', () => {
    expect(isAllZero32(new Uint8Array(32))).toBe(true);
    for (let i = 0; i < 32; i++) {
      for (const v of [1, 0x80, 0xff]) {
        const b = new Uint8Array(32);
        b[i] = v;
        expect(isAllZero32(b)).toBe(false);
      }
    }
  });

  it('the output may alias the scalar or the u input (inputs are copied before use)', () => {
    const k = hex('a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4');
    const u = hex('e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c');
    const expected = 'c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552';
    rawMem().set(k, scratch); rawMem().set(u, scratch + 32);
    raw.x25519(scratch, scratch + 32, scratch + 32); // out = u
    expect(toHex(rawMem().slice(scratch + 32, scratch + 64))).toBe(expected);
    rawMem().set(k, scratch); rawMem().set(u, scratch + 32);
    raw.x25519(scratch, scratch + 32, scratch); // out = scalar
    expect(toHex(rawMem().slice(scratch, scratch + 32))).toBe(expected);
    rawMem().set(k, scratch);
    raw.x25519Base(scratch, scratch); // out = scalar
    expect(toHex(rawMem().slice(scratch, scratch + 32))).toBe(toHex(nodePublicOf(k)));
  });

  it('no copy of the clamped scalar is left in Wasm memory after x25519 and x25519Base (scratch is wiped)', () => {
    // Clamping changes the first and last bytes of this scalar, so its clamped form can only
    // be found in memory if the implementation left its private copy behind.
    const k = new TestRng(11).bytes(32);
    k[0] |= 0x07; k[31] |= 0xc0;
    const clamped = k.slice();
    clamped[0] &= 248; clamped[31] = (clamped[31] & 127) | 64;
    const find = () => Buffer.from(rawMem()).indexOf(Buffer.from(clamped));
    rawMem().set(k, scratch); rawMem().set(hex('09' + '00'.repeat(31)), scratch + 32);
    raw.x25519(scratch, scratch + 32, scratch + 64);
    expect(find()).toBe(-1);
    raw.x25519Base(scratch, scratch + 64);
    expect(find()).toBe(-1);
  });

  it('the JS door rejects inputs that are not 32 bytes', () => {
    expect(() => c.x25519(new Uint8Array(31), new Uint8Array(32))).toThrow(RangeError);
    expect(() => c.x25519(new Uint8Array(32), new Uint8Array(33))).toThrow(RangeError);
  });
});
