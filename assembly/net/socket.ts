// The socket state machine. I/O happens only through the non-blocking WASI calls in abi/wasi.ts;
// nothing here waits. Each public call first drives the connection forward as far as it can go
// now (advance), then does its own work, and callers wait on the pollables handed back.
//
//   Resolving --(addresses)--> Connecting --(finish-connect ok)--> Open ---------(close)--> Closed
//       |                          |  (fails: next address, else)  |  ^                    
//       |                          |                   (TLS) v  | (handshake done)
//       +-------> Failed <---------+------------------ Handshaking  +--(error)--> Failed
//
//   Open --(start-tls)--> Upgraded: the connection moves to a new Socket that starts Handshaking.
//
// Open carries two half-states: readEnded (peer FIN, or close_notify over TLS) and the write
// side's shutdown (requested by shutdown-write, or implied by the end of input when
// allow-half-open is false; close_notify and FIN are sent once the queue has drained).
//
// Over TLS the engine (tls/engine.ts) turns records into plaintext and back; this file moves its
// bytes between the host's streams and the engine, and decides when.

import {
  IpAddress, resolveAddresses, resolveNext, resolveSubscribe, resolveDrop, resolveError,
  RESOLVE_ADDR, RESOLVE_DONE, RESOLVE_WAIT,
  createTcpSocket, startConnect, finishConnect, connectedIn, connectedOut, tcpSubscribe, tcpDrop,
  localAddress, remoteAddress, shutdown, SHUTDOWN_SEND, netErrCode, NetError,
  streamRead, readPtr, readLen, streamCheckWrite, streamWrite, streamFlush, streamErrorText,
  inputSubscribe, outputSubscribe, inputDrop, outputDrop, subscribeDuration,
  STREAM_OK, STREAM_CLOSED, netErrorFromText, monotonicMillis,
} from "../abi/wasi";
import { abiFree } from "../abi/memory";
import { ErrorCode, SocketError, fromNetError } from "./errors";
import { parseIPv4, parseIPv6, unbracket, formatSocketAddress } from "./address";
import { ByteQueue } from "./queue";
import { TlsConfig } from "../tls/config";
import { TlsClient, MAX_CIPHERTEXT } from "../tls/engine";
import { TrustStore } from "../x509";

export const enum State { Resolving, Connecting, Handshaking, Open, Upgraded, Failed, Closed }

/** Most bytes the component holds for a socket that the host's output stream has not taken yet. */
export const WRITE_BUFFER_CAP: i32 = 256 * 1024;
/** Largest single read handed to the host. */
export const READ_CHUNK_MAX: i32 = 256 * 1024;
/** Largest read of ciphertext from the host in one call (a few full records). */
const TLS_READ_CHUNK: i32 = 64 * 1024;
/** RFC 8305 "Connection Attempt Delay": the next address is tried this long after the previous one. */
export const CONNECTION_ATTEMPT_DELAY_MS: i64 = 250;
/** A subscribe-read / subscribe-write pollable before the socket opens: re-check this often (poll-open is the way to wait). */
const PRE_OPEN_RECHECK_MS: i64 = 50;

/** One connection attempt of Happy Eyeballs: its TCP socket and the address it goes to. */
class Attempt {
  constructor(public tcp: i32, public addr: i32) {}
}

/** Where a TLS socket's certificate checks point: the name, or the IP literal, and the store. */
export class TlsTarget {
  constructor(
    public config: TlsConfig,
    public refName: string,
    public refIp: Uint8Array | null,
    public sni: string | null,
    public store: TrustStore,
    /** The session cache key: what a stored session must match to be resumed. */
    public sessionKey: string,
  ) {}
}

export class Socket {
  state: State = State.Resolving;
  opened: bool = false;
  error: SocketError | null = null;
  /** Created with secure-transport starttls: start-tls may hand the connection to a TLS socket. */
  starttls: bool = false;

