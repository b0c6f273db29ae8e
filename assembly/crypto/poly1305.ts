// Poly1305 one-time authenticator (RFC 8439, 2.5).
//
// Arithmetic mod p = 2^130 - 5 with five 26-bit limbs (radix 2^26). The limbs are kept in u64
// locals so each limb product is a plain i64.mul of two values < 2^32 (no 64x64->128 multiply is
// ever needed, which Wasm lacks); a limb of a product is a sum of at most ten such products and
// stays below 2^59.
//
// Bulk path (>= SIMD_MIN_BLOCKS blocks): four interleaved streams in the four 32-bit lanes of
// Wasm SIMD vectors. Lane j accumulates blocks j, j+4, j+8, ...: H = (H + M) * r^4 per group of
// four blocks, where vector k holds limb k of the four lanes (i32x4, each < 2^27.1 after adding
// the message). Limb products are i64x2.extmul_{low,high}_i32x4_u (32x32->64, pmuludq on x64),
// accumulated in i64x2; a vector carry pass brings the limbs back under 2^26 + 2^9 and an
// i32x4 shuffle narrows them for the next group. The last group multiplies lane j by r^(4-j)
// instead, so the sum of the four lanes is exactly the serial h; it is added up horizontally and
// carried in scalar code. The scalar accumulator enters in lane 0. Blocks left over (< 4) use the
// scalar code: h = (h + m1) * r^2 + m2 * r two blocks per iteration, then one at a time.
//
// Constant time: no branch and no memory index depends on the key, the accumulator or the tag.
// The final reduction mod p is a masked select, not a comparison. Only the message length (public)
// decides how many blocks are processed and on which path.

const M26: u64 = 0x3ffffff;
/** Fewest full blocks for which the four-lane SIMD path is used (a public length threshold). */
const SIMD_MIN_BLOCKS: i32 = 8;

/**
 * dst = a * b mod p, five u64 limbs each at the given addresses, fully carried: limbs < 2^26 except
 * limb 1 <= 2^26. Inputs have limbs <= 2^26, so 5 * limb < 2^28.4 and every sum is < 2^57.
 */
function mulmod(dst: usize, a: usize, b: usize): void {
  const a0 = load<u64>(a, 0), a1 = load<u64>(a, 8), a2 = load<u64>(a, 16), a3 = load<u64>(a, 24), a4 = load<u64>(a, 32);
  const b0 = load<u64>(b, 0), b1 = load<u64>(b, 8), b2 = load<u64>(b, 16), b3 = load<u64>(b, 24), b4 = load<u64>(b, 32);
  const c1 = b1 * 5, c2 = b2 * 5, c3 = b3 * 5, c4 = b4 * 5;
  let d0 = a0 * b0 + a1 * c4 + a2 * c3 + a3 * c2 + a4 * c1;
  let d1 = a0 * b1 + a1 * b0 + a2 * c4 + a3 * c3 + a4 * c2;
  let d2 = a0 * b2 + a1 * b1 + a2 * b0 + a3 * c4 + a4 * c3;
  let d3 = a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0 + a4 * c4;
  let d4 = a0 * b4 + a1 * b3 + a2 * b2 + a3 * b1 + a4 * b0;
  for (let i = 0; i < 2; i++) {
    let c = d0 >> 26; d0 &= M26;
    d1 += c; c = d1 >> 26; d1 &= M26;
    d2 += c; c = d2 >> 26; d2 &= M26;
    d3 += c; c = d3 >> 26; d3 &= M26;
    d4 += c; c = d4 >> 26; d4 &= M26;
    d0 += c * 5;
  }
  const c = d0 >> 26; d0 &= M26; d1 += c;
  store<u64>(dst, d0, 0); store<u64>(dst, d1, 8); store<u64>(dst, d2, 16); store<u64>(dst, d3, 24); store<u64>(dst, d4, 32);
}

/** a + b + c + d + e on 64-bit lanes (as a tree: (a + b) + (c + d), then + e). */
@inline function sum5(a: v128, b: v128, c: v128, d: v128, e: v128): v128 {
  return i64x2.add(i64x2.add(i64x2.add(a, b), i64x2.add(c, d)), e);
}

/**
 * Where in vec the multiplier of limb i for product limb k sits (k, i constants): limb k - i of
 * the power (offset 16 * (k - i)) when i <= k, else 5 times limb k - i + 5, which folds 2^130 = 5
 * (5 * limbs 1..4 at offsets 80..128).
 */
