// Deno's net permission and wasi-connect: the name is resolved first, then each address is
// connected to, so Deno checks both. Prints one line of JSON: how connect('localhost:PORT') ends.
import { connect } from 'cloudflare:sockets';
import process from 'node:process';

const port = Number(process.argv[process.argv.length - 1]);
const s = connect(`localhost:${port}`);
try {
  const info = await s.opened;
  await s.close();
  process.stdout.write(JSON.stringify({ opened: info.remoteAddress }) + '\n');
} catch (e) {
  process.stdout.write(JSON.stringify({ error: e.code, message: e.message }) + '\n');
}
