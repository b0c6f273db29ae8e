// Point arithmetic on the NIST curves y^2 = x^3 - 3x + b over GF(p) (P-256 and P-384).
//
// Two separate engines:
//
//  * Secret scalars (ECDH, key generation): homogeneous projective coordinates with the COMPLETE
//    formulas of Renes, Costello and Batina ("Complete addition formulas for prime order elliptic
//    curves", 2015, Algorithms 4 and 6 for a = -3). They are correct for every pair of inputs
//    (doubling, inverse points, the identity), so the window loop needs no special cases. The scalar
//    is recoded into signed radix-16 digits (Booth) with arithmetic only; each digit picks a table
//    entry by scanning all 8 entries with masks and conditionally negates it with masks. The sequence
//    of field operations and the memory addresses touched are therefore independent of the scalar.
//
//  * Public scalars (ECDSA verification): Jacobian coordinates (a = -3 doubling, mixed and full
//    additions), interleaved wNAF for u1*G + u2*Q with a lazily computed affine table of 64 odd
//    multiples of G (window 8) and a per-call table of 8 odd multiples of Q (window 5). These are
//    VARIABLE TIME and branch on the exceptional cases (infinity, P == Q, P == -Q); every input to
//    them is public.
//
// Points live in linear memory: X at p, Y at p + FL, Z at p + 2 FL (affine points: x, y). All scratch
// space is static (memory.data), so nothing here allocates; the code is not re-entrant (Wasm is
// single-threaded and none of these functions call back out).

import {
  FL, NL, MAX_FL, ONE, ZERO,
  fmul, fsqr, fadd, fsub, fneg, finv, fcopy, fisZeroVT, fequal, condCopy, ltMod, bytesToLimbs,
  fieldP, curveB, baseX, baseY, orderN, isP256,
} from './field';
import { ctEq32, wipe } from '../ct';
import { ltVT, addInPlace } from './scalar';

@inline function slot(base: usize, i: i32): usize {
  return base + <usize>(i * MAX_FL);
}

// ---- decoding ---------------------------------------------------------------------------------------

const OC_T = memory.data(2 * MAX_FL);

/** True when the affine (x, y) satisfies y^2 = x^3 - 3x + b (x, y reduced). Variable time: public points. */
export function isOnCurveVT<C>(x: usize, y: usize): bool {
  const t = slot(OC_T, 0), u = slot(OC_T, 1);
  fsqr<C>(t, x);
  fsub<C>(t, t, ONE);
  fsub<C>(t, t, ONE);
  fsub<C>(t, t, ONE); // x^2 - 3
  fmul<C>(t, t, x); // x^3 - 3x
  fadd<C>(t, t, curveB<C>());
  fsqr<C>(u, y);
  return fequal<C>(t, u) != 0;
}

/**
 * Decodes an UNCOMPRESSED SEC1 point 0x04 || X || Y (exactly 1 + 2 FL bytes) into affine limbs
 * (x at out, y at out + FL). Rejects any other length or prefix (compressed points, the 0x00 encoding
 * of infinity), coordinates >= p and points not on the curve. The point at infinity has no
 * uncompressed encoding, and the curves have prime order (cofactor 1), so an accepted point is a
 * valid public key. Variable time: public keys only.
 */
export function decodePoint<C>(out: usize, src: usize, len: i32): bool {
  const L = FL<C>();
  if (len != 1 + 2 * L || load<u8>(src) != 0x04) return false;
  const x = out, y = out + L;
  bytesToLimbs<C>(x, src + 1);
  bytesToLimbs<C>(y, src + 1 + L);
  if (ltMod<C>(x, fieldP<C>()) == 0 || ltMod<C>(y, fieldP<C>()) == 0) return false;
  return isOnCurveVT<C>(x, y);
}

// ---- complete projective formulas (constant time) ---------------------------------------------------

const PA_T = memory.data(12 * MAX_FL);

/**
 * r = p + q for projective points (RCB 2015, Algorithm 4, a = -3): complete, valid for all inputs
 * including p == q, p == -q and the identity (0 : 1 : 0). r may alias p or q. Constant time.
 */
