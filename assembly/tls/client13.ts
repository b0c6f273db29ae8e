// The TLS 1.3 client handshake (RFC 8446), one class per expected message, as rustls does: each
// state's handle() parses and checks its message and returns the next state, so a message out of
// order has nowhere to go but an error, and what only one phase needs lives only in that state.
//
//   ExpectServerHello --(HelloRetryRequest: new ClientHello)--> ExpectServerHello
//        | ServerHello
//   ExpectEncryptedExtensions --> ExpectCertificateOrCertReq --> [ExpectCertificate]
//        | (PSK)                        --> ExpectCertificateVerify --> ExpectFinished
//        +------------------------------------------------------------> ExpectFinished
//   ExpectFinished --(our Finished)--> ExpectTraffic (NewSessionTicket, KeyUpdate)

import { Reader } from "./codec";
import { TlsClient } from "./engine";
import { TLS12, TLS13 } from "./config";
import {
  TlsFailure, protocolFailure,
  ALERT_UNEXPECTED_MESSAGE, ALERT_DECODE_ERROR, ALERT_ILLEGAL_PARAMETER, ALERT_UNSUPPORTED_EXTENSION,
  ALERT_MISSING_EXTENSION, ALERT_PROTOCOL_VERSION, ALERT_DECRYPT_ERROR, ALERT_BAD_CERTIFICATE,
  ALERT_UNKNOWN_CA, ALERT_CERTIFICATE_EXPIRED, ALERT_NO_APPLICATION_PROTOCOL,
} from "./alert";
import { ErrorCode } from "../net/errors";
import {
  HelloParams, buildClientHello, HRR_RANDOM, offeredScheme, DOWNGRADE_TLS12, DOWNGRADE_TLS11,
  HT_SERVER_HELLO, HT_ENCRYPTED_EXTENSIONS, HT_CERTIFICATE, HT_CERTIFICATE_REQUEST, HT_CERTIFICATE_VERIFY,
  HT_FINISHED, HT_NEW_SESSION_TICKET, HT_KEY_UPDATE,
  EXT_SUPPORTED_VERSIONS, EXT_KEY_SHARE, EXT_PRE_SHARED_KEY, EXT_COOKIE, EXT_SERVER_NAME, EXT_SUPPORTED_GROUPS,
  EXT_ALPN, EXT_RECORD_SIZE_LIMIT, EXT_SIGNATURE_ALGORITHMS, EXT_EARLY_DATA,
  SIG_RSA_PKCS1_SHA256, SIG_RSA_PKCS1_SHA384, SIG_RSA_PKCS1_SHA512,
} from "./messages";
import { Suite, TLS13_SUITES, TLS12_SUITES, suiteById } from "./suites";
import { serverHello12 } from "./client12";
import { KeyShare, GROUP_X25519, groupSupported } from "./keyshare";
import {
  KeySchedule13, finishedVerifyData, expandLabel, L_C_HS, L_S_HS, L_C_AP, L_S_AP, L_EXP_MASTER, L_RES_MASTER,
  L_RES_BINDER, L_RESUMPTION,
} from "./keyschedule";
import { secureRandom } from "../crypto/random";
import { hashLen } from "../crypto/sha2";
import { ctEqualBytes, wipe } from "../crypto/ct";
import { nowSeconds, nowMillis } from "./clock";
import { Ticket, takeTicket, storeTicket } from "./sessions";
import { hashInto } from "../crypto/sha2";
import {
  CertStatus, PublicKey, verifyServerChain, leafPublicKey,
} from "../x509";

// scratch for secrets and hashes (one handshake step runs at a time; wiped after use)
const SHARED: usize = memory.data(48);
const TH: usize = memory.data(64);
const EXPECT: usize = memory.data(64);
const BINDER_KEY: usize = memory.data(64);
const EMPTY_HASH: usize = memory.data(64);

/** Test hook: the next ClientHello uses this random (RFC 8448 replays). */
let fixedRandom: Uint8Array | null = null;
export function setFixedClientRandom(r: Uint8Array | null): void { fixedRandom = r; }
/** Test hook: the next ClientHello (the first, or the one after a HelloRetryRequest) is sent as these exact bytes instead of the built one (RFC 8448 replays). */
let fixedHello: Uint8Array | null = null;
export function setFixedClientHello(m: Uint8Array | null): void { fixedHello = m; }

export class HsState {
  /** Handles one handshake message (msg: header and body, len bytes). Returns the next state, or null after c.fail(). */
  handle(c: TlsClient, type: i32, msg: usize, len: i32): HsState | null {
    c.fail(protocolFailure(ALERT_UNEXPECTED_MESSAGE, "unexpected handshake message " + type.toString()));
    return null;
  }
}

export function unexpected(c: TlsClient, type: i32, expected: string): HsState | null {
  c.fail(protocolFailure(ALERT_UNEXPECTED_MESSAGE, "expected " + expected + ", got handshake message type " + type.toString()));
  return null;
}

