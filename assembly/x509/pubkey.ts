// SubjectPublicKeyInfo (RFC 5280 4.1.2.7, RFC 3279, RFC 5480) and signature verification with it.
//
// Supported keys: rsaEncryption (parameters NULL; n of 1024..8192 bits, e odd and >= 3) and
// id-ecPublicKey on P-256 or P-384 (namedCurve; an uncompressed point that is on the curve).
// Everything else (P-521, explicit curve parameters, Ed25519, DSA, id-RSASSA-PSS keys, ...) is
// "unsupported": parseSpki returns null with the reason in lastKeyError, and `malformed` tells a
// structural error (bad DER) from a well-formed key we do not support.
//
// Policy (RSA >= 2048 bits in a verified chain) is the verifier's, not this file's: leafPublicKey
// deliberately accepts RSA-1024 for connections that skip verification.
import { DerCtx, Reader, TAG_SEQUENCE, TAG_NULL, TAG_OID, oidToString } from "./der";
import { isOid, OID_RSA_ENCRYPTION, OID_EC_PUBLIC_KEY, OID_P256, OID_P384, OID_P521, OID_ED25519, OID_ED448, OID_DSA, OID_RSASSA_PSS } from "./oid";
import { SigAlg, SIG_ECDSA, SIG_RSA_PKCS1, SIG_RSA_PSS } from "./sigalg";
import { hashLen, HASH_SHA256, HASH_SHA384, HASH_SHA512 } from "../crypto/sha2";
import { ecdsaVerifyMessage } from "../crypto/ec/ecdsa";
import { decodePoint } from "../crypto/ec/curve";
import { P256, P384, CURVE_P256, CURVE_P384, MAX_FL } from "../crypto/ec/field";
import { rsaPkcs1VerifyMessage, rsaPssVerifyMessage, RSA_MIN_MODULUS_BITS, RSA_MAX_MODULUS_BITS } from "../crypto/rsa/rsa";

export const KEY_RSA: i32 = 1;
export const KEY_EC_P256: i32 = 2;
export const KEY_EC_P384: i32 = 3;

/** Why the last parseSpki returned null. */
export let lastKeyError: string = "";
/** Whether that failure was malformed DER (true) or an unsupported key (false). */
export let lastKeyMalformed: bool = false;

const POINT_SCRATCH = memory.data(2 * MAX_FL);

/** A parsed public key: RSA (n, e) or an EC P-256 / P-384 point. */
export class PublicKey {
  /** KEY_RSA, KEY_EC_P256 or KEY_EC_P384. */
  kind: i32 = 0;
  /** RSA modulus bits, or 256 / 384. */
  bits: i32 = 0;
  /** RSA modulus (big-endian, no leading zero byte). */
  n: Uint8Array = new Uint8Array(0);
  /** RSA public exponent (big-endian, no leading zero byte). */
  e: Uint8Array = new Uint8Array(0);
  /** EC point, uncompressed (0x04 || X || Y). */
  point: Uint8Array = new Uint8Array(0);

  /** "RSA-2048", "EC P-256", "EC P-384". */
  describe(): string {
    if (this.kind == KEY_RSA) return "RSA-" + this.bits.toString();
    return this.kind == KEY_EC_P256 ? "EC P-256" : "EC P-384";
  }

  /**
   * Verifies a TLS handshake signature over msg. scheme is the RFC 8446 SignatureScheme:
   * 0x0403 / 0x0503 / 0x0603 ecdsa_secp256r1_sha256 / secp384r1_sha384 / secp521r1_sha512,
   * 0x0804 / 0x0805 / 0x0806 rsa_pss_rsae_sha256/384/512 (salt = hash length),
   * 0x0401 / 0x0501 / 0x0601 rsa_pkcs1_sha256/384/512.
   * tls13: ECDSA schemes must match the key's curve (P-256 <-> 0x0403, P-384 <-> 0x0503; 0x0603
   * needs P-521, which is not supported) and rsa_pkcs1_* is refused (RFC 8446 4.2.3).
   * TLS 1.2 (tls13 = false): ECDSA with SHA-256/384/512 on either curve, rsa_pkcs1_* allowed.
   * Any scheme the key cannot do, and negative lengths, give false.
   */
  verifyScheme(scheme: u16, msg: usize, msgLen: i32, sig: usize, sigLen: i32, tls13: bool): bool {
    if (msgLen < 0 || sigLen < 0) return false;
    const s = <i32>scheme;
    if (s == 0x0403 || s == 0x0503 || s == 0x0603) {
      if (this.kind != KEY_EC_P256 && this.kind != KEY_EC_P384) return false;
      const hashId = s == 0x0403 ? HASH_SHA256 : s == 0x0503 ? HASH_SHA384 : HASH_SHA512;
      if (tls13) {
        if (s == 0x0603) return false;
        if ((s == 0x0403) != (this.kind == KEY_EC_P256)) return false;
      }
      return this.ecdsa(hashId, msg, msgLen, sig, sigLen);
    }
    if (this.kind != KEY_RSA) return false;
    if (s == 0x0804 || s == 0x0805 || s == 0x0806) {
      const hashId = s == 0x0804 ? HASH_SHA256 : s == 0x0805 ? HASH_SHA384 : HASH_SHA512;
      return rsaPssVerifyMessage(hashId, hashLen(hashId), this.n.dataStart, this.n.length, this.e.dataStart, this.e.length, msg, msgLen, sig, sigLen);
    }
    if (s == 0x0401 || s == 0x0501 || s == 0x0601) {
      if (tls13) return false;
      const hashId = s == 0x0401 ? HASH_SHA256 : s == 0x0501 ? HASH_SHA384 : HASH_SHA512;
      return rsaPkcs1VerifyMessage(hashId, this.n.dataStart, this.n.length, this.e.dataStart, this.e.length, msg, msgLen, sig, sigLen);
    }
    return false;
  }

