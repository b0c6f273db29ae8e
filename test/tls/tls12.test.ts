// TLS 1.2 through connect(): OpenSSL, GnuTLS and node:tls servers limited to TLS 1.2, every suite
// (ECDHE_ECDSA / ECDHE_RSA with ChaCha20-Poly1305, AES-128-GCM, AES-256-GCM) x key type, every
// group, ServerKeyExchange signed with ECDSA, RSA-PSS and RSA PKCS#1, extended master secret on
// and off, small fragments, 16 MiB echo, ALPN, SNI, startTls into a TLS 1.2 server; what we refuse
// (CBC-only and RSA-key-exchange-only servers, renegotiation, a downgrade), and version options.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import net from 'node:net';
import tls from 'node:tls';
import { createHash } from 'node:crypto';
import { connect, SocketError, type Socket, type SocketOptions } from 'wasi-connect';
import { makePki, type Pki } from '../helpers/pki.js';
import { opensslServer, gnutlsServer, nodeTlsServer, type ProcessPeer } from '../helpers/tls-peers.js';
import { pattern, readExactly } from '../conformance/cases.mjs';
import { tlsConnect as connectTls, lineRoundTrip, readAllText } from '../helpers/tls-client.js';

const enc = new TextEncoder();
const dec = new TextDecoder();
let pki: Pki;
let ca: string;
const KEYS = ['rsa2048', 'rsa4096', 'p256', 'p384'] as const;
type Key = (typeof KEYS)[number];

beforeAll(() => {
  pki = makePki([
    { id: 'root', subject: 'tls12 root', key: 'rsa2048', ca: {}, keyUsage: ['keyCertSign', 'cRLSign'] },
    { id: 'int', subject: 'tls12 intermediate', issuer: 'root', key: 'p256', ca: { pathLen: 0 }, keyUsage: ['keyCertSign'] },
    ...KEYS.map((k) => ({
      id: `leaf-${k}`, subject: `localhost ${k}`, issuer: 'int', key: k,
      san: ['DNS:localhost', 'IP:127.0.0.1'], eku: ['serverAuth'], keyUsage: ['digitalSignature', 'keyEncipherment'],
    })),
  ]);
  ca = pki.pem('root');
}, 120_000);

const peers: ProcessPeer[] = [];
afterAll(() => Promise.all(peers.map((p) => p.stop())));
const keep = <T extends ProcessPeer>(p: T): T => (peers.push(p), p);

const tlsConnect = (port: number, opts: SocketOptions = {}, host = 'localhost'): Socket => connectTls(port, ca, opts, host);


const SUITES: Record<'ecdsa' | 'rsa', [string, string][]> = {
  ecdsa: [
    ['TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'ECDHE-ECDSA-CHACHA20-POLY1305'],
    ['TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256', 'ECDHE-ECDSA-AES128-GCM-SHA256'],
    ['TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384', 'ECDHE-ECDSA-AES256-GCM-SHA384'],
  ],
  rsa: [
    ['TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', 'ECDHE-RSA-CHACHA20-POLY1305'],
    ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'ECDHE-RSA-AES128-GCM-SHA256'],
    ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'ECDHE-RSA-AES256-GCM-SHA384'],
  ],
};
const kind = (k: Key) => (k.startsWith('rsa') ? 'rsa' : 'ecdsa');

