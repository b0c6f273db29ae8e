export const pattern = (n: number, seed = 0): Uint8Array => {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + seed) % 251;
  return b;
};

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export async function readExactly(reader: ReadableStreamDefaultReader<Uint8Array>, n: number): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  let o = 0;
  while (o < n) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`stream ended after ${o} of ${n} bytes`);
    out.set(value.subarray(0, n - o), o);
    o += Math.min(value.length, n - o);
  }
  return out;
}
