// The TLS client connection: record layer, handshake dispatch, application data and alerts.
//
// The engine does no I/O (as rustls and BearSSL): the socket copies ciphertext from the host into
// `inq` and calls process(); records to send are appended to `out`, a queue the socket owns and
// hands to the host. Decrypted application data is exposed as a window into `inq`
// (appAvailable / appPtr / appConsume), decrypted in place: no copy and no allocation per record.
//
// Handshake messages go to the current HsState (client13.ts, one class per expected message);
// each returns the next state or null after calling fail().

import { ByteQueue } from "../net/queue";
import { ErrorCode } from "../net/errors";
import { TlsConfig, TLS13 } from "./config";
import { Protection, Suite, TAG_LEN } from "./suites";
import { Transcript } from "./transcript";
import { trafficKeys, nextTrafficSecret } from "./keyschedule";
import { hashLen } from "../crypto/sha2";
import { wipe } from "../crypto/ct";
import {
  TlsFailure, protocolFailure, receivedAlert,
  ALERT_UNEXPECTED_MESSAGE, ALERT_RECORD_OVERFLOW, ALERT_BAD_RECORD_MAC, ALERT_DECODE_ERROR,
  ALERT_CLOSE_NOTIFY, ALERT_USER_CANCELED,
} from "./alert";
import { CT_ALERT, CT_APPLICATION_DATA, CT_CHANGE_CIPHER_SPEC, CT_HANDSHAKE } from "./messages";
import { HsState, ExpectServerHello } from "./client13";
import { TrustStore } from "../x509";

/** Largest plaintext in a record (RFC 8446 5.1). */
export const MAX_PLAINTEXT: i32 = 16384;
/** Largest protected record body (RFC 8446 5.2). */
export const MAX_CIPHERTEXT: i32 = 16384 + 256;
/** Largest handshake message buffered (a long certificate chain fits; anything bigger is refused before it is buffered). */
export const MAX_HANDSHAKE_MESSAGE: i32 = 128 * 1024;
/** Per record: header, content type byte, AEAD tag. */
export const RECORD_OVERHEAD: i32 = 5 + 1 + TAG_LEN;
/** Most KeyUpdates accepted in a row without application data in between (a flood guard). */
const MAX_KEY_UPDATES_IN_A_ROW: i32 = 32;

@inline function hexDigit(v: i32): i32 { return v < 10 ? 48 + v : 87 + v; }

export function toHex(p: usize, n: i32): string {
  const out = new Array<i32>(n * 2);
  for (let i = 0; i < n; i++) {
    const b = <i32>load<u8>(p + <usize>i);
    out[2 * i] = hexDigit(b >> 4);
    out[2 * i + 1] = hexDigit(b & 15);
  }
  return String.fromCharCodes(out);
}

export class TlsClient {
  config: TlsConfig;
  /** Reference identity for the certificate: a lowercase DNS name (no trailing dot), or "" with refIp set. */
  refName: string;
  refIp: Uint8Array | null;
  /** The name sent as SNI, or null (IP literals). */
  sni: string | null;
  store: TrustStore;
  /** What a stored session must match to be resumed here (host, port, SNI, ALPN, trust); "" never resumes. */
  sessionKey: string = "";

  /** Ciphertext from the host, not processed yet (and the record whose plaintext is being read). */
  inq: ByteQueue = new ByteQueue();
  /** Records to send: the socket's queue. */
  out: ByteQueue;
  /** Handshake message reassembly. */
  hs: ByteQueue = new ByteQueue();
  /** Length of the handshake message being handled (key changes must end at its end). */
  curMsgLen: i32 = 0;

  readProt: Protection | null = null;
  writeProt: Protection | null = null;
  state: HsState | null = null;
  transcript: Transcript = new Transcript();

