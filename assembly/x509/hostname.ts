// The server's identity (RFC 6125 as profiled by the CA/Browser Forum and webpki): the reference
// identity is matched against the leaf's subjectAltName ONLY; the subject CN is never used.
//
// DNS: presented dNSName and reference compare case-insensitively (ASCII). A wildcard is allowed
// only as the whole left-most label ("*.example.com"), matches exactly one non-empty label
// ("a.example.com", not "example.com" nor "a.b.example.com"), and never stands over a single-label
// suffix ("*.com" matches nothing; without a public-suffix list "*.co.uk" is not caught). Partial
// wildcards ("f*.example.com"), wildcards elsewhere, and malformed names match nothing.
// IP: a 4- or 16-byte reference matches an iPAddress SAN of the same bytes; IP literals never
// match dNSName entries and DNS references never match iPAddress entries.
import { Reader, DerCtx } from "./der";
import { Certificate } from "./cert";
import { GeneralNames, GN_DNS, GN_IP, GN_RFC822, GN_URI, GN_DIRECTORY, generalNameKind } from "./generalname";
import { nameToString } from "./name";

export const DNS_INVALID: i32 = 0;
export const DNS_PLAIN: i32 = 1;
export const DNS_WILDCARD: i32 = 2;

@inline function lower(c: i32): i32 {
  return c >= 0x41 && c <= 0x5a ? c + 0x20 : c;
}

function isLdh(c: i32): bool {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c == 0x2d || c == 0x5f;
}

/**
 * Shape of a presented DNS name (len bytes at p): DNS_PLAIN for dot-separated labels of letters,
 * digits, '-' and '_' (1..63 bytes each, 253 in all, no trailing dot), DNS_WILDCARD for "*." +
 * such a name, else DNS_INVALID.
 */
export function dnsShape(p: usize, len: i32): i32 {
  let start = 0;
  let shape = DNS_PLAIN;
  if (len >= 2 && load<u8>(p) == 0x2a && load<u8>(p + 1) == 0x2e) {
    start = 2;
    shape = DNS_WILDCARD;
  }
  const n = len - start;
  if (n < 1 || n > 253) return DNS_INVALID;
  let labelLen = 0;
  for (let i = start; i < len; i++) {
    const c = <i32>load<u8>(p + <usize>i);
    if (c == 0x2e) {
      if (labelLen == 0) return DNS_INVALID;
      labelLen = 0;
    } else {
      if (!isLdh(c)) return DNS_INVALID;
      if (++labelLen > 63) return DNS_INVALID;
    }
  }
  return labelLen == 0 ? DNS_INVALID : shape;
}

/** Case-insensitive equality of len bytes at a and b. */
export function asciiEqualNoCase(a: usize, b: usize, len: i32): bool {
  for (let i = 0; i < len; i++) {
    if (lower(<i32>load<u8>(a + <usize>i)) != lower(<i32>load<u8>(b + <usize>i))) return false;
  }
  return true;
}

/** Index of the first '.' in len bytes at p, or -1. */
export function firstDot(p: usize, len: i32): i32 {
  for (let i = 0; i < len; i++) if (load<u8>(p + <usize>i) == 0x2e) return i;
  return -1;
}

/**
 * The reference identity as bytes, or null when it is not a usable DNS name (empty, not ASCII
 * LDH labels, a trailing dot, a '*', or all-numeric last label: an IP literal must be given as ip).
 */
export function referenceBytes(dnsName: string): Uint8Array | null {
  const n = dnsName.length;
  if (n == 0 || n > 253) return null;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = <i32>dnsName.charCodeAt(i);
    if (c >= 0x80) return null;
    out[i] = <u8>lower(c);
  }
  if (dnsShape(out.dataStart, n) != DNS_PLAIN) return null;
  // last label all digits: an IPv4 literal (or not a host name at all)
  let allDigits = true;
  for (let i = n - 1; i >= 0; i--) {
    const c = <i32>out[i];
    if (c == 0x2e) break;
    if (c < 0x30 || c > 0x39) { allDigits = false; break; }
  }
  return allDigits ? null : out;
}

/** Does the presented dNSName (len bytes at p) match the reference (ref, validated)? */
export function dnsMatches(p: usize, len: i32, ref: Uint8Array): bool {
  const shape = dnsShape(p, len);
  const r = ref.dataStart;
  const rLen = ref.length;
  if (shape == DNS_PLAIN) return len == rLen && asciiEqualNoCase(p, r, len);
  if (shape != DNS_WILDCARD) return false;
  // "*." + rest: rest needs at least two labels, and the reference = one label + "." + rest
  const rest = p + 2;
  const restLen = len - 2;
  if (firstDot(rest, restLen) < 0) return false;
  const dot = firstDot(r, rLen);
  if (dot <= 0) return false;
  if (rLen - dot - 1 != restLen) return false;
  return asciiEqualNoCase(r + <usize>(dot + 1), rest, restLen);
}

