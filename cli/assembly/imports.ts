// Hand-written canonical-ABI bindings for what the wasi-connect command imports: the sockets
// interface of wasi-connect (another component, composed in), and WASI 0.2.0 cli, io, filesystem.
// Strings are UTF-16 (the build embeds the WIT with --string-encoding utf16); lists and strings
// that an import returns are allocated in our memory through cabi_realloc and are ours to free.

import { IMPORT_RET, abiFree, liftStringAndFree } from "../../assembly/abi/memory";

const SOCKETS = "wasi-connect:sockets/sockets@0.1.0";

// ---------------------------------------------------------------- wasi-connect:sockets/sockets
@external("wasi-connect:sockets/sockets@0.1.0", "connect")
declare function connectImport(
  hostPtr: usize, hostLen: i32, port: i32, secure: i32, halfOpen: i32,
  snTag: i32, snPtr: usize, snLen: i32, alpnPtr: usize, alpnLen: i32, caPtr: usize, caLen: i32,
  flags: i32, minV: i32, maxV: i32, connectTimeoutMs: i32, ret: usize): void;
@external("wasi-connect:sockets/sockets@0.1.0", "parse-address")
declare function parseAddressImport(ptr: usize, len: i32, ret: usize): void;
@external("wasi-connect:sockets/sockets@0.1.0", "[method]socket.poll-open")
declare function pollOpenImport(h: i32, ret: usize): void;
@external("wasi-connect:sockets/sockets@0.1.0", "[method]socket.read")
declare function readImport(h: i32, max: i32, ret: usize): void;
@external("wasi-connect:sockets/sockets@0.1.0", "[method]socket.subscribe-read")
export declare function subscribeRead(h: i32): i32;
@external("wasi-connect:sockets/sockets@0.1.0", "[method]socket.write")
declare function writeImport(h: i32, ptr: usize, len: i32, ret: usize): void;
@external("wasi-connect:sockets/sockets@0.1.0", "[method]socket.flush")
declare function flushImport(h: i32, ret: usize): void;
@external("wasi-connect:sockets/sockets@0.1.0", "[method]socket.subscribe-write")
export declare function subscribeWrite(h: i32): i32;
@external("wasi-connect:sockets/sockets@0.1.0", "[method]socket.buffered-amount")
export declare function bufferedAmount(h: i32): i32;
@external("wasi-connect:sockets/sockets@0.1.0", "[method]socket.shutdown-write")
declare function shutdownWriteImport(h: i32, ret: usize): void;
@external("wasi-connect:sockets/sockets@0.1.0", "[method]socket.close")
export declare function socketClose(h: i32): void;
@external("wasi-connect:sockets/sockets@0.1.0", "[method]socket.start-tls")
declare function startTlsImport(
  h: i32, snTag: i32, snPtr: usize, snLen: i32, alpnPtr: usize, alpnLen: i32, caPtr: usize, caLen: i32,
  flags: i32, minV: i32, maxV: i32, ret: usize): void;
@external("wasi-connect:sockets/sockets@0.1.0", "[method]socket.tls-info")
declare function tlsInfoImport(h: i32, ret: usize): void;
@external("wasi-connect:sockets/sockets@0.1.0", "[resource-drop]socket")
export declare function socketDrop(h: i32): void;

/** The WIT error-code enum, as the JavaScript binding spells each code. */
const ERROR_CODES: string[] = [
  "INVALID_ADDRESS", "INVALID_ARGUMENT", "NAME_UNRESOLVABLE", "TEMPORARY_RESOLVER_FAILURE",
  "CONNECTION_REFUSED", "CONNECTION_RESET", "CONNECTION_ABORTED", "REMOTE_UNREACHABLE", "TIMED_OUT",
  "ACCESS_DENIED", "TOO_MANY_OPEN_FILES", "OUT_OF_MEMORY", "INVALID_STATE", "CLOSED", "IO_ERROR",
  "TLS_CERTIFICATE_UNTRUSTED", "TLS_CERTIFICATE_EXPIRED", "TLS_CERTIFICATE_NOT_YET_VALID",
  "TLS_HOSTNAME_MISMATCH", "TLS_CERTIFICATE_INVALID", "TLS_ALERT", "TLS_PROTOCOL_ERROR",
  "TLS_VERSION_UNSUPPORTED", "TLS_HANDSHAKE_FAILURE", "INTERNAL_ERROR",
];

