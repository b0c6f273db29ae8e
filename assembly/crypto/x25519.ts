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
// Field arithmetic: GF(p), p = 2^255 - 19, with 32-bit limbs and 64-bit products.
//
// An element is ten unsigned limbs in radix 2^25.5 (ref10's layout): limb k holds bits
// w[k] .. w[k+1] - 1, w = 0, 26, 51, 77, 102, 128, 153, 179, 204, 230, 255, so even limbs have 26
// bits and odd limbs 25. Each limb is a u32; every product is a u32 x u32 -> u64 product, either
// two at a time with i64x2.extmul_{low,high}_i32x4_u (Wasm SIMD) or as a scalar i64.mul of two
// zero-extended u32 values. In the product of two elements, f_i g_j has weight 2^(w[i] + w[j]),
// which is 2^w[i+j] except when i and j are both odd (then twice that); a product with i + j >= 10
// re-enters column i + j - 10 multiplied by 19 (2^255 = 19 mod p). So column k is
//   sum over i of f_i * g_(k-i mod 10) * (19 if wrapped) * (2 if i and k - i both odd),
// the factors being applied to a u32 operand (19 g_j, 2 f_i) before multiplying.
//
// Bounds (checked by a script that propagates the worst case of every limb through the ladder):
//   carried  (output of a product, square or x1 product): limb k < 2^s_k + 2^11 (s_k = 26 or 25;
//            only limbs 1 and 5 exceed 2^s_k);
//   loose    (a + b, or a + 2p - b, with a and b carried; also AA + a24 E): limb k < 3 * 2^s_k;
//            these are the inputs of every product;
//   19 * (loose limb) < 2^31.9 and 4 * (loose limb) < 2^28.6, so the scaled operands stay u32;
//   every column sum of a product or square of loose elements is below 2^62.2, so it fits a u64.
// Differences are computed as a + 2p - b limb by limb (2p's limbs are 2^27 - 38, 2^26 - 2,
// 2^27 - 2, ...), which is non-negative because b is carried. The carry after a product splits
// each column at 26/25 bits and moves the excess to the next column (the one out of column 9
// times 19 into column 0), in ref10's order of two interleaved chains.
//
// ---------------------------------------------------------------------------------------------
// The ladder runs two field elements side by side, one per 64-bit lane: a "pair" element is ten
// limb pairs [lane 0 | lane 1] (8 bytes each, 80 bytes), PP = [x2 | z2], QQ = [x3 | z3]. One step:
//   stepStart  (conditional swap)  SAB = [A | B] = [x2 + z2 | x2 - z2], SDC = [D | C]
//   pmul       UU = [DA | CB] = SDC * SAB
//   psq        VV = [AA | BB] = SAB^2
//   stepSum    WI = [DA + CB | DA - CB]
//   psq        WW = [X3 | T] = [(DA + CB)^2 | (DA - CB)^2]
//   stepA24    MA = [AA | E], MB = [BB | AA + a24 E]  (E = AA - BB, a24 = 121665)
//   stepEnd    PP = [x2 | z2] = MA * MB  and  QQ = [x3 | z3] = [X3 | x1 T]
// so the nine products of a step are four 2-lane products and one scalar one (x1 T, which runs on
// the integer units while the vector units compute MA * MB). The scalar clamping fixes bits 0-2
// to zero, so the last three steps only double (x2, z2) (after the swap decided by bit 3).
// The final inversion works on one element, in scalar code (the 2-lane code would waste a lane).
//
// Code shape (for V8's optimizing compiler, measured on the x86-64 machine this was written on):
// the products are fully unrolled straight-line code (written out by a script), cut into short
// segments that each end with a store of their partial column sums: V8 otherwise issues all the
// loads of a long block first and spills the registers. Operands are reloaded from memory rather
// than kept live across segments. Data written just before is only read with loads that lie
// inside one earlier store (so the CPU forwards the store instead of stalling). The step functions
// are inlined into the ladder loop (one call per field operation cost about 4%).
//
// Constant time: the ladder runs a fixed 255 iterations (252 full steps and 3 doublings, a fixed
// public pattern); the conditional swap is an all-ones/all-zeros mask applied with and/xor (no
// branch, no secret-dependent address); inversion is Fermat's z^(p-2) with a fixed addition chain;
// decoding, the final reduction mod p and encoding are branch-free. Loops and branches depend
// only on public values (loop counters, the bit position, the base/variable-point flag). The
// u-coordinate (a public key) is handled with the same constant-time code.

import { wipe, ctIsZero32 } from './ct';

// ---------------------------------------------------------------------------------------------
// Memory. Pair elements (80 bytes) and per-function scratch, 16-byte aligned; all of it is wiped.

const PE: usize = 80;
const SCRATCH_SIZE: usize = 2480;
const SCRATCH: usize = memory.data(<i32>SCRATCH_SIZE, 16);
const PP: usize = SCRATCH;             // [x2 | z2]
const QQ: usize = SCRATCH + PE;        // [x3 | z3]
const SAB: usize = SCRATCH + PE * 2;   // [A | B]
const SDC: usize = SCRATCH + PE * 3;   // [D | C]
const UU: usize = SCRATCH + PE * 4;    // [DA | CB]
const WI: usize = SCRATCH + PE * 5;    // [DA + CB | DA - CB]
const VV: usize = SCRATCH + PE * 6;    // [AA | BB]
const WW: usize = SCRATCH + PE * 7;    // [(DA + CB)^2 | (DA - CB)^2]
const MA: usize = SCRATCH + PE * 8;    // [AA | E]
const MB: usize = SCRATCH + PE * 9;    // [BB | AA + a24 E]
const X1: usize = SCRATCH + 800;       // x1 (single element, 40 bytes)
const HHP: usize = SCRATCH + 848;      // pmul: column sums (10 x i64x2)
const G19P: usize = SCRATCH + 1008;    // pmul: 19 g
const MIXP: usize = SCRATCH + 1088;    // pmul: limb pairs [g_2q | 19 g_2q+1]
const HHE: usize = SCRATCH + 1168;     // stepEnd: the same three for MA * MB
const G19E: usize = SCRATCH + 1328;
const MIXE: usize = SCRATCH + 1408;
const HHS: usize = SCRATCH + 1488;     // psq: column sums
const G19S: usize = SCRATCH + 1648;    // psq: 19 f (limb pairs 4..9)
const MIXS: usize = SCRATCH + 1728;    // psq: limb pairs [f_2q | 19 f_2q+1] (q = 3, 4)
const XS: usize = SCRATCH + 1888;      // x1 table: X[t] = 19 x1_t (t < 10), x1_(t-10) (t >= 10), u32
const XD: usize = SCRATCH + 1968;      // the same with X[t] doubled at odd t
const SP: usize = SCRATCH + 2048;      // stepEnd: scalar column sums (10 x u64)
const ZX: usize = SCRATCH + 2128;      // single elements for the inversion (40 bytes each)
const ZZ: usize = SCRATCH + 2168;
const I0: usize = SCRATCH + 2208;
const I1: usize = SCRATCH + 2248;
const I2: usize = SCRATCH + 2288;
const RR: usize = SCRATCH + 2328;
const KEY: usize = SCRATCH + 2368;     // clamped scalar (32 bytes)
const UIN: usize = SCRATCH + 2400;     // copy of u (32 bytes + 16 bytes of zero padding)
const ENC: usize = SCRATCH + 2448;     // encoded result (32 bytes)

// Public constants (never wiped).
const KCONST: usize = memory.data<u32>([
  19, 19, 19, 19,                                   // K19
  0x3ffffff, 0, 0x3ffffff, 0,                       // KM26 (i64x2 lanes)
  0x1ffffff, 0, 0x1ffffff, 0,                       // KM25
  0, 0xffffffff, 0, 0xffffffff,                     // KN1: lane 1 of each limb pair
  0xffffffff, 0, 0xffffffff, 0,                     // KN0: lane 0 of each limb pair
  0, 121665, 0, 121665,                             // KA24: [0 | a24]
  1, 9, 1, 9,                                       // K19B: [1 | 9]
  0, 0, 0xffffffff, 0xffffffff,                     // KHI: high half
  // BIAS1: [0 | 2p_k] per limb pair; BIAS0: [2p_k | 0]
  0, 0x7ffffda, 0, 0x3fffffe,  0, 0x7fffffe, 0, 0x3fffffe,  0, 0x7fffffe, 0, 0x3fffffe,
  0, 0x7fffffe, 0, 0x3fffffe,  0, 0x7fffffe, 0, 0x3fffffe,
  0x7ffffda, 0, 0x3fffffe, 0,  0x7fffffe, 0, 0x3fffffe, 0,  0x7fffffe, 0, 0x3fffffe, 0,
  0x7fffffe, 0, 0x3fffffe, 0,  0x7fffffe, 0, 0x3fffffe, 0,
], 16);
const K19: usize = KCONST;
const KM26: usize = KCONST + 16;
const KM25: usize = KCONST + 32;
const KN1: usize = KCONST + 48;
const KN0: usize = KCONST + 64;
const KA24: usize = KCONST + 80;
const K19B: usize = KCONST + 96;
const KHI: usize = KCONST + 112;
const BIAS1: usize = KCONST + 128;
const BIAS0: usize = KCONST + 208;

// ---------------------------------------------------------------------------------------------
// 2-lane field operations and the pieces of a ladder step (generated straight-line code).

/**
 * h = f * g in both lanes (pair elements; h may alias f or g). 100 products per lane as 50
 * i64x2.extmul pairs: the 16-byte load of g's limb pairs (2q, 2q + 1) (or of 19 g, or of the mixed
 * MIX row where one product wraps and the other does not) meets f_i, splat into both halves, and
 * yields the products for columns i + 2q and i + 2q + 1. Even rows and odd rows fill differently
 * aligned column pairs; odd rows double the odd limbs of g (the odd-odd products of radix 2^25.5).
 * Column sums stay below 2^63 for loose inputs (see the bounds above).
 */
