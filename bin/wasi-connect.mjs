#!/usr/bin/env node
// wasi-connect HOST:PORT — stdin to the socket, the socket to stdout (in the spirit of ncat and
// openssl s_client), through this package's public connect(). `wasi-connect --help` says it all.
import { readFileSync } from 'node:fs';
import { connect, SocketError } from '../dist/src/index.js';

const USAGE = `usage: wasi-connect HOST:PORT [options]

  Connects to HOST:PORT ("[v6]:port" for IPv6), copies stdin to the connection and the
  connection to stdout. A one-line summary of the connection goes to stderr.

  --tls               TLS from the first byte
  --starttls PROTO    plaintext first, the protocol's upgrade to TLS, then TLS:
                      postgres | smtp | imap
  --sni NAME          the server name to send and to verify (default: HOST)
  --alpn LIST         ALPN protocols to offer, comma-separated (e.g. h2,http/1.1)
  --ca FILE           trust the PEM certificates in FILE instead of the built-in roots
  --insecure          do not verify the server's certificate chain or name
  --half-close        at the end of stdin, send FIN (over TLS: close_notify first) and go on
                      reading until the peer closes; without it, the end of stdin changes nothing
  -q, --quiet         no summary line
  -h, --help          this text

exit codes: 0  the peer closed the connection
            1  the connection failed (SocketError: connect, TLS, reset, ...); its code is printed
            2  usage error (bad option, malformed address, unreadable --ca file)
`;

export const EXIT_OK = 0;
export const EXIT_CONNECTION = 1;
export const EXIT_USAGE = 2;

class UsageError extends Error {}

