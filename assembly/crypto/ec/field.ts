// Generic layer over the two NIST prime fields (P-256 in p256.ts, P-384 in p384.ts).
//
// Curve selection is a compile-time type parameter: every generic function below is instantiated once
// per curve with C = P256 or C = P384, and the `isP256<C>()` tests fold to constants, so there is no
// run-time dispatch inside the arithmetic. Runtime curve ids (0 = P-256, 1 = P-384) are turned into
// type parameters once, at the API boundary (ecdh.ts, ecdsa.ts).
//
// Field elements and scalars are little-endian u32 limbs in linear memory: NL<C>() limbs,
// FL<C>() = 4 * NL<C>() bytes. Everything that touches secrets in this file is constant time
// (masks instead of branches, no secret-dependent addresses). The few variable-time helpers say so in
// their name (suffix VT) and are only used on public data.

import {
  p256Mul, p256Sqr, p256Add, p256Sub,
  P256_P, P256_N, P256_B, P256_GX, P256_GY, P256_N0, P256_NR2, P256_PM2,
} from './p256';
import {
  p384Mul, p384Sqr, p384Add, p384Sub,
  P384_P, P384_N, P384_B, P384_GX, P384_GY, P384_N0, P384_NR2, P384_PM2,
} from './p384';
import { load32be, store32be, wipe } from '../ct';

/** Curve tag for P-256 (secp256r1): used only as a type parameter, never instantiated. */
export class P256 {}
/** Curve tag for P-384 (secp384r1): used only as a type parameter, never instantiated. */
export class P384 {}

/** Runtime curve ids of the public API. */
export const CURVE_P256: i32 = 0;
export const CURVE_P384: i32 = 1;

/** Largest field element / scalar in bytes (P-384); scratch slots use this size. */
export const MAX_FL: i32 = 48;

@inline export function isP256<C>(): bool {
  return idof<C>() == idof<P256>();
}
/** Limbs per field element or scalar. */
@inline export function NL<C>(): i32 {
  return isP256<C>() ? 8 : 12;
}
/** Bytes per field element or scalar (also the byte length of encoded coordinates and scalars). */
@inline export function FL<C>(): i32 {
  return isP256<C>() ? 32 : 48;
}

// ---- constants -------------------------------------------------------------------------------------

@inline export function fieldP<C>(): usize { return isP256<C>() ? P256_P : P384_P; }
@inline export function orderN<C>(): usize { return isP256<C>() ? P256_N : P384_N; }
@inline export function curveB<C>(): usize { return isP256<C>() ? P256_B : P384_B; }
@inline export function baseX<C>(): usize { return isP256<C>() ? P256_GX : P384_GX; }
@inline export function baseY<C>(): usize { return isP256<C>() ? P256_GY : P384_GY; }
/** -n^-1 mod 2^32 (Montgomery constant for arithmetic modulo n). */
@inline export function orderN0<C>(): u32 { return isP256<C>() ? P256_N0 : P384_N0; }
/** R^2 mod n with R = 2^(32 NL). */
@inline export function orderR2<C>(): usize { return isP256<C>() ? P256_NR2 : P384_NR2; }
@inline function pMinus2<C>(): usize { return isP256<C>() ? P256_PM2 : P384_PM2; }

