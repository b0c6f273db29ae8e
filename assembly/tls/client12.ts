// The TLS 1.2 client handshake (RFC 5246 with RFC 8422 ECDHE, RFC 5288 AES-GCM, RFC 7905
// ChaCha20-Poly1305, RFC 7627 extended master secret, RFC 5746 renegotiation_info), one class per
// expected message like the TLS 1.3 states. Only ECDHE_ECDSA and ECDHE_RSA with AEAD suites; no
// RSA key exchange, no CBC, no renegotiation (a HelloRequest gets a no_renegotiation warning),
// no session resumption.
//
//   (ServerHello, in client13.ts) -> ExpectCertificate12 -> ExpectServerKeyExchange12
//     -> ExpectCertReqOrDone12 [-> ExpectServerHelloDone12] --(our flight: [Certificate],
//     ClientKeyExchange, ChangeCipherSpec, Finished)--> ExpectFinished12 (after the server's CCS)
//     -> ExpectTraffic12

import { Reader } from "./codec";
import { TlsClient } from "./engine";
import { TLS12 } from "./config";
import {
  TlsFailure, protocolFailure,
  ALERT_UNEXPECTED_MESSAGE, ALERT_DECODE_ERROR, ALERT_ILLEGAL_PARAMETER, ALERT_UNSUPPORTED_EXTENSION,
  ALERT_DECRYPT_ERROR, ALERT_HANDSHAKE_FAILURE,
  ALERT_NO_RENEGOTIATION, ALERT_UNSUPPORTED_CERTIFICATE,
} from "./alert";
import { ErrorCode } from "../net/errors";
import {
  HT_CERTIFICATE, HT_SERVER_KEY_EXCHANGE, HT_CERTIFICATE_REQUEST, HT_SERVER_HELLO_DONE, HT_CLIENT_KEY_EXCHANGE,
  HT_FINISHED, HT_HELLO_REQUEST, offeredScheme, signatureSchemeName,
  EXT_RENEGOTIATION_INFO, EXT_EXTENDED_MASTER_SECRET, EXT_EC_POINT_FORMATS, EXT_ALPN, EXT_SERVER_NAME, EXT_RECORD_SIZE_LIMIT,
} from "./messages";
import { Suite, suiteById, AEAD_AES_GCM } from "./suites";
import { KeyShare, groupSupported, groupName } from "./keyshare";
import {
  prf12, L_MASTER_SECRET, L_EXTENDED_MASTER_SECRET, L_KEY_EXPANSION, L_CLIENT_FINISHED, L_SERVER_FINISHED,
} from "./prf";
import { ctEqualBytes, wipe } from "../crypto/ct";
import { hashLen } from "../crypto/sha2";
import { KEY_RSA } from "../x509";
import {
  HsState, Extension, authenticateServer, acceptAlpn, acceptSniAck, recordSizeLimit, addCertificate, takeCertificates,
  decodeError, illegal, unexpected,
} from "./client13";

const TH: usize = memory.data(64);
const PREMASTER: usize = memory.data(48);
const SEED: usize = memory.data(64);
const KEY_BLOCK: usize = memory.data(128);
const VD: usize = memory.data(12);


/** What the TLS 1.2 handshake carries from message to message. */
class Hs12 {
  serverRandom: Uint8Array = new Uint8Array(32);
  ems: bool = false;
  group: u16 = 0;
  serverPoint: Uint8Array = new Uint8Array(0);
  certRequested: bool = false;
  master: StaticArray<u8> = new StaticArray<u8>(48);
  wipe(): void { wipe(changetype<usize>(this.master), 48); }
}

/**
 * A TLS 1.2 ServerHello (the version is decided in client13.ts): suite, extensions, transcript.
 * `offered` are the TLS 1.2 suites the ClientHello listed.
 */
