// Handshake message and extension code points (RFC 8446 4, 4.2) and the ClientHello builder.

import { Builder } from "./codec";
import { Suite } from "./suites";
import { KeyShare, GROUPS } from "./keyshare";

// record content types
export const CT_CHANGE_CIPHER_SPEC: u8 = 20;
export const CT_ALERT: u8 = 21;
export const CT_HANDSHAKE: u8 = 22;
export const CT_APPLICATION_DATA: u8 = 23;

// handshake types
export const HT_HELLO_REQUEST: u8 = 0;
export const HT_CLIENT_HELLO: u8 = 1;
export const HT_SERVER_HELLO: u8 = 2;
export const HT_NEW_SESSION_TICKET: u8 = 4;
export const HT_END_OF_EARLY_DATA: u8 = 5;
export const HT_ENCRYPTED_EXTENSIONS: u8 = 8;
export const HT_CERTIFICATE: u8 = 11;
export const HT_SERVER_KEY_EXCHANGE: u8 = 12;
export const HT_CERTIFICATE_REQUEST: u8 = 13;
export const HT_SERVER_HELLO_DONE: u8 = 14;
export const HT_CERTIFICATE_VERIFY: u8 = 15;
export const HT_CLIENT_KEY_EXCHANGE: u8 = 16;
export const HT_FINISHED: u8 = 20;
export const HT_CERTIFICATE_STATUS: u8 = 22;
export const HT_KEY_UPDATE: u8 = 24;
export const HT_MESSAGE_HASH: u8 = 254;

// extensions
export const EXT_SERVER_NAME: u16 = 0;
export const EXT_STATUS_REQUEST: u16 = 5;
export const EXT_SUPPORTED_GROUPS: u16 = 10;
export const EXT_EC_POINT_FORMATS: u16 = 11;
export const EXT_SIGNATURE_ALGORITHMS: u16 = 13;
export const EXT_ALPN: u16 = 16;
export const EXT_SCT: u16 = 18;
export const EXT_EXTENDED_MASTER_SECRET: u16 = 23;
export const EXT_RECORD_SIZE_LIMIT: u16 = 28;
export const EXT_SESSION_TICKET: u16 = 35;
export const EXT_PRE_SHARED_KEY: u16 = 41;
export const EXT_EARLY_DATA: u16 = 42;
export const EXT_SUPPORTED_VERSIONS: u16 = 43;
export const EXT_COOKIE: u16 = 44;
export const EXT_PSK_KEY_EXCHANGE_MODES: u16 = 45;
export const EXT_CERTIFICATE_AUTHORITIES: u16 = 47;
export const EXT_POST_HANDSHAKE_AUTH: u16 = 49;
export const EXT_SIGNATURE_ALGORITHMS_CERT: u16 = 50;
export const EXT_KEY_SHARE: u16 = 51;
export const EXT_RENEGOTIATION_INFO: u16 = 0xff01;

// signature schemes (RFC 8446 4.2.3)
export const SIG_RSA_PKCS1_SHA256: u16 = 0x0401;
export const SIG_RSA_PKCS1_SHA384: u16 = 0x0501;
export const SIG_RSA_PKCS1_SHA512: u16 = 0x0601;
export const SIG_ECDSA_SECP256R1_SHA256: u16 = 0x0403;
export const SIG_ECDSA_SECP384R1_SHA384: u16 = 0x0503;
export const SIG_ECDSA_SECP521R1_SHA512: u16 = 0x0603;
export const SIG_RSA_PSS_RSAE_SHA256: u16 = 0x0804;
export const SIG_RSA_PSS_RSAE_SHA384: u16 = 0x0805;
export const SIG_RSA_PSS_RSAE_SHA512: u16 = 0x0806;

/**
 * signature_algorithms, in preference order. ECDSA first (cheapest to verify here after RSA-2048,
 * and the smallest certificates), then RSA-PSS; rsa_pkcs1_* are offered for certificates (and TLS
 * 1.2 ServerKeyExchange) only: a TLS 1.3 CertificateVerify using them is refused.
 */
export const SIGNATURE_SCHEMES: u16[] = [
  SIG_ECDSA_SECP256R1_SHA256, SIG_ECDSA_SECP384R1_SHA384,
  SIG_RSA_PSS_RSAE_SHA256, SIG_RSA_PSS_RSAE_SHA384, SIG_RSA_PSS_RSAE_SHA512,
  SIG_RSA_PKCS1_SHA256, SIG_RSA_PKCS1_SHA384, SIG_RSA_PKCS1_SHA512,
];

export function signatureSchemeName(s: i32): string {
  switch (s) {
    case 0x0401: return "rsa_pkcs1_sha256";
    case 0x0501: return "rsa_pkcs1_sha384";
    case 0x0601: return "rsa_pkcs1_sha512";
    case 0x0403: return "ecdsa_secp256r1_sha256";
    case 0x0503: return "ecdsa_secp384r1_sha384";
    case 0x0603: return "ecdsa_secp521r1_sha512";
    case 0x0804: return "rsa_pss_rsae_sha256";
    case 0x0805: return "rsa_pss_rsae_sha384";
    case 0x0806: return "rsa_pss_rsae_sha512";
  }
  return "0x" + s.toString(16);
}

export function offeredScheme(s: i32): bool {
  for (let i = 0; i < SIGNATURE_SCHEMES.length; i++) if (<i32>SIGNATURE_SCHEMES[i] == s) return true;
  return false;
}

/** SHA-256 of "HelloRetryRequest": a ServerHello with this random is a HelloRetryRequest (RFC 8446 4.1.3). */
export const HRR_RANDOM: usize = memory.data<u8>([
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
  0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
]);

