// npm start: a guided tour of wasi-connect against servers this script starts on loopback.
// Every byte the client sends and receives passes through the WebAssembly component.
import net from 'node:net';
import { connect, SocketError } from 'wasi-connect';

const say = (...a) => console.log(...a);
const enc = new TextEncoder();
const dec = new TextDecoder();

// A tiny line server: answers each line in upper case; when the client half-closes, it sends a
// summary and closes its side too.
function startShoutServer(host) {
  return new Promise((resolve, reject) => {
    const server = net.createServer({ allowHalfOpen: true }, (sock) => {
      let lines = 0;
      let buf = '';
      sock.setEncoding('utf8');
      sock.on('data', (d) => {
        buf += d;
        let nl;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          lines++;
          sock.write(line.toUpperCase() + '\n');
        }
      });
      sock.on('end', () => sock.end(`bye: you sent ${lines} lines, then FIN\n`));
    });
    server.once('error', reject);
    server.listen(0, host, () => resolve(server));
  });
}

async function readLine(reader, state) {
  for (;;) {
    const nl = state.buf.indexOf('\n');
    if (nl >= 0) {
      const line = state.buf.slice(0, nl);
      state.buf = state.buf.slice(nl + 1);
      return line;
    }
    const { value, done } = await reader.read();
    if (done) return null;
    state.buf += dec.decode(value);
  }
}

say('wasi-connect demo: the WinterTC Sockets API, running inside one WebAssembly component\n');

const server = await startShoutServer('127.0.0.1');
const { port } = server.address();
say(`1. Started a line server on 127.0.0.1:${port}; connecting with connect("127.0.0.1:${port}")`);
const socket = connect(`127.0.0.1:${port}`);
const info = await socket.opened;
say(`   opened: remoteAddress=${info.remoteAddress} localAddress=${info.localAddress} alpn=${info.alpn}`);

const writer = socket.writable.getWriter();
const reader = socket.readable.getReader();
const state = { buf: '' };
say('\n2. Writing lines and reading the answers (WHATWG streams):');
for (const line of ['hello from webassembly', 'same bytes on node, deno and bun']) {
  await writer.write(enc.encode(line + '\n'));
  say(`   sent "${line}"  ->  got "${await readLine(reader, state)}"`);
}

say('\n3. Half-closing: writer.close() sends FIN; the server can still answer.');
await writer.close();
say(`   got "${await readLine(reader, state)}"`);
say(`   readable ended: ${(await readLine(reader, state)) === null}`);
await socket.closed;
say('   closed resolved (allowHalfOpen is false, so the peer\'s FIN closed the socket)');

let v6 = null;
try {
  v6 = await startShoutServer('::1');
} catch {
  say('\n4. (no IPv6 loopback on this machine: skipping the IPv6 step)');
}
if (v6) {
  const p6 = v6.address().port;
  say(`\n4. IPv6 works too: connect({ hostname: "::1", port: ${p6} })`);
  const s6 = connect({ hostname: '::1', port: p6 });
  say(`   opened: remoteAddress=${(await s6.opened).remoteAddress}`);
  await s6.close();
  v6.close();
}

say('\n5. Errors are SocketErrors with a machine-readable code:');
const closedPort = await new Promise((r) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => r(p));
  });
});
try {
  await connect(`127.0.0.1:${closedPort}`).opened;
} catch (e) {
  say(`   connect to a closed port  -> ${e instanceof SocketError ? 'SocketError' : 'error'} code=${e.code}: ${e.message}`);
}
try {
  connect('not an address');
} catch (e) {
  say(`   connect("not an address") -> thrown synchronously, code=${e.code}: ${e.message}`);
}
try {
  await connect(`127.0.0.1:${port}`, { secureTransport: 'on' }).opened;
} catch (e) {
  say(`   secureTransport "on"       -> code=${e.code} (never falls back to plaintext)`);
}

server.close();
say('\nDone. The process exits by itself: no socket is left open.');
