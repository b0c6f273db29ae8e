// AES-128 / AES-256 forward cipher (all GCM needs), constant time, SIMD-bitsliced.
//
// Layout: eight blocks are processed at once as eight v128 "planes". Plane i holds bit i of every
// state byte of all eight blocks: byte lane j of plane i carries, in its bit b, bit i of byte j of
// block b. (Going from blocks to planes is an 8x8 bit transposition per byte lane.) Then
//   - SubBytes is a boolean circuit (Boyar and Peralta, "A new combinational logic minimization
//     technique with applications to cryptology", 2009: 113 gates) evaluated with v128 and/xor,
//     128 S-boxes per evaluation;
//   - ShiftRows is one byte shuffle per plane (i8x16.swizzle = PSHUFB/TBL with a fixed, public
//     pattern) and MixColumns' row rotations are 32-bit lane rotations (the state is kept
//     row-major between rounds, see aesRound);
//   - multiplication by x in GF(2^8) just renames planes (plus XORs of plane 7 for 0x1b).
// Nothing indexes memory by, or branches on, key or data bits. Round keys are stored already
// broadcast into planes (lane j of plane i is 0xff when bit i of round-key byte j is set), and
// the key schedule's SubWord runs through the same bitsliced S-box.
//
// The S-box's four output NOTs (its affine constant 0x63) are not computed: because
// MixColumns maps the all-0x63 state to itself and ShiftRows permutes bytes, adding 0x63 to
// every byte of round keys 1..Nr gives exactly the same cipher.
//
// Internal API (used by gcm.ts, callable by TLS code):
//   const aes = new Aes();                          buffers allocated once, here
//   aes.setKey(keyPtr, 16 | 32): bool               false (and unkeyed) for other lengths
//   aes.encryptBlock(inPtr, outPtr)                 one block (costs as much as eight)
//   aes.encrypt8(ptr)                               eight consecutive blocks, in place
//   aes.keystream8(ctrPtr, add, outPtr)             E(ctr+add) .. E(ctr+add+7), 128 bytes
//   aes.ctr32(ctrPtr, add, inPtr, outPtr, len)      CTR mode with GCM's 32-bit counter (inc32)
//   aes.clearScratch()                              erase working state (keeps the key)
//   aes.wipe()                                      erase everything
import { wipe, load32be } from './ct';

/** Size of one bitsliced group: eight planes of 16 bytes = eight AES blocks. */
const GROUP: i32 = 128;

@inline function X(a: v128, b: v128): v128 { return v128.xor(a, b); }
@inline function A(a: v128, b: v128): v128 { return v128.and(a, b); }

