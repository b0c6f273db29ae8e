// AES-GCM (NIST SP 800-38D) with AES-128 or AES-256 and 16-byte tags, for TLS 1.3 records.
//
// Internal API:
//   const g = new AesGcm();                 allocate once per traffic key (buffers live inside)
//   g.setKey(keyPtr, 16 | 32): bool         false for any other length (object stays unkeyed)
//   g.seal(nonce, nonceLen, aad, aadLen, pt, ptLen, out)
//        writes ptLen bytes of ciphertext and then the 16-byte tag at out (ptLen + 16 bytes);
//        out == pt (in place) is allowed.
//   g.open(nonce, nonceLen, aad, aadLen, ct, ctLen, out): bool
//        ctLen includes the 16-byte tag; writes ctLen - 16 plaintext bytes to out only when the
//        tag verifies (the whole tag is checked before any plaintext is produced); on failure
//        returns false and zeroes those ctLen - 16 output bytes. ctLen < 16: false, out untouched.
//        out == ct (in place) is allowed.
//   g.wipe()                                erase key material (setKey needed again)
// Preconditions: a key is set and nonceLen >= 1; seal/open trap (unreachable) otherwise, since
// emitting anything under a misused key/nonce would be worse than stopping. Pointers are raw
// linear-memory addresses; nothing is allocated per call.
// Nonces: any length >= 1 byte; 12 bytes takes the fast path J0 = IV || 0^31 || 1, other
// lengths use J0 = GHASH(IV || pad || [len(IV)]_64) as SP 800-38D specifies.
// Lengths (nonce, AAD, text) are public and may steer control flow; key, plaintext and the
// tag comparison are handled in constant time. Partially overlapping in/out buffers (other than
// exact in-place) are not supported.
import { Aes } from './aes';
import { Ghash } from './ghash';
import { wipe, ctEqualBytes } from './ct';

/** Bytes of data covered by the first keystream group (its block 0 is E(K, J0) for the tag). */
const FIRST: i32 = 112;

export class AesGcm {
  private aes: Aes = new Aes();
  private gh: Ghash = new Ghash();
  // Scratch: J0 (16) | tag (16) | keystream group (128).
  private buf: StaticArray<u8> = new StaticArray<u8>(160);
  private j0: usize;
  private tag: usize;
  private ks: usize;
  private keyed: bool = false;

  constructor() {
    const b = changetype<usize>(this.buf);
    this.j0 = b;
    this.tag = b + 16;
    this.ks = b + 32;
  }

  /** Sets a 16- (AES-128) or 32-byte (AES-256) key. Any other length: false, object unkeyed. */
  setKey(keyPtr: usize, keyLen: i32): bool {
    if (!this.aes.setKey(keyPtr, keyLen)) {
      this.wipe();
      return false;
    }
    // H = E(K, 0^128).
    const h = this.tag;
    store<u64>(h, 0);
    store<u64>(h, 0, 8);
    this.aes.encryptBlock(h, h);
    this.gh.setKey(h);
    wipe(h, 16);
    this.keyed = true;
    return true;
  }

  /** Computes J0 from the nonce, then the first keystream group E(J0), E(J0+1), ..., E(J0+7). */
  private start(noncePtr: usize, nonceLen: i32): void {
    // Misuse (no key, empty nonce) is a programming error: trap rather than emit anything.
    if (!this.keyed || nonceLen < 1) unreachable();
    const j0 = this.j0;
    if (nonceLen == 12) {
      memory.copy(j0, noncePtr, 12);
      store<u32>(j0 + 12, 0x01000000); // big-endian 1
    } else {
      const gh = this.gh;
      gh.reset();
      gh.update(noncePtr, nonceLen);
      gh.updateLengths(0, <u64>nonceLen);
      gh.final(j0);
    }
    this.aes.keystream8(j0, 0, this.ks);
    this.gh.reset();
  }

  /** XORs len bytes (len <= 112) of in with keystream blocks 1..7 of the first group into out. */
  private xorFirst(inPtr: usize, outPtr: usize, len: i32): void {
    const ks = this.ks + 16;
    let i = 0;
    for (; i + 16 <= len; i += 16) {
      v128.store(outPtr + <usize>i, v128.xor(v128.load(inPtr + <usize>i), v128.load(ks + <usize>i)));
    }
    for (; i < len; i++) {
      store<u8>(outPtr + <usize>i, load<u8>(inPtr + <usize>i) ^ load<u8>(ks + <usize>i));
    }
  }

  /** CTR-encrypts/decrypts len bytes with counters J0+1, J0+2, ... */
  private crypt(inPtr: usize, outPtr: usize, len: i32): void {
    const n = len < FIRST ? len : FIRST;
    this.xorFirst(inPtr, outPtr, n);
    if (len > FIRST) {
      this.aes.ctr32(this.j0, 8, inPtr + <usize>FIRST, outPtr + <usize>FIRST, len - FIRST);
    }
  }

  /** Computes the expected tag over (aad, ct) into this.tag. */
  private computeTag(aadPtr: usize, aadLen: i32, ctPtr: usize, ctLen: i32): void {
    const gh = this.gh;
    gh.update(aadPtr, aadLen);
    gh.update(ctPtr, ctLen);
    gh.updateLengths(<u64>aadLen, <u64>ctLen);
    const tag = this.tag;
    gh.final(tag);
    // tag = S ^ E(K, J0)
    v128.store(tag, v128.xor(v128.load(tag), v128.load(this.ks)));
  }

  /** Erases per-message scratch (J0, tag, keystream, GHASH state and partial products). */
  private clear(): void {
    wipe(changetype<usize>(this.buf), 160);
    this.gh.clearScratch();
    this.aes.clearScratch();
  }

  /** Encrypts ptLen bytes at ptPtr into outPtr and appends the 16-byte tag (outPtr may equal ptPtr). */
  seal(noncePtr: usize, nonceLen: i32, aadPtr: usize, aadLen: i32, ptPtr: usize, ptLen: i32, outPtr: usize): void {
    this.start(noncePtr, nonceLen);
    this.crypt(ptPtr, outPtr, ptLen);
    this.computeTag(aadPtr, aadLen, outPtr, ptLen);
    memory.copy(outPtr + <usize>ptLen, this.tag, 16);
    this.clear();
  }

  /**
   * Verifies and decrypts ctLen bytes at ctPtr (ciphertext followed by the 16-byte tag) into
   * outPtr (ctLen - 16 bytes; outPtr may equal ctPtr). The tag is checked before any plaintext
   * is produced, so a forgery never releases plaintext; on failure the output is zeroed.
   */
  open(noncePtr: usize, nonceLen: i32, aadPtr: usize, aadLen: i32, ctPtr: usize, ctLen: i32, outPtr: usize): bool {
    if (ctLen < 16) return false; // public length check
    const n = ctLen - 16;
    this.start(noncePtr, nonceLen);
    this.computeTag(aadPtr, aadLen, ctPtr, n);
    // Constant-time comparison; only its (public) verdict steers what follows.
    const ok = ctEqualBytes(this.tag, ctPtr + <usize>n, 16);
    if (ok == 1) {
      this.crypt(ctPtr, outPtr, n);
    } else {
      wipe(outPtr, n);
    }
    this.clear();
    return ok == 1;
  }

  /** Erases all key material and scratch. */
  wipe(): void {
    this.aes.wipe();
    this.gh.wipe();
    wipe(changetype<usize>(this.buf), 160);
    this.keyed = false;
  }
}