export function serverHello12(
  c: TlsClient, msg: usize, len: i32, random: usize, suiteId: i32, compression: i32, exts: Array<Extension>,
): HsState | null {
  const suite = suiteById(suiteId, true);
  if (suite == null) return illegal(c, "the server chose cipher suite 0x" + suiteId.toString(16) + ", which was not offered");
  if (compression != 0) return illegal(c, "the server chose compression");
  const hs = new Hs12();
  for (let i = 0; i < exts.length; i++) {
    const e = exts[i];
    const r = Reader.of(e.ptr, e.len);
    if (e.type == EXT_RENEGOTIATION_INFO) {
      // an initial handshake: renegotiated_connection must be empty (RFC 5746 3.4)
      if (e.len != 1 || load<u8>(e.ptr) != 0) {
        c.fail(protocolFailure(ALERT_HANDSHAKE_FAILURE, "the server's renegotiation_info is not empty on an initial handshake"));
        return null;
      }
    } else if (e.type == EXT_EXTENDED_MASTER_SECRET) {
      if (e.len != 0) return decodeError(c, "extended_master_secret");
      hs.ems = true;
    } else if (e.type == EXT_EC_POINT_FORMATS) {
      const l = r.vec(1, 1, 255);
      if (!r.ok || !r.done) return decodeError(c, "ec_point_formats");
      let uncompressed = false;
      while (!l.done) if (l.u8() == 0) uncompressed = true;
      if (!uncompressed) return illegal(c, "the server does not accept uncompressed points");
    } else if (e.type == EXT_ALPN) {
      if (!acceptAlpn(c, e.ptr, e.len)) return null;
    } else if (e.type == EXT_SERVER_NAME) {
      if (!acceptSniAck(c, e.len)) return null;
    } else if (e.type == EXT_RECORD_SIZE_LIMIT) {
      const limit = recordSizeLimit(c, e.ptr, e.len);
      if (limit < 0) return null;
      c.maxFragment = min(limit, 16384); // TLS 1.2 counts plaintext only (RFC 8449 4)
    } else {
      c.fail(protocolFailure(ALERT_UNSUPPORTED_EXTENSION, "the server sent extension " + e.type.toString() + " in a TLS 1.2 ServerHello"));
      return null;
    }
  }
  memory.copy(hs.serverRandom.dataStart, random, 32);
  c.version = TLS12;
  c.tls12 = true;
  c.suite = suite;
  c.ccsAllowed = false;
  c.transcript.start(suite.hash);
  c.transcript.add(msg, len);
  return new ExpectCertificate12(hs);
}

class ExpectCertificate12 extends HsState {
  constructor(public hs: Hs12) { super(); }

  handle(c: TlsClient, type: i32, msg: usize, len: i32): HsState | null {
    if (type != HT_CERTIFICATE) return unexpected(c, type, "Certificate");
    const r = Reader.of(msg + 4, len - 4);
    const list = r.vec(3, 0, 0xffffff);
    if (!r.ok || !r.done) return decodeError(c, "Certificate");
    const certs = new Array<Uint8Array>();
    while (list.ok && !list.done) {
      const data = list.vec(3, 1, 0xffffff);
      if (!list.ok) break;
      if (!addCertificate(c, certs, data)) return null;
    }
    if (!takeCertificates(c, list, certs, msg, len)) return null;
    return new ExpectServerKeyExchange12(this.hs);
  }
}

class ExpectServerKeyExchange12 extends HsState {
  constructor(public hs: Hs12) { super(); }

