// Multi-precision arithmetic for RSA signature VERIFICATION: Montgomery multiplication and
// squaring modulo an odd modulus of up to MONT_MAX_LIMBS 32-bit limbs (8192 bits; RSA in TLS uses
// 2048..4096), conversion into and out of Montgomery form, comparison and byte conversion.
//
// VARIABLE TIME, ON PURPOSE. Everything this file computes on (the modulus, the exponent, the
// signature, the recovered encoded message) is public in signature verification, so the code may
// branch on data: the final conditional subtraction of a Montgomery product, the quotient
// estimates and corrections of the long division used to enter Montgomery form, and the
// comparisons all take data-dependent paths. DO NOT use this file with a private exponent or any
// other secret operand (RSA signing/decryption would need a constant-time ladder, blinding and a
// constant-time final subtraction, none of which is here).
//
// Representation: a number is a run of L little-endian u32 limbs (limb 0 least significant) in
// linear memory, followed by MONT_PAD limbs that are ALWAYS ZERO (the vectorised inner loop reads up
// to three limbs past the end and relies on them multiplying to zero). Every buffer is carved from
// one block owned by a Mont context, allocated once per operation (in the constructor) and freed
// by dispose(); nothing is allocated in montMul/montSqr, so an exponentiation loop allocates nothing.
//
// Montgomery multiplication uses product scanning (column-wise, "FIPS" order), which suits Wasm
// SIMD: each output column k is the dot product of a[] with b[] reversed plus m[] with n[] reversed
// (m = the Montgomery quotient digits, found one column at a time), so both dot products run over
// contiguous memory and i64x2.extmul_{low,high}_i32x4_u forms four 32x32->64 products per pair of
// loads. The u64 products cannot be summed directly (two may overflow 64 bits), so per lane we keep
// S = sum of products (wrapping mod 2^64) and H = sum of (product >> 32); the exact sum of the low
// halves is then S - (H << 32) mod 2^64 (it is < 2^42, so the subtraction recovers it exactly).
// Squaring forms each off-diagonal product once and doubles it.
//
// Entering Montgomery form (toMont) divides a * 2^(32L) by n with schoolbook long division instead
// of multiplying by a precomputed R^2 mod n, which would itself cost several Montgomery squarings
// per operation (the modulus changes with every certificate, so nothing is cached).

/** Largest supported modulus, in 32-bit limbs (8192 bits). */
export const MONT_MAX_LIMBS: i32 = 256;
/** Zero limbs kept after every number (the SIMD loop over-reads up to three limbs). */
export const MONT_PAD: i32 = 4;

// Buffers carved from the context block: the modulus, the modulus reversed, the quotient digits,
// a reversed copy of the right operand, the normalised modulus and the (2L + 1)-limb dividend of
// toMont (two slots), then MONT_USER_SLOTS numbers for the caller.
const SLOT_N: i32 = 0;
const SLOT_NREV: i32 = 1;
const SLOT_M: i32 = 2;
const SLOT_BREV: i32 = 3;
const SLOT_NN: i32 = 4;
const SLOT_U: i32 = 5; // and 6
const SLOT_FIRST_USER: i32 = 7;
/** How many numbers a Mont context hands out through slot(). */
export const MONT_USER_SLOTS: i32 = 4;

/**
 * Montgomery arithmetic modulo one odd public modulus n with R = 2^(32L), L = limb count of n.
 * Construct once per operation; call dispose() when done (it frees the single scratch block).
 */
export class Mont {
  /** Limb count of the modulus. */
  L: i32;
  /** Byte stride of one number (L + MONT_PAD limbs). */
  stride: i32;
  /** Pointer to n (L limbs + zero pad). */
  n: usize;
  /** -n^-1 mod 2^32. */
  n0inv: u32;
  private block: usize;
  private nrev: usize;
  private m: usize;
  private brev: usize;
  /** n << shift, so that its top limb has its top bit set (divisor for toMont). */
  private nn: usize;
  private shift: u32;
  /** Dividend / remainder scratch for toMont: 2L + 1 limbs. */
  private u: usize;

