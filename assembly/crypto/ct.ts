// Constant-time helpers shared by every primitive in assembly/crypto/.
// Nothing here branches on, or indexes memory by, the secret values passed in.

/** All-ones (0xffffffff) when x == 0, else 0. */
@inline export function ctIsZero32(x: u32): u32 {
  return (((x | (0 - x)) >>> 31) - 1);
}

/** All-ones when a == b, else 0. */
@inline export function ctEq32(a: u32, b: u32): u32 {
  return ctIsZero32(a ^ b);
}

/** Selects a when mask is all-ones, b when mask is 0. */
@inline export function ctSelect32(mask: u32, a: u32, b: u32): u32 {
  return b ^ (mask & (a ^ b));
}

/** 1 when the n bytes at a and b are equal, 0 otherwise; time depends only on n. */
export function ctEqualBytes(a: usize, b: usize, n: i32): i32 {
  let acc: u32 = 0;
  for (let i = 0; i < n; i++) acc |= <u32>(load<u8>(a + i) ^ load<u8>(b + i));
  return <i32>(ctIsZero32(acc) & 1);
}

/** Overwrites n bytes at p with zeros in a way the optimiser keeps (stores through a volatile-like loop). */
export function wipe(p: usize, n: i32): void {
  // memory.fill is not elided by Binaryen for linear memory, which is observable by the host.
  memory.fill(p, 0, <usize>n);
}

/** Wipes a typed array's bytes. */
export function wipeArray(a: Uint8Array): void {
  memory.fill(a.dataStart, 0, <usize>a.length);
}

@inline export function load32be(p: usize): u32 {
  return bswap<u32>(load<u32>(p));
}
@inline export function store32be(p: usize, v: u32): void {
  store<u32>(p, bswap<u32>(v));
}
@inline export function load64be(p: usize): u64 {
  return bswap<u64>(load<u64>(p));
}
@inline export function store64be(p: usize, v: u64): void {
  store<u64>(p, bswap<u64>(v));
}
