// wasi-connect: the WinterTC Sockets API, from one WebAssembly component.
import { backend } from './instances.js';
import { bindConnect, type Connect } from './socket.js';

/**
 * Opens a TCP connection through the wasi-connect component (WinterTC Sockets API `connect()`).
 * Returns a pending Socket at once; throws a SocketError synchronously for a malformed address or
 * an invalid option.
 */
export const connect: Connect = bindConnect(backend);

export { Socket, bindConnect } from './socket.js';
export type { AnySocketAddress, SocketAddress, SocketOptions, SocketInfo, TlsInfo, SecureTransportKind, Connect, Backend } from './socket.js';
export type { TlsSocketOptions, StartTlsOptions, CertificateInput } from './tls-options.js';
export { SocketError } from './errors.js';
export type { SocketErrorCode } from './errors.js';
