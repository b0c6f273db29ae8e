// RSA signature verification (RFC 8017): RSASSA-PKCS1-v1_5 (8.2.2) and RSASSA-PSS (8.1.2 / 9.1.2)
// with MGF1 over the same hash, for SHA-256, SHA-384 and SHA-512.
//
// Internal API (for TLS; all pointers are into linear memory, numbers are big-endian bytes):
//
//   rsaPkcs1Verify(hashId, nPtr, nLen, ePtr, eLen, hashPtr, sigPtr, sigLen): bool
//   rsaPssVerify(hashId, saltLen, nPtr, nLen, ePtr, eLen, hashPtr, sigPtr, sigLen): bool
//       hashPtr points at the DIGEST (hashLen(hashId) bytes) of the signed content: TLS hashes
//       the transcript elsewhere. For TLS 1.3 pass saltLen = hashLen(hashId) (RFC 8446, 4.2.3).
//   rsaPkcs1VerifyMessage(hashId, nPtr, nLen, ePtr, eLen, msgPtr, msgLen, sigPtr, sigLen): bool
//   rsaPssVerifyMessage(hashId, saltLen, nPtr, nLen, ePtr, eLen, msgPtr, msgLen, sigPtr, sigLen): bool
//       the same, hashing the message first.
//   rsaPublicOp(nPtr, nLen, ePtr, eLen, sigPtr, sigLen, out): i32
//       RSAVP1: writes s^e mod n as k = byte length of n (without leading zeros) bytes to out and
//       returns k, or returns -1 for a malformed key or signature (see the checks below).
//
// Key and signature checks (public data, so all of this may run in variable time):
//   * n: leading zero bytes are ignored; must be odd and have 1024..8192 bits. This is a
//     STRUCTURAL limit only: TLS policy (enforced by the TLS layer, later) must require >= 2048.
//   * e: leading zero bytes ignored; must be odd, >= 3 and < n (so e = 1 and even e are rejected).
//   * signature: exactly k bytes (RFC 8017 8.1.2 step 1 / 8.2.2 step 1) and, as an integer, < n.
//
// PKCS#1 v1.5 is verified by CONSTRUCTING the one valid encoding
// 0x00 0x01 FF..FF 0x00 DigestInfo(hash) and comparing all k bytes: no ASN.1 is ever parsed, so
// BER variants, garbage in parameters, short padding or trailing data (Bleichenbacher's 2006 e=3
// forgery family) cannot be accepted. The DigestInfo always carries the NULL parameters; the
// legacy form without them is rejected.
//
// Nothing here is secret: no wiping is needed for confidentiality; scratch is still zeroed when
// freed by the bignum context.

import { hashLen, hashInto, HASH_SHA256, HASH_SHA384, HASH_SHA512 } from "../sha2";
import { ctEqualBytes } from "../ct";
import { Mont } from "./bignum";

/** Smallest modulus accepted structurally (TLS policy must demand >= 2048 bits). */
export const RSA_MIN_MODULUS_BITS: i32 = 1024;
/** Largest modulus accepted. */
export const RSA_MAX_MODULUS_BITS: i32 = 8192;

// DER DigestInfo prefixes (RFC 8017 9.2, note 1): SEQUENCE { SEQUENCE { OID, NULL }, OCTET STRING }.
const DI_SHA256: usize = memory.data<u8>([
  0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20,
]);
const DI_SHA384: usize = memory.data<u8>([
  0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30,
]);
const DI_SHA512: usize = memory.data<u8>([
  0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40,
]);
const DI_PREFIX_LEN: i32 = 19;

@inline function validHash(id: i32): bool {
  return id == HASH_SHA256 || id == HASH_SHA384 || id == HASH_SHA512;
}

/** Number of leading zero bytes in the len bytes at p. */
function leadingZeros(p: usize, len: i32): i32 {
  let i = 0;
  while (i < len && load<u8>(p + <usize>i) == 0) i++;
  return i;
}

