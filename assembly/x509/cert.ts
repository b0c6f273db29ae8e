// X.509 certificate parsing (RFC 5280 section 4), strict DER, no recursion.
//
// parseCertificate keeps the certificate's bytes and records where each part is (offsets into
// them), plus the decoded extensions verification needs. It checks structure only; policy (v3,
// accepted algorithms, key sizes, validity, usages) is the verifier's (verify.ts), so that a
// certificate that is well-formed but unacceptable gets a precise message.
//
// Structural rules enforced here: the certificate fills its buffer exactly; every length and
// primitive is strict DER (der.ts); version is absent (v1) or [0] 1 / 2, never an encoded default;
// signatureAlgorithm equals tbsCertificate.signature byte for byte; validity times are strict
// (time.ts); Names are SEQUENCE OF non-empty SET OF SEQUENCE { OID, value }; extensions appear
// only in v3, the list is non-empty, no extension appears twice, each extnValue is exactly one
// element, and the extensions used for verification (basicConstraints, keyUsage,
// extendedKeyUsage, subjectAltName, nameConstraints, SKI, AKI) are fully checked.
//
// Anchor mode (asAnchor = true): for certificates given as trust anchors only the subject, the key
// and nameConstraints matter (webpki's TrustAnchor). Their signature algorithm, validity and other
// extensions are checked for DER structure only, so an old root with an MD5 self-signature or an
// unusual time encoding still loads.
import {
  DerCtx, Reader, TAG_SEQUENCE, TAG_OCTET_STRING, TAG_BOOLEAN, TAG_INTEGER, ctxCons, ctxPrim, bytesEqual, oidToString,
} from "./der";
import {
  isOid, OID_EXT_SKI, OID_EXT_KEY_USAGE, OID_EXT_SAN, OID_EXT_IAN, OID_EXT_BASIC_CONSTRAINTS,
  OID_EXT_NAME_CONSTRAINTS, OID_EXT_CRL_DP, OID_EXT_CERT_POLICIES, OID_EXT_AKI, OID_EXT_EKU, OID_EXT_AIA,
  OID_KP_SERVER_AUTH, OID_KP_CLIENT_AUTH, OID_ANY_EKU,
} from "./oid";
import { readTime, BAD_TIME } from "./time";
import { checkName, nameToString } from "./name";
import { SigAlg, readSignatureAlgorithm } from "./sigalg";
import { PublicKey, readSpki, lastKeyError, lastKeyMalformed } from "./pubkey";
import { checkGeneralName, checkNameConstraints } from "./generalname";

// keyUsage named bits (RFC 5280 4.2.1.3), as bit i of Certificate.keyUsage
export const KU_DIGITAL_SIGNATURE: i32 = 1 << 0;
export const KU_KEY_CERT_SIGN: i32 = 1 << 5;

/** Extensions a certificate may hold at most this many of (real ones have about ten). */
const MAX_EXTENSIONS: i32 = 64;

/** Why the last parseCertificate returned null. */
export let lastCertError: string = "";

/** A parsed certificate: byte ranges into `der` and the decoded fields verification uses. */
export class Certificate {
  der: Uint8Array;
  base: usize;
  /** 1, 2 or 3. */
  version: i32 = 1;
  tbsStart: i32 = 0;
  tbsLen: i32 = 0;
  sigAlg: SigAlg = new SigAlg();
  sigStart: i32 = 0;
  sigLen: i32 = 0;
  issuerStart: i32 = 0;
  issuerLen: i32 = 0;
  subjectStart: i32 = 0;
  subjectLen: i32 = 0;
  /** Number of RDNs in the subject (0 = empty subject). */
  subjectRdns: i32 = 0;
  notBefore: i64 = 0;
  notAfter: i64 = 0;
  spkiStart: i32 = 0;
  spkiLen: i32 = 0;
  key: PublicKey | null = null;
  /** Why key is null. */
  keyError: string = "";

