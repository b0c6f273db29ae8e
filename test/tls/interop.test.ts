// TLS 1.3 interoperability through connect(): real OpenSSL, GnuTLS and node:tls servers on
// loopback, every cipher suite and group, RSA 2048/4096 and ECDSA P-256/P-384 certificates under
// an intermediate, HelloRetryRequest (forced by servers that accept only P-256 or P-384, and by a
// stateless OpenSSL that insists on a cookie), small fragments, padding, KeyUpdate both ways,
// tickets, ALPN, SNI, CertificateRequest, chains out of order, and a 16 MiB echo.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
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
const leafId = (k: Key) => `leaf-${k}`;

beforeAll(() => {
  pki = makePki([
    { id: 'root', subject: 'wasi-connect test root', key: 'rsa2048', ca: {}, keyUsage: ['keyCertSign', 'cRLSign'] },
    { id: 'int', subject: 'wasi-connect test intermediate', issuer: 'root', key: 'p256', ca: { pathLen: 0 }, keyUsage: ['keyCertSign', 'cRLSign'] },
    ...KEYS.map((k) => ({
      id: leafId(k), subject: `localhost ${k}`, issuer: 'int', key: k,
      san: ['DNS:localhost', 'IP:127.0.0.1'], eku: ['serverAuth'], keyUsage: ['digitalSignature', 'keyEncipherment'],
    })),
    { id: 'other-root', subject: 'unrelated root', key: 'p256', ca: {}, keyName: 'unrelated-root' },
  ]);
  ca = pki.pem('root');
}, 120_000);

const tlsConnect = (port: number, opts: SocketOptions = {}, host = 'localhost'): Socket => connectTls(port, ca, opts, host);


const readAll = readAllText;

const peers: ProcessPeer[] = [];
afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
});
async function openssl(...a: Parameters<typeof opensslServer>): Promise<ProcessPeer> {
  const p = await opensslServer(...a);
  peers.push(p);
  return p;
}

const SUITES = [
  ['TLS_CHACHA20_POLY1305_SHA256', 'CHACHA20-POLY1305'],
  ['TLS_AES_128_GCM_SHA256', 'AES-128-GCM'],
  ['TLS_AES_256_GCM_SHA384', 'AES-256-GCM'],
] as const;
const SCHEME: Record<Key, RegExp> = {
  rsa2048: /^rsa_pss_rsae_sha(256|384|512)$/,
  rsa4096: /^rsa_pss_rsae_sha(256|384|512)$/,
  p256: /^ecdsa_secp256r1_sha256$/,
  p384: /^ecdsa_secp384r1_sha384$/,
};