  // connecting (RFC 8305: several attempts may be in flight; the first to connect wins)
  lookup: i32 = -1;
  addrs: IpAddress[] = [];
  /** The next address to try. */
  addrIndex: i32 = 0;
  attempts: Attempt[] = [];
  /** When the next attempt starts if none has connected (monotonic ms). */
  nextAttemptAt: i64 = 0;
  /** Sockets of attempts that lost or failed: dropped at the next poll-open (their pollables are gone by then). */
  retired: i32[] = [];
  lastConnectError: SocketError | null = null;
  /** The connected TCP socket. */
  tcp: i32 = -1;
  /** connect-timeout: when `opened` must have happened (monotonic ms), 0 for none. */
  deadline: i64 = 0;
  timeoutMs: i64 = 0;

  // connected
  inStream: i32 = -1;
  outStream: i32 = -1;
  remoteText: string = "";
  localText: string = "";
  readEnded: bool = false;
  shutdownRequested: bool = false;
  finFlushRequested: bool = false;
  shutdownDone: bool = false;

  /** Bytes not yet handed to the host: plaintext, or TLS records. */
  outq: ByteQueue = new ByteQueue();

  // TLS: what to verify against (set at connect for "on", by start-tls for "starttls")
  tlsTarget: TlsTarget | null = null;
  tls: TlsClient | null = null;
  /** Plaintext written before the TLS handshake completed (sent encrypted once it has). */
  pre: ByteQueue = new ByteQueue();

  constructor(public host: string, public port: u16, public allowHalfOpen: bool) {}

  /** Starts resolution, or goes straight to connecting for an IP literal. */
  begin(timeoutMs: i64 = 0): void {
    if (timeoutMs > 0) {
      this.timeoutMs = timeoutMs;
      this.deadline = monotonicMillis() + timeoutMs;
    }
    const bare = unbracket(this.host);
    const lit = new IpAddress();
    if (parseIPv4(bare, lit) || parseIPv6(bare, lit)) {
      this.addrs.push(lit);
      this.state = State.Connecting;
      this.connecting();
      return;
    }
    const r = resolveAddresses(bare);
    if (r < 0) {
      this.fail(fromNetError(netErrCode(r), "resolving '" + bare + "'"));
      return;
    }
    this.lookup = r;
    this.state = State.Resolving;
  }

  fail(e: SocketError): void {
    if (this.state == State.Failed || this.state == State.Closed) return;
    this.error = e;
    if (this.inStream >= 0) {
      // The caller may still hold pollables of the streams (children of them): a native host
      // traps when a parent goes first. The streams are dropped by close(), after the caller has
      // dropped its pollables; only the buffers go now.
      this.releaseBuffers();
    } else {
      this.release();
    }
    this.state = State.Failed;
  }

  private releaseBuffers(): void {
    this.outq.clear();
    this.pre.clear();
    const t = this.tls;
    if (t != null) t.dispose();
  }

  /** Drives resolution, connection attempts and the TLS handshake without waiting. */
  advance(): void {
    if (this.deadline > 0 && !this.opened && this.state <= State.Handshaking && monotonicMillis() >= this.deadline) {
      this.fail(new SocketError(ErrorCode.TimedOut, "connecting to " + this.host + ":" + this.port.toString() +
        " did not complete within " + this.timeoutMs.toString() + " ms" + (this.state == State.Handshaking ? " (TLS handshake)" : "")));
      return;
    }
    if (this.state == State.Resolving) {
      while (true) {
        const a = new IpAddress();
        const r = resolveNext(this.lookup, a);
        if (r == RESOLVE_WAIT) return;
        if (r == RESOLVE_ADDR) { this.addrs.push(a); continue; }
        resolveDrop(this.lookup);
        this.lookup = -1;
        if (r == RESOLVE_DONE) {
          if (this.addrs.length == 0) {
            this.fail(new SocketError(ErrorCode.NameUnresolvable, "'" + this.host + "' has no addresses"));
            return;
          }
          this.interleaveFamilies();
          this.state = State.Connecting;
          this.nextAttemptAt = 0;
        } else {
          this.fail(fromNetError(resolveError, "resolving '" + this.host + "'"));
          return;
        }
        break;
      }
    }
    if (this.state == State.Connecting) this.connecting();
    if (this.state == State.Handshaking) this.handshake();
  }