export function decodeError(c: TlsClient, what: string): HsState | null {
  c.fail(protocolFailure(ALERT_DECODE_ERROR, "malformed " + what));
  return null;
}

export function illegal(c: TlsClient, what: string): HsState | null {
  c.fail(protocolFailure(ALERT_ILLEGAL_PARAMETER, what));
  return null;
}

/** One extension of a hello: its type and where its data lies. */
export class Extension {
  constructor(public type: i32, public ptr: usize, public len: i32) {}
}

/** Tracks extension types seen in one block (duplicates are illegal, RFC 8446 4.2). */
class SeenExtensions {
  private seen: Array<i32> = [];
  /** False when t was seen before. */
  add(t: i32): bool {
    for (let i = 0; i < this.seen.length; i++) if (this.seen[i] == t) return false;
    this.seen.push(t);
    return true;
  }
}

// ---------------------------------------------------------------------------------------------

export class ExpectServerHello extends HsState {
  params: HelloParams = new HelloParams();
  /** After a HelloRetryRequest: its suite, which the ServerHello must repeat. */
  hrrSuite: Suite | null = null;
  retried: bool = false;
  /** The ticket offered for resumption (taken out of the cache: a ticket is used once). */
  ticket: Ticket | null = null;
  /** The early secret from the ticket's PSK. */
  pskSchedule: KeySchedule13 | null = null;

  constructor(c: TlsClient) {
    super();
    const p = this.params;
    const r = fixedRandom;
    if (r != null) { memory.copy(p.random.dataStart, r.dataStart, 32); fixedRandom = null; }
    else secureRandom(p.random.dataStart, 32);
    memory.copy(c.clientRandom.dataStart, p.random.dataStart, 32);
    secureRandom(p.sessionId.dataStart, 32); // middlebox compatibility mode (RFC 8446 D.4)
    p.offer13 = c.config.maxVersion >= TLS13;
    p.offer12 = c.config.minVersion <= TLS12;
    const suites = new Array<Suite>();
    if (p.offer13) for (let i = 0; i < TLS13_SUITES.length; i++) suites.push(TLS13_SUITES[i]);
    if (p.offer12) for (let i = 0; i < TLS12_SUITES.length; i++) suites.push(TLS12_SUITES[i]);
    p.suites = suites;
    p.sni = c.sni;
    p.alpn = c.config.alpn;
    p.shares = p.offer13 ? [new KeyShare(GROUP_X25519)] : [];
    if (p.offer13 && c.config.resumption && c.sessionKey.length > 0 && fixedHello == null) {
      const t = takeTicket(c.sessionKey, nowMillis());
      if (t != null) {
        this.ticket = t;
        this.pskSchedule = new KeySchedule13(t.hash, t.psk.dataStart, t.psk.length);
        this.offerPsk(t);
      }
    }
  }

  /** Puts the ticket into the ClientHello parameters (pre_shared_key, psk_dhe_ke). */
  private offerPsk(t: Ticket): void {
    const p = this.params;
    p.pskIdentity = t.ticket;
    // obfuscated_ticket_age: milliseconds since the ticket arrived, plus ticket_age_add (mod 2^32)
    p.pskAge = <u32>(nowMillis() - t.receivedMs) + t.ageAdd;
    p.pskBinderLen = hashLen(t.hash);
  }

  /** A ClientHello with the PSK binder computed over it (RFC 8446 4.2.11.2). */
  private hello(c: TlsClient): Uint8Array {
    const m = buildClientHello(this.params);
    const t = this.ticket;
    const ks = this.pskSchedule;
    if (t == null || ks == null) return m;
    const hl = hashLen(t.hash);
    const truncated = m.length - (2 + 1 + hl); // everything but the binders list
    if (c.transcript.started) c.transcript.hashWith(m.dataStart, truncated, TH); // after a HelloRetryRequest
    else hashInto(t.hash, m.dataStart, truncated, TH);
    hashInto(t.hash, 0, 0, EMPTY_HASH);
    ks.derive(L_RES_BINDER, EMPTY_HASH, BINDER_KEY);
    finishedVerifyData(t.hash, BINDER_KEY, TH, m.dataStart + <usize>(m.length - hl));
    wipe(BINDER_KEY, 64);
    return m;
  }

  /** Forgets the offered ticket (the server did not take it, or a retry cannot carry it). */
  private dropPsk(): void {
    const t = this.ticket;
    if (t != null) t.wipe();
    const ks = this.pskSchedule;
    if (ks != null) ks.wipe();
    this.ticket = null;
    this.pskSchedule = null;
    this.params.pskIdentity = null;
  }

