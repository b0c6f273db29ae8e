// wasi-connect as a WASI 0.2 command: `wasmtime run -S inherit-network -S allow-ip-name-lookup
// wasi-connect-cli.wasm HOST:PORT [options]`. stdin goes to the socket, the socket to stdout; a
// summary line and errors go to stderr. The same options as the npm package's `wasi-connect` bin.
//
// This is the top-level program, so it is the one that waits: on `wasi:io/poll.poll` over the
// pollables the sockets component hands out (the component itself never blocks).
import "../../assembly/abi/abort";
import {
  SocketError, TlsOptions, TlsInfo, lastError, connect, startTls, parseAddress, parsedHost, parsedPort,
  pollOpen, openPollables, remoteAddress, localAddress, negotiatedAlpn, OPEN_PENDING, OPEN_OPENED,
  read, readPtr, readLen, READ_DATA, READ_WOULD_BLOCK, READ_EOF, write, flush, shutdownWrite,
  subscribeRead, subscribeWrite, bufferedAmount, socketClose, socketDrop, tlsInfo,
  SECURE_OFF, SECURE_ON, SECURE_STARTTLS,
  poll, pollableDrop, streamRead, streamWriteAll, inputSubscribe, inputDrop, outputDrop,
  STREAM_OK, getArguments, getStdin, getStdout, getStderr, readFile, fileError,
} from "./imports";
import { abiFree } from "../../assembly/abi/memory";

export { cabiRealloc as cabi_realloc } from "../../assembly/abi/memory";

const USAGE = `usage: wasi-connect HOST:PORT [options]

  Connects to HOST:PORT ("[v6]:port" for IPv6), copies stdin to the connection and the
  connection to stdout. A one-line summary of the connection goes to stderr.

  --tls               TLS from the first byte
  --starttls PROTO    plaintext first, the protocol's upgrade to TLS, then TLS:
                      postgres | smtp | imap
  --sni NAME          the server name to send and to verify (default: HOST)
  --alpn LIST         ALPN protocols to offer, comma-separated (e.g. h2,http/1.1)
  --ca FILE           trust the PEM certificates in FILE instead of the built-in roots
                      (FILE must be under a directory given to the host, e.g. wasmtime run --dir .)
  --insecure          do not verify the server's certificate chain or name
  --half-close        at the end of stdin, send FIN (over TLS: close_notify first) and go on
                      reading until the peer closes; without it, the end of stdin changes nothing
  -q, --quiet         no summary line
  -h, --help          this text

exit status: 0 the peer closed the connection; 1 anything else (WASI 0.2.0's exit carries only
success or failure: the npm bin's distinct usage code 2 is 1 here)
`;

let stderr: i32 = -1;
let stdout: i32 = -1;

function say(s: string): void {
  const b = String.UTF8.encode(s);
  streamWriteAll(stderr, changetype<usize>(b), b.byteLength);
}

class Options {
  target: string | null = null;
  tls: bool = false;
  starttls: string | null = null;
  sni: string | null = null;
  alpn: string[] = [];
  ca: string | null = null;
  insecure: bool = false;
  halfClose: bool = false;
  quiet: bool = false;
  help: bool = false;
  error: string | null = null;
}

function parseArgs(argv: string[]): Options {
  const o = new Options();
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i];
    const takesValue = a == "--starttls" || a == "--sni" || a == "--alpn" || a == "--ca";
    if (takesValue && i + 1 >= argv.length) { o.error = a + " needs a value"; return o; }
    if (a == "--tls") o.tls = true;
    else if (a == "--starttls") {
      const p = argv[++i];
      if (p != "postgres" && p != "smtp" && p != "imap") { o.error = "--starttls takes postgres, smtp or imap, not \"" + p + "\""; return o; }
      o.starttls = p;
    } else if (a == "--sni") o.sni = argv[++i];
    else if (a == "--alpn") {
      const parts = argv[++i].split(",");
      for (let k = 0; k < parts.length; k++) if (parts[k].length > 0) o.alpn.push(parts[k]);
    } else if (a == "--ca") o.ca = argv[++i];
    else if (a == "--insecure") o.insecure = true;
    else if (a == "--half-close") o.halfClose = true;
    else if (a == "-q" || a == "--quiet") o.quiet = true;
    else if (a == "-h" || a == "--help") o.help = true;
    else if (a.startsWith("-")) { o.error = "unknown option " + a; return o; }
    else if (o.target != null) { o.error = "one HOST:PORT only"; return o; }
    else o.target = a;
  }
  if (o.help) return o;
  if (o.target == null) { o.error = "HOST:PORT is missing"; return o; }
  if (o.tls && o.starttls != null) { o.error = "--tls and --starttls exclude each other"; return o; }
  const tlsAsked = o.tls || o.starttls != null;
  if (!tlsAsked && (o.sni != null || o.alpn.length > 0 || o.ca != null || o.insecure)) {
    o.error = "--sni, --alpn, --ca and --insecure need --tls or --starttls";
  }
  return o;
}

