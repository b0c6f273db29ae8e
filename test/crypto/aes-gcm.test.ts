// AES-128-GCM and AES-256-GCM from assembly/crypto/{aes,ghash,gcm}.ts: Wycheproof
// aes_gcm_test.json, the test cases of the GCM specification (McGrew & Viega, "The Galois/Counter
// Mode of Operation (GCM)", test cases 1-6 and 13-18), in-place operation, failure behaviour
// (output wiped, -1 for bad sizes), tamper tests and a seeded differential test against
// node:crypto.
import { describe, it, expect } from 'vitest';
import { createCipheriv, createDecipheriv } from 'node:crypto';
import * as c from '../../src/crypto-testing.ts';
import { loadWycheproof, hex, toHex, TestRng } from './vectors.ts';

type Alg = 'aes-128-gcm' | 'aes-256-gcm';
const algFor = (keyLen: number): Alg => (keyLen === 16 ? 'aes-128-gcm' : 'aes-256-gcm');
const cat = (...a: Uint8Array[]) => new Uint8Array(Buffer.concat(a));

function nodeSeal(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, pt: Uint8Array): Uint8Array {
  const e = createCipheriv(algFor(key.length), key, iv);
  e.setAAD(aad);
  return cat(e.update(pt), e.final(), e.getAuthTag());
}

// ---- A second instance of the same module, to call gcmSeal/gcmOpen with pointers the JS door
// cannot express (out == in, key sizes the door refuses up front, prefilled output regions).
type Raw = Record<string, any> & { memory: WebAssembly.Memory; arena(n: number): number };
let rawInst: Raw | null = null;
function raw(): Raw {
  return (rawInst ??= c.instantiateRaw() as Raw);
}
/** Copies byte arrays into the module's arena (16-byte aligned, consecutive); returns pointers. */
function layout(parts: Uint8Array[]): number[] {
  const w = raw();
  const al = (n: number) => (n + 15) & ~15;
  let p = w.arena(parts.reduce((s, a) => s + al(a.length), 0) + 16);
  const mem = new Uint8Array(w.memory.buffer);
  return parts.map((a) => { mem.set(a, p); const q = p; p += al(a.length); return q; });
}
const peek = (p: number, n: number) => new Uint8Array(raw().memory.buffer, p, n).slice();