  /** Sends the ClientHello: the first, or the second after a HelloRetryRequest. */
  sendHello(c: TlsClient): void {
    const fixed = fixedHello;
    if (fixed != null) {
      // test hook, a recorded ClientHello (RFC 8448 replays; after a HelloRetryRequest, section 5's
      // second one): its session id is what the ServerHello must echo
      fixedHello = null;
      const r = Reader.of(fixed.dataStart + 38, fixed.length - 38);
      const sid = r.vec(1, 0, 32);
      this.params.sessionId = r.ok ? Reader.of(sid.pos, sid.left).bytes(sid.left) : new Uint8Array(0);
      c.sendHandshake(fixed);
      return;
    }
    c.sendHandshake(this.hello(c));
  }

  handle(c: TlsClient, type: i32, msg: usize, len: i32): HsState | null {
    if (type != HT_SERVER_HELLO) return unexpected(c, type, "ServerHello");
    const r = Reader.of(msg + 4, len - 4);
    const legacyVersion = r.u16();
    const random = r.take(32);
    const sid = r.vec(1, 0, 32);
    const suiteId = r.u16();
    const compression = r.u8();
    if (!r.ok) return decodeError(c, "ServerHello");
    // the extensions, checked for form and duplicates; what each may be depends on the version
    const exts = new Array<Extension>();
    if (!r.done) {
      const block = r.vec(2, 0, 0xffff);
      if (!r.ok || !r.done) return decodeError(c, "ServerHello");
      const seen = new SeenExtensions();
      while (block.ok && !block.done) {
        const et = block.u16();
        const ed = block.vec(2, 0, 0xffff);
        if (!block.ok) break;
        if (!seen.add(et)) return illegal(c, "duplicate extension " + et.toString() + " in ServerHello");
        exts.push(new Extension(et, ed.pos, ed.left));
      }
      if (!block.ok) return decodeError(c, "ServerHello extensions");
    }
    const isHrr = random != 0 && ctEqualBytes(random, HRR_RANDOM, 32) == 1;
    let version = 0;
    for (let i = 0; i < exts.length; i++) {
      if (exts[i].type != EXT_SUPPORTED_VERSIONS) continue;
      const v = Reader.of(exts[i].ptr, exts[i].len);
      version = v.u16();
      if (!v.ok || !v.done) return decodeError(c, "supported_versions");
    }
    const p = this.params;

    if (version == 0) {
      // no supported_versions: the server chose TLS 1.2 or older
      if (p.offer12 && legacyVersion == <i32>TLS12 && !isHrr && !this.retried) {
        // RFC 8446 4.1.3: a TLS 1.3 server that was made to pick 1.2 says so in its random
        if (p.offer13 && (ctEqualBytes(random + 24, DOWNGRADE_TLS12, 8) == 1 || ctEqualBytes(random + 24, DOWNGRADE_TLS11, 8) == 1)) {
          return illegal(c, "the ServerHello carries the TLS 1.3 downgrade sentinel: a TLS 1.3 server was made to negotiate an older version (an attack, or a broken middlebox)");
        }
        for (let i = 0; i < p.shares.length; i++) p.shares[i].wipe();
        return serverHello12(c, msg, len, random, suiteId, compression, exts);
      }
      const chosen = legacyVersion == 0x0303 ? "TLS 1.2" : legacyVersion == 0x0302 ? "TLS 1.1" : legacyVersion == 0x0301 ? "TLS 1.0" : "an unknown version";
      c.fail(new TlsFailure(ALERT_PROTOCOL_VERSION, ErrorCode.TlsVersionUnsupported,
        "the server chose " + chosen + "; this client accepts " + (p.offer12 ? (p.offer13 ? "TLS 1.2 and TLS 1.3" : "TLS 1.2") : "TLS 1.3 only")));
      return null;
    }
    if (version != <i32>TLS13 || !p.offer13) {
      c.fail(protocolFailure(ALERT_ILLEGAL_PARAMETER, "the server selected version 0x" + version.toString(16) + " in supported_versions, which is not allowed there"));
      return null;
    }
    let shareGroup = -1;
    let sharePtr: usize = 0;
    let shareLen = 0;
    let pskIdentity = -1;
    let cookie: Uint8Array | null = null;
    for (let i = 0; i < exts.length; i++) {
      const et = exts[i].type;
      const ed = Reader.of(exts[i].ptr, exts[i].len);
      if (et == EXT_SUPPORTED_VERSIONS) continue;
      if (et == EXT_KEY_SHARE) {
        shareGroup = ed.u16();
        if (!isHrr) {
          const kx = ed.vec(2, 1, 0xffff);
          sharePtr = kx.pos;
          shareLen = kx.left;
        }
        if (!ed.ok || !ed.done) return decodeError(c, "key_share");
      } else if (et == EXT_PRE_SHARED_KEY && !isHrr) {
        pskIdentity = ed.u16();
        if (!ed.ok || !ed.done) return decodeError(c, "pre_shared_key");
      } else if (et == EXT_COOKIE && isHrr) {
        const v = ed.vec(2, 1, 0xffff);
        cookie = v.bytes(v.left);
        if (!ed.ok || !ed.done) return decodeError(c, "cookie");
      } else {
        c.fail(protocolFailure(ALERT_UNSUPPORTED_EXTENSION, "the server sent extension " + et.toString() + " in " + (isHrr ? "HelloRetryRequest" : "ServerHello")));
        return null;
      }
    }
    if (legacyVersion != <i32>TLS12) return illegal(c, "ServerHello.legacy_version is not 0x0303");
    // the session id must echo ours
    const ours = this.params.sessionId;
    if (sid.left != ours.length || ctEqualBytes(sid.pos, ours.dataStart, ours.length) != 1) {
      return illegal(c, "ServerHello.legacy_session_id_echo does not echo ours");
    }
    if (compression != 0) return illegal(c, "ServerHello.legacy_compression_method is not 0");
    const suite = suiteById(suiteId, false);
    if (suite == null) return illegal(c, "the server chose cipher suite 0x" + suiteId.toString(16) + ", which was not offered");
    const hrrSuite = this.hrrSuite;
    if (hrrSuite != null && hrrSuite != suite) return illegal(c, "the ServerHello's cipher suite differs from the HelloRetryRequest's");

    if (isHrr) return this.retry(c, suite, shareGroup, cookie, msg, len);

    // ServerHello proper
    if (shareGroup < 0) {
      c.fail(protocolFailure(ALERT_MISSING_EXTENSION, "the ServerHello has no key_share"));
      return null;
    }
    let share: KeyShare | null = null;
    for (let i = 0; i < this.params.shares.length; i++) if (<i32>this.params.shares[i].group == shareGroup) share = this.params.shares[i];
    if (share == null) return illegal(c, "the server's key share is for a group we did not send a share for");
    const ticket = this.ticket;
    let ks: KeySchedule13;
    if (pskIdentity >= 0) {
      if (ticket == null || pskIdentity != 0) return illegal(c, "the server selected a pre-shared key that was not offered");
      if (suite.hash != ticket.hash) return illegal(c, "the server resumed with a cipher suite whose hash differs from the session's");
      ks = <KeySchedule13>this.pskSchedule;
      c.resumed = true;
      c.peerCerts = ticket.peerCerts;
      c.subjects = ticket.subjects;
      c.verified = ticket.verified;
      ticket.wipe();
    } else {
      this.dropPsk(); // a full handshake: the server did not take the ticket
      ks = new KeySchedule13(suite.hash, 0, 0);
    }

    c.version = TLS13;
    c.suite = suite;
    c.group = <u16>shareGroup;
    const t = c.transcript;
    t.start(suite.hash);
    t.add(msg, len);

    const shared = SHARED;
    const n = share.agree(sharePtr, shareLen, shared);
    for (let i = 0; i < this.params.shares.length; i++) this.params.shares[i].wipe();
    if (n < 0) return illegal(c, "the server's key share is not a valid point");
    ks.toHandshake(shared, n);
    wipe(shared, 48);

    const th = TH;
    t.current(th);
    const secrets = new HandshakeSecrets(ks);
    ks.derive(L_C_HS, th, secrets.client);
    ks.derive(L_S_HS, th, secrets.server);
    c.logSecret("CLIENT_HANDSHAKE_TRAFFIC_SECRET", secrets.client, ks.hl);
    c.logSecret("SERVER_HANDSHAKE_TRAFFIC_SECRET", secrets.server, ks.hl);
    if (!c.setReadKeys(suite, secrets.server)) return null;
    c.setWriteKeys(suite, secrets.client);
    return new ExpectEncryptedExtensions(secrets);
  }

