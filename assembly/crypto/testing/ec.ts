// Test-only Wasm exports for P-256 / P-384 ECDH and ECDSA verification (called by
// src/crypto-testing.ts and test/crypto/ec.test.ts). Thin wrappers around the internal API in
// ../ec/ecdh.ts and ../ec/ecdsa.ts; not part of the component.
import { ecdh as ecdhInternal, ecKeygenPublic as ecKeygenPublicInternal } from '../ec/ecdh';
import {
  ecdsaVerifyMessage, ecdsaVerifyDer as ecdsaVerifyDerInternal, ecdsaVerifyRaw as ecdsaVerifyRawInternal,
} from '../ec/ecdsa';

/** curveId 0 = P-256, 1 = P-384. Returns the shared-secret length (32/48), or -1 when rejected. */
export function ecdh(curveId: i32, priv: usize, privLen: i32, pub: usize, pubLen: i32, out: usize): i32 {
  return ecdhInternal(curveId, priv, privLen, pub, pubLen, out);
}

/** hashId 0 = SHA-256, 1 = SHA-384, 2 = SHA-512; DER signature. Returns 1 when valid, else 0. */
export function ecdsaVerify(
  curveId: i32, hashId: i32, pub: usize, pubLen: i32, msg: usize, msgLen: i32, sig: usize, sigLen: i32,
): i32 {
  return ecdsaVerifyMessage(curveId, hashId, pub, pubLen, msg, msgLen, sig, sigLen) ? 1 : 0;
}

// The exports below are not wrapped by the JS door; test/crypto/ec.test.ts calls them directly.

/** d * G as an uncompressed point (65/97 bytes at out); returns its length or -1. */
export function ecKeygenPublic(curveId: i32, priv: usize, out: usize): i32 {
  return ecKeygenPublicInternal(curveId, priv, out);
}

/** DER signature over a caller-supplied digest of any length. 1 valid, 0 not. */
export function ecdsaVerifyDer(curveId: i32, hash: usize, hashLen: i32, pub: usize, pubLen: i32, sig: usize, sigLen: i32): i32 {
  return ecdsaVerifyDerInternal(curveId, hash, hashLen, pub, pubLen, sig, sigLen) ? 1 : 0;
}

/** Fixed-length big-endian r and s (L bytes each) over a digest; pub is 1 + 2L bytes. 1 valid, 0 not. */
export function ecdsaVerifyRaw(curveId: i32, hash: usize, hashLen: i32, pub: usize, r: usize, s: usize): i32 {
  return ecdsaVerifyRawInternal(curveId, hash, hashLen, pub, r, s) ? 1 : 0;
}
