// `npm start` runs demo/demo.mjs: it must keep working (and exit by itself) on a fresh machine.
import { describe, it, expect } from 'vitest';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

describe('npm start (demo/demo.mjs)', () => {
  it('runs the whole tour against its own servers and exits 0 by itself', async () => {
    const script = fileURLToPath(new URL('../demo/demo.mjs', import.meta.url));
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, [script], { timeout: 60_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
      child.stdin?.end();
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('got "HELLO FROM WEBASSEMBLY"');
    expect(stdout).toContain('got "bye: you sent 2 lines, then FIN"');
    expect(stdout).toContain('code=CONNECTION_REFUSED');
    expect(stdout).toContain('code=INVALID_ADDRESS');
    expect(stdout).toMatch(/opened after the server's Finished was verified: TLSv1\.3 TLS_\w+ x25519 ecdsa_secp256r1_sha256 alpn=demo\/1/);
    expect(stdout).toContain('got "ENCRYPTED HELLO"');
    expect(stdout).toMatch(/startTls\(\): upgraded=true, same connection .*verified=true/);
    expect(stdout).toContain('got "NOW PRIVATE"');
    expect(stdout).toContain('code=TLS_CERTIFICATE_UNTRUSTED');
    expect(stdout).toContain('code=TLS_HOSTNAME_MISMATCH');
    expect(stdout).toContain('Done.');
  });
});
