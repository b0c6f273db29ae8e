// The floor for any connect() whose streams are Node's WHATWG streams: no component, no protocol
// code, nothing but node:net (TCP_NODELAY, as ours) and Node's own Duplex.toWeb() adapter, shaped
// like the spec's Socket closely enough for the bench and for pg-cloudflare. What this costs over
// node:net is what the streams cost, which no implementation of the spec on Node can avoid; what
// wasi-connect costs over this is the component's share. A benchmark client, not a product: no TLS,
// no options, errors only as far as the bench needs them.
import net from 'node:net';
import { Duplex } from 'node:stream';

/** How the bench names this client. */
export const FLOOR = 'web streams, no component';

export function connect(address) {
  let host;
  let port;
  if (typeof address === 'string') {
    const i = address.lastIndexOf(':');
    host = address.slice(0, i);
    port = Number(address.slice(i + 1));
  } else {
    ({ hostname: host, port } = address);
  }
  const sock = net.connect({ host, port, noDelay: true });
  const { readable, writable } = Duplex.toWeb(sock);
  let resolveOpened;
  let rejectOpened;
  const opened = new Promise((resolve, reject) => {
    resolveOpened = resolve;
    rejectOpened = reject;
  });
  opened.catch(() => {});
  const closed = new Promise((resolve) => sock.once('close', () => resolve()));
  sock.once('connect', () => resolveOpened({ remoteAddress: sock.remoteAddress, localAddress: sock.localAddress }));
  sock.once('error', (e) => rejectOpened(e));
  return {
    readable,
    writable,
    opened,
    closed,
    close() {
      sock.destroy();
      return closed;
    },
    startTls() {
      throw new Error('the web-streams floor client has no TLS');
    },
  };
}
