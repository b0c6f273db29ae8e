// wasi-connect/crypto-testing: a TEST-ONLY door into the AssemblyScript crypto in assembly/crypto/.
// It loads a plain core Wasm module built from the very same sources as the component
// (build/build-crypto.mjs) and calls each primitive with Uint8Arrays. Not part of the public API:
// nothing here is constant-time on the JS side, and the module keeps no secrets between calls.
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type Hash = 'sha256' | 'sha384' | 'sha512';
export type Aead = 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';
export type Curve = 'p256' | 'p384';

const HASH_ID: Record<Hash, number> = { sha256: 0, sha384: 1, sha512: 2 };
const HASH_LEN: Record<Hash, number> = { sha256: 32, sha384: 48, sha512: 64 };
const CURVE_ID: Record<Curve, number> = { p256: 0, p384: 1 };

function locateWasm(): string {
  const override = process.env.WASI_CONNECT_CRYPTO_WASM;
  if (override) return override;
  const candidates = [
    new URL('../dist/core/crypto-testing.wasm', import.meta.url), // from src/
    new URL('../core/crypto-testing.wasm', import.meta.url), // from dist/src/
  ];
  for (const c of candidates) {
    const p = fileURLToPath(c);
    if (existsSync(p)) return p;
  }
  throw new Error('crypto-testing.wasm is not built: run `npm run build`');
}

export type Exports = Record<string, any> & { memory: WebAssembly.Memory; arena(len: number): number };

let instance: Exports | null = null;
function wasm(): Exports {
  return (instance ??= instantiateRaw());
}

/**
 * A fresh instance of the crypto-testing module with every export, for tests that call the
 * test-only exports the functions below do not wrap (streaming hashes, in-place AEAD, ...).
 */
export function instantiateRaw(): Exports {
  const module = new WebAssembly.Module(readFileSync(locateWasm()));
  let mem: WebAssembly.Memory | null = null;
  const inst = new WebAssembly.Instance(module, {
    env: {
      abort(msg: number, file: number, line: number, col: number) {
        const str = (p: number) => {
          if (!p || !mem) return '';
          const len = new Uint32Array(mem.buffer, p - 4, 1)[0] >>> 1;
          return String.fromCharCode(...new Uint16Array(mem.buffer, p, len));
        };
        throw new Error(`wasm abort: ${str(msg)} at ${str(file)}:${line}:${col}`);
      },
      seed: () => Date.now(),
    },
  });
  const exports = inst.exports as unknown as Exports;
  mem = exports.memory;
  return exports;
}

function fn(name: string): (...args: number[]) => number {
  const f = wasm()[name];
  if (typeof f !== 'function') throw new Error(`crypto-testing: this build has no '${name}'`);
  return f;
}

/** Copies inputs into one arena region; returns their pointers and a pointer to `outLen` spare bytes. */
function place(inputs: Uint8Array[], outLen: number): { ptrs: number[]; out: number } {
  return placeIn(wasm(), inputs, outLen);
}

/** place() for any instance of the module (e.g. one from instantiateRaw()). */
export function placeIn(w: Exports, inputs: Uint8Array[], outLen: number): { ptrs: number[]; out: number } {
  const align = (n: number) => (n + 15) & ~15;
  const total = inputs.reduce((s, a) => s + align(a.length), 0) + align(outLen) + 16;
  let p = w.arena(total);
  const mem = new Uint8Array(w.memory.buffer);
  const ptrs: number[] = [];
  for (const a of inputs) {
    mem.set(a, p);
    ptrs.push(p);
    p += align(a.length);
  }
  return { ptrs, out: p };
}

function readOut(ptr: number, len: number): Uint8Array {
  return new Uint8Array(wasm().memory.buffer, ptr, len).slice();
}

function digest(name: Hash, data: Uint8Array): Uint8Array {
  const { ptrs, out } = place([data], HASH_LEN[name]);
  fn(name)(ptrs[0], data.length, out);
  return readOut(out, HASH_LEN[name]);
}

