// Test exports for the CSPRNG wiring (random.ts). The tests hand in the entropy (48 bytes) that the
// entropy source then delivers, standing in for wasi:random.
import { setEntropySource, secureRandom } from "../random";

const testSeed: usize = memory.data(48);

function fromTestSeed(out: usize, len: i32): void {
  memory.copy(out, testSeed, <usize>min(len, 48));
}

/** Installs a source that delivers these 48 bytes, which forces a fresh seeding on the next call. */
export function csprngReset(seedPtr: usize, seedLen: i32): void {
  memory.copy(testSeed, seedPtr, <usize>min(seedLen, 48));
  setEntropySource(fromTestSeed);
}

export function secureRandomBytes(out: usize, len: i32): void {
  secureRandom(out, len);
}
