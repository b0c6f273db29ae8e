// ECDSA signature verification on P-256 and P-384 (FIPS 186-5, 6.4.2; SEC 1, 4.1.4).
//
// Internal API (for TLS; `curve` is CURVE_P256 = 0 or CURVE_P384 = 1, L = 32 or 48):
//
//   ecdsaVerifyRaw(curve, hashPtr, hashLen, pubPtr, rPtr, sPtr): bool
//       hash = the message digest (any length; truncated to the bit length of n as in bits2int),
//       pub = uncompressed point 0x04 || X || Y (1 + 2L bytes), r and s = L-byte big-endian integers.
//   ecdsaVerifyDer(curve, hashPtr, hashLen, pubPtr, pubLen, sigPtr, sigLen): bool
//       the same with the DER signature SEQUENCE { INTEGER r, INTEGER s } (TLS CertificateVerify,
//       X.509 signatures); any length for pub (wrong lengths are rejected).
//   ecdsaVerifyMessage(curve, hashId, pubPtr, pubLen, msgPtr, msgLen, sigPtr, sigLen): bool
//       hashes the message first with SHA-256/384/512 (hashId from sha2.ts).
//
// Everything verification handles is public (key, message, signature), so this file and the code it
// calls (scalar.ts, the Jacobian half of curve.ts) run in variable time and return early on malformed
// input. No secret is involved, so nothing needs wiping.

import { hashInto, hashLen as digestLen, HASH_SHA256, HASH_SHA512 } from '../sha2';
import { P256, P384, CURVE_P256, CURVE_P384, FL, NL, MAX_FL, orderN, fisZeroVT, bytesToLimbs } from './field';
import { decodePoint, doubleMulVT, jacXEqualsModN } from './curve';
import { mulModNVT, reduceOnceVT, modInvVT, ltVT } from './scalar';

const V_Q = memory.data(2 * MAX_FL); // affine public key
const V_R = memory.data(MAX_FL);
const V_S = memory.data(MAX_FL);
const V_E = memory.data(MAX_FL);
const V_W = memory.data(MAX_FL);
const V_U1 = memory.data(MAX_FL);
const V_U2 = memory.data(MAX_FL);
const V_BYTES = memory.data(MAX_FL);
const SIG_R = memory.data(MAX_FL); // r, s as L-byte big-endian, from the DER parser
const SIG_S = memory.data(MAX_FL);
const DIGEST = memory.data(64);

/** Verifies (r, s) over a digest; r, s are L-byte big-endian. See the file comment. */
export function ecdsaVerifyRaw(curve: i32, hashPtr: usize, hashLen: i32, pubPtr: usize, rPtr: usize, sPtr: usize): bool {
  if (curve == CURVE_P256) return verifyImpl<P256>(hashPtr, hashLen, pubPtr, 65, rPtr, sPtr);
  if (curve == CURVE_P384) return verifyImpl<P384>(hashPtr, hashLen, pubPtr, 97, rPtr, sPtr);
  return false;
}

/** Verifies a DER-encoded signature over a digest. See the file comment. */
export function ecdsaVerifyDer(curve: i32, hashPtr: usize, hashLen: i32, pubPtr: usize, pubLen: i32, sigPtr: usize, sigLen: i32): bool {
  let L = 0;
  if (curve == CURVE_P256) L = 32;
  else if (curve == CURVE_P384) L = 48;
  else return false;
  if (!parseDerSignature(sigPtr, sigLen, L, SIG_R, SIG_S)) return false;
  if (curve == CURVE_P256) return verifyImpl<P256>(hashPtr, hashLen, pubPtr, pubLen, SIG_R, SIG_S);
  return verifyImpl<P384>(hashPtr, hashLen, pubPtr, pubLen, SIG_R, SIG_S);
}

/** Hashes the message with hashId (0 SHA-256, 1 SHA-384, 2 SHA-512), then verifies the DER signature. */
export function ecdsaVerifyMessage(
  curve: i32, hashId: i32, pubPtr: usize, pubLen: i32, msgPtr: usize, msgLen: i32, sigPtr: usize, sigLen: i32,
): bool {
  if (hashId < HASH_SHA256 || hashId > HASH_SHA512 || msgLen < 0) return false;
  hashInto(hashId, msgPtr, msgLen, DIGEST);
  return ecdsaVerifyDer(curve, DIGEST, digestLen(hashId), pubPtr, pubLen, sigPtr, sigLen);
}

