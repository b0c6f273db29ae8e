// SHA-2 (FIPS 180-4): SHA-256, SHA-384 and SHA-512. SHA-384 is SHA-512 with other initial values,
// truncated to 48 bytes.
//
// Internal API (used by HMAC, HKDF, the DRBG, ECDSA, RSA and the TLS transcript):
//   HASH_SHA256 / HASH_SHA384 / HASH_SHA512          hash identifiers (same numbers as the test door)
//   hashLen(id), blockLen(id)                        32/48/64 and 64/128/128 bytes
//   new Hash(id)                                     streaming context; allocates its buffers once
//     .reset() .update(ptr, len) .finish(out)        finish() writes hashLen(id) bytes and resets
//     .peek(out)                                     digest of the data so far; the context goes on
//     .copyFrom(other)                               clone the state of a context with the same id
//     .wipe()                                        zero the state (key-dependent in HMAC)
//   hashInto(id, ptr, len, out)                      one-shot digest
// An id other than HASH_SHA256/HASH_SHA384 is treated as HASH_SHA512. Lengths are byte counts >= 0.
// Not re-entrant across threads (shared static scratch); Wasm here is single-threaded.
//
// Constant time: SHA-2 is a fixed sequence of 32/64-bit adds, rotates and boolean operations; the
// only memory indexes are the round counter and the (public) message length, never data values, so
// hashing secret input (HMAC keys, DRBG state, TLS secrets) leaks only its length.
// No allocation happens per block: the compression functions work straight from the caller's
// memory with message schedules in static scratch (memory.data), which is wiped at every finish.
// Speed: the message schedule is computed with Wasm SIMD (4 words per v128 for SHA-256, 2 for
// SHA-512) interleaved with the scalar rounds so both run in parallel on the CPU.

import { load32be, store32be, load64be, store64be, wipe } from "./ct";

export const HASH_SHA256: i32 = 0, HASH_SHA384: i32 = 1, HASH_SHA512: i32 = 2;

/** Digest size in bytes: 32, 48 or 64. */
export function hashLen(id: i32): i32 {
  return id == HASH_SHA256 ? 32 : id == HASH_SHA384 ? 48 : 64;
}

/** Block size in bytes: 64 for SHA-256, 128 for SHA-384/512 (HMAC pads keys to this). */
export function blockLen(id: i32): i32 {
  return id == HASH_SHA256 ? 64 : 128;
}

// Round constants (FIPS 180-4, 4.2.2 and 4.2.3): fractional parts of the cube roots of the primes.
const K256: usize = memory.data<u32>([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
], 16);

const K512: usize = memory.data<u64>([
  0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc,
  0x3956c25bf348b538, 0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118,
  0xd807aa98a3030242, 0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
  0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235, 0xc19bf174cf692694,
  0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
  0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
  0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4,
  0xc6e00bf33da88fc2, 0xd5a79147930aa725, 0x06ca6351e003826f, 0x142929670a0e6e70,
  0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
  0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
  0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30,
  0xd192e819d6ef5218, 0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
  0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8,
  0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3,
  0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
  0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b,
  0xca273eceea26619c, 0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178,
  0x06f067aa72176fba, 0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
  0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c,
  0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
], 16);

// Initial hash values (FIPS 180-4, 5.3): square roots of the first primes (SHA-384: primes 9..16).
const IV256: usize = memory.data<u32>([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
], 16);
const IV512: usize = memory.data<u64>([
  0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
  0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179,
], 16);
const IV384: usize = memory.data<u64>([
  0xcbbb9d5dc1059ed8, 0x629a292a367cd507, 0x9159015a3070dd17, 0x152fecd8f70e5939,
  0x67332667ffc00b31, 0x8eb44a8768581511, 0xdb0c2e0d64f98fa7, 0x47b5481dbefa4fa4,
], 16);

// Message-schedule scratch, shared by every context (Wasm here is single-threaded and the
// compression functions never re-enter). Holds message-derived words: wiped in finish/peek.
const W256: usize = memory.data(64 * 4, 16);
const W512: usize = memory.data(80 * 8, 16);
// Scratch state+buffer for peek(): 64 bytes of chaining value, 128 of pending block.
const PEEK_ST: usize = memory.data(64, 16);
const PEEK_BUF: usize = memory.data(128, 16);

// ---------------------------------------------------------------------------------------------
// SHA-256 compression: processes `blocks` consecutive 64-byte blocks at p into the 8-word state st.

