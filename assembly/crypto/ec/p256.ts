// P-256 base field arithmetic: GF(p), p = 2^256 - 2^224 + 2^192 + 2^96 - 1.
//
// Elements are 8 little-endian u32 limbs in linear memory (limb 0 least significant), always fully
// reduced into [0, p). Multiplication is product scanning over u64 column accumulators (each 32x32
// product split into a low-half and a high-half sum, so no carry is lost), followed by the NIST fast
// (Solinas) reduction on 32-bit words (FIPS 186-4, D.2.3). Everything is straight-line code on u64
// locals: no branches and no memory indexed by the operands, so every function here is constant time.
// The code is fully unrolled on purpose, so that limbs and column sums live in Wasm locals (no loop
// control or memory traffic around the 64 products); every line follows the same pattern, so the
// structure is easy to audit against the comments.

/** p, little-endian limbs. */
export const P256_P: usize = memory.data<u32>([0xffffffff, 0xffffffff, 0xffffffff, 0x00000000, 0x00000000, 0x00000000, 0x00000001, 0xffffffff]);
/** Group order n. */
export const P256_N: usize = memory.data<u32>([0xfc632551, 0xf3b9cac2, 0xa7179e84, 0xbce6faad, 0xffffffff, 0xffffffff, 0x00000000, 0xffffffff]);
/** Curve coefficient b (a = -3). */
export const P256_B: usize = memory.data<u32>([0x27d2604b, 0x3bce3c3e, 0xcc53b0f6, 0x651d06b0, 0x769886bc, 0xb3ebbd55, 0xaa3a93e7, 0x5ac635d8]);
/** Base point G (affine x, y). */
export const P256_GX: usize = memory.data<u32>([0xd898c296, 0xf4a13945, 0x2deb33a0, 0x77037d81, 0x63a440f2, 0xf8bce6e5, 0xe12c4247, 0x6b17d1f2]);
export const P256_GY: usize = memory.data<u32>([0x37bf51f5, 0xcbb64068, 0x6b315ece, 0x2bce3357, 0x7c0f9e16, 0x8ee7eb4a, 0xfe1a7f9b, 0x4fe342e2]);
/** -n^-1 mod 2^32 and R^2 mod n (R = 2^256), for Montgomery arithmetic modulo n (ECDSA). */
export const P256_N0: u32 = 0xee00bc4f;
export const P256_NR2: usize = memory.data<u32>([0xbe79eea2, 0x83244c95, 0x49bd6fa6, 0x4699799c, 0x2b6bec59, 0x2845b239, 0xf3d95620, 0x66e12d94]);
/** p - 2 (the Fermat inversion exponent), little-endian limbs. */
export const P256_PM2: usize = memory.data<u32>([0xfffffffd, 0xffffffff, 0xffffffff, 0x00000000, 0x00000000, 0x00000000, 0x00000001, 0xffffffff]);

// Solinas terms for P-256 (c = c15..c0, 32-bit words of the 512-bit product, MSB first):
//   s1 = (c7,c6,c5,c4,c3,c2,c1,c0)        s2 = (c15,c14,c13,c12,c11,0,0,0)
//   s3 = (0,c15,c14,c13,c12,0,0,0)        s4 = (c15,c14,0,0,0,c10,c9,c8)
//   s5 = (c8,c13,c15,c14,c13,c11,c10,c9)  s6 = (c10,c8,0,0,0,c13,c12,c11)
//   s7 = (c11,c9,0,0,c15,c14,c13,c12)     s8 = (c12,0,c10,c9,c8,c15,c14,c13)
//   s9 = (c13,0,c11,c10,c9,0,c15,c14)
//   c mod p = s1 + 2 s2 + 2 s3 + s4 + s5 - s6 - s7 - s8 - s9 (mod p)
// t_j below is the column sum of word j of that expression.