export function projAdd<C>(r: usize, p: usize, q: usize): void {
  const L = FL<C>();
  const X1 = p, Y1 = p + L, Z1 = p + 2 * L;
  const X2 = q, Y2 = q + L, Z2 = q + 2 * L;
  const t0 = slot(PA_T, 0), t1 = slot(PA_T, 1), t2 = slot(PA_T, 2), t3 = slot(PA_T, 3), t4 = slot(PA_T, 4);
  const X3 = slot(PA_T, 5), Y3 = slot(PA_T, 6), Z3 = slot(PA_T, 7);
  const b = curveB<C>();
  fmul<C>(t0, X1, X2);
  fmul<C>(t1, Y1, Y2);
  fmul<C>(t2, Z1, Z2);
  fadd<C>(t3, X1, Y1);
  fadd<C>(t4, X2, Y2);
  fmul<C>(t3, t3, t4);
  fadd<C>(t4, t0, t1);
  fsub<C>(t3, t3, t4); // t3 = X1 Y2 + X2 Y1
  fadd<C>(t4, Y1, Z1);
  fadd<C>(X3, Y2, Z2);
  fmul<C>(t4, t4, X3);
  fadd<C>(X3, t1, t2);
  fsub<C>(t4, t4, X3); // t4 = Y1 Z2 + Y2 Z1
  fadd<C>(X3, X1, Z1);
  fadd<C>(Y3, X2, Z2);
  fmul<C>(X3, X3, Y3);
  fadd<C>(Y3, t0, t2);
  fsub<C>(Y3, X3, Y3); // Y3 = X1 Z2 + X2 Z1
  fmul<C>(Z3, b, t2);
  fsub<C>(X3, Y3, Z3);
  fadd<C>(Z3, X3, X3);
  fadd<C>(X3, X3, Z3);
  fsub<C>(Z3, t1, X3);
  fadd<C>(X3, t1, X3);
  fmul<C>(Y3, b, Y3);
  fadd<C>(t1, t2, t2);
  fadd<C>(t2, t1, t2);
  fsub<C>(Y3, Y3, t2);
  fsub<C>(Y3, Y3, t0);
  fadd<C>(t1, Y3, Y3);
  fadd<C>(Y3, t1, Y3);
  fadd<C>(t1, t0, t0);
  fadd<C>(t0, t1, t0);
  fsub<C>(t0, t0, t2);
  fmul<C>(t1, t4, Y3);
  fmul<C>(t2, t0, Y3);
  fmul<C>(Y3, X3, Z3);
  fadd<C>(Y3, Y3, t2);
  fmul<C>(X3, t3, X3);
  fsub<C>(X3, X3, t1);
  fmul<C>(Z3, t4, Z3);
  fmul<C>(t1, t3, t0);
  fadd<C>(Z3, Z3, t1);
  fcopy<C>(r, X3);
  fcopy<C>(r + L, Y3);
  fcopy<C>(r + 2 * L, Z3);
}

/** r = 2 p for a projective point (RCB 2015, Algorithm 6, a = -3): complete. r may alias p. Constant time. */
export function projDouble<C>(r: usize, p: usize): void {
  const L = FL<C>();
  const X = p, Y = p + L, Z = p + 2 * L;
  const t0 = slot(PA_T, 0), t1 = slot(PA_T, 1), t2 = slot(PA_T, 2), t3 = slot(PA_T, 3);
  const X3 = slot(PA_T, 5), Y3 = slot(PA_T, 6), Z3 = slot(PA_T, 7);
  const b = curveB<C>();
  fsqr<C>(t0, X);
  fsqr<C>(t1, Y);
  fsqr<C>(t2, Z);
  fmul<C>(t3, X, Y);
  fadd<C>(t3, t3, t3);
  fmul<C>(Z3, X, Z);
  fadd<C>(Z3, Z3, Z3);
  fmul<C>(Y3, b, t2);
  fsub<C>(Y3, Y3, Z3);
  fadd<C>(X3, Y3, Y3);
  fadd<C>(Y3, X3, Y3);
  fsub<C>(X3, t1, Y3);
  fadd<C>(Y3, t1, Y3);
  fmul<C>(Y3, X3, Y3);
  fmul<C>(X3, X3, t3);
  fadd<C>(t3, t2, t2);
  fadd<C>(t2, t2, t3);
  fmul<C>(Z3, b, Z3);
  fsub<C>(Z3, Z3, t2);
  fsub<C>(Z3, Z3, t0);
  fadd<C>(t3, Z3, Z3);
  fadd<C>(Z3, Z3, t3);
  fadd<C>(t3, t0, t0);
  fadd<C>(t0, t3, t0);
  fsub<C>(t0, t0, t2);
  fmul<C>(t0, t0, Z3);
  fadd<C>(Y3, Y3, t0);
  fmul<C>(t0, Y, Z);
  fadd<C>(t0, t0, t0);
  fmul<C>(Z3, t0, Z3);
  fsub<C>(X3, X3, Z3);
  fmul<C>(Z3, t0, t1);
  fadd<C>(Z3, Z3, Z3);
  fadd<C>(Z3, Z3, Z3);
  fcopy<C>(r, X3);
  fcopy<C>(r + L, Y3);
  fcopy<C>(r + 2 * L, Z3);
}

