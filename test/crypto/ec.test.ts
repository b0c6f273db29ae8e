// P-256 / P-384 ECDH and ECDSA verification (assembly/crypto/ec).
//
// 1. Every Wycheproof vector of ecdh_secp256r1_ecpoint_test.json, ecdh_secp384r1_ecpoint_test.json,
//    ecdsa_secp256r1_sha256_test.json, ecdsa_secp384r1_sha256_test.json and
//    ecdsa_secp384r1_sha384_test.json: valid -> accepted (ECDH: the exact shared secret), invalid ->
//    rejected. Acceptable-case decision: the only "acceptable" cases are the ECDH vectors flagged
//    CompressedPublic (a valid point in compressed form). We REJECT them: the component only
//    accepts uncompressed points, which is all TLS 1.3 key shares may use (RFC 8446, 4.2.8.2), and
//    no point decompression (a square root) is implemented. The ECDSA files have no acceptable cases.
//    Private keys in the ECDH files are big-endian with 1, L - 3, L or L + 1 bytes (L = 32 / 48; the
//    L + 1 ones carry a leading 00). They are passed VERBATIM: the internal ecdh() zero-extends short
//    keys and accepts extra leading bytes only when they are zero (tests below pin both rules).
// 2. Known answers: RFC 5903 (8.1, 8.2) ECDH and RFC 6979 (A.2.5, A.2.6) ECDSA signatures, with key
//    generation checked against the published public keys.
// 3. Differential tests against node:crypto with private keys drawn from the seeded TestRng: ECDH
//    (node createECDH) and public-key generation; ECDSA signatures made by node (crypto.sign, DER)
//    over messages of edge sizes with SHA-256/384/512 (hash truncation and short hashes), which must
//    verify, plus mutated signatures / messages / keys that must not. The digest-level API that TLS
//    calls (ecdsaVerifyDer, ecdsaVerifyRaw with r || s) is checked the same way over SHA-1/256/384/512
//    digests, including bits2int truncation of digests longer than the order.
// 4. Edge cases: scalar range (0, n, n + 1, 2^(8L) - 1, 1, n - 1), key lengths, point encodings
//    (infinity, compressed, hybrid, truncated, x >= p, off-curve, wrong curve), r/s range, malleated
//    high-s signatures, and strict DER (long-form and non-minimal lengths, BER indefinite length,
//    superfluous zeros, negative integers, wrong tags, extra elements, trailing bytes).
import { describe, it, expect } from 'vitest';
import crypto from 'node:crypto';
import * as c from '../../src/crypto-testing.ts';
import { loadWycheproof, hex, toHex, TestRng, modPow } from './vectors.ts';

type Curve = c.Curve;
type Hash = c.Hash;
const CURVES: Curve[] = ['p256', 'p384'];
const NODE_CURVE: Record<Curve, string> = { p256: 'prime256v1', p384: 'secp384r1' };
const L: Record<Curve, number> = { p256: 32, p384: 48 };
const WP_HASH: Record<string, Hash> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

// ---------------------------------------------------------------------------------------------
// Curve constants and a small BigInt reference (only for building edge-case inputs)

const PARAMS: Record<Curve, { p: bigint; n: bigint; b: bigint }> = {
  p256: {
    p: 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn,
  },
  p384: {
    p: 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn,
  },
};
const big = (b: Uint8Array): bigint => (b.length === 0 ? 0n : BigInt('0x' + toHex(b)));
function bytes(x: bigint, len: number): Uint8Array {
  const h = x.toString(16).padStart(len * 2, '0');
  if (h.length > len * 2) throw new Error('bytes: does not fit');
  return hex(h);
}
const cat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));
/** Uncompressed encoding of (x, y) without any range reduction. */
const encodePoint = (curve: Curve, x: bigint, y: bigint): Uint8Array =>
  cat(Uint8Array.of(4), bytes(x, L[curve]), bytes(y, L[curve]));
/** A valid point with the smallest x >= 0 on the curve (both curves have p = 3 mod 4). */
function smallXPoint(curve: Curve): { x: bigint; y: bigint } {
  const { p, b } = PARAMS[curve];
  for (let x = 0n; ; x++) {
    const rhs = (((x * x * x - 3n * x + b) % p) + p) % p;
    const y = modPow(rhs, (p + 1n) / 4n, p);
    if ((y * y) % p === rhs) return { x, y };
  }
}

// ---------------------------------------------------------------------------------------------
// Node helpers

