// The shipped component on a native WASI host: wasmtime with wasmtime-wasi's own WASI 0.2
// (native/host, built by native/ensure.mjs from npm test). Nothing of this package's JavaScript
// host is involved: the Rust host drives the export with wasi:io/poll and runs the behaviour
// cases itself; this file starts the peers (node:net on loopback), reads its results, and also
// runs the composed WASI command (dist/wasi-connect-cli.wasm) and the npm bin side by side.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { TLSSocket, createSecureContext } from 'node:tls';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cases as jsCases } from './conformance/cases.mjs';
import { startPeerProcess, type Peer } from './helpers/peer.js';
import { hostBin, component, cliComposed, wasmtimeCli } from '../native/paths.mjs';
import { startNativeTlsPeers, type NativeTlsPeers } from './helpers/native-tls.js';

const haveHost = existsSync(hostBin);
const nodeBin = fileURLToPath(new URL('../bin/wasi-connect.mjs', import.meta.url));

type Result = { name: string; ok: boolean; ms: number; error?: string };
type Listed = { name: string; tls: boolean };

const listed: Listed[] = haveHost ? JSON.parse(execFileSync(hostBin, ['list'], { encoding: 'utf8' })) : [];

/**
 * The native cases that are also JavaScript conformance cases (same name, same behaviour). The
 * list is asserted exactly, so a rename on either side shows up here.
 */
const SHARED = [
  'opened resolves SocketInfo with host:port addresses (IPv4, "host:port" string)',
  'IPv6: "[::1]:port", { hostname: "::1" } and { hostname: "[::1]" } all connect',
  'a hostname is resolved and each address tried in turn (localhost)',
  'echo of 64 KiB arrives intact',
  'writes made before the connection opens are sent after it opens',
  'one 16 MiB write arrives intact while the peer echoes it back',
  'a refused port rejects opened and closed with one SocketError (CONNECTION_REFUSED), erroring both streams',
  'an unresolvable name rejects opened with SocketError NAME_UNRESOLVABLE',
  'malformed addresses and ports throw SocketError INVALID_ADDRESS synchronously',
  'allowHalfOpen false: peer FIN ends the readable, closes the writable, sends our FIN and resolves closed',
  'allowHalfOpen true: after peer FIN the writable still sends, closed stays pending until close()',
  'closing the writable half-closes: the peer sees FIN and can still answer',
  'a peer RST errors the streams and rejects closed with SocketError CONNECTION_RESET',
  'writing faster than the peer reads applies backpressure, then everything arrives intact',
];

