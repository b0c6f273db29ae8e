// RSA signature verification (assembly/crypto/rsa): RSASSA-PKCS1-v1_5 and RSASSA-PSS.
//
// 1. Every Wycheproof vector in rsa_signature_*_test.json (PKCS#1 v1.5) and rsa_pss_*_test.json.
//    Acceptable-case decision: the only "acceptable" cases are flagged MissingNull (a DigestInfo
//    whose AlgorithmIdentifier omits the NULL parameters). We verify by constructing the single DER
//    encoding WITH the NULL and comparing byte for byte, so these are rejected. RFC 8017 (9.2,
//    note 2) and RFC 8446 only produce the NULL form; accepting the other would need a second
//    construction for no interoperability gain in TLS 1.3. The PSS files have no acceptable cases.
//    The e = 3 groups (flags SmallPublicKey + SmallSignature / EdgeCaseSignature) are valid and
//    accepted: any odd e >= 3 is allowed.
// 2. Differential tests against node:crypto with keys node generates (2048 and 3072 bits with
//    e = 65537, 2048 bits with e = 3; 4096-bit keygen takes seconds on a busy machine, so 4096 is
//    covered by the Wycheproof files and by the multi-prime moduli below, which node also
//    verifies; so are odd bit lengths, which node's keygen rounds to whole bytes): node signs (PKCS#1 v1.5 and PSS with salt length = hash length, plus
//    other salt lengths), we verify; mutated signatures and messages must fail in both.
// 3. Key-shape tests with multi-prime moduli built here from small primes (so that any bit length
//    up to 8192, any exponent and even "impossible" keys can be signed quickly with BigInt CRT):
//    size limits (1024..8192 bits), exponent rules (e odd, 3 <= e < n), even moduli, unreduced
//    signatures and wrong signature lengths. Each of these builds a signature that WOULD verify
//    mathematically, so the test fails if the corresponding check is missing.
import { describe, it, expect, beforeAll } from 'vitest';
import crypto from 'node:crypto';
import * as c from '../../src/crypto-testing.ts';
import { loadWycheproof, hex, TestRng, modPow } from './vectors.ts';

type Hash = c.Hash;
const HASHES: Hash[] = ['sha256', 'sha384', 'sha512'];
const HLEN: Record<Hash, number> = { sha256: 32, sha384: 48, sha512: 64 };
const WP_HASH: Record<string, Hash> = { 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };

// ---------------------------------------------------------------------------------------------
// BigInt helpers

const big = (b: Uint8Array): bigint => (b.length === 0 ? 0n : BigInt('0x' + Buffer.from(b).toString('hex')));
function bytes(x: bigint, len: number): Uint8Array {
  const h = x.toString(16).padStart(len * 2, '0');
  if (h.length > len * 2) throw new Error('bytes: does not fit');
  return hex(h);
}
const bitLen = (x: bigint): number => x.toString(2).length;
const byteLen = (x: bigint): number => Math.ceil(bitLen(x) / 8);
function modInv(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [((a % m) + m) % m, m, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (r0 !== 1n) throw new Error('modInv: not invertible');
  return ((s0 % m) + m) % m;
}
const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : gcd(b, a % b));
function randBig(rng: TestRng, bits: number): bigint {
  return big(rng.bytes(Math.ceil(bits / 8))) & ((1n << BigInt(bits)) - 1n);
}
const SMALL_PRIMES = [3n, 5n, 7n, 11n, 13n, 17n, 19n, 23n, 29n, 31n, 37n, 41n, 43n, 47n, 53n, 59n, 61n, 67n, 71n];
function isProbablePrime(n: bigint): boolean {
  if (n < 2n) return false;
  for (const p of [2n, ...SMALL_PRIMES]) if (n % p === 0n) return n === p;
  let d = n - 1n, s = 0;
  while ((d & 1n) === 0n) { d >>= 1n; s++; }
  for (const a of SMALL_PRIMES.slice(0, 12)) {
    let x = modPow(a, d, n);
    if (x === 1n || x === n - 1n) continue;
    let comp = true;
    for (let i = 1; i < s && comp; i++) { x = (x * x) % n; if (x === n - 1n) comp = false; }
    if (comp) return false;
  }
  return true;
}
/** A prime of exactly `bits` bits (bits >= 3) with ok(p) true, drawn from the seeded rng. */
function randPrime(rng: TestRng, bits: number, ok: (p: bigint) => boolean): bigint {
  for (;;) {
    const p = randBig(rng, bits) | (1n << BigInt(bits - 1)) | 1n;
    if (ok(p) && isProbablePrime(p)) return p;
  }
}

