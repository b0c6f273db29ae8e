// X25519 (RFC 7748, section 5): Diffie-Hellman on the Montgomery form of Curve25519.
//
// Internal API (for the TLS 1.3 key exchange; every pointer is to a 32-byte little-endian string):
//
//   x25519(outPtr, scalarPtr, uPtr)   out = X25519(scalar, u)      (the ECDHE shared secret)
//   x25519Base(outPtr, scalarPtr)     out = X25519(scalar, 9)      (the public key of a private key)
//   isAllZero32(p)                    true when the 32 bytes at p are all zero (constant time);
//                                     TLS must abort when the shared secret is all zero
//                                     (RFC 8446, 7.4.2; RFC 7748, 6.1).
//
// The output may alias either input (inputs are copied into scratch memory first). One static
// scratch area is used, so the functions are not reentrant (Wasm here is single-threaded); it is
// wiped before each function returns.
//
// ---------------------------------------------------------------------------------------------
// Field arithmetic: GF(p), p = 2^255 - 19, in IEEE double precision, two field elements at a time
// (one per f64x2 lane), so that the Montgomery ladder runs 2-way parallel on Wasm SIMD: a ladder
// step's nine multiplications become five 2-lane ones, (DA, CB), (AA, BB), ((DA+CB)^2,
// (DA-CB)^2), (AA BB, E (AA + a24 E)) and ((DA+CB)^2 * 1, x1 (DA-CB)^2). Doubles are used because
// f64x2.mul is Wasm SIMD's widest exact multiplier (i64x2.mul is emulated, slowly, on x86-64),
// and because the scalar alternative (ten 25.5-bit limbs, i64 products) measured slower here:
// the CPU has one 64-bit integer multiplier but two 2-lane double multipliers.
//
// All arithmetic is exact integer arithmetic carried out in doubles: every intermediate value is
// an integer multiple of a power of two with at most 53 significant bits, so nothing is ever
// rounded except where a carry deliberately rounds (below). No intermediate is subnormal, infinite
// or NaN (the smallest nonzero magnitude is 19 * 2^-233), so double add/sub/mul take
// data-independent time on the CPUs Wasm engines target (x86-64 SSE2/AVX, AArch64 NEON).
//
// Representation: twelve limbs in radix 2^21.25: limb k is a double that is an integer multiple
// of 2^w[k], w = 0, 22, 43, 64, 85, 107, 128, 149, 170, 192, 213, 234 (w[k] = ceil(21.25 k);
// w[12] = 255); the element is the sum of its limbs. "Carried" limbs satisfy
// |limb k| <= 2^(w[k+1] - 1) (balanced digits of 21 or 22 bits), up to an excess below 1% of that
// bound that the carry chains leave on limbs 1, 4, 7 and 10.
//
// Products: the term f_i g_j is a multiple of 2^(w[i] + w[j]) >= 2^w[i+j]; when i + j >= 12 it
// belongs to column i + j - 12 after multiplying by 19 * 2^-255 (2^255 = 19 mod p), which is
// exact. Bounds (checked by enumerating all twelve columns): for inputs whose limbs are at most
// twice the carried bound (|limb k| <= 2^w[k+1] * 1.01: a sum or difference of two carried
// elements), every partial column sum is a multiple of 2^w[k] of magnitude < 2^(w[k] + 51), exact
// in a 53-bit significand with two bits to spare. Only such inputs are ever multiplied below
// (E (AA + a24 E) uses a carried a24 E).
//
// Carry from limb k to k + 1: c = (h + alpha) - alpha with alpha = 1.5 * 2^(52 + w[k+1]) is h
// rounded to the nearest multiple of 2^w[k+1], exactly (|h| < 2^(51 + w[k+1]); round-to-nearest
// is Wasm's only rounding mode, and neither asc/Binaryen nor the engines reassociate float
// arithmetic); h - c and next + c are exact. The carry out of limb 11 is a multiple of 2^255 and
// re-enters limb 0 multiplied by 19 * 2^-255.
//
// Code shape (the bodies of fmulCore and fsq are unrolled): column by column, with six limbs of
// one operand in registers and the other operand's limbs loaded where they are used, two
// accumulators per column, partial column sums in memory (HH) between the two halves. This keeps
// the live values below the 15 allocatable SIMD registers of V8 on x86-64 (V8 hoists a region's
// loads, so values used many times get spilled) while still giving the CPU parallel work.
//
// Constant time: the ladder runs a fixed 255 iterations; the conditional swap selects with
// v128.bitselect under an all-ones/all-zeros mask (no branch, no secret-dependent address);
// inversion is Fermat's z^(p-2) with a fixed addition chain; decoding, the final reduction mod p
// and encoding are branch-free integer arithmetic on the digits. Loops and branches depend only on
// public values (loop counters, the bit position t of the scalar, the base/variable-point flag).

import { wipe, ctIsZero32 } from './ct';

// ---------------------------------------------------------------------------------------------
// Memory. A "pair" is 12 limbs x 16 bytes (f64x2) = 192 bytes. Scratch areas are 16-aligned.

const PAIR: usize = 192;
const SCRATCH_SIZE: usize = PAIR * 22 + 32 * 3 + 12 * 8;
const SCRATCH: usize = memory.data(<i32>SCRATCH_SIZE, 16);

