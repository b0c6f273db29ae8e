// Arithmetic modulo the group order n, for ECDSA verification only.
//
// Every value handled here during verification is public (r, s, the message hash and values derived
// from them), so these routines are VARIABLE TIME and must not be used on secrets. Scalars are
// little-endian u32 limbs, like field elements.

import { NL, orderN, orderN0, orderR2 } from './field';

const MM_T = memory.data(4 * 16); // Montgomery accumulator: NL + 2 words
const MM_U = memory.data(4 * 16); // extra room for the R^2 conversion

/**
 * r = a * b * R^-1 mod n (Montgomery multiplication, CIOS, R = 2^(32 NL)); a, b < n; r may alias.
 * Variable time (final subtraction branches): public data only.
 */
export function montMulVT<C>(r: usize, a: usize, b: usize): void {
  const N = NL<C>();
  const n = orderN<C>();
  const n0 = orderN0<C>();
  const t = MM_T;
  memory.fill(t, 0, <usize>((N + 2) << 2));
  for (let i = 0; i < N; i++) {
    const bi = <u64>load<u32>(b + (i << 2));
    let c: u64 = 0;
    for (let j = 0; j < N; j++) {
      const o = <usize>(j << 2);
      const x = <u64>load<u32>(t + o) + <u64>load<u32>(a + o) * bi + c;
      store<u32>(t + o, <u32>x);
      c = x >> 32;
    }
    let x = <u64>load<u32>(t + (N << 2)) + c;
    store<u32>(t + (N << 2), <u32>x);
    store<u32>(t + ((N + 1) << 2), <u32>(x >> 32));
    // Add m * n so that the low word vanishes, then shift down one word.
    const m32: u32 = load<u32>(t) * n0; // mod 2^32 (a u64 context would widen the product)
    const m = <u64>m32;
    x = <u64>load<u32>(t) + m * <u64>load<u32>(n);
    c = x >> 32;
    for (let j = 1; j < N; j++) {
      const o = <usize>(j << 2);
      x = <u64>load<u32>(t + o) + m * <u64>load<u32>(n + o) + c;
      store<u32>(t + o - 4, <u32>x);
      c = x >> 32;
    }
    x = <u64>load<u32>(t + (N << 2)) + c;
    store<u32>(t + ((N - 1) << 2), <u32>x);
    store<u32>(t + (N << 2), load<u32>(t + ((N + 1) << 2)) + <u32>(x >> 32));
  }
  // t < 2n: subtract n once if t >= n.
  if (load<u32>(t + (N << 2)) != 0 || !ltVT(t, n, N)) subInPlace(t, n, N);
  memory.copy(r, t, <usize>(N << 2));
}

/** r = a * b mod n for plain (non-Montgomery) a, b < n. Variable time: public data only. */
export function mulModNVT<C>(r: usize, a: usize, b: usize): void {
  montMulVT<C>(MM_U, a, b); // a b R^-1
  montMulVT<C>(r, MM_U, orderR2<C>()); // a b
}

/** a -= n once when a >= n (a has NL limbs, a < 2n). Variable time: public data only. */
export function reduceOnceVT<C>(a: usize): void {
  const N = NL<C>();
  if (!ltVT(a, orderN<C>(), N)) subInPlace(a, orderN<C>(), N);
}

const INV_U = memory.data(4 * 13);
const INV_V = memory.data(4 * 13);
const INV_X1 = memory.data(4 * 13);
const INV_X2 = memory.data(4 * 13);

/**
 * r = a^-1 mod m for an odd modulus m (N limbs) and 0 < a < m with gcd(a, m) = 1, by the binary
 * extended Euclidean algorithm. Returns false (r untouched) for a = 0 or a non-invertible a.
 * VARIABLE TIME: public data only (ECDSA's s).
 */
export function modInvVT(r: usize, a: usize, m: usize, N: i32): bool {
  const u = INV_U, v = INV_V, x1 = INV_X1, x2 = INV_X2;
  const bytes = <usize>(N << 2);
  memory.copy(u, a, bytes);
  memory.copy(v, m, bytes);
  memory.fill(x1, 0, bytes);
  memory.fill(x2, 0, bytes);
  store<u32>(x1, 1);
  if (isZeroVT(u, N)) return false;
  while (!isOneVT(u, N) && !isOneVT(v, N)) {
    if (isZeroVT(u, N) || isZeroVT(v, N)) return false; // gcd(a, m) != 1
    while ((load<u32>(u) & 1) == 0) {
      shr1(u, N, 0);
      halveMod(x1, m, N);
    }
    while ((load<u32>(v) & 1) == 0) {
      shr1(v, N, 0);
      halveMod(x2, m, N);
    }
    if (!ltVT(u, v, N)) {
      subInPlace(u, v, N);
      subMod(x1, x2, m, N);
    } else {
      subInPlace(v, u, N);
      subMod(x2, x1, m, N);
    }
  }
  memory.copy(r, isOneVT(u, N) ? x1 : x2, bytes);
  return true;
}

// ---- small multi-limb helpers (variable time) ------------------------------------------------------

function isZeroVT(a: usize, N: i32): bool {
  for (let i = 0; i < N; i++) if (load<u32>(a + (i << 2)) != 0) return false;
  return true;
}

function isOneVT(a: usize, N: i32): bool {
  if (load<u32>(a) != 1) return false;
  for (let i = 1; i < N; i++) if (load<u32>(a + (i << 2)) != 0) return false;
  return true;
}

/** a < b (N limbs). */
export function ltVT(a: usize, b: usize, N: i32): bool {
  for (let i = N - 1; i >= 0; i--) {
    const x = load<u32>(a + (i << 2)), y = load<u32>(b + (i << 2));
    if (x != y) return x < y;
  }
  return false;
}

/** a -= b mod 2^(32N); returns the borrow. */
export function subInPlace(a: usize, b: usize, N: i32): u32 {
  let borrow: u64 = 0;
  for (let i = 0; i < N; i++) {
    const o = <usize>(i << 2);
    const d = <u64>load<u32>(a + o) - <u64>load<u32>(b + o) - borrow;
    store<u32>(a + o, <u32>d);
    borrow = d >>> 63;
  }
  return <u32>borrow;
}

/** a += b mod 2^(32N); returns the carry. */
export function addInPlace(a: usize, b: usize, N: i32): u32 {
  let c: u64 = 0;
  for (let i = 0; i < N; i++) {
    const o = <usize>(i << 2);
    const s = <u64>load<u32>(a + o) + <u64>load<u32>(b + o) + c;
    store<u32>(a + o, <u32>s);
    c = s >> 32;
  }
  return <u32>c;
}

/** a = (a >> 1) | (top << (32N - 1)). */
function shr1(a: usize, N: i32, top: u32): void {
  for (let i = 0; i < N - 1; i++) {
    const o = <usize>(i << 2);
    store<u32>(a + o, (load<u32>(a + o) >>> 1) | (load<u32>(a + o + 4) << 31));
  }
  const o = <usize>((N - 1) << 2);
  store<u32>(a + o, (load<u32>(a + o) >>> 1) | (top << 31));
}

/** x = x / 2 mod m (m odd, x < m). */
function halveMod(x: usize, m: usize, N: i32): void {
  if ((load<u32>(x) & 1) == 0) {
    shr1(x, N, 0);
  } else {
    const c = addInPlace(x, m, N);
    shr1(x, N, c);
  }
}

/** x = x - y mod m (x, y < m). */
function subMod(x: usize, y: usize, m: usize, N: i32): void {
  if (subInPlace(x, y, N) != 0) addInPlace(x, m, N);
}
