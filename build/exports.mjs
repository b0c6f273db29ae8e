// The canonical-ABI names of the component's exports. AssemblyScript cannot spell names such as
// "wasi-connect:sockets/sockets@0.1.0#[method]socket.read", so assembly/index.ts exports plain
// identifiers and the build renames them with this table.
export const IFACE = 'wasi-connect:sockets/sockets@0.1.0';
/** Test door for fault containment (wasi-connect/testing). */
export const DIAG_IFACE = 'wasi-connect:sockets/diagnostics@0.1.0';

const fns = {
  sockets_connect: 'connect',
  sockets_parseAddress: 'parse-address',
  socket_pollOpen: '[method]socket.poll-open',
  socket_read: '[method]socket.read',
  socket_subscribeRead: '[method]socket.subscribe-read',
  socket_write: '[method]socket.write',
  socket_flush: '[method]socket.flush',
  socket_subscribeWrite: '[method]socket.subscribe-write',
  socket_bufferedAmount: '[method]socket.buffered-amount',
  socket_shutdownWrite: '[method]socket.shutdown-write',
  socket_close: '[method]socket.close',
  socket_dtor: '[dtor]socket',
  socket_startTls: '[method]socket.start-tls',
  socket_tlsInfo: '[method]socket.tls-info',
  socket_takeKeylog: '[method]socket.take-keylog',
  sockets_addTrustAnchors: 'add-trust-anchors',
};

/** AssemblyScript export name -> canonical export name. */
export const EXPORT_NAMES = new Map([
  ['cabi_realloc', 'cabi_realloc'],
  ['_initialize', '_initialize'],
  ['memory', 'memory'],
]);
for (const [as, canon] of Object.entries(fns)) {
  EXPORT_NAMES.set(as, `${IFACE}#${canon}`);
  EXPORT_NAMES.set(`${as}_post`, `cabi_post_${IFACE}#${canon}`);
}
EXPORT_NAMES.set('diagnostics_forceTrap', `${DIAG_IFACE}#force-trap`);

/** Imports that would block the caller: the component must never import these. */
export const BLOCKING_IMPORT = /(^|\.)(block|blocking-[a-z-]+)$|^poll$/;
