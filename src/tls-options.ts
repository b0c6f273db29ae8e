// TLS options of connect() and startTls(): validation (bad values throw SocketError
// INVALID_OPTION synchronously), the names real callers pass (workerd's expectedServerHostname,
// Node's servername / ca / rejectUnauthorized / ALPNProtocols), and the process-wide trust and
// key-log settings that come from the environment (NODE_EXTRA_CA_CERTS, DENO_CERT, SSLKEYLOGFILE).
import { appendFileSync, readFileSync } from 'node:fs';
import type { sockets } from '../component/wasi-connect.js';
import { SocketError } from './errors.js';

export type TlsVersionName = 'TLSv1.2' | 'TLSv1.3';
/** PEM text (one or more certificates) or DER bytes. */
export type CertificateInput = string | ArrayBufferView | ArrayBuffer;

/** TLS extensions of SocketOptions (see docs/SPEC-CHOICES.md). */
export interface TlsSocketOptions {
  /** Trust these certificates instead of the built-in Mozilla roots. */
  ca?: CertificateInput | readonly CertificateInput[];
  /** Default true. false: encrypt without verifying the server's certificate (sslmode=require). */
  rejectUnauthorized?: boolean;
  /** NSS key log lines (SSLKEYLOGFILE format): a callback, or a file path to append to. */
  keyLog?: ((line: string) => void) | string;
  /** Lowest TLS version to accept (Node's spelling). Default "TLSv1.2". */
  minVersion?: TlsVersionName;
  /** Highest TLS version to offer. Default "TLSv1.3". */
  maxVersion?: TlsVersionName;
  /** Default true: resume TLS 1.3 sessions from tickets this process stored. false: never resume nor store. */
  session?: boolean;
}

/** What startTls() accepts: workerd's name, the Node names node-postgres passes, and ours. */
export interface StartTlsOptions extends TlsSocketOptions {
  /** The name to verify (and send as SNI) (workerd). */
  expectedServerHostname?: string;
  /** Node's name for the same. */
  servername?: string;
  /** ALPN protocols (ours and the spec's name). */
  alpn?: readonly string[];
  /** Node's name for ALPN protocols. */
  ALPNProtocols?: readonly (string | ArrayBufferView)[];
}

export interface TlsChoices {
  serverName: string | undefined;
  alpn: string[];
  ca: Uint8Array[];
  verify: boolean;
  keyLog: ((line: string) => void) | null;
  minVersion: TlsVersionName;
  maxVersion: TlsVersionName;
  resumption: boolean;
}

const VERSIONS: readonly string[] = ['TLSv1.2', 'TLSv1.3'];

function checkVersion(v: unknown, name: string, dflt: TlsVersionName): TlsVersionName {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'string' || !VERSIONS.includes(v)) {
    throw new SocketError(`${name} must be "TLSv1.2" or "TLSv1.3", not ${JSON.stringify(v)}`, 'INVALID_OPTION');
  }
  return v as TlsVersionName;
}

function checkVersions(o: { minVersion?: unknown; maxVersion?: unknown }, base?: TlsChoices): { minVersion: TlsVersionName; maxVersion: TlsVersionName } {
  const minVersion = checkVersion(o.minVersion, 'minVersion', base?.minVersion ?? 'TLSv1.2');
  const maxVersion = checkVersion(o.maxVersion, 'maxVersion', base?.maxVersion ?? 'TLSv1.3');
  if (minVersion > maxVersion) throw new SocketError(`minVersion ${minVersion} is above maxVersion ${maxVersion}`, 'INVALID_OPTION');
  return { minVersion, maxVersion };
}

function checkSession(v: unknown, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'boolean') throw new SocketError('session must be a boolean', 'INVALID_OPTION');
  return v;
}

const enc = new TextEncoder();

function certBytes(c: unknown, what: string): Uint8Array {
  if (typeof c === 'string') {
    if (!c.includes('-----BEGIN')) throw new SocketError(`${what} must be PEM text ("-----BEGIN CERTIFICATE-----...") or DER bytes`, 'INVALID_OPTION');
    return enc.encode(c);
  }
  if (c instanceof ArrayBuffer) return new Uint8Array(c.slice(0));
  if (ArrayBuffer.isView(c)) return new Uint8Array(c.buffer.slice(c.byteOffset, c.byteOffset + c.byteLength));
  throw new SocketError(`${what} must be a PEM string, DER bytes, or an array of them`, 'INVALID_OPTION');
}

export function checkCa(ca: unknown): Uint8Array[] {
  if (ca === undefined || ca === null) return [];
  const list = Array.isArray(ca) ? ca : [ca];
  if (list.length === 0) throw new SocketError('ca must not be an empty array (it would trust nothing)', 'INVALID_OPTION');
  return list.map((c, i) => certBytes(c, Array.isArray(ca) ? `ca[${i}]` : 'ca'));
}

export function checkAlpn(alpn: unknown, name = 'alpn'): string[] {
  if (alpn === undefined || alpn === null) return [];
  if (!Array.isArray(alpn)) throw new SocketError(`${name} must be an array of strings`, 'INVALID_OPTION');
  const dec = new TextDecoder('utf-8', { fatal: true });
  return alpn.map((p) => {
    let s: string;
    try {
      s = typeof p === 'string' ? p : ArrayBuffer.isView(p) ? dec.decode(p) : '';
    } catch {
      s = '';
    }
    if (s.length === 0 || enc.encode(s).length > 255) {
      throw new SocketError(`each ${name} protocol must be a string of 1 to 255 bytes`, 'INVALID_OPTION');
    }
    return s;
  });
}