// ------------------------------------------------------------------------------------------------
describe('AES-GCM: Wycheproof aes_gcm_test.json', () => {
  interface T { tcId: number; comment: string; flags: string[]; key: string; iv: string; aad: string; msg: string; ct: string; tag: string; result: 'valid' | 'invalid' | 'acceptable' }
  interface G { keySize: number; ivSize: number; tagSize: number; tests: T[] }
  const file = loadWycheproof<G>('aes_gcm_test.json');
  // TLS 1.3 defines only TLS_AES_128_GCM_SHA256 and TLS_AES_256_GCM_SHA384: there is no AES-192
  // suite, so this implementation has no 192-bit keys and those groups are skipped (counted below).
  const run = file.testGroups.filter((g) => (g.keySize === 128 || g.keySize === 256) && g.tagSize === 128);
  const skipped192 = file.testGroups.filter((g) => g.keySize === 192).reduce((s, g) => s + g.tests.length, 0);
  // TLS 1.3 AES-GCM always uses 128-bit tags; groups with shorter tags would be skipped (counted).
  const skippedTag = file.testGroups.filter((g) => g.keySize !== 192 && g.tagSize !== 128).reduce((s, g) => s + g.tests.length, 0);
  const tests = run.flatMap((g) => g.tests.map((t) => ({ g, t })));

  it(`covers every vector: ${tests.length} run (128/256-bit keys, all IV sizes), ${skipped192} skipped for AES-192 (no TLS suite), ${skippedTag} skipped for tags other than 128 bits (none in this file)`, () => {
    expect(tests.length + skipped192 + skippedTag).toBe(file.numberOfTests);
    expect(skipped192).toBe(file.testGroups.filter((g) => g.keySize === 192).reduce((s, g) => s + g.tests.length, 0));
    expect(tests.length).toBeGreaterThan(200);
    // The file has no "acceptable" cases; should a future version add some, this fails so that
    // they get decided explicitly instead of passing silently.
    expect(tests.filter(({ t }) => t.result === 'acceptable').map(({ t }) => t.tcId)).toEqual([]);
  });

  it('every valid vector (Ktv, Pseudorandom, SpecialCase, CounterWrap, SmallIv, LongIv): seal gives ct||tag and open gives msg back', () => {
    let n = 0;
    for (const { t } of tests.filter(({ t }) => t.result === 'valid')) {
      const key = hex(t.key), iv = hex(t.iv), aad = hex(t.aad), msg = hex(t.msg);
      const sealed = c.aeadSeal(algFor(key.length), key, iv, aad, msg);
      expect(toHex(sealed), `tcId ${t.tcId}`).toBe(t.ct + t.tag);
      const opened = c.aeadOpen(algFor(key.length), key, iv, aad, hex(t.ct + t.tag));
      expect(opened && toHex(opened), `tcId ${t.tcId}`).toBe(t.msg);
      n++;
    }
    expect(n).toBe(tests.filter(({ t }) => t.result === 'valid').length);
  });

  it('every invalid vector is rejected: ModifiedTag fails to open; ZeroLengthIv is refused by seal and open', () => {
    const invalid = tests.filter(({ t }) => t.result === 'invalid');
    expect(invalid.length).toBeGreaterThan(0);
    for (const { t } of invalid) {
      const key = hex(t.key), iv = hex(t.iv), aad = hex(t.aad);
      expect(c.aeadOpen(algFor(key.length), key, iv, aad, hex(t.ct + t.tag)), `tcId ${t.tcId}`).toBeNull();
      if (t.flags.includes('ZeroLengthIv')) {
        expect(iv.length).toBe(0);
        expect(() => c.aeadSeal(algFor(key.length), key, iv, aad, hex(t.msg)), `tcId ${t.tcId}`).toThrow(RangeError);
      } else {
        expect(t.flags).toContain('ModifiedTag');
      }
    }
  });
});

