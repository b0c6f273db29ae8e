// The bad-certificate matrix, end to end: one node:tls server presents a different chain for each
// SNI name; connect() must reject each with its own code, `opened` must never resolve, and the
// server must receive no application data (the client wrote some before the handshake ended).
// Then the options: rejectUnauthorized: false encrypts without verifying, and `ca` replaces the
// built-in anchors.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import tls from 'node:tls';
import { connect, SocketError } from 'wasi-connect';
import { makePki, type Pki, type CertSpec } from '../helpers/pki.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeTlsServer, opensslServer, type NodeTlsPeer } from '../helpers/tls-peers.js';

const DAY = 86_400;
const now = Math.floor(Date.now() / 1000);
const enc = new TextEncoder();

interface Case {
  name: string;
  /** The certificates, leaf first (ids), as the server sends them. */
  chain: string[];
  code: string;
  /** The name the client asks for (default: the case's own). */
  host?: string;
  /** Served by `openssl s_server` (node:tls will not present an RSA-1024 certificate in TLS 1.3). */
  openssl?: boolean;
}

const base: CertSpec[] = [
  { id: 'root', subject: 'matrix root', key: 'p256', ca: {}, keyUsage: ['keyCertSign', 'cRLSign'] },
  { id: 'int', subject: 'matrix intermediate', issuer: 'root', key: 'p256', ca: {}, keyUsage: ['keyCertSign', 'cRLSign'] },
  { id: 'other-root', subject: 'unrelated root', key: 'p256', ca: {} },
];
const leaf = (id: string, extra: Partial<CertSpec> = {}): CertSpec => ({
  id, subject: id, issuer: 'int', key: 'p256', san: [`DNS:${id}.test`], eku: ['serverAuth'], ...extra,
});

const specs: CertSpec[] = [
  ...base,
  leaf('good'),
  leaf('expired', { notBefore: now - 60 * DAY, notAfter: now - DAY }),
  leaf('notyet', { notBefore: now + DAY, notAfter: now + 60 * DAY }),
  leaf('wronghost', { san: ['DNS:somewhere-else.test'] }),
  leaf('wildcard', { san: ['DNS:*.test'] }), // a wildcard over a single label: never matches
  leaf('deepwild', { san: ['DNS:*.wild.test'] }), // asked for as a.b.wild.test: one label only
  leaf('partialwild', { san: ['DNS:f*.test'] }), // partial-label wildcards are refused
  { id: 'selfsigned', subject: 'selfsigned', key: 'p256', san: ['DNS:selfsigned.test'], eku: ['serverAuth'] },
  { id: 'unknown', subject: 'unknown', issuer: 'other-root', key: 'p256', san: ['DNS:unknown.test'], eku: ['serverAuth'] },
  leaf('missingint'),
  { id: 'int-noca', subject: 'intermediate without CA', issuer: 'root', key: 'p256', ca: { ca: false } },
  { id: 'noca', subject: 'noca', issuer: 'int-noca', key: 'p256', san: ['DNS:noca.test'], eku: ['serverAuth'] },
  { id: 'int-len0', subject: 'intermediate pathLen 0', issuer: 'root', key: 'p256', ca: { pathLen: 0 }, keyUsage: ['keyCertSign'] },
  { id: 'int-under-len0', subject: 'intermediate under pathLen 0', issuer: 'int-len0', key: 'p256', ca: {}, keyUsage: ['keyCertSign'] },
  { id: 'pathlen', subject: 'pathlen', issuer: 'int-under-len0', key: 'p256', san: ['DNS:pathlen.test'], eku: ['serverAuth'] },
  leaf('clientauth', { eku: ['clientAuth'] }),
  leaf('sha1', { hash: 'sha1' }),
  leaf('rsa1024', { key: 'rsa1024' }),
  leaf('critical', { extensions: [{ oid: '1.3.6.1.4.1.99999.1', critical: true, hex: '0500' }] }),
  { id: 'int-nc', subject: 'constrained intermediate', issuer: 'root', key: 'p256', ca: {}, nameConstraints: { permitted: ['DNS:allowed.test'] } },
  { id: 'ncviolation', subject: 'ncviolation', issuer: 'int-nc', key: 'p256', san: ['DNS:ncviolation.test'], eku: ['serverAuth'] },
];