/** -1, 0, 1 comparing two big-endian byte strings of the same length. */
function cmpBytes(a: usize, b: usize, len: i32): i32 {
  for (let i = 0; i < len; i++) {
    const x = load<u8>(a + <usize>i);
    const y = load<u8>(b + <usize>i);
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Bit length of the big-endian number at p (len bytes, first byte nonzero). */
function bitLength(p: usize, len: i32): i32 {
  return 8 * (len - 1) + (32 - <i32>clz<u32>(<u32>load<u8>(p)));
}

/**
 * RSAVP1 (RFC 8017 5.2.2): m = s^e mod n, written as k bytes big-endian to out (k = byte length of
 * n without leading zeros; out must have room for it). Returns k, or -1 when the key is outside
 * the accepted range (n odd, 1024..8192 bits; e odd, 3 <= e < n) or the signature is not exactly
 * k bytes or not < n. Variable time: all inputs are public.
 */
export function rsaPublicOp(nPtr: usize, nLen: i32, ePtr: usize, eLen: i32, sigPtr: usize, sigLen: i32, out: usize): i32 {
  if (nLen <= 0 || eLen <= 0) return -1;
  const nz = leadingZeros(nPtr, nLen);
  nPtr += <usize>nz; nLen -= nz;
  if (nLen == 0) return -1;
  const bits = bitLength(nPtr, nLen);
  if (bits < RSA_MIN_MODULUS_BITS || bits > RSA_MAX_MODULUS_BITS) return -1;
  if ((load<u8>(nPtr + <usize>(nLen - 1)) & 1) == 0) return -1;

  const ez = leadingZeros(ePtr, eLen);
  ePtr += <usize>ez; eLen -= ez;
  if (eLen == 0) return -1;
  if ((load<u8>(ePtr + <usize>(eLen - 1)) & 1) == 0) return -1; // even e
  if (eLen == 1 && load<u8>(ePtr) < 3) return -1; // e = 1
  if (eLen > nLen || (eLen == nLen && cmpBytes(ePtr, nPtr, nLen) >= 0)) return -1; // e >= n

  const k = nLen;
  if (sigLen != k) return -1;
  if (cmpBytes(sigPtr, nPtr, k) >= 0) return -1; // s >= n

  const ctx = new Mont(nPtr, nLen);
  const s = ctx.slot(0); // s, normal form
  const sm = ctx.slot(1); // s * R mod n
  const x = ctx.slot(2); // accumulator
  ctx.fromBytes(s, sigPtr, sigLen);
  modPow(ctx, x, s, sm, ePtr, eLen);
  ctx.toBytes(out, k, x);
  ctx.dispose();
  return k;
}

/** Bit i (0 = least significant) of the big-endian number at p (len bytes). */
@inline function bitAt(p: usize, len: i32, i: i32): u32 {
  return (<u32>load<u8>(p + <usize>(len - 1 - (i >> 3))) >> <u32>(i & 7)) & 1;
}

/**
 * x = s^e mod n (normal form) for any e >= 1 (e at ePtr, eLen bytes, big-endian, first byte
 * nonzero), using sm as scratch for s * R. Left-to-right binary exponentiation over the PUBLIC
 * exponent (variable time). Its last step is a square followed by either a multiplication by s
 * in NORMAL form (odd e: x * s * R^-1 = s^e directly, saving the conversion out of Montgomery
 * form) or a conversion out (even e). For e = 65537 and RSA-2048: one long division (toMont),
 * 16 squarings and 1 multiplication. (The RSA checks already exclude e = 1 and even e; the
 * arithmetic stays correct for them anyway.)
 */
function modPow(ctx: Mont, x: usize, s: usize, sm: usize, ePtr: usize, eLen: i32): void {
  const eBits = bitLength(ePtr, eLen);
  if (eBits == 1) {
    memory.copy(x, s, <usize>(ctx.L << 2));
    return;
  }
  ctx.toMont(sm, s);
  memory.copy(x, sm, <usize>(ctx.L << 2));
  for (let i = eBits - 2; i >= 1; i--) {
    ctx.montSqr(x, x);
    if (bitAt(ePtr, eLen, i) != 0) ctx.montMul(x, x, sm);
  }
  ctx.montSqr(x, x);
  if (bitAt(ePtr, eLen, 0) != 0) ctx.montMul(x, x, s);
  else ctx.fromMont(x, x);
}

/** Length in bytes of n without leading zero bytes. */
function modulusBytes(nPtr: usize, nLen: i32): i32 {
  return nLen - leadingZeros(nPtr, nLen);
}

/**
 * RSASSA-PKCS1-v1_5 verification (RFC 8017 8.2.2) of a DIGEST: true iff sig is the signature of
 * the digest at hashPtr (hashLen(hashId) bytes) under (n, e). Builds the expected EMSA-PKCS1-v1_5
 * encoding (with the DigestInfo NULL parameters) and compares it with s^e mod n byte for byte.
 */
export function rsaPkcs1Verify(
  hashId: i32, nPtr: usize, nLen: i32, ePtr: usize, eLen: i32, hashPtr: usize, sigPtr: usize, sigLen: i32,
): bool {
  if (!validHash(hashId)) return false;
  const hLen = hashLen(hashId);
  const k = modulusBytes(nPtr, nLen);
  const tLen = DI_PREFIX_LEN + hLen;
  if (k < tLen + 11) return false; // "intended encoded message length too short" (9.2 step 3)
  if (sigLen != k) return false;
  const buf = heap.alloc(<usize>(2 * k));
  const em = buf;
  const expected = buf + <usize>k;
  let ok = rsaPublicOp(nPtr, nLen, ePtr, eLen, sigPtr, sigLen, em) == k;
  if (ok) {
    // EM = 0x00 || 0x01 || PS (k - tLen - 3 bytes of 0xff) || 0x00 || DigestInfo prefix || H
    const psLen = k - tLen - 3;
    store<u8>(expected, 0x00);
    store<u8>(expected + 1, 0x01);
    memory.fill(expected + 2, 0xff, <usize>psLen);
    store<u8>(expected + 2 + <usize>psLen, 0x00);
    const prefix = hashId == HASH_SHA256 ? DI_SHA256 : hashId == HASH_SHA384 ? DI_SHA384 : DI_SHA512;
    const t = expected + 3 + <usize>psLen;
    memory.copy(t, prefix, <usize>DI_PREFIX_LEN);
    memory.copy(t + <usize>DI_PREFIX_LEN, hashPtr, <usize>hLen);
    ok = ctEqualBytes(em, expected, k) == 1;
  }
  heap.free(buf);
  return ok;
}

/**
 * RSASSA-PSS verification (RFC 8017 8.1.2 with EMSA-PSS-VERIFY, 9.1.2) of a DIGEST, MGF1 with the
 * same hash and salt length saltLen (TLS 1.3: saltLen == hashLen(hashId)). modBits = bit length of
 * n, emBits = modBits - 1, emLen = ceil(emBits / 8).
 */
export function rsaPssVerify(
  hashId: i32, saltLen: i32, nPtr: usize, nLen: i32, ePtr: usize, eLen: i32, hashPtr: usize, sigPtr: usize, sigLen: i32,
): bool {
  if (!validHash(hashId) || saltLen < 0) return false;
  const hLen = hashLen(hashId);
  const k = modulusBytes(nPtr, nLen);
  if (k == 0 || sigLen != k) return false;
  const modBits = bitLength(nPtr + <usize>(nLen - k), k);
  const emBits = modBits - 1;
  const emLen = (emBits + 7) >> 3;
  if (emLen < hLen + saltLen + 2) return false; // 9.1.2 step 3: "inconsistent"

  // Scratch: k bytes for m, then MGF1 input H || counter, one MGF1 block, and M' plus H'.
  const mgfIn = k;
  const mgfOut = mgfIn + hLen + 4;
  const mPrime = mgfOut + hLen;
  const mPrimeLen = 8 + hLen + saltLen;
  const hPrime = mPrime + mPrimeLen;
  const total = hPrime + hLen;
  const buf = heap.alloc(<usize>total);
  let ok = rsaPublicOp(nPtr, nLen, ePtr, eLen, sigPtr, sigLen, buf) == k;
  // I2OSP(m, emLen): when emLen = k - 1 (modBits = 1 mod 8) the top byte of m must be zero.
  if (ok && emLen < k) ok = load<u8>(buf) == 0;
  if (ok) {
    const em = buf + <usize>(k - emLen);
    // Step 4: the last byte is 0xbc.
    ok = load<u8>(em + <usize>(emLen - 1)) == 0xbc;
    const dbLen = emLen - hLen - 1;
    const db = em; // maskedDB, unmasked in place
    const h = em + <usize>dbLen;
    // Step 6: the 8*emLen - emBits leftmost bits of maskedDB must be zero.
    const zeroBits = 8 * emLen - emBits; // 0..7
    const topMask = <u32>(0xff >> zeroBits); // bits allowed in DB[0]
    if (ok) ok = (<u32>load<u8>(db) & ~topMask & 0xff) == 0;
    if (ok) {
      // Steps 7-8: DB = maskedDB xor MGF1(H, dbLen).
      const inp = buf + <usize>mgfIn;
      const blk = buf + <usize>mgfOut;
      memory.copy(inp, h, <usize>hLen);
      let done = 0;
      for (let counter: u32 = 0; done < dbLen; counter++) {
        store<u32>(inp + <usize>hLen, bswap<u32>(counter));
        hashInto(hashId, inp, hLen + 4, blk);
        const n = min(hLen, dbLen - done);
        for (let i = 0; i < n; i++) {
          const p = db + <usize>(done + i);
          store<u8>(p, load<u8>(p) ^ load<u8>(blk + <usize>i));
        }
        done += n;
      }
      // Step 9: clear the leftmost 8*emLen - emBits bits of DB.
      store<u8>(db, <u8>(<u32>load<u8>(db) & topMask));
      // Step 10: DB = PS (zeros, emLen - hLen - sLen - 2 bytes) || 0x01 || salt.
      const psLen = emLen - hLen - saltLen - 2;
      for (let i = 0; i < psLen; i++) {
        if (load<u8>(db + <usize>i) != 0) { ok = false; break; }
      }
      if (ok) ok = load<u8>(db + <usize>psLen) == 0x01;
      if (ok) {
        // Steps 12-14: H' = Hash(0x00 x 8 || mHash || salt); compare with H.
        const mp = buf + <usize>mPrime;
        memory.fill(mp, 0, 8);
        memory.copy(mp + 8, hashPtr, <usize>hLen);
        memory.copy(mp + 8 + <usize>hLen, db + <usize>(dbLen - saltLen), <usize>saltLen);
        hashInto(hashId, mp, mPrimeLen, buf + <usize>hPrime);
        ok = ctEqualBytes(buf + <usize>hPrime, h, hLen) == 1;
      }
    }
  }
  heap.free(buf);
  return ok;
}

/** rsaPkcs1Verify over hash(message) (the message is hashed with hashId first). */
export function rsaPkcs1VerifyMessage(
  hashId: i32, nPtr: usize, nLen: i32, ePtr: usize, eLen: i32, msgPtr: usize, msgLen: i32, sigPtr: usize, sigLen: i32,
): bool {
  if (!validHash(hashId) || msgLen < 0) return false;
  const digest = heap.alloc(64);
  hashInto(hashId, msgPtr, msgLen, digest);
  const ok = rsaPkcs1Verify(hashId, nPtr, nLen, ePtr, eLen, digest, sigPtr, sigLen);
  heap.free(digest);
  return ok;
}

/** rsaPssVerify over hash(message) (the message is hashed with hashId first). */
export function rsaPssVerifyMessage(
  hashId: i32, saltLen: i32, nPtr: usize, nLen: i32, ePtr: usize, eLen: i32, msgPtr: usize, msgLen: i32,
  sigPtr: usize, sigLen: i32,
): bool {
  if (!validHash(hashId) || msgLen < 0) return false;
  const digest = heap.alloc(64);
  hashInto(hashId, msgPtr, msgLen, digest);
  const ok = rsaPssVerify(hashId, saltLen, nPtr, nLen, ePtr, eLen, digest, sigPtr, sigLen);
  heap.free(digest);
  return ok;
}
