// Test-only exports that drive one TLS client engine in memory (no sockets): bytes from the server
// in, records to the server out, with an injected clock and, for RFC 8448 replays, an injected
// client random, key share and ClientHello. Called by src/crypto-testing.ts (tls section).
import { TlsClient } from "../engine";
import { TlsConfig } from "../config";
import { ByteQueue } from "../../net/queue";
import { setClock } from "../clock";
import { setFixedClientRandom, setFixedClientHello } from "../client13";
import { setFixedPrivateKey } from "../keyshare";
import { TrustStore, builtinTrustStore, trustStoreFrom, lastX509Error } from "../../x509";
import { setEntropySource } from "../../crypto/random";

let testNow: i64 = 0;
let client: TlsClient | null = null;
let out: ByteQueue = new ByteQueue();
let keptString: string = "";
let seedCounter: u32 = 0;
/** The second key share's private key and second ClientHello of a HelloRetryRequest replay, not yet handed over. */
let retryKey: Uint8Array | null = null;
let retryHello: Uint8Array | null = null;

function testEntropy(p: usize, len: i32): void {
  // deterministic, distinct bytes: the tests that need fixed values inject them explicitly
  for (let i = 0; i < len; i++) store<u8>(p + <usize>i, <u8>((seedCounter++ * 131 + 7) & 0xff));
}

function copyIn(p: usize, len: i32): Uint8Array {
  const a = new Uint8Array(len);
  if (len > 0) memory.copy(a.dataStart, p, <usize>len);
  return a;
}

/** Unix seconds the engine's certificate checks use. */
export function tlsSetNow(t: i64): void {
  testNow = t;
  setClock((): i64 => testNow);
}

/**
 * Fixes the next handshake's client random / X25519 private key / ClientHello bytes (0-length: not fixed).
 * For a HelloRetryRequest replay (RFC 8448 section 5) key and hello may carry a second part: key bytes
 * beyond the first 32 are the private key of the share the HelloRetryRequest asks for, and a hello
 * holding two handshake messages back to back has the second ClientHello as its second message.
 * Those are handed to the engine when the first server bytes arrive (after the first key share and
 * ClientHello are made), so the engine takes them for the key share and ClientHello of its retry.
 */
export function tlsFix(random: usize, randomLen: i32, key: usize, keyLen: i32, hello: usize, helloLen: i32): void {
  setFixedClientRandom(randomLen == 32 ? copyIn(random, 32) : null);
  const firstKey = keyLen > 32 ? 32 : keyLen;
  setFixedPrivateKey(firstKey > 0 ? copyIn(key, firstKey) : null);
  retryKey = keyLen > 32 ? copyIn(key + 32, keyLen - 32) : null;
  // the first message's length from its handshake header (type, u24 length)
  let firstHello = helloLen;
  if (helloLen >= 4) {
    const n = 4 + ((<i32>load<u8>(hello + 1) << 16) | (<i32>load<u8>(hello + 2) << 8) | <i32>load<u8>(hello + 3));
    if (n < helloLen) firstHello = n;
  }
  setFixedClientHello(firstHello > 0 ? copyIn(hello, firstHello) : null);
  retryHello = firstHello < helloLen ? copyIn(hello + <usize>firstHello, helloLen - firstHello) : null;
}

function armRetry(): void {
  if (retryKey == null && retryHello == null) return;
  setFixedPrivateKey(retryKey);
  setFixedClientHello(retryHello);
  retryKey = null;
  retryHello = null;
}

/**
 * A new engine. name: ASCII server name (SNI and reference identity), or an IP given as 4/16 raw
 * bytes with isIp. ca: PEM text (0-length: the built-in store). Returns 0, or -1 (tlsMessage()).
 */