@inline function mulAt(k: i32, i: i32): usize {
  return i <= k ? <usize>((k - i) << 4) : <usize>(80 + ((k - i + 4) << 4));
}

/** Limb k of H * R for lanes 0 and 1 (u64): the five products of H's limbs with their multipliers. */
@inline function limbLow(H0: v128, H1: v128, H2: v128, H3: v128, H4: v128, R: usize, k: i32): v128 {
  return sum5(
    i64x2.extmul_low_i32x4_u(H0, v128.load(R + mulAt(k, 0))), i64x2.extmul_low_i32x4_u(H1, v128.load(R + mulAt(k, 1))),
    i64x2.extmul_low_i32x4_u(H2, v128.load(R + mulAt(k, 2))), i64x2.extmul_low_i32x4_u(H3, v128.load(R + mulAt(k, 3))),
    i64x2.extmul_low_i32x4_u(H4, v128.load(R + mulAt(k, 4))));
}

/** Limb k of H * R for lanes 2 and 3 (u64), as limbLow. */
@inline function limbHigh(H0: v128, H1: v128, H2: v128, H3: v128, H4: v128, R: usize, k: i32): v128 {
  return sum5(
    i64x2.extmul_high_i32x4_u(H0, v128.load(R + mulAt(k, 0))), i64x2.extmul_high_i32x4_u(H1, v128.load(R + mulAt(k, 1))),
    i64x2.extmul_high_i32x4_u(H2, v128.load(R + mulAt(k, 2))), i64x2.extmul_high_i32x4_u(H3, v128.load(R + mulAt(k, 3))),
    i64x2.extmul_high_i32x4_u(H4, v128.load(R + mulAt(k, 4))));
}

/** Sum of the four 64-bit lanes of a and b. */
@inline function hsum(a: v128, b: v128): u64 {
  const t = i64x2.add(a, b);
  return <u64>i64x2.extract_lane(t, 0) + <u64>i64x2.extract_lane(t, 1);
}

export class Poly1305 {
  // r (clamped) and s_i = 5 * r_i for i = 1..4 (folds 2^130 = 5 mod p into the products).
  private r0: u64 = 0; private r1: u64 = 0; private r2: u64 = 0; private r3: u64 = 0; private r4: u64 = 0;
  private s1: u64 = 0; private s2: u64 = 0; private s3: u64 = 0; private s4: u64 = 0;
  // r^2 mod p (fully carried) and 5 * its limbs, for two blocks per loop iteration.
  private q0: u64 = 0; private q1: u64 = 0; private q2: u64 = 0; private q3: u64 = 0; private q4: u64 = 0;
  private t1: u64 = 0; private t2: u64 = 0; private t3: u64 = 0; private t4: u64 = 0;
  // r, r^2 (filled by init), r^3, r^4 mod p (five u64 limbs each, fully carried; the last two
  // filled on the four-lane path's first use per key) and the 18 v128 multipliers built from
  // them (see computePowers).
  private pw: StaticArray<u64> = new StaticArray<u64>(20);
  private vec: StaticArray<u8> = new StaticArray<u8>(18 * 16);
  private havePowers: bool = false;
  // Accumulator h.
  private h0: u64 = 0; private h1: u64 = 0; private h2: u64 = 0; private h3: u64 = 0; private h4: u64 = 0;
  // s, the second key half, added at the end.
  private k0: u32 = 0; private k1: u32 = 0; private k2: u32 = 0; private k3: u32 = 0;
  // Pending partial block (< 16 bytes) between update() calls.
  private buf: StaticArray<u8> = new StaticArray<u8>(16);
  private bufLen: i32 = 0;

  /** Starts a MAC with the 32-byte one-time key at keyPtr (r || s, RFC 8439 2.5). */
  init(keyPtr: usize): void {
    const t0 = load<u64>(keyPtr, 0);
    const t1 = load<u64>(keyPtr, 8);
    // Clamp r &= 0x0ffffffc0ffffffc0ffffffc0fffffff, split into 26-bit limbs.
    const c0 = t0 & 0x0ffffffc0fffffff;
    const c1 = t1 & 0x0ffffffc0ffffffc;
    this.r0 = c0 & M26;
    this.r1 = (c0 >> 26) & M26;
    this.r2 = ((c0 >> 52) | (c1 << 12)) & M26;
    this.r3 = (c1 >> 14) & M26;
    this.r4 = (c1 >> 40) & M26;
    this.s1 = this.r1 * 5;
    this.s2 = this.r2 * 5;
    this.s3 = this.r3 * 5;
    this.s4 = this.r4 * 5;
    this.squareR();
    this.havePowers = false;
    this.h0 = 0; this.h1 = 0; this.h2 = 0; this.h3 = 0; this.h4 = 0;
    this.k0 = load<u32>(keyPtr, 16);
    this.k1 = load<u32>(keyPtr, 20);
    this.k2 = load<u32>(keyPtr, 24);
    this.k3 = load<u32>(keyPtr, 28);
    this.bufLen = 0;
  }

