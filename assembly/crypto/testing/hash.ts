// Test-only Wasm exports for SHA-2, HMAC, HKDF, HKDF-Expand-Label and the HMAC-DRBG, called by
// src/crypto-testing.ts. Thin wrappers over the internal API in ../sha2, ../hmac, ../hkdf, ../drbg.
import { Hash, hashInto, hashLen, HASH_SHA256, HASH_SHA384, HASH_SHA512 } from "../sha2";
import { Hmac, hmacInto } from "../hmac";
import { hkdfExtract, hkdfExpand, hkdfExpandLabel as expandLabel } from "../hkdf";
import { HmacDrbg } from "../drbg";
import { wipe } from "../ct";

export function sha256(p: usize, len: i32, out: usize): void { hashInto(HASH_SHA256, p, len, out); }
export function sha384(p: usize, len: i32, out: usize): void { hashInto(HASH_SHA384, p, len, out); }
export function sha512(p: usize, len: i32, out: usize): void { hashInto(HASH_SHA512, p, len, out); }

/** HMAC tag of data under key; returns the tag length. */
export function hmac(hashId: i32, key: usize, keyLen: i32, data: usize, dataLen: i32, out: usize): i32 {
  return hmacInto(hashId, key, keyLen, data, dataLen, out);
}

const PRK: usize = memory.data(64, 16);

/** HKDF Extract-then-Expand; 1 ok, 0 when length > 255 * HashLen. */
export function hkdf(
  hashId: i32, ikm: usize, ikmLen: i32, salt: usize, saltLen: i32,
  info: usize, infoLen: i32, out: usize, length: i32,
): i32 {
  if (length < 0 || length > 255 * hashLen(hashId)) return 0;
  hkdfExtract(hashId, salt, saltLen, ikm, ikmLen, PRK);
  const ok = hkdfExpand(hashId, PRK, hashLen(hashId), info, infoLen, out, length);
  wipe(PRK, 64);
  return ok ? 1 : 0;
}

/** TLS 1.3 HKDF-Expand-Label (label without "tls13 "); 1 ok, 0 when a length does not fit. */
export function hkdfExpandLabel(
  hashId: i32, secret: usize, secretLen: i32, label: usize, labelLen: i32,
  ctx: usize, ctxLen: i32, out: usize, length: i32,
): i32 {
  return expandLabel(hashId, secret, secretLen, label, labelLen, ctx, ctxLen, out, length) ? 1 : 0;
}

let drbg: HmacDrbg | null = null;

/** HMAC-DRBG instantiated with entropy = seed (no nonce, no personalization); one generate call. */
export function csprngBytes(seed: usize, seedLen: i32, out: usize, length: i32): void {
  let g = drbg;
  if (g == null) { g = new HmacDrbg(); drbg = g; }
  g.instantiate(seed, seedLen, 0, 0, 0, 0);
  g.generate(out, length);
  g.wipe();
}

// ---- Extra test-only exports for the streaming internal API (not wrapped by the JS door;
// test/crypto/hash.test.ts and drbg.test.ts call them on their own instance of the module).

let streamA: Hash | null = null;
let streamB: Hash | null = null;

function ctx(slot: i32, id: i32): Hash {
  // Contexts are kept between calls and re-created only when the hash changes, so a call also
  // checks that finish() left the previous context correctly reset.
  let h = slot == 0 ? streamA : streamB;
  if (h == null || h.id != id) {
    h = new Hash(id);
    if (slot == 0) streamA = h; else streamB = h;
  }
  return h;
}

/**
 * Feeds `len` bytes at `data` into a Hash in pieces ending at the `nCuts` ascending offsets in
 * `cuts` (i32 each; the last piece runs to len). After each piece, peek() writes the digest of the
 * prefix so far to peeks + i * hashLen. Then finish() writes the digest to out.
 */
export function sha2TestStream(id: i32, data: usize, len: i32, cuts: usize, nCuts: i32, peeks: usize, out: usize): void {
  const h = ctx(0, id);
  const hl = hashLen(id);
  let pos = 0;
  for (let i = 0; i <= nCuts; i++) {
    const end = i < nCuts ? load<i32>(cuts + (<usize>i << 2)) : len;
    h.update(data + <usize>pos, end - pos);
    pos = end;
    h.peek(peeks + <usize>(i * hl));
  }
  h.finish(out);
}

/** H(a | b) into outB and H(a | c) into outC, the second through copyFrom() after absorbing a. */
export function sha2TestFork(id: i32, a: usize, aLen: i32, b: usize, bLen: i32, c: usize, cLen: i32, outB: usize, outC: usize): void {
  const h = ctx(0, id);
  const g = ctx(1, id);
  h.update(a, aLen);
  g.copyFrom(h);
  h.update(b, bLen);
  g.update(c, cLen);
  h.finish(outB);
  g.finish(outC);
}

let hmacCtx: Hmac | null = null;

/**
 * Streaming HMAC: init with the key, msg1 fed in two pieces (split at `cut`), finish to out1; then
 * msg2 under the same key without re-keying (finish leaves the key in place), finish to out2.
 */
export function hmacTestStream(id: i32, key: usize, keyLen: i32, m1: usize, m1Len: i32, cut: i32, m2: usize, m2Len: i32, out1: usize, out2: usize): void {
  let m = hmacCtx;
  if (m == null) { m = new Hmac(); hmacCtx = m; }
  m.init(id, key, keyLen);
  m.update(m1, cut);
  m.update(m1 + <usize>cut, m1Len - cut);
  m.finish(out1);
  m.update(m2, m2Len);
  m.finish(out2);
  m.wipe();
}

/**
 * HMAC-DRBG walk: instantiate(entropy, nonce, pers), generate len1 bytes to out1, then (when
 * doReseed != 0) reseed(reEntropy, reAddl), then generate len2 bytes to out2.
 */
export function drbgTestRun(
  ent: usize, entLen: i32, nonce: usize, nonceLen: i32, pers: usize, persLen: i32,
  reEnt: usize, reEntLen: i32, reAdd: usize, reAddLen: i32, doReseed: i32,
  out1: usize, len1: i32, out2: usize, len2: i32,
): void {
  const g = new HmacDrbg();
  g.instantiate(ent, entLen, nonce, nonceLen, pers, persLen);
  g.generate(out1, len1);
  if (doReseed != 0) g.reseed(reEnt, reEntLen, reAdd, reAddLen);
  g.generate(out2, len2);
  g.wipe();
}
