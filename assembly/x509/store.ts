// Trust anchors and trust stores.
//
// An anchor is what webpki calls a TrustAnchor: a subject Name (DER), a public key and, when the
// anchor certificate had one, its nameConstraints. Nothing else of an anchor certificate is used:
// anchors are trusted as configured, so an anchor's own validity period, basicConstraints,
// keyUsage and signature are not checked (webpki and Mozilla's store behave the same; the store's
// maintainers remove roots, not the verifier). Its name constraints ARE enforced on everything
// below it.
import { DerCtx, Reader, TAG_SEQUENCE, bytesEqual } from "./der";
import { checkName, nameToString } from "./name";
import { checkNameConstraints } from "./generalname";
import { PublicKey, readSpki, lastKeyError, lastKeyMalformed } from "./pubkey";
import { parseCertificate, lastCertError } from "./cert";
import { splitCertificates, lastPemError } from "./pem";

/** The reason the last trustStoreFrom / addTrustAnchors call failed. */
export let lastX509Error: string = "";

export function setLastX509Error(s: string): void {
  lastX509Error = s;
}

/** FNV-1a over a byte range: a quick filter before comparing subject bytes. */
export function hashBytes(p: usize, len: i32): u32 {
  let h: u32 = 0x811c9dc5;
  for (let i = 0; i < len; i++) {
    h ^= <u32>load<u8>(p + <usize>i);
    h *= 0x01000193;
  }
  return h;
}

function copyBytes(p: usize, len: i32): Uint8Array {
  const a = new Uint8Array(len);
  if (len > 0) memory.copy(a.dataStart, p, <usize>len);
  return a;
}

export class TrustAnchor {
  /** The subject Name's whole encoding. */
  subject: Uint8Array;
  subjectHash: u32;
  /** The SubjectPublicKeyInfo's whole encoding. */
  spki: Uint8Array;
  /** The NameConstraints SEQUENCE's whole encoding, or null. */
  nc: Uint8Array | null;
  /** The parsed key, or null when unsupported (keyError says why). */
  key: PublicKey | null;
  keyError: string;
  private display: string | null = null;

  constructor(subject: Uint8Array, spki: Uint8Array, nc: Uint8Array | null, key: PublicKey | null, keyError: string) {
    this.subject = subject;
    this.subjectHash = hashBytes(subject.dataStart, subject.length);
    this.spki = spki;
    this.nc = nc;
    this.key = key;
    this.keyError = keyError;
  }

  /** The subject as an RFC 4514 string. */
  displaySubject(): string {
    let s = this.display;
    if (s == null) {
      s = nameToString(this.subject.dataStart, this.subject.length);
      this.display = s;
    }
    return s;
  }
}

export class TrustStore {
  anchors: Array<TrustAnchor> = new Array<TrustAnchor>();

  get size(): i32 { return this.anchors.length; }

  /**
   * Adds an anchor from its parts (whole encodings of the subject Name, the SubjectPublicKeyInfo
   * and, when ncLen > 0, the NameConstraints SEQUENCE). The bytes are copied. Returns "" or why
   * the parts are malformed. An exact duplicate (same subject and key) is not added twice. A key
   * of an unsupported type is kept (with its reason) so that a chain ending there gets a precise
   * message instead of "unknown issuer".
   */
  addParts(sp: usize, sLen: i32, kp: usize, kLen: i32, np: usize, nLen: i32): string {
    const ctx = new DerCtx();
    const sr = Reader.over(ctx, sp, sLen);
    checkName(sr.read(TAG_SEQUENCE));
    sr.expectEnd("subject");
    if (ctx.failed) return "malformed subject: " + ctx.message();
    const kr = Reader.over(ctx, kp, kLen);
    const key = readSpki(kr);
    kr.expectEnd("SubjectPublicKeyInfo");
    if (ctx.failed || (key == null && lastKeyMalformed)) return "malformed public key: " + (ctx.failed ? ctx.message() : lastKeyError);
    if (nLen > 0) {
      const nr = Reader.over(ctx, np, nLen);
      checkNameConstraints(nr.read(TAG_SEQUENCE));
      nr.expectEnd("nameConstraints");
      if (ctx.failed) return "malformed nameConstraints: " + ctx.message();
    }
    const h = hashBytes(sp, sLen);
    for (let i = 0; i < this.anchors.length; i++) {
      const a = this.anchors[i];
      if (a.subjectHash == h && bytesEqual(a.subject.dataStart, a.subject.length, sp, sLen) &&
        bytesEqual(a.spki.dataStart, a.spki.length, kp, kLen)) return "";
    }
    this.anchors.push(new TrustAnchor(copyBytes(sp, sLen), copyBytes(kp, kLen), nLen > 0 ? copyBytes(np, nLen) : null,
      key, key == null ? lastKeyError : ""));
    return "";
  }

  /** Adds the anchor of one DER certificate; "" or why it is malformed. */
  addCertificate(der: Uint8Array): string {
    const c = parseCertificate(der, true);
    if (c == null) return "malformed certificate: " + lastCertError;
    return this.addParts(c.subjectPtr(), c.subjectLen, c.spkiPtr(), c.spkiLen,
      c.ncStart >= 0 ? c.base + <usize>c.ncStart : 0, c.ncStart >= 0 ? c.ncLen : 0);
  }

  /**
   * Adds every certificate of a blob (PEM text with CERTIFICATE blocks, or one DER certificate).
   * Returns how many, or -1 with lastX509Error naming the blob (`label`) and the certificate.
   * On failure nothing of this blob is added.
   */
  addBlob(blob: Uint8Array, label: string): i32 {
    const ders = new Array<Uint8Array>();
    if (splitCertificates(blob, ders) < 0) {
      lastX509Error = label + ": " + lastPemError;
      return -1;
    }
    // parse all first, so that a bad certificate leaves the store unchanged
    const scratch = new TrustStore();
    for (let i = 0; i < ders.length; i++) {
      const why = scratch.addCertificate(ders[i]);
      if (why.length > 0) {
        lastX509Error = label + ", certificate #" + (i + 1).toString() + " of " + ders.length.toString() + ": " + why;
        return -1;
      }
    }
    for (let i = 0; i < scratch.anchors.length; i++) this.addAnchor(scratch.anchors[i]);
    return ders.length;
  }

  /** Adds an already-built anchor unless an identical one is present. */
  addAnchor(a: TrustAnchor): void {
    for (let i = 0; i < this.anchors.length; i++) {
      const b = this.anchors[i];
      if (b.subjectHash == a.subjectHash && bytesEqual(b.subject.dataStart, b.subject.length, a.subject.dataStart, a.subject.length) &&
        bytesEqual(b.spki.dataStart, b.spki.length, a.spki.dataStart, a.spki.length)) return;
    }
    this.anchors.push(a);
  }
}

/**
 * A store of exactly these certificates (each blob: PEM text with one or more CERTIFICATE blocks,
 * or one DER certificate). null on malformed input, with lastX509Error naming the blob and why.
 */
export function trustStoreFrom(blobs: Array<Uint8Array>): TrustStore | null {
  const s = new TrustStore();
  for (let i = 0; i < blobs.length; i++) {
    if (s.addBlob(blobs[i], "trust anchor blob #" + (i + 1).toString()) < 0) return null;
  }
  lastX509Error = "";
  return s;
}
