// GHASH (NIST SP 800-38D, 6.4), constant time, without any table indexed by secret data.
//
// Carry-less multiplication by integer multiplication with "holes" (the idea of BearSSL's
// ghash_ctmul): split a 32-bit operand into four masks of every fourth bit (x & 0x11111111 << k).
// Multiplying two such sparse values with an ordinary integer multiply adds at most 8 one-bit
// products into each 4-bit slot, so no carry ever reaches the next slot of the same residue
// class: in the XOR of the four products with k + l = m (mod 4), the bits of residue m are
// exactly the carry-less product's (the other bits are garbage and are masked off; since all
// of this is linear, the masking is deferred until the partial products are summed). One
// 32x32 -> 64 carry-less product costs 16 multiplies. Here they are SIMD multiplies
// (i64x2.extmul_*_i32x4_u, i.e. PMULUDQ / UMULL: 32x32 -> 64 per 64-bit lane, fixed latency).
// Nothing branches on, or indexes memory by, data or key.
//
// Structure of one 128x128 product: Karatsuba on 64-bit halves (lo, hi, mid = lo ^ hi), and
// again on the 32-bit halves of each: nine 32x32 products. A block x (as 32-bit words
// [lo_l, lo_h, hi_l, hi_h]) gives the vectors
//   V1 = [lo_l, lo_h, hi_l, hi_h]                    (products with H's same words)
//   V2 = [lo_l ^ lo_h, hi_l ^ hi_h, mid_l, mid_h]
//   v3 = mid_l ^ mid_h                               (one word; four blocks share one vector)
// and the hash key the same vectors, pre-masked.
//
// Four blocks are folded per reduction: Y' = (Y ^ X1) H^4 ^ X2 H^3 ^ X3 H^2 ^ X4 H. Since all
// of it is linear, the nine partial products of the four blocks are XOR-accumulated first and
// the Karatsuba recombination and the reduction run once per four blocks. Short inputs are
// zero-padded at the front of a group (zero blocks contribute nothing).
//
// Bit order: GHASH's bit 0 is the most significant bit of byte 0. Reading a block as a
// big-endian 128-bit integer turns every field element into its bit-reversed polynomial; the
// carry-less product of two reversed values is the reversed product shifted right by one, so
// we shift left by one and reduce with the reflected form of x^128 + x^7 + x^2 + x + 1.
//
// Internal API:
//   const g = new Ghash();
//   g.setKey(hPtr)               H = E_K(0^128), 16 bytes (copied; precomputes H..H^4)
//   g.reset()                    Y = 0
//   g.update(ptr, len)           absorbs len bytes; a partial last block is zero-padded
//   g.updateLengths(aBytes, cBytes)   absorbs [8*aBytes]_64 || [8*cBytes]_64
//   g.final(outPtr)              writes Y (16 bytes)
//   g.wipe()
import { wipe } from './ct';

/** 0x11.., 0x22.., 0x44.., 0x88.. across 128 bits, then the byte-reversal pattern. */
const CONSTS: usize = memory.data<u8>([
  0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
  0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22, 0x22,
  0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44,
  0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88, 0x88,
  15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0,
], 16);
const REV: usize = CONSTS + 64;

// Key table layout (bytes): per group position b = 0..3 (power H^(4-b)): V1 pieces (4 x 16),
// V2 pieces (4 x 16); then the packed v3 pieces of the four powers (4 x 16).
const T1: usize = 0;
const T2: usize = 256;
const T3: usize = 512;
// Per-instance scratch after the table: Y (16), padded group (64), partial products (6 x 64).
const Y_OFF: usize = 576;
const PAD_OFF: usize = 592;
const ACC_OFF: usize = 656;
const BUF_BYTES: i32 = 656 + 384;

@inline function X(a: v128, b: v128): v128 { return v128.xor(a, b); }
@inline function A(a: v128, b: v128): v128 { return v128.and(a, b); }
@inline function loLo(a: v128, b: v128): v128 { return i64x2.extmul_low_i32x4_u(a, b); }
@inline function hiHi(a: v128, b: v128): v128 { return i64x2.extmul_high_i32x4_u(a, b); }

