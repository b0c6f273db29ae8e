// Differential: the same generated chains verified by OpenSSL 3.0 (`openssl verify -x509_strict
// -purpose sslserver -verify_hostname/-verify_ip -attime`) and by assembly/x509. Every case carries
// exactly one defect (or none), on varied key types, hashes and chain shapes, so both verdicts and
// the category of the failure must agree (OpenSSL's error code -> our status, table below).
// Cases where the two verifiers' policies differ on purpose (SHA-1, RSA-1024, CN fallback,
// wildcard subtleties) are left to the matrix, as the toolchain notes advise.
import { describe, it, expect, beforeAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makePki, pemOf, type Pki, type CertSpec, type KeyType } from '../helpers/pki.ts';
import * as c from '../../src/crypto-testing.ts';

const NOW = 1_900_000_000;
const DAY = 86400;
const OPENSSL = '/usr/bin/openssl';

/** OpenSSL verify error codes (x509_vfy.h) and the status we must give for the same defect. */
const OPENSSL_TO_STATUS: Record<number, c.CertStatusName> = {
  0: 'Ok',
  7: 'Invalid', // certificate signature failure
  9: 'NotYetValid',
  10: 'Expired',
  18: 'Untrusted', // self-signed leaf
  19: 'Untrusted', // self-signed certificate in chain
  20: 'Untrusted', // unable to get local issuer certificate
  24: 'Invalid', // invalid CA certificate
  79: 'Invalid', // invalid CA certificate (the -x509_strict variant: a CA certificate without CA:TRUE)
  25: 'Invalid', // path length constraint exceeded
  26: 'Invalid', // unsupported certificate purpose
  34: 'Invalid', // unhandled critical extension
  47: 'Invalid', // permitted subtree violation
  48: 'Invalid', // excluded subtree violation
  62: 'HostnameMismatch',
  64: 'HostnameMismatch', // IP address mismatch
};

const DEFECTS = ['none', 'leafExpired', 'leafFuture', 'intExpired', 'wrongHost', 'wrongIp', 'missingInt', 'intNotCa', 'pathLen',
  'leafClientAuth', 'intClientAuth', 'critExt', 'ncDns', 'ncExcluded', 'ncIp', 'badSig', 'selfSigned', 'unknownRoot'] as const;
type Defect = (typeof DEFECTS)[number];
const KEYS: KeyType[] = ['p256', 'p384', 'rsa2048'];
const HASHES = ['sha256', 'sha384', 'sha512'] as const;
const VARIANTS = 3;

interface Case { name: string; defect: Defect; chain: string[]; root: string; host?: string; ip?: string; tamper?: boolean }

function build(): { specs: CertSpec[]; cases: Case[] } {
  const specs: CertSpec[] = [];
  const cases: Case[] = [];
  // three shared roots (one per key type), and one the stores never hold
  for (const [i, key] of KEYS.entries()) specs.push({ id: `root${i}`, subject: `X509 Diff Root ${i}`, key, keyName: `diff-root-${key}`, ca: {}, keyUsage: ['keyCertSign', 'cRLSign'], notBefore: NOW - 900 * DAY, notAfter: NOW + 900 * DAY });
  specs.push({ id: 'stranger', subject: 'X509 Diff Stranger Root', key: 'p256', keyName: 'diff-stranger', ca: {}, keyUsage: ['keyCertSign'] });
  for (const defect of DEFECTS) {
    for (let v = 0; v < VARIANTS; v++) {
      const p = `${defect}-${v}`;
      const key = KEYS[(v + DEFECTS.indexOf(defect)) % 3];
      const hash = HASHES[(v + 2 * DEFECTS.indexOf(defect)) % 3];
      const rootId = defect === 'unknownRoot' ? 'stranger' : `root${v}`;
      const depth = defect === 'pathLen' ? 2 : 1 + (v % 2); // intermediates
      const ints: string[] = [];
      for (let d = 0; d < depth; d++) {
        const id = `${p}-int${d}`;
        const spec: CertSpec = {
          id, subject: `X509 Diff ${p} Int ${d}`, issuer: d === 0 ? rootId : ints[d - 1], key: KEYS[(v + d) % 3], keyName: `diff-int-${KEYS[(v + d) % 3]}-${d}`,
          ca: {}, keyUsage: ['keyCertSign', 'cRLSign'], hash, notBefore: NOW - 400 * DAY, notAfter: NOW + 400 * DAY,
        };
        if (d === 0 && defect === 'intExpired') spec.notAfter = NOW - DAY;
        if (d === depth - 1 && defect === 'intNotCa') spec.ca = { ca: false };
        if (d === 0 && defect === 'pathLen') spec.ca = { pathLen: 0 };
        if (d === 0 && defect === 'intClientAuth') spec.eku = ['clientAuth'];
        if (d === 0 && defect === 'ncDns') spec.nameConstraints = { permitted: ['DNS:permitted.test'] };
        if (d === 0 && defect === 'ncExcluded') spec.nameConstraints = { excluded: ['DNS:diff.test'] };
        if (d === 0 && defect === 'ncIp') spec.nameConstraints = { permitted: ['DNS:diff.test', 'IP:10.0.0.0/8'] };
        specs.push(spec);
        ints.push(id);
      }
      const leaf: CertSpec = {
        id: `${p}-leaf`, subject: `${p}.diff.test`, issuer: ints[depth - 1], key, keyName: `diff-leaf-${key}`, hash,
        san: ['DNS:www.diff.test', 'DNS:*.wild.diff.test', 'IP:192.0.2.7'], eku: ['serverAuth'], keyUsage: ['digitalSignature'],
      };
      if (defect === 'leafExpired') { leaf.notBefore = NOW - 90 * DAY; leaf.notAfter = NOW - 10; }
      if (defect === 'leafFuture') { leaf.notBefore = NOW + 10; leaf.notAfter = NOW + 90 * DAY; }
      if (defect === 'leafClientAuth') leaf.eku = ['clientAuth'];
      if (defect === 'critExt') leaf.extensions = [{ oid: '1.3.6.1.4.1.55555.7', critical: true, hex: '0500' }];
      if (defect === 'selfSigned') { delete leaf.issuer; leaf.ca = undefined; }
      specs.push(leaf);
      const chain = defect === 'selfSigned' ? [leaf.id] : defect === 'missingInt' ? [leaf.id, ...ints.slice(0, -1)] : [leaf.id, ...[...ints].reverse()];
      if (defect === 'unknownRoot') chain.push('stranger');
      if (v === 2 && chain.length > 2) chain.splice(1, chain.length - 1, ...chain.slice(1).reverse()); // out of order
      const c0: Case = { name: p, defect, chain, root: `root${v}`, host: v === 1 ? 'a.wild.diff.test' : 'www.diff.test' };
      if (defect === 'wrongHost') c0.host = 'other.diff.test';
      if (defect === 'wrongIp' || defect === 'ncIp') { c0.host = undefined; c0.ip = defect === 'wrongIp' ? '192.0.2.8' : '192.0.2.7'; }
      if (defect === 'badSig') c0.tamper = true;
      cases.push(c0);
    }
  }
  return { specs, cases };
}