  handshakeDone: bool = false;
  /** TLS 1.2 was negotiated: records carry their real type; CCS switches the read keys. */
  tls12: bool = false;
  /** TLS 1.2: read keys waiting for the server's ChangeCipherSpec. */
  pendingRead: Protection | null = null;
  /** TLS 1.2: warning alerts in a row (other than close_notify), a flood guard. */
  warningsInARow: i32 = 0;
  failure: TlsFailure | null = null;
  /** close_notify received: no more data will come. */
  peerClosed: bool = false;
  closeNotifySent: bool = false;
  /** The first record has been seen (a non-TLS answer gets a clear message). */
  sawRecord: bool = false;
  /** A ChangeCipherSpec record may be dropped (between our ClientHello and the server's Finished). */
  ccsAllowed: bool = false;
  ccsSent: bool = false;
  keyUpdatesInARow: i32 = 0;
  /** Session tickets stored from this connection (a few are enough). */
  storedTickets: i32 = 0;
  /** legacy_record_version's minor byte for plaintext records: 1 (TLS 1.0) for the initial ClientHello, for old middleboxes (RFC 8446 5.1), else 3. */
  recordMinor: i32 = 3;

  // application data window: [appPos, appPos + appLen) relative to inq.start, within a record of appRecLen bytes
  appPos: i32 = 0;
  appLen: i32 = 0;
  appRecLen: i32 = 0;
  /** Largest plaintext we put in one record (the server's record_size_limit may lower it). */
  maxFragment: i32 = MAX_PLAINTEXT;

  // negotiated, for tls-info
  version: u16 = 0;
  suite: Suite | null = null;
  group: u16 = 0;
  sigScheme: u16 = 0;
  alpn: Uint8Array | null = null;
  resumed: bool = false;
  verified: bool = false;
  peerCerts: Array<Uint8Array> = [];
  subjects: Array<string> = [];

  // traffic secrets (for KeyUpdate) and the resumption master secret
  clientSecret: StaticArray<u8> = new StaticArray<u8>(64);
  serverSecret: StaticArray<u8> = new StaticArray<u8>(64);
  resumptionSecret: StaticArray<u8> = new StaticArray<u8>(64);
  clientRandom: Uint8Array = new Uint8Array(32);
  keylogLines: Array<string> = [];

  constructor(config: TlsConfig, refName: string, refIp: Uint8Array | null, sni: string | null, store: TrustStore, out: ByteQueue) {
    this.config = config;
    this.refName = refName;
    this.refIp = refIp;
    this.sni = sni;
    this.store = store;
    this.out = out;
  }

  /** Sends the ClientHello. */
  start(): void {
    const first = new ExpectServerHello(this);
    this.state = first;
    this.recordMinor = 1;
    first.sendHello(this);
    this.recordMinor = 3;
    this.ccsAllowed = true;
  }

  // ------------------------------------------------------------------ failure

  /** Fails the connection: sends `f.alert` (if any) and wipes every key. Only the first failure counts. */
  fail(f: TlsFailure): void {
    if (this.failure != null) return;
    this.failure = f;
    if (f.alert >= 0) this.writeRecord(CT_ALERT, this.alertBytes(2, <u8>f.alert), 2);
    this.wipeKeys();
    this.state = null;
  }

  @inline get failed(): bool { return this.failure != null; }

  private alertScratch: StaticArray<u8> = new StaticArray<u8>(2);
  private alertBytes(level: u8, desc: u8): usize {
    const p = changetype<usize>(this.alertScratch);
    store<u8>(p, level);
    store<u8>(p + 1, desc);
    return p;
  }

  /** Frees the raw buffers and wipes every key (the connection is over). */
  dispose(): void {
    this.wipeKeys();
    this.inq.clear();
    this.hs.clear();
    this.appPos = this.appLen = this.appRecLen = 0;
  }

  wipeKeys(): void {
    const r = this.readProt;
    if (r != null) r.wipe();
    const w = this.writeProt;
    if (w != null) w.wipe();
    const pr = this.pendingRead;
    if (pr != null) pr.wipe();
    wipe(changetype<usize>(this.clientSecret), 64);
    wipe(changetype<usize>(this.serverSecret), 64);
    wipe(changetype<usize>(this.resumptionSecret), 64);
  }

