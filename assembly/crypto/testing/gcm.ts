// Test-only Wasm exports for AES-GCM (see src/crypto-testing.ts): thin wrappers around AesGcm.
// Every call sets the key, runs one operation and wipes the key again, so the module keeps no
// secrets between calls.
import { AesGcm } from '../gcm';

let ctx: AesGcm | null = null;

function gcm(): AesGcm {
  let c = ctx;
  if (c == null) {
    c = new AesGcm();
    ctx = c;
  }
  return c;
}

/** Returns ptLen + 16 (ciphertext || tag written at out), or -1 for a bad key size or an empty nonce. */
export function gcmSeal(key: usize, keyLen: i32, nonce: usize, nonceLen: i32, aad: usize, aadLen: i32,
  pt: usize, ptLen: i32, out: usize): i32 {
  if (nonceLen < 1 || aadLen < 0 || ptLen < 0) return -1;
  const g = gcm();
  if (!g.setKey(key, keyLen)) return -1;
  g.seal(nonce, nonceLen, aad, aadLen, pt, ptLen, out);
  g.wipe();
  return ptLen + 16;
}

/** Returns the plaintext length, or -1 for a bad tag, bad key/nonce size, or input shorter than 16. */
export function gcmOpen(key: usize, keyLen: i32, nonce: usize, nonceLen: i32, aad: usize, aadLen: i32,
  ct: usize, ctLen: i32, out: usize): i32 {
  if (nonceLen < 1 || aadLen < 0 || ctLen < 16) return -1;
  const g = gcm();
  if (!g.setKey(key, keyLen)) return -1;
  const ok = g.open(nonce, nonceLen, aad, aadLen, ct, ctLen, out);
  g.wipe();
  return ok ? ctLen - 16 : -1;
}