const PP: usize = SCRATCH;                 // [x2 | z2]   ladder state
const QQ: usize = SCRATCH + PAIR;          // [x3 | z3]   ladder state
const X1V: usize = SCRATCH + PAIR * 2;     // [1 | x1]    difference point
const X1W: usize = SCRATCH + PAIR * 3;     // X1V * 19 * 2^-255 (wrapped copy for fmulCore)
const SAB: usize = SCRATCH + PAIR * 4;     // [A | B]  = [x2 + z2 | x2 - z2]
const SDC: usize = SCRATCH + PAIR * 5;     // [D | C]  = [x3 - z3 | x3 + z3]
const UU: usize = SCRATCH + PAIR * 6;      // [DA | CB]
const VV: usize = SCRATCH + PAIR * 7;      // [AA | BB]
const WI: usize = SCRATCH + PAIR * 8;      // [DA + CB | DA - CB]
const WW: usize = SCRATCH + PAIR * 9;      // [(DA + CB)^2 | (DA - CB)^2]
const EE: usize = SCRATCH + PAIR * 10;     // [E | E], E = AA - BB
const AE: usize = SCRATCH + PAIR * 11;     // [a24 E | a24 E] (carried)
const MA: usize = SCRATCH + PAIR * 12;     // [AA | E]
const MB: usize = SCRATCH + PAIR * 13;     // [BB | AA + a24 E]
const HH: usize = SCRATCH + PAIR * 14;     // column sums of a product before carrying
const GW: usize = SCRATCH + PAIR * 15;     // fmul: g_j * 19 * 2^-255
const F2: usize = SCRATCH + PAIR * 16;     // fsq: 2 f_j
const FW: usize = SCRATCH + PAIR * 17;     // fsq: f_j * 19 * 2^-255 (j >= 6)
const FW2: usize = SCRATCH + PAIR * 18;    // fsq: 2 f_j * 19 * 2^-255 (j >= 6)
const I0: usize = SCRATCH + PAIR * 19;     // inversion temporaries
const I1: usize = SCRATCH + PAIR * 20;
const I2: usize = SCRATCH + PAIR * 21;
const KEY: usize = SCRATCH + PAIR * 22;    // clamped scalar (32 bytes)
const UIN: usize = KEY + 32;               // copy of the u input (32 bytes)
const ENC: usize = KEY + 64;               // encoded result (32 bytes)
const LIMBS: usize = KEY + 96;             // 12 x i64 integer digits for encoding

// Public constant tables (not secret, never wiped), filled once by initTables().
const ALPHA: usize = memory.data(12 * 16, 16);   // per limb k: [1.5 * 2^(52 + w[k+1])] x 2
const KCONST: usize = memory.data(5 * 16, 16);
const C19: usize = KCONST;                       // [19 * 2^-255] x 2
const PM: usize = KCONST + 16;                   // [1, -1]
const MP: usize = KCONST + 32;                   // [-1, 1]
const A24: usize = KCONST + 48;                  // [121665] x 2  ((486662 - 2) / 4)
const ONE9: usize = KCONST + 64;                 // [1, 9]  ((DA+CB)^2 * 1, x1 (DA-CB)^2 for u = 9)
const LIMB_W = memory.data<i32>([0, 22, 43, 64, 85, 107, 128, 149, 170, 192, 213, 234, 255]);
let tablesReady = false;

@inline function pow2(e: i32): f64 {
  return reinterpret<f64>(<u64>(1023 + e) << 52);
}

@inline function limbW(k: i32): i32 {
  return load<i32>(LIMB_W + (<usize>k << 2));
}

function initTables(): void {
  for (let k = 0; k < 12; k++) {
    v128.store(ALPHA + (<usize>k << 4), f64x2.splat(1.5 * pow2(52 + limbW(k + 1))));
  }
  v128.store(C19, f64x2.splat(19.0 * pow2(-255)));
  v128.store(PM, f64x2(1.0, -1.0));
  v128.store(MP, f64x2(-1.0, 1.0));
  v128.store(A24, f64x2.splat(121665.0));
  v128.store(ONE9, f64x2(1.0, 9.0));
  tablesReady = true;
}

@inline function ld(p: usize): v128 {
  return v128.load(p);
}

/** acc + a * b (lane-wise; exact under the bounds above). */
@inline function mad(acc: v128, a: v128, b: v128): v128 {
  return f64x2.add(acc, f64x2.mul(a, b));
}

/** The multiple of 2^w[k+1] nearest to h: (h + alpha) - alpha, alpha from the ALPHA table. */
@inline function rnd(h: v128, alphaPtr: usize): v128 {
  const a = ld(alphaPtr);
  return f64x2.sub(f64x2.add(h, a), a);
}

/**
 * Carries the twelve column sums in HH into balanced limbs and stores them at h (h may be HH).
 * Four chains run in parallel (limbs 0 -> 3, 3 -> 6, 6 -> 9, 9 -> 11 -> 0), then limbs 3, 6, 9
 * and 0, which received a carry after giving theirs, are carried once more (into limbs 4, 7, 10
 * and 1, which may end up slightly above the balanced bound; see the bounds above).
 */
function carry(h: usize): void {
  let h0 = ld(HH), h1 = ld(HH + 16), h2 = ld(HH + 32), h3 = ld(HH + 48);
  let h4 = ld(HH + 64), h5 = ld(HH + 80), h6 = ld(HH + 96), h7 = ld(HH + 112);
  let h8 = ld(HH + 128), h9 = ld(HH + 144), h10 = ld(HH + 160), h11 = ld(HH + 176);
  let c0: v128, c1: v128, c2: v128, c3: v128;
  c0 = rnd(h0, ALPHA); c1 = rnd(h3, ALPHA + 48); c2 = rnd(h6, ALPHA + 96); c3 = rnd(h9, ALPHA + 144);
  h0 = f64x2.sub(h0, c0); h3 = f64x2.sub(h3, c1); h6 = f64x2.sub(h6, c2); h9 = f64x2.sub(h9, c3);
  h1 = f64x2.add(h1, c0); h4 = f64x2.add(h4, c1); h7 = f64x2.add(h7, c2); h10 = f64x2.add(h10, c3);
  c0 = rnd(h1, ALPHA + 16); c1 = rnd(h4, ALPHA + 64); c2 = rnd(h7, ALPHA + 112); c3 = rnd(h10, ALPHA + 160);
  h1 = f64x2.sub(h1, c0); h4 = f64x2.sub(h4, c1); h7 = f64x2.sub(h7, c2); h10 = f64x2.sub(h10, c3);
  h2 = f64x2.add(h2, c0); h5 = f64x2.add(h5, c1); h8 = f64x2.add(h8, c2); h11 = f64x2.add(h11, c3);
  c0 = rnd(h2, ALPHA + 32); c1 = rnd(h5, ALPHA + 80); c2 = rnd(h8, ALPHA + 128); c3 = rnd(h11, ALPHA + 176);
  h2 = f64x2.sub(h2, c0); h5 = f64x2.sub(h5, c1); h8 = f64x2.sub(h8, c2); h11 = f64x2.sub(h11, c3);
  h3 = f64x2.add(h3, c0); h6 = f64x2.add(h6, c1); h9 = f64x2.add(h9, c2); h0 = mad(h0, c3, ld(C19));
  c0 = rnd(h3, ALPHA + 48); c1 = rnd(h6, ALPHA + 96); c2 = rnd(h9, ALPHA + 144); c3 = rnd(h0, ALPHA);
  h3 = f64x2.sub(h3, c0); h6 = f64x2.sub(h6, c1); h9 = f64x2.sub(h9, c2); h0 = f64x2.sub(h0, c3);
  h4 = f64x2.add(h4, c0); h7 = f64x2.add(h7, c1); h10 = f64x2.add(h10, c2); h1 = f64x2.add(h1, c3);
  v128.store(h, h0); v128.store(h, h1, 16); v128.store(h, h2, 32); v128.store(h, h3, 48);
  v128.store(h, h4, 64); v128.store(h, h5, 80); v128.store(h, h6, 96); v128.store(h, h7, 112);
  v128.store(h, h8, 128); v128.store(h, h9, 144); v128.store(h, h10, 160); v128.store(h, h11, 176);
}