/** Parses argv (without node and the script) into options; throws UsageError. */
export function parseArgs(argv) {
  const o = { target: null, tls: false, starttls: null, sni: null, alpn: [], ca: null, insecure: false, halfClose: false, quiet: false, help: false };
  const need = (i, flag) => {
    if (i + 1 >= argv.length) throw new UsageError(`${flag} needs a value`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    switch (a) {
      case '--tls': o.tls = true; break;
      case '--starttls': {
        const p = need(i++, a);
        if (!['postgres', 'smtp', 'imap'].includes(p)) throw new UsageError(`--starttls takes postgres, smtp or imap, not "${p}"`);
        o.starttls = p;
        break;
      }
      case '--sni': o.sni = need(i++, a); break;
      case '--alpn': o.alpn = need(i++, a).split(',').filter((s) => s.length > 0); break;
      case '--ca': o.ca = need(i++, a); break;
      case '--insecure': o.insecure = true; break;
      case '--half-close': o.halfClose = true; break;
      case '-q': case '--quiet': o.quiet = true; break;
      case '-h': case '--help': o.help = true; break;
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
        if (o.target !== null) throw new UsageError(`one HOST:PORT only (got "${o.target}" and "${a}")`);
        o.target = a;
    }
  }
  if (o.help) return o;
  if (o.target === null) throw new UsageError('HOST:PORT is missing');
  if (o.tls && o.starttls) throw new UsageError('--tls and --starttls exclude each other');
  const tlsOnly = [['--sni', o.sni !== null], ['--alpn', o.alpn.length > 0], ['--ca', o.ca !== null], ['--insecure', o.insecure]];
  for (const [flag, set] of tlsOnly) if (set && !o.tls && !o.starttls) throw new UsageError(`${flag} needs --tls or --starttls`);
  return o;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A line reader over a socket's reader that never reads past what the server sent. */
function lines(reader) {
  let buf = '';
  return async function next() {
    for (;;) {
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        const line = buf.slice(0, nl + 1);
        buf = buf.slice(nl + 1);
        return line.replace(/\r?\n$/, '');
      }
      const { value, done } = await reader.read();
      if (done) throw new SocketError('the server closed the connection during the STARTTLS exchange', 'CONNECTION_ABORTED');
      buf += dec.decode(value, { stream: true });
    }
  };
}

/** A multi-line SMTP reply ("250-..." lines, then "250 ..."): [code, lines]. */
async function smtpReply(next) {
  const all = [];
  for (;;) {
    const l = await next();
    all.push(l);
    if (/^\d{3} /.test(l) || /^\d{3}$/.test(l)) return [Number(l.slice(0, 3)), all];
    if (!/^\d{3}-/.test(l)) throw new SocketError(`unexpected SMTP line: ${l}`, 'IO_ERROR');
  }
}

/** The protocol's plaintext upgrade dance, on the reader and writer of a "starttls" socket. */
export async function starttlsDance(proto, reader, writer) {
  const fail = (msg) => {
    throw new SocketError(`STARTTLS (${proto}): ${msg}`, 'IO_ERROR');
  };
  if (proto === 'postgres') {
    // SSLRequest: length 8, code 80877103; the server answers one byte, S or N
    await writer.write(new Uint8Array([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]));
    const { value, done } = await reader.read();
    if (done || !value?.length) fail('the server closed the connection');
    if (value.length !== 1) fail('the server sent more than its one-byte answer');
    if (value[0] === 0x4e) fail('the server does not accept SSL (answered N)');
    if (value[0] !== 0x53) fail(`unexpected answer 0x${value[0].toString(16)}`);
    return;
  }
  const next = lines(reader);
  if (proto === 'smtp') {
    const [greet, g] = await smtpReply(next);
    if (greet !== 220) fail(`greeting: ${g.join(' / ')}`);
    await writer.write(enc.encode('EHLO wasi-connect\r\n'));
    const [ehlo, e] = await smtpReply(next);
    if (ehlo !== 250) fail(`EHLO: ${e.join(' / ')}`);
    if (!e.some((l) => /^250[- ]STARTTLS\b/i.test(l))) fail('the server does not offer STARTTLS');
    await writer.write(enc.encode('STARTTLS\r\n'));
    const [st, s] = await smtpReply(next);
    if (st !== 220) fail(`STARTTLS: ${s.join(' / ')}`);
    return;
  }
  if (proto === 'imap') {
    const greet = await next();
    if (!/^\* OK\b/i.test(greet)) fail(`greeting: ${greet}`);
    await writer.write(enc.encode('a001 STARTTLS\r\n'));
    for (;;) {
      const l = await next();
      if (l.startsWith('* ')) continue; // untagged lines
      if (/^a001 OK\b/i.test(l)) return;
      fail(l);
    }
  }
}

/** The one-line summary: addresses, and with TLS what was negotiated and whom it authenticated. */
export function summary(info) {
  let s = `connected to ${info.remoteAddress} from ${info.localAddress}`;
  const t = info.tls;
  if (t) {
    s += `; ${t.version} ${t.cipherSuite} ${t.group}`;
    s += info.alpn ? ` alpn=${info.alpn}` : '';
    s += t.resumed ? ' resumed' : '';
    s += t.verified ? ' verified' : ' NOT verified';
    if (t.chainSubjects?.length) s += `; chain: ${t.chainSubjects.join(' < ')}`;
  } else if (info.alpn) {
    s += ` alpn=${info.alpn}`;
  }
  return s;
}

/** A SocketError as one line: code and message. */
export function errorLine(e) {
  if (e instanceof SocketError) return `SocketError ${e.code}: ${e.message.replace(/^SocketError: /, '')}`;
  return String(e?.message ?? e);
}

async function main(argv, io) {
  let o;
  try {
    o = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.err(`wasi-connect: ${e.message}\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (o.help) {
    io.out(USAGE);
    return EXIT_OK;
  }
  let ca;
  if (o.ca !== null) {
    try {
      ca = readFileSync(o.ca, 'utf8');
    } catch (e) {
      io.err(`wasi-connect: --ca ${o.ca}: ${e.message}\n`);
      return EXIT_USAGE;
    }
  }
  const tlsOptions = {
    ...(o.sni !== null ? { sni: o.sni } : {}),
    ...(o.alpn.length ? { alpn: o.alpn } : {}),
    ...(ca !== undefined ? { ca } : {}),
    ...(o.insecure ? { rejectUnauthorized: false } : {}),
  };
  let socket;
  try {
    socket = connect(o.target, {
      secureTransport: o.tls ? 'on' : o.starttls ? 'starttls' : 'off',
      allowHalfOpen: o.halfClose,
      ...(o.tls ? tlsOptions : {}),
    });
  } catch (e) {
    if (e instanceof SocketError && (e.code === 'INVALID_ADDRESS' || e.code === 'INVALID_OPTION')) {
      io.err(`wasi-connect: ${errorLine(e)}\n`);
      return EXIT_USAGE;
    }
    throw e;
  }
  try {
    let info = await socket.opened;
    if (o.starttls) {
      const r = socket.readable.getReader();
      const w = socket.writable.getWriter();
      await starttlsDance(o.starttls, r, w);
      r.releaseLock();
      w.releaseLock();
      const hostname = o.target.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
      socket = socket.startTls({
        expectedServerHostname: o.sni ?? hostname,
        ...(o.sni !== null ? { servername: o.sni } : {}),
        ...(o.alpn.length ? { alpn: o.alpn } : {}),
        ...(ca !== undefined ? { ca } : {}),
        ...(o.insecure ? { rejectUnauthorized: false } : {}),
      });
      info = await socket.opened;
    }
    if (!o.quiet) io.err(`wasi-connect: ${summary(info)}\n`);
    await pump(socket, o, io);
    return EXIT_OK;
  } catch (e) {
    io.err(`wasi-connect: ${errorLine(e)}\n`);
    socket.close().catch(() => {});
    return EXIT_CONNECTION;
  }
}

/** stdin -> socket and socket -> stdout until the peer closes (or fails). */
async function pump(socket, o, io) {
  const writer = socket.writable.getWriter();
  let stdinDone = false;
  const toSocket = (async () => {
    for await (const chunk of io.stdin) {
      await writer.write(chunk);
    }
    stdinDone = true;
    if (o.halfClose) await writer.close();
  })();
  toSocket.catch(() => {}); // a failure shows on the readable side too
  const reader = socket.readable.getReader();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    await io.write(value);
  }
  if (!stdinDone) io.stdin.destroy?.();
  await socket.close();
}

{
  const io = {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    stdin: process.stdin,
    write: (b) => new Promise((resolve, reject) => {
      process.stdout.write(b, (e) => (e ? reject(e) : resolve()));
    }),
  };
  const code = await main(process.argv.slice(2), io);
  // stdout may be a pipe: let it drain before leaving
  process.stdout.write('', () => process.exit(code));
}
