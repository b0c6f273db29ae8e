// The peer for the conformance cases: real node:net servers on loopback, one port per behaviour,
// in a process of its own (so that a client whose host blocks its thread cannot stall them).
// Prints one JSON line with the ports, then serves until stdin closes.
//
// Behaviours are observed from the server side too: each connection's events are logged by the
// client's port and can be fetched over the `control` port ("events <port>\n").
import net from 'node:net';
import tls from 'node:tls';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A certificate chain for the TLS cases, made now with the openssl CLI: an ECDSA P-256 root,
 * an intermediate, and a leaf for localhost / 127.0.0.1. Never checked in, never expires on us.
 */
function makeChain() {
  const dir = mkdtempSync(join(tmpdir(), 'wasi-connect-peer-'));
  const ossl = (...a) => execFileSync('openssl', a, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  for (const k of ['root', 'int', 'leaf']) ossl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${k}.key`);
  ossl('req', '-x509', '-new', '-key', 'root.key', '-subj', '/CN=conformance root', '-days', '2', '-out', 'root.pem',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign');
  writeFileSync(join(dir, 'ca.ext'), 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign\n');
  writeFileSync(join(dir, 'leaf.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n');
  ossl('req', '-new', '-key', 'int.key', '-subj', '/CN=conformance intermediate', '-out', 'int.csr');
  ossl('x509', '-req', '-in', 'int.csr', '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-days', '2', '-extfile', 'ca.ext', '-out', 'int.pem');
  ossl('req', '-new', '-key', 'leaf.key', '-subj', '/CN=localhost', '-out', 'leaf.csr');
  ossl('x509', '-req', '-in', 'leaf.csr', '-CA', 'int.pem', '-CAkey', 'int.key', '-CAcreateserial', '-days', '2', '-extfile', 'leaf.ext', '-out', 'leaf.pem');
  const read = (f) => readFileSync(join(dir, f), 'utf8');
  const chain = { cert: read('leaf.pem') + read('int.pem'), key: read('leaf.key'), ca: read('root.pem') };
  rmSync(dir, { recursive: true, force: true });
  return chain;
}

const events = new Map(); // client port -> string[]
const log = (sock, what) => {
  const k = sock.remotePort;
  if (!events.has(k)) events.set(k, []);
  events.get(k).push(what);
};
const sinks = new Map(); // client port -> release()
let tlsProbeConnections = 0;
/** Everything the TLS peers received in plaintext TCP (to prove nothing is sent in the clear). */
let tlsWire = Buffer.alloc(0);

function listen(handler, host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    // TCP_NODELAY, as a real server's would be: with Nagle on, a TLS echo after the server's
    // NewSessionTicket waits for the client's delayed ACK (40 ms) whenever the client's data left
    // before the tickets arrived, which made the 10,000-handshake test 1-5x slower, by chance
    const server = net.createServer({ allowHalfOpen: true, noDelay: true }, (sock) => {
      sock.on('error', () => {});
      handler(sock);
    });
    server.once('error', reject);
    server.listen(0, host, () => resolve(server.address().port));
  });
}

const echo = (sock) => {
  sock.on('data', (d) => sock.write(d));
  sock.on('end', () => sock.end());
};

export async function startPeer() {
  const ports = {};
  ports.echo = await listen(echo);
  try {
    ports.echo6 = await listen(echo, '::1');
  } catch {
    ports.echo6 = 0; // no IPv6 loopback on this machine
  }
  ports.greet = await listen((sock) => {
    sock.write('hello\n');
    echo(sock);
  });
  ports.fin = await listen((sock) => {
    log(sock, 'accepted');
    sock.on('data', (d) => log(sock, `data:${d.toString('latin1')}`));
    sock.on('end', () => log(sock, 'end'));
    sock.end('bye');
  });
  ports.half = await listen((sock) => {
    const parts = [];
    sock.on('data', (d) => parts.push(d));
    sock.on('end', () => sock.end(`got:${Buffer.concat(parts).toString('latin1')}`));
  });
  ports.rst = await listen((sock) => {
    sock.once('data', () => sock.resetAndDestroy());
  });
  ports.sink = await listen((sock) => {
    // Reads nothing until released over the control port; then counts and hashes everything.
    sock.pause();
    const hash = createHash('sha256');
    let count = 0;
    sock.on('data', (d) => {
      count += d.length;
      hash.update(d);
    });
    sock.on('end', () => sock.end(`count:${count} sha256:${hash.digest('hex')}`));
    sinks.set(sock.remotePort, () => sock.resume());
  });
  ports.tlsprobe = await listen((sock) => {
    tlsProbeConnections++;
    sock.destroy();
  });
  // TLS: an echo server (TLS 1.3, ALPN http/1.1 and h2; it issues session tickets), a TLS 1.2-only
  // echo server, and a STARTTLS server ("STARTTLS\n" -> "OK\n", then TLS over the same connection,
  // echoing); all record the raw TCP bytes they receive
  const chain = makeChain();
  const context = tls.createSecureContext({ cert: chain.cert, key: chain.key, minVersion: 'TLSv1.3' });
  const wire = (sock) => sock.on('data', (d) => (tlsWire = Buffer.concat([tlsWire, d]).subarray(-(1 << 20))));
  const tlsEcho = (sock) => {
    const t = new tls.TLSSocket(sock, { isServer: true, secureContext: context, ALPNProtocols: ['h2', 'http/1.1'] });
    t.on('error', () => {});
    t.on('data', (d) => t.write(d));
    t.on('end', () => t.end());
  };
  ports.tls = await listen((sock) => {
    wire(sock);
    tlsEcho(sock);
  });
  // the same chain on a TLS 1.2-only server (ECDHE-ECDSA suites), echoing
  const context12 = tls.createSecureContext({ cert: chain.cert, key: chain.key, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
  ports.tls12 = await listen((sock) => {
    wire(sock);
    const t = new tls.TLSSocket(sock, { isServer: true, secureContext: context12 });
    t.on('error', () => {});
    t.on('data', (d) => t.write(d));
    t.on('end', () => t.end());
  });
  ports.starttls = await listen((sock) => {
    wire(sock);
    let pre = '';
    const onData = (d) => {
      pre += d.toString('latin1');
      if (!pre.includes('STARTTLS\n')) return;
      sock.off('data', onData);
      sock.pause();
      sock.write('OK\n', () => tlsEcho(sock));
    };
    sock.on('data', onData);
  });
  ports.tlsCa = chain.ca;
  ports.refused = await new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
  ports.control = await listen((sock) => {
    let buf = '';
    sock.setEncoding('utf8');
    sock.on('data', (d) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const [cmd, arg] = buf.slice(0, nl).split(' ');
        buf = buf.slice(nl + 1);
        let reply;
        if (cmd === 'events') reply = events.get(Number(arg)) ?? [];
        else if (cmd === 'release') {
          const r = sinks.get(Number(arg));
          if (r) r();
          reply = !!r;
        } else if (cmd === 'tlsprobe') reply = tlsProbeConnections;
        else if (cmd === 'tlswire') reply = tlsWire.includes(Buffer.from(arg, 'latin1'));
        else reply = { error: `unknown command ${cmd}` };
        sock.write(JSON.stringify(reply) + '\n');
      }
    });
  });
  return ports;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const ports = await startPeer();
  process.stdout.write(JSON.stringify(ports) + '\n');
  process.stdin.on('end', () => process.exit(0));
  process.stdin.resume();
}