describe('OpenSSL s_server -tls1_2', () => {
  for (const k of KEYS) {
    for (const [suite, ossl] of SUITES[kind(k)]) {
      it(`${suite} with a ${k} certificate`, async () => {
        const leaf = pki.get(`leaf-${k}`);
        const srv = keep(await opensslServer({ cert: leaf.certPath, key: leaf.keyPath, chain: pki.get('int').certPath, version: ['-tls1_2'], mode: 'rev', args: ['-cipher', ossl] }));
        const s = tlsConnect(srv.port);
        const info = await s.opened;
        expect(info.tls).toMatchObject({ version: 'TLSv1.2', cipherSuite: suite, group: 'x25519', verified: true });
        expect(info.tls!.chainSubjects).toEqual([`CN=localhost ${k}`, 'CN=tls12 intermediate', 'CN=tls12 root']);
        expect(await lineRoundTrip(s, 'tls one two')).toBe('owt eno slt');
        await s.close();
        await srv.stop();
      });
    }
  }

  for (const [group, name] of [['P-256', 'secp256r1'], ['P-384', 'secp384r1'], ['X25519', 'x25519']]) {
    it(`group ${name}`, async () => {
      const leaf = pki.get('leaf-p256');
      const srv = keep(await opensslServer({ cert: leaf.certPath, key: leaf.keyPath, chain: pki.get('int').certPath, version: ['-tls1_2'], mode: 'rev', args: ['-groups', group] }));
      const s = tlsConnect(srv.port);
      expect((await s.opened).tls!.group).toBe(name);
      expect(await lineRoundTrip(s, 'grp')).toBe('prg');
      await s.close();
    });
  }

  for (const [sigalgs, scheme] of [['RSA+SHA256', 'rsa_pkcs1_sha256'], ['RSA+SHA384', 'rsa_pkcs1_sha384'], ['RSA+SHA512', 'rsa_pkcs1_sha512'], ['RSA-PSS+SHA256', 'rsa_pss_rsae_sha256'], ['RSA-PSS+SHA512', 'rsa_pss_rsae_sha512']]) {
    it(`ServerKeyExchange signed with ${scheme}`, async () => {
      const leaf = pki.get('leaf-rsa2048');
      const srv = keep(await opensslServer({ cert: leaf.certPath, key: leaf.keyPath, chain: pki.get('int').certPath, version: ['-tls1_2'], mode: 'rev', args: ['-sigalgs', sigalgs] }));
      const s = tlsConnect(srv.port);
      expect((await s.opened).tls!.signatureScheme).toBe(scheme);
      expect(await lineRoundTrip(s, 'sig')).toBe('gis');
      await s.close();
    });
  }

  it('ECDSA with SHA-384 and SHA-512 over P-256 (allowed in TLS 1.2, unlike 1.3)', async () => {
    const leaf = pki.get('leaf-p256');
    for (const [sigalgs, scheme] of [['ECDSA+SHA384', 'ecdsa_secp384r1_sha384'], ['ECDSA+SHA512', '0x603']]) {
      const srv = keep(await opensslServer({ cert: leaf.certPath, key: leaf.keyPath, chain: pki.get('int').certPath, version: ['-tls1_2'], mode: 'rev', args: ['-sigalgs', sigalgs] }));
      const s = tlsConnect(srv.port);
      const info = await s.opened.then((i) => i, (e) => e);
      // SHA-512 with ECDSA (0x0603) is not in our signature_algorithms: the server cannot pick it
      if (scheme === '0x603') {
        expect(info).toBeInstanceOf(SocketError);
        expect(info.code).toBe('TLS_HANDSHAKE_FAILURE');
      } else {
        expect(info.tls.signatureScheme).toBe(scheme);
        await s.close();
      }
    }
  });

  it('512-byte fragments', async () => {
    const leaf = pki.get('leaf-p384');
    const srv = keep(await opensslServer({ cert: leaf.certPath, key: leaf.keyPath, chain: pki.get('int').certPath, version: ['-tls1_2'], mode: 'www', args: ['-max_send_frag', '512'] }));
    const s = tlsConnect(srv.port);
    await s.opened;
    const w = s.writable.getWriter();
    await w.write(enc.encode('GET / HTTP/1.0\r\n\r\n'));
    let page = '';
    const r = s.readable.getReader();
    for (;;) {
      const { value, done } = await r.read();
      if (done) break;
      page += dec.decode(value);
    }
    expect(page).toMatch(/^HTTP\/1\.0 200 ok/);
    expect(page).toContain('</BODY></HTML>');
  });

  it('a HelloRequest is declined with a no_renegotiation warning: no renegotiation happens (OpenSSL then ends the connection)', async () => {
    const leaf = pki.get('leaf-p256');
    const srv = keep(await opensslServer({ cert: leaf.certPath, key: leaf.keyPath, chain: pki.get('int').certPath, version: ['-tls1_2'], mode: 'plain' }));
    const s = tlsConnect(srv.port);
    await s.opened;
    const r = s.readable.getReader();
    await srv.waitFor('CIPHER is');
    srv.send('before');
    let got = '';
    while (!got.includes('\n')) got += dec.decode((await r.read()).value);
    expect(got).toBe('before\n');
    srv.send('r'); // SSL_renegotiate: a HelloRequest to us, handled when we read
    const err = await r.read().then(() => null, (e) => e);
    // the server received our warning (OpenSSL's policy is to give up when its request is declined)
    await srv.waitFor('no renegotiation');
    expect(err).toBeInstanceOf(SocketError);
    expect(err.code).toBe('TLS_HANDSHAKE_FAILURE');
    // no second handshake was ever started: the server printed one CIPHER line
    expect(srv.output().split('CIPHER is').length - 1).toBe(1);
  });

  it('servers that offer only CBC suites or only RSA key exchange are refused, and get no application data', async () => {
    const leaf = pki.get('leaf-rsa2048');
    for (const cipher of ['AES128-SHA:AES256-SHA256:ECDHE-RSA-AES128-SHA', 'AES128-GCM-SHA256:AES256-GCM-SHA384']) {
      const srv = keep(await opensslServer({ cert: leaf.certPath, key: leaf.keyPath, chain: pki.get('int').certPath, version: ['-tls1_2'], mode: 'plain', args: ['-cipher', cipher] }));
      const s = tlsConnect(srv.port);
      void s.writable.getWriter().write(enc.encode('secret-for-nobody\n')).catch(() => {});
      const err = await s.opened.then(() => null, (e) => e);
      expect(err).toBeInstanceOf(SocketError);
      expect(err.code).toBe('TLS_HANDSHAKE_FAILURE');
      expect(err.message).toContain('handshake_failure');
      await srv.waitFor(/no shared cipher|ERROR/);
      expect(srv.output()).not.toContain('secret-for-nobody');
      await srv.stop();
    }
  });
});

