// A throwaway PostgreSQL cluster: initdb into a temp directory, listening on 127.0.0.1 only (a
// free port; unix sockets only in the temp directory), SCRAM-SHA-256 logins, optionally TLS.
// Plain JavaScript so that both the tests (test/helpers/postgres.ts adds the TLS PKI) and the
// benchmark (bench/pg.mjs, run by plain node) start their server with the same code.
//
// Start-up waits with `pg_ctl -w` (the server's own readiness report), never a sleep. stop() shuts
// the server down (`pg_ctl -m immediate`; SIGKILL if that takes over 20 s) and removes the
// directory; a process that exits without stop() still takes its server down ('exit' and SIGTERM
// hooks).
//
// The server binaries come from $PG_BINDIR, /usr/lib/postgresql/<newest>/bin (Debian's postgresql
// package) or PATH. There is no skipping: without them startCluster() throws.
// As root the cluster runs as the `postgres` system user (initdb refuses root), through `su`.
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, delimiter } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

function findBinDir() {
  const dirs = [];
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

const quote = (s) => `'${s.replaceAll("'", `'\\''`)}'`;

/** Runs commands as `postgres` when we are root (initdb and postgres refuse root), else as ourselves. */
function runAs() {
  const root = process.getuid?.() === 0;
  let ids = null;
  if (root) {
    try {
      const [uid, gid] = ['-u', '-g'].map((f) => Number(execFileSync('id', [f, 'postgres']).toString().trim()));
      ids = { uid, gid };
    } catch {
      throw new Error('running as root, the PostgreSQL cluster needs the `postgres` system user (created by Debian\'s postgresql package)');
    }
  }
  const argv = (file, args) => (root ? ['su', ['postgres', '-s', '/bin/sh', '-c', [file, ...args].map(quote).join(' ')]] : [file, args]);
  /** Runs a server binary as the cluster's owner; resolves with stdout + stderr. */
  const f = async (file, args, input) => {
    const [cmd, a] = argv(file, args);
    const child = run(cmd, a, { timeout: 60_000, maxBuffer: 16 << 20 });
    if (input !== undefined) child.child.stdin.end(input);
    try {
      const { stdout, stderr } = await child;
      return stdout + stderr;
    } catch (e) {
      throw new Error(`${file} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
    }
  };
  f.sync = (file, args) => {
    const [cmd, a] = argv(file, args);
    execFileSync(cmd, a, { stdio: 'ignore', timeout: 30_000 });
  };
  f.chown = (path) => {
    if (ids) chownSync(path, ids.uid, ids.gid);
  };
  return f;
}

const ident = (s) => `"${s.replaceAll('"', '""')}"`;
const literal = (s) => `'${s.replaceAll("'", "''")}'`;

/** A port nobody listens on right now (the caller retries if another process takes it first). */
export async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = s.address().port;
  await new Promise((r) => s.close(r));
  return port;
}

/**
 * initdb, configuration, roles and database, then `pg_ctl -w start`. Takes about 2-3 s.
 *
 * options.roles: [{ name, password, tlsOnly }]: each may log in to `database` from 127.0.0.1 with
 *   SCRAM-SHA-256; a `tlsOnly` role only over TLS (pg_hba `hostssl`), the others with or without.
 * options.tls(dir): writes the server's certificate chain and key into `dir` and returns
 *   { certFile, keyFile } (the key must be mode 0600); without it the server has ssl = off.
 * options.maxConnections: default 50.
 *
 * Resolves with { host: '127.0.0.1', port, database, version, dir, log(), stop() }.
 */
export async function startCluster({ database, roles, tls, maxConnections = 50 }) {
  const bin = findBinDir();
  const as = runAs();
  const exe = (name) => join(bin, name);
  const version = (await run(exe('postgres'), ['--version'])).stdout.trim();

  const dir = mkdtempSync(join(tmpdir(), 'wasi-connect-pg-'));
  const data = join(dir, 'data');
  const sockDir = join(dir, 'sock');
  const tlsDir = join(dir, 'tls');
  const logFile = join(dir, 'postgres.log');
  /** The postmaster's pid, while it runs (first line of postmaster.pid). */
  const postmasterPid = () => {
    try {
      return Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]) || null;
    } catch {
      return null;
    }
  };
  /** When `pg_ctl stop` did not finish in time (a server busy with stuck children): SIGKILL. */
  const killPostmaster = (pid) => {
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
    let certFile = null;
    let keyFile = null;
    if (tls) {
      ({ certFile, keyFile } = await tls(tlsDir));
      for (const p of [certFile, keyFile]) as.chown(p);
    }

    await as(exe('initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions']);

    // Single-user mode, before the server listens: one statement per line (CREATE DATABASE cannot
    // share a transaction). Its errors go to stderr without failing the process: check for them.
    const [owner] = roles;
    const sql = [
      ...roles.map((r) => `CREATE ROLE ${ident(r.name)} LOGIN PASSWORD ${literal(r.password)}`),
      `CREATE DATABASE ${ident(database)} OWNER ${ident(owner.name)}`,
      ...roles.slice(1).map((r) => `GRANT ALL ON DATABASE ${ident(database)} TO ${ident(r.name)}`),
    ].join('\n') + '\n';
    const single = await as(exe('postgres'), ['--single', '-D', data, '-F', '-c', 'listen_addresses=', '-c', 'log_min_messages=warning', 'postgres'], sql);
    if (/\b(ERROR|FATAL|PANIC):/.test(single)) throw new Error(`creating the roles failed:\n${single}`);

    // pg_hba: nothing over unix sockets; over TCP only 127.0.0.1 and only these roles
    writeFileSync(join(data, 'pg_hba.conf'), [
      '# wasi-connect test cluster',
      ...roles.map((r) => `${r.tlsOnly ? 'hostssl' : 'host   '} ${database} ${r.name} 127.0.0.1/32 scram-sha-256`),
      '',
    ].join('\n'));
    appendFileSync(join(data, 'postgresql.conf'), [
      '',
      '# wasi-connect test cluster',
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = ${literal(sockDir)}`,
      ...(tls ? ['ssl = on', `ssl_cert_file = ${literal(certFile)}`, `ssl_key_file = ${literal(keyFile)}`] : []),
      "password_encryption = 'scram-sha-256'",
      `max_connections = ${maxConnections}`,
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
        throw new Error(`${e.message}\nserver log:\n${log.slice(-3000)}`);
      }
    }

    let stopped = false;
    return {
      host: '127.0.0.1', port, database, version, dir,
      log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
      async stop() {
        if (stopped) return;
        stopped = true;
        unguard();
        const pid = postmasterPid();
        try {
          await as(exe('pg_ctl'), stopArgs);
        } catch (e) {
          console.warn(`PostgreSQL did not stop in time; killing it: ${e.message}`);
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