  handle(c: TlsClient, type: i32, msg: usize, len: i32): HsState | null {
    if (type != HT_SERVER_KEY_EXCHANGE) return unexpected(c, type, "ServerKeyExchange");
    const suite = <Suite>c.suite;
    const r = Reader.of(msg + 4, len - 4);
    const curveType = r.u8();
    const group = r.u16();
    const point = r.vec(1, 1, 255);
    const paramsEnd = r.pos;
    const scheme = r.u16();
    const sig = r.vec(2, 1, 0xffff);
    if (!r.ok || !r.done) return decodeError(c, "ServerKeyExchange");
    if (curveType != 3) return illegal(c, "the server's ECDHE parameters are not a named curve");
    if (!groupSupported(group)) return illegal(c, "the server chose " + groupName(group) + ", which was not offered");
    if (!offeredScheme(scheme)) return illegal(c, "the server signed with " + signatureSchemeName(scheme) + ", which was not offered");

    // authenticate the chain first, then the key exchange signed by its leaf
    const key = authenticateServer(c);
    if (key == null) return null;
    const rsa = key.kind == KEY_RSA;
    if ((suite.auth == 1) != rsa) {
      c.fail(new TlsFailure(ALERT_UNSUPPORTED_CERTIFICATE, ErrorCode.TlsCertificateInvalid,
        "the server's certificate key (" + key.describe() + ") does not fit its cipher suite " + suite.name));
      return null;
    }
    // signed: client_random || server_random || the ECDHE parameters (RFC 8422 5.4)
    const paramsStart = msg + 4;
    const plen = <i32>(paramsEnd - paramsStart);
    const content = new Uint8Array(64 + plen);
    memory.copy(content.dataStart, c.clientRandom.dataStart, 32);
    memory.copy(content.dataStart + 32, this.hs.serverRandom.dataStart, 32);
    memory.copy(content.dataStart + 64, paramsStart, <usize>plen);
    if (!key.verifyScheme(<u16>scheme, content.dataStart, content.length, sig.pos, sig.left, false)) {
      c.fail(new TlsFailure(ALERT_DECRYPT_ERROR, ErrorCode.TlsCertificateInvalid,
        "the server's ServerKeyExchange signature does not verify with its certificate's key"));
      return null;
    }
    c.sigScheme = <u16>scheme;
    c.group = <u16>group;
    this.hs.group = <u16>group;
    this.hs.serverPoint = Reader.of(point.pos, point.left).bytes(point.left);
    c.transcript.add(msg, len);
    return new ExpectCertReqOrDone12(this.hs);
  }
}

class ExpectCertReqOrDone12 extends HsState {
  constructor(public hs: Hs12) { super(); }

  handle(c: TlsClient, type: i32, msg: usize, len: i32): HsState | null {
    if (type == HT_SERVER_HELLO_DONE) return new ExpectServerHelloDone12(this.hs).handle(c, type, msg, len);
    if (type != HT_CERTIFICATE_REQUEST) return unexpected(c, type, "CertificateRequest or ServerHelloDone");
    const r = Reader.of(msg + 4, len - 4);
    r.vec(1, 1, 255); // certificate_types
    const algs = r.vec(2, 2, 0xfffe);
    r.vec(2, 0, 0xffff); // certificate_authorities
    if (!r.ok || !r.done || (algs.left & 1) != 0) return decodeError(c, "CertificateRequest");
    this.hs.certRequested = true;
    c.transcript.add(msg, len);
    return new ExpectServerHelloDone12(this.hs);
  }
}

class ExpectServerHelloDone12 extends HsState {
  constructor(public hs: Hs12) { super(); }

  handle(c: TlsClient, type: i32, msg: usize, len: i32): HsState | null {
    if (type != HT_SERVER_HELLO_DONE) return unexpected(c, type, "ServerHelloDone");
    if (len != 4) return decodeError(c, "ServerHelloDone");
    c.transcript.add(msg, len);
    return clientFlight12(c, this.hs);
  }
}