export function tlsNew(flags: u32, name: usize, nameLen: i32, isIp: bool, alpn: usize, alpnLen: i32, ca: usize, caLen: i32): i32 {
  setEntropySource(testEntropy);
  const config = new TlsConfig();
  config.flags = flags;
  // alpn: length-prefixed names (u8 length + bytes)
  let p = 0;
  while (p < alpnLen) {
    const n = <i32>load<u8>(alpn + <usize>p);
    config.alpn.push(copyIn(alpn + <usize>p + 1, n));
    p += 1 + n;
  }
  let store: TrustStore | null = builtinTrustStore();
  if (caLen > 0) {
    store = trustStoreFrom([copyIn(ca, caLen)]);
    if (store == null) { keptString = lastX509Error; return -1; }
  }
  const old = client;
  if (old != null) old.dispose();
  out.clear();
  out = new ByteQueue();
  let refName = "";
  let refIp: Uint8Array | null = null;
  let sni: string | null = null;
  if (isIp) refIp = copyIn(name, nameLen);
  else {
    refName = String.UTF8.decodeUnsafe(name, <usize>nameLen);
    sni = refName;
  }
  client = new TlsClient(config, refName, refIp, sni, <TrustStore>store, out);
  return 0;
}

export function tlsStart(): void { (<TlsClient>client).start(); }

/** Feeds bytes from the server and processes them. */
export function tlsFeed(p: usize, len: i32): void {
  const c = <TlsClient>client;
  armRetry();
  c.inq.push(p, len);
  c.process();
}

/** Processes what is already queued (after the reader consumed application data). */
export function tlsProcess(): void { (<TlsClient>client).process(); }

export function tlsOutputLen(): i32 { return out.length; }

/** Copies up to cap bytes of output records to dst and drops them from the queue. */
export function tlsTakeOutput(dst: usize, cap: i32): i32 {
  const n = min(cap, out.length);
  memory.copy(dst, out.head, <usize>n);
  out.consume(n);
  return n;
}

/** 0 handshaking, 1 open, 2 failed, 3 open and the peer sent close_notify. */
export function tlsStatus(): i32 {
  const c = <TlsClient>client;
  if (c.failed) return 2;
  if (c.peerClosed) return 3;
  return c.handshakeDone ? 1 : 0;
}

/** The failure's error code (the WIT error-code index), alert sent (-1 none), message. */
export function tlsFailureCode(): i32 { const f = (<TlsClient>client).failure; return f != null ? <i32>f.code : -1; }
export function tlsFailureAlert(): i32 { const f = (<TlsClient>client).failure; return f != null ? f.alert : -1; }
export function tlsMessage(): usize {
  const c = client;
  const f = c != null ? c.failure : null;
  if (f != null) keptString = f.message;
  return changetype<usize>(keptString);
}

export function tlsSuite(): i32 { const s = (<TlsClient>client).suite; return s != null ? <i32>s.id : 0; }
export function tlsGroup(): i32 { return <i32>(<TlsClient>client).group; }
export function tlsSigScheme(): i32 { return <i32>(<TlsClient>client).sigScheme; }

/** Encrypts application data into records. */
export function tlsWrite(p: usize, len: i32): void { (<TlsClient>client).sealApp(p, len); }

/** Copies up to cap bytes of decrypted application data to dst; returns the count (0: none now). */
export function tlsRead(dst: usize, cap: i32): i32 {
  const c = <TlsClient>client;
  const n = min(cap, c.appAvailable);
  if (n <= 0) return 0;
  memory.copy(dst, c.appPtr, <usize>n);
  c.appConsume(n);
  if (c.appAvailable == 0) c.process();
  return n;
}

export function tlsKeyUpdate(request: bool): void { (<TlsClient>client).sendKeyUpdate(request); }
export function tlsCloseNotify(): void { (<TlsClient>client).sendCloseNotify(); }

/** The NSS key log lines so far, joined by newlines (needs the keylog flag). */
export function tlsKeylog(): usize {
  keptString = (<TlsClient>client).keylogLines.join("\n");
  return changetype<usize>(keptString);
}