  /** Verifies a certificate signature (alg from the certificate) over msg. */
  verifySigned(alg: SigAlg, msg: usize, msgLen: i32, sig: usize, sigLen: i32): bool {
    if (alg.kind == SIG_ECDSA) {
      if (this.kind != KEY_EC_P256 && this.kind != KEY_EC_P384) return false;
      return this.ecdsa(alg.hashId, msg, msgLen, sig, sigLen);
    }
    if (this.kind != KEY_RSA) return false;
    if (alg.kind == SIG_RSA_PKCS1) {
      return rsaPkcs1VerifyMessage(alg.hashId, this.n.dataStart, this.n.length, this.e.dataStart, this.e.length, msg, msgLen, sig, sigLen);
    }
    if (alg.kind == SIG_RSA_PSS) {
      return rsaPssVerifyMessage(alg.hashId, alg.saltLen, this.n.dataStart, this.n.length, this.e.dataStart, this.e.length, msg, msgLen, sig, sigLen);
    }
    return false;
  }

  /** True when the key type can produce signatures of this algorithm. */
  fits(alg: SigAlg): bool {
    if (alg.kind == SIG_ECDSA) return this.kind == KEY_EC_P256 || this.kind == KEY_EC_P384;
    return (alg.kind == SIG_RSA_PKCS1 || alg.kind == SIG_RSA_PSS) && this.kind == KEY_RSA;
  }

  private ecdsa(hashId: i32, msg: usize, msgLen: i32, sig: usize, sigLen: i32): bool {
    const curve = this.kind == KEY_EC_P256 ? CURVE_P256 : CURVE_P384;
    return ecdsaVerifyMessage(curve, hashId, this.point.dataStart, this.point.length, msg, msgLen, sig, sigLen);
  }
}

function unsupported(why: string): PublicKey | null {
  lastKeyError = why;
  lastKeyMalformed = false;
  return null;
}

function copyOut(p: usize, len: i32): Uint8Array {
  const a = new Uint8Array(len);
  if (len > 0) memory.copy(a.dataStart, p, <usize>len);
  return a;
}

/**
 * Parses a SubjectPublicKeyInfo from r (the reader positioned at it; the SEQUENCE is consumed).
 * Malformed DER fails r's parse (and returns null with lastKeyMalformed = true); a well-formed key
 * that is not supported returns null with the reason in lastKeyError.
 */
