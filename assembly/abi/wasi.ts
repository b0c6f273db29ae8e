// Hand-written canonical-ABI bindings for exactly the WASI 0.2.0 imports the component uses.
// Layouts follow the canonical ABI: results that do not fit one flat value are written by the
// host to a return area whose address we pass last (IMPORT_RET).
//
// Nothing here ever calls a blocking function (`block`, `poll`, `blocking-*`).

import { IMPORT_RET, abiFree, liftStringAndFree } from "./memory";

// ---------------------------------------------------------------- wasi:io/poll, wasi:io/error
@external("wasi:io/poll@0.2.0", "[resource-drop]pollable")
export declare function pollableDrop(h: i32): void;

@external("wasi:io/error@0.2.0", "[resource-drop]error")
declare function errorDrop(h: i32): void;
@external("wasi:io/error@0.2.0", "[method]error.to-debug-string")
declare function errorToDebugString(h: i32, ret: usize): void;

/** Takes ownership of an `error` handle: returns its debug text and drops it. */
export function consumeError(h: i32): string {
  errorToDebugString(h, IMPORT_RET);
  const s = liftStringAndFree(load<usize>(IMPORT_RET), load<i32>(IMPORT_RET, 4));
  errorDrop(h);
  return s;
}

// ---------------------------------------------------------------- wasi:io/streams
@external("wasi:io/streams@0.2.0", "[method]input-stream.read")
declare function inputRead(h: i32, len: u64, ret: usize): void;
@external("wasi:io/streams@0.2.0", "[method]input-stream.subscribe")
export declare function inputSubscribe(h: i32): i32;
@external("wasi:io/streams@0.2.0", "[resource-drop]input-stream")
export declare function inputDrop(h: i32): void;
@external("wasi:io/streams@0.2.0", "[method]output-stream.check-write")
declare function outputCheckWrite(h: i32, ret: usize): void;
@external("wasi:io/streams@0.2.0", "[method]output-stream.write")
declare function outputWrite(h: i32, ptr: usize, len: usize, ret: usize): void;
@external("wasi:io/streams@0.2.0", "[method]output-stream.flush")
declare function outputFlush(h: i32, ret: usize): void;
@external("wasi:io/streams@0.2.0", "[method]output-stream.subscribe")
export declare function outputSubscribe(h: i32): i32;
@external("wasi:io/streams@0.2.0", "[resource-drop]output-stream")
export declare function outputDrop(h: i32): void;

/** Outcome of a stream call: OK, CLOSED, or FAILED (with `streamErrorText` set). */
export const STREAM_OK: i32 = 0;
export const STREAM_CLOSED: i32 = 1;
export const STREAM_FAILED: i32 = 2;
export let streamErrorText: string = "";

// stream-error: variant { last-operation-failed(own<error>), closed } at `at`: tag u8, handle at +4.
function streamError(at: usize): i32 {
  if (load<u8>(at) == 1) return STREAM_CLOSED;
  streamErrorText = consumeError(load<i32>(at, 4));
  return STREAM_FAILED;
}

/** Result of inputReadInto: a raw buffer owned by the caller (free with abiFree). */
export let readPtr: usize = 0;
export let readLen: i32 = 0;

/** input-stream.read: on STREAM_OK, readPtr/readLen hold the bytes (possibly none). */
export function streamRead(h: i32, max: i32): i32 {
  inputRead(h, <u64>max, IMPORT_RET);
  // result<list<u8>, stream-error>: tag @0, payload @4
  if (load<u8>(IMPORT_RET) == 0) {
    readPtr = load<usize>(IMPORT_RET, 4);
    readLen = load<i32>(IMPORT_RET, 8);
    return STREAM_OK;
  }
  readPtr = 0;
  readLen = 0;
  return streamError(IMPORT_RET + 4);
}

/** output-stream.check-write: bytes writable now (>= 0), or -STREAM_CLOSED / -STREAM_FAILED. */
export function streamCheckWrite(h: i32): i64 {
  outputCheckWrite(h, IMPORT_RET);
  // result<u64, stream-error>: tag @0, payload @8
  if (load<u8>(IMPORT_RET) == 0) {
    const n = load<u64>(IMPORT_RET, 8);
    return n > 0x7fffffff ? 0x7fffffff : <i64>n;
  }
  return -<i64>streamError(IMPORT_RET + 8);
}

/** output-stream.write of bytes the caller checked room for. */
export function streamWrite(h: i32, ptr: usize, len: i32): i32 {
  outputWrite(h, ptr, <usize>len, IMPORT_RET);
  if (load<u8>(IMPORT_RET) == 0) return STREAM_OK;
  return streamError(IMPORT_RET + 4);
}

