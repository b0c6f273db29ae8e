// The component's own exports, called directly through the jco bundle: every lifted and lowered
// type of the hand-written canonical-ABI glue (strings, lists, records, options, variants,
// results, own pollables) and the state machine's non-blocking contract.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import net from 'node:net';
import tls from 'node:tls';
import { connect, parseAddress, addTrustAnchors } from 'wasi-connect/component';
import { makePki } from './helpers/pki.js';
import type { Pollable } from '../dist/src/host/io.js';
import { liveResources } from '../dist/src/host/io.js';

const tlsOff = { alpn: [] as string[], ca: [] as Uint8Array[], switches: {}, minVersion: 'tls12' as const, maxVersion: 'tls13' as const };
const opts = { secureTransport: 'off' as const, allowHalfOpen: false, tls: tlsOff, connectTimeoutMs: 0 };

/** Waits on a pollable, or on any of a pending list (poll-open), and drops them. */
async function wait(p: unknown) {
  const list = (Array.isArray(p) ? p : [p]) as Pollable[];
  await Promise.race(list.map((x) => x.wait()));
  for (const x of list) x[Symbol.dispose]();
}

function payloadOf(fn: () => unknown): any {
  try {
    fn();
  } catch (e) {
    return (e as { payload?: unknown }).payload;
  }
  throw new Error('expected the call to return an error');
}

