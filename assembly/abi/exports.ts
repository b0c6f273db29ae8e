// The component's exports (interface wasi-connect:sockets/sockets@0.1.0), lifted and lowered by
// hand. build/exports.mjs renames these functions to their canonical-ABI export names.
//
// Arguments the host allocated (strings, lists) are ours to free. Results that do not fit one
// flat value go to EXPORT_RET; whatever they point to is freed by the matching post-return.

import { EXPORT_RET, abiFree, liftStringAndFree, lowerString, freeLoweredString } from "./memory";
import { ErrorCode, SocketError } from "../net/errors";
import { parseAddress, parsedHost, parsedPort, addressError, checkHostname } from "../net/address";
import {
  Socket, State, TlsTarget, READ_DATA, READ_EOF, outPtr, outLen, lastWriteError,
} from "../net/socket";
import { TlsConfig } from "../tls/config";
import { TlsClient, toHex } from "../tls/engine";
import { Hash, HASH_SHA256 } from "../crypto/sha2";
import { groupName } from "../tls/keyshare";
import { signatureSchemeName } from "../tls/messages";
import { Suite } from "../tls/suites";
import { IpAddress } from "./wasi";
import { parseIPv4, parseIPv6, unbracket } from "../net/address";
import { TrustStore, builtinTrustStore, trustStoreFrom, addTrustAnchors, lastX509Error } from "../x509";

@external("[export]wasi-connect:sockets/sockets@0.1.0", "[resource-new]socket")
declare function socketNew(rep: i32): i32;

// ---- the socket table: rep -> Socket (reps are small integers, never reused while live)
const sockets = new Map<i32, Socket>();
let nextRep: i32 = 1;

function socketOf(rep: i32): Socket {
  return sockets.get(rep); // traps on an unknown rep: the host broke the resource contract
}


// ---- lowering helpers
function storeError(at: usize, e: SocketError): void {
  store<u8>(at, <u8>e.code);
  store<usize>(at, lowerString(e.message), 4);
  store<i32>(at, e.message.length, 8);
}

function freeError(at: usize): void {
  freeLoweredString(load<usize>(at, 4), load<i32>(at, 8));
}

// ---- tls-options, flattened: server-name option<string> (tag, ptr, len), alpn list<string>
//      (ptr, len), ca list<list<u8>> (ptr, len), flags (i32), min-version, max-version (enums)
function liftTlsOptions(
  snTag: i32, snPtr: usize, snLen: i32, alpnPtr: usize, alpnLen: i32, caPtr: usize, caLen: i32,
  flags: i32, minV: i32, maxV: i32,
): TlsConfig {
  const c = new TlsConfig();
  if (snTag != 0) c.serverName = liftStringAndFree(snPtr, snLen);
  for (let i = 0; i < alpnLen; i++) {
    const e = alpnPtr + (<usize>i << 3);
    const name = liftStringAndFree(load<usize>(e), load<i32>(e, 4));
    c.alpn.push(Uint8Array.wrap(String.UTF8.encode(name)));
  }
  abiFree(alpnPtr, <usize>alpnLen << 3);
  for (let i = 0; i < caLen; i++) {
    const e = caPtr + (<usize>i << 3);
    const p = load<usize>(e);
    const n = load<i32>(e, 4);
    const blob = new Uint8Array(n);
    memory.copy(blob.dataStart, p, <usize>n);
    abiFree(p, <usize>n);
    c.ca.push(blob);
  }
  abiFree(caPtr, <usize>caLen << 3);
  c.flags = <u32>flags;
  c.minVersion = minV == 0 ? 0x0303 : 0x0304;
  c.maxVersion = maxV == 0 ? 0x0303 : 0x0304;
  return c;
}

/** Error of the last tlsTarget() that returned null. */
let targetError: SocketError | null = null;

/**
 * What a TLS connection verifies: the server name given (or the connect hostname), as a DNS name
 * (also sent as SNI) or an IP literal (matched against iPAddress, never sent as SNI), and the
 * trust store. null with targetError set when an option is unusable.
 */
