// Test exports for the CSPRNG wiring (random.ts), with the entropy coming from the JS side.
import { setEntropySource, secureRandom } from "../random";

@external("env", "entropy")
declare function hostEntropy(out: usize, len: i32): void;

function fromHost(out: usize, len: i32): void {
  hostEntropy(out, len);
}

/** Re-seeds from the host on the next call (the tests set the host's entropy first). */
export function csprngReset(): void {
  setEntropySource(fromHost);
}

export function secureRandomBytes(out: usize, len: i32): void {
  secureRandom(out, len);
}