function checkKeyLog(v: unknown): ((line: string) => void) | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'function') return v as (line: string) => void;
  if (typeof v === 'string' && v.length > 0) return appendTo(v);
  throw new SocketError('keyLog must be a function or a file path', 'INVALID_OPTION');
}

function checkName(v: unknown, name: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v.length === 0) throw new SocketError(`${name} must be a non-empty string`, 'INVALID_OPTION');
  return v;
}

/** The TLS part of connect()'s options (sni and alpn are validated with the spec's options). */
export function tlsChoicesOf(o: TlsSocketOptions & { sni?: string | null }, alpn: string[], tls: boolean): TlsChoices {
  const ca = checkCa(o.ca);
  if (ca.length > 0 && !tls) throw new SocketError('ca may only be given with secureTransport "on" or "starttls"', 'INVALID_OPTION');
  if (o.rejectUnauthorized !== undefined && typeof o.rejectUnauthorized !== 'boolean') {
    throw new SocketError('rejectUnauthorized must be a boolean', 'INVALID_OPTION');
  }
  return {
    serverName: o.sni ?? undefined,
    alpn,
    ca,
    verify: o.rejectUnauthorized !== false,
    keyLog: checkKeyLog(o.keyLog) ?? envKeyLog(),
    ...checkVersions(o),
    resumption: checkSession(o.session, true),
  };
}

/** startTls(options): each value overrides what connect() was given. */
export function startTlsChoices(base: TlsChoices, options: unknown): TlsChoices {
  if (options === undefined || options === null) return base;
  if (typeof options !== 'object') throw new SocketError('startTls options must be an object', 'INVALID_OPTION');
  const o = options as StartTlsOptions;
  const serverName = checkName(o.expectedServerHostname, 'expectedServerHostname') ?? checkName(o.servername, 'servername') ?? base.serverName;
  let alpn = base.alpn;
  if (o.alpn !== undefined && o.alpn !== null) alpn = checkAlpn(o.alpn);
  else if (o.ALPNProtocols !== undefined && o.ALPNProtocols !== null) alpn = checkAlpn(o.ALPNProtocols, 'ALPNProtocols');
  const ca = o.ca !== undefined && o.ca !== null ? checkCa(o.ca) : base.ca;
  if (o.rejectUnauthorized !== undefined && typeof o.rejectUnauthorized !== 'boolean') {
    throw new SocketError('rejectUnauthorized must be a boolean', 'INVALID_OPTION');
  }
  const verify = o.rejectUnauthorized === undefined ? base.verify : o.rejectUnauthorized;
  const keyLog = o.keyLog !== undefined ? checkKeyLog(o.keyLog) : base.keyLog;
  return { serverName, alpn, ca, verify, keyLog, ...checkVersions(o, base), resumption: checkSession(o.session, base.resumption) };
}

/** The component's tls-options record. */
export function tlsOptionsRecord(c: TlsChoices): sockets.TlsOptions {
  return {
    serverName: c.serverName,
    alpn: c.alpn,
    ca: c.ca,
    switches: { noVerify: !c.verify, keylog: c.keyLog !== null, noResumption: !c.resumption },
    minVersion: c.minVersion === 'TLSv1.2' ? 'tls12' : 'tls13',
    maxVersion: c.maxVersion === 'TLSv1.2' ? 'tls12' : 'tls13',
  };
}

// ------------------------------------------------------------------ environment

type Env = { get(name: string): string | undefined };

/** Environment variables where the runtime has them and lets us read them (Deno without --allow-env does not). */
function env(): Env {
  return {
    get(name: string) {
      try {
        const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
        const v = p?.env?.[name];
        if (v !== undefined) return v;
        const deno = (globalThis as { Deno?: { env: { get(n: string): string | undefined } } }).Deno;
        return deno?.env.get(name);
      } catch {
        return undefined; // no permission to read the environment
      }
    },
  };
}

function appendTo(path: string): (line: string) => void {
  return (line) => {
    try {
      appendFileSync(path, line + '\n');
    } catch {
      // a key log that cannot be written must not break the connection
    }
  };
}

let envKeyLogFn: ((line: string) => void) | null | undefined;
/** SSLKEYLOGFILE, where the runtime has an environment: key log lines are appended to that file. */
function envKeyLog(): ((line: string) => void) | null {
  if (envKeyLogFn === undefined) {
    const path = env().get('SSLKEYLOGFILE');
    envKeyLogFn = path ? appendTo(path) : null;
  }
  return envKeyLogFn;
}

let extraAnchors: { file: string; bytes: Uint8Array } | null | undefined;
/**
 * The extra trust anchors users already configure for their runtime: NODE_EXTRA_CA_CERTS (Node,
 * Bun) or DENO_CERT (Deno), read once. A file that cannot be read is reported as a warning (as
 * Node does), naming the file and the reason.
 */
export function extraTrustAnchors(): { file: string; bytes: Uint8Array } | null {
  if (extraAnchors !== undefined) return extraAnchors;
  const e = env();
  const isDeno = typeof (globalThis as { Deno?: unknown }).Deno !== 'undefined';
  const name = isDeno ? 'DENO_CERT' : 'NODE_EXTRA_CA_CERTS';
  const file = e.get(name) ?? (isDeno ? e.get('NODE_EXTRA_CA_CERTS') : undefined);
  extraAnchors = null;
  if (!file) return null;
  try {
    extraAnchors = { file, bytes: new Uint8Array(readFileSync(file)) };
  } catch (err) {
    warn(`wasi-connect: ignoring extra certificates from ${name}=${file}: ${(err as Error).message}`);
  }
  return extraAnchors;
}

export function warn(message: string): void {
  const p = (globalThis as { process?: { emitWarning?: (m: string) => void } }).process;
  if (p?.emitWarning) p.emitWarning(message);
  else console.warn(message);
}