function tlsTarget(config: TlsConfig, host: string, port: i32): TlsTarget | null {
  const sn = config.serverName;
  const name = sn != null ? sn : host;
  const bare = unbracket(name);
  const ip = new IpAddress();
  let refName = "";
  let refIp: Uint8Array | null = null;
  let sni: string | null = null;
  if (parseIPv4(bare, ip) || parseIPv6(bare, ip)) {
    const n = ip.family == 4 ? 4 : 16;
    const a = new Uint8Array(n);
    for (let i = 0; i < n; i++) a[i] = ip.bytes[i];
    refIp = a;
  } else {
    if (!checkHostname(name)) {
      targetError = new SocketError(ErrorCode.InvalidArgument, "the TLS server name is not a valid host name: " + addressError);
      return null;
    }
    refName = (name.endsWith(".") ? name.substring(0, name.length - 1) : name).toLowerCase();
    sni = refName;
  }
  let store: TrustStore | null;
  if (config.ca.length > 0) {
    store = trustStoreFrom(config.ca);
    if (store == null) {
      targetError = new SocketError(ErrorCode.InvalidArgument, "ca: " + lastX509Error);
      return null;
    }
  } else {
    store = builtinTrustStore();
  }
  if (config.minVersion > config.maxVersion) {
    targetError = new SocketError(ErrorCode.InvalidArgument, "the TLS minimum version is above the maximum");
    return null;
  }
  // a session may be resumed only where everything it was authenticated for is the same
  let trust = "builtin";
  if (config.ca.length > 0) {
    const h = new Hash(HASH_SHA256);
    for (let i = 0; i < config.ca.length; i++) h.update(config.ca[i].dataStart, config.ca[i].length);
    const d = new Uint8Array(32);
    h.finish(d.dataStart);
    trust = toHex(d.dataStart, 32);
  }
  let alpn = "";
  for (let i = 0; i < config.alpn.length; i++) alpn += (i > 0 ? "," : "") + String.UTF8.decodeUnsafe(config.alpn[i].dataStart, <usize>config.alpn[i].length);
  const key = (refIp != null ? "ip:" + toHex(refIp.dataStart, refIp.length) : refName) + "|" + port.toString() + "|" +
    (sni != null ? sni : "") + "|" + alpn + "|" + (config.verify ? "verify" : "noverify") + "|" + trust;
  return new TlsTarget(config, refName, refIp, sni, <TrustStore>store, config.resumption ? key : "");
}

// ---- connect: func(hostname, port, options) -> result<socket, socket-error>
export function sockets_connect(
  hostPtr: usize, hostLen: i32, port: i32,
  secureTransport: i32, allowHalfOpen: i32,
  snTag: i32, snPtr: usize, snLen: i32, alpnPtr: usize, alpnLen: i32, caPtr: usize, caLen: i32,
  flags: i32, minV: i32, maxV: i32, connectTimeoutMs: i32,
): usize {
  const host = liftStringAndFree(hostPtr, hostLen);
  const tls = liftTlsOptions(snTag, snPtr, snLen, alpnPtr, alpnLen, caPtr, caLen, flags, minV, maxV);

  const ret = EXPORT_RET;
  if (!checkHostname(host)) {
    store<u8>(ret, 1);
    storeError(ret + 4, new SocketError(ErrorCode.InvalidAddress, addressError));
    return ret;
  }
  if (port <= 0 || port > 65535) {
    store<u8>(ret, 1);
    storeError(ret + 4, new SocketError(ErrorCode.InvalidAddress, "port " + port.toString() + " is not from 1 to 65535"));
    return ret;
  }
  const s = new Socket(host, <u16>port, allowHalfOpen != 0);
  if (secureTransport == 1) {
    const t = tlsTarget(tls, host, port);
    if (t == null) {
      store<u8>(ret, 1);
      storeError(ret + 4, <SocketError>targetError);
      return ret;
    }
    s.tlsTarget = t;
  }
  s.starttls = secureTransport == 2;
  s.begin(<i64><u32>connectTimeoutMs);
  const rep = nextRep++;
  sockets.set(rep, s);
  store<u8>(ret, 0);
  store<i32>(ret, socketNew(rep), 4);
  return ret;
}

export function sockets_connect_post(ret: usize): void {
  if (load<u8>(ret) == 1) freeError(ret + 4);
}

// ---- parse-address: func(address) -> result<tuple<string, u16>, socket-error>
export function sockets_parseAddress(ptr: usize, len: i32): usize {
  const address = liftStringAndFree(ptr, len);
  const ret = EXPORT_RET;
  if (parseAddress(address)) {
    store<u8>(ret, 0);
    store<usize>(ret, lowerString(parsedHost), 4);
    store<i32>(ret, parsedHost.length, 8);
    store<u16>(ret, <u16>parsedPort, 12);
  } else {
    store<u8>(ret, 1);
    storeError(ret + 4, new SocketError(ErrorCode.InvalidAddress, addressError));
  }
  return ret;
}