  /**
   * pw gets r (limbs 0..4) and q = r^2 mod p (limbs 5..9, by mulmod: < 2^26 except q1 <= 2^26);
   * q and 5 times its limbs also go to the fields the two-block loop reads.
   */
  private squareR(): void {
    const pw = changetype<usize>(this.pw);
    store<u64>(pw, this.r0, 0); store<u64>(pw, this.r1, 8); store<u64>(pw, this.r2, 16);
    store<u64>(pw, this.r3, 24); store<u64>(pw, this.r4, 32);
    mulmod(pw + 40, pw, pw);
    this.q0 = load<u64>(pw, 40); this.q1 = load<u64>(pw, 48); this.q2 = load<u64>(pw, 56);
    this.q3 = load<u64>(pw, 64); this.q4 = load<u64>(pw, 72);
    this.t1 = this.q1 * 5; this.t2 = this.q2 * 5; this.t3 = this.q3 * 5; this.t4 = this.q4 * 5;
  }

  /**
   * Fills the power table on the first SIMD use per key: pw = r, r^2 (from init), r^3, r^4 (five
   * u64 limbs each) and vec = 18 v128 multipliers, one per limb: r^4 in every lane (0..4) and 5 times its
   * limbs 1..4 (5..8), then lanes (r^4, r^3, r^2, r) (9..13) and 5 times limbs 1..4 (14..17).
   */
  private computePowers(): void {
    const pw = changetype<usize>(this.pw); // r and r^2 are there since init (squareR)
    mulmod(pw + 80, pw + 40, pw);       // r^3
    mulmod(pw + 120, pw + 40, pw + 40); // r^4
    const vec = changetype<usize>(this.vec);
    for (let k = 0; k < 5; k++) {
      const o = <usize>(k << 3);
      const w4 = <i32>load<u64>(pw + 120 + o);
      const pk = i32x4(w4, <i32>load<u64>(pw + 80 + o), <i32>load<u64>(pw + 40 + o), <i32>load<u64>(pw + o));
      v128.store(vec + <usize>(k << 4), i32x4.splat(w4));
      v128.store(vec + <usize>((9 + k) << 4), pk);
      if (k > 0) {
        // 5 * limb: limbs are <= 2^26, so these are < 2^28.4 and fit the 32-bit lanes.
        v128.store(vec + <usize>((4 + k) << 4), i32x4.splat(w4 * 5));
        v128.store(vec + <usize>((13 + k) << 4), i32x4.mul(pk, i32x4.splat(5)));
      }
    }
    this.havePowers = true;
  }

