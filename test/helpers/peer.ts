// Starts the conformance peer (test/conformance/peer.mjs) in its own process and returns its ports.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Peer {
  ports: Record<string, number>;
  stop(): void;
}

export async function startPeerProcess(): Promise<Peer> {
  const script = fileURLToPath(new URL('../conformance/peer.mjs', import.meta.url));
  const child: ChildProcess = spawn(process.execPath, [script], { stdio: ['pipe', 'pipe', 'inherit'] });
  const ports = await new Promise<Record<string, number>>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(buf.slice(0, nl)));
    });
    child.once('exit', (code) => reject(new Error(`peer exited with ${code}`)));
  });
  return { ports, stop: () => child.kill() };
}