  /** HelloRetryRequest (RFC 8446 4.1.4): a second ClientHello with the group (and cookie) asked for. */
  private retry(c: TlsClient, suite: Suite, group: i32, cookie: Uint8Array | null, msg: usize, len: i32): HsState | null {
    if (this.retried) return unexpected(c, HT_SERVER_HELLO, "ServerHello (a second HelloRetryRequest is not allowed)");
    const p = this.params;
    if (group >= 0) {
      if (!groupSupported(group)) return illegal(c, "the HelloRetryRequest asks for a group that was not offered");
      for (let i = 0; i < p.shares.length; i++) {
        if (<i32>p.shares[i].group == group) return illegal(c, "the HelloRetryRequest asks for a group we already sent a share for");
      }
    } else if (cookie == null) {
      return illegal(c, "the HelloRetryRequest would not change the ClientHello");
    }
    const t = c.transcript;
    t.replaceWithMessageHash(suite.hash);
    t.add(msg, len);
    for (let i = 0; i < p.shares.length; i++) p.shares[i].wipe();
    if (group >= 0) p.shares = [new KeyShare(<u16>group)];
    p.cookie = cookie;
    this.hrrSuite = suite;
    this.retried = true;
    const ticket = this.ticket;
    if (ticket != null) {
      if (ticket.hash == suite.hash) this.offerPsk(ticket); // the binder is recomputed over the new transcript
      else this.dropPsk(); // a PSK whose hash the chosen suite does not use cannot be offered
    }
    c.sendCompatCcs();
    this.sendHello(c);
    return this;
  }
}

