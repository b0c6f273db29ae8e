// Robustness of the TLS client against hostile server flights (seeded, bounded):
//  1. in memory: the RFC 8448 server flight, decrypted, mutated (bit flips, bad lengths, wrong
//     order, dropped / duplicated / foreign messages, odd record splits) and re-encrypted under the
//     RFC's server handshake key so that the parsers behind the record layer see the damage; the
//     engine must never trap, must fail with a TLS error (or, for a truncated flight, keep
//     waiting), and its memory must not grow;
//  2. through connect(): a server that answers each ClientHello with a mutated recording of a real
//     OpenSSL flight and then closes; every socket must fail with a SocketError, nothing may hang,
//     and the process's one component instance must still make good connections afterwards.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import net from 'node:net';
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { connect, SocketError } from 'wasi-connect';
import { TestTlsClient } from 'wasi-connect/tls-testing';
import * as V from './rfc8448-vectors.js';
import { makePki, type Pki } from '../helpers/pki.js';
import { opensslServer, type ProcessPeer } from '../helpers/tls-peers.js';

/** A small seeded PRNG (mulberry32): the same seed gives the same mutations. */
function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] };
}
type Rng = ReturnType<typeof rng>;

const concat = (...p: Uint8Array[]) => new Uint8Array(Buffer.concat(p));

function nonce(iv: Uint8Array, seq: number): Uint8Array {
  const n = iv.slice();
  n[11] ^= seq & 0xff;
  n[10] ^= (seq >> 8) & 0xff;
  return n;
}
function seal(inner: Uint8Array, seq: number): Uint8Array {
  const len = inner.length + 16;
  const header = new Uint8Array([23, 3, 3, len >> 8, len & 0xff]);
  const c = createCipheriv('aes-128-gcm', V.SERVER_HS_KEY, nonce(V.SERVER_HS_IV, seq));
  c.setAAD(header);
  return concat(header, c.update(inner), c.final(), c.getAuthTag());
}
function flightPlaintext(): Uint8Array {
  const r = V.SERVER_FLIGHT_RECORD;
  const d = createDecipheriv('aes-128-gcm', V.SERVER_HS_KEY, V.SERVER_HS_IV);
  d.setAAD(r.subarray(0, 5));
  d.setAuthTag(r.subarray(r.length - 16));
  const p = concat(d.update(r.subarray(5, r.length - 16)), d.final());
  return p.subarray(0, p.length - 1); // without the inner content type
}
function splitMessages(b: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < b.length; ) {
    const n = 4 + ((b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3]);
    out.push(b.slice(i, i + n));
    i += n;
  }
  return out;
}

/** Handshake bytes -> protected records, split at the given sizes (each record its own sequence number). */
function records(handshake: Uint8Array, sizes: number[], innerType = 22): Uint8Array {
  const parts: Uint8Array[] = [];
  let off = 0;
  let seq = 0;
  for (const s of sizes) {
    if (off >= handshake.length) break;
    const piece = handshake.subarray(off, Math.min(handshake.length, off + s));
    parts.push(seal(concat(piece, new Uint8Array([innerType])), seq++));
    off += piece.length;
  }
  if (off < handshake.length) parts.push(seal(concat(handshake.subarray(off), new Uint8Array([innerType])), seq++));
  return concat(...parts);
}

const MESSAGES = splitMessages(flightPlaintext()); // EE, Certificate, CertificateVerify, Finished
const FOREIGN = [
  new Uint8Array([4, 0, 0, 0]), // an empty NewSessionTicket
  new Uint8Array([24, 0, 0, 1, 0]), // KeyUpdate
  new Uint8Array([13, 0, 0, 4, 0, 0, 0, 0]), // CertificateRequest without extensions
  new Uint8Array([2, 0, 0, 2, 3, 3]), // a second ServerHello, cut short
  new Uint8Array([99, 0, 0, 0]), // an unknown type
];

type Mutation = { name: string; sh: Uint8Array; flight: Uint8Array; truncated?: boolean; changed: boolean };

const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