  hasBasicConstraints: bool = false;
  isCA: bool = false;
  /** pathLenConstraint, or -1 when there is none. */
  pathLen: i32 = -1;
  /** keyUsage named bits (bit i = named bit i), or -1 when the extension is absent. */
  keyUsage: i32 = -1;
  ekuPresent: bool = false;
  ekuServerAuth: bool = false;
  ekuAny: bool = false;
  /** The EKU purposes, for messages ("clientAuth, 1.2.3.4"). */
  ekuText: string = "";
  /** Content of the subjectAltName GeneralNames SEQUENCE, or sanStart = -1 when absent. */
  sanStart: i32 = -1;
  sanLen: i32 = 0;
  /** The whole NameConstraints SEQUENCE, or ncStart = -1 when absent. */
  ncStart: i32 = -1;
  ncLen: i32 = 0;
  skiStart: i32 = -1;
  skiLen: i32 = 0;
  /** authorityKeyIdentifier keyIdentifier, or akiStart = -1. */
  akiStart: i32 = -1;
  akiLen: i32 = 0;
  /** Dotted OID of the first critical extension we do not process, or "". */
  unknownCritical: string = "";

  private subjectText: string | null = null;
  private issuerText: string | null = null;

  constructor(der: Uint8Array) {
    this.der = der;
    this.base = der.dataStart;
  }

  /** The subject as an RFC 4514 string. */
  subject(): string {
    let s = this.subjectText;
    if (s == null) {
      s = nameToString(this.base + <usize>this.subjectStart, this.subjectLen);
      this.subjectText = s;
    }
    return s;
  }

  /** The issuer as an RFC 4514 string. */
  issuer(): string {
    let s = this.issuerText;
    if (s == null) {
      s = nameToString(this.base + <usize>this.issuerStart, this.issuerLen);
      this.issuerText = s;
    }
    return s;
  }

  @inline subjectPtr(): usize { return this.base + <usize>this.subjectStart; }
  @inline issuerPtr(): usize { return this.base + <usize>this.issuerStart; }
  @inline spkiPtr(): usize { return this.base + <usize>this.spkiStart; }

  /** True when subject and issuer are the same Name (self-issued). */
  selfIssued(): bool {
    return bytesEqual(this.subjectPtr(), this.subjectLen, this.issuerPtr(), this.issuerLen);
  }
}

/** Bits of a keyUsage-style BIT STRING reader (after readBitString) as bit i = named bit i (first 16). */
function namedBits(bits: Reader): i32 {
  let v = 0;
  const n = min(bits.remaining, 2);
  for (let i = 0; i < n; i++) {
    const b = bits.byteAt(i);
    for (let j = 0; j < 8; j++) if ((b & (0x80 >> j)) != 0) v |= 1 << (i * 8 + j);
  }
  return v;
}

/**
 * Parses one DER certificate that must fill `der` exactly. Returns null with lastCertError set
 * when it is malformed. An unsupported public key is not malformed: key is null and keyError says why.
 */