// Reduces the 2N-word product c (words c0..c15, each < 2^32) modulo p and stores it fully reduced at r.
@inline function p256Reduce(r: usize, c0: u64, c1: u64, c2: u64, c3: u64, c4: u64, c5: u64, c6: u64, c7: u64, c8: u64, c9: u64, c10: u64, c11: u64, c12: u64, c13: u64, c14: u64, c15: u64): void {
  // Solinas reduction: column sums of the signed terms, then signed carry propagation.
  let t0: i64 = <i64>(c0 + c8 + c9) - <i64>(c11 + c12 + c13 + c14);
  let t1: i64 = <i64>(c1 + c9 + c10) - <i64>(c12 + c13 + c14 + c15) + (t0 >> 32);
  let t2: i64 = <i64>(c2 + c10 + c11) - <i64>(c13 + c14 + c15) + (t1 >> 32);
  let t3: i64 = <i64>(c3 + (c11 << 1) + (c12 << 1) + c13) - <i64>(c15 + c8 + c9) + (t2 >> 32);
  let t4: i64 = <i64>(c4 + (c12 << 1) + (c13 << 1) + c14) - <i64>(c9 + c10) + (t3 >> 32);
  let t5: i64 = <i64>(c5 + (c13 << 1) + (c14 << 1) + c15) - <i64>(c10 + c11) + (t4 >> 32);
  let t6: i64 = <i64>(c6 + c14 * 3 + (c15 << 1) + c13) - <i64>(c8 + c9) + (t5 >> 32);
  let t7: i64 = <i64>(c7 + c15 * 3 + c8) - <i64>(c10 + c11 + c12 + c13) + (t6 >> 32);
  let top: i64 = t7 >> 32;
  // Fold the signed top carry back in (2^256 = 2^224 - 2^192 - 2^96 + 1 mod p); afterwards top is -1, 0 or 1.
  t0 = (t0 & 0xffffffff) + top;
  t1 = (t1 & 0xffffffff) + (t0 >> 32);
  t2 = (t2 & 0xffffffff) + (t1 >> 32);
  t3 = (t3 & 0xffffffff) - top + (t2 >> 32);
  t4 = (t4 & 0xffffffff) + (t3 >> 32);
  t5 = (t5 & 0xffffffff) + (t4 >> 32);
  t6 = (t6 & 0xffffffff) - top + (t5 >> 32);
  t7 = (t7 & 0xffffffff) + top + (t6 >> 32);
  top = t7 >> 32;
  // The value is now w + top * 2^256 with -p < value < 2p: add p when top = -1, then subtract p
  // when the value is still >= p (top = 1 or no borrow). Masks only, no branches.
  const neg: u64 = <u64>(top >> 63);
  const s0: u64 = <u64>(t0 & 0xffffffff) + (neg & 0xffffffff);
  const s1: u64 = <u64>(t1 & 0xffffffff) + (neg & 0xffffffff) + (s0 >> 32);
  const s2: u64 = <u64>(t2 & 0xffffffff) + (neg & 0xffffffff) + (s1 >> 32);
  const s3: u64 = <u64>(t3 & 0xffffffff) + (s2 >> 32);
  const s4: u64 = <u64>(t4 & 0xffffffff) + (s3 >> 32);
  const s5: u64 = <u64>(t5 & 0xffffffff) + (s4 >> 32);
  const s6: u64 = <u64>(t6 & 0xffffffff) + (neg & 0x00000001) + (s5 >> 32);
  const s7: u64 = <u64>(t7 & 0xffffffff) + (neg & 0xffffffff) + (s6 >> 32);
  const one: u64 = <u64>(top + 1) >> 1;
  const d0: u64 = (s0 & 0xffffffff) - 0xffffffff;
  const d1: u64 = (s1 & 0xffffffff) - 0xffffffff - (d0 >>> 63);
  const d2: u64 = (s2 & 0xffffffff) - 0xffffffff - (d1 >>> 63);
  const d3: u64 = (s3 & 0xffffffff) - (d2 >>> 63);
  const d4: u64 = (s4 & 0xffffffff) - (d3 >>> 63);
  const d5: u64 = (s5 & 0xffffffff) - (d4 >>> 63);
  const d6: u64 = (s6 & 0xffffffff) - 0x00000001 - (d5 >>> 63);
  const d7: u64 = (s7 & 0xffffffff) - 0xffffffff - (d6 >>> 63);
  const m: u64 = 0 - ((one | ((d7 >>> 63) ^ 1)) & 1);
  store<u32>(r, <u32>(s0 ^ (m & (s0 ^ d0))), 0);
  store<u32>(r, <u32>(s1 ^ (m & (s1 ^ d1))), 4);
  store<u32>(r, <u32>(s2 ^ (m & (s2 ^ d2))), 8);
  store<u32>(r, <u32>(s3 ^ (m & (s3 ^ d3))), 12);
  store<u32>(r, <u32>(s4 ^ (m & (s4 ^ d4))), 16);
  store<u32>(r, <u32>(s5 ^ (m & (s5 ^ d5))), 20);
  store<u32>(r, <u32>(s6 ^ (m & (s6 ^ d6))), 24);
  store<u32>(r, <u32>(s7 ^ (m & (s7 ^ d7))), 28);
}

