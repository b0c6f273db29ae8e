// Unit-level checks of assembly/x509: certificate times, RFC 4514 names, DNS matching, strict DER
// (each rule broken on purpose by surgery on a generated certificate), PEM and trust-store input,
// PublicKey.verifyScheme against node:crypto signatures, leafPublicKey.
import { describe, it, expect, beforeAll } from 'vitest';
import crypto from 'node:crypto';
import { makePki, type Pki, type CertSpec } from '../helpers/pki.ts';
import { parseDer, encodeDer, tlv, concat, tbsFields, rawNode, type DerNode } from '../helpers/der.ts';
import { TestRng } from '../crypto/vectors.ts';
import * as c from '../../src/crypto-testing.ts';

const NOW = 1_900_000_000;
let pki: Pki;

beforeAll(() => {
  const leaf = (id: string, key: CertSpec['key'], extra: Partial<CertSpec> = {}): CertSpec => ({
    id, subject: `${id}.unit.test`, issuer: 'root', key, san: ['DNS:unit.test'], eku: ['serverAuth'], keyUsage: ['digitalSignature'], ...extra,
  });
  pki = makePki([
    { id: 'root', subject: 'X509 Unit Root', key: 'p256', ca: {}, keyUsage: ['keyCertSign'] },
    leaf('p256', 'p256'),
    leaf('p384', 'p384'),
    leaf('rsa', 'rsa2048', { keyName: 'unit-rsa-leaf' }),
    leaf('rsa1024', 'rsa1024'),
    leaf('ed25519', 'ed25519'),
    leaf('p521', 'p521'),
    { id: 'v1root', subject: 'X509 V1 Root', key: 'p256', v1: true },
    leaf('underV1', 'p256', { issuer: 'v1root', keyName: 'unit-under-v1' }),
    leaf('v1leaf', 'p256', { v1: true, keyName: 'unit-v1-leaf' }),
    leaf('algSwap', 'p256', { keyName: 'unit-alg-swap', outerAlgHex: '300a06082a8648ce3d040303' }),
    leaf('bc', 'p256', { keyName: 'unit-bc', ca: { ca: false } }),
    { id: 'weakRoot', subject: 'X509 Weak Root', key: 'rsa1024', keyName: 'unit-weak-root', ca: {} },
    leaf('underWeak', 'p256', { issuer: 'weakRoot', keyName: 'unit-under-weak' }),
  ], { now: NOW });
}, 120_000);

describe('certificate times', () => {
  const utc = (...a: [number, number, number, number?, number?, number?]) => Date.UTC(a[0], a[1] - 1, a[2], a[3] ?? 0, a[4] ?? 0, a[5] ?? 0) / 1000;
  it('accepts exactly YYMMDDHHMMSSZ and YYYYMMDDHHMMSSZ, with real calendar ranges', () => {
    expect(c.x509ParseTime('240101000000Z', true)).toBe(utc(2024, 1, 1));
    expect(c.x509ParseTime('491231235959Z', true)).toBe(utc(2049, 12, 31, 23, 59, 59));
    expect(c.x509ParseTime('500101000000Z', true)).toBe(utc(1950, 1, 1)); // YY >= 50 is 19YY
    expect(c.x509ParseTime('000229120000Z', true)).toBe(utc(2000, 2, 29, 12)); // 2000 is a leap year
    expect(c.x509ParseTime('20500101000000Z', false)).toBe(utc(2050, 1, 1));
    expect(c.x509ParseTime('99991231235959Z', false)).toBe(utc(9999, 12, 31, 23, 59, 59));
    expect(c.x509ParseTime('19700101000000Z', false)).toBe(0);
    expect(c.x509ParseTime('20240229000000Z', false)).toBe(utc(2024, 2, 29));
  });
  it('refuses every other form', () => {
    for (const bad of ['2401010000Z', '240101000000', '240101000000+0100', '240101000000.5Z', '2401010000000Z', '241301000000Z',
      '240001000000Z', '240132000000Z', '230229000000Z', '000431000000Z', '240101240000Z', '240101006000Z', '240101000060Z',
      '24010100000aZ', '240101000000z', ' 40101000000Z', '-40101000000Z']) {
      expect(c.x509ParseTime(bad, true), bad).toBeNull();
    }
    for (const bad of ['2024010100000Z', '20240101000000', '20240101000000.0Z', '19000229000000Z', '2024010100000000Z', '+0240101000000Z']) {
      expect(c.x509ParseTime(bad, false), bad).toBeNull();
    }
  });
  it('round-trips against Date for 2,000 random times (1950-9999)', () => {
    const rng = new TestRng(509);
    for (let i = 0; i < 2000; i++) {
      const t = Math.floor(-631152000 + (rng.u32() / 2 ** 32) * (253402300799 + 631152000));
      const iso = new Date(t * 1000).toISOString().replace('.000', '');
      expect(c.x509FormatTime(t)).toBe(iso);
      const body = iso.replace(/[-:T]/g, '');
      expect(c.x509ParseTime(body, false)).toBe(t);
      const year = Number(iso.slice(0, 4));
      if (year >= 1950 && year <= 2049) expect(c.x509ParseTime(body.slice(2), true)).toBe(t);
    }
  });
});

