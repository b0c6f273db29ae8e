// Test-only Wasm exports for RSA signature verification (called by src/crypto-testing.ts).
// Thin wrappers over the internal API in ../rsa/rsa.ts; the message is hashed inside.
import { rsaPkcs1VerifyMessage, rsaPssVerifyMessage } from "../rsa/rsa";

/** 1 when sig is a valid RSASSA-PKCS1-v1_5 signature of hash(msg) under (n, e), else 0. */
export function rsaPkcs1Verify(
  hashId: i32, n: usize, nLen: i32, e: usize, eLen: i32, msg: usize, msgLen: i32, sig: usize, sigLen: i32,
): i32 {
  return rsaPkcs1VerifyMessage(hashId, n, nLen, e, eLen, msg, msgLen, sig, sigLen) ? 1 : 0;
}

/** 1 when sig is a valid RSASSA-PSS (MGF1, same hash, salt length saltLen) signature of hash(msg), else 0. */
export function rsaPssVerify(
  hashId: i32, saltLen: i32, n: usize, nLen: i32, e: usize, eLen: i32, msg: usize, msgLen: i32, sig: usize, sigLen: i32,
): i32 {
  return rsaPssVerifyMessage(hashId, saltLen, n, nLen, e, eLen, msg, msgLen, sig, sigLen) ? 1 : 0;
}