// ------------------------------------------------------------------------------------------------
describe('AES-GCM: GCM specification test cases (McGrew & Viega)', () => {
  const P64 = 'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72' +
    '1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255';
  const P60 = P64.slice(0, 120);
  const A20 = 'feedfacedeadbeeffeedfacedeadbeefabaddad2';
  const K128 = 'feffe9928665731c6d6a8f9467308308';
  const K256 = K128 + K128;
  const IV60 = '9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728' +
    'c3c0c95156809539fcf0e2429a6b525416aedbf5a0de6a57a637b39b';
  const cases: { n: number; key: string; iv: string; aad: string; pt: string; ct: string; tag: string }[] = [
    { n: 1, key: '00'.repeat(16), iv: '00'.repeat(12), aad: '', pt: '', ct: '', tag: '58e2fccefa7e3061367f1d57a4e7455a' },
    { n: 2, key: '00'.repeat(16), iv: '00'.repeat(12), aad: '', pt: '00'.repeat(16), ct: '0388dace60b6a392f328c2b971b2fe78', tag: 'ab6e47d42cec13bdf53a67b21257bddf' },
    { n: 3, key: K128, iv: 'cafebabefacedbaddecaf888', aad: '', pt: P64,
      ct: '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985',
      tag: '4d5c2af327cd64a62cf35abd2ba6fab4' },
    { n: 4, key: K128, iv: 'cafebabefacedbaddecaf888', aad: A20, pt: P60,
      ct: '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091',
      tag: '5bc94fbc3221a5db94fae95ae7121a47' },
    { n: 5, key: K128, iv: 'cafebabefacedbad', aad: A20, pt: P60,
      ct: '61353b4c2806934a777ff51fa22a4755699b2a714fcdc6f83766e5f97b6c742373806900e49f24b22b097544d4896b424989b5e1ebac0f07c23f4598',
      tag: '3612d2e79e3b0785561be14aaca2fccb' },
    { n: 6, key: K128, iv: IV60, aad: A20, pt: P60,
      ct: '8ce24998625615b603a033aca13fb894be9112a5c3a211a8ba262a3cca7e2ca701e4a9a4fba43c90ccdcb281d48c7c6fd62875d2aca417034c34aee5',
      tag: '619cc5aefffe0bfa462af43c1699d050' },
    { n: 13, key: '00'.repeat(32), iv: '00'.repeat(12), aad: '', pt: '', ct: '', tag: '530f8afbc74536b9a963b4f1c4cb738b' },
    { n: 14, key: '00'.repeat(32), iv: '00'.repeat(12), aad: '', pt: '00'.repeat(16), ct: 'cea7403d4d606b6e074ec5d3baf39d18', tag: 'd0d1c8a799996bf0265b98b5d48ab919' },
    { n: 15, key: K256, iv: 'cafebabefacedbaddecaf888', aad: '', pt: P64,
      ct: '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662898015ad',
      tag: 'b094dac5d93471bdec1a502270e3cc6c' },
    { n: 16, key: K256, iv: 'cafebabefacedbaddecaf888', aad: A20, pt: P60,
      ct: '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662',
      tag: '76fc6ece0f4e1768cddf8853bb2d551b' },
    { n: 17, key: K256, iv: 'cafebabefacedbad', aad: A20, pt: P60,
      ct: 'c3762df1ca787d32ae47c13bf19844cbaf1ae14d0b976afac52ff7d79bba9de0feb582d33934a4f0954cc2363bc73f7862ac430e64abe499f47c9b1f',
      tag: '3a337dbf46a792c45e454913fe2ea8f2' },
    { n: 18, key: K256, iv: IV60, aad: A20, pt: P60,
      ct: '5a8def2f0c9e53f1f75d7853659e2a20eeb2b22aafde6419a058ab4f6f746bf40fc0c3b780f244452da3ebf1c5d82cdea2418997200ef82e44ae7e3f',
      tag: 'a44a8266ee1c8eb0c8b5d4cf5ae9f19a' },
  ];
  for (const tc of cases) {
    const what = `${tc.key.length * 4}-bit key, ${tc.iv.length / 2}-byte IV, ${tc.pt.length / 2}-byte text, ${tc.aad.length / 2}-byte AAD`;
    it(`test case ${tc.n} (${what}) seals and opens`, () => {
      const key = hex(tc.key), iv = hex(tc.iv), aad = hex(tc.aad);
      expect(toHex(c.aeadSeal(algFor(key.length), key, iv, aad, hex(tc.pt)))).toBe(tc.ct + tc.tag);
      const pt = c.aeadOpen(algFor(key.length), key, iv, aad, hex(tc.ct + tc.tag));
      expect(pt && toHex(pt)).toBe(tc.pt);
    });
  }
});