  /**
   * Sets up arithmetic modulo the big-endian modulus at nPtr (nLen bytes). The caller must have
   * stripped leading zero bytes and checked that n is odd and 5 .. 4 * MONT_MAX_LIMBS bytes long;
   * these are asserted here as well (public-data checks; a failed assert traps).
   */
  constructor(nPtr: usize, nLen: i32) {
    assert(nLen > 4 && nLen <= 4 * MONT_MAX_LIMBS, "Mont: modulus size"); // at least 2 limbs
    assert((load<u8>(nPtr + <usize>(nLen - 1)) & 1) == 1, "Mont: even modulus");
    const L = (nLen + 3) >> 2;
    this.L = L;
    const stride = (L + MONT_PAD) << 2;
    this.stride = stride;
    const total = stride * (SLOT_FIRST_USER + MONT_USER_SLOTS);
    const block = heap.alloc(<usize>total);
    memory.fill(block, 0, <usize>total);
    this.block = block;
    this.n = block + <usize>(SLOT_N * stride);
    this.nrev = block + <usize>(SLOT_NREV * stride);
    this.m = block + <usize>(SLOT_M * stride);
    this.brev = block + <usize>(SLOT_BREV * stride);
    this.nn = block + <usize>(SLOT_NN * stride);
    this.u = block + <usize>(SLOT_U * stride);

    limbsFromBytesBE(this.n, L, nPtr, nLen);
    const n = this.n;
    // Stripped input means a nonzero top limb (toMont's normalisation relies on it).
    assert(load<u32>(n + (<usize>(L - 1) << 2)) != 0, "Mont: leading zero limb");
    reverseLimbs(this.nrev, n, L);

    // n0inv = -n0^-1 mod 2^32 by Newton iteration: x = n0 is correct to 3 bits for odd n0
    // (n0^2 = 1 mod 8) and each step doubles the number of correct bits (3, 6, 12, 24, 48).
    const n0 = load<u32>(n);
    let x: u32 = n0;
    x = x * (2 - n0 * x);
    x = x * (2 - n0 * x);
    x = x * (2 - n0 * x);
    x = x * (2 - n0 * x);
    this.n0inv = 0 - x;

    // Normalised divisor for toMont: shift n left until the top bit of its top limb is set.
    const sh = <u32>clz<u32>(load<u32>(n + (<usize>(L - 1) << 2)));
    this.shift = sh;
    shiftLeftLimbs(this.nn, n, L, sh);
  }

  /** Frees the scratch block (contents are public; zeroed anyway for hygiene). */
  dispose(): void {
    if (this.block != 0) {
      memory.fill(this.block, 0, <usize>(this.stride * (SLOT_FIRST_USER + MONT_USER_SLOTS)));
      heap.free(this.block);
      this.block = 0;
    }
  }

  /** The i-th caller number buffer (0 <= i < MONT_USER_SLOTS): L limbs plus zero pad, initially 0. */
  slot(i: i32): usize {
    assert(i >= 0 && i < MONT_USER_SLOTS, "Mont.slot: index");
    return this.block + <usize>((SLOT_FIRST_USER + i) * this.stride);
  }

  /**
   * out = a * b * R^-1 mod n. Requires a, b < n (true for every output of this class and for
   * inputs checked with cmp()). out may alias a and/or b. Variable time (public data only).
   */
  montMul(out: usize, a: usize, b: usize): void {
    reverseLimbs(this.brev, b, this.L);
    this.montCore(out, a, false);
  }

  /** out = a^2 * R^-1 mod n (out may alias a). */
  montSqr(out: usize, a: usize): void {
    reverseLimbs(this.brev, a, this.L);
    this.montCore(out, a, true);
  }

