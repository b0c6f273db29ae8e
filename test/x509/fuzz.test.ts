// Robustness: seeded mutations of real-shaped certificate chains (bit flips, byte overwrites,
// truncations, extensions, DER length-byte corruption, spliced elements, inserted and deleted
// header bytes) through verifyServerChain, the trust-store parser and leafPublicKey. The module
// must never trap (an AssemblyScript abort or a Wasm RuntimeError would surface as a thrown
// error), every call must return quickly, and a chain whose leaf or intermediate was changed must
// never verify. Set X509_FUZZ_SEED / X509_FUZZ_ITERATIONS to vary it.
import { describe, it, expect, beforeAll } from 'vitest';
import { makePki, pemOf, type Pki } from '../helpers/pki.ts';
import { parseDer, allNodes } from '../helpers/der.ts';
import { TestRng } from '../crypto/vectors.ts';
import * as c from '../../src/crypto-testing.ts';

const NOW = 1_900_000_000;
const SEED = Number(process.env.X509_FUZZ_SEED ?? 0x5090);
const ITERATIONS = Number(process.env.X509_FUZZ_ITERATIONS ?? 10000);
const MAX_CALL_MS = 1000;

let pki: Pki;
let store: c.X509Store;
let chains: Uint8Array[][];

beforeAll(() => {
  pki = makePki([
    { id: 'root', subject: [['C', 'DE'], ['O', 'Fuzz'], ['CN', 'X509 Fuzz Root']], key: 'rsa2048', keyName: 'fuzz-root', ca: {}, keyUsage: ['keyCertSign'],
      nameConstraints: { permitted: ['DNS:fuzz.test', 'IP:10.0.0.0/8', 'IP:::/0', 'DirName:O=Fuzz,C=DE'], excluded: ['DNS:no.fuzz.test'] } },
    { id: 'int', subject: [['C', 'DE'], ['O', 'Fuzz'], ['CN', 'X509 Fuzz Int']], issuer: 'root', key: 'p256', ca: { pathLen: 1 }, keyUsage: ['keyCertSign', 'cRLSign'],
      eku: ['serverAuth', 'clientAuth'], extensions: [{ oid: '2.5.29.32', critical: false, hex: '300a3008060667810c010201' }] },
    { id: 'leaf', subject: [['C', 'DE'], ['O', 'Fuzz'], ['CN', 'www.fuzz.test']], issuer: 'int', key: 'p256',
      san: ['DNS:www.fuzz.test', 'DNS:*.a.fuzz.test', 'IP:10.1.2.3', 'IP:::1', 'DirName:CN=x,O=Fuzz,C=DE'], eku: ['serverAuth'], keyUsage: ['digitalSignature'] },
    { id: 'pssInt', subject: [['C', 'DE'], ['O', 'Fuzz'], ['CN', 'X509 Fuzz PSS Int']], issuer: 'root', key: 'rsa2048', keyName: 'fuzz-pss-int', ca: {}, pss: {} },
    { id: 'pssLeaf', subject: [['C', 'DE'], ['O', 'Fuzz'], ['CN', 'pss.fuzz.test']], issuer: 'pssInt', key: 'p384', san: ['DNS:pss.fuzz.test'], hash: 'sha384', pss: {} },
  ], { now: NOW });
  store = c.x509TrustStore([pki.pem('root')]);
  chains = [pki.der('leaf', 'int'), pki.der('pssLeaf', 'pssInt'), pki.der('leaf', 'int', 'root')];
}, 120_000);

/** The DER nodes of a buffer, or null when it is no longer valid DER (after an earlier mutation). */
function nodesOf(der: Uint8Array) {
  try {
    return allNodes(parseDer(der));
  } catch {
    return null;
  }
}

function mutate(rng: TestRng, der: Uint8Array, donor: Uint8Array): Uint8Array {
  const d = der.slice();
  const nodes = nodesOf(der);
  const donorNodes = nodesOf(donor);
  const tags = nodes ? nodes.map((n) => n.start) : [0];
  const lengths = nodes ? nodes.map((n) => n.start + 1) : [1];
  const pick = <T>(a: T[]) => a[rng.int(a.length)];
  // structure-aware mutations need parseable input; otherwise fall back to byte-level ones
  switch (nodes && donorNodes ? rng.int(10) : rng.int(4)) {
    case 0: { // flip 1-4 bits anywhere
      for (let k = 1 + rng.int(4); k > 0; k--) d[rng.int(d.length)] ^= 1 << rng.int(8);
      return d;
    }
    case 1: { // overwrite a byte
      d[rng.int(d.length)] = rng.int(256);
      return d;
    }
    case 2: return d.subarray(0, rng.int(d.length)); // truncate
    case 3: return Uint8Array.from([...d, ...rng.bytes(1 + rng.int(8))]); // trailing garbage
    case 4: { // corrupt a length byte with an interesting value
      d[pick(lengths)] = pick([0x00, 0x01, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0x89, 0xff, rng.int(256)]);
      return d;
    }
    case 5: { // +-1 on a length byte
      const p = pick(lengths);
      d[p] = (d[p] + (rng.int(2) ? 1 : 255)) & 0xff;
      return d;
    }
    case 6: { // change a tag
      d[pick(tags)] = pick([0x30, 0x31, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x17, 0x18, 0x1f, 0x80, 0x82, 0xa0, 0xa3, rng.int(256)]);
      return d;
    }
    case 7: { // insert or delete a byte at a header
      const p = pick(tags);
      return rng.int(2) ? Uint8Array.from([...d.subarray(0, p), rng.int(256), ...d.subarray(p)]) : Uint8Array.from([...d.subarray(0, p), ...d.subarray(p + 1)]);
    }
    case 8: { // splice an element of another certificate over one of this one
      const a = pick(nodes!);
      const b = pick(donorNodes!);
      return Uint8Array.from([...d.subarray(0, a.start), ...donor.subarray(b.start, b.end), ...d.subarray(a.end)]);
    }
    default: { // several byte overwrites inside one element's content
      const n = pick(nodes!);
      for (let k = 0; k < 3; k++) if (n.end > n.contentStart) d[n.contentStart + rng.int(n.end - n.contentStart)] = rng.int(256);
      return d;
    }
  }
}