/** ServerHello.random's last 8 bytes when a TLS 1.3 server negotiates TLS 1.2 / 1.1 (RFC 8446 4.1.3). */
export const DOWNGRADE_TLS12: usize = memory.data<u8>([0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01]);
export const DOWNGRADE_TLS11: usize = memory.data<u8>([0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x00]);

/** What goes into a ClientHello. */
export class HelloParams {
  random: Uint8Array = new Uint8Array(32);
  sessionId: Uint8Array = new Uint8Array(32);
  suites: Suite[] = [];
  /** host_name for SNI (ASCII, no trailing dot), or null */
  sni: string | null = null;
  alpn: Array<Uint8Array> = [];
  shares: KeyShare[] = [];
  offer13: bool = true;
  offer12: bool = false;
  cookie: Uint8Array | null = null;
  /** TLS 1.2 renegotiation_info / session_ticket / EMS are sent when offer12 */
  /** pre_shared_key: one identity and its obfuscated age; the binder is filled in afterwards */
  pskIdentity: Uint8Array | null = null;
  pskAge: u32 = 0;
  pskBinderLen: i32 = 0;
}

function ext(b: Builder, type: u16): i32 {
  b.u16(type);
  return b.begin(2);
}

/**
 * Builds the whole ClientHello handshake message (header included). With a PSK, the binder is
 * left zero: the caller computes it over the message up to the binders (the last
 * 2 + 1 + binderLen + 2 bytes... see bindersLen) and writes it in place.
 */
export function buildClientHello(p: HelloParams): Uint8Array {
  const b = new Builder(512);
  b.u8(HT_CLIENT_HELLO);
  const body = b.begin(3);
  b.u16(0x0303); // legacy_version
  b.array(p.random);
  const sid = b.begin(1); b.array(p.sessionId); b.end(sid);
  const cs = b.begin(2);
  for (let i = 0; i < p.suites.length; i++) b.u16(p.suites[i].id);
  b.end(cs);
  b.u8(1); b.u8(0); // legacy_compression_methods: null only
  const exts = b.begin(2);

  const sni = p.sni;
  if (sni != null) {
    const e = ext(b, EXT_SERVER_NAME);
    const list = b.begin(2);
    b.u8(0); // host_name
    const name = b.begin(2);
    for (let i = 0; i < sni.length; i++) b.u8(sni.charCodeAt(i));
    b.end(name);
    b.end(list);
    b.end(e);
  }
  if (p.offer12) {
    const e = ext(b, EXT_EC_POINT_FORMATS);
    b.u8(1); b.u8(0); // uncompressed
    b.end(e);
  }
  {
    const e = ext(b, EXT_SUPPORTED_GROUPS);
    const l = b.begin(2);
    for (let i = 0; i < GROUPS.length; i++) b.u16(GROUPS[i]);
    b.end(l);
    b.end(e);
  }
  {
    const e = ext(b, EXT_SIGNATURE_ALGORITHMS);
    const l = b.begin(2);
    for (let i = 0; i < SIGNATURE_SCHEMES.length; i++) b.u16(SIGNATURE_SCHEMES[i]);
    b.end(l);
    b.end(e);
  }
  if (p.alpn.length > 0) {
    const e = ext(b, EXT_ALPN);
    const l = b.begin(2);
    for (let i = 0; i < p.alpn.length; i++) {
      const n = b.begin(1);
      b.array(p.alpn[i]);
      b.end(n);
    }
    b.end(l);
    b.end(e);
  }
  if (p.offer12) {
    const e = ext(b, EXT_EXTENDED_MASTER_SECRET);
    b.end(e);
  }
  {
    // record_size_limit: we take full-size records (2^14 + 1 counting TLS 1.3's inner type byte)
    const e = ext(b, EXT_RECORD_SIZE_LIMIT);
    b.u16(16385);
    b.end(e);
  }
  {
    const e = ext(b, EXT_SUPPORTED_VERSIONS);
    const l = b.begin(1);
    if (p.offer13) b.u16(0x0304);
    if (p.offer12) b.u16(0x0303);
    b.end(l);
    b.end(e);
  }
  if (p.offer13) {
    const e = ext(b, EXT_PSK_KEY_EXCHANGE_MODES);
    b.u8(1); b.u8(1); // psk_dhe_ke only
    b.end(e);
    const k = ext(b, EXT_KEY_SHARE);
    const l = b.begin(2);
    for (let i = 0; i < p.shares.length; i++) {
      b.u16(p.shares[i].group);
      const kx = b.begin(2);
      b.array(p.shares[i].pub);
      b.end(kx);
    }
    b.end(l);
    b.end(k);
    const cookie = p.cookie;
    if (cookie != null) {
      const c = ext(b, EXT_COOKIE);
      const v = b.begin(2);
      b.array(cookie);
      b.end(v);
      b.end(c);
    }
  }
  if (p.offer12) {
    const e = ext(b, EXT_RENEGOTIATION_INFO);
    b.u8(0); // empty renegotiated_connection: initial handshake (RFC 5746)
    b.end(e);
  }
  const id = p.pskIdentity;
  if (id != null) {
    // pre_shared_key must be the last extension (RFC 8446 4.2.11)
    const e = ext(b, EXT_PRE_SHARED_KEY);
    const ids = b.begin(2);
    const i = b.begin(2); b.array(id); b.end(i);
    b.u32(p.pskAge);
    b.end(ids);
    const binders = b.begin(2);
    const one = b.begin(1);
    for (let k = 0; k < p.pskBinderLen; k++) b.u8(0);
    b.end(one);
    b.end(binders);
    b.end(e);
  }
  b.end(exts);
  b.end(body);
  return b.toArray();
}