@inline function pmul(h: usize, f: usize, g: usize): void {
  const c19 = v128.load(K19), m26 = v128.load(KM26), m25 = v128.load(KM25), hi = v128.load(KHI);
  { const v = v128.load(g, 0); const w = i32x4.mul(v, c19); v128.store(G19P, w, 0); v128.store(MIXP, i8x16.shuffle(v, w, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31), 0); }
  { const v = v128.load(g, 16); const w = i32x4.mul(v, c19); v128.store(G19P, w, 16); v128.store(MIXP, i8x16.shuffle(v, w, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31), 16); }
  { const v = v128.load(g, 32); const w = i32x4.mul(v, c19); v128.store(G19P, w, 32); v128.store(MIXP, i8x16.shuffle(v, w, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31), 32); }
  { const v = v128.load(g, 48); const w = i32x4.mul(v, c19); v128.store(G19P, w, 48); v128.store(MIXP, i8x16.shuffle(v, w, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31), 48); }
  { const v = v128.load(g, 64); const w = i32x4.mul(v, c19); v128.store(G19P, w, 64); v128.store(MIXP, i8x16.shuffle(v, w, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31), 64); }
  const Pm0 = v128.load64_splat(f, 0);
  const Pm2 = v128.load64_splat(f, 16);
  const Pm4 = v128.load64_splat(f, 32);
  const Pm6 = v128.load64_splat(f, 48);
  const Pm8 = v128.load64_splat(f, 64);
  {
    const x0 = v128.load(g, 0);
    const x2 = v128.load(G19P, 64);
    const x4 = v128.load(G19P, 48);
    const x6 = v128.load(G19P, 32);
    const x8 = v128.load(G19P, 16);
    let a = i64x2.extmul_low_i32x4_u(Pm0, x0); let b = i64x2.extmul_high_i32x4_u(Pm0, x0);
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm2, x2)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm2, x2));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm4, x4)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm4, x4));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm6, x6)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm6, x6));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm8, x8)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm8, x8));
    v128.store(HHP, a, 0); v128.store(HHP, b, 16);
  }
  {
    const x0 = v128.load(g, 16);
    const x2 = v128.load(g, 0);
    const x4 = v128.load(G19P, 64);
    const x6 = v128.load(G19P, 48);
    const x8 = v128.load(G19P, 32);
    let a = i64x2.extmul_low_i32x4_u(Pm0, x0); let b = i64x2.extmul_high_i32x4_u(Pm0, x0);
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm2, x2)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm2, x2));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm4, x4)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm4, x4));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm6, x6)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm6, x6));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm8, x8)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm8, x8));
    v128.store(HHP, a, 32); v128.store(HHP, b, 48);
  }
  {
    const x0 = v128.load(g, 32);
    const x2 = v128.load(g, 16);
    const x4 = v128.load(g, 0);
    const x6 = v128.load(G19P, 64);
    const x8 = v128.load(G19P, 48);
    let a = i64x2.extmul_low_i32x4_u(Pm0, x0); let b = i64x2.extmul_high_i32x4_u(Pm0, x0);
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm2, x2)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm2, x2));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm4, x4)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm4, x4));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm6, x6)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm6, x6));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm8, x8)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm8, x8));
    v128.store(HHP, a, 64); v128.store(HHP, b, 80);
  }
  {
    const x0 = v128.load(g, 48);
    const x2 = v128.load(g, 32);
    const x4 = v128.load(g, 16);
    const x6 = v128.load(g, 0);
    const x8 = v128.load(G19P, 64);
    let a = i64x2.extmul_low_i32x4_u(Pm0, x0); let b = i64x2.extmul_high_i32x4_u(Pm0, x0);
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm2, x2)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm2, x2));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm4, x4)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm4, x4));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm6, x6)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm6, x6));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm8, x8)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm8, x8));
    v128.store(HHP, a, 96); v128.store(HHP, b, 112);
  }
  {
    const x0 = v128.load(g, 64);
    const x2 = v128.load(g, 48);
    const x4 = v128.load(g, 32);
    const x6 = v128.load(g, 16);
    const x8 = v128.load(g, 0);
    let a = i64x2.extmul_low_i32x4_u(Pm0, x0); let b = i64x2.extmul_high_i32x4_u(Pm0, x0);
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm2, x2)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm2, x2));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm4, x4)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm4, x4));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm6, x6)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm6, x6));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm8, x8)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm8, x8));
    v128.store(HHP, a, 128); v128.store(HHP, b, 144);
  }
  const Pm1 = i32x4.add(v128.load64_splat(f, 8), v128.and(v128.load64_splat(f, 8), hi));
  const Pm3 = i32x4.add(v128.load64_splat(f, 24), v128.and(v128.load64_splat(f, 24), hi));
  const Pm5 = i32x4.add(v128.load64_splat(f, 40), v128.and(v128.load64_splat(f, 40), hi));
  const Pm7 = i32x4.add(v128.load64_splat(f, 56), v128.and(v128.load64_splat(f, 56), hi));
  const Pm9 = i32x4.add(v128.load64_splat(f, 72), v128.and(v128.load64_splat(f, 72), hi));
  {
    const x1 = v128.load(g, 0);
    const x3 = v128.load(G19P, 64);
    const x5 = v128.load(G19P, 48);
    const x7 = v128.load(G19P, 32);
    const x9 = v128.load(G19P, 16);
    let a = i64x2.add(v128.load(HHP, 16), i64x2.extmul_low_i32x4_u(Pm1, x1)); let b = i64x2.add(v128.load(HHP, 32), i64x2.extmul_high_i32x4_u(Pm1, x1));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm3, x3)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm3, x3));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm5, x5)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm5, x5));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm7, x7)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm7, x7));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm9, x9)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm9, x9));
    v128.store(HHP, a, 16); v128.store(HHP, b, 32);
  }
  {
    const x1 = v128.load(g, 16);
    const x3 = v128.load(g, 0);
    const x5 = v128.load(G19P, 64);
    const x7 = v128.load(G19P, 48);
    const x9 = v128.load(G19P, 32);
    let a = i64x2.add(v128.load(HHP, 48), i64x2.extmul_low_i32x4_u(Pm1, x1)); let b = i64x2.add(v128.load(HHP, 64), i64x2.extmul_high_i32x4_u(Pm1, x1));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm3, x3)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm3, x3));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm5, x5)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm5, x5));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm7, x7)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm7, x7));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm9, x9)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm9, x9));
    v128.store(HHP, a, 48); v128.store(HHP, b, 64);
  }
  {
    const x1 = v128.load(g, 32);
    const x3 = v128.load(g, 16);
    const x5 = v128.load(g, 0);
    const x7 = v128.load(G19P, 64);
    const x9 = v128.load(G19P, 48);
    let a = i64x2.add(v128.load(HHP, 80), i64x2.extmul_low_i32x4_u(Pm1, x1)); let b = i64x2.add(v128.load(HHP, 96), i64x2.extmul_high_i32x4_u(Pm1, x1));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm3, x3)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm3, x3));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm5, x5)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm5, x5));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm7, x7)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm7, x7));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm9, x9)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm9, x9));
    v128.store(HHP, a, 80); v128.store(HHP, b, 96);
  }
  {
    const x1 = v128.load(g, 48);
    const x3 = v128.load(g, 32);
    const x5 = v128.load(g, 16);
    const x7 = v128.load(g, 0);
    const x9 = v128.load(G19P, 64);
    let a = i64x2.add(v128.load(HHP, 112), i64x2.extmul_low_i32x4_u(Pm1, x1)); let b = i64x2.add(v128.load(HHP, 128), i64x2.extmul_high_i32x4_u(Pm1, x1));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm3, x3)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm3, x3));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm5, x5)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm5, x5));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm7, x7)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm7, x7));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm9, x9)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm9, x9));
    v128.store(HHP, a, 112); v128.store(HHP, b, 128);
  }
  {
    const x1 = v128.load(MIXP, 64);
    const x3 = v128.load(MIXP, 48);
    const x5 = v128.load(MIXP, 32);
    const x7 = v128.load(MIXP, 16);
    const x9 = v128.load(MIXP, 0);
    let a = i64x2.add(v128.load(HHP, 144), i64x2.extmul_low_i32x4_u(Pm1, x1)); let b = i64x2.add(v128.load(HHP, 0), i64x2.extmul_high_i32x4_u(Pm1, x1));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm3, x3)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm3, x3));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm5, x5)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm5, x5));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm7, x7)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm7, x7));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Pm9, x9)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Pm9, x9));
    v128.store(HHP, a, 144); v128.store(HHP, b, 0);
  }
  let Ph0 = v128.load(HHP, 0), Ph1 = v128.load(HHP, 16), Ph2 = v128.load(HHP, 32), Ph3 = v128.load(HHP, 48), Ph4 = v128.load(HHP, 64), Ph5 = v128.load(HHP, 80), Ph6 = v128.load(HHP, 96), Ph7 = v128.load(HHP, 112), Ph8 = v128.load(HHP, 128), Ph9 = v128.load(HHP, 144), Pc: v128;
  Pc = i64x2.shr_u(Ph0, 26); Ph0 = v128.and(Ph0, m26); Ph1 = i64x2.add(Ph1, Pc);
  Pc = i64x2.shr_u(Ph4, 26); Ph4 = v128.and(Ph4, m26); Ph5 = i64x2.add(Ph5, Pc);
  Pc = i64x2.shr_u(Ph1, 25); Ph1 = v128.and(Ph1, m25); Ph2 = i64x2.add(Ph2, Pc);
  Pc = i64x2.shr_u(Ph5, 25); Ph5 = v128.and(Ph5, m25); Ph6 = i64x2.add(Ph6, Pc);
  Pc = i64x2.shr_u(Ph2, 26); Ph2 = v128.and(Ph2, m26); Ph3 = i64x2.add(Ph3, Pc);
  Pc = i64x2.shr_u(Ph6, 26); Ph6 = v128.and(Ph6, m26); Ph7 = i64x2.add(Ph7, Pc);
  Pc = i64x2.shr_u(Ph3, 25); Ph3 = v128.and(Ph3, m25); Ph4 = i64x2.add(Ph4, Pc);
  Pc = i64x2.shr_u(Ph7, 25); Ph7 = v128.and(Ph7, m25); Ph8 = i64x2.add(Ph8, Pc);
  Pc = i64x2.shr_u(Ph4, 26); Ph4 = v128.and(Ph4, m26); Ph5 = i64x2.add(Ph5, Pc);
  Pc = i64x2.shr_u(Ph8, 26); Ph8 = v128.and(Ph8, m26); Ph9 = i64x2.add(Ph9, Pc);
  Pc = i64x2.shr_u(Ph9, 25); Ph9 = v128.and(Ph9, m25); Ph0 = i64x2.add(Ph0, i64x2.add(i64x2.add(i64x2.shl(Pc, 4), i64x2.shl(Pc, 1)), Pc));
  Pc = i64x2.shr_u(Ph0, 26); Ph0 = v128.and(Ph0, m26); Ph1 = i64x2.add(Ph1, Pc);
  v128.store(h, i8x16.shuffle(Ph0, Ph1, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27), 0);
  v128.store(h, i8x16.shuffle(Ph2, Ph3, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27), 16);
  v128.store(h, i8x16.shuffle(Ph4, Ph5, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27), 32);
  v128.store(h, i8x16.shuffle(Ph6, Ph7, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27), 48);
  v128.store(h, i8x16.shuffle(Ph8, Ph9, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27), 64);
}

/**
 * h = f^2 in both lanes (h may alias f): the 55 products f_i f_j (i <= j) per lane, laid out as
 * in pmul (16-byte loads of f's limb pairs (2q, 2q + 1), or of 19 f, or of MIX, against f_i splat
 * into both halves) but only over the upper triangle j >= i. The multiplier carries the factors:
 * 2 f_i off the diagonal (4 f_i on the odd limbs of odd rows), f_i / 2 f_i on the diagonal item.
 */