/** The V2 vector [a0^a1, a2^a3, a0^a2, a1^a3] of a block in word form [a0, a1, a2, a3]. */
@inline function vec2(v: v128): v128 {
  const a = X(v, v128.shuffle<u32>(v, v, 1, 0, 3, 2)); // [a0^a1, a0^a1, a2^a3, a2^a3]
  const b = X(v, v128.shuffle<u32>(v, v, 2, 3, 0, 1)); // [a0^a2, a1^a3, a0^a2, a1^a3]
  return v128.shuffle<u32>(a, b, 0, 2, 4, 5);
}
/** Lane 0 holds mid_l ^ mid_h = a0 ^ a1 ^ a2 ^ a3. */
@inline function vec3(v: v128): v128 {
  const b = X(v, v128.shuffle<u32>(v, v, 2, 3, 0, 1));
  return X(b, v128.shuffle<u32>(b, b, 1, 0, 3, 2));
}

/**
 * One residue class m of clmulLanes: out[m] ^= x0 w[m] ^ x1 w[m-1] ^ x2 w[m-2] ^ x3 w[m-3]
 * (unmasked: the bits of residue m are exact, the others are discarded later by M_m). With
 * first set, out[m] is overwritten instead.
 */
@inline function clmulClass(x0: v128, x1: v128, x2: v128, x3: v128, w: usize, m: usize, out: usize, high: bool, first: bool): void {
  // The key pieces are (re)loaded here, after the previous class's store: that keeps V8 from
  // hoisting all sixteen products of a clmulLanes ahead of their XORs (which spilled heavily).
  const wa = v128.load(w + (m << 4));
  const wb = v128.load(w + (((m - 1) & 3) << 4));
  const wc = v128.load(w + (((m - 2) & 3) << 4));
  const wd = v128.load(w + (((m - 3) & 3) << 4));
  let z: v128;
  if (high) z = X(X(hiHi(x0, wa), hiHi(x1, wb)), X(hiHi(x2, wc), hiHi(x3, wd)));
  else z = X(X(loLo(x0, wa), loLo(x1, wb)), X(loLo(x2, wc), loLo(x3, wd)));
  const o = out + (m << 4);
  v128.store(o, first ? z : X(v128.load(o), z));
}

/**
 * Accumulates into the four class slots at out (4 x 16 bytes) the carry-less products of the
 * low (lanes 0, 1) or high (lanes 2, 3) 32-bit words of x with the matching words of the key
 * vector whose four masked pieces are at w (two 64-bit results per class, unmasked).
 */
@inline function clmulLanes(x: v128, w: usize, out: usize, high: bool, first: bool): void {
  const x0 = A(x, v128.load(CONSTS, 0)), x1 = A(x, v128.load(CONSTS, 16));
  const x2 = A(x, v128.load(CONSTS, 32)), x3 = A(x, v128.load(CONSTS, 48));
  clmulClass(x0, x1, x2, x3, w, 0, out, high, first);
  clmulClass(x0, x1, x2, x3, w, 1, out, high, first);
  clmulClass(x0, x1, x2, x3, w, 2, out, high, first);
  clmulClass(x0, x1, x2, x3, w, 3, out, high, first);
}

/** Masks and merges the four class slots at p into one 128-bit value (two 64-bit products). */
@inline function merge(p: usize): v128 {
  return v128.or(
    v128.or(A(v128.load(p, 0), v128.load(CONSTS, 0)), A(v128.load(p, 16), v128.load(CONSTS, 16))),
    v128.or(A(v128.load(p, 32), v128.load(CONSTS, 32)), A(v128.load(p, 48), v128.load(CONSTS, 48))));
}

/**
 * Y <- (Y ^ B0) H^4 ^ B1 H^3 ^ B2 H^2 ^ B3 H for the four blocks at p. buf is the instance
 * buffer (key table, Y, scratch).
 */