/** output-stream.flush (non-blocking request; completion shows as check-write > 0). */
export function streamFlush(h: i32): i32 {
  outputFlush(h, IMPORT_RET);
  if (load<u8>(IMPORT_RET) == 0) return STREAM_OK;
  return streamError(IMPORT_RET + 4);
}

// ---------------------------------------------------------------- wasi:clocks, wasi:random
@external("wasi:clocks/monotonic-clock@0.2.0", "subscribe-duration")
export declare function subscribeDuration(ns: u64): i32;

@external("wasi:random/random@0.2.0", "get-random-bytes")
declare function getRandomBytes(len: u64, ret: usize): void;

/** Fills `len` bytes at `out` from the host's CSPRNG (wasi:random). */
export function randomBytes(out: usize, len: i32): void {
  getRandomBytes(<u64>len, IMPORT_RET);
  const p = load<usize>(IMPORT_RET);
  const n = load<i32>(IMPORT_RET, 4);
  memory.copy(out, p, <usize>min(n, len));
  memory.fill(p, 0, <usize>n);
  abiFree(p, <usize>n);
  if (n < len) unreachable(); // a host that returns fewer bytes than asked is broken
}

// ---------------------------------------------------------------- wasi:sockets
/** wasi:sockets/network.error-code, in declaration order. */
export const enum NetError {
  Unknown = 0, AccessDenied, NotSupported, InvalidArgument, OutOfMemory, Timeout,
  ConcurrencyConflict, NotInProgress, WouldBlock, InvalidState, NewSocketLimit,
  AddressNotBindable, AddressInUse, RemoteUnreachable, ConnectionRefused, ConnectionReset,
  ConnectionAborted, DatagramTooLarge, NameUnresolvable, TemporaryResolverFailure,
  PermanentResolverFailure,
}

const NET_ERROR_NAMES: string[] = [
  "unknown", "access-denied", "not-supported", "invalid-argument", "out-of-memory", "timeout",
  "concurrency-conflict", "not-in-progress", "would-block", "invalid-state", "new-socket-limit",
  "address-not-bindable", "address-in-use", "remote-unreachable", "connection-refused",
  "connection-reset", "connection-aborted", "datagram-too-large", "name-unresolvable",
  "temporary-resolver-failure", "permanent-resolver-failure",
];

export function netErrorName(code: i32): string {
  return code >= 0 && code < NET_ERROR_NAMES.length ? NET_ERROR_NAMES[code] : "unknown";
}

/** Errno names and OS phrases other hosts put in their error text, and the code each means. */
const TEXT_HINTS: string[] = [
  "ECONNRESET", "connection-reset", "EPIPE", "connection-reset", "reset by peer", "connection-reset",
  "broken pipe", "connection-reset", "ECONNABORTED", "connection-aborted", "ETIMEDOUT", "timeout",
  "timed out", "timeout", "ECONNREFUSED", "connection-refused", "EHOSTUNREACH", "remote-unreachable",
  "ENETUNREACH", "remote-unreachable",
  // wasmtime-wasi (48) writes its own error-code's Debug name as the text
  "ConnectionReset", "connection-reset", "ConnectionBroken", "connection-reset",
  "ConnectionAborted", "connection-aborted", "ConnectionRefused", "connection-refused",
  "RemoteUnreachable", "remote-unreachable",
];

/**
 * Maps a host error's debug text back to a wasi:sockets error-code, else -1. WASI 0.2.0 gives an
 * `error` resource only a debug string, so: this package's host writes "<error-code>: detail";
 * other hosts (preview2-shim: "read ECONNRESET"; older wasmtime: "Connection reset by peer (os
 * error 104)"; wasmtime-wasi 48: "ConnectionReset") are recognised by errno names, OS phrases and
 * wasmtime's error names.
 */
export function netErrorFromText(text: string): i32 {
  const colon = text.indexOf(":");
  const head = colon < 0 ? text : text.substring(0, colon);
  for (let i = 0; i < NET_ERROR_NAMES.length; i++) if (NET_ERROR_NAMES[i] == head) return i;
  const lower = text.toLowerCase();
  for (let i = 0; i < TEXT_HINTS.length; i += 2) {
    const hint = TEXT_HINTS[i];
    if (text.includes(hint) || lower.includes(hint)) {
      const name = TEXT_HINTS[i + 1];
      for (let k = 0; k < NET_ERROR_NAMES.length; k++) if (NET_ERROR_NAMES[k] == name) return k;
    }
  }
  return -1;
}

@external("wasi:sockets/instance-network@0.2.0", "instance-network")
declare function instanceNetworkImport(): i32;

let networkHandle: i32 = -1;
/** The instance network, fetched once and kept for the life of the instance. */
export function network(): i32 {
  if (networkHandle < 0) networkHandle = instanceNetworkImport();
  return networkHandle;
}