export class SocketError {
  constructor(public code: i32, public message: string) {}
  get codeName(): string {
    return this.code >= 0 && this.code < ERROR_CODES.length ? ERROR_CODES[this.code] : "IO_ERROR";
  }
  toString(): string {
    return "SocketError " + this.codeName + ": " + this.message;
  }
}

/** socket-error { code: enum u8, message: string } at `at`: lifted and its string freed. */
function liftError(at: usize): SocketError {
  const code = <i32>load<u8>(at);
  return new SocketError(code, liftStringAndFree(load<usize>(at, 4), load<i32>(at, 8)));
}

/** The error of the last call that failed (set whenever a function below reports failure). */
export let lastError: SocketError = new SocketError(14, "");

export class TlsOptions {
  serverName: string | null = null;
  alpn: string[] = [];
  ca: Uint8Array | null = null;
  noVerify: bool = false;
}

/** tls-options flattened: server-name (tag, ptr, len), alpn (ptr, len), ca (ptr, len), flags, min, max. */
class FlatTls {
  snTag: i32 = 0;
  snPtr: usize = 0;
  snLen: i32 = 0;
  alpnPtr: usize = 0;
  alpnLen: i32 = 0;
  caPtr: usize = 0;
  caLen: i32 = 0;
  flags: i32 = 0;
  // the strings and bytes the pointers point into stay reachable through `o`
  constructor(public o: TlsOptions) {
    const sn = o.serverName;
    if (sn != null) {
      this.snTag = 1;
      this.snPtr = changetype<usize>(sn);
      this.snLen = sn.length;
    }
    if (o.alpn.length > 0) {
      this.alpnLen = o.alpn.length;
      this.alpnPtr = heap.alloc(<usize>o.alpn.length << 3);
      for (let i = 0; i < o.alpn.length; i++) {
        store<usize>(this.alpnPtr + (<usize>i << 3), changetype<usize>(o.alpn[i]));
        store<i32>(this.alpnPtr + (<usize>i << 3), o.alpn[i].length, 4);
      }
    }
    const ca = o.ca;
    if (ca != null) {
      this.caLen = 1;
      this.caPtr = heap.alloc(8);
      store<usize>(this.caPtr, ca.dataStart);
      store<i32>(this.caPtr, ca.length, 4);
    }
    this.flags = o.noVerify ? 1 : 0;
  }
  free(): void {
    if (this.alpnPtr != 0) heap.free(this.alpnPtr);
    if (this.caPtr != 0) heap.free(this.caPtr);
  }
}

export const SECURE_OFF: i32 = 0;
export const SECURE_ON: i32 = 1;
export const SECURE_STARTTLS: i32 = 2;

/** connect: a socket handle, or -1 (lastError). */
export function connect(host: string, port: i32, secure: i32, allowHalfOpen: bool, tls: TlsOptions, timeoutMs: i32): i32 {
  const f = new FlatTls(tls);
  // min TLS 1.2 (0), max TLS 1.3 (1); 16 flat parameters, the most that are passed flat
  connectImport(changetype<usize>(host), host.length, port, secure, allowHalfOpen ? 1 : 0,
    f.snTag, f.snPtr, f.snLen, f.alpnPtr, f.alpnLen, f.caPtr, f.caLen, f.flags, 0, 1, timeoutMs, IMPORT_RET);
  f.free();
  // result<own<socket>, socket-error>: tag @0, handle @4 | error @4
  if (load<u8>(IMPORT_RET) == 0) return load<i32>(IMPORT_RET, 4);
  lastError = liftError(IMPORT_RET + 4);
  return -1;
}

