// The peer for the conformance cases: real node:net servers on loopback, one port per behaviour,
// in a process of its own (so that a client whose host blocks its thread cannot stall them).
// Prints one JSON line with the ports, then serves until stdin closes.
//
// Behaviours are observed from the server side too: each connection's events are logged by the
// client's port and can be fetched over the `control` port ("events <port>\n").
import net from 'node:net';
import { createHash } from 'node:crypto';

const events = new Map(); // client port -> string[]
const log = (sock, what) => {
  const k = sock.remotePort;
  if (!events.has(k)) events.set(k, []);
  events.get(k).push(what);
};
const sinks = new Map(); // client port -> release()
let tlsProbeConnections = 0;

function listen(handler, host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const server = net.createServer({ allowHalfOpen: true }, (sock) => {
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