/** gw = g * 19 * 2^-255, limbs 1..11 (the wrapped operand copy fmulCore reads for i + j >= 12). */
function wrapCopy(gw: usize, g: usize): void {
  const c19 = ld(C19);
  v128.store(gw + 16, f64x2.mul(ld(g + 16), c19));
  v128.store(gw + 32, f64x2.mul(ld(g + 32), c19));
  v128.store(gw + 48, f64x2.mul(ld(g + 48), c19));
  v128.store(gw + 64, f64x2.mul(ld(g + 64), c19));
  v128.store(gw + 80, f64x2.mul(ld(g + 80), c19));
  v128.store(gw + 96, f64x2.mul(ld(g + 96), c19));
  v128.store(gw + 112, f64x2.mul(ld(g + 112), c19));
  v128.store(gw + 128, f64x2.mul(ld(g + 128), c19));
  v128.store(gw + 144, f64x2.mul(ld(g + 144), c19));
  v128.store(gw + 160, f64x2.mul(ld(g + 160), c19));
  v128.store(gw + 176, f64x2.mul(ld(g + 176), c19));
}

/**
 * h = f * g, lane-wise: 144 products. Column k collects f_i g_(k-i) for i <= k and
 * f_i gw_(k-i+12) for i > k, where gw = g * 19 * 2^-255 (see wrapCopy). h may alias f or g.
 */