  // ------------------------------------------------------------------ keys

  /** Installs new read keys from a traffic secret. A key change must fall on a record and message boundary. */
  setReadKeys(suite: Suite, secret: usize): bool {
    if (this.hs.length != this.curMsgLen) {
      this.fail(protocolFailure(ALERT_UNEXPECTED_MESSAGE, "a handshake message that changes keys was followed by more data in the same record"));
      return false;
    }
    const old = this.readProt;
    if (old != null) old.wipe();
    this.readProt = protectionFor(suite, secret);
    return true;
  }

  setWriteKeys(suite: Suite, secret: usize): void {
    const old = this.writeProt;
    if (old != null) old.wipe();
    this.writeProt = protectionFor(suite, secret);
  }

  /** TLS 1.2: protections from the key block (RFC 5246 6.3); the read side waits for the server's CCS. */
  setKeys12(suite: Suite, clientKey: usize, serverKey: usize, clientIv: usize, serverIv: usize, ivLen: i32): void {
    const old = this.writeProt;
    if (old != null) old.wipe();
    this.writeProt = new Protection(suite, clientKey, clientIv, ivLen);
    this.pendingRead = new Protection(suite, serverKey, serverIv, ivLen);
  }

  /** Sends a warning-level alert (TLS 1.2 no_renegotiation). */
  sendWarning(desc: u8): void {
    this.writeRecord(CT_ALERT, this.alertBytes(1, desc), 2);
  }

  /** Appends an NSS key log line (only when asked for). */
  logSecret(label: string, secret: usize, len: i32): void {
    if (!this.config.keylog) return;
    this.keylogLines.push(label + " " + toHex(this.clientRandom.dataStart, 32) + " " + toHex(secret, len));
  }

  // ------------------------------------------------------------------ output

  /** Writes one record of content type `type` (fragmenting at maxFragment), protected when keys are set. */
  writeRecord(type: u8, src: usize, n: i32): void {
    let off = 0;
    do {
      const chunk = min(n - off, this.maxFragment);
      const w = this.writeProt;
      if (w == null) {
        const p = this.out.reserve(5 + chunk);
        store<u8>(p, type);
        store<u8>(p + 1, 3);
        store<u8>(p + 2, <u8>this.recordMinor);
        store<u8>(p + 3, <u8>(chunk >> 8));
        store<u8>(p + 4, <u8>chunk);
        memory.copy(p + 5, src + <usize>off, <usize>chunk);
        this.out.commit(5 + chunk);
      } else if (this.tls12) {
        const ex = w.explicitLen12;
        const p = this.out.reserve(5 + ex + chunk + TAG_LEN);
        // src never overlaps the output queue's free space, so the AEAD reads it where it is
        this.out.commit(w.seal12(p, type, chunk, src + <usize>off));
      } else {
        const p = this.out.reserve(RECORD_OVERHEAD + chunk);
        memory.copy(p + 5, src + <usize>off, <usize>chunk);
        store<u8>(p + 5 + <usize>chunk, type);
        this.out.commit(w.seal13(p, chunk + 1));
      }
      off += chunk;
    } while (off < n);
  }

  /** Sends a handshake message (added to the transcript). */
  sendHandshake(msg: Uint8Array): void {
    this.transcript.add(msg.dataStart, msg.length);
    this.writeRecord(CT_HANDSHAKE, msg.dataStart, msg.length);
  }

  /** The middlebox-compatibility ChangeCipherSpec (RFC 8446 D.4), sent once. */
  sendCompatCcs(): void {
    if (this.ccsSent) return;
    this.ccsSent = true;
    const p = this.out.reserve(6);
    store<u8>(p, CT_CHANGE_CIPHER_SPEC);
    store<u8>(p + 1, 3);
    store<u8>(p + 2, 3);
    store<u8>(p + 3, 0);
    store<u8>(p + 4, 1);
    store<u8>(p + 5, 1);
    this.out.commit(6);
  }