// ------------------------------------------------------------------------------------------------
describe('AES-GCM: in-place operation and failure behaviour (raw exports)', () => {
  const rng = new TestRng(0x6c3);

  it('seals and opens in place (out == in) for many sizes, matching node:crypto', () => {
    const w = raw();
    for (const keyLen of [16, 32]) {
      for (const n of [0, 1, 15, 16, 17, 111, 112, 113, 127, 128, 129, 255, 256, 257, 1000, 16384, 16385]) {
        const key = rng.bytes(keyLen), iv = rng.bytes(n % 3 === 0 ? 12 : 1 + rng.int(40)), aad = rng.bytes(rng.int(40));
        const pt = rng.bytes(n);
        const expected = nodeSeal(key, iv, aad, pt);
        // One region of n + 16 bytes holds the plaintext and receives ciphertext || tag.
        const [kp, ivp, ap, buf] = layout([key, iv, aad, cat(pt, new Uint8Array(16))]);
        expect(w.gcmSeal(kp, keyLen, ivp, iv.length, ap, aad.length, buf, n, buf)).toBe(n + 16);
        expect(toHex(peek(buf, n + 16)), `seal n=${n}`).toBe(toHex(expected));
        expect(w.gcmOpen(kp, keyLen, ivp, iv.length, ap, aad.length, buf, n + 16, buf)).toBe(n);
        expect(toHex(peek(buf, n)), `open n=${n}`).toBe(toHex(pt));
      }
    }
  });

  it('a failed open zeroes the output, both out of place (prefilled buffer) and in place', () => {
    const w = raw();
    for (const n of [1, 16, 100, 113, 4097]) {
      const key = rng.bytes(16), iv = rng.bytes(12), aad = rng.bytes(5), pt = rng.bytes(n);
      const sealed = nodeSeal(key, iv, aad, pt);
      sealed[n + (n % 16)] ^= 0x01; // corrupt one tag byte
      // Out of place: the output region starts out as 0xaa and must end up all zero.
      let [kp, ivp, ap, ctp, outp] = layout([key, iv, aad, sealed, new Uint8Array(n).fill(0xaa)]);
      expect(w.gcmOpen(kp, 16, ivp, 12, ap, aad.length, ctp, n + 16, outp)).toBe(-1);
      expect(peek(outp, n).every((b) => b === 0), `out of place n=${n}`).toBe(true);
      // In place: nothing of the (would-be) plaintext and no ciphertext remains.
      [kp, ivp, ap, ctp] = layout([key, iv, aad, sealed]);
      expect(w.gcmOpen(kp, 16, ivp, 12, ap, aad.length, ctp, n + 16, ctp)).toBe(-1);
      expect(peek(ctp, n).every((b) => b === 0), `in place n=${n}`).toBe(true);
    }
  });

  it('returns -1 for key sizes other than 16/32 (including AES-192), an empty nonce, or input shorter than a tag', () => {
    const w = raw();
    const [kp, ivp, ap, dp, outp] = layout([rng.bytes(32), rng.bytes(12), rng.bytes(4), rng.bytes(64), new Uint8Array(96)]);
    for (const keyLen of [0, 8, 15, 17, 24, 31, 33, 64]) {
      expect(w.gcmSeal(kp, keyLen, ivp, 12, ap, 4, dp, 32, outp), `seal keyLen ${keyLen}`).toBe(-1);
      expect(w.gcmOpen(kp, keyLen, ivp, 12, ap, 4, dp, 48, outp), `open keyLen ${keyLen}`).toBe(-1);
    }
    expect(w.gcmSeal(kp, 16, ivp, 0, ap, 4, dp, 32, outp)).toBe(-1);
    expect(w.gcmOpen(kp, 16, ivp, 0, ap, 4, dp, 48, outp)).toBe(-1);
    for (const len of [0, 1, 15]) expect(w.gcmOpen(kp, 16, ivp, 12, ap, 4, dp, len, outp), `ctLen ${len}`).toBe(-1);
    // Exactly 16 bytes is a valid (empty) message when the tag is right.
    const key = rng.bytes(16), iv = rng.bytes(12), aad = rng.bytes(4);
    const tagOnly = nodeSeal(key, iv, aad, new Uint8Array(0));
    const [k2, iv2, a2, t2, o2] = layout([key, iv, aad, tagOnly, new Uint8Array(16)]);
    expect(w.gcmOpen(k2, 16, iv2, 12, a2, 4, t2, 16, o2)).toBe(0);
  });
});