// ---- constant-time scalar multiplication ------------------------------------------------------------

const SM_TAB = memory.data(8 * 3 * MAX_FL); // T[j] = (j + 1) P, projective, j = 0..7
const SM_ACC = memory.data(3 * MAX_FL);
const SM_SEL = memory.data(3 * MAX_FL);
const SM_NEG = memory.data(MAX_FL);
const SM_ZI = memory.data(MAX_FL);
const SM_DIG = memory.data(4 * 97); // signed radix-16 digits (secret)

/**
 * Recodes the scalar k (NL limbs, any value < 2^(32 NL)) into D = 8 NL + 1 signed digits in [-8, 8] with
 * k = sum d_i 16^i (Booth recoding). Arithmetic only: no branch or address depends on k.
 */
function recodeSigned4<C>(dig: usize, k: usize): void {
  const nibbles = NL<C>() * 8;
  let carry: u32 = 0;
  for (let i = 0; i <= nibbles; i++) {
    let nib: u32 = 0;
    if (i < nibbles) nib = (load<u32>(k + ((i >> 3) << 2)) >>> ((i & 7) << 2)) & 15; // public index
    const v = nib + carry; // 0..16
    const c = (8 - v) >>> 31; // 1 when v > 8
    store<i32>(dig + (i << 2), <i32>v - <i32>(c << 4));
    carry = c;
  }
}

/** r = d * P for a digit d in [-8, 8], read from the table by scanning all 8 entries. Constant time. */
function lookupSigned<C>(r: usize, tab: usize, d: i32): void {
  const L = FL<C>();
  const words = 3 * NL<C>();
  const s = <u32>(d >> 31); // all-ones when d < 0
  const a = (<u32>d ^ s) - s; // |d|
  memory.fill(r, 0, <usize>(3 * L)); // identity (0 : 1 : 0) when d = 0
  store<u32>(r + L, 1);
  for (let j = 0; j < 8; j++) condCopy(r, tab + <usize>(j * 3 * L), words, ctEq32(a, <u32>(j + 1)));
  fneg<C>(SM_NEG, r + L);
  condCopy(r + L, SM_NEG, NL<C>(), s);
}

/**
 * Constant-time k * P: k is a scalar with 0 < k < n (NL limbs, secret), P = (px, py) a valid affine
 * point. Writes the affine x of the result to outX and, when outY != 0, y to outY (limbs). The result
 * is never the identity because P has prime order n and 0 < k < n. Scratch holding secret-dependent
 * values is wiped before returning.
 */
export function scalarMulCT<C>(outX: usize, outY: usize, k: usize, px: usize, py: usize): void {
  const L = FL<C>();
  const P3 = 3 * L;
  const tab = SM_TAB, acc = SM_ACC, sel = SM_SEL;
  // Table of 1P .. 8P (public: derived from P only).
  fcopy<C>(tab, px);
  fcopy<C>(tab + L, py);
  fcopy<C>(tab + 2 * L, ONE);
  projDouble<C>(tab + P3, tab); // 2P
  projAdd<C>(tab + 2 * P3, tab + P3, tab); // 3P
  projDouble<C>(tab + 3 * P3, tab + P3); // 4P
  projAdd<C>(tab + 4 * P3, tab + 3 * P3, tab); // 5P
  projDouble<C>(tab + 5 * P3, tab + 2 * P3); // 6P
  projAdd<C>(tab + 6 * P3, tab + 5 * P3, tab); // 7P
  projDouble<C>(tab + 7 * P3, tab + 3 * P3); // 8P

  recodeSigned4<C>(SM_DIG, k);
  const top = NL<C>() * 8;
  lookupSigned<C>(acc, tab, load<i32>(SM_DIG + (top << 2)));
  for (let i = top - 1; i >= 0; i--) {
    projDouble<C>(acc, acc);
    projDouble<C>(acc, acc);
    projDouble<C>(acc, acc);
    projDouble<C>(acc, acc);
    lookupSigned<C>(sel, tab, load<i32>(SM_DIG + (i << 2)));
    projAdd<C>(acc, acc, sel);
  }
  // Affine conversion: x = X / Z, y = Y / Z (constant-time Fermat inversion).
  finv<C>(SM_ZI, acc + 2 * L);
  fmul<C>(outX, acc, SM_ZI);
  if (outY != 0) fmul<C>(outY, acc + L, SM_ZI);

  wipe(SM_DIG, 4 * 97);
  wipe(acc, 3 * MAX_FL);
  wipe(sel, 3 * MAX_FL);
  wipe(SM_NEG, MAX_FL);
  wipe(SM_ZI, MAX_FL);
  wipe(tab, 8 * 3 * MAX_FL);
  wipe(PA_T, 12 * MAX_FL);
}

