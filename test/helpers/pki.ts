// A PKI factory for tests: CAs, intermediates and leaves with chosen keys, names, SANs, usages,
// validity, constraints and extensions, including broken ones (SHA-1, RSA-1024, unknown critical
// extensions, v1, RSA-PSS, swapped signature algorithms). Built at test time by Debian's
// /usr/bin/python3 with python3-cryptography (test/helpers/pki.py): one process per makePki call.
//
//   const pki = makePki([
//     { id: 'root', subject: 'Test Root', key: 'rsa2048', ca: {} },
//     { id: 'int', subject: 'Test Int', issuer: 'root', key: 'p256', ca: { pathLen: 0 } },
//     { id: 'leaf', subject: 'leaf', issuer: 'int', san: ['DNS:example.test'], eku: ['serverAuth'] },
//   ]);
//   pki.der('leaf', 'int')  -> DER certificates;  pki.pem('root') -> PEM text
//   pki.get('leaf').certPath / .keyPath / .chainPath -> files in pki.dir (for openssl / node:tls servers)
//
// Keys: generating RSA is slow (about 0.5 s for 2048 bits, several seconds for 4096 here), so private
// keys are cached as PEM files in a temp directory (KEY_DIR) by name, key type + ":" + id unless
// `keyName` says otherwise. Two certificates with the same id and key type in different PKIs
// therefore share a key: give a distinct keyName (or subject) when a test needs an unrelated CA
// that looks the same. Nothing here is ever checked in.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export type KeyType = 'rsa1024' | 'rsa2048' | 'rsa3072' | 'rsa4096' | 'p256' | 'p384' | 'p521' | 'ed25519';
type Time = Date | number; // a Date, or Unix seconds

export interface CertSpec {
  id: string;
  /** A CN, or [attribute, value] pairs in DER order (CN, O, OU, C, L, ST, DC, emailAddress, serialNumber or a dotted OID). */
  subject: string | [string, string][];
  /** Id of the issuing certificate (listed earlier); absent = self-signed. */
  issuer?: string;
  key?: KeyType; // default p256
  keyName?: string;
  /** Reuse the key of this (earlier) certificate: cross-signing, re-issuing. */
  keyOf?: string;
  notBefore?: Time;
  notAfter?: Time;
  serial?: number;
  /** basicConstraints (critical by default); absent = no extension. { ca: false } = CA:FALSE. */
  ca?: { pathLen?: number; critical?: boolean; ca?: boolean };
  /** keyUsage names (digitalSignature, keyEncipherment, keyCertSign, cRLSign, keyAgreement, ...). */
  keyUsage?: string[];
  kuCritical?: boolean;
  /** extendedKeyUsage: serverAuth, clientAuth, codeSigning, any, or dotted OIDs. */
  eku?: string[];
  /** subjectAltName entries: "DNS:x", "IP:1.2.3.4", "IP:::1", "email:a@b", "URI:https://x", "DirName:CN=a,O=b". */
  san?: string[];
  sanCritical?: boolean;
  /** nameConstraints: "DNS:example.com", "IP:10.0.0.0/8", "DirName:O=x", "email:...", "URI:..." (critical by default). */
  nameConstraints?: { permitted?: string[]; excluded?: string[]; critical?: boolean };
  /** Raw extensions: OID, criticality, DER of the extnValue content as hex. */
  extensions?: { oid: string; critical: boolean; hex: string }[];
  ski?: boolean; // default true
  aki?: boolean; // default true for issued certificates
  hash?: 'sha256' | 'sha384' | 'sha512' | 'sha1' | 'md5';
  /** Sign with RSASSA-PSS (MGF1 with the same hash; salt defaults to the hash length). */
  pss?: { saltLength?: number };
  /** A v1 certificate (no version field, no extensions). */
  v1?: boolean;
  /** Raw DER AlgorithmIdentifiers (hex) put in place of the outer signatureAlgorithm / tbsCertificate.signature. */
  outerAlgHex?: string;
  innerAlgHex?: string;
  /** Raw DER Names (hex) put in place of the issuer / subject before signing: exact copies of real names. */
  issuerHex?: string;
  subjectHex?: string;
}