/** start-tls: the new socket's handle, or -1 (lastError). */
export function startTls(h: i32, tls: TlsOptions): i32 {
  const f = new FlatTls(tls);
  startTlsImport(h, f.snTag, f.snPtr, f.snLen, f.alpnPtr, f.alpnLen, f.caPtr, f.caLen, f.flags, 0, 1, IMPORT_RET);
  f.free();
  if (load<u8>(IMPORT_RET) == 0) return load<i32>(IMPORT_RET, 4);
  lastError = liftError(IMPORT_RET + 4);
  return -1;
}

export let parsedHost: string = "";
export let parsedPort: i32 = 0;

/** parse-address: true with parsedHost/parsedPort set, or false (lastError). */
export function parseAddress(a: string): bool {
  parseAddressImport(changetype<usize>(a), a.length, IMPORT_RET);
  // result<tuple<string, u16>, socket-error>: tag @0; ok: string @4/@8, u16 @12
  if (load<u8>(IMPORT_RET) == 0) {
    parsedHost = liftStringAndFree(load<usize>(IMPORT_RET, 4), load<i32>(IMPORT_RET, 8));
    parsedPort = <i32>load<u16>(IMPORT_RET, 12);
    return true;
  }
  lastError = liftError(IMPORT_RET + 4);
  return false;
}

export const OPEN_PENDING: i32 = 0;
export const OPEN_OPENED: i32 = 1;
export const OPEN_FAILED: i32 = 2;
/** Set by pollOpen: the pollables of `pending` (ours to drop), or the addresses once opened. */
export let openPollables: i32[] = [];
export let remoteAddress: string = "";
export let localAddress: string = "";
export let negotiatedAlpn: string | null = null;

/** poll-open: OPEN_PENDING (openPollables), OPEN_OPENED (addresses) or OPEN_FAILED (lastError). */
export function pollOpen(h: i32): i32 {
  pollOpenImport(h, IMPORT_RET);
  const tag = <i32>load<u8>(IMPORT_RET);
  if (tag == 0) {
    const p = load<usize>(IMPORT_RET, 4);
    const n = load<i32>(IMPORT_RET, 8);
    const list = new Array<i32>(n);
    for (let i = 0; i < n; i++) list[i] = load<i32>(p + (<usize>i << 2));
    abiFree(p, <usize>n << 2);
    openPollables = list;
    return OPEN_PENDING;
  }
  if (tag == 1) {
    remoteAddress = liftStringAndFree(load<usize>(IMPORT_RET, 4), load<i32>(IMPORT_RET, 8));
    localAddress = liftStringAndFree(load<usize>(IMPORT_RET, 12), load<i32>(IMPORT_RET, 16));
    negotiatedAlpn = load<u8>(IMPORT_RET, 20) != 0 ? liftStringAndFree(load<usize>(IMPORT_RET, 24), load<i32>(IMPORT_RET, 28)) : null;
    return OPEN_OPENED;
  }
  lastError = liftError(IMPORT_RET + 4);
  return OPEN_FAILED;
}

export const READ_DATA: i32 = 0;
export const READ_WOULD_BLOCK: i32 = 1;
export const READ_EOF: i32 = 2;
export const READ_FAILED: i32 = 3;
/** Set by read on READ_DATA: a raw buffer that the caller frees with abiFree(readPtr, readLen). */
export let readPtr: usize = 0;
export let readLen: i32 = 0;

export function read(h: i32, max: i32): i32 {
  readImport(h, max, IMPORT_RET);
  if (load<u8>(IMPORT_RET) == 0) {
    if (load<u8>(IMPORT_RET, 4) == 0) {
      readPtr = load<usize>(IMPORT_RET, 8);
      readLen = load<i32>(IMPORT_RET, 12);
      return READ_DATA;
    }
    return READ_WOULD_BLOCK;
  }
  if (load<u8>(IMPORT_RET, 4) == 0) return READ_EOF;
  lastError = liftError(IMPORT_RET + 8);
  return READ_FAILED;
}

