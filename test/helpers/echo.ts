import type { Socket } from 'wasi-connect';
import { equalBytes } from './bytes.js';
import { pattern, readExactly } from '../conformance/cases.mjs';

/**
 * Every socket (open) echoes a `size`-byte pattern of its own, all at the same time: how many
 * echoes came back altered.
 */
export async function echoAllAtOnce(sockets: Socket[], size = 65536): Promise<number> {
  const results = await Promise.all(
    sockets.map(async (s, i) => {
      const data = pattern(size, i);
      const got = readExactly(s.readable.getReader(), data.length);
      await s.writable.getWriter().write(data);
      return equalBytes(await got, data);
    }),
  );
  return results.filter((ok) => !ok).length;
}
