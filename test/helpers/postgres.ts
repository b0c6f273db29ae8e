// A throwaway PostgreSQL cluster for one test file: initdb into a temp directory, TLS with a
// certificate for localhost (SAN DNS:localhost, IP:127.0.0.1) under an intermediate and a root made
// by makePki, listening on 127.0.0.1 only (a free port; unix sockets only in the temp directory),
// SCRAM-SHA-256 logins for two roles:
//   user     may log in with or without TLS (pg_hba `host`)
//   tlsUser  may log in only over TLS (pg_hba `hostssl`; a plaintext login is refused by the server)
// Start-up waits with `pg_ctl -w` (the server's own readiness report), never a sleep. stop() shuts
// the server down (`pg_ctl -m immediate`; SIGKILL if that takes over 20 s) and removes the
// directory; a process that exits without stop() still takes its server down ('exit' and SIGTERM
// hooks).
//
// The server binaries come from $PG_BINDIR, /usr/lib/postgresql/<newest>/bin (Debian's postgresql
// package) or PATH. There is no skipping: without them startPostgres() throws, and the test fails.
// As root the cluster runs as the `postgres` system user (initdb refuses root), through `su`.
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, delimiter } from 'node:path';
import { promisify } from 'node:util';
import { makePki, type Pki } from './pki.js';
import { freePort } from './tls-peers.js';

const run = promisify(execFile);

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