@inline function psq(h: usize, f: usize): void {
  const c19 = v128.load(K19), m26 = v128.load(KM26), m25 = v128.load(KM25), hi = v128.load(KHI);
  { const v = v128.load(f, 32); const w = i32x4.mul(v, c19); v128.store(G19S, w, 32); }
  { const v = v128.load(f, 48); const w = i32x4.mul(v, c19); v128.store(G19S, w, 48); v128.store(MIXS, i8x16.shuffle(v, w, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31), 48); }
  { const v = v128.load(f, 64); const w = i32x4.mul(v, c19); v128.store(G19S, w, 64); v128.store(MIXS, i8x16.shuffle(v, w, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31), 64); }
  const Sm0 = i32x4.shl(v128.load64_splat(f, 0), 1);
  const Sm2 = i32x4.shl(v128.load64_splat(f, 16), 1);
  const Sm4 = i32x4.shl(v128.load64_splat(f, 32), 1);
  const Sm6 = i32x4.shl(v128.load64_splat(f, 48), 1);
  const Sm8 = i32x4.shl(v128.load64_splat(f, 64), 1);
  {
    const x0 = v128.load(f, 0);
    const d0 = i32x4.add(v128.load64_splat(f, 0), v128.and(v128.load64_splat(f, 0), hi));
    const x2 = v128.load(G19S, 64);
    const x4 = v128.load(G19S, 48);
    let a = i64x2.extmul_low_i32x4_u(d0, x0);
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Sm2, x2));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Sm4, x4));
    v128.store(HHS, a, 0);
    let b = i64x2.extmul_high_i32x4_u(d0, x0);
    b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Sm2, x2));
    b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Sm4, x4));
    v128.store(HHS, b, 16);
  }
  {
    const x0 = v128.load(f, 16);
    const x4 = v128.load(G19S, 64);
    const x6 = v128.load(G19S, 48);
    const d6 = i32x4.add(v128.load64_splat(f, 48), v128.and(v128.load64_splat(f, 48), hi));
    let a = i64x2.extmul_low_i32x4_u(Sm0, x0);
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Sm4, x4));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(d6, x6));
    v128.store(HHS, a, 32);
    let b = i64x2.extmul_high_i32x4_u(Sm0, x0);
    b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Sm4, x4));
    b = i64x2.add(b, i64x2.extmul_high_i32x4_u(d6, x6));
    v128.store(HHS, b, 48);
  }
  {
    const x0 = v128.load(f, 32);
    const x2 = v128.load(f, 16);
    const d2 = i32x4.add(v128.load64_splat(f, 16), v128.and(v128.load64_splat(f, 16), hi));
    const x6 = v128.load(G19S, 64);
    let a = i64x2.extmul_low_i32x4_u(Sm0, x0);
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(d2, x2));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Sm6, x6));
    v128.store(HHS, a, 64);
    let b = i64x2.extmul_high_i32x4_u(Sm0, x0);
    b = i64x2.add(b, i64x2.extmul_high_i32x4_u(d2, x2));
    b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Sm6, x6));
    v128.store(HHS, b, 80);
  }
  {
    const x0 = v128.load(f, 48);
    const x2 = v128.load(f, 32);
    const x8 = v128.load(G19S, 64);
    const d8 = i32x4.add(v128.load64_splat(f, 64), v128.and(v128.load64_splat(f, 64), hi));
    let a = i64x2.extmul_low_i32x4_u(Sm0, x0);
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Sm2, x2));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(d8, x8));
    v128.store(HHS, a, 96);
    let b = i64x2.extmul_high_i32x4_u(Sm0, x0);
    b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Sm2, x2));
    b = i64x2.add(b, i64x2.extmul_high_i32x4_u(d8, x8));
    v128.store(HHS, b, 112);
  }
  {
    const x0 = v128.load(f, 64);
    const x2 = v128.load(f, 48);
    const x4 = v128.load(f, 32);
    const d4 = i32x4.add(v128.load64_splat(f, 32), v128.and(v128.load64_splat(f, 32), hi));
    let a = i64x2.extmul_low_i32x4_u(Sm0, x0);
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Sm2, x2));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(d4, x4));
    v128.store(HHS, a, 128);
    let b = i64x2.extmul_high_i32x4_u(Sm0, x0);
    b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Sm2, x2));
    b = i64x2.add(b, i64x2.extmul_high_i32x4_u(d4, x4));
    v128.store(HHS, b, 144);
  }
  const Sm1 = i32x4.shl(i32x4.add(v128.load64_splat(f, 8), v128.and(v128.load64_splat(f, 8), hi)), 1);
  const Sm3 = i32x4.shl(i32x4.add(v128.load64_splat(f, 24), v128.and(v128.load64_splat(f, 24), hi)), 1);
  const Sm5 = i32x4.shl(i32x4.add(v128.load64_splat(f, 40), v128.and(v128.load64_splat(f, 40), hi)), 1);
  const Sm7 = i32x4.shl(i32x4.add(v128.load64_splat(f, 56), v128.and(v128.load64_splat(f, 56), hi)), 1);
  const Sm9 = i32x4.shl(i32x4.add(v128.load64_splat(f, 72), v128.and(v128.load64_splat(f, 72), hi)), 1);
  {
    const x1 = v128.load(f, 0);
    const d1 = i32x4.shl(v128.load64_splat(f, 8), 1);
    const x3 = v128.load(G19S, 64);
    const x5 = v128.load(G19S, 48);
    let a = i64x2.add(v128.load(HHS, 16), i64x2.extmul_low_i32x4_u(Sm3, x3));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Sm5, x5));
    v128.store(HHS, a, 16);
    let b = i64x2.add(v128.load(HHS, 32), i64x2.extmul_high_i32x4_u(d1, x1));
    b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Sm3, x3));
    b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Sm5, x5));
    v128.store(HHS, b, 32);
  }
  {
    const x1 = v128.load(f, 16);
    const x5 = v128.load(G19S, 64);
    const x7 = v128.load(G19S, 48);
    const d7 = i32x4.shl(v128.load64_splat(f, 56), 1);
    let a = i64x2.add(v128.load(HHS, 48), i64x2.extmul_low_i32x4_u(Sm1, x1));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Sm5, x5));
    v128.store(HHS, a, 48);
    let b = i64x2.add(v128.load(HHS, 64), i64x2.extmul_high_i32x4_u(Sm1, x1));
    b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Sm5, x5));
    b = i64x2.add(b, i64x2.extmul_high_i32x4_u(d7, x7));
    v128.store(HHS, b, 64);
  }
  {
    const x1 = v128.load(f, 32);
    const x3 = v128.load(f, 16);
    const d3 = i32x4.shl(v128.load64_splat(f, 24), 1);
    const x7 = v128.load(G19S, 64);
    let a = i64x2.add(v128.load(HHS, 80), i64x2.extmul_low_i32x4_u(Sm1, x1));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Sm7, x7));
    v128.store(HHS, a, 80);
    let b = i64x2.add(v128.load(HHS, 96), i64x2.extmul_high_i32x4_u(Sm1, x1));
    b = i64x2.add(b, i64x2.extmul_high_i32x4_u(d3, x3));
    b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Sm7, x7));
    v128.store(HHS, b, 96);
  }
  {
    const x1 = v128.load(f, 48);
    const x3 = v128.load(f, 32);
    const x9 = v128.load(G19S, 64);
    const d9 = i32x4.shl(v128.load64_splat(f, 72), 1);
    let a = i64x2.add(v128.load(HHS, 112), i64x2.extmul_low_i32x4_u(Sm1, x1));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Sm3, x3));
    v128.store(HHS, a, 112);
    let b = i64x2.add(v128.load(HHS, 128), i64x2.extmul_high_i32x4_u(Sm1, x1));
    b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Sm3, x3));
    b = i64x2.add(b, i64x2.extmul_high_i32x4_u(d9, x9));
    v128.store(HHS, b, 128);
  }
  {
    const x1 = v128.load(MIXS, 64);
    const x3 = v128.load(MIXS, 48);
    const x5 = v128.load(G19S, 32);
    const d5 = i32x4.shl(v128.load64_splat(f, 40), 1);
    let a = i64x2.add(v128.load(HHS, 144), i64x2.extmul_low_i32x4_u(Sm1, x1));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Sm3, x3));
    v128.store(HHS, a, 144);
    let b = i64x2.add(v128.load(HHS, 0), i64x2.extmul_high_i32x4_u(Sm1, x1));
    b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Sm3, x3));
    b = i64x2.add(b, i64x2.extmul_high_i32x4_u(d5, x5));
    v128.store(HHS, b, 0);
  }
  let Sh0 = v128.load(HHS, 0), Sh1 = v128.load(HHS, 16), Sh2 = v128.load(HHS, 32), Sh3 = v128.load(HHS, 48), Sh4 = v128.load(HHS, 64), Sh5 = v128.load(HHS, 80), Sh6 = v128.load(HHS, 96), Sh7 = v128.load(HHS, 112), Sh8 = v128.load(HHS, 128), Sh9 = v128.load(HHS, 144), Sc: v128;
  Sc = i64x2.shr_u(Sh0, 26); Sh0 = v128.and(Sh0, m26); Sh1 = i64x2.add(Sh1, Sc);
  Sc = i64x2.shr_u(Sh4, 26); Sh4 = v128.and(Sh4, m26); Sh5 = i64x2.add(Sh5, Sc);
  Sc = i64x2.shr_u(Sh1, 25); Sh1 = v128.and(Sh1, m25); Sh2 = i64x2.add(Sh2, Sc);
  Sc = i64x2.shr_u(Sh5, 25); Sh5 = v128.and(Sh5, m25); Sh6 = i64x2.add(Sh6, Sc);
  Sc = i64x2.shr_u(Sh2, 26); Sh2 = v128.and(Sh2, m26); Sh3 = i64x2.add(Sh3, Sc);
  Sc = i64x2.shr_u(Sh6, 26); Sh6 = v128.and(Sh6, m26); Sh7 = i64x2.add(Sh7, Sc);
  Sc = i64x2.shr_u(Sh3, 25); Sh3 = v128.and(Sh3, m25); Sh4 = i64x2.add(Sh4, Sc);
  Sc = i64x2.shr_u(Sh7, 25); Sh7 = v128.and(Sh7, m25); Sh8 = i64x2.add(Sh8, Sc);
  Sc = i64x2.shr_u(Sh4, 26); Sh4 = v128.and(Sh4, m26); Sh5 = i64x2.add(Sh5, Sc);
  Sc = i64x2.shr_u(Sh8, 26); Sh8 = v128.and(Sh8, m26); Sh9 = i64x2.add(Sh9, Sc);
  Sc = i64x2.shr_u(Sh9, 25); Sh9 = v128.and(Sh9, m25); Sh0 = i64x2.add(Sh0, i64x2.add(i64x2.add(i64x2.shl(Sc, 4), i64x2.shl(Sc, 1)), Sc));
  Sc = i64x2.shr_u(Sh0, 26); Sh0 = v128.and(Sh0, m26); Sh1 = i64x2.add(Sh1, Sc);
  v128.store(h, i8x16.shuffle(Sh0, Sh1, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27), 0);
  v128.store(h, i8x16.shuffle(Sh2, Sh3, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27), 16);
  v128.store(h, i8x16.shuffle(Sh4, Sh5, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27), 32);
  v128.store(h, i8x16.shuffle(Sh6, Sh7, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27), 48);
  v128.store(h, i8x16.shuffle(Sh8, Sh9, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27), 64);
}

