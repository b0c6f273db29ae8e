// Certificate signature AlgorithmIdentifiers (RFC 5280 4.1.1.2, RFC 4055, RFC 5758).
//
// Accepted: ecdsa-with-SHA256/384/512 (parameters absent), sha256/384/512WithRSAEncryption
// (parameters NULL or absent, as RFC 4055 section 5 requires verifiers to accept), and RSASSA-PSS
// whose parameters name SHA-256/384/512 with MGF1 over the same hash, any salt length and the
// trailer field 1. Refused with a reason (the certificate still parses, the verdict is Invalid when
// it is used): MD2, MD5, SHA-1 and SHA-224 signatures, PSS with a SHA-1 (default) hash or a
// different MGF1 hash, and anything else (Ed25519, DSA, unknown OIDs).
import { Reader, TAG_SEQUENCE, TAG_NULL, ctxCons, oidToString } from "./der";
import {
  isOid, OID_SHA256_RSA, OID_SHA384_RSA, OID_SHA512_RSA, OID_SHA1_RSA, OID_MD5_RSA, OID_MD2_RSA,
  OID_SHA224_RSA, OID_RSASSA_PSS, OID_MGF1, OID_ECDSA_SHA256, OID_ECDSA_SHA384, OID_ECDSA_SHA512,
  OID_ECDSA_SHA1, OID_ECDSA_SHA224, OID_SHA256, OID_SHA384, OID_SHA512, OID_SHA1, OID_ED25519, OID_ED448,
  OID_DSA,
} from "./oid";
import { HASH_SHA256, HASH_SHA384, HASH_SHA512 } from "../crypto/sha2";

export const SIG_REFUSED: i32 = 0;
export const SIG_ECDSA: i32 = 1;
export const SIG_RSA_PKCS1: i32 = 2;
export const SIG_RSA_PSS: i32 = 3;

/** A parsed signature algorithm. kind == SIG_REFUSED means "recognised or not, not accepted". */
export class SigAlg {
  kind: i32 = SIG_REFUSED;
  hashId: i32 = HASH_SHA256;
  saltLen: i32 = 0;
  /** For messages, e.g. "sha256WithRSAEncryption", "RSASSA-PSS (SHA-384, salt 48)". */
  name: string = "";
  /** Why it is refused ("" when accepted). */
  refusal: string = "";
}

function hashName(id: i32): string {
  return id == HASH_SHA256 ? "SHA-256" : id == HASH_SHA384 ? "SHA-384" : "SHA-512";
}

function refuse(a: SigAlg, name: string, why: string): SigAlg {
  a.kind = SIG_REFUSED;
  a.name = name;
  a.refusal = why;
  return a;
}

/** Skips what is left of an AlgorithmIdentifier whose parameters we do not interpret. */
function skipRest(r: Reader): void {
  while (!r.atEnd()) r.readAny();
}

/** Parameters must be absent (ECDSA) or, when allowNull, NULL. */
function readNoParams(r: Reader, allowNull: bool): void {
  if (allowNull && r.peekTag() == TAG_NULL) r.readNull();
  r.expectEnd("AlgorithmIdentifier");
}

/**
 * Hash AlgorithmIdentifier inside PSS parameters: SHA-256/384/512 -> hash id, SHA-1 -> -2,
 * anything else -> -1. Parameters may be NULL or absent (RFC 4055 2.1).
 */
function readHashAlg(seq: Reader): i32 {
  const oid = seq.readOid();
  if (seq.peekTag() == TAG_NULL) seq.readNull();
  seq.expectEnd("hash AlgorithmIdentifier");
  if (isOid(oid, OID_SHA256)) return HASH_SHA256;
  if (isOid(oid, OID_SHA384)) return HASH_SHA384;
  if (isOid(oid, OID_SHA512)) return HASH_SHA512;
  if (isOid(oid, OID_SHA1)) return -2;
  return -1;
}

/**
 * Parses the content of an AlgorithmIdentifier SEQUENCE (alg = its reader). Structural errors
 * fail the parse; a well-formed but unacceptable algorithm is returned with kind SIG_REFUSED.
 */