describe('GnuTLS gnutls-serv, TLS 1.2 only', () => {
  for (const [label, extra] of [['extended master secret on', ''], ['extended master secret off', ':%NO_SESSION_HASH']]) {
    for (const k of ['rsa2048', 'p384'] as const) {
      for (const [suite, ossl] of SUITES[kind(k)]) {
        const g = ossl.includes('CHACHA20') ? 'CHACHA20-POLY1305' : ossl.includes('AES128') ? 'AES-128-GCM' : 'AES-256-GCM';
        it(`${suite}, ${k}, ${label}`, async () => {
          const leaf = pki.get(`leaf-${k}`);
          const srv = keep(await gnutlsServer({ cert: leaf.chainPath, key: leaf.keyPath, priority: `NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+${g}${extra}` }));
          const s = tlsConnect(srv.port, {}, '127.0.0.1');
          const info = await s.opened;
          expect(info.tls).toMatchObject({ version: 'TLSv1.2', cipherSuite: suite, verified: true });
          expect(await lineRoundTrip(s, 'gnutls twelve')).toBe('gnutls twelve');
          await s.close();
          await srv.stop();
        });
      }
    }
  }

  it('group secp384r1 and secp256r1', async () => {
    const leaf = pki.get('leaf-p256');
    for (const [g, name] of [['GROUP-SECP384R1', 'secp384r1'], ['GROUP-SECP256R1', 'secp256r1']]) {
      const srv = keep(await gnutlsServer({ cert: leaf.chainPath, key: leaf.keyPath, priority: `NORMAL:-VERS-ALL:+VERS-TLS1.2:-GROUP-ALL:+${g}` }));
      const s = tlsConnect(srv.port);
      expect((await s.opened).tls!.group).toBe(name);
      expect(await lineRoundTrip(s, 'g')).toBe('g');
      await s.close();
      await srv.stop();
    }
  });
});