/**
 * Start of a ladder step: swaps [x2 | z2] (PP) with [x3 | z3] (QQ) when m is all ones (m is all
 * ones or all zeros; the swapped values are only used here, so PP and QQ are not written back) and
 * forms SAB = [A | B] = [x2 + z2 | x2 - z2] and SDC = [D | C] = [x3 - z3 | x3 + z3]. A difference
 * a - b is computed as a + 2p - b limb by limb, which stays non-negative because b is carried.
 */
@inline function stepStart(m: v128): void {
  const n1 = v128.load(KN1), n0 = v128.load(KN0);
  {
    const x = v128.load(PP, 0), y = v128.load(QQ, 0);
    const t = v128.and(v128.xor(x, y), m);
    const p = v128.xor(x, t), r = v128.xor(y, t);
    const ps = i8x16.shuffle(p, p, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11), rs = i8x16.shuffle(r, r, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11);
    v128.store(SAB, i32x4.add(i32x4.add(ps, i32x4.sub(v128.xor(p, n1), n1)), v128.load(BIAS1, 0)), 0);
    v128.store(SDC, i32x4.add(i32x4.add(r, i32x4.sub(v128.xor(rs, n0), n0)), v128.load(BIAS0, 0)), 0);
  }
  {
    const x = v128.load(PP, 16), y = v128.load(QQ, 16);
    const t = v128.and(v128.xor(x, y), m);
    const p = v128.xor(x, t), r = v128.xor(y, t);
    const ps = i8x16.shuffle(p, p, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11), rs = i8x16.shuffle(r, r, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11);
    v128.store(SAB, i32x4.add(i32x4.add(ps, i32x4.sub(v128.xor(p, n1), n1)), v128.load(BIAS1, 16)), 16);
    v128.store(SDC, i32x4.add(i32x4.add(r, i32x4.sub(v128.xor(rs, n0), n0)), v128.load(BIAS0, 16)), 16);
  }
  {
    const x = v128.load(PP, 32), y = v128.load(QQ, 32);
    const t = v128.and(v128.xor(x, y), m);
    const p = v128.xor(x, t), r = v128.xor(y, t);
    const ps = i8x16.shuffle(p, p, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11), rs = i8x16.shuffle(r, r, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11);
    v128.store(SAB, i32x4.add(i32x4.add(ps, i32x4.sub(v128.xor(p, n1), n1)), v128.load(BIAS1, 32)), 32);
    v128.store(SDC, i32x4.add(i32x4.add(r, i32x4.sub(v128.xor(rs, n0), n0)), v128.load(BIAS0, 32)), 32);
  }
  {
    const x = v128.load(PP, 48), y = v128.load(QQ, 48);
    const t = v128.and(v128.xor(x, y), m);
    const p = v128.xor(x, t), r = v128.xor(y, t);
    const ps = i8x16.shuffle(p, p, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11), rs = i8x16.shuffle(r, r, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11);
    v128.store(SAB, i32x4.add(i32x4.add(ps, i32x4.sub(v128.xor(p, n1), n1)), v128.load(BIAS1, 48)), 48);
    v128.store(SDC, i32x4.add(i32x4.add(r, i32x4.sub(v128.xor(rs, n0), n0)), v128.load(BIAS0, 48)), 48);
  }
  {
    const x = v128.load(PP, 64), y = v128.load(QQ, 64);
    const t = v128.and(v128.xor(x, y), m);
    const p = v128.xor(x, t), r = v128.xor(y, t);
    const ps = i8x16.shuffle(p, p, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11), rs = i8x16.shuffle(r, r, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11);
    v128.store(SAB, i32x4.add(i32x4.add(ps, i32x4.sub(v128.xor(p, n1), n1)), v128.load(BIAS1, 64)), 64);
    v128.store(SDC, i32x4.add(i32x4.add(r, i32x4.sub(v128.xor(rs, n0), n0)), v128.load(BIAS0, 64)), 64);
  }
}

/**
 * WI = [DA + CB | DA - CB] from UU = [DA | CB].
 */
@inline function stepSum(): void {
  const n1 = v128.load(KN1);
  { const v = v128.load(UU, 0); const s = i8x16.shuffle(v, v, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11); v128.store(WI, i32x4.add(i32x4.add(s, i32x4.sub(v128.xor(v, n1), n1)), v128.load(BIAS1, 0)), 0); }
  { const v = v128.load(UU, 16); const s = i8x16.shuffle(v, v, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11); v128.store(WI, i32x4.add(i32x4.add(s, i32x4.sub(v128.xor(v, n1), n1)), v128.load(BIAS1, 16)), 16); }
  { const v = v128.load(UU, 32); const s = i8x16.shuffle(v, v, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11); v128.store(WI, i32x4.add(i32x4.add(s, i32x4.sub(v128.xor(v, n1), n1)), v128.load(BIAS1, 32)), 32); }
  { const v = v128.load(UU, 48); const s = i8x16.shuffle(v, v, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11); v128.store(WI, i32x4.add(i32x4.add(s, i32x4.sub(v128.xor(v, n1), n1)), v128.load(BIAS1, 48)), 48); }
  { const v = v128.load(UU, 64); const s = i8x16.shuffle(v, v, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11); v128.store(WI, i32x4.add(i32x4.add(s, i32x4.sub(v128.xor(v, n1), n1)), v128.load(BIAS1, 64)), 64); }
}

/**
 * From VV = [AA | BB]: MA = [AA | E] with E = AA - BB (+ 2p) and MB = [BB | AA + a24 E],
 * a24 = 121665. a24 E gets one parallel carry pass: its limbs are below 2^44.5, so afterwards
 * limb k is below 2^s_k + 2^19 (limb 0: 2^26 + 2^23) and AA + a24 E is still a loose operand.
 */
@inline function stepA24(): void {
  const n1 = v128.load(KN1), k = v128.load(KA24), m26 = v128.load(KM26), m25 = v128.load(KM25);
  const v0 = v128.load(VV, 0), s0 = i8x16.shuffle(v0, v0, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11);
  const e0 = i32x4.add(i32x4.add(i32x4.sub(v128.xor(v0, n1), n1), v128.and(s0, n1)), v128.load(BIAS1, 0));
  v128.store(MA, e0, 0);
  const v1 = v128.load(VV, 16), s1 = i8x16.shuffle(v1, v1, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11);
  const e1 = i32x4.add(i32x4.add(i32x4.sub(v128.xor(v1, n1), n1), v128.and(s1, n1)), v128.load(BIAS1, 16));
  v128.store(MA, e1, 16);
  const v2 = v128.load(VV, 32), s2 = i8x16.shuffle(v2, v2, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11);
  const e2 = i32x4.add(i32x4.add(i32x4.sub(v128.xor(v2, n1), n1), v128.and(s2, n1)), v128.load(BIAS1, 32));
  v128.store(MA, e2, 32);
  const v3 = v128.load(VV, 48), s3 = i8x16.shuffle(v3, v3, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11);
  const e3 = i32x4.add(i32x4.add(i32x4.sub(v128.xor(v3, n1), n1), v128.and(s3, n1)), v128.load(BIAS1, 48));
  v128.store(MA, e3, 48);
  const v4 = v128.load(VV, 64), s4 = i8x16.shuffle(v4, v4, 4, 5, 6, 7, 0, 1, 2, 3, 12, 13, 14, 15, 8, 9, 10, 11);
  const e4 = i32x4.add(i32x4.add(i32x4.sub(v128.xor(v4, n1), n1), v128.and(s4, n1)), v128.load(BIAS1, 64));
  v128.store(MA, e4, 64);
  const h0 = i64x2.extmul_low_i32x4_u(e0, k), h1 = i64x2.extmul_high_i32x4_u(e0, k);
  const h2 = i64x2.extmul_low_i32x4_u(e1, k), h3 = i64x2.extmul_high_i32x4_u(e1, k);
  const h4 = i64x2.extmul_low_i32x4_u(e2, k), h5 = i64x2.extmul_high_i32x4_u(e2, k);
  const h6 = i64x2.extmul_low_i32x4_u(e3, k), h7 = i64x2.extmul_high_i32x4_u(e3, k);
  const h8 = i64x2.extmul_low_i32x4_u(e4, k), h9 = i64x2.extmul_high_i32x4_u(e4, k);
  const c0 = i64x2.shr_u(h0, 26); const c1 = i64x2.shr_u(h1, 25); const c2 = i64x2.shr_u(h2, 26); const c3 = i64x2.shr_u(h3, 25); const c4 = i64x2.shr_u(h4, 26); const c5 = i64x2.shr_u(h5, 25); const c6 = i64x2.shr_u(h6, 26); const c7 = i64x2.shr_u(h7, 25); const c8 = i64x2.shr_u(h8, 26); const c9 = i64x2.shr_u(h9, 25);
  const l0 = i64x2.add(v128.and(h0, m26), i64x2.add(i64x2.add(i64x2.shl(c9, 4), i64x2.shl(c9, 1)), c9));
  const l1 = i64x2.add(v128.and(h1, m25), c0);
  const l2 = i64x2.add(v128.and(h2, m26), c1);
  const l3 = i64x2.add(v128.and(h3, m25), c2);
  const l4 = i64x2.add(v128.and(h4, m26), c3);
  const l5 = i64x2.add(v128.and(h5, m25), c4);
  const l6 = i64x2.add(v128.and(h6, m26), c5);
  const l7 = i64x2.add(v128.and(h7, m25), c6);
  const l8 = i64x2.add(v128.and(h8, m26), c7);
  const l9 = i64x2.add(v128.and(h9, m25), c8);
  v128.store(MB, i32x4.add(s0, i8x16.shuffle(l0, l1, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27)), 0);
  v128.store(MB, i32x4.add(s1, i8x16.shuffle(l2, l3, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27)), 16);
  v128.store(MB, i32x4.add(s2, i8x16.shuffle(l4, l5, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27)), 32);
  v128.store(MB, i32x4.add(s3, i8x16.shuffle(l6, l7, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27)), 48);
  v128.store(MB, i32x4.add(s4, i8x16.shuffle(l8, l9, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27)), 64);
}

/**
 * End of a ladder step: PP = [x2 | z2] = MA * MB (2-lane SIMD, as pmul) and, independently,
 * QQ = [x3 | z3] = [X3 | x1 T] for WW = [X3 | T], with x1 T in 64-bit scalar products (x1 enters
 * through the tables XS / XD built by buildX1). The two codes are interleaved piece by piece so
 * that the vector and the integer units of the CPU work at the same time.
 */
