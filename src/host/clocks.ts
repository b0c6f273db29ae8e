// wasi:clocks/monotonic-clock on performance.now(). A duration pollable becomes ready at its
// deadline; waiting on it sets one timer, created only when somebody waits.
import { Pollable } from './io.js';

export const now = (): bigint => BigInt(Math.round(performance.now() * 1e6));
export const resolution = (): bigint => 1000n;

export function subscribeDuration(ns: bigint): Pollable {
  if (ns <= 0n) return new Pollable(() => true, null);
  return new Pollable(() => true, null, performance.now() + Number(ns) / 1e6);
}

export function subscribeInstant(at: bigint): Pollable {
  return subscribeDuration(at - now());
}