/** A squarefree modulus that is a product of many small primes, so e-th roots are cheap (CRT). */
interface ToyKey { n: bigint; e: bigint; primes: bigint[] }
/** Builds an n of exactly `bits` bits whose prime factors p all have gcd(e, p - 1) = 1. */
function toyKey(rng: TestRng, bits: number, e: bigint, opts: { even?: boolean; pMod4is3?: boolean } = {}): ToyKey {
  for (;;) {
    const primes: bigint[] = opts.even ? [2n] : [];
    let n = opts.even ? 2n : 1n;
    const ok = (p: bigint) =>
      gcd(e, p - 1n) === 1n && !primes.includes(p) && (!opts.pMod4is3 || p % 4n === 3n);
    while (bitLen(n) < bits - 200) {
      const p = randPrime(rng, 128, ok);
      primes.push(p);
      n *= p;
    }
    // Last factor: r bits makes n*q have bits(n) + r - 1 or bits(n) + r bits; retry for exactly `bits`.
    const r = bits - bitLen(n) + 1;
    for (let tries = 0; tries < 64; tries++) {
      const q = randPrime(rng, r, ok);
      if (bitLen(n * q) === bits) return { n: n * q, e, primes: [...primes, q] };
    }
  }
}
/** m^(1/e) mod n by CRT over the toy key's primes. */
function toyRoot(key: ToyKey, m: bigint): bigint {
  let s = 0n;
  for (const p of key.primes) {
    const sp = p === 2n ? m % 2n : modPow(m % p, modInv(key.e, p - 1n), p);
    const np = key.n / p;
    s = (s + sp * np * modInv(np % p, p)) % key.n;
  }
  return s;
}

// Reference encodings (RFC 8017 9.2 and 9.1.1), written independently of the AssemblyScript.
const DIGEST_INFO: Record<Hash, string> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};
const H = (h: Hash, ...parts: Uint8Array[]) => {
  const x = crypto.createHash(h);
  for (const p of parts) x.update(p);
  return new Uint8Array(x.digest());
};
function pkcs1Encode(h: Hash, msg: Uint8Array, k: number): Uint8Array {
  const t = Buffer.concat([hex(DIGEST_INFO[h]), H(h, msg)]);
  return Buffer.concat([Buffer.from([0, 1]), Buffer.alloc(k - t.length - 3, 0xff), Buffer.from([0]), t]);
}
function mgf1(h: Hash, seed: Uint8Array, len: number): Uint8Array {
  const out: Uint8Array[] = [];
  for (let i = 0; out.length * HLEN[h] < len; i++) out.push(H(h, seed, bytes(BigInt(i), 4)));
  return Buffer.concat(out).subarray(0, len);
}
function pssEncode(h: Hash, msg: Uint8Array, salt: Uint8Array, emBits: number): Uint8Array {
  const emLen = Math.ceil(emBits / 8), hLen = HLEN[h];
  const mh = H(h, Buffer.alloc(8), H(h, msg), salt);
  const db = Buffer.concat([Buffer.alloc(emLen - salt.length - hLen - 2), Buffer.from([1]), salt]);
  const mask = mgf1(h, mh, db.length);
  for (let i = 0; i < db.length; i++) db[i] ^= mask[i];
  db[0] &= 0xff >> (8 * emLen - emBits);
  return Buffer.concat([db, mh, Buffer.from([0xbc])]);
}
function toySignPkcs1(key: ToyKey, h: Hash, msg: Uint8Array): Uint8Array {
  const k = byteLen(key.n);
  return bytes(toyRoot(key, big(pkcs1Encode(h, msg, k))), k);
}
function toySignPss(key: ToyKey, h: Hash, msg: Uint8Array, salt: Uint8Array): Uint8Array {
  const k = byteLen(key.n);
  return bytes(toyRoot(key, big(pssEncode(h, msg, salt, bitLen(key.n) - 1))), k);
}
const nBytes = (key: ToyKey) => bytes(key.n, byteLen(key.n));
const eBytes = (e: bigint) => bytes(e, byteLen(e));
function nodeKey(n: Uint8Array, e: Uint8Array): crypto.KeyObject {
  return crypto.createPublicKey({
    key: { kty: 'RSA', n: Buffer.from(n).toString('base64url'), e: Buffer.from(e).toString('base64url') },
    format: 'jwk',
  });
}
const PSS = crypto.constants.RSA_PKCS1_PSS_PADDING;