  /**
   * Absorbs 4 * groups full blocks at m (groups >= 1) with the four-lane SIMD path; h is read
   * from and written back to the fields. See the header for the scheme and the bounds. The
   * multipliers are loaded from vec where they are used: in V8 that measured faster than
   * keeping them in locals (which it rematerialises as scalar-to-vector splats in the loop).
   */
  private blocks4(m: usize, groups: i32, hibit: u64): void {
    if (!this.havePowers) this.computePowers();
    const vec = changetype<usize>(this.vec);
    const mask26 = i32x4.splat(0x3ffffff);
    const m64 = i64x2.splat(0x3ffffff);
    const hib = i32x4.splat(<i32>hibit);
    // The accumulator h enters lane 0; the other lanes start at 0.
    let H0 = i32x4.replace_lane(i32x4.splat(0), 0, <i32>this.h0);
    let H1 = i32x4.replace_lane(i32x4.splat(0), 0, <i32>this.h1);
    let H2 = i32x4.replace_lane(i32x4.splat(0), 0, <i32>this.h2);
    let H3 = i32x4.replace_lane(i32x4.splat(0), 0, <i32>this.h3);
    let H4 = i32x4.replace_lane(i32x4.splat(0), 0, <i32>this.h4);

    // Each group: H = (H + M) * R. For every group but the last, R is r^4 in every lane; for the
    // last, lane j is multiplied by r^(4-j) (the multipliers 144 bytes further on in vec), so that
    // the sum of the four lanes is exactly the serial h. Which group is the last is public (the
    // message length). H < 2^26 + 2^11 (2^26 + 2^9 after the first group; 2^11 allows for the
    // scalar h entering lane 0) and M < 2^26, so H + M < 2^27.1 per lane; the limbs of every power
    // of r are <= 2^26 and 5 * them < 2^28.4, so each limb of the product, a sum of five products,
    // is < 2^57.8. Limb k of the product: a_k = lanes 0, 1, b_k = lanes 2, 3 (u64).
    for (let g = 1; ; g++) {
      const last = g == groups;
      const R = vec + (last ? 144 : 0);
      // Four blocks: transpose to W_i = word i of blocks 0..3, split into 26-bit limbs, add to H.
      const x = v128.load(m, 0), y = v128.load(m, 16), z = v128.load(m, 32), v = v128.load(m, 48);
      const t0 = i32x4.shuffle(x, y, 0, 4, 1, 5), t1 = i32x4.shuffle(z, v, 0, 4, 1, 5);
      const t2 = i32x4.shuffle(x, y, 2, 6, 3, 7), t3 = i32x4.shuffle(z, v, 2, 6, 3, 7);
      const W0 = i64x2.shuffle(t0, t1, 0, 2), W1 = i64x2.shuffle(t0, t1, 1, 3);
      const W2 = i64x2.shuffle(t2, t3, 0, 2), W3 = i64x2.shuffle(t2, t3, 1, 3);
      H0 = i32x4.add(H0, v128.and(W0, mask26));
      H1 = i32x4.add(H1, v128.and(v128.or(i32x4.shr_u(W0, 26), i32x4.shl(W1, 6)), mask26));
      H2 = i32x4.add(H2, v128.and(v128.or(i32x4.shr_u(W1, 20), i32x4.shl(W2, 12)), mask26));
      H3 = i32x4.add(H3, v128.and(v128.or(i32x4.shr_u(W2, 14), i32x4.shl(W3, 18)), mask26));
      H4 = i32x4.add(H4, v128.or(i32x4.shr_u(W3, 8), hib));
      let a0 = limbLow(H0, H1, H2, H3, H4, R, 0), b0 = limbHigh(H0, H1, H2, H3, H4, R, 0);
      let a1 = limbLow(H0, H1, H2, H3, H4, R, 1), b1 = limbHigh(H0, H1, H2, H3, H4, R, 1);
      let a2 = limbLow(H0, H1, H2, H3, H4, R, 2), b2 = limbHigh(H0, H1, H2, H3, H4, R, 2);
      let a3 = limbLow(H0, H1, H2, H3, H4, R, 3), b3 = limbHigh(H0, H1, H2, H3, H4, R, 3);
      let a4 = limbLow(H0, H1, H2, H3, H4, R, 4), b4 = limbHigh(H0, H1, H2, H3, H4, R, 4);
      if (last) {
        // The four lanes added up.
        let d0 = hsum(a0, b0), d1 = hsum(a1, b1), d2 = hsum(a2, b2), d3 = hsum(a3, b3), d4 = hsum(a4, b4);
        // Sums < 2^59.8. Same partial carry as the scalar loop: limbs < 2^26 except h1 < 2^26 + 2^11.
        let h0: u64, h1: u64, h2: u64, h3: u64, h4: u64;
        let c = d0 >> 26; h0 = d0 & M26;
        d1 += c; c = d1 >> 26; h1 = d1 & M26;
        d2 += c; c = d2 >> 26; h2 = d2 & M26;
        d3 += c; c = d3 >> 26; h3 = d3 & M26;
        d4 += c; c = d4 >> 26; h4 = d4 & M26;
        h0 += c * 5; c = h0 >> 26; h0 &= M26;
        h1 += c;
        this.h0 = h0; this.h1 = h1; this.h2 = h2; this.h3 = h3; this.h4 = h4;
        return;
      }
      // Partial carry on both halves, two interleaved chains (0->1->2->3 and 3->4->0->1). The limbs
      // going in are < 2^57.8, so the carries out of them are < 2^32 and 5 * the one into limb 0 is
      // < 2^34.4; every limb comes out < 2^26 + 2^9 and is narrowed back to a 32-bit lane.
      let c = i64x2.shr_u(a0, 26); a0 = v128.and(a0, m64); a1 = i64x2.add(a1, c);
      let e = i64x2.shr_u(b0, 26); b0 = v128.and(b0, m64); b1 = i64x2.add(b1, e);
      c = i64x2.shr_u(a3, 26); a3 = v128.and(a3, m64); a4 = i64x2.add(a4, c);
      e = i64x2.shr_u(b3, 26); b3 = v128.and(b3, m64); b4 = i64x2.add(b4, e);
      c = i64x2.shr_u(a1, 26); a1 = v128.and(a1, m64); a2 = i64x2.add(a2, c);
      e = i64x2.shr_u(b1, 26); b1 = v128.and(b1, m64); b2 = i64x2.add(b2, e);
      c = i64x2.shr_u(a4, 26); a4 = v128.and(a4, m64); a0 = i64x2.add(a0, i64x2.add(c, i64x2.shl(c, 2)));
      e = i64x2.shr_u(b4, 26); b4 = v128.and(b4, m64); b0 = i64x2.add(b0, i64x2.add(e, i64x2.shl(e, 2)));
      c = i64x2.shr_u(a2, 26); a2 = v128.and(a2, m64); a3 = i64x2.add(a3, c);
      e = i64x2.shr_u(b2, 26); b2 = v128.and(b2, m64); b3 = i64x2.add(b3, e);
      c = i64x2.shr_u(a0, 26); a0 = v128.and(a0, m64); a1 = i64x2.add(a1, c);
      e = i64x2.shr_u(b0, 26); b0 = v128.and(b0, m64); b1 = i64x2.add(b1, e);
      c = i64x2.shr_u(a3, 26); a3 = v128.and(a3, m64); a4 = i64x2.add(a4, c);
      e = i64x2.shr_u(b3, 26); b3 = v128.and(b3, m64); b4 = i64x2.add(b4, e);
      H0 = i32x4.shuffle(a0, b0, 0, 2, 4, 6);
      H1 = i32x4.shuffle(a1, b1, 0, 2, 4, 6);
      H2 = i32x4.shuffle(a2, b2, 0, 2, 4, 6);
      H3 = i32x4.shuffle(a3, b3, 0, 2, 4, 6);
      H4 = i32x4.shuffle(a4, b4, 0, 2, 4, 6);
      m += 64;
    }
  }