// ---- Jacobian formulas (variable time, public data only) --------------------------------------------

const JD_T = memory.data(6 * MAX_FL);

/**
 * r = 2 p in Jacobian coordinates (X = x Z^2, Y = y Z^3), a = -3 (EFD dbl-2001-b: 3M + 5S).
 * The point at infinity (Z = 0) maps to itself. r may alias p. Straight-line code, but used only on
 * public data.
 */
export function jacDouble<C>(r: usize, p: usize): void {
  const L = FL<C>();
  const X1 = p, Y1 = p + L, Z1 = p + 2 * L;
  const delta = slot(JD_T, 0), gamma = slot(JD_T, 1), beta = slot(JD_T, 2);
  const alpha = slot(JD_T, 3), t = slot(JD_T, 4), u = slot(JD_T, 5);
  fsqr<C>(delta, Z1);
  fsqr<C>(gamma, Y1);
  fmul<C>(beta, X1, gamma);
  fsub<C>(t, X1, delta);
  fadd<C>(u, X1, delta);
  fmul<C>(alpha, t, u);
  fadd<C>(t, alpha, alpha);
  fadd<C>(alpha, t, alpha); // alpha = 3 (X1 - delta)(X1 + delta)
  // Z3 = (Y1 + Z1)^2 - gamma - delta (X1, Y1, Z1 are not read after this point).
  fadd<C>(t, Y1, Z1);
  fsqr<C>(t, t);
  fsub<C>(t, t, gamma);
  fsub<C>(r + 2 * L, t, delta);
  // X3 = alpha^2 - 8 beta
  fadd<C>(beta, beta, beta);
  fadd<C>(beta, beta, beta); // 4 beta
  fadd<C>(u, beta, beta); // 8 beta
  fsqr<C>(t, alpha);
  fsub<C>(r, t, u);
  // Y3 = alpha (4 beta - X3) - 8 gamma^2
  fsub<C>(t, beta, r);
  fmul<C>(t, alpha, t);
  fadd<C>(gamma, gamma, gamma);
  fsqr<C>(gamma, gamma);
  fadd<C>(gamma, gamma, gamma); // 8 gamma^2 = 2 (2 gamma)^2
  fsub<C>(r + L, t, gamma);
}

/** Sets r to the point at infinity (Jacobian (1 : 1 : 0)). */
function jacSetInfinity<C>(r: usize): void {
  const L = FL<C>();
  fcopy<C>(r, ONE);
  fcopy<C>(r + L, ONE);
  fcopy<C>(r + 2 * L, ZERO);
}

const JA_T = memory.data(14 * MAX_FL);

/**
 * r = p + (neg ? -q : q), both Jacobian (EFD add-2007-bl: 11M + 5S), with the exceptional cases
 * (either input at infinity, p == q, p == -q) handled by branches. r may alias p (not q).
 * VARIABLE TIME: public data only.
 */