/** Does the leaf's subjectAltName contain the reference identity (dnsName, or ip when not null)? */
export function matchesReference(c: Certificate, dnsName: string, ip: Uint8Array | null): bool {
  if (c.sanStart < 0) return false;
  let ref: Uint8Array | null = null;
  if (ip == null) {
    ref = referenceBytes(dnsName);
    if (ref == null) return false;
  } else if (ip.length != 4 && ip.length != 16) {
    return false;
  }
  const names = new GeneralNames(new Reader(new DerCtx(), c.base, c.sanStart, 0x30, c.sanStart, c.sanStart + c.sanLen));
  while (names.next()) {
    if (ip != null) {
      if (names.tag == GN_IP && names.len == ip.length && memory.compare(names.ptr, ip.dataStart, <usize>names.len) == 0) return true;
    } else if (names.tag == GN_DNS && ref != null) {
      if (dnsMatches(names.ptr, names.len, ref)) return true;
    }
  }
  return false;
}

/** "1.2.3.4" or the RFC 5952 form of an IPv6 address (len 4 or 16 at p). */
export function ipToString(p: usize, len: i32): string {
  if (len == 4) {
    return load<u8>(p).toString() + "." + load<u8>(p + 1).toString() + "." + load<u8>(p + 2).toString() + "." + load<u8>(p + 3).toString();
  }
  if (len != 16) return "?";
  // longest run of zero groups (length >= 2) becomes "::"
  let bestStart = -1, bestLen = 0, runStart = -1;
  for (let i = 0; i <= 8; i++) {
    const zero = i < 8 && load<u8>(p + <usize>(2 * i)) == 0 && load<u8>(p + <usize>(2 * i + 1)) == 0;
    if (zero) {
      if (runStart < 0) runStart = i;
    } else if (runStart >= 0) {
      if (i - runStart > bestLen && i - runStart >= 2) { bestStart = runStart; bestLen = i - runStart; }
      runStart = -1;
    }
  }
  let s = "";
  for (let i = 0; i < 8; i++) {
    if (i == bestStart) { s += "::"; i += bestLen - 1; continue; }
    if (s.length > 0 && s.charCodeAt(s.length - 1) != 0x3a) s += ":";
    const g = (<u32>load<u8>(p + <usize>(2 * i)) << 8) | <u32>load<u8>(p + <usize>(2 * i + 1));
    s += g.toString(16);
  }
  return s;
}

/** ASCII text of an IA5 name for messages (non-printable bytes as '?'; at most 100 bytes shown). */
export function ia5ToString(p: usize, len: i32): string {
  let s = "";
  const n = min(len, 100);
  for (let i = 0; i < n; i++) {
    const c = <i32>load<u8>(p + <usize>i);
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : "?";
  }
  return len > n ? s + "..." : s;
}

/** "DNS:example.test", "IP:1.2.3.4", ... for one GeneralName. */
export function generalNameToString(tag: i32, p: usize, len: i32): string {
  if (tag == GN_DNS || tag == GN_RFC822 || tag == GN_URI) return generalNameKind(tag) + ":" + ia5ToString(p, len);
  if (tag == GN_IP) return "IP:" + (len == 4 || len == 16 ? ipToString(p, len) : len == 8 ? ipToString(p, 4) + "/" + ipToString(p + 4, 4) : len == 32 ? ipToString(p, 16) + "/" + ipToString(p + 16, 16) : "?");
  if (tag == GN_DIRECTORY) {
    // content is the Name's whole encoding
    return "DirName:" + nameToString(p, len);
  }
  return generalNameKind(tag);
}

/** The DNS and IP names of the leaf's subjectAltName for a message (at most 10, then "..."). */
export function describeIdentities(c: Certificate): string {
  if (c.sanStart < 0) return "";
  const names = new GeneralNames(new Reader(new DerCtx(), c.base, c.sanStart, 0x30, c.sanStart, c.sanStart + c.sanLen));
  let s = "";
  let n = 0;
  while (names.next()) {
    if (names.tag != GN_DNS && names.tag != GN_IP) continue;
    if (n == 10) { s += ", ..."; break; }
    s += (n > 0 ? ", " : "") + generalNameToString(names.tag, names.ptr, names.len);
    n++;
  }
  return s;
}