/** A private scalar in [1, n - 1] from the seeded rng (L bytes, big-endian). */
function randomScalar(rng: TestRng, curve: Curve): Uint8Array {
  const { n } = PARAMS[curve];
  for (;;) {
    const k = rng.bytes(L[curve]);
    // Occasionally force leading zero bytes so short effective scalars are covered too.
    const z = rng.int(16) === 0 ? 1 + rng.int(L[curve] - 1) : 0;
    k.fill(0, 0, z);
    const v = big(k);
    if (v > 0n && v < n) return k;
  }
}
function nodePublic(curve: Curve, priv: Uint8Array): Uint8Array {
  const e = crypto.createECDH(NODE_CURVE[curve]);
  e.setPrivateKey(Buffer.from(priv));
  return new Uint8Array(e.getPublicKey());
}
function nodeSecret(curve: Curve, priv: Uint8Array, pub: Uint8Array): Uint8Array {
  const e = crypto.createECDH(NODE_CURVE[curve]);
  e.setPrivateKey(Buffer.from(priv));
  return new Uint8Array(e.computeSecret(Buffer.from(pub)));
}
const b64u = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
function nodeKeyObjects(curve: Curve, priv: Uint8Array): { priv: crypto.KeyObject; pub: crypto.KeyObject; raw: Uint8Array } {
  const raw = nodePublic(curve, priv);
  const len = L[curve];
  const crv = curve === 'p256' ? 'P-256' : 'P-384';
  const x = b64u(raw.subarray(1, 1 + len));
  const y = b64u(raw.subarray(1 + len));
  return {
    priv: crypto.createPrivateKey({ key: { kty: 'EC', crv, x, y, d: b64u(priv) }, format: 'jwk' }),
    pub: crypto.createPublicKey({ key: { kty: 'EC', crv, x, y }, format: 'jwk' }),
    raw,
  };
}

// ---------------------------------------------------------------------------------------------
// Direct access to the module for the exports the JS door does not wrap (ecKeygenPublic and the
// digest-level ecdsaVerifyDer / ecdsaVerifyRaw that TLS uses). Loads the same Wasm file as the door.

type RawExports = {
  memory: WebAssembly.Memory;
  arena(n: number): number;
  ecKeygenPublic(curve: number, priv: number, out: number): number;
  ecdsaVerifyDer(curve: number, h: number, hLen: number, pub: number, pubLen: number, sig: number, sigLen: number): number;
  ecdsaVerifyRaw(curve: number, h: number, hLen: number, pub: number, r: number, s: number): number;
};
let rawModule: RawExports | null = null;
function raw(): RawExports {
  return (rawModule ??= c.instantiateRaw() as unknown as RawExports);
}
/** Copies inputs into the module's arena; returns their pointers and a pointer to `outLen` spare bytes. */
function place(inputs: Uint8Array[], outLen: number): { ptrs: number[]; out: number } {
  return c.placeIn(raw() as unknown as c.Exports, inputs, outLen);
}
const curveId = (curve: Curve): number => (curve === 'p256' ? 0 : 1);
/** ecKeygenPublic: the uncompressed public key, or null when the scalar is rejected. */
function keygen(curve: Curve, priv: Uint8Array): Uint8Array | null {
  const { ptrs, out } = place([priv], 97);
  const n = raw().ecKeygenPublic(curveId(curve), ptrs[0], out);
  return n < 0 ? null : new Uint8Array(raw().memory.buffer, out, n).slice();
}
/** ecdsaVerifyDer: DER signature over a caller-supplied digest. */
function verifyDigestDer(curve: Curve, digest: Uint8Array, pub: Uint8Array, sig: Uint8Array): boolean {
  const { ptrs } = place([digest, pub, sig], 0);
  return raw().ecdsaVerifyDer(curveId(curve), ptrs[0], digest.length, ptrs[1], pub.length, ptrs[2], sig.length) === 1;
}
/** ecdsaVerifyRaw: fixed-length r and s (L bytes each) over a digest. */
function verifyDigestRaw(curve: Curve, digest: Uint8Array, pub: Uint8Array, r: Uint8Array, s: Uint8Array): boolean {
  const { ptrs } = place([digest, pub, r, s], 0);
  return raw().ecdsaVerifyRaw(curveId(curve), ptrs[0], digest.length, ptrs[1], ptrs[2], ptrs[3]) === 1;
}

// ---------------------------------------------------------------------------------------------
// DER helpers

function derLen(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  if (n < 0x100) return Uint8Array.of(0x81, n);
  return Uint8Array.of(0x82, n >> 8, n & 0xff);
}
function derUint(x: bigint): Uint8Array {
  let b = hex(x.toString(16).padStart(2 * Math.ceil(x.toString(16).length / 2), '0'));
  if (b[0] & 0x80) b = cat(Uint8Array.of(0), b);
  return cat(Uint8Array.of(2), derLen(b.length), b);
}
const derSeq = (...items: Uint8Array[]): Uint8Array => {
  const body = cat(...items);
  return cat(Uint8Array.of(0x30), derLen(body.length), body);
};
const derSig = (r: bigint, s: bigint): Uint8Array => derSeq(derUint(r), derUint(s));
/** Splits a DER signature produced by node into r and s. */
function parseSig(sig: Uint8Array): { r: bigint; s: bigint } {
  let o = sig[1] & 0x80 ? 2 + (sig[1] & 0x7f) : 2;
  const rl = sig[o + 1];
  const r = big(sig.subarray(o + 2, o + 2 + rl));
  o += 2 + rl;
  const sl = sig[o + 1];
  return { r, s: big(sig.subarray(o + 2, o + 2 + sl)) };
}