export function readSpki(r: Reader): PublicKey | null {
  const spki = r.read(TAG_SEQUENCE);
  const alg = spki.read(TAG_SEQUENCE);
  const oid = alg.readOid();
  if (r.failed) return malformed(r);
  if (isOid(oid, OID_RSA_ENCRYPTION)) {
    alg.readNull();
    alg.expectEnd("rsaEncryption AlgorithmIdentifier");
    const bits = spki.readBitString(true);
    spki.expectEnd("SubjectPublicKeyInfo");
    const rsa = bits.read(TAG_SEQUENCE);
    bits.expectEnd("RSAPublicKey");
    const n = rsa.readIntegerRaw();
    const e = rsa.readIntegerRaw();
    rsa.expectEnd("RSAPublicKey");
    if (r.failed) return malformed(r);
    if ((n.byteAt(0) & 0x80) != 0 || (e.byteAt(0) & 0x80) != 0) { r.fail("negative RSA modulus or exponent"); return malformed(r); }
    // strip the sign byte: minimal encoding leaves at most one leading zero
    let nPtr = n.ptr(), nLen = n.remaining;
    if (load<u8>(nPtr) == 0 && nLen > 1) { nPtr++; nLen--; }
    let ePtr = e.ptr(), eLen = e.remaining;
    if (load<u8>(ePtr) == 0 && eLen > 1) { ePtr++; eLen--; }
    if (load<u8>(nPtr) == 0) return unsupported("RSA modulus is zero");
    const bitLen = 8 * (nLen - 1) + (32 - <i32>clz<u32>(<u32>load<u8>(nPtr)));
    if (bitLen < RSA_MIN_MODULUS_BITS || bitLen > RSA_MAX_MODULUS_BITS) {
      return unsupported("RSA key of " + bitLen.toString() + " bits (supported: " + RSA_MIN_MODULUS_BITS.toString() + ".." + RSA_MAX_MODULUS_BITS.toString() + ")");
    }
    if ((load<u8>(nPtr + <usize>(nLen - 1)) & 1) == 0) return unsupported("RSA modulus is even");
    const eLast = <i32>load<u8>(ePtr + <usize>(eLen - 1));
    if ((eLast & 1) == 0 || (eLen == 1 && eLast < 3) || eLen > nLen) return unsupported("RSA public exponent must be odd, >= 3 and < n");
    const k = new PublicKey();
    k.kind = KEY_RSA;
    k.bits = bitLen;
    k.n = copyOut(nPtr, nLen);
    k.e = copyOut(ePtr, eLen);
    return k;
  }
  if (isOid(oid, OID_EC_PUBLIC_KEY)) {
    if (alg.peekTag() != TAG_OID) {
      while (!alg.atEnd()) alg.readAny();
      spki.readAny();
      spki.expectEnd("SubjectPublicKeyInfo");
      if (r.failed) return malformed(r);
      return unsupported("EC key with explicit or implicit curve parameters (only named P-256 and P-384 are supported)");
    }
    const curve = alg.readOid();
    alg.expectEnd("id-ecPublicKey AlgorithmIdentifier");
    const point = spki.readBitString(true);
    spki.expectEnd("SubjectPublicKeyInfo");
    if (r.failed) return malformed(r);
    let kind = 0;
    if (isOid(curve, OID_P256)) kind = KEY_EC_P256;
    else if (isOid(curve, OID_P384)) kind = KEY_EC_P384;
    else if (isOid(curve, OID_P521)) return unsupported("EC key on P-521 (supported: P-256, P-384)");
    else return unsupported("EC key on curve " + oidToString(curve.ptr(), curve.remaining) + " (supported: P-256, P-384)");
    const ok = kind == KEY_EC_P256
      ? decodePoint<P256>(POINT_SCRATCH, point.ptr(), point.remaining)
      : decodePoint<P384>(POINT_SCRATCH, point.ptr(), point.remaining);
    if (!ok) return unsupported("EC public key is not an uncompressed point on its curve");
    const k = new PublicKey();
    k.kind = kind;
    k.bits = kind == KEY_EC_P256 ? 256 : 384;
    k.point = copyOut(point.ptr(), point.remaining);
    return k;
  }
  // Some other algorithm: the structure must still be sound.
  while (!alg.atEnd()) alg.readAny();
  spki.readBitString(false);
  spki.expectEnd("SubjectPublicKeyInfo");
  if (r.failed) return malformed(r);
  if (isOid(oid, OID_ED25519)) return unsupported("Ed25519 keys are not supported");
  if (isOid(oid, OID_ED448)) return unsupported("Ed448 keys are not supported");
  if (isOid(oid, OID_DSA)) return unsupported("DSA keys are not supported");
  if (isOid(oid, OID_RSASSA_PSS)) return unsupported("id-RSASSA-PSS keys are not supported (rsaEncryption keys are)");
  return unsupported("unsupported public key algorithm " + oidToString(oid.ptr(), oid.remaining));
}

function malformed(r: Reader): PublicKey | null {
  lastKeyError = "malformed SubjectPublicKeyInfo: " + r.ctx.message();
  lastKeyMalformed = true;
  return null;
}

/** Parses a SubjectPublicKeyInfo that must fill exactly len bytes at p. */
export function parseSpki(p: usize, len: i32): PublicKey | null {
  const ctx = new DerCtx();
  const r = Reader.over(ctx, p, len);
  const k = readSpki(r);
  if (k == null) return null;
  r.expectEnd("SubjectPublicKeyInfo");
  if (ctx.failed) return malformed(r);
  return k;
}