function absorb4(buf: usize, p: usize): void {
  const rev = v128.load(REV);
  const acc = buf + ACC_OFF;
  const tab = buf;
  // acc: class slots (4 x 16 bytes each) for V1 low lanes, V1 high, V2 low, V2 high, v3 low, v3 high.
  let v = X(i8x16.swizzle(v128.load(p), rev), v128.load(buf + Y_OFF));
  let w3 = vec3(v);
  clmulLanes(v, tab + T1, acc, false, true);
  clmulLanes(v, tab + T1, acc + 64, true, true);
  v = vec2(v);
  clmulLanes(v, tab + T2, acc + 128, false, true);
  clmulLanes(v, tab + T2, acc + 192, true, true);

  v = i8x16.swizzle(v128.load(p, 16), rev);
  let t = vec3(v);
  w3 = v128.shuffle<u32>(w3, t, 0, 4, 1, 5); // lanes: block 0, block 1
  clmulLanes(v, tab + T1 + 64, acc, false, false);
  clmulLanes(v, tab + T1 + 64, acc + 64, true, false);
  v = vec2(v);
  clmulLanes(v, tab + T2 + 64, acc + 128, false, false);
  clmulLanes(v, tab + T2 + 64, acc + 192, true, false);

  v = i8x16.swizzle(v128.load(p, 32), rev);
  let u = vec3(v);
  clmulLanes(v, tab + T1 + 128, acc, false, false);
  clmulLanes(v, tab + T1 + 128, acc + 64, true, false);
  v = vec2(v);
  clmulLanes(v, tab + T2 + 128, acc + 128, false, false);
  clmulLanes(v, tab + T2 + 128, acc + 192, true, false);

  v = i8x16.swizzle(v128.load(p, 48), rev);
  t = vec3(v);
  u = v128.shuffle<u32>(u, t, 0, 4, 1, 5); // lanes: block 2, block 3
  clmulLanes(v, tab + T1 + 192, acc, false, false);
  clmulLanes(v, tab + T1 + 192, acc + 64, true, false);
  v = vec2(v);
  clmulLanes(v, tab + T2 + 192, acc + 128, false, false);
  clmulLanes(v, tab + T2 + 192, acc + 192, true, false);

  w3 = v128.shuffle<u64>(w3, u, 0, 2); // [b0, b1, b2, b3]
  clmulLanes(w3, tab + T3, acc + 256, false, true);
  clmulLanes(w3, tab + T3, acc + 320, true, true);

  // Karatsuba recombination (64-bit scalars) of the accumulated partial products.
  // lo x Hlo
  const r1lo = merge(acc), r1hi = merge(acc + 64), r2lo = merge(acc + 128), r2hi = merge(acc + 192);
  const r3 = X(merge(acc + 256), merge(acc + 320));
  let pl = <u64>i64x2.extract_lane(r1lo, 0), ph = <u64>i64x2.extract_lane(r1lo, 1);
  let pm = <u64>i64x2.extract_lane(r2lo, 0) ^ pl ^ ph;
  const l0 = pl ^ (pm << 32);
  const l1 = ph ^ (pm >> 32);
  // hi x Hhi
  pl = <u64>i64x2.extract_lane(r1hi, 0); ph = <u64>i64x2.extract_lane(r1hi, 1);
  pm = <u64>i64x2.extract_lane(r2lo, 1) ^ pl ^ ph;
  const h0 = pl ^ (pm << 32);
  const h1 = ph ^ (pm >> 32);
  // mid x Hmid, then the 128-bit middle term
  pl = <u64>i64x2.extract_lane(r2hi, 0); ph = <u64>i64x2.extract_lane(r2hi, 1);
  pm = <u64>i64x2.extract_lane(r3, 0) ^ <u64>i64x2.extract_lane(r3, 1) ^ pl ^ ph;
  const m0 = (pl ^ (pm << 32)) ^ l0 ^ h0;
  const m1 = (ph ^ (pm >> 32)) ^ l1 ^ h1;
  // 256-bit product (w3:w2:w1:w0) shifted left by one.
  const c0 = l0, c1 = l1 ^ m0, c2 = h0 ^ m1, c3 = h1;
  const z3 = (c3 << 1) | (c2 >> 63);
  const z2 = (c2 << 1) | (c1 >> 63);
  const z1 = (c1 << 1) | (c0 >> 63);
  const z0 = c0 << 1;
  // Reduction: the low 128 bits (z1, z0) hold coefficients 128..255 (reflected); fold them with
  // x^128 = x^7 + x^2 + x + 1. The bits the right shifts push out come back in through d1.
  const d1 = z1 ^ (z0 << 63) ^ (z0 << 62) ^ (z0 << 57);
  const d0 = z0;
  const yh = z3 ^ d1 ^ (d1 >> 1) ^ (d1 >> 2) ^ (d1 >> 7);
  const yl = z2 ^ d0 ^ (d0 >> 1) ^ (d0 >> 2) ^ (d0 >> 7) ^ (d1 << 63) ^ (d1 << 62) ^ (d1 << 57);
  store<u64>(buf + Y_OFF, yl);
  store<u64>(buf + Y_OFF, yh, 8);
  // The partial products stay in the scratch until clearScratch() / wipe().
}