/** r = a * b mod p, fully reduced (r may alias a or b). Constant time. */
export function p256Mul(r: usize, a: usize, b: usize): void {
  const a0 = <u64>load<u32>(a, 0), b0 = <u64>load<u32>(b, 0);
  const a1 = <u64>load<u32>(a, 4), b1 = <u64>load<u32>(b, 4);
  const a2 = <u64>load<u32>(a, 8), b2 = <u64>load<u32>(b, 8);
  const a3 = <u64>load<u32>(a, 12), b3 = <u64>load<u32>(b, 12);
  const a4 = <u64>load<u32>(a, 16), b4 = <u64>load<u32>(b, 16);
  const a5 = <u64>load<u32>(a, 20), b5 = <u64>load<u32>(b, 20);
  const a6 = <u64>load<u32>(a, 24), b6 = <u64>load<u32>(b, 24);
  const a7 = <u64>load<u32>(a, 28), b7 = <u64>load<u32>(b, 28);
  let p: u64, lo: u64, hi: u64, cy: u64;
  p = a0 * b0; const c0 = p & 0xffffffff; cy = p >> 32;
  p = a0 * b1; lo = cy + (p & 0xffffffff); hi = p >> 32;
  p = a1 * b0; lo += p & 0xffffffff; hi += p >> 32;
  const c1 = lo & 0xffffffff; cy = hi + (lo >> 32);
  p = a0 * b2; lo = cy + (p & 0xffffffff); hi = p >> 32;
  p = a1 * b1; lo += p & 0xffffffff; hi += p >> 32;
  p = a2 * b0; lo += p & 0xffffffff; hi += p >> 32;
  const c2 = lo & 0xffffffff; cy = hi + (lo >> 32);
  p = a0 * b3; lo = cy + (p & 0xffffffff); hi = p >> 32;
  p = a1 * b2; lo += p & 0xffffffff; hi += p >> 32;
  p = a2 * b1; lo += p & 0xffffffff; hi += p >> 32;
  p = a3 * b0; lo += p & 0xffffffff; hi += p >> 32;
  const c3 = lo & 0xffffffff; cy = hi + (lo >> 32);
  p = a0 * b4; lo = cy + (p & 0xffffffff); hi = p >> 32;
  p = a1 * b3; lo += p & 0xffffffff; hi += p >> 32;
  p = a2 * b2; lo += p & 0xffffffff; hi += p >> 32;
  p = a3 * b1; lo += p & 0xffffffff; hi += p >> 32;
  p = a4 * b0; lo += p & 0xffffffff; hi += p >> 32;
  const c4 = lo & 0xffffffff; cy = hi + (lo >> 32);
  p = a0 * b5; lo = cy + (p & 0xffffffff); hi = p >> 32;
  p = a1 * b4; lo += p & 0xffffffff; hi += p >> 32;
  p = a2 * b3; lo += p & 0xffffffff; hi += p >> 32;
  p = a3 * b2; lo += p & 0xffffffff; hi += p >> 32;
  p = a4 * b1; lo += p & 0xffffffff; hi += p >> 32;
  p = a5 * b0; lo += p & 0xffffffff; hi += p >> 32;
  const c5 = lo & 0xffffffff; cy = hi + (lo >> 32);
  p = a0 * b6; lo = cy + (p & 0xffffffff); hi = p >> 32;
  p = a1 * b5; lo += p & 0xffffffff; hi += p >> 32;
  p = a2 * b4; lo += p & 0xffffffff; hi += p >> 32;
  p = a3 * b3; lo += p & 0xffffffff; hi += p >> 32;
  p = a4 * b2; lo += p & 0xffffffff; hi += p >> 32;
  p = a5 * b1; lo += p & 0xffffffff; hi += p >> 32;
  p = a6 * b0; lo += p & 0xffffffff; hi += p >> 32;
  const c6 = lo & 0xffffffff; cy = hi + (lo >> 32);
  p = a0 * b7; lo = cy + (p & 0xffffffff); hi = p >> 32;
  p = a1 * b6; lo += p & 0xffffffff; hi += p >> 32;
  p = a2 * b5; lo += p & 0xffffffff; hi += p >> 32;
  p = a3 * b4; lo += p & 0xffffffff; hi += p >> 32;
  p = a4 * b3; lo += p & 0xffffffff; hi += p >> 32;
  p = a5 * b2; lo += p & 0xffffffff; hi += p >> 32;
  p = a6 * b1; lo += p & 0xffffffff; hi += p >> 32;
  p = a7 * b0; lo += p & 0xffffffff; hi += p >> 32;
  const c7 = lo & 0xffffffff; cy = hi + (lo >> 32);
  p = a1 * b7; lo = cy + (p & 0xffffffff); hi = p >> 32;
  p = a2 * b6; lo += p & 0xffffffff; hi += p >> 32;
  p = a3 * b5; lo += p & 0xffffffff; hi += p >> 32;
  p = a4 * b4; lo += p & 0xffffffff; hi += p >> 32;
  p = a5 * b3; lo += p & 0xffffffff; hi += p >> 32;
  p = a6 * b2; lo += p & 0xffffffff; hi += p >> 32;
  p = a7 * b1; lo += p & 0xffffffff; hi += p >> 32;
  const c8 = lo & 0xffffffff; cy = hi + (lo >> 32);
  p = a2 * b7; lo = cy + (p & 0xffffffff); hi = p >> 32;
  p = a3 * b6; lo += p & 0xffffffff; hi += p >> 32;
  p = a4 * b5; lo += p & 0xffffffff; hi += p >> 32;
  p = a5 * b4; lo += p & 0xffffffff; hi += p >> 32;
  p = a6 * b3; lo += p & 0xffffffff; hi += p >> 32;
  p = a7 * b2; lo += p & 0xffffffff; hi += p >> 32;
  const c9 = lo & 0xffffffff; cy = hi + (lo >> 32);
  p = a3 * b7; lo = cy + (p & 0xffffffff); hi = p >> 32;
  p = a4 * b6; lo += p & 0xffffffff; hi += p >> 32;
  p = a5 * b5; lo += p & 0xffffffff; hi += p >> 32;
  p = a6 * b4; lo += p & 0xffffffff; hi += p >> 32;
  p = a7 * b3; lo += p & 0xffffffff; hi += p >> 32;
  const c10 = lo & 0xffffffff; cy = hi + (lo >> 32);
  p = a4 * b7; lo = cy + (p & 0xffffffff); hi = p >> 32;
  p = a5 * b6; lo += p & 0xffffffff; hi += p >> 32;
  p = a6 * b5; lo += p & 0xffffffff; hi += p >> 32;
  p = a7 * b4; lo += p & 0xffffffff; hi += p >> 32;
  const c11 = lo & 0xffffffff; cy = hi + (lo >> 32);
  p = a5 * b7; lo = cy + (p & 0xffffffff); hi = p >> 32;
  p = a6 * b6; lo += p & 0xffffffff; hi += p >> 32;
  p = a7 * b5; lo += p & 0xffffffff; hi += p >> 32;
  const c12 = lo & 0xffffffff; cy = hi + (lo >> 32);
  p = a6 * b7; lo = cy + (p & 0xffffffff); hi = p >> 32;
  p = a7 * b6; lo += p & 0xffffffff; hi += p >> 32;
  const c13 = lo & 0xffffffff; cy = hi + (lo >> 32);
  p = a7 * b7; lo = cy + (p & 0xffffffff); hi = p >> 32;
  const c14 = lo & 0xffffffff; cy = hi + (lo >> 32);
  const c15 = cy;
  p256Reduce(r, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15);
}