function fmulCore(h: usize, f: usize, g: usize, gw: usize): void {
  let a0: v128, a1: v128;
  { // rows 0..5: f0..f5 in registers
  const f0 = ld(f + 0), f1 = ld(f + 16), f2 = ld(f + 32), f3 = ld(f + 48), f4 = ld(f + 64), f5 = ld(f + 80);
  a0 = f64x2.mul(f0, ld(g + 0));
  a1 = f64x2.mul(f1, ld(gw + 176));
  a0 = mad(a0, f2, ld(gw + 160)); a1 = mad(a1, f3, ld(gw + 144));
  a0 = mad(a0, f4, ld(gw + 128)); a1 = mad(a1, f5, ld(gw + 112));
  v128.store(HH + 0, f64x2.add(a0, a1));
  a0 = f64x2.mul(f0, ld(g + 16));
  a1 = f64x2.mul(f1, ld(g + 0));
  a0 = mad(a0, f2, ld(gw + 176)); a1 = mad(a1, f3, ld(gw + 160));
  a0 = mad(a0, f4, ld(gw + 144)); a1 = mad(a1, f5, ld(gw + 128));
  v128.store(HH + 16, f64x2.add(a0, a1));
  a0 = f64x2.mul(f0, ld(g + 32));
  a1 = f64x2.mul(f1, ld(g + 16));
  a0 = mad(a0, f2, ld(g + 0)); a1 = mad(a1, f3, ld(gw + 176));
  a0 = mad(a0, f4, ld(gw + 160)); a1 = mad(a1, f5, ld(gw + 144));
  v128.store(HH + 32, f64x2.add(a0, a1));
  a0 = f64x2.mul(f0, ld(g + 48));
  a1 = f64x2.mul(f1, ld(g + 32));
  a0 = mad(a0, f2, ld(g + 16)); a1 = mad(a1, f3, ld(g + 0));
  a0 = mad(a0, f4, ld(gw + 176)); a1 = mad(a1, f5, ld(gw + 160));
  v128.store(HH + 48, f64x2.add(a0, a1));
  a0 = f64x2.mul(f0, ld(g + 64));
  a1 = f64x2.mul(f1, ld(g + 48));
  a0 = mad(a0, f2, ld(g + 32)); a1 = mad(a1, f3, ld(g + 16));
  a0 = mad(a0, f4, ld(g + 0)); a1 = mad(a1, f5, ld(gw + 176));
  v128.store(HH + 64, f64x2.add(a0, a1));
  a0 = f64x2.mul(f0, ld(g + 80));
  a1 = f64x2.mul(f1, ld(g + 64));
  a0 = mad(a0, f2, ld(g + 48)); a1 = mad(a1, f3, ld(g + 32));
  a0 = mad(a0, f4, ld(g + 16)); a1 = mad(a1, f5, ld(g + 0));
  v128.store(HH + 80, f64x2.add(a0, a1));
  a0 = f64x2.mul(f0, ld(g + 96));
  a1 = f64x2.mul(f1, ld(g + 80));
  a0 = mad(a0, f2, ld(g + 64)); a1 = mad(a1, f3, ld(g + 48));
  a0 = mad(a0, f4, ld(g + 32)); a1 = mad(a1, f5, ld(g + 16));
  v128.store(HH + 96, f64x2.add(a0, a1));
  a0 = f64x2.mul(f0, ld(g + 112));
  a1 = f64x2.mul(f1, ld(g + 96));
  a0 = mad(a0, f2, ld(g + 80)); a1 = mad(a1, f3, ld(g + 64));
  a0 = mad(a0, f4, ld(g + 48)); a1 = mad(a1, f5, ld(g + 32));
  v128.store(HH + 112, f64x2.add(a0, a1));
  a0 = f64x2.mul(f0, ld(g + 128));
  a1 = f64x2.mul(f1, ld(g + 112));
  a0 = mad(a0, f2, ld(g + 96)); a1 = mad(a1, f3, ld(g + 80));
  a0 = mad(a0, f4, ld(g + 64)); a1 = mad(a1, f5, ld(g + 48));
  v128.store(HH + 128, f64x2.add(a0, a1));
  a0 = f64x2.mul(f0, ld(g + 144));
  a1 = f64x2.mul(f1, ld(g + 128));
  a0 = mad(a0, f2, ld(g + 112)); a1 = mad(a1, f3, ld(g + 96));
  a0 = mad(a0, f4, ld(g + 80)); a1 = mad(a1, f5, ld(g + 64));
  v128.store(HH + 144, f64x2.add(a0, a1));
  a0 = f64x2.mul(f0, ld(g + 160));
  a1 = f64x2.mul(f1, ld(g + 144));
  a0 = mad(a0, f2, ld(g + 128)); a1 = mad(a1, f3, ld(g + 112));
  a0 = mad(a0, f4, ld(g + 96)); a1 = mad(a1, f5, ld(g + 80));
  v128.store(HH + 160, f64x2.add(a0, a1));
  a0 = f64x2.mul(f0, ld(g + 176));
  a1 = f64x2.mul(f1, ld(g + 160));
  a0 = mad(a0, f2, ld(g + 144)); a1 = mad(a1, f3, ld(g + 128));
  a0 = mad(a0, f4, ld(g + 112)); a1 = mad(a1, f5, ld(g + 96));
  v128.store(HH + 176, f64x2.add(a0, a1));
  }
  { // rows 6..11: f6..f11 in registers, partial column sums in HH
  const f6 = ld(f + 96), f7 = ld(f + 112), f8 = ld(f + 128), f9 = ld(f + 144), f10 = ld(f + 160), f11 = ld(f + 176);
  a0 = mad(ld(HH + 0), f6, ld(gw + 96));
  a1 = f64x2.mul(f7, ld(gw + 80));
  a0 = mad(a0, f8, ld(gw + 64)); a1 = mad(a1, f9, ld(gw + 48));
  a0 = mad(a0, f10, ld(gw + 32)); a1 = mad(a1, f11, ld(gw + 16));
  v128.store(HH + 0, f64x2.add(a0, a1));
  a0 = mad(ld(HH + 16), f6, ld(gw + 112));
  a1 = f64x2.mul(f7, ld(gw + 96));
  a0 = mad(a0, f8, ld(gw + 80)); a1 = mad(a1, f9, ld(gw + 64));
  a0 = mad(a0, f10, ld(gw + 48)); a1 = mad(a1, f11, ld(gw + 32));
  v128.store(HH + 16, f64x2.add(a0, a1));
  a0 = mad(ld(HH + 32), f6, ld(gw + 128));
  a1 = f64x2.mul(f7, ld(gw + 112));
  a0 = mad(a0, f8, ld(gw + 96)); a1 = mad(a1, f9, ld(gw + 80));
  a0 = mad(a0, f10, ld(gw + 64)); a1 = mad(a1, f11, ld(gw + 48));
  v128.store(HH + 32, f64x2.add(a0, a1));
  a0 = mad(ld(HH + 48), f6, ld(gw + 144));
  a1 = f64x2.mul(f7, ld(gw + 128));
  a0 = mad(a0, f8, ld(gw + 112)); a1 = mad(a1, f9, ld(gw + 96));
  a0 = mad(a0, f10, ld(gw + 80)); a1 = mad(a1, f11, ld(gw + 64));
  v128.store(HH + 48, f64x2.add(a0, a1));
  a0 = mad(ld(HH + 64), f6, ld(gw + 160));
  a1 = f64x2.mul(f7, ld(gw + 144));
  a0 = mad(a0, f8, ld(gw + 128)); a1 = mad(a1, f9, ld(gw + 112));
  a0 = mad(a0, f10, ld(gw + 96)); a1 = mad(a1, f11, ld(gw + 80));
  v128.store(HH + 64, f64x2.add(a0, a1));
  a0 = mad(ld(HH + 80), f6, ld(gw + 176));
  a1 = f64x2.mul(f7, ld(gw + 160));
  a0 = mad(a0, f8, ld(gw + 144)); a1 = mad(a1, f9, ld(gw + 128));
  a0 = mad(a0, f10, ld(gw + 112)); a1 = mad(a1, f11, ld(gw + 96));
  v128.store(HH + 80, f64x2.add(a0, a1));
  a0 = mad(ld(HH + 96), f6, ld(g + 0));
  a1 = f64x2.mul(f7, ld(gw + 176));
  a0 = mad(a0, f8, ld(gw + 160)); a1 = mad(a1, f9, ld(gw + 144));
  a0 = mad(a0, f10, ld(gw + 128)); a1 = mad(a1, f11, ld(gw + 112));
  v128.store(HH + 96, f64x2.add(a0, a1));
  a0 = mad(ld(HH + 112), f6, ld(g + 16));
  a1 = f64x2.mul(f7, ld(g + 0));
  a0 = mad(a0, f8, ld(gw + 176)); a1 = mad(a1, f9, ld(gw + 160));
  a0 = mad(a0, f10, ld(gw + 144)); a1 = mad(a1, f11, ld(gw + 128));
  v128.store(HH + 112, f64x2.add(a0, a1));
  a0 = mad(ld(HH + 128), f6, ld(g + 32));
  a1 = f64x2.mul(f7, ld(g + 16));
  a0 = mad(a0, f8, ld(g + 0)); a1 = mad(a1, f9, ld(gw + 176));
  a0 = mad(a0, f10, ld(gw + 160)); a1 = mad(a1, f11, ld(gw + 144));
  v128.store(HH + 128, f64x2.add(a0, a1));
  a0 = mad(ld(HH + 144), f6, ld(g + 48));
  a1 = f64x2.mul(f7, ld(g + 32));
  a0 = mad(a0, f8, ld(g + 16)); a1 = mad(a1, f9, ld(g + 0));
  a0 = mad(a0, f10, ld(gw + 176)); a1 = mad(a1, f11, ld(gw + 160));
  v128.store(HH + 144, f64x2.add(a0, a1));
  a0 = mad(ld(HH + 160), f6, ld(g + 64));
  a1 = f64x2.mul(f7, ld(g + 48));
  a0 = mad(a0, f8, ld(g + 32)); a1 = mad(a1, f9, ld(g + 16));
  a0 = mad(a0, f10, ld(g + 0)); a1 = mad(a1, f11, ld(gw + 176));
  v128.store(HH + 160, f64x2.add(a0, a1));
  a0 = mad(ld(HH + 176), f6, ld(g + 80));
  a1 = f64x2.mul(f7, ld(g + 64));
  a0 = mad(a0, f8, ld(g + 48)); a1 = mad(a1, f9, ld(g + 32));
  a0 = mad(a0, f10, ld(g + 16)); a1 = mad(a1, f11, ld(g + 0));
  v128.store(HH + 176, f64x2.add(a0, a1));
  }
  carry(h);
}