// Byte permutations. Column-major index: 4*col + row (the blocks' own order); row-major: 4*row + col.
//   FIRST: column-major in, ShiftRows, row-major out: 0 4 8 12 5 9 13 1 10 14 2 6 15 3 7 11
//   MID:   ShiftRows within row-major:                0 1 2 3 5 6 7 4 10 11 8 9 15 12 13 14
//   LAST:  row-major in, ShiftRows, column-major out:  0 5 10 15 1 6 11 12 2 7 8 13 3 4 9 14
//   T4:    column-major <-> row-major (own inverse):   0 4 8 12 1 5 9 13 2 6 10 14 3 7 11 15
// They are applied with i8x16.swizzle on a pattern loaded from memory rather than as constant
// i8x16.shuffle: V8 re-materialises a constant shuffle mask at every use (four instructions),
// which made ShiftRows cost more than the S-box's AND gates.
/** The FIRST, MID and LAST patterns (indexed by round kind), then the transposition masks. */
const SHUFFLES: usize = memory.data<u8>([
  0, 4, 8, 12, 5, 9, 13, 1, 10, 14, 2, 6, 15, 3, 7, 11,
  0, 1, 2, 3, 5, 6, 7, 4, 10, 11, 8, 9, 15, 12, 13, 14,
  0, 5, 10, 15, 1, 6, 11, 12, 2, 7, 8, 13, 3, 4, 9, 14,
  0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55,
  0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33, 0x33,
  0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f, 0x0f,
], 16);
@inline function shT4(a: v128): v128 {
  return i8x16.shuffle(a, a, 0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
}
/** Row-major: row r takes row r + 1 (one 32-bit lane rotation). */
@inline function rows1(a: v128): v128 {
  return i8x16.shuffle(a, a, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3);
}
/** Row-major: row r takes row r + 2. */
@inline function rows2(a: v128): v128 {
  return i8x16.shuffle(a, a, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);
}

/** Round kinds for aesRound (public values; they select code, never data). */
const FIRST_ROUND: i32 = 0;
const MIDDLE_ROUND: i32 = 1;
const FINAL_ROUND: i32 = 2;

/**
 * One AES round on the eight planes at p (in place), round-key planes at k:
 * SubBytes (as S(x) ^ 0x63, see the header), ShiftRows, MixColumns (not in the final round),
 * AddRoundKey. All of it is straight-line code on v128 values: constant time.
 *
 * Byte layouts. Planes enter the first round in the blocks' own byte order (byte 4*col + row)
 * and leave the final round in it, but between rounds they are kept row-major (lane 4*row +
 * col): there, MixColumns' row rotations are whole 32-bit lane rotations (one pshufd) and only
 * ShiftRows needs a byte shuffle. The first round's shuffle also converts to row-major and the
 * final round's converts back, so the layout change costs nothing.
 */
function aesRound(p: usize, k: usize, kind: i32): void {
  // x0 is the most significant bit of each byte, x7 the least.
  const x7 = v128.load(p, 0);
  const x6 = v128.load(p, 16);
  const x5 = v128.load(p, 32);
  const x4 = v128.load(p, 48);
  const x3 = v128.load(p, 64);
  const x2 = v128.load(p, 80);
  const x1 = v128.load(p, 96);
  const x0 = v128.load(p, 112);

  // Top linear layer.
  const y14 = X(x3, x5);
  const y13 = X(x0, x6);
  const y9 = X(x0, x3);
  const y8 = X(x0, x5);
  const t0 = X(x1, x2);
  const y1 = X(t0, x7);
  const y4 = X(y1, x3);
  const y12 = X(y13, y14);
  const y2 = X(y1, x0);
  const y5 = X(y1, x6);
  const y3 = X(y5, y8);
  const t1 = X(x4, y12);
  const y15 = X(t1, x5);
  const y20 = X(t1, x1);
  const y6 = X(y15, x7);
  const y10 = X(y15, t0);
  const y11 = X(y20, y9);
  const y7 = X(x7, y11);
  const y17 = X(y10, y11);
  const y19 = X(y10, y8);
  const y16 = X(t0, y11);
  const y21 = X(y13, y16);
  const y18 = X(x0, y16);

  // Middle, non-linear layer (inversion in GF(2^4)^2).
  const t2 = A(y12, y15);
  const t3 = A(y3, y6);
  const t4 = X(t3, t2);
  const t5 = A(y4, x7);
  const t6 = X(t5, t2);
  const t7 = A(y13, y16);
  const t8 = A(y5, y1);
  const t9 = X(t8, t7);
  const t10 = A(y2, y7);
  const t11 = X(t10, t7);
  const t12 = A(y9, y11);
  const t13 = A(y14, y17);
  const t14 = X(t13, t12);
  const t15 = A(y8, y10);
  const t16 = X(t15, t12);
  const t17 = X(t4, t14);
  const t18 = X(t6, t16);
  const t19 = X(t9, t14);
  const t20 = X(t11, t16);
  const t21 = X(t17, y20);
  const t22 = X(t18, y19);
  const t23 = X(t19, y21);
  const t24 = X(t20, y18);

  const t25 = X(t21, t22);
  const t26 = A(t21, t23);
  const t27 = X(t24, t26);
  const t28 = A(t25, t27);
  const t29 = X(t28, t22);
  const t30 = X(t23, t24);
  const t31 = X(t22, t26);
  const t32 = A(t31, t30);
  const t33 = X(t32, t24);
  const t34 = X(t23, t33);
  const t35 = X(t27, t33);
  const t36 = A(t24, t35);
  const t37 = X(t36, t34);
  const t38 = X(t27, t36);
  const t39 = A(t29, t38);
  const t40 = X(t25, t39);

  const t41 = X(t40, t37);
  const t42 = X(t29, t33);
  const t43 = X(t29, t40);
  const t44 = X(t33, t37);
  const t45 = X(t42, t41);
  const z0 = A(t44, y15);
  const z1 = A(t37, y6);
  const z2 = A(t33, x7);
  const z3 = A(t43, y16);
  const z4 = A(t40, y1);
  const z5 = A(t29, y7);
  const z6 = A(t42, y11);
  const z7 = A(t45, y17);
  const z8 = A(t41, y10);
  const z9 = A(t44, y12);
  const z10 = A(t37, y3);
  const z11 = A(t33, y4);
  const z12 = A(t43, y13);
  const z13 = A(t40, y5);
  const z14 = A(t29, y2);
  const z15 = A(t42, y9);
  const z16 = A(t45, y14);
  const z17 = A(t41, y8);

  // Bottom linear layer (output NOTs dropped, see the file header).
  const t46 = X(z15, z16);
  const t47 = X(z10, z11);
  const t48 = X(z5, z13);
  const t49 = X(z9, z10);
  const t50 = X(z2, z12);
  const t51 = X(z2, z5);
  const t52 = X(z7, z8);
  const t53 = X(z0, z3);
  const t54 = X(z6, z7);
  const t55 = X(z16, z17);
  const t56 = X(z12, t48);
  const t57 = X(t50, t53);
  const t58 = X(z4, t46);
  const t59 = X(z3, t54);
  const t60 = X(t46, t57);
  const t61 = X(z14, t57);
  const t62 = X(t52, t58);
  const t63 = X(t49, t58);
  const t64 = X(z4, t59);
  const t65 = X(t61, t62);
  const t66 = X(z1, t63);
  const s0 = X(t59, t63);
  const s6 = X(t56, t62); // true S-box: NOT of this
  const s7 = X(t48, t60); // NOT
  const t67 = X(t64, t65);
  const s3 = X(t53, t66);
  const s4 = X(t51, t66);
  const s5 = X(t47, t65);
  const s1 = X(t64, s3); // true S-box: t64 ^ ~s3, i.e. NOT of this
  const s2 = X(t55, t67); // NOT

  // Plane i (bit i) of the S-box output is s(7 - i). ShiftRows (with the layout change of the
  // first/final round) is one byte shuffle whose pattern is selected by the public round kind.
  const sh = v128.load(SHUFFLES + (<usize>kind << 4));
  const a0 = i8x16.swizzle(s7, sh), a1 = i8x16.swizzle(s6, sh);
  const a2 = i8x16.swizzle(s5, sh), a3 = i8x16.swizzle(s4, sh);
  const a4 = i8x16.swizzle(s3, sh), a5 = i8x16.swizzle(s2, sh);
  const a6 = i8x16.swizzle(s1, sh), a7 = i8x16.swizzle(s0, sh);
  if (kind == FINAL_ROUND) {
    v128.store(p, X(a0, v128.load(k, 0)), 0);
    v128.store(p, X(a1, v128.load(k, 16)), 16);
    v128.store(p, X(a2, v128.load(k, 32)), 32);
    v128.store(p, X(a3, v128.load(k, 48)), 48);
    v128.store(p, X(a4, v128.load(k, 64)), 64);
    v128.store(p, X(a5, v128.load(k, 80)), 80);
    v128.store(p, X(a6, v128.load(k, 96)), 96);
    v128.store(p, X(a7, v128.load(k, 112)), 112);
    return;
  }
  // MixColumns: with r = rows rotated by one and m = a ^ r,
  //   out = 2*m ^ r ^ (m with rows rotated by two);
  // doubling renames planes: (2m)_0 = m7, (2m)_1 = m0^m7, (2m)_2 = m1, (2m)_3 = m2^m7,
  // (2m)_4 = m3^m7, (2m)_5 = m4, (2m)_6 = m5, (2m)_7 = m6.
  const r0 = rows1(a0), r1 = rows1(a1), r2 = rows1(a2), r3 = rows1(a3);
  const r4 = rows1(a4), r5 = rows1(a5), r6 = rows1(a6), r7 = rows1(a7);
  const m0 = X(a0, r0), m1 = X(a1, r1), m2 = X(a2, r2), m3 = X(a3, r3);
  const m4 = X(a4, r4), m5 = X(a5, r5), m6 = X(a6, r6), m7 = X(a7, r7);
  v128.store(p, X(X(m7, r0), X(rows2(m0), v128.load(k, 0))), 0);
  v128.store(p, X(X(X(m0, m7), r1), X(rows2(m1), v128.load(k, 16))), 16);
  v128.store(p, X(X(m1, r2), X(rows2(m2), v128.load(k, 32))), 32);
  v128.store(p, X(X(X(m2, m7), r3), X(rows2(m3), v128.load(k, 48))), 48);
  v128.store(p, X(X(X(m3, m7), r4), X(rows2(m4), v128.load(k, 64))), 64);
  v128.store(p, X(X(m4, r5), X(rows2(m5), v128.load(k, 80))), 80);
  v128.store(p, X(X(m5, r6), X(rows2(m6), v128.load(k, 96))), 96);
  v128.store(p, X(X(m6, r7), X(rows2(m7), v128.load(k, 112))), 112);
}

/**
 * Turns the eight blocks at src (16 bytes each, consecutive) into eight planes at dst, or back:
 * for every byte position the 8x8 bit matrix (block, bit) is transposed, which is its own
 * inverse. src and dst may be equal. Three layers of swap-moves with masks 0x55, 0x33, 0x0f:
 * the masks keep every shift inside its byte, so 64-bit lane shifts are safe.
 */
@inline function transpose8(src: usize, dst: usize): void {
  let r0 = v128.load(src, 0);
  let r1 = v128.load(src, 16);
  let r2 = v128.load(src, 32);
  let r3 = v128.load(src, 48);
  let r4 = v128.load(src, 64);
  let r5 = v128.load(src, 80);
  let r6 = v128.load(src, 96);
  let r7 = v128.load(src, 112);
  const m1 = v128.load(SHUFFLES, 48); // 0x55..
  const m2 = v128.load(SHUFFLES, 64); // 0x33..
  const m4 = v128.load(SHUFFLES, 80); // 0x0f..
  let t: v128;
  // Layer 1: swap odd bits of row 2k with even bits of row 2k+1.
  t = A(X(i64x2.shr_u(r0, 1), r1), m1); r1 = X(r1, t); r0 = X(r0, i64x2.shl(t, 1));
  t = A(X(i64x2.shr_u(r2, 1), r3), m1); r3 = X(r3, t); r2 = X(r2, i64x2.shl(t, 1));
  t = A(X(i64x2.shr_u(r4, 1), r5), m1); r5 = X(r5, t); r4 = X(r4, i64x2.shl(t, 1));
  t = A(X(i64x2.shr_u(r6, 1), r7), m1); r7 = X(r7, t); r6 = X(r6, i64x2.shl(t, 1));
  // Layer 2: bit pairs between rows r and r+2.
  t = A(X(i64x2.shr_u(r0, 2), r2), m2); r2 = X(r2, t); r0 = X(r0, i64x2.shl(t, 2));
  t = A(X(i64x2.shr_u(r1, 2), r3), m2); r3 = X(r3, t); r1 = X(r1, i64x2.shl(t, 2));
  t = A(X(i64x2.shr_u(r4, 2), r6), m2); r6 = X(r6, t); r4 = X(r4, i64x2.shl(t, 2));
  t = A(X(i64x2.shr_u(r5, 2), r7), m2); r7 = X(r7, t); r5 = X(r5, i64x2.shl(t, 2));
  // Layer 3: nibbles between rows r and r+4.
  t = A(X(i64x2.shr_u(r0, 4), r4), m4); r4 = X(r4, t); r0 = X(r0, i64x2.shl(t, 4));
  t = A(X(i64x2.shr_u(r1, 4), r5), m4); r5 = X(r5, t); r1 = X(r1, i64x2.shl(t, 4));
  t = A(X(i64x2.shr_u(r2, 4), r6), m4); r6 = X(r6, t); r2 = X(r2, i64x2.shl(t, 4));
  t = A(X(i64x2.shr_u(r3, 4), r7), m4); r7 = X(r7, t); r3 = X(r3, i64x2.shl(t, 4));
  v128.store(dst, r0, 0);
  v128.store(dst, r1, 16);
  v128.store(dst, r2, 32);
  v128.store(dst, r3, 48);
  v128.store(dst, r4, 64);
  v128.store(dst, r5, 80);
  v128.store(dst, r6, 96);
  v128.store(dst, r7, 112);
}

/** XORs the eight round-key planes at k into the eight planes at p. */
@inline function addRoundKey(p: usize, k: usize): void {
  v128.store(p, X(v128.load(p, 0), v128.load(k, 0)), 0);
  v128.store(p, X(v128.load(p, 16), v128.load(k, 16)), 16);
  v128.store(p, X(v128.load(p, 32), v128.load(k, 32)), 32);
  v128.store(p, X(v128.load(p, 48), v128.load(k, 48)), 48);
  v128.store(p, X(v128.load(p, 64), v128.load(k, 64)), 64);
  v128.store(p, X(v128.load(p, 80), v128.load(k, 80)), 80);
  v128.store(p, X(v128.load(p, 96), v128.load(k, 96)), 96);
  v128.store(p, X(v128.load(p, 112), v128.load(k, 112)), 112);
}

/** Broadcasts 16 round-key bytes at src into eight planes at dst (lane = 0xff or 0x00 per bit). */
function keyToPlanes(src: usize, dst: usize): void {
  const k = v128.load(src);
  // Move bit i to the sign position, then arithmetic-shift it across the byte.
  v128.store(dst, i8x16.shr_s(i8x16.shl(k, 7), 7), 0);
  v128.store(dst, i8x16.shr_s(i8x16.shl(k, 6), 7), 16);
  v128.store(dst, i8x16.shr_s(i8x16.shl(k, 5), 7), 32);
  v128.store(dst, i8x16.shr_s(i8x16.shl(k, 4), 7), 48);
  v128.store(dst, i8x16.shr_s(i8x16.shl(k, 3), 7), 64);
  v128.store(dst, i8x16.shr_s(i8x16.shl(k, 2), 7), 80);
  v128.store(dst, i8x16.shr_s(i8x16.shl(k, 1), 7), 96);
  v128.store(dst, i8x16.shr_s(k, 7), 112);
}

/** AES with a 128- or 256-bit key; encryption only. Allocates its buffers once, in the constructor. */
export class Aes {
  /** Number of rounds: 10 (AES-128), 14 (AES-256), 0 when no key is set. */
  rounds: i32 = 0;
  // Round keys as planes: (rounds + 1) * 128 bytes, up to 15 * 128.
  private rkBuf: StaticArray<u8> = new StaticArray<u8>(15 * GROUP);
  // Working state (eight blocks / planes) | all-zero round key | 16 bytes of key-schedule scratch.
  private stBuf: StaticArray<u8> = new StaticArray<u8>(2 * GROUP + 16);
  // Expanded key in plain bytes, only during setKey.
  private wBuf: StaticArray<u8> = new StaticArray<u8>(15 * 16);
  // Keystream for ctr32.
  private ksBuf: StaticArray<u8> = new StaticArray<u8>(GROUP);
  private rk: usize;
  private st: usize;
  private w: usize;
  private ks: usize;

  constructor() {
    this.rk = changetype<usize>(this.rkBuf);
    this.st = changetype<usize>(this.stBuf);
    this.w = changetype<usize>(this.wBuf);
    this.ks = changetype<usize>(this.ksBuf);
  }

  /** SubWord of the key schedule through the bitsliced S-box (no table). */
  private subWord(x: u32): u32 {
    const st = this.st;
    const zeroKey = st + GROUP;
    const scratch = st + 2 * GROUP;
    // The word (first byte lowest) in every 32-bit lane: the final round's shuffle takes lanes
    // 0, 5, 10, 15 (bytes 0, 1, 2, 3 of the word) into lanes 0..3.
    v128.store(scratch, i32x4.splat(x));
    keyToPlanes(scratch, st);
    aesRound(st, zeroKey, FINAL_ROUND);
    // Collect bit i of each lane from plane i (lanes are 0x00 / 0xff), then add back the
    // S-box constant the circuit leaves out.
    let acc = i8x16.splat(0);
    for (let i = 0; i < 8; i++) {
      acc = v128.or(acc, A(v128.load(st + (<usize>i << 4)), i8x16.splat(<i8>(<i32>1 << i))));
    }
    acc = X(acc, i8x16.splat(0x63));
    const r = i32x4.extract_lane(acc, 0);
    wipe(st, GROUP);
    wipe(scratch, 16);
    return <u32>r;
  }

  /** Sets a 16- or 32-byte key; returns false (and keeps no key) for any other length. */
  setKey(keyPtr: usize, keyLen: i32): bool {
    if (keyLen != 16 && keyLen != 32) {
      this.wipe();
      return false;
    }
    const nk = keyLen >> 2;
    const rounds = nk + 6;
    const nw = (rounds + 1) << 2;
    const w = this.w;
    // Words are kept little-endian in memory exactly as the key bytes, so that byte j of a
    // round key is byte j of w. A "word" value here is a u32 whose low byte is the first byte.
    for (let i = 0; i < nk; i++) store<u32>(w + (<usize>i << 2), load<u32>(keyPtr + (<usize>i << 2)));
    let rcon: u32 = 1;
    for (let i = nk; i < nw; i++) {
      let t = load<u32>(w + (<usize>(i - 1) << 2));
      const j = i % nk; // public loop position, not secret
      if (j == 0) {
        // RotWord (first byte moves last = rotate right by 8 in this little-endian view).
        t = this.subWord(rotr<u32>(t, 8)) ^ rcon;
        rcon = (rcon << 1) ^ ((rcon >> 7) * 0x11b);
      } else if (nk > 6 && j == 4) {
        t = this.subWord(t);
      }
      store<u32>(w + (<usize>i << 2), t ^ load<u32>(w + (<usize>(i - nk) << 2)));
    }
    // Round keys 1..Nr absorb the S-box constant 0x63 (see the file header); those of the
    // middle rounds are used in row-major byte order (see aesRound).
    for (let r = 0; r <= rounds; r++) {
      const src = w + (<usize>r << 4);
      let v = v128.load(src);
      if (r > 0) v = X(v, i8x16.splat(0x63));
      if (r > 0 && r < rounds) v = shT4(v);
      v128.store(src, v);
      keyToPlanes(src, this.rk + <usize>r * GROUP);
    }
    wipe(w, 15 * 16);
    // Clear unused round-key room left by a previous longer key.
    const used = (rounds + 1) * GROUP;
    wipe(this.rk + <usize>used, 15 * GROUP - used);
    this.rounds = rounds;
    return true;
  }

  /** Encrypts the eight consecutive blocks (128 bytes) at p in place. */
  encrypt8(p: usize): void {
    const st = this.st;
    let k = this.rk;
    const rounds = this.rounds;
    transpose8(p, st);
    addRoundKey(st, k);
    k += GROUP;
    aesRound(st, k, FIRST_ROUND);
    for (let r = 2; r < rounds; r++) {
      k += GROUP;
      aesRound(st, k, MIDDLE_ROUND);
    }
    k += GROUP;
    aesRound(st, k, FINAL_ROUND);
    transpose8(st, p);
  }

  /** Encrypts one 16-byte block (inPtr and outPtr may be equal). */
  encryptBlock(inPtr: usize, outPtr: usize): void {
    const st = this.st;
    v128.store(st, v128.load(inPtr));
    for (let i = 1; i < 8; i++) v128.store(st + (<usize>i << 4), i8x16.splat(0));
    this.encrypt8(st);
    v128.store(outPtr, v128.load(st));
    this.clearScratch();
  }

  /**
   * Writes the eight keystream blocks E(ctr + add), ..., E(ctr + add + 7) to out (128 bytes),
   * where ctr is the 16-byte counter block at ctrPtr whose last four bytes are a big-endian
   * counter incremented modulo 2^32 (GCM's inc32); the first 12 bytes never change.
   */
  keystream8(ctrPtr: usize, add: u32, out: usize): void {
    const base = v128.load(ctrPtr);
    const c = load32be(ctrPtr + 12) + add;
    for (let b: u32 = 0; b < 8; b++) {
      v128.store(out + (<usize>b << 4), i32x4.replace_lane(base, 3, <i32>bswap<u32>(c + b)));
    }
    this.encrypt8(out);
  }

  /**
   * CTR mode: out = in XOR keystream, len bytes, the first block using counter value
   * (counter in ctrPtr) + add. inPtr == outPtr is allowed (in-place); other overlaps are not.
   * Lengths are public. No allocation.
   */
  ctr32(ctrPtr: usize, add: u32, inPtr: usize, outPtr: usize, len: i32): void {
    // Keystream goes to its own buffer: encrypt8 uses st as its plane scratch.
    const kbuf = this.ks;
    let off: i32 = 0;
    let ctr = add;
    while (len - off >= GROUP) {
      this.keystream8(ctrPtr, ctr, kbuf);
      const ip = inPtr + <usize>off, op = outPtr + <usize>off;
      for (let i = 0; i < GROUP; i += 16) {
        v128.store(op + <usize>i, X(v128.load(ip + <usize>i), v128.load(kbuf + <usize>i)));
      }
      off += GROUP;
      ctr += 8;
    }
    const rest = len - off;
    if (rest > 0) {
      this.keystream8(ctrPtr, ctr, kbuf);
      const ip = inPtr + <usize>off, op = outPtr + <usize>off;
      let i = 0;
      for (; i + 16 <= rest; i += 16) {
        v128.store(op + <usize>i, X(v128.load(ip + <usize>i), v128.load(kbuf + <usize>i)));
      }
      for (; i < rest; i++) {
        store<u8>(op + <usize>i, load<u8>(ip + <usize>i) ^ load<u8>(kbuf + <usize>i));
      }
    }
    this.clearScratch();
  }

  /** Erases the working state (keystream, planes); the key stays set. */
  clearScratch(): void {
    wipe(this.st, GROUP);
    wipe(this.ks, GROUP);
  }

  /** Erases the round keys and scratch; the object needs setKey again before use. */
  wipe(): void {
    wipe(this.rk, 15 * GROUP);
    wipe(this.st, 2 * GROUP + 16);
    wipe(this.w, 15 * 16);
    wipe(this.ks, GROUP);
    this.rounds = 0;
  }
}
