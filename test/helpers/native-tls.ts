// TLS peers for the native host and CLI tests: `openssl s_server -rev` (each line answered
// reversed) on loopback, with certificates the openssl CLI makes here: a CA, a server certificate
// for localhost/127.0.0.1 that it issued, and a self-signed certificate nobody vouches for.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { opensslServer } from './tls-peers.js';

export interface NativeTlsPeers {
  goodPort: number;
  untrustedPort: number;
  /** Like goodPort, and it selects the ALPN protocol http/1.1 when offered. */
  alpnPort: number;
  /** Like goodPort, TLS 1.2 only. */
  tls12Port: number;
  caFile: string;
  /** The certificate (for localhost and 127.0.0.1, issued by caFile) and key s_server uses. */
  serverCert: string;
  serverKey: string;
  stop(): Promise<void>;
}

export async function startNativeTlsPeers(): Promise<NativeTlsPeers> {
  // under tmpdir(): the composed CLI reads --ca through the preopened tmpdir()
  const dir = mkdtempSync(join(tmpdir(), 'wasi-connect-native-tls-'));
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
  const good = await opensslServer({ cert: join(dir, 'server.pem'), key: join(dir, 'server.key'), mode: 'rev' });
  const untrusted = await opensslServer({ cert: join(dir, 'self.pem'), key: join(dir, 'self.key'), mode: 'rev' });
  const alpn = await opensslServer({ cert: join(dir, 'server.pem'), key: join(dir, 'server.key'), mode: 'rev', args: ['-alpn', 'http/1.1'] });
  const tls12 = await opensslServer({ cert: join(dir, 'server.pem'), key: join(dir, 'server.key'), mode: 'rev', version: ['-tls1_2'] });
  return {
    goodPort: good.port,
    untrustedPort: untrusted.port,
    alpnPort: alpn.port,
    tls12Port: tls12.port,
    caFile: join(dir, 'ca.pem'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server.key'),
    async stop() {
      await good.stop();
      await untrusted.stop();
      await alpn.stop();
      await tls12.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
