// Test-only Wasm exports for certificate verification (called by src/crypto-testing.ts, x509
// section). Thin wrappers over assembly/x509's public API plus a few internal helpers (time, names,
// DNS matching) for unit tests. Strings are returned as pointers to AssemblyScript strings, kept
// alive until the next call that returns one.
//
// A "list" argument is: u32 count, then per item u32 length + bytes (little-endian lengths).
import {
  CertStatus, ChainResult, TrustStore, trustStoreFrom, lastX509Error, builtinTrustStore, addTrustAnchors,
  builtinAnchorCount, verifyServerChain, leafPublicKey,
} from "../index";
import { parseCertificate, lastCertError } from "../cert";
import { SIG_REFUSED } from "../sigalg";
import { nameToString } from "../name";
import { parseTimeContent, formatTime, BAD_TIME } from "../time";
import { DerCtx, Reader } from "../der";
import { dnsMatches, referenceBytes } from "../hostname";

let kept: string = "";

function keep(s: string): usize {
  kept = s;
  return changetype<usize>(kept);
}

function readList(p: usize, len: i32): Array<Uint8Array> {
  const out = new Array<Uint8Array>();
  if (len < 4) return out;
  const count = load<u32>(p);
  let pos: i32 = 4;
  for (let i: u32 = 0; i < count; i++) {
    if (pos + 4 > len) break;
    const n = <i32>load<u32>(p + <usize>pos);
    pos += 4;
    if (n < 0 || pos + n > len) break;
    const a = new Uint8Array(n);
    memory.copy(a.dataStart, p + <usize>pos, <usize>n);
    out.push(a);
    pos += n;
  }
  return out;
}

function copyIn(p: usize, len: i32): Uint8Array {
  const a = new Uint8Array(len);
  if (len > 0) memory.copy(a.dataStart, p, <usize>len);
  return a;
}

const stores = new Array<TrustStore>();

/** A store from a list of blobs: its handle (>= 1), or 0 with x509LastError() saying why. */
export function x509StoreFrom(p: usize, len: i32): i32 {
  const s = trustStoreFrom(readList(p, len));
  if (s == null) return 0;
  stores.push(s);
  return stores.length;
}

/** Number of anchors in a store (handle 0 = the built-in store). */
export function x509StoreSize(handle: i32): i32 {
  if (handle == 0) return builtinTrustStore().size;
  if (handle < 1 || handle > stores.length) return -1;
  return stores[handle - 1].size;
}

/** lastX509Error. */
export function x509LastError(): usize {
  return keep(lastX509Error);
}

/** How many anchors were compiled in. */
export function x509BuiltinCount(): i32 {
  return builtinAnchorCount();
}

/** addTrustAnchors on the built-in store. */
export function x509AddTrustAnchors(p: usize, len: i32): i32 {
  return addTrustAnchors(copyIn(p, len));
}

/**
 * verifyServerChain. ipLen < 0: no IP (dns is the reference); store: handle, 0 = built-in.
 * Returns "status\x01message\x01leafKeyKind:bits\x01subject1\x01subject2...".
 */
export function x509Verify(certs: usize, certsLen: i32, dns: usize, dnsLen: i32, ip: usize, ipLen: i32, now: i64, store: i32): usize {
  const list = readList(certs, certsLen);
  const dnsName = String.UTF8.decodeUnsafe(dns, <usize>max(dnsLen, 0));
  const ipBytes: Uint8Array | null = ipLen >= 0 ? copyIn(ip, ipLen) : null;
  let s: TrustStore;
  if (store == 0) s = builtinTrustStore();
  else if (store >= 1 && store <= stores.length) s = stores[store - 1];
  else return keep("bad store handle");
  const r: ChainResult = verifyServerChain(list, dnsName, ipBytes, now, s);
  const k = r.leafKey;
  let out = (<i32>r.status).toString() + "\x01" + r.message + "\x01" + (k != null ? k.kind.toString() + ":" + k.bits.toString() : "");
  for (let i = 0; i < r.subjects.length; i++) out += "\x01" + r.subjects[i];
  return keep(out);
}

/** leafPublicKey: (kind << 16) | bits, or 0 when there is no usable key. */
export function x509LeafKey(p: usize, len: i32): i32 {
  const k = leafPublicKey(copyIn(p, len));
  return k == null ? 0 : (k.kind << 16) | k.bits;
}

/** PublicKey.verifyScheme with the leaf key of the certificate; -1 when it has none. */
export function x509VerifyScheme(der: usize, derLen: i32, scheme: i32, msg: usize, msgLen: i32, sig: usize, sigLen: i32, tls13: i32): i32 {
  const k = leafPublicKey(copyIn(der, derLen));
  if (k == null) return -1;
  return k.verifyScheme(<u16>scheme, msg, msgLen, sig, sigLen, tls13 != 0) ? 1 : 0;
}

/**
 * Does issuer's key verify child's signature? 1 yes, 0 no, -1 child or issuer malformed, -2 the
 * child's signature algorithm is refused (SHA-1, ...), -3 the issuer's key is unsupported.
 */
export function x509SignedBy(child: usize, childLen: i32, issuer: usize, issuerLen: i32): i32 {
  const c = parseCertificate(copyIn(child, childLen), false);
  const i = parseCertificate(copyIn(issuer, issuerLen), true);
  if (c == null || i == null) return -1;
  if (c.sigAlg.kind == SIG_REFUSED) return -2;
  const k = i.key;
  if (k == null) return -3;
  return k.verifySigned(c.sigAlg, c.base + <usize>c.tbsStart, c.tbsLen, c.base + <usize>c.sigStart, c.sigLen) ? 1 : 0;
}

/** "" when the certificate parses (strict, or anchor mode), else the parse error. */
export function x509ParseError(p: usize, len: i32, asAnchor: i32): usize {
  const c = parseCertificate(copyIn(p, len), asAnchor != 0);
  return keep(c == null ? (lastCertError.length > 0 ? lastCertError : "?") : "");
}

/** RFC 4514 string of a Name (whole SEQUENCE). */
export function x509NameToString(p: usize, len: i32): usize {
  return keep(nameToString(p, len));
}

/** Unix seconds of a UTCTime (tag 0x17) / GeneralizedTime (0x18) content, or i64.MIN_VALUE. */
export function x509ParseTime(tag: i32, p: usize, len: i32): i64 {
  const r = Reader.over(new DerCtx(), p, len);
  const t = parseTimeContent(r, tag);
  return t == BAD_TIME ? i64.MIN_VALUE : t;
}

/** "YYYY-MM-DDTHH:MM:SSZ". */
export function x509FormatTime(t: i64): usize {
  return keep(formatTime(t));
}

/** 1 when the presented dNSName matches the reference host name, 0 when not, -1 for an unusable reference. */
export function x509DnsMatches(presented: usize, pLen: i32, ref: usize, refLen: i32): i32 {
  const r = referenceBytes(String.UTF8.decodeUnsafe(ref, <usize>max(refLen, 0)));
  if (r == null) return -1;
  return dnsMatches(presented, pLen, r) ? 1 : 0;
}

export const X509_STATUS_OK: i32 = <i32>CertStatus.Ok;
