// Address syntax: "host:port" and "[v6]:port" strings, IP literals, and hostname checks.
// One place, so every host (JS or native) accepts and rejects exactly the same inputs.

import { IpAddress } from "../abi/wasi";

/** Why an address was rejected (empty when it was accepted). */
export let addressError: string = "";
export let parsedHost: string = "";
export let parsedPort: i32 = 0;

function isDigit(c: i32): bool { return c >= 48 && c <= 57; }

/** Decimal port 1..65535 with no sign, spaces or leading zeros beyond "0" itself; -1 otherwise. */
export function parsePort(s: string): i32 {
  const n = s.length;
  if (n == 0 || n > 5) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return -1;
    v = v * 10 + (c - 48);
  }
  if (n > 1 && s.charCodeAt(0) == 48) return -1;
  return v >= 1 && v <= 65535 ? v : -1;
}

/** Splits "host:port" / "[v6]:port". On success sets parsedHost (no brackets) and parsedPort. */
export function parseAddress(address: string): bool {
  addressError = "";
  let host: string;
  let portText: string;
  if (address.length == 0) { addressError = "address is empty"; return false; }
  if (address.charCodeAt(0) == 91 /* [ */) {
    const close = address.indexOf("]");
    if (close < 0) { addressError = "missing ']' in bracketed IPv6 address"; return false; }
    if (close + 1 >= address.length || address.charCodeAt(close + 1) != 58 /* : */) {
      addressError = "expected ':port' after ']'"; return false;
    }
    host = address.substring(1, close);
    portText = address.substring(close + 2);
    if (!isIPv6Literal(host)) { addressError = "'" + host + "' is not an IPv6 address"; return false; }
  } else {
    const colon = address.lastIndexOf(":");
    if (colon < 0) { addressError = "missing ':port'"; return false; }
    host = address.substring(0, colon);
    portText = address.substring(colon + 1);
    if (host.indexOf(":") >= 0) {
      addressError = "an IPv6 address must be written in brackets, as in \"[::1]:443\"";
      return false;
    }
  }
  const port = parsePort(portText);
  if (port < 0) { addressError = "port '" + portText + "' is not an integer from 1 to 65535"; return false; }
  if (!checkHostname(host)) return false;
  parsedHost = host;
  parsedPort = port;
  return true;
}

/** Accepts an IPv4/IPv6 literal (IPv6 bare or in brackets) or a DNS name; sets addressError if not. */
export function checkHostname(host: string): bool {
  addressError = "";
  if (host.length == 0) { addressError = "hostname is empty"; return false; }
  if (host.charCodeAt(0) == 91) {
    if (host.charCodeAt(host.length - 1) != 93 || !isIPv6Literal(host.substring(1, host.length - 1))) {
      addressError = "'" + host + "' is not a bracketed IPv6 address";
      return false;
    }
    return true;
  }
  if (host.indexOf(":") >= 0) {
    if (isIPv6Literal(host)) return true;
    addressError = "'" + host + "' is not an IPv6 address";
    return false;
  }
  if (looksNumeric(host) && !parseIPv4(host, new IpAddress())) {
    addressError = "'" + host + "' is not a valid IPv4 address";
    return false;
  }
  if (host.length > 253 + 1) { addressError = "hostname is longer than 253 characters"; return false; }
  let labelLen = 0;
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i);
    if (c == 46 /* . */) {
      if (labelLen == 0) { addressError = "hostname '" + host + "' has an empty label"; return false; }
      labelLen = 0;
      continue;
    }
    const ok = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || isDigit(c) || c == 45 || c == 95;
    if (!ok) {
      addressError = c > 127
        ? "hostname '" + host + "' is not ASCII (use its punycode form)"
        : "hostname '" + host + "' contains an invalid character";
      return false;
    }
    if (++labelLen > 63) { addressError = "hostname label longer than 63 characters"; return false; }
  }
  return true;
}

function looksNumeric(host: string): bool {
  for (let i = 0; i < host.length; i++) {
    const c = host.charCodeAt(i);
    if (c != 46 && !isDigit(c)) return false;
  }
  return true;
}

/** Strips the brackets of "[v6]". */
export function unbracket(host: string): string {
  if (host.length >= 2 && host.charCodeAt(0) == 91 && host.charCodeAt(host.length - 1) == 93) {
    return host.substring(1, host.length - 1);
  }
  return host;
}