export class Ghash {
  // Key table | Y | padding group | partial products.
  private mem: StaticArray<u8> = new StaticArray<u8>(BUF_BYTES);
  private buf: usize;

  constructor() {
    this.buf = changetype<usize>(this.mem);
  }

  /** Stores the masked key vectors of power H^(4-b) (given in word form) for group position b. */
  private putPower(b: i32, hv: v128): void {
    const tab = this.buf;
    const w2 = vec2(hv);
    const w3 = i32x4.extract_lane(vec3(hv), 0);
    for (let k = 0; k < 4; k++) {
      const m = v128.load(CONSTS + (<usize>k << 4));
      v128.store(tab + T1 + (<usize>b << 6) + (<usize>k << 4), A(hv, m));
      v128.store(tab + T2 + (<usize>b << 6) + (<usize>k << 4), A(w2, m));
      store<u32>(tab + T3 + (<usize>k << 4) + (<usize>b << 2), <u32>w3 & (<u32>0x11111111 << <u32>k));
    }
  }

  /** Sets the hash key H (16 bytes at hPtr) and resets Y. */
  setKey(hPtr: usize): void {
    const buf = this.buf;
    wipe(buf, BUF_BYTES);
    const rev = v128.load(REV);
    let hv = i8x16.swizzle(v128.load(hPtr), rev);
    this.putPower(3, hv);
    // H^2, H^3, H^4: multiply by H through the kernel, with the value as the last block of an
    // otherwise zero group (so only the H^1 table is used).
    const pad = buf + PAD_OFF;
    for (let b = 2; b >= 0; b--) {
      v128.store(pad + 48, i8x16.swizzle(hv, rev));
      absorb4(buf, pad);
      hv = v128.load(buf + Y_OFF);
      v128.store(buf + Y_OFF, i8x16.splat(0));
      this.putPower(b, hv);
    }
    wipe(pad, 64);
  }

  reset(): void {
    v128.store(this.buf + Y_OFF, i8x16.splat(0));
  }

  /** Y = 0 and erases the scratch (partial products, padding); the key table stays. */
  clearScratch(): void {
    wipe(this.buf + Y_OFF, BUF_BYTES - <i32>Y_OFF);
  }

  /**
   * Absorbs the n (1..4) blocks placed at the end of the zero-filled padding group: Y is folded
   * into the first of them, so that (Y ^ X1) is multiplied by H^n.
   */
  private absorbPad(n: i32): void {
    const buf = this.buf;
    const pad = buf + PAD_OFF;
    const first = pad + (<usize>(4 - n) << 4);
    const y = buf + Y_OFF;
    v128.store(first, X(v128.load(first), i8x16.swizzle(v128.load(y), v128.load(REV))));
    v128.store(y, i8x16.splat(0));
    absorb4(buf, pad);
    wipe(pad, 64);
  }

  /** Absorbs len bytes at p; a trailing partial block is zero-padded (GCM semantics). */
  update(p: usize, len: i32): void {
    const buf = this.buf;
    let off: i32 = 0;
    while (len - off >= 64) {
      absorb4(buf, p + <usize>off);
      off += 64;
    }
    const rest = len - off;
    if (rest > 0) {
      const n = (rest + 15) >> 4;
      const pad = buf + PAD_OFF;
      memory.fill(pad, 0, 64);
      memory.copy(pad + (<usize>(4 - n) << 4), p + <usize>off, <usize>rest);
      this.absorbPad(n);
    }
  }

  /** Absorbs the GCM length block: bit lengths of the AAD and of the ciphertext. */
  updateLengths(aadBytes: u64, ctBytes: u64): void {
    const pad = this.buf + PAD_OFF;
    memory.fill(pad, 0, 48);
    store<u64>(pad + 48, bswap<u64>(aadBytes << 3));
    store<u64>(pad + 56, bswap<u64>(ctBytes << 3));
    this.absorbPad(1);
  }

  /** Writes the current Y (16 bytes, GCM byte order) to out. */
  final(out: usize): void {
    v128.store(out, i8x16.swizzle(v128.load(this.buf + Y_OFF), v128.load(REV)));
  }

  wipe(): void {
    wipe(this.buf, BUF_BYTES);
  }
}