export function readSignatureAlgorithm(alg: Reader): SigAlg {
  const a = new SigAlg();
  const oid = alg.readOid();
  if (alg.failed) return refuse(a, "?", "malformed algorithm");
  if (isOid(oid, OID_ECDSA_SHA256) || isOid(oid, OID_ECDSA_SHA384) || isOid(oid, OID_ECDSA_SHA512)) {
    readNoParams(alg, false);
    a.kind = SIG_ECDSA;
    a.hashId = isOid(oid, OID_ECDSA_SHA256) ? HASH_SHA256 : isOid(oid, OID_ECDSA_SHA384) ? HASH_SHA384 : HASH_SHA512;
    a.name = a.hashId == HASH_SHA256 ? "ecdsa-with-SHA256" : a.hashId == HASH_SHA384 ? "ecdsa-with-SHA384" : "ecdsa-with-SHA512";
    return a;
  }
  if (isOid(oid, OID_SHA256_RSA) || isOid(oid, OID_SHA384_RSA) || isOid(oid, OID_SHA512_RSA)) {
    readNoParams(alg, true);
    a.kind = SIG_RSA_PKCS1;
    a.hashId = isOid(oid, OID_SHA256_RSA) ? HASH_SHA256 : isOid(oid, OID_SHA384_RSA) ? HASH_SHA384 : HASH_SHA512;
    a.name = a.hashId == HASH_SHA256 ? "sha256WithRSAEncryption" : a.hashId == HASH_SHA384 ? "sha384WithRSAEncryption" : "sha512WithRSAEncryption";
    return a;
  }
  if (isOid(oid, OID_RSASSA_PSS)) return readPss(alg, a);
  skipRest(alg);
  if (isOid(oid, OID_SHA1_RSA)) return refuse(a, "sha1WithRSAEncryption", "SHA-1 is not accepted");
  if (isOid(oid, OID_ECDSA_SHA1)) return refuse(a, "ecdsa-with-SHA1", "SHA-1 is not accepted");
  if (isOid(oid, OID_MD5_RSA)) return refuse(a, "md5WithRSAEncryption", "MD5 is not accepted");
  if (isOid(oid, OID_MD2_RSA)) return refuse(a, "md2WithRSAEncryption", "MD2 is not accepted");
  if (isOid(oid, OID_SHA224_RSA)) return refuse(a, "sha224WithRSAEncryption", "SHA-224 is not accepted");
  if (isOid(oid, OID_ECDSA_SHA224)) return refuse(a, "ecdsa-with-SHA224", "SHA-224 is not accepted");
  if (isOid(oid, OID_ED25519)) return refuse(a, "Ed25519", "Ed25519 signatures are not supported");
  if (isOid(oid, OID_ED448)) return refuse(a, "Ed448", "Ed448 signatures are not supported");
  if (isOid(oid, OID_DSA)) return refuse(a, "DSA", "DSA signatures are not supported");
  const dotted = oidToString(oid.ptr(), oid.remaining);
  return refuse(a, dotted, "unsupported signature algorithm " + dotted);
}

/** RSASSA-PSS-params (RFC 4055 3.1); every field is EXPLICITly tagged. */
function readPss(alg: Reader, a: SigAlg): SigAlg {
  const params = alg.read(TAG_SEQUENCE);
  alg.expectEnd("AlgorithmIdentifier");
  let hash = -2; // DEFAULT sha1
  let mgfHash = -2; // DEFAULT mgf1SHA1
  let salt = 20;
  const h = params.readOptional(ctxCons(0));
  if (h != null) {
    const seq = h.read(TAG_SEQUENCE);
    h.expectEnd("hashAlgorithm");
    hash = readHashAlg(seq);
  }
  const m = params.readOptional(ctxCons(1));
  if (m != null) {
    const seq = m.read(TAG_SEQUENCE);
    m.expectEnd("maskGenAlgorithm");
    const mgfOid = seq.readOid();
    const inner = seq.read(TAG_SEQUENCE);
    seq.expectEnd("maskGenAlgorithm");
    mgfHash = readHashAlg(inner);
    if (!alg.failed && !isOid(mgfOid, OID_MGF1)) return refuse(a, "RSASSA-PSS", "RSASSA-PSS with a mask generation function other than MGF1 is not supported");
  }
  const s = params.readOptional(ctxCons(2));
  if (s != null) {
    salt = s.readSmallUint();
    s.expectEnd("saltLength");
  }
  const t = params.readOptional(ctxCons(3));
  if (t != null) {
    const trailer = t.readSmallUint();
    t.expectEnd("trailerField");
    if (!alg.failed && trailer != 1) return refuse(a, "RSASSA-PSS", "RSASSA-PSS trailer field must be 1");
  }
  params.expectEnd("RSASSA-PSS-params");
  if (alg.failed) return refuse(a, "RSASSA-PSS", "malformed RSASSA-PSS parameters");
  if (hash == -2) return refuse(a, "RSASSA-PSS (SHA-1)", "SHA-1 is not accepted");
  if (hash < 0) return refuse(a, "RSASSA-PSS", "RSASSA-PSS with an unsupported hash");
  if (mgfHash != hash) return refuse(a, "RSASSA-PSS (" + hashName(hash) + ")", "RSASSA-PSS must use MGF1 with the same hash as the signature");
  if (salt > 1024) return refuse(a, "RSASSA-PSS", "RSASSA-PSS salt length too large");
  a.kind = SIG_RSA_PSS;
  a.hashId = hash;
  a.saltLen = salt;
  a.name = "RSASSA-PSS (" + hashName(hash) + ", salt " + salt.toString() + ")";
  return a;
}