// ------------------------------------------------------------------------------------------------
describe('AES-GCM: differential against node:crypto (seeded; CRYPTO_SEED replays)', () => {
  const EDGE = [0, 1, 15, 16, 17, 255, 256, 257, 16384, 16385];

  it('seal matches node and open round-trips for 3000 random inputs (edge sizes, random AAD and IV lengths)', () => {
    const rng = new TestRng();
    for (let i = 0; i < 3000; i++) {
      const keyLen = i & 1 ? 32 : 16;
      // Sizes: every fourth case cycles through the edge sizes (150 of them 16 KiB or 16 KiB + 1),
      // the rest are random below 600 bytes.
      const n = i % 4 === 0 ? EDGE[(i >> 2) % EDGE.length] : rng.int(600);
      const ivLen = rng.int(3) === 0 ? 1 + rng.int(80) : 12;
      const aadLen = rng.int(4) === 0 ? 0 : rng.int(300);
      const key = rng.bytes(keyLen), iv = rng.bytes(ivLen), aad = rng.bytes(aadLen), pt = rng.bytes(n);
      const mine = c.aeadSeal(algFor(keyLen), key, iv, aad, pt);
      const ref = nodeSeal(key, iv, aad, pt);
      if (Buffer.compare(mine, ref) !== 0) {
        expect.fail(`case ${i}: keyLen=${keyLen} n=${n} ivLen=${ivLen} aadLen=${aadLen}\nmine ${toHex(mine).slice(0, 96)}\nnode ${toHex(ref).slice(0, 96)}`);
      }
      const back = c.aeadOpen(algFor(keyLen), key, iv, aad, mine);
      if (!back || Buffer.compare(back, pt) !== 0) expect.fail(`case ${i}: open did not round-trip (n=${n})`);
    }
  });

  it('open accepts node:crypto output for every edge size and both key sizes', () => {
    const rng = new TestRng(0xdec0de);
    for (const keyLen of [16, 32]) {
      for (const n of EDGE) {
        const key = rng.bytes(keyLen), iv = rng.bytes(12), aad = rng.bytes(rng.int(50)), pt = rng.bytes(n);
        const e = createCipheriv(algFor(keyLen), key, iv);
        e.setAAD(aad);
        const ct = cat(e.update(pt), e.final(), e.getAuthTag());
        const back = c.aeadOpen(algFor(keyLen), key, iv, aad, ct);
        expect(back && toHex(back), `n=${n}`).toBe(toHex(pt));
        // And node accepts ours (a second, independent direction).
        const d = createDecipheriv(algFor(keyLen), key, iv);
        d.setAAD(aad);
        d.setAuthTag(c.aeadSeal(algFor(keyLen), key, iv, aad, pt).slice(n));
        expect(toHex(cat(d.update(ct.slice(0, n)), d.final()))).toBe(toHex(pt));
      }
    }
  });

  it('tampering with any one bit of ciphertext, tag, AAD or nonce (or truncating) makes open fail', () => {
    const rng = new TestRng(0x7a3);
    let checks = 0;
    for (let i = 0; i < 400; i++) {
      const keyLen = i & 1 ? 32 : 16;
      const n = [0, 1, 15, 16, 17, 64, 255, 256, 257, 1000][i % 10];
      const ivLen = i % 3 === 0 ? 1 + rng.int(30) : 12;
      const key = rng.bytes(keyLen), iv = rng.bytes(ivLen), aad = rng.bytes(1 + rng.int(40)), pt = rng.bytes(n);
      const ct = nodeSeal(key, iv, aad, pt);
      const alg = algFor(keyLen);
      const flip = (a: Uint8Array) => { const b = a.slice(); const k = rng.int(b.length * 8); b[k >> 3] ^= 1 << (k & 7); return b; };
      // A bit of the ciphertext body or of the tag.
      expect(c.aeadOpen(alg, key, iv, aad, flip(ct)), `ct/tag flip, case ${i}`).toBeNull();
      // A bit of the tag specifically (the last 16 bytes).
      const t = ct.slice(); const tb = rng.int(128); t[n + (tb >> 3)] ^= 1 << (tb & 7);
      expect(c.aeadOpen(alg, key, iv, aad, t), `tag flip, case ${i}`).toBeNull();
      expect(c.aeadOpen(alg, key, iv, flip(aad), ct), `aad flip, case ${i}`).toBeNull();
      expect(c.aeadOpen(alg, key, flip(iv), aad, ct), `nonce flip, case ${i}`).toBeNull();
      expect(c.aeadOpen(alg, key, iv, aad, ct.slice(0, ct.length - 1)), `truncated, case ${i}`).toBeNull();
      expect(c.aeadOpen(alg, key, iv, aad, ct), `untampered, case ${i}`).not.toBeNull();
      checks += 6;
    }
    expect(checks).toBe(2400);
  });
});