export function jacAddVT<C>(r: usize, p: usize, q: usize, neg: bool): void {
  const L = FL<C>();
  const X1 = p, Y1 = p + L, Z1 = p + 2 * L;
  const X2 = q, Z2 = q + 2 * L;
  let Y2 = q + L;
  if (neg) {
    Y2 = slot(JA_T, 13);
    fneg<C>(Y2, q + L);
  }
  if (fisZeroVT<C>(Z1)) {
    fcopy<C>(r, X2);
    fcopy<C>(r + L, Y2);
    fcopy<C>(r + 2 * L, Z2);
    return;
  }
  if (fisZeroVT<C>(Z2)) {
    if (r != p) memory.copy(r, p, 3 * L);
    return;
  }
  const z1z1 = slot(JA_T, 0), z2z2 = slot(JA_T, 1), u1 = slot(JA_T, 2), u2 = slot(JA_T, 3);
  const s1 = slot(JA_T, 4), s2 = slot(JA_T, 5), h = slot(JA_T, 6), rr = slot(JA_T, 7);
  const i = slot(JA_T, 8), j = slot(JA_T, 9), v = slot(JA_T, 10), t = slot(JA_T, 11), z3 = slot(JA_T, 12);
  fsqr<C>(z1z1, Z1);
  fsqr<C>(z2z2, Z2);
  fmul<C>(u1, X1, z2z2);
  fmul<C>(u2, X2, z1z1);
  fmul<C>(s1, Y1, Z2);
  fmul<C>(s1, s1, z2z2);
  fmul<C>(s2, Y2, Z1);
  fmul<C>(s2, s2, z1z1);
  fsub<C>(h, u2, u1);
  fsub<C>(rr, s2, s1);
  if (fisZeroVT<C>(h)) {
    if (fisZeroVT<C>(rr)) jacDouble<C>(r, p); // p == q
    else jacSetInfinity<C>(r); // p == -q
    return;
  }
  fadd<C>(i, h, h);
  fsqr<C>(i, i); // I = (2H)^2
  fmul<C>(j, h, i); // J = H I
  fadd<C>(rr, rr, rr); // r = 2 (S2 - S1)
  fmul<C>(v, u1, i); // V = U1 I
  // Z3 = ((Z1 + Z2)^2 - Z1Z1 - Z2Z2) H
  fadd<C>(t, Z1, Z2);
  fsqr<C>(t, t);
  fsub<C>(t, t, z1z1);
  fsub<C>(t, t, z2z2);
  fmul<C>(z3, t, h);
  // X3 = r^2 - J - 2V
  fsqr<C>(t, rr);
  fsub<C>(t, t, j);
  fsub<C>(t, t, v);
  fsub<C>(r, t, v);
  // Y3 = r (V - X3) - 2 S1 J
  fsub<C>(t, v, r);
  fmul<C>(t, rr, t);
  fmul<C>(s1, s1, j);
  fadd<C>(s1, s1, s1);
  fsub<C>(r + L, t, s1);
  fcopy<C>(r + 2 * L, z3);
}

/**
 * r = p + (neg ? -q : q) for p Jacobian and q affine (not infinity) (EFD madd-2007-bl: 7M + 4S), with
 * exceptional cases handled by branches. r may alias p. VARIABLE TIME: public data only.
 */
export function jacAddAffineVT<C>(r: usize, p: usize, qx: usize, qy0: usize, neg: bool): void {
  const L = FL<C>();
  const X1 = p, Y1 = p + L, Z1 = p + 2 * L;
  let qy = qy0;
  if (neg) {
    qy = slot(JA_T, 13);
    fneg<C>(qy, qy0);
  }
  if (fisZeroVT<C>(Z1)) {
    fcopy<C>(r, qx);
    fcopy<C>(r + L, qy);
    fcopy<C>(r + 2 * L, ONE);
    return;
  }
  const z1z1 = slot(JA_T, 0), u2 = slot(JA_T, 1), s2 = slot(JA_T, 2), h = slot(JA_T, 3);
  const hh = slot(JA_T, 4), i = slot(JA_T, 5), j = slot(JA_T, 6), rr = slot(JA_T, 7);
  const v = slot(JA_T, 8), t = slot(JA_T, 9), z3 = slot(JA_T, 10);
  fsqr<C>(z1z1, Z1);
  fmul<C>(u2, qx, z1z1);
  fmul<C>(s2, qy, Z1);
  fmul<C>(s2, s2, z1z1);
  fsub<C>(h, u2, X1);
  fsub<C>(rr, s2, Y1);
  if (fisZeroVT<C>(h)) {
    if (fisZeroVT<C>(rr)) jacDouble<C>(r, p); // p == q
    else jacSetInfinity<C>(r); // p == -q
    return;
  }
  fsqr<C>(hh, h);
  fadd<C>(i, hh, hh);
  fadd<C>(i, i, i); // I = 4 HH
  fmul<C>(j, h, i); // J = H I
  fadd<C>(rr, rr, rr); // r = 2 (S2 - Y1)
  fmul<C>(v, X1, i); // V = X1 I
  // Z3 = (Z1 + H)^2 - Z1Z1 - HH
  fadd<C>(t, Z1, h);
  fsqr<C>(t, t);
  fsub<C>(t, t, z1z1);
  fsub<C>(z3, t, hh);
  // X3 = r^2 - J - 2V (X1 is not read after this point)
  fsqr<C>(t, rr);
  fsub<C>(t, t, j);
  fsub<C>(t, t, v);
  fsub<C>(r, t, v);
  // Y3 = r (V - X3) - 2 Y1 J
  fsub<C>(t, v, r);
  fmul<C>(t, rr, t);
  fmul<C>(j, Y1, j);
  fadd<C>(j, j, j);
  fsub<C>(r + L, t, j);
  fcopy<C>(r + 2 * L, z3);
}