// ---------------------------------------------------------------------------------------------
// 1. Wycheproof

const PKCS1_FILES = [
  'rsa_signature_2048_sha256_test.json', 'rsa_signature_2048_sha384_test.json', 'rsa_signature_2048_sha512_test.json',
  'rsa_signature_3072_sha256_test.json', 'rsa_signature_3072_sha384_test.json',
  'rsa_signature_4096_sha256_test.json', 'rsa_signature_4096_sha384_test.json', 'rsa_signature_4096_sha512_test.json',
];
const PSS_FILES = [
  'rsa_pss_2048_sha256_mgf1_32_test.json', 'rsa_pss_2048_sha384_mgf1_48_test.json',
  'rsa_pss_3072_sha256_mgf1_32_test.json', 'rsa_pss_4096_sha256_mgf1_32_test.json',
  'rsa_pss_4096_sha384_mgf1_48_test.json', 'rsa_pss_4096_sha512_mgf1_64_test.json',
];

/** Runs one file; returns counts per result, and the acceptable cases grouped by flag. */
function runWycheproof(file: string, pss: boolean) {
  const data = loadWycheproof(file);
  const counts = { valid: 0, invalid: 0, acceptable: 0 };
  const wrong: string[] = [];
  const acceptable: Record<string, boolean[]> = {};
  for (const g of data.testGroups) {
    const h = WP_HASH[g.sha];
    expect(h, `${file}: hash ${g.sha}`).toBeDefined();
    if (pss) {
      // Our PSS always uses MGF1 with the signature hash; every Wycheproof PSS file here does too.
      expect(g.mgf).toBe('MGF1');
      expect(g.mgfSha).toBe(g.sha);
    }
    const n = hex(g.publicKey.modulus); // DER-style, with a leading 00 sign byte: stripped inside
    const e = hex(g.publicKey.publicExponent);
    for (const t of g.tests) {
      const msg = hex(t.msg), sig = hex(t.sig);
      const got = pss ? c.rsaPssVerify(h, g.sLen, n, e, msg, sig) : c.rsaPkcs1Verify(h, n, e, msg, sig);
      counts[t.result as 'valid' | 'invalid' | 'acceptable']++;
      if (t.result === 'acceptable') {
        for (const f of t.flags) (acceptable[f] ??= []).push(got);
      } else if (got !== (t.result === 'valid')) {
        wrong.push(`tc ${t.tcId} (${t.result}, ${t.flags.join(',')}: ${t.comment}) -> ${got}`);
      }
    }
  }
  expect(counts.valid + counts.invalid + counts.acceptable).toBe(data.numberOfTests);
  return { counts, wrong, acceptable };
}

describe('Wycheproof RSASSA-PKCS1-v1_5', () => {
  for (const file of PKCS1_FILES) {
    it(`${file}: every valid vector verifies, every invalid one (BER/ASN.1 tricks, wrong hash, unreduced or mis-sized signatures) is rejected, MissingNull (acceptable) is rejected`, () => {
      const { counts, wrong, acceptable } = runWycheproof(file, false);
      expect(wrong).toEqual([]);
      expect(counts.valid).toBeGreaterThan(0);
      expect(counts.invalid).toBeGreaterThan(100);
      // The only acceptable flag: DigestInfo without NULL parameters. We construct the encoding
      // with the NULL and compare, so this legacy form is rejected (see the header comment).
      expect(Object.keys(acceptable)).toEqual(['MissingNull']);
      expect(acceptable.MissingNull.every((x) => x === false)).toBe(true);
    });
  }
});

describe('Wycheproof RSASSA-PSS', () => {
  for (const file of PSS_FILES) {
    it(`${file}: every valid vector (incl. special-case hashes, all-0/all-1 salts) verifies, every modified or PKCS#1 v1.5 signature is rejected`, () => {
      const { counts, wrong, acceptable } = runWycheproof(file, true);
      expect(wrong).toEqual([]);
      expect(counts.valid).toBeGreaterThan(50);
      expect(counts.invalid).toBeGreaterThan(40);
      expect(acceptable).toEqual({}); // none in these files
    });
  }
});

