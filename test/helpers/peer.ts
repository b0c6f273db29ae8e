// Starts the conformance peer (test/conformance/peer.mjs) in its own process and returns its ports.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
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

/** One case's outcome, as the runners on other runtimes report it. */
export type CaseResult = { name: string; ok: boolean; error?: string };

/**
 * Runs a script (a case runner: test/conformance/run.mjs, test/fault/run.mjs...) on another runtime
 * with the peer's ports in PEER_PORTS, and returns what it prints as its last line, as JSON.
 */
export function runJsonIn<T = CaseResult[]>(peer: Peer, bin: string, args: string[], timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { env: { ...process.env, PEER_PORTS: JSON.stringify(peer.ports), NO_COLOR: '1' }, timeout: timeoutMs, maxBuffer: 1 << 24 },
      (err, stdout, stderr) => {
        const line = stdout.trim().split('\n').pop() ?? '';
        try {
          resolve(JSON.parse(line));
        } catch {
          reject(new Error(`${bin} did not report results (${err?.message ?? ''})\n${stderr}\n${stdout}`));
        }
      });
  });
}