/** The handshake traffic secrets, kept from ServerHello to the client's Finished. */
class HandshakeSecrets {
  client: usize;
  server: usize;
  private buf: StaticArray<u8> = new StaticArray<u8>(128);
  constructor(public ks: KeySchedule13) {
    this.client = changetype<usize>(this.buf);
    this.server = changetype<usize>(this.buf) + 64;
  }
  wipe(): void {
    wipe(changetype<usize>(this.buf), 128);
    this.ks.wipe();
  }
}

// ---------------------------------------------------------------------------------------------

class ExpectEncryptedExtensions extends HsState {
  constructor(public secrets: HandshakeSecrets) { super(); }

  handle(c: TlsClient, type: i32, msg: usize, len: i32): HsState | null {
    if (type != HT_ENCRYPTED_EXTENSIONS) return unexpected(c, type, "EncryptedExtensions");
    const r = Reader.of(msg + 4, len - 4);
    const exts = r.vec(2, 0, 0xffff);
    if (!r.ok || !r.done) return decodeError(c, "EncryptedExtensions");
    const seen = new SeenExtensions();
    while (exts.ok && !exts.done) {
      const et = exts.u16();
      const ed = exts.vec(2, 0, 0xffff);
      if (!exts.ok) break;
      if (!seen.add(et)) return illegal(c, "duplicate extension " + et.toString() + " in EncryptedExtensions");
      if (et == EXT_SERVER_NAME) {
        if (!acceptSniAck(c, ed.left)) return null;
      } else if (et == EXT_SUPPORTED_GROUPS) {
        // the server's preferences, informational (RFC 8446 4.2.7); checked for form only
        const l = ed.vec(2, 2, 0xffff);
        if (!ed.ok || !ed.done || (l.left & 1) != 0) return decodeError(c, "supported_groups");
      } else if (et == EXT_ALPN) {
        if (!acceptAlpn(c, ed.pos, ed.left)) return null;
      } else if (et == EXT_RECORD_SIZE_LIMIT) {
        const limit = recordSizeLimit(c, ed.pos, ed.left);
        if (limit < 0) return null;
        // TLS 1.3 counts the content type byte (RFC 8449 4)
        c.maxFragment = min(limit - 1, 16384);
      } else if (et == EXT_SIGNATURE_ALGORITHMS || et == EXT_SUPPORTED_VERSIONS || et == EXT_KEY_SHARE ||
                 et == EXT_PRE_SHARED_KEY || et == EXT_COOKIE || et == 45 /* psk_key_exchange_modes */) {
        return illegal(c, "extension " + et.toString() + " is not allowed in EncryptedExtensions");
      } else {
        // early_data and everything else: we did not offer it
        c.fail(protocolFailure(ALERT_UNSUPPORTED_EXTENSION, "the server sent extension " + et.toString() + (et == EXT_EARLY_DATA ? " (early_data)" : "") + " in EncryptedExtensions"));
        return null;
      }
    }
    if (!exts.ok) return decodeError(c, "EncryptedExtensions");
    c.transcript.add(msg, len);
    if (c.resumed) return new ExpectFinished(this.secrets, false, null);
    return new ExpectCertificateOrCertReq(this.secrets);
  }
}

class ExpectCertificateOrCertReq extends HsState {
  constructor(public secrets: HandshakeSecrets) { super(); }

  handle(c: TlsClient, type: i32, msg: usize, len: i32): HsState | null {
    if (type == HT_CERTIFICATE) return new ExpectCertificate(this.secrets, false, null).handle(c, type, msg, len);
    if (type != HT_CERTIFICATE_REQUEST) return unexpected(c, type, "Certificate or CertificateRequest");
    const r = Reader.of(msg + 4, len - 4);
    const ctx = r.vec(1, 0, 255);
    const exts = r.vec(2, 2, 0xffff);
    if (!r.ok || !r.done) return decodeError(c, "CertificateRequest");
    let sigAlgs = false;
    const seen = new SeenExtensions();
    while (exts.ok && !exts.done) {
      const et = exts.u16();
      exts.vec(2, 0, 0xffff);
      if (!seen.add(et)) return illegal(c, "duplicate extension in CertificateRequest");
      if (et == EXT_SIGNATURE_ALGORITHMS) sigAlgs = true;
    }
    if (!exts.ok) return decodeError(c, "CertificateRequest extensions");
    if (!sigAlgs) {
      c.fail(protocolFailure(ALERT_MISSING_EXTENSION, "the CertificateRequest has no signature_algorithms"));
      return null;
    }
    const context = Reader.of(ctx.pos, ctx.left).bytes(ctx.left);
    c.transcript.add(msg, len);
    // We have no client certificate: the request is answered with an empty Certificate.
    return new ExpectCertificate(this.secrets, true, context);
  }
}