/** h = f * g, lane-wise. h may alias f or g. */
function fmul(h: usize, f: usize, g: usize): void {
  wrapCopy(GW, g);
  fmulCore(h, f, g, GW);
}

/**
 * h = f^2, lane-wise: 78 products. Column k collects 2 f_i f_j (i < j, i + j = k), f_i^2
 * (2i = k) and their wrapped counterparts (i + j = k + 12) times 19 * 2^-255. h may alias f.
 */
function fsq(h: usize, f: usize): void {
  const c19 = ld(C19);
  { const x = ld(f + 0); v128.store(F2 + 0, f64x2.add(x, x)); } { const x = ld(f + 16); v128.store(F2 + 16, f64x2.add(x, x)); } { const x = ld(f + 32); v128.store(F2 + 32, f64x2.add(x, x)); }
  { const x = ld(f + 48); v128.store(F2 + 48, f64x2.add(x, x)); } { const x = ld(f + 64); v128.store(F2 + 64, f64x2.add(x, x)); } { const x = ld(f + 80); v128.store(F2 + 80, f64x2.add(x, x)); }
  { const x = ld(f + 96); v128.store(F2 + 96, f64x2.add(x, x)); } { const x = ld(f + 112); v128.store(F2 + 112, f64x2.add(x, x)); } { const x = ld(f + 128); v128.store(F2 + 128, f64x2.add(x, x)); }
  { const x = ld(f + 144); v128.store(F2 + 144, f64x2.add(x, x)); } { const x = ld(f + 160); v128.store(F2 + 160, f64x2.add(x, x)); }
  { const w = f64x2.mul(ld(f + 96), c19); v128.store(FW + 96, w); v128.store(FW2 + 96, f64x2.add(w, w)); }
  { const w = f64x2.mul(ld(f + 112), c19); v128.store(FW + 112, w); v128.store(FW2 + 112, f64x2.add(w, w)); }
  { const w = f64x2.mul(ld(f + 128), c19); v128.store(FW + 128, w); v128.store(FW2 + 128, f64x2.add(w, w)); }
  { const w = f64x2.mul(ld(f + 144), c19); v128.store(FW + 144, w); v128.store(FW2 + 144, f64x2.add(w, w)); }
  { const w = f64x2.mul(ld(f + 160), c19); v128.store(FW + 160, w); v128.store(FW2 + 160, f64x2.add(w, w)); }
  { const w = f64x2.mul(ld(f + 176), c19); v128.store(FW + 176, w); v128.store(FW2 + 176, f64x2.add(w, w)); }
  let a0: v128, a1: v128;
  { // terms with register operand f0..f5
  const f0 = ld(f + 0), f1 = ld(f + 16), f2 = ld(f + 32), f3 = ld(f + 48), f4 = ld(f + 64), f5 = ld(f + 80);
  a0 = f64x2.mul(f0, f0);
  a1 = f64x2.mul(f1, ld(FW2 + 176));
  a0 = mad(a0, f2, ld(FW2 + 160)); a1 = mad(a1, f3, ld(FW2 + 144));
  a0 = mad(a0, f4, ld(FW2 + 128)); a1 = mad(a1, f5, ld(FW2 + 112));
  v128.store(HH + 0, f64x2.add(a0, a1));
  a0 = f64x2.mul(f1, ld(F2 + 0));
  a1 = f64x2.mul(f2, ld(FW2 + 176));
  a0 = mad(a0, f3, ld(FW2 + 160)); a1 = mad(a1, f4, ld(FW2 + 144));
  a0 = mad(a0, f5, ld(FW2 + 128));
  v128.store(HH + 16, f64x2.add(a0, a1));
  a0 = f64x2.mul(f2, ld(F2 + 0));
  a1 = f64x2.mul(f1, f1);
  a0 = mad(a0, f3, ld(FW2 + 176)); a1 = mad(a1, f4, ld(FW2 + 160));
  a0 = mad(a0, f5, ld(FW2 + 144));
  v128.store(HH + 32, f64x2.add(a0, a1));
  a0 = f64x2.mul(f3, ld(F2 + 0));
  a1 = f64x2.mul(f2, ld(F2 + 16));
  a0 = mad(a0, f4, ld(FW2 + 176)); a1 = mad(a1, f5, ld(FW2 + 160));
  v128.store(HH + 48, f64x2.add(a0, a1));
  a0 = f64x2.mul(f4, ld(F2 + 0));
  a1 = f64x2.mul(f3, ld(F2 + 16));
  a0 = mad(a0, f2, f2); a1 = mad(a1, f5, ld(FW2 + 176));
  v128.store(HH + 64, f64x2.add(a0, a1));
  a0 = f64x2.mul(f5, ld(F2 + 0));
  a1 = f64x2.mul(f4, ld(F2 + 16));
  a0 = mad(a0, f3, ld(F2 + 32));
  v128.store(HH + 80, f64x2.add(a0, a1));
  a0 = f64x2.mul(f5, ld(F2 + 16));
  a1 = f64x2.mul(f4, ld(F2 + 32));
  a0 = mad(a0, f3, f3);
  v128.store(HH + 96, f64x2.add(a0, a1));
  a0 = f64x2.mul(f5, ld(F2 + 32));
  a1 = f64x2.mul(f4, ld(F2 + 48));
  v128.store(HH + 112, f64x2.add(a0, a1));
  a0 = f64x2.mul(f5, ld(F2 + 48));
  a1 = f64x2.mul(f4, f4);
  v128.store(HH + 128, f64x2.add(a0, a1));
  a0 = f64x2.mul(f5, ld(F2 + 64));
  v128.store(HH + 144, a0);
  a0 = f64x2.mul(f5, f5);
  v128.store(HH + 160, a0);
  }
  { // terms with register operand f6..f11
  const f6 = ld(f + 96), f7 = ld(f + 112), f8 = ld(f + 128), f9 = ld(f + 144), f10 = ld(f + 160), f11 = ld(f + 176);
  a0 = mad(ld(HH + 0), f6, ld(FW + 96));
  v128.store(HH + 0, a0);
  a0 = mad(ld(HH + 16), f6, ld(FW2 + 112));
  v128.store(HH + 16, a0);
  a0 = mad(ld(HH + 32), f6, ld(FW2 + 128));
  a1 = f64x2.mul(f7, ld(FW + 112));
  v128.store(HH + 32, f64x2.add(a0, a1));
  a0 = mad(ld(HH + 48), f6, ld(FW2 + 144));
  a1 = f64x2.mul(f7, ld(FW2 + 128));
  v128.store(HH + 48, f64x2.add(a0, a1));
  a0 = mad(ld(HH + 64), f6, ld(FW2 + 160));
  a1 = f64x2.mul(f7, ld(FW2 + 144));
  a0 = mad(a0, f8, ld(FW + 128));
  v128.store(HH + 64, f64x2.add(a0, a1));
  a0 = mad(ld(HH + 80), f6, ld(FW2 + 176));
  a1 = f64x2.mul(f7, ld(FW2 + 160));
  a0 = mad(a0, f8, ld(FW2 + 144));
  v128.store(HH + 80, f64x2.add(a0, a1));
  a0 = mad(ld(HH + 96), f6, ld(F2 + 0));
  a1 = f64x2.mul(f7, ld(FW2 + 176));
  a0 = mad(a0, f8, ld(FW2 + 160)); a1 = mad(a1, f9, ld(FW + 144));
  v128.store(HH + 96, f64x2.add(a0, a1));
  a0 = mad(ld(HH + 112), f7, ld(F2 + 0));
  a1 = f64x2.mul(f6, ld(F2 + 16));
  a0 = mad(a0, f8, ld(FW2 + 176)); a1 = mad(a1, f9, ld(FW2 + 160));
  v128.store(HH + 112, f64x2.add(a0, a1));
  a0 = mad(ld(HH + 128), f8, ld(F2 + 0));
  a1 = f64x2.mul(f7, ld(F2 + 16));
  a0 = mad(a0, f6, ld(F2 + 32)); a1 = mad(a1, f9, ld(FW2 + 176));
  a0 = mad(a0, f10, ld(FW + 160));
  v128.store(HH + 128, f64x2.add(a0, a1));
  a0 = mad(ld(HH + 144), f9, ld(F2 + 0));
  a1 = f64x2.mul(f8, ld(F2 + 16));
  a0 = mad(a0, f7, ld(F2 + 32)); a1 = mad(a1, f6, ld(F2 + 48));
  a0 = mad(a0, f10, ld(FW2 + 176));
  v128.store(HH + 144, f64x2.add(a0, a1));
  a0 = mad(ld(HH + 160), f10, ld(F2 + 0));
  a1 = f64x2.mul(f9, ld(F2 + 16));
  a0 = mad(a0, f8, ld(F2 + 32)); a1 = mad(a1, f7, ld(F2 + 48));
  a0 = mad(a0, f6, ld(F2 + 64)); a1 = mad(a1, f11, ld(FW + 176));
  v128.store(HH + 160, f64x2.add(a0, a1));
  a0 = f64x2.mul(f11, ld(F2 + 0));
  a1 = f64x2.mul(f10, ld(F2 + 16));
  a0 = mad(a0, f9, ld(F2 + 32)); a1 = mad(a1, f8, ld(F2 + 48));
  a0 = mad(a0, f7, ld(F2 + 64)); a1 = mad(a1, f6, ld(F2 + 80));
  v128.store(HH + 176, f64x2.add(a0, a1));
  }
  carry(h);
}

