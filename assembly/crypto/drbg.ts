// HMAC_DRBG (NIST SP 800-90A Rev. 1, section 10.1.2) with HMAC-SHA-256, no prediction resistance.
// This is the component's CSPRNG: the lead seeds it from wasi:random/random; this file only takes
// bytes.
//
// Internal API:
//   const rng = new HmacDrbg();
//   rng.instantiate(entropy, entropyLen, nonce, nonceLen, pers, persLen)   (10.1.2.3)
//   rng.reseed(entropy, entropyLen, addl, addlLen)                          (10.1.2.4)
//   rng.generate(out, len)                                                   (10.1.2.5)
//       any len >= 0: split internally into requests of at most 65536 bytes (the SP's
//       max_number_of_bits_per_request, 2^19 bits), each a complete Generate call with its own
//       state update and reseed-counter step; no additional input.
//   rng.needsReseed(): bool    true after 2^48 requests (the SP's reseed_interval); generate()
//                              traps instead of producing output past that point
//   rng.wipe()                 zeroes K and V; instantiate() again before further use
//
// Seeding: the caller provides at least 32 bytes of entropy (security strength 256 bits) and
// ideally a 16-byte nonce, as SP 800-90A asks; this code does not judge entropy and accepts any
// lengths (the known-answer tests use arbitrary seeds).
//
// Constant time: K and V only flow through HMAC-SHA-256 (constant time); branches depend on the
// requested lengths and the request counter only.

import { HASH_SHA256 } from "./sha2";
import { Hmac } from "./hmac";
import { wipe } from "./ct";

const OUTLEN: i32 = 32;
const MAX_REQUEST: i32 = 65536; // bytes per Generate request (2^19 bits)
const RESEED_INTERVAL: u64 = (<u64>1) << 48; // requests between reseeds (SP 800-90A, Table 2)

const ZERO: usize = memory.data<u8>([0x00]);
const ONE: usize = memory.data<u8>([0x01]);

export class HmacDrbg {
  private mac: Hmac = new Hmac(HASH_SHA256);
  private key: StaticArray<u8> = new StaticArray<u8>(OUTLEN); // K
  private v: StaticArray<u8> = new StaticArray<u8>(OUTLEN); // V
  private reseedCounter: u64 = 0; // 0 = not instantiated

  /**
   * HMAC_DRBG_Update (10.1.2.2) with provided_data = d1 | d2 | d3 (given as pieces so the seed
   * material need not be concatenated). Invariant kept by every method: between calls, `mac` is
   * keyed with the current K, so generating costs two compressions per 32-byte block.
   */
  private update(d1: usize, l1: i32, d2: usize, l2: i32, d3: usize, l3: i32): void {
    const k = changetype<usize>(this.key);
    const v = changetype<usize>(this.v);
    const m = this.mac;
    const empty = l1 + l2 + l3 == 0;
    for (let round = 0; round < 2; round++) {
      // K = HMAC(K, V | 0x00 | provided_data)  (0x01 in the second round)
      m.reset();
      m.update(v, OUTLEN);
      m.update(round == 0 ? ZERO : ONE, 1);
      m.update(d1, l1);
      m.update(d2, l2);
      m.update(d3, l3);
      m.finish(k);
      // V = HMAC(K, V)
      m.init(HASH_SHA256, k, OUTLEN);
      m.update(v, OUTLEN);
      m.finish(v);
      if (empty) break;
    }
  }

  /** Instantiate (10.1.2.3): seed_material = entropy | nonce | personalization. */
  instantiate(entropy: usize, entropyLen: i32, nonce: usize, nonceLen: i32, pers: usize, persLen: i32): void {
    memory.fill(changetype<usize>(this.key), 0x00, OUTLEN);
    memory.fill(changetype<usize>(this.v), 0x01, OUTLEN);
    this.mac.init(HASH_SHA256, changetype<usize>(this.key), OUTLEN);
    this.update(entropy, entropyLen, nonce, nonceLen, pers, persLen);
    this.reseedCounter = 1;
  }

  /** Reseed (10.1.2.4): seed_material = entropy | additional_input. */
  reseed(entropy: usize, entropyLen: i32, addl: usize, addlLen: i32): void {
    assert(this.reseedCounter != 0, "HmacDrbg: not instantiated");
    this.update(entropy, entropyLen, addl, addlLen, 0, 0);
    this.reseedCounter = 1;
  }

  /** True when the next request would exceed the reseed interval (reseed before generating). */
  needsReseed(): bool {
    return this.reseedCounter > RESEED_INTERVAL;
  }

  /** Writes len pseudorandom bytes to out, as ceil(len / 65536) Generate requests. */
  generate(out: usize, len: i32): void {
    assert(this.reseedCounter != 0, "HmacDrbg: not instantiated");
    while (len > 0) {
      const n = min(len, MAX_REQUEST);
      this.generateRequest(out, n);
      out += <usize>n;
      len -= n;
    }
  }

  /** One Generate call (10.1.2.5) without additional input, 1..65536 bytes. */
  private generateRequest(out: usize, len: i32): void {
    // Past the reseed interval the SP requires a reseed; with no entropy source here, refuse.
    assert(this.reseedCounter <= RESEED_INTERVAL, "HmacDrbg: reseed required");
    const v = changetype<usize>(this.v);
    const m = this.mac; // keyed with K (see update)
    let done = 0;
    while (done < len) {
      // V = HMAC(K, V); output V (the last block truncated).
      m.update(v, OUTLEN);
      m.finish(v);
      const n = min(OUTLEN, len - done);
      memory.copy(out + <usize>done, v, <usize>n);
      done += n;
    }
    this.update(0, 0, 0, 0, 0, 0);
    this.reseedCounter++;
  }

  /** Zeroes K, V and the HMAC state; the generator must be instantiated again before use. */
  wipe(): void {
    wipe(changetype<usize>(this.key), OUTLEN);
    wipe(changetype<usize>(this.v), OUTLEN);
    this.mac.wipe();
    this.reseedCounter = 0;
  }
}