@inline function stepEnd(): void {
  const c19 = v128.load(K19), m26 = v128.load(KM26), m25 = v128.load(KM25), hi = v128.load(KHI);
  { const v = v128.load(MB, 0); const w = i32x4.mul(v, c19); v128.store(G19E, w, 0); v128.store(MIXE, i8x16.shuffle(v, w, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31), 0); }
  { const v = v128.load(MB, 16); const w = i32x4.mul(v, c19); v128.store(G19E, w, 16); v128.store(MIXE, i8x16.shuffle(v, w, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31), 16); }
  { const v = v128.load(MB, 32); const w = i32x4.mul(v, c19); v128.store(G19E, w, 32); v128.store(MIXE, i8x16.shuffle(v, w, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31), 32); }
  { const v = v128.load(MB, 48); const w = i32x4.mul(v, c19); v128.store(G19E, w, 48); v128.store(MIXE, i8x16.shuffle(v, w, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31), 48); }
  { const v = v128.load(MB, 64); const w = i32x4.mul(v, c19); v128.store(G19E, w, 64); v128.store(MIXE, i8x16.shuffle(v, w, 0, 1, 2, 3, 4, 5, 6, 7, 24, 25, 26, 27, 28, 29, 30, 31), 64); }
  const t0 = <u64>load<u32>(WW, 4);
  const t1 = <u64>load<u32>(WW, 12);
  const t2 = <u64>load<u32>(WW, 20);
  const t3 = <u64>load<u32>(WW, 28);
  const t4 = <u64>load<u32>(WW, 36);
  store<u64>(SP, t0 * <u64>load<u32>(XS, 40) + t1 * <u64>load<u32>(XD, 36) + t2 * <u64>load<u32>(XS, 32) + t3 * <u64>load<u32>(XD, 28) + t4 * <u64>load<u32>(XS, 24), 0);
  store<u64>(SP, t0 * <u64>load<u32>(XS, 44) + t1 * <u64>load<u32>(XD, 40) + t2 * <u64>load<u32>(XS, 36) + t3 * <u64>load<u32>(XD, 32) + t4 * <u64>load<u32>(XS, 28), 8);
  const Em0 = v128.load64_splat(MA, 0);
  const Em2 = v128.load64_splat(MA, 16);
  const Em4 = v128.load64_splat(MA, 32);
  const Em6 = v128.load64_splat(MA, 48);
  const Em8 = v128.load64_splat(MA, 64);
  {
    const x0 = v128.load(MB, 0);
    const x2 = v128.load(G19E, 64);
    const x4 = v128.load(G19E, 48);
    const x6 = v128.load(G19E, 32);
    const x8 = v128.load(G19E, 16);
    let a = i64x2.extmul_low_i32x4_u(Em0, x0); let b = i64x2.extmul_high_i32x4_u(Em0, x0);
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em2, x2)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em2, x2));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em4, x4)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em4, x4));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em6, x6)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em6, x6));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em8, x8)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em8, x8));
    v128.store(HHE, a, 0); v128.store(HHE, b, 16);
  }
  store<u64>(SP, t0 * <u64>load<u32>(XS, 48) + t1 * <u64>load<u32>(XD, 44) + t2 * <u64>load<u32>(XS, 40) + t3 * <u64>load<u32>(XD, 36) + t4 * <u64>load<u32>(XS, 32), 16);
  store<u64>(SP, t0 * <u64>load<u32>(XS, 52) + t1 * <u64>load<u32>(XD, 48) + t2 * <u64>load<u32>(XS, 44) + t3 * <u64>load<u32>(XD, 40) + t4 * <u64>load<u32>(XS, 36), 24);
  {
    const x0 = v128.load(MB, 16);
    const x2 = v128.load(MB, 0);
    const x4 = v128.load(G19E, 64);
    const x6 = v128.load(G19E, 48);
    const x8 = v128.load(G19E, 32);
    let a = i64x2.extmul_low_i32x4_u(Em0, x0); let b = i64x2.extmul_high_i32x4_u(Em0, x0);
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em2, x2)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em2, x2));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em4, x4)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em4, x4));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em6, x6)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em6, x6));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em8, x8)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em8, x8));
    v128.store(HHE, a, 32); v128.store(HHE, b, 48);
  }
  store<u64>(SP, t0 * <u64>load<u32>(XS, 56) + t1 * <u64>load<u32>(XD, 52) + t2 * <u64>load<u32>(XS, 48) + t3 * <u64>load<u32>(XD, 44) + t4 * <u64>load<u32>(XS, 40), 32);
  store<u64>(SP, t0 * <u64>load<u32>(XS, 60) + t1 * <u64>load<u32>(XD, 56) + t2 * <u64>load<u32>(XS, 52) + t3 * <u64>load<u32>(XD, 48) + t4 * <u64>load<u32>(XS, 44), 40);
  {
    const x0 = v128.load(MB, 32);
    const x2 = v128.load(MB, 16);
    const x4 = v128.load(MB, 0);
    const x6 = v128.load(G19E, 64);
    const x8 = v128.load(G19E, 48);
    let a = i64x2.extmul_low_i32x4_u(Em0, x0); let b = i64x2.extmul_high_i32x4_u(Em0, x0);
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em2, x2)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em2, x2));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em4, x4)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em4, x4));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em6, x6)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em6, x6));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em8, x8)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em8, x8));
    v128.store(HHE, a, 64); v128.store(HHE, b, 80);
  }
  store<u64>(SP, t0 * <u64>load<u32>(XS, 64) + t1 * <u64>load<u32>(XD, 60) + t2 * <u64>load<u32>(XS, 56) + t3 * <u64>load<u32>(XD, 52) + t4 * <u64>load<u32>(XS, 48), 48);
  store<u64>(SP, t0 * <u64>load<u32>(XS, 68) + t1 * <u64>load<u32>(XD, 64) + t2 * <u64>load<u32>(XS, 60) + t3 * <u64>load<u32>(XD, 56) + t4 * <u64>load<u32>(XS, 52), 56);
  {
    const x0 = v128.load(MB, 48);
    const x2 = v128.load(MB, 32);
    const x4 = v128.load(MB, 16);
    const x6 = v128.load(MB, 0);
    const x8 = v128.load(G19E, 64);
    let a = i64x2.extmul_low_i32x4_u(Em0, x0); let b = i64x2.extmul_high_i32x4_u(Em0, x0);
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em2, x2)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em2, x2));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em4, x4)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em4, x4));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em6, x6)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em6, x6));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em8, x8)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em8, x8));
    v128.store(HHE, a, 96); v128.store(HHE, b, 112);
  }
  store<u64>(SP, t0 * <u64>load<u32>(XS, 72) + t1 * <u64>load<u32>(XD, 68) + t2 * <u64>load<u32>(XS, 64) + t3 * <u64>load<u32>(XD, 60) + t4 * <u64>load<u32>(XS, 56), 64);
  store<u64>(SP, t0 * <u64>load<u32>(XS, 76) + t1 * <u64>load<u32>(XD, 72) + t2 * <u64>load<u32>(XS, 68) + t3 * <u64>load<u32>(XD, 64) + t4 * <u64>load<u32>(XS, 60), 72);
  {
    const x0 = v128.load(MB, 64);
    const x2 = v128.load(MB, 48);
    const x4 = v128.load(MB, 32);
    const x6 = v128.load(MB, 16);
    const x8 = v128.load(MB, 0);
    let a = i64x2.extmul_low_i32x4_u(Em0, x0); let b = i64x2.extmul_high_i32x4_u(Em0, x0);
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em2, x2)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em2, x2));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em4, x4)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em4, x4));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em6, x6)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em6, x6));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em8, x8)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em8, x8));
    v128.store(HHE, a, 128); v128.store(HHE, b, 144);
  }
  const t5 = <u64>load<u32>(WW, 44);
  const t6 = <u64>load<u32>(WW, 52);
  const t7 = <u64>load<u32>(WW, 60);
  const t8 = <u64>load<u32>(WW, 68);
  const t9 = <u64>load<u32>(WW, 76);
  store<u64>(SP, load<u64>(SP, 0) + t5 * <u64>load<u32>(XD, 20) + t6 * <u64>load<u32>(XS, 16) + t7 * <u64>load<u32>(XD, 12) + t8 * <u64>load<u32>(XS, 8) + t9 * <u64>load<u32>(XD, 4), 0);
  store<u64>(SP, load<u64>(SP, 8) + t5 * <u64>load<u32>(XD, 24) + t6 * <u64>load<u32>(XS, 20) + t7 * <u64>load<u32>(XD, 16) + t8 * <u64>load<u32>(XS, 12) + t9 * <u64>load<u32>(XD, 8), 8);
  const Em1 = i32x4.add(v128.load64_splat(MA, 8), v128.and(v128.load64_splat(MA, 8), hi));
  const Em3 = i32x4.add(v128.load64_splat(MA, 24), v128.and(v128.load64_splat(MA, 24), hi));
  const Em5 = i32x4.add(v128.load64_splat(MA, 40), v128.and(v128.load64_splat(MA, 40), hi));
  const Em7 = i32x4.add(v128.load64_splat(MA, 56), v128.and(v128.load64_splat(MA, 56), hi));
  const Em9 = i32x4.add(v128.load64_splat(MA, 72), v128.and(v128.load64_splat(MA, 72), hi));
  {
    const x1 = v128.load(MB, 0);
    const x3 = v128.load(G19E, 64);
    const x5 = v128.load(G19E, 48);
    const x7 = v128.load(G19E, 32);
    const x9 = v128.load(G19E, 16);
    let a = i64x2.add(v128.load(HHE, 16), i64x2.extmul_low_i32x4_u(Em1, x1)); let b = i64x2.add(v128.load(HHE, 32), i64x2.extmul_high_i32x4_u(Em1, x1));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em3, x3)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em3, x3));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em5, x5)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em5, x5));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em7, x7)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em7, x7));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em9, x9)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em9, x9));
    v128.store(HHE, a, 16); v128.store(HHE, b, 32);
  }
  store<u64>(SP, load<u64>(SP, 16) + t5 * <u64>load<u32>(XD, 28) + t6 * <u64>load<u32>(XS, 24) + t7 * <u64>load<u32>(XD, 20) + t8 * <u64>load<u32>(XS, 16) + t9 * <u64>load<u32>(XD, 12), 16);
  store<u64>(SP, load<u64>(SP, 24) + t5 * <u64>load<u32>(XD, 32) + t6 * <u64>load<u32>(XS, 28) + t7 * <u64>load<u32>(XD, 24) + t8 * <u64>load<u32>(XS, 20) + t9 * <u64>load<u32>(XD, 16), 24);
  {
    const x1 = v128.load(MB, 16);
    const x3 = v128.load(MB, 0);
    const x5 = v128.load(G19E, 64);
    const x7 = v128.load(G19E, 48);
    const x9 = v128.load(G19E, 32);
    let a = i64x2.add(v128.load(HHE, 48), i64x2.extmul_low_i32x4_u(Em1, x1)); let b = i64x2.add(v128.load(HHE, 64), i64x2.extmul_high_i32x4_u(Em1, x1));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em3, x3)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em3, x3));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em5, x5)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em5, x5));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em7, x7)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em7, x7));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em9, x9)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em9, x9));
    v128.store(HHE, a, 48); v128.store(HHE, b, 64);
  }
  store<u64>(SP, load<u64>(SP, 32) + t5 * <u64>load<u32>(XD, 36) + t6 * <u64>load<u32>(XS, 32) + t7 * <u64>load<u32>(XD, 28) + t8 * <u64>load<u32>(XS, 24) + t9 * <u64>load<u32>(XD, 20), 32);
  store<u64>(SP, load<u64>(SP, 40) + t5 * <u64>load<u32>(XD, 40) + t6 * <u64>load<u32>(XS, 36) + t7 * <u64>load<u32>(XD, 32) + t8 * <u64>load<u32>(XS, 28) + t9 * <u64>load<u32>(XD, 24), 40);
  {
    const x1 = v128.load(MB, 32);
    const x3 = v128.load(MB, 16);
    const x5 = v128.load(MB, 0);
    const x7 = v128.load(G19E, 64);
    const x9 = v128.load(G19E, 48);
    let a = i64x2.add(v128.load(HHE, 80), i64x2.extmul_low_i32x4_u(Em1, x1)); let b = i64x2.add(v128.load(HHE, 96), i64x2.extmul_high_i32x4_u(Em1, x1));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em3, x3)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em3, x3));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em5, x5)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em5, x5));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em7, x7)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em7, x7));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em9, x9)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em9, x9));
    v128.store(HHE, a, 80); v128.store(HHE, b, 96);
  }
  store<u64>(SP, load<u64>(SP, 48) + t5 * <u64>load<u32>(XD, 44) + t6 * <u64>load<u32>(XS, 40) + t7 * <u64>load<u32>(XD, 36) + t8 * <u64>load<u32>(XS, 32) + t9 * <u64>load<u32>(XD, 28), 48);
  store<u64>(SP, load<u64>(SP, 56) + t5 * <u64>load<u32>(XD, 48) + t6 * <u64>load<u32>(XS, 44) + t7 * <u64>load<u32>(XD, 40) + t8 * <u64>load<u32>(XS, 36) + t9 * <u64>load<u32>(XD, 32), 56);
  {
    const x1 = v128.load(MB, 48);
    const x3 = v128.load(MB, 32);
    const x5 = v128.load(MB, 16);
    const x7 = v128.load(MB, 0);
    const x9 = v128.load(G19E, 64);
    let a = i64x2.add(v128.load(HHE, 112), i64x2.extmul_low_i32x4_u(Em1, x1)); let b = i64x2.add(v128.load(HHE, 128), i64x2.extmul_high_i32x4_u(Em1, x1));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em3, x3)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em3, x3));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em5, x5)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em5, x5));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em7, x7)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em7, x7));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em9, x9)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em9, x9));
    v128.store(HHE, a, 112); v128.store(HHE, b, 128);
  }
  store<u64>(SP, load<u64>(SP, 64) + t5 * <u64>load<u32>(XD, 52) + t6 * <u64>load<u32>(XS, 48) + t7 * <u64>load<u32>(XD, 44) + t8 * <u64>load<u32>(XS, 40) + t9 * <u64>load<u32>(XD, 36), 64);
  store<u64>(SP, load<u64>(SP, 72) + t5 * <u64>load<u32>(XD, 56) + t6 * <u64>load<u32>(XS, 52) + t7 * <u64>load<u32>(XD, 48) + t8 * <u64>load<u32>(XS, 44) + t9 * <u64>load<u32>(XD, 40), 72);
  {
    const x1 = v128.load(MIXE, 64);
    const x3 = v128.load(MIXE, 48);
    const x5 = v128.load(MIXE, 32);
    const x7 = v128.load(MIXE, 16);
    const x9 = v128.load(MIXE, 0);
    let a = i64x2.add(v128.load(HHE, 144), i64x2.extmul_low_i32x4_u(Em1, x1)); let b = i64x2.add(v128.load(HHE, 0), i64x2.extmul_high_i32x4_u(Em1, x1));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em3, x3)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em3, x3));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em5, x5)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em5, x5));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em7, x7)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em7, x7));
    a = i64x2.add(a, i64x2.extmul_low_i32x4_u(Em9, x9)); b = i64x2.add(b, i64x2.extmul_high_i32x4_u(Em9, x9));
    v128.store(HHE, a, 144); v128.store(HHE, b, 0);
  }
  let Eh0 = v128.load(HHE, 0), Eh1 = v128.load(HHE, 16), Eh2 = v128.load(HHE, 32), Eh3 = v128.load(HHE, 48), Eh4 = v128.load(HHE, 64), Eh5 = v128.load(HHE, 80), Eh6 = v128.load(HHE, 96), Eh7 = v128.load(HHE, 112), Eh8 = v128.load(HHE, 128), Eh9 = v128.load(HHE, 144), Ec: v128;
  let sh0 = load<u64>(SP, 0), sh1 = load<u64>(SP, 8), sh2 = load<u64>(SP, 16), sh3 = load<u64>(SP, 24), sh4 = load<u64>(SP, 32), sh5 = load<u64>(SP, 40), sh6 = load<u64>(SP, 48), sh7 = load<u64>(SP, 56), sh8 = load<u64>(SP, 64), sh9 = load<u64>(SP, 72), sc: u64;
  Ec = i64x2.shr_u(Eh0, 26); Eh0 = v128.and(Eh0, m26); Eh1 = i64x2.add(Eh1, Ec);
  sc = sh0 >> 26; sh0 &= 0x3ffffff; sh1 += sc;
  Ec = i64x2.shr_u(Eh4, 26); Eh4 = v128.and(Eh4, m26); Eh5 = i64x2.add(Eh5, Ec);
  sc = sh4 >> 26; sh4 &= 0x3ffffff; sh5 += sc;
  Ec = i64x2.shr_u(Eh1, 25); Eh1 = v128.and(Eh1, m25); Eh2 = i64x2.add(Eh2, Ec);
  sc = sh1 >> 25; sh1 &= 0x1ffffff; sh2 += sc;
  Ec = i64x2.shr_u(Eh5, 25); Eh5 = v128.and(Eh5, m25); Eh6 = i64x2.add(Eh6, Ec);
  sc = sh5 >> 25; sh5 &= 0x1ffffff; sh6 += sc;
  Ec = i64x2.shr_u(Eh2, 26); Eh2 = v128.and(Eh2, m26); Eh3 = i64x2.add(Eh3, Ec);
  sc = sh2 >> 26; sh2 &= 0x3ffffff; sh3 += sc;
  Ec = i64x2.shr_u(Eh6, 26); Eh6 = v128.and(Eh6, m26); Eh7 = i64x2.add(Eh7, Ec);
  sc = sh6 >> 26; sh6 &= 0x3ffffff; sh7 += sc;
  Ec = i64x2.shr_u(Eh3, 25); Eh3 = v128.and(Eh3, m25); Eh4 = i64x2.add(Eh4, Ec);
  sc = sh3 >> 25; sh3 &= 0x1ffffff; sh4 += sc;
  Ec = i64x2.shr_u(Eh7, 25); Eh7 = v128.and(Eh7, m25); Eh8 = i64x2.add(Eh8, Ec);
  sc = sh7 >> 25; sh7 &= 0x1ffffff; sh8 += sc;
  Ec = i64x2.shr_u(Eh4, 26); Eh4 = v128.and(Eh4, m26); Eh5 = i64x2.add(Eh5, Ec);
  sc = sh4 >> 26; sh4 &= 0x3ffffff; sh5 += sc;
  Ec = i64x2.shr_u(Eh8, 26); Eh8 = v128.and(Eh8, m26); Eh9 = i64x2.add(Eh9, Ec);
  sc = sh8 >> 26; sh8 &= 0x3ffffff; sh9 += sc;
  Ec = i64x2.shr_u(Eh9, 25); Eh9 = v128.and(Eh9, m25); Eh0 = i64x2.add(Eh0, i64x2.add(i64x2.add(i64x2.shl(Ec, 4), i64x2.shl(Ec, 1)), Ec));
  sc = sh9 >> 25; sh9 &= 0x1ffffff; sh0 += sc * 19;
  Ec = i64x2.shr_u(Eh0, 26); Eh0 = v128.and(Eh0, m26); Eh1 = i64x2.add(Eh1, Ec);
  sc = sh0 >> 26; sh0 &= 0x3ffffff; sh1 += sc;
  v128.store(PP, i8x16.shuffle(Eh0, Eh1, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27), 0);
  v128.store(QQ, i32x4.replace_lane(i32x4.replace_lane(v128.load(WW, 0), 1, <i32>sh0), 3, <i32>sh1), 0);
  v128.store(PP, i8x16.shuffle(Eh2, Eh3, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27), 16);
  v128.store(QQ, i32x4.replace_lane(i32x4.replace_lane(v128.load(WW, 16), 1, <i32>sh2), 3, <i32>sh3), 16);
  v128.store(PP, i8x16.shuffle(Eh4, Eh5, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27), 32);
  v128.store(QQ, i32x4.replace_lane(i32x4.replace_lane(v128.load(WW, 32), 1, <i32>sh4), 3, <i32>sh5), 32);
  v128.store(PP, i8x16.shuffle(Eh6, Eh7, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27), 48);
  v128.store(QQ, i32x4.replace_lane(i32x4.replace_lane(v128.load(WW, 48), 1, <i32>sh6), 3, <i32>sh7), 48);
  v128.store(PP, i8x16.shuffle(Eh8, Eh9, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27), 64);
  v128.store(QQ, i32x4.replace_lane(i32x4.replace_lane(v128.load(WW, 64), 1, <i32>sh8), 3, <i32>sh9), 64);
}

