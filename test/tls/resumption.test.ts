// TLS 1.3 resumption (RFC 8446 2.2, psk_dhe_ke): the second connection to the same server (same
// host, port, SNI, ALPN and trust settings) resumes from a ticket the first one stored, skips the
// certificate work and is faster; the server says so. Tickets are used once, never offered after
// their lifetime, never across different settings, never with `session: false`; a ticket the
// server no longer accepts falls back to a full, verified handshake.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { connect, type Socket, type SocketOptions, type SocketInfo } from 'wasi-connect';
import { makePki, type Pki } from '../helpers/pki.js';
import { opensslServer, nodeTlsServer, type ProcessPeer, type NodeTlsPeer } from '../helpers/tls-peers.js';

const enc = new TextEncoder();
let pki: Pki;
let ca: string;

beforeAll(() => {
  pki = makePki([
    { id: 'root', subject: 'resumption root', key: 'p384', ca: {} },
    { id: 'int', subject: 'resumption intermediate', issuer: 'root', key: 'p384', ca: {} },
    { id: 'leaf', subject: 'localhost', issuer: 'int', key: 'p384', san: ['DNS:localhost', 'IP:127.0.0.1'], eku: ['serverAuth'] },
  ]);
  ca = pki.pem('root');
}, 60_000);

const peers: ProcessPeer[] = [];
const nodePeers: NodeTlsPeer[] = [];
afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  await Promise.all(nodePeers.map((p) => p.stop()));
});
const nodeServer = async (o: Parameters<typeof nodeTlsServer>[0] = {}) => {
  const p = await nodeTlsServer({ cert: pki.pem('leaf', 'int'), key: pki.get('leaf').keyPem, minVersion: 'TLSv1.3', ...o });
  nodePeers.push(p);
  return p;
};

/** Opens, echoes one byte (which also takes in the server's tickets), closes; returns the info and the time. */
async function session(port: number, opts: SocketOptions = {}, host = 'localhost'): Promise<{ info: SocketInfo; ms: number }> {
  const t0 = performance.now();
  const s: Socket = connect(`${host}:${port}`, { secureTransport: 'on', ca, ...opts });
  const info = await s.opened;
  const r = s.readable.getReader();
  await s.writable.getWriter().write(enc.encode('x\n')); // a line: OpenSSL's -rev servers answer lines
  await r.read();
  const ms = performance.now() - t0;
  await s.close();
  return { info, ms };
}

/** A relay that reports whether each ClientHello it forwards offers a pre_shared_key (extension 41). */
async function pskSpy(targetPort: number): Promise<{ port: number; offered: boolean[]; close(): void }> {
  const offered: boolean[] = [];
  const server = net.createServer((client) => {
    client.on('error', () => {});
    const up = net.connect(targetPort, '127.0.0.1');
    up.on('error', () => {});
    client.once('data', (first) => {
      offered.push(hasExtension(first, 41));
      up.write(first);
      client.pipe(up);
    });
    up.pipe(client);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as net.AddressInfo).port, offered, close: () => server.close() };
}