/** Waits until poll-open settles: true when open; on failure lastError says why. */
function waitOpen(sock: i32): bool {
  for (;;) {
    const st = pollOpen(sock);
    if (st == OPEN_OPENED) return true;
    if (st != OPEN_PENDING) return false;
    const ps = openPollables;
    poll(ps);
    for (let i = 0; i < ps.length; i++) pollableDrop(ps[i]);
  }
  return false; // not reached
}

// ---------------------------------------------------------------- STARTTLS dances (plaintext)
let failure: string = "";
let lineBuf: string = "";

/** Reads whatever has arrived, waiting for it; null at end of input or on failure (failure set). */
function readSome(sock: i32): Uint8Array | null {
  for (;;) {
    const r = read(sock, 16384);
    if (r == READ_DATA) {
      const b = new Uint8Array(readLen);
      memory.copy(b.dataStart, readPtr, <usize>readLen);
      abiFree(readPtr, <usize>readLen);
      return b;
    }
    if (r == READ_WOULD_BLOCK) {
      const p = subscribeRead(sock);
      poll([p]);
      pollableDrop(p);
      continue;
    }
    failure = r == READ_EOF ? "SocketError CONNECTION_ABORTED: the server closed the connection during the STARTTLS exchange" : lastError.toString();
    return null;
  }
}

/** The next line (without CR LF), or null (failure set). Reads only what the server sent. */
function readLine(sock: i32): string | null {
  for (;;) {
    const nl = lineBuf.indexOf("\n");
    if (nl >= 0) {
      let line = lineBuf.substring(0, nl);
      lineBuf = lineBuf.substring(nl + 1);
      if (line.endsWith("\r")) line = line.substring(0, line.length - 1);
      return line;
    }
    const b = readSome(sock);
    if (b == null) return null;
    lineBuf += String.UTF8.decode(b.buffer);
  }
  return null; // not reached
}

function writeAll(sock: i32, b: Uint8Array): bool {
  let off = 0;
  while (off < b.length) {
    const n = write(sock, b.dataStart + <usize>off, b.length - off);
    if (n < 0) { failure = lastError.toString(); return false; }
    off += n;
    if (n == 0) {
      // the component's buffer is full: flush pushes it to the host, then wait for room
      const f = flush(sock);
      if (f < 0) { failure = lastError.toString(); return false; }
      if (f == 1) continue;
      const p = subscribeWrite(sock);
      poll([p]);
      pollableDrop(p);
    }
  }
  for (;;) {
    const f = flush(sock);
    if (f < 0) { failure = lastError.toString(); return false; }
    if (f == 1) return true;
    const p = subscribeWrite(sock);
    poll([p]);
    pollableDrop(p);
  }
  return false; // not reached
}

function writeText(sock: i32, s: string): bool {
  return writeAll(sock, Uint8Array.wrap(String.UTF8.encode(s)));
}

function isDigit(c: i32): bool { return c >= 48 && c <= 57; }

/** An SMTP reply: its code, with every line in `smtpLines`; -1 on failure. */
let smtpLines: string[] = [];
function smtpReply(sock: i32): i32 {
  smtpLines = [];
  for (;;) {
    const l = readLine(sock);
    if (l == null) return -1;
    smtpLines.push(l);
    if (l.length < 3 || !isDigit(l.charCodeAt(0)) || !isDigit(l.charCodeAt(1)) || !isDigit(l.charCodeAt(2))) {
      failure = "SocketError IO_ERROR: STARTTLS (smtp): unexpected line: " + l;
      return -1;
    }
    if (l.length == 3 || l.charAt(3) == " ") return I32.parseInt(l.substring(0, 3));
    if (l.charAt(3) != "-") { failure = "SocketError IO_ERROR: STARTTLS (smtp): unexpected line: " + l; return -1; }
  }
  return -1; // not reached
}