/** r = a^2 mod p, fully reduced (r may alias a). Constant time. */
export function p256Sqr(r: usize, a: usize): void {
  const a0 = <u64>load<u32>(a, 0);
  const a1 = <u64>load<u32>(a, 4);
  const a2 = <u64>load<u32>(a, 8);
  const a3 = <u64>load<u32>(a, 12);
  const a4 = <u64>load<u32>(a, 16);
  const a5 = <u64>load<u32>(a, 20);
  const a6 = <u64>load<u32>(a, 24);
  const a7 = <u64>load<u32>(a, 28);
  let p: u64, lo: u64, hi: u64, cy: u64 = 0;
  p = a0 * a0; lo = (p & 0xffffffff) + cy; hi = p >> 32;
  const c0 = lo & 0xffffffff; cy = hi + (lo >> 32);
  p = a0 * a1; lo = p & 0xffffffff; hi = p >> 32;
  lo = (lo << 1) + cy; hi = hi << 1;
  const c1 = lo & 0xffffffff; cy = hi + (lo >> 32);
  p = a0 * a2; lo = p & 0xffffffff; hi = p >> 32;
  p = a1 * a1; lo = (lo << 1) + (p & 0xffffffff) + cy; hi = (hi << 1) + (p >> 32);
  const c2 = lo & 0xffffffff; cy = hi + (lo >> 32);
  p = a0 * a3; lo = p & 0xffffffff; hi = p >> 32;
  p = a1 * a2; lo += p & 0xffffffff; hi += p >> 32;
  lo = (lo << 1) + cy; hi = hi << 1;
  const c3 = lo & 0xffffffff; cy = hi + (lo >> 32);
  p = a0 * a4; lo = p & 0xffffffff; hi = p >> 32;
  p = a1 * a3; lo += p & 0xffffffff; hi += p >> 32;
  p = a2 * a2; lo = (lo << 1) + (p & 0xffffffff) + cy; hi = (hi << 1) + (p >> 32);
  const c4 = lo & 0xffffffff; cy = hi + (lo >> 32);
  p = a0 * a5; lo = p & 0xffffffff; hi = p >> 32;
  p = a1 * a4; lo += p & 0xffffffff; hi += p >> 32;
  p = a2 * a3; lo += p & 0xffffffff; hi += p >> 32;
  lo = (lo << 1) + cy; hi = hi << 1;
  const c5 = lo & 0xffffffff; cy = hi + (lo >> 32);
  p = a0 * a6; lo = p & 0xffffffff; hi = p >> 32;
  p = a1 * a5; lo += p & 0xffffffff; hi += p >> 32;
  p = a2 * a4; lo += p & 0xffffffff; hi += p >> 32;
  p = a3 * a3; lo = (lo << 1) + (p & 0xffffffff) + cy; hi = (hi << 1) + (p >> 32);
  const c6 = lo & 0xffffffff; cy = hi + (lo >> 32);
  p = a0 * a7; lo = p & 0xffffffff; hi = p >> 32;
  p = a1 * a6; lo += p & 0xffffffff; hi += p >> 32;
  p = a2 * a5; lo += p & 0xffffffff; hi += p >> 32;
  p = a3 * a4; lo += p & 0xffffffff; hi += p >> 32;
  lo = (lo << 1) + cy; hi = hi << 1;
  const c7 = lo & 0xffffffff; cy = hi + (lo >> 32);
  p = a1 * a7; lo = p & 0xffffffff; hi = p >> 32;
  p = a2 * a6; lo += p & 0xffffffff; hi += p >> 32;
  p = a3 * a5; lo += p & 0xffffffff; hi += p >> 32;
  p = a4 * a4; lo = (lo << 1) + (p & 0xffffffff) + cy; hi = (hi << 1) + (p >> 32);
  const c8 = lo & 0xffffffff; cy = hi + (lo >> 32);
  p = a2 * a7; lo = p & 0xffffffff; hi = p >> 32;
  p = a3 * a6; lo += p & 0xffffffff; hi += p >> 32;
  p = a4 * a5; lo += p & 0xffffffff; hi += p >> 32;
  lo = (lo << 1) + cy; hi = hi << 1;
  const c9 = lo & 0xffffffff; cy = hi + (lo >> 32);
  p = a3 * a7; lo = p & 0xffffffff; hi = p >> 32;
  p = a4 * a6; lo += p & 0xffffffff; hi += p >> 32;
  p = a5 * a5; lo = (lo << 1) + (p & 0xffffffff) + cy; hi = (hi << 1) + (p >> 32);
  const c10 = lo & 0xffffffff; cy = hi + (lo >> 32);
  p = a4 * a7; lo = p & 0xffffffff; hi = p >> 32;
  p = a5 * a6; lo += p & 0xffffffff; hi += p >> 32;
  lo = (lo << 1) + cy; hi = hi << 1;
  const c11 = lo & 0xffffffff; cy = hi + (lo >> 32);
  p = a5 * a7; lo = p & 0xffffffff; hi = p >> 32;
  p = a6 * a6; lo = (lo << 1) + (p & 0xffffffff) + cy; hi = (hi << 1) + (p >> 32);
  const c12 = lo & 0xffffffff; cy = hi + (lo >> 32);
  p = a6 * a7; lo = p & 0xffffffff; hi = p >> 32;
  lo = (lo << 1) + cy; hi = hi << 1;
  const c13 = lo & 0xffffffff; cy = hi + (lo >> 32);
  p = a7 * a7; lo = (p & 0xffffffff) + cy; hi = p >> 32;
  const c14 = lo & 0xffffffff; cy = hi + (lo >> 32);
  const c15 = cy;
  p256Reduce(r, c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15);
}