export function parseCertificate(der: Uint8Array, asAnchor: bool): Certificate | null {
  const c = new Certificate(der);
  const ctx = new DerCtx();
  const top = Reader.over(ctx, c.base, der.length);
  const cert = top.read(TAG_SEQUENCE);
  top.expectEnd("Certificate");
  const tbs = cert.read(TAG_SEQUENCE);
  c.tbsStart = tbs.start;
  c.tbsLen = tbs.end - tbs.start;
  const outerAlg = cert.read(TAG_SEQUENCE);
  const sig = cert.readBitString(true);
  cert.expectEnd("Certificate");
  c.sigStart = sig.pos;
  c.sigLen = sig.remaining;

  // version [0] EXPLICIT Version DEFAULT v1
  const ver = tbs.readOptional(ctxCons(0));
  if (ver != null) {
    const v = ver.readSmallUint();
    ver.expectEnd("version");
    if (!ctx.failed) {
      if (v == 0) ver.fail("version v1 encoded explicitly (DER omits a default)");
      else if (v > 2) ver.fail("unknown certificate version " + (v + 1).toString());
      else c.version = v + 1;
    }
  }
  tbs.readIntegerRaw(); // serialNumber: only its encoding is checked
  const innerAlg = tbs.read(TAG_SEQUENCE);
  if (!ctx.failed && !bytesEqual(innerAlg.base + <usize>innerAlg.start, innerAlg.end - innerAlg.start,
    outerAlg.base + <usize>outerAlg.start, outerAlg.end - outerAlg.start)) {
    innerAlg.fail("signatureAlgorithm differs from tbsCertificate.signature");
  }
  if (asAnchor) {
    while (!outerAlg.atEnd()) outerAlg.readAny();
  } else {
    c.sigAlg = readSignatureAlgorithm(outerAlg);
  }

  const issuer = tbs.read(TAG_SEQUENCE);
  checkName(issuer);
  c.issuerStart = issuer.start;
  c.issuerLen = issuer.end - issuer.start;

  const validity = tbs.read(TAG_SEQUENCE);
  if (asAnchor) {
    validity.readAny();
    validity.readAny();
  } else {
    c.notBefore = readTime(validity);
    c.notAfter = readTime(validity);
  }
  validity.expectEnd("Validity");

  const subject = tbs.read(TAG_SEQUENCE);
  checkName(subject);
  c.subjectStart = subject.start;
  c.subjectLen = subject.end - subject.start;
  let rdns = 0;
  while (!subject.atEnd()) { subject.readAny(); rdns++; }
  c.subjectRdns = rdns;

  c.spkiStart = tbs.pos;
  c.key = readSpki(tbs);
  c.spkiLen = tbs.pos - c.spkiStart;
  if (c.key == null) {
    if (lastKeyMalformed && !ctx.failed) tbs.fail(lastKeyError);
    c.keyError = lastKeyError;
  }

  // issuerUniqueID [1] / subjectUniqueID [2] (IMPLICIT BIT STRING): allowed from v2 on, ignored
  for (let i = 1; i <= 2; i++) {
    const u = tbs.readOptional(ctxPrim(i));
    if (u != null && !ctx.failed && c.version < 2) u.fail("unique identifier in a v1 certificate");
  }
  const exts = tbs.readOptional(ctxCons(3));
  tbs.expectEnd("TBSCertificate");
  if (exts != null) {
    if (!ctx.failed && c.version != 3) exts.fail("extensions in a v" + c.version.toString() + " certificate");
    readExtensions(c, exts, asAnchor);
  }
  if (!ctx.failed && !asAnchor && (c.notBefore == BAD_TIME || c.notAfter == BAD_TIME)) top.fail("bad validity");
  if (ctx.failed) {
    lastCertError = ctx.message();
    return null;
  }
  return c;
}

// Bits of the extensions seen so far, to refuse duplicates.
const SEEN_SKI = 1, SEEN_KU = 2, SEEN_SAN = 4, SEEN_BC = 8, SEEN_NC = 16, SEEN_AKI = 32, SEEN_EKU = 64;

function readExtensions(c: Certificate, wrapper: Reader, asAnchor: bool): void {
  const list = wrapper.read(TAG_SEQUENCE);
  wrapper.expectEnd("extensions");
  if (!list.failed && list.atEnd()) { list.fail("empty extensions list"); return; }
  // OIDs seen (offset, length) for the duplicate check
  const seenAt = new Array<i32>();
  while (!list.atEnd()) {
    const ext = list.read(TAG_SEQUENCE);
    const oid = ext.readOid();
    let critical = false;
    if (ext.peekTag() == TAG_BOOLEAN) critical = ext.readBoolean(); // an explicit FALSE is tolerated
    const value = ext.read(TAG_OCTET_STRING);
    ext.expectEnd("Extension");
    if (list.failed) return;
    if (seenAt.length >= 2 * MAX_EXTENSIONS) { ext.fail("more than " + MAX_EXTENSIONS.toString() + " extensions"); return; }
    for (let i = 0; i < seenAt.length; i += 2) {
      if (bytesEqual(oid.ptr(), oid.remaining, oid.base + <usize>seenAt[i], seenAt[i + 1])) {
        ext.fail("extension " + oidToString(oid.ptr(), oid.remaining) + " appears twice");
        return;
      }
    }
    seenAt.push(oid.pos);
    seenAt.push(oid.remaining);

    if (isOid(oid, OID_EXT_NAME_CONSTRAINTS)) {
      const nc = value.read(TAG_SEQUENCE);
      value.expectEnd("nameConstraints");
      checkNameConstraints(nc);
      c.ncStart = nc.start;
      c.ncLen = nc.end - nc.start;
      continue;
    }
    if (asAnchor) {
      // Only nameConstraints matters for an anchor; the rest must merely be one element.
      value.readAny();
      value.expectEnd("extension value");
      continue;
    }
    if (isOid(oid, OID_EXT_BASIC_CONSTRAINTS)) readBasicConstraints(c, value);
    else if (isOid(oid, OID_EXT_KEY_USAGE)) readKeyUsage(c, value);
    else if (isOid(oid, OID_EXT_EKU)) readEku(c, value);
    else if (isOid(oid, OID_EXT_SAN)) readSan(c, value);
    else if (isOid(oid, OID_EXT_SKI)) {
      const ski = value.read(TAG_OCTET_STRING);
      value.expectEnd("subjectKeyIdentifier");
      c.skiStart = ski.pos;
      c.skiLen = ski.remaining;
    } else if (isOid(oid, OID_EXT_AKI)) readAki(c, value);
    else {
      // Understood without needing processing here: certificate policies (no policy processing is
      // done, as for browsers' DV certificates), CRL distribution points, authority info access,
      // issuerAltName. Anything else is unknown; critical unknown extensions fail verification.
      value.readAny();
      value.expectEnd("extension value");
      const known = isOid(oid, OID_EXT_CERT_POLICIES) || isOid(oid, OID_EXT_CRL_DP) || isOid(oid, OID_EXT_AIA) || isOid(oid, OID_EXT_IAN);
      if (critical && !known && c.unknownCritical.length == 0) c.unknownCritical = oidToString(oid.ptr(), oid.remaining);
    }
  }
}

