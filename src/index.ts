// wasi-connect: the WinterTC Sockets API, from one WebAssembly component.
export { connect, Socket } from './socket.js';
export type { AnySocketAddress, SocketAddress, SocketOptions, SocketInfo, SecureTransportKind } from './socket.js';
export { SocketError } from './errors.js';
export type { SocketErrorCode } from './errors.js';