// ---------------------------------------------------------------------------------------------
// 2. Differential against node:crypto with node-generated keys

interface NodeKey { name: string; bits: number; priv: crypto.KeyObject; pub: crypto.KeyObject; n: Uint8Array; e: Uint8Array }
const nodeKeys: NodeKey[] = [];
// Message sizes around the SHA-256 (64-byte) and SHA-384/512 (128-byte) block and padding
// boundaries, plus empty, 1 byte and 16 KiB + 1.
const MSG_SIZES = [0, 1, 55, 56, 64, 111, 112, 128, 129, 16385];

beforeAll(async () => {
  // RSA key generation is slow: once per file, in parallel.
  const specs: [string, number, number][] = [
    ['rsa2048', 2048, 65537], ['rsa3072', 3072, 65537], ['rsa2048e3', 2048, 3],
  ];
  const keys = await Promise.all(
    specs.map(([, bits, e]) => new Promise<crypto.KeyPairKeyObjectResult>((res, rej) =>
      crypto.generateKeyPair('rsa', { modulusLength: bits, publicExponent: e }, (err, pub, priv) =>
        err ? rej(err) : res({ publicKey: pub, privateKey: priv })))),
  );
  keys.forEach(({ publicKey, privateKey }, i) => {
    const jwk = publicKey.export({ format: 'jwk' });
    const n = new Uint8Array(Buffer.from(jwk.n!, 'base64url'));
    nodeKeys.push({
      name: specs[i][0], bits: bitLen(big(n)), priv: privateKey, pub: publicKey,
      n, e: new Uint8Array(Buffer.from(jwk.e!, 'base64url')),
    });
  });
});

function flipBit(rng: TestRng, b: Uint8Array): Uint8Array {
  const x = Uint8Array.from(b);
  const i = rng.int(x.length);
  x[i] ^= 1 << rng.int(8);
  return x;
}