/** write: bytes accepted (>= 0), or -1 (lastError). */
export function write(h: i32, ptr: usize, len: i32): i32 {
  writeImport(h, ptr, len, IMPORT_RET);
  if (load<u8>(IMPORT_RET) == 0) return load<i32>(IMPORT_RET, 4);
  lastError = liftError(IMPORT_RET + 4);
  return -1;
}

/** flush: 1 (all handed over), 0 (not yet), -1 (lastError). */
export function flush(h: i32): i32 {
  flushImport(h, IMPORT_RET);
  if (load<u8>(IMPORT_RET) == 0) return load<u8>(IMPORT_RET, 4) != 0 ? 1 : 0;
  lastError = liftError(IMPORT_RET + 4);
  return -1;
}

export function shutdownWrite(h: i32): bool {
  shutdownWriteImport(h, IMPORT_RET);
  if (load<u8>(IMPORT_RET) == 0) return true;
  lastError = liftError(IMPORT_RET + 4);
  return false;
}

export class TlsInfo {
  version: string = "";
  cipherSuite: string = "";
  group: string = "";
  signatureScheme: string = "";
  resumed: bool = false;
  verified: bool = false;
  certificates: i32 = 0;
  chainSubjects: string[] = [];
}

/** tls-info: the negotiated parameters, or null (plaintext, or before the handshake). */
export function tlsInfo(h: i32): TlsInfo | null {
  tlsInfoImport(h, IMPORT_RET);
  // option<tls-info>: tag @0; record @4: version @4/@8, cipher-suite @12/@16, group @20/@24,
  // signature-scheme @28/@32, resumed @36, verified @37, peer-certificates @40/@44,
  // chain-subjects @48/@52
  if (load<u8>(IMPORT_RET) == 0) return null;
  const t = new TlsInfo();
  t.version = liftStringAndFree(load<usize>(IMPORT_RET, 4), load<i32>(IMPORT_RET, 8));
  t.cipherSuite = liftStringAndFree(load<usize>(IMPORT_RET, 12), load<i32>(IMPORT_RET, 16));
  t.group = liftStringAndFree(load<usize>(IMPORT_RET, 20), load<i32>(IMPORT_RET, 24));
  t.signatureScheme = liftStringAndFree(load<usize>(IMPORT_RET, 28), load<i32>(IMPORT_RET, 32));
  t.resumed = load<u8>(IMPORT_RET, 36) != 0;
  t.verified = load<u8>(IMPORT_RET, 37) != 0;
  const certs = load<usize>(IMPORT_RET, 40);
  const nCerts = load<i32>(IMPORT_RET, 44);
  const subjects = load<usize>(IMPORT_RET, 48);
  const nSubjects = load<i32>(IMPORT_RET, 52);
  t.certificates = nCerts;
  for (let i = 0; i < nCerts; i++) {
    const e = certs + (<usize>i << 3);
    abiFree(load<usize>(e), <usize>load<i32>(e, 4));
  }
  abiFree(certs, <usize>nCerts << 3);
  for (let i = 0; i < nSubjects; i++) {
    const e = subjects + (<usize>i << 3);
    t.chainSubjects.push(liftStringAndFree(load<usize>(e), load<i32>(e, 4)));
  }
  abiFree(subjects, <usize>nSubjects << 3);
  return t;
}

// ---------------------------------------------------------------- wasi:io
@external("wasi:io/poll@0.2.0", "poll")
declare function pollImport(ptr: usize, len: i32, ret: usize): void;
@external("wasi:io/poll@0.2.0", "[resource-drop]pollable")
export declare function pollableDrop(h: i32): void;
@external("wasi:io/error@0.2.0", "[resource-drop]error")
declare function errorDrop(h: i32): void;