// ---------------------------------------------------------------------------------------------
// 1. Wycheproof

const ECDH_FILES: [string, Curve][] = [
  ['ecdh_secp256r1_ecpoint_test.json', 'p256'],
  ['ecdh_secp384r1_ecpoint_test.json', 'p384'],
];

describe('Wycheproof ECDH (ecpoint encoding)', () => {
  for (const [file, curve] of ECDH_FILES) {
    it(`${file}: every valid vector gives the expected secret, every invalid one is rejected, CompressedPublic (acceptable) is rejected`, () => {
      const wf = loadWycheproof(file);
      let count = 0, valid = 0, invalid = 0, acceptable = 0;
      const lengths = new Set<number>();
      for (const g of wf.testGroups) {
        for (const t of g.tests) {
          count++;
          const priv = hex(t.private);
          lengths.add(priv.length);
          const got = c.ecdh(curve, priv, hex(t.public));
          const id = `tcId ${t.tcId} (${t.comment})`;
          if (t.result === 'valid') {
            valid++;
            expect(got && toHex(got), id).toBe(t.shared);
          } else if (t.result === 'invalid') {
            invalid++;
            expect(got, id).toBeNull();
          } else {
            // Decision: compressed points are not supported (uncompressed only, as in TLS 1.3).
            expect(t.flags, id).toContain('CompressedPublic');
            acceptable++;
            expect(got, id).toBeNull();
          }
        }
      }
      expect(count).toBe(wf.numberOfTests);
      expect(acceptable).toBe(1);
      expect(valid + invalid + acceptable).toBe(count);
      // Private keys shorter than L and with a leading 00 byte are both present and handled.
      expect([...lengths].sort((a, b) => a - b)).toEqual([1, L[curve] - 3, L[curve], L[curve] + 1]);
    });
  }
});

const ECDSA_FILES: [string, Curve][] = [
  ['ecdsa_secp256r1_sha256_test.json', 'p256'],
  ['ecdsa_secp384r1_sha256_test.json', 'p384'],
  ['ecdsa_secp384r1_sha384_test.json', 'p384'],
];

