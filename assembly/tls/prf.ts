// The TLS 1.2 PRF (RFC 5246 5): P_hash(secret, label || seed) with HMAC over the cipher suite's
// hash (SHA-256, or SHA-384 for the AES-256-GCM suites).

import { Hmac } from "../crypto/hmac";
import { hashLen } from "../crypto/sha2";
import { wipe } from "../crypto/ct";

const A: usize = memory.data(64);
const T: usize = memory.data(64);
let mac: Hmac | null = null;

/** Writes len bytes of PRF(secret, label, seed) to out. label is ASCII bytes. */
export function prf12(hash: i32, secret: usize, secretLen: i32, label: ArrayBuffer, seed: usize, seedLen: i32, out: usize, len: i32): void {
  let h = mac;
  if (h == null) { h = new Hmac(hash); mac = h; }
  h.init(hash, secret, secretLen);
  const hl = hashLen(hash);
  const lp = changetype<usize>(label);
  const ll = label.byteLength;
  // A(1) = HMAC(secret, label || seed)
  h.update(lp, ll);
  h.update(seed, seedLen);
  h.finish(A);
  let done = 0;
  while (done < len) {
    // HMAC(secret, A(i) || label || seed)
    h.update(A, hl);
    h.update(lp, ll);
    h.update(seed, seedLen);
    h.finish(T);
    const n = min(hl, len - done);
    memory.copy(out + <usize>done, T, <usize>n);
    done += n;
    // A(i + 1) = HMAC(secret, A(i))
    h.update(A, hl);
    h.finish(A);
  }
  h.wipe();
  wipe(A, 64);
  wipe(T, 64);
}

export const L_MASTER_SECRET = String.UTF8.encode("master secret");
export const L_EXTENDED_MASTER_SECRET = String.UTF8.encode("extended master secret");
export const L_KEY_EXPANSION = String.UTF8.encode("key expansion");
export const L_CLIENT_FINISHED = String.UTF8.encode("client finished");
export const L_SERVER_FINISHED = String.UTF8.encode("server finished");
