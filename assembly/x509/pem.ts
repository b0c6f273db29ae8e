// PEM (RFC 7468) certificate blocks and base64, for trust anchors given as text.
//
// A blob is either text holding one or more "-----BEGIN CERTIFICATE-----" ... "-----END
// CERTIFICATE-----" blocks, or (when it has no BEGIN line and starts with 0x30, a SEQUENCE) one DER
// certificate. Text outside blocks
// (comments, bundle headers) is ignored, and so are blocks of other types (keys, "TRUSTED
// CERTIFICATE", ...). Inside a block: base64 with whitespace allowed anywhere, '=' padding only at
// the end, no other characters (RFC 7468 headers such as "Proc-Type:" are refused).

const BEGIN = "-----BEGIN ";
const END = "-----END ";
const DASHES = "-----";

/** Why the last splitCertificates failed. */
export let lastPemError: string = "";

@inline function at(p: usize, i: i32): i32 {
  return <i32>load<u8>(p + <usize>i);
}

/** Does the ASCII string s occur at offset i of the len bytes at p? */
function startsWith(p: usize, len: i32, i: i32, s: string): bool {
  if (i + s.length > len) return false;
  for (let k = 0; k < s.length; k++) if (at(p, i + k) != <i32>s.charCodeAt(k)) return false;
  return true;
}

/** Offset of the next occurrence of s at or after i, or -1. */
function find(p: usize, len: i32, i: i32, s: string): i32 {
  const first = <i32>s.charCodeAt(0);
  for (let k = i; k + s.length <= len; k++) {
    if (at(p, k) == first && startsWith(p, len, k, s)) return k;
  }
  return -1;
}

function b64value(c: i32): i32 {
  if (c >= 0x41 && c <= 0x5a) return c - 0x41;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 26;
  if (c >= 0x30 && c <= 0x39) return c - 0x30 + 52;
  if (c == 0x2b) return 62;
  if (c == 0x2f) return 63;
  return -1;
}

@inline function isSpace(c: i32): bool {
  return c == 0x20 || c == 0x09 || c == 0x0a || c == 0x0d;
}

/** Decodes base64 in [from, to) of p (whitespace skipped); null on any error (lastPemError set). */
export function base64Decode(p: usize, from: i32, to: i32): Uint8Array | null {
  // count the data characters first so the output is allocated once
  let chars = 0;
  let pad = 0;
  for (let i = from; i < to; i++) {
    const c = at(p, i);
    if (isSpace(c)) continue;
    if (c == 0x3d) { pad++; continue; }
    if (pad > 0 || b64value(c) < 0) { lastPemError = "invalid base64 character"; return null; }
    chars++;
  }
  if (pad > 2 || (chars + pad) % 4 != 0 || (pad > 0 && (chars + pad) < 4)) { lastPemError = "invalid base64 length or padding"; return null; }
  const outLen = ((chars + pad) / 4) * 3 - pad;
  const out = new Uint8Array(outLen);
  let acc: u32 = 0;
  let nbits = 0;
  let o = 0;
  for (let i = from; i < to; i++) {
    const c = at(p, i);
    if (isSpace(c) || c == 0x3d) continue;
    acc = (acc << 6) | <u32>b64value(c);
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      if (o < outLen) out[o++] = <u8>(acc >> <u32>nbits);
    }
  }
  if (o != outLen) { lastPemError = "invalid base64"; return null; }
  return out;
}

/**
 * Splits a blob into DER certificates (appended to out). Returns the number found, or -1 with
 * lastPemError set (malformed block, or text without any CERTIFICATE block).
 */
export function splitCertificates(blob: Uint8Array, out: Array<Uint8Array>): i32 {
  const p = blob.dataStart;
  const len = blob.length;
  if (len == 0) { lastPemError = "empty input"; return -1; }
  if (at(p, 0) == 0x30 && find(p, len, 0, BEGIN) < 0) {
    out.push(blob);
    return 1;
  }
  let count = 0;
  let i = 0;
  while (true) {
    const b = find(p, len, i, BEGIN);
    if (b < 0) break;
    const labelStart = b + BEGIN.length;
    const labelEnd = find(p, len, labelStart, DASHES);
    if (labelEnd < 0) { lastPemError = "unterminated PEM BEGIN line"; return -1; }
    let label = "";
    for (let k = labelStart; k < labelEnd && k - labelStart < 64; k++) label += String.fromCharCode(at(p, k));
    const bodyStart = labelEnd + DASHES.length;
    const endLine = END + label + DASHES;
    const e = find(p, len, bodyStart, endLine);
    if (e < 0) { lastPemError = "PEM block '" + label + "' has no matching END line"; return -1; }
    i = e + endLine.length;
    if (label != "CERTIFICATE") continue;
    const der = base64Decode(p, bodyStart, e);
    if (der == null) { lastPemError = "PEM block #" + (count + 1).toString() + ": " + lastPemError; return -1; }
    out.push(der);
    count++;
  }
  if (count == 0) { lastPemError = "no -----BEGIN CERTIFICATE----- block (and not DER)"; return -1; }
  return count;
}