export function sockets_parseAddress_post(ret: usize): void {
  if (load<u8>(ret) == 0) freeLoweredString(load<usize>(ret, 4), load<i32>(ret, 8));
  else freeError(ret + 4);
}

// ---- [method]socket.poll-open: func() -> open-status
export function socket_pollOpen(rep: i32): usize {
  const s = socketOf(rep);
  // the caller dropped the pollables of the previous poll-open: sockets of lost attempts can go
  s.dropRetired();
  s.advance();
  const ret = EXPORT_RET;
  if (s.opened) {
    store<u8>(ret, 1);
    store<usize>(ret, lowerString(s.remoteText), 4);
    store<i32>(ret, s.remoteText.length, 8);
    store<usize>(ret, lowerString(s.localText), 12);
    store<i32>(ret, s.localText.length, 16);
    const t = s.tls;
    const alpn = t != null ? t.alpn : null;
    if (alpn != null) {
      const a = String.UTF8.decodeUnsafe(alpn.dataStart, <usize>alpn.length);
      store<u8>(ret, 1, 20);
      store<usize>(ret, lowerString(a), 24);
      store<i32>(ret, a.length, 28);
    } else {
      store<u8>(ret, 0, 20);
    }
  } else if (s.state == State.Failed || s.state == State.Closed) {
    store<u8>(ret, 2);
    storeError(ret + 4, s.settledError());
  } else {
    // pending(list<pollable>): any of them ready means poll-open may make progress
    const ps = s.statePollables();
    const list = heap.alloc(<usize>ps.length << 2);
    for (let i = 0; i < ps.length; i++) store<i32>(list + (<usize>i << 2), ps[i]);
    store<u8>(ret, 0);
    store<usize>(ret, list, 4);
    store<i32>(ret, ps.length, 8);
  }
  return ret;
}

export function socket_pollOpen_post(ret: usize): void {
  const tag = load<u8>(ret);
  if (tag == 0) {
    abiFree(load<usize>(ret, 4), <usize>load<i32>(ret, 8) << 2);
  } else if (tag == 1) {
    freeLoweredString(load<usize>(ret, 4), load<i32>(ret, 8));
    freeLoweredString(load<usize>(ret, 12), load<i32>(ret, 16));
    if (load<u8>(ret, 20) != 0) freeLoweredString(load<usize>(ret, 24), load<i32>(ret, 28));
  } else if (tag == 2) {
    freeError(ret + 4);
  }
}

// ---- [method]socket.read: func(max-len) -> result<read-result, read-end>
//   ok:  read-result tag @4: data { ptr @8, len @12 } | would-block
//   err: read-end tag @4: eof | failed { socket-error @8 }
export function socket_read(rep: i32, max: i32): usize {
  const s = socketOf(rep);
  const r = s.read(max);
  const ret = EXPORT_RET;
  if (r == READ_DATA && outLen > 0) {
    store<u8>(ret, 0);
    store<u8>(ret, 0, 4);
    store<usize>(ret, outPtr, 8);
    store<i32>(ret, outLen, 12);
  } else if (r == READ_DATA) {
    abiFree(outPtr, 0);
    store<u8>(ret, 0);
    store<u8>(ret, 1, 4); // would-block
  } else if (r == READ_EOF) {
    store<u8>(ret, 1);
    store<u8>(ret, 0, 4);
  } else {
    store<u8>(ret, 1);
    store<u8>(ret, 1, 4);
    storeError(ret + 8, s.settledError());
  }
  return ret;
}

export function socket_read_post(ret: usize): void {
  if (load<u8>(ret) == 0) {
    if (load<u8>(ret, 4) == 0) abiFree(load<usize>(ret, 8), <usize>load<i32>(ret, 12));
  } else if (load<u8>(ret, 4) == 1) {
    freeError(ret + 8);
  }
}

export function socket_subscribeRead(rep: i32): i32 {
  return socketOf(rep).subscribeRead();
}

