// Run with a lowered descriptor limit (`ulimit -n`, test/fault.test.ts): connects until the
// process has no descriptor left. Prints one JSON line: what each attempt gave, whether the
// sockets opened before the limit still echo, and whether the process recovers once some close.
//   <runtime> emfile.mjs <echo port>
import { connect } from '../../dist/src/index.js';

const port = Number(process.argv[process.argv.length - 1]);
const out = { opened: 0, codes: {}, messages: [], firstFailure: -1, earlierEcho: false, hostnameCode: null, recovered: false };
const open = [];

async function echo(s, byte) {
  const w = s.writable.getWriter();
  const r = s.readable.getReader();
  await w.write(new Uint8Array([byte]));
  const { value } = await r.read();
  w.releaseLock();
  r.releaseLock();
  return value?.[0] === byte;
}

for (let i = 0; i < 400; i++) {
  const s = connect({ hostname: '127.0.0.1', port });
  try {
    await s.opened;
    open.push(s);
    out.opened++;
    if (out.firstFailure >= 0) break; // descriptors came back: stop
  } catch (e) {
    out.codes[e.code] = (out.codes[e.code] ?? 0) + 1;
    if (out.messages.length < 2) out.messages.push(e.message);
    if (out.firstFailure < 0) out.firstFailure = i;
    if (out.codes[e.code] >= 5) break;
  }
}
// a hostname at the limit: the lookup itself has no descriptor
try {
  await connect({ hostname: 'localhost', port }).opened;
  out.hostnameCode = 'opened';
} catch (e) {
  out.hostnameCode = e.code;
}
// the sockets opened before the limit still work
out.earlierEcho = (await Promise.all(open.slice(0, 5).map((s, i) => echo(s, 65 + i)))).every(Boolean);
// close a few: new connections work again
await Promise.all(open.splice(0, 5).map((s) => s.close()));
try {
  const s = connect({ hostname: '127.0.0.1', port });
  await s.opened;
  out.recovered = await echo(s, 90);
  await s.close();
} catch (e) {
  out.recovered = String(e);
}
await Promise.all(open.map((s) => s.close()));
process.stdout.write(JSON.stringify(out) + '\n');
