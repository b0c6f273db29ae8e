// npm start: a guided tour of wasi-connect against servers this script starts on loopback.
// Every byte the client sends and receives passes through the WebAssembly component.
import net from 'node:net';
import tls from 'node:tls';
import { connect, SocketError } from 'wasi-connect';
import { makeDemoCertificates } from './certs.mjs';

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

// ---------------------------------------------------------------- TLS
const pki = makeDemoCertificates();
const secureContext = tls.createSecureContext({ cert: pki.cert, key: pki.key, minVersion: 'TLSv1.3' });
/** A TLS 1.3 echo server in upper case, and a STARTTLS server (plaintext greeting, then TLS). */
function startTlsServers() {
  const shout = (t) => {
    t.on('error', () => {});
    t.on('data', (d) => t.write(d.toString().toUpperCase()));
    t.on('end', () => t.end());
  };
  const direct = tls.createServer({ cert: pki.cert, key: pki.key, minVersion: 'TLSv1.3', ALPNProtocols: ['demo/1'] }, shout);
  const starttls = net.createServer((sock) => {
    sock.on('error', () => {});
    sock.write('220 demo ready\n');
    sock.once('data', () => {
      // the client said STARTTLS: answer in plaintext, then speak TLS on the same connection
      sock.write('220 go ahead\n', () => shout(new tls.TLSSocket(sock, { isServer: true, secureContext })));
    });
  });
  const listen = (s) => new Promise((r) => s.listen(0, '127.0.0.1', () => r(s.address().port)));
  return Promise.all([listen(direct), listen(starttls)]).then(([tlsPort, starttlsPort]) => ({ direct, starttls, tlsPort, starttlsPort }));
}
const servers = await startTlsServers();

say(`\n6. TLS 1.3, inside the component: connect("localhost:${servers.tlsPort}", { secureTransport: "on", ca, alpn: ["demo/1"] })`);
const secure = connect(`localhost:${servers.tlsPort}`, { secureTransport: 'on', ca: pki.ca, alpn: ['demo/1'] });
const sInfo = await secure.opened;
say(`   opened after the server's Finished was verified: ${sInfo.tls.version} ${sInfo.tls.cipherSuite} ${sInfo.tls.group} ${sInfo.tls.signatureScheme} alpn=${sInfo.alpn}`);
say(`   chain verified (${sInfo.tls.verified}): ${sInfo.tls.chainSubjects.join(' <- ')}`);
const sw = secure.writable.getWriter();
const sr = secure.readable.getReader();
await sw.write(enc.encode('encrypted hello\n'));
say(`   sent "encrypted hello"  ->  got "${await readLine(sr, { buf: '' })}"`);
await secure.close();

say(`\n7. STARTTLS: plaintext first, then TLS over the same connection (as SMTP, IMAP and PostgreSQL do)`);
const plain = connect(`localhost:${servers.starttlsPort}`, { secureTransport: 'starttls', ca: pki.ca });
const pInfo = await plain.opened;
const pr = plain.readable.getReader();
const pstate = { buf: '' };
say(`   plaintext greeting: "${await readLine(pr, pstate)}"`);
const pw = plain.writable.getWriter();
await pw.write(enc.encode('STARTTLS\n'));
say(`   sent "STARTTLS"  ->  got "${await readLine(pr, pstate)}"`);
pr.releaseLock();
pw.releaseLock();
const upgraded = plain.startTls();
const uInfo = await upgraded.opened;
say(`   startTls(): upgraded=${plain.upgraded}, same connection (local ${pInfo.localAddress} = ${uInfo.localAddress}), ${uInfo.tls.version}, verified=${uInfo.tls.verified}`);
const uw = upgraded.writable.getWriter();
await uw.write(enc.encode('now private\n'));
say(`   sent "now private"  ->  got "${await readLine(upgraded.readable.getReader(), { buf: '' })}"`);
await upgraded.close();

say('\n8. TLS refuses what it cannot verify, with precise codes (and never sends in the clear):');
for (const [what, opts, host] of [
  ['a CA we do not trust', {}, 'localhost'],
  ['a name the certificate is not for', { ca: pki.ca, sni: 'example.com' }, '127.0.0.1'],
]) {
  try {
    await connect(`${host}:${servers.tlsPort}`, { secureTransport: 'on', ...opts }).opened;
  } catch (e) {
    say(`   ${what.padEnd(34)} -> code=${e.code}: ${e.message.replace('SocketError: ', '')}`);
  }
}
servers.direct.close();
servers.starttls.close();

server.close();
say('\nDone. The process exits by itself: no socket is left open.');