/** h = f * c, lane-wise, for a public pair of small constants c at cPtr (|c| < 2^17); carried. */
function fmulSmall(h: usize, f: usize, cPtr: usize): void {
  const c = ld(cPtr);
  v128.store(HH, f64x2.mul(ld(f), c));
  v128.store(HH + 16, f64x2.mul(ld(f + 16), c));
  v128.store(HH + 32, f64x2.mul(ld(f + 32), c));
  v128.store(HH + 48, f64x2.mul(ld(f + 48), c));
  v128.store(HH + 64, f64x2.mul(ld(f + 64), c));
  v128.store(HH + 80, f64x2.mul(ld(f + 80), c));
  v128.store(HH + 96, f64x2.mul(ld(f + 96), c));
  v128.store(HH + 112, f64x2.mul(ld(f + 112), c));
  v128.store(HH + 128, f64x2.mul(ld(f + 128), c));
  v128.store(HH + 144, f64x2.mul(ld(f + 144), c));
  v128.store(HH + 160, f64x2.mul(ld(f + 160), c));
  v128.store(HH + 176, f64x2.mul(ld(f + 176), c));
  carry(h);
}

/** h = f^(2^n), n public, n >= 1. */
function fsqN(h: usize, f: usize, n: i32): void {
  fsq(h, f);
  for (let i = 1; i < n; i++) fsq(h, h);
}

