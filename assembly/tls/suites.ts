// Cipher suites and record protection (RFC 8446 5.2-5.3; for TLS 1.2, RFC 5288 and RFC 7905).
//
// A Protection object is one direction's AEAD state: key, IV and sequence number. It seals and
// opens records IN PLACE in the caller's buffer (no allocation per record): the record header is
// written/read at `rec`, the payload follows it.

import { HASH_SHA256, HASH_SHA384 } from "../crypto/sha2";
import { ChaCha20Poly1305 } from "../crypto/chacha20poly1305";
import { AesGcm } from "../crypto/gcm";
import { wipe } from "../crypto/ct";

export const AEAD_CHACHA20_POLY1305: i32 = 0;
export const AEAD_AES_GCM: i32 = 1;

export class Suite {
  constructor(
    public id: u16,
    public name: string,
    public hash: i32,
    public aead: i32,
    public keyLen: i32,
    /** true for a TLS 1.2 (ECDHE) suite, false for TLS 1.3 */
    public tls12: bool,
    /** TLS 1.2: the server key's kind the suite needs: 1 = RSA, 2 = ECDSA (0 for TLS 1.3) */
    public auth: i32,
  ) {}
}

// TLS 1.3 suites, in the order offered: ChaCha20-Poly1305 first (the fastest without AES
// instructions, which Wasm does not have), then AES-128-GCM, then AES-256-GCM.
export const TLS_CHACHA20_POLY1305_SHA256 = new Suite(0x1303, "TLS_CHACHA20_POLY1305_SHA256", HASH_SHA256, AEAD_CHACHA20_POLY1305, 32, false, 0);
export const TLS_AES_128_GCM_SHA256 = new Suite(0x1301, "TLS_AES_128_GCM_SHA256", HASH_SHA256, AEAD_AES_GCM, 16, false, 0);
export const TLS_AES_256_GCM_SHA384 = new Suite(0x1302, "TLS_AES_256_GCM_SHA384", HASH_SHA384, AEAD_AES_GCM, 32, false, 0);