/** Runs f; fails the test on a trap-shaped error or a slow call; returns f's value. */
function guarded<T>(what: string, f: () => T, slow: { max: number }): T | Error {
  const t0 = performance.now();
  let out: T | Error;
  try {
    out = f();
  } catch (e) {
    out = e as Error;
  }
  const ms = performance.now() - t0;
  slow.max = Math.max(slow.max, ms);
  if (ms > MAX_CALL_MS) throw new Error(`${what}: one call took ${ms.toFixed(0)} ms`);
  if (out instanceof WebAssembly.RuntimeError || (out instanceof Error && /wasm abort|unreachable|out of bounds|RuntimeError/.test(`${out.name} ${out.message}`))) {
    throw new Error(`${what}: the module trapped: ${out.message}`);
  }
  return out;
}

describe('mutation fuzzing (seed ' + SEED + ')', () => {
  it(`verifyServerChain never traps or hangs on ${ITERATIONS} mutated chains`, () => {
    const rng = new TestRng(SEED);
    const counts: Record<string, number> = {};
    const messages = new Set<string>();
    const slow = { max: 0 };
    const t0 = performance.now();
    for (let i = 0; i < ITERATIONS; i++) {
      const original = chains[rng.int(chains.length)];
      const chain = original.slice();
      const k = rng.int(10) < 7 ? 0 : rng.int(chain.length); // mostly the leaf
      chain[k] = mutate(rng, chain[k], chains[rng.int(chains.length)][rng.int(2)]);
      if (rng.int(20) === 0) chain[k] = mutate(rng, chain[k], chain[0]); // sometimes twice
      const host = ['www.fuzz.test', 'x.a.fuzz.test', 'pss.fuzz.test'][rng.int(3)];
      const r = guarded(`iteration ${i}`, () => c.x509Verify(chain, { host, now: NOW, store }), slow);
      if (r instanceof Error) throw r;
      counts[r.status] = (counts[r.status] ?? 0) + 1;
      // integrity: Ok only when the leaf and intermediate are unchanged (the appended root is not on the path)
      if (r.status === 'Ok' && k < 2) expect(Buffer.compare(chain[k], original[k]), `iteration ${i}: ${r.message}`).toBe(0);
      messages.add(r.message.replace(/'[^']*'/g, "'…'").replace(/\d+/g, 'N').slice(0, 60));
    }
    const seconds = (performance.now() - t0) / 1000;
    console.log(`x509 fuzz: ${ITERATIONS} chains in ${seconds.toFixed(1)} s (slowest call ${slow.max.toFixed(1)} ms), outcomes ${JSON.stringify(counts)}, ${messages.size} distinct message shapes`);
    // the mutations reach every layer: parse errors, signature failures, path and policy failures
    expect(counts.Invalid).toBeGreaterThan(ITERATIONS / 4);
    expect([...messages].some((m) => m.startsWith("the server's certificate is malformed"))).toBe(true);
    expect([...messages].some((m) => m.includes('does not verify'))).toBe(true);
    expect(Object.keys(counts).length).toBeGreaterThanOrEqual(3);
    expect(seconds).toBeLessThan(20);
  });

  it('the trust-store parser and leafPublicKey never trap on 1,500 mutated certificates and PEM texts', () => {
    const rng = new TestRng(SEED + 1);
    const slow = { max: 0 };
    let loaded = 0, refused = 0;
    for (let i = 0; i < 1500; i++) {
      const base = [pki.get('root').der, pki.get('int').der, pki.get('pssLeaf').der][rng.int(3)];
      const m = mutate(rng, base, pki.get('leaf').der);
      let blob: string | Uint8Array = m;
      if (rng.int(3) === 0) {
        const pem = pemOf(m).split('');
        for (let k = rng.int(4); k > 0; k--) pem[rng.int(pem.length)] = String.fromCharCode(rng.int(128));
        blob = pem.join('');
      }
      const s = guarded(`store ${i}`, () => c.x509TrustStore([blob]), slow);
      if (s instanceof Error) refused++; else loaded++;
      guarded(`leafPublicKey ${i}`, () => c.x509LeafKey(m), slow);
      guarded(`parse ${i}`, () => c.x509ParseError(m), slow);
    }
    console.log(`x509 store fuzz: ${loaded} loaded, ${refused} refused (slowest call ${slow.max.toFixed(1)} ms)`);
    expect(loaded).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(0);
  });

  it('still verifies the unmutated chains afterwards (the instance was not corrupted)', () => {
    expect(c.x509Verify(chains[0], { host: 'www.fuzz.test', now: NOW, store }).status).toBe('Ok');
    expect(c.x509Verify(chains[1], { host: 'pss.fuzz.test', now: NOW, store }).status).toBe('Ok');
  });
});