  /** Bytes a protected record adds to its plaintext: header, (TLS 1.3 type byte | TLS 1.2 explicit nonce), tag. */
  get overhead(): i32 {
    const w = this.writeProt;
    if (this.tls12 && w != null) return 5 + w.explicitLen12 + TAG_LEN;
    return RECORD_OVERHEAD;
  }

  /** How many plaintext bytes fit in `room` bytes of records. */
  plaintextFor(room: i32): i32 {
    const o = this.overhead;
    const full = room / (this.maxFragment + o);
    const rest = room - full * (this.maxFragment + o) - o;
    return full * this.maxFragment + max(rest, 0);
  }

  /**
   * Encrypts n bytes of application data at src into records (as large as the data allows) at the
   * end of `out`.
   */
  sealApp(src: usize, n: i32): void {
    const w = <Protection>this.writeProt;
    // room for every record at once: growing the queue record by record would copy it again and again
    const records = (n + this.maxFragment - 1) / this.maxFragment;
    this.out.reserve(n + records * this.overhead);
    if (this.tls12) {
      this.writeRecord(CT_APPLICATION_DATA, src, n);
      return;
    }
    let off = 0;
    while (off < n) {
      const chunk = min(n - off, this.maxFragment);
      const p = this.out.reserve(RECORD_OVERHEAD + chunk);
      memory.copy(p + 5, src + <usize>off, <usize>chunk);
      store<u8>(p + 5 + <usize>chunk, CT_APPLICATION_DATA);
      this.out.commit(w.seal13(p, chunk + 1));
      off += chunk;
    }
  }

  /** close_notify (a warning-level alert), once. */
  sendCloseNotify(): void {
    if (this.closeNotifySent || this.failed) return;
    this.closeNotifySent = true;
    this.writeRecord(CT_ALERT, this.alertBytes(1, ALERT_CLOSE_NOTIFY), 2);
  }

  /** Our KeyUpdate (RFC 8446 4.6.3): sent under the old key, then the key changes. */
  sendKeyUpdate(requestUpdate: bool): void {
    const suite = <Suite>this.suite;
    const msg = new Uint8Array(5);
    store<u8>(msg.dataStart, 24);
    store<u8>(msg.dataStart + 3, 1);
    store<u8>(msg.dataStart + 4, requestUpdate ? 1 : 0);
    this.writeRecord(CT_HANDSHAKE, msg.dataStart, 5);
    const s = changetype<usize>(this.clientSecret);
    nextTrafficSecret(suite.hash, s);
    this.setWriteKeys(suite, s);
  }

  /** A KeyUpdate from the server: new read key; answer when it asks for an update. */
  onKeyUpdate(requested: bool): bool {
    if (++this.keyUpdatesInARow > MAX_KEY_UPDATES_IN_A_ROW) {
      this.fail(protocolFailure(ALERT_UNEXPECTED_MESSAGE, "the server sent more than " + MAX_KEY_UPDATES_IN_A_ROW.toString() + " KeyUpdates in a row"));
      return false;
    }
    const suite = <Suite>this.suite;
    const s = changetype<usize>(this.serverSecret);
    nextTrafficSecret(suite.hash, s);
    if (!this.setReadKeys(suite, s)) return false;
    if (requested && !this.closeNotifySent) this.sendKeyUpdate(false);
    return true;
  }

  // ------------------------------------------------------------------ input

  @inline get appAvailable(): i32 { return this.appLen; }
  @inline get appPtr(): usize { return this.inq.head + <usize>this.appPos; }

  /** The reader took n bytes of the window; the record is dropped when the window is empty. */
  appConsume(n: i32): void {
    this.appPos += n;
    this.appLen -= n;
    if (this.appLen == 0) {
      this.inq.consume(this.appRecLen);
      this.appPos = 0;
      this.appRecLen = 0;
    }
  }

