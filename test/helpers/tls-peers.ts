// TLS peers for the native host and CLI tests: openssl s_server on loopback with certificates made
// here by the openssl CLI (a CA, a server certificate for localhost/127.0.0.1 it issued, and a
// self-signed certificate nobody trusts). s_server -rev answers each line reversed.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { connect } from 'wasi-connect';

export interface TlsPeers {
  goodPort: number;
  untrustedPort: number;
  caFile: string;
  /** The certificate (for localhost and 127.0.0.1, issued by caFile) and key s_server uses. */
  serverCert: string;
  serverKey: string;
  stop(): void;
}

/**
 * Whether this build of the component speaks TLS: until the TLS layer lands, `secureTransport:
 * "on"` fails at once with this exact message, and the TLS tests are skipped.
 */
export async function tlsAvailable(): Promise<boolean> {
  const server = net.createServer((s) => s.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const s = connect(`127.0.0.1:${(server.address() as net.AddressInfo).port}`, { secureTransport: 'on' });
    await s.opened.then(() => s.close(), () => {});
    const err = await s.closed.then(() => null, (e: Error) => e);
    return !(err && /TLS is not available in this build/.test(err.message));
  } finally {
    server.close();
  }
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });

function sServer(dir: string, cert: string, key: string): Promise<{ port: number; child: ChildProcess }> {
  return freePort().then(
    (port) =>
      new Promise((resolve, reject) => {
        const child = spawn('openssl', ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', join(dir, cert), '-key', join(dir, key), '-rev', '-tls1_3'], {
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        let out = '';
        const onData = (d: Buffer) => {
          out += d;
          if (out.includes('ACCEPT')) resolve({ port, child });
        };
        child.stdout!.on('data', onData);
        child.stderr!.on('data', onData);
        child.once('exit', (code) => reject(new Error(`openssl s_server exited (${code}): ${out}`)));
      }),
  );
}

export async function startTlsPeers(): Promise<TlsPeers> {
  const dir = mkdtempSync(join(tmpdir(), 'wasi-connect-tls-'));
  const ossl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  ossl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-subj', '/CN=wasi-connect test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  ossl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-addext', 'extendedKeyUsage=serverAuth');
  ossl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '30',
    '-copy_extensions', 'copyall');
  ossl('req', '-x509', ...ec, '-keyout', 'self.key', '-out', 'self.pem', '-days', '30', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1');
  const good = await sServer(dir, 'server.pem', 'server.key');
  const untrusted = await sServer(dir, 'self.pem', 'self.key');
  return {
    goodPort: good.port,
    untrustedPort: untrusted.port,
    caFile: join(dir, 'ca.pem'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server.key'),
    stop() {
      good.child.kill();
      untrusted.child.kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