describe('node:tls server with maxVersion TLSv1.2', () => {
  it('ALPN, SNI and a 16 MiB echo intact', async () => {
    const leaf = pki.get('leaf-p256');
    const srv = await nodeTlsServer({ cert: leaf.pem + pki.pem('int'), key: leaf.keyPem, maxVersion: 'TLSv1.2', ALPNProtocols: ['h2'] });
    try {
      const s = tlsConnect(srv.port, { alpn: ['http/1.1', 'h2'] });
      const info = await s.opened;
      expect(info.tls!.version).toBe('TLSv1.2');
      expect(info.alpn).toBe('h2');
      const data = pattern(16 << 20, 12);
      const got = readExactly(s.readable.getReader(), data.length);
      await s.writable.getWriter().write(data);
      expect(createHash('sha256').update(await got).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
      expect(srv.sessions[0].servername).toBe('localhost');
      await s.close();
    } finally {
      await srv.stop();
    }
  }, 120_000);

  it('startTls into a TLS 1.2 server', async () => {
    const leaf = pki.get('leaf-rsa2048');
    const context = tls.createSecureContext({ cert: leaf.pem + pki.pem('int'), key: leaf.keyPem, maxVersion: 'TLSv1.2' });
    const server = net.createServer((sock) => {
      sock.on('error', () => {});
      sock.once('data', () => sock.write('OK\n', () => {
        const t = new tls.TLSSocket(sock, { isServer: true, secureContext: context });
        t.on('error', () => {});
        t.on('data', (d) => t.write(d));
      }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const p = connect(`localhost:${(server.address() as net.AddressInfo).port}`, { secureTransport: 'starttls', ca });
      await p.opened;
      const w = p.writable.getWriter();
      await w.write(enc.encode('STARTTLS\n'));
      w.releaseLock();
      const r = p.readable.getReader();
      expect(dec.decode((await r.read()).value)).toBe('OK\n');
      r.releaseLock();
      const t = p.startTls();
      expect((await t.opened).tls!.version).toBe('TLSv1.2');
      expect(await lineRoundTrip(t, 'upgraded')).toBe('upgraded');
      await t.close();
    } finally {
      server.close();
    }
  });
});

describe('version negotiation', () => {
  it('minVersion TLSv1.3 refuses a TLS 1.2-only server (TLS_VERSION_UNSUPPORTED); maxVersion TLSv1.2 makes a TLS 1.3 server speak 1.2', async () => {
    const leaf = pki.get('leaf-p256');
    const only12 = keep(await opensslServer({ cert: leaf.certPath, key: leaf.keyPath, chain: pki.get('int').certPath, version: ['-tls1_2'], mode: 'rev' }));
    const err = await tlsConnect(only12.port, { minVersion: 'TLSv1.3' }).opened.catch((e) => e);
    expect(err.code).toBe('TLS_VERSION_UNSUPPORTED');
    const both = keep(await opensslServer({ cert: leaf.certPath, key: leaf.keyPath, chain: pki.get('int').certPath, version: [], mode: 'rev' }));
    const s = tlsConnect(both.port, { maxVersion: 'TLSv1.2' });
    expect((await s.opened).tls!.version).toBe('TLSv1.2');
    await s.close();
    const t = tlsConnect(both.port);
    expect((await t.opened).tls!.version).toBe('TLSv1.3');
    await t.close();
    expect(() => tlsConnect(both.port, { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.2' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => tlsConnect(both.port, { minVersion: 'TLSv1.1' as 'TLSv1.2' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
  });

  it('the RFC 8446 downgrade sentinel: a TLS 1.3 server pushed to 1.2 (supported_versions stripped in transit) is refused', async () => {
    const leaf = pki.get('leaf-p256');
    const real = keep(await opensslServer({ cert: leaf.certPath, key: leaf.keyPath, chain: pki.get('int').certPath, version: [], mode: 'rev' }));
    // an attacker in the middle removes supported_versions (43) from our ClientHello
    const mitm = net.createServer((client) => {
      client.on('error', () => {});
      const up = net.connect(real.port, '127.0.0.1');
      up.on('error', () => {});
      client.once('data', (first) => {
        up.write(stripSupportedVersions(first));
        client.pipe(up);
      });
      up.pipe(client);
    });
    await new Promise<void>((r) => mitm.listen(0, '127.0.0.1', () => r()));
    try {
      const err = await tlsConnect((mitm.address() as net.AddressInfo).port).opened.catch((e) => e);
      expect(err).toBeInstanceOf(SocketError);
      expect(err.code).toBe('TLS_PROTOCOL_ERROR');
      expect(err.message).toContain('downgrade sentinel');
    } finally {
      mitm.close();
    }
  });
});

/** Removes the supported_versions extension from a ClientHello record, fixing every length. */
function stripSupportedVersions(rec: Buffer): Buffer {
  const b = Buffer.from(rec);
  let p = 5 + 4 + 2 + 32;
  p += 1 + b[p]; // session id
  p += 2 + b.readUInt16BE(p); // cipher suites
  p += 1 + b[p]; // compression
  const extLenAt = p;
  let q = p + 2;
  const end = q + b.readUInt16BE(extLenAt);
  while (q < end) {
    const type = b.readUInt16BE(q);
    const len = b.readUInt16BE(q + 2);
    if (type === 43) {
      const cut = 4 + len;
      const out = Buffer.concat([b.subarray(0, q), b.subarray(q + cut)]);
      out.writeUInt16BE(out.readUInt16BE(3) - cut, 3); // record length
      const hl = (out[6] << 16 | out[7] << 8 | out[8]) - cut; // handshake length
      out[6] = hl >> 16; out[7] = (hl >> 8) & 0xff; out[8] = hl & 0xff;
      out.writeUInt16BE(out.readUInt16BE(extLenAt) - cut, extLenAt);
      return out;
    }
    q += 4 + len;
  }
  return b;
}