  /** Bytes of the next record still missing (at least 1 when a header is incomplete), for sizing reads. */
  get wanted(): i32 {
    const n = this.inq.length;
    if (n < 5) return 5 - n;
    const h = this.inq.head;
    const len = (<i32>load<u8>(h + 3) << 8) | <i32>load<u8>(h + 4);
    return max(5 + len - n, 0);
  }

  /**
   * Processes complete records in `inq` until application data is available, more input is
   * needed, the peer closed, or the connection failed.
   */
  process(): void {
    while (this.failure == null && this.appLen == 0 && !this.peerClosed) {
      const n = this.inq.length;
      if (n < 5) return;
      const h = this.inq.head;
      const type = <i32>load<u8>(h);
      const len = (<i32>load<u8>(h + 3) << 8) | <i32>load<u8>(h + 4);
      if (type < 20 || type > 23 || load<u8>(h + 1) != 3) {
        this.fail(protocolFailure(ALERT_UNEXPECTED_MESSAGE, this.sawRecord
          ? "the server sent a record of unknown type " + type.toString()
          : "the server did not answer with TLS (is this a TLS port?)"));
        return;
      }
      this.sawRecord = true;
      if (len > MAX_CIPHERTEXT) {
        this.fail(protocolFailure(ALERT_RECORD_OVERFLOW, "the server sent a record of " + len.toString() + " bytes"));
        return;
      }
      if (n < 5 + len) return;
      this.record(h, type, len);
    }
  }

  /** One complete record at h. */
  private record(h: usize, type: i32, len: i32): void {
    let ctype = type;
    let content = h + 5;
    let clen = len;
    const r = this.readProt;
    if (type == CT_CHANGE_CIPHER_SPEC) {
      if (this.tls12) {
        // TLS 1.2: the server's ChangeCipherSpec switches to the read keys our key exchange made
        const pending = this.pendingRead;
        if (pending == null || len != 1 || load<u8>(content) != 1 || this.hs.length != 0) {
          this.fail(protocolFailure(ALERT_UNEXPECTED_MESSAGE, "unexpected ChangeCipherSpec"));
          return;
        }
        this.inq.consume(5 + len);
        this.readProt = pending;
        this.pendingRead = null;
        return;
      }
      // middlebox compatibility: one plaintext CCS of value 1 is dropped during the handshake
      if (!this.ccsAllowed || len != 1 || load<u8>(content) != 1) {
        this.fail(protocolFailure(ALERT_UNEXPECTED_MESSAGE, "unexpected ChangeCipherSpec"));
        return;
      }
      this.inq.consume(5 + len);
      return;
    }
    if (r == null) {
      if (type == CT_APPLICATION_DATA) {
        this.fail(protocolFailure(ALERT_UNEXPECTED_MESSAGE, "application data before the handshake"));
        return;
      }
      if (len > MAX_PLAINTEXT) {
        this.fail(protocolFailure(ALERT_RECORD_OVERFLOW, "the server sent a plaintext record of " + len.toString() + " bytes"));
        return;
      }
    } else if (this.tls12) {
      // TLS 1.2 AEAD records keep their type outside; the plaintext follows the explicit nonce
      const m = r.open12(h, type, len);
      if (m < 0) {
        this.fail(protocolFailure(ALERT_BAD_RECORD_MAC, "a record from the server failed authentication"));
        return;
      }
      if (m > MAX_PLAINTEXT) {
        this.fail(protocolFailure(ALERT_RECORD_OVERFLOW, "a protected record over 2^14 bytes"));
        return;
      }
      content = h + 5 + <usize>r.explicitLen12;
      clen = m;
    } else {
      if (type != CT_APPLICATION_DATA) {
        this.fail(protocolFailure(ALERT_UNEXPECTED_MESSAGE, "the server sent an unprotected record after keys were set"));
        return;
      }
      const m = r.open13(h, len);
      if (m < 0) {
        this.fail(protocolFailure(ALERT_BAD_RECORD_MAC, "a record from the server failed authentication"));
        return;
      }
      // strip the padding: the content type is the last non-zero byte (RFC 8446 5.4)
      let i = m - 1;
      while (i >= 0 && load<u8>(content + <usize>i) == 0) i--;
      if (i < 0) {
        this.fail(protocolFailure(ALERT_UNEXPECTED_MESSAGE, "a protected record with no content type"));
        return;
      }
      ctype = <i32>load<u8>(content + <usize>i);
      clen = i;
      if (clen > MAX_PLAINTEXT) {
        this.fail(protocolFailure(ALERT_RECORD_OVERFLOW, "a protected record over 2^14 bytes"));
        return;
      }
    }
    if (ctype == CT_APPLICATION_DATA) {
      if (!this.handshakeDone) {
        this.fail(protocolFailure(ALERT_UNEXPECTED_MESSAGE, "application data before the handshake completed"));
        return;
      }
      this.keyUpdatesInARow = 0;
      this.warningsInARow = 0;
      if (clen == 0) { this.inq.consume(5 + len); return; }
      this.appPos = <i32>(content - h);
      this.appLen = clen;
      this.appRecLen = 5 + len;
      return;
    }
    if (ctype == CT_ALERT) {
      if (clen != 2) {
        this.fail(protocolFailure(ALERT_DECODE_ERROR, "an alert record of " + clen.toString() + " bytes"));
        return;
      }
      const level = <i32>load<u8>(content);
      const desc = <i32>load<u8>(content + 1);
      this.inq.consume(5 + len);
      if (desc == ALERT_CLOSE_NOTIFY) { this.peerClosed = true; return; }
      if (desc == ALERT_USER_CANCELED) return; // followed by close_notify (RFC 8446 6.1)
      if (this.tls12 && level == 1) {
        // TLS 1.2 warnings (e.g. no_renegotiation) do not end the connection; a flood does
        if (++this.warningsInARow > 32) this.fail(protocolFailure(ALERT_UNEXPECTED_MESSAGE, "the server sent more than 32 warning alerts in a row"));
        return;
      }
      this.failure = receivedAlert(desc); // never answer an alert with an alert
      this.wipeKeys();
      this.state = null;
      return;
    }
    if (ctype == CT_HANDSHAKE) {
      if (clen == 0) {
        this.fail(protocolFailure(ALERT_UNEXPECTED_MESSAGE, "an empty handshake record"));
        return;
      }
      this.hs.push(content, clen);
      this.inq.consume(5 + len);
      this.handshakeMessages();
      return;
    }
    // a protected ChangeCipherSpec, or anything else
    this.fail(protocolFailure(ALERT_UNEXPECTED_MESSAGE, "unexpected content type " + ctype.toString()));
  }