describe('RFC 4514 names', () => {
  const oid = (hex: string) => tlv(0x06, Buffer.from(hex, 'hex'));
  const atv = (oidHex: string, tag: number, value: Uint8Array | string) =>
    tlv(0x30, concat(oid(oidHex), tlv(tag, typeof value === 'string' ? new TextEncoder().encode(value) : value)));
  const rdn = (...atvs: Uint8Array[]) => tlv(0x31, concat(...atvs));
  const name = (...rdns: Uint8Array[]) => tlv(0x30, concat(...rdns));
  const CN = '550403', O = '55040a', C = '550406', OU = '55040b', DC = '0992268993f22c640119';

  it('last RDN first, short attribute names, multi-valued RDNs with +', () => {
    expect(c.x509NameToString(name(rdn(atv(C, 0x13, 'DE')), rdn(atv(O, 0x0c, 'Example')), rdn(atv(CN, 0x0c, 'example.test'))))).toBe('CN=example.test,O=Example,C=DE');
    expect(c.x509NameToString(name(rdn(atv(DC, 0x16, 'test')), rdn(atv(OU, 0x0c, 'a'), atv(CN, 0x0c, 'b'))))).toBe('OU=a+CN=b,DC=test');
    expect(c.x509NameToString(name())).toBe('');
  });
  it('escapes special characters, leading "#"/space, trailing space, control characters', () => {
    expect(c.x509NameToString(name(rdn(atv(CN, 0x0c, 'a,b+c"d\\e<f>g;h'))))).toBe('CN=a\\,b\\+c\\"d\\\\e\\<f\\>g\\;h');
    expect(c.x509NameToString(name(rdn(atv(CN, 0x0c, '#x '))))).toBe('CN=\\#x\\ ');
    expect(c.x509NameToString(name(rdn(atv(CN, 0x0c, ' y\n'))))).toBe('CN=\\ y\\0a');
  });
  it('decodes UTF-8, BMPString, UniversalString and T61String; unknown types and OIDs as #hex / dotted', () => {
    expect(c.x509NameToString(name(rdn(atv(CN, 0x0c, 'Grüße ✓'))))).toBe('CN=Grüße ✓');
    expect(c.x509NameToString(name(rdn(atv(CN, 0x1e, Uint8Array.from([0x00, 0x41, 0x20, 0xac])))))).toBe('CN=A€');
    expect(c.x509NameToString(name(rdn(atv(CN, 0x1c, Uint8Array.from([0, 1, 0xf6, 0x00])))))).toBe('CN=😀');
    expect(c.x509NameToString(name(rdn(atv(CN, 0x14, Uint8Array.from([0x41, 0xe9])))))).toBe('CN=Aé');
    expect(c.x509NameToString(name(rdn(atv('2a0304', 0x04, Uint8Array.from([1, 2])))))).toBe('1.2.3.4=#04020102');
  });
  it('matches node:crypto for the subjects of all Mozilla roots that need no escaping', async () => {
    const tls = await import('node:tls');
    let compared = 0;
    for (const pem of tls.rootCertificates) {
      const x = new crypto.X509Certificate(pem);
      const parts = x.subject.split('\n');
      if (parts.some((p) => /[,+"\\<>;#]|^[^=]+= |\s$/.test(p) || !/^(CN|O|OU|C|L|ST|emailAddress|serialNumber|DC)=/.test(p))) continue;
      const fields = tbsFields(parseDer(new Uint8Array(x.raw)));
      const subject = fields[fields[0].tag === 0xa0 ? 5 : 4];
      const expected = parts.reverse().map((p) => p.replace(/^emailAddress=/, 'emailAddress=').replace(/^serialNumber=/, 'SERIALNUMBER=')).join(',');
      expect(c.x509NameToString(new Uint8Array(x.raw).subarray(subject.start, subject.end))).toBe(expected);
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  });
  it('is bounded for huge names', () => {
    const big = name(...Array.from({ length: 3000 }, (_, i) => rdn(atv(CN, 0x0c, `label-${i}`))));
    const s = c.x509NameToString(big);
    expect(s.length).toBeLessThan(500);
    expect(s.endsWith('...')).toBe(true);
  });
});

describe('DNS reference identity matching', () => {
  const cases: [string, string, boolean | null][] = [
    ['example.test', 'example.test', true],
    ['EXAMPLE.Test', 'example.test', true],
    ['example.test', 'www.example.test', false],
    ['*.example.test', 'www.example.test', true],
    ['*.example.test', 'WWW.example.test', true],
    ['*.example.test', 'example.test', false],
    ['*.example.test', 'a.b.example.test', false],
    ['*.example.test', '.example.test', null], // an empty label is not a host name
    ['*.test', 'a.test', false], // single-label suffix
    ['*', 'test', false],
    ['f*.example.test', 'foo.example.test', false],
    ['*o.example.test', 'foo.example.test', false],
    ['w*w.example.test', 'www.example.test', false],
    ['www.*.test', 'www.example.test', false],
    ['*.*.test', 'a.b.test', false],
    ['**.example.test', 'a.example.test', false],
    ['example.test.', 'example.test', false], // presented trailing dot: malformed
    ['exa mple.test', 'exa mple.test', null],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example', true],
    ['under_score.test', 'under_score.test', true],
    ['example.test', 'example.test.', null], // reference must not end with a dot
    ['1.2.3.4', '1.2.3.4', null], // an IP literal is not a DNS reference
    ['*.example.test', '*.example.test', null],
    ['', 'example.test', false],
  ];
  for (const [presented, reference, want] of cases) {
    it(`${JSON.stringify(presented)} vs ${JSON.stringify(reference)} -> ${want}`, () => {
      expect(c.x509DnsMatches(presented, reference)).toBe(want);
    });
  }
});

describe('strict DER (each rule broken on one generated certificate)', () => {
  let der: Uint8Array;
  let tree: DerNode;
  beforeAll(() => {
    der = pki.get('p256').der;
    tree = parseDer(der);
    expect(c.x509ParseError(der)).toBe('');
  });
  /** Re-encodes the certificate after `edit` changed a deep copy of the tree. */
  const edited = (edit: (cert: DerNode) => void, base: Uint8Array = der): Uint8Array => {
    const copy = rawNode(base);
    edit(copy);
    return encodeDer(copy);
  };
  const ext = (cert: DerNode, oidHex: string): DerNode => {
    const exts = tbsFields(cert).find((f) => f.tag === 0xa3)!.children![0];
    return exts.children!.find((e) => Buffer.from(e.children![0].content).toString('hex') === oidHex)!;
  };
  const refused = (bytes: Uint8Array, why: RegExp) => {
    expect(c.x509ParseError(bytes)).toMatch(why);
    const v = c.x509Verify([bytes], { host: 'unit.test', now: NOW, store: c.x509TrustStore([pki.pem('root')]) });
    expect(v.status).toBe('Invalid');
    expect(v.message).toMatch(/the server's certificate is malformed/);
  };

  it('unchanged re-encoding still parses (the surgery itself is sound)', () => {
    expect(c.x509ParseError(edited(() => {}))).toBe('');
  });
  it('trailing bytes after the certificate', () => refused(concat(der, [0]), /unexpected data after Certificate/));
  it('truncation', () => refused(der.subarray(0, der.length - 1), /longer than what encloses it/));
  it('a non-minimal length (leading zero byte, long form for a short length)', () => {
    const n = der[1] & 0x7f;
    refused(concat([0x30, 0x80 | (n + 1), 0], der.subarray(2)), /non-minimal length \(leading zero\)/);
    // tbsCertificate.signature (a short SEQUENCE) with its length in long form: 30 81 0a ...
    const fields = tbsFields(tree).map((f) => der.subarray(f.start, f.end));
    const alg = tbsFields(tree)[2];
    fields[2] = concat([0x30, 0x81, alg.content.length], alg.content);
    const tbs = tlv(0x30, concat(...fields));
    const rest = tree.children!.slice(1).map((f) => der.subarray(f.start, f.end));
    refused(tlv(0x30, concat(tbs, ...rest)), /non-minimal length \(long form for a short length\)/);
  });
  it('indefinite length (BER)', () => refused(concat([0x30, 0x80], der.subarray(der[1] & 0x80 ? 2 + (der[1] & 0x7f) : 2), [0, 0]), /indefinite length/));
  it('a high-tag-number tag', () => {
    // the subject CN's value: a place where any tag is read
    refused(edited((cert) => { tbsFields(cert)[5].children![0].children![0].children![1].tag = 0x1f; }), /high-tag-number/);
  });
  it('a non-minimal INTEGER (the serial number)', () => {
    refused(edited((cert) => {
      const serial = tbsFields(cert)[1];
      serial.content = concat([0x00, serial.content[0] & 0x7f], serial.content.subarray(1));
    }), /non-minimal INTEGER/);
    refused(edited((cert) => { tbsFields(cert)[1].content = new Uint8Array(0); }), /empty INTEGER/);
  });
  it('BOOLEAN other than 0x00 / 0xFF (an extension\'s critical flag)', () => {
    refused(edited((cert) => {
      const bc = ext(cert, '551d13');
      bc.children![1].content = Uint8Array.from([0x01]);
    }, pki.get('bc').der), /BOOLEAN must be 0x00 or 0xFF/);
  });
  it('an explicitly encoded default version, and an unknown version', () => {
    refused(edited((cert) => { tbsFields(cert)[0].children![0].content = Uint8Array.from([0]); }), /version v1 encoded explicitly/);
    refused(edited((cert) => { tbsFields(cert)[0].children![0].content = Uint8Array.from([3]); }), /unknown certificate version 4/);
  });
  it('signatureAlgorithm different from tbsCertificate.signature', () => {
    refused(pki.get('algSwap').der, /signatureAlgorithm differs from tbsCertificate.signature/);
  });
  it('a duplicated extension', () => {
    refused(edited((cert) => {
      const exts = tbsFields(cert).find((f) => f.tag === 0xa3)!.children![0];
      exts.children!.push(exts.children![exts.children!.length - 1]);
    }), /appears twice/);
  });
  it('empty subjectAltName, empty extension list, keyUsage without bits', () => {
    refused(edited((cert) => { ext(cert, '551d11').children!.at(-1)!.content = tlv(0x30, []); ext(cert, '551d11').children!.at(-1)!.children = undefined; }), /empty subjectAltName/);
    refused(edited((cert) => { tbsFields(cert).find((f) => f.tag === 0xa3)!.children![0].children = []; }), /empty extensions list/);
    refused(edited((cert) => { const v = ext(cert, '551d0f').children!.at(-1)!; v.children = undefined; v.content = tlv(0x03, [0x00]); }), /keyUsage with no bit set/);
  });
  it('BIT STRING rules (unused bits in a signature, unused bits not zero)', () => {
    refused(edited((cert) => { cert.children![2].content = concat([0x01], cert.children![2].content.subarray(1)); }), /BIT STRING must be whole bytes/);
    refused(edited((cert) => { const v = ext(cert, '551d0f').children!.at(-1)!; v.children = undefined; v.content = tlv(0x03, [0x07, 0x81]); }), /unused bits are not zero/);
  });
  it('a non-minimal OBJECT IDENTIFIER', () => {
    refused(edited((cert) => { const o = ext(cert, '551d0e').children![0]; o.content = concat([0x55, 0x80], o.content.subarray(1)); }), /non-minimal OBJECT IDENTIFIER/);
  });
  it('validity times that are not strict', () => {
    refused(edited((cert) => { tbsFields(cert)[4].children![0] = rawNode(tlv(0x17, new TextEncoder().encode('3001010000Z'))); }), /UTCTime not in the form/);
    refused(edited((cert) => { tbsFields(cert)[4].children![1] = rawNode(tlv(0x18, new TextEncoder().encode('20300101000000.5Z'))); }), /GeneralizedTime not in the form/);
  });
  it('an iPAddress subjectAltName of 5 bytes; an unknown GeneralName tag', () => {
    const sanWith = (gn: Uint8Array) => edited((cert) => { const v = ext(cert, '551d11').children!.at(-1)!; v.children = undefined; v.content = tlv(0x30, gn); });
    refused(sanWith(tlv(0x87, [1, 2, 3, 4, 5])), /iPAddress must be 4 or 16 bytes/);
    refused(sanWith(tlv(0x89, [1])), /unknown GeneralName tag/);
    expect(c.x509ParseError(sanWith(tlv(0x87, [1, 2, 3, 4])))).toBe('');
  });
  it('pathLenConstraint without cA', () => {
    refused(edited((cert) => {
      const v = ext(cert, '551d13').children!.at(-1)!;
      v.children = undefined;
      v.content = tlv(0x30, tlv(0x02, [3]));
    }, pki.get('bc').der), /pathLenConstraint without cA/);
  });
  it('nameConstraints with minimum / maximum or no subtrees', () => {
    const withNc = (nc: Uint8Array) => edited((cert) => {
      const exts = tbsFields(cert).find((f) => f.tag === 0xa3)!.children![0];
      exts.children!.push(rawNode(tlv(0x30, concat(tlv(0x06, [0x55, 0x1d, 0x1e]), tlv(0x04, nc)))));
    });
    expect(c.x509ParseError(withNc(tlv(0x30, tlv(0xa0, tlv(0x30, tlv(0x82, new TextEncoder().encode('a.test')))))))).toBe('');
    refused(withNc(tlv(0x30, tlv(0xa0, tlv(0x30, concat(tlv(0x82, new TextEncoder().encode('a.test')), tlv(0x81, [1])))))), /minimum\/maximum are not allowed/);
    refused(withNc(tlv(0x30, [])), /empty nameConstraints/);
    refused(withNc(tlv(0x30, tlv(0xa0, tlv(0x30, tlv(0x87, [10, 0, 0, 0, 255, 0, 255, 0]))))), /mask is not contiguous/);
  });
  it('v1 certificates: refused as a leaf, accepted as a trust anchor', () => {
    expect(c.x509ParseError(pki.get('v1leaf').der)).toBe('');
    const r = c.x509Verify(pki.der('v1leaf'), { host: 'unit.test', now: NOW, store: c.x509TrustStore([pki.pem('root')]) });
    expect(r.status).toBe('Invalid');
    expect(r.message).toMatch(/is X.509 v1 \(only v3 is accepted\)/);
    const v1store = c.x509TrustStore([pki.pem('v1root')]);
    expect(c.x509Verify(pki.der('underV1'), { host: 'unit.test', now: NOW, store: v1store }).status).toBe('Ok');
  });
  it('anchor mode is lenient about the signature algorithm and times, not about DER', () => {
    const oddTime = edited((cert) => { tbsFields(cert)[4].children![0] = rawNode(tlv(0x17, new TextEncoder().encode('3001010000Z'))); });
    expect(c.x509ParseError(oddTime, true)).toBe('');
    expect(c.x509ParseError(concat(der, [0]), true)).toMatch(/unexpected data/);
  });
});

describe('trust stores from PEM / DER', () => {
  it('PEM bundles with comments and other blocks; DER; duplicates collapse', () => {
    const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const bundle = `# a comment\n${pki.pem('root')}\nsome text\n${keyPem}${pki.pem('v1root')}`;
    expect(c.x509StoreSize(c.x509TrustStore([bundle]))).toBe(2);
    expect(c.x509StoreSize(c.x509TrustStore([pki.get('root').der]))).toBe(1);
    expect(c.x509StoreSize(c.x509TrustStore([pki.pem('root'), pki.pem('root', 'root')]))).toBe(1);
    expect(c.x509StoreSize(c.x509TrustStore([]))).toBe(0);
    expect(c.x509StoreSize(c.x509TrustStore([pki.pem('root').replace(/\n/g, '\r\n')]))).toBe(1);
    expect(c.x509StoreSize(c.x509TrustStore(['0 roots follow\n' + pki.pem('root')]))).toBe(1); // text that starts like DER

  });
  it('malformed input is refused with a message naming the blob and the certificate', () => {
    const pem = pki.pem('root');
    expect(() => c.x509TrustStore(['hello'])).toThrow('trust anchor blob #1: no -----BEGIN CERTIFICATE----- block (and not DER)');
    expect(() => c.x509TrustStore([pem, pem.replace('MII', 'MI!')])).toThrow('trust anchor blob #2: PEM block #1: invalid base64 character');
    expect(() => c.x509TrustStore([pem.replace('-----END CERTIFICATE-----', '')])).toThrow(/trust anchor blob #1: PEM block 'CERTIFICATE' has no matching END line/);
    const body = pem.split('\n').slice(1, -2).join('');
    expect(() => c.x509TrustStore([pem + `-----BEGIN CERTIFICATE-----\n${body.slice(0, -8)}AAAA\n-----END CERTIFICATE-----\n`]))
      .toThrow(/trust anchor blob #1, certificate #2 of 2: malformed certificate/);
    expect(() => c.x509TrustStore([new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01])])).toThrow(/trust anchor blob #1, certificate #1 of 1: malformed certificate/);
    expect(() => c.x509TrustStore([new Uint8Array(0)])).toThrow(/empty input/);
  });
  it('anchors with keys we cannot use are kept, and a chain ending there says why', () => {
    expect(c.x509StoreSize(c.x509TrustStore([pki.pem('ed25519')]))).toBe(1);
    const weak = c.x509TrustStore([pki.pem('weakRoot')]);
    const r = c.x509Verify(pki.der('underWeak'), { host: 'unit.test', now: NOW, store: weak });
    expect(r.status).toBe('Invalid');
    expect(r.message).toBe("trust anchor 'CN=X509 Weak Root' has a 1024-bit RSA key; at least 2048 bits are required");
  });
});

describe('PublicKey.verifyScheme (TLS handshake signatures)', () => {
  const msg = new TextEncoder().encode('TLS 1.3, server CertificateVerify' + ' '.repeat(64));
  const key = (id: string) => crypto.createPrivateKey(pki.get(id).keyPem);
  const der = (id: string) => pki.get(id).der;
  const ecdsa = (id: string, hash: string) => crypto.sign(hash, msg, key(id));
  const pss = (id: string, hash: string, saltLength: number) =>
    crypto.sign(hash, msg, { key: key(id), padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength });
  const pkcs1 = (id: string, hash: string) => crypto.sign(hash, msg, { key: key(id), padding: crypto.constants.RSA_PKCS1_PADDING });

  it('ECDSA: TLS 1.3 ties the curve to the scheme; TLS 1.2 allows any hash', () => {
    expect(c.x509VerifyScheme(der('p256'), 0x0403, msg, ecdsa('p256', 'sha256'), true)).toBe(true);
    expect(c.x509VerifyScheme(der('p256'), 0x0503, msg, ecdsa('p256', 'sha384'), true)).toBe(false);
    expect(c.x509VerifyScheme(der('p256'), 0x0503, msg, ecdsa('p256', 'sha384'), false)).toBe(true);
    expect(c.x509VerifyScheme(der('p256'), 0x0603, msg, ecdsa('p256', 'sha512'), true)).toBe(false);
    expect(c.x509VerifyScheme(der('p256'), 0x0603, msg, ecdsa('p256', 'sha512'), false)).toBe(true);
    expect(c.x509VerifyScheme(der('p384'), 0x0503, msg, ecdsa('p384', 'sha384'), true)).toBe(true);
    expect(c.x509VerifyScheme(der('p384'), 0x0403, msg, ecdsa('p384', 'sha256'), true)).toBe(false);
    expect(c.x509VerifyScheme(der('p384'), 0x0403, msg, ecdsa('p384', 'sha256'), false)).toBe(true);
    // the hash must be the scheme's
    expect(c.x509VerifyScheme(der('p256'), 0x0403, msg, ecdsa('p256', 'sha384'), false)).toBe(false);
  });
  it('RSA: PSS (salt = hash length) in both versions, PKCS#1 v1.5 only in TLS 1.2', () => {
    for (const [scheme, hash, hlen] of [[0x0804, 'sha256', 32], [0x0805, 'sha384', 48], [0x0806, 'sha512', 64]] as const) {
      expect(c.x509VerifyScheme(der('rsa'), scheme, msg, pss('rsa', hash, hlen), true)).toBe(true);
      expect(c.x509VerifyScheme(der('rsa'), scheme, msg, pss('rsa', hash, hlen), false)).toBe(true);
      expect(c.x509VerifyScheme(der('rsa'), scheme, msg, pss('rsa', hash, 0), true)).toBe(false);
    }
    for (const [scheme, hash] of [[0x0401, 'sha256'], [0x0501, 'sha384'], [0x0601, 'sha512']] as const) {
      expect(c.x509VerifyScheme(der('rsa'), scheme, msg, pkcs1('rsa', hash), false)).toBe(true);
      expect(c.x509VerifyScheme(der('rsa'), scheme, msg, pkcs1('rsa', hash), true)).toBe(false);
    }
  });
  it('wrong key type, unknown schemes, tampering', () => {
    expect(c.x509VerifyScheme(der('rsa'), 0x0403, msg, ecdsa('p256', 'sha256'), true)).toBe(false);
    expect(c.x509VerifyScheme(der('p256'), 0x0804, msg, pss('rsa', 'sha256', 32), true)).toBe(false);
    expect(c.x509VerifyScheme(der('p256'), 0x0807, msg, ecdsa('p256', 'sha256'), true)).toBe(false);
    expect(c.x509VerifyScheme(der('p256'), 0x0203, msg, ecdsa('p256', 'sha1'), false)).toBe(false);
    const sig = ecdsa('p256', 'sha256');
    const other = msg.slice();
    other[3] ^= 1;
    expect(c.x509VerifyScheme(der('p256'), 0x0403, other, sig, true)).toBe(false);
    const rs = pss('rsa', 'sha256', 32);
    rs[10] ^= 1;
    expect(c.x509VerifyScheme(der('rsa'), 0x0804, msg, rs, true)).toBe(false);
  });
  it('leafPublicKey: RSA 1024..8192 and P-256/P-384 only', () => {
    expect(c.x509LeafKey(der('rsa1024'))).toEqual({ kind: 'rsa', bits: 1024 });
    expect(c.x509LeafKey(der('rsa'))).toEqual({ kind: 'rsa', bits: 2048 });
    expect(c.x509LeafKey(der('p384'))).toEqual({ kind: 'p384', bits: 384 });
    expect(c.x509LeafKey(der('ed25519'))).toBeNull();
    expect(c.x509LeafKey(der('p521'))).toBeNull();
    expect(c.x509LeafKey(new Uint8Array([0x30, 0x00]))).toBeNull();
    // an RSA-1024 key still verifies (policy is the chain verifier's, not the key's)
    expect(c.x509VerifyScheme(der('rsa1024'), 0x0804, msg, pss('rsa1024', 'sha256', 32), true)).toBe(true);
  });
  it('an EC point that is not on the curve is not a key', () => {
    const d = der('p256').slice();
    const tree = parseDer(d);
    const spki = tbsFields(tree)[6];
    const bits = spki.children![1];
    d[bits.end - 1] ^= 1; // flip a bit of Y
    expect(c.x509LeafKey(d)).toBeNull();
  });
});
