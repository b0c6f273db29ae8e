// HKDF (RFC 5869) and TLS 1.3's HKDF-Expand-Label (RFC 8446, section 7.1).
//
// Internal API:
//   hkdfExtract(id, salt, saltLen, ikm, ikmLen, prkOut): void
//       PRK = HMAC-Hash(salt, IKM); writes hashLen(id) bytes. An empty salt means HashLen zero
//       bytes (RFC 5869 2.2), which is the same HMAC key as the empty key, so nothing special.
//   hkdfExpand(id, prk, prkLen, info, infoLen, out, len): bool
//       OKM = T(1) | T(2) | ... truncated to len; false (nothing written) when len > 255 * HashLen
//       or len < 0.
//   hkdfExpandLabel(id, secret, secretLen, label, labelLen, ctx, ctxLen, out, len): bool
//       HKDF-Expand(secret, HkdfLabel, len) with HkdfLabel = uint16 len | opaque "tls13 " + label
//       <7..255> | opaque context<0..255>; `label` WITHOUT the "tls13 " prefix. False when a field
//       does not fit its encoding (label empty or > 249 bytes, context > 255 bytes, len > 65535)
//       or len > 255 * HashLen. Derive-Secret is TLS's business (it is ExpandLabel over a
//       transcript hash).
//
// Aliasing: hkdfExtract's prkOut may overlap its inputs (written last). hkdfExpand's out may overlap
// prk (absorbed into the HMAC state first) but not info (re-read for every block).
// hkdfExpandLabel copies label and context first, so its out may overlap any input.
// Constant time: only HMAC (constant time) touches the secrets; branches depend on lengths only.
// Not re-entrant (module-level HMAC context and scratch; Wasm here is single-threaded).

import { hashLen } from "./sha2";
import { Hmac } from "./hmac";
import { wipe } from "./ct";

let mac: Hmac | null = null;
@inline function theMac(): Hmac {
  let m = mac;
  if (m == null) { m = new Hmac(); mac = m; }
  return m;
}

// T(i) block and the HkdfLabel encoding (2 + 1 + 255 + 1 + 255 bytes at most).
const T_BUF: usize = memory.data(64, 16);
const LABEL_BUF: usize = memory.data(520, 16);
const COUNTER: usize = memory.data(16, 16);

/** HKDF-Extract: writes PRK (hashLen(id) bytes) to prkOut. */
export function hkdfExtract(id: i32, salt: usize, saltLen: i32, ikm: usize, ikmLen: i32, prkOut: usize): void {
  const m = theMac();
  m.init(id, salt, saltLen);
  m.update(ikm, ikmLen);
  m.finish(prkOut);
  m.wipe();
}

/** HKDF-Expand: writes len bytes of OKM to out; false when len is out of range (0..255*HashLen). */
export function hkdfExpand(id: i32, prk: usize, prkLen: i32, info: usize, infoLen: i32, out: usize, len: i32): bool {
  const hl = hashLen(id);
  if (len < 0 || len > 255 * hl) return false;
  if (len == 0) return true;
  const m = theMac();
  m.init(id, prk, prkLen);
  let done = 0;
  for (let i = 1; done < len; i++) {
    // T(i) = HMAC(PRK, T(i-1) | info | i), T(0) empty.
    if (i > 1) m.update(T_BUF, hl);
    m.update(info, infoLen);
    store<u8>(COUNTER, <u8>i);
    m.update(COUNTER, 1);
    m.finish(T_BUF);
    const n = min(hl, len - done);
    memory.copy(out + <usize>done, T_BUF, <usize>n);
    done += n;
  }
  m.wipe();
  wipe(T_BUF, 64);
  return true;
}

/** TLS 1.3 HKDF-Expand-Label (label without "tls13 "); false when a length does not fit. */
export function hkdfExpandLabel(
  id: i32, secret: usize, secretLen: i32, label: usize, labelLen: i32,
  ctx: usize, ctxLen: i32, out: usize, len: i32,
): bool {
  if (labelLen < 1 || labelLen > 255 - 6 || ctxLen < 0 || ctxLen > 255 || len < 0 || len > 0xffff) return false;
  const p = LABEL_BUF;
  store<u8>(p, <u8>(len >>> 8));
  store<u8>(p + 1, <u8>len);
  store<u8>(p + 2, <u8>(6 + labelLen));
  // "tls13 "
  store<u8>(p + 3, 0x74); store<u8>(p + 4, 0x6c); store<u8>(p + 5, 0x73);
  store<u8>(p + 6, 0x31); store<u8>(p + 7, 0x33); store<u8>(p + 8, 0x20);
  memory.copy(p + 9, label, <usize>labelLen);
  const c = p + 9 + <usize>labelLen;
  store<u8>(c, <u8>ctxLen);
  memory.copy(c + 1, ctx, <usize>ctxLen);
  const infoLen = 2 + 1 + 6 + labelLen + 1 + ctxLen;
  const ok = hkdfExpand(id, secret, secretLen, p, infoLen, out, len);
  wipe(p, infoLen); // the context is usually a transcript hash: not secret, but tidy
  return ok;
}