function dance(proto: string, sock: i32): bool {
  if (proto == "postgres") {
    // SSLRequest: length 8, code 80877103; one byte back, S or N
    const req = new Uint8Array(8);
    req[3] = 8; req[4] = 0x04; req[5] = 0xd2; req[6] = 0x16; req[7] = 0x2f;
    if (!writeAll(sock, req)) return false;
    const b = readSome(sock);
    if (b == null) return false;
    if (b.length != 1) { failure = "SocketError IO_ERROR: STARTTLS (postgres): the server sent more than its one-byte answer"; return false; }
    if (b[0] == 0x4e) { failure = "SocketError IO_ERROR: STARTTLS (postgres): the server does not accept SSL (answered N)"; return false; }
    if (b[0] != 0x53) { failure = "SocketError IO_ERROR: STARTTLS (postgres): unexpected answer 0x" + (<i32>b[0]).toString(16); return false; }
    return true;
  }
  if (proto == "smtp") {
    if (smtpReply(sock) != 220) { if (failure == "") failure = "SocketError IO_ERROR: STARTTLS (smtp): greeting: " + smtpLines.join(" / "); return false; }
    if (!writeText(sock, "EHLO wasi-connect\r\n")) return false;
    if (smtpReply(sock) != 250) { if (failure == "") failure = "SocketError IO_ERROR: STARTTLS (smtp): EHLO: " + smtpLines.join(" / "); return false; }
    let offered = false;
    for (let i = 0; i < smtpLines.length; i++) {
      if (smtpLines[i].length >= 12 && smtpLines[i].substring(4, 12).toUpperCase() == "STARTTLS") offered = true;
    }
    if (!offered) { failure = "SocketError IO_ERROR: STARTTLS (smtp): the server does not offer STARTTLS"; return false; }
    if (!writeText(sock, "STARTTLS\r\n")) return false;
    if (smtpReply(sock) != 220) { if (failure == "") failure = "SocketError IO_ERROR: STARTTLS (smtp): STARTTLS: " + smtpLines.join(" / "); return false; }
    return true;
  }
  // imap
  const greet = readLine(sock);
  if (greet == null) return false;
  if (!greet.toUpperCase().startsWith("* OK")) { failure = "SocketError IO_ERROR: STARTTLS (imap): greeting: " + greet; return false; }
  if (!writeText(sock, "a001 STARTTLS\r\n")) return false;
  for (;;) {
    const l = readLine(sock);
    if (l == null) return false;
    if (l.startsWith("* ")) continue;
    if (l.toUpperCase().startsWith("A001 OK")) return true;
    failure = "SocketError IO_ERROR: STARTTLS (imap): " + l;
    return false;
  }
}

// ---------------------------------------------------------------- the summary line
function summary(t: TlsInfo | null): string {
  let s = "connected to " + remoteAddress + " from " + localAddress;
  const alpn = negotiatedAlpn;
  if (t != null) {
    s += "; " + t.version + " " + t.cipherSuite + " " + t.group;
    if (alpn != null) s += " alpn=" + alpn;
    if (t.resumed) s += " resumed";
    s += t.verified ? " verified" : " NOT verified";
    if (t.chainSubjects.length > 0) s += "; chain: " + t.chainSubjects.join(" < ");
  } else if (alpn != null) {
    s += " alpn=" + alpn;
  }
  return s;
}

