// SHA-2, HMAC, HKDF and TLS 1.3 HKDF-Expand-Label from assembly/crypto/{sha2,hmac,hkdf}.ts,
// checked against node:crypto (seeded differential tests), Wycheproof, and the RFC examples
// (FIPS 180-4 "abc", RFC 4231, RFC 5869 A.1-A.3, RFC 8448 section 3 key schedule).
import { describe, it, expect } from 'vitest';
import { createHash, createHmac, hkdfSync } from 'node:crypto';
import * as c from '../../src/crypto-testing.ts';
import { loadWycheproof, hex, toHex, TestRng } from './vectors.ts';

type H = 'sha256' | 'sha384' | 'sha512';
const HASHES: H[] = ['sha256', 'sha384', 'sha512'];
const HLEN: Record<H, number> = { sha256: 32, sha384: 48, sha512: 64 };
const HID: Record<H, number> = { sha256: 0, sha384: 1, sha512: 2 };
const nodeHash = (h: H, d: Uint8Array) => new Uint8Array(createHash(h).update(d).digest());
const nodeHmac = (h: H, k: Uint8Array, d: Uint8Array) => new Uint8Array(createHmac(h, k).update(d).digest());
const ascii = (s: string) => new TextEncoder().encode(s);
const cat = (...a: Uint8Array[]) => new Uint8Array(Buffer.concat(a));

// ---- A second instance of the same module, for the test-only streaming exports (Hash.update /
// peek / copyFrom, Hmac reuse) that the JS door does not wrap.
type Raw = Record<string, any> & { memory: WebAssembly.Memory; arena(n: number): number };
let rawInst: Raw | null = null;
function raw(): Raw {
  return (rawInst ??= c.instantiateRaw() as Raw);
}
/** Copies inputs into the arena; returns their pointers and `outs` zeroed output regions. */
function lay(inputs: Uint8Array[], outs: number[]): { ins: number[]; outs: number[]; read(i: number): Uint8Array } {
  const w = raw();
  const al = (n: number) => (n + 15) & ~15;
  let p = w.arena(inputs.reduce((s, a) => s + al(a.length), 0) + outs.reduce((s, n) => s + al(n), 0) + 16);
  const mem = new Uint8Array(w.memory.buffer);
  const ins = inputs.map((a) => { mem.set(a, p); const q = p; p += al(a.length); return q; });
  const o = outs.map((n) => { mem.fill(0, p, p + n); const q = p; p += al(n); return q; });
  return { ins, outs: o, read: (i) => new Uint8Array(w.memory.buffer, o[i], outs[i]).slice() };
}