@external("wasi:sockets/ip-name-lookup@0.2.0", "resolve-addresses")
declare function resolveAddressesImport(net: i32, namePtr: usize, nameLen: i32, ret: usize): void;
@external("wasi:sockets/ip-name-lookup@0.2.0", "[method]resolve-address-stream.resolve-next-address")
declare function resolveNextImport(h: i32, ret: usize): void;
@external("wasi:sockets/ip-name-lookup@0.2.0", "[method]resolve-address-stream.subscribe")
export declare function resolveSubscribe(h: i32): i32;
@external("wasi:sockets/ip-name-lookup@0.2.0", "[resource-drop]resolve-address-stream")
export declare function resolveDrop(h: i32): void;

/** Success value of the socket calls below (>= 0 handle or 0), or -(1 + NetError). */
@inline export function netErr(code: i32): i32 { return -1 - code; }
@inline export function netErrCode(r: i32): i32 { return -1 - r; }

/** resolve-addresses: a stream handle, or netErr(code). */
export function resolveAddresses(name: string): i32 {
  resolveAddressesImport(network(), changetype<usize>(name), name.length, IMPORT_RET);
  // result<own<resolve-address-stream>, error-code>: tag @0, payload @4
  if (load<u8>(IMPORT_RET) == 0) return load<i32>(IMPORT_RET, 4);
  return netErr(load<u8>(IMPORT_RET, 4));
}

/** An IP address: family 4 or 6, 16 bytes (IPv4 in the first 4). */
export class IpAddress {
  family: i32 = 4;
  bytes: StaticArray<u8> = new StaticArray<u8>(16);
}

/**
 * Reads an IP address variant: tag byte at `tagAt` (0 = IPv4), then four u8 at `v4At` or eight u16
 * at `v6At` (the variant's payload offset differs between ip-address and ip-socket-address).
 */
function readIp(out: IpAddress, tagAt: usize, v4At: usize, v6At: usize): void {
  const b = out.bytes;
  if (load<u8>(tagAt) == 0) {
    out.family = 4;
    for (let i = 0; i < 4; i++) b[i] = load<u8>(v4At + i);
  } else {
    out.family = 6;
    for (let i = 0; i < 8; i++) {
      const w = load<u16>(v6At + (i << 1));
      b[i << 1] = <u8>(w >> 8);
      b[(i << 1) + 1] = <u8>w;
    }
  }
}

export const RESOLVE_ADDR: i32 = 0;
export const RESOLVE_DONE: i32 = 1;
export const RESOLVE_WAIT: i32 = 2;
export const RESOLVE_ERROR: i32 = 3;
export let resolveError: i32 = 0;

/** resolve-next-address into `out`: RESOLVE_ADDR, RESOLVE_DONE, RESOLVE_WAIT (would-block) or RESOLVE_ERROR. */
export function resolveNext(h: i32, out: IpAddress): i32 {
  resolveNextImport(h, IMPORT_RET);
  // result<option<ip-address>, error-code>: tag @0, payload @2 (align 2)
  //   option tag @2, ip-address @4: tag @4, payload @6 (v4: 4 x u8, v6: 8 x u16)
  if (load<u8>(IMPORT_RET) != 0) {
    const code = <i32>load<u8>(IMPORT_RET, 2);
    if (code == NetError.WouldBlock) return RESOLVE_WAIT;
    resolveError = code;
    return RESOLVE_ERROR;
  }
  if (load<u8>(IMPORT_RET, 2) == 0) return RESOLVE_DONE;
  readIp(out, IMPORT_RET + 4, IMPORT_RET + 6, IMPORT_RET + 6);
  return RESOLVE_ADDR;
}

@external("wasi:sockets/tcp-create-socket@0.2.0", "create-tcp-socket")
declare function createTcpSocketImport(family: i32, ret: usize): void;

/** create-tcp-socket(ipv4|ipv6): a handle or netErr(code). */
export function createTcpSocket(family: i32): i32 {
  createTcpSocketImport(family == 4 ? 0 : 1, IMPORT_RET);
  if (load<u8>(IMPORT_RET) == 0) return load<i32>(IMPORT_RET, 4);
  return netErr(load<u8>(IMPORT_RET, 4));
}

@external("wasi:sockets/tcp@0.2.0", "[method]tcp-socket.start-connect")
declare function startConnectImport(
  h: i32, net: i32, tag: i32,
  a0: i32, a1: i32, a2: i32, a3: i32, a4: i32, a5: i32, a6: i32, a7: i32, a8: i32, a9: i32, a10: i32,
  ret: usize): void;
