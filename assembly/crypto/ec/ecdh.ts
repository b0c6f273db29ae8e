// ECDH and public-key generation on P-256 and P-384 (SEC 1, 3.3.1; NIST SP 800-56A ECC CDH).
//
// Internal API (for TLS key shares; `curve` is CURVE_P256 = 0 or CURVE_P384 = 1, L = 32 or 48):
//
//   ecdh(curve, privPtr, privLen, pubPtr, pubLen, outPtr): i32
//       shared secret = big-endian x coordinate of d * Q (L bytes at outPtr); returns L, or -1 when the
//       peer point is invalid (see decodePoint: only uncompressed, on-curve points) or the private
//       scalar is not in [1, n - 1]. The private key is a big-endian integer of any length privLen
//       >= 1: shorter keys are zero-extended and longer ones (e.g. with a leading 00 sign byte, as
//       some encoders emit) are accepted only when the extra leading bytes are zero. The length is
//       public; the value is handled in constant time.
//   ecKeygenPublic(curve, privPtr, outPtr): i32
//       public key d * G as 0x04 || X || Y (1 + 2L bytes) for an L-byte big-endian private key;
//       returns 1 + 2L, or -1 when d is 0 or >= n (then draw a new random d and retry).
//   ecScalarLen(curve), ecPointLen(curve): the byte lengths L and 1 + 2L (0 for an unknown curve).
//
// Constant time in the private key: see curve.ts (complete formulas, masked table scans, Booth
// recoding) and field.ts (Fermat inversion). The only branch that depends on the private key is the
// final "is it in [1, n - 1]" decision, i.e. the error return. Secrets are wiped before returning.

import { P256, P384, CURVE_P256, CURVE_P384, FL, MAX_FL, orderN, baseX, baseY, ltMod, fisZero, limbsToBytes } from './field';
import { decodePoint, scalarMulCT } from './curve';
import { ctIsZero32, wipe } from '../ct';

const D_K = memory.data(MAX_FL); // private scalar limbs (secret)
const D_Q = memory.data(2 * MAX_FL); // peer point, affine
const D_X = memory.data(MAX_FL); // result x (secret)
const D_Y = memory.data(MAX_FL); // result y (public key only)

/** Byte length of a scalar / coordinate: 32 for P-256, 48 for P-384, 0 otherwise. */
export function ecScalarLen(curve: i32): i32 {
  return curve == CURVE_P256 ? 32 : curve == CURVE_P384 ? 48 : 0;
}

/** Byte length of an uncompressed point: 65 for P-256, 97 for P-384, 0 otherwise. */
export function ecPointLen(curve: i32): i32 {
  const L = ecScalarLen(curve);
  return L == 0 ? 0 : 1 + 2 * L;
}

/** ECDH shared secret; see the file comment. */
export function ecdh(curve: i32, privPtr: usize, privLen: i32, pubPtr: usize, pubLen: i32, outPtr: usize): i32 {
  if (curve == CURVE_P256) return ecdhImpl<P256>(privPtr, privLen, pubPtr, pubLen, outPtr);
  if (curve == CURVE_P384) return ecdhImpl<P384>(privPtr, privLen, pubPtr, pubLen, outPtr);
  return -1;
}

/** Public key d * G, uncompressed; see the file comment. */
export function ecKeygenPublic(curve: i32, privPtr: usize, outPtr: usize): i32 {
  if (curve == CURVE_P256) return keygenImpl<P256>(privPtr, outPtr);
  if (curve == CURVE_P384) return keygenImpl<P384>(privPtr, outPtr);
  return -1;
}

/**
 * Loads a big-endian private key of `len` bytes into D_K and returns all-ones when 1 <= d <= n - 1,
 * else 0. Constant time in the key bytes (addresses and branches depend only on len).
 */
function loadScalar<C>(src: usize, len: i32): u32 {
  const L = FL<C>();
  memory.fill(D_K, 0, <usize>MAX_FL);
  let extra: u32 = 0;
  for (let j = 0; j < len; j++) {
    const b = <u32>load<u8>(src + <usize>(len - 1 - j)); // byte j counted from the least significant
    if (j < L) {
      const a = D_K + <usize>((j >> 2) << 2);
      store<u32>(a, load<u32>(a) | (b << ((j & 3) << 3)));
    } else {
      extra |= b;
    }
  }
  return ctIsZero32(extra) & ~fisZero<C>(D_K) & ltMod<C>(D_K, orderN<C>());
}

function ecdhImpl<C>(privPtr: usize, privLen: i32, pubPtr: usize, pubLen: i32, outPtr: usize): i32 {
  const L = FL<C>();
  if (privLen <= 0) return -1;
  if (!decodePoint<C>(D_Q, pubPtr, pubLen)) return -1; // public input: variable time is fine
  const ok = loadScalar<C>(privPtr, privLen);
  if (ok == 0) { // the only key-dependent branch: the error return
    wipe(D_K, MAX_FL);
    return -1;
  }
  scalarMulCT<C>(D_X, 0, D_K, D_Q, D_Q + L);
  limbsToBytes<C>(outPtr, D_X);
  wipe(D_K, MAX_FL);
  wipe(D_X, MAX_FL);
  return L;
}

function keygenImpl<C>(privPtr: usize, outPtr: usize): i32 {
  const L = FL<C>();
  const ok = loadScalar<C>(privPtr, L);
  if (ok == 0) {
    wipe(D_K, MAX_FL);
    return -1;
  }
  scalarMulCT<C>(D_X, D_Y, D_K, baseX<C>(), baseY<C>());
  store<u8>(outPtr, 0x04);
  limbsToBytes<C>(outPtr + 1, D_X);
  limbsToBytes<C>(outPtr + 1 + L, D_Y);
  wipe(D_K, MAX_FL);
  wipe(D_X, MAX_FL);
  wipe(D_Y, MAX_FL);
  return 1 + 2 * L;
}