class ExpectCertificate extends HsState {
  constructor(public secrets: HandshakeSecrets, public certRequested: bool, public context: Uint8Array | null) { super(); }

  handle(c: TlsClient, type: i32, msg: usize, len: i32): HsState | null {
    if (type != HT_CERTIFICATE) return unexpected(c, type, "Certificate");
    const r = Reader.of(msg + 4, len - 4);
    const ctx = r.vec(1, 0, 255);
    const list = r.vec(3, 0, 0xffffff);
    if (!r.ok || !r.done) return decodeError(c, "Certificate");
    if (ctx.left != 0) return illegal(c, "the server's Certificate has a request context");
    const certs = new Array<Uint8Array>();
    while (list.ok && !list.done) {
      const data = list.vec(3, 1, 0xffffff);
      const exts = list.vec(2, 0, 0xffff);
      if (!list.ok) break;
      if (exts.left != 0) {
        // we asked for no OCSP status or SCTs, so no extension may come (RFC 8446 4.4.2)
        c.fail(protocolFailure(ALERT_UNSUPPORTED_EXTENSION, "the server sent a certificate extension that was not requested"));
        return null;
      }
      if (!addCertificate(c, certs, data)) return null;
    }
    if (!takeCertificates(c, list, certs, msg, len)) return null;
    return new ExpectCertificateVerify(this.secrets, this.certRequested, this.context);
  }
}

/**
 * The server's certificate: the chain built to a trust anchor and the name checked (unless
 * verification is off), then the leaf's key, which the handshake's own signature must verify
 * with. null after c.fail().
 */
export function authenticateServer(c: TlsClient): PublicKey | null {
  let key: PublicKey | null = null;
  if (c.config.verify) {
    const res = verifyServerChain(c.peerCerts, c.refName, c.refIp, nowSeconds(), c.store);
    if (res.status != CertStatus.Ok) {
      c.fail(certFailure(res.status, res.message));
      return null;
    }
    key = res.leafKey;
    c.subjects = res.subjects;
    c.verified = true;
  } else {
    key = leafPublicKey(c.peerCerts[0]);
  }
  if (key == null) {
    c.fail(new TlsFailure(ALERT_BAD_CERTIFICATE, ErrorCode.TlsCertificateInvalid, "the server's certificate has a key this client cannot use"));
    return null;
  }
  return key;
}

/**
 * The server's ALPN answer (a ProtocolNameList with exactly one name, RFC 7301 3.1), from
 * EncryptedExtensions (TLS 1.3) or ServerHello (TLS 1.2): it must be one we offered. False after c.fail().
 */
export function acceptAlpn(c: TlsClient, ptr: usize, len: i32): bool {
  if (c.config.alpn.length == 0) {
    c.fail(protocolFailure(ALERT_UNSUPPORTED_EXTENSION, "the server selected an ALPN protocol, but none was offered"));
    return false;
  }
  const r = Reader.of(ptr, len);
  const l = r.vec(2, 2, 0xffff);
  const name = l.vec(1, 1, 255);
  if (!r.ok || !r.done || !l.done) {
    decodeError(c, "ALPN (the server must select exactly one protocol)");
    return false;
  }
  for (let i = 0; i < c.config.alpn.length; i++) {
    const o = c.config.alpn[i];
    if (o.length == name.left && ctEqualBytes(o.dataStart, name.pos, o.length) == 1) {
      c.alpn = o;
      return true;
    }
  }
  c.fail(protocolFailure(ALERT_NO_APPLICATION_PROTOCOL, "the server selected an ALPN protocol that was not offered"));
  return false;
}

/**
 * The server's acknowledgement of our SNI (an empty server_name, RFC 6066 3), from
 * EncryptedExtensions (TLS 1.3) or ServerHello (TLS 1.2); len is its data's. False after c.fail().
 */
export function acceptSniAck(c: TlsClient, len: i32): bool {
  if (c.sni == null) {
    c.fail(protocolFailure(ALERT_UNSUPPORTED_EXTENSION, "the server acknowledged an SNI that was not sent"));
    return false;
  }
  if (len != 0) {
    decodeError(c, "server_name acknowledgement");
    return false;
  }
  return true;
}

/** The server's record_size_limit (RFC 8449), either version: its value (at least 64), or -1 after c.fail(). */
export function recordSizeLimit(c: TlsClient, ptr: usize, len: i32): i32 {
  const r = Reader.of(ptr, len);
  const limit = r.u16();
  if (!r.ok || !r.done) {
    decodeError(c, "record_size_limit");
    return -1;
  }
  if (limit < 64) {
    illegal(c, "record_size_limit below 64");
    return -1;
  }
  return limit;
}