function mutate(r: Rng): Mutation {
  const msgs = MESSAGES.map((m) => m.slice());
  let sh = V.SERVER_HELLO_RECORD.slice();
  const kind = r.int(9);
  const corrupt = (b: Uint8Array) => {
    const at = r.int(b.length);
    b[at] = r.pick([0, 0xff, b[at] + 1, b[at] - 1, r.int(256)]) & 0xff;
  };
  let name: string;
  switch (kind) {
    case 0: { // bit flips in one message
      const m = msgs[r.int(msgs.length)];
      for (let i = 1 + r.int(3); i > 0; i--) m[r.int(m.length)] ^= 1 << r.int(8);
      name = 'bit flips';
      break;
    }
    case 1: { // a length field (message header, or an inner vector length) made wrong
      const m = msgs[r.int(msgs.length)];
      if (r.next() < 0.5) corrupt(m.subarray(1, 4));
      else corrupt(m.subarray(4, Math.min(m.length, 16)));
      name = 'bad length';
      break;
    }
    case 2: { // wrong order
      const i = r.int(msgs.length);
      const j = r.int(msgs.length);
      [msgs[i], msgs[j]] = [msgs[j], msgs[i]];
      name = 'swapped messages';
      break;
    }
    case 3: // a message dropped
      msgs.splice(r.int(msgs.length), 1);
      name = 'dropped message';
      break;
    case 4: { // a message duplicated, or a foreign one inserted
      const at = r.int(msgs.length + 1);
      msgs.splice(at, 0, r.next() < 0.5 ? msgs[r.int(msgs.length)].slice() : FOREIGN[r.int(FOREIGN.length)].slice());
      name = 'extra message';
      break;
    }
    case 5: // the ServerHello damaged
      for (let i = 1 + r.int(3); i > 0; i--) corrupt(sh.subarray(5));
      name = 'ServerHello';
      break;
    case 6: { // the ServerHello's record header damaged (not legacy_record_version's minor byte, which is ignored)
      const at = r.pick([0, 1, 3, 4]);
      const before = sh[at];
      corrupt(sh.subarray(at, at + 1));
      if (sh[at] === before) sh[at] ^= 0x80;
      name = 'record header';
      break;
    }
    default:
      name = 'intact, odd record splits';
  }
  const hs = concat(...msgs);
  const sizes = Array.from({ length: 1 + r.int(6) }, () => 1 + r.int(400));
  const innerType = kind === 7 && r.next() < 0.3 ? r.pick([21, 20, 0, 24, 255]) : 22;
  let flight = records(hs, sizes, innerType);
  let changed = !same(hs, concat(...MESSAGES)) || !same(sh, V.SERVER_HELLO_RECORD) || innerType !== 22;
  if (kind === 8) {
    // truncated: the whole stream cut somewhere
    const all = concat(sh, flight);
    const cut = r.int(all.length);
    return { name: 'truncated', sh: all.subarray(0, Math.min(cut, sh.length)), flight: all.subarray(Math.min(cut, sh.length), cut), truncated: true, changed: true };
  }
  if (kind === 7 && r.next() < 0.3) {
    flight = concat(flight, new Uint8Array([r.pick([20, 21, 22, 23, 99]), 3, 3, r.int(256), r.int(256)]));
    name = 'trailing junk';
  }
  return { name, sh, flight, changed };
}