  /**
   * h = (h + m_i + hibit) * r for n full 16-byte blocks at m. hibit is 1 << 24 (the 2^128 bit in
   * limb 4) for full message blocks and for the AEAD's zero-padded blocks.
   */
  private blocks(m: usize, n: i32, hibit: u64): void {
    if (n >= SIMD_MIN_BLOCKS) {
      const groups = n >> 2;
      this.blocks4(m, groups, hibit);
      m += <usize>(groups << 6);
      n &= 3;
    }
    const r0 = this.r0, r1 = this.r1, r2 = this.r2, r3 = this.r3, r4 = this.r4;
    const s1 = this.s1, s2 = this.s2, s3 = this.s3, s4 = this.s4;
    let h0 = this.h0, h1 = this.h1, h2 = this.h2, h3 = this.h3, h4 = this.h4;
    if (n >= 2) {
      const q0 = this.q0, q1 = this.q1, q2 = this.q2, q3 = this.q3, q4 = this.q4;
      const t1 = this.t1, t2 = this.t2, t3 = this.t3, t4 = this.t4;
      // Two blocks per iteration: h = (h + m1) * r^2 + m2 * r. Ten products per limb: five
      // < 2^27.1 * 2^28.4 and five < 2^26 * 2^28.4, so every sum is < 2^59.
      for (; n >= 2; n -= 2) {
        const a0 = load<u64>(m, 0), a1 = load<u64>(m, 8);
        const b0 = load<u64>(m, 16), b1 = load<u64>(m, 24);
        h0 += a0 & M26;
        h1 += (a0 >> 26) & M26;
        h2 += ((a0 >> 52) | (a1 << 12)) & M26;
        h3 += (a1 >> 14) & M26;
        h4 += (a1 >> 40) | hibit;
        const e0 = b0 & M26;
        const e1 = (b0 >> 26) & M26;
        const e2 = ((b0 >> 52) | (b1 << 12)) & M26;
        const e3 = (b1 >> 14) & M26;
        const e4 = (b1 >> 40) | hibit;
        let d0 = h0 * q0 + h1 * t4 + h2 * t3 + h3 * t2 + h4 * t1 + e0 * r0 + e1 * s4 + e2 * s3 + e3 * s2 + e4 * s1;
        let d1 = h0 * q1 + h1 * q0 + h2 * t4 + h3 * t3 + h4 * t2 + e0 * r1 + e1 * r0 + e2 * s4 + e3 * s3 + e4 * s2;
        let d2 = h0 * q2 + h1 * q1 + h2 * q0 + h3 * t4 + h4 * t3 + e0 * r2 + e1 * r1 + e2 * r0 + e3 * s4 + e4 * s3;
        let d3 = h0 * q3 + h1 * q2 + h2 * q1 + h3 * q0 + h4 * t4 + e0 * r3 + e1 * r2 + e2 * r1 + e3 * r0 + e4 * s4;
        let d4 = h0 * q4 + h1 * q3 + h2 * q2 + h3 * q1 + h4 * q0 + e0 * r4 + e1 * r3 + e2 * r2 + e3 * r1 + e4 * r0;
        let c = d0 >> 26; h0 = d0 & M26;
        d1 += c; c = d1 >> 26; h1 = d1 & M26;
        d2 += c; c = d2 >> 26; h2 = d2 & M26;
        d3 += c; c = d3 >> 26; h3 = d3 & M26;
        d4 += c; c = d4 >> 26; h4 = d4 & M26;
        h0 += c * 5; c = h0 >> 26; h0 &= M26;
        h1 += c;
        m += 32;
      }
    }
    for (let i = 0; i < n; i++) {
      const t0 = load<u64>(m, 0);
      const t1 = load<u64>(m, 8);
      h0 += t0 & M26;
      h1 += (t0 >> 26) & M26;
      h2 += ((t0 >> 52) | (t1 << 12)) & M26;
      h3 += (t1 >> 14) & M26;
      h4 += (t1 >> 40) | hibit;

      // Limbs are < 2^27 here and r_i < 2^26, s_i < 2^29, so each sum is < 5 * 2^56 < 2^59.
      let d0 = h0 * r0 + h1 * s4 + h2 * s3 + h3 * s2 + h4 * s1;
      let d1 = h0 * r1 + h1 * r0 + h2 * s4 + h3 * s3 + h4 * s2;
      let d2 = h0 * r2 + h1 * r1 + h2 * r0 + h3 * s4 + h4 * s3;
      let d3 = h0 * r3 + h1 * r2 + h2 * r1 + h3 * r0 + h4 * s4;
      let d4 = h0 * r4 + h1 * r3 + h2 * r2 + h3 * r1 + h4 * r0;

      // Partial carry: leaves every limb < 2^26 except h1 < 2^26 + 2^11.
      let c = d0 >> 26; h0 = d0 & M26;
      d1 += c; c = d1 >> 26; h1 = d1 & M26;
      d2 += c; c = d2 >> 26; h2 = d2 & M26;
      d3 += c; c = d3 >> 26; h3 = d3 & M26;
      d4 += c; c = d4 >> 26; h4 = d4 & M26;
      h0 += c * 5; c = h0 >> 26; h0 &= M26;
      h1 += c;
      m += 16;
    }
    this.h0 = h0; this.h1 = h1; this.h2 = h2; this.h3 = h3; this.h4 = h4;
  }