/**
 * QQ = [x3 | z3] = [X3 | 9 T] for WW = [X3 | T]: the x1 product of the ladder when u = 9 (keygen).
 */
@inline function stepEndBase(): void {
  const k = v128.load(K19B), m26 = v128.load(KM26), m25 = v128.load(KM25);
  let ah0 = i64x2.extmul_low_i32x4_u(v128.load64_zero(WW, 0), k), ah1 = i64x2.extmul_low_i32x4_u(v128.load64_zero(WW, 8), k), ah2 = i64x2.extmul_low_i32x4_u(v128.load64_zero(WW, 16), k), ah3 = i64x2.extmul_low_i32x4_u(v128.load64_zero(WW, 24), k), ah4 = i64x2.extmul_low_i32x4_u(v128.load64_zero(WW, 32), k), ah5 = i64x2.extmul_low_i32x4_u(v128.load64_zero(WW, 40), k), ah6 = i64x2.extmul_low_i32x4_u(v128.load64_zero(WW, 48), k), ah7 = i64x2.extmul_low_i32x4_u(v128.load64_zero(WW, 56), k), ah8 = i64x2.extmul_low_i32x4_u(v128.load64_zero(WW, 64), k), ah9 = i64x2.extmul_low_i32x4_u(v128.load64_zero(WW, 72), k), ac: v128;
  ac = i64x2.shr_u(ah0, 26); ah0 = v128.and(ah0, m26); ah1 = i64x2.add(ah1, ac);
  ac = i64x2.shr_u(ah4, 26); ah4 = v128.and(ah4, m26); ah5 = i64x2.add(ah5, ac);
  ac = i64x2.shr_u(ah1, 25); ah1 = v128.and(ah1, m25); ah2 = i64x2.add(ah2, ac);
  ac = i64x2.shr_u(ah5, 25); ah5 = v128.and(ah5, m25); ah6 = i64x2.add(ah6, ac);
  ac = i64x2.shr_u(ah2, 26); ah2 = v128.and(ah2, m26); ah3 = i64x2.add(ah3, ac);
  ac = i64x2.shr_u(ah6, 26); ah6 = v128.and(ah6, m26); ah7 = i64x2.add(ah7, ac);
  ac = i64x2.shr_u(ah3, 25); ah3 = v128.and(ah3, m25); ah4 = i64x2.add(ah4, ac);
  ac = i64x2.shr_u(ah7, 25); ah7 = v128.and(ah7, m25); ah8 = i64x2.add(ah8, ac);
  ac = i64x2.shr_u(ah4, 26); ah4 = v128.and(ah4, m26); ah5 = i64x2.add(ah5, ac);
  ac = i64x2.shr_u(ah8, 26); ah8 = v128.and(ah8, m26); ah9 = i64x2.add(ah9, ac);
  ac = i64x2.shr_u(ah9, 25); ah9 = v128.and(ah9, m25); ah0 = i64x2.add(ah0, i64x2.add(i64x2.add(i64x2.shl(ac, 4), i64x2.shl(ac, 1)), ac));
  ac = i64x2.shr_u(ah0, 26); ah0 = v128.and(ah0, m26); ah1 = i64x2.add(ah1, ac);
  v128.store(QQ, i8x16.shuffle(ah0, ah1, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27), 0);
  v128.store(QQ, i8x16.shuffle(ah2, ah3, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27), 16);
  v128.store(QQ, i8x16.shuffle(ah4, ah5, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27), 32);
  v128.store(QQ, i8x16.shuffle(ah6, ah7, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27), 48);
  v128.store(QQ, i8x16.shuffle(ah8, ah9, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27), 64);
}

