// startTls() per the spec: only for secureTransport "starttls", only once; the new socket's
// `opened` resolves after a verified handshake over the same connection; the original becomes
// `upgraded`, its streams end and its `closed` resolves; bytes written before the upgrade go out
// first in plaintext; bytes after it are read only as TLS. The server speaks a small plaintext
// protocol ("STARTTLS\n" -> "OK\n"), then wraps the same TCP socket in TLS (as SMTP, IMAP and
// PostgreSQL servers do).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import net from 'node:net';
import tls from 'node:tls';
import { connect, SocketError, type Socket } from 'wasi-connect';
import { makePki, type Pki } from '../helpers/pki.js';
import { readLine } from '../helpers/tls-client.js';

const enc = new TextEncoder();
let pki: Pki;
let server: net.Server;
let port = 0;
/** What each connection's plaintext phase received before STARTTLS, and what came over TLS. */
const log: { plain: string; secure: string; servername: string | false | null; alpn: string | false | null }[] = [];

beforeAll(async () => {
  pki = makePki([
    { id: 'root', subject: 'starttls root', key: 'p256', ca: {} },
    { id: 'leaf', subject: 'localhost', issuer: 'root', key: 'p256', san: ['DNS:localhost', 'DNS:mail.test', 'IP:127.0.0.1'], eku: ['serverAuth'] },
  ]);
  const context = tls.createSecureContext({ cert: pki.pem('leaf'), key: pki.get('leaf').keyPem, minVersion: 'TLSv1.3' });
  server = net.createServer((sock) => {
    const entry = { plain: '', secure: '', servername: null as string | false | null, alpn: null as string | false | null };
    log.push(entry);
    sock.on('error', () => {});
    const onData = (d: Buffer) => {
      entry.plain += d.toString('latin1');
      if (!entry.plain.includes('STARTTLS\n')) return;
      sock.off('data', onData);
      sock.pause();
      sock.write('OK\n', () => {
        const t = new tls.TLSSocket(sock, { isServer: true, secureContext: context, ALPNProtocols: ['imap', 'smtp'] });
        t.on('error', () => {});
        t.on('secure', () => {
          entry.servername = t.servername ?? false;
          entry.alpn = t.alpnProtocol;
        });
        t.on('data', (x) => {
          entry.secure += x.toString('latin1');
          t.write(x.toString('latin1').toUpperCase());
        });
        t.on('end', () => t.end());
      });
    };
    sock.on('data', onData);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as net.AddressInfo).port;
}, 60_000);
afterAll(() => new Promise((r) => server.close(r)));

async function roundTrip(s: Socket): Promise<void> {
  const w = s.writable.getWriter();
  await w.write(enc.encode('ping\n'));
  w.releaseLock();
  expect(await readLine(s)).toBe('PING\n');
}

async function plaintextPhase(s: Socket): Promise<void> {
  const w = s.writable.getWriter();
  await w.write(enc.encode('HELLO plaintext\nSTARTTLS\n'));
  w.releaseLock();
  expect(await readLine(s)).toBe('OK\n');
}

describe('startTls()', () => {
  it('upgrades: new socket verified over the same connection; the original is upgraded, its streams end and closed resolves', async () => {
    const p = connect(`localhost:${port}`, { secureTransport: 'starttls', ca: pki.pem('root') });
    const plainInfo = await p.opened;
    expect(plainInfo.tls).toBeUndefined();
    await plaintextPhase(p);
    const reader = p.readable.getReader();
    const pending = reader.read(); // a read waiting on the plaintext socket when it is upgraded
    const t = p.startTls();
    expect(p.upgraded).toBe(true);
    expect(t.upgraded).toBe(false);
    expect(t.secureTransport).toBe('on');
    await expect(p.closed).resolves.toBeUndefined();
    expect(await pending).toEqual({ done: true, value: undefined }); // no TLS byte is read as plaintext
    const info = await t.opened;
    expect(info.tls).toMatchObject({ version: 'TLSv1.3', verified: true });
    expect(info.remoteAddress).toBe(plainInfo.remoteAddress);
    expect(info.localAddress).toBe(plainInfo.localAddress); // the same TCP connection
    const w = t.writable.getWriter();
    await w.write(enc.encode('secret over tls\n'));
    expect(await readLine(t)).toBe('SECRET OVER TLS\n');
    const entry = log.at(-1)!;
    expect(entry.plain).toBe('HELLO plaintext\nSTARTTLS\n');
    expect(entry.secure).toBe('secret over tls\n');
    expect(entry.servername).toBe('localhost');
    // the original's writable is done
    await expect(p.writable.getWriter().write(enc.encode('x'))).rejects.toBeInstanceOf(SocketError);
    await t.close();
  });

  it('startTls() with no argument uses connect()\'s sni and alpn; options override them (expectedServerHostname, servername, ALPNProtocols)', async () => {
    const p = connect(`127.0.0.1:${port}`, { secureTransport: 'starttls', ca: pki.pem('root'), sni: 'mail.test', alpn: ['smtp'] });
    await p.opened;
    await plaintextPhase(p);
    const t = p.startTls();
    expect((await t.opened).alpn).toBe('smtp');
    await roundTrip(t); // the server has finished its side of the handshake
    expect(log.at(-1)!.servername).toBe('mail.test');
    await t.close();

    for (const [opts, name] of [
      [{ expectedServerHostname: 'localhost', alpn: ['imap'] }, 'localhost'],
      [{ servername: 'mail.test', ALPNProtocols: ['imap'] }, 'mail.test'],
    ] as const) {
      const q = connect(`127.0.0.1:${port}`, { secureTransport: 'starttls', ca: pki.pem('root') });
      await q.opened;
      await plaintextPhase(q);
      const u = q.startTls(opts);
      expect((await u.opened).alpn).toBe('imap');
      await roundTrip(u);
      expect(log.at(-1)!.servername).toBe(name);
      await u.close();
    }
  });

  it('bytes written before the upgrade are sent first, in plaintext, even when not awaited', async () => {
    const p = connect(`localhost:${port}`, { secureTransport: 'starttls', ca: pki.pem('root') });
    const w = p.writable.getWriter();
    void w.write(enc.encode('HELLO plaintext\n'));
    void w.write(enc.encode('STARTTLS\n'));
    w.releaseLock();
    await p.opened;
    expect(await readLine(p)).toBe('OK\n');
    const t = p.startTls();
    await t.opened;
    expect(log.at(-1)!.plain).toBe('HELLO plaintext\nSTARTTLS\n');
    await t.close();
  });

  it('a certificate for another name fails the new socket (TLS_HOSTNAME_MISMATCH); the original stays upgraded and closed', async () => {
    const p = connect(`localhost:${port}`, { secureTransport: 'starttls', ca: pki.pem('root') });
    await p.opened;
    await plaintextPhase(p);
    const t = p.startTls({ expectedServerHostname: 'other.test' });
    await expect(t.opened).rejects.toMatchObject({ code: 'TLS_HOSTNAME_MISMATCH' });
    await expect(t.closed).rejects.toMatchObject({ code: 'TLS_HOSTNAME_MISMATCH' });
    expect(p.upgraded).toBe(true);
    await expect(p.closed).resolves.toBeUndefined();
  });

  it('is refused on "off" and "on" sockets, a second time, and with bad option values (SocketError, synchronously)', async () => {
    const off = connect(`localhost:${port}`);
    expect(() => off.startTls()).toThrow(expect.objectContaining({ code: 'STARTTLS_NOT_ALLOWED' }));
    await off.close();
    const p = connect(`localhost:${port}`, { secureTransport: 'starttls', ca: pki.pem('root') });
    expect(() => p.startTls({ expectedServerHostname: '' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => p.startTls({ ca: 'garbage' })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(() => p.startTls({ alpn: 'h2' as unknown as string[] })).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }));
    expect(p.upgraded).toBe(false); // a refused call changes nothing
    await p.opened;
    await plaintextPhase(p);
    const t = p.startTls();
    expect(() => p.startTls()).toThrow(expect.objectContaining({ code: 'STARTTLS_NOT_ALLOWED' }));
    expect(() => t.startTls()).toThrow(expect.objectContaining({ code: 'STARTTLS_NOT_ALLOWED' }));
    await t.opened;
    await t.close();
  });

  it('startTls() right after connect(), before the connection is open, upgrades once TCP is up', async () => {
    // an implicit-TLS server reached with "starttls" and upgraded at once
    const q = connect(`localhost:${(await implicitTls()).port}`, { secureTransport: 'starttls', ca: pki.pem('root') });
    const t = q.startTls();
    expect(q.upgraded).toBe(true);
    await expect(q.closed).resolves.toBeUndefined();
    expect((await t.opened).tls?.verified).toBe(true);
    const w = t.writable.getWriter();
    await w.write(enc.encode('echo\n'));
    expect(await readLine(t)).toBe('echo\n');
    await t.close();
  });
});

let implicit: tls.Server | null = null;
async function implicitTls(): Promise<{ port: number }> {
  if (!implicit) {
    implicit = tls.createServer({ cert: pki.pem('leaf'), key: pki.get('leaf').keyPem, minVersion: 'TLSv1.3' }, (s) => {
      s.on('error', () => {});
      s.pipe(s);
    });
    await new Promise<void>((r) => implicit!.listen(0, '127.0.0.1', () => r()));
  }
  return { port: (implicit.address() as net.AddressInfo).port };
}
afterAll(() => implicit?.close());
