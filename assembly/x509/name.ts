// X.501 Names: validation, display as RFC 4514 strings, and the RDN-prefix test used for
// directoryName name constraints.
//
//   Name ::= SEQUENCE OF RelativeDistinguishedName
//   RelativeDistinguishedName ::= SET SIZE (1..MAX) OF AttributeTypeAndValue
//   AttributeTypeAndValue ::= SEQUENCE { type OBJECT IDENTIFIER, value ANY }
//
// Issuer/subject matching is byte equality of the whole Name encoding (as webpki does); the
// display string is for messages only.
import {
  DerCtx, Reader, TAG_SEQUENCE, TAG_SET, TAG_UTF8_STRING, TAG_PRINTABLE_STRING, TAG_IA5_STRING,
  TAG_T61_STRING, TAG_BMP_STRING, TAG_UNIVERSAL_STRING, hex2, oidToString, bytesEqual,
} from "./der";
import {
  isOid, OID_AT_CN, OID_AT_C, OID_AT_L, OID_AT_ST, OID_AT_O, OID_AT_OU, OID_AT_STREET, OID_AT_DC,
  OID_AT_UID, OID_AT_SERIAL, OID_AT_EMAIL,
} from "./oid";

/** Longest display string produced (longer names are cut with "..."). */
const MAX_DISPLAY: i32 = 400;

/**
 * Validates the structure of the Name whose content r holds (r = the reader of the SEQUENCE):
 * every RDN a non-empty SET of SEQUENCE { OID, one element }. Fails r's parse otherwise.
 */
export function checkName(r: Reader): void {
  const rdns = new Reader(r.ctx, r.base, r.start, r.tag, r.pos, r.end);
  while (!rdns.atEnd()) {
    const set = rdns.read(TAG_SET);
    if (set.atEnd() && !set.failed) { set.fail("empty RelativeDistinguishedName"); return; }
    while (!set.atEnd()) {
      const atv = set.read(TAG_SEQUENCE);
      atv.readOid();
      atv.readAny();
      atv.expectEnd("AttributeTypeAndValue");
    }
  }
}

function attrName(oid: Reader): string {
  if (isOid(oid, OID_AT_CN)) return "CN";
  if (isOid(oid, OID_AT_O)) return "O";
  if (isOid(oid, OID_AT_OU)) return "OU";
  if (isOid(oid, OID_AT_C)) return "C";
  if (isOid(oid, OID_AT_L)) return "L";
  if (isOid(oid, OID_AT_ST)) return "ST";
  if (isOid(oid, OID_AT_STREET)) return "STREET";
  if (isOid(oid, OID_AT_DC)) return "DC";
  if (isOid(oid, OID_AT_UID)) return "UID";
  if (isOid(oid, OID_AT_SERIAL)) return "SERIALNUMBER";
  if (isOid(oid, OID_AT_EMAIL)) return "emailAddress";
  return oidToString(oid.ptr(), oid.remaining);
}

/** Appends code unit c to s with RFC 4514 escaping (first/last say where in the value it is). */
function escapeChar(c: i32, first: bool, last: bool): string {
  if (c == 0x22 || c == 0x2b || c == 0x2c || c == 0x3b || c == 0x3c || c == 0x3e || c == 0x5c) {
    return "\\" + String.fromCharCode(c);
  }
  if ((first && (c == 0x23 || c == 0x20)) || (last && c == 0x20)) return "\\" + String.fromCharCode(c);
  if (c < 0x20 || c == 0x7f) return "\\" + hex2(c); // control characters as hex pairs
  return String.fromCharCode(c);
}

/** The string value of a directory string (at most MAX_DISPLAY bytes of it), or null for a type shown as #hex. */
function decodeValue(v: Reader): string | null {
  const n = min(v.remaining, MAX_DISPLAY);
  const p = v.ptr();
  const tag = v.tag;
  if (tag == TAG_UTF8_STRING) return String.UTF8.decodeUnsafe(p, <usize>n);
  if (tag == TAG_PRINTABLE_STRING || tag == TAG_IA5_STRING || tag == TAG_T61_STRING) {
    let s = "";
    for (let i = 0; i < n; i++) s += String.fromCharCode(<i32>load<u8>(p + <usize>i)); // T61 read as Latin-1
    return s;
  }
  if (tag == TAG_BMP_STRING) {
    if ((v.remaining & 1) != 0) return null;
    let s = "";
    for (let i = 0; i < n; i += 2) s += String.fromCharCode((<i32>load<u8>(p + <usize>i) << 8) | <i32>load<u8>(p + <usize>(i + 1)));
    return s;
  }
  if (tag == TAG_UNIVERSAL_STRING) {
    if ((v.remaining & 3) != 0) return null;
    let s = "";
    for (let i = 0; i < n; i += 4) {
      const cp = (<i32>load<u8>(p + <usize>i) << 24) | (<i32>load<u8>(p + <usize>(i + 1)) << 16) |
        (<i32>load<u8>(p + <usize>(i + 2)) << 8) | <i32>load<u8>(p + <usize>(i + 3));
      if (cp < 0 || cp > 0x10ffff) return null;
      s += String.fromCodePoint(cp);
    }
    return s;
  }
  return null;
}