/** OpenSSL's verdict: 0 for OK, else the first error code it printed. */
function opensslVerify(pki: Pki, k: Case, files: { leaf: string; untrusted: string | null; ca: string }): { code: number; out: string } {
  const args = ['verify', '-x509_strict', '-purpose', 'sslserver', '-attime', String(NOW), '-CAfile', files.ca];
  if (files.untrusted) args.push('-untrusted', files.untrusted);
  if (k.ip) args.push('-verify_ip', k.ip); else args.push('-verify_hostname', k.host!);
  args.push(files.leaf);
  let out: string;
  try {
    out = execFileSync(OPENSSL, args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  } catch (e) {
    const err = e as { stdout: Buffer; stderr: Buffer };
    out = err.stdout.toString() + err.stderr.toString();
  }
  const m = /error (\d+) at \d+ depth/.exec(out);
  if (m) return { code: Number(m[1]), out };
  return { code: /: OK\s*$/.test(out) ? 0 : -1, out };
}

let pki: Pki;
let cases: Case[];
beforeAll(() => {
  const built = build();
  cases = built.cases;
  pki = makePki(built.specs, { now: NOW });
}, 180_000);

describe('OpenSSL 3.0 and assembly/x509 agree', () => {
  it(`on ${DEFECTS.length * VARIANTS} chains with one defect each (${DEFECTS.length} kinds x ${VARIANTS} variants)`, () => {
    const rows: string[] = [];
    const disagreements: string[] = [];
    const seen = new Set<string>();
    for (const k of cases) {
      let ders = pki.der(...k.chain);
      if (k.tamper) {
        const leaf = ders[0].slice();
        leaf[leaf.length - 3] ^= 0x10;
        ders = [leaf, ...ders.slice(1)];
      }
      const dir = pki.dir;
      const leafPath = join(dir, `${k.name}.diff-leaf.pem`);
      writeFileSync(leafPath, pemOf(ders[0]));
      let untrusted: string | null = null;
      if (ders.length > 1) {
        untrusted = join(dir, `${k.name}.diff-untrusted.pem`);
        writeFileSync(untrusted, ders.slice(1).map(pemOf).join(''));
      }
      const o = opensslVerify(pki, k, { leaf: leafPath, untrusted, ca: pki.get(k.root).certPath });
      const ours = c.x509Verify(ders, { host: k.host, ip: k.ip, now: NOW, store: c.x509TrustStore([pki.pem(k.root)]) });
      const theirs = OPENSSL_TO_STATUS[o.code] ?? `openssl error ${o.code}`;
      seen.add(ours.status);
      rows.push(`${k.name.padEnd(18)} openssl ${String(o.code).padStart(2)} -> ${theirs.padEnd(16)} ours ${ours.status}`);
      if (theirs !== ours.status) disagreements.push(`${k.name}: openssl ${o.code} (${theirs}), ours ${ours.status}: ${ours.message}\n${o.out}`);
    }
    console.log(rows.join('\n'));
    expect(disagreements).toEqual([]);
    // the cases reach every status
    expect([...seen].sort()).toEqual([...c.CERT_STATUS].sort());
  });
});