describe('OpenSSL s_server (TLS 1.3)', () => {
  for (const k of KEYS) {
    for (const [suite] of SUITES) {
      it(`${suite} with a ${k} certificate under an intermediate`, async () => {
        const leaf = pki.get(leafId(k));
        const srv = await openssl({ cert: leaf.certPath, key: leaf.keyPath, chain: pki.get('int').certPath, mode: 'rev', args: ['-ciphersuites', suite] });
        const s = tlsConnect(srv.port);
        const info = await s.opened;
        expect(info.tls).toMatchObject({ version: 'TLSv1.3', cipherSuite: suite, group: 'x25519', verified: true, resumed: false });
        expect(info.tls!.signatureScheme).toMatch(SCHEME[k]);
        expect(info.tls!.chainSubjects).toEqual([`CN=localhost ${k}`, 'CN=wasi-connect test intermediate', 'CN=wasi-connect test root']);
        expect(info.tls!.peerCertificates.length).toBe(2);
        expect(await lineRoundTrip(s, 'hello over tls')).toBe('slt revo olleh');
        await s.close();
        await srv.stop();
      });
    }
  }

  for (const [group, name] of [['P-256', 'secp256r1'], ['P-384', 'secp384r1']]) {
    it(`HelloRetryRequest: a server that accepts only ${group} gets a second ClientHello with that share`, async () => {
      const leaf = pki.get('leaf-p256');
      const srv = await openssl({ cert: leaf.certPath, key: leaf.keyPath, chain: pki.get('int').certPath, mode: 'rev', args: ['-groups', group] });
      const s = tlsConnect(srv.port);
      expect((await s.opened).tls!.group).toBe(name);
      expect(await lineRoundTrip(s, 'abc')).toBe('cba');
      await s.close();
    });
  }

  it('HelloRetryRequest with a cookie (stateless server): the cookie is echoed', async () => {
    const leaf = pki.get('leaf-p256');
    const srv = await openssl({ cert: leaf.certPath, key: leaf.keyPath, chain: pki.get('int').certPath, mode: 'rev', args: ['-stateless'] });
    const s = tlsConnect(srv.port);
    await s.opened;
    expect(await lineRoundTrip(s, 'stateless')).toBe('sseletats');
    await s.close();
  });

  it('512-byte fragments and padded records (-max_send_frag, -record_padding); the page ends with close_notify', async () => {
    const leaf = pki.get('leaf-p256');
    for (const args of [['-max_send_frag', '512'], ['-record_padding', '256']]) {
      const srv = await openssl({ cert: leaf.certPath, key: leaf.keyPath, chain: pki.get('int').certPath, mode: 'www', args });
      const s = tlsConnect(srv.port);
      await s.opened;
      const w = s.writable.getWriter();
      await w.write(enc.encode('GET / HTTP/1.0\r\n\r\n'));
      const page = await readAll(s);
      expect(page).toMatch(/^HTTP\/1\.0 200 ok/);
      expect(page).toContain('</BODY></HTML>');
      expect(page.length).toBeGreaterThan(1000);
      await s.closed;
    }
  });

  it('KeyUpdate: the server updates its key (k), asks us to update ours (K); data flows both ways after each', async () => {
    const leaf = pki.get('leaf-p384');
    const srv = await openssl({ cert: leaf.certPath, key: leaf.keyPath, chain: pki.get('int').certPath, mode: 'plain' });
    const s = tlsConnect(srv.port);
    await s.opened;
    const r = s.readable.getReader();
    const w = s.writable.getWriter();
    const expectLine = async (line: string) => {
      let got = '';
      while (!got.includes('\n')) got += dec.decode((await r.read()).value);
      expect(got).toBe(line + '\n');
    };
    await srv.waitFor('CIPHER is');
    srv.send('before');
    await expectLine('before');
    // s_server takes 'k' / 'K' only as a line of its own: wait until it has acted on each
    const updates = () => srv.output().split('SSL_do_handshake -> 1').length - 1;
    srv.send('k');
    await srv.waitFor(/SSL_do_handshake -> 1/);
    srv.send('after-k');
    await expectLine('after-k');
    const before = updates();
    srv.send('K');
    await srv.waitFor(new RegExp(`(SSL_do_handshake -> 1[\\s\\S]*){${before + 1}}`));
    srv.send('after-K');
    await expectLine('after-K');
    // our reply went out under the updated key: the server can still read us
    await w.write(enc.encode('client-after-update\n'));
    await srv.waitFor('client-after-update');
    await s.close();
  });

  it('CertificateRequest is answered with an empty Certificate; a server that requires one says so', async () => {
    const leaf = pki.get('leaf-p256');
    let srv = await openssl({ cert: leaf.certPath, key: leaf.keyPath, chain: pki.get('int').certPath, mode: 'rev', args: ['-verify', '1'] });
    let s = tlsConnect(srv.port);
    await s.opened;
    expect(await lineRoundTrip(s, 'no client cert')).toBe('trec tneilc on');
    await s.close();
    srv = await openssl({ cert: leaf.certPath, key: leaf.keyPath, chain: pki.get('int').certPath, mode: 'rev', args: ['-Verify', '1'] });
    s = tlsConnect(srv.port);
    await s.opened; // TLS 1.3: the client is done before the server judges its (empty) certificate
    const err = await lineRoundTrip(s, 'x').then(() => null, (e) => e);
    expect(err).toBeInstanceOf(SocketError);
    expect(err.code).toBe('TLS_ALERT');
    expect(err.message).toMatch(/certificate_required|handshake_failure/);
  });

  it('session tickets sent by the server are accepted (and do not disturb the data)', async () => {
    const leaf = pki.get('leaf-p256');
    const srv = await openssl({ cert: leaf.certPath, key: leaf.keyPath, chain: pki.get('int').certPath, mode: 'rev', args: ['-num_tickets', '4'] });
    const s = tlsConnect(srv.port);
    await s.opened;
    expect(await lineRoundTrip(s, 'tickets')).toBe('stekcit');
    await s.close();
  });
});

describe('GnuTLS gnutls-serv (TLS 1.3)', () => {
  for (const k of KEYS) {
    for (const [suite, gnutlsName] of SUITES) {
      it(`${suite} with a ${k} certificate`, async () => {
        const leaf = pki.get(leafId(k));
        const srv = await gnutlsServer({
          cert: leaf.chainPath, key: leaf.keyPath,
          priority: `NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+${gnutlsName}`,
        });
        peers.push(srv);
        const s = tlsConnect(srv.port, {}, '127.0.0.1'); // an IP literal: verified against the iPAddress SAN, no SNI
        const info = await s.opened;
        expect(info.tls).toMatchObject({ version: 'TLSv1.3', cipherSuite: suite, verified: true });
        expect(info.tls!.signatureScheme).toMatch(SCHEME[k]);
        expect(await lineRoundTrip(s, 'gnutls echo')).toBe('gnutls echo');
        await s.close();
        await srv.stop();
      });
    }
  }

  it('HelloRetryRequest to secp384r1', async () => {
    const leaf = pki.get('leaf-rsa2048');
    const srv = await gnutlsServer({ cert: leaf.chainPath, key: leaf.keyPath, priority: 'NORMAL:-VERS-ALL:+VERS-TLS1.3:-GROUP-ALL:+GROUP-SECP384R1' });
    peers.push(srv);
    const s = tlsConnect(srv.port);
    expect((await s.opened).tls!.group).toBe('secp384r1');
    expect(await lineRoundTrip(s, 'hrr')).toBe('hrr');
    await s.close();
  });
});