// ---------------------------------------------------------------------------------------------
// Ladder

/**
 * Decodes the u-coordinate in UIN (32 bytes, followed by zero padding) into X1: bit 255 is
 * masked off (RFC 7748, 5); values in [p, 2^255) are kept as they are (limbs below 2^26 / 2^25)
 * and reduced by the arithmetic, as RFC 7748 requires.
 */
function decodeU(): void {
  store<u8>(UIN + 31, load<u8>(UIN + 31) & 127);
  for (let k = 0; k < 10; k++) {
    const w = limbW(k);
    const size = limbW(k + 1) - w;
    const word = load<u64>(UIN + <usize>(w >> 3));
    store<u32>(X1 + (<usize>k << 2), <u32>((word >> <u64>(w & 7)) & ((<u64>1 << <u64>size) - 1)));
  }
}

/**
 * Fills the x1 tables used by stepEnd: XS[t] = X[t] and XD[t] = X[t] doubled at odd t, where
 * X[t] = 19 x1_t for t < 10 and x1_(t-10) for t >= 10, so that the product x1 * T has column k
 * = sum over i of T_i * X[10 + k - i] (XD in odd rows: the odd-odd factor 2). 19 x1_t < 2^31.
 */
function buildX1(): void {
  for (let t = 0; t < 20; t++) {
    let v = load<u32>(X1 + (<usize>(t >= 10 ? t - 10 : t) << 2));
    if (t < 10) v *= 19;
    store<u32>(XS + (<usize>t << 2), v);
    store<u32>(XD + (<usize>t << 2), (t & 1) != 0 ? v << 1 : v);
  }
}

/**
 * Montgomery ladder (RFC 7748, 5) on the clamped scalar in KEY and x1 in X1; leaves [x2 | z2] in
 * PP. base (public) selects u = 9, where x1 T is a product with a small constant.
 */
function ladder(base: bool): void {
  // PP = [x2 | z2] = [1 | 0], QQ = [x3 | z3] = [x1 | 1]
  memory.fill(PP, 0, PE * 2);
  store<u32>(PP, 1);
  store<u32>(QQ + 4, 1);
  for (let k: usize = 0; k < 10; k++) store<u32>(QQ + (k << 3), load<u32>(X1 + (k << 2)));
  if (!base) buildX1();
  let swap: u32 = 0;
  for (let t = 254; t >= 3; t--) {
    // The bit position t is public; only the bit's value is secret.
    const kt = (<u32>load<u8>(KEY + (<usize>t >> 3)) >> (<u32>t & 7)) & 1;
    swap ^= kt;
    stepStart(i32x4.splat(0 - swap));
    swap = kt;
    pmul(UU, SDC, SAB);
    psq(VV, SAB);
    stepSum();
    psq(WW, WI);
    stepA24();
    if (base) {
      stepEndBase();
      pmul(PP, MA, MB);
    } else {
      stepEnd();
    }
  }
  // Bits 2, 1, 0 of a clamped scalar are zero: swap back by bit 3, then three doublings of
  // (x2, z2); (x3, z3) is no longer needed.
  let m = i32x4.splat(0 - swap);
  for (let t = 2; t >= 0; t--) {
    stepStart(m);
    m = i32x4.splat(0);
    psq(VV, SAB);
    stepA24();
    pmul(PP, MA, MB);
  }
}

// ---------------------------------------------------------------------------------------------
// Single-element arithmetic for the final inversion (10 u32 limbs, 40 bytes).
/**
 * h = f * g for single elements (10 u32 limbs; h may alias f or g): 64-bit products, the ref10
 * column formulas (19 g_j for the wrapped products, 2 f_i for odd i and odd j), serial carry.
 */
function fmul(h: usize, f: usize, g: usize): void {
  const f0 = <u64>load<u32>(f, 0);
  const f1 = <u64>load<u32>(f, 4);
  const f2 = <u64>load<u32>(f, 8);
  const f3 = <u64>load<u32>(f, 12);
  const f4 = <u64>load<u32>(f, 16);
  const f5 = <u64>load<u32>(f, 20);
  const f6 = <u64>load<u32>(f, 24);
  const f7 = <u64>load<u32>(f, 28);
  const f8 = <u64>load<u32>(f, 32);
  const f9 = <u64>load<u32>(f, 36);
  const g0 = <u64>load<u32>(g, 0);
  const g1 = <u64>load<u32>(g, 4);
  const g2 = <u64>load<u32>(g, 8);
  const g3 = <u64>load<u32>(g, 12);
  const g4 = <u64>load<u32>(g, 16);
  const g5 = <u64>load<u32>(g, 20);
  const g6 = <u64>load<u32>(g, 24);
  const g7 = <u64>load<u32>(g, 28);
  const g8 = <u64>load<u32>(g, 32);
  const g9 = <u64>load<u32>(g, 36);
  const f1_2 = f1 << 1;
  const f3_2 = f3 << 1;
  const f5_2 = f5 << 1;
  const f7_2 = f7 << 1;
  const f9_2 = f9 << 1;
  const g1_19 = g1 * 19;
  const g2_19 = g2 * 19;
  const g3_19 = g3 * 19;
  const g4_19 = g4 * 19;
  const g5_19 = g5 * 19;
  const g6_19 = g6 * 19;
  const g7_19 = g7 * 19;
  const g8_19 = g8 * 19;
  const g9_19 = g9 * 19;
  let h0 = f0 * g0 + f1_2 * g9_19 + f2 * g8_19 + f3_2 * g7_19 + f4 * g6_19 + f5_2 * g5_19 + f6 * g4_19 + f7_2 * g3_19 + f8 * g2_19 + f9_2 * g1_19;
  let h1 = f0 * g1 + f1 * g0 + f2 * g9_19 + f3 * g8_19 + f4 * g7_19 + f5 * g6_19 + f6 * g5_19 + f7 * g4_19 + f8 * g3_19 + f9 * g2_19;
  let h2 = f0 * g2 + f1_2 * g1 + f2 * g0 + f3_2 * g9_19 + f4 * g8_19 + f5_2 * g7_19 + f6 * g6_19 + f7_2 * g5_19 + f8 * g4_19 + f9_2 * g3_19;
  let h3 = f0 * g3 + f1 * g2 + f2 * g1 + f3 * g0 + f4 * g9_19 + f5 * g8_19 + f6 * g7_19 + f7 * g6_19 + f8 * g5_19 + f9 * g4_19;
  let h4 = f0 * g4 + f1_2 * g3 + f2 * g2 + f3_2 * g1 + f4 * g0 + f5_2 * g9_19 + f6 * g8_19 + f7_2 * g7_19 + f8 * g6_19 + f9_2 * g5_19;
  let h5 = f0 * g5 + f1 * g4 + f2 * g3 + f3 * g2 + f4 * g1 + f5 * g0 + f6 * g9_19 + f7 * g8_19 + f8 * g7_19 + f9 * g6_19;
  let h6 = f0 * g6 + f1_2 * g5 + f2 * g4 + f3_2 * g3 + f4 * g2 + f5_2 * g1 + f6 * g0 + f7_2 * g9_19 + f8 * g8_19 + f9_2 * g7_19;
  let h7 = f0 * g7 + f1 * g6 + f2 * g5 + f3 * g4 + f4 * g3 + f5 * g2 + f6 * g1 + f7 * g0 + f8 * g9_19 + f9 * g8_19;
  let h8 = f0 * g8 + f1_2 * g7 + f2 * g6 + f3_2 * g5 + f4 * g4 + f5_2 * g3 + f6 * g2 + f7_2 * g1 + f8 * g0 + f9_2 * g9_19;
  let h9 = f0 * g9 + f1 * g8 + f2 * g7 + f3 * g6 + f4 * g5 + f5 * g4 + f6 * g3 + f7 * g2 + f8 * g1 + f9 * g0;
  let c: u64;
  c = h0 >> 26; h0 &= 0x3ffffff; h1 += c;
  c = h4 >> 26; h4 &= 0x3ffffff; h5 += c;
  c = h1 >> 25; h1 &= 0x1ffffff; h2 += c;
  c = h5 >> 25; h5 &= 0x1ffffff; h6 += c;
  c = h2 >> 26; h2 &= 0x3ffffff; h3 += c;
  c = h6 >> 26; h6 &= 0x3ffffff; h7 += c;
  c = h3 >> 25; h3 &= 0x1ffffff; h4 += c;
  c = h7 >> 25; h7 &= 0x1ffffff; h8 += c;
  c = h4 >> 26; h4 &= 0x3ffffff; h5 += c;
  c = h8 >> 26; h8 &= 0x3ffffff; h9 += c;
  c = h9 >> 25; h9 &= 0x1ffffff; h0 += c * 19;
  c = h0 >> 26; h0 &= 0x3ffffff; h1 += c;
  store<u32>(h, <u32>h0, 0);
  store<u32>(h, <u32>h1, 4);
  store<u32>(h, <u32>h2, 8);
  store<u32>(h, <u32>h3, 12);
  store<u32>(h, <u32>h4, 16);
  store<u32>(h, <u32>h5, 20);
  store<u32>(h, <u32>h6, 24);
  store<u32>(h, <u32>h7, 28);
  store<u32>(h, <u32>h8, 32);
  store<u32>(h, <u32>h9, 36);
}

