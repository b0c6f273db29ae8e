// The compiled-in trust anchors and real-world certificates: Node's Mozilla root set (the build's
// source) and Debian's bundle as trust stores, every real root parsed strictly, its key compared
// with node:crypto's reading, its self-signature verified by our RSA/ECDSA code; a forged copy of
// a real root's exact name; addTrustAnchors (NODE_EXTRA_CA_CERTS).
import { describe, it, expect, beforeAll } from 'vitest';
import tls from 'node:tls';
import crypto from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { makePki, dersOf, type Pki } from '../helpers/pki.ts';
import { parseDer, tbsFields } from '../helpers/der.ts';
import * as c from '../../src/crypto-testing.ts';

const NOW = 1_900_000_000;
const roots = tls.rootCertificates.map((pem) => ({ pem, x: new crypto.X509Certificate(pem), der: dersOf(pem)[0] }));
const isrg = roots.find((r) => r.x.subject.includes('CN=ISRG Root X1'))!;

function subjectDer(der: Uint8Array): Uint8Array {
  const f = tbsFields(parseDer(der));
  const s = f[f[0].tag === 0xa0 ? 5 : 4];
  return der.subarray(s.start, s.end);
}

let pki: Pki;
beforeAll(() => {
  const isrgName = Buffer.from(subjectDer(isrg.der)).toString('hex');
  pki = makePki([
    // a self-signed CA with exactly ISRG Root X1's subject, and a leaf it signed
    { id: 'fakeIsrg', subject: 'placeholder', key: 'rsa2048', keyName: 'builtin-fake-isrg', ca: {}, subjectHex: isrgName, issuerHex: isrgName },
    { id: 'victim', subject: 'victim.example.test', issuer: 'fakeIsrg', key: 'p256', issuerHex: isrgName, san: ['DNS:victim.example.test'] },
    { id: 'extraRoot', subject: 'X509 Extra Root', key: 'p256', keyName: 'builtin-extra-root', ca: {} },
    { id: 'extraLeaf', subject: 'extra.example.test', issuer: 'extraRoot', key: 'p256', san: ['DNS:extra.example.test'] },
  ], { now: NOW });
}, 120_000);

describe('compiled-in anchors', () => {
  it('are exactly Node\'s root set', () => {
    expect(roots.length).toBeGreaterThan(100);
    expect(c.x509BuiltinCount()).toBe(tls.rootCertificates.length);
    expect(c.x509StoreSize()).toBe(tls.rootCertificates.length);
  });
  it('a chain under a test CA is not trusted by them', () => {
    const r = c.x509Verify(pki.der('extraLeaf'), { host: 'extra.example.test', now: NOW });
    expect(r.status).toBe('Untrusted');
    expect(r.message).toMatch(/'CN=X509 Extra Root'/);
  });
  it('a forged certificate with a real root\'s exact name is caught by the signature check', () => {
    const r = c.x509Verify(pki.der('victim'), { host: 'victim.example.test', now: NOW });
    expect(r.status).toBe('Invalid');
    expect(r.message).toBe("the signature of certificate 'CN=victim.example.test' does not verify with the key of 'CN=ISRG Root X1,O=Internet Security Research Group,C=US'");
    // and with the fake root in its own store, the same chain is fine
    expect(c.x509Verify(pki.der('victim'), { host: 'victim.example.test', now: NOW, store: c.x509TrustStore([pki.pem('fakeIsrg')]) }).status).toBe('Ok');
  });
});