let server: net.Server;
let port = 0;
const accepted: net.Socket[] = [];
beforeAll(async () => {
  server = net.createServer({ allowHalfOpen: true }, (s) => {
    accepted.push(s);
    s.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(() => server.close());

describe('parse-address', () => {
  it.each([
    ['example.com:443', 'example.com', 443],
    ['127.0.0.1:1', '127.0.0.1', 1],
    ['[::1]:65535', '::1', 65535],
    ['[2001:db8::8a2e:370:7334]:80', '2001:db8::8a2e:370:7334', 80],
    ['[::ffff:192.0.2.1]:25', '::ffff:192.0.2.1', 25],
    ['a-b_c.example.:8080', 'a-b_c.example.', 8080],
  ])('accepts %s', (text, host, p) => {
    expect(parseAddress(text)).toEqual([host, p]);
  });

  it.each([
    ['', 'address is empty'],
    ['host', "missing ':port'"],
    ['::1:80', 'must be written in brackets'],
    ['[::1]', "expected ':port'"],
    ['[::g]:80', 'is not an IPv6 address'],
    ['host:080', 'is not an integer from 1 to 65535'],
    ['host:99999', 'is not an integer from 1 to 65535'],
    ['h\u00e9llo:80', 'punycode'],
    ['300.1.1.1:80', 'is not a valid IPv4 address'],
  ])('rejects %j with a reason', (text, reason) => {
    const e = payloadOf(() => parseAddress(text));
    expect(e.code).toBe('invalid-address');
    expect(e.message).toContain(reason);
  });
});

describe('socket resource', () => {
  it('opens through pending -> opened, reporting both addresses', async () => {
    const s = connect('127.0.0.1', port, opts);
    let st = s.pollOpen();
    expect(st.tag).toBe('pending');
    while (st.tag === 'pending') {
      await wait(st.val);
      st = s.pollOpen();
    }
    expect(st.tag).toBe('opened');
    if (st.tag !== 'opened') return;
    expect(st.val.remoteAddress).toBe(`127.0.0.1:${port}`);
    expect(st.val.localAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(st.val.alpn).toBeUndefined();
    s.close();
    s[Symbol.dispose]();
  });

  it('never blocks: with nothing to read, read says would-block; one reusable pollable waits for the data', async () => {
    const t = connect('127.0.0.1', port, opts);
    for (let st = t.pollOpen(); st.tag === 'pending'; st = t.pollOpen()) await wait(st.val);
    expect(t.read(100)).toEqual({ tag: 'would-block' });
    const readable = t.subscribeRead() as unknown as Pollable;
    accepted.at(-1)!.write('abc');
    let got = t.read(100);
    while (got.tag === 'would-block') {
      await readable.wait(); // one pollable, waited on as often as needed
      got = t.read(100);
    }
    readable[Symbol.dispose]();
    expect(new TextDecoder().decode(got.val as Uint8Array)).toBe('abc');
    t.close();
    t[Symbol.dispose]();
  });

  it('buffers writes made before open (up to its cap) and reports the partial count past it', async () => {
    const s = connect('localhost', port, opts); // resolution is asynchronous: still pending now
    expect(s.pollOpen().tag).toBe('pending');
    const big = new Uint8Array(300 * 1024);
    expect(s.write(big)).toEqual({ accepted: 256 * 1024, buffered: 256 * 1024 });
    expect(s.bufferedAmount()).toBe(256 * 1024);
    expect(s.write(new Uint8Array(10))).toEqual({ accepted: 0, buffered: 256 * 1024 });
    for (let st = s.pollOpen(); st.tag === 'pending'; st = s.pollOpen()) await wait(st.val);
    while (!s.flush()) await wait(s.subscribeWrite());
    expect(s.bufferedAmount()).toBe(0);
    s.close();
    s[Symbol.dispose]();
  });

  it('shutdown-write sends FIN after the buffered bytes; read reports eof after the peer FIN', async () => {
    const s = connect('127.0.0.1', port, { ...opts, allowHalfOpen: true });
    for (let st = s.pollOpen(); st.tag === 'pending'; st = s.pollOpen()) await wait(st.val);
    const peer = accepted.at(-1)!;
    const seen: string[] = [];
    const peerEnded = new Promise<void>((r) => {
      peer.on('data', (d) => seen.push(d.toString()));
      peer.on('end', () => r());
    });
    expect(s.write(new TextEncoder().encode('last words'))).toEqual({ accepted: 10, buffered: 0 });
    s.shutdownWrite();
    while (!s.flush()) await wait(s.subscribeWrite());
    await peerEnded;
    expect(seen.join('')).toBe('last words');
    expect(payloadOf(() => s.write(new Uint8Array(1))).code).toBe('invalid-state');
    peer.end();
    for (;;) {
      let r: ReturnType<typeof s.read>;
      try {
        r = s.read(10);
      } catch (e) {
        expect((e as { payload: unknown }).payload).toEqual({ tag: 'eof' });
        break;
      }
      expect(r.tag).toBe('would-block');
      await wait(s.subscribeRead());
    }
    s.close();
    s[Symbol.dispose]();
  });

  it('a refused connection reports failed(connection-refused); later calls report the same error', async () => {
    const tmp = net.createServer();
    await new Promise<void>((r) => tmp.listen(0, '127.0.0.1', () => r()));
    const dead = (tmp.address() as net.AddressInfo).port;
    await new Promise((r) => tmp.close(r));
    const s = connect('127.0.0.1', dead, opts);
    let st = s.pollOpen();
    while (st.tag === 'pending') {
      await wait(st.val);
      st = s.pollOpen();
    }
    expect(st).toEqual({ tag: 'failed', val: { code: 'connection-refused', message: `connecting to 127.0.0.1:${dead}: connection-refused` } });
    expect(payloadOf(() => s.write(new Uint8Array(1))).code).toBe('connection-refused');
    expect(payloadOf(() => s.read(1))).toEqual({ tag: 'failed', val: st.val });
    s[Symbol.dispose]();
  });

  it('rejects a malformed hostname or port 0 at connect, and unusable TLS options at once', () => {
    expect(payloadOf(() => connect('bad host', 80, opts)).code).toBe('invalid-address');
    expect(payloadOf(() => connect('example.com', 0, opts)).code).toBe('invalid-address');
    const badCa = { ...opts, secureTransport: 'on' as const, tls: { ...tlsOff, ca: [new TextEncoder().encode('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')] } };
    expect(payloadOf(() => connect('127.0.0.1', port, badCa)).code).toBe('invalid-argument');
    const badName = { ...opts, secureTransport: 'on' as const, tls: { ...tlsOff, serverName: 'not a name' } };
    expect(payloadOf(() => connect('127.0.0.1', port, badName)).code).toBe('invalid-argument');
  });

  it('TLS: socket-info alpn, tls-info (strings, flags, list<list<u8>>, list<string>), take-keylog, start-tls, add-trust-anchors', async () => {
    const pki = makePki([{ id: 'leaf', subject: 'localhost', key: 'p256', san: ['DNS:localhost'], eku: ['serverAuth'] }]);
    const tlsServer = tls.createServer({ cert: pki.pem('leaf'), key: pki.get('leaf').keyPem, ALPNProtocols: ['x-test'], minVersion: 'TLSv1.3' }, (t) => {
      t.on('error', () => {});
      t.pipe(t);
    });
    await new Promise<void>((r) => tlsServer.listen(0, '127.0.0.1', () => r()));
    const tlsPort = (tlsServer.address() as net.AddressInfo).port;
    try {
      const pem = new TextEncoder().encode(pki.pem('leaf'));
      const s = connect('localhost', tlsPort, {
        ...opts, secureTransport: 'on',
        tls: { ...tlsOff, alpn: ['x-test'], ca: [pem], switches: { keylog: true } },
      });
      let st = s.pollOpen();
      while (st.tag === 'pending') {
        await wait(st.val);
        st = s.pollOpen();
      }
      expect(st.tag).toBe('opened');
      if (st.tag === 'opened') expect(st.val.alpn).toBe('x-test');
      const info = s.tlsInfo()!;
      expect(info).toMatchObject({ version: 'TLSv1.3', group: 'x25519', signatureScheme: 'ecdsa_secp256r1_sha256', resumed: false, verified: true });
      expect(info.cipherSuite).toMatch(/^TLS_(CHACHA20_POLY1305_SHA256|AES_128_GCM_SHA256|AES_256_GCM_SHA384)$/);
      expect(info.peerCertificates).toHaveLength(1);
      expect(Buffer.from(info.peerCertificates[0]).equals(Buffer.from(pki.get('leaf').der))).toBe(true);
      expect(info.chainSubjects).toEqual(['CN=localhost']);
      const lines = s.takeKeylog();
      expect(lines.map((l) => l.split(' ')[0])).toEqual(['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'SERVER_TRAFFIC_SECRET_0', 'EXPORTER_SECRET']);
      expect(s.takeKeylog()).toEqual([]); // taken once
      s.close();
      s[Symbol.dispose]();

      // start-tls: only on starttls sockets, once; the new socket handshakes over the same connection
      const plain = connect('127.0.0.1', tlsPort, { ...opts });
      expect(payloadOf(() => plain.startTls({ ...tlsOff })).code).toBe('invalid-state');
      plain.close();
      plain[Symbol.dispose]();
      const p = connect('localhost', tlsPort, { ...opts, secureTransport: 'starttls' });
      const t = p.startTls({ ...tlsOff, ca: [pem] });
      expect(payloadOf(() => p.startTls({ ...tlsOff })).code).toBe('invalid-state');
      let ts = t.pollOpen();
      while (ts.tag === 'pending') {
        await wait(ts.val);
        ts = t.pollOpen();
      }
      expect(ts.tag).toBe('opened');
      expect(t.tlsInfo()?.verified).toBe(true);
      expect(payloadOf(() => p.read(10))).toEqual({ tag: 'eof' }); // the upgraded socket reads end of input
      t.close();
      t[Symbol.dispose]();
      p.close();
      p[Symbol.dispose]();

      // add-trust-anchors: a count, or a reason
      expect(addTrustAnchors(pem)).toBe(1);
      expect(payloadOf(() => addTrustAnchors(new TextEncoder().encode('nonsense'))).code).toBe('invalid-argument');
    } finally {
      tlsServer.close();
    }
  });

  it('drops every WASI resource it created once sockets are closed', () => {
    expect(liveResources.tcpSocket).toBe(0);
    expect(liveResources.inputStream).toBe(0);
    expect(liveResources.outputStream).toBe(0);
    expect(liveResources.resolveStream).toBe(0);
  });
});