/** [empty Certificate], ClientKeyExchange, ChangeCipherSpec, Finished; keys from the master secret. */
function clientFlight12(c: TlsClient, hs: Hs12): HsState | null {
  const suite = <Suite>c.suite;
  const hash = suite.hash;
  const hl = hashLen(hash);
  if (hs.certRequested) {
    // no client certificate: an empty certificate_list (RFC 5246 7.4.6)
    const m = new Uint8Array(7);
    store<u8>(m.dataStart, HT_CERTIFICATE);
    store<u8>(m.dataStart + 3, 3);
    c.sendHandshake(m);
  }
  const share = new KeyShare(hs.group);
  const cke = new Uint8Array(4 + 1 + share.pub.length);
  store<u8>(cke.dataStart, HT_CLIENT_KEY_EXCHANGE);
  store<u8>(cke.dataStart + 3, <u8>(1 + share.pub.length));
  store<u8>(cke.dataStart + 4, <u8>share.pub.length);
  memory.copy(cke.dataStart + 5, share.pub.dataStart, <usize>share.pub.length);
  const n = share.agree(hs.serverPoint.dataStart, hs.serverPoint.length, PREMASTER);
  if (n < 0) return illegal(c, "the server's ECDHE public key is not a valid point");
  c.sendHandshake(cke);

  const master = changetype<usize>(hs.master);
  if (hs.ems) {
    // session_hash: the transcript through ClientKeyExchange (RFC 7627 4)
    c.transcript.current(TH);
    prf12(hash, PREMASTER, n, L_EXTENDED_MASTER_SECRET, TH, hl, master, 48);
  } else {
    memory.copy(SEED, c.clientRandom.dataStart, 32);
    memory.copy(SEED + 32, hs.serverRandom.dataStart, 32);
    prf12(hash, PREMASTER, n, L_MASTER_SECRET, SEED, 64, master, 48);
  }
  wipe(PREMASTER, 48);
  c.logSecret("CLIENT_RANDOM", master, 48);

  // key block: client key, server key, client IV, server IV (no MAC keys with AEADs)
  const ivLen = suite.aead == AEAD_AES_GCM ? 4 : 12;
  const kl = suite.keyLen;
  memory.copy(SEED, hs.serverRandom.dataStart, 32);
  memory.copy(SEED + 32, c.clientRandom.dataStart, 32);
  prf12(hash, master, 48, L_KEY_EXPANSION, SEED, 64, KEY_BLOCK, 2 * kl + 2 * ivLen);
  c.sendCompatCcs(); // the real ChangeCipherSpec of TLS 1.2
  c.setKeys12(suite, KEY_BLOCK, KEY_BLOCK + <usize>kl, KEY_BLOCK + <usize>(2 * kl), KEY_BLOCK + <usize>(2 * kl + ivLen), ivLen);
  wipe(KEY_BLOCK, 128);

  c.transcript.current(TH);
  prf12(hash, master, 48, L_CLIENT_FINISHED, TH, hl, VD, 12);
  const fin = new Uint8Array(16);
  store<u8>(fin.dataStart, HT_FINISHED);
  store<u8>(fin.dataStart + 3, 12);
  memory.copy(fin.dataStart + 4, VD, 12);
  c.sendHandshake(fin);
  return new ExpectFinished12(hs);
}

class ExpectFinished12 extends HsState {
  constructor(public hs: Hs12) { super(); }

  handle(c: TlsClient, type: i32, msg: usize, len: i32): HsState | null {
    if (type != HT_FINISHED) return unexpected(c, type, "Finished");
    if (c.pendingRead != null || c.readProt == null) {
      c.fail(protocolFailure(ALERT_UNEXPECTED_MESSAGE, "Finished before ChangeCipherSpec"));
      return null;
    }
    if (len != 16) return decodeError(c, "Finished");
    const suite = <Suite>c.suite;
    c.transcript.current(TH);
    prf12(suite.hash, changetype<usize>(this.hs.master), 48, L_SERVER_FINISHED, TH, hashLen(suite.hash), VD, 12);
    const ok = ctEqualBytes(VD, msg + 4, 12) == 1;
    wipe(VD, 12);
    this.hs.wipe();
    if (!ok) {
      c.fail(new TlsFailure(ALERT_DECRYPT_ERROR, ErrorCode.TlsProtocolError, "the server's Finished does not verify (sent alert decrypt_error)"));
      return null;
    }
    c.handshakeDone = true;
    return new ExpectTraffic12();
  }
}

/** After a TLS 1.2 handshake: a HelloRequest is declined with a no_renegotiation warning. */
class ExpectTraffic12 extends HsState {
  handle(c: TlsClient, type: i32, msg: usize, len: i32): HsState | null {
    if (type == HT_HELLO_REQUEST && len == 4) {
      c.sendWarning(ALERT_NO_RENEGOTIATION);
      return this;
    }
    return unexpected(c, type, "no handshake message after a TLS 1.2 handshake (renegotiation is not supported)");
  }
}
