// wasi-connect: the WinterTC Sockets API, from one WebAssembly component.
import { backend } from './instances.js';
import {
  Socket as SocketClass, bindConnect as bindConnectTo,
  type AnySocketAddress, type Backend, type SecureTransportKind, type SocketInfo, type SocketOptions,
} from './socket.js';
import type { StartTlsOptions } from './tls-options.js';

/**
 * A socket (the spec's Socket interface, plus workerd's `secureTransport`). A type, not the class:
 * any object of this shape is a Socket, so a socket from Cloudflare's own `cloudflare:sockets` is
 * assignable to it and ours to theirs (test/types). `instanceof Socket` tests for ours.
 */
export interface Socket {
  /** Bytes from the peer (a byte stream: default and BYOB readers). */
  readonly readable: ReadableStream<Uint8Array>;
  /** Bytes to the peer: any BufferSource (a string is sent as UTF-8). */
  readonly writable: WritableStream<unknown>;
  /** Resolves with SocketInfo once connected (after the TLS handshake for TLS sockets). */
  readonly opened: Promise<SocketInfo>;
  /** Resolves when the socket closes; rejects with a SocketError if it fails. */
  readonly closed: Promise<void>;
  /** True once startTls() has upgraded this socket (the upgraded socket is a new object). */
  readonly upgraded: boolean;
  /** The secureTransport this socket was created with (as in workerd). */
  readonly secureTransport: SecureTransportKind;
  /** Closes the socket; `reason` errors its streams and a pending `opened`. Returns `closed`. */
  close(reason?: unknown): Promise<void>;
  /** Opportunistic TLS over this connection: returns the TLS socket. */
  startTls(options?: StartTlsOptions): Socket;
}
/** The class of the sockets connect() returns (not constructible by callers: use connect()). */
export const Socket: typeof SocketClass = SocketClass;
// the class has the interface's shape (a compile error here if the two drift apart)
type Assert<T extends true> = T;
type _SocketClassIsASocket = Assert<SocketClass extends Socket ? true : false>;

/** The spec's connect(), bound to a component instance. */
export type Connect = (address: AnySocketAddress, options?: SocketOptions) => Socket;

/** connect() over another instance of the component (e.g. a jco bundle on another WASI host). */
export const bindConnect: (backend: Backend) => Connect = bindConnectTo;

/**
 * Opens a TCP connection through the wasi-connect component (WinterTC Sockets API `connect()`).
 * Returns a pending Socket at once; throws a SocketError synchronously for a malformed address or
 * an invalid option.
 */
export const connect: Connect = bindConnectTo(backend);

export type { AnySocketAddress, SocketAddress, SocketOptions, SocketInfo, TlsInfo, SecureTransportKind, Backend } from './socket.js';
export type { TlsSocketOptions, StartTlsOptions, CertificateInput } from './tls-options.js';
export { SocketError } from './errors.js';
export type { SocketErrorCode } from './errors.js';
