// Test-only Wasm exports for X25519 (called by src/crypto-testing.ts). Thin wrappers around the
// internal API in ../x25519.ts; not part of the component.
import { x25519 as x25519Internal, x25519Base as x25519BaseInternal, isAllZero32 as isAllZero32Internal } from '../x25519';

/** X25519(scalar, u) -> out: the argument order the JS door uses (scalar, u, out). */
export function x25519(scalarPtr: usize, uPtr: usize, outPtr: usize): void {
  x25519Internal(outPtr, scalarPtr, uPtr);
}

/** X25519(scalar, 9) -> out (public key from private key). No JS door wrapper yet: test/crypto/x25519.test.ts calls it directly. */
export function x25519Base(scalarPtr: usize, outPtr: usize): void {
  x25519BaseInternal(outPtr, scalarPtr);
}

/** 1 when the 32 bytes at p are all zero, else 0. No JS door wrapper yet: the test calls it directly. */
export function x25519IsAllZero32(p: usize): i32 {
  return isAllZero32Internal(p) ? 1 : 0;
}
