// A throwaway PostgreSQL cluster for one test file (the cluster itself: postgres-cluster.mjs, shared
// with bench/pg.mjs): TLS with a certificate for localhost (SAN DNS:localhost, IP:127.0.0.1) under
// an intermediate and a root made by makePki, listening on 127.0.0.1 only, SCRAM-SHA-256 logins
// for two roles:
//   user     may log in with or without TLS (pg_hba `host`)
//   tlsUser  may log in only over TLS (pg_hba `hostssl`; a plaintext login is refused by the server)
// There is no skipping: without the server binaries startPostgres() throws, and the test fails.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makePki, type Pki } from './pki.js';
import { startCluster } from './postgres-cluster.mjs';

export interface PostgresServer {
  host: '127.0.0.1';
  port: number;
  database: string;
  /** Logs in with or without TLS. */
  user: string;
  password: string;
  /** Logs in only over TLS (hostssl). */
  tlsUser: string;
  tlsPassword: string;
  /** PEM of the root that issued the server's intermediate (what a client trusts: sslrootcert). */
  ca: string;
  /** The PKI (ids pg-root, pg-int, pg-server). */
  pki: Pki;
  /** `postgres --version`, e.g. "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)". */
  version: string;
  dir: string;
  /** The server's log so far. */
  log(): string;
  stop(): Promise<void>;
}

/** The cluster, with TLS and the two roles. Takes about 2-3 s. */
export async function startPostgres(): Promise<PostgresServer> {
  const user = 'wasi_test';
  const tlsUser = 'wasi_tls';
  const database = 'wasi_test';
  const password = `pw-${Math.random().toString(36).slice(2)}'"x`; // quotes on purpose
  const tlsPassword = `tls-${Math.random().toString(36).slice(2)}`;
  let pki: Pki | undefined;
  const cluster = await startCluster({
    database,
    roles: [{ name: user, password }, { name: tlsUser, password: tlsPassword, tlsOnly: true }],
    tls: (tlsDir: string) => {
      pki = makePki([
        { id: 'pg-root', subject: 'wasi-connect PostgreSQL test root', key: 'rsa2048', ca: {}, keyUsage: ['keyCertSign', 'cRLSign'] },
        { id: 'pg-int', subject: 'wasi-connect PostgreSQL test intermediate', issuer: 'pg-root', key: 'p256', ca: { pathLen: 0 }, keyUsage: ['keyCertSign', 'cRLSign'] },
        {
          id: 'pg-server', subject: 'localhost', issuer: 'pg-int', key: 'p256',
          san: ['DNS:localhost', 'IP:127.0.0.1'], eku: ['serverAuth'], keyUsage: ['digitalSignature'],
        },
      ], { dir: join(tlsDir, '..', 'pki') });
      // the server sends its certificate and the intermediate; the key must be the server's own, 0600
      const certFile = join(tlsDir, 'server.crt');
      const keyFile = join(tlsDir, 'server.key');
      writeFileSync(certFile, pki.pem('pg-server', 'pg-int'));
      writeFileSync(keyFile, pki.get('pg-server').keyPem, { mode: 0o600 });
      return { certFile, keyFile };
    },
  });
  return { ...cluster, host: '127.0.0.1', user, password, tlsUser, tlsPassword, ca: pki!.pem('pg-root'), pki: pki! };
}