describe('the real Mozilla roots', () => {
  it('all parse under the strict (non-anchor) rules', () => {
    const failures = roots.map((r) => [r.x.subject.split('\n').at(-1), c.x509ParseError(r.der)]).filter(([, e]) => e !== '');
    expect(failures).toEqual([]);
  });
  it('their keys read the same as node:crypto reads them', () => {
    for (const r of roots) {
      const d = r.x.publicKey.asymmetricKeyDetails!;
      const want = r.x.publicKey.asymmetricKeyType === 'rsa'
        ? { kind: 'rsa', bits: d.modulusLength }
        : { kind: d.namedCurve === 'prime256v1' ? 'p256' : 'p384', bits: d.namedCurve === 'prime256v1' ? 256 : 384 };
      expect(c.x509LeafKey(r.der), r.x.subject).toEqual(want);
    }
  });
  it('their self-signatures verify with our RSA / ECDSA code (SHA-1 ones are refused)', () => {
    const outcome: Record<string, number> = {};
    for (const r of roots) {
      const v = c.x509SignedBy(r.der, r.der);
      outcome[String(v)] = (outcome[String(v)] ?? 0) + 1;
      // node agrees on every one it can check
      if (v === true || v === false) expect(v, r.x.subject).toBe(r.x.verify(r.x.publicKey));
    }
    expect(outcome.false).toBeUndefined();
    expect(outcome.true).toBeGreaterThan(100);
    expect((outcome.true ?? 0) + (outcome.refused ?? 0)).toBe(roots.length);
  });
  it('a signature of one root does not verify with another root\'s key', () => {
    const rsa = roots.filter((r) => r.x.publicKey.asymmetricKeyType === 'rsa');
    const ec = roots.filter((r) => r.x.publicKey.asymmetricKeyType === 'ec');
    expect(c.x509SignedBy(isrg.der, rsa.find((r) => r !== isrg)!.der)).toBe(false);
    expect(c.x509SignedBy(ec[0].der, ec[1].der)).toBe(false);
  });
});

describe('Debian\'s bundle (real certificates beyond Node\'s set)', () => {
  const bundle = '/etc/ssl/certs/ca-certificates.crt';
  const text = existsSync(bundle) ? readFileSync(bundle, 'utf8') : '';
  const certs = dersOf(text).map((der) => ({ der, x: new crypto.X509Certificate(Buffer.from(der)) }));
  it.runIf(certs.length > 0)('loads as a trust store (one anchor per distinct subject + key)', () => {
    expect(certs.length).toBeGreaterThan(100);
    const distinct = new Set(certs.map(({ x }) => Buffer.from(subjectDer(new Uint8Array(x.raw))).toString('hex') + '|' +
      x.publicKey.export({ type: 'spki', format: 'der' }).toString('hex')));
    expect(c.x509StoreSize(c.x509TrustStore([text]))).toBe(distinct.size);
  });
  it.runIf(certs.length > 0)('every certificate parses strictly and its self-signature agrees with node', () => {
    const bad: string[] = [];
    for (const { der, x } of certs) {
      const e = c.x509ParseError(der);
      if (e !== '') { bad.push(`${x.subject}: ${e}`); continue; }
      const v = c.x509SignedBy(der, der);
      if (v === true || v === false) expect(v, x.subject).toBe(x.verify(x.publicKey));
      else expect(v, x.subject).toBe('refused');
    }
    expect(bad).toEqual([]);
  });
});

describe('addTrustAnchors (runs last: it changes the built-in store of this module instance)', () => {
  it('adds to the built-in store for later verifications; duplicates are not added twice', () => {
    const before = c.x509StoreSize();
    expect(c.x509AddTrustAnchors(pki.pem('extraRoot'))).toBe(1);
    expect(c.x509StoreSize()).toBe(before + 1);
    expect(c.x509Verify(pki.der('extraLeaf'), { host: 'extra.example.test', now: NOW }).status).toBe('Ok');
    expect(c.x509AddTrustAnchors(pki.get('extraRoot').der)).toBe(1);
    expect(c.x509AddTrustAnchors(isrg.pem)).toBe(1);
    expect(c.x509StoreSize()).toBe(before + 1);
  });
  it('malformed input adds nothing and says why', () => {
    const before = c.x509StoreSize();
    expect(() => c.x509AddTrustAnchors(pki.pem('fakeIsrg') + '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'))
      .toThrow(/^extra trust anchors, certificate #2 of 2: malformed certificate/);
    expect(() => c.x509AddTrustAnchors('not a certificate')).toThrow('extra trust anchors: no -----BEGIN CERTIFICATE----- block (and not DER)');
    expect(c.x509StoreSize()).toBe(before);
  });
});