const cases: Case[] = [
  { name: 'expired', chain: ['expired', 'int'], code: 'TLS_CERTIFICATE_EXPIRED' },
  { name: 'notyet', chain: ['notyet', 'int'], code: 'TLS_CERTIFICATE_NOT_YET_VALID' },
  { name: 'wronghost', chain: ['wronghost', 'int'], code: 'TLS_HOSTNAME_MISMATCH' },
  { name: 'wildcard', chain: ['wildcard', 'int'], code: 'TLS_HOSTNAME_MISMATCH' },
  { name: 'deepwild', chain: ['deepwild', 'int'], code: 'TLS_HOSTNAME_MISMATCH', host: 'a.b.wild.test' },
  { name: 'partialwild', chain: ['partialwild', 'int'], code: 'TLS_HOSTNAME_MISMATCH', host: 'foo.test' },
  { name: 'selfsigned', chain: ['selfsigned'], code: 'TLS_CERTIFICATE_UNTRUSTED' },
  { name: 'unknown', chain: ['unknown', 'other-root'], code: 'TLS_CERTIFICATE_UNTRUSTED' },
  { name: 'missingint', chain: ['missingint'], code: 'TLS_CERTIFICATE_UNTRUSTED' },
  { name: 'noca', chain: ['noca', 'int-noca'], code: 'TLS_CERTIFICATE_INVALID' },
  { name: 'pathlen', chain: ['pathlen', 'int-under-len0', 'int-len0'], code: 'TLS_CERTIFICATE_INVALID' },
  { name: 'clientauth', chain: ['clientauth', 'int'], code: 'TLS_CERTIFICATE_INVALID' },
  { name: 'sha1', chain: ['sha1', 'int'], code: 'TLS_CERTIFICATE_INVALID' },
  { name: 'rsa1024', chain: ['rsa1024', 'int'], code: 'TLS_CERTIFICATE_INVALID', openssl: true },
  { name: 'critical', chain: ['critical', 'int'], code: 'TLS_CERTIFICATE_INVALID' },
  { name: 'ncviolation', chain: ['ncviolation', 'int-nc'], code: 'TLS_CERTIFICATE_INVALID' },
];

let pki: Pki;
let server: NodeTlsPeer;
/** Bytes the server received per SNI name. */
const received = new Map<string, number>();

beforeAll(async () => {
  pki = makePki(specs);
  const contexts = new Map<string, tls.SecureContext>();
  const context = (chain: string[]) =>
    tls.createSecureContext({
      cert: pki.pem(...chain),
      key: pki.get(chain[0]).keyPem,
      // let the server load SHA-1 and RSA-1024 certificates: refusing them is the client's job
      ciphers: 'DEFAULT@SECLEVEL=0',
    });
  contexts.set('good.test', context(['good', 'int']));
  for (const c of cases) contexts.set(c.host ?? `${c.name}.test`, context(c.chain));
  server = await nodeTlsServer(
    {
      SNICallback: (name, cb) => cb(null, contexts.get(name) ?? contexts.get('good.test')!),
      // the default identity sends no chain (an SNI context inherits what the default one sends)
      // and the same security level as the SNI contexts (the connection keeps the default's)
      cert: pki.pem('selfsigned'),
      key: pki.get('selfsigned').keyPem,
      ciphers: 'DEFAULT@SECLEVEL=0',
    },
    (s) => {
      s.on('data', (d) => {
        const k = s.servername || '(none)';
        received.set(k, (received.get(k) ?? 0) + d.length);
        s.write(d);
      });
    },
  );
}, 120_000);
afterAll(() => server?.stop());

function open(host: string, opts: Record<string, unknown> = {}, port = server.port) {
  return connect(`127.0.0.1:${port}`, { secureTransport: 'on', ca: pki.pem('root'), sni: host, ...opts });
}