  /**
   * out = a * R mod n (into Montgomery form); a < n; out may alias a.
   * Rather than multiplying by a precomputed R^2 mod n (which itself costs several Montgomery
   * squarings to build), this divides a * 2^(32L) by n directly with schoolbook long division
   * (Knuth, TAOCP vol. 2, 4.3.1, Algorithm D; the signed-borrow form of Hacker's Delight 9-2):
   * about L^2 scalar multiply-subtracts, several times cheaper than building R^2.
   */
  toMont(out: usize, a: usize): void {
    const L = this.L;
    const u = this.u;
    const nn = this.nn;
    const sh = this.shift;
    // u = (a << sh) * 2^(32L): 2L + 1 limbs (shifting dividend and divisor alike keeps the
    // quotient; the remainder comes out shifted by sh and is shifted back at the end).
    memory.fill(u, 0, <usize>(L << 2));
    const top = shiftLeftLimbs(u + (<usize>L << 2), a, L, sh);
    store<u32>(u + (<usize>(2 * L) << 2), top);
    const vTop = <u64>load<u32>(nn + (<usize>(L - 1) << 2));
    const vNext = <u64>load<u32>(nn + (<usize>(L - 2) << 2));
    for (let j = L; j >= 0; j--) {
      const uj = u + (<usize>j << 2); // the window u[j .. j + L]
      const hi = <u64>load<u32>(uj + (<usize>L << 2));
      const num = (hi << 32) | <u64>load<u32>(uj + (<usize>(L - 1) << 2));
      // Estimate the quotient digit from the top two dividend limbs and the top divisor limb,
      // then refine with the next limb: afterwards qhat is the true digit or one too large.
      let qhat = num / vTop;
      let rhat = num - qhat * vTop;
      const u2 = <u64>load<u32>(uj + (<usize>(L - 2) << 2));
      while (qhat > 0xffffffff || qhat * vNext > ((rhat << 32) | u2)) {
        qhat--;
        rhat += vTop;
        if (rhat > 0xffffffff) break;
      }
      if (qhat == 0) continue;
      // u[j .. j+L] -= qhat * nn, with a signed borrow k.
      let k: i64 = 0;
      let pq = uj;
      let pn = nn;
      const pend = nn + (<usize>L << 2);
      while (pn < pend) {
        const p = qhat * <u64>load<u32>(pn);
        const t = <i64>load<u32>(pq) - k - <i64>(p & 0xffffffff);
        store<u32>(pq, <u32>t);
        k = <i64>(p >> 32) - (t >> 32);
        pq += 4; pn += 4;
      }
      const t = <i64>hi - k;
      store<u32>(uj + (<usize>L << 2), <u32>t);
      if (t < 0) {
        // qhat was one too large: add the divisor back once.
        let c: u64 = 0;
        for (let i = 0; i < L; i++) {
          const q = uj + (<usize>i << 2);
          const v = <u64>load<u32>(q) + <u64>load<u32>(nn + (<usize>i << 2)) + c;
          store<u32>(q, <u32>v);
          c = v >> 32;
        }
        store<u32>(uj + (<usize>L << 2), load<u32>(uj + (<usize>L << 2)) + <u32>c);
      }
    }
    // The remainder is u[0 .. L-1] (u[L] is now 0); undo the normalisation shift.
    for (let i = 0; i < L; i++) {
      const lo = load<u32>(u + (<usize>i << 2));
      const up = load<u32>(u + (<usize>(i + 1) << 2));
      store<u32>(out + (<usize>i << 2), sh == 0 ? lo : (lo >> sh) | (up << (32 - sh)));
    }
  }

  /** out = a * R^-1 mod n (out of Montgomery form). */
  fromMont(out: usize, a: usize): void {
    // Multiply by the number 1: reuse brev directly as reversed "1" (only its last limb is set).
    const L = this.L;
    const brev = this.brev;
    memory.fill(brev, 0, <usize>(L << 2));
    store<u32>(brev + (<usize>(L - 1) << 2), 1);
    this.montCore(out, a, false);
  }

  /** -1, 0 or 1 as a <, =, > b (L limbs each). Variable time. */
  cmp(a: usize, b: usize): i32 {
    return cmpLimbs(a, b, this.L);
  }

  /** Loads the big-endian bytes (len <= 4L) into the number at out, zero-extending. */
  fromBytes(out: usize, ptr: usize, len: i32): void {
    assert(len <= this.L << 2, "Mont.fromBytes: too long");
    limbsFromBytesBE(out, this.L, ptr, len);
  }

  /** Writes the low `len` bytes of a, big-endian, to out (higher bytes must be zero to be exact). */
  toBytes(out: usize, len: i32, a: usize): void {
    limbsToBytesBE(out, len, a, this.L);
  }