// TLS 1.2 ECDHE suites with AEADs only (no CBC, no RSA key exchange, no static or FF DH).
export const ECDHE_ECDSA_CHACHA20 = new Suite(0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", HASH_SHA256, AEAD_CHACHA20_POLY1305, 32, true, 2);
export const ECDHE_RSA_CHACHA20 = new Suite(0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", HASH_SHA256, AEAD_CHACHA20_POLY1305, 32, true, 1);
export const ECDHE_ECDSA_AES128 = new Suite(0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", HASH_SHA256, AEAD_AES_GCM, 16, true, 2);
export const ECDHE_RSA_AES128 = new Suite(0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", HASH_SHA256, AEAD_AES_GCM, 16, true, 1);
export const ECDHE_ECDSA_AES256 = new Suite(0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", HASH_SHA384, AEAD_AES_GCM, 32, true, 2);
export const ECDHE_RSA_AES256 = new Suite(0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", HASH_SHA384, AEAD_AES_GCM, 32, true, 1);

export const TLS13_SUITES: Suite[] = [TLS_CHACHA20_POLY1305_SHA256, TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384];
export const TLS12_SUITES: Suite[] = [
  ECDHE_ECDSA_CHACHA20, ECDHE_RSA_CHACHA20, ECDHE_ECDSA_AES128, ECDHE_RSA_AES128, ECDHE_ECDSA_AES256, ECDHE_RSA_AES256,
];

export function suiteById(id: i32, tls12: bool): Suite | null {
  const list = tls12 ? TLS12_SUITES : TLS13_SUITES;
  for (let i = 0; i < list.length; i++) if (<i32>list[i].id == id) return list[i];
  return null;
}

export const TAG_LEN: i32 = 16;
/** TLS 1.2 AES-GCM records carry an 8-byte explicit nonce before the ciphertext. */
export const EXPLICIT_NONCE_LEN: i32 = 8;

@inline function put16(p: usize, v: i32): void { store<u8>(p, <u8>(v >> 8)); store<u8>(p + 1, <u8>v); }

/** One direction's record protection: an AEAD key, the static IV and the sequence number. */
export class Protection {
  suite: Suite;
  seq: u64 = 0;
  private chacha: ChaCha20Poly1305 | null = null;
  private gcm: AesGcm | null = null;
  private iv: StaticArray<u8> = new StaticArray<u8>(12);
  private nonce: StaticArray<u8> = new StaticArray<u8>(12);
  private aad: StaticArray<u8> = new StaticArray<u8>(13);

  /** ivLen: 12 (TLS 1.3, TLS 1.2 ChaCha20) or 4 (TLS 1.2 AES-GCM salt). */
  constructor(suite: Suite, key: usize, iv: usize, ivLen: i32) {
    this.suite = suite;
    memory.copy(changetype<usize>(this.iv), iv, <usize>ivLen);
    if (suite.aead == AEAD_CHACHA20_POLY1305) {
      const c = new ChaCha20Poly1305();
      c.setKey(key);
      this.chacha = c;
    } else {
      const g = new AesGcm();
      g.setKey(key, suite.keyLen);
      this.gcm = g;
    }
  }

  /** nonce = iv XOR (0^4 || seq) (RFC 8446 5.3; RFC 7905 for TLS 1.2 ChaCha20). */
  private xorNonce(): usize {
    const n = changetype<usize>(this.nonce);
    const iv = changetype<usize>(this.iv);
    store<u32>(n, load<u32>(iv));
    store<u64>(n + 4, load<u64>(iv + 4) ^ bswap<u64>(this.seq));
    return n;
  }

  /** Seals len bytes at pt into out (ciphertext || tag); out == pt, or the two do not overlap. */
  private sealRaw(nonce: usize, aad: usize, aadLen: i32, pt: usize, len: i32, out: usize): void {
    const c = this.chacha;
    if (c != null) c.seal(nonce, aad, aadLen, pt, len, out);
    else (<AesGcm>this.gcm).seal(nonce, 12, aad, aadLen, pt, len, out);
  }

  private openRaw(nonce: usize, aad: usize, aadLen: i32, ct: usize, len: i32): bool {
    const c = this.chacha;
    if (c != null) return c.open(nonce, aad, aadLen, ct, len, ct);
    return (<AesGcm>this.gcm).open(nonce, 12, aad, aadLen, ct, len, ct);
  }

  /**
   * TLS 1.3: the inner plaintext (content || type || padding, n bytes) is at rec + 5. Writes the
   * header (application_data, 0x0303, n + 16) at rec and the ciphertext and tag in place.
   * Returns the record's total length, 5 + n + 16.
   */
  seal13(rec: usize, n: i32): i32 {
    const len = n + TAG_LEN;
    store<u8>(rec, 23);
    store<u8>(rec + 1, 3);
    store<u8>(rec + 2, 3);
    put16(rec + 3, len);
    // The AAD is the header itself: copy it, since the AEAD output must not overlap the AAD.
    const aad = changetype<usize>(this.aad);
    memory.copy(aad, rec, 5);
    this.sealRaw(this.xorNonce(), aad, 5, rec + 5, n, rec + 5);
    this.seq++;
    return 5 + len;
  }

  /** TLS 1.3: decrypts the record body (len bytes after the 5-byte header at rec) in place; the inner plaintext length, or -1. */
  open13(rec: usize, len: i32): i32 {
    if (len < TAG_LEN) return -1;
    const aad = changetype<usize>(this.aad);
    memory.copy(aad, rec, 5);
    if (!this.openRaw(this.xorNonce(), aad, 5, rec + 5, len)) return -1;
    this.seq++;
    return len - TAG_LEN;
  }

  /** Bytes a TLS 1.2 record adds before its ciphertext (the explicit nonce of AES-GCM). */
  @inline get explicitLen12(): i32 { return this.suite.aead == AEAD_AES_GCM ? EXPLICIT_NONCE_LEN : 0; }

  private aad12(type: i32, n: i32): usize {
    const a = changetype<usize>(this.aad);
    store<u64>(a, bswap<u64>(this.seq));
    store<u8>(a + 8, <u8>type);
    store<u8>(a + 9, 3);
    store<u8>(a + 10, 3);
    put16(a + 11, n);
    return a;
  }

  /**
   * TLS 1.2: seals the n plaintext bytes at src into the record at rec: the header, the explicit
   * nonce (the sequence number) for AES-GCM, then ciphertext and tag at rec + 5 + explicitLen12.
   * src is either that very place (in place) or a buffer that does not overlap the record: sealing
   * from the caller's buffer saves copying the plaintext in first. Returns the record's length.
   */
  seal12(rec: usize, type: i32, n: i32, src: usize): i32 {
    const ex = this.explicitLen12;
    const len = ex + n + TAG_LEN;
    store<u8>(rec, <u8>type);
    store<u8>(rec + 1, 3);
    store<u8>(rec + 2, 3);
    put16(rec + 3, len);
    const aad = this.aad12(type, n);
    let nonce: usize;
    if (ex > 0) {
      nonce = changetype<usize>(this.nonce);
      store<u32>(nonce, load<u32>(changetype<usize>(this.iv)));
      store<u64>(nonce + 4, bswap<u64>(this.seq));
      memory.copy(rec + 5, nonce + 4, 8);
    } else {
      nonce = this.xorNonce();
    }
    this.sealRaw(nonce, aad, 13, src, n, rec + 5 + <usize>ex);
    this.seq++;
    return 5 + len;
  }

  /** TLS 1.2: decrypts in place; returns the plaintext length (it starts at rec + 5 + explicitLen12), or -1. */
  open12(rec: usize, type: i32, len: i32): i32 {
    const ex = this.explicitLen12;
    const n = len - ex - TAG_LEN;
    if (n < 0) return -1;
    const aad = this.aad12(type, n);
    let nonce: usize;
    if (ex > 0) {
      nonce = changetype<usize>(this.nonce);
      store<u32>(nonce, load<u32>(changetype<usize>(this.iv)));
      memory.copy(nonce + 4, rec + 5, 8);
    } else {
      nonce = this.xorNonce();
    }
    if (!this.openRaw(nonce, aad, 13, rec + 5 + <usize>ex, n + TAG_LEN)) return -1;
    this.seq++;
    return n;
  }

  /** Erases the key and IV. */
  wipe(): void {
    const c = this.chacha;
    if (c != null) c.wipe();
    const g = this.gcm;
    if (g != null) g.wipe();
    wipe(changetype<usize>(this.iv), 12);
    wipe(changetype<usize>(this.nonce), 12);
  }
}