// ---- [method]socket.write: func(data) -> result<write-result, socket-error>
export function socket_write(rep: i32, ptr: usize, len: i32): usize {
  const s = socketOf(rep);
  const n = s.write(ptr, len);
  abiFree(ptr, <usize>len);
  const ret = EXPORT_RET;
  if (n >= 0) {
    store<u8>(ret, 0);
    store<u32>(ret, <u32>n, 4);
    store<u32>(ret, <u32>s.bufferedAmount(), 8);
  } else {
    store<u8>(ret, 1);
    const e = lastWriteError;
    storeError(ret + 4, n == -2 && e != null ? e : s.settledError());
  }
  return ret;
}

export function socket_write_post(ret: usize): void {
  if (load<u8>(ret) == 1) freeError(ret + 4);
}

// ---- [method]socket.flush: func() -> result<bool, socket-error>
export function socket_flush(rep: i32): usize {
  const s = socketOf(rep);
  const r = s.flush();
  const ret = EXPORT_RET;
  if (r >= 0) {
    store<u8>(ret, 0);
    store<u8>(ret, <u8>r, 4);
  } else {
    store<u8>(ret, 1);
    storeError(ret + 4, s.settledError());
  }
  return ret;
}

export function socket_flush_post(ret: usize): void {
  if (load<u8>(ret) == 1) freeError(ret + 4);
}

export function socket_subscribeWrite(rep: i32): i32 {
  return socketOf(rep).subscribeWrite();
}

export function socket_bufferedAmount(rep: i32): i32 {
  return socketOf(rep).bufferedAmount();
}

// ---- [method]socket.shutdown-write: func() -> result<_, socket-error>
export function socket_shutdownWrite(rep: i32): usize {
  const s = socketOf(rep);
  const ret = EXPORT_RET;
  if (s.shutdownWrite()) {
    store<u8>(ret, 0);
  } else {
    store<u8>(ret, 1);
    storeError(ret + 4, s.settledError());
  }
  return ret;
}

export function socket_shutdownWrite_post(ret: usize): void {
  if (load<u8>(ret) == 1) freeError(ret + 4);
}

export function socket_close(rep: i32): void {
  socketOf(rep).close();
}

export function socket_dtor(rep: i32): void {
  const s = socketOf(rep);
  s.close();
  sockets.delete(rep);
}

// ---- [method]socket.start-tls: func(options: tls-options) -> result<socket, socket-error>
export function socket_startTls(
  rep: i32,
  snTag: i32, snPtr: usize, snLen: i32, alpnPtr: usize, alpnLen: i32, caPtr: usize, caLen: i32,
  flags: i32, minV: i32, maxV: i32,
): usize {
  const s = socketOf(rep);
  const config = liftTlsOptions(snTag, snPtr, snLen, alpnPtr, alpnLen, caPtr, caLen, flags, minV, maxV);
  const ret = EXPORT_RET;
  s.advance();
  let err: SocketError | null = null;
  if (!s.starttls) {
    err = new SocketError(ErrorCode.InvalidState, "start-tls needs a socket created with secure-transport starttls");
  } else if (s.state == State.Upgraded) {
    err = new SocketError(ErrorCode.InvalidState, "start-tls was already called on this socket");
  } else if (s.state == State.Failed || s.state == State.Closed) {
    err = s.settledError();
  } else if (s.readEnded || s.shutdownRequested) {
    err = new SocketError(ErrorCode.InvalidState, "start-tls after the connection was half-closed");
  }
  if (err == null) {
    const t = tlsTarget(config, s.host, <i32>s.port);
    if (t == null) err = targetError;
    else {
      const u = s.upgrade(t);
      const newRep = nextRep++;
      sockets.set(newRep, u);
      store<u8>(ret, 0);
      store<i32>(ret, socketNew(newRep), 4);
      return ret;
    }
  }
  store<u8>(ret, 1);
  storeError(ret + 4, <SocketError>err);
  return ret;
}

export function socket_startTls_post(ret: usize): void {
  if (load<u8>(ret) == 1) freeError(ret + 4);
}

/** Lowers a list<string> (UTF-16) into fresh memory: returns the list pointer. */
function lowerStringList(list: Array<string>): usize {
  const n = list.length;
  const p = heap.alloc(<usize>max(n, 1) << 3);
  for (let i = 0; i < n; i++) {
    store<usize>(p + (<usize>i << 3), lowerString(list[i]));
    store<i32>(p + (<usize>i << 3), list[i].length, 4);
  }
  return p;
}

