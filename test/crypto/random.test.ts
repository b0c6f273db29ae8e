// The component's CSPRNG wiring (assembly/crypto/random.ts): seeded from the entropy source
// (wasi:random in the component), HMAC-DRBG output, never repeating across calls or seedings.
import { describe, it, expect } from 'vitest';
import * as c from '../../src/crypto-testing.ts';
import { TestRng } from './vectors.ts';

describe('secureRandom', () => {
  it('with a fixed 48-byte seed, its output is HMAC-DRBG instantiated on entropy||nonce (known answer via csprngBytes)', () => {
    const seed = new TestRng(7).bytes(48);
    // HMAC-DRBG seeds with entropy || nonce || personalization, so instantiate(seed[0..32], seed[32..48], "")
    // equals instantiate(seed, "", ""), which is what csprngBytes does.
    expect(c.secureRandomAfterReseed(100, seed)).toEqual(c.csprngBytes(seed, 100));
  });

  it('successive calls continue the stream instead of repeating it', () => {
    const seed = new TestRng(8).bytes(48);
    const first = c.secureRandomAfterReseed(64, seed);
    const second = c.secureRandomNext(64);
    expect(second).not.toEqual(first);
    // the second output is what a DRBG gives for its second request (two generate calls)
    expect(first).toEqual(c.csprngBytes(seed, 64));
  });

  it('two seedings from fresh entropy give different streams', () => {
    const a = c.secureRandomAfterReseed(32);
    const b = c.secureRandomAfterReseed(32);
    expect(a).not.toEqual(b);
    expect(a.some((x) => x !== 0)).toBe(true);
  });
});