// ---------------------------------------------------------------- stdin <-> socket
/** Copies until the peer closes: 0, or 1 after printing the error. */
function pump(sock: i32, halfClose: bool): i32 {
  const stdin = getStdin();
  const rp = subscribeRead(sock);
  const wp = subscribeWrite(sock);
  const ip = inputSubscribe(stdin);
  let stdinOpen = true;
  let pending: Uint8Array | null = null;
  let pendingOff = 0;
  let needFlush = false;
  let status = -1;
  while (status < 0) {
    let progress = false;
    // socket -> stdout
    const r = read(sock, 65536);
    if (r == READ_DATA) {
      const ok = streamWriteAll(stdout, readPtr, readLen);
      abiFree(readPtr, <usize>readLen);
      if (!ok) { say("wasi-connect: stdout is closed\n"); status = 1; break; }
      progress = true;
    } else if (r == READ_EOF) {
      status = 0;
      break;
    } else if (r != READ_WOULD_BLOCK) {
      say("wasi-connect: " + lastError.toString() + "\n");
      status = 1;
      break;
    }
    // stdin -> socket
    if (pending != null) {
      const p = <Uint8Array>pending;
      const n = write(sock, p.dataStart + <usize>pendingOff, p.length - pendingOff);
      if (n < 0) { say("wasi-connect: " + lastError.toString() + "\n"); status = 1; break; }
      pendingOff += n;
      if (pendingOff == p.length) pending = null;
      if (n > 0) { progress = true; needFlush = true; }
    } else if (stdinOpen) {
      if (streamRead(stdin, 65536) == STREAM_OK) {
        if (readLen > 0) {
          const b = new Uint8Array(readLen);
          memory.copy(b.dataStart, readPtr, <usize>readLen);
          pending = b;
          pendingOff = 0;
          progress = true;
        }
        abiFree(readPtr, <usize>readLen);
      } else {
        stdinOpen = false;
        progress = true;
        if (halfClose) {
          if (!shutdownWrite(sock)) { say("wasi-connect: " + lastError.toString() + "\n"); status = 1; break; }
          needFlush = true;
        }
      }
    }
    if (needFlush) {
      const f = flush(sock);
      if (f < 0) { say("wasi-connect: " + lastError.toString() + "\n"); status = 1; break; }
      if (f == 1) needFlush = false;
    }
    if (!progress) {
      const ps: i32[] = [rp];
      if (pending != null || needFlush || bufferedAmount(sock) > 0) ps.push(wp);
      if (stdinOpen && pending == null) ps.push(ip);
      poll(ps);
    }
  }
  // children before parents: the pollables go before the socket is closed
  pollableDrop(rp);
  pollableDrop(wp);
  pollableDrop(ip);
  inputDrop(stdin);
  return status;
}

function run(): i32 {
  stderr = getStderr();
  stdout = getStdout();
  const o = parseArgs(getArguments());
  if (o.help) {
    say(USAGE);
    return 0;
  }
  const err = o.error;
  if (err != null) {
    say("wasi-connect: " + err + "\n" + USAGE);
    return 1;
  }
  if (!parseAddress(o.target!)) {
    say("wasi-connect: " + lastError.toString() + "\n");
    return 1;
  }
  const tls = new TlsOptions();
  tls.serverName = o.sni;
  tls.alpn = o.alpn;
  tls.noVerify = o.insecure;
  const caPath = o.ca;
  if (caPath != null) {
    const bytes = readFile(caPath);
    if (bytes == null) {
      say("wasi-connect: --ca " + caPath + ": " + fileError + "\n");
      return 1;
    }
    tls.ca = bytes;
  }
  const secure = o.tls ? SECURE_ON : o.starttls != null ? SECURE_STARTTLS : SECURE_OFF;
  let sock = connect(parsedHost, parsedPort, secure, o.halfClose, tls, 0);
  if (sock < 0) {
    say("wasi-connect: " + lastError.toString() + "\n");
    return 1;
  }
  let plain = -1; // the plaintext socket of a STARTTLS connection, kept until the end
  let status = 1;
  if (!waitOpen(sock)) {
    say("wasi-connect: " + lastError.toString() + "\n");
  } else {
    let ok = true;
    const proto = o.starttls;
    if (proto != null) {
      if (!dance(proto, sock)) {
        say("wasi-connect: " + failure + "\n");
        ok = false;
      } else {
        if (tls.serverName == null) tls.serverName = parsedHost;
        const upgraded = startTls(sock, tls);
        if (upgraded < 0) {
          say("wasi-connect: " + lastError.toString() + "\n");
          ok = false;
        } else {
          plain = sock;
          sock = upgraded;
          if (!waitOpen(sock)) {
            say("wasi-connect: " + lastError.toString() + "\n");
            ok = false;
          }
        }
      }
    }
    if (ok) {
      if (!o.quiet) say("wasi-connect: " + summary(secure != SECURE_OFF ? tlsInfo(sock) : null) + "\n");
      status = pump(sock, o.halfClose);
    }
  }
  socketClose(sock);
  socketDrop(sock);
  if (plain >= 0) {
    socketClose(plain);
    socketDrop(plain);
  }
  return status;
}

/** wasi:cli/run@0.2.0#run: func() -> result (0 ok, 1 err). */
export function cli_run(): i32 {
  const status = run();
  outputDrop(stdout);
  outputDrop(stderr);
  return status == 0 ? 0 : 1;
}