// ---- u1 G + u2 Q (variable time) --------------------------------------------------------------------

const G_WINDOW = 8; // 2^(8-2) = 64 odd multiples of G
const G_COUNT = 64;
const Q_WINDOW = 5; // 2^(5-2) = 8 odd multiples of Q
const Q_COUNT = 8;

const GTAB_256 = memory.data(G_COUNT * 2 * 32); // affine (2i + 1) G for P-256
const GTAB_384 = memory.data(G_COUNT * 2 * 48); // affine (2i + 1) G for P-384
let gReady256 = false;
let gReady384 = false;

const PRE_J = memory.data(G_COUNT * 3 * MAX_FL); // Jacobian multiples while building the G table
const PRE_Z = memory.data(G_COUNT * MAX_FL); // prefix products of Z for the batch inversion
const PRE_T = memory.data(4 * MAX_FL);

@inline function gTable<C>(): usize {
  return isP256<C>() ? GTAB_256 : GTAB_384;
}

/** Computes the affine table of odd multiples of G once per curve (public data). */
function ensureGTable<C>(): void {
  if (isP256<C>() ? gReady256 : gReady384) return;
  const L = FL<C>();
  const P3 = 3 * L;
  const g2 = slot(PRE_T, 0); // 3 slots: Jacobian 2G
  const inv = slot(PRE_T, 3);
  // Jacobian odd multiples: J[0] = G, J[i] = J[i-1] + 2G.
  fcopy<C>(PRE_J, baseX<C>());
  fcopy<C>(PRE_J + L, baseY<C>());
  fcopy<C>(PRE_J + 2 * L, ONE);
  jacDouble<C>(g2, PRE_J);
  for (let i = 1; i < G_COUNT; i++) {
    memory.copy(PRE_J + i * P3, PRE_J + (i - 1) * P3, P3);
    jacAddVT<C>(PRE_J + i * P3, PRE_J + i * P3, g2, false);
  }
  // Batch inversion of the Z coordinates (Montgomery's trick), then x = X / Z^2, y = Y / Z^3.
  fcopy<C>(PRE_Z, PRE_J + 2 * L);
  for (let i = 1; i < G_COUNT; i++) fmul<C>(PRE_Z + i * L, PRE_Z + (i - 1) * L, PRE_J + i * P3 + 2 * L);
  finv<C>(inv, PRE_Z + (G_COUNT - 1) * L);
  const tab = gTable<C>();
  const zi = slot(PRE_T, 1), zi2 = slot(PRE_T, 2);
  for (let i = G_COUNT - 1; i >= 0; i--) {
    if (i > 0) {
      fmul<C>(zi, inv, PRE_Z + (i - 1) * L); // 1 / Z_i
      fmul<C>(inv, inv, PRE_J + i * P3 + 2 * L); // 1 / (Z_0 ... Z_{i-1})
    } else {
      fcopy<C>(zi, inv);
    }
    fsqr<C>(zi2, zi);
    fmul<C>(tab + i * 2 * L, PRE_J + i * P3, zi2);
    fmul<C>(zi2, zi2, zi);
    fmul<C>(tab + i * 2 * L + L, PRE_J + i * P3 + L, zi2);
  }
  if (isP256<C>()) gReady256 = true;
  else gReady384 = true;
}

const NAF_G = memory.data(400); // i8 digits, one per bit position (up to 385)
const NAF_Q = memory.data(400);

