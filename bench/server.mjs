// The benchmark's peer, in a process of its own: an echo port and a sink port (counts bytes,
// answers the count after the client's FIN). Prints its ports as one JSON line.
import net from 'node:net';

const listen = (handler) =>
  new Promise((resolve) => {
    const s = net.createServer({ allowHalfOpen: true, noDelay: true }, (sock) => {
      sock.setNoDelay(true);
      sock.on('error', () => {});
      handler(sock);
    });
    s.listen(0, '127.0.0.1', () => resolve(s.address().port));
  });

const echo = await listen((sock) => {
  sock.on('data', (d) => sock.write(d));
  sock.on('end', () => sock.end());
});
const sink = await listen((sock) => {
  let n = 0;
  sock.on('data', (d) => (n += d.length));
  sock.on('end', () => sock.end(String(n)));
});
process.stdout.write(JSON.stringify({ echo, sink }) + '\n');
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