function hasExtension(rec: Buffer, type: number): boolean {
  let p = 5 + 4 + 2 + 32;
  p += 1 + rec[p];
  p += 2 + rec.readUInt16BE(p);
  p += 1 + rec[p];
  const end = p + 2 + rec.readUInt16BE(p);
  for (let q = p + 2; q < end; q += 4 + rec.readUInt16BE(q + 2)) if (rec.readUInt16BE(q) === type) return true;
  return false;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

describe('TLS 1.3 resumption', () => {
  it('node:tls: the second connection resumes (the server says so), keeps the first one\'s verified chain, and skips the signature', async () => {
    const srv = await nodeServer();
    const reused: boolean[] = [];
    srv.server.on('secureConnection', (t) => reused.push(t.isSessionReused()));
    const first = await session(srv.port);
    const second = await session(srv.port);
    expect(first.info.tls).toMatchObject({ resumed: false, verified: true, signatureScheme: 'ecdsa_secp384r1_sha384' });
    expect(second.info.tls).toMatchObject({ resumed: true, verified: true, signatureScheme: '' });
    expect(second.info.tls!.chainSubjects).toEqual(first.info.tls!.chainSubjects);
    expect(reused).toEqual([false, true]);
  });

  it('OpenSSL: resumed (its status page says "Reused"), also after a HelloRetryRequest (the binder is recomputed)', async () => {
    for (const args of [[], ['-groups', 'P-256']]) {
      const srv = await opensslServer({ cert: pki.get('leaf').certPath, key: pki.get('leaf').keyPath, chain: pki.get('int').certPath, mode: 'www', args });
      peers.push(srv);
      const page = async () => {
        const s = connect(`localhost:${srv.port}`, { secureTransport: 'on', ca });
        const info = await s.opened;
        await s.writable.getWriter().write(enc.encode('GET / HTTP/1.0\r\n\r\n'));
        const r = s.readable.getReader();
        let text = '';
        for (;;) {
          const { value, done } = await r.read();
          if (done) break;
          text += new TextDecoder().decode(value);
        }
        return { info, text };
      };
      const a = await page();
      const b = await page();
      expect(a.text).toMatch(/\nNew, TLSv1\.3/);
      expect(b.text).toMatch(/\nReused, TLSv1\.3/);
      expect(b.info.tls!.resumed).toBe(true);
      if (args.length) expect(b.info.tls!.group).toBe('secp256r1');
    }
  });

  it('a resumed handshake takes measurably less time than a full one (P-384 chain: no certificate work)', async () => {
    // OpenSSL issues a new ticket after every handshake, resumed ones included
    const srv = await opensslServer({ cert: pki.get('leaf').certPath, key: pki.get('leaf').keyPath, chain: pki.get('int').certPath, mode: 'rev', args: ['-num_tickets', '1'] });
    peers.push(srv);
    const full: number[] = [];
    const resumed: number[] = [];
    await session(srv.port); // stores the first ticket
    for (let i = 0; i < 9; i++) {
      full.push((await session(srv.port, { session: false })).ms);
      const r = await session(srv.port);
      expect(r.info.tls!.resumed).toBe(true);
      resumed.push(r.ms);
    }
    console.log(`median full handshake ${median(full).toFixed(2)} ms, resumed ${median(resumed).toFixed(2)} ms`);
    expect(median(resumed)).toBeLessThan(median(full) * 0.75);
  });

  it('a ticket the server no longer accepts (its ticket keys changed) falls back to a full, verified handshake', async () => {
    const srv = await nodeServer();
    const spy = await pskSpy(srv.port);
    try {
      await session(spy.port);
      srv.server.setTicketKeys(randomBytes(48));
      const again = await session(spy.port);
      expect(spy.offered).toEqual([false, true]); // the stale ticket was offered ...
      expect(again.info.tls).toMatchObject({ resumed: false, verified: true }); // ... and refused
      expect(again.info.tls!.signatureScheme).toBe('ecdsa_secp384r1_sha384');
    } finally {
      spy.close();
    }
  });

  it('an expired ticket is not offered (lifetime 1 s from the server)', async () => {
    const srv = await nodeServer({ sessionTimeout: 1 });
    const spy = await pskSpy(srv.port);
    try {
      await session(spy.port);
      // the ticket's lifetime is what is under test, so the test waits it out
      await new Promise((r) => setTimeout(r, 1200));
      const later = await session(spy.port);
      expect(spy.offered).toEqual([false, false]);
      expect(later.info.tls!.resumed).toBe(false);
    } finally {
      spy.close();
    }
  });

  it('session: false neither offers nor stores; other ALPN, trust or verification settings do not share tickets', async () => {
    const srv = await nodeServer({ ALPNProtocols: ['a', 'b'] });
    const spy = await pskSpy(srv.port);
    try {
      await session(spy.port, { session: false });
      await session(spy.port, { session: false });
      await session(spy.port); // nothing was stored by the two above: full; stores
      await session(spy.port, { alpn: ['b'] }); // other ALPN list: not the same key
      await session(spy.port, { rejectUnauthorized: false }); // other verification: not the same key
      await session(spy.port, { ca: ca + pki.pem('int') }); // other trust: not the same key
      const last = await session(spy.port); // the stored one
      expect(spy.offered).toEqual([false, false, false, false, false, false, true]);
      expect(last.info.tls!.resumed).toBe(true);
    } finally {
      spy.close();
    }
  });

  it('a ticket is used once: two connections racing for one ticket, only one resumes', async () => {
    const srv = await opensslServer({ cert: pki.get('leaf').certPath, key: pki.get('leaf').keyPath, chain: pki.get('int').certPath, mode: 'rev', args: ['-num_tickets', '1'] });
    peers.push(srv);
    const spy = await pskSpy(srv.port);
    try {
      await session(spy.port);
      const both = await Promise.all([session(spy.port), session(spy.port)]);
      expect(both.map((b) => b.info.tls!.resumed).sort()).toEqual([false, true]);
      expect(spy.offered.slice(1).sort()).toEqual([false, true]);
    } finally {
      spy.close();
    }
  });
});