/**
 * h = z^(p-2) = z^-1 (Fermat; 0 maps to 0), lane-wise. p - 2 = 2^255 - 21; fixed addition chain
 * of 254 squarings and 11 multiplications. Uses I0..I2; h must not be one of them.
 */
function finvert(h: usize, z: usize): void {
  fsq(I0, z);                // z^2
  fsqN(I1, I0, 2);           // z^8
  fmul(I1, z, I1);           // z^9
  fmul(I0, I0, I1);          // z^11
  fsq(h, I0);                // z^22
  fmul(I1, I1, h);           // z^31 = z^(2^5 - 1)
  fsqN(h, I1, 5);
  fmul(I1, h, I1);           // z^(2^10 - 1)
  fsqN(h, I1, 10);
  fmul(I2, h, I1);           // z^(2^20 - 1)
  fsqN(h, I2, 20);
  fmul(h, h, I2);            // z^(2^40 - 1)
  fsqN(h, h, 10);
  fmul(I1, h, I1);           // z^(2^50 - 1)
  fsqN(h, I1, 50);
  fmul(I2, h, I1);           // z^(2^100 - 1)
  fsqN(h, I2, 100);
  fmul(h, h, I2);            // z^(2^200 - 1)
  fsqN(h, h, 50);
  fmul(h, h, I1);            // z^(2^250 - 1)
  fsqN(h, h, 5);             // z^(2^255 - 2^5)
  fmul(h, h, I0);            // z^(2^255 - 32 + 11) = z^(2^255 - 21)
}

// ---------------------------------------------------------------------------------------------
// Conversions. In radix 2^21.25 no limb straddles a 64-bit word boundary (w = 64, 128 and 192
// start limbs 3, 6 and 9), so limb k is bits [w[k] & 63, + size) of 64-bit word w[k] >> 6.

/**
 * Decodes the 32-byte little-endian u-coordinate at s into X1V = [1 | u] (RFC 7748, 5: the top
 * bit is masked off; values in [p, 2^255) are accepted as they are and reduced by the
 * arithmetic), carried into balanced limbs.
 */
function decodeU(s: usize): void {
  for (let k = 0; k < 12; k++) {
    const w = limbW(k);
    const size = limbW(k + 1) - w;
    let word = load<u64>(s + (<usize>(w >> 6) << 3));
    if ((w >> 6) == 3) word &= 0x7fffffffffffffff; // bit 255 is ignored (public position)
    const digit = (word >>> <u64>(w & 63)) & ((<u64>1 << <u64>size) - 1);
    v128.store(HH + (<usize>k << 4), f64x2(k == 0 ? 1.0 : 0.0, <f64>digit * pow2(w)));
  }
  carry(X1V); // digits in [0, 2^size) -> balanced
}

/**
 * Encodes lane 0 of the carried pair at f, fully reduced mod p, as 32 little-endian bytes at s.
 * Branch-free on the value: integer digits, plus 2p so that every digit is non-negative, two
 * floor-carry passes (the value is then in [0, 2^255) with normalised digits), then q = 1 iff
 * value >= p, found as the carry out of value + 19, and value + 19 q - 2^255 q is written.
 */
function encodeLane0(s: usize, f: usize): void {
  for (let k = 0; k < 12; k++) {
    const w = limbW(k);
    const size = limbW(k + 1) - w;
    const x = f64x2.extract_lane(ld(f + (<usize>k << 4)), 0);
    // Exact: x is an integer multiple of 2^w with |x / 2^w| < 2^22.
    let d = <i64>(x * pow2(-w));
    d += ((<i64>1 << size) - 1) << 1; // + 2p: p's digits are all ones except digit 0 = 2^22 - 19
    if (k == 0) d -= 36;
    store<i64>(LIMBS + (<usize>k << 3), d);
  }
  for (let pass = 0; pass < 2; pass++) {
    for (let k = 0; k < 12; k++) {
      const size = limbW(k + 1) - limbW(k);
      const p = LIMBS + (<usize>k << 3);
      const d = load<i64>(p);
      const c = d >> size;
      store<i64>(p, d & ((<i64>1 << size) - 1));
      if (k < 11) store<i64>(p + 8, load<i64>(p + 8) + c);
      else store<i64>(LIMBS, load<i64>(LIMBS) + 19 * c);
    }
  }
  let q: i64 = 19;
  for (let k = 0; k < 12; k++) {
    q = (load<i64>(LIMBS + (<usize>k << 3)) + q) >> (limbW(k + 1) - limbW(k));
  }
  store<i64>(LIMBS, load<i64>(LIMBS) + 19 * q);
  let w0: u64 = 0, w1: u64 = 0, w2: u64 = 0, w3: u64 = 0;
  let c: i64 = 0;
  for (let k = 0; k < 12; k++) {
    const w = limbW(k);
    const size = limbW(k + 1) - w;
    const d = load<i64>(LIMBS + (<usize>k << 3)) + c;
    c = d >> size;                                   // the carry out of digit 11 (q) is dropped
    const v = <u64>(d & ((<i64>1 << size) - 1)) << <u64>(w & 63);
    const wi = w >> 6;                               // public word index
    if (wi == 0) w0 |= v;
    else if (wi == 1) w1 |= v;
    else if (wi == 2) w2 |= v;
    else w3 |= v;
  }
  store<u64>(s, w0);
  store<u64>(s, w1, 8);
  store<u64>(s, w2, 16);
  store<u64>(s, w3, 24);
}

// ---------------------------------------------------------------------------------------------
// The Montgomery ladder (RFC 7748, section 5), 2-way: PP = [x2 | z2], QQ = [x3 | z3].

/**
 * Runs the ladder on the clamped scalar at KEY and the difference point X1V = [1 | x1]; leaves
 * [x2 | z2] in PP. `base` (public) selects u = 9, where x1 (DA - CB)^2 is a small-constant
 * product. The operations of a step are ordered so that each product is followed by one that does
 * not depend on it (mul1, sq1, sq2, small, mul3, mul2), letting the CPU overlap a carry chain with
 * the next product.
 */