describe('the bad-certificate matrix (node:tls server, one chain per SNI name)', () => {
  it('the good chain opens and echoes (the harness works)', async () => {
    const s = open('good.test');
    const info = await s.opened;
    expect(info.tls?.verified).toBe(true);
    const r = s.readable.getReader();
    await s.writable.getWriter().write(enc.encode('ping'));
    expect(new TextDecoder().decode((await r.read()).value)).toBe('ping');
    await s.close();
  });

  for (const version of ['TLSv1.3', 'TLSv1.2'] as const) for (const c of cases) {
    const host = c.host ?? `${c.name}.test`;
    it(`${version} ${c.name}: ${c.code}, opened never resolves, the server gets no application data`, async () => {
      let ossl: Awaited<ReturnType<typeof opensslServer>> | null = null;
      if (c.openssl) {
        const chain = join(pki.dir, `${c.name}.sent-chain.pem`);
        writeFileSync(chain, pki.pem(...c.chain.slice(1)));
        ossl = await opensslServer({ cert: pki.get(c.chain[0]).certPath, key: pki.get(c.chain[0]).keyPath, chain, version: [], args: ['-cipher', 'DEFAULT@SECLEVEL=0'] });
      }
      const s = open(host, { maxVersion: version }, ossl?.port);
      // written before the handshake: must never reach the server, in clear or encrypted
      const writer = s.writable.getWriter();
      const wrote = writer.write(enc.encode('secret written before the handshake'));
      wrote.catch(() => {});
      let resolved = false;
      s.opened.then(() => (resolved = true), () => {});
      const err = await s.opened.then(() => null, (e) => e);
      expect(resolved).toBe(false);
      expect(err).toBeInstanceOf(SocketError);
      expect(err.code, err.message).toBe(c.code);
      expect(err.message).toMatch(/^SocketError: /);
      await expect(s.closed).rejects.toBe(err);
      await expect(wrote).rejects.toBeInstanceOf(SocketError);
      expect(received.get(host) ?? 0).toBe(0);
      if (ossl) {
        await ossl.waitFor('alert bad certificate'); // it saw our alert
        expect(ossl.output()).not.toContain('secret');
        await ossl.stop();
      }
    });
  }

  it('messages name the certificate involved', async () => {
    const err = await open('expired.test').opened.catch((e) => e);
    expect(err.message).toContain('expired');
    const mismatch = await open('wronghost.test').opened.catch((e) => e);
    expect(mismatch.message).toContain('somewhere-else.test');
  });

  it('rejectUnauthorized: false encrypts without verifying (expired, self-signed, wrong host all open; verified is false)', async () => {
    for (const host of ['expired.test', 'selfsigned.test', 'wronghost.test']) {
      const s = open(host, { rejectUnauthorized: false });
      const info = await s.opened;
      expect(info.tls?.verified).toBe(false);
      expect(info.tls?.chainSubjects).toEqual([]);
      const r = s.readable.getReader();
      await s.writable.getWriter().write(enc.encode('x'));
      expect((await r.read()).value?.length).toBe(1);
      await s.close();
    }
  });

  it('ca replaces the built-in anchors: without it our test root is unknown; a self-signed leaf given as ca is trusted', async () => {
    const noCa = connect(`127.0.0.1:${server.port}`, { secureTransport: 'on', sni: 'good.test' });
    await expect(noCa.opened).rejects.toMatchObject({ code: 'TLS_CERTIFICATE_UNTRUSTED' });
    const s = open('selfsigned.test', { ca: pki.pem('selfsigned') });
    expect((await s.opened).tls?.verified).toBe(true);
    await s.close();
    // and a ca that does not issue the chain does not help
    const t = open('good.test', { ca: pki.pem('other-root') });
    await expect(t.opened).rejects.toMatchObject({ code: 'TLS_CERTIFICATE_UNTRUSTED' });
  });

  it('invalid TLS option values throw SocketError INVALID_OPTION synchronously', () => {
    for (const o of [{ ca: 'not a pem' }, { ca: [] }, { ca: 42 }, { rejectUnauthorized: 'no' }, { keyLog: 5 }]) {
      expect(() => connect(`127.0.0.1:${server.port}`, { secureTransport: 'on', ...(o as object) })).toThrow(
        expect.objectContaining({ code: 'INVALID_OPTION' }),
      );
    }
    // a PEM that does not parse is refused by the component, also synchronously
    expect(() => connect(`127.0.0.1:${server.port}`, { secureTransport: 'on', ca: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
  });
});