  /** RFC 8305 4: alternate address families, starting with the family of the first address. */
  private interleaveFamilies(): void {
    const first = this.addrs[0].family;
    const a = new Array<IpAddress>();
    const b = new Array<IpAddress>();
    for (let i = 0; i < this.addrs.length; i++) (this.addrs[i].family == first ? a : b).push(this.addrs[i]);
    const out = new Array<IpAddress>();
    for (let i = 0; i < max(a.length, b.length); i++) {
      if (i < a.length) out.push(a[i]);
      if (i < b.length) out.push(b[i]);
    }
    this.addrs = out;
  }

  /** Happy Eyeballs: checks every attempt in flight, starts the next when it is due, picks the winner. */
  private connecting(): void {
    for (let i = 0; i < this.attempts.length; i++) {
      const at = this.attempts[i];
      const r = finishConnect(at.tcp);
      if (r == 0) {
        // the first to connect wins; the others are dropped at the next poll-open
        this.tcp = at.tcp;
        this.inStream = connectedIn;
        this.outStream = connectedOut;
        this.addrIndex = at.addr;
        for (let k = 0; k < this.attempts.length; k++) if (k != i) this.retired.push(this.attempts[k].tcp);
        this.attempts = [];
        this.onConnected();
        return;
      }
      const code = netErrCode(r);
      if (code == NetError.WouldBlock) continue;
      this.lastConnectError = fromNetError(code, "connecting to " + formatSocketAddress(this.addrs[at.addr], <i32>this.port));
      this.retired.push(at.tcp);
      this.attempts.splice(i, 1);
      i--;
      this.nextAttemptAt = 0; // a failed attempt lets the next one start at once
    }
    const now = monotonicMillis();
    while (this.addrIndex < this.addrs.length && (this.attempts.length == 0 || now >= this.nextAttemptAt)) {
      if (this.startAttempt()) this.nextAttemptAt = now + CONNECTION_ATTEMPT_DELAY_MS;
    }
    if (this.attempts.length == 0) {
      const e = this.lastConnectError;
      this.fail(e != null ? e : new SocketError(ErrorCode.NameUnresolvable, "no address to connect to"));
    }
  }

  /** Starts a connection to the next address; false when it failed at once (its error is kept). */
  private startAttempt(): bool {
    const i = this.addrIndex++;
    const addr = this.addrs[i];
    const s = createTcpSocket(addr.family);
    if (s < 0) {
      this.lastConnectError = fromNetError(netErrCode(s), "creating a socket for " + formatSocketAddress(addr, <i32>this.port));
      return false;
    }
    const r = startConnect(s, addr, this.port);
    if (r < 0) {
      this.lastConnectError = fromNetError(netErrCode(r), "connecting to " + formatSocketAddress(addr, <i32>this.port));
      tcpDrop(s);
      return false;
    }
    this.attempts.push(new Attempt(s, i));
    return true;
  }

  /** Drops the sockets of attempts that lost or failed (call where no pollable of theirs is out). */
  dropRetired(): void {
    for (let i = 0; i < this.retired.length; i++) tcpDrop(this.retired[i]);
    this.retired = [];
  }

  /** TCP is up: plaintext sockets are open; TLS sockets start their handshake. */
  private onConnected(): void {
    const a = new IpAddress();
    let p = remoteAddress(this.tcp, a);
    this.remoteText = p >= 0 ? formatSocketAddress(a, p) : formatSocketAddress(this.addrs[this.addrIndex], <i32>this.port);
    if (this.deadline > 0 && this.tlsTarget == null) this.deadline = 0;
    p = localAddress(this.tcp, a);
    this.localText = p >= 0 ? formatSocketAddress(a, p) : "";
    this.addrs = [];
    if (this.tlsTarget != null) {
      this.startHandshake();
      return;
    }
    this.state = State.Open;
    this.opened = true;
    this.pump(); // bytes written before the socket opened go out now
  }

