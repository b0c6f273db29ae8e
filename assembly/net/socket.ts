// The socket state machine. I/O happens only through the non-blocking WASI calls in abi/wasi.ts;
// nothing here waits. Each public call first drives the connection forward as far as it can go
// now (advance), then does its own work, and callers wait on the pollables handed back.
//
//   Resolving --(addresses)--> Connecting --(finish-connect ok)--> Open --(close)--> Closed
//       |                          |  (fails: next address, else)      |
//       +-------> Failed <---------+                                   +--(error)--> Failed
//
// Open carries two half-states: readEnded (peer FIN seen) and the write side's shutdown
// (requested by shutdown-write, or implied by FIN when allow-half-open is false; FIN is sent once
// the buffer has drained).

import {
  IpAddress, resolveAddresses, resolveNext, resolveSubscribe, resolveDrop, resolveError,
  RESOLVE_ADDR, RESOLVE_DONE, RESOLVE_WAIT,
  createTcpSocket, startConnect, finishConnect, connectedIn, connectedOut, tcpSubscribe, tcpDrop,
  localAddress, remoteAddress, shutdown, SHUTDOWN_SEND, netErrCode, NetError,
  streamRead, readPtr, readLen, streamCheckWrite, streamWrite, streamFlush, streamErrorText,
  inputSubscribe, outputSubscribe, inputDrop, outputDrop, subscribeDuration,
  STREAM_OK, STREAM_CLOSED, netErrorFromText,
} from "../abi/wasi";
import { ErrorCode, SocketError, fromNetError } from "./errors";
import { parseIPv4, parseIPv6, unbracket, formatSocketAddress } from "./address";

export const enum State { Resolving, Connecting, Open, Failed, Closed }

/** Most bytes the component holds for a socket that the host's output stream has not taken yet. */
export const WRITE_BUFFER_CAP: i32 = 256 * 1024;
/** Largest single read handed to the host. */
export const READ_CHUNK_MAX: i32 = 256 * 1024;

export class Socket {
  state: State = State.Resolving;
  opened: bool = false;
  error: SocketError | null = null;

  // connecting
  lookup: i32 = -1;
  addrs: IpAddress[] = [];
  addrIndex: i32 = 0;
  lastConnectError: SocketError | null = null;
  tcp: i32 = -1;

  // open
  inStream: i32 = -1;
  outStream: i32 = -1;
  remoteText: string = "";
  localText: string = "";
  readEnded: bool = false;
  shutdownRequested: bool = false;
  finFlushRequested: bool = false;
  shutdownDone: bool = false;

  // write buffer (raw memory, allocated on first use): bytes [wStart, wEnd) are pending
  wbuf: usize = 0;
  wStart: i32 = 0;
  wEnd: i32 = 0;

  /** Created with secure-transport starttls: start-tls may hand the connection to a TLS socket. */
  starttls: bool = false;

  constructor(public host: string, public port: u16, public allowHalfOpen: bool) {}