/**
 * h = f^2 for single elements (h may alias f): the 55 products f_i f_j (i <= j), serial carry.
 */
@inline function fsq(h: usize, f: usize): void {
  const f0 = <u64>load<u32>(f, 0);
  const f1 = <u64>load<u32>(f, 4);
  const f2 = <u64>load<u32>(f, 8);
  const f3 = <u64>load<u32>(f, 12);
  const f4 = <u64>load<u32>(f, 16);
  const f5 = <u64>load<u32>(f, 20);
  const f6 = <u64>load<u32>(f, 24);
  const f7 = <u64>load<u32>(f, 28);
  const f8 = <u64>load<u32>(f, 32);
  const f9 = <u64>load<u32>(f, 36);
  const f0_2 = f0 << 1;
  const f1_2 = f1 << 1;
  const f1_4 = f1 << 2;
  const f2_2 = f2 << 1;
  const f3_2 = f3 << 1;
  const f3_4 = f3 << 2;
  const f4_2 = f4 << 1;
  const f5_2 = f5 << 1;
  const f5_4 = f5 << 2;
  const f5_19 = f5 * 19;
  const f6_2 = f6 << 1;
  const f6_19 = f6 * 19;
  const f7_2 = f7 << 1;
  const f7_4 = f7 << 2;
  const f7_19 = f7 * 19;
  const f8_2 = f8 << 1;
  const f8_19 = f8 * 19;
  const f9_2 = f9 << 1;
  const f9_19 = f9 * 19;
  let h0 = f0 * f0 + f1_4 * f9_19 + f2_2 * f8_19 + f3_4 * f7_19 + f4_2 * f6_19 + f5_2 * f5_19;
  let h1 = f0_2 * f1 + f2_2 * f9_19 + f3_2 * f8_19 + f4_2 * f7_19 + f5_2 * f6_19;
  let h2 = f0_2 * f2 + f1_2 * f1 + f3_4 * f9_19 + f4_2 * f8_19 + f5_4 * f7_19 + f6 * f6_19;
  let h3 = f0_2 * f3 + f1_2 * f2 + f4_2 * f9_19 + f5_2 * f8_19 + f6_2 * f7_19;
  let h4 = f0_2 * f4 + f1_4 * f3 + f2 * f2 + f5_4 * f9_19 + f6_2 * f8_19 + f7_2 * f7_19;
  let h5 = f0_2 * f5 + f1_2 * f4 + f2_2 * f3 + f6_2 * f9_19 + f7_2 * f8_19;
  let h6 = f0_2 * f6 + f1_4 * f5 + f2_2 * f4 + f3_2 * f3 + f7_4 * f9_19 + f8 * f8_19;
  let h7 = f0_2 * f7 + f1_2 * f6 + f2_2 * f5 + f3_2 * f4 + f8_2 * f9_19;
  let h8 = f0_2 * f8 + f1_4 * f7 + f2_2 * f6 + f3_4 * f5 + f4 * f4 + f9_2 * f9_19;
  let h9 = f0_2 * f9 + f1_2 * f8 + f2_2 * f7 + f3_2 * f6 + f4_2 * f5;
  let c: u64;
  c = h0 >> 26; h0 &= 0x3ffffff; h1 += c;
  c = h4 >> 26; h4 &= 0x3ffffff; h5 += c;
  c = h1 >> 25; h1 &= 0x1ffffff; h2 += c;
  c = h5 >> 25; h5 &= 0x1ffffff; h6 += c;
  c = h2 >> 26; h2 &= 0x3ffffff; h3 += c;
  c = h6 >> 26; h6 &= 0x3ffffff; h7 += c;
  c = h3 >> 25; h3 &= 0x1ffffff; h4 += c;
  c = h7 >> 25; h7 &= 0x1ffffff; h8 += c;
  c = h4 >> 26; h4 &= 0x3ffffff; h5 += c;
  c = h8 >> 26; h8 &= 0x3ffffff; h9 += c;
  c = h9 >> 25; h9 &= 0x1ffffff; h0 += c * 19;
  c = h0 >> 26; h0 &= 0x3ffffff; h1 += c;
  store<u32>(h, <u32>h0, 0);
  store<u32>(h, <u32>h1, 4);
  store<u32>(h, <u32>h2, 8);
  store<u32>(h, <u32>h3, 12);
  store<u32>(h, <u32>h4, 16);
  store<u32>(h, <u32>h5, 20);
  store<u32>(h, <u32>h6, 24);
  store<u32>(h, <u32>h7, 28);
  store<u32>(h, <u32>h8, 32);
  store<u32>(h, <u32>h9, 36);
}

/** h = f^(2^n), n public, n >= 1. */
function fsqN(h: usize, f: usize, n: i32): void {
  fsq(h, f);
  for (let i = 1; i < n; i++) fsq(h, h);
}

/**
 * h = z^(p-2) = 1/z (Fermat; 0 maps to 0). p - 2 = 2^255 - 21; fixed addition chain of 254
 * squarings and 11 products. Uses I0..I2; h must not be one of them.
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
  fmul(h, h, I0);            // z^(2^255 - 21)
}

const LIMB_W = memory.data<i32>([0, 26, 51, 77, 102, 128, 153, 179, 204, 230, 255]);

@inline function limbW(k: i32): i32 {
  return load<i32>(LIMB_W + (<usize>k << 2));
}

/**
 * Encodes the carried element at f, fully reduced mod p, as 32 little-endian bytes at s.
 * Branch-free: two serial carry passes bring every limb below 2^26 / 2^25 and the value below
 * 2^255 + 2^26; one more carry of limb 0; then q = 1 exactly when value >= p (found as the carry
 * out of value + 19), and value + 19 q - 2^255 q is written.
 */
function encode(s: usize, f: usize): void {
  let t0 = <u64>load<u32>(f, 0), t1 = <u64>load<u32>(f, 4), t2 = <u64>load<u32>(f, 8);
  let t3 = <u64>load<u32>(f, 12), t4 = <u64>load<u32>(f, 16), t5 = <u64>load<u32>(f, 20);
  let t6 = <u64>load<u32>(f, 24), t7 = <u64>load<u32>(f, 28), t8 = <u64>load<u32>(f, 32);
  let t9 = <u64>load<u32>(f, 36);
  for (let pass = 0; pass < 2; pass++) {
    t1 += t0 >> 26; t0 &= 0x3ffffff;
    t2 += t1 >> 25; t1 &= 0x1ffffff;
    t3 += t2 >> 26; t2 &= 0x3ffffff;
    t4 += t3 >> 25; t3 &= 0x1ffffff;
    t5 += t4 >> 26; t4 &= 0x3ffffff;
    t6 += t5 >> 25; t5 &= 0x1ffffff;
    t7 += t6 >> 26; t6 &= 0x3ffffff;
    t8 += t7 >> 25; t7 &= 0x1ffffff;
    t9 += t8 >> 26; t8 &= 0x3ffffff;
    t0 += 19 * (t9 >> 25); t9 &= 0x1ffffff;
  }
  t1 += t0 >> 26; t0 &= 0x3ffffff;
  let q = (t0 + 19) >> 26;
  q = (t1 + q) >> 25; q = (t2 + q) >> 26; q = (t3 + q) >> 25; q = (t4 + q) >> 26;
  q = (t5 + q) >> 25; q = (t6 + q) >> 26; q = (t7 + q) >> 25; q = (t8 + q) >> 26; q = (t9 + q) >> 25;
  t0 += 19 * q;
  t1 += t0 >> 26; t0 &= 0x3ffffff;
  t2 += t1 >> 25; t1 &= 0x1ffffff;
  t3 += t2 >> 26; t2 &= 0x3ffffff;
  t4 += t3 >> 25; t3 &= 0x1ffffff;
  t5 += t4 >> 26; t4 &= 0x3ffffff;
  t6 += t5 >> 25; t5 &= 0x1ffffff;
  t7 += t6 >> 26; t6 &= 0x3ffffff;
  t8 += t7 >> 25; t7 &= 0x1ffffff;
  t9 += t8 >> 26; t8 &= 0x3ffffff;
  t9 &= 0x1ffffff; // drops 2^255 q
  store<u64>(s, t0 | (t1 << 26) | (t2 << 51));
  store<u64>(s, (t2 >> 13) | (t3 << 13) | (t4 << 38), 8);
  store<u64>(s, t5 | (t6 << 25) | (t7 << 51), 16);
  store<u64>(s, (t7 >> 13) | (t8 << 12) | (t9 << 38), 24);
}

/** Clamps the scalar (RFC 7748, decodeScalar25519) into KEY. */
@inline function loadScalar(scalarPtr: usize): void {
  memory.copy(KEY, scalarPtr, 32);
  store<u8>(KEY, load<u8>(KEY) & 248);
  store<u8>(KEY + 31, (load<u8>(KEY + 31) & 127) | 64);
}

/** Writes x2 / z2 (fully reduced, little-endian) to outPtr and wipes the scratch area. */
@inline function finish(outPtr: usize): void {
  for (let k: usize = 0; k < 10; k++) {         // split [x2 | z2] into single elements
    store<u32>(ZX + (k << 2), load<u32>(PP + (k << 3)));
    store<u32>(ZZ + (k << 2), load<u32>(PP + (k << 3) + 4));
  }
  finvert(RR, ZZ);                              // 1 / z2
  fmul(RR, ZX, RR);                             // x2 / z2
  encode(ENC, RR);
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
  memory.copy(UIN, uPtr, 32);
  loadScalar(scalarPtr);
  decodeU();
  ladder(false);
  finish(outPtr);
}

/** out = X25519(scalar, 9): the public key of a 32-byte private key. outPtr may alias scalarPtr. */
export function x25519Base(outPtr: usize, scalarPtr: usize): void {
  loadScalar(scalarPtr);
  memory.fill(UIN, 0, 32);
  store<u8>(UIN, 9);
  decodeU();
  ladder(true);
  finish(outPtr);
}

/** True when the 32 bytes at p are all zero; constant time (ORs every byte, no early exit). */
export function isAllZero32(p: usize): bool {
  const a = load<u64>(p) | load<u64>(p, 8) | load<u64>(p, 16) | load<u64>(p, 24);
  return (ctIsZero32(<u32>a | <u32>(a >>> 32)) & 1) != 0;
}