@external("wasi:sockets/tcp@0.2.0", "[method]tcp-socket.finish-connect")
declare function finishConnectImport(h: i32, ret: usize): void;
@external("wasi:sockets/tcp@0.2.0", "[method]tcp-socket.subscribe")
export declare function tcpSubscribe(h: i32): i32;
@external("wasi:sockets/tcp@0.2.0", "[method]tcp-socket.shutdown")
declare function shutdownImport(h: i32, how: i32, ret: usize): void;
@external("wasi:sockets/tcp@0.2.0", "[method]tcp-socket.local-address")
declare function localAddressImport(h: i32, ret: usize): void;
@external("wasi:sockets/tcp@0.2.0", "[method]tcp-socket.remote-address")
declare function remoteAddressImport(h: i32, ret: usize): void;
@external("wasi:sockets/tcp@0.2.0", "[resource-drop]tcp-socket")
export declare function tcpDrop(h: i32): void;

@inline function word16(b: StaticArray<u8>, i: i32): i32 {
  return (<i32>b[i << 1] << 8) | <i32>b[(i << 1) + 1];
}

/** start-connect: 0 or netErr(code). */
export function startConnect(h: i32, addr: IpAddress, port: u16): i32 {
  const b = addr.bytes;
  if (addr.family == 4) {
    // ip-socket-address::ipv4 { port, address: tuple<u8 x4> } flattened, padded to 11 slots
    startConnectImport(h, network(), 0, <i32>port, b[0], b[1], b[2], b[3], 0, 0, 0, 0, 0, 0, IMPORT_RET);
  } else {
    // ipv6 { port, flow-info, address: tuple<u16 x8>, scope-id }
    startConnectImport(h, network(), 1, <i32>port, 0,
      word16(b, 0), word16(b, 1), word16(b, 2), word16(b, 3), word16(b, 4), word16(b, 5), word16(b, 6), word16(b, 7),
      0, IMPORT_RET);
  }
  // result<_, error-code>: tag @0, code @1
  if (load<u8>(IMPORT_RET) == 0) return 0;
  return netErr(load<u8>(IMPORT_RET, 1));
}

/** finish-connect: 0 with connectedIn/connectedOut set, or netErr(code) (would-block included). */
export let connectedIn: i32 = -1;
export let connectedOut: i32 = -1;
export function finishConnect(h: i32): i32 {
  finishConnectImport(h, IMPORT_RET);
  // result<tuple<own<input-stream>, own<output-stream>>, error-code>: tag @0, payload @4
  if (load<u8>(IMPORT_RET) == 0) {
    connectedIn = load<i32>(IMPORT_RET, 4);
    connectedOut = load<i32>(IMPORT_RET, 8);
    return 0;
  }
  return netErr(load<u8>(IMPORT_RET, 4));
}

/** shutdown(send | receive | both): 0 or netErr(code). */
export const SHUTDOWN_RECEIVE: i32 = 0;
export const SHUTDOWN_SEND: i32 = 1;
export function shutdown(h: i32, how: i32): i32 {
  shutdownImport(h, how, IMPORT_RET);
  if (load<u8>(IMPORT_RET) == 0) return 0;
  return netErr(load<u8>(IMPORT_RET, 1));
}

// result<ip-socket-address, error-code>: tag @0, payload @4: variant tag @4, payload @8:
//   ipv4 { port u16 @8, address u8 x4 @10 }   ipv6 { port u16 @8, flow u32 @12, address u16 x8 @16, scope u32 @32 }
function socketAddressAt(out: IpAddress): i32 {
  if (load<u8>(IMPORT_RET) != 0) return -1;
  const port = <i32>load<u16>(IMPORT_RET, 8);
  readIp(out, IMPORT_RET + 4, IMPORT_RET + 10, IMPORT_RET + 16);
  return port;
}

/** local-address into `out`: the port, or -1. */
export function localAddress(h: i32, out: IpAddress): i32 {
  localAddressImport(h, IMPORT_RET);
  return socketAddressAt(out);
}

/** remote-address into `out`: the port, or -1. */
export function remoteAddress(h: i32, out: IpAddress): i32 {
  remoteAddressImport(h, IMPORT_RET);
  return socketAddressAt(out);
}

// ---------------------------------------------------------------- wasi:clocks/wall-clock
@external("wasi:clocks/wall-clock@0.2.0", "now")
declare function wallClockNowImport(ret: usize): void;

/** wall-clock.now() in whole Unix seconds (datetime: seconds u64 @0, nanoseconds u32 @8). */
export function wallClockSeconds(): i64 {
  wallClockNowImport(IMPORT_RET);
  return <i64>load<u64>(IMPORT_RET);
}

@external("wasi:clocks/monotonic-clock@0.2.0", "now")
declare function monotonicNowImport(): u64;

/** monotonic-clock.now() in milliseconds (ticket ages). */
export function monotonicMillis(): i64 {
  return <i64>(monotonicNowImport() / 1000000);
}