function freeStringList(p: usize, n: i32): void {
  for (let i = 0; i < n; i++) freeLoweredString(load<usize>(p + (<usize>i << 3)), load<i32>(p + (<usize>i << 3), 4));
  heap.free(p);
}

function storeString(at: usize, s: string): void {
  store<usize>(at, lowerString(s));
  store<i32>(at, s.length, 4);
}

// ---- [method]socket.tls-info: func() -> option<tls-info>
//   option tag @0; tls-info @4: version @4, cipher-suite @12, group @20, signature-scheme @28
//   (strings: ptr, len), resumed @36, verified @37, peer-certificates @40 (list<list<u8>>),
//   chain-subjects @48 (list<string>)
export function socket_tlsInfo(rep: i32): usize {
  const s = socketOf(rep);
  const ret = EXPORT_RET;
  const t = s.tls;
  if (t == null || !t.handshakeDone || s.state != State.Open && s.state != State.Failed) {
    store<u8>(ret, 0);
    return ret;
  }
  store<u8>(ret, 1);
  storeString(ret + 4, t.version == 0x0304 ? "TLSv1.3" : "TLSv1.2");
  storeString(ret + 12, (<Suite>t.suite).name);
  storeString(ret + 20, groupName(t.group));
  storeString(ret + 28, t.sigScheme != 0 ? signatureSchemeName(t.sigScheme) : "");
  store<u8>(ret, t.resumed ? 1 : 0, 36);
  store<u8>(ret, t.verified ? 1 : 0, 37);
  const certs = t.peerCerts;
  const cl = heap.alloc(<usize>max(certs.length, 1) << 3);
  for (let i = 0; i < certs.length; i++) {
    const c = certs[i];
    const p = heap.alloc(<usize>max(c.length, 1));
    memory.copy(p, c.dataStart, <usize>c.length);
    store<usize>(cl + (<usize>i << 3), p);
    store<i32>(cl + (<usize>i << 3), c.length, 4);
  }
  store<usize>(ret, cl, 40);
  store<i32>(ret, certs.length, 44);
  store<usize>(ret, lowerStringList(t.subjects), 48);
  store<i32>(ret, t.subjects.length, 52);
  return ret;
}

export function socket_tlsInfo_post(ret: usize): void {
  if (load<u8>(ret) == 0) return;
  for (let o = 4; o <= 28; o += 8) freeLoweredString(load<usize>(ret + o), load<i32>(ret + o, 4));
  const cl = load<usize>(ret, 40);
  const cn = load<i32>(ret, 44);
  for (let i = 0; i < cn; i++) heap.free(load<usize>(cl + (<usize>i << 3)));
  heap.free(cl);
  freeStringList(load<usize>(ret, 48), load<i32>(ret, 52));
}

// ---- [method]socket.take-keylog: func() -> list<string>
export function socket_takeKeylog(rep: i32): usize {
  const s = socketOf(rep);
  const ret = EXPORT_RET;
  const t = s.tls;
  const lines = t != null ? t.keylogLines : new Array<string>();
  store<usize>(ret, lowerStringList(lines));
  store<i32>(ret, lines.length, 4);
  if (t != null) t.keylogLines = [];
  return ret;
}

export function socket_takeKeylog_post(ret: usize): void {
  freeStringList(load<usize>(ret), load<i32>(ret, 4));
}

// ---- add-trust-anchors: func(certificates: list<u8>) -> result<u32, socket-error>
export function sockets_addTrustAnchors(ptr: usize, len: i32): usize {
  const blob = new Uint8Array(len);
  memory.copy(blob.dataStart, ptr, <usize>len);
  abiFree(ptr, <usize>len);
  const n = addTrustAnchors(blob);
  const ret = EXPORT_RET;
  if (n >= 0) {
    store<u8>(ret, 0);
    store<u32>(ret, <u32>n, 4);
  } else {
    store<u8>(ret, 1);
    storeError(ret + 4, new SocketError(ErrorCode.InvalidArgument, lastX509Error));
  }
  return ret;
}

export function sockets_addTrustAnchors_post(ret: usize): void {
  if (load<u8>(ret) == 1) freeError(ret + 4);
}

// ---- wasi-connect:sockets/diagnostics#force-trap: func()
export function diagnostics_forceTrap(): void {
  unreachable();
}