/** Runs a command to its end: exit code, stdout bytes, stderr text; bounded in time. */
function run(cmd: string, args: string[], { input, env, keepStdinOpen = false, timeout = 60_000 }: { input?: Buffer | string; env?: NodeJS.ProcessEnv; keepStdinOpen?: boolean; timeout?: number } = {}) {
  return new Promise<{ code: number | null; stdout: Buffer; stderr: string }>((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${cmd} ${args.join(' ')} did not finish in ${timeout} ms\n${err}`));
    }, timeout);
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => (err += d));
    child.stdin.on('error', () => {});
    if (input !== undefined) child.stdin.write(input);
    if (!keepStdinOpen) child.stdin.end();
    child.on('exit', (code) => {
      clearTimeout(timer);
      // the output pipes may still hold the last bytes: wait for their end
      let n = 0;
      const done = () => ++n === 2 && resolve({ code, stdout: Buffer.concat(out), stderr: err });
      if (child.stdout.readableEnded) n++; else child.stdout.once('end', done);
      if (child.stderr.readableEnded) n++; else child.stderr.once('end', done);
      if (n === 2) resolve({ code, stdout: Buffer.concat(out), stderr: err });
      child.stdin.destroy();
    });
  });
}

let peer: Peer;
beforeAll(async () => {
  peer = await startPeerProcess();
});
afterAll(() => peer?.stop());

describe.skipIf(!haveHost)('native WASI host: wasmtime + wasmtime-wasi run dist/wasi-connect.component.wasm', () => {
  let results: Promise<Result[]>;
  const get = async (name: string) => {
    const all = await results;
    const r = all.find((x) => x.name === name);
    expect(r, `the host reported no result for "${name}"`).toBeDefined();
    return r!;
  };
  beforeAll(() => {
    results = run(hostBin, ['cases', component], { env: { PEER_PORTS: JSON.stringify(peer.ports) }, timeout: 240_000 }).then(({ stdout, stderr, code }) => {
      const lines = stdout.toString('utf8').trim().split('\n').filter(Boolean);
      const rs = lines.map((l) => JSON.parse(l) as Result);
      if (rs.length === 0) throw new Error(`the native host reported nothing (exit ${code})\n${stderr}`);
      return rs;
    });
    results.catch(() => {});
  });

  it('the shared cases carry exactly the names of the JavaScript conformance cases', () => {
    const js = new Set(jsCases.map((c: { name: string }) => c.name));
    const shared = listed.filter((c) => js.has(c.name)).map((c) => c.name);
    expect(shared).toEqual(SHARED);
  });

  for (const c of listed.filter((x) => !x.tls)) {
    it(c.name, async () => {
      const r = await get(c.name);
      expect(r.error ?? '').toBe('');
      expect(r.ok).toBe(true);
    }, 240_000);
  }
});

// ---------------------------------------------------------------- TLS on the native host
// Started on first use, by whichever test needs them first; stopped when the file is done.
let tlsPeers: Promise<NativeTlsPeers> | undefined;
const getTls = () => (tlsPeers ??= startNativeTlsPeers());
afterAll(async () => {
  if (tlsPeers) await (await tlsPeers).stop();
});
describe.skipIf(!haveHost)('native WASI host: TLS against openssl s_server', () => {
  for (const c of listed.filter((x) => x.tls)) {
    it(c.name, async () => {
      const tls = await getTls();
      const { stdout, stderr } = await run(hostBin, ['cases', component, '--tls', '--only', c.name], {
        env: { PEER_PORTS: JSON.stringify(peer.ports), TLS_PEERS: JSON.stringify({ good: tls.goodPort, untrusted: tls.untrustedPort, tls12: tls.tls12Port, ca: tls.caFile }) },
      });
      const r = JSON.parse(stdout.toString().trim().split('\n').pop() || 'null') as Result | null;
      expect(r, stderr).not.toBeNull();
      expect(r!.error ?? '').toBe('');
    });
  }
});

// ---------------------------------------------------------------- the two CLIs
const haveCli = haveHost && existsSync(cliComposed);
type Cli = { label: string; cmd: string; args: (a: string[]) => string[]; usageExit: number; available: boolean };
const clis: Cli[] = [
  { label: 'npx wasi-connect (Node)', cmd: process.execPath, args: (a) => [nodeBin, ...a], usageExit: 2, available: true },
  {
    label: 'wasi-connect-cli.wasm (composed) on the test host (wasmtime-wasi 48)',
    cmd: hostBin,
    args: (a) => ['run', cliComposed, '--dir', tmpdir(), '--', ...a],
    usageExit: 1,
    available: haveCli,
  },
  {
    label: 'wasi-connect-cli.wasm (composed) on `wasmtime run` (the wasmtime CLI)',
    cmd: wasmtimeCli,
    args: (a) => ['run', '-S', 'inherit-network', '-S', 'allow-ip-name-lookup', '--dir', tmpdir(), cliComposed, ...a],
    usageExit: 1,
    available: haveCli && existsSync(wasmtimeCli),
  },
];

/** A server on loopback that plays one scripted conversation: (sock, log) => void. */
function scriptedServer(script: (sock: net.Socket, log: Buffer[]) => void) {
  const log: Buffer[] = [];
  return new Promise<{ port: number; log: Buffer[]; close: () => void }>((resolve) => {
    const s = net.createServer((sock) => {
      sock.on('error', () => {});
      sock.on('data', (d) => log.push(d));
      script(sock, log);
    });
    s.listen(0, '127.0.0.1', () => resolve({ port: (s.address() as net.AddressInfo).port, log, close: () => s.close() }));
  });
}

/** Resolves when the log holds `text` (checked on every data event; bounded by the test). */
const logged = (sock: net.Socket, log: Buffer[], text: string) =>
  new Promise<void>((resolve) => {
    const check = () => Buffer.concat(log).toString('latin1').includes(text) && (sock.off('data', check), resolve());
    sock.on('data', check);
    check();
  });

for (const cli of clis) {
  describe.skipIf(!cli.available)(`CLI: ${cli.label}`, () => {
    it('echo with --half-close: stdin to the socket, the socket to stdout, a summary line on stderr, exit 0', async () => {
      const r = await run(cli.cmd, cli.args([`127.0.0.1:${peer.ports.echo}`, '--half-close']), { input: 'hello\nworld\n' });
      expect(r.stdout.toString()).toBe('hello\nworld\n');
      expect(r.stderr).toMatch(new RegExp(`^wasi-connect: connected to 127\\.0\\.0\\.1:${peer.ports.echo} from 127\\.0\\.0\\.1:\\d+\\n$`));
      expect(r.code).toBe(0);
    });

    it('1 MiB of random bytes goes through intact ([::1] literal)', async () => {
      const data = randomBytes(1 << 20);
      const r = await run(cli.cmd, cli.args([`[::1]:${peer.ports.echo6}`, '--half-close', '-q']), { input: data });
      expect(r.stderr).toBe('');
      expect(r.stdout.equals(data)).toBe(true);
      expect(r.code).toBe(0);
    });

    it('without --half-close the peer\'s FIN ends the run (stdin still open), exit 0', async () => {
      const r = await run(cli.cmd, cli.args([`localhost:${peer.ports.fin}`, '-q']), { keepStdinOpen: true });
      expect(r.stdout.toString()).toBe('bye');
      expect(r.code).toBe(0);
    });

    it('a refused connection: SocketError CONNECTION_REFUSED on stderr, exit 1', async () => {
      const r = await run(cli.cmd, cli.args([`127.0.0.1:${peer.ports.refused}`]));
      expect(r.stderr).toMatch(/^wasi-connect: SocketError CONNECTION_REFUSED: /);
      expect(r.code).toBe(1);
    });

    it('a peer reset: SocketError CONNECTION_RESET, exit 1', async () => {
      const r = await run(cli.cmd, cli.args([`127.0.0.1:${peer.ports.rst}`, '-q']), { input: 'x', keepStdinOpen: true });
      expect(r.stderr).toMatch(/SocketError CONNECTION_RESET: /);
      expect(r.code).toBe(1);
    });

    it('an unresolvable name: SocketError NAME_UNRESOLVABLE, exit 1', async () => {
      const r = await run(cli.cmd, cli.args(['no-such-host.invalid:80']));
      expect(r.stderr).toMatch(/SocketError NAME_UNRESOLVABLE: /);
      expect(r.code).toBe(1);
    });

    it(`usage errors print the usage and exit ${cli.usageExit}`, async () => {
      for (const a of [[], ['--bogus', 'h:1'], ['h:1', '--sni', 'x'], ['h:1', '--starttls', 'ftp'], ['h:1', '--tls', '--starttls', 'smtp']]) {
        const r = await run(cli.cmd, cli.args(a));
        expect(r.stderr, a.join(' ')).toMatch(/usage: wasi-connect HOST:PORT/);
        expect(r.code, a.join(' ')).toBe(cli.usageExit);
      }
      const bad = await run(cli.cmd, cli.args(['localhost']));
      expect(bad.stderr).toMatch(/SocketError INVALID_ADDRESS/);
      expect(bad.code).toBe(cli.usageExit);
    });

    it('--ca with a file that does not exist is refused before connecting', async () => {
      const r = await run(cli.cmd, cli.args([`127.0.0.1:${peer.ports.echo}`, '--tls', '--ca', join(tmpdir(), 'no-such-ca.pem')]));
      expect(r.stderr).toMatch(/--ca .*no-such-ca\.pem/);
      expect(r.code).toBe(cli.usageExit);
    });

    it('--starttls postgres sends the SSLRequest and reports a server that answers N', async () => {
      const srv = await scriptedServer((sock, log) => {
        logged(sock, log, '\x04\xd2\x16\x2f').then(() => sock.write('N'));
      });
      try {
        const r = await run(cli.cmd, cli.args([`127.0.0.1:${srv.port}`, '--starttls', 'postgres']), { keepStdinOpen: true });
        expect(Buffer.concat(srv.log).equals(Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]))).toBe(true);
        expect(r.stderr).toMatch(/does not accept SSL \(answered N\)/);
        expect(r.code).toBe(1);
      } finally {
        srv.close();
      }
    });

    it('--starttls smtp: greeting, EHLO, STARTTLS; a refusal is reported', async () => {
      const srv = await scriptedServer((sock, log) => {
        sock.write('220-mail.test ESMTP\r\n220 ready\r\n');
        logged(sock, log, 'EHLO wasi-connect\r\n').then(() => {
          sock.write('250-mail.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n');
          return logged(sock, log, 'STARTTLS\r\n');
        }).then(() => sock.write('454 4.7.0 TLS not available now\r\n'));
      });
      try {
        const r = await run(cli.cmd, cli.args([`127.0.0.1:${srv.port}`, '--starttls', 'smtp']), { keepStdinOpen: true });
        expect(Buffer.concat(srv.log).toString()).toBe('EHLO wasi-connect\r\nSTARTTLS\r\n');
        expect(r.stderr).toMatch(/STARTTLS \(smtp\): STARTTLS: 454 4\.7\.0 TLS not available now/);
        expect(r.code).toBe(1);
      } finally {
        srv.close();
      }
    });

    it('--starttls imap: greeting, a001 STARTTLS; a refusal is reported', async () => {
      const srv = await scriptedServer((sock, log) => {
        sock.write('* OK IMAP4rev1 ready\r\n');
        logged(sock, log, 'a001 STARTTLS\r\n').then(() => sock.write('* BYE maybe\r\na001 NO not today\r\n'));
      });
      try {
        const r = await run(cli.cmd, cli.args([`127.0.0.1:${srv.port}`, '--starttls', 'imap']), { keepStdinOpen: true });
        expect(Buffer.concat(srv.log).toString()).toBe('a001 STARTTLS\r\n');
        expect(r.stderr).toMatch(/STARTTLS \(imap\): a001 NO not today/);
        expect(r.code).toBe(1);
      } finally {
        srv.close();
      }
    });

    it('--tls: a verified handshake to openssl s_server prints version, suite, group and chain', async () => {
      const tls = await getTls();
      {
        const r = await run(cli.cmd, cli.args([`localhost:${tls.goodPort}`, '--tls', '--ca', tls.caFile, '--half-close']), { input: 'hello tls\n' });
        expect(r.stdout.toString()).toBe('slt olleh\n');
        expect(r.stderr).toMatch(/; TLSv1\.3 TLS_\w+ \w+ verified; chain: .*wasi-connect test CA/);
        expect(r.code).toBe(0);
        const bad = await run(cli.cmd, cli.args([`localhost:${tls.untrustedPort}`, '--tls', '--ca', tls.caFile]));
        expect(bad.stderr).toMatch(/SocketError TLS_CERTIFICATE_UNTRUSTED/);
        expect(bad.code).toBe(1);
      }
    });
  });
}

describe('CLI: --insecure and --alpn', () => {
  for (const cli of clis) {
    it.skipIf(!cli.available)(`${cli.label}: --insecure accepts an untrusted server and says so; --alpn shows the protocol chosen`, async () => {
      const tls = await getTls();
      const r = await run(cli.cmd, cli.args([`localhost:${tls.untrustedPort}`, '--tls', '--insecure', '--half-close']), { input: 'abc\n' });
      expect(r.stdout.toString()).toBe('cba\n');
      expect(r.stderr).toMatch(/; TLSv1\.3 TLS_\w+ \w+ NOT verified/);
      expect(r.code).toBe(0);
      const a = await run(cli.cmd, cli.args([`localhost:${tls.alpnPort}`, '--tls', '--ca', tls.caFile, '--alpn', 'h2,http/1.1', '--sni', 'localhost', '--half-close']), { input: 'abc\n' });
      expect(a.stderr).toMatch(/ alpn=http\/1\.1 verified/);
      expect(a.stdout.toString()).toBe('cba\n');
      expect(a.code).toBe(0);
    });
  }
});

describe('CLI: --starttls postgres, then TLS (a node:tls session on the upgraded connection)', () => {
  for (const cli of clis) {
    it.skipIf(!cli.available)(cli.label, async () => {
      const tls = await getTls();
      const secureContext = createSecureContext({ key: readFileSync(tls.serverKey), cert: readFileSync(tls.serverCert) });
      const server = net.createServer((sock) => {
        sock.on('error', () => {});
        sock.once('readable', () => {
          const req = sock.read(8);
          if (!req || !req.equals(Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]))) return sock.destroy();
          sock.write('S');
          const t = new TLSSocket(sock, { isServer: true, secureContext });
          t.on('error', () => {});
          t.on('data', (d) => t.write(d));
          t.on('end', () => t.end());
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      try {
        const port = (server.address() as net.AddressInfo).port;
        const r = await run(cli.cmd, cli.args([`localhost:${port}`, '--starttls', 'postgres', '--ca', tls.caFile, '--half-close']), { input: 'over tls\n' });
        expect(r.stderr).toMatch(/; TLSv1\.[23] TLS_\w+ \w+ verified/);
        expect(r.stdout.toString()).toBe('over tls\n');
        expect(r.code).toBe(0);
      } finally {
        server.close();
      }
    });
  }
});

describe.skipIf(!haveCli)('composition', () => {
  it('wasi-connect-cli.wasm embeds the shipped component byte for byte', () => {
    const shipped = readFileSync(component);
    const composed = readFileSync(cliComposed);
    expect(composed.indexOf(shipped)).toBeGreaterThan(0);
  });
});