/** wasi:io/poll.poll: blocks until at least one of the pollables is ready; returns their indexes. */
export function poll(handles: i32[]): u32[] {
  const n = handles.length;
  const list = heap.alloc(<usize>max(n, 1) << 2);
  for (let i = 0; i < n; i++) store<i32>(list + (<usize>i << 2), handles[i]);
  pollImport(list, n, IMPORT_RET);
  heap.free(list);
  const p = load<usize>(IMPORT_RET);
  const m = load<i32>(IMPORT_RET, 4);
  const out = new Array<u32>(m);
  for (let i = 0; i < m; i++) out[i] = load<u32>(p + (<usize>i << 2));
  abiFree(p, <usize>m << 2);
  return out;
}

@external("wasi:io/streams@0.2.0", "[method]input-stream.read")
declare function inputRead(h: i32, len: u64, ret: usize): void;
@external("wasi:io/streams@0.2.0", "[method]input-stream.subscribe")
export declare function inputSubscribe(h: i32): i32;
@external("wasi:io/streams@0.2.0", "[resource-drop]input-stream")
export declare function inputDrop(h: i32): void;
@external("wasi:io/streams@0.2.0", "[method]output-stream.blocking-write-and-flush")
declare function outputBlockingWriteAndFlush(h: i32, ptr: usize, len: i32, ret: usize): void;
@external("wasi:io/streams@0.2.0", "[resource-drop]output-stream")
export declare function outputDrop(h: i32): void;

export const STREAM_OK: i32 = 0;
export const STREAM_CLOSED: i32 = 1;

/** input-stream.read (never blocks): STREAM_OK with readPtr/readLen (possibly empty), or STREAM_CLOSED. */
export function streamRead(h: i32, max: i32): i32 {
  inputRead(h, <u64>max, IMPORT_RET);
  if (load<u8>(IMPORT_RET) == 0) {
    readPtr = load<usize>(IMPORT_RET, 4);
    readLen = load<i32>(IMPORT_RET, 8);
    return STREAM_OK;
  }
  // stream-error: closed, or last-operation-failed(error): both end the input here
  if (load<u8>(IMPORT_RET, 4) == 0) errorDrop(load<i32>(IMPORT_RET, 8));
  readPtr = 0;
  readLen = 0;
  return STREAM_CLOSED;
}

/** Writes all of [ptr, ptr+len) to an output stream, 4096 bytes per call; false if it failed. */
export function streamWriteAll(h: i32, ptr: usize, len: i32): bool {
  let off = 0;
  while (off < len) {
    const n = min(len - off, 4096);
    outputBlockingWriteAndFlush(h, ptr + <usize>off, n, IMPORT_RET);
    if (load<u8>(IMPORT_RET) != 0) {
      if (load<u8>(IMPORT_RET, 4) == 0) errorDrop(load<i32>(IMPORT_RET, 8));
      return false;
    }
    off += n;
  }
  return true;
}

// ---------------------------------------------------------------- wasi:cli
@external("wasi:cli/environment@0.2.0", "get-arguments")
declare function getArgumentsImport(ret: usize): void;
@external("wasi:cli/stdin@0.2.0", "get-stdin")
export declare function getStdin(): i32;
@external("wasi:cli/stdout@0.2.0", "get-stdout")
export declare function getStdout(): i32;
@external("wasi:cli/stderr@0.2.0", "get-stderr")
export declare function getStderr(): i32;

export function getArguments(): string[] {
  getArgumentsImport(IMPORT_RET);
  const p = load<usize>(IMPORT_RET);
  const n = load<i32>(IMPORT_RET, 4);
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const e = p + (<usize>i << 3);
    out[i] = liftStringAndFree(load<usize>(e), load<i32>(e, 4));
  }
  abiFree(p, <usize>n << 3);
  return out;
}