/** 48 zero bytes: the field element 0 for either curve. */
export const ZERO: usize = memory.data(48);
/** The field element 1 for either curve (limb 0 = 1, rest 0). */
export const ONE: usize = memory.data<u32>([1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

// ---- arithmetic mod p (constant time; inputs must be fully reduced; outputs may alias inputs) ------

/** r = a * b mod p. */
@inline export function fmul<C>(r: usize, a: usize, b: usize): void {
  if (isP256<C>()) p256Mul(r, a, b); else p384Mul(r, a, b);
}
/** r = a^2 mod p. */
@inline export function fsqr<C>(r: usize, a: usize): void {
  if (isP256<C>()) p256Sqr(r, a); else p384Sqr(r, a);
}
/** r = a + b mod p. */
@inline export function fadd<C>(r: usize, a: usize, b: usize): void {
  if (isP256<C>()) p256Add(r, a, b); else p384Add(r, a, b);
}
/** r = a - b mod p. */
@inline export function fsub<C>(r: usize, a: usize, b: usize): void {
  if (isP256<C>()) p256Sub(r, a, b); else p384Sub(r, a, b);
}
/** r = -a mod p. */
@inline export function fneg<C>(r: usize, a: usize): void {
  fsub<C>(r, ZERO, a);
}
const INV_TAB = memory.data(16 * MAX_FL);
const INV_ACC = memory.data(MAX_FL);

/**
 * r = a^-1 mod p (a^(p-2), Fermat), constant time in a: the exponent p - 2 is public, so the
 * fixed-window schedule (4-bit windows, skipped multiplications for zero windows) depends only on p.
 * Maps 0 to 0. The power table is wiped afterwards because a may be secret.
 */
export function finv<C>(r: usize, a: usize): void {
  const L = FL<C>();
  // INV_TAB[i] = a^i for i = 1..15.
  memory.copy(INV_TAB + L, a, L);
  for (let i = 2; i < 16; i++) fmul<C>(INV_TAB + i * L, INV_TAB + (i - 1) * L, a);
  const e = pMinus2<C>();
  const acc = INV_ACC;
  let started = false;
  for (let i = NL<C>() * 8 - 1; i >= 0; i--) {
    const nib = (load<u32>(e + ((i >> 3) << 2)) >>> ((i & 7) << 2)) & 15; // public exponent bits
    if (started) {
      fsqr<C>(acc, acc); fsqr<C>(acc, acc); fsqr<C>(acc, acc); fsqr<C>(acc, acc);
      if (nib != 0) fmul<C>(acc, acc, INV_TAB + nib * L);
    } else if (nib != 0) {
      memory.copy(acc, INV_TAB + nib * L, L);
      started = true;
    }
  }
  memory.copy(r, acc, L);
  wipe(INV_TAB, 16 * L);
  wipe(acc, L);
}

// ---- limb helpers ----------------------------------------------------------------------------------

/** r = a (one field element or scalar). */
@inline export function fcopy<C>(r: usize, a: usize): void {
  memory.copy(r, a, FL<C>());
}

/** All-ones when the element at a is zero, else 0. Constant time. */
export function fisZero<C>(a: usize): u32 {
  let acc: u32 = 0;
  for (let i = 0; i < NL<C>(); i++) acc |= load<u32>(a + (i << 2));
  return <u32>((<u64>acc - 1) >> 32);
}

/** All-ones when the elements at a and b are equal, else 0. Constant time. */
export function fequal<C>(a: usize, b: usize): u32 {
  let acc: u32 = 0;
  for (let i = 0; i < NL<C>(); i++) acc |= load<u32>(a + (i << 2)) ^ load<u32>(b + (i << 2));
  return <u32>((<u64>acc - 1) >> 32);
}

/** Variable-time zero test (public data only). */
export function fisZeroVT<C>(a: usize): bool {
  for (let i = 0; i < NL<C>(); i++) if (load<u32>(a + (i << 2)) != 0) return false;
  return true;
}

/** r = mask ? a : r, for mask all-ones or 0; `words` u32 words. Constant time. */
export function condCopy(r: usize, a: usize, words: i32, mask: u32): void {
  for (let i = 0; i < words; i++) {
    const o = <usize>(i << 2);
    const x = load<u32>(r + o);
    store<u32>(r + o, x ^ (mask & (x ^ load<u32>(a + o))));
  }
}

/** All-ones when a < m (both NL<C>() limbs), else 0. Constant time (borrow of a - m). */
export function ltMod<C>(a: usize, m: usize): u32 {
  let borrow: u64 = 0;
  for (let i = 0; i < NL<C>(); i++) {
    const o = <usize>(i << 2);
    const d = <u64>load<u32>(a + o) - <u64>load<u32>(m + o) - borrow;
    borrow = d >>> 63;
  }
  return <u32>(0 - borrow);
}

/** Reads FL<C>() big-endian bytes at src into limbs at r (no range check). */
export function bytesToLimbs<C>(r: usize, src: usize): void {
  const L = FL<C>();
  for (let i = 0; i < NL<C>(); i++) store<u32>(r + (i << 2), load32be(src + L - 4 - (i << 2)));
}

/** Writes the limbs at a as FL<C>() big-endian bytes at dst. */
export function limbsToBytes<C>(dst: usize, a: usize): void {
  const L = FL<C>();
  for (let i = 0; i < NL<C>(); i++) store32be(dst + L - 4 - (i << 2), load<u32>(a + (i << 2)));
}
