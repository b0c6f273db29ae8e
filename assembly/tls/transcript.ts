// The handshake transcript (RFC 8446 4.4.1). Until the server picks a cipher suite the hash is
// unknown, so the messages are kept as bytes; then they are hashed and only the running hash is
// kept. A HelloRetryRequest replaces ClientHello1 by a synthetic message_hash message.

import { Hash, hashLen, hashInto } from "../crypto/sha2";
import { Builder } from "./codec";

export class Transcript {
  private hash: Hash | null = null;
  private early: Builder | null = new Builder(1024);
  hashId: i32 = -1;

  /** Adds one whole handshake message (header included). */
  add(ptr: usize, len: i32): void {
    const h = this.hash;
    if (h != null) h.update(ptr, len);
    else (<Builder>this.early).raw(ptr, len);
  }

  @inline get started(): bool { return this.hash != null; }

  /** Fixes the hash (from the selected cipher suite) and hashes what was kept so far. */
  start(hashId: i32): void {
    if (this.hash != null) return;
    const h = new Hash(hashId);
    const e = <Builder>this.early;
    h.update(e.ptr, e.len);
    this.hash = h;
    this.hashId = hashId;
    this.early = null;
  }

  /**
   * After a HelloRetryRequest: the transcript so far (ClientHello1 only) becomes
   * message_hash(254) || 00 00 Hash.length || Hash(ClientHello1). Call before adding the HRR.
   */
  replaceWithMessageHash(hashId: i32): void {
    const e = <Builder>this.early;
    const hl = hashLen(hashId);
    const msg = new Uint8Array(4 + 64);
    const p = msg.dataStart;
    store<u8>(p, 254);
    store<u8>(p + 1, 0);
    store<u8>(p + 2, 0);
    store<u8>(p + 3, <u8>hl);
    hashInto(hashId, e.ptr, e.len, p + 4);
    const h = new Hash(hashId);
    h.update(p, 4 + hl);
    this.hash = h;
    this.hashId = hashId;
    this.early = null;
  }

  private scratch: Hash | null = null;

  /**
   * The hash the transcript would have with len more bytes at ptr (a truncated ClientHello for a
   * PSK binder), leaving the transcript as it is. Needs the hash to be fixed (after a HelloRetryRequest).
   */
  hashWith(ptr: usize, len: i32, out: usize): void {
    const h = <Hash>this.hash;
    let s = this.scratch;
    if (s == null || s.id != h.id) { s = new Hash(h.id); this.scratch = s; }
    s.copyFrom(h);
    s.update(ptr, len);
    s.finish(out);
  }

  /** The hash of everything added so far (the transcript stays open). */
  current(out: usize): void {
    (<Hash>this.hash).peek(out);
  }
}