export interface IssuedCert {
  id: string;
  der: Uint8Array;
  pem: string;
  keyPem: string;
  certPath: string;
  keyPath: string;
  /** This certificate followed by its issuers up to (not including) the self-signed root. */
  chainPath: string;
}

export interface Pki {
  dir: string;
  certs: Record<string, IssuedCert>;
  get(id: string): IssuedCert;
  /** DER of the named certificates, in this order. */
  der(...ids: string[]): Uint8Array[];
  /** PEM text of the named certificates, concatenated. */
  pem(...ids: string[]): string;
}

export const KEY_DIR = join(tmpdir(), `wasi-connect-pki-keys-${process.getuid?.() ?? 0}`);
const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), 'pki.py');
const PYTHON = '/usr/bin/python3'; // Debian's, which has python3-cryptography (the python3 on PATH does not)

const seconds = (t: Time): number => (t instanceof Date ? Math.floor(t.getTime() / 1000) : Math.floor(t));

export function pemOf(der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}

/** DER of every CERTIFICATE block in PEM text. */
export function dersOf(pem: string): Uint8Array[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----([^-]+)-----END CERTIFICATE-----/g)].map((m) => new Uint8Array(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')));
}

/**
 * Builds the certificates (in order; issuers first) and writes <id>.pem, <id>.key and
 * <id>.chain.pem into a fresh temp directory (or opts.dir). opts.now: the time validity
 * defaults are relative to (default: the real time): notBefore = now - 1 day, notAfter = now + 30 days.
 */
export function makePki(specs: CertSpec[], opts: { now?: Time; dir?: string; keyDir?: string } = {}): Pki {
  const now = seconds(opts.now ?? new Date());
  const req = {
    keyDir: opts.keyDir ?? KEY_DIR,
    now,
    certs: specs.map((s) => ({
      ...s,
      notBefore: s.notBefore === undefined ? undefined : seconds(s.notBefore),
      notAfter: s.notAfter === undefined ? undefined : seconds(s.notAfter),
    })),
  };
  const out = execFileSync(PYTHON, [SCRIPT], { input: JSON.stringify(req), maxBuffer: 64 << 20 });
  const res = JSON.parse(out.toString()) as { certs: Record<string, { der: string; keyPem: string }> };
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'wasi-connect-pki-'));
  mkdirSync(dir, { recursive: true });
  const certs: Record<string, IssuedCert> = {};
  const bySpec = new Map(specs.map((s) => [s.id, s]));
  for (const s of specs) {
    const der = new Uint8Array(Buffer.from(res.certs[s.id].der, 'hex'));
    const c: IssuedCert = {
      id: s.id, der, pem: pemOf(der), keyPem: res.certs[s.id].keyPem,
      certPath: join(dir, `${s.id}.pem`), keyPath: join(dir, `${s.id}.key`), chainPath: join(dir, `${s.id}.chain.pem`),
    };
    writeFileSync(c.certPath, c.pem);
    writeFileSync(c.keyPath, c.keyPem, { mode: 0o600 });
    certs[s.id] = c;
  }
  for (const s of specs) {
    let chain = certs[s.id].pem;
    for (let p = s.issuer, guard = 0; p && guard < 16; p = bySpec.get(p)?.issuer, guard++) {
      if (!bySpec.get(p)?.issuer) break; // stop before the self-signed root
      chain += certs[p].pem;
    }
    writeFileSync(certs[s.id].chainPath, chain);
  }
  const get = (id: string): IssuedCert => {
    const c = certs[id];
    if (!c) throw new Error(`makePki: no certificate '${id}'`);
    return c;
  };
  return { dir, certs, get, der: (...ids) => ids.map((i) => get(i).der), pem: (...ids) => ids.map((i) => get(i).pem).join('') };
}
