// Small client-side helpers shared by the TLS tests: connect to a local server with the test's
// trust, and exchange a line.
import { connect, type Socket, type SocketOptions } from 'wasi-connect';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** connect() with TLS to host:port (default localhost), trusting `ca`. */
export function tlsConnect(port: number, ca: string, opts: SocketOptions = {}, host = 'localhost'): Socket {
  return connect(`${host}:${port}`, { secureTransport: 'on', ca, ...opts });
}

/** Reads until a newline (or the end) and returns what came, newline included; releases the lock. */
export async function readLine(s: Socket): Promise<string> {
  const r = s.readable.getReader();
  let got = '';
  while (!got.includes('\n')) {
    const { value, done } = await r.read();
    if (done) break;
    got += dec.decode(value);
  }
  r.releaseLock();
  return got;
}

/** Sends a line and reads until a newline comes back (the locks are released afterwards). */
export async function lineRoundTrip(s: Socket, line: string): Promise<string> {
  const w = s.writable.getWriter();
  await w.write(enc.encode(line + '\n'));
  w.releaseLock();
  return (await readLine(s)).replace(/\r?\n$/, '');
}

/** Everything the readable gives until it ends, as text. */
export async function readAllText(s: Socket): Promise<string> {
  const r = s.readable.getReader();
  let got = '';
  for (;;) {
    const { value, done } = await r.read();
    if (done) return got;
    got += dec.decode(value, { stream: true });
  }
}
