// Test-only Wasm exports for ChaCha20-Poly1305 (called by src/crypto-testing.ts for
// 'chacha20-poly1305', and directly by test/crypto/chacha20poly1305.test.ts for the RFC 8439
// sub-primitive examples). Thin wrappers around the internal API; nothing is kept between calls.

import { ChaCha20Poly1305 } from '../chacha20poly1305';
import { chacha20Block as block, chacha20Xor } from '../chacha20';
import { Poly1305 } from '../poly1305';

let aeadInstance: ChaCha20Poly1305 | null = null;
function aead(): ChaCha20Poly1305 {
  let a = aeadInstance;
  if (a == null) {
    a = new ChaCha20Poly1305();
    aeadInstance = a;
  }
  return a;
}

/** Writes ct || tag to out and returns ptLen + 16, or -1 when keyLen != 32 or nonceLen != 12. */
export function chachaPolySeal(
  key: usize, keyLen: i32, nonce: usize, nonceLen: i32,
  aad: usize, aadLen: i32, pt: usize, ptLen: i32, out: usize,
): i32 {
  if (keyLen != 32 || nonceLen != 12 || aadLen < 0 || ptLen < 0) return -1;
  const a = aead();
  a.setKey(key);
  a.seal(nonce, aad, aadLen, pt, ptLen, out);
  a.wipe();
  return ptLen + 16;
}

/**
 * Writes the plaintext to out and returns its length; -1 for a bad tag (out zeroed), a key or
 * nonce of the wrong size, or an input shorter than the tag.
 */
export function chachaPolyOpen(
  key: usize, keyLen: i32, nonce: usize, nonceLen: i32,
  aad: usize, aadLen: i32, ct: usize, ctLen: i32, out: usize,
): i32 {
  if (keyLen != 32 || nonceLen != 12 || aadLen < 0 || ctLen < 16) return -1;
  const a = aead();
  a.setKey(key);
  const ok = a.open(nonce, aad, aadLen, ct, ctLen, out);
  a.wipe();
  return ok ? ctLen - 16 : -1;
}

/** RFC 8439 2.3: the 64-byte ChaCha20 block for (32-byte key, 12-byte nonce, counter). */
export function chacha20Block(key: usize, nonce: usize, counter: u32, out: usize): void {
  block(key, nonce, counter, out);
}

/** RFC 8439 2.4: ChaCha20 XOR of len bytes starting at block `counter` (in == out allowed). */
export function chacha20Encrypt(key: usize, nonce: usize, counter: u32, input: usize, len: i32, out: usize): void {
  chacha20Xor(key, nonce, counter, input, out, len);
}

/** RFC 8439 2.5: Poly1305 tag (16 bytes) of len bytes under a 32-byte one-time key. */
export function poly1305Mac(key: usize, msg: usize, len: i32, out: usize): void {
  const p = new Poly1305();
  p.init(key);
  p.update(msg, len);
  p.finish(out);
}