  /** Absorbs len bytes at ptr (len is public). */
  update(ptr: usize, len: i32): void {
    if (len <= 0) return;
    const buf = changetype<usize>(this.buf);
    if (this.bufLen > 0) {
      const take = min(16 - this.bufLen, len);
      memory.copy(buf + <usize>this.bufLen, ptr, <usize>take);
      this.bufLen += take;
      ptr += <usize>take;
      len -= take;
      if (this.bufLen < 16) return;
      this.blocks(buf, 1, 1 << 24);
      this.bufLen = 0;
    }
    const full = len >>> 4;
    if (full > 0) {
      this.blocks(ptr, full, 1 << 24);
      ptr += <usize>(full << 4);
      len &= 15;
    }
    if (len > 0) {
      memory.copy(buf, ptr, <usize>len);
      this.bufLen = len;
    }
  }

  /**
   * AEAD padding (RFC 8439, 2.8): if a partial block is pending, completes it with zero bytes and
   * absorbs it as a full 16-byte block. No-op on a block boundary.
   */
  padTo16(): void {
    const n = this.bufLen;
    if (n == 0) return;
    const buf = changetype<usize>(this.buf);
    memory.fill(buf + <usize>n, 0, <usize>(16 - n));
    this.blocks(buf, 1, 1 << 24);
    this.bufLen = 0;
  }

