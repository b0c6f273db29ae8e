// The component's CSPRNG: one HMAC-DRBG (drbg.ts), seeded on first use with 48 bytes from the
// entropy source (wasi:random/random.get-random-bytes in the component), and reseeded from it
// every RESEED_EVERY generate calls. TLS draws client randoms and key shares from secureRandom().
//
// The entropy source is a plain function so the same code runs in the component (wasi:random) and
// in the test-only crypto module (a host function the tests control).

import { HmacDrbg } from "./drbg";
import { wipe } from "./ct";

/** Fills `len` bytes at `out` with entropy (the host's CSPRNG). */
export type EntropySource = (out: usize, len: i32) => void;

const SEED_LEN: i32 = 48; // 32 bytes of entropy + a 16-byte nonce (SP 800-90A, 256-bit strength)
const RESEED_EVERY: u32 = 1 << 16;
const seed: usize = memory.data(SEED_LEN);

let source: EntropySource | null = null;
let drbg: HmacDrbg | null = null;
let calls: u32 = 0;

/** Installs the entropy source; forgets any state seeded from a previous one. */
export function setEntropySource(f: EntropySource): void {
  source = f;
  const d = drbg;
  if (d != null) d.wipe();
  drbg = null;
}

/** Fills `len` bytes at `out` with cryptographically secure random bytes. */
export function secureRandom(out: usize, len: i32): void {
  const src = source;
  if (src == null) unreachable(); // no entropy source: never produce predictable "random" bytes
  let d = drbg;
  if (d == null) {
    src(seed, SEED_LEN);
    d = new HmacDrbg();
    d.instantiate(seed, 32, seed + 32, SEED_LEN - 32, 0, 0);
    wipe(seed, SEED_LEN);
    drbg = d;
    calls = 0;
  } else if (++calls >= RESEED_EVERY) {
    src(seed, 32);
    d.reseed(seed, 32, 0, 0);
    wipe(seed, 32);
    calls = 0;
  }
  d.generate(out, len);
}
