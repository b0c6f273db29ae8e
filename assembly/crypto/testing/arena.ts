// Test-only scratch memory for the crypto-testing module: the JS side copies its inputs here
// and reads outputs from here. Not part of the component.

let arenaPtr: usize = 0;
let arenaCap: usize = 0;

/** Returns a pointer to at least `len` bytes of scratch memory (contents undefined). */
export function arena(len: i32): usize {
  const need = <usize>max(len, 64);
  if (need > arenaCap) {
    if (arenaPtr != 0) heap.free(arenaPtr);
    arenaCap = need * 2;
    arenaPtr = heap.alloc(arenaCap);
  }
  return arenaPtr;
}