  /** Writes the 16-byte tag to outPtr and wipes the state. */
  finish(outPtr: usize): void {
    // A pending partial block gets a 0x01 byte appended, zero padding, and no 2^128 bit.
    const n = this.bufLen;
    if (n > 0) {
      const buf = changetype<usize>(this.buf);
      store<u8>(buf + <usize>n, 1);
      memory.fill(buf + <usize>n + 1, 0, <usize>(15 - n));
      this.blocks(buf, 1, 0);
      this.bufLen = 0;
    }

    let h0 = this.h0, h1 = this.h1, h2 = this.h2, h3 = this.h3, h4 = this.h4;
    // Two full carry passes: afterwards every limb is < 2^26, so h < 2^130 < 2p.
    for (let i = 0; i < 2; i++) {
      let c = h0 >> 26; h0 &= M26;
      h1 += c; c = h1 >> 26; h1 &= M26;
      h2 += c; c = h2 >> 26; h2 &= M26;
      h3 += c; c = h3 >> 26; h3 &= M26;
      h4 += c; c = h4 >> 26; h4 &= M26;
      h0 += c * 5;
    }
    let c = h0 >> 26; h0 &= M26; h1 += c;

    // g = h + 5 - 2^130 = h - p. If it does not borrow, h >= p and the result is g.
    let g0 = h0 + 5; c = g0 >> 26; g0 &= M26;
    let g1 = h1 + c; c = g1 >> 26; g1 &= M26;
    let g2 = h2 + c; c = g2 >> 26; g2 &= M26;
    let g3 = h3 + c; c = g3 >> 26; g3 &= M26;
    let g4 = h4 + c - (1 << 26);
    // mask = all-ones when g4 did not wrap (top bit clear), else 0. No branch.
    const mask = (g4 >> 63) - 1;
    g4 &= M26;
    h0 = (h0 & ~mask) | (g0 & mask);
    h1 = (h1 & ~mask) | (g1 & mask);
    h2 = (h2 & ~mask) | (g2 & mask);
    h3 = (h3 & ~mask) | (g3 & mask);
    h4 = (h4 & ~mask) | (g4 & mask);

    // tag = (h + s) mod 2^128, as four little-endian words.
    const w0 = (h0 | (h1 << 26)) & 0xffffffff;
    const w1 = ((h1 >> 6) | (h2 << 20)) & 0xffffffff;
    const w2 = ((h2 >> 12) | (h3 << 14)) & 0xffffffff;
    const w3 = ((h3 >> 18) | (h4 << 8)) & 0xffffffff;
    let f = w0 + <u64>this.k0; store<u32>(outPtr, <u32>f, 0);
    f = w1 + <u64>this.k1 + (f >> 32); store<u32>(outPtr, <u32>f, 4);
    f = w2 + <u64>this.k2 + (f >> 32); store<u32>(outPtr, <u32>f, 8);
    f = w3 + <u64>this.k3 + (f >> 32); store<u32>(outPtr, <u32>f, 12);

    this.wipe();
  }

  /** Zeroes the key, the accumulator and the pending block. */
  wipe(): void {
    this.r0 = 0; this.r1 = 0; this.r2 = 0; this.r3 = 0; this.r4 = 0;
    this.s1 = 0; this.s2 = 0; this.s3 = 0; this.s4 = 0;
    this.q0 = 0; this.q1 = 0; this.q2 = 0; this.q3 = 0; this.q4 = 0;
    this.t1 = 0; this.t2 = 0; this.t3 = 0; this.t4 = 0;
    memory.fill(changetype<usize>(this.pw), 0, 20 * 8);
    memory.fill(changetype<usize>(this.vec), 0, 18 * 16);
    this.havePowers = false;
    this.h0 = 0; this.h1 = 0; this.h2 = 0; this.h3 = 0; this.h4 = 0;
    this.k0 = 0; this.k1 = 0; this.k2 = 0; this.k3 = 0;
    memory.fill(changetype<usize>(this.buf), 0, 16);
    this.bufLen = 0;
  }
}