/** One certificate of the server's Certificate message, either version: kept, at most 16. False after c.fail(). */
export function addCertificate(c: TlsClient, certs: Array<Uint8Array>, data: Reader): bool {
  if (certs.length >= 16) {
    decodeError(c, "Certificate (more than 16 certificates)");
    return false;
  }
  certs.push(Reader.of(data.pos, data.left).bytes(data.left));
  return true;
}

/**
 * The end of the server's Certificate message, either version: the list whole and not empty; the
 * certificates become c.peerCerts and the message joins the transcript. False after c.fail().
 */
export function takeCertificates(c: TlsClient, list: Reader, certs: Array<Uint8Array>, msg: usize, len: i32): bool {
  if (!list.ok) {
    decodeError(c, "Certificate list");
    return false;
  }
  if (certs.length == 0) {
    decodeError(c, "Certificate (the server sent no certificate)");
    return false;
  }
  c.peerCerts = certs;
  c.transcript.add(msg, len);
  return true;
}

/** The alert and error code for a failed chain verification. */
export function certFailure(status: CertStatus, message: string): TlsFailure {
  if (status == CertStatus.Untrusted) return new TlsFailure(ALERT_UNKNOWN_CA, ErrorCode.TlsCertificateUntrusted, message);
  if (status == CertStatus.Expired) return new TlsFailure(ALERT_CERTIFICATE_EXPIRED, ErrorCode.TlsCertificateExpired, message);
  if (status == CertStatus.NotYetValid) return new TlsFailure(ALERT_BAD_CERTIFICATE, ErrorCode.TlsCertificateNotYetValid, message);
  if (status == CertStatus.HostnameMismatch) return new TlsFailure(ALERT_BAD_CERTIFICATE, ErrorCode.TlsHostnameMismatch, message);
  return new TlsFailure(ALERT_BAD_CERTIFICATE, ErrorCode.TlsCertificateInvalid, message);
}

// "TLS 1.3, server CertificateVerify" (RFC 8446 4.4.3)
const CV_CONTEXT = String.UTF8.encode("TLS 1.3, server CertificateVerify");

class ExpectCertificateVerify extends HsState {
  constructor(public secrets: HandshakeSecrets, public certRequested: bool, public context: Uint8Array | null) { super(); }

  handle(c: TlsClient, type: i32, msg: usize, len: i32): HsState | null {
    if (type != HT_CERTIFICATE_VERIFY) return unexpected(c, type, "CertificateVerify");
    const r = Reader.of(msg + 4, len - 4);
    const scheme = r.u16();
    const sig = r.vec(2, 1, 0xffff);
    if (!r.ok || !r.done) return decodeError(c, "CertificateVerify");
    if (!offeredScheme(scheme) || scheme == SIG_RSA_PKCS1_SHA256 || scheme == SIG_RSA_PKCS1_SHA384 || scheme == SIG_RSA_PKCS1_SHA512) {
      return illegal(c, "the server signed with scheme 0x" + scheme.toString(16) + ", which is not offered for TLS 1.3 handshakes");
    }
    // Authenticate the chain first: a bad certificate is reported as such, before its signature.
    const key = authenticateServer(c);
    if (key == null) return null;
    // signed content: 64 spaces, the context string, a zero byte, the transcript hash
    const hl = hashLen(c.transcript.hashId);
    const content = new Uint8Array(64 + CV_CONTEXT.byteLength + 1 + hl);
    const p = content.dataStart;
    memory.fill(p, 0x20, 64);
    memory.copy(p + 64, changetype<usize>(CV_CONTEXT), <usize>CV_CONTEXT.byteLength);
    store<u8>(p + 64 + <usize>CV_CONTEXT.byteLength, 0);
    c.transcript.current(p + 65 + <usize>CV_CONTEXT.byteLength);
    if (!key.verifyScheme(<u16>scheme, p, content.length, sig.pos, sig.left, true)) {
      c.fail(new TlsFailure(ALERT_DECRYPT_ERROR, ErrorCode.TlsCertificateInvalid,
        "the server's CertificateVerify signature does not verify with its certificate's key"));
      return null;
    }
    c.sigScheme = <u16>scheme;
    c.transcript.add(msg, len);
    return new ExpectFinished(this.secrets, this.certRequested, this.context);
  }
}

class ExpectFinished extends HsState {
  constructor(public secrets: HandshakeSecrets, public certRequested: bool, public context: Uint8Array | null) { super(); }

