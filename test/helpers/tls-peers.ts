// Real TLS peers on loopback for the tests: `openssl s_server`, `gnutls-serv` and node:tls.
// Each start function resolves once the server is listening (read from its own output, never a
// sleep) and gives its port; stop() kills it.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';

export interface ProcessPeer {
  port: number;
  proc: ChildProcess;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  /** Resolves when the output contains `text` (or rejects after `ms`). */
  waitFor(text: string | RegExp, ms?: number): Promise<void>;
  /** Writes a line to the server's stdin (openssl: 'k' / 'K' send a KeyUpdate; other lines go to the client). */
  send(line: string): void;
  stop(): Promise<void>;
}

function watch(proc: ChildProcess): Pick<ProcessPeer, 'output' | 'waitFor' | 'send' | 'stop'> & { onOutput(f: () => void): void } {
  let out = '';
  const listeners = new Set<() => void>();
  const add = (d: Buffer) => {
    out += d.toString('latin1');
    for (const l of [...listeners]) l();
  };
  proc.stdout!.on('data', add);
  proc.stderr!.on('data', add);
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  return {
    output: () => out,
    onOutput: (f) => listeners.add(f),
    waitFor(text, ms = 10_000) {
      const hit = () => (typeof text === 'string' ? out.includes(text) : text.test(out));
      if (hit()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`server output never contained ${text}; it printed:\n${out.slice(-2000)}`));
        }, ms);
        const check = () => {
          if (!hit()) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
        proc.once('exit', () => check());
      });
    },
    send(line) {
      proc.stdin!.write(line + '\n');
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
}

export interface OpensslOptions {
  cert: string;
  key: string;
  /** Extra certificates the server sends after its own (a PEM file). */
  chain?: string;
  /** 'rev' echoes each line reversed, 'www' serves a status page, 'plain' (default) relays stdin/stdout. */
  mode?: 'rev' | 'www' | 'plain';
  /** Default ['-tls1_3']. */
  version?: string[];
  args?: string[];
}

/** `openssl s_server` on 127.0.0.1 with an ephemeral port (it prints "ACCEPT 127.0.0.1:<port>"). */
export async function opensslServer(o: OpensslOptions): Promise<ProcessPeer> {
  const args = ['s_server', '-accept', '127.0.0.1:0', '-cert', o.cert, '-key', o.key, ...(o.version ?? ['-tls1_3']), '-naccept', '1000'];
  if (o.chain) args.push('-cert_chain', o.chain);
  if (o.mode === 'rev') args.push('-rev');
  if (o.mode === 'www') args.push('-www');
  args.push(...(o.args ?? []));
  // line-buffered stdout (stdbuf), so what the server prints arrives when it happens
  const proc = spawn('stdbuf', ['-oL', '-eL', 'openssl', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const w = watch(proc);
  await w.waitFor(/ACCEPT 127\.0\.0\.1:\d+/);
  const port = Number(/ACCEPT 127\.0\.0\.1:(\d+)/.exec(w.output())![1]);
  return { port, proc, ...w };
}

/** A free TCP port on 127.0.0.1 (for servers that cannot report an ephemeral one). */
export async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as net.AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

export interface GnutlsOptions {
  cert: string;
  key: string;
  /** A GnuTLS priority string, e.g. 'NORMAL:-VERS-ALL:+VERS-TLS1.3'. */
  priority: string;
  args?: string[];
}

/**
 * `gnutls-serv --echo`. It cannot bind to one address or report an ephemeral port, so it gets a
 * free port and listens on all interfaces; the tests only ever connect over loopback.
 */
export async function gnutlsServer(o: GnutlsOptions): Promise<ProcessPeer> {
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const proc = spawn('gnutls-serv', ['--echo', '-p', String(port), '--x509certfile', o.cert, '--x509keyfile', o.key, '--priority', o.priority, ...(o.args ?? [])], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const w = watch(proc);
    try {
      await w.waitFor(/listening on IPv4[^\n]*done/);
      return { port, proc, ...w };
    } catch (e) {
      await w.stop();
      if (attempt >= 2) throw e; // the port was taken between freePort() and the bind: try another
    }
  }
}

export interface NodeTlsPeer {
  port: number;
  server: tls.Server;
  /** Sockets that completed a handshake, with what the server saw. */
  sessions: { servername: string | false; alpn: string | false | null; bytes: number; socket: tls.TLSSocket }[];
  /** Handshakes that failed on the server's side (e.g. our alert). */
  clientErrors: Error[];
  stop(): Promise<void>;
}

/** A node:tls echo server on 127.0.0.1 (every byte received is sent back). */
export async function nodeTlsServer(options: tls.TlsOptions, onSocket?: (s: tls.TLSSocket) => void): Promise<NodeTlsPeer> {
  const sessions: NodeTlsPeer['sessions'] = [];
  const clientErrors: Error[] = [];
  const sockets = new Set<tls.TLSSocket>();
  const server = tls.createServer(options, (s) => {
    sockets.add(s);
    const entry = { servername: s.servername ?? false, alpn: s.alpnProtocol ?? null, bytes: 0, socket: s };
    sessions.push(entry);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
    if (onSocket) return onSocket(s);
    s.on('data', (d) => {
      entry.bytes += d.length;
      s.write(d);
    });
    s.on('end', () => s.end());
  });
  server.on('tlsClientError', (e) => clientErrors.push(e));
  const connections = new Set<net.Socket>();
  server.on('connection', (c: net.Socket) => {
    connections.add(c);
    c.on('close', () => connections.delete(c));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    port: (server.address() as net.AddressInfo).port,
    server,
    sessions,
    clientErrors,
    async stop() {
      for (const s of sockets) s.destroy();
      for (const c of connections) c.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

export const readText = (path: string): string => readFileSync(path, 'utf8');
