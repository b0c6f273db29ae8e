// ChaCha20-Poly1305 (RFC 8439): Wycheproof, RFC 8439 examples, in-place use, tamper detection and a
// seeded differential test against node:crypto. Reproduce a failing random case with CRYPTO_SEED.
import { describe, it, expect } from 'vitest';
import { createCipheriv, createDecipheriv } from 'node:crypto';
import * as c from '../../src/crypto-testing.ts';
import { loadWycheproof, hex, toHex, TestRng } from './vectors.ts';

const ALG = 'chacha20-poly1305' as const;

// ---------------------------------------------------------------------------------------------
// Direct access to the same Wasm module for the sub-primitive exports (chacha20Block,
// chacha20Encrypt, poly1305Mac) and for in-place calls, which the JS door cannot express (it
// always copies inputs and output to separate places).
type Raw = {
  memory: WebAssembly.Memory;
  arena(len: number): number;
  chachaPolySeal(...a: number[]): number;
  chachaPolyOpen(...a: number[]): number;
  chacha20Block(key: number, nonce: number, counter: number, out: number): void;
  chacha20Encrypt(key: number, nonce: number, counter: number, input: number, len: number, out: number): void;
  poly1305Mac(key: number, msg: number, len: number, out: number): void;
};
let rawInstance: Raw | null = null;
function raw(): Raw {
  return (rawInstance ??= c.instantiateRaw() as unknown as Raw);
}
/** Copies the inputs into the arena (16-byte aligned) and returns their pointers plus `spare` bytes after them. */
function placeRaw(inputs: Uint8Array[], spare: number): { ptrs: number[]; end: number } {
  const w = raw();
  const align = (n: number) => (n + 15) & ~15;
  let p = w.arena(inputs.reduce((s, a) => s + align(a.length), 0) + align(spare) + 16);
  const mem = new Uint8Array(w.memory.buffer);
  const ptrs: number[] = [];
  for (const a of inputs) { mem.set(a, p); ptrs.push(p); p += align(a.length); }
  return { ptrs, end: p };
}
const readRaw = (p: number, n: number) => new Uint8Array(raw().memory.buffer, p, n).slice();

function chacha20Block(key: Uint8Array, nonce: Uint8Array, counter: number): Uint8Array {
  const { ptrs, end } = placeRaw([key, nonce], 64);
  raw().chacha20Block(ptrs[0], ptrs[1], counter, end);
  return readRaw(end, 64);
}
function chacha20(key: Uint8Array, nonce: Uint8Array, counter: number, data: Uint8Array): Uint8Array {
  const { ptrs, end } = placeRaw([key, nonce, data], data.length);
  raw().chacha20Encrypt(ptrs[0], ptrs[1], counter, ptrs[2], data.length, end);
  return readRaw(end, data.length);
}
function poly1305(key: Uint8Array, msg: Uint8Array): Uint8Array {
  const { ptrs, end } = placeRaw([key, msg], 16);
  raw().poly1305Mac(ptrs[0], ptrs[1], msg.length, end);
  return readRaw(end, 16);
}
/** Seal with out == pt (the buffer has 16 spare bytes for the tag). */
function sealInPlace(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, pt: Uint8Array): Uint8Array {
  const buf = new Uint8Array(pt.length + 16); buf.set(pt);
  const { ptrs } = placeRaw([key, nonce, aad, buf], 0);
  const n = raw().chachaPolySeal(ptrs[0], 32, ptrs[1], 12, ptrs[2], aad.length, ptrs[3], pt.length, ptrs[3]);
  expect(n).toBe(pt.length + 16);
  return readRaw(ptrs[3], n);
}
/** Open with out == ct; returns the return code and the whole buffer (ct || tag region) afterwards. */
function openInPlace(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ctTag: Uint8Array): { n: number; buf: Uint8Array } {
  const { ptrs } = placeRaw([key, nonce, aad, ctTag], 0);
  const n = raw().chachaPolyOpen(ptrs[0], 32, ptrs[1], 12, ptrs[2], aad.length, ptrs[3], ctTag.length, ptrs[3]);
  return { n, buf: readRaw(ptrs[3], ctTag.length) };
}
/** Open into a separate output pre-filled with 0xA5; returns the return code and that output region. */
function openSeparate(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ctTag: Uint8Array): { n: number; out: Uint8Array } {
  const outLen = Math.max(ctTag.length - 16, 0);
  const { ptrs, end } = placeRaw([key, nonce, aad, ctTag], outLen);
  new Uint8Array(raw().memory.buffer, end, outLen).fill(0xa5);
  const n = raw().chachaPolyOpen(ptrs[0], 32, ptrs[1], 12, ptrs[2], aad.length, ptrs[3], ctTag.length, end);
  return { n, out: readRaw(end, outLen) };
}

