// Certificates for the demo, made with nothing but node:crypto (so `npm start` needs no openssl):
// a CA and a server certificate for localhost / 127.0.0.1 it issues, ECDSA P-256 with SHA-256,
// valid from an hour ago for a day. A minimal DER writer builds the X.509 structures.
import { generateKeyPairSync, sign, randomBytes } from 'node:crypto';

const tlv = (tag, ...parts) => {
  const body = Buffer.concat(parts);
  const n = body.length;
  const len = n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), len, body]);
};
const seq = (...p) => tlv(0x30, ...p);
const set = (...p) => tlv(0x31, ...p);
const oid = (dotted) => {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const bytes = [40 * a + b];
  for (const v of rest) {
    const groups = [];
    let x = v;
    do {
      groups.unshift(x & 0x7f);
      x >>>= 7;
    } while (x > 0);
    bytes.push(...groups.map((g, i) => (i < groups.length - 1 ? g | 0x80 : g)));
  }
  return tlv(0x06, Buffer.from(bytes));
};
const integer = (buf) => tlv(0x02, buf[0] & 0x80 ? Buffer.concat([Buffer.from([0]), buf]) : buf);
const utf8 = (s) => tlv(0x0c, Buffer.from(s, 'utf8'));
const octets = (b) => tlv(0x04, b);
const bits = (b) => tlv(0x03, Buffer.concat([Buffer.from([0]), b]));
const bool = (v) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const explicit = (n, inner) => tlv(0xa0 + n, inner);
const utcTime = (d) => tlv(0x17, Buffer.from(d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z'));
const name = (cn) => seq(set(seq(oid('2.5.4.3'), utf8(cn))));
const ext = (id, critical, value) => seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));
const ECDSA_SHA256 = seq(oid('1.2.840.10045.4.3.2'));

function certificate({ subject, issuer, publicKey, signingKey, ca, san }) {
  const now = Date.now();
  const extensions = [
    ext('2.5.29.19', true, seq(...(ca ? [bool(true)] : []))), // basicConstraints
    ext('2.5.29.15', true, bits(Buffer.from([ca ? 0x06 : 0x80]))), // keyUsage: keyCertSign+cRLSign | digitalSignature
  ];
  if (san) {
    extensions.push(ext('2.5.29.17', false, seq(tlv(0x82, Buffer.from('localhost')), tlv(0x87, Buffer.from([127, 0, 0, 1]))))); // SAN
    extensions.push(ext('2.5.29.37', false, seq(oid('1.3.6.1.5.5.7.3.1')))); // extKeyUsage serverAuth
  }
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))), // v3
    integer(randomBytes(8)),
    ECDSA_SHA256,
    name(issuer),
    seq(utcTime(new Date(now - 3600_000)), utcTime(new Date(now + 86_400_000))),
    name(subject),
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, seq(...extensions)),
  );
  const der = seq(tbs, ECDSA_SHA256, bits(sign('sha256', tbs, signingKey)));
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`.replace('\n\n', '\n');
}

/** A demo CA and a server certificate for localhost / 127.0.0.1 it issued: PEM strings. */
export function makeDemoCertificates() {
  const caKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const serverKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const ca = certificate({ subject: 'wasi-connect demo CA', issuer: 'wasi-connect demo CA', publicKey: caKeys.publicKey, signingKey: caKeys.privateKey, ca: true });
  const cert = certificate({ subject: 'localhost', issuer: 'wasi-connect demo CA', publicKey: serverKeys.publicKey, signingKey: caKeys.privateKey, san: true });
  return { ca, cert, key: serverKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }) };
}
