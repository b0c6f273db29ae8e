// wasi:clocks/wall-clock on Date.now(): the component checks certificate validity against it.
export function now(): { seconds: bigint; nanoseconds: number } {
  const ms = Date.now();
  const s = Math.floor(ms / 1000);
  return { seconds: BigInt(s), nanoseconds: (ms - s * 1000) * 1_000_000 };
}

export function resolution(): { seconds: bigint; nanoseconds: number } {
  return { seconds: 0n, nanoseconds: 1_000_000 };
}