// ---------------------------------------------------------------------------------------------
// References from node:crypto (OpenSSL) and an independent BigInt Poly1305.
function nodeSeal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, pt: Uint8Array): Uint8Array {
  const ci = createCipheriv(ALG, key, nonce, { authTagLength: 16 });
  ci.setAAD(aad, { plaintextLength: pt.length });
  return new Uint8Array(Buffer.concat([ci.update(pt), ci.final(), ci.getAuthTag()]));
}
function nodeOpen(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ctTag: Uint8Array): Uint8Array | null {
  const d = createDecipheriv(ALG, key, nonce, { authTagLength: 16 });
  d.setAAD(aad, { plaintextLength: ctTag.length - 16 });
  d.setAuthTag(ctTag.subarray(ctTag.length - 16));
  try {
    return new Uint8Array(Buffer.concat([d.update(ctTag.subarray(0, ctTag.length - 16)), d.final()]));
  } catch {
    return null;
  }
}
/** Raw ChaCha20 from node: its 16-byte IV is the 32-bit little-endian block counter || 12-byte nonce. */
function nodeChacha20(key: Uint8Array, nonce: Uint8Array, counter: number, data: Uint8Array): Uint8Array {
  const iv = new Uint8Array(16);
  new DataView(iv.buffer).setUint32(0, counter, true);
  iv.set(nonce, 4);
  const ci = createCipheriv('chacha20', key, iv);
  return new Uint8Array(Buffer.concat([ci.update(data), ci.final()]));
}
const leToBig = (b: Uint8Array): bigint => { let x = 0n; for (let i = b.length - 1; i >= 0; i--) x = (x << 8n) | BigInt(b[i]); return x; };
function refPoly1305(key: Uint8Array, msg: Uint8Array): Uint8Array {
  const p = (1n << 130n) - 5n;
  const r = leToBig(key.subarray(0, 16)) & 0x0ffffffc0ffffffc0ffffffc0fffffffn;
  const s = leToBig(key.subarray(16, 32));
  let h = 0n;
  for (let i = 0; i < msg.length; i += 16) {
    const blk = msg.subarray(i, Math.min(i + 16, msg.length));
    h = ((h + leToBig(blk) + (1n << BigInt(8 * blk.length))) * r) % p;
  }
  let t = (h + s) & ((1n << 128n) - 1n);
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) { out[i] = Number(t & 0xffn); t >>= 8n; }
  return out;
}

const ascii = (s: string) => new TextEncoder().encode(s);
const seq = (from: number, n: number) => Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);
const concat = (...a: Uint8Array[]) => { const o = new Uint8Array(a.reduce((s, x) => s + x.length, 0)); let p = 0; for (const x of a) { o.set(x, p); p += x.length; } return o; };
const SUNSCREEN = ascii("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.");