  // Product-scanning Montgomery multiplication of a by the number whose limbs are in brev,
  // reversed (brev[j] = b[L-1-j], zero-padded), or of a by itself when square is true (then brev
  // holds a reversed). Writes the reduced result to out.
  //
  // Squaring uses the symmetry of column k: sum a[i]*a[k-i] = 2 * sum_{i < k-i} a[i]*a[k-i]
  // (+ a[k/2]^2 when k is even), so only about half of the a-products are formed. That pair loop
  // cannot over-read (the lanes past its end pair with real limbs), so its last partial group of
  // four is masked with a lane mask.
  private montCore(out: usize, a: usize, square: bool): void {
    const L = this.L;
    const m = this.m;
    const brev = this.brev;
    const nrev = this.nrev;
    const n0 = <u64>load<u32>(this.n);
    const n0inv = this.n0inv;
    // Quotient digits are filled in column by column; the not-yet-computed ones must read as zero
    // because column k's dot product covers m[k] (paired with n0, added separately below).
    memory.fill(m, 0, <usize>(L << 2));
    let c: u64 = 0; // carry into the current column (< 2^45)
    const last = 2 * L - 2;
    for (let k = 0; k <= last; k++) {
      // Column k: sum over i in [lo, hi] of a[i]*b[k-i] + m[i]*n[k-i]; b[k-i] = brev[L-1-k+i].
      const lo = k < L ? 0 : k - L + 1;
      const hi = k < L ? k : L - 1;
      const count = hi - lo + 1;
      const off = <usize>lo << 2;
      const joff = <usize>(L - 1 - k + lo) << 2;
      let vS = i64x2.splat(0);
      let vH = i64x2.splat(0);
      if (!square) {
        let pa = a + off;
        let pm = m + off;
        let pb = brev + joff;
        let pn = nrev + joff;
        // Up to three extra lanes past hi are read: their a/m limbs are zero padding (k >= L) or
        // their b/n limbs are zero padding (k < L), so they contribute nothing.
        for (let t = (count + 3) >> 2; t > 0; t--) {
          const va = v128.load(pa);
          const vb = v128.load(pb);
          const vm = v128.load(pm);
          const vn = v128.load(pn);
          const p0 = i64x2.extmul_low_i32x4_u(va, vb);
          const p1 = i64x2.extmul_high_i32x4_u(va, vb);
          const p2 = i64x2.extmul_low_i32x4_u(vm, vn);
          const p3 = i64x2.extmul_high_i32x4_u(vm, vn);
          vS = i64x2.add(vS, i64x2.add(i64x2.add(p0, p1), i64x2.add(p2, p3)));
          vH = i64x2.add(
            vH,
            i64x2.add(
              i64x2.add(i64x2.shr_u(p0, 32), i64x2.shr_u(p1, 32)),
              i64x2.add(i64x2.shr_u(p2, 32), i64x2.shr_u(p3, 32)),
            ),
          );
          pa += 16; pb += 16; pm += 16; pn += 16;
        }
      } else {
        // m * n part over the whole column (over-read is harmless as above).
        let pm = m + off;
        let pn = nrev + joff;
        for (let t = (count + 3) >> 2; t > 0; t--) {
          const vm = v128.load(pm);
          const vn = v128.load(pn);
          const p2 = i64x2.extmul_low_i32x4_u(vm, vn);
          const p3 = i64x2.extmul_high_i32x4_u(vm, vn);
          vS = i64x2.add(vS, i64x2.add(p2, p3));
          vH = i64x2.add(vH, i64x2.add(i64x2.shr_u(p2, 32), i64x2.shr_u(p3, 32)));
          pm += 16; pn += 16;
        }
        // Off-diagonal pairs i in [lo, (k-1)/2], counted twice.
        const pairs = ((k - 1) >> 1) - lo + 1;
        if (pairs > 0) {
          let pa = a + off;
          let pb = brev + joff;
          let qS = i64x2.splat(0);
          let qH = i64x2.splat(0);
          for (let t = pairs >> 2; t > 0; t--) {
            const va = v128.load(pa);
            const vb = v128.load(pb);
            const p0 = i64x2.extmul_low_i32x4_u(va, vb);
            const p1 = i64x2.extmul_high_i32x4_u(va, vb);
            qS = i64x2.add(qS, i64x2.add(p0, p1));
            qH = i64x2.add(qH, i64x2.add(i64x2.shr_u(p0, 32), i64x2.shr_u(p1, 32)));
            pa += 16; pb += 16;
          }
          const rem = pairs & 3;
          if (rem != 0) {
            const va = v128.and(v128.load(pa), v128.load(LANE_MASKS + (<usize>rem << 4)));
            const vb = v128.load(pb);
            const p0 = i64x2.extmul_low_i32x4_u(va, vb);
            const p1 = i64x2.extmul_high_i32x4_u(va, vb);
            qS = i64x2.add(qS, i64x2.add(p0, p1));
            qH = i64x2.add(qH, i64x2.add(i64x2.shr_u(p0, 32), i64x2.shr_u(p1, 32)));
          }
          vS = i64x2.add(vS, i64x2.shl(qS, 1));
          vH = i64x2.add(vH, i64x2.shl(qH, 1));
        }
        if ((k & 1) == 0) {
          // Diagonal a[k/2]^2 (k/2 is always within [lo, hi]).
          const d = <u64>load<u32>(a + (<usize>(k >> 1) << 2));
          const sq = d * d;
          vS = i64x2.add(vS, i64x2(<i64>sq, 0));
          vH = i64x2.add(vH, i64x2(<i64>(sq >> 32), 0));
        }
      }
      const S = <u64>i64x2.extract_lane(vS, 0) + <u64>i64x2.extract_lane(vS, 1);
      const H = <u64>i64x2.extract_lane(vH, 0) + <u64>i64x2.extract_lane(vH, 1);
      const x = (S - (H << 32)) + c; // exact sum of low halves (< 2^42) plus the carry
      if (k < L) {
        // Choose m[k] so that the column's low 32 bits become zero.
        const w = x & 0xffffffff;
        const mk = <u32>w * n0inv;
        store<u32>(m + (<usize>k << 2), mk);
        const z = w + <u64>mk * n0; // < 2^64: w < 2^32 and the product <= 2^64 - 2^33 + 1
        c = (x >> 32) + (z >> 32) + H;
      } else {
        store<u32>(out + (<usize>(k - L) << 2), <u32>x);
        c = (x >> 32) + H;
      }
    }
    // Column 2L-1 holds only the carry: limb L-1 and a possible top bit (result < 2n < 2R).
    store<u32>(out + (<usize>(L - 1) << 2), <u32>c);
    if ((c >> 32) != 0 || cmpLimbs(out, this.n, L) >= 0) subLimbs(out, this.n, L);
  }
}