  /** Creates the TLS engine, queues the ClientHello (after any plaintext still queued) and drives it. */
  private startHandshake(): void {
    const t = <TlsTarget>this.tlsTarget;
    const tls = new TlsClient(t.config, t.refName, t.refIp, t.sni, t.store, this.outq);
    tls.sessionKey = t.sessionKey;
    this.tls = tls;
    this.state = State.Handshaking;
    tls.start();
    this.handshake();
  }

  /** Moves handshake bytes both ways until the handshake waits for the peer, completes or fails. */
  private handshake(): void {
    const tls = <TlsClient>this.tls;
    for (let rounds = 0; rounds < 64; rounds++) {
      // Checked before the queue is pumped: the client's last flight then leaves with the first
      // application data (onTlsOpen), not in a segment of its own.
      if (tls.failed) { this.tlsFailed(); return; }
      if (tls.handshakeDone) { this.onTlsOpen(); return; }
      this.pumpRaw();
      if (this.state == State.Failed) return;
      const r = this.readCiphertext();
      if (r <= 0) {
        if (r < 0) return; // failed (already reported)
        return; // nothing more now: wait for the peer
      }
      tls.process();
    }
  }

  /**
   * The handshake completed: the socket opens. The client's last flight (TLS 1.3: its Finished)
   * is still queued: plaintext written meanwhile is sealed behind it, so that both reach the host
   * in one write (two small writes in a row are what Nagle's algorithm holds back until the peer's
   * delayed ACK, ~40 ms, on a host that leaves it on; WASI 0.2 cannot turn it off).
   */
  private onTlsOpen(): void {
    const tls = <TlsClient>this.tls;
    this.state = State.Open;
    this.opened = true;
    const pre = this.pre;
    if (pre.length > 0) {
      tls.sealApp(pre.head, pre.length);
      pre.clear();
    }
    this.pump();
  }

  /**
   * Reads what the host has into the engine's input queue: the bytes read (> 0), 0 when nothing
   * is there, or -1 when the socket failed. The end of TCP input is handled here: at a record
   * boundary after close_notify it is the normal end; otherwise the data may have been truncated.
   */
  private readCiphertext(): i32 {
    const tls = <TlsClient>this.tls;
    const want = max(tls.wanted, TLS_READ_CHUNK);
    const r = streamRead(this.inStream, min(want, MAX_CIPHERTEXT * 4));
    if (r == STREAM_OK) {
      const n = readLen;
      if (n > 0) {
        tls.inq.push(readPtr, n);
        abiFree(readPtr, <usize>n);
      } else {
        abiFree(readPtr, 0);
      }
      return n;
    }
    if (r == STREAM_CLOSED) {
      this.readEnded = true;
      const why = tls.inq.length > 0
        ? "the server closed the connection in the middle of a TLS record"
        : tls.handshakeDone
          ? "the server closed the connection without TLS close_notify, so the data may be truncated"
          : "the server closed the connection during the TLS handshake";
      this.fail(new SocketError(ErrorCode.TlsProtocolError, why));
      return -1;
    }
    this.fail(this.streamFailure("reading"));
    return -1;
  }

  /** The engine failed: its alert (if any) goes out as far as the host takes it now, then the socket fails. */
  private tlsFailed(): void {
    const tls = <TlsClient>this.tls;
    this.pumpRaw();
    const f = tls.failure;
    if (f != null) this.fail(f.toSocketError());
  }

  /** Pollables that become ready when advance() may make progress (ready at once when settled). */
  statePollables(): Array<i32> {
    const out = new Array<i32>();
    const now = monotonicMillis();
    let wakeAt: i64 = this.deadline;
    if (this.state == State.Resolving) out.push(resolveSubscribe(this.lookup));
    else if (this.state == State.Connecting) {
      for (let i = 0; i < this.attempts.length; i++) out.push(tcpSubscribe(this.attempts[i].tcp));
      if (this.addrIndex < this.addrs.length && (wakeAt == 0 || this.nextAttemptAt < wakeAt)) wakeAt = this.nextAttemptAt;
    } else if (this.state == State.Handshaking) {
      out.push(inputSubscribe(this.inStream));
      if (this.outq.length > 0) out.push(outputSubscribe(this.outStream));
    } else {
      out.push(subscribeDuration(0));
      return out;
    }
    if (wakeAt > 0) out.push(subscribeDuration(<u64>max<i64>(wakeAt - now, 0) * 1000000));
    return out;
  }