  /** Dispatches every complete handshake message in the reassembly buffer. */
  private handshakeMessages(): void {
    while (this.failure == null && this.hs.length >= 4) {
      const p = this.hs.head;
      const mlen = (<i32>load<u8>(p + 1) << 16) | (<i32>load<u8>(p + 2) << 8) | <i32>load<u8>(p + 3);
      if (mlen > MAX_HANDSHAKE_MESSAGE) {
        this.fail(protocolFailure(ALERT_DECODE_ERROR, "a handshake message of " + mlen.toString() + " bytes"));
        return;
      }
      if (this.hs.length < 4 + mlen) return;
      const st = this.state;
      if (st == null) return;
      this.curMsgLen = 4 + mlen;
      const next = st.handle(this, <i32>load<u8>(p), p, 4 + mlen);
      if (this.failure != null) return;
      this.hs.consume(4 + mlen);
      this.state = next;
    }
  }
}

const KEY_SCRATCH: usize = memory.data(32);
const IV_SCRATCH: usize = memory.data(12);

function protectionFor(suite: Suite, secret: usize): Protection {
  const key = KEY_SCRATCH;
  const iv = IV_SCRATCH;
  trafficKeys(suite.hash, secret, suite.keyLen, key, iv);
  const p = new Protection(suite, key, iv, 12);
  wipe(key, 32);
  wipe(iv, 12);
  return p;
}