/** Parses a dotted-quad IPv4 literal (exactly four decimal parts 0..255) into out. */
export function parseIPv4(s: string, out: IpAddress): bool {
  let part = 0, digits = 0, value = 0;
  const b = out.bytes;
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46;
    if (c == 46) {
      if (digits == 0 || part > 3) return false;
      b[part++] = <u8>value;
      value = 0; digits = 0;
    } else if (isDigit(c)) {
      if (digits > 0 && value == 0) return false; // no leading zeros (octal ambiguity)
      value = value * 10 + (c - 48);
      if (++digits > 3 || value > 255) return false;
    } else {
      return false;
    }
  }
  if (part != 4) return false;
  out.family = 4;
  return true;
}

function hexVal(c: i32): i32 {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Parses an IPv6 literal (RFC 4291 text forms, including "::" and a trailing dotted quad). */
export function parseIPv6(s: string, out: IpAddress): bool {
  const words = new StaticArray<i32>(8);
  let n = 0;
  let gap = -1;
  let i = 0;
  const len = s.length;
  if (len < 2) return false;
  if (s.charCodeAt(0) == 58) {
    if (s.charCodeAt(1) != 58) return false;
    gap = 0; i = 2;
    if (i == len) { n = 0; }
  }
  while (i < len) {
    if (n == 8) return false;
    // a dotted quad may end the address
    let j = i, value = 0, digits = 0;
    while (j < len && hexVal(s.charCodeAt(j)) >= 0) {
      value = (value << 4) | hexVal(s.charCodeAt(j));
      if (++digits > 4) return false;
      j++;
    }
    if (j < len && s.charCodeAt(j) == 46) {
      if (n > 6) return false;
      const v4 = new IpAddress();
      if (!parseIPv4(s.substring(i), v4)) return false;
      words[n++] = (<i32>v4.bytes[0] << 8) | v4.bytes[1];
      words[n++] = (<i32>v4.bytes[2] << 8) | v4.bytes[3];
      i = len;
      break;
    }
    if (digits == 0) return false;
    words[n++] = value;
    i = j;
    if (i == len) break;
    if (s.charCodeAt(i) != 58) return false;
    i++;
    if (i < len && s.charCodeAt(i) == 58) {
      if (gap >= 0) return false;
      gap = n; i++;
    } else if (i == len) {
      return false; // trailing single ':'
    }
  }
  if (gap < 0 && n != 8) return false;
  if (gap >= 0 && n > 7) return false;
  const b = out.bytes;
  const fill = 8 - n;
  let w = 0;
  for (let k = 0; k < 8; k++) {
    let v: i32;
    if (gap >= 0 && k >= gap && k < gap + fill) v = 0;
    else v = words[w++];
    b[k << 1] = <u8>(v >> 8);
    b[(k << 1) + 1] = <u8>v;
  }
  out.family = 6;
  return true;
}

export function isIPv6Literal(s: string): bool {
  if (s.indexOf("%") >= 0) return false; // zone ids are not supported
  return parseIPv6(s, new IpAddress());
}

function hex4(v: i32): string {
  return v.toString(16);
}

/** Formats an address as RFC 5952 text (IPv6 compressed, lower case). */
export function formatIp(a: IpAddress): string {
  const b = a.bytes;
  if (a.family == 4) return b[0].toString() + "." + b[1].toString() + "." + b[2].toString() + "." + b[3].toString();
  const w = new StaticArray<i32>(8);
  for (let k = 0; k < 8; k++) w[k] = (<i32>b[k << 1] << 8) | b[(k << 1) + 1];
  // longest run (>= 2) of zero words, first one on ties
  let bestStart = -1, bestLen = 0;
  for (let k = 0; k < 8;) {
    if (w[k] != 0) { k++; continue; }
    let e = k;
    while (e < 8 && w[e] == 0) e++;
    if (e - k > bestLen && e - k >= 2) { bestStart = k; bestLen = e - k; }
    k = e;
  }
  let out = "";
  for (let k = 0; k < 8; k++) {
    if (k == bestStart) {
      out += "::";
      k += bestLen - 1;
      continue;
    }
    if (out.length > 0 && !out.endsWith(":")) out += ":";
    out += hex4(w[k]);
  }
  return out;
}

/** "host:port" with brackets around IPv6. */
export function formatSocketAddress(a: IpAddress, port: i32): string {
  return a.family == 6 ? "[" + formatIp(a) + "]:" + port.toString() : formatIp(a) + ":" + port.toString();
}