/** Bit i of the little-endian limbs at k (0 beyond the top). */
@inline function bitAt(k: usize, i: i32, bits: i32): u32 {
  return i < bits ? (load<u32>(k + ((i >> 5) << 2)) >>> (i & 31)) & 1 : 0;
}

/**
 * Width-w NAF of k (NL limbs): out[i] in {0, +-1, +-3, ..., +-(2^(w-1) - 1)}, at most one nonzero digit
 * in any w consecutive positions; writes 32 NL + 1 digits. Variable time: public scalars only.
 */
function wnaf<C>(out: usize, k: usize, w: i32): void {
  const bits = NL<C>() * 32;
  const len = bits + 1;
  memory.fill(out, 0, <usize>len);
  let carry: u32 = 0;
  let i = 0;
  while (i < len) {
    if (bitAt(k, i, bits) == carry) {
      i++;
      continue;
    }
    // Window of w bits starting at i (the lowest is 1 after adding the carry).
    let word: i32 = 0;
    for (let j = w - 1; j >= 0; j--) word = (word << 1) | <i32>bitAt(k, i + j, bits);
    word += <i32>carry;
    carry = <u32>(word >> (w - 1)) & 1;
    word -= <i32>(carry << w);
    store<i8>(out + i, <i8>word);
    i += w;
  }
}

const VT_R = memory.data(3 * MAX_FL);
const VT_QTAB = memory.data(Q_COUNT * 3 * MAX_FL);
const VT_T = memory.data(2 * MAX_FL);

/**
 * Computes R = u1 G + u2 Q (Jacobian, into VT_R) for public scalars u1, u2 < n (limbs) and a valid
 * affine public point Q = (qx, qy); returns a pointer to R. VARIABLE TIME.
 */
export function doubleMulVT<C>(u1: usize, u2: usize, qx: usize, qy: usize): usize {
  const L = FL<C>();
  const P3 = 3 * L;
  ensureGTable<C>();
  const gtab = gTable<C>();
  // Odd multiples of Q: T[i] = (2i + 1) Q.
  const qtab = VT_QTAB;
  const q2 = VT_R; // temporarily holds 2Q
  fcopy<C>(qtab, qx);
  fcopy<C>(qtab + L, qy);
  fcopy<C>(qtab + 2 * L, ONE);
  jacDouble<C>(q2, qtab);
  for (let i = 1; i < Q_COUNT; i++) jacAddVT<C>(qtab + i * P3, qtab + (i - 1) * P3, q2, false);

  wnaf<C>(NAF_G, u1, G_WINDOW);
  wnaf<C>(NAF_Q, u2, Q_WINDOW);
  const R = VT_R;
  jacSetInfinity<C>(R);
  let started = false;
  for (let i = NL<C>() * 32; i >= 0; i--) {
    if (started) jacDouble<C>(R, R);
    const dq = <i32>load<i8>(NAF_Q + i);
    if (dq != 0) {
      const idx = (dq < 0 ? -dq : dq) >> 1;
      jacAddVT<C>(R, R, qtab + idx * P3, dq < 0);
      started = true;
    }
    const dg = <i32>load<i8>(NAF_G + i);
    if (dg != 0) {
      const idx = (dg < 0 ? -dg : dg) >> 1;
      jacAddAffineVT<C>(R, R, gtab + idx * 2 * L, gtab + idx * 2 * L + L, dg < 0);
      started = true;
    }
  }
  return R;
}

/**
 * ECDSA's final test on R = u1 G + u2 Q (Jacobian): true when R is not infinity and x(R) mod n == r
 * (r < n, limbs). Done projectively: X == r Z^2, or X == (r + n) Z^2 when r + n < p (x(R) can be >= n
 * since n < p). Variable time: public data only.
 */
export function jacXEqualsModN<C>(R: usize, r: usize): bool {
  const L = FL<C>();
  const N = NL<C>();
  const z = R + 2 * L;
  if (fisZeroVT<C>(z)) return false;
  const z2 = slot(VT_T, 0), t = slot(VT_T, 1);
  fsqr<C>(z2, z);
  fmul<C>(t, r, z2);
  if (fequal<C>(t, R) != 0) return true;
  // r + n < p ?
  fcopy<C>(t, r);
  if (addInPlace(t, orderN<C>(), N) != 0) return false;
  if (!ltVT(t, fieldP<C>(), N)) return false;
  fmul<C>(t, t, z2);
  return fequal<C>(t, R) != 0;
}