// FIPS 180-4 4.1.2 functions. (Measured under V8: the rotate-chain forms of the big sigmas and
// 8-round unrolling with renamed variables were both slower than this plain form.)
@inline function bsig0_32(x: u32): u32 { return rotr<u32>(x, 2) ^ rotr<u32>(x, 13) ^ rotr<u32>(x, 22); }
@inline function bsig1_32(x: u32): u32 { return rotr<u32>(x, 6) ^ rotr<u32>(x, 11) ^ rotr<u32>(x, 25); }
@inline function ch32(x: u32, y: u32, z: u32): u32 { return z ^ (x & (y ^ z)); }

// Small sigmas on four message words at once (Wasm SIMD has no rotate: shifts and xors).
@inline function ssig0x4(x: v128): v128 {
  // rotr 7 ^ rotr 18 ^ shr 3
  return v128.xor(v128.xor(v128.xor(i32x4.shr_u(x, 7), i32x4.shl(x, 25)),
    v128.xor(i32x4.shr_u(x, 18), i32x4.shl(x, 14))), i32x4.shr_u(x, 3));
}
@inline function ssig1x4(x: v128): v128 {
  // rotr 17 ^ rotr 19 ^ shr 10
  return v128.xor(v128.xor(v128.xor(i32x4.shr_u(x, 17), i32x4.shl(x, 15)),
    v128.xor(i32x4.shr_u(x, 19), i32x4.shl(x, 13))), i32x4.shr_u(x, 10));
}
/** Loads four big-endian u32 words. */
@inline function load4be(p: usize): v128 {
  const v = v128.load(p);
  return i8x16.shuffle(v, v, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
}

function compress256(st: usize, p: usize, blocks: i32): void {
  const w = W256;
  let a = load<u32>(st, 0), b = load<u32>(st, 4), c = load<u32>(st, 8), d = load<u32>(st, 12);
  let e = load<u32>(st, 16), f = load<u32>(st, 20), g = load<u32>(st, 24), h = load<u32>(st, 28);
  const zero = i32x4.splat(0);
  for (let n = 0; n < blocks; n++) {
    // Message schedule (FIPS 180-4, 6.2.2 step 1), four words at a time, stored as W[t] + K[t].
    // x0..x3 hold W[t-16..t-1]; W[t..t+3] = s1(W[t-2..t+1]) + W[t-7..t-4] + s0(W[t-15..t-12])
    // + W[t-16..t-13], where s1 of the two words W[t], W[t+1] needs the first half of the result.
    let x0 = load4be(p), x1 = load4be(p + 16), x2 = load4be(p + 32), x3 = load4be(p + 48);
    v128.store(w, v128.add<u32>(x0, v128.load(K256)));
    v128.store(w, v128.add<u32>(x1, v128.load(K256, 16)), 16);
    v128.store(w, v128.add<u32>(x2, v128.load(K256, 32)), 32);
    v128.store(w, v128.add<u32>(x3, v128.load(K256, 48)), 48);
    // 16 groups of 4 rounds; while group k runs, SIMD computes W[16+4k .. 19+4k] (+K) for a later
    // group, so the vector and scalar work overlap. Maj(a,b,c) is computed as b ^ ((a^b) & (b^c)):
    // this round's a^b is the next round's b^c, carried in x.
    let x = b ^ c;
    for (let i = w; i < w + 256; i += 16) {
      if (i < w + 192) {
        let y = v128.add<u32>(v128.add<u32>(x0, ssig0x4(i32x4.shuffle(x0, x1, 1, 2, 3, 4))),
          i32x4.shuffle(x2, x3, 1, 2, 3, 4));
        y = v128.add<u32>(y, ssig1x4(i32x4.shuffle(x3, zero, 2, 3, 4, 4)));
        y = v128.add<u32>(y, ssig1x4(i32x4.shuffle(y, zero, 4, 4, 0, 1)));
        x0 = x1; x1 = x2; x2 = x3; x3 = y;
        v128.store(i, v128.add<u32>(y, v128.load(i - w + K256, 64)), 64);
      }
      let t: u32, u: u32, y: u32;
      t = h + bsig1_32(e) + ch32(e, f, g) + load<u32>(i, 0);
      y = a ^ b; u = bsig0_32(a) + (b ^ (y & x)); x = y;
      h = g; g = f; f = e; e = d + t; d = c; c = b; b = a; a = t + u;
      t = h + bsig1_32(e) + ch32(e, f, g) + load<u32>(i, 4);
      y = a ^ b; u = bsig0_32(a) + (b ^ (y & x)); x = y;
      h = g; g = f; f = e; e = d + t; d = c; c = b; b = a; a = t + u;
      t = h + bsig1_32(e) + ch32(e, f, g) + load<u32>(i, 8);
      y = a ^ b; u = bsig0_32(a) + (b ^ (y & x)); x = y;
      h = g; g = f; f = e; e = d + t; d = c; c = b; b = a; a = t + u;
      t = h + bsig1_32(e) + ch32(e, f, g) + load<u32>(i, 12);
      y = a ^ b; u = bsig0_32(a) + (b ^ (y & x)); x = y;
      h = g; g = f; f = e; e = d + t; d = c; c = b; b = a; a = t + u;
    }
    // Feed-forward from memory rather than from saved locals (fewer live values, fewer spills).
    a += load<u32>(st, 0); b += load<u32>(st, 4); c += load<u32>(st, 8); d += load<u32>(st, 12);
    e += load<u32>(st, 16); f += load<u32>(st, 20); g += load<u32>(st, 24); h += load<u32>(st, 28);
    store<u32>(st, a, 0); store<u32>(st, b, 4); store<u32>(st, c, 8); store<u32>(st, d, 12);
    store<u32>(st, e, 16); store<u32>(st, f, 20); store<u32>(st, g, 24); store<u32>(st, h, 28);
    p += 64;
  }
}

// ---------------------------------------------------------------------------------------------
// SHA-512 compression (also SHA-384): `blocks` consecutive 128-byte blocks at p into st (8 u64).

@inline function bsig0_64(x: u64): u64 { return rotr<u64>(x, 28) ^ rotr<u64>(x, 34) ^ rotr<u64>(x, 39); }
@inline function bsig1_64(x: u64): u64 { return rotr<u64>(x, 14) ^ rotr<u64>(x, 18) ^ rotr<u64>(x, 41); }
@inline function ch64(x: u64, y: u64, z: u64): u64 { return z ^ (x & (y ^ z)); }

// Small sigmas on two message words at once.
@inline function ssig0x2(x: v128): v128 {
  // rotr 1 ^ rotr 8 ^ shr 7
  return v128.xor(v128.xor(v128.xor(i64x2.shr_u(x, 1), i64x2.shl(x, 63)),
    v128.xor(i64x2.shr_u(x, 8), i64x2.shl(x, 56))), i64x2.shr_u(x, 7));
}
@inline function ssig1x2(x: v128): v128 {
  // rotr 19 ^ rotr 61 ^ shr 6
  return v128.xor(v128.xor(v128.xor(i64x2.shr_u(x, 19), i64x2.shl(x, 45)),
    v128.xor(i64x2.shr_u(x, 61), i64x2.shl(x, 3))), i64x2.shr_u(x, 6));
}
/** Loads two big-endian u64 words. */
@inline function load2be(p: usize): v128 {
  const v = v128.load(p);
  return i8x16.shuffle(v, v, 7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8);
}

function compress512(st: usize, p: usize, blocks: i32): void {
  const w = W512;
  let a = load<u64>(st, 0), b = load<u64>(st, 8), c = load<u64>(st, 16), d = load<u64>(st, 24);
  let e = load<u64>(st, 32), f = load<u64>(st, 40), g = load<u64>(st, 48), h = load<u64>(st, 56);
  for (let n = 0; n < blocks; n++) {
    // Message schedule, two words per vector, stored as W[t] + K[t]. x0..x7 hold W[t-16..t-1];
    // W[t..t+1] = s1(W[t-2..t-1]) + W[t-7..t-6] + s0(W[t-15..t-14]) + W[t-16..t-15].
    let x0 = load2be(p), x1 = load2be(p + 16), x2 = load2be(p + 32), x3 = load2be(p + 48);
    let x4 = load2be(p + 64), x5 = load2be(p + 80), x6 = load2be(p + 96), x7 = load2be(p + 112);
    v128.store(w, v128.add<u64>(x0, v128.load(K512)));
    v128.store(w, v128.add<u64>(x1, v128.load(K512, 16)), 16);
    v128.store(w, v128.add<u64>(x2, v128.load(K512, 32)), 32);
    v128.store(w, v128.add<u64>(x3, v128.load(K512, 48)), 48);
    v128.store(w, v128.add<u64>(x4, v128.load(K512, 64)), 64);
    v128.store(w, v128.add<u64>(x5, v128.load(K512, 80)), 80);
    v128.store(w, v128.add<u64>(x6, v128.load(K512, 96)), 96);
    v128.store(w, v128.add<u64>(x7, v128.load(K512, 112)), 112);
    // 40 groups of 2 rounds; group k also computes W[16+2k .. 17+2k] (+K) for a later group.
    // Maj via the carried a^b as in compress256.
    let x = b ^ c;
    for (let i = w; i < w + 640; i += 16) {
      if (i < w + 512) {
        const y = v128.add<u64>(v128.add<u64>(x0, ssig0x2(i64x2.shuffle(x0, x1, 1, 2))),
          v128.add<u64>(ssig1x2(x7), i64x2.shuffle(x4, x5, 1, 2)));
        x0 = x1; x1 = x2; x2 = x3; x3 = x4; x4 = x5; x5 = x6; x6 = x7; x7 = y;
        v128.store(i, v128.add<u64>(y, v128.load(i - w + K512, 128)), 128);
      }
      let t: u64, u: u64, y: u64;
      t = h + bsig1_64(e) + ch64(e, f, g) + load<u64>(i, 0);
      y = a ^ b; u = bsig0_64(a) + (b ^ (y & x)); x = y;
      h = g; g = f; f = e; e = d + t; d = c; c = b; b = a; a = t + u;
      t = h + bsig1_64(e) + ch64(e, f, g) + load<u64>(i, 8);
      y = a ^ b; u = bsig0_64(a) + (b ^ (y & x)); x = y;
      h = g; g = f; f = e; e = d + t; d = c; c = b; b = a; a = t + u;
    }
    a += load<u64>(st, 0); b += load<u64>(st, 8); c += load<u64>(st, 16); d += load<u64>(st, 24);
    e += load<u64>(st, 32); f += load<u64>(st, 40); g += load<u64>(st, 48); h += load<u64>(st, 56);
    store<u64>(st, a, 0); store<u64>(st, b, 8); store<u64>(st, c, 16); store<u64>(st, d, 24);
    store<u64>(st, e, 32); store<u64>(st, f, 40); store<u64>(st, g, 48); store<u64>(st, h, 56);
    p += 128;
  }
}

// ---------------------------------------------------------------------------------------------
// Pointer-level helpers shared by Hash and hashInto.

@inline function compress(id: i32, st: usize, p: usize, blocks: i32): void {
  if (id == HASH_SHA256) compress256(st, p, blocks);
  else compress512(st, p, blocks);
}

function initState(id: i32, st: usize): void {
  if (id == HASH_SHA256) memory.copy(st, IV256, 32);
  else memory.copy(st, id == HASH_SHA384 ? IV384 : IV512, 64);
}

/**
 * Pads and compresses the final block(s), then writes the digest. `buf` holds `bufLen` pending
 * bytes (< block size) and has room for a whole block; `total` is the message length in bytes.
 * Clobbers st and buf, and wipes the message schedule scratch.
 */
function finalize(id: i32, st: usize, buf: usize, bufLen: i32, total: u64, out: usize): void {
  const bl = blockLen(id);
  const lenField = id == HASH_SHA256 ? 8 : 16;
  store<u8>(buf + bufLen, 0x80);
  let n = bufLen + 1;
  if (n > bl - lenField) {
    memory.fill(buf + n, 0, bl - n);
    compress(id, st, buf, 1);
    n = 0;
  }
  memory.fill(buf + n, 0, bl - n);
  // Bit length, big-endian in the last 8 (SHA-256) or 16 (SHA-512) bytes of the block.
  store64be(buf + bl - 8, total << 3);
  if (id != HASH_SHA256) store64be(buf + bl - 16, total >>> 61);
  compress(id, st, buf, 1);
  if (id == HASH_SHA256) {
    for (let i = 0; i < 32; i += 4) store32be(out + i, load<u32>(st + i));
    wipe(W256, 64 * 4);
  } else {
    const hl = hashLen(id);
    for (let i = 0; i < hl; i += 8) store64be(out + i, load<u64>(st + i));
    wipe(W512, 80 * 8);
  }
}

// ---------------------------------------------------------------------------------------------

/** A streaming SHA-2 context. Buffers are allocated once, in the constructor. */
export class Hash {
  /** Which hash (HASH_SHA256 / HASH_SHA384 / HASH_SHA512); fixed for the object's life. */
  readonly id: i32;
  private st: StaticArray<u8>; // chaining value: 8 x u32 or 8 x u64, native byte order
  private buf: StaticArray<u8>; // pending partial block (block size bytes)
  private bufLen: i32 = 0;
  private total: u64 = 0; // bytes hashed so far (SHA-512's 128-bit length: high bits = total >>> 61)

  constructor(id: i32) {
    this.id = id == HASH_SHA256 || id == HASH_SHA384 ? id : HASH_SHA512;
    this.st = new StaticArray<u8>(64);
    this.buf = new StaticArray<u8>(128);
    this.reset();
  }

  /** Restarts with the initial hash value (drops anything fed so far). */
  reset(): void {
    initState(this.id, changetype<usize>(this.st));
    this.bufLen = 0;
    this.total = 0;
  }

  /** Feeds len bytes at ptr. */
  update(ptr: usize, len: i32): void {
    if (len <= 0) return;
    const st = changetype<usize>(this.st);
    const buf = changetype<usize>(this.buf);
    const bl = blockLen(this.id);
    this.total += <u64>len;
    let used = this.bufLen;
    if (used > 0) {
      const take = min(bl - used, len);
      memory.copy(buf + used, ptr, take);
      used += take; ptr += take; len -= take;
      if (used < bl) { this.bufLen = used; return; }
      compress(this.id, st, buf, 1);
      used = 0;
    }
    const blocks = len / bl; // bl is a power of two; len >= 0
    if (blocks > 0) {
      compress(this.id, st, ptr, blocks);
      const done = blocks * bl;
      ptr += done; len -= done;
    }
    if (len > 0) memory.copy(buf, ptr, len);
    this.bufLen = len;
  }

  /** Writes the hashLen(id)-byte digest to out, then resets (the old state is overwritten). */
  finish(out: usize): void {
    finalize(this.id, changetype<usize>(this.st), changetype<usize>(this.buf), this.bufLen, this.total, out);
    this.reset();
    wipe(changetype<usize>(this.buf), 128);
  }

  /** Writes the digest of everything fed so far to out, leaving this context untouched. */
  peek(out: usize): void {
    memory.copy(PEEK_ST, changetype<usize>(this.st), 64);
    memory.copy(PEEK_BUF, changetype<usize>(this.buf), <usize>this.bufLen);
    finalize(this.id, PEEK_ST, PEEK_BUF, this.bufLen, this.total, out);
    wipe(PEEK_ST, 64);
    wipe(PEEK_BUF, 128);
  }

  /** Makes this context a copy of other (which must have the same id). */
  copyFrom(other: Hash): void {
    assert(other.id == this.id, "Hash.copyFrom: different hash");
    memory.copy(changetype<usize>(this.st), changetype<usize>(other.st), 64);
    memory.copy(changetype<usize>(this.buf), changetype<usize>(other.buf), 128);
    this.bufLen = other.bufLen;
    this.total = other.total;
  }

  /** Zeroes the chaining value and buffer (e.g. an HMAC key's inner/outer state); needs reset() to reuse. */
  wipe(): void {
    wipe(changetype<usize>(this.st), 64);
    wipe(changetype<usize>(this.buf), 128);
    this.bufLen = 0;
    this.total = 0;
  }
}

// One-shot scratch state and tail buffer (single-threaded; hashInto never re-enters).
const ONE_ST: usize = memory.data(64, 16);
const ONE_BUF: usize = memory.data(128, 16);

/** One-shot: writes hashLen(id) bytes of the digest of len bytes at ptr to out. */
export function hashInto(id: i32, ptr: usize, len: i32, out: usize): void {
  if (id != HASH_SHA256 && id != HASH_SHA384) id = HASH_SHA512;
  if (len < 0) len = 0;
  const bl = blockLen(id);
  initState(id, ONE_ST);
  const blocks = len / bl;
  if (blocks > 0) compress(id, ONE_ST, ptr, blocks);
  const rest = len - blocks * bl;
  memory.copy(ONE_BUF, ptr + <usize>(blocks * bl), <usize>rest);
  finalize(id, ONE_ST, ONE_BUF, rest, <u64>len, out);
  wipe(ONE_ST, 64);
  wipe(ONE_BUF, 128);
}