/**
 * RFC 4514 string of the Name encoded at p (len bytes: the whole SEQUENCE), e.g.
 * "CN=www.example.test,O=Example,C=DE" (last RDN first). Unknown attribute types are dotted OIDs,
 * values of unknown string types are "#" + hex of their encoding. A malformed Name gives
 * "<malformed name>"; an empty one "". The output is cut at about MAX_DISPLAY characters, and the
 * work done is bounded by that too (a huge hostile name costs one pass over its RDN headers).
 */
export function nameToString(p: usize, len: i32): string {
  const ctx = new DerCtx();
  const top = Reader.over(ctx, p, len);
  const seq = top.read(TAG_SEQUENCE);
  top.expectEnd("Name");
  const rdns = new Array<Reader>();
  while (!seq.atEnd()) rdns.push(seq.read(TAG_SET));
  if (ctx.failed) return "<malformed name>";
  let out = "";
  for (let i = rdns.length - 1; i >= 0; i--) {
    const set = rdns[i];
    let first = true;
    while (!set.atEnd()) {
      const atv = set.read(TAG_SEQUENCE);
      const oid = atv.readOid();
      const value = atv.readAny();
      if (ctx.failed) return "<malformed name>";
      if (!first) out += "+";
      first = false;
      out += attrName(oid) + "=";
      const s = decodeValue(value);
      if (s == null) {
        out += "#" + hex2(value.tag);
        // the rest of the value's encoding: length bytes and content
        const stop = min(value.end, value.start + 1 + MAX_DISPLAY / 2);
        for (let j = value.start + 1; j < stop; j++) out += hex2(<i32>load<u8>(value.base + <usize>j));
      } else {
        const str = s;
        const n = min(str.length, MAX_DISPLAY);
        for (let j = 0; j < n; j++) out += escapeChar(<i32>str.charCodeAt(j), j == 0, j == str.length - 1);
      }
      if (out.length > MAX_DISPLAY) return out.substring(0, MAX_DISPLAY) + "...";
    }
    if (i > 0) out += ",";
  }
  return out;
}

/** Number of RDNs in the Name at p (whole SEQUENCE), or -1 when malformed. */
export function rdnCount(p: usize, len: i32): i32 {
  const ctx = new DerCtx();
  const top = Reader.over(ctx, p, len);
  const seq = top.read(TAG_SEQUENCE);
  let n = 0;
  while (!seq.atEnd()) { seq.readAny(); n++; }
  return ctx.failed ? -1 : n;
}

/**
 * True when the Name `sub` (whole SEQUENCE at sp, sLen) lies in the subtree of `base` (whole
 * SEQUENCE at bp, bLen): base's RDNs are the first RDNs of sub, compared byte for byte.
 * (RFC 5280 7.1 asks for a caseless string comparison; byte equality is stricter for permitted
 * subtrees and can be evaded by re-encoding for excluded ones. TLS never trusts the subject name
 * for the server's identity, so this only affects directoryName constraints.)
 */
export function nameWithin(sp: usize, sLen: i32, bp: usize, bLen: i32): bool {
  const ctx = new DerCtx();
  const sTop = Reader.over(ctx, sp, sLen);
  const bTop = Reader.over(ctx, bp, bLen);
  const s = sTop.read(TAG_SEQUENCE);
  const b = bTop.read(TAG_SEQUENCE);
  while (!b.atEnd()) {
    if (s.atEnd()) return false;
    const x = b.readAny();
    const y = s.readAny();
    if (ctx.failed) return false;
    if (!bytesEqual(x.base + <usize>x.start, x.end - x.start, y.base + <usize>y.start, y.end - y.start)) return false;
  }
  return !ctx.failed;
}

/**
 * How many emailAddress attributes the Name at p (whole SEQUENCE) has: the legacy e-mail
 * addresses that RFC 5280 4.2.1.10 subjects to rfc822Name constraints.
 */
export function countEmailAttributes(p: usize, len: i32): i32 {
  const ctx = new DerCtx();
  const top = Reader.over(ctx, p, len);
  const seq = top.read(TAG_SEQUENCE);
  let n = 0;
  while (!seq.atEnd()) {
    const set = seq.read(TAG_SET);
    while (!set.atEnd()) {
      const atv = set.read(TAG_SEQUENCE);
      const oid = atv.readOid();
      atv.readAny();
      if (isOid(oid, OID_AT_EMAIL)) n++;
    }
  }
  return n;
}
