// HMAC (RFC 2104, FIPS 198-1) over SHA-256, SHA-384 or SHA-512.
//
// Internal API:
//   const mac = new Hmac();                    allocates its four hash contexts once
//   mac.init(id, keyPtr, keyLen)               key setup (keys longer than a block are hashed first)
//   mac.update(ptr, len)
//   mac.finish(out)                            writes hashLen(id) bytes; the object is then ready
//                                              for a new message under the SAME key (no re-keying)
//   mac.reset()                                drops a half-fed message, keeps the key
//   mac.wipe()                                 zeroes every key-dependent state (call when done)
//   hmacInto(id, key, keyLen, data, dataLen, out): i32   one-shot; returns hashLen(id)
//
// After init() the keyed inner and outer states (hash of K^ipad and K^opad) are kept, so each
// further message costs only the data blocks plus two compressions: HKDF-Expand and HMAC-DRBG
// rely on this.
//
// Constant time: the key only flows through SHA-2 (itself constant time) and XORs with fixed pads;
// the only branches are on the key's and data's lengths (public). Verifying a MAC is the caller's
// job and must use ctEqualBytes from ./ct, never an early-exit comparison.

import { Hash, HASH_SHA256, HASH_SHA384, HASH_SHA512, hashLen, blockLen } from "./sha2";
import { wipe } from "./ct";

// Same mapping as Hash: anything that is not SHA-256 or SHA-384 is SHA-512.
@inline function normId(id: i32): i32 {
  return id == HASH_SHA256 || id == HASH_SHA384 ? id : HASH_SHA512;
}

export class Hmac {
  /** Hash in use (HASH_SHA256 / HASH_SHA384 / HASH_SHA512). */
  id: i32;
  private ipad: Hash; // state after absorbing K ^ 0x36.. (one block)
  private opad: Hash; // state after absorbing K ^ 0x5c.. (one block)
  private inner: Hash; // running inner hash of the current message
  private outer: Hash; // scratch for the outer hash
  private block: StaticArray<u8> = new StaticArray<u8>(128); // padded key, then inner digest

  constructor(id: i32 = HASH_SHA256) {
    id = normId(id);
    this.id = id;
    this.ipad = new Hash(id);
    this.opad = new Hash(id);
    this.inner = new Hash(id);
    this.outer = new Hash(id);
  }

  /** Sets the key (and the hash). Allocates only when the hash differs from the previous one. */
  init(id: i32, keyPtr: usize, keyLen: i32): void {
    id = normId(id);
    if (id != this.id) {
      this.id = id;
      this.ipad = new Hash(id);
      this.opad = new Hash(id);
      this.inner = new Hash(id);
      this.outer = new Hash(id);
    }
    const bl = blockLen(id);
    const k = changetype<usize>(this.block);
    memory.fill(k, 0, 128);
    if (keyLen > bl) {
      // K' = H(K), then zero-padded to the block size (RFC 2104, section 2).
      this.inner.reset();
      this.inner.update(keyPtr, keyLen);
      this.inner.finish(k);
    } else if (keyLen > 0) {
      memory.copy(k, keyPtr, <usize>keyLen);
    }
    for (let i = 0; i < bl; i += 8) store<u64>(k + i, load<u64>(k + i) ^ 0x3636363636363636);
    this.ipad.reset();
    this.ipad.update(k, bl);
    for (let i = 0; i < bl; i += 8) store<u64>(k + i, load<u64>(k + i) ^ 0x6a6a6a6a6a6a6a6a); // 0x36 ^ 0x5c
    this.opad.reset();
    this.opad.update(k, bl);
    wipe(k, 128);
    this.inner.copyFrom(this.ipad);
  }

  /** Starts a new message under the current key. */
  reset(): void {
    this.inner.copyFrom(this.ipad);
  }

  /** Feeds len bytes at ptr into the current message. */
  update(ptr: usize, len: i32): void {
    this.inner.update(ptr, len);
  }

  /** Writes the hashLen(id)-byte tag to out (which may alias the data fed) and resets for the next message. */
  finish(out: usize): void {
    const t = changetype<usize>(this.block);
    this.inner.finish(t);
    this.outer.copyFrom(this.opad);
    this.outer.update(t, hashLen(this.id));
    this.outer.finish(out);
    wipe(t, 64);
    this.inner.copyFrom(this.ipad);
  }

  /** Zeroes all key-dependent state; init() must be called before the next use. */
  wipe(): void {
    this.ipad.wipe();
    this.opad.wipe();
    this.inner.wipe();
    this.outer.wipe();
    wipe(changetype<usize>(this.block), 128);
  }
}

let oneShot: Hmac | null = null;

/** One-shot HMAC: writes the tag of dataLen bytes at data under the key to out; returns hashLen(id). */
export function hmacInto(id: i32, key: usize, keyLen: i32, data: usize, dataLen: i32, out: usize): i32 {
  id = normId(id);
  let m = oneShot;
  if (m == null) { m = new Hmac(id); oneShot = m; }
  m.init(id, key, keyLen);
  m.update(data, dataLen);
  m.finish(out);
  m.wipe();
  return hashLen(id);
}