// ------------------------------------------------------------------------------------------------
describe('SHA-2', () => {
  it('matches the FIPS 180-4 examples ("abc", the 448-bit message, one million "a")', () => {
    expect(toHex(c.sha256(ascii('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(toHex(c.sha384(ascii('abc')))).toBe(
      'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7');
    expect(toHex(c.sha512(ascii('abc')))).toBe(
      'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f');
    expect(toHex(c.sha256(ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
    expect(toHex(c.sha512(ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe(
      '204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445');
    expect(toHex(c.sha256(new Uint8Array(1_000_000).fill(0x61)))).toBe(
      'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  const EDGE = [0, 1, 55, 56, 63, 64, 65, 111, 112, 127, 128, 129, 191, 192, 255, 256, 16 * 1024 + 1];
  for (const h of HASHES) {
    it(`${h} equals node:crypto at the padding edges (${EDGE.join(', ')} bytes)`, () => {
      const rng = new TestRng();
      for (const n of EDGE) {
        const d = rng.bytes(n);
        expect(toHex(c[h](d)), `${h} len ${n}`).toBe(toHex(nodeHash(h, d)));
      }
    });
  }

  for (const h of HASHES) {
    it(`${h} equals node:crypto on 1500 seeded random inputs of 0..3000 bytes`, () => {
      const rng = new TestRng(0x5eed + HID[h]);
      for (let i = 0; i < 1500; i++) {
        const d = rng.bytes(i < 300 ? i : rng.int(3001));
        expect(toHex(c[h](d)), `${h} case ${i} len ${d.length}`).toBe(toHex(nodeHash(h, d)));
      }
    });
  }

  for (const h of HASHES) {
    it(`${h} streaming: any split into update() calls, peek() after each piece = digest of the prefix, finish() = one-shot`, () => {
      const w = raw();
      const rng = new TestRng(0xabc0 + HID[h]);
      const hl = HLEN[h];
      for (let i = 0; i < 300; i++) {
        const len = i < 20 ? [0, 1, 63, 64, 65, 127, 128, 129, 300, 1000][i % 10] : rng.int(1200);
        const data = rng.bytes(len);
        const nCuts = rng.int(6);
        const cuts = Array.from({ length: nCuts }, () => rng.int(len + 1)).sort((a, b) => a - b);
        const L = lay([data, new Uint8Array(new Int32Array(cuts).buffer)], [hl * (nCuts + 1), hl]);
        w.sha2TestStream(HID[h], L.ins[0], len, L.ins[1], nCuts, L.outs[0], L.outs[1]);
        const peeks = L.read(0);
        const ends = [...cuts, len];
        ends.forEach((e, j) => expect(toHex(peeks.subarray(j * hl, (j + 1) * hl)), `prefix ${e}/${len}`).toBe(toHex(nodeHash(h, data.subarray(0, e)))));
        expect(toHex(L.read(1))).toBe(toHex(nodeHash(h, data)));
      }
    });

    it(`${h} copyFrom() forks a context: H(a|b) and H(a|c) from one absorbed prefix`, () => {
      const w = raw();
      const rng = new TestRng(0xf0c + HID[h]);
      for (let i = 0; i < 200; i++) {
        const [a, b, cc] = [rng.bytes(rng.int(300)), rng.bytes(rng.int(300)), rng.bytes(rng.int(300))];
        const L = lay([a, b, cc], [HLEN[h], HLEN[h]]);
        w.sha2TestFork(HID[h], L.ins[0], a.length, L.ins[1], b.length, L.ins[2], cc.length, L.outs[0], L.outs[1]);
        expect(toHex(L.read(0))).toBe(toHex(nodeHash(h, cat(a, b))));
        expect(toHex(L.read(1))).toBe(toHex(nodeHash(h, cat(a, cc))));
      }
    });
  }
});

// ------------------------------------------------------------------------------------------------
describe('HMAC', () => {
  for (const file of ['hmac_sha256_test.json', 'hmac_sha384_test.json']) {
    const h: H = file.includes('384') ? 'sha384' : 'sha256';
    it(`${file}: every valid tag is reproduced and every invalid (ModifiedTag) tag differs (no acceptable cases in this file)`, () => {
      const wp = loadWycheproof(file);
      let valid = 0, invalid = 0;
      for (const g of wp.testGroups) {
        for (const t of g.tests) {
          const tag = c.hmac(h, hex(t.key), hex(t.msg)).subarray(0, g.tagSize / 8);
          // The MAC is computed in Wasm; the tag check (a verifier's job) is done here, truncating
          // to the group's tag size as Wycheproof's MacTest groups require.
          const same = toHex(tag) === t.tag;
          if (t.result === 'valid') { expect(same, `tcId ${t.tcId}`).toBe(true); valid++; }
          else if (t.result === 'invalid') { expect(same, `tcId ${t.tcId}`).toBe(false); invalid++; }
          else throw new Error(`unexpected ${t.result} case ${t.tcId}: decide and document it`);
        }
      }
      expect(valid + invalid).toBe(wp.numberOfTests);
      expect(valid).toBe(66);
      expect(invalid).toBe(108);
    });
  }

  // RFC 4231 section 4: test cases 1-7 (case 5 truncates to 128 bits).
  const aa131 = new Uint8Array(131).fill(0xaa);
  const RFC4231: { name: string; key: Uint8Array; data: Uint8Array; trunc?: number; sha256: string; sha384: string; sha512: string }[] = [
    { name: '1', key: new Uint8Array(20).fill(0x0b), data: ascii('Hi There'),
      sha256: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
      sha384: 'afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6',
      sha512: '87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854' },
    { name: '2 (key shorter than the output)', key: ascii('Jefe'), data: ascii('what do ya want for nothing?'),
      sha256: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
      sha384: 'af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649',
      sha512: '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737' },
    { name: '3', key: new Uint8Array(20).fill(0xaa), data: new Uint8Array(50).fill(0xdd),
      sha256: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe',
      sha384: '88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27',
      sha512: 'fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb' },
    { name: '4', key: hex('0102030405060708090a0b0c0d0e0f10111213141516171819'), data: new Uint8Array(50).fill(0xcd),
      sha256: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b',
      sha384: '3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb',
      sha512: 'b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd' },
    { name: '5 (truncated to 128 bits)', key: new Uint8Array(20).fill(0x0c), data: ascii('Test With Truncation'), trunc: 16,
      sha256: 'a3b6167473100ee06e0c796c2955552b', sha384: '3abf34c3503b2a23a46efc619baef897', sha512: '415fad6271580a531d4179bc891d87a6' },
    { name: '6 (131-byte key, hashed first)', key: aa131, data: ascii('Test Using Larger Than Block-Size Key - Hash Key First'),
      sha256: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
      sha384: '4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952',
      sha512: '80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598' },
    { name: '7 (131-byte key, 152-byte data)', key: aa131,
      data: ascii('This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.'),
      sha256: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
      sha384: '6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c46523e',
      sha512: 'e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58' },
  ];
  for (const tc of RFC4231) {
    it(`RFC 4231 test case ${tc.name}: HMAC-SHA-256/384/512 known answers`, () => {
      for (const h of HASHES) {
        const tag = c.hmac(h, tc.key, tc.data);
        expect(tag.length).toBe(HLEN[h]);
        expect(toHex(tag.subarray(0, tc.trunc ?? HLEN[h])), h).toBe(tc[h]);
      }
    });
  }

  for (const h of HASHES) {
    it(`HMAC-${h} equals node:crypto on 1000 seeded keys of 0..300 bytes (below, at and above the block size) and data of 0..700 bytes`, () => {
      const rng = new TestRng(0x4d4c + HID[h]);
      const keyEdges = [0, 1, 31, 32, 48, 63, 64, 65, 127, 128, 129];
      for (let i = 0; i < 1000; i++) {
        const key = rng.bytes(i < keyEdges.length ? keyEdges[i] : rng.int(301));
        const data = rng.bytes(rng.int(701));
        expect(toHex(c.hmac(h, key, data)), `case ${i} key ${key.length} data ${data.length}`).toBe(toHex(nodeHmac(h, key, data)));
      }
    });

    it(`HMAC-${h} object: data split across update() calls, and a second message after finish() reuses the key without init()`, () => {
      const w = raw();
      const rng = new TestRng(0x5757 + HID[h]);
      for (let i = 0; i < 200; i++) {
        const key = rng.bytes(rng.int(200));
        const m1 = rng.bytes(rng.int(400));
        const m2 = rng.bytes(rng.int(400));
        const cut = rng.int(m1.length + 1);
        const L = lay([key, m1, m2], [HLEN[h], HLEN[h]]);
        w.hmacTestStream(HID[h], L.ins[0], key.length, L.ins[1], m1.length, cut, L.ins[2], m2.length, L.outs[0], L.outs[1]);
        expect(toHex(L.read(0))).toBe(toHex(nodeHmac(h, key, m1)));
        expect(toHex(L.read(1))).toBe(toHex(nodeHmac(h, key, m2)));
      }
    });
  }
});

// ------------------------------------------------------------------------------------------------
describe('HKDF', () => {
  for (const file of ['hkdf_sha256_test.json', 'hkdf_sha384_test.json']) {
    const h: H = file.includes('384') ? 'sha384' : 'sha256';
    it(`${file}: every valid OKM is reproduced (incl. EmptySalt, MaximalOutputSize, OutputCollision) and every invalid SizeTooLarge request is refused (no acceptable cases)`, () => {
      const wp = loadWycheproof(file);
      let valid = 0, invalid = 0;
      for (const g of wp.testGroups) {
        for (const t of g.tests) {
          if (t.result === 'valid') {
            expect(toHex(c.hkdf(h, hex(t.ikm), hex(t.salt), hex(t.info), t.size)), `tcId ${t.tcId}`).toBe(t.okm);
            valid++;
          } else if (t.result === 'invalid') {
            expect(t.flags).toContain('SizeTooLarge');
            expect(() => c.hkdf(h, hex(t.ikm), hex(t.salt), hex(t.info), t.size), `tcId ${t.tcId}`).toThrow(RangeError);
            invalid++;
          } else throw new Error(`unexpected ${t.result} case ${t.tcId}: decide and document it`);
        }
      }
      expect(valid + invalid).toBe(wp.numberOfTests);
      expect(invalid).toBe(3);
    });
  }

  // RFC 5869 appendix A.1-A.3 (SHA-256); PRK checked as HMAC(salt, IKM) = HKDF-Extract.
  const range = (a: number, b: number) => Uint8Array.from({ length: b - a }, (_, i) => a + i);
  const A = [
    { name: 'A.1 basic', ikm: new Uint8Array(22).fill(0x0b), salt: range(0, 13), info: range(0xf0, 0xfa), L: 42,
      prk: '077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5',
      okm: '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865' },
    { name: 'A.2 longer inputs/outputs', ikm: range(0, 0x50), salt: range(0x60, 0xb0), info: range(0xb0, 0x100), L: 82,
      prk: '06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244',
      okm: 'b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87' },
    { name: 'A.3 zero-length salt and info', ikm: new Uint8Array(22).fill(0x0b), salt: new Uint8Array(0), info: new Uint8Array(0), L: 42,
      prk: '19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04',
      okm: '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8' },
  ];
  for (const t of A) {
    it(`RFC 5869 ${t.name}: PRK and OKM known answers`, () => {
      expect(toHex(c.hmac('sha256', t.salt.length ? t.salt : new Uint8Array(32), t.ikm))).toBe(t.prk);
      expect(toHex(c.hkdf('sha256', t.ikm, t.salt, t.info, t.L))).toBe(t.okm);
    });
  }

  for (const h of HASHES) {
    it(`HKDF-${h} equals node:crypto hkdfSync on 600 seeded inputs, lengths 1..255*HashLen; empty salt = HashLen zero bytes`, () => {
      const rng = new TestRng(0x4b44 + HID[h]);
      const max = 255 * HLEN[h];
      for (let i = 0; i < 600; i++) {
        const ikm = rng.bytes(rng.int(100));
        const salt = rng.bytes(i % 5 === 0 ? 0 : rng.int(200));
        const info = rng.bytes(rng.int(100));
        const L = i === 0 ? max : i === 1 ? 1 : i < 10 ? HLEN[h] * i + (i & 1) : 1 + rng.int(i % 50 === 0 ? max : 300);
        const want = new Uint8Array(hkdfSync(h, ikm, salt, info, L));
        expect(toHex(c.hkdf(h, ikm, salt, info, L)), `case ${i}`).toBe(toHex(want));
        if (salt.length === 0) expect(toHex(c.hkdf(h, ikm, new Uint8Array(HLEN[h]), info, L))).toBe(toHex(want));
      }
    });

    it(`HKDF-${h} refuses 255*HashLen+1 bytes and more, and returns nothing for length 0`, () => {
      const max = 255 * HLEN[h];
      expect(c.hkdf(h, ascii('ikm'), ascii('salt'), ascii('info'), max).length).toBe(max);
      for (const L of [max + 1, max + HLEN[h], 65536]) expect(() => c.hkdf(h, ascii('ikm'), ascii('salt'), ascii('info'), L)).toThrow(RangeError);
      expect(c.hkdf(h, ascii('ikm'), ascii('salt'), ascii('info'), 0).length).toBe(0);
    });
  }
});

// ------------------------------------------------------------------------------------------------
describe('TLS 1.3 HKDF-Expand-Label', () => {
  /** Independent reference: RFC 5869 Expand over node:crypto HMAC, with RFC 8446 7.1 HkdfLabel. */
  function refExpand(h: H, prk: Uint8Array, info: Uint8Array, L: number): Uint8Array {
    const out: Buffer[] = [];
    let t = Buffer.alloc(0);
    for (let i = 1; out.reduce((s, b) => s + b.length, 0) < L; i++) {
      t = createHmac(h, prk).update(t).update(info).update(Buffer.from([i])).digest();
      out.push(t);
    }
    return new Uint8Array(Buffer.concat(out).subarray(0, L));
  }
  function refExpandLabel(h: H, secret: Uint8Array, label: string, ctx: Uint8Array, L: number): Uint8Array {
    const full = Buffer.from('tls13 ' + label, 'latin1');
    const info = Buffer.concat([Buffer.from([L >> 8, L & 255, full.length]), full, Buffer.from([ctx.length]), ctx]);
    return refExpand(h, secret, info, L);
  }

  it('derives the RFC 8448 section 3 (Simple 1-RTT Handshake) key schedule: secrets, traffic keys/IVs, Finished, resumption', () => {
    // Handshake messages of RFC 8448 section 3 (hex), hashed in order for the transcript.
    const CH = hex('010000c00303cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7000006130113031302010000910000000b0009000006736572766572ff01000100000a00140012001d0017001800190100010101020103010400230000003300260024001d002099381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c002b0003020304000d0020001e040305030603020308040805080604010501060102010402050206020202002d00020101001c00024001');
    const SH = hex('020000560303a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e2692800130100002e00330024001d0020c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f002b00020304');
    const EE = hex('080000240022000a00140012001d00170018001901000101010201030104001c0002400100000000');
    const CERT = hex('0b0001b9000001b50001b0308201ac30820115a003020102020102300d06092a864886f70d01010b0500300e310c300a06035504031303727361301e170d3136303733303031323335395a170d3236303733303031323335395a300e310c300a0603550403130372736130819f300d06092a864886f70d010101050003818d0030818902818100b4bb498f8279303d980836399b36c6988c0c68de55e1bdb826d3901a2461eafd2de49a91d015abbc9a95137ace6c1af19eaa6af98c7ced43120998e187a80ee0ccb0524b1b018c3e0b63264d449a6d38e22a5fda430846748030530ef0461c8ca9d9efbfae8ea6d1d03e2bd193eff0ab9a8002c47428a6d35a8d88d79f7f1e3f0203010001a31a301830090603551d1304023000300b0603551d0f0404030205a0300d06092a864886f70d01010b05000381810085aad2a0e5b9276b908c65f73a7267170618a54c5f8a7b337d2df7a594365417f2eae8f8a58c8f8172f9319cf36b7fd6c55b80f21a03015156726096fd335e5e67f2dbf102702e608ccae6bec1fc63a42a99be5c3eb7107c3c54e9b9eb2bd5203b1c3b84e0a8b2f759409ba3eac9d91d402dcc0cc8f8961229ac9187b42b4de10000');
    const CV = hex('0f000084080400805a747c5d88fa9bd2e55ab085a61015b7211f824cd484145ab3ff52f1fda8477b0b7abc90db78e2d33a5c141a078653fa6bef780c5ea248eeaaa785c4f394cab6d30bbe8d4859ee511f602957b15411ac027671459e46445c9ea58c181e818e95b8c3fb0bf3278409d3be152a3da5043e063dda65cdf5aea20d53dfacd42f74f3');
    const SF = hex('140000209b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718');
    const CF = hex('14000020a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2edd5ce61');
    const ecdhe = hex('8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d');
    const H = (...m: Uint8Array[]) => c.sha256(cat(...m));
    const L = (secret: Uint8Array, label: string, ctx: Uint8Array, n: number) => c.hkdfExpandLabel('sha256', secret, label, ctx, n);
    const extract = (salt: Uint8Array, ikm: Uint8Array) => c.hmac('sha256', salt, ikm); // HKDF-Extract
    const zeros = new Uint8Array(32);

    const early = extract(new Uint8Array(0), zeros);
    expect(toHex(early)).toBe('33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a');
    const derived1 = L(early, 'derived', H(), 32);
    expect(toHex(derived1)).toBe('6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba');
    const hs = extract(derived1, ecdhe);
    expect(toHex(hs)).toBe('1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac');
    const thHello = H(CH, SH);
    const cHs = L(hs, 'c hs traffic', thHello, 32);
    const sHs = L(hs, 's hs traffic', thHello, 32);
    expect(toHex(cHs)).toBe('b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21');
    expect(toHex(sHs)).toBe('b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38');
    const derived2 = L(hs, 'derived', H(), 32);
    expect(toHex(derived2)).toBe('43de77e0c77713859a944db9db2590b53190a65b3ee2e4f12dd7a0bb7ce254b4');
    const master = extract(derived2, zeros);
    expect(toHex(master)).toBe('18df06843d13a08bf2a449844c5f8a478001bc4d4c627984d5a41da8d0402919');
    // {server} derive write traffic keys for handshake data / {client} the read side.
    expect(toHex(L(sHs, 'key', new Uint8Array(0), 16))).toBe('3fce516009c21727d0f2e4e86ee403bc');
    expect(toHex(L(sHs, 'iv', new Uint8Array(0), 12))).toBe('5d313eb2671276ee13000b30');
    expect(toHex(L(cHs, 'key', new Uint8Array(0), 16))).toBe('dbfaa693d1762c5b666af5d950258d01');
    expect(toHex(L(cHs, 'iv', new Uint8Array(0), 12))).toBe('5bd3c71b836e0b76bb73265f');
    // Server Finished: HMAC(finished_key, Transcript-Hash(CH..CV)).
    const sFinKey = L(sHs, 'finished', new Uint8Array(0), 32);
    expect(toHex(c.hmac('sha256', sFinKey, H(CH, SH, EE, CERT, CV)))).toBe('9b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718');
    const thSf = H(CH, SH, EE, CERT, CV, SF);
    const cAp = L(master, 'c ap traffic', thSf, 32);
    const sAp = L(master, 's ap traffic', thSf, 32);
    expect(toHex(cAp)).toBe('9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5');
    expect(toHex(sAp)).toBe('a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643');
    expect(toHex(L(master, 'exp master', thSf, 32))).toBe('fe22f881176eda18eb8f44529e6792c50c9a3f89452f68d8ae311b4309d3cf50');
    expect(toHex(L(sAp, 'key', new Uint8Array(0), 16))).toBe('9f02283b6c9c07efc26bb9f2ac92e356');
    expect(toHex(L(sAp, 'iv', new Uint8Array(0), 12))).toBe('cf782b88dd83549aadf1e984');
    expect(toHex(L(cAp, 'key', new Uint8Array(0), 16))).toBe('17422dda596ed5d9acd890e3c63f5051');
    expect(toHex(L(cAp, 'iv', new Uint8Array(0), 12))).toBe('5b78923dee08579033e523d9');
    // Client Finished over CH..SF, then the resumption master secret over CH..CF.
    const cFinKey = L(cHs, 'finished', new Uint8Array(0), 32);
    expect(toHex(c.hmac('sha256', cFinKey, thSf))).toBe('a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2edd5ce61');
    const resMaster = L(master, 'res master', H(CH, SH, EE, CERT, CV, SF, CF), 32);
    expect(toHex(resMaster)).toBe('7df235f2031d2a051287d02b0241b0bfdaf86cc856231f2d5aba46c434ec196c');
    expect(toHex(L(resMaster, 'resumption', new Uint8Array([0, 0]), 32))).toBe('4ecd0eb6ec3b4d87f5d6028f922ca4c5851a277fd41311c9e62d2c9492e1c4f3');
  });

  for (const h of HASHES) {
    it(`${h}: equals a node:crypto reference on 500 seeded secrets/labels/contexts, label 1..249 bytes, context 0..255, length up to 255*HashLen`, () => {
      const rng = new TestRng(0x7113 + HID[h]);
      const labels = ['key', 'iv', 'finished', 'derived', 'c hs traffic', 'traffic upd', 'exp master'];
      for (let i = 0; i < 500; i++) {
        const secret = rng.bytes(i % 7 === 0 ? rng.int(200) : HLEN[h]);
        const label = i < labels.length ? labels[i]
          : i === 10 ? 'x'.repeat(249)
          : i === 11 ? 'y'
          : Array.from({ length: 1 + rng.int(40) }, () => String.fromCharCode(0x20 + rng.int(95))).join('');
        const ctx = rng.bytes(i === 12 ? 255 : i === 13 ? 0 : rng.int(80));
        const L = i === 14 ? 255 * HLEN[h] : i === 15 ? 0 : 1 + rng.int(i % 40 === 0 ? 255 * HLEN[h] : 100);
        expect(toHex(c.hkdfExpandLabel(h, secret, label, ctx, L)), `case ${i}`).toBe(toHex(refExpandLabel(h, secret, label, ctx, L)));
      }
    });

    it(`${h}: refuses fields that do not fit HkdfLabel (empty label, label > 249 bytes, context > 255 bytes) and lengths > 255*HashLen`, () => {
      const s = new Uint8Array(HLEN[h]).fill(7);
      expect(() => c.hkdfExpandLabel(h, s, '', new Uint8Array(0), 16)).toThrow(RangeError);
      expect(() => c.hkdfExpandLabel(h, s, 'z'.repeat(250), new Uint8Array(0), 16)).toThrow(RangeError);
      expect(() => c.hkdfExpandLabel(h, s, 'key', new Uint8Array(256), 16)).toThrow(RangeError);
      expect(() => c.hkdfExpandLabel(h, s, 'key', new Uint8Array(0), 255 * HLEN[h] + 1)).toThrow(RangeError);
      expect(c.hkdfExpandLabel(h, s, 'z'.repeat(249), new Uint8Array(255), 255 * HLEN[h]).length).toBe(255 * HLEN[h]);
    });
  }
});
