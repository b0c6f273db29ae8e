// The component may import nothing from `env`, so AssemblyScript's abort() is routed here.
// An abort is a bug in this code (a failed assertion or a bounds check): trap, and the host
// reports the trap; no state survives it.
export function abortHandler(message: string | null, fileName: string | null, line: u32, column: u32): void {
  unreachable();
}