  handle(c: TlsClient, type: i32, msg: usize, len: i32): HsState | null {
    if (type != HT_FINISHED) return unexpected(c, type, "Finished");
    const suite = <Suite>c.suite;
    const ks = this.secrets.ks;
    const hl = ks.hl;
    if (len - 4 != hl) return decodeError(c, "Finished");
    const th = TH;
    const expect = EXPECT;
    c.transcript.current(th);
    finishedVerifyData(suite.hash, this.secrets.server, th, expect);
    if (ctEqualBytes(expect, msg + 4, hl) != 1) {
      c.fail(new TlsFailure(ALERT_DECRYPT_ERROR, ErrorCode.TlsProtocolError, "the server's Finished does not verify (sent alert decrypt_error)"));
      return null;
    }
    c.transcript.add(msg, len);
    c.transcript.current(th);

    // application traffic secrets from the transcript up to the server's Finished
    ks.toMaster();
    const cs = changetype<usize>(c.clientSecret);
    const ss = changetype<usize>(c.serverSecret);
    ks.derive(L_C_AP, th, cs);
    ks.derive(L_S_AP, th, ss);
    c.logSecret("CLIENT_TRAFFIC_SECRET_0", cs, hl);
    c.logSecret("SERVER_TRAFFIC_SECRET_0", ss, hl);
    if (c.config.keylog) {
      const exp = EXPECT;
      ks.derive(L_EXP_MASTER, th, exp);
      c.logSecret("EXPORTER_SECRET", exp, hl);
      wipe(exp, 64);
    }
    if (!c.setReadKeys(suite, ss)) return null;

    // our flight: (compatibility CCS), an empty Certificate if one was requested, Finished
    c.sendCompatCcs();
    if (this.certRequested) {
      const ctx = this.context;
      const ctxLen = ctx != null ? ctx.length : 0;
      const m = new Uint8Array(4 + 1 + ctxLen + 3);
      store<u8>(m.dataStart, HT_CERTIFICATE);
      store<u8>(m.dataStart + 3, <u8>(1 + ctxLen + 3));
      store<u8>(m.dataStart + 4, <u8>ctxLen);
      if (ctx != null) memory.copy(m.dataStart + 5, ctx.dataStart, <usize>ctxLen);
      c.sendHandshake(m);
    }
    c.transcript.current(th);
    const fin = new Uint8Array(4 + hl);
    store<u8>(fin.dataStart, HT_FINISHED);
    store<u8>(fin.dataStart + 3, <u8>hl);
    finishedVerifyData(suite.hash, this.secrets.client, th, fin.dataStart + 4);
    c.sendHandshake(fin);
    c.setWriteKeys(suite, cs);

    c.transcript.current(th);
    ks.derive(L_RES_MASTER, th, changetype<usize>(c.resumptionSecret));
    this.secrets.wipe();
    wipe(expect, 64);
    c.handshakeDone = true;
    c.ccsAllowed = false;
    return new ExpectTraffic();
  }
}

// ---------------------------------------------------------------------------------------------

/** After the handshake: NewSessionTicket and KeyUpdate; anything else is unexpected. */
class ExpectTraffic extends HsState {
  handle(c: TlsClient, type: i32, msg: usize, len: i32): HsState | null {
    if (type == HT_NEW_SESSION_TICKET) {
      const r = Reader.of(msg + 4, len - 4);
      const lifetime = r.u32();
      const ageAdd = r.u32();
      const nonce = r.vec(1, 0, 255);
      const ticket = r.vec(2, 1, 0xffff);
      const exts = r.vec(2, 0, 0xfffe);
      if (!r.ok || !r.done) return decodeError(c, "NewSessionTicket");
      while (exts.ok && !exts.done) { exts.u16(); exts.vec(2, 0, 0xffff); }
      if (!exts.ok) return decodeError(c, "NewSessionTicket extensions");
      if (lifetime > 604800) return illegal(c, "a ticket lifetime over 7 days");
      if (lifetime > 0 && c.config.resumption && c.sessionKey.length > 0 && c.storedTickets < 4) {
        // PSK = HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length)
        const suite = <Suite>c.suite;
        const hl = hashLen(suite.hash);
        const t = new Ticket();
        t.key = c.sessionKey;
        t.ticket = Reader.of(ticket.pos, ticket.left).bytes(ticket.left);
        t.psk = new Uint8Array(hl);
        expandLabel(suite.hash, changetype<usize>(c.resumptionSecret), L_RESUMPTION, nonce.pos, nonce.left, t.psk.dataStart, hl);
        t.hash = suite.hash;
        t.ageAdd = ageAdd;
        t.receivedMs = nowMillis();
        t.lifetimeMs = <i64>lifetime * 1000;
        t.peerCerts = c.peerCerts;
        t.subjects = c.subjects;
        t.verified = c.verified;
        storeTicket(t);
        c.storedTickets++;
      }
      return this;
    }
    if (type == HT_KEY_UPDATE) {
      if (len != 5) return decodeError(c, "KeyUpdate");
      const req = <i32>load<u8>(msg + 4);
      if (req > 1) return illegal(c, "KeyUpdate.request_update is neither 0 nor 1");
      if (!c.onKeyUpdate(req == 1)) return null;
      return this;
    }
    return unexpected(c, type, "NewSessionTicket or KeyUpdate");
  }
}