  /**
   * One pollable for subscribe-read / subscribe-write before the socket is open: a short timer
   * (attempts come and go while connecting, and their pollables may not outlive them). Callers
   * that wait for the connection use poll-open's list.
   */
  private statePollable(): i32 {
    if (this.state == State.Resolving) return resolveSubscribe(this.lookup);
    if (this.state == State.Handshaking) return this.outq.length > 0 ? outputSubscribe(this.outStream) : inputSubscribe(this.inStream);
    if (this.state == State.Connecting) return subscribeDuration(<u64>PRE_OPEN_RECHECK_MS * 1000000);
    return subscribeDuration(0);
  }

  subscribeRead(): i32 {
    this.advance();
    // Over TLS, plaintext the component already holds is returned by read() without waiting:
    // read() says would-block only when it holds none, and then the host's input is what matters.
    if (this.state == State.Open && !this.readEnded) return inputSubscribe(this.inStream);
    return this.statePollable();
  }

  subscribeWrite(): i32 {
    this.advance();
    if (this.state == State.Open && !this.shutdownDone) return outputSubscribe(this.outStream);
    return this.statePollable();
  }

  /** The error a failed, closed or upgraded socket reports for an operation. */
  settledError(): SocketError {
    const e = this.error;
    if (e != null) return e;
    if (this.state == State.Upgraded) return new SocketError(ErrorCode.InvalidState, "the socket was upgraded with start-tls; use the socket it returned");
    return new SocketError(ErrorCode.Closed, "the socket is closed");
  }

  // ---- reading
  /** Read outcome: READ_DATA (outPtr/outLen, possibly empty), READ_EOF or READ_FAILED (settledError()). */
  read(max: i32): i32 {
    this.advance();
    if (this.state == State.Failed || this.state == State.Closed) return READ_FAILED;
    if (this.state == State.Upgraded) return READ_EOF;
    if (this.state != State.Open) { outPtr = 0; outLen = 0; return READ_DATA; }
    if (this.readEnded) return READ_EOF;
    if (this.tls != null) return this.readTls(max);
    const r = streamRead(this.inStream, min(max, READ_CHUNK_MAX));
    if (r == STREAM_OK) { outPtr = readPtr; outLen = readLen; return READ_DATA; }
    if (r == STREAM_CLOSED) return this.onEndOfInput();
    this.fail(this.streamFailure("reading"));
    return READ_FAILED;
  }

  private onEndOfInput(): i32 {
    this.readEnded = true;
    if (!this.allowHalfOpen) this.shutdownRequested = true;
    this.pump();
    return READ_EOF;
  }

  /** Decrypted bytes: from the current record, else from records read from the host now. */
  private readTls(max: i32): i32 {
    const tls = <TlsClient>this.tls;
    for (let rounds = 0; rounds < 64; rounds++) {
      const avail = tls.appAvailable;
      if (avail > 0) {
        const n = min(avail, max);
        const p = heap.alloc(<usize>n);
        memory.copy(p, tls.appPtr, <usize>n);
        tls.appConsume(n);
        outPtr = p;
        outLen = n;
        if (tls.appAvailable == 0 && tls.inq.length > 0) {
          tls.process();
          if (tls.failed) this.tlsFailed(); // reported on the next call; these bytes were authentic
          else this.pump();
        }
        return READ_DATA;
      }
      if (tls.peerClosed) return this.onEndOfInput();
      if (tls.failed) { this.tlsFailed(); return READ_FAILED; }
      const r = this.readCiphertext();
      if (r < 0) return READ_FAILED;
      if (r == 0) { outPtr = 0; outLen = 0; return READ_DATA; }
      tls.process();
      this.pump(); // a KeyUpdate answer, or an alert
      if (this.state == State.Failed) return READ_FAILED;
    }
    outPtr = 0;
    outLen = 0;
    return READ_DATA;
  }