/** r = a + b mod p (inputs fully reduced; r may alias). Constant time. */
export function p256Add(r: usize, a: usize, b: usize): void {
  const s0: u64 = <u64>load<u32>(a, 0) + <u64>load<u32>(b, 0);
  const s1: u64 = <u64>load<u32>(a, 4) + <u64>load<u32>(b, 4) + (s0 >> 32);
  const s2: u64 = <u64>load<u32>(a, 8) + <u64>load<u32>(b, 8) + (s1 >> 32);
  const s3: u64 = <u64>load<u32>(a, 12) + <u64>load<u32>(b, 12) + (s2 >> 32);
  const s4: u64 = <u64>load<u32>(a, 16) + <u64>load<u32>(b, 16) + (s3 >> 32);
  const s5: u64 = <u64>load<u32>(a, 20) + <u64>load<u32>(b, 20) + (s4 >> 32);
  const s6: u64 = <u64>load<u32>(a, 24) + <u64>load<u32>(b, 24) + (s5 >> 32);
  const s7: u64 = <u64>load<u32>(a, 28) + <u64>load<u32>(b, 28) + (s6 >> 32);
  const one: u64 = s7 >> 32;
  const d0: u64 = (s0 & 0xffffffff) - 0xffffffff;
  const d1: u64 = (s1 & 0xffffffff) - 0xffffffff - (d0 >>> 63);
  const d2: u64 = (s2 & 0xffffffff) - 0xffffffff - (d1 >>> 63);
  const d3: u64 = (s3 & 0xffffffff) - (d2 >>> 63);
  const d4: u64 = (s4 & 0xffffffff) - (d3 >>> 63);
  const d5: u64 = (s5 & 0xffffffff) - (d4 >>> 63);
  const d6: u64 = (s6 & 0xffffffff) - 0x00000001 - (d5 >>> 63);
  const d7: u64 = (s7 & 0xffffffff) - 0xffffffff - (d6 >>> 63);
  const m: u64 = 0 - ((one | ((d7 >>> 63) ^ 1)) & 1);
  store<u32>(r, <u32>(s0 ^ (m & (s0 ^ d0))), 0);
  store<u32>(r, <u32>(s1 ^ (m & (s1 ^ d1))), 4);
  store<u32>(r, <u32>(s2 ^ (m & (s2 ^ d2))), 8);
  store<u32>(r, <u32>(s3 ^ (m & (s3 ^ d3))), 12);
  store<u32>(r, <u32>(s4 ^ (m & (s4 ^ d4))), 16);
  store<u32>(r, <u32>(s5 ^ (m & (s5 ^ d5))), 20);
  store<u32>(r, <u32>(s6 ^ (m & (s6 ^ d6))), 24);
  store<u32>(r, <u32>(s7 ^ (m & (s7 ^ d7))), 28);
}