function readBasicConstraints(c: Certificate, value: Reader): void {
  const bc = value.read(TAG_SEQUENCE);
  value.expectEnd("basicConstraints");
  c.hasBasicConstraints = true;
  if (bc.peekTag() == TAG_BOOLEAN) c.isCA = bc.readBoolean();
  if (bc.peekTag() == TAG_INTEGER) {
    const n = bc.readSmallUint();
    if (!bc.failed && !c.isCA) bc.fail("pathLenConstraint without cA");
    c.pathLen = n;
  }
  bc.expectEnd("basicConstraints");
}

function readKeyUsage(c: Certificate, value: Reader): void {
  const bits = value.readBitString(false);
  value.expectEnd("keyUsage");
  if (bits.failed) return;
  const v = namedBits(bits);
  if (v == 0) { bits.fail("keyUsage with no bit set"); return; }
  c.keyUsage = v;
}

function readEku(c: Certificate, value: Reader): void {
  const seq = value.read(TAG_SEQUENCE);
  value.expectEnd("extKeyUsage");
  if (!seq.failed && seq.atEnd()) { seq.fail("empty extKeyUsage"); return; }
  c.ekuPresent = true;
  let text = "";
  let count = 0;
  while (!seq.atEnd()) {
    const oid = seq.readOid();
    if (seq.failed) return;
    let name = "";
    if (isOid(oid, OID_KP_SERVER_AUTH)) { c.ekuServerAuth = true; name = "serverAuth"; }
    else if (isOid(oid, OID_ANY_EKU)) { c.ekuAny = true; name = "anyExtendedKeyUsage"; }
    else if (isOid(oid, OID_KP_CLIENT_AUTH)) name = "clientAuth";
    else name = oidToString(oid.ptr(), oid.remaining);
    if (count < 8) text += (count > 0 ? ", " : "") + name;
    else if (count == 8) text += ", ...";
    count++;
  }
  c.ekuText = text;
}

function readSan(c: Certificate, value: Reader): void {
  const seq = value.read(TAG_SEQUENCE);
  value.expectEnd("subjectAltName");
  if (!seq.failed && seq.atEnd()) { seq.fail("empty subjectAltName"); return; }
  c.sanStart = seq.pos;
  c.sanLen = seq.remaining;
  while (!seq.atEnd()) checkGeneralName(seq, false);
}

function readAki(c: Certificate, value: Reader): void {
  const seq = value.read(TAG_SEQUENCE);
  value.expectEnd("authorityKeyIdentifier");
  const kid = seq.readOptional(ctxPrim(0));
  if (kid != null) {
    c.akiStart = kid.pos;
    c.akiLen = kid.remaining;
  }
  seq.readOptional(ctxCons(1)); // authorityCertIssuer
  seq.readOptional(ctxPrim(2)); // authorityCertSerialNumber
  seq.expectEnd("authorityKeyIdentifier");
}