  private streamFailure(doing: string): SocketError {
    const code = netErrorFromText(streamErrorText);
    if (code >= 0) return fromNetError(code, doing);
    return new SocketError(ErrorCode.IoError, doing + ": " + streamErrorText);
  }

  // ---- writing
  bufferedAmount(): i32 { return this.outq.length + this.pre.length; }

  /** Accepts up to the buffer's room from [ptr, ptr+len); returns the count, or -1 (settledError()). */
  write(ptr: usize, len: i32): i32 {
    this.advance();
    if (this.state == State.Failed || this.state == State.Closed || this.state == State.Upgraded) return -1;
    if (this.shutdownRequested) {
      lastWriteError = new SocketError(ErrorCode.InvalidState,
        this.readEnded && !this.allowHalfOpen
          ? "the peer closed the connection and allowHalfOpen is false, so writing has ended"
          : "write after the writable side was closed");
      return -2;
    }
    const tls = this.tls;
    if (this.tlsTarget != null && (tls == null || !tls.handshakeDone)) {
      // TLS not open yet: keep the plaintext; it is encrypted and sent once the handshake completes
      const n = min(len, WRITE_BUFFER_CAP - this.pre.length);
      this.pre.push(ptr, n);
      return n;
    }
    if (tls != null) {
      // seal as much as the queue has room for, then hand it over
      this.pump();
      if (this.state == State.Failed) return -1;
      const room = WRITE_BUFFER_CAP - this.outq.length;
      const n = min(len, tls.plaintextFor(room));
      if (n > 0) tls.sealApp(ptr, n);
      this.pump();
      if (this.state == State.Failed) return -1;
      return n;
    }
    let taken = 0;
    // Bytes queued earlier go first, as far as the host takes them now (otherwise a full queue
    // would refuse this write while the host has room, and nothing else would drain it).
    if (this.state == State.Open && this.outq.length > 0) {
      this.pumpRaw();
      if (this.state == State.Failed) return -1;
    }
    // Fast path: nothing queued, so hand bytes to the host directly, as far as it takes them.
    if (this.state == State.Open && this.outq.length == 0) {
      const room = streamCheckWrite(this.outStream);
      if (room < 0) { this.fail(this.streamFailure("writing")); return -1; }
      const n = <i32>min(<i64>len, room);
      if (n > 0) {
        if (streamWrite(this.outStream, ptr, n) != STREAM_OK) { this.fail(this.streamFailure("writing")); return -1; }
        taken = n;
      }
    }
    // Queue the rest, up to the cap.
    const rest = min(len - taken, WRITE_BUFFER_CAP - this.outq.length);
    if (rest > 0) {
      this.outq.push(ptr + <usize>taken, rest);
      taken += rest;
    }
    return taken;
  }

  /** Hands queued bytes to the host as far as it takes them now; false when some remain (or failed). */
  private pumpRaw(): bool {
    const q = this.outq;
    while (q.length > 0) {
      const room = streamCheckWrite(this.outStream);
      if (room < 0) { this.fail(this.streamFailure("writing")); return false; }
      if (room == 0) return false;
      const n = <i32>min(<i64>q.length, room);
      if (streamWrite(this.outStream, q.head, n) != STREAM_OK) {
        this.fail(this.streamFailure("writing"));
        return false;
      }
      q.consume(n);
    }
    return true;
  }

