// ChaCha20-Poly1305 AEAD (RFC 8439, 2.8), the TLS_CHACHA20_POLY1305_SHA256 record cipher.
//
// Internal API for the TLS 1.3 record layer (all pointers are into linear memory):
//
//   const aead = new ChaCha20Poly1305();        // once per traffic key slot; allocates 3 small buffers
//   aead.setKey(keyPtr);                         // 32-byte key (copied; the caller may wipe its copy)
//   aead.seal(noncePtr, aadPtr, aadLen, ptPtr, ptLen, outPtr);           // out = ct || 16-byte tag
//   const ok = aead.open(noncePtr, aadPtr, aadLen, ctPtr, ctLen, outPtr); // ctLen includes the tag
//   aead.wipe();                                 // on key update / connection close
//
// The nonce is 12 bytes (TLS 1.3 builds it as iv XOR the padded sequence number, RFC 8446 5.3).
// Buffers: out may be exactly the input (in place: outPtr == ptPtr / ctPtr) or not overlap it at
// all; partial overlap is not supported. The AAD must not overlap out. Lengths are public.
//
// open() verifies the tag BEFORE decrypting, so no plaintext is ever produced for a forged record;
// on failure it additionally zeroes the ctLen - 16 output bytes (for in-place use that destroys the
// ciphertext, which TLS discards anyway). The tag comparison is constant-time (ctEqualBytes).

import { chacha20Block, chacha20Xor } from './chacha20';
import { Poly1305 } from './poly1305';
import { ctEqualBytes, wipe } from './ct';

export const CHACHA20POLY1305_KEY_LEN: i32 = 32;
export const CHACHA20POLY1305_NONCE_LEN: i32 = 12;
export const CHACHA20POLY1305_TAG_LEN: i32 = 16;

export class ChaCha20Poly1305 {
  private key: StaticArray<u8> = new StaticArray<u8>(32);
  /** 64 bytes: block 0 keystream (Poly1305 key) / length block / computed tag. Wiped after use. */
  private scratch: StaticArray<u8> = new StaticArray<u8>(64);
  private mac: Poly1305 = new Poly1305();
  private keyed: bool = false;

  /** Installs the 32-byte key at keyPtr (copied). */
  setKey(keyPtr: usize): void {
    memory.copy(changetype<usize>(this.key), keyPtr, 32);
    this.keyed = true;
  }

  /** Derives the one-time Poly1305 key from block 0 and absorbs aad || pad16. */
  private begin(noncePtr: usize, aadPtr: usize, aadLen: i32): void {
    assert(this.keyed, 'ChaCha20Poly1305: setKey() first');
    const s = changetype<usize>(this.scratch);
    chacha20Block(changetype<usize>(this.key), noncePtr, 0, s);
    this.mac.init(s); // first 32 bytes of block 0 (RFC 8439, 2.6)
    wipe(s, 64);
    this.mac.update(aadPtr, aadLen);
    this.mac.padTo16();
  }

  /** Absorbs ct || pad16 || le64(aadLen) || le64(ctLen) and writes the tag to tagPtr. */
  private end(ctPtr: usize, ctLen: i32, aadLen: i32, tagPtr: usize): void {
    this.mac.update(ctPtr, ctLen);
    this.mac.padTo16();
    const s = changetype<usize>(this.scratch);
    store<u64>(s, <u64>aadLen, 0);
    store<u64>(s, <u64>ctLen, 8);
    this.mac.update(s, 16);
    this.mac.finish(tagPtr); // also wipes the Poly1305 state
  }

  /**
   * Encrypts ptLen bytes at ptPtr and writes ciphertext || 16-byte tag (ptLen + 16 bytes) to
   * outPtr. outPtr == ptPtr is allowed (the tag then lands right after the plaintext).
   */
  seal(noncePtr: usize, aadPtr: usize, aadLen: i32, ptPtr: usize, ptLen: i32, outPtr: usize): void {
    this.begin(noncePtr, aadPtr, aadLen);
    chacha20Xor(changetype<usize>(this.key), noncePtr, 1, ptPtr, outPtr, ptLen);
    this.end(outPtr, ptLen, aadLen, outPtr + <usize>ptLen);
  }

  /**
   * Verifies and decrypts ctLen bytes at ctPtr (ciphertext followed by the 16-byte tag), writing
   * ctLen - 16 plaintext bytes to outPtr. outPtr == ctPtr is allowed. Returns false, with the
   * ctLen - 16 output bytes zeroed, when the tag does not verify; false without touching out when
   * ctLen < 16.
   */
  open(noncePtr: usize, aadPtr: usize, aadLen: i32, ctPtr: usize, ctLen: i32, outPtr: usize): bool {
    if (ctLen < 16) return false; // public length check
    const ptLen = ctLen - 16;
    this.begin(noncePtr, aadPtr, aadLen);
    const tag = changetype<usize>(this.scratch) + 32;
    this.end(ctPtr, ptLen, aadLen, tag);
    const ok = ctEqualBytes(tag, ctPtr + <usize>ptLen, 16) != 0;
    wipe(changetype<usize>(this.scratch), 64);
    // Branching on the verification result is fine: it is public (returned to the caller).
    if (ok) {
      chacha20Xor(changetype<usize>(this.key), noncePtr, 1, ctPtr, outPtr, ptLen);
    } else {
      wipe(outPtr, ptLen);
    }
    return ok;
  }

  /** Zeroes the key and every intermediate; setKey() is needed before the next use. */
  wipe(): void {
    wipe(changetype<usize>(this.key), 32);
    wipe(changetype<usize>(this.scratch), 64);
    this.mac.wipe();
    this.keyed = false;
  }
}
