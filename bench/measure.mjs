// The measurements bench/net.mjs (plaintext) and bench/tls.mjs (TLS) share: each takes a socket
// that is already open (a spec-API Socket from connect(), or a connected node:net/node:tls
// socket) and times from the call. The sink answers with the byte count it got; the echo port
// echoes.

/** The best (least) of `rounds` runs of `f`. */
export const best = async (rounds, f) => {
  let b = Infinity;
  for (let i = 0; i < rounds; i++) b = Math.min(b, await f());
  return b;
};

/**
 * When the module at `moduleUrl` is the process's script (a child of bench.mjs:
 * node bench/<script> <client> <json> [--quick]): prints measure(client, json, { quick }) as one JSON line.
 */
export async function runAsChild(moduleUrl, measure) {
  if (moduleUrl !== `file://${process.argv[1]}`) return;
  const [name, json, flag] = process.argv.slice(2);
  const r = await measure(name, JSON.parse(json), { quick: flag === '--quick' });
  process.stdout.write(JSON.stringify(r) + '\n');
}

// ---------------------------------------------------------------- spec API (connect() Socket)
/** Sends `total` bytes in `chunk`s, closes the writable, checks the sink's count, closes. */
export async function specThroughput(s, total, chunk) {
  const w = s.writable.getWriter();
  const buf = new Uint8Array(chunk).fill(97);
  const t0 = performance.now();
  for (let off = 0; off < total; off += chunk) {
    await w.ready;
    w.write(buf);
  }
  await w.close();
  const r = s.readable.getReader();
  let reply = '';
  for (;;) {
    const { value, done } = await r.read();
    if (done) break;
    reply += new TextDecoder().decode(value);
  }
  const ms = performance.now() - t0;
  if (Number(reply) !== total) throw new Error(`sink counted ${reply}, expected ${total}`);
  await s.close();
  return ms;
}

/** n echoes of a `size`-byte message, one at a time; closes. */
export async function specRoundTrips(s, n, size) {
  const w = s.writable.getWriter();
  const r = s.readable.getReader();
  const msg = new Uint8Array(size).fill(98);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    await w.write(msg);
    let got = 0;
    while (got < size) got += (await r.read()).value.length;
  }
  const ms = performance.now() - t0;
  await s.close();
  return ms;
}

const one = new Uint8Array([1]);
/** One byte there and back (the socket opens on the way), then close. */
export async function specPing(s) {
  const w = s.writable.getWriter();
  const r = s.readable.getReader();
  await w.write(one);
  await r.read();
  await s.close();
}

// ---------------------------------------------------------------- node:net / node:tls sockets
/** specThroughput on a connected node socket (allowHalfOpen, so the count can come after end()); destroys it. */
export function nodeThroughput(s, total, chunk) {
  return new Promise((resolve, reject) => {
    const buf = Buffer.alloc(chunk, 97);
    let off = 0;
    let reply = '';
    const t0 = performance.now();
    const pump = () => {
      while (off < total) {
        off += chunk;
        if (!s.write(buf)) return s.once('drain', pump);
      }
      s.end();
    };
    s.on('data', (d) => (reply += d));
    s.on('end', () => {
      const ms = performance.now() - t0;
      s.destroy();
      if (Number(reply) !== total) reject(new Error(`sink counted ${reply}`));
      else resolve(ms);
    });
    pump();
  });
}

/** specRoundTrips on a connected node socket; destroys it. */
export function nodeRoundTrips(s, n, size) {
  return new Promise((resolve) => {
    const msg = Buffer.alloc(size, 98);
    let i = 0, got = 0;
    const t0 = performance.now();
    s.on('data', (d) => {
      got += d.length;
      if (got < size) return;
      got = 0;
      if (++i === n) {
        const ms = performance.now() - t0;
        s.destroy();
        return resolve(ms);
      }
      s.write(msg);
    });
    s.write(msg);
  });
}