describe('mutated server flights (in memory, RFC 8448 flight re-encrypted under its key)', () => {
  it('never traps, always fails with a TLS error or keeps waiting for a truncated flight, and does not grow', () => {
    const N = 3000;
    const outcomes = new Map<string, number>();
    let memoryAfterWarmup = 0;
    let memory = 0;
    for (let seed = 1; seed <= N; seed++) {
      const r = rng(seed);
      const m = mutate(r);
      const c = new TestTlsClient({
        name: 'server', verify: false, now: Date.UTC(2020, 0, 1) / 1000,
        fixedRandom: V.CLIENT_HELLO.subarray(6, 38), fixedKey: V.CLIENT_PRIVATE, fixedHello: V.CLIENT_HELLO,
      });
      try {
        c.start();
        c.output();
        const all = concat(m.sh, m.flight);
        const step = 1 + r.int(all.length + 1);
        for (let i = 0; i < all.length && c.status === 'handshaking'; i += step) c.feed(all.subarray(i, i + step));
      } catch (e) {
        throw new Error(`seed ${seed} (${m.name}): the engine trapped: ${(e as Error).message}`);
      }
      const st = c.status;
      const f = c.failure;
      if (st === 'failed') {
        expect(f?.code, `seed ${seed} (${m.name})`).toMatch(/^TLS_/);
        expect(f?.message.length).toBeGreaterThan(10);
      } else if (st === 'open') {
        // only a flight whose bytes survived intact may complete
        expect(m.changed, `seed ${seed} (${m.name}) opened though its bytes changed`).toBe(false);
      } else {
        // waiting for more: only a flight that ends early (truncated, or a length made larger)
        expect(m.changed, `seed ${seed} (${m.name}) waits though nothing changed`).toBe(true);
      }
      const key = `${m.name}: ${st === 'failed' ? f!.code : st}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      if (seed === 500) memoryAfterWarmup = c.memoryBytes;
      memory = c.memoryBytes;
    }
    console.log([...outcomes].sort().map(([k, n]) => `${n}\t${k}`).join('\n'));
    // the harness really reaches the parsers: most mutations fail, and intact flights open
    expect([...outcomes.keys()].some((k) => k.startsWith('intact, odd record splits: open'))).toBe(true);
    expect([...outcomes].filter(([k]) => k.includes(': TLS_')).reduce((s, [, n]) => s + n, 0)).toBeGreaterThan(N / 2);
    expect(memory - memoryAfterWarmup).toBeLessThanOrEqual(1 << 20);
  }, 60_000);
});

for (const version of ['TLSv1.3', 'TLSv1.2'] as const) describe(`mutated ${version} server flights through connect() (a replaying server, then FIN)`, () => {
  let pki: Pki;
  let real: ProcessPeer;
  let recorded: Uint8Array;
  let replay: net.Server;
  let replayPort = 0;
  let seedCounter = 0;

  beforeAll(async () => {
    pki = makePki([{ id: 'leaf', subject: 'localhost', key: 'p256', san: ['DNS:localhost'], eku: ['serverAuth'] }]);
    real = await opensslServer({ cert: pki.get('leaf').certPath, key: pki.get('leaf').keyPath, mode: 'rev', version: version === 'TLSv1.2' ? ['-tls1_2'] : ['-tls1_3'] });
    // record a real server flight: relay one handshake and keep what the server sent first
    recorded = await new Promise<Uint8Array>((resolve) => {
      const chunks: Buffer[] = [];
      const relay = net.createServer((client) => {
        const up = net.connect(real.port, '127.0.0.1');
        client.pipe(up);
        up.on('data', (d) => {
          chunks.push(d);
          client.write(d);
        });
        client.on('error', () => {});
        up.on('error', () => {});
      });
      relay.listen(0, '127.0.0.1', async () => {
        const s = connect(`localhost:${(relay.address() as net.AddressInfo).port}`, { secureTransport: 'on', ca: pki.pem('leaf') });
        await s.opened;
        await s.close();
        relay.close();
        resolve(new Uint8Array(Buffer.concat(chunks)));
      });
    });
    replay = net.createServer((sock) => {
      sock.on('error', () => {});
      const r = rng((version === 'TLSv1.2' ? 5000 : 1000) + seedCounter++);
      sock.once('data', () => {
        const b = recorded.slice();
        const kind = r.int(4);
        let out: Uint8Array = b;
        if (kind === 0) for (let i = 1 + r.int(4); i > 0; i--) b[r.int(b.length)] ^= 1 << r.int(8);
        else if (kind === 1) out = b.subarray(0, r.int(b.length));
        else if (kind === 2) { const at = r.int(b.length); b[at] = r.int(256); }
        else out = new TextEncoder().encode('HTTP/1.1 400 Bad Request\r\n\r\n');
        sock.end(out);
      });
    });
    await new Promise<void>((r) => replay.listen(0, '127.0.0.1', () => r()));
    replayPort = (replay.address() as net.AddressInfo).port;
  }, 60_000);
  afterAll(async () => {
    replay?.close();
    await real?.stop();
  });

  it('every socket fails with a SocketError (none hangs), and good connections still work afterwards', async () => {
    const N = 200;
    const codes = new Map<string, number>();
    for (let batch = 0; batch < N; batch += 20) {
      const results = await Promise.all(
        Array.from({ length: 20 }, async () => {
          const s = connect(`localhost:${replayPort}`, { secureTransport: 'on', ca: pki.pem('leaf') });
          const err = await s.opened.then(() => null, (e) => e);
          await s.closed.catch(() => {});
          return err;
        }),
      );
      for (const e of results) {
        expect(e).toBeInstanceOf(SocketError);
        codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
      }
    }
    console.log([...codes].map(([k, n]) => `${n}\t${k}`).join('\n'));
    expect([...codes.keys()].every((c) => c.startsWith('TLS_'))).toBe(true);
    // the component instance is healthy: a real handshake and echo
    const s = connect(`localhost:${real.port}`, { secureTransport: 'on', ca: pki.pem('leaf') });
    await s.opened;
    const rd = s.readable.getReader();
    await s.writable.getWriter().write(new TextEncoder().encode('still fine\n'));
    expect(new TextDecoder().decode((await rd.read()).value)).toBe('enif llits\n');
    await s.close();
  }, 120_000);
});