describe('node:tls server (TLS 1.3)', () => {
  it('ALPN: the server picks from our list and SocketInfo.alpn says which; SNI is what the server sees', async () => {
    const leaf = pki.get('leaf-p256');
    const srv = await nodeTlsServer({ cert: leaf.pem + pki.pem('int'), key: leaf.keyPem, ALPNProtocols: ['h2'], minVersion: 'TLSv1.3' });
    try {
      const s = tlsConnect(srv.port, { alpn: ['http/1.1', 'h2'] });
      expect((await s.opened).alpn).toBe('h2');
      expect(await lineRoundTrip(s, 'alpn')).toBe('alpn');
      expect(srv.sessions[0].servername).toBe('localhost');
      expect(srv.sessions[0].alpn).toBe('h2');
      await s.close();
      // an IP literal sends no SNI
      const t = tlsConnect(srv.port, {}, '127.0.0.1');
      expect((await t.opened).alpn).toBeNull();
      expect(await lineRoundTrip(t, 'ip')).toBe('ip');
      expect(srv.sessions[1].servername).toBe(false);
      await t.close();
      // the sni option names the server (and the certificate must match it)
      const u = connect(`127.0.0.1:${srv.port}`, { secureTransport: 'on', ca, sni: 'localhost' });
      await u.opened;
      await lineRoundTrip(u, 'sni');
      expect(srv.sessions[2].servername).toBe('localhost');
      await u.close();
    } finally {
      await srv.stop();
    }
  });

  it('a chain sent out of order with an unrelated extra certificate is still built to the root', async () => {
    const leaf = pki.get('leaf-rsa2048');
    const srv = await nodeTlsServer({ cert: leaf.pem + pki.pem('other-root') + pki.pem('int'), key: leaf.keyPem, minVersion: 'TLSv1.3' });
    try {
      const s = tlsConnect(srv.port);
      const info = await s.opened;
      expect(info.tls!.peerCertificates.length).toBe(3);
      expect(info.tls!.chainSubjects).toEqual(['CN=localhost rsa2048', 'CN=wasi-connect test intermediate', 'CN=wasi-connect test root']);
      await s.close();
    } finally {
      await srv.stop();
    }
  });

  it('16 MiB echoed intact (SHA-256 of both directions) while the server also sends tickets', async () => {
    const leaf = pki.get('leaf-p256');
    const srv = await nodeTlsServer({ cert: leaf.pem + pki.pem('int'), key: leaf.keyPem, minVersion: 'TLSv1.3' });
    try {
      const s = tlsConnect(srv.port);
      await s.opened;
      const data = pattern(16 << 20, 7);
      const r = s.readable.getReader();
      const got = readExactly(r, data.length);
      await s.writable.getWriter().write(data);
      const back = await got;
      expect(createHash('sha256').update(back).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
      await s.close();
    } finally {
      await srv.stop();
    }
  }, 120_000);

  it('a TCP end without close_notify is an error (TLS_PROTOCOL_ERROR: the data may be truncated), after the data that came', async () => {
    const leaf = pki.get('leaf-p256');
    const srv = await nodeTlsServer({ cert: leaf.pem + pki.pem('int'), key: leaf.keyPem, minVersion: 'TLSv1.3' }, (sock) => {
      // the data, then the TCP connection ends under TLS: FIN without close_notify
      sock.write('partial answer', () => (sock as unknown as { _parent?: import('node:net').Socket })._parent?.end() ?? sock.destroy());
    });
    try {
      const s = tlsConnect(srv.port);
      await s.opened;
      const r = s.readable.getReader();
      expect(new TextDecoder().decode((await r.read()).value)).toBe('partial answer');
      const err = await r.read().then(() => null, (e) => e);
      expect(err).toBeInstanceOf(SocketError);
      expect(err.code).toBe('TLS_PROTOCOL_ERROR');
      expect(err.message).toContain('without TLS close_notify');
      await expect(s.closed).rejects.toBe(err);
    } finally {
      await srv.stop();
    }
  });

  it('writable.close() sends close_notify then FIN (half-close); the server answers and its close_notify ends our readable', async () => {
    const leaf = pki.get('leaf-p256');
    const srv = await nodeTlsServer({ cert: leaf.pem + pki.pem('int'), key: leaf.keyPem, minVersion: 'TLSv1.3', allowHalfOpen: true }, (sock) => {
      let n = 0;
      sock.on('data', (d) => (n += d.length));
      sock.on('end', () => sock.end(`got ${n} bytes then close_notify`));
    });
    try {
      const s = connect(`localhost:${srv.port}`, { secureTransport: 'on', ca, allowHalfOpen: true });
      await s.opened;
      const w = s.writable.getWriter();
      await w.write(enc.encode('12345'));
      await w.close();
      expect(await readAll(s)).toBe('got 5 bytes then close_notify');
      await s.close();
    } finally {
      await srv.stop();
    }
  });
});