// ---------------------------------------------------------------- wasi:filesystem
@external("wasi:filesystem/preopens@0.2.0", "get-directories")
declare function getDirectoriesImport(ret: usize): void;
@external("wasi:filesystem/types@0.2.0", "[method]descriptor.open-at")
declare function openAtImport(h: i32, pathFlags: i32, ptr: usize, len: i32, openFlags: i32, flags: i32, ret: usize): void;
@external("wasi:filesystem/types@0.2.0", "[method]descriptor.read")
declare function descriptorReadImport(h: i32, len: u64, offset: u64, ret: usize): void;
@external("wasi:filesystem/types@0.2.0", "[resource-drop]descriptor")
declare function descriptorDrop(h: i32): void;

const FS_ERRORS: string[] = [
  "access", "would-block", "already", "bad-descriptor", "busy", "deadlock", "quota", "exist",
  "file-too-large", "illegal-byte-sequence", "in-progress", "interrupted", "invalid", "io",
  "is-directory", "loop", "too-many-links", "message-size", "name-too-long", "no-device", "no-entry",
  "no-lock", "insufficient-memory", "insufficient-space", "not-directory", "not-empty",
  "not-recoverable", "unsupported", "no-tty", "no-such-device", "overflow", "not-permitted", "pipe",
  "read-only", "invalid-seek", "text-file-busy", "cross-device",
];
export let fileError: string = "";

function fsError(code: i32): string {
  return code >= 0 && code < FS_ERRORS.length ? FS_ERRORS[code] : "error";
}

/**
 * Reads a whole file under one of the preopened directories (`wasmtime run --dir`): an absolute
 * path under a preopen's name, or a relative path under ".". Null when it cannot (fileError).
 */
export function readFile(path: string): Uint8Array | null {
  getDirectoriesImport(IMPORT_RET);
  const p = load<usize>(IMPORT_RET);
  const n = load<i32>(IMPORT_RET, 4);
  let dir = -1;
  let rel = "";
  let best = -1;
  const handles = new Array<i32>(n);
  for (let i = 0; i < n; i++) {
    const e = p + <usize>i * 12;
    handles[i] = load<i32>(e);
    const name = liftStringAndFree(load<usize>(e, 4), load<i32>(e, 8));
    let r: string | null = null;
    if (path.startsWith("/")) {
      if (name == "/") r = path.substring(1);
      else if (path.startsWith(name + "/")) r = path.substring(name.length + 1);
    } else if (name == "." || name == "./" || name == "") {
      r = path.startsWith("./") ? path.substring(2) : path;
    }
    if (r != null && name.length > best) {
      best = name.length;
      dir = handles[i];
      rel = r;
    }
  }
  abiFree(p, <usize>n * 12);
  let out: Uint8Array | null = null;
  if (dir < 0) {
    fileError = "not under a preopened directory (wasmtime run --dir)";
  } else {
    // path-flags symlink-follow, no open-flags, descriptor-flags read
    openAtImport(dir, 1, changetype<usize>(rel), rel.length, 0, 1, IMPORT_RET);
    if (load<u8>(IMPORT_RET) != 0) {
      fileError = fsError(<i32>load<u8>(IMPORT_RET, 4));
    } else {
      const file = load<i32>(IMPORT_RET, 4);
      const parts: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        descriptorReadImport(file, 65536, <u64>total, IMPORT_RET);
        if (load<u8>(IMPORT_RET) != 0) {
          fileError = fsError(<i32>load<u8>(IMPORT_RET, 4));
          total = -1;
          break;
        }
        const bp = load<usize>(IMPORT_RET, 4);
        const bl = load<i32>(IMPORT_RET, 8);
        const eof = load<u8>(IMPORT_RET, 12) != 0;
        const part = new Uint8Array(bl);
        memory.copy(part.dataStart, bp, <usize>bl);
        abiFree(bp, <usize>bl);
        parts.push(part);
        total += bl;
        if (eof || bl == 0) break;
      }
      descriptorDrop(file);
      if (total >= 0) {
        const all = new Uint8Array(total);
        let o = 0;
        for (let i = 0; i < parts.length; i++) {
          all.set(parts[i], o);
          o += parts[i].length;
        }
        out = all;
      }
    }
  }
  for (let i = 0; i < n; i++) descriptorDrop(handles[i]);
  return out;
}
