// The time certificates are checked against: wasi:clocks/wall-clock in the component, an injected
// clock in tests (RFC 8448's certificate expired in 2026; a replay needs its own "now").

export type Clock = () => i64;

let clock: Clock | null = null;

/** Installs the clock (Unix seconds). */
export function setClock(f: Clock): void { clock = f; }

/** Unix time in seconds. */
export function nowSeconds(): i64 {
  const c = clock;
  if (c == null) unreachable(); // never verify a certificate against an unknown time
  return c();
}

/** A monotonic clock in milliseconds, for ticket ages (the wall clock in tests). */
export type MonoClock = () => i64;
let mono: MonoClock | null = null;
export function setMonotonicClock(f: MonoClock): void { mono = f; }
export function nowMillis(): i64 {
  const m = mono;
  if (m != null) return m();
  return nowSeconds() * 1000;
}
