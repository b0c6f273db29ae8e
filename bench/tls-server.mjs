// The TLS benchmark's peer, in a process of its own: node:tls servers (TLS 1.3, and TLS 1.2) with an ECDSA
// P-256 chain and an RSA-2048 chain made at start-up with the openssl CLI (a root, an
// intermediate, a leaf for localhost): an echo port and a sink port (counts bytes, answers the
// count after the client's close_notify + FIN) per chain, and a ChaCha20-Poly1305-only sink for bulk
// throughput. Prints its ports and the root certificates as one JSON line.
import tls from 'node:tls';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'wasi-connect-bench-tls-'));
const ossl = (...a) => execFileSync('openssl', a, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
function chain(name, keyArgs) {
  const key = (id) => ossl('genpkey', ...keyArgs, '-out', `${name}-${id}.key`);
  key('root');
  key('int');
  key('leaf');
  ossl('req', '-x509', '-new', '-key', `${name}-root.key`, '-subj', `/CN=bench ${name} root`, '-days', '2', '-out', `${name}-root.pem`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign');
  writeFileSync(join(dir, 'ca.ext'), 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign\n');
  writeFileSync(join(dir, 'leaf.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature\n');
  ossl('req', '-new', '-key', `${name}-int.key`, '-subj', `/CN=bench ${name} intermediate`, '-out', `${name}-int.csr`);
  ossl('x509', '-req', '-in', `${name}-int.csr`, '-CA', `${name}-root.pem`, '-CAkey', `${name}-root.key`, '-CAcreateserial', '-days', '2', '-extfile', 'ca.ext', '-out', `${name}-int.pem`);
  ossl('req', '-new', '-key', `${name}-leaf.key`, '-subj', '/CN=localhost', '-out', `${name}-leaf.csr`);
  ossl('x509', '-req', '-in', `${name}-leaf.csr`, '-CA', `${name}-int.pem`, '-CAkey', `${name}-int.key`, '-CAcreateserial', '-days', '2', '-extfile', 'leaf.ext', '-out', `${name}-leaf.pem`);
  const read = (f) => readFileSync(join(dir, f), 'utf8');
  return { cert: read(`${name}-leaf.pem`) + read(`${name}-int.pem`), key: read(`${name}-leaf.key`), ca: read(`${name}-root.pem`) };
}
const ec = chain('ecdsa', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']);
const rsa = chain('rsa', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']);
rmSync(dir, { recursive: true, force: true });

const listen = (opts, handler) =>
  new Promise((resolve) => {
    const s = tls.createServer({ minVersion: 'TLSv1.3', allowHalfOpen: true, ...opts }, (sock) => {
      sock.setNoDelay(true);
      sock.on('error', () => {});
      handler(sock);
    });
    s.on('tlsClientError', () => {});
    s.listen(0, '127.0.0.1', () => resolve(s.address().port));
  });
const echo = (sock) => {
  sock.on('data', (d) => sock.write(d));
  sock.on('end', () => sock.end());
};
const sink = (sock) => {
  let n = 0;
  sock.on('data', (d) => (n += d.length));
  sock.on('end', () => sock.end(String(n)));
};
const ports = {
  ecEcho: await listen(ec, echo),
  rsaEcho: await listen(rsa, echo),
  chachaSink: await listen({ ...ec, ciphers: 'TLS_CHACHA20_POLY1305_SHA256' }, sink),
  chachaEcho: await listen({ ...ec, ciphers: 'TLS_CHACHA20_POLY1305_SHA256' }, echo),
  // TLS 1.2 only: ECDHE-ECDSA handshakes, and ChaCha20-Poly1305 bulk
  ecEcho12: await listen({ ...ec, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' }, echo),
  chachaSink12: await listen({ ...ec, minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: 'ECDHE-ECDSA-CHACHA20-POLY1305' }, sink),
};
process.stdout.write(JSON.stringify({ ports, ca: { ec: ec.ca, rsa: rsa.ca } }) + '\n');
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