function verifyImpl<C>(hashPtr: usize, hashLen: i32, pubPtr: usize, pubLen: i32, rPtr: usize, sPtr: usize): bool {
  const L = FL<C>();
  const N = NL<C>();
  if (hashLen < 0) return false;
  if (!decodePoint<C>(V_Q, pubPtr, pubLen)) return false;
  // 0 < r, s < n
  bytesToLimbs<C>(V_R, rPtr);
  bytesToLimbs<C>(V_S, sPtr);
  const n = orderN<C>();
  if (fisZeroVT<C>(V_R) || fisZeroVT<C>(V_S) || !ltVT(V_R, n, N) || !ltVT(V_S, n, N)) return false;
  // e = bits2int(hash) mod n: the leftmost 8L bits (the bit length of n is exactly 8L for both curves).
  memory.fill(V_BYTES, 0, <usize>L);
  if (hashLen >= L) memory.copy(V_BYTES, hashPtr, <usize>L);
  else memory.copy(V_BYTES + <usize>(L - hashLen), hashPtr, <usize>hashLen);
  bytesToLimbs<C>(V_E, V_BYTES);
  reduceOnceVT<C>(V_E); // e < 2^(8L) < 2n
  // w = s^-1, u1 = e w, u2 = r w (mod n)
  if (!modInvVT(V_W, V_S, n, N)) return false;
  mulModNVT<C>(V_U1, V_E, V_W);
  mulModNVT<C>(V_U2, V_R, V_W);
  const R = doubleMulVT<C>(V_U1, V_U2, V_Q, V_Q + L);
  return jacXEqualsModN<C>(R, V_R);
}

// ---- strict DER -------------------------------------------------------------------------------------

let derPos: i32 = 0;

/** Reads a DER length at derPos; -1 unless it is the minimal encoding (no BER indefinite form). */
function readDerLength(p: usize, end: i32): i32 {
  if (derPos >= end) return -1;
  const b0 = <i32>load<u8>(p + derPos++);
  if (b0 < 0x80) return b0;
  const nb = b0 & 0x7f;
  if (nb == 0 || nb > 2) return -1; // indefinite length, or longer than any signature
  if (derPos + nb > end) return -1;
  let len = 0;
  for (let i = 0; i < nb; i++) len = (len << 8) | <i32>load<u8>(p + derPos++);
  if (len < 0x80) return -1; // long form where the short form fits
  if (nb == 2 && len < 0x100) return -1; // leading zero length byte
  return len;
}

/** Reads INTEGER at derPos into `out` as L big-endian bytes; false unless minimal, non-negative, < 2^(8L). */
function readDerUint(p: usize, end: i32, L: i32, out: usize): bool {
  if (derPos >= end || load<u8>(p + derPos) != 0x02) return false;
  derPos++;
  const len = readDerLength(p, end);
  if (len <= 0 || len > end - derPos) return false; // empty INTEGER or truncated
  let start = derPos;
  let n = len;
  const first = load<u8>(p + start);
  if ((first & 0x80) != 0) return false; // negative
  if (first == 0 && n > 1) {
    if ((load<u8>(p + start + 1) & 0x80) == 0) return false; // superfluous leading zero
    start++;
    n--;
  }
  if (n > L) return false; // >= 2^(8L) > n
  memory.fill(out, 0, <usize>(L - n));
  memory.copy(out + <usize>(L - n), p + start, <usize>n);
  derPos += len;
  return true;
}

/**
 * Parses a DER ECDSA signature SEQUENCE { INTEGER r, INTEGER s } that must fill exactly sigLen bytes.
 * Rejects BER forms, non-minimal lengths or integers, negative integers, integers longer than L bytes
 * (after the sign byte), extra elements and trailing bytes. Writes r and s as L-byte big-endian.
 * Range checks (0 < r, s < n) are the verifier's job. Variable time: public data.
 */
export function parseDerSignature(sig: usize, sigLen: i32, L: i32, rOut: usize, sOut: usize): bool {
  if (sigLen < 2 || load<u8>(sig) != 0x30) return false;
  derPos = 1;
  const len = readDerLength(sig, sigLen);
  if (len < 0 || derPos + len != sigLen) return false; // truncated or trailing garbage
  if (!readDerUint(sig, sigLen, L, rOut)) return false;
  if (!readDerUint(sig, sigLen, L, sOut)) return false;
  return derPos == sigLen;
}