// ---------------------------------------------------------------------------------------------
describe('ChaCha20-Poly1305: Wycheproof chacha20_poly1305_test.json', () => {
  interface T { tcId: number; comment: string; flags: string[]; key: string; iv: string; aad: string; msg: string; ct: string; tag: string; result: 'valid' | 'invalid' | 'acceptable' }
  interface G { ivSize: number; keySize: number; tagSize: number; tests: T[] }
  const file = loadWycheproof<G>('chacha20_poly1305_test.json');
  const all = file.testGroups.flatMap((g) => g.tests.map((t) => ({ g, t })));

  it('has the expected 325 vectors and no "acceptable" ones (nothing to decide)', () => {
    expect(all.length).toBe(file.numberOfTests);
    expect(all.length).toBe(325);
    // Every group uses a 256-bit key and a 128-bit tag; only the nonce size varies.
    for (const g of file.testGroups) { expect(g.keySize).toBe(256); expect(g.tagSize).toBe(128); }
    expect(all.filter(({ t }) => t.result === 'acceptable')).toEqual([]);
  });

  it('every valid vector (96-bit nonce) seals to exactly ct||tag and opens back to msg', () => {
    const valid = all.filter(({ t }) => t.result === 'valid');
    expect(valid.length).toBe(256);
    const bad: number[] = [];
    for (const { g, t } of valid) {
      expect(g.ivSize).toBe(96);
      const key = hex(t.key), iv = hex(t.iv), aad = hex(t.aad), msg = hex(t.msg);
      const sealed = c.aeadSeal(ALG, key, iv, aad, msg);
      const opened = c.aeadOpen(ALG, key, iv, aad, hex(t.ct + t.tag));
      if (toHex(sealed) !== t.ct + t.tag || !opened || toHex(opened) !== t.msg) bad.push(t.tcId);
    }
    expect(bad).toEqual([]);
  });

  it('every invalid vector with a modified tag (ModifiedTag, 96-bit nonce) is rejected by open', () => {
    const inv = all.filter(({ g, t }) => t.result === 'invalid' && g.ivSize === 96);
    expect(inv.length).toBe(60);
    const bad: number[] = [];
    for (const { t } of inv) {
      expect(t.flags).toEqual(['ModifiedTag']);
      const key = hex(t.key), iv = hex(t.iv), aad = hex(t.aad);
      if (c.aeadOpen(ALG, key, iv, aad, hex(t.ct + t.tag)) !== null) bad.push(t.tcId);
      // Sealing the same message must give the genuine tag, i.e. not the modified one.
      const sealed = c.aeadSeal(ALG, key, iv, aad, hex(t.msg));
      if (toHex(sealed.subarray(0, sealed.length - 16)) !== t.ct || toHex(sealed.subarray(sealed.length - 16)) === t.tag) bad.push(t.tcId);
    }
    expect(bad).toEqual([]);
  });

  it('every invalid vector with a nonce that is not 96 bits (InvalidNonceSize: 0..32 bytes) is refused by seal and open', () => {
    // RFC 8439's IETF AEAD (and TLS 1.3) defines only 12-byte nonces; other sizes are not
    // silently padded or truncated: seal reports a size error, open fails.
    const inv = all.filter(({ g }) => g.ivSize !== 96);
    expect(inv.length).toBe(9);
    for (const { g, t } of inv) {
      expect(t.result).toBe('invalid');
      expect(t.flags).toEqual(['InvalidNonceSize']);
      const key = hex(t.key), iv = hex(t.iv), aad = hex(t.aad);
      expect(iv.length * 8).toBe(g.ivSize);
      expect(() => c.aeadSeal(ALG, key, iv, aad, hex(t.msg)), `tcId ${t.tcId}`).toThrow(RangeError);
      expect(c.aeadOpen(ALG, key, iv, aad, hex(t.ct + t.tag)), `tcId ${t.tcId}`).toBeNull();
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('ChaCha20-Poly1305: RFC 8439 examples', () => {
  it('2.3.2: the ChaCha20 block function gives the published block (counter 1)', () => {
    const out = chacha20Block(seq(0, 32), hex('000000090000004a00000000'), 1);
    expect(toHex(out)).toBe(
      '10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e' +
      'd2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e');
  });

  it('2.4.2: ChaCha20 encryption of the sunscreen text (counter 1) gives the published ciphertext', () => {
    const ct = chacha20(seq(0, 32), hex('000000000000004a00000000'), 1, SUNSCREEN);
    expect(toHex(ct)).toBe(
      '6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b' +
      'f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8' +
      '07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736' +
      '5af90bbf74a35be6b40b8eedf2785e42874d');
    // ChaCha20 is an involution: applying it again restores the text.
    expect(chacha20(seq(0, 32), hex('000000000000004a00000000'), 1, ct)).toEqual(SUNSCREEN);
  });

  it('2.5.2: Poly1305 of "Cryptographic Forum Research Group" gives the published tag', () => {
    const key = hex('85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b');
    const msg = ascii('Cryptographic Forum Research Group');
    expect(toHex(poly1305(key, msg))).toBe('a8061dc1305136c6c22b8baf0c0127a9');
    expect(toHex(refPoly1305(key, msg))).toBe('a8061dc1305136c6c22b8baf0c0127a9');
  });

  it('2.6.2: the Poly1305 key is the first 32 bytes of ChaCha20 block 0', () => {
    const out = chacha20Block(seq(0x80, 32), hex('000000000001020304050607'), 0);
    expect(toHex(out.subarray(0, 32))).toBe('8ad5a08b905f81cc815040274ab29471a833b637e3fd0da508dbb8e2fdd1a646');
  });

  it('2.8.2: the AEAD example seals to the published ciphertext and tag and opens back', () => {
    const key = seq(0x80, 32), nonce = hex('070000004041424344454647'), aad = hex('50515253c0c1c2c3c4c5c6c7');
    const ct =
      'd31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6' +
      '3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36' +
      '92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc' +
      '3ff4def08e4b7a9de576d26586cec64b6116';
    const tag = '1ae10b594f09e26a7e902ecbd0600691';
    expect(toHex(c.aeadSeal(ALG, key, nonce, aad, SUNSCREEN))).toBe(ct + tag);
    expect(c.aeadOpen(ALG, key, nonce, aad, hex(ct + tag))).toEqual(SUNSCREEN);
  });

  // Appendix A.3 vectors #5-#11 target the carry and final-reduction edge cases of Poly1305.
  const zero16 = '00'.repeat(16), ff16 = 'ff'.repeat(16);
  const a3: [string, string, string, string][] = [
    ['#5: h wraps past 2^130-5 (R=2, data all-FF)', '02' + '00'.repeat(15) + zero16, ff16, '03' + '00'.repeat(15)],
    ['#6: h + s overflows 2^128 (S all-FF)', '02' + '00'.repeat(15) + ff16, '02' + '00'.repeat(15), '03' + '00'.repeat(15)],
    ['#7: carry through every limb', '01' + '00'.repeat(15) + zero16, ff16 + 'f0' + 'ff'.repeat(15) + '11' + '00'.repeat(15), '05' + '00'.repeat(15)],
    ['#8: h reduces to exactly 0', '01' + '00'.repeat(15) + zero16, ff16 + 'fb' + 'fe'.repeat(15) + '01'.repeat(16), zero16],
    ['#9: h = 2^130 - 6, one below p', '02' + '00'.repeat(15) + zero16, 'fd' + 'ff'.repeat(15), 'fa' + 'ff'.repeat(15)],
    ['#10: 5*H+L reduction produces a 131-bit intermediate', '0100000000000000' + '0400000000000000' + zero16,
      'e33594d7505e43b90000000000000000' + '3394d7505e4379cd0100000000000000' + zero16 + '01' + '00'.repeat(15),
      '14000000000000005500000000000000'],
    ['#11: 5*H+L reduction, 48-byte message', '0100000000000000' + '0400000000000000' + zero16,
      'e33594d7505e43b90000000000000000' + '3394d7505e4379cd0100000000000000' + zero16,
      '13000000000000000000000000000000'],
  ];
  for (const [name, key, msg, tag] of a3) {
    it(`A.3 Poly1305 ${name} gives the published tag`, () => {
      expect(toHex(poly1305(hex(key), hex(msg)))).toBe(tag);
      expect(toHex(refPoly1305(hex(key), hex(msg)))).toBe(tag);
    });
  }
});

// ---------------------------------------------------------------------------------------------
describe('ChaCha20-Poly1305: sub-primitives against independent references', () => {
  it('ChaCha20 matches node:crypto chacha20 for 600 seeded (key, nonce, counter, length) cases, SIMD groups and tails', () => {
    const rng = new TestRng();
    const sizes = [0, 1, 15, 63, 64, 65, 127, 128, 191, 192, 193, 255, 256, 257, 511, 512, 513, 1000];
    for (let i = 0; i < 600; i++) {
      const key = rng.bytes(32), nonce = rng.bytes(12);
      // Counters stay below 2^31 so that no case reaches 2^32 (OpenSSL carries into the nonce there).
      const counter = i % 3 === 0 ? rng.int(8) : rng.u32() >>> 1;
      const data = rng.bytes(i < sizes.length * 10 ? sizes[i % sizes.length] : rng.int(1100));
      const got = chacha20(key, nonce, counter, data);
      const want = nodeChacha20(key, nonce, counter, data);
      if (toHex(got) !== toHex(want)) throw new Error(`case ${i}: counter ${counter}, length ${data.length}`);
    }
  });

  it('Poly1305 final reduction: with r = 1, h lands exactly on p, p+1, p+2, p+3 and the tag is h - p + s', () => {
    // With r = 1 and two full blocks, h = m1 + m2 + 2^129. m1 = 2^128 - 1 and m2 = 2^128 - 4 + j
    // give h = 2^130 - 5 + j = p + j, which must reduce to j before s is added.
    const rng = new TestRng(0x9e77);
    for (let j = 0; j < 4; j++) {
      const s = rng.bytes(16);
      const key = concat(hex('01' + '00'.repeat(15)), s);
      const msg = hex('ff'.repeat(16) + (0xfc + j).toString(16) + 'ff'.repeat(15));
      const want = (leToBig(s) + BigInt(j)) & ((1n << 128n) - 1n);
      expect(leToBig(poly1305(key, msg))).toBe(want);
      expect(leToBig(refPoly1305(key, msg))).toBe(want);
    }
  });

  it('Poly1305 matches a BigInt reference for 1500 seeded cases, including all-ones keys and data', () => {
    const rng = new TestRng(0xc0ffee);
    for (let i = 0; i < 1500; i++) {
      const len = i < 300 ? i : rng.int(600);
      const mode = i % 4;
      // Modes: random; r and s all ones (maximal after clamping); all-ones data; both.
      const key = mode === 1 || mode === 3 ? new Uint8Array(32).fill(0xff) : rng.bytes(32);
      const msg = mode >= 2 ? new Uint8Array(len).fill(0xff) : rng.bytes(len);
      const got = toHex(poly1305(key, msg)), want = toHex(refPoly1305(key, msg));
      if (got !== want) throw new Error(`case ${i}: mode ${mode}, length ${len}: ${got} != ${want}`);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Poly1305 absorbs runs of >= 8 full blocks four lanes at a time (Wasm SIMD, powers r^1..r^4) and
// the leftover blocks with the scalar code; the AEAD enters that path with a non-zero accumulator
// (after the AAD) and with a Poly1305 object reused across keys. Every length is checked so each
// (groups, leftover blocks, partial block) combination near the threshold is covered.
describe('ChaCha20-Poly1305: the four-lane Poly1305 path, every length', () => {
  it('Poly1305 matches the BigInt reference for every length 0..1024 in four key/data modes', () => {
    const rng = new TestRng(0x4a4e);
    for (let len = 0; len <= 1024; len++) {
      for (let mode = 0; mode < 4; mode++) {
        // Modes: random; r and s all ones (largest limbs after clamping); all-ones data; both.
        const key = mode === 1 || mode === 3 ? new Uint8Array(32).fill(0xff) : rng.bytes(32);
        const msg = mode >= 2 ? new Uint8Array(len).fill(0xff) : rng.bytes(len);
        const got = toHex(poly1305(key, msg)), want = toHex(refPoly1305(key, msg));
        if (got !== want) throw new Error(`length ${len}, mode ${mode}: ${got} != ${want}`);
      }
    }
  });

  it('Poly1305 matches the BigInt reference around 16 KiB (a TLS record) and for long all-ones input', () => {
    const rng = new TestRng(0x4a4f);
    for (let len = 16368; len <= 16400; len++) {
      const key = len % 2 ? new Uint8Array(32).fill(0xff) : rng.bytes(32);
      const msg = len % 3 ? rng.bytes(len) : new Uint8Array(len).fill(0xff);
      expect(toHex(poly1305(key, msg)), `length ${len}`).toBe(toHex(refPoly1305(key, msg)));
    }
  });

  it('seal equals node:crypto and open inverts it for every plaintext length 0..1024 (AAD 0..300 bytes)', () => {
    const rng = new TestRng(0x4a50);
    for (let len = 0; len <= 1024; len++) {
      const aadLen = (len * 37) % 301;
      const key = rng.bytes(32), nonce = rng.bytes(12), aad = rng.bytes(aadLen), pt = rng.bytes(len);
      const sealed = c.aeadSeal(ALG, key, nonce, aad, pt);
      const want = nodeSeal(key, nonce, aad, pt);
      if (toHex(sealed) !== toHex(want)) throw new Error(`pt ${len}, aad ${aadLen}: seal differs`);
      const opened = c.aeadOpen(ALG, key, nonce, aad, want);
      if (!opened || toHex(opened) !== toHex(pt)) throw new Error(`pt ${len}, aad ${aadLen}: open failed`);
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('ChaCha20-Poly1305: differential against node:crypto', () => {
  const EDGE = [0, 1, 63, 64, 65, 255, 256, 257, 16384, 16385];

  it('seal equals node:crypto and open inverts it for 3000 seeded inputs (edge sizes 0..16385, random AAD sizes)', () => {
    const rng = new TestRng();
    let n = 0;
    for (let i = 0; i < 3000; i++) {
      // The first 600 cases cycle the edge sizes (60 each, 16 KiB ones included); then random sizes.
      const ptLen = i < 600 ? EDGE[i % EDGE.length] : rng.int(1200);
      const aadLen = i % 7 === 0 ? 0 : rng.int(i % 11 === 0 ? 300 : 40);
      const key = rng.bytes(32), nonce = rng.bytes(12), aad = rng.bytes(aadLen), pt = rng.bytes(ptLen);
      const sealed = c.aeadSeal(ALG, key, nonce, aad, pt);
      const want = nodeSeal(key, nonce, aad, pt);
      if (toHex(sealed) !== toHex(want)) throw new Error(`case ${i}: seal differs (pt ${ptLen}, aad ${aadLen})`);
      const opened = c.aeadOpen(ALG, key, nonce, aad, want);
      if (!opened || toHex(opened) !== toHex(pt)) throw new Error(`case ${i}: open failed (pt ${ptLen}, aad ${aadLen})`);
      n++;
    }
    expect(n).toBe(3000);
  });

  it('node:crypto opens what we seal (cross-check of both directions, 200 cases)', () => {
    const rng = new TestRng(7);
    for (let i = 0; i < 200; i++) {
      const key = rng.bytes(32), nonce = rng.bytes(12), aad = rng.bytes(rng.int(50)), pt = rng.bytes(EDGE[i % EDGE.length]);
      const opened = nodeOpen(key, nonce, aad, c.aeadSeal(ALG, key, nonce, aad, pt));
      expect(opened && toHex(opened)).toBe(toHex(pt));
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('ChaCha20-Poly1305: in-place operation (TLS decrypts records in place)', () => {
  it('seal with out == pt and open with out == ct give the same result as separate buffers', () => {
    const rng = new TestRng(11);
    for (const len of [0, 1, 15, 16, 63, 64, 65, 255, 256, 257, 1000, 16384, 16385]) {
      const key = rng.bytes(32), nonce = rng.bytes(12), aad = rng.bytes(13), pt = rng.bytes(len);
      const want = nodeSeal(key, nonce, aad, pt);
      const sealed = sealInPlace(key, nonce, aad, pt);
      expect(toHex(sealed), `seal in place, ${len} bytes`).toBe(toHex(want));
      const { n, buf } = openInPlace(key, nonce, aad, want);
      expect(n).toBe(len);
      expect(toHex(buf.subarray(0, len)), `open in place, ${len} bytes`).toBe(toHex(pt));
    }
  });

  it('a failed in-place open returns -1 and leaves no plaintext (the ciphertext region is zeroed)', () => {
    const rng = new TestRng(12);
    for (const len of [1, 64, 257, 16385]) {
      const key = rng.bytes(32), nonce = rng.bytes(12), aad = rng.bytes(13), pt = rng.bytes(len);
      const ctTag = nodeSeal(key, nonce, aad, pt);
      ctTag[len + rng.int(16)] ^= 1 << rng.int(8);
      const { n, buf } = openInPlace(key, nonce, aad, ctTag);
      expect(n).toBe(-1);
      expect(buf.subarray(0, len).every((b) => b === 0)).toBe(true);
    }
  });

  it('a failed open into a separate buffer returns -1 and zeroes that buffer (no plaintext, no stale data)', () => {
    const rng = new TestRng(13);
    for (const len of [0, 1, 64, 300, 16384]) {
      const key = rng.bytes(32), nonce = rng.bytes(12), aad = rng.bytes(5), pt = rng.bytes(len);
      const ctTag = nodeSeal(key, nonce, aad, pt);
      ctTag[rng.int(ctTag.length)] ^= 0x80;
      const { n, out } = openSeparate(key, nonce, aad, ctTag);
      expect(n).toBe(-1);
      expect(out.every((b) => b === 0)).toBe(true);
      // The same call with the untouched record succeeds into a separate buffer.
      ctTag.set(nodeSeal(key, nonce, aad, pt));
      const ok = openSeparate(key, nonce, aad, ctTag);
      expect(ok.n).toBe(len);
      expect(toHex(ok.out)).toBe(toHex(pt));
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('ChaCha20-Poly1305: tampering and bad parameters', () => {
  it('flipping any one bit of ciphertext, tag or AAD makes open fail (600 seeded records)', () => {
    const rng = new TestRng(21);
    let rejected = 0;
    for (let i = 0; i < 600; i++) {
      const ptLen = [0, 1, 16, 63, 64, 65, 300, 1024][i % 8];
      const key = rng.bytes(32), nonce = rng.bytes(12), aad = rng.bytes(1 + rng.int(30)), pt = rng.bytes(ptLen);
      const sealed = c.aeadSeal(ALG, key, nonce, aad, pt);
      const where = i % 3; // 0: ciphertext, 1: tag, 2: aad
      if (where === 0 && ptLen > 0) {
        const t = sealed.slice(); t[rng.int(ptLen)] ^= 1 << rng.int(8);
        expect(c.aeadOpen(ALG, key, nonce, aad, t)).toBeNull();
      } else if (where === 2) {
        const a = aad.slice(); a[rng.int(a.length)] ^= 1 << rng.int(8);
        expect(c.aeadOpen(ALG, key, nonce, a, sealed)).toBeNull();
      } else {
        const t = sealed.slice(); t[ptLen + rng.int(16)] ^= 1 << rng.int(8);
        expect(c.aeadOpen(ALG, key, nonce, aad, t)).toBeNull();
      }
      rejected++;
    }
    expect(rejected).toBe(600);
  });

  it('open fails with the wrong key, the wrong nonce, extra or missing AAD, or a truncated/extended record', () => {
    const rng = new TestRng(22);
    const key = rng.bytes(32), nonce = rng.bytes(12), aad = rng.bytes(13), pt = rng.bytes(100);
    const sealed = c.aeadSeal(ALG, key, nonce, aad, pt);
    expect(c.aeadOpen(ALG, key, nonce, aad, sealed)).toEqual(pt);
    const k2 = key.slice(); k2[31] ^= 1;
    const n2 = nonce.slice(); n2[0] ^= 1;
    expect(c.aeadOpen(ALG, k2, nonce, aad, sealed)).toBeNull();
    expect(c.aeadOpen(ALG, key, n2, aad, sealed)).toBeNull();
    expect(c.aeadOpen(ALG, key, nonce, concat(aad, new Uint8Array(1)), sealed)).toBeNull();
    expect(c.aeadOpen(ALG, key, nonce, aad.subarray(0, 12), sealed)).toBeNull();
    expect(c.aeadOpen(ALG, key, nonce, aad, sealed.subarray(1))).toBeNull();
    expect(c.aeadOpen(ALG, key, nonce, aad, sealed.subarray(0, sealed.length - 1))).toBeNull();
    expect(c.aeadOpen(ALG, key, nonce, aad, concat(sealed, new Uint8Array(1)))).toBeNull();
    // The AAD/ciphertext boundary is authenticated: moving a byte across it fails.
    expect(c.aeadOpen(ALG, key, nonce, concat(aad, sealed.subarray(0, 1)), sealed.subarray(1))).toBeNull();
  });

  it('open of inputs shorter than the 16-byte tag returns null (0..15 bytes)', () => {
    const key = new Uint8Array(32), nonce = new Uint8Array(12);
    for (let n = 0; n < 16; n++) expect(c.aeadOpen(ALG, key, nonce, new Uint8Array(0), new Uint8Array(n))).toBeNull();
    // ...while the 16-byte tag of an empty message opens to an empty plaintext.
    expect(c.aeadOpen(ALG, key, nonce, new Uint8Array(0), nodeSeal(key, nonce, new Uint8Array(0), new Uint8Array(0)))).toEqual(new Uint8Array(0));
  });

  it('the Wasm exports return -1 for a key that is not 32 bytes or a nonce that is not 12 bytes', () => {
    const w = raw();
    const { ptrs, end } = placeRaw([new Uint8Array(32), new Uint8Array(16), new Uint8Array(32)], 64);
    for (const [kl, nl] of [[31, 12], [33, 12], [16, 12], [32, 11], [32, 13], [32, 8], [32, 24]]) {
      expect(w.chachaPolySeal(ptrs[0], kl, ptrs[1], nl, ptrs[2], 0, ptrs[2], 16, end)).toBe(-1);
      expect(w.chachaPolyOpen(ptrs[0], kl, ptrs[1], nl, ptrs[2], 0, ptrs[2], 32, end)).toBe(-1);
    }
    expect(w.chachaPolySeal(ptrs[0], 32, ptrs[1], 12, ptrs[2], 0, ptrs[2], 16, end)).toBe(32);
  });
});