describe('differential vs node:crypto (node-generated keys: 2048 and 3072 bits with e = 65537, 2048 bits with e = 3)', () => {
  it('PKCS#1 v1.5: node signatures verify for every hash and message size; a flipped signature bit or message bit fails in both', () => {
    const rng = new TestRng();
    let checked = 0;
    for (const key of nodeKeys) {
      for (const h of HASHES) {
        for (const size of MSG_SIZES) {
          const msg = rng.bytes(size);
          const sig = new Uint8Array(crypto.sign(h, msg, key.priv));
          expect(c.rsaPkcs1Verify(h, key.n, key.e, msg, sig), `${key.name} ${h} ${size}`).toBe(true);
          const badSig = flipBit(rng, sig);
          expect(c.rsaPkcs1Verify(h, key.n, key.e, msg, badSig)).toBe(crypto.verify(h, msg, key.pub, badSig));
          expect(c.rsaPkcs1Verify(h, key.n, key.e, msg, badSig)).toBe(false);
          if (size > 0) {
            const badMsg = flipBit(rng, msg);
            expect(c.rsaPkcs1Verify(h, key.n, key.e, badMsg, sig)).toBe(false);
            expect(crypto.verify(h, badMsg, key.pub, sig)).toBe(false);
          }
          // The same signature under another hash, or as PSS, must fail.
          const other = HASHES[(HASHES.indexOf(h) + 1) % 3];
          expect(c.rsaPkcs1Verify(other, key.n, key.e, msg, sig)).toBe(false);
          expect(c.rsaPssVerify(h, HLEN[h], key.n, key.e, msg, sig)).toBe(false);
          checked++;
        }
      }
    }
    expect(checked).toBe(nodeKeys.length * 3 * MSG_SIZES.length);
  });

  it('PSS (MGF1, salt length = hash length, as TLS 1.3 requires): node signatures verify; flipped bits, a wrong salt length or a wrong hash fail', () => {
    const rng = new TestRng(0x5eed + 1);
    let checked = 0;
    for (const key of nodeKeys) {
      for (const h of HASHES) {
        const sl = HLEN[h];
        for (const size of MSG_SIZES) {
          const msg = rng.bytes(size);
          const sig = new Uint8Array(crypto.sign(h, msg, { key: key.priv, padding: PSS, saltLength: sl }));
          expect(c.rsaPssVerify(h, sl, key.n, key.e, msg, sig), `${key.name} ${h} ${size}`).toBe(true);
          const badSig = flipBit(rng, sig);
          expect(c.rsaPssVerify(h, sl, key.n, key.e, msg, badSig)).toBe(false);
          expect(crypto.verify(h, msg, { key: key.pub, padding: PSS, saltLength: sl }, badSig)).toBe(false);
          if (size > 0) {
            const badMsg = flipBit(rng, msg);
            expect(c.rsaPssVerify(h, sl, key.n, key.e, badMsg, sig)).toBe(false);
            expect(crypto.verify(h, badMsg, { key: key.pub, padding: PSS, saltLength: sl }, sig)).toBe(false);
          }
          expect(c.rsaPssVerify(h, sl + 1, key.n, key.e, msg, sig)).toBe(false);
          expect(c.rsaPssVerify(h, sl - 1, key.n, key.e, msg, sig)).toBe(false);
          expect(c.rsaPkcs1Verify(h, key.n, key.e, msg, sig)).toBe(false);
          const other = HASHES[(HASHES.indexOf(h) + 2) % 3];
          expect(c.rsaPssVerify(other, HLEN[other], key.n, key.e, msg, sig)).toBe(false);
          checked++;
        }
      }
    }
    expect(checked).toBe(nodeKeys.length * 3 * MSG_SIZES.length);
  });

  it('2,000 seeded random messages signed by node with the 2048-bit keys (PKCS#1 v1.5 and PSS, all hashes) verify; the same with one flipped signature bit fails', () => {
    const rng = new TestRng(0x25a0);
    const keys = nodeKeys.filter((k) => k.bits === 2048);
    let checked = 0;
    for (let i = 0; i < 2000; i++) {
      const key = keys[i % keys.length];
      const h = HASHES[rng.int(3)];
      const msg = rng.bytes(rng.int(300));
      if (i & 1) {
        const sig = new Uint8Array(crypto.sign(h, msg, { key: key.priv, padding: PSS, saltLength: HLEN[h] }));
        expect(c.rsaPssVerify(h, HLEN[h], key.n, key.e, msg, sig), `#${i} ${key.name} ${h} PSS`).toBe(true);
        expect(c.rsaPssVerify(h, HLEN[h], key.n, key.e, msg, flipBit(rng, sig)), `#${i} flipped`).toBe(false);
      } else {
        const sig = new Uint8Array(crypto.sign(h, msg, key.priv));
        expect(c.rsaPkcs1Verify(h, key.n, key.e, msg, sig), `#${i} ${key.name} ${h} PKCS#1`).toBe(true);
        expect(c.rsaPkcs1Verify(h, key.n, key.e, msg, flipBit(rng, sig)), `#${i} flipped`).toBe(false);
      }
      checked++;
    }
    expect(checked).toBe(2000);
  });

  it('PSS with other salt lengths (0, 1, 20, maximum) verifies with the matching saltLen only; an impossible saltLen is rejected', () => {
    const rng = new TestRng(0x5eed + 2);
    for (const key of nodeKeys) {
      for (const h of HASHES) {
        const emLen = Math.ceil((key.bits - 1) / 8);
        const max = emLen - HLEN[h] - 2;
        for (const sl of [0, 1, 20, max]) {
          const msg = rng.bytes(rng.int(200));
          const sig = new Uint8Array(crypto.sign(h, msg, { key: key.priv, padding: PSS, saltLength: sl }));
          expect(c.rsaPssVerify(h, sl, key.n, key.e, msg, sig), `${key.name} ${h} salt ${sl}`).toBe(true);
          expect(c.rsaPssVerify(h, sl === 0 ? 1 : sl - 1, key.n, key.e, msg, sig)).toBe(false);
        }
        const msg = rng.bytes(10);
        const sig = new Uint8Array(crypto.sign(h, msg, { key: key.priv, padding: PSS, saltLength: max }));
        expect(c.rsaPssVerify(h, max + 1, key.n, key.e, msg, sig)).toBe(false); // emLen < hLen + sLen + 2
        expect(c.rsaPssVerify(h, -1, key.n, key.e, msg, sig)).toBe(false);
      }
    }
  });

  it('random signature values below n are rejected exactly when node rejects them (both always reject)', () => {
    const rng = new TestRng(0x5eed + 3);
    for (const key of nodeKeys) {
      const n = big(key.n);
      for (let i = 0; i < 40; i++) {
        const h = HASHES[i % 3];
        const msg = rng.bytes(rng.int(100));
        const sig = bytes(randBig(rng, key.n.length * 8) % n, key.n.length);
        const ours = i & 1 ? c.rsaPssVerify(h, HLEN[h], key.n, key.e, msg, sig) : c.rsaPkcs1Verify(h, key.n, key.e, msg, sig);
        const theirs = i & 1
          ? crypto.verify(h, msg, { key: key.pub, padding: PSS, saltLength: HLEN[h] }, sig)
          : crypto.verify(h, msg, key.pub, sig);
        expect(ours).toBe(theirs);
        expect(ours).toBe(false);
      }
    }
  });

  it('a signature with a prepended zero byte or a dropped first byte is rejected; leading zeros on n and e are ignored', () => {
    for (const key of nodeKeys) {
      const msg = new TextEncoder().encode('lengths');
      const sig = new Uint8Array(crypto.sign('sha256', msg, key.priv));
      expect(c.rsaPkcs1Verify('sha256', key.n, key.e, msg, sig)).toBe(true);
      expect(c.rsaPkcs1Verify('sha256', key.n, key.e, msg, Buffer.concat([Buffer.from([0]), sig]))).toBe(false);
      expect(c.rsaPkcs1Verify('sha256', key.n, key.e, msg, sig.subarray(1))).toBe(false);
      // Leading zero bytes on the MODULUS and EXPONENT are fine (DER-style encodings carry one).
      expect(c.rsaPkcs1Verify('sha256', Buffer.concat([Buffer.from([0, 0]), key.n]), key.e, msg, sig)).toBe(true);
      expect(c.rsaPkcs1Verify('sha256', key.n, Buffer.concat([Buffer.from([0]), key.e]), msg, sig)).toBe(true);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 3. Key shapes, sizes and exponents (multi-prime toy moduli signed with BigInt CRT)

describe('key shapes and exponents (multi-prime moduli signed here with BigInt)', () => {
  it('moduli of 1024..8192 bits (odd lengths, 1 mod 8 for the PSS emLen = k - 1 case, 8192) verify for PKCS#1 and PSS, with various e; node agrees', () => {
    const rng = new TestRng(0x5eed + 4);
    const sizes = [1024, 1025, 1031, 1057, 1536, 2047, 2048, 2049, 2056, 2081, 3071, 3072, 3073, 4095, 4096, 4097, 6144, 8191, 8192];
    const exps = [3n, 17n, 65537n, 0x1_0000_0001n];
    for (const [i, bits] of sizes.entries()) {
      const e = exps[i % exps.length];
      const key = toyKey(rng, bits, e);
      expect(bitLen(key.n)).toBe(bits);
      const n = nBytes(key), eb = eBytes(e);
      const pub = nodeKey(n, eb);
      for (const h of HASHES) {
        const msg = rng.bytes(rng.int(300));
        const s1 = toySignPkcs1(key, h, msg);
        expect(c.rsaPkcs1Verify(h, n, eb, msg, s1), `pkcs1 ${bits} ${h}`).toBe(true);
        expect(crypto.verify(h, msg, pub, s1)).toBe(true);
        expect(c.rsaPkcs1Verify(h, n, eb, msg, flipBit(rng, s1))).toBe(false);
        // Salt length = hash length, except where the key is too small for it (1024-bit SHA-512).
        const sl = Math.min(HLEN[h], Math.ceil((bits - 1) / 8) - HLEN[h] - 2);
        const s2 = toySignPss(key, h, msg, rng.bytes(sl));
        expect(c.rsaPssVerify(h, sl, n, eb, msg, s2), `pss ${bits} ${h}`).toBe(true);
        expect(crypto.verify(h, msg, { key: pub, padding: PSS, saltLength: sl }, s2)).toBe(true);
        expect(c.rsaPssVerify(h, sl, n, eb, msg, flipBit(rng, s2))).toBe(false);
      }
    }
  });

  it('PSS with modBits = 1 mod 8 (emLen = k - 1): an encoded message with a nonzero extra top byte is rejected', () => {
    const rng = new TestRng(0x5eed + 10);
    for (const bits of [1025, 2049]) {
      const key = toyKey(rng, bits, 65537n);
      const k = byteLen(key.n);
      let tested = 0;
      for (let i = 0; i < 50 && tested < 3; i++) {
        const msg = rng.bytes(16);
        const em = pssEncode('sha256', msg, rng.bytes(32), bits - 1); // k - 1 bytes
        const good = toyRoot(key, big(em));
        expect(c.rsaPssVerify('sha256', 32, nBytes(key), eBytes(65537n), msg, bytes(good, k))).toBe(true);
        const withTop = big(Buffer.concat([Buffer.from([1]), em])); // 0x01 || EM: still < n sometimes
        if (withTop >= key.n) continue;
        const s = bytes(toyRoot(key, withTop), k);
        expect(modPow(big(s), 65537n, key.n)).toBe(withTop); // sanity
        expect(c.rsaPssVerify('sha256', 32, nBytes(key), eBytes(65537n), msg, s)).toBe(false);
        tested++;
      }
      expect(tested).toBe(3);
    }
  });

  it('signature + n (same byte length, so only the s < n check stops it) is rejected, for PKCS#1 and PSS', () => {
    const rng = new TestRng(0x5eed + 11);
    const key = toyKey(rng, 2047, 65537n); // n < 2^2047, so s + n < 2^2048 still fits in k = 256 bytes
    const n = nBytes(key), e = eBytes(65537n);
    const msg = rng.bytes(30);
    const s1 = toySignPkcs1(key, 'sha256', msg);
    const s2 = toySignPss(key, 'sha256', msg, rng.bytes(32));
    expect(c.rsaPkcs1Verify('sha256', n, e, msg, s1)).toBe(true);
    expect(c.rsaPssVerify('sha256', 32, n, e, msg, s2)).toBe(true);
    expect(c.rsaPkcs1Verify('sha256', n, e, msg, bytes(big(s1) + key.n, 256))).toBe(false);
    expect(c.rsaPssVerify('sha256', 32, n, e, msg, bytes(big(s2) + key.n, 256))).toBe(false);
  });

  it('large public exponents (64, 1000 and 2000 bits, all odd and < n) are exponentiated correctly', () => {
    const rng = new TestRng(0x5eed + 5);
    for (const eBits of [64, 1000, 2000]) {
      const e = randBig(rng, eBits) | (1n << BigInt(eBits - 1)) | 1n;
      const key = toyKey(rng, 2048, e);
      const msg = rng.bytes(33);
      expect(c.rsaPkcs1Verify('sha256', nBytes(key), eBytes(e), msg, toySignPkcs1(key, 'sha256', msg))).toBe(true);
      expect(c.rsaPssVerify('sha384', 48, nBytes(key), eBytes(e), msg, toySignPss(key, 'sha384', msg, rng.bytes(48)))).toBe(true);
    }
  });

  it('moduli below 1024 bits (1023, 1000) and above 8192 bits (8193) are rejected even with a signature that is mathematically valid', () => {
    const rng = new TestRng(0x5eed + 6);
    for (const bits of [1000, 1023, 8193]) {
      const key = toyKey(rng, bits, 65537n);
      const msg = rng.bytes(20);
      const s = toySignPkcs1(key, 'sha256', msg);
      // Sanity: the signature is right (node, which has no such size limits, accepts it).
      expect(crypto.verify('sha256', msg, nodeKey(nBytes(key), eBytes(65537n)), s)).toBe(true);
      expect(c.rsaPkcs1Verify('sha256', nBytes(key), eBytes(65537n), msg, s)).toBe(false);
      const p = toySignPss(key, 'sha256', msg, rng.bytes(32));
      expect(c.rsaPssVerify('sha256', 32, nBytes(key), eBytes(65537n), msg, p)).toBe(false);
    }
  });

  it('e = 1 is rejected: the encoded message itself would otherwise be a "signature"', () => {
    for (const key of nodeKeys) {
      const msg = new TextEncoder().encode('e = 1');
      const em = pkcs1Encode('sha256', msg, key.n.length);
      expect(big(em) < big(key.n)).toBe(true);
      expect(c.rsaPkcs1Verify('sha256', key.n, hex('01'), msg, em)).toBe(false);
      expect(c.rsaPkcs1Verify('sha256', key.n, hex('000001'), msg, em)).toBe(false);
      const pem = pssEncode('sha256', msg, new Uint8Array(32), key.bits - 1);
      const pemK = bytes(big(pem), key.n.length);
      expect(c.rsaPssVerify('sha256', 32, key.n, hex('01'), msg, pemK)).toBe(false);
    }
  });

  it('an even exponent (e = 4) is rejected even for a signature s with s^4 = EM mod n', () => {
    const rng = new TestRng(0x5eed + 7);
    // Primes p = 3 mod 4: a square m mod p has the square root m^((p+1)/4), itself a square, so
    // m^(((p+1)/4)^2) is a fourth root. The key's own e (3) only steers the prime choice.
    const key = toyKey(rng, 1024, 3n, { pMod4is3: true });
    // Find a message whose encoding is a square modulo every prime factor (about 1 in 2^#primes).
    let found: { msg: Uint8Array; s: Uint8Array } | null = null;
    for (let i = 0; i < 20000 && !found; i++) {
      const msg = bytes(BigInt(i), 4);
      const m = big(pkcs1Encode('sha256', msg, 128));
      if (key.primes.every((p) => modPow(m % p, (p - 1n) / 2n, p) === 1n)) {
        let s = 0n;
        for (const p of key.primes) {
          const sp = modPow(m % p, ((p + 1n) / 4n) ** 2n, p);
          const np = key.n / p;
          s = (s + sp * np * modInv(np % p, p)) % key.n;
        }
        expect(modPow(s, 4n, key.n)).toBe(m);
        found = { msg, s: bytes(s, 128) };
      }
    }
    expect(found).not.toBeNull();
    expect(c.rsaPkcs1Verify('sha256', nBytes(key), hex('04'), found!.msg, found!.s)).toBe(false);
    expect(c.rsaPkcs1Verify('sha256', nBytes(key), hex('0004'), found!.msg, found!.s)).toBe(false);
  });

  it('e >= n is rejected even when e = 3 + t * lambda(n) makes the signature mathematically valid', () => {
    const rng = new TestRng(0x5eed + 8);
    const key = toyKey(rng, 1024, 3n);
    const lambda = key.primes.reduce((l, p) => (l * (p - 1n)) / gcd(l, p - 1n), 1n);
    const t = key.n / lambda + 1n;
    const bigE = 3n + t * lambda; // odd, >= n, and s^bigE = s^3 for s coprime to n
    expect(bigE >= key.n).toBe(true);
    const msg = rng.bytes(40);
    const s = toySignPkcs1(key, 'sha256', msg);
    expect(modPow(big(s), bigE, key.n)).toBe(modPow(big(s), 3n, key.n)); // sanity
    expect(c.rsaPkcs1Verify('sha256', nBytes(key), eBytes(3n), msg, s)).toBe(true);
    expect(c.rsaPkcs1Verify('sha256', nBytes(key), eBytes(bigE), msg, s)).toBe(false);
  });

  it('an even modulus is rejected even with a mathematically valid signature', () => {
    const rng = new TestRng(0x5eed + 9);
    const key = toyKey(rng, 2048, 65537n, { even: true });
    expect(key.n % 2n).toBe(0n);
    const msg = rng.bytes(40);
    const s = toySignPkcs1(key, 'sha256', msg);
    expect(modPow(big(s), 65537n, key.n)).toBe(big(pkcs1Encode('sha256', msg, 256))); // sanity
    expect(c.rsaPkcs1Verify('sha256', nBytes(key), eBytes(65537n), msg, s)).toBe(false);
  });

  it('empty or zero exponent and empty modulus are rejected without trapping', () => {
    const key = nodeKeys[0];
    const msg = new Uint8Array(1);
    const sig = new Uint8Array(crypto.sign('sha256', msg, key.priv));
    expect(c.rsaPkcs1Verify('sha256', key.n, key.e, msg, sig)).toBe(true);
    expect(c.rsaPkcs1Verify('sha256', key.n, new Uint8Array(0), msg, sig)).toBe(false);
    expect(c.rsaPkcs1Verify('sha256', key.n, new Uint8Array(3), msg, sig)).toBe(false);
    expect(c.rsaPkcs1Verify('sha256', new Uint8Array(0), key.e, msg, sig)).toBe(false);
    expect(c.rsaPkcs1Verify('sha256', new Uint8Array(256), key.e, msg, sig)).toBe(false);
    expect(c.rsaPssVerify('sha256', 32, new Uint8Array(0), key.e, msg, new Uint8Array(0))).toBe(false);
  });
});