function findBinDir(): string {
  const dirs: string[] = [];
  if (process.env.PG_BINDIR) dirs.push(process.env.PG_BINDIR);
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    dirs.push(...versions.map((v) => join(debian, v, 'bin')));
  }
  dirs.push(...(process.env.PATH ?? '').split(delimiter).filter(Boolean));
  for (const d of dirs) {
    if (['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(join(d, b)))) return d;
  }
  throw new Error(
    'PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found in $PG_BINDIR, /usr/lib/postgresql/*/bin or PATH. ' +
      "Install Debian's postgresql package (apt-get install postgresql; .ci/run does). The PostgreSQL tests do not skip.",
  );
}

const quote = (s: string): string => `'${s.replaceAll("'", `'\\''`)}'`;

interface RunAs {
  /** Runs a server binary as the cluster's owner; resolves with stdout + stderr. */
  (file: string, args: string[], input?: string): Promise<string>;
  sync(file: string, args: string[]): void;
  chown(path: string): void;
}

/** Runs commands as `postgres` when we are root (initdb and postgres refuse root), else as ourselves. */
function runAs(): RunAs {
  const root = process.getuid?.() === 0;
  let ids: { uid: number; gid: number } | null = null;
  if (root) {
    try {
      const [uid, gid] = ['-u', '-g'].map((f) => Number(execFileSync('id', [f, 'postgres']).toString().trim()));
      ids = { uid, gid };
    } catch {
      throw new Error('running as root, the PostgreSQL tests need the `postgres` system user (created by Debian\'s postgresql package)');
    }
  }
  const argv = (file: string, args: string[]): [string, string[]] =>
    root ? ['su', ['postgres', '-s', '/bin/sh', '-c', [file, ...args].map(quote).join(' ')]] : [file, args];
  const f = (async (file: string, args: string[], input?: string) => {
    const [cmd, a] = argv(file, args);
    const child = run(cmd, a, { timeout: 60_000, maxBuffer: 16 << 20 });
    if (input !== undefined) child.child.stdin!.end(input);
    try {
      const { stdout, stderr } = await child;
      return stdout + stderr;
    } catch (e) {
      const x = e as { stdout?: string; stderr?: string; message: string };
      throw new Error(`${file} ${args.join(' ')} failed: ${x.message}\n${x.stdout ?? ''}${x.stderr ?? ''}`);
    }
  }) as RunAs;
  f.sync = (file, args) => {
    const [cmd, a] = argv(file, args);
    execFileSync(cmd, a, { stdio: 'ignore', timeout: 30_000 });
  };
  f.chown = (path) => {
    if (ids) chownSync(path, ids.uid, ids.gid);
  };
  return f;
}

const ident = (s: string): string => `"${s.replaceAll('"', '""')}"`;
const literal = (s: string): string => `'${s.replaceAll("'", "''")}'`;

/** initdb, TLS files, configuration, roles and database, then `pg_ctl -w start`. Takes about 2-3 s. */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = findBinDir();
  const as = runAs();
  const exe = (name: string) => join(bin, name);
  const version = (await run(exe('postgres'), ['--version'])).stdout.trim();

  const dir = mkdtempSync(join(tmpdir(), 'wasi-connect-pg-'));
  const data = join(dir, 'data');
  const sockDir = join(dir, 'sock');
  const tlsDir = join(dir, 'tls');
  const logFile = join(dir, 'postgres.log');
  /** The postmaster's pid, while it runs (first line of postmaster.pid). */
  const postmasterPid = (): number | null => {
    try {
      return Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]) || null;
    } catch {
      return null;
    }
  };
  /** When `pg_ctl stop` did not finish in time (a server busy with stuck children): SIGKILL. */
  const killPostmaster = (pid: number | null) => {
    try {
      if (pid) process.kill(pid, 'SIGKILL');
    } catch {
      // gone already
    }
  };
  const stopArgs = ['-D', data, '-m', 'immediate', '-w', '-t', '20', 'stop'];
  const stopSync = () => {
    const pid = postmasterPid();
    try {
      if (pid) as.sync(exe('pg_ctl'), stopArgs);
    } catch {
      killPostmaster(pid);
    }
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
  // Safety net for a process that ends without stop(): vitest ends its workers with SIGTERM, which
  // skips 'exit' handlers, so take the server down on SIGTERM too, then die of the signal as before.
  const onSigterm = () => {
    unguard();
    stopSync();
    process.kill(process.pid, 'SIGTERM');
  };
  const unguard = () => {
    process.removeListener('exit', stopSync);
    process.removeListener('SIGTERM', onSigterm);
  };
  process.once('exit', stopSync);
  process.once('SIGTERM', onSigterm);
  try {
    for (const d of [sockDir, tlsDir]) mkdirSync(d, { mode: 0o700 });
    for (const p of [dir, sockDir, tlsDir]) as.chown(p);

    const pki = makePki([
      { id: 'pg-root', subject: 'wasi-connect PostgreSQL test root', key: 'rsa2048', ca: {}, keyUsage: ['keyCertSign', 'cRLSign'] },
      { id: 'pg-int', subject: 'wasi-connect PostgreSQL test intermediate', issuer: 'pg-root', key: 'p256', ca: { pathLen: 0 }, keyUsage: ['keyCertSign', 'cRLSign'] },
      {
        id: 'pg-server', subject: 'localhost', issuer: 'pg-int', key: 'p256',
        san: ['DNS:localhost', 'IP:127.0.0.1'], eku: ['serverAuth'], keyUsage: ['digitalSignature'],
      },
    ], { dir: join(dir, 'pki') });
    // the server sends its certificate and the intermediate; the key must be the server's own, 0600
    const certFile = join(tlsDir, 'server.crt');
    const keyFile = join(tlsDir, 'server.key');
    writeFileSync(certFile, pki.pem('pg-server', 'pg-int'));
    writeFileSync(keyFile, pki.get('pg-server').keyPem, { mode: 0o600 });
    for (const p of [certFile, keyFile]) as.chown(p);

    await as(exe('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions']);

    const user = 'wasi_test';
    const tlsUser = 'wasi_tls';
    const database = 'wasi_test';
    const password = `pw-${Math.random().toString(36).slice(2)}'"x`; // quotes on purpose
    const tlsPassword = `tls-${Math.random().toString(36).slice(2)}`;
    // Single-user mode, before the server listens: one statement per line (CREATE DATABASE cannot
    // share a transaction). Its errors go to stderr without failing the process: check for them.
    const sql = [
      `CREATE ROLE ${ident(user)} LOGIN PASSWORD ${literal(password)}`,
      `CREATE ROLE ${ident(tlsUser)} LOGIN PASSWORD ${literal(tlsPassword)}`,
      `CREATE DATABASE ${ident(database)} OWNER ${ident(user)}`,
      `GRANT ALL ON DATABASE ${ident(database)} TO ${ident(tlsUser)}`,
    ].join('\n') + '\n';
    const single = await as(exe('postgres'), ['--single', '-D', data, '-F', '-c', 'listen_addresses=', '-c', 'log_min_messages=warning', 'postgres'], sql);
    if (/\b(ERROR|FATAL|PANIC):/.test(single)) throw new Error(`creating the test roles failed:\n${single}`);

    // pg_hba: nothing over unix sockets; over TCP only 127.0.0.1 and only these two roles
    writeFileSync(join(data, 'pg_hba.conf'), [
      '# wasi-connect test cluster',
      `hostssl ${database} ${tlsUser} 127.0.0.1/32 scram-sha-256`,
      `host    ${database} ${user} 127.0.0.1/32 scram-sha-256`,
      '',
    ].join('\n'));
    appendFileSync(join(data, 'postgresql.conf'), [
      '',
      '# wasi-connect test cluster',
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = ${literal(sockDir)}`,
      'ssl = on',
      `ssl_cert_file = ${literal(certFile)}`,
      `ssl_key_file = ${literal(keyFile)}`,
      "password_encryption = 'scram-sha-256'",
      'max_connections = 50',
      'shared_buffers = 32MB',
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      'log_connections = on',
      '',
    ].join('\n'));

    // a free port; if another process takes it before the server binds, try another
    let port = 0;
    for (let attempt = 0; ; attempt++) {
      port = await freePort();
      try {
        await as(exe('pg_ctl'), ['-D', data, '-l', logFile, '-o', `-p ${port}`, '-w', '-t', '60', 'start']);
        break;
      } catch (e) {
        const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
        if (attempt < 2 && /could not bind|Address already in use/.test(log)) continue;
        throw new Error(`${(e as Error).message}\nserver log:\n${log.slice(-3000)}`);
      }
    }

    let stopped = false;
    return {
      host: '127.0.0.1', port, database, user, password, tlsUser, tlsPassword,
      ca: pki.pem('pg-root'), pki, version, dir,
      log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
      async stop() {
        if (stopped) return;
        stopped = true;
        unguard();
        const pid = postmasterPid();
        try {
          await as(exe('pg_ctl'), stopArgs);
        } catch (e) {
          console.warn(`PostgreSQL did not stop in time; killing it: ${(e as Error).message}`);
          killPostmaster(pid);
        } finally {
          rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
        }
      },
    };
  } catch (e) {
    unguard();
    stopSync();
    throw e;
  }
}