function ladder(base: bool): void {
  v128.store(PP, f64x2(1.0, 0.0));               // [x2 | z2] = [1 | 0]
  memory.fill(PP + 16, 0, PAIR - 16);
  for (let o: usize = 0; o < PAIR; o += 16) {    // [x3 | z3] = [x1 | 1]
    const x = ld(X1V + o);
    v128.store(QQ + o, f64x2.shuffle(x, x, 1, 0));
  }
  wrapCopy(X1W, X1V);
  const pm = ld(PM);
  const mp = ld(MP);
  let swap: u32 = 0;
  for (let t = 254; t >= 0; t--) {
    // The bit position t is public; only the bit's value is secret.
    const kt: u32 = (<u32>load<u8>(KEY + (<usize>t >> 3)) >> (<u32>t & 7)) & 1;
    swap ^= kt;
    const m = i64x2.splat(-(<i64>swap));         // all ones: swap (x2, z2) <-> (x3, z3)
    swap = kt;
    for (let o: usize = 0; o < PAIR; o += 16) {
      const p = ld(PP + o);
      const q = ld(QQ + o);
      const x = v128.bitselect(q, p, m);         // [x2 | z2] after the conditional swap
      const y = v128.bitselect(p, q, m);         // [x3 | z3]
      v128.store(SAB + o, mad(f64x2.shuffle(x, x, 0, 0), f64x2.shuffle(x, x, 1, 1), pm));
      v128.store(SDC + o, mad(f64x2.shuffle(y, y, 0, 0), f64x2.shuffle(y, y, 1, 1), mp));
    }
    fmul(UU, SAB, SDC);                          // [DA | CB]
    fsq(VV, SAB);                                // [AA | BB]
    for (let o: usize = 0; o < PAIR; o += 16) {
      const u = ld(UU + o);
      v128.store(WI + o, mad(f64x2.shuffle(u, u, 0, 0), f64x2.shuffle(u, u, 1, 1), pm));
    }
    fsq(WW, WI);                                 // [(DA + CB)^2 | (DA - CB)^2]
    for (let o: usize = 0; o < PAIR; o += 16) {
      const v = ld(VV + o);
      v128.store(EE + o, f64x2.sub(f64x2.shuffle(v, v, 0, 0), f64x2.shuffle(v, v, 1, 1)));
    }
    fmulSmall(AE, EE, A24);                      // a24 E
    if (base) fmulSmall(QQ, WW, ONE9);           // [x3 | z3] = [(DA + CB)^2 | 9 (DA - CB)^2]
    else fmulCore(QQ, WW, X1V, X1W);             // [x3 | z3] = [(DA + CB)^2 | x1 (DA - CB)^2]
    for (let o: usize = 0; o < PAIR; o += 16) {
      const v = ld(VV + o);
      const e = ld(EE + o);
      const f = f64x2.add(v, ld(AE + o));        // lane 0: AA + a24 E
      v128.store(MA + o, f64x2.shuffle(v, e, 0, 3)); // [AA | E]
      v128.store(MB + o, f64x2.shuffle(v, f, 1, 2)); // [BB | AA + a24 E]
    }
    fmul(PP, MA, MB);                            // [x2 | z2] = [AA BB | E (AA + a24 E)]
  }
  const m = i64x2.splat(-(<i64>swap));
  for (let o: usize = 0; o < PAIR; o += 16) {
    v128.store(PP + o, v128.bitselect(ld(QQ + o), ld(PP + o), m));
  }
}

/** Clamps the scalar (RFC 7748, decodeScalar25519) into KEY. */
@inline function loadScalar(scalarPtr: usize): void {
  memory.copy(KEY, scalarPtr, 32);
  store<u8>(KEY, load<u8>(KEY) & 248);
  store<u8>(KEY + 31, (load<u8>(KEY + 31) & 127) | 64);
}

/** Writes x2 / z2 (fully reduced, little-endian) to outPtr and wipes the scratch area. */
@inline function finish(outPtr: usize): void {
  for (let o: usize = 0; o < PAIR; o += 16) {
    const p = ld(PP + o);
    v128.store(SAB + o, f64x2.shuffle(p, p, 0, 0));  // [x2 | x2]
    v128.store(SDC + o, f64x2.shuffle(p, p, 1, 1));  // [z2 | z2]
  }
  finvert(UU, SDC);                              // 1 / z2
  fmul(VV, SAB, UU);                             // x2 / z2
  encodeLane0(ENC, VV);
  memory.copy(outPtr, ENC, 32);
  wipe(SCRATCH, <i32>SCRATCH_SIZE);
}

// ---------------------------------------------------------------------------------------------
// Internal API

/**
 * out = X25519(scalar, u) (RFC 7748, 5): 32-byte little-endian scalar (clamped here) and
 * u-coordinate (top bit ignored; non-canonical values accepted, as RFC 7748 requires). Every input
 * is accepted, including low-order points; the caller (TLS) must reject an all-zero result with
 * isAllZero32. outPtr may alias scalarPtr or uPtr.
 */
export function x25519(outPtr: usize, scalarPtr: usize, uPtr: usize): void {
  if (!tablesReady) initTables();
  memory.copy(UIN, uPtr, 32);
  loadScalar(scalarPtr);
  decodeU(UIN);
  ladder(false);
  finish(outPtr);
}

/** out = X25519(scalar, 9): the public key of a 32-byte private key. outPtr may alias scalarPtr. */
export function x25519Base(outPtr: usize, scalarPtr: usize): void {
  if (!tablesReady) initTables();
  loadScalar(scalarPtr);
  memory.fill(UIN, 0, 32);
  store<u8>(UIN, 9);
  decodeU(UIN);
  ladder(true);
  finish(outPtr);
}

/** True when the 32 bytes at p are all zero; constant time (ORs every byte, no early exit). */
export function isAllZero32(p: usize): bool {
  const a = load<u64>(p) | load<u64>(p, 8) | load<u64>(p, 16) | load<u64>(p, 24);
  return (ctIsZero32(<u32>a | <u32>(a >>> 32)) & 1) != 0;
}