// Lane masks for 0..3 leading valid u32 lanes (index rem * 16 bytes).
const LANE_MASKS: usize = memory.data<u32>([
  0, 0, 0, 0,
  0xffffffff, 0, 0, 0,
  0xffffffff, 0xffffffff, 0, 0,
  0xffffffff, 0xffffffff, 0xffffffff, 0,
]);

// ---------------------------------------------------------------------------------------------
// Limb helpers (variable time; public data).

/** dst[j] = src[L-1-j] for j < L (the zero pad after dst is left untouched). */
function reverseLimbs(dst: usize, src: usize, L: i32): void {
  let s = src + (<usize>(L - 1) << 2);
  for (let j = 0; j < L; j++) {
    store<u32>(dst + (<usize>j << 2), load<u32>(s));
    s -= 4;
  }
}

/** -1, 0, 1 as a <, =, > b over L limbs. */
export function cmpLimbs(a: usize, b: usize, L: i32): i32 {
  for (let i = L - 1; i >= 0; i--) {
    const x = load<u32>(a + (<usize>i << 2));
    const y = load<u32>(b + (<usize>i << 2));
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

/** a -= b over L limbs (mod 2^(32L)); returns the final borrow (0 or 1). */
export function subLimbs(a: usize, b: usize, L: i32): u32 {
  let borrow: u64 = 0;
  for (let i = 0; i < L; i++) {
    const p = a + (<usize>i << 2);
    const d = <u64>load<u32>(p) - <u64>load<u32>(b + (<usize>i << 2)) - borrow;
    store<u32>(p, <u32>d);
    borrow = (d >> 32) & 1;
  }
  return <u32>borrow;
}

/** out = a << sh (0 <= sh < 32) over L limbs; returns the bits shifted out of the top limb. */
function shiftLeftLimbs(out: usize, a: usize, L: i32, sh: u32): u32 {
  let carry: u32 = 0;
  for (let i = 0; i < L; i++) {
    const v = load<u32>(a + (<usize>i << 2));
    store<u32>(out + (<usize>i << 2), (v << sh) | carry);
    carry = sh == 0 ? 0 : v >> (32 - sh);
  }
  return carry;
}

/** Big-endian bytes (len <= 4L) to L little-endian limbs, zero-extended. */
export function limbsFromBytesBE(out: usize, L: i32, ptr: usize, len: i32): void {
  memory.fill(out, 0, <usize>(L << 2));
  // Byte i from the end goes to limb i >> 2, bits 8 * (i & 3).
  for (let i = 0; i < len; i++) {
    const b = <u32>load<u8>(ptr + <usize>(len - 1 - i));
    const p = out + (<usize>(i >> 2) << 2);
    store<u32>(p, load<u32>(p) | (b << (<u32>(i & 3) << 3)));
  }
}

/** The low len bytes of the L-limb number a, big-endian, to out (zero bytes above 4L). */
export function limbsToBytesBE(out: usize, len: i32, a: usize, L: i32): void {
  for (let i = 0; i < len; i++) {
    let b: u32 = 0;
    if ((i >> 2) < L) b = (load<u32>(a + (<usize>(i >> 2) << 2)) >> (<u32>(i & 3) << 3)) & 0xff;
    store<u8>(out + <usize>(len - 1 - i), <u8>b);
  }
}