export const sha256 = (data: Uint8Array): Uint8Array => digest('sha256', data);
export const sha384 = (data: Uint8Array): Uint8Array => digest('sha384', data);
export const sha512 = (data: Uint8Array): Uint8Array => digest('sha512', data);

export function hmac(hash: Hash, key: Uint8Array, data: Uint8Array): Uint8Array {
  const { ptrs, out } = place([key, data], HASH_LEN[hash]);
  const n = fn('hmac')(HASH_ID[hash], ptrs[0], key.length, ptrs[1], data.length, out);
  return readOut(out, n);
}

/** HKDF (RFC 5869) Extract-then-Expand; throws when length exceeds 255 * HashLen. */
export function hkdf(hash: Hash, ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  const { ptrs, out } = place([ikm, salt, info], length);
  const ok = fn('hkdf')(HASH_ID[hash], ptrs[0], ikm.length, ptrs[1], salt.length, ptrs[2], info.length, out, length);
  if (ok !== 1) throw new RangeError('hkdf: length too large');
  return readOut(out, length);
}

/** TLS 1.3 HKDF-Expand-Label (RFC 8446, 7.1): label without the "tls13 " prefix. */
export function hkdfExpandLabel(hash: Hash, secret: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array {
  const l = new TextEncoder().encode(label);
  const { ptrs, out } = place([secret, l, context], length);
  const ok = fn('hkdfExpandLabel')(HASH_ID[hash], ptrs[0], secret.length, ptrs[1], l.length, ptrs[2], context.length, out, length);
  if (ok !== 1) throw new RangeError('hkdfExpandLabel: bad length');
  return readOut(out, length);
}

const AEAD_KEY_LEN: Record<Aead, number> = { 'aes-128-gcm': 16, 'aes-256-gcm': 32, 'chacha20-poly1305': 32 };
// AES-GCM and ChaCha20-Poly1305 live in separate modules with separate test exports.
const AEAD_FN: Record<Aead, [string, string]> = {
  'aes-128-gcm': ['gcmSeal', 'gcmOpen'],
  'aes-256-gcm': ['gcmSeal', 'gcmOpen'],
  'chacha20-poly1305': ['chachaPolySeal', 'chachaPolyOpen'],
};

/** Returns ciphertext followed by the 16-byte tag; throws on a key or nonce of the wrong size. */
export function aeadSeal(alg: Aead, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  if (key.length !== AEAD_KEY_LEN[alg]) throw new RangeError(`aeadSeal: ${alg} needs a ${AEAD_KEY_LEN[alg]}-byte key`);
  const { ptrs, out } = place([key, nonce, aad, plaintext], plaintext.length + 16);
  const n = fn(AEAD_FN[alg][0])(ptrs[0], key.length, ptrs[1], nonce.length, ptrs[2], aad.length, ptrs[3], plaintext.length, out);
  if (n < 0) throw new RangeError(`aeadSeal: bad key or nonce size for ${alg}`);
  return readOut(out, n);
}

/** Returns the plaintext, or null when the tag does not verify (or the sizes are invalid). */
export function aeadOpen(alg: Aead, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ciphertextAndTag: Uint8Array): Uint8Array | null {
  if (key.length !== AEAD_KEY_LEN[alg]) return null;
  const { ptrs, out } = place([key, nonce, aad, ciphertextAndTag], ciphertextAndTag.length);
  const n = fn(AEAD_FN[alg][1])(ptrs[0], key.length, ptrs[1], nonce.length, ptrs[2], aad.length, ptrs[3], ciphertextAndTag.length, out);
  return n < 0 ? null : readOut(out, n);
}

/** X25519(scalar, u) per RFC 7748 (32-byte little-endian inputs and output). */
export function x25519(scalar: Uint8Array, u: Uint8Array): Uint8Array {
  if (scalar.length !== 32 || u.length !== 32) throw new RangeError('x25519: inputs must be 32 bytes');
  const { ptrs, out } = place([scalar, u], 32);
  fn('x25519')(ptrs[0], ptrs[1], out);
  return readOut(out, 32);
}

/** ECDH on P-256/P-384: big-endian private scalar, uncompressed public point; null for an invalid point or scalar. */
export function ecdh(curve: Curve, privateKey: Uint8Array, publicPoint: Uint8Array): Uint8Array | null {
  const { ptrs, out } = place([privateKey, publicPoint], 48);
  const n = fn('ecdh')(CURVE_ID[curve], ptrs[0], privateKey.length, ptrs[1], publicPoint.length, out);
  return n < 0 ? null : readOut(out, n);
}

/** ECDSA verification of a DER-encoded signature over hash(message). */
export function ecdsaVerify(curve: Curve, hash: Hash, publicPoint: Uint8Array, message: Uint8Array, derSignature: Uint8Array): boolean {
  const { ptrs } = place([publicPoint, message, derSignature], 0);
  return fn('ecdsaVerify')(CURVE_ID[curve], HASH_ID[hash], ptrs[0], publicPoint.length, ptrs[1], message.length, ptrs[2], derSignature.length) === 1;
}

/** RSASSA-PKCS1-v1_5 verification (RFC 8017, 8.2.2). */
export function rsaPkcs1Verify(hash: Hash, modulus: Uint8Array, exponent: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const { ptrs } = place([modulus, exponent, message, signature], 0);
  return fn('rsaPkcs1Verify')(HASH_ID[hash], ptrs[0], modulus.length, ptrs[1], exponent.length, ptrs[2], message.length, ptrs[3], signature.length) === 1;
}

/** RSASSA-PSS verification (RFC 8017, 8.1.2) with MGF1 over the same hash. */
export function rsaPssVerify(hash: Hash, saltLength: number, modulus: Uint8Array, exponent: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const { ptrs } = place([modulus, exponent, message, signature], 0);
  return fn('rsaPssVerify')(HASH_ID[hash], saltLength, ptrs[0], modulus.length, ptrs[1], exponent.length, ptrs[2], message.length, ptrs[3], signature.length) === 1;
}

/** Output of the component's CSPRNG (HMAC-DRBG) instantiated from `seed`, for known-answer tests. */
export function csprngBytes(seed: Uint8Array, length: number): Uint8Array {
  const { ptrs, out } = place([seed], length);
  fn('csprngBytes')(ptrs[0], seed.length, out, length);
  return readOut(out, length);
}

/**
 * The component's CSPRNG (random.ts) after a fresh seeding. With `entropy` (48 bytes) the seed is
 * fixed, for known-answer tests; without it the seed comes from Web Crypto.
 */
export function secureRandomAfterReseed(length: number, entropy?: Uint8Array): Uint8Array {
  const seed = entropy ?? globalThis.crypto.getRandomValues(new Uint8Array(48));
  if (seed.length !== 48) throw new RangeError('secureRandomAfterReseed: entropy must be 48 bytes');
  const { ptrs, out } = place([seed], length);
  fn('csprngReset')(ptrs[0], seed.length);
  fn('secureRandomBytes')(out, length);
  return readOut(out, length);
}

/** More output from the CSPRNG as it stands (no reseed). */
export function secureRandomNext(length: number): Uint8Array {
  const { out } = place([], length);
  fn('secureRandomBytes')(out, length);
  return readOut(out, length);
}

// ---- X.509 certificate verification (assembly/x509, exports in assembly/x509/testing/x509.ts) ----

export type CertStatusName = 'Ok' | 'Untrusted' | 'Expired' | 'NotYetValid' | 'HostnameMismatch' | 'Invalid';
/** CertStatus codes of assembly/x509/status.ts, by value. */
export const CERT_STATUS: readonly CertStatusName[] = ['Ok', 'Untrusted', 'Expired', 'NotYetValid', 'HostnameMismatch', 'Invalid'];
export type KeyKind = 'rsa' | 'p256' | 'p384';
const KEY_KIND: Record<number, KeyKind> = { 1: 'rsa', 2: 'p256', 3: 'p384' };

export interface ChainVerdict {
  status: CertStatusName;
  message: string;
  /** The leaf's key, whenever the leaf parsed and its key is supported. */
  leafKey: { kind: KeyKind; bits: number } | null;
  /** RFC 4514 subjects: the verified path (leaf first, anchor last), or just the leaf. */
  subjects: string[];
}

/** A trust store inside the module: 0 is the built-in one. */
export interface X509Store { readonly handle: number }
export const builtinStore: X509Store = { handle: 0 };

type Blob = string | Uint8Array;
const utf8 = (b: Blob): Uint8Array => (typeof b === 'string' ? new TextEncoder().encode(b) : b);
const utf16 = new TextDecoder('utf-16le');

/** Encodes a list for the module: u32 count, then u32 length + bytes per item. */
function list(items: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(4 + items.reduce((n, a) => n + 4 + a.length, 0));
  const dv = new DataView(out.buffer);
  dv.setUint32(0, items.length, true);
  let p = 4;
  for (const a of items) {
    dv.setUint32(p, a.length, true);
    out.set(a, p + 4);
    p += 4 + a.length;
  }
  return out;
}

/** Reads an AssemblyScript string the module returned a pointer to. */
function readString(ptr: number): string {
  const mem = wasm().memory.buffer;
  const bytes = new Uint32Array(mem, ptr - 4, 1)[0];
  return utf16.decode(new Uint8Array(mem, ptr, bytes));
}

/** 4 or 16 bytes of an IPv4 / IPv6 literal. */
export function ipBytes(ip: string): Uint8Array {
  if (ip.includes(':')) {
    const [head, tail = null] = ip.split('::');
    const groups = (s: string) => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
    const h = groups(head), t = tail === null ? [] : groups(tail);
    const all = tail === null ? h : [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
    if (all.length !== 8 || all.some((g) => !(g >= 0 && g <= 0xffff))) throw new RangeError(`bad IPv6 literal ${ip}`);
    return new Uint8Array(all.flatMap((g) => [g >> 8, g & 0xff]));
  }
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((v) => !(v >= 0 && v <= 255))) throw new RangeError(`bad IPv4 literal ${ip}`);
  return new Uint8Array(parts);
}

/** A store of exactly these anchors (PEM text or DER each); throws with the module's lastX509Error. */
export function x509TrustStore(blobs: Blob[]): X509Store {
  const encoded = list(blobs.map(utf8));
  const { ptrs } = place([encoded], 0);
  const h = fn('x509StoreFrom')(ptrs[0], encoded.length);
  if (h === 0) throw new Error(readString(fn('x509LastError')()));
  return { handle: h };
}

/** Number of anchors in a store. */
export function x509StoreSize(store: X509Store = builtinStore): number {
  return fn('x509StoreSize')(store.handle);
}

/** How many anchors were compiled into the module. */
export function x509BuiltinCount(): number {
  return fn('x509BuiltinCount')();
}

/** addTrustAnchors (adds to the built-in store of this instance); throws with lastX509Error on -1. */
export function x509AddTrustAnchors(blob: Blob): number {
  const b = utf8(blob);
  const { ptrs } = place([b], 0);
  const n = fn('x509AddTrustAnchors')(ptrs[0], b.length);
  if (n < 0) throw new Error(readString(fn('x509LastError')()));
  return n;
}

export interface VerifyOptions {
  /** Reference DNS name (lowercase ASCII, no trailing dot). */
  host?: string;
  /** IP-literal reference identity (replaces host). */
  ip?: string | Uint8Array;
  /** The verification time: Date, or Unix seconds. */
  now: Date | number;
  store?: X509Store;
}

/** verifyServerChain over DER certificates (leaf first). */
export function x509Verify(certs: Uint8Array[], opts: VerifyOptions): ChainVerdict {
  const host = new TextEncoder().encode(opts.host ?? '');
  const ip = opts.ip === undefined ? null : typeof opts.ip === 'string' ? ipBytes(opts.ip) : opts.ip;
  const encoded = list(certs);
  const { ptrs } = place([encoded, host, ip ?? new Uint8Array(0)], 0);
  const now = BigInt(opts.now instanceof Date ? Math.floor(opts.now.getTime() / 1000) : Math.floor(opts.now));
  const f = wasm().x509Verify as (...a: (number | bigint)[]) => number;
  const out = readString(f(ptrs[0], encoded.length, ptrs[1], host.length, ptrs[2], ip === null ? -1 : ip.length, now, (opts.store ?? builtinStore).handle));
  const [status, message, key, ...subjects] = out.split('\x01');
  const [kind, bits] = key ? key.split(':').map(Number) : [0, 0];
  return { status: CERT_STATUS[Number(status)], message, leafKey: key ? { kind: KEY_KIND[kind], bits } : null, subjects };
}

/** leafPublicKey: the key of a DER certificate, or null. */
export function x509LeafKey(der: Uint8Array): { kind: KeyKind; bits: number } | null {
  const { ptrs } = place([der], 0);
  const v = fn('x509LeafKey')(ptrs[0], der.length);
  return v === 0 ? null : { kind: KEY_KIND[v >>> 16], bits: v & 0xffff };
}

/** PublicKey.verifyScheme with the certificate's key; null when the certificate has no usable key. */
export function x509VerifyScheme(der: Uint8Array, scheme: number, message: Uint8Array, signature: Uint8Array, tls13: boolean): boolean | null {
  const { ptrs } = place([der, message, signature], 0);
  const v = fn('x509VerifyScheme')(ptrs[0], der.length, scheme, ptrs[1], message.length, ptrs[2], signature.length, tls13 ? 1 : 0);
  return v < 0 ? null : v === 1;
}

/** Does issuer's key verify child's signature? 'refused' for a SHA-1 (etc.) signature, 'unsupported' for an unusable issuer key. */
export function x509SignedBy(child: Uint8Array, issuer: Uint8Array): boolean | 'malformed' | 'refused' | 'unsupported' {
  const { ptrs } = place([child, issuer], 0);
  const v = fn('x509SignedBy')(ptrs[0], child.length, ptrs[1], issuer.length);
  return v === 1 ? true : v === 0 ? false : v === -1 ? 'malformed' : v === -2 ? 'refused' : 'unsupported';
}

/** '' when the DER certificate parses, else the parser's reason. asAnchor: the lenient trust-anchor mode. */
export function x509ParseError(der: Uint8Array, asAnchor = false): string {
  const { ptrs } = place([der], 0);
  return readString(fn('x509ParseError')(ptrs[0], der.length, asAnchor ? 1 : 0));
}

/** RFC 4514 string of a DER Name. */
export function x509NameToString(nameDer: Uint8Array): string {
  const { ptrs } = place([nameDer], 0);
  return readString(fn('x509NameToString')(ptrs[0], nameDer.length));
}

/** Unix seconds of a UTCTime (utc = true) or GeneralizedTime body such as "240101000000Z", or null when refused. */
export function x509ParseTime(body: string, utc: boolean): number | null {
  const b = new TextEncoder().encode(body);
  const { ptrs } = place([b], 0);
  const f = wasm().x509ParseTime as (...a: number[]) => bigint;
  const v = f(utc ? 0x17 : 0x18, ptrs[0], b.length);
  return v === -(2n ** 63n) ? null : Number(v);
}

/** The module's "YYYY-MM-DDTHH:MM:SSZ" for Unix seconds. */
export function x509FormatTime(seconds: number): string {
  const f = wasm().x509FormatTime as (t: bigint) => number;
  return readString(f(BigInt(seconds)));
}

/** Does a presented dNSName match a reference host? null when the reference is not a usable DNS name. */
export function x509DnsMatches(presented: string, reference: string): boolean | null {
  const p = new TextEncoder().encode(presented), r = new TextEncoder().encode(reference);
  const { ptrs } = place([p, r], 0);
  const v = fn('x509DnsMatches')(ptrs[0], p.length, ptrs[1], r.length);
  return v < 0 ? null : v === 1;
}