describe('Wycheproof ECDSA verification (DER signatures)', () => {
  for (const [file, curve] of ECDSA_FILES) {
    it(`${file}: every valid signature verifies and every invalid one (BER, bad DER, out-of-range r/s, wrong values) fails`, () => {
      const wf = loadWycheproof(file);
      let count = 0, valid = 0, invalid = 0;
      for (const g of wf.testGroups) {
        expect(g.publicKey.curve).toBe(curve === 'p256' ? 'secp256r1' : 'secp384r1');
        const hash = WP_HASH[g.sha];
        const pub = hex(g.publicKey.uncompressed);
        for (const t of g.tests) {
          count++;
          const ok = c.ecdsaVerify(curve, hash, pub, hex(t.msg), hex(t.sig));
          const id = `tcId ${t.tcId} (${t.comment}) [${t.flags}]`;
          // These files have no "acceptable" cases; anything else would need a decision here.
          expect(['valid', 'invalid'], id).toContain(t.result);
          if (t.result === 'valid') valid++;
          else invalid++;
          expect(ok, id).toBe(t.result === 'valid');
        }
      }
      expect(count).toBe(wf.numberOfTests);
      expect(valid).toBeGreaterThan(100);
      expect(invalid).toBeGreaterThan(300);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// 2. Known answers

describe('RFC 5903 ECDH known answers', () => {
  const VECTORS: { curve: Curve; i: string; gi: string; r: string; gr: string; z: string }[] = [
    {
      curve: 'p256',
      i: 'C88F01F510D9AC3F70A292DAA2316DE544E9AAB8AFE84049C62A9C57862D1433',
      gi: '04DAD0B65394221CF9B051E1FECA5787D098DFE637FC90B9EF945D0C3772581180' +
        '5271A0461CDB8252D61F1C456FA3E59AB1F45B33ACCF5F58389E0577B8990BB3',
      r: 'C6EF9C5D78AE012A011164ACB397CE2088685D8F06BF9BE0B283AB46476BEE53',
      gr: '04D12DFB5289C8D4F81208B70270398C342296970A0BCCB74C736FC7554494BF63' +
        '56FBF3CA366CC23E8157854C13C58D6AAC23F046ADA30F8353E74F33039872AB',
      z: 'D6840F6B42F6EDAFD13116E0E12565202FEF8E9ECE7DCE03812464D04B9442DE',
    },
    {
      curve: 'p384',
      i: '099F3C7034D4A2C699884D73A375A67F7624EF7C6B3C0F160647B67414DCE655E35B538041E649EE3FAEF896783AB194',
      gi: '04667842D7D180AC2CDE6F74F37551F55755C7645C20EF73E31634FE72B4C55EE6DE3AC808ACB4BDB4C88732AEE95F41AA' +
        '9482ED1FC0EEB9CAFC4984625CCFC23F65032149E0E144ADA024181535A0F38EEB9FCFF3C2C947DAE69B4C634573A81C',
      r: '41CB0779B4BDB85D47846725FBEC3C9430FAB46CC8DC5060855CC9BDA0AA2942E0308312916B8ED2960E4BD55A7448FC',
      gr: '04E558DBEF53EECDE3D3FCCFC1AEA08A89A987475D12FD950D83CFA41732BC509D0D1AC43A0336DEF96FDA41D0774A3571' +
        'DCFBEC7AACF3196472169E838430367F66EEBE3C6E70C416DD5F0C68759DD1FFF83FA40142209DFF5EAAD96DB9E6386C',
      z: '11187331C279962D93D604243FD592CB9D0A926F422E47187521287E7156C5C4D603135569B9E9D09CF5D4A270F59746',
    },
  ];
  for (const v of VECTORS) {
    it(`${v.curve}: key generation gives g^i and g^r, and both sides derive the published secret`, () => {
      expect(toHex(keygen(v.curve, hex(v.i))!)).toBe(v.gi.toLowerCase());
      expect(toHex(keygen(v.curve, hex(v.r))!)).toBe(v.gr.toLowerCase());
      expect(toHex(c.ecdh(v.curve, hex(v.i), hex(v.gr))!)).toBe(v.z.toLowerCase());
      expect(toHex(c.ecdh(v.curve, hex(v.r), hex(v.gi))!)).toBe(v.z.toLowerCase());
    });
  }
});

describe('RFC 6979 ECDSA known answers (verification of the published signatures)', () => {
  const KEYS: Record<Curve, { x: string; ux: string; uy: string }> = {
    p256: {
      x: 'C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721',
      ux: '60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6',
      uy: '7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299',
    },
    p384: {
      x: '6B9D3DAD2E1B8C1C05B19875B6659F4DE23C3B667BF297BA9AA47740787137D896D5724E4C70A825F872C9EA60D2EDF5',
      ux: 'EC3A4E415B4E19A4568618029F427FA5DA9A8BC4AE92E02E06AAE5286B300C64DEF8F0EA9055866064A254515480BC13',
      uy: '8015D9B72D7D57244EA8EF9AC0C621896708A59367F9DFB9F54CA84B3F1C9DB1288B231C3AE0D4FE7344FD2533264720',
    },
  };
  const SIGS: { curve: Curve; hash: Hash; msg: string; r: string; s: string }[] = [
    { curve: 'p256', hash: 'sha256', msg: 'sample', r: 'EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716', s: 'F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8' },
    { curve: 'p256', hash: 'sha256', msg: 'test', r: 'F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367', s: '019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083' },
    { curve: 'p256', hash: 'sha384', msg: 'sample', r: '0EAFEA039B20E9B42309FB1D89E213057CBF973DC0CFC8F129EDDDC800EF7719', s: '4861F0491E6998B9455193E34E7B0D284DDD7149A74B95B9261F13ABDE940954' },
    { curve: 'p256', hash: 'sha512', msg: 'sample', r: '8496A60B5E9B47C825488827E0495B0E3FA109EC4568FD3F8D1097678EB97F00', s: '2362AB1ADBE2B8ADF9CB9EDAB740EA6049C028114F2460F96554F61FAE3302FE' },
    { curve: 'p384', hash: 'sha256', msg: 'sample', r: '21B13D1E013C7FA1392D03C5F99AF8B30C570C6F98D4EA8E354B63A21D3DAA33BDE1E888E63355D92FA2B3C36D8FB2CD', s: 'F3AA443FB107745BF4BD77CB3891674632068A10CA67E3D45DB2266FA7D1FEEBEFDC63ECCD1AC42EC0CB8668A4FA0AB0' },
    { curve: 'p384', hash: 'sha384', msg: 'sample', r: '94EDBB92A5ECB8AAD4736E56C691916B3F88140666CE9FA73D64C4EA95AD133C81A648152E44ACF96E36DD1E80FABE46', s: '99EF4AEB15F178CEA1FE40DB2603138F130E740A19624526203B6351D0A3A94FA329C145786E679E7B82C71A38628AC8' },
    { curve: 'p384', hash: 'sha384', msg: 'test', r: '8203B63D3C853E8D77227FB377BCF7B7B772E97892A80F36AB775D509D7A5FEB0542A7F0812998DA8F1DD3CA3CF023DB', s: 'DDD0760448D42D8A43AF45AF836FCE4DE8BE06B485E9B61B827C2F13173923E06A739F040649A667BF3B828246BAA5A5' },
    { curve: 'p384', hash: 'sha512', msg: 'sample', r: 'ED0959D5880AB2D869AE7F6C2915C6D60F96507F9CB3E047C0046861DA4A799CFE30F35CC900056D7C99CD7882433709', s: '512C8CCEEE3890A84058CE1E22DBC2198F42323CE8ACA9135329F03C068E5112DC7CC3EF3446DEFCEB01A45C2667FDD5' },
  ];
  for (const curve of CURVES) {
    it(`${curve}: key generation from the RFC private key gives the published public key`, () => {
      const k = KEYS[curve];
      expect(toHex(keygen(curve, hex(k.x))!)).toBe(('04' + k.ux + k.uy).toLowerCase());
    });
  }
  for (const v of SIGS) {
    it(`${v.curve} ${v.hash} "${v.msg}": the published signature verifies, and fails for another message`, () => {
      const k = KEYS[v.curve];
      const pub = hex('04' + k.ux + k.uy);
      const sig = derSig(BigInt('0x' + v.r), BigInt('0x' + v.s));
      const msg = new TextEncoder().encode(v.msg);
      expect(c.ecdsaVerify(v.curve, v.hash, pub, msg, sig)).toBe(true);
      expect(c.ecdsaVerify(v.curve, v.hash, pub, new TextEncoder().encode(v.msg + '!'), sig)).toBe(false);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// 3. Differential tests against node:crypto

const ECDH_ROUNDS: Record<Curve, number> = { p256: 2000, p384: 1000 };

describe('differential ECDH and key generation vs node:crypto (seeded)', () => {
  for (const curve of CURVES) {
    it(`${curve}: ${ECDH_ROUNDS[curve]} random key pairs give node's shared secret and node's public keys`, () => {
      const rng = new TestRng(0xec00 + L[curve]);
      for (let i = 0; i < ECDH_ROUNDS[curve]; i++) {
        const a = randomScalar(rng, curve);
        const b = randomScalar(rng, curve);
        const pubA = nodePublic(curve, a);
        const pubB = nodePublic(curve, b);
        if (i % 3 === 0) expect(toHex(keygen(curve, a)!), `keygen #${i} ${toHex(a)}`).toBe(toHex(pubA));
        const z = c.ecdh(curve, a, pubB);
        expect(z && toHex(z), `ecdh #${i} ${toHex(a)} ${toHex(pubB)}`).toBe(toHex(nodeSecret(curve, a, pubB)));
      }
    });
  }
});

const MSG_SIZES = [0, 1, 55, 56, 63, 64, 65, 111, 112, 127, 128, 129, 1000, 16 * 1024 + 1];
const SIG_ROUNDS: Record<Curve, number> = { p256: 2000, p384: 1000 };

describe('differential ECDSA verification vs node:crypto signatures (seeded keys and messages)', () => {
  for (const curve of CURVES) {
    it(`${curve}: ${SIG_ROUNDS[curve]} node signatures (SHA-256/384/512, edge message sizes) verify; mutated message, r, s, key or hash fail`, () => {
      const rng = new TestRng(0xd5a0 + L[curve]);
      const hashes: Hash[] = ['sha256', 'sha384', 'sha512'];
      let keys = nodeKeyObjects(curve, randomScalar(rng, curve));
      const other = nodeKeyObjects(curve, randomScalar(rng, curve));
      for (let i = 0; i < SIG_ROUNDS[curve]; i++) {
        if (i % 10 === 0) keys = nodeKeyObjects(curve, randomScalar(rng, curve));
        const hash = hashes[i % 3];
        const msg = rng.bytes(MSG_SIZES[i % MSG_SIZES.length]);
        const sig = new Uint8Array(crypto.sign(hash, msg, { key: keys.priv, dsaEncoding: 'der' }));
        const id = `#${i} ${hash} msg=${toHex(msg).slice(0, 64)} sig=${toHex(sig)}`;
        expect(c.ecdsaVerify(curve, hash, keys.raw, msg, sig), id).toBe(true);
        // Mutations, rotating so that each round costs at most two extra verifications.
        const { r, s } = parseSig(sig);
        const { n } = PARAMS[curve];
        switch (i % 5) {
          case 0: {
            const m2 = msg.length ? msg.slice() : Uint8Array.of(0);
            if (msg.length) m2[rng.int(m2.length)] ^= 1 << rng.int(8);
            expect(c.ecdsaVerify(curve, hash, keys.raw, m2, sig), id + ' message bit flip').toBe(false);
            break;
          }
          case 1:
            expect(c.ecdsaVerify(curve, hash, keys.raw, msg, derSig(r ^ (1n << BigInt(rng.int(8 * L[curve] - 1))), s)), id + ' r bit flip').toBe(false);
            break;
          case 2:
            expect(c.ecdsaVerify(curve, hash, keys.raw, msg, derSig(r, s ^ (1n << BigInt(rng.int(8 * L[curve] - 1))))), id + ' s bit flip').toBe(false);
            break;
          case 3:
            expect(c.ecdsaVerify(curve, hash, other.raw, msg, sig), id + ' other key').toBe(false);
            expect(c.ecdsaVerify(curve, hashes[(i + 1) % 3], keys.raw, msg, sig), id + ' other hash').toBe(false);
            break;
          case 4: {
            // (r, n - s) is the same signature "malleated": ECDSA accepts it, and so does node.
            const mall = derSig(r, n - s);
            const nodeSays = crypto.verify(hash, msg, { key: keys.pub, dsaEncoding: 'der' }, mall);
            expect(nodeSays).toBe(true);
            expect(c.ecdsaVerify(curve, hash, keys.raw, msg, mall), id + ' high/low s').toBe(true);
            break;
          }
        }
      }
    });
  }
});

describe('digest-level API used by TLS (ecdsaVerifyDer, ecdsaVerifyRaw) vs node:crypto', () => {
  for (const curve of CURVES) {
    it(`${curve}: node signatures over SHA-1/256/384/512 digests verify as DER and as raw r || s (IEEE P1363); digest bits beyond 8L are ignored; a changed digest or r, s out of range fail`, () => {
      const rng = new TestRng(0xd16e + L[curve]);
      const { n } = PARAMS[curve];
      const len = L[curve];
      for (let i = 0; i < 24; i++) {
        const keys = nodeKeyObjects(curve, randomScalar(rng, curve));
        const hash = ['sha1', 'sha256', 'sha384', 'sha512'][i % 4];
        const msg = rng.bytes(rng.int(300));
        const digest = new Uint8Array(crypto.createHash(hash).update(msg).digest());
        const der = new Uint8Array(crypto.sign(hash, msg, { key: keys.priv, dsaEncoding: 'der' }));
        const p1363 = new Uint8Array(crypto.sign(hash, msg, { key: keys.priv, dsaEncoding: 'ieee-p1363' }));
        const r = p1363.subarray(0, len), s = p1363.subarray(len);
        const id = `#${i} ${hash} ${toHex(digest)}`;
        expect(verifyDigestDer(curve, digest, keys.raw, der), id).toBe(true);
        expect(verifyDigestRaw(curve, digest, keys.raw, r, s), id).toBe(true);
        const used = Math.min(digest.length, len); // bits2int keeps the leftmost 8L bits only
        const d2 = digest.slice();
        d2[rng.int(used)] ^= 1 << rng.int(8);
        expect(verifyDigestDer(curve, d2, keys.raw, der), id).toBe(false);
        expect(verifyDigestRaw(curve, d2, keys.raw, r, s), id).toBe(false);
        if (digest.length > len) {
          const d3 = digest.slice();
          d3[len + rng.int(digest.length - len)] ^= 1; // beyond the truncation point: still valid
          expect(verifyDigestRaw(curve, d3, keys.raw, r, s), id).toBe(true);
        }
        if (i === 0) {
          expect(verifyDigestRaw(curve, digest, keys.raw, new Uint8Array(len), s)).toBe(false);
          expect(verifyDigestRaw(curve, digest, keys.raw, r, bytes(n, len))).toBe(false);
          expect(verifyDigestRaw(curve, digest, keys.raw, r, bytes(n - big(s), len))).toBe(true);
          // A digest longer than the order is truncated to its leftmost 8L bits (bits2int).
          expect(verifyDigestDer(curve, cat(digest.length >= len ? digest.subarray(0, len) : digest, Uint8Array.of(0xff)), keys.raw, der)).toBe(digest.length >= len);
        }
      }
    });
  }
});

// ---------------------------------------------------------------------------------------------
// 4. Edge cases

describe('ECDH scalar and key-length rules', () => {
  for (const curve of CURVES) {
    const len = L[curve];
    const { n } = PARAMS[curve];
    const rng = new TestRng(0x5ca1 + len);
    const peerPriv = randomScalar(rng, curve);
    const peer = nodePublic(curve, peerPriv);

    it(`${curve}: private scalars 0, n, n + 1 and 2^(8L) - 1 are rejected by ecdh and key generation`, () => {
      for (const k of [0n, n, n + 1n, (1n << BigInt(8 * len)) - 1n]) {
        expect(c.ecdh(curve, bytes(k, len), peer), k.toString(16)).toBeNull();
        expect(keygen(curve, bytes(k, len)), k.toString(16)).toBeNull();
      }
    });

    it(`${curve}: scalars 1, 2 and n - 1 match node (d = 1 gives Q's own x, d = n - 1 gives x of -Q = Q's x)`, () => {
      const qx = toHex(peer.subarray(1, 1 + len));
      expect(toHex(c.ecdh(curve, bytes(1n, len), peer)!)).toBe(qx);
      expect(toHex(c.ecdh(curve, bytes(n - 1n, len), peer)!)).toBe(qx);
      expect(toHex(c.ecdh(curve, bytes(2n, len), peer)!)).toBe(toHex(nodeSecret(curve, bytes(2n, len), peer)));
      expect(toHex(keygen(curve, bytes(n - 1n, len))!)).toBe(toHex(nodePublic(curve, bytes(n - 1n, len))));
    });

    it(`${curve}: keys shorter than L are zero-extended, leading zero bytes are ignored, a nonzero extra byte or an empty key is rejected`, () => {
      const d = randomScalar(rng, curve);
      const want = toHex(nodeSecret(curve, d, peer));
      expect(toHex(c.ecdh(curve, cat(Uint8Array.of(0, 0), d), peer)!)).toBe(want);
      const short = Uint8Array.of(0x01, 0x02, 0x03);
      expect(toHex(c.ecdh(curve, short, peer)!)).toBe(toHex(nodeSecret(curve, bytes(0x010203n, len), peer)));
      expect(c.ecdh(curve, cat(Uint8Array.of(1), d), peer)).toBeNull();
      expect(c.ecdh(curve, new Uint8Array(0), peer)).toBeNull();
      expect(c.ecdh(curve, new Uint8Array(len + 5), peer)).toBeNull();
    });
  }
});

describe('public point decoding (ECDH and ECDSA)', () => {
  for (const curve of CURVES) {
    const len = L[curve];
    const { p } = PARAMS[curve];
    const rng = new TestRng(0x9017 + len);
    const d = randomScalar(rng, curve);
    const good = nodePublic(curve, d);
    const gx = big(good.subarray(1, 1 + len));
    const gy = big(good.subarray(1 + len));
    const sigKey = nodeKeyObjects(curve, d);
    const msg = rng.bytes(20);
    const sig = new Uint8Array(crypto.sign('sha256', msg, { key: sigKey.priv, dsaEncoding: 'der' }));

    const bad: [string, Uint8Array][] = [
      ['infinity (single 00 byte)', Uint8Array.of(0)],
      ['empty', new Uint8Array(0)],
      ['compressed form of a valid point', cat(Uint8Array.of(2 + Number(gy & 1n)), bytes(gx, len))],
      ['hybrid form (06/07) of a valid point', cat(Uint8Array.of(6 + Number(gy & 1n)), good.subarray(1))],
      ['wrong prefix 05', cat(Uint8Array.of(5), good.subarray(1))],
      ['truncated by one byte', good.subarray(0, good.length - 1)],
      ['one extra byte', cat(good, Uint8Array.of(0))],
      ['y off the curve (y + 1)', encodePoint(curve, gx, (gy + 1n) % p)],
      ['x = p (out of range)', encodePoint(curve, p, gy)],
      ['the point of the other curve', nodePublic(curve === 'p256' ? 'p384' : 'p256', bytes(5n, curve === 'p256' ? 48 : 32))],
    ];
    // A valid point with a tiny x, re-encoded with x + p: on the curve modulo p, but not canonical.
    const small = smallXPoint(curve);
    if (small.x + p < 1n << BigInt(8 * len)) bad.push(['x + p for a point with small x', encodePoint(curve, small.x + p, small.y)]);

    it(`${curve}: ECDH rejects ${bad.length} malformed or invalid public points, and accepts the valid ones`, () => {
      expect(c.ecdh(curve, d, good)).not.toBeNull();
      expect(toHex(c.ecdh(curve, d, encodePoint(curve, small.x, small.y))!)).toBe(
        toHex(nodeSecret(curve, d, encodePoint(curve, small.x, small.y))),
      );
      for (const [name, pt] of bad) expect(c.ecdh(curve, d, pt), name).toBeNull();
    });

    it(`${curve}: ECDSA rejects the same points, including non-canonical encodings of the signer's own key that a lax decoder would accept`, () => {
      expect(c.ecdsaVerify(curve, 'sha256', good, msg, sig)).toBe(true);
      // Each of these carries the signer's (x, y) or x: accepting the encoding would make it verify.
      const own: [string, Uint8Array][] = [
        ['compressed', cat(Uint8Array.of(2 + Number(gy & 1n)), bytes(gx, len))],
        ['hybrid', cat(Uint8Array.of(6 + Number(gy & 1n)), good.subarray(1))],
        ['prefix 05', cat(Uint8Array.of(5), good.subarray(1))],
        ['trailing byte', cat(good, Uint8Array.of(0))],
        ['leading 00 byte', cat(Uint8Array.of(0), good)],
      ];
      for (const [name, pt] of [...own, ...bad]) expect(c.ecdsaVerify(curve, 'sha256', pt, msg, sig), name).toBe(false);
    });
  }
});

describe('ECDSA r, s range and strict DER', () => {
  for (const curve of CURVES) {
    const len = L[curve];
    const { n } = PARAMS[curve];
    const rng = new TestRng(0xde40 + len);
    const keys = nodeKeyObjects(curve, randomScalar(rng, curve));
    const msg = rng.bytes(33);
    const sig = new Uint8Array(crypto.sign('sha256', msg, { key: keys.priv, dsaEncoding: 'der' }));
    const { r, s } = parseSig(sig);
    const verify = (der: Uint8Array) => c.ecdsaVerify(curve, 'sha256', keys.raw, msg, der);

    it(`${curve}: r or s equal to 0 or n, or r + n / s + n (same value mod n) are rejected`, () => {
      expect(verify(derSig(r, s))).toBe(true);
      for (const [rr, ss] of [[0n, s], [r, 0n], [n, s], [r, n], [r + n, s], [r, s + n], [0n, 0n]]) {
        expect(verify(derSig(rr, ss)), `${rr.toString(16)} ${ss.toString(16)}`).toBe(false);
      }
    });

    it(`${curve}: DER variants that encode the same (r, s) are rejected (long-form, non-minimal lengths, BER indefinite length, leading zeros)`, () => {
      const ri = derUint(r), si = derUint(s);
      const body = cat(ri, si);
      const withZero = (x: bigint) => {
        const v = derUint(x).subarray(2);
        const z = cat(Uint8Array.of(0), v);
        return cat(Uint8Array.of(2, z.length), z);
      };
      const variants: [string, Uint8Array][] = [
        ['sequence length in long form 81', cat(Uint8Array.of(0x30, 0x81, body.length), body)],
        ['sequence length in long form 82 00', cat(Uint8Array.of(0x30, 0x82, 0, body.length), body)],
        ['BER indefinite sequence length', cat(Uint8Array.of(0x30, 0x80), body, Uint8Array.of(0, 0))],
        ['r length in long form', derSeq(cat(Uint8Array.of(2, 0x81, ri.length - 2), ri.subarray(2)), si)],
        ['superfluous leading zero in r', derSeq(withZero(r), si)],
        ['superfluous leading zero in s', derSeq(ri, withZero(s))],
      ];
      for (const [name, der] of variants) expect(verify(der), name).toBe(false);
    });

    it(`${curve}: malformed DER is rejected (trailing bytes, wrong lengths, wrong tags, negative values, missing or extra elements)`, () => {
      const ri = derUint(r), si = derUint(s);
      const neg = (x: bigint) => {
        // Two's complement negative encoding of a value with the sign bit set.
        const v = bytes(x, len);
        v[0] |= 0x80;
        return cat(Uint8Array.of(2, len), v);
      };
      const variants: [string, Uint8Array][] = [
        ['empty', new Uint8Array(0)],
        ['trailing zero byte', cat(sig, Uint8Array.of(0))],
        ['sequence length one too long', cat(Uint8Array.of(0x30, sig[1] + 1), sig.subarray(2), Uint8Array.of(0))],
        ['sequence length one too short', cat(Uint8Array.of(0x30, sig[1] - 1), sig.subarray(2))],
        ['SET tag instead of SEQUENCE', cat(Uint8Array.of(0x31), sig.subarray(1))],
        ['BIT STRING tag for r', derSeq(cat(Uint8Array.of(3), ri.subarray(1)), si)],
        ['only r', derSeq(ri)],
        ['r, s and an extra INTEGER', derSeq(ri, si, derUint(1n))],
        ['r, s and a trailing NULL inside the sequence', derSeq(ri, si, Uint8Array.of(5, 0))],
        ['empty INTEGER for s', derSeq(ri, Uint8Array.of(2, 0))],
        ['negative r', derSeq(neg(r), si)],
        ['r too long (L + 1 value bytes)', derSeq(cat(Uint8Array.of(2, len + 1, 1), bytes(r, len)), si)],
        ['s and r swapped', derSig(s, r)],
      ];
      for (const [name, der] of variants) expect(verify(der), name).toBe(false);
      expect(verify(sig)).toBe(true);
    });
  }
});