  /** Starts resolution, or goes straight to connecting for an IP literal. */
  begin(): void {
    const bare = unbracket(this.host);
    const lit = new IpAddress();
    if (parseIPv4(bare, lit) || parseIPv6(bare, lit)) {
      this.addrs.push(lit);
      this.state = State.Connecting;
      this.nextAttempt();
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
    if (this.opened) {
      // The caller may still hold pollables of the streams (children of them): a native host
      // traps when a parent goes first. The streams are dropped by close(), after the caller has
      // dropped its pollables; only the write buffer goes now.
      this.releaseBuffer();
    } else {
      this.release();
    }
    this.state = State.Failed;
  }

  private releaseBuffer(): void {
    if (this.wbuf != 0) { heap.free(this.wbuf); this.wbuf = 0; }
    this.wStart = this.wEnd = 0;
  }

  /** Drives resolution and connection attempts without waiting. */
  advance(): void {
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
          this.state = State.Connecting;
          this.nextAttempt();
        } else {
          this.fail(fromNetError(resolveError, "resolving '" + this.host + "'"));
          return;
        }
        break;
      }
    }
    if (this.state == State.Connecting && this.tcp >= 0) {
      const r = finishConnect(this.tcp);
      if (r == 0) {
        this.inStream = connectedIn;
        this.outStream = connectedOut;
        this.onOpen();
        this.pump(); // bytes written before the socket opened go out now
        return;
      }
      const code = netErrCode(r);
      if (code == NetError.WouldBlock) return;
      this.lastConnectError = fromNetError(code, "connecting to " + this.attemptText());
      tcpDrop(this.tcp);
      this.tcp = -1;
      this.addrIndex++;
      this.nextAttempt();
    }
  }

  private attemptText(): string {
    return formatSocketAddress(this.addrs[this.addrIndex], <i32>this.port);
  }

  /** Starts a connection to the next address in turn; fails with the last error when none is left. */
  private nextAttempt(): void {
    while (this.addrIndex < this.addrs.length) {
      const addr = this.addrs[this.addrIndex];
      const s = createTcpSocket(addr.family);
      if (s < 0) {
        this.lastConnectError = fromNetError(netErrCode(s), "creating a socket for " + this.attemptText());
        this.addrIndex++;
        continue;
      }
      const r = startConnect(s, addr, this.port);
      if (r < 0) {
        this.lastConnectError = fromNetError(netErrCode(r), "connecting to " + this.attemptText());
        tcpDrop(s);
        this.addrIndex++;
        continue;
      }
      this.tcp = s;
      return;
    }
    const e = this.lastConnectError;
    this.fail(e != null ? e : new SocketError(ErrorCode.NameUnresolvable, "no address to connect to"));
  }

  private onOpen(): void {
    this.state = State.Open;
    this.opened = true;
    const a = new IpAddress();
    let p = remoteAddress(this.tcp, a);
    this.remoteText = p >= 0 ? formatSocketAddress(a, p) : formatSocketAddress(this.addrs[this.addrIndex], <i32>this.port);
    p = localAddress(this.tcp, a);
    this.localText = p >= 0 ? formatSocketAddress(a, p) : "";
    this.addrs = [];
  }

  /** A pollable that is ready when advance() may make progress; ready at once when settled. */
  statePollable(): i32 {
    if (this.state == State.Resolving) return resolveSubscribe(this.lookup);
    if (this.state == State.Connecting && this.tcp >= 0) return tcpSubscribe(this.tcp);
    return subscribeDuration(0);
  }

  subscribeRead(): i32 {
    this.advance();
    if (this.state == State.Open && !this.readEnded) return inputSubscribe(this.inStream);
    return this.statePollable();
  }

  subscribeWrite(): i32 {
    this.advance();
    if (this.state == State.Open && !this.shutdownDone) return outputSubscribe(this.outStream);
    return this.statePollable();
  }

  /** The error a failed or closed socket reports for an operation. */
  settledError(): SocketError {
    const e = this.error;
    if (e != null) return e;
    return new SocketError(ErrorCode.Closed, "the socket is closed");
  }

  // ---- reading
  /** Read outcome: READ_DATA (readPtr/readLen, possibly empty), READ_EOF or READ_FAILED (settledError()). */
  read(max: i32): i32 {
    this.advance();
    if (this.state == State.Failed || this.state == State.Closed) return READ_FAILED;
    if (this.state != State.Open) { outPtr = 0; outLen = 0; return READ_DATA; }
    if (this.readEnded) return READ_EOF;
    const r = streamRead(this.inStream, min(max, READ_CHUNK_MAX));
    if (r == STREAM_OK) { outPtr = readPtr; outLen = readLen; return READ_DATA; }
    if (r == STREAM_CLOSED) {
      this.readEnded = true;
      if (!this.allowHalfOpen) this.shutdownRequested = true;
      this.pump();
      return READ_EOF;
    }
    this.fail(this.streamFailure("reading"));
    return READ_FAILED;
  }

  private streamFailure(doing: string): SocketError {
    const code = netErrorFromText(streamErrorText);
    if (code >= 0) return fromNetError(code, doing);
    return new SocketError(ErrorCode.IoError, doing + ": " + streamErrorText);
  }

  // ---- writing
  bufferedAmount(): i32 { return this.wEnd - this.wStart; }

  /** Accepts up to the buffer's room from [ptr, ptr+len); returns the count, or -1 (settledError()). */
  write(ptr: usize, len: i32): i32 {
    this.advance();
    if (this.state == State.Failed || this.state == State.Closed) return -1;
    if (this.shutdownRequested) {
      lastWriteError = new SocketError(ErrorCode.InvalidState,
        this.readEnded && !this.allowHalfOpen
          ? "the peer closed the connection and allowHalfOpen is false, so writing has ended"
          : "write after the writable side was closed");
      return -2;
    }
    let taken = 0;
    // Fast path: nothing queued, so hand bytes to the host directly, as far as it takes them.
    if (this.state == State.Open && this.wEnd == this.wStart) {
      const room = streamCheckWrite(this.outStream);
      if (room < 0) { this.fail(this.streamFailure("writing")); return -1; }
      const n = <i32>min(<i64>len, room);
      if (n > 0) {
        if (streamWrite(this.outStream, ptr, n) != STREAM_OK) { this.fail(this.streamFailure("writing")); return -1; }
        taken = n;
      }
    }
    // Queue the rest, up to the cap.
    const rest = min(len - taken, WRITE_BUFFER_CAP - this.bufferedAmount());
    if (rest > 0) {
      this.ensureBuffer(rest);
      memory.copy(this.wbuf + this.wEnd, ptr + taken, <usize>rest);
      this.wEnd += rest;
      taken += rest;
    }
    return taken;
  }

  private ensureBuffer(extra: i32): void {
    if (this.wbuf == 0) {
      this.wbuf = heap.alloc(<usize>WRITE_BUFFER_CAP);
      this.wStart = this.wEnd = 0;
    }
    if (this.wEnd + extra > WRITE_BUFFER_CAP) {
      // compact: move pending bytes to the front
      const n = this.wEnd - this.wStart;
      memory.copy(this.wbuf, this.wbuf + this.wStart, <usize>n);
      this.wStart = 0;
      this.wEnd = n;
    }
  }

  /** Pushes queued bytes and a due FIN to the host; true when nothing is left to hand over. */
  pump(): bool {
    if (this.state != State.Open) return false;
    while (this.wEnd > this.wStart) {
      const room = streamCheckWrite(this.outStream);
      if (room < 0) { this.fail(this.streamFailure("writing")); return false; }
      if (room == 0) return false;
      const n = <i32>min(<i64>(this.wEnd - this.wStart), room);
      if (streamWrite(this.outStream, this.wbuf + this.wStart, n) != STREAM_OK) {
        this.fail(this.streamFailure("writing"));
        return false;
      }
      this.wStart += n;
    }
    if (this.wbuf != 0) { heap.free(this.wbuf); this.wbuf = 0; this.wStart = this.wEnd = 0; }
    if (this.shutdownRequested && !this.shutdownDone) {
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
    if (this.state == State.Failed || this.state == State.Closed) return -1;
    if (this.state != State.Open) return 0;
    const done = this.pump();
    if (this.state == State.Failed) return -1;
    return done ? 1 : 0;
  }

  /** shutdown-write: FIN after the buffered bytes. Returns false when the socket is settled. */
  shutdownWrite(): bool {
    this.advance();
    if (this.state == State.Failed || this.state == State.Closed) return false;
    this.shutdownRequested = true;
    if (this.state == State.Open) this.pump();
    return this.state != State.Failed;
  }

  /** Drops every WASI resource (children before parents). */
  release(): void {
    if (this.inStream >= 0) { inputDrop(this.inStream); this.inStream = -1; }
    if (this.outStream >= 0) { outputDrop(this.outStream); this.outStream = -1; }
    if (this.tcp >= 0) { tcpDrop(this.tcp); this.tcp = -1; }
    if (this.lookup >= 0) { resolveDrop(this.lookup); this.lookup = -1; }
    this.releaseBuffer();
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