/** r = a - b mod p (inputs fully reduced; r may alias). Constant time. */
export function p256Sub(r: usize, a: usize, b: usize): void {
  const d0: u64 = <u64>load<u32>(a, 0) - <u64>load<u32>(b, 0);
  const d1: u64 = <u64>load<u32>(a, 4) - <u64>load<u32>(b, 4) - (d0 >>> 63);
  const d2: u64 = <u64>load<u32>(a, 8) - <u64>load<u32>(b, 8) - (d1 >>> 63);
  const d3: u64 = <u64>load<u32>(a, 12) - <u64>load<u32>(b, 12) - (d2 >>> 63);
  const d4: u64 = <u64>load<u32>(a, 16) - <u64>load<u32>(b, 16) - (d3 >>> 63);
  const d5: u64 = <u64>load<u32>(a, 20) - <u64>load<u32>(b, 20) - (d4 >>> 63);
  const d6: u64 = <u64>load<u32>(a, 24) - <u64>load<u32>(b, 24) - (d5 >>> 63);
  const d7: u64 = <u64>load<u32>(a, 28) - <u64>load<u32>(b, 28) - (d6 >>> 63);
  const m: u64 = 0 - (d7 >>> 63);
  const s0: u64 = (d0 & 0xffffffff) + (m & 0xffffffff);
  store<u32>(r, <u32>s0, 0);
  const s1: u64 = (d1 & 0xffffffff) + (m & 0xffffffff) + (s0 >> 32);
  store<u32>(r, <u32>s1, 4);
  const s2: u64 = (d2 & 0xffffffff) + (m & 0xffffffff) + (s1 >> 32);
  store<u32>(r, <u32>s2, 8);
  const s3: u64 = (d3 & 0xffffffff) + (s2 >> 32);
  store<u32>(r, <u32>s3, 12);
  const s4: u64 = (d4 & 0xffffffff) + (s3 >> 32);
  store<u32>(r, <u32>s4, 16);
  const s5: u64 = (d5 & 0xffffffff) + (s4 >> 32);
  store<u32>(r, <u32>s5, 20);
  const s6: u64 = (d6 & 0xffffffff) + (m & 0x00000001) + (s5 >> 32);
  store<u32>(r, <u32>s6, 24);
  const s7: u64 = (d7 & 0xffffffff) + (m & 0xffffffff) + (s6 >> 32);
  store<u32>(r, <u32>s7, 28);
}