  /** Pushes queued bytes and a due close_notify and FIN to the host; true when nothing is left to hand over. */
  pump(): bool {
    if (this.state != State.Open) return false;
    if (!this.pumpRaw()) return false;
    if (this.shutdownRequested && !this.shutdownDone) {
      const tls = this.tls;
      if (tls != null && !tls.closeNotifySent) {
        tls.sendCloseNotify();
        if (!this.pumpRaw()) return false;
      }
      // All bytes written: ask the stream to flush, and send FIN once it has.
      if (!this.finFlushRequested) {
        if (streamFlush(this.outStream) != STREAM_OK) { this.fail(this.streamFailure("flushing")); return false; }
        this.finFlushRequested = true;
      }
      const room = streamCheckWrite(this.outStream);
      if (room < 0) { this.fail(this.streamFailure("flushing")); return false; }
      if (room == 0) return false;
      const r = shutdown(this.tcp, SHUTDOWN_SEND);
      if (r < 0) { this.fail(fromNetError(netErrCode(r), "sending FIN")); return false; }
      this.shutdownDone = true;
    }
    return true;
  }

  /** flush(): 1 when everything is handed over, 0 when not yet, -1 when failed (settledError()). */
  flush(): i32 {
    this.advance();
    if (this.state == State.Failed || this.state == State.Closed || this.state == State.Upgraded) return -1;
    if (this.state != State.Open) return 0;
    const done = this.pump();
    if (this.state == State.Failed) return -1;
    return done ? 1 : 0;
  }

  /** shutdown-write: close_notify (TLS) and FIN after the buffered bytes. Returns false when the socket is settled. */
  shutdownWrite(): bool {
    this.advance();
    if (this.state == State.Failed || this.state == State.Closed || this.state == State.Upgraded) return false;
    this.shutdownRequested = true;
    if (this.state == State.Open) this.pump();
    return this.state != State.Failed;
  }

  /**
   * start-tls: a new socket takes over this connection (in whatever phase it is) and will run a
   * TLS handshake once TCP is up. Queued plaintext goes out first, then the ClientHello.
   */
  upgrade(target: TlsTarget): Socket {
    const s = new Socket(this.host, this.port, this.allowHalfOpen);
    s.state = this.state;
    s.lookup = this.lookup;
    s.addrs = this.addrs;
    s.addrIndex = this.addrIndex;
    s.attempts = this.attempts;
    s.nextAttemptAt = this.nextAttemptAt;
    s.retired = this.retired;
    s.deadline = this.deadline;
    s.timeoutMs = this.timeoutMs;
    s.lastConnectError = this.lastConnectError;
    s.tcp = this.tcp;
    s.inStream = this.inStream;
    s.outStream = this.outStream;
    s.remoteText = this.remoteText;
    s.localText = this.localText;
    s.readEnded = this.readEnded;
    s.outq = this.outq;
    s.tlsTarget = target;
    this.lookup = this.tcp = this.inStream = this.outStream = -1;
    this.addrs = [];
    this.attempts = [];
    this.retired = [];
    this.outq = new ByteQueue();
    this.state = State.Upgraded;
    if (s.state == State.Open) {
      s.opened = false;
      s.startHandshake();
    }
    return s;
  }

  /** Drops every WASI resource (children before parents). */
  release(): void {
    if (this.inStream >= 0) { inputDrop(this.inStream); this.inStream = -1; }
    if (this.outStream >= 0) { outputDrop(this.outStream); this.outStream = -1; }
    if (this.tcp >= 0) { tcpDrop(this.tcp); this.tcp = -1; }
    for (let i = 0; i < this.attempts.length; i++) tcpDrop(this.attempts[i].tcp);
    this.attempts = [];
    this.dropRetired();
    if (this.lookup >= 0) { resolveDrop(this.lookup); this.lookup = -1; }
    this.releaseBuffers();
    this.addrs = [];
  }

  /** Drops everything; the caller must have dropped the pollables it got from this socket. */
  close(): void {
    this.release();
    if (this.state != State.Failed) this.state = State.Closed;
  }
}

export const READ_DATA: i32 = 0;
export const READ_EOF: i32 = 1;
export const READ_FAILED: i32 = 2;
export let outPtr: usize = 0;
export let outLen: i32 = 0;
/** Set when write() returns -2: an error for this call only (the socket itself is fine). */
export let lastWriteError: SocketError | null = null;
