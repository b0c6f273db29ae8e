// The conformance cases: each proves one behaviour of the spec's connect()/Socket, using only
// connect(), web streams and node:net (for the peer's control port), so that the very same code
// runs on Node 20, Node 24, Deno 2, Bun 1, and on stock preview2-shim in a worker thread.
//
// ctx: { connect, SocketError, ports, control(cmd): Promise<any>, ipv6: boolean }
import net from 'node:net';
import { createHash } from 'node:crypto';

export class AssertionError extends Error {}
const assert = (cond, msg) => {
  if (!cond) throw new AssertionError(msg);
};
const eq = (a, b, msg) => {
  if (JSON.stringify(a) !== JSON.stringify(b)) {
    throw new AssertionError(`${msg}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
  }
};
const enc = (s) => new TextEncoder().encode(s);
const dec = (b) => new TextDecoder().decode(b);

/** Yields to the event loop n times (turns, not time): enough for a stalled pipeline to show it. */
async function turns(n) {
  for (let i = 0; i < n; i++) await new Promise((r) => setTimeout(r, 0));
}

/** The peer's log of this connection (by our local port), once it shows our FIN (or 200 tries). */
async function peerEventsAfterOurFin(ctx, localAddress) {
  const port = Number(localAddress.split(':').pop());
  let ev = [];
  for (let i = 0; i < 200; i++) {
    ev = await ctx.control(`events ${port}`);
    if (ev.includes('end')) break;
    await turns(1);
  }
  return ev;
}

async function readAll(readable) {
  const reader = readable.getReader();
  const parts = [];
  let n = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    parts.push(value);
    n += value.length;
  }
  reader.releaseLock();
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export async function readExactly(reader, n) {
  const out = new Uint8Array(n);
  let o = 0;
  while (o < n) {
    const { value, done } = await reader.read();
    if (done) throw new AssertionError(`stream ended after ${o} of ${n} bytes`);
    out.set(value.subarray(0, n - o), o);
    o += Math.min(value.length, n - o);
  }
  return out;
}

async function rejectsWith(promise, check, msg) {
  try {
    await promise;
  } catch (e) {
    check(e);
    return e;
  }
  throw new AssertionError(`${msg}: expected a rejection`);
}

/**
 * On a TLS echo socket: the write made before open (`early`, of `secret`) comes back, then 64 KiB
 * (pattern `seed`) intact, and `secret` never crossed the wire in the clear; closes the socket.
 */
async function echoesEncrypted(ctx, s, w, early, secret, seed) {
  await early;
  const reader = s.readable.getReader();
  eq(dec(await readExactly(reader, secret.length)), secret, 'early write echoed');
  const data = pattern(65536, seed);
  const got = readExactly(reader, data.length);
  await w.write(data);
  assert(equalBytes(await got, data), '64 KiB echoed intact');
  eq(await ctx.control(`tlswire ${secret}`), false, 'the secret never crossed the wire in the clear');
  await s.close();
}

function isSocketError(ctx, e, code) {
  assert(e instanceof ctx.SocketError, `expected a SocketError, got ${e}`);
  assert(e instanceof TypeError, 'a SocketError is a TypeError');
  assert(typeof e.message === 'string' && e.message.startsWith('SocketError: '), `message starts with "SocketError: ": ${e.message}`);
  if (code) eq(e.code, code, 'SocketError code');
}

function throwsSync(ctx, fn, code, what) {
  try {
    fn();
  } catch (e) {
    isSocketError(ctx, e, code);
    return;
  }
  throw new AssertionError(`${what}: expected connect() to throw synchronously`);
}

export const equalBytes = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

export const pattern = (n, seed = 0) => {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + seed) % 251;
  return b;
};

export const cases = [
  {
    name: 'opened resolves SocketInfo with host:port addresses (IPv4, "host:port" string)',
    async run(ctx) {
      const s = ctx.connect(`127.0.0.1:${ctx.ports.echo}`);
      const info = await s.opened;
      eq(info.remoteAddress, `127.0.0.1:${ctx.ports.echo}`, 'remoteAddress');
      assert(/^127\.0\.0\.1:\d+$/.test(info.localAddress), `localAddress ${info.localAddress}`);
      eq(info.alpn, null, 'alpn');
      await s.close();
    },
  },
  {
    name: 'IPv6: "[::1]:port", { hostname: "::1" } and { hostname: "[::1]" } all connect',
    async run(ctx) {
      if (!ctx.ports.echo6) throw new AssertionError('no IPv6 loopback on this machine');
      for (const address of [`[::1]:${ctx.ports.echo6}`, { hostname: '::1', port: ctx.ports.echo6 }, { hostname: '[::1]', port: ctx.ports.echo6 }]) {
        const s = ctx.connect(address);
        const info = await s.opened;
        eq(info.remoteAddress, `[::1]:${ctx.ports.echo6}`, 'remoteAddress');
        assert(/^\[::1\]:\d+$/.test(info.localAddress), `localAddress ${info.localAddress}`);
        await s.close();
      }
    },
  },
  {
    name: 'a hostname is resolved and each address tried in turn (localhost)',
    async run(ctx) {
      const s = ctx.connect({ hostname: 'localhost', port: ctx.ports.echo });
      const info = await s.opened;
      eq(info.remoteAddress, `127.0.0.1:${ctx.ports.echo}`, 'remoteAddress');
      await s.close();
    },
  },
  {
    name: 'echo of 64 KiB arrives intact',
    async run(ctx) {
      const s = ctx.connect(`127.0.0.1:${ctx.ports.echo}`);
      const data = pattern(65536);
      const w = s.writable.getWriter();
      const r = s.readable.getReader();
      const got = readExactly(r, data.length);
      await w.write(data);
      eq(Array.from(await got).every((v, i) => v === data[i]), true, 'bytes intact');
      await s.close();
    },
  },
  {
    name: 'writes made before the connection opens are sent after it opens',
    async run(ctx) {
      const s = ctx.connect(`127.0.0.1:${ctx.ports.echo}`);
      const w = s.writable.getWriter();
      const written = w.write(enc('early bird'));
      const r = s.readable.getReader();
      eq(dec(await readExactly(r, 10)), 'early bird', 'echoed');
      await written;
      await s.opened;
      await s.close();
    },
  },
  {
    name: 'readable is a byte stream: a BYOB reader fills the caller\'s buffer',
    async run(ctx) {
      const s = ctx.connect(`127.0.0.1:${ctx.ports.echo}`);
      const w = s.writable.getWriter();
      await w.write(enc('0123456789'));
      const r = s.readable.getReader({ mode: 'byob' });
      let got = '';
      let buf = new ArrayBuffer(4);
      while (got.length < 10) {
        const { value, done } = await r.read(new Uint8Array(buf, 0, 4));
        assert(!done, 'not done');
        assert(value.byteLength <= 4, 'BYOB read respects the view size');
        got += dec(value);
        buf = value.buffer;
      }
      eq(got, '0123456789', 'bytes');
      await s.close();
    },
  },
  {
    name: 'one 16 MiB write arrives intact while the peer echoes it back',
    async run(ctx) {
      const s = ctx.connect(`127.0.0.1:${ctx.ports.echo}`);
      const data = pattern(16 * 1024 * 1024, 3);
      const r = s.readable.getReader();
      const got = readExactly(r, data.length);
      await s.writable.getWriter().write(data);
      const back = await got;
      let same = back.length === data.length;
      for (let i = 0; same && i < data.length; i++) same = back[i] === data[i];
      assert(same, 'echoed bytes equal the written ones');
      await s.close();
    },
  },
  {
    name: 'writable accepts every BufferSource kind (ArrayBuffer, DataView, typed arrays, subarrays)',
    async run(ctx) {
      const s = ctx.connect(`127.0.0.1:${ctx.ports.echo}`);
      const w = s.writable.getWriter();
      const r = s.readable.getReader();
      const big = enc('xxABCxx');
      await w.write(enc('a').buffer);
      await w.write(new DataView(enc('b').buffer));
      await w.write(new Uint16Array([0x6463])); // "cd" little-endian
      await w.write(big.subarray(2, 5));
      eq(dec(await readExactly(r, 7)), 'abcdABC', 'bytes');
      await s.close();
    },
  },
  {
    name: 'a non-BufferSource chunk errors the writable with SocketError INVALID_CHUNK',
    async run(ctx) {
      const s = ctx.connect(`127.0.0.1:${ctx.ports.echo}`);
      const w = s.writable.getWriter();
      await rejectsWith(w.write({ not: 'bytes' }), (e) => isSocketError(ctx, e, 'INVALID_CHUNK'), 'write({})');
      // the socket itself is unharmed: reading still works
      await s.opened;
      await s.close();
    },
  },
  {
    name: 'opened resolves before the first bytes are readable (event order)',
    async run(ctx) {
      const s = ctx.connect(`127.0.0.1:${ctx.ports.greet}`);
      const order = [];
      const o = s.opened.then(() => order.push('opened'));
      const r = s.readable.getReader();
      const d = r.read().then(({ value }) => order.push(`data:${dec(value).trim()}`));
      await Promise.all([o, d]);
      eq(order, ['opened', 'data:hello'], 'order');
      await s.close();
    },
  },
  {
    name: 'a refused port rejects opened and closed with one SocketError (CONNECTION_REFUSED), erroring both streams',
    async run(ctx) {
      const s = ctx.connect(`127.0.0.1:${ctx.ports.refused}`);
      const e1 = await rejectsWith(s.opened, (e) => isSocketError(ctx, e, 'CONNECTION_REFUSED'), 'opened');
      const e2 = await rejectsWith(s.closed, () => {}, 'closed');
      assert(e1 === e2, 'opened and closed reject with the same error');
      await rejectsWith(s.readable.getReader().read(), (e) => assert(e === e1, 'readable errored with it'), 'read');
      await rejectsWith(s.writable.getWriter().write(enc('x')), (e) => assert(e === e1, 'writable errored with it'), 'write');
    },
  },
  {
    name: 'an unresolvable name rejects opened with SocketError NAME_UNRESOLVABLE',
    async run(ctx) {
      const s = ctx.connect('no-such-host.invalid:80');
      await rejectsWith(s.opened, (e) => isSocketError(ctx, e, 'NAME_UNRESOLVABLE'), 'opened');
      await rejectsWith(s.closed, (e) => isSocketError(ctx, e, 'NAME_UNRESOLVABLE'), 'closed');
    },
  },
  {
    name: 'malformed addresses and ports throw SocketError INVALID_ADDRESS synchronously',
    async run(ctx) {
      const bad = [
        '', 'localhost', 'localhost:', ':80', '::1:80', '[::1]80', '[::1:80', '[example.com]:80', 'host:0',
        'host:65536', 'host:-1', 'host:+80', 'host:8o', 'host: 80', 'ex ample.com:80', '1.2.3.256:80',
        'b\u00fccher.example:80', 'a..b:80',
        { hostname: '', port: 80 }, { hostname: 'a', port: 0 }, { hostname: 'a', port: 65536 },
        { hostname: 'a', port: 1.5 }, { hostname: 'a', port: -1 }, { hostname: 'a' }, { port: 80 },
        { hostname: '1::2::3', port: 80 }, { hostname: 'a b', port: 80 }, null, 42,
      ];
      for (const a of bad) throwsSync(ctx, () => ctx.connect(a), 'INVALID_ADDRESS', JSON.stringify(a));
    },
  },
  {
    name: 'unknown option values throw SocketError INVALID_OPTION synchronously (sni/alpn need TLS)',
    async run(ctx) {
      const a = `127.0.0.1:${ctx.ports.echo}`;
      for (const o of [{ secureTransport: 'yes' }, { sni: 'example.com' }, { alpn: ['h2'] }, { secureTransport: 'on', alpn: 'h2' }, { secureTransport: 'on', alpn: [''] }]) {
        throwsSync(ctx, () => ctx.connect(a, o), 'INVALID_OPTION', JSON.stringify(o));
      }
    },
  },
  {
    name: 'allowHalfOpen false: peer FIN ends the readable, closes the writable, sends our FIN and resolves closed',
    async run(ctx) {
      const s = ctx.connect(`127.0.0.1:${ctx.ports.fin}`);
      const { localAddress } = await s.opened;
      const order = [];
      const closed = s.closed.then(() => order.push('closed'));
      const body = await readAll(s.readable);
      order.push('readable-done');
      eq(dec(body), 'bye', 'data before FIN');
      await closed;
      eq(order, ['readable-done', 'closed'], 'event order');
      // the writable ended with SocketError CLOSED (errored, not closed: see the next case)
      await rejectsWith(s.writable.getWriter().closed, (e) => isSocketError(ctx, e, 'CLOSED'), 'writer.closed');
      const ev = await peerEventsAfterOurFin(ctx, localAddress);
      eq(ev, ['accepted', 'end'], 'the peer saw our FIN and no data');
    },
  },
  {
    name: 'after the peer\'s FIN closed the socket (allowHalfOpen false), a write returns a promise rejected with SocketError CLOSED',
    async run(ctx) {
      const s = ctx.connect(`127.0.0.1:${ctx.ports.fin}`);
      await s.opened;
      await readAll(s.readable);
      await s.closed;
      let p;
      try {
        p = s.writable.getWriter().write(enc('too late'));
      } catch (e) {
        throw new AssertionError(`write threw synchronously: ${e}`);
      }
      await rejectsWith(p, (e) => isSocketError(ctx, e, 'CLOSED'), 'write after close');
      // and after close(), the same
      const t = ctx.connect(`127.0.0.1:${ctx.ports.echo}`);
      await t.opened;
      await t.close();
      await rejectsWith(t.writable.getWriter().write(enc('x')), (e) => isSocketError(ctx, e, 'CLOSED'), 'write after close()');
    },
  },
  {
    name: 'allowHalfOpen false with a locked writer: the writer errors with SocketError CLOSED after peer FIN',
    async run(ctx) {
      const s = ctx.connect(`127.0.0.1:${ctx.ports.fin}`);
      const w = s.writable.getWriter();
      await readAll(s.readable);
      await s.closed;
      await rejectsWith(w.closed, (e) => isSocketError(ctx, e, 'CLOSED'), 'writer.closed');
    },
  },
  {
    name: 'allowHalfOpen true: after peer FIN the writable still sends, closed stays pending until close()',
    async run(ctx) {
      const s = ctx.connect(`127.0.0.1:${ctx.ports.fin}`, { allowHalfOpen: true });
      const { localAddress } = await s.opened;
      let closedSettled = false;
      s.closed.then(() => (closedSettled = true), () => (closedSettled = true));
      eq(dec(await readAll(s.readable)), 'bye', 'data before FIN');
      const w = s.writable.getWriter();
      await w.write(enc('late'));
      await w.close();
      await turns(5);
      assert(!closedSettled, 'closed is still pending after FIN both ways');
      const ev = await peerEventsAfterOurFin(ctx, localAddress);
      eq(ev, ['accepted', 'data:late', 'end'], 'the peer got our late data, then our FIN');
      await s.close();
      assert(closedSettled, 'close() resolves closed');
    },
  },
  {
    name: 'closing the writable half-closes: the peer sees FIN and can still answer',
    async run(ctx) {
      const s = ctx.connect(`127.0.0.1:${ctx.ports.half}`);
      const w = s.writable.getWriter();
      await w.write(enc('question'));
      await w.close();
      eq(dec(await readAll(s.readable)), 'got:question', 'answer after our FIN');
      await s.closed;
    },
  },
  {
    name: 'close(reason) before open rejects opened with reason, errors the readable with it, resolves closed',
    async run(ctx) {
      const s = ctx.connect(`127.0.0.1:${ctx.ports.echo}`);
      const reason = new Error('changed my mind');
      const closing = s.close(reason);
      await rejectsWith(s.opened, (e) => assert(e === reason, 'opened rejected with the reason'), 'opened');
      await closing;
      await s.closed;
      await rejectsWith(s.readable.getReader().read(), (e) => assert(e === reason, 'readable errored with the reason'), 'read');
      await rejectsWith(s.writable.getWriter().write(enc('x')), (e) => assert(e === reason, 'writable errored with the reason'), 'write');
    },
  },
  {
    name: 'close() returns the closed promise; afterwards reads are done and writes fail',
    async run(ctx) {
      const s = ctx.connect(`127.0.0.1:${ctx.ports.echo}`);
      await s.opened;
      const r = s.readable.getReader();
      const w = s.writable.getWriter();
      const p = s.close();
      assert(p === s.closed, 'close() returns closed');
      await p;
      eq((await r.read()).done, true, 'read is done');
      await rejectsWith(w.write(enc('x')), (e) => isSocketError(ctx, e, 'CLOSED'), 'write after close');
      assert(s.close() === s.closed, 'close() again returns closed');
    },
  },
  {
    name: 'streams first touched after the socket ended: after close() reads are done and writes fail; after close(reason) both carry the reason',
    async run(ctx) {
      // (this package makes the streams on first access: they must start in the state the socket is in)
      const s = ctx.connect(`127.0.0.1:${ctx.ports.echo}`);
      await s.opened;
      await s.close();
      const r = s.readable.getReader();
      eq((await r.read()).done, true, 'read is done');
      await rejectsWith(s.writable.getWriter().write(enc('x')), (e) => isSocketError(ctx, e, 'CLOSED'), 'write after close');
      assert(s.readable === s.readable && s.writable === s.writable, 'the same stream objects on every access');
      const t = ctx.connect(`127.0.0.1:${ctx.ports.echo}`);
      const reason = new Error('done here');
      const closed = t.close(reason); // before it opens: opened rejects with the reason
      await rejectsWith(t.opened, (e) => assert(e === reason, 'opened rejects with the reason'), 'opened');
      await closed;
      await rejectsWith(t.readable.getReader().read(), (e) => assert(e === reason, 'readable errored with the reason'), 'read');
      await rejectsWith(t.writable.getWriter().write(enc('x')), (e) => assert(e === reason, 'writable errored with the reason'), 'write');
    },
  },
  {
    name: 'close(reason) while a write waits on a peer that does not read rejects that write with the reason',
    async run(ctx) {
      const s = ctx.connect(`127.0.0.1:${ctx.ports.sink}`);
      await s.opened;
      const w = s.writable.getWriter();
      const pending = w.write(new Uint8Array(32 * 1024 * 1024));
      let settled = false;
      pending.then(() => (settled = true), () => (settled = true));
      await turns(20);
      assert(!settled, 'the write is still waiting for room');
      const reason = new Error('giving up');
      await s.close(reason);
      await rejectsWith(pending, (e) => assert(e === reason, `rejected with the close reason, got ${e}`), 'pending write');
    },
  },
  {
    name: 'a peer RST errors the streams and rejects closed with SocketError CONNECTION_RESET',
    async run(ctx) {
      const s = ctx.connect(`127.0.0.1:${ctx.ports.rst}`);
      await s.opened;
      const w = s.writable.getWriter();
      await w.write(enc('trigger'));
      const r = s.readable.getReader();
      const e = await rejectsWith(r.read(), (e) => isSocketError(ctx, e, 'CONNECTION_RESET'), 'read');
      await rejectsWith(s.closed, (x) => assert(x === e, 'closed rejects with the same error'), 'closed');
    },
  },
  {
    name: 'startTls() on a socket without secureTransport "starttls" throws SocketError',
    async run(ctx) {
      const s = ctx.connect(`127.0.0.1:${ctx.ports.echo}`);
      eq(s.upgraded, false, 'upgraded');
      eq(s.secureTransport, 'off', 'secureTransport');
      throwsSync(ctx, () => s.startTls(), 'STARTTLS_NOT_ALLOWED', 'startTls');
      await s.close();
    },
  },
  {
    name: 'TLS: opened resolves after a verified handshake (SocketInfo.tls, ALPN); 64 KiB echo intact; nothing in the clear',
    async run(ctx) {
      const s = ctx.connect(`localhost:${ctx.ports.tls}`, { secureTransport: 'on', ca: ctx.ports.tlsCa, alpn: ['http/1.1', 'h2'] });
      const w = s.writable.getWriter();
      const secret = `written-before-open-${Math.random()}`;
      const early = w.write(enc(secret));
      const info = await s.opened;
      eq(info.remoteAddress, `127.0.0.1:${ctx.ports.tls}`, 'remoteAddress');
      eq(info.alpn, 'h2', 'alpn');
      eq(info.tls.version, 'TLSv1.3', 'version');
      eq(info.tls.verified, true, 'verified');
      eq(info.tls.chainSubjects, ['CN=localhost', 'CN=conformance intermediate', 'CN=conformance root'], 'chain');
      await echoesEncrypted(ctx, s, w, early, secret, 3);
    },
  },
  {
    name: 'TLS: an unknown issuer, a wrong name and a plaintext server each reject opened and closed with a TLS SocketError',
    async run(ctx) {
      const untrusted = ctx.connect(`localhost:${ctx.ports.tls}`, { secureTransport: 'on' });
      const e1 = await rejectsWith(untrusted.opened, (e) => isSocketError(ctx, e, 'TLS_CERTIFICATE_UNTRUSTED'), 'opened');
      await rejectsWith(untrusted.closed, (e) => eq(e === e1, true, 'closed rejects with the same error'), 'closed');
      const wrongName = ctx.connect(`127.0.0.1:${ctx.ports.tls}`, { secureTransport: 'on', ca: ctx.ports.tlsCa, sni: 'example.com' });
      await rejectsWith(wrongName.opened, (e) => isSocketError(ctx, e, 'TLS_HOSTNAME_MISMATCH'), 'opened');
      // a plaintext server that greets first: its "hello" is not a TLS record
      const plain = ctx.connect(`127.0.0.1:${ctx.ports.greet}`, { secureTransport: 'on', ca: ctx.ports.tlsCa });
      await rejectsWith(plain.opened, (e) => {
        isSocketError(ctx, e, 'TLS_PROTOCOL_ERROR');
        assert(/did not answer with TLS/.test(e.message), e.message);
      }, 'opened');
      const lenient = ctx.connect(`localhost:${ctx.ports.tls}`, { secureTransport: 'on', rejectUnauthorized: false });
      eq((await lenient.opened).tls.verified, false, 'rejectUnauthorized false: encrypted, not verified');
      await lenient.close();
    },
  },
  {
    name: 'TLS: closing the writable sends close_notify and FIN; the peer\'s close_notify ends the readable',
    async run(ctx) {
      const s = ctx.connect(`localhost:${ctx.ports.tls}`, { secureTransport: 'on', ca: ctx.ports.tlsCa, allowHalfOpen: true });
      await s.opened;
      const w = s.writable.getWriter();
      await w.write(enc('last words'));
      await w.close();
      eq(dec(await readAll(s.readable)), 'last words', 'echo, then the end of the readable');
      await s.close();
    },
  },
  {
    name: 'TLS 1.2: a TLS 1.2-only server is verified as a TLS 1.3 one is (SocketInfo.tls); 64 KiB echo intact; nothing in the clear; minVersion "TLSv1.3" refuses it',
    async run(ctx) {
      const s = ctx.connect(`localhost:${ctx.ports.tls12}`, { secureTransport: 'on', ca: ctx.ports.tlsCa });
      const w = s.writable.getWriter();
      const secret = `tls12-written-before-open-${Math.random()}`;
      const early = w.write(enc(secret));
      const info = await s.opened;
      eq(info.tls.version, 'TLSv1.2', 'version');
      eq(info.tls.verified, true, 'verified');
      eq(info.tls.resumed, false, 'resumed');
      eq(info.tls.chainSubjects, ['CN=localhost', 'CN=conformance intermediate', 'CN=conformance root'], 'chain');
      assert(/^TLS_ECDHE_ECDSA_WITH_(CHACHA20_POLY1305_SHA256|AES_128_GCM_SHA256|AES_256_GCM_SHA384)$/.test(info.tls.cipherSuite), `cipher suite ${info.tls.cipherSuite}`);
      await echoesEncrypted(ctx, s, w, early, secret, 5);
      const strict = ctx.connect(`localhost:${ctx.ports.tls12}`, { secureTransport: 'on', ca: ctx.ports.tlsCa, minVersion: 'TLSv1.3' });
      await rejectsWith(strict.opened, (e) => isSocketError(ctx, e, 'TLS_VERSION_UNSUPPORTED'), 'opened');
    },
  },
  {
    name: 'TLS 1.3 resumption: the next connection to the same server resumes from a ticket (SocketInfo.tls.resumed) and reports the verified chain; session: false does not',
    async run(ctx) {
      const opts = { secureTransport: 'on', ca: ctx.ports.tlsCa, alpn: ['http/1.1'] };
      const echoOnce = async (s, text) => {
        const w = s.writable.getWriter();
        const r = s.readable.getReader();
        await w.write(enc(text));
        // the server's tickets come before its echo, so they are stored by the time it arrives
        eq(dec(await readExactly(r, text.length)), text, 'echo');
        w.releaseLock();
        r.releaseLock();
      };
      // a full handshake stores tickets (no other case offers exactly this ALPN list, part of the cache key)
      const first = ctx.connect(`localhost:${ctx.ports.tls}`, opts);
      const full = await first.opened;
      eq(full.tls.resumed, false, 'first connection: full handshake');
      await echoOnce(first, 'full');
      await first.close();
      const second = ctx.connect(`localhost:${ctx.ports.tls}`, opts);
      const resumed = await second.opened;
      eq(resumed.tls.resumed, true, 'second connection resumed');
      eq(resumed.tls.verified, true, 'verified (by the connection that got the ticket)');
      eq(resumed.tls.chainSubjects, full.tls.chainSubjects, 'the chain verified then');
      await echoOnce(second, 'resumed');
      await second.close();
      const fresh = ctx.connect(`localhost:${ctx.ports.tls}`, { ...opts, session: false });
      eq((await fresh.opened).tls.resumed, false, 'session: false: full handshake');
      await echoOnce(fresh, 'fresh');
      await fresh.close();
    },
  },
  {
    name: 'startTls(): plaintext first, then TLS over the same connection; the original is upgraded and its closed resolves',
    async run(ctx) {
      const p = ctx.connect(`localhost:${ctx.ports.starttls}`, { secureTransport: 'starttls', ca: ctx.ports.tlsCa });
      const plainInfo = await p.opened;
      const w = p.writable.getWriter();
      await w.write(enc('STARTTLS\n'));
      w.releaseLock();
      const r = p.readable.getReader();
      eq(dec(await readExactly(r, 3)), 'OK\n', 'plaintext answer');
      r.releaseLock();
      const t = p.startTls({ expectedServerHostname: 'localhost' });
      eq(p.upgraded, true, 'upgraded');
      await p.closed;
      throwsSync(ctx, () => p.startTls(), 'STARTTLS_NOT_ALLOWED', 'second startTls');
      const info = await t.opened;
      eq(info.localAddress, plainInfo.localAddress, 'the same TCP connection');
      eq(info.tls.verified, true, 'verified');
      const tr = t.readable.getReader();
      const tw = t.writable.getWriter();
      await tw.write(enc('over tls'));
      eq(dec(await readExactly(tr, 8)), 'over tls', 'echo over TLS');
      await t.close();
    },
  },
  {
    name: 'writing faster than the peer reads applies backpressure, then everything arrives intact',
    async run(ctx) {
      const s = ctx.connect(`127.0.0.1:${ctx.ports.sink}`);
      const { localAddress } = await s.opened;
      const w = s.writable.getWriter();
      const chunk = 64 * 1024;
      const total = 64 * 1024 * 1024;
      let accepted = 0;
      let minDesired = Infinity;
      const writing = (async () => {
        for (let off = 0; off < total; off += chunk) {
          await w.ready;
          w.write(pattern(chunk, off / chunk)).then(() => (accepted += chunk), () => {});
          minDesired = Math.min(minDesired, w.desiredSize);
        }
        await w.close();
      })();
      writing.catch(() => {});
      // let the pipeline fill until it stops moving
      let last = -1;
      while (accepted !== last) {
        last = accepted;
        await turns(20);
      }
      assert(accepted < 32 * 1024 * 1024, `backpressure held: ${accepted} bytes accepted with the peer not reading`);
      assert(minDesired <= 0, 'desiredSize reached 0');
      await ctx.control(`release ${Number(localAddress.split(':').pop())}`);
      await writing;
      const reply = dec(await readAll(s.readable));
      const m = /^count:(\d+) sha256:([0-9a-f]+)$/.exec(reply);
      assert(m, `sink reply ${reply}`);
      eq(Number(m[1]), total, 'bytes received');
      const h = createHash('sha256');
      for (let off = 0; off < total; off += chunk) h.update(pattern(chunk, off / chunk));
      eq(m[2], h.digest('hex'), 'content hash');
    },
  },
];

const CASE_TIMEOUT_MS = 30_000;

/** Runs every case (each bounded in time); returns [{ name, ok, ms, error }]. */
export function runCases(ctx, filter = () => true) {
  return runCaseList(cases, ctx, filter);
}

/** Runs the cases of `list` that `filter` keeps, each bounded in time; returns [{ name, ok, ms, error }]. */
export async function runCaseList(list, ctx, filter = () => true) {
  const results = [];
  for (const c of list) {
    if (!filter(c)) continue;
    const t0 = Date.now();
    let timer;
    try {
      const limit = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new AssertionError(`timed out after ${CASE_TIMEOUT_MS} ms`)), CASE_TIMEOUT_MS);
      });
      await Promise.race([c.run(ctx), limit]);
      results.push({ name: c.name, ok: true, ms: Date.now() - t0 });
    } catch (e) {
      results.push({ name: c.name, ok: false, ms: Date.now() - t0, error: String(e?.stack ?? e) });
    } finally {
      clearTimeout(timer);
    }
  }
  return results;
}

/** A control-port client for the peer (node:net, independent of the code under test). */
export function controlClient(port) {
  let sock = null;
  let buf = '';
  const waiting = [];
  const ensure = () => {
    if (sock) return;
    sock = net.connect(port, '127.0.0.1');
    sock.setEncoding('utf8');
    sock.on('data', (d) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        waiting.shift()?.(JSON.parse(line));
      }
    });
  };
  return {
    control(cmd) {
      ensure();
      return new Promise((resolve) => {
        waiting.push(resolve);
        sock.write(cmd + '\n');
      });
    },
    close() {
      sock?.destroy();
    },
  };
}
